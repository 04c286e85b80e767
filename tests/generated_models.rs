//! The generated models against the documented wire: every doc-page example response
//! deserializes with its values, requests flatten into exactly the expected wire pairs,
//! and the forward-compatibility and redaction promises hold.

use alibabacloud_bssopenapi_20171214::query_orders::{
    OrderType, PaymentStatus, QueryOrdersRequest, QueryOrdersResponse,
};
use alibabacloud_cas_20180713::describe_dv_order_result::{
    DescribeDvOrderResultRequest, DescribeDvOrderResultResponse, DvCheckType, DvOrderStatus,
};
use alibabacloud_cas_20180713::describe_order_instance_list::{
    DescribeOrderInstanceListRequest, DescribeOrderInstanceListResponse, OrderInstanceStatus,
    OrderSource,
};
use alibabacloud_cas_20200407::list_deployment_job_cert::{
    CertOrderType, CertStatusCode, ListDeploymentJobCertRequest, ListDeploymentJobCertResponse,
};
use alibabacloud_cas_20200407::list_user_certificate_order::{
    CertificateOrderStatus, CertificateOrderType, CertificateStatusFilter,
    ListUserCertificateOrderRequest, ListUserCertificateOrderResponse,
};
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::wire::EpochMillis;
use alibabacloud_core::{BuildError, Error};
use alibabacloud_demo_20240101::tag_resources::{
    Tag, TagResourcesRequest, TagResourcesResponse, Type,
};
use serde::de::DeserializeOwned;

fn sample<T: DeserializeOwned>(name: &str) -> T {
    let path = format!(
        "{}/fixtures/responses/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} sample does not parse: {e}"))
}

fn pairs(params: &alibabacloud_core::Params) -> Vec<(String, String)> {
    params
        .pairs()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn expect_pairs(params: &alibabacloud_core::Params, expected: &[(&str, &str)]) {
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(pairs(params), expected);
}

#[test]
fn list_user_certificate_order_sample_parses() {
    let response: ListUserCertificateOrderResponse = sample("ListUserCertificateOrder");
    assert_eq!(
        response.request_id.as_deref(),
        Some("15C66C7B-671A-4297-9187-2C4477247A74")
    );
    assert_eq!(
        (
            response.show_size,
            response.current_page,
            response.total_count
        ),
        (Some(10), Some(1), Some(1))
    );
    let order = &response.certificate_order_list[0];
    assert_eq!(order.aliyun_order_id, Some(234_567));
    assert_eq!(order.buy_date, Some(EpochMillis(1_634_283_958_000)));
    assert_eq!(order.status, Some(CertificateOrderStatus::Payed));
    assert_eq!(order.sans.as_deref(), Some("aliyun.com"));
    assert_eq!(order.expired, Some(true));
    assert_eq!(order.upload, Some(false));
    assert_eq!(order.end_date.as_deref(), Some("2022-11-17"));
    assert_eq!(order.org_name.as_deref(), Some("Alibaba Cloud\n"));
}

#[test]
fn list_deployment_job_cert_sample_parses() {
    let response: ListDeploymentJobCertResponse = sample("ListDeploymentJobCert");
    let cert = &response.data[0];
    assert_eq!(cert.cert_id, Some(11_174_100));
    assert_eq!(cert.sans, ["aliyundoc.com"]);
    assert_eq!(cert.not_before_time, Some(EpochMillis(1_683_625_266_108)));
    assert_eq!(cert.month, Some(12));
    assert_eq!(cert.status_code, Some(CertStatusCode::Issued));
    assert_eq!(cert.cert_order_type, Some(CertOrderType::Buy));
    assert_eq!(cert.is_trustee, Some(true));
}

#[test]
fn describe_order_instance_list_sample_parses() {
    let response: DescribeOrderInstanceListResponse = sample("DescribeOrderInstanceList");
    assert_eq!(response.total_count, Some(145));
    assert_eq!(response.order_list.len(), 2);
    assert_eq!(response.order_list[0].id, Some(2_755_629));
    assert_eq!(response.order_list[0].source, Some(OrderSource::Buy));
    assert_eq!(
        response.order_list[1].status,
        Some(OrderInstanceStatus::Checking)
    );
}

#[test]
fn describe_dv_order_result_sample_parses_and_redacts_the_private_key() {
    let response: DescribeDvOrderResultResponse = sample("DescribeDVOrderResult");
    assert_eq!(response.check_type, Some(DvCheckType::Dns));
    assert_eq!(response.order_status, Some(DvOrderStatus::Checking));
    let key = response.private_key.clone().expect("sample has a key");
    assert!(key.contains("BEGIN RSA PRIVATE KEY"));
    let shown = format!("{response:?}");
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    assert!(
        shown.contains("private_key: Some(\"** redacted **\")"),
        "{shown}"
    );
    assert!(
        shown.contains("BEGIN CERTIFICATE"),
        "certificates are public: {shown}"
    );
}

#[test]
fn billing_sample_parses_through_the_order_wrapper_with_exact_amounts() {
    // The doc page's sample, read through the QueryOrders model (same wire shape).
    let response: QueryOrdersResponse = sample("DescribeOrderList");
    assert_eq!(response.success, Some(true));
    let data = response.data.expect("sample has data");
    assert_eq!(
        (data.page_num, data.page_size, data.total_count),
        (Some(1), Some(20), Some(1))
    );
    let order = &data.order_list[0];
    assert_eq!(
        order.after_tax_amount.map(|a| a.to_string()).as_deref(),
        Some("66")
    );
    assert_eq!(order.order_id.as_deref(), Some("34532532"));
    assert_eq!(order.order_type, Some(OrderType::New));
    assert_eq!(order.payment_status, Some(PaymentStatus::Paid));
    // The same document through the DescribeOrderList model.
    let response: alibabacloud_bssopenapi_20171214::describe_order_list::DescribeOrderListResponse =
        sample("DescribeOrderList");
    assert_eq!(response.data.expect("data").order_list.len(), 1);
}

#[test]
fn responses_tolerate_what_real_servers_send() {
    // Numbers as text, unknown fields, absent fields, a new enum value, null lists.
    let json = r#"{
        "RequestId": "R",
        "TotalCount": "3",
        "ShowSize": 50,
        "SomethingNew": {"nested": true},
        "CertificateOrderList": [
            {"Status": "QUANTUM_SAFE", "Expired": "false", "CertificateId": "42"}
        ]
    }"#;
    let response: ListUserCertificateOrderResponse =
        serde_json::from_str(json).expect("tolerant parse");
    assert_eq!(response.total_count, Some(3));
    assert_eq!(response.current_page, None);
    let order = &response.certificate_order_list[0];
    assert_eq!(order.expired, Some(false));
    assert_eq!(order.certificate_id, Some(42));
    let status = order.status.clone().expect("status");
    assert!(matches!(status, CertificateOrderStatus::Unknown(_)));
    assert_eq!(status.as_str(), "QUANTUM_SAFE");
    assert_eq!(status.to_string(), "QUANTUM_SAFE");

    let empty: ListDeploymentJobCertResponse =
        serde_json::from_str(r#"{"RequestId":"R","Data":null}"#).expect("null list");
    assert!(empty.data.is_empty());
}

#[test]
fn a_missing_request_id_is_no_error() {
    let response = serde_json::from_str::<ListDeploymentJobCertResponse>(r#"{"Data":[]}"#).unwrap();
    assert_eq!(response.request_id, None);
}

#[test]
fn text_fields_read_numbers_and_booleans_as_text() {
    let response = serde_json::from_str::<ListDeploymentJobCertResponse>(
        r#"{"RequestId": 12, "Data": [{"Algorithm": 5, "CertName": true, "CommonName": null}]}"#,
    )
    .expect("numbers where text is expected do not fail the response");
    assert_eq!(response.request_id.as_deref(), Some("12"));
    assert_eq!(response.data[0].algorithm.as_deref(), Some("5"));
    assert_eq!(response.data[0].cert_name.as_deref(), Some("true"));
    assert_eq!(response.data[0].common_name, None);
}

#[test]
fn enums_round_trip_their_wire_values() {
    for value in CertificateOrderType::VALUES {
        assert_eq!(CertificateOrderType::from(*value).as_str(), *value);
        assert!(!matches!(
            CertificateOrderType::from(*value),
            CertificateOrderType::Unknown(_)
        ));
    }
    assert_eq!(CertificateStatusFilter::WillExpired.as_str(), "WILLEXPIRED");
    assert_eq!(
        OrderInstanceStatus::PendingVerification.as_str(),
        "Pending Verification"
    );
}

#[test]
fn request_builders_produce_exact_wire_pairs() {
    let request = ListUserCertificateOrderRequest::builder()
        .order_type(CertificateOrderType::Cert)
        .status("ISSUED")
        .current_page(2)
        .show_size(20)
        .keyword("")
        .build()
        .expect("no required parameters");
    expect_pairs(
        &request.to_params(),
        &[
            ("Keyword", ""),
            ("Status", "ISSUED"),
            ("OrderType", "CERT"),
            ("CurrentPage", "2"),
            ("ShowSize", "20"),
        ],
    );

    let request = QueryOrdersRequest::builder()
        .create_time_start("2024-01-01T00:00:00Z")
        .page_num(1)
        .page_size(20)
        .build()
        .expect("no required parameters");
    expect_pairs(
        &request.to_params(),
        &[
            ("PageNum", "1"),
            ("PageSize", "20"),
            ("CreateTimeStart", "2024-01-01T00:00:00Z"),
        ],
    );

    let request = DescribeOrderInstanceListRequest::builder()
        .start_index(0)
        .lang("en")
        .build()
        .expect("set");
    expect_pairs(&request.to_params(), &[("StartIndex", "0"), ("Lang", "en")]);
}

#[test]
fn required_parameters_are_enforced_before_sending() {
    let missing = ListDeploymentJobCertRequest::builder().build().unwrap_err();
    assert_eq!(
        missing,
        BuildError::missing("ListDeploymentJobCert", "JobId")
    );
    let missing = DescribeDvOrderResultRequest::builder()
        .lang("zh")
        .build()
        .unwrap_err();
    assert_eq!(
        missing,
        BuildError::missing("DescribeDVOrderResult", "InstanceId")
    );
    let error = Error::from(missing);
    assert_eq!(error.kind(), ErrorKind::Build);
    assert!(error.to_string().contains("InstanceId"), "{error}");
    let built = ListDeploymentJobCertRequest::builder()
        .job_id(8888)
        .build()
        .expect("set");
    expect_pairs(&built.to_params(), &[("JobId", "8888")]);
}

#[test]
fn lists_objects_maps_and_json_lists_flatten_as_the_gateway_expects() {
    let request = TagResourcesRequest::builder()
        .region_id("cn-hangzhou")
        .resource_id(["cas-1", "cas-2"])
        .tag([
            Tag::default().key("env").value("prod"),
            Tag::default().key("team").value(""),
        ])
        .cert_ids([101, 202])
        .labels([("b", "2"), ("a", "1")])
        .r#type(Type::All)
        .keyword("")
        .dry_run(true)
        .note("in the body")
        .build()
        .expect("region set");
    let params = request.to_params();
    expect_pairs(
        &params,
        &[
            ("RegionId", "cn-hangzhou"),
            ("ResourceId.1", "cas-1"),
            ("ResourceId.2", "cas-2"),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team"),
            ("Tag.2.Value", ""),
            ("CertIds", "[101,202]"),
            ("Labels.a", "1"),
            ("Labels.b", "2"),
            ("Type", "ALL"),
            ("Keyword", ""),
            ("DryRun", "true"),
            ("Note", "in the body"),
        ],
    );
    assert_eq!(params.body().len(), 1, "Note travels in the body");
}

#[test]
fn sensitive_request_values_are_redacted_in_debug() {
    let builder = TagResourcesRequest::builder()
        .region_id("r")
        .private_key("-----BEGIN KEY----- abc");
    assert!(!format!("{builder:?}").contains("BEGIN KEY"));
    let request = builder.build().expect("region set");
    let shown = format!("{request:?}");
    assert!(!shown.contains("BEGIN KEY"), "{shown}");
    assert!(shown.contains("** redacted **"), "{shown}");
    assert!(pairs(&request.to_params()).contains(&(
        "PrivateKey".to_owned(),
        "-----BEGIN KEY----- abc".to_owned()
    )));
}

#[test]
fn wrapped_lists_nested_objects_and_maps_parse() {
    let json = r#"{"RequestId":"R","Data":{"Count":"2","Items":{"Item":[
        {"Id":1,"Key":"secret-1","State":"Pending Verification","CreatedAt":1700000000000},
        {"Id":"2","State":"ACTIVE"}]},"Extra":{"k":"v"}}}"#;
    let response: TagResourcesResponse = serde_json::from_str(json).expect("parses");
    let data = response.data.clone().expect("data");
    assert_eq!(data.count, Some(2));
    assert_eq!(data.items.len(), 2);
    assert_eq!(data.items[1].id, Some(2));
    assert_eq!(data.extra.get("k").map(String::as_str), Some("v"));
    assert!(!format!("{response:?}").contains("secret-1"));
}

#[test]
fn a_bill_sums_to_the_cent_with_the_digits_as_sent() {
    // Amounts as the gateway sends them: JSON numbers and numeric text, mixed.
    let body = r#"{"RequestId":"R","Success":true,"Data":{"BillingCycle":"2026-11","Items":{"Item":[
        {"PretaxAmount": 0.1, "Tax": "0.10"},
        {"PretaxAmount": 0.2, "Tax": 0.20},
        {"PretaxAmount": 12345678901234.56, "Tax": "1,000.00"}
    ]}}}"#;
    let response: alibabacloud_bssopenapi_20171214::query_bill::QueryBillResponse =
        serde_json::from_str(body).expect("the bill parses");
    let items = response.data.expect("data").items;
    let amounts: Vec<_> = items.iter().filter_map(|item| item.pretax_amount).collect();
    let shown: Vec<String> = amounts.iter().map(|a| a.to_string()).collect();
    assert_eq!(shown, ["0.1", "0.2", "12345678901234.56"]);
    let sum: alibabacloud_core::wire::Decimal = amounts.iter().sum();
    assert_eq!(sum.to_string(), "12345678901234.86");
    // The scale is kept as sent: text "0.10" stays "0.10".
    let taxes: Vec<String> = items
        .iter()
        .filter_map(|i| i.tax)
        .map(|t| t.to_string())
        .collect();
    assert_eq!(taxes, ["0.10", "0.20", "1000.00"]);
    // What f64 would have made of it.
    assert_ne!(0.1_f64 + 0.2 + 12345678901234.56, 12345678901234.86);
}

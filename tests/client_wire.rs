//! The generated clients on the wire, against a loopback server: what a request looks like
//! under V3 and V1 (checked by recomputing the signature server-side), that every
//! documented sample response parses through `.send()`, and that paginators walk pages.

mod support;

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20180713 as cas2018;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::signing::v3;
use alibabacloud_core::wire::EpochMillis;
use alibabacloud_core::{Credentials, SignatureVersion};
use futures::TryStreamExt;
use support::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A server that verifies every request with [`AK_SECRET`] and answers `body`.
async fn verifying_server(body: &'static str) -> TestServer {
    TestServer::start(move |request, _| signed_or_reject(request, AK_SECRET, Reply::ok(body))).await
}

fn is_timestamp(value: &str) -> bool {
    // 2025-01-02T03:04:05Z
    let b = value.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn is_nonce(value: &str) -> bool {
    value.len() == 32
        && value
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// The parameters the builder sets below, in the generated `to_params` order.
const KEYWORD: &str = "a b*c/~中";

async fn list_orders(
    client: &cas2020::Client,
) -> cas2020::list_user_certificate_order::ListUserCertificateOrderResponse {
    client
        .list_user_certificate_order()
        .keyword(KEYWORD)
        .order_type("CERT")
        .current_page(2)
        .show_size(20)
        .send()
        .await
        .expect("the call succeeds")
}

#[tokio::test]
async fn v3_request_is_a_signed_post_with_exactly_the_builder_params() {
    let server = verifying_server(LIST_USER_CERTIFICATE_ORDER_SAMPLE).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let response = list_orders(&client).await;
    assert_eq!(
        response.request_id.as_deref(),
        Some("15C66C7B-671A-4297-9187-2C4477247A74")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(
        r.query,
        pairs(&[
            ("Keyword", KEYWORD),
            ("OrderType", "CERT"),
            ("CurrentPage", "2"),
            ("ShowSize", "20"),
        ]),
        "V3 sends the operation's parameters and nothing else in the query"
    );
    assert_eq!(
        r.raw_query, "Keyword=a%20b%2Ac%2F~%E4%B8%AD&OrderType=CERT&CurrentPage=2&ShowSize=20",
        "RFC 3986 encoding: %20 for space, %2A for *, ~ kept"
    );
    assert_eq!(r.header("x-acs-action"), Some("ListUserCertificateOrder"));
    assert_eq!(r.header("x-acs-version"), Some("2020-04-07"));
    assert_eq!(
        r.header("host"),
        Some(&server.endpoint()["http://".len()..])
    );
    assert!(is_timestamp(r.header("x-acs-date").unwrap()), "{r:?}");
    assert!(
        is_nonce(r.header("x-acs-signature-nonce").unwrap()),
        "{r:?}"
    );
    assert_eq!(
        r.header("x-acs-content-sha256"),
        Some(v3::hash_payload(b"").as_str())
    );
    assert_eq!(r.header("accept"), Some("application/json"));
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), None);
    assert_eq!(r.header("x-acs-security-token"), None);
    let authorization = r.header("authorization").unwrap();
    assert!(
        authorization.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={AK_ID},SignedHeaders="
        )),
        "{authorization}"
    );
    for v1_only in [
        "Action",
        "Version",
        "Signature",
        "SignatureNonce",
        "AccessKeyId",
    ] {
        assert_eq!(r.param(v1_only), None, "{v1_only} is a V1 parameter");
    }

    // The server recomputes the signature from the bytes it received ...
    verify(r, AK_SECRET).expect("the signature verifies with the right secret");
    // ... and that check has teeth: another secret does not verify.
    assert!(matches!(
        verify(r, "another-secret"),
        Err(Rejection::Mismatch { .. })
    ));
}

#[tokio::test]
async fn v1_request_carries_action_version_and_signature_in_the_query() {
    let server = verifying_server(LIST_USER_CERTIFICATE_ORDER_SAMPLE).await;
    let config = config(&server)
        .signature_version(SignatureVersion::V1)
        .build();
    let client = cas2020::Client::new(&config).unwrap();
    list_orders(&client).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(r.param("Action"), Some("ListUserCertificateOrder"));
    assert_eq!(r.param("Version"), Some("2020-04-07"));
    assert_eq!(r.param("AccessKeyId"), Some(AK_ID));
    assert_eq!(r.param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(r.param("SignatureVersion"), Some("1.0"));
    assert!(is_timestamp(r.param("Timestamp").unwrap()));
    assert!(is_nonce(r.param("SignatureNonce").unwrap()));
    assert!(!r.param("Signature").unwrap().is_empty());
    assert_eq!(r.param("SecurityToken"), None);
    assert_eq!(r.header("authorization"), None, "V1 signs in the query");
    let common = [
        "Action",
        "Format",
        "Version",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
        "AccessKeyId",
        "Signature",
    ];
    let operation_params: Vec<(String, String)> = r
        .query
        .iter()
        .filter(|(k, _)| !common.contains(&k.as_str()))
        .cloned()
        .collect();
    assert_eq!(
        operation_params,
        pairs(&[
            ("Keyword", KEYWORD),
            ("OrderType", "CERT"),
            ("CurrentPage", "2"),
            ("ShowSize", "20"),
        ])
    );
    assert_eq!(
        r.query.last().map(|(k, _)| k.as_str()),
        Some("Signature"),
        "Signature comes last"
    );
    assert!(r.body.is_empty());

    verify(r, AK_SECRET).expect("the V1 signature verifies with the right secret");
    assert!(matches!(
        verify(r, "another-secret"),
        Err(Rejection::Mismatch { .. })
    ));
}

#[tokio::test]
async fn sts_credentials_add_the_security_token() {
    let server = verifying_server(LIST_USER_CERTIFICATE_ORDER_SAMPLE).await;
    let sts = Credentials::new(AK_ID, AK_SECRET).with_security_token("sts-token/+=value");

    // V3: signed x-acs-security-token and x-acs-accesskey-id headers.
    let client = cas2020::Client::new(&config(&server).credentials(sts.clone()).build()).unwrap();
    list_orders(&client).await;
    // V1: a SecurityToken query parameter, covered by the signature.
    let config = config(&server)
        .credentials(sts)
        .signature_version(SignatureVersion::V1)
        .build();
    let client = cas2020::Client::new(&config).unwrap();
    list_orders(&client).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (v3, v1) = (&requests[0], &requests[1]);
    assert_eq!(v3.header("x-acs-security-token"), Some("sts-token/+=value"));
    assert_eq!(v3.header("x-acs-accesskey-id"), Some(AK_ID));
    assert_eq!(v3.header("x-acs-credentials-provider"), Some("static_sts"));
    let authorization = v3.header("authorization").unwrap();
    assert!(
        authorization.contains("x-acs-security-token"),
        "the token header is signed: {authorization}"
    );
    assert_eq!(v1.param("SecurityToken"), Some("sts-token/+=value"));
    assert!(
        v1.raw_query
            .contains("SecurityToken=sts-token%2F%2B%3Dvalue")
    );
    for r in &requests {
        verify(r, AK_SECRET).expect("STS requests verify");
    }
}

// ---------------------------------------------------------------------------------------------
// Every documented sample response parses through `.send()`
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_user_certificate_order_sample_parses() {
    use cas2020::list_user_certificate_order::*;
    let server = verifying_server(LIST_USER_CERTIFICATE_ORDER_SAMPLE).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let response = client.list_user_certificate_order().send().await.unwrap();
    assert_eq!(
        server.requests()[0].action(),
        Some("ListUserCertificateOrder")
    );
    assert_eq!(server.requests()[0].query, vec![]);

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
    assert_eq!(response.certificate_order_list.len(), 1);
    let order = &response.certificate_order_list[0];
    assert_eq!(order.algorithm.as_deref(), Some("RSA"));
    assert_eq!(order.aliyun_order_id, Some(234_567));
    assert_eq!(order.buy_date, Some(EpochMillis(1_634_283_958_000)));
    assert_eq!(order.cert_end_time, Some(EpochMillis(1_665_819_958_000)));
    assert_eq!(order.cert_type, Some(CertificateType::Free));
    assert_eq!(order.domain.as_deref(), Some("aliyundoc.com"));
    assert_eq!(order.domain_count, Some(1));
    assert_eq!(order.domain_type, Some(DomainType::One));
    assert_eq!(order.instance_id.as_deref(), Some("cas-instanceId"));
    assert_eq!(order.order_id, Some(2_345_687));
    assert_eq!(order.root_brand, Some(RootBrand::Cfca));
    assert_eq!(order.source_type, Some(OrderSourceType::Buy));
    assert_eq!(order.status, Some(CertificateOrderStatus::Payed));
    assert_eq!(order.trustee_status, Some(TrusteeStatus::UnTrustee));
    assert_eq!(order.wild_domain_count, Some(0));
    assert_eq!(order.certificate_id, Some(896_521));
    assert_eq!(order.org_name.as_deref(), Some("Alibaba Cloud\n"));
    assert_eq!(order.sans.as_deref(), Some("aliyun.com"));
    assert_eq!(order.expired, Some(true));
    assert_eq!(order.upload, Some(false));
    assert_eq!(order.end_date.as_deref(), Some("2022-11-17"));
    assert_eq!(order.resource_group_id.as_deref(), Some("rg-ae******4wia"));
}

#[tokio::test]
async fn list_deployment_job_cert_sample_parses() {
    use cas2020::list_deployment_job_cert::*;
    let server = verifying_server(LIST_DEPLOYMENT_JOB_CERT_SAMPLE).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let response = client
        .list_deployment_job_cert()
        .job_id(1234_i64)
        .send()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.action(), Some("ListDeploymentJobCert"));
    assert_eq!(r.query, pairs(&[("JobId", "1234")]));

    assert_eq!(
        response.request_id.as_deref(),
        Some("15C66C7B-671A-4297-9187-2C4477247A74")
    );
    assert_eq!(response.data.len(), 1);
    let cert = &response.data[0];
    assert_eq!(cert.cert_id, Some(11_174_100));
    assert_eq!(cert.order_id, Some(6_127_067));
    assert_eq!(cert.cert_instance_id.as_deref(), Some("cas-ivauto-2crxzi"));
    assert_eq!(
        cert.common_name.as_deref(),
        Some("vaultwebhook.vault-webhook.svc")
    );
    assert_eq!(cert.sans, vec!["aliyundoc.com".to_owned()]);
    assert_eq!(cert.not_before_time, Some(EpochMillis(1_683_625_266_108)));
    assert_eq!(cert.month, Some(12));
    assert_eq!(cert.status_code, Some(CertStatusCode::Issued));
    assert_eq!(cert.cert_type.as_deref(), Some("DV"));
    assert_eq!(cert.cert_order_type, Some(CertOrderType::Buy));
    assert_eq!(cert.is_trustee, Some(true));
}

#[tokio::test]
async fn a_missing_required_parameter_is_reported_before_sending() {
    let server = verifying_server(LIST_DEPLOYMENT_JOB_CERT_SAMPLE).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = client.list_deployment_job_cert().send().await.unwrap_err();
    assert_eq!(error.kind(), alibabacloud_core::error::ErrorKind::Build);
    assert!(error.to_string().contains("JobId"), "{error}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn describe_order_instance_list_sample_parses() {
    use cas2018::describe_order_instance_list::*;
    let server = verifying_server(DESCRIBE_ORDER_INSTANCE_LIST_SAMPLE).await;
    let client = cas2018::Client::new(&config(&server).build()).unwrap();
    let response = client
        .describe_order_instance_list()
        .start_index(0)
        .send()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.action(), Some("DescribeOrderInstanceList"));
    assert_eq!(r.header("x-acs-version"), Some("2018-07-13"));
    assert_eq!(r.query, pairs(&[("StartIndex", "0")]));
    assert!(
        r.body.is_empty(),
        "query only, no duplicated body (quirk Q1)"
    );

    assert_eq!(
        response.request_id.as_deref(),
        Some("5BCD2F6C-7A9D-47C1-8588-2CC6A4E0BE5E")
    );
    assert_eq!(response.total_count, Some(145));
    assert_eq!(response.order_list.len(), 2);
    let first = &response.order_list[0];
    assert_eq!(first.id, Some(2_755_629));
    assert_eq!(first.source, Some(OrderSource::Buy));
    assert_eq!(first.status, Some(OrderInstanceStatus::Payed));
    assert_eq!(first.cert_type, Some(OrderInstanceCertType::Ev));
    assert_eq!(first.instance_id.as_deref(), Some("cas-cn-68n1mm16****"));
    assert_eq!(
        response.order_list[1].status,
        Some(OrderInstanceStatus::Checking)
    );
    assert_eq!(
        response.order_list[1].cert_type,
        Some(OrderInstanceCertType::Ov)
    );
}

#[tokio::test]
async fn describe_dv_order_result_sample_parses() {
    use cas2018::describe_dv_order_result::*;
    let server = verifying_server(DESCRIBE_DV_ORDER_RESULT_SAMPLE).await;
    let client = cas2018::Client::new(&config(&server).build()).unwrap();
    let response = client
        .describe_dv_order_result()
        .instance_id("cas-cn-68n1mm16****")
        .lang("zh")
        .send()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.action(), Some("DescribeDVOrderResult"));
    assert_eq!(
        r.query,
        pairs(&[("Lang", "zh"), ("InstanceId", "cas-cn-68n1mm16****")])
    );

    assert_eq!(
        response.request_id.as_deref(),
        Some("EECA10D5-BD0F-4EF1-B3EA-B4578E5C6F8E")
    );
    assert_eq!(response.check_type, Some(DvCheckType::Dns));
    assert_eq!(response.order_status, Some(DvOrderStatus::Checking));
    assert_eq!(
        response.check_name.as_deref(),
        Some("_xx.aliyundns2018****")
    );
    assert_eq!(
        response.check_value.as_deref(),
        Some("201810150000000k09v6d4........")
    );
    assert!(
        response
            .certificate
            .as_deref()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert!(
        response
            .private_key
            .as_deref()
            .unwrap()
            .contains("PRIVATE KEY")
    );
    let shown = format!("{response:?}");
    assert!(
        !shown.contains("MII...."),
        "Debug redacts the private key: {shown}"
    );
}

#[tokio::test]
async fn bss_order_list_sample_parses_for_query_orders_and_describe_order_list() {
    let server = verifying_server(DESCRIBE_ORDER_LIST_SAMPLE).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();

    let query = client
        .query_orders()
        .page_num(1)
        .page_size(20)
        .payment_status("Paid")
        .send()
        .await
        .unwrap();
    let describe = client
        .describe_order_list()
        .page_num(1)
        .page_size(20)
        .send()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].action(), Some("QueryOrders"));
    assert_eq!(requests[0].header("x-acs-version"), Some("2017-12-14"));
    assert_eq!(
        requests[0].query,
        pairs(&[
            ("PageNum", "1"),
            ("PageSize", "20"),
            ("PaymentStatus", "Paid")
        ])
    );
    assert_eq!(requests[1].action(), Some("DescribeOrderList"));

    {
        use bss::query_orders::*;
        assert_eq!(
            query.request_id.as_deref(),
            Some("61293E7A-3406-4447-8620-EC88B0AA66AD")
        );
        assert_eq!(query.success, Some(true));
        assert_eq!(query.code.as_deref(), Some("Success"));
        let data = query.data.as_ref().unwrap();
        assert_eq!(data.host_name.as_deref(), Some("test"));
        assert_eq!(
            (data.page_num, data.page_size, data.total_count),
            (Some(1), Some(20), Some(1))
        );
        assert_eq!(
            data.order_list.len(),
            1,
            "the Data.OrderList.Order wrapper is unwrapped"
        );
        let order = &data.order_list[0];
        assert_eq!(order.order_id.as_deref(), Some("34532532"));
        assert_eq!(
            order.after_tax_amount.map(|a| a.to_string()).as_deref(),
            Some("66")
        );
        assert_eq!(order.subscription_type, Some(SubscriptionType::PayAsYouGo));
        assert_eq!(order.order_type, Some(OrderType::New));
        assert_eq!(order.payment_status, Some(PaymentStatus::Paid));
        assert_eq!(order.create_time.as_deref(), Some("2017-06-08T09:41:30Z"));
    }
    {
        let data = describe.data.as_ref().unwrap();
        assert_eq!(
            describe.request_id.as_deref(),
            Some("61293E7A-3406-4447-8620-EC88B0AA66AD")
        );
        assert_eq!(data.total_count, Some(1));
        assert_eq!(data.order_list[0].order_id.as_deref(), Some("34532532"));
        assert_eq!(data.order_list[0].product_code.as_deref(), Some("rds"));
    }
}

// ---------------------------------------------------------------------------------------------
// Paginators
// ---------------------------------------------------------------------------------------------

/// Five items, served honestly: a page beyond the end is empty, so a paginator that ignored
/// TotalCount would ask for one more page than a correct one.
const TOTAL: usize = 5;

fn int_param(request: &Recorded, name: &str) -> Option<usize> {
    request
        .param(name)
        .map(|v| v.parse().expect("integer parameter"))
}

async fn certificate_order_server() -> TestServer {
    TestServer::start(|request, _| {
        let page = int_param(request, "CurrentPage").unwrap_or(1);
        let size = int_param(request, "ShowSize").unwrap_or(50);
        let items: Vec<_> = ((page - 1) * size..(page * size).min(TOTAL))
            .map(|i| serde_json::json!({"InstanceId": format!("cas-{i}"), "OrderId": i}))
            .collect();
        let body = serde_json::json!({
            "RequestId": format!("R-{page}"),
            "CurrentPage": page,
            "ShowSize": size,
            "TotalCount": TOTAL,
            "CertificateOrderList": items,
        });
        signed_or_reject(request, AK_SECRET, Reply::ok(body.to_string()))
    })
    .await
}

#[tokio::test]
async fn list_user_certificate_order_pages_stop_at_total_count() {
    let server = certificate_order_server().await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let pages: Vec<_> = client
        .list_user_certificate_order()
        .order_type("CERT")
        .current_page(1)
        .show_size(2)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.certificate_order_list.len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    let ids: Vec<&str> = pages
        .iter()
        .filter_map(|p| p.request_id.as_deref())
        .collect();
    assert_eq!(ids, ["R-1", "R-2", "R-3"]);

    let requests = server.requests();
    assert_eq!(
        requests.len(),
        3,
        "no request after TotalCount items were seen"
    );
    for (i, r) in requests.iter().enumerate() {
        assert_eq!(
            r.query,
            pairs(&[
                ("OrderType", "CERT"),
                ("CurrentPage", &(i + 1).to_string()),
                ("ShowSize", "2"),
            ]),
            "page {}",
            i + 1
        );
    }
}

#[tokio::test]
async fn list_user_certificate_order_items_walk_every_page() {
    let server = certificate_order_server().await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let items: Vec<_> = client
        .list_user_certificate_order()
        .show_size(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .map(|o| o.instance_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["cas-0", "cas-1", "cas-2", "cas-3", "cas-4"]);
    let pages: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.param("CurrentPage").map(str::to_owned))
        .collect();
    // Without a start page the first request leaves CurrentPage out (the server's page 1).
    assert_eq!(pages, [None, Some("2".to_owned()), Some("3".to_owned())]);
}

#[tokio::test]
async fn describe_order_instance_list_pages_advance_start_index_by_items() {
    const SERVER_PAGE: usize = 2; // page size is server-defined for this API
    let server = TestServer::start(|request, _| {
        let start = int_param(request, "StartIndex").expect("StartIndex is required");
        let items: Vec<_> = (start..(start + SERVER_PAGE).min(TOTAL))
            .map(|i| serde_json::json!({"Id": i, "InstanceId": format!("cas-{i}"), "Status": "Issued"}))
            .collect();
        let body = serde_json::json!({
            "RequestId": format!("R-{start}"),
            "TotalCount": TOTAL,
            "OrderList": items,
        });
        signed_or_reject(request, AK_SECRET, Reply::ok(body.to_string()))
    })
    .await;
    let client = cas2018::Client::new(&config(&server).build()).unwrap();

    let pages: Vec<_> = client
        .describe_order_instance_list()
        .start_index(0)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let starts: Vec<_> = server
        .requests()
        .iter()
        .map(|r| int_param(r, "StartIndex").unwrap())
        .collect();
    assert_eq!(starts, [0, 2, 4]);

    let items: Vec<_> = client
        .describe_order_instance_list()
        .start_index(0)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|o| o.id.unwrap()).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4]);
    assert_eq!(server.count(), 6);
}

#[tokio::test]
async fn query_orders_pages_use_page_num_and_the_total_under_data() {
    let server = TestServer::start(|request, _| {
        let page = int_param(request, "PageNum").unwrap_or(1);
        let size = int_param(request, "PageSize").unwrap_or(20);
        let orders: Vec<_> = ((page - 1) * size..(page * size).min(TOTAL))
            .map(|i| serde_json::json!({"OrderId": format!("{}", 1000 + i), "PaymentStatus": "Paid"}))
            .collect();
        let body = serde_json::json!({
            "RequestId": format!("R-{page}"),
            "Success": true,
            "Code": "Success",
            "Message": "Successful!",
            "Data": {
                "PageNum": page,
                "PageSize": size,
                "TotalCount": TOTAL,
                "OrderList": {"Order": orders},
            },
        });
        signed_or_reject(request, AK_SECRET, Reply::ok(body.to_string()))
    })
    .await;
    let client = bss::Client::new(&config(&server).build()).unwrap();

    let pages: Vec<_> = client
        .query_orders()
        .page_num(1)
        .page_size(2)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages
        .iter()
        .map(|p| p.data.as_ref().unwrap().order_list.len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for (i, r) in requests.iter().enumerate() {
        assert_eq!(
            r.query,
            pairs(&[("PageNum", &(i + 1).to_string()), ("PageSize", "2")])
        );
    }

    let items: Vec<_> = client
        .query_orders()
        .page_size(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|o| o.order_id.clone().unwrap()).collect();
    assert_eq!(ids, ["1000", "1001", "1002", "1003", "1004"]);
    assert_eq!(server.count(), 6);
}

//! The data-backed operations through the generated clients: filters, pagination, the
//! documented shapes, and the state they share.

mod common;

use std::time::{Duration, SystemTime};

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20180713 as cas2018;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::SignatureVersion;
use alibabacloud_emulator::{DataSet, Emulator};
use common::*;
use futures::TryStreamExt;

#[tokio::test]
async fn list_user_certificate_order_filters_and_pages() {
    let data = DataSet::seeded();
    let emulator = Emulator::builder()
        .data(data.clone())
        .start()
        .await
        .unwrap();
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();

    // Default: CPACK orders, 50 per page.
    let first = client.list_user_certificate_order().send().await.unwrap();
    let cpack = data
        .certificate_orders
        .iter()
        .filter(|o| o.source_type == "cpack")
        .count();
    assert_eq!(first.total_count, Some(cpack as i64));
    assert_eq!(first.show_size, Some(50));
    assert_eq!(first.current_page, Some(1));
    assert_eq!(first.certificate_order_list.len(), 50);
    let all: Vec<_> = client
        .list_user_certificate_order()
        .show_size(40)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), cpack);

    // Every order status is present, for CPACK and BUY.
    for order_type in ["CPACK", "BUY"] {
        for status in [
            "PAYED",
            "CHECKING",
            "CHECKED_FAIL",
            "ISSUED",
            "WILLEXPIRED",
            "EXPIRED",
            "NOTACTIVATED",
            "REVOKED",
        ] {
            let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
                .param("OrderType", order_type)
                .param("Status", status)
                .send(&emulator)
                .await;
            let rows = reply.body["CertificateOrderList"].as_array().unwrap();
            assert!(!rows.is_empty(), "{order_type} {status}");
            assert!(rows.iter().all(|r| r["Status"] == status));
            assert!(
                rows.iter()
                    .all(|r| r["SourceType"] == order_type.to_ascii_lowercase())
            );
        }
    }

    // CERT with no status: valid certificates only.
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .param("OrderType", "CERT")
        .param("ShowSize", "1000")
        .send(&emulator)
        .await;
    let valid = reply.body["CertificateOrderList"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!valid.is_empty());
    assert!(
        valid
            .iter()
            .all(|r| r["Expired"] == false && r["CertificateId"].is_i64())
    );
    assert!((valid.len() as usize) < data.certificates.len());
    let expired = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .param("OrderType", "CERT")
        .param("Status", "EXPIRED")
        .param("ShowSize", "1000")
        .send(&emulator)
        .await;
    let expired = expired.body["CertificateOrderList"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!expired.is_empty() && expired.iter().all(|r| r["Expired"] == true));
    let will_expire = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .param("OrderType", "CERT")
        .param("Status", "WILLEXPIRED")
        .send(&emulator)
        .await;
    let will_expire = will_expire.body["TotalCount"].as_u64().unwrap();
    assert!(will_expire > 0);
    assert_eq!(
        (valid.len() + expired.len()) as u64,
        data.certificates.len() as u64,
        "every certificate is valid or expired"
    );

    // UPLOAD: uploaded certificates only.
    let uploads = client
        .list_user_certificate_order()
        .order_type("UPLOAD")
        .status("EXPIRED")
        .send()
        .await
        .unwrap();
    assert!(uploads.total_count.unwrap() > 0);
    assert!(
        uploads
            .certificate_order_list
            .iter()
            .all(|c| c.upload == Some(true))
    );

    // Keyword: fuzzy on domain and instance id.
    let target = data
        .certificate_orders
        .iter()
        .find(|o| o.source_type == "cpack")
        .unwrap();
    let by_id = client
        .list_user_certificate_order()
        .keyword(target.instance_id[4..].to_ascii_uppercase())
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.total_count, Some(1));
    assert_eq!(
        by_id.certificate_order_list[0].instance_id.as_deref(),
        Some(target.instance_id.as_str())
    );
    let by_domain = client
        .list_user_certificate_order()
        .order_type("CERT")
        .status("ISSUED")
        .keyword("wonka")
        .show_size(500)
        .send()
        .await
        .unwrap();
    assert!(
        by_domain.certificate_order_list.iter().all(|c| c
            .common_name
            .as_deref()
            .unwrap()
            .contains("wonka")
            || c.sans.as_deref().unwrap().contains("wonka"))
    );

    // Past the last page: empty, same total.
    let past = client
        .list_user_certificate_order()
        .current_page(99)
        .send()
        .await
        .unwrap();
    assert!(past.certificate_order_list.is_empty());
    assert_eq!(past.total_count, Some(cpack as i64));
    emulator.shutdown().await;
}

#[tokio::test]
async fn describe_order_instance_list_pages_by_start_index() {
    let emulator = Emulator::start().await.unwrap();
    let client = cas2018::Client::new(&config(&emulator).build()).unwrap();
    let first = client
        .describe_order_instance_list()
        .start_index(0)
        .send()
        .await
        .unwrap();
    assert_eq!(first.order_list.len(), 10);
    let total = first.total_count.unwrap();
    assert!(total > 10);
    let all: Vec<_> = client
        .describe_order_instance_list()
        .start_index(0)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), total as usize);
    let last = client
        .describe_order_instance_list()
        .start_index(total - 3)
        .send()
        .await
        .unwrap();
    assert_eq!(last.order_list.len(), 3);
    // Every documented status appears, as documented (no Unknown fallback).
    let mut statuses = std::collections::BTreeSet::new();
    for start in (0..total).step_by(10) {
        let reply = Call::new(&emulator, "DescribeOrderInstanceList", CAS2018)
            .param("StartIndex", &start.to_string())
            .send(&emulator)
            .await;
        for row in reply.body["OrderList"].as_array().unwrap() {
            assert!(row["Id"].is_i64() && row["InstanceId"].is_string());
            statuses.insert(row["Status"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(statuses.len(), 8, "{statuses:?}");
    assert!(
        all.iter()
            .all(|i| !format!("{:?}", i.status).contains("Unknown"))
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn describe_dv_order_result_answers_checking_and_issued_orders() {
    let data = DataSet::seeded();
    let emulator = Emulator::builder()
        .data(data.clone())
        .start()
        .await
        .unwrap();
    let client = cas2018::Client::new(&config(&emulator).build()).unwrap();
    let find = |status: &str| {
        data.order_instances
            .iter()
            .find(|i| i.dv.as_ref().is_some_and(|dv| dv.order_status == status))
            .unwrap()
            .instance_id
            .clone()
    };

    let issued = client
        .describe_dv_order_result()
        .instance_id(find("issued"))
        .send()
        .await
        .unwrap();
    let certificate = issued.certificate.unwrap();
    assert!(certificate.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(
        certificate.matches("-----BEGIN CERTIFICATE-----").count(),
        2,
        "leaf + CA"
    );
    assert!(
        issued
            .private_key
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );

    let reply = Call::new(&emulator, "DescribeDVOrderResult", CAS2018)
        .param("InstanceId", &find("checking"))
        .send(&emulator)
        .await;
    assert_eq!(reply.body["OrderStatus"], "checking");
    assert!(reply.body["CheckName"].as_str().unwrap().len() > 3);
    assert!(["DNS", "FILE"].contains(&reply.body["CheckType"].as_str().unwrap()));
    assert!(reply.body.get("Certificate").is_none());

    let reply = Call::new(&emulator, "DescribeDVOrderResult", CAS2018)
        .param("InstanceId", "cas-cn-nope")
        .send(&emulator)
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (404, "InvalidInstanceId.NotFound")
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn list_deployment_job_cert_answers_known_jobs_only() {
    let emulator = Emulator::start().await.unwrap();
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();
    let job = client
        .list_deployment_job_cert()
        .job_id(8888)
        .send()
        .await
        .unwrap();
    assert!(!job.data.is_empty());
    assert!(
        job.data
            .iter()
            .all(|c| !c.sans.is_empty() && c.cert_id.is_some())
    );

    let error = client
        .list_deployment_job_cert()
        .job_id(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidJobId.NotFound"));
    assert_eq!(error.http_status(), Some(404));
    emulator.shutdown().await;
}

#[tokio::test]
async fn query_orders_and_describe_order_list_share_the_billing_orders() {
    let data = DataSet::seeded();
    let emulator = Emulator::builder()
        .data(data.clone())
        .start()
        .await
        .unwrap();
    let client = bss::Client::new(&config(&emulator).build()).unwrap();

    // Default window: the last hour.
    let recent = client.query_orders().send().await.unwrap();
    assert_eq!(recent.success, Some(true));
    assert_eq!(recent.code.as_deref(), Some("Success"));
    let recent_data = recent.data.unwrap();
    assert_eq!(recent_data.total_count, Some(6));
    assert_eq!(recent_data.page_size, Some(20));

    // 90 days, paged, newest first; both operations agree.
    let start =
        alibabacloud_core::signing::timestamp(SystemTime::now() - Duration::from_secs(91 * 86_400));
    let end = alibabacloud_core::signing::timestamp(SystemTime::now());
    let all: Vec<_> = client
        .query_orders()
        .create_time_start(start.clone())
        .create_time_end(end.clone())
        .page_size(100)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), data.billing_orders.len());
    let times: Vec<_> = all.iter().map(|o| o.create_time.clone().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(
        all.iter()
            .all(|o| o.pretax_amount.unwrap().to_string().contains('.'))
    );

    for (version, action) in [
        (SignatureVersion::V3, "QueryOrders"),
        (SignatureVersion::V1, "DescribeOrderList"),
    ] {
        let mut call = Call::new(&emulator, action, BSS)
            .param("CreateTimeStart", &start)
            .param("CreateTimeEnd", &end)
            .param("OrderType", "Refund")
            .param("PageNum", "1")
            .param("PageSize", "300");
        if version == SignatureVersion::V1 {
            call = call.v1();
        }
        let reply = call.send(&emulator).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let orders = reply.body["Data"]["OrderList"]["Order"].as_array().unwrap();
        let refunds = data
            .billing_orders
            .iter()
            .filter(|o| o.order_type == "Refund")
            .count();
        assert_eq!(orders.len(), refunds);
        assert_eq!(reply.body["Data"]["TotalCount"], refunds);
        assert!(
            orders
                .iter()
                .all(|o| o["OrderType"] == "Refund" && o["OrderId"].is_string())
        );
    }

    let paid_ecs = client
        .describe_order_list()
        .create_time_start(start.clone())
        .product_code("ecs")
        .payment_status("Paid")
        .page_size(300)
        .send()
        .await
        .unwrap();
    let expected = data
        .billing_orders
        .iter()
        .filter(|o| o.product_code == "ecs" && o.payment_status == "Paid")
        .count();
    assert_eq!(paid_ecs.data.unwrap().total_count, Some(expected as i32));

    let reply = Call::new(&emulator, "QueryOrders", BSS)
        .param("OwnerId", "42")
        .send(&emulator)
        .await;
    assert_eq!((reply.status, reply.code()), (400, "InvalidOwner"));
    let reply = Call::new(&emulator, "QueryOrders", BSS)
        .param("CreateTimeStart", "yesterday")
        .send(&emulator)
        .await;
    assert_eq!(reply.code(), "InvalidParameter");
    emulator.shutdown().await;
}

/// The keys of a JSON object.
fn keys(value: &serde_json::Value) -> std::collections::BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn fixture(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../../tests/fixtures/responses/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn responses_use_the_documented_field_names() {
    let data = DataSet::seeded();
    let emulator = Emulator::builder()
        .data(data.clone())
        .start()
        .await
        .unwrap();

    let doc = fixture("ListUserCertificateOrder");
    let doc_row = keys(&doc["CertificateOrderList"][0]);
    for order_type in ["CPACK", "CERT"] {
        let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
            .param("OrderType", order_type)
            .send(&emulator)
            .await;
        assert_eq!(keys(&reply.body), keys(&doc));
        for row in reply.body["CertificateOrderList"].as_array().unwrap() {
            assert!(keys(row).is_subset(&doc_row), "{order_type}: {row}");
        }
    }

    let doc = fixture("DescribeOrderInstanceList");
    let reply = Call::new(&emulator, "DescribeOrderInstanceList", CAS2018)
        .param("StartIndex", "0")
        .send(&emulator)
        .await;
    assert_eq!(keys(&reply.body), keys(&doc));
    assert_eq!(
        keys(&reply.body["OrderList"][0]),
        keys(&doc["OrderList"][0])
    );

    let doc = fixture("DescribeDVOrderResult");
    let issued = data
        .order_instances
        .iter()
        .find(|i| i.dv.as_ref().is_some_and(|d| d.certificate.is_some()))
        .unwrap();
    let reply = Call::new(&emulator, "DescribeDVOrderResult", CAS2018)
        .param("InstanceId", &issued.instance_id)
        .send(&emulator)
        .await;
    assert_eq!(keys(&reply.body), keys(&doc));

    let doc = fixture("ListDeploymentJobCert");
    let reply = Call::new(&emulator, "ListDeploymentJobCert", CAS2020)
        .param("JobId", "8888")
        .send(&emulator)
        .await;
    assert_eq!(keys(&reply.body), keys(&doc));
    for row in reply.body["Data"].as_array().unwrap() {
        assert!(keys(row).is_subset(&keys(&doc["Data"][0])), "{row}");
    }

    let doc = fixture("DescribeOrderList");
    let reply = Call::new(&emulator, "DescribeOrderList", BSS)
        .send(&emulator)
        .await;
    assert_eq!(keys(&reply.body), keys(&doc));
    assert_eq!(keys(&reply.body["Data"]), keys(&doc["Data"]));
    assert_eq!(
        keys(&reply.body["Data"]["OrderList"]["Order"][0]),
        keys(&doc["Data"]["OrderList"]["Order"][0])
    );
    emulator.shutdown().await;
}

//! Routing and catalog validation: unknown actions, missing required parameters, wrong
//! types and values outside the documented enums; the error body's fields.

mod common;

use alibabacloud_emulator::Emulator;
use common::*;

fn is_request_id(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase())
}

#[tokio::test]
async fn every_catalog_operation_is_routed() {
    let emulator = Emulator::start().await.unwrap();
    for product in alibabacloud_catalog::PRODUCTS {
        for op in product.operations {
            let reply = Call::new(&emulator, op.operation.action, product.service.version)
                .send(&emulator)
                .await;
            assert_ne!(
                reply.code(),
                "InvalidApi.NotFound",
                "{} {}",
                product.service.version,
                op.operation.action
            );
        }
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_action_is_invalid_api_not_found() {
    let emulator = Emulator::start().await.unwrap();
    for call in [
        Call::new(&emulator, "DeleteEverything", CAS2020),
        Call::new(&emulator, "DeleteEverything", CAS2020).v1(),
        // A real action under another product's version.
        Call::new(&emulator, "ListUserCertificateOrder", CAS2018),
        Call::new(&emulator, "QueryOrders", "2099-01-01"),
    ] {
        let reply = call.send(&emulator).await;
        assert_eq!((reply.status, reply.code()), (404, "InvalidApi.NotFound"));
        assert_eq!(
            reply.message(),
            "Specified api is not found, please check your url and method."
        );
        let body = &reply.body;
        assert!(is_request_id(body["RequestId"].as_str().unwrap()), "{body}");
        assert_eq!(body["HostId"], emulator.local_addr().to_string());
        assert!(
            body["Recommend"]
                .as_str()
                .unwrap()
                .starts_with("https://api.aliyun.com/troubleshoot?q=InvalidApi.NotFound&product=")
        );
    }
    let recorded = emulator.requests();
    assert_eq!(recorded.len(), 4);
    assert_eq!(recorded[0].action.as_deref(), Some("DeleteEverything"));
    assert_eq!(recorded[0].status, 404);
    assert_eq!(recorded[0].code.as_deref(), Some("InvalidApi.NotFound"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_missing_required_parameter_is_400_missing_param() {
    let emulator = Emulator::start().await.unwrap();
    for (action, version, param) in [
        ("ListDeploymentJobCert", CAS2020, "JobId"),
        ("DescribeDVOrderResult", CAS2018, "InstanceId"),
        ("DescribeOrderInstanceList", CAS2018, "StartIndex"),
        ("AssumeRole", STS, "RoleArn"),
    ] {
        for call in [
            Call::new(&emulator, action, version),
            Call::new(&emulator, action, version).v1(),
        ] {
            let reply = call.send(&emulator).await;
            assert_eq!(reply.status, 400, "{action}: {}", reply.body);
            assert_eq!(reply.code(), format!("Missing{param}"));
            assert_eq!(
                reply.message(),
                format!("{param} is mandatory for this action.")
            );
        }
    }
    // Empty counts as missing.
    let reply = Call::new(&emulator, "DescribeDVOrderResult", CAS2018)
        .param("InstanceId", "")
        .send(&emulator)
        .await;
    assert_eq!(reply.code(), "MissingInstanceId");
    emulator.shutdown().await;
}

#[tokio::test]
async fn bad_types_and_enum_values_are_invalid_parameter() {
    let emulator = Emulator::start().await.unwrap();
    for (action, version, param, value) in [
        ("ListUserCertificateOrder", CAS2020, "OrderType", "cpack"),
        ("ListUserCertificateOrder", CAS2020, "Status", "ACTIVE"),
        ("ListUserCertificateOrder", CAS2020, "CurrentPage", "one"),
        ("ListUserCertificateOrder", CAS2020, "ShowSize", "1.5"),
        ("ListDeploymentJobCert", CAS2020, "JobId", "8888x"),
        (
            "DescribeOrderInstanceList",
            CAS2018,
            "StartIndex",
            "4294967296",
        ),
        ("DescribeOrderInstanceList", CAS2018, "Lang", "fr"),
        ("QueryOrders", BSS, "PaymentStatus", "Refunded"),
        ("QueryOrders", BSS, "PageSize", "ten"),
        ("AssumeRole", STS, "DurationSeconds", "1h"),
    ] {
        let mut call = Call::new(&emulator, action, version).param(param, value);
        if action == "DescribeOrderInstanceList" && param != "StartIndex" {
            call = call.param("StartIndex", "0");
        }
        if action == "AssumeRole" {
            call = call
                .param("RoleArn", "acs:ram::1:role/r")
                .param("RoleSessionName", "s1");
        }
        let reply = call.send(&emulator).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "InvalidParameter"),
            "{action} {param}={value}: {}",
            reply.body
        );
        assert_eq!(
            reply.message(),
            format!("Specified parameter {param} is not valid.")
        );
    }
    emulator.shutdown().await;
}

//! Error shapes as the generated clients report them: gateway error bodies in either key
//! case, non-JSON bodies, Billing's `Success: false` on HTTP 200, success bodies that do
//! not parse, and the wrong-secret diagnosis of `SignatureDoesNotMatch`.

mod support;

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::{Config, Credentials, Error, SignatureVersion};
use support::*;

async fn call(config: &Config) -> Error {
    let client = cas2020::Client::new(config).unwrap();
    client
        .list_user_certificate_order()
        .send()
        .await
        .expect_err("the call fails")
}

const DENIED: &str = "You are not authorized to do this action. You should be authorized by RAM.";

#[tokio::test]
async fn a_json_error_body_fills_every_accessor() {
    let body = serde_json::json!({
        "RequestId": "7B8C1A2E-0000-4D6B-9C1F-ACCESSDENIED",
        "HostId": "cas.aliyuncs.com",
        "Code": "NoPermission",
        "Message": DENIED,
        "Recommend": "https://api.aliyun.com/troubleshoot?q=NoPermission&product=cas",
        "AccessDeniedDetail": {
            "PolicyType": "AccountLevelIdentityBasedPolicy",
            "AuthPrincipalOwnerId": "1234567890123456",
            "AuthPrincipalType": "SubUser",
            "AuthPrincipalDisplayName": "dev@example.onaliyun.com",
            "NoPermissionType": "ImplicitDeny",
            "AuthAction": "yundun-cert:ListUserCertificateOrder",
            "EncodedDiagnosticMessage": "AQEAAAAA..."
        }
    });
    let server = TestServer::always(Reply::json(403, body.to_string())).await;
    let error = call(&config(&server).build()).await;

    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.operation(), Some("ListUserCertificateOrder"));
    assert_eq!(error.code(), Some("NoPermission"));
    assert_eq!(error.message(), DENIED);
    assert_eq!(
        error.request_id(),
        Some("7B8C1A2E-0000-4D6B-9C1F-ACCESSDENIED")
    );
    assert_eq!(error.host_id(), Some("cas.aliyuncs.com"));
    assert_eq!(
        error.recommend(),
        Some("https://api.aliyun.com/troubleshoot?q=NoPermission&product=cas")
    );
    assert_eq!(error.http_status(), Some(403));
    let detail = error.access_denied_detail().expect("RAM detail");
    assert_eq!(detail.no_permission_type.as_deref(), Some("ImplicitDeny"));
    assert_eq!(
        detail.auth_action.as_deref(),
        Some("yundun-cert:ListUserCertificateOrder")
    );
    assert_eq!(detail.auth_principal_type.as_deref(), Some("SubUser"));
    assert_eq!(
        detail.auth_principal_owner_id.as_deref(),
        Some("1234567890123456")
    );
    assert_eq!(
        detail.policy_type.as_deref(),
        Some("AccountLevelIdentityBasedPolicy")
    );
    assert_eq!(
        detail.encoded_diagnostic_message.as_deref(),
        Some("AQEAAAAA...")
    );
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);

    // Display: operation, code, status, message, request id.
    assert_eq!(
        error.to_string(),
        format!(
            "ListUserCertificateOrder: NoPermission (HTTP 403): {DENIED} (RequestId: 7B8C1A2E-0000-4D6B-9C1F-ACCESSDENIED)"
        )
    );
}

#[tokio::test]
async fn lowercase_error_keys_are_read_too() {
    let body = serde_json::json!({
        "requestId": "req-lower",
        "hostId": "cas.aliyuncs.com",
        "code": "Forbidden.RAM",
        "message": "User not authorized to operate on the specified resource.",
        "recommend": "https://api.aliyun.com/troubleshoot?q=Forbidden.RAM",
        "accessDeniedDetail": {"NoPermissionType": "ExplicitDeny", "AuthAction": "yundun-cert:ListUserCertificateOrder"}
    });
    let server = TestServer::always(Reply::json(403, body.to_string())).await;
    let error = call(&config(&server).build()).await;
    assert_eq!(error.code(), Some("Forbidden.RAM"));
    assert_eq!(
        error.message(),
        "User not authorized to operate on the specified resource."
    );
    assert_eq!(error.request_id(), Some("req-lower"));
    assert_eq!(error.host_id(), Some("cas.aliyuncs.com"));
    assert_eq!(
        error.recommend(),
        Some("https://api.aliyun.com/troubleshoot?q=Forbidden.RAM")
    );
    let detail = error.access_denied_detail().expect("RAM detail");
    assert_eq!(detail.no_permission_type.as_deref(), Some("ExplicitDeny"));
    let shown = error.to_string();
    for part in ["Forbidden.RAM", "User not authorized", "req-lower"] {
        assert!(shown.contains(part), "{shown}");
    }
}

#[tokio::test]
async fn an_html_502_is_a_status_error_with_an_excerpt() {
    let filler = "x".repeat(400);
    let html = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<p>{filler}</p></body></html>"
    );
    let server = TestServer::always(Reply::raw(502, "text/html", html)).await;
    let error = call(&config(&server).build()).await;
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), None);
    assert_eq!(error.http_status(), Some(502));
    assert_eq!(error.request_id(), None);
    assert!(
        error.message().contains("<title>502 Bad Gateway</title>"),
        "{}",
        error.message()
    );
    assert!(
        error.message().ends_with("..."),
        "a long body is cut: {}",
        error.message()
    );
    assert!(error.message().len() < 300, "{}", error.message());
    assert!(
        error
            .to_string()
            .starts_with("ListUserCertificateOrder: HTTP 502: "),
        "{error}"
    );
    assert!(error.is_retryable(), "a 5xx from a proxy is worth a retry");
    assert_eq!(server.count(), 3);

    // An empty error body too.
    let server = TestServer::always(Reply::raw(504, "text/plain", "")).await;
    let error = call(
        &config(&server)
            .retry_policy(RetryPolicy::disabled())
            .build(),
    )
    .await;
    assert_eq!(error.http_status(), Some(504));
    assert!(error.message().contains("(empty)"), "{}", error.message());
}

#[tokio::test]
async fn bss_success_false_on_http_200_is_an_error() {
    let body = r#"{"Success":false,"Code":"InvalidOwner","Message":"The specified owner doesn't belong to caller.","RequestId":"R-BSS","Data":null}"#;
    let server = TestServer::always(Reply::ok(body)).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    let error = client.query_orders().send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), Some("InvalidOwner"));
    assert_eq!(
        error.message(),
        "The specified owner doesn't belong to caller."
    );
    assert_eq!(error.request_id(), Some("R-BSS"));
    assert_eq!(error.http_status(), Some(200));
    assert_eq!(error.operation(), Some("QueryOrders"));
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);
    assert_eq!(
        error.to_string(),
        "QueryOrders: InvalidOwner (HTTP 200): The specified owner doesn't belong to caller. (RequestId: R-BSS)"
    );
}

#[tokio::test]
async fn a_success_body_that_does_not_parse_names_the_operation_and_request_id() {
    // JSON cut short after its RequestId (a field of the wrong type no longer fails a
    // response: tests/client_mismatch.rs).
    let server = TestServer::always(Reply::ok(
        r#"{"RequestId":"R-BAD","TotalCount":"many","CertificateOrderList":[{"Certif"#,
    ))
    .await;
    let error = call(&config(&server).build()).await;
    assert_eq!(error.kind(), ErrorKind::Response);
    assert_eq!(error.operation(), Some("ListUserCertificateOrder"));
    assert_eq!(error.request_id(), Some("R-BAD"));
    assert_eq!(error.http_status(), Some(200));
    let shown = error.to_string();
    assert!(shown.contains("ListUserCertificateOrder"), "{shown}");
    assert!(shown.contains("R-BAD"), "{shown}");
    assert!(shown.contains("EOF"), "the cause is shown: {shown}");
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);

    // Not JSON at all: no request id to report, still the operation.
    let server = TestServer::always(Reply::raw(200, "text/plain", "<xml>not json</xml>")).await;
    let error = call(&config(&server).build()).await;
    assert_eq!(error.kind(), ErrorKind::Response);
    assert_eq!(error.operation(), Some("ListUserCertificateOrder"));
    assert_eq!(error.request_id(), None);
    assert!(
        error.to_string().starts_with("ListUserCertificateOrder: "),
        "{error}"
    );
    assert_eq!(server.count(), 1);

    // A missing RequestId is no error (some gateway answers carry none).
    let server = TestServer::always(Reply::ok(r#"{"TotalCount":1}"#)).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let response = client.list_user_certificate_order().send().await.unwrap();
    assert_eq!((response.total_count, response.request_id), (Some(1), None));
}

#[tokio::test]
async fn signature_mismatch_with_the_same_string_to_sign_blames_the_secret() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        // The server knows the real secret; the client signs with another one.
        let server =
            TestServer::start(|request, _| signed_or_reject(request, AK_SECRET, Reply::ok("{}")))
                .await;
        let config = config(&server)
            .credentials(Credentials::new(AK_ID, "not-the-secret"))
            .signature_version(version)
            .build();
        let error = call(&config).await;
        assert_eq!(
            error.code(),
            Some("SignatureDoesNotMatch"),
            "{version:?}: {error}"
        );
        assert_eq!(error.http_status(), Some(400));
        assert!(
            error.message().contains("the access key secret is wrong"),
            "{version:?}: {}",
            error.message()
        );
        assert!(!error.is_retryable());
        assert_eq!(server.count(), 1);
    }

    // A server that saw a different request (a proxy rewrote it) says so instead.
    let server = TestServer::always(Reply::error(
        400,
        "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&Rewritten%3D1",
    ))
    .await;
    let error = call(
        &config(&server)
            .signature_version(SignatureVersion::V1)
            .build(),
    )
    .await;
    assert!(
        error.message().contains("differs from ours"),
        "{}",
        error.message()
    );
    assert!(!error.message().contains("secret is wrong"));
}

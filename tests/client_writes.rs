//! Writes on the generated clients against a loopback server: a write without an
//! idempotency token is sent once and its failure says it may have run; a write with a
//! `ClientToken` gets one token per logical call, reused by every attempt, so it is retried
//! like a read; form-body and JSON-style parameters are signed and sent where the metadata
//! puts them.

mod support;

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::SignatureVersion;
use support::*;

const OK: &str = r#"{"RequestId":"5C1E2D7A-0000-4000-8000-000000000001","Success":true,"Code":"Success","Message":"ok"}"#;

fn unavailable() -> Reply {
    Reply::error(
        503,
        "ServiceUnavailable",
        "The service is temporarily unavailable.",
    )
}

/// Answers `failures` times with a 503, then `OK`; every request must verify.
async fn failing_then_ok(failures: usize) -> TestServer {
    TestServer::start(move |request, i| {
        let reply = if i < failures {
            unavailable()
        } else {
            Reply::ok(OK)
        };
        signed_or_reject(request, AK_SECRET, reply)
    })
    .await
}

#[tokio::test]
async fn a_write_without_a_token_is_sent_once_and_may_have_run() {
    let server = failing_then_ok(2).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = client
        .delete_csr()
        .csr_id(7)
        .send()
        .await
        .expect_err("the 503 is not retried");
    assert_eq!(server.count(), 1, "a write is never sent twice");
    assert!(error.may_have_run(), "{error}");
    assert!(
        error.to_string().contains("may or may not have run"),
        "{error}"
    );
}

#[tokio::test]
async fn a_write_with_a_client_token_reuses_one_token_on_every_attempt() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let server = failing_then_ok(2).await;
        let client = bss::Client::new(&config(&server).signature_version(version).build()).unwrap();
        client
            .create_instance()
            .product_code("rds")
            .subscription_type("Subscription")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{version:?}: retried like a read: {e}"));
        let requests = server.requests();
        assert_eq!(requests.len(), 3, "{version:?}");
        let tokens: Vec<&str> = requests
            .iter()
            .map(|r| r.param("ClientToken").expect("a token the SDK made"))
            .collect();
        assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
        assert_eq!(tokens[0].len(), 36, "UUID layout: {}", tokens[0]);
    }
}

#[tokio::test]
async fn each_logical_call_gets_its_own_token_and_a_token_set_by_the_caller_is_kept() {
    let server = TestServer::always(Reply::ok(OK)).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    for _ in 0..2 {
        client
            .renew_instance()
            .product_code("rds")
            .instance_id("i-1")
            .renew_period(1)
            .send()
            .await
            .unwrap();
    }
    client
        .renew_instance()
        .product_code("rds")
        .instance_id("i-1")
        .renew_period(1)
        .client_token("caller-token-1")
        .send()
        .await
        .unwrap();
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("ClientToken").unwrap().to_owned())
        .collect();
    assert_ne!(tokens[0], tokens[1], "a new call is a new token");
    assert_eq!(tokens[2], "caller-token-1");
}

#[tokio::test]
async fn form_body_and_json_style_parameters_are_signed_and_sent_where_the_metadata_puts_them() {
    use bss::set_saving_plan_user_deduct_rule::{EcIdAccountId, UserDeductRule};
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let server =
            TestServer::start(|request, _| signed_or_reject(request, AK_SECRET, Reply::ok(OK)))
                .await;
        let client = bss::Client::new(&config(&server).signature_version(version).build()).unwrap();
        client
            .set_saving_plan_user_deduct_rule()
            .spn_instance_code("spn-1")
            .nbid("nb 1")
            .ec_id_account_ids([EcIdAccountId::default().ec_id("ec").account_ids([1, 2])])
            .user_deduct_rules([UserDeductRule::default()
                .commodity_code("ecs")
                .skip_deduct(true)])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        let request = &server.requests()[0];
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded"),
            "{version:?}"
        );
        let body = decode_pairs(&String::from_utf8_lossy(&request.body));
        let body: std::collections::BTreeMap<_, _> = body.into_iter().collect();
        assert_eq!(
            body.get("SpnInstanceCode").map(String::as_str),
            Some("spn-1")
        );
        assert_eq!(
            body.get("UserDeductRules").map(String::as_str),
            Some(r#"[{"CommodityCode":"ecs","SkipDeduct":true}]"#),
            "one JSON string in the body"
        );
        assert_eq!(request.param("Nbid"), Some("nb 1"));
        assert_eq!(
            request.param("EcIdAccountIds"),
            Some(r#"[{"AccountIds":[1,2],"EcId":"ec"}]"#),
            "one JSON string in the query"
        );
        assert_eq!(request.param("SpnInstanceCode"), None, "not in the query");
    }
}

#[tokio::test]
async fn get_operations_send_everything_in_the_query_and_no_body() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let server =
            TestServer::start(|request, _| signed_or_reject(request, AK_SECRET, Reply::ok(OK)))
                .await;
        let client = bss::Client::new(&config(&server).signature_version(version).build()).unwrap();
        client
            .query_commodity_list()
            .product_code("rds")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        let request = &server.requests()[0];
        assert_eq!(request.method, "GET", "{version:?}");
        assert!(request.body.is_empty(), "{version:?}");
        assert_eq!(request.param("ProductCode"), Some("rds"), "{version:?}");
    }
}

/// Every request's `ClientToken`.
fn tokens(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.param("ClientToken").unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn an_empty_client_token_is_replaced_by_a_fresh_one_reused_by_every_attempt() {
    let server = failing_then_ok(2).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    client
        .create_instance()
        .product_code("rds")
        .subscription_type("Subscription")
        .client_token("")
        .send()
        .await
        .expect("retried with a token of its own");
    let tokens = tokens(&server);
    assert_eq!(tokens.len(), 3, "{tokens:?}");
    assert_eq!(
        tokens[0].len(),
        36,
        "a fresh token, not the empty one: {tokens:?}"
    );
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
}

#[tokio::test]
async fn a_raw_call_of_a_token_operation_gets_a_token_from_the_runtime() {
    use alibabacloud_core::operation::Location;
    use alibabacloud_core::{CallOptions, Handle, Params};
    // What the CLI does: the operation's wire parameters, no ClientToken among them.
    let server = failing_then_ok(2).await;
    let product = alibabacloud_catalog::products("bssopenapi")
        .find(|p| p.service.version == "2017-12-14")
        .unwrap();
    let operation = product.operation("CreateInstance").unwrap();
    let handle = Handle::new(&config(&server).build(), product.service).unwrap();
    let mut params = Params::new();
    params.push(Location::Query, "ProductCode", "rds");
    params.push(Location::Query, "SubscriptionType", "Subscription");
    let raw = handle
        .invoke_raw(&operation.operation, &params, &CallOptions::new())
        .await
        .expect("retried with the runtime's token");
    let tokens = tokens(&server);
    assert_eq!(tokens.len(), 3, "{tokens:?}");
    assert!(!tokens[0].is_empty() && tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(raw.client_token.as_deref(), Some(tokens[0].as_str()));
}

#[tokio::test]
async fn a_token_write_that_keeps_failing_may_have_run_and_its_error_gives_the_token() {
    let server = TestServer::always(unavailable()).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    let error = client
        .create_instance()
        .product_code("rds")
        .subscription_type("Subscription")
        .send()
        .await
        .expect_err("every attempt is a 503");
    let tokens = tokens(&server);
    assert!(tokens.len() > 1, "retried with its token: {tokens:?}");
    assert!(error.may_have_run(), "{error}");
    assert_eq!(error.client_token(), Some(tokens[0].as_str()));
    let shown = error.to_string();
    assert!(shown.contains(&tokens[0]), "{shown}");
    assert!(shown.contains("at most once"), "{shown}");
}

#[tokio::test]
async fn a_write_answered_200_with_an_unreadable_body_may_have_run() {
    for body in [
        "not json at all",
        r#"{"RequestId":"R-1","Data":"#,
        "[1,2,3]",
    ] {
        let server = TestServer::always(Reply::raw(200, "application/json", body)).await;
        let client = cas2020::Client::new(&config(&server).build()).unwrap();
        let error = client
            .delete_csr()
            .csr_id(7)
            .send()
            .await
            .expect_err("the body cannot be read");
        assert_eq!(server.count(), 1, "{body}: a write is never sent twice");
        assert!(error.may_have_run(), "{body}: {error}");
    }
    // A read answered the same way did not change anything.
    let server = TestServer::always(Reply::raw(200, "application/json", "not json")).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = client.list_csr().send().await.expect_err("unreadable");
    assert!(!error.may_have_run(), "{error}");
}

#[tokio::test]
async fn the_request_id_header_names_an_error_whose_body_has_none() {
    let server = TestServer::always(
        Reply::raw(502, "text/html", "<html>Bad Gateway</html>")
            .with_header("x-acs-request-id", "HDR-REQ-1"),
    )
    .await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = client.list_csr().send().await.expect_err("a 502");
    assert_eq!(error.request_id(), Some("HDR-REQ-1"), "{error}");
    assert!(error.to_string().contains("HDR-REQ-1"), "{error}");
}

/// A loopback address whose connects never complete: a listener that never accepts, its
/// accept queue filled until a handshake goes unanswered. Returns the endpoint and what
/// keeps the queue full.
fn unanswered_endpoint() -> (String, std::net::TcpListener, Vec<std::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    let listener = socket.listen(0).unwrap().into_std().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..64 {
        let wait = std::time::Duration::from_millis(200);
        match std::net::TcpStream::connect_timeout(&address, wait) {
            Ok(stream) => fillers.push(stream),
            Err(_) => break,
        }
    }
    (format!("http://{address}"), listener, fillers)
}

#[tokio::test]
async fn a_connect_that_never_completes_is_a_connect_failure_even_with_a_short_read_timeout() {
    let (endpoint, _listener, _fillers) = unanswered_endpoint();
    let config = alibabacloud_core::Config::builder()
        .endpoint(&endpoint)
        .credentials(alibabacloud_core::Credentials::new(AK_ID, AK_SECRET))
        .retry_policy(fast_retries())
        .connect_timeout(std::time::Duration::from_millis(600))
        .read_timeout(std::time::Duration::from_millis(100))
        .build();
    let client = cas2020::Client::new(&config).unwrap();
    let error = client
        .delete_csr()
        .csr_id(7)
        .send()
        .await
        .expect_err("nothing accepts the connection");
    assert!(!error.may_have_run(), "nothing was sent: {error}");
    assert!(error.to_string().contains("connect"), "{error}");
    assert!(!error.to_string().contains("read timeout"), "{error}");
}

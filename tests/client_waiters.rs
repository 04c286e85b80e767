//! Waiters on a generated client against a loopback server: CAS
//! `wait_until_certificate_issued` polls DescribeCertificateState until `Type` is
//! `certificate`, stops on `verify_fail`, keeps polling through retryable errors, and on
//! timeout reports the last state it saw.

mod support;

use std::time::Duration;

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::error::ErrorKind;
use support::*;

fn state(kind: &str) -> Reply {
    Reply::ok(format!(
        r#"{{"RequestId":"r","Type":"{kind}","Domain":"example.com","Certificate":"PEM"}}"#
    ))
}

/// Answers the replies in order, then the last one forever; every request must verify.
async fn server(replies: Vec<Reply>) -> TestServer {
    TestServer::start(move |request, i| {
        let reply = replies[i.min(replies.len() - 1)].clone();
        signed_or_reject(request, AK_SECRET, reply)
    })
    .await
}

fn fast(
    waiter: cas2020::describe_certificate_state::DescribeCertificateStateWaiter,
) -> cas2020::describe_certificate_state::DescribeCertificateStateWaiter {
    waiter.poll_delays(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn polls_until_the_success_state_through_retryable_errors() {
    let server = server(vec![
        state("domain_verify"),
        Reply::error(503, "ServiceUnavailable", "busy"),
        state("process"),
        state("certificate"),
    ])
    .await;
    let client = cas2020::Client::new(
        &config(&server)
            .retry_policy(alibabacloud_core::retry::RetryPolicy::disabled())
            .build(),
    )
    .unwrap();
    let issued = fast(client.wait_until_certificate_issued().order_id(42))
        .max_wait(Duration::from_secs(10))
        .send()
        .await
        .expect("issued");
    assert_eq!(issued.certificate.as_deref(), Some("PEM"));
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        4,
        "three polls before success, one error between"
    );
    assert!(requests.iter().all(|r| r.param("OrderId") == Some("42")));
    assert!(
        requests
            .iter()
            .all(|r| r.action() == Some("DescribeCertificateState"))
    );
}

#[tokio::test]
async fn a_failure_state_ends_the_wait_with_an_error() {
    let server = server(vec![state("process"), state("verify_fail")]).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = fast(client.wait_until_certificate_issued().order_id(1))
        .send()
        .await
        .expect_err("verification failed");
    assert_eq!(error.kind(), ErrorKind::Waiter, "{error}");
    assert_eq!(error.waiter_state(), Some("verify_fail"));
    assert!(error.to_string().contains("failure state"), "{error}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_timeout_reports_the_last_state_seen() {
    let server = server(vec![state("domain_verify"), state("process")]).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = fast(client.wait_until_certificate_issued().order_id(1))
        .max_wait(Duration::from_millis(150))
        .send()
        .await
        .expect_err("never issued");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.waiter_state(), Some("process"));
    assert!(
        error.to_string().contains("last seen Type = \"process\""),
        "{error}"
    );
    assert!(server.count() >= 2);
}

#[tokio::test]
async fn a_non_retryable_error_ends_the_wait() {
    let server = server(vec![Reply::error(400, "InvalidOrderId", "no such order")]).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = fast(client.wait_until_certificate_issued().order_id(1))
        .send()
        .await
        .expect_err("no such order");
    assert_eq!(error.code(), Some("InvalidOrderId"));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn each_poll_ends_by_the_wait_limit_however_slow_the_service() {
    // The service never answers within the client's read timeout (10 s, three attempts).
    let server = server(vec![state("process").delayed(Duration::from_secs(30))]).await;
    let client = cas2020::Client::new(
        &config(&server)
            .read_timeout(Duration::from_secs(10))
            .build(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let error = fast(client.wait_until_certificate_issued().order_id(1))
        .max_wait(Duration::from_secs(1))
        .send()
        .await
        .expect_err("never answered");
    let waited = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    // Bounded by the 1 s limit, not by the read timeout of each attempt (a correctness
    // bound with a wide margin, not a performance figure).
    assert!(
        waited < Duration::from_secs(5),
        "waited {waited:?}: {error}"
    );
}

#[tokio::test]
async fn a_timeout_after_failed_polls_carries_the_last_failure() {
    let server = server(vec![
        Reply::error(503, "ServiceUnavailable", "busy").with_header("x-acs-request-id", "R-LAST"),
    ])
    .await;
    let client = cas2020::Client::new(
        &config(&server)
            .retry_policy(alibabacloud_core::retry::RetryPolicy::disabled())
            .build(),
    )
    .unwrap();
    let error = fast(client.wait_until_certificate_issued().order_id(1))
        .max_wait(Duration::from_millis(200))
        .send()
        .await
        .expect_err("never issued");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.code(), Some("ServiceUnavailable"), "{error}");
    assert!(error.request_id().is_some(), "{error}");
    assert!(error.to_string().contains("busy"), "{error}");
}

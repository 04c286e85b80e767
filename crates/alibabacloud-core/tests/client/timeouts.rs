//! Timeouts say which limit was hit and which setting to change.

use std::time::Duration;

use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::{CallOptions, Params};

use crate::support::*;

#[tokio::test]
async fn a_connect_timeout_is_reported_as_one_not_as_a_read_timeout() {
    let backlog = FullBacklog::new().await;
    let credentials = CountingCredentials::default();
    let handle = handle(
        config(&format!("http://127.0.0.1:{}", backlog.port), &credentials)
            .connect_timeout(Duration::from_millis(200)),
    );
    let error = handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect_err("nothing accepts");
    let text = error.to_string();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert!(text.contains("connect timeout (200 ms)"), "{text}");
    assert!(
        text.contains("connect_timeout"),
        "names the setting: {text}"
    );
    assert!(!text.contains("read timeout"), "{text}");
    assert!(error.is_retryable());
    assert_eq!(credentials.attempts(), 3, "a read is retried");
}

#[tokio::test]
async fn a_standard_retry_after_in_seconds_is_honoured() {
    let server = TestServer::always(Reply::json(
        503,
        &[("retry-after", "1")],
        r#"{"Code":"ServiceUnavailable","Message":"busy","RequestId":"R"}"#,
    ))
    .await;
    let credentials = CountingCredentials::default();
    let error = handle(
        config(&server.endpoint(), &credentials)
            .retry_policy(alibabacloud_core::retry::RetryPolicy::disabled()),
    )
    .invoke_raw(&READ, &Params::new(), &CallOptions::new())
    .await
    .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
}

#[tokio::test]
async fn throttled_reads_are_retried_in_a_later_one_second_window() {
    let server = TestServer::sequence(vec![
        Reply::error(400, "Throttling.User"),
        Reply::error(400, "Throttling.User"),
        Reply::ok(OK_BODY),
    ])
    .await;
    let credentials = CountingCredentials::default();
    // The default policy, as a user gets it.
    let handle = handle(
        config(&server.endpoint(), &credentials)
            .retry_policy(alibabacloud_core::retry::RetryPolicy::default()),
    );
    handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect("the third attempt gets through");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let spread = requests[2].at - requests[0].at;
    assert!(
        spread > Duration::from_secs(1),
        "the last attempt came {spread:?} after the first, inside the same window"
    );
}

// ---------------------------------------------------------------------------------------------
// The operation timeout: one deadline across attempts and waits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_operation_timeout_cuts_off_a_slow_attempt() {
    let server = TestServer::always(Reply::ok(OK_BODY).delayed(Duration::from_secs(5))).await;
    let credentials = CountingCredentials::default();
    // The read timeout (10 s) would wait; the call's deadline does not.
    let handle = handle(config(&server.endpoint(), &credentials));
    let options = CallOptions::new().operation_timeout(Duration::from_millis(300));
    let error = handle
        .invoke_raw(&READ, &Params::new(), &options)
        .await
        .expect_err("the deadline passes first");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    let text = error.to_string();
    assert!(text.contains("operation timeout (300 ms"), "{text}");
    assert!(!text.contains("read timeout"), "{text}");
    assert_eq!(server.count(), 1, "no attempt after the deadline");

    // A write cut off in flight may have run.
    let error = handle
        .invoke_raw(&WRITE, &Params::new(), &options)
        .await
        .expect_err("the deadline passes first");
    assert!(error.may_have_run(), "{error}");
}

#[tokio::test]
async fn the_operation_timeout_bounds_server_requested_waits() {
    let server = TestServer::always(Reply::json(
        400,
        &[("x-acs-retry-after", "5000")],
        r#"{"Code":"Throttling.User","Message":"flow control","RequestId":"R"}"#,
    ))
    .await;
    let credentials = CountingCredentials::default();
    let handle = handle(
        config(&server.endpoint(), &credentials)
            .retry_policy(alibabacloud_core::retry::RetryPolicy::default())
            .operation_timeout(Duration::from_millis(500)),
    );
    let started = tokio::time::Instant::now();
    let error = handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect_err("throttled");
    assert_eq!(
        error.code(),
        Some("Throttling.User"),
        "the last answer: {error}"
    );
    assert_eq!(server.count(), 1, "a 5 s wait does not fit in 500 ms");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the client slept through the server's wait"
    );
}

#[tokio::test]
async fn a_call_that_spends_its_deadline_waiting_for_the_rate_limiter_was_never_sent() {
    let server = TestServer::always(Reply::ok(OK_BODY)).await;
    let credentials = CountingCredentials::default();
    let handle = handle(
        config(&server.endpoint(), &credentials)
            .rate_limit(alibabacloud_core::rate_limit::RateLimit::per_second(1)),
    );
    handle
        .invoke_raw(&WRITE, &Params::new(), &CallOptions::new())
        .await
        .expect("the first slot is free");
    let error = handle
        .invoke_raw(
            &WRITE,
            &Params::new(),
            &CallOptions::new().operation_timeout(Duration::from_millis(100)),
        )
        .await
        .expect_err("the next slot is a second away");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.to_string().contains("0 attempts"), "{error}");
    assert!(!error.may_have_run(), "nothing was sent: {error}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_call_may_have_a_connect_timeout_of_its_own() {
    let backlog = FullBacklog::new().await;
    let credentials = CountingCredentials::default();
    let handle = handle(
        config(&format!("http://127.0.0.1:{}", backlog.port), &credentials)
            .connect_timeout(Duration::from_secs(30))
            .retry_policy(alibabacloud_core::retry::RetryPolicy::disabled()),
    );
    let options = CallOptions::new().connect_timeout(Duration::from_millis(150));
    let error = handle
        .invoke_raw(&READ, &Params::new(), &options)
        .await
        .expect_err("nothing accepts");
    assert!(
        error.to_string().contains("connect timeout (150 ms)"),
        "{error}"
    );
}

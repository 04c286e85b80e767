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

//! A write (an operation that is not read-only) never runs twice: it is retried only when
//! the request provably never reached the service, and otherwise the error says the
//! call may or may not have run.

use std::time::Duration;

use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::{CallOptions, Error, Params};

use crate::support::*;

async fn call(
    operation: &'static alibabacloud_core::Operation,
    endpoint: &str,
    credentials: &CountingCredentials,
) -> Result<(), Error> {
    handle(config(endpoint, credentials).read_timeout(Duration::from_millis(300)))
        .invoke_raw(operation, &Params::new(), &CallOptions::new())
        .await
        .map(|_| ())
}

fn assert_may_have_run(error: &Error) {
    assert!(error.may_have_run(), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("may or may not have run"), "{text}");
}

#[tokio::test]
async fn a_write_answered_with_500_gets_one_attempt_and_may_have_run() {
    let server = TestServer::always(Reply::error(500, "InternalError")).await;
    let credentials = CountingCredentials::default();
    let error = call(&WRITE, &server.endpoint(), &credentials)
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1, "a write is not retried after a 5xx");
    assert_eq!(error.http_status(), Some(500));
    assert_may_have_run(&error);
}

#[tokio::test]
async fn a_read_answered_with_500_is_retried() {
    let server = TestServer::always(Reply::error(500, "InternalError")).await;
    let credentials = CountingCredentials::default();
    let error = call(&READ, &server.endpoint(), &credentials)
        .await
        .unwrap_err();
    assert_eq!(server.count(), 3);
    assert!(!error.may_have_run(), "only writes say so: {error}");
    assert!(!error.to_string().contains("may or may not"), "{error}");
}

#[tokio::test]
async fn a_write_whose_connection_is_refused_is_retried() {
    let port = closed_port().await;
    let credentials = CountingCredentials::default();
    let error = call(&WRITE, &format!("http://127.0.0.1:{port}"), &credentials)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert_eq!(
        credentials.attempts(),
        3,
        "nothing was sent, so it is retried"
    );
    assert!(!error.may_have_run(), "{error}");
}

#[tokio::test]
async fn a_write_whose_connect_times_out_is_retried() {
    let backlog = FullBacklog::new().await;
    let credentials = CountingCredentials::default();
    let error = handle(
        config(&format!("http://127.0.0.1:{}", backlog.port), &credentials)
            .connect_timeout(Duration::from_millis(100)),
    )
    .invoke_raw(&WRITE, &Params::new(), &CallOptions::new())
    .await
    .unwrap_err();
    assert_eq!(credentials.attempts(), 3, "{error}");
    assert!(!error.may_have_run(), "{error}");
}

#[tokio::test]
async fn a_throttled_write_is_retried() {
    let server = TestServer::sequence(vec![
        Reply::error(400, "Throttling.User"),
        Reply::ok(OK_BODY),
    ])
    .await;
    let credentials = CountingCredentials::default();
    call(&WRITE, &server.endpoint(), &credentials)
        .await
        .expect("the gateway rejected the first attempt before the service ran it");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_write_that_times_out_after_sending_gets_one_attempt_and_may_have_run() {
    let server = TestServer::always(Reply::ok(OK_BODY).delayed(Duration::from_secs(3))).await;
    let credentials = CountingCredentials::default();
    let error = call(&WRITE, &server.endpoint(), &credentials)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_eq!(server.count(), 1);
    assert_may_have_run(&error);
}

#[tokio::test]
async fn a_write_whose_connection_breaks_after_sending_gets_one_attempt_and_may_have_run() {
    let server = TestServer::always(Reply::Drop).await;
    let credentials = CountingCredentials::default();
    let error = call(&WRITE, &server.endpoint(), &credentials)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert_eq!(server.count(), 1);
    assert_may_have_run(&error);
}

#[tokio::test]
async fn a_write_refused_with_a_client_error_did_not_run() {
    let server = TestServer::always(Reply::error(400, "InvalidParameter")).await;
    let credentials = CountingCredentials::default();
    let error = call(&WRITE, &server.endpoint(), &credentials)
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    assert!(!error.may_have_run(), "the service said no: {error}");
}

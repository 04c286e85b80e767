//! Local limits: an oversized URL is refused before sending, an oversized body is not
//! read into memory.

use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::operation::Location;
use alibabacloud_core::{CallOptions, Params};

use crate::support::*;

#[tokio::test]
async fn an_oversized_url_is_a_local_error_naming_the_parameter_and_the_limit() {
    let server = TestServer::always(Reply::ok(OK_BODY)).await;
    let credentials = CountingCredentials::default();
    let handle = handle(config(&server.endpoint(), &credentials));
    let mut params = Params::new();
    params.push(Location::Query, "ShowSize", &10);
    params.push(Location::Query, "Keyword", &"k".repeat(66_000));
    let error = handle
        .invoke_raw(&READ, &params, &CallOptions::new())
        .await
        .expect_err("too long");
    assert_eq!(error.kind(), ErrorKind::Build, "{error:?}");
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(text.contains("Keyword"), "names the parameter: {text}");
    assert!(text.contains("32768"), "names the limit: {text}");
    assert_eq!(credentials.attempts(), 1, "not retried");
    assert_eq!(server.connections(), 0, "nothing was sent");

    // Just under the limit goes out.
    let mut params = Params::new();
    params.push(Location::Query, "Keyword", &"k".repeat(30_000));
    handle
        .invoke_raw(&READ, &params, &CallOptions::new())
        .await
        .expect("a 30,000-byte value fits");
    assert_eq!(server.count(), 1);
}

/// A `200` whose chunked body is `chunks` chunks of 1 KiB, without a `Content-Length`.
fn chunked_ok(chunks: usize) -> Reply {
    let mut bytes =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..chunks {
        bytes.extend_from_slice(b"400\r\n");
        bytes.extend_from_slice(&[b' '; 1024]);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    Reply::Raw(bytes)
}

#[tokio::test]
async fn a_body_over_the_cap_is_not_read_into_memory() {
    let server = TestServer::always(chunked_ok(8)).await;
    let credentials = CountingCredentials::default();
    let handle = handle(config(&server.endpoint(), &credentials).max_response_body(4096));
    let error = handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect_err("8 KiB is over a 4 KiB cap");
    assert_eq!(error.kind(), ErrorKind::Response, "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("DescribeThings: "),
        "names the operation: {text}"
    );
    assert!(text.contains("4096 bytes"), "names the cap: {text}");
    assert!(
        text.contains("max_response_body"),
        "names the setting: {text}"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);

    // At the cap is fine.
    let server = TestServer::always(chunked_ok(4)).await;
    let handle = handle_for(&server, &credentials, 4096);
    let raw = handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect("4 KiB fits a 4 KiB cap");
    assert_eq!(raw.body.len(), 4096);
}

fn handle_for(
    server: &TestServer,
    credentials: &CountingCredentials,
    cap: usize,
) -> alibabacloud_core::Handle {
    handle(config(&server.endpoint(), credentials).max_response_body(cap))
}

#[tokio::test]
async fn a_content_length_over_the_cap_fails_before_the_body_is_read() {
    // Promises 100 MiB, sends 5 bytes: a client that trusted it would wait for the rest,
    // or fail with a retryable broken-connection error.
    let reply = Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n{\"a\":"
            .to_vec(),
    );
    let server = TestServer::always(reply).await;
    let credentials = CountingCredentials::default();
    let error = handle_for(&server, &credentials, 1 << 20)
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect_err("over the cap");
    assert_eq!(error.kind(), ErrorKind::Response, "{error:?}");
    assert!(error.to_string().contains("104857600"), "{error}");
    assert!(error.to_string().contains("1048576 bytes"), "{error}");
    assert_eq!(server.count(), 1, "not retried");
}

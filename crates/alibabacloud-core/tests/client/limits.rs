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

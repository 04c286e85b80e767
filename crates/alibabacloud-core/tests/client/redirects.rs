//! A redirect is never followed: it would carry the signed request (under V1, the whole
//! signed query in a `Referer`; under V3, `x-acs-security-token`) to another host, and
//! that host's answer would be taken for the service's.

use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::{CallOptions, Params, SignatureVersion};

use crate::support::*;

#[tokio::test]
async fn a_redirect_is_not_followed_retried_or_quoted_beyond_its_host() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let elsewhere = TestServer::always(Reply::ok(OK_BODY)).await;
        let location = format!(
            "http://127.0.0.1:{}/x?Signature=leaked-signature&SecurityToken=leaked-token",
            elsewhere.port
        );
        let server = TestServer::always(Reply::json(301, &[("location", &location)], "")).await;
        let credentials = CountingCredentials::default();
        let handle = handle(config(&server.endpoint(), &credentials).signature_version(version));
        let result = handle
            .invoke_raw(&READ, &Params::new(), &CallOptions::new())
            .await;
        assert_eq!(
            elsewhere.connections(),
            0,
            "{version:?}: the redirect target was contacted"
        );
        let error = result.expect_err("a redirect is an error");
        assert_eq!(error.kind(), ErrorKind::Redirect, "{error:?}");
        assert!(!error.is_retryable());
        assert_eq!(server.count(), 1, "a redirect is not retried");
        assert_eq!(error.http_status(), Some(301));
        let text = format!("{error} {error:?}");
        assert!(
            text.contains(&format!("127.0.0.1:{}", elsewhere.port)),
            "the error names the Location host: {text}"
        );
        assert!(
            !text.contains("leaked") && !text.contains("/x"),
            "the error quotes more than the host: {text}"
        );
    }
}

#[tokio::test]
async fn a_client_brought_by_the_user_that_follows_redirects_gets_no_answer_from_elsewhere() {
    let elsewhere = TestServer::always(Reply::ok(OK_BODY)).await;
    let location = format!("http://127.0.0.1:{}/x", elsewhere.port);
    let server = TestServer::always(Reply::json(302, &[("location", &location)], "")).await;
    let credentials = CountingCredentials::default();
    // reqwest's default client follows redirects.
    let handle =
        handle(config(&server.endpoint(), &credentials).http_client(reqwest::Client::new()));
    let error = handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect_err("an answer from another URL is refused");
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error:?}");
    assert_eq!(server.count(), 1, "not retried");
}

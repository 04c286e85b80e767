use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use alibabacloud_credentials::{Env, ProvideCredentials, UriProvider};

use crate::common::{FakeServer, Reply, document, expiration_in};

/// Serves `/creds` with key ids `URI-<n>` expiring `expires_in` seconds from now.
async fn server(expires_in: i64, delay: Duration) -> FakeServer {
    let served = AtomicUsize::new(0);
    FakeServer::start(move |request| {
        if request.method != "GET" || request.path != "/creds" {
            return Reply::status(404, "{}");
        }
        let n = served.fetch_add(1, Ordering::SeqCst) + 1;
        Reply::ok(document(
            &format!("URI-{n}"),
            "uri-secret",
            "uri-token",
            &expiration_in(expires_in),
        ))
        .after(delay)
    })
    .await
}

fn provider_for(uri: &str) -> UriProvider {
    UriProvider::new().with_env(Env::from_vars([("ALIBABA_CLOUD_CREDENTIALS_URI", uri)]))
}

#[tokio::test]
async fn reads_the_document_from_the_environment_uri() {
    let server = server(3600, Duration::ZERO).await;
    let provider = provider_for(&format!("{}/creds", server.base_url));
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "URI-1");
    assert_eq!(credentials.access_key_secret(), "uri-secret");
    assert_eq!(credentials.security_token(), Some("uri-token"));
    assert_eq!(credentials.provider(), "credential_uri");
    // Fresh for an hour: the second call is served from the cache.
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.count("/creds"), 1);
}

#[tokio::test]
async fn expired_credentials_are_fetched_again() {
    let server = server(-10, Duration::ZERO).await;
    let provider = provider_for(&format!("{}/creds", server.base_url));
    let first = provider.provide_credentials().await.unwrap();
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "URI-1");
    assert_eq!(second.access_key_id(), "URI-2");
    assert_eq!(server.count("/creds"), 2);
}

#[tokio::test]
async fn code_other_than_success_is_an_error() {
    let server = FakeServer::start(|_| {
        Reply::ok(r#"{"Code":"Expired","Message":"try later","AccessKeySecret":"uri-secret"}"#)
    })
    .await;
    let error = provider_for(&format!("{}/creds", server.base_url))
        .provide_credentials()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("Code \"Expired\"") && message.contains("try later"),
        "{message}"
    );
    assert!(!message.contains("uri-secret"));
}

#[tokio::test]
async fn http_errors_name_the_uri_without_its_query() {
    let server = FakeServer::start(|_| Reply::status(500, "boom")).await;
    let uri = format!("{}/creds?token=uri-query-token", server.base_url);
    let error = UriProvider::new()
        .with_uri(&uri)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("GET {}/creds: HTTP 500", server.base_url)
    );
    assert_eq!(server.requests()[0].param("token"), Some("uri-query-token"));
}

#[tokio::test]
async fn unset_uri_is_named() {
    let error = UriProvider::new()
        .with_env(Env::from_vars([("X", "y")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "ALIBABA_CLOUD_CREDENTIALS_URI not set");
}

#[tokio::test]
async fn fifty_concurrent_callers_share_one_request() {
    let server = server(3600, Duration::from_millis(200)).await;
    let provider = Arc::new(provider_for(&format!("{}/creds", server.base_url)));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "URI-1");
    }
    assert_eq!(server.count("/creds"), 1);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_names_only_the_target_host() {
    let elsewhere = server(3600, Duration::ZERO).await;
    let target = format!("{}/creds?token=redirect-query-token", elsewhere.base_url);
    let redirecting =
        FakeServer::start(move |_| Reply::status(302, "").with_header("location", &target)).await;
    let error = provider_for(&format!("{}/creds", redirecting.base_url))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        elsewhere.requests().is_empty(),
        "the redirect target was contacted"
    );
    let message = error.to_string();
    let host = elsewhere.base_url.trim_start_matches("http://");
    assert!(message.contains("HTTP 302"), "{message}");
    assert!(
        message.contains(&format!("redirect to {host}")),
        "{message}"
    );
    assert!(!message.contains("redirect-query-token"), "{message}");
    assert!(!message.contains(&format!("{host}/creds")), "{message}");
}

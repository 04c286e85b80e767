use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use alibabacloud_credentials::{Env, ProvideCredentials, UriProvider};

use crate::common::{FakeServer, Reply, SHORT_LIVED, SHORT_LIVED_STALE, document, expiration_in};

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
async fn stale_credentials_are_fetched_again() {
    let server = server(SHORT_LIVED, Duration::ZERO).await;
    let provider = provider_for(&format!("{}/creds", server.base_url));
    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "URI-1",
        "fresh for a while: cached"
    );
    tokio::time::sleep(SHORT_LIVED_STALE).await;
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "URI-1");
    assert_eq!(second.access_key_id(), "URI-2");
    assert_eq!(server.count("/creds"), 2);
}

#[tokio::test]
async fn already_expired_credentials_are_an_error_naming_the_uri_and_the_expiration() {
    let expired = expiration_in(-10);
    let server = {
        let expired = expired.clone();
        FakeServer::start(move |_| {
            Reply::ok(document("URI-old", "uri-secret", "uri-token", &expired))
        })
        .await
    };
    let provider = provider_for(&format!("{}/creds?token=q", server.base_url));
    for _ in 0..2 {
        let message = provider
            .provide_credentials()
            .await
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with(&format!("GET {}/creds: ", server.base_url)),
            "{message}"
        );
        assert!(
            message.contains("already expired") && message.contains(&expired),
            "{message}"
        );
        for secret in ["uri-secret", "uri-token", "token=q"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
    assert_eq!(server.count("/creds"), 2, "each call asks once, no loop");
}

#[tokio::test]
async fn an_oversized_body_is_refused_naming_the_limit() {
    // 1 MiB of padding inside an otherwise valid document.
    let padded = {
        let mut document: serde_json::Value =
            serde_json::from_str(&document("URI-big", "s", "t", &expiration_in(3600))).unwrap();
        document["Padding"] = serde_json::Value::String("x".repeat(1 << 20));
        document.to_string()
    };
    let server = FakeServer::start(move |_| Reply::ok(padded.clone())).await;
    let error = provider_for(&format!("{}/creds", server.base_url))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/creds: the response body exceeds the 65536-byte limit",
            server.base_url
        )
    );
}

#[tokio::test]
async fn an_oversized_body_without_a_length_is_refused_while_streaming() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A raw server that streams a chunked body of 4 MiB, counting what it managed to send.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/creds", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b' '; 16 * 1024];
        for _ in 0..256 {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
            if socket.write_all(&framed).await.is_err() {
                return;
            }
            counter.fetch_add(chunk.len(), Ordering::SeqCst);
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    let error = provider_for(&url).provide_credentials().await.unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("the response body exceeds the 65536-byte limit"),
        "{error}"
    );
    let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    assert!(
        sent.load(Ordering::SeqCst) < 4 << 20,
        "the client stopped reading before the end"
    );
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

//! The access key secret and the STS token never show: not in logs captured at TRACE
//! level (the `log` records of the HTTP stack included), not in `Debug` of the config, the
//! client or an error, not in an error's `Display` or source chain — on success, on
//! retries, on a broken connection, on a timeout, and when the gateway echoes a
//! string-to-sign that contains the token.
//!
//! One test in this binary: it installs the process-wide subscriber.

mod support;

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::{Config, Credentials, Error, SignatureVersion};
use support::*;
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET: &str = "SECRET-VALUE-123";
const TOKEN: &str = "TOKEN-VALUE-456";
/// A private key sent in the query string, as UploadUserCertificate sends it.
const PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----CANARY-KEY-789-----END PRIVATE KEY-----";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret:\n{text}");
    assert!(!text.contains(TOKEN), "{what} shows the token:\n{text}");
    assert!(
        !text.contains("CANARY-KEY-789"),
        "{what} shows the private key:\n{text}"
    );
}

/// Display, Debug and every source of an error.
fn assert_error_clean(error: &Error) {
    assert_clean("Display of an error", &error.to_string());
    assert_clean("Debug of an error", &format!("{error:?}"));
    let mut source = error.source();
    while let Some(cause) = source {
        assert_clean("an error source", &format!("{cause} / {cause:?}"));
        source = cause.source();
    }
}

fn sts() -> Credentials {
    Credentials::new(AK_ID, SECRET).with_security_token(TOKEN)
}

fn sts_client(server: &TestServer, version: SignatureVersion) -> (Config, cas2020::Client) {
    let config = Config::builder()
        .endpoint(server.endpoint())
        .credentials(sts())
        .signature_version(version)
        .retry_policy(fast_retries())
        .connect_timeout(LOOPBACK_CONNECT)
        .read_timeout(Duration::from_millis(200))
        .build();
    let client = cas2020::Client::new(&config).unwrap();
    assert_clean("Debug of Config", &format!("{config:?}"));
    assert_clean("Debug of Client", &format!("{client:?}"));
    (config, client)
}

async fn call(client: &cas2020::Client) -> Result<(), Error> {
    client
        .list_user_certificate_order()
        .keyword("example.com")
        .send()
        .await
        .map(drop)
}

/// A write carrying a private key in its query string (sensitive in its spec).
async fn upload(client: &cas2020::Client) -> Result<(), Error> {
    let builder = client
        .upload_user_certificate()
        .name("web")
        .cert("-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----")
        .key(PRIVATE_KEY);
    assert_clean("Debug of the request builder", &format!("{builder:?}"));
    // UpdateCsr carries a private key too (its `Key` was once not marked sensitive).
    let csr = client.update_csr().csr_id(1).key(PRIVATE_KEY);
    assert_clean("Debug of the UpdateCsr builder", &format!("{csr:?}"));
    let request = cas2020::update_csr::UpdateCsrRequest::builder()
        .csr_id(1)
        .key(PRIVATE_KEY)
        .build()
        .unwrap();
    assert_clean("Debug of UpdateCsrRequest", &format!("{request:?}"));
    let uploaded = builder.send().await.map(drop);
    if let Err(error) = csr.send().await {
        assert_error_clean(&error);
    }
    uploaded
}

#[tokio::test]
async fn secrets_never_appear_in_logs_debug_or_errors() {
    let logs = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(FmtSpan::FULL)
        .with_writer({
            let logs = logs.clone();
            move || logs.clone()
        })
        .try_init()
        .expect("the only subscriber of this test binary");

    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        // Success after a retry; the server checks the signature made with the secret.
        let server = TestServer::start(|request, i| {
            let reply = if i == 0 {
                Reply::error(503, "ServiceUnavailable", "temporary failure")
            } else {
                Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE)
            };
            signed_or_reject(request, SECRET, reply)
        })
        .await;
        let (_, client) = sts_client(&server, version);
        call(&client)
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        // The token did go on the wire (so the checks below are not vacuous).
        let sent = server.requests();
        assert_eq!(sent.len(), 2);
        let token_sent = match version {
            SignatureVersion::V3 => sent[1].header("x-acs-security-token"),
            SignatureVersion::V1 => sent[1].param("SecurityToken"),
        };
        assert_eq!(token_sent, Some(TOKEN));

        // The private key did go on the wire, in the query.
        let server = TestServer::start(|request, _| {
            signed_or_reject(
                request,
                SECRET,
                Reply::ok(r#"{"RequestId":"r","CertId":1}"#),
            )
        })
        .await;
        let (_, client) = sts_client(&server, version);
        upload(&client)
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert_eq!(server.requests()[0].param("Key"), Some(PRIVATE_KEY));

        // A connection that breaks every time: a network error wrapping the HTTP client's.
        let server = TestServer::always(Reply::Drop).await;
        let (_, client) = sts_client(&server, version);
        let error = call(&client).await.unwrap_err();
        assert!(error.source().is_some(), "{error:?}");
        assert_error_clean(&error);
        let error = upload(&client).await.unwrap_err();
        assert!(error.source().is_some(), "{error:?}");
        assert_error_clean(&error);

        // A timeout.
        let server = TestServer::always(
            Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE).delayed(Duration::from_secs(1)),
        )
        .await;
        let (_, client) = sts_client(&server, version);
        let error = call(&client).await.unwrap_err();
        assert_error_clean(&error);

        // SignatureDoesNotMatch: the gateway echoes its string-to-sign, which under V1
        // holds every query parameter, SecurityToken included.
        let server = TestServer::start(|request, _| {
            signed_or_reject(request, "the-secret-the-server-has", Reply::ok("{}"))
        })
        .await;
        let (_, client) = sts_client(&server, version);
        let error = upload(&client).await.unwrap_err();
        assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
        assert_error_clean(&error);
        let error = call(&client).await.unwrap_err();
        assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
        assert!(
            error.message().contains("the access key secret is wrong"),
            "the diagnosis survives: {}",
            error.message()
        );
        assert_error_clean(&error);

        // A plain service error, with retries disabled.
        let server = TestServer::always(Reply::error(400, "InvalidParameter", "bad")).await;
        let config = Config::builder()
            .endpoint(server.endpoint())
            .credentials(sts())
            .signature_version(version)
            .retry_policy(RetryPolicy::disabled())
            .build();
        let error = call(&cas2020::Client::new(&config).unwrap())
            .await
            .unwrap_err();
        assert_error_clean(&error);
        let error = upload(&cas2020::Client::new(&config).unwrap())
            .await
            .unwrap_err();
        assert_error_clean(&error);
    }

    let text = logs.text();
    // The capture works: the runtime's own events and spans are in it.
    for expected in [
        "alibabacloud.call",
        "attempt finished",
        "retrying",
        "ListUserCertificateOrder",
    ] {
        assert!(
            text.contains(expected),
            "no {expected:?} in the captured logs:\n{text}"
        );
    }
    assert_clean("the TRACE logs", &text);
}

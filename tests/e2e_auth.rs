//! Authentication end to end against the emulator, under V1 and V3: a wrong secret, an
//! unknown key id and a temporary key without its token through the generated client; stale
//! timestamps and reused nonces through raw requests signed with
//! `alibabacloud_core::signing`.

mod e2e;

use std::time::{Duration, SystemTime};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::signing::{self, SigningInput, encode};
use alibabacloud_core::{Credentials, SignatureVersion};
use alibabacloud_emulator::DEFAULT_ACCESS_KEY_ID;
use alibabacloud_sts_20150401 as sts;
use e2e::{
    CALL_TIMEOUT, CAS2020, Fixture, TEST_LIMIT, VERSIONS, bounded, expect_error, iso, role_arn,
};
use serde_json::Value;

#[tokio::test]
async fn wrong_keys_are_refused() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        for version in VERSIONS {
            // SignatureDoesNotMatch: the right key id, a wrong secret; the SDK compares the
            // server's string to sign with its own and says the secret is wrong.
            let config = fx
                .config()
                .signature_version(version)
                .credentials(Credentials::new(DEFAULT_ACCESS_KEY_ID, "not-the-secret"))
                .build();
            let client = cas2020::Client::new(&config).unwrap();
            let error = expect_error(
                &fx,
                client.list_user_certificate_order().send(),
                "SignatureDoesNotMatch",
                400,
            )
            .await;
            assert!(
                error.message().contains("server string to sign is:"),
                "{error}"
            );
            assert!(
                error.message().ends_with("the access key secret is wrong."),
                "{version:?}: {error}"
            );

            // InvalidAccessKeyId.NotFound: a key id the emulator does not know.
            let config = fx
                .config()
                .signature_version(version)
                .credentials(Credentials::new("LTAI-unknown-key", "whatever"))
                .build();
            let client = cas2020::Client::new(&config).unwrap();
            let error = expect_error(
                &fx,
                client.list_user_certificate_order().send(),
                "InvalidAccessKeyId.NotFound",
                404,
            )
            .await;
            assert_eq!(error.message(), "Specified access key is not found.");

            // InvalidSecurityToken.MismatchWithAccessKey: a temporary key without its token.
            let sts = sts::Client::new(&fx.config().signature_version(version).build()).unwrap();
            let issued = sts
                .assume_role()
                .role_arn(role_arn("e2e"))
                .role_session_name("e2e-session")
                .send()
                .await
                .unwrap()
                .credentials
                .unwrap();
            let config = fx
                .config()
                .signature_version(version)
                .credentials(Credentials::new(
                    issued.access_key_id.unwrap(),
                    issued.access_key_secret.unwrap(),
                ))
                .build();
            let client = cas2020::Client::new(&config).unwrap();
            expect_error(
                &fx,
                client.list_user_certificate_order().send(),
                "InvalidSecurityToken.MismatchWithAccessKey",
                400,
            )
            .await;
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

/// A raw answer.
struct Raw {
    status: u16,
    body: Value,
    request_id_header: Option<String>,
}

impl Raw {
    fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or_default()
    }
}

/// Sends ListUserCertificateOrder signed with `alibabacloud_core::signing::sign` over the
/// given nonce and timestamp, which the SDK itself always draws fresh.
async fn send_raw(
    fx: &Fixture,
    version: SignatureVersion,
    secret: &str,
    nonce: &str,
    timestamp: &str,
) -> Raw {
    let host = fx.emulator.local_addr().to_string();
    let input = SigningInput {
        method: "POST",
        host: &host,
        path: "/",
        action: "ListUserCertificateOrder",
        version: CAS2020,
        query: &[],
        body: None,
        access_key_id: DEFAULT_ACCESS_KEY_ID,
        access_key_secret: secret,
        security_token: None,
        nonce,
        timestamp,
        extra_headers: &[],
    };
    let signed = signing::sign(version, &input);
    let mut url = format!("{}/", fx.emulator.endpoint());
    if !signed.query.is_empty() {
        url.push('?');
        url.push_str(&encode::query_string(&signed.query));
    }
    let http = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    let mut request = http.post(url);
    for (name, value) in &signed.headers {
        request = request.header(name.as_ref(), value.as_ref());
    }
    let response = request.send().await.expect("an HTTP answer");
    let status = response.status().as_u16();
    let request_id_header = response
        .headers()
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(Value::Null);
    Raw {
        status,
        body,
        request_id_header,
    }
}

/// A refused raw request: status, code, message, and the error body's request id equal to
/// the header's.
fn assert_raw_error(raw: &Raw, status: u16, code: &str, message: &str) {
    assert_eq!((raw.status, raw.code()), (status, code), "{}", raw.body);
    assert_eq!(raw.body["Message"], message);
    assert_eq!(
        raw.body["RequestId"].as_str(),
        raw.request_id_header.as_deref()
    );
    assert!(
        raw.body["Recommend"]
            .as_str()
            .unwrap_or_default()
            .contains(code)
    );
}

#[tokio::test]
async fn stale_timestamps_and_reused_nonces_are_refused() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let secret = fx.emulator.credentials().access_key_secret().to_owned();
        for version in VERSIONS {
            let now = SystemTime::now();
            // InvalidTimeStamp.Expired: more than 15 minutes off, either way; 14 minutes is fine.
            for (offset, ok) in [(-20i64, false), (20, false), (-14, true)] {
                let shift = Duration::from_secs(offset.unsigned_abs() * 60);
                let at = if offset < 0 { now - shift } else { now + shift };
                let raw = send_raw(&fx, version, &secret, &signing::new_nonce(), &iso(at)).await;
                if ok {
                    assert_eq!(raw.status, 200, "{version:?} {offset} min: {}", raw.body);
                } else {
                    assert_raw_error(
                        &raw,
                        400,
                        "InvalidTimeStamp.Expired",
                        "Specified time stamp or date value is expired.",
                    );
                }
            }

            // SignatureNonceUsed: the same nonce twice.
            let nonce = signing::new_nonce();
            let first = send_raw(&fx, version, &secret, &nonce, &iso(SystemTime::now())).await;
            assert_eq!(first.status, 200, "{}", first.body);
            let again = send_raw(&fx, version, &secret, &nonce, &iso(SystemTime::now())).await;
            assert_raw_error(
                &again,
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );

            // The nonce of an SDK call is remembered too.
            let client =
                cas2020::Client::new(&fx.config().signature_version(version).build()).unwrap();
            let mark = fx.mark();
            client
                .list_user_certificate_order()
                .show_size(1)
                .send()
                .await
                .unwrap();
            let sdk_nonce = fx.since(mark)[0].nonce.clone().unwrap();
            let replay = send_raw(&fx, version, &secret, &sdk_nonce, &iso(SystemTime::now())).await;
            assert_eq!(replay.code(), "SignatureNonceUsed");

            // A nonce is remembered only once its signature matched.
            let nonce = signing::new_nonce();
            let forged = send_raw(
                &fx,
                version,
                "not-the-secret",
                &nonce,
                &iso(SystemTime::now()),
            )
            .await;
            assert_eq!(
                (forged.status, forged.code()),
                (400, "SignatureDoesNotMatch")
            );
            let genuine = send_raw(&fx, version, &secret, &nonce, &iso(SystemTime::now())).await;
            assert_eq!(genuine.status, 200, "{}", genuine.body);
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

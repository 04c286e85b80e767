//! The uploaded-certificate lifecycle on the generated clients against the emulator:
//! upload → list → detail → delete → not-found, with PEM made by `openssl`
//! (`tests/fixtures/pem/`), and the refusals of a bad upload.

use alibabacloud_cas_20180713 as cas2018;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::{Config, Error};
use alibabacloud_emulator::{Emulator, RunningEmulator};

const WEB_CERT: &str = include_str!("fixtures/pem/web.cert.pem");
const WEB_KEY: &str = include_str!("fixtures/pem/web.key.pem");
const API_CERT: &str = include_str!("fixtures/pem/api.cert.pem");
const API_KEY: &str = include_str!("fixtures/pem/api.key.pem");

fn config(emulator: &RunningEmulator) -> Config {
    Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build()
}

fn code(error: &Error) -> &str {
    error.code().unwrap_or("(no code)")
}

#[tokio::test]
async fn an_openssl_certificate_shows_its_own_subject_sans_and_dates_until_deleted() {
    let emulator = Emulator::start().await.unwrap();
    let client = cas2020::Client::new(&config(&emulator)).unwrap();

    let uploaded = client
        .upload_user_certificate()
        .name("web")
        .cert(WEB_CERT)
        .key(WEB_KEY)
        .send()
        .await
        .unwrap();
    let id = uploaded.cert_id.expect("a CertId");
    assert!(
        uploaded
            .resource_id
            .is_some_and(|r| r.starts_with("cas-upload-"))
    );

    // Every list shows what the certificate says of itself (openssl x509 -noout -text).
    for order_type in ["UPLOAD", "CERT"] {
        let list = client
            .list_user_certificate_order()
            .order_type(order_type)
            .keyword("fixture-works")
            .send()
            .await
            .unwrap();
        assert_eq!(list.total_count, Some(1), "{order_type}");
        let row = &list.certificate_order_list[0];
        assert_eq!(row.certificate_id, Some(id));
        assert_eq!(row.name.as_deref(), Some("web"));
        assert_eq!(
            row.common_name.as_deref(),
            Some("shop.fixture-works.example")
        );
        assert_eq!(
            row.sans.as_deref(),
            Some("shop.fixture-works.example,www.fixture-works.example")
        );
        assert_eq!(row.issuer.as_deref(), Some("shop.fixture-works.example"));
        assert_eq!(row.org_name.as_deref(), Some("Fixture Works GmbH"));
        assert_eq!(row.city.as_deref(), Some("Berlin"));
        assert_eq!(row.country.as_deref(), Some("DE"));
        assert_eq!(
            row.serial_no.as_deref(),
            Some("1c1fffee20f5102a1808534f08e6ed9a547f5fb7")
        );
        assert_eq!(
            row.sha2.as_deref(),
            Some("E1964924720FC99D7A217DE9764BC34A4B34CA4C1AD0153C91DCD200B29B6103")
        );
    }
    let listed = client
        .list_cert()
        .key_word("fixture-works")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.cert_list.len(), 1);
    assert_eq!(
        listed.cert_list[0].algorithm.as_ref().map(|a| a.as_str()),
        Some("RSA")
    );
    assert_eq!(listed.cert_list[0].exist_private_key, Some(true));

    let detail = client
        .get_user_certificate_detail()
        .cert_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(detail.common.as_deref(), Some("shop.fixture-works.example"));
    assert_eq!(detail.start_date.as_deref(), Some("2026-12-01"));
    assert_eq!(detail.end_date.as_deref(), Some("2046-11-26"));
    assert_eq!(detail.expired, Some(false));
    assert_eq!(detail.cert.as_deref(), Some(WEB_CERT.trim()));
    assert_eq!(detail.key.as_deref(), Some(WEB_KEY.trim()));
    let filtered = client
        .get_user_certificate_detail()
        .cert_id(id)
        .cert_filter(true)
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.key, None, "no key with CertFilter=true");
    assert_eq!(filtered.cert, None);

    client
        .delete_user_certificate()
        .cert_id(id)
        .send()
        .await
        .unwrap();
    let gone = client
        .get_user_certificate_detail()
        .cert_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "InvalidCertId.NotFound");
    let list = client
        .list_user_certificate_order()
        .order_type("CERT")
        .keyword("fixture-works")
        .send()
        .await
        .unwrap();
    assert_eq!(list.total_count, Some(0));
    let again = client
        .delete_user_certificate()
        .cert_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "InvalidCertId.NotFound");
}

#[tokio::test]
async fn a_bad_upload_is_refused_with_its_reason() {
    let emulator = Emulator::start().await.unwrap();
    let client = cas2020::Client::new(&config(&emulator)).unwrap();
    let upload = |name: &str, cert: &str, key: &str| {
        client
            .upload_user_certificate()
            .name(name)
            .cert(cert)
            .key(key)
            .send()
    };
    let mismatch = upload("a", WEB_CERT, API_KEY).await.unwrap_err();
    assert_eq!(code(&mismatch), "CertificateKeyMismatch");
    let malformed = upload(
        "b",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        WEB_KEY,
    )
    .await
    .unwrap_err();
    assert_eq!(code(&malformed), "InvalidParameter.Certificate");
    let not_pem = upload("c", "hello", WEB_KEY).await.unwrap_err();
    assert_eq!(code(&not_pem), "InvalidParameter.PEM");

    upload("api", API_CERT, API_KEY)
        .await
        .expect("a SEC1 P-256 key is accepted");
    let duplicate = upload("api", WEB_CERT, WEB_KEY).await.unwrap_err();
    assert_eq!(code(&duplicate), "NameRepeat");
    // Nothing refused was stored.
    let list = client
        .list_user_certificate_order()
        .order_type("UPLOAD")
        .keyword("fixture-works")
        .send()
        .await
        .unwrap();
    assert_eq!(list.total_count, Some(1));
    assert_eq!(list.certificate_order_list[0].name.as_deref(), Some("api"));
}

#[tokio::test]
async fn the_2018_api_sees_the_same_store() {
    let emulator = Emulator::start().await.unwrap();
    let client = cas2018::Client::new(&config(&emulator)).unwrap();
    let created = client
        .create_user_certificate()
        .name("api-2018")
        .cert(API_CERT)
        .key(API_KEY)
        .send()
        .await
        .unwrap();
    let id = created.cert_id.expect("a CertId");
    let list = client
        .describe_user_certificate_list()
        .show_size(200)
        .send()
        .await
        .unwrap();
    let row = list
        .certificate_list
        .iter()
        .find(|c| c.id == Some(id))
        .expect("listed");
    assert_eq!(row.common.as_deref(), Some("api.fixture-works.example"));
    assert_eq!(row.org_name.as_deref(), Some("Fixture Works Pte"));
    let detail = client
        .describe_user_certificate_detail()
        .cert_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(detail.cert.as_deref(), Some(API_CERT.trim()));
    client
        .delete_user_certificate()
        .cert_id(id)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_user_certificate_detail()
        .cert_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "InvalidCertId.NotFound");
}

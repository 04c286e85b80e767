//! CSRs and certificate applications on the generated CAS 2020-04-07 client against the
//! emulator: make a CSR, apply with it, wait until the certificate is issued (the generated
//! waiter), download it and check that the emulator's CA certified the requested domain
//! for the CSR's key; a domain that cannot be validated fails; quotas come from the
//! packages; an issued certificate can be revoked.

use std::time::Duration;

use alibabacloud_cas_20200407 as cas;
use alibabacloud_core::Config;
use alibabacloud_emulator::{Emulator, RunningEmulator};

const HOUR: Duration = Duration::from_secs(3600);

async fn start(step: Duration) -> (RunningEmulator, cas::Client) {
    let emulator = Emulator::builder()
        .lifecycle_step(step)
        .start()
        .await
        .unwrap();
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build();
    let client = cas::Client::new(&config).unwrap();
    (emulator, client)
}

/// The certificates of a PEM chain, decoded.
fn chain(pem: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    pem.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .filter_map(|block| block.split("-----END CERTIFICATE-----").next())
        .map(|b64| {
            let b64: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn a_csr_application_is_issued_by_the_emulator_ca_for_the_requested_domain() {
    let (_emulator, client) = start(Duration::from_millis(40)).await;
    let csr = client
        .create_csr()
        .algorithm("RSA")
        .key_size(2048)
        .common_name("shop.example.org")
        .sans("www.shop.example.org")
        .country_code("DE")
        .province("Berlin")
        .locality("Berlin")
        .corp_name("Example Shop GmbH")
        .send()
        .await
        .unwrap();
    let csr_id = csr.csr_id.unwrap();
    let detail = client.get_csr_detail().csr_id(csr_id).send().await.unwrap();
    let csr_pem = detail.csr.unwrap();
    assert!(csr_pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
    let key_pem = detail.private_key.unwrap();
    assert!(key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let listed = client
        .list_csr()
        .key_word("shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.csr_list.len(), 1);
    assert_eq!(listed.csr_list[0].key_size, Some(2048));
    assert_eq!(listed.csr_list[0].has_private_key, Some(true));

    let order = client
        .create_certificate_with_csr_request()
        .csr(&csr_pem)
        .username("Alex")
        .phone("13800000000")
        .email("alex@example.org")
        .validate_type("DNS")
        .send()
        .await
        .unwrap()
        .order_id
        .unwrap();
    let first = client
        .describe_certificate_state()
        .order_id(order)
        .send()
        .await
        .unwrap();
    assert_eq!(
        first.r#type.map(|t| t.to_string()).as_deref(),
        Some("domain_verify")
    );
    assert_eq!(first.record_domain.as_deref(), Some("_dnsauth"));
    assert!(first.record_value.is_some_and(|v| !v.is_empty()));

    let issued = client
        .wait_until_certificate_issued()
        .order_id(order)
        .poll_delays(Duration::from_millis(10), Duration::from_millis(40))
        .max_wait(Duration::from_secs(20))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.domain.as_deref(), Some("shop.example.org"));
    assert_eq!(
        issued.private_key, None,
        "the user kept the key of their own CSR"
    );
    let certificate = issued.certificate.unwrap();
    let certs = chain(&certificate);
    assert_eq!(certs.len(), 2, "leaf and the emulator CA");

    // The leaf names the domain, chains to the CA, and holds the CSR's key.
    let uploaded = client
        .upload_user_certificate()
        .name("issued")
        .cert(&certificate)
        .key(&key_pem)
        .send()
        .await
        .expect("the issued certificate matches the CSR's key");
    let detail = client
        .get_user_certificate_detail()
        .cert_id(uploaded.cert_id.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(detail.common.as_deref(), Some("shop.example.org"));
    assert_eq!(
        detail.sans.as_deref(),
        Some("shop.example.org,www.shop.example.org")
    );
    assert_eq!(detail.issuer.as_deref(), Some("Emulator DV TLS CA G1"));

    // The issued certificate is among the certificates, until it is revoked.
    let id: i64 = issued.cert_id.unwrap().parse().unwrap();
    let valid = client
        .list_user_certificate_order()
        .order_type("CERT")
        .keyword("shop.example.org")
        .send()
        .await
        .unwrap();
    assert!(
        valid
            .certificate_order_list
            .iter()
            .any(|c| c.certificate_id == Some(id))
    );
    let instance = valid
        .certificate_order_list
        .iter()
        .find(|c| c.certificate_id == Some(id))
        .and_then(|c| c.instance_id.clone())
        .unwrap();
    client
        .revoke_certificate()
        .instance_id(&instance)
        .send()
        .await
        .unwrap();
    let revoked = client
        .list_user_certificate_order()
        .order_type("CERT")
        .status("REVOKED")
        .keyword("shop.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.total_count, Some(1));
}

#[tokio::test]
async fn an_application_moves_one_step_at_a_time_and_an_invalid_domain_fails() {
    let (emulator, client) = start(HOUR).await;
    let apply = |domain: &'static str| {
        client
            .create_certificate_request()
            .domain(domain)
            .username("Alex")
            .phone("13800000000")
            .email("alex@example.org")
            .validate_type("FILE")
            .send()
    };
    let good = apply("web.example.org").await.unwrap().order_id.unwrap();
    let bad = apply("nowhere.invalid").await.unwrap().order_id.unwrap();
    let state = |order: i64| {
        let client = client.clone();
        async move {
            let state = client
                .describe_certificate_state()
                .order_id(order)
                .send()
                .await
                .unwrap();
            (
                state
                    .r#type
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                state,
            )
        }
    };
    let (first, body) = state(good).await;
    assert_eq!(first, "domain_verify");
    assert_eq!(
        body.uri.as_deref(),
        Some(format!("/.well-known/pki-validation/fileauth-{good}.txt").as_str())
    );
    emulator.advance(HOUR);
    assert_eq!(state(good).await.0, "process");
    assert_eq!(state(bad).await.0, "verify_fail");
    let failed = client
        .wait_until_certificate_issued()
        .order_id(bad)
        .send()
        .await
        .unwrap_err();
    assert_eq!(failed.waiter_state(), Some("verify_fail"));
    emulator.advance(HOUR);
    let (done, body) = state(good).await;
    assert_eq!(done, "certificate");
    assert!(body.private_key.is_some(), "the emulator made this key");

    // Cancelling is for applications in progress; deleting takes any.
    let in_progress = apply("later.example.org").await.unwrap().order_id.unwrap();
    client
        .cancel_certificate_for_package_request()
        .order_id(in_progress)
        .send()
        .await
        .unwrap();
    let cancel_issued = client
        .cancel_certificate_for_package_request()
        .order_id(good)
        .send()
        .await
        .unwrap_err();
    assert_eq!(cancel_issued.code(), Some("OperationDenied.OrderStatus"));
    client
        .delete_certificate_request()
        .order_id(bad)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_certificate_state()
        .order_id(bad)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("InvalidOrderId.NotFound"));
}

#[tokio::test]
async fn applications_take_their_quota_from_the_package() {
    let (_emulator, client) = start(HOUR).await;
    let package = |client: cas::Client| async move {
        client
            .describe_package_state()
            .product_code("symantec-free-1-free")
            .send()
            .await
            .unwrap()
    };
    let before = package(client.clone()).await;
    let total = before.total_count.unwrap();
    assert_eq!(before.used_count, Some(0));
    for i in 0..total {
        client
            .create_certificate_request()
            .product_code("symantec-free-1-free")
            .domain(format!("site{i}.example.org"))
            .username("Alex")
            .phone("13800000000")
            .email("alex@example.org")
            .validate_type("DNS")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(package(client.clone()).await.used_count, Some(total));
    let over = client
        .create_certificate_request()
        .product_code("symantec-free-1-free")
        .domain("one-more.example.org")
        .username("Alex")
        .phone("13800000000")
        .email("alex@example.org")
        .validate_type("DNS")
        .send()
        .await
        .unwrap_err();
    assert_eq!(over.code(), Some("InsufficientQuota"));
}

//! The private CA lifecycle on the generated CAS 2020-06-30 client against the emulator:
//! a root CA, a subordinate CA under it, server and client certificates under that (with a
//! key the emulator makes, and with the caller's CSR), each a real chain that
//! `openssl verify` accepts; the private key answered encrypted, matching its certificate;
//! revocation and deletion as the lists and status operations show them; tags.
//!
//! The `openssl` binary checks the chains; a test that needs it says so and skips its
//! openssl part when it is not installed (CI installs it).

use std::path::Path;
use std::process::Command;

use alibabacloud_cas_20200630 as pca;
use alibabacloud_cas_20200630::create_root_ca_certificate::Algorithm;
use alibabacloud_cas_20200630::tag_resources::Tag;
use alibabacloud_core::Config;
use alibabacloud_emulator::{DataSet, Emulator, RunningEmulator};

async fn start() -> (RunningEmulator, pca::Client) {
    // An empty data set: only what the test makes.
    let emulator = Emulator::builder()
        .data(DataSet::default())
        .start()
        .await
        .unwrap();
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build();
    let client = pca::Client::new(&config).unwrap();
    (emulator, client)
}

fn openssl_available() -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("openssl is not installed: skipping the openssl checks of this test");
    }
    found
}

fn openssl(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "openssl {args:?}: {text}");
    text
}

struct Hierarchy {
    root: String,
    root_pem: String,
    sub: String,
    sub_pem: String,
}

async fn hierarchy(client: &pca::Client) -> Hierarchy {
    let root = client
        .create_root_ca_certificate()
        .algorithm(Algorithm::Ecc256)
        .common_name("Test Root CA")
        .organization("Example Corp")
        .organization_unit("Security")
        .locality("Hangzhou")
        .state("Zhejiang")
        .country_code("CN")
        .years(10)
        .send()
        .await
        .unwrap();
    let root_id = root.identifier.unwrap();
    let root_pem = root.certificate.unwrap();
    assert!(root_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let sub = client
        .create_sub_ca_certificate()
        .parent_identifier(&root_id)
        .algorithm(pca::create_sub_ca_certificate::Algorithm::Ecc256)
        .common_name("Test Issuing CA")
        .organization("Example Corp")
        .organization_unit("Security")
        .locality("Hangzhou")
        .state("Zhejiang")
        .years(5)
        .send()
        .await
        .unwrap();
    let sub_chain = sub.certificate_chain.unwrap();
    assert!(sub_chain.ends_with(&root_pem), "the chain ends at the root");
    Hierarchy {
        root: root_id,
        root_pem,
        sub: sub.identifier.unwrap(),
        sub_pem: sub.certificate.unwrap(),
    }
}

#[tokio::test]
async fn a_private_ca_issues_certificates_that_chain_to_its_root() {
    let (emulator, client) = start().await;
    let ca = hierarchy(&client).await;

    let server = client
        .create_server_certificate()
        .parent_identifier(&ca.sub)
        .algorithm(Algorithm::Ecc256)
        .common_name("www.example.test")
        .domain("www.example.test,api.example.test")
        .organization("Example Corp")
        .years(1)
        .send()
        .await
        .unwrap();
    let server_id = server.identifier.unwrap();
    let server_pem = server.x509_certificate.unwrap();
    let server_serial = server.serial_number.unwrap();
    assert!(server.certificate_chain.unwrap().starts_with(&server_pem));

    let client_cert = client
        .create_client_certificate()
        .parent_identifier(&ca.sub)
        .algorithm(Algorithm::Ecc256)
        .common_name("alice")
        .san_type(1)
        .san_value("alice@example.test")
        .years(1)
        .send()
        .await
        .unwrap();
    let client_id = client_cert.identifier.unwrap();
    let client_pem = client_cert.x509_certificate.unwrap();

    // With the caller's CSR: the caller keeps the key.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["csr.example.test".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "csr.example.test");
    let csr = params.serialize_request(&key).unwrap().pem().unwrap();
    let from_csr = client
        .create_server_certificate_with_csr()
        .parent_identifier(&ca.sub)
        .csr(&csr)
        .years(1)
        .send()
        .await
        .unwrap();
    let csr_id = from_csr.identifier.unwrap();
    let csr_pem = from_csr.x509_certificate.unwrap();
    let refused = client
        .describe_certificate_private_key()
        .identifier(&csr_id)
        .encrypted_code("Passw0rd-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("OperationDenied.NoPrivateKey"));

    // Describe, list and count agree.
    let described = client
        .describe_client_certificate()
        .identifier(&server_id)
        .send()
        .await
        .unwrap()
        .certificate
        .unwrap();
    assert_eq!(
        described.serial_number.as_deref(),
        Some(server_serial.as_str())
    );
    assert_eq!(
        described.parent_identifier.as_deref(),
        Some(ca.sub.as_str())
    );
    assert!(described.sans.unwrap().contains("api.example.test"));
    let listed = client.list_client_certificate().send().await.unwrap();
    assert_eq!(listed.total_count, Some(3));
    let cas = client.describe_ca_certificate_list().send().await.unwrap();
    assert_eq!(cas.total_count, Some(2));
    let count = client.describe_ca_certificate_count().send().await.unwrap();
    assert_eq!(count.total_count, Some(2));

    // The private key, encrypted with the code given.
    let encrypted = client
        .describe_certificate_private_key()
        .identifier(&server_id)
        .encrypted_code("Passw0rd-1")
        .send()
        .await
        .unwrap()
        .encrypted_data
        .unwrap();
    assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    if openssl_available() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("root.pem", &ca.root_pem);
        write("sub.pem", &ca.sub_pem);
        write("server.pem", &server_pem);
        write("client.pem", &client_pem);
        write("csr-server.pem", &csr_pem);
        write("key.enc.pem", &encrypted);
        let verify = |leaf: &str, purpose: &str| {
            let out = openssl(
                dir.path(),
                &[
                    "verify",
                    "-CAfile",
                    "root.pem",
                    "-untrusted",
                    "sub.pem",
                    "-purpose",
                    purpose,
                    leaf,
                ],
            );
            assert!(out.contains(&format!("{leaf}: OK")), "{out}");
        };
        verify("server.pem", "sslserver");
        verify("csr-server.pem", "sslserver");
        verify("client.pem", "sslclient");
        verify("sub.pem", "any");
        // The key decrypts with the code and is the certificate's.
        openssl(
            dir.path(),
            &[
                "pkcs8",
                "-in",
                "key.enc.pem",
                "-passin",
                "pass:Passw0rd-1",
                "-out",
                "key.pem",
            ],
        );
        let from_key = openssl(dir.path(), &["pkey", "-in", "key.pem", "-pubout"]);
        let from_cert = openssl(
            dir.path(),
            &["x509", "-in", "server.pem", "-noout", "-pubkey"],
        );
        assert_eq!(from_key, from_cert);
        // A wrong code does not decrypt it.
        let wrong = Command::new("openssl")
            .current_dir(dir.path())
            .args(["pkcs8", "-in", "key.enc.pem", "-passin", "pass:wrong"])
            .output()
            .unwrap();
        assert!(!wrong.status.success());
    }
    let _ = (ca.root, client_id);
    emulator.shutdown().await;
}

#[tokio::test]
async fn revocation_shows_in_the_lists_and_status_operations() {
    let (emulator, client) = start().await;
    let ca = hierarchy(&client).await;
    let make_client = |name: &'static str| {
        client
            .create_client_certificate()
            .parent_identifier(&ca.sub)
            .algorithm(Algorithm::Ecc256)
            .common_name(name)
            .years(1)
            .send()
    };
    let alice = make_client("alice").await.unwrap();
    let (alice_id, alice_serial) = (alice.identifier.unwrap(), alice.serial_number.unwrap());
    let bob = make_client("bob").await.unwrap().identifier.unwrap();

    let status = |id: String| {
        client
            .describe_client_certificate_status()
            .identifier(id)
            .send()
    };
    let good = status(alice_id.clone()).await.unwrap();
    assert_eq!(
        good.certificate_status[0]
            .status
            .as_ref()
            .map(|s| s.as_str()),
        Some("good")
    );
    // Deleting a certificate that is not revoked is refused.
    let err = client
        .delete_client_certificate()
        .identifier(&alice_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("OperationDenied.CertificateStatus"));

    client
        .create_revoke_client_certificate()
        .identifier(&alice_id)
        .send()
        .await
        .unwrap();
    let revoked = status(alice_id.clone()).await.unwrap();
    let row = &revoked.certificate_status[0];
    assert_eq!(row.status.as_ref().map(|s| s.as_str()), Some("revoked"));
    assert!(row.revoke_time.unwrap_or_default() > 0);
    let by_serial = client
        .describe_client_certificate_status_for_serial_number()
        .serial_number(&alice_serial)
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_serial.certificate_status[0]
            .status
            .as_ref()
            .map(|s| s.as_str()),
        Some("revoked")
    );
    let again = client
        .create_revoke_client_certificate()
        .identifier(&alice_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("OperationDenied.Revoked"));
    let revoked_list = |client: &pca::Client| client.list_revoke_certificate().send();
    let list = revoked_list(&client).await.unwrap();
    assert_eq!(list.total_count, Some(1));
    assert_eq!(
        list.certificate_list[0].identifier.as_deref(),
        Some(alice_id.as_str())
    );

    // Deleted: gone from the client list, still on the revocation list.
    client
        .delete_client_certificate()
        .identifier(&alice_id)
        .send()
        .await
        .unwrap();
    let listed = client.list_client_certificate().send().await.unwrap();
    let ids: Vec<_> = listed
        .certificate_list
        .iter()
        .filter_map(|c| c.identifier.clone())
        .collect();
    assert_eq!(ids, std::slice::from_ref(&bob));
    let gone = client
        .describe_client_certificate()
        .identifier(&alice_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("InvalidIdentifier.NotFound"));
    assert_eq!(revoked_list(&client).await.unwrap().total_count, Some(1));

    // A revoked CA is listed too, and issues nothing more.
    client
        .update_ca_certificate_status()
        .identifier(&ca.sub)
        .status("REVOKE")
        .send()
        .await
        .unwrap();
    let list = revoked_list(&client).await.unwrap();
    assert_eq!(list.total_count, Some(2));
    let described = client
        .describe_ca_certificate()
        .identifier(&ca.sub)
        .send()
        .await
        .unwrap()
        .certificate
        .unwrap();
    assert_eq!(
        described.status.as_ref().map(|s| s.as_str()),
        Some("REVOKE")
    );
    let refused = make_client("carol").await.unwrap_err();
    assert_eq!(refused.code(), Some("OperationDenied.CaStatus"));
    let unknown = client
        .describe_client_certificate()
        .identifier("0123456789abcdef0123456789abcdef")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("InvalidIdentifier.NotFound"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn private_ca_certificates_take_tags() {
    let (emulator, client) = start().await;
    let ca = hierarchy(&client).await;
    client
        .tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("instance")
        .resource_id([ca.root.clone(), ca.sub.clone()])
        .tag([Tag::default().key("env").value("test")])
        .send()
        .await
        .unwrap();
    client
        .tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("instance")
        .resource_id([ca.sub.clone()])
        .tag([Tag::default().key("tier").value("issuing")])
        .send()
        .await
        .unwrap();
    let tagged = |key: &'static str| {
        client
            .list_tag_resources()
            .region_id("cn-hangzhou")
            .resource_type("instance")
            .tag([Tag::default().key(key)])
            .send()
    };
    let rows = tagged("tier").await.unwrap().data.unwrap().tag_resources;
    assert_eq!(rows.len(), 2, "{rows:?}"); // the sub CA's two tags
    assert!(
        rows.iter()
            .all(|r| r.resource_id.as_deref() == Some(ca.sub.as_str()))
    );
    client
        .untag_resources()
        .region_id("cn-hangzhou")
        .resource_type("instance")
        .resource_id([ca.sub.clone()])
        .tag_key(["tier"])
        .send()
        .await
        .unwrap();
    assert!(
        tagged("tier")
            .await
            .unwrap()
            .data
            .unwrap()
            .tag_resources
            .is_empty()
    );
    let described = client
        .describe_ca_certificate()
        .identifier(&ca.sub)
        .send()
        .await
        .unwrap()
        .certificate
        .unwrap();
    let tags: Vec<_> = described
        .tags
        .iter()
        .map(|t| (t.tag_key.clone().unwrap(), t.tag_value.clone().unwrap()))
        .collect();
    assert_eq!(tags, [("env".to_owned(), "test".to_owned())]);
    let unknown = client
        .tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("instance")
        .resource_id(["nope".to_owned()])
        .tag([Tag::default().key("env").value("x")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("InvalidResourceId.NotFound"));
    emulator.shutdown().await;
}

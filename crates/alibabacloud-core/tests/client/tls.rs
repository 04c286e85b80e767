//! TLS options against a loopback TLS server whose certificates are made at test time:
//! an added root, only the added roots, a client certificate (mutual TLS), a minimum
//! version, and accepting any certificate (for emulators only).

#![cfg(all(feature = "rustls", not(feature = "native-tls")))]

use std::sync::Arc;

use alibabacloud_core::connection::{TlsOptions, TlsVersion};
use alibabacloud_core::{CallOptions, Params};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::*;

/// A certificate authority made for one test, and certificates it signs.
struct Authority {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Authority {
    fn new(name: &str) -> Self {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        Self { cert, key }
    }

    /// A leaf certificate for `names`, and its key.
    fn issue(&self, names: &[&str]) -> (rcgen::Certificate, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                .unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        (cert, key)
    }

    fn pem(&self) -> String {
        self.cert.pem()
    }
}

/// What the server demands.
struct ServerSetup<'a> {
    server_ca: &'a Authority,
    client_ca: Option<&'a Authority>,
    versions: &'static [&'static rustls::SupportedProtocolVersion],
}

/// Starts a TLS server for `localhost`/`127.0.0.1` answering `OK_BODY`; its endpoint.
async fn tls_server(setup: ServerSetup<'_>) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (cert, key) = setup.server_ca.issue(&["localhost", "127.0.0.1"]);
    let chain = vec![CertificateDer::from(cert.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let builder = rustls::ServerConfig::builder_with_protocol_versions(setup.versions);
    let builder = match setup.client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots
                .add(CertificateDer::from(ca.cert.der().to_vec()))
                .unwrap();
            let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder.with_single_cert(chain, key).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut buffer = vec![0u8; 16 * 1024];
                let _ = tls.read(&mut buffer).await;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{OK_BODY}",
                    OK_BODY.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

async fn call(endpoint: &str, tls: TlsOptions) -> Result<(), alibabacloud_core::Error> {
    let credentials = CountingCredentials::default();
    handle(config(endpoint, &credentials).tls(tls))
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .map(drop)
}

const BOTH: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS13, &rustls::version::TLS12];
const ONLY_TLS12: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];

#[tokio::test]
async fn a_private_root_is_trusted_only_once_added() {
    let ca = Authority::new("Test Root CA");
    let endpoint = tls_server(ServerSetup {
        server_ca: &ca,
        client_ca: None,
        versions: BOTH,
    })
    .await;
    let error = call(&endpoint, TlsOptions::new())
        .await
        .expect_err("an unknown issuer");
    assert!(
        !error.may_have_run(),
        "the handshake failed: nothing was sent: {error}"
    );
    call(&endpoint, TlsOptions::new().add_root_certificates(ca.pem()))
        .await
        .expect("trusted once added");
    call(
        &endpoint,
        TlsOptions::new()
            .add_root_certificates(ca.pem())
            .only_added_roots(),
    )
    .await
    .expect("trusted as the only root");
    // Another private root does not vouch for this server.
    let other = Authority::new("Other Root CA");
    call(
        &endpoint,
        TlsOptions::new()
            .add_root_certificates(other.pem())
            .only_added_roots(),
    )
    .await
    .expect_err("not this server's issuer");
    // Any certificate, for an emulator only.
    call(&endpoint, TlsOptions::new().danger_accept_invalid_certs())
        .await
        .expect("checks off");
}

#[tokio::test]
async fn a_client_certificate_answers_a_server_that_demands_one() {
    let ca = Authority::new("Server CA");
    let clients = Authority::new("Client CA");
    let endpoint = tls_server(ServerSetup {
        server_ca: &ca,
        client_ca: Some(&clients),
        versions: BOTH,
    })
    .await;
    let trusted = || TlsOptions::new().add_root_certificates(ca.pem());
    call(&endpoint, trusted())
        .await
        .expect_err("no client certificate");
    let (cert, key) = clients.issue(&["client.test"]);
    call(
        &endpoint,
        trusted().client_certificate(cert.pem(), key.serialize_pem()),
    )
    .await
    .expect("mutual TLS");
    // A key that is not PEM is a configuration error that does not quote it.
    let credentials = CountingCredentials::default();
    let bad_key = config(&endpoint, &credentials)
        .tls(trusted().client_certificate(cert.pem(), "SECRET-NOT-PEM"))
        .build();
    let error = alibabacloud_core::Handle::new(&bad_key, &SERVICE).unwrap_err();
    assert_eq!(error.kind(), alibabacloud_core::error::ErrorKind::Config);
    assert!(!format!("{bad_key:?}").contains("SECRET-NOT-PEM"));
    assert!(!error.to_string().contains("SECRET-NOT-PEM"), "{error}");
}

#[tokio::test]
async fn a_minimum_version_refuses_older_servers() {
    let ca = Authority::new("Root");
    let old = tls_server(ServerSetup {
        server_ca: &ca,
        client_ca: None,
        versions: ONLY_TLS12,
    })
    .await;
    let trusted = || TlsOptions::new().add_root_certificates(ca.pem());
    call(&old, trusted().min_version(TlsVersion::Tls12))
        .await
        .expect("1.2 allowed");
    call(&old, trusted().min_version(TlsVersion::Tls13))
        .await
        .expect_err("1.3 required");
}

//! The HTTP client behind a handle: its connection pool, TLS and proxy, always with
//! redirects off.
//!
//! The API gateway closes a keep-alive connection after about 10 s of idleness, so the
//! pool lets an idle connection go after [`DEFAULT_POOL_IDLE_TIMEOUT`] (5 s), before the
//! gateway can: a call after a pause then opens a fresh connection instead of meeting a
//! reset on a stale one.

use std::fmt;
use std::time::Duration;

use crate::config::Config;
use crate::error::Error;

/// How long an idle connection stays in the pool by default: below the gateway's ~10 s.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// The connection pool's settings ([`ConfigBuilder::pool`](crate::ConfigBuilder::pool)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    /// How long an idle connection is kept (default [`DEFAULT_POOL_IDLE_TIMEOUT`]).
    pub idle_timeout: Duration,
    /// The most idle connections kept per host (default: no limit).
    pub max_idle_per_host: Option<usize>,
    /// TCP keepalive probes on open connections, every this often (default: off).
    pub tcp_keepalive: Option<Duration>,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            max_idle_per_host: None,
            tcp_keepalive: None,
        }
    }
}

/// The lowest TLS version a client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2 (the default floor of both TLS backends).
    Tls12,
    /// TLS 1.3 only.
    Tls13,
}

/// TLS settings ([`ConfigBuilder::tls`](crate::ConfigBuilder::tls)).
///
/// `Debug` never shows the client key.
#[derive(Clone, Default)]
pub struct TlsOptions {
    roots: Vec<Vec<u8>>,
    replace_roots: bool,
    identity: Option<(Vec<u8>, Vec<u8>)>,
    min_version: Option<TlsVersion>,
    accept_invalid_certs: bool,
}

impl TlsOptions {
    /// No changes: the backend's bundled or platform root certificates.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also trusts the certificates of this PEM bundle (one or more certificates).
    pub fn add_root_certificates(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.roots.push(pem.into());
        self
    }

    /// Trusts only the certificates added with
    /// [`add_root_certificates`](TlsOptions::add_root_certificates), not the defaults.
    pub fn only_added_roots(mut self) -> Self {
        self.replace_roots = true;
        self
    }

    /// Presents this client certificate (PEM, with its chain) and private key (PEM,
    /// PKCS #8) to a server that asks for one (mutual TLS).
    pub fn client_certificate(
        mut self,
        cert_pem: impl Into<Vec<u8>>,
        key_pem: impl Into<Vec<u8>>,
    ) -> Self {
        self.identity = Some((cert_pem.into(), key_pem.into()));
        self
    }

    /// Refuses servers that speak a TLS version below `version`.
    pub fn min_version(mut self, version: TlsVersion) -> Self {
        self.min_version = Some(version);
        self
    }

    /// **Accepts any server certificate**, however invalid: for a local emulator served
    /// over HTTPS with a throwaway certificate, never for the cloud. Every client built
    /// with it logs a warning.
    pub fn danger_accept_invalid_certs(mut self) -> Self {
        self.accept_invalid_certs = true;
        self
    }
}

impl fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsOptions")
            .field("added_roots", &self.roots.len())
            .field("only_added_roots", &self.replace_roots)
            .field(
                "client_certificate",
                &self.identity.as_ref().map(|_| "<key redacted>"),
            )
            .field("min_version", &self.min_version)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .finish()
    }
}

/// The HTTP client of a handle built from `config` (with `connect_timeout`): no
/// redirects, no `Referer`, the pool, TLS and proxy settings.
pub(crate) fn http_client(
    config: &Config,
    connect_timeout: Duration,
) -> Result<reqwest::Client, Error> {
    // Redirects are never followed and no `Referer` is sent: following one would hand
    // the signed request (V3's `x-acs-security-token`, V1's whole signed query in the
    // `Referer`) to whatever host the `Location` names. A 3xx becomes an error.
    let pool = &config.pool;
    let mut http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(pool.idle_timeout)
        .tcp_keepalive(pool.tcp_keepalive);
    if let Some(max) = pool.max_idle_per_host {
        http = http.pool_max_idle_per_host(max);
    }
    // An explicit proxy replaces the environment's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY),
    // which reqwest reads otherwise.
    if let Some(proxy) = &config.proxy {
        let proxy = reqwest::Proxy::all(&proxy.0)
            .map_err(|_| Error::config(format!("the proxy URL {proxy:?} is not a valid URL")))?;
        http = http.proxy(proxy);
    }
    http = tls(http, &config.tls)?;
    http.build()
        .map_err(|e| Error::network("the HTTP client could not be built", e))
}

fn tls(
    mut http: reqwest::ClientBuilder,
    tls: &TlsOptions,
) -> Result<reqwest::ClientBuilder, Error> {
    for pem in &tls.roots {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::config(format!("a root certificate bundle is not PEM: {e}")))?;
        if certificates.is_empty() {
            return Err(Error::config(
                "a root certificate bundle holds no certificate",
            ));
        }
        for certificate in certificates {
            http = http.add_root_certificate(certificate);
        }
    }
    if tls.replace_roots {
        http = http.tls_built_in_root_certs(false);
    }
    if let Some((cert, key)) = &tls.identity {
        http = http.identity(identity(cert, key)?);
    }
    if let Some(version) = tls.min_version {
        http = http.min_tls_version(match version {
            TlsVersion::Tls12 => reqwest::tls::Version::TLS_1_2,
            TlsVersion::Tls13 => reqwest::tls::Version::TLS_1_3,
        });
    }
    if tls.accept_invalid_certs {
        tracing::warn!(
            "TLS certificate checks are OFF for this client (danger_accept_invalid_certs): \
             any server can pose as the endpoint; use this for a local emulator only"
        );
        http = http.danger_accept_invalid_certs(true);
    }
    Ok(http)
}

/// The client certificate and key as the TLS backend takes them. The error never
/// quotes the key.
fn identity(cert: &[u8], key: &[u8]) -> Result<reqwest::Identity, Error> {
    let refused = |_| Error::config("the client certificate or its private key is not valid PEM");
    #[cfg(feature = "native-tls")]
    {
        reqwest::Identity::from_pkcs8_pem(cert, key).map_err(refused)
    }
    #[cfg(not(feature = "native-tls"))]
    {
        let mut pem = cert.to_vec();
        pem.push(b'\n');
        pem.extend_from_slice(key);
        reqwest::Identity::from_pem(&pem).map_err(refused)
    }
}

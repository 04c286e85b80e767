//! Credentials served at a URI (`ALIBABA_CLOUD_CREDENTIALS_URI`), e.g. by a sidecar.

use std::fmt;
use std::time::Duration;

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;

use crate::cache::CredentialsCache;
use crate::document;
use crate::env::Env;
use crate::http::{self, Timeouts};

const TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(5),
    read: Duration::from_secs(10),
};

/// `GET`s the URI given, else `ALIBABA_CLOUD_CREDENTIALS_URI`: a JSON document
/// `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`.
///
/// Timeouts: 5 s connect, 10 s read. A body over 64 KiB is refused unread, and so are
/// credentials whose `Expiration` has already passed. Messages show the URI without its
/// query. The
/// credentials are cached and refreshed 15 minutes before they expire, one refresh at a
/// time. Provider name: `credential_uri`. `Debug` shows the URI without its query.
#[derive(Default)]
pub struct UriProvider {
    env: Env,
    uri: Option<String>,
    cache: CredentialsCache,
}

impl UriProvider {
    /// Reads the URI from the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the URI from `env` instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Uses this URI instead of `ALIBABA_CLOUD_CREDENTIALS_URI`.
    pub fn with_uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let uri = self
            .uri
            .clone()
            .or_else(|| self.env.var("ALIBABA_CLOUD_CREDENTIALS_URI"))
            .ok_or_else(|| Error::credentials("ALIBABA_CLOUD_CREDENTIALS_URI not set"))?;
        let shown = http::redact(&uri);
        let failed = |reason: String| Error::credentials(format!("GET {shown}: {reason}"));
        let client = http::client(TIMEOUTS, false)?;
        let response = client
            .get(&uri)
            .send()
            .await
            .map_err(|e| failed(http::describe(e)))?;
        if !response.status().is_success() {
            return Err(failed(http::status_failure(&response)));
        }
        let body = http::read_capped(response, http::MAX_BODY_BYTES)
            .await
            .map_err(failed)?;
        document::parse(&body, "credential_uri").map_err(failed)
    }
}

impl fmt::Debug for UriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UriProvider")
            .field("env", &self.env)
            .field("uri", &self.uri.as_deref().map(http::redact))
            .finish()
    }
}

impl ProvideCredentials for UriProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

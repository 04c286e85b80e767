//! Credentials and the provider trait.
//!
//! The runtime only needs "give me credentials for this attempt"; where they come from
//! (environment, profile files, STS, instance metadata) is the business of the
//! `alibabacloud-credentials` crate, which implements [`ProvideCredentials`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::error::Error;

/// An access key, optionally with an STS security token and an expiry.
///
/// Cheap to clone (the key material is shared). `Debug` shows the access key id and
/// redacts the secret and the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    keys: Arc<Keys>,
    expiration: Option<SystemTime>,
    provider: &'static str,
}

#[derive(Clone, PartialEq, Eq)]
struct Keys {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

impl Credentials {
    /// Long-term access key credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            keys: Arc::new(Keys {
                access_key_id: access_key_id.into(),
                access_key_secret: access_key_secret.into(),
                security_token: None,
            }),
            expiration: None,
            provider: "static_ak",
        }
    }

    /// Temporary STS credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.keys).security_token = Some(token.into());
        if self.provider == "static_ak" {
            self.provider = "static_sts";
        }
        self
    }

    /// Sets when temporary credentials expire.
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// Names the provider that produced the credentials (`env`, `ecs_ram_role`, ...).
    pub fn with_provider(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.keys.access_key_id
    }

    /// The access key secret. Never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.keys.access_key_secret
    }

    /// The STS security token, for temporary credentials.
    pub fn security_token(&self) -> Option<&str> {
        self.keys.security_token.as_deref()
    }

    /// When temporary credentials expire.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// The provider that produced the credentials.
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.keys.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field(
                "security_token",
                &self.keys.security_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiration", &self.expiration)
            .field("provider", &self.provider)
            .finish()
    }
}

/// The future returned by [`ProvideCredentials::provide_credentials`].
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, Error>> + Send + 'a>>;

/// A source of credentials, asked once per attempt. Implementations cache as they see fit.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials valid for the next request.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;

    /// Credentials at hand without waiting, when the provider holds valid ones (static
    /// credentials always do): an attempt then skips the provider's future. `None` (the
    /// default) sends every attempt through
    /// [`provide_credentials`](ProvideCredentials::provide_credentials).
    fn cached_credentials(&self) -> Option<Credentials> {
        None
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }

    fn cached_credentials(&self) -> Option<Credentials> {
        Some(self.clone())
    }
}

/// A credentials provider shared between clients.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::new("LTAI-id", "super-secret").with_security_token("sts-token");
        let shown = format!("{creds:?}");
        assert!(shown.contains("LTAI-id"));
        assert!(!shown.contains("super-secret"));
        assert!(!shown.contains("sts-token"));
        assert_eq!(creds.provider(), "static_sts");
    }
}

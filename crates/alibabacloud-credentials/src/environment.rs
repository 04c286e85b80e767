//! Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
//! the optional `ALIBABA_CLOUD_SECURITY_TOKEN`.

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;

use crate::env::Env;

/// Reads an access key (and optionally an STS token) from the environment at each call.
///
/// Provider name: `env`.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    fn read(&self) -> Result<Credentials, Error> {
        let var = |name: &str| {
            self.env
                .var(name)
                .ok_or_else(|| Error::credentials(format!("{name} not set")))
        };
        let access_key_id = var("ALIBABA_CLOUD_ACCESS_KEY_ID")?;
        let access_key_secret = var("ALIBABA_CLOUD_ACCESS_KEY_SECRET")?;
        let credentials = Credentials::new(access_key_id, access_key_secret);
        let credentials = match self.env.var("ALIBABA_CLOUD_SECURITY_TOKEN") {
            Some(token) => credentials.with_security_token(token),
            None => credentials,
        };
        Ok(credentials.with_provider("env"))
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.read();
        Box::pin(async move { result })
    }
}

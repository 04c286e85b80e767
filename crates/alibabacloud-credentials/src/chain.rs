//! The default chain: environment, OIDC, CLI profile, ini profile, ECS RAM role,
//! credentials URI.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use tokio::sync::Mutex;

use crate::cli_profile::CliProfileProvider;
use crate::ecs_ram_role::{DEFAULT_IMDS_ENDPOINT, EcsRamRoleProvider};
use crate::env::Env;
use crate::environment::EnvironmentProvider;
use crate::oidc::OidcRoleProvider;
use crate::profile_file::ProfileFileProvider;
use crate::uri::UriProvider;

/// Tries, in order: [`EnvironmentProvider`], [`OidcRoleProvider`], [`CliProfileProvider`],
/// [`ProfileFileProvider`], [`EcsRamRoleProvider`], [`UriProvider`].
///
/// The first source that yields credentials wins and is remembered: later calls go straight
/// to it (it caches and refreshes temporary credentials itself). When every source fails,
/// the error lists each source and why it failed, e.g. `no credentials found; tried:
/// environment (ALIBABA_CLOUD_ACCESS_KEY_ID not set), OIDC role (ALIBABA_CLOUD_ROLE_ARN not
/// set), CLI profile (/home/x/.aliyun/config.json: not found), ...`; the next call tries
/// them all again. Concurrent first calls share one walk of the chain.
///
/// ```no_run
/// use alibabacloud_core::Config;
/// use alibabacloud_credentials::DefaultCredentialsChain;
/// let config = Config::builder()
///     .region("cn-hangzhou")
///     .credentials(DefaultCredentialsChain::new())
///     .build();
/// # let _ = config;
/// ```
pub struct DefaultCredentialsChain {
    sources: Vec<Source>,
    winner: OnceLock<usize>,
    /// Held while the chain is walked; holds the message of the last failed walk.
    walk: Mutex<Option<String>>,
    /// Number of finished walks, to tell waiters that one completed meanwhile.
    walks: AtomicU64,
}

struct Source {
    name: &'static str,
    provider: Box<dyn ProvideCredentials>,
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultCredentialsChain {
    /// The chain over the process environment and the real endpoints.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder, to read another environment or send to other endpoints.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }

    /// The name of the source that won, once one has.
    pub fn winner(&self) -> Option<&'static str> {
        self.winner.get().map(|&i| self.sources[i].name)
    }

    async fn provide(&self) -> Result<Credentials, Error> {
        if let Some(&i) = self.winner.get() {
            return self.sources[i].provider.provide_credentials().await;
        }
        let seen = self.walks.load(Ordering::Acquire);
        let mut last_failure = self.walk.lock().await;
        if let Some(&i) = self.winner.get() {
            drop(last_failure);
            return self.sources[i].provider.provide_credentials().await;
        }
        if self.walks.load(Ordering::Acquire) != seen {
            if let Some(message) = &*last_failure {
                return Err(Error::credentials(message.clone()));
            }
        }
        let mut reasons = Vec::with_capacity(self.sources.len());
        for (i, source) in self.sources.iter().enumerate() {
            match source.provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = source.name, "credentials source found");
                    let _ = self.winner.set(i);
                    *last_failure = None;
                    self.walks.fetch_add(1, Ordering::AcqRel);
                    return Ok(credentials);
                }
                Err(error) => reasons.push(format!("{} ({error})", source.name)),
            }
        }
        let message = format!("no credentials found; tried: {}", reasons.join(", "));
        *last_failure = Some(message.clone());
        self.walks.fetch_add(1, Ordering::AcqRel);
        Err(Error::credentials(message))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("sources", &self.sources)
            .field("winner", &self.winner())
            .finish()
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("name", &self.name)
            .field("provider", &self.provider)
            .finish()
    }
}

/// Builder for [`DefaultCredentialsChain`].
#[derive(Clone, Debug, Default)]
pub struct DefaultCredentialsChainBuilder {
    env: Env,
    sts_endpoint: Option<String>,
    imds_endpoint: Option<String>,
}

impl DefaultCredentialsChainBuilder {
    /// Every source reads `env` (and its `HOME`) instead of the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sends every STS call (OIDC, `RamRoleArn` profiles) to this endpoint.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks the metadata service at this base URL instead of `http://100.100.100.200`.
    pub fn imds_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.imds_endpoint = Some(base_url.into());
        self
    }

    /// Builds the chain. Nothing is read until credentials are first asked for.
    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env;
        let imds = self
            .imds_endpoint
            .unwrap_or_else(|| DEFAULT_IMDS_ENDPOINT.to_owned());
        let mut oidc = OidcRoleProvider::new().with_env(env.clone());
        let mut cli = CliProfileProvider::new()
            .with_env(env.clone())
            .with_imds_endpoint(imds.clone());
        let mut ini = ProfileFileProvider::new()
            .with_env(env.clone())
            .with_imds_endpoint(imds.clone());
        if let Some(endpoint) = self.sts_endpoint {
            oidc = oidc.with_sts_endpoint(endpoint.clone());
            cli = cli.with_sts_endpoint(endpoint.clone());
            ini = ini.with_sts_endpoint(endpoint);
        }
        let source = |name, provider: Box<dyn ProvideCredentials>| Source { name, provider };
        DefaultCredentialsChain {
            sources: vec![
                source(
                    "environment",
                    Box::new(EnvironmentProvider::new().with_env(env.clone())),
                ),
                source("OIDC role", Box::new(oidc)),
                source("CLI profile", Box::new(cli)),
                source("profile file", Box::new(ini)),
                source(
                    "ECS RAM role",
                    Box::new(
                        EcsRamRoleProvider::new()
                            .with_env(env.clone())
                            .with_endpoint(imds),
                    ),
                ),
                source(
                    "credentials URI",
                    Box::new(UriProvider::new().with_env(env)),
                ),
            ],
            winner: OnceLock::new(),
            walk: Mutex::new(None),
            walks: AtomicU64::new(0),
        }
    }
}

//! The default chain: environment, OIDC, CLI profile, ini profile, ECS RAM role,
//! credentials URI.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use tokio::sync::Mutex;

use crate::cli_config::Unusable;
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
/// to it (it caches and refreshes temporary credentials itself). A source that is not
/// configured is passed over, but one that is configured and broken ends the search with
/// its error: an aliyun CLI configuration file that exists but cannot be read or parsed,
/// or whose profile in use is incomplete, is never skipped in favour of a later source
/// (which would sign the call as someone else). When every source fails,
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
    provider: SourceProvider,
}

/// A source's provider; the CLI profile's can say that the walk must stop.
enum SourceProvider {
    Any(Box<dyn ProvideCredentials>),
    CliProfile(CliProfileProvider),
}

impl SourceProvider {
    async fn provide(&self) -> Result<Credentials, Unusable> {
        match self {
            SourceProvider::Any(provider) => provider
                .provide_credentials()
                .await
                .map_err(Unusable::NotConfigured),
            SourceProvider::CliProfile(provider) => provider.provide_for_chain().await,
        }
    }
}

impl fmt::Debug for SourceProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceProvider::Any(provider) => fmt::Debug::fmt(provider, f),
            SourceProvider::CliProfile(provider) => fmt::Debug::fmt(provider, f),
        }
    }
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
            return self.sources[i]
                .provider
                .provide()
                .await
                .map_err(Unusable::into_error);
        }
        let seen = self.walks.load(Ordering::Acquire);
        let mut last_failure = self.walk.lock().await;
        if let Some(&i) = self.winner.get() {
            drop(last_failure);
            return self.sources[i]
                .provider
                .provide()
                .await
                .map_err(Unusable::into_error);
        }
        if self.walks.load(Ordering::Acquire) != seen {
            if let Some(message) = &*last_failure {
                return Err(Error::credentials(message.clone()));
            }
        }
        let mut reasons = Vec::with_capacity(self.sources.len());
        let mut stopped = None;
        for (i, source) in self.sources.iter().enumerate() {
            match source.provider.provide().await {
                Ok(credentials) => {
                    tracing::debug!(source = source.name, "credentials source found");
                    let _ = self.winner.set(i);
                    *last_failure = None;
                    self.walks.fetch_add(1, Ordering::AcqRel);
                    return Ok(credentials);
                }
                Err(Unusable::NotConfigured(error)) => {
                    reasons.push(format!("{} ({error})", source.name));
                }
                Err(Unusable::Broken(error)) => {
                    stopped = Some(format!(
                        "{} is configured but unusable, so no later source was tried: {error}",
                        source.name
                    ));
                    break;
                }
            }
        }
        let message = match stopped {
            Some(stopped) if reasons.is_empty() => stopped,
            Some(stopped) => format!("{stopped} (before it: {})", reasons.join(", ")),
            None => format!("no credentials found; tried: {}", reasons.join(", ")),
        };
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
    oauth_endpoint: Option<String>,
}

impl DefaultCredentialsChainBuilder {
    /// Every source reads `env` (and its `HOME`) instead of the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sends every STS call (OIDC, `RamRoleArn` and `ChainableRamRoleArn` profiles) to this
    /// endpoint.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks the metadata service at this base URL instead of `http://100.100.100.200`.
    pub fn imds_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.imds_endpoint = Some(base_url.into());
        self
    }

    /// Sends the token calls of an `OAuth` CLI profile to this base URL instead of the
    /// sign-in endpoint of its site type.
    pub fn oauth_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.oauth_endpoint = Some(base_url.into());
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
        if let Some(endpoint) = self.oauth_endpoint {
            cli = cli.with_oauth_endpoint(endpoint);
        }
        if let Some(endpoint) = self.sts_endpoint {
            oidc = oidc.with_sts_endpoint(endpoint.clone());
            cli = cli.with_sts_endpoint(endpoint.clone());
            ini = ini.with_sts_endpoint(endpoint);
        }
        let source = |name, provider: Box<dyn ProvideCredentials>| Source {
            name,
            provider: SourceProvider::Any(provider),
        };
        DefaultCredentialsChain {
            sources: vec![
                source(
                    "environment",
                    Box::new(EnvironmentProvider::new().with_env(env.clone())),
                ),
                source("OIDC role", Box::new(oidc)),
                Source {
                    name: "CLI profile",
                    provider: SourceProvider::CliProfile(cli),
                },
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

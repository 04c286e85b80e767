//! Client configuration, shared by every generated client.

use std::sync::Arc;
use std::time::Duration;

use crate::connection::{PoolOptions, TlsOptions};
use crate::credentials::{ProvideCredentials, SharedCredentialsProvider};
use crate::endpoint::Network;
use crate::interceptor::{Interceptor, Interceptors};
use crate::mock::Mock;
use crate::rate_limit::RateLimit;
use crate::retry::RetryPolicy;
use crate::signing::SignatureVersion;

/// Default connect timeout, as the official SDKs.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default read timeout, as the official SDKs.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Default operation timeout: the deadline of a whole call, across all its attempts and
/// waits. 60 s lets the default three attempts of 10 s each, their backoff and the
/// throttling schedule run in full, while bounding the worst case (which without a
/// deadline is about 70 s: three connect and read timeouts plus waits of up to 20 s
/// that a server may request).
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// Default cap on a response body: 64 MiB, far above any answer of these APIs.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// Longest request URL this SDK sends, in bytes (scheme, host, path and query).
///
/// A longer request is refused before anything is sent, with an error naming the largest
/// query parameter, and is not retried. Why 32 KiB: the `http` crate under reqwest cannot
/// represent a URI of 64 KiB or more at all (it failed as a retryable "network error"
/// although nothing was sent), and front ends commonly cap the request line far lower
/// (nginx-derived proxies at 8 KiB by default). The gateway's own limit is not
/// documented; half the hard limit leaves room for the signature parameters and still
/// fits every documented parameter, including a PEM private key sent in the query.
///
/// Query parameters are not moved into a form body when the URL is too long: the official
/// SDKs send an RPC operation's parameters in the query, and in the body only for the
/// operations that declare body parameters, and nothing says the gateway reads a query
/// parameter from the body, so a moved request could be signed correctly and still be
/// misread.
pub const MAX_URL_BYTES: usize = 32 * 1024;

/// Configuration of a client: where to send, how to sign, how long to wait, when to retry.
///
/// ```
/// use alibabacloud_core::{Config, Credentials};
/// let config = Config::builder()
///     .region("cn-hangzhou")
///     .credentials(Credentials::new("LTAI...", "secret"))
///     .build();
/// assert_eq!(config.region(), Some("cn-hangzhou"));
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) network: Network,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) signature_version: Option<SignatureVersion>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) operation_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) max_response_body: usize,
    pub(crate) proxy: Option<ProxyUrl>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) pool: PoolOptions,
    pub(crate) tls: TlsOptions,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) interceptors: Interceptors,
    pub(crate) mock: Option<Mock>,
}

/// A proxy URL; `Debug` shows it without its user name and password.
#[derive(Clone)]
pub(crate) struct ProxyUrl(pub(crate) String);

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match reqwest::Url::parse(&self.0) {
            Ok(url) => write!(
                f,
                "{}://{}{}",
                url.scheme(),
                url.host_str().unwrap_or_default(),
                url.port().map(|p| format!(":{p}")).unwrap_or_default()
            ),
            Err(_) => f.write_str("<not a URL>"),
        }
    }
}

impl Config {
    /// Starts a configuration with the defaults: no region (global endpoint), V3
    /// signatures or the product's default, 5 s connect / 10 s read timeouts, 3 attempts
    /// within a 60 s operation timeout, 64 MiB response bodies.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region id.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// Which network's endpoints are used (public by default).
    pub fn network(&self) -> Network {
        self.network
    }

    /// The signature version, when set explicitly.
    pub fn signature_version(&self) -> Option<SignatureVersion> {
        self.signature_version
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The read timeout (the whole response must arrive within it).
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The operation timeout (the deadline of a whole call).
    pub fn operation_timeout(&self) -> Duration {
        self.operation_timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The largest response body a call reads, in bytes.
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
    }

    /// A builder seeded with this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }
}

/// Builder for [`Config`].
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    config: Config,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        Self {
            config: Config {
                region: None,
                endpoint: None,
                network: Network::Public,
                credentials: None,
                signature_version: None,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                read_timeout: DEFAULT_READ_TIMEOUT,
                operation_timeout: DEFAULT_OPERATION_TIMEOUT,
                retry: RetryPolicy::default(),
                rate_limit: None,
                max_response_body: DEFAULT_MAX_RESPONSE_BODY,
                proxy: None,
                user_agent_suffix: None,
                pool: PoolOptions::default(),
                tls: TlsOptions::default(),
                http_client: None,
                interceptors: Interceptors::default(),
                mock: None,
            },
        }
    }
}

impl ConfigBuilder {
    /// Sets the region id, e.g. `cn-hangzhou`, used to pick the endpoint. Without it, the
    /// region comes from `ALIBABA_CLOUD_REGION_ID`, then from the active profile of the
    /// aliyun CLI's `config.json`, then the product's default endpoint applies (see
    /// [`region`](crate::region)).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets an explicit endpoint: `host`, `https://host[:port]` or `http://host:port`
    /// (plain HTTP is for emulators and tests). It wins over the region.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.config.endpoint = Some(endpoint.into());
        self
    }

    /// Picks the network whose endpoint of the region is used (default
    /// [`Network::Public`]). [`Network::Vpc`] sends to the product's VPC endpoint, reachable
    /// from inside an Alibaba Cloud VPC only; a product without VPC endpoints is then a
    /// configuration error for a region. An explicit endpoint wins over both.
    pub fn network(mut self, network: Network) -> Self {
        self.config.network = network;
        self
    }

    /// Sets the credentials provider.
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// Sets an already shared credentials provider.
    pub fn shared_credentials(mut self, provider: SharedCredentialsProvider) -> Self {
        self.config.credentials = Some(provider);
        self
    }

    /// Picks the signature version (default: the product's, V3 for every product here
    /// but STS, which signs V1 as the official credential providers do).
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.config.signature_version = Some(version);
        self
    }

    /// Sends every request through this HTTP proxy (`http://[user:password@]host:port`).
    ///
    /// Without it, the environment decides, as in the official SDKs: `HTTPS_PROXY` for
    /// https endpoints, `HTTP_PROXY` for http ones, `ALL_PROXY` for both (upper or lower
    /// case), and hosts listed in `NO_PROXY` are reached directly. The proxy's password
    /// never shows in `Debug` or errors.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.config.proxy = Some(ProxyUrl(url.into()));
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Sets the read timeout: how long one attempt may take to get its complete answer.
    /// An attempt always gets at least the connect timeout (plus a tenth of a second), so
    /// that a connection that never completes is reported as never sent (and a write is
    /// safely retried), not as a read timeout after which the write may have run.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = timeout;
        self
    }

    /// Sets the operation timeout (default [`DEFAULT_OPERATION_TIMEOUT`], 60 s): the
    /// deadline of a whole call, across every attempt, backoff, server-requested wait
    /// (`x-acs-retry-after`) and rate-limiter wait. An attempt in flight at the deadline
    /// is cut off, and no retry starts whose wait would end after it; the call then fails
    /// with a timeout naming the operation timeout (or with the last attempt's error,
    /// when the deadline only prevented a retry). `Duration::MAX` means no deadline.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation_timeout = timeout;
        self
    }

    /// Sets the retry policy; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Limits this client's calls per second (off by default).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.config.rate_limit = Some(limit);
        self
    }

    /// Caps the response body a call reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 64 MiB). A larger body fails the call with an error
    /// naming the operation and the cap, before it is read into memory: at once when its
    /// `Content-Length` says so, else as soon as the bytes read exceed the cap.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.config.max_response_body = bytes;
        self
    }

    /// Appends this to the `user-agent` of every request (after the SDK's own, and after
    /// `ALIBABA_CLOUD_USER_AGENT` when that is set), e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.config.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sets the connection pool's settings (see [`PoolOptions`]; idle connections go
    /// after 5 s by default, before the gateway drops them at about 10 s).
    pub fn pool(mut self, pool: PoolOptions) -> Self {
        self.config.pool = pool;
        self
    }

    /// Sets TLS options: extra or replacement root certificates, a client certificate,
    /// a minimum version (see [`TlsOptions`]).
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.config.tls = tls;
        self
    }

    /// Sends through this HTTP client instead of one the SDK builds; the pool, TLS,
    /// proxy and connect-timeout settings are then the client's own. Build it with
    /// `reqwest::redirect::Policy::none()`: a response that arrives from another URL
    /// than the one sent (a followed redirect, which would have handed the signed
    /// request to another host) fails the call.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// Adds an interceptor: hooks on every attempt (see
    /// [`interceptor`](crate::interceptor)). Several run in the order they were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.config
            .interceptors
            .0
            .push(std::sync::Arc::new(interceptor));
        self
    }

    /// Answers every call from this [`Mock`] instead of the network (for unit tests; see
    /// [`mock`](crate::mock)). Calls need no credentials then.
    pub fn mock(mut self, mock: Mock) -> Self {
        self.config.mock = Some(mock);
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

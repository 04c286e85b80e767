//! The client handle that generated clients call: one connection pool, the resolved
//! endpoint, credentials and the retry loop.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::connection;
use crate::credentials::SharedCredentialsProvider;
use crate::endpoint::{Endpoint, ServiceInfo};
use crate::error::{Error, ErrorKind};
use crate::operation::{Auth, CLIENT_TOKEN, Operation, Params, new_client_token};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::transport::{
    self, Backend, Extras, PreparedRequest, RawResponse, Stamp, Target, Transport,
};

/// Per-call overrides of the client configuration.
///
/// A generated fluent builder takes them with `.options(..)`, or changes its own with
/// `.customize(|options| options.read_timeout(..))`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    read_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    max_pages: Option<u64>,
    max_items: Option<u64>,
    endpoint: Option<String>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    user_agent_suffix: Option<String>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the read timeout of this call.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Overrides the connect timeout of this call (it connects through a pool of its own
    /// for that timeout; with a client from `ConfigBuilder::http_client`, the client's own
    /// connect timeout applies).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sends this call to another endpoint than the client's: `host`,
    /// `https://host[:port]` or `http://host:port`.
    pub fn endpoint_override(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Adds a header to this call's requests (signed with V3). A header the signer sets
    /// itself (`host`, `authorization`, its `x-acs-*` headers, `content-type`) is ignored.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// Adds a query parameter to this call's requests (signed like the operation's own).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Appends this to the `user-agent` of this call's requests.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Overrides the operation timeout of this call: the deadline for the whole call,
    /// across every attempt, backoff, server-requested wait and rate-limiter wait (see
    /// [`ConfigBuilder::operation_timeout`](crate::ConfigBuilder::operation_timeout)).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Overrides the retry policy of this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The most pages a paginator started with these options fetches (default
    /// [`DEFAULT_MAX_PAGES`](crate::pagination::DEFAULT_MAX_PAGES)): past it, the page
    /// stream ends with an error rather than going on, so that a service that never
    /// reports a last page cannot keep a program paging forever.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// The most items a paginator started with these options reads (no limit by
    /// default): once the pages fetched hold that many and the service reports more, the
    /// page stream ends with an error.
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    pub(crate) fn max_pages_or(&self, default: u64) -> u64 {
        self.max_pages.unwrap_or(default)
    }

    pub(crate) fn max_items_limit(&self) -> Option<u64> {
        self.max_items
    }

    /// The operation timeout of this call: its own, else `default` (the client's).
    pub(crate) fn operation_timeout_or(&self, default: Duration) -> Duration {
        self.operation_timeout.unwrap_or(default)
    }
}

/// A cheap-to-clone handle on one configured client.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceInfo,
    endpoint: Endpoint,
    network: crate::endpoint::Network,
    credentials: Option<SharedCredentialsProvider>,
    /// Where and how each attempt goes on the wire.
    transport: Transport,
    connect_timeout: Duration,
    read_timeout: Duration,
    operation_timeout: Duration,
    retry: RetryPolicy,
    rate_limiter: Option<RateLimiter>,
    /// What per-call connect timeouts build: one HTTP client per timeout asked for.
    config: Config,
    clients_by_connect_timeout: Mutex<Vec<(Duration, reqwest::Client)>>,
}

/// The most per-call connect timeouts a handle keeps a client for.
const CONNECT_TIMEOUT_CLIENTS: usize = 4;

impl Handle {
    /// Builds a handle for one product and API version: resolves the region (see
    /// [`region`](crate::region)) and the endpoint, and opens a connection pool.
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Result<Self, Error> {
        let region = crate::region::resolve(config.region.as_deref());
        let endpoint = service.resolve(
            region.as_deref(),
            config.endpoint.as_deref(),
            config.network,
        )?;
        let target = target_of(&endpoint)?;
        let backend = match (&config.mock, &config.http_client) {
            (Some(mock), _) => Backend::Mock(mock.clone()),
            (None, Some(client)) => Backend::Http(client.clone()),
            (None, None) => Backend::Http(connection::http_client(config, config.connect_timeout)?),
        };
        let user_agent = user_agent(service, config.user_agent_suffix.as_deref());
        let user_agent_value = reqwest::header::HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::config("the user agent is not valid header text"))?;
        let transport = Transport {
            target,
            signature: config.signature_version.unwrap_or(service.signature),
            user_agent,
            user_agent_value,
            backend,
            max_response_body: config.max_response_body,
            interceptors: config.interceptors.clone(),
            own_client: config.http_client.is_none(),
        };
        // A mock needs no credentials: nothing verifies the signature.
        let credentials = match (&config.credentials, &config.mock) {
            (None, Some(_)) => Some(std::sync::Arc::new(crate::Credentials::new(
                "LTAI-mock-access-key",
                "mock-access-key-secret",
            )) as SharedCredentialsProvider),
            (credentials, _) => credentials.clone(),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                endpoint,
                network: config.network,
                credentials,
                transport,
                connect_timeout: config.connect_timeout,
                read_timeout: config.read_timeout,
                operation_timeout: config.operation_timeout,
                retry: config.retry.clone(),
                rate_limiter: config.rate_limit.map(RateLimiter::new),
                config: config.clone(),
                clients_by_connect_timeout: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The client's operation timeout (`Config::operation_timeout`).
    pub(crate) fn operation_timeout(&self) -> Duration {
        self.inner.operation_timeout
    }

    /// The endpoint calls go to, as `scheme://host[:port]`.
    pub fn endpoint(&self) -> String {
        self.inner.endpoint.base_url()
    }

    /// Sends one operation and deserializes its response.
    pub async fn invoke<T: DeserializeOwned>(
        &self,
        operation: &'static Operation,
        params: Params,
        options: &CallOptions,
    ) -> Result<T, Error> {
        let raw = self.call(operation, &params, options).await?;
        crate::mismatch::read(&raw.body, operation.action, raw.request_id.as_deref())
            .map_err(|e| raw.unreadable(operation, e))
    }

    /// Sends one operation and returns its success response undeserialized (a
    /// [`RawResponse`]: status, body bytes, request id), for callers that read the JSON
    /// themselves (the CLI, tests). Errors, retries and timeouts are those of
    /// [`invoke`](Handle::invoke).
    pub async fn invoke_raw(
        &self,
        operation: &'static Operation,
        params: &Params,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let mut raw = self.call(operation, params, options).await?;
        if raw.request_id.is_none() {
            raw.request_id = transport::scan_request_id(&raw.body);
        }
        Ok(raw)
    }

    /// One call, by the retry rules, its outcome recorded on the call's span; the success
    /// body is not parsed (not even for its RequestId).
    async fn call(
        &self,
        operation: &'static Operation,
        params: &Params,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let span = tracing::info_span!(
            "alibabacloud.call",
            product = self.inner.service.product,
            action = operation.action,
            version = operation.version,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            outcome = tracing::field::Empty,
            error_code = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            bytes_in = tracing::field::Empty,
            bytes_out = tracing::field::Empty,
        );
        let params = with_client_token(operation, params);
        let token = params.client_token().map(str::to_owned);
        let started = Instant::now();
        let result = self
            .retry_loop(operation, &params, options)
            .instrument(span.clone())
            .await;
        if !span.is_disabled() {
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(_) => span.record("outcome", "ok"),
                Err(error) => {
                    if let Some(code) = error.code() {
                        span.record("error_code", code);
                    }
                    span.record(
                        "outcome",
                        if error.may_have_run() {
                            "may_have_run"
                        } else {
                            "error"
                        },
                    )
                }
            };
        }
        match result {
            Ok(mut raw) => {
                raw.client_token = token;
                Ok(raw)
            }
            Err(error) => Err(error.with_client_token(token)),
        }
    }

    /// Builds and signs the request that [`invoke`](Handle::invoke) would send first for
    /// `operation` with `params` (a fresh nonce and timestamp, the credentials of the
    /// configured provider), and returns it without sending anything: for showing what a
    /// call would do (the CLI's `--dry-run`). Print it with [`PreparedRequest::redacted`],
    /// which hides the token, the signature and every sensitive parameter value.
    ///
    /// Fails as a call would before sending: no credentials, credentials that cannot be
    /// fetched, a URL over the size limit. The rate limiter is not consulted.
    pub async fn prepare(
        &self,
        operation: &'static Operation,
        params: &Params,
    ) -> Result<PreparedRequest, Error> {
        let credentials = match self.credentials_provider(operation)? {
            Some(provider) => Some(provider.provide_credentials().await?),
            None => None,
        };
        transport::prepare(
            &self.inner.transport,
            operation,
            &with_client_token(operation, params),
            credentials.as_ref(),
            &Stamp::now(),
            &Extras {
                keep_secrets: true,
                ..Extras::default()
            },
        )
        .map_err(|error| error.with_operation(operation.action))
    }

    /// The provider to sign `operation` with; `None` for an anonymous operation.
    fn credentials_provider(
        &self,
        operation: &Operation,
    ) -> Result<Option<&SharedCredentialsProvider>, Error> {
        match operation.auth {
            Auth::Anonymous => Ok(None),
            Auth::AccessKey => self.inner.credentials.as_ref().map(Some).ok_or_else(|| {
                Error::credentials(
                    "no credentials configured: pass Config::builder().credentials(..), or a \
                     provider such as alibabacloud_credentials::DefaultCredentialsChain",
                )
            }),
        }
    }

    async fn retry_loop(
        &self,
        operation: &'static Operation,
        params: &Params,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let inner = &self.inner;
        let policy = options.retry.as_ref().unwrap_or(&inner.retry);
        let attempts = policy.max_attempts();
        let read_timeout = options.read_timeout.unwrap_or(inner.read_timeout);
        let budget = options.operation_timeout.unwrap_or(inner.operation_timeout);
        // `None` when the budget is too large to add (Duration::MAX): no deadline.
        let deadline = Instant::now().checked_add(budget);
        let out_of_time = |attempts: u32| deadline_error(budget, attempts);
        let provider = self.credentials_provider(operation)?;
        let target = match &options.endpoint {
            Some(endpoint) => Some(self.target_for(endpoint)?),
            None => None,
        };
        let user_agent = options
            .user_agent_suffix
            .as_ref()
            .map(|suffix| format!("{} {suffix}", inner.transport.user_agent));
        let http = match options.connect_timeout {
            Some(timeout) if !matches!(inner.transport.backend, Backend::Mock(_)) => {
                Some(self.client_with_connect_timeout(timeout)?)
            }
            _ => None,
        };
        let connect_timeout = options.connect_timeout.unwrap_or(inner.connect_timeout);
        let extras = Extras {
            target: target.as_ref(),
            headers: &options.headers,
            query: &options.query,
            user_agent: user_agent.as_deref(),
            http: http.as_ref(),
            keep_secrets: false,
        };
        let mut attempt = 1;
        loop {
            // Waiting for a rate-limiter slot and for credentials count against the
            // deadline; nothing has been sent yet.
            let prepare = async {
                if let Some(limiter) = &inner.rate_limiter {
                    limiter.acquire().await;
                }
                match provider {
                    Some(provider) => match provider.cached_credentials() {
                        Some(credentials) => Ok(Some(credentials)),
                        None => provider.provide_credentials().await.map(Some),
                    },
                    None => Ok(None),
                }
            };
            let credentials = match within(deadline, prepare).await {
                Some(credentials) => credentials?,
                None => {
                    return Err(out_of_time(attempt - 1)
                        .never_sent()
                        .with_operation(operation.action));
                }
            };
            // The attempt's own limit is the read timeout, but never less than the connect
            // timeout (plus a margin), so that a connection that never completes ends by
            // the connect timeout and is reported as never sent, not as a read timeout
            // that may have run; or what is left of the deadline if that is shorter.
            let remaining =
                deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
            let attempt_limit = read_timeout.max(connect_timeout + CONNECT_MARGIN);
            let (limit, cut_by_deadline) = match remaining {
                Some(remaining) if remaining < attempt_limit => (remaining, true),
                _ => (attempt_limit, false),
            };
            if limit.is_zero() {
                return Err(out_of_time(attempt - 1)
                    .never_sent()
                    .with_operation(operation.action));
            }
            let result = transport::attempt(
                &inner.transport,
                operation,
                params,
                credentials.as_ref(),
                attempt,
                transport::Timeouts {
                    connect: connect_timeout,
                    read: read_timeout,
                    total: limit,
                },
                &extras,
            )
            .await;
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) if cut_by_deadline && error.kind() == ErrorKind::Timeout => {
                    out_of_time(attempt)
                }
                Err(error) => error,
            };
            // A write is sent again only when its request carries a ClientToken or
            // provably never reached the service; see `Error::safe_to_resend`.
            let may_retry = attempt < attempts
                && policy.retries(&error)
                && (operation.safe_to_retry(params)
                    || error.safe_to_resend()
                    || policy.resends_writes_that_may_have_run());
            if may_retry {
                // A connection the server closed under the request (its idle timeout
                // racing ours) says nothing about the service: retry at once, on a fresh
                // connection (the pool drops the closed one).
                let delay = if error.is_closed_by_peer() {
                    Duration::ZERO
                } else {
                    policy.delay_after(attempt, &error)
                };
                let fits = deadline.is_none_or(|deadline| Instant::now() + delay < deadline);
                if fits {
                    tracing::debug!(attempt, error = %error, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    continue;
                }
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    "not retrying: the next attempt would start after the operation timeout"
                );
            }
            // Any write, with or without a token, may have run when its outcome is unknown;
            // the token (set on the error by `invoke_raw`) says how to retry it safely.
            let error = if !operation.read_only && error.outcome_unknown() {
                error.mark_may_have_run()
            } else {
                error
            };
            return Err(error.with_operation(operation.action));
        }
    }
}

impl Handle {
    /// Where a call with `endpoint_override(endpoint)` goes.
    fn target_for(&self, endpoint: &str) -> Result<Target, Error> {
        let inner = &self.inner;
        let endpoint = inner.service.resolve(None, Some(endpoint), inner.network)?;
        target_of(&endpoint)
    }

    /// The HTTP client for calls with a connect timeout of their own (kept for the next
    /// call that asks for the same one; a few timeouts at most).
    fn client_with_connect_timeout(&self, timeout: Duration) -> Result<reqwest::Client, Error> {
        let inner = &self.inner;
        if let Backend::Http(client) = &inner.transport.backend {
            if inner.config.http_client.is_some() || timeout == inner.connect_timeout {
                return Ok(client.clone());
            }
        }
        let mut clients = inner
            .clients_by_connect_timeout
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, client)) = clients.iter().find(|(t, _)| *t == timeout) {
            return Ok(client.clone());
        }
        let client = connection::http_client(&inner.config, timeout)?;
        if clients.len() >= CONNECT_TIMEOUT_CLIENTS {
            clients.remove(0);
        }
        clients.push((timeout, client.clone()));
        Ok(client)
    }
}

/// The parsed target of an endpoint.
fn target_of(endpoint: &Endpoint) -> Result<Target, Error> {
    let base_url = reqwest::Url::parse(&endpoint.base_url()).map_err(|e| {
        Error::config(format!(
            "endpoint {} is not a valid URL: {e}",
            endpoint.base_url()
        ))
    })?;
    let host_value = reqwest::header::HeaderValue::from_str(&endpoint.authority)
        .map_err(|_| Error::config(format!("{} is not a valid host", endpoint.authority)))?;
    Ok(Target {
        base_url,
        host: endpoint.authority.clone(),
        host_value,
    })
}

/// The `user-agent` of a client: the SDK, the platform and the product; then
/// `ALIBABA_CLOUD_USER_AGENT` and the configured suffix, when set.
fn user_agent(service: &ServiceInfo, suffix: Option<&str>) -> String {
    let mut agent = format!(
        "alibabacloud-rust-sdk/{} ({}; {}) {}/{}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        service.product,
        service.version,
    );
    let from_env = std::env::var("ALIBABA_CLOUD_USER_AGENT").ok();
    for extra in [from_env.as_deref(), suffix].into_iter().flatten() {
        let extra = extra.trim();
        if !extra.is_empty() {
            agent.push(' ');
            agent.push_str(extra);
        }
    }
    agent
}

/// How much longer than the connect timeout an attempt lasts at least, so that the connect
/// timeout, not the attempt's, ends a connection that never completes.
const CONNECT_MARGIN: Duration = Duration::from_millis(100);

/// The parameters of a call of `operation`: `params` as given, or, for an operation that
/// takes a [`CLIENT_TOKEN`] and a request that carries none (or an empty one), `params`
/// with a fresh token, which every attempt of the call then sends.
fn with_client_token<'a>(operation: &Operation, params: &'a Params) -> Cow<'a, Params> {
    match operation.client_token {
        Some(location) if params.client_token().is_none() => {
            let mut params = params.clone();
            params.set(location, CLIENT_TOKEN, &new_client_token());
            Cow::Owned(params)
        }
        _ => Cow::Borrowed(params),
    }
}

/// Runs `future` until `deadline`; `None` if the deadline came first.
async fn within<T>(deadline: Option<Instant>, future: impl Future<Output = T>) -> Option<T> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, future).await.ok(),
        None => Some(future.await),
    }
}

/// The error of a call that ran out of its operation timeout after `attempts` attempts.
fn deadline_error(budget: Duration, attempts: u32) -> Error {
    let plural = if attempts == 1 { "" } else { "s" };
    Error::timeout(format!(
        "the call did not complete within its operation timeout ({} ms, {attempts} \
         attempt{plural} started); allow longer with Config::operation_timeout or \
         CallOptions::operation_timeout",
        budget.as_millis()
    ))
}

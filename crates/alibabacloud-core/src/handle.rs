//! The client handle that generated clients call: one connection pool, the resolved
//! endpoint, credentials and the retry loop.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::SharedCredentialsProvider;
use crate::endpoint::{Endpoint, ServiceInfo};
use crate::error::{Error, ErrorKind};
use crate::operation::{Auth, CLIENT_TOKEN, Operation, Params, new_client_token};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::transport::{self, PreparedRequest, RawResponse, Stamp, Transport};

/// Per-call overrides of the client configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    read_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    max_pages: Option<u64>,
    max_items: Option<u64>,
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
    credentials: Option<SharedCredentialsProvider>,
    /// Where and how each attempt goes on the wire.
    transport: Transport,
    connect_timeout: Duration,
    read_timeout: Duration,
    operation_timeout: Duration,
    retry: RetryPolicy,
    rate_limiter: Option<RateLimiter>,
}

impl Handle {
    /// Builds a handle for one product and API version: resolves the endpoint and opens a
    /// connection pool.
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Result<Self, Error> {
        let endpoint = service.resolve(
            config.region.as_deref(),
            config.endpoint.as_deref(),
            config.network,
        )?;
        let base_url = reqwest::Url::parse(&endpoint.base_url()).map_err(|e| {
            Error::config(format!(
                "endpoint {} is not a valid URL: {e}",
                endpoint.base_url()
            ))
        })?;
        // Redirects are never followed and no `Referer` is sent: following one would hand
        // the signed request (V3's `x-acs-security-token`, V1's whole signed query in the
        // `Referer`) to whatever host the `Location` names. A 3xx becomes an error.
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90));
        // An explicit proxy replaces the environment's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY),
        // which reqwest reads otherwise.
        if let Some(proxy) = &config.proxy {
            let proxy = reqwest::Proxy::all(&proxy.0).map_err(|_| {
                Error::config(format!("the proxy URL {proxy:?} is not a valid URL"))
            })?;
            http = http.proxy(proxy);
        }
        let http = http
            .build()
            .map_err(|e| Error::network("the HTTP client could not be built", e))?;
        let transport = Transport {
            base_url,
            host: endpoint.authority.clone(),
            signature: config.signature_version.unwrap_or(service.signature),
            user_agent: format!(
                "alibabacloud-rust-sdk/{} ({}; {}) {}/{}",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH,
                service.product,
                service.version,
            ),
            http,
            max_response_body: config.max_response_body,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                endpoint,
                credentials: config.credentials.clone(),
                transport,
                connect_timeout: config.connect_timeout,
                read_timeout: config.read_timeout,
                operation_timeout: config.operation_timeout,
                retry: config.retry.clone(),
                rate_limiter: config.rate_limit.map(RateLimiter::new),
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
        let raw = self.invoke_raw(operation, &params, options).await?;
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
        let span = tracing::info_span!(
            "alibabacloud.call",
            action = operation.action,
            version = operation.version,
            product = self.inner.service.product,
        );
        let params = with_client_token(operation, params);
        let token = params.client_token().map(str::to_owned);
        let result = self
            .retry_loop(operation, &params, options)
            .instrument(span)
            .await;
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
        let mut attempt = 1;
        loop {
            // Waiting for a rate-limiter slot and for credentials count against the
            // deadline; nothing has been sent yet.
            let prepare = async {
                if let Some(limiter) = &inner.rate_limiter {
                    limiter.acquire().await;
                }
                match provider {
                    Some(provider) => provider.provide_credentials().await.map(Some),
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
            let attempt_limit = read_timeout.max(inner.connect_timeout + CONNECT_MARGIN);
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
                    connect: inner.connect_timeout,
                    read: read_timeout,
                    total: limit,
                },
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
                && error.is_retryable()
                && (operation.safe_to_retry(params) || error.safe_to_resend());
            if may_retry {
                let delay = policy.delay_after(attempt, &error);
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

//! The client handle that generated clients call: one connection pool, the resolved
//! endpoint, credentials and the retry loop.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::SharedCredentialsProvider;
use crate::endpoint::{Endpoint, ServiceInfo};
use crate::error::{Error, ErrorKind};
use crate::operation::{Auth, Operation, Params};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::transport::{self, PreparedRequest, RawResponse, Stamp, Transport};

/// Per-call overrides of the client configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    read_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
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
        serde_json::from_slice(&raw.body).map_err(|e| {
            let request_id = raw
                .request_id
                .clone()
                .or_else(|| transport::request_id_of(&raw.body));
            Error::response(operation.action, request_id, raw.status, e)
        })
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
        self.retry_loop(operation, params, options)
            .instrument(span)
            .await
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
            params,
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
            // The attempt's own limit is the read timeout, or what is left of the
            // deadline if that is shorter.
            let remaining =
                deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
            let (limit, cut_by_deadline) = match remaining {
                Some(remaining) if remaining < read_timeout => (remaining, true),
                _ => (read_timeout, false),
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
                    read: limit,
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
            // A write is sent again only when its request provably never reached the
            // service; see `Error::safe_to_resend`.
            let may_retry = attempt < attempts
                && error.is_retryable()
                && (operation.safe_to_retry() || error.safe_to_resend());
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
            let error = if !operation.safe_to_retry() && error.outcome_unknown() {
                error.mark_may_have_run()
            } else {
                error
            };
            return Err(error.with_operation(operation.action));
        }
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

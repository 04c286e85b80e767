//! The client handle that generated clients call: one connection pool, the resolved
//! endpoint, credentials and the retry loop.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::SharedCredentialsProvider;
use crate::endpoint::{Endpoint, ServiceInfo};
use crate::error::Error;
use crate::operation::{Auth, Operation, Params};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::signing::SignatureVersion;
use crate::transport::{self, RawResponse};

/// Per-call overrides of the client configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    read_timeout: Option<Duration>,
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
pub(crate) struct Inner {
    pub(crate) service: &'static ServiceInfo,
    pub(crate) endpoint: Endpoint,
    /// `scheme://authority/`, parsed once.
    pub(crate) base_url: reqwest::Url,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) signature: SignatureVersion,
    pub(crate) http: reqwest::Client,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limiter: Option<RateLimiter>,
    pub(crate) user_agent: String,
    pub(crate) max_response_body: usize,
}

impl Handle {
    /// Builds a handle for one product and API version: resolves the endpoint and opens a
    /// connection pool.
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Result<Self, Error> {
        let endpoint = service.resolve(config.region.as_deref(), config.endpoint.as_deref())?;
        let base_url = reqwest::Url::parse(&endpoint.base_url()).map_err(|e| {
            Error::config(format!(
                "endpoint {} is not a valid URL: {e}",
                endpoint.base_url()
            ))
        })?;
        // Redirects are never followed and no `Referer` is sent: following one would hand
        // the signed request (V3's `x-acs-security-token`, V1's whole signed query in the
        // `Referer`) to whatever host the `Location` names. A 3xx becomes an error.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| Error::network("the HTTP client could not be built", e))?;
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                endpoint,
                base_url,
                credentials: config.credentials.clone(),
                signature: config.signature_version.unwrap_or(service.signature),
                http,
                connect_timeout: config.connect_timeout,
                read_timeout: config.read_timeout,
                retry: config.retry.clone(),
                rate_limiter: config.rate_limit.map(RateLimiter::new),
                max_response_body: config.max_response_body,
                user_agent: format!(
                    "alibabacloud-rust-sdk/{} ({}; {}) {}/{}",
                    env!("CARGO_PKG_VERSION"),
                    std::env::consts::OS,
                    std::env::consts::ARCH,
                    service.product,
                    service.version,
                ),
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

    /// Sends one operation and returns the raw success body (for the CLI and tests).
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
        let provider = match operation.auth {
            Auth::Anonymous => None,
            Auth::AccessKey => Some(inner.credentials.as_ref().ok_or_else(|| {
                Error::credentials(
                    "no credentials configured: pass Config::builder().credentials(..), or a \
                     provider such as alibabacloud_credentials::DefaultCredentialsChain",
                )
            })?),
        };
        let mut attempt = 1;
        loop {
            if let Some(limiter) = &inner.rate_limiter {
                limiter.acquire().await;
            }
            let credentials = match provider {
                Some(provider) => Some(provider.provide_credentials().await?),
                None => None,
            };
            let result = transport::attempt(
                inner,
                operation,
                params,
                credentials.as_ref(),
                attempt,
                transport::Timeouts {
                    connect: inner.connect_timeout,
                    read: read_timeout,
                },
            )
            .await;
            match result {
                Ok(response) => return Ok(response),
                // A write is sent again only when its request provably never reached
                // the service; see `Error::safe_to_resend`.
                Err(error)
                    if attempt < attempts
                        && error.is_retryable()
                        && (operation.read_only || error.safe_to_resend()) =>
                {
                    let delay = policy.delay_after(attempt, &error);
                    tracing::debug!(attempt, error = %error, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) if !operation.read_only && error.outcome_unknown() => {
                    return Err(error.mark_may_have_run().with_operation(operation.action));
                }
                Err(error) => return Err(error.with_operation(operation.action)),
            }
        }
    }
}

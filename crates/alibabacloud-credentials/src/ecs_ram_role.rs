//! Credentials of the RAM role attached to an ECS instance, from the instance metadata
//! service (IMDS).

use std::time::Duration;

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;

use crate::cache::CredentialsCache;
use crate::document;
use crate::env::Env;
use crate::http::{self, Timeouts};

/// Where the metadata service listens.
pub const DEFAULT_IMDS_ENDPOINT: &str = "http://100.100.100.200";

const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// Lifetime asked for the IMDSv2 token, in seconds.
const TOKEN_TTL_SECONDS: &str = "21600";
const TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(1),
    read: Duration::from_secs(1),
};

/// Reads the credentials of the instance's RAM role from the metadata service.
///
/// 1. `PUT /latest/api/token` (header `X-aliyun-ecs-metadata-token-ttl-seconds: 21600`)
///    for an IMDSv2 token; if that fails, goes on without one (IMDSv1) unless
///    `ALIBABA_CLOUD_IMDSV1_DISABLED=true`.
/// 2. The role name: the one given, else `ALIBABA_CLOUD_ECS_METADATA`, else
///    `GET /latest/meta-data/ram/security-credentials/`.
/// 3. `GET /latest/meta-data/ram/security-credentials/<role>`: a JSON document whose `Code`
///    must be `Success`.
///
/// Connect and read timeouts are 1 s each. A response body over 64 KiB is refused unread, and
/// so are credentials whose `Expiration` has already passed. Disabled by
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`. The credentials are cached and refreshed 15
/// minutes before they expire, one refresh at a time. Provider name: `ecs_ram_role`.
#[derive(Debug)]
pub struct EcsRamRoleProvider {
    env: Env,
    endpoint: String,
    role_name: Option<String>,
    provider_name: &'static str,
    cache: CredentialsCache,
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        Self {
            env: Env::process(),
            endpoint: DEFAULT_IMDS_ENDPOINT.to_owned(),
            role_name: None,
            provider_name: "ecs_ram_role",
            cache: CredentialsCache::default(),
        }
    }
}

impl EcsRamRoleProvider {
    /// Reads the process environment and the metadata service at its usual address.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Uses the metadata service at `base_url` (`http://host[:port]`) instead of
    /// `http://100.100.100.200`.
    pub fn with_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Uses this role name instead of `ALIBABA_CLOUD_ECS_METADATA` or asking the service.
    pub fn with_role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into()).filter(|r| !r.is_empty());
        self
    }

    pub(crate) fn with_provider_name(mut self, name: &'static str) -> Self {
        self.provider_name = name;
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        if self.env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            return Err(Error::credentials(
                "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
            ));
        }
        let client = http::client(TIMEOUTS, true)?;
        let token = match self.token(&client).await {
            Ok(token) => Some(token),
            Err(reason) if self.env.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED") => {
                return Err(Error::credentials(format!(
                    "{reason}, and ALIBABA_CLOUD_IMDSV1_DISABLED=true forbids IMDSv1"
                )));
            }
            Err(reason) => {
                tracing::debug!(%reason, "no IMDSv2 token; falling back to IMDSv1");
                None
            }
        };
        let role = match self
            .role_name
            .clone()
            .or_else(|| self.env.var("ALIBABA_CLOUD_ECS_METADATA"))
        {
            Some(role) => role,
            None => {
                let body = self.get(&client, ROLES_PATH, token.as_deref()).await?;
                String::from_utf8_lossy(&body)
                    .lines()
                    .map(str::trim)
                    .find(|line| !line.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Error::credentials(format!(
                            "{}{ROLES_PATH}: no RAM role is attached to the instance",
                            self.endpoint
                        ))
                    })?
            }
        };
        let path = format!("{ROLES_PATH}{role}");
        let body = self.get(&client, &path, token.as_deref()).await?;
        document::parse(&body, self.provider_name)
            .map_err(|reason| Error::credentials(format!("{}{path}: {reason}", self.endpoint)))
    }

    /// The IMDSv2 token, or why none could be had.
    async fn token(&self, client: &reqwest::Client) -> Result<String, String> {
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        let failed = |reason: String| format!("the IMDSv2 token request to {url} failed: {reason}");
        let response = client
            .put(&url)
            .header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS)
            .send()
            .await
            .map_err(|e| failed(http::describe(e)))?;
        if !response.status().is_success() {
            return Err(failed(http::status_failure(&response)));
        }
        let token = http::read_capped(response, http::MAX_BODY_BYTES)
            .await
            .map_err(failed)?;
        let token =
            String::from_utf8(token).map_err(|_| failed("the token is not UTF-8".to_owned()))?;
        let token = token.trim();
        if token.is_empty() {
            return Err(failed("empty token".to_owned()));
        }
        Ok(token.to_owned())
    }

    async fn get(
        &self,
        client: &reqwest::Client,
        path: &str,
        token: Option<&str>,
    ) -> Result<Vec<u8>, Error> {
        let url = format!("{}{path}", self.endpoint);
        let failed = |reason: String| Error::credentials(format!("GET {url}: {reason}"));
        let mut request = client.get(&url);
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| failed(http::describe(e)))?;
        if !response.status().is_success() {
            return Err(failed(http::status_failure(&response)));
        }
        http::read_capped(response, http::MAX_BODY_BYTES)
            .await
            .map_err(failed)
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

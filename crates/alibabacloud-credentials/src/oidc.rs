//! Credentials from STS `AssumeRoleWithOIDC`, with an OIDC token read from a file (as in
//! Kubernetes RRSA).

use std::path::{Path, PathBuf};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use alibabacloud_sts_20150401::Client;

use crate::cache::CredentialsCache;
use crate::env::Env;
use crate::sts;

/// Assumes a RAM role with an OIDC token, sending STS `AssumeRoleWithOIDC` unsigned.
///
/// Each setting is the one given explicitly, else the environment's:
///
/// | setting | variable | |
/// |---|---|---|
/// | role ARN | `ALIBABA_CLOUD_ROLE_ARN` | required |
/// | OIDC provider ARN | `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` | required |
/// | token file | `ALIBABA_CLOUD_OIDC_TOKEN_FILE` | required, read again at each refresh |
/// | session name | `ALIBABA_CLOUD_ROLE_SESSION_NAME` | default `alibabacloud-rust-<unix seconds>` |
/// | STS region | `ALIBABA_CLOUD_STS_REGION` (+ `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`) | default endpoint `sts.aliyuncs.com` |
///
/// The credentials are cached and refreshed 15 minutes before they expire, one refresh at
/// a time. Provider name: `oidc_role_arn`.
#[derive(Debug)]
pub struct OidcRoleProvider {
    env: Env,
    role_arn: Option<String>,
    oidc_provider_arn: Option<String>,
    token_file: Option<PathBuf>,
    role_session_name: Option<String>,
    policy: Option<String>,
    duration_seconds: i64,
    sts_region: Option<String>,
    vpc: bool,
    sts_endpoint: Option<String>,
    provider_name: &'static str,
    cache: CredentialsCache,
}

impl Default for OidcRoleProvider {
    fn default() -> Self {
        Self {
            env: Env::process(),
            role_arn: None,
            oidc_provider_arn: None,
            token_file: None,
            role_session_name: None,
            policy: None,
            duration_seconds: sts::DEFAULT_DURATION_SECONDS,
            sts_region: None,
            vpc: false,
            sts_endpoint: None,
            provider_name: "oidc_role_arn",
            cache: CredentialsCache::default(),
        }
    }
}

impl OidcRoleProvider {
    /// Takes every setting from the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads unset settings from `env` instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sets the ARN of the RAM role to assume.
    pub fn with_role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// Sets the ARN of the OIDC identity provider.
    pub fn with_oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.oidc_provider_arn = Some(arn.into());
        self
    }

    /// Sets the file holding the OIDC token.
    pub fn with_token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into());
        self
    }

    /// Sets the role session name.
    pub fn with_role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into());
        self
    }

    /// Restricts the credentials with a policy document.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// Sets the validity requested from STS (default 3600, minimum 900 seconds).
    pub fn with_duration_seconds(mut self, seconds: i64) -> Self {
        self.duration_seconds = seconds;
        self
    }

    /// Calls STS in this region (`sts.<region>.aliyuncs.com`).
    pub fn with_sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = Some(region.into());
        self
    }

    /// Uses the VPC endpoint of the region (`sts-vpc.<region>.aliyuncs.com`); also when
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`.
    pub fn with_vpc_endpoint(mut self, enabled: bool) -> Self {
        self.vpc = enabled;
        self
    }

    /// Calls STS at this endpoint (`host`, `https://host` or `http://host:port`); it wins
    /// over any region.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    pub(crate) fn with_provider_name(mut self, name: &'static str) -> Self {
        self.provider_name = name;
        self
    }

    fn setting(&self, explicit: &Option<String>, variable: &str) -> Result<String, Error> {
        explicit
            .clone()
            .filter(|v| !v.is_empty())
            .or_else(|| self.env.var(variable))
            .ok_or_else(|| Error::credentials(format!("{variable} not set")))
    }

    fn client(&self) -> Result<Client, Error> {
        let target = sts::Target {
            endpoint: self.sts_endpoint.as_deref(),
            region: self.sts_region.as_deref(),
            vpc: self.vpc,
        };
        sts::client(target, &self.env, None)
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let role_arn = self.setting(&self.role_arn, "ALIBABA_CLOUD_ROLE_ARN")?;
        let provider_arn =
            self.setting(&self.oidc_provider_arn, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN")?;
        let token_file = match &self.token_file {
            Some(path) => path.clone(),
            None => PathBuf::from(self.setting(&None, "ALIBABA_CLOUD_OIDC_TOKEN_FILE")?),
        };
        let token = read_token(&token_file)?;
        let session_name = self
            .setting(&self.role_session_name, "ALIBABA_CLOUD_ROLE_SESSION_NAME")
            .unwrap_or_else(|_| sts::default_session_name());
        let client = self.client()?;
        let mut request = client
            .assume_role_with_oidc()
            .role_arn(role_arn)
            .oidc_provider_arn(provider_arn)
            .oidc_token(token)
            .role_session_name(session_name)
            .duration_seconds(self.duration_seconds);
        if let Some(policy) = &self.policy {
            request = request.policy(policy.clone());
        }
        let credentials = request.send().await?.credentials.unwrap_or_default();
        sts::credentials(
            &format!("AssumeRoleWithOIDC response from {}", client.endpoint()),
            credentials.access_key_id,
            credentials.access_key_secret,
            credentials.security_token,
            credentials.expiration,
            self.provider_name,
        )
    }
}

/// Reads the token; the error names the file, never the content.
fn read_token(path: &Path) -> Result<String, Error> {
    let content = std::fs::read_to_string(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_owned(),
            _ => e.to_string(),
        };
        Error::credentials(format!("OIDC token file {}: {reason}", path.display()))
    })?;
    let token = content.trim();
    if token.is_empty() {
        return Err(Error::credentials(format!(
            "OIDC token file {}: empty",
            path.display()
        )));
    }
    Ok(token.to_owned())
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

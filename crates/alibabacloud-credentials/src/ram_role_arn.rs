//! Credentials from STS `AssumeRole`, signed with source credentials.

use std::sync::Arc;

use alibabacloud_core::credentials::{
    Credentials, CredentialsFuture, ProvideCredentials, SharedCredentialsProvider,
};
use alibabacloud_core::error::Error;
use alibabacloud_sts_20150401::Client;

use crate::cache::CredentialsCache;
use crate::env::Env;
use crate::sts;

/// Assumes a RAM role with STS `AssumeRole`, V1-signed with the source credentials.
///
/// The STS endpoint is the explicit one, else `sts.<region>.aliyuncs.com` for the configured
/// region or `ALIBABA_CLOUD_STS_REGION` (`sts-vpc.` when the VPC endpoint is enabled or
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), else `sts.aliyuncs.com`. The session name
/// defaults to `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else `alibabacloud-rust-<unix seconds>`.
///
/// The credentials are cached and refreshed 15 minutes before they expire, one refresh at
/// a time. Provider name: `ram_role_arn`.
///
/// ```
/// use alibabacloud_credentials::{Credentials, RamRoleArnProvider};
/// let provider = RamRoleArnProvider::new(
///     Credentials::new("LTAI...", "secret"),
///     "acs:ram::123456789012:role/admin",
/// )
/// .with_sts_region("cn-hangzhou");
/// # let _ = provider;
/// ```
#[derive(Debug)]
pub struct RamRoleArnProvider {
    source: SharedCredentialsProvider,
    env: Env,
    role_arn: String,
    role_session_name: Option<String>,
    policy: Option<String>,
    external_id: Option<String>,
    duration_seconds: i64,
    sts_region: Option<String>,
    vpc: bool,
    sts_endpoint: Option<String>,
    provider_name: &'static str,
    cache: CredentialsCache,
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` with the credentials of `source`.
    pub fn new(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        Self::from_shared(Arc::new(source), role_arn)
    }

    /// Assumes `role_arn` with the credentials of an already shared `source`.
    pub fn from_shared(source: SharedCredentialsProvider, role_arn: impl Into<String>) -> Self {
        Self {
            source,
            env: Env::process(),
            role_arn: role_arn.into(),
            role_session_name: None,
            policy: None,
            external_id: None,
            duration_seconds: sts::DEFAULT_DURATION_SECONDS,
            sts_region: None,
            vpc: false,
            sts_endpoint: None,
            provider_name: "ram_role_arn",
            cache: CredentialsCache::default(),
        }
    }

    /// Reads `ALIBABA_CLOUD_*` defaults from `env` instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
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

    /// Sets the external id the role's trust policy asks for.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
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

    /// Uses the VPC endpoint of the region (`sts-vpc.<region>.aliyuncs.com`).
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

    fn client(&self) -> Result<Client, Error> {
        let target = sts::Target {
            endpoint: self.sts_endpoint.as_deref(),
            region: self.sts_region.as_deref(),
            vpc: self.vpc,
        };
        sts::client(target, &self.env, Some(self.source.clone()))
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let session_name = self
            .role_session_name
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| self.env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
            .unwrap_or_else(sts::default_session_name);
        let client = self.client()?;
        let mut request = client
            .assume_role()
            .role_arn(self.role_arn.clone())
            .role_session_name(session_name)
            .duration_seconds(self.duration_seconds);
        if let Some(policy) = self.policy.clone().filter(|p| !p.is_empty()) {
            request = request.policy(policy);
        }
        if let Some(external_id) = self.external_id.clone().filter(|e| !e.is_empty()) {
            request = request.external_id(external_id);
        }
        let credentials = request.send().await?.credentials.unwrap_or_default();
        sts::credentials(
            &format!("AssumeRole response from {}", client.endpoint()),
            credentials.access_key_id,
            credentials.access_key_secret,
            credentials.security_token,
            credentials.expiration,
            self.provider_name,
        )
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_from_region_vpc_or_override() {
        let provider = || {
            RamRoleArnProvider::new(Credentials::new("id", "secret"), "acs:ram::1:role/r")
                .with_env(Env::from_vars([("X", "y")]))
        };
        let endpoint = |provider: RamRoleArnProvider| provider.client().unwrap().endpoint();
        assert_eq!(endpoint(provider()), "https://sts.aliyuncs.com");
        let regional = || provider().with_sts_region("cn-shanghai");
        assert_eq!(endpoint(regional()), "https://sts.cn-shanghai.aliyuncs.com");
        let vpc = regional().with_vpc_endpoint(true);
        assert_eq!(endpoint(vpc), "https://sts-vpc.cn-shanghai.aliyuncs.com");
        let explicit = regional().with_sts_endpoint("http://127.0.0.1:9");
        assert_eq!(endpoint(explicit), "http://127.0.0.1:9");
    }
}

//! Credentials from the aliyun CLI's `~/.aliyun/config.json`.

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use alibabacloud_core::credentials::{
    Credentials, CredentialsFuture, ProvideCredentials, SharedCredentialsProvider,
};
use alibabacloud_core::error::Error;

use crate::cache::CredentialsCache;
use crate::cli_config::{self, ConfigFile, Profile, Unusable};
use crate::cloud_sso::CloudSsoProvider;
use crate::env::Env;
use crate::external::ExternalProcessProvider;
use crate::oauth::{self, OAuthProvider};
use crate::oidc::OidcRoleProvider;
use crate::profile_common::{LazyProvider, Overrides};
use crate::ram_role_arn::RamRoleArnProvider;

const SUPPORTED_MODES: &str =
    "AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External";

/// Reads a profile of the aliyun CLI's configuration: the file named by
/// `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`; the profile named by
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`.
///
/// | mode | credentials | provider name |
/// |---|---|---|
/// | `AK` | `access_key_id`, `access_key_secret` | `cli_profile/static_ak` |
/// | `StsToken` | the same plus `sts_token` | `cli_profile/static_sts` |
/// | `RamRoleArn` | STS `AssumeRole` signed with the profile's access key: `ram_role_arn`, `ram_session_name`, `expired_seconds`, `policy`, `external_id`, `sts_region` (endpoint `sts.<region>.aliyuncs.com`), `enable_vpc` | `cli_profile/ram_role_arn` |
/// | `EcsRamRole` | the metadata service, role `ram_role_name` | `cli_profile/ecs_ram_role` |
/// | `OIDC` | STS `AssumeRoleWithOIDC`: `ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`, `role_session_name`, `expired_seconds`, `policy`, `sts_region`, `enable_vpc` | `cli_profile/oidc_role_arn` |
/// | `ChainableRamRoleArn` | STS `AssumeRole` signed with the credentials of the profile named by `source_profile` (any mode, itself possibly chained; a cycle is an error naming it), with the `RamRoleArn` settings above | `cli_profile/chainable_ram_role_arn` |
/// | `CloudSSO` | the signed-in access token (`access_token`, valid until `cloud_sso_access_token_expire`, Unix seconds) exchanged at the portal of `cloud_sso_sign_in_url` for STS credentials of `cloud_sso_account_id` and `cloud_sso_access_config`; once the token has expired, the error says to sign in again with `aliyun configure --profile <name> --mode CloudSSO` | `cli_profile/cloud_sso` |
/// | `OAuth` | the OAuth access token (`oauth_access_token`, refreshed with `oauth_refresh_token` when under 20 minutes are left) exchanged for STS credentials at the sign-in endpoint of `oauth_site_type` (`CN`, the default, or `INTL`); the new tokens and credentials are written back into the profile under a file lock, atomically, every other field kept | `cli_profile/oauth` |
/// | `External` | the JSON a program prints: `process_command`, run as [`ExternalProcessProvider`](crate::ExternalProcessProvider) describes (unlike the official SDKs, what it prints is not copied into the profile: nothing reads it back) | `cli_profile/external` |
///
/// Other modes are an error naming the mode. Disabled by
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`. The file is read until it yields a provider;
/// that provider is then kept (and caches temporary credentials itself).
///
/// A missing file means the CLI is not configured. A file that exists but cannot be read or
/// is not valid JSON, or a profile in use that is incomplete (a missing field, a chain of
/// `source_profile`s that loops or names no profile), is an error naming the file and the
/// profile; in the [`DefaultCredentialsChain`](crate::DefaultCredentialsChain) such an
/// error ends the search rather than letting a later source sign as someone else.
#[derive(Debug, Default)]
pub struct CliProfileProvider {
    overrides: Overrides,
    resolved: LazyProvider,
}

impl CliProfileProvider {
    /// Reads the process environment (and its `HOME`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` (and its `HOME`) instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.overrides.env = env;
        self
    }

    /// Sends the STS calls of `RamRoleArn`, `ChainableRamRoleArn` and `OIDC` profiles to
    /// this endpoint.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.overrides.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks the metadata service at this base URL for `EcsRamRole` profiles.
    pub fn with_imds_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.overrides.imds_endpoint = Some(base_url.into());
        self
    }

    /// Sends the token refresh and exchange of `OAuth` profiles to this base URL
    /// (`http(s)://host[:port]`) instead of the sign-in endpoint of their site type.
    pub fn with_oauth_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.overrides.oauth_endpoint = Some(base_url.into());
        self
    }

    fn resolve(&self) -> Result<SharedCredentialsProvider, Unusable> {
        let env = &self.overrides.env;
        if env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Err(Unusable::NotConfigured(Error::credentials(
                "disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true",
            )));
        }
        let path = cli_config::path(env)?;
        let config = cli_config::load(&path)?;
        let name = config.active_name(env, &path)?;
        if config.profile(&name).is_none() {
            return Err(Unusable::NotConfigured(Error::credentials(format!(
                "{}: no profile named {name:?}",
                path.display()
            ))));
        }
        let builder = Builder {
            config: &config,
            path: &path,
            overrides: &self.overrides,
        };
        builder.build(&name, &mut Vec::new())
    }

    /// Credentials for the default chain, which stops at a broken configuration.
    pub(crate) async fn provide_for_chain(&self) -> Result<Credentials, Unusable> {
        let provider = self.resolved.get_or_try_init(|| self.resolve())?;
        provider
            .provide_credentials()
            .await
            .map_err(Unusable::NotConfigured)
    }
}

/// Builds the provider of a profile, following `source_profile`s.
struct Builder<'a> {
    config: &'a ConfigFile,
    path: &'a Path,
    overrides: &'a Overrides,
}

impl Builder<'_> {
    /// The provider of profile `name`; `chain` holds the profiles whose source it is.
    fn build(
        &self,
        name: &str,
        chain: &mut Vec<String>,
    ) -> Result<SharedCredentialsProvider, Unusable> {
        let file = self.path.display();
        let broken =
            |reason: String| Unusable::Broken(Error::credentials(format!("{file}: {reason}")));
        if chain.iter().any(|n| n == name) {
            let mut cycle = chain.clone();
            cycle.push(name.to_owned());
            return Err(broken(format!(
                "the source_profile chain {} loops",
                cycle
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            )));
        }
        let Some(profile) = self.config.profile(name) else {
            let referrer = chain.last().cloned().unwrap_or_default();
            return Err(broken(format!(
                "profile {referrer:?} has source_profile {name:?}, which is not in the file"
            )));
        };
        let profile = profile.clone();
        let mode = profile.mode.clone().unwrap_or_default();
        let missing =
            |field: &str| broken(format!("profile {name:?} (mode {mode}) has no {field}"));
        let required = |value: Option<String>, field: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| missing(field))
        };
        let overrides = self.overrides;
        let provider: SharedCredentialsProvider = match mode.as_str() {
            "AK" => Arc::new(
                Credentials::new(
                    required(profile.access_key_id, "access_key_id")?,
                    required(profile.access_key_secret, "access_key_secret")?,
                )
                .with_provider("cli_profile/static_ak"),
            ),
            "StsToken" => Arc::new(
                Credentials::new(
                    required(profile.access_key_id, "access_key_id")?,
                    required(profile.access_key_secret, "access_key_secret")?,
                )
                .with_security_token(required(profile.sts_token, "sts_token")?)
                .with_provider("cli_profile/static_sts"),
            ),
            "RamRoleArn" => {
                let mut source = Credentials::new(
                    required(profile.access_key_id.clone(), "access_key_id")?,
                    required(profile.access_key_secret.clone(), "access_key_secret")?,
                );
                if let Some(token) = profile.sts_token.clone().filter(|t| !t.is_empty()) {
                    source = source.with_security_token(token);
                }
                let role_arn = required(profile.ram_role_arn.clone(), "ram_role_arn")?;
                let provider = RamRoleArnProvider::new(source, role_arn)
                    .with_provider_name("cli_profile/ram_role_arn");
                Arc::new(self.role_settings(provider, &profile))
            }
            "ChainableRamRoleArn" => {
                let source_name = required(profile.source_profile.clone(), "source_profile")?;
                let role_arn = required(profile.ram_role_arn.clone(), "ram_role_arn")?;
                chain.push(name.to_owned());
                // A source whose mode is not supported is as broken as any other.
                let source = self
                    .build(&source_name, chain)
                    .map_err(|e| Unusable::Broken(e.into_error()))?;
                chain.pop();
                let provider = RamRoleArnProvider::from_shared(source, role_arn)
                    .with_provider_name("cli_profile/chainable_ram_role_arn");
                Arc::new(self.role_settings(provider, &profile))
            }
            "EcsRamRole" => {
                let mut provider = overrides
                    .ecs_ram_role()
                    .with_provider_name("cli_profile/ecs_ram_role");
                if let Some(role) = profile.ram_role_name {
                    provider = provider.with_role_name(role);
                }
                Arc::new(provider)
            }
            "OIDC" => {
                let mut provider = OidcRoleProvider::new()
                    .with_env(overrides.env.clone())
                    .with_role_arn(required(profile.ram_role_arn, "ram_role_arn")?)
                    .with_oidc_provider_arn(required(
                        profile.oidc_provider_arn,
                        "oidc_provider_arn",
                    )?)
                    .with_token_file(required(profile.oidc_token_file, "oidc_token_file")?)
                    .with_vpc_endpoint(is_true(profile.enable_vpc.as_ref()))
                    .with_provider_name("cli_profile/oidc_role_arn");
                if let Some(session) = profile.role_session_name.filter(|s| !s.is_empty()) {
                    provider = provider.with_role_session_name(session);
                }
                if let Some(seconds) = seconds(profile.expired_seconds.as_ref()) {
                    provider = provider.with_duration_seconds(seconds);
                }
                if let Some(policy) = profile.policy.filter(|p| !p.is_empty()) {
                    provider = provider.with_policy(policy);
                }
                if let Some(region) = profile.sts_region.filter(|r| !r.is_empty()) {
                    provider = provider.with_sts_region(region);
                }
                if let Some(endpoint) = &overrides.sts_endpoint {
                    provider = provider.with_sts_endpoint(endpoint.clone());
                }
                Arc::new(provider)
            }
            "CloudSSO" => {
                let provider = CloudSsoProvider {
                    sign_in_url: required(profile.cloud_sso_sign_in_url, "cloud_sso_sign_in_url")?,
                    account_id: required(profile.cloud_sso_account_id, "cloud_sso_account_id")?,
                    access_config: required(
                        profile.cloud_sso_access_config,
                        "cloud_sso_access_config",
                    )?,
                    access_token: profile.access_token.unwrap_or_default(),
                    access_token_expire: oauth::unix_seconds(
                        profile.cloud_sso_access_token_expire.as_ref(),
                    )
                    .unwrap_or(0),
                    profile: name.to_owned(),
                    provider_name: "cli_profile/cloud_sso",
                    cache: CredentialsCache::default(),
                };
                // An expired sign-in is reported now, naming the command that renews it.
                provider
                    .check_token(SystemTime::now())
                    .map_err(Unusable::Broken)?;
                Arc::new(provider)
            }
            "OAuth" => {
                let site_type = profile
                    .oauth_site_type
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "CN".to_owned());
                let (endpoint, client_id) = oauth::site(&site_type).ok_or_else(|| {
                    broken(format!(
                        "profile {name:?} has oauth_site_type {site_type:?}; CN or INTL expected"
                    ))
                })?;
                let endpoint = overrides
                    .oauth_endpoint
                    .clone()
                    .unwrap_or_else(|| endpoint.to_owned());
                Arc::new(OAuthProvider::new(
                    endpoint,
                    client_id,
                    self.path.to_owned(),
                    name.to_owned(),
                    &profile,
                    "cli_profile/oauth",
                ))
            }
            "External" => {
                let command = required(profile.process_command, "process_command")?;
                Arc::new(
                    ExternalProcessProvider::new(command)
                        .with_origin(format!("profile {name:?} of {file}"))
                        .with_provider_name("cli_profile/external"),
                )
            }
            "" => return Err(missing("mode")),
            other => {
                return Err(Unusable::NotConfigured(Error::credentials(format!(
                    "{file}: profile {name:?} has mode {other:?}, which is not supported \
                     (supported: {SUPPORTED_MODES})"
                ))));
            }
        };
        Ok(provider)
    }

    /// The `AssumeRole` settings a `RamRoleArn` or `ChainableRamRoleArn` profile carries.
    fn role_settings(
        &self,
        mut provider: RamRoleArnProvider,
        profile: &Profile,
    ) -> RamRoleArnProvider {
        provider = provider
            .with_env(self.overrides.env.clone())
            .with_vpc_endpoint(is_true(profile.enable_vpc.as_ref()));
        if let Some(seconds) = seconds(profile.expired_seconds.as_ref()) {
            provider = provider.with_duration_seconds(seconds);
        }
        if let Some(session) = profile.ram_session_name.clone().filter(|s| !s.is_empty()) {
            provider = provider.with_role_session_name(session);
        }
        if let Some(policy) = profile.policy.clone() {
            provider = provider.with_policy(policy);
        }
        if let Some(external_id) = profile.external_id.clone() {
            provider = provider.with_external_id(external_id);
        }
        if let Some(region) = profile.sts_region.clone().filter(|r| !r.is_empty()) {
            provider = provider.with_sts_region(region);
        }
        if let Some(endpoint) = &self.overrides.sts_endpoint {
            provider = provider.with_sts_endpoint(endpoint.clone());
        }
        provider
    }
}

/// `expired_seconds` as a number or a numeric string; zero or absent means the default.
fn seconds(value: Option<&serde_json::Value>) -> Option<i64> {
    oauth::unix_seconds(value).filter(|&seconds| seconds > 0)
}

/// `enable_vpc` as a boolean or `"true"`.
fn is_true(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let provider = self
                .resolved
                .get_or_try_init(|| self.resolve())
                .map_err(Unusable::into_error)?;
            provider.provide_credentials().await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ram_role_arn_profile_keeps_its_sts_region() {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        std::fs::create_dir_all(home.join(".aliyun")).unwrap();
        std::fs::write(
            home.join(".aliyun/config.json"),
            r#"{"current":"r","profiles":[{"name":"r","mode":"RamRoleArn","access_key_id":"id",
               "access_key_secret":"s","ram_role_arn":"acs:ram::1:role/x","sts_region":"cn-shanghai",
               "enable_vpc":true}]}"#,
        )
        .unwrap();
        let env = Env::from_vars([("HOME", home.display().to_string())]);
        // Resolved only: nothing is sent.
        let provider = CliProfileProvider::new()
            .with_env(env)
            .resolve()
            .map_err(Unusable::into_error)
            .unwrap();
        let shown = format!("{provider:?}");
        assert!(
            shown.contains("sts_region: Some(\"cn-shanghai\")"),
            "{shown}"
        );
        assert!(shown.contains("vpc: true"), "{shown}");
        assert!(shown.contains("sts_endpoint: None"), "{shown}");
    }
}

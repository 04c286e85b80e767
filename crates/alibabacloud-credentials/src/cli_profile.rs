//! Credentials from the aliyun CLI's `~/.aliyun/config.json`.

use std::path::Path;
use std::sync::Arc;

use alibabacloud_core::credentials::{
    Credentials, CredentialsFuture, ProvideCredentials, SharedCredentialsProvider,
};
use alibabacloud_core::error::Error;
use serde::Deserialize;

use crate::env::Env;
use crate::oidc::OidcRoleProvider;
use crate::profile_common::{self, LazyProvider, Overrides};
use crate::ram_role_arn::RamRoleArnProvider;

const SUPPORTED_MODES: &str = "AK, StsToken, RamRoleArn, EcsRamRole, OIDC";

/// Reads a profile of the aliyun CLI's `~/.aliyun/config.json`: the one named by
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`.
///
/// | mode | credentials | provider name |
/// |---|---|---|
/// | `AK` | `access_key_id`, `access_key_secret` | `cli_profile/static_ak` |
/// | `StsToken` | the same plus `sts_token` | `cli_profile/static_sts` |
/// | `RamRoleArn` | STS `AssumeRole` signed with the profile's access key: `ram_role_arn`, `ram_session_name`, `expired_seconds`, `policy`, `external_id`, `sts_region` (endpoint `sts.<region>.aliyuncs.com`), `enable_vpc` | `cli_profile/ram_role_arn` |
/// | `EcsRamRole` | the metadata service, role `ram_role_name` | `cli_profile/ecs_ram_role` |
/// | `OIDC` | STS `AssumeRoleWithOIDC`: `ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`, `role_session_name`, `sts_region` | `cli_profile/oidc_role_arn` |
///
/// Other modes are an error naming the mode. Disabled by
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`. The file is read until it yields a provider;
/// that provider is then kept (and caches temporary credentials itself).
#[derive(Debug, Default)]
pub struct CliProfileProvider {
    overrides: Overrides,
    resolved: LazyProvider,
}

/// The parts of `config.json` read here. Not `Debug`: profiles hold secrets.
#[derive(Deserialize)]
struct ConfigFile {
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Profile {
    name: Option<String>,
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    ram_role_arn: Option<String>,
    ram_session_name: Option<String>,
    expired_seconds: Option<serde_json::Value>,
    policy: Option<String>,
    external_id: Option<String>,
    sts_region: Option<String>,
    enable_vpc: Option<serde_json::Value>,
    ram_role_name: Option<String>,
    oidc_provider_arn: Option<String>,
    oidc_token_file: Option<String>,
    role_session_name: Option<String>,
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

    /// Sends the STS calls of `RamRoleArn` and `OIDC` profiles to this endpoint.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.overrides.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks the metadata service at this base URL for `EcsRamRole` profiles.
    pub fn with_imds_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.overrides.imds_endpoint = Some(base_url.into());
        self
    }

    fn resolve(&self) -> Result<SharedCredentialsProvider, Error> {
        let env = &self.overrides.env;
        if env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Err(Error::credentials(
                "disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true",
            ));
        }
        let path = profile_common::home_path(env, ".aliyun/config.json")?;
        let text = profile_common::read(&path)?;
        let fail = |reason: String| Error::credentials(format!("{}: {reason}", path.display()));
        let config: ConfigFile = serde_json::from_str(&text).map_err(|e| {
            fail(format!(
                "not a CLI configuration ({:?} error at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let name = env
            .var("ALIBABA_CLOUD_PROFILE")
            .or(config.current.filter(|c| !c.is_empty()))
            .ok_or_else(|| {
                fail("no current profile, and ALIBABA_CLOUD_PROFILE not set".to_owned())
            })?;
        let profile = config
            .profiles
            .into_iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .ok_or_else(|| fail(format!("no profile named {name:?}")))?;
        self.build(&path, &name, profile)
    }

    fn build(
        &self,
        path: &Path,
        name: &str,
        profile: Profile,
    ) -> Result<SharedCredentialsProvider, Error> {
        let mode = profile.mode.clone().unwrap_or_default();
        let missing = |field: &str| {
            Error::credentials(format!(
                "{}: profile {name:?} (mode {mode}) has no {field}",
                path.display()
            ))
        };
        let required = |value: Option<String>, field: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| missing(field))
        };
        let overrides = &self.overrides;
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
                    required(profile.access_key_id, "access_key_id")?,
                    required(profile.access_key_secret, "access_key_secret")?,
                );
                if let Some(token) = profile.sts_token.filter(|t| !t.is_empty()) {
                    source = source.with_security_token(token);
                }
                let role_arn = required(profile.ram_role_arn, "ram_role_arn")?;
                let mut provider = RamRoleArnProvider::new(source, role_arn)
                    .with_env(overrides.env.clone())
                    .with_vpc_endpoint(is_true(profile.enable_vpc.as_ref()))
                    .with_provider_name("cli_profile/ram_role_arn");
                if let Some(seconds) = seconds(profile.expired_seconds.as_ref()) {
                    provider = provider.with_duration_seconds(seconds);
                }
                if let Some(session) = profile.ram_session_name.filter(|s| !s.is_empty()) {
                    provider = provider.with_role_session_name(session);
                }
                if let Some(policy) = profile.policy {
                    provider = provider.with_policy(policy);
                }
                if let Some(external_id) = profile.external_id {
                    provider = provider.with_external_id(external_id);
                }
                if let Some(region) = profile.sts_region.filter(|r| !r.is_empty()) {
                    provider = provider.with_sts_region(region);
                }
                if let Some(endpoint) = &overrides.sts_endpoint {
                    provider = provider.with_sts_endpoint(endpoint.clone());
                }
                Arc::new(provider)
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
                    .with_provider_name("cli_profile/oidc_role_arn");
                if let Some(session) = profile.role_session_name.filter(|s| !s.is_empty()) {
                    provider = provider.with_role_session_name(session);
                }
                if let Some(region) = profile.sts_region.filter(|r| !r.is_empty()) {
                    provider = provider.with_sts_region(region);
                }
                if let Some(endpoint) = &overrides.sts_endpoint {
                    provider = provider.with_sts_endpoint(endpoint.clone());
                }
                Arc::new(provider)
            }
            "" => return Err(missing("mode")),
            other => {
                return Err(Error::credentials(format!(
                    "{}: profile {name:?} has mode {other:?}, which is not supported \
                     (supported: {SUPPORTED_MODES})",
                    path.display()
                )));
            }
        };
        Ok(provider)
    }
}

/// `expired_seconds` as a number or a numeric string; zero or absent means the default.
fn seconds(value: Option<&serde_json::Value>) -> Option<i64> {
    let seconds = match value? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    (seconds > 0).then_some(seconds)
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
            let provider = self.resolved.get_or_try_init(|| self.resolve())?;
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
        let provider = CliProfileProvider::new().with_env(env).resolve().unwrap();
        let shown = format!("{provider:?}");
        assert!(
            shown.contains("sts_region: Some(\"cn-shanghai\")"),
            "{shown}"
        );
        assert!(shown.contains("vpc: true"), "{shown}");
        assert!(shown.contains("sts_endpoint: None"), "{shown}");
    }
}

//! Credentials from the ini file `~/.alibabacloud/credentials`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use alibabacloud_core::credentials::{
    Credentials, CredentialsFuture, ProvideCredentials, SharedCredentialsProvider,
};
use alibabacloud_core::error::Error;

use crate::env::Env;
use crate::ini::{self, Section};
use crate::oidc::OidcRoleProvider;
use crate::profile_common::{self, LazyProvider, Overrides};
use crate::ram_role_arn::RamRoleArnProvider;

const SUPPORTED_TYPES: &str = "access_key, ram_role_arn, ecs_ram_role, oidc_role_arn";

/// Reads a section of an ini credentials file: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
/// `~/.alibabacloud/credentials`; the section named by `ALIBABA_CLOUD_PROFILE`, else
/// `default`.
///
/// ```ini
/// [default]
/// type = access_key            # values are cut at '#'
/// access_key_id = LTAI...
/// access_key_secret = ...
/// ```
///
/// | `type` | keys | provider name |
/// |---|---|---|
/// | `access_key` | `access_key_id`, `access_key_secret` | `profile/static_ak` |
/// | `ram_role_arn` | the same plus `role_arn`, `role_session_name`, `policy` (STS `AssumeRole`) | `profile/ram_role_arn` |
/// | `ecs_ram_role` | `role_name` (optional) | `profile/ecs_ram_role` |
/// | `oidc_role_arn` | `role_arn`, `oidc_provider_arn`, `oidc_token_file_path`, `role_session_name` | `profile/oidc_role_arn` |
///
/// Other types are an error naming the type. The file is read until it yields a provider;
/// that provider is then kept.
#[derive(Debug, Default)]
pub struct ProfileFileProvider {
    overrides: Overrides,
    resolved: LazyProvider,
}

impl ProfileFileProvider {
    /// Reads the process environment (and its `HOME`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` (and its `HOME`) instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.overrides.env = env;
        self
    }

    /// Sends the STS calls of `ram_role_arn` and `oidc_role_arn` sections to this endpoint.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.overrides.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks the metadata service at this base URL for `ecs_ram_role` sections.
    pub fn with_imds_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.overrides.imds_endpoint = Some(base_url.into());
        self
    }

    fn resolve(&self) -> Result<SharedCredentialsProvider, Error> {
        let env = &self.overrides.env;
        let path = match env.var("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            Some(path) => PathBuf::from(path),
            None => profile_common::home_path(env, ".alibabacloud/credentials")?,
        };
        let text = profile_common::read(&path)?;
        let name = env
            .var("ALIBABA_CLOUD_PROFILE")
            .unwrap_or_else(|| "default".to_owned());
        let mut sections = ini::parse(&text);
        let section = sections.remove(&name).ok_or_else(|| {
            Error::credentials(format!("{}: no section [{name}]", path.display()))
        })?;
        self.build(&path, &name, &section)
    }

    fn build(
        &self,
        path: &Path,
        name: &str,
        section: &Section,
    ) -> Result<SharedCredentialsProvider, Error> {
        let kind = section.get("type").map(String::as_str).unwrap_or_default();
        let optional = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
        let required = |key: &str| {
            optional(key).ok_or_else(|| {
                Error::credentials(format!(
                    "{}: section [{name}] (type {kind}) has no {key}",
                    path.display()
                ))
            })
        };
        let overrides = &self.overrides;
        let provider: SharedCredentialsProvider = match kind {
            "access_key" => Arc::new(
                Credentials::new(required("access_key_id")?, required("access_key_secret")?)
                    .with_provider("profile/static_ak"),
            ),
            "ram_role_arn" => {
                let source =
                    Credentials::new(required("access_key_id")?, required("access_key_secret")?);
                let mut provider = RamRoleArnProvider::new(source, required("role_arn")?)
                    .with_env(overrides.env.clone())
                    .with_provider_name("profile/ram_role_arn");
                if let Some(session) = optional("role_session_name") {
                    provider = provider.with_role_session_name(session);
                }
                if let Some(policy) = optional("policy") {
                    provider = provider.with_policy(policy);
                }
                if let Some(endpoint) = &overrides.sts_endpoint {
                    provider = provider.with_sts_endpoint(endpoint.clone());
                }
                Arc::new(provider)
            }
            "ecs_ram_role" => {
                let mut provider = overrides
                    .ecs_ram_role()
                    .with_provider_name("profile/ecs_ram_role");
                if let Some(role) = optional("role_name") {
                    provider = provider.with_role_name(role);
                }
                Arc::new(provider)
            }
            "oidc_role_arn" => {
                let mut provider = OidcRoleProvider::new()
                    .with_env(overrides.env.clone())
                    .with_role_arn(required("role_arn")?)
                    .with_oidc_provider_arn(required("oidc_provider_arn")?)
                    .with_token_file(required("oidc_token_file_path")?)
                    .with_provider_name("profile/oidc_role_arn");
                if let Some(session) = optional("role_session_name") {
                    provider = provider.with_role_session_name(session);
                }
                if let Some(endpoint) = &overrides.sts_endpoint {
                    provider = provider.with_sts_endpoint(endpoint.clone());
                }
                Arc::new(provider)
            }
            "" => {
                return Err(Error::credentials(format!(
                    "{}: section [{name}] has no type",
                    path.display()
                )));
            }
            other => {
                return Err(Error::credentials(format!(
                    "{}: section [{name}] has type {other:?}, which is not supported \
                     (supported: {SUPPORTED_TYPES})",
                    path.display()
                )));
            }
        };
        Ok(provider)
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let provider = self.resolved.get_or_try_init(|| self.resolve())?;
            provider.provide_credentials().await
        })
    }
}

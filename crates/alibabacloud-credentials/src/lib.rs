//! Credentials providers for the Alibaba Cloud Rust SDK.
//!
//! ```no_run
//! use alibabacloud_core::Config;
//! use alibabacloud_credentials::DefaultCredentialsChain;
//!
//! let config = Config::builder()
//!     .region("cn-hangzhou")
//!     .credentials(DefaultCredentialsChain::new())
//!     .build();
//! # let _ = config;
//! ```
//!
//! Each provider implements [`ProvideCredentials`], so any of them can be handed to
//! [`alibabacloud_core::ConfigBuilder::credentials`]:
//!
//! | provider | source |
//! |---|---|
//! | [`StaticProvider`] (= [`Credentials`]) | an access key given in code |
//! | [`EnvironmentProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` |
//! | [`OidcRoleProvider`] | STS `AssumeRoleWithOIDC` with a token file (`ALIBABA_CLOUD_ROLE_ARN`, ...) |
//! | [`RamRoleArnProvider`] | STS `AssumeRole` signed with other credentials |
//! | [`CliProfileProvider`] | the aliyun CLI's `~/.aliyun/config.json` (or `ALIBABA_CLOUD_CONFIG_FILE`), every mode |
//! | [`ExternalProcessProvider`] | the JSON a program prints (the CLI's `External` mode) |
//! | [`ProfileFileProvider`] | the ini file `~/.alibabacloud/credentials` |
//! | [`EcsRamRoleProvider`] | the ECS instance metadata service |
//! | [`UriProvider`] | `ALIBABA_CLOUD_CREDENTIALS_URI` |
//! | [`DefaultCredentialsChain`] | all of the above but the static, RAM-role and external ones, in that order |
//!
//! Temporary credentials are cached and refreshed 15 minutes before they expire, with one
//! refresh at a time however many callers wait ([`CachedProvider`] does the same for any
//! provider). Providers read the environment, and the home directory, through an [`Env`]:
//! the process environment by default, a fixed map in tests. Every endpoint can be
//! overridden. No `Debug` output, error message or log line contains a secret or a token.
//!
//! Credentials that have already expired when they arrive are refused, naming their source
//! and expiration; responses of the metadata service, the credentials URI and the CloudSSO
//! and OAuth endpoints are read up to 64 KiB. A broken aliyun CLI configuration is an error
//! that stops the default chain (see [`CliProfileProvider`]); [`cli_profile_region`] reads
//! the region of its profile in use.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod cache;
mod chain;
mod cli_config;
mod cli_config_edit;
mod cli_profile;
mod cloud_sso;
mod command;
mod document;
mod ecs_ram_role;
mod env;
mod environment;
mod expiration;
mod external;
mod http;
mod ini;
mod oauth;
mod oidc;
mod ordered_json;
mod profile_common;
mod profile_file;
mod ram_role_arn;
mod sts;
mod uri;

pub use alibabacloud_core::credentials::{
    Credentials, CredentialsFuture, ProvideCredentials, SharedCredentialsProvider,
};
pub use alibabacloud_core::error::Error;

pub use cache::CachedProvider;
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cli_config::cli_profile_region;
pub use cli_config_edit::{
    CLI_PROFILE_MODES, CliConfigFile, CliProfileMode, cli_profile_mode, is_secret_field,
};
pub use cli_profile::CliProfileProvider;
pub use ecs_ram_role::{DEFAULT_IMDS_ENDPOINT, EcsRamRoleProvider};
pub use env::Env;
pub use environment::EnvironmentProvider;
pub use expiration::REFRESH_MARGIN;
pub use external::ExternalProcessProvider;
pub use oidc::OidcRoleProvider;
pub use profile_file::ProfileFileProvider;
pub use ram_role_arn::RamRoleArnProvider;
pub use uri::UriProvider;

/// Fixed credentials given in code: [`Credentials`] itself implements
/// [`ProvideCredentials`].
///
/// ```
/// use alibabacloud_credentials::StaticProvider;
/// let provider = StaticProvider::new("LTAI...", "secret").with_security_token("token");
/// # let _ = provider;
/// ```
pub type StaticProvider = Credentials;

//! What the two profile providers (CLI `config.json` and the ini file) share: the
//! environment and endpoint overrides they pass on, reading the file, and the inner
//! provider built once from it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use alibabacloud_core::credentials::SharedCredentialsProvider;
use alibabacloud_core::error::Error;

use crate::ecs_ram_role::{DEFAULT_IMDS_ENDPOINT, EcsRamRoleProvider};
use crate::env::Env;

/// The environment and the endpoints given to the providers a profile builds.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overrides {
    pub(crate) env: Env,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) imds_endpoint: Option<String>,
    /// The OAuth sign-in endpoint for `OAuth` profiles, instead of the site type's.
    pub(crate) oauth_endpoint: Option<String>,
}

impl Overrides {
    /// An ECS RAM role provider with this environment and metadata endpoint.
    pub(crate) fn ecs_ram_role(&self) -> EcsRamRoleProvider {
        EcsRamRoleProvider::new()
            .with_env(self.env.clone())
            .with_endpoint(
                self.imds_endpoint
                    .as_deref()
                    .unwrap_or(DEFAULT_IMDS_ENDPOINT),
            )
    }
}

/// `~/<relative>`, with the home directory from the environment.
pub(crate) fn home_path(env: &Env, relative: &str) -> Result<PathBuf, Error> {
    env.home_dir()
        .map(|home| home.join(relative))
        .ok_or_else(|| Error::credentials("HOME not set"))
}

/// The file's text; the error names the path and says `not found` for a missing file.
pub(crate) fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_owned(),
            _ => e.to_string(),
        };
        Error::credentials(format!("{}: {reason}", path.display()))
    })
}

/// The provider a profile resolves to, built on first success and then kept.
#[derive(Default)]
pub(crate) struct LazyProvider {
    slot: Mutex<Option<SharedCredentialsProvider>>,
}

impl LazyProvider {
    /// The kept provider, else the one `init` builds (kept if it succeeds).
    pub(crate) fn get_or_try_init<E>(
        &self,
        init: impl FnOnce() -> Result<SharedCredentialsProvider, E>,
    ) -> Result<SharedCredentialsProvider, E> {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(provider) = &*slot {
            return Ok(provider.clone());
        }
        let provider = init()?;
        *slot = Some(provider.clone());
        Ok(provider)
    }
}

impl fmt::Debug for LazyProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        match &*slot {
            Some(provider) => fmt::Debug::fmt(provider, f),
            None => f.write_str("(not resolved yet)"),
        }
    }
}

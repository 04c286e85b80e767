//! The aliyun CLI's configuration file (`ALIBABA_CLOUD_CONFIG_FILE`, else
//! `~/.aliyun/config.json`): where it is, reading it (a missing file is "not configured", a
//! broken one an error), the profile in use, and writing refreshed fields back into one
//! profile under a file lock, atomically, keeping every other field as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use alibabacloud_core::error::Error;
use serde::Deserialize;

use crate::env::Env;
use crate::ordered_json::OrderedJson;
use crate::profile_common;

/// How long a write-back waits for another writer's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Why no profile could be read: either nothing is configured (the chain goes on to its next
/// source), or something is configured but broken (the chain stops: going on would sign
/// the call as whoever a later source names).
pub(crate) enum Unusable {
    /// Not configured: no home directory, no file, no such profile.
    NotConfigured(Error),
    /// A file that exists but cannot be read or parsed.
    Broken(Error),
}

impl Unusable {
    pub(crate) fn into_error(self) -> Error {
        match self {
            Unusable::NotConfigured(error) | Unusable::Broken(error) => error,
        }
    }
}

/// The parts of `config.json` read here. Not `Debug`: profiles hold secrets.
#[derive(Deserialize)]
pub(crate) struct ConfigFile {
    pub(crate) current: Option<String>,
    #[serde(default)]
    pub(crate) profiles: Vec<Profile>,
}

/// One profile, every field this crate reads (the file's other fields are ignored here and
/// kept on write-back). Numbers may be JSON numbers or numeric strings. Not `Debug`.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct Profile {
    pub(crate) name: Option<String>,
    pub(crate) mode: Option<String>,
    pub(crate) region_id: Option<String>,
    pub(crate) access_key_id: Option<String>,
    pub(crate) access_key_secret: Option<String>,
    pub(crate) sts_token: Option<String>,
    pub(crate) sts_expiration: Option<serde_json::Value>,
    pub(crate) ram_role_arn: Option<String>,
    pub(crate) ram_session_name: Option<String>,
    pub(crate) expired_seconds: Option<serde_json::Value>,
    pub(crate) policy: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) sts_region: Option<String>,
    pub(crate) enable_vpc: Option<serde_json::Value>,
    pub(crate) source_profile: Option<String>,
    pub(crate) ram_role_name: Option<String>,
    pub(crate) oidc_provider_arn: Option<String>,
    pub(crate) oidc_token_file: Option<String>,
    pub(crate) role_session_name: Option<String>,
    pub(crate) process_command: Option<String>,
    pub(crate) cloud_sso_sign_in_url: Option<String>,
    pub(crate) cloud_sso_account_id: Option<String>,
    pub(crate) cloud_sso_access_config: Option<String>,
    /// The CloudSSO access token (the CLI names it plainly `access_token`).
    pub(crate) access_token: Option<String>,
    pub(crate) cloud_sso_access_token_expire: Option<serde_json::Value>,
    pub(crate) oauth_site_type: Option<String>,
    pub(crate) oauth_access_token: Option<String>,
    pub(crate) oauth_refresh_token: Option<String>,
    pub(crate) oauth_access_token_expire: Option<serde_json::Value>,
}

/// `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`.
pub(crate) fn path(env: &Env) -> Result<PathBuf, Unusable> {
    match env.var("ALIBABA_CLOUD_CONFIG_FILE") {
        Some(path) => Ok(PathBuf::from(path)),
        None => {
            profile_common::home_path(env, ".aliyun/config.json").map_err(Unusable::NotConfigured)
        }
    }
}

/// Reads and parses the file. A missing file is not configured; one that exists but cannot
/// be read or parsed is broken. Errors name the file.
pub(crate) fn load(path: &Path) -> Result<ConfigFile, Unusable> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Unusable::NotConfigured(Error::credentials(format!(
                "{}: not found",
                path.display()
            ))));
        }
        Err(e) => {
            return Err(Unusable::Broken(Error::credentials(format!(
                "{}: cannot be read: {e}",
                path.display()
            ))));
        }
    };
    serde_json::from_str(&text).map_err(|e| {
        Unusable::Broken(Error::credentials(format!(
            "{}: not a CLI configuration ({:?} error at line {} column {})",
            path.display(),
            e.classify(),
            e.line(),
            e.column()
        )))
    })
}

impl ConfigFile {
    /// The profile in use: `ALIBABA_CLOUD_PROFILE`, else `current`.
    pub(crate) fn active_name(&self, env: &Env, path: &Path) -> Result<String, Unusable> {
        env.var("ALIBABA_CLOUD_PROFILE")
            .or_else(|| self.current.clone().filter(|c| !c.is_empty()))
            .ok_or_else(|| {
                Unusable::NotConfigured(Error::credentials(format!(
                    "{}: no current profile, and ALIBABA_CLOUD_PROFILE not set",
                    path.display()
                )))
            })
    }

    /// The profile named `name`.
    pub(crate) fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
    }
}

/// The `region_id` of the aliyun CLI profile in use, for callers that pick a region the way
/// the aliyun CLI does.
///
/// Reads the file named by `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`, and
/// its profile named by `ALIBABA_CLOUD_PROFILE`, else the file's `current` profile — the
/// file and profile [`CliProfileProvider`](crate::CliProfileProvider) takes credentials from.
///
/// `Ok(None)` when there is nothing to read: `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`, no
/// home directory, no file, no such profile, or a profile without a `region_id`. An error
/// when the file exists but cannot be read or is not valid JSON (the message names the
/// file): a broken configuration is reported, not taken for an absent one.
///
/// ```no_run
/// use alibabacloud_credentials::{Env, cli_profile_region};
/// let region = cli_profile_region(&Env::process())?;
/// # Ok::<(), alibabacloud_credentials::Error>(())
/// ```
pub fn cli_profile_region(env: &Env) -> Result<Option<String>, Error> {
    if env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
        return Ok(None);
    }
    let read = || -> Result<Option<String>, Unusable> {
        let path = path(env)?;
        let config = load(&path)?;
        let name = config.active_name(env, &path)?;
        Ok(config
            .profile(&name)
            .and_then(|p| p.region_id.clone())
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()))
    };
    match read() {
        Ok(region) => Ok(region),
        Err(Unusable::NotConfigured(_)) => Ok(None),
        Err(Unusable::Broken(error)) => Err(error),
    }
}

/// Writes `fields` into the profile named `profile` of the file at `path`, keeping every
/// other field and profile as it is.
///
/// The file is re-read under an exclusive lock (on the file itself on Unix, as the official
/// SDKs and the aliyun CLI lock it; on a `<file>.lock` beside it elsewhere), changed, written
/// to a temporary file (mode 0600) in the same directory, flushed and renamed over the
/// original, so a reader sees either the old file or the new one, never a part. The error
/// names the file, never a value.
pub(crate) async fn update_profile(
    path: &Path,
    profile: &str,
    fields: Vec<(&'static str, OrderedJson)>,
) -> Result<(), String> {
    let path = path.to_owned();
    let profile = profile.to_owned();
    tokio::task::spawn_blocking(move || update_profile_blocking(&path, &profile, fields))
        .await
        .map_err(|e| format!("the write-back task failed: {e}"))?
}

fn update_profile_blocking(
    path: &Path,
    profile: &str,
    fields: Vec<(&'static str, OrderedJson)>,
) -> Result<(), String> {
    let shown = path.display();
    let _lock = FileLock::acquire(path).map_err(|e| format!("{shown}: {e}"))?;
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot be read: {e}"))?;
    let mut document: OrderedJson = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{shown}: not a CLI configuration ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        )
    })?;
    let target = match document.get_mut("profiles") {
        Some(OrderedJson::Array(profiles)) => profiles
            .iter_mut()
            .find(|p| p.get("name").and_then(OrderedJson::as_str) == Some(profile)),
        _ => None,
    }
    .ok_or_else(|| format!("{shown}: profile {profile:?} is no longer in the file"))?;
    for (key, value) in fields {
        target.set(key, value);
    }
    let mut text = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
    serde::Serialize::serialize(&document, &mut serializer)
        .map_err(|e| format!("{shown}: could not be serialized: {e}"))?;
    text.push(b'\n');
    write_atomically(path, &text).map_err(|e| format!("{shown}: could not be written: {e}"))
}

/// Writes `contents` to a new file (mode 0600) beside `path`, flushes it and renames it over
/// `path`; the temporary file is removed if anything fails.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".tmp-{}-{nanos}", std::process::id()));
    let temp = path.with_file_name(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// An exclusive advisory lock, released when dropped (the file is closed).
pub(crate) struct FileLock {
    _file: std::fs::File,
}

impl FileLock {
    /// Waits up to [`LOCK_WAIT`] for the lock of `path`.
    pub(crate) fn acquire(path: &Path) -> Result<FileLock, String> {
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            let file = Self::open(path).map_err(|e| format!("cannot be locked: {e}"))?;
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {
                    if Self::still_current(path, &file) {
                        return Ok(FileLock { _file: file });
                    }
                    // Another writer renamed a new file over the one locked: lock that one.
                }
                Err(fs4::TryLockError::WouldBlock) => {}
                Err(fs4::TryLockError::Error(e)) => return Err(format!("cannot be locked: {e}")),
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "another process held its lock for over {} s",
                    LOCK_WAIT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    #[cfg(unix)]
    fn open(path: &Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new().read(true).open(path)
    }

    #[cfg(not(unix))]
    fn open(path: &Path) -> std::io::Result<std::fs::File> {
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".lock");
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path.with_file_name(name))
    }

    /// Whether the locked file is still the one at `path`.
    #[cfg(unix)]
    fn still_current(path: &Path, file: &std::fs::File) -> bool {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(path), file.metadata()) {
            (Ok(at_path), Ok(locked)) => {
                at_path.dev() == locked.dev() && at_path.ino() == locked.ino()
            }
            _ => false,
        }
    }

    #[cfg(not(unix))]
    fn still_current(_path: &Path, _file: &std::fs::File) -> bool {
        true
    }
}

//! Changing the aliyun CLI's `config.json` as a whole (for a `configure` command): create
//! it, add, change, switch and delete profiles, under the same lock and with the same
//! atomic, mode-0600 write as the OAuth write-back, keeping every field and key order this
//! crate does not know. And which fields each mode's provider reads.

use std::path::{Path, PathBuf};

use alibabacloud_core::error::Error;

use crate::cli_config::{self, FileLock, Unusable};
use crate::env::Env;
use crate::ordered_json::OrderedJson;

/// The fields a `config.json` profile of one mode is read with, by
/// [`CliProfileProvider`](crate::CliProfileProvider) and by the official credentials
/// libraries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CliProfileMode {
    /// The `mode` value (`AK`, `RamRoleArn`, ...).
    pub name: &'static str,
    /// Fields the mode cannot do without.
    pub required: &'static [&'static str],
    /// Fields it reads when they are there.
    pub optional: &'static [&'static str],
}

/// Every mode [`CliProfileProvider`](crate::CliProfileProvider) reads, and its fields.
///
/// `CloudSSO` and `OAuth` profiles also hold the tokens a browser sign-in leaves there
/// (`access_token`, `oauth_access_token`, ...): listed as optional, since they are not
/// typed in.
pub static CLI_PROFILE_MODES: &[CliProfileMode] = &[
    CliProfileMode {
        name: "AK",
        required: &["access_key_id", "access_key_secret"],
        optional: &[],
    },
    CliProfileMode {
        name: "StsToken",
        required: &["access_key_id", "access_key_secret", "sts_token"],
        optional: &[],
    },
    CliProfileMode {
        name: "RamRoleArn",
        required: &["access_key_id", "access_key_secret", "ram_role_arn"],
        optional: &[
            "sts_token",
            "ram_session_name",
            "expired_seconds",
            "policy",
            "external_id",
            "sts_region",
            "enable_vpc",
        ],
    },
    CliProfileMode {
        name: "EcsRamRole",
        required: &[],
        optional: &["ram_role_name"],
    },
    CliProfileMode {
        name: "OIDC",
        required: &["ram_role_arn", "oidc_provider_arn", "oidc_token_file"],
        optional: &[
            "role_session_name",
            "expired_seconds",
            "policy",
            "sts_region",
            "enable_vpc",
        ],
    },
    CliProfileMode {
        name: "External",
        required: &["process_command"],
        optional: &[],
    },
    CliProfileMode {
        name: "ChainableRamRoleArn",
        required: &["source_profile", "ram_role_arn"],
        optional: &[
            "ram_session_name",
            "expired_seconds",
            "policy",
            "external_id",
            "sts_region",
            "enable_vpc",
        ],
    },
    CliProfileMode {
        name: "CloudSSO",
        required: &[
            "cloud_sso_sign_in_url",
            "cloud_sso_account_id",
            "cloud_sso_access_config",
        ],
        optional: &["access_token", "cloud_sso_access_token_expire"],
    },
    CliProfileMode {
        name: "OAuth",
        required: &[],
        optional: &[
            "oauth_site_type",
            "oauth_access_token",
            "oauth_refresh_token",
            "oauth_access_token_expire",
        ],
    },
];

/// The mode named `name` (case-insensitive), if this crate reads it.
pub fn cli_profile_mode(name: &str) -> Option<&'static CliProfileMode> {
    CLI_PROFILE_MODES
        .iter()
        .find(|mode| mode.name.eq_ignore_ascii_case(name))
}

/// Whether a `config.json` field holds a secret (a key secret, a token, a private key):
/// such a value is never to be shown.
pub fn is_secret_field(key: &str) -> bool {
    matches!(
        key,
        "access_key_secret"
            | "sts_token"
            | "access_token"
            | "oauth_access_token"
            | "oauth_refresh_token"
            | "private_key"
            | "bearer_token"
    )
}

/// The aliyun CLI's configuration file, read whole: every profile and field, known or not,
/// in file order. Not `Debug`: profiles hold secrets.
pub struct CliConfigFile {
    document: OrderedJson,
}

impl CliConfigFile {
    /// Where the file is: `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`.
    pub fn path(env: &Env) -> Result<PathBuf, Error> {
        cli_config::path(env).map_err(Unusable::into_error)
    }

    /// Reads the file; `None` when there is none. An error names the file when it cannot
    /// be read or is not a JSON object.
    pub fn read(path: &Path) -> Result<Option<CliConfigFile>, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::credentials(format!(
                    "{}: cannot be read: {e}",
                    path.display()
                )));
            }
        };
        parse(path, &text).map(Some)
    }

    /// Changes the file with `edit`, under the file's lock: creates it when it is missing
    /// (`{"current": "", "profiles": []}`, its directory too), re-reads it, lets `edit`
    /// change it, then writes it to a temporary file (mode 0600) beside it, flushes it and
    /// renames it over the original, so a reader sees the old file or the new one, never a
    /// part. Nothing is written when `edit` fails.
    pub fn edit<R>(
        path: &Path,
        edit: impl FnOnce(&mut CliConfigFile) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let shown = path.display();
        create_if_absent(path)
            .map_err(|e| Error::credentials(format!("{shown}: could not be created: {e}")))?;
        let _lock =
            FileLock::acquire(path).map_err(|e| Error::credentials(format!("{shown}: {e}")))?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::credentials(format!("{shown}: cannot be read: {e}")))?;
        let mut file = parse(path, &text)?;
        let result = edit(&mut file)?;
        let mut text = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
        serde::Serialize::serialize(&file.document, &mut serializer)
            .map_err(|e| Error::credentials(format!("{shown}: could not be serialized: {e}")))?;
        text.push(b'\n');
        cli_config::write_atomically(path, &text)
            .map_err(|e| Error::credentials(format!("{shown}: could not be written: {e}")))?;
        Ok(result)
    }

    /// The `current` profile's name, unless empty.
    pub fn current(&self) -> Option<&str> {
        self.document
            .get("current")
            .and_then(OrderedJson::as_str)
            .filter(|name| !name.is_empty())
    }

    /// Makes `name` the `current` profile.
    pub fn set_current(&mut self, name: &str) {
        self.document.set("current", OrderedJson::from(name));
    }

    /// The names of the profiles, in file order.
    pub fn profile_names(&self) -> Vec<String> {
        self.profiles()
            .iter()
            .filter_map(|p| p.get("name").and_then(OrderedJson::as_str))
            .map(str::to_owned)
            .collect()
    }

    /// The fields of profile `name`, in file order (its `name` included).
    pub fn profile(&self, name: &str) -> Option<Vec<(String, serde_json::Value)>> {
        let profile = self
            .profiles()
            .iter()
            .find(|p| p.get("name").and_then(OrderedJson::as_str) == Some(name))?;
        match profile {
            OrderedJson::Object(members) => Some(
                members
                    .iter()
                    .map(|(key, value)| (key.clone(), to_value(value)))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Sets field `key` of profile `name` (in place when it is there, else after the
    /// others), adding the profile at the end when there is none of that name.
    pub fn set(&mut self, name: &str, key: &str, value: serde_json::Value) {
        let profiles = self.profiles_mut();
        let index = match profiles
            .iter()
            .position(|p| p.get("name").and_then(OrderedJson::as_str) == Some(name))
        {
            Some(index) => index,
            None => {
                profiles.push(OrderedJson::Object(vec![(
                    "name".to_owned(),
                    OrderedJson::from(name),
                )]));
                profiles.len() - 1
            }
        };
        profiles[index].set(key, from_value(value));
    }

    /// Removes field `key` of profile `name`, if both are there.
    pub fn remove(&mut self, name: &str, key: &str) {
        let profiles = self.profiles_mut();
        if let Some(members) = profiles
            .iter_mut()
            .find(|p| p.get("name").and_then(OrderedJson::as_str) == Some(name))
            .and_then(OrderedJson::as_object_mut)
        {
            members.retain(|(k, _)| k != key);
        }
    }

    /// Removes profile `name`; whether there was one.
    pub fn remove_profile(&mut self, name: &str) -> bool {
        let profiles = self.profiles_mut();
        let before = profiles.len();
        profiles.retain(|p| p.get("name").and_then(OrderedJson::as_str) != Some(name));
        profiles.len() != before
    }

    fn profiles(&self) -> &[OrderedJson] {
        match self.document.get("profiles") {
            Some(OrderedJson::Array(profiles)) => profiles,
            _ => &[],
        }
    }

    fn profiles_mut(&mut self) -> &mut Vec<OrderedJson> {
        if !matches!(self.document.get("profiles"), Some(OrderedJson::Array(_))) {
            self.document
                .set("profiles", OrderedJson::Array(Vec::new()));
        }
        match self.document.get_mut("profiles") {
            Some(OrderedJson::Array(profiles)) => profiles,
            _ => unreachable!("set to an array just above"),
        }
    }
}

/// The file's text as a configuration: a JSON object, or an error naming the file.
fn parse(path: &Path, text: &str) -> Result<CliConfigFile, Error> {
    let document: OrderedJson = serde_json::from_str(text).map_err(|e| {
        Error::credentials(format!(
            "{}: not a CLI configuration ({:?} error at line {} column {})",
            path.display(),
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    if !matches!(document, OrderedJson::Object(_)) {
        return Err(Error::credentials(format!(
            "{}: not a CLI configuration (not a JSON object)",
            path.display()
        )));
    }
    Ok(CliConfigFile { document })
}

/// Creates an empty configuration at `path` (mode 0600; the directory 0700) unless a file
/// is there; another process creating it at the same time is not overwritten.
fn create_if_absent(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let empty = b"{\n    \"current\": \"\",\n    \"profiles\": []\n}\n";
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // `create_new`: of two processes creating it, one wins and the other finds it there.
    // The file is written before it is locked and read, so a reader may meet it empty for
    // an instant; the lock's holder re-reads it.
    match options.open(path) {
        Ok(mut file) => {
            use std::io::Write as _;
            file.write_all(empty)?;
            file.sync_all()
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn to_value(value: &OrderedJson) -> serde_json::Value {
    match value {
        OrderedJson::Null => serde_json::Value::Null,
        OrderedJson::Bool(b) => serde_json::Value::Bool(*b),
        OrderedJson::Number(n) => serde_json::Value::Number(n.clone()),
        OrderedJson::String(s) => serde_json::Value::String(s.clone()),
        OrderedJson::Array(items) => serde_json::Value::Array(items.iter().map(to_value).collect()),
        OrderedJson::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect(),
        ),
    }
}

fn from_value(value: serde_json::Value) -> OrderedJson {
    match value {
        serde_json::Value::Null => OrderedJson::Null,
        serde_json::Value::Bool(b) => OrderedJson::Bool(b),
        serde_json::Value::Number(n) => OrderedJson::Number(n),
        serde_json::Value::String(s) => OrderedJson::String(s),
        serde_json::Value::Array(items) => {
            OrderedJson::Array(items.into_iter().map(from_value).collect())
        }
        serde_json::Value::Object(members) => OrderedJson::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, from_value(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CliProfileProvider;
    use alibabacloud_core::credentials::ProvideCredentials;

    #[test]
    fn edits_keep_unknown_fields_order_and_create_the_file_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.json");
        CliConfigFile::edit(&path, |file| {
            file.set("work", "mode", "AK".into());
            file.set("work", "access_key_id", "LTAI-id".into());
            file.set_current("work");
            Ok(())
        })
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::write(
            &path,
            r#"{"meta_path":"/x","current":"work","profiles":[{"name":"work","zeta":1,"mode":"AK","access_key_id":"old","plugins":{"b":2,"a":1}}],"extra":[1]}"#,
        )
        .unwrap();
        CliConfigFile::edit(&path, |file| {
            file.set("work", "access_key_id", "new".into());
            file.set("other", "mode", "EcsRamRole".into());
            Ok(())
        })
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let compact: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(compact["extra"], serde_json::json!([1]));
        let order: Vec<usize> = [
            "\"meta_path\"",
            "\"current\"",
            "\"zeta\"",
            "\"access_key_id\": \"new\"",
            "\"b\"",
            "\"a\"",
            "\"other\"",
            "\"extra\"",
        ]
        .iter()
        .map(|needle| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {text}"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        let file = CliConfigFile::read(&path).unwrap().unwrap();
        assert_eq!(file.profile_names(), ["work", "other"]);
        assert_eq!(file.current(), Some("work"));
        // A failed edit writes nothing.
        let before = std::fs::read_to_string(&path).unwrap();
        let error = CliConfigFile::edit(&path, |file| -> Result<(), Error> {
            file.remove_profile("work");
            Err(Error::credentials("no"))
        });
        assert!(error.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
        assert!(
            CliConfigFile::read(&dir.path().join("none.json"))
                .unwrap()
                .is_none()
        );
        std::fs::write(&path, "[1]").unwrap();
        assert!(CliConfigFile::read(&path).is_err());
    }

    /// Each mode's required fields are exactly what the provider needs: with all of them
    /// it resolves, without any one of them it names that field.
    #[test]
    fn the_mode_table_matches_the_provider() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        for mode in CLI_PROFILE_MODES {
            let fill = |skip: Option<&str>| {
                let mut profile = serde_json::json!({"name": "p", "mode": mode.name});
                for field in mode.required.iter().filter(|f| Some(**f) != skip) {
                    profile[*field] = match *field {
                        "source_profile" => "src",
                        _ => "x",
                    }
                    .into();
                }
                let config = serde_json::json!({"current": "p", "profiles": [
                    profile,
                    {"name": "src", "mode": "AK", "access_key_id": "i", "access_key_secret": "s"}
                ]});
                std::fs::write(&path, config.to_string()).unwrap();
                let env =
                    Env::from_vars([("ALIBABA_CLOUD_CONFIG_FILE", path.display().to_string())]);
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let provider = CliProfileProvider::new()
                    .with_env(env)
                    .with_sts_endpoint("http://127.0.0.1:1")
                    .with_imds_endpoint("http://127.0.0.1:1")
                    .with_oauth_endpoint("http://127.0.0.1:1");
                runtime
                    .block_on(provider.provide_credentials())
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            };
            // Complete: whatever else fails (nothing answers on 127.0.0.1:1; a CloudSSO
            // profile has not signed in), no required field is missing.
            let complete = fill(None);
            for field in mode.required {
                assert!(
                    !complete.contains(&format!("has no {field}")),
                    "{}: {complete}",
                    mode.name
                );
            }
            assert!(
                !complete.contains("has no mode"),
                "{}: {complete}",
                mode.name
            );
            for field in mode.required {
                let error = fill(Some(field));
                assert!(
                    error.contains(&format!("has no {field}")),
                    "{} without {field}: {error}",
                    mode.name
                );
            }
        }
        assert_eq!(
            cli_profile_mode("ramrolearn").map(|m| m.name),
            Some("RamRoleArn")
        );
        assert_eq!(cli_profile_mode("RsaKeyPair"), None);
    }
}

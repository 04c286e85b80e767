//! `alicloud configure`: the profiles of the aliyun CLI's `config.json`
//! (`ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`), with the aliyun CLI's
//! subcommands and flag names, so that its scripts run unchanged:
//!
//! ```text
//! alicloud configure set --profile NAME --mode AK --region cn-hangzhou \
//!     --access-key-id ... --access-key-secret ...
//! alicloud configure get [--profile NAME] [FIELD ...]
//! alicloud configure list
//! alicloud configure switch --profile NAME
//! alicloud configure delete --profile NAME
//! alicloud configure [--profile NAME] [--mode MODE]     (asks for each field)
//! ```
//!
//! Each mode writes the fields the credentials crate and the official credentials
//! libraries read ([`CLI_PROFILE_MODES`]). The file is changed through
//! [`CliConfigFile::edit`]: under its lock, written atomically with mode 0600, every field
//! this command does not know kept where it was. Secrets are never printed: `get` and
//! `list` mask them, and the interactive prompt reads them without echo.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use alibabacloud_credentials::{
    CLI_PROFILE_MODES, CliConfigFile, CliProfileMode, Env, cli_profile_mode, is_secret_field,
};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use crate::cli::CONFIGURE;
use crate::error::CliError;

/// A parsed `alicloud configure ...` command line.
#[derive(Debug)]
pub struct Request {
    matches: ArgMatches,
}

/// One flag of `configure set`, and the profile field it writes.
struct FieldFlag {
    /// The aliyun CLI's flag name.
    flag: &'static str,
    /// The `config.json` field.
    field: &'static str,
    /// How the value is written.
    kind: Kind,
    help: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Bool,
}

/// The mode fields `configure set` takes, by the aliyun CLI's flag names (`--policy` and
/// `--enable-vpc` are this tool's: the credentials libraries read those fields, and the
/// aliyun CLI has no flag for them).
const FIELD_FLAGS: &[FieldFlag] = &[
    FieldFlag {
        flag: "access-key-id",
        field: "access_key_id",
        kind: Kind::Text,
        help: "AccessKey ID (AK, StsToken, RamRoleArn)",
    },
    FieldFlag {
        flag: "access-key-secret",
        field: "access_key_secret",
        kind: Kind::Text,
        help: "AccessKey secret (AK, StsToken, RamRoleArn); never printed",
    },
    FieldFlag {
        flag: "sts-token",
        field: "sts_token",
        kind: Kind::Text,
        help: "STS security token (StsToken; RamRoleArn when its key is temporary); never printed",
    },
    FieldFlag {
        flag: "ram-role-arn",
        field: "ram_role_arn",
        kind: Kind::Text,
        help: "ARN of the RAM role to assume (RamRoleArn, ChainableRamRoleArn, OIDC)",
    },
    FieldFlag {
        flag: "role-session-name",
        field: "ram_session_name",
        kind: Kind::Text,
        help: "Session name of the assumed role (RamRoleArn, ChainableRamRoleArn, OIDC)",
    },
    FieldFlag {
        flag: "external-id",
        field: "external_id",
        kind: Kind::Text,
        help: "External ID the role's trust policy asks for (RamRoleArn, ChainableRamRoleArn)",
    },
    FieldFlag {
        flag: "expired-seconds",
        field: "expired_seconds",
        kind: Kind::Number,
        help: "Lifetime of the assumed role's credentials, seconds (RamRoleArn, ChainableRamRoleArn, OIDC)",
    },
    FieldFlag {
        flag: "policy",
        field: "policy",
        kind: Kind::Text,
        help: "Policy (JSON) narrowing the assumed role (RamRoleArn, ChainableRamRoleArn, OIDC)",
    },
    FieldFlag {
        flag: "sts-region",
        field: "sts_region",
        kind: Kind::Text,
        help: "Region of the STS endpoint (RamRoleArn, ChainableRamRoleArn, OIDC)",
    },
    FieldFlag {
        flag: "enable-vpc",
        field: "enable_vpc",
        kind: Kind::Bool,
        help: "true: reach STS at its VPC endpoint (RamRoleArn, ChainableRamRoleArn, OIDC)",
    },
    FieldFlag {
        flag: "source-profile",
        field: "source_profile",
        kind: Kind::Text,
        help: "Profile whose credentials assume the role (ChainableRamRoleArn)",
    },
    FieldFlag {
        flag: "ram-role-name",
        field: "ram_role_name",
        kind: Kind::Text,
        help: "Role of the ECS instance (EcsRamRole; default: the instance's)",
    },
    FieldFlag {
        flag: "oidc-provider-arn",
        field: "oidc_provider_arn",
        kind: Kind::Text,
        help: "ARN of the OIDC identity provider (OIDC)",
    },
    FieldFlag {
        flag: "oidc-token-file",
        field: "oidc_token_file",
        kind: Kind::Text,
        help: "File holding the OIDC token (OIDC)",
    },
    FieldFlag {
        flag: "process-command",
        field: "process_command",
        kind: Kind::Text,
        help: "Program that prints credentials as JSON (External)",
    },
    FieldFlag {
        flag: "cloud-sso-sign-in-url",
        field: "cloud_sso_sign_in_url",
        kind: Kind::Text,
        help: "CloudSSO user portal sign-in URL (CloudSSO)",
    },
    FieldFlag {
        flag: "cloud-sso-account-id",
        field: "cloud_sso_account_id",
        kind: Kind::Text,
        help: "CloudSSO account ID (CloudSSO)",
    },
    FieldFlag {
        flag: "cloud-sso-access-config",
        field: "cloud_sso_access_config",
        kind: Kind::Text,
        help: "CloudSSO access configuration ID (CloudSSO)",
    },
    FieldFlag {
        flag: "oauth-site-type",
        field: "oauth_site_type",
        kind: Kind::Text,
        help: "OAuth site: CN or INTL (OAuth)",
    },
];

/// Profile settings outside the mode, as the aliyun CLI stores them.
const SETTING_FLAGS: &[FieldFlag] = &[
    FieldFlag {
        flag: "region",
        field: "region_id",
        kind: Kind::Text,
        help: "Default region of the profile (e.g. cn-hangzhou)",
    },
    FieldFlag {
        flag: "language",
        field: "language",
        kind: Kind::Text,
        help: "Language of the aliyun CLI's messages: en or zh",
    },
    FieldFlag {
        flag: "read-timeout",
        field: "read_timeout",
        kind: Kind::Number,
        help: "The aliyun CLI's read timeout, seconds",
    },
    FieldFlag {
        flag: "connect-timeout",
        field: "connect_timeout",
        kind: Kind::Number,
        help: "The aliyun CLI's connect timeout, seconds",
    },
    FieldFlag {
        flag: "retry-count",
        field: "retry_count",
        kind: Kind::Number,
        help: "The aliyun CLI's retry count",
    },
];

/// Sign-in tokens that a browser sign-in leaves in CloudSSO and OAuth profiles: never
/// asked for.
const SIGN_IN_FIELDS: &[&str] = &[
    "access_token",
    "cloud_sso_access_token_expire",
    "oauth_access_token",
    "oauth_refresh_token",
    "oauth_access_token_expire",
];

fn modes() -> Vec<&'static str> {
    CLI_PROFILE_MODES.iter().map(|m| m.name).collect()
}

fn profile_arg(required: bool) -> Arg {
    Arg::new("profile")
        .long("profile")
        .short('p')
        .value_name("NAME")
        .required(required)
        .help(if required {
            "The profile"
        } else {
            "The profile [default: the current one, else 'default']"
        })
}

fn mode_arg() -> Arg {
    Arg::new("mode")
        .long("mode")
        .value_name("MODE")
        .value_parser(clap::builder::PossibleValuesParser::new(modes()))
        .ignore_case(true)
        .help("How the profile gets credentials [default: the profile's mode, else AK]")
}

fn field_arg(flag: &FieldFlag) -> Arg {
    // The id is the flag's name: where it is also a global flag's (`--region`), the root
    // tree then keeps this one in `configure` instead of adding the global one.
    let arg = Arg::new(flag.flag)
        .long(flag.flag)
        .value_name(match flag.kind {
            Kind::Text => "VALUE",
            Kind::Number => "N",
            Kind::Bool => "true|false",
        })
        .help(flag.help);
    match flag.kind {
        Kind::Text => arg,
        Kind::Number => arg.value_parser(value_parser!(u64)),
        Kind::Bool => arg.value_parser(value_parser!(bool)),
    }
}

/// The `configure` command tree.
pub fn command() -> Command {
    let set = Command::new("set")
        .about("Create or change a profile without prompts (and make it the current one)")
        .arg(profile_arg(false))
        .arg(mode_arg())
        .args(FIELD_FLAGS.iter().map(field_arg))
        .args(SETTING_FLAGS.iter().map(field_arg))
        .after_help(
            "Example:\n  alicloud configure set --profile work --mode AK --region cn-hangzhou \\\n      \
             --access-key-id LTAI... --access-key-secret ...\n\n\
             Only the fields given change; the profile's other fields stay as they were.",
        );
    Command::new(CONFIGURE)
        .about("Create, change, list, switch and delete profiles of the aliyun CLI's config.json")
        .long_about(
            "Create, change, list, switch and delete profiles of the aliyun CLI's config file \
             (ALIBABA_CLOUD_CONFIG_FILE, else ~/.aliyun/config.json), in its format: the \
             aliyun CLI and the official SDKs' credentials libraries read what this writes. \
             Without a subcommand, asks for each field of the profile's mode (keys without \
             echo).",
        )
        .args_conflicts_with_subcommands(true)
        .arg(profile_arg(false))
        .arg(mode_arg())
        .subcommand(set)
        .subcommand(
            Command::new("get")
                .about("Print a profile (secrets masked), or some of its fields")
                .arg(profile_arg(false))
                .arg(
                    Arg::new("fields")
                        .value_name("FIELD")
                        .action(ArgAction::Append)
                        .help("Fields to print, one per line (e.g. region_id, mode)"),
                ),
        )
        .subcommand(
            Command::new("list")
                .about("List the profiles, secrets masked; * marks the current one"),
        )
        .subcommand(
            Command::new("switch")
                .about("Make a profile the current one")
                .arg(profile_arg(true)),
        )
        .subcommand(
            Command::new("delete")
                .about("Delete a profile")
                .arg(profile_arg(true)),
        )
}

/// Parses `configure ...` (the words from `configure` on).
pub fn parse(words: &[std::ffi::OsString]) -> Result<Request, CliError> {
    let matches = command()
        .bin_name("alicloud configure")
        .try_get_matches_from(words)?;
    Ok(Request { matches })
}

/// Runs a `configure` command.
pub fn run(request: Request) -> Result<(), CliError> {
    let path = CliConfigFile::path(&Env::process())
        .map_err(|e| CliError::Local(format!("where is the configuration? {}", e.message())))?;
    let text = |m: &ArgMatches, id: &str| m.get_one::<String>(id).cloned();
    match request.matches.subcommand() {
        Some(("set", m)) => set(&path, m),
        Some(("get", m)) => get(&path, text(m, "profile"), m),
        Some(("list", _)) => list(&path),
        Some(("switch", m)) => switch(&path, &text(m, "profile").unwrap_or_default()),
        Some(("delete", m)) => delete(&path, &text(m, "profile").unwrap_or_default()),
        _ => interactive(&path, &request.matches),
    }
}

fn local(error: alibabacloud_core::Error) -> CliError {
    CliError::Local(error.message().to_owned())
}

fn read(path: &Path) -> Result<Option<CliConfigFile>, CliError> {
    CliConfigFile::read(path).map_err(local)
}

/// The profile a command works on: `--profile`, else the current one, else `default`.
fn profile_name(given: Option<String>, file: Option<&CliConfigFile>) -> String {
    given
        .or_else(|| file.and_then(|f| f.current().map(str::to_owned)))
        .unwrap_or_else(|| "default".to_owned())
}

fn field_text(fields: &[(String, serde_json::Value)], key: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
}

/// A field's value as it may be shown: secrets as `****`, an AccessKey ID by its last
/// four characters.
fn shown(key: &str, value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::String(s) if !s.is_empty() && is_secret_field(key) => "****".into(),
        serde_json::Value::String(s) if key == "access_key_id" => masked_id(s).into(),
        other if is_secret_field(key) && !other.is_null() => "****".into(),
        other => other.clone(),
    }
}

/// `****abcd`: an AccessKey ID by its last four characters (all masked when short).
fn masked_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 12 {
        return "****".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("****{tail}")
}

/// The mode a profile will have: `--mode`, else its own, else AK.
fn mode_of(
    given: Option<&String>,
    fields: Option<&[(String, serde_json::Value)]>,
) -> Result<&'static CliProfileMode, CliError> {
    let name = given
        .cloned()
        .or_else(|| fields.and_then(|f| field_text(f, "mode")))
        .unwrap_or_else(|| "AK".to_owned());
    cli_profile_mode(&name).ok_or_else(|| {
        CliError::Usage(format!(
            "the profile's mode {name:?} is not one this tool writes; pick one with --mode: {}",
            modes().join(", ")
        ))
    })
}

/// The fields a mode writes (required first), for flags and prompts.
fn mode_fields(mode: &CliProfileMode) -> Vec<&'static str> {
    let mut fields: Vec<&'static str> = mode.required.to_vec();
    fields.extend(
        mode.optional
            .iter()
            .copied()
            .filter(|f| !SIGN_IN_FIELDS.contains(f)),
    );
    // `--role-session-name` writes both session fields of an OIDC profile.
    fields.retain(|f| *f != "role_session_name");
    if mode.name == "OIDC" && !fields.contains(&"ram_session_name") {
        fields.push("ram_session_name");
    }
    fields
}

/// The JSON value written for `text` of a field of this kind.
fn json_of(kind: Kind, text: &str) -> Result<serde_json::Value, String> {
    Ok(match kind {
        Kind::Text => text.into(),
        Kind::Number => text
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("expected a whole number, got '{text}'"))?
            .into(),
        Kind::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" => true.into(),
            "false" => false.into(),
            _ => return Err(format!("expected true or false, got '{text}'")),
        },
    })
}

fn flag_of(field: &str) -> Option<&'static FieldFlag> {
    FIELD_FLAGS
        .iter()
        .chain(SETTING_FLAGS)
        .find(|f| f.field == field)
}

/// The fields a profile is written with: the mode's own, the settings, `output_format`;
/// an OIDC session name goes in both `role_session_name` (which the credentials libraries
/// read) and `ram_session_name` (which the aliyun CLI reads).
fn write_profile(
    file: &mut CliConfigFile,
    name: &str,
    mode: &CliProfileMode,
    values: &[(&'static str, serde_json::Value)],
) -> Result<(), String> {
    file.set(name, "mode", mode.name.into());
    for (field, value) in values {
        file.set(name, field, value.clone());
        if mode.name == "OIDC" && *field == "ram_session_name" {
            file.set(name, "role_session_name", value.clone());
        }
    }
    if file
        .profile(name)
        .is_some_and(|f| field_text(&f, "output_format").is_none())
    {
        file.set(name, "output_format", "json".into());
    }
    let fields = file.profile(name).unwrap_or_default();
    let missing: Vec<String> = mode
        .required
        .iter()
        .filter(|f| field_text(&fields, f).is_none())
        .map(|f| flag_of(f).map_or_else(|| f.to_string(), |flag| format!("--{}", flag.flag)))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "mode {} of profile {name:?} needs {}",
            mode.name,
            missing.join(", ")
        ));
    }
    if mode.name == "ChainableRamRoleArn" {
        let source = field_text(&fields, "source_profile").unwrap_or_default();
        if source == name {
            return Err(format!(
                "profile {name:?} cannot be its own --source-profile"
            ));
        }
        if !file.profile_names().contains(&source) {
            return Err(format!(
                "--source-profile {source:?} is not a profile of the file; configure it first"
            ));
        }
    }
    file.set_current(name);
    Ok(())
}

/// The sign-in that alicloud does not do, for the modes that need one.
fn sign_in_note(mode: &CliProfileMode, name: &str) -> Option<String> {
    matches!(mode.name, "CloudSSO" | "OAuth").then(|| {
        format!(
            "note: {} profiles get their tokens from a browser sign-in, which alicloud does not \
             do: sign in with `aliyun configure --profile {name} --mode {}`; alicloud then \
             uses (and refreshes) what it leaves in the profile",
            mode.name, mode.name
        )
    })
}

/// Writes profile `name` with `values` (see [`write_profile`]); a profile that would be
/// incomplete is a usage error, and nothing is written.
fn save(
    path: &Path,
    name: &str,
    mode: &CliProfileMode,
    values: &[(&'static str, serde_json::Value)],
) -> Result<(), CliError> {
    let mut refused = None;
    let result = CliConfigFile::edit(path, |file| {
        write_profile(file, name, mode, values).map_err(|reason| {
            refused = Some(reason);
            alibabacloud_core::Error::config("refused")
        })
    });
    match (result, refused) {
        (_, Some(reason)) => Err(CliError::Usage(reason)),
        (Err(error), None) => Err(local(error)),
        (Ok(()), None) => Ok(()),
    }
}

fn set(path: &Path, matches: &ArgMatches) -> Result<(), CliError> {
    let before = read(path)?;
    let name = profile_name(
        matches.get_one::<String>("profile").cloned(),
        before.as_ref(),
    );
    let existing = before.as_ref().and_then(|f| f.profile(&name));
    let mode = mode_of(matches.get_one::<String>("mode"), existing.as_deref())?;
    let allowed = mode_fields(mode);
    let mut values: Vec<(&'static str, serde_json::Value)> = Vec::new();
    for flag in FIELD_FLAGS.iter().chain(SETTING_FLAGS) {
        let value = match flag.kind {
            Kind::Text => matches
                .get_one::<String>(flag.flag)
                .map(|v| v.as_str().into()),
            Kind::Number => matches.get_one::<u64>(flag.flag).map(|v| (*v).into()),
            Kind::Bool => matches.get_one::<bool>(flag.flag).map(|v| (*v).into()),
        };
        let Some(value) = value else { continue };
        let is_setting = SETTING_FLAGS.iter().any(|s| s.field == flag.field);
        if !is_setting && !allowed.contains(&flag.field) {
            let users: Vec<&str> = CLI_PROFILE_MODES
                .iter()
                .filter(|m| mode_fields(m).contains(&flag.field))
                .map(|m| m.name)
                .collect();
            return Err(CliError::Usage(format!(
                "--{} does not apply to mode {} (it is for: {})",
                flag.flag,
                mode.name,
                users.join(", ")
            )));
        }
        values.push((flag.field, value));
    }
    save(path, &name, mode, &values)?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Profile {name:?} (mode {}) saved in {}; it is the current profile.",
        mode.name,
        path.display()
    );
    if let Some(note) = sign_in_note(mode, &name) {
        let _ = writeln!(std::io::stderr(), "{note}");
    }
    Ok(())
}

fn get(path: &Path, profile: Option<String>, matches: &ArgMatches) -> Result<(), CliError> {
    let file = read(path)?;
    let name = profile_name(profile, file.as_ref());
    let fields = file
        .as_ref()
        .and_then(|f| f.profile(&name))
        .ok_or_else(|| no_profile(path, &name, file.as_ref()))?;
    let wanted: Vec<&String> = matches
        .get_many::<String>("fields")
        .map(|v| v.collect())
        .unwrap_or_default();
    let mut out = String::new();
    if wanted.is_empty() {
        let object: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(k, v)| (k.clone(), shown(k, v)))
            .collect();
        // Keys in file order: serde_json's map sorts, so print the pairs by hand.
        out.push_str("{\n");
        let lines: Vec<String> = fields
            .iter()
            .map(|(k, _)| {
                format!(
                    "    {}: {}",
                    serde_json::to_string(k).unwrap_or_default(),
                    serde_json::to_string(&object[k]).unwrap_or_default()
                )
            })
            .collect();
        out.push_str(&lines.join(",\n"));
        out.push_str("\n}\n");
    } else {
        for key in wanted {
            let value = fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(k, v)| shown(k, v))
                .unwrap_or(serde_json::Value::Null);
            let line = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            out.push_str(&line);
            out.push('\n');
        }
    }
    crate::output::print(&out)
        .map_err(|e| CliError::Local(format!("writing the output failed: {e}")))
}

fn no_profile(path: &Path, name: &str, file: Option<&CliConfigFile>) -> CliError {
    let names = file.map(CliConfigFile::profile_names).unwrap_or_default();
    let known = match names.is_empty() {
        true => "it has none; create one with `alicloud configure set`".to_owned(),
        false => format!("its profiles: {}", names.join(", ")),
    };
    CliError::Usage(format!(
        "no profile named {name:?} in {} ({known})",
        path.display()
    ))
}

/// What `list` shows of a profile's credentials: the masked AccessKey ID, else what names
/// the identity (role, source profile, command, account), never a secret.
fn credential_summary(fields: &[(String, serde_json::Value)]) -> String {
    let text = |key| field_text(fields, key);
    if let Some(id) = text("access_key_id") {
        return format!("AccessKey {}", masked_id(&id));
    }
    for (key, label) in [
        ("source_profile", "from profile"),
        ("ram_role_arn", "role"),
        ("ram_role_name", "ECS role"),
        ("process_command", "command"),
        ("cloud_sso_account_id", "CloudSSO account"),
        ("oauth_site_type", "OAuth site"),
    ] {
        if let Some(value) = text(key) {
            return format!("{label} {value}");
        }
    }
    String::new()
}

fn list(path: &Path) -> Result<(), CliError> {
    let Some(file) = read(path)? else {
        let _ = writeln!(
            std::io::stderr(),
            "{} does not exist yet: create a profile with `alicloud configure set` or `alicloud configure`",
            path.display()
        );
        return Ok(());
    };
    let current = file.current().map(str::to_owned);
    let columns = ["", "Profile", "Mode", "Credential", "Region"];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for name in file.profile_names() {
        let fields = file.profile(&name).unwrap_or_default();
        rows.push(vec![
            if current.as_deref() == Some(name.as_str()) {
                "*"
            } else {
                ""
            }
            .to_owned(),
            name,
            field_text(&fields, "mode").unwrap_or_default(),
            credential_summary(&fields),
            field_text(&fields, "region_id").unwrap_or_default(),
        ]);
    }
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([columns[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(&format!("{cell:<width$}", width = widths[i]));
        }
        format!("{}\n", text.trim_end())
    };
    let mut out = line(columns.iter().map(|c| c.to_string()).collect());
    out.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for row in rows {
        out.push_str(&line(row));
    }
    crate::output::print(&out)
        .map_err(|e| CliError::Local(format!("writing the output failed: {e}")))
}

fn switch(path: &Path, name: &str) -> Result<(), CliError> {
    let file = read(path)?;
    if file.as_ref().and_then(|f| f.profile(name)).is_none() {
        return Err(no_profile(path, name, file.as_ref()));
    }
    CliConfigFile::edit(path, |file| {
        file.set_current(name);
        Ok(())
    })
    .map_err(local)?;
    let _ = writeln!(std::io::stdout(), "The current profile is now {name:?}.");
    Ok(())
}

fn delete(path: &Path, name: &str) -> Result<(), CliError> {
    let file = read(path)?;
    let Some(file) = file.filter(|f| f.profile(name).is_some()) else {
        return Err(no_profile(path, name, read(path)?.as_ref()));
    };
    let users: Vec<String> = file
        .profile_names()
        .into_iter()
        .filter(|other| {
            file.profile(other)
                .is_some_and(|f| field_text(&f, "source_profile").as_deref() == Some(name))
        })
        .collect();
    if !users.is_empty() {
        return Err(CliError::Usage(format!(
            "profile {name:?} is the source_profile of {}: change or delete those first",
            users.join(", ")
        )));
    }
    let new_current = CliConfigFile::edit(path, |file| {
        file.remove_profile(name);
        if file.current() == Some(name) || file.current().is_none() {
            let next = file.profile_names().into_iter().next().unwrap_or_default();
            file.set_current(&next);
            return Ok(Some(next));
        }
        Ok(None)
    })
    .map_err(local)?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Profile {name:?} deleted.");
    match new_current {
        Some(next) if !next.is_empty() => {
            let _ = writeln!(out, "The current profile is now {next:?}.");
        }
        Some(_) => {
            let _ = writeln!(out, "No profile is left.");
        }
        None => {}
    }
    Ok(())
}

/// How a field is asked for.
fn label(field: &str) -> String {
    match field {
        "region_id" => "Default Region Id".to_owned(),
        "ram_session_name" => "Role Session Name".to_owned(),
        other => other
            .split('_')
            .map(|word| match word {
                "id" => "Id".to_owned(),
                "arn" => "ARN".to_owned(),
                "sts" => "STS".to_owned(),
                "oidc" => "OIDC".to_owned(),
                "sso" => "SSO".to_owned(),
                "url" => "URL".to_owned(),
                "vpc" => "VPC".to_owned(),
                "oauth" => "OAuth".to_owned(),
                "ram" => "RAM".to_owned(),
                w => {
                    let mut chars = w.chars();
                    chars
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_default()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Reads one answer: without echo for a secret typed at a terminal; else a line of
/// standard input (a script's answers). End of input is an empty answer.
fn ask(prompt: &str, secret: bool, lines: &mut impl BufRead) -> Result<String, CliError> {
    let failed = |e: std::io::Error| CliError::Local(format!("reading the answer failed: {e}"));
    if secret && std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map_err(failed);
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let mut line = String::new();
    lines.read_line(&mut line).map_err(failed)?;
    if !std::io::stdin().is_terminal() {
        // The answer was not echoed by a terminal: end the prompt's line.
        let _ = writeln!(err);
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

fn interactive(path: &Path, matches: &ArgMatches) -> Result<(), CliError> {
    let before = read(path)?;
    let name = profile_name(
        matches.get_one::<String>("profile").cloned(),
        before.as_ref(),
    );
    let existing = before.as_ref().and_then(|f| f.profile(&name));
    let mode = mode_of(matches.get_one::<String>("mode"), existing.as_deref())?;
    let existing = existing.unwrap_or_default();
    let _ = writeln!(
        std::io::stderr(),
        "Configuring profile {name:?} in {} mode, in {}.\nPress Enter to keep the value in brackets.",
        mode.name,
        path.display()
    );
    let mut fields = mode_fields(mode);
    fields.push("region_id");
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    let mut values: Vec<(&'static str, serde_json::Value)> = Vec::new();
    for field in fields {
        let current = existing
            .iter()
            .find(|(k, _)| k == field)
            .map(|(k, v)| shown(k, v));
        let shown_current = match &current {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let kind = flag_of(field).map_or(Kind::Text, |f| f.kind);
        let prompt = format!("{} [{shown_current}]: ", label(field));
        loop {
            let answer = ask(&prompt, is_secret_field(field), &mut lines)?;
            if answer.trim().is_empty() {
                break;
            }
            match json_of(kind, &answer) {
                Ok(value) => {
                    values.push((field, value));
                    break;
                }
                Err(reason) => {
                    let _ = writeln!(std::io::stderr(), "  {reason}");
                    if !std::io::stdin().is_terminal() {
                        return Err(CliError::Usage(format!("{}: {reason}", label(field))));
                    }
                }
            }
        }
    }
    save(path, &name, mode, &values)?;
    let _ = writeln!(
        std::io::stdout(),
        "Profile {name:?} (mode {}) saved in {}; it is the current profile.",
        mode.name,
        path.display()
    );
    if let Some(note) = sign_in_note(mode, &name) {
        let _ = writeln!(std::io::stderr(), "{note}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_valid_and_every_mode_field_has_a_flag() {
        command().debug_assert();
        for mode in CLI_PROFILE_MODES {
            for field in mode_fields(mode) {
                assert!(
                    flag_of(field).is_some(),
                    "{}: {field} has no flag",
                    mode.name
                );
            }
        }
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(shown("access_key_secret", &"s3cret".into()), "****");
        assert_eq!(shown("sts_token", &"t".into()), "****");
        assert_eq!(
            shown("access_key_id", &"LTAI5tAbCdEfGhIj".into()),
            "****GhIj"
        );
        assert_eq!(shown("access_key_id", &"short".into()), "****");
        assert_eq!(shown("region_id", &"cn-hangzhou".into()), "cn-hangzhou");
        assert_eq!(label("oidc_provider_arn"), "OIDC Provider ARN");
        assert_eq!(label("access_key_id"), "Access Key Id");
    }
}

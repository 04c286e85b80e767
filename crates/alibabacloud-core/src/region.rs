//! Which region a client works in, resolved like the official tools do:
//!
//! 1. the region set on the client ([`ConfigBuilder::region`](crate::ConfigBuilder::region));
//! 2. the `ALIBABA_CLOUD_REGION_ID` environment variable;
//! 3. the `region_id` of the active profile of the aliyun CLI's `config.json`
//!    (`ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`; the profile named by
//!    `ALIBABA_CLOUD_PROFILE`, else the file's `current` one; skipped when
//!    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED` is `true`);
//! 4. none: the product's default (global) endpoint.
//!
//! An explicit endpoint wins over every region. A `config.json` that cannot be read is
//! skipped here, with a warning (the credentials chain reports it as an error when it
//! reads credentials from it).

use std::path::PathBuf;

/// The environment variable that names the region.
pub const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";

/// The region of a client configured with `explicit` (step 1), else from the process
/// environment (steps 2 and 3); `None` for the product's default endpoint.
pub fn resolve(explicit: Option<&str>) -> Option<String> {
    resolve_with(explicit, &|name| std::env::var(name).ok())
}

/// [`resolve`], with the environment read through `var` (for tests and embedders).
pub fn resolve_with(
    explicit: Option<&str>,
    var: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let non_empty = |value: String| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    if let Some(region) = explicit.map(str::to_owned).and_then(non_empty) {
        return Some(region);
    }
    if let Some(region) = var(REGION_ENV).and_then(non_empty) {
        return Some(region);
    }
    profile_region(var).and_then(non_empty)
}

/// The `region_id` of the active profile of the aliyun CLI's `config.json`, if any.
fn profile_region(var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let disabled = var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if disabled {
        return None;
    }
    let path = match var("ALIBABA_CLOUD_CONFIG_FILE").filter(|p| !p.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => {
            let home = var("HOME")
                .or_else(|| var("USERPROFILE"))
                .filter(|h| !h.is_empty())?;
            PathBuf::from(home).join(".aliyun").join("config.json")
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => {
            tracing::warn!(file = %path.display(), %error, "cannot read the aliyun CLI config for its region");
            return None;
        }
    };
    let document: serde_json::Value = match serde_json::from_str(&text) {
        Ok(document) => document,
        Err(error) => {
            tracing::warn!(file = %path.display(), %error, "the aliyun CLI config is not JSON; its region is not used");
            return None;
        }
    };
    let name = var("ALIBABA_CLOUD_PROFILE")
        .filter(|n| !n.is_empty())
        .or_else(|| document["current"].as_str().map(str::to_owned))?;
    document["profiles"]
        .as_array()?
        .iter()
        .find(|profile| profile["name"].as_str() == Some(name.as_str()))?["region_id"]
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_chain_goes_explicit_environment_profile_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.json");
        std::fs::write(
            &file,
            r#"{"current":"intl","profiles":[
                {"name":"default","mode":"AK","region_id":"cn-hangzhou"},
                {"name":"intl","mode":"AK","region_id":"ap-southeast-1"}]}"#,
        )
        .unwrap();
        let file = file.to_str().unwrap();
        let all = env(&[
            (REGION_ENV, "eu-central-1"),
            ("ALIBABA_CLOUD_CONFIG_FILE", file),
        ]);
        assert_eq!(
            resolve_with(Some("cn-beijing"), &all).as_deref(),
            Some("cn-beijing")
        );
        assert_eq!(resolve_with(None, &all).as_deref(), Some("eu-central-1"));
        let profile = env(&[("ALIBABA_CLOUD_CONFIG_FILE", file)]);
        assert_eq!(
            resolve_with(None, &profile).as_deref(),
            Some("ap-southeast-1")
        );
        let named = env(&[
            ("ALIBABA_CLOUD_CONFIG_FILE", file),
            ("ALIBABA_CLOUD_PROFILE", "default"),
        ]);
        assert_eq!(resolve_with(None, &named).as_deref(), Some("cn-hangzhou"));
        let disabled = env(&[
            ("ALIBABA_CLOUD_CONFIG_FILE", file),
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ]);
        assert_eq!(resolve_with(None, &disabled), None);
        // Through HOME, and nothing at all.
        let aliyun = dir.path().join(".aliyun");
        std::fs::create_dir(&aliyun).unwrap();
        std::fs::copy(file, aliyun.join("config.json")).unwrap();
        let home = env(&[("HOME", dir.path().to_str().unwrap())]);
        assert_eq!(resolve_with(None, &home).as_deref(), Some("ap-southeast-1"));
        assert_eq!(resolve_with(None, &env(&[])), None);
        // A broken file is skipped.
        std::fs::write(aliyun.join("config.json"), "{not json").unwrap();
        assert_eq!(resolve_with(None, &home), None);
    }
}

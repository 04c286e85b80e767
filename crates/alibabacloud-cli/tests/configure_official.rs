//! A `config.json` written by `alicloud configure set` is read by the official Python
//! credentials library (`alibabacloud-credentials` from PyPI, pinned in
//! `scripts/official-credentials/requirements.txt`) to the identity it was configured
//! with: the same keys, or an STS / metadata request for the configured role, signed with
//! the configured source keys. Offline: the library's requests are answered by
//! `scripts/official-credentials/resolve.py`'s fake.
//!
//! Runs when the script's virtualenv exists (`scripts/official-credentials/run.sh` makes
//! it), or always with `ALICLOUD_OFFICIAL_CREDENTIALS=1` (CI), which makes it if needed;
//! otherwise it says it was skipped.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::alicloud_in;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The virtualenv `run.sh` uses: `VENV`, else `$CARGO_TARGET_DIR/official-credentials-venv`,
/// else `target/official-credentials-venv`.
fn venv() -> PathBuf {
    if let Some(venv) = std::env::var_os("VENV") {
        return PathBuf::from(venv);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    target.join("official-credentials-venv")
}

fn set(home: &Path, args: &[&str]) {
    let mut all = vec!["configure", "set"];
    all.extend_from_slice(args);
    let run = alicloud_in(home, &all, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
}

#[test]
fn the_official_library_reads_what_configure_set_wrote() {
    let required = std::env::var("ALICLOUD_OFFICIAL_CREDENTIALS").is_ok_and(|v| v == "1");
    if !required && !venv().join("bin/python").exists() {
        eprintln!(
            "skipped: no {} (run scripts/official-credentials/run.sh once, or set \
             ALICLOUD_OFFICIAL_CREDENTIALS=1)",
            venv().display()
        );
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let token_file = home.join("oidc-token");
    std::fs::write(&token_file, "eyJ.configured-oidc-token").unwrap();
    set(
        home,
        &[
            "--profile",
            "ak",
            "--mode",
            "AK",
            "--region",
            "cn-hangzhou",
            "--access-key-id",
            "LTAI-configured-ak",
            "--access-key-secret",
            "configured-ak-secret",
        ],
    );
    set(
        home,
        &[
            "--profile",
            "sts",
            "--mode",
            "StsToken",
            "--access-key-id",
            "STS.configured",
            "--access-key-secret",
            "configured-sts-secret",
            "--sts-token",
            "configured-sts-token",
        ],
    );
    set(
        home,
        &[
            "--profile",
            "role",
            "--mode",
            "RamRoleArn",
            "--access-key-id",
            "LTAI-configured-source",
            "--access-key-secret",
            "configured-source-secret",
            "--ram-role-arn",
            "acs:ram::123:role/configured",
            "--role-session-name",
            "configured-session",
            "--external-id",
            "configured-ext",
            "--expired-seconds",
            "1800",
        ],
    );
    set(
        home,
        &[
            "--profile",
            "chain",
            "--mode",
            "ChainableRamRoleArn",
            "--source-profile",
            "sts",
            "--ram-role-arn",
            "acs:ram::123:role/chained",
            "--role-session-name",
            "chained-session",
        ],
    );
    set(
        home,
        &[
            "--profile",
            "oidc",
            "--mode",
            "OIDC",
            "--ram-role-arn",
            "acs:ram::123:role/oidc",
            "--oidc-provider-arn",
            "acs:ram::123:oidc-provider/configured",
            "--oidc-token-file",
            token_file.to_str().unwrap(),
            "--role-session-name",
            "oidc-session",
        ],
    );
    set(
        home,
        &[
            "--profile",
            "ecs",
            "--mode",
            "EcsRamRole",
            "--ram-role-name",
            "configured-ecs-role",
        ],
    );
    set(
        home,
        &[
            "--profile",
            "ext",
            "--mode",
            "External",
            "--process-command",
            r#"echo '{"mode":"AK","access_key_id":"LTAI-configured-external","access_key_secret":"configured-external-secret"}'"#,
        ],
    );
    let config = home.join(".aliyun/config.json");
    let output = Command::new("bash")
        .arg(repo().join("scripts/official-credentials/run.sh"))
        .arg("read-config")
        .arg(&config)
        .args(["ak", "sts", "role", "chain", "oidc", "ecs", "ext"])
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "read_config.py failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let credentials = |profile: &str| seen[profile]["credentials"].clone();
    let request = |profile: &str, index: usize| seen[profile]["requests"][index].clone();
    let keys = |id: &str, secret: &str, token: Value| serde_json::json!({"access_key_id": id, "access_key_secret": secret, "security_token": token});

    // Static keys: the very keys configured.
    assert_eq!(
        credentials("ak"),
        keys("LTAI-configured-ak", "configured-ak-secret", Value::Null),
        "{seen:#}"
    );
    assert_eq!(
        credentials("sts"),
        keys(
            "STS.configured",
            "configured-sts-secret",
            "configured-sts-token".into()
        ),
        "{seen:#}"
    );
    // Roles: the configured role assumed with the configured source keys and settings.
    let role = request("role", 0);
    assert_eq!(role["params"]["Action"], "AssumeRole", "{seen:#}");
    assert_eq!(role["params"]["RoleArn"], "acs:ram::123:role/configured");
    assert_eq!(role["params"]["RoleSessionName"], "configured-session");
    assert_eq!(role["params"]["ExternalId"], "configured-ext");
    assert_eq!(role["params"]["DurationSeconds"], "1800");
    assert_eq!(role["params"]["AccessKeyId"], "LTAI-configured-source");
    assert_eq!(
        credentials("role")["access_key_id"],
        "STS.sts-1",
        "{seen:#}"
    );
    let chain = request("chain", 0);
    assert_eq!(
        chain["params"]["RoleArn"], "acs:ram::123:role/chained",
        "{seen:#}"
    );
    assert_eq!(chain["params"]["RoleSessionName"], "chained-session");
    assert_eq!(chain["params"]["AccessKeyId"], "STS.configured");
    assert_eq!(chain["params"]["SecurityToken"], "configured-sts-token");
    let oidc = request("oidc", 0);
    assert_eq!(oidc["params"]["Action"], "AssumeRoleWithOIDC", "{seen:#}");
    assert_eq!(oidc["params"]["RoleArn"], "acs:ram::123:role/oidc");
    assert_eq!(
        oidc["params"]["OIDCProviderArn"],
        "acs:ram::123:oidc-provider/configured"
    );
    assert_eq!(oidc["params"]["OIDCToken"], "eyJ.configured-oidc-token");
    assert_eq!(oidc["params"]["RoleSessionName"], "oidc-session");
    // The ECS role by its configured name.
    let ecs_paths: Vec<String> = seen["ecs"]["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        ecs_paths
            .iter()
            .any(|p| p.ends_with("/security-credentials/configured-ecs-role")),
        "{seen:#}"
    );
    assert_eq!(credentials("ecs")["access_key_id"], "STS.ecs-1", "{seen:#}");
    // External: the configured command's keys.
    assert_eq!(
        credentials("ext")["access_key_id"],
        "LTAI-configured-external",
        "{seen:#}"
    );
}

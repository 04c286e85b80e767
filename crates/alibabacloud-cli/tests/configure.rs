//! `alicloud configure`: set, get, list, switch, delete and the interactive prompt, run as
//! a user runs them against a temporary HOME (or `ALIBABA_CLOUD_CONFIG_FILE`): the file in
//! the aliyun CLI's format, mode 0600, unknown fields kept, secrets never printed.

mod support;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use support::{Run, alicloud_in};

const SECRET: &str = "configure-secret-0123456789";
const TOKEN: &str = "configure-sts-token-0123456789";

fn config(home: &Path) -> Value {
    let text = std::fs::read_to_string(home.join(".aliyun/config.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn profile<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no profile {name} in {config:#}"))
}

fn run(home: &Path, args: &[&str]) -> Run {
    let mut all = vec!["configure"];
    all.extend_from_slice(args);
    alicloud_in(home, &all, &[])
}

fn no_secret(run: &Run) {
    for secret in [SECRET, TOKEN] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a secret was printed: {run:#?}"
        );
    }
}

#[test]
fn set_writes_the_aliyun_cli_format_0600_and_makes_the_profile_current() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let result = run(
        home,
        &[
            "set",
            "--profile",
            "work",
            "--mode",
            "AK",
            "--region",
            "cn-hangzhou",
            "--access-key-id",
            "LTAI5tWorkWorkWork",
            "--access-key-secret",
            SECRET,
        ],
    );
    assert_eq!(result.code, 0, "{result:#?}");
    no_secret(&result);
    let file = config(home);
    assert_eq!(file["current"], "work");
    assert_eq!(
        profile(&file, "work"),
        &json!({
            "name": "work",
            "mode": "AK",
            "access_key_id": "LTAI5tWorkWorkWork",
            "access_key_secret": SECRET,
            "region_id": "cn-hangzhou",
            "output_format": "json"
        })
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.join(".aliyun/config.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Another profile, of another mode; the first stays as it was.
    let result = run(
        home,
        &[
            "set",
            "--profile",
            "role",
            "--mode",
            "RamRoleArn",
            "--access-key-id",
            "LTAI5tRoleRoleRole",
            "--access-key-secret",
            SECRET,
            "--ram-role-arn",
            "acs:ram::123:role/ops",
            "--role-session-name",
            "ops-session",
            "--external-id",
            "ext-1",
            "--expired-seconds",
            "1800",
            "--sts-region",
            "cn-shanghai",
        ],
    );
    assert_eq!(result.code, 0, "{result:#?}");
    let file = config(home);
    assert_eq!(file["current"], "role");
    let role = profile(&file, "role");
    assert_eq!(role["ram_session_name"], "ops-session");
    assert_eq!(role["expired_seconds"], 1800);
    assert_eq!(role["sts_region"], "cn-shanghai");
    assert_eq!(
        profile(&file, "work")["access_key_id"],
        "LTAI5tWorkWorkWork"
    );
    // Without --profile: the current profile is changed, only in the fields given.
    let result = run(home, &["set", "--region", "eu-central-1"]);
    assert_eq!(result.code, 0, "{result:#?}");
    let file = config(home);
    assert_eq!(profile(&file, "role")["region_id"], "eu-central-1");
    assert_eq!(
        profile(&file, "role")["ram_role_arn"],
        "acs:ram::123:role/ops"
    );
}

#[test]
fn every_mode_writes_the_fields_the_credentials_libraries_read() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let cases: &[(&[&str], Value)] = &[
        (
            &[
                "--profile",
                "sts",
                "--mode",
                "StsToken",
                "--access-key-id",
                "STS.id",
                "--access-key-secret",
                SECRET,
                "--sts-token",
                TOKEN,
            ],
            json!({"access_key_id": "STS.id", "access_key_secret": SECRET, "sts_token": TOKEN}),
        ),
        (
            &[
                "--profile",
                "ecs",
                "--mode",
                "EcsRamRole",
                "--ram-role-name",
                "EcsRole",
            ],
            json!({"ram_role_name": "EcsRole"}),
        ),
        (
            &[
                "--profile",
                "oidc",
                "--mode",
                "OIDC",
                "--ram-role-arn",
                "acs:ram::1:role/o",
                "--oidc-provider-arn",
                "acs:ram::1:oidc-provider/p",
                "--oidc-token-file",
                "/var/run/token",
                "--role-session-name",
                "pod",
            ],
            // Both session fields: the credentials libraries read one, the aliyun CLI the other.
            json!({"ram_role_arn": "acs:ram::1:role/o", "oidc_provider_arn": "acs:ram::1:oidc-provider/p", "oidc_token_file": "/var/run/token", "ram_session_name": "pod", "role_session_name": "pod"}),
        ),
        (
            &[
                "--profile",
                "ext",
                "--mode",
                "External",
                "--process-command",
                "/usr/bin/get-creds --json",
            ],
            json!({"process_command": "/usr/bin/get-creds --json"}),
        ),
        (
            &[
                "--profile",
                "chain",
                "--mode",
                "ChainableRamRoleArn",
                "--source-profile",
                "sts",
                "--ram-role-arn",
                "acs:ram::1:role/c",
                "--enable-vpc",
                "true",
                "--policy",
                "{\"Version\":\"1\"}",
            ],
            json!({"source_profile": "sts", "ram_role_arn": "acs:ram::1:role/c", "enable_vpc": true, "policy": "{\"Version\":\"1\"}"}),
        ),
        (
            &[
                "--profile",
                "sso",
                "--mode",
                "CloudSSO",
                "--cloud-sso-sign-in-url",
                "https://signin.example.com/device/login",
                "--cloud-sso-account-id",
                "1234",
                "--cloud-sso-access-config",
                "ac-1",
            ],
            json!({"cloud_sso_sign_in_url": "https://signin.example.com/device/login", "cloud_sso_account_id": "1234", "cloud_sso_access_config": "ac-1"}),
        ),
        (
            &[
                "--profile",
                "oauth",
                "--mode",
                "OAuth",
                "--oauth-site-type",
                "INTL",
            ],
            json!({"oauth_site_type": "INTL"}),
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["set"];
        args.extend_from_slice(flags);
        let result = run(home, &args);
        assert_eq!(result.code, 0, "{flags:?}: {result:#?}");
        no_secret(&result);
        let file = config(home);
        let name = flags[1];
        let written = profile(&file, name);
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&written[key], value, "{name}.{key} in {written:#}");
        }
        assert_eq!(written["mode"], flags[3]);
        if matches!(flags[3], "CloudSSO" | "OAuth") {
            assert!(result.stderr.contains("browser sign-in"), "{result:#?}");
        }
    }
}

#[test]
fn incomplete_or_mismatched_profiles_are_refused_and_nothing_is_written() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let result = run(
        home,
        &[
            "set",
            "--profile",
            "p",
            "--mode",
            "AK",
            "--access-key-id",
            "LTAIx",
        ],
    );
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(
        result
            .stderr
            .contains("mode AK of profile \"p\" needs --access-key-secret"),
        "{result:#?}"
    );
    let file = config(home);
    assert!(file["profiles"].as_array().unwrap().is_empty(), "{file:#}");
    let result = run(
        home,
        &[
            "set",
            "--profile",
            "p",
            "--mode",
            "AK",
            "--sts-token",
            "t",
            "--access-key-id",
            "a",
            "--access-key-secret",
            "b",
        ],
    );
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(
        result
            .stderr
            .contains("--sts-token does not apply to mode AK (it is for: StsToken, RamRoleArn)"),
        "{result:#?}"
    );
    let result = run(
        home,
        &[
            "set",
            "--profile",
            "c",
            "--mode",
            "ChainableRamRoleArn",
            "--source-profile",
            "nope",
            "--ram-role-arn",
            "r",
        ],
    );
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(
        result
            .stderr
            .contains("--source-profile \"nope\" is not a profile"),
        "{result:#?}"
    );
    let result = run(home, &["set", "--mode", "RsaKeyPair"]);
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(result.stderr.contains("RsaKeyPair"), "{result:#?}");
    let result = run(home, &["set", "--expired-seconds", "soon"]);
    assert_eq!(result.code, 2, "{result:#?}");
    // A broken file is named, and left alone.
    std::fs::write(home.join(".aliyun/config.json"), "{broken").unwrap();
    let result = run(
        home,
        &[
            "set",
            "--profile",
            "p",
            "--access-key-id",
            "a",
            "--access-key-secret",
            "b",
        ],
    );
    assert_ne!(result.code, 0, "{result:#?}");
    assert!(
        result
            .stderr
            .contains("config.json: not a CLI configuration"),
        "{result:#?}"
    );
    assert_eq!(
        std::fs::read_to_string(home.join(".aliyun/config.json")).unwrap(),
        "{broken"
    );
}

/// A file as the aliyun CLI writes it, with fields this tool does not know.
const ALIYUN_WRITTEN: &str = r#"{
	"current": "default",
	"profiles": [
		{
			"name": "default",
			"mode": "AK",
			"access_key_id": "LTAI5tDefaultDefault",
			"access_key_secret": "configure-secret-0123456789",
			"sts_token": "",
			"ram_role_name": "",
			"expired_seconds": 0,
			"verified": "",
			"region_id": "cn-hangzhou",
			"output_format": "json",
			"language": "en",
			"site": "china",
			"retry_timeout": 0,
			"retry_count": 0,
			"auto_plugin_install": true
		},
		{
			"name": "sso",
			"mode": "CloudSSO",
			"cloud_sso_sign_in_url": "https://signin.example.com/device/login",
			"access_token": "configure-sts-token-0123456789",
			"cloud_sso_access_token_expire": 4102444800,
			"cloud_sso_account_id": "1234",
			"cloud_sso_access_config": "ac-1",
			"region_id": "cn-shanghai"
		}
	],
	"meta_path": "",
	"plugins": {
		"installed": [
			"fc"
		]
	}
}"#;

#[test]
fn a_file_of_the_aliyun_cli_is_read_and_rewritten_keeping_what_it_does_not_know() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("elsewhere.json");
    std::fs::write(&file, ALIYUN_WRITTEN).unwrap();
    let path = file.to_str().unwrap();
    let vars = [("ALIBABA_CLOUD_CONFIG_FILE", path)];
    let result = alicloud_in(
        home.path(),
        &[
            "configure",
            "set",
            "--profile",
            "default",
            "--region",
            "ap-southeast-1",
        ],
        &vars,
    );
    assert_eq!(result.code, 0, "{result:#?}");
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let before: Value = serde_json::from_str(ALIYUN_WRITTEN).unwrap();
    let mut expected = before.clone();
    expected["profiles"][0]["region_id"] = "ap-southeast-1".into();
    assert_eq!(after, expected);
    // Key order kept: the text differs only in the changed value (and the indentation).
    let text = std::fs::read_to_string(&file).unwrap();
    let keys = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix('"')
                    .and_then(|r| r.split_once('"'))
                    .map(|(k, _)| k.to_owned())
            })
            .collect()
    };
    assert_eq!(keys(&text), keys(ALIYUN_WRITTEN));
    // The home file was not touched.
    assert!(!home.path().join(".aliyun").exists());

    // list: every profile, secrets masked, the current one marked.
    let result = alicloud_in(home.path(), &["configure", "list"], &vars);
    assert_eq!(result.code, 0, "{result:#?}");
    no_secret(&result);
    assert!(
        !result.stdout.contains("LTAI5tDefaultDefault"),
        "{result:#?}"
    );
    let default_line = result
        .stdout
        .lines()
        .find(|l| l.contains("default"))
        .unwrap();
    assert!(default_line.starts_with('*'), "{result:#?}");
    assert!(default_line.contains("AccessKey ****ault"), "{result:#?}");
    assert!(default_line.contains("ap-southeast-1"), "{result:#?}");
    assert!(
        result.stdout.contains("CloudSSO account 1234"),
        "{result:#?}"
    );

    // get: the profile with its secrets masked; single fields.
    let result = alicloud_in(
        home.path(),
        &["configure", "get", "--profile", "sso"],
        &vars,
    );
    assert_eq!(result.code, 0, "{result:#?}");
    no_secret(&result);
    let shown: Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(shown["access_token"], "****");
    assert_eq!(shown["cloud_sso_account_id"], "1234");
    let result = alicloud_in(
        home.path(),
        &["configure", "get", "region_id", "access_key_secret", "mode"],
        &vars,
    );
    assert_eq!(result.code, 0, "{result:#?}");
    assert_eq!(result.stdout, "ap-southeast-1\n****\nAK\n", "{result:#?}");
    let result = alicloud_in(
        home.path(),
        &["configure", "get", "--profile", "nope"],
        &vars,
    );
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(
        result.stderr.contains("its profiles: default, sso"),
        "{result:#?}"
    );

    // switch, then delete (the current one: another becomes current).
    let result = alicloud_in(
        home.path(),
        &["configure", "switch", "--profile", "sso"],
        &vars,
    );
    assert_eq!(result.code, 0, "{result:#?}");
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(after["current"], "sso");
    let result = alicloud_in(
        home.path(),
        &["configure", "switch", "--profile", "nope"],
        &vars,
    );
    assert_eq!(result.code, 2, "{result:#?}");
    let result = alicloud_in(
        home.path(),
        &["configure", "delete", "--profile", "sso"],
        &vars,
    );
    assert_eq!(result.code, 0, "{result:#?}");
    assert!(
        result
            .stdout
            .contains("The current profile is now \"default\""),
        "{result:#?}"
    );
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(after["current"], "default");
    assert_eq!(after["profiles"].as_array().unwrap().len(), 1);
    assert_eq!(after["plugins"], json!({"installed": ["fc"]}));
    let result = alicloud_in(
        home.path(),
        &["configure", "delete", "--profile", "sso"],
        &vars,
    );
    assert_eq!(result.code, 2, "{result:#?}");
}

#[test]
fn a_source_profile_in_use_is_not_deleted() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for args in [
        &[
            "set",
            "--profile",
            "base",
            "--access-key-id",
            "LTAIbase",
            "--access-key-secret",
            SECRET,
        ][..],
        &[
            "set",
            "--profile",
            "chained",
            "--mode",
            "ChainableRamRoleArn",
            "--source-profile",
            "base",
            "--ram-role-arn",
            "acs:ram::1:role/x",
        ][..],
    ] {
        let result = run(home, args);
        assert_eq!(result.code, 0, "{result:#?}");
    }
    let result = run(home, &["delete", "--profile", "base"]);
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(
        result.stderr.contains("source_profile of chained"),
        "{result:#?}"
    );
}

/// Runs `alicloud configure args` with `input` on standard input (not a terminal).
fn with_input(home: &Path, args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_alicloud"))
        .arg("configure")
        .args(args)
        .env_clear()
        .env("HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn the_interactive_configure_asks_for_each_field_of_the_mode() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let result = with_input(
        home,
        &["--profile", "typed"],
        &format!("LTAI5tTypedTypedTyped\n{SECRET}\ncn-beijing\n"),
    );
    assert_eq!(result.code, 0, "{result:#?}");
    no_secret(&result);
    for prompt in [
        "Access Key Id []: ",
        "Access Key Secret []: ",
        "Default Region Id []: ",
    ] {
        assert!(result.stderr.contains(prompt), "{prompt:?} in {result:#?}");
    }
    let file = config(home);
    assert_eq!(file["current"], "typed");
    let typed = profile(&file, "typed");
    assert_eq!(typed["access_key_secret"], SECRET);
    assert_eq!(typed["region_id"], "cn-beijing");
    // Again: Enter keeps each value, shown masked in the prompt.
    let result = with_input(home, &["--profile", "typed"], "\n\n\n");
    assert_eq!(result.code, 0, "{result:#?}");
    no_secret(&result);
    assert!(
        result.stderr.contains("Access Key Id [****yped]: "),
        "{result:#?}"
    );
    assert!(
        result.stderr.contains("Access Key Secret [****]: "),
        "{result:#?}"
    );
    assert_eq!(profile(&config(home), "typed"), typed);
    // Another mode: its own fields; a wrong number is refused.
    let result = with_input(
        home,
        &["--profile", "role", "--mode", "RamRoleArn"],
        "LTAIr\nsecret\nacs:ram::1:role/r\n\n\nsoon\n",
    );
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(result.stderr.contains("RAM Role ARN []: "), "{result:#?}");
    assert!(
        result.stderr.contains("expected a whole number"),
        "{result:#?}"
    );
    // Input that ends early leaves required fields empty: refused.
    let result = with_input(home, &["--profile", "empty"], "");
    assert_eq!(result.code, 2, "{result:#?}");
    assert!(
        result
            .stderr
            .contains("needs --access-key-id, --access-key-secret"),
        "{result:#?}"
    );
}

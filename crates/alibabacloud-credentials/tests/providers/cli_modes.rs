//! The aliyun CLI modes beyond static keys: `ChainableRamRoleArn`, `External`, `CloudSSO`,
//! `OAuth`, and `ALIBABA_CLOUD_CONFIG_FILE`, against loopback fakes of their endpoints.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alibabacloud_credentials::{
    CliProfileProvider, ExternalProcessProvider, ProvideCredentials, cli_profile_region,
};

use crate::common::{
    FakeServer, Reply, assert_v1_signed_assume_role, env_with_home, expiration_in, sts_server,
    write,
};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A provider reading `config` (written to a file outside HOME, named by
/// `ALIBABA_CLOUD_CONFIG_FILE`) with profile `profile`.
fn provider_for(dir: &Path, config: &serde_json::Value, profile: &str) -> CliProfileProvider {
    let path = write(dir, "elsewhere/cli.json", &config.to_string());
    let env = env_with_home(
        &dir.join("empty-home"),
        &[
            ("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap()),
            ("ALIBABA_CLOUD_PROFILE", profile),
        ],
    );
    CliProfileProvider::new().with_env(env)
}

async fn error_of(provider: &CliProfileProvider) -> String {
    provider
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string()
}

// ---------------------------------------------------------------- config file and region

#[tokio::test]
async fn alibaba_cloud_config_file_names_another_file_and_its_region_is_public() {
    let dir = tempfile::tempdir().unwrap();
    let config = serde_json::json!({"current": "a", "profiles": [
        {"name": "a", "mode": "AK", "access_key_id": "LTAI-a", "access_key_secret": "s-a",
         "region_id": "cn-beijing"},
        {"name": "b", "mode": "AK", "access_key_id": "LTAI-b", "access_key_secret": "s-b",
         "region_id": " "},
    ]});
    // HOME has a different file, which must not be read.
    write(
        &dir.path().join("empty-home"),
        ".aliyun/config.json",
        r#"{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"LTAI-home","access_key_secret":"x","region_id":"cn-home"}]}"#,
    );
    let path = write(dir.path(), "elsewhere/cli.json", &config.to_string());
    let env = |vars: &[(&str, &str)]| {
        let mut all = vec![("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap())];
        all.extend_from_slice(vars);
        env_with_home(&dir.path().join("empty-home"), &all)
    };
    let credentials = CliProfileProvider::new()
        .with_env(env(&[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-a");

    assert_eq!(
        cli_profile_region(&env(&[])).unwrap().as_deref(),
        Some("cn-beijing")
    );
    assert_eq!(
        cli_profile_region(&env(&[("ALIBABA_CLOUD_PROFILE", "b")])).unwrap(),
        None,
        "a blank region is none"
    );
    assert_eq!(
        cli_profile_region(&env(&[("ALIBABA_CLOUD_PROFILE", "zz")])).unwrap(),
        None
    );
    assert_eq!(
        cli_profile_region(&env(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")])).unwrap(),
        None
    );
    let home_only = env_with_home(&dir.path().join("empty-home"), &[]);
    assert_eq!(
        cli_profile_region(&home_only).unwrap().as_deref(),
        Some("cn-home")
    );
    let nowhere = env_with_home(&dir.path().join("no-such-home"), &[]);
    assert_eq!(cli_profile_region(&nowhere).unwrap(), None);

    std::fs::write(&path, "{\"current\": \"a\", \"profi").unwrap();
    let error = cli_profile_region(&env(&[])).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!("{}: not a CLI configuration", path.display())),
        "{error}"
    );
}

// ---------------------------------------------------------------- ChainableRamRoleArn

#[tokio::test]
async fn chainable_profiles_assume_roles_with_their_source_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let sts = sts_server(3600).await;
    let config = serde_json::json!({"current": "outer", "profiles": [
        {"name": "base", "mode": "AK", "access_key_id": "LTAI-base", "access_key_secret": "base-secret"},
        {"name": "middle", "mode": "ChainableRamRoleArn", "source_profile": "base",
         "ram_role_arn": "acs:ram::1:role/middle", "ram_session_name": "mid-session"},
        {"name": "outer", "mode": "ChainableRamRoleArn", "source_profile": "middle",
         "ram_role_arn": "acs:ram::1:role/outer", "ram_session_name": "outer-session",
         "expired_seconds": 1200, "external_id": "ext-1", "policy": "{\"Version\":\"1\"}",
         "sts_region": "cn-shanghai"},
    ]});
    let provider = provider_for(dir.path(), &config, "outer").with_sts_endpoint(&sts.base_url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.sts-2");
    assert_eq!(credentials.provider(), "cli_profile/chainable_ram_role_arn");

    let requests = sts.requests();
    assert_eq!(requests.len(), 2);
    // First the middle role, signed with the base access key ...
    assert_v1_signed_assume_role(&requests[0], "LTAI-base", "base-secret");
    assert_eq!(requests[0].param("RoleArn"), Some("acs:ram::1:role/middle"));
    assert_eq!(requests[0].param("RoleSessionName"), Some("mid-session"));
    assert_eq!(requests[0].param("SecurityToken"), None);
    // ... then the outer role, signed with the middle role's STS credentials.
    assert_v1_signed_assume_role(&requests[1], "STS.sts-1", "sts-secret");
    assert_eq!(requests[1].param("SecurityToken"), Some("sts-token"));
    assert_eq!(requests[1].param("RoleArn"), Some("acs:ram::1:role/outer"));
    assert_eq!(requests[1].param("RoleSessionName"), Some("outer-session"));
    assert_eq!(requests[1].param("DurationSeconds"), Some("1200"));
    assert_eq!(requests[1].param("ExternalId"), Some("ext-1"));
    assert_eq!(requests[1].param("Policy"), Some("{\"Version\":\"1\"}"));

    provider.provide_credentials().await.unwrap();
    assert_eq!(sts.requests().len(), 2, "cached");
}

#[tokio::test]
async fn chainable_profiles_that_loop_or_lack_a_source_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let role = |name: &str, source: &str| {
        serde_json::json!({"name": name, "mode": "ChainableRamRoleArn",
                           "source_profile": source, "ram_role_arn": "acs:ram::1:role/r"})
    };
    let config = serde_json::json!({"profiles": [
        role("a", "b"), role("b", "c"), role("c", "a"), role("self", "self"),
        role("lost", "nowhere"),
        {"name": "nosource", "mode": "ChainableRamRoleArn", "ram_role_arn": "acs:ram::1:role/r"},
        role("to-rsa", "rsa"),
        {"name": "rsa", "mode": "RsaKeyPair"},
    ]});
    let path = dir.path().join("elsewhere/cli.json");
    let file = path.display().to_string();
    for (profile, expected) in [
        (
            "a",
            format!("{file}: the source_profile chain \"a\" -> \"b\" -> \"c\" -> \"a\" loops"),
        ),
        (
            "self",
            format!("{file}: the source_profile chain \"self\" -> \"self\" loops"),
        ),
        (
            "lost",
            format!(
                "{file}: profile \"lost\" has source_profile \"nowhere\", which is not in the file"
            ),
        ),
        (
            "nosource",
            format!(
                "{file}: profile \"nosource\" (mode ChainableRamRoleArn) has no source_profile"
            ),
        ),
    ] {
        let provider = provider_for(dir.path(), &config, profile);
        assert_eq!(error_of(&provider).await, expected, "{profile}");
    }
    let provider = provider_for(dir.path(), &config, "to-rsa");
    assert!(
        error_of(&provider)
            .await
            .contains("has mode \"RsaKeyPair\", which is not supported"),
    );
}

// ---------------------------------------------------------------- External

/// A shell script printing `output`, counting its runs in `<dir>/runs`; its process_command.
fn helper(dir: &Path, name: &str, body: &str) -> String {
    let script = write(
        dir,
        &format!("bin/{name}"),
        &format!("#!/bin/sh\necho run >> \"$(dirname \"$0\")/runs-{name}\"\n{body}\n"),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    format!("'{}' --flag 'two words'", script.display())
}

fn runs(dir: &Path, name: &str) -> usize {
    std::fs::read_to_string(dir.join(format!("bin/runs-{name}")))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

#[cfg(unix)]
#[tokio::test]
async fn external_profiles_run_the_command_and_cache_expiring_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let sts_output = serde_json::json!({
        "mode": "StsToken", "access_key_id": "STS.ext", "access_key_secret": "ext-secret",
        "sts_token": "ext-token", "expiration": expiration_in(3600)});
    let sts_command = helper(
        dir.path(),
        "sts",
        &format!("[ \"$1 $2\" = '--flag two words' ] || exit 9\necho '{sts_output}'"),
    );
    let ak_command = helper(
        dir.path(),
        "ak",
        r#"echo '{"mode":"AK","access_key_id":"LTAI-ext","access_key_secret":"ext-ak-secret"}'"#,
    );
    let config = serde_json::json!({"profiles": [
        {"name": "sts", "mode": "External", "process_command": sts_command},
        {"name": "ak", "mode": "External", "process_command": ak_command},
    ]});

    let provider = provider_for(dir.path(), &config, "sts");
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ext");
    assert_eq!(credentials.access_key_secret(), "ext-secret");
    assert_eq!(credentials.security_token(), Some("ext-token"));
    assert!(credentials.expiration().is_some());
    assert_eq!(credentials.provider(), "cli_profile/external");
    provider.provide_credentials().await.unwrap();
    assert_eq!(
        runs(dir.path(), "sts"),
        1,
        "expiring credentials are cached"
    );

    // Without an expiration the program is asked again at every call.
    let provider = provider_for(dir.path(), &config, "ak");
    for _ in 0..2 {
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "LTAI-ext");
        assert_eq!(credentials.security_token(), None);
        assert_eq!(credentials.expiration(), None);
    }
    assert_eq!(runs(dir.path(), "ak"), 2);
}

#[cfg(unix)]
#[tokio::test]
async fn external_failures_name_the_program_and_never_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "fails",
            "echo 'no session: run sso login' >&2\necho '{\"access_key_secret\":\"leaked-secret\"}'\nexit 3",
            "exited with status 3; its standard error begins: no session: run sso login",
        ),
        (
            "garbage",
            "echo 'leaked-secret is not json'",
            "its output is not a credentials object",
        ),
        (
            "no-token",
            r#"echo '{"mode":"StsToken","access_key_id":"STS.x","access_key_secret":"leaked-secret"}'"#,
            "its output has no sts_token (its mode is StsToken)",
        ),
        (
            "no-id",
            r#"echo '{"mode":"AK","access_key_secret":"leaked-secret"}'"#,
            "its output has no access_key_id",
        ),
        (
            "expired",
            r#"echo '{"mode":"StsToken","access_key_id":"STS.x","access_key_secret":"leaked-secret","sts_token":"leaked-token","expiration":"2020-01-01T00:00:00Z"}'"#,
            "its output: the credentials had already expired when received (Expiration 2020-01-01T00:00:00Z",
        ),
        (
            "bad-expiration",
            r#"echo '{"mode":"AK","access_key_id":"LTAI","access_key_secret":"leaked-secret","expiration":"tomorrow"}'"#,
            "its output: Expiration is not a %Y-%m-%dT%H:%M:%SZ timestamp",
        ),
        (
            "huge",
            "head -c 200000 /dev/zero | tr '\\0' x",
            "it printed more than the 65536-byte limit",
        ),
    ];
    for (name, body, expected) in cases {
        let command = helper(dir.path(), name, body);
        let config = serde_json::json!({"profiles": [{"name": name, "mode": "External", "process_command": command}]});
        let provider = provider_for(dir.path(), &config, name);
        let message = error_of(&provider).await;
        let script = dir.path().join(format!("bin/{name}"));
        assert!(
            message.starts_with(&format!(
                "external program {:?} (process_command of profile {name:?} of {}): ",
                script.display().to_string(),
                dir.path().join("elsewhere/cli.json").display()
            )),
            "{message}"
        );
        assert!(message.contains(expected), "{name}: {message}");
        for secret in ["leaked-secret", "leaked-token", "two words", "--flag"] {
            assert!(!message.contains(secret), "{name}: {message}");
        }
        let shown = format!("{provider:?}");
        assert!(!shown.contains("two words"), "{shown}");
    }

    let config = serde_json::json!({"profiles": [
        {"name": "missing", "mode": "External", "process_command": "/no/such/helper --token leaked-secret"},
        {"name": "unclosed", "mode": "External", "process_command": "helper 'leaked-secret"},
        {"name": "empty", "mode": "External", "process_command": ""},
    ]});
    let message = error_of(&provider_for(dir.path(), &config, "missing")).await;
    assert!(
        message.starts_with(
            "external program \"/no/such/helper\" (process_command of profile \"missing\""
        ) && message.contains("could not be started"),
        "{message}"
    );
    assert!(!message.contains("leaked-secret"), "{message}");
    let message = error_of(&provider_for(dir.path(), &config, "unclosed")).await;
    assert!(message.contains("unclosed single quote"), "{message}");
    assert!(!message.contains("leaked-secret"), "{message}");
    let message = error_of(&provider_for(dir.path(), &config, "empty")).await;
    assert!(
        message.ends_with("profile \"empty\" (mode External) has no process_command"),
        "{message}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn an_external_program_that_hangs_is_killed_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let command = helper(dir.path(), "hang", "sleep 30");
    let provider = ExternalProcessProvider::new(command).with_timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let message = provider
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.ends_with("timed out after 300 ms and was killed"),
        "{message}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        format!("{provider:?}"),
        format!(
            "ExternalProcessProvider {{ program: {:?}, timeout: 300ms, provider_name: \"external\", .. }}",
            dir.path().join("bin/hang").display().to_string()
        )
    );
}

// ---------------------------------------------------------------- CloudSSO

fn cloud_sso_answer(id: &str, expiration: &str) -> String {
    serde_json::json!({"RequestId": "req", "CloudCredential": {
        "AccessKeyId": id, "AccessKeySecret": "sso-secret", "SecurityToken": "sso-token",
        "Expiration": expiration}})
    .to_string()
}

fn cloud_sso_profile(portal: &str, expire: i64) -> serde_json::Value {
    serde_json::json!({"current": "sso", "profiles": [{
        "name": "sso", "mode": "CloudSSO", "region_id": "cn-hangzhou",
        "cloud_sso_sign_in_url": format!("{portal}/login?tenant=t"),
        "cloud_sso_account_id": "1234567890", "cloud_sso_access_config": "ac-abc",
        "access_token": "sso-access-token", "cloud_sso_access_token_expire": expire}]})
}

#[tokio::test]
async fn cloud_sso_profiles_exchange_the_access_token_at_the_portal() {
    let dir = tempfile::tempdir().unwrap();
    let portal =
        FakeServer::start(
            |request| match (request.method.as_str(), request.path.as_str()) {
                ("POST", "/cloud-credentials") => {
                    Reply::ok(cloud_sso_answer("STS.sso", &expiration_in(3600)))
                }
                _ => Reply::status(404, "{}"),
            },
        )
        .await;
    let provider = provider_for(
        dir.path(),
        &cloud_sso_profile(&portal.base_url, now() + 3600),
        "sso",
    );
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.sso");
    assert_eq!(credentials.access_key_secret(), "sso-secret");
    assert_eq!(credentials.security_token(), Some("sso-token"));
    assert_eq!(credentials.provider(), "cli_profile/cloud_sso");
    provider.provide_credentials().await.unwrap();

    let requests = portal.requests();
    assert_eq!(requests.len(), 1, "cached");
    let request = &requests[0];
    assert!(
        request.query.is_empty(),
        "the sign-in URL's query is not sent"
    );
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sso-access-token")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"AccountId": "1234567890", "AccessConfigurationId": "ac-abc"})
    );
}

#[tokio::test]
async fn an_expired_cloud_sso_sign_in_says_to_sign_in_again() {
    let dir = tempfile::tempdir().unwrap();
    let portal = FakeServer::start(|_| {
        Reply::status(
            401,
            r#"{"ErrorCode":"InvalidToken","ErrorMessage":"token expired"}"#,
        )
    })
    .await;
    let provider = provider_for(
        dir.path(),
        &cloud_sso_profile(&portal.base_url, 1_600_000_000),
        "sso",
    );
    let message = error_of(&provider).await;
    assert_eq!(
        message,
        "the CloudSSO access token of profile \"sso\" expired at 2020-09-13T12:26:40Z; sign in \
         again with `aliyun configure --profile sso --mode CloudSSO`"
    );
    assert!(
        portal.requests().is_empty(),
        "nothing is sent with an expired token"
    );

    // A token the portal refuses.
    let provider = provider_for(
        dir.path(),
        &cloud_sso_profile(&portal.base_url, now() + 600),
        "sso",
    );
    let message = error_of(&provider).await;
    assert_eq!(
        message,
        format!(
            "POST {}/cloud-credentials: HTTP 401: InvalidToken: token expired (the access token \
             was refused; sign in again with `aliyun configure --profile sso --mode CloudSSO`)",
            portal.base_url
        )
    );
    assert!(!message.contains("sso-access-token"));
    assert!(!format!("{provider:?}").contains("sso-access-token"));
}

#[tokio::test]
async fn cloud_sso_answers_already_expired_or_incomplete_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let answers = Arc::new(std::sync::Mutex::new(vec![
        cloud_sso_answer("STS.old", "2020-01-01T00:00:00Z"),
        r#"{"RequestId":"r"}"#.to_owned(),
    ]));
    let portal = {
        let answers = answers.clone();
        FakeServer::start(move |_| Reply::ok(answers.lock().unwrap().remove(0))).await
    };
    let provider = provider_for(
        dir.path(),
        &cloud_sso_profile(&portal.base_url, now() + 600),
        "sso",
    );
    let message = error_of(&provider).await;
    assert!(
        message.contains("already expired when received (Expiration 2020-01-01T00:00:00Z"),
        "{message}"
    );
    assert!(!message.contains("sso-secret"));
    let message = error_of(&provider).await;
    assert!(
        message.ends_with("the response has no CloudCredential"),
        "{message}"
    );
}

// ---------------------------------------------------------------- OAuth

/// A fake OAuth endpoint: `/v1/token` rotates tokens, `/v1/exchange` gives STS credentials
/// for the bearer token `access-<n>` it last issued (or the initial one).
async fn oauth_server(token_status: u16) -> FakeServer {
    let issued = Arc::new(AtomicUsize::new(0));
    FakeServer::start(move |request| match request.path.as_str() {
        "/v1/token" if token_status != 200 => Reply::status(
            token_status,
            r#"{"error":"invalid_grant","error_description":"refresh token revoked"}"#,
        ),
        "/v1/token" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::ok(
                serde_json::json!({"access_token": format!("access-{n}"),
                                   "refresh_token": format!("refresh-{n}"),
                                   "expires_in": 7200, "token_type": "Bearer"})
                .to_string(),
            )
        }
        "/v1/exchange" => {
            let bearer = request
                .header("authorization")
                .unwrap_or_default()
                .to_owned();
            Reply::ok(
                serde_json::json!({"requestId": "r",
                    "accessKeyId": format!("STS.for-{}", bearer.trim_start_matches("Bearer ")),
                    "accessKeySecret": "oauth-sts-secret", "securityToken": "oauth-sts-token",
                    "expiration": expiration_in(3600)})
                .to_string(),
            )
        }
        _ => Reply::status(404, "{}"),
    })
    .await
}

/// The configuration of the OAuth tests, as text: its keys deliberately out of alphabetical
/// order, with fields this crate does not know.
fn oauth_config_text(access_expire: i64) -> String {
    format!(
        r#"{{
  "current": "dev",
  "profiles": [
    {{"name": "other", "mode": "AK", "access_key_id": "LTAI-o", "access_key_secret": "o"}},
    {{"name": "dev", "mode": "OAuth", "oauth_site_type": "CN",
      "oauth_access_token": "access-0", "oauth_refresh_token": "refresh-0",
      "oauth_access_token_expire": {access_expire}, "region_id": "cn-hangzhou",
      "x_unknown_field": {{"kept": [1, 2.5, null]}}, "language": "en"}}
  ],
  "meta_path": "",
  "x_top_level": true
}}"#
    )
}

fn oauth_config(access_expire: i64) -> serde_json::Value {
    serde_json::from_str(&oauth_config_text(access_expire)).unwrap()
}

#[tokio::test]
async fn oauth_profiles_refresh_the_token_and_write_it_back_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let server = oauth_server(200).await;
    // Ten minutes left: under the 20-minute margin, so the token is refreshed first.
    let provider = provider_for(dir.path(), &oauth_config(now() + 600), "dev")
        .with_oauth_endpoint(&server.base_url);
    let path = write(
        dir.path(),
        "elsewhere/cli.json",
        &oauth_config_text(now() + 600),
    );
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.for-access-1");
    assert_eq!(credentials.access_key_secret(), "oauth-sts-secret");
    assert_eq!(credentials.security_token(), Some("oauth-sts-token"));
    assert_eq!(credentials.provider(), "cli_profile/oauth");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("POST", "/v1/token")
    );
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = reqwest::Url::parse(&format!(
        "http://x/?{}",
        String::from_utf8(requests[0].body.clone()).unwrap()
    ))
    .unwrap()
    .query_pairs()
    .into_owned()
    .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("grant_type"), Some("refresh_token"));
    assert_eq!(field("refresh_token"), Some("refresh-0"));
    assert_eq!(field("client_id"), Some("4038181954557748008"));
    assert!(field("Timestamp").is_some_and(|t| t.ends_with('Z')));
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        ("POST", "/v1/exchange")
    );
    assert_eq!(requests[1].header("authorization"), Some("Bearer access-1"));

    // Written back: the new tokens and STS credentials, everything else as it was.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let dev = &written["profiles"][1];
    assert_eq!(dev["oauth_access_token"], "access-1");
    assert_eq!(dev["oauth_refresh_token"], "refresh-1");
    let expire = dev["oauth_access_token_expire"].as_i64().unwrap();
    assert!((expire - (now() + 7200)).abs() < 60, "{expire}");
    assert_eq!(dev["access_key_id"], "STS.for-access-1");
    assert_eq!(dev["access_key_secret"], "oauth-sts-secret");
    assert_eq!(dev["sts_token"], "oauth-sts-token");
    let sts_expiration = dev["sts_expiration"].as_i64().unwrap();
    assert_eq!(
        UNIX_EPOCH + Duration::from_secs(sts_expiration as u64),
        credentials.expiration().unwrap()
    );
    assert_eq!(
        dev["x_unknown_field"],
        serde_json::json!({"kept": [1, 2.5, null]})
    );
    assert_eq!(dev["region_id"], "cn-hangzhou");
    assert_eq!(written["profiles"][0], oauth_config(0)["profiles"][0]);
    assert_eq!(written["x_top_level"], true);
    assert_eq!(written["current"], "dev");
    // Key order kept, new keys appended.
    let text = std::fs::read_to_string(&path).unwrap();
    let order = [
        "\"current\"",
        "\"profiles\"",
        "\"meta_path\"",
        "\"x_top_level\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.find("\"language\"").unwrap() < text.find("\"access_key_id\": \"STS").unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(leftovers, ["cli.json"], "no temporary file is left behind");

    // A new provider (a new process) reuses the stored STS credentials: nothing is sent.
    let env = env_with_home(
        &dir.path().join("empty-home"),
        &[("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap())],
    );
    let again = CliProfileProvider::new()
        .with_env(env)
        .with_oauth_endpoint(&server.base_url)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(again.access_key_id(), "STS.for-access-1");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_valid_oauth_access_token_is_exchanged_without_a_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let server = oauth_server(200).await;
    let provider = provider_for(dir.path(), &oauth_config(now() + 3 * 3600), "dev")
        .with_oauth_endpoint(&server.base_url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.for-access-0");
    assert_eq!(server.count("/v1/token"), 0);
    assert_eq!(server.count("/v1/exchange"), 1);
}

#[tokio::test]
async fn a_refused_oauth_refresh_says_to_sign_in_again_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let server = oauth_server(400).await;
    let provider = provider_for(dir.path(), &oauth_config(now() - 10), "dev")
        .with_oauth_endpoint(&server.base_url);
    let path = dir.path().join("elsewhere/cli.json");
    let before = std::fs::read_to_string(&path).unwrap();
    let message = error_of(&provider).await;
    assert_eq!(
        message,
        format!(
            "refreshing the OAuth access token of profile \"dev\" (POST {}/v1/token): HTTP 400: \
             invalid_grant: refresh token revoked (the refresh token was refused; sign in again \
             with `aliyun configure --profile dev --mode OAuth`)",
            server.base_url
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    for secret in ["refresh-0", "access-0"] {
        assert!(!message.contains(secret));
        assert!(!format!("{provider:?}").contains(secret));
    }

    // Nothing to refresh with: sign in again.
    let mut config = oauth_config(now() - 10);
    config["profiles"][1]["oauth_refresh_token"] = "".into();
    let message = error_of(&provider_for(dir.path(), &config, "dev")).await;
    assert_eq!(
        message,
        "OAuth profile \"dev\" has no usable access token and no refresh token; sign in again \
         with `aliyun configure --profile dev --mode OAuth`"
    );
    config["profiles"][1]["oauth_site_type"] = "MARS".into();
    let message = error_of(&provider_for(dir.path(), &config, "dev")).await;
    assert!(
        message.ends_with("profile \"dev\" has oauth_site_type \"MARS\"; CN or INTL expected"),
        "{message}"
    );
}

#[tokio::test]
async fn concurrent_oauth_write_backs_keep_the_file_whole() {
    // Many providers (as many processes would) refresh and write back at once: the file is
    // always complete JSON and ends with one of the refreshed states.
    let dir = tempfile::tempdir().unwrap();
    let server = oauth_server(200).await;
    let path = write(
        dir.path(),
        "elsewhere/cli.json",
        &oauth_config_text(now() - 10),
    );
    let env = env_with_home(
        &dir.path().join("empty-home"),
        &[("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap())],
    );
    let reader = {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            for _ in 0..200 {
                let text = std::fs::read_to_string(&path).unwrap();
                serde_json::from_str::<serde_json::Value>(&text).expect("always whole JSON");
            }
        })
    };
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let provider = CliProfileProvider::new()
                .with_env(env.clone())
                .with_oauth_endpoint(&server.base_url);
            tokio::spawn(async move {
                provider
                    .provide_credentials()
                    .await
                    .map(|c| c.access_key_id().to_owned())
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    reader.await.unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let token = written["profiles"][1]["oauth_access_token"]
        .as_str()
        .unwrap();
    assert!(token.starts_with("access-"), "{token}");
    assert_eq!(
        written["profiles"][1]["x_unknown_field"],
        serde_json::json!({"kept": [1, 2.5, null]})
    );
}

//! No `Debug` output of a provider (before and after it fetched credentials) or of an error
//! contains a secret, a security token or an OIDC token.

use std::sync::{Arc, Mutex};

use alibabacloud_credentials::{
    CachedProvider, CliProfileProvider, Credentials, DefaultCredentialsChain, EcsRamRoleProvider,
    Env, EnvironmentProvider, OidcRoleProvider, ProfileFileProvider, ProvideCredentials,
    RamRoleArnProvider, StaticProvider, UriProvider,
};

use crate::common::{
    FakeServer, Reply, document, env_with_home, expiration_in, sts_response, write,
};

/// Every secret value used below.
const SECRETS: &[&str] = &[
    "SECRET-env",
    "TOKEN-env",
    "SECRET-served",
    "TOKEN-served",
    "TOKEN-oidc-file",
    "SECRET-source",
    "TOKEN-source",
    "SECRET-cli",
    "SECRET-ini",
    "TOKEN-uri-query",
    "SECRET-static",
    "TOKEN-static",
    "TOKEN-sso-access",
    "TOKEN-oauth-access",
    "TOKEN-oauth-refresh",
    "TOKEN-oauth-new-access",
    "TOKEN-oauth-new-refresh",
    "SECRET-external-arg",
    "SECRET-external-output",
];

fn assert_clean(what: &str, shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{what} shows {secret}: {shown}");
    }
}

async fn check(what: &str, provider: &dyn ProvideCredentials) {
    assert_clean(what, &format!("{provider:?}"));
    match provider.provide_credentials().await {
        Ok(credentials) => assert_clean(what, &format!("{credentials:?}")),
        Err(error) => assert_clean(what, &format!("{error:?} {error}")),
    }
    assert_clean(what, &format!("{provider:?}"));
}

/// A server acting as STS, metadata service and credentials URI, serving secrets.
async fn everything_server() -> FakeServer {
    FakeServer::start(|request| match request.path.as_str() {
        "/" => Reply::ok(sts_response(
            "STS.id",
            "SECRET-served",
            "TOKEN-served",
            &expiration_in(3600),
        )),
        "/latest/api/token" => Reply::ok("imds-token"),
        "/latest/meta-data/ram/security-credentials/" => Reply::ok("role"),
        "/latest/meta-data/ram/security-credentials/role" | "/creds" => Reply::ok(document(
            "STS.id",
            "SECRET-served",
            "TOKEN-served",
            &expiration_in(3600),
        )),
        "/failing" => Reply::ok(
            r#"{"Code":"Denied","AccessKeySecret":"SECRET-served","SecurityToken":"TOKEN-served"}"#,
        ),
        _ => Reply::status(404, ""),
    })
    .await
}

#[tokio::test]
async fn no_debug_output_or_error_shows_a_secret() {
    let server = everything_server().await;
    let base = server.base_url.clone();
    let home = tempfile::tempdir().unwrap();
    let token_file = write(home.path(), "oidc-token", "TOKEN-oidc-file");
    let token_path = token_file.display().to_string();
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"role","profiles":[{"name":"role","mode":"RamRoleArn","access_key_id":"LTAI-cli","access_key_secret":"SECRET-cli","ram_role_arn":"acs:ram::1:role/r"}]}"#,
    );
    write(
        home.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = SECRET-ini\n",
    );
    let env = env_with_home(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "TOKEN-env"),
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/o"),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1:oidc-provider/p",
            ),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_path.as_str()),
        ],
    );
    let source =
        Credentials::new("LTAI-source", "SECRET-source").with_security_token("TOKEN-source");

    check(
        "environment",
        &EnvironmentProvider::new().with_env(env.clone()),
    )
    .await;
    assert_clean("env", &format!("{env:?}"));
    check(
        "static",
        &StaticProvider::new("LTAI-static", "SECRET-static").with_security_token("TOKEN-static"),
    )
    .await;
    check(
        "oidc",
        &OidcRoleProvider::new()
            .with_env(env.clone())
            .with_sts_endpoint(&base),
    )
    .await;
    check(
        "ram role arn",
        &RamRoleArnProvider::new(source.clone(), "acs:ram::1:role/r")
            .with_env(Env::from_vars([("X", "y")]))
            .with_sts_endpoint(&base),
    )
    .await;
    check(
        "cli profile",
        &CliProfileProvider::new()
            .with_env(env.clone())
            .with_sts_endpoint(&base),
    )
    .await;
    check(
        "profile file",
        &ProfileFileProvider::new().with_env(env.clone()),
    )
    .await;
    check(
        "ecs",
        &EcsRamRoleProvider::new()
            .with_env(Env::from_vars([("X", "y")]))
            .with_endpoint(&base),
    )
    .await;
    check(
        "uri",
        &UriProvider::new().with_uri(format!("{base}/creds?token=TOKEN-uri-query")),
    )
    .await;
    check(
        "uri error",
        &UriProvider::new().with_uri(format!("{base}/failing?token=TOKEN-uri-query")),
    )
    .await;
    check(
        "uri HTTP error",
        &UriProvider::new().with_uri(format!("{base}/missing?token=TOKEN-uri-query")),
    )
    .await;
    check("cached", &CachedProvider::new(source.clone())).await;
    check(
        "chain",
        &DefaultCredentialsChain::builder()
            .env(env)
            .sts_endpoint(&base)
            .imds_endpoint(&base)
            .build(),
    )
    .await;
    check(
        "failing chain",
        &DefaultCredentialsChain::builder()
            .env(env_with_home(
                home.path(),
                &[
                    ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
                    ("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent"),
                    ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
                ],
            ))
            .sts_endpoint(&base)
            .imds_endpoint(&base)
            .build(),
    )
    .await;
}

/// The modes that sign in (CloudSSO, OAuth) or run a program (External): no `Debug`
/// output, error or log line — at every level, including a failed write-back — shows a
/// token, a secret or a program's arguments.
#[tokio::test]
async fn sign_in_modes_show_no_secret_in_debug_errors_or_logs() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let log = log.clone();
        move || LogWriter(log.clone())
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(writer)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let home = tempfile::tempdir().unwrap();
    let config_path = home.path().join(".aliyun/config.json");
    let server = {
        let config_path = config_path.clone();
        FakeServer::start(move |request| match request.path.as_str() {
            "/cloud-credentials" => Reply::status(
                403,
                r#"{"ErrorCode":"NoPermission","ErrorMessage":"denied","AccessKeySecret":"SECRET-served"}"#,
            ),
            "/v1/token" => Reply::ok(
                r#"{"access_token":"TOKEN-oauth-new-access","refresh_token":"TOKEN-oauth-new-refresh","expires_in":3600}"#,
            ),
            "/v1/exchange" => {
                // The profile disappears before the write-back, which then fails (logged).
                std::fs::write(&config_path, r#"{"profiles":[]}"#).unwrap();
                Reply::ok(
                    serde_json::json!({"AccessKeyId": "STS.o", "AccessKeySecret": "SECRET-served",
                        "SecurityToken": "TOKEN-served", "Expiration": expiration_in(3600)})
                    .to_string(),
                )
            }
            _ => Reply::status(404, ""),
        })
        .await
    };
    let base = server.base_url.clone();
    let far = 4_000_000_000i64;
    let config = serde_json::json!({"current": "oauth", "profiles": [
        {"name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": format!("{base}/login"),
         "cloud_sso_account_id": "1", "cloud_sso_access_config": "ac",
         "access_token": "TOKEN-sso-access", "cloud_sso_access_token_expire": far},
        {"name": "sso-expired", "mode": "CloudSSO", "cloud_sso_sign_in_url": format!("{base}/login"),
         "cloud_sso_account_id": "1", "cloud_sso_access_config": "ac",
         "access_token": "TOKEN-sso-access", "cloud_sso_access_token_expire": 1},
        {"name": "oauth", "mode": "OAuth", "oauth_access_token": "TOKEN-oauth-access",
         "oauth_refresh_token": "TOKEN-oauth-refresh", "oauth_access_token_expire": 1},
        {"name": "external", "mode": "External",
         "process_command": "/bin/sh -c 'echo SECRET-external-output; echo helper failed >&2; exit 1' SECRET-external-arg"},
    ]})
    .to_string();
    for profile in ["sso", "sso-expired", "oauth", "external"] {
        write(home.path(), ".aliyun/config.json", &config);
        let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", profile)]);
        let provider = CliProfileProvider::new()
            .with_env(env.clone())
            .with_oauth_endpoint(&base);
        check(profile, &provider).await;
        let chain = DefaultCredentialsChain::builder()
            .env(env)
            .oauth_endpoint(&base)
            .imds_endpoint(&base)
            .build();
        write(home.path(), ".aliyun/config.json", &config);
        check(profile, &chain).await;
    }
    let logged = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("could not be written back"),
        "the failed write-back is logged: {logged}"
    );
    assert_clean("log", &logged);
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

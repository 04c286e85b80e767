use alibabacloud_credentials::{CliProfileProvider, ProvideCredentials};

use crate::common::{
    FakeServer, Reply, assert_unsigned_oidc, assert_v1_signed_assume_role, document, env_with_home,
    expiration_in, sts_server, write,
};

fn config(current: &str, oidc_token_file: &str) -> String {
    serde_json::json!({
        "current": current,
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "LTAI-cli",
             "access_key_secret": "cli-secret", "region_id": "cn-hangzhou",
             "output_format": "json", "language": "en"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.cli",
             "access_key_secret": "cli-sts-secret", "sts_token": "cli-sts-token"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-role-source",
             "access_key_secret": "role-source-secret", "ram_role_arn": "acs:ram::123:role/x",
             "ram_session_name": "cli-session", "expired_seconds": 900, "policy": "",
             "external_id": "", "sts_region": "cn-shanghai", "enable_vpc": false},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "cli-role"},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::123:role/o",
             "oidc_provider_arn": "acs:ram::123:oidc-provider/p",
             "oidc_token_file": oidc_token_file, "role_session_name": "oidc-session"},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "default",
             "ram_role_arn": "acs:ram::123:role/x"},
            {"name": "rsa", "mode": "RsaKeyPair", "private_key": "k", "key_pair_name": "p"},
        ],
        "meta_path": "",
    })
    .to_string()
}

async fn credentials_of(
    home: &std::path::Path,
    vars: &[(&str, &str)],
    sts: Option<&str>,
    imds: Option<&str>,
) -> Result<alibabacloud_credentials::Credentials, alibabacloud_credentials::Error> {
    let mut provider = CliProfileProvider::new().with_env(env_with_home(home, vars));
    if let Some(sts) = sts {
        provider = provider.with_sts_endpoint(sts);
    }
    if let Some(imds) = imds {
        provider = provider.with_imds_endpoint(imds);
    }
    provider.provide_credentials().await
}

#[tokio::test]
async fn ak_profile_from_current_and_sts_profile_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", &config("default", "/x"));

    let credentials = credentials_of(home.path(), &[], None, None).await.unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-cli");
    assert_eq!(credentials.access_key_secret(), "cli-secret");
    assert_eq!(credentials.provider(), "cli_profile/static_ak");

    let credentials = credentials_of(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")], None, None)
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.cli");
    assert_eq!(credentials.security_token(), Some("cli-sts-token"));
    assert_eq!(credentials.provider(), "cli_profile/static_sts");
}

#[tokio::test]
async fn ram_role_arn_profile_assumes_the_role_signed_with_its_key() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", &config("role", "/x"));
    let server = sts_server(3600).await;
    let credentials = credentials_of(home.path(), &[], Some(&server.base_url), None)
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.sts-1");
    assert_eq!(credentials.provider(), "cli_profile/ram_role_arn");
    let request = &server.requests()[0];
    assert_v1_signed_assume_role(request, "LTAI-role-source", "role-source-secret");
    assert_eq!(request.param("RoleArn"), Some("acs:ram::123:role/x"));
    assert_eq!(request.param("RoleSessionName"), Some("cli-session"));
    assert_eq!(request.param("DurationSeconds"), Some("900"));
    assert_eq!(request.param("Policy"), None, "an empty policy is not sent");
}

#[tokio::test]
async fn ecs_ram_role_profile_asks_the_metadata_service_for_its_role() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", &config("ecs", "/x"));
    let imds = FakeServer::start(|request| match request.path.as_str() {
        "/latest/api/token" => Reply::ok("tok"),
        "/latest/meta-data/ram/security-credentials/cli-role" => Reply::ok(document(
            "STS.ecs",
            "ecs-secret",
            "ecs-token",
            &expiration_in(3600),
        )),
        _ => Reply::status(404, ""),
    })
    .await;
    let credentials = credentials_of(home.path(), &[], None, Some(&imds.base_url))
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ecs");
    assert_eq!(credentials.provider(), "cli_profile/ecs_ram_role");
    assert_eq!(imds.count("/latest/meta-data/ram/security-credentials/"), 0);
}

#[tokio::test]
async fn oidc_profile_sends_the_token_file_unsigned() {
    let home = tempfile::tempdir().unwrap();
    let token_file = write(home.path(), "token", "cli-oidc-token");
    write(
        home.path(),
        ".aliyun/config.json",
        &config("oidc", &token_file.display().to_string()),
    );
    let server = sts_server(3600).await;
    let credentials = credentials_of(home.path(), &[], Some(&server.base_url), None)
        .await
        .unwrap();
    assert_eq!(credentials.provider(), "cli_profile/oidc_role_arn");
    let request = &server.requests()[0];
    assert_unsigned_oidc(request, "cli-oidc-token");
    assert_eq!(request.param("RoleArn"), Some("acs:ram::123:role/o"));
    assert_eq!(request.param("RoleSessionName"), Some("oidc-session"));
}

#[tokio::test]
async fn failures_name_the_file_the_profile_or_the_mode() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(".aliyun/config.json");
    let error = credentials_of(home.path(), &[], None, None)
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), format!("{}: not found", path.display()));

    write(home.path(), ".aliyun/config.json", &config("rsa", "/x"));
    let error = credentials_of(home.path(), &[], None, None)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: profile \"rsa\" has mode \"RsaKeyPair\", which is not supported \
             (supported: AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, \
             CloudSSO, OAuth, External)",
            path.display()
        )
    );

    let error = credentials_of(
        home.path(),
        &[("ALIBABA_CLOUD_PROFILE", "nope")],
        None,
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{}: no profile named \"nope\"", path.display())
    );

    let error = credentials_of(
        home.path(),
        &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
        None,
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"
    );

    write(home.path(), ".aliyun/config.json", "{\"current\": ");
    let error = credentials_of(home.path(), &[], None, None)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: not a CLI configuration", path.display())),
        "{error}"
    );
}

use alibabacloud_credentials::{ProfileFileProvider, ProvideCredentials};

use crate::common::{
    FakeServer, Reply, assert_unsigned_oidc, assert_v1_signed_assume_role, document, env_with_home,
    expiration_in, sts_server, write,
};

const FILE: &str = ".alibabacloud/credentials";

fn provider(home: &std::path::Path, vars: &[(&str, &str)]) -> ProfileFileProvider {
    ProfileFileProvider::new().with_env(env_with_home(home, vars))
}

#[tokio::test]
async fn access_key_section_with_comments() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        FILE,
        "# my keys\n[default]\ntype = access_key   # long-term\naccess_key_id = LTAI-ini # id\naccess_key_secret = ini-secret\n",
    );
    let credentials = provider(home.path(), &[])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-ini");
    assert_eq!(credentials.access_key_secret(), "ini-secret");
    assert_eq!(credentials.provider(), "profile/static_ak");
}

#[tokio::test]
async fn file_and_section_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let other = write(
        home.path(),
        "elsewhere/creds.ini",
        "[default]\ntype = access_key\naccess_key_id = wrong\naccess_key_secret = wrong\n\
         [project]\ntype = access_key\naccess_key_id = LTAI-project\naccess_key_secret = s\n",
    );
    let other = other.display().to_string();
    let credentials = provider(
        home.path(),
        &[
            ("ALIBABA_CLOUD_CREDENTIALS_FILE", other.as_str()),
            ("ALIBABA_CLOUD_PROFILE", "project"),
        ],
    )
    .provide_credentials()
    .await
    .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-project");
}

#[tokio::test]
async fn ram_role_arn_section_is_v1_signed() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        FILE,
        "[default]\ntype = ram_role_arn\naccess_key_id = LTAI-ini-src\naccess_key_secret = ini-src-secret\n\
         role_arn = acs:ram::123:role/ini\nrole_session_name = ini-session\n",
    );
    let server = sts_server(3600).await;
    let credentials = provider(home.path(), &[])
        .with_sts_endpoint(&server.base_url)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.provider(), "profile/ram_role_arn");
    let request = &server.requests()[0];
    assert_v1_signed_assume_role(request, "LTAI-ini-src", "ini-src-secret");
    assert_eq!(request.param("RoleArn"), Some("acs:ram::123:role/ini"));
    assert_eq!(request.param("RoleSessionName"), Some("ini-session"));
}

#[tokio::test]
async fn ecs_ram_role_section() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        FILE,
        "[default]\ntype = ecs_ram_role\nrole_name = ini-role\n",
    );
    let imds = FakeServer::start(|request| match request.path.as_str() {
        "/latest/api/token" => Reply::ok("tok"),
        "/latest/meta-data/ram/security-credentials/ini-role" => {
            Reply::ok(document("STS.ini-ecs", "s", "t", &expiration_in(3600)))
        }
        _ => Reply::status(404, ""),
    })
    .await;
    let credentials = provider(home.path(), &[])
        .with_imds_endpoint(&imds.base_url)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ini-ecs");
    assert_eq!(credentials.provider(), "profile/ecs_ram_role");
}

#[tokio::test]
async fn oidc_role_arn_section() {
    let home = tempfile::tempdir().unwrap();
    let token = write(home.path(), "oidc-token", "ini-oidc-token");
    write(
        home.path(),
        FILE,
        &format!(
            "[default]\ntype = oidc_role_arn\nrole_arn = acs:ram::123:role/o\n\
             oidc_provider_arn = acs:ram::123:oidc-provider/p\noidc_token_file_path = {}\n",
            token.display()
        ),
    );
    let server = sts_server(3600).await;
    let credentials = provider(home.path(), &[])
        .with_sts_endpoint(&server.base_url)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.provider(), "profile/oidc_role_arn");
    assert_unsigned_oidc(&server.requests()[0], "ini-oidc-token");
}

#[tokio::test]
async fn failures_name_the_file_the_section_or_the_type() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(FILE);
    let error = provider(home.path(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), format!("{}: not found", path.display()));

    write(
        home.path(),
        FILE,
        "[default]\ntype = rsa_key_pair\n[other]\ntype = access_key\n",
    );
    let error = provider(home.path(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: section [default] has type \"rsa_key_pair\", which is not supported \
             (supported: access_key, ram_role_arn, ecs_ram_role, oidc_role_arn)",
            path.display()
        )
    );
    let error = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "other")])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: section [other] (type access_key) has no access_key_id",
            path.display()
        )
    );
    let error = provider(home.path(), &[("ALIBABA_CLOUD_PROFILE", "none")])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{}: no section [none]", path.display())
    );
}

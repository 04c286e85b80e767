use alibabacloud_credentials::{Env, OidcRoleProvider, ProvideCredentials};

use crate::common::{
    FakeServer, Reply, SHORT_LIVED, SHORT_LIVED_STALE, assert_unsigned_oidc, closed_url, sts_server,
};

const ROLE_ARN: &str = "acs:ram::123:role/oidc";
const PROVIDER_ARN: &str = "acs:ram::123:oidc-provider/ack";

fn env(token_file: &std::path::Path, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("ALIBABA_CLOUD_ROLE_ARN".to_owned(), ROLE_ARN.to_owned()),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN".to_owned(),
            PROVIDER_ARN.to_owned(),
        ),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE".to_owned(),
            token_file.display().to_string(),
        ),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

#[tokio::test]
async fn sends_an_unsigned_request_with_the_token_file_content() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "eyJ.oidc-token-1").unwrap();
    let server = sts_server(3600).await;
    let provider = OidcRoleProvider::new()
        .with_env(env(&token_file, &[]))
        .with_sts_endpoint(&server.base_url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.sts-1");
    assert_eq!(credentials.access_key_secret(), "sts-secret");
    assert_eq!(credentials.security_token(), Some("sts-token"));
    assert_eq!(credentials.provider(), "oidc_role_arn");

    let request = &server.requests()[0];
    assert_unsigned_oidc(request, "eyJ.oidc-token-1");
    assert_eq!(request.param("RoleArn"), Some(ROLE_ARN));
    assert_eq!(request.param("OIDCProviderArn"), Some(PROVIDER_ARN));
    assert_eq!(request.param("DurationSeconds"), Some("3600"));
    let session = request.param("RoleSessionName").unwrap();
    assert!(session.starts_with("alibabacloud-rust-"), "{session}");
    assert!(session["alibabacloud-rust-".len()..].parse::<u64>().is_ok());

    // Valid for an hour: cached.
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_token_file_is_read_again_at_each_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "token-one\n").unwrap();
    // Short-lived: stale within two seconds.
    let server = sts_server(SHORT_LIVED).await;
    let provider = OidcRoleProvider::new()
        .with_env(env(
            &token_file,
            &[("ALIBABA_CLOUD_ROLE_SESSION_NAME", "my-session")],
        ))
        .with_sts_endpoint(&server.base_url);
    let first = provider.provide_credentials().await.unwrap();
    std::fs::write(&token_file, "token-two").unwrap();
    tokio::time::sleep(SHORT_LIVED_STALE).await;
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.sts-1");
    assert_eq!(second.access_key_id(), "STS.sts-2");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_unsigned_oidc(&requests[0], "token-one");
    assert_unsigned_oidc(&requests[1], "token-two");
    assert_eq!(requests[1].param("RoleSessionName"), Some("my-session"));
}

#[tokio::test]
async fn missing_settings_and_files_are_named() {
    let check = |vars: Vec<(&'static str, &'static str)>, expected: &'static str| async move {
        let error = OidcRoleProvider::new()
            .with_env(Env::from_vars(vars))
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), expected);
    };
    check(vec![], "ALIBABA_CLOUD_ROLE_ARN not set").await;
    check(
        vec![("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN)],
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN not set",
    )
    .await;
    check(
        vec![
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER_ARN),
        ],
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE not set",
    )
    .await;
    check(
        vec![
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER_ARN),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/nonexistent/token"),
        ],
        "OIDC token file /nonexistent/token: not found",
    )
    .await;
}

#[tokio::test]
async fn sts_errors_come_back_as_service_errors() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "bad-token").unwrap();
    let server = FakeServer::start(|_| {
        Reply::status(
            400,
            r#"{"RequestId":"R-9","Code":"AuthenticationFail.OIDCToken.Invalid","Message":"The OIDC token is invalid."}"#,
        )
    })
    .await;
    let error = OidcRoleProvider::new()
        .with_env(env(&token_file, &[]))
        .with_sts_endpoint(&server.base_url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AuthenticationFail.OIDCToken.Invalid"));
    assert_eq!(error.request_id(), Some("R-9"));
    assert!(!format!("{error} {error:?}").contains("bad-token"));
}

#[tokio::test]
async fn network_errors_do_not_show_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "network-oidc-token").unwrap();
    let error = OidcRoleProvider::new()
        .with_env(env(&token_file, &[]))
        .with_sts_endpoint(closed_url().await)
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("network-oidc-token"), "{shown}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        assert!(!cause.to_string().contains("network-oidc-token"), "{cause}");
        source = cause.source();
    }
}

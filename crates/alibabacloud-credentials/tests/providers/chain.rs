use std::sync::Arc;

use alibabacloud_credentials::{DefaultCredentialsChain, ProvideCredentials};

use crate::common::{
    FakeServer, Reply, SHORT_LIVED, SHORT_LIVED_STALE, closed_url, document, env_with_home,
    expiration_in, write,
};

const INI: &str =
    "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = ini-secret\n";

#[tokio::test]
async fn the_environment_comes_first() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".alibabacloud/credentials", INI);
    let chain = DefaultCredentialsChain::builder()
        .env(env_with_home(
            home.path(),
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ],
        ))
        .imds_endpoint(closed_url().await)
        .build();
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-env");
    assert_eq!(credentials.provider(), "env");
    assert_eq!(chain.winner(), Some("environment"));
}

#[tokio::test]
async fn a_disabled_cli_profile_falls_through_to_the_ini_file() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAI-cli","access_key_secret":"s"}]}"#,
    );
    write(home.path(), ".alibabacloud/credentials", INI);
    let env = |vars| env_with_home(home.path(), vars);

    let imds = closed_url().await;
    let chain = DefaultCredentialsChain::builder()
        .env(env(&[]))
        .imds_endpoint(&imds)
        .build();
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "LTAI-cli"
    );
    assert_eq!(chain.winner(), Some("CLI profile"));

    let chain = DefaultCredentialsChain::builder()
        .env(env(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]))
        .imds_endpoint(&imds)
        .build();
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-ini");
    assert_eq!(credentials.provider(), "profile/static_ak");
    assert_eq!(chain.winner(), Some("profile file"));
}

#[tokio::test]
async fn when_everything_fails_every_source_is_named_with_its_reason() {
    let home = tempfile::tempdir().unwrap();
    let imds = closed_url().await;
    let chain = DefaultCredentialsChain::builder()
        .env(env_with_home(home.path(), &[]))
        .imds_endpoint(&imds)
        .build();
    let error = chain.provide_credentials().await.unwrap_err();
    assert_eq!(
        error.kind(),
        alibabacloud_core::error::ErrorKind::Credentials
    );
    let message = error.to_string();
    let home = home.path().display();
    let expected_start = format!(
        "no credentials found; tried: \
         environment (ALIBABA_CLOUD_ACCESS_KEY_ID not set), \
         OIDC role (ALIBABA_CLOUD_ROLE_ARN not set), \
         CLI profile ({home}/.aliyun/config.json: not found), \
         profile file ({home}/.alibabacloud/credentials: not found), \
         ECS RAM role (GET {imds}/latest/meta-data/ram/security-credentials/: could not connect: "
    );
    assert!(message.starts_with(&expected_start), "{message}");
    assert!(
        message.ends_with("), credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI not set)"),
        "{message}"
    );
    assert_eq!(chain.winner(), None);
}

#[tokio::test]
async fn the_winner_is_remembered_and_asked_directly() {
    // One server is both a metadata service that knows no role and the credentials URI.
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/creds" => Reply::ok(document("URI-1", "s", "t", &expiration_in(SHORT_LIVED))),
        _ => Reply::status(404, "not found"),
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let uri = format!("{}/creds", server.base_url);
    let chain = DefaultCredentialsChain::builder()
        .env(env_with_home(
            home.path(),
            &[("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())],
        ))
        .imds_endpoint(&server.base_url)
        .build();
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.provider(), "credential_uri");
    assert_eq!(chain.winner(), Some("credentials URI"));
    let metadata_requests = server.requests().len() - server.count("/creds");
    assert_eq!(
        metadata_requests, 2,
        "token PUT, then the IMDSv1 role listing"
    );

    // The URI's credentials are short-lived, so once stale the next call fetches them again
    // — straight from the URI, without asking the metadata service.
    tokio::time::sleep(SHORT_LIVED_STALE).await;
    chain.provide_credentials().await.unwrap();
    assert_eq!(server.count("/creds"), 2);
    assert_eq!(
        server.requests().len() - server.count("/creds"),
        metadata_requests
    );
}

#[tokio::test]
async fn a_failed_walk_is_not_remembered() {
    let home = tempfile::tempdir().unwrap();
    let chain = DefaultCredentialsChain::builder()
        .env(env_with_home(
            home.path(),
            &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
        ))
        .imds_endpoint(closed_url().await)
        .build();
    let error = chain.provide_credentials().await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("ECS RAM role (disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)"),
        "{error}"
    );
    write(home.path(), ".alibabacloud/credentials", INI);
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-ini");
}

#[tokio::test]
async fn concurrent_first_calls_share_one_walk() {
    let imds = FakeServer::start(|_| Reply::status(404, "")).await;
    let home = tempfile::tempdir().unwrap();
    let chain = Arc::new(
        DefaultCredentialsChain::builder()
            .env(env_with_home(home.path(), &[]))
            .imds_endpoint(&imds.base_url)
            .build(),
    );
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let chain = chain.clone();
            tokio::spawn(async move { chain.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("no credentials found; tried: "),
            "{error}"
        );
    }
    assert_eq!(imds.count("/latest/api/token"), 1);
}

/// A config.json that exists but is broken stops the chain, even when a later source would
/// work: going on would sign the call as whoever that source names.
#[tokio::test]
async fn a_broken_cli_configuration_is_not_skipped() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".alibabacloud/credentials", INI);
    let config = home.path().join(".aliyun/config.json");
    let chain_for = |vars: &[(&str, &str)]| {
        DefaultCredentialsChain::builder()
            .env(env_with_home(home.path(), vars))
            .imds_endpoint("http://127.0.0.1:9")
            .build()
    };

    // Truncated JSON.
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAI-cli","access_key_secr"#,
    );
    let chain = chain_for(&[]);
    let message = chain.provide_credentials().await.unwrap_err().to_string();
    assert!(
        message.starts_with(&format!(
            "CLI profile is configured but unusable, so no later source was tried: {}: not a CLI configuration",
            config.display()
        )),
        "{message}"
    );
    assert!(
        message.contains("environment (ALIBABA_CLOUD_ACCESS_KEY_ID not set)"),
        "{message}"
    );
    assert_eq!(chain.winner(), None);

    // A profile in use that lacks a field.
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAI-cli"}]}"#,
    );
    let message = chain_for(&[])
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!(
            "{}: profile \"default\" (mode AK) has no access_key_secret",
            config.display()
        )),
        "{message}"
    );

    // Unreadable: a directory where the file should be.
    std::fs::remove_file(&config).unwrap();
    std::fs::create_dir(&config).unwrap();
    let message = chain_for(&[])
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("{}: cannot be read", config.display())),
        "{message}"
    );
    std::fs::remove_dir(&config).unwrap();

    // Not configured (no file, a profile named for the ini file only, an unsupported
    // mode): the chain goes on to the ini file.
    for (text, vars) in [
        (None, vec![]),
        (
            Some(
                r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"a","access_key_secret":"b"}]}"#,
            ),
            vec![("ALIBABA_CLOUD_PROFILE", "default-ini-only")],
        ),
        (
            Some(
                r#"{"current":"x","profiles":[{"name":"x","mode":"BearerToken","bearer_token":"b"}]}"#,
            ),
            vec![],
        ),
    ] {
        if let Some(text) = text {
            write(home.path(), ".aliyun/config.json", text);
        }
        let write_ini = vars.iter().any(|(k, _)| *k == "ALIBABA_CLOUD_PROFILE");
        if write_ini {
            write(
                home.path(),
                ".alibabacloud/credentials",
                &INI.replace("[default]", "[default-ini-only]"),
            );
        }
        let chain = chain_for(&vars);
        let credentials = chain.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "LTAI-ini");
        assert_eq!(chain.winner(), Some("profile file"));
        write(home.path(), ".alibabacloud/credentials", INI);
    }
}

use alibabacloud_credentials::{Credentials, Env, ProvideCredentials, RamRoleArnProvider};

use crate::common::{
    SHORT_LIVED, SHORT_LIVED_STALE, assert_v1_signed_assume_role, closed_url, sts_server,
};

#[tokio::test]
async fn assume_role_is_v1_signed_with_the_source_key() {
    let server = sts_server(3600).await;
    let provider = RamRoleArnProvider::new(
        Credentials::new("LTAI-source", "source-secret"),
        "acs:ram::123:role/admin",
    )
    .with_env(Env::from_vars([("X", "y")]))
    .with_role_session_name("sess")
    .with_policy(r#"{"Version": "1", "Statement": []}"#)
    .with_external_id("ext-1")
    .with_duration_seconds(1800)
    .with_sts_endpoint(&server.base_url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.sts-1");
    assert_eq!(credentials.security_token(), Some("sts-token"));
    assert_eq!(credentials.provider(), "ram_role_arn");

    let request = &server.requests()[0];
    assert_v1_signed_assume_role(request, "LTAI-source", "source-secret");
    assert_eq!(request.param("RoleArn"), Some("acs:ram::123:role/admin"));
    assert_eq!(request.param("RoleSessionName"), Some("sess"));
    assert_eq!(request.param("DurationSeconds"), Some("1800"));
    assert_eq!(request.param("ExternalId"), Some("ext-1"));
    assert_eq!(
        request.param("Policy"),
        Some(r#"{"Version": "1", "Statement": []}"#)
    );

    provider.provide_credentials().await.unwrap();
    assert_eq!(server.requests().len(), 1, "cached for the hour");
}

#[tokio::test]
async fn stale_credentials_are_fetched_again_with_a_default_session_name() {
    let server = sts_server(SHORT_LIVED).await;
    let provider = RamRoleArnProvider::new(
        Credentials::new("LTAI-source", "source-secret").with_security_token("source-token"),
        "acs:ram::123:role/admin",
    )
    .with_env(Env::from_vars([("X", "y")]))
    .with_sts_endpoint(&server.base_url);
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.sts-1"
    );
    tokio::time::sleep(SHORT_LIVED_STALE).await;
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.sts-2"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_v1_signed_assume_role(&requests[1], "LTAI-source", "source-secret");
    assert_eq!(requests[1].param("SecurityToken"), Some("source-token"));
    assert_eq!(requests[1].param("DurationSeconds"), Some("3600"));
    assert!(
        requests[1]
            .param("RoleSessionName")
            .unwrap()
            .starts_with("alibabacloud-rust-")
    );
}

#[tokio::test]
async fn network_errors_do_not_show_the_source_token() {
    let provider = RamRoleArnProvider::new(
        Credentials::new("LTAI-source", "source-secret").with_security_token("source-sts-token"),
        "acs:ram::123:role/admin",
    )
    .with_env(Env::from_vars([("X", "y")]))
    .with_sts_endpoint(closed_url().await);
    let error = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("source-sts-token"), "{shown}");
    assert!(!shown.contains("Signature="), "{shown}");
}

#[tokio::test]
async fn already_expired_credentials_are_an_error_naming_sts_and_the_expiration() {
    let server = sts_server(-30).await;
    let provider = RamRoleArnProvider::new(
        Credentials::new("LTAI-source", "source-secret"),
        "acs:ram::123:role/admin",
    )
    .with_env(Env::from_vars([("X", "y")]))
    .with_sts_endpoint(&server.base_url);
    for _ in 0..2 {
        let message = provider
            .provide_credentials()
            .await
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with(&format!(
                "the AssumeRole response from {}: the credentials had already expired when received (Expiration ",
                server.base_url
            )),
            "{message}"
        );
        assert!(!message.contains("sts-secret") && !message.contains("sts-token"));
    }
    assert_eq!(server.requests().len(), 2);
}

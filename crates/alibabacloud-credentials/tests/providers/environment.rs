use alibabacloud_credentials::{Env, EnvironmentProvider, ProvideCredentials};

#[tokio::test]
async fn access_key_with_and_without_token() {
    let env = Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]);
    let credentials = EnvironmentProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "LTAI-env");
    assert_eq!(credentials.access_key_secret(), "env-secret");
    assert_eq!(credentials.security_token(), None);
    assert_eq!(credentials.provider(), "env");

    let env = Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
    ]);
    let credentials = EnvironmentProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.security_token(), Some("env-token"));
    assert_eq!(credentials.provider(), "env");
}

#[tokio::test]
async fn missing_or_empty_variables_are_named() {
    let provider = EnvironmentProvider::new().with_env(Env::from_vars([("X", "y")]));
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.to_string(), "ALIBABA_CLOUD_ACCESS_KEY_ID not set");

    let env = Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""),
    ]);
    let error = EnvironmentProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "ALIBABA_CLOUD_ACCESS_KEY_SECRET not set");
    assert_eq!(
        error.kind(),
        alibabacloud_core::error::ErrorKind::Credentials
    );
}

//! What the STS-backed providers share: the endpoint, the client, the session name and
//! turning an STS `Credentials` object into [`Credentials`].

use std::time::{SystemTime, UNIX_EPOCH};

use alibabacloud_core::config::Config;
use alibabacloud_core::credentials::{Credentials, SharedCredentialsProvider};
use alibabacloud_core::error::Error;
use alibabacloud_sts_20150401::Client;

use crate::env::Env;
use crate::expiration;

/// Validity requested from STS when none is configured, in seconds.
pub(crate) const DEFAULT_DURATION_SECONDS: i64 = 3600;

/// The STS endpoint: the explicit one, else `sts[-vpc].<region>.aliyuncs.com`, else
/// `sts.aliyuncs.com`.
pub(crate) fn endpoint(explicit: Option<&str>, region: Option<&str>, vpc: bool) -> String {
    if let Some(endpoint) = explicit {
        return endpoint.to_owned();
    }
    match region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(region) if vpc => format!("sts-vpc.{region}.aliyuncs.com"),
        Some(region) => format!("sts.{region}.aliyuncs.com"),
        None => "sts.aliyuncs.com".to_owned(),
    }
}

/// The endpoint from `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`,
/// unless an explicit one is given.
pub(crate) fn endpoint_from_env(explicit: Option<&str>, env: &Env) -> String {
    endpoint(
        explicit,
        env.var("ALIBABA_CLOUD_STS_REGION").as_deref(),
        env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"),
    )
}

/// A client for `endpoint`, signing with `source` (or unsigned operations only).
pub(crate) fn client(
    endpoint: &str,
    source: Option<SharedCredentialsProvider>,
) -> Result<Client, Error> {
    let mut builder = Config::builder().endpoint(endpoint);
    if let Some(source) = source {
        builder = builder.shared_credentials(source);
    }
    Client::new(&builder.build())
}

/// `alibabacloud-rust-<unix seconds>`, the session name when none is configured.
pub(crate) fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("alibabacloud-rust-{secs}")
}

/// Builds credentials from the fields of an STS `Credentials` object.
pub(crate) fn credentials(
    operation: &str,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
    provider: &'static str,
) -> Result<Credentials, Error> {
    let missing =
        |name: &str| Error::credentials(format!("the {operation} response has no {name}"));
    let access_key_id = access_key_id.ok_or_else(|| missing("Credentials.AccessKeyId"))?;
    let access_key_secret =
        access_key_secret.ok_or_else(|| missing("Credentials.AccessKeySecret"))?;
    let security_token = security_token.ok_or_else(|| missing("Credentials.SecurityToken"))?;
    let expiration = expiration.ok_or_else(|| missing("Credentials.Expiration"))?;
    let expiration = expiration::parse(&expiration)
        .map_err(|e| Error::credentials(format!("the {operation} response: {e}")))?;
    Ok(Credentials::new(access_key_id, access_key_secret)
        .with_security_token(security_token)
        .with_expiration(expiration)
        .with_provider(provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules() {
        assert_eq!(endpoint(None, None, false), "sts.aliyuncs.com");
        assert_eq!(
            endpoint(None, Some("cn-hangzhou"), false),
            "sts.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            endpoint(None, Some("cn-hangzhou"), true),
            "sts-vpc.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            endpoint(Some("http://127.0.0.1:1"), Some("cn-hangzhou"), false),
            "http://127.0.0.1:1"
        );
        let env = Env::from_vars([
            ("ALIBABA_CLOUD_STS_REGION", "ap-southeast-1"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ]);
        assert_eq!(
            endpoint_from_env(None, &env),
            "sts-vpc.ap-southeast-1.aliyuncs.com"
        );
    }

    #[test]
    fn session_name_default() {
        assert!(default_session_name().starts_with("alibabacloud-rust-"));
    }
}

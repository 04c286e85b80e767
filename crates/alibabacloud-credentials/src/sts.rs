//! What the STS-backed providers share: the client (and its endpoint), the session name
//! and turning an STS `Credentials` object into [`Credentials`].

use std::time::{SystemTime, UNIX_EPOCH};

use alibabacloud_core::config::Config;
use alibabacloud_core::credentials::{Credentials, SharedCredentialsProvider};
use alibabacloud_core::endpoint::Network;
use alibabacloud_core::error::Error;
use alibabacloud_sts_20150401::Client;

use crate::env::Env;
use crate::expiration;

/// Validity requested from STS when none is configured, in seconds.
pub(crate) const DEFAULT_DURATION_SECONDS: i64 = 3600;

/// Where STS is called, as a provider is configured. Resolved by core's endpoint
/// resolution from the STS crate's service description (`specs/sts/2015-04-01/
/// service.yaml`): the explicit endpoint, else the region's (`sts.<region>.aliyuncs.com`,
/// or its VPC endpoint `sts-vpc.<region>.aliyuncs.com`), else `sts.aliyuncs.com`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Target<'a> {
    /// The explicit endpoint, if any.
    pub endpoint: Option<&'a str>,
    /// The configured region; else `ALIBABA_CLOUD_STS_REGION`.
    pub region: Option<&'a str>,
    /// Whether the VPC endpoint is asked for; also when
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`.
    pub vpc: bool,
}

/// A client for `target` (with the environment's region and VPC setting), signing with
/// `source` (or unsigned operations only).
pub(crate) fn client(
    target: Target<'_>,
    env: &Env,
    source: Option<SharedCredentialsProvider>,
) -> Result<Client, Error> {
    let mut builder = Config::builder();
    if let Some(endpoint) = target.endpoint {
        builder = builder.endpoint(endpoint);
    }
    let region = target
        .region
        .map(str::to_owned)
        .or_else(|| env.var("ALIBABA_CLOUD_STS_REGION"));
    if let Some(region) = region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        builder = builder.region(region);
    }
    if target.vpc || env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED") {
        builder = builder.network(Network::Vpc);
    }
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

/// Builds credentials from the fields of an STS `Credentials` object in `response` (e.g.
/// `AssumeRole response from https://sts.aliyuncs.com`, for messages); credentials already
/// expired are refused, naming their expiration.
pub(crate) fn credentials(
    response: &str,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
    provider: &'static str,
) -> Result<Credentials, Error> {
    let missing = |name: &str| Error::credentials(format!("the {response} has no {name}"));
    let access_key_id = access_key_id.ok_or_else(|| missing("Credentials.AccessKeyId"))?;
    let access_key_secret =
        access_key_secret.ok_or_else(|| missing("Credentials.AccessKeySecret"))?;
    let security_token = security_token.ok_or_else(|| missing("Credentials.SecurityToken"))?;
    let expiration = expiration.ok_or_else(|| missing("Credentials.Expiration"))?;
    let expiration = expiration::parse(&expiration)
        .and_then(|at| expiration::ensure_unexpired(at, SystemTime::now()).map(|()| at))
        .map_err(|e| Error::credentials(format!("the {response}: {e}")))?;
    Ok(Credentials::new(access_key_id, access_key_secret)
        .with_security_token(security_token)
        .with_expiration(expiration)
        .with_provider(provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_come_from_the_sts_service_description() {
        let env = Env::from_vars([("X", "y")]);
        let endpoint = |target| client(target, &env, None).unwrap().endpoint();
        assert_eq!(endpoint(Target::default()), "https://sts.aliyuncs.com");
        let regional = Target {
            region: Some(" cn-hangzhou "),
            ..Target::default()
        };
        assert_eq!(endpoint(regional), "https://sts.cn-hangzhou.aliyuncs.com");
        let vpc = Target {
            vpc: true,
            ..regional
        };
        assert_eq!(endpoint(vpc), "https://sts-vpc.cn-hangzhou.aliyuncs.com");
        let explicit = Target {
            endpoint: Some("http://127.0.0.1:1"),
            ..vpc
        };
        assert_eq!(endpoint(explicit), "http://127.0.0.1:1");
        let env = Env::from_vars([
            ("ALIBABA_CLOUD_STS_REGION", "ap-southeast-1"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ]);
        assert_eq!(
            client(Target::default(), &env, None).unwrap().endpoint(),
            "https://sts-vpc.ap-southeast-1.aliyuncs.com"
        );
    }

    #[test]
    fn session_name_default() {
        assert!(default_session_name().starts_with("alibabacloud-rust-"));
    }
}

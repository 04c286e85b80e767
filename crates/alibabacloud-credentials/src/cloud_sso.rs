//! Credentials of a CloudSSO sign-in of the aliyun CLI (`CloudSSO` profiles): the cached
//! access token is exchanged for STS credentials at the CloudSSO portal.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use serde::Deserialize;

use crate::cache::CredentialsCache;
use crate::expiration;
use crate::http::{self, Timeouts};

const TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(5),
    read: Duration::from_secs(10),
};
/// The portal's path that creates STS credentials for an account and access configuration.
const CREDENTIALS_PATH: &str = "/cloud-credentials";

/// `POST <sign-in URL's scheme://host[:port]>/cloud-credentials` with the access token as a
/// bearer token and `{"AccountId", "AccessConfigurationId"}`; the answer's
/// `CloudCredential` holds the STS credentials. The access token cannot be refreshed here:
/// once it has expired, the error says to sign in again with the aliyun CLI.
pub(crate) struct CloudSsoProvider {
    pub(crate) sign_in_url: String,
    pub(crate) account_id: String,
    pub(crate) access_config: String,
    pub(crate) access_token: String,
    /// Unix seconds.
    pub(crate) access_token_expire: i64,
    /// The profile's name, for messages.
    pub(crate) profile: String,
    pub(crate) provider_name: &'static str,
    pub(crate) cache: CredentialsCache,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    cloud_credential: Option<CloudCredential>,
}

/// Not `Debug`: it holds the secret.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CloudCredential {
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl CloudSsoProvider {
    /// The error when the access token is missing or has expired: sign in again.
    pub(crate) fn check_token(&self, now: SystemTime) -> Result<(), Error> {
        let sign_in = format!(
            "sign in again with `aliyun configure --profile {} --mode CloudSSO`",
            self.profile
        );
        if self.access_token.is_empty() || self.access_token_expire <= 0 {
            return Err(Error::credentials(format!(
                "CloudSSO profile {:?} has no access token; {sign_in}",
                self.profile
            )));
        }
        let expires = UNIX_EPOCH + Duration::from_secs(self.access_token_expire as u64);
        if expires <= now {
            return Err(Error::credentials(format!(
                "the CloudSSO access token of profile {:?} expired at {}; {sign_in}",
                self.profile,
                expiration::format(expires)
            )));
        }
        Ok(())
    }

    /// `scheme://host[:port]/cloud-credentials` of the sign-in URL.
    fn url(&self) -> Result<reqwest::Url, Error> {
        let unusable = || {
            Error::credentials(format!(
                "CloudSSO profile {:?}: cloud_sso_sign_in_url is not an http(s) URL",
                self.profile
            ))
        };
        let mut url = reqwest::Url::parse(&self.sign_in_url).map_err(|_| unusable())?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(unusable());
        }
        url.set_path(CREDENTIALS_PATH);
        url.set_query(None);
        url.set_fragment(None);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        Ok(url)
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        self.check_token(SystemTime::now())?;
        let url = self.url()?;
        let failed = |reason: String| Error::credentials(format!("POST {url}: {reason}"));
        let body = serde_json::json!({
            "AccountId": self.account_id,
            "AccessConfigurationId": self.access_config,
        });
        let response = http::client(TIMEOUTS, false)?
            .post(url.clone())
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .bearer_auth(&self.access_token)
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| failed(http::describe(e)))?;
        let body = http::success_body(response, |status| {
            (status == 401).then(|| {
                format!(
                    "the access token was refused; sign in again with `aliyun configure --profile {} --mode CloudSSO`",
                    self.profile
                )
            })
        })
        .await
        .map_err(failed)?;
        let answer: Answer = http::parse_json(&body, "a CloudSSO answer").map_err(failed)?;
        let credential = answer
            .cloud_credential
            .ok_or_else(|| failed("the response has no CloudCredential".to_owned()))?;
        let field = |value: Option<String>, name: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| failed(format!("the response has no CloudCredential.{name}")))
        };
        let access_key_id = field(credential.access_key_id, "AccessKeyId")?;
        let access_key_secret = field(credential.access_key_secret, "AccessKeySecret")?;
        let security_token = field(credential.security_token, "SecurityToken")?;
        let expiration = expiration::parse(&field(credential.expiration, "Expiration")?)
            .and_then(|at| expiration::ensure_unexpired(at, SystemTime::now()).map(|()| at))
            .map_err(failed)?;
        Ok(Credentials::new(access_key_id, access_key_secret)
            .with_security_token(security_token)
            .with_expiration(expiration)
            .with_provider(self.provider_name))
    }
}

impl fmt::Debug for CloudSsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudSsoProvider")
            .field("sign_in_url", &http::redact(&self.sign_in_url))
            .field("account_id", &self.account_id)
            .field("access_config", &self.access_config)
            .field("access_token_expire", &self.access_token_expire)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CloudSsoProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

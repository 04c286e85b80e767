//! Credentials of an OAuth sign-in of the aliyun CLI (`OAuth` profiles): the access token
//! (refreshed with the refresh token when near its end) is exchanged for STS credentials,
//! and the new tokens and credentials are written back into the profile.

use std::fmt;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use serde::Deserialize;

use crate::cache::CredentialsCache;
use crate::cli_config::{self, Profile};
use crate::expiration;
use crate::http::{self, Timeouts};
use crate::ordered_json::OrderedJson;

const TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(5),
    read: Duration::from_secs(10),
};
/// The access token is refreshed when it has less than this left.
const ACCESS_TOKEN_MARGIN: i64 = 20 * 60;
/// STS credentials stored in the profile are used while they have more than this left.
const STORED_STS_MARGIN: i64 = 3 * 60;
/// `expires_in` when the token endpoint does not say.
const DEFAULT_EXPIRES_IN: i64 = 3600;

/// The OAuth sign-in endpoint and client of a site type (`oauth_site_type`).
pub(crate) fn site(site_type: &str) -> Option<(&'static str, &'static str)> {
    match site_type.to_ascii_uppercase().as_str() {
        "CN" => Some(("https://oauth.aliyun.com", "4038181954557748008")),
        "INTL" => Some(("https://oauth.alibabacloud.com", "4103531455503354461")),
        _ => None,
    }
}

/// `POST <endpoint>/v1/token` (form: `grant_type=refresh_token`, `refresh_token`,
/// `client_id`, `Timestamp`) when the access token is missing or has under 20 minutes left;
/// then `POST <endpoint>/v1/exchange` with the access token as a bearer token for STS
/// credentials. STS credentials stored in the profile are used instead while they have more
/// than 3 minutes left. After an exchange, the tokens and credentials are written back into
/// the profile (`oauth_access_token`, `oauth_refresh_token`, `oauth_access_token_expire`,
/// `access_key_id`, `access_key_secret`, `sts_token`, `sts_expiration`), as the aliyun CLI
/// and the official SDKs do; a failed write-back is logged, not an error.
pub(crate) struct OAuthProvider {
    pub(crate) endpoint: String,
    pub(crate) client_id: &'static str,
    pub(crate) config_path: PathBuf,
    pub(crate) profile: String,
    pub(crate) provider_name: &'static str,
    state: Mutex<State>,
    cache: CredentialsCache,
}

/// The tokens and the last STS credentials. Not `Debug`: all of it is secret.
#[derive(Clone, Default)]
struct State {
    access_token: String,
    /// Unix seconds.
    access_token_expire: i64,
    refresh_token: String,
    sts: Option<Credentials>,
}

impl State {
    fn from_profile(profile: &Profile) -> State {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let sts = match (
            &profile.access_key_id,
            &profile.access_key_secret,
            &profile.sts_token,
            unix_seconds(profile.sts_expiration.as_ref()),
        ) {
            (Some(id), Some(secret), Some(token), Some(expire))
                if !id.is_empty() && !secret.is_empty() && !token.is_empty() && expire > 0 =>
            {
                Some(
                    Credentials::new(id.clone(), secret.clone())
                        .with_security_token(token.clone())
                        .with_expiration(UNIX_EPOCH + Duration::from_secs(expire as u64)),
                )
            }
            _ => None,
        };
        State {
            access_token: text(&profile.oauth_access_token),
            access_token_expire: unix_seconds(profile.oauth_access_token_expire.as_ref())
                .unwrap_or(0),
            refresh_token: text(&profile.oauth_refresh_token),
            sts,
        }
    }

    /// Takes what is newer in `other` (another process may have refreshed meanwhile).
    fn merge_newer(&mut self, other: State) {
        if other.access_token_expire > self.access_token_expire && !other.access_token.is_empty() {
            self.access_token = other.access_token;
            self.access_token_expire = other.access_token_expire;
            if !other.refresh_token.is_empty() {
                self.refresh_token = other.refresh_token;
            }
        }
        let expiry = |s: &Option<Credentials>| s.as_ref().and_then(Credentials::expiration);
        if expiry(&other.sts) > expiry(&self.sts) {
            self.sts = other.sts;
        }
    }
}

/// An integer field given as a JSON number or a numeric string.
pub(crate) fn unix_seconds(value: Option<&serde_json::Value>) -> Option<i64> {
    match value? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Not `Debug`.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

/// The exchange's answer: `AccessKeyId`, ... (also accepted in camel case). Not `Debug`.
#[derive(Deserialize)]
struct ExchangeAnswer {
    #[serde(rename = "AccessKeyId", alias = "accessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "AccessKeySecret", alias = "accessKeySecret")]
    access_key_secret: Option<String>,
    #[serde(rename = "SecurityToken", alias = "securityToken")]
    security_token: Option<String>,
    #[serde(rename = "Expiration", alias = "expiration")]
    expiration: Option<String>,
}

impl OAuthProvider {
    pub(crate) fn new(
        endpoint: String,
        client_id: &'static str,
        config_path: PathBuf,
        profile_name: String,
        profile: &Profile,
        provider_name: &'static str,
    ) -> Self {
        Self {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            client_id,
            config_path,
            profile: profile_name,
            provider_name,
            state: Mutex::new(State::from_profile(profile)),
            cache: CredentialsCache::default(),
        }
    }

    fn sign_in(&self) -> String {
        format!(
            "sign in again with `aliyun configure --profile {} --mode OAuth`",
            self.profile
        )
    }

    fn state(&self) -> State {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_state(&self, state: State) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = state;
    }

    /// What the file holds now for this profile, if it can be read.
    fn reread(&self) -> Option<State> {
        let config = cli_config::load(&self.config_path).ok()?;
        let profile = config.profile(&self.profile)?;
        (profile.mode.as_deref() == Some("OAuth")).then(|| State::from_profile(profile))
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let mut state = self.state();
        if let Some(on_disk) = self.reread() {
            state.merge_newer(on_disk);
        }
        let now = now_seconds();
        if let Some(sts) = &state.sts {
            let left = sts
                .expiration()
                .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs() as i64 - now);
            if left > STORED_STS_MARGIN {
                let credentials = sts.clone().with_provider(self.provider_name);
                self.set_state(state);
                return Ok(credentials);
            }
        }
        if state.access_token.is_empty() || state.access_token_expire - now <= ACCESS_TOKEN_MARGIN {
            if state.refresh_token.is_empty() {
                return Err(Error::credentials(format!(
                    "OAuth profile {:?} has no usable access token and no refresh token; {}",
                    self.profile,
                    self.sign_in()
                )));
            }
            self.refresh(&mut state).await?;
            // Keep the new tokens even if the exchange fails.
            self.set_state(state.clone());
        }
        let credentials = self.exchange(&state.access_token).await?;
        state.sts = Some(credentials.clone());
        self.set_state(state.clone());
        self.write_back(&state, &credentials).await;
        Ok(credentials)
    }

    async fn refresh(&self, state: &mut State) -> Result<(), Error> {
        let url = format!("{}/v1/token", self.endpoint);
        let failed = |reason: String| {
            Error::credentials(format!(
                "refreshing the OAuth access token of profile {:?} (POST {}): {reason}",
                self.profile,
                http::redact(&url)
            ))
        };
        let now = SystemTime::now();
        let timestamp = expiration::format(now);
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", state.refresh_token.as_str()),
            ("client_id", self.client_id),
            ("Timestamp", timestamp.as_str()),
        ];
        let response = http::client(TIMEOUTS, false)?
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|e| failed(http::describe(e)))?;
        let body = http::success_body(response, |status| {
            matches!(status, 400 | 401)
                .then(|| format!("the refresh token was refused; {}", self.sign_in()))
        })
        .await
        .map_err(failed)?;
        let answer: TokenAnswer = http::parse_json(&body, "a token answer").map_err(failed)?;
        let access_token = answer
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| failed("the response has no access_token".to_owned()))?;
        let refresh_token = answer
            .refresh_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| failed("the response has no refresh_token".to_owned()))?;
        let issued = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        state.access_token = access_token;
        state.refresh_token = refresh_token;
        state.access_token_expire = issued + answer.expires_in.unwrap_or(DEFAULT_EXPIRES_IN);
        Ok(())
    }

    async fn exchange(&self, access_token: &str) -> Result<Credentials, Error> {
        let url = format!("{}/v1/exchange", self.endpoint);
        let failed = |reason: String| {
            Error::credentials(format!(
                "exchanging the OAuth access token of profile {:?} (POST {}): {reason}",
                self.profile,
                http::redact(&url)
            ))
        };
        let response = http::client(TIMEOUTS, false)?
            .post(&url)
            .header("content-type", "application/json")
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| failed(http::describe(e)))?;
        let body = http::success_body(response, |status| {
            (status == 401).then(|| format!("the access token was refused; {}", self.sign_in()))
        })
        .await
        .map_err(failed)?;
        if body_has_error(&body) {
            return Err(failed(format!(
                "the exchange was refused{}",
                http::error_summary(&body)
            )));
        }
        let answer: ExchangeAnswer =
            http::parse_json(&body, "an exchange answer").map_err(failed)?;
        let field = |value: Option<String>, name: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| failed(format!("the response has no {name}")))
        };
        let access_key_id = field(answer.access_key_id, "AccessKeyId")?;
        let access_key_secret = field(answer.access_key_secret, "AccessKeySecret")?;
        let security_token = field(answer.security_token, "SecurityToken")?;
        let expiration = expiration::parse(&field(answer.expiration, "Expiration")?)
            .and_then(|at| expiration::ensure_unexpired(at, SystemTime::now()).map(|()| at))
            .map_err(failed)?;
        Ok(Credentials::new(access_key_id, access_key_secret)
            .with_security_token(security_token)
            .with_expiration(expiration)
            .with_provider(self.provider_name))
    }

    /// Writes the tokens and credentials back into the profile; a failure is logged.
    async fn write_back(&self, state: &State, credentials: &Credentials) {
        let sts_expiration = credentials
            .expiration()
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        let fields = vec![
            (
                "oauth_refresh_token",
                OrderedJson::from(state.refresh_token.as_str()),
            ),
            (
                "oauth_access_token",
                OrderedJson::from(state.access_token.as_str()),
            ),
            (
                "oauth_access_token_expire",
                OrderedJson::from(state.access_token_expire),
            ),
            (
                "access_key_id",
                OrderedJson::from(credentials.access_key_id()),
            ),
            (
                "access_key_secret",
                OrderedJson::from(credentials.access_key_secret()),
            ),
            (
                "sts_token",
                OrderedJson::from(credentials.security_token().unwrap_or_default()),
            ),
            ("sts_expiration", OrderedJson::from(sts_expiration)),
        ];
        if let Err(error) =
            cli_config::update_profile(&self.config_path, &self.profile, fields).await
        {
            tracing::warn!(
                profile = %self.profile,
                %error,
                "the refreshed OAuth tokens could not be written back to the CLI configuration"
            );
        }
    }
}

/// Whether a JSON answer carries an `error` member (the OAuth way of refusing).
fn body_has_error(body: &[u8]) -> bool {
    matches!(
        serde_json::from_slice::<serde_json::Value>(body),
        Ok(serde_json::Value::Object(members)) if members.contains_key("error")
    )
}

impl fmt::Debug for OAuthProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthProvider")
            .field("endpoint", &http::redact(&self.endpoint))
            .field("client_id", &self.client_id)
            .field("config_path", &self.config_path)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for OAuthProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

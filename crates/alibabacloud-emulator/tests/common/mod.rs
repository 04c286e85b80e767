//! Shared by the emulator's test targets: hand-signed requests (through
//! `alibabacloud_core::signing::sign` and reqwest) whose every part a test can change, and
//! configs for the generated clients.

#![allow(dead_code)] // each test target uses a different part of this module

use std::time::{Duration, SystemTime};

use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::signing::{self, Body, SigningInput, encode};
use alibabacloud_core::{Config, ConfigBuilder, SignatureVersion};
use alibabacloud_emulator::RunningEmulator;
use serde_json::Value;

pub const CAS2020: &str = "2020-04-07";
pub const CAS2018: &str = "2018-07-13";
pub const BSS: &str = "2017-12-14";
pub const STS: &str = "2015-04-01";

/// Every call in these tests gives up after this long.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A client config for the generated clients: the emulator's endpoint and key, no retries.
pub fn config(emulator: &RunningEmulator) -> ConfigBuilder {
    Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .retry_policy(RetryPolicy::disabled())
        .read_timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
}

/// One hand-built request.
#[derive(Clone, Debug)]
pub struct Call {
    /// `None`: unsigned.
    pub signature: Option<SignatureVersion>,
    pub method: String,
    pub action: String,
    pub version: String,
    pub query: Vec<(String, String)>,
    pub form: Option<Vec<(String, String)>>,
    pub access_key_id: String,
    pub secret: String,
    pub token: Option<String>,
    pub nonce: String,
    pub timestamp: String,
    /// Appended to the URL query after signing.
    pub tamper_query: Option<(String, String)>,
    /// Sent instead of the signed body.
    pub tamper_body: Option<Vec<u8>>,
}

/// What came back.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub request_id_header: Option<String>,
    /// What the client signed.
    pub string_to_sign: String,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or_default()
    }

    pub fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or_default()
    }
}

impl Call {
    /// A V3-signed POST with the emulator's key, a fresh nonce and the current time.
    pub fn new(emulator: &RunningEmulator, action: &str, version: &str) -> Self {
        let credentials = emulator.credentials();
        Self {
            signature: Some(SignatureVersion::V3),
            method: "POST".to_owned(),
            action: action.to_owned(),
            version: version.to_owned(),
            query: Vec::new(),
            form: None,
            access_key_id: credentials.access_key_id().to_owned(),
            secret: credentials.access_key_secret().to_owned(),
            token: None,
            nonce: signing::new_nonce(),
            timestamp: signing::timestamp(SystemTime::now()),
            tamper_query: None,
            tamper_body: None,
        }
    }

    pub fn v1(mut self) -> Self {
        self.signature = Some(SignatureVersion::V1);
        self
    }

    pub fn unsigned(mut self) -> Self {
        self.signature = None;
        self
    }

    pub fn get(mut self) -> Self {
        self.method = "GET".to_owned();
        self
    }

    pub fn param(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn form(mut self, key: &str, value: &str) -> Self {
        self.form
            .get_or_insert_with(Vec::new)
            .push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn key(mut self, id: &str, secret: &str) -> Self {
        self.access_key_id = id.to_owned();
        self.secret = secret.to_owned();
        self
    }

    pub fn secret(mut self, secret: &str) -> Self {
        self.secret = secret.to_owned();
        self
    }

    pub fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }

    pub fn nonce(mut self, nonce: &str) -> Self {
        self.nonce = nonce.to_owned();
        self
    }

    pub fn at(mut self, time: SystemTime) -> Self {
        self.timestamp = signing::timestamp(time);
        self
    }

    pub fn timestamp(mut self, timestamp: &str) -> Self {
        self.timestamp = timestamp.to_owned();
        self
    }

    pub fn tamper_query(mut self, key: &str, value: &str) -> Self {
        self.tamper_query = Some((key.to_owned(), value.to_owned()));
        self
    }

    pub fn tamper_body(mut self, body: &[u8]) -> Self {
        self.tamper_body = Some(body.to_vec());
        self
    }

    /// Signs and sends; panics on a transport error.
    pub async fn send(&self, emulator: &RunningEmulator) -> Reply {
        self.try_send(emulator).await.expect("an HTTP answer")
    }

    /// Signs and sends.
    pub async fn try_send(&self, emulator: &RunningEmulator) -> Result<Reply, reqwest::Error> {
        self.try_send_to(&emulator.endpoint()).await
    }

    /// Signs and sends to an emulator at `endpoint` (`http://127.0.0.1:PORT`); panics on a
    /// transport error.
    pub async fn send_to(&self, endpoint: &str) -> Reply {
        self.try_send_to(endpoint).await.expect("an HTTP answer")
    }

    /// Signs and sends to an emulator at `endpoint` (`http://127.0.0.1:PORT`).
    pub async fn try_send_to(&self, endpoint: &str) -> Result<Reply, reqwest::Error> {
        let host = endpoint.trim_start_matches("http://").to_owned();
        let body = self.form.clone().map(Body::form);
        let input = SigningInput {
            method: &self.method,
            host: &host,
            path: "/",
            action: &self.action,
            version: &self.version,
            query: &self.query,
            body: body.as_ref(),
            access_key_id: &self.access_key_id,
            access_key_secret: &self.secret,
            security_token: self.token.as_deref(),
            nonce: &self.nonce,
            timestamp: &self.timestamp,
            extra_headers: &[("user-agent", "emulator-tests")],
        };
        let signed = match self.signature {
            Some(version) => signing::sign(version, &input),
            None => signing::unsigned(SignatureVersion::V1, &input),
        };
        let mut query = signed.query.to_vec();
        query.extend(self.tamper_query.clone());
        let mut url = format!("{endpoint}/");
        if !query.is_empty() {
            url.push('?');
            url.push_str(&encode::query_string(&query));
        }
        let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("method");
        let mut request = client.request(method, url);
        for (name, value) in &signed.headers {
            request = request.header(name.as_ref(), value.as_ref());
        }
        if let Some(bytes) = self
            .tamper_body
            .clone()
            .or(body.as_ref().map(|b| b.bytes.clone()))
        {
            request = request.body(bytes);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let request_id_header = response
            .headers()
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await?;
        Ok(Reply {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            request_id_header,
            string_to_sign: signed.string_to_sign,
        })
    }
}

//! A loopback fake HTTP server that records requests and answers from a closure, plus
//! helpers shared by the provider tests.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use alibabacloud_core::signing;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first query value named `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The header `name`, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    /// Extra response headers.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn ok(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A server on `127.0.0.1:<free port>`, stopped when dropped.
pub struct FakeServer {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorder = requests.clone();
        let app = Router::new().fallback(move |request: Request| {
            let handler = handler.clone();
            let recorder = recorder.clone();
            async move {
                let uri = request.uri().clone();
                let url = reqwest::Url::parse(&format!("http://fake{uri}")).unwrap();
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20)
                    .await
                    .unwrap_or_default();
                let recorded = Recorded {
                    method: parts.method.to_string(),
                    path: uri.path().to_owned(),
                    query: url.query_pairs().into_owned().collect(),
                    headers: parts.headers,
                    body: body.to_vec(),
                };
                recorder.lock().unwrap().push(recorded.clone());
                let reply = handler(&recorded);
                if !reply.delay.is_zero() {
                    tokio::time::sleep(reply.delay).await;
                }
                let mut response = Response::builder()
                    .status(StatusCode::from_u16(reply.status).unwrap())
                    .header("content-type", "application/json");
                for (name, value) in &reply.headers {
                    response = response.header(name.as_str(), value.as_str());
                }
                response.body(Body::from(reply.body)).unwrap()
            }
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url,
            requests,
            task,
        }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests had this path.
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A base URL on which nothing listens (connections are refused at once).
pub async fn closed_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// `%Y-%m-%dT%H:%M:%SZ` of now + `offset` seconds (negative for the past).
pub fn expiration_in(offset: i64) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let t = time::OffsetDateTime::from_unix_timestamp(now + offset).unwrap();
    t.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap()
}

/// Lifetime, in seconds, of credentials that a test wants refreshed soon: they are stale
/// after at most [`SHORT_LIVED_STALE`] (half their lifetime), yet never expired on arrival.
pub const SHORT_LIVED: i64 = 3;

/// How long a test waits for [`SHORT_LIVED`] credentials to become stale.
pub const SHORT_LIVED_STALE: std::time::Duration = std::time::Duration::from_millis(1600);

/// The metadata / credentials-URI document.
pub fn document(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": secret,
        "SecurityToken": token,
        "Expiration": expiration,
        "LastUpdated": expiration_in(0),
    })
    .to_string()
}

/// An STS `AssumeRole` / `AssumeRoleWithOIDC` response.
pub fn sts_response(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    serde_json::json!({
        "RequestId": "REQ-1",
        "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "1:s"},
        "Credentials": {
            "AccessKeyId": id,
            "AccessKeySecret": secret,
            "SecurityToken": token,
            "Expiration": expiration,
        },
    })
    .to_string()
}

/// An environment map with `HOME` set to `home`.
pub fn env_with_home(home: &Path, vars: &[(&str, &str)]) -> alibabacloud_credentials::Env {
    let mut map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    map.insert("HOME".into(), home.display().to_string());
    alibabacloud_credentials::Env::from_vars(map)
}

/// Writes `text` to `home/relative`, creating directories.
pub fn write(home: &Path, relative: &str, text: &str) -> std::path::PathBuf {
    let path = home.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// A fake STS answering every request with credentials `STS.sts-<n>` expiring
/// `expires_in` seconds from now.
pub async fn sts_server(expires_in: i64) -> FakeServer {
    let served = std::sync::atomic::AtomicUsize::new(0);
    FakeServer::start(move |_| {
        let n = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        Reply::ok(sts_response(
            &format!("STS.sts-{n}"),
            "sts-secret",
            "sts-token",
            &expiration_in(expires_in),
        ))
    })
    .await
}

/// Asserts the request is an unsigned `AssumeRoleWithOIDC` carrying `token`.
pub fn assert_unsigned_oidc(request: &Recorded, token: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.param("Action"), Some("AssumeRoleWithOIDC"));
    assert_eq!(request.param("Version"), Some("2015-04-01"));
    assert_eq!(request.param("OIDCToken"), Some(token));
    for signed in [
        "Signature",
        "AccessKeyId",
        "SignatureMethod",
        "SecurityToken",
    ] {
        assert_eq!(request.param(signed), None, "{signed} must not be sent");
    }
    assert_eq!(request.header("authorization"), None);
}

/// Asserts the request is an `AssumeRole` V1-signed with `access_key_id` / `secret`: the
/// signature is recomputed over the received query.
pub fn assert_v1_signed_assume_role(request: &Recorded, access_key_id: &str, secret: &str) {
    assert_eq!(request.param("Action"), Some("AssumeRole"));
    assert_eq!(request.param("AccessKeyId"), Some(access_key_id));
    assert_eq!(request.param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(request.param("SignatureVersion"), Some("1.0"));
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_ascii_lowercase(), value)
        })
        .collect();
    let received = signing::Received {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: &headers,
        body: &request.body,
    };
    let verified = signing::verify(&received, secret).expect("the V1 signature verifies");
    assert_eq!(verified.version, alibabacloud_core::SignatureVersion::V1);
    assert!(
        signing::verify(&received, "another-secret").is_err(),
        "and only with its secret"
    );
}

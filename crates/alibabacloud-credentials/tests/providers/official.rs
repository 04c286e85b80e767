//! This crate reads each sample `config.json` of `tests/official/cases.json` as the official
//! Python credentials library does: same credentials (or an error where it fails), same
//! requests (normalized), same profile written back after an OAuth refresh.
//!
//! `tests/official/observed.json` is what the official library did, recorded by
//! `scripts/official-credentials/run.sh --write` (which installs the pinned library from PyPI
//! and intercepts its requests); `run.sh` alone checks that the recording is still true.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use alibabacloud_credentials::{CliProfileProvider, Env, ProvideCredentials};
use serde_json::{Value, json};

use crate::common::{FakeServer, Recorded, Reply};

const CASES: &str = include_str!("../official/cases.json");
const OBSERVED: &str = include_str!("../official/observed.json");

/// The STS parameters compared (the rest are per-request values or transport details).
const STS_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "RoleArn",
    "RoleSessionName",
    "DurationSeconds",
    "Policy",
    "ExternalId",
    "AccessKeyId",
    "SecurityToken",
    "OIDCProviderArn",
    "OIDCToken",
    "SignatureMethod",
    "SignatureVersion",
];
/// Parameters whose value changes at every request: only their presence is compared.
const VOLATILE: &[&str] = &["Timestamp", "SignatureNonce", "Signature"];
const HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "accept",
    "x-aliyun-ecs-metadata-token",
    "x-aliyun-ecs-metadata-token-ttl-seconds",
];

/// Which canned answer a request gets (as `route` in resolve.py).
fn route(path: &str) -> Option<&'static str> {
    Some(match path {
        "" | "/" => "sts",
        "/cloud-credentials" => "cloud_sso",
        "/v1/token" => "oauth_token",
        "/v1/exchange" => "oauth_exchange",
        "/latest/api/token" => "imds_token",
        "/latest/meta-data/ram/security-credentials/" => "imds_roles",
        p if p.starts_with("/latest/meta-data/ram/security-credentials/") => "imds_credentials",
        _ => return None,
    })
}

fn answer(answers: &Value, name: &str, n: usize) -> String {
    let value = &answers[name];
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.replace("{n}", &n.to_string())
}

/// A request as the comparison sees it (as `normalize` in resolve.py).
fn normalize(request: &Recorded) -> Value {
    let kind = route(&request.path);
    let content_type = request
        .header("content-type")
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let mut params: BTreeMap<String, String> = request.query.iter().cloned().collect();
    if content_type == "application/x-www-form-urlencoded" && !request.body.is_empty() {
        let body = String::from_utf8_lossy(&request.body);
        let url = reqwest::Url::parse(&format!("http://x/?{body}")).unwrap();
        params.extend(url.query_pairs().into_owned());
    }
    if kind == Some("sts") {
        params.retain(|k, _| STS_PARAMS.contains(&k.as_str()) || VOLATILE.contains(&k.as_str()));
        // Transport details, not behaviour: the format's case, and a nonce on an unsigned
        // request (AssumeRoleWithOIDC).
        if let Some(format) = params.get_mut("Format") {
            *format = format.to_uppercase();
        }
        if !params.contains_key("Signature") {
            params.remove("SignatureNonce");
        }
    }
    let params: serde_json::Map<String, Value> = params
        .into_iter()
        .map(|(k, v)| {
            let v = if VOLATILE.contains(&k.as_str()) {
                "<set>".to_owned()
            } else {
                v
            };
            (k, Value::String(v))
        })
        .collect();
    let headers: serde_json::Map<String, Value> = HEADERS
        .iter()
        .filter_map(|h| {
            let value = request.header(h)?;
            // A catch-all Accept (an HTTP client's default) says nothing.
            if *h == "accept" && value == "*/*" {
                return None;
            }
            let value = if *h == "content-type" {
                value.split(';').next().unwrap_or_default().trim()
            } else {
                value
            };
            Some((h.to_string(), Value::String(value.to_owned())))
        })
        .collect();
    let body = (content_type == "application/json" && !request.body.is_empty())
        .then(|| serde_json::from_slice::<Value>(&request.body).unwrap());
    let mut record =
        json!({"route": kind, "path": if request.path.is_empty() { "/" } else { &request.path }});
    if kind != Some("sts") {
        // STS is called with GET by the Python library and POST by this crate: both work.
        record["method"] = Value::String(request.method.to_uppercase());
    }
    record["params"] = Value::Object(params);
    record["headers"] = Value::Object(headers);
    record["json"] = body.unwrap_or(Value::Null);
    record
}

/// The distinct requests, in first-seen order (the official library asks the metadata
/// service for a token before each request; this crate once per refresh).
fn distinct(requests: &[Value]) -> Vec<Value> {
    let mut seen = Vec::new();
    for request in requests {
        if !seen.contains(request) {
            seen.push(request.clone());
        }
    }
    seen
}

/// A written-back profile, in the file's key order, its token expiry relative to now (as
/// `normalize_written` in resolve.py).
fn normalize_written(members: Vec<(String, Value)>, now: i64) -> Value {
    let items = members
        .into_iter()
        .map(|(key, value)| {
            let value = match (key.as_str(), value.as_i64()) {
                ("oauth_access_token_expire", Some(at))
                    if at > 1_700_000_000 && at < 4_000_000_000 =>
                {
                    let minutes = ((at - now) as f64 / 60.0).round() as i64;
                    Value::String(format!("now+{}", minutes * 60))
                }
                _ => value,
            };
            json!([key, value])
        })
        .collect();
    Value::Array(items)
}

/// The members of a JSON object text, in their order in the text.
fn ordered_members(text: &str) -> Vec<(String, Value)> {
    struct Ordered(Vec<(String, Value)>);
    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> serde::de::Visitor<'de> for Visit {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Ordered, A::Error> {
                    let mut members = Vec::new();
                    while let Some(entry) = map.next_entry::<String, Value>()? {
                        members.push(entry);
                    }
                    Ok(Ordered(members))
                }
            }
            d.deserialize_map(Visit)
        }
    }
    serde_json::from_str::<Ordered>(text).unwrap().0
}

/// The text of the profile named `name` in the file's text (`serde_json::Value` would sort
/// its keys).
fn profile_text(file: &str, name: &str) -> String {
    let marker = format!("\"name\": \"{name}\"");
    let at = file.find(&marker).unwrap();
    let start = file[..at].rfind('{').unwrap();
    let mut depth = 0;
    for (offset, c) in file[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return file[start..start + offset + 1].to_owned();
                }
            }
            _ => {}
        }
    }
    panic!("unterminated profile {name}");
}

#[tokio::test]
async fn each_mode_resolves_as_the_official_python_library_does() {
    let cases: Value = serde_json::from_str(CASES).unwrap();
    let observed: Value = serde_json::from_str(OBSERVED).unwrap();
    let mut differences = Vec::new();
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let profile = case["profile"].as_str().unwrap();
        let expected = &observed["cases"][name];
        assert!(expected.is_object(), "{name}: not in observed.json");

        let counts = Mutex::new(BTreeMap::<&'static str, usize>::new());
        let answers = cases["answers"].clone();
        let server = FakeServer::start(move |request| match route(&request.path) {
            Some(kind) => {
                let mut counts = counts.lock().unwrap();
                let n = counts.entry(kind).or_default();
                *n += 1;
                Reply::ok(answer(&answers, kind, *n))
            }
            None => Reply::status(404, "{}"),
        })
        .await;

        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().display().to_string();
        for (file, content) in cases["files"].as_object().unwrap() {
            std::fs::write(scratch.path().join(file), content.as_str().unwrap()).unwrap();
        }
        let text = match case.get("config_text") {
            Some(text) => text.as_str().unwrap().to_owned(),
            None => serde_json::to_string_pretty(&cases["config"])
                .unwrap()
                .replace("{dir}", &dir)
                .replace("{portal}", &server.base_url),
        };
        let path = scratch.path().join("config.json");
        std::fs::write(&path, text).unwrap();
        let env = Env::from_vars([
            ("HOME", dir.as_str()),
            ("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap()),
            ("ALIBABA_CLOUD_PROFILE", profile),
        ]);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let provider = CliProfileProvider::new()
            .with_env(env)
            .with_sts_endpoint(&server.base_url)
            .with_imds_endpoint(&server.base_url)
            .with_oauth_endpoint(&server.base_url);
        let mut ours = serde_json::Map::new();
        match provider.provide_credentials().await {
            Ok(credentials) => {
                ours.insert(
                    "credentials".into(),
                    json!({"access_key_id": credentials.access_key_id(),
                           "access_key_secret": credentials.access_key_secret(),
                           "security_token": credentials.security_token()}),
                );
            }
            Err(error) => {
                ours.insert("error".into(), Value::String(error.to_string()));
            }
        }
        let requests: Vec<Value> = server.requests().iter().map(normalize).collect();

        // Credentials: the same, or both an error.
        match (expected.get("credentials"), ours.get("credentials")) {
            (Some(theirs), Some(mine)) if theirs == mine => {}
            (None, None) => {}
            (theirs, _) => differences.push(format!(
                "{name}: official {} / ours {}",
                theirs.map_or_else(|| expected["error"].to_string(), Value::to_string),
                Value::Object(ours.clone())
            )),
        }
        let theirs = distinct(expected["requests"].as_array().unwrap());
        let mine = distinct(&requests);
        if theirs != mine {
            differences.push(format!(
                "{name}: requests differ\n  official: {}\n  ours:     {}",
                Value::Array(theirs),
                Value::Array(mine)
            ));
        }
        if case["compare_written"] == true {
            let file = std::fs::read_to_string(&path).unwrap();
            let written = normalize_written(ordered_members(&profile_text(&file, profile)), now);
            if written != expected["written"] {
                differences.push(format!(
                    "{name}: written profile differs\n  official: {}\n  ours:     {}",
                    expected["written"], written
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} difference(s) from the official library:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

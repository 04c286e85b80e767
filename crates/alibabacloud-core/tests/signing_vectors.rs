//! Byte-for-byte checks of the signing module against vectors produced by running the official
//! Alibaba Cloud Python SDK (alibabacloud-tea-openapi 0.4.6) with a pinned nonce, timestamp and
//! user-agent. See `tests/vectors/{v1,v3}.json`.
//!
//! Every stage of every vector is compared; all mismatches are collected and reported together
//! as `[file/vector] stage: got … want …`.

use std::collections::BTreeMap;
use std::fmt::Debug;

use alibabacloud_core::signing::{self, Body, SignatureVersion, SigningInput, encode, v1, v3};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;

type Pairs = Vec<(String, String)>;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// Collects stage comparisons; panics at the end listing every failure.
struct Checker {
    file: &'static str,
    checks: usize,
    vectors: usize,
    failures: Vec<String>,
}

impl Checker {
    fn new(file: &'static str) -> Self {
        Checker {
            file,
            checks: 0,
            vectors: 0,
            failures: Vec::new(),
        }
    }

    fn eq<T: PartialEq + Debug + ?Sized>(&mut self, vector: &str, stage: &str, got: &T, want: &T) {
        self.checks += 1;
        if got != want {
            self.failures.push(format!(
                "[{}/{vector}] stage `{stage}` differs:\n    got:  {got:?}\n    want: {want:?}",
                self.file
            ));
        }
    }

    fn finish(self) {
        println!(
            "{}: {} vectors, {} stage checks, {} failures",
            self.file,
            self.vectors,
            self.checks,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} signing stage mismatch(es) in {}:\n{}",
            self.failures.len(),
            self.file,
            self.failures.join("\n")
        );
    }
}

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"));
    doc["vectors"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: no `vectors` array"))
        .clone()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or("<no id>").to_owned()
}

/// The string at `v[key]`; panics naming the vector and key.
fn s<'a>(v: &'a Value, key: &str, vector: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("[{vector}] `{key}` is not a string: {:?}", v[key]))
}

fn opt_s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// `[[k, v], …]` → pairs (null → empty list).
fn pairs(v: &Value, vector: &str) -> Pairs {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .map(|p| {
                let k = p[0]
                    .as_str()
                    .unwrap_or_else(|| panic!("[{vector}] bad pair {p}"));
                let v = p[1]
                    .as_str()
                    .unwrap_or_else(|| panic!("[{vector}] bad pair {p}"));
                (k.to_owned(), v.to_owned())
            })
            .collect(),
        other => panic!("[{vector}] expected a list of pairs, got {other}"),
    }
}

/// A JSON object of strings → pairs (map order; only used where order does not matter).
fn object_pairs(v: &Value, vector: &str) -> Pairs {
    v.as_object()
        .unwrap_or_else(|| panic!("[{vector}] expected an object, got {v}"))
        .iter()
        .map(|(k, v)| (k.clone(), scalar(v)))
        .collect()
}

/// A scalar as the Python SDK stringifies it.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

/// Header map with lowercased names.
fn header_map(pairs: &[(String, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn pick_headers(headers: &Value, names: &[&str], vector: &str) -> Pairs {
    names
        .iter()
        .map(|n| ((*n).to_owned(), s(headers, n, vector).to_owned()))
        .collect()
}

/// The raw query string of a URL (after `?`).
fn raw_query(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, q)| q)
}

/// Decodes a `quote_plus`-style query string (`+` = space) into pairs, in order.
fn decode_query(q: &str) -> Pairs {
    if q.is_empty() {
        return Vec::new();
    }
    let dec = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .unwrap_or_else(|e| panic!("bad utf-8 in {s}: {e}"))
            .into_owned()
    };
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (dec(k), dec(v))
        })
        .collect()
}

fn p(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

fn hmac_sha1_b64(key: &[u8], msg: &[u8]) -> String {
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(key).expect("hmac key");
    mac.update(msg);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

// ---------------------------------------------------------------------------------------------
// V3
// ---------------------------------------------------------------------------------------------

#[test]
fn v3_vectors_every_stage() {
    let vectors = load("v3.json");
    let mut c = Checker::new("v3.json");
    let (mut sdk, mut doc) = (0, 0);
    for vector in &vectors {
        c.vectors += 1;
        let vid = id(vector);
        if vid.starts_with("doc_example_") {
            doc += 1;
            check_v3_doc(&mut c, &vid, vector);
        } else {
            sdk += 1;
            check_v3_sdk(&mut c, &vid, vector);
        }
    }
    assert!(
        sdk >= 7 && doc >= 1,
        "unexpected vector set: {sdk} sdk + {doc} doc"
    );
    c.finish();
}

fn check_v3_low_level(c: &mut Checker, vid: &str, input: &Value, out: &Value) -> v3::V3Signature {
    let body = opt_s(input, "body").unwrap_or("");
    let headers_before = &input["headers_before_signing"];
    let headers = object_pairs(headers_before, vid);
    let query = pairs(&input["query_params"], vid);

    let hashed = v3::hash_payload(body.as_bytes());
    if let Some(want) = opt_s(out, "hashed_payload") {
        c.eq(vid, "hashed_payload", hashed.as_str(), want);
    }
    c.eq(
        vid,
        "hashed_payload == headers_before_signing[x-acs-content-sha256]",
        hashed.as_str(),
        s(headers_before, "x-acs-content-sha256", vid),
    );

    let sig = v3::sign(
        &v3::CanonicalInput {
            method: s(input, "method", vid),
            path: s(input, "pathname", vid),
            query: &query,
            headers: &headers,
            hashed_payload: &hashed,
        },
        s(input, "access_key_id", vid),
        s(input, "access_key_secret", vid),
    );
    c.eq(
        vid,
        "canonical_request",
        sig.canonical_request.as_str(),
        s(out, "canonical_request", vid),
    );
    c.eq(
        vid,
        "hashed_canonical_request",
        sig.hashed_canonical_request.as_str(),
        s(out, "hashed_canonical_request", vid),
    );
    c.eq(
        vid,
        "string_to_sign",
        sig.string_to_sign.as_str(),
        s(out, "string_to_sign", vid),
    );
    let want_signed_headers = match opt_s(out, "signed_headers") {
        Some(sh) => sh.to_owned(),
        // The doc example only gives the Authorization header; take SignedHeaders from it.
        None => s(out, "authorization", vid)
            .split_once("SignedHeaders=")
            .and_then(|(_, rest)| rest.split_once(','))
            .map(|(sh, _)| sh.to_owned())
            .unwrap_or_default(),
    };
    c.eq(
        vid,
        "signed_headers",
        sig.signed_headers.as_str(),
        want_signed_headers.as_str(),
    );
    c.eq(
        vid,
        "signature",
        sig.signature.as_str(),
        s(out, "signature", vid),
    );
    c.eq(
        vid,
        "authorization",
        sig.authorization.as_str(),
        s(out, "authorization", vid),
    );
    sig
}

fn check_v3_doc(c: &mut Checker, vid: &str, vector: &Value) {
    let (input, out) = (&vector["inputs"], &vector["outputs"]);
    let sig = check_v3_low_level(c, vid, input, out);
    c.eq(
        vid,
        "doc_expected_hashed_canonical_request",
        sig.hashed_canonical_request.as_str(),
        s(out, "doc_expected_hashed_canonical_request", vid),
    );
    c.eq(
        vid,
        "doc_expected_signature",
        sig.signature.as_str(),
        s(out, "doc_expected_signature", vid),
    );
}

fn check_v3_sdk(c: &mut Checker, vid: &str, vector: &Value) {
    let (input, out) = (&vector["inputs"], &vector["outputs"]);
    check_v3_low_level(c, vid, input, out);

    // ---- the same request through signing::sign(V3, …) ----
    let headers_before = &input["headers_before_signing"];
    let wire = &out["wire"];
    let extra = pick_headers(
        headers_before,
        &["user-agent", "x-acs-credentials-provider"],
        vid,
    );
    let query = pairs(&input["query_params"], vid);
    let body = opt_s(input, "body").map(|bytes| {
        let content_type = s(headers_before, "content-type", vid);
        let params = object_pairs(&input["logical_params"]["body"], vid);
        let body = if content_type.starts_with("application/json") {
            Body::json(params, bytes.as_bytes().to_vec())
        } else {
            Body::form(params)
        };
        c.eq(
            vid,
            "body content-type",
            body.content_type.as_str(),
            content_type,
        );
        c.eq(
            vid,
            "wire body bytes",
            body.bytes.as_slice(),
            bytes.as_bytes(),
        );
        c.eq(
            vid,
            "wire body == inputs.body",
            &opt_s(wire, "body"),
            &Some(bytes),
        );
        body
    });
    let signed = signing::sign(
        SignatureVersion::V3,
        &SigningInput {
            method: s(input, "method", vid),
            host: s(input, "host", vid),
            path: s(input, "pathname", vid),
            action: s(input, "action", vid),
            version: s(input, "version", vid),
            query: &query,
            body: body.as_ref(),
            access_key_id: s(input, "access_key_id", vid),
            access_key_secret: s(input, "access_key_secret", vid),
            security_token: opt_s(input, "security_token"),
            nonce: s(input, "signature_nonce", vid),
            timestamp: s(input, "x_acs_date", vid),
            extra_headers: &extra,
        },
    );
    c.eq(
        vid,
        "sign(V3).canonical_request",
        &signed.canonical_request.as_deref(),
        &Some(s(out, "canonical_request", vid)),
    );
    c.eq(
        vid,
        "sign(V3).string_to_sign",
        signed.string_to_sign.as_str(),
        s(out, "string_to_sign", vid),
    );

    let ours = header_map(&signed.headers);
    c.eq(
        vid,
        "sign(V3) header names unique",
        &ours.len(),
        &signed.headers.len(),
    );
    c.eq(
        vid,
        "sign(V3) header names lowercase",
        &true,
        &signed
            .headers
            .iter()
            .all(|(n, _)| *n == n.to_ascii_lowercase()),
    );
    c.eq(
        vid,
        "sign(V3).headers == wire.headers_sdk",
        &ours,
        &header_map(&object_pairs(&wire["headers_sdk"], vid)),
    );

    check_wire_query(
        c,
        vid,
        "sign(V3)",
        &signed.query,
        &query,
        s(wire, "url", vid),
    );
    c.eq(
        vid,
        "sign(V3).query == inputs.query_params",
        &signed.query,
        &query,
    );
}

/// The wire query: ours equals `want`, the vector URL decodes to the same pairs in the same
/// order, and our encoded query string equals the URL's byte for byte up to `+` vs `%20`.
fn check_wire_query(c: &mut Checker, vid: &str, who: &str, ours: &Pairs, want: &Pairs, url: &str) {
    let raw = raw_query(url);
    c.eq(
        vid,
        &format!("{who} query == decoded wire.url query"),
        ours,
        &decode_query(raw),
    );
    c.eq(vid, &format!("{who} wire query order"), ours, want);
    let ours_encoded = encode::query_string(ours);
    c.eq(
        vid,
        &format!("{who} query_string == wire.url query (+ as %20)"),
        ours_encoded.as_str(),
        raw.replace('+', "%20").as_str(),
    );
    c.eq(
        vid,
        &format!("{who} query_string round-trips"),
        &decode_query(&ours_encoded),
        ours,
    );
}

// ---------------------------------------------------------------------------------------------
// V1
// ---------------------------------------------------------------------------------------------

#[test]
fn v1_vectors_every_stage() {
    let vectors = load("v1.json");
    let mut c = Checker::new("v1.json");
    let (mut sdk, mut doc) = (0, 0);
    for vector in &vectors {
        c.vectors += 1;
        let vid = id(vector);
        if vid.starts_with("doc_example_") {
            doc += 1;
            check_v1_doc(&mut c, &vid, vector);
        } else {
            sdk += 1;
            check_v1_sdk(&mut c, &vid, vector);
        }
    }
    assert!(
        sdk >= 7 && doc >= 1,
        "unexpected vector set: {sdk} sdk + {doc} doc"
    );
    c.finish();
}

fn check_v1_doc(c: &mut Checker, vid: &str, vector: &Value) {
    let (input, out) = (&vector["inputs"], &vector["outputs"]);
    let params = pairs(&input["params"], vid);
    let secret = s(input, "access_key_secret", vid);
    let sig = v1::sign(s(input, "method", vid), &params, secret);

    let mut want_sorted = params.clone();
    want_sorted.sort();
    c.eq(vid, "sorted_params", &sig.sorted_params, &want_sorted);
    c.eq(
        vid,
        "string_to_sign",
        sig.string_to_sign.as_str(),
        s(out, "string_to_sign", vid),
    );
    c.eq(
        vid,
        "doc_expected_string_to_sign",
        sig.string_to_sign.as_str(),
        s(out, "doc_expected_string_to_sign", vid),
    );
    c.eq(
        vid,
        "signature",
        sig.signature.as_str(),
        s(out, "signature", vid),
    );
    c.eq(
        vid,
        "doc_expected_signature",
        sig.signature.as_str(),
        s(out, "doc_expected_signature", vid),
    );
    c.eq(
        vid,
        "hmac key = secret + '&'",
        hmac_sha1_b64(
            v1::hmac_key(secret).as_bytes(),
            s(out, "string_to_sign", vid).as_bytes(),
        )
        .as_str(),
        s(out, "signature", vid),
    );

    // The doc's signed URL carries the same params plus Signature (in another order).
    let mut from_url = decode_query(raw_query(s(out, "doc_signed_url", vid)));
    from_url.sort();
    let mut want = params;
    want.push(p("Signature", &sig.signature));
    want.sort();
    c.eq(vid, "doc_signed_url params", &from_url, &want);
    // Signing is independent of input order and ignores a Signature param.
    let again = v1::sign(s(input, "method", vid), &want, secret);
    c.eq(
        vid,
        "order/Signature independence",
        again.signature.as_str(),
        sig.signature.as_str(),
    );
}

fn check_v1_sdk(c: &mut Checker, vid: &str, vector: &Value) {
    let (input, out) = (&vector["inputs"], &vector["outputs"]);
    let wire = &out["wire"];
    let method = s(input, "method", vid);
    let secret = s(input, "access_key_secret", vid);
    let token = opt_s(input, "security_token");
    let query = pairs(&input["query_params"], vid);
    let body_params = pairs(&input["body_params"], vid);

    // ---- low level: common params + operation query + body params, as the SDK merges them ----
    let mut params = vec![
        p("Action", s(input, "action", vid)),
        p("Format", "json"),
        p("Version", s(input, "version", vid)),
        p("Timestamp", s(input, "timestamp", vid)),
        p("SignatureNonce", s(input, "signature_nonce", vid)),
    ];
    params.extend(query.iter().cloned());
    if let Some(t) = token {
        params.push(p("SecurityToken", t));
    }
    params.push(p("SignatureMethod", "HMAC-SHA1"));
    params.push(p("SignatureVersion", "1.0"));
    params.push(p("AccessKeyId", s(input, "access_key_id", vid)));
    params.extend(body_params.iter().cloned());

    let sig = v1::sign(method, &params, secret);
    c.eq(
        vid,
        "signed_params_sorted",
        &sig.sorted_params,
        &pairs(&out["signed_params_sorted"], vid),
    );
    c.eq(
        vid,
        "string_to_sign",
        sig.string_to_sign.as_str(),
        s(out, "string_to_sign", vid),
    );
    c.eq(
        vid,
        "hmac_key",
        v1::hmac_key(secret).as_str(),
        s(out, "hmac_key", vid),
    );
    c.eq(
        vid,
        "HMAC-SHA1(hmac_key, string_to_sign)",
        hmac_sha1_b64(
            s(out, "hmac_key", vid).as_bytes(),
            s(out, "string_to_sign", vid).as_bytes(),
        )
        .as_str(),
        s(out, "signature", vid),
    );
    c.eq(
        vid,
        "signature",
        sig.signature.as_str(),
        s(out, "signature", vid),
    );

    // ---- the same request through signing::sign(V1, …) ----
    let extra = pick_headers(
        &wire["headers_sdk"],
        &["user-agent", "x-acs-credentials-provider"],
        vid,
    );
    let body = (!body_params.is_empty()).then(|| Body::form(body_params.clone()));
    if let Some(b) = &body {
        c.eq(
            vid,
            "form body bytes == wire.body",
            &Some(String::from_utf8_lossy(&b.bytes).as_ref()),
            &opt_s(wire, "body"),
        );
        c.eq(
            vid,
            "form content-type",
            &Some(b.content_type.as_str()),
            &opt_s(&wire["headers_sdk"], "content-type"),
        );
    } else {
        c.eq(vid, "no body", &wire["body"], &Value::Null);
    }
    let signed = signing::sign(
        SignatureVersion::V1,
        &SigningInput {
            method,
            host: s(input, "host", vid),
            path: s(input, "pathname", vid),
            action: s(input, "action", vid),
            version: s(input, "version", vid),
            query: &query,
            body: body.as_ref(),
            access_key_id: s(input, "access_key_id", vid),
            access_key_secret: secret,
            security_token: token,
            nonce: s(input, "signature_nonce", vid),
            timestamp: s(input, "timestamp", vid),
            extra_headers: &extra,
        },
    );
    let final_query = pairs(&out["final_query"], vid);
    c.eq(
        vid,
        "sign(V1).query == final_query (exact order)",
        &signed.query,
        &final_query,
    );
    c.eq(
        vid,
        "sign(V1).string_to_sign",
        signed.string_to_sign.as_str(),
        s(out, "string_to_sign", vid),
    );
    c.eq(
        vid,
        "sign(V1).canonical_request",
        &signed.canonical_request,
        &None,
    );
    let ours = header_map(&signed.headers);
    c.eq(
        vid,
        "sign(V1) header names unique",
        &ours.len(),
        &signed.headers.len(),
    );
    c.eq(
        vid,
        "sign(V1).headers == wire.headers_sdk",
        &ours,
        &header_map(&object_pairs(&wire["headers_sdk"], vid)),
    );
    check_wire_query(
        c,
        vid,
        "sign(V1)",
        &signed.query,
        &final_query,
        s(wire, "url", vid),
    );
}

//! Byte-for-byte checks of the signing module against vectors produced by running the official
//! Alibaba Cloud Python SDK (alibabacloud-tea-openapi 0.4.6) with a pinned nonce, timestamp and
//! user-agent. See `tests/vectors/{v1,v3}.json` (copies of the shared vectors) and
//! `tests/vectors/form_{v1,v3}.json` (form bodies with lists, objects and JSON-style
//! parameters, made by `tests/vectors/make_form_vectors.py`).
//!
//! Every SDK vector's query and body are built from its `logical_params` through the runtime's
//! own [`Params`] (`write`, which flattens any shape, and `push_json`), as generated code
//! does, and encoded by the functions the transport uses
//! ([`Body::form`], [`encode::query_string`]). The flattened pairs are then compared with the
//! SDK's, and every signing stage with the SDK's. All mismatches are collected and reported
//! together as `[file/vector] stage: got … want …`.

use std::collections::BTreeMap;
use std::fmt::Debug;

use alibabacloud_core::operation::{Location, Params};
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
// logical params -> runtime Params, as generated code builds them
// ---------------------------------------------------------------------------------------------

/// Writes one logical parameter the way generated code does: a JSON-style parameter
/// (`style: json`, the SDK's `*Shrink`) with `push_json`, everything else with `write`, which
/// flattens any shape (`ParamValue`: lists as `X.1`, objects and maps as `X.Key`, nested
/// recursively); a JSON value flattens by its shape, as a generated request value of that
/// shape does.
fn push_param(params: &mut Params, location: Location, name: &str, value: &Value, json: bool) {
    if json {
        params.push_json(location, name, value);
    } else {
        params.write(location, name, value);
    }
}

/// The top-level name a flattened key belongs to (`Tag.1.Key` → `Tag`).
fn top_name(key: &str) -> &str {
    key.split_once('.').map_or(key, |(name, _)| name)
}

/// The vector's logical parameters as the runtime's `Params`. Parameters are pushed in the
/// order the SDK sent them (the operation's declared order, which generated code shares),
/// read from the SDK's flattened pairs `order`: the query's wire order depends on it.
fn build_params(input: &Value, order: &Pairs, vid: &str) -> Params {
    let logical = &input["logical_params"];
    let mut params = Params::new();
    for (location, key) in [(Location::Query, "query"), (Location::Body, "body")] {
        let Some(values) = logical.get(key).and_then(Value::as_object) else {
            continue;
        };
        let json_style = |name: &str| input["param_styles"][key][name].as_str() == Some("json");
        let rank = |name: &str| {
            order
                .iter()
                .position(|(k, _)| top_name(k) == name)
                .unwrap_or(usize::MAX)
        };
        let mut names: Vec<&String> = values.keys().collect();
        names.sort_by_key(|name| rank(name));
        for name in names {
            assert!(!name.is_empty(), "[{vid}] empty parameter name");
            push_param(&mut params, location, name, &values[name], json_style(name));
        }
    }
    params
}

/// `pairs` sorted by key (stable): a form body and the V1 signature do not depend on order.
fn sorted_pairs(pairs: &[(String, String)]) -> Pairs {
    let mut pairs = pairs.to_vec();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// A JSON body's top-level fields as the strings the runtime's body pairs hold.
fn json_body_fields(bytes: &str, vid: &str) -> Pairs {
    let body: Value =
        serde_json::from_str(bytes).unwrap_or_else(|e| panic!("[{vid}] JSON body: {e}"));
    body.as_object()
        .unwrap_or_else(|| panic!("[{vid}] JSON body is not an object"))
        .iter()
        .map(|(k, v)| (k.clone(), scalar(v)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// V3
// ---------------------------------------------------------------------------------------------

#[test]
fn v3_vectors_every_stage() {
    run_v3("v3.json", 7, 1);
}

#[test]
fn v3_form_vectors_every_stage() {
    run_v3("form_v3.json", 5, 0);
}

fn run_v3(file: &'static str, min_sdk: usize, min_doc: usize) {
    let vectors = load(file);
    let mut c = Checker::new(file);
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
        sdk >= min_sdk && doc >= min_doc,
        "unexpected vector set in {file}: {sdk} sdk + {doc} doc"
    );
    c.finish();
}

/// Every V3 stage from `query` and `body` (built through `Params` for SDK vectors) and the
/// vector's headers before signing.
fn check_v3_low_level(
    c: &mut Checker,
    vid: &str,
    (input, out): (&Value, &Value),
    query: &Pairs,
    body: &[u8],
) -> v3::V3Signature {
    let headers_before = &input["headers_before_signing"];
    let headers = object_pairs(headers_before, vid);

    let hashed = v3::hash_payload(body);
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
            query,
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

/// The documentation's example has no request parameters to build: it gives the canonical
/// query pairs directly.
fn check_v3_doc(c: &mut Checker, vid: &str, vector: &Value) {
    let (input, out) = (&vector["inputs"], &vector["outputs"]);
    let query = pairs(&input["query_params"], vid);
    let body = opt_s(input, "body").unwrap_or("").as_bytes();
    let sig = check_v3_low_level(c, vid, (input, out), &query, body);
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
    let headers_before = &input["headers_before_signing"];
    let wire = &out["wire"];
    let want_query = pairs(&input["query_params"], vid);

    // ---- the parameters through the runtime's Params, the body as the transport builds it ----
    let params = build_params(input, &want_query, vid);
    let query = params.query().to_vec();
    c.eq(
        vid,
        "Params.query() == inputs.query_params",
        &query,
        &want_query,
    );
    let body = match opt_s(input, "body") {
        None => {
            c.eq(
                vid,
                "no body: Params.body() is empty",
                params.body(),
                &[][..],
            );
            None
        }
        Some(want_bytes) => {
            let content_type = s(headers_before, "content-type", vid);
            let body = if content_type.starts_with("application/json") {
                // The cas2018 duplicate-body quirk: the SDK's JSON body keeps its own bytes
                // (numbers unquoted, insertion order), which the runtime never sends for these
                // operations. Its fields must still be the body pairs `Params` built.
                c.eq(
                    vid,
                    "Params.body() == JSON body fields",
                    &sorted_pairs(params.body()),
                    &sorted_pairs(&json_body_fields(want_bytes, vid)),
                );
                Body::json(params.body().to_vec(), want_bytes.as_bytes().to_vec())
            } else {
                // Exactly what the transport does for a form operation.
                Body::form(params.body().to_vec())
            };
            c.eq(
                vid,
                "body content-type",
                body.content_type.as_str(),
                content_type,
            );
            c.eq(
                vid,
                "body bytes (from Params) == inputs.body",
                String::from_utf8_lossy(&body.bytes).as_ref(),
                want_bytes,
            );
            c.eq(
                vid,
                "wire.body == inputs.body",
                &opt_s(wire, "body"),
                &Some(want_bytes),
            );
            Some(body)
        }
    };
    let body_bytes: &[u8] = body.as_ref().map_or(&[], |b| b.bytes.as_slice());
    check_v3_low_level(c, vid, (input, out), &query, body_bytes);

    // ---- the same request through signing::sign(V3, …), as the transport calls it ----
    let extra = pick_headers(
        headers_before,
        &["user-agent", "x-acs-credentials-provider"],
        vid,
    );
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signed = owned(signing::sign(
        SignatureVersion::V3,
        &SigningInput {
            method: s(input, "method", vid),
            host: s(input, "host", vid),
            path: s(input, "pathname", vid),
            action: s(input, "action", vid),
            version: s(input, "version", vid),
            query: params.query(),
            body: body.as_ref(),
            access_key_id: s(input, "access_key_id", vid),
            access_key_secret: s(input, "access_key_secret", vid),
            security_token: opt_s(input, "security_token"),
            nonce: s(input, "signature_nonce", vid),
            timestamp: s(input, "x_acs_date", vid),
            extra_headers: &extra,
        },
    ));
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
        &want_query,
        s(wire, "url", vid),
    );
    c.eq(
        vid,
        "sign(V3).query == inputs.query_params",
        &signed.query,
        &want_query,
    );
}

/// The wire query: ours equals `want`, the vector URL decodes to the same pairs in the same
/// order, and our encoded query string (the transport's [`encode::query_string`]) equals the
/// URL's byte for byte up to `+` vs `%20`.
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
    run_v1("v1.json", 7, 1);
}

#[test]
fn v1_form_vectors_every_stage() {
    run_v1("form_v1.json", 5, 0);
}

fn run_v1(file: &'static str, min_sdk: usize, min_doc: usize) {
    let vectors = load(file);
    let mut c = Checker::new(file);
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
        sdk >= min_sdk && doc >= min_doc,
        "unexpected vector set in {file}: {sdk} sdk + {doc} doc"
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
    let want_query = pairs(&input["query_params"], vid);
    let want_body_params = pairs(&input["body_params"], vid);

    // ---- the parameters through the runtime's Params ----
    let built = build_params(input, &want_query, vid);
    let query = built.query().to_vec();
    let body_params = built.body().to_vec();
    c.eq(
        vid,
        "Params.query() == inputs.query_params",
        &query,
        &want_query,
    );
    c.eq(
        vid,
        "Params.body() == inputs.body_params (sorted)",
        &sorted_pairs(&body_params),
        &sorted_pairs(&want_body_params),
    );

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

    // ---- the same request through signing::sign(V1, …), as the transport calls it ----
    let extra = pick_headers(
        &wire["headers_sdk"],
        &["user-agent", "x-acs-credentials-provider"],
        vid,
    );
    // V1 sends every body as a form (the transport's `Body::form` over `Params::body`).
    let body = (!body_params.is_empty()).then(|| Body::form(body_params.clone()));
    if let Some(b) = &body {
        c.eq(
            vid,
            "form body bytes (from Params) == wire.body",
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
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signed = owned(signing::sign(
        SignatureVersion::V1,
        &SigningInput {
            method,
            host: s(input, "host", vid),
            path: s(input, "pathname", vid),
            action: s(input, "action", vid),
            version: s(input, "version", vid),
            query: built.query(),
            body: body.as_ref(),
            access_key_id: s(input, "access_key_id", vid),
            access_key_secret: secret,
            security_token: token,
            nonce: s(input, "signature_nonce", vid),
            timestamp: s(input, "timestamp", vid),
            extra_headers: &extra,
        },
    ));
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

// ---------------------------------------------------------------------------------------------
// Server side: every SDK vector's request, as it arrived on the wire, verifies
// ---------------------------------------------------------------------------------------------

#[test]
fn the_wire_requests_of_the_vectors_verify_on_the_server_side() {
    for (file, version) in [
        ("v1.json", SignatureVersion::V1),
        ("form_v1.json", SignatureVersion::V1),
        ("v3.json", SignatureVersion::V3),
        ("form_v3.json", SignatureVersion::V3),
    ] {
        let mut c = Checker::new(file);
        for vector in load(file) {
            let vid = id(&vector);
            let (input, out) = (&vector["inputs"], &vector["outputs"]);
            let Some(wire) = out.get("wire") else {
                continue; // documentation examples carry no wire request
            };
            c.vectors += 1;
            let url = s(wire, "url", &vid);
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            let path_and_query = after_scheme
                .find('/')
                .map_or("/", |start| &after_scheme[start..]);
            let path = path_and_query.split('?').next().unwrap_or("/");
            let query = encode::parse_pairs(raw_query(url));
            let headers: Pairs = object_pairs(&wire["headers_as_sent"], &vid)
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
            let body = opt_s(wire, "body").unwrap_or("").as_bytes().to_vec();
            let received = signing::Received {
                method: s(wire, "method", &vid),
                path,
                query: &query,
                headers: &headers,
                body: &body,
            };
            let secret = s(input, "access_key_secret", &vid);
            let want_sts = s(out, "string_to_sign", &vid).to_owned();
            match signing::claim(&received) {
                Ok(claim) => {
                    c.eq(&vid, "claim.version", &claim.version, &version);
                    c.eq(
                        &vid,
                        "claim.access_key_id",
                        claim.access_key_id,
                        s(input, "access_key_id", &vid),
                    );
                    c.eq(
                        &vid,
                        "claim.security_token",
                        &claim.security_token,
                        &opt_s(input, "security_token"),
                    );
                    c.eq(
                        &vid,
                        "claim.nonce",
                        claim.nonce,
                        s(input, "signature_nonce", &vid),
                    );
                }
                Err(rejection) => c.eq(&vid, "claim", &Err(rejection), &Ok::<(), _>(())),
            }
            match signing::verify(&received, secret) {
                Ok(verified) => c.eq(
                    &vid,
                    "verify.string_to_sign",
                    &verified.string_to_sign,
                    &want_sts,
                ),
                Err(rejection) => c.eq(&vid, "verify", &Err(rejection), &Ok::<(), _>(())),
            }
            match signing::verify(&received, "another-secret") {
                Err(signing::Rejection::Mismatch { string_to_sign }) => {
                    c.eq(&vid, "mismatch.string_to_sign", &string_to_sign, &want_sts);
                }
                other => c.eq(
                    &vid,
                    "verify with another secret",
                    &format!("{other:?}"),
                    &"Err(Mismatch { .. })".to_owned(),
                ),
            }
        }
        assert!(c.vectors >= 5, "{file}: too few wire requests");
        c.finish();
    }
}

/// What `signing::sign` returned, owned, for comparing with the vectors.
struct OwnedSigned {
    query: Pairs,
    headers: Pairs,
    string_to_sign: String,
}

fn owned(signed: signing::SignedRequest<'_>) -> OwnedSigned {
    OwnedSigned {
        query: signed.query.to_vec(),
        headers: signed
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        string_to_sign: signed.string_to_sign,
    }
}

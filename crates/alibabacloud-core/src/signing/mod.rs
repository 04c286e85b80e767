//! Request signing: ACS3-HMAC-SHA256 (V3, the default) and RPC HMAC-SHA1 (V1).
//!
//! [`sign`] turns one attempt's [`SigningInput`] into the final wire query and the complete
//! header list ([`SignedRequest`]). The lower-level pieces are public for testing against the
//! official SDK's vectors: [`encode`] (RFC 3986 encoding, canonical query, form body),
//! [`v1`] and [`v3`] (every intermediate stage of each algorithm).
//!
//! The server's side is [`claim`] and [`verify`]: they read a received request, rebuild
//! what its client signed and compare the signatures, reporting the server's
//! string-to-sign (the emulator and the test suites' loopback servers use them).
//!
//! Every attempt (including retries) must be signed again with a fresh [`new_nonce`] and
//! [`timestamp`].

pub mod encode;
pub mod v1;
pub mod v3;
mod verify;

pub use verify::{Authorization, Claim, Received, Rejection, Verified, claim, verify};

use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;

/// Which signature algorithm to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// RPC signature V1: HMAC-SHA1 over the sorted query, carried in the `Signature` query
    /// parameter together with `AccessKeyId`, `SignatureNonce`, `Timestamp`, ….
    V1,
    /// ACS3-HMAC-SHA256: signed headers, carried in the `Authorization` header. The official
    /// SDK's default.
    #[default]
    V3,
}

/// What one attempt needs to be signed. All parameter lists are already flattened wire pairs
/// (`Tag.1.Key`, `ResourceId.2`, …) with string values.
#[derive(Clone, Copy, Debug)]
pub struct SigningInput<'a> {
    /// HTTP method (`POST`, `GET`, …).
    pub method: &'a str,
    /// Endpoint host name, sent as the `host` header (e.g. `cas.aliyuncs.com`).
    pub host: &'a str,
    /// URL path; `/` for RPC APIs. V1 always signs `/`.
    pub path: &'a str,
    /// API action name (e.g. `ListUserCertificateOrder`).
    pub action: &'a str,
    /// API version (e.g. `2020-04-07`).
    pub version: &'a str,
    /// The operation's query parameters, in the order given (kept as wire order). They must
    /// not reuse the V1 common parameter names (`Action`, `Signature`, …).
    pub query: &'a [(String, String)],
    /// The request body, if any. For V1 use a form body ([`Body::form`]).
    pub body: Option<&'a Body>,
    /// AccessKey id.
    pub access_key_id: &'a str,
    /// AccessKey secret.
    pub access_key_secret: &'a str,
    /// STS security token, for temporary credentials.
    pub security_token: Option<&'a str>,
    /// Unique nonce for this attempt (see [`new_nonce`]).
    pub nonce: &'a str,
    /// UTC time of this attempt, `%Y-%m-%dT%H:%M:%SZ` (see [`timestamp`]).
    pub timestamp: &'a str,
    /// Further headers to send, e.g. `user-agent`, `x-acs-credentials-provider`. Names are
    /// lowercased. They are sent with both versions and signed with V3. A header whose name
    /// the signer sets itself (`host`, `x-acs-*` it produces, `accept`, `content-type`,
    /// `authorization`) is ignored.
    pub extra_headers: &'a [(&'a str, &'a str)],
}

/// A request body: the bytes to send plus the flattened parameters behind them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The flattened body parameters (signed by V1; V3 signs the bytes instead).
    pub params: Vec<(String, String)>,
    /// The exact bytes sent (hashed into `x-acs-content-sha256` by V3).
    pub bytes: Vec<u8>,
    /// The `content-type` header value.
    pub content_type: String,
}

/// `content-type` of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// `content-type` of a JSON body, as the official SDK sends it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

impl Body {
    /// A form body: `params` sorted bytewise by key, RFC 3986 encoded with `+` for a space
    /// ([`encode::form_body`]), content type `application/x-www-form-urlencoded`.
    pub fn form(params: Vec<(String, String)>) -> Body {
        let bytes = encode::form_body(&params).into_bytes();
        Body {
            params,
            bytes,
            content_type: FORM_CONTENT_TYPE.to_owned(),
        }
    }

    /// A JSON body: `bytes` is the serialized JSON sent as is, `params` the flattened
    /// parameters it was built from. Content type `application/json; charset=utf-8`.
    pub fn json(params: Vec<(String, String)>, bytes: Vec<u8>) -> Body {
        Body {
            params,
            bytes,
            content_type: JSON_CONTENT_TYPE.to_owned(),
        }
    }
}

/// The outcome of [`sign`]: what to put on the wire, borrowing from the [`SigningInput`]
/// wherever it can (the V3 query is the input's own; header names are static or the
/// input's; values are the input's but for the few the signer computes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRequest<'a> {
    /// The final query pairs (unencoded), in wire order. Build the URL with
    /// [`encode::query_string`].
    pub query: Cow<'a, [(String, String)]>,
    /// Every header to send, names lowercase (including `authorization` for V3). The body,
    /// if any, is sent as [`Body::bytes`]; `content-length` is left to the HTTP client.
    pub headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The string that was HMAC'd (for debugging signature mismatches). Every stage of a
    /// signature, the canonical request included, is given by [`v3::sign`] and
    /// [`v1::sign`].
    pub string_to_sign: String,
}

impl SignedRequest<'_> {
    /// The value of header `name` (lowercase), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// Signs one attempt with the chosen algorithm.
pub fn sign<'a>(version: SignatureVersion, input: &SigningInput<'a>) -> SignedRequest<'a> {
    match version {
        SignatureVersion::V1 => sign_v1(input),
        SignatureVersion::V3 => sign_v3(input),
    }
}

/// Builds an attempt that carries no credentials and no signature, for anonymous operations
/// (STS `AssumeRoleWithOIDC`, whose OIDC token is the proof). The common parameters and
/// headers are those of `version`; `access_key_*` and `security_token` are ignored.
pub fn unsigned<'a>(version: SignatureVersion, input: &SigningInput<'a>) -> SignedRequest<'a> {
    let mut headers = common_headers(input);
    let query = match version {
        SignatureVersion::V1 => {
            let mut query = vec![
                pair("Action", input.action),
                pair("Format", "json"),
                pair("Version", input.version),
                pair("Timestamp", input.timestamp),
                pair("SignatureNonce", input.nonce),
            ];
            query.extend(input.query.iter().cloned());
            Cow::Owned(query)
        }
        SignatureVersion::V3 => {
            push_v3_headers(&mut headers, input, payload_hash(input));
            Cow::Borrowed(input.query)
        }
    };
    push_extra_headers(
        &mut headers,
        input.extra_headers,
        &["content-type", "x-acs-accesskey-id", "x-acs-security-token"],
    );
    if let Some(body) = input.body {
        headers.push((
            Cow::Borrowed("content-type"),
            Cow::Borrowed(body.content_type.as_str()),
        ));
    }
    SignedRequest {
        query,
        headers,
        string_to_sign: String::new(),
    }
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

/// `host`, `x-acs-version` and `x-acs-action`: what every request carries.
fn common_headers<'a>(input: &SigningInput<'a>) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    let mut headers = Vec::with_capacity(12 + input.extra_headers.len());
    headers.push((Cow::Borrowed("host"), Cow::Borrowed(input.host)));
    headers.push((Cow::Borrowed("x-acs-version"), Cow::Borrowed(input.version)));
    headers.push((Cow::Borrowed("x-acs-action"), Cow::Borrowed(input.action)));
    headers
}

/// The V3 payload hash of the input's body (a constant for no body).
fn payload_hash<'a>(input: &SigningInput<'a>) -> Cow<'a, str> {
    let body_bytes: &[u8] = input.body.map_or(&[], |b| b.bytes.as_slice());
    if body_bytes.is_empty() {
        Cow::Borrowed(v3::EMPTY_PAYLOAD_HASH)
    } else {
        Cow::Owned(v3::hash_payload(body_bytes))
    }
}

/// The headers V3 adds: the date, the nonce, `accept` and the payload hash.
fn push_v3_headers<'a>(
    headers: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    input: &SigningInput<'a>,
    hashed_payload: Cow<'a, str>,
) {
    headers.push((Cow::Borrowed("x-acs-date"), Cow::Borrowed(input.timestamp)));
    headers.push((
        Cow::Borrowed("x-acs-signature-nonce"),
        Cow::Borrowed(input.nonce),
    ));
    headers.push((Cow::Borrowed("accept"), Cow::Borrowed("application/json")));
    headers.push((Cow::Borrowed("x-acs-content-sha256"), hashed_payload));
}

/// Appends the extra headers whose (lowercased) names are neither already in `headers`, nor
/// in `also_reserved`, nor `authorization`.
fn push_extra_headers<'a>(
    headers: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    extra: &[(&'a str, &'a str)],
    also_reserved: &[&str],
) {
    for (name, value) in extra {
        let name: Cow<'a, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let taken = name == "authorization"
            || also_reserved.contains(&name.as_ref())
            || headers.iter().any(|(n, _)| *n == name);
        if !taken {
            headers.push((name, Cow::Borrowed(value)));
        }
    }
}

fn sign_v1<'a>(input: &SigningInput<'a>) -> SignedRequest<'a> {
    let mut query = vec![
        pair("Action", input.action),
        pair("Format", "json"),
        pair("Version", input.version),
        pair("Timestamp", input.timestamp),
        pair("SignatureNonce", input.nonce),
    ];
    query.extend(input.query.iter().cloned());
    if let Some(token) = input.security_token {
        query.push(pair("SecurityToken", token));
    }
    query.push(pair("SignatureMethod", "HMAC-SHA1"));
    query.push(pair("SignatureVersion", "1.0"));
    query.push(pair("AccessKeyId", input.access_key_id));

    let mut signed = query.clone();
    if let Some(body) = input.body {
        signed.extend(body.params.iter().cloned());
    }
    let signature = v1::sign(input.method, &signed, input.access_key_secret);
    query.push(pair(v1::SIGNATURE_PARAM, &signature.signature));

    let mut headers = common_headers(input);
    push_extra_headers(&mut headers, input.extra_headers, &["content-type"]);
    if let Some(body) = input.body {
        headers.push((
            Cow::Borrowed("content-type"),
            Cow::Borrowed(body.content_type.as_str()),
        ));
    }

    SignedRequest {
        query: Cow::Owned(query),
        headers,
        string_to_sign: signature.string_to_sign,
    }
}

fn sign_v3<'a>(input: &SigningInput<'a>) -> SignedRequest<'a> {
    let hashed_payload = payload_hash(input);
    let mut headers = common_headers(input);
    push_v3_headers(&mut headers, input, hashed_payload.clone());
    push_extra_headers(
        &mut headers,
        input.extra_headers,
        &["content-type", "x-acs-accesskey-id", "x-acs-security-token"],
    );
    if let Some(body) = input.body {
        headers.push((
            Cow::Borrowed("content-type"),
            Cow::Borrowed(body.content_type.as_str()),
        ));
    }
    if let Some(token) = input.security_token {
        headers.push((
            Cow::Borrowed("x-acs-accesskey-id"),
            Cow::Borrowed(input.access_key_id),
        ));
        headers.push((Cow::Borrowed("x-acs-security-token"), Cow::Borrowed(token)));
    }
    let method = if input.method.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(input.method.to_ascii_uppercase())
    } else {
        Cow::Borrowed(input.method)
    };
    let (string_to_sign, authorization) = {
        let mut refs = [("", ""); v3::STACK_PAIRS];
        let pairs: Vec<(&str, &str)>;
        let views: &[(&str, &str)] = if headers.len() <= refs.len() {
            for (slot, (name, value)) in refs.iter_mut().zip(&headers) {
                *slot = (name.as_ref(), value.as_ref());
            }
            &refs[..headers.len()]
        } else {
            pairs = headers
                .iter()
                .map(|(n, v)| (n.as_ref(), v.as_ref()))
                .collect();
            &pairs
        };
        v3::sign_streaming(
            &method,
            input.path,
            input.query,
            views,
            &hashed_payload,
            input.access_key_id,
            input.access_key_secret,
        )
    };
    headers.push((Cow::Borrowed("authorization"), Cow::Owned(authorization)));

    SignedRequest {
        query: Cow::Borrowed(input.query),
        headers,
        string_to_sign,
    }
}

/// A fresh signature nonce: 32 lowercase hex characters (128 random bits).
pub fn new_nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Formats `t` as UTC with second precision, `%Y-%m-%dT%H:%M:%SZ` (e.g.
/// `2025-01-02T03:04:05Z`), the format of V1 `Timestamp` and V3 `x-acs-date`. Sub-second parts
/// are truncated. A time outside the range of the `time` crate is clamped to the Unix epoch.
pub fn timestamp(t: SystemTime) -> String {
    String::from_utf8_lossy(&timestamp_bytes(t)).into_owned()
}

/// [`timestamp`] into a fixed buffer, without touching the heap.
pub(crate) fn timestamp_bytes(t: SystemTime) -> [u8; 20] {
    let secs: i64 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let before = e.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            // Round towards the past so that sub-second parts are truncated consistently.
            let extra = i64::from(before.subsec_nanos() > 0);
            whole.saturating_add(extra).saturating_neg()
        }
    };
    let dt = OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let mut out = *b"0000-00-00T00:00:00Z";
    let digits = |out: &mut [u8], value: u32| {
        let mut value = value;
        for slot in out.iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    digits(
        &mut out[0..4],
        u32::try_from(dt.year().clamp(0, 9999)).unwrap_or(0),
    );
    digits(&mut out[5..7], u32::from(u8::from(dt.month())));
    digits(&mut out[8..10], u32::from(dt.day()));
    digits(&mut out[11..13], u32::from(dt.hour()));
    digits(&mut out[14..16], u32::from(dt.minute()));
    digits(&mut out[17..19], u32::from(dt.second()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn nonces_differ_and_are_lowercase_hex() {
        let a = new_nonce();
        let b = new_nonce();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
    }

    #[test]
    fn timestamp_format() {
        assert_eq!(
            timestamp(UNIX_EPOCH + Duration::from_secs(1)),
            "1970-01-01T00:00:01Z"
        );
        assert_eq!(
            timestamp(UNIX_EPOCH + Duration::from_millis(1_735_787_045_999)),
            "2025-01-02T03:04:05Z"
        );
        assert_eq!(
            timestamp(UNIX_EPOCH - Duration::from_millis(500)),
            "1969-12-31T23:59:59Z"
        );
    }

    #[test]
    fn default_is_v3() {
        assert_eq!(SignatureVersion::default(), SignatureVersion::V3);
    }

    #[test]
    fn extra_headers_cannot_override_signer_headers() {
        let extra = [
            ("Host", "evil"),
            ("Authorization", "x"),
            ("User-Agent", "ua"),
        ];
        let input = SigningInput {
            method: "POST",
            host: "cas.aliyuncs.com",
            path: "/",
            action: "A",
            version: "2020-04-07",
            query: &[],
            body: None,
            access_key_id: "id",
            access_key_secret: "s",
            security_token: None,
            nonce: "n",
            timestamp: "2025-01-02T03:04:05Z",
            extra_headers: &extra,
        };
        for version in [SignatureVersion::V1, SignatureVersion::V3] {
            let signed = sign(version, &input);
            let hosts: Vec<_> = signed.headers.iter().filter(|(n, _)| n == "host").collect();
            assert_eq!(hosts.len(), 1);
            assert_eq!(signed.header("host"), Some("cas.aliyuncs.com"));
            assert_eq!(signed.header("user-agent"), Some("ua"));
            assert!(signed.headers.iter().all(|(_, v)| v != "x"));
        }
    }

    #[test]
    fn form_body_is_sorted() {
        let b = Body::form(vec![pair("b", "2 3"), pair("a", "1")]);
        assert_eq!(b.bytes, b"a=1&b=2+3");
        assert_eq!(b.content_type, FORM_CONTENT_TYPE);
    }
}

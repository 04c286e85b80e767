//! Authentication: signature verification (V3 and V1), access keys (the configured one and
//! the temporary ones issued by the emulator's STS), timestamps and nonces.
//!
//! The checks run in this order: access key (`404 InvalidAccessKeyId.NotFound`), security
//! token of a temporary key, timestamp (`InvalidTimeStamp.*`), body hash (V3), signature
//! (`SignatureDoesNotMatch`, echoing the server's string to sign), nonce
//! (`SignatureNonceUsed`). A nonce is remembered only once the signature matched.

use std::collections::HashMap;

use alibabacloud_core::signing::{v1, v3};

use crate::clock;
use crate::errors::ApiError;
use crate::request::Incoming;

/// Largest accepted distance between a request's timestamp and the emulator's clock.
pub(crate) const MAX_SKEW_MS: i64 = 15 * 60 * 1000;

/// How a request is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// `Authorization: ACS3-HMAC-SHA256 ...`.
    V3,
    /// A `Signature` (or `AccessKeyId`) query parameter.
    V1,
    /// Neither.
    Unsigned,
}

/// How `req` is signed.
pub(crate) fn scheme(req: &Incoming) -> Scheme {
    if req.header("authorization").is_some() {
        Scheme::V3
    } else if req.query_param("Signature").is_some() || req.query_param("AccessKeyId").is_some() {
        Scheme::V1
    } else {
        Scheme::Unsigned
    }
}

/// The nonce a request carries, if any.
pub(crate) fn nonce(req: &Incoming, scheme: Scheme) -> Option<String> {
    match scheme {
        Scheme::V3 => req.header("x-acs-signature-nonce"),
        Scheme::V1 | Scheme::Unsigned => req
            .query_param("SignatureNonce")
            .or_else(|| req.header("x-acs-signature-nonce")),
    }
    .map(str::to_owned)
}

/// The access key id a request names, if any.
pub(crate) fn access_key_id(req: &Incoming, scheme: Scheme) -> Option<String> {
    match scheme {
        Scheme::V3 => req
            .header("authorization")
            .and_then(|a| parse_authorization(a).ok())
            .map(|a| a.credential),
        Scheme::V1 => req.query_param("AccessKeyId").map(str::to_owned),
        Scheme::Unsigned => None,
    }
}

/// A temporary key issued by the emulator's STS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TemporaryKey {
    /// `STS.` followed by 24 characters.
    pub access_key_id: String,
    /// The secret.
    pub access_key_secret: String,
    /// The security token that must accompany the key.
    pub security_token: String,
    /// Expiry, milliseconds since the epoch.
    pub expires_ms: i64,
}

/// The access keys the emulator accepts.
#[derive(Debug)]
pub(crate) struct KeyStore {
    /// The account that owns every key.
    pub account_id: String,
    main_id: String,
    main_secret: String,
    temporary: HashMap<String, TemporaryKey>,
}

impl KeyStore {
    /// A store with one long-term key.
    pub fn new(account_id: String, id: String, secret: String) -> Self {
        Self {
            account_id,
            main_id: id,
            main_secret: secret,
            temporary: HashMap::new(),
        }
    }

    /// Issues a temporary key valid for `duration_ms` from `now_ms`.
    pub fn issue(&mut self, now_ms: i64, duration_ms: i64) -> TemporaryKey {
        let key = TemporaryKey {
            access_key_id: format!("STS.{}", random_text(24)),
            access_key_secret: random_text(44),
            security_token: format!("CAIS{}", random_text(300)),
            expires_ms: now_ms + duration_ms,
        };
        self.temporary.retain(|_, k| k.expires_ms > now_ms);
        self.temporary
            .insert(key.access_key_id.clone(), key.clone());
        key
    }

    /// The secret of `id` and, for a temporary key, the key itself.
    fn lookup(&self, id: &str) -> Option<(&str, Option<&TemporaryKey>)> {
        if id == self.main_id {
            return Some((&self.main_secret, None));
        }
        self.temporary
            .get(id)
            .map(|k| (k.access_key_secret.as_str(), Some(k)))
    }
}

/// Random letters and digits.
fn random_text(len: usize) -> String {
    use rand::Rng as _;
    use rand::distributions::Alphanumeric;
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Nonces seen within twice the accepted clock skew.
#[derive(Debug, Default)]
pub(crate) struct NonceCache {
    seen: HashMap<String, i64>,
}

impl NonceCache {
    /// Records `nonce`; `false` when it was seen before.
    pub fn insert(&mut self, nonce: &str, now_ms: i64) -> bool {
        if self.seen.len() > 10_000 {
            self.seen.retain(|_, t| now_ms - *t <= 2 * MAX_SKEW_MS);
        }
        if self.seen.contains_key(nonce) {
            return false;
        }
        self.seen.insert(nonce.to_owned(), now_ms);
        true
    }
}

/// Who a verified request comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Caller {
    /// The access key id it was signed with.
    pub access_key_id: String,
    /// The account of that key (the unit of flow control).
    pub account: String,
}

/// Verifies a signed request (V3 or V1). Unsigned requests are refused with
/// `IncompleteSignature`; the caller lets anonymous operations through before this.
pub(crate) fn authenticate(
    req: &Incoming,
    scheme: Scheme,
    keys: &KeyStore,
    nonces: &std::sync::Mutex<NonceCache>,
    now_ms: i64,
) -> Result<Caller, ApiError> {
    let (access_key_id, nonce) = match scheme {
        Scheme::V3 => verify_v3(req, keys, now_ms)?,
        Scheme::V1 => verify_v1(req, keys, now_ms)?,
        Scheme::Unsigned => {
            return Err(ApiError::incomplete_signature(
                "The request carries neither an Authorization header nor a Signature parameter.",
            ));
        }
    };
    let fresh = nonces
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(&nonce, now_ms);
    if !fresh {
        return Err(ApiError::nonce_used());
    }
    Ok(Caller {
        access_key_id,
        account: keys.account_id.clone(),
    })
}

/// The parts of a V3 `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
struct Authorization {
    credential: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Result<Authorization, ApiError> {
    let (algorithm, rest) = value.trim().split_once(' ').unwrap_or((value, ""));
    if algorithm != v3::ALGORITHM {
        return Err(ApiError::incomplete_signature(&format!(
            "Unsupported signature algorithm {algorithm}; expected {}.",
            v3::ALGORITHM
        )));
    }
    let mut fields: HashMap<&str, &str> = HashMap::new();
    for part in rest.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            fields.insert(k.trim(), v.trim());
        }
    }
    let field = |name: &str| {
        fields
            .get(name)
            .filter(|v| !v.is_empty())
            .map(|v| (*v).to_owned())
            .ok_or_else(|| {
                ApiError::incomplete_signature(&format!("The Authorization header has no {name}."))
            })
    };
    Ok(Authorization {
        credential: field("Credential")?,
        signed_headers: field("SignedHeaders")?
            .split(';')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
        signature: field("Signature")?,
    })
}

/// The secret of `id`, after checking a temporary key's token and expiry.
fn secret_for<'k>(
    keys: &'k KeyStore,
    id: &str,
    token: Option<&str>,
    now_ms: i64,
) -> Result<&'k str, ApiError> {
    let (secret, temporary) = keys.lookup(id).ok_or_else(ApiError::access_key_not_found)?;
    if let Some(temporary) = temporary {
        if token != Some(temporary.security_token.as_str()) {
            return Err(ApiError::token_mismatch());
        }
        if temporary.expires_ms <= now_ms {
            return Err(ApiError::token_expired());
        }
    }
    Ok(secret)
}

fn check_timestamp(value: &str, now_ms: i64) -> Result<(), ApiError> {
    let t = clock::parse_iso(value).ok_or_else(ApiError::timestamp_format)?;
    if (t - now_ms).abs() > MAX_SKEW_MS {
        return Err(ApiError::timestamp_expired());
    }
    Ok(())
}

/// Verifies V3; returns the access key id and the nonce.
fn verify_v3(req: &Incoming, keys: &KeyStore, now_ms: i64) -> Result<(String, String), ApiError> {
    let auth = parse_authorization(req.header("authorization").unwrap_or_default())?;
    let secret = secret_for(
        keys,
        &auth.credential,
        req.header("x-acs-security-token"),
        now_ms,
    )?;

    let required = |name: &str| {
        req.header(name).map(str::to_owned).ok_or_else(|| {
            ApiError::incomplete_signature(&format!("The {name} header is missing."))
        })
    };
    check_timestamp(&required("x-acs-date")?, now_ms)?;
    let nonce = required("x-acs-signature-nonce")?;
    let claimed_hash = required("x-acs-content-sha256")?;
    let body_hash = v3::hash_payload(&req.body);
    if !claimed_hash.eq_ignore_ascii_case(&body_hash) {
        return Err(ApiError::content_sha256_mismatch(&body_hash));
    }

    for (name, _) in &req.headers {
        let must_sign = name == "host" || name == "content-type" || name.starts_with("x-acs-");
        if must_sign && !auth.signed_headers.contains(name) {
            return Err(ApiError::incomplete_signature(&format!(
                "The {name} header must be signed (listed in SignedHeaders)."
            )));
        }
    }
    let mut signed = Vec::new();
    for name in &auth.signed_headers {
        let before = signed.len();
        signed.extend(req.headers.iter().filter(|(n, _)| n == name).cloned());
        if signed.len() == before {
            return Err(ApiError::incomplete_signature(&format!(
                "The signed header {name} is missing."
            )));
        }
    }

    let ours = v3::sign(
        &v3::CanonicalInput {
            method: &req.method,
            path: &req.path,
            query: &req.query,
            headers: &signed,
            hashed_payload: &claimed_hash,
        },
        &auth.credential,
        secret,
    );
    if !same(&ours.signature, &auth.signature.to_ascii_lowercase()) {
        return Err(ApiError::signature_mismatch(&ours.string_to_sign));
    }
    Ok((auth.credential, nonce))
}

/// Verifies V1; returns the access key id and the nonce.
fn verify_v1(req: &Incoming, keys: &KeyStore, now_ms: i64) -> Result<(String, String), ApiError> {
    let param = |name: &str| {
        req.query_param(name)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ApiError::missing(name))
    };
    let access_key_id = param("AccessKeyId")?;
    let signature = param("Signature")?;
    if param("SignatureMethod")? != "HMAC-SHA1" || param("SignatureVersion")? != "1.0" {
        return Err(ApiError::invalid_signature_method());
    }
    let secret = secret_for(
        keys,
        &access_key_id,
        req.query_param("SecurityToken"),
        now_ms,
    )?;
    check_timestamp(&param("Timestamp")?, now_ms)?;
    let nonce = param("SignatureNonce")?;

    let mut params = req.query.clone();
    params.extend(req.form.iter().cloned());
    let ours = v1::sign(&req.method, &params, secret);
    if !same(&ours.signature, &signature) {
        return Err(ApiError::signature_mismatch(&ours.string_to_sign));
    }
    Ok((access_key_id, nonce))
}

/// Compares two signatures without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_parsed() {
        let auth = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=abc",
        )
        .unwrap();
        assert_eq!(auth.credential, "id");
        assert_eq!(auth.signed_headers, vec!["host", "x-acs-date"]);
        assert_eq!(auth.signature, "abc");
        assert_eq!(
            parse_authorization("ACS3-HMAC-SHA256 Credential=id")
                .unwrap_err()
                .code,
            "IncompleteSignature"
        );
        assert!(parse_authorization("HMAC Credential=a,SignedHeaders=b,Signature=c").is_err());
    }

    #[test]
    fn nonces_are_single_use() {
        let mut cache = NonceCache::default();
        assert!(cache.insert("n", 0));
        assert!(!cache.insert("n", 1));
        assert!(cache.insert("m", 1));
    }

    #[test]
    fn temporary_keys_need_their_token_and_expire() {
        let mut keys = KeyStore::new("1".into(), "id".into(), "s".into());
        let key = keys.issue(0, 1000);
        assert!(key.access_key_id.starts_with("STS."));
        assert_eq!(
            secret_for(&keys, &key.access_key_id, Some(&key.security_token), 10).unwrap(),
            key.access_key_secret
        );
        assert_eq!(
            secret_for(&keys, &key.access_key_id, None, 10)
                .unwrap_err()
                .code,
            "InvalidSecurityToken.MismatchWithAccessKey"
        );
        assert_eq!(
            secret_for(&keys, &key.access_key_id, Some(&key.security_token), 1000)
                .unwrap_err()
                .code,
            "InvalidSecurityToken.Expired"
        );
        assert_eq!(secret_for(&keys, "nope", None, 0).unwrap_err().status, 404);
    }
}

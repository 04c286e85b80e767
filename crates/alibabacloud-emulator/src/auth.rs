//! Authentication: signature verification (V3 and V1), access keys (the configured one and
//! the temporary ones issued by the emulator's STS), timestamps and nonces.
//!
//! The signature itself is core's: [`signing::claim`] reads the signature's parts,
//! [`signing::verify`] rebuilds and compares. The checks run in this order: the signature's
//! parts (`IncompleteSignature`, `Missing*`, `InvalidSignatureMethod`), access key
//! (`404 InvalidAccessKeyId.NotFound`), security token of a temporary key, timestamp
//! (`InvalidTimeStamp.*`), body hash (V3, `InvalidContentSha256`), signature
//! (`SignatureDoesNotMatch`, echoing the server's string to sign), nonce
//! (`SignatureNonceUsed`). A nonce is remembered only once the signature matched.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::hash_map::RandomState;
use std::collections::{BinaryHeap, HashSet};
use std::hash::BuildHasher as _;
use std::sync::{Mutex, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use alibabacloud_core::SignatureVersion;
use alibabacloud_core::signing::{self, Rejection};

use crate::clock;
use crate::errors::ApiError;
use crate::request::Incoming;

/// The default largest distance between a request's timestamp and the emulator's clock
/// (the gateway's 15 minutes); also how long a nonce is remembered.
pub(crate) const DEFAULT_WINDOW_MS: i64 = 15 * 60 * 1000;

/// The prefix of the temporary access key ids the emulator's STS issues.
pub(crate) const TEMPORARY_PREFIX: &str = "STS.";

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
    match received(req).signature_version() {
        Some(SignatureVersion::V3) => Scheme::V3,
        Some(SignatureVersion::V1) => Scheme::V1,
        None => Scheme::Unsigned,
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
            .and_then(|a| signing::Authorization::parse(a).ok())
            .map(|a| a.credential.to_owned()),
        Scheme::V1 => req.query_param("AccessKeyId").map(str::to_owned),
        Scheme::Unsigned => None,
    }
}

/// The request as core's verification reads it.
fn received(req: &Incoming) -> signing::Received<'_> {
    signing::Received {
        method: &req.method,
        path: &req.path,
        query: &req.query,
        headers: &req.headers,
        body: &req.body,
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

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Version byte of the sealed tokens.
const TOKEN_FORMAT: u8 = 1;
/// Random bytes in each token, so that two keys never share one.
const TOKEN_SALT: usize = 12;
/// The SHA-256 HMAC that seals a token.
const TOKEN_MAC: usize = 32;
/// The prefix of every security token (as the real service's).
const TOKEN_PREFIX: &str = "CAIS";

/// The access keys the emulator accepts: one long-term key, and every temporary key its
/// STS issued that has not expired.
///
/// Temporary keys are not stored. Each security token carries its key id and expiry,
/// sealed with an HMAC under a key drawn when the emulator starts, and the key's secret is
/// an HMAC of its id under the same key. So the memory used does not grow with the keys
/// issued, an expired key is recognised as expired however long ago it expired, and a
/// token from another emulator (or a forged one) matches no key.
#[derive(Debug)]
pub(crate) struct KeyStore {
    /// The account that owns every key.
    pub account_id: String,
    main_id: String,
    main_secret: String,
    seal: [u8; 32],
}

/// What a valid security token says.
#[derive(Debug, PartialEq, Eq)]
struct Sealed {
    access_key_id: String,
    expires_ms: i64,
}

impl KeyStore {
    /// A store with one long-term key.
    pub fn new(account_id: String, id: String, secret: String) -> Self {
        Self {
            account_id,
            main_id: id,
            main_secret: secret,
            seal: rand::random(),
        }
    }

    /// Issues a temporary key valid for `duration_ms` from `now_ms`.
    pub fn issue(&self, now_ms: i64, duration_ms: i64) -> TemporaryKey {
        let access_key_id = format!("{TEMPORARY_PREFIX}{}", random_text(24));
        let expires_ms = now_ms.saturating_add(duration_ms);
        let mut payload = vec![TOKEN_FORMAT];
        payload.extend_from_slice(&expires_ms.to_be_bytes());
        // The id is 28 ASCII bytes: its length fits in one byte.
        payload.push(u8::try_from(access_key_id.len()).unwrap_or(u8::MAX));
        payload.extend_from_slice(access_key_id.as_bytes());
        payload.extend_from_slice(&rand::random::<[u8; TOKEN_SALT]>());
        let mac = self.mac(b"token", &payload);
        payload.extend_from_slice(&mac);
        TemporaryKey {
            access_key_secret: self.temporary_secret(&access_key_id),
            security_token: format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(&payload)),
            access_key_id,
            expires_ms,
        }
    }

    fn mac(&self, purpose: &[u8], message: &[u8]) -> [u8; TOKEN_MAC] {
        use hmac::Mac as _;
        let mut mac = self.mac_state(purpose);
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    fn mac_state(&self, purpose: &[u8]) -> HmacSha256 {
        use hmac::Mac as _;
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = <HmacSha256 as hmac::Mac>::new_from_slice(&self.seal)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        mac.update(purpose);
        mac.update(&[0]);
        mac
    }

    /// The secret of the temporary key `id`.
    fn temporary_secret(&self, id: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(b"secret", id.as_bytes()))
    }

    /// The key id and expiry of a token this store sealed; `None` for anything else.
    fn open(&self, token: &str) -> Option<Sealed> {
        use hmac::Mac as _;
        let bytes = URL_SAFE_NO_PAD
            .decode(token.strip_prefix(TOKEN_PREFIX)?)
            .ok()?;
        let (payload, mac) = bytes.split_at_checked(bytes.len().checked_sub(TOKEN_MAC)?)?;
        let mut check = self.mac_state(b"token");
        check.update(payload);
        check.verify_slice(mac).ok()?;
        let (&format, rest) = payload.split_first()?;
        let (expires, rest) = rest.split_first_chunk::<8>()?;
        let (&id_len, rest) = rest.split_first()?;
        let (id, salt) = rest.split_at_checked(usize::from(id_len))?;
        if format != TOKEN_FORMAT || salt.len() != TOKEN_SALT {
            return None;
        }
        Some(Sealed {
            access_key_id: String::from_utf8(id.to_vec()).ok()?,
            expires_ms: i64::from_be_bytes(*expires),
        })
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

/// The nonces of verified requests.
///
/// A request is accepted only while its timestamp lies within the window of the
/// emulator's clock, so a nonce is remembered until its request's timestamp leaves the
/// window, and for at least one window after it was first seen: until `max(timestamp,
/// first seen) + window`. A replay within that time is refused; after it, a replay of the
/// same signed request is refused by the timestamp check. Memory is therefore bounded by
/// the requests of the last two windows, not by every request ever received.
///
/// Each nonce is kept as a 64-bit keyed hash (SipHash with a key drawn at start) and its
/// expiry, about 28 bytes per nonce (measured by the soak benchmark). Two different nonces share a hash with a probability of about
/// n / 2^64 per request for n remembered nonces; the loser is answered
/// `SignatureNonceUsed`, which clients retry with a new nonce.
#[derive(Debug)]
pub(crate) struct NonceCache {
    window_ms: i64,
    inner: Mutex<NonceSet>,
}

#[derive(Debug, Default)]
struct NonceSet {
    hasher: RandomState,
    seen: HashSet<u64>,
    /// `(forget at, hash)`, soonest first.
    expiries: BinaryHeap<Reverse<(i64, u64)>>,
}

impl NonceCache {
    /// An empty cache for a timestamp window of `window_ms` (at least 1 ms).
    pub fn new(window_ms: i64) -> Self {
        Self {
            window_ms: window_ms.max(1),
            inner: Mutex::new(NonceSet::default()),
        }
    }

    /// The largest accepted distance between a timestamp and the clock, in milliseconds.
    pub fn window_ms(&self) -> i64 {
        self.window_ms
    }

    /// Records `nonce` of a request signed at `signed_ms`, received at `now_ms`; `false`
    /// when it is still remembered from an earlier request.
    pub fn insert(&self, nonce: &str, signed_ms: i64, now_ms: i64) -> bool {
        let mut set = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        set.forget_until(now_ms);
        let hash = set.hasher.hash_one(nonce);
        if !set.seen.insert(hash) {
            return false;
        }
        let forget_at = signed_ms.max(now_ms).saturating_add(self.window_ms);
        set.expiries.push(Reverse((forget_at, hash)));
        true
    }

    /// How many nonces are remembered at `now_ms`.
    #[cfg(test)]
    pub fn len(&self, now_ms: i64) -> usize {
        let mut set = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        set.forget_until(now_ms);
        set.seen.len()
    }
}

impl NonceSet {
    /// Forgets every nonce whose time is up at `now_ms` (kept through `forget_at`
    /// itself, when a timestamp exactly one window off is still accepted).
    fn forget_until(&mut self, now_ms: i64) {
        while let Some(Reverse((forget_at, hash))) = self.expiries.peek().copied() {
            if forget_at >= now_ms {
                break;
            }
            self.expiries.pop();
            self.seen.remove(&hash);
        }
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

/// Verifies a signed request (V3 or V1) with core's [`signing::verify`]. Unsigned
/// requests are refused with `IncompleteSignature`; the caller lets anonymous operations
/// through before this.
pub(crate) fn authenticate(
    req: &Incoming,
    scheme: Scheme,
    keys: &KeyStore,
    nonces: &NonceCache,
    now_ms: i64,
) -> Result<Caller, ApiError> {
    let received = received(req);
    let refused = |rejection| refusal(rejection, scheme);
    let claim = signing::claim(&received).map_err(refused)?;
    let secret = secret_for(keys, claim.access_key_id, claim.security_token, now_ms)?;
    let signed_ms = check_timestamp(claim.timestamp, now_ms, nonces.window_ms())?;
    signing::verify(&received, &secret).map_err(refused)?;
    if !nonces.insert(claim.nonce, signed_ms, now_ms) {
        return Err(ApiError::nonce_used());
    }
    Ok(Caller {
        access_key_id: claim.access_key_id.to_owned(),
        account: keys.account_id.clone(),
    })
}

/// The gateway's answer to a request that does not verify.
fn refusal(rejection: Rejection, scheme: Scheme) -> ApiError {
    match rejection {
        Rejection::MissingParameter(name) => ApiError::missing(name),
        Rejection::UnsupportedMethod => ApiError::invalid_signature_method(),
        Rejection::BodyHash { computed } => ApiError::content_sha256_mismatch(&computed),
        Rejection::Mismatch { string_to_sign } => ApiError::signature_mismatch(&string_to_sign),
        // A V1 request names what it lacks as a parameter.
        Rejection::MissingHeader(name) if scheme == Scheme::V1 => ApiError::missing(name),
        other @ (Rejection::Unsigned | Rejection::MissingHeader(_) | Rejection::Malformed(_)) => {
            ApiError::incomplete_signature(&other.to_string())
        }
    }
}

/// The secret of `id`, after checking a temporary key's token and expiry.
///
/// The long-term key takes no token: with one this emulator cannot read,
/// `InvalidSecurityToken.Malformed`; with one it issued, `InvalidSecurityToken.Expired`
/// once that token expired, else `InvalidSecurityToken.MismatchWithAccessKey`.
///
/// An `STS.` id is a temporary key: without a token, or with a token that is not the
/// one issued with it, `InvalidSecurityToken.MismatchWithAccessKey`; after its expiry,
/// `InvalidSecurityToken.Expired`. Any other id but the long-term one is not found.
fn secret_for<'k>(
    keys: &'k KeyStore,
    id: &str,
    token: Option<&str>,
    now_ms: i64,
) -> Result<Cow<'k, str>, ApiError> {
    let token = token.filter(|t| !t.is_empty());
    if id == keys.main_id {
        // A long-term key signs without a token; one that sends a token sends one the
        // gateway resolves, or is refused: a token this emulator never issued (or cannot
        // read) is malformed, one it issued is expired or another key's.
        return match token {
            None => Ok(Cow::Borrowed(&keys.main_secret)),
            Some(t) => match keys.open(t) {
                None => Err(ApiError::token_malformed()),
                Some(sealed) if sealed.expires_ms <= now_ms => Err(ApiError::token_expired()),
                Some(_) => Err(ApiError::token_mismatch()),
            },
        };
    }
    if !id.starts_with(TEMPORARY_PREFIX) {
        return Err(ApiError::access_key_not_found());
    }
    let sealed = token
        .and_then(|t| keys.open(t))
        .filter(|sealed| sealed.access_key_id == id)
        .ok_or_else(ApiError::token_mismatch)?;
    if sealed.expires_ms <= now_ms {
        return Err(ApiError::token_expired());
    }
    Ok(Cow::Owned(keys.temporary_secret(id)))
}

/// Checks a `YYYY-MM-DDTHH:MM:SSZ` timestamp against the clock; returns it in epoch
/// milliseconds.
fn check_timestamp(value: &str, now_ms: i64, window_ms: i64) -> Result<i64, ApiError> {
    let t = clock::parse_iso(value).ok_or_else(ApiError::timestamp_format)?;
    if (t - now_ms).abs() > window_ms {
        return Err(ApiError::timestamp_expired());
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn nonces_are_single_use_within_the_window() {
        let cache = NonceCache::new(DEFAULT_WINDOW_MS);
        assert!(cache.insert("n", 0, 0));
        assert!(!cache.insert("n", 0, 1));
        assert!(cache.insert("m", 0, 0));
        // Reused 14 minutes later, signed again at that time: still refused.
        assert!(!cache.insert("n", 14 * MIN, 14 * MIN));
        // First seen at 0: remembered through 15 minutes, then forgotten.
        assert!(!cache.insert("n", 15 * MIN, 15 * MIN));
        assert_eq!(cache.len(15 * MIN + 1), 0);
        assert!(cache.insert("n", 15 * MIN + 1, 15 * MIN + 1));
    }

    #[test]
    fn a_nonce_signed_ahead_of_the_clock_is_kept_until_its_timestamp_leaves_the_window() {
        let cache = NonceCache::new(DEFAULT_WINDOW_MS);
        // Signed 10 minutes in the future (within the window): a replay of that request
        // passes the timestamp check through 25 minutes, so the nonce is kept that long.
        assert!(cache.insert("ahead", 10 * MIN, 0));
        assert!(!cache.insert("ahead", 10 * MIN, 25 * MIN));
        assert!(cache.insert("ahead", 10 * MIN, 25 * MIN + 1));
    }

    #[test]
    fn every_replay_the_timestamp_check_lets_through_is_refused() {
        // Whatever the timestamp of the first request (within the window of its arrival
        // at 0), a replay at any time the same timestamp is still accepted is refused.
        let window = 5 * MIN;
        let first = 1_700_000_000_000; // a whole second, as wire timestamps are
        let mut accepted_replays = 0;
        for offset in [-window, -1000, 0, 1000, window] {
            let signed = first + offset;
            for after in [0, 1000, window - 1000, window, window + 1000, 2 * window] {
                let later = first + after;
                let cache = NonceCache::new(window);
                assert!(cache.insert("x", signed, first));
                if check_timestamp(&clock::iso(signed), later, window).is_ok() {
                    accepted_replays += 1;
                    assert!(
                        !cache.insert("x", signed, later),
                        "signed {signed}, replayed at {later}"
                    );
                }
            }
        }
        assert!(accepted_replays > 10);
    }

    #[test]
    fn nonce_memory_is_bounded_by_the_window() {
        let window = 1000;
        let cache = NonceCache::new(window);
        // One nonce per millisecond for 20 windows: never more than two windows' worth.
        for t in 0..20 * window {
            assert!(cache.insert(&format!("n{t}"), t, t));
            assert!(cache.len(t) <= 2 * usize::try_from(window).unwrap() + 1);
        }
        assert_eq!(cache.len(20 * window + window), 0);
    }

    #[test]
    fn temporary_keys_need_their_token_and_expire() {
        let keys = KeyStore::new("1".into(), "id".into(), "s".into());
        let key = keys.issue(0, 1000);
        assert!(key.access_key_id.starts_with("STS."));
        assert!(key.security_token.starts_with("CAIS"));
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
        // Long after: still recognised as expired, nothing was kept for it.
        assert_eq!(
            secret_for(
                &keys,
                &key.access_key_id,
                Some(&key.security_token),
                i64::MAX
            )
            .unwrap_err()
            .code,
            "InvalidSecurityToken.Expired"
        );
        assert_eq!(secret_for(&keys, "nope", None, 0).unwrap_err().status, 404);
        assert_eq!(secret_for(&keys, "id", None, 0).unwrap(), "s");
        assert_eq!(secret_for(&keys, "id", Some(""), 0).unwrap(), "s");
        // The long-term key with a token: refused whatever the token.
        let code = |token: &str, now| secret_for(&keys, "id", Some(token), now).unwrap_err().code;
        assert_eq!(code("CAISunknown", 10), "InvalidSecurityToken.Malformed");
        assert_eq!(code("not-a-token", 10), "InvalidSecurityToken.Malformed");
        assert_eq!(
            code(&key.security_token, 1000),
            "InvalidSecurityToken.Expired"
        );
        assert_eq!(
            code(&key.security_token, 10),
            "InvalidSecurityToken.MismatchWithAccessKey"
        );
    }

    #[test]
    fn a_token_only_opens_its_own_key_in_its_own_emulator() {
        let keys = KeyStore::new("1".into(), "id".into(), "s".into());
        let a = keys.issue(0, 1000);
        let b = keys.issue(0, 1000);
        assert_ne!(a.access_key_id, b.access_key_id);
        assert_ne!(a.access_key_secret, b.access_key_secret);
        let mismatch = "InvalidSecurityToken.MismatchWithAccessKey";
        // Another key's token.
        let err = secret_for(&keys, &a.access_key_id, Some(&b.security_token), 1).unwrap_err();
        assert_eq!(err.code, mismatch);
        // Another emulator's token.
        let other = KeyStore::new("1".into(), "id".into(), "s".into());
        let err = secret_for(&other, &a.access_key_id, Some(&a.security_token), 1).unwrap_err();
        assert_eq!(err.code, mismatch);
        // A later expiry written into the token breaks its seal.
        let bytes = URL_SAFE_NO_PAD
            .decode(a.security_token.strip_prefix("CAIS").unwrap())
            .unwrap();
        let mut forged = bytes.clone();
        forged[1..9].copy_from_slice(&i64::MAX.to_be_bytes());
        let forged = format!("CAIS{}", URL_SAFE_NO_PAD.encode(forged));
        let err = secret_for(&keys, &a.access_key_id, Some(&forged), 2000).unwrap_err();
        assert_eq!(err.code, mismatch);
        // Garbage of every length.
        for len in 0..bytes.len() + 2 {
            let junk = format!("CAIS{}", URL_SAFE_NO_PAD.encode(vec![7u8; len]));
            assert!(keys.open(&junk).is_none(), "{len}");
            assert!(keys.open(&format!("CAIS{}", "!".repeat(len))).is_none());
        }
        assert!(keys.open("").is_none());
        assert!(keys.open(&bytes.len().to_string()).is_none());
    }
}

//! RPC signature V1: HMAC-SHA1, `SignatureVersion=1.0`.
//!
//! ```text
//! pairs  = every query param except Signature, plus the body params (body wins on a key clash)
//! CQS    = pairs sorted bytewise by key, enc(k) "=" enc(v), joined "&"
//! STS    = METHOD "&" "%2F" "&" enc(CQS)
//! key    = AccessKeySecret "&"
//! Signature = base64_std(HMAC-SHA1(key, STS))
//! ```
//!
//! `enc` is the RFC 3986 rule of [`super::encode`]. No header is signed in V1.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::encode::{canonical_query_string, percent_encode};

/// The name of the query parameter that carries the V1 signature (never itself signed).
pub const SIGNATURE_PARAM: &str = "Signature";

/// The parameters V1 adds to every request (the signature's own, not the operation's).
pub const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Format",
    "Version",
    "Timestamp",
    "SignatureNonce",
    "SecurityToken",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    SIGNATURE_PARAM,
];

/// Every intermediate stage of one V1 signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V1Signature {
    /// The signed parameters: deduplicated (last occurrence of a key wins) and sorted bytewise
    /// by key.
    pub sorted_params: Vec<(String, String)>,
    /// `METHOD&%2F&enc(canonical query string)`.
    pub string_to_sign: String,
    /// Base64 (standard alphabet, padded) of HMAC-SHA1 over the string to sign.
    pub signature: String,
}

/// The HMAC key V1 uses: the `AccessKey` secret followed by `&`.
pub fn hmac_key(secret: &str) -> String {
    format!("{secret}&")
}

/// Signs `params` with V1.
///
/// `params` are all query parameters followed by all body parameters, in any order, without
/// `Signature` (a `Signature` pair, if present, is ignored). When a key occurs more than once
/// the **last** occurrence wins, so passing query params first and body params after gives the
/// official SDK's "body wins" merge. The string to sign always uses `/` as path (`%2F`).
pub fn sign(method: &str, params: &[(String, String)], secret: &str) -> V1Signature {
    let mut merged: Vec<(String, String)> = Vec::with_capacity(params.len());
    for (k, v) in params {
        if k == SIGNATURE_PARAM {
            continue;
        }
        match merged.iter_mut().find(|(mk, _)| mk == k) {
            Some(slot) => slot.1.clone_from(v),
            None => merged.push((k.clone(), v.clone())),
        }
    }
    merged.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let cqs = canonical_query_string(&merged);
    let string_to_sign = format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode("/"),
        percent_encode(&cqs)
    );
    let signature = STANDARD.encode(hmac_sha1(
        hmac_key(secret).as_bytes(),
        string_to_sign.as_bytes(),
    ));
    V1Signature {
        sorted_params: merged,
        string_to_sign,
        signature,
    }
}

/// HMAC-SHA1 of `msg` under `key`.
fn hmac_sha1(key: &[u8], msg: &[u8]) -> Vec<u8> {
    // HMAC is defined for keys of every length (long keys are hashed, short ones padded), so
    // `new_from_slice` cannot fail for `Hmac<Sha1>`; the error arm is unreachable.
    #[allow(clippy::expect_used)]
    let mut mac =
        <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn later_duplicate_wins_and_signature_ignored() {
        let s = sign(
            "post",
            &p(&[("B", "q"), ("A", "1"), ("Signature", "x"), ("B", "body")]),
            "k",
        );
        assert_eq!(s.sorted_params, p(&[("A", "1"), ("B", "body")]));
        assert_eq!(s.string_to_sign, "POST&%2F&A%3D1%26B%3Dbody");
    }

    #[test]
    fn empty_secret_is_fine() {
        let s = sign("GET", &[], "");
        assert_eq!(s.string_to_sign, "GET&%2F&");
        assert!(!s.signature.is_empty());
    }
}

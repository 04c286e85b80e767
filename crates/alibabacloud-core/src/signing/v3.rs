//! Signature V3: `ACS3-HMAC-SHA256`.
//!
//! ```text
//! CanonicalRequest = METHOD "\n" path "\n" CanonicalQueryString "\n"
//!                    CanonicalHeaders "\n" SignedHeaders "\n" HashedRequestPayload
//! StringToSign     = "ACS3-HMAC-SHA256" "\n" hex(SHA256(CanonicalRequest))
//! Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//! Authorization    = "ACS3-HMAC-SHA256 Credential=" id ",SignedHeaders=" names ",Signature=" sig
//! ```
//!
//! `CanonicalHeaders` holds one `name:value\n` line per header given (lowercased name, trimmed
//! value), sorted by name; `SignedHeaders` is the same names joined by `;`. Sign exactly the
//! headers you send (except `Authorization`).

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::encode::canonical_query_string;

/// The algorithm name, first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lowercase hex SHA-256 of the exact body bytes (`x-acs-content-sha256`). Empty body →
/// `e3b0c442…b855`.
pub fn hash_payload(body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY_PAYLOAD_HASH.to_owned();
    }
    hex32(&Sha256::digest(body))
}

/// SHA-256 of the empty body, the payload hash of every RPC call without a body.
pub const EMPTY_PAYLOAD_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The parts of a request that go into the V3 canonical request.
#[derive(Clone, Copy, Debug)]
pub struct CanonicalInput<'a> {
    /// HTTP method; upper-cased when canonicalized.
    pub method: &'a str,
    /// The URL path (`/` for RPC APIs); an empty path is treated as `/`.
    pub path: &'a str,
    /// Query pairs as sent (unencoded); sorted and encoded here.
    pub query: &'a [(String, String)],
    /// Every header that will be sent, except `Authorization`. Names are lowercased and values
    /// trimmed here; a name given twice becomes one line with the values sorted and joined by
    /// `,`.
    pub headers: &'a [(String, String)],
    /// Lowercase hex SHA-256 of the body (see [`hash_payload`]).
    pub hashed_payload: &'a str,
}

/// Every intermediate stage of one V3 signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V3Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// Lowercase hex SHA-256 of the canonical request.
    pub hashed_canonical_request: String,
    /// `ACS3-HMAC-SHA256\n` + hashed canonical request.
    pub string_to_sign: String,
    /// Lowercased header names joined by `;`, sorted.
    pub signed_headers: String,
    /// Lowercase hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret.
    pub signature: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
}

/// Canonical headers block (each line ending in `\n`) and signed-header names.
fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut lowered: Vec<(Cow<'_, str>, &str)> = headers
        .iter()
        .map(|(k, v)| {
            let name = if k.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(k.to_ascii_lowercase())
            } else {
                Cow::Borrowed(k.as_str())
            };
            (name, v.trim())
        })
        .collect();
    lowered.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let mut block = String::with_capacity(512);
    let mut names = String::with_capacity(160);
    for group in lowered.chunk_by(|a, b| a.0 == b.0) {
        let Some((name, first)) = group.first() else {
            continue;
        };
        block.push_str(name);
        block.push(':');
        if let [_] = group {
            block.push_str(first);
        } else {
            let mut values: Vec<&str> = group.iter().map(|(_, v)| *v).collect();
            values.sort_unstable();
            block.push_str(&values.join(","));
        }
        block.push('\n');
        if !names.is_empty() {
            names.push(';');
        }
        names.push_str(name);
    }
    (block, names)
}

/// Lowercase hex of a 32-byte digest, without a heap round-trip per byte.
fn hex32(digest: &[u8]) -> String {
    let mut buffer = [0u8; 64];
    match hex::encode_to_slice(digest, &mut buffer) {
        Ok(()) => String::from_utf8_lossy(&buffer).into_owned(),
        Err(_) => hex::encode(digest),
    }
}

/// Computes every stage of the V3 signature of `input`.
pub fn sign(input: &CanonicalInput<'_>, access_key_id: &str, secret: &str) -> V3Signature {
    let (headers_block, signed_headers) = canonical_headers(input.headers);
    let path = if input.path.is_empty() {
        "/"
    } else {
        input.path
    };
    let method = if input.method.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(input.method.to_ascii_uppercase())
    } else {
        Cow::Borrowed(input.method)
    };
    let query = canonical_query_string(input.query);
    let parts = [
        &*method,
        path,
        &query,
        &headers_block,
        &signed_headers,
        input.hashed_payload,
    ];
    let mut canonical_request = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            canonical_request.push('\n');
        }
        canonical_request.push_str(part);
    }
    let hashed_canonical_request = hex32(&Sha256::digest(canonical_request.as_bytes()));
    let string_to_sign = format!("{ALGORITHM}\n{hashed_canonical_request}");
    let signature = hex32(&hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    );
    V3Signature {
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

/// The string to sign and the `Authorization` value of a request, computed as [`sign`]
/// computes them but without building the canonical request: its parts are fed to the
/// hash as they are encoded, the headers and query pairs are sorted as references (on the
/// stack for up to [`STACK_PAIRS`] of each), and nothing is copied. `headers` are the
/// headers sent (names lowercase, as the signer produces them); `method` is upper case.
pub(crate) fn sign_streaming(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(&str, &str)],
    hashed_payload: &str,
    access_key_id: &str,
    secret: &str,
) -> (String, String) {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b"\n");
    hasher.update(if path.is_empty() { "/" } else { path }.as_bytes());
    hasher.update(b"\n");
    with_sorted(
        query,
        |(k, _)| k.as_bytes(),
        |pairs| {
            for (index, (k, v)) in pairs.iter().enumerate() {
                if index > 0 {
                    hasher.update(b"&");
                }
                for chunk in percent_encoding::utf8_percent_encode(k, super::encode::RFC3986) {
                    hasher.update(chunk.as_bytes());
                }
                hasher.update(b"=");
                for chunk in percent_encoding::utf8_percent_encode(v, super::encode::RFC3986) {
                    hasher.update(chunk.as_bytes());
                }
            }
        },
    );
    hasher.update(b"\n");
    let mut signed_headers = String::with_capacity(160);
    let unique = with_sorted(
        headers,
        |(name, _)| name.as_bytes(),
        |sorted| {
            if sorted.windows(2).any(|w| w[0].0 == w[1].0) {
                return false;
            }
            for (name, value) in sorted {
                hasher.update(name.as_bytes());
                hasher.update(b":");
                hasher.update(value.trim().as_bytes());
                hasher.update(b"\n");
                if !signed_headers.is_empty() {
                    signed_headers.push(';');
                }
                signed_headers.push_str(name);
            }
            true
        },
    );
    if !unique {
        // A header given twice: the rare case, canonicalized by the staged signer.
        let owned: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let signature = sign(
            &CanonicalInput {
                method,
                path,
                query,
                headers: &owned,
                hashed_payload,
            },
            access_key_id,
            secret,
        );
        return (signature.string_to_sign, signature.authorization);
    }
    hasher.update(b"\n");
    hasher.update(signed_headers.as_bytes());
    hasher.update(b"\n");
    hasher.update(hashed_payload.as_bytes());
    let mut hex = [0u8; 64];
    let _ = hex::encode_to_slice(hasher.finalize(), &mut hex);
    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 1 + 64);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(std::str::from_utf8(&hex).unwrap_or_default());
    let _ = hex::encode_to_slice(
        hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()),
        &mut hex,
    );
    let signature = std::str::from_utf8(&hex).unwrap_or_default();
    let mut authorization = String::with_capacity(
        ALGORITHM.len() + 40 + access_key_id.len() + signed_headers.len() + 64,
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(access_key_id);
    authorization.push_str(",SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(",Signature=");
    authorization.push_str(signature);
    (string_to_sign, authorization)
}

/// How many pairs [`sign_streaming`] sorts on the stack; more take one allocation.
pub(crate) const STACK_PAIRS: usize = 24;

/// Calls `f` with references to `items` sorted bytewise (stably) by `key`, without
/// allocating for up to [`STACK_PAIRS`] items.
fn with_sorted<T, R>(items: &[T], key: impl Fn(&T) -> &[u8], f: impl FnOnce(&[&T]) -> R) -> R {
    let Some(first) = items.first() else {
        return f(&[]);
    };
    if items.len() <= STACK_PAIRS {
        let mut buffer: [&T; STACK_PAIRS] = [first; STACK_PAIRS];
        for (slot, item) in buffer.iter_mut().zip(items) {
            *slot = item;
        }
        let sorted = &mut buffer[..items.len()];
        // A stable sort of a few references sorts in place, on the stack.
        sorted.sort_by(|a, b| key(a).cmp(key(b)));
        return f(sorted);
    }
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| key(a).cmp(key(b)));
    f(&sorted)
}

/// HMAC-SHA256 of `msg` under `key`.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC is defined for keys of every length (long keys are hashed, short ones padded), so
    // `new_from_slice` cannot fail for `Hmac<Sha256>`; the error arm is unreachable.
    #[allow(clippy::expect_used)]
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
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
    fn empty_payload_hash() {
        assert_eq!(
            hash_payload(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn headers_lowercased_trimmed_sorted_and_merged() {
        let (block, names) = canonical_headers(&p(&[
            ("X-Acs-B", "  2 "),
            ("host", "h"),
            ("x-acs-b", "1"),
            ("Accept", "application/json"),
        ]));
        assert_eq!(block, "accept:application/json\nhost:h\nx-acs-b:1,2\n");
        assert_eq!(names, "accept;host;x-acs-b");
    }

    #[test]
    fn empty_query_gives_empty_line() {
        let s = sign(
            &CanonicalInput {
                method: "get",
                path: "",
                query: &[],
                headers: &p(&[("host", "h")]),
                hashed_payload: &hash_payload(b""),
            },
            "id",
            "",
        );
        assert!(
            s.canonical_request
                .starts_with("GET\n/\n\nhost:h\n\nhost\n")
        );
        assert_eq!(s.signature.len(), 64);
    }
}

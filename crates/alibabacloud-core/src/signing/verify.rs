//! Server-side verification: what a gateway does with a signed request. The canonical
//! request (V3) or the sorted parameters (V1) are rebuilt from the request as received,
//! signed with the secret of the access key it names, and the two signatures compared; the
//! server's string-to-sign is reported either way, as the gateway echoes it in
//! `SignatureDoesNotMatch`.
//!
//! Two steps, so that a server can look up the secret and check the time in between:
//! [`claim`] reads who signed the request and when (and refuses a request whose signature
//! parts are absent or malformed); [`verify`] checks the signature with a secret. Used by
//! the emulator and by the test suites' loopback servers.

use std::fmt;

use super::{FORM_CONTENT_TYPE, SignatureVersion, encode, v1, v3};

/// A request as a server received it.
#[derive(Clone, Copy, Debug)]
pub struct Received<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// URL path.
    pub path: &'a str,
    /// The query pairs, decoded (see [`encode::parse_pairs`]), in wire order.
    pub query: &'a [(String, String)],
    /// Every header, names lower case, in wire order.
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

impl<'a> Received<'a> {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The last value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.query
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// How the request is signed: V3 with an `Authorization` header, V1 with a `Signature`
    /// or `AccessKeyId` query parameter; `None` when it is not signed.
    pub fn signature_version(&self) -> Option<SignatureVersion> {
        if self.header("authorization").is_some() {
            Some(SignatureVersion::V3)
        } else if self.param(v1::SIGNATURE_PARAM).is_some() || self.param("AccessKeyId").is_some() {
            Some(SignatureVersion::V1)
        } else {
            None
        }
    }
}

/// Why a request does not verify. `Display` gives a sentence for a log or a test failure;
/// a server words its own error answer from the variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Neither an `Authorization` header nor a `Signature` parameter.
    Unsigned,
    /// A V1 parameter the signature needs is absent or empty.
    MissingParameter(&'static str),
    /// A V3 header the signature needs is absent.
    MissingHeader(&'static str),
    /// V1 with a `SignatureMethod` other than `HMAC-SHA1` or a `SignatureVersion` other
    /// than `1.0`.
    UnsupportedMethod,
    /// The signature parts are malformed: the reason, as a sentence.
    Malformed(String),
    /// V3: `x-acs-content-sha256` is not the SHA-256 of the body.
    BodyHash {
        /// The hash of the body received, lowercase hex.
        computed: String,
    },
    /// Well formed, but the signature is not the one the secret gives.
    Mismatch {
        /// The string the server signed.
        string_to_sign: String,
    },
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Unsigned => f.write_str(
                "The request carries neither an Authorization header nor a Signature parameter.",
            ),
            Rejection::MissingParameter(name) => write!(f, "The {name} parameter is missing."),
            Rejection::MissingHeader(name) => write!(f, "The {name} header is missing."),
            Rejection::UnsupportedMethod => {
                f.write_str("SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.")
            }
            Rejection::Malformed(reason) => f.write_str(reason),
            Rejection::BodyHash { computed } => write!(
                f,
                "The x-acs-content-sha256 header is not the SHA-256 of the body, which is \
                 {computed}."
            ),
            Rejection::Mismatch { string_to_sign } => write!(
                f,
                "The signature does not match; the server's string to sign is {string_to_sign:?}."
            ),
        }
    }
}

impl std::error::Error for Rejection {}

/// The parts of a V3 `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The access key id (`Credential=`).
    pub credential: &'a str,
    /// The signed header names as sent (`SignedHeaders=`, `;`-separated).
    pub signed_headers: &'a str,
    /// The signature, hex (`Signature=`).
    pub signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// Parses `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`.
    pub fn parse(value: &'a str) -> Result<Self, Rejection> {
        let value = value.trim();
        let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
        if algorithm != v3::ALGORITHM {
            return Err(Rejection::Malformed(format!(
                "Unsupported signature algorithm {algorithm}; expected {}.",
                v3::ALGORITHM
            )));
        }
        let field = |name: &str| {
            rest.split(',')
                .filter_map(|part| part.trim().split_once('='))
                .find(|(key, _)| key.trim() == name)
                .map(|(_, value)| value.trim())
                .filter(|value| !value.is_empty())
                .ok_or_else(|| {
                    Rejection::Malformed(format!("The Authorization header has no {name}."))
                })
        };
        Ok(Self {
            credential: field("Credential")?,
            signed_headers: field("SignedHeaders")?,
            signature: field("Signature")?,
        })
    }
}

/// What a signed request says of itself, read before its secret is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim<'a> {
    /// How it is signed.
    pub version: SignatureVersion,
    /// The access key id it names.
    pub access_key_id: &'a str,
    /// The STS security token it carries, if any (`x-acs-security-token`, `SecurityToken`).
    pub security_token: Option<&'a str>,
    /// Its timestamp as sent (`x-acs-date`, `Timestamp`), `YYYY-MM-DDTHH:MM:SSZ` when well
    /// formed; not checked here.
    pub timestamp: &'a str,
    /// Its signature nonce.
    pub nonce: &'a str,
}

/// The headers a V3 request must send and sign.
const V3_SIGNED: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// The parameters a V1 request must send, besides `SignatureMethod` and
/// `SignatureVersion`.
const V1_REQUIRED: [&str; 6] = [
    "AccessKeyId",
    v1::SIGNATURE_PARAM,
    "Action",
    "Version",
    "Timestamp",
    "SignatureNonce",
];

/// Reads who signed `request` and when; refuses a request that is not signed, or whose
/// signature parts are absent or malformed.
pub fn claim<'a>(request: &Received<'a>) -> Result<Claim<'a>, Rejection> {
    match request.signature_version() {
        Some(SignatureVersion::V3) => {
            let authorization =
                Authorization::parse(request.header("authorization").unwrap_or(""))?;
            let required =
                |name: &'static str| request.header(name).ok_or(Rejection::MissingHeader(name));
            Ok(Claim {
                version: SignatureVersion::V3,
                access_key_id: authorization.credential,
                security_token: request.header("x-acs-security-token"),
                timestamp: required("x-acs-date")?,
                nonce: required("x-acs-signature-nonce")?,
            })
        }
        Some(SignatureVersion::V1) => {
            let required = |name: &'static str| {
                request
                    .param(name)
                    .filter(|value| !value.is_empty())
                    .ok_or(Rejection::MissingParameter(name))
            };
            let access_key_id = required("AccessKeyId")?;
            required(v1::SIGNATURE_PARAM)?;
            if required("SignatureMethod")? != "HMAC-SHA1" || required("SignatureVersion")? != "1.0"
            {
                return Err(Rejection::UnsupportedMethod);
            }
            for name in V1_REQUIRED {
                required(name)?;
            }
            Ok(Claim {
                version: SignatureVersion::V1,
                access_key_id,
                security_token: request.param("SecurityToken"),
                timestamp: required("Timestamp")?,
                nonce: required("SignatureNonce")?,
            })
        }
        None => Err(Rejection::Unsigned),
    }
}

/// The outcome of a signature that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// How the request was signed.
    pub version: SignatureVersion,
    /// The string the server signed (the client's, since they matched).
    pub string_to_sign: String,
}

/// Verifies the signature of `request` with `secret`, the secret of the access key its
/// [`claim`] names.
///
/// V3: the body hash must be that of the body; `host`, `x-acs-action`, `x-acs-version`,
/// `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` and every `content-type`
/// or `x-acs-*` header sent must be signed; every signed header must be sent, and
/// `SignedHeaders` must list them lower case, sorted, once each. V1: the parameters are the
/// query and, for a form body, the body's pairs. The timestamp and the nonce are the
/// caller's to check.
pub fn verify(request: &Received<'_>, secret: &str) -> Result<Verified, Rejection> {
    let claim = claim(request)?;
    match claim.version {
        SignatureVersion::V3 => verify_v3(request, claim, secret),
        SignatureVersion::V1 => verify_v1(request, secret),
    }
}

fn verify_v3(
    request: &Received<'_>,
    claim: Claim<'_>,
    secret: &str,
) -> Result<Verified, Rejection> {
    let authorization = Authorization::parse(request.header("authorization").unwrap_or(""))?;
    let claimed_hash = request
        .header("x-acs-content-sha256")
        .ok_or(Rejection::MissingHeader("x-acs-content-sha256"))?;
    let computed = v3::hash_payload(request.body);
    if !claimed_hash.eq_ignore_ascii_case(&computed) {
        return Err(Rejection::BodyHash { computed });
    }

    let listed: Vec<&str> = authorization.signed_headers.split(';').collect();
    for name in V3_SIGNED {
        if request.header(name).is_none() {
            return Err(Rejection::MissingHeader(name));
        }
    }
    for (name, _) in request.headers {
        let must_sign = name == "host" || name == "content-type" || name.starts_with("x-acs-");
        if must_sign && !listed.contains(&name.as_str()) {
            return Err(Rejection::Malformed(format!(
                "The {name} header must be signed (listed in SignedHeaders)."
            )));
        }
    }
    let mut signed = Vec::new();
    for name in &listed {
        let before = signed.len();
        signed.extend(request.headers.iter().filter(|(n, _)| n == name).cloned());
        if signed.len() == before {
            return Err(Rejection::Malformed(format!(
                "The signed header {name} is missing."
            )));
        }
    }

    let ours = v3::sign(
        &v3::CanonicalInput {
            method: request.method,
            path: request.path,
            query: request.query,
            headers: &signed,
            hashed_payload: claimed_hash,
        },
        claim.access_key_id,
        secret,
    );
    if ours.signed_headers != authorization.signed_headers {
        return Err(Rejection::Malformed(format!(
            "SignedHeaders {:?} is not lower case, sorted and without repeats.",
            authorization.signed_headers
        )));
    }
    if !same(
        &ours.signature,
        &authorization.signature.to_ascii_lowercase(),
    ) {
        return Err(Rejection::Mismatch {
            string_to_sign: ours.string_to_sign,
        });
    }
    Ok(Verified {
        version: SignatureVersion::V3,
        string_to_sign: ours.string_to_sign,
    })
}

fn verify_v1(request: &Received<'_>, secret: &str) -> Result<Verified, Rejection> {
    let mut params = request.query.to_vec();
    let form = request
        .header("content-type")
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with(FORM_CONTENT_TYPE));
    if form {
        params.extend(encode::parse_pairs(&String::from_utf8_lossy(request.body)));
    }
    let ours = v1::sign(request.method, &params, secret);
    let theirs = request.param(v1::SIGNATURE_PARAM).unwrap_or("");
    if !same(&ours.signature, theirs) {
        return Err(Rejection::Mismatch {
            string_to_sign: ours.string_to_sign,
        });
    }
    Ok(Verified {
        version: SignatureVersion::V1,
        string_to_sign: ours.string_to_sign,
    })
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
    use super::super::{Body, SigningInput, sign};
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    /// What a server receives: query pairs, headers, body.
    type Wire = (Vec<(String, String)>, Vec<(String, String)>, Vec<u8>);

    /// Signs a request with `version` and returns what a server would receive.
    fn signed(version: SignatureVersion) -> Wire {
        let body = Body::form(vec![p("Keyword", "a b+c")]);
        let query = vec![p("ShowSize", "10")];
        let input = SigningInput {
            method: "POST",
            host: "cas.aliyuncs.com",
            path: "/",
            action: "ListUserCertificateOrder",
            version: "2020-04-07",
            query: &query,
            body: Some(&body),
            access_key_id: "id",
            access_key_secret: "secret",
            security_token: Some("token"),
            nonce: "n1",
            timestamp: "2025-01-02T03:04:05Z",
            extra_headers: &[("user-agent", "test")],
        };
        let signed = sign(version, &input);
        let headers = signed
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        (signed.query.to_vec(), headers, body.bytes.clone())
    }

    fn received<'a>(
        query: &'a [(String, String)],
        headers: &'a [(String, String)],
        body: &'a [u8],
    ) -> Received<'a> {
        Received {
            method: "POST",
            path: "/",
            query,
            headers,
            body,
        }
    }

    #[test]
    fn what_sign_produces_verifies_and_another_secret_does_not() {
        for version in [SignatureVersion::V1, SignatureVersion::V3] {
            let (query, headers, body) = signed(version);
            let request = received(&query, &headers, &body);
            let claim = claim(&request).unwrap();
            assert_eq!(claim.version, version);
            assert_eq!(
                (claim.access_key_id, claim.security_token, claim.nonce),
                ("id", Some("token"), "n1")
            );
            assert_eq!(claim.timestamp, "2025-01-02T03:04:05Z");
            let verified = verify(&request, "secret").unwrap();
            let Err(Rejection::Mismatch { string_to_sign }) = verify(&request, "other") else {
                panic!("{version:?}: another secret must not verify");
            };
            assert_eq!(string_to_sign, verified.string_to_sign);
        }
    }

    #[test]
    fn tampering_is_caught() {
        // V3: a changed body breaks the hash; an unsigned x-acs header is refused.
        let (query, headers, _) = signed(SignatureVersion::V3);
        let request = received(&query, &headers, b"Keyword=other");
        assert!(matches!(
            verify(&request, "secret"),
            Err(Rejection::BodyHash { .. })
        ));
        let (query, mut headers, body) = signed(SignatureVersion::V3);
        headers.push(p("x-acs-extra", "1"));
        let request = received(&query, &headers, &body);
        assert!(matches!(
            verify(&request, "secret"),
            Err(Rejection::Malformed(_))
        ));
        // V1: a parameter added after signing.
        let (mut query, headers, body) = signed(SignatureVersion::V1);
        query.push(p("ShowSize", "11"));
        let request = received(&query, &headers, &body);
        assert!(matches!(
            verify(&request, "secret"),
            Err(Rejection::Mismatch { .. })
        ));
    }

    #[test]
    fn missing_and_malformed_parts_are_named() {
        let request = received(&[], &[], b"");
        assert_eq!(claim(&request), Err(Rejection::Unsigned));
        let query = vec![p("AccessKeyId", "id"), p("Signature", "x")];
        let request = received(&query, &[], b"");
        assert_eq!(
            claim(&request),
            Err(Rejection::MissingParameter("SignatureMethod"))
        );
        let query = vec![
            p("AccessKeyId", "id"),
            p("Signature", "x"),
            p("SignatureMethod", "HMAC-SHA256"),
            p("SignatureVersion", "1.0"),
        ];
        let request = received(&query, &[], b"");
        assert_eq!(claim(&request), Err(Rejection::UnsupportedMethod));
        let headers = vec![p("authorization", "ACS3-HMAC-SHA256 Credential=id")];
        let request = received(&[], &headers, b"");
        assert_eq!(
            claim(&request).unwrap_err().to_string(),
            "The Authorization header has no SignedHeaders."
        );
        let headers = vec![p("authorization", "HMAC x")];
        assert!(matches!(
            claim(&received(&[], &headers, b"")),
            Err(Rejection::Malformed(_))
        ));
        let headers = vec![p(
            "authorization",
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=ab",
        )];
        assert_eq!(
            claim(&received(&[], &headers, b"")),
            Err(Rejection::MissingHeader("x-acs-date"))
        );
    }
}

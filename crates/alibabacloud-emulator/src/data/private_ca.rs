//! Real X.509 certificates for the private CA service (CAS 2020-06-30): root CAs,
//! subordinate CAs and the server and client certificates they sign, with rcgen.
//!
//! A CA's key is stored with it (PKCS #8 PEM); to sign with a CA later, its rcgen issuer is
//! rebuilt from the stored subject and key, which gives the same issuer name and key
//! identifier the CA certificate carries, so every certificate chains to its root
//! (`openssl verify -CAfile root.pem -untrusted chain.pem leaf.pem`).

use md5::Digest as _;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType, SerialNumber, SignatureAlgorithm,
};

use super::model::{PrivateCertificate, Tag};
use crate::clock;

/// A key algorithm the emulator makes keys of, from the API's `Algorithm` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// RSA of this many bits (2048, 3072 or 4096).
    Rsa(i64),
    /// ECDSA P-256.
    P256,
    /// ECDSA P-384.
    P384,
}

impl KeyKind {
    /// `RSA_2048`, `RSA_4096`, `ECC_256`, `ECC_384` (and `RSA_3072`); `None` for the
    /// values the emulator cannot make (`RSA_1024`: too short to sign with; `ECC_512`,
    /// `SM2_256`).
    pub fn from_api(value: &str) -> Option<Self> {
        match value.to_ascii_uppercase().as_str() {
            "RSA_2048" => Some(Self::Rsa(2048)),
            "RSA_3072" => Some(Self::Rsa(3072)),
            "RSA_4096" => Some(Self::Rsa(4096)),
            "ECC_256" => Some(Self::P256),
            "ECC_384" => Some(Self::P384),
            _ => None,
        }
    }

    /// The kind of a stored certificate's key.
    pub fn of(cert: &PrivateCertificate) -> Self {
        match (cert.algorithm.as_str(), cert.key_size) {
            ("RSA", bits) => Self::Rsa(bits),
            (_, 384) => Self::P384,
            _ => Self::P256,
        }
    }

    /// `RSA` or `ECC`, and the size in bits.
    pub fn name_and_size(self) -> (&'static str, i64) {
        match self {
            Self::Rsa(bits) => ("RSA", bits),
            Self::P256 => ("ECC", 256),
            Self::P384 => ("ECC", 384),
        }
    }

    /// How this key signs.
    fn algorithm(self) -> &'static SignatureAlgorithm {
        match self {
            Self::Rsa(_) => &rcgen::PKCS_RSA_SHA256,
            Self::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            Self::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        }
    }

    /// The signature algorithm's name as the service spells it.
    pub fn sign_algorithm(self) -> &'static str {
        match self {
            Self::Rsa(_) => "SHA256WITHRSA",
            Self::P256 => "SHA256WITHECDSA",
            Self::P384 => "SHA384WITHECDSA",
        }
    }

    /// A new key pair and its PKCS #8 PEM.
    pub fn generate(self) -> Result<(KeyPair, String), String> {
        let (name, size) = self.name_and_size();
        super::pki::new_key(name, size)
    }
}

/// What a certificate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A self-signed root CA.
    Root,
    /// A CA signed by another, with a path length constraint.
    Sub(u8),
    /// A TLS server certificate.
    Server,
    /// A TLS client certificate.
    Client,
}

impl Kind {
    /// `ROOT`, `SUB_ROOT`, `SERVER` or `CLIENT`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Root => "ROOT",
            Self::Sub(_) => "SUB_ROOT",
            Self::Server => "SERVER",
            Self::Client => "CLIENT",
        }
    }
}

/// A subject alternative name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum San {
    Dns(String),
    Email(String),
    Uri(String),
    Ip(std::net::IpAddr),
}

impl San {
    fn text(&self) -> String {
        match self {
            Self::Dns(s) | Self::Email(s) | Self::Uri(s) => s.clone(),
            Self::Ip(ip) => ip.to_string(),
        }
    }

    fn rcgen(&self) -> Result<SanType, String> {
        let ia5 =
            |s: &str| rcgen::Ia5String::try_from(s.to_owned()).map_err(|e| format!("{s:?}: {e}"));
        Ok(match self {
            Self::Dns(s) => SanType::DnsName(ia5(s)?),
            Self::Email(s) => SanType::Rfc822Name(ia5(s)?),
            Self::Uri(s) => SanType::URI(ia5(s)?),
            Self::Ip(ip) => SanType::IpAddress(*ip),
        })
    }
}

/// What to certify.
pub(crate) struct Request<'a> {
    pub kind: Kind,
    /// The stored row, its subject fields, names and metadata set; the certificate, its
    /// chain, serial and digests are filled in here.
    pub row: PrivateCertificate,
    pub sans: Vec<San>,
    /// Extended key usages of a subordinate CA (`serverAuth`, `clientAuth`, ...).
    pub extended_key_usages: Vec<String>,
    /// The issuer (`None` for a root) and its key.
    pub issuer: Option<(&'a PrivateCertificate, &'a KeyPair)>,
    /// The subject's public key: a key pair, or a CSR's key.
    pub key: SubjectKey<'a>,
    pub serial: [u8; 16],
}

/// The public key a certificate certifies.
pub(crate) enum SubjectKey<'a> {
    /// A key the emulator holds.
    Pair(&'a KeyPair),
    /// The key of a caller's CSR.
    Csr(&'a crate::pem::ParsedCsr),
}

/// A CSR's key, as rcgen certifies it.
struct RequestedKey {
    bits: Vec<u8>,
    algorithm: &'static SignatureAlgorithm,
}

impl rcgen::PublicKeyData for RequestedKey {
    fn der_bytes(&self) -> &[u8] {
        &self.bits
    }

    fn algorithm(&self) -> &SignatureAlgorithm {
        self.algorithm
    }
}

/// The subject name of a stored row (the same bytes every time it is built).
fn distinguished_name(row: &PrivateCertificate) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    for (kind, value) in [
        (DnType::CountryName, &row.country_code),
        (DnType::StateOrProvinceName, &row.state),
        (DnType::LocalityName, &row.locality),
        (DnType::OrganizationName, &row.organization),
        (DnType::OrganizationalUnitName, &row.organization_unit),
        (DnType::CommonName, &row.common_name),
    ] {
        if !value.is_empty() {
            name.push(kind, value.as_str());
        }
    }
    name
}

fn ca_key_usages() -> Vec<KeyUsagePurpose> {
    vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ]
}

/// The rcgen issuer of a stored CA: its subject and key, self-signed (only the name and
/// key identifier are used when it signs).
fn issuer(ca: &PrivateCertificate, key: &KeyPair) -> Result<rcgen::Certificate, String> {
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name(ca);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = ca_key_usages();
    params
        .self_signed(key)
        .map_err(|e| format!("the CA cannot sign: {e}"))
}

/// The key of a stored certificate, to sign with.
pub(crate) fn key_of(cert: &PrivateCertificate) -> Result<KeyPair, String> {
    KeyPair::from_pkcs8_pem_and_sign_algo(&cert.private_key, KeyKind::of(cert).algorithm())
        .map_err(|e| format!("the stored key of {} is unusable: {e}", cert.identifier))
}

fn extended_key_usage(name: &str) -> Option<ExtendedKeyUsagePurpose> {
    Some(match name.to_ascii_lowercase().as_str() {
        "serverauth" => ExtendedKeyUsagePurpose::ServerAuth,
        "clientauth" => ExtendedKeyUsagePurpose::ClientAuth,
        "codesigning" => ExtendedKeyUsagePurpose::CodeSigning,
        "emailprotection" => ExtendedKeyUsagePurpose::EmailProtection,
        "timestamping" => ExtendedKeyUsagePurpose::TimeStamping,
        "ocspsigning" => ExtendedKeyUsagePurpose::OcspSigning,
        _ => return None,
    })
}

/// Signs `request`: the stored row with its certificate, chain (itself, then its issuers up
/// to the root), serial number and digests.
pub(crate) fn certify(request: Request<'_>) -> Result<PrivateCertificate, String> {
    let Request {
        kind,
        mut row,
        sans,
        extended_key_usages,
        issuer: signer,
        key,
        mut serial,
    } = request;
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name(&row);
    params.subject_alt_names = sans.iter().map(San::rcgen).collect::<Result<_, _>>()?;
    match kind {
        Kind::Root => {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = ca_key_usages();
        }
        Kind::Sub(path_len) => {
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(path_len));
            params.key_usages = ca_key_usages();
            for name in &extended_key_usages {
                params.extended_key_usages.push(
                    extended_key_usage(name)
                        .ok_or_else(|| format!("unknown extended key usage {name:?}"))?,
                );
            }
        }
        Kind::Server | Kind::Client => {
            params.is_ca = IsCa::ExplicitNoCa;
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            params.extended_key_usages = vec![if kind == Kind::Server {
                ExtendedKeyUsagePurpose::ServerAuth
            } else {
                ExtendedKeyUsagePurpose::ClientAuth
            }];
        }
    }
    params.use_authority_key_identifier_extension = signer.is_some();
    params.not_before = clock::datetime(row.before_ms);
    params.not_after = clock::datetime(row.after_ms);
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let made = match (signer, &key) {
        (None, SubjectKey::Pair(pair)) => params.self_signed(pair),
        (Some((ca, ca_key)), SubjectKey::Pair(pair)) => {
            params.signed_by(*pair, &issuer(ca, ca_key)?, ca_key)
        }
        (Some((ca, ca_key)), SubjectKey::Csr(csr)) => {
            let requested = RequestedKey {
                bits: csr.public_key.clone(),
                algorithm: match (csr.algorithm.as_str(), csr.key_size) {
                    ("RSA", _) => &rcgen::PKCS_RSA_SHA256,
                    (_, 384) => &rcgen::PKCS_ECDSA_P384_SHA384,
                    _ => &rcgen::PKCS_ECDSA_P256_SHA256,
                },
            };
            params.signed_by(&requested, &issuer(ca, ca_key)?, ca_key)
        }
        (None, SubjectKey::Csr(_)) => return Err("a root CA is not made from a CSR".to_owned()),
    }
    .map_err(|e| format!("the certificate cannot be made: {e}"))?;
    let der = made.der().as_ref();
    row.certificate = made.pem();
    row.chain = match signer {
        Some((ca, _)) => format!("{}{}", row.certificate, ca.chain),
        None => row.certificate.clone(),
    };
    row.serial_number = hex::encode(serial);
    row.md5 = hex::encode_upper(md5::Md5::digest(der));
    row.sha2 = hex::encode_upper(ring::digest::digest(&ring::digest::SHA256, der));
    row.certificate_type = kind.name().to_owned();
    row.sans = sans.iter().map(San::text).collect::<Vec<_>>().join(",");
    Ok(row)
}

/// A row with its subject and metadata, ready for [`certify`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn row(
    identifier: String,
    id: i64,
    key: KeyKind,
    subject: [&str; 6],
    parent: &str,
    before_ms: i64,
    after_ms: i64,
    created_ms: i64,
    tags: Vec<Tag>,
) -> PrivateCertificate {
    let [
        common_name,
        organization,
        organization_unit,
        locality,
        state,
        country_code,
    ] = subject;
    let (algorithm, key_size) = key.name_and_size();
    PrivateCertificate {
        identifier,
        id,
        certificate_type: String::new(),
        parent_identifier: parent.to_owned(),
        common_name: common_name.to_owned(),
        organization: organization.to_owned(),
        organization_unit: organization_unit.to_owned(),
        locality: locality.to_owned(),
        state: state.to_owned(),
        country_code: country_code.to_owned(),
        sans: String::new(),
        algorithm: algorithm.to_owned(),
        key_size,
        sign_algorithm: key.sign_algorithm().to_owned(),
        serial_number: String::new(),
        md5: String::new(),
        sha2: String::new(),
        before_ms,
        after_ms,
        certificate: String::new(),
        chain: String::new(),
        private_key: String::new(),
        status: "ISSUE".to_owned(),
        ca_status: String::new(),
        revoked_ms: None,
        deleted: false,
        cert_total_count: 0,
        alias_name: String::new(),
        custom_identifier: String::new(),
        resource_group_id: String::new(),
        tags,
        created_ms,
    }
}

/// `count` years, months and days after `from_ms`, by the calendar.
pub(crate) fn later(from_ms: i64, years: i64, months: i64, days: i64) -> i64 {
    let start = clock::datetime(from_ms);
    let total_months = i64::from(start.month() as u8) - 1 + years.saturating_mul(12) + months;
    let year = i64::from(start.year()) + total_months.div_euclid(12);
    let month = u8::try_from(total_months.rem_euclid(12) + 1).unwrap_or(1);
    let Ok(month) = time::Month::try_from(month) else {
        return from_ms;
    };
    let Ok(year) = i32::try_from(year.clamp(1970, 9999)) else {
        return from_ms;
    };
    let day = start.day().min(month.length(year));
    let Ok(date) = time::Date::from_calendar_date(year, month, day) else {
        return from_ms;
    };
    let moved = date.with_time(start.time()).assume_utc();
    (moved.unix_timestamp() * 1000 + from_ms.rem_euclid(1000))
        .saturating_add(days.saturating_mul(clock::DAY_MS))
}

/// The private key of `cert` encrypted with `password` (PKCS #8 PBES2: PBKDF2-SHA256 and
/// AES-256-CBC), PEM `ENCRYPTED PRIVATE KEY`, as DescribeCertificatePrivateKey answers.
pub(crate) fn encrypted_key(cert: &PrivateCertificate, password: &str) -> Result<String, String> {
    use pkcs8::der::Decode as _;
    use pkcs8::der::pem::LineEnding;
    let document = pkcs8::SecretDocument::from_pem(&cert.private_key)
        .map_err(|e| format!("the stored key is not PKCS #8: {e}"))?
        .1;
    let info = pkcs8::PrivateKeyInfo::from_der(document.as_bytes())
        .map_err(|e| format!("the stored key is not PKCS #8: {e}"))?;
    // PBES2 with PBKDF2-SHA256 (2,048 rounds, OpenSSL's default) and AES-256-CBC.
    let (salt, iv): ([u8; 16], [u8; 16]) = (rand::random(), rand::random());
    let params = pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(2_048, &salt, &iv)
        .map_err(|e| format!("the key cannot be encrypted: {e}"))?;
    let encrypted = info
        .encrypt_with_params(params, password.as_bytes())
        .map_err(|e| format!("the key cannot be encrypted: {e}"))?;
    encrypted
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| format!("the key cannot be encoded: {e}"))
}

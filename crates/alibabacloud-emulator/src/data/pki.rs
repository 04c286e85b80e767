//! Real certificates for issued DV orders: an emulator CA and leaf certificates signed by
//! it, with P-256 keys drawn from the data set's seeded generator. ECDSA signatures are
//! deterministic (RFC 6979), so the same seed gives the same PEM bytes.

use p256::SecretKey;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::pkcs8::{EncodePrivateKey as _, LineEnding};
use rand::Rng;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, RemoteKeyPair, SerialNumber, SignatureAlgorithm,
};

use crate::clock;

/// A P-256 key that signs deterministically, seen by rcgen as a remote key.
struct DeterministicKey {
    signing: SigningKey,
    public: Vec<u8>,
}

impl RemoteKeyPair for DeterministicKey {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        let signature: Signature = self.signing.sign(msg);
        Ok(signature.to_der().as_bytes().to_vec())
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

/// A secret key drawn from `rng` and rcgen's view of it.
pub(crate) fn key(rng: &mut impl Rng) -> Result<(SecretKey, KeyPair), rcgen::Error> {
    let secret = loop {
        let bytes: [u8; 32] = rng.r#gen();
        if let Ok(secret) = SecretKey::from_slice(&bytes) {
            break secret;
        }
    };
    let signing = SigningKey::from(&secret);
    let public = VerifyingKey::from(&signing)
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    let pair = KeyPair::from_remote(Box::new(DeterministicKey { signing, public }))?;
    Ok((secret, pair))
}

/// The emulator's certificate authority.
pub(crate) struct Authority {
    cert: rcgen::Certificate,
    key: KeyPair,
}

/// Name of the emulator CA (the `Issuer` of the issued certificates).
pub(crate) const AUTHORITY_NAME: &str = "Emulator DV TLS CA G1";

/// Creates the CA, valid from five years before `now_ms` to ten years after.
pub(crate) fn authority(rng: &mut impl Rng, now_ms: i64) -> Result<Authority, rcgen::Error> {
    let (_, key) = key(rng)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CountryName, "CN");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "alibabacloud-emulator");
    params
        .distinguished_name
        .push(DnType::CommonName, AUTHORITY_NAME);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = clock::datetime(now_ms - 5 * 365 * clock::DAY_MS);
    params.not_after = clock::datetime(now_ms + 10 * 365 * clock::DAY_MS);
    params.serial_number = Some(SerialNumber::from_slice(&rng.r#gen::<[u8; 16]>()));
    let cert = params.self_signed(&key)?;
    Ok(Authority { cert, key })
}

/// An issued certificate and its private key, both PEM.
pub(crate) struct Issued {
    /// The leaf certificate followed by the emulator CA's (`-----BEGIN CERTIFICATE-----`
    /// twice), as CAS downloads carry the chain.
    pub certificate: String,
    /// `-----BEGIN PRIVATE KEY-----` ... (PKCS #8).
    pub private_key: String,
}

/// Issues a server certificate for `domain` (and `www.` + it) valid over the given
/// epoch-millisecond range, signed by `ca`.
pub(crate) fn issue(
    ca: &Authority,
    rng: &mut impl Rng,
    domain: &str,
    not_before_ms: i64,
    not_after_ms: i64,
) -> Result<Issued, rcgen::Error> {
    let (secret, key) = key(rng)?;
    let mut params = CertificateParams::new(vec![domain.to_owned(), format!("www.{domain}")])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, domain);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = clock::datetime(not_before_ms);
    params.not_after = clock::datetime(not_after_ms);
    params.serial_number = Some(SerialNumber::from_slice(&rng.r#gen::<[u8; 16]>()));
    let cert = params.signed_by(&key, &ca.cert, &ca.key)?;
    let private_key = secret
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| rcgen::Error::KeyGenerationUnavailable)?;
    Ok(Issued {
        certificate: format!("{}{}", cert.pem(), ca.cert.pem()),
        private_key: private_key.to_string(),
    })
}

/// The authority that signs what the emulator issues at run time (certificate
/// applications): the same one in every run, so certificates issued before a restart on a
/// state file chain to it too.
pub(crate) fn issuing_authority() -> Result<Authority, rcgen::Error> {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x00ca_2026);
    // Valid 2021 to 2041, whatever the clock says.
    authority(&mut rng, 1_609_459_200_000 + 5 * 365 * clock::DAY_MS)
}

/// A new key for a CSR: `RSA` with 2048, 3072 or 4096 bits, or `ECC` P-256 / P-384. The
/// key pair and its PKCS#8 PEM.
pub(crate) fn new_key(algorithm: &str, size: i64) -> Result<(KeyPair, String), String> {
    let key = match (algorithm.to_ascii_uppercase().as_str(), size) {
        ("RSA", 2048 | 3072 | 4096) => {
            use rsa::pkcs8::EncodePrivateKey;
            let bits = usize::try_from(size).unwrap_or(2048);
            let rsa = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), bits)
                .map_err(|e| format!("RSA key generation failed: {e}"))?;
            let pem = rsa
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| format!("RSA key encoding failed: {e}"))?;
            KeyPair::from_pkcs8_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256)
        }
        ("ECC", 256) => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        ("ECC", 384) => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
        (algorithm, size) => {
            return Err(format!(
                "The emulator makes RSA keys of 2048, 3072 or 4096 bits and ECC keys of 256 or \
                 384 bits, not {algorithm} {size}."
            ));
        }
    }
    .map_err(|e| format!("key generation failed: {e}"))?;
    let pem = key.serialize_pem();
    Ok((key, pem))
}

/// The subject of a CSR the emulator makes.
pub(crate) struct Subject<'a> {
    pub common_name: &'a str,
    pub sans: &'a [String],
    pub country: &'a str,
    pub province: &'a str,
    pub locality: &'a str,
    pub org_name: &'a str,
    pub department: &'a str,
}

/// A PEM certificate signing request for `subject`, signed with `key`.
pub(crate) fn csr(subject: &Subject<'_>, key: &KeyPair) -> Result<String, rcgen::Error> {
    let mut names = vec![subject.common_name.to_owned()];
    names.extend(
        subject
            .sans
            .iter()
            .filter(|s| *s != subject.common_name)
            .cloned(),
    );
    let mut params = CertificateParams::new(names)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, subject.common_name);
    for (kind, value) in [
        (DnType::CountryName, subject.country),
        (DnType::StateOrProvinceName, subject.province),
        (DnType::LocalityName, subject.locality),
        (DnType::OrganizationName, subject.org_name),
        (DnType::OrganizationalUnitName, subject.department),
    ] {
        if !value.is_empty() {
            params.distinguished_name.push(kind, value);
        }
    }
    params.serialize_request(key)?.pem()
}

/// A CSR for `subject` with a deterministic P-256 key drawn from `rng`: the key's PKCS#8
/// PEM and the CSR's PEM.
pub(crate) fn seeded_csr(
    rng: &mut impl Rng,
    subject: &Subject<'_>,
) -> Result<(String, String), rcgen::Error> {
    let (secret, key) = key(rng)?;
    let pem = csr(subject, &key)?;
    let key_pem = secret
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| rcgen::Error::KeyGenerationUnavailable)?;
    Ok((key_pem.to_string(), pem))
}

/// A public key taken from a CSR, as rcgen needs it to certify it.
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

/// Certifies the key of a parsed CSR for `names` (the first is the common name) over the
/// given epoch-millisecond range: the leaf followed by the CA certificate, PEM.
pub(crate) fn certify(
    ca: &Authority,
    names: &[String],
    csr: &crate::pem::ParsedCsr,
    not_before_ms: i64,
    not_after_ms: i64,
) -> Result<String, rcgen::Error> {
    let algorithm = match (csr.algorithm.as_str(), csr.key_size) {
        ("RSA", _) => &rcgen::PKCS_RSA_SHA256,
        (_, 384) => &rcgen::PKCS_ECDSA_P384_SHA384,
        _ => &rcgen::PKCS_ECDSA_P256_SHA256,
    };
    let key = RequestedKey {
        bits: csr.public_key.clone(),
        algorithm,
    };
    let mut params = CertificateParams::new(names.to_vec())?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    if let Some(cn) = names.first() {
        params
            .distinguished_name
            .push(DnType::CommonName, cn.as_str());
    }
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = clock::datetime(not_before_ms);
    params.not_after = clock::datetime(not_after_ms);
    // The serial follows from what is certified, so that issuing is deterministic.
    let mut serial = ring::digest::Context::new(&ring::digest::SHA256);
    serial.update(&csr.public_key);
    serial.update(&not_before_ms.to_be_bytes());
    for name in names {
        serial.update(name.as_bytes());
    }
    let mut serial: [u8; 16] = serial.finish().as_ref()[..16]
        .try_into()
        .unwrap_or_default();
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let cert = params.signed_by(&key, &ca.cert, &ca.key)?;
    Ok(format!("{}{}", cert.pem(), ca.cert.pem()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn issued(seed: u64) -> Issued {
        let mut rng = StdRng::seed_from_u64(seed);
        let ca = authority(&mut rng, 1_700_000_000_000).unwrap();
        issue(
            &ca,
            &mut rng,
            "example.com",
            1_700_000_000_000,
            1_731_536_000_000,
        )
        .unwrap()
    }

    #[test]
    fn a_made_csr_reads_back_and_is_certified_by_the_issuing_authority() {
        let (key, key_pem) = new_key("ECC", 256).unwrap();
        let sans = vec!["www.example.org".to_owned()];
        let pem = csr(
            &Subject {
                common_name: "example.org",
                sans: &sans,
                country: "CN",
                province: "Zhejiang",
                locality: "Hangzhou",
                org_name: "Example",
                department: "IT",
            },
            &key,
        )
        .unwrap();
        let parsed = crate::pem::parse_csr(&pem).unwrap();
        assert_eq!(parsed.common_name, "example.org");
        assert_eq!(parsed.sans, ["example.org", "www.example.org"]);
        assert_eq!((parsed.algorithm.as_str(), parsed.key_size), ("ECC", 256));
        assert_eq!(parsed.department, "IT");
        crate::pem::check_csr_key(&parsed, &key_pem).unwrap();

        let ca = issuing_authority().unwrap();
        let chain = certify(
            &ca,
            &["example.org".to_owned()],
            &parsed,
            1_700_000_000_000,
            1_731_536_000_000,
        )
        .unwrap();
        let leaf = crate::pem::parse_certificate(&chain).unwrap();
        assert_eq!(leaf.common_name, "example.org");
        assert_eq!(leaf.issuer, AUTHORITY_NAME);
        crate::pem::check_key(&leaf, &key_pem).unwrap();
    }

    #[test]
    fn rsa_keys_are_made_for_csrs() {
        let (_, pem) = new_key("RSA", 2048).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(new_key("SM2", 256).is_err());
    }

    #[test]
    fn issues_pem_deterministically() {
        let a = issued(7);
        assert!(a.certificate.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(a.private_key.starts_with("-----BEGIN PRIVATE KEY-----"));
        let b = issued(7);
        assert_eq!(a.certificate, b.certificate);
        assert_eq!(a.private_key, b.private_key);
        assert_ne!(a.certificate, issued(8).certificate);
    }
}

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
fn key(rng: &mut impl Rng) -> Result<(SecretKey, KeyPair), rcgen::Error> {
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

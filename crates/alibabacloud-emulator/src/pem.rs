//! Reading what users upload: an X.509 certificate and its private key, in PEM.
//!
//! The certificate is parsed for real (x509-parser): subject, SANs, issuer, validity,
//! serial and fingerprints all come from it. The key (PKCS#8, PKCS#1 RSA or SEC1 P-256)
//! must hold the certificate's public key.

use ring::digest;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;

use crate::errors::ApiError;

/// What a certificate says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParsedCertificate {
    pub common_name: String,
    /// DNS names of the subject alternative name extension, in order.
    pub sans: Vec<String>,
    /// The issuer's common name (its organization when it has none).
    pub issuer: String,
    pub org_name: String,
    pub province: String,
    pub city: String,
    pub country: String,
    pub not_before_ms: i64,
    pub not_after_ms: i64,
    /// Lowercase hex of the serial number.
    pub serial_no: String,
    /// Uppercase hex SHA-1 of the DER.
    pub fingerprint: String,
    /// Uppercase hex SHA-256 of the DER.
    pub sha2: String,
    /// `RSA`, `ECC` or `SM2`.
    pub algorithm: String,
    /// The subject public key bits, to match against the private key.
    public_key: Vec<u8>,
}

fn invalid(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(400, code, message)
}

/// The first PEM block of `text`.
fn first_block(text: &str, what: &str) -> Result<Pem, ApiError> {
    Pem::iter_from_buffer(text.trim().as_bytes())
        .next()
        .and_then(Result::ok)
        .ok_or_else(|| {
            invalid(
                "InvalidParameter.PEM",
                format!("The {what} is not a PEM block."),
            )
        })
}

/// Parses the first certificate of a PEM text (a chain may follow it).
pub(crate) fn parse_certificate(text: &str) -> Result<ParsedCertificate, ApiError> {
    let block = first_block(text, "certificate")?;
    if block.label != "CERTIFICATE" {
        return Err(invalid(
            "InvalidParameter.PEM",
            format!("The certificate PEM block is labelled {:?}.", block.label),
        ));
    }
    let cert = block.parse_x509().map_err(|e| {
        invalid(
            "InvalidParameter.Certificate",
            format!("The certificate cannot be parsed: {e}."),
        )
    })?;
    let subject = cert.subject();
    let first = |values: Option<&x509_parser::x509::AttributeTypeAndValue<'_>>| {
        values
            .and_then(|v| v.as_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let common_name = first(subject.iter_common_name().next());
    let mut sans = Vec::new();
    if let Ok(Some(extension)) = cert.subject_alternative_name() {
        for name in &extension.value.general_names {
            if let GeneralName::DNSName(dns) = name {
                sans.push((*dns).to_owned());
            }
        }
    }
    let issuer = match cert.issuer().iter_common_name().next() {
        Some(cn) => first(Some(cn)),
        None => first(cert.issuer().iter_organization().next()),
    };
    let algorithm = match cert
        .public_key()
        .algorithm
        .algorithm
        .to_id_string()
        .as_str()
    {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.10045.2.1" => {
            // id-ecPublicKey; SM2 keys use it with the SM2 curve.
            let sm2 = cert
                .public_key()
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .is_some_and(|oid| oid.to_id_string() == "1.2.156.10197.1.301");
            if sm2 { "SM2" } else { "ECC" }
        }
        _ => "RSA",
    };
    let der = block.contents.as_slice();
    Ok(ParsedCertificate {
        common_name,
        sans,
        issuer,
        org_name: first(subject.iter_organization().next()),
        province: first(subject.iter_state_or_province().next()),
        city: first(subject.iter_locality().next()),
        country: first(subject.iter_country().next()),
        not_before_ms: cert.validity().not_before.timestamp() * 1000,
        not_after_ms: cert.validity().not_after.timestamp() * 1000,
        serial_no: hex::encode(cert.raw_serial()),
        fingerprint: hex::encode_upper(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, der)),
        sha2: hex::encode_upper(digest::digest(&digest::SHA256, der)),
        algorithm: algorithm.to_owned(),
        public_key: cert.public_key().subject_public_key.data.to_vec(),
    })
}

/// The public key bits of a private key in PEM: PKCS#8 (`PRIVATE KEY`, RSA or ECDSA P-256 /
/// P-384), PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`, P-256).
fn public_key_of(text: &str) -> Result<Vec<u8>, ApiError> {
    let block = first_block(text, "private key")?;
    let der = block.contents.as_slice();
    let unreadable = || {
        invalid(
            "InvalidParameter.PrivateKey",
            "The private key cannot be read (PKCS#8, PKCS#1 RSA and SEC1 P-256 keys are supported).",
        )
    };
    match block.label.as_str() {
        "PRIVATE KEY" => {
            if let Ok(rsa) = RsaKeyPair::from_pkcs8(der) {
                return Ok(rsa.public_key().as_ref().to_vec());
            }
            let rng = SystemRandom::new();
            for alg in [
                &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
            ] {
                if let Ok(ec) = EcdsaKeyPair::from_pkcs8(alg, der, &rng) {
                    return Ok(ec.public_key().as_ref().to_vec());
                }
            }
            Err(unreadable())
        }
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(der)
            .map(|rsa| rsa.public_key().as_ref().to_vec())
            .map_err(|_| unreadable()),
        "EC PRIVATE KEY" => {
            use p256::elliptic_curve::sec1::ToEncodedPoint;
            p256::SecretKey::from_sec1_der(der)
                .map(|key| key.public_key().to_encoded_point(false).as_bytes().to_vec())
                .map_err(|_| unreadable())
        }
        other => Err(invalid(
            "InvalidParameter.PrivateKey",
            format!("The private key PEM block is labelled {other:?}."),
        )),
    }
}

/// What a certificate signing request says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParsedCsr {
    pub common_name: String,
    /// DNS names of its requested subject alternative names.
    pub sans: Vec<String>,
    pub org_name: String,
    pub department: String,
    pub country: String,
    pub province: String,
    pub locality: String,
    /// `RSA` or `ECC`.
    pub algorithm: String,
    /// RSA modulus bits, or the curve size (256, 384).
    pub key_size: i64,
    /// The subject public key bits.
    pub public_key: Vec<u8>,
}

/// Parses a PEM certificate signing request (`CERTIFICATE REQUEST`).
pub(crate) fn parse_csr(text: &str) -> Result<ParsedCsr, ApiError> {
    use x509_parser::certification_request::X509CertificationRequest;
    use x509_parser::extensions::ParsedExtension;
    use x509_parser::prelude::FromDer;
    use x509_parser::public_key::PublicKey;

    let block = first_block(text, "CSR")?;
    if !block.label.ends_with("CERTIFICATE REQUEST") {
        return Err(invalid(
            "InvalidParameter.PEM",
            format!("The CSR PEM block is labelled {:?}.", block.label),
        ));
    }
    let (_, csr) = X509CertificationRequest::from_der(&block.contents).map_err(|e| {
        invalid(
            "InvalidParameter.Csr",
            format!("The CSR cannot be parsed: {e}."),
        )
    })?;
    let info = &csr.certification_request_info;
    let first = |value: Option<&x509_parser::x509::AttributeTypeAndValue<'_>>| {
        value
            .and_then(|v| v.as_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let subject = &info.subject;
    let mut sans = Vec::new();
    for extension in csr.requested_extensions().into_iter().flatten() {
        if let ParsedExtension::SubjectAlternativeName(names) = extension {
            for name in &names.general_names {
                if let GeneralName::DNSName(dns) = name {
                    sans.push((*dns).to_owned());
                }
            }
        }
    }
    let (algorithm, key_size) = match info.subject_pki.parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA", rsa.key_size() as i64),
        Ok(PublicKey::EC(point)) => ("ECC", if point.data().len() > 65 { 384 } else { 256 }),
        _ => {
            return Err(invalid(
                "InvalidParameter.Csr",
                "The CSR's key is neither RSA nor ECC.",
            ));
        }
    };
    Ok(ParsedCsr {
        common_name: first(subject.iter_common_name().next()),
        sans,
        org_name: first(subject.iter_organization().next()),
        department: first(subject.iter_organizational_unit().next()),
        country: first(subject.iter_country().next()),
        province: first(subject.iter_state_or_province().next()),
        locality: first(subject.iter_locality().next()),
        algorithm: algorithm.to_owned(),
        key_size,
        public_key: info.subject_pki.subject_public_key.data.to_vec(),
    })
}

/// Checks that the private key `key` belongs to the CSR.
pub(crate) fn check_csr_key(csr: &ParsedCsr, key: &str) -> Result<(), ApiError> {
    if public_key_of(key)? == csr.public_key {
        Ok(())
    } else {
        Err(invalid(
            "CsrKeyMismatch",
            "The private key does not match the CSR.",
        ))
    }
}

/// Checks that the private key `key` belongs to `cert`.
pub(crate) fn check_key(cert: &ParsedCertificate, key: &str) -> Result<(), ApiError> {
    if public_key_of(key)? == cert.public_key {
        Ok(())
    } else {
        Err(invalid(
            "CertificateKeyMismatch",
            "The private key does not match the certificate.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(names: &[&str]) -> (String, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(
            names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>(),
        )
        .unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, names[0]);
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Example Org");
        let cert = params.self_signed(&key).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    #[test]
    fn reads_the_certificate_and_matches_its_key() {
        let (cert, key) = issue(&["www.example.org", "example.org"]);
        let parsed = parse_certificate(&cert).unwrap();
        assert_eq!(parsed.common_name, "www.example.org");
        assert_eq!(parsed.sans, ["www.example.org", "example.org"]);
        assert_eq!(parsed.org_name, "Example Org");
        assert_eq!(parsed.algorithm, "ECC");
        assert_eq!(parsed.sha2.len(), 64);
        assert!(parsed.not_after_ms > parsed.not_before_ms);
        check_key(&parsed, &key).unwrap();

        let (_, other_key) = issue(&["other.example"]);
        assert_eq!(
            check_key(&parsed, &other_key).unwrap_err().code,
            "CertificateKeyMismatch"
        );
        assert_eq!(
            parse_certificate("not a pem").unwrap_err().code,
            "InvalidParameter.PEM"
        );
    }
}

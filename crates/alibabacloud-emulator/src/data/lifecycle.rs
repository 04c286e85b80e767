//! Lifecycles that move with time: a certificate application verifies its domain, is
//! processed, then its certificate is issued by the emulator's CA and stored with the
//! certificates. The handlers and the seeded data set both settle them here.

use super::ids::next_id;
use super::model::{Application, Certificate, DataSet};
use super::pki;
use crate::clock::{self, DAY_MS};
use crate::pem;

/// The default lifecycle step: five seconds.
pub(crate) const DEFAULT_STEP_MS: i64 = 5_000;

/// The first ID of an issued certificate when the data set has none above it.
const FIRST_ISSUED_ID: i64 = 30_000_000;

/// The state of `application` at `now_ms`.
pub(crate) fn application_state(
    application: &Application,
    now_ms: i64,
    step_ms: i64,
) -> &'static str {
    let steps = (now_ms - application.created_ms) / step_ms.max(1);
    let fails = application
        .domain
        .to_ascii_lowercase()
        .ends_with(".invalid");
    match steps {
        i64::MIN..=0 => "domain_verify",
        _ if fails => "verify_fail",
        1 => "process",
        _ => "certificate",
    }
}

/// Whether an application's certificate is due to be issued (what [`settle`] would do).
pub(crate) fn any_due(data: &DataSet, now_ms: i64, step_ms: i64) -> bool {
    data.applications
        .iter()
        .any(|a| a.cert_id.is_none() && application_state(a, now_ms, step_ms) == "certificate")
}

/// Issues the certificate of every application whose time has come. Whether anything
/// changed.
pub(crate) fn settle(data: &mut DataSet, now_ms: i64, step_ms: i64) -> bool {
    let due: Vec<usize> = data
        .applications
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.cert_id.is_none() && application_state(a, now_ms, step_ms) == "certificate"
        })
        .map(|(i, _)| i)
        .collect();
    if due.is_empty() {
        return false;
    }
    let Ok(ca) = pki::issuing_authority() else {
        return false;
    };
    for index in due {
        let application = data.applications[index].clone();
        let Ok(csr) = pem::parse_csr(&application.csr) else {
            continue;
        };
        let mut names = vec![application.domain.clone()];
        names.extend(
            csr.sans
                .iter()
                .filter(|s| **s != application.domain)
                .cloned(),
        );
        let issued_ms = application
            .created_ms
            .saturating_add(step_ms.saturating_mul(2));
        let Ok(chain) = pki::certify(&ca, &names, &csr, issued_ms, issued_ms + 90 * DAY_MS) else {
            continue;
        };
        let Ok(leaf) = pem::parse_certificate(&chain) else {
            continue;
        };
        // No ID left: the application stays unissued (its state says `certificate`).
        let Some(id) = next_id(
            data.certificates.iter().map(|c| c.certificate_id),
            FIRST_ISSUED_ID,
        ) else {
            continue;
        };
        data.certificates.push(Certificate {
            certificate_id: id,
            instance_id: application.instance_id.clone(),
            name: format!("cert-{}-{id}", application.domain.replace('.', "-")),
            common_name: leaf.common_name,
            sans: leaf.sans.join(","),
            fingerprint: leaf.fingerprint,
            sha2: leaf.sha2,
            serial_no: leaf.serial_no,
            issuer: leaf.issuer,
            org_name: leaf.org_name,
            province: leaf.province,
            city: leaf.city,
            country: leaf.country,
            upload: false,
            start_date: clock::date(leaf.not_before_ms),
            end_date: clock::date(leaf.not_after_ms),
            resource_group_id: String::new(),
            cert: chain,
            key: application.private_key.clone(),
            algorithm: leaf.algorithm,
            revoked: false,
            tags: Vec::new(),
            shared_with: Vec::new(),
        });
        data.applications[index].cert_id = Some(id);
    }
    true
}

//! The private CA service, CAS 2020-06-30: root CAs, subordinate CAs under a root, and
//! server and client certificates under a subordinate CA (with a key the emulator makes,
//! or the caller's CSR), every one a real X.509 certificate chaining to its root
//! ([`crate::data::private_ca`]).
//!
//! Revocation — CreateRevokeClientCertificate (end entities), UpdateCACertificateStatus
//! `REVOKE` (CAs) — marks the certificate `REVOKE` with its time: ListRevokeCertificate
//! lists it, the status operations say `revoked`. DeleteClientCertificate deletes a revoked
//! end-entity certificate: gone from every list but the revocation list. A CA set
//! `FORBIDDEN` issues nothing until set `ISSUE` again; a revoked CA stays revoked.
//! DescribeCertificatePrivateKey answers the key, encrypted with `EncryptedCode`.

use serde_json::{Value, json};

use super::context::Ctx;
use super::tags;
use crate::answer::{Body, object, page};
use crate::data::PrivateCertificate;
use crate::data::ids::next_id;
use crate::data::private_ca::{self, KeyKind, Kind, Request, San, SubjectKey};
use crate::errors::ApiError;
use crate::pem;

/// The first numeric ID of a certificate when the data set has none above it.
const FIRST_ID: i64 = 1_001;
/// Certificates a new CA may issue.
const CA_QUOTA: i64 = 1_000;

fn not_found(identifier: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidIdentifier.NotFound",
        format!("The specified certificate {identifier} does not exist."),
    )
}

fn internal(message: String) -> ApiError {
    ApiError::new(500, "InternalError", message)
}

fn is_ca(cert: &PrivateCertificate) -> bool {
    matches!(cert.certificate_type.as_str(), "ROOT" | "SUB_ROOT")
}

fn key_kind(ctx: &Ctx<'_>, default: &str) -> Result<KeyKind, ApiError> {
    let sent = ctx.text("Algorithm").unwrap_or(default);
    KeyKind::from_api(sent).ok_or_else(|| {
        ApiError::new(
            400,
            "InvalidParameter.Algorithm",
            format!(
                "The emulator makes RSA_2048, RSA_3072, RSA_4096, ECC_256 and ECC_384 keys, not {sent}."
            ),
        )
    })
}

/// A fresh identifier: 32 lower-case hex digits.
fn new_identifier() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The stored certificate `Identifier` (or `name`) names, not deleted.
fn find<'d>(
    data: &'d [PrivateCertificate],
    identifier: &str,
) -> Result<&'d PrivateCertificate, ApiError> {
    data.iter()
        .find(|c| c.identifier == identifier && !c.deleted)
        .ok_or_else(|| not_found(identifier))
}

/// The issuing CA: `ParentIdentifier`, which must be a CA of `kind` that may issue.
fn parent<'d>(
    ctx: &Ctx<'_>,
    data: &'d [PrivateCertificate],
    kind: &str,
) -> Result<&'d PrivateCertificate, ApiError> {
    let named = match ctx.text("ParentIdentifier") {
        Some(id) => find(data, id)?,
        // None named: the newest CA of that kind that issues.
        None => data
            .iter()
            .filter(|c| c.certificate_type == kind && c.ca_status == "issue" && !c.deleted)
            .max_by_key(|c| c.created_ms)
            .ok_or_else(|| ApiError::missing("ParentIdentifier"))?,
    };
    if named.certificate_type != kind {
        return Err(ApiError::new(
            400,
            "InvalidParameter.ParentIdentifier",
            format!(
                "The parent {} is a {} certificate; this certificate is issued by a {kind} CA.",
                named.identifier, named.certificate_type
            ),
        ));
    }
    if named.ca_status != "issue" || named.status != "ISSUE" {
        return Err(ApiError::new(
            400,
            "OperationDenied.CaStatus",
            format!(
                "The CA {} is {} and issues no certificate.",
                named.identifier,
                if named.status == "REVOKE" {
                    "revoked"
                } else {
                    named.ca_status.as_str()
                }
            ),
        ));
    }
    let issued = data
        .iter()
        .filter(|c| c.parent_identifier == named.identifier)
        .count() as i64;
    if issued >= named.cert_total_count {
        return Err(ApiError::new(
            400,
            "InsufficientQuota",
            format!(
                "The CA {} has issued all {} of its certificates.",
                named.identifier, named.cert_total_count
            ),
        ));
    }
    Ok(named)
}

/// The validity a request asks for: `BeforeTime` / `AfterTime` (epoch seconds) when given,
/// else from now for `Years`, `Months` and `Days` (one year when none is given); never past
/// the issuer's end.
fn validity(ctx: &Ctx<'_>, issuer: Option<&PrivateCertificate>) -> Result<(i64, i64), ApiError> {
    let before = match ctx.text("BeforeTime") {
        Some(_) => ctx.int("BeforeTime", 0).saturating_mul(1000),
        None => ctx.now_ms,
    };
    let after = match ctx.text("AfterTime") {
        Some(_) => ctx.int("AfterTime", 0).saturating_mul(1000),
        None => {
            let (years, months, days) = (
                ctx.int("Years", 0),
                ctx.int("Months", 0),
                ctx.int("Days", 0),
            );
            if !(0..=100).contains(&years)
                || !(0..=1200).contains(&months)
                || !(0..=36_500).contains(&days)
            {
                return Err(ApiError::invalid("Years"));
            }
            let years = if years + months + days == 0 { 1 } else { years };
            private_ca::later(before, years, months, days)
        }
    };
    let after = after.min(issuer.map_or(i64::MAX, |i| i.after_ms));
    if after <= before || before < 0 {
        return Err(ApiError::new(
            400,
            "InvalidParameter.Validity",
            "The certificate would end before it starts (or after its issuer's end).",
        ));
    }
    Ok((before, after))
}

/// The subject fields of the request, `[CN, O, OU, L, ST, C]`.
fn subject<'c>(ctx: &'c Ctx<'_>, common_name: &'c str, country: &str) -> [&'c str; 6] {
    [
        common_name,
        ctx.text("Organization").unwrap_or_default(),
        ctx.text("OrganizationUnit").unwrap_or_default(),
        ctx.text("Locality").unwrap_or_default(),
        ctx.text("State").unwrap_or_default(),
        ctx.text(country).unwrap_or_default(),
    ]
}

/// Makes, signs and stores a certificate; the stored row.
fn make(
    ctx: &Ctx<'_>,
    kind: Kind,
    common_name: &str,
    key: KeyKind,
    csr: Option<&pem::ParsedCsr>,
    sans: Vec<San>,
) -> Result<PrivateCertificate, ApiError> {
    // Made outside the data lock: key generation (RSA) takes a while.
    let made_key = match csr {
        Some(_) => None,
        None => Some(key.generate().map_err(internal)?),
    };
    let mut data = ctx.state.data_mut();
    let certs = &data.private_certificates;
    let issuer = match kind {
        Kind::Root => None,
        Kind::Sub(_) => Some(parent(ctx, certs, "ROOT")?.clone()),
        Kind::Server | Kind::Client => Some(parent(ctx, certs, "SUB_ROOT")?.clone()),
    };
    let issuer = issuer.as_ref();
    let issuer_key = issuer
        .map(private_ca::key_of)
        .transpose()
        .map_err(internal)?;
    let (before, after) = validity(ctx, issuer)?;
    let id = next_id(certs.iter().map(|c| c.id), FIRST_ID)
        .ok_or_else(|| ApiError::ids_exhausted("certificate"))?;
    let country_param = if matches!(kind, Kind::Root | Kind::Sub(_)) {
        "CountryCode"
    } else {
        "Country"
    };
    let key_kind = match csr {
        Some(csr) => match (csr.algorithm.as_str(), csr.key_size) {
            ("RSA", bits) => KeyKind::Rsa(bits),
            (_, 384) => KeyKind::P384,
            _ => KeyKind::P256,
        },
        None => key,
    };
    let mut tag_list = Vec::new();
    tags::apply(&mut tag_list, &tags::tags(ctx.params, "Tags"))?;
    let mut row = private_ca::row(
        new_identifier(),
        id,
        key_kind,
        subject(ctx, common_name, country_param),
        issuer.map(|i| i.identifier.as_str()).unwrap_or_default(),
        before,
        after,
        ctx.now_ms,
        tag_list,
    );
    row.resource_group_id = ctx.text("ResourceGroupId").unwrap_or_default().to_owned();
    row.alias_name = ctx.text("AliasName").unwrap_or_default().to_owned();
    row.custom_identifier = ctx.text("CustomIdentifier").unwrap_or_default().to_owned();
    if matches!(kind, Kind::Root | Kind::Sub(_)) {
        row.ca_status = "issue".to_owned();
        row.cert_total_count = CA_QUOTA;
    }
    if let Some((_, pem)) = &made_key {
        row.private_key = pem.clone();
    }
    let extended_key_usages = tags::list(ctx.params, "ExtendedKeyUsages");
    let subject_key = match (&made_key, csr) {
        (Some((pair, _)), _) => SubjectKey::Pair(pair),
        (None, Some(csr)) => SubjectKey::Csr(csr),
        (None, None) => return Err(internal("no key to certify".to_owned())),
    };
    let request = Request {
        kind,
        row,
        sans,
        extended_key_usages,
        issuer: issuer.zip(issuer_key.as_ref()),
        key: subject_key,
        serial: rand::random(),
    };
    let made = private_ca::certify(request).map_err(|e| {
        ApiError::new(
            400,
            "InvalidParameter",
            format!("The certificate cannot be made: {e}."),
        )
    })?;
    data.private_certificates.push(made.clone());
    Ok(made)
}

/// The answer of a CA's creation.
fn ca_answer(cert: &PrivateCertificate) -> Body {
    object(json!({
        "Certificate": cert.certificate,
        "CertificateChain": cert.chain,
        "Identifier": cert.identifier,
    }))
}

/// The answer of an end-entity certificate's creation.
fn end_entity_answer(cert: &PrivateCertificate) -> Body {
    object(json!({
        "X509Certificate": cert.certificate,
        "CertificateChain": cert.chain,
        "Identifier": cert.identifier,
        "SerialNumber": cert.serial_number,
    }))
}

/// CreateRootCACertificate: a self-signed root CA for `Years`.
pub(crate) fn create_root(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let key = key_kind(ctx, "RSA_2048")?;
    let cn = ctx.text("CommonName").unwrap_or_default();
    Ok(ca_answer(&make(
        ctx,
        Kind::Root,
        cn,
        key,
        None,
        Vec::new(),
    )?))
}

/// CreateSubCACertificate: a CA under a root (`ParentIdentifier`, else the newest root),
/// with a path length constraint (`PathLenConstraint`, default 0) and extended key usages.
pub(crate) fn create_sub(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let key = key_kind(ctx, "RSA_2048")?;
    let path_len = u8::try_from(ctx.int("PathLenConstraint", 0))
        .map_err(|_| ApiError::invalid("PathLenConstraint"))?;
    let cn = ctx.text("CommonName").unwrap_or_default();
    Ok(ca_answer(&make(
        ctx,
        Kind::Sub(path_len),
        cn,
        key,
        None,
        Vec::new(),
    )?))
}

/// DNS names: `Domain` (comma separated), the common name first when it is one.
fn server_sans(ctx: &Ctx<'_>, common_name: &str) -> Vec<San> {
    let mut names: Vec<String> = Vec::new();
    let looks_like_host = |s: &str| !s.is_empty() && !s.contains(' ') && s.contains('.');
    if looks_like_host(common_name) {
        names.push(common_name.to_owned());
    }
    for name in ctx.text("Domain").unwrap_or_default().split(',') {
        let name = name.trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names.into_iter().map(San::Dns).collect()
}

/// The client certificate's alternative name: `SanValue` of `SanType` (the GeneralName
/// numbers: 1 e-mail, 2 DNS, 6 URI, 7 IP address).
fn client_sans(ctx: &Ctx<'_>) -> Result<Vec<San>, ApiError> {
    let Some(value) = ctx.text("SanValue") else {
        return Ok(Vec::new());
    };
    Ok(vec![match ctx.int("SanType", 1) {
        1 => San::Email(value.to_owned()),
        2 => San::Dns(value.to_owned()),
        6 => San::Uri(value.to_owned()),
        7 => San::Ip(value.parse().map_err(|_| ApiError::invalid("SanValue"))?),
        _ => {
            return Err(ApiError::new(
                400,
                "InvalidParameter.SanType",
                "The emulator takes SanType 1 (e-mail), 2 (DNS), 6 (URI) or 7 (IP address).",
            ));
        }
    }])
}

/// The caller's CSR, and the common name (`CommonName`, else the CSR's).
fn csr(ctx: &Ctx<'_>) -> Result<(pem::ParsedCsr, String), ApiError> {
    let parsed = pem::parse_csr(ctx.text("Csr").unwrap_or_default())?;
    let cn = ctx
        .text("CommonName")
        .map_or_else(|| parsed.common_name.clone(), str::to_owned);
    Ok((parsed, cn))
}

/// CreateServerCertificate: a server certificate for `CommonName` and `Domain` under a
/// subordinate CA, with a key the emulator makes.
pub(crate) fn create_server(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let key = key_kind(ctx, "RSA_2048")?;
    let cn = ctx.text("CommonName").unwrap_or_default();
    let sans = server_sans(ctx, cn);
    Ok(end_entity_answer(&make(
        ctx,
        Kind::Server,
        cn,
        key,
        None,
        sans,
    )?))
}

/// CreateServerCertificateWithCsr: the same for the key of the caller's CSR.
pub(crate) fn create_server_with_csr(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (parsed, cn) = csr(ctx)?;
    let mut sans = server_sans(ctx, &cn);
    for name in &parsed.sans {
        if !sans.contains(&San::Dns(name.clone())) {
            sans.push(San::Dns(name.clone()));
        }
    }
    let made = make(ctx, Kind::Server, &cn, KeyKind::P256, Some(&parsed), sans)?;
    Ok(end_entity_answer(&made))
}

/// CreateClientCertificate: a client certificate under a subordinate CA, with a key the
/// emulator makes.
pub(crate) fn create_client(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let key = key_kind(ctx, "RSA_2048")?;
    let sans = client_sans(ctx)?;
    let cn = ctx.text("CommonName").unwrap_or("client");
    Ok(end_entity_answer(&make(
        ctx,
        Kind::Client,
        cn,
        key,
        None,
        sans,
    )?))
}

/// CreateClientCertificateWithCsr: the same for the key of the caller's CSR.
pub(crate) fn create_client_with_csr(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (parsed, cn) = csr(ctx)?;
    let sans = client_sans(ctx)?;
    let made = make(ctx, Kind::Client, &cn, KeyKind::P256, Some(&parsed), sans)?;
    Ok(end_entity_answer(&made))
}

/// CreateRevokeClientCertificate: revokes a server or client certificate.
pub(crate) fn revoke(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx.text("Identifier").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let cert = data
        .private_certificates
        .iter_mut()
        .find(|c| c.identifier == identifier && !c.deleted && !is_ca(c))
        .ok_or_else(|| not_found(identifier))?;
    if cert.status == "REVOKE" {
        return Err(ApiError::new(
            400,
            "OperationDenied.Revoked",
            "The certificate is already revoked.",
        ));
    }
    cert.status = "REVOKE".to_owned();
    cert.revoked_ms = Some(ctx.now_ms);
    Ok(Body::new())
}

/// DeleteClientCertificate: deletes a revoked server or client certificate (it stays on
/// the revocation list).
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx.text("Identifier").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let cert = data
        .private_certificates
        .iter_mut()
        .find(|c| c.identifier == identifier && !c.deleted && !is_ca(c))
        .ok_or_else(|| not_found(identifier))?;
    if cert.status != "REVOKE" {
        return Err(ApiError::new(
            400,
            "OperationDenied.CertificateStatus",
            "Only a revoked certificate can be deleted: revoke it first (CreateRevokeClientCertificate).",
        ));
    }
    cert.deleted = true;
    Ok(Body::new())
}

/// UpdateCACertificateStatus: `REVOKE` revokes a CA (for good), `FORBIDDEN` stops it
/// issuing, `ISSUE` lets it issue again.
pub(crate) fn update_ca_status(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx.text("Identifier").unwrap_or_default();
    let wanted = ctx
        .text("Status")
        .ok_or_else(|| ApiError::missing("Status"))?
        .to_ascii_uppercase();
    let mut data = ctx.state.data_mut();
    let ca = data
        .private_certificates
        .iter_mut()
        .find(|c| c.identifier == identifier && !c.deleted && is_ca(c))
        .ok_or_else(|| not_found(identifier))?;
    if ca.status == "REVOKE" {
        return Err(ApiError::new(
            400,
            "OperationDenied.Revoked",
            "The CA is revoked; its status no longer changes.",
        ));
    }
    match wanted.as_str() {
        "REVOKE" => {
            ca.status = "REVOKE".to_owned();
            ca.ca_status = "revoke".to_owned();
            ca.revoked_ms = Some(ctx.now_ms);
        }
        "FORBIDDEN" | "DISABLE" => ca.ca_status = "forbidden".to_owned(),
        "ISSUE" | "ENABLE" => ca.ca_status = "issue".to_owned(),
        _ => return Err(ApiError::invalid("Status")),
    }
    Ok(Body::new())
}

fn tag_rows(cert: &PrivateCertificate) -> Value {
    tags::rows(&cert.tags)
}

/// The fields every description of a certificate shares.
fn common(cert: &PrivateCertificate) -> Body {
    object(json!({
        "Identifier": cert.identifier,
        "ParentIdentifier": cert.parent_identifier,
        "CommonName": cert.common_name,
        "Organization": cert.organization,
        "OrganizationUnit": cert.organization_unit,
        "Locality": cert.locality,
        "State": cert.state,
        "CountryCode": cert.country_code,
        "Sans": cert.sans,
        "Algorithm": cert.algorithm,
        "KeySize": cert.key_size,
        "SignAlgorithm": cert.sign_algorithm,
        "SerialNumber": cert.serial_number,
        "Md5": cert.md5,
        "Sha2": cert.sha2,
        "BeforeDate": cert.before_ms,
        "AfterDate": cert.after_ms,
        "Status": cert.status,
        "CertificateType": cert.certificate_type,
        "SubjectDN": subject_dn(cert),
        "X509Certificate": cert.certificate,
        "ResourceGroupId": cert.resource_group_id,
    }))
}

/// The subject as text, `CN=...,OU=...`.
fn subject_dn(cert: &PrivateCertificate) -> String {
    [
        ("CN", &cert.common_name),
        ("OU", &cert.organization_unit),
        ("O", &cert.organization),
        ("L", &cert.locality),
        ("ST", &cert.state),
        ("C", &cert.country_code),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={v}"))
    .collect::<Vec<_>>()
    .join(",")
}

fn years(cert: &PrivateCertificate) -> i64 {
    (cert.after_ms - cert.before_ms) / (365 * crate::clock::DAY_MS)
}

/// A CA's row, with what it issued.
fn ca_row(data: &[PrivateCertificate], cert: &PrivateCertificate) -> Body {
    let issued = data
        .iter()
        .filter(|c| c.parent_identifier == cert.identifier)
        .count() as i64;
    let mut row = common(cert);
    row.extend(object(json!({
        "CertificateType": cert.certificate_type,
        "IssuerType": "local",
        "CaCertChain": cert.chain,
        "CertTotalCount": cert.cert_total_count,
        "CertIssuedCount": issued,
        "CertRemainingCount": (cert.cert_total_count - issued).max(0),
        "Years": years(cert),
        "FullAlgorithm": format!("{}_{}", cert.algorithm, cert.key_size),
        "CrlStatus": "CLOSE",
        "Tags": tag_rows(cert),
        "Alias": cert.alias_name,
        "Gift": 0,
        "Trial": 0,
    })));
    // The CA list spells the status ISSUE or REVOKE only; FORBIDDEN is its CaStatus.
    row
}

/// DescribeCACertificate: one CA.
pub(crate) fn describe_ca(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx
        .text("Identifier")
        .ok_or_else(|| ApiError::missing("Identifier"))?;
    let data = ctx.state.data();
    let cert = find(&data.private_certificates, identifier)?;
    if !is_ca(cert) {
        return Err(not_found(identifier));
    }
    let row = ca_row(&data.private_certificates, cert);
    Ok(object(json!({ "Certificate": row, "Years": years(cert) })))
}

/// DescribeCACertificateCount: how many CAs there are.
pub(crate) fn ca_count(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let count = data
        .private_certificates
        .iter()
        .filter(|c| is_ca(c) && !c.deleted)
        .count();
    Ok(object(json!({ "TotalCount": count })))
}

/// The CAs, newest first, filtered.
fn cas<'d>(ctx: &Ctx<'_>, data: &'d [PrivateCertificate]) -> Vec<&'d PrivateCertificate> {
    let cert_type = ctx.text("CertType").map(|t| match t {
        "root" => "ROOT",
        "subRoot" => "SUB_ROOT",
        _ => "EXTERNAL",
    });
    let mut rows: Vec<&PrivateCertificate> = data
        .iter()
        .filter(|c| is_ca(c) && !c.deleted)
        .filter(|c| cert_type.is_none_or(|t| c.certificate_type == t))
        .filter(|c| ctx.text("CaStatus").is_none_or(|s| c.ca_status == s))
        .filter(|c| ctx.text("Identifier").is_none_or(|i| c.identifier == i))
        .filter(|_| ctx.text("IssuerType").is_none_or(|i| i == "local"))
        .filter(|c| {
            ctx.text("ResourceGroupId")
                .is_none_or(|g| c.resource_group_id == g)
        })
        .filter(|c| {
            ctx.text("ValidStatus").is_none_or(|v| {
                let valid = c.before_ms <= ctx.now_ms && ctx.now_ms < c.after_ms;
                (v == "valid") == valid
            })
        })
        .collect();
    rows.sort_by_key(|c| std::cmp::Reverse((c.created_ms, c.id)));
    rows
}

fn paged(ctx: &Ctx<'_>, rows: &[Value], list: &str) -> Body {
    let current = ctx.int("CurrentPage", 1).max(1);
    let size = match ctx.int("ShowSize", 20) {
        n if n < 1 => 20,
        n => n,
    };
    let total = rows.len() as i64;
    object(json!({
        list: page(rows, current, size),
        "TotalCount": total,
        "CurrentPage": current,
        "ShowSize": size,
        "PageCount": (total + size - 1) / size,
    }))
}

/// DescribeCACertificateList: the CAs, filtered by `CertType`, `CaStatus`, `Identifier`,
/// `ValidStatus`, `ResourceGroupId`; paged by `CurrentPage` / `ShowSize`.
pub(crate) fn ca_list(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let rows: Vec<Value> = cas(ctx, &data.private_certificates)
        .into_iter()
        .map(|c| Value::Object(ca_row(&data.private_certificates, c)))
        .collect();
    Ok(paged(ctx, &rows, "CertificateList"))
}

/// DescribePcaAndExternalCACertificateList: the CAs, filtered by `Identifiers` (comma
/// separated) and `KeyWord` (in the common name).
pub(crate) fn pca_and_external_list(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let wanted: Vec<&str> = ctx
        .text("Identifiers")
        .map(|s| s.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let keyword = ctx.text("KeyWord").map(str::to_ascii_lowercase);
    let rows: Vec<Value> = cas(ctx, &data.private_certificates)
        .into_iter()
        .filter(|c| wanted.is_empty() || wanted.contains(&c.identifier.as_str()))
        .filter(|c| {
            keyword
                .as_deref()
                .is_none_or(|k| c.common_name.to_ascii_lowercase().contains(k))
        })
        .map(|c| Value::Object(ca_row(&data.private_certificates, c)))
        .collect();
    Ok(paged(ctx, &rows, "CertificateList"))
}

/// ListPcaCaCertificate: the CAs, token-paged by `MaxResults` / `NextToken`.
pub(crate) fn list_pca_ca(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let account = data.account_id.clone();
    let rows: Vec<Value> = cas(ctx, &data.private_certificates)
        .into_iter()
        .map(|c| {
            json!({
                "CertIdentifier": c.identifier,
                "IssuerIdentifier": c.parent_identifier,
                "CommonName": c.common_name,
                "Status": c.ca_status,
                "UserId": account,
                "PrivateCaInstanceId": format!("pca-{}", &c.identifier[..c.identifier.len().min(12)]),
                "PrivateCaRegionId": "cn-hangzhou",
            })
        })
        .collect();
    let (page, next) = token_page(ctx, &rows, "MaxResults")?;
    Ok(object(json!({
        "List": page,
        "NextToken": next,
        "TotalCount": rows.len(),
        "MaxResults": ctx.int("MaxResults", 20),
    })))
}

/// The page of `rows` that `NextToken` (an offset this emulator gave) starts, of `size`
/// rows, and the next token (empty on the last page).
fn token_page(
    ctx: &Ctx<'_>,
    rows: &[Value],
    size_param: &str,
) -> Result<(Vec<Value>, String), ApiError> {
    let size = usize::try_from(ctx.int(size_param, 20).max(1)).unwrap_or(20);
    let start = match ctx.text("NextToken") {
        None => 0,
        Some(token) => token
            .strip_prefix("pca-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= rows.len())
            .ok_or_else(|| ApiError::invalid("NextToken"))?,
    };
    let end = start.saturating_add(size).min(rows.len());
    let next = if end < rows.len() {
        format!("pca-{end}")
    } else {
        String::new()
    };
    Ok((rows[start..end].to_vec(), next))
}

/// An end-entity certificate's row.
fn end_entity_row(cert: &PrivateCertificate) -> Body {
    let mut row = common(cert);
    row.extend(object(json!({
        "Id": cert.id,
        "AliasName": cert.alias_name,
        "CustomIdentifier": cert.custom_identifier,
        "CertChain": cert.chain,
        "Days": (cert.after_ms - cert.before_ms) / crate::clock::DAY_MS,
        "FullAlgorithm": format!("{}_{}", cert.algorithm, cert.key_size),
        "UploadFlag": 0,
        "Tags": tag_rows(cert),
        "Years": years(cert),
    })));
    row
}

/// DescribeClientCertificate: one server or client certificate.
pub(crate) fn describe_end_entity(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx.text("Identifier").unwrap_or_default();
    let data = ctx.state.data();
    let cert = find(&data.private_certificates, identifier)?;
    if is_ca(cert) {
        return Err(not_found(identifier));
    }
    Ok(object(json!({ "Certificate": end_entity_row(cert) })))
}

/// DescribeClientCertificateForSerialNumber: the certificates of a serial number, from the
/// ones this emulator issued; a serial that none has is `InvalidSerialNumber.NotFound`, as
/// an identifier that none has is for DescribeClientCertificate, rather than a list with
/// nothing in it.
pub(crate) fn describe_by_serial(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let serial = ctx
        .text("SerialNumber")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let data = ctx.state.data();
    let rows: Vec<Value> = data
        .private_certificates
        .iter()
        .filter(|c| !c.deleted && !is_ca(c) && c.serial_number == serial)
        .map(|c| {
            let mut row = end_entity_row(c);
            // This list spells the dates as text.
            row.insert("BeforeDate".to_owned(), json!(c.before_ms.to_string()));
            row.insert("AfterDate".to_owned(), json!(c.after_ms.to_string()));
            Value::Object(row)
        })
        .collect();
    if rows.is_empty() {
        return Err(ApiError::new(
            404,
            "InvalidSerialNumber.NotFound",
            format!("No certificate has the serial number {serial}."),
        ));
    }
    Ok(object(json!({ "CertificateList": rows })))
}

fn status_row(cert: Option<&PrivateCertificate>, serial: &str) -> Value {
    match cert {
        Some(c) if c.status == "REVOKE" => json!({
            "SerialNumber": c.serial_number,
            "Status": "revoked",
            "RevokeTime": c.revoked_ms.unwrap_or_default(),
        }),
        Some(c) => json!({ "SerialNumber": c.serial_number, "Status": "good" }),
        None => json!({ "SerialNumber": serial, "Status": "unknown" }),
    }
}

/// DescribeClientCertificateStatus: `good` or `revoked` for each identifier (comma
/// separated).
pub(crate) fn status_by_identifier(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let mut rows = Vec::new();
    for identifier in ctx.text("Identifier").unwrap_or_default().split(',') {
        let identifier = identifier.trim();
        let cert = data
            .private_certificates
            .iter()
            .find(|c| c.identifier == identifier && !is_ca(c))
            .ok_or_else(|| not_found(identifier))?;
        rows.push(status_row(Some(cert), ""));
    }
    Ok(object(json!({ "CertificateStatus": rows })))
}

/// DescribeClientCertificateStatusForSerialNumber: `good`, `revoked` or `unknown` for each
/// serial number (comma separated).
pub(crate) fn status_by_serial(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let rows: Vec<Value> = ctx
        .text("SerialNumber")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .map(|serial| {
            let cert = data
                .private_certificates
                .iter()
                .find(|c| c.serial_number == serial && !is_ca(c));
            status_row(cert, &serial)
        })
        .collect();
    Ok(object(json!({ "CertificateStatus": rows })))
}

/// The end-entity certificates, newest first.
fn end_entities(data: &[PrivateCertificate]) -> Vec<&PrivateCertificate> {
    let mut rows: Vec<&PrivateCertificate> =
        data.iter().filter(|c| !c.deleted && !is_ca(c)).collect();
    rows.sort_by_key(|c| std::cmp::Reverse((c.created_ms, c.id)));
    rows
}

/// ListClientCertificate: server and client certificates (`Identifier`: one of them),
/// paged by `CurrentPage` / `ShowSize`.
pub(crate) fn list_client(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let rows: Vec<Value> = end_entities(&data.private_certificates)
        .into_iter()
        .filter(|c| ctx.text("Identifier").is_none_or(|i| c.identifier == i))
        .filter(|c| {
            ctx.text("ResourceGroupId")
                .is_none_or(|g| c.resource_group_id == g)
        })
        .map(|c| Value::Object(end_entity_row(c)))
        .collect();
    Ok(paged(ctx, &rows, "CertificateList"))
}

/// ListCert (2020-06-30): server and client certificates, filtered by `Type`, `Status`
/// and `ParentIdentifier`, token-paged by `ShowSize` / `NextToken`.
pub(crate) fn list_cert(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let rows: Vec<Value> = end_entities(&data.private_certificates)
        .into_iter()
        .filter(|c| {
            ctx.text("Type")
                .is_none_or(|t| t == "END_ENTITY" || c.certificate_type == t)
        })
        .filter(|c| ctx.text("Status").is_none_or(|s| c.status == s))
        .filter(|c| {
            ctx.text("ParentIdentifier")
                .is_none_or(|p| c.parent_identifier == p)
        })
        .map(|c| {
            json!({
                "Id": c.id,
                "Identifier": c.identifier,
                "CommonName": c.common_name,
                "Organization": c.organization,
                "OrganizationUnit": c.organization_unit,
                "SerialNumber": c.serial_number,
                "Status": c.status,
                "Algorithm": c.algorithm,
                "AliasName": c.alias_name,
                "CustomIdentifier": c.custom_identifier,
                "SubjectDn": subject_dn(c),
                "BeforeTime": c.before_ms,
                "AfterTime": c.after_ms,
                "BeforeDate": crate::clock::date(c.before_ms),
                "AfterDate": crate::clock::date(c.after_ms),
                "CertificateType": "cas",
                "KeyExportable": !c.private_key.is_empty(),
                "Tags": c.tags.iter().map(|t| format!("{}:{}", t.key, t.value)).collect::<Vec<_>>(),
                "Extra": "",
            })
        })
        .collect();
    let (page, next) = token_page(ctx, &rows, "ShowSize")?;
    Ok(object(json!({
        "List": page,
        "NextToken": next,
        "TotalCount": rows.len(),
        "ShowSize": ctx.int("ShowSize", 20),
        "MaxResults": ctx.int("MaxResults", 20),
        "CurrentPage": ctx.int("CurrentPage", 1),
        "PageCount": 1,
    })))
}

/// ListRevokeCertificate: every revoked certificate, CAs and end entities (deleted ones
/// too), most recently revoked first; paged by `CurrentPage` / `ShowSize`.
pub(crate) fn list_revoked(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let mut revoked: Vec<&PrivateCertificate> = data
        .private_certificates
        .iter()
        .filter(|c| c.status == "REVOKE")
        .collect();
    revoked.sort_by_key(|c| std::cmp::Reverse((c.revoked_ms, c.id)));
    let rows: Vec<Value> = revoked
        .into_iter()
        .map(|c| {
            let mut row = common(c);
            row.extend(object(json!({
                "CustomIdentifier": c.custom_identifier,
                "BeforeDate": crate::clock::iso(c.before_ms),
                "AfterDate": crate::clock::iso(c.after_ms),
                "RevokeDate": crate::clock::iso(c.revoked_ms.unwrap_or_default()),
            })));
            Value::Object(row)
        })
        .collect();
    Ok(paged(ctx, &rows, "CertificateList"))
}

/// DescribeCertificatePrivateKey: the key of a certificate the emulator made the key of,
/// as a PKCS #8 `ENCRYPTED PRIVATE KEY` under `EncryptedCode` (the password).
pub(crate) fn private_key(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx.text("Identifier").unwrap_or_default();
    let password = ctx.text("EncryptedCode").unwrap_or_default();
    let data = ctx.state.data();
    let cert = find(&data.private_certificates, identifier)?;
    if cert.private_key.is_empty() {
        return Err(ApiError::new(
            400,
            "OperationDenied.NoPrivateKey",
            "The certificate was made from a CSR: its private key is the caller's.",
        ));
    }
    let encrypted = private_ca::encrypted_key(cert, password).map_err(internal)?;
    Ok(object(json!({ "EncryptedData": encrypted })))
}

/// GetCAInstanceStatus: a CA's quota and use.
pub(crate) fn ca_instance_status(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let identifier = ctx.text("Identifier");
    let rows: Vec<Value> = cas(ctx, &data.private_certificates)
        .into_iter()
        .filter(|c| identifier.is_none_or(|i| c.identifier == i))
        .map(|c| {
            let issued = data
                .private_certificates
                .iter()
                .filter(|x| x.parent_identifier == c.identifier)
                .count();
            json!({
                "Identifier": c.identifier,
                "InstanceId": ctx.text("InstanceId").map_or_else(|| format!("pca-{}", &c.identifier[..c.identifier.len().min(12)]), str::to_owned),
                "Status": if c.status == "REVOKE" { "REVOKE" } else { "USED" },
                "Type": c.certificate_type,
                "CertTotalCount": c.cert_total_count,
                "CertIssuedCount": issued,
                "BeforeTime": c.before_ms,
                "AfterTime": c.after_ms,
                "UseExpireTime": c.after_ms,
            })
        })
        .collect();
    Ok(object(json!({ "InstanceStatusList": rows })))
}

/// ListCACertificateLog: a certificate's history: made, then revoked or deleted.
pub(crate) fn ca_log(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let identifier = ctx.text("Identifier").unwrap_or_default();
    let data = ctx.state.data();
    let cert = data
        .private_certificates
        .iter()
        .find(|c| c.identifier == identifier)
        .ok_or_else(|| not_found(identifier))?;
    let mut rows = vec![json!({
        "Identifier": cert.identifier,
        "OpType": "ADD",
        "CreateTime": cert.created_ms,
        "Content": format!("Created {} certificate {}.", cert.certificate_type, cert.common_name),
    })];
    if let Some(at) = cert.revoked_ms {
        rows.push(json!({
            "Identifier": cert.identifier,
            "OpType": "UPDATE",
            "CreateTime": at,
            "Content": "Revoked.",
        }));
    }
    Ok(object(json!({ "LogList": rows })))
}

//! The secrets rule over every spec and the catalog: a request parameter or response field
//! whose name or example looks like key material (`Key`, `…PrivateKey`, `…Secret…`,
//! `Password`, `…Token`, a PEM private key as example) is `sensitive`, or its spec says
//! why it is not (`not_secret`); and the catalog, which the CLI and the emulator redact by,
//! marks exactly the spec's sensitive parameters.

use std::path::Path;

use codegen::import::infer::looks_like_key_material;
use codegen::spec::{FieldSpec, TypeName};

/// Every field of `fields`, at any depth, with its path.
fn walk<'a>(fields: &'a [FieldSpec], path: &str, out: &mut Vec<(String, &'a FieldSpec)>) {
    for field in fields {
        let name = field.name.as_deref().unwrap_or("[]");
        let here = format!("{path}.{name}");
        out.push((here.clone(), field));
        if let Some(nested) = &field.fields {
            walk(nested, &here, out);
        }
        for inner in [&field.items, &field.values].into_iter().flatten() {
            out.push((format!("{here}[]"), inner));
            if let Some(nested) = &inner.fields {
                walk(nested, &format!("{here}[]"), out);
            }
        }
    }
}

#[test]
fn every_field_that_looks_like_key_material_is_sensitive_or_says_why_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let services = codegen::load::load_dir(root, &root.join("specs")).expect("specs load");
    let mut checked = 0;
    let mut failures = Vec::new();
    for service in &services {
        for loaded in &service.operations {
            let spec = &loaded.spec;
            let mut fields = Vec::new();
            walk(&spec.request, "request", &mut fields);
            walk(&spec.response.fields, "response", &mut fields);
            for (path, field) in fields {
                let name = field.name.as_deref().unwrap_or_default();
                let example = codegen::shape::example_text(field.example.as_ref());
                if field.ty != TypeName::String || !looks_like_key_material(name, &example) {
                    continue;
                }
                checked += 1;
                let reason = field.not_secret.as_deref().filter(|r| !r.trim().is_empty());
                if field.sensitive == reason.is_some() {
                    failures.push(format!("{} {path}", loaded.display_path.display()));
                }
            }
            // The catalog redacts by the same flags.
            let product = alibabacloud_catalog::products(&service.service.spec.product)
                .find(|p| p.service.version == service.service.spec.version)
                .expect("the product is in the catalog");
            let operation = product.operation(&spec.action).expect("in the catalog");
            for param in &spec.request {
                let wire = param.name.as_deref().unwrap_or_default();
                let info = operation
                    .param(wire)
                    .expect("the parameter is in the catalog");
                assert_eq!(info.sensitive, param.sensitive, "{} {wire}", spec.action);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "neither sensitive nor not_secret:\n{}",
        failures.join("\n")
    );
    // Private keys, tokens, secrets, tag keys, cursors: the rule has plenty to judge.
    assert!(checked > 120, "{checked} fields checked");
}

#[test]
fn the_private_keys_of_csrs_and_the_private_ca_are_sensitive() {
    for (product, version, action, name) in [
        ("cas", "2020-04-07", "UpdateCsr", "Key"),
        ("cas", "2020-04-07", "UploadUserCertificate", "Key"),
        ("cas", "2020-04-07", "UploadPCACert", "PrivateKey"),
        // Decided by hand: names the rule does not read as secrets.
        (
            "cas",
            "2020-06-30",
            "DescribeCertificatePrivateKey",
            "EncryptedCode",
        ),
        ("sts", "2015-04-01", "AssumeRoleWithSAML", "SAMLAssertion"),
        ("bssopenapi", "2023-09-30", "PayOrder", "Token"),
    ] {
        let operation = alibabacloud_catalog::products(product)
            .find(|p| p.service.version == version)
            .and_then(|p| p.operation(action))
            .unwrap();
        assert!(operation.param(name).unwrap().sensitive, "{action}.{name}");
    }
}

#[test]
fn the_key_material_and_credentials_that_responses_carry_are_sensitive() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let services = codegen::load::load_dir(root, &root.join("specs")).expect("specs load");
    for (product, version, action, path) in [
        (
            "cas",
            "2020-06-30",
            "DescribeCertificatePrivateKey",
            "response.EncryptedData",
        ),
        // The SM2 key-management envelope: the encryption certificate's private key.
        (
            "cas",
            "2020-06-30",
            "CreateClientCertificateWithCsr",
            "response.CertKmcRep1",
        ),
        (
            "sts",
            "2015-04-01",
            "AssumeRoleWithSAML",
            "response.Credentials.AccessKeySecret",
        ),
        (
            "sts",
            "2015-04-01",
            "AssumeRoleWithSAML",
            "response.Credentials.SecurityToken",
        ),
    ] {
        let service = services
            .iter()
            .find(|s| s.service.spec.product == product && s.service.spec.version == version)
            .expect("the service is loaded");
        let loaded = service
            .operations
            .iter()
            .find(|o| o.spec.action == action)
            .expect("the operation is loaded");
        let mut fields = Vec::new();
        walk(&loaded.spec.response.fields, "response", &mut fields);
        let (_, field) = fields
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("{action} has {path}"));
        assert!(field.sensitive, "{action} {path}");
    }
}

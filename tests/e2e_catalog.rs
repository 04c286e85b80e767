//! Every operation of the catalog, end to end against the emulator, driven by the catalog
//! and the generated operation table (`generated/operations.rs`), never by a hand-written
//! list: a new spec that the emulator cannot answer fails here.
//!
//! For each operation and both signature versions, on a fresh seeded emulator:
//! - its generated client sends it with its required parameters (each from the emulator's
//!   stored resources when it names one, else the spec's example, else a value of its
//!   documented type) and parses the answer into the generated response type;
//! - the same request, sent raw, answers a body that conforms to the operation's response
//!   schema (every field present with its documented type) and is not empty: some field
//!   besides the RequestId holds a value (an empty list alone is not an answer).

#[path = "generated/operations.rs"]
#[rustfmt::skip]
#[allow(dead_code)] // e2e_catalog and metadata_operations each read only some fields of a case
mod operations;

use std::collections::BTreeMap;
use std::time::Duration;

use alibabacloud_core::catalog::{OperationInfo, ParamType, ShapeKind};
use alibabacloud_core::{CallOptions, Config, Handle, SignatureVersion};
use alibabacloud_emulator::{Emulator, RunningEmulator};
use operations::CASES;
use serde_json::Value;

const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The value of parameter `name`: a stored resource's ID (or an upload's input), else for
/// a required one (`example` is `Some`) the spec's example when it is valid, else a value
/// of the parameter's type; an optional one without a stored value stays unset.
fn fill(
    op: &OperationInfo,
    ids: &BTreeMap<String, String>,
    name: &str,
    example: Option<&str>,
) -> Option<String> {
    if let Some(id) = ids.get(name) {
        return Some(id.clone());
    }
    Some(fill_required(op, name, example?))
}

fn fill_required(op: &OperationInfo, name: &str, example: &str) -> String {
    let Some(param) = op.param(name) else {
        return example.to_owned();
    };
    if !param.values.is_empty() && !param.values.contains(&example) {
        return param.values[0].to_owned();
    }
    let typed = match param.kind {
        ParamType::Int32 | ParamType::Int64 => example.trim().parse::<i64>().is_ok(),
        ParamType::Bool => matches!(example, "true" | "false"),
        _ => !example.is_empty(),
    };
    if typed {
        return example.to_owned();
    }
    match param.kind {
        ParamType::Int32 | ParamType::Int64 => "1".to_owned(),
        ParamType::Bool => "true".to_owned(),
        _ => format!("v-{name}"),
    }
}

/// The stored resources' IDs, and a certificate with its key for the upload operations:
/// made with the stored key the emulator names (a CSR's), so that one `Key` fits both.
fn inputs(emulator: &RunningEmulator, action: &str) -> BTreeMap<String, String> {
    let mut ids = emulator.resource_ids(action);
    let key = match ids.get("Key") {
        Some(pem) => rcgen::KeyPair::from_pem(pem).expect("the stored key is PKCS#8"),
        None => rcgen::KeyPair::generate().expect("a key"),
    };
    let cert = rcgen::CertificateParams::new(vec!["www.catalog.test".to_owned()])
        .expect("valid names")
        .self_signed(&key)
        .expect("a certificate");
    ids.insert("Cert".to_owned(), cert.pem());
    ids.insert("Key".to_owned(), key.serialize_pem());
    ids
}

/// Whether an answer says anything besides its RequestId: some field holds a value that
/// is not an empty list, object or text (`{"CertificateList": []}` says nothing).
fn has_content(body: &Value) -> bool {
    fn filled(value: &Value) -> bool {
        match value {
            Value::Null => false,
            Value::String(text) => !text.is_empty(),
            Value::Array(items) => items.iter().any(filled),
            Value::Object(fields) => fields.values().any(filled),
            Value::Bool(_) | Value::Number(_) => true,
        }
    }
    body.as_object().is_some_and(|fields| {
        fields
            .iter()
            .any(|(name, value)| name != "RequestId" && filled(value))
    })
}

fn config(emulator: &RunningEmulator, signature: SignatureVersion) -> Config {
    Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .signature_version(signature)
        .connect_timeout(CALL_TIMEOUT)
        .read_timeout(CALL_TIMEOUT)
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_catalog_operation_answers_a_schema_valid_body_through_its_generated_client() {
    let mut failures = Vec::new();
    let mut calls = 0;
    for product in alibabacloud_catalog::PRODUCTS {
        for op in product.operations {
            let action = op.operation.action;
            let Some(case) = CASES.iter().find(|c| {
                c.product == product.code
                    && c.version == product.service.version
                    && c.action == action
            }) else {
                failures.push(format!("{} {action}: no generated case", product.code));
                continue;
            };
            for signature in [SignatureVersion::V3, SignatureVersion::V1] {
                let emulator = Emulator::start().await.expect("the emulator starts");
                let ids = inputs(&emulator, action);
                let value = |name: &str, example: Option<&str>| fill(op, &ids, name, example);
                let config = config(&emulator, signature);
                let label = format!("{} {action} {signature:?}", product.code);

                // Typed: through the generated client, parsed into the generated type.
                if let Err(error) = (case.send_required)(&config, &value).await {
                    failures.push(format!("{label}: typed call failed: {error}"));
                }
                // Raw: the same request on a fresh emulator (a write may change the state),
                // its body checked against the schema.
                let emulator = Emulator::start().await.expect("the emulator starts");
                let ids = inputs(&emulator, action);
                let value = |name: &str, example: Option<&str>| fill(op, &ids, name, example);
                let config = self::config(&emulator, signature);
                let params = (case.required_request)(&value);
                let handle = Handle::new(&config, product.service).expect("a handle");
                match handle
                    .invoke_raw(&op.operation, &params, &CallOptions::default())
                    .await
                {
                    Ok(raw) => match serde_json::from_slice::<Value>(&raw.body) {
                        Ok(body) => {
                            if let Err(why) = alibabacloud_emulator::conforms(op, &body) {
                                failures.push(format!("{label}: {why} in {body}"));
                            }
                            // Fields typed `any` whose documented example is `{}` or `[]`
                            // promise no content.
                            let documented = op.response.iter().any(|f| {
                                f.name != "RequestId"
                                    && !(matches!(f.kind, ShapeKind::Any)
                                        && matches!(f.example, "" | "{}" | "[]"))
                            });
                            if documented && !has_content(&body) {
                                failures.push(format!("{label}: empty answer {body}"));
                            }
                        }
                        Err(e) => failures.push(format!("{label}: not JSON: {e}")),
                    },
                    Err(error) => failures.push(format!("{label}: raw call failed: {error}")),
                }
                calls += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        calls >= 2 * 297,
        "only {calls} calls: the catalog is not all there"
    );
}

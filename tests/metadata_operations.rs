//! Every operation of the API metadata (`../shared/api-meta/*/*/api-docs.json`) against
//! what the SDK generated for it, driven by the metadata and the generated operation table
//! (`generated/operations.rs`), never by a hand-written list:
//!
//! - a response document made of the schema's example values parses into the generated
//!   type, and no private key of it shows in the `Debug` output;
//! - a request with every parameter set produces exactly the metadata's wire names and
//!   locations (query or form body; `X.1`, `X.1.Key`, `X.Key`, one JSON string);
//! - writes are not read-only, and every private key is `sensitive` and redacted.

#[path = "generated/operations.rs"]
#[rustfmt::skip]
#[allow(dead_code)] // e2e_catalog and metadata_operations each read only some fields of a case
mod operations;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use alibabacloud_core::catalog::OperationInfo;
use operations::{CASES, Case};
use serde_json::{Map, Value, json};

/// One metadata file and where it came from.
struct Metadata {
    product: String,
    version: String,
    apis: Map<String, Value>,
}

fn metadata() -> Vec<Metadata> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/api-meta");
    let mut found = Vec::new();
    for product in sorted_dirs(&root) {
        for version in sorted_dirs(&product) {
            let path = version.join("api-docs.json");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let docs: Value = serde_json::from_str(&text).expect("valid JSON");
            found.push(Metadata {
                product: docs["info"]["product"].as_str().unwrap().to_lowercase(),
                version: docs["info"]["version"].as_str().unwrap().to_owned(),
                apis: docs["apis"].as_object().unwrap().clone(),
            });
        }
    }
    assert!(
        found.len() >= 7,
        "the metadata of the seven product versions is beside the checkout in {}",
        root.display()
    );
    found
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn case(meta: &Metadata, action: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.product == meta.product && c.version == meta.version && c.action == action)
        .unwrap_or_else(|| {
            panic!(
                "{} {} {action} is in the metadata but was not generated",
                meta.product, meta.version
            )
        })
}

fn catalog_operation(meta: &Metadata, action: &str) -> &'static OperationInfo {
    alibabacloud_catalog::products(&meta.product)
        .find(|p| p.service.version == meta.version)
        .and_then(|p| p.operation(action))
        .unwrap_or_else(|| panic!("{} {action} is not in the catalog", meta.product))
}

/// The private-key rule of the import: text fields ending in `PrivateKey` (not the
/// `ExistPrivateKey`/`HasPrivateKey` flags), and `Key` beside `Cert` or `Csr`.
fn is_private_key(name: &str, siblings: &[&str]) -> bool {
    (name.ends_with("PrivateKey") && !name.starts_with("Exist") && !name.starts_with("Has"))
        || (name == "Key" && siblings.iter().any(|s| *s == "Cert" || *s == "Csr"))
}

/// A response document made of the schema's example values. Private keys get a canary.
fn example_document(schema: &Value, canaries: &mut usize) -> Value {
    match schema["type"].as_str().unwrap_or("object") {
        "object" => {
            let mut object = Map::new();
            let properties = schema["properties"].as_object();
            let names: Vec<&str> = properties
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for (name, property) in properties.into_iter().flatten() {
                let value = if property["type"] == "string" && is_private_key(name, &names) {
                    *canaries += 1;
                    json!(format!("CANARY-PRIVATE-KEY-{canaries}"))
                } else {
                    example_document(property, canaries)
                };
                object.insert(name.clone(), value);
            }
            if object.is_empty() {
                if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    object.insert("k".into(), example_document(values, canaries));
                }
            }
            Value::Object(object)
        }
        "array" => json!([example_document(&schema["items"], canaries)]),
        kind => {
            let example = schema["example"].as_str().map(str::to_owned).or_else(|| {
                schema["example"]
                    .as_i64()
                    .map(|n| n.to_string())
                    .or_else(|| schema["example"].as_bool().map(|b| b.to_string()))
            });
            match kind {
                "integer" => json!(
                    example
                        .and_then(|e| e.trim().parse::<i64>().ok())
                        .unwrap_or(3)
                ),
                "number" => json!(
                    example
                        .and_then(|e| e.trim().parse::<f64>().ok())
                        .unwrap_or(2.5)
                ),
                "boolean" => json!(example.as_deref() == Some("true")),
                "any" => example
                    .and_then(|e| serde_json::from_str(&e).ok())
                    .unwrap_or(json!({"any": 1})),
                _ => json!(example.unwrap_or_else(|| "text".to_owned())),
            }
        }
    }
}

#[test]
fn every_metadata_operation_is_generated_and_parses_its_example_response() {
    let mut failures = Vec::new();
    let mut parsed = 0;
    for meta in metadata() {
        for (action, api) in &meta.apis {
            let case = case(&meta, action);
            let schema = &api["responses"]["200"]["schema"];
            let mut canaries = 0;
            let document = example_document(schema, &mut canaries);
            let body = serde_json::to_vec(&document).unwrap();
            match (case.parse)(&body) {
                Ok(debug) if debug.contains("CANARY-PRIVATE-KEY") => failures.push(format!(
                    "{} {action}: a private key shows in the response's Debug",
                    meta.product
                )),
                Ok(_) => parsed += 1,
                Err(error) => failures.push(format!("{} {action}: {error}", meta.product)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        parsed,
        87 + 7 + 1 + 35 + 100 + 62 + 4,
        "cas 2020-04-07, 2018-07-13, 2018-08-13, 2020-06-30; bssopenapi 2017-12-14, 2023-09-30; sts"
    );
}

/// The wire names the metadata implies for a parameter set with the table's values
/// (two items in a list of scalars, one in a list of objects, one map key `k`).
fn expected_names(name: &str, schema: &Value, style: Option<&str>, out: &mut Vec<String>) {
    if style == Some("json") {
        out.push(name.to_owned());
        return;
    }
    match schema["type"].as_str().unwrap_or("string") {
        "array" => {
            let items = &schema["items"];
            if items["type"] == "object" {
                expected_names(&format!("{name}.1"), items, None, out);
            } else {
                for index in 1..=2 {
                    expected_names(&format!("{name}.{index}"), items, None, out);
                }
            }
        }
        "object" => match schema["properties"].as_object() {
            Some(properties) if !properties.is_empty() => {
                for (field, property) in properties {
                    expected_names(&format!("{name}.{field}"), property, None, out);
                }
            }
            _ => expected_names(
                &format!("{name}.k"),
                &schema["additionalProperties"],
                None,
                out,
            ),
        },
        _ => out.push(name.to_owned()),
    }
}

#[test]
fn a_request_with_every_parameter_set_sends_exactly_the_metadata_wire_names() {
    let mut failures = Vec::new();
    for meta in metadata() {
        for (action, api) in &meta.apis {
            let case = case(&meta, action);
            let mut query = Vec::new();
            let mut body = Vec::new();
            for parameter in api["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                let target = match parameter["in"].as_str() {
                    Some("formData") => &mut body,
                    _ => &mut query,
                };
                expected_names(
                    name,
                    &parameter["schema"],
                    parameter["style"].as_str(),
                    target,
                );
            }
            let (params, _) = (case.full_request)();
            let got = |pairs: &[(String, String)]| -> BTreeSet<String> {
                pairs.iter().map(|(k, _)| k.clone()).collect()
            };
            let want = |names: Vec<String>| -> BTreeSet<String> { names.into_iter().collect() };
            let (got_query, got_body) = (got(params.query()), got(params.body()));
            let (want_query, want_body) = (want(query), want(body));
            if got_query != want_query || got_body != want_body {
                failures.push(format!(
                    "{} {action}:\n  query: got {got_query:?}\n         want {want_query:?}\n  body:  got {got_body:?}\n         want {want_body:?}",
                    meta.product
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_style_parameters_travel_as_one_json_string() {
    for meta in metadata() {
        for (action, api) in &meta.apis {
            let (params, _) = (case(&meta, action).full_request)();
            let pairs: BTreeMap<&str, &str> = params.pairs().collect();
            for parameter in api["parameters"].as_array().into_iter().flatten() {
                if parameter["style"] != "json" {
                    continue;
                }
                let name = parameter["name"].as_str().unwrap();
                let value = pairs[name];
                let parsed: Value = serde_json::from_str(value)
                    .unwrap_or_else(|e| panic!("{action}.{name} = {value}: not JSON: {e}"));
                assert!(
                    parsed.is_array() || parsed.is_object(),
                    "{action}.{name}: {value}"
                );
            }
        }
    }
}

#[test]
fn every_write_operation_is_not_read_only() {
    let mut writes = 0;
    for meta in metadata() {
        for (action, api) in &meta.apis {
            let operation = catalog_operation(&meta, action);
            let write = api["operationType"] != "read";
            if write {
                writes += 1;
                assert!(
                    !operation.operation.read_only,
                    "{} {action} writes but is marked read-only: it could be retried and run twice",
                    meta.product
                );
            }
        }
    }
    assert_eq!(writes, 129, "the metadata's write operations");
}

#[test]
fn every_private_key_parameter_is_sensitive_and_redacted_from_debug() {
    let mut keys = Vec::new();
    for meta in metadata() {
        for (action, api) in &meta.apis {
            let parameters = api["parameters"].as_array().cloned().unwrap_or_default();
            let names: Vec<&str> = parameters
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            let operation = catalog_operation(&meta, action);
            let (_, debug) = (case(&meta, action).full_request)();
            for param in operation.params {
                if is_private_key(param.name, &names) {
                    keys.push(format!("{action}.{}", param.name));
                    assert!(param.sensitive, "{action}.{} is a private key", param.name);
                }
                if param.sensitive {
                    let value = format!("\"v-{}\"", param.name);
                    assert!(
                        !debug.contains(&value),
                        "{action}.{} shows in Debug: {debug}",
                        param.name
                    );
                }
            }
        }
    }
    for expected in [
        "UploadUserCertificate.Key",
        "UploadUserCertificate.EncryptPrivateKey",
        "UploadUserCertificate.SignPrivateKey",
        "UploadPCACert.PrivateKey",
    ] {
        assert!(keys.iter().any(|k| k == expected), "{expected} in {keys:?}");
    }
}

//! The hostile fixture (`fixtures/hostile/api-docs.json`: every name class, every type in
//! every position, every parameter style, the metadata's quirks) against the crate
//! `cargo xtask import` and `cargo xtask codegen` made of it
//! (`fixtures/crates/alibabacloud-hostile-20240101`), the way `metadata_operations.rs`
//! checks the real products: that the crate compiles is the workspace build; here, every
//! operation the import kept is generated, its example response parses, and a request with
//! every parameter set sends exactly the metadata's wire names, each at its location.

#[path = "generated/fixture_operations.rs"]
#[rustfmt::skip]
#[allow(dead_code)] // only some fields of a case are read here
mod operations;

use std::collections::BTreeSet;

use operations::CASES;
use serde_json::{Map, Value, json};

fn metadata() -> Map<String, Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/hostile/api-docs.json"
    );
    let text = std::fs::read_to_string(path).expect("the hostile fixture");
    let docs: Value = serde_json::from_str(&text).expect("valid JSON");
    docs["apis"].as_object().expect("apis").clone()
}

/// What the import leaves out, each for its reason (see `codegen/tests/import.rs`).
const NOT_GENERATED: &[&str] = &["BadName", "BadStyle", "GetThing", "JoinObjects"];

/// The schema a `$ref` names.
fn resolve(schema: &Value) -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/hostile/api-docs.json"
    );
    let docs: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            docs["components"]["schemas"][name].clone()
        }
        None => schema.clone(),
    }
}

/// The wire names the metadata implies for a parameter set with the test table's values:
/// two items in a list of scalars (or of lists, or of `any`), one in a list of objects,
/// one map key `k`, and `{"k": "v"}` for `any`.
fn expected_names(name: &str, schema: &Value, style: Option<&str>, out: &mut Vec<String>) {
    let schema = resolve(schema);
    if matches!(
        style,
        Some("json" | "simple" | "spaceDelimited" | "pipeDelimited")
    ) {
        out.push(name.to_owned());
        return;
    }
    match schema["type"].as_str().unwrap_or("string") {
        "array" => {
            let items = resolve(&schema["items"]);
            let count = if items["type"] == "object" && items.get("properties").is_some() {
                1
            } else {
                2
            };
            for index in 1..=count {
                expected_names(&format!("{name}.{index}"), &items, None, out);
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
        "any" => out.push(format!("{name}.k")),
        _ => out.push(name.to_owned()),
    }
}

fn hostile(action: &str) -> Option<&'static operations::Case> {
    CASES
        .iter()
        .find(|c| c.product == "hostile" && c.action == action)
}

#[test]
fn every_kept_operation_is_generated_and_no_other() {
    let generated: BTreeSet<String> = CASES
        .iter()
        .filter(|c| c.product == "hostile")
        .map(|c| c.action.to_owned())
        .collect();
    let kept: BTreeSet<String> = metadata()
        .keys()
        .filter(|a| !NOT_GENERATED.contains(&a.as_str()))
        .cloned()
        .collect();
    assert_eq!(generated, kept);
}

#[test]
fn a_request_with_every_parameter_set_sends_exactly_the_metadata_wire_names() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (action, api) in metadata() {
        let Some(case) = hostile(&action) else {
            continue;
        };
        let mut query = Vec::new();
        let mut body = Vec::new();
        let mut seen = BTreeSet::new();
        for parameter in api["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            // A name listed twice is one parameter, the first; headers are not sent.
            if !seen.insert(name) {
                continue;
            }
            let target = match parameter["in"].as_str() {
                Some("formData") => &mut body,
                Some("query") => &mut query,
                _ => continue,
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
                "{action}:\n  query: got {got_query:?}\n         want {want_query:?}\n  body:  got {got_body:?}\n         want {want_body:?}"
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, metadata().len() - NOT_GENERATED.len());
}

#[test]
fn styled_parameters_travel_as_one_value() {
    let (params, _) = (hostile("Types").unwrap().full_request)();
    let value = |name: &str| params.get(name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(value("Simple"), "v-Simple,v-Simple");
    assert_eq!(value("Space"), "7 7");
    assert_eq!(value("Pipe"), "true|true");
    assert_eq!(value("JsonList"), "[7,7]");
    assert_eq!(
        value("JsonString"),
        "v-JsonString",
        "JSON text is sent as itself"
    );
    assert_eq!(value("SimpleScalar"), "v-SimpleScalar");
    assert_eq!(value("Floats.1"), "1.5");
    let (params, _) = (hostile("Client").unwrap().full_request)();
    let json: Value = serde_json::from_str(params.get("JsonObject").unwrap()).unwrap();
    assert_eq!(json["List"], json!([7, 7]));
    assert_eq!(params.get("AnyJson"), Some(r#"{"k":"v"}"#));
}

/// A response document made of example values: every type in every position. `refs` are
/// the `$ref`s being expanded: one met again is a cycle, which the import typed as `any`.
fn example(schema: &Value, refs: &mut Vec<String>) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        if refs.iter().any(|r| r == reference) {
            return json!({"cycle": true});
        }
        refs.push(reference.to_owned());
        let value = example(&resolve(schema), refs);
        refs.pop();
        return value;
    }
    match schema["type"].as_str().unwrap_or("object") {
        "object" => match schema["properties"].as_object() {
            Some(properties) if !properties.is_empty() => properties
                .iter()
                .map(|(name, property)| (name.clone(), example(property, refs)))
                .collect::<Map<_, _>>()
                .into(),
            _ if schema.get("additionalProperties").is_some() => {
                json!({"k": example(&schema["additionalProperties"], refs)})
            }
            _ => json!({}),
        },
        "array" => json!([
            example(&schema["items"], refs),
            example(&schema["items"], refs)
        ]),
        "integer" => json!(3),
        "number" => json!(2.5),
        "boolean" => json!(true),
        "any" => json!({"any": [1, "two"]}),
        _ => match schema["enum"].as_array() {
            Some(values) => values[0].clone(),
            None => json!("text"),
        },
    }
}

#[test]
fn every_kept_operation_parses_an_example_of_its_response() {
    for (action, api) in metadata() {
        let Some(case) = hostile(&action) else {
            continue;
        };
        let document = example(&api["responses"]["200"]["schema"], &mut Vec::new());
        let body = serde_json::to_vec(&document).unwrap();
        if let Err(error) = (case.parse)(&body) {
            panic!("{action}: {error}\n{document}");
        }
        // A plain acknowledgement reads any object, and nothing at all.
        (case.parse)(b"{}").unwrap_or_else(|e| panic!("{action}: {e}"));
    }
}

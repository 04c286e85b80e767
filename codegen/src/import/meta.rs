//! The OpenMeta `api-docs.json` format, as far as the importer reads it.
//!
//! Lenient on purpose: a file downloaded from the live metadata endpoint carries titles,
//! descriptions and keys this importer does not use, and may lack our `x-` keys. Prose is
//! never read: no description, title or summary reaches a spec.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// One `api-docs.json`.
#[derive(Debug, Deserialize)]
pub struct ApiDocs {
    pub info: Info,
    #[serde(default)]
    pub apis: BTreeMap<String, Api>,
    #[serde(default)]
    pub endpoints: Vec<EndpointEntry>,
    #[serde(default, rename = "x-endpoint-rule")]
    pub endpoint_rule: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Info {
    /// Product code as the portal spells it (`cas`, `BssOpenApi`).
    pub product: String,
    pub version: String,
    #[serde(default)]
    pub style: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct EndpointEntry {
    #[serde(rename = "regionId")]
    pub region_id: String,
    pub endpoint: String,
}

#[derive(Debug, Deserialize)]
pub struct Api {
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub security: Vec<BTreeMap<String, Value>>,
    #[serde(default, rename = "operationType")]
    pub operation_type: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default, rename = "systemTags")]
    pub system_tags: Option<SystemTags>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub responses: BTreeMap<String, ResponseDoc>,
    #[serde(default, rename = "x-style")]
    pub style: Option<String>,
    #[serde(default, rename = "x-pathname")]
    pub pathname: Option<String>,
    #[serde(default, rename = "x-req-body-type")]
    pub req_body_type: Option<String>,
    #[serde(default, rename = "x-rate-limit-per-second")]
    pub rate_limit_per_second: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SystemTags {
    #[serde(default, rename = "operationType")]
    pub operation_type: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub schema: Schema,
}

#[derive(Debug, Deserialize)]
pub struct ResponseDoc {
    #[serde(default)]
    pub schema: Option<Schema>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Schema {
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
    /// A schema, or `true`/`false` in some files.
    #[serde(default, rename = "additionalProperties")]
    pub additional_properties: Option<Value>,
    /// `true`/`false` on a field (the metadata's habit), or a list of names on an object.
    #[serde(default)]
    pub required: Option<Value>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// The name of the `components.schemas` entry this schema came from (set by
    /// [`resolve_refs`]): a shared type's own name.
    #[serde(default, rename = "x-component")]
    pub component: Option<String>,
}

impl Schema {
    /// The schema of a map's values, if this is a map.
    pub fn map_values(&self) -> Option<Schema> {
        match &self.additional_properties {
            Some(Value::Object(_)) => self
                .additional_properties
                .clone()
                .and_then(|v| serde_json::from_value(v).ok()),
            Some(Value::Bool(true)) => Some(Schema {
                ty: Some("any".to_owned()),
                ..Schema::default()
            }),
            _ => None,
        }
    }

    /// Whether the field itself is marked required.
    pub fn is_required(&self) -> bool {
        matches!(self.required, Some(Value::Bool(true)))
    }

    /// Names an object lists as required (the JSON Schema habit).
    pub fn required_names(&self) -> Vec<String> {
        match &self.required {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Replaces every `{"$ref": "#/components/schemas/<Name>"}` under `apis` with the schema it
/// names, marked with its name (`x-component`), as files from the live endpoint may share
/// schemas that way. Returns what it could not resolve, per operation: a reference to no
/// schema, and a cycle (a schema that holds itself, directly or not), whose recursive
/// field becomes `{"type": "any"}`.
pub fn resolve_refs(docs: &mut Value) -> Vec<String> {
    let schemas = docs
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    let mut problems = Vec::new();
    if let Some(Value::Object(apis)) = docs.get_mut("apis") {
        for (action, api) in apis.iter_mut() {
            let mut stack = Vec::new();
            resolve(api, &schemas, &mut stack, action, &mut problems);
        }
    }
    problems
}

fn resolve(
    value: &mut Value,
    schemas: &Value,
    stack: &mut Vec<String>,
    action: &str,
    problems: &mut Vec<String>,
) {
    if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned);
        let replacement = match (target, schemas) {
            (Some(target), _) if stack.contains(&target) => {
                let mut cycle = stack.clone();
                cycle.push(target);
                problems.push(format!(
                    "{action}: `$ref` cycle {}: the recursive field is typed as any",
                    cycle.join(" → ")
                ));
                serde_json::json!({"type": "any"})
            }
            (Some(target), Value::Object(all)) if all.contains_key(&target) => {
                let mut schema = all[&target].clone();
                if let Value::Object(map) = &mut schema {
                    map.insert("x-component".to_owned(), Value::String(target.clone()));
                }
                stack.push(target);
                resolve(&mut schema, schemas, stack, action, problems);
                stack.pop();
                schema
            }
            _ => {
                problems.push(format!(
                    "{action}: `$ref` {reference} names no schema of the file; typed as any"
                ));
                serde_json::json!({"type": "any"})
            }
        };
        *value = replacement;
        return;
    }
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                resolve(child, schemas, stack, action, problems);
            }
        }
        Value::Array(items) => {
            for child in items {
                resolve(child, schemas, stack, action, problems);
            }
        }
        _ => {}
    }
}

/// The text of a scalar JSON value (examples and enum values).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

//! One metadata operation → the spec the importer would write for it, facts only.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use serde_yaml::{Mapping, Value};

use super::infer;
use super::meta::{Api, Schema, scalar_text};
use crate::names;

/// What converting one operation noticed, for the import summary.
#[derive(Debug, Default)]
pub struct Notes {
    pub warnings: Vec<String>,
}

/// Builds a YAML mapping from `(key, value)` pairs, skipping nulls.
pub fn mapping<const N: usize>(pairs: [(&str, Value); N]) -> Mapping {
    let mut map = Mapping::new();
    for (key, value) in pairs {
        if !value.is_null() {
            map.insert(Value::from(key), value);
        }
    }
    map
}

fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

/// The spec of `action` as the metadata describes it.
pub fn operation(action: &str, api: &Api, notes: &mut Notes) -> Mapping {
    let method = if api.methods.iter().any(|m| m.eq_ignore_ascii_case("post")) {
        "POST"
    } else if api.methods.iter().any(|m| m.eq_ignore_ascii_case("get")) {
        "GET"
    } else {
        notes.warnings.push(format!(
            "{action}: no GET or POST method listed; assumed POST"
        ));
        "POST"
    };
    let has_form = api.parameters.iter().any(|p| p.location == "formData");
    let request_body = if has_form { "form" } else { "none" };
    let read_only = infer::read_only(action, api);
    let anonymous = !api.security.is_empty()
        && api
            .security
            .iter()
            .all(|s| s.contains_key("Anonymous") && !s.contains_key("AK"));
    let prefix = names::type_name(&names::method_ident(action, None).text);

    let mut types = TypeNames::new(&prefix);
    let mut request = Vec::new();
    for parameter in &api.parameters {
        if !matches!(parameter.location.as_str(), "query" | "formData") {
            notes.warnings.push(format!(
                "{action}.{}: parameters `in: {}` are not supported; left out",
                parameter.name, parameter.location
            ));
            continue;
        }
        let mut field = Mapping::new();
        field.insert(text("name"), text(&parameter.name));
        if parameter.location == "formData" {
            field.insert(text("in"), text("body"));
        }
        let required = parameter.required.unwrap_or(false) || parameter.schema.is_required();
        describe(
            &mut field,
            &parameter.schema,
            &parameter.name,
            true,
            &mut types,
            notes,
            action,
        );
        if let Some(style) = &parameter.style {
            field.insert(text("style"), text(style));
        }
        if required {
            field.insert(text("required"), Value::Bool(true));
        }
        request.push(Value::Mapping(field));
    }

    let mut response_fields = Vec::new();
    let schema = api
        .responses
        .get("200")
        .and_then(|r| r.schema.as_ref())
        .filter(|s| !s.properties.is_empty());
    match schema {
        Some(schema) => {
            for (name, property) in &schema.properties {
                let mut field = Mapping::new();
                field.insert(text("name"), text(name));
                let struct_hint = (name == "Data").then(|| format!("{prefix}Data"));
                describe_named(
                    &mut field,
                    property,
                    name,
                    false,
                    &mut types,
                    notes,
                    action,
                    struct_hint,
                );
                response_fields.push(Value::Mapping(field));
            }
        }
        None => notes.warnings.push(format!(
            "{action}: no response schema; the response has no fields"
        )),
    }

    let mut spec = mapping([
        ("origin", text("imported")),
        ("action", text(action)),
        ("summary", text(infer::summary(action))),
        ("method", text(method)),
        (
            "path",
            text(api.pathname.clone().unwrap_or_else(|| "/".to_owned())),
        ),
        ("request_body", text(request_body)),
        ("read_only", Value::Bool(read_only)),
    ]);
    if api.deprecated {
        spec.insert(text("deprecated"), Value::Bool(true));
    }
    if anonymous {
        spec.insert(text("auth"), text("anonymous"));
    }
    if let Some(calls) = api.rate_limit_per_second {
        spec.insert(
            text("rate_limit"),
            Value::Mapping(mapping([
                ("calls", Value::from(calls)),
                ("per", text("second")),
                ("scope", text("user")),
            ])),
        );
    }
    spec.insert(text("request"), Value::Sequence(request));
    spec.insert(
        text("response"),
        Value::Mapping(mapping([("fields", Value::Sequence(response_fields))])),
    );
    infer::mark_sensitive(&mut spec, read_only);
    name_enums(&mut spec, &mut types);
    let paging = infer::paging(&spec);
    if let infer::Paging::Unsupported(reason) = &paging {
        notes.warnings.push(format!(
            "{action}: looks paged but gets no paginator: {reason}"
        ));
    }
    if let infer::Paging::Paged(pagination, unsure) = paging {
        if let Some(reason) = unsure {
            notes.warnings.push(format!(
                "{action}: pagination inferred but unsure: {reason}"
            ));
        }
        // Pagination goes before the parameters, where a reader looks for it.
        let mut ordered = Mapping::new();
        for (key, value) in spec {
            if key.as_str() == Some("request") {
                ordered.insert(text("pagination"), Value::Mapping(pagination.clone()));
            }
            ordered.insert(key, value);
        }
        spec = ordered;
    }
    spec
}

/// Type names claimed in one operation's module.
struct TypeNames {
    used: BTreeSet<String>,
}

impl TypeNames {
    fn new(prefix: &str) -> Self {
        let used = [
            "Request",
            "RequestBuilder",
            "FluentBuilder",
            "Paginator",
            "Response",
        ]
        .iter()
        .map(|suffix| format!("{prefix}{suffix}"))
        .collect();
        Self { used }
    }

    /// `wanted`, or a variant of it that is still free.
    fn claim(&mut self, wanted: &str, parent: Option<&str>) -> String {
        let mut candidates = vec![wanted.to_owned()];
        if let Some(parent) = parent {
            candidates.push(format!("{parent}{wanted}"));
        }
        for candidate in candidates {
            if names::is_type_name(&candidate) && self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        (2..)
            .map(|n| format!("{wanted}{n}"))
            .find(|c| self.used.insert(c.clone()))
            .unwrap_or_default()
    }
}

#[allow(clippy::too_many_arguments)]
fn describe(
    field: &mut Mapping,
    schema: &Schema,
    wire: &str,
    request: bool,
    types: &mut TypeNames,
    notes: &mut Notes,
    action: &str,
) {
    describe_named(field, schema, wire, request, types, notes, action, None);
}

/// Writes the type keys of `schema` into `field` (`type`, `items`, `fields`, `values`,
/// `enum`, `example`, `wrapper`, `struct`).
#[allow(clippy::too_many_arguments)]
fn describe_named(
    field: &mut Mapping,
    schema: &Schema,
    wire: &str,
    request: bool,
    types: &mut TypeNames,
    notes: &mut Notes,
    action: &str,
    struct_hint: Option<String>,
) {
    let ty = schema
        .ty
        .as_deref()
        .unwrap_or(if schema.properties.is_empty() {
            "string"
        } else {
            "object"
        });
    match ty {
        "string" => {
            field.insert(text("type"), text("string"));
            enum_values(field, schema, true);
        }
        "integer" => {
            let format = match schema.format.as_deref() {
                Some("int32") => "int32",
                _ => "int64",
            };
            field.insert(text("type"), text(format));
            enum_values(field, schema, false);
        }
        "number" => {
            field.insert(text("type"), text("number"));
        }
        "boolean" => {
            field.insert(text("type"), text("bool"));
        }
        "array" => {
            field.insert(text("type"), text("list"));
            let items = schema.items.as_deref().cloned().unwrap_or_default();
            let mut item = Mapping::new();
            let hint = item_struct_name(wire);
            describe_named(
                &mut item,
                &items,
                wire,
                request,
                types,
                notes,
                action,
                Some(hint),
            );
            field.insert(text("items"), Value::Mapping(item));
        }
        "object" if !schema.properties.is_empty() => {
            // `{"OrderList": {"Order": [...]}}`: the XML-derived wrapper of a list.
            if !request && schema.properties.len() == 1 {
                let (inner, list) = schema.properties.iter().next().expect("one property");
                if list.ty.as_deref() == Some("array") {
                    field.insert(text("type"), text("list"));
                    field.insert(text("wrapper"), text(inner));
                    let items = list.items.as_deref().cloned().unwrap_or_default();
                    let mut item = Mapping::new();
                    describe_named(
                        &mut item,
                        &items,
                        wire,
                        request,
                        types,
                        notes,
                        action,
                        Some(item_struct_name(wire)),
                    );
                    field.insert(text("items"), Value::Mapping(item));
                    example(field, schema);
                    return;
                }
            }
            field.insert(text("type"), text("object"));
            let wanted = struct_hint.unwrap_or_else(|| wire.to_upper_camel_case());
            let name = types.claim(&wanted, None);
            if name != wire.to_upper_camel_case() {
                field.insert(text("struct"), text(&name));
            }
            let required = schema.required_names();
            let mut fields = Vec::new();
            for (name_, property) in &schema.properties {
                let mut nested = Mapping::new();
                nested.insert(text("name"), text(name_));
                describe(&mut nested, property, name_, request, types, notes, action);
                if request && (property.is_required() || required.contains(name_)) {
                    nested.insert(text("required"), Value::Bool(true));
                }
                fields.push(Value::Mapping(nested));
            }
            field.insert(text("fields"), Value::Sequence(fields));
        }
        "object" => match schema.map_values() {
            Some(values) if values.ty.as_deref() != Some("any") || request => {
                field.insert(text("type"), text("map"));
                let mut value = Mapping::new();
                describe(&mut value, &values, wire, request, types, notes, action);
                field.insert(text("values"), Value::Mapping(value));
            }
            _ => {
                field.insert(text("type"), text("any"));
            }
        },
        "any" => {
            field.insert(text("type"), text("any"));
        }
        other => {
            notes.warnings.push(format!(
                "{action}.{wire}: unknown type {other:?}; imported as any"
            ));
            field.insert(text("type"), text("any"));
        }
    }
    example(field, schema);
}

/// The struct name of the items of list `wire`: `CertificateOrderList` → `CertificateOrder`,
/// `Tags` → `Tag`, otherwise the name itself.
fn item_struct_name(wire: &str) -> String {
    let camel = wire.to_upper_camel_case();
    if let Some(stem) = camel.strip_suffix("List").filter(|s| !s.is_empty()) {
        return stem.to_owned();
    }
    if let Some(stem) = camel.strip_suffix("ies").filter(|s| !s.is_empty()) {
        return format!("{stem}y");
    }
    if camel.ends_with('s') && !camel.ends_with("ss") && camel.len() > 1 {
        return camel[..camel.len() - 1].to_owned();
    }
    camel
}

fn example(field: &mut Mapping, schema: &Schema) {
    if let Some(example) = schema.example.as_ref().and_then(scalar_text) {
        if !example.trim().is_empty() {
            field.insert(text("example"), text(example));
        }
    }
}

/// The valid values of a field. Text fields get an enum; numbers keep their values as
/// documentation.
fn enum_values(field: &mut Mapping, schema: &Schema, is_text: bool) {
    let Some(values) = &schema.enum_values else {
        return;
    };
    let mut seen = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut list = Vec::new();
    for value in values {
        let Some(value) = scalar_text(value) else {
            continue;
        };
        if !seen.insert(value.clone()) {
            continue;
        }
        if !is_text && value.parse::<i64>().is_err() {
            return;
        }
        let mut entry = Mapping::new();
        entry.insert(text("value"), text(&value));
        if is_text {
            // Values that give no variant, or the same one, are named here.
            let variant = names::variant_name(&value);
            match variant {
                Some(name) if variants.insert(name.clone()) => {}
                _ => {
                    let fallback = (1..)
                        .map(|n| format!("Value{n}"))
                        .find(|n| variants.insert(n.clone()))
                        .unwrap_or_default();
                    entry.insert(text("rust_name"), text(fallback));
                }
            }
        }
        list.push(Value::Mapping(entry));
    }
    if !list.is_empty() {
        field.insert(text("enum"), Value::Sequence(list));
    }
}

/// Gives every enum a type name of its own: two fields with the same wire name but other
/// values, or an enum named like a struct, get `<Struct><Field>`.
fn name_enums(spec: &mut Mapping, types: &mut TypeNames) {
    let mut enums: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for key in ["request", "response"] {
        let Some(node) = spec.get_mut(key) else {
            continue;
        };
        let fields = match node {
            Value::Sequence(fields) => fields,
            Value::Mapping(map) => match map.get_mut("fields") {
                Some(Value::Sequence(fields)) => fields,
                _ => continue,
            },
            _ => continue,
        };
        for field in fields {
            name_enums_in(field, "", types, &mut enums);
        }
    }
}

fn name_enums_in(
    field: &mut Value,
    parent: &str,
    types: &mut TypeNames,
    enums: &mut std::collections::BTreeMap<String, Vec<Value>>,
) {
    let Value::Mapping(map) = field else {
        return;
    };
    let wire = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(parent)
        .to_owned();
    if map.get("type").and_then(Value::as_str) == Some("string") {
        if let Some(Value::Sequence(values)) = map.get("enum") {
            let values = values.clone();
            let wanted = wire.to_upper_camel_case();
            let name = match enums.get(&wanted) {
                Some(existing) if *existing == values => None,
                None if types.used.insert(wanted.clone()) => {
                    enums.insert(wanted.clone(), values.clone());
                    None
                }
                _ => {
                    let name = types.claim(&format!("{parent}{wanted}"), None);
                    enums.insert(name.clone(), values);
                    Some(name)
                }
            };
            if let Some(name) = name {
                map.insert(text("enum_name"), text(name));
            }
        }
    }
    let struct_name = map
        .get("struct")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| wire.to_upper_camel_case());
    if let Some(items) = map.get_mut("items") {
        name_enums_in(items, &wire, types, enums);
    }
    if let Some(values) = map.get_mut("values") {
        name_enums_in(values, &wire, types, enums);
    }
    if let Some(Value::Sequence(fields)) = map.get_mut("fields") {
        for nested in fields {
            name_enums_in(nested, &struct_name, types, enums);
        }
    }
}

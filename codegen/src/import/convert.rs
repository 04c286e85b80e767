//! One metadata operation → the typed spec the importer would write for it, facts only.
//!
//! Objects and text enums carry the name the importer would like for them (`struct`,
//! `enum_name`): a `$ref` component's own name, the singular of a list, `<Operation>Data`
//! for a response's `Data`; [`super::naming`] settles the final names against the spec on
//! disk. What the SDK cannot carry is refused here, naming the field.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use super::infer;
use super::meta::{Api, Parameter, Schema, scalar_text};
use crate::names;
use crate::spec::{
    Auth, EnumValueSpec, FieldSpec, Location, Method, OperationSpec, Origin, ParamStyle,
    RateLimitSpec, RatePeriod, RequestBody, ResponseSpec, Scalar, TypeName,
};

/// What converting one operation noticed, for the import summary.
#[derive(Debug, Default)]
pub struct Notes {
    pub warnings: Vec<String>,
}

/// Why an operation gets no spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Not an RPC operation: left out on purpose (ROA), not an error of the metadata.
    pub skipped: bool,
    /// The field path (`request.Tag[].Key`), when one field is the reason.
    pub field: Option<String>,
    pub reason: String,
}

impl Refusal {
    fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Refusal {
            skipped: false,
            field: Some(field.into()),
            reason: reason.into(),
        }
    }
}

/// The spec of `action` as the metadata describes it.
pub fn operation(action: &str, api: &Api, notes: &mut Notes) -> Result<OperationSpec, Refusal> {
    if !action
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        || !action.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(Refusal {
            skipped: false,
            field: None,
            reason: "an action name is ASCII letters and digits".to_owned(),
        });
    }
    let path = api.pathname.as_deref().unwrap_or("/");
    let style = api.style.as_deref().unwrap_or("RPC");
    if !style.eq_ignore_ascii_case("rpc") || path != "/" {
        return Err(Refusal {
            skipped: true,
            field: None,
            reason: format!(
                "{style}-style operation on path {path}: only RPC operations (path /) are \
                 supported"
            ),
        });
    }
    let method = if api.methods.iter().any(|m| m.eq_ignore_ascii_case("post")) {
        Method::Post
    } else if api.methods.iter().any(|m| m.eq_ignore_ascii_case("get")) {
        Method::Get
    } else {
        notes.warnings.push(format!(
            "{action}: no GET or POST method listed; assumed POST"
        ));
        Method::Post
    };
    let read_only = infer::read_only(action, api);
    let anonymous = !api.security.is_empty()
        && api
            .security
            .iter()
            .all(|s| s.contains_key("Anonymous") && !s.contains_key("AK"));
    let prefix = names::type_name(&names::method_ident(action, None).text);

    let mut request = Vec::new();
    let mut seen: Vec<&Parameter> = Vec::new();
    for parameter in &api.parameters {
        if let Some(first) = seen.iter().find(|p| p.name == parameter.name) {
            let same = first.location == parameter.location
                && first.style == parameter.style
                && serde_json::to_value(&first.schema.ty).ok()
                    == serde_json::to_value(&parameter.schema.ty).ok();
            notes.warnings.push(format!(
                "{action}.{}: listed twice; merged into the first{}",
                parameter.name,
                if same {
                    ""
                } else {
                    " (the second differs in type, location or style)"
                }
            ));
            continue;
        }
        seen.push(parameter);
        let field_path = format!("request.{}", parameter.name);
        let required = parameter.required.unwrap_or(false) || parameter.schema.is_required();
        let location = match parameter.location.as_str() {
            "query" => None,
            "formData" => Some(Location::Body),
            other if required => {
                return Err(Refusal::field(
                    field_path,
                    format!("required parameters `in: {other}` are not supported"),
                ));
            }
            other => {
                notes.warnings.push(format!(
                    "{action}.{}: parameters `in: {other}` are not supported; left out",
                    parameter.name
                ));
                continue;
            }
        };
        check_wire_name(&parameter.name, &field_path)?;
        let mut field = describe(&parameter.schema, &parameter.name, true, &field_path, notes)?;
        field.name = Some(parameter.name.clone());
        field.location = location;
        field.style = match parameter.style.as_deref() {
            None => None,
            Some(style) => Some(param_style(style).ok_or_else(|| {
                Refusal::field(
                    &field_path,
                    format!(
                        "style {style:?} is not one the SDK knows (repeatList, flat, json, \
                         simple, spaceDelimited, pipeDelimited)"
                    ),
                )
            })?),
        };
        field.required = required;
        request.push(field);
    }
    let request_body = if request.iter().any(|f| f.location == Some(Location::Body)) {
        RequestBody::Form
    } else {
        RequestBody::None
    };

    // A response without a schema, or with an empty one, is a plain acknowledgement.
    let mut response_fields = Vec::new();
    let schema = api.responses.get("200").and_then(|r| r.schema.as_ref());
    if let Some(schema) = schema {
        if schema.ty.as_deref().is_some_and(|ty| ty != "object") {
            notes.warnings.push(format!(
                "{action}: the response is not an object; read as a plain acknowledgement"
            ));
        }
        for (name, property) in &schema.properties {
            let field_path = format!("response.{name}");
            check_wire_name(name, &field_path)?;
            let mut field = describe(property, name, false, &field_path, notes)?;
            field.name = Some(name.clone());
            if name == "Data" && field.ty == TypeName::Object && property.component.is_none() {
                field.struct_name = Some(format!("{prefix}Data"));
            }
            response_fields.push(field);
        }
    }

    let mut spec = OperationSpec {
        origin: Origin::Imported,
        import_digest: None,
        action: action.to_owned(),
        rust_name: None,
        summary: infer::summary(action),
        description: None,
        method,
        path: "/".to_owned(),
        request_body,
        read_only,
        deprecated: api.deprecated,
        auth: if anonymous { Auth::Anonymous } else { Auth::Ak },
        rate_limit: api.rate_limit_per_second.map(|calls| RateLimitSpec {
            calls,
            per: RatePeriod::Second,
            scope: "user".to_owned(),
        }),
        ram_action: None,
        pagination: None,
        errors: Vec::new(),
        waiters: Vec::new(),
        request,
        response: ResponseSpec {
            name: None,
            fields: response_fields,
        },
    };
    infer::mark_sensitive(&mut spec, read_only);
    match infer::paging(&spec) {
        infer::Paging::Unsupported(reason) => notes.warnings.push(format!(
            "{action}: looks paged but gets no paginator: {reason}"
        )),
        infer::Paging::Paged(pagination, unsure) => {
            if let Some(reason) = unsure {
                notes.warnings.push(format!(
                    "{action}: pagination inferred but unsure: {reason}"
                ));
            }
            spec.pagination = Some(pagination);
        }
        infer::Paging::None => {}
    }
    Ok(spec)
}

/// A wire name the generated code can carry ([`names::is_wire_name`]).
fn check_wire_name(name: &str, field_path: &str) -> Result<(), Refusal> {
    if names::is_wire_name(name) {
        Ok(())
    } else {
        Err(Refusal::field(
            field_path,
            format!("the wire name {name:?} is not ASCII letters, digits, `_` and `-`"),
        ))
    }
}

/// The metadata's parameter style.
fn param_style(style: &str) -> Option<ParamStyle> {
    Some(match style {
        "repeatList" => ParamStyle::RepeatList,
        "flat" => ParamStyle::Flat,
        "json" => ParamStyle::Json,
        "simple" => ParamStyle::Simple,
        "spaceDelimited" => ParamStyle::SpaceDelimited,
        "pipeDelimited" => ParamStyle::PipeDelimited,
        _ => return None,
    })
}

/// The type keys of `schema` (`type`, `items`, `fields`, `values`, `enum`, `example`,
/// `wrapper`, and the wanted `struct`/`enum_name`); `wire` is the field's wire name (for a
/// list item or map value, its list's or map's).
fn describe(
    schema: &Schema,
    wire: &str,
    request: bool,
    path: &str,
    notes: &mut Notes,
) -> Result<FieldSpec, Refusal> {
    let ty = schema
        .ty
        .as_deref()
        .unwrap_or(if schema.properties.is_empty() {
            "string"
        } else {
            "object"
        });
    let mut field = FieldSpec::default();
    match ty {
        "string"
            if infer::is_money(wire)
                && schema
                    .example
                    .as_ref()
                    .and_then(scalar_text)
                    .is_none_or(|example| infer::is_amount(&example)) =>
        {
            field.ty = TypeName::Decimal;
        }
        "string" => {
            field.ty = TypeName::String;
            field.enum_values = enum_values(schema, true);
            if field.enum_values.is_some() {
                field.enum_name = Some(
                    schema
                        .component
                        .clone()
                        .unwrap_or_else(|| wire.to_upper_camel_case()),
                );
            }
        }
        "integer" => {
            field.ty = match schema.format.as_deref() {
                Some("int32") => TypeName::Int32,
                _ => TypeName::Int64,
            };
            field.enum_values = enum_values(schema, false);
        }
        "number" if infer::is_money(wire) => field.ty = TypeName::Decimal,
        "number" => field.ty = TypeName::Number,
        "boolean" => field.ty = TypeName::Bool,
        "array" => {
            field.ty = TypeName::List;
            let items = schema.items.as_deref().cloned().unwrap_or_default();
            let mut item = describe(&items, wire, request, &format!("{path}[]"), notes)?;
            if item.ty == TypeName::Object && items.component.is_none() {
                item.struct_name = Some(item_struct_name(wire));
            }
            field.items = Some(Box::new(item));
        }
        "object" if !schema.properties.is_empty() => {
            // `{"OrderList": {"Order": [...]}}`: the XML-derived wrapper of a list.
            if let (false, Some((inner, list))) = (request, single(&schema.properties)) {
                if list.ty.as_deref() == Some("array") {
                    field.ty = TypeName::List;
                    field.wrapper = Some(inner.clone());
                    let items = list.items.as_deref().cloned().unwrap_or_default();
                    let mut item = describe(&items, wire, request, &format!("{path}[]"), notes)?;
                    if item.ty == TypeName::Object && items.component.is_none() {
                        // The wrapper key is the metadata's own name for one item.
                        item.struct_name = Some(inner.to_upper_camel_case());
                    }
                    field.items = Some(Box::new(item));
                    field.example = example(schema);
                    return Ok(field);
                }
            }
            field.ty = TypeName::Object;
            field.struct_name = Some(
                schema
                    .component
                    .clone()
                    .unwrap_or_else(|| wire.to_upper_camel_case()),
            );
            let required = schema.required_names();
            let mut fields = Vec::new();
            for (name, property) in &schema.properties {
                let nested_path = format!("{path}.{name}");
                check_wire_name(name, &nested_path)?;
                let mut nested = describe(property, name, request, &nested_path, notes)?;
                nested.name = Some(name.clone());
                nested.required = request && (property.is_required() || required.contains(name));
                fields.push(nested);
            }
            field.fields = Some(fields);
        }
        "object" => match schema.map_values() {
            Some(values) if values.ty.as_deref() != Some("any") || request => {
                field.ty = TypeName::Map;
                let mut value = describe(&values, wire, request, &format!("{path}{{}}"), notes)?;
                if value.ty == TypeName::Object && values.component.is_none() {
                    value.struct_name = Some(item_struct_name(wire));
                }
                field.values = Some(Box::new(value));
            }
            _ => field.ty = TypeName::Any,
        },
        "any" => field.ty = TypeName::Any,
        other => {
            notes
                .warnings
                .push(format!("{path}: unknown type {other:?}; imported as any"));
            field.ty = TypeName::Any;
        }
    }
    field.example = example(schema);
    Ok(field)
}

/// The only property of an object, if it has exactly one.
fn single(properties: &std::collections::BTreeMap<String, Schema>) -> Option<(&String, &Schema)> {
    let mut iter = properties.iter();
    let first = iter.next()?;
    iter.next().is_none().then_some(first)
}

/// The struct name of the items of list (or values of map) `wire`: its singular
/// ([`names::singular`]).
fn item_struct_name(wire: &str) -> String {
    names::singular(&wire.to_upper_camel_case())
}

fn example(schema: &Schema) -> Option<Scalar> {
    schema
        .example
        .as_ref()
        .and_then(scalar_text)
        .filter(|example| !example.trim().is_empty())
        .map(Scalar::String)
}

/// The valid values of a field. Text fields get an enum; numbers keep their values as
/// documentation.
fn enum_values(schema: &Schema, is_text: bool) -> Option<Vec<EnumValueSpec>> {
    let values = schema.enum_values.as_ref()?;
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
            return None;
        }
        let mut entry = EnumValueSpec {
            value: value.clone(),
            rust_name: None,
            description: None,
        };
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
                    entry.rust_name = Some(fallback);
                }
            }
        }
        list.push(entry);
    }
    (!list.is_empty()).then_some(list)
}

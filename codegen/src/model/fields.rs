//! Every field: its Rust name and type, whether it is held as an `Option`, how a response
//! reads it, its doc line, its enum, and which request shapes the wire carries.

use super::operation::OpContext;
use super::*;

/// Whether a response struct can derive `Default`: every required field's type has one.
pub(super) fn derives_default(fields: &[FieldModel]) -> bool {
    fields.iter().all(|field| {
        !field.required
            || matches!(
                field.ty,
                RustType::String
                    | RustType::I32
                    | RustType::I64
                    | RustType::Bool
                    | RustType::F64
                    | RustType::Decimal
                    | RustType::Any
                    | RustType::List(_)
                    | RustType::Map(_)
            )
    })
}

pub(super) fn clean(text: &str) -> String {
    text.trim().to_owned()
}

pub(super) fn build_fields(
    cx: &mut OpContext<'_>,
    specs: &[FieldSpec],
    path: &str,
    side: Side,
    body: RequestBody,
) -> Vec<FieldModel> {
    let mut fields = Vec::new();
    let mut wires = BTreeSet::new();
    let mut idents = BTreeSet::new();
    for field in specs {
        let Some(wire) = field.name.clone() else {
            cx.error(path, None, "a field has no name");
            continue;
        };
        let field_path = format!("{path}.{wire}");
        let needle = format!("name: {wire}");
        if !names::is_wire_name(&wire) {
            cx.error(
                &field_path,
                Some(&needle),
                "a wire name is ASCII letters, digits, `_` and `-` only, and not empty",
            );
            continue;
        }
        if !wires.insert(wire.clone()) {
            cx.error(
                &field_path,
                Some(&needle),
                format!("duplicate field name {wire}"),
            );
            continue;
        }
        if let Some(rust_name) = &field.rust_name {
            if !names::is_snake_name(rust_name) {
                cx.error(
                    &field_path,
                    Some(&needle),
                    format!("rust_name {rust_name:?} is not a snake_case name"),
                );
            }
        }
        let ident = names::field_ident(&wire, field.rust_name.as_deref(), side == Side::Request);
        if ident.text.is_empty() {
            cx.error(
                &field_path,
                Some(&needle),
                format!("{wire:?} gives no Rust name; set rust_name"),
            );
            continue;
        }
        if !idents.insert(ident.text.clone()) {
            cx.error(
                &field_path,
                Some(&needle),
                format!(
                    "two fields map to the Rust name {}; set rust_name",
                    ident.text
                ),
            );
            continue;
        }
        let location = match (side, field.location) {
            (Side::Response, Some(_)) => {
                cx.error(
                    &field_path,
                    Some(&needle),
                    "`in` is for request parameters only",
                );
                Location::Query
            }
            (Side::Request, Some(Location::Body)) if body == RequestBody::None => {
                cx.error(
                    &field_path,
                    Some(&needle),
                    "`in: body` needs request_body form or json",
                );
                Location::Body
            }
            (_, location) => location.unwrap_or(Location::Query),
        };
        let example = crate::shape::example_text(field.example.as_ref());
        if field.ty == TypeName::String
            && crate::import::infer::looks_like_key_material(&wire, &example)
            && !cx.known_not_secret(&field_path)
        {
            match (field.sensitive, &field.not_secret) {
                (false, None) => cx.error(
                    &field_path,
                    Some(&needle),
                    format!(
                        "{wire} looks like key material: mark it `sensitive: true`, or say why \
                         it is not a secret with `not_secret: <reason>`"
                    ),
                ),
                (true, Some(_)) => cx.error(
                    &field_path,
                    Some(&needle),
                    "a field is either `sensitive` or `not_secret`, not both",
                ),
                _ => {}
            }
        }
        if side == Side::Response && field.style.is_some() {
            cx.error(
                &field_path,
                Some(&needle),
                "style is for request parameters only",
            );
        }
        let outer_json = cx.in_json;
        cx.in_json = outer_json || field.style == Some(ParamStyle::Json);
        let ty = build_type(cx, field, &wire, &field_path, side);
        cx.in_json = outer_json;
        let Some(ty) = ty else {
            continue;
        };
        if side == Side::Request && !outer_json {
            check_request_type(
                cx,
                &ty,
                &field_path,
                field.style.unwrap_or(ParamStyle::RepeatList),
            );
        }
        let collection = matches!(ty, RustType::List(_) | RustType::Map(_));
        let nested = path != "request" && path != "response";
        let optional = !collection && (!field.required || (side == Side::Request && nested));
        let reader = match (&ty, side, field.required) {
            (_, Side::Request, _) => Reader::Plain,
            (RustType::List(inner), ..) if matches!(**inner, RustType::Struct(_)) => {
                Reader::ObjectList
            }
            (RustType::List(_), ..) => Reader::List,
            (RustType::Map(_), ..) => Reader::Map,
            (RustType::Decimal, _, true) => Reader::DecimalRequired,
            (RustType::Decimal, _, false) => Reader::Decimal,
            (RustType::String, _, true) => Reader::TextRequired,
            (RustType::String, _, false) => Reader::Text,
            (ty, _, true) if ty.is_lenient_scalar() => Reader::LenientRequired,
            (ty, _, false) if ty.is_lenient_scalar() => Reader::Lenient,
            (RustType::Struct(_), _, false) => Reader::Object,
            (RustType::Enum(_), _, false) => Reader::Enum,
            _ => Reader::Plain,
        };
        fields.push(FieldModel {
            docs: field_docs(field),
            wire,
            ident,
            ty,
            required: field.required,
            sensitive: field.sensitive,
            location,
            style: field.style.unwrap_or(ParamStyle::RepeatList),
            optional,
            reader,
            example: crate::shape::example_text(field.example.as_ref()),
        });
    }
    fields
}

/// The one request shape the wire cannot carry: a delimited style (`simple`,
/// `spaceDelimited`, `pipeDelimited`) joins scalars, so it takes a list of scalars (or a
/// scalar, which it leaves as it is). Every other shape flattens ([`ParamStyle::RepeatList`],
/// `flat`) or travels as one JSON string (`json`).
fn check_request_type(cx: &mut OpContext<'_>, ty: &RustType, path: &str, style: ParamStyle) {
    let delimited = matches!(
        style,
        ParamStyle::Simple | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited
    );
    let scalar = |ty: &RustType| {
        !matches!(
            ty,
            RustType::List(_) | RustType::Map(_) | RustType::Struct(_) | RustType::Any
        )
    };
    let joinable = match ty {
        RustType::List(inner) => scalar(inner),
        other => scalar(other),
    };
    if delimited && !joinable {
        cx.error(
            path,
            None,
            format!(
                "style {} joins scalars into one parameter: it takes a list of scalars",
                style_name(style)
            ),
        );
    }
}

/// The spec's spelling of a style.
pub fn style_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::RepeatList => "repeatList",
        ParamStyle::Flat => "flat",
        ParamStyle::Json => "json",
        ParamStyle::Simple => "simple",
        ParamStyle::SpaceDelimited => "spaceDelimited",
        ParamStyle::PipeDelimited => "pipeDelimited",
    }
}

fn field_docs(field: &FieldSpec) -> String {
    let mut docs = field.description.as_deref().map(clean).unwrap_or_default();
    // Fact-only docs (imported fields) read as one line: "`Name`, required. Example: `x`."
    if docs.is_empty() {
        // Imported fields have no prose: state the facts instead.
        if let Some(wire) = &field.name {
            let required = if field.required { ", required" } else { "" };
            docs = format!("`{wire}`{required}.");
        }
    }
    let hint = match field.ty {
        TypeName::Date => Some("A calendar date, `YYYY-MM-DD`."),
        TypeName::Datetime => Some("An ISO 8601 UTC time, `YYYY-MM-DDTHH:MM:SSZ`."),
        TypeName::Decimal => Some("An exact decimal, with the digits the service sent."),
        TypeName::EpochMillis => Some("Milliseconds since the Unix epoch."),
        TypeName::EpochSeconds => Some("Seconds since the Unix epoch."),
        TypeName::Any => Some("Any JSON value."),
        _ => None,
    };
    let example = Some(crate::shape::example_text(field.example.as_ref()))
        .filter(|example| !example.is_empty());
    let mut extra = Vec::new();
    if let Some(hint) = hint {
        extra.push(hint.to_owned());
    }
    if let Some(values) = field
        .enum_values
        .as_ref()
        .filter(|_| field.ty != TypeName::String)
    {
        let values: Vec<String> = values.iter().map(|v| format!("`{}`", v.value)).collect();
        extra.push(format!("Valid values: {}.", values.join(", ")));
    }
    if let Some(example) = example.filter(|e| !e.is_empty() && !field.sensitive) {
        // One line: examples of PEM blocks or JSON would otherwise break the doc text.
        let example = example.split_whitespace().collect::<Vec<_>>().join(" ");
        extra.push(format!("Example: `{}`.", example.replace('`', "'")));
    }
    if !extra.is_empty() {
        // The facts close the field's doc text, on its last line.
        if !docs.is_empty() {
            docs.push(' ');
        }
        docs.push_str(&extra.join(" "));
    }
    docs
}

fn build_type(
    cx: &mut OpContext<'_>,
    field: &FieldSpec,
    wire: &str,
    path: &str,
    side: Side,
) -> Option<RustType> {
    let needle = format!("name: {wire}");
    let misplaced = |cx: &mut OpContext<'_>, key: &str, present: bool| {
        if present {
            cx.error(
                path,
                Some(&needle),
                format!("`{key}` does not apply to type {:?}", field.ty),
            );
        }
    };
    misplaced(
        cx,
        "items",
        field.items.is_some() && field.ty != TypeName::List,
    );
    misplaced(
        cx,
        "wrapper",
        field.wrapper.is_some() && field.ty != TypeName::List,
    );
    misplaced(
        cx,
        "fields",
        field.fields.is_some() && field.ty != TypeName::Object,
    );
    misplaced(
        cx,
        "struct",
        field.struct_name.is_some() && field.ty != TypeName::Object,
    );
    misplaced(
        cx,
        "values",
        field.values.is_some() && field.ty != TypeName::Map,
    );
    let is_enum = field.enum_values.is_some();
    // Numbers may list their valid values too; they stay numbers and the values are
    // documented.
    misplaced(
        cx,
        "enum",
        is_enum
            && !matches!(
                field.ty,
                TypeName::String | TypeName::Int32 | TypeName::Int64
            ),
    );
    if matches!(field.ty, TypeName::Int32 | TypeName::Int64) {
        let values = field.enum_values.as_deref().unwrap_or_default();
        if let Some(bad) = values.iter().find(|v| v.value.parse::<i64>().is_err()) {
            cx.error(
                path,
                Some(&needle),
                format!(
                    "`enum` values of an integer must be integers, not {:?}",
                    bad.value
                ),
            );
        }
    }
    misplaced(
        cx,
        "enum_name",
        field.enum_name.is_some() && field.ty != TypeName::String,
    );

    Some(match field.ty {
        TypeName::String if is_enum => {
            let values = field.enum_values.as_deref().unwrap_or_default();
            let name = type_name_of(cx, field.enum_name.as_deref(), wire, path)?;
            build_enum(cx, &name, values, wire, path)?;
            RustType::Enum(name)
        }
        TypeName::String | TypeName::Date | TypeName::Datetime => RustType::String,
        TypeName::Decimal => RustType::Decimal,
        TypeName::Int32 => RustType::I32,
        TypeName::Int64 => RustType::I64,
        TypeName::Bool => RustType::Bool,
        TypeName::Number => RustType::F64,
        TypeName::Any => RustType::Any,
        TypeName::EpochMillis => RustType::EpochMillis,
        TypeName::EpochSeconds => RustType::EpochSeconds,
        TypeName::List => {
            let Some(items) = &field.items else {
                cx.error(path, Some(&needle), "a list needs `items`");
                return None;
            };
            if items.name.is_some() {
                cx.error(
                    &format!("{path}[]"),
                    Some(&needle),
                    "list items have no `name`",
                );
            }
            let inner = build_type(cx, items, wire, &format!("{path}[]"), side)?;
            RustType::List(Box::new(inner))
        }
        TypeName::Map => {
            let Some(values) = &field.values else {
                cx.error(path, Some(&needle), "a map needs `values`");
                return None;
            };
            let inner = build_type(cx, values, wire, &format!("{path}{{}}"), side)?;
            RustType::Map(Box::new(inner))
        }
        TypeName::Object => {
            let Some(specs) = &field.fields else {
                cx.error(path, Some(&needle), "an object needs `fields`");
                return None;
            };
            let name = type_name_of(cx, field.struct_name.as_deref(), wire, path)?;
            // A second object of the same name is the same type when its shape agrees.
            let again = cx.structs.iter().any(|s| s.name == name);
            if !again && !cx.claim_type(&name, path) {
                return None;
            }
            let body = cx.loaded.spec.request_body;
            let fields = build_fields(cx, specs, path, side, body);
            let docs = match &field.description {
                Some(description) if field.name.is_some() || path.ends_with("[]") => {
                    clean(description)
                }
                _ if path.ends_with("[]") => format!("One item of `{wire}`."),
                _ => format!("The `{wire}` object."),
            };
            let model = StructModel {
                name: name.clone(),
                docs,
                derive_default: derives_default(&fields),
                side,
                fields,
                serialize: false,
            };
            if again {
                let first = cx.structs.iter().find(|s| s.name == name)?;
                if !same_shape(first, &model) {
                    cx.error(
                        path,
                        Some(&needle),
                        format!(
                            "type {name} is defined twice with different fields; set `struct` \
                             on one of them"
                        ),
                    );
                    return None;
                }
            } else {
                cx.structs.push(model);
            }
            RustType::Struct(name)
        }
    })
}

/// The Rust name of the struct or enum of field `wire`: the spec's name or the one derived
/// from the wire name, escaped ([`names::type_ident`]).
fn type_name_of(
    cx: &mut OpContext<'_>,
    spec_name: Option<&str>,
    wire: &str,
    path: &str,
) -> Option<String> {
    let name = spec_name.map_or_else(|| names::type_name(wire), str::to_owned);
    if name.is_empty() {
        let needle = format!("name: {wire}");
        cx.error(
            path,
            Some(&needle),
            format!("{wire:?} gives no Rust type name; name it with `struct` or `enum_name`"),
        );
        return None;
    }
    Some(names::type_ident(&name))
}

/// Whether two structs of one operation hold the same fields: same wire and Rust names,
/// types (nested types named alike are one type), flags and location. Docs do not count.
fn same_shape(a: &StructModel, b: &StructModel) -> bool {
    a.side == b.side
        && a.fields.len() == b.fields.len()
        && a.fields.iter().zip(&b.fields).all(|(x, y)| {
            x.wire == y.wire
                && x.ident == y.ident
                && x.ty == y.ty
                && x.required == y.required
                && x.sensitive == y.sensitive
                && x.location == y.location
                && x.style == y.style
                && x.optional == y.optional
        })
}

fn build_enum(
    cx: &mut OpContext<'_>,
    name: &str,
    values: &[EnumValueSpec],
    wire: &str,
    path: &str,
) -> Option<()> {
    let needle = format!("name: {wire}");
    if values.is_empty() {
        cx.error(path, Some(&needle), "an enum needs at least one value");
        return None;
    }
    let mut variants = Vec::new();
    let mut seen_values = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for value in values {
        if let Some(rust_name) = &value.rust_name {
            if !names::is_type_name(rust_name) {
                cx.error(
                    path,
                    Some(&needle),
                    format!("enum rust_name {rust_name:?} is not a PascalCase name"),
                );
                return None;
            }
        }
        let variant = value
            .rust_name
            .clone()
            .or_else(|| names::variant_name(&value.value));
        let Some(variant) = variant else {
            cx.error(
                path,
                Some(&needle),
                format!("enum value {:?} gives no Rust variant name", value.value),
            );
            return None;
        };
        if !seen_values.insert(value.value.clone()) {
            cx.error(
                path,
                Some(&needle),
                format!("duplicate enum value {:?}", value.value),
            );
            return None;
        }
        if !seen_names.insert(variant.clone()) {
            cx.error(
                path,
                Some(&needle),
                format!("enum values map to the same variant {variant}"),
            );
            return None;
        }
        variants.push(VariantModel {
            name: variant,
            value: value.value.clone(),
            docs: value.description.as_deref().map(clean),
        });
    }
    let model = EnumModel {
        name: name.to_owned(),
        docs: format!("Values of `{wire}` in {}.", cx.loaded.spec.action),
        variants,
    };
    // The same enum may serve several fields of one operation when its values agree.
    if let Some(existing) = cx.enums.iter().find(|e| e.name == name) {
        if existing.variants == model.variants {
            return Some(());
        }
        cx.error(
            path,
            Some(&needle),
            format!("enum {name} is defined twice with different values; set enum_name"),
        );
        return None;
    }
    if !cx.claim_type(name, path) {
        return None;
    }
    cx.enums.push(model);
    Some(())
}

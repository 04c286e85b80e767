//! The names of an imported spec's types (`struct`, `enum_name`), settled once and then
//! kept: a type the spec on disk already has keeps its name, whatever the metadata or the
//! other operations do; a new type gets the first free name of a fixed list.
//!
//! The rule for a new struct or text enum whose wanted name is `N` (a `$ref` component's
//! own name, else the field's wire name in PascalCase, the singular for list items, and
//! `<Operation>Data` for a response's `Data`): the first of
//!
//! 1. `N`;
//! 2. `N` prefixed by the name of each enclosing struct, nearest first (`OrderStatus`),
//!    skipping a struct whose name already ends with `N` (no `ItemItem`);
//! 3. `N` prefixed by `Request` or `Response`, the side it is on (`ResponseTag`: the same
//!    in every operation, so it can be shared);
//! 4. `N` prefixed by the operation's type prefix (`ListOrdersStatus`), unless that ends
//!    with `N`;
//!
//! that is free in the operation's module, or that names a type of the same shape there (two
//! fields of the same shape and name are one type). Names are compared as generated, after
//! [`names::type_ident`]; the operation's own generated names (`<Op>Request`, …) are taken.
//! When none is free the operation is refused. The name is written to the spec only when
//! it differs from the one the generator derives from the wire name.
//!
//! Fields get the same care: a new field whose Rust name (the snake_case of its wire name)
//! is empty or already taken by a field beside it (`RegionId` and `regionId`) gets a
//! `rust_name`: `field` for an empty one, then `_2`, `_3`, … until it is free.

use std::collections::BTreeMap;

use super::convert::Refusal;
use crate::names;
use crate::spec::{FieldSpec, OperationSpec, TypeName};

/// A struct or enum of a spec: where it is and what it wants to be called.
struct Slot {
    /// `request.Tag[]`, `response.Data.Status`.
    path: String,
    /// The paths of the enclosing structs' slots, nearest first.
    parents: Vec<String>,
    /// The name recorded in the spec, if any.
    recorded: Option<String>,
    /// What the generator derives without a recorded name.
    default: String,
    /// The shape, for telling one type from another of the same name.
    key: String,
}

/// Settles the names of `spec`'s new types; `existing` is the spec on disk, whose types
/// keep their names.
pub fn settle(spec: &mut OperationSpec, existing: Option<&OperationSpec>) -> Result<(), Refusal> {
    let prefix =
        names::type_name(&names::method_ident(&spec.action, spec.rust_name.as_deref()).text);
    let mut slots = Vec::new();
    collect(&spec.request, "request", &[], &mut slots);
    collect(&spec.response.fields, "response", &[], &mut slots);
    let mut old = Vec::new();
    if let Some(existing) = existing {
        collect(&existing.request, "request", &[], &mut old);
        collect(&existing.response.fields, "response", &[], &mut old);
    }
    let kept = |slot: &Slot| {
        old.iter()
            .any(|o| o.path == slot.path && same_kind(o, slot))
    };

    // Generated name → the shape it names ("" for the operation's own generated types).
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for suffix in [
        "Request",
        "RequestBuilder",
        "FluentBuilder",
        "Paginator",
        "Waiter",
    ] {
        taken.insert(format!("{prefix}{suffix}"), String::new());
    }
    let response = spec
        .response
        .name
        .clone()
        .unwrap_or_else(|| format!("{prefix}Response"));
    taken.insert(names::type_ident(&response), String::new());
    // The name of every slot by path (as written, before escaping): the kept ones now,
    // the new ones as they are chosen.
    let mut by_path: BTreeMap<String, String> = BTreeMap::new();
    for slot in slots.iter().filter(|s| kept(s)) {
        let name = slot
            .recorded
            .clone()
            .unwrap_or_else(|| slot.default.clone());
        taken
            .entry(names::type_ident(&name))
            .or_insert_with(|| slot.key.clone());
        by_path.insert(slot.path.clone(), name);
    }
    // New types, parents before children, in spec order.
    let mut chosen: BTreeMap<String, String> = BTreeMap::new();
    for slot in slots.iter().filter(|s| !kept(s)) {
        let wanted = slot
            .recorded
            .clone()
            .unwrap_or_else(|| slot.default.clone());
        let parents: Vec<String> = slot
            .parents
            .iter()
            .filter_map(|path| by_path.get(path).cloned())
            .collect();
        let mut candidates = vec![wanted.clone()];
        for parent in &parents {
            if !parent.ends_with(&wanted) {
                candidates.push(format!("{parent}{wanted}"));
            }
        }
        let side = if slot.path.starts_with("request") {
            "Request"
        } else {
            "Response"
        };
        candidates.push(format!("{side}{wanted}"));
        if !prefix.ends_with(&wanted) {
            candidates.push(format!("{prefix}{wanted}"));
        }
        let name = candidates.into_iter().find(|candidate| {
            if !names::is_type_name(candidate) {
                return false;
            }
            match taken.get(&names::type_ident(candidate)) {
                None => true,
                Some(key) => *key == slot.key,
            }
        });
        let Some(name) = name else {
            return Err(Refusal {
                skipped: false,
                field: Some(slot.path.clone()),
                reason: format!(
                    "no free type name for {wanted} (tried it, prefixed by its enclosing \
                     structs, by {side} and by {prefix}); name it with `struct` or `enum_name`"
                ),
            });
        };
        taken.insert(names::type_ident(&name), slot.key.clone());
        by_path.insert(slot.path.clone(), name.clone());
        chosen.insert(slot.path.clone(), name);
    }
    // Record each new name where it differs from the derived one.
    let recorded: BTreeMap<String, Option<String>> = slots
        .iter()
        .filter_map(|slot| {
            let name = chosen.get(&slot.path)?;
            Some((
                slot.path.clone(),
                (*name != slot.default).then(|| name.clone()),
            ))
        })
        .collect();
    apply(&mut spec.request, "request", &recorded);
    apply(&mut spec.response.fields, "response", &recorded);
    let old_request = existing.map(|e| e.request.as_slice());
    let old_response = existing.map(|e| e.response.fields.as_slice());
    name_fields(&mut spec.request, old_request, true);
    name_fields(&mut spec.response.fields, old_response, false);
    Ok(())
}

/// Gives the new fields of `fields` (and of the objects inside them) a Rust name of their
/// own where the derived one is empty or taken; `existing` are the same fields on disk.
fn name_fields(fields: &mut [FieldSpec], existing: Option<&[FieldSpec]>, request: bool) {
    let old =
        |field: &FieldSpec| existing.and_then(|old| old.iter().find(|o| o.name == field.name));
    let ident = |field: &FieldSpec| {
        let wire = field.name.as_deref().unwrap_or_default();
        names::field_ident(wire, field.rust_name.as_deref(), request).text
    };
    let mut taken: Vec<String> = fields
        .iter()
        .filter(|f| old(f).is_some())
        .map(ident)
        .collect();
    for field in fields.iter_mut() {
        if old(field).is_none() {
            let derived = ident(field);
            if derived.is_empty() || taken.contains(&derived) {
                let base = if derived.is_empty() {
                    "field".to_owned()
                } else {
                    derived
                };
                let name = std::iter::once(base.clone())
                    .chain((2..).map(|n| format!("{base}_{n}")))
                    .find(|candidate| {
                        let ident = names::field_ident("", Some(candidate), request).text;
                        !taken.contains(&ident)
                    })
                    .unwrap_or(base);
                field.rust_name = Some(name);
            }
            taken.push(ident(field));
        }
        let old_fields = old(field).map(inner_fields);
        for inner in object_fields(field) {
            name_fields(inner, old_fields.flatten(), request);
        }
    }
}

/// The fields of the object a field holds (itself, or its list items or map values).
fn object_fields(field: &mut FieldSpec) -> Vec<&mut Vec<FieldSpec>> {
    let mut out = Vec::new();
    if let Some(fields) = &mut field.fields {
        out.push(fields);
    }
    for inner in [&mut field.items, &mut field.values].into_iter().flatten() {
        out.extend(object_fields(inner));
    }
    out
}

fn inner_fields(field: &FieldSpec) -> Option<&[FieldSpec]> {
    if let Some(fields) = &field.fields {
        return Some(fields);
    }
    [&field.items, &field.values]
        .into_iter()
        .flatten()
        .find_map(|inner| inner_fields(inner))
}

fn same_kind(a: &Slot, b: &Slot) -> bool {
    a.key.starts_with("enum") == b.key.starts_with("enum")
}

/// The slots of `fields` at `path`, parents first; `parents` are the paths of the
/// enclosing structs, nearest first.
fn collect(fields: &[FieldSpec], path: &str, parents: &[String], out: &mut Vec<Slot>) {
    for field in fields {
        let Some(wire) = field.name.as_deref() else {
            continue;
        };
        visit(field, wire, &format!("{path}.{wire}"), parents, out);
    }
}

/// `field` at `path`; `wire` is the wire name its default type name comes from.
fn visit(field: &FieldSpec, wire: &str, path: &str, parents: &[String], out: &mut Vec<Slot>) {
    match field.ty {
        TypeName::String if field.enum_values.is_some() => out.push(Slot {
            path: path.to_owned(),
            parents: parents.to_vec(),
            recorded: field.enum_name.clone(),
            default: names::type_name(wire),
            key: format!("enum{:?}", field.enum_values),
        }),
        TypeName::Object => {
            out.push(Slot {
                path: path.to_owned(),
                parents: parents.to_vec(),
                recorded: field.struct_name.clone(),
                default: names::type_name(wire),
                // A request object and a response object are never one type.
                key: format!("{}:{}", side(path), shape(field)),
            });
            let mut inner = vec![path.to_owned()];
            inner.extend(parents.iter().cloned());
            if let Some(fields) = &field.fields {
                collect(fields, path, &inner, out);
            }
        }
        TypeName::List => {
            if let Some(items) = &field.items {
                visit(items, wire, &format!("{path}[]"), parents, out);
            }
        }
        TypeName::Map => {
            if let Some(values) = &field.values {
                visit(values, wire, &format!("{path}{{}}"), parents, out);
            }
        }
        _ => {}
    }
}

fn side(path: &str) -> &str {
    path.split('.').next().unwrap_or_default()
}

/// The shape of an object: its facts, the Rust names of its fields and its secrets (what
/// makes two generated structs differ), without words.
fn shape(field: &FieldSpec) -> String {
    fn strip(field: &FieldSpec) -> FieldSpec {
        FieldSpec {
            name: field.name.clone(),
            rust_name: field.rust_name.clone(),
            location: field.location,
            ty: field.ty,
            wrapper: field.wrapper.clone(),
            items: field.items.as_deref().map(strip).map(Box::new),
            fields: field.fields.as_ref().map(|f| f.iter().map(strip).collect()),
            values: field.values.as_deref().map(strip).map(Box::new),
            enum_values: field.enum_values.clone(),
            style: field.style,
            required: field.required,
            sensitive: field.sensitive,
            ..FieldSpec::default()
        }
    }
    serde_json::to_string(&strip(field).fields).unwrap_or_default()
}

/// Writes the settled names into the spec (`recorded`: path → name to record, or none).
fn apply(fields: &mut [FieldSpec], path: &str, recorded: &BTreeMap<String, Option<String>>) {
    for field in fields {
        let Some(wire) = field.name.clone() else {
            continue;
        };
        apply_field(field, &format!("{path}.{wire}"), recorded);
    }
}

fn apply_field(field: &mut FieldSpec, path: &str, recorded: &BTreeMap<String, Option<String>>) {
    if let Some(name) = recorded.get(path) {
        match field.ty {
            TypeName::Object => field.struct_name = name.clone(),
            _ => field.enum_name = name.clone(),
        }
    }
    if let Some(fields) = &mut field.fields {
        apply(fields, path, recorded);
    }
    if let Some(items) = &mut field.items {
        apply_field(items, &format!("{path}[]"), recorded);
    }
    if let Some(values) = &mut field.values {
        apply_field(values, &format!("{path}{{}}"), recorded);
    }
}

//! Merging a freshly imported spec into the one on disk, so no hand edit is ever lost.
//!
//! A spec's keys are of two kinds. **Facts** come from the metadata: types, locations,
//! required flags, styles, examples, enum values, methods, body, read-only, auth, rate
//! limits, and which fields exist. **Words** are ours: summaries, descriptions, notes,
//! Rust names, struct and enum names, `sensitive`/`not_secret`, pagination, waiters and
//! errors.
//!
//! - A new operation is written as imported, with `import_digest`: the fingerprint of
//!   its facts.
//! - An imported spec whose facts still match its digest has not been edited by hand:
//!   its facts are replaced by the metadata's and its words are kept.
//! - An imported spec whose facts no longer match was edited by hand: nothing in it
//!   changes; fields the metadata adds are added, and every disagreement is reported.
//! - A curated spec (`origin: curated`, the hand-written ones) is treated the same way,
//!   and each field it gains says so in a `note`.
//!
//! The merge works on typed specs ([`OperationSpec`]); the words of a type's name
//! (`struct`, `enum_name`) are the spec's even when it has none, so a re-import never
//! renames a public type.

use serde_yaml::Value;
use sha2::{Digest, Sha256};

use crate::spec::{EnumValueSpec, FieldSpec, Location, OperationSpec, Origin, TypeName};

/// Keys that hold our words, at any depth. Everything else is a fact.
const WORD_KEYS: &[&str] = &[
    "origin",
    "import_digest",
    "summary",
    "description",
    "rust_name",
    "ram_action",
    "errors",
    "waiters",
    "pagination",
    "note",
    "enum_name",
    "struct",
    "sensitive",
    "not_secret",
];

/// The note on a field the importer adds to a spec it does not own.
pub const ADDED_NOTE: &str =
    "Added by `cargo xtask import` from the API metadata; not in the hand-written spec.";

/// How the merge went for one operation.
#[derive(Debug, PartialEq, Eq)]
pub enum Mode {
    /// No spec existed.
    New,
    /// An imported spec nobody edited: facts refreshed.
    Refreshed,
    /// A hand-edited or curated spec: kept, missing fields added.
    Kept,
}

/// Merges `fresh` (from the metadata) into `existing` (from disk), reporting into
/// `warnings`.
pub fn merge(
    action: &str,
    fresh: OperationSpec,
    existing: Option<OperationSpec>,
    warnings: &mut Vec<String>,
) -> (OperationSpec, Mode) {
    let Some(existing) = existing else {
        return (with_digest(fresh), Mode::New);
    };
    let imported = existing.origin == Origin::Imported;
    if imported && existing.import_digest.as_deref() == Some(digest(&existing).as_str()) {
        let mut merged = fresh;
        overlay_words(&mut merged, &existing);
        return (with_digest(merged), Mode::Refreshed);
    }
    let mut kept = existing;
    let why = if imported { "hand-edited" } else { "curated" };
    compare_operation(action, &kept, &fresh, why, warnings);
    add_missing(
        action,
        "request",
        &mut kept.request,
        &fresh.request,
        !imported,
        why,
        warnings,
    );
    add_missing(
        action,
        "response",
        &mut kept.response.fields,
        &fresh.response.fields,
        !imported,
        why,
        warnings,
    );
    (kept, Mode::Kept)
}

/// The fingerprint of a spec's facts: independent of key order and of every word.
pub fn digest(spec: &OperationSpec) -> String {
    let value = serde_yaml::to_value(spec).unwrap_or_default();
    let facts = serde_json::to_value(facts(&value)).unwrap_or_default();
    let hash = Sha256::digest(facts.to_string().as_bytes());
    hex::encode(&hash[..8])
}

fn facts(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(k, _)| !k.as_str().is_some_and(|k| WORD_KEYS.contains(&k)))
                .map(|(k, v)| (k.clone(), facts(v)))
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(facts).collect()),
        other => other.clone(),
    }
}

fn with_digest(mut spec: OperationSpec) -> OperationSpec {
    spec.import_digest = Some(digest(&spec));
    spec
}

/// Copies every word of `existing` onto `fresh`: a word the spec on disk has wins, one it
/// lacks comes from the metadata's side (a summary, an inferred secret); the names of types
/// (`struct`, `enum_name`) are the spec's, present or not, so an import never renames.
fn overlay_words(fresh: &mut OperationSpec, existing: &OperationSpec) {
    fresh.origin = existing.origin;
    fresh.summary.clone_from(&existing.summary);
    keep(&mut fresh.rust_name, &existing.rust_name);
    keep(&mut fresh.description, &existing.description);
    keep(&mut fresh.ram_action, &existing.ram_action);
    keep(&mut fresh.pagination, &existing.pagination);
    if !existing.errors.is_empty() {
        fresh.errors.clone_from(&existing.errors);
    }
    if !existing.waiters.is_empty() {
        fresh.waiters.clone_from(&existing.waiters);
    }
    fresh.response.name.clone_from(&existing.response.name);
    overlay_fields(&mut fresh.request, &existing.request);
    overlay_fields(&mut fresh.response.fields, &existing.response.fields);
}

fn keep<T: Clone>(fresh: &mut Option<T>, existing: &Option<T>) {
    if existing.is_some() {
        fresh.clone_from(existing);
    }
}

fn overlay_fields(fresh: &mut [FieldSpec], existing: &[FieldSpec]) {
    for field in fresh {
        if let Some(old) = existing.iter().find(|old| old.name == field.name) {
            overlay_field(field, old);
        }
    }
}

fn overlay_field(fresh: &mut FieldSpec, existing: &FieldSpec) {
    keep(&mut fresh.rust_name, &existing.rust_name);
    keep(&mut fresh.description, &existing.description);
    keep(&mut fresh.note, &existing.note);
    // The secret decision is one word: the spec's, when it made one.
    if existing.sensitive || existing.not_secret.is_some() {
        fresh.sensitive = existing.sensitive;
        fresh.not_secret.clone_from(&existing.not_secret);
    }
    // A type keeps the name it has (none recorded is the derived name).
    if fresh.ty == existing.ty {
        match fresh.ty {
            TypeName::Object => fresh.struct_name.clone_from(&existing.struct_name),
            TypeName::String if existing.enum_values.is_some() => {
                fresh.enum_name.clone_from(&existing.enum_name);
            }
            _ => {}
        }
    }
    if let (Some(values), Some(old)) = (&mut fresh.enum_values, &existing.enum_values) {
        for value in values {
            if let Some(old) = old.iter().find(|o| o.value == value.value) {
                overlay_value(value, old);
            }
        }
    }
    if let (Some(fields), Some(old)) = (&mut fresh.fields, &existing.fields) {
        overlay_fields(fields, old);
    }
    if let (Some(items), Some(old)) = (&mut fresh.items, &existing.items) {
        overlay_field(items, old);
    }
    if let (Some(values), Some(old)) = (&mut fresh.values, &existing.values) {
        overlay_field(values, old);
    }
}

fn overlay_value(fresh: &mut EnumValueSpec, existing: &EnumValueSpec) {
    keep(&mut fresh.rust_name, &existing.rust_name);
    keep(&mut fresh.description, &existing.description);
}

fn compare_operation(
    action: &str,
    ours: &OperationSpec,
    theirs: &OperationSpec,
    why: &str,
    warnings: &mut Vec<String>,
) {
    let pairs = [
        ("method", show(&ours.method), show(&theirs.method)),
        ("read_only", show(&ours.read_only), show(&theirs.read_only)),
        (
            "request_body",
            show(&ours.request_body),
            show(&theirs.request_body),
        ),
        ("auth", show(&ours.auth), show(&theirs.auth)),
    ];
    for (key, a, b) in pairs {
        if a != b {
            warnings.push(format!(
                "{action}.{key}: the metadata says {b}, the {why} spec says {a}; kept the spec"
            ));
        }
    }
}

/// A value as the spec writes it.
fn show<T: serde::Serialize>(value: &T) -> String {
    serde_yaml::to_string(value)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Adds the fields of `theirs` that `ours` lacks; reports facts that disagree.
fn add_missing(
    action: &str,
    path: &str,
    ours: &mut Vec<FieldSpec>,
    theirs: &[FieldSpec],
    curated: bool,
    why: &str,
    warnings: &mut Vec<String>,
) {
    for field in theirs {
        let Some(name) = field.name.as_deref() else {
            continue;
        };
        let here = format!("{path}.{name}");
        match ours.iter_mut().find(|f| f.name == field.name) {
            None => {
                let mut added = field.clone();
                if curated {
                    added.note = Some(ADDED_NOTE.to_owned());
                }
                warnings.push(format!("{action}: added {here} from the metadata"));
                ours.push(added);
            }
            Some(mine) => {
                compare_field(action, &here, mine, field, why, warnings);
                descend(action, &here, mine, field, curated, why, warnings);
            }
        }
    }
}

fn descend(
    action: &str,
    path: &str,
    ours: &mut FieldSpec,
    theirs: &FieldSpec,
    curated: bool,
    why: &str,
    warnings: &mut Vec<String>,
) {
    if let (Some(a), Some(b)) = (&mut ours.fields, &theirs.fields) {
        add_missing(action, path, a, b, curated, why, warnings);
    }
    for (a, b) in [
        (&mut ours.items, &theirs.items),
        (&mut ours.values, &theirs.values),
    ] {
        if let (Some(a), Some(b)) = (a, b) {
            let inner = format!("{path}[]");
            compare_field(action, &inner, a, b, why, warnings);
            descend(action, &inner, a, b, curated, why, warnings);
        }
    }
}

/// The type families a curated spec may refine without disagreeing: a text field may be
/// a date, a decimal or an enum; an integer may be an epoch time; `any` may be anything.
fn compatible(ours: TypeName, theirs: TypeName) -> bool {
    let family = |ty: TypeName| match ty {
        TypeName::String | TypeName::Date | TypeName::Datetime | TypeName::Decimal => "text",
        TypeName::Int32 | TypeName::Int64 | TypeName::EpochMillis | TypeName::EpochSeconds => {
            "integer"
        }
        TypeName::Map | TypeName::Object => "object",
        TypeName::Number => "number",
        TypeName::Bool => "bool",
        TypeName::Any => "any",
        TypeName::List => "list",
    };
    theirs == TypeName::Any || family(ours) == family(theirs)
}

fn compare_field(
    action: &str,
    path: &str,
    ours: &FieldSpec,
    theirs: &FieldSpec,
    why: &str,
    warnings: &mut Vec<String>,
) {
    if !compatible(ours.ty, theirs.ty) {
        let (a, b) = (show(&ours.ty), show(&theirs.ty));
        warnings.push(format!(
            "{action}: {path} is {b} in the metadata but {a} in the {why} spec; kept {a}"
        ));
    }
    if ours.required != theirs.required && path.starts_with("request") {
        warnings.push(format!(
            "{action}: {path} is {} in the metadata but {} in the {why} spec; kept the spec",
            required_word(theirs.required),
            required_word(ours.required),
        ));
    }
    let location = |f: &FieldSpec| show(&f.location.unwrap_or(Location::Query));
    if path.starts_with("request") && !path.contains("[]") && location(ours) != location(theirs) {
        warnings.push(format!(
            "{action}: {path} travels in {} per the metadata but in {} per the {why} spec; kept the spec",
            location(theirs),
            location(ours)
        ));
    }
}

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> OperationSpec {
        serde_yaml::from_str(text).unwrap()
    }

    const FRESH: &str = "origin: imported\naction: A\nsummary: Reads it.\nmethod: POST\npath: /\nrequest_body: none\nread_only: true\nrequest:\n  - {name: Id, type: int64, required: true}\nresponse:\n  fields:\n    - {name: RequestId, type: string}\n";

    #[test]
    fn digests_ignore_words_and_key_order() {
        let a = digest(&spec(FRESH));
        let reordered = spec(
            "summary: Other words.\naction: A\norigin: imported\nmethod: POST\npath: /\nrequest_body: none\nread_only: true\nrequest:\n  - {type: int64, name: Id, required: true, note: mine}\nresponse:\n  fields:\n    - {name: RequestId, type: string}\n",
        );
        assert_eq!(a, digest(&reordered));
        let changed = spec(&FRESH.replace("int64", "int32"));
        assert_ne!(a, digest(&changed));
    }

    #[test]
    fn an_unedited_import_takes_new_facts_and_keeps_words() {
        let mut warnings = Vec::new();
        let (first, mode) = merge("A", spec(FRESH), None, &mut warnings);
        assert_eq!(mode, Mode::New);
        let mut edited = first.clone();
        edited.summary = "Our better summary.".into();
        let newer = spec(&FRESH.replace("required: true", "required: false"));
        let (merged, mode) = merge("A", newer, Some(edited), &mut warnings);
        assert_eq!(mode, Mode::Refreshed);
        assert_eq!(merged.summary, "Our better summary.");
        assert!(!merged.request[0].required);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_hand_edited_fact_survives_and_is_reported() {
        let mut warnings = Vec::new();
        let (first, _) = merge("A", spec(FRESH), None, &mut warnings);
        let mut edited = first.clone();
        edited.request[0].ty = TypeName::EpochMillis;
        let newer = spec(&FRESH.replace("required: true", "required: false"));
        let (merged, mode) = merge("A", newer, Some(edited.clone()), &mut warnings);
        assert_eq!(mode, Mode::Kept);
        assert_eq!(merged, edited, "nothing of a hand-edited spec changes");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("request.Id is optional in the metadata")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_curated_spec_gains_missing_fields_with_a_note() {
        let curated = spec(
            "action: A\nsummary: Mine.\nmethod: POST\npath: /\nrequest_body: none\nread_only: true\nrequest: []\nresponse:\n  fields:\n    - {name: RequestId, type: string, description: Ours.}\n",
        );
        let mut warnings = Vec::new();
        let (merged, mode) = merge("A", spec(FRESH), Some(curated), &mut warnings);
        assert_eq!(mode, Mode::Kept);
        assert_eq!(merged.request[0].note.as_deref(), Some(ADDED_NOTE));
        assert_eq!(
            merged.response.fields[0].description.as_deref(),
            Some("Ours.")
        );
        assert_eq!(merged.origin, Origin::Curated);
    }

    #[test]
    fn an_import_never_renames_a_type() {
        let text = "origin: imported\naction: A\nsummary: S.\nmethod: POST\npath: /\nrequest_body: none\nread_only: true\nrequest: []\nresponse:\n  fields:\n    - {name: Data, type: object, fields: [{name: X, type: string}]}\n";
        let mut warnings = Vec::new();
        let (first, _) = merge("A", spec(text), None, &mut warnings);
        let mut fresh = spec(text);
        fresh.response.fields[0].struct_name = Some("AData".into());
        let (merged, mode) = merge("A", fresh, Some(first), &mut warnings);
        assert_eq!(mode, Mode::Refreshed);
        assert_eq!(merged.response.fields[0].struct_name, None);
    }
}

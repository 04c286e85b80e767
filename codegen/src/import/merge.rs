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

use serde_yaml::{Mapping, Value};
use sha2::{Digest, Sha256};

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
    fresh: Mapping,
    existing: Option<Mapping>,
    warnings: &mut Vec<String>,
) -> (Mapping, Mode) {
    let Some(existing) = existing else {
        return (with_digest(fresh), Mode::New);
    };
    let imported = existing.get("origin").and_then(Value::as_str) == Some("imported");
    let stored = existing.get("import_digest").and_then(Value::as_str);
    if imported && stored == Some(digest(&Value::Mapping(existing.clone())).as_str()) {
        let merged = overlay_words(Value::Mapping(fresh), &Value::Mapping(existing));
        let Value::Mapping(merged) = merged else {
            unreachable!("a mapping stays a mapping")
        };
        return (with_digest(merged), Mode::Refreshed);
    }
    let mut kept = Value::Mapping(existing);
    let why = if imported { "hand-edited" } else { "curated" };
    compare_operation(action, &kept, &Value::Mapping(fresh.clone()), why, warnings);
    for key in ["request", "response"] {
        let (Some(ours), Some(theirs)) = (kept.get_mut(key), fresh.get(key)) else {
            continue;
        };
        let (ours, theirs) = match key {
            "request" => (Some(ours), Some(theirs)),
            _ => (ours.get_mut("fields"), theirs.get("fields")),
        };
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            add_missing(action, key, ours, theirs, !imported, why, warnings);
        }
    }
    let Value::Mapping(kept) = kept else {
        unreachable!("a mapping stays a mapping")
    };
    (kept, Mode::Kept)
}

/// The fingerprint of a spec's facts: independent of key order and of every word.
pub fn digest(spec: &Value) -> String {
    let facts = serde_json::to_value(facts(spec)).unwrap_or_default();
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

fn with_digest(spec: Mapping) -> Mapping {
    let digest = digest(&Value::Mapping(spec.clone()));
    let mut out = Mapping::new();
    for (key, value) in spec {
        let is_origin = key.as_str() == Some("origin");
        if key.as_str() == Some("import_digest") {
            continue;
        }
        out.insert(key, value);
        if is_origin {
            out.insert("import_digest".into(), digest.clone().into());
        }
    }
    out
}

/// `fresh` with every word of `existing` kept, in `existing`'s key order.
fn overlay_words(fresh: Value, existing: &Value) -> Value {
    match (fresh, existing) {
        (Value::Mapping(fresh), Value::Mapping(existing)) => {
            // Keys in the order the file has them; a new key goes after the key that
            // comes before it in the fresh spec.
            let mut entries: Vec<(Value, Value)> = Vec::new();
            for (key, old) in existing {
                let is_word = key.as_str().is_some_and(|k| WORD_KEYS.contains(&k));
                if is_word {
                    entries.push((key.clone(), old.clone()));
                } else if let Some(new) = fresh.get(key) {
                    entries.push((key.clone(), overlay_words(new.clone(), old)));
                }
            }
            let mut previous: Option<Value> = None;
            for (key, new) in fresh {
                if !entries.iter().any(|(k, _)| *k == key) {
                    let at = previous
                        .as_ref()
                        .and_then(|p| entries.iter().position(|(k, _)| k == p))
                        .map_or(0, |i| i + 1);
                    entries.insert(at, (key.clone(), new));
                }
                previous = Some(key);
            }
            Value::Mapping(entries.into_iter().collect())
        }
        (Value::Sequence(fresh), Value::Sequence(existing)) => Value::Sequence(
            fresh
                .into_iter()
                .map(
                    |item| match existing.iter().find(|old| same_entry(old, &item)) {
                        Some(old) => overlay_words(item, old),
                        None => item,
                    },
                )
                .collect(),
        ),
        (fresh, _) => fresh,
    }
}

/// Fields match by `name`, enum values by `value`.
fn same_entry(a: &Value, b: &Value) -> bool {
    for key in ["name", "value"] {
        if let (Some(x), Some(y)) = (a.get(key), b.get(key)) {
            return x == y;
        }
    }
    false
}

fn compare_operation(
    action: &str,
    ours: &Value,
    theirs: &Value,
    why: &str,
    warnings: &mut Vec<String>,
) {
    for key in ["method", "read_only", "request_body", "auth"] {
        let default = match key {
            "auth" => Some(Value::from("ak")),
            _ => None,
        };
        let a = ours.get(key).cloned().or_else(|| default.clone());
        let b = theirs.get(key).cloned().or(default);
        if a != b {
            warnings.push(format!(
                "{action}.{key}: the metadata says {}, the {why} spec says {}; kept the spec",
                show(b.as_ref()),
                show(a.as_ref())
            ));
        }
    }
}

fn show(value: Option<&Value>) -> String {
    match value {
        None => "nothing".to_owned(),
        Some(v) => serde_yaml::to_string(v)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// Adds the fields of `theirs` that `ours` lacks; reports facts that disagree.
#[allow(clippy::too_many_arguments)]
fn add_missing(
    action: &str,
    path: &str,
    ours: &mut Value,
    theirs: &Value,
    curated: bool,
    why: &str,
    warnings: &mut Vec<String>,
) {
    let (Value::Sequence(ours), Value::Sequence(theirs)) = (ours, theirs) else {
        return;
    };
    for field in theirs {
        let Some(name) = field.get("name").and_then(Value::as_str) else {
            continue;
        };
        let here = format!("{path}.{name}");
        match ours.iter_mut().find(|f| same_entry(f, field)) {
            None => {
                let mut added = field.clone();
                if curated {
                    if let Value::Mapping(map) = &mut added {
                        map.insert("note".into(), ADDED_NOTE.into());
                    }
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
    ours: &mut Value,
    theirs: &Value,
    curated: bool,
    why: &str,
    warnings: &mut Vec<String>,
) {
    if let (Some(a), Some(b)) = (ours.get_mut("fields"), theirs.get("fields")) {
        add_missing(action, path, a, b, curated, why, warnings);
    }
    for key in ["items", "values"] {
        if let (Some(a), Some(b)) = (ours.get_mut(key), theirs.get(key)) {
            compare_field(action, &format!("{path}[]"), a, b, why, warnings);
            descend(action, &format!("{path}[]"), a, b, curated, why, warnings);
        }
    }
}

/// The type families a curated spec may refine without disagreeing: a text field may be
/// a date, a decimal or an enum; an integer may be an epoch time; `any` may be anything.
fn compatible(ours: &str, theirs: &str) -> bool {
    let family = |ty: &str| {
        match ty {
            "string" | "date" | "datetime" | "decimal" => "text",
            "int32" | "int64" | "epoch_millis" | "epoch_seconds" => "integer",
            other => match other {
                "map" | "object" => "object",
                _ => other,
            },
        }
        .to_owned()
    };
    theirs == "any" || family(ours) == family(theirs)
}

fn compare_field(
    action: &str,
    path: &str,
    ours: &Value,
    theirs: &Value,
    why: &str,
    warnings: &mut Vec<String>,
) {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    if let (Some(a), Some(b)) = (text(ours, "type"), text(theirs, "type")) {
        if !compatible(&a, &b) {
            warnings.push(format!(
                "{action}: {path} is {b} in the metadata but {a} in the {why} spec; kept {a}"
            ));
        }
    }
    let flag = |v: &Value| v.get("required").and_then(Value::as_bool).unwrap_or(false);
    if flag(ours) != flag(theirs) && path.starts_with("request") {
        warnings.push(format!(
            "{action}: {path} is {} in the metadata but {} in the {why} spec; kept the spec",
            required_word(flag(theirs)),
            required_word(flag(ours)),
        ));
    }
    let location = |v: &Value| text(v, "in").unwrap_or_else(|| "query".to_owned());
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

    fn yaml(text: &str) -> Mapping {
        serde_yaml::from_str(text).unwrap()
    }

    const FRESH: &str = "origin: imported\naction: A\nsummary: Reads it.\nread_only: true\nrequest:\n  - {name: Id, type: int64, required: true}\nresponse:\n  fields:\n    - {name: RequestId, type: string}\n";

    #[test]
    fn digests_ignore_words_and_key_order() {
        let a = digest(&Value::Mapping(yaml(FRESH)));
        let reordered = yaml(
            "summary: Other words.\naction: A\norigin: imported\nread_only: true\nrequest:\n  - {type: int64, name: Id, required: true, note: mine}\nresponse:\n  fields:\n    - {name: RequestId, type: string}\n",
        );
        assert_eq!(a, digest(&Value::Mapping(reordered)));
        let changed = yaml(&FRESH.replace("int64", "int32"));
        assert_ne!(a, digest(&Value::Mapping(changed)));
    }

    #[test]
    fn an_unedited_import_takes_new_facts_and_keeps_words() {
        let mut warnings = Vec::new();
        let (first, mode) = merge("A", yaml(FRESH), None, &mut warnings);
        assert_eq!(mode, Mode::New);
        let mut edited = first.clone();
        edited.insert("summary".into(), "Our better summary.".into());
        let newer = yaml(&FRESH.replace("required: true", "required: false"));
        let (merged, mode) = merge("A", newer, Some(edited), &mut warnings);
        assert_eq!(mode, Mode::Refreshed);
        assert_eq!(
            merged.get("summary").and_then(Value::as_str),
            Some("Our better summary.")
        );
        let id = &merged.get("request").unwrap()[0];
        assert_eq!(id.get("required").and_then(Value::as_bool), Some(false));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_hand_edited_fact_survives_and_is_reported() {
        let mut warnings = Vec::new();
        let (first, _) = merge("A", yaml(FRESH), None, &mut warnings);
        let text = serde_yaml::to_string(&first)
            .unwrap()
            .replace("int64", "epoch_millis");
        let edited: Mapping = serde_yaml::from_str(&text).unwrap();
        let newer = yaml(&FRESH.replace("required: true", "required: false"));
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
        let curated = yaml(
            "action: A\nsummary: Mine.\nread_only: true\nrequest: []\nresponse:\n  fields:\n    - {name: RequestId, type: string, description: Ours.}\n",
        );
        let mut warnings = Vec::new();
        let (merged, mode) = merge("A", yaml(FRESH), Some(curated), &mut warnings);
        assert_eq!(mode, Mode::Kept);
        let id = &merged.get("request").unwrap()[0];
        assert_eq!(id.get("note").and_then(Value::as_str), Some(ADDED_NOTE));
        let request_id = &merged.get("response").unwrap().get("fields").unwrap()[0];
        assert_eq!(
            request_id.get("description").and_then(Value::as_str),
            Some("Ours.")
        );
        assert!(merged.get("origin").is_none());
    }
}

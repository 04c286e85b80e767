//! Writes spec YAML the way a person would: block style, two-space indents, small leaf
//! maps in flow style (`{type: string}`), long text folded. Every document is parsed back
//! and compared, so the text always means exactly the value it was written from.

use serde_yaml::{Mapping, Value};

/// Longest line before text is folded or a flow map is broken into a block.
const WIDTH: usize = 92;

/// The YAML text of `value`, after `header` (comment lines kept from a hand-written file).
pub fn to_yaml(value: &Value, header: &str) -> String {
    let mut out = String::from(header);
    let mut body = String::new();
    write_block(value, 0, &mut body);
    let round_trip: Option<Value> = serde_yaml::from_str(&body).ok();
    if round_trip.as_ref() == Some(value) {
        out.push_str(&body);
    } else {
        // A scalar this writer cannot express exactly: serde_yaml's own text is exact.
        out.push_str(&serde_yaml::to_string(value).unwrap_or_default());
    }
    out
}

/// The YAML text of a typed spec, after `header`. Keys come in the order of `layout` (the
/// file on disk, as read) where it has them, so a person's ordering survives a re-import;
/// a key it lacks goes after the key that precedes it in the spec's own order.
pub fn spec_text<T: serde::Serialize>(spec: &T, layout: Option<&Value>, header: &str) -> String {
    let value = serde_yaml::to_value(spec).unwrap_or_default();
    let value = match layout {
        Some(layout) => order_like(value, layout),
        None => value,
    };
    to_yaml(&value, header)
}

/// `value` with its keys in `layout`'s order where `layout` has them.
fn order_like(value: Value, layout: &Value) -> Value {
    match (value, layout) {
        (Value::Mapping(map), Value::Mapping(layout)) => {
            let mut entries: Vec<(Value, Value)> = Vec::new();
            for key in layout.keys() {
                if let Some(new) = map.get(key) {
                    let new = match layout.get(key) {
                        Some(old) => order_like(new.clone(), old),
                        None => new.clone(),
                    };
                    entries.push((key.clone(), new));
                }
            }
            let mut previous: Option<Value> = None;
            for (key, new) in map {
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
        (Value::Sequence(items), Value::Sequence(layout)) => Value::Sequence(
            items
                .into_iter()
                .map(
                    |item| match layout.iter().find(|old| same_entry(old, &item)) {
                        Some(old) => order_like(item, old),
                        None => item,
                    },
                )
                .collect(),
        ),
        (value, _) => value,
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

fn write_block(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Mapping(map) => write_mapping(map, indent, out),
        Value::Sequence(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                match item {
                    Value::Mapping(map) if !map.is_empty() => {
                        if let Some(flow) = flow_mapping(map, indent + 2) {
                            out.push_str(&flow);
                            out.push('\n');
                        } else {
                            let mut nested = String::new();
                            write_mapping(map, indent + 2, &mut nested);
                            // The first key goes on the dash line.
                            out.push_str(nested.trim_start());
                        }
                    }
                    other => {
                        out.push_str(&scalar(other, indent + 2));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&scalar(other, indent));
            out.push('\n');
        }
    }
}

fn write_mapping(map: &Mapping, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        let key = plain_key(key);
        match value {
            Value::Mapping(inner) if inner.is_empty() => {
                out.push_str(&format!("{pad}{key}: {{}}\n"));
            }
            Value::Sequence(items) if items.is_empty() => {
                out.push_str(&format!("{pad}{key}: []\n"));
            }
            Value::Mapping(inner) => match flow_mapping(inner, indent + key.len() + 2) {
                Some(flow) => out.push_str(&format!("{pad}{key}: {flow}\n")),
                None => {
                    out.push_str(&format!("{pad}{key}:\n"));
                    write_mapping(inner, indent + 2, out);
                }
            },
            Value::Sequence(_) => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_block(value, indent + 2, out);
            }
            scalar_value => {
                let text = scalar(scalar_value, indent + 2);
                let inline = format!("{pad}{key}: {text}");
                if !text.contains('\n') && inline.len() > WIDTH {
                    if let Some(folded) = fold(scalar_value, indent + 2) {
                        out.push_str(&format!("{pad}{key}: {folded}\n"));
                        continue;
                    }
                }
                out.push_str(&inline);
                out.push('\n');
            }
        }
    }
}

fn plain_key(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => scalar(other, 0),
    }
}

/// `{a: b, c: d}` when every value is a scalar and the line stays short.
fn flow_mapping(map: &Mapping, column: usize) -> Option<String> {
    let mut parts = Vec::new();
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        if matches!(value, Value::Mapping(_) | Value::Sequence(_)) {
            return None;
        }
        parts.push(format!("{}: {}", plain_key(key), flow_scalar(value)?));
    }
    let text = format!("{{{}}}", parts.join(", "));
    (column + text.len() <= WIDTH).then_some(text)
}

/// A scalar safe inside a flow mapping.
fn flow_scalar(value: &Value) -> Option<String> {
    let text = scalar(value, 0);
    if text.contains('\n') {
        return None;
    }
    let plain_unsafe = text.contains([',', '[', ']', '{', '}', '#']);
    if let (Value::String(s), true) = (value, plain_unsafe) {
        return serde_json::to_string(s).ok();
    }
    Some(text)
}

/// A scalar in block context: serde_yaml decides quoting; text with line breaks is written
/// as a JSON-style double-quoted string, which YAML reads exactly.
fn scalar(value: &Value, _indent: usize) -> String {
    match value {
        Value::String(s) if s.contains('\n') || s.contains('\t') => {
            serde_json::to_string(s).unwrap_or_default()
        }
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    }
}

/// Long plain text as a folded block (`>-`), when folding reads back the same text.
fn fold(value: &Value, indent: usize) -> Option<String> {
    let Value::String(text) = value else {
        return None;
    };
    if text.starts_with(' ') || text.ends_with(' ') || text.contains("  ") {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > WIDTH {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    let block = format!(">-\n{pad}{}", lines.join(&format!("\n{pad}")));
    let check: Value = serde_yaml::from_str(&format!("k: {block}\n")).ok()?;
    (check.get("k") == Some(value)).then_some(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        let value: Value = serde_yaml::from_str(text).unwrap();
        let written = to_yaml(&value, "");
        let back: Value = serde_yaml::from_str(&written).unwrap();
        assert_eq!(back, value, "{written}");
    }

    #[test]
    fn writes_block_and_flow_styles_that_read_back_exactly() {
        round_trip(
            "action: A\nread_only: false\nrequest:\n  - name: X\n    type: list\n    items: {type: string}\n",
        );
        round_trip("example: \"a, {b}\"\nother: \"2020-04-07\"\nflag: \"true\"\n");
        round_trip("text: \"line one\\nline two\"\n");
        let long = "word ".repeat(40);
        round_trip(&format!("summary: {}\n", long.trim()));
    }

    #[test]
    fn small_leaf_maps_stay_on_one_line() {
        let value: Value =
            serde_yaml::from_str("items: {type: string, example: x}\nenum:\n  - {value: A}\n")
                .unwrap();
        let written = to_yaml(&value, "# kept\n");
        assert_eq!(
            written,
            "# kept\nitems: {type: string, example: x}\nenum:\n  - {value: A}\n"
        );
    }
}

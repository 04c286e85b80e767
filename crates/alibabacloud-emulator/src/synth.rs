//! Answers an operation from its catalog response shape: every field with its documented
//! type, where the schema puts it.
//!
//! Values come, in order, from the request (a response field named like a request
//! parameter echoes it, so IDs agree), from the spec's example (a time-like example is
//! rewritten to the emulator's clock, an enum example outside its values is replaced by
//! the first value), or from the field's name and type. Lists of a paged operation hold
//! the requested page of [`SYNTHETIC_TOTAL`] rows; other lists hold one row. Rows of a list
//! get distinct IDs.
//!
//! [`conforms`] checks a body against a shape, for the catalog-driven tests.

use alibabacloud_core::catalog::{FieldShape, OperationInfo, ShapeKind};
use serde_json::{Map, Value, json};

use crate::answer::Body;
use crate::clock;
use crate::request::Params;

/// How many rows a paged operation without stored data has in all.
pub(crate) const SYNTHETIC_TOTAL: i64 = 3;

/// The token of the second (last) page of a token-paged operation without stored data.
const SECOND_PAGE_TOKEN: &str = "page-2";

/// A body for `op` made from its response shape, for a request with `params` at emulator
/// time `now_ms`.
pub(crate) fn answer(op: &OperationInfo, params: &Params, now_ms: i64) -> Body {
    let synth = Synth::new(op, params, now_ms);
    let mut body = Body::new();
    for field in op.response {
        if field.name == "RequestId" {
            continue;
        }
        let value = match (field.name, field.kind) {
            // A success answer says so, whatever the documented example shows.
            ("Success", ShapeKind::Bool) => json!(true),
            ("Code", ShapeKind::Text) if !is_success_code(field.example) => json!("Success"),
            _ => synth.value(field, field.name, 0),
        };
        body.insert(field.name.to_owned(), value);
    }
    body
}

/// The codes a successful answer may carry in `Code`.
fn is_success_code(code: &str) -> bool {
    ["200", "success", "ok"]
        .iter()
        .any(|ok| code.eq_ignore_ascii_case(ok))
}

/// What one answer is made from.
struct Synth<'a> {
    params: &'a Params,
    now_ms: i64,
    op: &'a OperationInfo,
    /// Rows on the requested page of a paged operation.
    page_rows: usize,
    /// The total to report.
    total: i64,
    /// The next page's token (token paging), empty on the last page.
    next_token: &'static str,
}

impl<'a> Synth<'a> {
    fn new(op: &'a OperationInfo, params: &'a Params, now_ms: i64) -> Self {
        let (mut page_rows, mut next_token) = (1, "");
        if let Some(paging) = &op.pagination {
            let size = paging
                .page_size
                .map(|name| params.int(name, 10))
                .unwrap_or(10)
                .max(1);
            if paging.token {
                // Two pages: the first without a token, the second with it.
                let first = params.non_empty(paging.cursor).is_none();
                let rows = if first {
                    size.min(SYNTHETIC_TOTAL)
                } else {
                    (SYNTHETIC_TOTAL - size).clamp(0, size)
                };
                page_rows = usize::try_from(rows).unwrap_or(0);
                if first && size < SYNTHETIC_TOTAL {
                    next_token = SECOND_PAGE_TOKEN;
                }
            } else {
                let skip = if paging.offset {
                    params.int(paging.cursor, 0)
                } else {
                    (params.int(paging.cursor, 1).max(1) - 1).saturating_mul(size)
                };
                let rows = (SYNTHETIC_TOTAL - skip.max(0)).clamp(0, size);
                page_rows = usize::try_from(rows).unwrap_or(0);
            }
        }
        Self {
            params,
            now_ms,
            op,
            page_rows,
            total: SYNTHETIC_TOTAL,
            next_token,
        }
    }

    /// The value of `field`, at dotted `path`, in row `row` of its nearest list.
    fn value(&self, field: &FieldShape, path: &str, row: usize) -> Value {
        if let Some(paging) = &self.op.pagination {
            if path == paging.total {
                return if paging.token {
                    json!(self.next_token)
                } else {
                    json!(self.total)
                };
            }
        }
        if let Some(echo) = self.echo(field) {
            return echo;
        }
        match field.kind {
            ShapeKind::Object(fields) => {
                let mut object = Map::new();
                for inner in fields {
                    let inner_path = format!("{path}.{}", inner.name);
                    object.insert(inner.name.to_owned(), self.value(inner, &inner_path, row));
                }
                Value::Object(object)
            }
            ShapeKind::List { wrapper, item } => {
                let paged = self
                    .op
                    .pagination
                    .as_ref()
                    .is_some_and(|paging| paging.items == path);
                let rows = if paged { self.page_rows } else { 1 };
                let items: Vec<Value> = (0..rows)
                    .map(|row| self.value(item, &format!("{path}[]"), row))
                    .collect();
                match wrapper {
                    Some(key) => json!({ key: items }),
                    None => Value::Array(items),
                }
            }
            ShapeKind::Map(value) => {
                json!({ "key": self.value(value, &format!("{path}{{}}"), row) })
            }
            _ => scalar(field, self.now_ms, row),
        }
    }

    /// A scalar response field named like a request parameter takes its value.
    fn echo(&self, field: &FieldShape) -> Option<Value> {
        if field.name.is_empty() || is_compound(&field.kind) {
            return None;
        }
        let sent = self.params.non_empty(field.name)?;
        Some(match field.kind {
            ShapeKind::Int32
            | ShapeKind::Int64
            | ShapeKind::EpochMillis
            | ShapeKind::EpochSeconds => {
                json!(sent.trim().parse::<i64>().ok()?)
            }
            ShapeKind::Number => json!(sent.trim().parse::<f64>().ok()?),
            ShapeKind::Bool => json!(sent.trim().parse::<bool>().ok()?),
            ShapeKind::Enum(values) if !values.contains(&sent) => return None,
            ShapeKind::Any => return None,
            _ => json!(sent),
        })
    }
}

fn is_compound(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Object(_) | ShapeKind::List { .. } | ShapeKind::Map(_)
    )
}

/// A scalar value for `field` in row `row`, at emulator time `now_ms`.
fn scalar(field: &FieldShape, now_ms: i64, row: usize) -> Value {
    let example = field.example.trim();
    let name = field.name;
    let timed = looks_like_time(name);
    match field.kind {
        ShapeKind::Enum(values) => {
            let pick = if values.contains(&example) {
                example
            } else {
                values.first().copied().unwrap_or(example)
            };
            json!(pick)
        }
        ShapeKind::Date => json!(clock::date(now_ms)),
        ShapeKind::Datetime => json!(clock::iso(now_ms)),
        ShapeKind::Decimal => match example.parse::<f64>() {
            Ok(_) => json!(example),
            Err(_) => json!("0.00"),
        },
        ShapeKind::EpochMillis => json!(now_ms),
        ShapeKind::EpochSeconds => json!(now_ms / 1000),
        ShapeKind::Int32 | ShapeKind::Int64 => {
            if timed && example.len() == 13 && example.parse::<i64>().is_ok() {
                return json!(now_ms);
            }
            if timed && example.len() == 10 && example.parse::<i64>().is_ok() {
                return json!(now_ms / 1000);
            }
            let base = example.parse::<i64>().unwrap_or(1);
            json!(if is_id(name) { base + row as i64 } else { base })
        }
        ShapeKind::Number => json!(example.parse::<f64>().unwrap_or(1.0)),
        ShapeKind::Bool => json!(example != "false"),
        ShapeKind::Any => match serde_json::from_str::<Value>(example) {
            Ok(value @ (Value::Object(_) | Value::Array(_))) => value,
            _ if !example.is_empty() => json!(example),
            _ => json!({}),
        },
        _ => json!(text(name, example, now_ms, row)),
    }
}

/// A text value: a time-like example follows the clock in the same layout, an ID gets a
/// per-row suffix, anything else keeps its example or a value made from its name.
fn text(name: &str, example: &str, now_ms: i64, row: usize) -> String {
    if let Some(now) = retime(example, now_ms) {
        return now;
    }
    if example.is_empty() {
        if looks_like_time(name) {
            return clock::iso(now_ms);
        }
        let base = if name.is_empty() { "item" } else { name };
        return format!("{}-{}", base.to_ascii_lowercase(), row + 1);
    }
    if is_id(name) && row > 0 {
        return format!("{example}-{}", row + 1);
    }
    example.to_owned()
}

/// `Id`, `InstanceId`, `JobID`, ...
fn is_id(name: &str) -> bool {
    name.ends_with("Id") || name.ends_with("ID")
}

fn looks_like_time(name: &str) -> bool {
    ["Time", "Date", "Timestamp"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// `now_ms` in the layout of `example` when it is a time: `2024-01-02`,
/// `2024-01-02 03:04:05`, `2024-01-02T03:04:05Z`, or epoch milliseconds / seconds.
fn retime(example: &str, now_ms: i64) -> Option<String> {
    let layout: String = example
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    let iso = clock::iso(now_ms);
    Some(match layout.as_str() {
        "dddd-dd-dd" => iso[..10].to_owned(),
        "dddd-dd-dd dd:dd:dd" => iso[..19].replace('T', " "),
        "dddd-dd-ddTdd:dd:ddZ" => iso,
        "dddd-dd-ddTdd:ddZ" => format!("{}Z", &iso[..16]),
        _ => return None,
    })
}

/// Drops from a handler's `body` every field the response schema of `op` does not have, at
/// every depth, as the service answers only its documented fields.
///
/// A value outside a documented enum is dropped too (a list keeps its documented items):
/// where the metadata documents an enum the service does not keep to (e.g. `SubjectDN` of
/// the private CA certificates, a distinguished name documented as the enum `CN`), a client
/// of the documented schema never sees a value it cannot read.
pub(crate) fn prune(op: &OperationInfo, body: &mut Body) {
    body.retain(
        |key, value| match op.response.iter().find(|f| f.name == key) {
            Some(field) => {
                prune_value(&field.kind, value);
                documented(&field.kind, value)
            }
            None => key == "RequestId",
        },
    );
}

fn prune_fields(fields: &[FieldShape], object: &mut Map<String, Value>) {
    object.retain(|key, value| match fields.iter().find(|f| f.name == key) {
        Some(field) => {
            prune_value(&field.kind, value);
            documented(&field.kind, value)
        }
        None => false,
    });
}

/// Whether a handler's `value` may stand where the schema documents `kind`: a value of an
/// enum outside its documented values may not (the field is dropped, as for an
/// undocumented field).
fn documented(kind: &ShapeKind, value: &Value) -> bool {
    match (kind, value) {
        (ShapeKind::Enum(values), Value::String(text)) => values.contains(&text.as_str()),
        _ => true,
    }
}

fn prune_value(kind: &ShapeKind, value: &mut Value) {
    match (kind, value) {
        (ShapeKind::Object(fields), Value::Object(object)) => prune_fields(fields, object),
        (ShapeKind::List { wrapper, item }, value) => {
            let items = match (wrapper, value) {
                (_, Value::Array(items)) => Some(items),
                (Some(key), Value::Object(object)) => match object.get_mut(*key) {
                    Some(Value::Array(items)) => Some(items),
                    _ => None,
                },
                _ => None,
            };
            if let Some(items) = items {
                items.retain(|v| documented(&item.kind, v));
                for item_value in items {
                    prune_value(&item.kind, item_value);
                }
            }
        }
        (ShapeKind::Map(inner), Value::Object(object)) => {
            for v in object.values_mut() {
                prune_value(&inner.kind, v);
            }
        }
        _ => {}
    }
}

/// Checks `body` against the fields of `op`'s response: every field that is present has
/// its documented type (numbers may come as text, as the service sends them), every
/// required field is present, and no object holds a field the schema does not have (but
/// `RequestId` at the top). The error names the first field that is wrong.
pub fn conforms(op: &OperationInfo, body: &Value) -> Result<(), String> {
    let Value::Object(object) = body else {
        return Err("the body is not a JSON object".to_owned());
    };
    for key in object.keys() {
        if key != "RequestId" && !op.response.iter().any(|f| f.name == key) {
            return Err(format!("{key}: not in the response schema"));
        }
    }
    for field in op.response {
        match object.get(field.name) {
            Some(value) => check(field, value, field.name)?,
            None if field.required && field.name != "RequestId" => {
                return Err(format!("{}: missing", field.name));
            }
            None => {}
        }
    }
    Ok(())
}

fn check(field: &FieldShape, value: &Value, path: &str) -> Result<(), String> {
    let wrong = |what: &str| Err(format!("{path}: expected {what}, found {value}"));
    match field.kind {
        ShapeKind::Text | ShapeKind::Date | ShapeKind::Datetime | ShapeKind::Decimal => {
            if value.is_string() || value.is_number() {
                Ok(())
            } else {
                wrong("text")
            }
        }
        ShapeKind::Enum(values) => match value.as_str() {
            Some(text) if values.contains(&text) => Ok(()),
            _ => wrong(&format!("one of {values:?}")),
        },
        ShapeKind::Int32 | ShapeKind::Int64 | ShapeKind::EpochMillis | ShapeKind::EpochSeconds => {
            let int = value.as_i64().is_some()
                || value
                    .as_str()
                    .is_some_and(|s| s.trim().parse::<i64>().is_ok());
            if int { Ok(()) } else { wrong("an integer") }
        }
        ShapeKind::Number => {
            let number = value.is_number()
                || value
                    .as_str()
                    .is_some_and(|s| s.trim().parse::<f64>().is_ok());
            if number { Ok(()) } else { wrong("a number") }
        }
        ShapeKind::Bool => {
            if value.is_boolean() || matches!(value.as_str(), Some("true" | "false")) {
                Ok(())
            } else {
                wrong("a boolean")
            }
        }
        ShapeKind::Any => Ok(()),
        ShapeKind::Object(fields) => {
            let Value::Object(object) = value else {
                return wrong("an object");
            };
            if let Some(unknown) = object.keys().find(|k| !fields.iter().any(|f| f.name == *k)) {
                return Err(format!("{path}.{unknown}: not in the response schema"));
            }
            for inner in fields {
                if let Some(v) = object.get(inner.name) {
                    check(inner, v, &format!("{path}.{}", inner.name))?;
                }
            }
            Ok(())
        }
        ShapeKind::List { wrapper, item } => {
            let items = match (wrapper, value) {
                (_, Value::Array(items)) => items,
                (Some(key), Value::Object(object)) => match object.get(key) {
                    Some(Value::Array(items)) => items,
                    _ => return wrong(&format!("an array under {key}")),
                },
                _ => return wrong("an array"),
            };
            for (i, v) in items.iter().enumerate() {
                check(item, v, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        ShapeKind::Map(inner) => {
            let Value::Object(object) = value else {
                return wrong("an object");
            };
            for (key, v) in object {
                check(inner, v, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synthesized_answer_has_every_field_with_its_type() {
        let params = Params::default();
        let now_ms = clock::parse_iso("2026-12-01T00:00:00Z").unwrap();
        for product in alibabacloud_catalog::PRODUCTS {
            for op in product.operations {
                let body = Value::Object(answer(op, &params, now_ms));
                conforms(op, &body).unwrap();
                for field in op.response {
                    assert!(
                        field.name == "RequestId" || body.get(field.name).is_some(),
                        "{} {}: {} missing",
                        product.code,
                        op.operation.action,
                        field.name
                    );
                }
            }
        }
    }

    #[test]
    fn time_examples_follow_the_clock() {
        let now = clock::parse_iso("2026-12-01T10:20:30Z").unwrap();
        assert_eq!(retime("2021-01-02", now).as_deref(), Some("2026-12-01"));
        assert_eq!(
            retime("2021-01-02 03:04:05", now).as_deref(),
            Some("2026-12-01 10:20:30")
        );
        assert_eq!(
            retime("2021-01-02T03:04:05Z", now).as_deref(),
            Some("2026-12-01T10:20:30Z")
        );
        assert_eq!(retime("cas-123", now), None);
        assert_eq!(text("CertId", "cert-1", now, 1), "cert-1-2");
        assert_eq!(text("Name", "", now, 0), "name-1");
    }
}

//! The one rule for a response that does not match its schema: a value that cannot be read
//! as its field's declared type leaves that field empty (`None`, or an empty list or map)
//! instead of failing the whole response, and the call logs a warning naming the
//! operation, the field's path, the RequestId and the value as received.
//!
//! The lenient readers of [`wire`](crate::wire) call `tolerate` on such a value. While
//! [`Handle::invoke`](crate::Handle::invoke) deserializes a response, a thread-local record
//! counts them (deserializing is synchronous, so the record belongs to that one response);
//! when there were any, the response is read again with the readers strict past the first
//! `k` mismatches, under `serde_path_to_error`, to learn the path of mismatch `k + 1`. This
//! costs nothing while types match: the record is touched only on a mismatch.

use std::cell::RefCell;

use serde::de::DeserializeOwned;

/// How many mismatches of one response are named in warnings (the rest are counted).
const NAMED: usize = 8;

/// The longest excerpt of a mismatched value kept in a warning.
const EXCERPT: usize = 120;

#[derive(Default)]
struct Record {
    /// Whether a response is being read under a record.
    active: bool,
    /// The values that were not of their field's type, as text, in document order.
    values: Vec<String>,
    /// In a strict pass: how many mismatches are still tolerated before one fails.
    strict_after: Option<usize>,
}

thread_local! {
    static RECORD: RefCell<Record> = RefCell::new(Record::default());
}

/// What a lenient reader does with a value it cannot read as `expected`: `Ok(())` to
/// leave the field empty, or, in a strict pass past its tolerated mismatches, the error
/// that makes `serde_path_to_error` report where it was.
pub(crate) fn tolerate<E: serde::de::Error>(
    value: impl FnOnce() -> String,
    expected: &str,
) -> Result<(), E> {
    RECORD.with(|record| {
        let mut record = record.borrow_mut();
        if let Some(left) = record.strict_after.as_mut() {
            if *left == 0 {
                return Err(E::custom(format_args!("expected {expected}")));
            }
            *left -= 1;
            return Ok(());
        }
        if record.active {
            record.values.push(excerpt(&value()));
        } else {
            tracing::warn!(
                expected,
                value = %excerpt(&value()),
                "a response value is not of its field's type; the field is left empty"
            );
        }
        Ok(())
    })
}

fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Deserializes a response `body` by the rule of this module; `Ok` even when some fields
/// were left empty, after logging one warning per field (operation, path, RequestId,
/// value). Fails only when the body is not JSON, or not an object.
pub(crate) fn read<T: DeserializeOwned>(
    body: &[u8],
    action: &str,
    request_id: Option<&str>,
) -> Result<T, serde_json::Error> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(serde::de::Error::custom(
            "the response is not a JSON object",
        ));
    }
    RECORD.with(|record| {
        *record.borrow_mut() = Record {
            active: true,
            ..Record::default()
        }
    });
    let result = serde_json::from_slice::<T>(body);
    let values = RECORD.with(|record| std::mem::take(&mut *record.borrow_mut()).values);
    if result.is_ok() && !values.is_empty() {
        warn(body, action, request_id, &values, |k| path_of::<T>(body, k));
    }
    result
}

/// The path of mismatch `k` (0-based), from a strict pass that tolerates the first `k`.
fn path_of<T: DeserializeOwned>(body: &[u8], k: usize) -> Option<String> {
    RECORD.with(|record| {
        *record.borrow_mut() = Record {
            strict_after: Some(k),
            ..Record::default()
        }
    });
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let outcome = serde_path_to_error::deserialize::<_, T>(&mut deserializer);
    RECORD.with(|record| *record.borrow_mut() = Record::default());
    outcome.err().map(|error| error.path().to_string())
}

fn warn(
    body: &[u8],
    action: &str,
    request_id: Option<&str>,
    values: &[String],
    path_of: impl Fn(usize) -> Option<String>,
) {
    let request_id = request_id
        .map(str::to_owned)
        .or_else(|| crate::transport::request_id_of(body))
        .unwrap_or_else(|| "(none)".to_owned());
    for (k, value) in values.iter().enumerate().take(NAMED) {
        let path = path_of(k).unwrap_or_else(|| "(unknown)".to_owned());
        tracing::warn!(
            operation = action,
            field = %path,
            request_id = %request_id,
            value = %value,
            "a response value is not of its field's type; the field is left empty"
        );
    }
    if values.len() > NAMED {
        tracing::warn!(
            operation = action,
            request_id = %request_id,
            more = values.len() - NAMED,
            "more response values are not of their fields' types"
        );
    }
}

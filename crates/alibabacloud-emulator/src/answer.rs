//! The pieces of a success answer: its body (without `RequestId`, which the gateway adds),
//! a page of a list, and a JSON object taken out of a value.

use serde_json::{Map, Value};

/// A success body, without `RequestId` (the gateway adds it).
pub(crate) type Body = Map<String, Value>;

/// The items of 1-based page `page` of `size` items (empty past the end).
pub(crate) fn page<T: Clone>(items: &[T], page: i64, size: i64) -> Vec<T> {
    let size = usize::try_from(size.max(1)).unwrap_or(usize::MAX);
    let skip = usize::try_from(page.max(1) - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(size);
    items.iter().skip(skip).take(size).cloned().collect()
}

/// Moves a JSON object out of a value (empty for anything else).
pub(crate) fn object(value: Value) -> Body {
    match value {
        Value::Object(map) => map,
        _ => Body::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let items: Vec<i32> = (1..=25).collect();
        assert_eq!(page(&items, 1, 10), (1..=10).collect::<Vec<_>>());
        assert_eq!(page(&items, 3, 10), vec![21, 22, 23, 24, 25]);
        assert!(page(&items, 4, 10).is_empty());
        assert_eq!(page(&items, 0, 0), vec![1]);
    }
}

//! Resource IDs: the range a stored ID must lie in, and the next free one.
//!
//! Every numeric ID of the data set lies in `1..=`[`MAX_ID`] (checked when a fixture or a
//! state file is read, see `DataSet::from_json_file`), the largest integer a JSON reader that
//! holds numbers as doubles still reads exactly. A new ID is one above the largest in use,
//! computed with checked arithmetic: when none is left, the write is refused instead of
//! wrapping around or panicking.

/// The largest ID the emulator stores or gives: 2^53 - 1.
pub const MAX_ID: i64 = (1 << 53) - 1;

/// One above the largest of `ids`, and at least `first`; `None` when that would pass
/// [`MAX_ID`].
pub(crate) fn next_id(ids: impl IntoIterator<Item = i64>, first: i64) -> Option<i64> {
    next_id_up_to(ids, first, MAX_ID)
}

/// One above the largest of `ids`, and at least `first`; `None` when that would pass
/// `max` (for IDs that are text on the wire, such as billing orders', up to `i64::MAX`).
pub(crate) fn next_id_up_to(
    ids: impl IntoIterator<Item = i64>,
    first: i64,
    max: i64,
) -> Option<i64> {
    let next = match ids.into_iter().max() {
        Some(largest) => largest.checked_add(1)?.max(first),
        None => first,
    };
    (next <= max).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_id_never_overflows() {
        assert_eq!(next_id([], 10), Some(10));
        assert_eq!(next_id([3, 7], 1), Some(8));
        assert_eq!(next_id([3, 7], 100), Some(100));
        assert_eq!(next_id([MAX_ID - 1], 1), Some(MAX_ID));
        assert_eq!(next_id([MAX_ID], 1), None);
        assert_eq!(next_id([i64::MAX], 1), None);
        assert_eq!(next_id_up_to([MAX_ID], 1, i64::MAX), Some(MAX_ID + 1));
        assert_eq!(next_id_up_to([i64::MAX], 1, i64::MAX), None);
    }
}

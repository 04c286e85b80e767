//! Time helpers: the wire formats (`YYYY-MM-DDTHH:MM:SSZ`, `YYYY-MM-DD`, epoch millis).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Milliseconds since the Unix epoch of `t` (0 before the epoch).
pub(crate) fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The `SystemTime` of `ms` milliseconds since the epoch (clamped at the epoch).
pub(crate) fn from_millis(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, second precision) of `ms` milliseconds since the epoch.
pub(crate) fn iso(ms: i64) -> String {
    alibabacloud_core::signing::timestamp(from_millis(ms))
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` into milliseconds since the epoch.
pub(crate) fn parse_iso(s: &str) -> Option<i64> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let t = PrimitiveDateTime::parse(s, format).ok()?.assume_utc();
    Some(t.unix_timestamp() * 1000)
}

/// `YYYY-MM-DD` (UTC) of `ms` milliseconds since the epoch.
pub(crate) fn date(ms: i64) -> String {
    let iso = iso(ms);
    iso.get(..10).unwrap_or_default().to_owned()
}

/// Parses `YYYY-MM-DD` into the milliseconds of its midnight (UTC).
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    parse_iso(&format!("{s}T00:00:00Z"))
}

/// The `OffsetDateTime` of `ms` milliseconds since the epoch (the epoch if out of range).
pub(crate) fn datetime(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// One day in milliseconds.
pub(crate) const DAY_MS: i64 = 86_400_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let ms = parse_iso("2025-01-02T03:04:05Z").unwrap();
        assert_eq!(iso(ms), "2025-01-02T03:04:05Z");
        assert_eq!(date(ms), "2025-01-02");
        assert_eq!(
            parse_date("2025-01-02"),
            Some(ms - 3 * 3_600_000 - 4 * 60_000 - 5_000)
        );
        assert_eq!(parse_iso("2025-01-02 03:04:05"), None);
        assert_eq!(datetime(ms).year(), 2025);
    }
}

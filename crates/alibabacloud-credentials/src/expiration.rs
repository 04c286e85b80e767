//! Expiration timestamps of temporary credentials, and when to refresh them.

use std::time::{Duration, SystemTime};

use time::PrimitiveDateTime;
use time::macros::format_description;

/// Temporary credentials are refreshed this long before they expire.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(15 * 60);

/// Parses an `Expiration` as sent by STS and the metadata service, `%Y-%m-%dT%H:%M:%SZ`
/// (UTC). The error names the expected format, not the value.
pub(crate) fn parse(value: &str) -> Result<SystemTime, String> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    PrimitiveDateTime::parse(value.trim(), format)
        .map(|t| SystemTime::from(t.assume_utc()))
        .map_err(|_| "Expiration is not a %Y-%m-%dT%H:%M:%SZ timestamp".to_owned())
}

/// When credentials fetched at `fetched_at` and expiring at `expiration` become stale:
/// `margin` before expiry, but never sooner than half their lifetime, so that short-lived
/// credentials (a 15-minute STS token) are not fetched again on every call.
pub(crate) fn refresh_at(
    fetched_at: SystemTime,
    expiration: SystemTime,
    margin: Duration,
) -> SystemTime {
    let lifetime = expiration
        .duration_since(fetched_at)
        .unwrap_or(Duration::ZERO);
    expiration
        .checked_sub(margin.min(lifetime / 2))
        .unwrap_or(expiration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn parses_utc_seconds() {
        let t = parse("2015-04-09T11:52:19Z").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_428_580_339
        );
        assert!(parse("2015-04-09 11:52:19").is_err());
        assert!(
            parse("tomorrow")
                .unwrap_err()
                .contains("%Y-%m-%dT%H:%M:%SZ")
        );
    }

    #[test]
    fn refresh_fifteen_minutes_early_or_at_half_life() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let hour = now + Duration::from_secs(3600);
        assert_eq!(refresh_at(now, hour, REFRESH_MARGIN), hour - REFRESH_MARGIN);
        let short = now + Duration::from_secs(900);
        assert_eq!(
            refresh_at(now, short, REFRESH_MARGIN),
            now + Duration::from_secs(450)
        );
        let past = now - Duration::from_secs(10);
        assert_eq!(refresh_at(now, past, REFRESH_MARGIN), past);
    }
}

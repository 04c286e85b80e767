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

/// `time` as `%Y-%m-%dT%H:%M:%SZ` (UTC), for messages.
pub(crate) fn format(time: SystemTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from(time)
        .format(format)
        .unwrap_or_else(|_| "(an unprintable time)".to_owned())
}

/// Refuses credentials that have already expired when received: they would fail every
/// call, and (being stale at once) would be fetched again on every call. The error names
/// the expiration.
pub(crate) fn ensure_unexpired(expiration: SystemTime, now: SystemTime) -> Result<(), String> {
    if expiration <= now {
        return Err(format!(
            "the credentials had already expired when received (Expiration {}, now {})",
            format(expiration),
            format(now)
        ));
    }
    Ok(())
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
    fn expired_credentials_are_named_by_their_expiration() {
        let at = parse("2015-04-09T11:52:19Z").unwrap();
        assert_eq!(format(at), "2015-04-09T11:52:19Z");
        let error = ensure_unexpired(at, at + Duration::from_secs(1)).unwrap_err();
        assert!(
            error.contains("already expired") && error.contains("Expiration 2015-04-09T11:52:19Z"),
            "{error}"
        );
        assert!(ensure_unexpired(at, at).is_err(), "expiring now is expired");
        assert!(ensure_unexpired(at, at - Duration::from_secs(1)).is_ok());
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

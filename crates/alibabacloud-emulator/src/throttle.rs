//! Flow control per account and operation: at most N calls in any one-second window.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;

use alibabacloud_core::catalog::OperationInfo;

/// The window the limits count in, milliseconds.
const WINDOW_MS: i64 = 1000;

/// Which calls the emulator throttles ([`crate::EmulatorBuilder::throttling`]).
///
/// Calls are counted per account and per operation (the temporary keys of the
/// emulator's STS belong to the account of the configured key; anonymous calls count as
/// one account of their own), after authentication, in a sliding one-second window of
/// the emulator's [`crate::Clock`]. A call beyond the limit is answered
/// `400 Throttling.User` ("Request was denied due to user flow control.") and is not
/// counted.
///
/// It parses from the text the binary's `--throttle` takes: `off`, `documented`, or a
/// number of calls per second.
///
/// ```
/// use alibabacloud_emulator::Throttling;
/// assert_eq!("documented".parse(), Ok(Throttling::Documented));
/// assert_eq!("25".parse(), Ok(Throttling::PerOperation(25)));
/// assert_eq!(Throttling::default(), Throttling::Off);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Throttling {
    /// No flow control (the default, so that tests are only throttled when they ask).
    #[default]
    Off,
    /// Each operation at its documented rate, the catalog's `rate_limit_per_second` (the
    /// metadata's `x-rate-limit-per-second`, e.g. 100 for CAS `UploadUserCertificate`,
    /// 10 for `ListUserCertificateOrder`); operations with no documented rate are not
    /// throttled.
    Documented,
    /// Every operation at this many calls per second (0 throttles every call).
    PerOperation(u32),
}

impl Throttling {
    /// The calls per second allowed for `op`, `None` when it is not throttled.
    pub(crate) fn limit(self, op: &OperationInfo) -> Option<u32> {
        match self {
            Throttling::Off => None,
            Throttling::Documented => op.rate_limit_per_second,
            Throttling::PerOperation(n) => Some(n),
        }
    }
}

impl fmt::Display for Throttling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Throttling::Off => f.write_str("off"),
            Throttling::Documented => f.write_str("documented"),
            Throttling::PerOperation(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for Throttling {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => Ok(Throttling::Off),
            "documented" => Ok(Throttling::Documented),
            n => n.parse().map(Throttling::PerOperation).map_err(|_| {
                format!(
                    "`{s}` is not a throttling: expected `off`, `documented` or a number of calls per second"
                )
            }),
        }
    }
}

/// The accepted calls of the last second, per account and operation.
#[derive(Debug)]
pub(crate) struct Throttle {
    policy: Throttling,
    /// `(account, version, action)` → times of the calls admitted, oldest first.
    calls: HashMap<(String, &'static str, &'static str), VecDeque<i64>>,
}

impl Throttle {
    /// Flow control by `policy`.
    pub fn new(policy: Throttling) -> Self {
        Self {
            policy,
            calls: HashMap::new(),
        }
    }

    /// Counts one call of `account` to `op` (of API `version`) at `now_ms`; `false` when
    /// it is over the limit (and then not counted).
    pub fn admit(
        &mut self,
        account: &str,
        version: &'static str,
        op: &'static OperationInfo,
        now_ms: i64,
    ) -> bool {
        let Some(limit) = self.policy.limit(op) else {
            return true;
        };
        let key = (account.to_owned(), version, op.operation.action);
        let calls = self.calls.entry(key).or_default();
        while calls
            .front()
            .is_some_and(|t| now_ms.saturating_sub(*t) >= WINDOW_MS)
        {
            calls.pop_front();
        }
        if calls.len() >= usize::try_from(limit).unwrap_or(usize::MAX) {
            return false;
        }
        calls.push_back(now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(version: &str, action: &str) -> &'static OperationInfo {
        alibabacloud_catalog::PRODUCTS
            .iter()
            .filter(|p| p.service.version == version)
            .find_map(|p| p.operation(action))
            .expect("catalog operation")
    }

    #[test]
    fn window_slides() {
        let list = op("2020-04-07", "ListUserCertificateOrder");
        let mut throttle = Throttle::new(Throttling::PerOperation(2));
        assert!(throttle.admit("a", "2020-04-07", list, 0));
        assert!(throttle.admit("a", "2020-04-07", list, 500));
        assert!(!throttle.admit("a", "2020-04-07", list, 999));
        assert!(
            throttle.admit("b", "2020-04-07", list, 999),
            "accounts apart"
        );
        assert!(
            throttle.admit("a", "2020-04-07", list, 1000),
            "the first left"
        );
        assert!(!throttle.admit("a", "2020-04-07", list, 1499));
        assert!(throttle.admit("a", "2020-04-07", list, 1500));
    }

    #[test]
    fn operations_are_counted_apart() {
        let list = op("2020-04-07", "ListUserCertificateOrder");
        let upload = op("2020-04-07", "UploadUserCertificate");
        let mut throttle = Throttle::new(Throttling::PerOperation(1));
        assert!(throttle.admit("a", "2020-04-07", list, 0));
        assert!(!throttle.admit("a", "2020-04-07", list, 0));
        assert!(throttle.admit("a", "2020-04-07", upload, 0));
    }

    #[test]
    fn documented_rates_come_from_the_catalog() {
        for product in alibabacloud_catalog::PRODUCTS {
            for op in product.operations {
                let mut throttle = Throttle::new(Throttling::Documented);
                let version = product.service.version;
                let admitted = (0..1200)
                    .take_while(|_| throttle.admit("a", version, op, 0))
                    .count();
                match op.rate_limit_per_second {
                    Some(limit) => assert_eq!(admitted, limit as usize, "{}", op.operation.action),
                    None => assert_eq!(admitted, 1200, "{}", op.operation.action),
                }
            }
        }
        assert_eq!(
            op("2020-04-07", "UploadUserCertificate").rate_limit_per_second,
            Some(100)
        );
    }

    #[test]
    fn off_and_zero() {
        let list = op("2020-04-07", "ListUserCertificateOrder");
        let mut off = Throttle::new(Throttling::Off);
        assert!((0..100).all(|_| off.admit("a", "2020-04-07", list, 0)));
        let mut zero = Throttle::new(Throttling::PerOperation(0));
        assert!(!zero.admit("a", "2020-04-07", list, 0));
    }

    #[test]
    fn parses_and_prints() {
        for text in ["off", "documented", "0", "100"] {
            let parsed: Throttling = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(" Documented ".parse(), Ok(Throttling::Documented));
        assert!("fast".parse::<Throttling>().is_err());
        assert!("-1".parse::<Throttling>().is_err());
    }
}

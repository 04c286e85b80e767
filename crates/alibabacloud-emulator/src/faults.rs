//! Faults on demand: latency, dropped connections, `503`s and truncated bodies, for every
//! request or for one operation.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::record::InjectedFault;

/// Faults to inject, set when the emulator starts ([`crate::EmulatorBuilder::faults`]) or
/// while it runs ([`crate::RunningEmulator::set_faults`], which replaces the current ones).
/// The same faults can be aimed at one operation only
/// ([`crate::EmulatorBuilder::action_faults`], [`crate::RunningEmulator::set_action_faults`]).
///
/// `latency` delays every request while it is set. The counters are consumed one per
/// request, in this order: a request whose connection is dropped consumes `drop_next`
/// only, one answered `503` consumes `fail_next` only, and a request that meets neither
/// consumes `truncate_next` (its answer, whatever it is, is cut short).
///
/// ```
/// use alibabacloud_emulator::Faults;
/// let faults = Faults { fail_next: 2, ..Faults::default() };
/// assert_eq!(faults.drop_next, 0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Answer the next N requests with `503 ServiceUnavailable` ("The request has failed
    /// due to a temporary failure of the server."), before any check.
    pub fail_next: u32,
    /// Wait this long before handling each request (zero: no delay).
    pub latency: Duration,
    /// Close the connection of the next N requests without answering.
    pub drop_next: u32,
    /// Send the next N answers with their full `content-length` but only half the body,
    /// then close the connection.
    pub truncate_next: u32,
}

impl Faults {
    /// Takes the fault the next request meets, if any (latency aside).
    pub(crate) fn take(&mut self) -> Option<InjectedFault> {
        if self.drop_next > 0 {
            self.drop_next -= 1;
            Some(InjectedFault::Dropped)
        } else if self.fail_next > 0 {
            self.fail_next -= 1;
            Some(InjectedFault::Failed)
        } else if self.truncate_next > 0 {
            self.truncate_next -= 1;
            Some(InjectedFault::Truncated)
        } else {
            None
        }
    }
}

/// The faults of every request and those of single operations.
#[derive(Clone, Debug, Default)]
pub(crate) struct FaultPlan {
    /// Faults of every request.
    pub all: Faults,
    /// Faults of the requests naming one action (whatever their version).
    pub by_action: HashMap<String, Faults>,
}

impl FaultPlan {
    /// The latency and the fault of the next request, which names `action`: the latency
    /// of the action's faults adds to that of every request; the action's counters are
    /// consumed first, and only when none is left the counters of every request.
    pub fn take(&mut self, action: Option<&str>) -> (Duration, Option<InjectedFault>) {
        let own = action.and_then(|a| self.by_action.get_mut(a));
        let (latency, fault) = match own {
            Some(own) => (own.latency, own.take()),
            None => (Duration::ZERO, None),
        };
        let latency = latency.saturating_add(self.all.latency);
        (latency, fault.or_else(|| self.all.take()))
    }

    /// Replaces the faults of `action` (`Faults::default()` clears them).
    pub fn set_action(&mut self, action: &str, faults: Faults) {
        if faults == Faults::default() {
            self.by_action.remove(action);
        } else {
            self.by_action.insert(action.to_owned(), faults);
        }
    }
}

/// One fault setting as the binary's `--fault` takes it: `[ACTION:]KIND=VALUE`, where
/// KIND is `fail`, `drop` or `truncate` (a count of requests) or `latency` (milliseconds,
/// optionally suffixed `ms`, or seconds suffixed `s`). Without an action it applies to
/// every request.
///
/// ```
/// use alibabacloud_emulator::FaultSpec;
/// let spec: FaultSpec = "UploadUserCertificate:fail=2".parse().unwrap();
/// assert_eq!(spec.action.as_deref(), Some("UploadUserCertificate"));
/// assert_eq!(spec.faults.fail_next, 2);
/// let spec: FaultSpec = "latency=250ms".parse().unwrap();
/// assert_eq!((spec.action, spec.faults.latency.as_millis()), (None, 250));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSpec {
    /// The action it is aimed at; `None`: every request.
    pub action: Option<String>,
    /// The fault, all other fields at their defaults.
    pub faults: Faults,
}

impl FaultSpec {
    /// Adds this setting to `faults` (the counter or latency it names replaces the one
    /// there; the others are kept).
    pub fn merge_into(&self, faults: &mut Faults) {
        let f = &self.faults;
        if f.fail_next > 0 {
            faults.fail_next = f.fail_next;
        }
        if f.drop_next > 0 {
            faults.drop_next = f.drop_next;
        }
        if f.truncate_next > 0 {
            faults.truncate_next = f.truncate_next;
        }
        if !f.latency.is_zero() {
            faults.latency = f.latency;
        }
    }
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage = || {
            format!(
                "`{s}` is not a fault: expected [ACTION:]KIND=VALUE with KIND fail, drop or truncate (a count) or latency (e.g. 250ms, 2s)"
            )
        };
        let (target, setting) = match s.rsplit_once(':') {
            Some((action, setting)) => (Some(action.trim()), setting),
            None => (None, s),
        };
        let action = match target {
            Some(a) if a.is_empty() || !a.chars().all(|c| c.is_ascii_alphanumeric()) => {
                return Err(usage());
            }
            other => other.map(str::to_owned),
        };
        let (kind, value) = setting.split_once('=').ok_or_else(usage)?;
        let value = value.trim();
        let count = || value.parse::<u32>().map_err(|_| usage());
        let mut faults = Faults::default();
        match kind.trim().to_ascii_lowercase().as_str() {
            "fail" => faults.fail_next = count()?,
            "drop" => faults.drop_next = count()?,
            "truncate" => faults.truncate_next = count()?,
            "latency" => {
                let (number, unit_ms) = if let Some(ms) = value.strip_suffix("ms") {
                    (ms, 1)
                } else if let Some(secs) = value.strip_suffix('s') {
                    (secs, 1000)
                } else {
                    (value, 1)
                };
                let n: u64 = number.trim().parse().map_err(|_| usage())?;
                let ms = n.checked_mul(unit_ms).ok_or_else(usage)?;
                faults.latency = Duration::from_millis(ms);
            }
            _ => return Err(usage()),
        }
        Ok(FaultSpec { action, faults })
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(action) = &self.action {
            write!(f, "{action}:")?;
        }
        let faults = &self.faults;
        let mut parts = Vec::new();
        if faults.fail_next > 0 {
            parts.push(format!("fail={}", faults.fail_next));
        }
        if faults.drop_next > 0 {
            parts.push(format!("drop={}", faults.drop_next));
        }
        if faults.truncate_next > 0 {
            parts.push(format!("truncate={}", faults.truncate_next));
        }
        if !faults.latency.is_zero() {
            parts.push(format!("latency={}ms", faults.latency.as_millis()));
        }
        if parts.is_empty() {
            parts.push("none".to_owned());
        }
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_consumed_in_order() {
        let mut faults = Faults {
            fail_next: 1,
            drop_next: 1,
            truncate_next: 1,
            latency: Duration::ZERO,
        };
        assert_eq!(faults.take(), Some(InjectedFault::Dropped));
        assert_eq!(faults.take(), Some(InjectedFault::Failed));
        assert_eq!(faults.take(), Some(InjectedFault::Truncated));
        assert_eq!(faults.take(), None);
    }

    #[test]
    fn action_faults_fire_for_their_action_only_and_first() {
        let mut plan = FaultPlan {
            all: Faults {
                fail_next: 1,
                latency: Duration::from_millis(5),
                ..Faults::default()
            },
            ..FaultPlan::default()
        };
        plan.set_action(
            "UploadUserCertificate",
            Faults {
                drop_next: 2,
                latency: Duration::from_millis(10),
                ..Faults::default()
            },
        );
        let upload = Some("UploadUserCertificate");
        assert_eq!(
            plan.take(upload),
            (Duration::from_millis(15), Some(InjectedFault::Dropped))
        );
        assert_eq!(
            plan.take(Some("ListCert")),
            (Duration::from_millis(5), Some(InjectedFault::Failed))
        );
        assert_eq!(plan.take(None), (Duration::from_millis(5), None));
        assert_eq!(plan.take(upload).1, Some(InjectedFault::Dropped));
        assert_eq!(plan.take(upload).1, None);
        plan.set_action("UploadUserCertificate", Faults::default());
        assert!(plan.by_action.is_empty());
    }

    #[test]
    fn fault_specs_parse() {
        let spec: FaultSpec = "ListCert:truncate=3".parse().unwrap();
        assert_eq!(spec.action.as_deref(), Some("ListCert"));
        assert_eq!(spec.faults.truncate_next, 3);
        assert_eq!(spec.to_string(), "ListCert:truncate=3");
        let spec: FaultSpec = "drop=1".parse().unwrap();
        assert_eq!((spec.action.clone(), spec.faults.drop_next), (None, 1));
        let spec: FaultSpec = "latency=2s".parse().unwrap();
        assert_eq!(spec.faults.latency, Duration::from_secs(2));
        let spec: FaultSpec = "latency=40".parse().unwrap();
        assert_eq!(spec.faults.latency, Duration::from_millis(40));
        for bad in [
            "",
            "fail",
            "fail=",
            "fail=-1",
            "fail=x",
            "boom=1",
            ":fail=1",
            "List Cert:fail=1",
            "latency=99999999999999999999s",
            "latency=18446744073709551615s",
        ] {
            assert!(bad.parse::<FaultSpec>().is_err(), "{bad}");
        }
        let mut faults = Faults {
            fail_next: 1,
            ..Faults::default()
        };
        "drop=2"
            .parse::<FaultSpec>()
            .unwrap()
            .merge_into(&mut faults);
        assert_eq!((faults.fail_next, faults.drop_next), (1, 2));
    }
}

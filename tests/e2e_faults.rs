//! Flow control and server faults end to end against the emulator: `Throttling.User` when
//! retries are off, a burst through a rate limit that retries absorb, and injected 503s,
//! dropped connections and truncated answers, retried by the default policy and surfaced
//! without retries.

mod e2e;

use std::time::{Duration, Instant};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_emulator::{Emulator, Faults, InjectedFault};
use e2e::{Fixture, TEST_LIMIT, VERSIONS, assert_distinct_nonces, bounded};
use futures::future::join_all;

#[tokio::test]
async fn throttling_surfaces_as_throttling_user_when_retries_are_off() {
    bounded(TEST_LIMIT, async {
        // One call per second, so that a burst of ten is throttled however slow the machine.
        let fx = Fixture::with(Emulator::builder().throttle_per_second(Some(1))).await;
        let config = fx.config().retry_policy(RetryPolicy::disabled()).build();
        let client = cas2020::Client::new(&config).unwrap();
        let results =
            join_all((0..10).map(|_| client.list_user_certificate_order().show_size(1).send()))
                .await;
        let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(!errors.is_empty() && errors.len() < 10, "{results:?}");
        for error in &errors {
            assert_eq!(error.code(), Some("Throttling.User"), "{error}");
            assert_eq!(error.http_status(), Some(400));
            assert_eq!(
                error.message(),
                "Request was denied due to user flow control."
            );
            assert!(error.is_throttling() && error.is_retryable());
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), 10, "one attempt per call: retries are off");
        let throttled = log
            .iter()
            .filter(|r| r.code.as_deref() == Some("Throttling.User"))
            .count();
        assert_eq!(throttled, errors.len());
        fx.emulator.shutdown().await;
    })
    .await;
}

/// 30 concurrent calls through one client against a 10-per-second limit all succeed.
///
/// The default policy (3 attempts, backoff ceilings 100 ms then 200 ms, full jitter) cannot
/// do it: a call's three attempts span at most ~300 ms, inside the second in which the first
/// ten calls were admitted, so twenty calls would fail. This test configures 25 attempts
/// with every backoff ceiling at 1 s (so each wait is uniform in [0, 1 s]).
///
/// Why that never flakes: a throttled attempt at time `a` means ten calls were admitted in
/// (a − 1 s, a]. A call admitted once is done, so the 29 other calls can fill at most two
/// disjoint such windows; a call is therefore admitted by the first of its attempts that
/// lies ≥ 1 s after an attempt that lies ≥ 1 s after its first. Attempts are separated by at
/// least the backoff drawn between them, so a call can only fail if its 24 waits, less one
/// of them, sum to under 2 s, hence only if all 24 sum to under 3 s: probability
/// ≤ 3^24/24! < 5e-13 per call, whatever the load. The same argument bounds each call at
/// about 4 s (two windows plus two waits); it takes about 2.7 s here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_30_through_a_10_per_second_limit_succeeds_by_retrying() {
    bounded(Duration::from_secs(20), async {
        let fx = Fixture::with(Emulator::builder().throttle_per_second(Some(10))).await;
        let policy = RetryPolicy::default()
            .with_max_attempts(25)
            .with_initial_backoff(Duration::from_secs(1))
            .with_max_backoff(Duration::from_secs(1));
        let client = cas2020::Client::new(&fx.config().retry_policy(policy).build()).unwrap();
        let cpack = fx.orders("cpack").len() as i64;

        let started = Instant::now();
        let results =
            join_all((0..30).map(|_| client.list_user_certificate_order().show_size(5).send()))
                .await;
        let elapsed = started.elapsed();
        for result in &results {
            let page = result
                .as_ref()
                .unwrap_or_else(|e| panic!("a call failed: {e}"));
            assert_eq!(page.total_count, Some(cpack));
        }
        assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");

        let log = fx.emulator.requests();
        let ok = log.iter().filter(|r| r.status == 200).count();
        let throttled: Vec<_> = log
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status != 200)
            .collect();
        assert_eq!(ok, 30, "exactly one admitted attempt per call");
        for (_, r) in &throttled {
            assert_eq!(
                (r.status, r.code.as_deref()),
                (400, Some("Throttling.User")),
                "{r:?}"
            );
        }
        // The first ten calls fill the first second (thirty simultaneous loopback requests
        // arrive well within it): twenty calls at least were throttled, and each of them
        // succeeded later, on a retried attempt.
        assert!(throttled.len() >= 20, "{} throttled", throttled.len());
        let first_throttled = throttled[0].0;
        let later_ok = log[first_throttled..]
            .iter()
            .filter(|r| r.status == 200)
            .count();
        assert!(
            later_ok >= 20,
            "{later_ok} successes after the first Throttling.User"
        );
        // Every attempt, retries included, was signed anew.
        assert_eq!(log.len(), 30 + throttled.len());
        assert_distinct_nonces(&log);
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let cpack = fx.orders("cpack").len() as i64;
        for version in VERSIONS {
            // The default policy: three attempts.
            let client =
                cas2020::Client::new(&fx.config().signature_version(version).build()).unwrap();
            let no_retries = cas2020::Client::new(
                &fx.config()
                    .signature_version(version)
                    .retry_policy(RetryPolicy::disabled())
                    .build(),
            )
            .unwrap();
            let cases: [(Faults, &[Option<InjectedFault>]); 4] = [
                (
                    Faults {
                        fail_next: 2,
                        ..Faults::default()
                    },
                    &[
                        Some(InjectedFault::Failed),
                        Some(InjectedFault::Failed),
                        None,
                    ],
                ),
                (
                    Faults {
                        drop_next: 1,
                        ..Faults::default()
                    },
                    &[Some(InjectedFault::Dropped), None],
                ),
                (
                    Faults {
                        drop_next: 1,
                        fail_next: 1,
                        ..Faults::default()
                    },
                    &[
                        Some(InjectedFault::Dropped),
                        Some(InjectedFault::Failed),
                        None,
                    ],
                ),
                (
                    Faults {
                        truncate_next: 1,
                        ..Faults::default()
                    },
                    &[Some(InjectedFault::Truncated), None],
                ),
            ];
            for (faults, attempts) in cases {
                fx.emulator.set_faults(faults.clone());
                let mark = fx.mark();
                let page = client
                    .list_user_certificate_order()
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{version:?} {faults:?}: {e}"));
                assert_eq!(page.total_count, Some(cpack));
                let log = fx.since(mark);
                let seen: Vec<_> = log.iter().map(|r| r.fault).collect();
                assert_eq!(seen, attempts, "{version:?} {faults:?}");
                for r in &log {
                    let (status, code) = match r.fault {
                        Some(InjectedFault::Dropped) => (0, None),
                        Some(InjectedFault::Failed) => (503, Some("ServiceUnavailable")),
                        _ => (200, None),
                    };
                    assert_eq!((r.status, r.code.as_deref()), (status, code), "{r:?}");
                    assert_eq!(r.signature_version, Some(version));
                }
                assert_distinct_nonces(&log);
            }

            // Without retries the same faults reach the caller, after one attempt.
            fx.emulator.set_faults(Faults {
                drop_next: 1,
                ..Faults::default()
            });
            let error = no_retries
                .list_user_certificate_order()
                .send()
                .await
                .unwrap_err();
            assert_eq!(
                (error.kind(), error.code(), error.http_status()),
                (ErrorKind::Network, None, None)
            );
            assert!(error.is_retryable());
            fx.emulator.set_faults(Faults {
                fail_next: 1,
                ..Faults::default()
            });
            let error = no_retries
                .list_user_certificate_order()
                .send()
                .await
                .unwrap_err();
            assert_eq!(
                (error.code(), error.http_status()),
                (Some("ServiceUnavailable"), Some(503))
            );
            assert!(error.is_retryable());

            // Three 503s exhaust the default three attempts.
            fx.emulator.set_faults(Faults {
                fail_next: 3,
                ..Faults::default()
            });
            let mark = fx.mark();
            let error = client
                .list_user_certificate_order()
                .send()
                .await
                .unwrap_err();
            assert_eq!(
                (error.code(), error.http_status()),
                (Some("ServiceUnavailable"), Some(503))
            );
            assert_eq!(fx.since(mark).len(), 3);
            assert_eq!(
                fx.emulator.requests().last().unwrap().fault,
                Some(InjectedFault::Failed)
            );
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

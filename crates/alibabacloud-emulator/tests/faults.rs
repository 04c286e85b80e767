//! Faults on demand and flow control: 503s, dropped connections, truncated bodies,
//! latency, `set_faults` while running, and per-account throttling.

mod common;

use std::time::{Duration, Instant};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_emulator::{Emulator, Faults, InjectedFault};
use common::*;

fn list(emulator: &alibabacloud_emulator::RunningEmulator) -> Call {
    Call::new(emulator, "ListUserCertificateOrder", CAS2020)
}

#[tokio::test]
async fn fail_next_answers_503_service_unavailable() {
    let emulator = Emulator::builder()
        .faults(Faults {
            fail_next: 2,
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    for _ in 0..2 {
        let reply = list(&emulator).send(&emulator).await;
        assert_eq!((reply.status, reply.code()), (503, "ServiceUnavailable"));
        assert_eq!(
            reply.message(),
            "The request has failed due to a temporary failure of the server."
        );
    }
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    let faults: Vec<_> = emulator.requests().iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        vec![
            Some(InjectedFault::Failed),
            Some(InjectedFault::Failed),
            None
        ]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_sdk_retries_through_503s_with_fresh_nonces() {
    let emulator = Emulator::start().await.unwrap();
    emulator.set_faults(Faults {
        fail_next: 2,
        ..Faults::default()
    });
    let policy = RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let client = cas2020::Client::new(&config(&emulator).retry_policy(policy).build()).unwrap();
    let page = client.list_user_certificate_order().send().await.unwrap();
    assert!(page.total_count.unwrap_or_default() > 0);
    let recorded = emulator.requests();
    assert_eq!(
        recorded.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![503, 503, 200]
    );
    let mut nonces: Vec<_> = recorded.iter().map(|r| r.nonce.clone().unwrap()).collect();
    nonces.dedup();
    assert_eq!(nonces.len(), 3);
    emulator.shutdown().await;
}

#[tokio::test]
async fn drop_next_closes_the_connection_without_an_answer() {
    let emulator = Emulator::builder()
        .faults(Faults {
            drop_next: 1,
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    let error = list(&emulator).try_send(&emulator).await.unwrap_err();
    assert!(!error.is_timeout(), "{error}");
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    let recorded = emulator.requests();
    assert_eq!(recorded[0].status, 0);
    assert_eq!(recorded[0].fault, Some(InjectedFault::Dropped));
    emulator.shutdown().await;
}

#[tokio::test]
async fn truncate_next_cuts_the_body_short() {
    let emulator = Emulator::start().await.unwrap();
    emulator.set_faults(Faults {
        truncate_next: 1,
        ..Faults::default()
    });
    let error = list(&emulator).try_send(&emulator).await.unwrap_err();
    assert!(
        error.is_body() || error.is_decode() || error.is_request(),
        "{error:?}"
    );
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);

    // Through the SDK: a network error, not a parse of half a body.
    emulator.set_faults(Faults {
        truncate_next: 1,
        ..Faults::default()
    });
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();
    let error = client
        .list_user_certificate_order()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), None, "{error}");
    assert_eq!(
        emulator.requests().last().unwrap().fault,
        Some(InjectedFault::Truncated)
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn latency_delays_every_answer_until_cleared() {
    let emulator = Emulator::start().await.unwrap();
    emulator.set_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    });
    for _ in 0..2 {
        let started = Instant::now();
        assert_eq!(list(&emulator).send(&emulator).await.status, 200);
        assert!(started.elapsed() >= Duration::from_millis(300));
    }
    emulator.set_faults(Faults::default());
    let started = Instant::now();
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    assert!(started.elapsed() < Duration::from_millis(300));

    // A client read timeout shorter than the latency.
    emulator.set_faults(Faults {
        latency: Duration::from_secs(2),
        ..Faults::default()
    });
    let client = cas2020::Client::new(
        &config(&emulator)
            .read_timeout(Duration::from_millis(200))
            .connect_timeout(Duration::from_millis(100))
            .build(),
    )
    .unwrap();
    let error = client
        .list_user_certificate_order()
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("timeout"), "{error}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn throttling_answers_throttling_user_beyond_the_rate() {
    let emulator = Emulator::builder()
        .throttle_per_second(Some(10))
        .start()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..15 {
        let reply = list(&emulator).send(&emulator).await;
        if reply.status != 200 {
            assert_eq!((reply.status, reply.code()), (400, "Throttling.User"));
            assert_eq!(
                reply.message(),
                "Request was denied due to user flow control."
            );
        }
        statuses.push(reply.status);
    }
    let throttled = statuses.iter().filter(|s| **s == 400).count();
    // Fifteen calls take far less than a second here; allow a slow machine some slack.
    assert!(throttled >= 1, "{statuses:?}");
    assert!(statuses.iter().take(10).all(|s| *s == 200), "{statuses:?}");

    // The SDK sees a throttling error.
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();
    let mut saw_throttling = false;
    for _ in 0..12 {
        if let Err(error) = client.list_user_certificate_order().send().await {
            assert!(error.is_throttling(), "{error}");
            saw_throttling = true;
        }
    }
    assert!(saw_throttling);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn throttling_is_off_by_default() {
    let emulator = Emulator::start().await.unwrap();
    for _ in 0..30 {
        assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    }
    emulator.shutdown().await;
}

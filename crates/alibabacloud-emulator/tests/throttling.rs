//! Flow control per operation at the documented rates, on a manual clock (no waiting,
//! whatever the machine's speed).

mod common;

use std::time::{Duration, SystemTime};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_emulator::{Clock, Emulator, RunningEmulator, Throttling};
use common::*;

const THROTTLED: (u16, &str) = (400, "Throttling.User");

async fn emulator(throttling: Throttling) -> (RunningEmulator, Clock) {
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .throttling(throttling)
        .start()
        .await
        .unwrap();
    (emulator, clock)
}

/// Sends `n` calls made by `call`; the (status, code) of each.
async fn burst(
    emulator: &RunningEmulator,
    clock: &Clock,
    n: usize,
    call: impl Fn() -> Call,
) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    for _ in 0..n {
        let reply = call().at(clock.now()).send(emulator).await;
        out.push((reply.status, reply.code().to_owned()));
    }
    out
}

fn throttled(replies: &[(u16, String)]) -> Vec<bool> {
    replies
        .iter()
        .map(|(status, code)| (*status, code.as_str()) == THROTTLED)
        .collect()
}

#[tokio::test]
async fn documented_rates_throttle_each_operation_with_throttling_user() {
    let (emulator, clock) = emulator(Throttling::Documented).await;

    // ListUserCertificateOrder: 10 per second documented.
    let list = || Call::new(&emulator, "ListUserCertificateOrder", CAS2020);
    let replies = burst(&emulator, &clock, 12, list).await;
    assert!(replies[..10].iter().all(|(s, _)| *s == 200), "{replies:?}");
    assert_eq!(
        throttled(&replies),
        [vec![false; 10], vec![true; 2]].concat()
    );
    let reply = list().at(clock.now()).send(&emulator).await;
    assert_eq!(
        reply.message(),
        "Request was denied due to user flow control."
    );
    assert!(
        reply.body["Recommend"]
            .as_str()
            .unwrap()
            .contains("Throttling.User")
    );

    // UploadUserCertificate: 100 per second. Calls count whatever they are answered after
    // authentication (here whatever the handler makes of these parameters).
    let upload = || {
        Call::new(&emulator, "UploadUserCertificate", CAS2020)
            .param("Name", "web")
            .param("Cert", "-----BEGIN CERTIFICATE-----")
            .param("Key", "-----BEGIN PRIVATE KEY-----")
    };
    let replies = burst(&emulator, &clock, 101, upload).await;
    assert_eq!(
        throttled(&replies),
        [vec![false; 100], vec![true; 1]].concat(),
        "{replies:?}"
    );

    // An operation with no documented rate is not throttled (however it is answered).
    let orders = || Call::new(&emulator, "DescribeOrderInstanceList", CAS2018);
    let replies = burst(&emulator, &clock, 150, orders).await;
    assert!(throttled(&replies).iter().all(|t| !t), "{replies:?}");

    // One second later, the window has slid past every call.
    clock.advance(Duration::from_secs(1));
    assert_eq!(list().at(clock.now()).send(&emulator).await.status, 200);
    let reply = upload().at(clock.now()).send(&emulator).await;
    assert_ne!((reply.status, reply.code()), THROTTLED);

    // Refused calls were not counted, and the log says which were throttled.
    let log = emulator.requests();
    let logged = log
        .iter()
        .filter(|r| r.code.as_deref() == Some("Throttling.User"))
        .count();
    assert_eq!(logged, 2 + 1 + 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn refused_requests_do_not_count() {
    let (emulator, clock) = emulator(Throttling::Documented).await;
    for _ in 0..20 {
        let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
            .secret("wrong")
            .at(clock.now())
            .send(&emulator)
            .await;
        assert_eq!(reply.code(), "SignatureDoesNotMatch");
    }
    let list = || Call::new(&emulator, "ListUserCertificateOrder", CAS2020);
    let replies = burst(&emulator, &clock, 10, list).await;
    assert!(replies.iter().all(|(s, _)| *s == 200), "{replies:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn one_rate_for_every_operation_counts_operations_apart() {
    let (emulator, clock) = emulator(Throttling::PerOperation(3)).await;
    let list = || Call::new(&emulator, "ListUserCertificateOrder", CAS2020);
    let orders = || Call::new(&emulator, "DescribeOrderInstanceList", CAS2018);
    let expected = [vec![false; 3], vec![true; 2]].concat();
    assert_eq!(
        throttled(&burst(&emulator, &clock, 5, list).await),
        expected
    );
    assert_eq!(
        throttled(&burst(&emulator, &clock, 5, orders).await),
        expected
    );
    emulator.shutdown().await;

    // throttle_per_second is the same setting.
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .throttle_per_second(Some(0))
        .start()
        .await
        .unwrap();
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .send(&emulator)
        .await;
    assert_eq!((reply.status, reply.code()), THROTTLED);
    emulator.shutdown().await;
}

#[tokio::test]
async fn nothing_is_throttled_unless_asked() {
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let list = || Call::new(&emulator, "ListUserCertificateOrder", CAS2020);
    let replies = burst(&emulator, &clock, 40, list).await;
    assert!(replies.iter().all(|(s, _)| *s == 200), "{replies:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_sdk_sees_a_retryable_throttling_error() {
    let (emulator, _clock) = emulator(Throttling::Documented).await;
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();
    for _ in 0..10 {
        client.list_user_certificate_order().send().await.unwrap();
    }
    let error = client
        .list_user_certificate_order()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("Throttling.User"));
    assert_eq!(error.http_status(), Some(400));
    assert!(error.is_throttling() && error.is_retryable(), "{error}");
    emulator.shutdown().await;
}

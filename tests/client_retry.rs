//! Retries, timeouts and the rate limiter of the generated clients, against a loopback
//! server. Every retried attempt must be a new request: new nonce, new signature.
//!
//! Timing: assertions are lower bounds that load cannot break (a sleep never ends early),
//! or run on tokio's paused clock with auto-advance held off while I/O is in flight.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::credentials::{CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::rate_limit::RateLimit;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::{CallOptions, Config, Credentials, Error, SignatureVersion};
use cas2020::list_user_certificate_order::ListUserCertificateOrderResponse;
use support::*;

async fn call(config: &Config) -> Result<ListUserCertificateOrderResponse, Error> {
    let client = cas2020::Client::new(config).unwrap();
    client.list_user_certificate_order().send().await
}

/// A server that verifies every signature, answers `first` to the first `failures`
/// requests, then the sample.
async fn failing_then_ok(failures: usize, first: Reply) -> TestServer {
    TestServer::start(move |request, i| {
        let reply = if i < failures {
            first.clone()
        } else {
            Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE)
        };
        signed_or_reject(request, AK_SECRET, reply)
    })
    .await
}

/// Every attempt was signed anew: distinct nonces, distinct signatures, each valid.
fn assert_fresh_attempts(requests: &[Recorded]) {
    for (i, a) in requests.iter().enumerate() {
        verify(a, AK_SECRET).unwrap_or_else(|e| panic!("attempt {} does not verify: {e:?}", i + 1));
        for b in &requests[i + 1..] {
            assert_ne!(a.nonce(), b.nonce(), "a retry reused the nonce");
            assert_ne!(a.signature(), b.signature(), "a retry reused the signature");
        }
    }
}

#[tokio::test]
async fn a_503_then_200_succeeds_on_a_second_attempt_with_a_new_nonce_and_signature() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let server = failing_then_ok(
            1,
            Reply::error(
                503,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            ),
        )
        .await;
        let response = call(&config(&server).signature_version(version).build())
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert_eq!(response.total_count, Some(1));
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{version:?}");
        assert_fresh_attempts(&requests);
    }
}

#[tokio::test]
async fn throttling_user_on_400_is_retried() {
    let server = failing_then_ok(
        1,
        Reply::error(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        ),
    )
    .await;
    call(&config(&server).build()).await.unwrap();
    assert_eq!(server.count(), 2);
    assert_fresh_attempts(&server.requests());
}

#[tokio::test]
async fn signature_nonce_used_is_retried_with_a_new_nonce() {
    let server = failing_then_ok(
        1,
        Reply::error(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ),
    )
    .await;
    call(&config(&server).build()).await.unwrap();
    assert_eq!(server.count(), 2);
    assert_fresh_attempts(&server.requests());
}

#[tokio::test]
async fn invalid_parameter_is_not_retried() {
    let server = TestServer::always(Reply::error(
        400,
        "InvalidParameter",
        "Specified parameter ShowSize is not valid.",
    ))
    .await;
    let error = call(&config(&server).build()).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidParameter"));
    assert_eq!(error.http_status(), Some(400));
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1, "exactly one attempt");
}

#[tokio::test]
async fn x_acs_retry_after_sets_the_delay_before_the_next_attempt() {
    const RETRY_AFTER: Duration = Duration::from_millis(300);
    let throttled = Reply::error(
        400,
        "Throttling.User",
        "Request was denied due to user flow control.",
    )
    .with_header("x-acs-retry-after", &RETRY_AFTER.as_millis().to_string());

    // With no backoff of its own, the policy waits only because the server asked.
    let policy = RetryPolicy::default()
        .with_initial_backoff(Duration::ZERO)
        .with_max_backoff(Duration::from_secs(20));
    assert_eq!(policy.delay(1, None), Duration::ZERO);
    let server = failing_then_ok(1, throttled.clone()).await;
    call(&config(&server).retry_policy(policy).build())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(
        gap >= RETRY_AFTER,
        "the second attempt came {gap:?} after the first, before the {RETRY_AFTER:?} asked for"
    );

    // The error carries the delay the server asked for.
    let server = failing_then_ok(1, throttled).await;
    let error = call(
        &config(&server)
            .retry_policy(RetryPolicy::disabled())
            .build(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.retry_after(), Some(RETRY_AFTER));
    assert!(error.is_throttling());
}

#[tokio::test]
async fn disabled_retries_make_exactly_one_attempt() {
    let unavailable = Reply::error(503, "ServiceUnavailable", "temporary failure");
    let server = TestServer::always(unavailable.clone()).await;
    let error = call(
        &config(&server)
            .retry_policy(RetryPolicy::disabled())
            .build(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.http_status(), Some(503));
    assert_eq!(server.count(), 1);

    // The same, per call, on a client that does retry.
    let server = TestServer::always(unavailable).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    client
        .list_user_certificate_order()
        .options(CallOptions::new().retry_policy(RetryPolicy::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    client
        .list_user_certificate_order()
        .options(CallOptions::new().retry_policy(fast_retries().with_max_attempts(2)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.count(), 3, "1 + 2 attempts");
}

#[tokio::test]
async fn max_attempts_are_respected() {
    let server =
        TestServer::always(Reply::error(503, "ServiceUnavailable", "temporary failure")).await;
    let error = call(&config(&server).build()).await.unwrap_err();
    assert_eq!(error.code(), Some("ServiceUnavailable"));
    assert_eq!(error.operation(), Some("ListUserCertificateOrder"));
    assert_eq!(server.count(), 3, "the default policy makes three attempts");
    assert_fresh_attempts(&server.requests());

    let server = TestServer::always(Reply::error(500, "InternalError", "unknown error")).await;
    let policy = fast_retries().with_max_attempts(5);
    call(&config(&server).retry_policy(policy).build())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 5);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let server = failing_then_ok(1, Reply::Drop).await;
    call(&config(&server).build()).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_fresh_attempts(&requests);

    let server = TestServer::always(Reply::Drop).await;
    let error = call(&config(&server).build()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.count(), 3);
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

const SLOW: Duration = Duration::from_millis(1500);
const SHORT: Duration = Duration::from_millis(150);

#[tokio::test]
async fn a_slow_server_gives_a_timeout_error_and_timeouts_are_retried() {
    let server =
        TestServer::always(Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE).delayed(SLOW)).await;
    let error = call(&config(&server).read_timeout(SHORT).build())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.to_string().contains("150 ms"), "{error}");
    assert_eq!(error.operation(), Some("ListUserCertificateOrder"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn call_options_override_the_read_timeout() {
    // The client would wait 10 s; this call waits 150 ms.
    let server =
        TestServer::always(Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE).delayed(SLOW)).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = client
        .list_user_certificate_order()
        .options(
            CallOptions::new()
                .read_timeout(SHORT)
                .retry_policy(RetryPolicy::disabled()),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_eq!(server.count(), 1);

    // The client would give up after 150 ms; this call waits 10 s and gets its answer.
    let server = TestServer::always(
        Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE).delayed(Duration::from_millis(300)),
    )
    .await;
    let client = cas2020::Client::new(&config(&server).read_timeout(SHORT).build()).unwrap();
    let response = client
        .list_user_certificate_order()
        .options(CallOptions::new().read_timeout(Duration::from_secs(10)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.total_count, Some(1));
}

// ---------------------------------------------------------------------------------------------
// Rate limiter, on paused time
// ---------------------------------------------------------------------------------------------

/// Static credentials that, when asked for (the runtime asks once per attempt, after the
/// rate limiter and before sending), start a blocking task: while one runs, tokio's paused
/// clock does not auto-advance. So the clock stands still while a request is on the
/// loopback socket, and moves only while the client sleeps, until [`IoGuard::release`].
#[derive(Clone, Debug, Default)]
struct IoGuard {
    held: Arc<Mutex<Vec<std::sync::mpsc::Sender<()>>>>,
}

impl IoGuard {
    fn release(&self) {
        self.held.lock().unwrap().clear();
    }
}

impl ProvideCredentials for IoGuard {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let (release, released) = std::sync::mpsc::channel::<()>();
        tokio::task::spawn_blocking(move || {
            // Returns when the sender is dropped.
            let _ = released.recv();
        });
        self.held.lock().unwrap().push(release);
        Box::pin(async { Ok(Credentials::new(AK_ID, AK_SECRET)) })
    }
}

async fn arrival_gaps(limit: Option<RateLimit>, calls: usize) -> Vec<Duration> {
    let server = TestServer::always(Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE)).await;
    let guard = IoGuard::default();
    let mut config = config(&server).credentials(guard.clone());
    if let Some(limit) = limit {
        config = config.rate_limit(limit);
    }
    let client = cas2020::Client::new(&config.build()).unwrap();
    for _ in 0..calls {
        let result = client.list_user_certificate_order().send().await;
        guard.release();
        result.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), calls);
    requests.windows(2).map(|w| w[1].at - w[0].at).collect()
}

#[tokio::test(start_paused = true)]
async fn rate_limit_spaces_calls_by_its_interval() {
    let limit = RateLimit::per_second(10);
    assert_eq!(limit.interval(), Duration::from_millis(100));

    // Control: without a limit the paused clock does not move between calls at all.
    let gaps = arrival_gaps(None, 4).await;
    assert!(gaps.iter().all(Duration::is_zero), "{gaps:?}");

    // With 10 calls per second, the server sees one call every 100 ms (to the timer's
    // millisecond resolution).
    let gaps = arrival_gaps(Some(limit), 6).await;
    assert_eq!(gaps.len(), 5);
    for gap in gaps {
        assert!(
            gap >= Duration::from_millis(99) && gap <= Duration::from_millis(101),
            "calls {gap:?} apart, not 100 ms"
        );
    }
}

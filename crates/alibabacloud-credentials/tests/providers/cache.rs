use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use alibabacloud_credentials::{
    CachedProvider, Credentials, CredentialsFuture, Error, ProvideCredentials,
};

/// Counts calls; answers after `delay` with key `K-<n>` valid for `lifetime`, or fails
/// from call `fail_from` on.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    delay: Duration,
    lifetime: Option<Duration>,
    fail_from: usize,
}

impl Counting {
    fn new(delay: Duration, lifetime: Option<Duration>) -> Self {
        Self {
            calls: AtomicUsize::new(0),
            delay,
            lifetime,
            fail_from: usize::MAX,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if n >= self.fail_from {
                return Err(Error::credentials("source down"));
            }
            let credentials = Credentials::new(format!("K-{n}"), "secret");
            Ok(match self.lifetime {
                Some(lifetime) => credentials.with_expiration(SystemTime::now() + lifetime),
                None => credentials,
            })
        })
    }
}

#[tokio::test]
async fn fifty_concurrent_callers_wait_for_one_refresh() {
    let provider = Arc::new(CachedProvider::new(Counting::new(
        Duration::from_millis(200),
        Some(Duration::from_secs(3600)),
    )));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "K-1");
    }
    assert_eq!(provider.inner().calls(), 1);
}

#[tokio::test]
async fn credentials_without_expiration_are_kept() {
    let provider = CachedProvider::new(Counting::new(Duration::ZERO, None));
    for _ in 0..3 {
        assert_eq!(
            provider
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "K-1"
        );
    }
    assert_eq!(provider.inner().calls(), 1);
}

#[tokio::test]
async fn refreshed_fifteen_minutes_before_expiry() {
    // 20 minutes of validity: stale after 5 (expiry - 15 min), so kept for now.
    let provider = CachedProvider::new(Counting::new(
        Duration::ZERO,
        Some(Duration::from_secs(20 * 60)),
    ));
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(provider.inner().calls(), 1);

    // A margin larger than half the lifetime is capped at half of it: 2 s of validity is
    // refreshed after 1 s.
    let provider = CachedProvider::with_refresh_margin(
        Counting::new(Duration::ZERO, Some(Duration::from_secs(2))),
        Duration::from_secs(15 * 60),
    );
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "K-1"
    );
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "K-1"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "K-2"
    );
}

#[tokio::test]
async fn a_failed_refresh_keeps_unexpired_credentials() {
    let mut counting = Counting::new(Duration::ZERO, Some(Duration::from_secs(2)));
    counting.fail_from = 2;
    let provider = CachedProvider::new(counting);
    provider.provide_credentials().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // Stale, the refresh fails, but the credentials are still valid.
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "K-1"
    );
    assert_eq!(provider.inner().calls(), 2);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    // Expired: the refresh's error comes through.
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.to_string(), "source down");
}

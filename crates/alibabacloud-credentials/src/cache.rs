//! Caching of temporary credentials with single-flight refresh.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use tokio::sync::Mutex;

use crate::expiration::{self, REFRESH_MARGIN};

/// The cache inside every refreshing provider.
///
/// One refresh at a time: the lock is held across the fetch, so callers arriving during a
/// refresh wait for it and take its outcome instead of fetching again. When a refresh fails
/// while the cached credentials have not yet expired, those are returned.
pub(crate) struct CredentialsCache {
    slot: Mutex<Slot>,
    /// Number of refreshes finished, to tell waiters that one completed meanwhile.
    refreshes: AtomicU64,
    margin: Duration,
    /// Whether credentials without an expiration are kept for good (else fetched at every
    /// call, for sources whose answer may change at any time).
    keep_unexpiring: bool,
}

#[derive(Default)]
struct Slot {
    credentials: Option<Credentials>,
    refresh_at: Option<SystemTime>,
    last_error: Option<String>,
}

impl Slot {
    fn fresh(&self, now: SystemTime) -> Option<&Credentials> {
        let credentials = self.credentials.as_ref()?;
        match self.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(credentials),
        }
    }

    fn unexpired(&self, now: SystemTime) -> Option<&Credentials> {
        let credentials = self.credentials.as_ref()?;
        match credentials.expiration() {
            Some(at) if now >= at => None,
            _ => Some(credentials),
        }
    }
}

impl CredentialsCache {
    pub(crate) fn new(margin: Duration) -> Self {
        Self {
            slot: Mutex::new(Slot::default()),
            refreshes: AtomicU64::new(0),
            margin,
            keep_unexpiring: true,
        }
    }

    /// A cache that keeps only credentials with an expiration; the others are fetched again
    /// at every call.
    pub(crate) fn expiring_only() -> Self {
        Self {
            keep_unexpiring: false,
            ..Self::default()
        }
    }

    /// Cached credentials while fresh; else the result of one `fetch` shared by every
    /// concurrent caller.
    pub(crate) async fn get_or_refresh<F, Fut>(&self, fetch: F) -> Result<Credentials, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, Error>>,
    {
        let seen = self.refreshes.load(Ordering::Acquire);
        let mut slot = self.slot.lock().await;
        let now = SystemTime::now();
        if let Some(credentials) = slot.fresh(now) {
            return Ok(credentials.clone());
        }
        if self.refreshes.load(Ordering::Acquire) != seen {
            // A refresh finished while this caller waited: share its outcome.
            if let Some(credentials) = slot.unexpired(now) {
                return Ok(credentials.clone());
            }
            if let Some(message) = &slot.last_error {
                return Err(Error::credentials(message.clone()));
            }
        }
        let result = fetch().await;
        self.refreshes.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(credentials) if credentials.expiration().is_none() && !self.keep_unexpiring => {
                slot.credentials = None;
                slot.refresh_at = None;
                slot.last_error = None;
                Ok(credentials)
            }
            Ok(credentials) => {
                slot.refresh_at = credentials
                    .expiration()
                    .map(|at| expiration::refresh_at(now, at, self.margin));
                slot.credentials = Some(credentials.clone());
                slot.last_error = None;
                Ok(credentials)
            }
            Err(error) => {
                slot.last_error = Some(error.to_string());
                match slot.unexpired(SystemTime::now()) {
                    Some(credentials) => {
                        tracing::warn!(error = %error, "credentials refresh failed; using the cached credentials until they expire");
                        Ok(credentials.clone())
                    }
                    None => Err(error),
                }
            }
        }
    }
}

impl Default for CredentialsCache {
    fn default() -> Self {
        Self::new(REFRESH_MARGIN)
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

/// Wraps any provider and caches what it returns until 15 minutes before the credentials'
/// expiration (credentials without one are kept for good).
///
/// Concurrent callers during a refresh wait for that one refresh. If a refresh fails while
/// the cached credentials have not expired yet, the cached ones are returned.
///
/// ```
/// use alibabacloud_credentials::{CachedProvider, Credentials};
/// let provider = CachedProvider::new(Credentials::new("id", "secret"));
/// # let _ = provider;
/// ```
pub struct CachedProvider<P> {
    provider: P,
    cache: CredentialsCache,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// Caches `provider` with the default 15-minute refresh margin.
    pub fn new(provider: P) -> Self {
        Self::with_refresh_margin(provider, REFRESH_MARGIN)
    }

    /// Caches `provider`, refreshing `margin` before expiry (at most half the credentials'
    /// lifetime before it).
    pub fn with_refresh_margin(provider: P, margin: Duration) -> Self {
        Self {
            provider,
            cache: CredentialsCache::new(margin),
        }
    }

    /// The wrapped provider.
    pub fn inner(&self) -> &P {
        &self.provider
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(
            self.cache
                .get_or_refresh(|| self.provider.provide_credentials()),
        )
    }
}

impl<P: fmt::Debug> fmt::Debug for CachedProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider")
            .field("provider", &self.provider)
            .field("margin", &self.cache.margin)
            .finish()
    }
}

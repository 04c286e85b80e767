//! Soak: 200,000 signed requests against one emulator through the generated CAS client,
//! the process's resident memory (`VmRSS` of `/proc/self/status`) read every 20,000.
//!
//! ```text
//! cargo bench -p alibabacloud-emulator --bench soak
//! SOAK_REPLAY_WINDOW_SECS=900 cargo bench -p alibabacloud-emulator --bench soak
//! ```
//!
//! Each request is `ListUserCertificateOrder` (`ShowSize=1`, read-only, on the seeded data)
//! signed with V3 and a fresh nonce, 16 in flight on one client. The run is bounded in
//! count (200,000) and in time (10 minutes, whichever comes first).
//!
//! The emulator must remember every nonce for as long as a request carrying it could
//! pass the timestamp check, so nonce memory is proportional to the requests of the last
//! two windows. 200,000 requests take well under the gateway's 15 minutes, so by default
//! the run uses a 5-second window (`SOAK_REPLAY_WINDOW_SECS`, in seconds): the run spans
//! many windows, and memory must be flat once the first windows have passed. With
//! `SOAK_REPLAY_WINDOW_SECS=900` every nonce of the run is still remembered at its end,
//! which measures what one remembered nonce costs.
//!
//! Run by `cargo bench` only (which passes `--bench`); built but skipped by `cargo test`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::Config;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_emulator::Emulator;

const TOTAL: u64 = 200_000;
const STEP: u64 = 20_000;
const IN_FLIGHT: usize = 16;
const TIME_LIMIT: Duration = Duration::from_secs(600);
const DEFAULT_WINDOW_SECS: u64 = 5;

/// Resident memory of this process in KiB, `None` where `/proc` is not there.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One reading: requests done, RSS, seconds since the start.
#[derive(Clone, Copy, Debug)]
struct Sample {
    done: u64,
    rss_kib: u64,
    secs: f64,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("soak: skipped (run it with `cargo bench -p alibabacloud-emulator --bench soak`)");
        return;
    }
    let window_secs = std::env::var("SOAK_REPLAY_WINDOW_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_WINDOW_SECS);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("soak: no runtime: {error}");
            std::process::exit(1);
        }
    };
    if let Err(error) = runtime.block_on(soak(Duration::from_secs(window_secs))) {
        eprintln!("soak: {error}");
        std::process::exit(1);
    }
}

async fn soak(window: Duration) -> Result<(), String> {
    let emulator = Emulator::builder()
        .replay_window(window)
        .start()
        .await
        .map_err(|e| format!("the emulator did not start: {e}"))?;
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .retry_policy(RetryPolicy::disabled())
        .build();
    let client = cas2020::Client::new(&config).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let claimed = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let samples = Arc::new(std::sync::Mutex::new(vec![Sample {
        done: 0,
        rss_kib: rss_kib().unwrap_or(0),
        secs: 0.0,
    }]));

    let mut workers = Vec::new();
    for _ in 0..IN_FLIGHT {
        let client = client.clone();
        let (claimed, done, failed, samples) = (
            Arc::clone(&claimed),
            Arc::clone(&done),
            Arc::clone(&failed),
            Arc::clone(&samples),
        );
        workers.push(tokio::spawn(async move {
            while claimed.fetch_add(1, Ordering::Relaxed) < TOTAL && started.elapsed() < TIME_LIMIT
            {
                let result = client
                    .list_user_certificate_order()
                    .show_size(1)
                    .send()
                    .await;
                if result.is_err() {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n % STEP == 0 {
                    let sample = Sample {
                        done: n,
                        rss_kib: rss_kib().unwrap_or(0),
                        secs: started.elapsed().as_secs_f64(),
                    };
                    samples
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(sample);
                }
            }
        }));
    }
    for worker in workers {
        worker.await.map_err(|e| e.to_string())?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = done.load(Ordering::Relaxed);
    let failed = failed.load(Ordering::Relaxed);
    let mut samples = samples
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    samples.sort_by_key(|s| s.done);

    println!(
        "soak: {total} requests (ListUserCertificateOrder, V3, {IN_FLIGHT} in flight), replay window {} s",
        window.as_secs()
    );
    println!(
        "{:>9} {:>10} {:>12} {:>9}",
        "requests", "RSS MiB", "Δ RSS KiB", "req/s"
    );
    let mut previous: Option<Sample> = None;
    for sample in &samples {
        let (delta, rate) = match previous {
            Some(p) => (
                format!("{:+}", sample.rss_kib as i64 - p.rss_kib as i64),
                format!(
                    "{:.0}",
                    (sample.done - p.done) as f64 / (sample.secs - p.secs).max(1e-9)
                ),
            ),
            None => (String::new(), String::new()),
        };
        println!(
            "{:>9} {:>10.1} {:>12} {:>9}",
            sample.done,
            sample.rss_kib as f64 / 1024.0,
            delta,
            rate
        );
        previous = Some(*sample);
    }
    println!(
        "soak: {:.1} s, {:.0} requests/s overall, {failed} failed; request log keeps {} of {} requests",
        elapsed,
        total as f64 / elapsed,
        emulator.requests().len(),
        emulator.request_count()
    );
    // Growth after warm-up: from the second reading (40,000 requests) to the last.
    if let (Some(warm), Some(last)) = (samples.get(2), samples.last()) {
        let grown = last.rss_kib as i64 - warm.rss_kib as i64;
        let requests = last.done.saturating_sub(warm.done).max(1);
        println!(
            "soak: RSS from {} to {} requests: {:+} KiB ({:.1} bytes per request)",
            warm.done,
            last.done,
            grown,
            grown as f64 * 1024.0 / requests as f64
        );
    }
    emulator.shutdown().await;
    if failed > 0 {
        return Err(format!("{failed} requests failed"));
    }
    Ok(())
}

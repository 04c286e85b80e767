//! Call counts and latency per operation, gathered by an interceptor: a hook on every
//! attempt of every call of a client, without touching the code that makes the calls.
//!
//! ```sh
//! cargo run -p sdk-examples --bin call_metrics -- --emulator
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibabacloud_cas_20200407 as cas;
use alibabacloud_core::interceptor::{AfterResponse, Interceptor};
use clap::Parser;
use sdk_examples::Target;

/// Makes a few calls and prints, per operation, the attempts, failures and latency seen.
#[derive(Parser)]
struct Args {
    /// Call a local emulator instead of the cloud.
    #[arg(long)]
    emulator: bool,
    /// How many rounds of calls to make.
    #[arg(long, default_value_t = 3)]
    rounds: u32,
}

/// What one operation's attempts added up to.
#[derive(Clone, Default)]
struct Tally {
    attempts: u32,
    failed: u32,
    total: Duration,
    slowest: Duration,
}

/// The interceptor: a tally per action, shared with whoever prints it.
#[derive(Clone, Default)]
struct Metrics(Arc<Mutex<BTreeMap<&'static str, Tally>>>);

impl Interceptor for Metrics {
    fn after_response(&self, response: &AfterResponse<'_>) {
        let mut tallies = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let tally = tallies.entry(response.operation.action).or_default();
        tally.attempts += 1;
        tally.failed += u32::from(response.error.is_some());
        tally.total += response.latency;
        tally.slowest = tally.slowest.max(response.latency);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let target = Target::connect(args.emulator, None).await?;
    let metrics = Metrics::default();
    let config = target
        .config
        .to_builder()
        .interceptor(metrics.clone())
        .build();
    let client = cas::Client::new(&config)?;
    for _ in 0..args.rounds {
        client
            .list_user_certificate_order()
            .show_size(10)
            .send()
            .await?;
        client.list_csr().send().await?;
        // A call that fails (no such certificate) is counted too.
        let _ = client.get_user_certificate_detail().cert_id(1).send().await;
    }

    println!(
        "{:<32} {:>8} {:>7} {:>10} {:>10}",
        "operation", "attempts", "failed", "mean ms", "max ms"
    );
    let tallies = metrics.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for (action, tally) in tallies {
        let mean = tally.total.as_secs_f64() * 1000.0 / f64::from(tally.attempts.max(1));
        println!(
            "{action:<32} {:>8} {:>7} {mean:>10.1} {:>10.1}",
            tally.attempts,
            tally.failed,
            tally.slowest.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

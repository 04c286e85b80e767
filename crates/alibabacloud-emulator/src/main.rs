//! `alibabacloud-emulator`: run the local Alibaba Cloud RPC gateway emulator.

#![deny(missing_docs)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use alibabacloud_emulator::{
    DEFAULT_REQUEST_LOG_CAPACITY, DataSet, Emulator, FaultSpec, Faults, Throttling,
};
use clap::Parser;

/// A local, signature-checking emulator of the Alibaba Cloud RPC gateway (CAS, BssOpenApi,
/// STS) on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "alibabacloud-emulator", version, about)]
struct Cli {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Serve this data set (JSON, as printed by --dump-data) instead of the seeded one.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Access key id to accept (with --access-key-secret).
    #[arg(long, requires = "access_key_secret")]
    access_key_id: Option<String>,
    /// Access key secret to accept (with --access-key-id).
    #[arg(long, requires = "access_key_id")]
    access_key_secret: Option<String>,
    /// Flow control per account and operation (400 Throttling.User beyond it): `off`,
    /// `documented` (each operation at its documented rate, e.g. 100/s for
    /// UploadUserCertificate) or a number of calls per second for every operation.
    #[arg(long, value_name = "off|documented|N", default_value_t = Throttling::Off)]
    throttle: Throttling,
    /// Inject a fault, for every request or for one action: [ACTION:]KIND=VALUE, KIND
    /// `fail` (503 ServiceUnavailable), `drop` (connection closed) or `truncate` (half a
    /// body) for the next VALUE requests, or `latency` (e.g. 250ms, 2s). Repeatable, e.g.
    /// --fault UploadUserCertificate:fail=2 --fault latency=50ms.
    #[arg(long = "fault", value_name = "SPEC")]
    faults: Vec<FaultSpec>,
    /// Requests kept in the request log (the most recent ones; 0 keeps none).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_REQUEST_LOG_CAPACITY)]
    request_log: usize,
    /// Close a connection that takes longer than this to send a request's headers or
    /// stays idle this long between requests (e.g. 30s, 500ms; 0: never).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    header_read_timeout: Duration,
    /// Answer 408 RequestTimeout and close the connection when a request's body has not
    /// arrived in full this long after its head (e.g. 30s, 500ms; 0: never).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    body_read_timeout: Duration,
    /// Refuse timestamps further than this from the clock (InvalidTimeStamp.Expired) and
    /// remember nonces this long (e.g. 15m, 90s).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    replay_window: Duration,
    /// Keep the data in this file: read at start if it exists (else written with the
    /// starting data), saved atomically after every write. Delete it to start afresh.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// How long each lifecycle step takes (a deployment job's, a certificate
    /// application's), e.g. 5s, 500ms.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    lifecycle_step: Duration,
    /// Print the data set as JSON (the --data file, or the seeded one) and exit.
    #[arg(long)]
    dump_data: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let data = match &cli.data {
        Some(path) => match DataSet::from_json_file(path) {
            Ok(data) => data,
            Err(error) => {
                eprintln!("alibabacloud-emulator: {error}");
                return ExitCode::from(2);
            }
        },
        None => DataSet::seeded(),
    };
    if cli.dump_data {
        println!("{}", data.to_json());
        return ExitCode::SUCCESS;
    }

    if cli.replay_window.is_zero() {
        eprintln!("alibabacloud-emulator: --replay-window must be longer than zero");
        return ExitCode::from(2);
    }
    let mut everything = Faults::default();
    let mut by_action: Vec<(String, Faults)> = Vec::new();
    for spec in &cli.faults {
        match &spec.action {
            None => spec.merge_into(&mut everything),
            Some(action) => match by_action.iter_mut().find(|(a, _)| a == action) {
                Some((_, faults)) => spec.merge_into(faults),
                None => by_action.push((action.clone(), spec.faults.clone())),
            },
        }
    }
    let mut builder = Emulator::builder()
        .port(cli.port)
        .data(data)
        .throttling(cli.throttle)
        .faults(everything)
        .request_log_capacity(cli.request_log)
        .header_read_timeout(Some(cli.header_read_timeout))
        .body_read_timeout(Some(cli.body_read_timeout))
        .replay_window(cli.replay_window);
    for (action, faults) in by_action {
        builder = builder.action_faults(action, faults);
    }
    builder = builder.lifecycle_step(cli.lifecycle_step);
    if let Some(path) = &cli.state {
        builder = builder.state_file(path);
    }
    if let (Some(id), Some(secret)) = (&cli.access_key_id, &cli.access_key_secret) {
        builder = builder.access_key(id, secret);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!(
                "alibabacloud-emulator: cannot start on 127.0.0.1:{}: {error}",
                cli.port
            );
            return ExitCode::FAILURE;
        }
    };
    let credentials = emulator.credentials();
    println!("alibabacloud-emulator listening on {}", emulator.endpoint());
    println!("  access key id:     {}", credentials.access_key_id());
    println!("  access key secret: {}", credentials.access_key_secret());
    println!("  account id:        {}", emulator.account_id());
    match cli.throttle {
        Throttling::Off => println!("  throttling:        off"),
        Throttling::Documented => {
            println!("  throttling:        each operation at its documented rate per account")
        }
        Throttling::PerOperation(n) => {
            println!("  throttling:        {n} calls/second per account and operation")
        }
    }
    if let Some(path) = &cli.state {
        println!("  state file:        {}", path.display());
    }
    for spec in &cli.faults {
        println!("  fault:             {spec}");
    }
    println!("  request log:       last {} requests", cli.request_log);
    match cli.header_read_timeout.as_millis() {
        0 => println!("  idle connections:  kept open"),
        ms => println!("  idle connections:  closed after {ms} ms"),
    }
    match cli.body_read_timeout.as_millis() {
        0 => println!("  request bodies:    waited for without limit"),
        ms => println!("  request bodies:    408 after {ms} ms"),
    }
    println!("  timestamp window:  {} s", cli.replay_window.as_secs_f64());
    println!(
        "  lifecycle step:    {} s",
        cli.lifecycle_step.as_secs_f64()
    );
    println!();
    println!("Point a client at it, e.g.:");
    println!(
        "  export ALIBABA_CLOUD_ACCESS_KEY_ID={}",
        credentials.access_key_id()
    );
    println!(
        "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET={}",
        credentials.access_key_secret()
    );
    println!("  Config::builder().endpoint(\"{}\")", emulator.endpoint());
    println!("Press Ctrl-C to stop.");

    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("alibabacloud-emulator: cannot wait for Ctrl-C: {error}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// Parses `30`, `30s`, `500ms`, `15m` (a bare number is seconds).
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit_ms) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000)
    } else {
        (text, 1000)
    };
    number
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_ms))
        .map(Duration::from_millis)
        .ok_or_else(|| format!("`{text}` is not a duration (e.g. 30s, 500ms, 15m)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        for bad in ["", "s", "1h", "-1s", "1.5s", "99999999999999999999m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_parse() {
        let cli = Cli::try_parse_from([
            "alibabacloud-emulator",
            "--throttle",
            "documented",
            "--fault",
            "UploadUserCertificate:fail=2",
            "--fault",
            "latency=5ms",
            "--request-log",
            "10",
            "--header-read-timeout",
            "2s",
            "--body-read-timeout",
            "500ms",
        ])
        .unwrap();
        assert_eq!(cli.throttle, Throttling::Documented);
        assert_eq!(cli.faults.len(), 2);
        assert_eq!(cli.request_log, 10);
        assert_eq!(cli.header_read_timeout, Duration::from_secs(2));
        assert_eq!(cli.body_read_timeout, Duration::from_millis(500));
        assert_eq!(cli.replay_window, Duration::from_secs(900));
        let defaults = Cli::try_parse_from(["alibabacloud-emulator"]).unwrap();
        assert_eq!(defaults.throttle, Throttling::Off);
        assert_eq!(defaults.request_log, DEFAULT_REQUEST_LOG_CAPACITY);
        assert_eq!(defaults.header_read_timeout, Duration::from_secs(30));
        assert_eq!(defaults.body_read_timeout, Duration::from_secs(30));
        for bad in [
            ["--throttle", "fast"],
            ["--fault", "boom=1"],
            ["--header-read-timeout", "soon"],
        ] {
            let args = std::iter::once("alibabacloud-emulator").chain(bad);
            assert!(Cli::try_parse_from(args).is_err(), "{bad:?}");
        }
    }
}

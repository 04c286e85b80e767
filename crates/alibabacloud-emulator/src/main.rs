//! `alibabacloud-emulator`: run the local Alibaba Cloud RPC gateway emulator.

#![deny(missing_docs)]

use std::path::PathBuf;
use std::process::ExitCode;

use alibabacloud_emulator::{DataSet, Emulator};
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
    /// Throttle each account to this many calls per second (Throttling.User).
    #[arg(long, value_name = "CALLS_PER_SECOND")]
    throttle: Option<u32>,
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

    let mut builder = Emulator::builder()
        .port(cli.port)
        .data(data)
        .throttle_per_second(cli.throttle);
    if let (Some(id), Some(secret)) = (&cli.access_key_id, &cli.access_key_secret) {
        builder = builder.access_key(id, secret);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!(
                "alibabacloud-emulator: cannot listen on 127.0.0.1:{}: {error}",
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
        Some(n) => println!("  throttling:        {n} calls/second per account"),
        None => println!("  throttling:        off"),
    }
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

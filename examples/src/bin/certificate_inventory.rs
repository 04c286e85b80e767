//! A certificate inventory: every certificate of the account, valid and expired, with its
//! days to expiry, soonest first; those that expire within `--within` days are flagged.
//!
//! ```sh
//! cargo run -p sdk-examples --bin certificate_inventory -- --within 30
//! cargo run -p sdk-examples --bin certificate_inventory -- --emulator
//! ```

use alibabacloud_cas_20200407 as cas;
use clap::Parser;
use futures::TryStreamExt;
use sdk_examples::Target;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Lists every certificate with its days to expiry.
#[derive(Parser)]
struct Args {
    /// Flag the certificates that expire within this many days.
    #[arg(long, default_value_t = 30)]
    within: i64,
    /// Call a local emulator instead of the cloud.
    #[arg(long)]
    emulator: bool,
    /// Region (otherwise the default chain's, or the global endpoint).
    #[arg(long)]
    region: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let target = Target::connect(args.emulator, args.region.as_deref()).await?;
    let client = cas::Client::new(&target.config)?;

    // Without a status the service lists the valid certificates; expired ones are asked
    // for on their own.
    let mut certificates = Vec::new();
    for status in [None, Some("EXPIRED")] {
        let mut request = client
            .list_user_certificate_order()
            .order_type("CERT")
            .show_size(100);
        if let Some(status) = status {
            request = request.status(status);
        }
        let page: Vec<_> = request.into_paginator().items().try_collect().await?;
        certificates.extend(page);
    }

    let today = OffsetDateTime::now_utc().date();
    let layout = format_description!("[year]-[month]-[day]");
    let mut rows: Vec<(i64, String, String, String)> = certificates
        .iter()
        .filter_map(|cert| {
            let end = cert.end_date.as_deref()?;
            let days = (Date::parse(end, layout).ok()? - today).whole_days();
            let name = cert.name.clone().unwrap_or_default();
            let domain = cert.common_name.clone().unwrap_or_default();
            Some((days, end.to_owned(), name, domain))
        })
        .collect();
    rows.sort();

    println!("{:>6}  {:<10}  {:<40}  DOMAIN", "DAYS", "EXPIRES", "NAME");
    for (days, end, name, domain) in &rows {
        let flag = match *days {
            d if d < 0 => "  expired",
            d if d <= args.within => "  expiring soon",
            _ => "",
        };
        println!("{days:>6}  {end:<10}  {name:<40}  {domain}{flag}");
    }
    let soon = rows
        .iter()
        .filter(|(d, ..)| (0..=args.within).contains(d))
        .count();
    let expired = rows.iter().filter(|(d, ..)| *d < 0).count();
    println!(
        "{} certificates: {soon} expire within {} days, {expired} expired",
        rows.len(),
        args.within
    );
    Ok(())
}

//! A monthly bill summary: what each product cost in a billing cycle, most expensive first,
//! from the instance bills (DescribeInstanceBill, paged by token).
//!
//! ```sh
//! cargo run -p sdk-examples --bin bill_summary -- --cycle 2026-11
//! cargo run -p sdk-examples --bin bill_summary -- --emulator
//! ```

use std::collections::BTreeMap;

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_core::wire::Decimal;
use clap::Parser;
use futures::TryStreamExt;
use sdk_examples::Target;
use time::OffsetDateTime;

/// Sums a billing cycle's instance bills per product.
#[derive(Parser)]
struct Args {
    /// The billing cycle, `YYYY-MM` (default: this month).
    #[arg(long)]
    cycle: Option<String>,
    /// Call a local emulator instead of the cloud.
    #[arg(long)]
    emulator: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let cycle = args.cycle.unwrap_or_else(|| {
        let today = OffsetDateTime::now_utc();
        format!("{:04}-{:02}", today.year(), u8::from(today.month()))
    });
    let target = Target::connect(args.emulator, None).await?;
    let client = bss::Client::new(&target.config)?;

    let items: Vec<_> = client
        .describe_instance_bill()
        .billing_cycle(&cycle)
        .max_results(100)
        .into_paginator()
        .items()
        .try_collect()
        .await?;

    // Amounts are exact decimals: the sums reconcile to the cent.
    let mut per_product: BTreeMap<String, (Decimal, usize)> = BTreeMap::new();
    for item in &items {
        let product = item.product_code.clone().unwrap_or_else(|| "(none)".into());
        let entry = per_product.entry(product).or_default();
        entry.0 += item.pretax_amount.unwrap_or_default();
        entry.1 += 1;
    }
    let mut rows: Vec<_> = per_product.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));

    let money = |amount: Decimal| format!("{:.2}", amount);
    println!("Bill summary for {cycle}");
    println!("{:<12} {:>9} {:>14}", "PRODUCT", "INSTANCES", "AMOUNT");
    for (product, (amount, count)) in &rows {
        println!("{product:<12} {count:>9} {:>14}", money(*amount));
    }
    let total: Decimal = rows.iter().map(|(_, (amount, _))| amount).sum();
    println!("{:<12} {:>9} {:>14}", "TOTAL", items.len(), money(total));
    Ok(())
}

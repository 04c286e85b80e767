//! Bills on the generated BssOpenApi client against the emulator: every billing answer
//! comes from one ledger, so the numbers agree with each other: the overview per product
//! is the sum of the bills, the monthly instance bill the sum of its daily ones (fetched
//! through the token paginator), and the balance the deposit less what was paid. Every
//! amount is an exact decimal, so the sums agree exactly, not after rounding to cents.

use std::collections::BTreeMap;

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_core::Config;
use alibabacloud_core::wire::Decimal;
use alibabacloud_emulator::{DataSet, Emulator};
use futures::TryStreamExt;

fn amount(amount: Option<Decimal>) -> Decimal {
    amount.unwrap_or_default()
}

#[tokio::test]
async fn bills_overview_instance_bills_and_balance_agree() {
    let data = DataSet::seeded();
    let cycle = data.ledger.instances[0].charges.last().unwrap().0.clone();
    let deposit = data.ledger.deposit_cents;
    let emulator = Emulator::builder().data(data).start().await.unwrap();
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build();
    let client = bss::Client::new(&config).unwrap();

    // QueryBill, every page: per product, the sum of its bills.
    let bills: Vec<_> = client
        .query_bill()
        .billing_cycle(&cycle)
        .page_size(5)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(bills.len(), 12, "one bill per instance");
    let mut per_product: BTreeMap<String, Decimal> = BTreeMap::new();
    for bill in &bills {
        *per_product
            .entry(bill.product_code.clone().unwrap())
            .or_default() += amount(bill.pretax_amount);
        assert_eq!(
            amount(bill.pretax_gross_amount) - amount(bill.invoice_discount),
            amount(bill.pretax_amount)
        );
    }

    // QueryBillOverview: the same sums.
    let overview = client
        .query_bill_overview()
        .billing_cycle(&cycle)
        .send()
        .await
        .unwrap();
    let mut overview_sums: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in overview.data.unwrap().items {
        *overview_sums.entry(row.product_code.unwrap()).or_default() += amount(row.pretax_amount);
    }
    assert_eq!(overview_sums, per_product);

    // DescribeInstanceBill, daily, through the token paginator: each instance's days add
    // up to its monthly bill.
    let days: Vec<_> = client
        .describe_instance_bill()
        .billing_cycle(&cycle)
        .granularity("DAILY")
        .max_results(50)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(days.len() > 50, "more than one page of daily rows");
    let mut daily: BTreeMap<String, Decimal> = BTreeMap::new();
    for day in &days {
        assert!(day.billing_date.as_deref().unwrap().starts_with(&cycle));
        *daily.entry(day.instance_id.clone().unwrap()).or_default() += amount(day.pretax_amount);
    }
    let monthly = client
        .query_instance_bill()
        .billing_cycle(&cycle)
        .page_size(100)
        .send()
        .await
        .unwrap();
    let monthly: BTreeMap<String, Decimal> = monthly
        .data
        .unwrap()
        .items
        .into_iter()
        .map(|row| (row.instance_id.unwrap(), amount(row.pretax_amount)))
        .collect();
    assert_eq!(daily, monthly);

    // The balance: the deposit less every cycle's payments.
    let mut paid = Decimal::ZERO;
    for back in 0..3 {
        let month = month_before(&cycle, back);
        let overview = client
            .query_bill_overview()
            .billing_cycle(month)
            .send()
            .await
            .unwrap();
        paid += overview
            .data
            .unwrap()
            .items
            .iter()
            .map(|row| amount(row.payment_amount))
            .sum::<Decimal>();
    }
    let balance = client.query_account_balance().send().await.unwrap();
    let available = balance.data.unwrap().available_amount.unwrap();
    assert_eq!(available, Decimal::new(deposit, 2) - paid);

    // A cycle that is not a month is refused.
    let bad = client
        .query_bill()
        .billing_cycle("2026-13")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some("InvalidParameter"));
}

/// `YYYY-MM`, `back` months before `cycle`.
fn month_before(cycle: &str, back: i32) -> String {
    let year: i32 = cycle[..4].parse().unwrap();
    let month: i32 = cycle[5..].parse().unwrap();
    let index = year * 12 + month - 1 - back;
    format!("{:04}-{:02}", index / 12, index % 12 + 1)
}

//! BssOpenApi 2017-12-14 bills, all from one ledger ([`crate::data::Ledger`]):
//! QueryAccountBalance, QueryBill, QueryBillOverview, QueryInstanceBill and
//! DescribeInstanceBill (token paging).
//!
//! Amounts are exact: the ledger keeps cents, bills print them with two decimals (numbers
//! where the schema has numbers, text where it has text). The overview of a product is the
//! sum of its instances' bills, an instance's monthly bill the sum of its daily ones, and
//! the balance the deposit less every payment.

use serde_json::{Map, Value, json};

use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::data::{BilledInstance, Ledger};
use crate::errors::ApiError;

/// Default `PageSize` / `MaxResults`.
const DEFAULT_PAGE_SIZE: i64 = 20;
/// Largest `PageSize` / `MaxResults` served.
const MAX_PAGE_SIZE: i64 = 300;

/// Cents as a JSON number with two decimals (`123.45`).
fn money(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

/// Cents as decimal text (`"123.45"`, `"-0.50"`).
fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// One instance's charge over a cycle or a day: list price and discount, in cents.
#[derive(Clone, Copy)]
struct Charge<'a> {
    instance: &'a BilledInstance,
    cycle: &'a str,
    /// `YYYY-MM-DD` for a daily charge.
    day: Option<u32>,
    list: i64,
    discount: i64,
}

impl Charge<'_> {
    fn pretax(&self) -> i64 {
        self.list - self.discount
    }

    /// The amount fields every bill row shares.
    fn amounts(&self, row: &mut Map<String, Value>) {
        let pretax = self.pretax();
        for (name, cents) in [
            ("PretaxGrossAmount", self.list),
            ("InvoiceDiscount", self.discount),
            ("PretaxAmount", pretax),
            ("PretaxAmountLocal", pretax),
            ("AfterTaxAmount", pretax),
            ("PaymentAmount", pretax),
            ("CashAmount", pretax),
            ("Tax", 0),
            ("AdjustAmount", 0),
            ("OutstandingAmount", 0),
            ("DeductedByCoupons", 0),
            ("DeductedByCashCoupons", 0),
            ("DeductedByPrepaidCard", 0),
        ] {
            row.insert(name.to_owned(), money(cents));
        }
        row.insert("RoundDownDiscount".to_owned(), json!("0"));
    }

    /// The fields that say what was billed.
    fn describe(&self, row: &mut Map<String, Value>, owner: &str) {
        let i = self.instance;
        let item = if i.subscription_type == "Subscription" {
            "SubscriptionOrder"
        } else {
            "PayAsYouGoBill"
        };
        for (name, value) in [
            ("ProductCode", i.product_code.as_str()),
            ("PipCode", i.product_code.as_str()),
            ("CommodityCode", i.product_code.as_str()),
            ("ProductType", i.product_code.as_str()),
            ("ProductName", i.product_name.as_str()),
            ("ProductDetail", i.product_name.as_str()),
            ("SubscriptionType", i.subscription_type.as_str()),
            ("Item", item),
            ("Currency", "CNY"),
            ("PaymentCurrency", "CNY"),
            ("OwnerID", owner),
        ] {
            row.insert(name.to_owned(), json!(value));
        }
    }
}

/// Days in a `YYYY-MM` cycle.
fn days_in(cycle: &str) -> u32 {
    let year: i32 = cycle.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let month: u32 = cycle.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Splits `cents` over `days` days exactly: the first `cents % days` days get a cent more.
fn share(cents: i64, days: u32, day: u32) -> i64 {
    let days = i64::from(days.max(1));
    cents / days + i64::from(i64::from(day) <= cents % days)
}

/// The billing cycle parameter, checked.
fn cycle<'a>(ctx: &'a Ctx<'_>) -> Result<&'a str, ApiError> {
    let cycle = ctx.text("BillingCycle").unwrap_or_default();
    let layout: String = cycle
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    if layout != "dddd-dd" || !(1..=12).contains(&cycle[5..].parse::<u32>().unwrap_or(0)) {
        return Err(ApiError::new(
            400,
            "InvalidParameter",
            format!("The BillingCycle {cycle:?} is not a month in the form YYYY-MM."),
        ));
    }
    Ok(cycle)
}

/// The monthly charges of `cycle`, filtered by `ProductCode`, `SubscriptionType` and
/// `InstanceID`.
fn monthly<'a>(ledger: &'a Ledger, ctx: &Ctx<'_>, cycle: &'a str) -> Vec<Charge<'a>> {
    ledger
        .instances
        .iter()
        .filter(|i| ctx.text("ProductCode").is_none_or(|p| i.product_code == p))
        .filter(|i| {
            ctx.text("SubscriptionType")
                .is_none_or(|s| i.subscription_type == s)
        })
        .filter(|i| ctx.text("InstanceID").is_none_or(|id| i.instance_id == id))
        .filter_map(|instance| {
            let (_, list, discount) = instance.charges.iter().find(|(c, ..)| c == cycle)?;
            Some(Charge {
                instance,
                cycle,
                day: None,
                list: *list,
                discount: *discount,
            })
        })
        .collect()
}

/// The monthly charges, or with `Granularity=DAILY` one per day (only `BillingDate`'s
/// when given).
fn instance_charges<'a>(
    ledger: &'a Ledger,
    ctx: &Ctx<'_>,
    cycle: &'a str,
) -> Result<Vec<Charge<'a>>, ApiError> {
    let months = monthly(ledger, ctx, cycle);
    if ctx.text("Granularity") != Some("DAILY") {
        return Ok(months);
    }
    let days = days_in(cycle);
    let only = match ctx.text("BillingDate") {
        None => None,
        Some(date) => match date.strip_prefix(cycle).and_then(|d| d.strip_prefix('-')) {
            Some(day) => Some(
                day.parse::<u32>()
                    .ok()
                    .filter(|d| (1..=days).contains(d))
                    .ok_or_else(|| {
                        ApiError::new(
                            400,
                            "InvalidParameter",
                            "The BillingDate is not a day of the BillingCycle.",
                        )
                    })?,
            ),
            None => {
                return Err(ApiError::new(
                    400,
                    "InvalidParameter",
                    "The BillingDate is not a day of the BillingCycle.",
                ));
            }
        },
    };
    Ok(months
        .iter()
        .flat_map(|m| {
            (1..=days)
                .filter(move |d| only.is_none_or(|o| o == *d))
                .map(move |day| Charge {
                    day: Some(day),
                    list: share(m.list, days, day),
                    discount: share(m.discount, days, day),
                    ..*m
                })
        })
        .collect())
}

fn account_name(account: &str) -> String {
    format!("emulator@{account}.onaliyun.com")
}

/// The `Data` fields every bill answer has.
fn header(account: &str, cycle: &str) -> Map<String, Value> {
    object(json!({
        "AccountID": account,
        "AccountName": account_name(account),
        "BillingCycle": cycle,
    }))
}

/// A success envelope around `data`.
fn answer(data: Map<String, Value>) -> Body {
    object(json!({
        "Code": "Success",
        "Message": "Successful!",
        "Success": true,
        "Data": data,
    }))
}

/// The `Data` of a page-numbered answer: the page `PageNum` / `PageSize` asks for of
/// `rows`, wrapped as `Items.Item`.
fn numbered_page(ctx: &Ctx<'_>, account: &str, cycle: &str, rows: &[Value]) -> Map<String, Value> {
    let current = ctx.int("PageNum", 1).max(1);
    let size = ctx
        .int("PageSize", DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let mut out = header(account, cycle);
    out.insert("PageNum".to_owned(), json!(current));
    out.insert("PageSize".to_owned(), json!(size));
    out.insert("TotalCount".to_owned(), json!(rows.len()));
    out.insert(
        "Items".to_owned(),
        json!({ "Item": page(rows, current, size) }),
    );
    out
}

/// QueryAccountBalance: the deposit less every payment in the ledger.
pub(crate) fn account_balance(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let ledger = &data.ledger;
    let paid: i64 = ledger
        .instances
        .iter()
        .flat_map(|i| &i.charges)
        .map(|(_, list, discount)| list - discount)
        .sum();
    let available = money_text(ledger.deposit_cents - paid);
    Ok(answer(object(json!({
        "AvailableAmount": available,
        "AvailableCashAmount": available,
        "CreditAmount": "0.00",
        "MybankCreditAmount": "0.00",
        "QuotaLimit": "0.00",
        "Currency": ledger.currency,
    }))))
}

/// QueryBill: one bill per instance of the cycle, paged by `PageNum` / `PageSize`.
pub(crate) fn bill(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cycle = cycle(ctx)?;
    let data = ctx.state.data();
    let account = data.account_id.clone();
    let hide_zero = ctx.text("IsHideZeroCharge") == Some("true");
    let rows: Vec<Value> = monthly(&data.ledger, ctx, cycle)
        .iter()
        .filter(|c| !hide_zero || c.pretax() != 0)
        .enumerate()
        .map(|(n, c)| {
            let mut row = Map::new();
            c.describe(&mut row, &account);
            c.amounts(&mut row);
            row.insert(
                "RecordID".to_owned(),
                json!(format!("{}{:04}", cycle.replace('-', ""), n + 1)),
            );
            row.insert(
                "SubOrderId".to_owned(),
                json!(format!("{}{:04}", cycle.replace('-', ""), n + 1)),
            );
            row.insert("Status".to_owned(), json!("PayFinish"));
            row.insert(
                "UsageStartTime".to_owned(),
                json!(format!("{cycle}-01 00:00:00")),
            );
            row.insert(
                "UsageEndTime".to_owned(),
                json!(format!("{cycle}-{:02} 23:59:59", days_in(cycle))),
            );
            row.insert(
                "PaymentTime".to_owned(),
                json!(format!("{cycle}-01 00:00:00")),
            );
            row.insert("PaymentTransactionID".to_owned(), json!(""));
            Value::Object(row)
        })
        .collect();
    Ok(answer(numbered_page(ctx, &account, cycle, &rows)))
}

/// QueryBillOverview: the cycle's bills summed per product and subscription type.
pub(crate) fn bill_overview(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cycle = cycle(ctx)?;
    let data = ctx.state.data();
    let account = data.account_id.clone();
    let mut sums: Vec<Charge<'_>> = Vec::new();
    for charge in monthly(&data.ledger, ctx, cycle) {
        let key = |c: &Charge<'_>| {
            (
                c.instance.product_code.clone(),
                c.instance.subscription_type.clone(),
            )
        };
        match sums.iter_mut().find(|s| key(s) == key(&charge)) {
            Some(sum) => {
                sum.list += charge.list;
                sum.discount += charge.discount;
            }
            None => sums.push(charge),
        }
    }
    let rows: Vec<Value> = sums
        .iter()
        .map(|c| {
            let mut row = Map::new();
            c.describe(&mut row, &account);
            c.amounts(&mut row);
            row.insert("BillAccountID".to_owned(), json!(account));
            row.insert("BillAccountName".to_owned(), json!(account_name(&account)));
            row.insert("BizType".to_owned(), json!("normal"));
            Value::Object(row)
        })
        .collect();
    let mut out = header(&account, cycle);
    out.insert("Items".to_owned(), json!({ "Item": rows }));
    Ok(answer(out))
}

/// An instance bill row (QueryInstanceBill, DescribeInstanceBill).
fn instance_row(c: &Charge<'_>, account: &str) -> Value {
    let mut row = Map::new();
    c.describe(&mut row, account);
    c.amounts(&mut row);
    let i = c.instance;
    let date = match c.day {
        Some(day) => format!("{}-{day:02}", c.cycle),
        None => c.cycle.to_owned(),
    };
    for (name, value) in [
        ("InstanceID", i.instance_id.clone()),
        ("Region", i.region.clone()),
        ("Zone", format!("{}-a", i.region)),
        ("BillingDate", date),
        ("BillingType", "Other".to_owned()),
        ("BillingItem", "Other".to_owned()),
        ("CostUnit", "Not allocated".to_owned()),
        ("ResourceGroup", "Default resource group".to_owned()),
        ("ListPrice", money_text(c.list)),
        ("ListPriceUnit", "CNY".to_owned()),
        ("DeductedByResourcePackage", "0".to_owned()),
        ("BillAccountID", account.to_owned()),
        ("BillAccountName", account_name(account)),
        ("BizType", "normal".to_owned()),
    ] {
        row.insert(name.to_owned(), json!(value));
    }
    Value::Object(row)
}

/// QueryInstanceBill: one row per instance (per day with `Granularity=DAILY`), paged by
/// `PageNum` / `PageSize`.
pub(crate) fn instance_bill(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cycle = cycle(ctx)?;
    let data = ctx.state.data();
    let account = data.account_id.clone();
    let rows: Vec<Value> = instance_charges(&data.ledger, ctx, cycle)?
        .iter()
        .map(|c| instance_row(c, &account))
        .collect();
    Ok(answer(numbered_page(ctx, &account, cycle, &rows)))
}

/// DescribeInstanceBill: the rows of [`instance_bill`], paged by `MaxResults` and an
/// opaque `NextToken` (empty on the last page). An unknown token is `InvalidParameter`.
pub(crate) fn describe_instance_bill(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cycle = cycle(ctx)?;
    let data = ctx.state.data();
    let account = data.account_id.clone();
    let rows: Vec<Value> = instance_charges(&data.ledger, ctx, cycle)?
        .iter()
        .map(|c| instance_row(c, &account))
        .collect();
    let size = ctx
        .int("MaxResults", DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let start = match ctx.text("NextToken") {
        None => 0,
        Some(token) => token
            .strip_prefix("emu-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= rows.len())
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "InvalidParameter",
                    "The NextToken is not one this API gave.",
                )
            })?,
    };
    let size = usize::try_from(size).unwrap_or(1);
    let end = (start + size).min(rows.len());
    let next = if end < rows.len() {
        format!("emu-{end}")
    } else {
        String::new()
    };
    let mut out = header(&account, cycle);
    out.insert("MaxResults".to_owned(), json!(size));
    out.insert("NextToken".to_owned(), json!(next));
    out.insert("TotalCount".to_owned(), json!(rows.len()));
    out.insert("Items".to_owned(), json!(rows[start..end]));
    Ok(answer(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_shares_add_up_to_the_month() {
        for (cents, days) in [(68_400, 31), (23_517, 30), (1, 28), (0, 29)] {
            let sum: i64 = (1..=days).map(|d| share(cents, days, d)).sum();
            assert_eq!(sum, cents);
        }
        assert_eq!(days_in("2024-02"), 29);
        assert_eq!(days_in("2026-02"), 28);
        assert_eq!(money_text(123_456), "1234.56");
        assert_eq!(money_text(-50), "-0.50");
    }
}

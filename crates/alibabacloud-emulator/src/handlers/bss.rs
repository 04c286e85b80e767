//! BssOpenApi 2017-12-14: QueryOrders and DescribeOrderList (the same call, the same data),
//! and CreateInstance, which adds an order to them.

use serde_json::json;

use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::clock;
use crate::data::BillingOrder;
use crate::data::ids::next_id_up_to;
use crate::errors::ApiError;

/// Default `PageSize` (the doc example's and recommended maximum).
const DEFAULT_PAGE_SIZE: i64 = 20;
/// Largest `PageSize` served; larger values are lowered to it.
const MAX_PAGE_SIZE: i64 = 300;
/// The default time window: the last hour.
const DEFAULT_WINDOW_MS: i64 = 3_600_000;

/// Reads one text field of an order.
type Field = fn(&BillingOrder) -> &str;

/// The `[start, end]` creation-time window in epoch milliseconds: both bounds when given;
/// only a start → up to now; only an end → the hour before it; neither → the last hour.
fn window(ctx: &Ctx<'_>) -> Result<(i64, i64), ApiError> {
    let parse = |name: &str| {
        ctx.text(name)
            .map(|v| clock::parse_iso(v).ok_or_else(|| ApiError::invalid(name)))
            .transpose()
    };
    let start = parse("CreateTimeStart")?;
    let end = parse("CreateTimeEnd")?;
    Ok(match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, ctx.now_ms),
        (None, Some(e)) => (e - DEFAULT_WINDOW_MS, e),
        (None, None) => (ctx.now_ms - DEFAULT_WINDOW_MS, ctx.now_ms),
    })
}

/// QueryOrders / DescribeOrderList: orders created in the window (see [`window`]),
/// filtered exactly by ProductCode, ProductType, SubscriptionType, OrderType and
/// PaymentStatus, newest first, paged by PageNum / PageSize (default 20), wrapped in
/// `Data.OrderList.Order`. An `OwnerId` other than the data set's account is
/// `400 InvalidOwner`.
pub(crate) fn query_orders(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    if let Some(owner) = ctx.text("OwnerId") {
        if owner != data.account_id {
            return Err(ApiError::new(
                400,
                "InvalidOwner",
                "The specified owner doesn't belong to caller.",
            ));
        }
    }
    let (start, end) = window(ctx)?;
    let filters: [(&str, Field); 5] = [
        ("ProductCode", |o| &o.product_code),
        ("ProductType", |o| &o.product_type),
        ("SubscriptionType", |o| &o.subscription_type),
        ("OrderType", |o| &o.order_type),
        ("PaymentStatus", |o| &o.payment_status),
    ];
    let mut orders: Vec<(i64, &BillingOrder)> = data
        .billing_orders
        .iter()
        .filter_map(|o| clock::parse_iso(&o.create_time).map(|t| (t, o)))
        .filter(|(t, _)| (start..=end).contains(t))
        .filter(|(_, o)| {
            filters
                .iter()
                .all(|(name, field)| ctx.text(name).is_none_or(|wanted| field(o) == wanted))
        })
        .collect();
    orders.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    let orders: Vec<&BillingOrder> = orders.into_iter().map(|(_, o)| o).collect();

    let page_num = ctx.int("PageNum", 1).max(1);
    let page_size = match ctx.int("PageSize", DEFAULT_PAGE_SIZE) {
        n if n < 1 => DEFAULT_PAGE_SIZE,
        n => n.min(MAX_PAGE_SIZE),
    };
    Ok(object(json!({
        "Code": "Success",
        "Message": "Successful!",
        "Success": true,
        "Data": {
            "HostName": "alibabacloud-emulator",
            "PageNum": page_num,
            "PageSize": page_size,
            "TotalCount": orders.len(),
            "OrderList": { "Order": page(&orders, page_num, page_size) },
        },
    })))
}

/// CreateInstance: buys an instance of `ProductCode`; the purchase is a new paid order
/// (`OrderType` New, 100.00 plus 6 % tax) that QueryOrders lists from then on.
pub(crate) fn create_instance(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let product = ctx.text("ProductCode").unwrap_or_default().to_owned();
    let mut data = ctx.state.data_mut();
    // Order IDs are text: any size an i64 holds.
    let next = next_id_up_to(
        data.billing_orders
            .iter()
            .filter_map(|o| o.order_id.parse::<i64>().ok()),
        220_000_000_001,
        i64::MAX,
    )
    .ok_or_else(|| ApiError::ids_exhausted("order"))?;
    let order_id = next.to_string();
    let instance_id = format!("{}-emu-{:x}", product.to_ascii_lowercase(), next);
    let now = clock::iso(ctx.now_ms);
    data.billing_orders.push(BillingOrder {
        order_id: order_id.clone(),
        related_order_id: String::new(),
        product_code: product.clone(),
        product_type: ctx.text("ProductType").unwrap_or_default().to_owned(),
        commodity_code: product,
        subscription_type: ctx
            .text("SubscriptionType")
            .unwrap_or("Subscription")
            .to_owned(),
        order_type: "New".to_owned(),
        payment_status: "Paid".to_owned(),
        create_time: now.clone(),
        payment_time: now,
        currency: "CNY".to_owned(),
        payment_currency: "CNY".to_owned(),
        pretax_gross_amount: "100.00".to_owned(),
        pretax_amount: "100.00".to_owned(),
        pretax_amount_local: "100.00".to_owned(),
        tax: "6.00".to_owned(),
        after_tax_amount: "106.00".to_owned(),
    });
    Ok(object(json!({
        "Code": "Success",
        "Message": "Successful!",
        "Success": true,
        "Data": { "OrderId": order_id, "InstanceId": instance_id },
    })))
}

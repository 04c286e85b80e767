//! Budgets, BssOpenApi 2023-09-30: CreateBudget, DescribeBudget, DescribeBudgets,
//! UpdateBudget, DeleteBudget and CheckBudgetNameExists keep budgets by name (unique; a
//! taken name is `400 NameRepeat`, an unknown one `404 InvalidBudgetName.NotFound`). The
//! structured parameters (`CycleQuota`, `QueryFilter`, `WarnConfs`, `EcIdAccountIds`, JSON
//! text on the wire) are kept as sent and answered back.

use serde_json::{Value, json};

use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::clock;
use crate::data::Budget;
use crate::errors::ApiError;

fn not_found(name: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidBudgetName.NotFound",
        format!("The specified budget {name:?} does not exist."),
    )
}

fn taken(name: &str) -> ApiError {
    ApiError::new(
        400,
        "NameRepeat",
        format!("A budget named {name:?} already exists."),
    )
}

/// A JSON parameter (validated as JSON already), `Null` when absent.
pub(crate) fn json_param(ctx: &Ctx<'_>, name: &str) -> Value {
    ctx.text(name)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}

/// `YYYY-MM`.
fn is_period(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit())
        && matches!(
            &text[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
}

/// The budget the request describes (`BudgetName` and every other field).
fn from_request(ctx: &Ctx<'_>, created_ms: i64) -> Result<Budget, ApiError> {
    let text = |name: &str| ctx.text(name).unwrap_or_default().to_owned();
    let (start, end) = (text("CycleStartPeriod"), text("CycleEndPeriod"));
    for (name, value) in [("CycleStartPeriod", &start), ("CycleEndPeriod", &end)] {
        if !is_period(value) {
            return Err(ApiError::new(
                400,
                format!("InvalidParameter.{name}"),
                format!("{name} must be a month, YYYY-MM, not {value:?}."),
            ));
        }
    }
    if start > end {
        return Err(ApiError::new(
            400,
            "InvalidParameter.CycleEndPeriod",
            "CycleEndPeriod is before CycleStartPeriod.",
        ));
    }
    Ok(Budget {
        budget_name: text("BudgetName"),
        budget_type: text("BudgetType"),
        comment: text("Comment"),
        cycle_type: text("CycleType"),
        cycle_start_period: start,
        cycle_end_period: end,
        metric: text("Metric"),
        quota: text("Quota"),
        quota_type: text("QuotaType"),
        cycle_quota: json_param(ctx, "CycleQuota"),
        query_filter: json_param(ctx, "QueryFilter"),
        warn_confs: json_param(ctx, "WarnConfs"),
        ec_id_account_ids: json_param(ctx, "EcIdAccountIds"),
        created_ms,
    })
}

/// CreateBudget.
pub(crate) fn create(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let budget = from_request(ctx, ctx.now_ms)?;
    let mut data = ctx.state.data_mut();
    if data
        .budgets
        .iter()
        .any(|b| b.budget_name == budget.budget_name)
    {
        return Err(taken(&budget.budget_name));
    }
    let name = budget.budget_name.clone();
    data.budgets.push(budget);
    Ok(object(json!({ "BudgetName": name })))
}

/// UpdateBudget: replaces the budget `OriginalBudgetName` (renamed to `BudgetName`).
pub(crate) fn update(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let original = ctx.text("OriginalBudgetName").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let index = data
        .budgets
        .iter()
        .position(|b| b.budget_name == original)
        .ok_or_else(|| not_found(original))?;
    let budget = from_request(ctx, data.budgets[index].created_ms)?;
    if budget.budget_name != original
        && data
            .budgets
            .iter()
            .any(|b| b.budget_name == budget.budget_name)
    {
        return Err(taken(&budget.budget_name));
    }
    let name = budget.budget_name.clone();
    data.budgets[index] = budget;
    Ok(object(json!({ "BudgetName": name })))
}

/// DeleteBudget.
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let name = ctx.text("BudgetName").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let before = data.budgets.len();
    data.budgets.retain(|b| b.budget_name != name);
    if data.budgets.len() == before {
        return Err(not_found(name));
    }
    Ok(object(json!({ "BudgetName": name })))
}

/// CheckBudgetNameExists.
pub(crate) fn name_exists(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let name = ctx.text("BudgetName").unwrap_or_default();
    let exists = ctx
        .state
        .data()
        .budgets
        .iter()
        .any(|b| b.budget_name == name);
    Ok(object(json!({ "BudgetName": name, "Exists": exists })))
}

/// `EXPIRED` once its last period has passed, else `NOT_EXPIRED`.
fn expire_status(budget: &Budget, now_ms: i64) -> &'static str {
    if budget.cycle_end_period.as_str() < &clock::date(now_ms)[..7] {
        "EXPIRED"
    } else {
        "NOT_EXPIRED"
    }
}

/// A budget as answered.
fn row(budget: &Budget, now_ms: i64) -> Body {
    let list = |value: &Value| match value {
        Value::Array(items) => Value::Array(items.clone()),
        _ => Value::Array(Vec::new()),
    };
    let warn_confs: Vec<Value> = match &budget.warn_confs {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut item = item.clone();
                if let Value::Object(map) = &mut item {
                    map.insert("Sequence".to_owned(), json!(i + 1));
                }
                item
            })
            .collect(),
        _ => Vec::new(),
    };
    let accounts = match &budget.ec_id_account_ids {
        Value::Array(items) => items.first().cloned().unwrap_or(json!({})),
        Value::Object(_) => budget.ec_id_account_ids.clone(),
        _ => json!({}),
    };
    object(json!({
        "BudgetName": budget.budget_name,
        "BudgetType": budget.budget_type,
        "Comment": budget.comment,
        "CycleType": budget.cycle_type,
        "CycleStartPeriod": budget.cycle_start_period,
        "CycleEndPeriod": budget.cycle_end_period,
        "Metric": budget.metric,
        "Quota": budget.quota,
        "QuotaType": budget.quota_type,
        "CycleQuota": list(&budget.cycle_quota),
        "QueryFilter": list(&budget.query_filter),
        "WarnConfs": warn_confs,
        "EcIdAccountIdsFilter": accounts,
        "ExpireStatus": expire_status(budget, now_ms),
    }))
}

/// DescribeBudget: one budget.
pub(crate) fn describe(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let name = ctx.text("BudgetName").unwrap_or_default();
    let data = ctx.state.data();
    let budget = data
        .budgets
        .iter()
        .find(|b| b.budget_name == name)
        .ok_or_else(|| not_found(name))?;
    let mut body = row(budget, ctx.now_ms);
    body.insert("Metadata".to_owned(), json!({}));
    Ok(body)
}

/// DescribeBudgets: budgets whose name contains `BudgetName`, of `BudgetType` and
/// `ExpireStatus`, oldest first; paged by `PageNo` / `PageSize` (default 10).
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let rows: Vec<Value> = data
        .budgets
        .iter()
        .filter(|b| {
            ctx.text("BudgetName")
                .is_none_or(|n| b.budget_name.contains(n))
        })
        .filter(|b| ctx.text("BudgetType").is_none_or(|t| b.budget_type == t))
        .filter(|b| {
            ctx.text("ExpireStatus")
                .is_none_or(|s| expire_status(b, ctx.now_ms) == s)
        })
        .map(|b| Value::Object(row(b, ctx.now_ms)))
        .collect();
    let current = ctx.int("PageNo", 1).max(1);
    let size = match ctx.int("PageSize", 10) {
        n if n < 1 => 10,
        n => n,
    };
    Ok(object(json!({
        "Data": page(&rows, current, size),
        "TotalCount": rows.len(),
        "CurrentPage": current,
        "PageSize": size,
    })))
}

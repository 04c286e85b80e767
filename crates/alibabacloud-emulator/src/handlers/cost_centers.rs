//! Cost centres and their rules, BssOpenApi 2023-09-30: a tree of cost centres per account
//! (`ParentCostCenterId` -1 at the top), each with at most one rule (a filter of the costs
//! it collects, kept as the JSON the caller sent).
//!
//! CreateCostCenter creates a batch (all or nothing: an unknown parent is
//! `404 InvalidParentCostCenterId.NotFound`, a name taken under the same parent
//! `400 NameRepeat`); ModifyCostCenter renames, answering `IsSuccess` per entry (false for
//! an unknown one or another owner's); DeleteCostCenter deletes a cost centre without
//! children (`400 OperationDenied.HasChildren`) and its rule. The rule operations need a
//! cost centre that exists (`404 InvalidCostCenterId.NotFound`); a second rule is
//! `400 OperationDenied.RuleExists`, a missing one `404 InvalidCostCenterRule.NotFound`.

use serde_json::{Value, json};

use super::budgets::json_param;
use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::clock;
use crate::data::ids::next_id;
use crate::data::{CostCenter, CostCenterRule, DataSet};
use crate::errors::ApiError;

fn not_found(id: i64) -> ApiError {
    ApiError::new(
        404,
        "InvalidCostCenterId.NotFound",
        format!("The specified cost center {id} does not exist."),
    )
}

fn metadata(mut body: Body) -> Body {
    body.insert("Metadata".to_owned(), json!({}));
    body
}

/// The objects of a JSON list parameter.
fn entities(ctx: &Ctx<'_>, name: &str) -> Result<Vec<serde_json::Map<String, Value>>, ApiError> {
    match json_param(ctx, name) {
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Ok(map),
                _ => Err(ApiError::invalid(name)),
            })
            .collect(),
        _ => Err(ApiError::invalid(name)),
    }
}

/// An integer field of an entity (a number or numeric text).
fn int_field(entity: &serde_json::Map<String, Value>, name: &str) -> Option<i64> {
    match entity.get(name)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text_field<'e>(entity: &'e serde_json::Map<String, Value>, name: &str) -> &'e str {
    entity.get(name).and_then(Value::as_str).unwrap_or_default()
}

fn is_top(parent: i64) -> bool {
    parent <= 0
}

/// CreateCostCenter: every entry of `CostCenterEntityList`, or none.
pub(crate) fn create(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let entries = entities(ctx, "CostCenterEntityList")?;
    let mut data = ctx.state.data_mut();
    let mut made: Vec<CostCenter> = Vec::new();
    for entry in &entries {
        let name = text_field(entry, "CostCenterName");
        if name.is_empty() {
            return Err(ApiError::missing("CostCenterName"));
        }
        let owner = int_field(entry, "OwnerAccountId")
            .ok_or_else(|| ApiError::missing("OwnerAccountId"))?;
        let parent = int_field(entry, "ParentCostCenterId").unwrap_or(-1);
        let known = |id: i64| {
            data.cost_centers.iter().any(|c| c.cost_center_id == id)
                || made.iter().any(|c| c.cost_center_id == id)
        };
        if !is_top(parent) && !known(parent) {
            return Err(ApiError::new(
                404,
                "InvalidParentCostCenterId.NotFound",
                format!("The parent cost center {parent} does not exist."),
            ));
        }
        let sibling_named = data
            .cost_centers
            .iter()
            .chain(&made)
            .any(|c| c.parent_cost_center_id == parent && c.cost_center_name == name);
        if sibling_named {
            return Err(ApiError::new(
                400,
                "NameRepeat",
                format!("A cost center named {name:?} already exists there."),
            ));
        }
        let id = next_id(
            data.cost_centers
                .iter()
                .chain(&made)
                .map(|c| c.cost_center_id),
            1,
        )
        .ok_or_else(|| ApiError::ids_exhausted("cost center"))?;
        made.push(CostCenter {
            cost_center_id: id,
            cost_center_name: name.to_owned(),
            owner_account_id: owner,
            parent_cost_center_id: if is_top(parent) { -1 } else { parent },
            created_ms: ctx.now_ms,
        });
    }
    let rows: Vec<Value> = made
        .iter()
        .map(|c| {
            json!({
                "CostCenterId": c.cost_center_id,
                "CostCenterName": c.cost_center_name,
                "OwnerAccountId": c.owner_account_id,
                "ParentCostCenterId": c.parent_cost_center_id,
            })
        })
        .collect();
    data.cost_centers.extend(made);
    Ok(metadata(object(json!({ "CostCenterDtoList": rows }))))
}

/// How deep a cost centre is (1 at the top).
fn level(data: &DataSet, center: &CostCenter) -> i64 {
    let mut level = 1;
    let mut parent = center.parent_cost_center_id;
    while !is_top(parent) && level < 64 {
        match data
            .cost_centers
            .iter()
            .find(|c| c.cost_center_id == parent)
        {
            Some(p) => parent = p.parent_cost_center_id,
            None => break,
        }
        level += 1;
    }
    level
}

/// QueryCostCenter: the children of `ParentCostCenterId` (-1: the top ones) that
/// `OwnerAccountId` owns, by ID; paged by `CurrentPage` / `PageSize`.
pub(crate) fn query(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let owner = ctx.int("OwnerAccountId", 0);
    let parent = ctx.int("ParentCostCenterId", -1);
    let data = ctx.state.data();
    let mut children: Vec<&CostCenter> = data
        .cost_centers
        .iter()
        .filter(|c| c.owner_account_id == owner)
        .filter(|c| {
            if is_top(parent) {
                is_top(c.parent_cost_center_id)
            } else {
                c.parent_cost_center_id == parent
            }
        })
        .collect();
    children.sort_by_key(|c| c.cost_center_id);
    let rows: Vec<Value> = children
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "CostCenterId": c.cost_center_id,
                "CostCenterName": c.cost_center_name,
                "CostCenterCode": format!("{}#", c.cost_center_id),
                "OwnerAccountId": c.owner_account_id,
                "ParentCostCenterId": c.parent_cost_center_id,
                "PrevCostCenterId": if i == 0 { -1 } else { children[i - 1].cost_center_id },
                "Level": level(&data, c),
                "Priority": i + 1,
            })
        })
        .collect();
    let current = ctx.int("CurrentPage", 1).max(1);
    let size = match ctx.int("PageSize", 20) {
        n if n < 1 => 20,
        n => n,
    };
    Ok(metadata(object(json!({
        "CostCenterDtoList": page(&rows, current, size),
        "TotalCount": rows.len(),
        "CurrentPage": current,
        "PageSize": size,
    }))))
}

/// ModifyCostCenter: renames each entry's cost centre; `IsSuccess` per entry.
pub(crate) fn modify(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let entries = entities(ctx, "CostCenterEntityList")?;
    let mut data = ctx.state.data_mut();
    let mut rows = Vec::new();
    for entry in &entries {
        let id = int_field(entry, "CostCenterId").unwrap_or_default();
        let owner = int_field(entry, "OwnerAccountId").unwrap_or_default();
        let name = text_field(entry, "CostCenterName");
        let center = data
            .cost_centers
            .iter_mut()
            .find(|c| c.cost_center_id == id && c.owner_account_id == owner);
        let ok = match center {
            Some(center) if !name.is_empty() => {
                center.cost_center_name = name.to_owned();
                true
            }
            _ => false,
        };
        rows.push(json!({ "CostCenterId": id, "OwnerAccountId": owner, "IsSuccess": ok }));
    }
    Ok(metadata(object(json!({ "CostCenterOperateDto": rows }))))
}

/// DeleteCostCenter: a cost centre without children, with its rule.
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let id = ctx.int("CostCenterId", 0);
    let owner = ctx.int("OwnerAccountId", 0);
    let mut data = ctx.state.data_mut();
    let index = data
        .cost_centers
        .iter()
        .position(|c| c.cost_center_id == id && c.owner_account_id == owner)
        .ok_or_else(|| not_found(id))?;
    if data
        .cost_centers
        .iter()
        .any(|c| c.parent_cost_center_id == id)
    {
        return Err(ApiError::new(
            400,
            "OperationDenied.HasChildren",
            format!("The cost center {id} has cost centers under it: delete them first."),
        ));
    }
    data.cost_centers.remove(index);
    data.cost_center_rules.retain(|r| r.cost_center_id != id);
    Ok(metadata(object(json!({
        "CostCenterId": id,
        "OwnerAccountId": owner,
        "IsSuccess": true,
    }))))
}

/// The cost centre `CostCenterId` names.
fn center(ctx: &Ctx<'_>, data: &DataSet) -> Result<CostCenter, ApiError> {
    let id = ctx
        .text("CostCenterId")
        .ok_or_else(|| ApiError::missing("CostCenterId"))?;
    let id = id.trim().parse::<i64>().unwrap_or_default();
    data.cost_centers
        .iter()
        .find(|c| c.cost_center_id == id)
        .cloned()
        .ok_or_else(|| not_found(id))
}

fn rule_not_found(id: i64) -> ApiError {
    ApiError::new(
        404,
        "InvalidCostCenterRule.NotFound",
        format!("The cost center {id} has no rule."),
    )
}

/// `FilterExpression` (optional in the metadata: `None` when absent).
fn filter_expression(ctx: &Ctx<'_>) -> Result<Option<Value>, ApiError> {
    match json_param(ctx, "FilterExpression") {
        value @ Value::Object(_) => Ok(Some(value)),
        Value::Null => Ok(None),
        _ => Err(ApiError::invalid("FilterExpression")),
    }
}

/// CreateCostCenterRule: the rule of a cost centre that has none; `Data` is its ID.
pub(crate) fn create_rule(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    let center = center(ctx, &data)?;
    let filter = filter_expression(ctx)?;
    if data
        .cost_center_rules
        .iter()
        .any(|r| r.cost_center_id == center.cost_center_id)
    {
        return Err(ApiError::new(
            400,
            "OperationDenied.RuleExists",
            format!(
                "The cost center {} has a rule already: modify it.",
                center.cost_center_id
            ),
        ));
    }
    let id = next_id(data.cost_center_rules.iter().map(|r| r.id), 30_000)
        .ok_or_else(|| ApiError::ids_exhausted("rule"))?;
    data.cost_center_rules.push(CostCenterRule {
        id,
        cost_center_id: center.cost_center_id,
        owner_account_id: center.owner_account_id,
        // Without a filter the rule collects nothing yet.
        filter_expression: filter.unwrap_or_else(|| json!({})),
        created_ms: ctx.now_ms,
        modified_ms: ctx.now_ms,
    });
    Ok(metadata(object(json!({ "Data": id }))))
}

/// QueryCostCenterRule: the rule of a cost centre.
pub(crate) fn query_rule(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let center = center(ctx, &data)?;
    let rule = data
        .cost_center_rules
        .iter()
        .find(|r| r.cost_center_id == center.cost_center_id)
        .ok_or_else(|| rule_not_found(center.cost_center_id))?;
    let mut root = center.clone();
    while !is_top(root.parent_cost_center_id) {
        match data
            .cost_centers
            .iter()
            .find(|c| c.cost_center_id == root.parent_cost_center_id)
        {
            Some(parent) => root = parent.clone(),
            None => break,
        }
    }
    // Times in the layout the service uses: `Tue Nov 12 14:49:43 UTC 2024`.
    let when = |ms: i64| {
        let t = clock::datetime(ms);
        let weekday = &t.weekday().to_string()[..3];
        let month = &t.month().to_string()[..3];
        format!(
            "{weekday} {month} {:02} {:02}:{:02}:{:02} UTC {}",
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.year()
        )
    };
    Ok(metadata(object(json!({
        "Id": rule.id,
        "CostCenterId": rule.cost_center_id,
        "OwnerAccountId": rule.owner_account_id,
        "RootCostCenterId": root.cost_center_id,
        "FilterExpression": rule.filter_expression,
        "GmtCreate": when(rule.created_ms),
        "GmtModified": when(rule.modified_ms),
        "IsDeleted": 0,
        "Status": "True",
    }))))
}

/// ModifyCostCenterRule: replaces the filter of a cost centre's rule (without one, only
/// its modification time changes).
pub(crate) fn modify_rule(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    let center = center(ctx, &data)?;
    let filter = filter_expression(ctx)?;
    let rule = data
        .cost_center_rules
        .iter_mut()
        .find(|r| r.cost_center_id == center.cost_center_id)
        .ok_or_else(|| rule_not_found(center.cost_center_id))?;
    if let Some(filter) = filter {
        rule.filter_expression = filter;
    }
    rule.modified_ms = ctx.now_ms;
    Ok(metadata(object(json!({ "Data": rule.id }))))
}

/// DeleteCostCenterRule: removes a cost centre's rule.
pub(crate) fn delete_rule(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    let center = center(ctx, &data)?;
    let index = data
        .cost_center_rules
        .iter()
        .position(|r| r.cost_center_id == center.cost_center_id)
        .ok_or_else(|| rule_not_found(center.cost_center_id))?;
    let rule = data.cost_center_rules.remove(index);
    Ok(metadata(object(json!({ "Data": rule.id }))))
}

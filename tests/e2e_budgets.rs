//! Budgets and cost centres on the generated BssOpenApi 2023-09-30 client against the
//! emulator: created, listed, described, changed and deleted with state; cost centres form
//! a tree and each takes one rule.

use alibabacloud_bssopenapi_20230930 as bss;
use alibabacloud_bssopenapi_20230930::create_budget::CycleQuota;
use alibabacloud_bssopenapi_20230930::create_cost_center::CostCenterEntity;
use alibabacloud_bssopenapi_20230930::create_cost_center_rule::{FilterExpression, FilterValues};
use alibabacloud_bssopenapi_20230930::modify_cost_center::CostCenterEntity as Rename;
use alibabacloud_core::Config;
use alibabacloud_emulator::{DataSet, Emulator, RunningEmulator};
use futures::TryStreamExt;

const OWNER: i64 = 1_234_567_890_123_456;

async fn start() -> (RunningEmulator, bss::Client) {
    let emulator = Emulator::builder()
        .data(DataSet::default())
        .start()
        .await
        .unwrap();
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build();
    let client = bss::Client::new(&config).unwrap();
    (emulator, client)
}

#[tokio::test]
async fn a_budget_is_created_listed_changed_and_deleted() {
    let (emulator, client) = start().await;
    let create = |name: &'static str, quota: &'static str| {
        client
            .create_budget()
            .budget_name(name)
            .budget_type("CONSUME")
            .cycle_type("MONTHLY")
            .cycle_start_period("2026-01")
            .cycle_end_period("2026-12")
            .metric("REQUIRE_AMOUNT")
            .quota_type("FIXED")
            .quota(quota)
            .cycle_quota([CycleQuota::default().cycle_period("2026-01").quota(quota)])
            .send()
    };
    let made = create("dev", "1000").await.unwrap();
    assert_eq!(made.budget_name.as_deref(), Some("dev"));
    create("ops", "500").await.unwrap();
    let taken = create("dev", "1").await.unwrap_err();
    assert_eq!(taken.code(), Some("NameRepeat"));
    let exists = |name: &'static str| client.check_budget_name_exists().budget_name(name).send();
    assert_eq!(exists("dev").await.unwrap().exists, Some(true));
    assert_eq!(exists("nope").await.unwrap().exists, Some(false));

    let described = client
        .describe_budget()
        .budget_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(described.quota.as_deref(), Some("1000"));
    assert_eq!(described.cycle_quota.len(), 1);
    assert_eq!(described.cycle_start_period.as_deref(), Some("2026-01"));
    let all = client.describe_budgets().send().await.unwrap();
    assert_eq!(all.total_count, Some(2));
    // One budget a page: the paginator turns PageNo until TotalCount budgets are seen.
    let names: Vec<_> = client
        .describe_budgets()
        .page_size(1)
        .into_paginator()
        .items()
        .map_ok(|b| b.budget_name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["dev", "ops"]);

    // Renamed and re-quoted.
    client
        .update_budget()
        .original_budget_name("dev")
        .budget_name("dev-2026")
        .budget_type("CONSUME")
        .cycle_type("MONTHLY")
        .cycle_start_period("2026-01")
        .cycle_end_period("2026-12")
        .metric("REQUIRE_AMOUNT")
        .quota_type("FIXED")
        .quota("2000")
        .send()
        .await
        .unwrap();
    assert_eq!(exists("dev").await.unwrap().exists, Some(false));
    let described = client
        .describe_budget()
        .budget_name("dev-2026")
        .send()
        .await
        .unwrap();
    assert_eq!(described.quota.as_deref(), Some("2000"));
    let bad_period = client
        .update_budget()
        .original_budget_name("dev-2026")
        .budget_name("dev-2026")
        .budget_type("CONSUME")
        .cycle_type("MONTHLY")
        .cycle_start_period("2026-13")
        .cycle_end_period("2026-12")
        .metric("REQUIRE_AMOUNT")
        .quota_type("FIXED")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_period.code(), Some("InvalidParameter.CycleStartPeriod"));

    client
        .delete_budget()
        .budget_name("ops")
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_budget()
        .budget_name("ops")
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("InvalidBudgetName.NotFound"));
    let all = client.describe_budgets().send().await.unwrap();
    assert_eq!(all.total_count, Some(1));
    emulator.shutdown().await;
}

#[tokio::test]
async fn cost_centres_form_a_tree_and_take_one_rule_each() {
    let (emulator, client) = start().await;
    let top = client
        .create_cost_center()
        .cost_center_entity_list([CostCenterEntity::default()
            .cost_center_name("Company")
            .owner_account_id(OWNER)
            .parent_cost_center_id(-1)])
        .send()
        .await
        .unwrap();
    let top_id = top.cost_center_dto_list[0].cost_center_id.unwrap();
    let children = client
        .create_cost_center()
        .cost_center_entity_list([
            CostCenterEntity::default()
                .cost_center_name("Engineering")
                .owner_account_id(OWNER)
                .parent_cost_center_id(top_id),
            CostCenterEntity::default()
                .cost_center_name("Sales")
                .owner_account_id(OWNER)
                .parent_cost_center_id(top_id),
        ])
        .send()
        .await
        .unwrap();
    let engineering = children.cost_center_dto_list[0].cost_center_id.unwrap();
    let orphan = client
        .create_cost_center()
        .cost_center_entity_list([CostCenterEntity::default()
            .cost_center_name("Lost")
            .owner_account_id(OWNER)
            .parent_cost_center_id(999_999)])
        .send()
        .await
        .unwrap_err();
    assert_eq!(orphan.code(), Some("InvalidParentCostCenterId.NotFound"));

    let query = |parent: i64| {
        client
            .query_cost_center()
            .owner_account_id(OWNER)
            .parent_cost_center_id(parent)
            .current_page(1)
            .page_size(20)
            .send()
    };
    let tops = query(-1).await.unwrap();
    assert_eq!(tops.total_count, Some(1));
    let under = query(top_id).await.unwrap();
    let names: Vec<_> = under
        .cost_center_dto_list
        .iter()
        .filter_map(|c| c.cost_center_name.clone())
        .collect();
    assert_eq!(names, ["Engineering", "Sales"]);
    assert_eq!(under.cost_center_dto_list[0].level, Some(2));

    let renamed = client
        .modify_cost_center()
        .cost_center_entity_list([
            Rename::default()
                .cost_center_id(engineering)
                .cost_center_name("R&D")
                .owner_account_id(OWNER),
            Rename::default()
                .cost_center_id(424_242)
                .cost_center_name("Nobody")
                .owner_account_id(OWNER),
        ])
        .send()
        .await
        .unwrap();
    let outcomes: Vec<_> = renamed
        .cost_center_operate_dto
        .iter()
        .map(|o| o.is_success)
        .collect();
    assert_eq!(outcomes, [Some(true), Some(false)]);
    let under = query(top_id).await.unwrap();
    assert_eq!(
        under.cost_center_dto_list[0].cost_center_name.as_deref(),
        Some("R&D")
    );

    // One rule per cost centre.
    let filter = |value: &str| {
        FilterExpression::default()
            .expression_type("NARY")
            .operator_type("AND")
            .filter_values(
                FilterValues::default()
                    .code(format!("TAG-{value}"))
                    .select_type("IN")
                    .values([value.to_owned()]),
            )
    };
    let rule = client
        .create_cost_center_rule()
        .cost_center_id(engineering)
        .filter_expression(filter("rd"))
        .send()
        .await
        .unwrap();
    let rule_id = rule.data.unwrap();
    let second = client
        .create_cost_center_rule()
        .cost_center_id(engineering)
        .filter_expression(filter("x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(second.code(), Some("OperationDenied.RuleExists"));
    let read = |client: &bss::Client| {
        client
            .query_cost_center_rule()
            .cost_center_id(engineering)
            .send()
    };
    let got = read(&client).await.unwrap();
    assert_eq!(got.id, Some(rule_id));
    assert_eq!(got.root_cost_center_id, Some(top_id));
    // (`Values` of this answer is documented as an enum of float kinds: the emulator
    // leaves tag values out of it; the code names the tag.)
    let code = got.filter_expression.unwrap().filter_values.unwrap().code;
    assert_eq!(code.as_deref(), Some("TAG-rd"));
    client
        .modify_cost_center_rule()
        .cost_center_id(engineering)
        .owner_account_id(OWNER)
        .filter_expression(filter("research"))
        .send()
        .await
        .unwrap();
    let got = read(&client).await.unwrap();
    let code = got.filter_expression.unwrap().filter_values.unwrap().code;
    assert_eq!(code.as_deref(), Some("TAG-research"));
    client
        .delete_cost_center_rule()
        .cost_center_id(engineering)
        .send()
        .await
        .unwrap();
    let none = read(&client).await.unwrap_err();
    assert_eq!(none.code(), Some("InvalidCostCenterRule.NotFound"));

    // A cost centre with children is not deleted; a leaf is.
    let denied = client
        .delete_cost_center()
        .cost_center_id(top_id)
        .owner_account_id(OWNER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Some("OperationDenied.HasChildren"));
    let deleted = client
        .delete_cost_center()
        .cost_center_id(engineering)
        .owner_account_id(OWNER)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.is_success, Some(true));
    assert_eq!(query(top_id).await.unwrap().total_count, Some(1));
    let unknown = client
        .delete_cost_center()
        .cost_center_id(engineering)
        .owner_account_id(OWNER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("InvalidCostCenterId.NotFound"));
    emulator.shutdown().await;
}

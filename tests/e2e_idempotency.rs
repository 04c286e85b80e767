//! ClientToken on the generated BssOpenApi client against the emulator: a write whose
//! answer was lost is retried by the SDK with the same token, and the emulator answers the
//! first result instead of applying it again: exactly one order is created. Reusing a
//! token with other parameters is refused.

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_core::Config;
use alibabacloud_emulator::{Emulator, Faults, InjectedFault, RunningEmulator};

async fn start() -> (RunningEmulator, bss::Client) {
    let emulator = Emulator::start().await.unwrap();
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build();
    let client = bss::Client::new(&config).unwrap();
    (emulator, client)
}

/// The orders of `product` created in the last hour, through QueryOrders.
async fn orders(client: &bss::Client, product: &str) -> Vec<String> {
    let answer = client
        .query_orders()
        .product_code(product)
        .page_size(100)
        .send()
        .await
        .unwrap();
    answer
        .data
        .map(|d| d.order_list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.order_id)
        .collect()
}

#[tokio::test]
async fn a_lost_answer_is_retried_with_the_same_token_and_applied_once() {
    let (emulator, client) = start().await;
    // The first answer is cut short after the order was made.
    emulator.set_action_faults(
        "CreateInstance",
        Faults {
            truncate_next: 1,
            ..Faults::default()
        },
    );
    let created = client
        .create_instance()
        .product_code("snapshot")
        .subscription_type("Subscription")
        .send()
        .await
        .expect("the SDK retries an idempotent write");
    let order = created.data.and_then(|d| d.order_id).unwrap();

    let attempts: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.action.as_deref() == Some("CreateInstance"))
        .collect();
    assert_eq!(attempts.len(), 2, "the first attempt and one retry");
    assert_eq!(attempts[0].fault, Some(InjectedFault::Truncated));
    assert_eq!(attempts[1].status, 200);
    assert_eq!(orders(&client, "snapshot").await, [order], "applied once");
}

#[tokio::test]
async fn a_token_replays_its_answer_and_refuses_other_parameters() {
    let (_emulator, client) = start().await;
    let create = |token: &'static str, product: &'static str| {
        client
            .create_instance()
            .client_token(token)
            .product_code(product)
            .subscription_type("Subscription")
            .send()
    };
    let first = create("token-1", "snapshot").await.unwrap();
    let again = create("token-1", "snapshot").await.unwrap();
    let id = |r: &bss::create_instance::CreateInstanceResponse| {
        r.data.as_ref().and_then(|d| d.order_id.clone())
    };
    assert_eq!(id(&first), id(&again));
    assert_eq!(orders(&client, "snapshot").await.len(), 1);

    let other = create("token-1", "oss").await.unwrap_err();
    assert_eq!(other.code(), Some("IdempotentParameterMismatch"));
    let fresh = create("token-2", "snapshot").await.unwrap();
    assert_ne!(id(&fresh), id(&first));
    assert_eq!(orders(&client, "snapshot").await.len(), 2);
}

//! BssOpenApi 2017-12-14 `QueryOrders` / `DescribeOrderList` end to end against the emulator:
//! the paginator over a multi-page window, the exact filters, and the time window
//! (`CreateTimeStart` / `CreateTimeEnd` and their defaults), each checked against the seeded
//! ledger.

mod e2e;

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, SystemTime};

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_emulator::data::BillingOrder;
use alibabacloud_emulator::{DataSet, Emulator};
use e2e::{
    DAY, Fixture, HOUR, TEST_LIMIT, assert_distinct_nonces, billing_data_row, billing_row, bounded,
    iso, parse_iso,
};
use futures::TryStreamExt;

#[tokio::test]
async fn query_orders_paginator_walks_a_multi_page_window() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = bss::Client::new(&fx.config().build()).unwrap();
        let start = iso(fx.now - 30 * DAY);
        let expected = fx.billing_since(&start);
        const SIZE: usize = 25;
        let n_pages = expected.len().div_ceil(SIZE);
        assert!(
            n_pages >= 3,
            "the window spans several pages: {}",
            expected.len()
        );

        let pages: Vec<_> = client
            .query_orders()
            .create_time_start(start.clone())
            .page_size(SIZE as i32)
            .into_paginator()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), n_pages);
        for (i, page) in pages.iter().enumerate() {
            let data = page.data.as_ref().unwrap();
            // What the emulator read from PageNum / PageSize, and the rows it served.
            assert_eq!(data.page_num, Some(i as i32 + 1));
            assert_eq!(data.page_size, Some(SIZE as i32));
            assert_eq!(data.total_count, Some(expected.len() as i32));
            let got: Vec<_> = data.order_list.iter().map(|r| billing_row!(r)).collect();
            let want: Vec<_> = expected
                .iter()
                .skip(i * SIZE)
                .take(SIZE)
                .map(|o| billing_data_row(o))
                .collect();
            assert_eq!(got, want, "page {}", i + 1);
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), n_pages);
        assert!(
            log.iter()
                .all(|r| r.status == 200 && r.action.as_deref() == Some("QueryOrders"))
        );
        assert_distinct_nonces(&log);

        let items: Vec<_> = client
            .query_orders()
            .create_time_start(start.clone())
            .page_size(SIZE as i32)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items.len(), expected.len());
        let ids: HashSet<_> = items.iter().map(|o| o.order_id.clone().unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "no duplicates");

        // DescribeOrderList pages the same orders.
        let same: Vec<_> = client
            .describe_order_list()
            .create_time_start(start)
            .page_size(SIZE as i32)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let a: Vec<_> = items.iter().map(|o| o.order_id.clone()).collect();
        let b: Vec<_> = same.iter().map(|o| o.order_id.clone()).collect();
        assert_eq!(a, b);
        fx.emulator.shutdown().await;
    })
    .await;
}

type QuerySetter = fn(
    bss::query_orders::QueryOrdersFluentBuilder,
    &str,
) -> bss::query_orders::QueryOrdersFluentBuilder;
type BillingField = fn(&BillingOrder) -> &str;

/// Every page of a QueryOrders call: the reported total and the order ids, in order.
async fn query_all(
    call: bss::query_orders::QueryOrdersFluentBuilder,
) -> (Option<i32>, Vec<String>) {
    let pages: Vec<_> = call
        .page_size(100)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let total = pages[0].data.as_ref().and_then(|d| d.total_count);
    let ids = pages
        .into_iter()
        .flat_map(|p| p.data.map(|d| d.order_list).unwrap_or_default())
        .map(|o| o.order_id.unwrap())
        .collect();
    (total, ids)
}

#[tokio::test]
async fn query_orders_filters_and_time_window() {
    bounded(TEST_LIMIT, async {
        // Probes at the edges of the windows below: a minute outside the default hour, one
        // in the future, and around the end of an older window.
        let probe = |data: &DataSet, id: &str, at: SystemTime| BillingOrder {
            order_id: id.to_owned(),
            create_time: iso(at),
            ..data.billing_orders[0].clone()
        };
        let fx = Fixture::with_data(Emulator::builder(), |data, now| {
            let mut seeded = data.billing_orders.clone();
            seeded.sort_by(|a, b| b.create_time.cmp(&a.create_time));
            let pivot = parse_iso(&seeded[40].create_time);
            let probes = [
                probe(
                    data,
                    "9900000000000001",
                    now - HOUR - Duration::from_secs(60),
                ),
                probe(data, "9900000000000002", now + Duration::from_secs(600)),
                probe(
                    data,
                    "9900000000000003",
                    pivot - HOUR + Duration::from_secs(60),
                ),
                probe(
                    data,
                    "9900000000000004",
                    pivot - HOUR - Duration::from_secs(60),
                ),
            ];
            data.billing_orders.extend(probes);
        })
        .await;
        let client = bss::Client::new(&fx.config().build()).unwrap();
        let start = iso(fx.now - 91 * DAY);
        let all = fx.billing_since(&start);
        assert_eq!(
            all.len(),
            fx.data.billing_orders.len() - 1,
            "all but the future probe"
        );
        let ids = |orders: &[&BillingOrder]| {
            orders
                .iter()
                .map(|o| o.order_id.clone())
                .collect::<Vec<_>>()
        };

        // Each exact filter, with every value the data holds: the served orders are the
        // matching ones, and the values of one filter partition the orders.
        let filters: [(&str, QuerySetter, BillingField); 4] = [
            ("ProductCode", |b, v| b.product_code(v), |o| &o.product_code),
            (
                "SubscriptionType",
                |b, v| b.subscription_type(v),
                |o| &o.subscription_type,
            ),
            ("OrderType", |b, v| b.order_type(v), |o| &o.order_type),
            (
                "PaymentStatus",
                |b, v| b.payment_status(v),
                |o| &o.payment_status,
            ),
        ];
        for (name, set, field) in filters {
            let values: BTreeSet<&str> = all
                .iter()
                .map(|o| field(o))
                .filter(|v| !v.is_empty())
                .collect();
            assert!(values.len() >= 2, "{name}: {values:?}");
            let mut covered = 0;
            for value in values {
                let (total, got) = query_all(set(
                    client.query_orders().create_time_start(start.clone()),
                    value,
                ))
                .await;
                let want: Vec<_> = all
                    .iter()
                    .filter(|o| field(o) == value)
                    .map(|o| o.order_id.clone())
                    .collect();
                assert_eq!(got, want, "{name}={value}");
                assert_eq!(total, Some(want.len() as i32), "{name}={value}");
                covered += want.len();
            }
            let unset = all.iter().filter(|o| field(o).is_empty()).count();
            assert_eq!(covered + unset, all.len(), "{name}");
        }
        // Filters combine.
        let (_, got) = query_all(
            client
                .query_orders()
                .create_time_start(start.clone())
                .product_code("ecs")
                .payment_status("Paid"),
        )
        .await;
        let want: Vec<_> = all
            .iter()
            .filter(|o| o.product_code == "ecs" && o.payment_status == "Paid")
            .map(|o| o.order_id.clone())
            .collect();
        assert!(!want.is_empty());
        assert_eq!(got, want);

        // No CreateTimeStart/End: the last hour (not the probe a minute before it, not the
        // one in the future).
        let (total, got) = query_all(client.query_orders()).await;
        let want = ids(&fx.billing_since(&iso(fx.now - HOUR)));
        assert_eq!(
            want.len(),
            6,
            "the seeded data has 6 orders within the last hour"
        );
        assert_eq!((total, got), (Some(6), want));

        // Only a start: from it until now (not the future probe).
        let seeded: Vec<&BillingOrder> = all
            .iter()
            .filter(|o| !o.order_id.starts_with("99000000"))
            .copied()
            .collect();
        let pivot = seeded[40];
        let (_, got) = query_all(
            client
                .query_orders()
                .create_time_start(pivot.create_time.clone()),
        )
        .await;
        let want = ids(&fx.billing_since(&pivot.create_time));
        assert!(want.len() > 40 && !want.contains(&"9900000000000002".to_owned()));
        assert_eq!(got, want);

        // Only an end: the hour before it (the probe a minute inside, not the one outside).
        let end = &pivot.create_time;
        let hour_before = iso(parse_iso(end) - HOUR);
        let (_, got) = query_all(client.query_orders().create_time_end(end.clone())).await;
        let want: Vec<_> = all
            .iter()
            .filter(|o| o.create_time >= hour_before && o.create_time <= *end)
            .map(|o| o.order_id.clone())
            .collect();
        assert!(want.contains(&pivot.order_id) && want.contains(&"9900000000000003".to_owned()));
        assert!(!want.contains(&"9900000000000004".to_owned()));
        assert_eq!(got, want);
        fx.emulator.shutdown().await;
    })
    .await;
}

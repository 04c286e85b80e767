//! CAS 2018-07-13 `DescribeOrderInstanceList` end to end against the emulator: its paginator
//! advances `StartIndex` by the server's page size of 10, from any offset, and stops at the
//! total.

mod e2e;

use std::collections::HashSet;

use alibabacloud_cas_20180713 as cas2018;
use e2e::{Fixture, TEST_LIMIT, assert_distinct_nonces, bounded};
use futures::TryStreamExt;

#[tokio::test]
async fn describe_order_instance_list_paginator_advances_start_index() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = cas2018::Client::new(&fx.config().build()).unwrap();
        let all = &fx.data.order_instances;
        // The server's page size is 10.
        let n_pages = all.len().div_ceil(10);
        assert!(n_pages > 3);

        let pages: Vec<_> = client
            .describe_order_instance_list()
            .start_index(0)
            .into_paginator()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), n_pages);
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(page.total_count, Some(all.len() as i32));
            // The rows at offset 10·i: the emulator read StartIndex = 10·i.
            let got: Vec<_> = page
                .order_list
                .iter()
                .map(|r| r.instance_id.clone().unwrap())
                .collect();
            let want: Vec<_> = all
                .iter()
                .skip(i * 10)
                .take(10)
                .map(|r| r.instance_id.clone())
                .collect();
            assert_eq!(got, want, "page {}", i + 1);
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), n_pages);
        assert!(
            log.iter().all(
                |r| r.status == 200 && r.action.as_deref() == Some("DescribeOrderInstanceList")
            )
        );
        assert_distinct_nonces(&log);

        let items: Vec<_> = client
            .describe_order_instance_list()
            .start_index(0)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(Some(items.len() as i32), pages[0].total_count);
        let ids: HashSet<_> = items.iter().map(|r| r.id.unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "no duplicates");
        let want: Vec<_> = all.iter().map(|r| Some(r.id)).collect();
        assert_eq!(items.iter().map(|r| r.id).collect::<Vec<_>>(), want);

        // From an offset that is not a multiple of the page size: the paginator stops at
        // the total without asking for an empty page.
        let before = fx.emulator.requests().len();
        let tail: Vec<_> = client
            .describe_order_instance_list()
            .start_index(5)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let want: Vec<_> = all[5..].iter().map(|r| Some(r.id)).collect();
        assert_eq!(tail.iter().map(|r| r.id).collect::<Vec<_>>(), want);
        let pages_needed = (all.len() - 5).div_ceil(10);
        assert_eq!(fx.emulator.requests().len() - before, pages_needed);
        fx.emulator.shutdown().await;
    })
    .await;
}

//! CAS 2020-04-07 `ListUserCertificateOrder` end to end against the emulator: its paginator
//! over every page (orders, BUY orders from a later page, certificates) and its documented
//! filters (OrderType, Status, Keyword), each result checked against the seeded data.

mod e2e;

use std::collections::HashSet;

use alibabacloud_cas_20200407 as cas2020;
use e2e::{Fixture, TEST_LIMIT, assert_distinct_nonces, assert_order_row, bounded};
use futures::TryStreamExt;

#[tokio::test]
async fn list_user_certificate_order_paginator_walks_every_page() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = cas2020::Client::new(&fx.config().build()).unwrap();
        let expected = fx.orders("cpack");
        const SIZE: usize = 7;
        let n_pages = expected.len().div_ceil(SIZE);
        assert!(n_pages > 3);

        let pages: Vec<_> = client
            .list_user_certificate_order()
            .show_size(SIZE as i64)
            .into_paginator()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), n_pages);
        for (i, page) in pages.iter().enumerate() {
            // The page the emulator read from CurrentPage / ShowSize, and the rows it served.
            assert_eq!(page.current_page, Some(i as i64 + 1));
            assert_eq!(page.show_size, Some(SIZE as i64));
            assert_eq!(page.total_count, Some(expected.len() as i64));
            let got: Vec<_> = page.certificate_order_list.iter().map(|r| r.order_id).collect();
            let want: Vec<_> = expected.iter().skip(i * SIZE).take(SIZE).map(|o| Some(o.order_id)).collect();
            assert_eq!(got, want, "page {}", i + 1);
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), n_pages, "one request per page");
        assert!(log.iter().all(|r| r.status == 200 && r.action.as_deref() == Some("ListUserCertificateOrder")));
        assert_distinct_nonces(&log);

        let mark = fx.mark();
        let items: Vec<_> = client
            .list_user_certificate_order()
            .show_size(SIZE as i64)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(Some(items.len() as i64), pages[0].total_count);
        let ids: HashSet<_> = items.iter().map(|r| r.order_id.unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "no duplicates");
        for (row, want) in items.iter().zip(&expected) {
            assert_order_row(row, want);
        }
        assert_eq!(fx.since(mark).len(), n_pages);

        // A paginator starts at the page it was given: BUY orders from page 2 of 25.
        let buy = fx.orders("buy");
        let tail: Vec<_> = client
            .list_user_certificate_order()
            .order_type("BUY")
            .show_size(25)
            .current_page(2)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let got: Vec<_> = tail.iter().map(|r| r.order_id.unwrap()).collect();
        let want: Vec<_> = buy[25..].iter().map(|o| o.order_id).collect();
        assert_eq!(got, want);

        // Certificates page the same way: every valid certificate, 20 at a time.
        let mark = fx.mark();
        let certs: Vec<_> = client
            .list_user_certificate_order()
            .order_type("CERT")
            .show_size(20)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let got: Vec<_> = certs.iter().map(|c| c.certificate_id.unwrap()).collect();
        let valid = fx.certificates(false, &["ISSUED", "WILLEXPIRED"]);
        let want: Vec<_> = valid.iter().map(|c| c.certificate_id).collect();
        assert_eq!(got, want);
        assert_eq!(fx.since(mark).len(), valid.len().div_ceil(20));
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn list_user_certificate_order_filters() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = cas2020::Client::new(&fx.config().build()).unwrap();
        // Everything on one page.
        const ALL: i64 = 1000;
        let order_ids =
            |rows: &[cas2020::list_user_certificate_order::CertificateOrder]| -> Vec<i64> {
                rows.iter().map(|r| r.order_id.unwrap()).collect()
            };
        let cert_ids =
            |rows: &[cas2020::list_user_certificate_order::CertificateOrder]| -> Vec<i64> {
                rows.iter().map(|r| r.certificate_id.unwrap()).collect()
            };

        // OrderType CPACK (also the default) and BUY: every order of that source.
        for (order_type, source) in [
            (None, "cpack"),
            (Some("CPACK"), "cpack"),
            (Some("BUY"), "buy"),
        ] {
            let mut call = client.list_user_certificate_order().show_size(ALL);
            if let Some(order_type) = order_type {
                call = call.order_type(order_type);
            }
            let page = call.send().await.unwrap();
            let want: Vec<_> = fx.orders(source).iter().map(|o| o.order_id).collect();
            assert_eq!(page.total_count, Some(want.len() as i64), "{order_type:?}");
            assert_eq!(
                order_ids(&page.certificate_order_list),
                want,
                "{order_type:?}"
            );
        }
        assert_eq!(
            fx.orders("cpack").len() + fx.orders("buy").len(),
            fx.data.certificate_orders.len()
        );

        // Status, for CPACK and BUY: exactly the orders in that status.
        let statuses = cas2020::list_user_certificate_order::CertificateStatusFilter::VALUES;
        for (order_type, source) in [("CPACK", "cpack"), ("BUY", "buy")] {
            for status in statuses {
                let page = client
                    .list_user_certificate_order()
                    .order_type(order_type)
                    .status(*status)
                    .show_size(ALL)
                    .send()
                    .await
                    .unwrap();
                let want: Vec<_> = fx
                    .orders(source)
                    .iter()
                    .filter(|o| o.status == *status)
                    .map(|o| o.order_id)
                    .collect();
                assert!(
                    !want.is_empty(),
                    "the data has {order_type} orders in {status}"
                );
                assert_eq!(
                    order_ids(&page.certificate_order_list),
                    want,
                    "{order_type} {status}"
                );
                assert_eq!(page.total_count, Some(want.len() as i64));
            }
        }

        // CERT with an empty Status: only the valid certificates (ISSUED + WILLEXPIRED).
        let page = client
            .list_user_certificate_order()
            .order_type("CERT")
            .show_size(ALL)
            .send()
            .await
            .unwrap();
        let valid = fx.certificates(false, &["ISSUED", "WILLEXPIRED"]);
        assert!(!valid.is_empty() && valid.len() < fx.data.certificates.len());
        assert_eq!(
            cert_ids(&page.certificate_order_list),
            valid.iter().map(|c| c.certificate_id).collect::<Vec<_>>()
        );
        assert_eq!(page.total_count, Some(valid.len() as i64));
        for (row, want) in page.certificate_order_list.iter().zip(&valid) {
            assert_eq!(row.expired, Some(false));
            assert_eq!(row.instance_id.as_deref(), Some(want.instance_id.as_str()));
            assert_eq!(row.common_name.as_deref(), Some(want.common_name.as_str()));
            assert_eq!(row.sans.as_deref(), Some(want.sans.as_str()));
            assert_eq!(row.end_date.as_deref(), Some(want.end_date.as_str()));
            assert_eq!(row.upload, Some(want.upload));
            assert_eq!(row.order_id, None, "certificate rows carry no order fields");
        }

        // CERT and UPLOAD with each certificate status; an order-only status finds nothing.
        for (order_type, upload_only) in [("CERT", false), ("UPLOAD", true)] {
            for status in ["ISSUED", "WILLEXPIRED", "EXPIRED"] {
                let page = client
                    .list_user_certificate_order()
                    .order_type(order_type)
                    .status(status)
                    .show_size(ALL)
                    .send()
                    .await
                    .unwrap();
                let want: Vec<_> = fx
                    .certificates(upload_only, &[status])
                    .iter()
                    .map(|c| c.certificate_id)
                    .collect();
                assert!(
                    !want.is_empty(),
                    "the data has {order_type} certificates in {status}"
                );
                assert_eq!(
                    cert_ids(&page.certificate_order_list),
                    want,
                    "{order_type} {status}"
                );
                let expired = status == "EXPIRED";
                assert!(
                    page.certificate_order_list
                        .iter()
                        .all(|r| r.expired == Some(expired))
                );
                assert!(
                    page.certificate_order_list
                        .iter()
                        .all(|r| !upload_only || r.upload == Some(true))
                );
            }
            let page = client
                .list_user_certificate_order()
                .order_type(order_type)
                .status("PAYED")
                .send()
                .await
                .unwrap();
            assert_eq!(page.total_count, Some(0), "{order_type} PAYED");
        }
        let page = client
            .list_user_certificate_order()
            .order_type("UPLOAD")
            .show_size(ALL)
            .send()
            .await
            .unwrap();
        let want: Vec<_> = fx
            .certificates(true, &["ISSUED", "WILLEXPIRED"])
            .iter()
            .map(|c| c.certificate_id)
            .collect();
        assert!(want.len() < fx.certificates(false, &["ISSUED", "WILLEXPIRED"]).len());
        assert_eq!(
            cert_ids(&page.certificate_order_list),
            want,
            "UPLOAD, empty Status"
        );

        // Keyword: a case-insensitive substring of the domain names or the instance id.
        let lower = |s: &str| s.to_ascii_lowercase();
        let order = fx
            .orders("cpack")
            .into_iter()
            .find(|o| !o.domain.is_empty())
            .unwrap();
        let domain_word = order.domain.trim_start_matches("*.").to_ascii_uppercase();
        let id_fragment = order.instance_id[7..15].to_ascii_uppercase();
        for keyword in [
            domain_word.as_str(),
            id_fragment.as_str(),
            "no-such-name-e2e",
        ] {
            let page = client
                .list_user_certificate_order()
                .keyword(keyword)
                .show_size(ALL)
                .send()
                .await
                .unwrap();
            let k = lower(keyword);
            let want: Vec<_> = fx
                .orders("cpack")
                .iter()
                .filter(|o| lower(&o.domain).contains(&k) || lower(&o.instance_id).contains(&k))
                .map(|o| o.order_id)
                .collect();
            if keyword != "no-such-name-e2e" {
                assert!(want.contains(&order.order_id), "{keyword}");
            }
            assert_eq!(
                order_ids(&page.certificate_order_list),
                want,
                "keyword {keyword}"
            );
        }
        let cert = valid[valid.len() / 2];
        let cert_word = cert
            .common_name
            .trim_start_matches("*.")
            .to_ascii_uppercase();
        for keyword in [cert_word.as_str(), &cert.instance_id[..12]] {
            let page = client
                .list_user_certificate_order()
                .order_type("CERT")
                .keyword(keyword)
                .show_size(ALL)
                .send()
                .await
                .unwrap();
            let k = lower(keyword);
            let want: Vec<_> = valid
                .iter()
                .filter(|c| {
                    lower(&c.common_name).contains(&k)
                        || lower(&c.sans).contains(&k)
                        || lower(&c.instance_id).contains(&k)
                })
                .map(|c| c.certificate_id)
                .collect();
            assert!(want.contains(&cert.certificate_id), "{keyword}");
            assert_eq!(
                cert_ids(&page.certificate_order_list),
                want,
                "CERT keyword {keyword}"
            );
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

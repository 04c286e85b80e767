//! Token paging on a generated client (BssOpenApi DescribeInstanceBill, `NextToken` /
//! `MaxResults`) against a loopback server: the stream follows the token, stops when it is
//! empty or absent, and stops with an error when the service repeats a token.

mod support;

use alibabacloud_bssopenapi_20171214 as bss;
use futures::TryStreamExt;
use support::*;

fn page(items: &[&str], next: Option<&str>) -> Reply {
    let items: Vec<String> = items
        .iter()
        .map(|id| format!(r#"{{"InstanceID":"{id}","PretaxAmount":1.5}}"#))
        .collect();
    let next = next.map_or("null".to_owned(), |t| format!("\"{t}\""));
    Reply::ok(format!(
        r#"{{"RequestId":"r","Success":true,"Code":"Success","Message":"ok","Data":{{"Items":[{}],"NextToken":{next},"MaxResults":2}}}}"#,
        items.join(",")
    ))
}

/// Pages keyed by the request's token; `last` ends the sequence.
async fn server(last: Option<&'static str>) -> TestServer {
    TestServer::start(move |request, _| {
        let reply = match request.param("NextToken") {
            None => page(&["i-1", "i-2"], Some("t1")),
            Some("t1") => page(&["i-3", "i-4"], Some("t2")),
            _ => page(&["i-5"], last),
        };
        signed_or_reject(request, AK_SECRET, reply)
    })
    .await
}

#[tokio::test]
async fn items_follow_the_token_until_it_is_absent_or_empty() {
    for last in [None, Some("")] {
        let server = server(last).await;
        let client = bss::Client::new(&config(&server).build()).unwrap();
        let items: Vec<_> = client
            .describe_instance_bill()
            .billing_cycle("2024-05")
            .max_results(2)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let ids: Vec<_> = items
            .iter()
            .filter_map(|i| i.instance_id.as_deref())
            .collect();
        assert_eq!(
            ids,
            ["i-1", "i-2", "i-3", "i-4", "i-5"],
            "last token {last:?}"
        );
        let sent: Vec<_> = server
            .requests()
            .iter()
            .map(|r| r.param("NextToken").map(str::to_owned))
            .collect();
        assert_eq!(sent, [None, Some("t1".into()), Some("t2".into())]);
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.param("MaxResults") == Some("2"))
        );
    }
}

#[tokio::test]
async fn a_repeated_token_stops_the_stream_with_an_error_instead_of_looping() {
    let server = server(Some("t1")).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    let error = client
        .describe_instance_bill()
        .billing_cycle("2024-05")
        .into_paginator()
        .pages()
        .try_collect::<Vec<_>>()
        .await
        .expect_err("t1 comes back after t2");
    assert!(error.to_string().contains("a second time"), "{error}");
    assert_eq!(server.count(), 3, "no request after the repeat");
}

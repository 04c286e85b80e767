//! `--pager` against services that never say "last page": a repeated page or an endless
//! run of fresh tokens ends with an error instead of paging forever (spawned `alicloud`
//! processes against loopback stubs).

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;

use support::run_stub;

/// A stub that answers every request with a body made by `body` from the request number.
fn answering(body: fn(usize) -> String) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let n = count.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 8192];
                let _ = stream.read(&mut buffer);
                let body = body(n);
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    endpoint
}

#[test]
fn the_pager_stops_when_the_service_repeats_a_page_or_never_ends() {
    // The same 50 items on every page, with a total that is never reached.
    let endpoint = answering(|_| {
        let items: Vec<String> = (0..50)
            .map(|i| format!(r#"{{"CertificateId":{i},"CommonName":"a{i}.test"}}"#))
            .collect();
        format!(
            r#"{{"RequestId":"R","TotalCount":1000000000000,"ShowSize":50,"CurrentPage":1,"CertificateOrderList":[{}]}}"#,
            items.join(",")
        )
    });
    let run = run_stub(
        &endpoint,
        &[
            "cas",
            "ListUserCertificateOrder",
            "--version",
            "2020-04-07",
            "--pager",
        ],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("paging stopped"), "{run:#?}");

    // Fresh items and a fresh token on every page: the page limit ends it.
    let endpoint = answering(|n| {
        format!(r#"{{"RequestId":"R","NextToken":"t{n}","Data":[{{"InstanceId":"i-{n}"}}]}}"#)
    });
    let run = run_stub(
        &endpoint,
        &[
            "cas",
            "ListWarehouse",
            "--version",
            "2020-04-07",
            "--pager",
            "--max-pages",
            "20",
        ],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("after 20 pages"), "{run:#?}");
}

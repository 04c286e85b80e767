//! A write is never sent twice by `alicloud`, whatever the network does, and a write that
//! may have run says so first, with its own exit code: spawned `alicloud` processes
//! against an in-process emulator with injected faults, and against loopback stubs.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use alibabacloud_emulator::{Emulator, Faults, RunningEmulator};
use support::{Run, alicloud_in, run_stub};

/// The emulator's keys, as the environment credentials of a run.
fn keys(emulator: &RunningEmulator) -> Vec<(&'static str, String)> {
    let credentials = emulator.credentials();
    vec![
        (
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            credentials.access_key_id().to_owned(),
        ),
        (
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            credentials.access_key_secret().to_owned(),
        ),
    ]
}

/// Runs `alicloud --endpoint <emulator> args` off the async runtime.
async fn run_against(emulator: &RunningEmulator, args: &[&str]) -> Run {
    let mut full = vec![
        "--endpoint".to_owned(),
        emulator.endpoint(),
        "--read-timeout".to_owned(),
        "2".to_owned(),
    ];
    full.extend(args.iter().map(|a| (*a).to_owned()));
    let vars = keys(emulator);
    tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().unwrap();
        let args: Vec<&str> = full.iter().map(String::as_str).collect();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        alicloud_in(home.path(), &args, &vars)
    })
    .await
    .unwrap()
}

/// The number of orders the emulator holds.
async fn orders(emulator: &RunningEmulator) -> u64 {
    let run = run_against(
        emulator,
        &["bssopenapi", "QueryOrders", "--PageSize", "100", "--pager"],
    )
    .await;
    assert_eq!(run.code, 0, "{run:#?}");
    let body = run.json();
    body["Data"]["OrderList"]["Order"]
        .as_array()
        .map_or(0, |orders| orders.len() as u64)
}

const CREATE_ORDER: &[&str] = &[
    "bssopenapi",
    "CreateInstance",
    "--ProductCode",
    "rds",
    "--SubscriptionType",
    "Subscription",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_command_never_places_two_orders_under_any_fault() {
    let faults = [
        (
            "truncated answer",
            Faults {
                truncate_next: 1,
                ..Faults::default()
            },
        ),
        (
            "503 before the service",
            Faults {
                fail_next: 1,
                ..Faults::default()
            },
        ),
        (
            "dropped connection",
            Faults {
                drop_next: 1,
                ..Faults::default()
            },
        ),
        (
            "two truncated answers",
            Faults {
                truncate_next: 2,
                ..Faults::default()
            },
        ),
        (
            "every answer truncated",
            Faults {
                truncate_next: 10,
                ..Faults::default()
            },
        ),
        (
            "answer after the read timeout",
            Faults {
                latency: Duration::from_secs(3),
                ..Faults::default()
            },
        ),
    ];
    for (name, fault) in faults {
        let emulator = Emulator::start().await.unwrap();
        let before = orders(&emulator).await;
        emulator.set_action_faults("CreateInstance", fault);
        let run = run_against(&emulator, CREATE_ORDER).await;
        emulator.set_action_faults("CreateInstance", Faults::default());
        let after = orders(&emulator).await;
        assert!(
            after <= before + 1,
            "{name}: one command placed {} orders: {run:#?}",
            after - before
        );
        match run.code {
            0 => assert_eq!(
                after,
                before + 1,
                "{name}: success without an order: {run:#?}"
            ),
            4 => {
                assert!(run.stderr.contains("MAY HAVE RUN"), "{name}: {run:#?}");
                assert!(run.stderr.contains("--ClientToken"), "{name}: {run:#?}");
            }
            _ => panic!("{name}: unexpected exit: {run:#?}"),
        }
        emulator.shutdown().await;
    }
}

/// What a stub does with a connection once it has read the request head.
type Respond = fn(&mut TcpStream);

/// A one-shot stub on 127.0.0.1: for each connection, reads the request head and does
/// what `respond` writes (nothing: the connection is closed).
fn stub(
    respond: fn(&mut std::net::TcpStream),
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            seen.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buffer = [0u8; 8192];
                let _ = stream.read(&mut buffer);
                respond(&mut stream);
            });
        }
    });
    (endpoint, count)
}

#[test]
fn a_write_that_may_have_run_says_so_first_with_its_own_exit_code() {
    let upload: &[&str] = &[
        "cas",
        "UploadUserCertificate",
        "--version",
        "2020-04-07",
        "--Name",
        "web",
        "--Cert",
        "-----BEGIN CERTIFICATE-----",
        "--Key",
        "-----BEGIN PRIVATE KEY-----",
    ];
    let cases: [(&str, Respond); 4] = [
        ("reset", |_| {}),
        ("503", |s| {
            let body = r#"{"Code":"ServiceUnavailable","Message":"down","RequestId":"R-503"}"#;
            let _ = write!(
                s,
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
        }),
        ("truncated", |s| {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"RequestId\":");
        }),
        ("hang", |_| std::thread::sleep(Duration::from_secs(3))),
    ];
    for (name, respond) in cases {
        let (endpoint, count) = stub(respond);
        let run = run_stub(&endpoint, upload);
        assert_eq!(run.code, 4, "{name}: {run:#?}");
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains("MAY HAVE RUN"),
            "{name}: says so first: {run:#?}"
        );
        // What to look at, and the token to reuse.
        assert!(run.stderr.contains("alicloud cas "), "{name}: {run:#?}");
        assert!(run.stderr.contains("--ClientToken "), "{name}: {run:#?}");
        assert!(!run.stderr.contains("unreachable"), "{name}: {run:#?}");
        assert!(!run.stderr.contains("PRIVATE KEY"), "{name}: {run:#?}");
        assert_eq!(
            count.load(Ordering::SeqCst),
            // UploadUserCertificate takes a ClientToken: its attempts share one.
            3,
            "{name}: retried with its token"
        );
    }
    // A write without a token is sent once, and the message says so.
    let (endpoint, count) = stub(|_| {});
    let run = run_stub(
        &endpoint,
        &[
            "cas",
            "DeleteCsr",
            "--version",
            "2020-04-07",
            "--CsrId",
            "1",
        ],
    );
    assert_eq!(run.code, 4, "{run:#?}");
    assert!(run.stderr.contains("may do it twice"), "{run:#?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    // The exit code is documented.
    let help = support::alicloud(&["--help"]);
    assert!(help.stdout.contains("4  a write may have run"), "{help:#?}");
}

//! CPU cost of one generated-client call, compared with a hand-written reqwest POST.
//!
//! A hyper server on 127.0.0.1 (same process, its own thread and single-threaded tokio
//! runtime) answers every request with the documented ListUserCertificateOrder sample.
//! Then, on one client each (a single-threaded runtime on the main thread), N sequential
//! calls of:
//!
//! - `sdk`: `client.list_user_certificate_order().current_page(1).show_size(10).send()`
//!   (sign V3, send, classify, deserialize into the generated response type);
//! - `raw`: `reqwest` POST of the same URL (`/?CurrentPage=1&ShowSize=10`, empty body),
//!   reading the body bytes;
//! - `raw+parse`: the same, plus `serde_json` into the generated response type;
//! - `raw+headers+parse`: `raw+parse` carrying the nine headers a V3-signed call sends
//!   (fixed values), the least a hand-written signed call costs.
//!
//! Wall time and the client thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`: the client, its
//! connection tasks and the kernel work of its sockets, but not the server) are taken
//! around each batch; the variants are interleaved over several rounds and the median round
//! is reported.
//!
//! Then the same calls with 64 in flight at once on the one client (`for_each_concurrent`
//! on the same thread): throughput and CPU per call, next to the sequential figures.
//!
//! `cargo bench -p alibabacloud-core --bench client_cpu` (about 15 s). Without `--bench`
//! (as under `cargo test --benches`) it makes a few calls only, as a smoke test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::convert::Infallible;
use std::time::{Duration, Instant};

use alibabacloud_cas_20200407::list_user_certificate_order::ListUserCertificateOrderResponse;
use alibabacloud_cas_20200407::{Client, Config, Credentials};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// `cas-ListUserCertificateOrder.txt`, "Sample success responses".
const SAMPLE: &str = r#"{"ShowSize":10,"CurrentPage":1,"TotalCount":1,"CertificateOrderList":[{"Algorithm":"RSA","AliyunOrderId":234567,"BuyDate":1634283958000,"CertEndTime":1665819958000,"CertStartTime":1665819958000,"CertType":"FREE","Domain":"aliyundoc.com","DomainCount":1,"DomainType":"ONE","InstanceId":"cas-instanceId","OrderId":2345687,"PartnerOrderId":"ca-123456","ProductCode":"bykj123456","ProductName":"CFCA","RootBrand":"CFCA","SourceType":"buy","Status":"PAYED","TrusteeStatus":"unTrustee","WildDomainCount":0,"CertificateId":896521,"Name":"cert-name","CommonName":"aliyun.com","Fingerprint":"CC6B3696E7C7CA715BD26E28E45FF3E3DF435C03","Sha2":"56B4DED2243A81DD909D7C39824FFE4DDBD87F91BFA46CD333FF212FE0E7CB11","SerialNo":"040a6e493cffdda6d744acf99b6576cf","Issuer":"MyIssuer","OrgName":"Alibaba Cloud\n","Province":"Zhejiang\n","City":"Hangzhou\n","Country":"CN","Sans":"aliyun.com","Expired":true,"Upload":false,"StartDate":"2021-11-16","EndDate":"2022-11-17","ResourceGroupId":"rg-ae******4wia"}],"RequestId":"15C66C7B-671A-4297-9187-2C4477247A74"}"#;

/// Counts the allocations (and reallocations) of the thread that makes them: the client's
/// runtime runs on the main thread, the server on its own.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only a thread-local
// counter is bumped, which allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract is passed through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed through.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract is passed through.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made on this thread so far.
fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// User + system CPU time of the calling thread (the client's).
fn cpu_time() -> Duration {
    // SAFETY: `timespec` is plain data; all-zero is a valid value.
    let mut now: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: clock_gettime only writes into the struct it is given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(rc, 0, "clock_gettime failed");
    Duration::from_secs(u64::try_from(now.tv_sec).unwrap_or(0))
        + Duration::from_nanos(u64::try_from(now.tv_nsec).unwrap_or(0))
}

/// Starts the server on its own thread and runtime; returns its base URL.
fn start_server() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a server runtime");
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let base = format!("http://{}", listener.local_addr().expect("addr"));
            sender.send(base).expect("the main thread waits");
            serve(listener).await;
        });
    });
    receiver.recv().expect("the server starts")
}

async fn serve(listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(async move {
            let service = service_fn(|_: Request<Incoming>| async {
                Ok::<_, Infallible>(
                    Response::builder()
                        .header("content-type", "application/json;charset=utf-8")
                        .body(Full::new(Bytes::from_static(SAMPLE.as_bytes())))
                        .unwrap_or_default(),
                )
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Variant {
    Sdk,
    Raw,
    RawParse,
    /// The raw POST carrying the headers a V3-signed call sends (fixed values, nothing
    /// computed), then the typed parse: what a hand-written signed call must at least cost.
    RawSignedParse,
}

/// The headers the SDK sends besides `host`, with fixed values of the same length.
const SIGNED_HEADERS: [(&str, &str); 9] = [
    ("x-acs-version", "2020-04-07"),
    ("x-acs-action", "ListUserCertificateOrder"),
    (
        "user-agent",
        "alibabacloud-rust-sdk/0.1.0 (linux; x86_64) cas/2020-04-07",
    ),
    ("x-acs-date", "2026-11-22T20:45:28Z"),
    ("x-acs-signature-nonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
    ("accept", "application/json"),
    (
        "x-acs-content-sha256",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ),
    ("x-acs-credentials-provider", "static_ak"),
    (
        "authorization",
        "ACS3-HMAC-SHA256 Credential=LTAI-bench-id,SignedHeaders=accept;host;user-agent;\
         x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;\
         x-acs-signature-nonce;x-acs-version,Signature=\
         5232c5d29160a4d3e80d4cbd8802db7177aeb4661b2ebc440c8c6c4f633106e7",
    ),
];

impl Variant {
    const ALL: [Variant; 4] = [
        Variant::Sdk,
        Variant::Raw,
        Variant::RawParse,
        Variant::RawSignedParse,
    ];

    fn name(self) -> &'static str {
        match self {
            Variant::Sdk => "sdk: generated client .send()",
            Variant::Raw => "raw: reqwest POST, body bytes",
            Variant::RawParse => "raw+parse: reqwest + serde_json",
            Variant::RawSignedParse => "raw+headers+parse: same headers as sdk",
        }
    }
}

struct Clients {
    sdk: Client,
    raw: reqwest::Client,
    url: String,
}

async fn one_call(clients: &Clients, variant: Variant) {
    match variant {
        Variant::Sdk => {
            let response = clients
                .sdk
                .list_user_certificate_order()
                .current_page(1)
                .show_size(10)
                .send()
                .await
                .expect("the SDK call succeeds");
            assert_eq!(response.total_count, Some(1));
        }
        Variant::Raw | Variant::RawParse | Variant::RawSignedParse => {
            let mut request = clients.raw.post(&clients.url);
            if variant == Variant::RawSignedParse {
                for (name, value) in SIGNED_HEADERS {
                    request = request.header(name, value);
                }
            }
            let bytes = request
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .expect("the raw call succeeds")
                .bytes()
                .await
                .expect("the raw body arrives");
            if variant != Variant::Raw {
                let response: ListUserCertificateOrderResponse =
                    serde_json::from_slice(&bytes).expect("the sample parses");
                assert_eq!(response.total_count, Some(1));
            } else {
                assert_eq!(bytes.len(), SAMPLE.len());
            }
        }
    }
}

/// Per-request wall and CPU time of `calls` sequential calls.
async fn batch(clients: &Clients, variant: Variant, calls: u32) -> (Duration, Duration) {
    let (wall, cpu) = (Instant::now(), cpu_time());
    for _ in 0..calls {
        one_call(clients, variant).await;
    }
    (wall.elapsed() / calls, (cpu_time() - cpu) / calls)
}

/// Calls per second and CPU per call of `calls` calls with `in_flight` at once.
async fn concurrent_batch(
    clients: &Clients,
    variant: Variant,
    in_flight: usize,
    calls: u32,
) -> (f64, Duration) {
    use futures::StreamExt;
    let (wall, cpu) = (Instant::now(), cpu_time());
    futures::stream::iter(0..calls)
        .for_each_concurrent(in_flight, |_| one_call(clients, variant))
        .await;
    let elapsed = wall.elapsed();
    (
        f64::from(calls) / elapsed.as_secs_f64(),
        (cpu_time() - cpu) / calls,
    )
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let (warmup, calls, rounds) = if full { (500, 3000, 5) } else { (2, 5, 1) };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let base = start_server();
    runtime.block_on(async {
        let config = Config::builder()
            .endpoint(&base)
            .credentials(Credentials::new("LTAI-bench-id", "bench-secret"))
            .build();
        let clients = Clients {
            sdk: Client::new(&config).expect("the client builds"),
            raw: reqwest::Client::new(),
            url: format!("{base}/?CurrentPage=1&ShowSize=10"),
        };

        // `CLIENT_CPU_PROFILE=N`: N calls of one variant (`CLIENT_CPU_VARIANT`: sdk, the
        // default, raw, raw+parse or raw+headers+parse) and nothing else, for a profiler
        // (`perf record`, `valgrind --tool=callgrind --separate-threads=yes`).
        if let Some(calls) = std::env::var("CLIENT_CPU_PROFILE")
            .ok()
            .and_then(|n| n.parse().ok())
        {
            let variant = match std::env::var("CLIENT_CPU_VARIANT").as_deref() {
                Ok("raw") => Variant::Raw,
                Ok("raw+parse") => Variant::RawParse,
                Ok("raw+headers+parse") => Variant::RawSignedParse,
                _ => Variant::Sdk,
            };
            batch(&clients, variant, calls).await;
            return;
        }
        for variant in Variant::ALL {
            batch(&clients, variant, warmup).await;
        }
        let mut results: Vec<(Vec<Duration>, Vec<Duration>)> =
            vec![Default::default(); Variant::ALL.len()];
        for _ in 0..rounds {
            for (i, variant) in Variant::ALL.into_iter().enumerate() {
                let (wall, cpu) = batch(&clients, variant, calls).await;
                results[i].0.push(wall);
                results[i].1.push(cpu);
            }
        }
        let medians: Vec<(Duration, Duration)> = results
            .into_iter()
            .map(|(wall, cpu)| (median(wall), median(cpu)))
            .collect();

        println!(
            "client_cpu: ListUserCertificateOrder, loopback server on its own thread, client CPU = \
             client thread's CPU time, {calls} sequential calls x {rounds} rounds, median round"
        );
        println!(
            "{:<34} {:>12} {:>12}",
            "variant", "wall us/req", "cpu us/req"
        );
        for (variant, (wall, cpu)) in Variant::ALL.iter().zip(&medians) {
            println!(
                "{:<34} {:>12.1} {:>12.1}",
                variant.name(),
                micros(*wall),
                micros(*cpu)
            );
        }
        let (sdk, raw, parse) = (medians[0], medians[1], medians[2]);
        println!(
            "sdk/raw: wall {:.2}x, cpu {:.2}x; sdk/raw+parse: wall {:.2}x, cpu {:.2}x",
            micros(sdk.0) / micros(raw.0),
            micros(sdk.1) / micros(raw.1),
            micros(sdk.0) / micros(parse.0),
            micros(sdk.1) / micros(parse.1),
        );
        println!(
            "sdk overhead over raw: {:.1} us/req CPU ({:.1} us/req over raw+parse)",
            micros(sdk.1) - micros(raw.1),
            micros(sdk.1) - micros(parse.1),
        );
        let signed = medians[3];
        println!(
            "sdk/raw+headers+parse: cpu {:.2}x ({:.1} us/req CPU more)",
            micros(sdk.1) / micros(signed.1),
            micros(sdk.1) - micros(signed.1),
        );

        println!("allocations per call (client thread), {calls} calls");
        for variant in Variant::ALL {
            let before = allocations();
            batch(&clients, variant, calls).await;
            let per_call = (allocations() - before) as f64 / f64::from(calls);
            println!("{:<34} {:>12.1}", variant.name(), per_call);
        }
        stages(&config, calls).await;

        const IN_FLIGHT: usize = 64;
        println!("{IN_FLIGHT} calls in flight on one client, {calls} calls x {rounds} rounds, median round");
        println!("{:<34} {:>12} {:>12}", "variant", "calls/s", "cpu us/req");
        let mut concurrent = Vec::new();
        for variant in [Variant::Sdk, Variant::RawParse] {
            concurrent_batch(&clients, variant, IN_FLIGHT, warmup).await;
            let mut rates = Vec::new();
            let mut cpus = Vec::new();
            for _ in 0..rounds {
                let (rate, cpu) = concurrent_batch(&clients, variant, IN_FLIGHT, calls).await;
                rates.push(rate);
                cpus.push(cpu);
            }
            rates.sort_by(f64::total_cmp);
            let (rate, cpu) = (rates[rates.len() / 2], median(cpus));
            println!("{:<34} {:>12.0} {:>12.1}", variant.name(), rate, micros(cpu));
            concurrent.push((rate, cpu));
        }
        println!(
            "concurrent sdk/raw+parse: throughput {:.2}x, cpu {:.2}x; sdk cpu concurrent/sequential {:.2}x",
            concurrent[0].0 / concurrent[1].0,
            micros(concurrent[0].1) / micros(concurrent[1].1),
            micros(concurrent[0].1) / micros(sdk.1),
        );
    });
}

/// Where one SDK call's allocations and CPU go, stage by stage, measured on their own:
/// the parameters, the signed request (signature, URL, headers), and the typed parse of
/// the sample (lenient readers) next to plain serde on the same document. What is left of
/// a call (reqwest/hyper, the body read, classify) is the rest of the total.
async fn stages(config: &Config, calls: u32) {
    use alibabacloud_cas_20200407::list_user_certificate_order::ListUserCertificateOrderRequest;
    let request = ListUserCertificateOrderRequest::builder()
        .current_page(1)
        .show_size(10)
        .build()
        .expect("a request");
    let measure = |name: &str, run: &mut dyn FnMut()| {
        let (before, cpu) = (allocations(), cpu_time());
        for _ in 0..calls {
            run();
        }
        let per = (allocations() - before) as f64 / f64::from(calls);
        let cpu = (cpu_time() - cpu) / calls;
        println!("  {name:<40} {per:>6.1} allocs {:>8.2} us", micros(cpu));
    };
    println!("stages of one sdk call, {calls} times each:");
    measure("build the request and its params", &mut || {
        let params = request.to_params();
        std::hint::black_box(params);
    });
    measure("parse: generated type (lenient readers)", &mut || {
        let response: ListUserCertificateOrderResponse =
            serde_json::from_slice(SAMPLE.as_bytes()).expect("parses");
        std::hint::black_box(response);
    });
    measure("parse: plain serde, same shape", &mut || {
        let response: plain::Response = serde_json::from_slice(SAMPLE.as_bytes()).expect("parses");
        std::hint::black_box(response);
    });
    let product = alibabacloud_catalog::products("cas")
        .find(|p| p.service.version == "2020-04-07")
        .expect("CAS 2020-04-07 is in the catalog");
    let operation = &product
        .operation("ListUserCertificateOrder")
        .expect("in the catalog")
        .operation;
    let handle = alibabacloud_core::Handle::new(config, product.service).expect("a handle");
    let params = request.to_params();
    let (before, cpu) = (allocations(), cpu_time());
    for _ in 0..calls {
        let prepared = handle
            .prepare(operation, &params)
            .await
            .expect("a signed request");
        std::hint::black_box(prepared);
    }
    println!(
        "  {:<40} {:>6.1} allocs {:>8.2} us",
        "sign, URL and headers (prepare)",
        (allocations() - before) as f64 / f64::from(calls),
        micros((cpu_time() - cpu) / calls)
    );
    println!(
        "  memory of one item: {} bytes (CertificateOrder), list items of the sample: 1",
        std::mem::size_of::<alibabacloud_cas_20200407::list_user_certificate_order::CertificateOrder>(
        )
    );
}

/// The sample's shape in plain serde (no lenient readers), for comparison.
mod plain {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    pub struct Response {
        pub show_size: Option<i64>,
        pub current_page: Option<i64>,
        pub total_count: Option<i64>,
        #[serde(default)]
        pub certificate_order_list: Vec<Order>,
        pub request_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    pub struct Order {
        pub algorithm: Option<String>,
        pub aliyun_order_id: Option<i64>,
        pub buy_date: Option<i64>,
        pub cert_end_time: Option<i64>,
        pub cert_start_time: Option<i64>,
        pub cert_type: Option<String>,
        pub domain: Option<String>,
        pub domain_count: Option<i64>,
        pub domain_type: Option<String>,
        pub instance_id: Option<String>,
        pub order_id: Option<i64>,
        pub partner_order_id: Option<String>,
        pub product_code: Option<String>,
        pub product_name: Option<String>,
        pub root_brand: Option<String>,
        pub source_type: Option<String>,
        pub status: Option<String>,
        pub trustee_status: Option<String>,
        pub wild_domain_count: Option<i64>,
        pub certificate_id: Option<i64>,
        pub name: Option<String>,
        pub common_name: Option<String>,
        pub fingerprint: Option<String>,
        pub sha2: Option<String>,
        pub serial_no: Option<String>,
        pub issuer: Option<String>,
        pub org_name: Option<String>,
        pub province: Option<String>,
        pub city: Option<String>,
        pub country: Option<String>,
        pub sans: Option<String>,
        pub expired: Option<bool>,
        pub upload: Option<bool>,
        pub start_date: Option<String>,
        pub end_date: Option<String>,
        pub resource_group_id: Option<String>,
    }
}

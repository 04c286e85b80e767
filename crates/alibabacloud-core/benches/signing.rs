//! Cost of one V3 signature (`signing::sign`) on the `simple` vector of
//! `tests/vectors/v3.json` (ListUserCertificateOrder, three query parameters), against a
//! baseline of the two cryptographic operations it cannot avoid: SHA-256 over the same
//! canonical request bytes and HMAC-SHA256 over the same string-to-sign.
//!
//! `cargo bench -p alibabacloud-core --bench signing`; figures in docs/benchmarks.md.

use std::hint::black_box;
use std::time::Duration;

use alibabacloud_core::signing::{self, SignatureVersion, SigningInput};
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The parts of the `simple` vector the benchmark needs.
struct Simple {
    inputs: Value,
    query: Vec<(String, String)>,
    extra_headers: Vec<(String, String)>,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {key} is not a string"))
}

fn load() -> Simple {
    let doc: Value = serde_json::from_str(include_str!("../tests/vectors/v3.json"))
        .expect("tests/vectors/v3.json parses");
    let vector = doc["vectors"]
        .as_array()
        .and_then(|vectors| vectors.iter().find(|v| v["id"] == "simple"))
        .expect("the `simple` vector")
        .clone();
    let inputs = vector["inputs"].clone();
    let outputs = &vector["outputs"];
    let query = inputs["query_params"]
        .as_array()
        .expect("query_params")
        .iter()
        .map(|pair| {
            let part = |i: usize| pair[i].as_str().expect("a string pair").to_owned();
            (part(0), part(1))
        })
        .collect();
    // The headers the signer does not produce itself.
    let extra_headers = ["user-agent", "x-acs-credentials-provider"]
        .iter()
        .map(|name| {
            (
                (*name).to_owned(),
                text(&inputs["headers_before_signing"], name).to_owned(),
            )
        })
        .collect();
    Simple {
        canonical_request: text(outputs, "canonical_request").to_owned(),
        string_to_sign: text(outputs, "string_to_sign").to_owned(),
        signature: text(outputs, "signature").to_owned(),
        inputs,
        query,
        extra_headers,
    }
}

fn input<'a>(v: &'a Simple) -> SigningInput<'a> {
    let i = &v.inputs;
    SigningInput {
        method: text(i, "method"),
        host: text(i, "host"),
        path: text(i, "pathname"),
        action: text(i, "action"),
        version: text(i, "version"),
        query: &v.query,
        body: None,
        access_key_id: text(i, "access_key_id"),
        access_key_secret: text(i, "access_key_secret"),
        security_token: None,
        nonce: text(i, "signature_nonce"),
        timestamp: text(i, "x_acs_date"),
        extra_headers: &[],
    }
}

fn bench(c: &mut Criterion) {
    let simple = load();
    let extra: Vec<(&str, &str)> = simple
        .extra_headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let input = SigningInput {
        extra_headers: &extra,
        ..input(&simple)
    };
    let secret = input.access_key_secret.as_bytes();

    // Both sides compute what they claim to.
    let signed = signing::sign(SignatureVersion::V3, &input);
    assert_eq!(signed.string_to_sign, simple.string_to_sign);
    assert!(
        signed
            .headers
            .iter()
            .any(|(n, v)| n == "authorization" && v.ends_with(&simple.signature))
    );
    let digest = hex::encode(Sha256::digest(simple.canonical_request.as_bytes()));
    assert!(simple.string_to_sign.ends_with(&digest));

    let mut group = c.benchmark_group("v3_simple");
    group.bench_function("signing::sign", |b| {
        b.iter(|| signing::sign(SignatureVersion::V3, black_box(&input)))
    });
    group.bench_function("baseline sha256+hmac", |b| {
        b.iter(|| {
            let hashed = Sha256::digest(black_box(simple.canonical_request.as_bytes()));
            #[allow(clippy::expect_used)]
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(black_box(secret))
                .expect("HMAC takes any key length");
            mac.update(black_box(simple.string_to_sign.as_bytes()));
            (hashed, mac.finalize().into_bytes())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench
}
criterion_main!(benches);

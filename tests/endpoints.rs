//! Every region of every published endpoint map (`../shared/api-meta/*/*/api-docs.json`,
//! `endpoints`) resolves to exactly the host the map gives: through each generated
//! client, and through the catalog's service descriptions, which the CLI and the emulator
//! read. A region no map publishes is refused with the known regions named.

use std::path::Path;

use alibabacloud_catalog::PRODUCTS;
use alibabacloud_core::{Config, Network};
use serde_json::Value;

/// (product, version, region, host) for every entry of every map.
fn published() -> Vec<(String, String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/api-meta");
    let mut entries = Vec::new();
    for product in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{}: {e}", root.display())) {
        let product = product.unwrap().path();
        if !product.is_dir() {
            continue;
        }
        for version in std::fs::read_dir(&product).unwrap() {
            let path = version.unwrap().path().join("api-docs.json");
            let docs: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let code = docs["info"]["product"].as_str().unwrap().to_lowercase();
            let api_version = docs["info"]["version"].as_str().unwrap().to_owned();
            for entry in docs["endpoints"].as_array().unwrap() {
                entries.push((
                    code.clone(),
                    api_version.clone(),
                    entry["regionId"].as_str().unwrap().to_owned(),
                    entry["endpoint"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    entries
}

/// The endpoint a generated client of `product` `version` resolves for `region`.
fn client_endpoint(product: &str, version: &str, region: &str) -> Result<String, String> {
    let config = Config::builder().region(region).build();
    macro_rules! client {
        ($krate:ident) => {
            $krate::Client::new(&config)
                .map(|client| client.endpoint())
                .map_err(|e| e.to_string())
        };
    }
    match (product, version) {
        ("cas", "2018-07-13") => client!(alibabacloud_cas_20180713),
        ("cas", "2018-08-13") => client!(alibabacloud_cas_20180813),
        ("cas", "2020-04-07") => client!(alibabacloud_cas_20200407),
        ("cas", "2020-06-30") => client!(alibabacloud_cas_20200630),
        ("bssopenapi", "2017-12-14") => client!(alibabacloud_bssopenapi_20171214),
        ("bssopenapi", "2023-09-30") => client!(alibabacloud_bssopenapi_20230930),
        ("sts", "2015-04-01") => client!(alibabacloud_sts_20150401),
        other => panic!("no generated client for {other:?}"),
    }
}

#[test]
fn every_published_region_resolves_to_the_published_host() {
    let entries = published();
    assert_eq!(entries.len(), 363, "the seven maps list 363 regions in all");
    let mut wrong = Vec::new();
    for (product, version, region, host) in &entries {
        let expected = format!("https://{host}");
        let client = client_endpoint(product, version, region);
        let info = PRODUCTS
            .iter()
            .find(|p| p.code == product && p.service.version == version)
            .unwrap_or_else(|| panic!("{product} {version} is not in the catalog"));
        let catalog = info
            .service
            .resolve(Some(region), None, Network::Public)
            .map(|endpoint| endpoint.base_url())
            .map_err(|e| e.to_string());
        for (through, got) in [("client", client), ("catalog", catalog)] {
            if got.as_deref() != Ok(expected.as_str()) {
                wrong.push(format!(
                    "{product} {version} {region} ({through}): {got:?}, published {expected}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_reported_regions_reach_their_site() {
    // A Seoul billing user reaches the international site, not the China site.
    assert_eq!(
        client_endpoint("bssopenapi", "2017-12-14", "ap-northeast-2").unwrap(),
        "https://business.ap-southeast-1.aliyuncs.com"
    );
    // CAS in Wuhan uses the central host, not a made-up regional one.
    assert_eq!(
        client_endpoint("cas", "2020-04-07", "cn-wuhan").unwrap(),
        "https://cas.aliyuncs.com"
    );
}

#[test]
fn a_region_no_map_publishes_is_refused_with_the_known_ones() {
    let error = client_endpoint("cas", "2020-04-07", "cn-hangzou").unwrap_err();
    assert!(error.contains("\"cn-hangzou\""), "{error}");
    assert!(
        error.contains("known regions:") && error.contains("cn-hangzhou"),
        "{error}"
    );
    let error = client_endpoint("bssopenapi", "2017-12-14", "mars-north-1").unwrap_err();
    assert!(error.contains("ap-southeast-1"), "{error}");
}

#[test]
fn every_region_of_every_map_is_a_published_region() {
    // The list core falls back on for regions outside a product's map holds every region
    // of every map, so no published region is ever refused.
    for (product, version, region, _) in published() {
        assert!(
            alibabacloud_core::endpoint::PUBLISHED_REGIONS.contains(&region.as_str()),
            "{product} {version}: {region} is missing from PUBLISHED_REGIONS"
        );
    }
}

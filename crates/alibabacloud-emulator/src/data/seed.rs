//! The built-in data set: generated from a fixed seed, times relative to an anchor.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::model::{
    Application, BilledInstance, BillingOrder, Budget, Certificate, CertificateOrder,
    CloudResource, CostCenter, CostCenterRule, Csr, DEFAULT_ACCOUNT_ID, DataSet, DeploymentJob,
    DeploymentJobCert, DvOrder, Ledger, OrderInstance, Package, PrivateCertificate,
};
use super::pki;
use crate::clock::{self, DAY_MS};

/// The fixed seed of the built-in data set.
const SEED: u64 = 0x0A11_BABA_2020_0407;

const MINUTE_MS: i64 = 60_000;

/// Every ListUserCertificateOrder status of an order.
pub(crate) const ORDER_STATUSES: [&str; 8] = [
    "PAYED",
    "CHECKING",
    "CHECKED_FAIL",
    "ISSUED",
    "WILLEXPIRED",
    "EXPIRED",
    "NOTACTIVATED",
    "REVOKED",
];

/// Every DescribeOrderInstanceList status.
const INSTANCE_STATUSES: [&str; 8] = [
    "PAYED",
    "CHECKING",
    "Verifying",
    "CHECKED_FAIL",
    "Pending Verification",
    "Pending Verification for Revocation",
    "Verifying Revocation",
    "Issued",
];

const NAMES: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella-labs",
    "hooli",
    "piedpiper",
    "starkind",
    "wayne-ent",
    "soylent",
    "tyrell",
    "cyberdyne",
    "wonka",
    "oceanic",
    "vandelay",
    "dunder",
    "bluth",
    "prestige",
    "massive-dyn",
    "aperture",
    "blackmesa",
    "contoso",
    "fabrikam",
    "northwind",
    "tailspin",
];
const TLDS: &[&str] = &["com", "cn", "net", "io", "com.cn", "shop"];
const HOSTS: &[&str] = &[
    "", "www.", "api.", "shop.", "cdn.", "mail.", "portal.", "m.",
];
const RESOURCE_GROUPS: &[&str] = &[
    "rg-aek2default00001",
    "rg-aekzprod0000x2a",
    "rg-aekzstage000x3b",
];
/// The root brands the ListUserCertificateOrder schema allows.
const BRANDS: &[&str] = &["DigiCert", "CFCA", "vTrus", "WoSign"];
const PLACES: &[(&str, &str, &str)] = &[
    ("Zhejiang", "Hangzhou", "CN"),
    ("Shanghai", "Shanghai", "CN"),
    ("Beijing", "Beijing", "CN"),
    ("Guangdong", "Shenzhen", "CN"),
    ("California", "San Jose", "US"),
    ("Singapore", "Singapore", "SG"),
];
const UPLOAD_ISSUERS: &[&str] = &[
    "DigiCert Global G2 TLS RSA SHA256 2020 CA1",
    "GlobalSign GCC R3 DV TLS CA 2020",
    "Encryption Everywhere DV TLS CA - G2",
    "R11",
    "MyIssuer",
];

/// Generates the built-in data set with times relative to `now_ms`.
pub(crate) fn generate(now_ms: i64) -> DataSet {
    let mut rng = StdRng::seed_from_u64(SEED);
    let certificate_orders = certificate_orders(&mut rng, now_ms);
    let certificates = certificates(&mut rng, now_ms);
    let deployment_jobs = deployment_jobs(&mut rng, &certificates, now_ms);
    let order_instances = order_instances(&mut rng, now_ms);
    let billing_orders = billing_orders(&mut rng, now_ms);
    let cloud_resources = cloud_resources(&certificates, now_ms);
    let csrs = seeded_csrs();
    let mut deployment_jobs = deployment_jobs;
    // The seeded jobs ran a week ago, each to two resources; the first is still editing.
    for (i, job) in deployment_jobs.iter_mut().enumerate() {
        let started = now_ms - 7 * DAY_MS;
        job.created_ms = started - DAY_MS;
        job.modified_ms = started;
        job.resource_ids = [i, i + 1]
            .iter()
            .filter_map(|n| cloud_resources.get(n % cloud_resources.len().max(1)))
            .map(|r| r.id)
            .collect();
        if i > 0 {
            job.status = "pending".to_owned();
            job.started_ms = started;
        }
    }
    let mut data = DataSet {
        account_id: DEFAULT_ACCOUNT_ID.to_owned(),
        certificate_orders,
        certificates,
        order_instances,
        deployment_jobs,
        billing_orders,
        cloud_resources,
        csrs: csrs.clone(),
        applications: applications(&csrs, now_ms),
        packages: packages(),
        ledger: ledger(now_ms),
        private_certificates: private_certificates(now_ms),
        budgets: budgets(now_ms),
        cost_centers: cost_centers(now_ms),
        cost_center_rules: cost_center_rules(now_ms),
    };
    // The application made two days ago is issued already.
    super::lifecycle::settle(&mut data, now_ms, super::lifecycle::DEFAULT_STEP_MS);
    data
}

/// A private CA hierarchy with deterministic P-256 keys (its own random sequence): a root
/// (ten years, from a year ago), a subordinate CA under it (five years), two server and
/// two client certificates it issued (one year), one client certificate revoked a week
/// ago.
fn private_certificates(now_ms: i64) -> Vec<PrivateCertificate> {
    use super::private_ca::{self, KeyKind, Kind, Request, San, SubjectKey};
    let mut rng = StdRng::seed_from_u64(SEED ^ 0x0ca);
    let start = now_ms - 365 * DAY_MS;
    let mut made: Vec<PrivateCertificate> = Vec::new();
    let mut keys: Vec<rcgen::KeyPair> = Vec::new();
    // (what, issuer's position, common name, unit, years, alternative names)
    type Planned = (
        Kind,
        Option<usize>,
        &'static str,
        &'static str,
        i64,
        Vec<San>,
    );
    let plan: [Planned; 6] = [
        (
            Kind::Root,
            None,
            "Emulator Private Root CA",
            "Security",
            10,
            vec![],
        ),
        (
            Kind::Sub(0),
            Some(0),
            "Emulator Private Issuing CA",
            "Security",
            5,
            vec![],
        ),
        (
            Kind::Server,
            Some(1),
            "intranet.example.com",
            "IT",
            1,
            vec![
                San::Dns("intranet.example.com".into()),
                San::Dns("wiki.intranet.example.com".into()),
            ],
        ),
        (
            Kind::Server,
            Some(1),
            "api.internal.example.com",
            "IT",
            1,
            vec![San::Dns("api.internal.example.com".into())],
        ),
        (
            Kind::Client,
            Some(1),
            "alice",
            "Engineering",
            1,
            vec![San::Email("alice@example.com".into())],
        ),
        (
            Kind::Client,
            Some(1),
            "bob",
            "Engineering",
            1,
            vec![San::Email("bob@example.com".into())],
        ),
    ];
    for (n, (kind, parent, cn, unit, years, sans)) in plan.into_iter().enumerate() {
        let Ok((secret, key)) = pki::key(&mut rng) else {
            return Vec::new();
        };
        let Ok(key_pem) =
            p256::pkcs8::EncodePrivateKey::to_pkcs8_pem(&secret, p256::pkcs8::LineEnding::LF)
        else {
            return Vec::new();
        };
        let identifier = hex::encode(rng.r#gen::<[u8; 16]>());
        let parent_row = parent.and_then(|p| made.get(p));
        let before = start + DAY_MS * n as i64;
        let after =
            private_ca::later(before, years, 0, 0).min(parent_row.map_or(i64::MAX, |p| p.after_ms));
        let mut row = private_ca::row(
            identifier,
            1_001 + n as i64,
            KeyKind::P256,
            [cn, "Emulator Corp", unit, "Hangzhou", "Zhejiang", "CN"],
            parent_row
                .map(|p| p.identifier.as_str())
                .unwrap_or_default(),
            before,
            after,
            before,
            Vec::new(),
        );
        row.private_key = key_pem.to_string();
        if matches!(kind, Kind::Root | Kind::Sub(_)) {
            row.ca_status = "issue".to_owned();
            row.cert_total_count = 1_000;
        }
        let request = Request {
            kind,
            row,
            sans,
            extended_key_usages: Vec::new(),
            issuer: parent.and_then(|p| Some((made.get(p)?, keys.get(p)?))),
            key: SubjectKey::Pair(&key),
            serial: rng.r#gen(),
        };
        let Ok(mut cert) = private_ca::certify(request) else {
            return Vec::new();
        };
        if cn == "bob" {
            cert.status = "REVOKE".to_owned();
            cert.revoked_ms = Some(now_ms - 7 * DAY_MS);
        }
        made.push(cert);
        keys.push(key);
    }
    made
}

/// Two budgets of the current year.
fn budgets(now_ms: i64) -> Vec<Budget> {
    let year = &clock::date(now_ms)[..4];
    [("team-platform", "12000.00"), ("project-web", "3000.00")]
        .iter()
        .map(|(name, quota)| Budget {
            budget_name: (*name).to_owned(),
            budget_type: "CONSUME".to_owned(),
            comment: format!("Spending of {name}"),
            cycle_type: "MONTHLY".to_owned(),
            cycle_start_period: format!("{year}-01"),
            cycle_end_period: format!("{year}-12"),
            metric: "REQUIRE_AMOUNT".to_owned(),
            quota: (*quota).to_owned(),
            quota_type: "FIXED".to_owned(),
            cycle_quota: serde_json::Value::Array(Vec::new()),
            query_filter: serde_json::json!([{
                "Code": "PRODUCT", "SelectType": "IN", "Values": ["ecs", "oss"],
            }]),
            warn_confs: serde_json::json!([{
                "Name": "Alert-1", "ThresholdType": "PERCENT", "ThresholdValue": "80",
                "WarnTarget": "ACTUAL", "EventBridge": false, "MscChannels": [], "MscContacts": [],
                "Comment": "",
            }]),
            ec_id_account_ids: serde_json::Value::Null,
            created_ms: now_ms - 30 * DAY_MS,
        })
        .collect()
}

/// A tree of eight cost centres (IDs 1 to 8) under two tops.
fn cost_centers(now_ms: i64) -> Vec<CostCenter> {
    let owner = DEFAULT_ACCOUNT_ID.parse().unwrap_or(0);
    [
        (1, "Headquarters", -1),
        (2, "Engineering", 1),
        (3, "Sales", 1),
        (4, "Platform", 2),
        (5, "Web", 2),
        (6, "Research", -1),
        (7, "Labs", 6),
        (8, "Field", 3),
    ]
    .iter()
    .map(|(id, name, parent)| CostCenter {
        cost_center_id: *id,
        cost_center_name: (*name).to_owned(),
        owner_account_id: owner,
        parent_cost_center_id: *parent,
        created_ms: now_ms - 60 * DAY_MS,
    })
    .collect()
}

/// The rule of cost centre 2: resources tagged `team=engineering`.
fn cost_center_rules(now_ms: i64) -> Vec<CostCenterRule> {
    vec![CostCenterRule {
        id: 32_048,
        cost_center_id: 2,
        owner_account_id: DEFAULT_ACCOUNT_ID.parse().unwrap_or(0),
        filter_expression: serde_json::json!({
            "ExpressionType": "NARY",
            "OperatorType": "AND",
            "FilterValues": {"Code": "TAG-team", "CodeName": "team", "SelectType": "IN", "Values": ["engineering"]},
            "Operands": [],
        }),
        created_ms: now_ms - 60 * DAY_MS,
        modified_ms: now_ms - 60 * DAY_MS,
    }]
}

/// Two CSRs with deterministic P-256 keys (their own random sequence).
fn seeded_csrs() -> Vec<Csr> {
    let mut rng = StdRng::seed_from_u64(SEED ^ 0xc5);
    [
        (
            3_001,
            "www.piedpiper.com",
            "Pied Piper",
            "US",
            "California",
            "Palo Alto",
        ),
        (3_002, "api.hooli.cn", "Hooli", "CN", "Zhejiang", "Hangzhou"),
    ]
    .iter()
    .filter_map(|(id, cn, org, country, province, locality)| {
        let (key_pem, pem) = pki::seeded_csr(
            &mut rng,
            &pki::Subject {
                common_name: cn,
                sans: &[],
                country,
                province,
                locality,
                org_name: org,
                department: "IT",
            },
        )
        .ok()?;
        Some(Csr {
            csr_id: *id,
            name: format!("csr-{}", cn.replace('.', "-")),
            common_name: (*cn).to_owned(),
            sans: (*cn).to_owned(),
            algorithm: "ECC".to_owned(),
            key_size: 256,
            corp_name: (*org).to_owned(),
            department: "IT".to_owned(),
            country_code: (*country).to_owned(),
            province: (*province).to_owned(),
            locality: (*locality).to_owned(),
            csr: pem,
            private_key: key_pem,
        })
    })
    .collect()
}

/// One application per seeded CSR: the first made two days before `now` (issued), the
/// others at `now` (validating their domain).
fn applications(csrs: &[Csr], now: i64) -> Vec<Application> {
    csrs.iter()
        .enumerate()
        .map(|(i, csr)| Application {
            order_id: 2_021_000_001 + i as i64,
            instance_id: format!("cas-ivauto-seed{i}"),
            domain: csr.common_name.clone(),
            product_code: "digicert-free-1-free".to_owned(),
            validate_type: "DNS".to_owned(),
            created_ms: if i == 0 { now - 2 * DAY_MS } else { now },
            csr: csr.csr.clone(),
            private_key: csr.private_key.clone(),
            cert_id: None,
        })
        .collect()
}

/// A ledger over the current billing cycle and the two before it: a deposit of 50,000.00
/// and twelve instances (no randomness, so the other generators are untouched).
fn ledger(now: i64) -> Ledger {
    const INSTANCES: &[(&str, &str, &str, &str, &str, i64)] = &[
        (
            "i-bp1emu0001",
            "ecs",
            "Elastic Compute Service",
            "Subscription",
            "cn-hangzhou",
            68_400,
        ),
        (
            "i-bp1emu0002",
            "ecs",
            "Elastic Compute Service",
            "PayAsYouGo",
            "cn-hangzhou",
            23_517,
        ),
        (
            "i-bp1emu0003",
            "ecs",
            "Elastic Compute Service",
            "PayAsYouGo",
            "cn-shanghai",
            9_733,
        ),
        (
            "rm-bp1emu0001",
            "rds",
            "ApsaraDB RDS",
            "Subscription",
            "cn-hangzhou",
            120_000,
        ),
        (
            "rm-bp1emu0002",
            "rds",
            "ApsaraDB RDS",
            "PayAsYouGo",
            "cn-beijing",
            31_050,
        ),
        (
            "oss-emu-static",
            "oss",
            "Object Storage Service",
            "PayAsYouGo",
            "cn-hangzhou",
            4_219,
        ),
        (
            "oss-emu-backup",
            "oss",
            "Object Storage Service",
            "PayAsYouGo",
            "cn-shanghai",
            12_890,
        ),
        (
            "cdn-emu-web",
            "cdn",
            "Alibaba Cloud CDN",
            "PayAsYouGo",
            "cn-hangzhou",
            7_301,
        ),
        (
            "lb-bp1emu0001",
            "slb",
            "Server Load Balancer",
            "PayAsYouGo",
            "cn-hangzhou",
            5_436,
        ),
        (
            "cas-cn-emu0001",
            "cas",
            "SSL Certificates Service",
            "Subscription",
            "cn-hangzhou",
            99_900,
        ),
        (
            "nat-bp1emu0001",
            "nat",
            "NAT Gateway",
            "PayAsYouGo",
            "cn-hangzhou",
            8_640,
        ),
        (
            "ga-bp1emu0001",
            "ga",
            "Global Accelerator",
            "PayAsYouGo",
            "ap-southeast-1",
            15_555,
        ),
    ];
    let cycles: Vec<String> = (0..3).rev().map(|back| billing_cycle(now, back)).collect();
    let instances = INSTANCES
        .iter()
        .enumerate()
        .map(|(i, (id, code, name, kind, region, base))| BilledInstance {
            instance_id: (*id).to_owned(),
            product_code: (*code).to_owned(),
            product_name: (*name).to_owned(),
            subscription_type: (*kind).to_owned(),
            region: (*region).to_owned(),
            charges: cycles
                .iter()
                .enumerate()
                .map(|(c, cycle)| {
                    // Usage varies from month to month; subscriptions get 15% off.
                    let list = base + (base / 17) * ((i + c) % 5) as i64;
                    let discount = if *kind == "Subscription" {
                        list * 15 / 100
                    } else {
                        0
                    };
                    (cycle.clone(), list, discount)
                })
                .collect(),
        })
        .collect();
    Ledger {
        deposit_cents: 5_000_000,
        currency: "CNY".to_owned(),
        instances,
    }
}

/// The billing cycle (`YYYY-MM`) `back` months before the one of `now`.
fn billing_cycle(now: i64, back: i32) -> String {
    let date = clock::date(now);
    let year: i32 = date[..4].parse().unwrap_or(2026);
    let month: i32 = date[5..7].parse().unwrap_or(1);
    let index = year * 12 + (month - 1) - back;
    format!("{:04}-{:02}", index / 12, index % 12 + 1)
}

/// One package per free and DV product, 20 certificates each (the free quota's size).
fn packages() -> Vec<Package> {
    [
        "digicert-free-1-free",
        "symantec-free-1-free",
        "symantec-dv-1-starter",
        "geotrust-dv-1-starter",
        "geotrust-dv-w-starter",
        "globalsign-dv-1-personal",
        "globalsign-dv-w-advanced",
    ]
    .iter()
    .map(|code| Package {
        product_code: (*code).to_owned(),
        total_count: 20,
    })
    .collect()
}

/// Cloud resources, one per product and region, each serving a domain of a valid seeded
/// certificate (no randomness: the other generators' sequences stay as they were).
fn cloud_resources(certs: &[Certificate], now: i64) -> Vec<CloudResource> {
    let valid: Vec<&Certificate> = certs
        .iter()
        .filter(|c| clock::parse_date(&c.end_date).unwrap_or(0) > now + 30 * DAY_MS)
        .collect();
    const PRODUCTS: &[(&str, &str)] = &[
        ("SLB", "lb"),
        ("CDN", "cdn"),
        ("ALB", "alb"),
        ("NLB", "nlb"),
        ("OSS", "oss"),
        ("WAF", "waf"),
        ("DCDN", "dcdn"),
        ("LIVE", "live"),
    ];
    const REGIONS: &[&str] = &["cn-hangzhou", "cn-shanghai", "ap-southeast-1"];
    PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, (product, prefix))| {
            let cert = valid.get(i * 3 % valid.len().max(1)).copied();
            // A wildcard covers one label: the resource serves `www.` under it.
            let domain = cert
                .map(|c| match c.common_name.strip_prefix("*.") {
                    Some(base) => format!("www.{base}"),
                    None => c.common_name.clone(),
                })
                .unwrap_or_default();
            let balancer = matches!(*product, "SLB" | "ALB" | "NLB");
            CloudResource {
                id: 2_356 + i as i64 * 101,
                cloud_name: "aliyun".to_owned(),
                cloud_product: (*product).to_owned(),
                cloud_region: REGIONS[i % REGIONS.len()].to_owned(),
                instance_id: format!("{prefix}-{:012x}", 0x5a17_0000_u64 + i as u64 * 7919),
                domain,
                listener_id: if balancer {
                    format!(
                        "lsn-{:08x}@443",
                        0x9e37_79b9_u64.wrapping_mul(i as u64 + 1) & 0xffff_ffff
                    )
                } else {
                    String::new()
                },
                listener_port: if balancer {
                    "443".to_owned()
                } else {
                    String::new()
                },
                cert_id: cert.map(|c| c.certificate_id),
            }
        })
        .chain(std::iter::once(CloudResource {
            // A CDN domain that serves no certificate yet: where a user deploys a new one.
            id: 3_200,
            cloud_name: "aliyun".to_owned(),
            cloud_product: "CDN".to_owned(),
            cloud_region: "cn-hangzhou".to_owned(),
            instance_id: "cdn-www-example-com".to_owned(),
            domain: "www.example.com".to_owned(),
            listener_id: String::new(),
            listener_port: String::new(),
            cert_id: None,
        }))
        .collect()
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

fn alnum_lower(rng: &mut StdRng, len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| char::from(CHARS[rng.gen_range(0..CHARS.len())]))
        .collect()
}

fn hex(rng: &mut StdRng, bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rng.r#gen::<u8>()))
        .collect()
}

fn base_domain(rng: &mut StdRng) -> String {
    format!("{}.{}", pick(rng, NAMES), pick(rng, TLDS))
}

fn days(rng: &mut StdRng, range: std::ops::Range<i64>) -> i64 {
    rng.gen_range(range) * DAY_MS
}

fn certificate_orders(rng: &mut StdRng, now: i64) -> Vec<CertificateOrder> {
    (0..190i64)
        .map(|i| {
            let status = ORDER_STATUSES[(i % 8) as usize];
            let cert_type = *[("FREE", 4), ("DV", 3), ("OV", 2), ("EV", 1)]
                .choose_weighted(rng, |(_, w)| *w)
                .map(|(t, _)| t)
                .unwrap_or(&"DV");
            let domain_type = match cert_type {
                "FREE" | "DV" => pick(rng, &["ONE", "ONE", "WILDCARD"]),
                _ => pick(rng, &["ONE", "MULTIPLE", "WILDCARD", "M_WILDCARD", "MIX"]),
            };
            let (domain_count, wild_domain_count) = match domain_type {
                "ONE" => (1, 0),
                "WILDCARD" => (1, 1),
                "MULTIPLE" => (rng.gen_range(2..6), 0),
                "M_WILDCARD" => {
                    let n = rng.gen_range(2..5);
                    (n, n)
                }
                _ => (rng.gen_range(3..6), rng.gen_range(1..3)),
            };
            let base = base_domain(rng);
            let domain = match (status, domain_type) {
                ("PAYED" | "NOTACTIVATED", _) => String::new(),
                (_, "WILDCARD" | "M_WILDCARD") => format!("*.{base}"),
                _ => format!("{}{base}", pick(rng, HOSTS)),
            };
            let validity = match status {
                "ISSUED" => {
                    let start = now - days(rng, 10..300);
                    Some((start, now + days(rng, 32..365)))
                }
                "WILLEXPIRED" => {
                    let end = now + days(rng, 2..28);
                    Some((end - 365 * DAY_MS, end))
                }
                "EXPIRED" => {
                    let end = now - days(rng, 2..400);
                    Some((end - 365 * DAY_MS, end))
                }
                "REVOKED" => {
                    let start = now - days(rng, 10..200);
                    Some((start, start + 365 * DAY_MS))
                }
                _ => None,
            };
            let buy_date = match validity {
                Some((start, _)) => start - days(rng, 1..10),
                None => now - days(rng, 1..720),
            } + rng.gen_range(0..DAY_MS);
            let brand = if cert_type == "FREE" {
                "DigiCert"
            } else {
                pick(rng, BRANDS)
            };
            let trusted = matches!(status, "ISSUED" | "WILLEXPIRED") && rng.gen_bool(0.15);
            CertificateOrder {
                order_id: 2_345_000 + i * 7,
                aliyun_order_id: 234_567_000_000 + i * 131,
                instance_id: format!("cas-cn-{}", alnum_lower(rng, 12)),
                source_type: if i < 130 { "cpack" } else { "buy" }.to_owned(),
                status: status.to_owned(),
                cert_type: cert_type.to_owned(),
                algorithm: pick(rng, &["RSA", "RSA", "RSA", "ECC", "ECC", "SM2"]).to_owned(),
                domain,
                domain_count,
                wild_domain_count,
                domain_type: domain_type.to_owned(),
                buy_date,
                cert_start_time: validity.map(|(s, _)| s),
                cert_end_time: validity.map(|(_, e)| e),
                partner_order_id: format!("ca-{}", rng.gen_range(100_000..999_999)),
                product_code: format!(
                    "{}-{}-{}",
                    brand.to_ascii_lowercase(),
                    cert_type.to_ascii_lowercase(),
                    domain_type.to_ascii_lowercase()
                ),
                product_name: brand.to_owned(),
                root_brand: brand.to_owned(),
                trustee_status: if trusted { "trustee" } else { "unTrustee" }.to_owned(),
                resource_group_id: pick(rng, RESOURCE_GROUPS).to_owned(),
            }
        })
        .collect()
}

fn certificates(rng: &mut StdRng, now: i64) -> Vec<Certificate> {
    (0..160i64)
        .map(|i| {
            let upload = i >= 110;
            // 2 in 10 expired, 1 in 10 about to expire, the rest valid; away from the
            // 30-day boundary so the status does not flip within a day.
            let end = match i % 10 {
                0 | 1 => now - days(rng, 2..500),
                2 => now + days(rng, 2..28),
                _ => now + days(rng, 32..700),
            };
            let lifetime = if upload {
                365
            } else {
                *[90, 365].choose(rng).unwrap_or(&365)
            };
            let start = end - lifetime * DAY_MS;
            let base = base_domain(rng);
            let wildcard = rng.gen_bool(0.2);
            let common_name = if wildcard {
                format!("*.{base}")
            } else {
                format!("{}{base}", pick(rng, HOSTS))
            };
            let mut sans = vec![common_name.clone()];
            if wildcard {
                sans.push(base.clone());
            }
            if rng.gen_bool(0.3) {
                sans.push(format!("api.{base}"));
            }
            let (province, city, country) = *PLACES.choose(rng).unwrap_or(&PLACES[0]);
            let org_name = if rng.gen_bool(0.35) {
                let name = base.split('.').next().unwrap_or_default();
                format!("{} Technology Co., Ltd.", capitalize(name))
            } else {
                String::new()
            };
            let issuer = if upload {
                pick(rng, UPLOAD_ISSUERS).to_owned()
            } else {
                format!("{} Secure Site CN CA G3", pick(rng, BRANDS))
            };
            let id = 11_174_100 + i * 13;
            Certificate {
                certificate_id: id,
                instance_id: if upload {
                    format!("cas-upload-{}", alnum_lower(rng, 6))
                } else {
                    format!("cas-cn-{}", alnum_lower(rng, 12))
                },
                name: format!("cert-{}-{}", base.replace('.', "-"), id % 10_000),
                common_name,
                sans: sans.join(","),
                fingerprint: hex(rng, 20).to_ascii_uppercase(),
                sha2: hex(rng, 32).to_ascii_uppercase(),
                serial_no: hex(rng, 16),
                issuer,
                org_name,
                province: province.to_owned(),
                city: city.to_owned(),
                country: country.to_owned(),
                upload,
                start_date: clock::date(start),
                end_date: clock::date(end),
                resource_group_id: pick(rng, RESOURCE_GROUPS).to_owned(),
                cert: String::new(),
                key: String::new(),
                algorithm: String::new(),
                revoked: false,
                tags: Vec::new(),
                shared_with: Vec::new(),
            }
        })
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The status code ListDeploymentJobCert reports for a certificate.
fn status_code(cert: &Certificate, now: i64, trustee: bool) -> &'static str {
    let end = clock::parse_date(&cert.end_date).unwrap_or(0);
    if end + DAY_MS <= now {
        "expired"
    } else if end - now <= 30 * DAY_MS {
        "willExpired"
    } else if cert.upload {
        "upload"
    } else if trustee {
        "trustee"
    } else {
        "issued"
    }
}

fn deployment_jobs(rng: &mut StdRng, certs: &[Certificate], now: i64) -> Vec<DeploymentJob> {
    const JOBS: &[(i64, &str)] = &[
        (8888, "job-test"),
        (19_975, "job-cdn-renewal"),
        (43_222, "auto-test-AXX"),
        (52_011, "job-slb-prod"),
        (60_123, "job-waf-rotation"),
        (70_456, "job-oss-static"),
        (81_234, "job-live-ingest"),
        (90_001, "job-upload-batch"),
    ];
    JOBS.iter()
        .map(|(job_id, name)| {
            let count = rng.gen_range(1..=4);
            let chosen: Vec<&Certificate> = certs.choose_multiple(rng, count).collect();
            let certs = chosen
                .into_iter()
                .map(|cert| {
                    let trustee = !cert.upload && rng.gen_bool(0.2);
                    let free = !cert.upload && rng.gen_bool(0.3);
                    let start = clock::parse_date(&cert.start_date).unwrap_or(0);
                    let end = clock::parse_date(&cert.end_date).unwrap_or(0);
                    DeploymentJobCert {
                        cert_id: Some(cert.certificate_id),
                        order_id: (!cert.upload).then(|| 6_127_000 + cert.certificate_id % 1000),
                        cert_instance_id: cert.instance_id.clone(),
                        cert_name: cert.name.clone(),
                        common_name: cert.common_name.clone(),
                        sans: cert.sans.split(',').map(str::to_owned).collect(),
                        algorithm: pick(rng, &["RSA", "RSA", "ECC"]).to_owned(),
                        not_before_time: start,
                        not_after_time: end,
                        month: if end - start <= 100 * DAY_MS { 3 } else { 12 },
                        status_code: status_code(cert, now, trustee).to_owned(),
                        cert_type: if free {
                            "FREE"
                        } else {
                            pick(rng, &["DV", "DV", "OV", "EV"])
                        }
                        .to_owned(),
                        cert_order_type: if cert.upload {
                            "upload"
                        } else if free {
                            "free"
                        } else {
                            "buy"
                        }
                        .to_owned(),
                        is_trustee: trustee,
                    }
                })
                .collect();
            DeploymentJob {
                job_id: *job_id,
                name: (*name).to_owned(),
                certs,
                job_type: "user".to_owned(),
                status: "editing".to_owned(),
                started_ms: 0,
                created_ms: 0,
                modified_ms: 0,
                resource_ids: Vec::new(),
                contact_ids: vec![3_304],
                schedule_time: 0,
                rolled_back_workers: Vec::new(),
            }
        })
        .collect()
}

fn order_instances(rng: &mut StdRng, now: i64) -> Vec<OrderInstance> {
    let ca = pki::authority(rng, now).ok();
    (0..48i64)
        .map(|i| {
            let status = INSTANCE_STATUSES[(i % 8) as usize];
            let dv_like = i % 3 != 2;
            let cert_type = if dv_like {
                pick(rng, &["DV", "FREE"])
            } else {
                pick(rng, &["OV", "EV"])
            };
            let source = *[
                ("BUY", 6),
                ("CDN", 2),
                ("OSS", 1),
                ("EWS", 1),
                ("DOMAIN", 1),
            ]
            .choose_weighted(rng, |(_, w)| *w)
            .map(|(s, _)| s)
            .unwrap_or(&"BUY");
            let order_status = match status {
                "CHECKING" | "Verifying" | "Pending Verification" => Some("checking"),
                "Issued" => Some("issued"),
                "CHECKED_FAIL" => Some("checked_fail"),
                _ => None,
            };
            let dv = match (dv_like, order_status) {
                (true, Some(order_status)) => Some(dv_order(rng, ca.as_ref(), order_status, now)),
                _ => None,
            };
            OrderInstance {
                id: 2_755_600 + i * 3,
                instance_id: format!("cas-cn-{}", alnum_lower(rng, 8)),
                source: source.to_owned(),
                status: status.to_owned(),
                cert_type: cert_type.to_owned(),
                dv,
            }
        })
        .collect()
}

fn dv_order(
    rng: &mut StdRng,
    ca: Option<&pki::Authority>,
    order_status: &str,
    now: i64,
) -> DvOrder {
    let domain = format!(
        "{}{}",
        pick(rng, &["", "www.", "api.", "shop."]),
        base_domain(rng)
    );
    let dns = rng.gen_bool(0.6);
    let (check_name, check_value) = if dns {
        (
            format!("_dnsauth.{domain}"),
            format!(
                "{}{}",
                clock::date(now - DAY_MS).replace('-', ""),
                alnum_lower(rng, 22)
            ),
        )
    } else {
        (
            format!("http://{domain}/.well-known/pki-validation/fileauth.txt"),
            format!(
                "{}{}",
                clock::date(now - DAY_MS).replace('-', ""),
                alnum_lower(rng, 30)
            ),
        )
    };
    let issued = match (order_status, ca) {
        ("issued", Some(ca)) => {
            let not_before = now - days(rng, 5..60);
            pki::issue(ca, rng, &domain, not_before, not_before + 90 * DAY_MS).ok()
        }
        _ => None,
    };
    DvOrder {
        domain,
        order_status: order_status.to_owned(),
        check_type: if dns { "DNS" } else { "FILE" }.to_owned(),
        check_name,
        check_value,
        certificate: issued.as_ref().map(|i| i.certificate.clone()),
        private_key: issued.map(|i| i.private_key),
    }
}

const PRODUCTS: &[(&str, &str, &str)] = &[
    ("ecs", "", "ecs"),
    ("rds", "rds", "rds"),
    ("oss", "", "oss"),
    ("cas", "", "cas"),
    ("cdn", "", "cdn"),
    ("slb", "", "slb"),
    ("vpc", "", "vpc"),
    ("redisa", "redisa", "redisa"),
    ("waf", "", "waf"),
];
const ORDER_TYPES: &[(&str, u32)] = &[
    ("New", 40),
    ("Renew", 25),
    ("Upgrade", 8),
    ("TempUpgrade", 2),
    ("Downgrade", 3),
    ("Refund", 6),
    ("Convert", 3),
    ("ResizeDisk", 3),
    ("CompensatoryRenew", 2),
    ("IncreaseUpgrade", 3),
    ("Exchange", 2),
    ("ChangeOperatingSystem", 3),
];

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn billing_orders(rng: &mut StdRng, now: i64) -> Vec<BillingOrder> {
    // Creation times first (320 over the last 90 days, 6 within the last hour), oldest
    // first, so that order ids grow with time.
    let mut times: Vec<i64> = (0..320)
        .map(|_| now - rng.gen_range(60 * MINUTE_MS..90 * DAY_MS))
        .collect();
    times.extend((0..6).map(|_| now - rng.gen_range(MINUTE_MS..55 * MINUTE_MS)));
    times.sort_unstable();
    let mut orders: Vec<BillingOrder> = Vec::with_capacity(times.len());
    let mut next_id: i64 = 210_345_678_000_000;
    for (i, created) in times.into_iter().enumerate() {
        // Round to the second, as the wire does.
        let created = created - created.rem_euclid(1000);
        next_id += rng.gen_range(1_000..90_000);
        let (product_code, product_type, commodity_code) =
            *PRODUCTS.choose(rng).unwrap_or(&PRODUCTS[0]);
        // The first orders cycle through every order type; then weighted.
        let order_type = match ORDER_TYPES.get(i) {
            Some((t, _)) => *t,
            None => ORDER_TYPES
                .choose_weighted(rng, |(_, w)| *w)
                .map(|(t, _)| *t)
                .unwrap_or("New"),
        };
        let subscription_type = if order_type == "New" && rng.gen_bool(0.3) {
            "PayAsYouGo"
        } else {
            "Subscription"
        };
        let payment_status = if order_type == "Refund" {
            ""
        } else {
            *[("Paid", 85), ("Unpaid", 7), ("Cancelled", 8)]
                .choose_weighted(rng, |(_, w)| *w)
                .map(|(s, _)| s)
                .unwrap_or(&"Paid")
        };
        let related_order_id = match order_type {
            "New" => String::new(),
            _ => orders
                .choose(rng)
                .map(|o| o.order_id.clone())
                .unwrap_or_default(),
        };
        let gross: i64 = rng.gen_range(500..2_000_000);
        let discount_pct: i64 = rng.gen_range(60..=100);
        let mut pretax = gross * discount_pct / 100;
        let mut tax = pretax * 6 / 100;
        let mut gross_signed = gross;
        if order_type == "Refund" {
            pretax = -pretax;
            tax = -tax;
            gross_signed = -gross;
        }
        let payment_time = match payment_status {
            "Paid" | "" => clock::iso((created + rng.gen_range(0..10) * MINUTE_MS).min(now - 1000)),
            _ => String::new(),
        };
        orders.push(BillingOrder {
            order_id: next_id.to_string(),
            related_order_id,
            product_code: product_code.to_owned(),
            product_type: product_type.to_owned(),
            commodity_code: commodity_code.to_owned(),
            subscription_type: subscription_type.to_owned(),
            order_type: order_type.to_owned(),
            payment_status: payment_status.to_owned(),
            create_time: clock::iso(created),
            payment_time,
            currency: "CNY".to_owned(),
            payment_currency: "CNY".to_owned(),
            pretax_gross_amount: money(gross_signed),
            pretax_amount: money(pretax),
            pretax_amount_local: money(pretax),
            tax: money(tax),
            after_tax_amount: money(pretax + tax),
        });
    }
    orders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_two_decimals() {
        assert_eq!(money(6600), "66.00");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(0), "0.00");
    }
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use alibabacloud_credentials::{EcsRamRoleProvider, Env, ProvideCredentials};

use crate::common::{FakeServer, Reply, document, expiration_in};

const TOKEN: &str = "/latest/api/token";
const ROLES: &str = "/latest/meta-data/ram/security-credentials/";
const ROLE: &str = "/latest/meta-data/ram/security-credentials/my-role";

/// How the fake metadata service behaves.
#[derive(Clone)]
struct Imds {
    token_ok: bool,
    code: &'static str,
    expires_in: i64,
    delay: Duration,
}

impl Default for Imds {
    fn default() -> Self {
        Self {
            token_ok: true,
            code: "Success",
            expires_in: 3600,
            delay: Duration::ZERO,
        }
    }
}

/// A fake IMDS; each credentials answer has a new key id `STS.ecs-<n>`.
async fn imds(options: Imds) -> FakeServer {
    let served = AtomicUsize::new(0);
    FakeServer::start(
        move |request| match (request.method.as_str(), request.path.as_str()) {
            ("PUT", TOKEN) if options.token_ok => Reply::ok("tok-123"),
            ("PUT", TOKEN) => Reply::status(403, "forbidden"),
            ("GET", ROLES) => Reply::ok("my-role\n"),
            ("GET", ROLE) => {
                let n = served.fetch_add(1, Ordering::SeqCst) + 1;
                let mut body: serde_json::Value = serde_json::from_str(&document(
                    &format!("STS.ecs-{n}"),
                    "ecs-secret",
                    "ecs-token",
                    &expiration_in(options.expires_in),
                ))
                .unwrap();
                body["Code"] = options.code.into();
                Reply::ok(body.to_string()).after(options.delay)
            }
            _ => Reply::status(404, "not found"),
        },
    )
    .await
}

fn provider(server: &FakeServer, vars: &[(&str, &str)]) -> EcsRamRoleProvider {
    EcsRamRoleProvider::new()
        .with_env(Env::from_vars(vars.iter().copied()))
        .with_endpoint(&server.base_url)
}

#[tokio::test]
async fn imdsv2_token_is_requested_and_sent() {
    let server = imds(Imds::default()).await;
    let credentials = provider(&server, &[]).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ecs-1");
    assert_eq!(credentials.access_key_secret(), "ecs-secret");
    assert_eq!(credentials.security_token(), Some("ecs-token"));
    assert_eq!(credentials.provider(), "ecs_ram_role");
    assert!(credentials.expiration().is_some());

    let requests = server.requests();
    let paths: Vec<_> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        [
            format!("PUT {TOKEN}"),
            format!("GET {ROLES}"),
            format!("GET {ROLE}")
        ]
    );
    assert_eq!(
        requests[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for get in &requests[1..] {
        assert_eq!(get.header("x-aliyun-ecs-metadata-token"), Some("tok-123"));
    }
}

#[tokio::test]
async fn falls_back_to_imdsv1_when_the_token_request_fails() {
    let server = imds(Imds {
        token_ok: false,
        ..Imds::default()
    })
    .await;
    let credentials = provider(&server, &[]).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ecs-1");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for get in &requests[1..] {
        assert_eq!(get.method, "GET");
        assert_eq!(get.header("x-aliyun-ecs-metadata-token"), None);
    }
}

#[tokio::test]
async fn imdsv1_disabled_fails_without_a_token() {
    let server = imds(Imds {
        token_ok: false,
        ..Imds::default()
    })
    .await;
    let error = provider(&server, &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")])
        .provide_credentials()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("HTTP 403"), "{message}");
    assert!(
        message.contains("ALIBABA_CLOUD_IMDSV1_DISABLED=true"),
        "{message}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "no GET after the failed token request"
    );
}

#[tokio::test]
async fn code_other_than_success_is_an_error() {
    let server = imds(Imds {
        code: "Failed",
        ..Imds::default()
    })
    .await;
    let error = provider(&server, &[])
        .provide_credentials()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("Code \"Failed\""), "{message}");
    assert!(message.contains(ROLE), "{message}");
    assert!(!message.contains("ecs-secret") && !message.contains("ecs-token"));
}

#[tokio::test]
async fn role_name_from_the_environment_skips_the_listing() {
    let server = imds(Imds::default()).await;
    provider(&server, &[("ALIBABA_CLOUD_ECS_METADATA", "my-role")])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(server.count(ROLES), 0);
    assert_eq!(server.count(ROLE), 1);
}

#[tokio::test]
async fn disabled_by_the_environment() {
    let server = imds(Imds::default()).await;
    let error = provider(&server, &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn cached_until_stale_then_refreshed() {
    // Four seconds of validity: stale after half of it, so a quick second call is served
    // from the cache and a call 2.6 s later fetches again.
    let server = imds(Imds {
        expires_in: 4,
        ..Imds::default()
    })
    .await;
    let provider = provider(&server, &[]);
    let first = provider.provide_credentials().await.unwrap();
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.ecs-1");
    assert_eq!(second.access_key_id(), "STS.ecs-1");
    assert_eq!(server.count(ROLE), 1);

    tokio::time::sleep(Duration::from_millis(2600)).await;
    let third = provider.provide_credentials().await.unwrap();
    assert_eq!(third.access_key_id(), "STS.ecs-2");
    assert_eq!(server.count(ROLE), 2);
}

#[tokio::test]
async fn fifty_concurrent_callers_share_one_refresh() {
    let server = imds(Imds {
        delay: Duration::from_millis(200),
        ..Imds::default()
    })
    .await;
    let provider = Arc::new(provider(&server, &[]));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        let credentials = task.await.unwrap().unwrap();
        assert_eq!(credentials.access_key_id(), "STS.ecs-1");
    }
    assert_eq!(server.count(ROLE), 1);
    assert_eq!(server.count(TOKEN), 1);
}

#[tokio::test]
async fn one_second_timeouts() {
    let server = FakeServer::start(|_| Reply::ok("late").after(Duration::from_secs(10))).await;
    let started = Instant::now();
    let error = provider(&server, &[])
        .provide_credentials()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    // Token request (1 s) then the IMDSv1 role listing (1 s).
    assert!(elapsed < Duration::from_millis(4500), "{elapsed:?}");
    assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn already_expired_credentials_are_an_error_naming_the_expiration() {
    let server = imds(Imds {
        expires_in: -30,
        ..Imds::default()
    })
    .await;
    let message = provider(&server, &[])
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&format!("{}{ROLE}: ", server.base_url)),
        "{message}"
    );
    assert!(
        message.contains("already expired when received (Expiration "),
        "{message}"
    );
    assert!(!message.contains("ecs-secret") && !message.contains("ecs-token"));
}

#[tokio::test]
async fn oversized_answers_are_refused_naming_the_limit() {
    let huge = "r".repeat(70 * 1024);
    for path in [TOKEN, ROLES, ROLE] {
        let huge = huge.clone();
        let server = FakeServer::start(move |request| {
            if request.path == path {
                return Reply::ok(huge.clone());
            }
            match request.path.as_str() {
                TOKEN => Reply::ok("tok-123"),
                ROLES => Reply::ok("my-role\n"),
                _ => Reply::ok(document("STS.ecs", "s", "t", &expiration_in(3600))),
            }
        })
        .await;
        let result = provider(&server, &[]).provide_credentials().await;
        if path == TOKEN {
            // An unusable token falls back to IMDSv1 (as any token failure does).
            assert_eq!(result.unwrap().access_key_id(), "STS.ecs", "{path}");
            let refused = provider(&server, &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")])
                .provide_credentials()
                .await
                .unwrap_err()
                .to_string();
            assert!(
                refused.contains("the response body exceeds the 65536-byte limit"),
                "{refused}"
            );
            continue;
        }
        let message = result.unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                "GET {}{path}: the response body exceeds the 65536-byte limit",
                server.base_url
            ),
            "{path}"
        );
    }
}

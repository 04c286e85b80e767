//! Proxies on a generated client: `Config::proxy` and the `HTTP_PROXY` / `NO_PROXY`
//! environment, each through a loopback server acting as the forward proxy.
//!
//! One test in this binary: it sets process-wide environment variables.

mod support;

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::{Config, Credentials};
use support::*;

/// An endpoint nothing listens on: a request that reaches anything went through the proxy.
const UNREACHABLE: &str = "http://127.0.0.1:9";

fn client(endpoint: &str, proxy: Option<&str>) -> cas2020::Client {
    let mut config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(AK_ID, AK_SECRET))
        .retry_policy(alibabacloud_core::retry::RetryPolicy::disabled());
    if let Some(proxy) = proxy {
        config = config.proxy(proxy);
    }
    let config = config.build();
    if let Some(proxy) = proxy {
        assert!(
            !format!("{config:?}").contains("proxy-password"),
            "the proxy password shows in Debug"
        );
        assert!(proxy.contains("proxy-password"));
    }
    cas2020::Client::new(&config).unwrap()
}

#[tokio::test]
async fn requests_go_through_the_configured_or_the_environment_proxy() {
    // Config::proxy, with credentials in the URL.
    let proxy = TestServer::always(Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE)).await;
    let with_password = proxy
        .endpoint()
        .replace("http://", "http://user:proxy-password@");
    client(UNREACHABLE, Some(&with_password))
        .list_user_certificate_order()
        .send()
        .await
        .expect("answered by way of the proxy");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].header("host"),
        Some("127.0.0.1:9"),
        "the proxy is asked for the endpoint"
    );
    assert!(seen[0].header("proxy-authorization").is_some());

    // HTTP_PROXY from the environment, read when a client is built.
    let env_proxy = TestServer::always(Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE)).await;
    // SAFETY: this binary runs this one test; no other thread reads the environment now.
    unsafe { std::env::set_var("HTTP_PROXY", env_proxy.endpoint()) };
    client(UNREACHABLE, None)
        .list_user_certificate_order()
        .send()
        .await
        .expect("answered by way of HTTP_PROXY");
    assert_eq!(env_proxy.count(), 1);

    // NO_PROXY: the endpoint's host is reached directly.
    let direct = TestServer::always(Reply::ok(LIST_USER_CERTIFICATE_ORDER_SAMPLE)).await;
    // SAFETY: as above.
    unsafe { std::env::set_var("NO_PROXY", "127.0.0.1") };
    client(&direct.endpoint(), None)
        .list_user_certificate_order()
        .send()
        .await
        .expect("answered directly");
    assert_eq!(direct.count(), 1);
    assert_eq!(env_proxy.count(), 1, "NO_PROXY bypasses the proxy");
    // SAFETY: as above.
    unsafe {
        std::env::remove_var("HTTP_PROXY");
        std::env::remove_var("NO_PROXY");
    }
}

//! Per-call overrides (endpoint, headers, query parameters, user-agent suffix, connect
//! timeout), the client's user-agent suffix, and interceptors, against loopback servers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibabacloud_core::interceptor::{AfterResponse, BeforeSend, BeforeSign, Interceptor};
use alibabacloud_core::{CallOptions, Params};

use crate::support::*;

/// The query of a recorded request line (`POST /?a=b HTTP/1.1` → `a=b`).
fn query(request: &Recorded) -> String {
    let target = request.request_line.split(' ').nth(1).unwrap_or_default();
    target
        .split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_call_adds_headers_query_and_a_user_agent_and_may_go_elsewhere() {
    let client_server = TestServer::always(Reply::ok(OK_BODY)).await;
    let other = TestServer::always(Reply::ok(OK_BODY)).await;
    let credentials = CountingCredentials::default();
    let handle =
        handle(config(&client_server.endpoint(), &credentials).user_agent_suffix("my-app/1.2"));
    let options = CallOptions::new()
        .endpoint_override(other.endpoint())
        .header("X-Trace-Id", "trace-42")
        .query("Extra", "yes")
        .user_agent_suffix("batch-job")
        .connect_timeout(Duration::from_millis(300));
    handle
        .invoke_raw(&READ, &Params::new(), &options)
        .await
        .unwrap();
    assert_eq!(client_server.count(), 0, "the call went to the override");
    let request = &other.requests()[0];
    assert_eq!(request.header("x-trace-id"), Some("trace-42"));
    assert!(
        query(request).contains("Extra=yes"),
        "{}",
        request.request_line
    );
    let agent = request.header("user-agent").unwrap();
    assert!(agent.starts_with("alibabacloud-rust-sdk/"), "{agent}");
    assert!(agent.ends_with(" my-app/1.2 batch-job"), "{agent}");
    // The added header and the query are signed (V3 signs every header sent).
    let authorization = request.header("authorization").unwrap();
    assert!(authorization.contains("x-trace-id"), "{authorization}");
    assert!(
        request
            .header("host")
            .unwrap()
            .ends_with(&other.port.to_string())
    );

    // Without options, the client's endpoint and agent.
    handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .unwrap();
    let request = &client_server.requests()[0];
    assert!(request.header("x-trace-id").is_none());
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .ends_with(" my-app/1.2")
    );
}

/// Records what each hook saw.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Interceptor for Recorder {
    fn before_sign(&self, context: &mut BeforeSign<'_>) {
        context.add_header("x-added", format!("attempt-{}", context.attempt));
        context.add_query("Added", "1");
        self.seen.lock().unwrap().push(format!(
            "sign {} {}",
            context.operation.action, context.attempt
        ));
    }

    fn before_send(&self, request: &BeforeSend<'_>) {
        assert!(!request.redacted.contains(AK_SECRET));
        assert!(
            request.redacted.contains("Signature=<redacted>"),
            "{}",
            request.redacted
        );
        self.seen
            .lock()
            .unwrap()
            .push(format!("send {}", request.attempt));
    }

    fn after_response(&self, response: &AfterResponse<'_>) {
        self.seen.lock().unwrap().push(format!(
            "after {} {:?} {:?} {}",
            response.attempt,
            response.status,
            response.request_id,
            response.error.is_some()
        ));
    }
}

#[tokio::test]
async fn interceptors_see_every_attempt_and_their_additions_are_sent() {
    let server = TestServer::sequence(vec![
        Reply::error(503, "ServiceUnavailable"),
        Reply::ok(OK_BODY),
    ])
    .await;
    let recorder = Recorder::default();
    let credentials = CountingCredentials::default();
    let handle = handle(config(&server.endpoint(), &credentials).interceptor(recorder.clone()));
    handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .unwrap();
    let seen = recorder.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "sign DescribeThings 1",
            "send 1",
            "after 1 Some(503) Some(\"REQ-ServiceUnavailable\") true",
            "sign DescribeThings 2",
            "send 2",
            "after 2 Some(200) Some(\"REQ-OK\") false",
        ]
    );
    let requests = server.requests();
    assert_eq!(requests[1].header("x-added"), Some("attempt-2"));
    assert!(query(&requests[1]).contains("Added=1"));
}

//! Each call's tracing span, as a subscriber (an OpenTelemetry layer, say) sees it: the
//! span `alibabacloud.call` with the product, action, version, attempts, final status,
//! RequestId, outcome, latency and bytes in and out.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use alibabacloud_core::endpoint::ServiceInfo;
use alibabacloud_core::mock::{Mock, Rule};
use alibabacloud_core::operation::{Auth, BodyFormat, HttpMethod, Operation, Style};
use alibabacloud_core::{CallOptions, Config, Handle, Params, SignatureVersion};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// The fields of every closed `alibabacloud.call` span.
#[derive(Clone, Default)]
struct Spans {
    open: Arc<Mutex<BTreeMap<u64, BTreeMap<String, String>>>>,
    closed: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() != "alibabacloud.call" {
            return;
        }
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        self.open.lock().unwrap().insert(id.into_u64(), fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().remove(&id.into_u64()) {
            self.closed.lock().unwrap().push(fields);
        }
    }
}

static SERVICE: ServiceInfo = ServiceInfo {
    product: "demo",
    version: "2024-01-01",
    signature: SignatureVersion::V3,
    global_endpoint: Some("demo.aliyuncs.com"),
    regional_endpoints: &[],
    endpoint_rule: None,
    vpc_endpoint_rule: None,
};

static READ: Operation = Operation {
    action: "DescribeThings",
    version: "2024-01-01",
    method: HttpMethod::Post,
    style: Style::Rpc,
    path: "/",
    body: BodyFormat::None,
    read_only: true,
    client_token: None,
    sensitive: &[],
    auth: Auth::AccessKey,
};

#[tokio::test]
async fn each_call_span_carries_its_outcome() {
    let spans = Spans::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(spans.clone()))
        .expect("the only subscriber of this test binary");
    let mock = Mock::new()
        .rule(
            Rule::action("DescribeThings")
                .error(503, "ServiceUnavailable", "busy")
                .times(1),
        )
        .rule(Rule::action("DescribeThings").reply(r#"{"RequestId":"REQ-SPAN-1","Value":1}"#));
    let handle = Handle::new(&Config::builder().mock(mock).build(), &SERVICE).unwrap();
    handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .unwrap();
    let closed = spans.closed.lock().unwrap().clone();
    assert_eq!(closed.len(), 1, "{closed:?}");
    let span = &closed[0];
    for (field, value) in [
        ("product", "demo"),
        ("action", "DescribeThings"),
        ("version", "2024-01-01"),
        ("attempts", "2"),
        ("status", "200"),
        ("request_id", "REQ-SPAN-1"),
        ("outcome", "ok"),
        ("bytes_in", "36"),
    ] {
        assert_eq!(
            span.get(field).map(String::as_str),
            Some(value),
            "{field}: {span:?}"
        );
    }
    assert!(span.contains_key("latency_ms"), "{span:?}");
    assert!(span["bytes_out"].parse::<u64>().unwrap() > 0, "{span:?}");
}

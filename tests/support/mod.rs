//! Shared by the `client_*` test targets: a loopback HTTP server that records every request
//! and answers from a script, server-side signature verification, and the doc-page sample
//! responses.
//!
//! The server is hyper's HTTP/1 server on `127.0.0.1:0`, one task per connection, on the
//! test's own runtime (so paused time applies to it too).

#![allow(dead_code)] // each test target uses a different part of this module

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::signing;
use alibabacloud_core::{Config, ConfigBuilder, Credentials};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const AK_ID: &str = "LTAI-test-id";
pub const AK_SECRET: &str = "test-secret";

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The query exactly as it arrived (still percent-encoded).
    pub raw_query: String,
    /// The query decoded into pairs, in wire order.
    pub query: Vec<(String, String)>,
    /// Every header, names lowercase, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the server saw the request (tokio clock, so it follows paused time).
    pub at: tokio::time::Instant,
}

impl Recorded {
    /// The single value of header `name`; panics if it is repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        assert!(values.next().is_none(), "header {name} sent twice");
        first
    }

    /// The single value of query parameter `name`; panics if it is repeated.
    pub fn param(&self, name: &str) -> Option<&str> {
        let mut values = self
            .query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        assert!(values.next().is_none(), "query parameter {name} sent twice");
        first
    }

    /// The nonce of this attempt, whichever signature version sent it.
    pub fn nonce(&self) -> String {
        self.header("x-acs-signature-nonce")
            .or_else(|| self.param("SignatureNonce"))
            .expect("the request carries a nonce")
            .to_owned()
    }

    /// The signature of this attempt (V3 `Authorization` or V1 `Signature`).
    pub fn signature(&self) -> String {
        self.header("authorization")
            .or_else(|| self.param("Signature"))
            .expect("the request carries a signature")
            .to_owned()
    }

    /// The action, from the V3 header or the V1 query.
    pub fn action(&self) -> Option<&str> {
        self.header("x-acs-action").or_else(|| self.param("Action"))
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A response.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then close the connection without answering.
    Drop,
    /// Wait (on the tokio clock), then do the inner reply.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    /// HTTP 200 with a JSON body.
    pub fn ok(body: impl Into<String>) -> Self {
        Self::json(200, body)
    }

    /// A JSON body with any status.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::Respond {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json;charset=utf-8".into(),
            )],
            body: body.into(),
        }
    }

    /// An error body in the POP gateway's shape.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({
                "RequestId": format!("REQ-{code}"),
                "HostId": "cas.aliyuncs.com",
                "Code": code,
                "Message": message,
                "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}"),
            })
            .to_string(),
        )
    }

    /// Any status, body and content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<String>) -> Self {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// Answers after `delay`.
    pub fn delayed(self, delay: Duration) -> Self {
        Reply::Delay(delay, Box::new(self))
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A loopback server that records requests and answers with a handler.
pub struct TestServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server whose handler gets each request and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let log = log.clone();
            async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let log = log.clone();
                    let handler = handler.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |request: Request<Incoming>| {
                            let log = log.clone();
                            let handler = handler.clone();
                            async move { serve(request, &log, &*handler).await }
                        });
                        // A `Reply::Drop` ends the connection with an error: ignore it.
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        });
        Self { addr, log, task }
    }

    /// Answers request `i` with `replies[i]`, and every later one with the last reply.
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty());
        Self::start(move |_, i| replies[i.min(replies.len() - 1)].clone()).await
    }

    /// Always answers with `reply`.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    /// `http://127.0.0.1:port`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().expect("log lock").clone()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.log.lock().expect("log lock").len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

async fn serve(
    request: Request<Incoming>,
    log: &Mutex<Vec<Recorded>>,
    handler: &Handler,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let recorded = Recorded {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: decode_pairs(&raw_query),
        raw_query,
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
        at: tokio::time::Instant::now(),
    };
    let index = {
        let mut log = log.lock().expect("log lock");
        log.push(recorded.clone());
        log.len() - 1
    };
    let mut reply = handler(&recorded, index);
    loop {
        match reply {
            Reply::Delay(delay, inner) => {
                tokio::time::sleep(delay).await;
                reply = *inner;
            }
            Reply::Drop => return Err(Dropped),
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut response = Response::builder().status(status);
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                return Ok(response
                    .body(Full::new(Bytes::from(body)))
                    .expect("valid response"));
            }
        }
    }
}

/// `a=1&b=x%20y` → pairs, percent-decoded, as a server reads them.
pub use alibabacloud_core::signing::encode::parse_pairs as decode_pairs;

/// A configuration aimed at `server`, with AK credentials and a short backoff.
pub fn config(server: &TestServer) -> ConfigBuilder {
    Config::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(AK_ID, AK_SECRET))
        .retry_policy(fast_retries())
        .connect_timeout(LOOPBACK_CONNECT)
}

/// The connect timeout of the tests' clients: a loopback connect takes microseconds, and an
/// attempt lasts at least the connect timeout, so short read timeouts stay short.
pub const LOOPBACK_CONNECT: Duration = Duration::from_millis(250);

/// The default three attempts, with millisecond backoff so tests stay quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(20))
}

// ---------------------------------------------------------------------------------------------
// Server-side signature verification
// ---------------------------------------------------------------------------------------------

pub use alibabacloud_core::signing::Rejection;

/// Verifies the signature of `request` with `secret`, as the gateway does: core's
/// [`signing::verify`] (the canonical request or the sorted parameters rebuilt from what the
/// server received, the V3 signed-header set and body hash, the V1 common parameters).
pub fn verify(request: &Recorded, secret: &str) -> Result<signing::Verified, Rejection> {
    signing::verify(
        &signing::Received {
            method: &request.method,
            path: &request.path,
            query: &request.query,
            headers: &request.headers,
            body: &request.body,
        },
        secret,
    )
}

/// Verifies `request` with `secret`; answers `ok` when it holds, else the gateway's
/// error (`SignatureDoesNotMatch` echoing the server's string-to-sign, or
/// `IncompleteSignature`).
pub fn signed_or_reject(request: &Recorded, secret: &str, ok: Reply) -> Reply {
    match verify(request, secret) {
        Ok(_) => ok,
        Err(Rejection::Mismatch { string_to_sign }) => Reply::json(
            400,
            serde_json::json!({
                "RequestId": "REQ-SIG",
                "HostId": "cas.aliyuncs.com",
                "Code": "SignatureDoesNotMatch",
                "Message": format!(
                    "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
                ),
                "Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch",
            })
            .to_string(),
        ),
        Err(why) => Reply::json(
            400,
            serde_json::json!({
                "RequestId": "REQ-SIG",
                "Code": "IncompleteSignature",
                "Message": format!("The request signature does not conform to Aliyun standards: {why}"),
            })
            .to_string(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Sample responses, verbatim from the documentation pages in shared/api-docs
// ---------------------------------------------------------------------------------------------

/// `cas-ListUserCertificateOrder.txt`, "Sample success responses".
pub const LIST_USER_CERTIFICATE_ORDER_SAMPLE: &str = r#"{
  "ShowSize": 10,
  "CurrentPage": 1,
  "TotalCount": 1,
  "CertificateOrderList": [
    {
      "Algorithm": "RSA",
      "AliyunOrderId": 234567,
      "BuyDate": 1634283958000,
      "CertEndTime": 1665819958000,
      "CertStartTime": 1665819958000,
      "CertType": "FREE",
      "Domain": "aliyundoc.com",
      "DomainCount": 1,
      "DomainType": "ONE",
      "InstanceId": "cas-instanceId",
      "OrderId": 2345687,
      "PartnerOrderId": "ca-123456",
      "ProductCode": "bykj123456",
      "ProductName": "CFCA",
      "RootBrand": "CFCA",
      "SourceType": "buy",
      "Status": "PAYED",
      "TrusteeStatus": "unTrustee",
      "WildDomainCount": 0,
      "CertificateId": 896521,
      "Name": "cert-name",
      "CommonName": "aliyun.com",
      "Fingerprint": "CC6B3696E7C7CA715BD26E28E45FF3E3DF435C03",
      "Sha2": "56B4DED2243A81DD909D7C39824FFE4DDBD87F91BFA46CD333FF212FE0E7CB11",
      "SerialNo": "040a6e493cffdda6d744acf99b6576cf",
      "Issuer": "MyIssuer",
      "OrgName": "Alibaba Cloud\n",
      "Province": "Zhejiang\n",
      "City": "Hangzhou\n",
      "Country": "CN",
      "Sans": "aliyun.com",
      "Expired": true,
      "Upload": false,
      "StartDate": "2021-11-16",
      "EndDate": "2022-11-17",
      "ResourceGroupId": "rg-ae******4wia"
    }
  ],
  "RequestId": "15C66C7B-671A-4297-9187-2C4477247A74"
}"#;

/// `cas-ListDeploymentJobCert.txt`, "Sample success responses".
pub const LIST_DEPLOYMENT_JOB_CERT_SAMPLE: &str = r#"{
  "Data": [
    {
      "CertId": 11174100,
      "OrderId": 6127067,
      "CertInstanceId": "cas-ivauto-2crxzi",
      "CertName": "edkog.shop",
      "CommonName": "vaultwebhook.vault-webhook.svc",
      "Sans": [
        "aliyundoc.com"
      ],
      "Algorithm": "RSA",
      "NotBeforeTime": 1683625266108,
      "NotAfterTime": 1683625266108,
      "Month": 12,
      "StatusCode": "issued",
      "CertType": "DV",
      "CertOrderType": "buy",
      "IsTrustee": true
    }
  ],
  "RequestId": "15C66C7B-671A-4297-9187-2C4477247A74"
}"#;

/// `cas-DescribeOrderInstanceList.md`, "Sample success responses", JSON format.
pub const DESCRIBE_ORDER_INSTANCE_LIST_SAMPLE: &str = r#"{
	"OrderList": [
		{
			"Source": "BUY",
			"Status": "PAYED",
			"CertType": "EV",
			"InstanceId": "cas-cn-68n1mm16****",
			"Id": 2755629
		},
		{
			"Source": "BUY",
			"Status": "CHECKING",
			"CertType": "OV",
			"InstanceId": "cas-cn-68n1mm16****",
			"Id": 2755619
		}
	],
	"TotalCount": 145,
	"RequestId": "5BCD2F6C-7A9D-47C1-8588-2CC6A4E0BE5E"
}"#;

/// `cas-DescribeDVOrderResult.txt`, "Sample success responses", JSON format.
pub const DESCRIBE_DV_ORDER_RESULT_SAMPLE: &str = r#"{
"CheckType" : "DNS",
"RequestId" : "EECA10D5-BD0F-4EF1-B3EA-B4578E5C6F8E",
"Certificate" : "-----BEGIN CERTIFICATE----- MIIF...... -----END CERTIFICATE-----",
"PrivateKey" : "----BEGIN RSA PRIVATE KEY----- MII.... -----END RSA PRIVATE KEY-----",
"OrderStatus" : "checking",
"CheckValue" : "201810150000000k09v6d4........",
"CheckName" : "_xx.aliyundns2018****"
}"#;

/// `bss-DescribeOrderList.txt`, "Success response", JSON format (QueryOrders' shape).
pub const DESCRIBE_ORDER_LIST_SAMPLE: &str = r#"{
"Code": "Success",
"Message": "Successful!",
"RequestId": "61293E7A-3406-4447-8620-EC88B0AA66AD",
"Success": true,
"Data": {
"HostName": "test",
"PageNum": 1,
"PageSize": 20,
"TotalCount": 1,
"OrderList": {
"Order": [
{
"PretaxAmount": "0",
"CommodityCode": "ecs",
"RelatedOrderId": "234535345345342",
"CreateTime": "2017-06-08T09:41:30Z",
"Currency": "CNY",
"SubscriptionType": "PayAsYouGo",
"PaymentCurrency": "CNY",
"ProductType": "rds",
"AfterTaxAmount": "66",
"PaymentTime": "2017-06-08T09:41:30Z",
"PretaxGrossAmount": "0",
"OrderType": "New",
"PaymentStatus": "Paid",
"OrderId": "34532532",
"Tax": "1",
"PretaxAmountLocal": "0",
"ProductCode": "rds"
}
]
}
}
}"#;

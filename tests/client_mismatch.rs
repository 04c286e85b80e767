//! The one rule for responses that do not match their schema, on a generated client against
//! a loopback server: a value that cannot be read as its field's type leaves that field
//! empty, the rest of the response is read, and a warning names the operation, the field's
//! path, the RequestId and the value; an array is never read as an object's fields.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20200407 as cas2020;
use support::*;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// GetAccountRelation as the service answers it: the times the metadata types as int64
/// arrive as dates.
const RELATION: &str = r#"{
  "RequestId": "REQ-DATES-1",
  "Success": true,
  "Code": "Success",
  "Message": "Successful!",
  "Data": {
    "Id": 1021,
    "ChildUserId": 1234567,
    "ParentUserId": 7654321,
    "Type": "enterprise_group",
    "Status": "RELATED",
    "StartTime": "2021-11-01",
    "EndTime": "2021-12-01",
    "GmtModified": "2021-12-01"
  }
}"#;

#[tokio::test]
async fn a_field_of_the_wrong_type_is_left_empty_and_named_in_a_warning() {
    let logs = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer({
            let logs = logs.clone();
            move || logs.clone()
        })
        .try_init()
        .expect("the only subscriber of this test binary");

    let server = TestServer::always(Reply::ok(RELATION)).await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    let response = client
        .get_account_relation()
        .relation_id(1021)
        .send()
        .await
        .expect("one odd field never fails a response");
    let data = response.data.expect("the rest of the response is read");
    assert_eq!(data.id, Some(1021));
    assert_eq!(data.child_user_id, Some(1234567));
    assert_eq!(data.status.as_deref(), Some("RELATED"));
    assert_eq!(data.start_time, None);
    assert_eq!(data.end_time, None);
    assert_eq!(data.gmt_modified, None);

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    for needle in [
        "GetAccountRelation",
        "Data.StartTime",
        "Data.EndTime",
        "Data.GmtModified",
        "REQ-DATES-1",
        "2021-11-01",
    ] {
        assert!(
            text.contains(needle),
            "no {needle:?} in the warnings:\n{text}"
        );
    }
}

#[tokio::test]
async fn an_array_is_never_read_as_an_object() {
    // Where an object is expected, an array would once fill its fields by position.
    let server = TestServer::always(Reply::ok(
        r#"{"RequestId":"R","Data":[1,2,3],"Success":true,"Code":"Success","Message":"ok"}"#,
    ))
    .await;
    let client = bss::Client::new(&config(&server).build()).unwrap();
    let response = client
        .get_account_relation()
        .relation_id(1)
        .send()
        .await
        .unwrap();
    assert!(response.data.is_none(), "{response:?}");

    // A whole response that is an array is no response.
    let server = TestServer::always(Reply::ok("[1,2,3]")).await;
    let client = cas2020::Client::new(&config(&server).build()).unwrap();
    let error = client.list_csr().send().await.expect_err("not an object");
    assert!(error.to_string().contains("not a JSON object"), "{error}");
}

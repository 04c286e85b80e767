//! The mock client for users' unit tests: a generated client configured with a
//! `Mock` sends nothing over the network; rules answer by action and parameters, in
//! order, a set number of times or forever, and the requests are recorded. Retries,
//! write safety and deserialization run as for real.

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::Config;
use alibabacloud_core::mock::{Mock, Rule};

fn client(mock: &Mock) -> cas2020::Client {
    cas2020::Client::new(&Config::builder().mock(mock.clone()).build()).unwrap()
}

#[tokio::test]
async fn rules_answer_by_action_and_parameters_and_requests_are_recorded() {
    let mock = Mock::new()
        .rule(
            Rule::action("GetCsrDetail")
                .param("CsrId", "7")
                .error(404, "NotFound", "no CSR 7"),
        )
        .rule(Rule::action("GetCsrDetail").reply(r#"{"RequestId":"R-1","CsrId":8,"Csr":"PEM"}"#))
        .rule(
            Rule::action("ListCsr")
                .reply(r#"{"RequestId":"R-2","TotalCount":1,"List":[{"CsrId":8}]}"#)
                .times(1),
        );
    let client = client(&mock);
    let error = client.get_csr_detail().csr_id(7).send().await.unwrap_err();
    assert_eq!(error.code(), Some("NotFound"));
    assert_eq!(error.http_status(), Some(404));
    let detail = client.get_csr_detail().csr_id(8).send().await.unwrap();
    assert_eq!(detail.csr.as_deref(), Some("PEM"));
    let page = client.list_csr().send().await.unwrap();
    assert_eq!(page.total_count, Some(1));
    // The ListCsr rule was for one call; no other rule answers it.
    let error = client.list_csr().send().await.unwrap_err();
    assert!(error.to_string().contains("no rule for ListCsr"), "{error}");

    let requests = mock.requests();
    let actions: Vec<&str> = requests.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        ["GetCsrDetail", "GetCsrDetail", "ListCsr", "ListCsr"]
    );
    assert_eq!(requests[0].param("CsrId"), Some("7"));
    assert_eq!(requests[0].version, "2020-04-07");
    assert!(
        requests[0].param("Signature").is_none(),
        "only the operation's parameters"
    );
}

#[tokio::test]
async fn failures_follow_the_write_rules() {
    // A write without a token, its connection broken after sending: sent once.
    let mock = Mock::new().rule(Rule::action("DeleteCsr").broken_connection());
    let error = client(&mock)
        .delete_csr()
        .csr_id(1)
        .send()
        .await
        .unwrap_err();
    assert!(error.may_have_run(), "{error}");
    assert_eq!(mock.requests().len(), 1);

    // A write with a token is retried with the same token.
    let mock =
        Mock::new()
            .rule(Rule::action("CreateInstance").broken_connection().times(1))
            .rule(Rule::action("CreateInstance").reply(
                r#"{"RequestId":"R","Success":true,"Code":"Success","Data":{"OrderId":"1"}}"#,
            ));
    let bss = bss::Client::new(&Config::builder().mock(mock.clone()).build()).unwrap();
    bss.create_instance()
        .product_code("rds")
        .subscription_type("Subscription")
        .send()
        .await
        .unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].param("ClientToken"),
        requests[1].param("ClientToken")
    );

    // A refused connection sent nothing: even a write is retried.
    let mock = Mock::new()
        .rule(Rule::action("DeleteCsr").refused_connection().times(1))
        .rule(Rule::action("DeleteCsr").reply(r#"{"RequestId":"R"}"#));
    client(&mock).delete_csr().csr_id(1).send().await.unwrap();
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_mock_request_hides_sensitive_values_in_debug() {
    let mock = Mock::new().rule(Rule::action("UpdateCsr").reply(r#"{"RequestId":"R"}"#));
    client(&mock)
        .update_csr()
        .csr_id(1)
        .key("-----BEGIN PRIVATE KEY-----MOCK-KEY")
        .send()
        .await
        .unwrap();
    let request = &mock.requests()[0];
    assert!(
        request.param("Key").unwrap().contains("MOCK-KEY"),
        "the test can read it"
    );
    assert!(!format!("{request:?}").contains("MOCK-KEY"));
}

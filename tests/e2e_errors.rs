//! Refusals as `alibabacloud_core::Error`, end to end against the emulator, each one attempt
//! and not retried: the gateway's (an unknown action or version, missing and invalid
//! parameters; and the generated builder's own check, which sends nothing) and each
//! operation's own error codes (an unknown job or instance, a foreign owner, the STS
//! parameter and OIDC token checks).

mod e2e;

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20180713 as cas2018;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::operation::{Auth, BodyFormat, HttpMethod, Location, Style};
use alibabacloud_core::{CallOptions, Handle, Operation, Params, ServiceInfo};
use alibabacloud_sts_20150401 as sts;
use e2e::{
    CAS2020, Fixture, TEST_LIMIT, VERSIONS, bounded, expect_error, jwt, oidc_provider_arn, role_arn,
};
use serde_json::{Value, json};

fn catalog_service(version: &str) -> &'static ServiceInfo {
    alibabacloud_catalog::PRODUCTS
        .iter()
        .find(|p| p.service.version == version)
        .expect("a catalog product")
        .service
}

fn catalog_operation(version: &str, action: &str) -> &'static Operation {
    let product = alibabacloud_catalog::PRODUCTS
        .iter()
        .find(|p| p.service.version == version)
        .expect("a catalog product");
    &product
        .operation(action)
        .expect("a catalog operation")
        .operation
}

/// An action no catalog product has.
const UNKNOWN_ACTION: Operation = Operation {
    action: "DescribeNothingAtAll",
    version: CAS2020,
    method: HttpMethod::Post,
    style: Style::Rpc,
    path: "/",
    body: BodyFormat::None,
    read_only: true,
    client_token: None,
    sensitive: &[],
    auth: Auth::AccessKey,
};

/// A known action under a version that does not exist.
const UNKNOWN_VERSION: Operation = Operation {
    action: "ListUserCertificateOrder",
    version: "2019-01-01",
    ..UNKNOWN_ACTION
};

#[tokio::test]
async fn unknown_actions_and_bad_parameters_are_refused() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let options = CallOptions::new();
        for version in VERSIONS {
            let config = fx.config().signature_version(version).build();
            let handle = Handle::new(&config, catalog_service(CAS2020)).unwrap();

            // InvalidApi.NotFound: an unknown action, a known action under an unknown version.
            for operation in [&UNKNOWN_ACTION, &UNKNOWN_VERSION] {
                let error = expect_error(
                    &fx,
                    handle.invoke::<Value>(operation, Params::new(), &options),
                    "InvalidApi.NotFound",
                    404,
                )
                .await;
                assert_eq!(
                    error.message(),
                    "Specified api is not found, please check your url and method."
                );
            }

            // Missing{Param}: no JobId at all, or an empty one (raw Params through the seam),
            // and an empty InstanceId through the generated client.
            let list_job = catalog_operation(CAS2020, "ListDeploymentJobCert");
            let mut empty = Params::new();
            empty.push(Location::Query, "JobId", "");
            for params in [Params::new(), empty] {
                let error = expect_error(
                    &fx,
                    handle.invoke::<Value>(list_job, params, &options),
                    "MissingJobId",
                    400,
                )
                .await;
                assert_eq!(error.message(), "JobId is mandatory for this action.");
            }
            let cas2018 = cas2018::Client::new(&config).unwrap();
            expect_error(
                &fx,
                cas2018.describe_dv_order_result().instance_id("").send(),
                "MissingInstanceId",
                400,
            )
            .await;

            // The generated builder refuses a missing required parameter before sending.
            let mark = fx.mark();
            let cas2020 = cas2020::Client::new(&config).unwrap();
            let error = cas2020.list_deployment_job_cert().send().await.unwrap_err();
            assert_eq!((error.kind(), error.code()), (ErrorKind::Build, None));
            assert_eq!(fx.since(mark).len(), 0, "nothing was sent");

            // InvalidParameter: values outside the documented enums (the generated enums
            // accept them), and a non-integer for an integer.
            let error = expect_error(
                &fx,
                cas2020
                    .list_user_certificate_order()
                    .order_type("BOGUS")
                    .send(),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(
                error.message(),
                "Specified parameter OrderType is not valid."
            );
            let error = expect_error(
                &fx,
                cas2020.list_user_certificate_order().status("BOGUS").send(),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(error.message(), "Specified parameter Status is not valid.");
            let bss = bss::Client::new(&config).unwrap();
            let error = expect_error(
                &fx,
                bss.query_orders().payment_status("Refunded").send(),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(
                error.message(),
                "Specified parameter PaymentStatus is not valid."
            );
            let mut not_a_number = Params::new();
            not_a_number.push(Location::Query, "JobId", "eight");
            let error = expect_error(
                &fx,
                handle.invoke::<Value>(list_job, not_a_number, &options),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(error.message(), "Specified parameter JobId is not valid.");
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn operation_specific_errors() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let config = fx.config().build();
        let cas2020 = cas2020::Client::new(&config).unwrap();
        let cas2018 = cas2018::Client::new(&config).unwrap();
        let bss = bss::Client::new(&config).unwrap();
        let sts = sts::Client::new(&config).unwrap();

        // ListDeploymentJobCert: an unknown job.
        let error = expect_error(
            &fx,
            cas2020.list_deployment_job_cert().job_id(1).send(),
            "InvalidJobId.NotFound",
            404,
        )
        .await;
        assert_eq!(
            error.message(),
            "The specified deployment job 1 does not exist."
        );

        // DescribeDVOrderResult: an unknown instance, and a real instance that is no DV order.
        let not_dv = fx
            .data
            .order_instances
            .iter()
            .find(|i| i.dv.is_none())
            .unwrap();
        for instance_id in ["cas-cn-nope", not_dv.instance_id.as_str()] {
            let error = expect_error(
                &fx,
                cas2018
                    .describe_dv_order_result()
                    .instance_id(instance_id)
                    .send(),
                "InvalidInstanceId.NotFound",
                404,
            )
            .await;
            assert!(error.message().contains(instance_id), "{error}");
        }

        // QueryOrders: an OwnerId other than the data set's account.
        expect_error(
            &fx,
            bss.query_orders().owner_id(42).send(),
            "InvalidOwner",
            400,
        )
        .await;
        let own: i64 = fx.emulator.account_id().parse().unwrap();
        bss.query_orders().owner_id(own).send().await.unwrap();

        // STS parameter checks.
        let assume = || {
            sts.assume_role()
                .role_arn(role_arn("e2e"))
                .role_session_name("e2e-session")
        };
        expect_error(
            &fx,
            assume().role_arn("arn:aws:iam::1:role/x").send(),
            "InvalidParameter.RoleArn",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().role_session_name("x").send(),
            "InvalidParameter.RoleSessionName",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().duration_seconds(899).send(),
            "InvalidParameter.DurationSeconds",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().duration_seconds(43_201).send(),
            "InvalidParameter.DurationSeconds",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().policy("{not json").send(),
            "InvalidParameter.PolicyGrammar",
            400,
        )
        .await;
        let future_token =
            jwt(&json!({"iss": "https://oidc.e2e.example", "exp": 4_102_444_800u64}));
        let oidc = |token: &str| {
            sts.assume_role_with_oidc()
                .oidc_provider_arn(oidc_provider_arn())
                .role_arn(role_arn("e2e"))
                .oidc_token(token)
        };
        expect_error(
            &fx,
            oidc(&future_token)
                .oidc_provider_arn("acs:ram::1:role/not-a-provider")
                .send(),
            "InvalidParameter.OIDCProviderArn",
            400,
        )
        .await;
        expect_error(&fx, oidc("abc").send(), "InvalidParameter.OIDCToken", 400).await;
        let expired = jwt(&json!({"iss": "https://oidc.e2e.example", "exp": 1_600_000_000u64}));
        expect_error(
            &fx,
            oidc(&expired).send(),
            "AuthenticationFail.OIDCToken.Expired",
            400,
        )
        .await;
        oidc(&future_token).send().await.unwrap();
        fx.emulator.shutdown().await;
    })
    .await;
}

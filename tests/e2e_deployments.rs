//! The deployment lifecycle on the generated CAS 2020-04-07 client against the emulator:
//! upload a certificate, create a job that deploys it to a cloud resource, start it, wait
//! until it succeeds (the generated waiter), and see the resource serve the certificate;
//! a job whose certificate does not cover its resource ends in `error`, worker by worker.

use std::time::Duration;

use alibabacloud_cas_20200407 as cas;
use alibabacloud_core::Config;
use alibabacloud_emulator::data::CloudResource;
use alibabacloud_emulator::{DataSet, Emulator, RunningEmulator};

const WEB_CERT: &str = include_str!("fixtures/pem/web.cert.pem");
const WEB_KEY: &str = include_str!("fixtures/pem/web.key.pem");

/// The resource that serves the fixture certificate's domain.
const SHOP_CDN: i64 = 9_001;
/// A resource of another domain.
const OTHER_SLB: i64 = 9_002;
/// One lifecycle step on the emulator's clock.
const STEP: Duration = Duration::from_millis(40);
const HOUR: Duration = Duration::from_secs(3600);

async fn start(step: Duration) -> (RunningEmulator, cas::Client) {
    let mut data = DataSet::seeded();
    for (id, product, domain) in [
        (SHOP_CDN, "CDN", "shop.fixture-works.example"),
        (OTHER_SLB, "SLB", "elsewhere.example"),
    ] {
        data.cloud_resources.push(CloudResource {
            id,
            cloud_name: "aliyun".into(),
            cloud_product: product.into(),
            cloud_region: "cn-hangzhou".into(),
            instance_id: format!("{}-fixture", product.to_lowercase()),
            domain: domain.into(),
            listener_id: String::new(),
            listener_port: String::new(),
            cert_id: None,
        });
    }
    let emulator = Emulator::builder()
        .data(data)
        .lifecycle_step(step)
        .start()
        .await
        .unwrap();
    let config = Config::builder()
        .endpoint(emulator.endpoint())
        .credentials(emulator.credentials())
        .build();
    let client = cas::Client::new(&config).unwrap();
    (emulator, client)
}

async fn upload(client: &cas::Client) -> i64 {
    client
        .upload_user_certificate()
        .name("web")
        .cert(WEB_CERT)
        .key(WEB_KEY)
        .send()
        .await
        .unwrap()
        .cert_id
        .unwrap()
}

async fn create_job(client: &cas::Client, cert: i64, resources: &str) -> i64 {
    client
        .create_deployment_job()
        .name("web-rollout")
        .job_type("user")
        .cert_ids(cert.to_string())
        .resource_ids(resources)
        .contact_ids("1")
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap()
}

async fn status(client: &cas::Client, job: i64) -> String {
    let job = client
        .describe_deployment_job()
        .job_id(job)
        .send()
        .await
        .unwrap();
    job.status.map(|s| s.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn an_uploaded_certificate_is_deployed_and_the_waiter_sees_success() {
    let (_emulator, client) = start(STEP).await;
    let cert = upload(&client).await;
    let job = create_job(&client, cert, &SHOP_CDN.to_string()).await;
    assert_eq!(status(&client, job).await, "editing");

    // Editing: it can be changed; it has not been deployed.
    client
        .update_deployment_job()
        .job_id(job)
        .name("web-rollout-2")
        .send()
        .await
        .unwrap();
    let certs = client
        .list_deployment_job_cert()
        .job_id(job)
        .send()
        .await
        .unwrap();
    assert_eq!(certs.data.len(), 1);
    assert_eq!(certs.data[0].cert_id, Some(cert));

    client
        .update_deployment_job_status()
        .job_id(job)
        .status("pending")
        .send()
        .await
        .unwrap();
    let done = client
        .wait_until_deployment_job_succeeded()
        .job_id(job)
        .poll_delays(STEP / 4, STEP)
        .max_wait(Duration::from_secs(20))
        .send()
        .await
        .unwrap();
    assert_eq!(done.name.as_deref(), Some("web-rollout-2"));
    assert_eq!(
        done.cert_domain.as_deref(),
        Some("shop.fixture-works.example")
    );

    // Once done, the resource serves the certificate, and the counts say so.
    let resources = client
        .list_cloud_resources()
        .keyword("shop.fixture-works")
        .send()
        .await
        .unwrap();
    assert_eq!(resources.data.len(), 1);
    assert_eq!(resources.data[0].cert_id, Some(cert));
    let counts = client
        .describe_deployment_job_status()
        .job_id(job)
        .send()
        .await
        .unwrap();
    assert_eq!(counts.success_count, Some(1));
    assert_eq!(counts.failed_count, Some(0));

    // A finished job cannot be restarted, but can be deleted.
    let again = client
        .update_deployment_job_status()
        .job_id(job)
        .status("pending")
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("OperationDenied.JobStatus"));
    client
        .delete_deployment_job()
        .job_id(job)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_deployment_job()
        .job_id(job)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("InvalidJobId.NotFound"));
}

#[tokio::test]
async fn the_job_moves_one_step_at_a_time_on_the_emulator_clock_and_fails_per_worker() {
    // A long step, so that only the test's clock moves the job.
    let (emulator, client) = start(HOUR).await;
    let cert = upload(&client).await;
    let job = create_job(&client, cert, &format!("{SHOP_CDN},{OTHER_SLB}")).await;
    client
        .update_deployment_job_status()
        .job_id(job)
        .status("pending")
        .send()
        .await
        .unwrap();
    let mut seen = vec![status(&client, job).await];
    for _ in 0..3 {
        emulator.advance(HOUR);
        seen.push(status(&client, job).await);
    }
    assert_eq!(seen, ["pending", "scheduling", "processing", "error"]);

    let workers = client
        .list_worker_resource()
        .job_id(job)
        .send()
        .await
        .unwrap();
    let outcome: Vec<(Option<i64>, String)> = workers
        .data
        .iter()
        .map(|w| {
            (
                w.resource_id,
                w.status.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        outcome,
        [
            (Some(SHOP_CDN), "success".to_owned()),
            (Some(OTHER_SLB), "error".to_owned())
        ]
    );
    let error = client
        .wait_until_deployment_job_succeeded()
        .job_id(job)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.waiter_state(), Some("error"));

    // A job that does not exist, or refers to nothing that exists, is refused.
    let missing = client
        .create_deployment_job()
        .name("x")
        .job_type("user")
        .cert_ids("1")
        .resource_ids(SHOP_CDN.to_string())
        .contact_ids("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("InvalidCertId.NotFound"));
}

//! CAS 2020-04-07 operations that act on stored resources, on the generated client against
//! the emulator: tags on certificates (given at upload, set, filtered, counted, removed),
//! ShareCertificate and CreateRollbackTask (a deployment worker rolled back: its resource
//! serves what it served before the job).

use std::time::Duration;

use alibabacloud_cas_20200407 as cas;
use alibabacloud_cas_20200407::tag_resources::Tag;
use alibabacloud_core::Config;
use alibabacloud_emulator::data::CloudResource;
use alibabacloud_emulator::{DataSet, Emulator, RunningEmulator};

const WEB_CERT: &str = include_str!("fixtures/pem/web.cert.pem");
const WEB_KEY: &str = include_str!("fixtures/pem/web.key.pem");
const SHOP_CDN: i64 = 9_001;
const STEP: Duration = Duration::from_millis(40);

async fn start() -> (RunningEmulator, cas::Client) {
    let mut data = DataSet::seeded();
    data.cloud_resources.push(CloudResource {
        id: SHOP_CDN,
        cloud_name: "aliyun".into(),
        cloud_product: "CDN".into(),
        cloud_region: "cn-hangzhou".into(),
        instance_id: "cdn-fixture".into(),
        domain: "shop.fixture-works.example".into(),
        listener_id: String::new(),
        listener_port: String::new(),
        cert_id: None,
    });
    let emulator = Emulator::builder()
        .data(data)
        .lifecycle_step(STEP)
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

async fn upload(client: &cas::Client, name: &str, tags: &[(&str, &str)]) -> i64 {
    let reply = client
        .upload_user_certificate()
        .name(name)
        .cert(WEB_CERT)
        .key(WEB_KEY)
        .tags(tags.iter().map(|(k, v)| Tag::default().key(*k).value(*v)))
        .send()
        .await
        .unwrap();
    reply.cert_id.unwrap()
}

#[tokio::test]
async fn certificates_carry_tags_that_the_tag_operations_filter_and_count() {
    let (emulator, client) = start().await;
    let a = upload(&client, "tagged-a", &[("env", "prod")]).await;
    let b = upload(&client, "tagged-b", &[]).await;
    client
        .tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("cert")
        .resource_id([a.to_string(), b.to_string()])
        .tag([Tag::default().key("team").value("web")])
        .send()
        .await
        .unwrap();
    let detail = client
        .get_user_certificate_detail()
        .cert_id(a)
        .send()
        .await
        .unwrap();
    let tags: Vec<_> = detail
        .tags
        .iter()
        .map(|t| (t.tag_key.clone().unwrap(), t.tag_value.clone().unwrap()))
        .collect();
    assert_eq!(
        tags,
        [("env".into(), "prod".into()), ("team".into(), "web".into())]
    );

    let by_tag = |key: &'static str, value: &'static str| {
        client
            .list_tag_resources()
            .region_id("cn-hangzhou")
            .resource_type("cert")
            .tag([Tag::default().key(key).value(value)])
            .send()
    };
    let prod = by_tag("env", "prod").await.unwrap();
    let ids: std::collections::BTreeSet<_> = prod
        .tag_resources
        .iter()
        .filter_map(|r| r.resource_id.clone())
        .collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), [a.to_string()]);
    assert_eq!(prod.tag_resources.len(), 2, "a row per tag of the resource");
    assert_eq!(by_tag("team", "web").await.unwrap().tag_resources.len(), 3);
    assert!(
        by_tag("team", "ops")
            .await
            .unwrap()
            .tag_resources
            .is_empty()
    );

    let keys = client
        .list_tag_keys()
        .region_id("cn-hangzhou")
        .resource_type("cert")
        .send()
        .await
        .unwrap();
    let counts: Vec<_> = keys
        .tag_keys
        .iter()
        .map(|k| (k.tag_key.clone().unwrap(), k.tag_count.unwrap()))
        .collect();
    assert_eq!(counts, [("env".to_owned(), 1), ("team".to_owned(), 2)]);

    // Paged by MaxResults / NextToken.
    let first = client
        .list_tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("cert")
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.tag_resources.len(), 2);
    let token = first.next_token.unwrap();
    assert!(!token.is_empty());
    let second = client
        .list_tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("cert")
        .max_results(2)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.tag_resources.len(), 1);
    assert_eq!(second.next_token.as_deref(), Some(""));

    client
        .untag_resources()
        .region_id("cn-hangzhou")
        .resource_type("cert")
        .resource_id([a.to_string()])
        .all(true)
        .send()
        .await
        .unwrap();
    assert!(
        by_tag("env", "prod")
            .await
            .unwrap()
            .tag_resources
            .is_empty()
    );
    let unknown_type = client
        .list_tag_keys()
        .region_id("cn-hangzhou")
        .resource_type("vpc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown_type.code(), Some("InvalidParameter.ResourceType"));
    let unknown = client
        .tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("cert")
        .resource_id(["1".to_owned()])
        .tag([Tag::default().key("k").value("v")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("InvalidResourceId.NotFound"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_stored_certificate_is_shared_and_an_unknown_one_is_not_found() {
    let (emulator, client) = start().await;
    let cert = upload(&client, "to-share", &[]).await;
    client
        .share_certificate()
        .certificate_id(cert)
        .target_user_id(1_111_222_233_334_444i64)
        .send()
        .await
        .unwrap();
    let unknown = client
        .share_certificate()
        .certificate_id(1)
        .target_user_id(1_111_222_233_334_444i64)
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("InvalidCertId.NotFound"));
    let own = client
        .share_certificate()
        .certificate_id(cert)
        .target_user_id(emulator.account_id().parse::<i64>().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(own.code(), Some("InvalidParameter.TargetUserId"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_rolled_back_worker_leaves_its_resource_as_it_was_before_the_job() {
    let (emulator, client) = start().await;
    let cert = upload(&client, "rollout", &[]).await;
    let job = client
        .create_deployment_job()
        .name("to-roll-back")
        .job_type("user")
        .cert_ids(cert.to_string())
        .resource_ids(SHOP_CDN.to_string())
        .contact_ids("1")
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    // Not finished: nothing to roll back yet.
    let early = client
        .create_rollback_task()
        .job_id(job)
        .worker_id(job * 100)
        .send()
        .await
        .unwrap_err();
    assert_eq!(early.code(), Some("OperationDenied.JobStatus"));
    client
        .update_deployment_job_status()
        .job_id(job)
        .status("pending")
        .send()
        .await
        .unwrap();
    client
        .wait_until_deployment_job_succeeded()
        .job_id(job)
        .poll_delays(STEP / 4, STEP)
        .max_wait(Duration::from_secs(20))
        .send()
        .await
        .unwrap();
    let served = |client: &cas::Client| {
        client
            .list_cloud_resources()
            .keyword("shop.fixture-works")
            .send()
    };
    assert_eq!(served(&client).await.unwrap().data[0].cert_id, Some(cert));
    let workers = client
        .list_worker_resource()
        .job_id(job)
        .send()
        .await
        .unwrap();
    let worker = workers.data[0].id.unwrap();

    client
        .create_rollback_task()
        .job_id(job)
        .worker_id(worker)
        .send()
        .await
        .unwrap();
    // The resource served nothing before the job.
    let resource = &served(&client).await.unwrap().data[0];
    assert!(resource.cert_id.unwrap_or(0) == 0, "{resource:?}");
    let again = client
        .create_rollback_task()
        .job_id(job)
        .worker_id(worker)
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("OperationDenied.JobStatus"));
    let counts = client
        .describe_deployment_job_status()
        .job_id(job)
        .send()
        .await
        .unwrap();
    assert_eq!(counts.rollback_count, Some(1));

    let no_job = client
        .create_rollback_task()
        .job_id(424_242)
        .worker_id(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(no_job.code(), Some("InvalidJobId.NotFound"));
    let no_worker = client
        .create_rollback_task()
        .job_id(job)
        .worker_id(7)
        .send()
        .await
        .unwrap_err();
    assert_eq!(no_worker.code(), Some("InvalidWorkerId.NotFound"));
    emulator.shutdown().await;
}

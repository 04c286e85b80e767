//! Upload a certificate and its key from PEM files, deploy it to the cloud resources that
//! serve its domains, and wait until the deployment has succeeded.
//!
//! ```sh
//! cargo run -p sdk-examples --bin upload_and_deploy -- --cert cert.pem --key key.pem --name web
//! cargo run -p sdk-examples --bin upload_and_deploy -- --emulator --cert cert.pem --key key.pem --name web
//! ```

use std::path::PathBuf;

use alibabacloud_cas_20200407 as cas;
use clap::Parser;
use futures::TryStreamExt;
use sdk_examples::Target;

/// Uploads a certificate and deploys it where its domains are served.
#[derive(Parser)]
struct Args {
    /// The certificate (and its chain), PEM.
    #[arg(long)]
    cert: PathBuf,
    /// Its private key, PEM.
    #[arg(long)]
    key: PathBuf,
    /// The name to upload it under.
    #[arg(long)]
    name: String,
    /// Call a local emulator instead of the cloud.
    #[arg(long)]
    emulator: bool,
}

/// Whether certificate name `name` (maybe `*.example.com`) covers `domain`.
fn covers(name: &str, domain: &str) -> bool {
    match name.strip_prefix("*.") {
        Some(base) => domain
            .split_once('.')
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(base)),
        None => name.eq_ignore_ascii_case(domain),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let cert = std::fs::read_to_string(&args.cert)?;
    let key = std::fs::read_to_string(&args.key)?;
    let target = Target::connect(args.emulator, None).await?;
    let client = cas::Client::new(&target.config)?;

    let uploaded = client
        .upload_user_certificate()
        .name(&args.name)
        .cert(cert)
        .key(key)
        .send()
        .await?;
    let cert_id = uploaded.cert_id.ok_or("the upload answered no CertId")?;
    let detail = client
        .get_user_certificate_detail()
        .cert_id(cert_id)
        .cert_filter(true)
        .send()
        .await?;
    let names: Vec<String> = detail
        .sans
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::to_owned)
        .collect();
    println!(
        "uploaded {} as certificate {cert_id}: {}",
        args.name,
        names.join(", ")
    );

    // The resources that serve one of the certificate's names.
    let resources: Vec<_> = client
        .list_cloud_resources()
        .show_size(50)
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    let matching: Vec<_> = resources
        .iter()
        .filter(|r| {
            let domain = r.domain.as_deref().unwrap_or_default();
            names.iter().any(|name| covers(name, domain))
        })
        .collect();
    if matching.is_empty() {
        return Err(format!("no cloud resource serves {}", names.join(", ")).into());
    }
    let resource_ids: Vec<String> = matching
        .iter()
        .filter_map(|r| r.id.map(|id| id.to_string()))
        .collect();

    let job = client
        .create_deployment_job()
        .name(format!("deploy-{}", args.name))
        .job_type("user")
        .cert_ids(cert_id.to_string())
        .resource_ids(resource_ids.join(","))
        .contact_ids("1")
        .send()
        .await?
        .job_id
        .ok_or("the job answered no JobId")?;
    client
        .update_deployment_job_status()
        .job_id(job)
        .status("pending")
        .send()
        .await?;
    println!(
        "deployment job {job} started for {} resource(s)",
        resource_ids.len()
    );

    let mut wait = client.wait_until_deployment_job_succeeded().job_id(job);
    if let Some((min, max)) = target.poll_delays() {
        wait = wait.poll_delays(min, max);
    }
    let done = wait.send().await?;
    let workers = client.list_worker_resource().job_id(job).send().await?;
    for worker in &workers.data {
        println!(
            "  {} {}: {}",
            worker
                .cloud_product
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            worker.resource_domain.as_deref().unwrap_or_default(),
            worker
                .status
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default()
        );
    }
    println!(
        "deployment job {job}: {}",
        done.status.map(|s| s.to_string()).unwrap_or_default()
    );
    Ok(())
}

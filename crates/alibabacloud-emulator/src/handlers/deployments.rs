//! Deployment jobs, CAS 2020-04-07: a job deploys stored certificates to stored cloud
//! resources.
//!
//! A job is created `editing` (CreateDeploymentJob), can be changed while it is
//! (UpdateDeploymentJob), and is started by UpdateDeploymentJobStatus `Status=pending`.
//! From then on it moves by itself, one lifecycle step each: `pending`, `scheduling`,
//! `processing`, then `success`, or `error` when a worker failed. A worker (one per
//! resource) fails when none of the job's certificates covers the resource's domain or the
//! certificate has expired; a successful worker leaves the resource serving the
//! certificate. A job that is scheduling or processing cannot be changed or deleted.

use serde_json::{Value, json};

use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::data::ids::next_id;
use crate::data::{Certificate, CloudResource, DataSet, DeploymentJob, DeploymentJobCert};
use crate::errors::ApiError;

/// The first ID given to a created job when the data set has none above it.
const FIRST_JOB_ID: i64 = 100_000;

fn not_found(kind: &str, id: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        404,
        format!("Invalid{kind}.NotFound"),
        format!("The specified {kind} {id} does not exist."),
    )
}

fn denied(status: &str) -> ApiError {
    ApiError::new(
        400,
        "OperationDenied.JobStatus",
        format!("The operation is not allowed while the job is {status}."),
    )
}

/// Comma-separated IDs (`CertIds=1,2`), or `None` when one is not a number.
fn ids(text: &str) -> Option<Vec<i64>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect()
}

fn id_list(ctx: &Ctx<'_>, name: &str) -> Result<Option<Vec<i64>>, ApiError> {
    match ctx.text(name) {
        None => Ok(None),
        Some(text) => ids(text).map(Some).ok_or_else(|| {
            ApiError::new(
                400,
                "InvalidParameter",
                format!("The parameter {name} must be comma-separated IDs."),
            )
        }),
    }
}

/// Whether `name` (a certificate name, maybe `*.example.com`) covers `domain`.
fn covers(name: &str, domain: &str) -> bool {
    match name.strip_prefix("*.") {
        Some(base) => domain
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest.eq_ignore_ascii_case(base)),
        None => name.eq_ignore_ascii_case(domain),
    }
}

fn cert_covers(cert: &Certificate, domain: &str) -> bool {
    domain.is_empty()
        || covers(&cert.common_name, domain)
        || cert.sans.split(',').any(|san| covers(san.trim(), domain))
}

/// One worker: a resource, the certificate chosen for it and its outcome once the job ends.
struct Worker<'a> {
    resource: &'a CloudResource,
    cert: Option<&'a Certificate>,
    /// Why it fails, if it does.
    error: Option<String>,
}

fn workers<'a>(data: &'a DataSet, job: &DeploymentJob) -> Vec<Worker<'a>> {
    let certs: Vec<&Certificate> = job
        .certs
        .iter()
        .filter_map(|c| c.cert_id)
        .filter_map(|id| data.certificates.iter().find(|c| c.certificate_id == id))
        .collect();
    let started = job.started_ms.max(job.schedule_time);
    job.resource_ids
        .iter()
        .filter_map(|id| data.cloud_resources.iter().find(|r| r.id == *id))
        .map(|resource| {
            let cert = certs
                .iter()
                .copied()
                .find(|c| cert_covers(c, &resource.domain));
            let error = match cert {
                None => Some(format!(
                    "No certificate of the job covers {}.",
                    resource.domain
                )),
                Some(c) if crate::clock::parse_date(&c.end_date).unwrap_or(0) <= started => {
                    Some(format!("The certificate {} has expired.", c.certificate_id))
                }
                Some(_) => None,
            };
            Worker {
                resource,
                cert,
                error,
            }
        })
        .collect()
}

/// Where a job is at `now_ms` (steps of `step_ms` from its start).
fn status(data: &DataSet, job: &DeploymentJob, now_ms: i64, step_ms: i64) -> &'static str {
    if job.status != "pending" || job.started_ms == 0 {
        return if job.status == "pending" {
            "pending"
        } else {
            "editing"
        };
    }
    let start = job.started_ms.max(job.schedule_time);
    match (now_ms - start) / step_ms.max(1) {
        i64::MIN..=0 => "pending",
        1 => "scheduling",
        2 => "processing",
        _ if workers(data, job).iter().any(|w| w.error.is_some()) => "error",
        _ => "success",
    }
}

/// A worker's ID: its job's, then its position.
fn worker_id(job: &DeploymentJob, index: usize) -> i64 {
    job.job_id
        .saturating_mul(100)
        .saturating_add(i64::try_from(index).unwrap_or(i64::MAX))
}

/// What the successful jobs (but `except`) deployed to `resource`, in start order, with
/// the workers rolled back left out.
fn deployments_to(
    data: &DataSet,
    resource: i64,
    except: Option<i64>,
    now_ms: i64,
    step_ms: i64,
) -> Vec<(i64, i64)> {
    let mut deployed = Vec::new();
    for job in &data.deployment_jobs {
        if Some(job.job_id) == except || status(data, job, now_ms, step_ms) != "success" {
            // An errored job deployed nothing.
            continue;
        }
        for (i, worker) in workers(data, job).iter().enumerate() {
            if worker.resource.id != resource
                || job.rolled_back_workers.contains(&worker_id(job, i))
            {
                continue;
            }
            if let Some(cert) = worker.cert {
                deployed.push((job.started_ms.max(job.schedule_time), cert.certificate_id));
            }
        }
    }
    deployed.sort();
    deployed
}

/// Applies the outcome of every job that has ended: its resources serve its certificates
/// (but those of workers rolled back).
fn settle(data: &mut DataSet, now_ms: i64, step_ms: i64) {
    let mut deployed = Vec::new();
    for job in &data.deployment_jobs {
        if status(data, job, now_ms, step_ms) == "success" {
            for (i, worker) in workers(data, job).iter().enumerate() {
                if job.rolled_back_workers.contains(&worker_id(job, i)) {
                    continue;
                }
                if let Some(cert) = worker.cert {
                    deployed.push((worker.resource.id, cert.certificate_id));
                }
            }
        }
    }
    for (resource_id, cert_id) in deployed {
        if let Some(resource) = data
            .cloud_resources
            .iter_mut()
            .find(|r| r.id == resource_id)
        {
            resource.cert_id = Some(cert_id);
        }
    }
}

fn job_cert(cert: &Certificate) -> DeploymentJobCert {
    let start = crate::clock::parse_date(&cert.start_date).unwrap_or(0);
    let end = crate::clock::parse_date(&cert.end_date).unwrap_or(0);
    DeploymentJobCert {
        cert_id: Some(cert.certificate_id),
        order_id: None,
        cert_instance_id: cert.instance_id.clone(),
        cert_name: cert.name.clone(),
        common_name: cert.common_name.clone(),
        sans: cert.sans.split(',').map(str::to_owned).collect(),
        algorithm: if cert.algorithm.is_empty() {
            "RSA".to_owned()
        } else {
            cert.algorithm.clone()
        },
        not_before_time: start,
        not_after_time: end,
        month: 12,
        status_code: "ISSUED".to_owned(),
        cert_type: if cert.upload { "UPLOAD" } else { "DV" }.to_owned(),
        cert_order_type: if cert.upload { "upload" } else { "buy" }.to_owned(),
        is_trustee: false,
    }
}

/// The certificates and resources named by `CertIds` / `ResourceIds`, all of which must
/// exist.
fn resolve(
    data: &DataSet,
    cert_ids: &[i64],
    resource_ids: &[i64],
) -> Result<Vec<DeploymentJobCert>, ApiError> {
    let certs = cert_ids
        .iter()
        .map(|id| {
            data.certificates
                .iter()
                .find(|c| c.certificate_id == *id)
                .map(job_cert)
                .ok_or_else(|| not_found("CertId", id))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(missing) = resource_ids
        .iter()
        .find(|id| !data.cloud_resources.iter().any(|r| r.id == **id))
    {
        return Err(not_found("ResourceId", missing));
    }
    Ok(certs)
}

/// CreateDeploymentJob: a new job, `editing`.
pub(crate) fn create(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cert_ids = id_list(ctx, "CertIds")?.unwrap_or_default();
    let resource_ids = id_list(ctx, "ResourceIds")?.unwrap_or_default();
    let contact_ids = id_list(ctx, "ContactIds")?.unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let certs = resolve(&data, &cert_ids, &resource_ids)?;
    let job_id = next_id(data.deployment_jobs.iter().map(|j| j.job_id), FIRST_JOB_ID)
        .ok_or_else(|| ApiError::ids_exhausted("deployment job"))?;
    data.deployment_jobs.push(DeploymentJob {
        job_id,
        name: ctx.text("Name").unwrap_or_default().to_owned(),
        certs,
        job_type: ctx.text("JobType").unwrap_or("user").to_owned(),
        status: "editing".to_owned(),
        started_ms: 0,
        created_ms: ctx.now_ms,
        modified_ms: ctx.now_ms,
        resource_ids,
        contact_ids,
        schedule_time: ctx.int("ScheduleTime", 0),
        rolled_back_workers: Vec::new(),
    });
    Ok(object(json!({ "JobId": job_id })))
}

/// The job `JobId` names, with what it needs: (index, current status).
fn find(ctx: &Ctx<'_>, data: &DataSet) -> Result<(usize, &'static str), ApiError> {
    let job_id = ctx.int("JobId", 0);
    let index = data
        .deployment_jobs
        .iter()
        .position(|j| j.job_id == job_id)
        .ok_or_else(|| not_found("JobId", job_id))?;
    let status = status(
        data,
        &data.deployment_jobs[index],
        ctx.now_ms,
        ctx.state.step_ms(),
    );
    Ok((index, status))
}

/// UpdateDeploymentJob: changes an `editing` job.
pub(crate) fn update(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cert_ids = id_list(ctx, "CertIds")?;
    let resource_ids = id_list(ctx, "ResourceIds")?;
    let contact_ids = id_list(ctx, "ContactIds")?;
    let mut data = ctx.state.data_mut();
    let (index, status) = find(ctx, &data)?;
    if status != "editing" {
        return Err(denied(status));
    }
    let job = &data.deployment_jobs[index];
    let cert_ids = cert_ids.unwrap_or_else(|| job.certs.iter().filter_map(|c| c.cert_id).collect());
    let resource_ids = resource_ids.unwrap_or_else(|| job.resource_ids.clone());
    let certs = resolve(&data, &cert_ids, &resource_ids)?;
    let job = &mut data.deployment_jobs[index];
    job.certs = certs;
    job.resource_ids = resource_ids;
    if let Some(contacts) = contact_ids {
        job.contact_ids = contacts;
    }
    if let Some(name) = ctx.text("Name") {
        job.name = name.to_owned();
    }
    if ctx.text("ScheduleTime").is_some() {
        job.schedule_time = ctx.int("ScheduleTime", 0);
    }
    job.modified_ms = ctx.now_ms;
    Ok(Body::new())
}

/// UpdateDeploymentJobStatus: `pending` (or `scheduling`) starts an `editing` job;
/// `editing` takes a job that has not begun processing back to editing.
pub(crate) fn update_status(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let wanted = ctx.text("Status").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let (index, status) = find(ctx, &data)?;
    let job = &mut data.deployment_jobs[index];
    match (wanted, status) {
        ("pending" | "scheduling", "editing") => {
            if job.resource_ids.is_empty() || job.certs.is_empty() {
                return Err(ApiError::new(
                    400,
                    "OperationDenied.JobEmpty",
                    "A job needs at least one certificate and one resource to start.",
                ));
            }
            job.status = "pending".to_owned();
            job.started_ms = ctx.now_ms;
        }
        ("editing", "pending" | "scheduling" | "editing") => {
            job.status = "editing".to_owned();
            job.started_ms = 0;
        }
        (_, status) => return Err(denied(status)),
    }
    job.modified_ms = ctx.now_ms;
    Ok(object(json!({ "Data": [] })))
}

/// DeleteDeploymentJob: any job that is not scheduling or processing.
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    settle(&mut data, ctx.now_ms, ctx.state.step_ms());
    let (index, status) = find(ctx, &data)?;
    if matches!(status, "scheduling" | "processing") {
        return Err(denied(status));
    }
    data.deployment_jobs.remove(index);
    Ok(Body::new())
}

fn ms(value: i64) -> Value {
    if value > 0 {
        json!(value.to_string())
    } else {
        json!("")
    }
}

/// A job as DescribeDeploymentJob and ListDeploymentJob show it.
fn job_row(ctx: &Ctx<'_>, data: &DataSet, job: &DeploymentJob) -> Body {
    let step = ctx.state.step_ms();
    let status = status(data, job, ctx.now_ms, step);
    let domains: Vec<&str> = job.certs.iter().map(|c| c.common_name.as_str()).collect();
    let mut products: Vec<&str> = job
        .resource_ids
        .iter()
        .filter_map(|id| data.cloud_resources.iter().find(|r| r.id == *id))
        .map(|r| r.cloud_product.as_str())
        .collect();
    products.dedup();
    let start = job.started_ms.max(job.schedule_time);
    let ended = matches!(status, "success" | "error");
    let cert_type = if job.certs.iter().all(|c| c.cert_order_type == "upload") {
        "upload"
    } else {
        "buy"
    };
    object(json!({
        "Id": job.job_id,
        "Name": job.name,
        "JobType": job.job_type,
        "Status": status,
        "InstanceId": format!("cas-job-{}-{}", job.job_type, job.job_id),
        "CertDomain": domains.join(","),
        "CertType": cert_type,
        "ProductName": products.join(","),
        "GmtCreate": ms(job.created_ms),
        "GmtModified": ms(job.modified_ms),
        "ScheduleTime": ms(job.schedule_time),
        "StartTime": ms(if job.started_ms > 0 { start } else { 0 }),
        "EndTime": ms(if ended {
            start.saturating_add(step.saturating_mul(3))
        } else {
            0
        }),
        "Del": 0,
        "Rollback": i32::from(!job.rolled_back_workers.is_empty()),
        "UserId": data.account_id.parse::<i64>().unwrap_or(0),
    }))
}

/// CreateRollbackTask: rolls one worker of a finished job back: its resource serves again
/// the certificate it served before the job (the one an earlier successful job deployed,
/// or none). An unknown job is `InvalidJobId.NotFound`, a worker not of the job
/// `InvalidWorkerId.NotFound`; a job that has not ended (`success` or `error`), or a worker
/// rolled back already, `OperationDenied.JobStatus`.
pub(crate) fn create_rollback_task(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let worker = ctx.int("WorkerId", 0);
    let step = ctx.state.step_ms();
    let mut data = ctx.state.data_mut();
    settle(&mut data, ctx.now_ms, step);
    let (index, status) = find(ctx, &data)?;
    let job = &data.deployment_jobs[index];
    let position = (0..job.resource_ids.len())
        .find(|i| worker_id(job, *i) == worker)
        .ok_or_else(|| not_found("WorkerId", worker))?;
    if !matches!(status, "success" | "error") || job.rolled_back_workers.contains(&worker) {
        return Err(denied(status));
    }
    let job_id = job.job_id;
    let resource_id = workers(&data, job)
        .get(position)
        .map(|w| w.resource.id)
        .ok_or_else(|| not_found("WorkerId", worker))?;
    let before = deployments_to(&data, resource_id, Some(job_id), ctx.now_ms, step)
        .last()
        .map(|(_, cert)| *cert);
    data.deployment_jobs[index].rolled_back_workers.push(worker);
    data.deployment_jobs[index].modified_ms = ctx.now_ms;
    if let Some(resource) = data
        .cloud_resources
        .iter_mut()
        .find(|r| r.id == resource_id)
    {
        resource.cert_id = before;
    }
    Ok(object(json!({
        "Data": { "JobId": job_id, "WorkerId": worker, "ResourceId": resource_id, "CertId": before },
    })))
}

/// DescribeDeploymentJob: one job, with its contacts.
pub(crate) fn describe(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let (index, _) = find(ctx, &data)?;
    let job = &data.deployment_jobs[index];
    let mut body = job_row(ctx, &data, job);
    let contacts: Vec<Value> = job
        .contact_ids
        .iter()
        .map(|id| {
            json!({
                "Id": id.to_string(),
                "Name": format!("contact-{id}"),
                "Email": format!("contact-{id}@example.com"),
                "Mobile": "139****0000",
            })
        })
        .collect();
    body.insert("CasContacts".to_owned(), json!(contacts));
    let certs: Vec<i64> = job.certs.iter().filter_map(|c| c.cert_id).collect();
    body.insert(
        "Config".to_owned(),
        json!(json!({ "certIds": certs, "resourceIds": job.resource_ids }).to_string()),
    );
    Ok(body)
}

/// DescribeDeploymentJobStatus: the counts of one job's workers.
pub(crate) fn describe_status(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let (index, status) = find(ctx, &data)?;
    let job = &data.deployment_jobs[index];
    let workers = workers(&data, job);
    let ended = matches!(status, "success" | "error");
    let failed = if ended {
        workers.iter().filter(|w| w.error.is_some()).count()
    } else {
        0
    };
    let succeeded = if ended { workers.len() - failed } else { 0 };
    let mut per_product: Vec<(String, usize)> = Vec::new();
    for worker in &workers {
        let product = &worker.resource.cloud_product;
        match per_product.iter_mut().find(|(p, _)| p == product) {
            Some((_, count)) => *count += 1,
            None => per_product.push((product.clone(), 1)),
        }
    }
    let per_product: Vec<Value> = per_product
        .into_iter()
        .map(|(product, count)| json!({ "ProductName": product, "Count": count }))
        .collect();
    Ok(object(json!({
        "CertCount": job.certs.len(),
        "ResourceCount": job.resource_ids.len(),
        "WorkerCount": workers.len(),
        "MatchWorkerCount": workers.iter().filter(|w| w.cert.is_some()).count(),
        "SuccessCount": succeeded,
        "FailedCount": failed,
        "RollbackCount": job.rolled_back_workers.len(),
        "RollbackSuccessCount": job.rolled_back_workers.len(),
        "RollbackFailedCount": 0,
        "BuyCount": 0,
        "UseCount": 0,
        "CostCount": 0,
        "ProductWorkerCount": per_product,
    })))
}

/// A page-numbered answer: `Total`, `CurrentPage`, `ShowSize` and the page of `rows`.
fn paged(rows: &[Value], current: i64, size: i64) -> Body {
    object(json!({
        "Total": rows.len(),
        "CurrentPage": current,
        "ShowSize": size,
        "Data": page(rows, current, size),
    }))
}

fn paging(ctx: &Ctx<'_>, default_size: i64) -> (i64, i64) {
    (
        ctx.int("CurrentPage", 1).max(1),
        ctx.int("ShowSize", default_size).max(1),
    )
}

/// ListDeploymentJob: every job, newest first, filtered by `JobType` and `Status`.
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let (current, size) = paging(ctx, 50);
    let mut jobs: Vec<&DeploymentJob> = data.deployment_jobs.iter().collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.job_id));
    let rows: Vec<Value> = jobs
        .into_iter()
        .filter(|j| ctx.text("JobType").is_none_or(|t| j.job_type == t))
        .map(|j| Value::Object(job_row(ctx, &data, j)))
        .filter(|row| ctx.text("Status").is_none_or(|s| row["Status"] == s))
        .collect();
    Ok(paged(&rows, current, size))
}

/// A resource as ListCloudResources and ListDeploymentJobResource show it.
fn resource_row(data: &DataSet, resource: &CloudResource) -> Value {
    let cert = resource
        .cert_id
        .and_then(|id| data.certificates.iter().find(|c| c.certificate_id == id));
    let date_ms = |date: &str| crate::clock::parse_date(date).unwrap_or(0);
    json!({
        "Id": resource.id,
        "CloudName": resource.cloud_name,
        "CloudProduct": resource.cloud_product,
        "CloudRegion": resource.cloud_region,
        "RegionId": resource.cloud_region,
        "InstanceId": resource.instance_id,
        "Domain": resource.domain,
        "ListenerId": resource.listener_id,
        "ListenerPort": resource.listener_port,
        "CertId": resource.cert_id.unwrap_or(0),
        "CertName": cert.map(|c| c.name.as_str()).unwrap_or_default(),
        "CertStartTime": ms(cert.map_or(0, |c| date_ms(&c.start_date))),
        "CertEndTime": ms(cert.map_or(0, |c| date_ms(&c.end_date))),
        "EnableHttps": i32::from(cert.is_some()),
        "UseSsl": i32::from(cert.is_some()),
        "DefaultResource": 0,
        "Status": "BUY",
        "UserId": data.account_id.parse::<i64>().unwrap_or(0),
    })
}

/// ListCloudResources: the resources, filtered by `CloudName`, `CloudProduct`, `Keyword`
/// (on the domain and instance id) and `CertIds` (resources serving one of them).
pub(crate) fn list_cloud_resources(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    settle(&mut data, ctx.now_ms, ctx.state.step_ms());
    let (current, size) = paging(ctx, 20);
    let wanted_certs: Vec<i64> = ctx
        .params
        .nested("CertIds")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let keyword = ctx.text("Keyword").map(str::to_ascii_lowercase);
    let rows: Vec<Value> = data
        .cloud_resources
        .iter()
        .filter(|r| ctx.text("CloudName").is_none_or(|n| r.cloud_name == n))
        .filter(|r| {
            ctx.text("CloudProduct")
                .is_none_or(|p| r.cloud_product == p)
        })
        .filter(|r| {
            keyword.as_deref().is_none_or(|k| {
                r.domain.to_ascii_lowercase().contains(k) || r.instance_id.contains(k)
            })
        })
        .filter(|r| wanted_certs.is_empty() || r.cert_id.is_some_and(|c| wanted_certs.contains(&c)))
        .map(|r| resource_row(&data, r))
        .collect();
    Ok(paged(&rows, current, size))
}

/// ListDeploymentJobResource: the resources of one job.
pub(crate) fn list_job_resources(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    settle(&mut data, ctx.now_ms, ctx.state.step_ms());
    let (index, _) = find(ctx, &data)?;
    let rows: Vec<Value> = data.deployment_jobs[index]
        .resource_ids
        .iter()
        .filter_map(|id| data.cloud_resources.iter().find(|r| r.id == *id))
        .map(|r| resource_row(&data, r))
        .collect();
    Ok(object(json!({ "Data": rows })))
}

/// ListWorkerResource: one row per worker of a job, with its outcome once the job ended,
/// filtered by `CloudProduct` and `Status`.
pub(crate) fn list_workers(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let (index, status) = find(ctx, &data)?;
    let job = &data.deployment_jobs[index];
    let (current, size) = paging(ctx, 50);
    let ended = matches!(status, "success" | "error");
    let rows: Vec<Value> = workers(&data, job)
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let outcome = match (&w.error, ended) {
                (Some(_), true) => "error",
                (None, true) => "success",
                (_, false) => status,
            };
            let domain = w.cert.map(|c| c.common_name.as_str()).unwrap_or_default();
            json!({
                "Id": worker_id(job, i),
                "JobId": job.job_id,
                "Status": outcome,
                "CloudName": w.resource.cloud_name,
                "CloudProduct": w.resource.cloud_product,
                "CloudRegion": w.resource.cloud_region,
                "RegionId": w.resource.cloud_region,
                "InstanceId": w.resource.instance_id,
                "ResourceId": w.resource.id,
                "ResourceDomain": w.resource.domain,
                "ListenerId": w.resource.listener_id,
                "Port": w.resource.listener_port.parse::<i32>().unwrap_or(0),
                "CertId": w.cert.map_or(0, |c| c.certificate_id),
                "CertName": w.cert.map(|c| c.name.as_str()).unwrap_or_default(),
                "CertDomain": domain,
                "CertInstanceId": w.cert.map(|c| c.instance_id.as_str()).unwrap_or_default(),
                "ResourceCertId": w.resource.cert_id.unwrap_or(0),
                "DefaultResource": false,
                "GmtCreate": ms(job.created_ms),
                "GmtModified": ms(job.modified_ms),
                "UserId": data.account_id.parse::<i64>().unwrap_or(0),
            })
        })
        .filter(|row| {
            ctx.text("CloudProduct")
                .is_none_or(|p| row["CloudProduct"] == p)
        })
        .filter(|row| ctx.text("Status").is_none_or(|s| row["Status"] == s))
        .collect();
    Ok(paged(&rows, current, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("*.example.com", "www.example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(covers("Example.com", "example.COM"));
        assert_eq!(ids("1, 2,3"), Some(vec![1, 2, 3]));
        assert_eq!(ids("1,x"), None);
    }
}

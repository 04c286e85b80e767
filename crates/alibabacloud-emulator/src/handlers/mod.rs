//! Operation handlers, one module per product and version, and the dispatch between them.

mod applications;
mod billing;
mod bss;
mod budgets;
mod cas_2018;
mod cas_2020;
mod certificates;
pub(crate) mod context;
mod cost_centers;
mod csrs;
mod deployments;
mod private_ca;
mod sts;
mod tags;

use self::context::Ctx;
use crate::answer::Body;
use crate::errors::ApiError;
use crate::route::Route;

/// Answers one validated request: a handler's answer holds only the fields of the
/// operation's response schema; an operation without a data-backed handler answers from
/// its response shape ([`crate::synth`]).
pub(crate) fn dispatch(route: Route, ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut body = handle(route, ctx)?;
    crate::synth::prune(route.op, &mut body);
    Ok(body)
}

fn handle(route: Route, ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let version = route.product.service.version;
    match (version, route.op.operation.action) {
        ("2018-07-13", "DescribeOrderInstanceList") => cas_2018::describe_order_instance_list(ctx),
        ("2018-07-13", "DescribeDVOrderResult") => cas_2018::describe_dv_order_result(ctx),
        ("2020-04-07", "ListUserCertificateOrder") => cas_2020::list_user_certificate_order(ctx),
        ("2020-04-07", "ListDeploymentJobCert") => cas_2020::list_deployment_job_cert(ctx),
        ("2017-12-14", "QueryOrders" | "DescribeOrderList") => bss::query_orders(ctx),
        ("2017-12-14", "CreateInstance") => bss::create_instance(ctx),
        ("2017-12-14", "QueryAccountBalance") => billing::account_balance(ctx),
        ("2017-12-14", "QueryBill") => billing::bill(ctx),
        ("2017-12-14", "QueryBillOverview") => billing::bill_overview(ctx),
        ("2017-12-14", "QueryInstanceBill") => billing::instance_bill(ctx),
        ("2017-12-14", "DescribeInstanceBill") => billing::describe_instance_bill(ctx),
        ("2020-04-07", "UploadUserCertificate") => certificates::upload(ctx),
        ("2020-04-07", "GetUserCertificateDetail") => certificates::detail(ctx),
        ("2020-04-07" | "2018-07-13", "DeleteUserCertificate") => certificates::delete(ctx),
        ("2020-04-07", "ListCert") => certificates::list_cert(ctx),
        ("2020-04-07", "CreateDeploymentJob") => deployments::create(ctx),
        ("2020-04-07", "UpdateDeploymentJob") => deployments::update(ctx),
        ("2020-04-07", "UpdateDeploymentJobStatus") => deployments::update_status(ctx),
        ("2020-04-07", "DeleteDeploymentJob") => deployments::delete(ctx),
        ("2020-04-07", "DescribeDeploymentJob") => deployments::describe(ctx),
        ("2020-04-07", "DescribeDeploymentJobStatus") => deployments::describe_status(ctx),
        ("2020-04-07", "ListDeploymentJob") => deployments::list(ctx),
        ("2020-04-07", "ListCloudResources") => deployments::list_cloud_resources(ctx),
        ("2020-04-07", "ListDeploymentJobResource") => deployments::list_job_resources(ctx),
        ("2020-04-07", "ListWorkerResource") => deployments::list_workers(ctx),
        ("2020-04-07", "CreateCsr") => csrs::create(ctx),
        ("2020-04-07", "UploadCsr") => csrs::upload(ctx),
        ("2020-04-07", "ListCsr") => csrs::list(ctx),
        ("2020-04-07", "GetCsrDetail") => csrs::detail(ctx),
        ("2020-04-07", "UpdateCsr") => csrs::update(ctx),
        ("2020-04-07", "DeleteCsr") => csrs::delete(ctx),
        ("2020-04-07", "CreateCertificateRequest") => applications::create(ctx),
        ("2020-04-07", "CreateCertificateWithCsrRequest") => applications::create_with_csr(ctx),
        ("2020-04-07", "CreateCertificateForPackageRequest") => {
            applications::create_for_package(ctx)
        }
        ("2020-04-07", "DescribeCertificateState") => applications::describe_state(ctx),
        ("2020-04-07", "DescribePackageState") => applications::describe_package_state(ctx),
        ("2020-04-07", "CancelCertificateForPackageRequest") => applications::cancel(ctx),
        ("2020-04-07", "DeleteCertificateRequest") => applications::delete(ctx),
        ("2020-04-07", "RevokeCertificate") => applications::revoke(ctx),
        ("2018-07-13", "CreateUserCertificate") => certificates::create_2018(ctx),
        ("2018-07-13", "DescribeUserCertificateDetail") => certificates::detail_2018(ctx),
        ("2018-07-13", "DescribeUserCertificateList") => certificates::list_2018(ctx),
        ("2020-04-07", "ShareCertificate") => certificates::share(ctx),
        ("2020-04-07", "CreateRollbackTask") => deployments::create_rollback_task(ctx),
        ("2020-04-07" | "2020-06-30", "TagResources") => tags::tag(ctx),
        ("2020-04-07" | "2020-06-30", "UntagResources") => tags::untag(ctx),
        ("2020-04-07", "ListTagResources") => tags::list_tag_resources(ctx, false),
        ("2020-06-30", "ListTagResources") => tags::list_tag_resources(ctx, true),
        ("2020-04-07", "ListTagKeys") => tags::list_tag_keys(ctx),
        ("2020-06-30", "CreateRootCACertificate") => private_ca::create_root(ctx),
        ("2020-06-30", "CreateSubCACertificate") => private_ca::create_sub(ctx),
        ("2020-06-30", "CreateServerCertificate") => private_ca::create_server(ctx),
        ("2020-06-30", "CreateServerCertificateWithCsr") => private_ca::create_server_with_csr(ctx),
        ("2020-06-30", "CreateClientCertificate") => private_ca::create_client(ctx),
        ("2020-06-30", "CreateClientCertificateWithCsr") => private_ca::create_client_with_csr(ctx),
        ("2020-06-30", "CreateRevokeClientCertificate") => private_ca::revoke(ctx),
        ("2020-06-30", "DeleteClientCertificate") => private_ca::delete(ctx),
        ("2020-06-30", "UpdateCACertificateStatus") => private_ca::update_ca_status(ctx),
        ("2020-06-30", "DescribeCACertificate") => private_ca::describe_ca(ctx),
        ("2020-06-30", "DescribeCACertificateCount") => private_ca::ca_count(ctx),
        ("2020-06-30", "DescribeCACertificateList") => private_ca::ca_list(ctx),
        ("2020-06-30", "DescribePcaAndExternalCACertificateList") => {
            private_ca::pca_and_external_list(ctx)
        }
        ("2020-06-30", "ListPcaCaCertificate") => private_ca::list_pca_ca(ctx),
        ("2020-06-30", "DescribeClientCertificate") => private_ca::describe_end_entity(ctx),
        ("2020-06-30", "DescribeClientCertificateForSerialNumber") => {
            private_ca::describe_by_serial(ctx)
        }
        ("2020-06-30", "DescribeClientCertificateStatus") => private_ca::status_by_identifier(ctx),
        ("2020-06-30", "DescribeClientCertificateStatusForSerialNumber") => {
            private_ca::status_by_serial(ctx)
        }
        ("2020-06-30", "ListClientCertificate") => private_ca::list_client(ctx),
        ("2020-06-30", "ListCert") => private_ca::list_cert(ctx),
        ("2020-06-30", "ListRevokeCertificate") => private_ca::list_revoked(ctx),
        ("2020-06-30", "DescribeCertificatePrivateKey") => private_ca::private_key(ctx),
        ("2020-06-30", "GetCAInstanceStatus") => private_ca::ca_instance_status(ctx),
        ("2020-06-30", "ListCACertificateLog") => private_ca::ca_log(ctx),
        ("2023-09-30", "CreateBudget") => budgets::create(ctx),
        ("2023-09-30", "UpdateBudget") => budgets::update(ctx),
        ("2023-09-30", "DeleteBudget") => budgets::delete(ctx),
        ("2023-09-30", "DescribeBudget") => budgets::describe(ctx),
        ("2023-09-30", "DescribeBudgets") => budgets::list(ctx),
        ("2023-09-30", "CheckBudgetNameExists") => budgets::name_exists(ctx),
        ("2023-09-30", "CreateCostCenter") => cost_centers::create(ctx),
        ("2023-09-30", "QueryCostCenter") => cost_centers::query(ctx),
        ("2023-09-30", "ModifyCostCenter") => cost_centers::modify(ctx),
        ("2023-09-30", "DeleteCostCenter") => cost_centers::delete(ctx),
        ("2023-09-30", "CreateCostCenterRule") => cost_centers::create_rule(ctx),
        ("2023-09-30", "QueryCostCenterRule") => cost_centers::query_rule(ctx),
        ("2023-09-30", "ModifyCostCenterRule") => cost_centers::modify_rule(ctx),
        ("2023-09-30", "DeleteCostCenterRule") => cost_centers::delete_rule(ctx),
        ("2015-04-01", "AssumeRole") => sts::assume_role(ctx),
        ("2015-04-01", "AssumeRoleWithOIDC") => sts::assume_role_with_oidc(ctx),
        _ => Ok(crate::synth::answer(route.op, ctx.params, ctx.now_ms)),
    }
}

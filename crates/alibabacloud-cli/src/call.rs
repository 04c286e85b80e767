//! Making the call: configuration, credentials, one request or every page; or, with
//! `--dry-run`, the signed request shown and not sent.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use alibabacloud_core::catalog::{self, OperationInfo, PagingInfo};
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::{CallOptions, Config, Error as SdkError, Handle, RawResponse};
use alibabacloud_credentials::{DefaultCredentialsChain, Env};
use alibabacloud_emulator::{Emulator, RunningEmulator};
use futures::StreamExt;

use crate::args::{self, WirePair};
use crate::cli::{Globals, Invocation, OutputFormat};
use crate::effects;
use crate::error::CliError;
use crate::json::Value;
use crate::output;
use crate::wait;

/// The default state file of `--emulator`: `$XDG_DATA_HOME/alicloud/emulator-state.json`,
/// else `$HOME/.local/share/alicloud/emulator-state.json`.
fn default_state_file() -> Option<PathBuf> {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|dir| !dir.is_empty())
                .map(|home| PathBuf::from(home).join(".local/share"))
        })?;
    Some(data_home.join("alicloud/emulator-state.json"))
}

/// Starts the local emulator on its state file (seeded when the file is new or reset).
async fn start_emulator(globals: &Globals) -> Result<RunningEmulator, CliError> {
    let state = globals.emulator_state.clone().or_else(default_state_file);
    let mut builder = Emulator::builder();
    if let Some(step) = globals.emulator_step {
        builder = builder.lifecycle_step(step);
    }
    if let Some(path) = &state {
        if globals.emulator_reset {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(CliError::Local(format!(
                        "cannot reset the emulator state {}: {e}",
                        path.display()
                    )));
                }
            }
        }
        builder = builder.state_file(path);
    }
    builder
        .start()
        .await
        .map_err(|e| CliError::Local(format!("the emulator did not start: {e}")))
}

/// Where a run's region came from: `--region`, then `ALIBABA_CLOUD_REGION_ID`, then the
/// `region_id` of the aliyun CLI profile (the `--profile` one when given), then none (the
/// product's default endpoint) — core's chain, with `--profile` taking the place of
/// `ALIBABA_CLOUD_PROFILE`.
#[derive(Debug)]
pub struct Region {
    /// The region, if any.
    pub region: Option<String>,
    /// Where it came from, for `--dry-run`.
    pub source: String,
}

impl Region {
    fn of(globals: &Globals) -> Region {
        if let Some(region) = &globals.region {
            return Region {
                region: Some(region.clone()),
                source: "--region".to_owned(),
            };
        }
        let from_env = std::env::var(alibabacloud_core::region::REGION_ENV)
            .ok()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if let Some(region) = from_env {
            return Region {
                region: Some(region),
                source: alibabacloud_core::region::REGION_ENV.to_owned(),
            };
        }
        let env = profile_env(globals.profile.as_deref());
        let profile = globals.profile.clone().or_else(|| {
            std::env::var("ALIBABA_CLOUD_PROFILE")
                .ok()
                .filter(|p| !p.is_empty())
        });
        // A broken file is the credentials chain's to report; here it gives no region.
        match alibabacloud_credentials::cli_profile_region(&env) {
            Ok(Some(region)) => Region {
                region: Some(region),
                source: match profile {
                    Some(name) => format!("the region_id of profile {name:?}"),
                    None => "the region_id of the current profile".to_owned(),
                },
            },
            _ => Region {
                region: None,
                source: "no region set: the product's default endpoint".to_owned(),
            },
        }
    }
}

/// The process environment, with `--profile` in place of `ALIBABA_CLOUD_PROFILE`.
fn profile_env(profile: Option<&str>) -> Env {
    match profile {
        None => Env::process(),
        Some(profile) => Env::from_vars(
            std::env::vars()
                .filter(|(name, _)| name != "ALIBABA_CLOUD_PROFILE")
                .chain([("ALIBABA_CLOUD_PROFILE".to_owned(), profile.to_owned())]),
        ),
    }
}

/// A handle configured from the global flags, the emulator it points at, if any, and
/// where its region came from.
pub async fn connect(
    invocation: &Invocation,
) -> Result<(Handle, Option<RunningEmulator>, Region), CliError> {
    let globals = &invocation.globals;
    let emulator = if globals.emulator {
        Some(start_emulator(globals).await?)
    } else {
        None
    };

    let region = Region::of(globals);
    let mut config = Config::builder();
    if let Some(region) = &region.region {
        config = config.region(region);
    }
    match &emulator {
        Some(emulator) => {
            config = config
                .endpoint(emulator.endpoint())
                .credentials(emulator.credentials());
        }
        None => {
            if let Some(endpoint) = &globals.endpoint {
                config = config.endpoint(endpoint);
            }
            config = config.credentials(credentials_chain(globals.profile.as_deref()));
        }
    }
    if let Some(signature) = globals.signature {
        config = config.signature_version(signature);
    }
    if let Some(timeout) = globals.read_timeout {
        config = config.read_timeout(timeout);
    }
    if let Some(timeout) = globals.connect_timeout {
        config = config.connect_timeout(timeout);
    }
    if let Some(retries) = globals.retry_count {
        // Attempts, not retries; the policy never resends a write that may have run.
        config = config.retry_policy(RetryPolicy::default().with_max_attempts(retries + 1));
    }
    let handle = Handle::new(&config.build(), invocation.product.service)
        .map_err(|error| call_error(invocation, globals.endpoint.clone(), error))?;
    Ok((handle, emulator, region))
}

/// What a run produced.
pub enum Outcome {
    /// The response (every page merged with `--pager`), to print.
    Document(Value),
    /// `--pager` printed the merged document itself, page by page.
    Printed,
}

/// The largest number of items `--pager` holds in memory when `--query` or a table needs
/// them all at once, unless `--max-items` says otherwise.
const HELD_ITEMS_LIMIT: u64 = 1_000_000;

/// Calls the operation (every page of it with `--pager`) and returns the response; with
/// `--pager`, JSON output and no `--query`, prints the pages as they arrive instead.
pub async fn run(invocation: &Invocation) -> Result<Outcome, CliError> {
    let globals = &invocation.globals;
    let (handle, emulator, _) = connect(invocation).await?;
    let operation = invocation.operation;
    if operation.deprecated && !globals.quiet {
        eprintln!(
            "warning: {} {} is deprecated by Alibaba Cloud and may be withdrawn",
            invocation.product.code, operation.operation.action
        );
    }
    if let Some(plan) = &invocation.wait {
        let params = args::to_params(&invocation.pairs);
        let what = invocation.what();
        let result = wait::poll(&handle, operation, &params, plan, &what, globals.quiet).await;
        if let Some(emulator) = emulator {
            emulator.shutdown().await;
        }
        return match result {
            Ok(Ok(document)) => Ok(Outcome::Document(document)),
            Ok(Err(failure)) => Err(CliError::Wait(failure)),
            Err(error) => Err(call_error(invocation, Some(handle.endpoint()), error)),
        };
    }
    let streams =
        !globals.quiet && globals.query.is_none() && matches!(globals.output, OutputFormat::Json);
    let mut options = CallOptions::new();
    if let Some(pages) = globals.max_pages {
        options = options.max_pages(pages);
    }
    match globals.max_items {
        Some(items) => options = options.max_items(items),
        None if !streams => options = options.max_items(HELD_ITEMS_LIMIT),
        None => {}
    }
    let pages = Pages {
        handle: &handle,
        operation,
        pairs: &invocation.pairs,
        options,
        progress: std::io::stderr().is_terminal(),
    };
    let result = match (&operation.pagination, globals.pager) {
        (Some(paging), true) if streams => pages.print(paging).await.map(|()| Outcome::Printed),
        (Some(paging), true) => pages.merge(paging).await.map(Outcome::Document),
        _ => call(&handle, operation, &args::to_params(&invocation.pairs))
            .await
            .map(Outcome::Document),
    };
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    result.map_err(|error| call_error(invocation, Some(handle.endpoint()), error))
}

/// The failure of a call; for a write that may have run, with the commands that show
/// whether it did.
fn call_error(invocation: &Invocation, endpoint: Option<String>, error: SdkError) -> CliError {
    let product = invocation.product;
    let checks = if error.may_have_run() {
        let several_versions = alibabacloud_catalog::products(product.code).count() > 1;
        effects::reads_showing(product, invocation.operation)
            .into_iter()
            .map(|action| match several_versions {
                true => format!(
                    "alicloud {} {action} --version {}",
                    product.code, product.service.version
                ),
                false => format!("alicloud {} {action}", product.code),
            })
            .collect()
    } else {
        Vec::new()
    };
    CliError::Call {
        what: invocation.what(),
        endpoint,
        error,
        checks,
    }
}

/// The request the call would send first, signed, as text with every secret redacted
/// (see `PreparedRequest::redacted`); nothing is sent.
///
/// Also returns where the request goes and where its region came from, for stderr.
pub async fn dry_run(invocation: &Invocation) -> Result<(String, String), CliError> {
    let (handle, emulator, region) = connect(invocation).await?;
    let resolved = match (&invocation.globals, &region.region) {
        (globals, _) if globals.emulator => {
            format!("endpoint {} (the emulator)", handle.endpoint())
        }
        (globals, _) if globals.endpoint.is_some() => {
            format!("endpoint {} (from --endpoint)", handle.endpoint())
        }
        (_, Some(name)) => format!(
            "endpoint {} for region {name} (from {})",
            handle.endpoint(),
            region.source
        ),
        (_, None) => format!("endpoint {} ({})", handle.endpoint(), region.source),
    };
    let params = args::to_params(&invocation.pairs);
    let prepared = handle
        .prepare(&invocation.operation.operation, &params)
        .await;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    match prepared {
        Ok(request) => Ok((request.redacted(), resolved)),
        Err(error) => Err(call_error(invocation, Some(handle.endpoint()), error)),
    }
}

/// The default chain; `--profile` overrides `ALIBABA_CLOUD_PROFILE` for this run only.
fn credentials_chain(profile: Option<&str>) -> DefaultCredentialsChain {
    match profile {
        None => DefaultCredentialsChain::new(),
        Some(profile) => DefaultCredentialsChain::builder()
            .env(profile_env(Some(profile)))
            .build(),
    }
}

async fn call(
    handle: &Handle,
    operation: &'static OperationInfo,
    params: &alibabacloud_core::Params,
) -> Result<Value, SdkError> {
    let raw = handle
        .invoke_raw(&operation.operation, params, &CallOptions::new())
        .await?;
    parse(operation, &raw)
}

/// The document of a success response, keys in the order the service sent them.
fn parse(operation: &OperationInfo, raw: &RawResponse) -> Result<Value, SdkError> {
    Value::parse(&raw.body).map_err(|e| raw.unreadable(&operation.operation, e))
}

/// Every page of one `--pager` run: requested from the one the flags ask for (the first by
/// default), through core's catalog page stream, which decides when to stop.
struct Pages<'a> {
    handle: &'a Handle,
    operation: &'static OperationInfo,
    pairs: &'a [WirePair],
    options: CallOptions,
    progress: bool,
}

impl Pages<'_> {
    /// Calls `each` with every page's document and its items, in order.
    async fn each(
        &self,
        paging: &PagingInfo,
        mut each: impl FnMut(Value, Vec<Value>) -> Result<(), SdkError>,
    ) -> Result<(), SdkError> {
        let params = args::to_params(self.pairs);
        // Only for the progress line: the page size, and the items before the first page.
        let given = |name: &str| -> Option<u64> {
            self.pairs
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.trim().parse().ok())
        };
        let page_size = paging.page_size.and_then(given);
        let first_cursor = given(paging.cursor).unwrap_or(if paging.offset { 0 } else { 1 });
        let handle = self.handle.clone();
        let mut pages = catalog::pages(handle, self.operation, params, self.options.clone());
        let mut per_page: Option<u64> = None;
        let mut number = 0;
        let result = async {
            while let Some(page) = pages.next().await {
                let page = page?;
                number += 1;
                let mut document = parse(self.operation, &page.response)?;
                let items = document
                    .list_at_mut(paging.items)
                    .map(std::mem::take)
                    .unwrap_or_default();
                let per_page = *per_page.get_or_insert(page_size.unwrap_or(items.len() as u64));
                if self.progress && !paging.token {
                    let skipped = if paging.offset {
                        first_cursor
                    } else {
                        first_cursor.saturating_sub(1) * per_page
                    };
                    let total = page.total().and_then(|t| u64::try_from(t).ok());
                    show_progress(number, total, per_page, skipped);
                } else if self.progress {
                    show_progress(number, None, 0, 0);
                }
                each(document, items)?;
            }
            Ok(())
        }
        .await;
        if self.progress {
            clear_progress();
        }
        result
    }

    /// The first page's document with the item lists of all pages merged into it.
    async fn merge(&self, paging: &PagingInfo) -> Result<Value, SdkError> {
        let mut merged: Option<Value> = None;
        let mut all: Vec<Value> = Vec::new();
        self.each(paging, |document, items| {
            all.extend(items);
            merged.get_or_insert(document);
            Ok(())
        })
        .await?;
        let mut merged = merged.unwrap_or(Value::Null);
        if let Some(list) = merged.list_at_mut(paging.items) {
            *list = all;
        }
        Ok(merged)
    }

    /// Prints the merged document as `merge` would give it, but page by page: only one
    /// page is held at a time. An error part-way leaves the output cut short; the exit
    /// code and stderr say why.
    async fn print(&self, paging: &PagingInfo) -> Result<(), SdkError> {
        let mut printer: Option<output::ItemPrinter> = None;
        self.each(paging, |document, items| {
            let printer =
                printer.get_or_insert_with(|| output::ItemPrinter::start(&document, paging.items));
            for item in &items {
                printer.item(item);
            }
            Ok(())
        })
        .await?;
        if let Some(printer) = printer {
            printer.finish();
        }
        Ok(())
    }
}

/// `page 3/12` on one terminal line.
fn show_progress(page: u64, total: Option<u64>, per_page: u64, skipped: u64) {
    let mut stderr = std::io::stderr().lock();
    let pages = total
        .filter(|_| per_page > 0)
        .map(|total| total.saturating_sub(skipped).div_ceil(per_page));
    let _ = match pages {
        Some(pages) => write!(stderr, "\rpage {page}/{pages}"),
        None => write!(stderr, "\rpage {page}"),
    };
    let _ = stderr.flush();
}

/// Clears the progress line.
fn clear_progress() {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "\r\x1b[K");
    let _ = stderr.flush();
}

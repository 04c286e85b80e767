//! `alicloud`: call any operation of the catalog from the command line, aliyun CLI style.
//!
//! ```text
//! alicloud cas ListUserCertificateOrder --OrderType CERT --ShowSize 20
//! ```
//!
//! Modules: [`cli`] builds the command tree from the catalog and parses the command line,
//! [`args`] turns parameter flags into wire pairs, [`call`] makes the call (every page with
//! `--pager`), [`output`] prints JSON or a table, [`error`] tells failures and exit codes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod args;
mod call;
mod cli;
mod error;
mod json;
mod output;

use std::process::ExitCode;

use error::CliError;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}

fn run() -> Result<(), CliError> {
    let invocation = cli::parse(std::env::args_os().collect())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("the async runtime did not start: {e}")))?;
    let response = runtime.block_on(call::run(&invocation))?;
    let items = invocation.operation.pagination.map(|p| p.items);
    let text = output::render(&response, invocation.globals.output, items);
    output::print(&text).map_err(|e| CliError::Local(format!("writing the output failed: {e}")))
}

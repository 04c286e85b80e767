//! `alicloud`: call any operation of the catalog from the command line, aliyun CLI style.
//!
//! ```text
//! alicloud cas ListUserCertificateOrder --OrderType CERT --ShowSize 20
//! ```
//!
//! Modules: [`cli`] builds the command tree from the catalog and parses the command line,
//! [`args`] turns parameter flags into wire pairs, [`call`] makes the call (every page with
//! `--pager`) or shows it (`--dry-run`), [`wait`] polls a read until a state (the specs'
//! waiters, `--waiter`), [`query`] applies `--query`, [`output`] prints JSON or a table,
//! [`error`] tells failures and exit codes, [`effects`] names the read actions that show
//! whether a write that may have run did, [`example`] writes each action's runnable
//! example, [`configure`] reads and writes the aliyun CLI's `config.json`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod args;
mod call;
mod cli;
mod configure;
mod effects;
mod error;
mod example;
mod json;
mod output;
mod query;
mod wait;

use std::io::Write as _;
use std::process::ExitCode;

use cli::Parsed;
use error::CliError;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}

fn run() -> Result<(), CliError> {
    let invocation = match cli::parse(std::env::args_os().collect())? {
        Parsed::Completion(shell) => return print(&cli::completion(shell)),
        Parsed::Configure(request) => return configure::run(request),
        Parsed::Call(invocation) => invocation,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("the async runtime did not start: {e}")))?;
    let globals = &invocation.globals;
    if globals.dry_run {
        let (request, resolved) = runtime.block_on(call::dry_run(&invocation))?;
        let _ = writeln!(
            std::io::stderr(),
            "(dry run: {resolved}; this request was not sent)"
        );
        return print(&request);
    }
    let response = match runtime.block_on(call::run(&invocation))? {
        call::Outcome::Document(response) => response,
        call::Outcome::Printed => return Ok(()),
    };
    if globals.quiet {
        return Ok(());
    }
    let (response, items) = match &globals.query {
        // The query's result has its own shape: the table takes its first list.
        Some(query) => (query.apply(&response)?, None),
        None => (response, invocation.operation.pagination.map(|p| p.items)),
    };
    print(&output::render(&response, &globals.output, items)?)
}

fn print(text: &str) -> Result<(), CliError> {
    output::print(text).map_err(|e| CliError::Local(format!("writing the output failed: {e}")))
}

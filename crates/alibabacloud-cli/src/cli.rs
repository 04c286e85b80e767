//! The command tree, built at run time from the catalog, and the parsed invocation.
//!
//! `alicloud <product> <Action> --Param value`: products are the catalog's product codes
//! (matched case-insensitively), actions the union of their versions' operations, and each
//! action's flags its parameters. A new spec gives a new command with no code here.
//! `alicloud completion <SHELL>` prints a completion script of that tree.

use std::ffi::OsString;
use std::time::Duration;

use alibabacloud_catalog::PRODUCTS;
use alibabacloud_core::SignatureVersion;
use alibabacloud_core::catalog::{OperationInfo, ProductInfo};
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use clap_complete::Shell;

use crate::args::{self, WirePair};
use crate::error::{CliError, EXIT_CODES_HELP};
use crate::output::TableSpec;
use crate::query::Query;
use crate::wait::{self, WaitPlan};

/// How the response is printed.
#[derive(Clone, Debug)]
pub enum OutputFormat {
    /// Pretty-printed JSON, keys in the order the server sent them.
    Json,
    /// Aligned columns: the item list, or the rows and columns `cols=` and `rows=` select.
    Table(TableSpec),
}

/// The global flags of one run.
#[derive(Clone, Debug)]
pub struct Globals {
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--signature-version`.
    pub signature: Option<SignatureVersion>,
    /// `--pager`: every page, merged.
    pub pager: bool,
    /// `--output`.
    pub output: OutputFormat,
    /// `--emulator`: call an in-process emulator.
    pub emulator: bool,
    /// The emulator's state file (`--emulator-state`), else the default one.
    pub emulator_state: Option<std::path::PathBuf>,
    /// Start the emulator afresh from the seeded data (`--emulator-reset`).
    pub emulator_reset: bool,
    /// One lifecycle step of the emulator (`--emulator-step`, milliseconds).
    pub emulator_step: Option<Duration>,
    /// `--read-timeout`.
    pub read_timeout: Option<Duration>,
    /// `--connect-timeout`.
    pub connect_timeout: Option<Duration>,
    /// `--retry-count`: retries after the first attempt (writes keep the never-twice rule).
    pub retry_count: Option<u32>,
    /// `--quiet`: print nothing on success.
    pub quiet: bool,
    /// `--query`: applied to the response before it is printed.
    pub query: Option<std::rc::Rc<Query>>,
    /// `--dry-run`: print the signed request (redacted) instead of sending it.
    pub dry_run: bool,
    /// `--max-pages`: the most pages `--pager` fetches.
    pub max_pages: Option<u64>,
    /// `--max-items`: the most items `--pager` reads.
    pub max_items: Option<u64>,
}

/// What a command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// Call an operation (or, with `--dry-run`, show the request).
    Call(Box<Invocation>),
    /// `alicloud completion <SHELL>`: print a completion script.
    Completion(Shell),
    /// `alicloud configure ...`: read or change the aliyun CLI's `config.json`.
    Configure(crate::configure::Request),
}

/// One parsed command line: the operation to call, its parameters and the global flags.
#[derive(Debug)]
pub struct Invocation {
    /// The product and API version.
    pub product: &'static ProductInfo,
    /// The operation.
    pub operation: &'static OperationInfo,
    /// Its parameters, as given on the command line.
    pub pairs: Vec<WirePair>,
    /// The global flags.
    pub globals: Globals,
    /// `alicloud <product> wait <waiter>` or `--waiter`: poll until a state is reached.
    pub wait: Option<WaitPlan>,
}

impl Invocation {
    /// `cas ListUserCertificateOrder`, for messages.
    pub fn what(&self) -> String {
        format!("{} {}", self.product.code, self.operation.operation.action)
    }
}

const GLOBAL_HEADING: &str = "Global options";

const ABOUT: &str = "Call any Alibaba Cloud API operation described by the SDK's specs.";

const EXAMPLES: &str = "\
Examples:
  alicloud cas ListUserCertificateOrder --OrderType CERT --ShowSize 20
  alicloud cas ListUserCertificateOrder --OrderType CERT --pager --output table
  alicloud bssopenapi QueryOrders --PageSize 20 --region cn-hangzhou
  alicloud cas DescribeOrderInstanceList --StartIndex 0 --version 2018-07-13
  alicloud --emulator cas ListUserCertificateOrder --OrderType CERT
  alicloud --emulator cas ListUserCertificateOrder --query 'CertificateOrderList[].CommonName'
  alicloud cas UploadUserCertificate --Name web --Cert file://cert.pem --Key file://key.pem --dry-run
  alicloud cas ListUserCertificateOrder --Keyword -test   (a value may begin with '-')
  source <(alicloud completion bash)";

/// The name of the subcommand that prints completion scripts.
const COMPLETION: &str = "completion";

/// The name of the subcommand that reads and changes the aliyun CLI's configuration.
pub const CONFIGURE: &str = "configure";

/// The product subcommand that runs a waiter: `alicloud cas wait certificate-issued`.
pub const WAIT: &str = "wait";

/// The global flags, valid before or after the product and action.
fn global_args() -> Vec<Arg> {
    let global = |arg: Arg| arg.global(true).help_heading(GLOBAL_HEADING);
    vec![
        global(
            Arg::new("region")
                .long("region")
                .value_name("REGION")
                .help("Region id (e.g. cn-hangzhou): picks the endpoint [default: the product's global endpoint]"),
        ),
        global(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("ENDPOINT")
                .help("Send the call to this endpoint: host, https://host[:port] or http://host:port"),
        ),
        global(
            Arg::new("profile")
                .long("profile")
                .value_name("NAME")
                .help("aliyun CLI profile to take credentials from (~/.aliyun/config.json); overrides ALIBABA_CLOUD_PROFILE"),
        ),
        global(
            Arg::new("signature-version")
                .long("signature-version")
                .value_name("VERSION")
                .value_parser(["v1", "v3"])
                .ignore_case(true)
                .help("Signature: v3 (ACS3-HMAC-SHA256) or v1 (HMAC-SHA1) [default: the product's]"),
        ),
        global(
            Arg::new("version")
                .long("version")
                .value_name("API_VERSION")
                .help("API version (e.g. 2018-07-13), when the product has several and the action is in more than one"),
        ),
        global(
            Arg::new("pager")
                .long("pager")
                .action(ArgAction::SetTrue)
                .help("Request every page and print one document with all the items merged (printed as they arrive, unless --query or --output table needs them all); a page that repeats the one before stops it with an error"),
        ),
        global(
            Arg::new("max-pages")
                .long("max-pages")
                .value_name("N")
                .value_parser(value_parser!(u64).range(1..))
                .help("With --pager: stop with an error after N pages if the service reports more [default: 10000]"),
        ),
        global(
            Arg::new("max-items")
                .long("max-items")
                .value_name("N")
                .value_parser(value_parser!(u64).range(1..))
                .help("With --pager: stop with an error once N items are read and the service reports more [default: no limit when the items are printed as they arrive; 1000000 with --query or --output table, which hold them all]"),
        ),
        global(
            Arg::new("output")
                .long("output")
                .value_name("FORMAT")
                .default_value("json")
                .help("json: the response, pretty-printed; table: its item list as columns; table cols=A,B rows=JMESPATH [num=true]: these columns (JMESPath on each row) of these rows (the aliyun CLI's --output cols=A,B rows=JMESPATH also works)"),
        ),
        global(
            Arg::new("emulator")
                .long("emulator")
                .action(ArgAction::SetTrue)
                .help("Call a local emulator, started for this run, whose data lasts between runs in its state file (no credentials needed)"),
        ),
        global(
            Arg::new("emulator-state")
                .long("emulator-state")
                .value_name("FILE")
                .value_parser(value_parser!(std::path::PathBuf))
                .help("The emulator's state file [default: $XDG_DATA_HOME/alicloud/emulator-state.json, else ~/.local/share/alicloud/emulator-state.json]"),
        ),
        global(
            Arg::new("emulator-step")
                .long("emulator-step")
                .value_name("MILLISECONDS")
                .value_parser(value_parser!(u64).range(1..))
                .help("How long each step of an emulated deployment job or certificate application takes [default: 5000]"),
        ),
        global(
            Arg::new("emulator-reset")
                .long("emulator-reset")
                .action(ArgAction::SetTrue)
                .help("Discard the emulator's state file and start from the seeded data"),
        ),
        global(
            Arg::new("read-timeout")
                .long("read-timeout")
                .value_name("SECONDS")
                .value_parser(value_parser!(u64).range(1..))
                .help("Seconds to wait for a complete response [default: 10]"),
        ),
        global(
            Arg::new("connect-timeout")
                .long("connect-timeout")
                .value_name("SECONDS")
                .value_parser(value_parser!(u64).range(1..))
                .help("Seconds to wait for a connection [default: 5]"),
        ),
        global(
            Arg::new("retry-count")
                .long("retry-count")
                .value_name("N")
                .value_parser(value_parser!(u32).range(0..=100))
                .help("Retries after a failed first attempt [default: 2]; a write is resent only when it provably never reached the service, whatever N is"),
        ),
        global(
            Arg::new("quiet")
                .long("quiet")
                .action(ArgAction::SetTrue)
                .help("Print nothing on success (errors still go to stderr; the exit code tells)"),
        ),
        global(
            Arg::new("waiter")
                .long("waiter")
                .value_name("expr=JMESPATH to=VALUE")
                .help("Poll a read action until the JMESPath expression's value is VALUE: --waiter expr=Status to=success [timeout=SECONDS (180)] [interval=SECONDS (5)]; progress goes to stderr, the final response to stdout"),
        ),
        global(
            Arg::new("query")
                .long("query")
                .value_name("JMESPATH")
                .help("Print only what this JMESPath expression selects from the response (after --pager merges the pages; --output table renders the result)"),
        ),
        global(
            Arg::new("dry-run")
                .long("dry-run")
                .alias("dryrun")
                .action(ArgAction::SetTrue)
                .help("Print the signed request (method, URL, headers, body) with secrets and sensitive values redacted, and send nothing"),
        ),
        global(
            Arg::new("force")
                .long("force")
                .action(ArgAction::SetTrue)
                .help("Skip the client-side checks of parameter values and required parameters"),
        ),
    ]
}

/// What the command line says before clap reads it: where the product and action are,
/// and the flags that change the tree (`--version`, `--force`, `--pager`).
#[derive(Debug, Default)]
struct Scan {
    product: Option<(usize, String)>,
    /// The action and its index in the command line.
    action: Option<(usize, String)>,
    /// After `wait`: the waiter's name and its index.
    waiter: Option<(usize, String)>,
    version: Option<String>,
    force: bool,
    pager: bool,
    help: bool,
}

/// The global flag `--name` (by its long name or an alias).
fn find_global(globals: &[Arg], name: &str) -> Option<usize> {
    globals.iter().position(|arg| {
        arg.get_long() == Some(name)
            || arg
                .get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

/// Whether `--name` is a global flag, and if so whether it takes a value.
fn global_takes_value(name: &str) -> Option<bool> {
    let globals = global_args();
    find_global(&globals, name).map(|i| globals[i].get_action().takes_values())
}

fn scan(argv: &[OsString]) -> Scan {
    let globals = global_args();
    let mut scan = Scan::default();
    let mut positionals_done = false;
    let mut i = 1;
    while i < argv.len() {
        let token = argv[i].to_string_lossy();
        if token == "--" {
            break;
        }
        if token == "-h" || token == "--help" {
            scan.help = true;
        } else if let Some(flag) = token.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (flag, None),
            };
            match find_global(&globals, name).map(|index| &globals[index]) {
                Some(arg) => {
                    let value = if inline.is_some() {
                        inline
                    } else if arg.get_action().takes_values() {
                        i += 1;
                        argv.get(i).map(|v| v.to_string_lossy().into_owned())
                    } else {
                        None
                    };
                    match arg.get_id().as_str() {
                        "version" => scan.version = value,
                        "force" => scan.force = true,
                        "pager" => scan.pager = true,
                        _ => {}
                    }
                }
                // A parameter flag: whatever follows may be its value.
                None => positionals_done = true,
            }
        } else if !positionals_done && !token.starts_with('-') {
            if scan.product.is_none() {
                scan.product = Some((i, token.into_owned()));
                // `configure` has flags of its own: the scan stops at it.
                if argv[i] == CONFIGURE {
                    break;
                }
            } else if scan.action.is_none() {
                scan.action = Some((i, token.into_owned()));
                positionals_done = scan.action.as_ref().is_none_or(|(_, a)| a != WAIT);
            } else {
                scan.waiter = Some((i, token.into_owned()));
                positionals_done = true;
            }
        }
        i += 1;
    }
    scan
}

/// Joins the words of the flags that take `key=value` fields into the flag's one value
/// (separated by [`FIELD_SEPARATOR`]), as the aliyun CLI reads them: `--output table
/// cols=A,B rows=List[]` and `--waiter expr=Status to=done timeout=60`.
fn join_field_values(argv: &mut Vec<OsString>) {
    let mut i = 1;
    while i < argv.len() {
        if argv[i] == "--" {
            break;
        }
        let word = argv[i].to_str().unwrap_or_default();
        let (flag, inline) = match word.split_once('=') {
            Some((flag, _)) => (flag, true),
            None => (word, false),
        };
        let keys: &[&str] = match flag {
            "--output" => crate::output::FIELDS,
            "--waiter" => wait::FIELDS,
            _ => {
                i += 1;
                continue;
            }
        };
        let is_field = |word: &OsString| {
            word.to_str()
                .and_then(|w| w.split_once('='))
                .is_some_and(|(key, _)| keys.contains(&key))
        };
        // The value's first word (`--output=table`, or the word after the flag: `table`,
        // `json`, a field), then the fields that follow it.
        let at = if inline { i } else { i + 1 };
        let Some(mut value) = argv.get(at).cloned() else {
            break;
        };
        while let Some(next) = argv.get(at + 1).filter(|w| is_field(w)) {
            value.push(FIELD_SEPARATOR);
            value.push(next);
            argv.remove(at + 1);
        }
        argv[at] = value;
        i = at + 1;
    }
}

/// What separates the fields of `--output` and `--waiter` once joined into one value.
pub const FIELD_SEPARATOR: &str = "\u{1f}";

/// Product codes in catalog order, each once.
fn product_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for product in PRODUCTS {
        if !codes.contains(&product.code) {
            codes.push(product.code);
        }
    }
    codes
}

/// The versions of one product, oldest first.
fn versions(code: &str) -> Vec<&'static ProductInfo> {
    let mut versions: Vec<_> = alibabacloud_catalog::products(code).collect();
    versions.sort_by_key(|p| p.service.version);
    versions
}

/// Up to three candidates close to `input` (case-insensitive), best first.
fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let input = input.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            let lower = candidate.to_ascii_lowercase();
            let mut score = strsim::jaro_winkler(&input, &lower);
            if input.len() >= 3 && (lower.contains(&input) || input.contains(&lower)) {
                score = score.max(0.85);
            }
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("\n\n  tip: did you mean '{one}'?"),
        many => format!(
            "\n\n  tip: did you mean one of: {}?",
            many.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The product code for a token typed in any case.
fn find_product(token: &str) -> Result<&'static str, CliError> {
    let codes = product_codes();
    if let Some(code) = codes.iter().find(|c| c.eq_ignore_ascii_case(token)) {
        return Ok(code);
    }
    Err(CliError::Usage(format!(
        "unknown product '{token}'{}\n\nProducts: {}",
        did_you_mean(&suggest(token, codes.iter().copied())),
        codes.join(", ")
    )))
}

/// The product version and operation for an action, honouring `--version`.
///
/// Without `--version`, an action in several API versions runs on the newest one that has
/// it (versions are dates, so the newest sorts last); that stays true when a product gains
/// a version.
pub(crate) fn resolve(
    code: &'static str,
    action: &str,
    version: Option<&str>,
) -> Result<(&'static ProductInfo, &'static OperationInfo), CliError> {
    let all = versions(code);
    let listed = |list: &[&ProductInfo]| {
        list.iter()
            .map(|p| p.service.version)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(version) = version {
        if !all.iter().any(|p| p.service.version == version) {
            return Err(CliError::Usage(format!(
                "product {code} has no API version '{version}'; its versions: {}",
                listed(&all)
            )));
        }
    }
    let having: Vec<&'static ProductInfo> = all
        .iter()
        .copied()
        .filter(|p| p.operation(action).is_some())
        .collect();
    let Some(newest) = having.last() else {
        let actions = all
            .iter()
            .flat_map(|p| p.operations.iter().map(|op| op.operation.action));
        return Err(CliError::Usage(format!(
            "unknown action '{action}' for product {code}{}\n\nRun 'alicloud {code} --help' for its actions.",
            did_you_mean(&suggest(action, actions))
        )));
    };
    let product = match version {
        Some(version) => *having
            .iter()
            .find(|p| p.service.version == version)
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "{code} {action} is not in API version {version}; it is in: {}",
                    listed(&having)
                ))
            })?,
        None => *newest,
    };
    let operation = product.operation(action).expect("filtered on it above");
    Ok((product, operation))
}

/// The API versions of `code` that have `action`, oldest first.
pub(crate) fn versions_with(code: &str, action: &str) -> Vec<&'static str> {
    versions(code)
        .iter()
        .filter(|p| p.operation(action).is_some())
        .map(|p| p.service.version)
        .collect()
}

/// What shapes the tree: the `--version` asked for, and the checks to relax.
#[derive(Clone, Copy, Debug, Default)]
struct TreeOptions<'a> {
    version: Option<&'a str>,
    force: bool,
    pager: bool,
    /// List actions as clap does (for completion scripts) instead of grouped by kind.
    completion: bool,
}

/// The whole command tree.
fn build(options: TreeOptions<'_>) -> Command {
    let mut root = Command::new("alicloud")
        .about(ABOUT)
        .override_usage(
            "alicloud [GLOBAL OPTIONS] <PRODUCT> <ACTION> [--Parameter VALUE ...]\n       alicloud <PRODUCT> --help\n       alicloud <PRODUCT> <ACTION> --help",
        )
        .subcommand_value_name("PRODUCT")
        .subcommand_help_heading("Products and commands")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .disable_help_subcommand(true)
        .after_help(format!("{EXAMPLES}\n\n{EXIT_CODES_HELP}"))
        .args(global_args());
    for code in product_codes() {
        root = root.subcommand(product_command(code, options));
    }
    root.subcommand(crate::configure::command()).subcommand(
        Command::new(COMPLETION)
            .about("Print a completion script for a shell: bash, zsh, fish or powershell")
            .long_about(
                "Print a completion script for a shell, for products, actions and flags.\n\n\
                 bash:       source <(alicloud completion bash)\n\
                 zsh:        alicloud completion zsh > \"${fpath[1]}/_alicloud\"\n\
                 fish:       alicloud completion fish > ~/.config/fish/completions/alicloud.fish\n\
                 powershell: alicloud completion powershell | Out-String | Invoke-Expression",
            )
            .arg(
                Arg::new("shell")
                    .value_name("SHELL")
                    .required(true)
                    .value_parser(value_parser!(Shell)),
            ),
    )
}

/// The completion script of the whole tree for `shell`.
pub fn completion(shell: Shell) -> String {
    let mut tree = build(TreeOptions {
        completion: true,
        ..TreeOptions::default()
    });
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut tree, "alicloud", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// Where the grouped action list goes in a product's help (clap's own list is hidden).
const PRODUCT_HELP_TEMPLATE: &str =
    "{about-with-newline}\n{usage-heading} {usage}\n\n{before-help}{all-args}{after-help}";

/// The marker after the name of an action that changes something.
const WRITE_MARKER: &str = "[write]";

/// The actions of a product, those that only read first, then those that write (marked
/// [`WRITE_MARKER`]), each with its summary on the next line.
fn action_listing(code: &str, actions: &[(&str, &OperationInfo)]) -> String {
    let mut out = String::new();
    let groups = [
        (true, "Read actions (change nothing):".to_owned()),
        (
            false,
            format!("Write actions (create, change or delete something; marked {WRITE_MARKER}):"),
        ),
    ];
    for (read_only, heading) in groups {
        let group: Vec<_> = actions
            .iter()
            .filter(|(_, op)| op.operation.read_only == read_only)
            .collect();
        if group.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&heading);
        out.push('\n');
        for (action, operation) in group {
            out.push_str("  ");
            out.push_str(action);
            if !read_only {
                out.push_str("  ");
                out.push_str(WRITE_MARKER);
            }
            out.push('\n');
            for line in wrap(operation.summary, 92) {
                out.push_str("        ");
                out.push_str(&line);
                out.push('\n');
            }
            if let Some(note) = versions_line(code, operation) {
                out.push_str("        ");
                out.push_str(&note);
                out.push('\n');
            }
        }
    }
    out.trim_end().to_owned()
}

/// For an action in several API versions: the one that runs without `--version` (the
/// newest) and the others.
fn versions_line(code: &str, operation: &OperationInfo) -> Option<String> {
    let all = versions_with(code, operation.operation.action);
    let (newest, older) = all.split_last()?;
    if older.is_empty() {
        return None;
    }
    Some(format!(
        "(runs on API version {newest}; also in {}: pick one with --version)",
        older.join(", ")
    ))
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn product_command(code: &'static str, options: TreeOptions<'_>) -> Command {
    let all = versions(code);
    let title = all.last().map(|p| p.title).unwrap_or(code);
    let version_list = all
        .iter()
        .map(|p| p.service.version)
        .collect::<Vec<_>>()
        .join(", ");
    let mut command = Command::new(code)
        .about(title)
        .long_about(format!("{title}\n\nAPI versions: {version_list}"))
        .override_usage(format!(
            "alicloud {code} <ACTION> [--Parameter VALUE ...] [GLOBAL OPTIONS]"
        ))
        .subcommand_value_name("ACTION")
        .subcommand_help_heading("Actions")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(EXIT_CODES_HELP);
    let mut listed = Vec::new();
    let mut actions: Vec<&'static str> = all
        .iter()
        .flat_map(|p| p.operations.iter().map(|op| op.operation.action))
        .collect();
    actions.sort_unstable();
    actions.dedup();
    for action in actions {
        let Ok((product, operation)) =
            resolve(code, action, options.version).or_else(|_| resolve(code, action, None))
        else {
            continue;
        };
        listed.push((action, operation));
        command = command
            .subcommand(action_command(product, operation, options).hide(!options.completion));
    }
    if let Some(wait) = wait::command(code, options.force) {
        command = command.subcommand(wait.hide(!options.completion));
    }
    if options.completion {
        command
    } else {
        command
            .help_template(PRODUCT_HELP_TEMPLATE)
            .before_help(action_listing(code, &listed) + &wait::listing(code))
    }
}

fn action_command(
    product: &'static ProductInfo,
    operation: &'static OperationInfo,
    options: TreeOptions<'_>,
) -> Command {
    let action = operation.operation.action;
    let in_versions = versions_with(product.code, action);
    let mut long_about = format!(
        "{}\n\nProduct: {} ({}), API version {}",
        operation.summary, product.code, product.title, product.service.version
    );
    long_about.push_str(&version_note(product, action, &in_versions));
    long_about.push_str(if operation.operation.read_only {
        "\nKind: read (changes nothing)"
    } else {
        "\nKind: write (creates, changes or deletes something)"
    });
    if let Some(paging) = &operation.pagination {
        long_about.push_str(&format!(
            "\nPages: yes, by {} (--pager fetches every page and merges {})",
            paging.cursor, paging.items
        ));
    }
    let pager_cursor = operation
        .pagination
        .as_ref()
        .filter(|_| options.pager)
        .map(|p| p.cursor);
    let params = operation.params.iter().map(|info| {
        let required = info.required && !options.force && pager_cursor != Some(info.name);
        args::param_arg(info, !options.force, required)
    });
    // Completion scripts show the short text: say there which version runs.
    let about = match in_versions.len() {
        1 => operation.summary.to_owned(),
        _ => format!(
            "{} (runs on API {})",
            operation.summary.trim_end_matches('.'),
            product.service.version
        ),
    };
    let example = crate::example::command_line(product, operation, &in_versions);
    Command::new(action)
        .about(about)
        .long_about(long_about)
        .args(params)
        .after_help(format!(
            "Example:\n  {example}\n\nReference: {}\n\n{EXIT_CODES_HELP}",
            operation.reference_url
        ))
}

/// What an action's help says of its versions: which one this is, whether it is the one
/// that runs without `--version`, and the others.
fn version_note(product: &ProductInfo, action: &str, in_versions: &[&str]) -> String {
    let this = product.service.version;
    let newest = in_versions.last().copied().unwrap_or(this);
    let others: Vec<&str> = in_versions.iter().copied().filter(|v| *v != this).collect();
    if others.is_empty() {
        return String::new();
    }
    let others = others.join(", ");
    if this == newest {
        format!(
            ", the newest with {action}: it runs unless --version picks another (also in: {others})"
        )
    } else {
        format!(
            ", picked with --version (without it, {newest} runs; {action} is also in: {others})"
        )
    }
}

/// Parses a command line (with the program name first) into what to do.
pub fn parse(mut argv: Vec<OsString>) -> Result<Parsed, CliError> {
    join_field_values(&mut argv);
    let scan = scan(&argv);
    if let Some((index, _)) = scan.product.as_ref().filter(|(_, t)| t == CONFIGURE) {
        return crate::configure::parse(&argv[*index..]).map(Parsed::Configure);
    }
    let completion = scan.product.as_ref().is_some_and(|(_, t)| t == COMPLETION);
    if let Some((index, token)) = scan.product.as_ref().filter(|_| !completion) {
        let code = find_product(token)?;
        argv[*index] = code.into();
        let action = scan.action.as_ref();
        let target = match (action, &scan.waiter) {
            (Some((_, action)), Some((index, name))) if action == WAIT => {
                Some((*index, wait::find(code, name)?.1))
            }
            (Some((_, action)), None) if action == WAIT => None,
            (Some((index, action)), _) => {
                Some((*index, resolve(code, action, scan.version.as_deref())?.1))
            }
            (None, _) => None,
        };
        if let Some((index, operation)) = target {
            args::gather_dotted_flags(&mut argv, index + 1, operation);
            args::join_hyphen_values(&mut argv, index + 1, operation, global_takes_value);
        }
        if action.is_none() {
            if let Some(version) = &scan.version {
                if !versions(code).iter().any(|p| p.service.version == version) && !scan.help {
                    return Err(CliError::Usage(format!(
                        "product {code} has no API version '{version}'"
                    )));
                }
            }
        }
    }
    let options = TreeOptions {
        version: scan.version.as_deref(),
        force: scan.force,
        pager: scan.pager,
        completion: false,
    };
    let matches = match build(options).try_get_matches_from(argv.clone()) {
        // `alicloud cas`: the product's actions, as `alicloud cas --help` lists them.
        Err(error)
            if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                && scan.product.is_some()
                && !completion =>
        {
            argv.push("--help".into());
            build(options).try_get_matches_from(argv)?
        }
        other => other?,
    };
    let (code, product_matches) = matches
        .subcommand()
        .ok_or_else(|| CliError::Usage("no product given".into()))?;
    if code == COMPLETION {
        let shell = product_matches
            .get_one::<Shell>("shell")
            .copied()
            .ok_or_else(|| CliError::Usage("completion needs a shell".into()))?;
        return Ok(Parsed::Completion(shell));
    }
    let (action, action_matches) = product_matches
        .subcommand()
        .ok_or_else(|| CliError::Usage(format!("no action given for {code}")))?;
    let code = find_product(code)?;
    let (product, operation, action_matches, wait_plan) = if action == WAIT {
        let (name, waiter_matches) = action_matches
            .subcommand()
            .ok_or_else(|| CliError::Usage(format!("no waiter given for {code} wait")))?;
        let (waiter, operation) = wait::find(code, name)?;
        let product = waiter.product;
        if let Some(version) = waiter_matches.get_one::<String>("version") {
            if version != product.service.version {
                return Err(CliError::Usage(format!(
                    "{code} wait {name} polls {} of API version {}, not {version}",
                    operation.operation.action, product.service.version
                )));
            }
        }
        let plan = wait::plan_for(waiter, waiter_matches)?;
        (product, operation, waiter_matches, Some(plan))
    } else {
        let version = action_matches
            .get_one::<String>("version")
            .map(String::as_str);
        let (product, operation) = resolve(code, action, version)?;
        (product, operation, action_matches, None)
    };
    let globals = globals(action_matches)?;
    let wait_plan = match (wait_plan, action_matches.get_one::<String>("waiter")) {
        (Some(_), Some(_)) => {
            return Err(CliError::Usage(
                "--waiter does not apply to a wait command, which has its own state".into(),
            ));
        }
        (Some(plan), None) => Some(plan),
        (None, Some(spec)) => Some(wait::parse_waiter_flag(spec)?),
        (None, None) => None,
    };
    check_combinations(code, operation, &globals, wait_plan.as_ref())?;
    Ok(Parsed::Call(Box::new(Invocation {
        product,
        operation,
        pairs: args::wire_pairs(operation, action_matches),
        globals,
        wait: wait_plan,
    })))
}

/// Flags that cannot go together, and flags that do not apply to this action.
fn check_combinations(
    code: &str,
    operation: &OperationInfo,
    globals: &Globals,
    wait: Option<&WaitPlan>,
) -> Result<(), CliError> {
    let action = operation.operation.action;
    let usage = |message: String| Err(CliError::Usage(message));
    if globals.dry_run && globals.pager {
        return usage("--dry-run shows one request; it cannot be used with --pager".into());
    }
    if globals.dry_run && globals.query.is_some() {
        return usage("--query selects from a response, and --dry-run gets none".into());
    }
    if globals.dry_run && globals.quiet {
        return usage("--dry-run only prints, and --quiet prints nothing".into());
    }
    if globals.pager && operation.pagination.is_none() {
        return usage(format!(
            "{code} {action} does not page, so --pager does not apply"
        ));
    }
    if globals.emulator && globals.endpoint.is_some() {
        return usage("--emulator and --endpoint cannot be used together".into());
    }
    if wait.is_some() {
        if !operation.operation.read_only {
            return usage(format!(
                "{code} {action} is a write: only read actions are polled (a write never repeats)"
            ));
        }
        if globals.pager {
            return usage("--pager cannot be used while waiting: each poll is one request".into());
        }
        if globals.dry_run {
            return usage(
                "--dry-run shows one request and sends nothing, so there is nothing to wait for"
                    .into(),
            );
        }
    }
    Ok(())
}

fn globals(matches: &ArgMatches) -> Result<Globals, CliError> {
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    let query = match text("query") {
        Some(expression) => Some(std::rc::Rc::new(Query::compile(&expression)?)),
        None => None,
    };
    Ok(Globals {
        region: text("region"),
        endpoint: text("endpoint"),
        profile: text("profile"),
        signature: text("signature-version").map(|v| {
            if v.eq_ignore_ascii_case("v1") {
                SignatureVersion::V1
            } else {
                SignatureVersion::V3
            }
        }),
        pager: matches.get_flag("pager"),
        output: match text("output") {
            Some(spec) => crate::output::parse_format(&spec)?,
            None => OutputFormat::Json,
        },
        emulator: matches.get_flag("emulator"),
        emulator_state: matches
            .get_one::<std::path::PathBuf>("emulator-state")
            .cloned(),
        emulator_reset: matches.get_flag("emulator-reset"),
        emulator_step: matches
            .get_one::<u64>("emulator-step")
            .map(|ms| Duration::from_millis(*ms)),
        read_timeout: matches
            .get_one::<u64>("read-timeout")
            .map(|s| Duration::from_secs(*s)),
        connect_timeout: matches
            .get_one::<u64>("connect-timeout")
            .map(|s| Duration::from_secs(*s)),
        retry_count: matches.get_one::<u32>("retry-count").copied(),
        quiet: matches.get_flag("quiet"),
        query,
        dry_run: matches.get_flag("dry-run"),
        max_pages: matches.get_one::<u64>("max-pages").copied(),
        max_items: matches.get_one::<u64>("max-items").copied(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("alicloud")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn usage(args: &[&str]) -> String {
        match parse(argv(args)) {
            Err(error) => error.message(),
            Ok(parsed) => panic!("parsed: {parsed:?}"),
        }
    }

    fn call(args: &[&str]) -> Invocation {
        match parse(argv(args)) {
            Ok(Parsed::Call(invocation)) => *invocation,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn every_tree_is_valid() {
        for (force, pager, completion) in [
            (false, false, false),
            (true, false, false),
            (false, true, false),
            (false, false, true),
        ] {
            for version in [None, Some("2018-07-13"), Some("2020-04-07")] {
                build(TreeOptions {
                    version,
                    force,
                    pager,
                    completion,
                })
                .debug_assert();
            }
        }
    }

    #[test]
    fn products_are_case_insensitive_and_globals_go_anywhere() {
        let invocation = call(&[
            "--region",
            "cn-hangzhou",
            "CAS",
            "ListUserCertificateOrder",
            "--OrderType",
            "CERT",
            "--output=table",
            "--ShowSize",
            "20",
        ]);
        assert_eq!(invocation.product.service.version, "2020-04-07");
        assert_eq!(invocation.globals.region.as_deref(), Some("cn-hangzhou"));
        assert!(matches!(invocation.globals.output, OutputFormat::Table(_)));
        let pairs: Vec<_> = invocation
            .pairs
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(pairs, [("OrderType", "CERT"), ("ShowSize", "20")]);
    }

    #[test]
    fn the_version_is_picked_when_unambiguous_and_checked_when_given() {
        let invocation = call(&["cas", "DescribeOrderInstanceList", "--StartIndex", "0"]);
        assert_eq!(invocation.product.service.version, "2018-07-13");
        let invocation = call(&[
            "cas",
            "DescribeOrderInstanceList",
            "--StartIndex",
            "0",
            "--version",
            "2018-07-13",
        ]);
        assert_eq!(invocation.operation.operation.version, "2018-07-13");
        let message = usage(&[
            "--version",
            "2020-04-07",
            "cas",
            "DescribeOrderInstanceList",
        ]);
        assert!(
            message.contains("not in API version 2020-04-07; it is in: 2018-07-13"),
            "{message}"
        );
        let message = usage(&[
            "--version",
            "1999-01-01",
            "cas",
            "DescribeOrderInstanceList",
        ]);
        assert!(message.contains("no API version '1999-01-01'"), "{message}");
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let message = usage(&["cass", "ListUserCertificateOrder"]);
        assert!(message.contains("unknown product 'cass'"), "{message}");
        assert!(message.contains("did you mean 'cas'?"), "{message}");
        let message = usage(&["cas", "ListUserCertificateOrders"]);
        assert!(
            message.contains("unknown action 'ListUserCertificateOrders'"),
            "{message}"
        );
        assert!(message.contains("'ListUserCertificateOrder'"), "{message}");
        let message = usage(&["bssopenapi", "queryorder"]);
        assert!(message.contains("'QueryOrders'"), "{message}");
    }

    #[test]
    fn pager_relaxes_the_cursor_and_force_relaxes_checks() {
        let message = usage(&["cas", "DescribeOrderInstanceList"]);
        assert!(message.contains("--StartIndex"), "{message}");
        let invocation = call(&["cas", "DescribeOrderInstanceList", "--pager"]);
        assert!(invocation.globals.pager);
        let message = usage(&["cas", "ListDeploymentJobCert", "--JobId", "1", "--pager"]);
        assert!(message.contains("does not page"), "{message}");
        let invocation = call(&[
            "cas",
            "ListUserCertificateOrder",
            "--OrderType",
            "BOGUS",
            "--force",
        ]);
        assert_eq!(invocation.pairs[0].value, "BOGUS");
    }

    #[test]
    fn output_and_waiter_fields_join_into_one_value() {
        for args in [
            &[
                "--output",
                "table",
                "cols=A,B",
                "rows=L",
                "cas",
                "ListUserCertificateOrder",
            ][..],
            &[
                "--output=table",
                "cols=A,B",
                "rows=L",
                "cas",
                "ListUserCertificateOrder",
            ][..],
            &[
                "cas",
                "ListUserCertificateOrder",
                "--output",
                "cols=A,B",
                "rows=L",
            ][..],
        ] {
            let invocation = call(args);
            let OutputFormat::Table(spec) = &invocation.globals.output else {
                panic!("{args:?}: not a table");
            };
            let cols: Vec<&str> = spec
                .cols
                .iter()
                .flatten()
                .map(|(n, _)| n.as_str())
                .collect();
            assert_eq!(cols, ["A", "B"], "{args:?}");
            assert_eq!(spec.rows.as_ref().map(|r| r.text()), Some("L"), "{args:?}");
        }
        let invocation = call(&[
            "cas",
            "DescribeCertificateState",
            "--OrderId",
            "1",
            "--waiter",
            "expr=Type",
            "to=certificate",
            "timeout=9",
        ]);
        assert_eq!(
            invocation.wait.map(|w| w.timeout),
            Some(Duration::from_secs(9))
        );
    }

    #[test]
    fn suggestions_rank_close_names_first() {
        assert_eq!(suggest("cass", ["bssopenapi", "cas", "sts"]), ["cas"]);
        assert!(suggest("zzzz", ["bssopenapi", "cas", "sts"]).is_empty());
    }
}

//! Waiting: `alicloud <product> wait <waiter> --Param value [--timeout S] [--interval S]`
//! runs one of the specs' waiters, and `--waiter expr=<JMESPath> to=<value>` waits on any
//! read action. Both poll the read action until the state is reached, print progress on
//! stderr and the final response on stdout, and end non-zero (with the last state) on a
//! failure state or when the time is up. Only reads are polled: a write never repeats.
//!
//! The waiters are the specs' `waiters:`, which the catalog carries on the operations they
//! poll ([`OperationInfo::waiters`]).

use std::io::Write as _;
use std::time::Duration;

use alibabacloud_core::catalog::{OperationInfo, ProductInfo};
use alibabacloud_core::waiter::WaitRule;
use alibabacloud_core::{CallOptions, Error as SdkError, Handle};
use clap::{Arg, ArgMatches, Command, value_parser};
use tokio::time::Instant;

use crate::args;
use crate::cli::{FIELD_SEPARATOR, WAIT};
use crate::error::CliError;
use crate::json::Value;
use crate::query::Query;

/// A waiter of one operation of one product version.
#[derive(Clone, Copy, Debug)]
pub struct CatalogWaiter {
    /// The product version it belongs to.
    pub product: &'static ProductInfo,
    /// The read operation polled.
    pub operation: &'static OperationInfo,
    /// What it waits for.
    pub rule: &'static WaitRule,
}

impl CatalogWaiter {
    /// The command name: the rule's name in kebab case (`certificate-issued`).
    pub fn command_name(&self) -> String {
        self.rule.name.replace('_', "-")
    }

    /// The API version of the operation polled.
    pub fn version(&self) -> &'static str {
        self.product.service.version
    }

    /// The read action polled.
    pub fn action(&self) -> &'static str {
        self.operation.operation.action
    }
}

/// Every waiter in the catalog, product by product.
pub fn all() -> impl Iterator<Item = CatalogWaiter> {
    alibabacloud_catalog::PRODUCTS.iter().flat_map(|product| {
        product.operations.iter().flat_map(move |operation| {
            operation.waiters.iter().map(move |rule| CatalogWaiter {
                product,
                operation,
                rule,
            })
        })
    })
}

/// The waiters of product `code`, in table order, each name once (the newest version's
/// wins when two versions have a waiter of the same name).
fn of_product(code: &str) -> Vec<CatalogWaiter> {
    let mut found: Vec<CatalogWaiter> = Vec::new();
    let mut mine: Vec<CatalogWaiter> = all().filter(|w| w.product.code == code).collect();
    mine.sort_by_key(|w| std::cmp::Reverse(w.version()));
    for waiter in mine {
        if !found.iter().any(|f| f.rule.name == waiter.rule.name) {
            found.push(waiter);
        }
    }
    found.sort_by_key(|w| w.rule.name);
    found
}

/// The waiter `name` of product `code` (kebab or snake case) and the operation it polls.
pub fn find(code: &str, name: &str) -> Result<(CatalogWaiter, &'static OperationInfo), CliError> {
    let waiters = of_product(code);
    let wanted = name.replace('_', "-");
    match waiters.iter().find(|w| w.command_name() == wanted) {
        Some(waiter) => Ok((*waiter, waiter.operation)),
        None if waiters.is_empty() => Err(CliError::Usage(format!(
            "product {code} has no waiters; --waiter expr=<JMESPath> to=<value> waits on any of its read actions"
        ))),
        None => Err(CliError::Usage(format!(
            "unknown waiter '{name}' for product {code}; its waiters: {}",
            waiters
                .iter()
                .map(|w| w.command_name())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// What a waiter's help says it waits for.
fn describe(waiter: &CatalogWaiter) -> String {
    let mut text = format!(
        "Polls {} until {} is {}",
        waiter.action(),
        waiter.rule.path,
        waiter.rule.success.join(" or ")
    );
    if !waiter.rule.failure.is_empty() {
        text.push_str(&format!(
            " (fails if it becomes {})",
            waiter.rule.failure.join(" or ")
        ));
    }
    text
}

/// `alicloud <product> wait`, with one subcommand per waiter; `None` for a product without
/// waiters. `force` relaxes the parameter checks as for actions.
pub fn command(code: &'static str, force: bool) -> Option<Command> {
    let waiters = of_product(code);
    if waiters.is_empty() {
        return None;
    }
    let mut wait = Command::new(WAIT)
        .about("Wait until a resource reaches a state: the waiters of the API specs")
        .subcommand_value_name("WAITER")
        .subcommand_help_heading("Waiters")
        .subcommand_required(true)
        .arg_required_else_help(true);
    for waiter in waiters {
        let operation = waiter.operation;
        let params = operation
            .params
            .iter()
            .map(|info| args::param_arg(info, !force, info.required && !force));
        let example = {
            let required: Vec<String> = operation
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| format!("--{} {}", p.name, crate::example::shell_quote(p.example)))
                .collect();
            format!(
                "alicloud {code} wait {} {} --timeout {}",
                waiter.command_name(),
                required.join(" "),
                waiter.rule.max_wait.as_secs()
            )
        };
        let about = describe(&waiter);
        let long = format!(
            "{about}.\n\nAPI version {}. Polls every {} s at first, doubling up to every {} s \
             (or every --interval seconds), for up to {} s (or --timeout seconds). Progress \
             goes to stderr; the final response to stdout. Ends with exit code 5 and the \
             last state on a failure state or when the time is up.",
            waiter.version(),
            waiter.rule.min_delay.as_secs(),
            waiter.rule.max_delay.as_secs(),
            waiter.rule.max_wait.as_secs()
        );
        wait = wait.subcommand(
            Command::new(waiter.command_name())
                .about(about)
                .long_about(long)
                .args(params)
                .arg(
                    Arg::new("wait-timeout")
                        .long("timeout")
                        .value_name("SECONDS")
                        .value_parser(value_parser!(u64).range(1..))
                        .help(format!(
                            "Give up after this many seconds [default: {}]",
                            waiter.rule.max_wait.as_secs()
                        )),
                )
                .arg(
                    Arg::new("wait-interval")
                        .long("interval")
                        .value_name("SECONDS")
                        .value_parser(parse_seconds)
                        .help(format!(
                            "Poll every this many seconds (fractions allowed) [default: {} s, doubling up to {} s]",
                            waiter.rule.min_delay.as_secs(),
                            waiter.rule.max_delay.as_secs()
                        )),
                )
                .after_help(format!("Example:\n  {example}")),
        );
    }
    Some(wait)
}

/// The waiters a product's help lists after its actions (empty when it has none).
pub fn listing(code: &str) -> String {
    let waiters = of_product(code);
    if waiters.is_empty() {
        return String::new();
    }
    let mut out = format!("\n\nWaiters (alicloud {code} wait <WAITER> ...):\n");
    for waiter in waiters {
        out.push_str(&format!(
            "  {}\n        {}\n",
            waiter.command_name(),
            describe(&waiter)
        ));
    }
    out.trim_end().to_owned()
}

/// A positive number of seconds, fractions allowed (`0.5`).
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a number of seconds, got '{text}'"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!(
            "expected a number of seconds above 0 and at most 86400, got '{text}'"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// What a wait stops on.
#[derive(Debug)]
pub enum Condition {
    /// A spec's waiter.
    Rule {
        /// The command name, for messages.
        name: String,
        /// Its rule.
        rule: &'static WaitRule,
    },
    /// `--waiter expr=… to=…`.
    Expression {
        /// The JMESPath expression.
        expr: Query,
        /// The value that ends the wait.
        to: String,
    },
}

/// One wait: what ends it, for how long, how often.
#[derive(Debug)]
pub struct WaitPlan {
    /// What ends the wait.
    pub condition: Condition,
    /// The overall limit.
    pub timeout: Duration,
    /// A fixed delay between polls; `None`: the rule's doubling delays.
    pub interval: Option<Duration>,
}

/// The plan of `alicloud <product> wait <waiter>` from its flags.
pub fn plan_for(waiter: CatalogWaiter, matches: &ArgMatches) -> Result<WaitPlan, CliError> {
    Ok(WaitPlan {
        condition: Condition::Rule {
            name: waiter.command_name(),
            rule: waiter.rule,
        },
        timeout: matches
            .get_one::<u64>("wait-timeout")
            .map_or(waiter.rule.max_wait, |s| Duration::from_secs(*s)),
        interval: matches.get_one::<Duration>("wait-interval").copied(),
    })
}

/// The `key=value` fields of `--waiter`.
pub const FIELDS: &[&str] = &["expr", "to", "timeout", "interval"];

/// The default limit of `--waiter` (as the aliyun CLI's).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);
/// The default delay between the polls of `--waiter` (as the aliyun CLI's).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// Reads `--waiter expr=<JMESPath> to=<value> [timeout=S] [interval=S]`.
pub fn parse_waiter_flag(value: &str) -> Result<WaitPlan, CliError> {
    let usage = |message: String| CliError::Usage(format!("--waiter: {message}"));
    let (mut expr, mut to, mut timeout, mut interval) = (None, None, None, None);
    for word in value.split(FIELD_SEPARATOR) {
        let Some((key, text)) = word.split_once('=') else {
            return Err(usage(format!(
                "expected expr=<JMESPath> to=<value> [timeout=SECONDS] [interval=SECONDS], got '{word}'"
            )));
        };
        match key {
            "expr" => {
                expr = Some(Query::compile(text).map_err(|e| {
                    usage(format!(
                        "expr={text} is not a JMESPath expression: {}",
                        e.message()
                    ))
                })?)
            }
            "to" => to = Some(text.to_owned()),
            "timeout" => {
                timeout = Some(parse_seconds(text).map_err(|e| usage(format!("timeout: {e}")))?)
            }
            "interval" => {
                interval = Some(parse_seconds(text).map_err(|e| usage(format!("interval: {e}")))?)
            }
            other => {
                return Err(usage(format!(
                    "unknown field '{other}=' (the fields are expr=, to=, timeout= and interval=)"
                )));
            }
        }
    }
    let expr = expr.ok_or_else(|| usage("expr=<JMESPath> is required".into()))?;
    let to = to.ok_or_else(|| usage("to=<value> is required".into()))?;
    Ok(WaitPlan {
        condition: Condition::Expression { expr, to },
        timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
        interval: Some(interval.unwrap_or(DEFAULT_INTERVAL)),
    })
}

/// Where one poll left the wait.
enum Seen {
    Reached(String),
    Failed(String),
    Pending(Option<String>),
}

impl WaitPlan {
    /// What the state is called in messages (`Type`, the expression).
    fn subject(&self) -> String {
        match &self.condition {
            Condition::Rule { rule, .. } => rule.path.to_owned(),
            Condition::Expression { expr, .. } => expr.text().to_owned(),
        }
    }

    /// What the wait is called in messages.
    fn name(&self) -> String {
        match &self.condition {
            Condition::Rule { name, .. } => name.clone(),
            Condition::Expression { expr, to } => format!("{} == {to:?}", expr.text()),
        }
    }

    fn judge(&self, document: &Value) -> Result<Seen, CliError> {
        Ok(match &self.condition {
            Condition::Rule { rule, .. } => {
                let state = document.at(rule.path).and_then(Value::state_text);
                match state {
                    Some(s) if rule.success.contains(&s.as_str()) => Seen::Reached(s),
                    Some(s) if rule.failure.contains(&s.as_str()) => Seen::Failed(s),
                    other => Seen::Pending(other),
                }
            }
            Condition::Expression { expr, to } => {
                let result = expr.apply(document)?;
                let state = result.state_text();
                match state {
                    Some(s) if s == *to => Seen::Reached(s),
                    Some(s) => Seen::Pending(Some(s)),
                    None if matches!(result, Value::Null) => Seen::Pending(None),
                    None => Seen::Pending(Some(serde_json::to_string(&result).unwrap_or_default())),
                }
            }
        })
    }

    /// The delay after poll number `polls` (1-based).
    fn delay(&self, polls: u32) -> Duration {
        if let Some(interval) = self.interval {
            return interval;
        }
        let Condition::Rule { rule, .. } = &self.condition else {
            return DEFAULT_INTERVAL;
        };
        let factor = 1u32
            .checked_shl(polls.saturating_sub(1))
            .unwrap_or(u32::MAX);
        rule.min_delay
            .checked_mul(factor)
            .unwrap_or(rule.max_delay)
            .min(rule.max_delay)
            .max(rule.min_delay)
    }
}

/// Why a wait ended without its state: the message for stderr.
pub type Failure = String;

/// Polls `operation` with `params` until `plan` is met; returns the final response.
/// Progress lines go to stderr unless `quiet`. A poll that fails in a way the runtime
/// would retry (throttling, 5xx, network, timeout) keeps the wait going; any other error
/// ends it as that error.
pub async fn poll(
    handle: &Handle,
    operation: &'static OperationInfo,
    params: &alibabacloud_core::Params,
    plan: &WaitPlan,
    what: &str,
    quiet: bool,
) -> Result<Result<Value, Failure>, SdkError> {
    let started = Instant::now();
    let deadline = started + plan.timeout;
    let subject = plan.subject();
    let name = plan.name();
    let mut last: Option<String> = None;
    let mut last_error: Option<String>;
    let mut polls = 0u32;
    let progress = |line: String| {
        if !quiet {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    };
    loop {
        polls += 1;
        let left = deadline.saturating_duration_since(Instant::now());
        let options = CallOptions::new().operation_timeout(left.max(Duration::from_secs(1)));
        let elapsed = || started.elapsed().as_secs_f64();
        match handle
            .invoke_raw(&operation.operation, params, &options)
            .await
        {
            Ok(raw) => {
                let document =
                    Value::parse(&raw.body).map_err(|e| raw.unreadable(&operation.operation, e))?;
                let seen = plan.judge(&document).map_err(|e| {
                    SdkError::config(format!("the wait's expression failed: {}", e.message()))
                })?;
                match seen {
                    Seen::Reached(state) => {
                        progress(format!(
                            "{what}: {subject} = {state:?}: {name} reached after {:.1} s ({polls} polls)",
                            elapsed()
                        ));
                        return Ok(Ok(document));
                    }
                    Seen::Failed(state) => {
                        return Ok(Err(format!(
                            "{what}: {name} failed: {subject} is {state:?}, a failure state \
                             (after {:.1} s, {polls} polls)",
                            elapsed()
                        )));
                    }
                    Seen::Pending(state) => {
                        match &state {
                            Some(state) => progress(format!(
                                "{what}: {subject} = {state:?}, waiting for {name} ({:.1} s, poll {polls})",
                                elapsed()
                            )),
                            None => progress(format!(
                                "{what}: {subject} not in the response yet, waiting for {name} ({:.1} s, poll {polls})",
                                elapsed()
                            )),
                        }
                        last = state.or(last);
                        last_error = None;
                    }
                }
            }
            Err(error) if error.is_retryable() => {
                progress(format!(
                    "{what}: poll {polls} failed ({}); polling on",
                    error.message()
                ));
                last_error = Some(error.message().to_owned());
            }
            Err(error) => return Err(error),
        }
        let now = Instant::now();
        if now >= deadline {
            let seen = match &last {
                Some(state) => format!("last state {subject} = {state:?}"),
                None => format!("{subject} was never seen"),
            };
            let failure = last_error
                .map(|e| format!("; the last poll failed: {e}"))
                .unwrap_or_default();
            return Ok(Err(format!(
                "{what}: gave up waiting for {name} after {:.1} s and {polls} polls \
                 (--timeout {} s): {seen}{failure}",
                started.elapsed().as_secs_f64(),
                plan.timeout.as_secs_f64()
            )));
        }
        tokio::time::sleep(plan.delay(polls).min(deadline - now)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(spec: &str) -> Result<WaitPlan, CliError> {
        parse_waiter_flag(&spec.replace(' ', FIELD_SEPARATOR))
    }

    #[test]
    fn the_waiter_flag_takes_its_fields() {
        let plan = plan("expr=Data.Status to=done timeout=30 interval=0.5").unwrap();
        assert_eq!(plan.timeout, Duration::from_secs(30));
        assert_eq!(plan.interval, Some(Duration::from_millis(500)));
        let document = Value::parse(br#"{"Data":{"Status":"done"}}"#).unwrap();
        assert!(matches!(plan.judge(&document).unwrap(), Seen::Reached(s) if s == "done"));
        let document = Value::parse(br#"{"Data":{"Status":3}}"#).unwrap();
        assert!(matches!(plan.judge(&document).unwrap(), Seen::Pending(Some(s)) if s == "3"));
        let defaults = super::tests::plan("expr=A to=1").unwrap();
        assert_eq!(defaults.timeout, DEFAULT_TIMEOUT);
        for (spec, needle) in [
            ("to=x", "expr=<JMESPath> is required"),
            ("expr=A", "to=<value> is required"),
            ("expr=A[ to=x", "not a JMESPath expression"),
            ("expr=A to=x timeout=0", "above 0"),
            ("expr=A to=x every=3", "unknown field 'every='"),
            ("A", "expected expr="),
        ] {
            let error = super::tests::plan(spec).unwrap_err();
            assert!(
                error.message().contains(needle),
                "{spec}: {}",
                error.message()
            );
        }
    }

    #[test]
    fn rule_delays_double_up_to_the_largest() {
        let (waiter, _) = find("cas", "certificate-issued").unwrap();
        let plan = WaitPlan {
            condition: Condition::Rule {
                name: waiter.command_name(),
                rule: waiter.rule,
            },
            timeout: Duration::from_secs(900),
            interval: None,
        };
        let delays: Vec<u64> = (1..=6).map(|n| plan.delay(n).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 60, 60]);
        let document = Value::parse(br#"{"Type":"verify_fail"}"#).unwrap();
        assert!(matches!(plan.judge(&document).unwrap(), Seen::Failed(_)));
    }

    #[test]
    fn every_waiter_polls_a_read_action_of_the_catalog() {
        for waiter in all() {
            assert!(waiter.operation.operation.read_only, "{waiter:?}");
        }
        assert!(find("cas", "certificate_issued").is_ok());
        let error = find("cas", "certificate-isued").unwrap_err();
        assert!(
            error.message().contains("deployment-job-succeeded"),
            "{}",
            error.message()
        );
        let error = find("sts", "x").unwrap_err();
        assert!(
            error.message().contains("has no waiters"),
            "{}",
            error.message()
        );
    }

    /// The catalog's waiters are exactly the `waiters:` of the specs (the source of truth),
    /// read here from `specs/<product>/<version>/*.yaml`.
    #[test]
    fn the_catalog_waiters_are_what_the_specs_say() {
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
        let seconds = |value: &serde_yaml::Value, key: &str, default: u64| {
            Duration::from_secs(value[key].as_u64().unwrap_or(default))
        };
        let texts = |value: &serde_yaml::Value| -> Vec<String> {
            value
                .as_sequence()
                .map(|items| {
                    items
                        .iter()
                        .map(|v| match v {
                            serde_yaml::Value::String(s) => s.clone(),
                            other => serde_yaml::to_string(other).unwrap().trim().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut from_specs = Vec::new();
        for product in std::fs::read_dir(&specs).unwrap() {
            let product = product.unwrap().path();
            if !product.is_dir() {
                continue;
            }
            for version in std::fs::read_dir(&product).unwrap() {
                let version = version.unwrap().path();
                if !version.is_dir() {
                    continue;
                }
                let service: serde_yaml::Value = serde_yaml::from_str(
                    &std::fs::read_to_string(version.join("service.yaml")).unwrap(),
                )
                .unwrap();
                for file in std::fs::read_dir(&version).unwrap() {
                    let file = file.unwrap().path();
                    if file.file_name().unwrap() == "service.yaml"
                        || file.extension().is_none_or(|e| e != "yaml")
                    {
                        continue;
                    }
                    let spec: serde_yaml::Value =
                        serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
                    let Some(waiters) = spec["waiters"].as_sequence() else {
                        continue;
                    };
                    for waiter in waiters {
                        from_specs.push((
                            service["product"].as_str().unwrap().to_owned(),
                            service["version"].as_str().unwrap().to_owned(),
                            spec["action"].as_str().unwrap().to_owned(),
                            waiter["name"].as_str().unwrap().to_owned(),
                            waiter["path"].as_str().unwrap().to_owned(),
                            texts(&waiter["success"]),
                            texts(&waiter["failure"]),
                            seconds(waiter, "min_delay_seconds", 5),
                            seconds(waiter, "max_delay_seconds", 60),
                            seconds(waiter, "max_wait_seconds", 900),
                        ));
                    }
                }
            }
        }
        let mut table: Vec<_> = all()
            .map(|w| {
                (
                    w.product.code.to_owned(),
                    w.version().to_owned(),
                    w.action().to_owned(),
                    w.rule.name.to_owned(),
                    w.rule.path.to_owned(),
                    w.rule
                        .success
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>(),
                    w.rule
                        .failure
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>(),
                    w.rule.min_delay,
                    w.rule.max_delay,
                    w.rule.max_wait,
                )
            })
            .collect();
        from_specs.sort();
        table.sort();
        assert!(
            !from_specs.is_empty(),
            "no waiters found under {}",
            specs.display()
        );
        assert_eq!(
            table, from_specs,
            "the catalog's waiters differ from the specs': run `cargo xtask codegen`"
        );
    }
}

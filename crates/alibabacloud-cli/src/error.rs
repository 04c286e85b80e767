//! What can go wrong, how it is told on stderr, and the exit code of each kind.

use std::error::Error as _;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use alibabacloud_core::Error as SdkError;
use alibabacloud_core::error::ErrorKind;

/// The call failed: a service error, a network error or a timeout.
pub const EXIT_CALL: u8 = 1;
/// The command line is wrong: unknown product or action, a missing or invalid flag.
pub const EXIT_USAGE: u8 = 2;
/// No credentials could be found.
pub const EXIT_CREDENTIALS: u8 = 3;
/// A write was sent and its outcome is unknown: it may have run.
pub const EXIT_MAY_HAVE_RUN: u8 = 4;
/// A wait ended without its state: a failure state, or the time ran out.
pub const EXIT_WAIT: u8 = 5;

/// The exit codes, as shown at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  the call failed: a service error (its Code, Message and RequestId are printed),
     an unreachable endpoint, a timeout or an unreadable response
  2  usage error: unknown product or action, missing required flag, invalid value
  3  no credentials found (every source of the default chain that was tried is listed)
  4  a write may have run: it was sent, then the connection broke, the read timed out,
     the service answered 5xx or the answer was unreadable. It was not sent again; check
     its effect (the message names the actions to look with) before running it again,
     with the ClientToken the message prints where the action takes one
  5  a wait (alicloud <product> wait ..., --waiter) ended without its state: a failure
     state was reached, or the time ran out (the last state seen is printed)";

/// A failure of one `alicloud` run.
#[derive(Debug)]
pub enum CliError {
    /// clap's own parse errors, and `--help` (which exits 0).
    Clap(clap::Error),
    /// A usage error found outside clap.
    Usage(String),
    /// The call, or getting ready for it, failed.
    Call {
        /// `cas ListUserCertificateOrder`, for the message.
        what: String,
        /// Where the call went, when known.
        endpoint: Option<String>,
        /// The runtime's error.
        error: SdkError,
        /// For a write that may have run: the commands that show whether it did.
        checks: Vec<String>,
    },
    /// Something else on this machine failed (starting the emulator, ...).
    Local(String),
    /// A wait ended without its state (the message says which state it saw last).
    Wait(String),
}

impl CliError {
    /// The exit code of this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Clap(error) => u8::try_from(error.exit_code()).unwrap_or(EXIT_USAGE),
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Call { error, .. } if error.may_have_run() => EXIT_MAY_HAVE_RUN,
            CliError::Call { error, .. } => match error.kind() {
                ErrorKind::Credentials => EXIT_CREDENTIALS,
                ErrorKind::Config | ErrorKind::Build => EXIT_USAGE,
                _ => EXIT_CALL,
            },
            CliError::Local(_) => EXIT_CALL,
            CliError::Wait(_) => EXIT_WAIT,
        }
    }

    /// The message for stderr (without the trailing newline).
    pub fn message(&self) -> String {
        match self {
            CliError::Clap(error) => error.render().to_string().trim_end().to_owned(),
            CliError::Usage(message) if message.contains("--help") => format!("error: {message}"),
            CliError::Usage(message) => {
                format!("error: {message}\n\nFor more information, try '--help'.")
            }
            CliError::Local(message) | CliError::Wait(message) => format!("error: {message}"),
            CliError::Call {
                what,
                error,
                checks,
                ..
            } if error.may_have_run() => may_have_run_message(what, error, checks),
            CliError::Call {
                what,
                endpoint,
                error,
                ..
            } => call_message(what, endpoint.as_deref(), error),
        }
    }

    /// Prints the message (help and clap's output go where clap sends them) and returns
    /// the exit code.
    pub fn report(self) -> ExitCode {
        let code = self.exit_code();
        match &self {
            // clap prints help to stdout and errors to stderr, with colour when it fits.
            CliError::Clap(error) => {
                let _ = error.print();
            }
            _ => {
                let _ = writeln!(std::io::stderr().lock(), "{}", self.message());
            }
        }
        ExitCode::from(code)
    }
}

impl From<clap::Error> for CliError {
    fn from(error: clap::Error) -> Self {
        CliError::Clap(error)
    }
}

/// The message of a write that may have run: that first, then how to find out and how to
/// retry safely, then the cause.
fn may_have_run_message(what: &str, error: &SdkError, checks: &[String]) -> String {
    let happened = match error.kind() {
        ErrorKind::Timeout => "no complete answer arrived in time".to_owned(),
        ErrorKind::Network => "the connection failed before a complete answer arrived".to_owned(),
        ErrorKind::Response => "its answer could not be read".to_owned(),
        _ => match (error.http_status(), error.code()) {
            (Some(status), Some(code)) => format!("the service answered HTTP {status} ({code})"),
            (Some(status), None) => format!("the service answered HTTP {status}"),
            _ => "no usable answer arrived".to_owned(),
        },
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "error: {what} MAY HAVE RUN: its request was sent, then {happened}."
    );
    let sent = match error.client_token() {
        Some(_) => "Every attempt carried the same ClientToken, so it ran once or not at all.",
        None => "It was not sent again, so it ran once or not at all.",
    };
    let _ = writeln!(out, "  {sent} Check before running it again:");
    if checks.is_empty() {
        let _ = writeln!(
            out,
            "    look for its effect with the product's list or describe actions"
        );
    }
    for check in checks {
        let _ = writeln!(out, "    {check}");
    }
    match error.client_token() {
        Some(token) => {
            let _ = writeln!(
                out,
                "  It carried ClientToken {token}: to retry safely, run it again with \
                 --ClientToken {token}; the service runs it at most once per token."
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  Running it again as it is may do it twice: this action takes no ClientToken."
            );
        }
    }
    if let Some(request_id) = error.request_id() {
        let _ = writeln!(out, "  RequestId: {request_id}");
    }
    let _ = writeln!(out, "  Cause: {}", cause_of(error));
    out.trim_end().to_owned()
}

/// The error's own text without the runtime's may-have-run advice (the message above
/// gives it), followed by its innermost cause.
fn cause_of(error: &SdkError) -> String {
    let mut text = error.message().to_owned();
    if let (Some(code), Some(status)) = (error.code(), error.http_status()) {
        text = format!("{code} (HTTP {status}): {text}");
    }
    let mut cause = error.source();
    while let Some(inner) = cause.and_then(|c| c.source()) {
        cause = Some(inner);
    }
    if let Some(cause) = cause {
        text.push_str(&format!(" ({cause})"));
    }
    text
}

fn call_message(what: &str, endpoint: Option<&str>, error: &SdkError) -> String {
    let at = endpoint.map(|e| format!(" at {e}")).unwrap_or_default();
    let mut out = String::new();
    match error.kind() {
        ErrorKind::Service => {
            let _ = writeln!(out, "error: {what} failed: the service returned an error");
            if let Some(code) = error.code() {
                let _ = writeln!(out, "  Code:      {code}");
            }
            let _ = writeln!(out, "  Message:   {}", error.message());
            let _ = writeln!(
                out,
                "  RequestId: {}",
                error.request_id().unwrap_or("(none)")
            );
            if let Some(status) = error.http_status() {
                let _ = writeln!(out, "  HTTP:      {status}");
            }
            if let Some(endpoint) = endpoint {
                let _ = writeln!(out, "  Endpoint:  {endpoint}");
            }
            if let Some(recommend) = error.recommend() {
                let _ = writeln!(out, "  Recommend: {recommend}");
            }
        }
        ErrorKind::Network => {
            // The innermost cause says what happened ("Connection refused", "dns error").
            let mut cause = error.source();
            while let Some(inner) = cause.and_then(|c| c.source()) {
                cause = Some(inner);
            }
            let cause = cause.map(|c| format!(" ({c})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "error: {what}: the endpoint{at} is unreachable: {}{cause}",
                error.message()
            );
            let _ = writeln!(
                out,
                "  check --endpoint / --region and the network (or try --emulator)"
            );
        }
        ErrorKind::Timeout => {
            let _ = writeln!(
                out,
                "error: {what}: no answer from the endpoint{at}: {}",
                error.message()
            );
            let _ = writeln!(out, "  a longer --read-timeout (seconds) may help");
        }
        ErrorKind::Credentials => {
            let _ = writeln!(out, "error: {what}: {}", error.message());
            let _ = writeln!(
                out,
                "  set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a \
                 profile with `alicloud configure` (then --profile NAME), or try --emulator"
            );
        }
        ErrorKind::Config | ErrorKind::Build => {
            let _ = writeln!(out, "error: {what}: {}", error.message());
        }
        _ => {
            let _ = writeln!(out, "error: {what}{at}: {error}");
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_errors_show_code_message_and_request_id() {
        let error = CliError::Call {
            what: "cas ListDeploymentJobCert".into(),
            checks: Vec::new(),
            endpoint: Some("http://127.0.0.1:9".into()),
            error: SdkError::service("NotFound", "no such job")
                .with_http_status(404)
                .with_request_id(Some("REQ-1".into())),
        };
        let message = error.message();
        assert!(message.contains("Code:      NotFound"), "{message}");
        assert!(message.contains("Message:   no such job"), "{message}");
        assert!(message.contains("RequestId: REQ-1"), "{message}");
        assert_eq!(error.exit_code(), EXIT_CALL);
    }

    #[test]
    fn exit_codes_differ_by_kind() {
        let call = |error| CliError::Call {
            what: "x".into(),
            checks: Vec::new(),
            endpoint: None,
            error,
        };
        assert_eq!(
            call(SdkError::credentials("none")).exit_code(),
            EXIT_CREDENTIALS
        );
        assert_eq!(
            call(SdkError::config("bad endpoint")).exit_code(),
            EXIT_USAGE
        );
        assert_eq!(call(SdkError::timeout("slow")).exit_code(), EXIT_CALL);
        assert_eq!(CliError::Usage("x".into()).exit_code(), EXIT_USAGE);
    }
}

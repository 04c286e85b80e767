//! Credentials printed by an external program (the aliyun CLI's `External` mode).

use std::fmt;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use alibabacloud_core::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use alibabacloud_core::error::Error;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::cache::CredentialsCache;
use crate::command;
use crate::expiration;
use crate::http::MAX_BODY_BYTES;

/// How long the program may run by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How much of the program's standard error an error message shows.
const STDERR_SHOWN: usize = 512;

/// Runs a program and reads credentials from what it prints, as the aliyun CLI's `External`
/// profiles do.
///
/// The command line is split into words, honouring `'...'` and `"..."` quotes, and run
/// directly, without a shell: nothing in it is expanded, piped or redirected. The program
/// gets no standard input and inherits the environment. It must exit with status 0 within
/// the timeout (60 s by default; then it is killed) and print, within 64 KiB, one JSON
/// object:
///
/// ```json
/// {"mode": "StsToken", "access_key_id": "STS....", "access_key_secret": "...",
///  "sts_token": "...", "expiration": "2030-01-01T00:00:00Z"}
/// ```
///
/// `mode` is `AK` (an access key; `sts_token` optional) or `StsToken` (`sts_token`
/// required); `expiration` (UTC, `%Y-%m-%dT%H:%M:%SZ`) is optional. Credentials with an
/// expiration are cached and refreshed 15 minutes before it (or at half their lifetime),
/// one run at a time, and refused when already expired; credentials without one are asked
/// for again at every call, as the official SDKs do.
///
/// Errors name the program (never its arguments, which may hold a secret) and show the
/// start of its standard error when it fails; they never show what it printed on standard
/// output. `Debug` shows the program only. Provider name: `external`.
///
/// ```no_run
/// use alibabacloud_credentials::ExternalProcessProvider;
/// let provider = ExternalProcessProvider::new("/usr/local/bin/fetch-alibaba-credentials --role ci");
/// # let _ = provider;
/// ```
pub struct ExternalProcessProvider {
    command: String,
    timeout: Duration,
    /// Where the command came from, for messages (e.g. `profile "x" of /h/.aliyun/config.json`).
    origin: Option<String>,
    provider_name: &'static str,
    cache: CredentialsCache,
}

/// What the program prints. Not `Debug`: it holds the secret.
#[derive(Deserialize)]
struct Output {
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    expiration: Option<String>,
}

impl ExternalProcessProvider {
    /// Runs `command` (a program and its arguments, split as described above).
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            timeout: DEFAULT_TIMEOUT,
            origin: None,
            provider_name: "external",
            cache: CredentialsCache::expiring_only(),
        }
    }

    /// Kills the program and fails if it runs longer than `timeout` (default 60 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub(crate) fn with_origin(mut self, origin: String) -> Self {
        self.origin = Some(origin);
        self
    }

    pub(crate) fn with_provider_name(mut self, name: &'static str) -> Self {
        self.provider_name = name;
        self
    }

    /// The program's name, for messages: the first word, else a placeholder.
    fn program(&self) -> String {
        command::split(&self.command)
            .ok()
            .and_then(|words| words.into_iter().next())
            .unwrap_or_else(|| "(no program)".to_owned())
    }

    fn fail(&self, program: &str, reason: impl fmt::Display) -> Error {
        let origin = self
            .origin
            .as_deref()
            .map(|o| format!(" (process_command of {o})"))
            .unwrap_or_default();
        Error::credentials(format!("external program {program:?}{origin}: {reason}"))
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let words = command::split(&self.command).map_err(|reason| {
            let origin = self
                .origin
                .as_deref()
                .map(|o| format!(" of {o}"))
                .unwrap_or_default();
            Error::credentials(format!("the process_command{origin} is unusable: {reason}"))
        })?;
        let program = words[0].clone();
        let stdout = self.run(&program, &words[1..]).await?;
        self.parse(&program, &stdout)
    }

    /// Runs the program; its standard output, or why it failed.
    async fn run(&self, program: &str, args: &[String]) -> Result<Vec<u8>, Error> {
        let mut child = tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| self.fail(program, format!("could not be started: {e}")))?;
        let stderr = child.stderr.take().map(|stderr| {
            tokio::spawn(async move { read_head(stderr, STDERR_SHOWN).await.unwrap_or_default() })
        });
        let mut stdout = child.stdout.take();
        let work = async {
            let output = match stdout.as_mut() {
                Some(out) => read_limited(out, MAX_BODY_BYTES).await,
                None => Ok(Vec::new()),
            };
            match output {
                Ok(output) => Ok((output, child.wait().await)),
                Err(reason) => Err(reason),
            }
        };
        let outcome = tokio::time::timeout(self.timeout, work).await;
        let (output, status) = match outcome {
            Err(_) => {
                let _ = child.kill().await;
                return Err(self.fail(
                    program,
                    format!(
                        "timed out after {} ms and was killed",
                        self.timeout.as_millis()
                    ),
                ));
            }
            Ok(Err(reason)) => {
                let _ = child.kill().await;
                return Err(self.fail(program, reason));
            }
            Ok(Ok(result)) => result,
        };
        let status =
            status.map_err(|e| self.fail(program, format!("could not be waited for: {e}")))?;
        if !status.success() {
            let stderr = match stderr {
                Some(task) => task.await.unwrap_or_default(),
                None => String::new(),
            };
            let exit = match status.code() {
                Some(code) => format!("exited with status {code}"),
                None => "was ended by a signal".to_owned(),
            };
            let stderr = stderr.trim();
            let shown = if stderr.is_empty() {
                String::new()
            } else {
                format!("; its standard error begins: {stderr}")
            };
            return Err(self.fail(program, format!("{exit}{shown}")));
        }
        Ok(output)
    }

    fn parse(&self, program: &str, stdout: &[u8]) -> Result<Credentials, Error> {
        let output: Output = serde_json::from_slice(stdout).map_err(|e| {
            self.fail(
                program,
                format!(
                    "its output is not a credentials object ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            )
        })?;
        let present = |v: Option<String>| v.filter(|v| !v.is_empty());
        let missing = |field: &str| self.fail(program, format!("its output has no {field}"));
        let access_key_id =
            present(output.access_key_id).ok_or_else(|| missing("access_key_id"))?;
        let access_key_secret =
            present(output.access_key_secret).ok_or_else(|| missing("access_key_secret"))?;
        let token = present(output.sts_token);
        let mode = output.mode.unwrap_or_default();
        if mode == "StsToken" && token.is_none() {
            return Err(missing("sts_token (its mode is StsToken)"));
        }
        let mut credentials = Credentials::new(access_key_id, access_key_secret);
        if let Some(token) = token {
            credentials = credentials.with_security_token(token);
        }
        if let Some(at) = present(output.expiration) {
            let at = expiration::parse(&at)
                .and_then(|at| expiration::ensure_unexpired(at, SystemTime::now()).map(|()| at))
                .map_err(|reason| self.fail(program, format!("its output: {reason}")))?;
            credentials = credentials.with_expiration(at);
        }
        Ok(credentials.with_provider(self.provider_name))
    }
}

/// Reads all of `reader`, failing as soon as it holds more than `limit` bytes.
async fn read_limited(
    reader: &mut (impl AsyncRead + Unpin),
    limit: usize,
) -> Result<Vec<u8>, String> {
    let mut output = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let n = reader
            .read(&mut buffer)
            .await
            .map_err(|e| format!("its output could not be read: {e}"))?;
        if n == 0 {
            return Ok(output);
        }
        if output.len() + n > limit {
            return Err(format!("it printed more than the {limit}-byte limit"));
        }
        output.extend_from_slice(&buffer[..n]);
    }
}

/// The first `limit` bytes of `reader` as text; the rest is read and dropped, so that the
/// program never blocks on a full pipe.
async fn read_head(mut reader: impl AsyncRead + Unpin, limit: usize) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = reader.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        let room = limit.saturating_sub(head.len());
        head.extend_from_slice(&buffer[..n.min(room)]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

impl fmt::Debug for ExternalProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalProcessProvider")
            .field("program", &self.program())
            .field("timeout", &self.timeout)
            .field("provider_name", &self.provider_name)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ExternalProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

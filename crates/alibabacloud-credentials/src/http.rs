//! Plain HTTP for the metadata service, the credentials URI and the CloudSSO and OAuth
//! endpoints: client set-up, bodies read up to a size cap, and error descriptions that never
//! carry a URL (a URL may hold a token).

use std::error::Error as StdError;
use std::time::Duration;

use alibabacloud_core::error::Error;

/// Connect and read timeouts of one kind of credentials endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) read: Duration,
}

/// A client with the given timeouts; `direct` bypasses any proxy (the metadata service is
/// only reachable directly).
///
/// Redirects are never followed and no `Referer` is ever sent: a redirect would carry the
/// metadata token header (and the URI's query) to whichever host the `Location` names,
/// and that host's answer would then be taken for credentials. A 3xx is reported by
/// [`status_failure`] instead.
pub(crate) fn client(timeouts: Timeouts, direct: bool) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.read)
        .timeout(timeouts.connect + timeouts.read);
    if direct {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| {
        Error::credentials(format!(
            "the HTTP client could not be built: {}",
            describe(e)
        ))
    })
}

/// The most a credentials endpoint's response body may hold: 64 KiB. A credentials document
/// is well under 4 KiB; anything larger is refused without being read further.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// The response body, read up to `limit` bytes. A larger body (by its `Content-Length`, or
/// by what arrives) is an error naming the limit; nothing past the limit is read.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, String> {
    let too_large = || format!("the response body exceeds the {limit}-byte limit");
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(describe)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The body of a successful response (up to [`MAX_BODY_BYTES`]), or why it failed: the
/// status, what the error body says, and `hint(status)` in parentheses when it has one (how
/// to sign in again, say).
pub(crate) async fn success_body(
    response: reqwest::Response,
    hint: impl FnOnce(u16) -> Option<String>,
) -> Result<Vec<u8>, String> {
    let status = response.status();
    if status.is_success() {
        return read_capped(response, MAX_BODY_BYTES).await;
    }
    let reason = status_failure(&response);
    let body = read_capped(response, MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    let hint = hint(status.as_u16())
        .map(|hint| format!(" ({hint})"))
        .unwrap_or_default();
    Err(format!("{reason}{}{hint}", error_summary(&body)))
}

/// A JSON answer read as `T`; the error names what the answer should have been (`what`,
/// e.g. "a token answer") and where reading stopped, never a value of the body.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    body: &[u8],
    what: &str,
) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| {
        format!(
            "the response is not {what} ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        )
    })
}

/// Why a request failed, without its URL.
pub(crate) fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    let mut innermost: &dyn StdError = &error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let cause = innermost.to_string();
    if error.is_connect() {
        format!("could not connect: {cause}")
    } else if std::ptr::addr_eq(innermost, &error) {
        cause
    } else {
        format!("{error}: {cause}")
    }
}

/// Why a response with a non-success status is refused: `HTTP 500`, or for a redirect
/// `HTTP 302 (a redirect to host:port, not followed)` naming only the `Location` host
/// (its path and query may hold a token).
pub(crate) fn status_failure(response: &reqwest::Response) -> String {
    let status = response.status();
    if !status.is_redirection() {
        return format!("HTTP {}", status.as_u16());
    }
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .and_then(|location| response.url().join(location).ok())
        .and_then(|url| {
            let host = url.host_str()?.to_owned();
            Some(match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        });
    match target {
        Some(host) => format!(
            "HTTP {} (a redirect to {host}, not followed)",
            status.as_u16()
        ),
        None => format!(
            "HTTP {} (a redirect without a usable Location, not followed)",
            status.as_u16()
        ),
    }
}

/// What an error response says, for messages: its code and message (`Code`, `ErrorCode`,
/// `error`; `Message`, `ErrorMessage`, `error_description`, in any case), each cut at 200
/// characters, as `": code: message"`; empty when the body says neither. Nothing else of
/// the body is shown.
pub(crate) fn error_summary(body: &[u8]) -> String {
    let Ok(serde_json::Value::Object(members)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return String::new();
    };
    let pick = |names: &[&str]| {
        members.iter().find_map(|(key, value)| {
            let wanted = names.iter().any(|name| key.eq_ignore_ascii_case(name));
            match value {
                serde_json::Value::String(text) if wanted && !text.is_empty() => {
                    Some(text.chars().take(200).collect::<String>())
                }
                _ => None,
            }
        })
    };
    let parts: Vec<String> = [
        pick(&["Code", "ErrorCode", "error"]),
        pick(&["Message", "ErrorMessage", "error_description"]),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(": "))
    }
}

/// `url` without its query, fragment and user info, for messages.
pub(crate) fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => "(an unparsable URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_summary_shows_code_and_message_only() {
        assert_eq!(
            error_summary(br#"{"RequestId":"r","ErrorCode":"InvalidToken","ErrorMessage":"expired","AccessKeySecret":"s"}"#),
            ": InvalidToken: expired"
        );
        assert_eq!(
            error_summary(
                br#"{"error":"invalid_grant","error_description":"refresh token revoked"}"#
            ),
            ": invalid_grant: refresh token revoked"
        );
        assert_eq!(error_summary(b"<html>oops</html>"), "");
        assert_eq!(error_summary(br#"{"token":"t"}"#), "");
    }

    #[test]
    fn redact_drops_query_and_user_info() {
        assert_eq!(
            redact("http://u:p@127.0.0.1:8080/creds?token=t0k#x"),
            "http://127.0.0.1:8080/creds"
        );
        assert_eq!(redact("not a url"), "(an unparsable URL)");
    }
}

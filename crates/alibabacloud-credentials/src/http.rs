//! Plain HTTP for the metadata service and the credentials URI: client set-up and error
//! descriptions that never carry a URL (a URL may hold a token).

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
pub(crate) fn client(timeouts: Timeouts, direct: bool) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
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
    fn redact_drops_query_and_user_info() {
        assert_eq!(
            redact("http://u:p@127.0.0.1:8080/creds?token=t0k#x"),
            "http://127.0.0.1:8080/creds"
        );
        assert_eq!(redact("not a url"), "(an unparsable URL)");
    }
}

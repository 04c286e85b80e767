//! The credentials document served by the ECS metadata service and by credentials URIs:
//! `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration",
//! "LastUpdated"}`.

use alibabacloud_core::credentials::Credentials;
use serde::Deserialize;

use crate::{expiration, http};

/// The document. Deliberately not `Debug`: it holds the secret.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Document {
    code: Option<String>,
    message: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

/// Reads credentials from a document; `Code` must be `Success` and `Expiration` still ahead.
/// The error says what is wrong without quoting any value but `Code`, `Message` and
/// `Expiration`.
pub(crate) fn parse(body: &[u8], provider: &'static str) -> Result<Credentials, String> {
    let document: Document = http::parse_json(body, "a credentials document")?;
    match document.code.as_deref() {
        Some("Success") => {}
        Some(code) => {
            let message = document
                .message
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            return Err(format!(
                "the response has Code {code:?}, not \"Success\"{message}"
            ));
        }
        None => return Err("the response has no Code".to_owned()),
    }
    let field = |value: Option<String>, name: &str| {
        value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the response has no {name}"))
    };
    let access_key_id = field(document.access_key_id, "AccessKeyId")?;
    let access_key_secret = field(document.access_key_secret, "AccessKeySecret")?;
    let security_token = field(document.security_token, "SecurityToken")?;
    let expiration = expiration::parse(&field(document.expiration, "Expiration")?)?;
    expiration::ensure_unexpired(expiration, std::time::SystemTime::now())?;
    Ok(Credentials::new(access_key_id, access_key_secret)
        .with_security_token(security_token)
        .with_expiration(expiration)
        .with_provider(provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_quote_secrets() {
        let bad_type = br#"{"Code":"Success","AccessKeyId":"id","AccessKeySecret":12345678,"SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}"#;
        let error = parse(bad_type, "x").unwrap_err();
        assert!(!error.contains("12345678"), "{error}");
        let failed =
            br#"{"Code":"Failed","Message":"role not attached","AccessKeySecret":"s3cr3t"}"#;
        let error = parse(failed, "x").unwrap_err();
        assert!(
            error.contains("\"Failed\"") && error.contains("role not attached"),
            "{error}"
        );
        assert!(!error.contains("s3cr3t"));
    }

    #[test]
    fn already_expired_credentials_are_refused() {
        let body = br#"{"Code":"Success","AccessKeyId":"STS.id","AccessKeySecret":"s3cr3t","SecurityToken":"t0k3n","Expiration":"2020-01-01T00:00:00Z"}"#;
        let error = parse(body, "x").unwrap_err();
        assert!(
            error.contains("already expired") && error.contains("2020-01-01T00:00:00Z"),
            "{error}"
        );
        assert!(!error.contains("s3cr3t") && !error.contains("t0k3n"));
    }

    #[test]
    fn success_document() {
        let body = br#"{"Code":"Success","AccessKeyId":"STS.id","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z","LastUpdated":"2029-12-31T18:00:00Z"}"#;
        let credentials = parse(body, "ecs_ram_role").unwrap();
        assert_eq!(credentials.access_key_id(), "STS.id");
        assert_eq!(credentials.security_token(), Some("t"));
        assert_eq!(credentials.provider(), "ecs_ram_role");
        assert!(credentials.expiration().is_some());
    }
}

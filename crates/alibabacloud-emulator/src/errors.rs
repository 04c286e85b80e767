//! Gateway errors: the code, HTTP status and message of each refusal, and the JSON body
//! every error answer carries (`RequestId`, `HostId`, `Code`, `Message`, `Recommend`).

use serde_json::{Value, json};

/// One error answer, before the per-request fields are added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `Code` field.
    pub code: String,
    /// The `Message` field.
    pub message: String,
}

impl ApiError {
    /// Any error.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// `400 Missing{Param}`: a required parameter is absent or empty.
    pub fn missing(param: &str) -> Self {
        Self::new(
            400,
            format!("Missing{param}"),
            format!("{param} is mandatory for this action."),
        )
    }

    /// `400 InvalidParameter`: a value of the wrong type or outside the documented values.
    pub fn invalid(param: &str) -> Self {
        Self::new(
            400,
            "InvalidParameter",
            format!("Specified parameter {param} is not valid."),
        )
    }

    /// `404 InvalidApi.NotFound`: no such action/version on this path.
    pub fn api_not_found() -> Self {
        Self::new(
            404,
            "InvalidApi.NotFound",
            "Specified api is not found, please check your url and method.",
        )
    }

    /// `404 InvalidAccessKeyId.NotFound`.
    pub fn access_key_not_found() -> Self {
        Self::new(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        )
    }

    /// `400 SignatureDoesNotMatch`, echoing the server's string to sign at the very end.
    pub fn signature_mismatch(string_to_sign: &str) -> Self {
        Self::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        )
    }

    /// `400 IncompleteSignature`: the signature parts are missing or malformed.
    pub fn incomplete_signature(detail: &str) -> Self {
        Self::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards. {detail}"),
        )
    }

    /// `400 InvalidContentSha256`: `x-acs-content-sha256` is not the SHA-256 of the body.
    pub fn content_sha256_mismatch(computed: &str) -> Self {
        Self::new(
            400,
            "InvalidContentSha256",
            format!(
                "The x-acs-content-sha256 header does not match the SHA-256 of the request body, which is {computed}."
            ),
        )
    }

    /// `400 InvalidSignatureMethod`: V1 with anything but `HMAC-SHA1` / `1.0`.
    pub fn invalid_signature_method() -> Self {
        Self::new(
            400,
            "InvalidSignatureMethod",
            "Specified signature method or version is not supported.",
        )
    }

    /// `400 SignatureNonceUsed`.
    pub fn nonce_used() -> Self {
        Self::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        )
    }

    /// `400 InvalidTimeStamp.Expired`: more than 15 minutes off.
    pub fn timestamp_expired() -> Self {
        Self::new(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        )
    }

    /// `400 InvalidTimeStamp.Format`.
    pub fn timestamp_format() -> Self {
        Self::new(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        )
    }

    /// `400 InvalidSecurityToken.Expired`.
    pub fn token_expired() -> Self {
        Self::new(
            400,
            "InvalidSecurityToken.Expired",
            "Specified SecurityToken is expired.",
        )
    }

    /// `400 InvalidSecurityToken.Malformed`: a security token that is not one the emulator
    /// issued, sent with the long-term key.
    pub fn token_malformed() -> Self {
        Self::new(
            400,
            "InvalidSecurityToken.Malformed",
            "Specified SecurityToken is malformed.",
        )
    }

    /// `400 InvalidSecurityToken.MismatchWithAccessKey`: a temporary key without its token
    /// (or with another one).
    pub fn token_mismatch() -> Self {
        Self::new(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        )
    }

    /// `400 QuotaExceeded.Id`: no ID is left for a new resource of this kind (the data set
    /// already holds the largest, `alibabacloud_emulator::data::MAX_ID`).
    pub fn ids_exhausted(what: &str) -> Self {
        Self::new(
            400,
            "QuotaExceeded.Id",
            format!("No new {what} ID is left: the data set already holds the largest one."),
        )
    }

    /// `400 Throttling.User`.
    pub fn throttled() -> Self {
        Self::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        )
    }

    /// `413 RequestEntityTooLarge`: a request body over the emulator's limit.
    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            413,
            "RequestEntityTooLarge",
            format!("The request body is larger than {limit} bytes."),
        )
    }

    /// `408 RequestTimeout`: the request body did not arrive in time.
    pub fn body_timeout(timeout: std::time::Duration) -> Self {
        Self::new(
            408,
            "RequestTimeout",
            format!(
                "The request body did not arrive within {} ms of the request head.",
                timeout.as_millis()
            ),
        )
    }

    /// `503 ServiceUnavailable`.
    pub fn service_unavailable() -> Self {
        Self::new(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        )
    }

    /// The JSON body of this error for one request.
    pub fn body(&self, request_id: &str, host_id: &str, product: &str) -> Value {
        json!({
            "RequestId": request_id,
            "HostId": host_id,
            "Code": self.code,
            "Message": self.message,
            "Recommend": recommend(&self.code, product),
        })
    }
}

/// `https://api.aliyun.com/troubleshoot?q=<Code>&product=<product>`.
pub(crate) fn recommend(code: &str, product: &str) -> String {
    use alibabacloud_core::signing::encode::percent_encode;
    format!(
        "https://api.aliyun.com/troubleshoot?q={}&product={}",
        percent_encode(code),
        percent_encode(product)
    )
}

/// A fresh request id shaped like the gateway's: `8-4-4-4-12` uppercase hex (a v4 UUID).
pub(crate) fn new_request_id() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode_upper(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_every_field() {
        let body = ApiError::missing("InstanceId").body("R", "h", "cas");
        assert_eq!(body["Code"], "MissingInstanceId");
        assert_eq!(body["Message"], "InstanceId is mandatory for this action.");
        assert_eq!(
            body["Recommend"],
            "https://api.aliyun.com/troubleshoot?q=MissingInstanceId&product=cas"
        );
        assert_eq!(body["HostId"], "h");
        assert_eq!(body["RequestId"], "R");
    }

    #[test]
    fn request_ids_look_like_uuids() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_ne!(id, new_request_id());
    }
}

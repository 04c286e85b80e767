//! The gateway's own error codes, which every operation of every product can return, and
//! helpers on [`Error`] that match them, so that no caller compares strings. An
//! operation's own documented codes are constants of its generated `error_code` module.
//!
//! ```
//! use alibabacloud_core::Error;
//! use alibabacloud_core::error::codes;
//!
//! let error = Error::service("Forbidden.RAM", "not allowed");
//! assert!(error.is_permission_denied());
//! assert_eq!(error.code(), Some(codes::FORBIDDEN_RAM));
//! ```

use super::Error;

/// Too many calls: the account, user or API is over its rate (`Throttling.User`,
/// `Throttling.Api` and the like share this prefix; see [`Error::is_throttling`]).
pub const THROTTLING: &str = "Throttling";
/// The signature the gateway computed differs from the one sent (wrong secret, or a
/// request changed after signing).
pub const SIGNATURE_DOES_NOT_MATCH: &str = "SignatureDoesNotMatch";
/// The signature nonce was seen before: a replayed request.
pub const SIGNATURE_NONCE_USED: &str = "SignatureNonceUsed";
/// The request's timestamp is too far from the gateway's clock.
pub const INVALID_TIMESTAMP_EXPIRED: &str = "InvalidTimeStamp.Expired";
/// No AccessKey has this ID.
pub const INVALID_ACCESS_KEY_ID_NOT_FOUND: &str = "InvalidAccessKeyId.NotFound";
/// The AccessKey exists but is disabled.
pub const INVALID_ACCESS_KEY_ID_INACTIVE: &str = "InvalidAccessKeyId.Inactive";
/// The security token of temporary credentials has expired.
pub const INVALID_SECURITY_TOKEN_EXPIRED: &str = "InvalidSecurityToken.Expired";
/// The caller's RAM policies do not allow the action.
pub const FORBIDDEN_RAM: &str = "Forbidden.RAM";
/// The caller may not perform the action (a broader denial than RAM's).
pub const FORBIDDEN: &str = "Forbidden";
/// The account has not activated the product.
pub const NOT_APPLICABLE: &str = "NotApplicable";
/// A parameter value is not valid for the operation.
pub const INVALID_PARAMETER: &str = "InvalidParameter";
/// A required parameter is absent.
pub const MISSING_PARAMETER: &str = "MissingParameter";
/// The action or version is not one the gateway knows.
pub const INVALID_API_NOT_FOUND: &str = "InvalidApi.NotFound";
/// The service failed on its side; retried for reads.
pub const INTERNAL_ERROR: &str = "InternalError";
/// The service is briefly unavailable; retried for reads.
pub const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";

impl Error {
    /// Whether the service code is `code`, or `code` followed by a `.` and more
    /// (`InvalidParameter` matches `InvalidParameter.Format`).
    pub fn has_code(&self, code: &str) -> bool {
        self.code().is_some_and(|own| {
            own == code
                || own
                    .strip_prefix(code)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// Whether the gateway refused the signature: [`SIGNATURE_DOES_NOT_MATCH`] (check the
    /// secret, and that nothing changed the request after signing).
    pub fn is_signature_mismatch(&self) -> bool {
        self.has_code(SIGNATURE_DOES_NOT_MATCH)
    }

    /// Whether the credentials themselves were refused: an unknown or disabled AccessKey,
    /// or an expired security token.
    pub fn is_invalid_credentials(&self) -> bool {
        self.has_code("InvalidAccessKeyId") || self.has_code("InvalidSecurityToken")
    }

    /// Whether the caller lacks the permission: [`FORBIDDEN_RAM`], [`FORBIDDEN`] and their
    /// sub-codes, or [`NOT_APPLICABLE`] (the product is not activated).
    pub fn is_permission_denied(&self) -> bool {
        self.has_code(FORBIDDEN) || self.has_code(NOT_APPLICABLE)
    }

    /// Whether a parameter was refused: [`INVALID_PARAMETER`], [`MISSING_PARAMETER`] and
    /// their sub-codes.
    pub fn is_invalid_parameter(&self) -> bool {
        self.has_code(INVALID_PARAMETER) || self.has_code(MISSING_PARAMETER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_their_sub_codes_match() {
        let error = Error::service("InvalidParameter.Format", "bad");
        assert!(error.has_code(INVALID_PARAMETER) && error.is_invalid_parameter());
        assert!(!Error::service("InvalidParameterX", "bad").has_code(INVALID_PARAMETER));
        assert!(Error::service("Forbidden.RAM", "no").is_permission_denied());
        assert!(Error::service("SignatureDoesNotMatch", "no").is_signature_mismatch());
        assert!(Error::service("InvalidAccessKeyId.NotFound", "no").is_invalid_credentials());
        assert!(!Error::service("NotFound", "no").is_permission_denied());
    }
}

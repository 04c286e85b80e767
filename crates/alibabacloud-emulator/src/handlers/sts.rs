//! STS 2015-04-01: AssumeRole and AssumeRoleWithOIDC issue temporary keys that the
//! emulator then accepts (with their security token) until they expire.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::context::Ctx;
use crate::answer::{Body, object};
use crate::clock;
use crate::errors::ApiError;

const DEFAULT_DURATION_S: i64 = 3600;
const MIN_DURATION_S: i64 = 900;
const MAX_DURATION_S: i64 = 43_200;

fn invalid(param: &str, message: &str) -> ApiError {
    ApiError::new(400, format!("InvalidParameter.{param}"), message)
}

/// `acs:ram::<account>:<kind>/<name>` → (account, name).
fn parse_arn<'a>(arn: &'a str, kind: &str) -> Option<(&'a str, &'a str)> {
    let rest = arn.strip_prefix("acs:ram::")?;
    let (account, resource) = rest.split_once(':')?;
    let name = resource.strip_prefix(kind)?.strip_prefix('/')?;
    let account_ok = !account.is_empty() && account.chars().all(|c| c.is_ascii_digit() || c == '*');
    (account_ok && !name.is_empty()).then_some((account, name))
}

fn role(ctx: &Ctx<'_>) -> Result<(String, String), ApiError> {
    let arn = ctx.text("RoleArn").unwrap_or_default();
    let (account, name) = parse_arn(arn, "role")
        .ok_or_else(|| invalid("RoleArn", "The parameter RoleArn is wrongly formed."))?;
    Ok((account.to_owned(), name.to_owned()))
}

fn session_name(ctx: &Ctx<'_>, default: &str) -> Result<String, ApiError> {
    let name = ctx.text("RoleSessionName").unwrap_or(default);
    let valid = (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_'));
    if !valid {
        return Err(invalid(
            "RoleSessionName",
            "The parameter RoleSessionName is wrongly formed.",
        ));
    }
    Ok(name.to_owned())
}

fn duration_s(ctx: &Ctx<'_>) -> Result<i64, ApiError> {
    let duration = ctx.int("DurationSeconds", DEFAULT_DURATION_S);
    if !(MIN_DURATION_S..=MAX_DURATION_S).contains(&duration) {
        return Err(invalid(
            "DurationSeconds",
            "The Min/Max value of DurationSeconds is 15min/12hr.",
        ));
    }
    Ok(duration)
}

fn check_policy(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if let Some(policy) = ctx.text("Policy") {
        if serde_json::from_str::<Value>(policy).is_err() {
            return Err(invalid(
                "PolicyGrammar",
                "The parameter Policy has not a valid grammar.",
            ));
        }
    }
    Ok(())
}

/// Issues a temporary key and builds the common part of both answers.
fn credentials(ctx: &Ctx<'_>, account: &str, role: &str, session: &str, duration_s: i64) -> Body {
    let key = ctx.state.keys().issue(ctx.now_ms, duration_s * 1000);
    let role_id: u64 = 300_000_000_000_000_000 + (rand::random::<u64>() % 99_999_999_999_999_999);
    let mut body = object(json!({
        "AssumedRoleUser": {
            "Arn": format!("acs:ram::{account}:role/{}/{session}", role.to_ascii_lowercase()),
            "AssumedRoleId": format!("{role_id}:{session}"),
        },
        "Credentials": {
            "AccessKeyId": key.access_key_id,
            "AccessKeySecret": key.access_key_secret,
            "SecurityToken": key.security_token,
            "Expiration": clock::iso(key.expires_ms),
        },
    }));
    // Every field of the schema is present; the source identity is empty when none was
    // asked for.
    let source = ctx.text("SourceIdentity").unwrap_or_default();
    body.insert("SourceIdentity".to_owned(), json!(source));
    body
}

/// AssumeRole: checks `RoleArn`, `RoleSessionName`, `DurationSeconds` (900–43200, default
/// 3600) and `Policy` (JSON), then issues a temporary key.
pub(crate) fn assume_role(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (account, role) = role(ctx)?;
    let session = session_name(ctx, "")?;
    let duration = duration_s(ctx)?;
    check_policy(ctx)?;
    Ok(credentials(ctx, &account, &role, &session, duration))
}

/// One base64url segment of a JWT, decoded as a JSON object.
fn jwt_object(segment: &str) -> Option<serde_json::Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The claims of a JWT: three base64url segments, the first two JSON objects (header and
/// claims, the header naming its `alg`), the third a signature (not checked); `exp`, when
/// present, a number. `None` for anything else.
fn jwt_claims(token: &str) -> Option<serde_json::Map<String, Value>> {
    let mut segments = token.split('.');
    let (header, payload, signature) = (segments.next()?, segments.next()?, segments.next()?);
    if segments.next().is_some() || signature.is_empty() {
        return None;
    }
    URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .ok()?;
    jwt_object(header)?.get("alg")?.as_str()?;
    let claims = jwt_object(payload)?;
    if claims.get("exp").is_some_and(|exp| !exp.is_number()) {
        return None;
    }
    Some(claims)
}

/// AssumeRoleWithOIDC (anonymous): checks the provider ARN, the role and the token (4 to
/// 20,000 characters, a JWT — else `InvalidParameter.OIDCToken`; one whose `exp` has passed
/// is `AuthenticationFail.OIDCToken.Expired`), then issues a temporary key and reports the
/// token's claims in `OIDCTokenInfo`.
pub(crate) fn assume_role_with_oidc(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let provider = ctx.text("OIDCProviderArn").unwrap_or_default();
    if parse_arn(provider, "oidc-provider").is_none() {
        return Err(invalid(
            "OIDCProviderArn",
            "The parameter OIDCProviderArn is wrongly formed.",
        ));
    }
    let (account, role) = role(ctx)?;
    let token = ctx.text("OIDCToken").unwrap_or_default();
    if !(4..=20_000).contains(&token.chars().count()) {
        return Err(invalid(
            "OIDCToken",
            "The parameter OIDCToken is wrongly formed.",
        ));
    }
    let claims = jwt_claims(token).ok_or_else(|| {
        invalid(
            "OIDCToken",
            "The parameter OIDCToken is not a JWT (three base64url segments, a JSON header and claims).",
        )
    })?;
    let claim_s = |name: &str| claims.get(name).and_then(Value::as_i64);
    if let Some(exp) = claims.get("exp").and_then(Value::as_f64) {
        if exp * 1000.0 <= ctx.now_ms as f64 {
            return Err(ApiError::new(
                400,
                "AuthenticationFail.OIDCToken.Expired",
                "The OIDC token has expired.",
            ));
        }
    }
    let session = session_name(ctx, "oidc-session")?;
    let duration = duration_s(ctx)?;
    check_policy(ctx)?;

    let mut body = credentials(ctx, &account, &role, &session, duration);
    let audience = match claims.get("aud") {
        Some(Value::String(aud)) => aud.clone(),
        Some(Value::Array(auds)) => auds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    };
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
    body.insert(
        "OIDCTokenInfo".to_owned(),
        json!({
            "ClientIds": audience,
            "Issuer": text("iss"),
            "Subject": text("sub"),
            "IssuanceTime": claim_s("iat").map(|s| clock::iso(s * 1000)).unwrap_or_default(),
            "ExpirationTime": claim_s("exp").map(|s| clock::iso(s * 1000)).unwrap_or_default(),
            "VerificationInfo": "Success",
        }),
    );
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        assert_eq!(
            parse_arn("acs:ram::123456789012****:role/adminrole", "role"),
            Some(("123456789012****", "adminrole"))
        );
        assert_eq!(
            parse_arn("acs:ram::1135:oidc-provider/TestOidcIdp", "oidc-provider"),
            Some(("1135", "TestOidcIdp"))
        );
        assert_eq!(parse_arn("acs:ram::x:role/a", "role"), None);
        assert_eq!(parse_arn("acs:ram::1:role/", "role"), None);
        assert_eq!(parse_arn("arn:aws:iam::1:role/a", "role"), None);
    }

    #[test]
    fn jwt_claims_are_read_and_anything_else_refused() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#);
        let payload = URL_SAFE_NO_PAD.encode(br#"{"iss":"https://idp","exp":1}"#);
        let claims = jwt_claims(&format!("{header}.{payload}.c2ln")).unwrap();
        assert_eq!(claims["iss"], "https://idp");
        let text_exp = URL_SAFE_NO_PAD.encode(br#"{"exp":"soon"}"#);
        let array = URL_SAFE_NO_PAD.encode(b"[1]");
        for bad in [
            "not-a-jwt".to_owned(),
            "opaque-token".to_owned(),
            format!("{header}.{payload}"),
            format!("{header}.{payload}."),
            format!("{header}.{payload}.c2ln.c2ln"),
            format!("{header}.{payload}.not base64"),
            format!("h.{payload}.c2ln"),
            format!("{payload}.{payload}.c2ln"),
            format!("{header}.{array}.c2ln"),
            format!("{header}.{text_exp}.c2ln"),
        ] {
            assert!(jwt_claims(&bad).is_none(), "{bad}");
        }
    }
}

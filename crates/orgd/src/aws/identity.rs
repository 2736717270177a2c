//! Who is calling: the access key ID from the SigV4 `Authorization` header or a presigned query.
//! A 12-digit key is that account; any other key is the default account. Signatures are parsed but
//! not verified (that is the strict mode's job).

use orgd_domain::ids::is_account_id;

/// Why a request carries no usable credentials (each is an AWS error code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header and no presigned query.
    Missing,
    /// Credentials present but malformed.
    Incomplete(String),
}

impl AuthError {
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::Missing => "MissingAuthenticationTokenException",
            AuthError::Incomplete(_) => "IncompleteSignatureException",
        }
    }

    pub fn message(&self) -> String {
        match self {
            AuthError::Missing => "Missing Authentication Token".to_string(),
            AuthError::Incomplete(m) => m.clone(),
        }
    }
}

/// The access key ID of a SigV4 `Authorization` header value.
pub fn access_key_from_header(value: &str) -> Result<&str, AuthError> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256")
        .filter(|r| r.starts_with(' '))
        .ok_or_else(|| AuthError::Incomplete(format!(
            "Authorization header requires the 'AWS4-HMAC-SHA256' algorithm. Authorization={value}"
        )))?;
    let mut credential = None;
    let mut signed_headers = false;
    let mut signature = false;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if part.starts_with("SignedHeaders=") {
            signed_headers = true;
        } else if part.starts_with("Signature=") {
            signature = true;
        }
    }
    let missing: Vec<&str> = [
        ("Credential", credential.is_some()),
        ("SignedHeaders", signed_headers),
        ("Signature", signature),
    ]
    .iter()
    .filter(|(_, present)| !present)
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        return Err(AuthError::Incomplete(format!(
            "Authorization header requires '{}' parameter(s). Authorization={value}",
            missing.join("', '")
        )));
    }
    access_key_from_scope(credential.unwrap_or_default())
}

/// The access key ID of a credential scope `AKID/date/region/service/aws4_request`.
pub fn access_key_from_scope(scope: &str) -> Result<&str, AuthError> {
    let parts: Vec<&str> = scope.split('/').collect();
    if parts.len() != 5 || parts[0].is_empty() || parts[4] != "aws4_request" {
        return Err(AuthError::Incomplete(format!(
            "Credential should be scoped to a valid region, service and 'aws4_request'. Credential={scope}"
        )));
    }
    Ok(parts[0])
}

/// The access key ID of a presigned query (`X-Amz-Credential=...`), if the query has one.
pub fn access_key_from_query(query: &str) -> Option<Result<String, AuthError>> {
    let raw = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("X-Amz-Credential="))?;
    let scope = percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned();
    Some(access_key_from_scope(&scope).map(str::to_string))
}

/// The region of the request's credential scope (`AKID/date/<region>/service/aws4_request`), from
/// the `Authorization` header or a presigned query; `None` when neither carries one.
pub fn region(authorization: Option<&str>, query: Option<&str>) -> Option<String> {
    let scope = match authorization {
        Some(h) => h
            .split([' ', ','])
            .find_map(|part| part.strip_prefix("Credential="))?
            .to_string(),
        None => {
            let raw = query?
                .split('&')
                .find_map(|kv| kv.strip_prefix("X-Amz-Credential="))?;
            percent_encoding::percent_decode_str(raw)
                .decode_utf8_lossy()
                .into_owned()
        }
    };
    scope
        .split('/')
        .nth(2)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

/// The account an access key acts as.
pub fn account_for_key(access_key: &str, default_account: &str) -> String {
    if is_account_id(access_key) {
        access_key.to_string()
    } else {
        default_account.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HDR: &str = "AWS4-HMAC-SHA256 Credential=222233334444/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

    #[test]
    fn twelve_digit_keys_are_accounts_and_others_the_default() {
        let key = access_key_from_header(HDR).unwrap();
        assert_eq!(account_for_key(key, "123456789012"), "222233334444");
        assert_eq!(
            account_for_key("AKIAIOSFODNN7EXAMPLE", "123456789012"),
            "123456789012"
        );
    }

    #[test]
    fn malformed_headers_are_incomplete_signatures() {
        assert!(matches!(
            access_key_from_header("Bearer x"),
            Err(AuthError::Incomplete(_))
        ));
        let no_sig = "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host";
        assert!(
            matches!(access_key_from_header(no_sig), Err(AuthError::Incomplete(m)) if m.contains("Signature"))
        );
        let bad_scope = "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=1";
        assert!(access_key_from_header(bad_scope).is_err());
    }

    #[test]
    fn the_region_comes_from_the_credential_scope() {
        assert_eq!(region(Some(HDR), None).as_deref(), Some("us-east-1"));
        let q =
            "X-Amz-Credential=999988887777%2F20260101%2Fcn-north-1%2Forganizations%2Faws4_request";
        assert_eq!(region(None, Some(q)).as_deref(), Some("cn-north-1"));
        assert_eq!(region(None, None), None);
        assert_eq!(region(Some("Bearer x"), None), None);
    }

    #[test]
    fn presigned_queries_carry_the_key() {
        let q = "Action=x&X-Amz-Credential=999988887777%2F20260101%2Fus-east-1%2Forganizations%2Faws4_request&X-Amz-Signature=1";
        assert_eq!(access_key_from_query(q).unwrap().unwrap(), "999988887777");
        assert!(access_key_from_query("a=b").is_none());
    }
}

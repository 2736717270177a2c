//! Who is calling, in the default (access-key) mode: the access key ID of the request's SigV4
//! fields (read by `sigv4::claim`, the one reader of them). A 12-digit key is that account; any
//! other key is the default account. Signatures are read but not verified (strict mode does that).

use orgd_domain::ids::is_account_id;

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
    use crate::aws::sigv4::{SigError, claim};
    use axum::http::{HeaderMap, HeaderValue};

    fn access_key(headers: &HeaderMap, query: Option<&str>) -> Result<String, SigError> {
        claim(headers, query).map(|c| c.access_key)
    }

    fn region(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
        claim(headers, query).ok().map(|c| c.scope.region)
    }

    const HDR: &str = "AWS4-HMAC-SHA256 Credential=222233334444/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

    fn with_auth(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn twelve_digit_keys_are_accounts_and_others_the_default() {
        let key = access_key(&with_auth(HDR), None).unwrap();
        assert_eq!(account_for_key(&key, "123456789012"), "222233334444");
        assert_eq!(
            account_for_key("AKIAIOSFODNN7EXAMPLE", "123456789012"),
            "123456789012"
        );
    }

    #[test]
    fn malformed_headers_are_incomplete_signatures() {
        assert!(matches!(
            access_key(&with_auth("Bearer x"), None),
            Err(SigError::Incomplete(_))
        ));
        let no_sig = "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host";
        assert!(
            matches!(access_key(&with_auth(no_sig), None), Err(SigError::Incomplete(m)) if m.contains("'Signature'"))
        );
        let bad_scope = "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=1";
        assert!(access_key(&with_auth(bad_scope), None).is_err());
        assert_eq!(
            access_key(&HeaderMap::new(), Some("a=b")),
            Err(SigError::Missing)
        );
    }

    #[test]
    fn the_region_comes_from_the_credential_scope() {
        assert_eq!(region(&with_auth(HDR), None).as_deref(), Some("us-east-1"));
        let q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=999988887777%2F20260101%2Fcn-north-1%2Forganizations%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=1";
        assert_eq!(
            region(&HeaderMap::new(), Some(q)).as_deref(),
            Some("cn-north-1")
        );
        assert_eq!(region(&HeaderMap::new(), None), None);
        assert_eq!(region(&with_auth("Bearer x"), None), None);
    }

    #[test]
    fn presigned_queries_carry_the_key() {
        let q = "Action=x&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=999988887777%2F20260101%2Fus-east-1%2Forganizations%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=1";
        assert_eq!(
            access_key(&HeaderMap::new(), Some(q)).unwrap(),
            "999988887777"
        );
    }
}

//! Strict authentication: verifies AWS Signature Version 4 (the `Authorization` header and the
//! presigned query forms) against the keys of a credentials file. The canonical request is built
//! here; the key derivation and HMAC come from the `aws-sigv4` crate.
//!
//! The keys come from the credentials file of signed mode (`crate::signing`, shared with
//! Huawei's SDK-HMAC-SHA256); only keys of 12-digit AWS accounts sign AWS requests.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
use axum::http::HeaderMap;
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::signing::{
    Credential, Dialect, KeyRing, MAX_SKEW, UNRESERVED as SIGV4_SET, basic_time as amz_date,
    parse_basic_time as parse_amz_date, query_pairs,
};

/// Why a request is refused, as AWS names it for JSON services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigError {
    Missing,
    Incomplete(String),
    UnknownKey,
    BadSignature,
    Expired(String),
    /// The credential scope names another service or no region.
    Scope(String),
    /// The session token of temporary credentials has expired.
    TokenExpired,
}

impl SigError {
    pub fn code(&self) -> &'static str {
        match self {
            SigError::Missing => "MissingAuthenticationTokenException",
            SigError::Incomplete(_) => "IncompleteSignatureException",
            SigError::UnknownKey => "UnrecognizedClientException",
            SigError::TokenExpired => "ExpiredTokenException",
            SigError::BadSignature | SigError::Expired(_) | SigError::Scope(_) => {
                "InvalidSignatureException"
            }
        }
    }

    pub fn message(&self) -> String {
        match self {
            SigError::Missing => "Missing Authentication Token".into(),
            SigError::Incomplete(m) | SigError::Expired(m) | SigError::Scope(m) => m.clone(),
            SigError::UnknownKey => "The security token included in the request is invalid.".into(),
            SigError::TokenExpired => "The security token included in the request is expired".into(),
            SigError::BadSignature => "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.".into(),
        }
    }
}

pub use crate::signing::SignedRequest;

/// The credential scope `date/region/service/aws4_request` of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub date: String,
    pub region: String,
    pub service: String,
}

/// The signature fields of a request, from its `Authorization` header or its presigned query.
/// This is the one reader of SigV4 fields: the access-key mode takes the key and region from it,
/// strict mode verifies it.
#[derive(Debug, Clone)]
pub struct Claim {
    pub access_key: String,
    pub scope: Scope,
    signed_headers: Vec<String>,
    signature: String,
    /// `X-Amz-Date`, when the request has one.
    amz_date: Option<String>,
    /// Presigned requests: `X-Amz-Expires`, as sent.
    expires: Option<String>,
    /// The session token of temporary credentials (`X-Amz-Security-Token`), when sent.
    pub security_token: Option<String>,
}

fn incomplete(m: impl Into<String>) -> SigError {
    SigError::Incomplete(m.into())
}

/// `AKID/date/region/service/aws4_request` split into the key and its scope.
fn credential(credential: &str) -> Result<(String, Scope), SigError> {
    let parts: Vec<&str> = credential.split('/').collect();
    match parts.as_slice() {
        [key, date, region, service, "aws4_request"] if !key.is_empty() => Ok((
            key.to_string(),
            Scope {
                date: date.to_string(),
                region: region.to_string(),
                service: service.to_string(),
            },
        )),
        _ => Err(incomplete(format!(
            "Credential should be scoped to a valid region, service and 'aws4_request'. Credential={credential}"
        ))),
    }
}

/// Reads the signature fields of a request: the `Authorization` header if there is one, else the
/// presigned query; `Missing` when it has neither.
pub fn claim(headers: &HeaderMap, query: Option<&str>) -> Result<Claim, SigError> {
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(h) = headers.get("authorization") {
        let h = String::from_utf8_lossy(h.as_bytes());
        let rest = h
            .strip_prefix("AWS4-HMAC-SHA256")
            .filter(|r| r.starts_with(' '))
            .ok_or_else(|| {
                incomplete(format!(
                    "Authorization header requires the 'AWS4-HMAC-SHA256' algorithm. Authorization={h}"
                ))
            })?;
        let mut fields: HashMap<&str, &str> = HashMap::new();
        for part in rest.split(',') {
            if let Some((k, v)) = part.trim().split_once('=') {
                fields.insert(k, v);
            }
        }
        let missing: String = ["Credential", "Signature", "SignedHeaders"]
            .iter()
            .filter(|k| !fields.contains_key(*k))
            .map(|k| format!("Authorization header requires '{k}' parameter. "))
            .collect();
        if !missing.is_empty() {
            return Err(incomplete(format!("{missing}Authorization={h}")));
        }
        let (access_key, scope) = credential(fields["Credential"])?;
        return Ok(Claim {
            access_key,
            scope,
            signed_headers: fields["SignedHeaders"]
                .split(';')
                .map(str::to_string)
                .collect(),
            signature: fields["Signature"].to_string(),
            amz_date,
            expires: None,
            security_token: headers
                .get("x-amz-security-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        });
    }
    let pairs = query_pairs(query.unwrap_or_default());
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let Some(cred) = get("X-Amz-Credential") else {
        return Err(SigError::Missing);
    };
    let need = |k: &str| {
        get(k).ok_or_else(|| {
            incomplete(format!(
                "The presigned request requires the '{k}' parameter."
            ))
        })
    };
    if need("X-Amz-Algorithm")? != "AWS4-HMAC-SHA256" {
        return Err(incomplete("X-Amz-Algorithm must be AWS4-HMAC-SHA256."));
    }
    let (access_key, scope) = credential(&cred)?;
    Ok(Claim {
        access_key,
        scope,
        signed_headers: need("X-Amz-SignedHeaders")?
            .split(';')
            .map(str::to_string)
            .collect(),
        signature: need("X-Amz-Signature")?,
        amz_date: Some(need("X-Amz-Date")?),
        expires: Some(need("X-Amz-Expires")?),
        security_token: get("X-Amz-Security-Token"),
    })
}

/// The longest a presigned request may stay valid (AWS: seven days).
pub const MAX_EXPIRES: Duration = Duration::from_secs(604_800);

fn canonical_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(query.unwrap_or_default())
        .into_iter()
        .filter(|(k, _)| k != "X-Amz-Signature")
        .map(|(k, v)| {
            (
                utf8_percent_encode(&k, SIGV4_SET).to_string(),
                utf8_percent_encode(&v, SIGV4_SET).to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Non-S3 services encode each path segment twice.
fn canonical_path(path: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    path.split('/')
        .map(|seg| {
            let once = utf8_percent_encode(&percent_decode_str(seg).decode_utf8_lossy(), SIGV4_SET)
                .to_string();
            utf8_percent_encode(&once, SIGV4_SET).to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn canonical_headers(req: &SignedRequest, names: &[String]) -> Result<String, SigError> {
    let mut out = String::new();
    for name in names {
        let values: Vec<String> = req
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if values.is_empty() {
            return Err(incomplete(format!(
                "The signed header '{name}' is missing from the request."
            )));
        }
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    Ok(out)
}

/// Checks the time of a signature: within 15 minutes of `now` for a signed header, within its
/// `X-Amz-Expires` (at most seven days, never in the future) for a presigned request.
fn check_time(c: &Claim, signed_at: SystemTime, now: SystemTime) -> Result<(), SigError> {
    let date = c.amz_date.as_deref().unwrap_or_default();
    if signed_at > now + MAX_SKEW {
        return Err(SigError::Expired(format!(
            "Signature not yet current: {date} is still later than {} ({} + 15 min.)",
            amz_date(now + MAX_SKEW),
            amz_date(now)
        )));
    }
    let Some(expires) = &c.expires else {
        if now > signed_at + MAX_SKEW {
            return Err(SigError::Expired(format!(
                "Signature expired: {date} is now earlier than {} ({} - 15 min.)",
                amz_date(now - MAX_SKEW),
                amz_date(now)
            )));
        }
        return Ok(());
    };
    let secs: u64 = expires
        .parse()
        .map_err(|_| incomplete("X-Amz-Expires should be a number"))?;
    if secs > MAX_EXPIRES.as_secs() {
        return Err(incomplete(
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        ));
    }
    // `secs` is at most a week, so the sum cannot overflow.
    let until = signed_at + Duration::from_secs(secs);
    if now > until {
        return Err(SigError::Expired(format!(
            "Signature expired: {date} is now earlier than {} ({} - {secs} sec.)",
            amz_date(now - Duration::from_secs(secs)),
            amz_date(now)
        )));
    }
    Ok(())
}

/// Verifies the request's signature `c` (its `claim`) for `service` at time `now`; returns the
/// key it was signed with.
pub fn verify<'k>(
    keys: &'k KeyRing,
    c: &Claim,
    req: &SignedRequest,
    service: &str,
    now: SystemTime,
) -> Result<&'k Credential, SigError> {
    check_claim(c, service)?;
    let key = keys
        .get(&c.access_key, Dialect::Aws)
        .ok_or(SigError::UnknownKey)?;
    check_signature(&key.secret_access_key, c, req, service, now)?;
    Ok(key)
}

/// Verifies the request's signature `c` for `service` at time `now` with a secret known
/// otherwise (that of temporary credentials).
pub fn verify_secret(
    secret: &str,
    c: &Claim,
    req: &SignedRequest,
    service: &str,
    now: SystemTime,
) -> Result<(), SigError> {
    check_claim(c, service)?;
    check_signature(secret, c, req, service, now)
}

/// The checks of a claim that need no key: its date, its scope's service and region, `host`
/// signed.
fn check_claim(c: &Claim, service: &str) -> Result<(), SigError> {
    let date = c.amz_date.as_deref().ok_or_else(|| {
        incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    if !date.starts_with(&c.scope.date) {
        return Err(incomplete(format!(
            "Credential should be scoped to a valid date, region, service and 'aws4_request'. Credential={}/{}/{}/{}/aws4_request",
            c.access_key, c.scope.date, c.scope.region, c.scope.service
        )));
    }
    if c.scope.service != service {
        return Err(SigError::Scope(format!(
            "Credential should be scoped to correct service: '{service}'. "
        )));
    }
    if super::partition::partition_of(&c.scope.region).is_none() {
        return Err(SigError::Scope(format!(
            "Credential should be scoped to a valid region, not '{}'. ",
            c.scope.region
        )));
    }
    if !c.signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete("The signed headers must include 'host'."));
    }
    Ok(())
}

fn check_signature(
    secret: &str,
    c: &Claim,
    req: &SignedRequest,
    service: &str,
    now: SystemTime,
) -> Result<(), SigError> {
    let date = c.amz_date.as_deref().unwrap_or_default();
    let signed_at = parse_amz_date(date).ok_or_else(|| {
        incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    })?;
    check_time(c, signed_at, now)?;
    let headers = canonical_headers(req, &c.signed_headers)?;
    let signing_key = generate_signing_key(secret, signed_at, &c.scope.region, service);
    let body_hash = hex::encode(Sha256::digest(req.body));
    let payloads: &[&str] = if c.expires.is_some() {
        &[&body_hash, "UNSIGNED-PAYLOAD"]
    } else {
        &[&body_hash]
    };
    let scope = format!(
        "{}/{}/{}/aws4_request",
        c.scope.date, c.scope.region, c.scope.service
    );
    for payload in payloads {
        let canonical = format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            req.method,
            canonical_path(req.path),
            canonical_query(req.query),
            headers,
            c.signed_headers.join(";"),
            payload
        );
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let expected = calculate_signature(signing_key.as_ref(), to_sign.as_bytes());
        if bool::from(expected.as_bytes().ct_eq(c.signature.as_bytes())) {
            return Ok(());
        }
    }
    Err(SigError::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_follow_sigv4() {
        assert_eq!(
            canonical_query(Some("b=2&a=1&X-Amz-Signature=zz&c=a%20b")),
            "a=1&b=2&c=a%20b"
        );
        assert_eq!(canonical_path("/"), "/");
        assert_eq!(canonical_path("/a b"), "/a%2520b");
    }
}

#[cfg(test)]
mod vectors {
    use super::*;
    use axum::http::HeaderValue;

    fn vanilla(secret: &str) -> Result<String, SigError> {
        let keys = KeyRing::parse(&format!(
            r#"[{{"access_key_id":"AKIDEXAMPLE","secret_access_key":"{secret}","account_id":"111111111111"}}]"#
        ))
        .unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        headers.insert("authorization", HeaderValue::from_static(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ));
        let req = SignedRequest {
            method: "GET",
            path: "/",
            query: None,
            headers: &headers,
            body: b"",
        };
        let now = parse_amz_date("20150830T123600Z").unwrap() + Duration::from_secs(60);
        let c = claim(req.headers, req.query)?;
        verify(&keys, &c, &req, "service", now).map(|k| k.account_id.clone())
    }

    /// The `get-vanilla` case of AWS's SigV4 test suite.
    #[test]
    fn the_published_get_vanilla_signature_verifies_only_with_its_secret() {
        assert_eq!(
            vanilla("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap(),
            "111111111111"
        );
        assert_eq!(
            vanilla("another-secret").unwrap_err(),
            SigError::BadSignature
        );
    }
}

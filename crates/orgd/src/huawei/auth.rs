//! Who calls the Huawei API.
//!
//! Default mode: signatures are not verified; the caller is the account the `X-Domain-Id` header
//! names (the official SDK sends it from `GlobalCredentials(ak, sk, domain_id)`). A request
//! without one is refused with 401 `APIGW.0301`, as Huawei's gateway refuses an unauthenticated
//! request.
//!
//! Signed mode (`--auth signed --credentials FILE`): every request's SDK-HMAC-SHA256 signature
//! is verified (`sign.rs`) against the keys of Huawei accounts in the credentials file, and the
//! caller is the key's account. An `X-Domain-Id` naming another account is refused. Every refusal
//! is Huawei's gateway answer, 401 `APIGW.0301` "Incorrect IAM authentication information: verify
//! aksk signature fail" (AUTH.md section 4); the reason goes to the log only.

use std::sync::Arc;
use std::time::SystemTime;

use axum::http::HeaderMap;

use super::errors::HwError;
use super::sign::{self, SignedRequest};
use crate::signing::KeyRing;

/// The header that names the calling account (a Huawei domain id).
pub const DOMAIN_ID: &str = "x-domain-id";

/// How the Huawei adapter decides who calls. Built from the same `--auth` mode and credentials
/// file the AWS side gets.
pub enum Auth {
    /// The `X-Domain-Id` header names the caller; nothing is verified.
    DomainHeader,
    /// Every signature is verified against these keys (the server's one credentials file, shared
    /// with the AWS side).
    Signed(Arc<KeyRing>),
}

/// The caller's account.
pub fn caller(auth: &Auth, req: &SignedRequest) -> Result<String, HwError> {
    match auth {
        Auth::DomainHeader => domain_id(req.headers),
        Auth::Signed(keys) => signed_caller(keys, req),
    }
}

/// The account of the key that signed `req`, checked at wall time (not the movable test clock).
fn signed_caller(keys: &KeyRing, req: &SignedRequest) -> Result<String, HwError> {
    let refuse = |why: String| {
        tracing::info!(reason = %why, "Huawei signature refused");
        HwError::unauthenticated(SIGNATURE_REFUSED)
    };
    let key = sign::verify(keys, req, SystemTime::now()).map_err(|e| refuse(e.detail()))?;
    if let Some(claimed) = req.headers.get(DOMAIN_ID) {
        let claimed = String::from_utf8_lossy(claimed.as_bytes());
        if claimed.trim() != key.account_id {
            return Err(refuse(format!(
                "X-Domain-Id {} is not the account of key {}",
                claimed.trim(),
                key.access_key_id
            )));
        }
    }
    Ok(key.account_id.clone())
}

/// Huawei's gateway text for any refused signature (AUTH.md section 4).
const SIGNATURE_REFUSED: &str = "verify aksk signature fail";

/// The account `X-Domain-Id` names: 1 to 64 letters, digits, `-` or `_` (Huawei domain ids are
/// 32 lowercase hex digits; its documentation allows up to 64 characters).
fn domain_id(headers: &HeaderMap) -> Result<String, HwError> {
    let value = headers
        .get(DOMAIN_ID)
        .ok_or_else(|| HwError::unauthenticated("the X-Domain-Id header is missing"))?;
    let id = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| {
            (1..=64).contains(&s.len())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .ok_or_else(|| HwError::unauthenticated("the X-Domain-Id header is not a domain id"))?;
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    fn call(auth: &Auth, h: &HeaderMap) -> Result<String, HwError> {
        caller(
            auth,
            &SignedRequest {
                method: "GET",
                path: "/v1/organizations",
                query: None,
                headers: h,
                body: b"",
            },
        )
    }

    #[test]
    fn the_domain_header_names_the_caller() {
        let h = headers(&[("X-Domain-Id", "0a6d25d23900d45c0faac010e0fb4de0")]);
        assert_eq!(
            call(&Auth::DomainHeader, &h).unwrap(),
            "0a6d25d23900d45c0faac010e0fb4de0"
        );
    }

    #[test]
    fn no_or_bad_domain_header_is_a_401() {
        for h in [headers(&[]), headers(&[("x-domain-id", "a b")])] {
            let e = call(&Auth::DomainHeader, &h).unwrap_err();
            assert_eq!((e.status, e.code), (401, "APIGW.0301"));
        }
    }

    #[test]
    fn signed_mode_never_trusts_the_header_alone() {
        let h = headers(&[("X-Domain-Id", "0a6d25d23900d45c0faac010e0fb4de0")]);
        let e = call(&Auth::Signed(Arc::new(keys())), &h).unwrap_err();
        assert_eq!((e.status, e.code), (401, "APIGW.0301"));
        assert_eq!(
            e.message,
            "Incorrect IAM authentication information: verify aksk signature fail"
        );
    }

    const MGMT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
    const OTHER: &str = "7c2d5e8f90a1b2c3d4e5f60718293a4b";

    fn keys() -> KeyRing {
        KeyRing::parse(&format!(
            r#"[{{"access_key_id":"AK1","secret_access_key":"sk1","account_id":"{MGMT}"}},
                {{"access_key_id":"AK2","secret_access_key":"sk2","account_id":"{OTHER}"}}]"#
        ))
        .unwrap()
    }

    /// A GET /v1/organizations signed now by `ak`/`sk`, with `X-Domain-Id: domain` if any.
    fn signed_by(ak: &str, sk: &str, domain: Option<&str>) -> HeaderMap {
        let date = crate::signing::basic_time(SystemTime::now());
        let mut h = headers(&[("host", "127.0.0.1:4566"), ("x-sdk-date", &date)]);
        let mut names = "host;x-sdk-date".to_string();
        if let Some(d) = domain {
            h.insert(DOMAIN_ID, d.parse().unwrap());
            names = "host;x-domain-id;x-sdk-date".into();
        }
        let req = SignedRequest {
            method: "GET",
            path: "/v1/organizations",
            query: None,
            headers: &h,
            body: b"",
        };
        let sig = sign::signature(sk, &sign::string_to_sign(&req, &names).unwrap());
        let auth = format!("SDK-HMAC-SHA256 Access={ak}, SignedHeaders={names}, Signature={sig}");
        h.insert("authorization", auth.parse().unwrap());
        h
    }

    #[test]
    fn signed_mode_takes_the_caller_from_the_key_and_refuses_another_domain() {
        let auth = Auth::Signed(Arc::new(keys()));
        assert_eq!(
            call(&auth, &signed_by("AK1", "sk1", Some(MGMT))).unwrap(),
            MGMT
        );
        assert_eq!(call(&auth, &signed_by("AK1", "sk1", None)).unwrap(), MGMT);
        assert_eq!(
            call(&auth, &signed_by("AK2", "sk2", Some(OTHER))).unwrap(),
            OTHER
        );
        for refused in [
            signed_by("AK2", "sk2", Some(MGMT)),
            signed_by("AK1", "sk2", Some(MGMT)),
            signed_by("AK3", "sk1", Some(MGMT)),
        ] {
            let e = call(&auth, &refused).unwrap_err();
            assert_eq!((e.status, e.code), (401, "APIGW.0301"));
        }
    }
}

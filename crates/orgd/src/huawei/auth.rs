//! Who calls the Huawei API.
//!
//! Default mode: signatures are not verified; the caller is the account the `X-Domain-Id` header
//! names (the official SDK sends it from `GlobalCredentials(ak, sk, domain_id)`). A request
//! without one is refused with 401 `APIGW.0301`, as Huawei's gateway refuses an unauthenticated
//! request.
//!
//! Signed mode (`--auth signed --credentials FILE`) verifies SDK-HMAC-SHA256 signatures
//! (`sign.rs`, owned by the request-signing work): see `Auth::Signed` below.

use std::path::PathBuf;

use axum::http::HeaderMap;

use super::errors::HwError;
use crate::config::AuthMode;

/// The header that names the calling account (a Huawei domain id).
pub const DOMAIN_ID: &str = "x-domain-id";

/// How the Huawei adapter decides who calls. Built from the same `--auth` mode and credentials
/// file the AWS side gets.
pub enum Auth {
    /// The `X-Domain-Id` header names the caller; nothing is verified.
    DomainHeader,
    // ---- SIGNED MODE PLUGS IN HERE (hw-auth) ----
    // Replace this variant's payload with the loaded key ring and verify in `caller`. Until then,
    // signed mode refuses every Huawei request rather than trust an unverified header.
    Signed {
        credentials: PathBuf,
    },
}

impl Auth {
    /// The Huawei adapter's auth for the server's `--auth` mode.
    pub fn new(mode: AuthMode, credentials: Option<&std::path::Path>) -> anyhow::Result<Auth> {
        Ok(match (mode, credentials) {
            (AuthMode::AccessKey, _) => Auth::DomainHeader,
            (AuthMode::Sigv4, Some(path)) => Auth::Signed {
                credentials: path.to_path_buf(),
            },
            (AuthMode::Sigv4, None) => anyhow::bail!("--auth sigv4 needs --credentials FILE"),
        })
    }
}

/// The parts of a request identity needs.
pub struct Signed<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The caller's account.
pub fn caller(auth: &Auth, req: &Signed) -> Result<String, HwError> {
    match auth {
        Auth::DomainHeader => domain_id(req.headers),
        // ---- SIGNED MODE PLUGS IN HERE (hw-auth) ----
        Auth::Signed { .. } => Err(HwError::unauthenticated(
            "signature verification is not available for the Huawei API yet",
        )),
    }
}

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
            &Signed {
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
        let auth = Auth::Signed {
            credentials: PathBuf::from("keys.json"),
        };
        assert_eq!(call(&auth, &h).unwrap_err().status, 401);
    }
}

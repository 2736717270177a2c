//! Verification of Huawei Cloud's AK/SK request signatures, `SDK-HMAC-SHA256`, as the official
//! SDKs sign (`shared/huawei/AUTH.md`):
//!
//! ```text
//! Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2;...>, Signature=<64 hex>
//! canonical request = METHOD \n canonical URI \n canonical query \n
//!                     name:value\n for each signed header \n signed headers \n hex(sha256(body))
//! string to sign    = SDK-HMAC-SHA256 \n <X-Sdk-Date> \n hex(sha256(canonical request))
//! signature         = hex(hmac_sha256(key = the raw SK, string to sign))
//! ```
//!
//! The canonical URI decodes each path segment and encodes it again keeping only RFC 3986's
//! unreserved characters, then ends with `/`; the query's pairs are sorted by name then value and
//! encoded the same way. `X-Sdk-Date` must be signed, as must `Host`, and be within 15 minutes of
//! the server's time. There is no key derivation and no credential scope.

use std::time::SystemTime;

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::signing::{
    Credential, Dialect, KeyRing, MAX_SKEW, UNRESERVED, parse_basic_time, query_pairs,
};

/// The algorithm token that opens the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The header carrying the signature's time, `yyyymmddThhmmssZ`.
pub const DATE_HEADER: &str = "x-sdk-date";

/// A client's own hash of the body, which the SDK sends for content it does not hash.
const CONTENT_HASH_HEADER: &str = "x-sdk-content-sha256";

/// A temporary key's token; when sent, it must be signed.
const TOKEN_HEADER: &str = "x-security-token";

/// Headers a signature must cover.
const REQUIRED_SIGNED: [&str; 2] = ["host", DATE_HEADER];

pub use crate::signing::SignedRequest;

/// Why a signature is refused. Huawei's gateway answers each the same way (`APIGW.0301`); the
/// detail is for orgd's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// No `Authorization` header.
    Missing,
    /// An `Authorization` header that is not `SDK-HMAC-SHA256 Access=.., SignedHeaders=..,
    /// Signature=<64 hex>` (another algorithm included).
    Malformed,
    /// `Host`, `X-Sdk-Date` or a sent `X-Security-Token` is not among the signed headers.
    Unsigned(&'static str),
    /// A signed header is not in the request.
    MissingHeader(String),
    /// `X-Sdk-Date` is not `yyyymmddThhmmssZ`.
    BadDate,
    /// The signature's time is more than 15 minutes from the server's.
    Skewed,
    /// No key with this access key ID serves the Huawei API.
    UnknownKey,
    /// `X-Sdk-Content-Sha256` does not match the body.
    BodyHash,
    /// The signature does not match the request.
    BadSignature,
}

impl SignError {
    /// What went wrong, for the log line of the refused request.
    pub fn detail(&self) -> String {
        match self {
            SignError::Missing => "no Authorization header".into(),
            SignError::Malformed => format!("Authorization is not a well-formed {ALGORITHM}"),
            SignError::Unsigned(h) => format!("the header {h} is not signed"),
            SignError::MissingHeader(h) => format!("the signed header {h} is not in the request"),
            SignError::BadDate => "X-Sdk-Date is not yyyymmddThhmmssZ".into(),
            SignError::Skewed => "X-Sdk-Date is more than 15 minutes from the server's time".into(),
            SignError::UnknownKey => "unknown access key".into(),
            SignError::BodyHash => "X-Sdk-Content-Sha256 does not match the body".into(),
            SignError::BadSignature => "the signature does not match".into(),
        }
    }
}

/// The fields of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub access_key: &'a str,
    /// As sent, `;`-separated lower-case names.
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

/// Reads an `Authorization` header value in exactly the SDK's form:
/// `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<64 lower-case hex>`.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, SignError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(" Access="))
        .ok_or(SignError::Malformed)?;
    let (access_key, rest) = rest
        .split_once(", SignedHeaders=")
        .ok_or(SignError::Malformed)?;
    let (signed_headers, signature) = rest
        .split_once(", Signature=")
        .ok_or(SignError::Malformed)?;
    let field_ok = |f: &str| !f.is_empty() && !f.contains(',');
    let hex64 = signature.len() == 64
        && signature
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !field_ok(access_key) || !field_ok(signed_headers) || !hex64 {
        return Err(SignError::Malformed);
    }
    Ok(Authorization {
        access_key,
        signed_headers,
        signature,
    })
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The path with each segment decoded and encoded again (only unreserved characters literal, so
/// `:` and `%3A` give the same result), ending with `/`.
fn canonical_uri(path: &str) -> String {
    let mut uri = path
        .split('/')
        .map(|seg| encode(&percent_decode_str(seg).decode_utf8_lossy()))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The query's decoded pairs sorted by name then value, encoded, `name=value` joined with `&`.
fn canonical_query(query: Option<&str>) -> String {
    let mut pairs = query_pairs(query.unwrap_or_default());
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header's value as signed: every value of the name joined with `,`, trimmed.
fn header_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The string to sign of `req` for the `signed_headers` its `Authorization` names.
pub fn string_to_sign(req: &SignedRequest, signed_headers: &str) -> Result<String, SignError> {
    let names: Vec<String> = signed_headers
        .split(';')
        .map(str::to_ascii_lowercase)
        .collect();
    let token = req
        .headers
        .contains_key(TOKEN_HEADER)
        .then_some(TOKEN_HEADER);
    for required in REQUIRED_SIGNED.into_iter().chain(token) {
        if !names.iter().any(|n| n == required) {
            return Err(SignError::Unsigned(required));
        }
    }
    let mut headers = String::new();
    for name in &names {
        let value = header_value(req.headers, name)
            .ok_or_else(|| SignError::MissingHeader(name.clone()))?;
        headers.push_str(name);
        headers.push(':');
        headers.push_str(&value);
        headers.push('\n');
    }
    let body_hash = hex::encode(Sha256::digest(req.body));
    // The SDK sends its own hash only for content it does not hash (never JSON); a request of this
    // API whose claimed hash is not its body's has been altered.
    if let Some(claimed) = header_value(req.headers, CONTENT_HASH_HEADER)
        && claimed != body_hash
    {
        return Err(SignError::BodyHash);
    }
    let canonical = [
        req.method.to_ascii_uppercase(),
        canonical_uri(req.path),
        canonical_query(req.query),
        headers,
        signed_headers.to_string(),
        body_hash,
    ]
    .join("\n");
    let date = header_value(req.headers, DATE_HEADER)
        .ok_or_else(|| SignError::MissingHeader(DATE_HEADER.into()))?;
    Ok(format!(
        "{ALGORITHM}\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    ))
}

/// `hex(HMAC-SHA256(key = sk, string_to_sign))`.
pub fn signature(sk: &str, string_to_sign: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Verifies the request's `SDK-HMAC-SHA256` signature at time `now` against the keys of Huawei
/// accounts in `keys`; returns the key it was signed with.
pub fn verify<'k>(
    keys: &'k KeyRing,
    req: &SignedRequest,
    now: SystemTime,
) -> Result<&'k Credential, SignError> {
    let value = req.headers.get("authorization").ok_or(SignError::Missing)?;
    let value = value.to_str().map_err(|_| SignError::Malformed)?;
    let auth = parse_authorization(value)?;
    let to_sign = string_to_sign(req, auth.signed_headers)?;
    let date = header_value(req.headers, DATE_HEADER).unwrap_or_default();
    let signed_at = parse_basic_time(&date).ok_or(SignError::BadDate)?;
    let skew = now
        .duration_since(signed_at)
        .unwrap_or_else(|e| e.duration());
    if skew > MAX_SKEW {
        return Err(SignError::Skewed);
    }
    let key = keys
        .get(auth.access_key, Dialect::Huawei)
        .ok_or(SignError::UnknownKey)?;
    let expected = signature(&key.secret_access_key, &to_sign);
    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(key)
    } else {
        Err(SignError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    //! AUTH.md's worked examples A-E, computed by the SDK's own signer, and what must break them.

    use std::time::Duration;

    use axum::http::{HeaderName, HeaderValue};

    use super::*;

    const AK: &str = "HWEXAMPLEAK000000001";
    const SK: &str = "hwexampleSecretKey0000000000000000000001";
    const DOMAIN: &str = "0a6d25d23900d45c0faac010e0fb4de0";
    const DATE: &str = "20240101T120000Z";
    const SIGNED: &str = "content-type;host;user-agent;x-domain-id;x-sdk-date";
    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// One worked example: the request as the SDK sent it and what it computed.
    struct Example {
        method: &'static str,
        path: &'static str,
        query: Option<&'static str>,
        body: &'static [u8],
        extra: &'static [(&'static str, &'static str)],
        signed: &'static str,
        canonical_hash: &'static str,
        signature: &'static str,
    }

    const A: Example = Example {
        method: "GET",
        path: "/v1/organizations/accounts",
        query: Some("limit=2&parent_id=r-abcd&with_register_contact_info=true"),
        body: b"",
        extra: &[],
        signed: SIGNED,
        canonical_hash: "786ffacb9bb414787095ad48976f60bc14442525000d24139bcde96682c9458d",
        signature: "c30805917f08cd5334544fe1a52394bfc4ff80cb7dfb682e58810a3cd02e1afc",
    };
    const B: Example = Example {
        method: "POST",
        path: "/v1/organizations/organizational-units",
        query: None,
        body: br#"{"name": "dev", "parent_id": "r-abcd"}"#,
        extra: &[],
        signed: SIGNED,
        canonical_hash: "940c191c1cd2ecb31e90dd9301c5cebd7141e823b98ab557512465e7099cb6bf",
        signature: "c375b0e0a00f5d28053ce57579b0246a3f3bc2f03cb692076d9268a0eb99dd73",
    };
    const C: Example = Example {
        method: "POST",
        path: "/v1/organizations/organizations%3Aaccounts/0a6d25d23900d45c0faac010e0fb4de1/tags/create",
        query: None,
        body: br#"{"tags": [{"key": "env", "value": "prod"}]}"#,
        extra: &[],
        signed: SIGNED,
        canonical_hash: "3a8c98a4265933cbfb2f1f4a4ad2d9c0892e70a48b6dea19113e4e8205afaeb5",
        signature: "a0552af7ed87a43eb31d99edc5bad15d0005742500bba33191916e5fe129915b",
    };
    const D: Example = Example {
        method: "GET",
        path: "/v1/organizations",
        query: None,
        body: b"",
        extra: &[("x-security-token", "EXAMPLE-SECURITY-TOKEN")],
        signed: "content-type;host;user-agent;x-domain-id;x-sdk-date;x-security-token",
        canonical_hash: "8a63f2eb206d5bbe9abb8faa17dc5764f37f8edd19ec733a196149eeba8bf7c8",
        signature: "1d5895b87e35d36dc682547e8cc8d5a492e1b27a0a30f090d019a7b6a1c5419d",
    };
    const E: Example = Example {
        method: "POST",
        path: "/v1/organizations",
        query: None,
        body: b"",
        extra: &[("content-length", "0")],
        signed: SIGNED,
        canonical_hash: "a36eb55d08132226b5a568625fdd8a93c666a29b7a4c5b1a80ed44610d153b4a",
        signature: "da43fdb1d2ae2a1f820e78fff22d6d3fd6a96155e6c41924cd787ca014fb8337",
    };

    fn keys() -> KeyRing {
        KeyRing::parse(&format!(
            r#"[{{"access_key_id":"{AK}","secret_access_key":"{SK}","account_id":"{DOMAIN}"}},
                {{"access_key_id":"AWSKEY","secret_access_key":"{SK}","account_id":"111111111111"}}]"#
        ))
        .unwrap()
    }

    fn signed_at() -> SystemTime {
        parse_basic_time(DATE).unwrap()
    }

    fn headers(e: &Example) -> HeaderMap {
        let mut h = HeaderMap::new();
        let mut put = |k: &str, v: &str| {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        };
        put("host", "127.0.0.1:4720");
        put("x-sdk-date", DATE);
        put("content-type", "application/json");
        put("user-agent", "huaweicloud-usdk-python/3.0");
        put("x-domain-id", DOMAIN);
        put("accept", "*/*");
        for (k, v) in e.extra {
            put(k, v);
        }
        put(
            "authorization",
            &format!(
                "{ALGORITHM} Access={AK}, SignedHeaders={}, Signature={}",
                e.signed, e.signature
            ),
        );
        h
    }

    /// Verifies `e` as sent, after `change` alters its parts, at `now`.
    fn check(
        e: &Example,
        change: impl FnOnce(&mut SignedParts),
        now: SystemTime,
    ) -> Result<String, SignError> {
        let mut parts = SignedParts {
            method: e.method.to_string(),
            path: e.path.to_string(),
            query: e.query.map(str::to_string),
            headers: headers(e),
            body: e.body.to_vec(),
        };
        change(&mut parts);
        let req = SignedRequest {
            method: &parts.method,
            path: &parts.path,
            query: parts.query.as_deref(),
            headers: &parts.headers,
            body: &parts.body,
        };
        verify(&keys(), &req, now).map(|k| k.account_id.clone())
    }

    struct SignedParts {
        method: String,
        path: String,
        query: Option<String>,
        headers: HeaderMap,
        body: Vec<u8>,
    }

    fn set(h: &mut HeaderMap, name: &'static str, value: &str) {
        h.insert(name, HeaderValue::from_str(value).unwrap());
    }

    /// Example `e` as sent, with headers `h`.
    fn request<'a>(e: &'a Example, h: &'a HeaderMap) -> SignedRequest<'a> {
        SignedRequest {
            method: e.method,
            path: e.path,
            query: e.query,
            headers: h,
            body: e.body,
        }
    }

    /// A change that replaces `from` with `to` in the `Authorization` header.
    fn in_authorization<'a>(from: &'a str, to: &'a str) -> impl Fn(&mut SignedParts) + 'a {
        move |p| {
            let v = p.headers["authorization"]
                .to_str()
                .unwrap()
                .replace(from, to);
            set(&mut p.headers, "authorization", &v);
        }
    }

    #[test]
    fn the_canonical_request_of_example_a_is_the_sdks() {
        let h = headers(&A);
        let req = request(&A, &h);
        let to_sign = string_to_sign(&req, A.signed).unwrap();
        assert_eq!(
            to_sign,
            format!("SDK-HMAC-SHA256\n{DATE}\n{}", A.canonical_hash)
        );
        assert_eq!(signature(SK, &to_sign), A.signature);
        assert_eq!(canonical_uri(A.path), "/v1/organizations/accounts/");
        assert_eq!(hex::encode(Sha256::digest(b"")), EMPTY_HASH);
    }

    #[test]
    fn every_worked_example_computes_the_sdks_hash_and_signature() {
        for (name, e) in [("A", A), ("B", B), ("C", C), ("D", D), ("E", E)] {
            let h = headers(&e);
            let req = request(&e, &h);
            let to_sign = string_to_sign(&req, e.signed).unwrap();
            assert!(to_sign.ends_with(e.canonical_hash), "example {name}");
            assert_eq!(signature(SK, &to_sign), e.signature, "example {name}");
            assert_eq!(
                check(&e, |_| (), signed_at()).as_deref(),
                Ok(DOMAIN),
                "example {name}"
            );
        }
    }

    #[test]
    fn body_hashes_are_the_sdks() {
        assert_eq!(
            hex::encode(Sha256::digest(B.body)),
            "941528f10c61ce959ec48ea62301e4f1b841f807da26f5ab2a392ce439dd3ac0"
        );
        assert_eq!(
            hex::encode(Sha256::digest(C.body)),
            "ea1cd410d1093df3141a8795953542206029e3916df804b8025a6c0d3be272a9"
        );
    }

    #[test]
    fn a_colon_verifies_literal_or_encoded() {
        let literal = |p: &mut SignedParts| p.path = p.path.replace("%3A", ":");
        assert_eq!(check(&C, literal, signed_at()).as_deref(), Ok(DOMAIN));
        let lower = |p: &mut SignedParts| p.path = p.path.replace("%3A", "%3a");
        assert_eq!(check(&C, lower, signed_at()).as_deref(), Ok(DOMAIN));
    }

    #[test]
    fn the_query_is_canonical_in_any_order_and_encoding() {
        let shuffled = |p: &mut SignedParts| {
            p.query = Some("with_register_contact_info=true&parent_id=r%2Dabcd&limit=2".into())
        };
        assert_eq!(check(&A, shuffled, signed_at()).as_deref(), Ok(DOMAIN));
        assert_eq!(
            canonical_query(Some("states=in_progress&limit=5&states=failed&x=a b:c")),
            "limit=5&states=failed&states=in_progress&x=a%20b%3Ac"
        );
        assert_eq!(canonical_query(Some("flag")), "flag=");
        assert_eq!(canonical_query(None), "");
    }

    #[test]
    fn unsigned_headers_and_surrounding_whitespace_do_not_matter() {
        let noise = |p: &mut SignedParts| {
            set(&mut p.headers, "accept-encoding", "gzip, deflate");
            set(&mut p.headers, "connection", "keep-alive");
            set(
                &mut p.headers,
                "user-agent",
                "  huaweicloud-usdk-python/3.0 ",
            );
        };
        assert_eq!(check(&B, noise, signed_at()).as_deref(), Ok(DOMAIN));
    }

    #[test]
    fn a_tampered_request_is_refused() {
        let bad = Err(SignError::BadSignature);
        let body =
            |p: &mut SignedParts| p.body = br#"{"name": "prod", "parent_id": "r-abcd"}"#.to_vec();
        assert_eq!(check(&B, body, signed_at()), bad);
        let path = |p: &mut SignedParts| p.path = "/v1/organizations/organizational-unit".into();
        assert_eq!(check(&B, path, signed_at()), bad);
        let method = |p: &mut SignedParts| p.method = "PUT".into();
        assert_eq!(check(&B, method, signed_at()), bad);
        let query = |p: &mut SignedParts| {
            p.query = Some("limit=3&parent_id=r-abcd&with_register_contact_info=true".into())
        };
        assert_eq!(check(&A, query, signed_at()), bad);
        let extra_query = |p: &mut SignedParts| {
            p.query = Some(format!("{}&marker=x", p.query.as_deref().unwrap()))
        };
        assert_eq!(check(&A, extra_query, signed_at()), bad);
        let domain = |p: &mut SignedParts| {
            set(
                &mut p.headers,
                "x-domain-id",
                "0a6d25d23900d45c0faac010e0fb4de1",
            )
        };
        assert_eq!(check(&A, domain, signed_at()), bad);
        let host = |p: &mut SignedParts| set(&mut p.headers, "host", "127.0.0.1:4721");
        assert_eq!(check(&A, host, signed_at()), bad);
        let token = |p: &mut SignedParts| set(&mut p.headers, "x-security-token", "OTHER");
        assert_eq!(check(&D, token, signed_at()), bad);
        let unsigned_token =
            |p: &mut SignedParts| set(&mut p.headers, "x-security-token", "EXAMPLE-SECURITY-TOKEN");
        assert_eq!(
            check(&A, unsigned_token, signed_at()),
            Err(SignError::Unsigned("x-security-token"))
        );
        let date = |p: &mut SignedParts| set(&mut p.headers, "x-sdk-date", "20240101T120001Z");
        assert_eq!(check(&A, date, signed_at()), bad);
        let sig = in_authorization("c308", "c309");
        assert_eq!(check(&A, sig, signed_at()), bad);
        let fewer = in_authorization("user-agent;", "");
        assert_eq!(check(&A, fewer, signed_at()), bad);
    }

    #[test]
    fn a_claimed_body_hash_must_be_the_bodys() {
        let other = |p: &mut SignedParts| set(&mut p.headers, "x-sdk-content-sha256", EMPTY_HASH);
        assert_eq!(check(&B, other, signed_at()), Err(SignError::BodyHash));
        let unsigned =
            |p: &mut SignedParts| set(&mut p.headers, "x-sdk-content-sha256", "UNSIGNED-PAYLOAD");
        assert_eq!(check(&B, unsigned, signed_at()), Err(SignError::BodyHash));
        let same = |p: &mut SignedParts| {
            set(
                &mut p.headers,
                "x-sdk-content-sha256",
                &hex::encode(Sha256::digest(B.body)),
            )
        };
        assert_eq!(check(&B, same, signed_at()).as_deref(), Ok(DOMAIN));
    }

    #[test]
    fn a_wrong_or_unknown_key_is_refused() {
        let keys = KeyRing::parse(&format!(
            r#"[{{"access_key_id":"{AK}","secret_access_key":"another-secret","account_id":"{DOMAIN}"}}]"#
        ))
        .unwrap();
        let h = headers(&A);
        let req = request(&A, &h);
        assert_eq!(
            verify(&keys, &req, signed_at()).unwrap_err(),
            SignError::BadSignature
        );
        let other_ak = in_authorization(AK, "HWUNKNOWNAK");
        assert_eq!(check(&A, other_ak, signed_at()), Err(SignError::UnknownKey));
        // The same secret under a key of an AWS account does not sign Huawei requests.
        let aws_key = in_authorization(AK, "AWSKEY");
        assert_eq!(check(&A, aws_key, signed_at()), Err(SignError::UnknownKey));
    }

    #[test]
    fn stale_and_future_dates_are_refused_beyond_fifteen_minutes() {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        assert!(check(&A, |_| (), signed_at() + minutes(15)).is_ok());
        assert!(check(&A, |_| (), signed_at() - minutes(15)).is_ok());
        assert_eq!(
            check(
                &A,
                |_| (),
                signed_at() + minutes(15) + Duration::from_secs(1)
            ),
            Err(SignError::Skewed)
        );
        assert_eq!(
            check(&A, |_| (), signed_at() - minutes(16)),
            Err(SignError::Skewed)
        );
        let iso = |p: &mut SignedParts| set(&mut p.headers, "x-sdk-date", "2024-01-01T12:00:00Z");
        assert_eq!(check(&A, iso, signed_at()), Err(SignError::BadDate));
    }

    #[test]
    fn malformed_or_incomplete_authorizations_are_refused() {
        let auth = |v: String| move |p: &mut SignedParts| set(&mut p.headers, "authorization", &v);
        let sig = A.signature;
        for bad in [
            format!("SDK-HMAC-SM3 Access={AK}, SignedHeaders={SIGNED}, Signature={sig}"),
            format!("SDK-HMAC-SHA256 Access={AK},SignedHeaders={SIGNED},Signature={sig}"),
            format!(
                "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={SIGNED}, Signature={}",
                sig.to_uppercase()
            ),
            format!(
                "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={SIGNED}, Signature={}",
                &sig[1..]
            ),
            format!("SDK-HMAC-SHA256 Access=, SignedHeaders={SIGNED}, Signature={sig}"),
            format!("SDK-HMAC-SHA256 SignedHeaders={SIGNED}, Signature={sig}"),
            format!(
                "AWS4-HMAC-SHA256 Credential={AK}/20240101/r/s/aws4_request, SignedHeaders=host, Signature={sig}"
            ),
        ] {
            assert_eq!(
                check(&A, auth(bad.clone()), signed_at()),
                Err(SignError::Malformed),
                "{bad}"
            );
        }
        let none = |p: &mut SignedParts| {
            p.headers.remove("authorization");
        };
        assert_eq!(check(&A, none, signed_at()), Err(SignError::Missing));
        let no_host = format!(
            "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;user-agent;x-domain-id;x-sdk-date, Signature={sig}"
        );
        assert_eq!(
            check(&A, auth(no_host), signed_at()),
            Err(SignError::Unsigned("host"))
        );
        let no_date = format!(
            "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;user-agent;x-domain-id, Signature={sig}"
        );
        assert_eq!(
            check(&A, auth(no_date), signed_at()),
            Err(SignError::Unsigned("x-sdk-date"))
        );
        let gone = |p: &mut SignedParts| {
            p.headers.remove("x-domain-id");
        };
        assert_eq!(
            check(&A, gone, signed_at()),
            Err(SignError::MissingHeader("x-domain-id".into()))
        );
    }
}

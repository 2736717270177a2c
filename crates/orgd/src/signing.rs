//! What the two signature schemes of signed mode share: the credentials file (one loader for both
//! dialects), the decoding of a query string, the set of characters left unencoded in canonical
//! forms, the basic-format timestamps (`yyyymmddThhmmssZ`, SigV4's `X-Amz-Date` and Huawei's
//! `X-Sdk-Date`) and the 15-minute window both clouds allow between a signature and the server.
//!
//! The credentials file is JSON: a list of
//! `{"access_key_id", "secret_access_key", "account_id", "principal_arn"?}`. An account is a
//! 12-digit AWS account or a 32-hex Huawei domain id; a key serves the dialect of its account.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use axum::http::HeaderMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str};
use serde::Deserialize;

/// Characters both schemes leave unencoded in canonical forms: letters, digits and `-_.~`
/// (RFC 3986's unreserved set).
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The parts of a request that its signature covers, as received, in either scheme.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// The path as sent (percent-encoded), without the query.
    pub path: &'a str,
    /// The query as sent, without `?`.
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    /// The exact body bytes.
    pub body: &'a [u8],
}

/// How far a signature's time may be from the server's (AWS and Huawei's gateway: 15 minutes).
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// The cloud whose API a key may call, from the form of its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A 12-digit AWS account.
    Aws,
    /// A 32-hex Huawei domain id.
    Huawei,
}

impl Dialect {
    fn of(account: &str) -> Option<Dialect> {
        if orgd_domain::ids::is_account_id(account) {
            Some(Dialect::Aws)
        } else if is_domain_id(account) {
            Some(Dialect::Huawei)
        } else {
            None
        }
    }
}

/// A Huawei domain (account) id: 32 lower-case hexadecimal digits.
fn is_domain_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// One configured key.
#[derive(Debug, Clone, Deserialize)]
pub struct Credential {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub account_id: String,
    #[serde(default)]
    pub principal_arn: Option<String>,
}

/// The keys signed mode accepts, by access key ID.
#[derive(Debug, Default)]
pub struct KeyRing {
    keys: HashMap<String, (Credential, Dialect)>,
}

impl KeyRing {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading credentials file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("credentials file {}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let list: Vec<Credential> = serde_json::from_str(text)?;
        let mut keys = HashMap::new();
        for c in list {
            let dialect = Dialect::of(&c.account_id).ok_or_else(|| {
                anyhow::anyhow!(
                    "account_id of {} must be a 12-digit AWS account or a 32-hex Huawei domain id",
                    c.access_key_id
                )
            })?;
            anyhow::ensure!(
                !keys.contains_key(&c.access_key_id),
                "access key {} is listed twice",
                c.access_key_id
            );
            keys.insert(c.access_key_id.clone(), (c, dialect));
        }
        Ok(KeyRing { keys })
    }

    /// The key `access_key` if it is configured for `dialect`'s API.
    pub fn get(&self, access_key: &str, dialect: Dialect) -> Option<&Credential> {
        self.keys
            .get(access_key)
            .filter(|(_, d)| *d == dialect)
            .map(|(c, _)| c)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The one reader of a query string (both signature schemes and the Huawei request reader): its
/// (name, value) pairs in the order sent, percent-decoded, `+` read as a
/// space, repeated names kept; a pair without `=` has an empty value.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', "%20"))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

/// The basic ISO 8601 time format of both schemes, `yyyymmddThhmmssZ`.
const BASIC: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// `yyyymmddThhmmssZ` as a time.
pub fn parse_basic_time(s: &str) -> Option<SystemTime> {
    time::PrimitiveDateTime::parse(s, BASIC)
        .ok()
        .map(|t| SystemTime::from(t.assume_utc()))
}

/// A time as `yyyymmddThhmmssZ`.
pub fn basic_time(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(BASIC)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn basic_times_parse_to_the_right_instant_and_back() {
        let t = parse_basic_time("20150830T123600Z").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_440_938_160
        );
        assert_eq!(basic_time(t), "20150830T123600Z");
        assert!(parse_basic_time("2015-08-30T12:36:00Z").is_none());
        assert!(parse_basic_time("20151330T123600Z").is_none());
        assert!(parse_basic_time("20150830T123600").is_none());
    }

    #[test]
    fn queries_decode_pairs_in_order_with_repeats() {
        assert_eq!(
            query_pairs("b=2&a=x%3Ay&&a=+1&flag"),
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "x:y".into()),
                ("a".into(), " 1".into()),
                ("flag".into(), String::new()),
            ]
        );
    }

    #[test]
    fn the_credentials_file_takes_aws_and_huawei_accounts_each_for_its_own_api() {
        let ok = r#"[
            {"access_key_id":"AKIDEXAMPLE","secret_access_key":"s","account_id":"111111111111"},
            {"access_key_id":"HWAK","secret_access_key":"t","account_id":"0a6d25d23900d45c0faac010e0fb4de0",
             "principal_arn":"x"}
        ]"#;
        let keys = KeyRing::parse(ok).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys.get("AKIDEXAMPLE", Dialect::Aws).unwrap().account_id,
            "111111111111"
        );
        assert!(keys.get("AKIDEXAMPLE", Dialect::Huawei).is_none());
        assert_eq!(
            keys.get("HWAK", Dialect::Huawei).unwrap().secret_access_key,
            "t"
        );
        assert!(keys.get("HWAK", Dialect::Aws).is_none());
        assert!(keys.get("nobody", Dialect::Aws).is_none());
        for bad in [
            "12",
            "0A6D25D23900D45C0FAAC010E0FB4DE0",
            "0a6d25d23900d45c0faac010e0fb4de",
            "",
        ] {
            let text = format!(
                r#"[{{"access_key_id":"K","secret_access_key":"s","account_id":"{bad}"}}]"#
            );
            assert!(KeyRing::parse(&text).is_err(), "{bad:?} accepted");
        }
        let twice = r#"[{"access_key_id":"K","secret_access_key":"s","account_id":"111111111111"},
                        {"access_key_id":"K","secret_access_key":"t","account_id":"222222222222"}]"#;
        assert!(KeyRing::parse(twice).is_err());
    }
}

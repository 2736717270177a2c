//! Shared helpers for the SDK-driven integration tests: an in-process orgd on an ephemeral port, an
//! official AWS SDK client acting as any account, and the few journeys most tests start from.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::Path;
use std::time::Duration;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::{BehaviorVersion, Config, Credentials, Region};
use aws_sdk_organizations::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_organizations::types::{
    Account, CreateAccountState, CreateAccountStatus, OrganizationFeatureSet, Tag,
};
use orgd::{ServeConfig, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The management account of every test organization.
pub const MGMT: &str = "111111111111";
/// An account in no organization (orgd knows it only once it calls).
pub const OUTSIDER: &str = "999999999999";

/// A day in milliseconds, for moving orgd's clock (`server.engine.clock().advance`).
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Moves orgd's clock past the wait period (AWS: 7 days) after which an account created in an
/// organization may leave it or be removed.
pub fn after_wait_period(server: &Server) {
    server.engine.clock().advance(7 * DAY_MS);
}

/// Starts an in-memory orgd on an ephemeral port.
pub async fn start() -> Server {
    start_with(ServeConfig::ephemeral()).await
}

/// Starts orgd with `cfg`, always on an ephemeral loopback port.
pub async fn start_with(mut cfg: ServeConfig) -> Server {
    cfg.listen = "127.0.0.1:0".parse().expect("valid address");
    Server::start(&cfg).await.expect("orgd starts")
}

/// A configuration that persists under `dir`.
pub fn persistent(dir: &Path) -> ServeConfig {
    ServeConfig {
        in_memory: false,
        data_dir: dir.to_path_buf(),
        ..ServeConfig::ephemeral()
    }
}

/// An SDK client whose caller is `account` (the access key ID is the account ID).
pub fn client(server: &Server, account: &str) -> Client {
    client_with_key(server, account)
}

/// An SDK client signing with `access_key`, whatever it is.
pub fn client_with_key(server: &Server, access_key: &str) -> Client {
    client_in_region(server, access_key, "us-east-1")
}

/// An SDK client whose caller is `account`, signing for `region`.
pub fn client_in_region(server: &Server, account: &str, region: &'static str) -> Client {
    let conf = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .endpoint_url(server.endpoint())
        .credentials_provider(Credentials::new(account, "secret", None, None, "test"))
        .build();
    Client::from_conf(conf)
}

/// An organization created by `MGMT`, with the IDs most tests need.
pub struct Org {
    pub client: Client,
    pub id: String,
    pub root_id: String,
}

/// `MGMT` creates an organization with all features.
pub async fn create_org(server: &Server) -> Org {
    create_org_with(server, OrganizationFeatureSet::All).await
}

pub async fn create_org_with(server: &Server, feature_set: OrganizationFeatureSet) -> Org {
    let client = client(server, MGMT);
    let org = client
        .create_organization()
        .feature_set(feature_set)
        .send()
        .await
        .expect("CreateOrganization")
        .organization
        .expect("Organization");
    let roots = client
        .list_roots()
        .send()
        .await
        .expect("ListRoots")
        .roots
        .unwrap_or_default();
    assert_eq!(roots.len(), 1, "an organization has exactly one root");
    Org {
        client,
        id: org.id.expect("Organization.Id"),
        root_id: roots[0].id.clone().expect("Root.Id"),
    }
}

impl Org {
    /// Creates an account and waits until its creation SUCCEEDED; returns the new account ID.
    pub async fn new_account(&self, name: &str) -> String {
        self.new_account_with(name, &email_for(name), &[]).await
    }

    pub async fn new_account_with(&self, name: &str, email: &str, tags: &[(&str, &str)]) -> String {
        let mut req = self.client.create_account().account_name(name).email(email);
        for (k, v) in tags {
            req = req.tags(tag(k, v));
        }
        let started = req
            .send()
            .await
            .expect("CreateAccount")
            .create_account_status
            .expect("CreateAccountStatus");
        let done = wait_for_create(&self.client, started.id().expect("request id")).await;
        assert_eq!(
            done.state(),
            Some(&CreateAccountState::Succeeded),
            "account creation failed: {done:?}"
        );
        done.account_id().expect("AccountId").to_string()
    }

    /// Creates an OU under `parent` and returns its ID.
    pub async fn new_ou(&self, parent: &str, name: &str) -> String {
        self.client
            .create_organizational_unit()
            .parent_id(parent)
            .name(name)
            .send()
            .await
            .expect("CreateOrganizationalUnit")
            .organizational_unit
            .expect("OrganizationalUnit")
            .id
            .expect("OrganizationalUnit.Id")
    }

    pub async fn describe_account(&self, id: &str) -> Account {
        self.client
            .describe_account()
            .account_id(id)
            .send()
            .await
            .expect("DescribeAccount")
            .account
            .expect("Account")
    }

    /// Every account ID ListAccounts returns, through the SDK paginator.
    pub async fn account_ids(&self) -> BTreeSet<String> {
        let pages: Vec<_> = self
            .client
            .list_accounts()
            .into_paginator()
            .send()
            .try_collect()
            .await
            .expect("ListAccounts");
        let ids: Vec<String> = pages
            .into_iter()
            .flat_map(|p| p.accounts.unwrap_or_default())
            .filter_map(|a| a.id)
            .collect();
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(unique.len(), ids.len(), "an account listed twice: {ids:?}");
        unique
    }

    /// The tags of a resource as (key, value) pairs, in the order the server lists them.
    pub async fn tags_of(&self, resource: &str) -> Vec<(String, String)> {
        let tags: Vec<Tag> = self
            .client
            .list_tags_for_resource()
            .resource_id(resource)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .expect("ListTagsForResource");
        tags.into_iter().map(|t| (t.key, t.value)).collect()
    }
}

/// A unique, valid email for an account name.
pub fn email_for(name: &str) -> String {
    let local: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{local}@example.com")
}

pub fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("a tag has a key and a value")
}

pub fn pairs(tags: &[(&str, &str)]) -> Vec<(String, String)> {
    tags.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Polls DescribeCreateAccountStatus until the request leaves IN_PROGRESS (at most 10 seconds).
pub async fn wait_for_create(client: &Client, request_id: &str) -> CreateAccountStatus {
    for _ in 0..200 {
        let status = client
            .describe_create_account_status()
            .create_account_request_id(request_id)
            .send()
            .await
            .expect("DescribeCreateAccountStatus")
            .create_account_status
            .expect("CreateAccountStatus");
        if status.state() != Some(&CreateAccountState::InProgress) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("CreateAccount request {request_id} still IN_PROGRESS after 10s");
}

/// The service error of a call that must fail (panics on success or on a transport failure).
pub fn service_error<T, E, R>(result: Result<T, SdkError<E, R>>) -> E
where
    T: Debug,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: Debug,
{
    match result {
        Ok(v) => panic!("expected a service error, the call succeeded: {v:?}"),
        Err(SdkError::ServiceError(e)) => e.into_err(),
        Err(other) => panic!("expected a service error, got {other:?}"),
    }
}

/// The AWS error code (`__type`) of a call that must fail.
pub fn error_code<T, E, R>(result: Result<T, SdkError<E, R>>) -> String
where
    T: Debug,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: Debug,
{
    service_error(result)
        .code()
        .expect("the error has a code")
        .to_string()
}

/// `(code, Reason)` of an operation error: the Reason of its typed InvalidInputException or
/// ConstraintViolationException variant, as the SDK parsed it. Usage:
/// `code_and_reason!(res, CreateOrganizationalUnitError)` where the error type is imported, or
/// `code_and_reason!(invalid: res, ListAccountsError)` for operations without a
/// ConstraintViolationException. Test files declare `#[macro_use] mod common;`.
#[allow(unused_macros)]
macro_rules! code_and_reason {
    ($result:expr, $err:ident) => {{
        let e = $crate::common::service_error($result);
        let code = aws_sdk_organizations::error::ProvideErrorMetadata::code(&e)
            .expect("the error has a code")
            .to_string();
        #[allow(unreachable_patterns)]
        let reason: Option<String> = match &e {
            $err::InvalidInputException(x) => x.reason().map(|r| r.as_str().to_string()),
            $err::ConstraintViolationException(x) => x.reason().map(|r| r.as_str().to_string()),
            _ => None,
        };
        (code, reason)
    }};
    (invalid: $result:expr, $err:ident) => {{
        let e = $crate::common::service_error($result);
        let code = aws_sdk_organizations::error::ProvideErrorMetadata::code(&e)
            .expect("the error has a code")
            .to_string();
        #[allow(unreachable_patterns)]
        let reason: Option<String> = match &e {
            $err::InvalidInputException(x) => x.reason().map(|r| r.as_str().to_string()),
            _ => None,
        };
        (code, reason)
    }};
}

/// `(code, Some(reason))` for comparisons with `code_and_reason!`.
pub fn expect(code: &str, reason: &str) -> (String, Option<String>) {
    (code.to_string(), Some(reason.to_string()))
}

/// `^o-[a-z0-9]{10,32}$`
pub fn is_org_id(s: &str) -> bool {
    s.strip_prefix("o-").is_some_and(|t| lower_alnum(t, 10, 32))
}

/// `^r-[0-9a-z]{4,32}$`
pub fn is_root_id(s: &str) -> bool {
    s.strip_prefix("r-").is_some_and(|t| lower_alnum(t, 4, 32))
}

/// `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`
pub fn is_ou_id(s: &str) -> bool {
    s.strip_prefix("ou-")
        .and_then(|t| t.split_once('-'))
        .is_some_and(|(a, b)| lower_alnum(a, 4, 32) && lower_alnum(b, 8, 32))
}

/// `^\d{12}$`
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `^car-[a-z0-9]{8,32}$`
pub fn is_create_account_request_id(s: &str) -> bool {
    s.strip_prefix("car-")
        .is_some_and(|t| lower_alnum(t, 8, 32))
}

fn lower_alnum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Seconds since the epoch, now.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs() as i64
}

/// The status code of a raw HTTP/1.1 answer (`HTTP/1.1 200 OK ...`), 0 if it has none.
pub fn http_status(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// An HTTP/1.1 exchange on a fresh connection: the status, the content type and the body.
pub async fn http(
    server: &Server,
    method: &str,
    path: &str,
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole HTTP answer");
    let head = String::from_utf8_lossy(&out[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| l.strip_prefix("content-type:"))
        .unwrap_or("")
        .trim()
        .to_string();
    (status, content_type, out[split + 4..].to_vec())
}

//! Shared helpers for the integration tests: an in-process orgd on an ephemeral port (or the built
//! binary as a process), an official AWS SDK client acting as any account, raw HTTP/1.1
//! exchanges, and the few journeys most tests start from.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::{BehaviorVersion, Config, Credentials, Region};
use aws_sdk_organizations::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_organizations::types::{
    Account, CreateAccountState, CreateAccountStatus, OrganizationFeatureSet, PolicyType, Tag,
};
use orgd::config::AuthMode;
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

/// `cfg` with SCPs enabled when an all-features organization is created
/// (`--scp-enabled-at-creation`, the documented state; orgd's default, like AWS, enables none).
pub fn scp_at_creation(cfg: ServeConfig) -> ServeConfig {
    ServeConfig {
        scp_enabled_at_creation: true,
        ..cfg
    }
}

/// Starts an in-memory orgd that enables SCPs in a new all-features organization.
pub async fn start_with_scps() -> Server {
    start_with(scp_at_creation(ServeConfig::ephemeral())).await
}

/// Starts an in-memory orgd in signed mode (`--auth signed`) with `keys` as its credentials file;
/// keep the file as long as the server runs.
pub async fn start_signed(keys: &str) -> (Server, tempfile::NamedTempFile) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), keys).unwrap();
    let mut cfg = ServeConfig::ephemeral();
    cfg.auth = AuthMode::Signed;
    cfg.credentials = Some(file.path().to_path_buf());
    (Server::start(&cfg).await.unwrap(), file)
}

/// A process of the built `orgd` binary, killed (as `kill -9`) and reaped when dropped.
pub struct Orgd(pub Child);

impl Drop for Orgd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs the built binary as `orgd serve --listen 127.0.0.1:<port> --log warn`, with whatever else
/// `more` adds to the command (stdout is discarded); returns once it listens.
pub async fn spawn_orgd(port: u16, more: impl FnOnce(&mut Command)) -> Orgd {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orgd"));
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--log", "warn"])
        .stdout(Stdio::null());
    more(&mut cmd);
    let child = Orgd(cmd.spawn().expect("orgd starts"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "orgd did not start listening");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child
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
    Client::from_conf(sdk_config(&server.endpoint(), account, "secret", region).build())
}

/// The configuration of an SDK client for `endpoint` signing with `key` and `secret` for `region`,
/// to build on.
pub fn sdk_config(
    endpoint: &str,
    key: &str,
    secret: &str,
    region: &'static str,
) -> aws_sdk_organizations::config::Builder {
    Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
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

    /// Moves an account from `source` to `destination`.
    pub async fn move_account(&self, account: &str, source: &str, destination: &str) {
        self.client
            .move_account()
            .account_id(account)
            .source_parent_id(source)
            .destination_parent_id(destination)
            .send()
            .await
            .expect("MoveAccount");
    }

    /// Creates a policy (with an empty description and no tags) and returns its ID.
    pub async fn new_policy(&self, ty: PolicyType, name: &str, content: &str) -> String {
        self.new_policy_with(ty, name, "", content, &[]).await
    }

    pub async fn new_policy_with(
        &self,
        ty: PolicyType,
        name: &str,
        description: &str,
        content: &str,
        tags: &[(&str, &str)],
    ) -> String {
        let mut req = self
            .client
            .create_policy()
            .r#type(ty)
            .name(name)
            .description(description)
            .content(content);
        for (k, v) in tags {
            req = req.tags(tag(k, v));
        }
        req.send()
            .await
            .expect("CreatePolicy")
            .policy
            .and_then(|p| p.policy_summary)
            .and_then(|s| s.id)
            .expect("policy id")
    }

    pub async fn attach(&self, policy: &str, target: &str) {
        self.client
            .attach_policy()
            .policy_id(policy)
            .target_id(target)
            .send()
            .await
            .expect("AttachPolicy");
    }

    pub async fn detach(&self, policy: &str, target: &str) {
        self.client
            .detach_policy()
            .policy_id(policy)
            .target_id(target)
            .send()
            .await
            .expect("DetachPolicy");
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

/// A raw HTTP/1.1 request to `addr` (`host:port`) on a fresh connection: `method` and `target`
/// (path and query) as given, `headers` as given (`host` among them if it is to be sent), then
/// `content-length` and `connection: close`. Returns the status and the whole answer.
pub async fn raw_http<K: AsRef<str>, V: AsRef<str>>(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(K, V)],
    body: &[u8],
) -> (u16, String) {
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{}: {}\r\n", k.as_ref(), v.as_ref()));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    (http_status(&out), out)
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

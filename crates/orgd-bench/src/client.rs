//! A keep-alive HTTP/1.1 client that sends SigV4-signed AWS Organizations (JSON 1.1) requests.

use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, anyhow, bail};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const SERVICE: &str = "organizations";
const REGION: &str = "us-east-1";

/// The access key of the management account: orgd makes a 12-digit key that account.
pub const MANAGEMENT_KEY: &str = "111111111111";

/// What a server answered to one API call.
pub enum Reply {
    Ok(Value),
    /// An error answer: HTTP status, `__type` and message.
    Err(u16, String),
}

impl Reply {
    /// The body of a success, or the error as an `anyhow` error naming the operation.
    pub fn ok(self, op: &str) -> anyhow::Result<Value> {
        match self {
            Reply::Ok(v) => Ok(v),
            Reply::Err(status, e) => Err(anyhow!("{op}: HTTP {status}: {e}")),
        }
    }
}

/// A signed-request client for one server (one base URL), shared by all load tasks.
pub struct Api {
    http: Client<HttpConnector, Full<Bytes>>,
    url: String,
    credentials: Credentials,
}

impl Api {
    pub fn new(port: u16, pool_size: usize) -> Api {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.enforce_http(true);
        let http = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(pool_size)
            .pool_idle_timeout(Duration::from_secs(60))
            .build(connector);
        Api {
            http,
            url: format!("http://127.0.0.1:{port}/"),
            credentials: Credentials::new(MANAGEMENT_KEY, "orgd-bench-secret", None, None, "bench"),
        }
    }

    /// The same server and connection pool, with `account` as the caller (its access key).
    pub fn as_account(&self, account: &str) -> Api {
        Api {
            http: self.http.clone(),
            url: self.url.clone(),
            credentials: Credentials::new(account, "orgd-bench-secret", None, None, "bench"),
        }
    }

    /// Sends one signed request for `op` with the JSON `body` and reads the whole answer.
    pub async fn call(&self, op: &str, body: &Value) -> anyhow::Result<Reply> {
        let (status, bytes) = self
            .send(op, Bytes::from(serde_json::to_vec(body)?))
            .await?;
        if status == StatusCode::OK {
            let v = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes)
                    .with_context(|| format!("{op}: decoding the answer"))?
            };
            return Ok(Reply::Ok(v));
        }
        Ok(Reply::Err(status.as_u16(), error_text(&bytes)))
    }

    /// Sends one signed request and returns the status and the raw body of the answer.
    pub async fn send(&self, op: &str, body: Bytes) -> anyhow::Result<(StatusCode, Bytes)> {
        let target = format!("{TARGET_PREFIX}{op}");
        let identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name(SERVICE)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()?
            .into();
        let signable = SignableRequest::new(
            "POST",
            self.url.as_str(),
            [
                ("content-type", CONTENT_TYPE),
                ("x-amz-target", target.as_str()),
            ]
            .into_iter(),
            SignableBody::Bytes(&body),
        )?;
        let (instructions, _signature) = sign(signable, &params)?.into_parts();
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(self.url.as_str())
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", target.as_str());
        for (name, value) in instructions.headers() {
            req = req.header(name, value);
        }
        let req = req.body(Full::new(body))?;
        let resp = self
            .http
            .request(req)
            .await
            .with_context(|| format!("{op}: sending"))?;
        let status = resp.status();
        let bytes = resp.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }

    /// `call`, with an error answer turned into an error.
    pub async fn ok(&self, op: &str, body: &Value) -> anyhow::Result<Value> {
        self.call(op, body).await?.ok(op)
    }

    /// A plain GET of `path`; the status of the answer.
    pub async fn get_status(&self, path: &str) -> anyhow::Result<u16> {
        self.plain(Method::GET, path).await
    }

    /// A plain request of `path` with no body; the status of the answer.
    pub async fn plain(&self, method: Method, path: &str) -> anyhow::Result<u16> {
        Ok(self.plain_body(method, path).await?.0)
    }

    /// A plain request of `path` with no body; the status and the body of the answer.
    pub async fn plain_body(&self, method: Method, path: &str) -> anyhow::Result<(u16, Bytes)> {
        let req = Request::builder()
            .method(method)
            .uri(format!("{}{}", self.url, path.trim_start_matches('/')))
            .body(Full::new(Bytes::new()))?;
        let resp = self.http.request(req).await?;
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }
}

/// Every item of a paginated listing under `key`, following `NextToken`; at most `max_pages`
/// pages. Records each page's latency in `pages`.
pub async fn list_all(
    api: &Api,
    op: &str,
    mut body: Value,
    key: &str,
    max_pages: usize,
    mut pages: Option<&mut Vec<u32>>,
) -> anyhow::Result<Vec<Value>> {
    let mut items = Vec::new();
    for _ in 0..max_pages {
        let t = Instant::now();
        let page = api.ok(op, &body).await?;
        if let Some(p) = pages.as_deref_mut() {
            p.push(micros(t.elapsed()));
        }
        if let Some(list) = page.get(key).and_then(Value::as_array) {
            items.extend(list.iter().cloned());
        }
        match page.get("NextToken").and_then(Value::as_str) {
            Some(token) if !token.is_empty() => body["NextToken"] = Value::from(token),
            _ => return Ok(items),
        }
    }
    bail!("{op}: more than {max_pages} pages")
}

/// The start of an error answer, for messages.
pub fn error_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(300).collect()
}

pub fn micros(d: Duration) -> u32 {
    d.as_micros().min(u32::MAX as u128) as u32
}

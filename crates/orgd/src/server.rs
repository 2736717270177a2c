//! The HTTP server: the AWS API on `POST /`, the Huawei API under `/v1/` and `/v2/`, orgd's own
//! endpoints under `/_orgd/`, one log line per
//! request, a ticker that settles time-driven transitions, and graceful shutdown. It bounds what a
//! public service must: the request head's size and arrival time, the body's size and arrival
//! time, the connections served at once; a panic while handling a request answers 500.

use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::FutureExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use orgd_store::{MemoryStore, PgStore, SqliteStore, Store};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;

use crate::aws::{self, Auth, AwsApi, WireError};
use crate::clock::Clock;
use crate::config::AuthMode;
use crate::config::ServeConfig;
use crate::engine::Engine;
use crate::huawei::{self, HuaweiApi};
use crate::metrics::Metrics;
use crate::operator;
use crate::signing::KeyRing;
use crate::throttle::Throttle;

pub(crate) struct App {
    api: AwsApi,
    huawei: HuaweiApi,
    pub(crate) engine: Arc<Engine>,
    /// How long a client may take to send a request's body.
    pub(crate) body_timeout: Duration,
    pub(crate) metrics: Metrics,
}

/// A running server: its address and the handle to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub engine: Arc<Engine>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Opens the store, loads the state, binds and starts serving in the background.
    pub async fn start(cfg: &ServeConfig) -> anyhow::Result<Server> {
        let clock = Arc::new(Clock::default());
        let engine = Arc::new(
            tokio::task::spawn_blocking({
                let limits = cfg.limits();
                let cfg = cfg.clone();
                move || -> anyhow::Result<Engine> {
                    let store: Box<dyn Store> = if let Some(url) = &cfg.database_url {
                        Box::new(PgStore::open(url)?)
                    } else if cfg.in_memory {
                        Box::new(MemoryStore::default())
                    } else {
                        Box::new(SqliteStore::open(&cfg.data_dir)?)
                    };
                    Ok(Engine::open(store, limits, clock)?)
                }
            })
            .await??,
        );
        Engine::follow(&engine)?;
        let listener = TcpListener::bind(cfg.listen).await?;
        let addr = listener.local_addr()?;
        // One credentials file, loaded once, for both APIs' signatures.
        let (auth, huawei_auth) = match (cfg.auth, &cfg.credentials) {
            (AuthMode::AccessKey, _) => (
                Auth::AccessKey {
                    default_account: cfg.default_account.clone(),
                },
                huawei::Auth::DomainHeader,
            ),
            (AuthMode::Signed, Some(path)) => {
                let keys = Arc::new(KeyRing::load(path)?);
                (Auth::SigV4(keys.clone()), huawei::Auth::Signed(keys))
            }
            (AuthMode::Signed, None) => anyhow::bail!("--auth signed needs --credentials FILE"),
        };
        let limits = HttpLimits::from(cfg);
        let app = Arc::new(App {
            api: AwsApi::new(engine.clone(), auth, Throttle::new(cfg.throttle_rps)),
            huawei: HuaweiApi::new(engine.clone(), huawei_auth, Throttle::new(cfg.throttle_rps)),
            engine: engine.clone(),
            body_timeout: limits.request_timeout,
            metrics: Metrics::new(engine.clone()),
        });
        let router = Router::new()
            .route("/", post(aws_endpoint).fallback(wrong_method))
            .route("/_orgd/health", get(health))
            .route("/_orgd/reset", post(reset))
            // moto's server mode resets its server here between tests, so moto's own test suites
            // can run against orgd unchanged.
            .route("/moto-api/reset", post(reset))
            .route("/_orgd/clock", get(clock_now).post(advance_clock))
            .route("/metrics", get(operator::metrics))
            .route("/_orgd/export", get(operator::export))
            .route("/_orgd/import", post(operator::import))
            .route("/_orgd/simulate", post(operator::simulate))
            .merge(crate::console::routes())
            .route("/_orgd/dry-run-denials", get(operator::dry_run_denials))
            .fallback(other_path)
            .with_state(app);
        let (tx, rx) = oneshot::channel::<()>();
        let ticker = tokio::spawn(tick(engine.clone()));
        let task = tokio::spawn(async move {
            let served = serve(listener, router, limits, rx).await;
            ticker.abort();
            served
        });
        Ok(Server {
            addr,
            engine,
            shutdown: Some(tx),
            task,
        })
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests and returns.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await??;
        Ok(())
    }

    /// Waits until the server stops on its own (it does not, unless stopped).
    pub async fn wait(&mut self) -> anyhow::Result<()> {
        (&mut self.task).await??;
        Ok(())
    }

    /// Stops when `signal` resolves.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> anyhow::Result<()> {
        tokio::select! {
            r = self.wait() => r,
            _ = signal => self.stop().await,
        }
    }
}

/// What a public service bounds for each connection.
#[derive(Debug, Clone, Copy)]
struct HttpLimits {
    /// Connections served at once; further clients wait in the listen backlog.
    max_connections: usize,
    /// How long a client may take to send its request head, and then its body.
    request_timeout: Duration,
}

impl From<&ServeConfig> for HttpLimits {
    fn from(cfg: &ServeConfig) -> Self {
        HttpLimits {
            max_connections: cfg.max_connections.max(1),
            request_timeout: Duration::from_millis(cfg.request_timeout_ms.max(1)),
        }
    }
}

/// The most a request head (request line and headers) may take: hyper answers a larger one with
/// 431. SigV4 headers of a request are well under 8 KiB; this leaves room for proxies' additions.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How long in-flight requests get to finish when the server stops.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections (at most `max_connections` at once) and serves each with HTTP/1.1, with a
/// deadline for the request head, until `stop` fires; then lets in-flight requests finish.
/// The address a connection came from, in each of its requests' extensions.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub std::net::SocketAddr);

async fn serve(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.request_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    loop {
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let (stream, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let inner = TowerToHyperService::new(router.clone());
        let service =
            hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(PeerAddr(peer));
                hyper::service::Service::call(&inner, req)
            });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("in-flight requests did not finish in time");
    }
    Ok(())
}

/// Settles due transitions (account creation, closure) even when no request arrives.
async fn tick(engine: Arc<Engine>) {
    let mut every = tokio::time::interval(Duration::from_millis(100));
    loop {
        every.tick().await;
        if engine.is_due()
            && let Err(err) = engine.settle_async().await
        {
            tracing::error!(%err, "settling due transitions failed");
        }
    }
}

async fn aws_endpoint(State(app): State<Arc<App>>, req: Request) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let reply = guarded(&request_id, handle_aws(&app, req, &request_id), || {
        aws::Reply::error(WireError::Internal)
    })
    .await;
    app.metrics
        .record(reply.operation, reply.error.as_deref(), started.elapsed());
    tracing::info!(
        request_id = %request_id,
        operation = reply.operation.unwrap_or("-"),
        caller = reply.caller.as_deref().unwrap_or("-"),
        status = reply.status,
        error = reply.error.as_deref().unwrap_or(""),
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    aws_response(reply, &request_id)
}

/// Runs a request's handling; a panic in it is logged once and answered with `internal` (a 500
/// in the API's shape), with nothing of the panic in the answer.
async fn guarded<R>(
    request_id: &str,
    handling: impl std::future::Future<Output = R>,
    internal: impl FnOnce() -> R,
) -> R {
    AssertUnwindSafe(handling)
        .catch_unwind()
        .await
        .unwrap_or_else(|panic| {
            tracing::error!(
                request_id = %request_id,
                panic = panic_message(&panic),
                "request handling panicked"
            );
            internal()
        })
}

/// Why a request's body was not read.
enum BodyFault {
    /// Larger than the API reads (declared or sent).
    TooLarge,
    /// The connection failed while sending it.
    Unreadable,
    /// It did not arrive in time.
    Timeout,
}

/// Reads the whole body, refusing one over `max` bytes or one that does not arrive in time. A
/// request runs only on the body it was sent.
async fn read_body(
    app: &App,
    parts: &axum::http::request::Parts,
    body: axum::body::Body,
    max: usize,
) -> Result<Bytes, BodyFault> {
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(BodyFault::TooLarge);
    }
    match tokio::time::timeout(app.body_timeout, axum::body::to_bytes(body, max)).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) if is_length_limit(&e) => Err(BodyFault::TooLarge),
        Ok(Err(_)) => Err(BodyFault::Unreadable),
        Err(_) => Err(BodyFault::Timeout),
    }
}

/// Reads the body and hands the request to the AWS adapter.
async fn handle_aws(app: &App, req: Request, request_id: &str) -> aws::Reply {
    let (parts, body) = req.into_parts();
    let body = match read_body(app, &parts, body, aws::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(BodyFault::TooLarge) => {
            return aws::Reply::error(WireError::BodyTooLarge(aws::MAX_BODY_BYTES));
        }
        Err(BodyFault::Unreadable) => {
            return aws::Reply::error(WireError::Serialization(
                "The request body could not be read.".into(),
            ));
        }
        Err(BodyFault::Timeout) => return aws::Reply::error(WireError::RequestTimeout),
    };
    app.api
        .handle(aws::Request {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body: &body,
            request_id,
            peer: parts.extensions.get::<PeerAddr>().map(|p| p.0.ip()),
        })
        .await
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".into())
}

fn aws_response(reply: aws::Reply, request_id: &str) -> Response {
    let mut response = (
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        reply.body,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    if let Some(code) = &reply.error
        && let Ok(v) = HeaderValue::from_str(code)
    {
        h.insert("x-amzn-errortype", v);
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    response
}

/// Any method but POST on `/`: AWS's JSON protocol has only POST.
async fn wrong_method(method: Method) -> Response {
    let reply = aws::Reply::error(WireError::MethodNotAllowed(method.to_string()));
    let mut response = aws_response(reply, &uuid::Uuid::new_v4().to_string());
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// Any path but the fixed ones: the Huawei API's name space (`/v1/`, `/v2/`) goes to the Huawei
/// adapter; anything else is a path no API serves.
async fn other_path(State(app): State<Arc<App>>, req: Request) -> Response {
    if huawei::routes::claims(req.uri().path()) {
        huawei_endpoint(&app, req).await
    } else {
        unknown_path(req.method().clone(), req.uri().clone()).await
    }
}

async fn huawei_endpoint(app: &App, req: Request) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let reply = guarded(&request_id, handle_huawei(app, req, &request_id), || {
        huawei::Reply::error(&huawei::errors::HwError::internal(), &request_id)
    })
    .await;
    app.metrics
        .record(reply.operation, reply.error, started.elapsed());
    tracing::info!(
        request_id = %request_id,
        operation = reply.operation.unwrap_or("-"),
        caller = reply.caller.as_deref().unwrap_or("-"),
        status = reply.status,
        error = reply.error.unwrap_or(""),
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    huawei_response(reply, &request_id)
}

/// Reads the body and hands the request to the Huawei adapter.
async fn handle_huawei(app: &App, req: Request, request_id: &str) -> huawei::Reply {
    use huawei::errors::HwError;
    let (parts, body) = req.into_parts();
    let body = match read_body(app, &parts, body, huawei::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(fault) => {
            let e = match fault {
                BodyFault::TooLarge => HwError::invalid(format!(
                    "The request body is larger than {} bytes.",
                    huawei::MAX_BODY_BYTES
                )),
                BodyFault::Unreadable => HwError::invalid("The request body could not be read."),
                BodyFault::Timeout => HwError::invalid("The request body did not arrive in time."),
            };
            return huawei::Reply::error(&e, request_id);
        }
    };
    app.huawei
        .handle(
            huawei::Request {
                method: parts.method.as_str(),
                path: parts.uri.path(),
                query: parts.uri.query(),
                headers: &parts.headers,
                body: &body,
            },
            request_id,
        )
        .await
}

fn huawei_response(reply: huawei::Reply, request_id: &str) -> Response {
    let has_body = !reply.body.is_empty();
    let mut response = (
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        reply.body,
    )
        .into_response();
    let h = response.headers_mut();
    if has_body {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(huawei::CONTENT_TYPE),
        );
    } else {
        h.remove(header::CONTENT_TYPE);
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    if let Some(allow) = reply
        .allow
        .as_deref()
        .and_then(|a| HeaderValue::from_str(a).ok())
    {
        h.insert(header::ALLOW, allow);
    }
    response
}

/// A path no API serves.
async fn unknown_path(method: Method, uri: Uri) -> Response {
    let reply = aws::Reply::error(WireError::UnknownPath(format!("{method} {}", uri.path())));
    aws_response(reply, &uuid::Uuid::new_v4().to_string())
}

async fn health() -> &'static str {
    "ok"
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    let engine = app.engine.clone();
    match tokio::task::spawn_blocking(move || engine.reset()).await {
        Ok(Ok(())) => {
            tracing::info!("state reset");
            (StatusCode::OK, "reset").into_response()
        }
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// `GET /_orgd/clock`: the server's current time, in epoch milliseconds.
async fn clock_now(State(app): State<Arc<App>>) -> Response {
    let body = serde_json::json!({ "now_ms": app.engine.clock().now() }).to_string();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// `POST /_orgd/clock` with `{"advance_ms": N}` moves the clock forward (never back) and settles
/// whatever became due, so a test can watch timings pass without waiting.
async fn advance_clock(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let advance = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("advance_ms").and_then(serde_json::Value::as_i64))
        .filter(|ms| *ms >= 0);
    let Some(ms) = advance else {
        return (
            StatusCode::BAD_REQUEST,
            "expected {\"advance_ms\": <non-negative integer>}",
        )
            .into_response();
    };
    app.engine.clock().advance(ms);
    match app.engine.settle_async().await {
        Ok(()) => clock_now(State(app)).await,
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_in_handling_is_a_500_internal_failure_that_tells_nothing() {
        let internal = || aws::Reply::error(WireError::Internal);
        let reply = guarded(
            "r-1",
            async { panic!("secret detail of the bug") },
            internal,
        )
        .await;
        assert_eq!(reply.status, 500);
        let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(body["__type"], "InternalFailure");
        assert!(!String::from_utf8_lossy(&reply.body).contains("secret"));
        let fine = guarded(
            "r-2",
            async { aws::Reply::error(WireError::TooManyRequests) },
            internal,
        )
        .await;
        assert_eq!(fine.status, 400);
    }
}

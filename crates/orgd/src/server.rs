//! The HTTP server: the AWS API on `POST /`, orgd's own endpoints under `/_orgd/`, one log line per
//! request, a ticker that settles time-driven transitions, and graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use orgd_store::{MemoryStore, SqliteStore, Store};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::aws::sigv4::KeyRing;
use crate::aws::{self, Auth, AwsApi};
use crate::clock::Clock;
use crate::config::AuthMode;
use crate::config::ServeConfig;
use crate::engine::Engine;

struct App {
    api: AwsApi,
    engine: Arc<Engine>,
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
        let store: Box<dyn Store> = if cfg.in_memory {
            Box::new(MemoryStore::default())
        } else {
            Box::new(SqliteStore::open(&cfg.data_dir)?)
        };
        let clock = Arc::new(Clock::default());
        let engine = Arc::new(
            tokio::task::spawn_blocking({
                let limits = cfg.limits();
                move || Engine::open(store, limits, clock)
            })
            .await??,
        );
        let listener = TcpListener::bind(cfg.listen).await?;
        let addr = listener.local_addr()?;
        let auth = match (cfg.auth, &cfg.credentials) {
            (AuthMode::AccessKey, _) => Auth::AccessKey {
                default_account: cfg.default_account.clone(),
            },
            (AuthMode::Sigv4, Some(path)) => Auth::SigV4(KeyRing::load(path)?),
            (AuthMode::Sigv4, None) => anyhow::bail!("--auth sigv4 needs --credentials FILE"),
        };
        let app = Arc::new(App {
            api: AwsApi::new(engine.clone(), auth),
            engine: engine.clone(),
        });
        let router = Router::new()
            .route("/", post(aws_endpoint))
            .route("/_orgd/health", get(health))
            .route("/_orgd/reset", post(reset))
            .route("/_orgd/clock", get(clock_now).post(advance_clock))
            .with_state(app);
        let (tx, rx) = oneshot::channel::<()>();
        let ticker = tokio::spawn(tick(engine.clone()));
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
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

/// Settles due transitions (account creation, closure) even when no request arrives.
async fn tick(engine: Arc<Engine>) {
    let mut every = tokio::time::interval(Duration::from_millis(100));
    loop {
        every.tick().await;
        if engine.is_due() {
            let e = engine.clone();
            match tokio::task::spawn_blocking(move || e.settle()).await {
                Ok(Err(err)) => tracing::error!(%err, "settling due transitions failed"),
                Err(err) => tracing::error!(%err, "settling task failed"),
                Ok(Ok(())) => {}
            }
        }
    }
}

async fn aws_endpoint(State(app): State<Arc<App>>, req: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = match axum::body::to_bytes(body, 16 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => Bytes::new(),
    };
    let reply = app
        .api
        .handle(aws::Request {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body: &body,
        })
        .await;
    tracing::info!(
        request_id = %request_id,
        operation = reply.operation.unwrap_or("-"),
        caller = reply.caller.as_deref().unwrap_or("-"),
        status = reply.status,
        error = reply.error.as_deref().unwrap_or(""),
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    let mut response = (
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        reply.body,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(aws::CONTENT_TYPE),
    );
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert("x-amzn-requestid", v);
    }
    response
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
    let engine = app.engine.clone();
    match tokio::task::spawn_blocking(move || engine.settle()).await {
        Ok(Ok(())) => clock_now(State(app)).await,
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

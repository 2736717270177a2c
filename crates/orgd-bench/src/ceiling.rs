//! The hyper ceiling: a bare hyper HTTP/1.1 server that reads each request's body and answers
//! with one fixed body (a copy of orgd's DescribeOrganization answer), nothing else. Driven by the
//! same clients as orgd, it shows what the HTTP stack, the bench's client and the machine allow
//! before orgd does any work; orgd's reads are reported as a share of it.
//!
//! It runs as a child process (the bench's own executable with `--ceiling-serve`), like orgd: a
//! tokio runtime with one worker per core, as orgd's, so the two are measured alike (CPU time from
//! `/proc/PID/stat`).

use std::convert::Infallible;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::procs::ChildGuard;

/// Serves `body` on 127.0.0.1:`port` until killed (`--ceiling-serve PORT --ceiling-body FILE`).
pub fn serve(port: u16, body_file: &Path) -> anyhow::Result<()> {
    let body = Bytes::from(
        std::fs::read(body_file).with_context(|| format!("reading {}", body_file.display()))?,
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                    let body = body.clone();
                    async move {
                        // Read the request's body, as any server of the API must.
                        let _ = req.into_body().collect().await;
                        Ok::<_, Infallible>(
                            Response::builder()
                                .header("content-type", "application/x-amz-json-1.1")
                                .header("x-amzn-requestid", "00000000-0000-4000-8000-000000000000")
                                .body(Full::new(body))
                                .expect("a fixed response is valid"),
                        )
                    }
                });
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

/// Starts the ceiling server (this executable, `--ceiling-serve`) on `port`, answering `body`,
/// which it reads from `body_file` (written here).
pub fn start(port: u16, body: &[u8], body_file: &Path) -> anyhow::Result<ChildGuard> {
    std::fs::write(body_file, body)?;
    let exe = std::env::current_exe().context("finding the bench's own executable")?;
    let mut cmd = Command::new(exe);
    cmd.arg("--ceiling-serve")
        .arg(port.to_string())
        .arg("--ceiling-body")
        .arg(body_file)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    ChildGuard::spawn("hyper ceiling", &mut cmd)
}

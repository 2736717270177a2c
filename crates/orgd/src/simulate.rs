//! `orgd simulate`: asks a running orgd's `POST /_orgd/simulate` whether an action by an account
//! would be allowed by the SCPs and RCPs in effect on it, and prints the answer.

use anyhow::{Context as _, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{Map, Value, json};

use crate::config::SimulateArgs;

/// The simulation request of the command line: repeated `--context KEY=VALUE` give a key several
/// values.
pub fn request(args: &SimulateArgs) -> anyhow::Result<Value> {
    let mut context = Map::new();
    for pair in &args.context {
        let Some((key, value)) = pair.split_once('=') else {
            bail!("--context {pair}: write KEY=VALUE");
        };
        match context.get_mut(key) {
            None => {
                context.insert(key.to_string(), Value::from(value));
            }
            Some(Value::Array(values)) => values.push(Value::from(value)),
            Some(first) => *first = json!([first.take(), value]),
        }
    }
    let mut body = json!({
        "account_id": args.account_id,
        "action": args.action,
        "context": context,
    });
    if let Some(r) = &args.resource {
        body["resource"] = Value::from(r.as_str());
    }
    Ok(body)
}

/// Sends the simulation to the server at `args.url` and returns its answer.
pub async fn run(args: &SimulateArgs) -> anyhow::Result<Value> {
    let body = request(args)?;
    let base: hyper::Uri = args.url.parse().context("--url is not a URL")?;
    if base.scheme_str().is_some_and(|s| s != "http") {
        bail!("--url: orgd serves plain http");
    }
    let authority = base
        .authority()
        .context("--url needs a host, as in http://127.0.0.1:4566")?
        .clone();
    let port = authority.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((authority.host(), port))
        .await
        .with_context(|| format!("cannot connect to {authority}"))?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let req = hyper::Request::post("/_orgd/simulate")
        .header(hyper::header::HOST, authority.as_str())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))?;
    let res = sender.send_request(req).await?;
    let status = res.status();
    let bytes = res.into_body().collect().await?.to_bytes();
    let answer: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("the server answered {status} without JSON"))?;
    if !status.is_success() {
        bail!(
            "the server refused the simulation ({status}): {}",
            answer["message"].as_str().unwrap_or_default()
        );
    }
    Ok(answer)
}

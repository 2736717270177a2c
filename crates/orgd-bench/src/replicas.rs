//! `--replicas-database-url`: reads and writes against 1, 2 and 3 orgd replicas over one
//! PostgreSQL database, side by side with one orgd over SQLite. The clients are spread evenly
//! over the replicas; reads are DescribeOrganizationalUnit, writes UpdateOrganizationalUnit (a
//! rename to a new name each time, so every write commits).

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use hyper::Method;
use serde_json::json;

use crate::client::{Api, Reply, micros};
use crate::load::quantile;
use crate::procs::{ChildGuard, free_port, wait_ready};

/// OUs the reads and writes spread over.
const OUS: usize = 20;

fn start(bin: &Path, port: u16, store: &[&str]) -> anyhow::Result<ChildGuard> {
    let mut cmd = Command::new(bin);
    cmd.arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .args(["--log", "warn"])
        .args(store)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("ORGD_") {
            cmd.env_remove(k);
        }
    }
    ChildGuard::spawn("orgd", &mut cmd)
}

struct Cell {
    rate: f64,
    p50: Option<u32>,
    p99: Option<u32>,
    errors: usize,
}

/// `concurrency` clients, client `i` on replica `i % n`, for `duration`; `op(i, k)` is the
/// `k`-th request of client `i`.
async fn drive(
    apis: &[Arc<Api>],
    concurrency: usize,
    duration: Duration,
    op: fn(&[String], usize, usize) -> (&'static str, serde_json::Value),
    ous: &Arc<Vec<String>>,
) -> anyhow::Result<Cell> {
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|i| {
            let api = apis[i % apis.len()].clone();
            let ous = ous.clone();
            tokio::spawn(async move {
                let (mut lat, mut errors, mut k) = (Vec::new(), 0usize, 0usize);
                while started.elapsed() < duration {
                    let (name, body) = op(&ous, i, k);
                    k += 1;
                    let t = Instant::now();
                    match api.call(name, &body).await? {
                        Reply::Ok(_) => lat.push(micros(t.elapsed())),
                        Reply::Err(status, e) if status >= 500 => bail!("{name}: {status} {e}"),
                        Reply::Err(..) => errors += 1,
                    }
                }
                anyhow::Ok((lat, errors))
            })
        })
        .collect();
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (lat, e) = t.await??;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    Ok(Cell {
        rate: all.len() as f64 / elapsed,
        p50: quantile(&all, 0.5),
        p99: quantile(&all, 0.99),
        errors,
    })
}

fn read(ous: &[String], i: usize, k: usize) -> (&'static str, serde_json::Value) {
    let ou = &ous[(i * 7 + k) % ous.len()];
    (
        "DescribeOrganizationalUnit",
        json!({ "OrganizationalUnitId": ou }),
    )
}

fn write(ous: &[String], i: usize, k: usize) -> (&'static str, serde_json::Value) {
    let ou = &ous[(i * 7 + k) % ous.len()];
    (
        "UpdateOrganizationalUnit",
        json!({ "OrganizationalUnitId": ou, "Name": format!("unit-{i}-{k}") }),
    )
}

fn us(v: Option<u32>) -> String {
    v.map_or("-".into(), |v| format!("{:.1} ms", f64::from(v) / 1000.0))
}

pub async fn run(
    bin: &Path,
    url: &str,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<()> {
    println!(
        "replicas: {concurrency} clients spread over the replicas, {:.1} s per cell, {OUS} OUs",
        duration.as_secs_f64()
    );
    println!(
        "| store | replicas | reads/s | read p50 | read p99 | writes/s | write p50 | write p99 | refused writes |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let setups: [(&str, usize); 4] = [
        ("SQLite", 1),
        ("PostgreSQL", 1),
        ("PostgreSQL", 2),
        ("PostgreSQL", 3),
    ];
    for (store, n) in setups {
        let dir = tempfile::tempdir()?;
        let mut procs = Vec::new();
        let mut apis = Vec::new();
        for _ in 0..n {
            let port = free_port()?;
            let dir_arg = dir.path().to_string_lossy().to_string();
            let args: Vec<&str> = if store == "SQLite" {
                vec!["--data-dir", &dir_arg]
            } else {
                vec!["--database-url", url]
            };
            let mut p = start(bin, port, &args)?;
            let api = Arc::new(Api::new(port, concurrency));
            wait_ready(
                &mut p,
                &api,
                "/_orgd/health",
                true,
                Duration::from_secs(30),
                Duration::from_millis(20),
            )
            .await?;
            procs.push(p);
            apis.push(api);
        }
        // The shared database may hold an earlier run's state: start from nothing.
        let status = apis[0].plain(Method::POST, "/_orgd/reset").await?;
        if status != 200 {
            bail!("reset answered {status}");
        }
        apis[0].ok("CreateOrganization", &json!({})).await?;
        let roots = apis[0].ok("ListRoots", &json!({})).await?;
        let root = roots["Roots"][0]["Id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut ous = Vec::new();
        for i in 0..OUS {
            let ou = apis[0]
                .ok(
                    "CreateOrganizationalUnit",
                    &json!({ "ParentId": root, "Name": format!("unit-{i}") }),
                )
                .await?;
            ous.push(
                ou["OrganizationalUnit"]["Id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        let ous = Arc::new(ous);
        // Every replica has caught up with the set-up before the clock starts.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let r = drive(&apis, concurrency, duration, read, &ous).await?;
        let w = drive(&apis, concurrency, duration, write, &ous).await?;
        println!(
            "| {store} | {n} | {:.0} | {} | {} | {:.0} | {} | {} | {} |",
            r.rate,
            us(r.p50),
            us(r.p99),
            w.rate,
            us(w.p50),
            us(w.p99),
            w.errors + r.errors
        );
        for mut p in procs {
            p.stop(Duration::from_secs(5));
        }
    }
    Ok(())
}

//! The large-organization phase (`--huge-accounts`, orgd only): an organization of N accounts
//! (100,000 by default) is loaded with `orgd import` (creating them through the API would take
//! minutes on two cores; CreateAccount's own cost is the growth phase's subject), then orgd's
//! start-up from disk, its RSS per account and the latency of ListAccounts pages and
//! DescribeAccount at that size are measured.
//!
//! The import document is orgd's own: a small organization with one member created through the
//! API is exported (`GET /_orgd/export`), and that member is copied with new ids, emails and
//! names. The bench thus never restates the shape of the stored entities.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hyper::Method;
use serde_json::{Value, json};

use crate::client::Api;
use crate::load::{self, Plan, Workload, quantile};
use crate::org::{self, Org};
use crate::procs::{ChildGuard, cpu_time, dir_size, free_port, rss_kib, start_orgd, wait_ready};
use crate::{Ceilings, fmt_dur, fmt_kib, fmt_rate, fmt_share, fmt_us};

pub struct Settings {
    /// Accounts in the organization, the management account included.
    pub accounts: usize,
    pub concurrency: usize,
    pub duration: Duration,
    pub restarts: usize,
    pub min_ops_per_client: u64,
    pub max_requests: u64,
}

/// The first id of the generated accounts (12 digits, as AWS's).
const FIRST_ID: u64 = 500_000_000_000;

pub async fn phase(s: &Settings, orgd_bin: &Path, ceiling: &Ceilings) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("orgd-bench-huge-")
        .tempdir()?;
    println!();
    println!(
        "orgd with an organization of {} accounts (loaded with `orgd import`)",
        s.accounts
    );

    // An empty orgd's RSS, and the export of a one-member organization as the template.
    let seed_dir = dir.path().join("seed");
    let port = free_port()?;
    let api = Arc::new(Api::new(port, s.concurrency + 4));
    let mut proc = start(orgd_bin, port, &seed_dir, &api).await?;
    let empty_rss = rss_kib(proc.pid()).context("reading an empty orgd's RSS")?;
    api.ok("CreateOrganization", &json!({"FeatureSet": "ALL"}))
        .await?;
    let member = org::create_account(&api, &Mutex::new(Vec::new()), 0).await?;
    let (status, export) = api.plain_body(Method::GET, "/_orgd/export").await?;
    if status != 200 {
        bail!("GET /_orgd/export: HTTP {status}");
    }
    proc.stop(Duration::from_secs(10));
    let mut doc: Value = serde_json::from_slice(&export).context("reading the export")?;
    let ids = grow_export(&mut doc, &member, s.accounts)?;
    let file = dir.path().join("export.json");
    std::fs::write(&file, serde_json::to_vec(&doc)?)?;
    drop(doc);

    let data = dir.path().join("data");
    let t = Instant::now();
    let out = Command::new(orgd_bin)
        .arg("import")
        .arg("--data-dir")
        .arg(&data)
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .context("running orgd import")?;
    if !out.status.success() {
        bail!(
            "orgd import failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "  orgd import of {} accounts: {} ({:.1} MiB document); data dir: {:.1} MiB",
        s.accounts,
        fmt_dur(t.elapsed()),
        std::fs::metadata(&file).map_or(0, |m| m.len()) as f64 / 1048576.0,
        dir_size(&data) as f64 / 1048576.0
    );

    // Start-up from disk, several times; the last process stays up for the reads.
    let mut startups = Vec::new();
    let mut proc = None::<ChildGuard>;
    let mut port = 0;
    for _ in 0..s.restarts {
        if let Some(mut p) = proc.take() {
            p.stop(Duration::from_secs(30));
        }
        port = free_port()?;
        let api = Arc::new(Api::new(port, 2));
        let t = Instant::now();
        let p = start(orgd_bin, port, &data, &api).await?;
        startups.push(t.elapsed());
        proc = Some(p);
    }
    let mut proc = proc.context("no start-up")?;
    let rss = rss_kib(proc.pid()).context("reading orgd's RSS")?;
    let mut sorted = startups.clone();
    sorted.sort();
    println!(
        "  start-up from disk until /_orgd/health answered 200: median {} of {} ({})",
        fmt_dur(sorted[sorted.len() / 2]),
        startups.len(),
        startups
            .iter()
            .map(|d| fmt_dur(*d))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  RSS after start-up: {} (an empty orgd: {}); per account: {:.2} KiB",
        fmt_kib(Some(rss)),
        fmt_kib(Some(empty_rss)),
        rss.saturating_sub(empty_rss) as f64 / s.accounts as f64
    );

    // Reads at that size.
    let api = Arc::new(Api::new(port, s.concurrency + 4));
    let last = ids.last().context("no account generated")?;
    api.ok("DescribeAccount", &json!({"AccountId": last}))
        .await
        .context("the imported organization lacks its last account")?;
    let org = Org {
        root: String::new(),
        ous: Vec::new(),
        accounts: ids.into_iter().map(|id| (id, None)).collect(),
        busy_ou: None,
        deep_account: None,
    };
    println!();
    println!(
        "| read, {} accounts | orgd req/s | p50 | p99 | orgd CPU/op | share of the hyper ceiling ({}) | share of the ceiling answering a page |",
        s.accounts,
        ceiling
            .small
            .map_or("-".to_string(), |c| format!("{} bytes", c.1))
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (wl, label) in [
        (
            Workload::ListAccountsPage,
            "ListAccounts, a page of 20 (walking the whole listing)",
        ),
        (Workload::DescribeAccount, "DescribeAccount"),
    ] {
        eprintln!("orgd, {} accounts: {wl:?}...", s.accounts);
        let plan = Arc::new(Plan::new(wl, &org, s.concurrency));
        let cpu_before = cpu_time(Some(proc.pid()));
        let mut m = load::run(
            api.clone(),
            plan,
            s.concurrency,
            s.duration,
            s.min_ops_per_client,
            s.max_requests,
        )
        .await;
        let cpu = cpu_time(Some(proc.pid()))
            .zip(cpu_before)
            .map(|(a, b)| a.saturating_sub(b));
        if m.errors > 0 {
            println!(
                "! {label}: {} errors; first: {}",
                m.errors,
                m.first_error.as_deref().unwrap_or("-")
            );
        }
        m.ops.sort_unstable();
        let rate = m.ops.len() as f64 / m.elapsed.as_secs_f64().max(1e-9);
        let page = match wl {
            Workload::ListAccountsPage => fmt_share(rate, ceiling.page.map(|c| c.0)),
            _ => "-".to_string(),
        };
        println!(
            "| {label} | {} | {} | {} | {} | {} | {page} |",
            fmt_rate(rate),
            fmt_us(quantile(&m.ops, 0.50)),
            fmt_us(quantile(&m.ops, 0.99)),
            match cpu {
                Some(d) if !m.ops.is_empty() && !d.is_zero() =>
                    format!("{:.0} µs", d.as_secs_f64() * 1e6 / m.ops.len() as f64),
                _ => "-".to_string(),
            },
            fmt_share(rate, ceiling.small.map(|c| c.0))
        );
    }
    println!(
        "  RSS after the reads: {}",
        fmt_kib(rss_kib(proc.pid()).ok())
    );
    proc.stop(Duration::from_secs(10));
    Ok(())
}

/// orgd over `data_dir` on `port`, once `/_orgd/health` answers 200.
async fn start(bin: &Path, port: u16, data_dir: &Path, api: &Api) -> anyhow::Result<ChildGuard> {
    let mut proc = start_orgd(bin, port, data_dir)?;
    wait_ready(
        &mut proc,
        api,
        "/_orgd/health",
        true,
        Duration::from_secs(120),
        Duration::from_millis(1),
    )
    .await?;
    Ok(proc)
}

/// Adds copies of `member` to the export `doc` until its organization holds `total` accounts
/// (ids from `FIRST_ID`, emails and names `huge-N`); every account's id, in id order.
fn grow_export(doc: &mut Value, member: &str, total: usize) -> anyhow::Result<Vec<String>> {
    let accounts = doc["accounts"]
        .as_array_mut()
        .context("the export has no accounts")?;
    let template = accounts
        .iter()
        .find(|a| a["id"] == member)
        .cloned()
        .context("the export lacks the created member")?;
    let mut n = 0u64;
    while accounts.len() < total {
        let id = format!("{:012}", FIRST_ID + n);
        n += 1;
        if id == member {
            continue;
        }
        let mut a = template.clone();
        a["id"] = json!(id);
        a["email"] = json!(format!("huge-{n}@example.com"));
        a["name"] = json!(format!("huge-{n}"));
        accounts.push(a);
    }
    accounts.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Ok(accounts
        .iter()
        .filter_map(|a| a["id"].as_str().map(str::to_string))
        .collect())
}

//! orgd-bench: builds the same organization in orgd and in moto_server through the API, drives
//! both with the same concurrent SigV4-signed load, and prints one table; then measures orgd's
//! memory with a large organization and its start-up time over it.
//!
//! `cargo run --release -p orgd-bench -- --help`

mod ceiling;
mod client;
mod huge;
mod load;
mod org;
mod procs;
mod replicas;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use serde_json::json;

use client::Api;
use load::{Measured, Plan, Workload, quantile};
use procs::{
    ChildGuard, cpu_time, dir_size, free_port, rss_kib, start_moto, start_orgd, wait_ready, which,
};

/// Benchmark orgd against moto_server over the AWS Organizations API.
#[derive(Parser, Debug)]
#[command(name = "orgd-bench")]
struct Args {
    /// Member accounts in the benchmark organization [default: 1000; --quick: 20].
    #[arg(long)]
    accounts: Option<usize>,
    /// OUs in the benchmark organization, up to five levels deep [default: 200; --quick: 10].
    #[arg(long)]
    ous: Option<usize>,
    /// Concurrent clients [default: 16; --quick: 4].
    #[arg(long)]
    concurrency: Option<usize>,
    /// Measured seconds per workload and server [default: 3; --quick: 0.4].
    #[arg(long)]
    duration_secs: Option<f64>,
    /// Policies in the benchmark organization, half SCPs and half tag policies (when orgd
    /// serves policies) [default: 50; --quick: 4].
    #[arg(long)]
    policies: Option<usize>,
    /// Accounts of the memory and start-up phase (orgd only; 0 skips it) [default: 10000;
    /// --quick: 200].
    #[arg(long)]
    big_accounts: Option<usize>,
    /// Organization sizes (member accounts) at which CreateAccount throughput is measured,
    /// comma-separated and ascending; orgd only beyond the first size, in a fresh data dir
    /// (0 skips the phase) [default: 1000,20000; --quick: 50,200].
    #[arg(long, value_delimiter = ',')]
    growth_accounts: Option<Vec<usize>>,
    /// Accounts (the management account included) of the large-organization phase: start-up
    /// from disk, RSS per account, ListAccounts pages and DescribeAccount at that size; the
    /// organization is loaded with `orgd import` (0 skips the phase) [default: 100000;
    /// --quick: 2000].
    #[arg(long)]
    huge_accounts: Option<usize>,
    /// Accounts created to measure CreateAccount throughput at each size [default: 1000;
    /// --quick: 25].
    #[arg(long)]
    growth_sample: Option<usize>,
    /// Cap on the requests of one workload on one server (operations, a listing counting once).
    #[arg(long, default_value_t = 2_000_000)]
    max_requests: u64,
    /// Each client does at least this many operations of a workload, even past
    /// --duration-secs (so that slow servers give enough samples), within a hard limit of 60 s
    /// more.
    #[arg(long, default_value_t = 2)]
    min_ops_per_client: u64,
    /// Worker threads of the bench's own client runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
    /// How many times orgd is restarted over the large data dir to time its start-up.
    #[arg(long, default_value_t = 3)]
    restarts: usize,
    /// Run only the replicas benchmark: reads and writes over 1, 2 and 3 orgd replicas on this
    /// PostgreSQL database (`postgresql://USER@HOST:PORT/DB`; its state is reset), beside one
    /// orgd over SQLite.
    #[arg(long)]
    replicas_database_url: Option<String>,
    /// Do not run moto_server (orgd columns only).
    #[arg(long)]
    skip_moto: bool,
    /// The orgd binary [default: build it with `cargo build --release --bin orgd` and use
    /// target/release/orgd].
    #[arg(long)]
    orgd_bin: Option<PathBuf>,
    /// The moto_server executable [default: moto_server on PATH].
    #[arg(long)]
    moto_bin: Option<PathBuf>,
    /// The workloads to run, comma-separated [default: all].
    #[arg(long, value_enum, value_delimiter = ',')]
    workloads: Vec<Workload>,
    /// Tiny sizes and short windows (about 10 s in all), for CI's smoke run.
    #[arg(long)]
    quick: bool,
    /// orgd's `--log` filter: `info` (orgd's default) logs a line per request, `warn` none.
    #[arg(long, default_value = "info")]
    orgd_log: String,
    /// (Internal) serve the hyper ceiling on this port instead of benchmarking.
    #[arg(long, hide = true, requires = "ceiling_body")]
    ceiling_serve: Option<u16>,
    /// (Internal) the file holding the ceiling's fixed answer.
    #[arg(long, hide = true)]
    ceiling_body: Option<PathBuf>,
}

/// The settings after applying `--quick` and the defaults.
struct Settings {
    accounts: usize,
    ous: usize,
    policies: usize,
    concurrency: usize,
    duration: Duration,
    big_accounts: usize,
    /// Organization sizes of the CreateAccount growth phase (empty: no phase).
    growth_sizes: Vec<usize>,
    growth_sample: usize,
    /// Accounts of the large-organization phase (0: no phase).
    huge_accounts: usize,
}

impl Args {
    fn settings(&self) -> anyhow::Result<Settings> {
        let q = self.quick;
        let secs = self.duration_secs.unwrap_or(if q { 0.4 } else { 3.0 });
        if !(secs > 0.0 && secs <= 600.0) {
            bail!("--duration-secs must be in (0, 600]");
        }
        let s = Settings {
            accounts: self.accounts.unwrap_or(if q { 20 } else { 1000 }),
            ous: self.ous.unwrap_or(if q { 10 } else { 200 }),
            policies: self.policies.unwrap_or(if q { 4 } else { 50 }),
            concurrency: self.concurrency.unwrap_or(if q { 4 } else { 16 }),
            duration: Duration::from_secs_f64(secs),
            big_accounts: self.big_accounts.unwrap_or(if q { 200 } else { 10_000 }),
            growth_sizes: match &self.growth_accounts {
                Some(sizes) => sizes.iter().copied().filter(|n| *n > 0).collect(),
                None if q => vec![50, 200],
                None => vec![1_000, 20_000],
            },
            growth_sample: self.growth_sample.unwrap_or(if q { 25 } else { 1000 }),
            huge_accounts: self
                .huge_accounts
                .unwrap_or(if q { 2_000 } else { 100_000 }),
        };
        if s.huge_accounts == 1 || s.huge_accounts > 1_000_000 {
            bail!("--huge-accounts: 0 (no phase), or 2 to 1000000");
        }
        if !s.growth_sizes.is_sorted_by(|a, b| a < b) {
            bail!("--growth-accounts: sizes must be ascending");
        }
        if s.growth_sample == 0 && !s.growth_sizes.is_empty() {
            bail!("--growth-sample must be at least 1");
        }
        if s.growth_sizes
            .last()
            .is_some_and(|n| n + s.growth_sample > 99_000)
        {
            bail!("--growth-accounts and --growth-sample: at most 99000 accounts in all");
        }
        if s.concurrency == 0 || s.concurrency > 1024 {
            bail!("--concurrency must be 1 to 1024");
        }
        if s.policies > 1000 {
            bail!("--policies: at most 1000");
        }
        if s.ous > 1000 {
            bail!("--ous: orgd allows at most 1000 OUs per organization");
        }
        if s.accounts > 99_000 || s.big_accounts > 99_000 {
            bail!("--accounts and --big-accounts: at most 99000 (orgd's default quota)");
        }
        Ok(s)
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let (Some(port), Some(body)) = (args.ceiling_serve, &args.ceiling_body) {
        return ceiling::serve(port, body);
    }
    let settings = args.settings()?;
    procs::set_orgd_log(&args.orgd_log);
    let orgd_bin = orgd_binary(&args)?;
    if let Some(url) = &args.replicas_database_url {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.client_threads.max(1))
            .enable_all()
            .build()?;
        return rt.block_on(replicas::run(
            &orgd_bin,
            url,
            settings.concurrency,
            settings.duration,
        ));
    }
    let moto_bin = match (args.skip_moto, &args.moto_bin) {
        (true, _) => None,
        (false, Some(p)) => Some(p.clone()),
        (false, None) => {
            let found = which("moto_server");
            if found.is_none() {
                println!("moto_server is not on PATH: measuring orgd only");
            }
            found
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads.max(1))
        .enable_all()
        .build()?;
    rt.block_on(run(&args, &settings, &orgd_bin, moto_bin.as_deref()))
}

/// The orgd binary: `--orgd-bin`, or the workspace's release build (brought up to date first).
fn orgd_binary(args: &Args) -> anyhow::Result<PathBuf> {
    if let Some(bin) = &args.orgd_bin {
        if !bin.is_file() {
            bail!("--orgd-bin {}: no such file", bin.display());
        }
        return Ok(bin.clone());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building orgd: cargo build --release --bin orgd");
    let status = Command::new(cargo)
        .args(["build", "--release", "--bin", "orgd"])
        .current_dir(&root)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release --bin orgd failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("release").join("orgd");
    if !bin.is_file() {
        bail!("{} not found after building", bin.display());
    }
    Ok(bin.canonicalize()?)
}

/// A server under test: its process, its client, and its column of results.
struct Server {
    name: &'static str,
    proc: ChildGuard,
    api: Arc<Api>,
}

/// One cell of the table: one workload on one server.
struct Cell {
    rate: f64,
    p50: Option<u32>,
    p99: Option<u32>,
    count: usize,
    errors: u64,
    first_error: Option<String>,
    /// CPU time the server and the bench itself used during the measurement.
    server_cpu: Option<Duration>,
    client_cpu: Option<Duration>,
}

impl Cell {
    fn from_latencies(
        mut lat: Vec<u32>,
        elapsed: Duration,
        errors: u64,
        err: Option<String>,
    ) -> Cell {
        lat.sort_unstable();
        Cell {
            rate: lat.len() as f64 / elapsed.as_secs_f64().max(1e-9),
            p50: quantile(&lat, 0.50),
            p99: quantile(&lat, 0.99),
            count: lat.len(),
            errors,
            first_error: err,
            server_cpu: None,
            client_cpu: None,
        }
    }
}

struct Row {
    label: String,
    /// orgd, moto
    cells: [Option<Cell>; 2],
    /// Replaces the throughput ratio (the build row compares times).
    ratio_override: Option<f64>,
}

async fn run(
    args: &Args,
    s: &Settings,
    orgd_bin: &Path,
    moto_bin: Option<&Path>,
) -> anyhow::Result<()> {
    let pool = s.concurrency + 4;
    let orgd_dir = tempfile::Builder::new().prefix("orgd-bench-").tempdir()?;

    // Both servers side by side on loopback.
    let orgd_port = free_port()?;
    let orgd_proc = start_orgd(orgd_bin, orgd_port, orgd_dir.path())?;
    let mut moto = match moto_bin {
        Some(bin) => {
            let port = free_port()?;
            Some(Server {
                name: "moto",
                proc: start_moto(bin, port)?,
                api: Arc::new(Api::new(port, pool)),
            })
        }
        None => None,
    };
    let mut orgd = Server {
        name: "orgd",
        proc: orgd_proc,
        api: Arc::new(Api::new(orgd_port, pool)),
    };
    wait_ready(
        &mut orgd.proc,
        &orgd.api,
        "/_orgd/health",
        true,
        Duration::from_secs(30),
        Duration::from_millis(2),
    )
    .await?;
    if let Some(m) = moto.as_mut() {
        wait_ready(
            &mut m.proc,
            &m.api,
            "/",
            false,
            Duration::from_secs(60),
            Duration::from_millis(50),
        )
        .await?;
    }

    println!(
        "orgd-bench: {} member accounts, {} OUs, {} policies, {} concurrent clients, {:.1} s per workload{}",
        s.accounts,
        s.ous,
        s.policies,
        s.concurrency,
        s.duration.as_secs_f64(),
        if moto.is_some() {
            ", orgd and moto"
        } else {
            ", orgd only"
        },
    );
    println!("orgd: {}", orgd_bin.display());
    println!(
        "machine: {} cores, load average before the run: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".to_string())
    );
    // Policies go into the organization only when orgd serves them (older builds did not).
    let serves_policies = !matches!(
        orgd.api
            .call("ListPolicies", &json!({"Filter": "SERVICE_CONTROL_POLICY"}))
            .await,
        Ok(client::Reply::Err(_, ref e)) if e.contains("UnknownOperation")
    );
    let n_policies = if serves_policies { s.policies } else { 0 };
    if !serves_policies && s.policies > 0 {
        println!(
            "pending the policy issue: this orgd does not serve policies; no policies and no \
             DescribeEffectivePolicy workload"
        );
    }

    let mut servers: Vec<&Server> = vec![&orgd];
    if let Some(m) = moto.as_ref() {
        servers.push(m);
    }

    // Build the organization in each server.
    let mut rows = Vec::new();
    let mut orgs = Vec::new();
    let mut build_cells: [Option<Cell>; 2] = [None, None];
    let mut build_secs = [0.0f64; 2];
    for (i, srv) in servers.iter().enumerate() {
        eprintln!("{}: building the organization...", srv.name);
        let shape = org::Shape {
            accounts: s.accounts,
            ous: s.ous,
            policies: n_policies,
            concurrency: s.concurrency,
        };
        let (o, report) = org::build(srv.api.clone(), shape)
            .await
            .with_context(|| format!("building the organization in {}", srv.name))?;
        eprintln!(
            "{}: built in {:.2} s ({} calls)",
            srv.name,
            report.elapsed.as_secs_f64(),
            report.latencies.len()
        );
        build_secs[i] = report.elapsed.as_secs_f64();
        build_cells[i] = Some(Cell::from_latencies(
            report.latencies,
            report.elapsed,
            0,
            None,
        ));
        orgs.push(o);
    }
    let build_label = format!(
        "build org from empty (calls/s; orgd {:.2} s{})",
        build_secs[0],
        if servers.len() > 1 {
            format!(", moto {:.2} s; ratio of times", build_secs[1])
        } else {
            String::new()
        }
    );
    rows.push(Row {
        label: build_label,
        ratio_override: (servers.len() > 1).then(|| build_secs[1] / build_secs[0]),
        cells: build_cells,
    });

    // The hyper ceiling, measured just before the reads that are compared with it: answering
    // orgd's DescribeOrganization answer, and answering orgd's first ListAccounts page.
    let wanted = |w| args.workloads.is_empty() || args.workloads.contains(&w);
    let mut ceiling = Ceilings::default();
    if wanted(Workload::DescribeOrganization) || wanted(Workload::ListAccounts) {
        for (wl, what) in [
            (
                Workload::DescribeOrganization,
                "DescribeOrganization's answer",
            ),
            (Workload::ListAccountsPage, "a ListAccounts page's answer"),
        ] {
            let (cell, size) = measure_ceiling(args, s, &orgd.api, &orgs[0], wl).await?;
            let rate = Some((cell.rate, size));
            match wl {
                Workload::DescribeOrganization => ceiling.small = rate,
                _ => ceiling.page = rate,
            }
            rows.push(Row {
                label: format!(
                    "hyper ceiling: a bare hyper server answering a fixed {size}-byte body \
                     ({what})"
                ),
                cells: [Some(cell), None],
                ratio_override: None,
            });
        }
    }
    // orgd's reads beside the ceiling: (label, requests per second).
    let mut beside = Vec::new();

    // The workloads, orgd then moto for each.
    for wl in Workload::ALL {
        if !args.workloads.is_empty() && !args.workloads.contains(&wl) {
            continue;
        }
        if (wl == Workload::DescribeEffectivePolicy || wl.as_member()) && n_policies == 0 {
            continue;
        }
        let mut cells: [Option<Cell>; 2] = [None, None];
        let mut page_cells: [Option<Cell>; 2] = [None, None];
        let mut items = 0;
        for (i, srv) in servers.iter().enumerate() {
            let plan = Arc::new(Plan::new(wl, &orgs[i], s.concurrency));
            items = plan.expect_items;
            if wl == Workload::DescribeEffectivePolicy {
                // moto does not compute effective policies: leave its cells empty.
                let probe = srv
                    .api
                    .call(
                        "DescribeEffectivePolicy",
                        &serde_json::from_slice(&plan.body)?,
                    )
                    .await?;
                match probe {
                    client::Reply::Err(status, e) => {
                        let e = if e.starts_with('<') {
                            "not JSON"
                        } else {
                            e.as_str()
                        };
                        println!(
                            "{} does not answer DescribeEffectivePolicy (HTTP {status}: {})",
                            srv.name,
                            e.lines().next().unwrap_or("")
                        );
                        continue;
                    }
                    client::Reply::Ok(v) => {
                        let content = v["EffectivePolicy"]["PolicyContent"].as_str().unwrap_or("");
                        if !content.contains("benchtag0") {
                            println!(
                                "warning: {}'s effective tag policy lacks the bench's tags: {content}",
                                srv.name
                            );
                        }
                    }
                }
            }
            eprintln!("{}: {wl:?}...", srv.name);
            let api = match (&orgs[i].deep_account, wl.as_member()) {
                (Some((member, _)), true) => Arc::new(srv.api.as_account(member)),
                _ => srv.api.clone(),
            };
            let (m, (server_cpu, client_cpu)) = run_load(args, s, api, plan, srv.proc.pid()).await;
            let elapsed = m.elapsed;
            if wl.is_listing() {
                let mut c = Cell::from_latencies(m.pages, elapsed, 0, None);
                (c.server_cpu, c.client_cpu) = (server_cpu, client_cpu);
                page_cells[i] = Some(c);
            }
            let mut c = Cell::from_latencies(m.ops, elapsed, m.errors, m.first_error);
            (c.server_cpu, c.client_cpu) = (server_cpu, client_cpu);
            cells[i] = Some(c);
        }
        let label = match wl {
            Workload::DescribeOrganization => "DescribeOrganization".to_string(),
            Workload::MemberDescribeOrganization => format!(
                "DescribeOrganization as a member {} OUs deep, SCPs on its path",
                org::level_sizes(s.ous).len()
            ),
            Workload::MemberListAccounts => format!(
                "ListAccounts as a member (delegated administrator) {} OUs deep, SCPs on its \
                 path, full listing of {items}",
                org::level_sizes(s.ous).len()
            ),
            Workload::ListAccounts => {
                format!("ListAccounts, full listing of {items} (MaxResults 20)")
            }
            Workload::ListChildren => {
                format!("ListChildren ACCOUNT of the busy OU, full listing of {items}")
            }
            Workload::CreateDeleteOu => {
                "CreateOrganizationalUnit + DeleteOrganizationalUnit (per write)".to_string()
            }
            Workload::MoveAccount => "MoveAccount back and forth".to_string(),
            Workload::CreateAccountGrowth
            | Workload::HugeAccounts
            | Workload::DescribeAccount
            | Workload::ListAccountsPage => unreachable!("{wl:?} is not in Workload::ALL"),
            Workload::DescribeEffectivePolicy => format!(
                "DescribeEffectivePolicy TAG_POLICY, account {} OUs deep, {} tag policies",
                org::level_sizes(s.ous).len(),
                orgs[0].deep_account.as_ref().map_or(0, |d| d.1)
            ),
        };
        match (wl, &cells[0], &page_cells[0]) {
            (Workload::DescribeOrganization, Some(c), _) => {
                beside.push(("DescribeOrganization".to_string(), c.rate, false))
            }
            (Workload::ListAccounts, _, Some(c)) => beside.push((
                format!("ListAccounts, a page of 20 ({items} accounts)"),
                c.rate,
                true,
            )),
            _ => {}
        }
        rows.push(Row {
            label,
            cells,
            ratio_override: None,
        });
        if wl.is_listing() {
            rows.push(Row {
                label: "  the same, per page".to_string(),
                cells: page_cells,
                ratio_override: None,
            });
        }
    }

    let orgd_rss = rss_kib(orgd.proc.pid()).ok();
    let moto_rss = moto.as_ref().and_then(|m| rss_kib(m.proc.pid()).ok());
    print_table(&rows, servers.len() > 1);
    print_errors(&rows);
    print_cpu(&rows, servers.len() > 1);
    print_beside_ceiling(&ceiling, &beside);
    println!();
    println!(
        "RSS after the workloads ({} accounts): orgd {}{}",
        s.accounts,
        fmt_kib(orgd_rss),
        match moto_rss {
            Some(k) => format!(", moto {}", fmt_kib(Some(k))),
            None => String::new(),
        }
    );
    let orgd_stopped = orgd.proc.stop(Duration::from_secs(10));
    if !orgd_stopped {
        println!("note: orgd did not stop on SIGTERM within 10 s");
    }
    if let Some(mut m) = moto {
        m.proc.stop(Duration::from_secs(3));
    }

    if s.big_accounts > 0 {
        big_phase(args, s, orgd_bin).await?;
    }
    if s.huge_accounts > 0 && wanted(Workload::HugeAccounts) {
        huge::phase(
            &huge::Settings {
                accounts: s.huge_accounts,
                concurrency: s.concurrency,
                duration: s.duration,
                restarts: args.restarts.max(1),
                min_ops_per_client: args.min_ops_per_client,
                max_requests: args.max_requests,
            },
            orgd_bin,
            &ceiling,
        )
        .await?;
    }
    let growth_wanted =
        args.workloads.is_empty() || args.workloads.contains(&Workload::CreateAccountGrowth);
    if growth_wanted && !s.growth_sizes.is_empty() {
        // moto's start-up alone would double the phase's time in the smoke run.
        let moto = if args.quick { None } else { moto_bin };
        growth_phase(s, orgd_bin, moto).await?;
    }
    Ok(())
}

/// CreateAccount throughput at each size of `growth_sizes`: a fresh server and organization
/// grows to the size, then `growth_sample` more accounts are created and timed. orgd at every
/// size; moto (when it runs) at the first size only, as it would take too long beyond.
async fn growth_phase(
    s: &Settings,
    orgd_bin: &Path,
    moto_bin: Option<&Path>,
) -> anyhow::Result<()> {
    println!();
    println!(
        "CreateAccount as the organization grows: at each size, {} accounts created with \
         CreateAccount (+ DescribeCreateAccountStatus until SUCCEEDED), {} concurrent; fresh \
         servers (orgd with a fresh data dir)",
        s.growth_sample, s.concurrency
    );
    let dir = tempfile::Builder::new()
        .prefix("orgd-bench-growth-")
        .tempdir()?;
    let port = free_port()?;
    let orgd_api = Arc::new(Api::new(port, s.concurrency + 4));
    let mut orgd = start_orgd(orgd_bin, port, dir.path())?;
    wait_ready(
        &mut orgd,
        &orgd_api,
        "/_orgd/health",
        true,
        Duration::from_secs(30),
        Duration::from_millis(2),
    )
    .await?;
    let orgd_rates = grow(s, &orgd_api, Some(orgd.pid()), &s.growth_sizes).await?;
    orgd.stop(Duration::from_secs(10));

    let mut moto_rate = None;
    if let Some(bin) = moto_bin {
        let port = free_port()?;
        let api = Arc::new(Api::new(port, s.concurrency + 4));
        let mut moto = start_moto(bin, port)?;
        wait_ready(
            &mut moto,
            &api,
            "/",
            false,
            Duration::from_secs(60),
            Duration::from_millis(50),
        )
        .await?;
        let first = &s.growth_sizes[..1];
        moto_rate = grow(s, &api, Some(moto.pid()), first).await?.pop();
        moto.stop(Duration::from_secs(3));
    }

    println!();
    println!(
        "| member accounts | orgd accounts/s | orgd call p50 | orgd call p99 | orgd CPU/account | moto accounts/s |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, (n, g)) in s.growth_sizes.iter().zip(&orgd_rates).enumerate() {
        let moto = match (&moto_rate, i) {
            (Some(m), 0) => fmt_rate(m.rate),
            (None, 0) => "-".to_string(),
            _ => "n/a".to_string(),
        };
        println!(
            "| {n} | {} | {} | {} | {} | {moto} |",
            fmt_rate(g.rate),
            fmt_us(g.p50),
            fmt_us(g.p99),
            // (The kernel counts CPU time in 10 ms ticks: a small sample may show none.)
            match g.cpu {
                Some(d) if !d.is_zero() =>
                    format!("{:.0} µs", d.as_secs_f64() * 1e6 / s.growth_sample as f64),
                _ => "-".to_string(),
            },
        );
    }
    if let (Some(first), Some(last)) = (orgd_rates.first(), orgd_rates.last())
        && orgd_rates.len() > 1
    {
        println!(
            "orgd CreateAccount rate at {} accounts / at {}: {:.2}",
            s.growth_sizes.last().unwrap_or(&0),
            s.growth_sizes[0],
            last.rate / first.rate.max(1e-9)
        );
    }
    Ok(())
}

/// One size's measurement of the growth phase.
struct Growth {
    /// Accounts per second, each created and settled.
    rate: f64,
    /// Latency of the API calls made (CreateAccount and DescribeCreateAccountStatus).
    p50: Option<u32>,
    p99: Option<u32>,
    /// CPU time the server used while the sample was created.
    cpu: Option<Duration>,
}

/// Creates an organization, grows it to each of `sizes` member accounts in turn and times the
/// creation of `growth_sample` more at each.
async fn grow(
    s: &Settings,
    api: &Arc<Api>,
    pid: Option<u32>,
    sizes: &[usize],
) -> anyhow::Result<Vec<Growth>> {
    api.ok("CreateOrganization", &json!({"FeatureSet": "ALL"}))
        .await?;
    let mut made = 0;
    let mut out = Vec::new();
    let create = |from: usize, n: usize, lat: Arc<Mutex<Vec<u32>>>| {
        let api = api.clone();
        org::parallel(n, s.concurrency, move |i| {
            let (api, lat) = (api.clone(), lat.clone());
            async move { org::create_account(&api, &lat, from + i).await }
        })
    };
    for &size in sizes {
        let t = Instant::now();
        if size > made {
            create(made, size - made, Arc::new(Mutex::new(Vec::new())))
                .await
                .with_context(|| format!("growing the organization to {size} accounts"))?;
            eprintln!(
                "growth: {} accounts created in {}",
                size - made,
                fmt_dur(t.elapsed())
            );
            made = size;
        }
        let lat = Arc::new(Mutex::new(Vec::new()));
        let cpu_before = cpu_time(pid);
        let t = Instant::now();
        create(made, s.growth_sample, lat.clone())
            .await
            .with_context(|| format!("timing CreateAccount at {size} accounts"))?;
        let elapsed = t.elapsed();
        let cpu = cpu_time(pid)
            .zip(cpu_before)
            .map(|(a, b)| a.saturating_sub(b));
        made += s.growth_sample;
        let mut lat = std::mem::take(&mut *lat.lock().unwrap());
        lat.sort_unstable();
        out.push(Growth {
            rate: s.growth_sample as f64 / elapsed.as_secs_f64().max(1e-9),
            p50: quantile(&lat, 0.50),
            p99: quantile(&lat, 0.99),
            cpu,
        });
        eprintln!(
            "growth: at {size} accounts, {:.0} accounts/s",
            out.last().map_or(0.0, |g| g.rate)
        );
    }
    Ok(out)
}

/// Memory with `big_accounts` accounts and start-up time over them (orgd only).
async fn big_phase(args: &Args, s: &Settings, orgd_bin: &Path) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("orgd-bench-big-")
        .tempdir()?;
    let port = free_port()?;
    let api = Arc::new(Api::new(port, s.concurrency + 4));
    let mut proc = start_orgd(orgd_bin, port, dir.path())?;
    let empty_start = wait_ready(
        &mut proc,
        &api,
        "/_orgd/health",
        true,
        Duration::from_secs(30),
        Duration::from_millis(1),
    )
    .await?;
    println!();
    println!(
        "orgd with {} accounts (fresh data dir; start-up over an empty one: {})",
        s.big_accounts,
        fmt_dur(empty_start)
    );

    api.ok("CreateOrganization", &json!({"FeatureSet": "ALL"}))
        .await?;
    let t = Instant::now();
    let lat = Arc::new(Mutex::new(Vec::new()));
    let api2 = api.clone();
    let lat2 = lat.clone();
    org::parallel(s.big_accounts, s.concurrency, move |i| {
        let (api, lat) = (api2.clone(), lat2.clone());
        async move { org::create_account(&api, &lat, i).await }
    })
    .await
    .context("creating the accounts of the large phase")?;
    let created = t.elapsed();
    let listed = client::list_all(
        &api,
        "ListAccounts",
        json!({"MaxResults": 20}),
        "Accounts",
        100_000,
        None,
    )
    .await?
    .len();
    if listed != s.big_accounts + 1 {
        bail!(
            "ListAccounts lists {listed} accounts, expected {}",
            s.big_accounts + 1
        );
    }
    let rss = rss_kib(proc.pid()).ok();
    println!(
        "  created {} accounts with CreateAccount (+ DescribeCreateAccountStatus) in {:.2} s ({:.0} accounts/s, {} concurrent)",
        s.big_accounts,
        created.as_secs_f64(),
        s.big_accounts as f64 / created.as_secs_f64(),
        s.concurrency
    );
    println!("  RSS: {}", fmt_kib(rss));
    println!(
        "  data dir: {:.1} MiB",
        dir_size(dir.path()) as f64 / 1048576.0
    );

    let mut startups = Vec::new();
    for round in 0..args.restarts {
        let t = Instant::now();
        if !proc.stop(Duration::from_secs(30)) {
            bail!("orgd did not stop on SIGTERM");
        }
        let stop = t.elapsed();
        let fresh = Arc::new(Api::new(port, 2));
        let t = Instant::now();
        proc = start_orgd(orgd_bin, port, dir.path())?;
        wait_ready(
            &mut proc,
            &fresh,
            "/_orgd/health",
            true,
            Duration::from_secs(60),
            Duration::from_millis(1),
        )
        .await?;
        let spawn_to_200 = t.elapsed();
        startups.push(spawn_to_200);
        println!(
            "  restart {}: stopped on SIGTERM in {}, start-up until /_orgd/health answered 200: {}",
            round + 1,
            fmt_dur(stop),
            fmt_dur(spawn_to_200)
        );
    }
    if !startups.is_empty() {
        // Check that the restarted orgd really holds the organization.
        let listed = client::list_all(
            &api,
            "ListAccounts",
            json!({"MaxResults": 20}),
            "Accounts",
            100_000,
            None,
        )
        .await?
        .len();
        if listed != s.big_accounts + 1 {
            bail!("after restart, ListAccounts lists {listed} accounts");
        }
        startups.sort();
        println!(
            "  start-up over {} accounts: median {} (of {}); RSS after start-up: {}",
            s.big_accounts,
            fmt_dur(startups[startups.len() / 2]),
            startups.len(),
            fmt_kib(rss_kib(proc.pid()).ok())
        );
    }
    proc.stop(Duration::from_secs(10));
    Ok(())
}

/// The hyper ceilings: the rates of a bare hyper server answering a fixed body (orgd's own answer)
/// to the same clients and load as orgd's reads, with the size of that body.
#[derive(Default, Clone, Copy)]
pub(crate) struct Ceilings {
    /// Answering DescribeOrganization's answer (DescribeOrganization requests).
    pub small: Option<(f64, usize)>,
    /// Answering a ListAccounts page of 20 (ListAccounts requests, one page each).
    pub page: Option<(f64, usize)>,
}

/// A hyper ceiling with the same clients and load as the workload `wl` (DescribeOrganization,
/// or ListAccountsPage): its requests, signed, to a bare hyper server answering what orgd
/// answers to the first of them. The cell, and the size of the body it answers.
async fn measure_ceiling(
    args: &Args,
    s: &Settings,
    orgd: &Api,
    org: &org::Org,
    wl: Workload,
) -> anyhow::Result<(Cell, usize)> {
    let (op, request) = match wl {
        Workload::DescribeOrganization => ("DescribeOrganization", "{}"),
        _ => ("ListAccounts", r#"{"MaxResults":20}"#),
    };
    let (status, body) = orgd.send(op, request.into()).await?;
    if status != hyper::StatusCode::OK {
        bail!("{op}: HTTP {status}");
    }
    let dir = tempfile::Builder::new()
        .prefix("orgd-bench-ceiling-")
        .tempdir()?;
    let port = free_port()?;
    let api = Arc::new(Api::new(port, s.concurrency + 4));
    let mut proc = ceiling::start(port, &body, &dir.path().join("answer.json"))?;
    wait_ready(
        &mut proc,
        &api,
        "/",
        true,
        Duration::from_secs(10),
        Duration::from_millis(2),
    )
    .await?;
    eprintln!("hyper ceiling: {op}...");
    let plan = Arc::new(Plan::new(wl, org, s.concurrency));
    let (m, (server_cpu, client_cpu)) = run_load(args, s, api, plan, proc.pid()).await;
    proc.stop(Duration::from_secs(3));
    let mut c = Cell::from_latencies(m.ops, m.elapsed, m.errors, m.first_error);
    (c.server_cpu, c.client_cpu) = (server_cpu, client_cpu);
    Ok((c, body.len()))
}

/// One measured load of `plan` on `api` with the settings' clients and duration, and the CPU
/// time the server (`pid`) and this bench used meanwhile.
async fn run_load(
    args: &Args,
    s: &Settings,
    api: Arc<Api>,
    plan: Arc<Plan>,
    pid: u32,
) -> (Measured, (Option<Duration>, Option<Duration>)) {
    let before = (cpu_time(Some(pid)), cpu_time(None));
    let m = load::run(
        api,
        plan,
        s.concurrency,
        s.duration,
        args.min_ops_per_client,
        args.max_requests,
    )
    .await;
    let after = (cpu_time(Some(pid)), cpu_time(None));
    let used = |b: Option<Duration>, a: Option<Duration>| Some(a?.saturating_sub(b?));
    (m, (used(before.0, after.0), used(before.1, after.1)))
}

fn print_beside_ceiling(ceiling: &Ceilings, beside: &[(String, f64, bool)]) {
    let Some((small, small_size)) = ceiling.small else {
        return;
    };
    println!();
    println!(
        "orgd's reads beside the hyper ceiling (a bare hyper server answering a fixed body, with \
         the same clients): {} req/s answering {small_size} bytes (DescribeOrganization's \
         answer){}",
        fmt_rate(small),
        match ceiling.page {
            Some((r, n)) => format!(
                ", {} req/s answering {n} bytes (a ListAccounts page)",
                fmt_rate(r)
            ),
            None => String::new(),
        }
    );
    println!();
    println!(
        "| read | orgd req/s | share of the ceiling ({small_size} bytes) | share of the ceiling answering the same size |"
    );
    println!("| --- | ---: | ---: | ---: |");
    for (label, rate, page) in beside {
        let same = if *page { ceiling.page } else { ceiling.small };
        println!(
            "| {label} | {} | {} | {} |",
            fmt_rate(*rate),
            fmt_share(*rate, Some(small)),
            fmt_share(*rate, same.map(|c| c.0))
        );
    }
}

/// `rate` as a percentage of the ceiling.
pub(crate) fn fmt_share(rate: f64, ceiling: Option<f64>) -> String {
    match ceiling {
        Some(c) if c > 0.0 => format!("{:.0}%", rate / c * 100.0),
        _ => "-".to_string(),
    }
}

pub(crate) fn fmt_us(us: Option<u32>) -> String {
    match us {
        None => "-".to_string(),
        Some(us) if us < 1000 => format!("{us} µs"),
        Some(us) if us < 100_000 => format!("{:.2} ms", us as f64 / 1000.0),
        Some(us) => format!("{:.0} ms", us as f64 / 1000.0),
    }
}

pub(crate) fn fmt_dur(d: Duration) -> String {
    fmt_us(Some(d.as_micros().min(u32::MAX as u128) as u32))
}

pub(crate) fn fmt_rate(r: f64) -> String {
    if r >= 100.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

pub(crate) fn fmt_kib(k: Option<u64>) -> String {
    match k {
        Some(k) => format!("{:.1} MiB", k as f64 / 1024.0),
        None => "unknown".to_string(),
    }
}

fn print_table(rows: &[Row], with_moto: bool) {
    println!();
    if with_moto {
        println!(
            "| workload | orgd req/s | orgd p50 | orgd p99 | moto req/s | moto p50 | moto p99 | orgd/moto |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    } else {
        println!("| workload | orgd req/s | orgd p50 | orgd p99 |");
        println!("| --- | ---: | ---: | ---: |");
    }
    for row in rows {
        let mut line = format!("| {} |", row.label);
        let n = if with_moto { 2 } else { 1 };
        for cell in row.cells.iter().take(n) {
            match cell {
                Some(c) => line.push_str(&format!(
                    " {} | {} | {} |",
                    fmt_rate(c.rate),
                    fmt_us(c.p50),
                    fmt_us(c.p99)
                )),
                None => line.push_str(" - | - | - |"),
            }
        }
        if with_moto {
            let ratio = row.ratio_override.or_else(|| match &row.cells {
                [Some(o), Some(m)] if m.rate > 0.0 => Some(o.rate / m.rate),
                _ => None,
            });
            match ratio {
                Some(r) => line.push_str(&format!(" {r:.1}× |")),
                None => line.push_str(" - |"),
            }
        }
        println!("{line}");
    }
}

fn print_errors(rows: &[Row]) {
    for row in rows {
        for (cell, name) in row.cells.iter().zip(["orgd", "moto"]) {
            if let Some(c) = cell
                && (c.errors > 0 || c.count == 0)
            {
                println!(
                    "! {name}, {}: {} errors in {} operations; first: {}",
                    row.label.trim(),
                    c.errors,
                    c.count,
                    c.first_error.as_deref().unwrap_or("-")
                );
            }
        }
    }
}

/// CPU time per operation: where the machine's cores went during each measurement.
fn print_cpu(rows: &[Row], with_moto: bool) {
    let per_op = |cpu: Option<Duration>, c: &Cell| match cpu {
        Some(d) if c.count > 0 => format!("{:.0} µs", d.as_secs_f64() * 1e6 / c.count as f64),
        _ => "-".to_string(),
    };
    let busy = |cpu: Option<Duration>, c: &Cell| match cpu {
        Some(d) if c.rate > 0.0 => {
            let wall = c.count as f64 / c.rate;
            format!("{:.0}%", d.as_secs_f64() / wall * 100.0)
        }
        _ => "-".to_string(),
    };
    println!();
    println!("CPU time per operation, and cores busy (100% = one core) during the measurement:");
    println!();
    let mut head =
        "| workload | orgd CPU/op | orgd cores | bench client CPU/op | bench client cores |"
            .to_string();
    let mut rule = "| --- | ---: | ---: | ---: | ---: |".to_string();
    if with_moto {
        head.push_str(" moto CPU/op | moto cores |");
        rule.push_str(" ---: | ---: |");
    }
    println!("{head}\n{rule}");
    for row in rows.iter().skip(1) {
        let Some(o) = &row.cells[0] else { continue };
        let mut line = format!(
            "| {} | {} | {} | {} | {} |",
            row.label,
            per_op(o.server_cpu, o),
            busy(o.server_cpu, o),
            per_op(o.client_cpu, o),
            busy(o.client_cpu, o)
        );
        if with_moto {
            match &row.cells[1] {
                Some(m) => line.push_str(&format!(
                    " {} | {} |",
                    per_op(m.server_cpu, m),
                    busy(m.server_cpu, m)
                )),
                None => line.push_str(" - | - |"),
            }
        }
        println!("{line}");
    }
}

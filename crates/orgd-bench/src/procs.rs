//! The servers under test as child processes, stopped whenever their guard is dropped (also when
//! the bench panics or fails).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::client::Api;

/// A child process that is stopped (SIGTERM, then SIGKILL after a grace period) when dropped.
pub struct ChildGuard {
    name: String,
    child: Option<Child>,
}

impl ChildGuard {
    pub fn spawn(name: &str, cmd: &mut Command) -> anyhow::Result<ChildGuard> {
        // If the bench dies without running its destructors (SIGKILL, or a signal sent to it
        // alone), the kernel stops the child too.
        // SAFETY: prctl is async-signal-safe and touches only the forked child's own state.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {name} ({cmd:?})"))?;
        Ok(ChildGuard {
            name: name.to_string(),
            child: Some(child),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Sends SIGTERM and waits (at most `grace`) for the process to exit; SIGKILL after that.
    /// Returns whether it exited on SIGTERM.
    pub fn stop(&mut self, grace: Duration) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        // SAFETY: kill(2) on the id of a child we have not yet reaped, so the id is still ours.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
        }
        let start = Instant::now();
        while start.elapsed() < grace {
            if let Ok(Some(_)) = child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        eprintln!(
            "{} did not stop on SIGTERM within {grace:?}; killing it",
            self.name
        );
        let _ = child.kill();
        let _ = child.wait();
        false
    }

    /// Fails if the process has already exited.
    pub fn check_running(&mut self) -> anyhow::Result<()> {
        if let Some(child) = self.child.as_mut()
            && let Some(status) = child.try_wait()?
        {
            bail!("{} exited early: {status}", self.name);
        }
        Ok(())
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(3));
    }
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> anyhow::Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("binding a loopback port")?;
    Ok(l.local_addr()?.port())
}

/// The `--log` every orgd the bench starts is given (`--orgd-log`).
static ORGD_LOG: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sets the `--log` of the orgd processes started from now on (once; later calls do nothing).
pub fn set_orgd_log(level: &str) {
    let _ = ORGD_LOG.set(level.to_string());
}

/// `orgd serve` on `port` over `data_dir`, durable storage, logging at `--orgd-log` (default
/// `info`, orgd's default: a line per request) to /dev/null.
pub fn start_orgd(bin: &Path, port: u16, data_dir: &Path) -> anyhow::Result<ChildGuard> {
    let mut cmd = Command::new(bin);
    cmd.arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--log")
        .arg(ORGD_LOG.get().map_or("info", String::as_str))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    // The bench's own environment must not change orgd's settings.
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("ORGD_") {
            cmd.env_remove(k);
        }
    }
    ChildGuard::spawn("orgd", &mut cmd)
}

/// `moto_server -p PORT` on the loopback interface.
pub fn start_moto(bin: &Path, port: u16) -> anyhow::Result<ChildGuard> {
    let mut cmd = Command::new(bin);
    cmd.arg("-H")
        .arg("127.0.0.1")
        .arg("-p")
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    ChildGuard::spawn("moto_server", &mut cmd)
}

/// The first executable called `name` on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The resident set size of process `pid`, in KiB (`VmRSS` of `/proc/PID/status`).
pub fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    for line in status.lines() {
        if let Some(rest) = line.strip_prefix("VmRSS:") {
            let kib = rest.trim().trim_end_matches("kB").trim();
            return Ok(kib.parse()?);
        }
    }
    bail!("no VmRSS in /proc/{pid}/status")
}

/// Total size of the files directly under `dir`, in bytes.
pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// CPU time (user + system, all threads) used so far by process `pid`, or by the bench itself.
pub fn cpu_time(pid: Option<u32>) -> Option<Duration> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let stat = std::fs::read_to_string(path).ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the state field.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = if hz > 0 { hz as u64 } else { 100 };
    Some(Duration::from_micros(ticks * 1_000_000 / hz))
}

/// Polls `path` of `api` until it answers (`want_200`: with 200; otherwise with anything), for at
/// most `limit`, failing early if `proc` exits. Returns the time it took.
pub async fn wait_ready(
    proc: &mut ChildGuard,
    api: &Api,
    path: &str,
    want_200: bool,
    limit: Duration,
    every: Duration,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(status) = api.get_status(path).await
            && (!want_200 || status == 200)
        {
            return Ok(start.elapsed());
        }
        proc.check_running()?;
        tokio::time::sleep(every).await;
    }
    bail!("{} did not answer on {path} within {limit:?}", proc.name)
}

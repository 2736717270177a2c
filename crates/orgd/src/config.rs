//! Command-line flags; every flag also reads an `ORGD_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use orgd_domain::Limits;

#[derive(Debug, Parser)]
#[command(name = "orgd", version, about = "An AWS Organizations server")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the AWS Organizations API over HTTP.
    Serve(ServeConfig),
    /// Write the whole state of a data directory as one JSON document (no server needed; stop
    /// the server that uses the directory first).
    Export(ExportArgs),
    /// Load an export document into a data directory that holds no organization and no account
    /// (no server needed; stop the server that uses the directory first).
    Import(ImportArgs),
    /// Ask a running orgd whether the SCPs and RCPs in effect on an account allow an action
    /// (prints the answer as JSON; exits 0 when allowed, 2 when denied).
    Simulate(SimulateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The running orgd.
    #[arg(long, env = "ORGD_URL", default_value = "http://127.0.0.1:4566")]
    pub url: String,
    /// The account that would make the request.
    #[arg(long, env = "ORGD_SIMULATE_ACCOUNT_ID")]
    pub account_id: String,
    /// The action, as service:Action (organizations:LeaveOrganization, s3:GetObject).
    #[arg(long, env = "ORGD_SIMULATE_ACTION")]
    pub action: String,
    /// The resource's ARN (omit for an action without a resource type).
    #[arg(long, env = "ORGD_SIMULATE_RESOURCE")]
    pub resource: Option<String>,
    /// A condition key's value, as KEY=VALUE (aws:SourceIp=203.0.113.7); repeat a key for
    /// several values.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Directory of the embedded database to export.
    #[arg(long, env = "ORGD_DATA_DIR", default_value = "./orgd-data")]
    pub data_dir: PathBuf,
    /// File to write the document to (default: standard output).
    #[arg(short, long, env = "ORGD_EXPORT_OUTPUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Directory of the embedded database to import into (created if missing).
    #[arg(long, env = "ORGD_DATA_DIR", default_value = "./orgd-data")]
    pub data_dir: PathBuf,
    /// The export document to load; `-` reads standard input.
    #[arg(env = "ORGD_IMPORT_FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// How callers are identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMode {
    /// The access key ID names the account; signatures are not verified.
    AccessKey,
    /// Verify every signature against the keys in `--credentials`: SigV4 for the AWS API,
    /// SDK-HMAC-SHA256 for the Huawei API (`sigv4` is the same mode's former name).
    #[value(alias = "sigv4")]
    Signed,
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "ORGD_LISTEN", default_value = "127.0.0.1:4566")]
    pub listen: SocketAddr,
    /// Directory of the embedded database.
    #[arg(long, env = "ORGD_DATA_DIR", default_value = "./orgd-data")]
    pub data_dir: PathBuf,
    /// Keep nothing on disk: state lives and dies with the process.
    #[arg(long, env = "ORGD_IN_MEMORY", conflicts_with = "data_dir")]
    pub in_memory: bool,
    /// Keep all state in PostgreSQL (`postgresql://USER@HOST:PORT/DB`) instead of the data
    /// directory; any number of orgd processes may serve the same database.
    #[arg(long, env = "ORGD_DATABASE_URL", conflicts_with_all = ["data_dir", "in_memory"])]
    pub database_url: Option<String>,
    /// The account of callers whose access key ID is not 12 digits.
    #[arg(long, env = "ORGD_DEFAULT_ACCOUNT", default_value = "123456789012", value_parser = parse_account)]
    pub default_account: String,
    /// How callers are identified: by access key (default) or by verified signatures (`signed`).
    #[arg(long, env = "ORGD_AUTH", value_enum, default_value = "access-key")]
    pub auth: AuthMode,
    /// JSON file of keys for `--auth signed`: [{"access_key_id", "secret_access_key", "account_id", "principal_arn"}];
    /// an account is a 12-digit AWS account or a 32-hex Huawei domain id.
    #[arg(long, env = "ORGD_CREDENTIALS")]
    pub credentials: Option<PathBuf>,
    /// Milliseconds a CreateAccount request stays IN_PROGRESS.
    #[arg(long, env = "ORGD_CREATE_ACCOUNT_DELAY_MS", default_value_t = 0)]
    pub create_account_delay_ms: u32,
    /// Milliseconds a closed account stays PENDING_CLOSURE before it is SUSPENDED.
    #[arg(long, env = "ORGD_CLOSE_ACCOUNT_DELAY_MS", default_value_t = 0)]
    pub close_account_delay_ms: u32,
    /// Accounts per organization, the management account included.
    #[arg(long, env = "ORGD_MAX_ACCOUNTS", default_value_t = Limits::default().max_accounts)]
    pub max_accounts: usize,
    /// OUs per organization.
    #[arg(long, env = "ORGD_MAX_OUS", default_value_t = Limits::default().max_ous)]
    pub max_ous: usize,
    /// Sets any quota of `Limits` by name, `NAME=VALUE` (repeatable; `ORGD_LIMITS` takes a
    /// comma-separated list), e.g. `--limit min_account_age_ms=0 --limit
    /// policy_attached_per_target.SERVICE_CONTROL_POLICY=5`. Applied after the flags above.
    #[arg(long = "limit", env = "ORGD_LIMITS", value_delimiter = ',', value_parser = parse_limit)]
    pub limit: Vec<(String, u64)>,
    /// Create all-features organizations with SCPs already enabled in the root, as AWS's
    /// documentation says (AWS itself, and so orgd by default, enables no policy type).
    #[arg(long, env = "ORGD_SCP_ENABLED_AT_CREATION")]
    pub scp_enabled_at_creation: bool,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, env = "ORGD_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Milliseconds a client may take to send a request's head, and then its body.
    #[arg(long, env = "ORGD_REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,
    /// Requests a second each caller account may make (bursts of as many) before getting
    /// TooManyRequestsException; 0 turns throttling off.
    #[arg(long, env = "ORGD_THROTTLE_RPS", default_value_t = 0)]
    pub throttle_rps: u32,
    /// Log line format.
    #[arg(long, env = "ORGD_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Log filter (tracing's EnvFilter syntax), e.g. `info` or `orgd=debug`.
    #[arg(long, env = "ORGD_LOG", default_value = "info")]
    pub log: String,
}

/// `NAME=VALUE`, checked against `Limits::set`.
fn parse_limit(s: &str) -> Result<(String, u64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE; names: {}", Limits::NAMES))?;
    let value: u64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number"))?;
    let name = name.trim().to_string();
    Limits::default()
        .set(&name, value)
        .map_err(|e| e.to_string())?;
    Ok((name, value))
}

fn parse_account(s: &str) -> Result<String, String> {
    if orgd_domain::ids::is_account_id(s) {
        Ok(s.to_string())
    } else {
        Err("must be 12 digits".into())
    }
}

impl ServeConfig {
    pub fn limits(&self) -> Limits {
        let mut limits = Limits {
            max_accounts: self.max_accounts,
            max_ous: self.max_ous,
            create_account_delay: self.create_account_delay_ms.into(),
            close_account_delay: self.close_account_delay_ms.into(),
            scp_enabled_at_creation: self.scp_enabled_at_creation,
            ..Limits::default()
        };
        for (name, value) in &self.limit {
            // Checked when parsed.
            let _ = limits.set(name, *value);
        }
        limits
    }

    /// A configuration for tests: in memory, on an ephemeral loopback port.
    pub fn ephemeral() -> Self {
        ServeConfig {
            listen: "127.0.0.1:0".parse().expect("valid address"),
            data_dir: PathBuf::from("./orgd-data"),
            in_memory: true,
            database_url: None,
            default_account: "123456789012".into(),
            auth: AuthMode::AccessKey,
            credentials: None,
            create_account_delay_ms: 0,
            close_account_delay_ms: 0,
            max_accounts: Limits::default().max_accounts,
            max_ous: Limits::default().max_ous,
            limit: Vec::new(),
            scp_enabled_at_creation: false,
            max_connections: 1024,
            request_timeout_ms: 30_000,
            throttle_rps: 0,
            log_format: LogFormat::Text,
            log: "info".into(),
        }
    }
}

//! `GET /metrics`: what orgd measures, in the Prometheus text format (version 0.0.4), through the
//! `prometheus-client` crate (the Prometheus project's own Rust client: an explicit registry, no
//! global recorder, and only `dtoa`, `itoa` and `parking_lot` beneath it).
//!
//! Recording is cheap on the hot path: each operation's success counter and latency histogram are
//! looked up once, then held in a map from the operation's name that is never written after
//! start-up, so a successful request costs a hash of its operation's name, an atomic increment
//! and the histogram's own short lock (one per operation, never one for all requests). An error
//! also takes the shared read lock of the counters' label map (readers do not wait for each
//! other). Organization sizes and process figures are read only when scraped.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use orgd_domain::access::Operation;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::engine::Engine;

/// The `Content-Type` of what `render` gives.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// The operation label of a request refused before it named a known operation.
const UNKNOWN_OPERATION: &str = "unknown";

/// The outcome label of a request answered without an error.
const SUCCESS: &str = "success";

/// A latency histogram in seconds, from 25 µs (a read) to 2.5 s (a slow disk).
pub fn latency_histogram() -> Histogram {
    Histogram::new([
        0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1.0, 2.5,
    ])
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: &'static str,
    outcome: Cow<'static, str>,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabel {
    operation: &'static str,
}

/// One operation's metrics, resolved on its first request.
#[derive(Default)]
struct OperationHandles {
    successes: OnceLock<Counter>,
    latency: OnceLock<Histogram>,
}

/// The registry and the handles the request path records into.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabel, Histogram>,
    operations: HashMap<&'static str, OperationHandles>,
}

impl Metrics {
    /// Registers every metric; the store's commit latency and the state's sizes come from `engine`.
    pub fn new(engine: Arc<Engine>) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "orgd_requests",
            "API requests (AWS and Huawei) by operation and outcome (the error code, or success)",
            requests.clone(),
        );
        let latency =
            Family::<OperationLabel, Histogram>::new_with_constructor(latency_histogram as _);
        registry.register(
            "orgd_request_duration_seconds",
            "Time from receiving an API request (AWS or Huawei) to answering it, by operation",
            latency.clone(),
        );
        registry.register(
            "orgd_store_commit_duration_seconds",
            "Time the store takes to make one write durable",
            engine.commit_latency(),
        );
        registry.register_collector(Box::new(StateSizes(engine)));
        registry.register_collector(Box::new(ProcessFigures::default()));
        let operations = Operation::ALL
            .iter()
            .map(|op| op.name())
            .chain(crate::huawei::routes::Op::ALL.iter().map(|op| op.name()))
            .chain([UNKNOWN_OPERATION])
            .map(|name| (name, OperationHandles::default()))
            .collect();
        Metrics {
            registry,
            requests,
            latency,
            operations,
        }
    }

    /// Counts one answered request and its latency. `error` is the wire error code, if any.
    pub fn record(&self, operation: Option<&str>, error: Option<&str>, elapsed: Duration) {
        let (name, handles) = operation
            .and_then(|op| self.operations.get_key_value(op))
            .or_else(|| self.operations.get_key_value(UNKNOWN_OPERATION))
            .expect("the unknown operation is always registered");
        let name: &'static str = name;
        handles
            .latency
            .get_or_init(|| {
                self.latency
                    .get_or_create_owned(&OperationLabel { operation: name })
            })
            .observe(elapsed.as_secs_f64());
        match error {
            None => handles
                .successes
                .get_or_init(|| {
                    self.requests.get_or_create_owned(&RequestLabels {
                        operation: name,
                        outcome: Cow::Borrowed(SUCCESS),
                    })
                })
                .inc(),
            Some(code) => self
                .requests
                .get_or_create(&RequestLabels {
                    operation: name,
                    outcome: Cow::Owned(code.to_string()),
                })
                .inc(),
        };
    }

    /// Everything measured, in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
            .expect("writing to a String does not fail");
        out
    }
}

/// Writes one gauge per label value under a single descriptor.
fn gauges<'a>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    label: &'static str,
    values: impl IntoIterator<Item = (&'a str, i64)>,
) -> Result<(), std::fmt::Error> {
    let probe = ConstGauge::new(0i64);
    let mut family = encoder.encode_descriptor(name, help, None, probe.metric_type())?;
    for (value, n) in values {
        let labels = [(label, value)];
        ConstGauge::new(n).encode(family.encode_family(&labels)?)?;
    }
    Ok(())
}

/// Writes one unlabelled gauge.
fn gauge(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    value: i64,
) -> Result<(), std::fmt::Error> {
    let g = ConstGauge::new(value);
    g.encode(encoder.encode_descriptor(name, help, None, g.metric_type())?)
}

/// The size of what orgd keeps, read from the state when scraped.
struct StateSizes(Arc<Engine>);

impl std::fmt::Debug for StateSizes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateSizes")
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Collector for StateSizes {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let (totals, largest) = self.0.inspect(|s| {
            let totals = [
                ("organizations", count(s.organizations.len())),
                ("roots", count(s.roots.len())),
                ("organizational_units", count(s.ous.len())),
                ("accounts", count(s.accounts.len())),
                ("create_account_requests", count(s.create_requests.len())),
                ("handshakes", count(s.handshakes.len())),
                ("policies", count(s.policies.len())),
                ("responsibility_transfers", count(s.transfers.len())),
            ];
            let mut largest = [
                ("accounts", 0),
                ("organizational_units", 0),
                ("policies", 0),
            ];
            for id in s.organizations.keys() {
                let sizes = [
                    s.members(id).len(),
                    s.ou_count(id),
                    s.org_policies(id).len(),
                ];
                for (max, n) in largest.iter_mut().zip(sizes) {
                    max.1 = max.1.max(count(n));
                }
            }
            (totals, largest)
        });
        gauges(
            &mut encoder,
            "orgd_entities",
            "Entities orgd keeps, by kind, over all organizations.",
            "kind",
            totals,
        )?;
        gauges(
            &mut encoder,
            "orgd_largest_organization",
            "Member accounts, OUs and customer-managed policies of the largest organization.",
            "kind",
            largest,
        )
    }
}

/// Cheap figures about the process: its start time and, on Linux, its memory, threads and open
/// files from `/proc/self`.
#[derive(Debug)]
struct ProcessFigures {
    started: i64,
}

impl Default for ProcessFigures {
    fn default() -> Self {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        ProcessFigures { started }
    }
}

/// A `Name:  value` field of `/proc/self/status`, as a number (the first word of the value).
fn status_field(status: &str, name: &str) -> Option<i64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

impl Collector for ProcessFigures {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        gauge(
            &mut encoder,
            "process_start_time_seconds",
            "Start time of the process since the Unix epoch, in seconds.",
            self.started,
        )?;
        if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
            if let Some(kib) = status_field(&status, "VmRSS") {
                gauge(
                    &mut encoder,
                    "process_resident_memory_bytes",
                    "Resident memory size, in bytes.",
                    kib.saturating_mul(1024),
                )?;
            }
            if let Some(n) = status_field(&status, "Threads") {
                gauge(
                    &mut encoder,
                    "process_threads",
                    "OS threads of the process.",
                    n,
                )?;
            }
        }
        if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
            gauge(
                &mut encoder,
                "process_open_fds",
                "Open file descriptors.",
                count(fds.count()),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_as_numbers() {
        let status = "Name:\torgd\nVmRSS:\t  2048 kB\nThreads:\t7\n";
        assert_eq!(status_field(status, "VmRSS"), Some(2048));
        assert_eq!(status_field(status, "Threads"), Some(7));
        assert_eq!(status_field(status, "VmSwap"), None);
    }
}

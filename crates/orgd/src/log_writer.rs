//! Where log lines go: a buffer that a background thread writes out every `FLUSH_EVERY`, so a
//! request neither waits for the terminal or pipe nor wakes another thread to log its line.
//!
//! tracing-appender's non-blocking writer, used before, hands each line over a channel to a
//! thread that sleeps whenever the channel is empty: under load every line woke it (a futex
//! wake, a context switch and one write(2) per line, about a tenth of orgd's CPU per
//! DescribeOrganization on two cores). Here a line is appended to the buffer under a lock and
//! nothing else happens; the thread writes whatever gathered in one write(2).
//!
//! Nothing is dropped: a writer that finds more than `MAX_PENDING` bytes waiting writes them out
//! itself (so memory stays bounded), and dropping the `FlushGuard` (when `main` returns) writes
//! out the rest before the process exits.

use std::io::{self, Write};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};
use tracing_subscriber::fmt::MakeWriter;

/// How often the background thread writes out what gathered.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// Bytes waiting beyond which the logging thread writes them out itself.
const MAX_PENDING: usize = 1 << 20;

/// The log's writer (a `MakeWriter` for `tracing_subscriber::fmt`).
#[derive(Clone)]
pub struct BufferedLog {
    shared: Arc<Shared>,
}

struct Shared {
    pending: Mutex<Pending>,
    wake: Condvar,
    /// Held while a chunk is taken and written, so chunks reach the output in order.
    out: Mutex<Box<dyn Write + Send>>,
}

struct Pending {
    buf: Vec<u8>,
    /// The guard was dropped: the thread has stopped, writers write through.
    closed: bool,
}

/// Writes out what is left and stops the background thread when dropped.
pub struct FlushGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl BufferedLog {
    /// A writer to `out`, and the guard that flushes it at the end.
    pub fn new(out: impl Write + Send + 'static) -> (BufferedLog, FlushGuard) {
        let shared = Arc::new(Shared {
            pending: Mutex::new(Pending {
                buf: Vec::new(),
                closed: false,
            }),
            wake: Condvar::new(),
            out: Mutex::new(Box::new(out)),
        });
        let thread = std::thread::Builder::new()
            .name("orgd-log".into())
            .spawn({
                let shared = shared.clone();
                move || {
                    loop {
                        let closed = {
                            let mut p = shared.pending.lock();
                            if !p.closed {
                                shared.wake.wait_for(&mut p, FLUSH_EVERY);
                            }
                            p.closed
                        };
                        // A log that cannot be written has nowhere to report it.
                        let _ = shared.write_out();
                        if closed {
                            return;
                        }
                    }
                }
            })
            .expect("spawning the log writer thread");
        (
            BufferedLog {
                shared: shared.clone(),
            },
            FlushGuard {
                shared,
                thread: Some(thread),
            },
        )
    }
}

impl Shared {
    /// Writes everything waiting to the output, in one write.
    fn write_out(&self) -> io::Result<()> {
        let mut out = self.out.lock();
        let chunk = {
            let mut p = self.pending.lock();
            let capacity = p.buf.capacity().min(MAX_PENDING);
            std::mem::replace(&mut p.buf, Vec::with_capacity(capacity))
        };
        if !chunk.is_empty() {
            out.write_all(&chunk)?;
        }
        out.flush()
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.pending.lock().closed = true;
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = self.shared.write_out();
    }
}

/// One event's writer: appends to the shared buffer.
pub struct Line<'a> {
    shared: &'a Shared,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let write_out = {
            let mut p = self.shared.pending.lock();
            p.buf.extend_from_slice(bytes);
            p.closed || p.buf.len() >= MAX_PENDING
        };
        if write_out {
            self.shared.write_out()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BufferedLog {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Line<'a> {
        Line {
            shared: &self.shared,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output the test can read back.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn log_lines(log: &BufferedLog, from: usize, to: usize) {
        for i in from..to {
            // One write per line, as tracing-subscriber writes each event.
            let line = format!("line {i}\n");
            log.make_writer().write_all(line.as_bytes()).unwrap();
        }
    }

    #[test]
    fn every_line_is_written_in_order_by_the_time_the_guard_is_dropped() {
        let sink = Sink::default();
        let (log, guard) = BufferedLog::new(sink.clone());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let log = log.clone();
                std::thread::spawn(move || log_lines(&log, t * 10_000, (t + 1) * 10_000))
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        drop(guard);
        let text = String::from_utf8(sink.0.lock().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 40_000);
        // Each thread's lines keep their order.
        for t in 0..4 {
            let mine: Vec<usize> = lines
                .iter()
                .filter_map(|l| l.strip_prefix("line ")?.parse().ok())
                .filter(|n| n / 10_000 == t)
                .collect();
            assert_eq!(mine, (t * 10_000..(t + 1) * 10_000).collect::<Vec<_>>());
        }
    }

    #[test]
    fn lines_reach_the_output_without_a_flush_and_after_the_guard_is_gone() {
        let sink = Sink::default();
        let (log, guard) = BufferedLog::new(sink.clone());
        log_lines(&log, 0, 1);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while sink.0.lock().is_empty() {
            assert!(std::time::Instant::now() < deadline, "never written out");
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(guard);
        log_lines(&log, 1, 2);
        assert_eq!(&*sink.0.lock(), b"line 0\nline 1\n");
    }
}

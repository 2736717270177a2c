//! The server's clock: wall time plus an offset that tests can move forward, so expiry and closure
//! timings can be observed without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use orgd_domain::Millis;

#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> Millis {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        wall + self.offset.load(Ordering::Relaxed)
    }

    /// Back to wall time (a reset forgets how far tests moved the clock).
    pub fn reset(&self) {
        self.offset.store(0, Ordering::Relaxed);
    }

    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: Millis) {
        self.offset.fetch_add(ms, Ordering::Relaxed);
    }
}

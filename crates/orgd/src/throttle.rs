//! Throttling for testing clients' retry logic: each caller account gets a token bucket of
//! `--throttle-rps` requests a second (bursts of as many); a request without a token is answered
//! `TooManyRequestsException`. Off (every request admitted) when the rate is 0.

use std::collections::HashMap;
use std::time::Instant;

use parking_lot::Mutex;

/// Per-caller token buckets.
pub struct Throttle {
    /// Tokens added per second, which is also the bucket's size; 0 turns throttling off.
    rate: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Throttle {
    pub fn new(requests_per_second: u32) -> Self {
        Throttle {
            rate: f64::from(requests_per_second),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `caller` may make a request at `now` (and takes its token if so).
    pub fn admit(&self, caller: &str, now: Instant) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let mut buckets = self.buckets.lock();
        let bucket = buckets.entry(caller.to_string()).or_insert(Bucket {
            tokens: self.rate,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.rate);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn off_admits_everything() {
        let t = Throttle::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| t.admit("111111111111", now)));
    }

    #[test]
    fn each_caller_gets_its_rate_and_tokens_come_back_with_time() {
        let t = Throttle::new(5);
        let now = Instant::now();
        assert_eq!((0..10).filter(|_| t.admit("a", now)).count(), 5);
        assert!(t.admit("b", now), "another caller has a bucket of its own");
        assert!(!t.admit("a", now));
        assert!(t.admit("a", now + Duration::from_millis(200)));
        assert!(!t.admit("a", now + Duration::from_millis(200)));
        let later = now + Duration::from_secs(10);
        assert_eq!((0..10).filter(|_| t.admit("a", later)).count(), 5);
    }
}

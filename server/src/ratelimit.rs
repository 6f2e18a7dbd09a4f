//! Rate limits keyed by client address, device, user or account name: governor's GCRA limiter
//! (one small state per key), with the memory it holds bounded.
//!
//! Limits are per process: with several server processes the effective limit is the configured
//! one times the number of processes (README, "Server").

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota};

/// Keys above this are swept of those whose buckets are full again (they cost nothing to forget).
const SWEEP_ABOVE: usize = 100_000;
/// Keys above this after a sweep: new keys are refused until old ones age out. Each key is about
/// a hundred bytes, so this bounds the limiter at roughly 100 MB whatever the traffic.
const HARD_CAP: usize = 1_000_000;
/// How often (in calls) the key count is looked at; counting walks the map's shards.
const CHECK_EVERY: u64 = 1024;

pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    calls: AtomicU64,
    sweep_above: usize,
    max_keys: usize,
}

impl RateLimiter {
    /// `capacity` requests per `period`, as a burst of `capacity` refilled evenly.
    pub fn new(capacity: u32, period: Duration) -> Self {
        Self::bounded(capacity, period, HARD_CAP)
    }

    fn bounded(capacity: u32, period: Duration, max_keys: usize) -> Self {
        let burst = NonZeroU32::new(capacity.max(1)).unwrap_or(NonZeroU32::MIN);
        let every = (period / burst.get()).max(Duration::from_nanos(1));
        let quota = Quota::with_period(every)
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst);
        RateLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            calls: AtomicU64::new(0),
            sweep_above: SWEEP_ABOVE.min(max_keys / 2),
            max_keys,
        }
    }

    pub fn per_minute(n: u32) -> Self {
        Self::new(n, Duration::from_secs(60))
    }

    pub fn per_hour(n: u32) -> Self {
        Self::new(n, Duration::from_secs(3600))
    }

    /// Takes one request for `key`; false when its limit is reached.
    pub fn allow(&self, key: &str) -> bool {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        if n.is_multiple_of(CHECK_EVERY) && self.limiter.len() > self.sweep_above {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        if self.limiter.len() >= self.max_keys {
            // Full of keys that are all being limited right now: refuse rather than grow.
            return false;
        }
        self.limiter.check_key(&key.to_string()).is_ok()
    }

    /// Keys currently held.
    pub fn keys(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_admits_capacity_then_refuses() {
        let l = RateLimiter::per_hour(3);
        assert!(l.allow("a") && l.allow("a") && l.allow("a"));
        assert!(!l.allow("a"));
        assert!(l.allow("b"));
    }

    #[test]
    fn the_bucket_refills_over_its_period() {
        let l = RateLimiter::new(2, Duration::from_millis(100));
        assert!(l.allow("a") && l.allow("a"));
        assert!(!l.allow("a"));
        std::thread::sleep(Duration::from_millis(120));
        assert!(l.allow("a"));
    }

    #[test]
    fn memory_is_bounded_by_refusing_new_keys_when_full() {
        let l = RateLimiter::bounded(1, Duration::from_secs(3600), 50);
        for i in 0..50 {
            assert!(l.allow(&format!("k{i}")));
        }
        assert!(!l.allow("one more"), "a full limiter refuses new keys");
        assert!(l.keys() <= 50);
    }

    #[test]
    fn keys_whose_buckets_refilled_are_forgotten() {
        let l = RateLimiter::bounded(1, Duration::from_millis(10), 5_000);
        for i in 0..3_000 {
            l.allow(&format!("k{i}"));
        }
        std::thread::sleep(Duration::from_millis(30));
        // The sweep runs on a check-every boundary once the map is above its threshold.
        for i in 0..(2 * CHECK_EVERY) {
            l.allow(&format!("fresh{i}"));
        }
        assert!(
            l.keys() < 3_000 + 2 * CHECK_EVERY as usize,
            "refilled keys were swept: {}",
            l.keys()
        );
    }
}

//! Retrying temporary failures: exponential backoff with full jitter, honouring `Retry-After`, and
//! sleeping in short slices so a cancelled sync stops within a fraction of a second.
//!
//! Full jitter (a random wait between zero and the exponential bound) spreads the retries of many
//! phones that lost the network at the same moment, so they do not hit the server in waves.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How a sync retries one request that failed temporarily.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Tries of one request, the first included, before the sync gives up (the outbox stays queued
    /// for the next sync).
    pub max_attempts: u32,
    /// Upper bound of the first wait; doubled after each failure.
    pub base_delay: Duration,
    /// No single wait is longer than this.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this ends the sync instead of blocking it.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The wait before try `attempt + 1` (attempt counts from 1), or `None` to give up.
    pub(crate) fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        rng: &mut ChaCha8Rng,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let bound = self
            .base_delay
            .saturating_mul(1u32 << (attempt - 1).min(16))
            .min(self.max_delay);
        let jittered = Duration::from_micros(rng.random_range(0..=bound.as_micros() as u64));
        match retry_after {
            Some(asked) if asked > self.max_retry_after => None,
            // The server's wish is a floor; jitter on top keeps phones from returning together.
            Some(asked) => Some(asked + jittered / 4),
            None => Some(jittered),
        }
    }
}

pub(crate) fn jitter_rng() -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(uuid::Uuid::new_v4().as_u64_pair().0)
}

/// Stops a running sync from another thread (a "Cancel" button, the app going to background).
/// Cloning shares the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    /// Sleeps for `duration` unless cancelled first; returns whether it slept the whole time.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        loop {
            if self.is_cancelled() {
                return false;
            }
            let now = Instant::now();
            if now >= until {
                return true;
            }
            std::thread::sleep((until - now).min(Duration::from_millis(50)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_exponentially_within_bounds_then_give_up() {
        let policy = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(10),
        };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for attempt in 1..5 {
            let bound = Duration::from_millis(100 * (1 << (attempt - 1))).min(policy.max_delay);
            for _ in 0..50 {
                let d = policy.delay(attempt, None, &mut rng).unwrap();
                assert!(d <= bound, "attempt {attempt}: {d:?} > {bound:?}");
            }
        }
        assert_eq!(policy.delay(5, None, &mut rng), None);
    }

    #[test]
    fn jitter_spreads_waits() {
        let policy = RetryPolicy::default();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let waits: std::collections::HashSet<Duration> = (0..20)
            .filter_map(|_| policy.delay(3, None, &mut rng))
            .collect();
        assert!(waits.len() > 10, "{waits:?}");
    }

    #[test]
    fn retry_after_is_a_floor_and_a_long_one_gives_up() {
        let policy = RetryPolicy::default();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let d = policy
            .delay(1, Some(Duration::from_secs(3)), &mut rng)
            .unwrap();
        assert!(d >= Duration::from_secs(3), "{d:?}");
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3600)), &mut rng),
            None
        );
    }

    #[test]
    fn cancelled_sleep_returns_early() {
        let token = CancelToken::new();
        let other = token.clone();
        let started = Instant::now();
        let handle = std::thread::spawn(move || other.sleep(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(100));
        token.cancel();
        assert!(!handle.join().unwrap());
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

//! Request counts and latencies per route, and sync volumes, in Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

const BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; 11],
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    pub pull_requests: AtomicU64,
    pub pulled_changes: AtomicU64,
    pub push_batches: AtomicU64,
    pushed: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        drop(requests);
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let h = latency.entry(route.to_string()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    pub fn pulled(&self, changes: usize) {
        self.pull_requests.fetch_add(1, Ordering::Relaxed);
        self.pulled_changes
            .fetch_add(changes as u64, Ordering::Relaxed);
    }

    pub fn pushed(&self, status: &'static str) {
        let mut pushed = self.pushed.lock().unwrap_or_else(|e| e.into_inner());
        *pushed.entry(status).or_default() += 1;
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP teng_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE teng_http_requests_total counter\n");
        for ((method, route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "teng_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP teng_http_request_duration_seconds Request latency by route.\n");
        out.push_str("# TYPE teng_http_request_duration_seconds histogram\n");
        for (route, h) in self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "teng_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "teng_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "teng_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "teng_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        out.push_str("# TYPE teng_sync_pull_requests_total counter\n");
        let _ = writeln!(
            out,
            "teng_sync_pull_requests_total {}",
            self.pull_requests.load(Ordering::Relaxed)
        );
        out.push_str("# TYPE teng_sync_pulled_changes_total counter\n");
        let _ = writeln!(
            out,
            "teng_sync_pulled_changes_total {}",
            self.pulled_changes.load(Ordering::Relaxed)
        );
        out.push_str("# TYPE teng_sync_push_batches_total counter\n");
        let _ = writeln!(
            out,
            "teng_sync_push_batches_total {}",
            self.push_batches.load(Ordering::Relaxed)
        );
        out.push_str("# TYPE teng_sync_pushed_mutations_total counter\n");
        for (status, n) in self.pushed.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(
                out,
                "teng_sync_pushed_mutations_total{{status=\"{status}\"}} {n}"
            );
        }
        out
    }
}

/// Middleware: times every request and counts it under its route template (never the raw path, so
/// clients cannot grow the label set).
pub async fn track(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = match request.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m.to_string(),
        _ => "other".to_string(),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.record(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

//! Sync figures (issue 5), printed for BENCHMARKS.md:
//!
//! - a first sync of 10k listings (and their 2k buildings) over loopback: time, bytes on the wire
//!   against the same pages as plain JSON, the apply rate of pulled pages;
//! - a sync with nothing new: requests and bytes;
//! - peak memory of a process doing the first sync of 100k listings.
//!
//! `cargo bench -p teng-tests --bench sync` (`TENG_BENCH_BIG=20000` for a smaller memory run).

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use teng_core::sync::{CancelToken, NoProgress, SyncClient, SyncConfig};
use teng_core::Store;
use teng_tests::server::TestServer;

fn main() {
    first_sync(10_000);
    let big = std::env::var("TENG_BENCH_BIG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    peak_memory(big);
}

fn first_sync(listings: usize) {
    let started = Instant::now();
    let server = TestServer::with_demo(listings);
    let stats = server.stats();
    println!(
        "server: {} listings ({} published), {} buildings, {} organizations, {} changes; filled in {:.1} s",
        stats.listings,
        stats.published_listings,
        stats.buildings,
        stats.organizations,
        stats.last_seq,
        started.elapsed().as_secs_f64()
    );
    let page_size = 500;
    let plain = plain_json_bytes(&server, page_size);

    let mut runs = Vec::new();
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path().join("phone.db")).unwrap());
        let mut config = SyncConfig::new(server.url());
        config.page_size = page_size;
        let client = SyncClient::new(Arc::clone(&store), config).unwrap();
        let started = Instant::now();
        let report = client.sync(&NoProgress, &CancelToken::new()).unwrap();
        let elapsed = started.elapsed();
        let empty = client.sync(&NoProgress, &CancelToken::new()).unwrap();
        runs.push((elapsed, report, empty));
    }
    runs.sort_by_key(|r| r.0);
    let (elapsed, report, empty) = &runs[runs.len() / 2];
    let applied = report.pulled.applied as f64;
    println!("first sync of {listings} listings (median of 5, page {page_size}):");
    println!(
        "  time {:.2} s (best {:.2} s, worst {:.2} s); {} pages, {} records applied, {} requests",
        elapsed.as_secs_f64(),
        runs[0].0.as_secs_f64(),
        runs[runs.len() - 1].0.as_secs_f64(),
        report.pages,
        report.pulled.applied,
        report.requests
    );
    println!(
        "  bytes on the wire (bodies) {} = {:.1}% of the same pages as plain JSON ({} bytes)",
        report.bytes_received,
        100.0 * report.bytes_received as f64 / plain as f64,
        plain
    );
    println!(
        "  apply: {:.0} records/s ({:.2} s of the sync applying pages)",
        applied / report.apply_time.as_secs_f64(),
        report.apply_time.as_secs_f64()
    );
    println!(
        "sync with nothing new: {} request(s), {} bytes of body received",
        empty.requests, empty.bytes_received
    );
}

/// The same pages the client pulled, uncompressed.
fn plain_json_bytes(server: &TestServer, page_size: u32) -> u64 {
    let mut total = 0;
    let mut since = 0;
    loop {
        let response = server
            .http()
            .get(server.endpoint(&format!("/v1/sync/pull?since={since}&limit={page_size}")))
            .header("Accept-Encoding", "identity")
            .timeout(Duration::from_secs(60))
            .send()
            .unwrap();
        assert!(response.headers().get("content-encoding").is_none());
        let body = response.bytes().unwrap();
        total += body.len() as u64;
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
        since = page["next"].as_i64().unwrap();
        if page["has_more"] != true {
            return total;
        }
    }
}

fn peak_memory(listings: usize) {
    let started = Instant::now();
    let server = TestServer::with_demo(listings);
    println!(
        "server with {listings} listings filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("phone.db");
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_teng-sync-child"))
        .args([db.to_str().unwrap(), &server.url(), "500"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let line = String::from_utf8_lossy(&output.stdout);
    println!(
        "first sync of {listings} listings in its own process: {:.1} s; {}",
        started.elapsed().as_secs_f64(),
        line.trim()
    );
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("  phone database: {:.1} MB", size as f64 / 1e6);
}

//! A process that syncs one database file, for tests and benchmarks that need the sync in its own
//! process: killed with SIGKILL at random moments (crash safety), or measured (peak memory).
//!
//! `teng-sync-child <db> <server-url> [page-size]`: opens the store, syncs once, and prints one line
//! `pulled=<n> pushed=<n> pages=<n> bytes=<n> peak_rss_kb=<n>`. Exit code 0 on success, 1 on error.

use std::sync::Arc;

use teng_core::sync::{CancelToken, NoProgress, SyncClient, SyncConfig};
use teng_core::Store;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(db), Some(url)) = (args.first(), args.get(1)) else {
        eprintln!("usage: teng-sync-child <db> <server-url> [page-size]");
        std::process::exit(2);
    };
    let page_size = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(500);
    match run(db, url, page_size) {
        Ok(line) => println!("{line} peak_rss_kb={}", peak_rss_kb()),
        Err(e) => {
            eprintln!("teng-sync-child: {e}");
            std::process::exit(1);
        }
    }
}

fn run(db: &str, url: &str, page_size: u32) -> teng_core::Result<String> {
    let store = Arc::new(Store::open(db)?);
    let mut config = SyncConfig::new(url);
    config.page_size = page_size;
    let client = SyncClient::new(store, config)?;
    let report = client.sync(&NoProgress, &CancelToken::new())?;
    Ok(format!(
        "pulled={} pushed={} pages={} bytes={}",
        report.pulled.applied, report.pushed, report.pages, report.bytes_received
    ))
}

/// The process's peak resident memory (VmHWM), in kB; 0 where /proc is not there.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

//! A phone's first sync from snapshot chunks (docs/sync-protocol.md "First sync from a snapshot"),
//! through a fault proxy in front of a real server: cut downloads resume where they stopped, a
//! sync cut among the chunks goes on with them next time, a device's own records are never
//! skipped, and whatever changed after the snapshot (or replaced it) reaches the phone. In every
//! case the phone ends with exactly the server's data.

mod common;

use std::sync::Mutex;

use chrono::Utc;
use serde_json::Value;

use common::*;
use teng_core::sync::{CancelToken, SyncObserver, SyncProgress};
use teng_tests::fault_proxy::{Fault, FaultProxy};
use teng_tests::server::TestServer;

/// Records a snapshot now, as the server does at startup and daily; returns its manifest.
fn snapshot_now(server: &TestServer) -> Value {
    teng_server::snapshot::build(server.storage().as_ref(), Utc::now())
        .unwrap()
        .expect("a new snapshot");
    let (status, manifest) = server.get("/v1/sync/snapshot", None);
    assert_eq!(status, 200, "{manifest}");
    manifest
}

/// Phone and server hold the same published listings at the same versions (a short message naming
/// the differences; the phone keeps times to the millisecond, so whole records are not compared).
fn assert_same_listings(phone: &Phone, server: &TestServer) {
    let mine = phone.listings();
    let theirs = server_listings(server);
    let missing: Vec<_> = theirs.keys().filter(|id| !mine.contains_key(id)).collect();
    let extra: Vec<_> = mine.keys().filter(|id| !theirs.contains_key(id)).collect();
    let stale: Vec<_> = theirs
        .iter()
        .filter(|(id, l)| {
            mine.get(id)
                .is_some_and(|m| (m.version, &m.title) != (l.version, &l.title))
        })
        .map(|(id, l)| (id, l.version))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && stale.is_empty(),
        "missing {missing:?}, extra {extra:?}, stale {stale:?}"
    );
}

fn chunk_count(manifest: &Value) -> u64 {
    manifest["chunks"].as_array().unwrap().len() as u64
}

/// The cursors the phone's pulls started from, in order.
fn pulled_from(proxy: &FaultProxy) -> Vec<i64> {
    proxy
        .requests()
        .iter()
        .filter_map(|r| r.target.strip_prefix("/v1/sync/pull?since="))
        .map(|rest| rest.split('&').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_first_sync_resumes_cut_chunks_and_catches_up_with_later_changes() {
    let server = TestServer::with_demo(1200);
    let manifest = snapshot_now(&server);
    let chunks = chunk_count(&manifest);
    assert!(chunks >= 3, "{manifest}");
    // After the snapshot: a listing closed (a tombstone), one edited, one new.
    let published = server.published_listings();
    server.close_listing(published[0].id);
    server.update_listing_title(published[1].id, "Edited after the snapshot");
    let new = server.publish_new_listing("Published after the snapshot");

    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults_on(
        "/v1/sync/snapshot/",
        [
            Fault::CutBody {
                after_bytes: 20_000,
            },
            Fault::DropBeforeForward,
            Fault::CutBody {
                after_bytes: 30_000,
            },
            Fault::status(503),
            Fault::CutBody {
                after_bytes: 10_000,
            },
        ],
    );
    let phone = Phone::new(&proxy.url());
    let report = phone.sync().unwrap();
    assert_eq!(proxy.pending_faults(), 0);

    assert_eq!(report.snapshot_chunks, chunks);
    assert_same_listings(&phone, &server);
    let listings = phone.listings();
    assert!(!listings.contains_key(&published[0].id));
    assert_eq!(
        listings[&published[1].id].title,
        "Edited after the snapshot"
    );
    assert!(listings.contains_key(&new.id));
    // Cut downloads went on from the bytes received, and the pulls began where the chunks ended.
    let resumed: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.target.starts_with("/v1/sync/snapshot/") && r.range.is_some())
        .collect();
    assert!(resumed.len() >= 2, "{resumed:?}");
    assert_eq!(pulled_from(&proxy)[0], manifest["seq"].as_i64().unwrap());
    assert!(phone.integrity_ok());

    // The next sync of an up-to-date phone pulls, and takes no chunk.
    let again = phone.sync().unwrap();
    assert_eq!(again.snapshot_chunks, 0);
}

#[test]
fn a_sync_cut_among_the_chunks_goes_on_with_them_next_time() {
    let server = TestServer::with_demo(1200);
    let manifest = snapshot_now(&server);
    let chunks = chunk_count(&manifest);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    // The first chunk arrives; the second fails more often than the phone retries.
    proxy.push_faults_on("/v1/sync/snapshot/", [Fault::Pass]);
    proxy.push_faults_on(
        "/v1/sync/snapshot/",
        std::iter::repeat_n(Fault::status(500), 20),
    );
    assert!(phone.sync().is_err(), "the sync ends offline");
    proxy.clear_faults();
    let first_next = manifest["chunks"][0]["next"].as_i64().unwrap();
    assert_eq!(phone.store.sync_status().unwrap().cursor, first_next);

    let report = phone.sync().unwrap();
    assert_eq!(
        report.snapshot_chunks,
        chunks - 1,
        "the chunks after the first"
    );
    assert_same_listings(&phone, &server);
    assert_eq!(pulled_from(&proxy), vec![manifest["seq"].as_i64().unwrap()]);
}

#[test]
fn a_resync_takes_the_chunks_below_the_devices_own_records_and_pulls_those() {
    let server = TestServer::with_demo(1200);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    phone.sync().unwrap();
    let (listing, _) = a_listing_with_building(&phone);
    phone.store.save_job(listing, Some("call Monday")).unwrap();
    phone.sync().unwrap();
    let token = phone.store.device_token().unwrap().unwrap();
    // A snapshot recorded after the device's saved job (whose change is private to the device).
    let manifest = snapshot_now(&server);
    let (_, mine) = server.get("/v1/sync/snapshot", Some(&token));
    let private_from = mine["private_from"]
        .as_i64()
        .expect("the saved job's change");
    let usable = manifest["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .take_while(|c| c["next"].as_i64().unwrap() < private_from)
        .count() as u64;
    assert!(usable >= 1 && usable < chunk_count(&manifest), "{mine}");

    // The server was restored from an older backup, say: the phone must start over.
    proxy.push_faults_on("/v1/sync/pull", [Fault::status(410)]);
    let report = phone.sync().unwrap();
    assert!(report.resynced);
    assert_eq!(report.snapshot_chunks, usable);
    // The pull after the chunks starts below the saved job's change, so it brings it.
    let from = *pulled_from(&proxy).last().unwrap();
    assert!(
        from < private_from,
        "pulled from {from}, private from {private_from}"
    );
    assert_same_listings(&phone, &server);
    assert_eq!(phone.saved(), server_saved_jobs(&server, &token));
    assert!(phone.saved().contains(&listing));
}

/// Replaces the snapshot twice while the phone is applying its first chunk, so the rest of the
/// chunks the phone was given are gone.
struct ReplaceSnapshot<'a> {
    server: &'a TestServer,
    done: Mutex<bool>,
}

impl SyncObserver for ReplaceSnapshot<'_> {
    fn progress(&self, progress: SyncProgress) {
        let mut done = self.done.lock().unwrap();
        if progress.done > 0 && !*done {
            *done = true;
            for title in ["Newer snapshot", "Newest snapshot"] {
                self.server.publish_new_listing(title);
                snapshot_now(self.server);
            }
        }
    }
}

#[test]
fn chunks_of_a_replaced_snapshot_end_the_chunks_and_the_pulls_finish_the_job() {
    let server = TestServer::with_demo(1200);
    snapshot_now(&server);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    let observer = ReplaceSnapshot {
        server: &server,
        done: Mutex::new(false),
    };
    let report = phone.client.sync(&observer, &CancelToken::new()).unwrap();
    assert_eq!(report.snapshot_chunks, 1);
    let gone: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.upstream_status == Some(404))
        .collect();
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert_same_listings(&phone, &server);
    let titles: Vec<String> = phone.listings().into_values().map(|l| l.title).collect();
    assert!(titles.iter().any(|t| t == "Newest snapshot"));
}

#[test]
fn without_a_snapshot_a_first_sync_pulls_from_zero() {
    let server = TestServer::with_demo(100);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    let report = phone.sync().unwrap();
    assert_eq!(report.snapshot_chunks, 0);
    assert_eq!(pulled_from(&proxy)[0], 0);
    assert_same_listings(&phone, &server);
}

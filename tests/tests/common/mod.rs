//! Helpers shared by the sync end-to-end tests: a phone (a real store file and a sync client), and
//! what the server holds, read through its own API.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use uuid::Uuid;

use teng_core::accessibility::{
    AccessibilityReport, Facts, Feature, FeatureValue, Method, ReporterKind,
};
use teng_core::model::JobListing;
use teng_core::search::{SearchFilters, SearchQuery};
use teng_core::sync::{CancelToken, NoProgress, RetryPolicy, SyncClient, SyncConfig, SyncReport};
use teng_core::Store;
use teng_server::storage::ReportFilter;
use teng_tests::server::TestServer;

/// A phone: its database file and a sync client pointed at `url`.
pub struct Phone {
    pub dir: tempfile::TempDir,
    pub store: Arc<Store>,
    pub client: SyncClient,
}

/// Retries fast (tests inject many failures) and gives up after enough tries for scripted faults.
pub fn quick_config(url: &str) -> SyncConfig {
    let mut config = SyncConfig::new(url);
    config.retry = RetryPolicy {
        max_attempts: 8,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    };
    config.request_timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    config
}

impl Phone {
    pub fn new(url: &str) -> Phone {
        Self::with_config(quick_config(url))
    }

    pub fn with_config(config: SyncConfig) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path().join("phone.db")).unwrap());
        let client = SyncClient::new(Arc::clone(&store), config).unwrap();
        Phone { dir, store, client }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("phone.db")
    }

    pub fn sync(&self) -> teng_core::Result<SyncReport> {
        self.client.sync(&NoProgress, &CancelToken::new())
    }

    /// Syncs until a sync succeeds (faults may end some early); panics after `tries`.
    pub fn sync_until_done(&self, tries: usize) -> SyncReport {
        let mut last = None;
        for _ in 0..tries {
            match self.sync() {
                Ok(report) => return report,
                Err(e) => last = Some(e),
            }
        }
        panic!("no successful sync in {tries} tries; last error: {last:?}");
    }

    /// Every listing on the phone, with closed ones.
    pub fn listings(&self) -> BTreeMap<Uuid, JobListing> {
        let mut out = BTreeMap::new();
        let mut query = SearchQuery {
            filters: SearchFilters {
                include_closed: true,
                ..Default::default()
            },
            page_size: 200,
            ..Default::default()
        };
        loop {
            let page = self.store.search(&query).unwrap();
            for hit in page.hits {
                out.insert(hit.listing.id, hit.listing);
            }
            match page.next_page_token {
                Some(token) => query.page_token = Some(token),
                None => return out,
            }
        }
    }

    pub fn saved(&self) -> BTreeSet<Uuid> {
        self.store
            .saved_jobs()
            .unwrap()
            .into_iter()
            .map(|s| s.listing_id)
            .collect()
    }

    pub fn integrity_ok(&self) -> bool {
        integrity_ok(&self.db_path())
    }
}

pub fn integrity_ok(path: &std::path::Path) -> bool {
    let conn = rusqlite::Connection::open(path).unwrap();
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    result == "ok"
}

/// The published listings the server has, by id.
pub fn server_listings(server: &TestServer) -> BTreeMap<Uuid, JobListing> {
    server
        .published_listings()
        .into_iter()
        .map(|l| (l.id, l))
        .collect()
}

/// The saved jobs the server keeps for the device with `token` (read through a pull from zero).
pub fn server_saved_jobs(server: &TestServer, token: &str) -> BTreeSet<Uuid> {
    let mut saved = BTreeSet::new();
    let mut since = 0;
    loop {
        let (status, page) = server.get(
            &format!("/v1/sync/pull?since={since}&limit=1000"),
            Some(token),
        );
        assert_eq!(status, 200, "{page}");
        for change in page["changes"].as_array().unwrap() {
            if change["kind"] == "saved_job" {
                let id: Uuid = change["id"].as_str().unwrap().parse().unwrap();
                if change["op"] == "upsert" {
                    saved.insert(id);
                } else {
                    saved.remove(&id);
                }
            }
        }
        since = page["next"].as_i64().unwrap();
        if page["has_more"] != true {
            return saved;
        }
    }
}

/// How many reports with each id the server holds for `building`.
pub fn server_report_ids(server: &TestServer, building: Uuid) -> BTreeMap<Uuid, usize> {
    let reports = server
        .storage()
        .list_reports(&ReportFilter {
            building_id: Some(building),
            limit: 10_000,
            ..Default::default()
        })
        .unwrap();
    let mut counts = BTreeMap::new();
    for r in reports {
        *counts.entry(r.report.id).or_insert(0) += 1;
    }
    counts
}

/// A report a visitor makes on the phone: step-free entrance, checked by eye.
pub fn visitor_report(building: Uuid, step_free: bool) -> AccessibilityReport {
    AccessibilityReport {
        id: Uuid::new_v4(),
        building_id: building,
        reporter: "this-phone".into(),
        reporter_kind: ReporterKind::Anonymous,
        observed_at: Utc::now() - chrono::Duration::minutes(5),
        method: Method::Estimated,
        facts: Facts::new().with(Feature::StepFreeEntrance, FeatureValue::Bool(step_free)),
        note: None,
    }
}

/// A published listing on the phone that is in a building (for reports).
pub fn a_listing_with_building(phone: &Phone) -> (Uuid, Uuid) {
    phone
        .listings()
        .values()
        .find_map(|l| l.building_id.map(|b| (l.id, b)))
        .expect("a listing with a building")
}

//! The phone's reading of a `GET /v1/sync/pull` answer (core/src/sync/http.rs `read_pull_page`:
//! content encoding undone within the caps, then `PullPage` parsed) and how the core applies it
//! (`Store::apply_pulled_page`, core/src/sync/apply.rs).
//!
//! Each input is tried as the body sent plain, gzip and zstd. Properties:
//! - no input panics, whatever its encoding;
//! - a page that parses serializes back to JSON that parses to the same page, and serializing
//!   that again gives the same bytes;
//! - applied to a fresh store with cursor 0, a page never fails (one bad record must not stop a
//!   phone from syncing), every change is counted exactly once (applied, kept local, deferred or
//!   skipped), and the cursor becomes the page's `next`;
//! - applied again with a cursor that is not the store's, it fails with `SyncInProgress`;
//! - whatever the page stored, the phone can still read it: every record the page names (by its
//!   kind's own read), the saved jobs, the user's reports with their statuses (the store holds one
//!   report of the user's, the one the seed pages' `report_status` is about), and a search of
//!   everything, closed listings included.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use teng_core::accessibility::AccessibilityReport;
use teng_core::search::{SearchFilters, SearchQuery, MAX_PAGE_SIZE};
use teng_core::sync::protocol::{PullPage, PulledChange};
use teng_core::sync::read_pull_page;
use teng_core::{Error, Store};
use uuid::Uuid;

fuzz_target!(|data: &[u8]| {
    for encoding in [None, Some("gzip"), Some("zstd")] {
        if let Ok(page) = read_pull_page(encoding, data.to_vec()) {
            round_trip(&page);
            apply(&page);
        }
    }
});

fn round_trip(page: &PullPage) {
    let json = serde_json::to_vec(page).expect("a parsed page serializes");
    let again = read_pull_page(None, json.clone())
        .unwrap_or_else(|e| panic!("a serialized page does not parse: {e}"));
    assert_eq!(page.next, again.next);
    assert_eq!(page.has_more, again.has_more);
    assert_eq!(page.remaining, again.remaining);
    assert_eq!(page.changes.len(), again.changes.len());
    for (a, b) in page.changes.iter().zip(&again.changes) {
        assert_eq!(key(a), key(b));
    }
    assert_eq!(
        json,
        serde_json::to_vec(&again).expect("serializes"),
        "serialization is not a fixed point"
    );
}

/// Everything a change holds, the record as its raw JSON text.
fn key(
    c: &PulledChange,
) -> (
    i64,
    &str,
    &str,
    teng_core::sync::protocol::ChangeOp,
    Option<&str>,
) {
    (
        c.seq,
        &c.kind,
        &c.id,
        c.op,
        c.record.as_deref().map(|r| r.get()),
    )
}

fn apply(page: &PullPage) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("phone.db")).expect("open a fresh store");
    store
        .record_report(my_report())
        .expect("record the user's report");
    let outcome = store
        .apply_pulled_page(0, page)
        .unwrap_or_else(|e| panic!("applying a parsed page failed: {e}"));
    if teng_fuzz_debug() {
        eprintln!("pull_page: {} changes: {outcome:?}", page.changes.len());
    }
    let counted = outcome.applied + outcome.kept_local + outcome.deferred + outcome.skipped;
    assert_eq!(
        counted,
        page.changes.len() as u64,
        "{outcome:?} for {} changes",
        page.changes.len()
    );
    // Only the report is pending, and a report's status is stored even under a pending
    // submission: nothing is kept local.
    assert_eq!(outcome.kept_local, 0, "{outcome:?}");
    let cursor = store.sync_status().expect("status").cursor;
    assert_eq!(cursor, page.next);

    let stale = cursor.wrapping_add(1);
    match store.apply_pulled_page(stale, page) {
        Err(Error::SyncInProgress) => {}
        other => panic!("a page applied at a stale cursor: {other:?}"),
    }
    assert_eq!(store.sync_status().expect("status").cursor, cursor);

    read_back(&store, page);
}

fn read_back(store: &Store, page: &PullPage) {
    for c in &page.changes {
        let Ok(id) = c.id.parse::<Uuid>() else {
            continue;
        };
        let read = match c.kind.as_str() {
            "organization" => store.organization(id).map(drop),
            "building" => store.building(id).map(drop),
            "listing" => store.listing(id).map(drop),
            "building_summary" => store.building_summary(id).map(drop),
            "saved_job" => store.is_saved(id).map(drop),
            "report_status" => store.my_report(id).map(drop),
            _ => Ok(()),
        };
        read.unwrap_or_else(|e| panic!("{} {id} unreadable after the page: {e}", c.kind));
    }
    store.saved_jobs().expect("saved jobs after the page");
    store
        .my_reports_with_status(None)
        .expect("my reports after the page");
    let everything = SearchQuery {
        filters: SearchFilters {
            include_closed: true,
            ..SearchFilters::default()
        },
        page_size: MAX_PAGE_SIZE,
        ..SearchQuery::default()
    };
    let found = store.search(&everything).expect("search after the page");
    assert!(found.hits.len() as u64 <= found.total);
}

/// The user's own report, in the store before each page.
fn my_report() -> &'static AccessibilityReport {
    static REPORT: OnceLock<AccessibilityReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        serde_json::from_str(
            r#"{"id": "0194a3b0-1111-7000-8000-000000000003",
                "building_id": "01941f29-7c03-7c1d-92c4-25ab6162c114",
                "reporter": "0194a3b0-0000-7000-8000-000000000d01", "reporter_kind": "anonymous",
                "observed_at": "2026-11-20T09:30:00Z", "method": "measured",
                "facts": {"ramp": {"ramp": "fixed"}, "door_width_cm": {"centimetres": 85}},
                "note": {"ru": "Пандус у главного входа, Бишкек"}}"#,
        )
        .expect("the report parses")
    })
}

/// `TENG_FUZZ_DEBUG=1`: say what each input made (to check what a new seed exercises).
fn teng_fuzz_debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("TENG_FUZZ_DEBUG").is_some())
}

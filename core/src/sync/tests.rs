//! Sync client tests that need no server: the outbox written with local actions, page application
//! (atomic with the cursor, pending effects on top, deferred references, resync), settling answers.

use serde_json::{json, Value};
use uuid::Uuid;

use super::apply::{self, PageOutcome};
use super::protocol::PullPage;
use super::*;
use crate::model::*;
use crate::store::ChangeBatch;
use crate::testing::{building, listing, organization, temp_store};

pub(super) fn page(changes: Vec<Value>, next: i64, has_more: bool) -> PullPage {
    let text = json!({ "changes": changes, "next": next, "has_more": has_more }).to_string();
    serde_json::from_str(&text).unwrap()
}

pub(super) fn upsert(seq: i64, kind: &str, id: Uuid, record: impl serde::Serialize) -> Value {
    json!({ "seq": seq, "kind": kind, "id": id, "op": "upsert", "record": record })
}

pub(super) fn delete(seq: i64, kind: &str, id: Uuid) -> Value {
    json!({ "seq": seq, "kind": kind, "id": id, "op": "delete" })
}

pub(super) fn apply(store: &Store, since: i64, page: &PullPage) -> Result<PageOutcome> {
    store.write_catalogue(|tx| apply::apply_page(tx, since, page))
}

pub(super) fn bishkek() -> Building {
    building("Офис", "Бишкек", Region::Bishkek, 42.87, 74.59)
}

fn ops(store: &Store) -> Vec<&'static str> {
    store
        .pending_mutations()
        .unwrap()
        .iter()
        .map(|p| p.mutation.op())
        .collect()
}

#[test]
fn local_actions_are_queued_in_the_same_transaction_as_their_effect() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let l = listing(&org, &b, "Бухгалтер");
    store
        .apply(&ChangeBatch {
            organizations: vec![org],
            buildings: vec![b.clone()],
            listings: vec![l.clone()],
            ..Default::default()
        })
        .unwrap();
    assert!(
        ops(&store).is_empty(),
        "synced records are not the user's actions"
    );

    store.save_job(l.id, Some("call Monday")).unwrap();
    assert!(store.unsave_job(l.id).unwrap());
    assert!(
        !store.unsave_job(l.id).unwrap(),
        "nothing to unsave: nothing queued"
    );
    let report = crate::store::tests::accessibility::step_free_report(b.id, "me");
    store.record_report(&report).unwrap();
    store.record_report(&report).unwrap();
    let mut edited = l.clone();
    edited.title = "Башкы бухгалтер".into();
    store.edit_listing(&edited).unwrap();

    assert_eq!(
        ops(&store),
        ["save_job", "unsave_job", "submit_report", "update_listing"]
    );
    let pending = store.pending_mutations().unwrap();
    let ids: std::collections::HashSet<Uuid> = pending.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 4, "every mutation has its own id");
    match &pending[0].mutation {
        Mutation::SaveJob { note, .. } => assert_eq!(note.as_deref(), Some("call Monday")),
        other => panic!("{other:?}"),
    }
    match &pending[2].mutation {
        Mutation::SubmitReport {
            building_id,
            report: r,
        } => {
            assert_eq!(*building_id, b.id);
            assert_eq!(r.id, report.id);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.listing(l.id).unwrap().unwrap().title,
        "Башкы бухгалтер"
    );
    assert!(store.has_pending(l.id).unwrap());
    assert_eq!(store.sync_status().unwrap().pending, 4);
}

#[test]
fn an_invalid_local_action_queues_nothing() {
    let (_dir, store) = temp_store();
    let too_long = "x".repeat(5_000);
    assert!(store.save_job(Uuid::new_v4(), Some(&too_long)).is_err());
    let org = organization("Тең", true);
    let b = bishkek();
    let mut l = listing(&org, &b, "Бухгалтер");
    l.title.clear();
    assert!(store.edit_listing(&l).is_err());
    assert!(ops(&store).is_empty());
}

#[test]
fn a_page_and_its_cursor_commit_together() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let l = listing(&org, &b, "Бухгалтер");
    let p = page(
        vec![
            upsert(1, "organization", org.id, &org),
            upsert(2, "building", b.id, &b),
            upsert(3, "listing", l.id, &l),
        ],
        3,
        false,
    );
    // Pulled from a cursor the file is not at (another sync moved it): nothing is applied.
    assert!(matches!(apply(&store, 7, &p), Err(Error::SyncInProgress)));
    assert_eq!(store.stats().unwrap().listings, 0);
    assert_eq!(store.sync_status().unwrap().cursor, 0);

    let outcome = apply(&store, 0, &p).unwrap();
    assert_eq!(outcome.applied, 3);
    assert_eq!(store.listing(l.id).unwrap().unwrap(), l);
    assert_eq!(store.sync_status().unwrap().cursor, 3);

    // Applying the same page again (a crash after commit, before the app noticed) changes nothing.
    let again = page(vec![upsert(3, "listing", l.id, &l)], 3, false);
    apply(&store, 3, &again).unwrap();
    assert_eq!(store.stats().unwrap().listings, 1);

    apply(&store, 3, &page(vec![delete(4, "listing", l.id)], 4, false)).unwrap();
    assert_eq!(store.listing(l.id).unwrap(), None);
    assert_eq!(store.sync_status().unwrap().cursor, 4);
}

#[test]
fn the_users_pending_actions_stay_on_top_of_pulled_records() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let l = listing(&org, &b, "Бухгалтер");
    let other = listing(&org, &b, "Кассир");
    apply(
        &store,
        0,
        &page(
            vec![
                upsert(1, "organization", org.id, &org),
                upsert(2, "building", b.id, &b),
                upsert(3, "listing", l.id, &l),
                upsert(4, "listing", other.id, &other),
            ],
            4,
            false,
        ),
    )
    .unwrap();

    store.save_job(l.id, None).unwrap();
    let mut mine = other.clone();
    mine.title = "Кассир (жарым күн)".into();
    store.edit_listing(&mine).unwrap();

    let mut theirs = other.clone();
    theirs.title = "Кассир (сервер)".into();
    theirs.version = 2;
    let saved_elsewhere = SavedJob {
        listing_id: other.id,
        note: Some("from the server".into()),
        saved_at: crate::testing::now(),
    };
    let outcome = apply(
        &store,
        4,
        &page(
            vec![
                delete(5, "saved_job", l.id),
                upsert(6, "listing", other.id, &theirs),
                upsert(7, "saved_job", other.id, &saved_elsewhere),
            ],
            7,
            false,
        ),
    )
    .unwrap();
    assert_eq!(outcome.kept_local, 2);
    assert!(store.is_saved(l.id).unwrap(), "the pending save wins");
    assert_eq!(
        store.listing(other.id).unwrap().unwrap().title,
        "Кассир (жарым күн)",
        "the pending edit wins"
    );
    assert_eq!(
        store
            .saved_jobs()
            .unwrap()
            .iter()
            .find(|s| s.listing_id == other.id),
        Some(&saved_elsewhere),
        "a saved job without a pending action is taken from the server"
    );
}

#[test]
fn a_listing_pulled_before_its_building_waits_for_it() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let l = listing(&org, &b, "Бухгалтер");
    let first = apply(
        &store,
        0,
        &page(
            vec![
                upsert(1, "organization", org.id, &org),
                upsert(5, "listing", l.id, &l),
            ],
            5,
            true,
        ),
    )
    .unwrap();
    assert_eq!(first.deferred, 1);
    assert_eq!(store.listing(l.id).unwrap(), None);

    let second = apply(
        &store,
        5,
        &page(vec![upsert(9, "building", b.id, &b)], 9, false),
    )
    .unwrap();
    assert_eq!(second.deferred, 0);
    assert_eq!(
        second.applied, 2,
        "the building and the listing that waited for it"
    );
    assert_eq!(store.listing(l.id).unwrap().unwrap(), l);
}

#[test]
fn a_newer_state_replaces_a_deferred_listing() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let l = listing(&org, &b, "Бухгалтер");
    apply(
        &store,
        0,
        &page(vec![upsert(5, "listing", l.id, &l)], 5, true),
    )
    .unwrap();
    let outcome = apply(
        &store,
        5,
        &page(
            vec![
                upsert(6, "organization", org.id, &org),
                upsert(7, "building", b.id, &b),
                delete(8, "listing", l.id),
            ],
            8,
            false,
        ),
    )
    .unwrap();
    assert_eq!(outcome.deferred, 0);
    assert_eq!(store.listing(l.id).unwrap(), None, "the tombstone wins");
}

#[test]
fn unreadable_records_are_skipped_and_the_rest_applied() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let mut bad = listing(&org, &b, "Бухгалтер");
    bad.title.clear();
    let good = listing(&org, &b, "Кассир");
    let outcome = apply(
        &store,
        0,
        &page(
            vec![
                upsert(1, "organization", org.id, &org),
                upsert(2, "building", b.id, &b),
                upsert(3, "listing", bad.id, &bad),
                upsert(4, "listing", good.id, &good),
                upsert(5, "hologram", Uuid::new_v4(), json!({})),
                json!({ "seq": 6, "kind": "listing", "id": "not-a-uuid", "op": "delete" }),
                upsert(7, "building", Uuid::new_v4(), json!({ "name": 3 })),
            ],
            7,
            false,
        ),
    )
    .unwrap();
    assert_eq!(outcome.skipped, 4);
    assert_eq!(outcome.applied, 3);
    assert!(store.listing(good.id).unwrap().is_some());
    assert_eq!(store.sync_status().unwrap().cursor, 7);
}

#[test]
fn a_resync_removes_what_the_server_no_longer_has() {
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let gone_org = organization("Жабылган", false);
    let b = bishkek();
    let keep = listing(&org, &b, "Бухгалтер");
    let gone = listing(&org, &b, "Кассир");
    let edited = listing(&org, &b, "Котормочу");
    let gone_with_org = listing(&gone_org, &b, "Айдоочу");
    store
        .apply(&ChangeBatch {
            organizations: vec![org.clone(), gone_org.clone()],
            buildings: vec![b.clone()],
            listings: vec![
                keep.clone(),
                gone.clone(),
                edited.clone(),
                gone_with_org.clone(),
            ],
            ..Default::default()
        })
        .unwrap();
    store.edit_listing(&edited).unwrap();
    store.save_job(gone.id, Some("still mine")).unwrap();

    store.write_catalogue(apply::begin_resync).unwrap();
    assert_eq!(store.sync_status().unwrap().cursor, 0);
    apply(
        &store,
        0,
        &page(
            vec![
                upsert(10, "organization", org.id, &org),
                upsert(11, "building", b.id, &b),
            ],
            11,
            true,
        ),
    )
    .unwrap();
    assert!(
        store.listing(gone.id).unwrap().is_some(),
        "nothing goes before the end"
    );
    apply(
        &store,
        11,
        &page(vec![upsert(12, "listing", keep.id, &keep)], 12, false),
    )
    .unwrap();

    assert!(store.listing(keep.id).unwrap().is_some());
    assert_eq!(store.listing(gone.id).unwrap(), None);
    assert_eq!(store.listing(gone_with_org.id).unwrap(), None);
    assert_eq!(store.organization(gone_org.id).unwrap(), None);
    assert!(
        store.listing(edited.id).unwrap().is_some(),
        "a pending edit waits for its answer"
    );
    assert!(
        store.is_saved(gone.id).unwrap(),
        "the user's own list is kept"
    );
    assert_eq!(store.sync_status().unwrap().cursor, 12);

    // The resync is over: a later page deletes nothing it does not name.
    apply(&store, 12, &page(vec![], 12, false)).unwrap();
    assert!(store.listing(keep.id).unwrap().is_some());
}

#[test]
fn a_sync_needs_a_valid_configuration() {
    let (_dir, store) = temp_store();
    let store = Arc::new(store);
    let bad_url = SyncClient::new(Arc::clone(&store), SyncConfig::new("ftp://x"));
    assert!(matches!(
        bad_url,
        Err(Error::InvalidInput {
            field: "server_url",
            ..
        })
    ));
    // The token would cross the network in the clear: plain http only to this machine.
    match SyncClient::new(Arc::clone(&store), SyncConfig::new("http://example.org")) {
        Err(Error::InvalidInput {
            field: "server_url",
            reason,
        }) => assert!(reason.contains("https://"), "{reason}"),
        other => panic!("expected server_url refused, got {:?}", other.err()),
    }
    for ok in [
        "https://example.org",
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
    ] {
        assert!(
            SyncClient::new(Arc::clone(&store), SyncConfig::new(ok)).is_ok(),
            "{ok}"
        );
    }
    let mut config = SyncConfig::new("http://127.0.0.1:1");
    config.page_size = 0;
    assert!(matches!(
        SyncClient::new(Arc::clone(&store), config),
        Err(Error::InvalidInput {
            field: "page_size",
            ..
        })
    ));
}

#[test]
fn an_unreachable_server_ends_the_sync_with_offline_and_keeps_the_outbox() {
    let (_dir, store) = temp_store();
    let store = Arc::new(store);
    store.save_job(Uuid::new_v4(), None).unwrap();
    // A port nothing listens on: connection refused at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut config = SyncConfig::new(url);
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(5),
        max_retry_after: std::time::Duration::from_secs(1),
    };
    let client = SyncClient::new(Arc::clone(&store), config).unwrap();
    let err = client.sync(&NoProgress, &CancelToken::new()).unwrap_err();
    assert!(matches!(err, Error::Offline { attempts: 3, .. }), "{err:?}");
    let status = store.sync_status().unwrap();
    assert_eq!(status.pending, 1);
    assert!(status
        .last_error
        .as_deref()
        .unwrap()
        .contains("cannot reach"));
    assert_eq!(status.last_success_at, None);
    assert!(status.last_attempt_at.is_some());
    assert!(!status.is_running());
}

#[test]
fn a_cancelled_sync_stops_before_its_next_request() {
    let (_dir, store) = temp_store();
    let store = Arc::new(store);
    let client =
        SyncClient::new(Arc::clone(&store), SyncConfig::new("http://127.0.0.1:9")).unwrap();
    let cancel = CancelToken::new();
    cancel.cancel();
    assert!(matches!(
        client.sync(&NoProgress, &cancel),
        Err(Error::Cancelled)
    ));
}

#[test]
fn a_page_pulled_by_the_caller_feeds_search_and_a_full_resync_starts_over() {
    use crate::search::SearchQuery;
    let (_dir, store) = temp_store();
    let org = organization("Тең", true);
    let b = bishkek();
    let l = listing(&org, &b, "Бухгалтер");
    let other = listing(&org, &b, "Кассир");
    let first = page(
        vec![
            upsert(1, "organization", org.id, &org),
            upsert(2, "building", b.id, &b),
            upsert(3, "listing", l.id, &l),
            upsert(4, "listing", other.id, &other),
        ],
        4,
        false,
    );
    assert!(matches!(
        store.apply_pulled_page(2, &first),
        Err(Error::SyncInProgress)
    ));
    let outcome = store.apply_pulled_page(0, &first).unwrap();
    assert_eq!(outcome.applied, 4);
    assert_eq!(store.sync_status().unwrap().cursor, 4);
    let query = SearchQuery {
        text: "buhgalter".into(),
        ..Default::default()
    };
    assert_eq!(
        store.search(&query).unwrap().total,
        1,
        "search sees the page"
    );

    // An empty page moves only the cursor; a tombstone takes the listing out of search.
    store.apply_pulled_page(4, &page(vec![], 9, false)).unwrap();
    assert_eq!(store.sync_status().unwrap().cursor, 9);
    store
        .apply_pulled_page(9, &page(vec![delete(10, "listing", l.id)], 10, false))
        .unwrap();
    assert_eq!(store.search(&query).unwrap().total, 0);

    // Starting over: what the full pass does not bring back is gone at its end.
    store.begin_full_resync().unwrap();
    assert_eq!(store.sync_status().unwrap().cursor, 0);
    let again = page(
        vec![
            upsert(20, "organization", org.id, &org),
            upsert(21, "building", b.id, &b),
        ],
        21,
        false,
    );
    store.apply_pulled_page(0, &again).unwrap();
    assert_eq!(store.listing(other.id).unwrap(), None);
    assert_eq!(store.search(&SearchQuery::default()).unwrap().total, 0);
    assert!(store.organization(org.id).unwrap().is_some());
}

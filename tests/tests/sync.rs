//! The sync client against a real server on loopback, on real SQLite files: first and incremental
//! syncs, tombstones, the outbox applied exactly once, saved jobs after a reinstall, conflicts.

mod common;

use std::collections::BTreeSet;

use common::*;
use teng_core::sync::{CancelToken, Mutation, ProblemKind, SyncObserver, SyncPhase, SyncProgress};
use teng_tests::fault_proxy::{Fault, FaultProxy};
use teng_tests::server::TestServer;

#[test]
fn a_first_sync_brings_every_published_listing_and_an_empty_one_is_one_small_request() {
    let server = TestServer::with_demo(300);
    let phone = Phone::new(&server.url());
    let report = phone.sync().unwrap();

    let expected = server_listings(&server);
    let local = phone.listings();
    assert_eq!(
        local.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (id, listing) in &expected {
        assert_eq!(
            &local[id], listing,
            "listing {id} arrives as the server has it"
        );
    }
    assert!(report.pages >= 1);
    assert!(report.pulled.applied as usize >= expected.len());
    assert_eq!(report.pulled.deferred, 0);
    let status = phone.store.sync_status().unwrap();
    assert!(status.cursor > 0);
    assert!(status.last_success_at.is_some());
    assert_eq!(status.pending, 0);
    assert!(
        phone.store.device_token().unwrap().is_some(),
        "the install registered itself"
    );

    let nothing_new = phone.sync().unwrap();
    assert_eq!(nothing_new.requests, 1, "{nothing_new:?}");
    assert!(nothing_new.bytes_received <= 300, "{nothing_new:?}");
    assert_eq!(nothing_new.pulled.applied, 0);
}

#[test]
fn incremental_syncs_bring_new_changed_and_closed_listings() {
    let server = TestServer::with_demo(120);
    let phone = Phone::new(&server.url());
    phone.sync().unwrap();
    let before = phone.listings();

    let added = server.publish_new_listing("Оператор колл-центра");
    let (&renamed_id, _) = before.iter().next().unwrap();
    let (&closed_id, _) = before.iter().nth(1).unwrap();
    server.update_listing_title(renamed_id, "Бухгалтер (жаңы)");
    server.close_listing(closed_id);

    let report = phone.sync().unwrap();
    let after = phone.listings();
    assert_eq!(
        after.get(&added.id).map(|l| l.title.as_str()),
        Some("Оператор колл-центра")
    );
    assert_eq!(after[&renamed_id].title, "Бухгалтер (жаңы)");
    assert!(
        !after.contains_key(&closed_id),
        "a closed listing's tombstone removes it"
    );
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        server_listings(&server).keys().collect::<Vec<_>>()
    );
    assert!(
        report.pulled.applied >= 3 && report.pulled.applied < 10,
        "{report:?}"
    );
    // The renamed listing is found by its new words offline.
    let hits = phone
        .store
        .search(&teng_core::search::SearchQuery {
            text: "жаны бухгалтер".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(hits.hits.iter().any(|h| h.listing.id == renamed_id));
}

#[test]
fn offline_actions_reach_the_server_once_and_leave_the_outbox() {
    let server = TestServer::with_demo(80);
    let phone = Phone::new(&server.url());
    phone.sync().unwrap();
    let (listing, building) = a_listing_with_building(&phone);
    let other = *phone.listings().keys().find(|id| **id != listing).unwrap();

    phone
        .store
        .save_job(listing, Some("позвонить в понедельник"))
        .unwrap();
    phone.store.save_job(other, None).unwrap();
    phone.store.unsave_job(other).unwrap();
    let report = visitor_report(building, true);
    phone.store.record_report(&report).unwrap();
    assert_eq!(phone.store.sync_status().unwrap().pending, 4);

    let done = phone.sync().unwrap();
    assert_eq!(done.pushed, 4);
    assert!(done.problems.is_empty(), "{:?}", done.problems);
    assert_eq!(phone.store.sync_status().unwrap().pending, 0);
    let token = phone.store.device_token().unwrap().unwrap();
    assert_eq!(
        server_saved_jobs(&server, &token),
        BTreeSet::from([listing])
    );
    assert_eq!(
        server_report_ids(&server, building).get(&report.id),
        Some(&1)
    );
    // The building's new summary came back in the same sync's pull.
    let summary = phone.store.building_summary(building).unwrap().unwrap();
    assert!(summary.report_count >= 1);
}

#[test]
fn saved_jobs_come_back_after_a_reinstall_with_the_same_device_token() {
    let server = TestServer::with_demo(80);
    let phone = Phone::new(&server.url());
    phone.sync().unwrap();
    let ids: Vec<_> = phone.listings().keys().take(3).copied().collect();
    for id in &ids {
        phone.store.save_job(*id, Some("note")).unwrap();
    }
    phone.sync().unwrap();
    let token = phone.store.device_token().unwrap().unwrap();

    let reinstalled = Phone::new(&server.url());
    reinstalled.store.set_device_token(&token).unwrap();
    reinstalled.sync().unwrap();
    assert_eq!(reinstalled.saved(), ids.iter().copied().collect());
    let notes: Vec<_> = reinstalled
        .store
        .saved_jobs()
        .unwrap()
        .into_iter()
        .map(|s| s.note)
        .collect();
    assert!(notes.iter().all(|n| n.as_deref() == Some("note")));
    assert_eq!(
        reinstalled.store.sync_status().unwrap().pending,
        0,
        "nothing to push back"
    );
}

#[test]
fn a_rejected_token_registers_again_and_requeues_the_saved_jobs() {
    let server = TestServer::with_demo(60);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    phone.sync().unwrap();
    let listing = *phone.listings().keys().next().unwrap();
    phone.store.save_job(listing, None).unwrap();
    phone.sync().unwrap();
    let old = phone.store.device_token().unwrap().unwrap();

    // The server no longer knows the token (expired, or its database restored).
    proxy.push_faults_on("/v1/sync/pull", [Fault::status(401)]);
    phone.sync().unwrap();
    let new = phone.store.device_token().unwrap().unwrap();
    assert_ne!(old, new);
    phone.sync().unwrap();
    assert_eq!(server_saved_jobs(&server, &new), BTreeSet::from([listing]));
}

#[test]
fn a_server_that_refuses_even_a_new_token_ends_the_sync_instead_of_looping() {
    let server = TestServer::with_demo(20);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    phone.sync().unwrap();
    proxy.push_faults_on("/v1/sync/pull", [Fault::status(401), Fault::status(401)]);
    let err = phone.sync().unwrap_err();
    assert!(matches!(err, teng_core::Error::Unauthorized), "{err:?}");
    assert_eq!(proxy.pending_faults(), 0);
    phone.sync().unwrap();
}

#[test]
fn a_stale_listing_edit_comes_back_as_a_conflict_with_both_versions() {
    let server = TestServer::start();
    let org = server.organization();
    let listing = server.publish_new_listing("Бухгалтер");
    let ngo_token = server.create_ngo_user(org);
    let mut config = quick_config(&server.url());
    config.user_token = Some(ngo_token);
    let ngo = Phone::with_config(config);
    ngo.sync().unwrap();

    // A first offline edit applies; a second one offline builds on it (rebased, not a conflict).
    let mut edit = ngo.store.listing(listing.id).unwrap().unwrap();
    edit.title = "Бухгалтер (толук күн)".into();
    ngo.store.edit_listing(&edit).unwrap();
    edit.description = "Иш орду жеткиликтүү.".into();
    ngo.store.edit_listing(&edit).unwrap();
    let report = ngo.sync().unwrap();
    assert_eq!(report.pushed, 2, "{report:?}");
    let on_server = server.listing(listing.id).unwrap();
    assert_eq!(on_server.title, "Бухгалтер (толук күн)");
    assert_eq!(on_server.description, "Иш орду жеткиликтүү.");
    assert_eq!(
        ngo.store.listing(listing.id).unwrap().unwrap().version,
        on_server.version
    );

    // Someone else changes it on the server while this phone edits offline.
    let mut mine = ngo.store.listing(listing.id).unwrap().unwrap();
    server.update_listing_title(listing.id, "Главный бухгалтер");
    mine.title = "Башкы бухгалтер".into();
    ngo.store.edit_listing(&mine).unwrap();
    let report = ngo.sync().unwrap();
    assert_eq!(report.problems.len(), 1, "{report:?}");
    let problem = &report.problems[0];
    assert_eq!(problem.kind, ProblemKind::Conflict);
    match &problem.local {
        Mutation::UpdateListing { listing: l, .. } => assert_eq!(l.title, "Башкы бухгалтер"),
        other => panic!("{other:?}"),
    }
    assert_eq!(problem.server_listing().unwrap().title, "Главный бухгалтер");
    assert_eq!(
        ngo.store.listing(listing.id).unwrap().unwrap().title,
        "Главный бухгалтер",
        "the catalogue shows the server's version"
    );
    assert_eq!(ngo.store.sync_status().unwrap().problems, 1);
    assert!(ngo.store.dismiss_sync_problem(problem.mutation_id).unwrap());
    assert_eq!(ngo.store.sync_status().unwrap().problems, 0);
}

#[test]
fn a_rejected_mutation_becomes_a_problem_and_the_queue_moves_on() {
    let server = TestServer::with_demo(60);
    let phone = Phone::new(&server.url());
    phone.sync().unwrap();
    let unknown = uuid::Uuid::new_v4();
    phone.store.save_job(unknown, None).unwrap();
    let known = *phone.listings().keys().next().unwrap();
    phone.store.save_job(known, None).unwrap();

    let report = phone.sync().unwrap();
    assert_eq!(report.pushed, 1);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].kind, ProblemKind::Rejected);
    assert_eq!(report.problems[0].code.as_deref(), Some("not_found"));
    assert_eq!(phone.store.sync_status().unwrap().pending, 0);
    let token = phone.store.device_token().unwrap().unwrap();
    assert_eq!(server_saved_jobs(&server, &token), BTreeSet::from([known]));
}

struct Recorder(std::sync::Mutex<Vec<SyncProgress>>);

impl SyncObserver for Recorder {
    fn progress(&self, progress: SyncProgress) {
        self.0.lock().unwrap().push(progress);
    }
}

#[test]
fn a_long_first_sync_reports_progress_and_can_be_cancelled_between_pages() {
    let server = TestServer::with_demo(400);
    let mut config = quick_config(&server.url());
    config.page_size = 50;
    let phone = Phone::with_config(config);
    let recorder = Recorder(Default::default());
    phone.client.sync(&recorder, &CancelToken::new()).unwrap();
    let seen = recorder.0.into_inner().unwrap();
    let pulling: Vec<_> = seen
        .iter()
        .filter(|p| p.phase == SyncPhase::Pulling)
        .collect();
    assert!(pulling.len() > 5, "{seen:?}");
    let last = pulling.last().unwrap();
    assert_eq!(last.expected, Some(last.done), "ends at 100%");
    assert!(pulling.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(
        pulling[1].expected.unwrap() >= last.done,
        "the first page says how much is coming"
    );

    // Cancelled from the observer after the second page: the pages applied stay, the rest waits.
    struct CancelAfter(CancelToken, std::sync::atomic::AtomicU32);
    impl SyncObserver for CancelAfter {
        fn progress(&self, p: SyncProgress) {
            if p.phase == SyncPhase::Pulling
                && self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 2
            {
                self.0.cancel();
            }
        }
    }
    let mut config = quick_config(&server.url());
    config.page_size = 50;
    let second = Phone::with_config(config);
    let cancel = CancelToken::new();
    let observer = CancelAfter(cancel.clone(), Default::default());
    let err = second.client.sync(&observer, &cancel).unwrap_err();
    assert!(matches!(err, teng_core::Error::Cancelled), "{err:?}");
    let status = second.store.sync_status().unwrap();
    assert!(status.cursor > 0 && !status.is_running());
    assert!(second.listings().len() < phone.listings().len());
    second.sync().unwrap();
    assert_eq!(second.listings(), phone.listings());
}

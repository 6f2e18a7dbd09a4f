//! The sync client over a network that drops, cuts, stalls, repeats and fails, through a fault proxy
//! in front of a real server: after the faults stop, phone and server agree, every queued action is
//! applied exactly once, nothing is lost. And a syncing process killed at random moments always
//! leaves a sound database whose cursor matches its data.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use common::*;
use teng_tests::fault_proxy::{Fault, FaultProxy, RandomFaults};
use teng_tests::server::TestServer;

/// A phone with a short request timeout, so `Delay` faults outlast it quickly.
fn impatient_phone(url: &str) -> Phone {
    let mut config = quick_config(url);
    config.request_timeout = Duration::from_millis(800);
    Phone::with_config(config)
}

fn every_fault() -> Vec<Fault> {
    vec![
        Fault::DropBeforeForward,
        Fault::DropAfterForward,
        Fault::CutResponse { after_bytes: 30 },
        Fault::CutBody { after_bytes: 40 },
        Fault::Delay(Duration::from_millis(1_200)),
        Fault::status(500),
        Fault::retry_after(503, 0),
        Fault::status(429),
        Fault::Replay,
    ]
}

#[test]
fn every_fault_on_a_push_still_applies_each_action_exactly_once() {
    let server = TestServer::with_demo(60);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = impatient_phone(&proxy.url());
    phone.sync().unwrap();
    let (listing, building) = a_listing_with_building(&phone);
    let token = phone.store.device_token().unwrap().unwrap();

    let mut reports = Vec::new();
    for fault in every_fault() {
        let report = visitor_report(building, reports.len().is_multiple_of(2));
        phone.store.record_report(&report).unwrap();
        reports.push(report.id);
        if phone.store.is_saved(listing).unwrap() {
            phone.store.unsave_job(listing).unwrap();
        } else {
            phone
                .store
                .save_job(listing, Some(&format!("{fault:?}")))
                .unwrap();
        }
        proxy.push_faults_on("/v1/sync/push", [fault.clone(), fault.clone()]);
        let result = phone.sync();
        assert!(result.is_ok(), "{fault:?}: {result:?}");
        assert!(proxy.pending_faults() < 2, "{fault:?} was used");
        proxy.clear_faults();
        assert_eq!(phone.store.sync_status().unwrap().pending, 0, "{fault:?}");
        let counts = server_report_ids(&server, building);
        for id in &reports {
            assert_eq!(counts.get(id), Some(&1), "{fault:?}: report {id} once");
        }
        assert_eq!(
            server_saved_jobs(&server, &token),
            phone.saved(),
            "{fault:?}: saved jobs agree"
        );
    }
    assert!(proxy.stats().replayed >= 1 && proxy.stats().dropped_after_forward >= 2);
}

#[test]
fn every_fault_on_a_pull_still_converges() {
    let server = TestServer::with_demo(250);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let expected = server_listings(&server);
    for fault in every_fault() {
        let mut config = quick_config(&proxy.url());
        config.request_timeout = Duration::from_millis(800);
        config.page_size = 100;
        let phone = Phone::with_config(config);
        // Register outside the faults, then fault the first pages of the first sync.
        proxy.push_faults_on("/v1/sync/pull", [fault.clone(), Fault::Pass, fault.clone()]);
        let report = phone.sync();
        assert!(report.is_ok(), "{fault:?}: {report:?}");
        assert!(proxy.pending_faults() < 3, "{fault:?} was used");
        proxy.clear_faults();
        assert_eq!(phone.listings(), expected, "{fault:?}");
        assert!(phone.integrity_ok());
    }
}

#[test]
fn retry_after_is_honoured() {
    let server = TestServer::with_demo(20);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    phone.sync().unwrap();
    proxy.push_faults_on("/v1/sync/pull", [Fault::retry_after(429, 1)]);
    let started = Instant::now();
    phone.sync().unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_server_that_stays_down_ends_the_sync_offline_and_nothing_is_lost() {
    let mut server = TestServer::with_demo(80);
    let phone = Phone::new(&server.url());
    phone.sync().unwrap();
    let before = phone.listings();
    let (listing, building) = a_listing_with_building(&phone);
    phone.store.save_job(listing, None).unwrap();
    let report = visitor_report(building, false);
    phone.store.record_report(&report).unwrap();

    server.stop();
    let err = phone.sync().unwrap_err();
    assert!(matches!(err, teng_core::Error::Offline { .. }), "{err:?}");
    let status = phone.store.sync_status().unwrap();
    assert_eq!(status.pending, 2);
    assert!(status.last_error.is_some());
    assert_eq!(
        phone.listings(),
        before,
        "the offline catalogue is still there"
    );
    let pending = phone.store.pending_mutations().unwrap();
    assert!(pending
        .iter()
        .all(|p| p.attempts >= 1 && p.last_error.is_some()));

    // A stuck outbox is a bug: the next sync sends it without any new local action.
    server.restart();
    phone.sync().unwrap();
    assert_eq!(phone.store.sync_status().unwrap().pending, 0);
    assert_eq!(phone.store.sync_status().unwrap().last_error, None);
    assert_eq!(
        server_report_ids(&server, building).get(&report.id),
        Some(&1)
    );
}

#[test]
fn too_many_failures_in_a_row_end_the_sync_and_the_next_one_finishes_the_job() {
    let server = TestServer::with_demo(40);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = Phone::new(&proxy.url());
    phone.sync().unwrap();
    let listing = *phone.listings().keys().next().unwrap();
    phone.store.save_job(listing, None).unwrap();
    proxy.push_faults_on("/v1/sync/push", (0..8).map(|_| Fault::DropAfterForward));
    assert!(matches!(
        phone.sync(),
        Err(teng_core::Error::Offline { attempts: 8, .. })
    ));
    assert_eq!(phone.store.sync_status().unwrap().pending, 1);
    phone.sync().unwrap();
    let token = phone.store.device_token().unwrap().unwrap();
    assert_eq!(
        server_saved_jobs(&server, &token),
        BTreeSet::from([listing])
    );
    assert_eq!(phone.store.sync_status().unwrap().pending, 0);
}

/// Random actions and syncs through random faults; once the faults stop, everything agrees.
#[test]
fn random_faults_and_random_actions_converge_exactly_once() {
    let server = TestServer::with_demo(150);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let phone = impatient_phone(&proxy.url());
    phone.sync().unwrap();
    let listings: Vec<_> = phone.listings().into_values().collect();
    let editable = editable(&listings);
    let token = phone.store.device_token().unwrap().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(20261123);
    proxy.set_random_faults(Some(RandomFaults {
        seed: 7,
        probability: 0.4,
        faults: every_fault(),
        path_prefix: None,
    }));
    let mut reports: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    for round in 0..25usize {
        for _ in 0..rng.random_range(1..4) {
            let l = &listings[rng.random_range(0..listings.len())];
            match rng.random_range(0..3) {
                0 => {
                    phone
                        .store
                        .save_job(l.id, Some(&format!("round {round}")))
                        .unwrap();
                }
                1 => {
                    phone.store.unsave_job(l.id).unwrap();
                }
                _ => {
                    if let Some(b) = l.building_id {
                        let r = visitor_report(b, rng.random_bool(0.5));
                        phone.store.record_report(&r).unwrap();
                        reports.insert(r.id, b);
                    }
                }
            }
        }
        let _ = phone.sync();
        if round.is_multiple_of(5) {
            server.update_listing_title(
                editable[round % editable.len()],
                &format!("Обновлено {round}"),
            );
        }
    }
    proxy.set_random_faults(None);
    phone.sync_until_done(3);

    assert!(proxy.stats().requests > 40);
    assert_eq!(phone.store.sync_status().unwrap().pending, 0);
    assert_eq!(server_saved_jobs(&server, &token), phone.saved());
    let mut by_building: BTreeMap<Uuid, BTreeMap<Uuid, usize>> = BTreeMap::new();
    for (report, building) in &reports {
        let counts = by_building
            .entry(*building)
            .or_insert_with(|| server_report_ids(&server, *building));
        assert_eq!(counts.get(report), Some(&1), "report {report} exactly once");
    }
    assert_eq!(phone.listings(), server_listings(&server));
    assert!(phone.integrity_ok());
}

/// Listings the server lets an admin edit (an edit re-validates `valid_through` against now).
fn editable(listings: &[teng_core::model::JobListing]) -> Vec<Uuid> {
    let now = chrono::Utc::now();
    listings
        .iter()
        .filter(|l| {
            l.valid_through
                .is_none_or(|v| v > now + chrono::Duration::days(1))
        })
        .map(|l| l.id)
        .collect()
}

/// The listing ids a client holds after applying the pages of `page_size` from zero up to `cursor`.
fn listings_up_to(server: &TestServer, page_size: u32, cursor: i64) -> BTreeSet<Uuid> {
    let mut ids = BTreeSet::new();
    let mut since = 0;
    while since < cursor {
        let (status, page) = server.get(
            &format!("/v1/sync/pull?since={since}&limit={page_size}"),
            None,
        );
        assert_eq!(status, 200);
        for change in page["changes"].as_array().unwrap() {
            if change["kind"] == "listing" {
                let id: Uuid = change["id"].as_str().unwrap().parse().unwrap();
                if change["op"] == "upsert" {
                    ids.insert(id);
                } else {
                    ids.remove(&id);
                }
            }
        }
        since = page["next"].as_i64().unwrap();
    }
    assert_eq!(since, cursor, "the phone's cursor is a page boundary");
    ids
}

#[test]
fn a_sync_killed_at_random_moments_always_leaves_a_sound_database() {
    let server = TestServer::with_demo(3_000);
    let child = env!("CARGO_BIN_EXE_teng-sync-child");
    let dir = tempfile::tempdir().unwrap();
    let page_size = "25";
    let run = |db: &std::path::Path| {
        Command::new(child)
            .args([db.to_str().unwrap(), &server.url(), page_size])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole first sync takes here, to kill within it.
    let started = Instant::now();
    let status = run(&dir.path().join("timing.db")).wait().unwrap();
    assert!(status.success());
    let full = started.elapsed();

    let db = dir.path().join("phone.db");
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut killed_mid_sync = 0;
    // Twelve kills, and more while fewer than half landed mid-sync: a sync that resumes has less
    // to do than the timed one, and a busy machine makes the timing a guess.
    let mut full = full;
    let mut rounds = 0;
    while rounds < 12 || (killed_mid_sync < 6 && rounds < 40) {
        rounds += 1;
        let mut process = run(&db);
        let wait = full.mul_f64(rng.random_range(0.02..0.9));
        std::thread::sleep(wait);
        if process.try_wait().unwrap().is_none() {
            killed_mid_sync += 1;
        } else {
            // It finished sooner than that: kill the next ones earlier.
            full = wait;
        }
        let _ = process.kill(); // SIGKILL
        process.wait().unwrap();

        assert!(integrity_ok(&db), "integrity after a kill");
        let store = teng_core::Store::open(&db).expect("the database always opens");
        let cursor = store.sync_status().unwrap().cursor;
        let local: BTreeSet<Uuid> = store
            .search(&teng_core::search::SearchQuery {
                filters: teng_core::search::SearchFilters {
                    include_closed: true,
                    ..Default::default()
                },
                page_size: 200,
                ..Default::default()
            })
            .map(|_| ())
            .and_then(|_| all_listing_ids(&store))
            .unwrap();
        assert_eq!(
            local,
            listings_up_to(&server, 25, cursor),
            "the data is exactly the pages up to the cursor ({cursor})"
        );
        drop(store);
        if cursor == server.stats().last_seq {
            // That sync had finished: start the next one from an empty phone again.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.path().join(format!("phone.db{suffix}")));
            }
        }
    }
    assert!(
        killed_mid_sync >= 6,
        "only {killed_mid_sync} of {rounds} kills landed mid-sync"
    );

    let status = run(&db).wait().unwrap();
    assert!(status.success(), "the next sync completes");
    let store = teng_core::Store::open(&db).unwrap();
    assert_eq!(
        all_listing_ids(&store).unwrap(),
        server_listings(&server)
            .keys()
            .copied()
            .collect::<BTreeSet<_>>()
    );
}

fn all_listing_ids(store: &teng_core::Store) -> teng_core::Result<BTreeSet<Uuid>> {
    let mut ids = BTreeSet::new();
    let mut query = teng_core::search::SearchQuery {
        filters: teng_core::search::SearchFilters {
            include_closed: true,
            ..Default::default()
        },
        page_size: 200,
        ..Default::default()
    };
    loop {
        let page = store.search(&query)?;
        ids.extend(page.hits.iter().map(|h| h.listing.id));
        match page.next_page_token {
            Some(t) => query.page_token = Some(t),
            None => return Ok(ids),
        }
    }
}

/// Several phones act offline and sync in random interleavings while the server changes; when all
/// have synced last, each one's catalogue is the server's and each one's saved jobs are its own.
#[test]
fn random_interleavings_of_offline_actions_and_syncs_on_several_phones_converge() {
    for seed in [1u64, 2, 3] {
        let server = TestServer::with_demo(100);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let phones: Vec<Phone> = (0..3).map(|_| Phone::new(&server.url())).collect();
        phones[0].sync().unwrap();
        let ids: Vec<Uuid> = phones[0].listings().keys().copied().collect();
        let editable = editable(&phones[0].listings().into_values().collect::<Vec<_>>());
        // What each phone's user wants saved, by their own last action.
        let mut wanted: Vec<BTreeSet<Uuid>> = vec![BTreeSet::new(); phones.len()];
        for step in 0..60 {
            let p = rng.random_range(0..phones.len());
            match rng.random_range(0..5) {
                0 | 1 => {
                    let id = ids[rng.random_range(0..ids.len())];
                    phones[p].store.save_job(id, None).unwrap();
                    wanted[p].insert(id);
                }
                2 => {
                    let id = ids[rng.random_range(0..ids.len())];
                    phones[p].store.unsave_job(id).unwrap();
                    wanted[p].remove(&id);
                }
                3 => {
                    phones[p].sync().unwrap();
                }
                _ => {
                    let id = editable[rng.random_range(0..editable.len())];
                    if rng.random_bool(0.3) {
                        if server
                            .listing(id)
                            .is_some_and(|l| l.status == teng_core::model::ListingStatus::Published)
                        {
                            server.close_listing(id);
                        }
                    } else {
                        server.update_listing_title(id, &format!("Шаг {step}"));
                    }
                }
            }
        }
        let catalogue = server_listings(&server);
        for (p, phone) in phones.iter().enumerate() {
            phone.sync().unwrap();
            assert_eq!(
                phone.listings(),
                catalogue,
                "seed {seed}, phone {p}: catalogue"
            );
            assert_eq!(
                phone.saved(),
                wanted[p],
                "seed {seed}, phone {p}: own saved jobs"
            );
            let token = phone.store.device_token().unwrap().unwrap();
            assert_eq!(
                server_saved_jobs(&server, &token),
                wanted[p],
                "seed {seed}, phone {p}: server"
            );
        }
    }
}

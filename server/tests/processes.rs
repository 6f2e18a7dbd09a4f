//! Several `teng-server serve` processes on one PostgreSQL database behave as one server (issue
//! 15): changes written through every process at once reach every puller exactly once, in cursor
//! order, through any process (docs/sync-protocol.md, "The cursor"); a token from one process works
//! on the others; a push batch retried on another process applies nothing twice; two creates of
//! one id at once make one record; the daily maintenance runs in one process a day.
//!
//! PostgreSQL only (`TENG_TEST_POSTGRES_URL`, as scripts/test-postgres.sh sets it); on SQLite each
//! test says it was skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::generator::{DataSize, Generator};
use teng_server::storage::postgres::{PostgresStorage, ScratchDatabase};
use teng_server::storage::sqlite::DEVICE_BUILDING_REPORTS;
use teng_server::storage::{Reporter, Storage, StorageError, DAILY_JOB_EVERY};

const PASSWORD: &str = "several-processes-2026";

/// Server processes on one scratch database, killed when dropped.
struct Cluster {
    urls: Vec<String>,
    children: Vec<Child>,
    database: Option<ScratchDatabase>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        // After the processes: the database goes last.
        self.database.take();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The PostgreSQL server to test on, or `None` (and a line saying the test was skipped).
fn postgres_server() -> Option<String> {
    let server = ScratchDatabase::server_from_env();
    if server.is_none() {
        eprintln!(
            "skipped: PostgreSQL only (set TENG_TEST_POSTGRES_URL; scripts/test-postgres.sh)"
        );
    }
    server
}

/// Runs `f` on `N` storages on one new database, as `N` server processes would open it; skipped
/// without PostgreSQL.
async fn on_storages<const N: usize>(f: impl FnOnce([PostgresStorage; N]) + Send + 'static) {
    let Some(server) = postgres_server() else {
        return;
    };
    tokio::task::spawn_blocking(move || {
        let database = ScratchDatabase::create(&server).unwrap();
        let timeout = Duration::from_secs(5);
        f(std::array::from_fn(|_| {
            PostgresStorage::open(&database.url, timeout).unwrap()
        }));
    })
    .await
    .unwrap();
}

/// Runs `f(0)` .. `f(n - 1)` on threads of their own, let go at the same moment.
fn at_once<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, f) = (&barrier, &f);
                s.spawn(move || {
                    barrier.wait();
                    f(i)
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    })
}

/// `n` processes on a new database with an `admin` account, or `None` without PostgreSQL.
async fn cluster(n: usize) -> Option<Cluster> {
    let server = postgres_server()?;
    let database = tokio::task::spawn_blocking(move || ScratchDatabase::create(&server))
        .await
        .unwrap()
        .unwrap();
    let bin = env!("CARGO_BIN_EXE_teng-server");
    let created = Command::new(bin)
        .args(["admin", "--db", &database.url, "create-user"])
        .args(["--username", "admin", "--role", "admin"])
        .env("TENG_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    let mut cluster = Cluster {
        urls: Vec::new(),
        children: Vec::new(),
        database: None,
    };
    for _ in 0..n {
        let port = free_port();
        let child = Command::new(bin)
            .args(["--log", "warn", "serve", "--db", &database.url])
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--device-registrations-per-minute", "100000"])
            .args(["--reports-per-hour", "100000"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        cluster.children.push(child);
        cluster.urls.push(format!("http://127.0.0.1:{port}"));
    }
    cluster.database = Some(database);
    let client = Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    for url in &cluster.urls {
        while client.get(format!("{url}/healthz")).send().await.is_err() {
            assert!(Instant::now() < deadline, "{url} did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Some(cluster)
}

async fn login(client: &Client, url: &str) -> String {
    let r = client
        .post(format!("{url}/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_on_every_process_reach_every_puller_exactly_once_in_cursor_order() {
    let Some(cluster) = cluster(3).await else {
        return;
    };
    let client = Client::new();
    // A token from one process is good on every other.
    let token = login(&client, &cluster.urls[0]).await;
    let urls = Arc::new(cluster.urls.clone());

    const WRITERS: usize = 8;
    const EACH: usize = 25;
    let writing = Arc::new(AtomicBool::new(true));
    let mut pullers = Vec::new();
    for p in 0..4 {
        let (client, urls, writing) = (client.clone(), Arc::clone(&urls), Arc::clone(&writing));
        pullers.push(tokio::spawn(async move {
            // Every entry this puller received, by seq; it pulls from a different process each time.
            let mut seen: BTreeMap<i64, String> = BTreeMap::new();
            let mut since = 0;
            let mut turn = p;
            loop {
                let done = !writing.load(Ordering::SeqCst);
                let url = &urls[turn % urls.len()];
                turn += 1;
                let page: Value = client
                    .get(format!("{url}/v1/sync/pull?since={since}&limit=7"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                for change in page["changes"].as_array().unwrap() {
                    let seq = change["seq"].as_i64().unwrap();
                    assert!(seq > since, "puller {p}: seq {seq} after cursor {since}");
                    let earlier = seen.insert(seq, change["id"].as_str().unwrap().to_string());
                    assert!(earlier.is_none(), "puller {p} got seq {seq} twice");
                }
                since = page["next"].as_i64().unwrap();
                // The writers had finished before this pull began and it brought the end.
                if done && page["has_more"] == false {
                    return seen;
                }
            }
        }));
    }
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (client, urls, token) = (client.clone(), Arc::clone(&urls), token.clone());
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..EACH {
                let url = &urls[(w + i) % urls.len()];
                let r = client
                    .post(format!("{url}/v1/organizations"))
                    .bearer_auth(&token)
                    .json(&json!({ "name": format!("Writer {w} org {i}"), "kind": "ngo" }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                let v: Value = r.json().await.unwrap();
                ids.push(v["id"].as_str().unwrap().to_string());
            }
            ids
        }));
    }
    let mut written = BTreeSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    assert_eq!(written.len(), WRITERS * EACH);
    writing.store(false, Ordering::SeqCst);
    for p in pullers {
        let seen = p.await.unwrap();
        let got: BTreeSet<String> = seen.into_values().collect();
        assert_eq!(
            got, written,
            "every organization, each once, to every puller"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_batch_retried_on_another_process_applies_nothing_twice() {
    let Some(cluster) = cluster(2).await else {
        return;
    };
    let client = Client::new();
    let device: Value = client
        .post(format!("{}/v1/devices", cluster.urls[0]))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = device["token"].as_str().unwrap();
    let batch = json!({ "mutations": (0..20).map(|_| json!({
        "id": Uuid::now_v7(), "op": "unsave_job", "listing_id": Uuid::now_v7()
    })).collect::<Vec<_>>() });
    // The first answer was lost; the phone sends the batch again, and it lands on process 2,
    // while process 1 may still be applying it.
    let push = |url: String| {
        let (client, batch, token) = (client.clone(), batch.clone(), token.to_string());
        async move {
            let r = client
                .post(format!("{url}/v1/sync/push"))
                .bearer_auth(token)
                .json(&batch)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        }
    };
    let (first, second) =
        tokio::join!(push(cluster.urls[0].clone()), push(cluster.urls[1].clone()));
    let statuses = |v: &Value| -> Vec<String> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect()
    };
    let (a, b) = (statuses(&first), statuses(&second));
    for i in 0..20 {
        let pair = [a[i].as_str(), b[i].as_str()];
        assert!(
            pair == ["applied", "duplicate"] || pair == ["duplicate", "applied"],
            "mutation {i}: {pair:?}"
        );
    }
    // One change row per mutation: the device's pull lists each listing once.
    let page: Value = client
        .get(format!(
            "{}/v1/sync/pull?since=0&limit=1000",
            cluster.urls[1]
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seqs: BTreeSet<i64> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs.len(), 20, "{page}");
}

#[tokio::test]
async fn the_daily_maintenance_is_claimed_by_one_process_a_day() {
    on_storages(|[one, other]| {
        let now = chrono::Utc::now();
        assert!(one.claim_daily_job(now).unwrap());
        assert!(!other.claim_daily_job(now).unwrap());
        assert!(!one
            .claim_daily_job(now + chrono::Duration::hours(1))
            .unwrap());
        let tomorrow = now + chrono::Duration::hours(24);
        assert!(other.claim_daily_job(tomorrow).unwrap());
        assert!(!one.claim_daily_job(tomorrow).unwrap());
    })
    .await;
}

/// Two processes creating a record of one client-chosen id at the same moment (a phone's retry
/// landing on another process, a double-clicked form): one create makes it, the other is told it
/// is a duplicate. Checking for the id first would let both through and the second overwrite
/// the first.
#[tokio::test]
async fn creates_of_one_id_on_two_processes_at_once_make_one_record_and_one_duplicate() {
    on_storages(|processes: [PostgresStorage; 2]| {
        const ROUNDS: usize = 12;
        let now = chrono::Utc::now();
        let g = Generator::new(
            15,
            DataSize {
                organizations: ROUNDS,
                buildings: ROUNDS,
                listings: ROUNDS,
            },
            now,
        );
        // Each round starts both creates together; exactly one may succeed.
        let race =
            |what: &str, create: &(dyn Fn(&PostgresStorage) -> Result<(), StorageError> + Sync)| {
                let outcomes = at_once(processes.len(), |i| create(&processes[i]));
                let made = outcomes.iter().filter(|o| o.is_ok()).count();
                let duplicates = outcomes
                    .iter()
                    .filter(|o| matches!(o, Err(StorageError::Duplicate(_))))
                    .count();
                assert_eq!((made, duplicates), (1, 1), "{what}: {outcomes:?}");
            };
        for i in 0..ROUNDS {
            let org = g.organization(i);
            race("organization", &|p| {
                p.create_organization(&org, now).map(|_| ())
            });
        }
        for i in 0..ROUNDS {
            let building = g.building(i);
            race("building", &|p| {
                p.create_building(&building, None, now).map(|_| ())
            });
        }
        for i in 0..ROUNDS {
            let listing = g.listing(i);
            race("listing", &|p| p.create_listing(&listing, now).map(|_| ()));
        }
        // One change row per record, the first create's (drafts are not synced).
        let published = (0..ROUNDS)
            .filter(|&i| g.listing(i).status == teng_core::model::ListingStatus::Published)
            .count();
        let page = processes[0].pull(0, 1000, None, false).unwrap();
        assert_eq!(page.changes.len(), 2 * ROUNDS + published);
    })
    .await;
}

/// Reports about one building sent through two processes at once (a crowd at an event, Open311
/// systems posting in parallel): none fails on a deadlock, and one device's reports stop at its
/// cap however they arrive.
#[tokio::test]
async fn reports_about_one_building_at_once_neither_deadlock_nor_pass_a_devices_cap() {
    use teng_core::accessibility::{
        AccessibilityReport, Facts, Feature, FeatureValue, Method, ReporterKind,
    };

    on_storages(|processes: [PostgresStorage; 2]| {
        const AT_ONCE: usize = 12;
        let now = chrono::Utc::now();
        let g = Generator::new(
            16,
            DataSize {
                organizations: 1,
                buildings: 1,
                listings: 0,
            },
            now,
        );
        let building = g.building(0);
        processes[0].create_building(&building, None, now).unwrap();
        let report = |i: usize| AccessibilityReport {
            id: Uuid::now_v7(),
            building_id: building.id,
            reporter: format!("visitor {i}").as_str().into(),
            reporter_kind: ReporterKind::Anonymous,
            observed_at: now,
            method: Method::Estimated,
            facts: Facts::new().with(Feature::Elevator, FeatureValue::Bool(i.is_multiple_of(2))),
            note: None,
        };
        let devices: Vec<Uuid> = (0..AT_ONCE).map(|_| Uuid::now_v7()).collect();
        for d in &devices {
            processes[0].create_device(*d, now).unwrap();
        }

        // A device each: every report is stored.
        let outcomes = at_once(AT_ONCE, |i| {
            processes[i % 2].submit_report(&report(i), Reporter::Device(devices[i]), now)
        });
        assert!(outcomes.iter().all(|o| o.is_ok()), "{outcomes:?}");

        // One device: its cap, and a clear answer for the rest.
        let one = devices[0];
        let outcomes = at_once(AT_ONCE, |i| {
            processes[i % 2].submit_report(&report(i), Reporter::Device(one), now)
        });
        let stored = outcomes.iter().filter(|o| o.is_ok()).count();
        let limited = outcomes
            .iter()
            .filter(|o| matches!(o, Err(StorageError::Limited(_))))
            .count();
        let cap = DEVICE_BUILDING_REPORTS as usize;
        // The first round stored one report of this device already.
        assert_eq!(
            (stored, limited),
            (cap - 1, AT_ONCE - (cap - 1)),
            "{outcomes:?}"
        );
    })
    .await;
}

/// Processes that start together each build the first-sync snapshot from the same log: one
/// generation is stored and none of them fails; one that starts later in the day builds none
/// (the daily job builds the next), so a rolling restart does not drop the chunks phones are
/// downloading.
#[tokio::test]
async fn processes_starting_together_store_one_snapshot_generation() {
    use teng_server::snapshot;

    on_storages(|processes: [PostgresStorage; 3]| {
        let now = chrono::Utc::now();
        let g = Generator::new(17, DataSize::for_listings(600), now);
        let listings: Vec<_> = g.listings().collect();
        processes[0]
            .import(&g.organizations(), &g.buildings(), &listings, now)
            .unwrap();

        let outcomes = at_once(processes.len(), |i| {
            snapshot::build_unless_recent(&processes[i], now)
        });
        let stored: Vec<i64> = outcomes
            .iter()
            .map(|o| o.as_ref().expect("no process fails"))
            .filter_map(|g| *g)
            .collect();
        assert_eq!(stored.len(), 1, "{outcomes:?}");
        let manifest = processes[2].snapshot_manifest(None).unwrap().unwrap();
        assert_eq!(manifest.generation, stored[0]);

        // The log moves on; a process restarted an hour later leaves the snapshot alone.
        processes[1]
            .create_organization(&g.organization(g.size().organizations), now)
            .unwrap();
        let later = now + chrono::Duration::hours(1);
        assert_eq!(
            snapshot::build_unless_recent(&processes[1], later).unwrap(),
            None
        );
        // The daily job builds the next one.
        let next = snapshot::build(&processes[1], later + DAILY_JOB_EVERY).unwrap();
        assert_eq!(next, Some(stored[0] + 1));
    })
    .await;
}

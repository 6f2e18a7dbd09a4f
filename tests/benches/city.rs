//! City office figures (issue 13), printed for BENCHMARKS.md: over 200,000 reports received in the
//! past year, the city inbox page (first page, filters, the next page), Open311 `requests.json`
//! (no filter, a service and status) and a year's digest (page and CSV), each timed over loopback
//! with one connection, so the figure is the server's own time per request.
//!
//! A real teng-server (`TestServer`) on a temp SQLite file: 2,500 buildings (2,000 in Bishkek over
//! its four districts, 500 in Osh), reports written straight to the database as an older server
//! would have left them (so the first figure is the startup catch-up of the Open311 index), a
//! quarter of them answered (with their status history, for the digest's time to answer), and a
//! Bishkek city office user with a web session.
//!
//! ```sh
//! cargo bench -p teng-tests --bench city                       # 200k reports
//! TENG_BENCH_REPORTS=20000 cargo bench -p teng-tests --bench city
//! TENG_BENCH_KEEP_DB=/tmp/city.db cargo bench -p teng-tests --bench city   # keep a copy
//! ```

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::blocking::Client;
use uuid::Uuid;

use teng_core::accessibility::{
    AccessLevel, AccessibilityReport, Facts, Feature, FeatureValue, Method, ReporterKind,
};
use teng_core::model::{Address, Building, GeoPoint, Region};
use teng_server::auth::Role;
use teng_server::storage::{BuildingFilter, Reporter, User};
use teng_tests::server::TestServer;

/// Issue 13's budgets.
const P99_BUDGET_MS: f64 = 30.0;
const DIGEST_BUDGET_MS: f64 = 2_000.0;
const DISTRICTS: [&str; 4] = ["Leninsky", "Oktyabrsky", "Pervomaisky", "Sverdlovsky"];

fn main() {
    // `cargo test --all-targets` runs this binary without `--bench`: then only the quick checks run.
    if !std::env::args().any(|a| a == "--bench") {
        self_check();
        println!("city bench: checks passed; run it with `cargo bench -p teng-tests --bench city`");
        return;
    }
    let reports = std::env::var("TENG_BENCH_REPORTS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(200_000usize);

    let server = TestServer::start();
    let now = Utc::now();
    let started = Instant::now();
    fill(&server, reports, now);
    println!(
        "{reports} reports over a year written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let indexed = server
        .storage()
        .open311_catch_up()
        .expect("open311 catch-up");
    println!(
        "Open311 index of reports stored before it (the startup catch-up): {indexed} reports in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let Ok(copy) = std::env::var("TENG_BENCH_KEEP_DB") {
        // A copy to study the query plans with (`sqlite3 <copy>`, `EXPLAIN QUERY PLAN ...`).
        rusqlite::Connection::open(server.db_path())
            .and_then(|c| c.execute("VACUUM INTO ?1", [&copy]))
            .expect("copy the database");
        println!("database copied to {copy}");
    }
    let started = Instant::now();
    let buildings = summaries(&server, now);
    println!(
        "building summaries: {buildings} buildings summarized in {:.1} s (by one more phone report \
         each; the \"not step-free\" filter reads them)",
        started.elapsed().as_secs_f64()
    );
    let cookie = city_session(&server, now);
    let http = Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client");

    let year_ago = (now - chrono::Duration::days(365)).format("%Y-%m-%d");
    let today = now.format("%Y-%m-%d");
    let started = Instant::now();
    let first = get(&server, &http, "/city/reports", &cookie);
    println!(
        "first inbox page (cold): {:.0} ms",
        started.elapsed().as_secs_f64() * 1_000.0
    );
    let next = first
        .find("before=")
        .map(|at| {
            let start = first[..at].rfind('"').expect("href start") + 1;
            let end = at + first[at..].find('"').expect("href end");
            first[start..end].replace("&amp;", "&")
        })
        .expect("the inbox has a next page link");
    let pages: Vec<(String, String)> = vec![
        ("city inbox, first page".into(), "/city/reports".into()),
        ("city inbox, next page".into(), next),
        (
            "city inbox, waiting for an answer".into(),
            "/city/reports?status=waiting".into(),
        ),
        (
            "city inbox, district + feature + not step-free".into(),
            "/city/reports?district=Leninsky&feature=entrance_step_count&steps=1".into(),
        ),
        (
            "city inbox, a month's date range".into(),
            format!(
                "/city/reports?from={}&to={}",
                (now - chrono::Duration::days(60)).format("%Y-%m-%d"),
                (now - chrono::Duration::days(30)).format("%Y-%m-%d")
            ),
        ),
        (
            "open311 requests.json".into(),
            "/open311/v2/requests.json".into(),
        ),
        (
            "open311 requests.json, service + status".into(),
            "/open311/v2/requests.json?service_code=narrow_door&status=open".into(),
        ),
        (
            "open311 requests.xml, a month".into(),
            format!(
                "/open311/v2/requests.xml?start_date={}T00:00:00Z&end_date={}T00:00:00Z",
                (now - chrono::Duration::days(60)).format("%Y-%m-%d"),
                (now - chrono::Duration::days(30)).format("%Y-%m-%d")
            ),
        ),
    ];
    let digests: Vec<(String, String)> = vec![
        (
            "digest of a year (page)".into(),
            format!("/city/digest?from={year_ago}&to={today}"),
        ),
        (
            "digest of a year (CSV)".into(),
            format!("/city/digest.csv?from={year_ago}&to={today}"),
        ),
    ];

    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (name, path) in &pages {
        let t = time(&server, &http, path, &cookie, 200);
        println!("  {name}: p50 {:.2} ms, p99 {:.2} ms", t.p50, t.p99);
        if t.p99 > P99_BUDGET_MS {
            problems.push(format!("{name}: p99 {:.1} ms > {P99_BUDGET_MS} ms", t.p99));
        }
        rows.push((name, "p99 ≤ 30 ms", t));
    }
    for (name, path) in &digests {
        let t = time(&server, &http, path, &cookie, 10);
        println!("  {name}: p50 {:.0} ms, slowest {:.0} ms", t.p50, t.max);
        if t.max > DIGEST_BUDGET_MS {
            problems.push(format!(
                "{name}: slowest {:.0} ms > {DIGEST_BUDGET_MS} ms",
                t.max
            ));
        }
        rows.push((name, "≤ 2 s", t));
    }
    println!();
    println!("| request ({reports} reports) | target | bytes | runs | p50 | p99 | slowest |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, target, t) in &rows {
        println!(
            "| {name} | {target} | {} | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
            t.bytes, t.runs, t.p50, t.p99, t.max
        );
    }
    println!();
    if problems.is_empty() {
        println!("all budgets met");
    } else {
        println!("over budget:");
        for p in &problems {
            println!("  - {p}");
        }
    }
}

/// Buildings and `n` reports received over the past year, written as rows.
fn fill(server: &TestServer, n: usize, now: DateTime<Utc>) {
    let storage = server.storage();
    let mut buildings = Vec::new();
    for i in 0..2_500 {
        let (city, region, district) = if i < 2_000 {
            ("Bishkek", Region::Bishkek, DISTRICTS[i % DISTRICTS.len()])
        } else {
            ("Osh", Region::OshCity, "Central")
        };
        let b = Building {
            id: Uuid::now_v7(),
            name: format!("Building {i}"),
            address: Address {
                street: format!("{} Chui Avenue", i + 1),
                city: city.into(),
                district: Some(district.into()),
                region,
            },
            location: GeoPoint::new(
                42.80 + (i % 50) as f64 * 0.002,
                74.50 + (i / 50) as f64 * 0.002,
            ),
            osm_id: None,
        };
        storage
            .create_building(&b, None, now - chrono::Duration::days(400))
            .expect("a building");
        buildings.push(b.id);
    }
    let mut c = rusqlite::Connection::open(server.db_path()).expect("open the database");
    c.busy_timeout(Duration::from_secs(30))
        .expect("busy timeout");
    let tx = c.transaction().expect("a transaction");
    {
        let mut report_row = tx
            .prepare(
                "INSERT INTO reports(id, building_id, body, created_at, status, status_note,
                                     status_updated_at, status_lang)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .expect("insert reports");
        let mut history_row = tx
            .prepare(
                "INSERT INTO report_status_history(report_id, status, note, lang, by_kind, at)
                 VALUES (?1, ?2, ?3, 'en', 'city', ?4)",
            )
            .expect("insert history");
        let year_ms = 365 * 24 * 3600 * 1000_i64;
        for i in 0..n {
            let building = buildings[(i * 7919) % buildings.len()];
            let received = now - chrono::Duration::milliseconds((i as i64 * year_ms) / n as i64);
            let report = AccessibilityReport {
                id: Uuid::now_v7(),
                building_id: building,
                reporter: format!("bench-{i}").as_str().into(),
                reporter_kind: ReporterKind::Anonymous,
                observed_at: received,
                method: Method::Estimated,
                facts: facts(i),
                note: None,
            };
            let id = report.id.to_string();
            // A quarter answered, a few days after they came in.
            let answer = match i % 8 {
                0 => Some(("resolved", "ramp installed")),
                1 => Some(("acknowledged", "inspection planned")),
                _ => None,
            };
            let answered_at = answer.map(|_| {
                (received + chrono::Duration::hours(12 + (i % 240) as i64)).timestamp_millis()
            });
            report_row
                .execute(rusqlite::params![
                    id,
                    building.to_string(),
                    serde_json::to_string(&report).expect("report json"),
                    received.timestamp_millis(),
                    answer.map_or("open", |a| a.0),
                    answer.map(|a| a.1),
                    answered_at,
                    answer.map(|_| "en"),
                ])
                .expect("a report row");
            if let (Some((status, note)), Some(at)) = (answer, answered_at) {
                history_row
                    .execute(rusqlite::params![id, status, note, at])
                    .expect("a history row");
            }
        }
    }
    tx.commit().expect("commit the reports");
}

/// One more report per building through storage, as a phone's arrives, so every building has a
/// stored summary aggregated from its reports (rows written straight to the table have none).
fn summaries(server: &TestServer, now: DateTime<Utc>) -> usize {
    let storage = server.storage();
    let device = Uuid::new_v4();
    storage
        .create_device(device, now - chrono::Duration::days(400))
        .expect("a device");
    let ids: Vec<Uuid> = storage
        .list_buildings(&BuildingFilter {
            limit: 10_000,
            ..Default::default()
        })
        .expect("buildings")
        .into_iter()
        .map(|b| b.building.id)
        .collect();
    for (i, id) in ids.iter().enumerate() {
        // Received over the last minutes, as phones' reports arrive (never two in one instant).
        let received = now - chrono::Duration::milliseconds(97 * i as i64);
        let report = AccessibilityReport {
            id: Uuid::now_v7(),
            building_id: *id,
            reporter: device.into(),
            reporter_kind: ReporterKind::Anonymous,
            observed_at: received,
            method: Method::Estimated,
            facts: facts(i),
            note: None,
        };
        storage
            .submit_report(&report, Reporter::Device(device), received)
            .expect("a phone's report");
    }
    ids.len()
}

/// What report `i` says: the problems a city hears about most.
fn facts(i: usize) -> Facts {
    match i % 5 {
        0 => Facts::new().with(
            Feature::EntranceStepCount,
            FeatureValue::Count(1 + (i % 4) as u32),
        ),
        1 => Facts::new().with(Feature::DoorWidth, FeatureValue::Centimetres(70)),
        2 => Facts::new().with(Feature::ElevatorWorking, FeatureValue::Bool(false)),
        3 => Facts::new().with(Feature::Toilet, FeatureValue::Access(AccessLevel::No)),
        _ => Facts::new().with(Feature::Elevator, FeatureValue::Bool(true)),
    }
}

/// A Bishkek city office user with a live web session: the `Cookie` header.
fn city_session(server: &TestServer, now: DateTime<Utc>) -> String {
    let user = User {
        id: Uuid::now_v7(),
        username: "bishkek-office".into(),
        role: Role::City,
        organization_id: None,
        city: Some("Bishkek".into()),
        created_at: now,
    };
    format!("teng_session={}", server.web_session(&user))
}

fn get(server: &TestServer, http: &Client, path: &str, cookie: &str) -> String {
    let res = http
        .get(server.endpoint(path))
        .header("Cookie", cookie)
        .header("Accept-Language", "ky")
        .send()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = res.status();
    let body = res.text().expect("body");
    assert!(status.is_success(), "GET {path}: {status}: {body:.300}");
    body
}

/// Percentiles of `runs` sequential requests (after a few to warm up), in milliseconds.
struct Timing {
    runs: usize,
    bytes: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

fn time(server: &TestServer, http: &Client, path: &str, cookie: &str, runs: usize) -> Timing {
    let mut bytes = 0;
    for _ in 0..3 {
        bytes = get(server, http, path, cookie).len();
    }
    let mut took: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            get(server, http, path, cookie);
            started.elapsed().as_secs_f64() * 1_000.0
        })
        .collect();
    took.sort_by(f64::total_cmp);
    Timing {
        runs,
        bytes,
        p50: percentile(&took, 50.0),
        p99: percentile(&took, 99.0),
        max: took.last().copied().unwrap_or(0.0),
    }
}

/// The nearest-rank percentile of sorted `values`.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn self_check() {
    let values: Vec<f64> = (1..=100).map(f64::from).collect();
    assert_eq!(percentile(&values, 50.0), 50.0);
    assert_eq!(percentile(&values, 99.0), 99.0);
    assert_eq!(percentile(&values[..1], 99.0), 1.0);
    assert_eq!(percentile(&[], 99.0), 0.0);
    // Every report speaks of one problem; the five kinds repeat.
    assert_ne!(facts(0), facts(1));
    assert_eq!(facts(0), facts(20));
}

//! Offline search figures on generated data (issue 2's targets). Prints what it measures.
//!
//!     cargo bench -p teng-core --bench search
//!     TENG_BENCH_LISTINGS=20000 cargo bench -p teng-core --bench search   # a quicker run
//!
//! Targets at 100k listings / 20k buildings: keyword + 2 filters, newest first, 20 results:
//! p50 <= 2 ms, p99 <= 10 ms; 10 km distance query sorted by distance: p99 <= 15 ms; batch upsert
//! >= 50k rows/s; opening the existing file <= 50 ms.

use std::time::{Duration, Instant};

use chrono::Utc;
use teng_core::accessibility::AccessRequirement;
use teng_core::generator::{DataSize, Generator};
use teng_core::model::{Accommodation, EmploymentType, GeoPoint, JobListing};
use teng_core::search::{Near, SearchFilters, SearchQuery, SortOrder};
use teng_core::Store;

const BATCH: usize = 500;

fn main() {
    let listings: usize = std::env::var("TENG_BENCH_LISTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let size = DataSize::for_listings(listings);
    let generator = Generator::new(42, size, Utc::now());
    println!(
        "data: {} listings, {} buildings, {} organizations (seed 42)",
        size.listings, size.buildings, size.organizations
    );

    let store = Store::open(&path).expect("open");
    let rate = load(&store, &generator, |l| l);
    println!(
        "batch upsert: {listings} listings at {rate:.0} rows/s (batches of {BATCH}, one transaction \
         each; time-ordered ids, as the server mints them)"
    );
    {
        // The same listings with random (version 4) ids, as a client that mints its own might send:
        // every page then writes all over the id index.
        let path = dir.path().join("random-ids.db");
        let store = Store::open(&path).expect("open");
        let rate = load(&store, &generator, |mut l| {
            // The random half of the time-ordered id first: random order, still unique.
            let (time_ordered, random) = l.id.as_u64_pair();
            let bytes = uuid::Uuid::from_u64_pair(random, time_ordered).into_bytes();
            l.id = uuid::Builder::from_random_bytes(bytes).into_uuid();
            l
        });
        println!("batch upsert with random ids: {rate:.0} rows/s");
    }
    drop(store);
    checkpoint(&path);
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "database size: {:.1} MB ({:.1} MB per 100k listings)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 * 100_000.0 / listings as f64
    );

    let opens: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let store = Store::open(&path).expect("reopen");
            let elapsed = start.elapsed();
            drop(store);
            elapsed
        })
        .collect();
    report("open existing database", opens);

    let store = Store::open(&path).expect("reopen");
    let start = Instant::now();
    store.search(&SearchQuery::default()).expect("first search");
    println!(
        "first search after opening (loads the in-memory facets): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    // Job words match a few percent of listings each; city names match up to half of them.
    let keywords = [
        "бухгалтер",
        "оператор",
        "мугалим",
        "developer",
        "повар",
        "сатуучу",
        "программист",
        "администратор",
        "тигуучу",
        "кассир",
        "designer",
        "учитель",
        "support",
        "ашпозчу",
        "менеджер",
        "швея",
        "бух",
        "опер",
    ];
    let cities = ["bishkek", "бишкек", "ош", "karakol", "нарын"];
    let filters = SearchFilters {
        employment_types: vec![EmploymentType::FullTime, EmploymentType::PartTime],
        accommodations: vec![Accommodation::FlexibleHours],
        ..Default::default()
    };
    let mut hits = 0usize;
    let keyword_times = time_queries(2_000, |i| {
        let q = SearchQuery {
            text: keywords[i % keywords.len()].to_string(),
            filters: filters.clone(),
            sort: SortOrder::Newest,
            page_size: 20,
            page_token: None,
        };
        let page = store.search(&q).expect("search");
        hits += page.hits.len();
    });
    report(
        "keyword + 2 filters, newest first, 20 results",
        keyword_times,
    );
    println!("  (average hits per page: {:.1})", hits as f64 / 2_020.0);

    let city_times = time_queries(500, |i| {
        let q = SearchQuery {
            text: cities[i % cities.len()].to_string(),
            filters: filters.clone(),
            sort: SortOrder::Newest,
            page_size: 20,
            page_token: None,
        };
        store.search(&q).expect("search");
    });
    report(
        "city name (matches up to half) + 2 filters, newest first",
        city_times,
    );

    // What the public /jobs page does with one common word: no filters, by relevance.
    let mut broad_matches = 0u64;
    let broad_times = time_queries(300, |i| {
        let q = SearchQuery {
            text: cities[i % cities.len()].to_string(),
            sort: SortOrder::Relevance,
            page_size: 20,
            ..Default::default()
        };
        broad_matches += store.search(&q).expect("search").total;
    });
    report("city name alone, by relevance, 20 results", broad_times);
    println!("  (average matches: {:.0})", broad_matches as f64 / 320.0);

    let mut access_hits = 0u64;
    let access_times = time_queries(1_000, |i| {
        let q = SearchQuery {
            text: keywords[i % keywords.len()].to_string(),
            filters: SearchFilters {
                access: vec![AccessRequirement::StepFreeEntrance],
                verified_only: true,
                ..Default::default()
            },
            sort: SortOrder::Relevance,
            ..Default::default()
        };
        access_hits += store.search(&q).expect("search").total;
    });
    report(
        "keyword + step-free entrance + verified, by relevance",
        access_times,
    );
    println!("  (average matches: {:.1})", access_hits as f64 / 1_000.0);

    let points = [
        GeoPoint::new(42.8746, 74.5698), // Bishkek centre: the densest case
        GeoPoint::new(42.8400, 74.6000),
        GeoPoint::new(40.5283, 72.7985), // Osh
        GeoPoint::new(42.4907, 78.3936), // Karakol
    ];
    let mut total = 0u64;
    let distance_times = time_queries(1_000, |i| {
        let q = SearchQuery {
            filters: SearchFilters {
                near: Some(Near {
                    point: points[i % points.len()],
                    radius_km: 10.0,
                }),
                ..Default::default()
            },
            sort: SortOrder::Distance,
            page_size: 20,
            ..Default::default()
        };
        total += store.search(&q).expect("search").total;
    });
    report(
        "10 km around a point, sorted by distance, 20 results",
        distance_times,
    );
    println!(
        "  (average matches within 10 km: {:.0})",
        total as f64 / 1_000.0
    );
}

fn time_queries(n: usize, mut run: impl FnMut(usize)) -> Vec<Duration> {
    for i in 0..20 {
        run(i); // warm the statement cache and the page cache
    }
    (0..n)
        .map(|i| {
            let start = Instant::now();
            run(i);
            start.elapsed()
        })
        .collect()
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{what}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} runs)",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3,
        times.len()
    );
}

/// Writes the generator's organizations, buildings and their accessibility summaries, then its
/// listings (passed through `id`) in batches of [`BATCH`]; returns listings written per second.
/// Only the listings are timed, not their generation.
fn load(store: &Store, generator: &Generator, id: impl Fn(JobListing) -> JobListing) -> f64 {
    store
        .upsert_organizations(&generator.organizations())
        .expect("orgs");
    store
        .upsert_buildings(&generator.buildings())
        .expect("buildings");
    // What the buildings' crowd reports add up to, as a sync delivers it with the buildings.
    let summaries: Vec<_> = (0..generator.size().buildings)
        .filter_map(|i| generator.building_summary(i))
        .collect();
    store.put_building_summaries(&summaries).expect("summaries");
    let mut written = 0usize;
    let mut writing = Duration::ZERO;
    let mut batch = Vec::with_capacity(BATCH);
    let mut all = generator.listings().map(id);
    loop {
        batch.clear();
        batch.extend(all.by_ref().take(BATCH));
        if batch.is_empty() {
            break;
        }
        let start = Instant::now();
        store.upsert_listings(&batch).expect("upsert");
        writing += start.elapsed();
        written += batch.len();
    }
    written as f64 / writing.as_secs_f64()
}

fn checkpoint(path: &std::path::Path) {
    if let Ok(conn) = rusqlite::Connection::open(path) {
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
}

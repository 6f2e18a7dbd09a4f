//! The Rust half of issue 6's FFI overhead figure: the searches that
//! `ffi/bench/kotlin/SearchBench.kt` makes through the Kotlin bindings, made here directly on
//! `teng_core::Store`, on the same database file. `scripts/bench-ffi.sh` runs both and prints
//! the difference. Prints figures; asserts nothing about time.
//!
//!     cargo bench -p teng-ffi --bench search_overhead              # seeds a temporary database
//!     TENG_BENCH_DB=/tmp/bench.db cargo bench -p teng-ffi --bench search_overhead
//!
//! Environment: `TENG_BENCH_DB` (an absolute path, as cargo runs benches in `ffi/`; created with
//! `seed_demo_data(20000, 42)` when missing), `TENG_BENCH_CALLS` (measured calls per kind,
//! default 2000), `TENG_BENCH_WARMUP` (warm-up rounds, default 300).
//!
//! The queries are written as the bindings' `SearchQuery` (the shape the Kotlin bench builds)
//! and converted once, before timing, with the same conversion an FFI call makes; only
//! `Store::search` is timed. One "round" runs each kind once, so a change in the machine's load
//! touches every kind alike. The `check` lines (matches per query) must equal the Kotlin bench's:
//! `scripts/bench-ffi.sh` compares them. Besides each kind's p50/p99, a `query` line gives each
//! query's own p50, so the overhead can be taken query by query.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use teng_core::search as core;
use teng_core::Store;
use teng_ffi::accessibility::AccessRequirement;
use teng_ffi::enums::{Accommodation, Language, SortOrder};
use teng_ffi::search::{NearPoint, SearchFilters, SearchQuery};
use teng_ffi::TengStore;

const LISTINGS: u32 = 20_000;
const SEED: u64 = 42;
const PAGE_SIZE: u32 = 20;

/// The four kinds of query, each a few variants used in turn. Kept in step with
/// `queries()` in ffi/bench/kotlin/SearchBench.kt.
fn kinds() -> Vec<(&'static str, Vec<SearchQuery>)> {
    let query = |text: &str, filters: SearchFilters, sort: Option<SortOrder>| SearchQuery {
        text: text.to_string(),
        filters,
        sort,
        page_size: PAGE_SIZE,
        page_token: None,
    };
    // Odd counts: with an even number of equally used variants of unequal cost, a kind's median
    // would fall on the edge between two variants' clusters and jump between runs.
    let words = ["бухгалтер", "оператор", "мугалим", "повар", "сатуучу"];
    let cities = ["bishkek", "osh", "karakol"];
    vec![
        (
            "cyrillic-words",
            words
                .iter()
                .map(|w| query(w, SearchFilters::default(), None))
                .collect(),
        ),
        (
            "latin-city+accommodation",
            cities
                .iter()
                .map(|c| {
                    let filters = SearchFilters {
                        accommodations: vec![Accommodation::FlexibleHours],
                        ..Default::default()
                    };
                    query(c, filters, None)
                })
                .collect(),
        ),
        (
            "step-free-newest",
            vec![query(
                "",
                SearchFilters {
                    access: vec![AccessRequirement::StepFreeEntrance],
                    ..Default::default()
                },
                Some(SortOrder::Newest),
            )],
        ),
        (
            "bishkek-5km-by-distance",
            vec![query(
                "",
                SearchFilters {
                    near: Some(NearPoint {
                        lat: 42.8746,
                        lon: 74.5698,
                        radius_km: 5.0,
                    }),
                    ..Default::default()
                },
                Some(SortOrder::Distance),
            )],
        ),
    ]
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Nearest-rank percentile of sorted durations, in milliseconds.
fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank - 1].as_secs_f64() * 1e3
}

fn main() {
    let calls = env_number("TENG_BENCH_CALLS", 2_000).max(1);
    let warmup = env_number("TENG_BENCH_WARMUP", 300);
    let _temp; // keeps a temporary folder alive when no TENG_BENCH_DB is given
    let path = match std::env::var_os("TENG_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("bench.db");
            _temp = dir;
            path
        }
    };
    if !path.exists() {
        // The function behind Kotlin's `seedDemoData(20000, 42)`.
        let start = Instant::now();
        let store = TengStore::open(path.to_string_lossy().into_owned(), Language::Ky)
            .expect("open a new store");
        store.seed_demo_data(LISTINGS, SEED).expect("seed");
        store.close_store();
        println!(
            "seeded {} with seed_demo_data({LISTINGS}, {SEED}) in {:.1} s",
            path.display(),
            start.elapsed().as_secs_f64()
        );
    }

    let start = Instant::now();
    let store = Store::open(&path).expect("open");
    let opened = start.elapsed();
    let first = store.search(&core::SearchQuery {
        text: "бухгалтер".into(),
        ..Default::default()
    });
    let first_search = start.elapsed() - opened;
    first.expect("first search");
    println!(
        "open: Store::open {:.2} ms, then the first search (builds the search facets) {:.1} ms",
        opened.as_secs_f64() * 1e3,
        first_search.as_secs_f64() * 1e3
    );
    let listings = store.stats().expect("stats").listings;
    let kinds: Vec<(&str, Vec<core::SearchQuery>)> = kinds()
        .into_iter()
        .map(|(name, queries)| (name, queries.into_iter().map(Into::into).collect()))
        .collect();

    // Matches per query, for the comparison with the Kotlin bench.
    for (name, queries) in &kinds {
        let totals: Vec<String> = queries
            .iter()
            .map(|q| store.search(q).expect("search").total.to_string())
            .collect();
        println!("check {name} {}", totals.join(","));
    }

    let mut hits = vec![0usize; kinds.len()];
    // Per kind: (variant, duration) of every measured call.
    let mut times: Vec<Vec<(usize, Duration)>> = vec![Vec::with_capacity(calls); kinds.len()];
    for round in 0..warmup + calls {
        for (k, (_, queries)) in kinds.iter().enumerate() {
            let variant = round % queries.len();
            let start = Instant::now();
            let page = store.search(&queries[variant]).expect("search");
            let elapsed = start.elapsed();
            if round >= warmup {
                times[k].push((variant, elapsed));
                hits[k] += page.hits.len();
            }
            black_box(page);
        }
    }

    println!(
        "rust: teng_core::Store::search, {listings} listings in {}, page size {PAGE_SIZE}, \
         {calls} calls per kind after {warmup} warm-up rounds",
        path.display()
    );
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>6}",
        "kind", "p50 ms", "p99 ms", "mean ms", "hits"
    );
    for (k, (name, queries)) in kinds.iter().enumerate() {
        let mut all: Vec<Duration> = times[k].iter().map(|&(_, d)| d).collect();
        all.sort();
        let mean = all.iter().sum::<Duration>().as_secs_f64() * 1e3 / all.len() as f64;
        let (p50, p99) = (percentile_ms(&all, 50.0), percentile_ms(&all, 99.0));
        println!(
            "{name:<26} {p50:>9.3} {p99:>9.3} {mean:>9.3} {:>6.1}",
            hits[k] as f64 / calls as f64
        );
        println!("result {name} p50_ms={p50:.4} p99_ms={p99:.4} mean_ms={mean:.4}");
        for variant in 0..queries.len() {
            let mut own: Vec<Duration> = times[k]
                .iter()
                .filter(|&&(v, _)| v == variant)
                .map(|&(_, d)| d)
                .collect();
            own.sort();
            println!(
                "query {name} {variant} p50_ms={:.4}",
                percentile_ms(&own, 50.0)
            );
        }
    }
}

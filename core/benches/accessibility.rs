//! Accessibility aggregation figures: all buildings of a city-sized data set, and one building's
//! summary plus its screen-reader sentence.
//!
//! Run: `cargo bench -p teng-core --bench accessibility`.
//! Targets: aggregating 20k buildings / 200k reports <= 2 s; one building summary <= 1 ms.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use teng_core::accessibility::{
    aggregate, AccessLevel, AccessibilityReport, BuildingSummary, DoorType, Facts, Feature,
    FeatureValue, Lang, Method, RampKind, ReporterId, ReporterKind, SignLanguage,
};
use uuid::Uuid;

const BUILDINGS: usize = 20_000;
const REPORTS: usize = 200_000;
const DEVICES: usize = 60_000;
const SURVEYORS: usize = 150;
const POPULAR: usize = 1_000;
const RUNS: usize = 5;
const SUMMARY_RUNS: usize = 5_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

/// A plausible observation: 3 to 12 features, values around what Bishkek buildings have.
fn facts(rng: &mut ChaCha8Rng) -> Facts {
    let mut facts = Facts::new();
    let wanted = rng.random_range(3..=12);
    while facts.len() < wanted {
        let f = Feature::ALL[rng.random_range(0..Feature::ALL.len())];
        let v = match f {
            Feature::EntranceStepCount => FeatureValue::Count(rng.random_range(0..=8)),
            Feature::EntranceStepHeight => FeatureValue::Centimetres(rng.random_range(3..=20)),
            Feature::RampSlope => FeatureValue::Percent(rng.random_range(4..=15)),
            Feature::DoorWidth | Feature::ToiletDoorWidth => {
                FeatureValue::Centimetres(rng.random_range(65..=120))
            }
            Feature::DoorThreshold => FeatureValue::Centimetres(rng.random_range(0..=5)),
            Feature::ElevatorCabinWidth | Feature::ElevatorCabinDepth => {
                FeatureValue::Centimetres(rng.random_range(90..=210))
            }
            Feature::ToiletTurningSpace => FeatureValue::Centimetres(rng.random_range(100..=180)),
            Feature::ParkingSpaces => FeatureValue::Count(rng.random_range(0..=4)),
            Feature::ParkingDistance => FeatureValue::Metres(rng.random_range(5..=150)),
            Feature::WorkplaceFloor => FeatureValue::Floor(rng.random_range(1..=12)),
            Feature::Ramp => {
                FeatureValue::Ramp(RampKind::ALL[rng.random_range(0..RampKind::ALL.len())])
            }
            Feature::DoorType => {
                FeatureValue::DoorType(DoorType::ALL[rng.random_range(0..DoorType::ALL.len())])
            }
            Feature::Toilet => {
                FeatureValue::Access(AccessLevel::ALL[rng.random_range(0..AccessLevel::ALL.len())])
            }
            Feature::SignLanguageStaff => FeatureValue::SignLanguages(if rng.random_bool(0.2) {
                vec![SignLanguage::Russian]
            } else {
                vec![]
            }),
            _ => FeatureValue::Bool(rng.random_bool(0.6)),
        };
        facts.insert(f, v).expect("kinds match");
    }
    facts
}

fn generate() -> Vec<AccessibilityReport> {
    let mut rng = ChaCha8Rng::seed_from_u64(2025);
    let buildings: Vec<Uuid> = (0..BUILDINGS)
        .map(|_| Uuid::from_u128(rng.random()))
        .collect();
    (0..REPORTS)
        .map(|i| {
            // Every building gets a report; then a quarter of the rest go to 1000 popular
            // buildings (about 60 reports each), the others anywhere.
            let building = if i < BUILDINGS {
                buildings[i]
            } else if rng.random_bool(0.25) {
                buildings[rng.random_range(0..POPULAR)]
            } else {
                buildings[rng.random_range(0..BUILDINGS)]
            };
            let surveyed = rng.random_bool(0.08);
            let (reporter, reporter_kind) = if surveyed {
                (
                    format!("surveyor-{}", rng.random_range(0..SURVEYORS)),
                    ReporterKind::VerifiedSurveyor,
                )
            } else {
                (
                    format!("device-{}", rng.random_range(0..DEVICES)),
                    ReporterKind::Anonymous,
                )
            };
            let age = chrono::Duration::seconds(rng.random_range(0..4 * 365 * 86_400));
            AccessibilityReport {
                id: Uuid::from_u128(rng.random()),
                building_id: building,
                reporter: ReporterId(reporter),
                reporter_kind,
                observed_at: now() - age,
                method: Method::ALL[rng.random_range(0..Method::ALL.len())],
                facts: facts(&mut rng),
                note: None,
            }
        })
        .collect()
}

/// Group by building (sort) and aggregate every group.
fn aggregate_all(mut reports: Vec<AccessibilityReport>) -> Vec<BuildingSummary> {
    reports.sort_unstable_by_key(|r| r.building_id);
    let mut out = Vec::with_capacity(BUILDINGS);
    for group in reports.chunk_by(|a, b| a.building_id == b.building_id) {
        out.push(aggregate(group[0].building_id, group, now()));
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let t = Instant::now();
    let reports = generate();
    println!(
        "generated {} reports about {} buildings in {} ms",
        reports.len(),
        BUILDINGS,
        t.elapsed().as_millis()
    );

    let mut times = Vec::new();
    let mut summaries = Vec::new();
    for _ in 0..RUNS {
        let input = reports.clone();
        let t = Instant::now();
        summaries = black_box(aggregate_all(input));
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "aggregate 20k buildings / 200k reports: {} ms (median of {RUNS}; best {} ms; {} buildings with reports)",
        percentile(&times, 0.5).as_millis(),
        times[0].as_millis(),
        summaries.len()
    );
    let confirmed: usize = summaries
        .iter()
        .map(|s| {
            s.features
                .values()
                .filter(|a| a.state == teng_core::accessibility::FactState::Confirmed)
                .count()
        })
        .sum();
    println!("  confirmed facts in total: {confirmed}");

    // The busiest building: the worst case for one summary.
    let mut by_building = reports.clone();
    by_building.sort_unstable_by_key(|r| r.building_id);
    let busiest: Vec<AccessibilityReport> = by_building
        .chunk_by(|a, b| a.building_id == b.building_id)
        .max_by_key(|g| g.len())
        .expect("reports")
        .to_vec();
    let id = busiest[0].building_id;
    let mut samples = Vec::with_capacity(SUMMARY_RUNS);
    for i in 0..SUMMARY_RUNS {
        let lang = Lang::ALL[i % Lang::ALL.len()];
        let t = Instant::now();
        let summary = aggregate(id, black_box(&busiest), now());
        let text = summary.summary_text(lang, now());
        black_box(text);
        samples.push(t.elapsed());
    }
    samples.sort();
    println!(
        "one building summary: p50 {} µs, p99 {} µs (aggregate + summary_text; busiest building, {} reports)",
        percentile(&samples, 0.5).as_micros(),
        percentile(&samples, 0.99).as_micros(),
        busiest.len()
    );

    let mut samples = Vec::with_capacity(SUMMARY_RUNS);
    let summary = aggregate(id, &busiest, now());
    for i in 0..SUMMARY_RUNS {
        let lang = Lang::ALL[i % Lang::ALL.len()];
        let t = Instant::now();
        black_box(summary.description_text(lang, now()));
        samples.push(t.elapsed());
    }
    samples.sort();
    println!(
        "  description_text alone: p50 {} µs, p99 {} µs",
        percentile(&samples, 0.5).as_micros(),
        percentile(&samples, 0.99).as_micros()
    );
    println!("  example: {}", summary.summary_text(Lang::English, now()));
}

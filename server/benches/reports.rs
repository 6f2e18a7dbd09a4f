//! The cost of a report as a building's reports pile up, and of reading its summary (issue 14).
//!
//! `cargo bench -p teng-server --bench reports [-- N]`: N existing reports (default 10,000) from
//! distinct devices on one building, on a real SQLite file. Prints the time per report for the
//! first 200 and for 200 after N, and the summary read's p50/p99 over 2,000 reads.

use std::time::{Duration, Instant};

use chrono::Utc;
use teng_core::accessibility::{
    AccessibilityReport, Facts, Feature, FeatureValue, Method, RampKind, ReporterKind,
};
use teng_core::model::{Address, Building, GeoPoint, Organization, OrganizationKind, Region};
use teng_server::storage::sqlite::SqliteStorage;
use teng_server::storage::{Reporter, Storage};
use uuid::Uuid;

fn report(building: Uuid, device: Uuid, n: usize) -> AccessibilityReport {
    let facts = Facts::new()
        .with(
            Feature::DoorWidth,
            FeatureValue::Centimetres(80 + (n % 20) as u32),
        )
        .with(
            Feature::Ramp,
            FeatureValue::Ramp(if n.is_multiple_of(3) {
                RampKind::NoRamp
            } else {
                RampKind::Fixed
            }),
        );
    AccessibilityReport {
        id: Uuid::now_v7(),
        building_id: building,
        reporter: device.into(),
        reporter_kind: ReporterKind::Anonymous,
        observed_at: Utc::now(),
        method: Method::Estimated,
        facts,
        note: None,
    }
}

/// Seconds per report over `count` new reports from new devices.
fn per_report(s: &SqliteStorage, building: Uuid, count: usize, from: usize) -> Duration {
    let devices: Vec<Uuid> = (0..count).map(|_| Uuid::now_v7()).collect();
    for d in &devices {
        s.create_device(*d, Utc::now()).expect("device");
    }
    let started = Instant::now();
    for (i, d) in devices.iter().enumerate() {
        s.submit_report(
            &report(building, *d, from + i),
            Reporter::Device(*d),
            Utc::now(),
        )
        .expect("report");
    }
    started.elapsed() / count as u32
}

fn main() {
    let existing: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let s = SqliteStorage::open(&dir.path().join("bench.db")).expect("database");
    let now = Utc::now();
    let org = Organization {
        id: Uuid::now_v7(),
        name: "Bench".into(),
        kind: OrganizationKind::Ngo,
        contact: Default::default(),
        verified: true,
    };
    s.create_organization(&org, now).expect("org");
    let building = Building {
        id: Uuid::now_v7(),
        name: "Bench building".into(),
        address: Address {
            street: "Chui 1".into(),
            city: "Bishkek".into(),
            district: None,
            region: Region::Bishkek,
        },
        location: GeoPoint {
            lat: 42.87,
            lon: 74.59,
        },
        osm_id: None,
    };
    s.create_building(&building, Some(org.id), now)
        .expect("building");

    let first = per_report(&s, building.id, 200, 0);
    println!(
        "reports 1-200 on an empty building: {:.2} ms a report",
        ms(first)
    );
    let started = Instant::now();
    per_report(&s, building.id, existing.saturating_sub(200), 200);
    println!(
        "loaded {existing} reports in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let later = per_report(&s, building.id, 200, existing);
    println!(
        "reports {}-{} on that building: {:.2} ms a report ({:.2}x the first)",
        existing + 1,
        existing + 200,
        ms(later),
        later.as_secs_f64() / first.as_secs_f64()
    );

    let mut reads: Vec<Duration> = (0..2_000)
        .map(|_| {
            let t = Instant::now();
            s.building_summary(building.id, Utc::now())
                .expect("summary");
            t.elapsed()
        })
        .collect();
    reads.sort();
    println!(
        "summary read with {} reports: p50 {:.3} ms, p99 {:.3} ms",
        existing + 200,
        ms(reads[reads.len() / 2]),
        ms(reads[reads.len() * 99 / 100])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

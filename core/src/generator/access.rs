//! Crowd reports about the generated buildings: each building has a hidden "truth", and a few
//! reporters each observe part of it, now and then wrongly, at different times.

use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::accessibility::{
    aggregate, AccessLevel, AccessibilityReport, BuildingSummary, DoorType, Facts, Feature,
    FeatureValue as V, Method, RampKind, ReporterId, ReporterKind, SignLanguage,
};

use super::{minted_id, Generator};

const ACCESS: u64 = 4;

/// Most reports one building gets; the average is about half of it.
const MAX_REPORTS: usize = 6;

impl Generator {
    /// Building `i`'s accessibility as aggregated from its reports, if it has any.
    pub fn building_summary(&self, i: usize) -> Option<BuildingSummary> {
        let reports = self.accessibility_reports(i);
        (!reports.is_empty()).then(|| aggregate(self.building(i).id, &reports, self.now))
    }

    /// The accessibility reports about building `i` (zero to six), deterministic like every record.
    pub fn accessibility_reports(&self, i: usize) -> Vec<AccessibilityReport> {
        let mut rng = self.rng(ACCESS, i);
        let building_id = self.building(i).id;
        let truth = building_truth(&mut rng);
        let count = rng.random_range(0..=MAX_REPORTS);
        (0..count)
            .map(|k| {
                let id = minted_id(&mut rng, i * (MAX_REPORTS + 1) + k);
                let surveyor = rng.random_bool(0.15);
                let mut facts = Facts::new();
                for (feature, value) in truth.iter() {
                    if !rng.random_bool(if surveyor { 0.9 } else { 0.4 }) {
                        continue;
                    }
                    // Anonymous visitors now and then get a yes/no fact wrong.
                    let value = match value {
                        V::Bool(b) if !surveyor && rng.random_bool(0.1) => V::Bool(!b),
                        other => other.clone(),
                    };
                    facts = facts.with(feature, value);
                }
                if facts.is_empty() {
                    facts = facts.with(
                        Feature::StepFreeEntrance,
                        truth_or(&truth, Feature::StepFreeEntrance),
                    );
                }
                AccessibilityReport {
                    id,
                    building_id,
                    reporter: ReporterId(format!(
                        "{}-{}",
                        if surveyor { "surveyor" } else { "device" },
                        rng.random_range(0..5_000u32)
                    )),
                    reporter_kind: if surveyor {
                        ReporterKind::VerifiedSurveyor
                    } else {
                        ReporterKind::Anonymous
                    },
                    observed_at: self.now - Duration::days(rng.random_range(0..900)),
                    method: if surveyor {
                        Method::Measured
                    } else if rng.random_bool(0.5) {
                        Method::Estimated
                    } else {
                        Method::PhotoChecked
                    },
                    facts,
                    note: None,
                }
            })
            .collect()
    }
}

fn truth_or(truth: &Facts, feature: Feature) -> V {
    truth.get(feature).cloned().unwrap_or(V::Bool(false))
}

/// What a building is really like: about a third step-free, many with a step or two.
fn building_truth(rng: &mut ChaCha8Rng) -> Facts {
    let mut f = Facts::new();
    // `with` panics on a value of the wrong kind: a mistake in this table, caught by the tests.
    let mut put = |feature, value| f = std::mem::take(&mut f).with(feature, value);
    let step_free = rng.random_bool(0.35);
    put(Feature::StepFreeEntrance, V::Bool(step_free));
    if !step_free {
        put(
            Feature::EntranceStepCount,
            V::Count(rng.random_range(1..=8)),
        );
        put(
            Feature::EntranceStepHeight,
            V::Centimetres(rng.random_range(5..=20)),
        );
        let ramp = match rng.random_range(0..10) {
            0..6 => RampKind::NoRamp,
            6..9 => RampKind::Fixed,
            _ => RampKind::Removable,
        };
        put(Feature::Ramp, V::Ramp(ramp));
    }
    put(
        Feature::DoorWidth,
        V::Centimetres(rng.random_range(70..=120)),
    );
    let door = [
        DoorType::Hinged,
        DoorType::Hinged,
        DoorType::Sliding,
        DoorType::Automatic,
    ];
    put(
        Feature::DoorType,
        V::DoorType(door[rng.random_range(0..door.len())]),
    );
    let elevator = rng.random_bool(0.4);
    put(Feature::Elevator, V::Bool(elevator));
    if elevator {
        put(Feature::ElevatorWorking, V::Bool(rng.random_bool(0.8)));
    }
    put(Feature::WorkplaceFloor, V::Floor(rng.random_range(1..=5)));
    put(Feature::WorkplaceStepFree, V::Bool(rng.random_bool(0.5)));
    let toilet = [
        AccessLevel::Yes,
        AccessLevel::Limited,
        AccessLevel::No,
        AccessLevel::No,
    ];
    put(
        Feature::Toilet,
        V::Access(toilet[rng.random_range(0..toilet.len())]),
    );
    put(Feature::HearingLoop, V::Bool(rng.random_bool(0.1)));
    put(Feature::TactilePaving, V::Bool(rng.random_bool(0.2)));
    put(Feature::ParkingSpaces, V::Count(rng.random_range(0..=3)));
    if rng.random_bool(0.1) {
        put(
            Feature::SignLanguageStaff,
            V::SignLanguages(vec![SignLanguage::Russian]),
        );
    }
    f
}

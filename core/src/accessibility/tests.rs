//! Hand-made cases for aggregation, requirements and interchange; fixtures shared with the words
//! tests.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::*;
use FeatureValue as V;

pub(crate) const BUILDING: Uuid = Uuid::from_u128(0xB0B);

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

pub(crate) fn report(
    n: u128,
    reporter: &str,
    kind: ReporterKind,
    method: Method,
    days_ago: i64,
    facts: Facts,
) -> AccessibilityReport {
    AccessibilityReport {
        id: Uuid::from_u128(n),
        building_id: BUILDING,
        reporter: reporter.into(),
        reporter_kind: kind,
        observed_at: now() - Duration::days(days_ago),
        method,
        facts,
        note: None,
    }
}

pub(crate) fn anon(n: u128, reporter: &str, days_ago: i64, facts: Facts) -> AccessibilityReport {
    report(
        n,
        reporter,
        ReporterKind::Anonymous,
        Method::Measured,
        days_ago,
        facts,
    )
}

pub(crate) fn surveyor(
    n: u128,
    reporter: &str,
    days_ago: i64,
    facts: Facts,
) -> AccessibilityReport {
    report(
        n,
        reporter,
        ReporterKind::VerifiedSurveyor,
        Method::Measured,
        days_ago,
        facts,
    )
}

/// A building with every kind of state: confirmed, unconfirmed, stale, conflicting, unknown.
pub(crate) fn rich_building() -> BuildingSummary {
    let survey = Facts::new()
        .with(Feature::EntranceStepCount, V::Count(2))
        .with(Feature::EntranceStepHeight, V::Centimetres(15))
        .with(Feature::Ramp, V::Ramp(RampKind::NoRamp))
        .with(Feature::DoorWidth, V::Centimetres(80))
        .with(Feature::DoorType, V::DoorType(DoorType::Hinged))
        .with(Feature::Elevator, V::Bool(true))
        .with(Feature::ElevatorWorking, V::Bool(true))
        .with(Feature::ElevatorCabinWidth, V::Centimetres(110))
        .with(Feature::ElevatorCabinDepth, V::Centimetres(140))
        .with(Feature::ElevatorSpeech, V::Bool(false))
        .with(Feature::WorkplaceFloor, V::Floor(3))
        .with(Feature::WorkplaceStepFree, V::Bool(true))
        .with(Feature::ParkingSpaces, V::Count(2))
        .with(Feature::ParkingDistance, V::Metres(30))
        .with(Feature::TactilePaving, V::Bool(false))
        .with(Feature::VisualAlarm, V::Bool(true))
        .with(
            Feature::SignLanguageStaff,
            V::SignLanguages(vec![SignLanguage::Russian]),
        );
    let mut visitor = anon(
        2,
        "device-a",
        5,
        Facts::new()
            .with(Feature::Toilet, V::Access(AccessLevel::Limited))
            .with(Feature::ToiletDoorWidth, V::Centimetres(75))
            .with(Feature::BrailleSignage, V::Bool(true)),
    );
    visitor.note = Some(LocalizedNote {
        ru: Some("Вход со стороны двора, звонок справа от двери.".into()),
        ..Default::default()
    });
    let reports = vec![
        surveyor(1, "surveyor-1", 3, survey),
        visitor,
        anon(
            3,
            "device-b",
            6,
            Facts::new().with(Feature::BrailleSignage, V::Bool(false)),
        ),
        anon(
            4,
            "device-c",
            365,
            Facts::new().with(Feature::StepFreeRoute, V::Bool(true)),
        ),
    ];
    aggregate(BUILDING, &reports, now())
}

/// Random but valid facts over all features (about half of them each time).
pub(crate) fn random_facts(rng: &mut ChaCha8Rng) -> Facts {
    let mut facts = Facts::new();
    for f in Feature::ALL {
        if !rng.random_bool(0.5) {
            continue;
        }
        let value = match f.kind() {
            ValueKind::Bool => V::Bool(rng.random_bool(0.5)),
            ValueKind::Ramp => V::Ramp(RampKind::ALL[rng.random_range(0..RampKind::ALL.len())]),
            ValueKind::DoorType => {
                V::DoorType(DoorType::ALL[rng.random_range(0..DoorType::ALL.len())])
            }
            ValueKind::Access => {
                V::Access(AccessLevel::ALL[rng.random_range(0..AccessLevel::ALL.len())])
            }
            ValueKind::SignLanguages => V::SignLanguages(
                SignLanguage::ALL
                    .iter()
                    .copied()
                    .filter(|_| rng.random_bool(0.4))
                    .collect(),
            ),
            kind => {
                let range = f.range().expect("numeric features have a range");
                let mut n = rng.random_range(range);
                if *f == Feature::WorkplaceFloor && n == 0 {
                    n = 1;
                }
                V::numeric(kind, n).expect("numeric")
            }
        };
        facts.insert(*f, value).expect("kind matches");
    }
    facts
}

fn state(s: &BuildingSummary, f: Feature) -> FactState {
    s.feature(f).state
}

// ---------------------------------------------------------------- aggregation

#[test]
fn two_agreeing_anonymous_reports_are_confirmed() {
    let facts = Facts::new()
        .with(Feature::DoorWidth, V::Centimetres(90))
        .with(Feature::Ramp, V::Ramp(RampKind::NoRamp));
    let s = aggregate(
        BUILDING,
        &[anon(1, "a", 1, facts.clone()), anon(2, "b", 2, facts)],
        now(),
    );
    for f in [Feature::DoorWidth, Feature::Ramp] {
        let agg = s.feature(f);
        assert_eq!(agg.state, FactState::Confirmed, "{f}");
        assert_eq!(agg.reports, 2);
        // Anonymous phones weigh as estimates (0.7 each), whatever method they name.
        assert!(
            agg.confidence > 0.55 && agg.confidence <= 1.0,
            "{}",
            agg.confidence
        );
    }
    assert_eq!(
        s.feature(Feature::DoorWidth).value,
        Some(V::Centimetres(90))
    );
    assert_eq!(
        s.feature(Feature::Ramp).value,
        Some(V::Ramp(RampKind::NoRamp))
    );
    assert_eq!(s.report_count, 2);
    assert_eq!(s.last_reported_at, Some(now() - Duration::days(1)));
}

#[test]
fn a_single_anonymous_report_is_unconfirmed() {
    let s = aggregate(
        BUILDING,
        &[anon(
            1,
            "a",
            1,
            Facts::new().with(Feature::HearingLoop, V::Bool(true)),
        )],
        now(),
    );
    let agg = s.feature(Feature::HearingLoop);
    assert_eq!(agg.state, FactState::Unconfirmed);
    assert_eq!(agg.value, Some(V::Bool(true)));
    assert!(agg.confidence < 0.51, "{}", agg.confidence);
}

#[test]
fn a_verified_measurement_outweighs_two_anonymous_contrary_votes() {
    let estimate = |n, who: &str, width| {
        report(
            n,
            who,
            ReporterKind::Anonymous,
            Method::Estimated,
            2,
            Facts::new()
                .with(Feature::Elevator, V::Bool(true))
                .with(Feature::DoorWidth, V::Centimetres(width)),
        )
    };
    let reports = [
        surveyor(
            1,
            "surveyor",
            4,
            Facts::new()
                .with(Feature::Elevator, V::Bool(false))
                .with(Feature::DoorWidth, V::Centimetres(80)),
        ),
        estimate(2, "a", 95),
        estimate(3, "b", 100),
    ];
    let s = aggregate(BUILDING, &reports, now());
    assert_eq!(s.feature(Feature::Elevator).value, Some(V::Bool(false)));
    assert_eq!(state(&s, Feature::Elevator), FactState::Confirmed);
    assert_eq!(
        s.feature(Feature::DoorWidth).value,
        Some(V::Centimetres(80))
    );
    assert_eq!(state(&s, Feature::DoorWidth), FactState::Confirmed);
    assert_eq!(s.feature(Feature::DoorWidth).reports, 3);
}

#[test]
fn an_anonymous_claim_to_have_measured_weighs_as_an_estimate() {
    let facts = || Facts::new().with(Feature::HearingLoop, V::Bool(true));
    let claimed = aggregate(BUILDING, &[anon(1, "a", 1, facts())], now());
    let estimated = aggregate(
        BUILDING,
        &[report(
            1,
            "a",
            ReporterKind::Anonymous,
            Method::Estimated,
            1,
            facts(),
        )],
        now(),
    );
    assert_eq!(
        claimed.feature(Feature::HearingLoop).confidence,
        estimated.feature(Feature::HearingLoop).confidence
    );
}

#[test]
fn another_systems_measurement_weighs_as_an_anonymous_estimate_and_never_anchors() {
    let facts = || Facts::new().with(Feature::DoorWidth, V::Centimetres(80));
    let external = aggregate(
        BUILDING,
        &[report(
            1,
            "open311:key",
            ReporterKind::ExternalSystem,
            Method::Measured,
            1,
            facts(),
        )],
        now(),
    );
    let estimated = aggregate(
        BUILDING,
        &[report(
            1,
            "a",
            ReporterKind::Anonymous,
            Method::Estimated,
            1,
            facts(),
        )],
        now(),
    );
    let (e, a) = (
        external.feature(Feature::DoorWidth),
        estimated.feature(Feature::DoorWidth),
    );
    assert_eq!(e.confidence, a.confidence);
    assert_eq!(e.state, a.state);
    // A fresh survey still decides against an external system's measurement.
    let s = aggregate(
        BUILDING,
        &[
            surveyor(2, "surveyor", 30, facts()),
            report(
                3,
                "open311:key",
                ReporterKind::ExternalSystem,
                Method::Measured,
                1,
                Facts::new().with(Feature::DoorWidth, V::Centimetres(120)),
            ),
        ],
        now(),
    );
    assert_eq!(
        s.feature(Feature::DoorWidth).value,
        Some(V::Centimetres(80))
    );
}

#[test]
fn a_crowd_of_phones_cannot_override_a_fresh_survey() {
    let survey = surveyor(
        1,
        "surveyor",
        30,
        Facts::new()
            .with(Feature::Elevator, V::Bool(false))
            .with(Feature::DoorWidth, V::Centimetres(80)),
    );
    let alone = aggregate(BUILDING, std::slice::from_ref(&survey), now());
    let mut reports = vec![survey];
    for n in 0..20 {
        reports.push(anon(
            100 + n,
            &format!("phone{n}"),
            1,
            Facts::new()
                .with(Feature::Elevator, V::Bool(true))
                .with(Feature::DoorWidth, V::Centimetres(120)),
        ));
    }
    let s = aggregate(BUILDING, &reports, now());
    for (feature, value) in [
        (Feature::Elevator, V::Bool(false)),
        (Feature::DoorWidth, V::Centimetres(80)),
    ] {
        let agg = s.feature(feature);
        assert_eq!(agg.value, Some(value), "{feature}");
        assert_eq!(agg.state, FactState::Confirmed, "{feature}");
        assert!(
            agg.confidence < alone.feature(feature).confidence,
            "the crowd's dissent lowers the confidence of {feature}"
        );
        assert_eq!(agg.reports, 21);
    }
}

#[test]
fn once_a_survey_is_stale_the_crowd_decides_again() {
    let reports = [
        // Structural facts have a 3-year half-life: stale after two, 7 years on.
        surveyor(
            1,
            "surveyor",
            7 * 365,
            Facts::new().with(Feature::DoorWidth, V::Centimetres(80)),
        ),
        anon(
            2,
            "a",
            1,
            Facts::new().with(Feature::DoorWidth, V::Centimetres(95)),
        ),
        anon(
            3,
            "b",
            2,
            Facts::new().with(Feature::DoorWidth, V::Centimetres(95)),
        ),
    ];
    let s = aggregate(BUILDING, &reports, now());
    assert_eq!(
        s.feature(Feature::DoorWidth).value,
        Some(V::Centimetres(95))
    );
}

#[test]
fn an_estimate_by_a_surveyor_does_not_anchor() {
    let reports = [
        report(
            1,
            "surveyor",
            ReporterKind::VerifiedSurveyor,
            Method::Estimated,
            10,
            Facts::new().with(Feature::Elevator, V::Bool(false)),
        ),
        // 10 phones outweigh one estimating surveyor (5 × 0.7 = 3.5).
        anon(
            2,
            "a",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            3,
            "b",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            4,
            "c",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            5,
            "d",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            6,
            "e",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            7,
            "f",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            8,
            "g",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            9,
            "h",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            10,
            "i",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
        anon(
            11,
            "j",
            1,
            Facts::new().with(Feature::Elevator, V::Bool(true)),
        ),
    ];
    let s = aggregate(BUILDING, &reports, now());
    assert_eq!(s.feature(Feature::Elevator).value, Some(V::Bool(true)));
}

#[test]
fn a_post_dated_report_counts_as_made_now() {
    let mut future = anon(
        1,
        "a",
        0,
        Facts::new().with(Feature::HearingLoop, V::Bool(true)),
    );
    future.observed_at = now() + Duration::days(365);
    let s = aggregate(BUILDING, &[future], now());
    assert_eq!(s.last_reported_at, Some(now()));
    assert_eq!(
        s.feature(Feature::HearingLoop).last_reported_at,
        Some(now())
    );
}

#[test]
fn conflicting_equal_weight_reports_are_conflicting() {
    let reports = [
        anon(
            1,
            "a",
            3,
            Facts::new()
                .with(Feature::Ramp, V::Ramp(RampKind::Fixed))
                .with(Feature::EntranceStepCount, V::Count(2)),
        ),
        anon(
            2,
            "b",
            3,
            Facts::new()
                .with(Feature::Ramp, V::Ramp(RampKind::NoRamp))
                .with(Feature::EntranceStepCount, V::Count(3)),
        ),
    ];
    let s = aggregate(BUILDING, &reports, now());
    assert_eq!(state(&s, Feature::Ramp), FactState::Conflicting);
    assert_eq!(
        s.feature(Feature::Ramp).value,
        None,
        "a tie names no winner"
    );
    assert_eq!(
        state(&s, Feature::EntranceStepCount),
        FactState::Conflicting
    );
    assert!(s.feature(Feature::Ramp).confidence <= 0.5);
    // Conflicting facts support no requirement and no grade.
    assert_eq!(
        s.requirement(AccessRequirement::StepFreeEntrance).met,
        Tri::Unknown
    );
    assert_eq!(s.grades.wheelchair, Grade::Unknown);
}

#[test]
fn a_year_old_elevator_state_is_stale_while_a_year_old_door_width_stays_confirmed() {
    let s = aggregate(
        BUILDING,
        &[surveyor(
            1,
            "surveyor",
            365,
            Facts::new()
                .with(Feature::ElevatorWorking, V::Bool(true))
                .with(Feature::DoorWidth, V::Centimetres(90)),
        )],
        now(),
    );
    assert_eq!(state(&s, Feature::ElevatorWorking), FactState::Stale);
    assert_eq!(
        s.feature(Feature::ElevatorWorking).value,
        Some(V::Bool(true))
    );
    assert_eq!(state(&s, Feature::DoorWidth), FactState::Confirmed);
    assert!(
        s.feature(Feature::ElevatorWorking).confidence < s.feature(Feature::DoorWidth).confidence
    );
}

#[test]
fn structural_facts_go_stale_after_two_half_lives() {
    let s = aggregate(
        BUILDING,
        &[surveyor(
            1,
            "s",
            7 * 365,
            Facts::new().with(Feature::DoorWidth, V::Centimetres(90)),
        )],
        now(),
    );
    assert_eq!(state(&s, Feature::DoorWidth), FactState::Stale);
}

#[test]
fn a_newer_report_by_the_same_reporter_supersedes_the_older_one() {
    let old = anon(
        1,
        "a",
        10,
        Facts::new()
            .with(Feature::Ramp, V::Ramp(RampKind::NoRamp))
            .with(Feature::DoorWidth, V::Centimetres(80)),
    );
    let new = anon(
        2,
        "a",
        1,
        Facts::new().with(Feature::Ramp, V::Ramp(RampKind::Fixed)),
    );
    let s = aggregate(BUILDING, &[old.clone(), new.clone()], now());
    let ramp = s.feature(Feature::Ramp);
    assert_eq!(ramp.value, Some(V::Ramp(RampKind::Fixed)));
    assert_eq!(ramp.reports, 1);
    assert_eq!(
        ramp.state,
        FactState::Unconfirmed,
        "one reporter is one voice"
    );
    // The older report still speaks for the feature the newer one did not cover.
    assert_eq!(
        s.feature(Feature::DoorWidth).value,
        Some(V::Centimetres(80))
    );
    assert_eq!(s.report_count, 2);
    // Order of the input does not matter.
    assert_eq!(aggregate(BUILDING, &[new, old], now()), s);

    // A report fully superseded no longer counts.
    let s = aggregate(
        BUILDING,
        &[
            anon(
                1,
                "a",
                10,
                Facts::new().with(Feature::Elevator, V::Bool(false)),
            ),
            anon(
                2,
                "a",
                1,
                Facts::new().with(Feature::Elevator, V::Bool(true)),
            ),
        ],
        now(),
    );
    assert_eq!(s.report_count, 1);
    assert_eq!(s.feature(Feature::Elevator).value, Some(V::Bool(true)));
}

#[test]
fn a_note_only_report_counts_and_its_note_is_kept() {
    let mut r = anon(1, "a", 2, Facts::new());
    r.note = Some(LocalizedNote {
        en: Some("The side door is always locked.".into()),
        ..Default::default()
    });
    let s = aggregate(BUILDING, &[r], now());
    assert_eq!(s.report_count, 1);
    assert!(s.features.is_empty());
    let lines = s.description_text(Lang::English, now());
    assert_eq!(
        lines.last().map(String::as_str),
        Some("Visitor note: The side door is always locked.")
    );
}

#[test]
fn numbers_take_the_median_of_recent_values() {
    let reports: Vec<_> = [13, 14, 15, 16, 40]
        .iter()
        .enumerate()
        .map(|(i, h)| {
            anon(
                i as u128,
                &format!("r{i}"),
                2,
                Facts::new().with(Feature::EntranceStepHeight, V::Centimetres(*h)),
            )
        })
        .collect();
    let s = aggregate(BUILDING, &reports, now());
    let agg = s.feature(Feature::EntranceStepHeight);
    assert_eq!(agg.value, Some(V::Centimetres(15)));
    assert_eq!(
        agg.state,
        FactState::Confirmed,
        "four of five agree within 2 centimetres"
    );

    // Values older than one half-life before the newest do not enter the median.
    let s = aggregate(
        BUILDING,
        &[
            anon(
                1,
                "a",
                5,
                Facts::new().with(Feature::ParkingSpaces, V::Count(3)),
            ),
            anon(
                2,
                "b",
                400,
                Facts::new().with(Feature::ParkingSpaces, V::Count(0)),
            ),
            anon(
                3,
                "c",
                410,
                Facts::new().with(Feature::ParkingSpaces, V::Count(0)),
            ),
        ],
        now(),
    );
    assert_eq!(s.feature(Feature::ParkingSpaces).value, Some(V::Count(3)));
    assert_eq!(s.feature(Feature::ParkingSpaces).reports, 3);
}

#[test]
fn no_reports_means_unknown_everywhere() {
    let other = Uuid::from_u128(0xFFFF);
    let mut elsewhere = anon(
        1,
        "a",
        1,
        Facts::new().with(Feature::Elevator, V::Bool(true)),
    );
    elsewhere.building_id = other;
    for s in [
        aggregate(BUILDING, &[], now()),
        aggregate(BUILDING, &[elsewhere], now()),
    ] {
        assert_eq!(s.building_id, BUILDING);
        for f in Feature::ALL {
            assert_eq!(s.feature(*f), &UNKNOWN_FEATURE, "{f}");
        }
        assert_eq!(s.grades, Grades::default());
        assert_eq!(s.grades.overall, Grade::Unknown);
        for r in AccessRequirement::ALL {
            assert_eq!(
                s.requirement(*r),
                RequirementStatus {
                    met: Tri::Unknown,
                    confirmed: false
                }
            );
            assert_eq!(requirement_code(s.requirement(*r)), 0);
        }
        assert_eq!(s.report_count, 0);
        assert_eq!(s.last_reported_at, None);
    }
}

#[test]
fn summary_survives_json() {
    let s = rich_building();
    let json = serde_json::to_string(&s).unwrap();
    let back: BuildingSummary = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert!(
        json.contains(r#""elevator_working":{"value":{"bool":true},"state":"confirmed""#),
        "{json}"
    );
}

// ---------------------------------------------------------------- grades through aggregation

#[test]
fn grades_follow_aggregated_facts() {
    let facts = Facts::new()
        .with(Feature::StepFreeEntrance, V::Bool(true))
        .with(Feature::DoorWidth, V::Centimetres(90))
        .with(Feature::WorkplaceStepFree, V::Bool(true));
    let s = aggregate(BUILDING, &[surveyor(1, "s", 10, facts)], now());
    assert_eq!(s.grades.wheelchair, Grade::Yes);
    let s = rich_building();
    assert_eq!(s.grades.wheelchair, Grade::No);
    assert_eq!(s.grades.blind, Grade::Unknown);
    assert_eq!(s.grades.deaf, Grade::Limited);
    assert_eq!(s.grades.overall, Grade::Limited);
}

// ---------------------------------------------------------------- requirements

#[test]
fn requirement_codes_separate_confirmed_unconfirmed_unknown_and_no() {
    let confirmed = Facts::new()
        .with(Feature::StepFreeEntrance, V::Bool(true))
        .with(Feature::HearingLoop, V::Bool(false));
    let s = aggregate(
        BUILDING,
        &[
            surveyor(1, "s", 3, confirmed),
            anon(
                2,
                "a",
                3,
                Facts::new().with(Feature::Toilet, V::Access(AccessLevel::Yes)),
            ),
            anon(
                3,
                "b",
                400,
                Facts::new().with(
                    Feature::SignLanguageStaff,
                    V::SignLanguages(vec![SignLanguage::Russian]),
                ),
            ),
        ],
        now(),
    );
    let code = |r| requirement_code(s.requirement(r));
    assert_eq!(code(AccessRequirement::StepFreeEntrance), 2);
    assert_eq!(
        code(AccessRequirement::AccessibleToilet),
        1,
        "one anonymous report"
    );
    assert_eq!(code(AccessRequirement::SignLanguageStaff), 1, "stale");
    assert_eq!(state(&s, Feature::SignLanguageStaff), FactState::Stale);
    assert_eq!(code(AccessRequirement::HearingLoop), -1);
    assert_eq!(code(AccessRequirement::Elevator), 0);
    assert_eq!(s.requirement_codes().len(), AccessRequirement::ALL.len());
}

#[test]
fn requirements_follow_their_documented_rules() {
    let met = |facts: Facts, r| requirement::requirement_met(&facts, r);
    use AccessRequirement as R;
    let steps_with = |ramp| {
        Facts::new()
            .with(Feature::EntranceStepCount, V::Count(3))
            .with(Feature::Ramp, V::Ramp(ramp))
    };
    assert_eq!(
        met(steps_with(RampKind::Fixed), R::StepFreeEntrance),
        Tri::Yes
    );
    assert_eq!(
        met(steps_with(RampKind::Removable), R::StepFreeEntrance),
        Tri::No
    );
    assert_eq!(
        met(steps_with(RampKind::NoRamp), R::StepFreeEntrance),
        Tri::No
    );
    assert_eq!(
        met(
            Facts::new().with(Feature::EntranceStepCount, V::Count(3)),
            R::StepFreeEntrance
        ),
        Tri::Unknown
    );
    assert_eq!(
        met(
            Facts::new().with(Feature::Toilet, V::Access(AccessLevel::Limited)),
            R::AccessibleToilet
        ),
        Tri::No
    );
    let elevator = Facts::new().with(Feature::Elevator, V::Bool(true));
    assert_eq!(met(elevator.clone(), R::Elevator), Tri::Yes);
    assert_eq!(
        met(
            elevator.with(Feature::ElevatorWorking, V::Bool(false)),
            R::Elevator
        ),
        Tri::No
    );
    assert_eq!(
        met(
            Facts::new().with(Feature::SignLanguageStaff, V::SignLanguages(vec![])),
            R::SignLanguageStaff
        ),
        Tri::No
    );
    assert_eq!(
        met(
            Facts::new().with(Feature::ParkingSpaces, V::Count(0)),
            R::AccessibleParking
        ),
        Tri::No
    );
    assert_eq!(
        met(
            Facts::new().with(Feature::TactilePaving, V::Bool(true)),
            R::TactileGuidance
        ),
        Tri::Yes
    );
}

#[test]
fn a_requirement_resting_on_an_unconfirmed_fact_is_not_confirmed() {
    // Step-free entrance confirmed, door confirmed, workplace reported once: the wheelchair
    // answer is yes, but not confirmed.
    let s = aggregate(
        BUILDING,
        &[
            surveyor(
                1,
                "s",
                3,
                Facts::new()
                    .with(Feature::StepFreeEntrance, V::Bool(true))
                    .with(Feature::DoorWidth, V::Centimetres(95)),
            ),
            anon(
                2,
                "a",
                3,
                Facts::new().with(Feature::WorkplaceStepFree, V::Bool(true)),
            ),
        ],
        now(),
    );
    let status = s.requirement(AccessRequirement::WheelchairAccessible);
    assert_eq!(
        status,
        RequirementStatus {
            met: Tri::Yes,
            confirmed: false
        }
    );
    assert_eq!(requirement_code(status), 1);
    assert_eq!(
        s.requirement(AccessRequirement::StepFreeEntrance),
        RequirementStatus {
            met: Tri::Yes,
            confirmed: true
        }
    );
}

// ---------------------------------------------------------------- OSM and A11yJSON

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn osm_export_of_a_surveyed_building() {
    let facts = Facts::new()
        .with(Feature::EntranceStepCount, V::Count(1))
        .with(Feature::EntranceStepHeight, V::Centimetres(5))
        .with(Feature::Ramp, V::Ramp(RampKind::Removable))
        .with(Feature::DoorWidth, V::Centimetres(85))
        .with(Feature::DoorType, V::DoorType(DoorType::Automatic))
        .with(Feature::WorkplaceStepFree, V::Bool(true))
        .with(Feature::Toilet, V::Access(AccessLevel::Yes))
        .with(Feature::ParkingSpaces, V::Count(2))
        .with(Feature::TactilePaving, V::Bool(false))
        .with(Feature::HearingLoop, V::Bool(true))
        .with(Feature::VisualAlarm, V::Bool(true));
    assert_eq!(
        to_osm_tags(&facts),
        tags(&[
            ("wheelchair", "limited"),
            ("step_count", "1"),
            ("step:height", "0.05"),
            ("ramp", "yes"),
            ("ramp:wheelchair", "yes"),
            ("ramp:portable", "yes"),
            ("door:width", "0.85"),
            ("automatic_door", "yes"),
            ("toilets:wheelchair", "yes"),
            ("capacity:disabled", "2"),
            ("tactile_paving", "no"),
            ("audio_loop", "yes"),
        ])
    );
    let back = from_osm_tags(&to_osm_tags(&facts)).unwrap();
    assert_eq!(back, osm_expressible(&facts));
    assert!(
        !back.contains(Feature::VisualAlarm),
        "no OSM tag for visual alarms"
    );
}

#[test]
fn osm_round_trip_keeps_every_expressible_fact() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..500 {
        let facts = random_facts(&mut rng);
        let tags = to_osm_tags(&facts);
        let back = from_osm_tags(&tags).unwrap_or_else(|e| panic!("{e} for {tags:?}"));
        assert_eq!(back, osm_expressible(&facts), "tags {tags:?}");
        // And the second trip changes nothing.
        assert_eq!(to_osm_tags(&back).get("step_count"), tags.get("step_count"));
    }
}

#[test]
fn osm_import_of_typical_wheelmap_tags() {
    let wheelmap = tags(&[
        ("amenity", "townhall"),
        ("name", "Мэрия"),
        ("wheelchair", "yes"),
        ("toilets:wheelchair", "no"),
        ("wheelchair:description", "Вход с пандусом со двора"),
    ]);
    let facts = from_osm_tags(&wheelmap).unwrap();
    assert_eq!(
        facts,
        Facts::new()
            .with(Feature::StepFreeEntrance, V::Bool(true))
            .with(Feature::WorkplaceStepFree, V::Bool(true))
            .with(Feature::Toilet, V::Access(AccessLevel::No))
    );
    let limited = from_osm_tags(&tags(&[("wheelchair", "limited")])).unwrap();
    assert_eq!(
        limited.get(Feature::StepFreeEntrance),
        Some(&V::Bool(false))
    );
    assert!(from_osm_tags(&tags(&[("wheelchair", "no")]))
        .unwrap()
        .is_empty());

    // An entrance node with details: the details win over the bare grade.
    let entrance = tags(&[
        ("entrance", "main"),
        ("wheelchair", "yes"),
        ("step_count", "2"),
        ("door:width", "90 cm"),
        ("door", "hinged"),
        ("hearing_loop", "yes"),
        ("ramp", "no"),
    ]);
    let facts = from_osm_tags(&entrance).unwrap();
    assert_eq!(facts.get(Feature::EntranceStepCount), Some(&V::Count(2)));
    assert_eq!(facts.get(Feature::DoorWidth), Some(&V::Centimetres(90)));
    assert_eq!(
        facts.get(Feature::DoorType),
        Some(&V::DoorType(DoorType::Hinged))
    );
    assert_eq!(facts.get(Feature::HearingLoop), Some(&V::Bool(true)));
    assert!(!facts.contains(Feature::StepFreeEntrance));
}

#[test]
fn osm_import_rejects_malformed_numbers_naming_the_tag() {
    let err = from_osm_tags(&tags(&[("door:width", "wide")])).unwrap_err();
    assert_eq!(err.key, "door:width");
    let err = from_osm_tags(&tags(&[("door:width", "9")])).unwrap_err();
    assert!(err.reason.contains("out of range"), "{err}");
    let err = from_osm_tags(&tags(&[("step_count", "-1")])).unwrap_err();
    assert_eq!(err.key, "step_count");
}

#[test]
fn summary_exports_usable_or_confirmed_facts() {
    let s = rich_building();
    let all = to_osm_tags(&s);
    assert_eq!(
        all.get("toilets:wheelchair").map(String::as_str),
        Some("limited")
    );
    let confirmed = to_osm_tags(&s.confirmed_facts());
    assert_eq!(
        confirmed.get("toilets:wheelchair"),
        None,
        "one anonymous report"
    );
    assert_eq!(confirmed.get("door:width").map(String::as_str), Some("0.8"));
    assert_eq!(confirmed.get("wheelchair").map(String::as_str), Some("no"));
}

#[test]
fn a11yjson_has_the_expected_shape() {
    let s = rich_building();
    let json = to_a11yjson(&s);
    assert_eq!(json["wheelchairAccessibilityGrade"], "not");
    let entrance = &json["entrances"][0];
    assert_eq!(entrance["isMainEntrance"], true);
    assert_eq!(entrance["isLevel"], false);
    assert_eq!(entrance["hasFixedRamp"], false);
    assert_eq!(entrance["stairs"]["count"], 2);
    assert_eq!(
        entrance["stairs"]["stepHeight"],
        serde_json::json!({"value": 15, "unit": "cm"})
    );
    assert_eq!(entrance["door"]["width"]["value"], 80);
    assert_eq!(entrance["door"]["isRevolving"], false);
    assert_eq!(
        json["restrooms"][0]["entrance"]["door"]["width"]["value"],
        75
    );
    assert!(
        json["restrooms"][0]
            .get("isAccessibleWithWheelchair")
            .is_none(),
        "limited is not a yes/no"
    );
    assert_eq!(json["parking"]["forWheelchairUsers"]["count"], 2);
    assert_eq!(
        json["parking"]["forWheelchairUsers"]["distanceToEntrance"]["unit"],
        "m"
    );
    assert_eq!(json["staff"]["spokenLanguages"], serde_json::json!(["rsl"]));
    assert_eq!(json["hasTactileGuideStrips"], false);
    assert!(
        json.get("hasInductionLoop").is_none(),
        "unknown stays absent"
    );
    assert!(
        json.get("hasBrailleSignage").is_none(),
        "conflicting stays absent"
    );
    assert_eq!(to_a11yjson(&Facts::new()), serde_json::json!({}));
}

//! Search requirements ("show only buildings with a step-free entrance") and their SQL encoding.
//!
//! `met` is computed from the usable facts (confirmed, unconfirmed, stale). `confirmed` is true
//! exactly when computing `met` again from the **confirmed facts alone** gives the same, known
//! answer — i.e. the answer does not rest on any unconfirmed, stale or conflicting fact.
//!
//! When a requirement is met:
//! - `step_free_entrance`: no step, or steps with a fixed ramp (any slope); a removable ramp or
//!   no ramp means no; steps with an unreported ramp mean unknown;
//! - `accessible_toilet`: toilet `yes` (`limited` does not meet it);
//! - `elevator`: an elevator not reported broken; no elevator, or a broken one, means no;
//! - `hearing_loop`, `tactile_guidance` (tactile paving): the yes/no fact;
//! - `wheelchair_accessible`: the wheelchair grade is `yes` (`limited` and `no` do not meet it);
//! - `sign_language_staff`: at least one sign language; an empty list means no;
//! - `accessible_parking`: at least one reserved space; zero means no.

use serde::{Deserialize, Serialize};

use super::aggregate::BuildingSummary;
use super::features::FeatureValue;
use super::features::{AccessLevel, Feature, RampKind};
use super::grade::{
    entrance_level, signing_staff, toilet, wheelchair, FactSource, Grade, SummaryView,
};
use crate::model::codes::{coded_enum, BitSet};

coded_enum! {
    /// What a job seeker can require of a workplace building. Order is stable (append only).
    pub enum AccessRequirement as "access requirement" {
        StepFreeEntrance => "step_free_entrance",
        AccessibleToilet => "accessible_toilet",
        Elevator => "elevator",
        HearingLoop => "hearing_loop",
        TactileGuidance => "tactile_guidance",
        WheelchairAccessible => "wheelchair_accessible",
        SignLanguageStaff => "sign_language_staff",
        AccessibleParking => "accessible_parking",
    }
}

impl BitSet for AccessRequirement {
    const VALUES: &'static [Self] = AccessRequirement::ALL;
    fn position(self) -> usize {
        self.index()
    }
}

coded_enum! {
    /// Three-valued answer.
    pub enum Tri as "tri-state answer" {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
    }
}

impl From<Option<bool>> for Tri {
    fn from(b: Option<bool>) -> Self {
        match b {
            Some(true) => Tri::Yes,
            Some(false) => Tri::No,
            None => Tri::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementStatus {
    pub met: Tri,
    /// True only when `met` follows from confirmed facts alone (see the module doc).
    pub confirmed: bool,
}

/// `met = yes` and confirmed.
pub const CODE_CONFIRMED_YES: i64 = 2;
/// `met = yes` but resting on unconfirmed or stale facts.
pub const CODE_YES: i64 = 1;
/// Not known (nobody reported, or reports conflict).
pub const CODE_UNKNOWN: i64 = 0;
/// `met = no` (confirmed or not).
pub const CODE_NO: i64 = -1;

/// The integer stored per building and requirement for SQL filtering:
/// "confirmed only" is `col = 2`, "unknown allowed" is `col >= 0`, plain "yes" is `col >= 1`.
pub fn requirement_code(status: RequirementStatus) -> i64 {
    match (status.met, status.confirmed) {
        (Tri::Yes, true) => CODE_CONFIRMED_YES,
        (Tri::Yes, false) => CODE_YES,
        (Tri::Unknown, _) => CODE_UNKNOWN,
        (Tri::No, _) => CODE_NO,
    }
}

/// Whether `r` is met by the facts `src` gives.
pub fn requirement_met(src: &impl FactSource, r: AccessRequirement) -> Tri {
    match r {
        AccessRequirement::StepFreeEntrance => match entrance_level(src) {
            Some(true) => Tri::Yes,
            None => Tri::Unknown,
            Some(false) => match src.fact(Feature::Ramp) {
                Some(FeatureValue::Ramp(RampKind::Fixed)) => Tri::Yes,
                Some(_) => Tri::No,
                None => Tri::Unknown,
            },
        },
        AccessRequirement::AccessibleToilet => match toilet(src) {
            Some(AccessLevel::Yes) => Tri::Yes,
            Some(_) => Tri::No,
            None => Tri::Unknown,
        },
        AccessRequirement::Elevator => {
            let present = src.flag(Feature::Elevator);
            let working = src.flag(Feature::ElevatorWorking);
            match (present, working) {
                (Some(false), _) | (_, Some(false)) => Tri::No,
                (Some(true), _) | (None, Some(true)) => Tri::Yes,
                (None, None) => Tri::Unknown,
            }
        }
        AccessRequirement::HearingLoop => src.flag(Feature::HearingLoop).into(),
        AccessRequirement::TactileGuidance => src.flag(Feature::TactilePaving).into(),
        AccessRequirement::WheelchairAccessible => match wheelchair(src) {
            Grade::Yes => Tri::Yes,
            Grade::Limited | Grade::No => Tri::No,
            Grade::Unknown => Tri::Unknown,
        },
        AccessRequirement::SignLanguageStaff => signing_staff(src).into(),
        AccessRequirement::AccessibleParking => {
            src.number(Feature::ParkingSpaces).map(|n| n > 0).into()
        }
    }
}

impl BuildingSummary {
    /// Whether the building meets `r`, and whether the answer rests on confirmed facts only.
    pub fn requirement(&self, r: AccessRequirement) -> RequirementStatus {
        let met = requirement_met(&SummaryView::usable(self), r);
        let strict = requirement_met(&SummaryView::confirmed(self), r);
        RequirementStatus {
            met,
            confirmed: met != Tri::Unknown && strict == met,
        }
    }

    /// [`requirement_code`] for every requirement, in [`AccessRequirement::ALL`] order.
    pub fn requirement_codes(&self) -> Vec<(AccessRequirement, i64)> {
        AccessRequirement::ALL
            .iter()
            .map(|r| (*r, requirement_code(self.requirement(*r))))
            .collect()
    }
}

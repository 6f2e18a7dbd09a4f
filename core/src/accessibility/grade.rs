//! Grades derived from facts: wheelchair (OSM/Wheelmap `wheelchair=yes|limited|no`), blind and
//! deaf visitors, and overall. A grade never claims more than the facts show: a fact nobody
//! reported, or one the reports disagree on, can only make a grade `unknown` or lower, never
//! higher; a confirmed barrier makes it `no`.
//!
//! **Wheelchair** is the worst of three parts (no < unknown < limited < yes):
//! - *entrance*: step-free (no step, or a fixed ramp of at most [`MAX_RAMP_SLOPE_YES`] %) is yes;
//!   a fixed ramp up to [`MAX_RAMP_SLOPE_LIMITED`] % or of unknown slope, a removable ramp, or one
//!   step of at most [`MAX_LOW_STEP_CM`] cm is limited; more or higher steps with no usable ramp
//!   is no — but only when the ramp is known to be absent, else unknown;
//! - *door*: clear width >= [`MIN_DOOR_YES_CM`] yes, >= [`MIN_DOOR_LIMITED_CM`] limited, less no,
//!   unknown unknown; a threshold above [`MAX_THRESHOLD_YES_CM`] limits, above
//!   [`MAX_LOW_STEP_CM`] bars; a revolving door limits;
//! - *workplace*: reachable step-free yes, not reachable no, unknown unknown; when the workplace is
//!   off the street floor and the elevator is reported broken, limited.
//!
//! **Blind**: yes = tactile guide strips and braille/raised signs, and either the workplace is on
//! the street floor, there is no elevator, or the elevator speaks or has braille buttons;
//! limited = any one of these aids; no = no strips and no signs (and no elevator aid).
//!
//! **Deaf**: yes = a visual alarm, plus a hearing loop or signing staff, and entry known not to
//! depend on a bell or intercom; limited = any one aid; no = no loop, no visual alarm and nobody signs.
//!
//! **Overall**: yes if all three are yes; unknown if all are unknown; no if all are no; limited if
//! any is yes or limited; otherwise unknown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::aggregate::{AggregatedFeature, BuildingSummary, FactState};
use super::features::{AccessLevel, DoorType, Facts, Feature, FeatureValue, RampKind};
use crate::model::codes::coded_enum;

/// Highest single step a wheelchair user can manage with help (OSM `wheelchair=limited`).
pub const MAX_LOW_STEP_CM: i64 = 7;
/// Clear door width for `yes` (DIN 18040 / Wheelmap practice).
pub const MIN_DOOR_YES_CM: i64 = 90;
/// Narrowest door a standard wheelchair passes.
pub const MIN_DOOR_LIMITED_CM: i64 = 70;
/// Highest threshold that does not count as an obstacle.
pub const MAX_THRESHOLD_YES_CM: i64 = 2;
/// Steepest ramp used without help (1:12).
pub const MAX_RAMP_SLOPE_YES: i64 = 8;
/// Steepest ramp usable with help.
pub const MAX_RAMP_SLOPE_LIMITED: i64 = 12;

coded_enum! {
    pub enum Grade as "accessibility grade" {
        Yes => "yes",
        Limited => "limited",
        No => "no",
        Unknown => "unknown",
    }
}

impl Grade {
    /// Rank for "worst of": no < unknown < limited < yes.
    fn rank(self) -> u8 {
        match self {
            Grade::No => 0,
            Grade::Unknown => 1,
            Grade::Limited => 2,
            Grade::Yes => 3,
        }
    }

    fn worst(parts: &[Grade]) -> Grade {
        parts
            .iter()
            .copied()
            .min_by_key(|g| g.rank())
            .unwrap_or(Grade::Unknown)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Grades {
    pub wheelchair: Grade,
    pub blind: Grade,
    pub deaf: Grade,
    pub overall: Grade,
}

impl Default for Grades {
    fn default() -> Self {
        Grades {
            wheelchair: Grade::Unknown,
            blind: Grade::Unknown,
            deaf: Grade::Unknown,
            overall: Grade::Unknown,
        }
    }
}

/// Anything that answers "what is the value of this feature?" — raw [`Facts`], or a summary's
/// aggregated features filtered by state.
pub trait FactSource {
    fn fact(&self, feature: Feature) -> Option<&FeatureValue>;

    fn flag(&self, feature: Feature) -> Option<bool> {
        self.fact(feature).and_then(FeatureValue::as_bool)
    }

    fn number(&self, feature: Feature) -> Option<i64> {
        self.fact(feature).and_then(FeatureValue::number)
    }
}

impl FactSource for Facts {
    fn fact(&self, feature: Feature) -> Option<&FeatureValue> {
        self.get(feature)
    }
}

/// A summary's usable facts (confirmed, unconfirmed, stale) — what grades and words use.
impl FactSource for BuildingSummary {
    fn fact(&self, feature: Feature) -> Option<&FeatureValue> {
        self.feature(feature).usable_value()
    }
}

/// A summary seen through a state filter.
pub struct SummaryView<'a> {
    features: &'a BTreeMap<Feature, AggregatedFeature>,
    confirmed_only: bool,
}

impl<'a> SummaryView<'a> {
    /// Confirmed, unconfirmed and stale facts.
    pub fn usable(summary: &'a BuildingSummary) -> Self {
        SummaryView {
            features: &summary.features,
            confirmed_only: false,
        }
    }

    /// Confirmed facts only.
    pub fn confirmed(summary: &'a BuildingSummary) -> Self {
        SummaryView {
            features: &summary.features,
            confirmed_only: true,
        }
    }
}

impl FactSource for SummaryView<'_> {
    fn fact(&self, feature: Feature) -> Option<&FeatureValue> {
        let agg = self.features.get(&feature)?;
        if self.confirmed_only && agg.state != FactState::Confirmed {
            return None;
        }
        agg.usable_value()
    }
}

impl BuildingSummary {
    /// The confirmed facts as plain [`Facts`] (e.g. for an OSM export of checked data only).
    pub fn confirmed_facts(&self) -> Facts {
        facts_of(&SummaryView::confirmed(self))
    }

    /// The usable facts (confirmed, unconfirmed, stale) as plain [`Facts`].
    pub fn usable_facts(&self) -> Facts {
        facts_of(&SummaryView::usable(self))
    }
}

fn facts_of(src: &impl FactSource) -> Facts {
    let mut facts = Facts::new();
    for f in Feature::ALL {
        if let Some(v) = src.fact(*f) {
            facts = facts.with(*f, v.clone());
        }
    }
    facts
}

pub fn grades_of(src: &impl FactSource) -> Grades {
    let wheelchair = wheelchair(src);
    let blind = blind(src);
    let deaf = deaf(src);
    Grades {
        wheelchair,
        blind,
        deaf,
        overall: overall([wheelchair, blind, deaf]),
    }
}

fn overall(grades: [Grade; 3]) -> Grade {
    if grades.iter().all(|g| *g == Grade::Yes) {
        Grade::Yes
    } else if grades.iter().all(|g| *g == Grade::No) {
        Grade::No
    } else if grades
        .iter()
        .any(|g| matches!(g, Grade::Yes | Grade::Limited))
    {
        Grade::Limited
    } else {
        Grade::Unknown
    }
}

/// Whether the entrance has no step: `Some(true)` level, `Some(false)` steps, `None` unknown or
/// contradictory (a "step-free" report beside a step count above zero).
pub fn entrance_level(src: &impl FactSource) -> Option<bool> {
    match (
        src.flag(Feature::StepFreeEntrance),
        src.number(Feature::EntranceStepCount),
    ) {
        (Some(true), None) | (Some(true), Some(0)) | (None, Some(0)) => Some(true),
        (Some(true), Some(_)) | (Some(false), Some(0)) => None,
        (Some(false), _) | (None, Some(_)) => Some(false),
        (None, None) => None,
    }
}

fn ramp(src: &impl FactSource) -> Option<RampKind> {
    match src.fact(Feature::Ramp) {
        Some(FeatureValue::Ramp(k)) => Some(*k),
        _ => None,
    }
}

/// Wheelchair view of the entrance alone.
pub fn wheelchair_entrance(src: &impl FactSource) -> Grade {
    match entrance_level(src) {
        Some(true) => return Grade::Yes,
        None => return Grade::Unknown,
        Some(false) => {}
    }
    let steps = {
        let count = src.number(Feature::EntranceStepCount);
        let height = src.number(Feature::EntranceStepHeight);
        match (count, height) {
            (Some(1), Some(h)) if h <= MAX_LOW_STEP_CM => Grade::Limited,
            (Some(c), _) if c >= 2 => Grade::No,
            (_, Some(h)) if h > MAX_LOW_STEP_CM => Grade::No,
            _ => Grade::Unknown,
        }
    };
    match ramp(src) {
        Some(RampKind::Fixed) => match src.number(Feature::RampSlope) {
            Some(s) if s <= MAX_RAMP_SLOPE_YES => Grade::Yes,
            Some(s) if s <= MAX_RAMP_SLOPE_LIMITED => Grade::Limited,
            Some(_) => steps,
            None => Grade::Limited,
        },
        Some(RampKind::Removable) => Grade::Limited,
        Some(RampKind::NoRamp) => steps,
        // A ramp nobody mentioned may exist: a barrier is not proven, a low step still is limited.
        None if steps == Grade::No => Grade::Unknown,
        None => steps,
    }
}

fn wheelchair_door(src: &impl FactSource) -> Grade {
    let width = match src.number(Feature::DoorWidth) {
        Some(w) if w >= MIN_DOOR_YES_CM => Grade::Yes,
        Some(w) if w >= MIN_DOOR_LIMITED_CM => Grade::Limited,
        Some(_) => Grade::No,
        None => Grade::Unknown,
    };
    let threshold = match src.number(Feature::DoorThreshold) {
        Some(t) if t > MAX_LOW_STEP_CM => Grade::No,
        Some(t) if t > MAX_THRESHOLD_YES_CM => Grade::Limited,
        _ => Grade::Yes,
    };
    let kind = match src.fact(Feature::DoorType) {
        Some(FeatureValue::DoorType(DoorType::Revolving)) => Grade::Limited,
        _ => Grade::Yes,
    };
    Grade::worst(&[width, threshold, kind])
}

fn wheelchair_workplace(src: &impl FactSource) -> Grade {
    let reach = match src.flag(Feature::WorkplaceStepFree) {
        Some(true) => Grade::Yes,
        Some(false) => Grade::No,
        None => Grade::Unknown,
    };
    let upstairs = src.number(Feature::WorkplaceFloor).is_some_and(|f| f != 1);
    let elevator_down = src.flag(Feature::ElevatorWorking) == Some(false)
        && src.flag(Feature::Elevator) != Some(false);
    if upstairs && elevator_down && reach == Grade::Yes {
        Grade::Limited
    } else {
        reach
    }
}

pub fn wheelchair(src: &impl FactSource) -> Grade {
    Grade::worst(&[
        wheelchair_entrance(src),
        wheelchair_door(src),
        wheelchair_workplace(src),
    ])
}

pub fn blind(src: &impl FactSource) -> Grade {
    let tactile = src.flag(Feature::TactilePaving);
    let signs = src.flag(Feature::BrailleSignage);
    let elevator_aid = src.flag(Feature::ElevatorSpeech) == Some(true)
        || src.flag(Feature::ElevatorBraille) == Some(true);
    let no_elevator_needed = src.number(Feature::WorkplaceFloor) == Some(1)
        || src.flag(Feature::Elevator) == Some(false);
    if tactile == Some(true) && signs == Some(true) && (elevator_aid || no_elevator_needed) {
        Grade::Yes
    } else if tactile == Some(true) || signs == Some(true) || elevator_aid {
        Grade::Limited
    } else if tactile == Some(false) && signs == Some(false) {
        Grade::No
    } else {
        Grade::Unknown
    }
}

/// `Some(true)` when someone on the staff signs, `Some(false)` when nobody does.
pub fn signing_staff(src: &impl FactSource) -> Option<bool> {
    match src.fact(Feature::SignLanguageStaff) {
        Some(FeatureValue::SignLanguages(list)) => Some(!list.is_empty()),
        _ => None,
    }
}

pub fn deaf(src: &impl FactSource) -> Grade {
    let aids = [
        src.flag(Feature::HearingLoop),
        src.flag(Feature::VisualAlarm),
        signing_staff(src),
    ];
    let alarm = aids[1] == Some(true);
    let communication = aids[0] == Some(true) || aids[2] == Some(true);
    if alarm && communication && src.flag(Feature::BellNeeded) == Some(false) {
        Grade::Yes
    } else if aids.contains(&Some(true)) {
        Grade::Limited
    } else if aids.iter().all(|a| *a == Some(false)) {
        Grade::No
    } else {
        Grade::Unknown
    }
}

/// Toilet access as reported.
pub fn toilet(src: &impl FactSource) -> Option<AccessLevel> {
    match src.fact(Feature::Toilet) {
        Some(FeatureValue::Access(a)) => Some(*a),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FeatureValue as V;

    fn base() -> Facts {
        Facts::new()
            .with(Feature::DoorWidth, V::Centimetres(90))
            .with(Feature::WorkplaceStepFree, V::Bool(true))
    }

    #[test]
    fn one_low_step_is_limited() {
        let f = base()
            .with(Feature::EntranceStepCount, V::Count(1))
            .with(Feature::EntranceStepHeight, V::Centimetres(5))
            .with(Feature::Ramp, V::Ramp(RampKind::NoRamp));
        assert_eq!(wheelchair(&f), Grade::Limited);
    }

    #[test]
    fn one_high_step_without_ramp_is_no() {
        let f = base()
            .with(Feature::EntranceStepCount, V::Count(1))
            .with(Feature::EntranceStepHeight, V::Centimetres(10))
            .with(Feature::Ramp, V::Ramp(RampKind::NoRamp));
        assert_eq!(wheelchair(&f), Grade::No);
    }

    #[test]
    fn steps_with_an_unmentioned_ramp_are_unknown_not_no() {
        let f = base()
            .with(Feature::EntranceStepCount, V::Count(3))
            .with(Feature::EntranceStepHeight, V::Centimetres(15));
        assert_eq!(wheelchair(&f), Grade::Unknown);
    }

    #[test]
    fn step_free_wide_door_and_step_free_workplace_is_yes() {
        let f = base().with(Feature::StepFreeEntrance, V::Bool(true));
        assert_eq!(wheelchair(&f), Grade::Yes);
        let f = base()
            .with(Feature::EntranceStepCount, V::Count(4))
            .with(Feature::Ramp, V::Ramp(RampKind::Fixed))
            .with(Feature::RampSlope, V::Percent(6));
        assert_eq!(wheelchair(&f), Grade::Yes);
    }

    #[test]
    fn unknown_door_width_is_never_yes() {
        let mut f = base().with(Feature::StepFreeEntrance, V::Bool(true));
        f.remove(Feature::DoorWidth);
        assert_eq!(wheelchair(&f), Grade::Unknown);
        let mut f = base().with(Feature::StepFreeEntrance, V::Bool(true));
        f.remove(Feature::WorkplaceStepFree);
        assert_eq!(wheelchair(&f), Grade::Unknown);
    }

    #[test]
    fn narrow_door_or_high_threshold_lowers_the_grade() {
        let f = base()
            .with(Feature::StepFreeEntrance, V::Bool(true))
            .with(Feature::DoorWidth, V::Centimetres(80));
        assert_eq!(wheelchair(&f), Grade::Limited);
        let f = base()
            .with(Feature::StepFreeEntrance, V::Bool(true))
            .with(Feature::DoorWidth, V::Centimetres(60));
        assert_eq!(wheelchair(&f), Grade::No);
        let f = base()
            .with(Feature::StepFreeEntrance, V::Bool(true))
            .with(Feature::DoorThreshold, V::Centimetres(10));
        assert_eq!(wheelchair(&f), Grade::No);
    }

    #[test]
    fn broken_elevator_to_an_upper_workplace_limits() {
        let f = base()
            .with(Feature::StepFreeEntrance, V::Bool(true))
            .with(Feature::WorkplaceFloor, V::Floor(3))
            .with(Feature::Elevator, V::Bool(true))
            .with(Feature::ElevatorWorking, V::Bool(false));
        assert_eq!(wheelchair(&f), Grade::Limited);
    }

    #[test]
    fn contradictory_step_reports_are_unknown() {
        let f = base()
            .with(Feature::StepFreeEntrance, V::Bool(true))
            .with(Feature::EntranceStepCount, V::Count(2));
        assert_eq!(wheelchair(&f), Grade::Unknown);
    }

    #[test]
    fn blind_grades() {
        let yes = Facts::new()
            .with(Feature::TactilePaving, V::Bool(true))
            .with(Feature::BrailleSignage, V::Bool(true))
            .with(Feature::WorkplaceFloor, V::Floor(1));
        assert_eq!(blind(&yes), Grade::Yes);
        let upstairs = yes.clone().with(Feature::WorkplaceFloor, V::Floor(4));
        assert_eq!(blind(&upstairs), Grade::Limited);
        let no = Facts::new()
            .with(Feature::TactilePaving, V::Bool(false))
            .with(Feature::BrailleSignage, V::Bool(false));
        assert_eq!(blind(&no), Grade::No);
        assert_eq!(blind(&Facts::new()), Grade::Unknown);
        let partial = Facts::new().with(Feature::TactilePaving, V::Bool(false));
        assert_eq!(blind(&partial), Grade::Unknown);
    }

    #[test]
    fn deaf_grades() {
        let yes = Facts::new()
            .with(Feature::VisualAlarm, V::Bool(true))
            .with(Feature::HearingLoop, V::Bool(true))
            .with(Feature::BellNeeded, V::Bool(false));
        assert_eq!(deaf(&yes), Grade::Yes);
        let bell = yes.clone().with(Feature::BellNeeded, V::Bool(true));
        assert_eq!(deaf(&bell), Grade::Limited);
        let no = Facts::new()
            .with(Feature::VisualAlarm, V::Bool(false))
            .with(Feature::HearingLoop, V::Bool(false))
            .with(Feature::SignLanguageStaff, V::SignLanguages(vec![]));
        assert_eq!(deaf(&no), Grade::No);
        let unknown = Facts::new().with(Feature::HearingLoop, V::Bool(false));
        assert_eq!(deaf(&unknown), Grade::Unknown);
    }

    #[test]
    fn overall_never_exceeds_the_parts() {
        assert_eq!(overall([Grade::Yes; 3]), Grade::Yes);
        assert_eq!(
            overall([Grade::Yes, Grade::Unknown, Grade::No]),
            Grade::Limited
        );
        assert_eq!(
            overall([Grade::No, Grade::Unknown, Grade::No]),
            Grade::Unknown
        );
        assert_eq!(overall([Grade::No; 3]), Grade::No);
        assert_eq!(overall([Grade::Unknown; 3]), Grade::Unknown);
    }
}

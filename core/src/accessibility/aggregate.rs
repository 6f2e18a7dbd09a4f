//! From many crowd reports to one value per feature, with a state and a confidence.
//!
//! The rules, in order (every constant is named below):
//!
//! 1. **Supersession.** Only reports about the building count. For each reporter and feature,
//!    only that reporter's newest observation counts (ties broken by report id): a newer report
//!    replaces the reporter's older statements about the features it covers, and leaves their
//!    statements about other features standing.
//! 2. **Weight** of an observation = reporter weight ([`ANONYMOUS_WEIGHT`], [`VERIFIED_WEIGHT`])
//!    × method weight ([`MEASURED_WEIGHT`], [`PHOTO_CHECKED_WEIGHT`], [`ESTIMATED_WEIGHT`])
//!    × decay `0.5^(age / half-life)`, the half-life set by the feature's
//!    [`Volatility`](super::Volatility): 14 days (volatile), 90 days (seasonal), 3 years
//!    (structural). Observations dated in the future count as made now (they cannot be
//!    "newer" than an honest report, nor take the note).
//!    - 2a. An anonymous phone names its own method, so its observation always weighs as an
//!      estimate ([`ESTIMATED_WEIGHT`]). Another system's report (`external_system`, an Open311
//!      client) weighs exactly as an anonymous phone's estimate.
//!    - 2b. **Surveys anchor.** While a verified surveyor's *measured* observation of a feature is
//!      not stale, the value, support and state come from such measurements only: anonymous
//!      reports cannot override a survey by numbers alone. Their dissent still counts in the
//!      confidence (it falls), and a new survey, or the survey going stale, lets the crowd decide
//!      again.
//! 3. **Value.** Numbers: weighted median of the *recent* observations, those at most one
//!    half-life older than the newest. Yes/no, enums and sign-language lists: weighted vote; an
//!    exact tie leaves no value.
//! 4. **Support** = weight agreeing with the value (for numbers: within the feature's
//!    tolerance, see [`tolerance`]); **share** = support / total weight.
//!    **Confidence** = share × support / (support + [`EVIDENCE_PRIOR`]), in 0..1.
//! 5. **State**: `unknown` without observations; else `stale` if even the newest observation has
//!    decayed below [`STALE_FRESHNESS`] (older than two half-lives); else `conflicting` if share
//!    < [`CONFIRM_SHARE`] or the vote is tied; else `confirmed` if support >= [`CONFIRM_SUPPORT`]
//!    (two fresh anonymous reports, or one verified surveyor); else `unconfirmed` (one anonymous
//!    report, or weak old evidence).
//!
//! A summary describes the building as of the `now` it was aggregated at. Volatile facts age in
//! weeks, so the store should re-aggregate stored summaries regularly (daily is plenty); the
//! words re-check staleness at the time they are spoken in any case.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::features::{Feature, FeatureValue, ValueKind, FEATURE_COUNT};
use super::grade::{grades_of, Grades, SummaryView};
use super::report::{AccessibilityReport, LocalizedNote, Method, ReporterKind};
use crate::model::codes::coded_enum;

/// Weight of an anonymous device's observation.
pub const ANONYMOUS_WEIGHT: f64 = 1.0;
/// Weight of a verified surveyor's observation: worth five anonymous devices (trained, with tools).
pub const VERIFIED_WEIGHT: f64 = 5.0;
/// Method multipliers: a tape measure beats a photo, a photo beats a glance.
pub const MEASURED_WEIGHT: f64 = 1.0;
pub const PHOTO_CHECKED_WEIGHT: f64 = 0.9;
pub const ESTIMATED_WEIGHT: f64 = 0.7;
/// Below this decay factor of the newest observation (two half-lives) a fact is stale.
pub const STALE_FRESHNESS: f64 = 0.25;
/// Share of the weight the leading value needs; below it the reports conflict.
pub const CONFIRM_SHARE: f64 = 2.0 / 3.0;
/// Decayed weight the leading value needs to be confirmed (two fresh anonymous estimates = 1.4).
pub const CONFIRM_SUPPORT: f64 = 1.2;
/// Pseudo-weight of doubt in the confidence formula: one fresh anonymous report gives 0.5.
pub const EVIDENCE_PRIOR: f64 = 1.0;

const SECONDS_PER_DAY: f64 = 86_400.0;

coded_enum! {
    /// How much an aggregated fact can be trusted.
    pub enum FactState as "fact state" {
        /// Enough recent, agreeing evidence.
        Confirmed => "confirmed",
        /// Recent and uncontested, but not enough evidence yet (e.g. one anonymous report).
        Unconfirmed => "unconfirmed",
        /// Reports disagree.
        Conflicting => "conflicting",
        /// Even the newest report is old for a fact of this volatility.
        Stale => "stale",
        /// Nobody reported it.
        Unknown => "unknown",
    }
}

/// One feature of one building after aggregation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AggregatedFeature {
    /// Median or vote winner; `None` when unknown or tied.
    pub value: Option<FeatureValue>,
    pub state: FactState,
    /// 0..1, see the module doc.
    pub confidence: f32,
    /// Time of the newest observation counted.
    pub last_reported_at: Option<DateTime<Utc>>,
    /// Observations counted (after supersession).
    pub reports: u32,
}

/// What an unobserved feature aggregates to.
pub const UNKNOWN_FEATURE: AggregatedFeature = AggregatedFeature {
    value: None,
    state: FactState::Unknown,
    confidence: 0.0,
    last_reported_at: None,
    reports: 0,
};

impl AggregatedFeature {
    /// The value when it may be used for grades, requirements and words: confirmed, unconfirmed
    /// or stale. Conflicting and unknown facts give `None`.
    pub fn usable_value(&self) -> Option<&FeatureValue> {
        match self.state {
            FactState::Confirmed | FactState::Unconfirmed | FactState::Stale => self.value.as_ref(),
            FactState::Conflicting | FactState::Unknown => None,
        }
    }
}

/// Everything known about one building's accessibility. Stored as JSON and sent over the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct BuildingSummary {
    pub building_id: Uuid,
    /// Only features someone observed; a missing key is [`FactState::Unknown`]
    /// (use [`BuildingSummary::feature`]).
    pub features: BTreeMap<Feature, AggregatedFeature>,
    pub grades: Grades,
    /// Reports that still contribute at least one observation after supersession.
    pub report_count: u32,
    pub last_reported_at: Option<DateTime<Utc>>,
    /// The newest note among the reports (visitors' own words, not translated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<LocalizedNote>,
}

impl BuildingSummary {
    /// The aggregated feature, [`UNKNOWN_FEATURE`] when nobody reported it.
    pub fn feature(&self, feature: Feature) -> &AggregatedFeature {
        self.features.get(&feature).unwrap_or(&UNKNOWN_FEATURE)
    }

    /// A summary of nothing: every feature unknown.
    pub fn empty(building_id: Uuid) -> Self {
        BuildingSummary {
            building_id,
            features: BTreeMap::new(),
            grades: Grades::default(),
            report_count: 0,
            last_reported_at: None,
            note: None,
        }
    }
}

fn reporter_weight(kind: ReporterKind) -> f64 {
    match kind {
        // Another system's report weighs no more than an anonymous phone's.
        ReporterKind::Anonymous | ReporterKind::ExternalSystem => ANONYMOUS_WEIGHT,
        ReporterKind::VerifiedSurveyor => VERIFIED_WEIGHT,
    }
}

/// An anonymous phone's (or another system's) claim to have measured cannot be checked, so it
/// weighs as an estimate whatever method it names (rule 2a).
fn method_weight(reporter: ReporterKind, method: Method) -> f64 {
    match (reporter, method) {
        (ReporterKind::Anonymous | ReporterKind::ExternalSystem, _) => ESTIMATED_WEIGHT,
        (_, Method::Measured) => MEASURED_WEIGHT,
        (_, Method::PhotoChecked) => PHOTO_CHECKED_WEIGHT,
        (_, Method::Estimated) => ESTIMATED_WEIGHT,
    }
}

/// Largest difference from the median that still counts as agreement.
pub fn tolerance(kind: ValueKind, median: i64) -> i64 {
    match kind {
        // Tape-measure noise: 2 cm or 10 %.
        ValueKind::Centimetres => (median / 10).max(2),
        // Pacing a distance: 5 m or 20 %.
        ValueKind::Metres => (median / 5).max(5),
        // Slope meters and phone apps: 1 point or 15 %.
        ValueKind::Percent => (median * 15 / 100).max(1),
        // Counts and floors must agree exactly.
        _ => 0,
    }
}

struct Obs<'a> {
    value: &'a FeatureValue,
    reporter: &'a str,
    base_weight: f64,
    at: DateTime<Utc>,
    /// A verified surveyor's measurement (rule 2b).
    anchor: bool,
}

/// Aggregates the reports about `building_id` (others in the slice are ignored) as of `now`.
pub fn aggregate(
    building_id: Uuid,
    reports: &[AccessibilityReport],
    now: DateTime<Utc>,
) -> BuildingSummary {
    let mut ordered: Vec<(usize, &AccessibilityReport)> = reports
        .iter()
        .enumerate()
        .filter(|(_, r)| r.building_id == building_id)
        .collect();
    if ordered.is_empty() {
        return BuildingSummary::empty(building_id);
    }
    // Newest first, so the first observation seen per (reporter, feature) is the current one.
    // A time in the future counts as now, so post-dating a report cannot make it the newest.
    ordered.sort_by(|a, b| {
        b.1.observed_at
            .min(now)
            .cmp(&a.1.observed_at.min(now))
            .then(b.1.id.cmp(&a.1.id))
    });

    let mut buckets: Vec<Vec<Obs>> = (0..FEATURE_COUNT).map(|_| Vec::new()).collect();
    let mut contributes = vec![false; ordered.len()];
    let mut note = None;
    for (pos, (_, r)) in ordered.iter().enumerate() {
        if let Some(n) = r.note.as_ref().filter(|n| !n.is_empty()) {
            contributes[pos] = true;
            if note.is_none() {
                note = Some(n.clone());
            }
        }
        let base_weight =
            reporter_weight(r.reporter_kind) * method_weight(r.reporter_kind, r.method);
        let anchor =
            r.reporter_kind == ReporterKind::VerifiedSurveyor && r.method == Method::Measured;
        let at = r.observed_at.min(now);
        for (feature, value) in r.facts.iter() {
            let bucket = &mut buckets[feature.slot()];
            if bucket.iter().any(|o| o.reporter == r.reporter.0) {
                continue; // superseded by this reporter's newer observation
            }
            bucket.push(Obs {
                value,
                reporter: &r.reporter.0,
                base_weight,
                at,
                anchor,
            });
            contributes[pos] = true;
        }
    }

    let mut features = BTreeMap::new();
    for feature in Feature::ALL {
        let obs = &buckets[feature.slot()];
        if !obs.is_empty() {
            features.insert(*feature, aggregate_feature(*feature, obs, now));
        }
    }
    let mut summary = BuildingSummary {
        building_id,
        features,
        grades: Grades::default(),
        report_count: contributes.iter().filter(|c| **c).count() as u32,
        last_reported_at: ordered.first().map(|(_, r)| r.observed_at.min(now)),
        note,
    };
    summary.grades = grades_of(&SummaryView::usable(&summary));
    summary
}

fn decay(at: DateTime<Utc>, now: DateTime<Utc>, half_life_days: f64) -> f64 {
    let age_days = ((now - at).num_seconds().max(0) as f64) / SECONDS_PER_DAY;
    0.5f64.powf(age_days / half_life_days)
}

fn aggregate_feature(feature: Feature, obs: &[Obs], now: DateTime<Utc>) -> AggregatedFeature {
    let half_life = feature.volatility().half_life_days();
    let newest = obs.iter().map(|o| o.at).max().expect("non-empty");
    let kind = feature.kind();
    let weight = |o: &Obs| o.base_weight * decay(o.at, now, half_life);

    // A fresh measured survey decides the value; the crowd's dissent only lowers the confidence.
    let anchors: Vec<&Obs> = obs
        .iter()
        .filter(|o| o.anchor && decay(o.at, now, half_life) >= STALE_FRESHNESS)
        .collect();
    let (counted, anchored): (Vec<&Obs>, bool) = if anchors.is_empty() {
        (obs.iter().collect(), false)
    } else {
        (anchors, true)
    };
    let counted_newest = counted.iter().map(|o| o.at).max().unwrap_or(newest);
    let freshness = decay(counted_newest, now, half_life);
    let Vote {
        value,
        support,
        total,
        tied,
    } = vote(kind, &counted, now, half_life);
    let dissent: f64 = if anchored {
        obs.iter()
            .filter(|o| !o.anchor && !agrees(kind, o.value, value.as_ref()))
            .map(weight)
            .sum()
    } else {
        0.0
    };
    let share = if total > 0.0 { support / total } else { 0.0 };
    let share_with_dissent = if total + dissent > 0.0 {
        support / (total + dissent)
    } else {
        0.0
    };
    let confidence = (share_with_dissent * support / (support + EVIDENCE_PRIOR)).clamp(0.0, 1.0);
    let state = if freshness < STALE_FRESHNESS {
        FactState::Stale
    } else if tied || share < CONFIRM_SHARE {
        FactState::Conflicting
    } else if support >= CONFIRM_SUPPORT {
        FactState::Confirmed
    } else {
        FactState::Unconfirmed
    };
    AggregatedFeature {
        value,
        state,
        confidence: confidence as f32,
        last_reported_at: Some(newest),
        reports: obs.len() as u32,
    }
}

struct Vote {
    value: Option<FeatureValue>,
    /// Decayed weight agreeing with the value.
    support: f64,
    /// Decayed weight of every observation counted.
    total: f64,
    tied: bool,
}

/// Rules 3 and 4 of the module doc over `obs`.
fn vote(kind: ValueKind, obs: &[&Obs], now: DateTime<Utc>, half_life: f64) -> Vote {
    let newest = obs.iter().map(|o| o.at).max();
    let Some(newest) = newest else {
        return Vote {
            value: None,
            support: 0.0,
            total: 0.0,
            tied: false,
        };
    };
    if kind.is_numeric() {
        let recent_from = newest - chrono::Duration::seconds((half_life * SECONDS_PER_DAY) as i64);
        let mut points: Vec<(i64, f64)> = obs
            .iter()
            .filter(|o| o.at >= recent_from)
            .filter_map(|o| {
                Some((
                    o.value.number()?,
                    o.base_weight * decay(o.at, now, half_life),
                ))
            })
            .collect();
        let discrete = matches!(kind, ValueKind::Count | ValueKind::Floor);
        let median = weighted_median(&mut points, !discrete);
        let tol = tolerance(kind, median);
        let total: f64 = points.iter().map(|p| p.1).sum();
        let support: f64 = points
            .iter()
            .filter(|p| (p.0 - median).abs() <= tol)
            .map(|p| p.1)
            .sum();
        Vote {
            value: FeatureValue::numeric(kind, median),
            support,
            total,
            tied: false,
        }
    } else {
        let mut tally: Vec<(&FeatureValue, f64)> = Vec::new();
        for o in obs {
            let w = o.base_weight * decay(o.at, now, half_life);
            match tally.iter_mut().find(|(v, _)| *v == o.value) {
                Some(entry) => entry.1 += w,
                None => tally.push((o.value, w)),
            }
        }
        tally.sort_by(|a, b| b.1.total_cmp(&a.1));
        let total: f64 = tally.iter().map(|t| t.1).sum();
        let (winner, support) = tally[0];
        let tied = tally
            .get(1)
            .is_some_and(|t| (support - t.1).abs() <= 1e-9 * total.max(1.0));
        Vote {
            value: if tied { None } else { Some(winner.clone()) },
            support,
            total,
            tied,
        }
    }
}

/// Whether an observation agrees with the value (numbers: within the feature's tolerance).
fn agrees(kind: ValueKind, observed: &FeatureValue, value: Option<&FeatureValue>) -> bool {
    let Some(value) = value else {
        return false;
    };
    match (observed.number(), value.number()) {
        (Some(o), Some(v)) if kind.is_numeric() => (o - v).abs() <= tolerance(kind, v),
        _ => observed == value,
    }
}

/// Weighted median. When the cumulative weight lands exactly on half: the mean of the two middle
/// values (rounded down) for measurements, as the plain median of an even count does; the lower
/// of the two for discrete values (counts, floors), which must stay values someone reported.
fn weighted_median(points: &mut [(i64, f64)], average_halves: bool) -> i64 {
    points.sort_by_key(|p| p.0);
    let total: f64 = points.iter().map(|p| p.1).sum();
    let half = total / 2.0;
    let mut cumulative = 0.0;
    for (i, (v, w)) in points.iter().enumerate() {
        cumulative += w;
        if (cumulative - half).abs() <= 1e-9 * total.max(1.0) {
            if let (true, Some((next, _))) = (average_halves, points.get(i + 1)) {
                return (v + next).div_euclid(2);
            }
            return *v;
        }
        if cumulative > half {
            return *v;
        }
    }
    points.last().map(|p| p.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_median_of_plain_values() {
        assert_eq!(
            weighted_median(&mut [(14, 1.0), (30, 1.0), (15, 1.0)], true),
            15
        );
        assert_eq!(weighted_median(&mut [(10, 1.0), (20, 1.0)], true), 15);
        assert_eq!(
            weighted_median(&mut [(80, 5.0), (95, 0.7), (100, 0.7)], true),
            80
        );
        assert_eq!(weighted_median(&mut [(7, 1.0)], true), 7);
        // Floors -1 and 1 must not average to the floor 0, which does not exist.
        assert_eq!(weighted_median(&mut [(1, 1.0), (-1, 1.0)], false), -1);
    }

    #[test]
    fn tolerances_follow_units() {
        assert_eq!(tolerance(ValueKind::Centimetres, 90), 9);
        assert_eq!(tolerance(ValueKind::Centimetres, 5), 2);
        assert_eq!(tolerance(ValueKind::Count, 3), 0);
        assert_eq!(tolerance(ValueKind::Metres, 10), 5);
    }
}

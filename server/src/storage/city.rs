//! What the city office's web pages ask of storage (issue 13): the inbox (filters, keyset pages
//! newest first, a filtered count), the choices its filters offer, and the digest's aggregates.
//!
//! Backend-neutral: plain values, times as `DateTime<Utc>`, statuses and features by their core
//! enums. A city scope is compared as `set_report_status` compares it: the building's city, ASCII
//! case folded ("Osh" = "osh"; Cyrillic names as written).

use chrono::{DateTime, Utc};
use teng_core::accessibility::grade::entrance_level;
use teng_core::accessibility::{AccessRequirement, BuildingSummary, Feature, Tri};
use uuid::Uuid;

use super::{IssueStatus, ReportRecord};

/// Where a page of the inbox starts: the keyset of a row it is next to, in newest-first order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxCursor {
    /// The rows received strictly before (older than) this one: the next page.
    Before(DateTime<Utc>, Uuid),
    /// The rows received strictly after (newer than) this one, the page closest to it: the
    /// previous page.
    After(DateTime<Utc>, Uuid),
}

/// The city inbox's filters. Every filter narrows; `None` / empty / `false` is "any".
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    /// Only reports about buildings in this city (a city office's own; `None` for admins' "all").
    pub city: Option<String>,
    /// The building's `address.district`, exactly as written there.
    pub district: Option<String>,
    /// Any of these current statuses.
    pub statuses: Vec<IssueStatus>,
    /// Only reports that say something about this feature.
    pub feature: Option<Feature>,
    pub building_id: Option<Uuid>,
    /// Received at or after.
    pub received_from: Option<DateTime<Utc>>,
    /// Received strictly before.
    pub received_until: Option<DateTime<Utc>>,
    /// Only buildings whose stored summary says the entrance is not step-free
    /// ([`summary_not_step_free`]).
    pub not_step_free: bool,
    pub cursor: Option<InboxCursor>,
    pub limit: usize,
}

/// How far the inbox counts: a count stops at `COUNT_LIMIT + 1` matching reports ("more than
/// 1000"), so that a page costs the same over 200k reports as over 2k (the digest counts all).
pub const COUNT_LIMIT: u64 = 1_000;

/// One page of the inbox, newest first, with counts for the whole filtered set.
#[derive(Debug, Clone, Default)]
pub struct InboxPage {
    pub rows: Vec<ReportRecord>,
    /// Reports matching the filters, in all pages, counted up to `COUNT_LIMIT + 1` (more than
    /// [`COUNT_LIMIT`] when above it).
    pub total: u64,
    /// Matching reports newer than this page's first row (0 on the first page), counted the same
    /// way: the page shows rows `newer + 1 ..= newer + rows.len()` when `newer <= COUNT_LIMIT`.
    pub newer: u64,
    /// Whether matching reports older than this page's last row exist (a next page).
    pub older: bool,
}

/// A building a city office has reports about (the inbox's building filter, the digest's list).
#[derive(Debug, Clone, PartialEq)]
pub struct CityBuilding {
    pub id: Uuid,
    pub name: String,
    pub district: Option<String>,
    pub city: String,
}

/// What the inbox's filters offer: only what lies inside the scope.
#[derive(Debug, Clone, Default)]
pub struct InboxChoices {
    /// Cities that have reports (admins choose among them; a city office gets its own only).
    pub cities: Vec<String>,
    /// Districts named by the scope's buildings, sorted.
    pub districts: Vec<String>,
    /// Buildings with at least one report (in the chosen district, if any), by name: the first
    /// `MAX_BUILDING_CHOICES`.
    pub buildings: Vec<CityBuilding>,
    /// More buildings have reports than `buildings` lists.
    pub more_buildings: bool,
}

/// Most buildings the inbox's building filter lists: a longer list is unusable by keyboard or
/// screen reader, and made the inbox page 145 KB over 2,000 buildings.
pub const MAX_BUILDING_CHOICES: usize = 200;

/// The digest's period and scope.
#[derive(Debug, Clone)]
pub struct DigestQuery {
    pub city: Option<String>,
    /// Reports received at or after.
    pub from: DateTime<Utc>,
    /// Reports received strictly before.
    pub until: DateTime<Utc>,
    /// How many of the oldest unanswered reports and of the most reported buildings to list.
    pub list_limit: usize,
}

/// How reports stand now, by their current status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub reports: u64,
    /// `open` (never answered) or `reopened` (the reporter says it is still not fixed): the city
    /// owes an answer.
    pub unanswered: u64,
    /// `acknowledged` or `in_progress`.
    pub in_hand: u64,
    pub resolved: u64,
    pub not_responsible: u64,
}

impl StatusCounts {
    /// Still waiting for the city ([`IssueStatus::is_open`]).
    pub fn waiting(&self) -> u64 {
        self.unanswered + self.in_hand
    }
}

/// Statuses counted as "unanswered" in [`StatusCounts`] and listed as the oldest unanswered.
pub const UNANSWERED: [IssueStatus; 2] = [IssueStatus::Open, IssueStatus::Reopened];
/// Statuses counted as "in hand".
pub const IN_HAND: [IssueStatus; 2] = [IssueStatus::Acknowledged, IssueStatus::InProgress];

/// The digest of one period: reports received in it, as they stand now.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    pub totals: StatusCounts,
    /// By the building's district (`None`: no district given), most reports first.
    pub by_district: Vec<(Option<String>, StatusCounts)>,
    /// By the feature a report speaks about, most reports first. A report about several
    /// features counts under each.
    pub by_feature: Vec<(Feature, StatusCounts)>,
    /// Reports with a note but no facts.
    pub note_only: StatusCounts,
    /// Reports the city has answered at least once.
    pub answered: u64,
    /// The median time from receiving a report to the city's first answer, over `answered`.
    pub median_first_answer_ms: Option<i64>,
    /// Unanswered ([`UNANSWERED`]) reports of the period, oldest first.
    pub oldest_unanswered: Vec<ReportRecord>,
    /// The most reported buildings of the period, most first.
    pub top_buildings: Vec<(CityBuilding, StatusCounts)>,
}

/// The city office's filter "not step-free": the summary says the entrance has steps, and no
/// fixed ramp makes the step-free requirement met. An entrance nobody described is not counted.
pub fn summary_not_step_free(summary: &BuildingSummary) -> bool {
    entrance_level(summary) == Some(false)
        && summary.requirement(AccessRequirement::StepFreeEntrance).met != Tri::Yes
}

/// Whether a building in `city` is inside a city office's `scope` (`None`: every city), compared
/// as the storage compares cities: by [`city_key`].
pub fn in_scope(city: &str, scope: Option<&str>) -> bool {
    match scope {
        None => true,
        Some(own) => city_key(own) == city_key(city),
    }
}

/// The key a city office's scope compares (issue 14): the core's search folding (any case, Cyrillic
/// or Latin: «Бишкек», «бишкек» and "Bishkek" meet) with everything but letters and digits
/// dropped, so spaces, hyphens, zero-width and other invisible characters in an address cannot move
/// a building out of its city's inbox. Stored as `buildings.city_key`; a name with no letter the
/// folding knows (another script) keys as itself, lowercased and trimmed, rather than as "".
///
/// ```
/// use teng_server::storage::city::city_key;
/// assert_eq!(city_key("Бишкек"), "bishkek");
/// assert_eq!(city_key("Bish\u{200b}kek "), city_key("bishkek"));
/// assert_eq!(city_key("Кара-Суу"), city_key("Kara Suu"));
/// assert_ne!(city_key("Osh"), city_key("Bishkek"));
/// assert_ne!(city_key("北京"), city_key("東京"));
/// ```
pub fn city_key(city: &str) -> String {
    let mut key = teng_core::search::text::fold(city);
    key.retain(|c| c.is_ascii_alphanumeric());
    if key.is_empty() {
        return city.trim().to_lowercase();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use teng_core::accessibility::{
        aggregate, AccessibilityReport, Facts, FeatureValue, Method, RampKind, ReporterKind,
    };

    fn summary(facts: Facts) -> BuildingSummary {
        let building = Uuid::from_u128(1);
        let report = AccessibilityReport {
            id: Uuid::from_u128(2),
            building_id: building,
            reporter: "someone".into(),
            reporter_kind: ReporterKind::VerifiedSurveyor,
            observed_at: Utc::now(),
            method: Method::Measured,
            facts,
            note: None,
        };
        aggregate(building, &[report], Utc::now())
    }

    #[test]
    fn steps_without_a_fixed_ramp_are_not_step_free() {
        let steps = Facts::new().with(Feature::EntranceStepCount, FeatureValue::Count(3));
        assert!(summary_not_step_free(&summary(steps.clone())));
        assert!(summary_not_step_free(&summary(
            steps
                .clone()
                .with(Feature::Ramp, FeatureValue::Ramp(RampKind::Removable))
        )));
        assert!(!summary_not_step_free(&summary(
            steps.with(Feature::Ramp, FeatureValue::Ramp(RampKind::Fixed))
        )));
        assert!(!summary_not_step_free(&summary(
            Facts::new().with(Feature::StepFreeEntrance, FeatureValue::Bool(true))
        )));
        assert!(!summary_not_step_free(&summary(
            Facts::new().with(Feature::Elevator, FeatureValue::Bool(true))
        )));
    }

    #[test]
    fn scopes_fold_ascii_case_only() {
        assert!(in_scope("Osh", Some("osh")));
        assert!(in_scope("Ош", Some("Ош")));
        assert!(!in_scope("Bishkek", Some("Osh")));
        assert!(in_scope("Bishkek", None));
    }
}

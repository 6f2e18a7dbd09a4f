//! Building accessibility: what waits at the building before a wheelchair user, a blind or a deaf
//! person goes to an interview.
//!
//! - [`features`]: measurable facts about *objects* (steps, doors, elevators, toilets, aids), with
//!   units, after A11yJSON and OpenStreetMap. A feature missing from [`Facts`] was not observed;
//!   an explicit negative ("no ramp", `false`, zero spaces, nobody signs) is an observed absence.
//! - [`report`]: [`AccessibilityReport`], one reporter's immutable observation, and its validation.
//! - [`aggregate()`]: all reports about a building → [`BuildingSummary`], one
//!   [`AggregatedFeature`] per observed feature with a value, a [`FactState`] and a confidence.
//!   In brief: a reporter's newest observation of a feature supersedes their older ones; weights
//!   are reporter (verified surveyor 5, anonymous 1) × method (measured 1, photo 0.9, estimated
//!   0.7) × age decay with a half-life of 14 days (elevator working), 90 days (staff, parking,
//!   route, bell) or 3 years (everything built); numbers take the weighted median of recent
//!   values, other values a weighted vote; stale when the newest report is two half-lives old,
//!   conflicting below a 2/3 share, confirmed from a decayed support of 1.2 (two fresh anonymous
//!   reports or one surveyor), else unconfirmed. See [`aggregate`](mod@aggregate) for the details.
//! - [`grade`]: wheelchair / blind / deaf / overall grades (yes, limited, no, unknown) derived from
//!   usable facts; a grade never claims more than the facts show.
//! - [`requirement`]: search requirements. Per building, store one integer per
//!   [`AccessRequirement`] from [`requirement_code`]:
//!
//!   | code | meaning |
//!   | ---: | --- |
//!   | 2 | met, and the answer follows from confirmed facts alone |
//!   | 1 | met, but resting on unconfirmed or stale facts |
//!   | 0 | unknown (nobody reported, or reports conflict) |
//!   | -1 | not met |
//!
//!   "Confirmed only" filters `col = 2`; "unknown allowed" filters `col >= 0`.
//!   [`BuildingSummary::requirement_codes`] gives all of them at once.
//! - [`words`]: labels for every feature and enum value in Kyrgyz, Russian and English
//!   ([`label`]), and [`BuildingSummary::summary_text`] / [`BuildingSummary::description_text`]
//!   for screen readers: units spelled out, unknowns said plainly, report ages given.
//! - [`osm`]: OpenStreetMap tags out and in; [`a11yjson`]: an A11yJSON `accessibility` object.
//! - [`report_status`]: what the city office did with a report ([`ReportStatus`], the pulled
//!   [`ReportStatusRecord`]) and a report as its reporter sees it ([`MyReport`]); the words are
//!   [`words::report_status_text`] and [`words::report_privacy_notice`].

pub mod a11yjson;
pub mod aggregate;
pub mod features;
pub mod grade;
pub mod osm;
pub mod report;
pub mod report_status;
pub mod requirement;
pub mod words;

pub use a11yjson::to_a11yjson;
pub use aggregate::{aggregate, AggregatedFeature, BuildingSummary, FactState, UNKNOWN_FEATURE};
pub use features::{
    AccessLevel, DoorType, Facts, Feature, FeatureValue, KindMismatch, RampKind, SignLanguage,
    ValueKind, Volatility,
};
pub use grade::{FactSource, Grade, Grades};
pub use osm::{from_osm_tags, osm_expressible, to_osm_tags, OsmError};
pub use report::{AccessibilityReport, LocalizedNote, Method, ReporterId, ReporterKind};
pub use report_status::{
    MyReport, ReportHidden, ReportStatus, ReportStatusEntry, ReportStatusRecord, StatusAuthor,
};
pub use requirement::{requirement_code, AccessRequirement, RequirementStatus, Tri};
pub use words::{
    history_entry_text, label, report_privacy_notice, report_status_text, Labelled, Lang,
};

#[cfg(test)]
mod tests;

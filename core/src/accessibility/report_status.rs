//! What the city office did with a report: its status, the office's last note and the history, as
//! the reporter's own device receives them (the `report_status` kind of a pull page,
//! docs/sync-protocol.md), and a report as its reporter sees it on the phone ([`MyReport`]).
//!
//! The reporter answers a `resolved` report with "still not fixed" (`reopen_report`), which turns it
//! `reopened`. Nothing here names a city employee: the server sends only `by: city` or
//! `by: reporter`.
//!
//! Reading is lenient: a status, author or language code this build does not know (a newer server)
//! is read as `open` ("received"), `city` and "no language", so one new code never fails a page.
//! The phone keeps the record exactly as received, so a later build reads the new code as it is.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use super::report::AccessibilityReport;
use super::words::Lang;
use crate::model::codes::coded_enum;
use crate::model::Building;

coded_enum! {
    /// Where a city office's handling of a reported building issue stands. The codes are the sync
    /// protocol's (`report_status`) and the server's.
    pub enum ReportStatus as "report status" {
        /// Received; nobody has answered yet.
        Open => "open",
        Acknowledged => "acknowledged",
        InProgress => "in_progress",
        Resolved => "resolved",
        /// Not the city's responsibility; the note says why.
        NotResponsible => "not_responsible",
        /// The reporter said a resolved report is still not fixed.
        Reopened => "reopened",
    }
}

impl ReportStatus {
    /// A code from the server, read leniently: one this build does not know is `Open`, which the
    /// app shows as "received" (docs/sync-protocol.md).
    pub fn from_code_or_open(code: &str) -> ReportStatus {
        ReportStatus::from_code(code).unwrap_or(ReportStatus::Open)
    }

    /// Only a report the city marked resolved can be reopened by its reporter.
    pub fn can_reopen(self) -> bool {
        self == ReportStatus::Resolved
    }
}

coded_enum! {
    /// Who gave a report a status.
    pub enum StatusAuthor as "status author" {
        /// A city office (or an admin); never a named person.
        City => "city",
        /// The reporter's own device (`reopen_report`).
        Reporter => "reporter",
    }
}

/// One entry of a report's status history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStatusEntry {
    #[serde(deserialize_with = "lenient_status")]
    pub status: ReportStatus,
    #[serde(default)]
    pub note: Option<String>,
    /// The language the note was written in.
    #[serde(default, deserialize_with = "lenient_lang")]
    pub lang: Option<Lang>,
    pub at: DateTime<Utc>,
    #[serde(default = "city", deserialize_with = "lenient_author")]
    pub by: StatusAuthor,
}

/// The `report_status` record of a pull page: what the reporter may see of their own report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStatusRecord {
    pub report_id: Uuid,
    pub building_id: Uuid,
    #[serde(deserialize_with = "lenient_status")]
    pub status: ReportStatus,
    /// The last note (for `not_responsible`, why).
    #[serde(default)]
    pub note: Option<String>,
    /// The language `note` was written in.
    #[serde(default, deserialize_with = "lenient_lang")]
    pub lang: Option<Lang>,
    pub updated_at: DateTime<Utc>,
    /// Every status the report was given, oldest first.
    #[serde(default)]
    pub history: Vec<ReportStatusEntry>,
    /// Set when an administrator hid the report (it no longer counts in the building's summary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<ReportHidden>,
}

/// An administrator hid a report, and said why; the reporter is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportHidden {
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub reason: String,
}

fn city() -> StatusAuthor {
    StatusAuthor::City
}

fn lenient_status<'de, D: Deserializer<'de>>(d: D) -> Result<ReportStatus, D::Error> {
    let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(ReportStatus::from_code_or_open(&code))
}

fn lenient_author<'de, D: Deserializer<'de>>(d: D) -> Result<StatusAuthor, D::Error> {
    let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(StatusAuthor::from_code(&code).unwrap_or(StatusAuthor::City))
}

fn lenient_lang<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Lang>, D::Error> {
    let code = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
    Ok(code.and_then(|c| Lang::from_code(&c).ok()))
}

/// A report made on this device, as its reporter sees it: what was reported, whether it was sent,
/// and what the city office did with it. A "still not fixed" the server has not confirmed yet is
/// shown on top of the last status received ([`MyReport::reopen_pending`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MyReport {
    pub report: AccessibilityReport,
    /// The building, when it is on this device.
    pub building: Option<Building>,
    /// The report has reached the server (it is no longer waiting in the outbox).
    pub sent: bool,
    /// The status to show: `Reopened` while a reopen waits to be sent, else the last one received
    /// (`Open` before any).
    pub status: ReportStatus,
    /// The note of that status: the reporter's own while a reopen waits, else the city office's.
    pub note: Option<String>,
    /// The language of `note`, when known.
    pub note_lang: Option<Lang>,
    /// When the status was given (the reopen's time while it waits); `None` before any answer.
    pub updated_at: Option<DateTime<Utc>>,
    /// The history as the server sent it, oldest first (a waiting reopen is not in it yet).
    pub history: Vec<ReportStatusEntry>,
    /// A "still not fixed" waits in the outbox.
    pub reopen_pending: bool,
    /// An administrator hid the report (it no longer counts in the building's summary), and why.
    pub hidden: Option<ReportHidden>,
    /// The city office marked it resolved and no reopen is waiting: "still not fixed" is offered.
    pub can_reopen: bool,
}

impl MyReport {
    /// The status as one sentence in `lang`, e.g. "The city office marked this resolved on 3
    /// December: ramp installed.", followed by a second one when the report was hidden (see
    /// [`super::words::report_status_text`]).
    pub fn status_text(&self, lang: Lang, now: DateTime<Utc>) -> String {
        super::words::report_status_text(self, lang, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_reads_as_the_protocol_writes_it() {
        let record: ReportStatusRecord = serde_json::from_value(json!({
            "report_id": Uuid::from_u128(1), "building_id": Uuid::from_u128(2),
            "status": "resolved", "note": "Пандус орнотулду", "lang": "ky",
            "updated_at": "2026-12-03T09:00:00Z",
            "history": [
                { "status": "acknowledged", "note": null, "lang": null, "at": "2026-12-01T08:00:00Z", "by": "city" },
                { "status": "resolved", "note": "Пандус орнотулду", "lang": "ky", "at": "2026-12-03T09:00:00Z", "by": "city" }
            ]
        }))
        .unwrap();
        assert_eq!(record.status, ReportStatus::Resolved);
        assert_eq!(record.lang, Some(Lang::Kyrgyz));
        assert_eq!(record.history.len(), 2);
        assert_eq!(record.history[0].status, ReportStatus::Acknowledged);
        assert_eq!(record.history[0].by, StatusAuthor::City);
        let back = serde_json::to_value(&record).unwrap();
        assert_eq!(back["status"], "resolved");
        assert_eq!(back["history"][1]["by"], "city");
    }

    #[test]
    fn unknown_codes_from_a_newer_server_are_read_leniently() {
        let record: ReportStatusRecord = serde_json::from_value(json!({
            "report_id": Uuid::from_u128(1), "building_id": Uuid::from_u128(2),
            "status": "escalated_to_mayor", "lang": "tg", "updated_at": "2026-12-03T09:00:00Z",
            "history": [{ "status": "escalated_to_mayor", "at": "2026-12-03T09:00:00Z", "by": "robot" }]
        }))
        .unwrap();
        assert_eq!(record.status, ReportStatus::Open);
        assert_eq!(record.lang, None);
        assert_eq!(record.note, None);
        assert_eq!(record.history[0].by, StatusAuthor::City);
        assert_eq!(
            ReportStatus::from_code_or_open("in_progress"),
            ReportStatus::InProgress
        );
        // The strict reading (the server's, for what it accepts) still refuses it.
        assert!(ReportStatus::from_code("escalated_to_mayor").is_err());
        assert!(ReportStatus::Resolved.can_reopen());
        assert!(!ReportStatus::Reopened.can_reopen());
    }
}

//! Building accessibility on the phone: summaries from the server, and the user's own reports with
//! what the city office did with them.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::accessibility::{
    AccessRequirement, AccessibilityReport, BuildingSummary, MyReport, ReportStatus,
    ReportStatusRecord,
};
use crate::error::{Error, Result};
use crate::model::validation::{limits, optional_text};
use crate::model::Validate;
use crate::sync::{outbox, Mutation};

use super::time::{from_millis, to_millis};

/// The column that holds a requirement's code; the names are the requirements' stable codes.
pub(crate) fn column(requirement: AccessRequirement) -> &'static str {
    requirement.code()
}

/// Writes each summary twice over: its requirement codes in `building_access`, which search reads
/// for every listing, and its JSON in `building_summaries`, which the details screen reads (see
/// migration 005 for why they are apart).
pub(super) fn put_summaries(tx: &Transaction<'_>, summaries: &[BuildingSummary]) -> Result<()> {
    if summaries.is_empty() {
        return Ok(());
    }
    let columns: Vec<&str> = AccessRequirement::ALL.iter().map(|r| column(*r)).collect();
    let placeholders: Vec<String> = (0..columns.len()).map(|i| format!("?{}", i + 3)).collect();
    let sql = format!(
        "INSERT OR REPLACE INTO building_access (building_id, last_reported_at, {})
         VALUES (?1, ?2, {})",
        columns.join(", "),
        placeholders.join(", ")
    );
    let mut codes = tx.prepare_cached(&sql)?;
    let mut json_rows = tx.prepare_cached(
        "INSERT OR REPLACE INTO building_summaries (building_id, summary) VALUES (?1, ?2)",
    )?;
    for summary in summaries {
        let id = summary.building_id.to_string();
        let json =
            serde_json::to_string(summary).map_err(|e| Error::BadStoredValue(e.to_string()))?;
        let mut values: Vec<rusqlite::types::Value> = vec![
            id.clone().into(),
            summary.last_reported_at.map(to_millis).into(),
        ];
        values.extend(
            summary
                .requirement_codes()
                .into_iter()
                .map(|(_, code)| code.into()),
        );
        codes.execute(rusqlite::params_from_iter(values))?;
        json_rows.execute(params![id, json])?;
    }
    Ok(())
}

pub(super) fn delete_summaries(tx: &Transaction<'_>, building_ids: &[Uuid]) -> Result<()> {
    if building_ids.is_empty() {
        return Ok(());
    }
    let mut codes = tx.prepare_cached("DELETE FROM building_access WHERE building_id = ?1")?;
    let mut json_rows =
        tx.prepare_cached("DELETE FROM building_summaries WHERE building_id = ?1")?;
    for id in building_ids {
        let id = id.to_string();
        codes.execute([&id])?;
        json_rows.execute([&id])?;
    }
    Ok(())
}

pub(super) fn summary(conn: &Connection, building_id: Uuid) -> Result<Option<BuildingSummary>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT summary FROM building_summaries WHERE building_id = ?1")?
        .query_row([building_id.to_string()], |r| r.get(0))
        .optional()?;
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| Error::BadStoredValue(format!("building summary: {e}")))
    })
    .transpose()
}

/// Returns whether the report is new (false: the same report was recorded before).
pub(super) fn record_report(tx: &Transaction<'_>, report: &AccessibilityReport) -> Result<bool> {
    report.validate().map_err(|source| Error::InvalidRecord {
        record: "accessibility report",
        id: report.id,
        source,
    })?;
    let json = serde_json::to_string(report).map_err(|e| Error::BadStoredValue(e.to_string()))?;
    // Reports are immutable: recording the same one twice (a retried tap) keeps the first.
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO my_reports (id, building_id, observed_at, report) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            report.id.to_string(),
            report.building_id.to_string(),
            to_millis(report.observed_at),
            json
        ])?;
    Ok(inserted > 0)
}

pub(super) fn my_reports(
    conn: &Connection,
    building_id: Option<Uuid>,
) -> Result<Vec<AccessibilityReport>> {
    let mut stmt = conn.prepare_cached(
        "SELECT report FROM my_reports
         WHERE ?1 IS NULL OR building_id = ?1 ORDER BY observed_at DESC, id",
    )?;
    let rows = stmt.query_map([building_id.map(|b| b.to_string())], |r| {
        r.get::<_, String>(0)
    })?;
    rows.map(|json| {
        serde_json::from_str(&json?).map_err(|e| Error::BadStoredValue(format!("report: {e}")))
    })
    .collect()
}

/// A pulled `report_status` record, with its JSON exactly as received and its status code as sent
/// (which this build may not know).
pub(crate) struct PulledStatus {
    pub record: ReportStatusRecord,
    pub code: String,
    pub json: String,
}

/// Keeps the server's latest word on each report, replacing the one before.
pub(crate) fn put_report_statuses(tx: &Transaction<'_>, statuses: &[PulledStatus]) -> Result<()> {
    let mut put = tx.prepare_cached(
        "INSERT OR REPLACE INTO my_report_status (report_id, building_id, status, updated_at, record)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for s in statuses {
        put.execute(params![
            s.record.report_id.to_string(),
            s.record.building_id.to_string(),
            s.code,
            to_millis(s.record.updated_at),
            s.json
        ])?;
    }
    Ok(())
}

pub(crate) fn delete_report_statuses(tx: &Transaction<'_>, report_ids: &[Uuid]) -> Result<()> {
    let mut delete = tx.prepare_cached("DELETE FROM my_report_status WHERE report_id = ?1")?;
    for id in report_ids {
        delete.execute([id.to_string()])?;
    }
    Ok(())
}

/// The user's reports with their status: the last pulled one, and on top of it what waits in the
/// outbox (the report itself not sent yet, a "still not fixed" not sent yet). Newest first.
pub(super) fn my_reports_with_status(
    conn: &Connection,
    building_id: Option<Uuid>,
    report_id: Option<Uuid>,
) -> Result<Vec<MyReport>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.report, s.record,
                EXISTS (SELECT 1 FROM outbox o WHERE o.op = 'submit_report'
                        AND json_extract(o.body, '$.report.id') = r.id),
                (SELECT o.body FROM outbox o WHERE o.op = 'reopen_report' AND o.target = r.id
                 ORDER BY o.seq DESC LIMIT 1),
                (SELECT o.created_at FROM outbox o WHERE o.op = 'reopen_report' AND o.target = r.id
                 ORDER BY o.seq DESC LIMIT 1)
         FROM my_reports r LEFT JOIN my_report_status s ON s.report_id = r.id
         WHERE (?1 IS NULL OR r.building_id = ?1) AND (?2 IS NULL OR r.id = ?2)
         ORDER BY r.observed_at DESC, r.id",
    )?;
    let rows = stmt.query_map(
        params![
            building_id.map(|b| b.to_string()),
            report_id.map(|r| r.to_string())
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        },
    )?;
    let rows: Vec<_> = rows.collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (report, status, unsent, reopen_body, reopen_at) in rows {
        let report: AccessibilityReport = serde_json::from_str(&report)
            .map_err(|e| Error::BadStoredValue(format!("report: {e}")))?;
        let status: Option<ReportStatusRecord> = status
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| Error::BadStoredValue(format!("report status: {e}")))?;
        let reopen = match (reopen_body, reopen_at) {
            (Some(body), Some(at)) => Some((reopen_note(&body)?, from_millis(at)?)),
            _ => None,
        };
        let building = super::buildings::get(conn, report.building_id)?;
        out.push(my_report(report, building, !unsent, status, reopen));
    }
    Ok(out)
}

fn reopen_note(body: &str) -> Result<Option<String>> {
    match serde_json::from_str(body) {
        Ok(Mutation::ReopenReport { note, .. }) => Ok(note),
        Ok(_) => Ok(None),
        Err(e) => Err(Error::BadStoredValue(format!("queued reopen: {e}"))),
    }
}

fn my_report(
    report: AccessibilityReport,
    building: Option<crate::model::Building>,
    sent: bool,
    status: Option<ReportStatusRecord>,
    reopen: Option<(Option<String>, DateTime<Utc>)>,
) -> MyReport {
    let history = status
        .as_ref()
        .map(|s| s.history.clone())
        .unwrap_or_default();
    let hidden = status.as_ref().and_then(|s| s.hidden.clone());
    match reopen {
        Some((note, at)) => MyReport {
            report,
            building,
            sent,
            status: ReportStatus::Reopened,
            note,
            note_lang: None,
            updated_at: Some(at),
            history,
            reopen_pending: true,
            hidden,
            can_reopen: false,
        },
        None => {
            let current = status.as_ref().map_or(ReportStatus::Open, |s| s.status);
            MyReport {
                report,
                building,
                sent,
                status: current,
                note: status.as_ref().and_then(|s| s.note.clone()),
                note_lang: status.as_ref().and_then(|s| s.lang),
                updated_at: status.as_ref().map(|s| s.updated_at),
                history,
                reopen_pending: false,
                hidden,
                can_reopen: sent && current.can_reopen(),
            }
        }
    }
}

/// Queues the reporter's "still not fixed" for a report the city office marked resolved. Refuses a
/// report that is not this device's, one not resolved, and one whose reopen already waits.
pub(super) fn reopen_report(
    tx: &Transaction<'_>,
    report_id: Uuid,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        optional_text("note", n, limits::NOTE)?;
    }
    let mine = my_reports_with_status(tx, None, Some(report_id))?;
    let Some(report) = mine.into_iter().next() else {
        return Err(Error::NotFound {
            record: "report of yours",
            id: report_id,
        });
    };
    if report.reopen_pending {
        return Err(Error::InvalidInput {
            field: "report_id",
            reason: "you already said this report is still not fixed; that waits for the next sync"
                .into(),
        });
    }
    if !report.can_reopen {
        let reason = if report.sent {
            format!(
                "only a report the city office marked resolved can be reopened; this one is {}",
                crate::accessibility::label(report.status, crate::accessibility::Lang::English)
            )
        } else {
            "this report is not sent yet; the city office has not answered it".to_string()
        };
        return Err(Error::InvalidInput {
            field: "report_id",
            reason,
        });
    }
    outbox::enqueue(
        tx,
        &Mutation::ReopenReport {
            report_id,
            note: note.map(str::to_string),
        },
        now,
    )?;
    Ok(())
}

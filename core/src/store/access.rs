//! Building accessibility on the phone: summaries from the server, and the user's own reports.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::accessibility::{AccessRequirement, AccessibilityReport, BuildingSummary};
use crate::error::{Error, Result};
use crate::model::Validate;

use super::time::to_millis;

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

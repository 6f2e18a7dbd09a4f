//! Open311's storage (docs/open311.md): the service-request index, external systems' API keys,
//! their reports, and finding the building a request is about.
//!
//! `open311_requests` holds one row per (report, service code). A report's facts never change, so
//! its rows are written once, in the transaction that stores the report (by any path). Reports
//! stored before SQLite's migration 006 have `reports.open311_indexed IS NULL` and are indexed by
//! [`catch_up`] (in batches, each its own write transaction), which the server runs in the
//! background at startup; Open311 reads only read. A trigger (each backend's schema) keeps `closed`
//! and `hidden` equal to the report's status and hiding, so every filter of GET requests is an indexed scan that stops at
//! the limit: newest first by `(received_at, report_id, service_code)`.

use std::collections::HashMap;

use crate::storage::sql::{params, Db, OptionalExtension, Owned as Sql, Tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use teng_core::accessibility::{AccessibilityReport, ReporterKind};
use teng_core::model::GeoPoint;

use super::{
    from_ms, load_building, ms, recompute_summary, report_record, row_report, snapshot, uuid,
    REPORT_SELECT,
};
use crate::open311::services::services_of;
use crate::storage::open311::{is_closed, ApiKey, RequestQuery, RequestRow};
use crate::storage::{BuildingRecord, IssueStatus, ReportRecord, Result, StorageError};

/// Reports indexed per write transaction by [`catch_up`].
pub(super) const CATCH_UP_BATCH: usize = 2_000;

/// Whether some report is not in the index yet (one probe of a partial index).
pub(super) fn pending(c: &Db) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT EXISTS(SELECT 1 FROM reports WHERE open311_indexed IS NULL)")?
            .query_row((), |r| r.get(0))?,
    )
}

/// Writes the index rows of one report and marks it indexed.
pub(super) fn index_report(
    tx: &Tx,
    id: &str,
    body: &str,
    received_at: i64,
    status: &str,
    hidden: bool,
) -> Result<()> {
    match serde_json::from_str::<AccessibilityReport>(body) {
        Ok(report) => {
            let closed = IssueStatus::from_code(status).is_ok_and(is_closed);
            let mut insert = tx.prepare_cached(
                "INSERT INTO open311_requests
                     (report_id, service_code, received_at, closed, hidden)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
            )?;
            for service in services_of(&report) {
                insert.execute(params![id, service.code, received_at, closed, hidden])?;
            }
        }
        // A body this build cannot read (a newer server's) is left out rather than blocking
        // the index behind it.
        Err(e) => tracing::warn!(report = id, error = %e, "open311: report body not indexed"),
    }
    tx.prepare_cached("UPDATE reports SET open311_indexed = TRUE WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Indexes up to `batch` reports not yet in the index; returns how many.
pub(super) fn catch_up(tx: &Tx, batch: usize) -> Result<usize> {
    // Processes that start together would index the same batch and lock its rows in different
    // orders; one at a time, the next finds the batch done (its read comes after the lock).
    tx.lock_key("open311-catch-up")?;
    let rows: Vec<(String, String, i64, String, bool)> = tx
        .prepare_cached(
            "SELECT id, body, created_at, status, hidden_at IS NOT NULL FROM reports
             WHERE open311_indexed IS NULL ORDER BY created_at, id LIMIT ?1",
        )?
        .query_map([batch.min(i64::MAX as usize) as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_>>()?;
    for (id, body, at, status, hidden) in &rows {
        index_report(tx, id, body, *at, status, *hidden)?;
    }
    Ok(rows.len())
}

fn json_list<T: serde::Serialize>(items: &[T]) -> Result<Sql> {
    Ok(Sql::Text(serde_json::to_string(items)?))
}

/// The (report id, service code) pairs the query selects, newest first.
fn request_keys(c: &Db, q: &RequestQuery) -> Result<Vec<(String, String)>> {
    let order = "ORDER BY received_at DESC, report_id DESC, service_code DESC";
    if let Some(keys) = &q.keys {
        let ids: Vec<String> = keys.iter().map(|k| k.report_id.to_string()).collect();
        let mut stmt = c.prepare_cached(&format!(
            "SELECT report_id, service_code FROM open311_requests
             WHERE hidden = FALSE AND report_id IN (SELECT value FROM json_each(?1)) {order}"
        ))?;
        let rows = stmt.query_map([json_list(&ids)?], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (report, code): (String, String) = row?;
            let asked = keys.iter().any(|k| {
                k.report_id.to_string() == report
                    && k.service_code.as_deref().is_none_or(|c| c == code)
            });
            if asked && out.len() < q.limit {
                out.push((report, code));
            }
        }
        return Ok(out);
    }
    // Fixed fragments only; values are bound.
    let mut sql = String::from(
        "SELECT report_id, service_code FROM open311_requests
         WHERE received_at >= ?1 AND received_at <= ?2 AND hidden = FALSE",
    );
    let mut values = vec![Sql::I64(ms(q.from)), Sql::I64(ms(q.until))];
    if let Some(closed) = q.closed {
        values.push(Sql::Bool(closed));
        sql.push_str(&format!(" AND closed = ?{}", values.len()));
    }
    match q.services.as_slice() {
        [] => {}
        [one] => {
            values.push(Sql::Text(one.clone()));
            sql.push_str(&format!(" AND service_code = ?{}", values.len()));
        }
        many => {
            values.push(json_list(many)?);
            sql.push_str(&format!(
                " AND service_code IN (SELECT value FROM json_each(?{}))",
                values.len()
            ));
        }
    }
    values.push(Sql::I64(q.limit.min(i64::MAX as usize) as i64));
    sql.push_str(&format!(" {order} LIMIT ?{}", values.len()));
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(&values, |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

pub(super) fn requests(c: &Db, q: &RequestQuery) -> Result<Vec<RequestRow>> {
    snapshot(c, |c| {
        let keys = request_keys(c, q)?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids: Vec<&str> = keys.iter().map(|(r, _)| r.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let ids = json_list(&ids)?;

        let mut records: HashMap<String, ReportRecord> = HashMap::new();
        {
            let mut stmt = c.prepare_cached(&format!(
                "{REPORT_SELECT} WHERE r.id IN (SELECT value FROM json_each(?1))"
            ))?;
            for row in stmt.query_map([&ids], row_report)? {
                let record = report_record(row?)?;
                records.insert(record.report.id.to_string(), record);
            }
        }
        // The city's latest note: the history is in order of `id`, so the last one wins.
        let mut notes: HashMap<String, String> = HashMap::new();
        {
            let mut stmt = c.prepare_cached(
                "SELECT report_id, note FROM report_status_history
                 WHERE report_id IN (SELECT value FROM json_each(?1))
                   AND by_kind = 'city' AND note IS NOT NULL AND note <> ''
                 ORDER BY report_id, id",
            )?;
            for row in stmt.query_map([&ids], |r| Ok((r.get(0)?, r.get(1)?)))? {
                let (report, note): (String, String) = row?;
                notes.insert(report, note);
            }
        }
        let mut streets: HashMap<String, String> = HashMap::new();
        {
            let buildings: Vec<String> = records
                .values()
                .map(|r| r.report.building_id.to_string())
                .collect();
            let mut stmt = c.prepare_cached(
                "SELECT id, COALESCE(json_extract(body, '$.address.street'), '') FROM buildings
                 WHERE id IN (SELECT value FROM json_each(?1))",
            )?;
            for row in stmt.query_map([json_list(&buildings)?], |r| Ok((r.get(0)?, r.get(1)?)))? {
                let (id, street): (String, String) = row?;
                streets.insert(id, street);
            }
        }
        Ok(keys
            .into_iter()
            .filter_map(|(report, code)| {
                let record = records.get(&report)?.clone();
                Some(RequestRow {
                    service_code: code,
                    city_note: notes.get(&report).cloned(),
                    street: streets
                        .get(&record.report.building_id.to_string())
                        .cloned()
                        .unwrap_or_default(),
                    record,
                })
            })
            .collect())
    })
}

/// Metres per degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// The building nearest to `at`, if one lies within `within_m` metres, with its distance.
pub(super) fn nearest_building(
    c: &Db,
    at: GeoPoint,
    within_m: f64,
) -> Result<Option<(BuildingRecord, f64)>> {
    let dlat = within_m / METRES_PER_DEGREE;
    let dlon = within_m / (METRES_PER_DEGREE * at.lat.to_radians().cos().max(0.01));
    let ids: Vec<String> = c
        .prepare_cached(
            "SELECT id FROM buildings WHERE lat BETWEEN ?1 AND ?2 AND lon BETWEEN ?3 AND ?4
             LIMIT 1000",
        )?
        .query_map(
            params![at.lat - dlat, at.lat + dlat, at.lon - dlon, at.lon + dlon],
            |r| r.get(0),
        )?
        .collect::<Result<_>>()?;
    let mut best: Option<(BuildingRecord, f64)> = None;
    for id in ids {
        let Some(b) = load_building(c, uuid(&id)?)? else {
            continue;
        };
        let metres = at.distance_km(b.building.location) * 1000.0;
        if metres <= within_m && best.as_ref().is_none_or(|(_, d)| metres < *d) {
            best = Some((b, metres));
        }
    }
    Ok(best)
}

/// Buildings whose street is `street` (ASCII case folded), in `city` when given.
pub(super) fn buildings_at_address(
    c: &Db,
    street: &str,
    city: Option<&str>,
    limit: usize,
) -> Result<Vec<BuildingRecord>> {
    let ids: Vec<String> = c
        .prepare_cached(
            "SELECT id FROM buildings
             WHERE json_extract(body, '$.address.street') = ?1 COLLATE NOCASE
               AND (CAST(?2 AS TEXT) IS NULL OR city_key = ?2)
             ORDER BY id LIMIT ?3",
        )?
        .query_map(
            params![
                street,
                city.map(crate::storage::city::city_key),
                limit.min(i64::MAX as usize) as i64
            ],
            |r| r.get(0),
        )?
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(b) = load_building(c, uuid(&id)?)? {
            out.push(b);
        }
    }
    Ok(out)
}

/// Inserts an external system's report (reporter kind `external_system`, no device, no user),
/// recomputes the building's summary and indexes the report, in the caller's transaction.
pub(super) fn insert_external_report(
    tx: &Tx,
    report: &AccessibilityReport,
    key_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let building = report.building_id.to_string();
    // Locked first, as a phone's report does (`insert_report`).
    if !tx.lock_existing_row("buildings", &building)? {
        return Err(StorageError::NotFound("building"));
    }
    let id = report.id.to_string();
    if tx
        .prepare_cached("SELECT 1 FROM reports WHERE id = ?1")?
        .exists([&id])?
    {
        return Err(StorageError::Duplicate(format!(
            "a report with id {id} already exists"
        )));
    }
    let mut report = report.clone();
    report.observed_at = report.observed_at.min(now);
    report.reporter_kind = ReporterKind::ExternalSystem;
    let body = serde_json::to_string(&report)?;
    tx.prepare_cached(
        "INSERT INTO reports(id, building_id, device_id, user_id, body, created_at, api_key_id)
         VALUES (?1, ?2, NULL, NULL, ?3, ?4, ?5)",
    )?
    .execute(params![id, building, body, ms(now), key_id.to_string()])?;
    recompute_summary(tx, report.building_id, now)?;
    index_report(tx, &id, &body, ms(now), IssueStatus::Open.code(), false)
}

pub(super) fn create_api_key(tx: &Tx, key: &ApiKey, hash: &[u8; 32]) -> Result<()> {
    let live = tx
        .prepare_cached(
            "SELECT 1 FROM open311_keys WHERE name = ?1 COLLATE NOCASE AND revoked_at IS NULL",
        )?
        .exists([&key.name])?;
    if live {
        return Err(StorageError::Duplicate(format!(
            "a live API key named {:?} exists; revoke it first",
            key.name
        )));
    }
    tx.prepare_cached(
        "INSERT INTO open311_keys(id, name, hash, city, created_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
    )?
    .execute(params![
        key.id.to_string(),
        key.name,
        &hash[..],
        key.city,
        ms(key.created_at)
    ])?;
    Ok(())
}

/// id, name, city, created_at, revoked_at.
type KeyRow = (String, String, Option<String>, i64, Option<i64>);

/// The key with this hash, revoked or not.
pub(super) fn api_key(c: &Db, hash: &[u8; 32]) -> Result<Option<ApiKey>> {
    let row: Option<KeyRow> = c
        .prepare_cached(
            "SELECT id, name, city, created_at, revoked_at FROM open311_keys WHERE hash = ?1",
        )?
        .query_row([&hash[..]], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(id, name, city, created, revoked)| {
        Ok(ApiKey {
            id: uuid(&id)?,
            name,
            city,
            created_at: from_ms(created),
            revoked_at: revoked.map(from_ms),
        })
    })
    .transpose()
}

pub(super) fn revoke_api_keys(tx: &Tx, name: &str, now: DateTime<Utc>) -> Result<u64> {
    let n = tx
        .prepare_cached(
            "UPDATE open311_keys SET revoked_at = ?2
             WHERE name = ?1 COLLATE NOCASE AND revoked_at IS NULL",
        )?
        .execute(params![name, ms(now)])?;
    Ok(n as u64)
}

//! The storage logic both backends share: every `Storage` method, written once against the SQL
//! interface of `storage::sql` (`Db`, `Tx`), for any [`Engine`] that runs transactions on its own
//! connections (`storage::sqlite` today; PostgreSQL next, docs/adr/0004).
//!
//! Every method that changes a public record appends to the change log in the same transaction
//! (`log_change`); the log's sequence number is the sync cursor.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::value::RawValue;
use serde_json::Value;
use uuid::Uuid;

use teng_core::model::{
    Building, JobListing, ListingStatus, Organization, SavedJob, ValidationError,
};

use super::sql::{params, Db, OptionalExtension, Row, Tx};
use super::*;
use crate::auth::Role;
use teng_core::accessibility::{aggregate, AccessibilityReport, BuildingSummary, ReporterKind};

mod city;
mod open311;
mod snapshots;

/// What a backend gives the shared logic: transactions on its connections, and what only it can do.
pub trait Engine: Send + Sync + 'static {
    /// Runs `f` in one write transaction, committed if `f` succeeds and rolled back otherwise.
    fn write<T: Send>(&self, f: impl FnOnce(&Tx) -> Result<T> + Send) -> Result<T>;
    /// Runs `f` on a connection for reading (wrap it in [`snapshot`] for one consistent view).
    fn read<T: Send>(&self, f: impl FnOnce(&Db) -> Result<T> + Send) -> Result<T>;
    /// Reports one device may send about one building in [`DEVICE_BUILDING_DAYS`] days.
    fn device_building_reports(&self) -> i64;
    /// A copy of the whole database at `destination`, taken while serving.
    fn backup(&self, destination: &Path) -> Result<()>;
}

/// Runs `f` inside one read transaction: one consistent view of the database.
fn snapshot<T>(c: &Db, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
    c.read_snapshot(f)
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

fn uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| StorageError::Internal(format!("stored id {s:?}: {e}")))
}

fn invalid(field: &'static str, reason: impl Into<String>) -> StorageError {
    StorageError::Invalid(ValidationError::Invalid {
        field,
        reason: reason.into(),
    })
}

/// Appends to the change log; returns the new cursor.
fn log_change(
    tx: &Tx,
    kind: &str,
    record_id: &str,
    op: &str,
    device: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(tx.prepare_cached(tx.append_change_sql())?.query_row(
        params![kind, record_id, op, device.map(|d| d.to_string()), ms(now)],
        |r| r.get(0),
    )?)
}

/// What an organization's table searches: title, description and city, folded as the phone folds.
pub(super) fn listing_search_text(l: &JobListing) -> String {
    teng_core::search::text::fold(&format!("{} {} {}", l.title, l.description, l.city))
}

fn row_user(r: &Row, offset: usize) -> Result<(User, String)> {
    let id: String = r.get(offset)?;
    let role: String = r.get(offset + 3)?;
    let org: Option<String> = r.get(offset + 4)?;
    let user = User {
        id: Uuid::parse_str(&id).unwrap_or_default(),
        username: r.get(offset + 1)?,
        role: Role::from_code(&role)
            .map_err(|e| StorageError::Internal(format!("stored role: {e}")))?,
        organization_id: org.and_then(|o| Uuid::parse_str(&o).ok()),
        city: r.get(offset + 5)?,
        created_at: from_ms(r.get(offset + 6)?),
    };
    Ok((user, r.get(offset + 2)?))
}

const USER_COLUMNS: &str = "id, username, password_hash, role, organization_id, city, created_at";

fn org_exists(tx: &Db, id: Uuid) -> Result<bool> {
    tx.prepare_cached("SELECT 1 FROM organizations WHERE id = ?1")?
        .exists([id.to_string()])
}

fn load_org(c: &Db, id: Uuid) -> Result<Option<Versioned<Organization>>> {
    let row: Option<(String, i64)> = c
        .prepare_cached("SELECT body, version FROM organizations WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(body, version)| {
        Ok(Versioned {
            record: serde_json::from_str(&body)?,
            version,
        })
    })
    .transpose()
}

fn load_building(c: &Db, id: Uuid) -> Result<Option<BuildingRecord>> {
    let row: Option<(String, Option<String>, i64)> = c
        .prepare_cached("SELECT body, organization_id, version FROM buildings WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(body, org, version)| {
        Ok(BuildingRecord {
            building: serde_json::from_str(&body)?,
            organization_id: org.map(|o| uuid(&o)).transpose()?,
            version,
        })
    })
    .transpose()
}

fn load_listing(c: &Db, id: Uuid) -> Result<Option<JobListing>> {
    let body: Option<String> = c
        .prepare_cached("SELECT body FROM listings WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    body.map(|b| Ok(serde_json::from_str(&b)?)).transpose()
}

/// How a store treats a row that already has the id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Store {
    /// A create: the insert does nothing and the store reports it, so the caller answers
    /// Duplicate. Checking first is not enough: two creates of one id at the same moment (two
    /// processes on PostgreSQL) would both see it absent, and the second would overwrite the first.
    New,
    /// An update or the import: the row is replaced.
    Replace,
}

impl Store {
    /// The insert `insert` with its conflict clause; `set` lists what a replace overwrites.
    fn sql(self, insert: &str, set: &str) -> String {
        match self {
            Store::New => format!("{insert} ON CONFLICT(id) DO NOTHING"),
            Store::Replace => format!("{insert} ON CONFLICT(id) DO UPDATE SET {set}"),
        }
    }

    /// Ok unless a new row's id was taken; `what` names the record for the error.
    fn check(self, rows: usize, what: &str, id: &impl std::fmt::Display) -> Result<()> {
        if self == Store::New && rows == 0 {
            return Err(StorageError::Duplicate(format!(
                "{what} with id {id} already exists"
            )));
        }
        Ok(())
    }
}

fn store_listing(tx: &Tx, l: &JobListing, now: DateTime<Utc>, store: Store) -> Result<()> {
    let sql = store.sql(
        "INSERT INTO listings(id, organization_id, status, body, version, updated_at, search_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "status = excluded.status, body = excluded.body, version = excluded.version,
         updated_at = excluded.updated_at, search_text = excluded.search_text",
    );
    let rows = tx.prepare_cached(&sql)?.execute(params![
        l.id.to_string(),
        l.organization_id.to_string(),
        l.status.code(),
        serde_json::to_string(l)?,
        l.version,
        ms(now),
        listing_search_text(l)
    ])?;
    store.check(rows, "a listing", &l.id)
}

/// Stores a new listing at version 1 (logged for sync if published).
fn insert_new_listing(tx: &Tx, listing: &JobListing, now: DateTime<Utc>) -> Result<JobListing> {
    check_listing_refs(tx, listing)?;
    let mut stored = listing.clone();
    stored.version = 1;
    store_listing(tx, &stored, now, Store::New)?;
    if stored.status == ListingStatus::Published {
        log_change(tx, "listing", &stored.id.to_string(), "upsert", None, now)?;
    }
    Ok(stored)
}

/// Replaces a listing's content if `listing.version` is current; returns it and the change cursor
/// (none while the listing is a draft: drafts are not synced).
fn update_listing_tx(
    tx: &Tx,
    listing: &JobListing,
    actor_org: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(JobListing, Option<i64>)> {
    tx.lock_row("listings", &listing.id.to_string())?;
    let current = load_listing(tx, listing.id)?.ok_or(StorageError::NotFound("listing"))?;
    if actor_org.is_some_and(|org| org != current.organization_id) {
        return Err(StorageError::Forbidden(
            "this listing belongs to another organization".into(),
        ));
    }
    if current.version != listing.version {
        return Err(conflict(
            format!(
                "the listing is at version {}, not {}; merge with the current record and retry",
                current.version, listing.version
            ),
            &current,
        ));
    }
    if current.status == ListingStatus::Closed {
        return Err(conflict("a closed listing cannot be edited", &current));
    }
    let mut next = listing.clone();
    next.organization_id = current.organization_id;
    next.status = current.status;
    next.posted_at = current.posted_at;
    next.version = current.version + 1;
    check_listing_refs(tx, &next)?;
    store_listing(tx, &next, now, Store::Replace)?;
    let seq = if next.status == ListingStatus::Published {
        Some(log_change(
            tx,
            "listing",
            &next.id.to_string(),
            "upsert",
            None,
            now,
        )?)
    } else {
        None
    };
    Ok((next, seq))
}

fn check_listing_refs(tx: &Tx, l: &JobListing) -> Result<()> {
    if !org_exists(tx, l.organization_id)? {
        return Err(invalid("organization_id", "no such organization"));
    }
    if let Some(b) = l.building_id {
        let exists = tx
            .prepare_cached("SELECT 1 FROM buildings WHERE id = ?1")?
            .exists([b.to_string()])?;
        if !exists {
            return Err(invalid(
                "building_id",
                "no such building; register it first",
            ));
        }
    }
    Ok(())
}

fn conflict<T: serde::Serialize>(message: impl Into<String>, current: &T) -> StorageError {
    StorageError::Conflict {
        message: message.into(),
        current: serde_json::to_value(current).unwrap_or(Value::Null),
    }
}

fn store_building(
    tx: &Tx,
    b: &Building,
    org: Option<Uuid>,
    version: i64,
    now: DateTime<Utc>,
    store: Store,
) -> Result<()> {
    let sql = store.sql(
        "INSERT INTO buildings(id, organization_id, region, city, lat, lon, body, version, updated_at,
                               city_key, district)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        "region = excluded.region, city = excluded.city, city_key = excluded.city_key,
         district = excluded.district, lat = excluded.lat, lon = excluded.lon,
         body = excluded.body, version = excluded.version, updated_at = excluded.updated_at",
    );
    let rows = tx.prepare_cached(&sql)?.execute(params![
        b.id.to_string(),
        org.map(|o| o.to_string()),
        b.address.region.code(),
        b.address.city,
        b.location.lat,
        b.location.lon,
        serde_json::to_string(b)?,
        version,
        ms(now),
        super::city::city_key(&b.address.city),
        b.address.district
    ])?;
    store.check(rows, "a building", &b.id)
}

fn store_org(
    tx: &Tx,
    o: &Organization,
    version: i64,
    now: DateTime<Utc>,
    store: Store,
) -> Result<()> {
    let sql = store.sql(
        "INSERT INTO organizations(id, name, body, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        "name = excluded.name, body = excluded.body, version = excluded.version,
         updated_at = excluded.updated_at",
    );
    let rows = tx.prepare_cached(&sql)?.execute(params![
        o.id.to_string(),
        o.name,
        serde_json::to_string(o)?,
        version,
        ms(now)
    ])?;
    store.check(rows, "an organization", &o.id)
}

/// Reports the summary is aggregated from: the newest [`AGGREGATE_WINDOW`] of the building's
/// visible reports, and its newest [`AGGREGATE_SURVEYS`] surveyor reports however old. Bounded, so
/// a report costs the same on a building with ten reports or ten thousand; older crowd reports
/// have decayed or been superseded by then.
fn building_reports(c: &Db, building: &str) -> Result<Vec<AccessibilityReport>> {
    c.prepare_cached(
        "SELECT body FROM (SELECT body FROM reports WHERE building_id = ?1 AND hidden_at IS NULL
                           ORDER BY created_at DESC LIMIT ?2) AS newest
         UNION
         SELECT body FROM (SELECT body FROM reports
                           WHERE building_id = ?1 AND hidden_at IS NULL AND user_id IS NOT NULL
                           ORDER BY created_at DESC LIMIT ?3) AS surveys",
    )?
    .query_map(
        params![building, AGGREGATE_WINDOW, AGGREGATE_SURVEYS],
        |r| r.get::<String>(0),
    )?
    .map(|b| Ok(serde_json::from_str::<AccessibilityReport>(&b?)?))
    .collect()
}

/// See [`building_reports`].
pub const AGGREGATE_WINDOW: i64 = 100;
pub const AGGREGATE_SURVEYS: i64 = 50;
/// Reports one device may send about one building in [`DEVICE_BUILDING_DAYS`] days, by default:
/// only its newest counts anyway, so more are noise (or an attempt to make the server work).
pub const DEVICE_BUILDING_REPORTS: u32 = 5;
pub const DEVICE_BUILDING_DAYS: i64 = 30;

/// Re-aggregates a building's summary as of `now`, stores it and logs the change.
fn recompute_summary(tx: &Tx, building_id: Uuid, now: DateTime<Utc>) -> Result<i64> {
    let building = building_id.to_string();
    // Two reports about one building at once must each see the other's (one counts the other).
    tx.lock_row("buildings", &building)?;
    let reports = building_reports(tx, &building)?;
    let summary = aggregate(building_id, &reports, now);
    tx.prepare_cached(
        "INSERT INTO building_summaries(building_id, body, updated_at, not_step_free)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(building_id) DO UPDATE SET body = excluded.body,
             updated_at = excluded.updated_at, not_step_free = excluded.not_step_free",
    )?
    .execute(params![
        building,
        serde_json::to_string(&summary)?,
        ms(now),
        super::city::summary_not_step_free(&summary)
    ])?;
    log_change(tx, "building_summary", &building, "upsert", None, now)
}

/// The weight a user's report gets: a verified surveyor's only from an admin or a member of a
/// verified organization; anyone else's counts like a phone's.
fn user_reporter_kind(tx: &Db, user: Uuid) -> Result<ReporterKind> {
    let row: Option<(String, Option<String>)> = tx
        .prepare_cached("SELECT role, organization_id FROM users WHERE id = ?1")?
        .query_row([user.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let verified_org = |org: &str| -> Result<bool> {
        Ok(load_org(tx, uuid(org)?)?.is_some_and(|o| o.record.verified))
    };
    Ok(match row {
        Some((role, _)) if role == Role::Admin.code() => ReporterKind::VerifiedSurveyor,
        Some((_, Some(org))) if verified_org(&org)? => ReporterKind::VerifiedSurveyor,
        _ => ReporterKind::Anonymous,
    })
}

/// Inserts a report and recomputes its building's summary, logging the summary change.
fn insert_report(
    tx: &Tx,
    report: &AccessibilityReport,
    reporter: Reporter,
    device_cap: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let building = report.building_id.to_string();
    // Locked before the device's reports are counted: two at once from one device must not both
    // pass the cap (the summary's recount locks it again, a no-op then).
    if !tx.lock_existing_row("buildings", &building)? {
        return Err(StorageError::NotFound("building"));
    }
    let taken = tx
        .prepare_cached("SELECT 1 FROM reports WHERE id = ?1")?
        .exists([report.id.to_string()])?;
    if taken {
        return Err(StorageError::Duplicate(format!(
            "a report with id {} already exists",
            report.id
        )));
    }
    let mut report = report.clone();
    // Observation times are the reporter's word: never later than the server received it.
    report.observed_at = report.observed_at.min(now);
    let (device, user) = match reporter {
        Reporter::Device(d) => {
            let recent: i64 = tx
                .prepare_cached(
                    "SELECT count(*) FROM reports
                     WHERE device_id = ?1 AND building_id = ?2 AND created_at > ?3",
                )?
                .query_row(
                    params![
                        d.to_string(),
                        building,
                        ms(now - chrono::Duration::days(DEVICE_BUILDING_DAYS))
                    ],
                    |r| r.get(0),
                )?;
            if recent >= device_cap {
                return Err(StorageError::Limited(format!(
                    "this device already sent {device_cap} reports about this building in {DEVICE_BUILDING_DAYS} days; its newest one counts"
                )));
            }
            report.reporter_kind = ReporterKind::Anonymous;
            (Some(d.to_string()), None)
        }
        Reporter::User(u) => {
            report.reporter_kind = user_reporter_kind(tx, u)?;
            (None, Some(u.to_string()))
        }
    };
    let (id, body) = (report.id.to_string(), serde_json::to_string(&report)?);
    tx.prepare_cached(
        "INSERT INTO reports(id, building_id, device_id, user_id, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, building, device, user, body, ms(now)])?;
    let change = recompute_summary(tx, report.building_id, now)?;
    // Open311's service requests are written with the report, so its reads never write.
    open311::index_report(tx, &id, &body, ms(now), IssueStatus::Open.code(), false)?;
    Ok(change)
}

const REPORT_SELECT: &str =
    "SELECT r.id, r.body, r.device_id, r.created_at, r.status, r.status_note,
        r.status_updated_at, b.body, b.city, b.region, b.lat, b.lon, r.status_lang
    FROM reports r JOIN buildings b ON b.id = r.building_id";

fn row_report(r: &Row) -> Result<ReportRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get::<Option<String>>(2)?.is_some(),
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

type ReportRow = (
    String,
    String,
    bool,
    i64,
    String,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    f64,
    f64,
    Option<String>,
);

fn report_record(row: ReportRow) -> Result<ReportRecord> {
    let (
        _,
        body,
        by_device,
        created,
        status,
        note,
        status_at,
        building_body,
        city,
        region,
        lat,
        lon,
        status_lang,
    ) = row;
    let building: Building = serde_json::from_str(&building_body)?;
    let report: AccessibilityReport = serde_json::from_str(&body)?;
    let external = report.reporter_kind == ReporterKind::ExternalSystem;
    Ok(ReportRecord {
        report,
        source: match (by_device, external) {
            (true, _) => "device",
            (false, true) => "external_system",
            (false, false) => "surveyor",
        },
        received_at: from_ms(created),
        status: IssueStatus::from_code(&status)
            .map_err(|e| StorageError::Internal(format!("stored issue status: {e}")))?,
        status_note: note,
        status_lang,
        status_updated_at: status_at.map(from_ms),
        building_name: building.name,
        district: building.address.district,
        city,
        region,
        lat,
        lon,
    })
}

fn load_report(c: &Db, id: Uuid) -> Result<Option<ReportRecord>> {
    let sql = format!("{REPORT_SELECT} WHERE r.id = ?1");
    let row = c
        .prepare_cached(&sql)?
        .query_row([id.to_string()], row_report)
        .optional()?;
    row.map(report_record).transpose()
}

/// Sets a report's current status and appends it to the history, in the caller's transaction,
/// and tells the reporting device (its private `report_status` change).
#[allow(clippy::too_many_arguments)]
fn record_status(
    tx: &Tx,
    report_id: Uuid,
    status: IssueStatus,
    note: Option<&str>,
    lang: Option<&str>,
    by: StatusBy,
    by_user: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let id = report_id.to_string();
    let by_user = by_user.map(|u| u.to_string());
    tx.prepare_cached(
        "UPDATE reports SET status = ?2, status_note = ?3, status_lang = ?4, status_updated_at = ?5,
             status_updated_by = ?6 WHERE id = ?1",
    )?
    .execute(params![id, status.code(), note, lang, ms(now), by_user])?;
    tx.prepare_cached(
        "INSERT INTO report_status_history(report_id, status, note, lang, by_kind, by_user, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        status.code(),
        note,
        lang,
        by.code(),
        by_user,
        ms(now)
    ])?;
    let device: Option<String> = tx
        .prepare_cached("SELECT device_id FROM reports WHERE id = ?1")?
        .query_row([&id], |r| r.get(0))?;
    match device {
        Some(d) => Ok(Some(log_change(
            tx,
            "report_status",
            &id,
            "upsert",
            Some(uuid(&d)?),
            now,
        )?)),
        None => Ok(None),
    }
}

fn status_history(c: &Db, report_id: &str) -> Result<Vec<StatusEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT status, note, lang, at, by_kind, by_user FROM report_status_history
         WHERE report_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([report_id], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<Option<String>>(1)?,
            r.get::<Option<String>>(2)?,
            r.get::<i64>(3)?,
            r.get::<String>(4)?,
            r.get::<Option<String>>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (status, note, lang, at, by, by_user) = row?;
        Ok(StatusEntry {
            status: IssueStatus::from_code(&status)
                .map_err(|e| StorageError::Internal(format!("stored issue status: {e}")))?,
            note,
            lang,
            at: from_ms(at),
            by: if by == "reporter" {
                StatusBy::Reporter
            } else {
                StatusBy::City
            },
            by_user: by_user.as_deref().map(uuid).transpose()?,
        })
    })
    .collect()
}

/// The reporter's view of their report's status (the `report_status` pull record).
fn report_status_record(c: &Db, report_id: &str) -> Result<Option<Value>> {
    let Some(r) = load_report(c, uuid(report_id)?)? else {
        return Ok(None);
    };
    let hidden: Option<(i64, String)> = c
        .prepare_cached(
            "SELECT hidden_at, hidden_reason FROM reports WHERE id = ?1 AND hidden_at IS NOT NULL",
        )?
        .query_row([report_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(Some(serde_json::json!({
        "report_id": report_id,
        "building_id": r.report.building_id,
        "hidden": hidden.map(|(at, reason)| serde_json::json!({ "at": from_ms(at), "reason": reason })),
        "status": r.status,
        "note": r.status_note,
        "lang": r.status_lang,
        "updated_at": r.status_updated_at.unwrap_or(r.received_at),
        "history": status_history(c, report_id)?,
    })))
}

/// The current public (or the device's own) state of a logged record, or `None` for a tombstone.
/// The current public (or the device's own) state of a logged record, or `None` for a tombstone.
/// Stored bodies are passed through as raw JSON, unparsed.
fn render(c: &Db, kind: &str, id: &str, device: Option<&str>) -> Result<Option<Box<RawValue>>> {
    let raw = |body: String| RawValue::from_string(body).map_err(StorageError::from);
    let parsed = uuid(id)?;
    Ok(match kind {
        "organization" => load_org(c, parsed)?
            .map(|o| serde_json::value::to_raw_value(&o))
            .transpose()?,
        "building" => load_building(c, parsed)?
            .map(|b| serde_json::value::to_raw_value(&b))
            .transpose()?,
        "listing" => {
            let row: Option<(String, String)> = c
                .prepare_cached("SELECT status, body FROM listings WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match row {
                Some((status, body)) if status == ListingStatus::Published.code() => {
                    Some(raw(body)?)
                }
                _ => None,
            }
        }
        "building_summary" => {
            let body: Option<String> = c
                .prepare_cached("SELECT body FROM building_summaries WHERE building_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            body.map(raw).transpose()?
        }
        "report_status" => {
            let Some(device) = device else {
                return Ok(None);
            };
            let own = c
                .prepare_cached("SELECT 1 FROM reports WHERE id = ?1 AND device_id = ?2")?
                .exists([id, device])?;
            if !own {
                return Ok(None);
            }
            report_status_record(c, id)?
                .map(|v| serde_json::value::to_raw_value(&v))
                .transpose()?
        }
        "saved_job" => {
            let Some(device) = device else {
                return Ok(None);
            };
            let body: Option<String> = c
                .prepare_cached(
                    "SELECT body FROM saved_jobs WHERE device_id = ?1 AND listing_id = ?2",
                )?
                .query_row([device, id], |r| r.get(0))
                .optional()?;
            body.map(raw).transpose()?
        }
        other => return Err(StorageError::Internal(format!("change kind {other:?}"))),
    })
}

/// Rendered records by (kind, id).
type Rendered<'a> = HashMap<(&'a str, &'a str), Option<Box<RawValue>>>;

/// The current state of a page's public records, a few statements per kind rather than one per
/// record (each a round trip on PostgreSQL). `None` in the map: a tombstone (or a listing that is
/// not published). Kinds private to a device are left to [`render`].
fn render_public<'a>(c: &Db, rows: &[&'a (i64, String, String)]) -> Result<Rendered<'a>> {
    let mut out = HashMap::with_capacity(rows.len());
    for kind in ["organization", "building", "listing", "building_summary"] {
        let ids: Vec<&str> = rows
            .iter()
            .filter(|(_, k, _)| k == kind)
            .map(|(_, _, id)| id.as_str())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let sql = match kind {
            "organization" => "SELECT id, body, version, NULL FROM organizations",
            "building" => "SELECT id, body, version, organization_id FROM buildings",
            "listing" => "SELECT id, body, 0, status FROM listings",
            _ => "SELECT building_id, body, 0, NULL FROM building_summaries",
        };
        let key = if kind == "building_summary" {
            "building_id"
        } else {
            "id"
        };
        let list = serde_json::to_string(&ids)?;
        let found: Vec<(String, String, i64, Option<String>)> = c
            .prepare_cached(&format!(
                "{sql} WHERE {key} IN (SELECT value FROM json_each(?1))"
            ))?
            .query_map([list], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_>>()?;
        let mut bodies: HashMap<String, Option<Box<RawValue>>> = HashMap::new();
        for (id, body, version, extra) in found {
            let raw = match kind {
                "organization" => Some(serde_json::value::to_raw_value(&Versioned {
                    record: serde_json::from_str::<Organization>(&body)?,
                    version,
                })?),
                "building" => Some(serde_json::value::to_raw_value(&BuildingRecord {
                    building: serde_json::from_str(&body)?,
                    organization_id: extra.as_deref().map(uuid).transpose()?,
                    version,
                })?),
                "listing" if extra.as_deref() != Some(ListingStatus::Published.code()) => None,
                _ => Some(RawValue::from_string(body)?),
            };
            bodies.insert(id, raw);
        }
        for (_, k, id) in rows.iter().filter(|(_, k, _)| k == kind) {
            out.insert((k.as_str(), id.as_str()), bodies.remove(id).flatten());
        }
    }
    Ok(out)
}

/// What of a summary is worth a sync change: everything but the confidences' continuous decay
/// (they count at one decimal), so a daily refresh re-sends only summaries whose meaning changed.
fn significant(summary: &str) -> Result<Value> {
    let mut v: Value = serde_json::from_str(summary)?;
    if let Some(features) = v.get_mut("features").and_then(Value::as_object_mut) {
        for feature in features.values_mut() {
            if let Some(c) = feature.get_mut("confidence") {
                let rounded = (c.as_f64().unwrap_or(0.0) * 10.0).round() / 10.0;
                *c = Value::from(rounded);
            }
        }
    }
    Ok(v)
}

fn kind_name(kind: &str) -> &'static str {
    match kind {
        "organization" => "organization",
        "building" => "building",
        "listing" => "listing",
        "building_summary" => "building_summary",
        "saved_job" => "saved_job",
        "report_status" => "report_status",
        _ => "unknown",
    }
}

fn meta_i64(c: &Db, key: &str) -> Result<i64> {
    let v: Option<String> = c
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn last_seq(c: &Db) -> Result<i64> {
    c.last_seq()
}

/// Applies one mutation; returns (change cursor, new version).
fn apply_mutation(
    tx: &Tx,
    actor: PushActor,
    mutation: &Mutation,
    device_cap: i64,
    now: DateTime<Utc>,
) -> Result<(Option<i64>, Option<i64>)> {
    let device_only = || StorageError::Forbidden("this mutation needs a device token".into());
    match (mutation, actor) {
        (
            Mutation::SaveJob {
                listing_id,
                note,
                saved_at,
            },
            PushActor::Device(device),
        ) => {
            if load_listing(tx, *listing_id)?.is_none() {
                return Err(StorageError::NotFound("listing"));
            }
            let device_key = device.to_string();
            let already = tx
                .prepare_cached(
                    "SELECT 1 FROM saved_jobs WHERE device_id = ?1 AND listing_id = ?2",
                )?
                .exists(params![device_key, listing_id.to_string()])?;
            if !already {
                let saved: i64 = tx
                    .prepare_cached("SELECT count(*) FROM saved_jobs WHERE device_id = ?1")?
                    .query_row([&device_key], |r| r.get(0))?;
                if saved >= device_caps::SAVED_JOBS {
                    return Err(StorageError::InvalidState {
                        field: "listing_id",
                        message: format!(
                            "this phone already keeps {} saved jobs; unsave some to save more",
                            device_caps::SAVED_JOBS
                        ),
                    });
                }
            }
            let saved = SavedJob {
                listing_id: *listing_id,
                note: note.clone(),
                saved_at: *saved_at,
            };
            tx.prepare_cached(
                "INSERT INTO saved_jobs(device_id, listing_id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT(device_id, listing_id) DO UPDATE SET body = excluded.body",
            )?
            .execute(params![
                device.to_string(),
                listing_id.to_string(),
                serde_json::to_string(&saved)?
            ])?;
            let seq = log_change(
                tx,
                "saved_job",
                &listing_id.to_string(),
                "upsert",
                Some(device),
                now,
            )?;
            Ok((Some(seq), None))
        }
        (Mutation::UnsaveJob { listing_id }, PushActor::Device(device)) => {
            tx.prepare_cached("DELETE FROM saved_jobs WHERE device_id = ?1 AND listing_id = ?2")?
                .execute(params![device.to_string(), listing_id.to_string()])?;
            let seq = log_change(
                tx,
                "saved_job",
                &listing_id.to_string(),
                "delete",
                Some(device),
                now,
            )?;
            Ok((Some(seq), None))
        }
        (Mutation::SaveJob { .. } | Mutation::UnsaveJob { .. }, PushActor::User { .. }) => {
            Err(device_only())
        }
        (Mutation::SubmitReport(report), actor) => {
            let reporter = match actor {
                PushActor::Device(d) => Reporter::Device(d),
                PushActor::User { id, .. } => Reporter::User(id),
            };
            Ok((
                Some(insert_report(tx, report, reporter, device_cap, now)?),
                None,
            ))
        }
        (Mutation::ReopenReport { report_id, note }, PushActor::Device(device)) => {
            tx.lock_row("reports", &report_id.to_string())?;
            let row: Option<String> = tx
                .prepare_cached("SELECT status FROM reports WHERE id = ?1 AND device_id = ?2")?
                .query_row(params![report_id.to_string(), device.to_string()], |r| {
                    r.get(0)
                })
                .optional()?;
            // Another device's report answers as an unknown one: nothing about it leaks.
            let status = row.ok_or(StorageError::NotFound("report"))?;
            if status != IssueStatus::Resolved.code() {
                return Err(StorageError::InvalidState {
                    field: "report_id",
                    message: format!(
                        "only a report the city marked resolved can be reopened; this one is {status}"
                    ),
                });
            }
            let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            let seq = record_status(
                tx,
                *report_id,
                IssueStatus::Reopened,
                note,
                None,
                StatusBy::Reporter,
                None,
                now,
            )?;
            Ok((seq, None))
        }
        (Mutation::ReopenReport { .. }, PushActor::User { .. }) => Err(device_only()),
        (Mutation::UpdateListing(listing), PushActor::User { org_scope, .. }) => {
            let (stored, seq) = update_listing_tx(tx, listing, org_scope, now)?;
            Ok((seq, Some(stored.version)))
        }
        (Mutation::UpdateListing(_), PushActor::Device(_)) => Err(StorageError::Forbidden(
            "listings are edited by their organization's ngo users".into(),
        )),
    }
}

fn rejected(e: &StorageError) -> Option<MutationOutcome> {
    let (code, field) = match e {
        StorageError::NotFound("report") => ("not_found", Some("report_id".to_string())),
        StorageError::NotFound(_) => ("not_found", None),
        StorageError::InvalidState { field, .. } => ("invalid_state", Some(field.to_string())),
        StorageError::Limited(_) => ("rate_limited", None),
        StorageError::Duplicate(_) => ("duplicate_record", None),
        StorageError::Forbidden(_) => ("forbidden", None),
        StorageError::Invalid(v) => ("invalid", Some(v.field().to_string())),
        StorageError::Conflict { message, current } => {
            return Some(MutationOutcome::Conflict {
                message: message.clone(),
                current: current.clone(),
            })
        }
        _ => return None,
    };
    Some(MutationOutcome::Rejected {
        code: code.into(),
        message: e.to_string(),
        field,
    })
}

/// One push mutation in the caller's transaction: its receipt if it was applied before, the
/// device's caps, its effect and its receipt.
fn push_tx(
    tx: &Tx,
    actor: PushActor,
    key: &str,
    mutation_id: Uuid,
    mutation: &Mutation,
    device_cap: i64,
    now: DateTime<Utc>,
) -> Result<MutationOutcome> {
    // One push of an actor at a time: a batch retried on another server process finds the
    // receipts the first one wrote (or waits for them), and the caps count what is there.
    tx.lock_key(key)?;
    let earlier: Option<String> = tx
        .prepare_cached(
            "SELECT result FROM applied_mutations WHERE device_id = ?1 AND mutation_id = ?2",
        )?
        .query_row([key.to_string(), mutation_id.to_string()], |r| r.get(0))
        .optional()?;
    if let Some(result) = earlier {
        return Ok(match serde_json::from_str(&result)? {
            MutationOutcome::Applied { seq, version } => {
                MutationOutcome::Duplicate { seq, version }
            }
            other => other,
        });
    }
    if let PushActor::Device(_) = actor {
        // Only this device's receipts are read: at most `RECEIPTS` (+1) rows, by the key's prefix.
        let (kept, today): (i64, i64) = tx
            .prepare_cached(
                "SELECT count(*), count(CASE WHEN applied_at >= ?2 THEN 1 END)
                 FROM applied_mutations WHERE device_id = ?1",
            )?
            .query_row(params![key, ms(now - chrono::Duration::days(1))], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if today >= device_caps::MUTATIONS_PER_DAY {
            return Ok(MutationOutcome::Rejected {
                code: "rate_limited".into(),
                message: format!(
                    "this phone sent more than {} changes in a day; it will send the rest later",
                    device_caps::MUTATIONS_PER_DAY
                ),
                field: None,
            });
        }
        if kept >= device_caps::RECEIPTS {
            tx.prepare_cached(
                "DELETE FROM applied_mutations WHERE device_id = ?1 AND mutation_id NOT IN (
                     SELECT mutation_id FROM applied_mutations WHERE device_id = ?1
                     ORDER BY applied_at DESC, mutation_id DESC LIMIT ?2)",
            )?
            .execute(params![key, device_caps::RECEIPTS - 1])?;
        }
    }
    let (seq, version) = apply_mutation(tx, actor, mutation, device_cap, now)?;
    let outcome = MutationOutcome::Applied { seq, version };
    tx.prepare_cached(
        "INSERT INTO applied_mutations(device_id, mutation_id, result, applied_at)
             VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        key,
        mutation_id.to_string(),
        serde_json::to_string(&outcome)?,
        ms(now)
    ])?;
    Ok(outcome)
}

impl<E: Engine> Storage for E {
    fn create_user(&self, user: &User, password_hash: &str) -> Result<()> {
        self.write(|tx| {
            if let Some(org) = user.organization_id {
                if !org_exists(tx, org)? {
                    return Err(invalid("organization_id", "no such organization"));
                }
            }
            let taken = tx
                .prepare_cached("SELECT 1 FROM users WHERE username = ?1")?
                .exists([&user.username])?;
            if taken {
                return Err(StorageError::Duplicate(format!(
                    "the username {:?} is taken",
                    user.username
                )));
            }
            tx.execute(
                "INSERT INTO users(id, username, password_hash, role, organization_id, city, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    user.id.to_string(),
                    user.username,
                    password_hash,
                    user.role.code(),
                    user.organization_id.map(|o| o.to_string()),
                    user.city,
                    ms(user.created_at)
                ],
            )?;
            Ok(())
        })
    }

    fn user_by_name(&self, username: &str) -> Result<Option<UserWithHash>> {
        self.read(|c| {
            let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1");
            let row = c
                .prepare_cached(&sql)?
                .query_row([username], |r| row_user(r, 0))
                .optional()?;
            Ok(row.map(|(user, password_hash)| UserWithHash {
                user,
                password_hash,
            }))
        })
    }

    fn list_users(&self) -> Result<Vec<User>> {
        self.read(|c| {
            let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map((), |r| row_user(r, 0))?;
            rows.map(|r| r.map(|(u, _)| u)).collect::<Result<_>>()
        })
    }

    fn set_password(&self, user_id: Uuid, password_hash: &str) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![user_id.to_string(), password_hash],
            )?;
            if n == 0 {
                return Err(StorageError::NotFound("user"));
            }
            Ok(())
        })
    }

    fn create_device(&self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO devices(id, created_at) VALUES (?1, ?2)",
                params![id.to_string(), ms(now)],
            )?;
            Ok(())
        })
    }

    fn insert_token(
        &self,
        hash: &[u8; 32],
        owner: TokenOwner,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let (user, device) = match owner {
            TokenOwner::User(u) => (Some(u.to_string()), None),
            TokenOwner::Device(d) => (None, Some(d.to_string())),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO tokens(hash, user_id, device_id, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![&hash[..], user, device, ms(now), ms(expires_at)],
            )?;
            Ok(())
        })
    }

    fn principal_for_token(
        &self,
        hash: &[u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>> {
        self.read(|c| {
            let sql = format!(
                "SELECT t.device_id, u.{} FROM tokens t LEFT JOIN users u ON u.id = t.user_id
                 WHERE t.hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2",
                USER_COLUMNS.replace(", ", ", u.")
            );
            let row = c
                .prepare_cached(&sql)?
                .query_row(params![&hash[..], ms(now)], |r| {
                    let device: Option<String> = r.get(0)?;
                    match device {
                        Some(d) => Ok(Some(Principal::Device(
                            Uuid::parse_str(&d).unwrap_or_default(),
                        ))),
                        None => {
                            let user_id: Option<String> = r.get(1)?;
                            if user_id.is_none() {
                                return Ok(None);
                            }
                            Ok(Some(Principal::User(row_user(r, 1)?.0)))
                        }
                    }
                })
                .optional()?;
            Ok(row.flatten())
        })
    }

    fn revoke_token(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE tokens SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL",
                params![&hash[..], ms(now)],
            )? > 0)
        })
    }

    fn revoke_user_tokens(&self, user_id: Uuid, now: DateTime<Utc>) -> Result<u64> {
        self.write(|tx| {
            let tokens = tx.execute(
                "UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
                params![user_id.to_string(), ms(now)],
            )?;
            let sessions = tx.execute(
                "UPDATE web_sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
                params![user_id.to_string(), ms(now)],
            )?;
            Ok((tokens + sessions) as u64)
        })
    }

    fn create_session(
        &self,
        hash: &[u8; 32],
        user_id: Uuid,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO web_sessions(hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![&hash[..], user_id.to_string(), ms(now), ms(expires_at)],
            )?;
            Ok(())
        })
    }

    fn session_user(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<Option<User>> {
        self.read(|c| {
            let sql = format!(
                "SELECT u.{} FROM web_sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
                USER_COLUMNS.replace(", ", ", u.")
            );
            Ok(c.prepare_cached(&sql)?
                .query_row(params![&hash[..], ms(now)], |r| row_user(r, 0))
                .optional()?
                .map(|(u, _)| u))
        })
    }

    fn end_session(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE web_sessions SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL",
                params![&hash[..], ms(now)],
            )?;
            Ok(())
        })
    }

    fn get_user(&self, id: Uuid) -> Result<Option<UserWithHash>> {
        self.read(|c| {
            let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
            let row = c
                .prepare_cached(&sql)?
                .query_row([id.to_string()], |r| row_user(r, 0))
                .optional()?;
            Ok(row.map(|(user, password_hash)| UserWithHash {
                user,
                password_hash,
            }))
        })
    }

    fn create_organization(
        &self,
        org: &Organization,
        now: DateTime<Utc>,
    ) -> Result<Versioned<Organization>> {
        self.write(|tx| {
            store_org(tx, org, 1, now, Store::New)?;
            log_change(tx, "organization", &org.id.to_string(), "upsert", None, now)?;
            Ok(Versioned {
                record: org.clone(),
                version: 1,
            })
        })
    }

    fn update_organization(
        &self,
        org: &Organization,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<Versioned<Organization>> {
        self.write(|tx| {
            tx.lock_row("organizations", &org.id.to_string())?;
            let current = load_org(tx, org.id)?.ok_or(StorageError::NotFound("organization"))?;
            if current.version != expected_version {
                return Err(conflict(
                    format!(
                        "the organization is at version {}, not {expected_version}",
                        current.version
                    ),
                    &current,
                ));
            }
            let version = current.version + 1;
            store_org(tx, org, version, now, Store::Replace)?;
            log_change(tx, "organization", &org.id.to_string(), "upsert", None, now)?;
            Ok(Versioned {
                record: org.clone(),
                version,
            })
        })
    }

    fn get_organization(&self, id: Uuid) -> Result<Option<Versioned<Organization>>> {
        self.read(|c| load_org(c, id))
    }

    fn list_organizations(
        &self,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<Versioned<Organization>>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT body, version FROM organizations WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = stmt.query_map(
                params![
                    after.map(|a| a.to_string()).unwrap_or_default(),
                    limit as i64
                ],
                |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)),
            )?;
            rows.map(|r| {
                let (body, version) = r?;
                Ok(Versioned {
                    record: serde_json::from_str(&body)?,
                    version,
                })
            })
            .collect()
        })
    }

    fn create_building(
        &self,
        building: &Building,
        organization_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<BuildingRecord> {
        self.write(|tx| {
            if let Some(org) = organization_id {
                if !org_exists(tx, org)? {
                    return Err(invalid("organization_id", "no such organization"));
                }
            }
            store_building(tx, building, organization_id, 1, now, Store::New)?;
            log_change(
                tx,
                "building",
                &building.id.to_string(),
                "upsert",
                None,
                now,
            )?;
            Ok(BuildingRecord {
                building: building.clone(),
                organization_id,
                version: 1,
            })
        })
    }

    fn update_building(
        &self,
        building: &Building,
        expected_version: i64,
        actor_org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<BuildingRecord> {
        self.write(|tx| {
            tx.lock_row("buildings", &building.id.to_string())?;
            let current =
                load_building(tx, building.id)?.ok_or(StorageError::NotFound("building"))?;
            if actor_org.is_some() && current.organization_id != actor_org {
                return Err(StorageError::Forbidden(
                    "this building was registered by another organization".into(),
                ));
            }
            if current.version != expected_version {
                return Err(conflict(
                    format!(
                        "the building is at version {}, not {expected_version}",
                        current.version
                    ),
                    &current,
                ));
            }
            let version = current.version + 1;
            store_building(
                tx,
                building,
                current.organization_id,
                version,
                now,
                Store::Replace,
            )?;
            log_change(
                tx,
                "building",
                &building.id.to_string(),
                "upsert",
                None,
                now,
            )?;
            Ok(BuildingRecord {
                building: building.clone(),
                organization_id: current.organization_id,
                version,
            })
        })
    }

    fn get_building(&self, id: Uuid) -> Result<Option<BuildingRecord>> {
        self.read(|c| load_building(c, id))
    }

    fn list_buildings(&self, filter: &BuildingFilter) -> Result<Vec<BuildingRecord>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT body, organization_id, version FROM buildings
                 WHERE id > ?1 AND (CAST(?2 AS TEXT) IS NULL OR region = ?2)
                   AND (CAST(?3 AS TEXT) IS NULL OR city_key = ?3)
                   AND (CAST(?5 AS TEXT) IS NULL OR organization_id = ?5)
                 ORDER BY id LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                params![
                    filter.after.map(|a| a.to_string()).unwrap_or_default(),
                    filter.region,
                    filter.city.as_deref().map(super::city::city_key),
                    filter.limit as i64,
                    filter.organization_id.map(|o| o.to_string())
                ],
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        r.get::<Option<String>>(1)?,
                        r.get::<i64>(2)?,
                    ))
                },
            )?;
            rows.map(|r| {
                let (body, org, version) = r?;
                Ok(BuildingRecord {
                    building: serde_json::from_str(&body)?,
                    organization_id: org.map(|o| uuid(&o)).transpose()?,
                    version,
                })
            })
            .collect()
        })
    }

    fn create_listing(&self, listing: &JobListing, now: DateTime<Utc>) -> Result<JobListing> {
        self.write(|tx| insert_new_listing(tx, listing, now))
    }

    fn update_listing(
        &self,
        listing: &JobListing,
        actor_org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<JobListing> {
        self.write(|tx| Ok(update_listing_tx(tx, listing, actor_org, now)?.0))
    }

    fn set_listing_status(
        &self,
        id: Uuid,
        status: ListingStatus,
        expected_version: i64,
        actor_org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<JobListing> {
        self.write(|tx| {
            tx.lock_row("listings", &id.to_string())?;
            let current = load_listing(tx, id)?.ok_or(StorageError::NotFound("listing"))?;
            if actor_org.is_some_and(|org| org != current.organization_id) {
                return Err(StorageError::Forbidden(
                    "this listing belongs to another organization".into(),
                ));
            }
            if current.version != expected_version {
                return Err(conflict(
                    format!(
                        "the listing is at version {}, not {expected_version}",
                        current.version
                    ),
                    &current,
                ));
            }
            use ListingStatus::*;
            match (current.status, status) {
                (from, to) if from == to => return Ok(current),
                (Draft, Published) | (Draft, Closed) | (Published, Closed) => {}
                (from, to) => {
                    return Err(conflict(
                        format!("a {from} listing cannot become {to}"),
                        &current,
                    ))
                }
            }
            let was_public = current.status == Published;
            let mut next = current;
            next.status = status;
            next.version += 1;
            if status == Published {
                next.posted_at = now;
                if next.valid_through.is_some_and(|v| v < now) {
                    return Err(invalid(
                        "valid_through",
                        "the closing date has passed; change it before publishing",
                    ));
                }
            }
            store_listing(tx, &next, now, Store::Replace)?;
            let id = next.id.to_string();
            match status {
                Published => {
                    log_change(tx, "listing", &id, "upsert", None, now)?;
                }
                Closed if was_public => {
                    log_change(tx, "listing", &id, "delete", None, now)?;
                }
                _ => {}
            }
            Ok(next)
        })
    }

    fn get_listing(&self, id: Uuid) -> Result<Option<JobListing>> {
        self.read(|c| load_listing(c, id))
    }

    fn list_listings(&self, filter: &ListingFilter) -> Result<Vec<JobListing>> {
        // One statement per filter combination, so each uses its index (listings_org or
        // listings_status) instead of scanning; only bound parameters vary.
        let sql = match (filter.organization_id.is_some(), filter.status.is_some()) {
            (true, true) => {
                "SELECT body FROM listings WHERE organization_id = ?2 AND status = ?3 AND id > ?1
                 ORDER BY id LIMIT ?4"
            }
            (true, false) => {
                "SELECT body FROM listings WHERE organization_id = ?2 AND id > ?1 AND CAST(?3 AS TEXT) IS NULL
                 ORDER BY id LIMIT ?4"
            }
            (false, true) => {
                "SELECT body FROM listings WHERE status = ?3 AND id > ?1 AND CAST(?2 AS TEXT) IS NULL
                 ORDER BY id LIMIT ?4"
            }
            (false, false) => {
                "SELECT body FROM listings WHERE id > ?1 AND CAST(?2 AS TEXT) IS NULL AND CAST(?3 AS TEXT) IS NULL
                 ORDER BY id LIMIT ?4"
            }
        };
        self.read(|c| {
            let mut stmt = c.prepare_cached(sql)?;
            let rows = stmt.query_map(
                params![
                    filter.after.map(|a| a.to_string()).unwrap_or_default(),
                    filter.organization_id.map(|o| o.to_string()),
                    filter.status.map(|s| s.code()),
                    filter.limit as i64
                ],
                |r| r.get::<String>(0),
            )?;
            rows.map(|b| Ok(serde_json::from_str(&b?)?)).collect()
        })
    }

    fn org_listings(&self, query: &OrgListingQuery) -> Result<OrgListingPage> {
        // Only the filters given become conditions: `(?1 IS NULL OR organization_id = ?1)` would
        // keep SQLite from using the (organization_id, updated_at) index, and an organization's
        // table would scan and sort every listing in the country.
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<crate::storage::sql::Owned> = Vec::new();
        if let Some(org) = query.organization_id {
            values.push(org.to_string().into());
            conditions.push(format!("organization_id = ?{}", values.len()));
        }
        if let Some(status) = query.status {
            values.push(status.code().to_string().into());
            conditions.push(format!("status = ?{}", values.len()));
        }
        // Words are folded to [a-z0-9 ]; LIKE's own wildcards cannot occur in them.
        for word in &query.words {
            values.push(format!("%{word}%").into());
            conditions.push(format!("search_text LIKE ?{}", values.len()));
        }
        let where_clause = if conditions.is_empty() {
            "TRUE".to_string()
        } else {
            conditions.join(" AND ")
        };
        self.read(|c| {
            let total: i64 = c
                .prepare_cached(&format!(
                    "SELECT count(*) FROM listings WHERE {where_clause}"
                ))?
                .query_row(&values, |r| r.get(0))?;
            let sql = format!(
                "SELECT l.body, (SELECT count(*) FROM saved_jobs s WHERE s.listing_id = l.id)
                 FROM listings l WHERE {where_clause}
                 ORDER BY l.updated_at DESC, l.id DESC LIMIT {} OFFSET {}",
                query.limit, query.offset
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(&values, |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)))?;
            let rows = rows
                .map(|r| {
                    let (body, saved) = r?;
                    Ok(OrgListingRow {
                        listing: serde_json::from_str(&body)?,
                        saved_by: saved.max(0) as u64,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(OrgListingPage {
                rows,
                total: total.max(0) as u64,
            })
        })
    }

    fn create_listings(
        &self,
        listings: &[JobListing],
        now: DateTime<Utc>,
    ) -> Result<Vec<JobListing>> {
        self.write(|tx| {
            let mut stored_all = Vec::with_capacity(listings.len());
            for listing in listings {
                stored_all.push(insert_new_listing(tx, listing, now)?);
            }
            Ok(stored_all)
        })
    }

    fn submit_report(
        &self,
        report: &AccessibilityReport,
        reporter: Reporter,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| insert_report(tx, report, reporter, self.device_building_reports(), now))
    }

    fn list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportRecord>> {
        self.read(|c| {
            let sql = format!(
                "{REPORT_SELECT}
                 WHERE (CAST(?1 AS TEXT) IS NULL OR r.building_id = ?1)
                   AND (CAST(?2 AS TEXT) IS NULL OR b.region = ?2)
                   AND (CAST(?3 AS TEXT) IS NULL OR b.city_key = ?3)
                   AND (CAST(?4 AS TEXT) IS NULL OR r.status = ?4)
                   AND r.created_at >= ?5 AND r.created_at < ?6
                   AND (r.created_at > ?7 OR (r.created_at = ?7 AND r.id > ?8))
                   AND (CAST(?10 AS TEXT) IS NULL OR b.district = ?10)
                   AND r.hidden_at IS NULL
                 ORDER BY r.created_at, r.id LIMIT ?9"
            );
            let (after_at, after_id) = filter
                .after
                .map(|(t, id)| (t, id.to_string()))
                .unwrap_or((i64::MIN, String::new()));
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![
                    filter.building_id.map(|b| b.to_string()),
                    filter.region,
                    filter.city.as_deref().map(super::city::city_key),
                    filter.status.map(|s| s.code()),
                    filter.since.map_or(i64::MIN, ms),
                    filter.until.map_or(i64::MAX, ms),
                    after_at,
                    after_id,
                    filter.limit as i64,
                    filter.district
                ],
                row_report,
            )?;
            rows.map(|r| report_record(r?)).collect()
        })
    }

    fn building_summary(&self, building_id: Uuid, _now: DateTime<Utc>) -> Result<BuildingSummary> {
        self.read(|c| {
            if load_building(c, building_id)?.is_none() {
                return Err(StorageError::NotFound("building"));
            }
            // The stored summary (recomputed at every report, hide and daily refresh): reading
            // it costs one row whatever the number of reports.
            let body: Option<String> = c
                .prepare_cached("SELECT body FROM building_summaries WHERE building_id = ?1")?
                .query_row([building_id.to_string()], |r| r.get(0))
                .optional()?;
            match body {
                Some(b) => Ok(serde_json::from_str(&b)?),
                None => Ok(BuildingSummary::empty(building_id)),
            }
        })
    }

    fn hide_report(
        &self,
        report_id: Uuid,
        reason: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<ReportRecord> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid(
                "reason",
                "say why the report is hidden (its reporter reads it)",
            ));
        }
        self.write(|tx| {
            let current = load_report(tx, report_id)?.ok_or(StorageError::NotFound("report"))?;
            let id = report_id.to_string();
            tx.prepare_cached(
                "UPDATE reports SET hidden_at = ?2, hidden_reason = ?3, hidden_by = ?4 WHERE id = ?1",
            )?
            .execute(params![id, ms(now), reason, by.to_string()])?;
            recompute_summary(tx, current.report.building_id, now)?;
            let device: Option<String> = tx
                .prepare_cached("SELECT device_id FROM reports WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))?;
            if let Some(d) = device {
                log_change(tx, "report_status", &id, "upsert", Some(uuid(&d)?), now)?;
            }
            load_report(tx, report_id)?.ok_or(StorageError::NotFound("report"))
        })
    }

    fn set_report_status(
        &self,
        report_id: Uuid,
        answer: &StatusAnswer,
        now: DateTime<Utc>,
    ) -> Result<ReportRecord> {
        if !IssueStatus::CITY_ANSWERS.contains(&answer.status) {
            return Err(invalid(
                "status",
                format!(
                    "a city office answers with one of: {}",
                    IssueStatus::CITY_ANSWERS.map(IssueStatus::code).join(", ")
                ),
            ));
        }
        let note = answer
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        if answer.status == IssueStatus::NotResponsible && note.is_none() {
            return Err(invalid(
                "note",
                "say why this is not the city's responsibility (the reporter reads it)",
            ));
        }
        self.write(|tx| {
            let current = load_report(tx, report_id)?.ok_or(StorageError::NotFound("report"))?;
            if let Some(city) = &answer.city_scope {
                if !super::city::in_scope(&current.city, Some(city)) {
                    // The same answer as an unknown id: another city's reports are not there.
                    return Err(StorageError::NotFound("report"));
                }
            }
            record_status(
                tx,
                report_id,
                answer.status,
                note,
                answer.lang.as_deref(),
                StatusBy::City,
                Some(answer.by),
                now,
            )?;
            load_report(tx, report_id)?.ok_or(StorageError::NotFound("report"))
        })
    }

    fn report_history(&self, report_id: Uuid) -> Result<Vec<StatusEntry>> {
        self.read(|c| status_history(c, &report_id.to_string()))
    }

    // City office web pages (issue 13): the queries are in `city.rs`.
    fn city_inbox(&self, query: &super::city::InboxQuery) -> Result<super::city::InboxPage> {
        self.read(|c| city::inbox(c, query))
    }

    fn report_in_city(
        &self,
        report_id: Uuid,
        city_scope: Option<&str>,
    ) -> Result<Option<ReportRecord>> {
        self.read(|c| city::report_in_city(c, report_id, city_scope))
    }

    fn inbox_choices(
        &self,
        city_scope: Option<&str>,
        query: &super::city::InboxQuery,
    ) -> Result<super::city::InboxChoices> {
        self.read(|c| city::inbox_choices(c, city_scope, query))
    }

    fn city_digest(&self, query: &super::city::DigestQuery) -> Result<super::city::Digest> {
        self.read(|c| city::digest(c, query))
    }

    // Open311 (docs/open311.md): the queries are in `open311.rs`.
    fn open311_requests(
        &self,
        query: &super::open311::RequestQuery,
    ) -> Result<Vec<super::open311::RequestRow>> {
        self.read(|c| open311::requests(c, query))
    }

    fn open311_catch_up(&self) -> Result<u64> {
        // A read first: on most starts nothing is pending and no write transaction is needed.
        if !self.read(open311::pending)? {
            return Ok(0);
        }
        let mut indexed = 0;
        loop {
            let n = self.write(|tx| open311::catch_up(tx, open311::CATCH_UP_BATCH))?;
            indexed += n as u64;
            // A batch that is not full took the last of them (no new report is left unindexed).
            if n < open311::CATCH_UP_BATCH {
                return Ok(indexed);
            }
        }
    }

    fn nearest_building(
        &self,
        at: teng_core::model::GeoPoint,
        within_m: f64,
    ) -> Result<Option<(BuildingRecord, f64)>> {
        self.read(|c| open311::nearest_building(c, at, within_m))
    }

    fn buildings_at_address(
        &self,
        street: &str,
        city: Option<&str>,
        limit: usize,
    ) -> Result<Vec<BuildingRecord>> {
        self.read(|c| open311::buildings_at_address(c, street, city, limit))
    }

    fn submit_external_report(
        &self,
        report: &AccessibilityReport,
        key_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| open311::insert_external_report(tx, report, key_id, now))
    }

    fn create_api_key(&self, key: &super::open311::ApiKey, hash: &[u8; 32]) -> Result<()> {
        self.write(|tx| open311::create_api_key(tx, key, hash))
    }

    fn api_key(&self, hash: &[u8; 32]) -> Result<Option<super::open311::ApiKey>> {
        self.read(|c| open311::api_key(c, hash))
    }

    fn revoke_api_keys(&self, name: &str, now: DateTime<Utc>) -> Result<u64> {
        self.write(|tx| open311::revoke_api_keys(tx, name, now))
    }

    fn pull(
        &self,
        since: i64,
        limit: usize,
        device: Option<Uuid>,
        count: bool,
    ) -> Result<PullPage> {
        // One read transaction: the page, the floor and the last cursor come from one snapshot.
        self.read(|c| {
            snapshot(c, |c| {
                let floor = meta_i64(c, "sync_floor")?;
                let last = last_seq(c)?;
                if (since > 0 && since < floor) || since > last {
                    return Err(StorageError::Resync { since, floor });
                }
                let dev = device.map(|d| d.to_string());
                let mut stmt = c.prepare_cached(
                    "SELECT seq, kind, record_id FROM changes
                     WHERE seq > ?1 AND (device_id IS NULL OR device_id = ?2)
                     ORDER BY seq LIMIT ?3",
                )?;
                let mut rows = stmt
                    .query_map(params![since, dev, limit as i64 + 1], |r| {
                        Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?))
                    })?
                    .collect::<Result<Vec<_>>>()?;
                let has_more = rows.len() > limit;
                rows.truncate(limit);
                let next = match (has_more, rows.last()) {
                    (true, Some(row)) => row.0,
                    _ => last,
                };
                // A record changed twice in the page is sent once, at its latest position.
                let mut latest: HashMap<(&str, &str), i64> = HashMap::with_capacity(rows.len());
                for (seq, kind, id) in &rows {
                    latest.insert((kind.as_str(), id.as_str()), *seq);
                }
                let kept: Vec<&(i64, String, String)> = rows
                    .iter()
                    .filter(|(seq, kind, id)| {
                        latest.get(&(kind.as_str(), id.as_str())) == Some(seq)
                    })
                    .collect();
                let mut public = render_public(c, &kept)?;
                let mut changes = Vec::with_capacity(kept.len());
                for (seq, kind, id) in kept {
                    let record = match public.remove(&(kind.as_str(), id.as_str())) {
                        Some(found) => found,
                        None => render(c, kind, id, dev.as_deref())?,
                    };
                    changes.push(PulledChange {
                        seq: *seq,
                        kind: kind_name(kind),
                        id: id.clone(),
                        op: if record.is_some() { "upsert" } else { "delete" },
                        record,
                    });
                }
                let remaining = if count && has_more {
                    let n: i64 = c
                        .prepare_cached(
                            "SELECT count(*) FROM changes
                             WHERE seq > ?1 AND (device_id IS NULL OR device_id = ?2)",
                        )?
                        .query_row(params![next, dev], |r| r.get(0))?;
                    Some(n as u64)
                } else {
                    count.then_some(0)
                };
                Ok(PullPage {
                    changes,
                    next,
                    has_more,
                    remaining,
                })
            })
        })
    }

    fn push(
        &self,
        actor: PushActor,
        mutation_id: Uuid,
        mutation: &Mutation,
        now: DateTime<Utc>,
    ) -> Result<MutationOutcome> {
        let key = actor.key();
        // A mutation that cannot apply rolls its transaction back and is answered on its own.
        let attempt = self.write(|tx| {
            push_tx(
                tx,
                actor,
                &key,
                mutation_id,
                mutation,
                self.device_building_reports(),
                now,
            )
        });
        match attempt {
            Ok(outcome) => Ok(outcome),
            Err(e) => rejected(&e).ok_or(e),
        }
    }

    fn refresh_summaries(&self, now: DateTime<Utc>) -> Result<u64> {
        // In batches, so writers wait for one batch at most, never for the whole country.
        const BATCH: i64 = 200;
        let mut after = String::new();
        let mut changed = 0;
        loop {
            let (n, last) = self.write(|tx| {
                let ids: Vec<(String, String)> = tx
                    .prepare_cached(
                        "SELECT building_id, body FROM building_summaries WHERE building_id > ?1
                         ORDER BY building_id LIMIT ?2",
                    )?
                    .query_map(params![after, BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_>>()?;
                // Every building of the batch is locked before the first change is logged: a
                // report arriving meanwhile waits at its building, never holding a summary row
                // this batch still needs (no lock is taken after the change log's).
                for (building, _) in &ids {
                    tx.lock_row("buildings", building)?;
                }
                let mut n = 0;
                for (building, stored) in &ids {
                    let reports = building_reports(tx, building)?;
                    let summary = aggregate(uuid(building)?, &reports, now);
                    let fresh = serde_json::to_string(&summary)?;
                    if significant(&fresh)? != significant(stored)? {
                        tx.prepare_cached(
                            "UPDATE building_summaries SET body = ?2, updated_at = ?3,
                                 not_step_free = ?4
                             WHERE building_id = ?1",
                        )?
                        .execute(params![
                            building,
                            fresh,
                            ms(now),
                            super::city::summary_not_step_free(&summary)
                        ])?;
                        log_change(tx, "building_summary", building, "upsert", None, now)?;
                        n += 1;
                    }
                }
                Ok((n, ids.last().map(|(id, _)| id.clone())))
            })?;
            changed += n;
            match last {
                Some(id) => after = id,
                None => return Ok(changed),
            }
        }
    }

    fn claim_daily_job(&self, now: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('daily_job_at', '0')
                 ON CONFLICT(key) DO NOTHING",
                (),
            )?;
            // Another process's claim committed first: its row no longer matches (PostgreSQL
            // re-checks the condition of a row it waited for).
            let claimed = tx.execute(
                "UPDATE meta SET value = ?2
                 WHERE key = 'daily_job_at' AND CAST(value AS BIGINT) <= ?1",
                params![ms(now - DAILY_JOB_EVERY), ms(now).to_string()],
            )?;
            Ok(claimed == 1)
        })
    }

    fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        self.write(|tx| {
            // Rows superseded by a later row for the same record are never needed.
            let superseded = tx.execute(
                "DELETE FROM changes WHERE EXISTS (
                     SELECT 1 FROM changes later
                     WHERE later.kind = changes.kind AND later.record_id = changes.record_id
                       AND later.device_id IS NOT DISTINCT FROM changes.device_id
                       AND later.seq > changes.seq)",
                (),
            )?;
            // Old tombstones go; a client whose cursor predates them must resync.
            let floor: Option<i64> = tx.query_row(
                "SELECT MAX(seq) FROM changes WHERE op = 'delete' AND at < ?1",
                [ms(before)],
                |r| r.get(0),
            )?;
            let mut removed = superseded as u64;
            if let Some(floor) = floor {
                removed += tx.execute(
                    "DELETE FROM changes WHERE op = 'delete' AND seq <= ?1",
                    [floor],
                )? as u64;
                tx.execute(
                    "UPDATE meta SET value = ?2
                     WHERE key = 'sync_floor' AND CAST(value AS BIGINT) < ?1",
                    params![floor, floor.to_string()],
                )?;
            }
            tx.execute(
                "DELETE FROM applied_mutations WHERE applied_at < ?1",
                [ms(before)],
            )?;
            Ok(removed)
        })
    }

    fn put_snapshot(&self, snapshot: &super::snapshot::NewSnapshot) -> Result<Option<i64>> {
        self.write(|tx| snapshots::put(tx, snapshot))
    }

    fn snapshot_manifest(&self, device: Option<Uuid>) -> Result<Option<super::snapshot::Manifest>> {
        self.read(|c| snapshot(c, |c| snapshots::manifest(c, device)))
    }

    fn snapshot_chunk(
        &self,
        generation: i64,
        n: u32,
    ) -> Result<Option<super::snapshot::StoredChunk>> {
        self.read(|c| snapshots::chunk(c, generation, n))
    }

    fn import(
        &self,
        organizations: &[Organization],
        buildings: &[Building],
        listings: &[JobListing],
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            for o in organizations {
                store_org(tx, o, 1, now, Store::Replace)?;
                log_change(tx, "organization", &o.id.to_string(), "upsert", None, now)?;
            }
            for b in buildings {
                store_building(tx, b, None, 1, now, Store::Replace)?;
                log_change(tx, "building", &b.id.to_string(), "upsert", None, now)?;
            }
            for l in listings {
                let mut l = l.clone();
                l.version = l.version.max(1);
                store_listing(tx, &l, now, Store::Replace)?;
                if l.status == ListingStatus::Published {
                    log_change(tx, "listing", &l.id.to_string(), "upsert", None, now)?;
                }
            }
            Ok(())
        })
    }

    fn stats(&self) -> Result<Stats> {
        self.read(|c| {
            let count = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, (), |r| r.get(0))?) };
            Ok(Stats {
                organizations: count("SELECT COUNT(*) FROM organizations")?,
                buildings: count("SELECT COUNT(*) FROM buildings")?,
                listings: count("SELECT COUNT(*) FROM listings")?,
                published_listings: count(
                    "SELECT COUNT(*) FROM listings WHERE status = 'published'",
                )?,
                users: count("SELECT COUNT(*) FROM users")?,
                devices: count("SELECT COUNT(*) FROM devices")?,
                reports: count("SELECT COUNT(*) FROM reports")?,
                saved_jobs: count("SELECT COUNT(*) FROM saved_jobs")?,
                last_seq: last_seq(c)?,
                sync_floor: meta_i64(c, "sync_floor")?,
            })
        })
    }

    fn backup(&self, destination: &Path) -> Result<()> {
        Engine::backup(self, destination)
    }

    fn ping(&self) -> Result<()> {
        self.read(|c| {
            Ok(c.query_row("SELECT 1", (), |r| r.get::<i64>(0))
                .map(|_| ())?)
        })
    }
}

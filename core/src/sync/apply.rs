//! Applying one pulled page: its records and its cursor in one transaction, so a crash leaves the
//! old state or the new one, never half a page, and the next sync resumes after the last whole page.
//!
//! Rules, in the order they apply:
//! - What the user did and the server has not confirmed stays on top: a pulled saved job or listing
//!   with a pending mutation in the outbox is skipped (the server's next answer will carry the result).
//!   A report's pulled status is stored even while the user's "still not fixed" waits, but it is
//!   shown beneath it (see `store::access::my_reports_with_status`) and counted as kept local: if the
//!   server refuses the reopen, the status it last sent is already on the phone.
//! - A record this build cannot read or that fails validation is skipped and counted, not fatal: one
//!   bad record must not stop a phone from ever syncing again.
//! - A listing naming an organization or building not on the phone yet (the server sends a record's
//!   current state, which can refer to something in a later page) waits in `sync_deferred` and is
//!   applied with the page that brings what it needs.
//! - During a full resync, every public record received is noted; at the last page whatever was not
//!   received is deleted.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::outbox::{self, PendingTargets};
use super::protocol::{ChangeOp, PullPage, PulledChange};
use super::state;
use crate::accessibility::{BuildingSummary, ReportStatusRecord};
use crate::error::{Error, Result};
use crate::model::{Building, JobListing, Organization, SavedJob, Validate};
use crate::store::access::{self, PulledStatus};
use crate::store::{self, ChangeBatch};

/// What became of a page's changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageOutcome {
    pub applied: u64,
    /// Kept local because a mutation of the user's on the same record is still pending.
    pub kept_local: u64,
    /// Waiting for the organization or building they refer to.
    pub deferred: u64,
    /// Unreadable or invalid records, and kinds this build does not know.
    pub skipped: u64,
}

/// Applies `page`, pulled with cursor `since`, and moves the cursor to `page.next`. Fails (changing
/// nothing) if the cursor is no longer `since`: another sync of the same file got there first.
pub(crate) fn apply_page(tx: &Transaction<'_>, since: i64, page: &PullPage) -> Result<PageOutcome> {
    if state::cursor(tx)? != since {
        return Err(Error::SyncInProgress);
    }
    let pending = outbox::pending_targets(tx)?;
    let resync = state::get(tx, state::RESYNC)?.is_some();
    let mut sorter = Sorter {
        pending: &pending,
        outcome: PageOutcome::default(),
        batch: ChangeBatch::default(),
        listings: Vec::new(),
        touched_listings: Vec::new(),
        saved: Vec::new(),
        unsaved: Vec::new(),
        statuses: Vec::new(),
        withdrawn_statuses: Vec::new(),
        seen: Vec::new(),
    };
    for change in &page.changes {
        sorter.sort(change);
    }
    let Sorter {
        mut outcome,
        batch,
        mut listings,
        touched_listings,
        saved,
        unsaved,
        statuses,
        withdrawn_statuses,
        seen,
        ..
    } = sorter;

    store::apply_in(tx, &batch)?;

    // A newer state of a deferred listing (or its tombstone) replaces the deferred one.
    let mut forget = tx.prepare_cached("DELETE FROM sync_deferred WHERE listing_id = ?1")?;
    for id in &touched_listings {
        forget.execute([id.to_string()])?;
    }
    listings.extend(take_deferred(tx)?);
    let (ready, waiting) = partition_by_references(tx, listings)?;
    store::listings::upsert(tx, &ready)?;
    outcome.applied += ready.len() as u64;
    let mut defer = tx.prepare_cached(
        "INSERT OR REPLACE INTO sync_deferred (listing_id, record) VALUES (?1, ?2)",
    )?;
    for listing in &waiting {
        let json = serde_json::to_string(listing)
            .map_err(|e| Error::BadStoredValue(format!("deferred listing: {e}")))?;
        defer.execute(params![listing.id.to_string(), json])?;
    }
    outcome.deferred = waiting.len() as u64;

    for job in &saved {
        store::saved::put(tx, job)?;
    }
    for id in &unsaved {
        store::saved::unsave(tx, *id)?;
    }
    access::put_report_statuses(tx, &statuses)?;
    access::delete_report_statuses(tx, &withdrawn_statuses)?;

    if resync {
        let mut note =
            tx.prepare_cached("INSERT OR IGNORE INTO sync_resync_seen (kind, id) VALUES (?1, ?2)")?;
        for (kind, id) in &seen {
            note.execute(params![kind, id])?;
        }
        if !page.has_more {
            finish_resync(tx)?;
        }
    }
    state::set(tx, state::CURSOR, &page.next.to_string())?;
    Ok(outcome)
}

/// Starts a full resync: the next pull starts from zero and what it does not bring back goes.
pub(crate) fn begin_resync(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM sync_resync_seen", [])?;
    state::set(tx, state::RESYNC, "1")?;
    state::set(tx, state::CURSOR, "0")
}

/// Sorts a page's changes into the store's batch, the user's saved jobs, and listings to place.
struct Sorter<'a> {
    pending: &'a PendingTargets,
    outcome: PageOutcome,
    batch: ChangeBatch,
    listings: Vec<JobListing>,
    /// Every listing id the page mentions (upsert or delete).
    touched_listings: Vec<Uuid>,
    saved: Vec<SavedJob>,
    unsaved: Vec<Uuid>,
    /// What the city office did with the user's own reports.
    statuses: Vec<PulledStatus>,
    withdrawn_statuses: Vec<Uuid>,
    /// (kind, id) of public records received, for a resync.
    seen: Vec<(&'static str, String)>,
}

impl Sorter<'_> {
    fn sort(&mut self, change: &PulledChange) {
        let Ok(id) = Uuid::parse_str(&change.id) else {
            self.outcome.skipped += 1;
            return;
        };
        let kind: &'static str = match change.kind.as_str() {
            "organization" => "organization",
            "building" => "building",
            "listing" => "listing",
            "building_summary" => "building_summary",
            "saved_job" => "saved_job",
            "report_status" => return self.report_status(id, change),
            _ => {
                // A kind from a newer server: nothing this build can show.
                self.outcome.skipped += 1;
                return;
            }
        };
        if kind == "listing" {
            self.touched_listings.push(id);
        }
        let user_pending = match kind {
            "listing" => self.pending.listing_edits.contains(&id),
            "saved_job" => self.pending.saved_jobs.contains(&id),
            _ => false,
        };
        if user_pending {
            self.outcome.kept_local += 1;
            if kind == "listing" {
                self.seen.push((kind, change.id.clone()));
            }
            return;
        }
        if change.op == ChangeOp::Delete {
            match kind {
                "organization" => self.batch.deleted_organizations.push(id),
                "building" => self.batch.deleted_buildings.push(id),
                "listing" => self.batch.deleted_listings.push(id),
                "saved_job" => self.unsaved.push(id),
                // A summary goes with its building; a tombstone of one alone means "no reports".
                _ => self.batch.deleted_summaries.push(id),
            }
            self.outcome.applied += 1;
            return;
        }
        let accepted = match kind {
            "organization" => parse::<Organization>(change)
                .map(|o| self.batch.organizations.push(o))
                .is_some(),
            "building" => parse::<Building>(change)
                .map(|b| self.batch.buildings.push(b))
                .is_some(),
            "listing" => parse::<JobListing>(change)
                .map(|l| self.listings.push(l))
                .is_some(),
            "building_summary" => parse_unvalidated::<BuildingSummary>(change)
                .map(|s| self.batch.building_summaries.push(s))
                .is_some(),
            _ => parse::<SavedJob>(change)
                .map(|s| self.saved.push(s))
                .is_some(),
        };
        if accepted {
            // Listings count as applied when placed (some wait for their building).
            if kind != "listing" {
                self.outcome.applied += 1;
            }
            if kind != "saved_job" {
                self.seen.push((kind, change.id.clone()));
            }
        } else {
            self.outcome.skipped += 1;
        }
    }
}

impl Sorter<'_> {
    /// The device's own report's status: private like a saved job (a resync keeps it), and stored
    /// even under a pending reopen, which stays on top of it when shown.
    fn report_status(&mut self, id: Uuid, change: &PulledChange) {
        if change.op == ChangeOp::Delete {
            self.withdrawn_statuses.push(id);
            self.outcome.applied += 1;
            return;
        }
        let Some(pulled) = parse_status(change).filter(|p| p.record.report_id == id) else {
            self.outcome.skipped += 1;
            return;
        };
        self.statuses.push(pulled);
        if self.pending.reopened_reports.contains(&id) {
            self.outcome.kept_local += 1;
        } else {
            self.outcome.applied += 1;
        }
    }
}

/// A `report_status` record, leniently read (unknown codes become `open`), with its JSON and its
/// status code kept as they came.
fn parse_status(change: &PulledChange) -> Option<PulledStatus> {
    let json = change.record.as_ref()?.get();
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let code = value.get("status")?.as_str()?.to_string();
    let record: ReportStatusRecord = serde_json::from_value(value).ok()?;
    Some(PulledStatus {
        record,
        code,
        json: json.to_string(),
    })
}

fn parse<T: DeserializeOwned + Validate>(change: &PulledChange) -> Option<T> {
    parse_unvalidated::<T>(change).filter(|record| record.validate().is_ok())
}

fn parse_unvalidated<T: DeserializeOwned>(change: &PulledChange) -> Option<T> {
    serde_json::from_str(change.record.as_ref()?.get()).ok()
}

fn take_deferred(tx: &Transaction<'_>) -> Result<Vec<JobListing>> {
    let mut stmt = tx.prepare_cached("SELECT record FROM sync_deferred")?;
    let records: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    tx.execute("DELETE FROM sync_deferred", [])?;
    records
        .iter()
        .map(|json| {
            serde_json::from_str(json)
                .map_err(|e| Error::BadStoredValue(format!("deferred listing: {e}")))
        })
        .collect()
}

/// Listings whose organization and building are on the phone, and those still waiting for them.
fn partition_by_references(
    tx: &Transaction<'_>,
    listings: Vec<JobListing>,
) -> Result<(Vec<JobListing>, Vec<JobListing>)> {
    let mut org = tx.prepare_cached("SELECT 1 FROM organizations WHERE id = ?1")?;
    let mut building = tx.prepare_cached("SELECT 1 FROM buildings WHERE id = ?1")?;
    let mut ready = Vec::with_capacity(listings.len());
    let mut waiting = Vec::new();
    for listing in listings {
        let has_org = org
            .query_row([listing.organization_id.to_string()], |_| Ok(()))
            .optional()?
            .is_some();
        let has_building = match listing.building_id {
            None => true,
            Some(b) => building
                .query_row([b.to_string()], |_| Ok(()))
                .optional()?
                .is_some(),
        };
        if has_org && has_building {
            ready.push(listing);
        } else {
            waiting.push(listing);
        }
    }
    Ok((ready, waiting))
}

/// The last page of a resync is in: public records the server did not send again are gone there.
/// Listings with a pending edit stay until the server answers for the edit.
fn finish_resync(tx: &Transaction<'_>) -> Result<()> {
    let ids = |sql: &str| -> Result<Vec<Uuid>> {
        let mut stmt = tx.prepare(sql)?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        rows.iter()
            .map(|id| store::listings::parse_uuid(id))
            .collect()
    };
    let gone = ChangeBatch {
        deleted_listings: ids(
            "SELECT id FROM listings
             WHERE id NOT IN (SELECT id FROM sync_resync_seen WHERE kind = 'listing')
               AND id NOT IN (SELECT target FROM outbox WHERE op = 'update_listing')",
        )?,
        deleted_summaries: ids(
            "SELECT building_id FROM building_access
             WHERE building_id NOT IN (SELECT id FROM sync_resync_seen WHERE kind = 'building_summary')",
        )?,
        deleted_buildings: ids(
            "SELECT id FROM buildings
             WHERE id NOT IN (SELECT id FROM sync_resync_seen WHERE kind = 'building')",
        )?,
        deleted_organizations: ids(
            "SELECT id FROM organizations
             WHERE id NOT IN (SELECT id FROM sync_resync_seen WHERE kind = 'organization')",
        )?,
        ..ChangeBatch::default()
    };
    store::apply_in(tx, &gone)?;
    tx.execute("DELETE FROM sync_resync_seen", [])?;
    state::clear(tx, state::RESYNC)
}

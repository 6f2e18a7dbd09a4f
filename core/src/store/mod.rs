//! The phone-side store: one SQLite file that holds the synced catalogue and the user's own data.
//!
//! One writer connection behind a mutex and a small pool of read-only connections. SQLite's WAL mode
//! means readers see the last committed state and never wait for a write in progress, so a long
//! sync page being applied does not freeze the search screen. A background thread copies the WAL
//! back into the file (`db::checkpoint`), so commits do not pay for it.

pub(crate) mod access;
mod buildings;
pub(crate) mod listings;
mod organizations;
pub(crate) mod saved;
pub(crate) mod time;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::accessibility::{AccessibilityReport, BuildingSummary, MyReport};
use crate::db;
use crate::db::checkpoint::{Checkpointer, Thresholds};
use crate::error::{Error, Result};
use crate::model::{Building, JobListing, Organization, SavedJob};
use crate::search::Facets;
use crate::sync::{outbox, Mutation, SyncProgress};

/// Reader connections kept open for reuse; more are opened on demand under load and then dropped.
const IDLE_READERS: usize = 4;

/// A set of changes applied atomically: all of it or none of it.
///
/// Upserts run parents first (organizations, buildings, listings) and deletions children first, so a
/// page from the server can carry a new organization together with its listings.
#[derive(Debug, Clone, Default)]
pub struct ChangeBatch {
    pub organizations: Vec<Organization>,
    pub buildings: Vec<Building>,
    pub listings: Vec<JobListing>,
    /// Aggregated accessibility of buildings (replacing what was stored for them).
    pub building_summaries: Vec<BuildingSummary>,
    pub deleted_listings: Vec<Uuid>,
    /// Accessibility summaries withdrawn (deleting a building removes its summary too).
    pub deleted_summaries: Vec<Uuid>,
    pub deleted_buildings: Vec<Uuid>,
    pub deleted_organizations: Vec<Uuid>,
}

impl ChangeBatch {
    pub fn is_empty(&self) -> bool {
        self.organizations.is_empty()
            && self.buildings.is_empty()
            && self.listings.is_empty()
            && self.building_summaries.is_empty()
            && self.deleted_listings.is_empty()
            && self.deleted_summaries.is_empty()
            && self.deleted_buildings.is_empty()
            && self.deleted_organizations.is_empty()
    }
}

/// Counts of what is stored, for status screens and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreStats {
    pub organizations: u64,
    pub buildings: u64,
    pub listings: u64,
    pub saved_jobs: u64,
}

pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Copies the WAL back into the file off the writer's thread; stopped when the store drops.
    checkpointer: Option<Checkpointer>,
    readers: Mutex<Vec<Connection>>,
    /// Counts committed writes to the catalogue, so the search facets know when to rebuild.
    pub(crate) generation: AtomicU64,
    facets: Mutex<Option<Arc<Facets>>>,
    /// Held by the one sync running on this file.
    sync_lock: Mutex<()>,
    sync_progress: Mutex<Option<SyncProgress>>,
}

/// Closes the writer last. SQLite's last connection to close copies the WAL into the file and deletes
/// it, but only if it can write: had a read-only reader been last, the WAL (tens of MB after a sync)
/// would stay, and the next open would have to read all of it to rebuild its index.
impl Drop for Store {
    fn drop(&mut self) {
        if let Ok(mut idle) = self.readers.lock() {
            idle.clear();
        }
        self.checkpointer.take();
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and upgrades its schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let mut writer = db::open_writer(&path)?;
        let checkpointer = Checkpointer::start(&path, &mut writer, Thresholds::DEFAULT)?;
        Ok(Store {
            path,
            writer: Mutex::new(writer),
            checkpointer,
            readers: Mutex::new(Vec::new()),
            generation: AtomicU64::new(0),
            facets: Mutex::new(None),
            sync_lock: Mutex::new(()),
            sync_progress: Mutex::new(None),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.read(db::schema_version)
    }

    /// Fails with [`Error::SyncInProgress`] rather than queueing a second sync behind the first.
    pub(crate) fn try_lock_sync(&self) -> Result<MutexGuard<'_, ()>> {
        match self.sync_lock.try_lock() {
            Ok(guard) => Ok(guard),
            Err(std::sync::TryLockError::WouldBlock) => Err(Error::SyncInProgress),
            Err(std::sync::TryLockError::Poisoned(_)) => Err(Error::Poisoned),
        }
    }

    pub(crate) fn lock_sync_progress(&self) -> Result<MutexGuard<'_, Option<SyncProgress>>> {
        lock(&self.sync_progress)
    }

    pub(crate) fn set_sync_progress(&self, progress: Option<SyncProgress>) -> Result<()> {
        *self.lock_sync_progress()? = progress;
        Ok(())
    }

    pub(crate) fn lock_facets(&self) -> Result<MutexGuard<'_, Option<Arc<Facets>>>> {
        lock(&self.facets)
    }

    /// Runs `f` on a read-only connection. Reads see the last committed write.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers)?.pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => db::open_reader(&self.path)?,
        };
        let result = f(&conn);
        let mut idle = lock(&self.readers)?;
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    /// Runs `f` inside one immediate write transaction, committed only if `f` succeeds. For the user's
    /// own data (saved jobs, reports), which search does not read.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// [`Store::write`] for what search reads (listings, organizations, buildings, accessibility):
    /// the commit makes the search facets stale, so the next search rebuilds them.
    pub(crate) fn write_catalogue<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let value = self.write(f)?;
        self.generation.fetch_add(1, Ordering::Release);
        Ok(value)
    }

    /// Applies a batch of upserts and deletions in one transaction. Every record is validated first;
    /// an invalid one fails the whole batch with an error naming the record and the field.
    pub fn apply(&self, batch: &ChangeBatch) -> Result<()> {
        self.write_catalogue(|tx| apply_in(tx, batch))
    }

    pub fn upsert_organizations(&self, organizations: &[Organization]) -> Result<()> {
        self.write_catalogue(|tx| organizations::upsert(tx, organizations))
    }

    pub fn upsert_buildings(&self, buildings: &[Building]) -> Result<()> {
        self.write_catalogue(|tx| buildings::upsert(tx, buildings))
    }

    pub fn upsert_listings(&self, listings: &[JobListing]) -> Result<()> {
        self.write_catalogue(|tx| listings::upsert(tx, listings))
    }

    pub fn delete_listings(&self, ids: &[Uuid]) -> Result<()> {
        self.write_catalogue(|tx| listings::delete(tx, ids))
    }

    pub fn delete_buildings(&self, ids: &[Uuid]) -> Result<()> {
        self.write_catalogue(|tx| buildings::delete(tx, ids))
    }

    /// Deleting an organization removes its listings too.
    pub fn delete_organizations(&self, ids: &[Uuid]) -> Result<()> {
        self.write_catalogue(|tx| organizations::delete(tx, ids))
    }

    pub fn organization(&self, id: Uuid) -> Result<Option<Organization>> {
        self.read(|conn| organizations::get(conn, id))
    }

    pub fn building(&self, id: Uuid) -> Result<Option<Building>> {
        self.read(|conn| buildings::get(conn, id))
    }

    pub fn listing(&self, id: Uuid) -> Result<Option<JobListing>> {
        self.read(|conn| listings::get(conn, id))
    }

    /// Saves a job (or updates the note of one already saved, keeping its original time), and queues
    /// it for the server in the same transaction.
    pub fn save_job(&self, listing_id: Uuid, note: Option<&str>) -> Result<SavedJob> {
        let now = chrono::Utc::now();
        self.write(|tx| {
            let saved = saved::save(tx, listing_id, note, now)?;
            let mutation = Mutation::SaveJob {
                listing_id,
                note: saved.note.clone(),
                saved_at: saved.saved_at,
            };
            outbox::enqueue(tx, &mutation, now)?;
            Ok(saved)
        })
    }

    /// Returns whether the job was saved. Queues the removal for the server.
    pub fn unsave_job(&self, listing_id: Uuid) -> Result<bool> {
        self.write(|tx| {
            let removed = saved::unsave(tx, listing_id)?;
            if removed {
                outbox::enqueue(tx, &Mutation::UnsaveJob { listing_id }, chrono::Utc::now())?;
            }
            Ok(removed)
        })
    }

    /// An ngo member's offline edit of a listing on the phone: validated, shown at once, and queued
    /// for the server against `listing.version` (the version the user edited). A stale version comes
    /// back from the sync as a conflict with both versions.
    pub fn edit_listing(&self, listing: &JobListing) -> Result<()> {
        self.write_catalogue(|tx| {
            listings::upsert(tx, std::slice::from_ref(listing))?;
            let mutation = Mutation::UpdateListing {
                listing_id: listing.id,
                listing: listing.clone(),
            };
            outbox::enqueue(tx, &mutation, chrono::Utc::now())?;
            Ok(())
        })
    }

    pub fn put_building_summaries(&self, summaries: &[BuildingSummary]) -> Result<()> {
        self.write_catalogue(|tx| access::put_summaries(tx, summaries))
    }

    /// The building's aggregated accessibility, if anyone reported on it.
    pub fn building_summary(&self, building_id: Uuid) -> Result<Option<BuildingSummary>> {
        self.read(|conn| access::summary(conn, building_id))
    }

    /// Keeps an accessibility report the user made (validated; recording it twice keeps one) and
    /// queues it for the server in the same transaction.
    pub fn record_report(&self, report: &AccessibilityReport) -> Result<()> {
        self.write(|tx| {
            if access::record_report(tx, report)? {
                let mutation = Mutation::SubmitReport {
                    building_id: report.building_id,
                    report: report.into(),
                };
                outbox::enqueue(tx, &mutation, chrono::Utc::now())?;
            }
            Ok(())
        })
    }

    /// The user's own reports, newest first, for one building or all.
    pub fn my_reports(&self, building_id: Option<Uuid>) -> Result<Vec<AccessibilityReport>> {
        self.read(|conn| access::my_reports(conn, building_id))
    }

    /// The user's own reports with what became of them, newest first, for one building or all:
    /// the building, whether each was sent, the city office's status, last note and history, and
    /// whether "still not fixed" can be said ([`MyReport::can_reopen`]). A "still not fixed" not
    /// sent yet shows as `Reopened` with [`MyReport::reopen_pending`].
    pub fn my_reports_with_status(&self, building_id: Option<Uuid>) -> Result<Vec<MyReport>> {
        self.read(|conn| access::my_reports_with_status(conn, building_id, None))
    }

    /// One of the user's own reports with its status, if it is one of theirs.
    pub fn my_report(&self, report_id: Uuid) -> Result<Option<MyReport>> {
        self.read(|conn| {
            Ok(access::my_reports_with_status(conn, None, Some(report_id))?
                .into_iter()
                .next())
        })
    }

    /// The reporter says a report the city office marked resolved is still not fixed: queued in
    /// the outbox (offline, like every action) and shown at once as reopened, waiting to send.
    /// `note` (optional, at most 2,000 characters) says what is still wrong. Errors:
    /// [`Error::NotFound`] (not a report made on this device), [`Error::InvalidInput`] naming
    /// `report_id` (not resolved, not sent yet, or a reopen already waits) or `note` (too long).
    /// If the city office changed the status meanwhile, the sync brings the server's refusal back
    /// as a [`crate::sync::SyncProblem`] and the mutation is dropped.
    pub fn reopen_report(&self, report_id: Uuid, note: Option<&str>) -> Result<MyReport> {
        let now = chrono::Utc::now();
        self.write(|tx| {
            access::reopen_report(tx, report_id, note, now)?;
            access::my_reports_with_status(tx, None, Some(report_id))?
                .into_iter()
                .next()
                .ok_or(Error::NotFound {
                    record: "report of yours",
                    id: report_id,
                })
        })
    }

    pub fn is_saved(&self, listing_id: Uuid) -> Result<bool> {
        self.read(|conn| saved::is_saved(conn, listing_id))
    }

    /// The user's saved jobs, newest first.
    pub fn saved_jobs(&self) -> Result<Vec<SavedJob>> {
        self.read(saved::list)
    }

    pub fn stats(&self) -> Result<StoreStats> {
        self.read(|conn| {
            let count = |table: &str| -> Result<u64> {
                let n: i64 =
                    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                Ok(n as u64)
            };
            Ok(StoreStats {
                organizations: count("organizations")?,
                buildings: count("buildings")?,
                listings: count("listings")?,
                saved_jobs: count("saved_jobs")?,
            })
        })
    }
}

/// The body of [`Store::apply`], usable inside a larger transaction (the sync client commits a pulled
/// page together with its cursor).
pub(crate) fn apply_in(tx: &Transaction<'_>, batch: &ChangeBatch) -> Result<()> {
    organizations::upsert(tx, &batch.organizations)?;
    buildings::upsert(tx, &batch.buildings)?;
    listings::upsert(tx, &batch.listings)?;
    access::put_summaries(tx, &batch.building_summaries)?;
    listings::delete(tx, &batch.deleted_listings)?;
    access::delete_summaries(tx, &batch.deleted_summaries)?;
    access::delete_summaries(tx, &batch.deleted_buildings)?;
    buildings::delete(tx, &batch.deleted_buildings)?;
    organizations::delete(tx, &batch.deleted_organizations)?;
    Ok(())
}

fn lock<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>> {
    mutex.lock().map_err(|_| Error::Poisoned)
}

/// Ids as a JSON array, for `IN (SELECT value FROM json_each(?))`: one statement for a whole batch.
fn id_list(ids: &[Uuid]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!("[{}]", quoted.join(","))
}

#[cfg(test)]
pub(crate) mod tests;

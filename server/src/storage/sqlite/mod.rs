//! The SQLite backend: one writer connection behind a mutex, a small pool of read-only connections,
//! WAL, and numbered migrations applied by `PRAGMA user_version` in one immediate transaction.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::logic::{listing_search_text, Engine};
use super::sql::{params, Db, Tx};
use super::{Result, StorageError};
use teng_core::model::JobListing;

pub use super::logic::{
    AGGREGATE_SURVEYS, AGGREGATE_WINDOW, DEVICE_BUILDING_DAYS, DEVICE_BUILDING_REPORTS,
};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_web.sql"),
    include_str!("migrations/003_city.sql"),
    include_str!("migrations/004_city_inbox.sql"),
    include_str!("migrations/005_report_trust.sql"),
    include_str!("migrations/006_open311.sql"),
    include_str!("migrations/007_city_key.sql"),
    include_str!("migrations/008_snapshots.sql"),
];
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;
/// How long a connection waits for another's lock before the request fails with 503.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A SQLite database's files: the file itself and the write-ahead log and shared memory SQLite
/// keeps beside it.
pub fn database_files(path: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    ["", "-wal", "-shm"].into_iter().map(move |suffix| {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        PathBuf::from(file)
    })
}
const MAX_IDLE_READERS: usize = 8;

pub struct SqliteStorage {
    path: PathBuf,
    busy_timeout: Duration,
    writer: Mutex<Connection>,
    /// Writes waiting for (or holding) the writer; above [`MAX_QUEUED_WRITES`] new ones are
    /// refused with `Busy` (503 and Retry-After) instead of queueing without bound.
    queued_writes: std::sync::atomic::AtomicUsize,
    readers: Mutex<Vec<Connection>>,
    /// Reports one device may send about one building in [`DEVICE_BUILDING_DAYS`] days.
    device_building_reports: i64,
}

/// Writes allowed to wait for the single writer at once. Each waits on a blocking-pool thread, so
/// this also keeps a burst of writes from taking every thread reads need.
pub const MAX_QUEUED_WRITES: usize = 64;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic mid-transaction drops the transaction (rolled back), so the connection is still sound.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn configure(conn: &Connection, busy_timeout: Duration) -> rusqlite::Result<()> {
    conn.busy_timeout(busy_timeout)?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16000;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    // The city scope key (`storage::city::city_key`) in SQL: migration 007 fills
    // `buildings.city_key` with it, and scope clauses compare `city_key = teng_city_key(?)`.
    conn.create_scalar_function(
        "teng_city_key",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(ctx
                .get::<Option<String>>(0)?
                .map(|city| crate::storage::city::city_key(&city)))
        },
    )?;
    // Whether a stored summary says "not step-free" (`storage::city::summary_not_step_free`), for
    // migration 007 to fill `building_summaries.not_step_free`; writes set it from Rust.
    conn.create_scalar_function(
        "teng_not_step_free",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let body = ctx.get::<String>(0)?;
            // A summary this build cannot read is left "not known to be not step-free" rather
            // than failing the migration: the next recompute or daily refresh writes the flag.
            Ok(
                match serde_json::from_str::<teng_core::accessibility::BuildingSummary>(&body) {
                    Ok(summary) => crate::storage::city::summary_not_step_free(&summary),
                    Err(e) => {
                        tracing::warn!(error = %e, "a stored building summary could not be read");
                        false
                    }
                },
            )
        },
    )?;
    Ok(())
}

impl SqliteStorage {
    /// Opens (creating or upgrading) the database file.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, DEFAULT_BUSY_TIMEOUT)
    }

    pub fn open_with(path: &Path, busy_timeout: Duration) -> Result<Self> {
        let mut writer = Connection::open(path)?;
        configure(&writer, busy_timeout)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        migrate(&mut writer)?;
        backfill_search_text(&mut writer)?;
        Ok(SqliteStorage {
            path: path.to_path_buf(),
            busy_timeout,
            writer: Mutex::new(writer),
            queued_writes: std::sync::atomic::AtomicUsize::new(0),
            readers: Mutex::new(Vec::new()),
            device_building_reports: i64::from(DEVICE_BUILDING_REPORTS),
        })
    }

    /// Sets the per-device, per-building report cap (default [`DEVICE_BUILDING_REPORTS`]).
    pub fn with_device_building_reports(mut self, cap: u32) -> Self {
        self.device_building_reports = i64::from(cap.max(1));
        self
    }
}

impl Engine for SqliteStorage {
    fn write<T: Send>(&self, f: impl FnOnce(&Tx) -> Result<T> + Send) -> Result<T> {
        use std::sync::atomic::Ordering;
        let queued = self.queued_writes.fetch_add(1, Ordering::AcqRel);
        let _leave = QueueSlot(&self.queued_writes);
        if queued >= MAX_QUEUED_WRITES {
            return Err(StorageError::Busy);
        }
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Db::sqlite(&tx))?;
        tx.commit()?;
        Ok(out)
    }

    fn read<T: Send>(&self, f: impl FnOnce(&Db) -> Result<T> + Send) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI;
                let c = Connection::open_with_flags(&self.path, flags)?;
                configure(&c, self.busy_timeout)?;
                c
            }
        };
        let out = f(&Db::sqlite(&conn));
        // A reader left inside a transaction (after an error) is not reused.
        if conn.is_autocommit() {
            let mut idle = lock(&self.readers);
            if idle.len() < MAX_IDLE_READERS {
                idle.push(conn);
            }
        }
        out
    }

    fn device_building_reports(&self) -> i64 {
        self.device_building_reports
    }

    fn backup(&self, destination: &Path) -> Result<()> {
        if destination.exists() {
            return Err(StorageError::Duplicate(format!(
                "{} exists; choose a new file",
                destination.display()
            )));
        }
        // SQLite's online backup copies from a connection of its own (not a pooled reader).
        let src = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        configure(&src, self.busy_timeout)?;
        let mut dst = Connection::open(destination)?;
        let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
        backup.run_to_completion(1024, Duration::from_millis(5), None)?;
        Ok(())
    }
}

/// Leaves the write queue when dropped (also when the write fails or panics).
struct QueueSlot<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for QueueSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StorageError::Internal(format!(
            "the database has schema version {found}; this build knows up to {SCHEMA_VERSION}: update teng-server"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

/// Listings stored before schema version 2 get their folded search text (once; later writes keep it).
fn backfill_search_text(conn: &mut Connection) -> Result<()> {
    let raw = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let tx = Db::sqlite(&raw);
    let missing: Vec<(String, String)> = tx
        .prepare_cached("SELECT id, body FROM listings WHERE search_text IS NULL")?
        .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_>>()?;
    for (id, body) in missing {
        let listing: JobListing = serde_json::from_str(&body)?;
        tx.prepare_cached("UPDATE listings SET search_text = ?2 WHERE id = ?1")?
            .execute(params![id, listing_search_text(&listing)])?;
    }
    raw.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Reporter, Storage};
    use chrono::Utc;
    use teng_core::accessibility::AccessibilityReport;
    use teng_core::accessibility::{Facts, Feature, FeatureValue, Method, ReporterKind};
    use teng_core::model::Building;
    use uuid::Uuid;

    /// Migration 007 fills what it adds from rows an older server wrote: the city key (any
    /// spelling of the city), the district column, each report's features and the summaries'
    /// "not step-free" flag.
    #[test]
    fn migration_7_fills_its_columns_from_older_rows() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        // A summary body as a v7 server stores it, for a building with steps at its entrance.
        let steps = |building_id: Uuid| AccessibilityReport {
            id: Uuid::now_v7(),
            building_id,
            reporter: "phone".into(),
            reporter_kind: ReporterKind::Anonymous,
            observed_at: now,
            method: Method::Measured,
            facts: Facts::new().with(Feature::EntranceStepCount, FeatureValue::Count(3)),
            note: None,
        };
        let building = Uuid::now_v7();
        let body = format!(
            r#"{{"id":"{building}","name":"Hall","address":{{"street":"1 Chui","city":"БИШКЕК\u200b",
            "district":"Leninsky","region":"bishkek"}},"location":{{"lat":42.87,"lon":74.6}}}}"#
        );
        let summary = {
            let fresh = SqliteStorage::open(&dir.path().join("fresh.db")).unwrap();
            let b: Building = serde_json::from_str(&body).unwrap();
            fresh.create_building(&b, None, now).unwrap();
            let device = Uuid::new_v4();
            fresh.create_device(device, now).unwrap();
            fresh
                .submit_report(&steps(building), Reporter::Device(device), now)
                .unwrap();
            serde_json::to_string(&fresh.building_summary(building, now).unwrap()).unwrap()
        };

        let path = dir.path().join("old.db");
        let mut old = Connection::open(&path).unwrap();
        configure(&old, DEFAULT_BUSY_TIMEOUT).unwrap();
        let tx = old.transaction().unwrap();
        for sql in &MIGRATIONS[..6] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "user_version", 6).unwrap();
        tx.execute(
            "INSERT INTO buildings(id, region, city, lat, lon, body, version, updated_at)
             VALUES (?1, 'bishkek', ?2, 42.87, 74.6, ?3, 1, 0)",
            rusqlite::params![building.to_string(), "БИШКЕК\u{200b}", body],
        )
        .unwrap();
        let report = steps(building);
        tx.execute(
            "INSERT INTO reports(id, building_id, body, created_at) VALUES (?1, ?2, ?3, 0)",
            rusqlite::params![
                report.id.to_string(),
                building.to_string(),
                serde_json::to_string(&report).unwrap()
            ],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO building_summaries(building_id, body, updated_at) VALUES (?1, ?2, 0)",
            rusqlite::params![building.to_string(), summary],
        )
        .unwrap();
        tx.commit().unwrap();
        drop(old);

        SqliteStorage::open(&path).unwrap();
        let c = Connection::open(&path).unwrap();
        let (key, district): (String, Option<String>) = c
            .query_row("SELECT city_key, district FROM buildings", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            (key.as_str(), district.as_deref()),
            ("bishkek", Some("Leninsky"))
        );
        let features: String = c
            .query_row("SELECT features FROM reports", [], |r| r.get(0))
            .unwrap();
        assert_eq!(features, " entrance_step_count ");
        let flag: i64 = c
            .query_row("SELECT not_step_free FROM building_summaries", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(flag, 1);
    }
}

//! Opening the SQLite file: the one place that knows pragmas, schema versions and migrations.
//!
//! Migrations are numbered SQL files compiled into the binary. `user_version` holds the number of
//! migrations applied; opening runs the missing ones in one immediate transaction, so a crash mid-upgrade
//! leaves the old schema intact. A file from a newer build is refused rather than misread.

pub(crate) mod checkpoint;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_accessibility.sql"),
    include_str!("migrations/003_sync.sql"),
    include_str!("migrations/004_district.sql"),
    include_str!("migrations/005_summaries_apart.sql"),
    include_str!("migrations/006_report_status.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another's lock before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens the read-write connection, creating or upgrading the schema.
pub(crate) fn open_writer(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path).map_err(|e| open_error(path, e))?;
    configure(&conn, path)?;
    // WAL lets readers proceed while the writer commits; it is a property of the file, set once.
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| open_error(path, e))?;
    migrate(&mut conn, path, SCHEMA_VERSION)?;
    Ok(conn)
}

/// Opens the connection [`checkpoint::Checkpointer`] copies the WAL back with: read-write (a
/// checkpoint writes the database file), to a database the writer has already prepared.
pub(crate) fn open_checkpointer(path: &Path) -> Result<Connection> {
    open_prepared(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Opens a read-only connection to a database the writer has already prepared.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    open_prepared(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
}

/// A further connection to a database [`open_writer`] has created and migrated.
fn open_prepared(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    configure(&conn, path)?;
    Ok(conn)
}

/// Per-connection settings. NORMAL sync in WAL mode loses at most the last commits on power loss,
/// never consistency. Checkpoints run every 16 MB of WAL rather than 4 MB: each one rewrote pages
/// the next sync page dirtied again, and the WAL file is cut back to 16 MB afterwards. The store's
/// writer hands its checkpoints to a background thread (see [`checkpoint`]); the automatic
/// checkpoint set here is what remains when that thread cannot be started.
fn configure(conn: &Connection, path: &Path) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| open_error(path, e))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -8000;
         PRAGMA wal_autocheckpoint = 4000;
         PRAGMA journal_size_limit = 16777216;",
    )
    .map_err(|e| open_error(path, e))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Brings the schema up to `target` (the latest, except in tests that build old files).
pub(crate) fn migrate(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| open_error(path, e))?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| open_error(path, e))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(found as usize)
    {
        tx.execute_batch(sql).map_err(|e| open_error(path, e))?;
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .map_err(|e| open_error(path, e))?;
    }
    tx.commit().map_err(|e| open_error(path, e))?;
    Ok(())
}

pub(crate) fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Tells a damaged or foreign file apart from other failures, so the app can offer to rebuild it.
fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => Error::Open {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

//! `teng-server admin migrate --from teng.db --to postgres://…`: copies an SQLite database into
//! an empty PostgreSQL one, row for row, with every sync cursor preserved (the change log keeps
//! its `seq` numbers and the next one continues after the last handed out), so phones keep
//! syncing from where they were, without a resync.
//!
//! The copy reads one snapshot of the SQLite file (a read transaction), so it may run while the
//! SQLite server serves; what is written after that snapshot is not in the copy. Switch over by
//! stopping the SQLite server, copying, and starting the PostgreSQL ones (README, "PostgreSQL").

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::postgres::PostgresStorage;
use super::sql::{Db, Owned};
use super::sqlite::SqliteStorage;
use super::{Result, StorageError};

/// Tables in an order that satisfies their foreign keys.
const TABLES: &[&str] = &[
    "organizations",
    "buildings",
    "listings",
    "users",
    "devices",
    "tokens",
    "web_sessions",
    "saved_jobs",
    "open311_keys",
    "reports",
    "report_status_history",
    "building_summaries",
    "open311_requests",
    "changes",
    "applied_mutations",
    "meta",
    "snapshots",
    "snapshot_chunks",
];

/// Rows copied, per table.
pub type Copied = Vec<(&'static str, u64)>;

pub fn sqlite_to_postgres(from: &Path, to: &str) -> Result<Copied> {
    if !from.exists() {
        return Err(StorageError::NotFound("SQLite database file"));
    }
    // Brings the file to this build's schema first (a no-op when it is current).
    drop(SqliteStorage::open(from)?);
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    source.execute_batch("BEGIN DEFERRED")?;
    let target = PostgresStorage::open(to, Duration::from_secs(30))?;
    let copied = target.transaction(|pg| {
        let taken: i64 = pg.query_row(
            "SELECT (SELECT count(*) FROM changes) + (SELECT count(*) FROM users)",
            (),
            |r| r.get(0),
        )?;
        if taken > 0 {
            return Err(StorageError::InvalidState {
                field: "to",
                message: "the PostgreSQL database already holds data; copy into an empty one"
                    .into(),
            });
        }
        // The schema's own first rows (the sync floor) come from the copy instead.
        pg.execute("DELETE FROM meta", ())?;
        let mut copied = Vec::new();
        for table in TABLES {
            copied.push((*table, copy_table(&source, pg, table)?));
        }
        // The next seq continues after the last one the SQLite server handed out, pruned or not.
        let last_seq: i64 = source
            .query_row(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)",
                [],
                |r| r.get(0),
            )
            .map_err(StorageError::from)?;
        restart_identity(pg, "changes", "seq", last_seq)?;
        let last_history: i64 = source
            .query_row(
                "SELECT coalesce(max(id), 0) FROM report_status_history",
                [],
                |r| r.get(0),
            )
            .map_err(StorageError::from)?;
        restart_identity(pg, "report_status_history", "id", last_history)?;
        Ok(copied)
    })?;
    source.execute_batch("COMMIT")?;
    Ok(copied)
}

fn copy_table(source: &Connection, pg: &Db, table: &str) -> Result<u64> {
    let mut columns = Vec::new();
    {
        let mut info = source.prepare(&format!("PRAGMA table_info({table})"))?;
        let mut rows = info.query([])?;
        while let Some(row) = rows.next()? {
            columns.push(row.get::<_, String>(1)?);
        }
    }
    let list = columns.join(", ");
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let insert = format!(
        "INSERT INTO {table} ({list}) VALUES ({})",
        placeholders.join(", ")
    );
    let mut select = source.prepare(&format!("SELECT {list} FROM {table}"))?;
    let mut rows = select.query([])?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            use rusqlite::types::ValueRef;
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Owned::Null,
                ValueRef::Integer(v) => Owned::I64(v),
                ValueRef::Real(v) => Owned::F64(v),
                ValueRef::Text(t) => Owned::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Owned::Bytes(b.to_vec()),
            });
        }
        pg.prepare_cached(&insert)?.execute(&values)?;
        n += 1;
    }
    Ok(n)
}

fn restart_identity(pg: &Db, table: &str, column: &str, last: i64) -> Result<()> {
    let sql = if last > 0 {
        format!("SELECT setval(pg_get_serial_sequence('{table}', '{column}'), {last}, true)")
    } else {
        format!("SELECT setval(pg_get_serial_sequence('{table}', '{column}'), 1, false)")
    };
    pg.prepare_cached(&sql)?.exists(()).map(drop)
}

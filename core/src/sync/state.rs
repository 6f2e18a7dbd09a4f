//! What the phone remembers about sync (the `sync_state` table) and what it tells the UI.
//!
//! The cursor is written only by `apply::apply_page`, in the transaction of the page it came with.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::outbox;
use crate::error::{Error, Result};
use crate::store::time::{from_millis, to_millis};
use crate::store::Store;

pub(crate) const CURSOR: &str = "cursor";
pub(crate) const DEVICE_TOKEN: &str = "device_token";
pub(crate) const LAST_SUCCESS: &str = "last_success_at";
pub(crate) const LAST_ATTEMPT: &str = "last_attempt_at";
pub(crate) const LAST_ERROR: &str = "last_error";
/// Present while a full resync (after `410 resync_required`) is under way.
pub(crate) const RESYNC: &str = "resync";
/// Present while a first sync is taking a snapshot's chunks (`SyncClient::pull_snapshot`).
pub(crate) const SNAPSHOT: &str = "snapshot";

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)")?
        .execute(params![key, value])?;
    Ok(())
}

pub(crate) fn clear(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

pub(crate) fn cursor(conn: &Connection) -> Result<i64> {
    get(conn, CURSOR)?
        .map(|v| {
            v.parse()
                .map_err(|_| Error::BadStoredValue(format!("sync cursor {v:?}")))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

fn time(conn: &Connection, key: &str) -> Result<Option<DateTime<Utc>>> {
    get(conn, key)?
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| Error::BadStoredValue(format!("{key} {v:?}")))
                .and_then(from_millis)
        })
        .transpose()
}

pub(crate) fn set_time(conn: &Connection, key: &str, at: DateTime<Utc>) -> Result<()> {
    set(conn, key, &to_millis(at).to_string())
}

/// Where a running sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPhase {
    /// Sending the outbox.
    Pushing,
    /// Receiving pages of changes.
    Pulling,
}

/// Progress of a running sync, for a progress bar: `done` of `expected` (when the server said how many
/// changes it has; a first sync of the whole country is the long one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    /// Mutations pushed (pushing) or changes received and applied (pulling).
    pub done: u64,
    pub expected: Option<u64>,
}

/// Everything a status line needs: "Last synced 5 minutes ago · 2 actions not sent yet".
#[derive(Debug, Clone, PartialEq)]
pub struct SyncStatus {
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Why the last sync failed, if it did (cleared by the next success).
    pub last_error: Option<String>,
    /// Mutations not yet confirmed by the server.
    pub pending: u64,
    /// Rejected or conflicting mutations the user has not dismissed.
    pub problems: u64,
    /// Some progress while a sync runs, `None` otherwise.
    pub progress: Option<SyncProgress>,
    /// The server cursor the phone's catalogue is at (0: never synced).
    pub cursor: i64,
}

impl SyncStatus {
    pub fn is_running(&self) -> bool {
        self.progress.is_some()
    }
}

impl Store {
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let progress = *self.lock_sync_progress()?;
        self.read(|conn| {
            Ok(SyncStatus {
                last_success_at: time(conn, LAST_SUCCESS)?,
                last_attempt_at: time(conn, LAST_ATTEMPT)?,
                last_error: get(conn, LAST_ERROR)?,
                pending: outbox::count(conn)?,
                problems: outbox::problem_count(conn)?,
                progress,
                cursor: cursor(conn)?,
            })
        })
    }

    /// The anonymous device token this install syncs with, once it has registered. Apps keep a copy
    /// in the platform's key store, so a reinstall can [`Store::set_device_token`] and get the user's
    /// saved jobs back.
    pub fn device_token(&self) -> Result<Option<String>> {
        self.read(|conn| get(conn, DEVICE_TOKEN))
    }

    pub fn set_device_token(&self, token: &str) -> Result<()> {
        if token.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "token",
                reason: "the device token is empty".into(),
            });
        }
        self.write(|tx| set(tx, DEVICE_TOKEN, token.trim()))
    }
}

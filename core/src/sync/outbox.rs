//! The outbox: what the user did on this phone that the server has not confirmed, in order.
//!
//! Local writes enqueue their mutation in the same transaction as their effect (see `Store::save_job`,
//! `record_report`, `edit_listing`, `reopen_report`; a reopen's effect is the outbox row itself, shown
//! on top of the report's last pulled status). A mutation leaves the outbox only when the server answered for it:
//! applied or duplicate (done), rejected or conflict (done, kept as a [`SyncProblem`] for the user).
//! Anything else (no answer, a 5xx, a rate limit) leaves it queued, and the next sync sends it again
//! under the same id, which the server recognises.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::protocol::Mutation;
use crate::error::{Error, Result};
use crate::model::JobListing;
use crate::store::listings::parse_uuid as parse_id;
use crate::store::time::{from_millis, to_millis};
use crate::store::Store;

/// A queued mutation.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMutation {
    /// The idempotency key the server sees; the same on every retry.
    pub id: Uuid,
    pub mutation: Mutation,
    pub created_at: DateTime<Utc>,
    /// Pushes that ended without the server's answer for it.
    pub attempts: u32,
    pub last_error: Option<String>,
    /// Position in the queue (increasing).
    pub(crate) seq: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The server will never apply it as sent (e.g. the listing no longer exists, a text too long).
    Rejected,
    /// The record changed on the server since the user's copy: both versions are kept.
    Conflict,
}

impl ProblemKind {
    fn code(self) -> &'static str {
        match self {
            ProblemKind::Rejected => "rejected",
            ProblemKind::Conflict => "conflict",
        }
    }
}

/// A mutation the server refused or found stale, kept until the user dismisses it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncProblem {
    pub mutation_id: Uuid,
    pub kind: ProblemKind,
    /// The server's reason code (`not_found`, `forbidden`, `invalid`, ...), when it gave one.
    pub code: Option<String>,
    pub message: String,
    /// The field the server named, e.g. `note`.
    pub field: Option<String>,
    /// What this phone sent.
    pub local: Mutation,
    /// For a conflict: the server's current record.
    pub server: Option<serde_json::Value>,
    pub at: DateTime<Utc>,
}

impl SyncProblem {
    /// For a conflicting listing edit: the server's version, to show beside the user's.
    pub fn server_listing(&self) -> Option<JobListing> {
        self.server
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}

pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    mutation: &Mutation,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    tx.prepare_cached(
        "INSERT INTO outbox (id, op, target, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id.to_string(),
        mutation.op(),
        mutation.target().to_string(),
        to_json(mutation)?,
        to_millis(now)
    ])?;
    Ok(id)
}

/// Up to `limit` queued mutations after queue position `after`, oldest first.
pub(crate) fn batch(conn: &Connection, after: i64, limit: usize) -> Result<Vec<PendingMutation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, body, created_at, attempts, last_error FROM outbox
         WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (seq, id, body, created_at, attempts, last_error) = row?;
        Ok(PendingMutation {
            seq,
            id: parse_id(&id)?,
            mutation: from_json(&body)?,
            created_at: from_millis(created_at)?,
            attempts: attempts as u32,
            last_error,
        })
    })
    .collect()
}

pub(crate) fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?;
    Ok(n as u64)
}

/// The mutation is settled (the server answered for it): it leaves the queue.
pub(crate) fn remove(tx: &Transaction<'_>, id: Uuid) -> Result<()> {
    tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?
        .execute([id.to_string()])?;
    Ok(())
}

/// A push of these mutations ended without an answer for them; they stay queued.
pub(crate) fn note_failure(tx: &Transaction<'_>, ids: &[Uuid], error: &str) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
    )?;
    for id in ids {
        stmt.execute(params![id.to_string(), error])?;
    }
    Ok(())
}

/// After the server applied an edit of `listing_id` and gave it `version`, later queued edits of the
/// same listing (the user edited twice while offline) are edits on top of that version, not conflicts.
pub(crate) fn rebase_listing_edits(
    tx: &Transaction<'_>,
    listing_id: Uuid,
    version: i64,
) -> Result<()> {
    let mut select = tx.prepare_cached(
        "SELECT id, body FROM outbox WHERE target = ?1 AND op = 'update_listing'",
    )?;
    let queued: Vec<(String, String)> = select
        .query_map([listing_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare_cached("UPDATE outbox SET body = ?2 WHERE id = ?1")?;
    for (id, body) in queued {
        if let Mutation::UpdateListing {
            listing_id,
            mut listing,
        } = from_json(&body)?
        {
            listing.version = version;
            update.execute(params![
                id,
                to_json(&Mutation::UpdateListing {
                    listing_id,
                    listing
                })?
            ])?;
        }
    }
    Ok(())
}

/// Records that a listing the user edited was applied: the local copy takes the server's version.
pub(crate) fn set_local_listing_version(
    tx: &Transaction<'_>,
    listing_id: Uuid,
    version: i64,
) -> Result<()> {
    tx.prepare_cached("UPDATE listings SET version = ?2 WHERE id = ?1")?
        .execute(params![listing_id.to_string(), version])?;
    Ok(())
}

/// Records whose local state has a pending mutation on top: a pulled record of them must not
/// overwrite what the user did and the server has not seen yet.
#[derive(Debug, Default)]
pub(crate) struct PendingTargets {
    pub saved_jobs: HashSet<Uuid>,
    pub listing_edits: HashSet<Uuid>,
    /// Reports with a "still not fixed" waiting (shown on top of the pulled status).
    pub reopened_reports: HashSet<Uuid>,
}

pub(crate) fn pending_targets(conn: &Connection) -> Result<PendingTargets> {
    let mut targets = PendingTargets::default();
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT op, target FROM outbox
         WHERE op IN ('save_job', 'unsave_job', 'update_listing', 'reopen_report')",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (op, target) = row?;
        let target = parse_id(&target)?;
        match op.as_str() {
            "update_listing" => targets.listing_edits.insert(target),
            "reopen_report" => targets.reopened_reports.insert(target),
            _ => targets.saved_jobs.insert(target),
        };
    }
    Ok(targets)
}

/// Why the server would not apply a mutation, as it said it.
pub(crate) struct Refusal<'a> {
    pub kind: ProblemKind,
    pub code: Option<&'a str>,
    pub message: &'a str,
    pub field: Option<&'a str>,
    /// The server's current record, for a conflict.
    pub server: Option<&'a serde_json::Value>,
}

pub(crate) fn record_problem(
    tx: &Transaction<'_>,
    pending: &PendingMutation,
    refusal: &Refusal<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO sync_problems
             (mutation_id, op, target, kind, code, message, field, local, server, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        pending.id.to_string(),
        pending.mutation.op(),
        pending.mutation.target().to_string(),
        refusal.kind.code(),
        refusal.code,
        refusal.message,
        refusal.field,
        to_json(&pending.mutation)?,
        refusal.server.map(|s| s.to_string()),
        to_millis(now),
    ])?;
    Ok(())
}

pub(crate) fn problem_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sync_problems", [], |r| r.get(0))?;
    Ok(n as u64)
}

fn problems(conn: &Connection) -> Result<Vec<SyncProblem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT mutation_id, kind, code, message, field, local, server, at FROM sync_problems
         ORDER BY at DESC, mutation_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, i64>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (id, kind, code, message, field, local, server, at) = row?;
        Ok(SyncProblem {
            mutation_id: parse_id(&id)?,
            kind: if kind == "conflict" {
                ProblemKind::Conflict
            } else {
                ProblemKind::Rejected
            },
            code,
            message,
            field,
            local: from_json(&local)?,
            server: server
                .map(|s| serde_json::from_str(&s))
                .transpose()
                .map_err(|e| Error::BadStoredValue(format!("sync problem: {e}")))?,
            at: from_millis(at)?,
        })
    })
    .collect()
}

impl Store {
    /// What the user did offline that the server has not confirmed yet, oldest first.
    pub fn pending_mutations(&self) -> Result<Vec<PendingMutation>> {
        self.read(|conn| batch(conn, 0, usize::MAX >> 1))
    }

    /// Mutations the server refused or found in conflict, newest first, until dismissed.
    pub fn sync_problems(&self) -> Result<Vec<SyncProblem>> {
        self.read(problems)
    }

    /// The user has seen (and, for a conflict, resolved) a problem. Returns whether it existed.
    pub fn dismiss_sync_problem(&self, mutation_id: Uuid) -> Result<bool> {
        self.write(|tx| {
            Ok(tx
                .prepare_cached("DELETE FROM sync_problems WHERE mutation_id = ?1")?
                .execute([mutation_id.to_string()])?
                > 0)
        })
    }

    /// Whether a queued mutation concerns this record (a listing or a building), e.g. to show
    /// "not sent yet" beside it.
    pub fn has_pending(&self, target: Uuid) -> Result<bool> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT 1 FROM outbox WHERE target = ?1 LIMIT 1")?
                .query_row([target.to_string()], |_| Ok(()))
                .optional()?
                .is_some())
        })
    }
}

fn to_json(mutation: &Mutation) -> Result<String> {
    serde_json::to_string(mutation).map_err(|e| Error::BadStoredValue(format!("mutation: {e}")))
}

fn from_json(body: &str) -> Result<Mutation> {
    serde_json::from_str(body).map_err(|e| Error::BadStoredValue(format!("queued mutation: {e}")))
}

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::error::Result;
use crate::model::{SavedJob, Validate};

use super::time::{from_millis, to_millis};

pub(crate) fn save(
    tx: &Transaction<'_>,
    listing_id: Uuid,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SavedJob> {
    let candidate = SavedJob {
        listing_id,
        note: note.map(str::to_owned),
        saved_at: now,
    };
    candidate.validate()?;
    let id = listing_id.to_string();
    tx.prepare_cached(
        "INSERT INTO saved_jobs (listing_id, note, saved_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(listing_id) DO UPDATE SET note = excluded.note",
    )?
    .execute(params![id, candidate.note, to_millis(now)])?;
    let saved_at: i64 = tx
        .prepare_cached("SELECT saved_at FROM saved_jobs WHERE listing_id = ?1")?
        .query_row([&id], |r| r.get(0))?;
    Ok(SavedJob {
        saved_at: from_millis(saved_at)?,
        ..candidate
    })
}

pub(crate) fn unsave(tx: &Transaction<'_>, listing_id: Uuid) -> Result<bool> {
    let removed = tx
        .prepare_cached("DELETE FROM saved_jobs WHERE listing_id = ?1")?
        .execute([listing_id.to_string()])?;
    Ok(removed > 0)
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<SavedJob>> {
    let mut stmt = conn.prepare_cached(
        "SELECT listing_id, note, saved_at FROM saved_jobs ORDER BY saved_at DESC, listing_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (id, note, saved_at) = row?;
        Ok(SavedJob {
            listing_id: super::listings::parse_uuid(&id)?,
            note,
            saved_at: from_millis(saved_at)?,
        })
    })
    .collect()
}

/// A saved job as the server has it (pulled): its note and time replace the local ones.
pub(crate) fn put(tx: &Transaction<'_>, job: &SavedJob) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO saved_jobs (listing_id, note, saved_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        job.listing_id.to_string(),
        job.note,
        to_millis(job.saved_at)
    ])?;
    Ok(())
}

pub(super) fn is_saved(conn: &Connection, listing_id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM saved_jobs WHERE listing_id = ?1")?
        .query_row([listing_id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

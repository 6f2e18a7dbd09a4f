//! First-sync snapshots in storage: a generation's chunks are stored in one transaction, and the
//! generations before the newest [`KEEP_GENERATIONS`] are dropped with it.

use crate::storage::sql::{params, Db, OptionalExtension, Tx};
use uuid::Uuid;

use super::{from_ms, ms};
use crate::storage::snapshot::{
    chunk_url, ChunkRef, Manifest, NewSnapshot, StoredChunk, KEEP_GENERATIONS,
};
use crate::storage::Result;

/// Stores `snapshot` as the next generation; returns its number, or `None` if the newest stored
/// generation reaches as far (two processes built one at the same time: one is enough).
pub(super) fn put(tx: &Tx, snapshot: &NewSnapshot) -> Result<Option<i64>> {
    // One process at a time numbers a generation (on SQLite, writers are one at a time anyway).
    tx.lock_key("snapshots")?;
    let (newest, reaches): (i64, i64) = tx.query_row(
        "SELECT coalesce(max(generation), 0), coalesce(max(seq), 0) FROM snapshots",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if newest > 0 && reaches >= snapshot.seq {
        return Ok(None);
    }
    let generation = newest + 1;
    let records: i64 = snapshot.chunks.iter().map(|c| i64::from(c.records)).sum();
    tx.execute(
        "INSERT INTO snapshots(generation, seq, records, built_at) VALUES (?1, ?2, ?3, ?4)",
        params![generation, snapshot.seq, records, ms(snapshot.built_at)],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO snapshot_chunks(generation, n, since, next, records, etag, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (n, chunk) in snapshot.chunks.iter().enumerate() {
        insert.execute(params![
            generation,
            n as i64,
            chunk.since,
            chunk.next,
            chunk.records,
            chunk.etag,
            chunk.gzip
        ])?;
    }
    // Foreign keys are on, so the chunks go with their generation.
    tx.execute(
        "DELETE FROM snapshots WHERE generation <= ?1",
        [generation - KEEP_GENERATIONS],
    )?;
    Ok(Some(generation))
}

pub(super) fn manifest(c: &Db, device: Option<Uuid>) -> Result<Option<Manifest>> {
    let head: Option<(i64, i64, i64, i64)> = c
        .prepare_cached(
            "SELECT generation, seq, records, built_at FROM snapshots
             ORDER BY generation DESC LIMIT 1",
        )?
        .query_row((), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((generation, seq, records, built_at)) = head else {
        return Ok(None);
    };
    let chunks = c
        .prepare_cached(
            "SELECT n, since, next, records, length(body), etag FROM snapshot_chunks
             WHERE generation = ?1 ORDER BY n",
        )?
        .query_map([generation], |r| {
            let n: u32 = r.get(0)?;
            Ok(ChunkRef {
                n,
                since: r.get(1)?,
                next: r.get(2)?,
                records: r.get(3)?,
                bytes: r.get::<i64>(4)? as u64,
                etag: r.get(5)?,
                url: chunk_url(generation, n),
            })
        })?
        .collect::<Result<Vec<_>>>()?;
    let private_from = match device {
        Some(d) => c
            .prepare_cached("SELECT min(seq) FROM changes WHERE device_id = ?1")?
            .query_row([d.to_string()], |r| r.get(0))?,
        None => None,
    };
    Ok(Some(Manifest {
        generation,
        seq,
        records: records as u64,
        built_at: from_ms(built_at),
        private_from,
        chunks,
    }))
}

pub(super) fn chunk(c: &Db, generation: i64, n: u32) -> Result<Option<StoredChunk>> {
    c.prepare_cached("SELECT body, etag FROM snapshot_chunks WHERE generation = ?1 AND n = ?2")?
        .query_row(params![generation, n], |r| {
            Ok(StoredChunk {
                gzip: r.get(0)?,
                etag: r.get(1)?,
            })
        })
        .optional()
}

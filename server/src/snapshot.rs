//! First sync from snapshot chunks (docs/sync-protocol.md "First sync from a snapshot").
//!
//! When thousands of phones install the app in one week, each of them pulls the same first pages.
//! A snapshot records those pages once: [`build`] pulls the public view from cursor 0 page by
//! page, exactly as a phone without private records would, and stores each page gzip-compressed as
//! an immutable chunk. Phones (and any cache between them and the server) then fetch the same bytes
//! under the same ETag, resuming a cut download with `Range`, and pull from the snapshot's cursor
//! on. Because the chunks are pull pages, a phone that stops using them anywhere can go on with
//! ordinary pulls from its cursor: the protocol's guarantees are the pull's.
//!
//! [`ChunkCache`] keeps the chunks a process served in memory; they never change, so it needs no
//! invalidation, only a bound.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::storage::snapshot::{NewChunk, NewSnapshot, StoredChunk, KEEP_GENERATIONS};
use crate::storage::{Storage, StorageError, DAILY_JOB_EVERY};

/// Entries per chunk: the pull's default page, so a chunk costs a phone what a page would.
pub const CHUNK_RECORDS: usize = 500;

/// Builds and stores a new snapshot, unless the newest one already holds every public change.
/// Returns the new generation, or `None` when nothing was stored (up to date, or no public data).
pub fn build(storage: &dyn Storage, now: DateTime<Utc>) -> Result<Option<i64>, StorageError> {
    if let Some(newest) = storage.snapshot_manifest(None)? {
        match storage.pull(newest.seq, 1, None, false) {
            Ok(after) if after.changes.is_empty() => return Ok(None),
            // Changed since, or restored from an older backup (the cursor is past the log).
            Ok(_) | Err(StorageError::Resync { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let mut chunks = Vec::new();
    let mut since = 0;
    loop {
        let mut page = storage.pull(since, CHUNK_RECORDS, None, false)?;
        if page.changes.is_empty() && chunks.is_empty() {
            return Ok(None);
        }
        let last = !page.has_more;
        // The server will have moved on by the time a phone reads a chunk: every chunk asks for a
        // pull after it, the last one included.
        page.has_more = true;
        page.remaining = None;
        let json = serde_json::to_vec(&page)?;
        let gzip = compress(&json)?;
        chunks.push(NewChunk {
            since,
            next: page.next,
            records: page.changes.len() as u32,
            etag: etag_of(&gzip),
            gzip,
        });
        since = page.next;
        if last {
            break;
        }
    }
    storage.put_snapshot(&NewSnapshot {
        seq: since,
        built_at: now,
        chunks,
    })
}

/// [`build`] at a process's start, unless a snapshot was stored within [`DAILY_JOB_EVERY`] (the
/// daily job builds the next). Several processes starting at once, or one after another in a
/// rolling restart, would each store a generation; only the newest two are kept, so phones
/// halfway through the chunks of a dropped one would have to pull instead.
pub fn build_unless_recent(
    storage: &dyn Storage,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StorageError> {
    if let Some(newest) = storage.snapshot_manifest(None)? {
        if now - newest.built_at < DAILY_JOB_EVERY {
            return Ok(None);
        }
    }
    build(storage, now)
}

/// Built once and served many times: the best compression is worth its CPU here.
fn compress(json: &[u8]) -> Result<Vec<u8>, StorageError> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(json)
        .and_then(|()| encoder.finish())
        .map_err(|e| StorageError::Internal(format!("compressing a snapshot chunk: {e}")))
}

/// A strong validator of the bytes: the same chunk has the same ETag on every process.
fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// A chunk as served: its gzip bytes and ETag.
#[derive(Debug)]
pub struct CachedChunk {
    pub gzip: Bytes,
    pub etag: String,
}

impl From<StoredChunk> for CachedChunk {
    fn from(stored: StoredChunk) -> Self {
        CachedChunk {
            gzip: Bytes::from(stored.gzip),
            etag: stored.etag,
        }
    }
}

/// Chunks this process has served, by (generation, n). Holds the kept generations at most, and
/// at most [`ChunkCache::MAX_CHUNKS`] chunks (about 50 MB of gzip at 500 listings a chunk).
#[derive(Default)]
pub struct ChunkCache {
    chunks: RwLock<HashMap<(i64, u32), Arc<CachedChunk>>>,
}

impl ChunkCache {
    pub const MAX_CHUNKS: usize = 1_000;

    pub fn get(&self, generation: i64, n: u32) -> Option<Arc<CachedChunk>> {
        let chunks = self.chunks.read().unwrap_or_else(|e| e.into_inner());
        chunks.get(&(generation, n)).cloned()
    }

    pub fn insert(&self, generation: i64, n: u32, chunk: CachedChunk) -> Arc<CachedChunk> {
        let chunk = Arc::new(chunk);
        let mut chunks = self.chunks.write().unwrap_or_else(|e| e.into_inner());
        // Generations older than the kept ones are gone from storage: drop them here too.
        chunks.retain(|(g, _), _| *g > generation - KEEP_GENERATIONS);
        if chunks.len() >= Self::MAX_CHUNKS {
            chunks.clear();
        }
        chunks.insert((generation, n), Arc::clone(&chunk));
        chunk
    }
}

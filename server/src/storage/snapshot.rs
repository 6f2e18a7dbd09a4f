//! What first-sync snapshots (`crate::snapshot`, docs/sync-protocol.md "First sync from a
//! snapshot") ask of storage: chunks kept by generation, and the manifest that lists them.
//!
//! A chunk is a pull page recorded once: the public view (no device's private rows) from `since`
//! to `next`, as JSON, gzip-compressed. Chunks never change once stored, so every process serves
//! the same bytes under the same ETag, and a cache may keep them for good.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A snapshot being stored: its chunks in order (chunk `n`'s `since` is chunk `n - 1`'s `next`).
#[derive(Debug, Clone)]
pub struct NewSnapshot {
    /// The cursor after the last chunk: everything committed up to it is in the chunks.
    pub seq: i64,
    pub built_at: DateTime<Utc>,
    pub chunks: Vec<NewChunk>,
}

#[derive(Debug, Clone)]
pub struct NewChunk {
    pub since: i64,
    pub next: i64,
    /// Entries in the page.
    pub records: u32,
    /// The page's JSON, gzip-compressed.
    pub gzip: Vec<u8>,
    /// A strong validator of `gzip` (quoted, as the ETag header carries it).
    pub etag: String,
}

/// The newest stored snapshot, as `GET /v1/sync/snapshot` answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Manifest {
    /// Increases with every snapshot stored; part of every chunk's address.
    pub generation: i64,
    /// The cursor after the last chunk; pull from here once the chunks are applied.
    pub seq: i64,
    /// Entries in all chunks.
    pub records: u64,
    pub built_at: DateTime<Utc>,
    /// The calling device's oldest private change (its saved jobs, its reports' statuses), when
    /// it has one. The chunks hold only public records: a client uses a chunk only if its `next`
    /// is below this, and pulls from there on.
    pub private_from: Option<i64>,
    pub chunks: Vec<ChunkRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChunkRef {
    pub n: u32,
    /// The pull cursor the chunk starts after; applying it moves the cursor to `next`.
    pub since: i64,
    pub next: i64,
    pub records: u32,
    /// Size of the gzip-compressed chunk (what a download of it with `Accept-Encoding: gzip` brings).
    pub bytes: u64,
    pub etag: String,
    /// Where to get it, relative to the server's base address.
    pub url: String,
}

/// One stored chunk's bytes.
#[derive(Debug, Clone)]
pub struct StoredChunk {
    pub gzip: Vec<u8>,
    pub etag: String,
}

/// Snapshots kept: the newest and the one before, so a phone that fetched the manifest just before
/// a new snapshot was stored can still finish the chunks it was given.
pub const KEEP_GENERATIONS: i64 = 2;

/// A chunk's address.
pub fn chunk_url(generation: i64, n: u32) -> String {
    format!("/v1/sync/snapshot/{generation}/{n}")
}

-- First-sync snapshots (docs/sync-protocol.md "First sync from a snapshot"): pull pages of the
-- public view recorded once, gzip-compressed, served as immutable chunks a cache can keep.

CREATE TABLE snapshots (
    generation  INTEGER PRIMARY KEY,
    -- The cursor after the last chunk.
    seq         INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    built_at    INTEGER NOT NULL
);

CREATE TABLE snapshot_chunks (
    generation  INTEGER NOT NULL REFERENCES snapshots(generation) ON DELETE CASCADE,
    n           INTEGER NOT NULL,
    since       INTEGER NOT NULL,
    next        INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    etag        TEXT NOT NULL,
    body        BLOB NOT NULL,
    PRIMARY KEY (generation, n)
) WITHOUT ROWID;

-- A device's oldest private change (the manifest's private_from) in one probe.
CREATE INDEX changes_device ON changes(device_id, seq) WHERE device_id IS NOT NULL;

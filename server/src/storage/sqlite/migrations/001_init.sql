-- teng-server schema, version 1. Times are integer milliseconds UTC; ids are UUID text;
-- record bodies are the JSON wire form, with the columns queries filter on copied beside them.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE buildings (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT REFERENCES organizations(id),
    region           TEXT NOT NULL,
    city             TEXT NOT NULL,
    lat              REAL NOT NULL,
    lon              REAL NOT NULL,
    body             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX buildings_city ON buildings(region, city);

CREATE TABLE listings (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    status           TEXT NOT NULL,
    body             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX listings_org ON listings(organization_id, id);
CREATE INDEX listings_status ON listings(status, id);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash    TEXT NOT NULL,
    role             TEXT NOT NULL,
    organization_id  TEXT REFERENCES organizations(id),
    city             TEXT,
    created_at       INTEGER NOT NULL
);

CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL
);

-- Bearer tokens: only the SHA-256 of the token is stored. Exactly one of user_id / device_id is set.
CREATE TABLE tokens (
    hash        BLOB PRIMARY KEY,
    user_id     TEXT REFERENCES users(id),
    device_id   TEXT REFERENCES devices(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    CHECK ((user_id IS NULL) <> (device_id IS NULL))
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE saved_jobs (
    device_id   TEXT NOT NULL REFERENCES devices(id),
    listing_id  TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (device_id, listing_id)
) WITHOUT ROWID;

CREATE TABLE reports (
    id                 TEXT PRIMARY KEY,
    building_id        TEXT NOT NULL REFERENCES buildings(id),
    device_id          TEXT REFERENCES devices(id),
    user_id            TEXT REFERENCES users(id),
    body               TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    status             TEXT NOT NULL DEFAULT 'open',
    status_note        TEXT,
    status_updated_at  INTEGER,
    status_updated_by  TEXT
);
CREATE INDEX reports_building ON reports(building_id, created_at);
CREATE INDEX reports_status ON reports(status, created_at);

CREATE TABLE building_summaries (
    building_id  TEXT PRIMARY KEY REFERENCES buildings(id),
    body         TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- The sync cursor: one row per change, written in the same transaction as the change. Rows with a
-- device_id are private to that device (its saved jobs). Commit order equals seq order because SQLite
-- has one writer at a time.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    op         TEXT NOT NULL,
    device_id  TEXT,
    at         INTEGER NOT NULL
);
CREATE INDEX changes_record ON changes(kind, record_id, device_id);

-- Push idempotency: (device, mutation id) recorded in the same transaction as the mutation's effect.
CREATE TABLE applied_mutations (
    device_id    TEXT NOT NULL,
    mutation_id  TEXT NOT NULL,
    result       TEXT NOT NULL,
    applied_at   INTEGER NOT NULL,
    PRIMARY KEY (device_id, mutation_id)
) WITHOUT ROWID;

-- Small settings; 'sync_floor' is the oldest cursor still served (raised when change rows are pruned).
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('sync_floor', '0');

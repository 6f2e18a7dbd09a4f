-- Teng phone-side schema, version 3: the sync client's state.

-- What the user did on this phone that the server has not confirmed yet, in the order they did it.
-- Written in the same transaction as the local effect (a saved job, a report, a listing edit), so the
-- screen and the queue never disagree. `id` is the mutation id the server keys its receipts on: it is
-- generated once and reused on every retry, so a resent mutation is never applied twice.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,           -- mutation UUID
    op          TEXT NOT NULL,                  -- save_job, unsave_job, submit_report, update_listing
    target      TEXT NOT NULL,                  -- the listing or building the mutation is about
    body        TEXT NOT NULL,                  -- the mutation as pushed (JSON)
    created_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,     -- pushes that ended without an answer for it
    last_error  TEXT
);
-- A pulled record whose target has a pending mutation keeps the local effect (see sync::apply).
CREATE INDEX outbox_by_target ON outbox(target);

-- Facts about sync as key/value pairs: the pull cursor, the device token, last success and error.
-- The cursor changes only in the transaction that applies the page it came with.
CREATE TABLE sync_state (
    key         TEXT PRIMARY KEY NOT NULL,
    value       TEXT NOT NULL
) WITHOUT ROWID;

-- Mutations the server refused (rejected) or found stale (conflict), kept for the user to see until
-- dismissed. `local` is what the phone sent; `server` the server's current record for a conflict.
CREATE TABLE sync_problems (
    mutation_id TEXT PRIMARY KEY NOT NULL,
    op          TEXT NOT NULL,
    target      TEXT NOT NULL,
    kind        TEXT NOT NULL,                  -- rejected | conflict
    code        TEXT,
    message     TEXT NOT NULL,
    field       TEXT,
    local       TEXT NOT NULL,
    server      TEXT,
    at          INTEGER NOT NULL
) WITHOUT ROWID;

-- Listings pulled before the organization or building they name has arrived (the server sends a
-- record's current state, which may refer to something in a later page). Applied as soon as it has.
CREATE TABLE sync_deferred (
    listing_id  TEXT PRIMARY KEY NOT NULL,
    record      TEXT NOT NULL
) WITHOUT ROWID;

-- Public records received during a full resync (after `410 resync_required`); what is not among them
-- when the resync ends was deleted on the server while this phone was away too long, and goes.
CREATE TABLE sync_resync_seen (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

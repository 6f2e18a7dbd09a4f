-- Teng phone-side schema, version 1.
-- Times are integer milliseconds since the Unix epoch (UTC). Enum columns hold the stable codes of
-- teng_core::model. Sets of enum values are bit masks in declaration order (see model::codes::BitSet).

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY NOT NULL,      -- UUID
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    phone       TEXT,
    email       TEXT,
    website     TEXT,
    verified    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE buildings (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    street      TEXT NOT NULL,
    city        TEXT NOT NULL,
    region      TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    osm_id      TEXT
) WITHOUT ROWID;

-- A listing is split in two tables sharing the rowid (which also keys the full-text index; `id` is
-- the public UUID). `listings` holds only what search filters and sorts read, so loading them into
-- memory (search::facets) touches few pages; `listing_details` holds the texts, read for one page of
-- hits at a time.
-- organization_id and building_id are checked by store/listings.rs, not by SQLite foreign keys, and
-- have no index: every secondary index costs a random page write per listing in a sync page (the
-- batch upsert rate fell by 40% with them), while the lookups they would serve (an organization
-- deleted or renamed, a building moved or deleted) are rare and done as one scan per batch.
CREATE TABLE listings (
    rowid           INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL,
    building_id     TEXT,
    category        TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    work_mode       TEXT NOT NULL,
    city_key        TEXT NOT NULL,              -- search::text::fold(city), for the city filter
    region          TEXT NOT NULL,
    salary_monthly  INTEGER,                    -- Salary::monthly_upper(), for filter and sort
    accommodations  INTEGER NOT NULL,           -- bit mask of Accommodation
    languages       INTEGER NOT NULL,           -- bit mask of WorkLanguage
    posted_at       INTEGER NOT NULL,
    valid_through   INTEGER,
    status          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    -- Copied from the building so distance search needs no join; kept in step by building upserts.
    lat             REAL,
    lon             REAL
);

CREATE TABLE listing_details (
    rowid           INTEGER PRIMARY KEY,        -- = listings.rowid
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    city            TEXT NOT NULL,
    salary_min      INTEGER,
    salary_max      INTEGER,
    salary_period   TEXT,
    apply_via       TEXT NOT NULL               -- JSON array of ApplyMethod
);

-- No indexes on search columns: search filters and orders in memory (search::facets), and every
-- index would cost a random page write per listing in each sync page.

-- Contentless: the text lives in `listings`; the index holds only folded terms (see search::text).
-- No prefix indexes: measured, they tripled insert cost while prefix queries ran as fast without.
-- Full detail (positions) is kept because bm25 needs per-column hit counts to rank titles first.
CREATE VIRTUAL TABLE listing_fts USING fts5(
    title, body, org, place,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii'
);

-- The user's own list. No foreign key: a saved job outlives its listing, so the user sees it closed.
CREATE TABLE saved_jobs (
    listing_id  TEXT PRIMARY KEY NOT NULL,
    note        TEXT,
    saved_at    INTEGER NOT NULL
) WITHOUT ROWID;
-- Merge index segments less eagerly than the default (4): sync pages insert in bursts, and merging
-- after every few pages was a tenth of the batch upsert time. Queries read a few more segments.
INSERT INTO listing_fts (listing_fts, rank) VALUES ('automerge', 16);

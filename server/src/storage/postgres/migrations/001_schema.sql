-- teng-server on PostgreSQL, schema version 1: the SQLite schema at its version 8
-- (storage/sqlite/migrations), written for PostgreSQL in one file, since a PostgreSQL database
-- starts empty (`admin migrate` copies an SQLite one in). Times are integer milliseconds UTC; ids
-- are UUID text; record bodies are the JSON wire form as TEXT (passed through byte for byte, as
-- jsonb would not), with the columns queries filter on copied beside them.

-- SQLite's NOCASE, as a collation: usernames and API key names compare without case.
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE buildings (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT REFERENCES organizations(id),
    region           TEXT NOT NULL,
    city             TEXT NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    body             TEXT NOT NULL,
    version          BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    city_key         TEXT NOT NULL DEFAULT '',
    district         TEXT
);
CREATE INDEX buildings_city ON buildings(region, city);
CREATE INDEX buildings_city_key ON buildings(city_key);
CREATE INDEX buildings_location ON buildings(lat, lon);

CREATE TABLE listings (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    status           TEXT NOT NULL,
    body             TEXT NOT NULL,
    version          BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    search_text      TEXT
);
CREATE INDEX listings_org ON listings(organization_id, id);
CREATE INDEX listings_status ON listings(status, id);
CREATE INDEX listings_org_posted ON listings(organization_id, updated_at);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT COLLATE nocase NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    role             TEXT NOT NULL,
    organization_id  TEXT REFERENCES organizations(id),
    city             TEXT,
    created_at       BIGINT NOT NULL
);

CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL
);

CREATE TABLE tokens (
    hash        BYTEA PRIMARY KEY,
    user_id     TEXT REFERENCES users(id),
    device_id   TEXT REFERENCES devices(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT,
    CHECK ((user_id IS NULL) <> (device_id IS NULL))
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE web_sessions (
    hash        BYTEA PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);

CREATE TABLE saved_jobs (
    device_id   TEXT NOT NULL REFERENCES devices(id),
    listing_id  TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (device_id, listing_id)
);
CREATE INDEX saved_jobs_listing ON saved_jobs(listing_id);

CREATE TABLE open311_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT COLLATE nocase NOT NULL,
    hash        BYTEA NOT NULL UNIQUE,
    city        TEXT,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE UNIQUE INDEX open311_keys_live_name ON open311_keys(name) WHERE revoked_at IS NULL;

CREATE TABLE reports (
    id                 TEXT PRIMARY KEY,
    building_id        TEXT NOT NULL REFERENCES buildings(id),
    device_id          TEXT REFERENCES devices(id),
    user_id            TEXT REFERENCES users(id),
    body               TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'open',
    status_note        TEXT,
    status_updated_at  BIGINT,
    status_updated_by  TEXT,
    status_lang        TEXT,
    hidden_at          BIGINT,
    hidden_reason      TEXT,
    hidden_by          TEXT REFERENCES users(id),
    api_key_id         TEXT REFERENCES open311_keys(id),
    open311_indexed    BOOLEAN,
    features           TEXT NOT NULL DEFAULT ' '
);
CREATE INDEX reports_building ON reports(building_id, created_at);
CREATE INDEX reports_status ON reports(status, created_at);
CREATE INDEX reports_device ON reports(device_id) WHERE device_id IS NOT NULL;
CREATE INDEX reports_received ON reports(created_at, id);
CREATE INDEX reports_device_building ON reports(device_id, building_id, created_at)
    WHERE device_id IS NOT NULL;
CREATE INDEX reports_building_surveys ON reports(building_id, created_at)
    WHERE user_id IS NOT NULL AND hidden_at IS NULL;
CREATE INDEX reports_open311_pending ON reports(created_at) WHERE open311_indexed IS NULL;

-- The features a report speaks of, as " code code " (SQLite's trigger reports_features).
CREATE FUNCTION teng_report_features() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.features := coalesce(
        (SELECT ' ' || string_agg(key, ' ') || ' '
           FROM json_object_keys(CAST(NEW.body AS json) -> 'facts') AS key), ' ');
    RETURN NEW;
END $$;
CREATE TRIGGER reports_features BEFORE INSERT ON reports
    FOR EACH ROW EXECUTE FUNCTION teng_report_features();

CREATE TABLE report_status_history (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id),
    status     TEXT NOT NULL,
    note       TEXT,
    lang       TEXT,
    by_kind    TEXT NOT NULL CHECK (by_kind IN ('city', 'reporter')),
    by_user    TEXT REFERENCES users(id),
    at         BIGINT NOT NULL
);
CREATE INDEX report_status_history_report ON report_status_history(report_id, id);
CREATE INDEX report_status_history_first ON report_status_history(report_id, by_kind, at);

CREATE FUNCTION teng_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'report status history is append-only';
END $$;
CREATE TRIGGER report_status_history_no_change BEFORE UPDATE OR DELETE ON report_status_history
    FOR EACH ROW EXECUTE FUNCTION teng_append_only();
CREATE TRIGGER report_status_history_no_truncate BEFORE TRUNCATE ON report_status_history
    FOR EACH STATEMENT EXECUTE FUNCTION teng_append_only();

CREATE TABLE building_summaries (
    building_id    TEXT PRIMARY KEY REFERENCES buildings(id),
    body           TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    not_step_free  BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE open311_requests (
    report_id     TEXT NOT NULL REFERENCES reports(id),
    service_code  TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    closed        BOOLEAN NOT NULL,
    hidden        BOOLEAN NOT NULL,
    PRIMARY KEY (report_id, service_code)
);
CREATE INDEX open311_requests_received ON open311_requests(received_at);
CREATE INDEX open311_requests_service ON open311_requests(service_code, received_at);
CREATE INDEX open311_requests_closed ON open311_requests(closed, received_at);

-- `resolved` and `not_responsible` are closed (SQLite's trigger open311_requests_follow_report).
CREATE FUNCTION teng_open311_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE open311_requests
       SET closed = (NEW.status IN ('resolved', 'not_responsible')),
           hidden = (NEW.hidden_at IS NOT NULL)
     WHERE report_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER open311_requests_follow_report AFTER UPDATE OF status, hidden_at ON reports
    FOR EACH ROW EXECUTE FUNCTION teng_open311_follow();

-- The sync cursor. Numbers are handed out one at a time (CACHE 1) to the transaction that holds
-- the change-log lock (docs/sync-protocol.md, "The cursor on PostgreSQL"), so seq order is
-- commit order, as on SQLite.
CREATE TABLE changes (
    seq        BIGINT GENERATED BY DEFAULT AS IDENTITY (CACHE 1) PRIMARY KEY,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    op         TEXT NOT NULL,
    device_id  TEXT,
    at         BIGINT NOT NULL
);
CREATE INDEX changes_record ON changes(kind, record_id, device_id);
CREATE INDEX changes_device ON changes(device_id, seq) WHERE device_id IS NOT NULL;

CREATE TABLE applied_mutations (
    device_id    TEXT NOT NULL,
    mutation_id  TEXT NOT NULL,
    result       TEXT NOT NULL,
    applied_at   BIGINT NOT NULL,
    PRIMARY KEY (device_id, mutation_id)
);

CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('sync_floor', '0');

CREATE TABLE snapshots (
    generation  BIGINT PRIMARY KEY,
    seq         BIGINT NOT NULL,
    records     BIGINT NOT NULL,
    built_at    BIGINT NOT NULL
);

CREATE TABLE snapshot_chunks (
    generation  BIGINT NOT NULL REFERENCES snapshots(generation) ON DELETE CASCADE,
    n           BIGINT NOT NULL,
    since       BIGINT NOT NULL,
    next        BIGINT NOT NULL,
    records     BIGINT NOT NULL,
    etag        TEXT NOT NULL,
    body        BYTEA NOT NULL,
    PRIMARY KEY (generation, n)
);

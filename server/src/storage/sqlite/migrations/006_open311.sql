-- Open311 GeoReport v2 (issue 13, docs/open311.md): API keys of external systems, and the index of
-- service requests (one per problem a report speaks of) that GET requests.{xml,json} pages over.

-- An external system's key: only its SHA-256 is kept (as for bearer tokens). Revoked keys stay, so
-- the reports they sent keep naming their key; one live key per name.
CREATE TABLE open311_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    hash        BLOB NOT NULL UNIQUE,
    -- When set, the key reports about buildings in this city only.
    city        TEXT,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE UNIQUE INDEX open311_keys_live_name ON open311_keys(name COLLATE NOCASE)
    WHERE revoked_at IS NULL;

-- The key a report came in with (external systems' reports only).
ALTER TABLE reports ADD COLUMN api_key_id TEXT REFERENCES open311_keys(id);
-- NULL until the report's service requests are in open311_requests (set by the catch-up in
-- storage/sqlite/open311.rs; a report's facts never change, so once is enough).
ALTER TABLE reports ADD COLUMN open311_indexed INTEGER;
CREATE INDEX reports_open311_pending ON reports(created_at) WHERE open311_indexed IS NULL;

-- One row per (report, service): `closed` and `hidden` mirror the report's current status and
-- hiding (the trigger below keeps them), so every filter of GET requests runs on this table.
CREATE TABLE open311_requests (
    report_id     TEXT NOT NULL REFERENCES reports(id),
    service_code  TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    closed        INTEGER NOT NULL,
    hidden        INTEGER NOT NULL,
    PRIMARY KEY (report_id, service_code)
) WITHOUT ROWID;
CREATE INDEX open311_requests_received ON open311_requests(received_at);
CREATE INDEX open311_requests_service ON open311_requests(service_code, received_at);
CREATE INDEX open311_requests_closed ON open311_requests(closed, received_at);

-- `resolved` and `not_responsible` are closed (IssueStatus::is_open, checked by a test).
CREATE TRIGGER open311_requests_follow_report AFTER UPDATE OF status, hidden_at ON reports
BEGIN
    UPDATE open311_requests
       SET closed = (NEW.status IN ('resolved', 'not_responsible')),
           hidden = (NEW.hidden_at IS NOT NULL)
     WHERE report_id = NEW.id;
END;

-- A POST with coordinates attaches to the nearest building: a bounding box on this index.
CREATE INDEX buildings_location ON buildings(lat, lon);

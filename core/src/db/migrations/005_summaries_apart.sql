-- Teng phone-side schema, version 5: a building's summary JSON moves out of building_access.
--
-- Summaries are 1.5-2 KB of JSON. In the WITHOUT ROWID building_access each one spilled onto an
-- overflow page, and SQLite reads a whole record to compare keys, so loading the search facets (one
-- building_access lookup per listing) read an overflow page per listing: 150 of the 250 ms of the
-- first search on 20,000 listings. Now building_access keeps only the requirement codes search
-- filters on (a few dozen bytes a row), and the JSON lives in a rowid table, where it fits in its
-- leaf page; only the building details screen reads it.

CREATE TABLE building_summaries (
    building_id TEXT PRIMARY KEY NOT NULL,
    summary     TEXT NOT NULL              -- teng_core::accessibility::BuildingSummary as JSON
);
INSERT INTO building_summaries (building_id, summary)
    SELECT building_id, summary FROM building_access;

-- Requirement codes as in version 2 (2 confirmed yes, 1 yes but unconfirmed, 0 unknown, -1 no), one
-- column per AccessRequirement code; a row exactly when building_summaries has one.
CREATE TABLE building_access_codes (
    building_id             TEXT PRIMARY KEY NOT NULL,
    last_reported_at        INTEGER,
    step_free_entrance      INTEGER NOT NULL DEFAULT 0,
    accessible_toilet       INTEGER NOT NULL DEFAULT 0,
    elevator                INTEGER NOT NULL DEFAULT 0,
    hearing_loop            INTEGER NOT NULL DEFAULT 0,
    tactile_guidance        INTEGER NOT NULL DEFAULT 0,
    wheelchair_accessible   INTEGER NOT NULL DEFAULT 0,
    sign_language_staff     INTEGER NOT NULL DEFAULT 0,
    accessible_parking      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO building_access_codes
    SELECT building_id, last_reported_at, step_free_entrance, accessible_toilet, elevator,
           hearing_loop, tactile_guidance, wheelchair_accessible, sign_language_staff,
           accessible_parking
    FROM building_access;

DROP TABLE building_access;
ALTER TABLE building_access_codes RENAME TO building_access;

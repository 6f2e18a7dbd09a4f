-- Teng phone-side schema, version 2: building accessibility.

-- The aggregated accessibility of a building (teng_core::accessibility::BuildingSummary), as the server
-- computed it from everyone's reports. The integer columns are requirement codes for search filters
-- (2 confirmed yes, 1 yes but unconfirmed, 0 unknown, -1 no; see accessibility::requirement), one per
-- AccessRequirement code, so "step-free entrance, confirmed only" is `step_free_entrance = 2`.
CREATE TABLE building_access (
    building_id             TEXT PRIMARY KEY NOT NULL,
    summary                 TEXT NOT NULL,
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

-- Reports this device's user made (teng_core::accessibility::AccessibilityReport as JSON). Kept so the
-- user sees what they reported; the sync client sends them to the server.
CREATE TABLE my_reports (
    id              TEXT PRIMARY KEY NOT NULL,
    building_id     TEXT NOT NULL,
    observed_at     INTEGER NOT NULL,
    report          TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX my_reports_by_building ON my_reports(building_id, observed_at);

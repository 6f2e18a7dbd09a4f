-- teng-server schema, version 3: city offices answer reports, and the answers reach the reporter
-- (issue 13).

-- Every status a report was given, oldest first: by a city office or admin (`by_user`), or by the
-- reporter's own device reopening it (`by_user` NULL, `by_kind` 'reporter'). The report row keeps
-- only the current status for filtering; this table is the record, and is never changed.
CREATE TABLE report_status_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id  TEXT NOT NULL REFERENCES reports(id),
    status     TEXT NOT NULL,
    note       TEXT,
    lang       TEXT,
    by_kind    TEXT NOT NULL CHECK (by_kind IN ('city', 'reporter')),
    by_user    TEXT REFERENCES users(id),
    at         INTEGER NOT NULL
);
CREATE INDEX report_status_history_report ON report_status_history(report_id, id);

CREATE TRIGGER report_status_history_no_update BEFORE UPDATE ON report_status_history
BEGIN
    SELECT RAISE(ABORT, 'report status history is append-only');
END;
CREATE TRIGGER report_status_history_no_delete BEFORE DELETE ON report_status_history
BEGIN
    SELECT RAISE(ABORT, 'report status history is append-only');
END;

-- Statuses set before this version become the first entry of their history.
INSERT INTO report_status_history(report_id, status, note, lang, by_kind, by_user, at)
SELECT id, status, status_note, NULL, 'city', status_updated_by, status_updated_at
FROM reports WHERE status_updated_at IS NOT NULL;

-- The language of the current note, and the device's own reports for its pull.
ALTER TABLE reports ADD COLUMN status_lang TEXT;
CREATE INDEX reports_device ON reports(device_id) WHERE device_id IS NOT NULL;

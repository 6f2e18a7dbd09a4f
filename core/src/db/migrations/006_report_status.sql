-- Teng phone-side schema, version 6: what the city office did with the user's own reports (the
-- `report_status` kind of a pull page, docs/sync-protocol.md).
--
-- One row per report the server answered for, replaced by each newer pulled record. `status` is the
-- code exactly as received (a code from a newer server is kept, and read as "open" until this app
-- knows it); `record` is the whole pulled record as JSON: the last note, its language and the
-- history. A "still not fixed" the user queued is not written here: it waits in `outbox`
-- (op reopen_report, target the report id) and is shown on top of this row until the server's
-- answer arrives, so a pulled row never hides what the user did and a refused reopen leaves the
-- server's status in place. Private to this device: a full resync never deletes these rows.
CREATE TABLE my_report_status (
    report_id   TEXT PRIMARY KEY NOT NULL,
    building_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    record      TEXT NOT NULL
) WITHOUT ROWID;

-- teng-server schema, version 4: the city office's web inbox (issue 13) reads one city's reports
-- newest first, paged by (received time, id), and the digest counts them by period.

-- Keyset paging newest first: `ORDER BY created_at DESC, id DESC` walks this index backwards.
CREATE INDEX reports_received ON reports(created_at, id);

-- A city office's buildings; the queries compare cities as `city = ? COLLATE NOCASE`, which only
-- an index with the same collation serves (buildings_city leads with the region).
CREATE INDEX buildings_city_nocase ON buildings(city COLLATE NOCASE);

-- The digest's "first answer": the earliest city entry of each report's history.
CREATE INDEX report_status_history_first ON report_status_history(report_id, by_kind, at);

-- teng-server schema, version 7 (issue 14): how city offices' queries find a city's buildings.

-- City offices are scoped by a normalized key of the building's city: the search folding with
-- everything but letters and digits dropped (`storage::city::city_key`, registered on every
-- connection as `teng_city_key`), so «Бишкек», "bishkek" and "Bish<zero-width>kek" are one city
-- to the scope; `COLLATE NOCASE` folded ASCII case only.
ALTER TABLE buildings ADD COLUMN city_key TEXT NOT NULL DEFAULT '';
UPDATE buildings SET city_key = teng_city_key(city);
CREATE INDEX buildings_city_key ON buildings(city_key);
DROP INDEX buildings_city_nocase;

-- The district as a column (written with the body): the inbox's district filter and choices read
-- it for every report they look at, and parsing the body's JSON for that was most of their cost.
ALTER TABLE buildings ADD COLUMN district TEXT;
UPDATE buildings SET district = json_extract(body, '$.address.district');

-- The features a report speaks of, as " code code " (a trigger writes it as each report is stored):
-- the inbox's feature filter tests it with instr() instead of parsing every report's JSON body.
ALTER TABLE reports ADD COLUMN features TEXT NOT NULL DEFAULT ' ';
UPDATE reports SET features = coalesce(
    (SELECT ' ' || group_concat(key, ' ') || ' ' FROM json_each(reports.body, '$.facts')), ' ');
CREATE TRIGGER reports_features AFTER INSERT ON reports
BEGIN
    UPDATE reports SET features = coalesce(
        (SELECT ' ' || group_concat(key, ' ') || ' ' FROM json_each(NEW.body, '$.facts')), ' ')
     WHERE id = NEW.id;
END;

-- Whether the stored summary says "not step-free" (`storage::city::summary_not_step_free`, kept
-- with the summary as it is written): the inbox's step filter read and parsed every summary.
ALTER TABLE building_summaries ADD COLUMN not_step_free INTEGER NOT NULL DEFAULT 0;
UPDATE building_summaries SET not_step_free = teng_not_step_free(body);

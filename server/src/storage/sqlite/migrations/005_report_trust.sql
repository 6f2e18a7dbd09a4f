-- teng-server schema: reports an admin has hidden (issue 14). A hidden report stays stored (the
-- reporter reads the reason on their phone; the city still sees it, marked), but no longer counts
-- in the building's summary.
ALTER TABLE reports ADD COLUMN hidden_at INTEGER;
ALTER TABLE reports ADD COLUMN hidden_reason TEXT;
ALTER TABLE reports ADD COLUMN hidden_by TEXT REFERENCES users(id);

-- The per-device cap counts a device's recent reports about one building.
CREATE INDEX reports_device_building ON reports(device_id, building_id, created_at)
    WHERE device_id IS NOT NULL;

-- The summary reads a building's newest surveys however many phone reports came after them.
CREATE INDEX reports_building_surveys ON reports(building_id, created_at)
    WHERE user_id IS NOT NULL AND hidden_at IS NULL;

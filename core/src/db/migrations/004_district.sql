-- Teng phone-side schema, version 4: a building's district (Address::district), so the app can
-- show it and a city office's district can be named.
ALTER TABLE buildings ADD COLUMN district TEXT;

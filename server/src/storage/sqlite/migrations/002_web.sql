-- teng-server schema, version 2: what the web pages need (issue 12).

-- Browser sessions of the web pages: only the SHA-256 of the cookie's value is stored, as for tokens.
-- Kept apart from bearer tokens so a session cookie is never accepted as an API token (or back).
CREATE TABLE web_sessions (
    hash        BLOB PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);

-- A listing's title, description and city folded by teng-core's search::text::fold, so an
-- organization's table finds «Бишкек» from "bishkek". Filled by the server for old rows at open.
ALTER TABLE listings ADD COLUMN search_text TEXT;
CREATE INDEX listings_org_posted ON listings(organization_id, updated_at);

-- How many phones saved a listing (the organization's table shows it).
CREATE INDEX saved_jobs_listing ON saved_jobs(listing_id);

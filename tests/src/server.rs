//! A real teng-server for blocking end-to-end tests: [`TestServer`].
//!
//! The sync client under test is blocking (reqwest blocking), so its tests are plain `#[test]`
//! functions. `TestServer` hides the async side: it owns a small multi-thread tokio runtime (2
//! workers) and runs the real server (`teng_server::start_with`) on `127.0.0.1` with a real SQLite
//! file in its own temp dir, configured for tests (cheap password hashes, rate limits out of the way).
//!
//! ```no_run
//! use teng_tests::server::TestServer;
//!
//! let mut server = TestServer::with_demo(200); // 200 generated listings, published or not
//! let listing = server.publish_new_listing("Night-shift operator");
//! // ... sync a client against server.url() ...
//! server.close_listing(listing.id);
//! server.stop(); // the port is free: the client sees connection errors
//! server.restart(); // same address, same database file: the client reconnects
//! assert!(server.published_listing_count() > 0);
//! ```
//!
//! Server-side changes go through the real HTTP API (as an admin, or a fresh ngo user) with a small
//! blocking reqwest client that talks to the server directly, never through a fault proxy. The
//! helpers panic with the server's answer when it is not the expected one: they are test set-up,
//! not code under test. For checks that need no HTTP, [`TestServer::storage`] is the server's own
//! storage.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::blocking::Client;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::runtime::Runtime;
use uuid::Uuid;

use teng_core::model::{JobListing, ListingStatus};
use teng_server::auth::{hash_password, PasswordCost, Role};
use teng_server::storage::postgres::ScratchDatabase;
use teng_server::storage::{ListingFilter, Stats, Storage, User};
use teng_server::{AppState, Config, RunningServer};

/// The password of every account a `TestServer` creates itself.
pub const PASSWORD: &str = "test-passw0rd-teng";

/// How long a graceful shutdown may take before the runtime is torn down instead.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The test configuration: cheap (still argon2id) password hashes and rate limits no test reaches.
/// Everything else is the production default (1 MiB bodies, 5 s busy timeout).
pub fn test_config(db: PathBuf) -> Config {
    let listen: SocketAddr = ([127, 0, 0, 1], 0).into();
    let mut config = Config::new(db, listen);
    config.password_cost = PasswordCost::Low;
    config.device_registrations_per_minute = 1_000_000;
    config.logins_per_minute = 1_000_000;
    config.reports_per_hour = 1_000_000;
    // Fault tests send many reports about the few demo buildings from one phone.
    config.reports_per_device_per_building = 1_000_000;
    // Phones pull page by page unless a test builds a snapshot itself (tests/tests/snapshot.rs).
    config.snapshots = false;
    config
}

/// A real teng-server on `127.0.0.1` over a SQLite file in a temp dir, or, when
/// `TENG_TEST_POSTGRES_URL` names a PostgreSQL server, over a database of its own there (the same
/// tests run on both backends). Dropping it shuts the server down and deletes the directory (and
/// the database).
pub struct TestServer {
    runtime: Option<Runtime>,
    server: Option<RunningServer>,
    config: Config,
    // Declared after everything that may hold the database open.
    dir: tempfile::TempDir,
    http: Client,
    admin_name: String,
    admin_password: String,
    admin_token: Mutex<Option<String>>,
    organization: Mutex<Option<Uuid>>,
    names: AtomicU64,
    // Last: dropped once the server is stopped.
    _database: Option<ScratchDatabase>,
}

impl TestServer {
    /// An empty database with one admin account.
    pub fn start() -> TestServer {
        Self::start_with(0, |_| {})
    }

    /// A database filled with `listings` listings (and their organizations and buildings) from the
    /// core's deterministic generator (`teng_server::demo::seed`, seed 2026), plus the demo's
    /// `admin`, `ngo` and `city` accounts. About 88% of the generated listings are published (the rest
    /// closed or drafts); ask
    /// [`TestServer::published_listing_count`].
    pub fn with_demo(listings: usize) -> TestServer {
        Self::start_with(listings, |_| {})
    }

    /// Like [`TestServer::with_demo`] (0: empty), with the test configuration adjusted first (e.g. a
    /// smaller `max_body_bytes`). `config.listen` and `config.db` are chosen here; leave them.
    pub fn start_with(listings: usize, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::Builder::new()
            .prefix("teng-test-server")
            .tempdir()
            .expect("temp dir for the test server");
        let database = ScratchDatabase::server_from_env()
            .map(|server| ScratchDatabase::create(&server).expect("a test database"));
        let db = match &database {
            Some(scratch) => PathBuf::from(&scratch.url),
            None => dir.path().join("teng.db"),
        };
        let mut config = test_config(db);
        adjust(&mut config);
        let storage = teng_server::open_storage(&config).expect("open the test database");
        let now = Utc::now();
        let (admin_name, admin_password) = if listings > 0 {
            let accounts =
                teng_server::demo::seed(storage.as_ref(), listings, PasswordCost::Low, now)
                    .expect("seed demo data");
            let admin = accounts
                .into_iter()
                .find(|a| a.role == Role::Admin)
                .expect("the demo has an admin account");
            (admin.username, admin.password)
        } else {
            add_user(storage.as_ref(), "admin", Role::Admin, None);
            ("admin".to_string(), PASSWORD.to_string())
        };
        drop(storage);
        let http = Client::builder()
            // No idle connections: a restarted server must never see a stale pooled one.
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest client");
        let mut server = TestServer {
            runtime: Some(new_runtime()),
            server: None,
            config,
            dir,
            http,
            admin_name,
            admin_password,
            admin_token: Mutex::new(None),
            organization: Mutex::new(None),
            names: AtomicU64::new(0),
            _database: database,
        };
        server.serve();
        server
    }

    /// Opens the database and serves on `config.listen` (after the first start, the first start's
    /// port). Retries binding for a few seconds (the port may be in use for a moment after a stop).
    fn serve(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let config = self.config.clone();
            let started = teng_server::open_storage(&config).and_then(|storage| {
                self.runtime().block_on(async move {
                    teng_server::start_with(Arc::new(AppState::new(storage, config))).await
                })
            });
            match started {
                Ok(running) => {
                    self.config.listen = running.addr;
                    self.server = Some(running);
                    return;
                }
                Err(teng_server::StartError::Bind { .. }) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("test server did not start: {e}"),
            }
        }
    }

    fn runtime(&self) -> &Runtime {
        self.runtime
            .as_ref()
            .expect("the runtime exists until drop")
    }

    fn running(&self) -> &RunningServer {
        self.server
            .as_ref()
            .expect("the test server is stopped; restart() it first")
    }

    /// `http://127.0.0.1:PORT` (stays the same across [`TestServer::restart`]).
    pub fn url(&self) -> String {
        format!("http://{}", self.config.listen)
    }

    /// The server's address (stays the same across [`TestServer::restart`]).
    pub fn addr(&self) -> SocketAddr {
        self.config.listen
    }

    /// `url()` + `path`, e.g. `endpoint("/v1/sync/pull?since=0")`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.url(), path)
    }

    /// The SQLite file the server uses.
    pub fn db_path(&self) -> PathBuf {
        self.config.db.clone()
    }

    /// The temp dir holding the database (a place for other test files too).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn is_running(&self) -> bool {
        self.server.is_some()
    }

    /// The running server's shared state: storage, metrics (`metrics.pull_requests`,
    /// `metrics.push_batches`, ...), configuration. Panics when stopped. Metrics start at zero on
    /// every (re)start.
    pub fn state(&self) -> Arc<AppState> {
        Arc::clone(&self.running().state)
    }

    /// The running server's storage (the same connections the handlers use). Panics when stopped.
    pub fn storage(&self) -> Arc<dyn Storage> {
        Arc::clone(&self.running().state.storage)
    }

    /// Creates `user` (password [`PASSWORD`]) with a web session of 12 hours from `user.created_at`,
    /// written straight to storage; returns the session token (the `teng_session` cookie's value).
    pub fn web_session(&self, user: &User) -> String {
        let storage = self.storage();
        let hash = hash_password(PASSWORD, PasswordCost::Low).expect("hash");
        storage.create_user(user, &hash).expect("create the user");
        let (session, session_hash) = teng_server::auth::new_token().expect("session token");
        let at = user.created_at;
        storage
            .create_session(&session_hash, user.id, at, at + chrono::Duration::hours(12))
            .expect("web session");
        session
    }

    /// Row counts and the newest change-log cursor (`last_seq`).
    pub fn stats(&self) -> Stats {
        self.storage().stats().expect("storage stats")
    }

    pub fn published_listing_count(&self) -> i64 {
        self.stats().published_listings
    }

    /// Every published listing, by id (what a fully synced client should hold).
    pub fn published_listings(&self) -> Vec<JobListing> {
        let storage = self.storage();
        let mut out: Vec<JobListing> = Vec::new();
        loop {
            let filter = ListingFilter {
                organization_id: None,
                status: Some(ListingStatus::Published),
                after: out.last().map(|l| l.id),
                limit: 1_000,
            };
            let page = storage.list_listings(&filter).expect("list listings");
            let done = page.len() < filter.limit;
            out.extend(page);
            if done {
                return out;
            }
        }
    }

    /// A listing as stored, whatever its status.
    pub fn listing(&self, id: Uuid) -> Option<JobListing> {
        self.storage().get_listing(id).expect("get listing")
    }

    /// Graceful shutdown: stops accepting, lets in-flight requests finish (at most 5 s; then the
    /// runtime is torn down, which drops every connection), closes the database. Afterwards the
    /// port is free and connecting to it is refused. Does nothing when already stopped.
    pub fn stop(&mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        let finished = self
            .runtime()
            .block_on(async { tokio::time::timeout(SHUTDOWN_GRACE, server.shutdown()).await });
        match finished {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("test server: shutdown error: {e}"),
            Err(_) => {
                eprintln!("test server: graceful shutdown took over {SHUTDOWN_GRACE:?}; forcing");
                if let Some(runtime) = self.runtime.take() {
                    runtime.shutdown_timeout(Duration::from_secs(1));
                }
                self.runtime = Some(new_runtime());
            }
        }
    }

    /// Stops (when running) and starts again on the same address with the same database file, as a
    /// server restart would: data and tokens survive; in-memory metrics and rate limits do not.
    pub fn restart(&mut self) {
        self.stop();
        self.serve();
    }

    // ----- HTTP helpers (straight to the server, never through a proxy) -----

    /// The blocking client the helpers use (no connection pooling, 30 s timeout).
    pub fn http(&self) -> &Client {
        &self.http
    }

    /// One request; the status and the body as JSON (`Value::Null` when empty, a JSON string when
    /// not JSON). Panics when the server cannot be reached.
    pub fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self.http.request(method.clone(), self.endpoint(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let text = response
            .text()
            .unwrap_or_else(|e| panic!("{method} {path}: reading the body: {e}"));
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.call(Method::GET, path, token, None)
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.call(Method::POST, path, token, Some(body))
    }

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.call(Method::PUT, path, token, Some(body))
    }

    /// `call`, panicking unless the status is `expected`; returns the body.
    fn expect(
        &self,
        expected: u16,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Value {
        let (status, value) = self.call(method.clone(), path, token, body);
        assert_eq!(
            status, expected,
            "{method} {path} answered {status}: {value}"
        );
        value
    }

    /// Logs in; returns the bearer token.
    pub fn login(&self, username: &str, password: &str) -> String {
        let body = json!({ "username": username, "password": password });
        let v = self.expect(200, Method::POST, "/v1/auth/login", None, Some(&body));
        token_of(&v)
    }

    /// An admin's token (logged in once, then reused; tokens survive restarts).
    pub fn admin_token(&self) -> String {
        let mut cached = self.admin_token.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(token) = cached.as_ref() {
            return token.clone();
        }
        let token = self.login(&self.admin_name, &self.admin_password);
        *cached = Some(token.clone());
        token
    }

    fn unique(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.names.fetch_add(1, Ordering::Relaxed))
    }

    /// A new (verified, ngo) organization; returns its id.
    pub fn create_organization(&self, name: &str) -> Uuid {
        let body = json!({ "name": name, "kind": "ngo", "verified": true });
        let v = self.expect(
            201,
            Method::POST,
            "/v1/organizations",
            Some(&self.admin_token()),
            Some(&body),
        );
        uuid_of(&v["id"])
    }

    /// The organization the admin helpers create listings for (created on first use).
    pub fn organization(&self) -> Uuid {
        let mut org = self.organization.lock().unwrap_or_else(|e| e.into_inner());
        *org.get_or_insert_with(|| self.create_organization("Test organization"))
    }

    /// A new ngo user of `organization_id` (created by the admin through `POST /v1/users`), logged
    /// in; returns the token.
    pub fn create_ngo_user(&self, organization_id: Uuid) -> String {
        let username = self.unique("ngo-user-");
        let body = json!({
            "username": username,
            "password": PASSWORD,
            "role": "ngo",
            "organization_id": organization_id,
        });
        self.expect(
            201,
            Method::POST,
            "/v1/users",
            Some(&self.admin_token()),
            Some(&body),
        );
        self.login(&username, PASSWORD)
    }

    /// `POST /v1/devices`; returns (device id, token).
    pub fn register_device(&self) -> (Uuid, String) {
        let v = self.expect(201, Method::POST, "/v1/devices", None, Some(&json!({})));
        (uuid_of(&v["device_id"]), token_of(&v))
    }

    /// A new building in Bishkek, as `token`'s user (an admin registers it for `organization_id`;
    /// an ngo user always for their own). Returns its id.
    pub fn create_building(&self, token: &str, organization_id: Option<Uuid>) -> Uuid {
        let mut body = building_body("Bishkek");
        if let Some(org) = organization_id {
            body["organization_id"] = json!(org);
        }
        let v = self.expect(201, Method::POST, "/v1/buildings", Some(token), Some(&body));
        uuid_of(&v["id"])
    }

    /// `POST /v1/listings` as `token`'s user with `body` (see [`listing_body`]); returns the draft.
    pub fn create_listing(&self, token: &str, body: &Value) -> JobListing {
        let v = self.expect(201, Method::POST, "/v1/listings", Some(token), Some(body));
        listing_of(v)
    }

    /// Publishes a listing (as admin, at its current version).
    pub fn publish_listing(&self, id: Uuid) -> JobListing {
        self.set_status(id, "publish")
    }

    /// Closes a listing (as admin, at its current version). A published listing becomes a `delete`
    /// in the change log.
    pub fn close_listing(&self, id: Uuid) -> JobListing {
        self.set_status(id, "close")
    }

    fn set_status(&self, id: Uuid, action: &str) -> JobListing {
        let current = self.get_listing_json(id);
        let body = json!({ "version": current["version"] });
        let path = format!("/v1/listings/{id}/{action}");
        let v = self.expect(
            200,
            Method::POST,
            &path,
            Some(&self.admin_token()),
            Some(&body),
        );
        listing_of(v)
    }

    /// A new published listing titled `title` in a new building of [`TestServer::organization`],
    /// created and published by the admin (two change-log rows: building, listing).
    pub fn publish_new_listing(&self, title: &str) -> JobListing {
        let admin = self.admin_token();
        let org = self.organization();
        let building = self.create_building(&admin, Some(org));
        let draft = self.create_listing(&admin, &listing_body(title, Some(org), Some(building)));
        self.publish_listing(draft.id)
    }

    /// Renames a listing (as admin: `PUT /v1/listings/{id}` with every other field unchanged, at its
    /// current version). Returns the stored listing (version + 1).
    pub fn update_listing_title(&self, id: Uuid, title: &str) -> JobListing {
        let mut body = self.get_listing_json(id);
        body["title"] = json!(title);
        let path = format!("/v1/listings/{id}");
        let v = self.expect(
            200,
            Method::PUT,
            &path,
            Some(&self.admin_token()),
            Some(&body),
        );
        listing_of(v)
    }

    fn get_listing_json(&self, id: Uuid) -> Value {
        let path = format!("/v1/listings/{id}");
        self.expect(200, Method::GET, &path, Some(&self.admin_token()), None)
    }

    /// `POST /v1/buildings/{id}/reports` as `token` (a device, or an ngo/admin user) with `body`
    /// (e.g. [`report_body`]); returns the answer (`{"report": …, "seq": N}`).
    pub fn submit_report(&self, token: &str, building_id: Uuid, body: &Value) -> Value {
        let path = format!("/v1/buildings/{building_id}/reports");
        self.expect(201, Method::POST, &path, Some(token), Some(body))
    }

    /// `GET /v1/sync/pull` (status and body), with a token when given (a device's adds its saved jobs).
    pub fn pull(&self, since: i64, limit: usize, token: Option<&str>) -> (u16, Value) {
        self.get(&format!("/v1/sync/pull?since={since}&limit={limit}"), token)
    }

    /// `POST /v1/sync/push` with `{"mutations": mutations}` (status and body).
    pub fn push(&self, token: &str, mutations: &Value) -> (u16, Value) {
        self.post(
            "/v1/sync/push",
            Some(token),
            &json!({ "mutations": mutations }),
        )
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

fn new_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("test-server")
        .enable_all()
        .build()
        .expect("tokio runtime for the test server")
}

/// Adds a user straight to the database, as the admin CLI does.
fn add_user(storage: &dyn Storage, username: &str, role: Role, organization_id: Option<Uuid>) {
    let user = User {
        id: Uuid::new_v4(),
        username: username.to_string(),
        role,
        organization_id,
        city: None,
        created_at: Utc::now(),
    };
    let hash = hash_password(PASSWORD, PasswordCost::Low).expect("hash the test password");
    storage.create_user(&user, &hash).expect("create user");
}

fn token_of(v: &Value) -> String {
    v["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {v}"))
        .to_string()
}

fn uuid_of(v: &Value) -> Uuid {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a UUID: {v}"))
}

fn listing_of(v: Value) -> JobListing {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("not a listing ({e}): {v}"))
}

/// A valid building body for `POST /v1/buildings`.
pub fn building_body(city: &str) -> Value {
    json!({
        "name": "Office on Chuy",
        "address": { "street": "120 Chuy Avenue", "city": city, "region": "bishkek" },
        "location": { "lat": 42.8746, "lon": 74.5698 }
    })
}

/// A valid listing body for `POST /v1/listings` (admins must name the organization; ngo users may
/// leave it out).
pub fn listing_body(
    title: &str,
    organization_id: Option<Uuid>,
    building_id: Option<Uuid>,
) -> Value {
    json!({
        "title": title,
        "description": "Screen reader friendly workstation.",
        "category": "customer_service",
        "employment_type": "full_time",
        "work_mode": "on_site",
        "organization_id": organization_id,
        "building_id": building_id,
        "city": "Bishkek",
        "region": "bishkek",
        "salary": { "min": 20000, "max": 30000, "period": "month" },
        "accommodations": ["assistive_technology"],
        "languages": ["ky", "ru"],
        "apply_via": [{ "channel": "phone", "value": "+996 555 123 456" }]
    })
}

/// A small valid accessibility report body (REST `POST /v1/buildings/{id}/reports`, or the
/// `report` of a `submit_report` push mutation).
pub fn report_body() -> Value {
    json!({
        "facts": { "ramp": { "ramp": "fixed" }, "door_width_cm": { "centimetres": 85 } },
        "method": "measured"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_and_proxy_can_be_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<TestServer>();
        send_sync::<crate::fault_proxy::FaultProxy>();
    }

    #[test]
    fn helpers_change_what_a_pull_returns() {
        let server = TestServer::start();
        assert_eq!(server.published_listing_count(), 0);
        let listing = server.publish_new_listing("Call-centre operator");
        assert_eq!(listing.status, ListingStatus::Published);
        assert_eq!(server.published_listing_count(), 1);

        let renamed = server.update_listing_title(listing.id, "Senior operator");
        assert_eq!(renamed.title, "Senior operator");
        assert_eq!(renamed.version, listing.version + 1);
        let (status, page) = server.pull(0, 100, None);
        assert_eq!(status, 200, "{page}");
        let entry = page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "listing")
            .cloned()
            .unwrap();
        assert_eq!(entry["record"]["title"], "Senior operator");

        server.close_listing(listing.id);
        assert_eq!(server.published_listing_count(), 0);
        let (_, page) = server.pull(0, 100, None);
        let entry = page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "listing")
            .cloned()
            .unwrap();
        assert_eq!(entry["op"], "delete", "{page}");
        assert_eq!(
            server.listing(listing.id).unwrap().status,
            ListingStatus::Closed
        );
    }

    #[test]
    fn ngo_users_devices_and_reports() {
        let server = TestServer::start();
        let org = server.create_organization("Ability Bishkek");
        let ngo = server.create_ngo_user(org);
        let building = server.create_building(&ngo, None);
        let draft = server.create_listing(&ngo, &listing_body("Tailor", None, Some(building)));
        assert_eq!(draft.organization_id, org);
        assert_eq!(draft.status, ListingStatus::Draft);

        let (device, token) = server.register_device();
        assert_ne!(device, Uuid::nil());
        let answer = server.submit_report(&token, building, &report_body());
        assert!(answer["seq"].as_i64().unwrap() > 0, "{answer}");
        assert_eq!(server.stats().reports, 1);
        assert_eq!(server.stats().devices, 1);
    }

    #[test]
    fn demo_data_is_served() {
        let server = TestServer::with_demo(60);
        let published = server.published_listings();
        assert!(!published.is_empty());
        assert_eq!(published.len() as i64, server.published_listing_count());
        let (status, page) = server.pull(0, 1000, None);
        assert_eq!(status, 200);
        let listings = page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == "listing")
            .count();
        assert_eq!(listings, published.len());
        // The demo's admin account works for the helpers.
        server.publish_new_listing("One more");
        assert_eq!(server.published_listings().len(), published.len() + 1);
    }

    #[test]
    fn restart_keeps_the_address_and_the_data() {
        let mut server = TestServer::start();
        let url = server.url();
        let (_, token) = server.register_device();
        server.stop();
        assert!(!server.is_running());
        let refused = reqwest::blocking::get(format!("{url}/healthz"));
        assert!(refused.is_err(), "a stopped server must not answer");

        server.restart();
        assert_eq!(server.url(), url);
        assert_eq!(server.get("/healthz", None).0, 200);
        assert_eq!(server.stats().devices, 1);
        // Tokens are in the database: the device's still works, and so does the cached admin one.
        assert_eq!(server.get("/v1/auth/me", Some(&token)).0, 200);
        server.publish_new_listing("After the restart");
        // Restarting a running server works too.
        server.restart();
        assert_eq!(server.published_listing_count(), 1);
    }
}

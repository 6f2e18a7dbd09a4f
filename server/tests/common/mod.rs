//! A real server on 127.0.0.1:0 with a real SQLite file in a temp dir, and a reqwest client.
#![allow(dead_code)]

use std::path::PathBuf;

use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use teng_server::auth::{hash_password, PasswordCost, Role};
use teng_server::storage::postgres::ScratchDatabase;
use teng_server::storage::User;
use teng_server::{Config, RunningServer};

pub mod web;

/// With `TENG_TEST_POSTGRES_URL` set, the server runs on a PostgreSQL database of its own (the
/// same tests run on both backends).
pub struct TestServer {
    pub server: RunningServer,
    pub client: Client,
    pub dir: tempfile::TempDir,
    pub admin: String,
    // Last: dropped after the server.
    pub database: Option<ScratchDatabase>,
}

pub const PASSWORD: &str = "s3cret-passw0rd";

pub fn test_config(dir: &tempfile::TempDir) -> Config {
    let mut config = Config::new(dir.path().join("teng.db"), "127.0.0.1:0".parse().unwrap());
    config.password_cost = PasswordCost::Low;
    config.device_registrations_per_minute = 10_000;
    config.logins_per_minute = 10_000;
    config.reports_per_hour = 10_000;
    config.max_body_bytes = 64 * 1024;
    config.snapshots = false;
    config
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(&dir);
        let database = match ScratchDatabase::server_from_env() {
            Some(server) => Some(
                tokio::task::spawn_blocking(move || ScratchDatabase::create(&server))
                    .await
                    .unwrap()
                    .expect("a test database"),
            ),
            None => None,
        };
        if let Some(scratch) = &database {
            config.db = PathBuf::from(&scratch.url);
        }
        adjust(&mut config);
        let server = teng_server::start(config).await.unwrap();
        let client = Client::builder().build().unwrap();
        let mut t = TestServer {
            server,
            client,
            dir,
            admin: String::new(),
            database,
        };
        t.add_user("root", Role::Admin, None, None);
        t.admin = t.login("root").await;
        t
    }

    /// The SQLite file, or the PostgreSQL database's address.
    pub fn db_path(&self) -> PathBuf {
        self.server.state.config.db.clone()
    }

    /// The tests run on PostgreSQL (`TENG_TEST_POSTGRES_URL`).
    pub fn on_postgres(&self) -> bool {
        self.database.is_some()
    }

    /// Runs statements straight on the database, past the server: what a test checks the
    /// database itself refuses. The database's error message on failure.
    pub async fn raw_execute(&self, sql: &str) -> Result<(), String> {
        let (db, sql) = (self.db_path(), sql.to_string());
        match &self.database {
            Some(scratch) => {
                let url = scratch.url.clone();
                tokio::task::spawn_blocking(move || {
                    let mut client = postgres::Client::connect(&url, postgres::NoTls)
                        .map_err(|e| e.to_string())?;
                    client.batch_execute(&sql).map_err(|e| {
                        e.as_db_error()
                            .map_or_else(|| e.to_string(), |d| d.message().to_string())
                    })
                })
                .await
                .unwrap()
            }
            None => rusqlite::Connection::open(db)
                .and_then(|c| c.execute_batch(&sql))
                .map_err(|e| e.to_string()),
        }
    }

    /// Holds every write back (as another process's long transaction would) until the blocker
    /// is dropped.
    pub fn block_writes(&self) -> WriteBlocker {
        match &self.database {
            Some(scratch) => {
                let url = scratch.url.clone();
                let (locked_tx, locked) = std::sync::mpsc::channel();
                let (release, released) = std::sync::mpsc::channel::<()>();
                let holder = std::thread::spawn(move || {
                    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                    client
                        .batch_execute("BEGIN; LOCK TABLE organizations, changes IN EXCLUSIVE MODE")
                        .unwrap();
                    locked_tx.send(()).unwrap();
                    let _ = released.recv();
                    client.batch_execute("ROLLBACK").unwrap();
                });
                locked.recv().unwrap();
                WriteBlocker::Postgres {
                    release,
                    holder: Some(holder),
                }
            }
            None => {
                let conn = rusqlite::Connection::open(self.db_path()).unwrap();
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                WriteBlocker::Sqlite(conn)
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url(), path)
    }

    /// Adds a user straight to the database (as the admin CLI does).
    pub fn add_user(&self, name: &str, role: Role, org: Option<Uuid>, city: Option<&str>) {
        // Straight into storage, past the checks: only names a real account can have log in.
        assert!(
            teng_server::auth::username_chars(name),
            "{name:?}: usernames are ASCII letters, digits and . _ - @"
        );
        let user = User {
            id: Uuid::new_v4(),
            username: name.into(),
            role,
            organization_id: org,
            city: city.map(Into::into),
            created_at: chrono::Utc::now(),
        };
        let hash = hash_password(PASSWORD, PasswordCost::Low).unwrap();
        self.server.state.storage.create_user(&user, &hash).unwrap();
    }

    pub async fn login(&self, name: &str) -> String {
        let r = self
            .client
            .post(self.url("/v1/auth/login"))
            .json(&json!({ "username": name, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {name}");
        let v: Value = r.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let b = self.client.request(method, self.url(path));
        match token {
            Some(t) => b.bearer_auth(t),
            None => b,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut b = self.req(method, path, token);
        if let Some(body) = body {
            b = b.json(&body);
        }
        let r = b.send().await.unwrap();
        status_json(r).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    /// Creates an organization (as admin); returns its id.
    pub async fn org(&self, name: &str) -> Uuid {
        let (s, v) = self
            .post(
                "/v1/organizations",
                Some(&self.admin.clone()),
                json!({ "name": name, "kind": "ngo" }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().parse().unwrap()
    }

    /// An organization with an ngo user logged in; returns (org id, token).
    pub async fn ngo(&self, name: &str) -> (Uuid, String) {
        let org = self.org(&format!("{name} org")).await;
        self.add_user(name, Role::Ngo, Some(org), None);
        (org, self.login(name).await)
    }

    /// Like [`TestServer::ngo`], with the organization verified by the admin, so its members
    /// report as verified surveyors.
    pub async fn verified_ngo(&self, name: &str) -> (Uuid, String) {
        let (org, token) = self.ngo(name).await;
        let (s, v) = self
            .put(
                &format!("/v1/organizations/{org}"),
                Some(&self.admin.clone()),
                json!({ "name": format!("{name} org"), "kind": "ngo", "verified": true, "version": 1 }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        (org, token)
    }

    pub async fn device(&self) -> (Uuid, String) {
        let (s, v) = self.post("/v1/devices", None, json!({})).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        (
            v["device_id"].as_str().unwrap().parse().unwrap(),
            v["token"].as_str().unwrap().to_string(),
        )
    }

    pub async fn building(&self, token: &str, city: &str) -> Uuid {
        let (s, v) = self
            .post("/v1/buildings", Some(token), building_json(city))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().parse().unwrap()
    }

    /// A draft listing in the token's organization, in a new building.
    pub async fn listing(&self, token: &str) -> Value {
        let b = self.building(token, "Bishkek").await;
        let (s, v) = self
            .post("/v1/listings", Some(token), listing_json(b))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v
    }

    pub async fn published_listing(&self, token: &str) -> Value {
        let l = self.listing(token).await;
        let id = l["id"].as_str().unwrap();
        let (s, v) = self
            .post(
                &format!("/v1/listings/{id}/publish"),
                Some(token),
                json!({ "version": l["version"] }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }
}

pub enum WriteBlocker {
    Sqlite(rusqlite::Connection),
    Postgres {
        release: std::sync::mpsc::Sender<()>,
        holder: Option<std::thread::JoinHandle<()>>,
    },
}

impl Drop for WriteBlocker {
    fn drop(&mut self) {
        match self {
            WriteBlocker::Sqlite(conn) => {
                let _ = conn.execute_batch("ROLLBACK");
            }
            WriteBlocker::Postgres { release, holder } => {
                let _ = release.send(());
                if let Some(holder) = holder.take() {
                    let _ = holder.join();
                }
            }
        }
    }
}

pub async fn status_json(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    let v = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, v)
}

pub fn building_json(city: &str) -> Value {
    json!({
        "name": "Office on Chuy",
        "address": { "street": "120 Chuy Avenue", "city": city, "region": "bishkek" },
        "location": { "lat": 42.8746, "lon": 74.5698 }
    })
}

pub fn listing_json(building: Uuid) -> Value {
    json!({
        "title": "Call-centre operator",
        "description": "Screen reader friendly workstation.",
        "category": "customer_service",
        "employment_type": "full_time",
        "work_mode": "on_site",
        "building_id": building,
        "city": "Bishkek",
        "region": "bishkek",
        "salary": { "min": 20000, "max": 30000, "period": "month" },
        "accommodations": ["assistive_technology"],
        "languages": ["ky", "ru"],
        "apply_via": [{ "channel": "phone", "value": "+996 555 123 456" }]
    })
}

/// The error shape every failure uses.
pub fn assert_error(v: &Value, code: &str) {
    assert_eq!(v["error"]["code"], code, "{v}");
    assert!(v["error"]["message"].is_string(), "{v}");
}

/// A phone's report (anonymous, estimated, observed an hour before it arrived), written straight to
/// storage as received at `received`; returns its id.
pub fn phone_report(
    t: &TestServer,
    device: Uuid,
    building: Uuid,
    facts: teng_core::accessibility::Facts,
    note: Option<&str>,
    received: chrono::DateTime<chrono::Utc>,
) -> Uuid {
    use teng_core::accessibility::{AccessibilityReport, LocalizedNote, Method, ReporterKind};
    let r = AccessibilityReport {
        id: Uuid::now_v7(),
        building_id: building,
        reporter: device.into(),
        reporter_kind: ReporterKind::Anonymous,
        observed_at: received - chrono::Duration::hours(1),
        method: Method::Estimated,
        facts,
        note: note.map(|n| LocalizedNote {
            en: Some(n.into()),
            ..Default::default()
        }),
    };
    t.server
        .state
        .storage
        .submit_report(&r, teng_server::storage::Reporter::Device(device), received)
        .unwrap();
    r.id
}

//! Shared state handed to every handler behind an `Arc`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::auth::PasswordCost;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::storage::{self, Storage};

/// Server settings (the CLI fills them from flags and environment variables).
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file, or a PostgreSQL address (`postgres://user@host:port/database`).
    pub db: PathBuf,
    /// Where the public job search keeps its index (`None`: beside an SQLite file; for
    /// PostgreSQL, a file of this process's own in the temp directory).
    pub search_index: Option<PathBuf>,
    pub listen: SocketAddr,
    /// Largest request body accepted (413 above).
    pub max_body_bytes: usize,
    pub user_token_days: i64,
    pub device_token_days: i64,
    pub password_cost: PasswordCost,
    /// Per client IP.
    pub device_registrations_per_minute: u32,
    /// Per client IP.
    pub logins_per_minute: u32,
    /// Per account name, from anywhere, per 15 minutes (`login::PER_ACCOUNT_PERIOD`).
    pub login_attempts_per_account: u32,
    /// Per device or user, over REST and push together.
    pub reports_per_hour: u32,
    /// Reports one device may send about one building in 30 days.
    pub reports_per_device_per_building: u32,
    /// Tombstones older than this are pruned; cursors older than the pruned ones must resync.
    pub tombstone_retention_days: i64,
    /// How long a request waits for a database lock before answering 503.
    pub busy_timeout: std::time::Duration,
    /// Where `/metrics` is served; `None` (the default): nowhere.
    pub metrics_listen: Option<SocketAddr>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`client_ip`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Connection cap and slow-client timeouts of the HTTP server.
    pub connections: crate::serve::ConnectionLimits,
    /// The Open311 GeoReport v2 endpoint (`crate::open311`): jurisdiction, agency, POST limit.
    pub open311: crate::open311::Open311Config,
    /// Record a first-sync snapshot at startup (and daily) when the newest is out of date
    /// (`crate::snapshot`). On by default; tests that pull page by page turn it off.
    pub snapshots: bool,
}

impl Config {
    /// The PostgreSQL address, when `db` is one.
    pub fn postgres_url(&self) -> Option<&str> {
        let db = self.db.to_str()?;
        (db.starts_with("postgres://") || db.starts_with("postgresql://")).then_some(db)
    }

    /// The search index's file (see `search_index`), or `None` when each process keeps one of its
    /// own (PostgreSQL without `--search-index`: the index is built from the change log as a
    /// phone's is, and several processes may share the database but not the file).
    pub fn search_index_file(&self) -> Option<PathBuf> {
        if let Some(path) = &self.search_index {
            return Some(path.clone());
        }
        self.postgres_url()
            .is_none()
            .then(|| crate::web::jobs::search_index::index_path(&self.db))
    }

    pub fn new(db: PathBuf, listen: SocketAddr) -> Self {
        Config {
            db,
            search_index: None,
            listen,
            max_body_bytes: 1024 * 1024,
            user_token_days: 30,
            device_token_days: 365,
            password_cost: PasswordCost::Standard,
            device_registrations_per_minute: 20,
            logins_per_minute: 20,
            login_attempts_per_account: crate::login::PER_ACCOUNT,
            reports_per_hour: 60,
            reports_per_device_per_building: crate::storage::sqlite::DEVICE_BUILDING_REPORTS,
            tombstone_retention_days: 90,
            busy_timeout: crate::storage::sqlite::DEFAULT_BUSY_TIMEOUT,
            metrics_listen: None,
            trusted_proxies: Vec::new(),
            connections: crate::serve::ConnectionLimits::default(),
            open311: crate::open311::Open311Config::default(),
            snapshots: true,
        }
    }
}

pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub config: Config,
    pub metrics: Metrics,
    pub device_registrations: RateLimiter,
    /// Login attempts: per address, per account, and concurrent argon2 checks.
    pub login: crate::login::LoginGuard,
    pub reports: RateLimiter,
    /// Open311 POSTs per API key (`Open311Config::posts_per_hour`).
    pub open311_posts: RateLimiter,
    /// The public job search's index (`web::jobs::search_index`), fed from the change log.
    pub search: crate::web::jobs::SearchIndex,
    /// First-sync snapshot chunks this process served (`crate::snapshot`).
    pub snapshots: crate::snapshot::ChunkCache,
}

impl AppState {
    pub fn new(storage: Arc<dyn Storage>, config: Config) -> Self {
        AppState {
            storage: Arc::clone(&storage),
            device_registrations: RateLimiter::per_minute(config.device_registrations_per_minute),
            login: crate::login::LoginGuard::new(
                config.logins_per_minute,
                config.login_attempts_per_account,
            ),
            reports: RateLimiter::per_hour(config.reports_per_hour),
            open311_posts: RateLimiter::per_hour(config.open311.posts_per_hour),
            search: match config.search_index_file() {
                Some(path) => crate::web::jobs::SearchIndex::new(path, Arc::clone(&storage)),
                None => crate::web::jobs::SearchIndex::per_process(
                    &std::env::temp_dir(),
                    Arc::clone(&storage),
                ),
            },
            metrics: Metrics::default(),
            snapshots: crate::snapshot::ChunkCache::default(),
            config,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Runs a storage call on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&dyn Storage) -> storage::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let storage = Arc::clone(&self.storage);
        tokio::task::spawn_blocking(move || {
            storage::postgres::on_blocking_pool(|| f(storage.as_ref()))
        })
        .await
        .map_err(|e| ApiError::internal(format!("storage task failed: {e}")))?
        .map_err(ApiError::from)
    }
}

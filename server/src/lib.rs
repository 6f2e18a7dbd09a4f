//! teng-server: the HTTP API where listings and ratings meet, on one embedded SQLite file.
//!
//! [`app`] builds the router from an [`AppState`]; [`start`] opens the database, binds and serves in the
//! background (tests use it on `127.0.0.1:0`); [`serve`] runs until Ctrl-C or SIGTERM and then lets
//! in-flight requests finish.

pub mod api;
pub mod auth;
pub mod client_ip;
pub mod demo;
pub mod error;
pub mod login;
pub mod metrics;
pub mod open311;
pub mod ratelimit;
pub mod serve;
pub mod snapshot;
pub mod state;
pub mod storage;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use api::app;
pub use state::{AppState, Config};
use storage::postgres::PostgresStorage;
use storage::sqlite::SqliteStorage;
use storage::Storage;

/// A server running in the background.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// Where `/metrics` is served, when `Config::metrics_listen` asked for it.
    pub metrics_addr: Option<SocketAddr>,
    pub state: Arc<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting connections, lets in-flight requests finish, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database {path}: {source}")]
    Database {
        path: String,
        source: storage::StorageError,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Opens the database named in `config`: a PostgreSQL address, or an SQLite file. Blocks (call
/// it off the async threads, as `start` does).
pub fn open_storage(config: &Config) -> Result<Arc<dyn Storage>, StartError> {
    let cap = config.reports_per_device_per_building;
    let opened: Result<Arc<dyn Storage>, _> = match config.postgres_url() {
        Some(url) => PostgresStorage::open(url, config.busy_timeout)
            .map(|s| Arc::new(s.with_device_building_reports(cap)) as Arc<dyn Storage>),
        None => SqliteStorage::open_with(&config.db, config.busy_timeout)
            .map(|s| Arc::new(s.with_device_building_reports(cap)) as Arc<dyn Storage>),
    };
    opened.map_err(|source| StartError::Database {
        path: config.db.display().to_string(),
        source,
    })
}

/// Serves `state` on `config.listen` in the background.
pub async fn start_with(state: Arc<AppState>) -> Result<RunningServer, StartError> {
    let addr = state.config.listen;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Bind { addr, source })?;
    let (metrics_addr, metrics) = match state.config.metrics_listen {
        Some(at) => {
            let listener = TcpListener::bind(at)
                .await
                .map_err(|source| StartError::Bind { addr: at, source })?;
            let bound = listener
                .local_addr()
                .map_err(|source| StartError::Bind { addr: at, source })?;
            let app = api::metrics_app(Arc::clone(&state));
            let task = tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            (Some(bound), Some(task))
        }
        None => (None, None),
    };
    let (tx, rx) = oneshot::channel::<()>();
    let router = app(Arc::clone(&state));
    let pruner = tokio::spawn(prune_daily(Arc::clone(&state)));
    let indexer = tokio::spawn(web::jobs::search_index::keep_up(Arc::clone(&state)));
    let open311 = tokio::spawn(open311_catch_up(Arc::clone(&state)));
    let snapshot = tokio::spawn(build_snapshot(Arc::clone(&state), true));
    let limits = state.config.connections.clone();
    let task = tokio::spawn(async move {
        serve::serve(listener, router, limits, async {
            let _ = rx.await;
        })
        .await;
        pruner.abort();
        indexer.abort();
        open311.abort();
        snapshot.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        Ok(())
    });
    Ok(RunningServer {
        addr,
        metrics_addr,
        state,
        shutdown: Some(tx),
        task,
    })
}

/// Once at startup: puts the reports stored before the Open311 index existed into it (in batches,
/// between other writes), so that no Open311 request waits for it.
async fn open311_catch_up(state: Arc<AppState>) {
    match state.db(|s| s.open311_catch_up()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(reports = n, "open311: earlier reports indexed"),
        Err(e) => tracing::warn!(error = %e.message, "open311: indexing earlier reports failed"),
    }
}

/// Records the first-sync snapshot (`snapshot::build`) unless the newest one is up to date: after
/// each daily pruning, and at startup (on a database several processes share, only when the
/// newest is a day old: `snapshot::build_unless_recent`).
async fn build_snapshot(state: Arc<AppState>, at_startup: bool) {
    if !state.config.snapshots {
        return;
    }
    let now = state.now();
    let shared = state.config.postgres_url().is_some();
    let built = state
        .db(move |s| {
            if at_startup && shared {
                snapshot::build_unless_recent(s, now)
            } else {
                snapshot::build(s, now)
            }
        })
        .await;
    match built {
        Ok(Some(generation)) => tracing::info!(generation, "first-sync snapshot stored"),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e.message, "building the first-sync snapshot failed"),
    }
}

/// Once a day, by one server process of those on the database (`Storage::claim_daily_job`):
/// re-aggregates building summaries (facts age), drops superseded change-log rows and tombstones
/// past the retention period, and records a new first-sync snapshot.
async fn prune_daily(state: Arc<AppState>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
    every.tick().await;
    loop {
        every.tick().await;
        let now = state.now();
        match state.db(move |s| s.claim_daily_job(now)).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!("daily maintenance: another server process ran it today");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e.message, "daily maintenance could not be claimed");
                continue;
            }
        }
        match state.db(move |s| s.refresh_summaries(now)).await {
            Ok(n) => tracing::info!(changed = n, "building summaries refreshed"),
            Err(e) => tracing::warn!(error = %e.message, "refreshing building summaries failed"),
        }
        let before = now - chrono::Duration::days(state.config.tombstone_retention_days);
        match state.db(move |s| s.prune_changes(before)).await {
            Ok(n) => tracing::info!(pruned = n, "change log pruned"),
            Err(e) => tracing::warn!(error = %e.message, "change log pruning failed"),
        }
        build_snapshot(Arc::clone(&state), false).await;
    }
}

/// Opens the database and serves in the background.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let opening = config.clone();
    let storage = tokio::task::spawn_blocking(move || open_storage(&opening))
        .await
        .map_err(|e| StartError::Database {
            path: config.db.display().to_string(),
            source: storage::StorageError::Internal(format!("opening the database: {e}")),
        })??;
    start_with(Arc::new(AppState::new(storage, config))).await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let server = start(config).await?;
    tracing::info!(url = %server.url(), "teng-server listening");
    shutdown_signal().await;
    tracing::info!("shutting down; finishing in-flight requests");
    server.shutdown().await?;
    Ok(())
}

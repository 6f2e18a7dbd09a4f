//! The public job search's index: a teng-core [`Store`] in a file next to the database, fed from
//! the server's own change log exactly as a phone is fed by sync, so `/jobs` answers with the
//! phone's search (folding, filters, keyset pages) and there is one search engine, not two.
//!
//! - The pull carries only what phones may see: published listings (a draft or a closed listing is
//!   a tombstone), organizations, buildings and building summaries; nobody's saved jobs.
//! - Each pulled page is applied with its cursor in one transaction
//!   ([`Store::apply_pulled_page`]), so a restart resumes from the stored cursor. A cursor the log
//!   can no longer serve (pruned, or a different database) starts the index over
//!   ([`Store::begin_full_resync`]); the old entries stay searchable until the new pass ends.
//! - Catching up: a background task every second ([`keep_up`]), and one step before each search
//!   when no other catch-up is running (`try_lock`: a search never waits for a long rebuild).
//! - The file is disposable: one that cannot be opened (damaged, from a newer build) is moved
//!   aside and built again from the log.
//! - On a shared database (PostgreSQL) each process keeps an index of its own in the temp folder
//!   ([`SearchIndex::per_process`]), removed when the server stops; files that killed processes
//!   left there are removed by the next process to start.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use teng_core::sync::protocol::PullPage as CorePullPage;
use teng_core::Store;

use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::sqlite::database_files;
use crate::storage::{Storage, StorageError};

/// Changes per page when catching up in the background.
pub const BACKGROUND_PAGE: usize = 1000;
/// Changes per page of the one step taken before a search (kept small: the search waits for it).
pub const INLINE_PAGE: usize = 200;
/// How often the background task looks for new changes.
pub const EVERY: Duration = Duration::from_secs(1);

/// The index file for a database: `<db path>.search.db`.
pub fn index_path(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_owned();
    path.push(".search.db");
    PathBuf::from(path)
}

/// The name of a process's own index files: `teng-search-<pid>-<n>.db` (and its `-wal`, `-shm`).
const PROCESS_INDEX_PREFIX: &str = "teng-search-";

/// The server's search index. Cheap to clone (one shared state).
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    storage: Arc<dyn Storage>,
    /// Opened on first use, so commands that never search (the admin CLI) create no file.
    store: Mutex<Option<Arc<Store>>>,
    /// Held while a catch-up step runs; the cursor it knows (`None`: read it from the file).
    catch_up: Mutex<Option<i64>>,
    /// The file is this process's own ([`SearchIndex::per_process`]): removed with the index.
    owned: bool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if self.owned {
            // Still open here on Unix, which is fine: the space is freed once the store closes.
            remove_index_files(&self.path);
        }
    }
}

/// What one catch-up step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Step {
    /// Changes received in the page.
    pub received: u64,
    /// The log has more after this page.
    pub more: bool,
    /// The index was started over (the log could not serve its cursor).
    pub restarted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Core(#[from] teng_core::Error),
    #[error("search index: reading the change log: {0}")]
    Storage(#[from] StorageError),
    #[error("search index: {0}")]
    Other(String),
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::Storage(StorageError::Busy) => {
                ApiError::unavailable("the database is busy; retry shortly")
            }
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl SearchIndex {
    /// The index of `storage`, kept in `path` (see [`index_path`]); nothing is opened yet.
    pub fn new(path: PathBuf, storage: Arc<dyn Storage>) -> SearchIndex {
        Self::with_file(path, storage, false)
    }

    /// An index of this process's own in `dir`, for a database that several processes share: its
    /// files are removed when the index is dropped, and those of processes that no longer run
    /// (killed before they could remove theirs) are removed now.
    pub fn per_process(dir: &Path, storage: Arc<dyn Storage>) -> SearchIndex {
        remove_orphaned_process_indexes(dir);
        // Several servers in one process (the tests) each get a file.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            "{PROCESS_INDEX_PREFIX}{}-{n}.db",
            std::process::id()
        ));
        Self::with_file(path, storage, true)
    }

    fn with_file(path: PathBuf, storage: Arc<dyn Storage>, owned: bool) -> SearchIndex {
        SearchIndex {
            inner: Arc::new(Inner {
                path,
                storage,
                store: Mutex::new(None),
                catch_up: Mutex::new(None),
                owned,
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The index store, opened (or built anew) on first use.
    pub fn store(&self) -> Result<Arc<Store>, IndexError> {
        let mut slot = lock(&self.inner.store);
        if let Some(store) = slot.as_ref() {
            return Ok(Arc::clone(store));
        }
        let store = Arc::new(open_or_rebuild(&self.inner.path)?);
        *slot = Some(Arc::clone(&store));
        Ok(store)
    }

    /// One page of catching up, unless another catch-up is running (then `None` at once).
    /// Blocking: call it off the async threads.
    pub fn try_step(&self, limit: usize) -> Result<Option<Step>, IndexError> {
        let mut cursor = match self.inner.catch_up.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        self.step(&mut cursor, limit).map(Some)
    }

    /// Applies every change the log has, waiting for a catch-up in progress first. Blocking.
    /// Returns how many changes were received.
    pub fn catch_up_blocking(&self, limit: usize) -> Result<u64, IndexError> {
        let mut cursor = lock(&self.inner.catch_up);
        let mut received = 0;
        // Bounded: a log that grows faster than we read must not keep one call forever.
        for _ in 0..100_000 {
            let step = self.step(&mut cursor, limit)?;
            received += step.received;
            if !step.more {
                break;
            }
        }
        Ok(received)
    }

    /// [`SearchIndex::catch_up_blocking`] on the blocking pool: after it, every change committed
    /// before the call is searchable (tests use it instead of waiting for the background task).
    pub async fn catch_up_now(&self) -> Result<u64, IndexError> {
        let index = self.clone();
        tokio::task::spawn_blocking(move || index.catch_up_blocking(BACKGROUND_PAGE))
            .await
            .map_err(|e| IndexError::Other(format!("catch-up task: {e}")))?
    }

    /// One page: pull after the cursor, apply, move the cursor (under the catch-up lock).
    fn step(&self, cursor: &mut Option<i64>, limit: usize) -> Result<Step, IndexError> {
        let store = self.store()?;
        let since = match *cursor {
            Some(c) => c,
            None => store.sync_status()?.cursor,
        };
        let page = match self.inner.storage.pull(since, limit, None, false) {
            Ok(page) => page,
            Err(StorageError::Resync { since, floor }) => {
                tracing::warn!(since, floor, "search index starts over from the change log");
                *cursor = None;
                store.begin_full_resync()?;
                *cursor = Some(0);
                return Ok(Step {
                    received: 0,
                    more: true,
                    restarted: true,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let step = Step {
            received: page.changes.len() as u64,
            more: page.has_more,
            restarted: false,
        };
        if page.changes.is_empty() && page.next == since {
            *cursor = Some(since);
            return Ok(step);
        }
        // The server's page and the phone's are the same wire format: one JSON round trip.
        let json = serde_json::to_vec(&page)
            .map_err(|e| IndexError::Other(format!("pull page as JSON: {e}")))?;
        let core_page: CorePullPage = serde_json::from_slice(&json)
            .map_err(|e| IndexError::Other(format!("pull page from JSON: {e}")))?;
        match store.apply_pulled_page(since, &core_page) {
            Ok(outcome) => {
                if outcome.skipped > 0 {
                    tracing::warn!(
                        skipped = outcome.skipped,
                        "search index skipped records it cannot read"
                    );
                }
                *cursor = Some(page.next);
                Ok(step)
            }
            Err(teng_core::Error::SyncInProgress) => {
                // Another process sharing the file moved the cursor: read it again next time.
                *cursor = None;
                Ok(Step { more: true, ..step })
            }
            Err(e) => {
                *cursor = None;
                Err(e.into())
            }
        }
    }
}

/// Keeps the index caught up until the server stops (spawned by `start_with`).
pub async fn keep_up(state: Arc<AppState>) {
    let mut every = tokio::time::interval(EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let index = state.search.clone();
        let done =
            tokio::task::spawn_blocking(move || index.catch_up_blocking(BACKGROUND_PAGE)).await;
        match done {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::debug!(changes = n, "search index caught up"),
            Ok(Err(IndexError::Storage(StorageError::Busy))) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "search index catch-up failed"),
            Err(e) => tracing::warn!(error = %e, "search index task failed"),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes the index file and those SQLite keeps beside it.
pub fn remove_index_files(path: &Path) {
    for file in database_files(path) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(error = %e, path = %file.display(), "could not remove a search index file")
            }
        }
    }
}

/// Removes the per-process index files in `dir` whose process no longer runs. Only where
/// `/proc` tells which processes run (Linux); elsewhere they stay, as before.
fn remove_orphaned_process_indexes(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PROCESS_INDEX_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Opens the index file; one that cannot be opened is moved aside (`.broken`) and built anew.
fn open_or_rebuild(path: &Path) -> Result<Store, IndexError> {
    match Store::open(path) {
        Ok(store) => Ok(store),
        Err(e) => {
            tracing::warn!(error = %e, path = %path.display(), "search index unusable; rebuilding it");
            for from in database_files(path) {
                let mut to = from.clone().into_os_string();
                to.push(".broken");
                let _ = std::fs::rename(&from, &to);
            }
            Ok(Store::open(path)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lives_next_to_the_database() {
        assert_eq!(
            index_path(Path::new("/var/lib/teng/teng.db")),
            PathBuf::from("/var/lib/teng/teng.db.search.db")
        );
    }

    #[test]
    fn a_damaged_index_file_is_built_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("teng.db.search.db");
        std::fs::write(&path, b"this is not a database, just some bytes of text").unwrap();
        let store = open_or_rebuild(&path).unwrap();
        assert_eq!(store.sync_status().unwrap().cursor, 0);
        assert!(dir.path().join("teng.db.search.db.broken").exists());
    }

    #[test]
    fn a_process_index_is_removed_with_it_and_one_a_dead_process_left_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let storage: Arc<dyn Storage> = Arc::new(
            crate::storage::sqlite::SqliteStorage::open(&dir.path().join("teng.db")).unwrap(),
        );
        let temp = dir.path().join("tmp");
        std::fs::create_dir(&temp).unwrap();
        // No process has a pid this high (Linux's limit is 2^22).
        let dead = [
            "teng-search-999999999-0.db",
            "teng-search-999999999-0.db-wal",
        ];
        let alive = format!("teng-search-{}-77.db", std::process::id());
        for name in dead
            .iter()
            .copied()
            .chain([alive.as_str(), "teng-search-notes.txt"])
        {
            std::fs::write(temp.join(name), b"x").unwrap();
        }

        let index = SearchIndex::per_process(&temp, Arc::clone(&storage));
        let own = index.path().to_path_buf();
        index.store().unwrap();
        assert!(own.exists());
        if Path::new("/proc/self").exists() {
            for name in dead {
                assert!(!temp.join(name).exists(), "{name} of a dead process stays");
            }
        }
        for name in [alive.as_str(), "teng-search-notes.txt"] {
            assert!(temp.join(name).exists(), "{name} was removed");
        }

        drop(index);
        assert!(!own.exists());
        assert!(database_files(&own).all(|f| !f.exists()));
        // A shared file (SQLite's `<db>.search.db`) stays.
        let shared = SearchIndex::new(index_path(&dir.path().join("teng.db")), storage);
        shared.store().unwrap();
        let path = shared.path().to_path_buf();
        drop(shared);
        assert!(path.exists());
    }
}

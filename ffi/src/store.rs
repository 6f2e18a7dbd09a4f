//! `TengStore`: the app's handle on its SQLite file. Each domain adds its methods in its own file
//! (`search.rs`, `listings.rs`, `saved.rs`, `accessibility.rs`, `demo.rs`) through
//! `TengStore::call`; a sync file can do the same.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

use teng_core::Store;

use crate::enums::Language;
use crate::error::{guard, Result, TengError};

/// The database on the device: the synced catalogue, search, saved jobs, accessibility reports.
///
/// Thread-safe: share one instance across the app and call it from any thread. Calls block (SQLite
/// on the device) — a search takes milliseconds, a demo load seconds — so call from a background
/// thread (`Dispatchers.IO` in Kotlin, a `Task` or background queue in Swift), never the main
/// thread. Searches run in parallel with each other and with a write in progress.
#[derive(uniffi::Object)]
pub struct TengStore {
    /// `None` once closed. Calls clone the `Arc` and release the lock at once, so `close_store`
    /// never waits for a search, and a call in flight finishes on the store it started with.
    store: RwLock<Option<Arc<Store>>>,
    language: AtomicU8,
}

#[uniffi::export]
impl TengStore {
    /// Opens the database at `path` (a file in the app's private storage), creating it or upgrading
    /// its schema. Errors: `StoreCorrupt` (damaged or not a Teng file: move it aside, open anew,
    /// sync), `SchemaTooNew` (update the app), `StoreUnavailable` (missing folder, permissions).
    #[uniffi::constructor]
    pub fn open(path: String, language: Language) -> Result<Arc<TengStore>> {
        guard(|| {
            if path.trim().is_empty() {
                return Err(TengError::invalid("path", "must not be empty"));
            }
            let store = Store::open(&path)?;
            Ok(Arc::new(TengStore {
                store: RwLock::new(Some(Arc::new(store))),
                language: AtomicU8::new(language_code(language)),
            }))
        })
    }

    /// Closes the database. Later calls fail with `StoreClosed`; calls already running finish
    /// first. Closing twice is fine. Closing folds the write-ahead log back into the file, which
    /// right after a large sync can take tens of milliseconds: call it off the main thread. (Kotlin's `close()`, from `AutoCloseable`, is different: it
    /// frees this object, after which any call throws `IllegalStateException`.)
    pub fn close_store(&self) {
        let mut slot = self.store.write().unwrap_or_else(|p| p.into_inner());
        *slot = None;
    }

    pub fn is_closed(&self) -> bool {
        self.store.read().map(|s| s.is_none()).unwrap_or(true)
    }

    /// The language of every sentence and label this store returns.
    pub fn language(&self) -> Language {
        language_from(self.language.load(Ordering::Relaxed))
    }

    /// Switches the language for the calls that follow (the user changed it in the settings).
    pub fn set_language(&self, language: Language) {
        self.language
            .store(language_code(language), Ordering::Relaxed);
    }

    /// How much is stored, for status screens.
    pub fn stats(&self) -> Result<StoreStats> {
        self.call(|store, _| {
            let stats = store.stats()?;
            Ok(StoreStats {
                organizations: stats.organizations,
                buildings: stats.buildings,
                listings: stats.listings,
                saved_jobs: stats.saved_jobs,
                my_reports: store.my_reports(None)?.len() as u64,
                schema_version: store.schema_version()?,
            })
        })
    }
}

impl TengStore {
    /// Runs one call against the open store in the current language: the one way every method of
    /// every domain file reaches the core. No panic escapes (`guard`); a closed store is
    /// `StoreClosed`. The store comes as an `Arc` so that a call can hand it to something that
    /// outlives the call (the sync client takes an `Arc<Store>`); whatever keeps a clone keeps the
    /// database open after `close_store` until it lets go.
    pub(crate) fn call<T>(&self, f: impl FnOnce(&Arc<Store>, Language) -> Result<T>) -> Result<T> {
        guard(|| {
            let store = self
                .store
                .read()
                .map_err(|_| TengError::StorePoisoned)?
                .clone()
                .ok_or(TengError::StoreClosed)?;
            f(&store, self.language())
        })
    }
}

/// Counts of what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct StoreStats {
    pub organizations: u64,
    pub buildings: u64,
    pub listings: u64,
    pub saved_jobs: u64,
    /// Accessibility reports made on this device.
    pub my_reports: u64,
    /// The database's schema version (migrations applied).
    pub schema_version: i64,
}

fn language_code(language: Language) -> u8 {
    match language {
        Language::Ky => 0,
        Language::Ru => 1,
        Language::En => 2,
    }
}

fn language_from(code: u8) -> Language {
    match code {
        0 => Language::Ky,
        1 => Language::Ru,
        _ => Language::En,
    }
}

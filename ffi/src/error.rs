//! The one error type that crosses the FFI, and the one place that converts the core's errors into it.
//!
//! Kotlin sees `TengException` (a sealed class, one subclass per variant, each a `kotlin.Exception`);
//! Swift sees `TengError` (an `enum` conforming to `Error`). Every variant says what the app should do:
//!
//! | variant | what the app does |
//! | --- | --- |
//! | `InvalidInput { field, reason }` | fix the input; `field` names it (`id`, `page_size`, `facts.door_width_cm`) |
//! | `NotFound { what, id }` | the record is not on this device (deleted by a sync?): go back, refresh |
//! | `StoreCorrupt { detail }` | move the file aside (or delete it), open a fresh one and sync again |
//! | `SchemaTooNew { found, supported }` | the file comes from a newer app: ask the user to update |
//! | `StoreUnavailable { reason }` | cannot open or write the file (folder, permission, disk full, busy): tell the user, retry later |
//! | `StoreClosed` | `close_store()` was called: open the store again |
//! | `StorePoisoned` | an earlier call crashed inside the database: close the store and open it again |
//! | `Offline { reason }` | (sync) the server cannot be reached: keep working offline, retry later |
//! | `Server { status, code, reason }` | (sync) the server refused a request: show `reason`, retry later |
//! | `Conflict { reason }` | (sync) the record changed on the server: reload it and try again |
//! | `Unauthorized` | (sync) the server did not accept this device's sign-in: sign in again |
//! | `Cancelled` | (sync) cancelled by the app; what arrived so far is kept |
//! | `SyncInProgress` | (sync) another sync of this database is running: wait for it |
//! | `Internal { reason }` | a bug in Teng: report it; the store stays usable unless a later call says otherwise |
//!
//! Field names avoid `message`: Kotlin exceptions already have one, and `message` gives the whole
//! sentence (`reason` alone is the detail).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use teng_core::Error as CoreError;
use uuid::Uuid;

/// `Display` is exported: `toString()` in Kotlin and `description` in Swift give the sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum TengError {
    /// An argument or a field of a record is not acceptable. `field` names it as the API does
    /// (`id`, `listing_id`, `page_size`, `near.radius_km`, `facts.door_width_cm`, `note`), so a form
    /// can highlight it. Retrying the same input fails again.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },
    /// No record with this id is on the device (never synced, or deleted by a sync).
    #[error("no {what} with id {id} on this device")]
    NotFound { what: String, id: String },
    /// The database file is damaged or is not a Teng database. Move it aside (or delete it), open a
    /// new one and sync again: everything but unsynced saved jobs and reports comes back.
    #[error("the database is damaged: {detail}")]
    StoreCorrupt { detail: String },
    /// The database was written by a newer version of the app. Ask the user to update the app.
    #[error("the database was written by a newer app (schema {found}, this app knows up to {supported}); update the app")]
    SchemaTooNew { found: i64, supported: i64 },
    /// The file cannot be opened or written: a missing folder, no permission, a full disk, or the
    /// file is locked by another process for too long. Nothing was changed; retry later.
    #[error("the database cannot be used right now: {reason}")]
    StoreUnavailable { reason: String },
    /// `close_store()` was called on this store. Open it again to go on.
    #[error("the store is closed; open it again")]
    StoreClosed,
    /// An earlier call failed badly while holding the database. Close the store and open it again.
    #[error("an earlier call crashed inside the database; close the store and open it again")]
    StorePoisoned,
    /// (Sync) The server cannot be reached. Everything done offline is kept; retry later.
    #[error("offline: {reason}")]
    Offline { reason: String },
    /// (Sync) The server refused a request (`status` is the HTTP status, `code` the server's error
    /// code). Show `reason`; retry later.
    #[error("the server refused the request ({status} {code}): {reason}")]
    Server {
        status: u16,
        code: String,
        reason: String,
    },
    /// (Sync) The record changed on the server since it was read: reload it and try again.
    #[error("changed elsewhere: {reason}")]
    Conflict { reason: String },
    /// (Sync) The server did not accept this device's sign-in: sign in (register the device) again.
    #[error("the server did not accept the sign-in; sign in again")]
    Unauthorized,
    /// (Sync) Cancelled by the app; everything received so far is kept.
    #[error("sync was cancelled; everything received so far is kept")]
    Cancelled,
    /// (Sync) Another sync of this database is running; wait for it to finish.
    #[error("a sync of this database is already running")]
    SyncInProgress,
    /// A bug in Teng (including a caught panic). Please report it with `reason`.
    #[error("internal error in Teng: {reason}")]
    Internal { reason: String },
}

pub type Result<T, E = TengError> = std::result::Result<T, E>;

impl TengError {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> TengError {
        TengError::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn not_found(what: &str, id: Uuid) -> TengError {
        TengError::NotFound {
            what: what.to_string(),
            id: id.to_string(),
        }
    }
}

impl From<CoreError> for TengError {
    fn from(e: CoreError) -> Self {
        let message = e.to_string();
        match e {
            CoreError::InvalidRecord { source, .. } => TengError::invalid(source.field(), message),
            CoreError::Validation(v) => TengError::invalid(v.field(), v.to_string()),
            CoreError::BadQuery { field, reason } | CoreError::InvalidInput { field, reason } => {
                TengError::invalid(field, reason)
            }
            CoreError::MissingReference {
                refers_to, target, ..
            } => TengError::not_found(refers_to, target),
            CoreError::NotFound { record, id } => TengError::not_found(record, id),
            CoreError::SchemaTooNew {
                found, supported, ..
            } => TengError::SchemaTooNew { found, supported },
            CoreError::Corrupt { .. } => TengError::StoreCorrupt { detail: message },
            CoreError::BadStoredValue(_) => TengError::StoreCorrupt { detail: message },
            CoreError::Open { source, .. } | CoreError::Sql(source) => {
                from_sqlite(&source, message)
            }
            CoreError::Poisoned => TengError::StorePoisoned,
            CoreError::Offline { .. } => TengError::Offline { reason: message },
            CoreError::Server {
                status: 409,
                message: reason,
                ..
            } => TengError::Conflict { reason },
            CoreError::Server {
                status,
                code,
                message: reason,
            } => TengError::Server {
                status,
                code,
                reason,
            },
            CoreError::Unauthorized => TengError::Unauthorized,
            CoreError::Cancelled => TengError::Cancelled,
            CoreError::SyncInProgress => TengError::SyncInProgress,
        }
    }
}

/// SQLite failures by what the app can do about them: a damaged file, a file it cannot use right
/// now, or a bug.
fn from_sqlite(e: &rusqlite::Error, message: String) -> TengError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseCorrupt | C::NotADatabase) => TengError::StoreCorrupt { detail: message },
        Some(
            C::CannotOpen
            | C::PermissionDenied
            | C::ReadOnly
            | C::DiskFull
            | C::DatabaseBusy
            | C::DatabaseLocked
            | C::SystemIoFailure
            | C::OutOfMemory
            | C::FileLockingProtocolFailed,
        ) => TengError::StoreUnavailable { reason: message },
        _ => TengError::Internal { reason: message },
    }
}

/// Parses an id given as UUID text; a bad one is `InvalidInput` naming `field`.
pub(crate) fn parse_id(field: &str, text: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        TengError::invalid(
            field,
            format!("{text:?} is not an id (expected UUID text such as 3f2b8c1e-0d4a-4c6e-9b7a-2e5f1a9c0b11)"),
        )
    })
}

/// Runs one FFI call so that no panic crosses the boundary: a panic becomes
/// [`TengError::Internal`]. A panic inside the core while it held the database poisons the store's
/// locks, so later calls answer [`TengError::StorePoisoned`] instead of using half-written state.
pub(crate) fn guard<T>(call: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|payload| {
        Err(TengError::Internal {
            reason: format!("unexpected panic: {}", panic_text(payload.as_ref())),
        })
    })
}

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

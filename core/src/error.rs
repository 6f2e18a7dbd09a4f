//! The core's error type. Messages say what went wrong and what to do about it; the FFI and the server
//! map these variants onto their own public errors in one place each.

use std::path::PathBuf;

use uuid::Uuid;

use crate::model::{UnknownCode, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid {record} {id}: {source}")]
    InvalidRecord {
        record: &'static str,
        id: Uuid,
        #[source]
        source: ValidationError,
    },
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error("{record} {id} refers to {refers_to} {target}, which is not in the store; store the {refers_to} first")]
    MissingReference {
        record: &'static str,
        id: Uuid,
        refers_to: &'static str,
        target: Uuid,
    },

    #[error("{path}: the database was written by a newer Teng (schema version {found}, this build knows up to {supported}); update the app")]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: the file is not a readable Teng database ({detail}); it may be corrupt. Move it aside and sync again to rebuild it")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: cannot open the database: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("stored data is unreadable: {0}")]
    BadStoredValue(String),

    #[error("no {record} with id {id}")]
    NotFound { record: &'static str, id: Uuid },
    #[error("bad search: {field}: {reason}")]
    BadQuery { field: &'static str, reason: String },

    #[error("{field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },

    #[error("cannot reach the Teng server ({detail}; tried {attempts} times); everything you did is kept and will be sent on the next sync")]
    Offline { detail: String, attempts: u32 },
    #[error("the server refused the request ({status} {code}): {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the server did not accept the sign-in; sign in again")]
    Unauthorized,
    #[error("sync was cancelled; everything received so far is kept")]
    Cancelled,
    #[error("a sync of this database is already running")]
    SyncInProgress,

    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("a thread panicked while holding the database; reopen the store")]
    Poisoned,
}

impl From<UnknownCode> for Error {
    fn from(e: UnknownCode) -> Self {
        Error::BadStoredValue(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

//! teng-core: everything a Teng install needs offline.
//!
//! - [`model`]: organizations, buildings, job listings, saved jobs, and their validation.
//! - [`store`]: the SQLite file on the phone (migrations, batched upserts, saved jobs).
//! - [`search`]: full-text job search with filters, sorts and keyset pagination.
//! - [`sync`]: the offline-first sync client (outbox, pulled pages, retries).
//! - [`generator`]: deterministic demo and benchmark data.

pub mod accessibility;
pub mod db;
pub mod error;
pub mod generator;
pub mod model;
pub mod search;
pub mod store;
pub mod sync;

pub use error::{Error, Result};

#[doc(hidden)]
pub use serde as __serde;
pub use store::Store;
#[cfg(feature = "utoipa")]
#[doc(hidden)]
pub use utoipa as __utoipa;

#[cfg(test)]
pub(crate) mod testing;

//! teng-ffi: the Kotlin (Android) and Swift (iOS) face of `teng-core`, made with UniFFI
//! (proc-macros, no UDL).
//!
//! A thin facade: it converts types and holds no business rules. Every rule (validation, search,
//! aggregation, the words) lives in the core; each file here is one domain's conversions:
//!
//! | file | what |
//! | --- | --- |
//! | `store.rs` | `TengStore`: open, close, language, stats; `TengStore::call` is the one way into the core |
//! | `search.rs` | `SearchQuery`/`SearchFilters` → `SearchPage` of `SearchHit`s with a page token |
//! | `listings.rs` | `ListingSummary`, `ListingDetails` (organization, building, accessibility) |
//! | `saved.rs` | the user's saved jobs |
//! | `accessibility.rs` | `BuildingAccessibility`, reports made offline and the city office's answers to them (`my_reports`, `reopen_report`, `report_privacy_notice`), the accessibility enums |
//! | `enums.rs` | the job enums, `Language`, `choices()`; every `label(language)` is the core's (`teng_core::accessibility::Labelled`) |
//! | `sync.rs` | `sync` with a `SyncListener` and `SyncCancellation`, status, pending actions, problems, device token, ngo listing edits |
//! | `demo.rs` | `seed_demo_data`: generated demo data |
//! | `error.rs` | `TengError`, the one error at the edge, and the one conversion from the core's |
//!
//! # Conventions for app developers
//!
//! - **Namespace**: Kotlin package `kg.teng.core` (file `teng.kt`); Swift module `Teng` (file
//!   `teng.swift`, C module `TengFFI`). The native library is `libteng_ffi` (`.so`, `.dylib`, `.a`).
//! - **Ids** are UUID text (`String`). A malformed one fails with `InvalidInput` whose `field` is
//!   the parameter's name (`id`, `listing_id`, `building_id`).
//! - **Times** are `Long`/`Int64` milliseconds since 1970-01-01 UTC, named `*_at_ms`
//!   (`Instant.ofEpochMilli(ms)` in Kotlin, `Date(timeIntervalSince1970: Double(ms) / 1000)` in
//!   Swift): exact, any Android API level, the same numbers the database and server use.
//! - **Language**: `Language.KY/RU/EN` (`.ky/.ru/.en`), given to `TengStore.open` and changed
//!   with `setLanguage`; sentences and notes come in it. Every enum has `label(language)` and
//!   `code()`; `choices()` lists every value of every enum in display order.
//! - **Errors**: every fallible call throws `TengException` (Kotlin) / `TengError` (Swift); see
//!   [`error`] for what each case asks the app to do.
//!
//! # Threads
//!
//! `TengStore` is `Send + Sync`: share one instance, call it from any thread, concurrently.
//! Calls are blocking (no async): run them off the main thread (`withContext(Dispatchers.IO)`,
//! a background `Task`/queue). Searches read through a pool of SQLite connections and run in
//! parallel with each other and with a write.
//!
//! # Panics
//!
//! No panic crosses the boundary. Every exported call that can fail runs inside
//! `error::guard`, which turns a panic into `TengError::Internal`; UniFFI's own scaffolding
//! also wraps every call in `catch_unwind`. Both need unwinding, so **no profile used for the
//! bindings sets `panic = "abort"`** (with abort, a panic would kill the app instead of throwing).
//! A panic inside the core while it holds the database poisons the store's locks; later calls
//! answer `StorePoisoned` rather than touch half-written state. A closed store answers
//! `StoreClosed`.
//!
//! # Sync
//!
//! `sync` is the one long call: it blocks for as long as the network needs. It reports progress to
//! a `SyncListener` the app implements (called on the syncing thread) and stops between requests
//! when its `SyncCancellation` is cancelled. Local calls (search, save, report) go on during it;
//! a second `sync` of the same store fails with `SyncInProgress`. The core's sync errors map onto
//! `TengError` (`Offline`, `Server`, `Conflict`, `Unauthorized`, `Cancelled`, `SyncInProgress`).

uniffi::setup_scaffolding!("teng");

pub mod accessibility;
mod demo;
pub mod enums;
pub mod error;
pub mod listings;
pub mod saved;
pub mod search;
pub mod store;
pub mod sync;

pub use error::TengError;
pub use store::TengStore;

#[cfg(test)]
mod tests;

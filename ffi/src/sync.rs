//! Sync: the app's side of `teng_core::sync`. One blocking call (`sync`) with a progress listener the
//! app implements and a cancellation handle; the status, the queue of actions not sent yet, and the
//! problems (rejected or conflicting actions) for the screens; and an ngo member's offline listing
//! edits, which travel through the same queue.
//!
//! `sync` blocks for as long as the network needs (seconds on 2G, a minute for a first sync of the
//! whole country): call it from a background thread (`Dispatchers.IO`, a background `Task`), never
//! the main thread. The listener is called on that thread; hop to the UI thread to draw. Searches,
//! saves and reports keep working while it runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use teng_core::sync as core;
use teng_core::Store;

use crate::error::{parse_id, Result, TengError};
use crate::listings::{ListingSummary, Salary};
use crate::store::TengStore;

/// Where and how to sync. `server_url` is the only required field.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncSettings {
    /// The server, e.g. `https://teng.kg`.
    pub server_url: String,
    /// An ngo member's sign-in token (to send listing edits). Without one, this install registers
    /// itself as an anonymous device on its first sync.
    #[uniffi(default = None)]
    pub user_token: Option<String>,
    /// Changes per page, 1..=1000; smaller pages lose less to a dropped connection on 2G.
    #[uniffi(default = 500)]
    pub page_size: u32,
    /// For one request, answer included.
    #[uniffi(default = 60000)]
    pub request_timeout_ms: u64,
    /// Tries of one request before the sync ends with `Offline` (everything stays queued).
    #[uniffi(default = 6)]
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncPhase {
    /// Sending what the user did offline.
    Sending,
    /// Receiving changes.
    Receiving,
}

/// `done` of `expected` (when known): for a progress bar and its screen-reader text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub done: u64,
    pub expected: Option<u64>,
}

/// Implemented by the app to follow a sync. Called on the syncing thread; keep it quick.
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// Cancels a running sync from another thread ("Cancel" button, app going to the background). The
/// sync stops before its next request and fails with `Cancelled`; what arrived is kept.
#[derive(uniffi::Object, Default)]
pub struct SyncCancellation {
    token: core::CancelToken,
}

#[uniffi::export]
impl SyncCancellation {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn cancel(&self) {
        self.token.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }
}

/// What a finished sync did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncOutcome {
    /// Actions the server confirmed.
    pub sent: u64,
    /// Actions the server refused or found in conflict (also in `sync_problems()`).
    pub problems: Vec<SyncProblem>,
    /// Actions left queued for a later sync (e.g. too many reports for now).
    pub still_pending: u64,
    /// Changes received and applied.
    pub received: u64,
    /// The server asked for (and got) a full resync.
    pub resynced: bool,
    pub requests: u64,
    /// Bytes of answers that crossed the network (compressed): what the user's data plan paid.
    pub bytes_received: u64,
    pub bytes_sent: u64,
    pub duration_ms: u64,
}

/// For the status line: "Last synced 5 minutes ago · 2 actions not sent yet".
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncStatus {
    pub last_success_at_ms: Option<i64>,
    pub last_attempt_at_ms: Option<i64>,
    /// Why the last sync failed (cleared by the next success).
    pub last_error: Option<String>,
    /// Actions not yet confirmed by the server.
    pub pending: u64,
    /// Rejected or conflicting actions the user has not dismissed.
    pub problems: u64,
    /// Progress of the sync running now, if one is.
    pub progress: Option<SyncProgress>,
    /// The catalogue was synced at least once.
    pub has_synced: bool,
    /// This install has a device token.
    pub device_registered: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ActionKind {
    SaveJob,
    UnsaveJob,
    SubmitReport,
    UpdateListing,
    /// "Still not fixed" on a report the city office marked resolved.
    ReopenReport,
}

/// An action done offline and not yet confirmed by the server.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PendingAction {
    pub id: String,
    pub kind: ActionKind,
    /// The listing it is about; for a report, the building; for a reopen, the report.
    pub target_id: String,
    pub created_at_ms: i64,
    /// Sync attempts that ended without the server's answer for it.
    pub attempts: u32,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ProblemKind {
    /// The server will never apply it as sent (the listing is gone, a text too long...).
    Rejected,
    /// The listing changed on the server since the user's copy: both versions are here.
    Conflict,
}

/// An action the server refused or found stale. Show it until the user dismisses it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncProblem {
    pub action_id: String,
    pub action: ActionKind,
    pub target_id: String,
    pub kind: ProblemKind,
    /// The server's reason code (`not_found`, `forbidden`, `invalid`, `conflict`...).
    pub code: Option<String>,
    /// The server's explanation.
    pub reason: String,
    /// The field the server named, if any.
    pub field: Option<String>,
    /// For a listing edit: the user's version.
    pub your_listing: Option<ListingSummary>,
    /// For a conflicting listing edit: the server's version.
    pub server_listing: Option<ListingSummary>,
    pub at_ms: i64,
}

/// An ngo member's change to a listing on the phone; fields left `null`/`nil` keep their value.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ListingChanges {
    #[uniffi(default = None)]
    pub title: Option<String>,
    #[uniffi(default = None)]
    pub description: Option<String>,
    #[uniffi(default = None)]
    pub salary: Option<Salary>,
    /// `Some(None)` cannot cross the FFI; `clear_valid_through` removes the closing date.
    #[uniffi(default = None)]
    pub valid_through_ms: Option<i64>,
    #[uniffi(default = false)]
    pub clear_valid_through: bool,
}

#[uniffi::export]
impl TengStore {
    /// Sends what the user did offline, then receives changes until up to date. Blocks: call it
    /// from a background thread. Errors: `Offline` (nothing lost; retry later), `Unauthorized`
    /// (an ngo token expired: sign in again), `Server`, `Cancelled`, `SyncInProgress`,
    /// `InvalidInput` (field `server_url`, `page_size`).
    pub fn sync(
        &self,
        settings: SyncSettings,
        listener: Option<Arc<dyn SyncListener>>,
        cancellation: Option<Arc<SyncCancellation>>,
    ) -> Result<SyncOutcome> {
        self.call(|store, _| {
            let mut config = core::SyncConfig::new(settings.server_url);
            config.user_token = settings.user_token;
            config.page_size = settings.page_size;
            config.request_timeout = Duration::from_millis(settings.request_timeout_ms.max(1));
            config.retry.max_attempts = settings.max_attempts.max(1);
            let client = core::SyncClient::new(Arc::clone(store), config)?;
            let observer = Listener(listener);
            let cancel = cancellation.map(|c| c.token.clone()).unwrap_or_default();
            let started = Instant::now();
            let report = client.sync(&observer, &cancel)?;
            Ok(SyncOutcome {
                sent: report.pushed,
                problems: report
                    .problems
                    .into_iter()
                    .map(|p| problem(store, p))
                    .collect::<Result<_>>()?,
                still_pending: report.still_pending,
                received: report.pulled.applied,
                resynced: report.resynced,
                requests: report.requests,
                bytes_received: report.bytes_received,
                bytes_sent: report.bytes_sent,
                duration_ms: started.elapsed().as_millis() as u64,
            })
        })
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        self.call(|store, _| {
            let status = store.sync_status()?;
            Ok(SyncStatus {
                last_success_at_ms: status.last_success_at.map(|t| t.timestamp_millis()),
                last_attempt_at_ms: status.last_attempt_at.map(|t| t.timestamp_millis()),
                last_error: status.last_error.clone(),
                pending: status.pending,
                problems: status.problems,
                progress: status.progress.map(progress),
                has_synced: status.cursor > 0,
                device_registered: store.device_token()?.is_some(),
            })
        })
    }

    /// Actions not sent yet, oldest first.
    pub fn pending_actions(&self) -> Result<Vec<PendingAction>> {
        self.call(|store, _| {
            Ok(store
                .pending_mutations()?
                .into_iter()
                .map(|p| PendingAction {
                    id: p.id.to_string(),
                    kind: action_kind(&p.mutation),
                    target_id: p.mutation.target().to_string(),
                    created_at_ms: p.created_at.timestamp_millis(),
                    attempts: p.attempts,
                    last_error: p.last_error,
                })
                .collect())
        })
    }

    /// Whether an action on this listing or building is waiting to be sent ("not sent yet").
    pub fn has_pending_action(&self, target_id: String) -> Result<bool> {
        self.call(|store, _| Ok(store.has_pending(parse_id("target_id", &target_id)?)?))
    }

    /// Rejected or conflicting actions, newest first.
    pub fn sync_problems(&self) -> Result<Vec<SyncProblem>> {
        self.call(|store, _| {
            store
                .sync_problems()?
                .into_iter()
                .map(|p| problem(store, p))
                .collect()
        })
    }

    /// The user has seen a problem. Returns whether it was there.
    pub fn dismiss_sync_problem(&self, action_id: String) -> Result<bool> {
        self.call(|store, _| Ok(store.dismiss_sync_problem(parse_id("action_id", &action_id)?)?))
    }

    /// This install's device token, to keep in the platform's key store (Android Keystore-backed
    /// storage, iOS Keychain): restored after a reinstall with `set_device_token`, it brings the
    /// user's saved jobs back on the first sync.
    pub fn device_token(&self) -> Result<Option<String>> {
        self.call(|store, _| Ok(store.device_token()?))
    }

    pub fn set_device_token(&self, token: String) -> Result<()> {
        self.call(|store, _| Ok(store.set_device_token(&token)?))
    }

    /// An ngo member edits a listing offline: shown at once, sent on the next sync (made with the
    /// member's `user_token`). If someone changed it on the server meanwhile, the sync reports a
    /// `Conflict` problem with both versions. Errors: `NotFound`, `InvalidInput` naming the field.
    pub fn edit_listing(
        &self,
        listing_id: String,
        changes: ListingChanges,
    ) -> Result<ListingSummary> {
        self.call(|store, _| {
            let id = parse_id("listing_id", &listing_id)?;
            let mut listing = store
                .listing(id)?
                .ok_or_else(|| TengError::not_found("listing", id))?;
            if let Some(title) = changes.title {
                listing.title = title;
            }
            if let Some(description) = changes.description {
                listing.description = description;
            }
            if let Some(salary) = changes.salary {
                listing.salary = Some(teng_core::model::Salary {
                    min: salary.min,
                    max: salary.max,
                    period: salary.period.into(),
                });
            }
            if changes.clear_valid_through {
                listing.valid_through = None;
            } else if let Some(ms) = changes.valid_through_ms {
                listing.valid_through = Some(
                    chrono::DateTime::from_timestamp_millis(ms)
                        .ok_or_else(|| TengError::invalid("valid_through_ms", "out of range"))?,
                );
            }
            store.edit_listing(&listing)?;
            summary(store, listing)
        })
    }
}

struct Listener(Option<Arc<dyn SyncListener>>);

impl core::SyncObserver for Listener {
    fn progress(&self, p: core::SyncProgress) {
        if let Some(listener) = &self.0 {
            listener.on_progress(progress(p));
        }
    }
}

fn progress(p: core::SyncProgress) -> SyncProgress {
    SyncProgress {
        phase: match p.phase {
            core::SyncPhase::Pushing => SyncPhase::Sending,
            core::SyncPhase::Pulling => SyncPhase::Receiving,
        },
        done: p.done,
        expected: p.expected,
    }
}

fn action_kind(m: &core::Mutation) -> ActionKind {
    match m {
        core::Mutation::SaveJob { .. } => ActionKind::SaveJob,
        core::Mutation::UnsaveJob { .. } => ActionKind::UnsaveJob,
        core::Mutation::SubmitReport { .. } => ActionKind::SubmitReport,
        core::Mutation::UpdateListing { .. } => ActionKind::UpdateListing,
        core::Mutation::ReopenReport { .. } => ActionKind::ReopenReport,
    }
}

/// A listing as a result row shows it, with its organization's name when it is on the phone.
fn summary(store: &Store, listing: teng_core::model::JobListing) -> Result<ListingSummary> {
    let organization = store.organization(listing.organization_id)?;
    Ok(ListingSummary::new(
        listing,
        organization
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        organization.is_some_and(|o| o.verified),
        Utc::now(),
    ))
}

fn problem(store: &Store, p: core::SyncProblem) -> Result<SyncProblem> {
    let server_listing = p.server_listing().map(|l| summary(store, l)).transpose()?;
    let your_listing = match &p.local {
        core::Mutation::UpdateListing { listing, .. } => Some(summary(store, listing.clone())?),
        _ => None,
    };
    Ok(SyncProblem {
        action_id: p.mutation_id.to_string(),
        action: action_kind(&p.local),
        target_id: p.local.target().to_string(),
        kind: match p.kind {
            core::ProblemKind::Rejected => ProblemKind::Rejected,
            core::ProblemKind::Conflict => ProblemKind::Conflict,
        },
        code: p.code,
        reason: p.message,
        field: p.field,
        your_listing,
        server_listing,
        at_ms: p.at.timestamp_millis(),
    })
}

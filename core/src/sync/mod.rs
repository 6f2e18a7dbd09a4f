//! Offline-first sync: the phone's copy of the catalogue and the server's agree, over networks that
//! drop, stall and repeat, without losing or duplicating anything the user did.
//!
//! A sync pushes the outbox, then pulls pages until the server has nothing newer:
//!
//! 1. **Push** ([`outbox`]): queued mutations go in batches of up to 100, each under the id it got when
//!    the user acted. The server applies each at most once (it keeps a receipt per id in the same
//!    transaction as the effect), so a batch whose answer was lost is simply sent again. A mutation
//!    leaves the queue only once the server answered for it.
//! 2. **Pull** ([`apply`]): each page is applied in one SQLite transaction together with its cursor;
//!    a crash or a cancel between pages loses nothing, and the next sync resumes after the last page.
//!
//! Temporary failures (timeouts, dropped connections, cut bodies, 5xx, 429) are retried with
//! exponential backoff and jitter ([`retry`]); when the tries run out, the sync ends with
//! [`Error::Offline`] and everything queued stays queued for the next one. Rejections are never
//! retried: they are kept as [`SyncProblem`]s for the user and the queue moves on.
//!
//! [`SyncClient::sync`] blocks the calling thread (call it from a background thread); it reports
//! progress to a [`SyncObserver`] and stops between requests when its [`CancelToken`] is cancelled.
//! Only one sync runs per [`Store`] at a time; local writes and searches go on during it.

pub(crate) mod apply;
mod http;
pub(crate) mod outbox;
pub mod protocol;
mod retry;
pub(crate) mod state;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use uuid::Uuid;

pub use apply::PageOutcome;
#[doc(hidden)]
pub use http::read_pull_page;
pub use http::WireCounters;
pub use outbox::{PendingMutation, ProblemKind, SyncProblem};
pub use protocol::{Mutation, ReportPayload};
pub use retry::{CancelToken, RetryPolicy};
pub use state::{SyncPhase, SyncProgress, SyncStatus};

use crate::error::{Error, Result};
use crate::model::{JobListing, ListingStatus};
use crate::store::{self, Store};
use http::{Failure, Transport};
use outbox::Refusal;
use protocol::{Outcome, PullPage, PushRequest, PushResult, PushedMutation, SnapshotChunk};

/// Where and how to sync.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// The server's base address, e.g. `https://teng.kg` or `http://127.0.0.1:8080`. Plain
    /// `http://` is accepted only to loopback (127.0.0.0/8, ::1, `localhost`): the token must not
    /// cross a network in the clear. Redirects to another origin are not followed.
    pub server_url: String,
    /// An ngo or admin user's token, for listing edits and surveys. Without one, the install
    /// registers itself as an anonymous device on its first sync and keeps that token.
    pub user_token: Option<String>,
    /// Changes per pulled page (1..=1000). Smaller pages mean less work lost to a dropped connection
    /// on 2G; larger ones fewer round trips.
    pub page_size: u32,
    /// Mutations per push (1..=100).
    pub push_batch: usize,
    pub connect_timeout: Duration,
    /// For one whole request, answer included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
}

impl SyncConfig {
    pub fn new(server_url: impl Into<String>) -> Self {
        SyncConfig {
            server_url: server_url.into(),
            user_token: None,
            page_size: 500,
            push_batch: 100,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }
}

/// Told about progress while a sync runs (on the syncing thread; keep it quick).
pub trait SyncObserver: Send + Sync {
    fn progress(&self, progress: SyncProgress);
}

/// An observer for callers that do not show progress.
pub struct NoProgress;

impl SyncObserver for NoProgress {
    fn progress(&self, _: SyncProgress) {}
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Mutations the server confirmed (applied now or before).
    pub pushed: u64,
    /// Mutations that became [`SyncProblem`]s (rejected or in conflict).
    pub problems: Vec<SyncProblem>,
    /// Mutations left queued for a later sync (e.g. reports over the server's rate limit).
    pub still_pending: u64,
    /// Pulled pages and what became of their changes.
    pub pages: u64,
    /// Of those pages, the first-sync snapshot chunks applied.
    pub snapshot_chunks: u64,
    pub pulled: PageOutcome,
    /// The server asked for a full resync, which was done.
    pub resynced: bool,
    /// Time spent applying pulled pages to the local database (the rest is network and server).
    pub apply_time: Duration,
    pub requests: u64,
    pub bytes_received: u64,
    pub bytes_sent: u64,
}

pub struct SyncClient {
    store: Arc<Store>,
    transport: Transport,
    config: SyncConfig,
}

impl SyncClient {
    pub fn new(store: Arc<Store>, config: SyncConfig) -> Result<SyncClient> {
        if !(1..=1000).contains(&config.page_size) {
            return Err(Error::InvalidInput {
                field: "page_size",
                reason: format!("{} is not in 1..=1000", config.page_size),
            });
        }
        if !(1..=100).contains(&config.push_batch) {
            return Err(Error::InvalidInput {
                field: "push_batch",
                reason: format!("{} is not in 1..=100", config.push_batch),
            });
        }
        let transport = Transport::new(
            &config.server_url,
            config.connect_timeout,
            config.request_timeout,
        )
        .map_err(|reason| Error::InvalidInput {
            field: "server_url",
            reason: format!("{:?}: {reason}", config.server_url),
        })?;
        Ok(SyncClient {
            store,
            transport,
            config,
        })
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Bytes and requests this client sent and received so far, across syncs.
    pub fn wire(&self) -> &WireCounters {
        &self.transport.counters
    }

    /// Pushes the outbox, then pulls until up to date. Blocks; see the module docs.
    pub fn sync(&self, observer: &dyn SyncObserver, cancel: &CancelToken) -> Result<SyncReport> {
        let _one_at_a_time = self.store.try_lock_sync()?;
        let started = Utc::now();
        self.store
            .write(|tx| state::set_time(tx, state::LAST_ATTEMPT, started))?;
        let before = (
            self.wire().requests.load(Ordering::Relaxed),
            self.wire().received.load(Ordering::Relaxed),
            self.wire().sent.load(Ordering::Relaxed),
        );
        let mut report = SyncReport::default();
        let result = self.run(observer, cancel, &mut report);
        self.store.set_sync_progress(None)?;
        report.requests = self.wire().requests.load(Ordering::Relaxed) - before.0;
        report.bytes_received = self.wire().received.load(Ordering::Relaxed) - before.1;
        report.bytes_sent = self.wire().sent.load(Ordering::Relaxed) - before.2;
        match result {
            Ok(()) => {
                self.store.write(|tx| {
                    state::set_time(tx, state::LAST_SUCCESS, Utc::now())?;
                    state::clear(tx, state::LAST_ERROR)
                })?;
                Ok(report)
            }
            Err(e) => {
                let message = e.to_string();
                self.store
                    .write(|tx| state::set(tx, state::LAST_ERROR, &message))?;
                Err(e)
            }
        }
    }

    fn run(
        &self,
        observer: &dyn SyncObserver,
        cancel: &CancelToken,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut token = self.token(cancel)?;
        self.push_outbox(&mut token, observer, cancel, report)?;
        self.pull_all(&mut token, observer, cancel, report)
    }

    fn push_outbox(
        &self,
        token: &mut String,
        observer: &dyn SyncObserver,
        cancel: &CancelToken,
        report: &mut SyncReport,
    ) -> Result<()> {
        let expected = self.store.read(outbox::count)?;
        let mut progress = SyncProgress {
            phase: SyncPhase::Pushing,
            done: 0,
            expected: Some(expected),
        };
        self.show(observer, progress)?;
        // Walk the queue by position, so mutations that stay queued (rate limited) are not resent
        // within this sync.
        let mut after = 0;
        loop {
            let mut batch = self
                .store
                .read(|conn| outbox::batch(conn, after, self.config.push_batch))?;
            until_second_edit_of_a_listing(&mut batch);
            let Some(last) = batch.last() else {
                break;
            };
            after = last.seq;
            self.push_batch(token, &batch, cancel, report)?;
            progress.done += batch.len() as u64;
            // Mutations the user made during the sync go out with it.
            progress.expected = Some(expected.max(progress.done));
            self.show(observer, progress)?;
        }
        Ok(())
    }

    fn push_batch(
        &self,
        token: &mut String,
        batch: &[PendingMutation],
        cancel: &CancelToken,
        report: &mut SyncReport,
    ) -> Result<()> {
        let request = PushRequest {
            mutations: batch
                .iter()
                .map(|p| PushedMutation {
                    id: p.id,
                    mutation: &p.mutation,
                })
                .collect(),
        };
        let answer = match self.call(cancel, || self.transport.push(token, &request)) {
            Ok(answer) => answer,
            Err(e) => {
                if matches!(e, Error::Offline { .. }) {
                    let ids: Vec<Uuid> = batch.iter().map(|p| p.id).collect();
                    let message = e.to_string();
                    self.store
                        .write(|tx| outbox::note_failure(tx, &ids, &message))?;
                }
                return Err(e);
            }
        };
        match answer {
            Ok(response) => self.settle(token, batch, response.results, cancel, report),
            Err(Failure::Unauthorized) => {
                *token = self.register_again(cancel)?;
                match self.call(cancel, || self.transport.push(token, &request))? {
                    Ok(response) => self.settle(token, batch, response.results, cancel, report),
                    Err(failure) => Err(failure_error(failure)),
                }
            }
            // The batch as a whole was refused for its content (too large, malformed): send the
            // mutations one by one so that one bad mutation cannot hold back the others.
            Err(Failure::Rejected { status, .. })
                if batch.len() > 1 && matches!(status, 400 | 413 | 422) =>
            {
                for one in batch {
                    self.push_batch(token, std::slice::from_ref(one), cancel, report)?;
                }
                Ok(())
            }
            Err(Failure::Rejected {
                status: 400 | 413 | 422,
                code,
                message,
            }) => {
                let pending = &batch[0];
                let now = Utc::now();
                let refusal = Refusal {
                    kind: ProblemKind::Rejected,
                    code: Some(&code),
                    message: &message,
                    field: None,
                    server: None,
                };
                self.store.write(|tx| {
                    outbox::record_problem(tx, pending, &refusal, now)?;
                    outbox::remove(tx, pending.id)
                })?;
                report.problems.extend(self.problems(&[pending.id])?);
                Ok(())
            }
            Err(failure) => Err(failure_error(failure)),
        }
    }

    /// Takes the server's answers for a pushed batch into the outbox and the local data.
    fn settle(
        &self,
        token: &str,
        batch: &[PendingMutation],
        results: Vec<PushResult>,
        cancel: &CancelToken,
        report: &mut SyncReport,
    ) -> Result<()> {
        let now = Utc::now();
        let mut refetch = Vec::new();
        let mut problems = Vec::new();
        self.store.write_catalogue(|tx| {
            for result in &results {
                let Some(pending) = batch.iter().find(|p| Some(p.id) == result.id) else {
                    continue;
                };
                let edited = match &pending.mutation {
                    Mutation::UpdateListing { listing_id, .. } => Some(*listing_id),
                    _ => None,
                };
                match &result.outcome {
                    Outcome::Applied { version, .. } | Outcome::Duplicate { version, .. } => {
                        outbox::remove(tx, pending.id)?;
                        if let (Some(listing), Some(version)) = (edited, version) {
                            outbox::set_local_listing_version(tx, listing, *version)?;
                            outbox::rebase_listing_edits(tx, listing, *version)?;
                        }
                        report.pushed += 1;
                    }
                    Outcome::Rejected { code, message, .. } if code == "rate_limited" => {
                        outbox::note_failure(tx, &[pending.id], message)?;
                        report.still_pending += 1;
                    }
                    Outcome::Rejected {
                        code,
                        message,
                        field,
                    } => {
                        let refusal = Refusal {
                            kind: ProblemKind::Rejected,
                            code: Some(code),
                            message,
                            field: field.as_deref(),
                            server: None,
                        };
                        outbox::record_problem(tx, pending, &refusal, now)?;
                        outbox::remove(tx, pending.id)?;
                        problems.push(pending.id);
                        refetch.extend(edited);
                    }
                    Outcome::Conflict { message, current } => {
                        let refusal = Refusal {
                            kind: ProblemKind::Conflict,
                            code: Some("conflict"),
                            message,
                            field: None,
                            server: Some(current),
                        };
                        outbox::record_problem(tx, pending, &refusal, now)?;
                        outbox::remove(tx, pending.id)?;
                        problems.push(pending.id);
                        if let Some(listing) = edited {
                            // The user's version is kept in the problem; the catalogue shows the
                            // server's, as every other phone does.
                            let server = serde_json::from_value::<JobListing>(current.clone()).ok();
                            put_server_listing(tx, listing, server)?;
                        }
                    }
                }
            }
            Ok(())
        })?;
        report.problems.extend(self.problems(&problems)?);
        // A refused edit leaves the user's version in the catalogue: put the server's back.
        for listing in refetch {
            let answer = self.call(cancel, || self.transport.listing(token, listing))?;
            let server = match answer {
                Ok(found) => found,
                Err(failure) => return Err(failure_error(failure)),
            };
            self.store
                .write_catalogue(|tx| put_server_listing(tx, listing, server))?;
        }
        Ok(())
    }

    fn pull_all(
        &self,
        token: &mut String,
        observer: &dyn SyncObserver,
        cancel: &CancelToken,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut since = self.store.read(state::cursor)?;
        let mut progress = SyncProgress {
            phase: SyncPhase::Pulling,
            done: 0,
            expected: None,
        };
        self.show(observer, progress)?;
        let following_snapshot = self
            .store
            .read(|c| state::get(c, state::SNAPSHOT))?
            .is_some();
        if since == 0 || following_snapshot {
            since = self.pull_snapshot(token, since, observer, cancel, report, &mut progress)?;
        }
        let mut first = true;
        let mut registered_again = false;
        loop {
            let limit = self.config.page_size;
            let answer = self.call(cancel, || self.transport.pull(token, since, limit, first))?;
            let page = match answer {
                Ok(page) => page,
                Err(Failure::ResyncRequired) if !report.resynced => {
                    self.store.write_catalogue(apply::begin_resync)?;
                    report.resynced = true;
                    since =
                        self.pull_snapshot(token, 0, observer, cancel, report, &mut progress)?;
                    first = true;
                    continue;
                }
                // Once per sync: a server that refuses a brand-new device token has another problem.
                Err(Failure::Unauthorized) if !registered_again => {
                    *token = self.register_again(cancel)?;
                    registered_again = true;
                    continue;
                }
                Err(failure) => return Err(failure_error(failure)),
            };
            self.apply(since, &page, report)?;
            progress.done += page.changes.len() as u64;
            if let Some(remaining) = page.remaining {
                progress.expected = Some(progress.done + remaining);
            }
            self.show(observer, progress)?;
            since = page.next;
            first = false;
            if !page.has_more {
                return Ok(());
            }
        }
    }

    /// Applies one pulled page (or snapshot chunk) with its cursor, in one local transaction.
    fn apply(&self, since: i64, page: &PullPage, report: &mut SyncReport) -> Result<()> {
        let started = Instant::now();
        let outcome = self
            .store
            .write_catalogue(|tx| apply::apply_page(tx, since, page))?;
        report.apply_time += started.elapsed();
        report.pages += 1;
        report.pulled.applied += outcome.applied;
        report.pulled.kept_local += outcome.kept_local;
        report.pulled.deferred = outcome.deferred;
        report.pulled.skipped += outcome.skipped;
        Ok(())
    }

    /// A first sync takes the newest snapshot's chunks (docs/sync-protocol.md "First sync from a
    /// snapshot"): the same pull pages every phone needs, recorded once, which a cache on the way
    /// may serve. Applies the chunks that continue from `since` and hold nothing of this device's
    /// own, and returns the cursor reached; the pulls go on from there. A chunk that is gone or
    /// does not fit ends the chunks, not the sync: pulling from any cursor they reached is sound.
    fn pull_snapshot(
        &self,
        token: &str,
        mut since: i64,
        observer: &dyn SyncObserver,
        cancel: &CancelToken,
        report: &mut SyncReport,
        progress: &mut SyncProgress,
    ) -> Result<i64> {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        // One try: without a manifest (none yet, an older server, a failure of any kind) the
        // pulls do the same job, with their own retries.
        let manifest = match self.transport.snapshot_manifest(token) {
            Ok(Some(manifest)) => manifest,
            Ok(None) | Err(_) => {
                self.store.write(|tx| state::clear(tx, state::SNAPSHOT))?;
                return Ok(since);
            }
        };
        let below_private =
            |chunk: &SnapshotChunk| manifest.private_from.is_none_or(|first| chunk.next < first);
        // A client that asked for smaller pages than a chunk (a cheap phone, a test stepping
        // page by page) pulls them instead.
        let fits = |chunk: &SnapshotChunk| chunk.records <= self.config.page_size;
        let usable: Vec<&SnapshotChunk> = manifest
            .chunks
            .iter()
            .skip_while(|chunk| chunk.since != since)
            .take_while(|chunk| below_private(chunk) && fits(chunk))
            .collect();
        if !usable.is_empty() {
            // Marked, so a sync cut among the chunks resumes with them.
            self.store
                .write(|tx| state::set(tx, state::SNAPSHOT, "1"))?;
            progress.expected = Some(usable.iter().map(|c| u64::from(c.records)).sum());
        }
        for chunk in usable {
            if chunk.since != since {
                break;
            }
            let mut partial = Vec::new();
            let page = match self.call(cancel, || {
                self.transport.snapshot_chunk(chunk, &mut partial)
            })? {
                Ok(page) if page.next == chunk.next => page,
                // Replaced by a newer snapshot (404) or not the page the manifest promised.
                _ => break,
            };
            self.apply(since, &page, report)?;
            report.snapshot_chunks += 1;
            progress.done += page.changes.len() as u64;
            self.show(observer, *progress)?;
            since = page.next;
        }
        self.store.write(|tx| state::clear(tx, state::SNAPSHOT))?;
        Ok(since)
    }

    /// The token to sync with: the user's, the stored device token, or a new device registration.
    fn token(&self, cancel: &CancelToken) -> Result<String> {
        if let Some(token) = &self.config.user_token {
            return Ok(token.clone());
        }
        if let Some(token) = self.store.device_token()? {
            return Ok(token);
        }
        let token = self.register(cancel)?;
        self.store
            .write(|tx| state::set(tx, state::DEVICE_TOKEN, &token))?;
        Ok(token)
    }

    /// The device token expired or was revoked: register again, and queue the saved jobs again,
    /// since the server keeps them with the old device.
    fn register_again(&self, cancel: &CancelToken) -> Result<String> {
        if self.config.user_token.is_some() {
            return Err(Error::Unauthorized);
        }
        let token = self.register(cancel)?;
        let now = Utc::now();
        self.store.write(|tx| {
            state::set(tx, state::DEVICE_TOKEN, &token)?;
            for job in store::saved::list(tx)? {
                let mutation = Mutation::SaveJob {
                    listing_id: job.listing_id,
                    note: job.note,
                    saved_at: job.saved_at,
                };
                outbox::enqueue(tx, &mutation, now)?;
            }
            Ok(())
        })?;
        Ok(token)
    }

    fn register(&self, cancel: &CancelToken) -> Result<String> {
        match self.call(cancel, || self.transport.register_device())? {
            Ok(token) => Ok(token),
            Err(failure) => Err(failure_error(failure)),
        }
    }

    /// Runs `request`, retrying temporary failures. `Err` when cancelled or out of tries; `Ok(Err)`
    /// for answers the caller must handle (unauthorized, resync, rejected).
    fn call<T>(
        &self,
        cancel: &CancelToken,
        mut request: impl FnMut() -> Result<T, Failure>,
    ) -> Result<Result<T, Failure>> {
        let mut rng = retry::jitter_rng();
        let mut attempt = 1;
        loop {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            match request() {
                Err(Failure::Temporary {
                    detail,
                    retry_after,
                }) => match self.config.retry.delay(attempt, retry_after, &mut rng) {
                    Some(wait) => {
                        if !cancel.sleep(wait) {
                            return Err(Error::Cancelled);
                        }
                        attempt += 1;
                    }
                    None => {
                        return Err(Error::Offline {
                            detail,
                            attempts: attempt,
                        })
                    }
                },
                other => return Ok(other),
            }
        }
    }

    fn show(&self, observer: &dyn SyncObserver, progress: SyncProgress) -> Result<()> {
        self.store.set_sync_progress(Some(progress))?;
        observer.progress(progress);
        Ok(())
    }

    /// The stored problems of these mutations, read in one go.
    fn problems(&self, ids: &[Uuid]) -> Result<Vec<SyncProblem>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .store
            .sync_problems()?
            .into_iter()
            .filter(|p| ids.contains(&p.mutation_id))
            .collect())
    }
}

impl Store {
    /// Applies one page of the server's change log that the caller pulled itself with cursor
    /// `since` (the server keeps a `Store` as its job search index, fed from its own log exactly as
    /// a phone is fed by [`SyncClient::sync`]): the page's records and its cursor in one
    /// transaction, with the same rules as a phone's pull (deferred references, a resync's end).
    /// Fails with [`Error::SyncInProgress`], changing nothing, if the stored cursor is not `since`.
    /// The cursor is [`Store::sync_status`]`.cursor`. An empty page only moves the cursor, so
    /// searches keep their facets (unless it ends a resync, which may delete records).
    ///
    /// `Error::Server { status: 410, .. }` from the source (the cursor is older than its retained
    /// log) is answered with [`Store::begin_full_resync`] and pulling again from 0.
    pub fn apply_pulled_page(&self, since: i64, page: &protocol::PullPage) -> Result<PageOutcome> {
        let mut catalogue_changes = !page.changes.is_empty();
        let outcome = self.write(|tx| {
            catalogue_changes |= state::get(tx, state::RESYNC)?.is_some();
            apply::apply_page(tx, since, page)
        })?;
        if catalogue_changes {
            self.generation.fetch_add(1, Ordering::Release);
        }
        Ok(outcome)
    }

    /// Starts the catalogue over (after a `410 resync_required`): the cursor goes back to 0, and
    /// at the last page of the next full pass whatever that pass did not bring back is deleted.
    pub fn begin_full_resync(&self) -> Result<()> {
        self.write_catalogue(apply::begin_resync)
    }
}

/// Cuts a batch before a second edit of the same listing: that edit must be sent against the version
/// the first one gets (see `outbox::rebase_listing_edits`), known only from the first one's answer.
fn until_second_edit_of_a_listing(batch: &mut Vec<PendingMutation>) {
    let mut edited = std::collections::HashSet::new();
    let cut = batch.iter().position(|p| match &p.mutation {
        Mutation::UpdateListing { listing_id, .. } => !edited.insert(*listing_id),
        _ => false,
    });
    if let Some(cut) = cut {
        batch.truncate(cut);
    }
}

/// The catalogue shows the server's version of a listing the user edited: kept if published,
/// removed otherwise (phones only list published jobs).
fn put_server_listing(
    tx: &rusqlite::Transaction<'_>,
    id: Uuid,
    server: Option<JobListing>,
) -> Result<()> {
    match server {
        Some(listing) if listing.status == ListingStatus::Published && listing.id == id => {
            store::apply_in(
                tx,
                &store::ChangeBatch {
                    listings: vec![listing],
                    ..Default::default()
                },
            )
        }
        _ => store::apply_in(
            tx,
            &store::ChangeBatch {
                deleted_listings: vec![id],
                ..Default::default()
            },
        ),
    }
}

fn failure_error(failure: Failure) -> Error {
    match failure {
        Failure::Temporary { detail, .. } => Error::Offline {
            detail,
            attempts: 1,
        },
        Failure::Unauthorized => Error::Unauthorized,
        Failure::ResyncRequired => Error::Server {
            status: 410,
            code: "resync_required".into(),
            message: "the server asked for a second full resync in one sync".into(),
        },
        Failure::Rejected {
            status,
            code,
            message,
        } => Error::Server {
            status,
            code,
            message,
        },
    }
}

#[cfg(test)]
mod report_status_tests;
#[cfg(test)]
mod tests;

//! Storage behind a trait, so a PostgreSQL backend can follow without touching handlers.
//!
//! The trait is synchronous: handlers call it through `tokio::task::spawn_blocking` (see
//! [`crate::state::AppState::db`]). Every method that changes a public record appends to the change log
//! in the same transaction; the log's sequence number is the sync cursor.

pub mod city;
pub mod copy;
mod logic;
pub mod open311;
pub mod postgres;
pub mod snapshot;
pub mod sql;
pub mod sqlite;

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use teng_core::model::{Building, JobListing, ListingStatus, Organization, ValidationError};

use crate::auth::Role;
use teng_core::accessibility::{AccessibilityReport, BuildingSummary};

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The record changed since the client read it (or cannot move to the asked state).
    #[error("{message}")]
    Conflict {
        message: String,
        current: serde_json::Value,
    },
    /// The record is not in a state that allows the change (e.g. reopening an unanswered report).
    #[error("{message}")]
    InvalidState {
        field: &'static str,
        message: String,
    },
    /// A per-device or per-record cap is reached (429).
    #[error("{0}")]
    Limited(String),
    /// A unique name or id is already taken.
    #[error("{0}")]
    Duplicate(String),
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The cursor is older than the retained change log (or newer than anything the server wrote).
    #[error("cursor {since} cannot be served (oldest retained: {floor}); start over with since=0")]
    Resync { since: i64, floor: i64 },
    /// Temporary: the database is busy or locked. Clients retry.
    #[error("the database is busy; retry shortly")]
    Busy,
    #[error("storage failure: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StorageError::Busy,
            Some(ErrorCode::ConstraintViolation) => {
                StorageError::Duplicate("the change conflicts with a stored record".into())
            }
            _ => StorageError::Internal(e.to_string()),
        }
    }
}

impl From<::postgres::Error> for StorageError {
    fn from(e: ::postgres::Error) -> Self {
        use ::postgres::error::SqlState;
        let Some(db) = e.as_db_error() else {
            // The connection broke: like a locked SQLite file, worth retrying shortly.
            return if e.is_closed() {
                StorageError::Busy
            } else {
                StorageError::Internal(e.to_string())
            };
        };
        let code = db.code();
        if code.code().starts_with("23") {
            StorageError::Duplicate("the change conflicts with a stored record".into())
        } else if [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::LOCK_NOT_AVAILABLE,
            SqlState::QUERY_CANCELED,
        ]
        .contains(code)
        {
            StorageError::Busy
        } else {
            StorageError::Internal(format!("{}: {}", code.code(), db.message()))
        }
    }
}

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        StorageError::Internal(format!("stored JSON: {e}"))
    }
}

/// A record plus the server's revision of it (for records whose core type has no `version`).
#[derive(Debug, Clone, Serialize)]
pub struct Versioned<T> {
    #[serde(flatten)]
    pub record: T,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildingRecord {
    #[serde(flatten)]
    pub building: Building,
    /// The organization that registered it (it and admins may edit it).
    pub organization_id: Option<Uuid>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub organization_id: Option<Uuid>,
    /// A city office's city; its report queries are limited to it.
    pub city: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct UserWithHash {
    pub user: User,
    pub password_hash: String,
}

/// Who a valid bearer token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User(User),
    Device(Uuid),
}

#[derive(Debug, Clone, Copy)]
pub enum TokenOwner {
    User(Uuid),
    Device(Uuid),
}

#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    pub organization_id: Option<Uuid>,
    pub status: Option<ListingStatus>,
    pub after: Option<Uuid>,
    pub limit: usize,
}

#[derive(Debug, Clone, Default)]
pub struct BuildingFilter {
    /// Only buildings this organization registered.
    pub organization_id: Option<Uuid>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub after: Option<Uuid>,
    pub limit: usize,
}

/// What an organization's listings table asks for (the web pages, issue 12).
#[derive(Debug, Clone, Default)]
pub struct OrgListingQuery {
    /// `None`: every organization's (admins).
    pub organization_id: Option<Uuid>,
    pub status: Option<ListingStatus>,
    /// Words already folded by `teng_core::search::text::fold`; every one must appear.
    pub words: Vec<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One row of that table: the listing and how many phones saved it.
#[derive(Debug, Clone)]
pub struct OrgListingRow {
    pub listing: JobListing,
    pub saved_by: u64,
}

#[derive(Debug, Clone, Default)]
pub struct OrgListingPage {
    pub rows: Vec<OrgListingRow>,
    /// Rows matching the query in all pages.
    pub total: u64,
}

teng_core::coded_enum! {
    /// Where a city office's handling of a reported building issue stands (the codes are the sync
    /// protocol's `report_status` codes, docs/sync-protocol.md).
    pub enum IssueStatus as "issue status" {
        /// Received; nobody has answered yet.
        Open => "open",
        Acknowledged => "acknowledged",
        InProgress => "in_progress",
        Resolved => "resolved",
        /// Not the city's responsibility; the note says why.
        NotResponsible => "not_responsible",
        /// The reporter said a resolved report is still not fixed.
        Reopened => "reopened",
    }
}

impl IssueStatus {
    /// Statuses a city office may give; `open` is where every report starts and `reopened` is the
    /// reporter's word.
    pub const CITY_ANSWERS: [IssueStatus; 4] = [
        IssueStatus::Acknowledged,
        IssueStatus::InProgress,
        IssueStatus::Resolved,
        IssueStatus::NotResponsible,
    ];

    /// Still waiting for the city (the inbox's "open" filter and the digest's open count).
    pub fn is_open(self) -> bool {
        !matches!(self, IssueStatus::Resolved | IssueStatus::NotResponsible)
    }
}

/// Who gave a report a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusBy {
    /// A city office user (or an admin).
    City,
    /// The reporter's own device (`reopen_report`).
    Reporter,
}

impl StatusBy {
    pub fn code(self) -> &'static str {
        match self {
            StatusBy::City => "city",
            StatusBy::Reporter => "reporter",
        }
    }
}

/// A city office's answer to a report.
#[derive(Debug, Clone)]
pub struct StatusAnswer {
    pub status: IssueStatus,
    pub note: Option<String>,
    /// The language the note is written in (`ky`, `ru`, `en`).
    pub lang: Option<String>,
    pub by: Uuid,
    /// When set, the report's building must be in this city.
    pub city_scope: Option<String>,
}

/// One entry of a report's status history (append-only).
#[derive(Debug, Clone, Serialize)]
pub struct StatusEntry {
    pub status: IssueStatus,
    pub note: Option<String>,
    pub lang: Option<String>,
    pub at: DateTime<Utc>,
    pub by: StatusBy,
    /// The city user who gave it; never sent to phones.
    #[serde(skip)]
    pub by_user: Option<Uuid>,
}

/// Who submitted a report.
#[derive(Debug, Clone, Copy)]
pub enum Reporter {
    Device(Uuid),
    User(Uuid),
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRecord {
    #[serde(flatten)]
    pub report: AccessibilityReport,
    /// "device", "surveyor" or "external_system" (an Open311 client's report).
    pub source: &'static str,
    pub received_at: DateTime<Utc>,
    pub status: IssueStatus,
    pub status_note: Option<String>,
    /// The language of `status_note`.
    pub status_lang: Option<String>,
    pub status_updated_at: Option<DateTime<Utc>>,
    pub building_name: String,
    pub city: String,
    pub district: Option<String>,
    pub region: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub building_id: Option<Uuid>,
    pub region: Option<String>,
    pub city: Option<String>,
    /// The building's `address.district`, as written there (SQLite folds only ASCII case, and
    /// district names are Cyrillic).
    pub district: Option<String>,
    pub status: Option<IssueStatus>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Keyset: reports received strictly after this (received_at ms, id).
    pub after: Option<(i64, Uuid)>,
    pub limit: usize,
}

/// One entry of a pull page: the latest state of a record, or its tombstone.
#[derive(Debug, Clone, Serialize)]
pub struct PulledChange {
    pub seq: i64,
    pub kind: &'static str,
    pub id: String,
    /// "upsert" or "delete".
    pub op: &'static str,
    /// The record's JSON, passed through from storage unparsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PullPage {
    pub changes: Vec<PulledChange>,
    pub next: i64,
    pub has_more: bool,
    /// Changes after `next` visible to the caller (asked for with `count=true`); superseded ones
    /// not yet pruned are counted too, so it is an upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
}

/// A device mutation, already parsed and validated for shape.
#[derive(Debug, Clone)]
pub enum Mutation {
    SaveJob {
        listing_id: Uuid,
        note: Option<String>,
        saved_at: DateTime<Utc>,
    },
    UnsaveJob {
        listing_id: Uuid,
    },
    SubmitReport(AccessibilityReport),
    /// The reporter says a resolved report is still not fixed.
    ReopenReport {
        report_id: Uuid,
        note: Option<String>,
    },
    /// An ngo user's offline edit; `version` is the version the edit was made against.
    UpdateListing(JobListing),
}

/// How long a claim of the daily maintenance holds (a little under a day, so a process whose
/// timer runs a few minutes late still finds it free the next day).
pub const DAILY_JOB_EVERY: chrono::Duration = chrono::Duration::hours(23);

/// Caps on what one device can make the server keep (a device token is free to get, so these
/// bound what a script can do with many of them). An honest phone stays far below each.
pub mod device_caps {
    /// Saved jobs one device keeps on the server; saving one more is refused until it unsaves.
    pub const SAVED_JOBS: i64 = 500;
    /// Mutations one device may push in 24 hours; beyond it a mutation is answered `rate_limited`
    /// and stays in the phone's outbox for a later sync (nothing is lost).
    pub const MUTATIONS_PER_DAY: i64 = 1_000;
    /// Push receipts kept per device (besides the 90-day retention): the newest ones. A phone
    /// retries its oldest unanswered batch first, so a receipt it could still need is never
    /// among the dropped ones; and saving, unsaving and a report id applied again are idempotent.
    pub const RECEIPTS: i64 = 2_000;
}

/// Who pushes: a device, or a user (ngo members and admins push listing edits and surveys).
#[derive(Debug, Clone, Copy)]
pub enum PushActor {
    Device(Uuid),
    User {
        id: Uuid,
        /// The organization whose listings the user may edit; `None` for admins (any).
        org_scope: Option<Uuid>,
    },
}

impl PushActor {
    /// The idempotency namespace: mutation ids are unique per device or user.
    pub fn key(&self) -> String {
        match self {
            PushActor::Device(d) => d.to_string(),
            PushActor::User { id, .. } => format!("user:{id}"),
        }
    }
}

/// What became of one pushed mutation (the wire type of docs/sync-protocol.md, shared with the
/// phone's sync client); stored verbatim for replay answers.
pub use teng_core::sync::protocol::Outcome as MutationOutcome;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub organizations: i64,
    pub buildings: i64,
    pub listings: i64,
    pub published_listings: i64,
    pub users: i64,
    pub devices: i64,
    pub reports: i64,
    pub saved_jobs: i64,
    pub last_seq: i64,
    pub sync_floor: i64,
}

pub trait Storage: Send + Sync + 'static {
    // Accounts.
    fn create_user(&self, user: &User, password_hash: &str) -> Result<()>;
    fn user_by_name(&self, username: &str) -> Result<Option<UserWithHash>>;
    fn list_users(&self) -> Result<Vec<User>>;
    fn set_password(&self, user_id: Uuid, password_hash: &str) -> Result<()>;
    fn create_device(&self, id: Uuid, now: DateTime<Utc>) -> Result<()>;
    fn insert_token(
        &self,
        hash: &[u8; 32],
        owner: TokenOwner,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    fn principal_for_token(&self, hash: &[u8; 32], now: DateTime<Utc>)
        -> Result<Option<Principal>>;
    fn revoke_token(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<bool>;
    /// Revokes the user's bearer tokens and web sessions.
    fn revoke_user_tokens(&self, user_id: Uuid, now: DateTime<Utc>) -> Result<u64>;

    // Web sessions (the cookie's value is a secret like a token; only its SHA-256 is stored).
    fn create_session(
        &self,
        hash: &[u8; 32],
        user_id: Uuid,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// The session's user, if the session is live (not expired, not ended).
    fn session_user(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<Option<User>>;
    fn end_session(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<()>;
    fn get_user(&self, id: Uuid) -> Result<Option<UserWithHash>>;

    // Organizations.
    fn create_organization(
        &self,
        org: &Organization,
        now: DateTime<Utc>,
    ) -> Result<Versioned<Organization>>;
    fn update_organization(
        &self,
        org: &Organization,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<Versioned<Organization>>;
    fn get_organization(&self, id: Uuid) -> Result<Option<Versioned<Organization>>>;
    fn list_organizations(
        &self,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<Versioned<Organization>>>;

    // Buildings.
    fn create_building(
        &self,
        building: &Building,
        organization_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<BuildingRecord>;
    /// `actor_org`: when set, the building must have been registered by that organization.
    fn update_building(
        &self,
        building: &Building,
        expected_version: i64,
        actor_org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<BuildingRecord>;
    fn get_building(&self, id: Uuid) -> Result<Option<BuildingRecord>>;
    fn list_buildings(&self, filter: &BuildingFilter) -> Result<Vec<BuildingRecord>>;

    // Listings.
    fn create_listing(&self, listing: &JobListing, now: DateTime<Utc>) -> Result<JobListing>;
    /// Replaces the listing's content; `listing.version` is the version the client edited.
    /// `actor_org`: when set, the stored listing must belong to that organization.
    fn update_listing(
        &self,
        listing: &JobListing,
        actor_org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<JobListing>;
    fn set_listing_status(
        &self,
        id: Uuid,
        status: ListingStatus,
        expected_version: i64,
        actor_org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<JobListing>;
    fn get_listing(&self, id: Uuid) -> Result<Option<JobListing>>;
    fn list_listings(&self, filter: &ListingFilter) -> Result<Vec<JobListing>>;
    /// An organization's listings, newest change first, with how many phones saved each.
    fn org_listings(&self, query: &OrgListingQuery) -> Result<OrgListingPage>;
    /// Creates all of `listings` in one transaction, or none (the CSV import).
    fn create_listings(
        &self,
        listings: &[JobListing],
        now: DateTime<Utc>,
    ) -> Result<Vec<JobListing>>;

    // Accessibility reports.
    fn submit_report(
        &self,
        report: &AccessibilityReport,
        reporter: Reporter,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    fn list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportRecord>>;
    /// The building's summary aggregated from its reports as of `now` (facts age), or `NotFound`.
    fn building_summary(&self, building_id: Uuid, now: DateTime<Utc>) -> Result<BuildingSummary>;
    /// Records a city office's answer (appended to the history, never overwriting it) and logs a
    /// `report_status` change for the reporting device.
    fn set_report_status(
        &self,
        report_id: Uuid,
        answer: &StatusAnswer,
        now: DateTime<Utc>,
    ) -> Result<ReportRecord>;
    /// The report's status history, oldest first.
    fn report_history(&self, report_id: Uuid) -> Result<Vec<StatusEntry>>;
    /// An admin hides a report: it stops counting in the building's summary (recomputed now),
    /// and its reporter's next pull carries the reason.
    fn hide_report(
        &self,
        report_id: Uuid,
        reason: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<ReportRecord>;

    // City office web pages (issue 13; the types are in `city`).
    /// One page of the inbox, newest first (keyset on received time and id), with the filtered
    /// count.
    fn city_inbox(&self, query: &city::InboxQuery) -> Result<city::InboxPage>;
    /// The report, if it exists and its building is inside `city_scope` (`None`: any city).
    fn report_in_city(
        &self,
        report_id: Uuid,
        city_scope: Option<&str>,
    ) -> Result<Option<ReportRecord>>;
    /// The cities, districts and buildings the inbox's filters may offer inside `city_scope`; the
    /// districts and buildings of the query's city, the buildings of its district, and always
    /// the chosen building (when it lies inside the scope) so that a form keeps it.
    fn inbox_choices(
        &self,
        city_scope: Option<&str>,
        query: &city::InboxQuery,
    ) -> Result<city::InboxChoices>;
    /// Counts and lists of the reports received in a period, as they stand now.
    fn city_digest(&self, query: &city::DigestQuery) -> Result<city::Digest>;

    // Open311 GeoReport v2 (docs/open311.md; the types are in `open311`).
    /// Service requests, newest first: the reports' problems, by id or by window and filters.
    fn open311_requests(&self, query: &open311::RequestQuery) -> Result<Vec<open311::RequestRow>>;
    /// Indexes the service requests of reports stored before the Open311 index existed (every
    /// report since is indexed as it is stored); returns how many reports it indexed. The server
    /// runs it once in the background at startup, so no request waits for it.
    fn open311_catch_up(&self) -> Result<u64>;
    /// The building nearest to `at` within `within_m` metres, with its distance in metres.
    fn nearest_building(
        &self,
        at: teng_core::model::GeoPoint,
        within_m: f64,
    ) -> Result<Option<(BuildingRecord, f64)>>;
    /// Buildings at this street address (ASCII case folded), in `city` when given.
    fn buildings_at_address(
        &self,
        street: &str,
        city: Option<&str>,
        limit: usize,
    ) -> Result<Vec<BuildingRecord>>;
    /// Stores an external system's report (reporter kind `external_system`) sent with `key_id`.
    fn submit_external_report(
        &self,
        report: &AccessibilityReport,
        key_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Stores a new API key by its SHA-256; `Duplicate` while a live key has the same name.
    fn create_api_key(&self, key: &open311::ApiKey, hash: &[u8; 32]) -> Result<()>;
    /// The key with this hash, revoked or not.
    fn api_key(&self, hash: &[u8; 32]) -> Result<Option<open311::ApiKey>>;
    /// Revokes the live keys of this name; returns how many.
    fn revoke_api_keys(&self, name: &str, now: DateTime<Utc>) -> Result<u64>;

    // Sync.
    /// Changes after `since` in commit order; `count` adds how many remain after the page.
    fn pull(&self, since: i64, limit: usize, device: Option<Uuid>, count: bool)
        -> Result<PullPage>;
    /// Applies one mutation at most once per (actor, mutation id), in one transaction with its effect.
    fn push(
        &self,
        actor: PushActor,
        mutation_id: Uuid,
        mutation: &Mutation,
        now: DateTime<Utc>,
    ) -> Result<MutationOutcome>;
    /// Re-aggregates every building summary as of `now` (facts age: a working elevator reported two
    /// months ago becomes stale) and logs a change for each summary that differs from the stored one.
    /// Returns how many changed.
    fn refresh_summaries(&self, now: DateTime<Utc>) -> Result<u64>;
    /// Claims the daily maintenance (summary refresh, pruning, snapshot) for this process: `true`
    /// for the first process to ask in [`DAILY_JOB_EVERY`], `false` for every other one, so
    /// several server processes on one database run it once a day between them.
    fn claim_daily_job(&self, now: DateTime<Utc>) -> Result<bool>;
    /// Drops change rows older than `before` (tombstones included) and raises the sync floor.
    fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64>;

    // First-sync snapshots (docs/sync-protocol.md; the types are in `snapshot`).
    /// Stores the next snapshot generation and drops those before the newest
    /// [`snapshot::KEEP_GENERATIONS`]; returns its number, or `None` when the newest stored one
    /// (another process's, built at the same time) already reaches as far.
    fn put_snapshot(&self, snapshot: &snapshot::NewSnapshot) -> Result<Option<i64>>;
    /// The newest snapshot, with `device`'s oldest private change; `None` before the first.
    fn snapshot_manifest(&self, device: Option<Uuid>) -> Result<Option<snapshot::Manifest>>;
    /// One chunk's bytes, while its generation is kept.
    fn snapshot_chunk(&self, generation: i64, n: u32) -> Result<Option<snapshot::StoredChunk>>;

    // Operations.
    fn import(
        &self,
        organizations: &[Organization],
        buildings: &[Building],
        listings: &[JobListing],
        now: DateTime<Utc>,
    ) -> Result<()>;
    fn stats(&self) -> Result<Stats>;
    fn backup(&self, destination: &Path) -> Result<()>;
    /// A cheap query proving the database answers.
    fn ping(&self) -> Result<()>;
}

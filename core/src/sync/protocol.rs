//! The sync protocol's wire format as the phone sees it (docs/sync-protocol.md is the contract): pull
//! pages coming in, mutations going out, and the server's answer for each mutation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::accessibility::{AccessibilityReport, Facts, LocalizedNote, Method};
use crate::model::JobListing;

/// `GET /v1/sync/pull` answer. Serializes back to the same JSON shape (the fuzz targets check
/// that a parsed page round-trips).
#[derive(Debug, Serialize, Deserialize)]
pub struct PullPage {
    pub changes: Vec<PulledChange>,
    pub next: i64,
    pub has_more: bool,
    /// How many changes are left after this page (sent when asked with `count=true`), for progress.
    #[serde(default)]
    pub remaining: Option<u64>,
}

/// `GET /v1/sync/snapshot` answer: the newest snapshot's chunks, each a pull page of the public
/// view recorded once (docs/sync-protocol.md "First sync from a snapshot").
#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotManifest {
    pub generation: i64,
    /// The cursor after the last chunk.
    pub seq: i64,
    pub records: u64,
    /// The device's oldest private change: chunks reaching it would miss the device's own records.
    #[serde(default)]
    pub private_from: Option<i64>,
    pub chunks: Vec<SnapshotChunk>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotChunk {
    /// The cursor the chunk applies after, and the one it moves to.
    pub since: i64,
    pub next: i64,
    pub records: u32,
    pub etag: String,
    /// Relative to the server's base address.
    pub url: String,
}

/// One entry of a pull page: a record's current state or its tombstone. The record stays raw JSON
/// until its kind is known, so it is parsed once, straight into the core type.
#[derive(Debug, Serialize, Deserialize)]
pub struct PulledChange {
    pub seq: i64,
    pub kind: String,
    pub id: String,
    pub op: ChangeOp,
    #[serde(default)]
    pub record: Option<Box<RawValue>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Upsert,
    Delete,
}

/// What a device asks the server to do, queued in the outbox and pushed as JSON. The field names and
/// `op` codes are the server's (`POST /v1/sync/push`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Mutation {
    SaveJob {
        listing_id: Uuid,
        note: Option<String>,
        saved_at: DateTime<Utc>,
    },
    UnsaveJob {
        listing_id: Uuid,
    },
    SubmitReport {
        building_id: Uuid,
        report: ReportPayload,
    },
    /// An ngo user's offline edit; `listing.version` is the version the edit was made against.
    UpdateListing {
        listing_id: Uuid,
        listing: JobListing,
    },
    /// The reporter says a report the city office marked `resolved` is still not fixed.
    ReopenReport {
        report_id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

impl Mutation {
    /// The stable code of the operation (the outbox's `op` column, the server's `op`).
    pub fn op(&self) -> &'static str {
        match self {
            Mutation::SaveJob { .. } => "save_job",
            Mutation::UnsaveJob { .. } => "unsave_job",
            Mutation::SubmitReport { .. } => "submit_report",
            Mutation::UpdateListing { .. } => "update_listing",
            Mutation::ReopenReport { .. } => "reopen_report",
        }
    }

    /// The record the mutation is about: a listing, the building a report describes, or the
    /// report being reopened.
    pub fn target(&self) -> Uuid {
        match self {
            Mutation::SaveJob { listing_id, .. }
            | Mutation::UnsaveJob { listing_id }
            | Mutation::UpdateListing { listing_id, .. } => *listing_id,
            Mutation::SubmitReport { building_id, .. } => *building_id,
            Mutation::ReopenReport { report_id, .. } => *report_id,
        }
    }
}

/// A report as pushed: the server sets the reporter from the token, so it is not sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPayload {
    pub id: Uuid,
    pub facts: Facts,
    pub method: Method,
    pub observed_at: DateTime<Utc>,
    pub note: Option<LocalizedNote>,
}

impl From<&AccessibilityReport> for ReportPayload {
    fn from(r: &AccessibilityReport) -> Self {
        ReportPayload {
            id: r.id,
            facts: r.facts.clone(),
            method: r.method,
            observed_at: r.observed_at,
            note: r.note.clone(),
        }
    }
}

/// A mutation with its idempotency key, as one element of a push batch.
#[derive(Debug, Serialize)]
pub struct PushedMutation<'a> {
    pub id: Uuid,
    #[serde(flatten)]
    pub mutation: &'a Mutation,
}

#[derive(Debug, Serialize)]
pub struct PushRequest<'a> {
    pub mutations: Vec<PushedMutation<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// The server's answer for one mutation.
#[derive(Debug, Clone, Deserialize)]
pub struct PushResult {
    /// Absent or not a UUID only when the server could not read the mutation's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What became of one pushed mutation: the server answers it, and keeps it to answer a replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// `seq`: the change-log cursor of the effect (none for edits of unpublished listings);
    /// `version`: a listing edit's new version.
    Applied {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<i64>,
    },
    /// Applied before (a retried batch): the client treats it exactly like `Applied`.
    Duplicate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<i64>,
    },
    Conflict {
        message: String,
        current: serde_json::Value,
    },
    Rejected {
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
}

/// `POST /v1/devices` answer.
#[derive(Debug, Deserialize)]
pub struct DeviceToken {
    pub token: String,
}

/// Every error answer: `{"error": {"code", "message", "field"?}}`.
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

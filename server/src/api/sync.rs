//! Sync endpoints. Pull: changed public records (and the device's own saved jobs) in commit order,
//! from a server cursor. Push: a batch of device mutations, each applied at most once. The protocol is
//! written down in docs/sync-protocol.md.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::model::validation::{limits, optional_text};

use super::limit;
use super::listings::{ownership_scope, ListingBody};
use super::reports::{reporter_key, ReportBody};
use crate::auth::{Auth, MaybeAuth, Role};
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::{Mutation, MutationOutcome, PullPage, PushActor, Reporter};

pub const DEFAULT_PULL: i64 = 500;
pub const MAX_PULL: i64 = 1_000;
pub const MAX_BATCH: usize = 100;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/sync/pull", get(pull))
        .route("/sync/push", post(push))
}

#[derive(Deserialize)]
struct PullQuery {
    since: Option<i64>,
    limit: Option<i64>,
    /// Ask for `remaining` (changes after this page), for a first sync's progress bar.
    #[serde(default)]
    count: bool,
}

async fn pull(
    State(state): State<Arc<AppState>>,
    auth: MaybeAuth,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> ApiResult<Json<PullPage>> {
    let since = q.since.unwrap_or(0);
    if since < 0 {
        return Err(ApiError::bad_request(
            "since",
            "since must be 0 or a cursor from a previous pull",
        ));
    }
    let n = limit(q.limit, DEFAULT_PULL, MAX_PULL)?;
    let device = auth.0.as_ref().and_then(|a| a.device());
    let count = q.count;
    let page = state.db(move |s| s.pull(since, n, device, count)).await?;
    state.metrics.pulled(page.changes.len());
    Ok(Json(page))
}

#[derive(Deserialize)]
struct PushBody {
    mutations: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum MutationBody {
    SaveJob {
        listing_id: Uuid,
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        saved_at: Option<DateTime<Utc>>,
    },
    UnsaveJob {
        listing_id: Uuid,
    },
    SubmitReport {
        building_id: Uuid,
        report: ReportBody,
    },
    ReopenReport {
        report_id: Uuid,
        #[serde(default)]
        note: Option<String>,
    },
    UpdateListing {
        listing_id: Uuid,
        listing: ListingBody,
    },
}

fn rejected(error: ApiError) -> MutationOutcome {
    MutationOutcome::Rejected {
        code: error.code.to_string(),
        message: error.message,
        field: error.field,
    }
}

/// Parses one mutation; `Err` is the rejection to answer with.
fn parse(
    value: Value,
    now: DateTime<Utc>,
    mutation_id: Uuid,
    actor: PushActor,
) -> Result<Mutation, MutationOutcome> {
    let body: MutationBody =
        serde_json::from_value(value).map_err(|e| MutationOutcome::Rejected {
            code: "invalid".into(),
            message: format!("not a valid mutation: {e}"),
            field: None,
        })?;
    Ok(match body {
        MutationBody::SaveJob {
            listing_id,
            note,
            saved_at,
        } => {
            if let Some(n) = &note {
                optional_text("note", n, limits::NOTE).map_err(|e| rejected(e.into()))?;
            }
            Mutation::SaveJob {
                listing_id,
                note,
                saved_at: saved_at.unwrap_or(now),
            }
        }
        MutationBody::UnsaveJob { listing_id } => Mutation::UnsaveJob { listing_id },
        MutationBody::ReopenReport { report_id, note } => {
            if let Some(n) = &note {
                optional_text("note", n, limits::NOTE).map_err(|e| rejected(e.into()))?;
            }
            Mutation::ReopenReport { report_id, note }
        }
        MutationBody::SubmitReport {
            building_id,
            report,
        } => Mutation::SubmitReport(
            // Without its own id, a report takes the mutation's: a retry names the same report.
            report
                .into_report(mutation_id, building_id, reporter_of(actor), now)
                .map_err(rejected)?,
        ),
        MutationBody::UpdateListing {
            listing_id,
            listing,
        } => {
            if listing.version.is_none() {
                return Err(rejected(ApiError::unprocessable(
                    "version",
                    "version is required when updating",
                )));
            }
            // The stored organization wins; storage checks ownership and version atomically.
            Mutation::UpdateListing(
                listing
                    .into_listing(listing_id, Uuid::nil(), now)
                    .map_err(rejected)?,
            )
        }
    })
}

fn reporter_of(actor: PushActor) -> Reporter {
    match actor {
        PushActor::Device(d) => Reporter::Device(d),
        PushActor::User { id, .. } => Reporter::User(id),
    }
}

async fn push(
    State(state): State<Arc<AppState>>,
    auth: Auth,
    ApiJson(body): ApiJson<PushBody>,
) -> ApiResult<Json<Value>> {
    let actor = match (auth.device(), auth.user()) {
        (Some(d), _) => PushActor::Device(d),
        (None, Some(u)) if u.role != Role::City => PushActor::User {
            id: u.id,
            org_scope: ownership_scope(u),
        },
        _ => {
            return Err(ApiError::forbidden(
                "push needs a device token, or an ngo or admin user's",
            ))
        }
    };
    if body.mutations.len() > MAX_BATCH {
        return Err(ApiError::unprocessable(
            "mutations",
            format!("at most {MAX_BATCH} mutations per batch"),
        ));
    }
    state
        .metrics
        .push_batches
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let now = state.now();
    let mut results = Vec::with_capacity(body.mutations.len());
    for value in body.mutations {
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .filter(|id| !id.is_nil());
        let Some(id) = id else {
            results.push(json!({
                "id": value.get("id").cloned().unwrap_or(Value::Null),
                "status": "rejected", "code": "invalid", "field": "id",
                "message": "every mutation needs an \"id\": a UUID the client generated (not the nil UUID)",
            }));
            state.metrics.pushed("rejected");
            continue;
        };
        let outcome = match parse(value, now, id, actor) {
            Err(rejection) => rejection,
            Ok(mutation) => {
                let limited = matches!(mutation, Mutation::SubmitReport(_))
                    && !state.reports.allow(&reporter_key(reporter_of(actor)));
                if limited {
                    // A retry later may succeed: answered as a temporary failure for this mutation.
                    MutationOutcome::Rejected {
                        code: "rate_limited".into(),
                        message: "too many reports; retry this mutation later".into(),
                        field: None,
                    }
                } else {
                    state.db(move |s| s.push(actor, id, &mutation, now)).await?
                }
            }
        };
        state.metrics.pushed(match &outcome {
            MutationOutcome::Applied { .. } => "applied",
            MutationOutcome::Duplicate { .. } => "duplicate",
            MutationOutcome::Conflict { .. } => "conflict",
            MutationOutcome::Rejected { .. } => "rejected",
        });
        let mut entry = serde_json::to_value(&outcome)
            .map_err(|e| ApiError::internal(format!("outcome: {e}")))?;
        entry["id"] = json!(id);
        results.push(entry);
    }
    Ok(Json(json!({ "results": results })))
}

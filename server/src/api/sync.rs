//! Sync endpoints. Pull: changed public records (and the device's own saved jobs) in commit order,
//! from a server cursor. Push: a batch of device mutations, each applied at most once. The protocol is
//! written down in docs/sync-protocol.md.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, Schema, SchemaType};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use teng_core::model::validation::{limits, optional_text};

use super::limit;
use super::listings::{ownership_scope, ListingBody};
use super::reports::{reporter_key, ReportBody};
use crate::api::openapi::mirror;
use crate::auth::{Auth, MaybeAuth, Role};
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::storage::{Mutation, MutationOutcome, PullPage, PushActor, Reporter};

pub const DEFAULT_PULL: i64 = 500;
pub const MAX_PULL: i64 = 1_000;
pub const MAX_BATCH: usize = 100;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(pull))
        .routes(routes!(push))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PullQuery {
    /// The `next` of the previous pull; 0 (the default) for everything.
    #[param(minimum = 0)]
    since: Option<i64>,
    /// Most changes in the page (500 by default).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
    /// Ask for `remaining` (changes after this page), for a first sync's progress bar.
    #[serde(default)]
    count: bool,
}

/// Changed public records and tombstones after a cursor, in commit order (docs/sync-protocol.md).
#[utoipa::path(
    get,
    path = "/sync/pull",
    tag = "sync",
    operation_id = "sync_pull",
    security((), ("bearer" = [])),
    params(PullQuery),
    responses(
        (status = 200, description = "One page of changes; a device's token adds its own saved jobs and report statuses", body = mirror::PullPage),
        (status = 410, description = "The cursor is older than the pruned change log: start again from 0 (resync_required)", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
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

/// A batch of mutations. Each one is answered on its own in `results`: one that is not a valid
/// mutation (see `PushedMutation`) is answered `rejected` there, not with a 4xx for the batch, so
/// one bad entry never holds up the rest (docs/sync-protocol.md).
#[derive(Deserialize, ToSchema)]
#[schema(as = PushBatch)]
struct PushBody {
    #[schema(schema_with = mutations_schema)]
    mutations: Vec<Value>,
}

/// `mutations`: at most [`MAX_BATCH`] entries, each documented as a `PushedMutation` but taken as
/// any JSON value (answered `rejected` when it is not one).
fn mutations_schema() -> RefOr<Schema> {
    let any_value = ObjectBuilder::new().schema_type(SchemaType::AnyValue);
    let item = AnyOfBuilder::new()
        .description(Some(
            "A PushedMutation; anything else is answered status rejected in results",
        ))
        .item(Ref::from_schema_name("PushedMutation"))
        .item(any_value);
    ArrayBuilder::new()
        .items(item)
        .max_items(Some(MAX_BATCH))
        .into()
}

/// One mutation of a push: its client-made id (a retry reuses it) and what to do.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // documents the entries `parse` reads
pub(crate) struct PushedMutation {
    /// Made by the client (not the nil UUID); a retry sends the same one.
    id: Uuid,
    #[serde(flatten)]
    mutation: MutationBody,
}

/// What a device asks for (`op`), as `parse` reads it.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum MutationBody {
    SaveJob {
        listing_id: Uuid,
        #[serde(default)]
        #[schema(max_length = 2000)]
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
        #[schema(max_length = 2000)]
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

/// A batch entry's `id`: a UUID the client made, not the nil one.
fn mutation_id(value: &Value) -> Option<Uuid> {
    value
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .filter(|id| !id.is_nil())
}

/// The answer to an entry without a usable [`mutation_id`].
fn missing_id() -> MutationOutcome {
    MutationOutcome::Rejected {
        code: "invalid".into(),
        message: "every mutation needs an \"id\": a UUID the client generated (not the nil UUID)"
            .into(),
        field: Some("id".into()),
    }
}

fn reporter_of(actor: PushActor) -> Reporter {
    match actor {
        PushActor::Device(d) => Reporter::Device(d),
        PushActor::User { id, .. } => Reporter::User(id),
    }
}

/// The answer for one mutation.
#[derive(Serialize, ToSchema)]
struct PushResult {
    /// The mutation's id as sent: its UUID, or (rejected) the string that is not one, or null.
    id: Option<String>,
    #[serde(flatten)]
    outcome: MutationOutcome,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PushResults)]
struct PushResults {
    /// One per mutation, in the batch's order.
    results: Vec<PushResult>,
}

/// Apply a batch of mutations, each at most once (per device or user and mutation id).
#[utoipa::path(
    post,
    path = "/sync/push",
    tag = "sync",
    operation_id = "sync_push",
    security(("bearer" = [])),
    request_body = PushBody,
    responses(
        (status = 200, description = "Each mutation answered: applied, duplicate, conflict or rejected", body = PushResults),
        (status = 403, description = "A city office's token (push takes devices', ngo members' and admins')", body = ErrorBody),
    )
)]
async fn push(
    State(state): State<Arc<AppState>>,
    auth: Auth,
    ApiJson(body): ApiJson<PushBody>,
) -> ApiResult<Json<PushResults>> {
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
    // Read and checked first; then the whole batch is applied in one blocking task (a mutation
    // each transaction, as before), not one task per mutation.
    let mut entries = Vec::with_capacity(body.mutations.len());
    for value in body.mutations {
        let Some(id) = mutation_id(&value) else {
            // Echoed only as the string it was (bounded); anything else becomes null.
            let echo = value
                .get("id")
                .and_then(Value::as_str)
                .map(|s| s.chars().take(64).collect());
            entries.push((echo, Err(missing_id())));
            continue;
        };
        let entry = match parse(value, now, id, actor) {
            Err(rejection) => Err(rejection),
            Ok(mutation) => {
                let limited = matches!(mutation, Mutation::SubmitReport(_))
                    && !state.reports.allow(&reporter_key(reporter_of(actor)));
                if limited {
                    // A retry later may succeed: answered as a temporary failure for this mutation.
                    Err(MutationOutcome::Rejected {
                        code: "rate_limited".into(),
                        message: "too many reports; retry this mutation later".into(),
                        field: None,
                    })
                } else {
                    Ok((id, mutation))
                }
            }
        };
        entries.push((Some(id.to_string()), entry));
    }
    let results: Vec<PushResult> = state
        .db(move |s| {
            entries
                .into_iter()
                .map(|(id, entry)| {
                    let outcome = match entry {
                        Err(answer) => answer,
                        Ok((mutation_id, mutation)) => {
                            s.push(actor, mutation_id, &mutation, now)?
                        }
                    };
                    Ok(PushResult { id, outcome })
                })
                .collect()
        })
        .await?;
    for result in &results {
        state.metrics.pushed(match &result.outcome {
            MutationOutcome::Applied { .. } => "applied",
            MutationOutcome::Duplicate { .. } => "duplicate",
            MutationOutcome::Conflict { .. } => "conflict",
            MutationOutcome::Rejected { .. } => "rejected",
        });
    }
    Ok(Json(PushResults { results }))
}

/// What [`push`] makes of a batch before it reaches storage, without a database or a token: for
/// the fuzz targets (fuzz/, docs/fuzzing.md). Not an API.
#[doc(hidden)]
pub mod fuzzing {
    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    pub use super::MAX_BATCH;
    use crate::storage::{Mutation, MutationOutcome, PushActor};

    /// `body` read as `push` reads it. `Err`: the whole batch is refused with a 4xx (not a batch,
    /// or more than [`MAX_BATCH`] mutations). Otherwise one entry per mutation, in order: its id
    /// and the mutation handed to storage, or the rejection `push` answers it with.
    #[allow(clippy::type_complexity)]
    pub fn read_batch(
        body: &[u8],
        now: DateTime<Utc>,
        actor: PushActor,
    ) -> Result<Vec<Result<(Uuid, Mutation), MutationOutcome>>, String> {
        let body: super::PushBody = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if body.mutations.len() > MAX_BATCH {
            return Err(format!("at most {MAX_BATCH} mutations per batch"));
        }
        Ok(body
            .mutations
            .into_iter()
            .map(|value| {
                let id = super::mutation_id(&value).ok_or_else(super::missing_id)?;
                super::parse(value, now, id, actor).map(|m| (id, m))
            })
            .collect())
    }
}

//! Job listings: ngo members create, edit, publish and close their organization's listings (admins any);
//! everyone reads published ones. Every change carries the `version` it was made against.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use teng_core::model::{
    Accommodation, ApplyMethod, EmploymentType, JobCategory, JobListing, ListingStatus, Region,
    Salary, Validate, WorkLanguage, WorkMode,
};

use super::{limit, parse_uuid, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::{Editor, MaybeAuth, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::storage::{ListingFilter, User};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update))
        .routes(routes!(publish))
        .routes(routes!(close))
}

/// A listing as clients send it (also the `listing` of a push's `update_listing`). Rules beyond
/// the schema answer 422 naming the field: a building unless `work_mode` is remote, salary min at
/// most max, each `apply_via` value shaped for its channel, `valid_through` after now.
#[derive(Deserialize, ToSchema)]
#[schema(as = ListingInput)]
pub(crate) struct ListingBody {
    /// On create: the client's own id (not the nil UUID); a new time-ordered one when left out.
    /// On update: the path's id, if given.
    #[serde(default)]
    id: Option<Uuid>,
    /// Admins name the organization; an ngo member's is their own.
    #[serde(default)]
    organization_id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 200)]
    title: String,
    #[serde(default)]
    #[schema(max_length = 10000)]
    description: String,
    category: JobCategory,
    employment_type: EmploymentType,
    work_mode: WorkMode,
    /// Where the work happens; required unless `work_mode` is remote.
    #[serde(default)]
    building_id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 100)]
    city: String,
    region: Region,
    #[serde(default)]
    salary: Option<Salary>,
    #[serde(default)]
    accommodations: Vec<Accommodation>,
    #[schema(min_items = 1)]
    languages: Vec<WorkLanguage>,
    #[schema(min_items = 1, max_items = 10)]
    apply_via: Vec<ApplyMethod>,
    #[serde(default)]
    valid_through: Option<DateTime<Utc>>,
    /// Required on update: the version the edit was made against.
    #[serde(default)]
    pub(crate) version: Option<i64>,
}

impl ListingBody {
    pub(crate) fn into_listing(
        mut self,
        id: Uuid,
        organization_id: Uuid,
        now: DateTime<Utc>,
    ) -> ApiResult<JobListing> {
        self.accommodations.sort();
        self.accommodations.dedup();
        self.languages.sort();
        self.languages.dedup();
        let listing = JobListing {
            id,
            organization_id,
            title: self.title,
            description: self.description,
            category: self.category,
            employment_type: self.employment_type,
            work_mode: self.work_mode,
            building_id: self.building_id,
            city: self.city,
            region: self.region,
            salary: self.salary,
            accommodations: self.accommodations,
            languages: self.languages,
            apply_via: self.apply_via,
            posted_at: now,
            valid_through: self.valid_through,
            status: ListingStatus::Draft,
            version: self.version.unwrap_or(0),
        };
        listing.validate()?;
        Ok(listing)
    }
}

/// The organization an editor acts for: an ngo user's own, or (admins) the one named.
fn acting_org(user: &User, named: Option<Uuid>) -> ApiResult<Uuid> {
    match user.role {
        Role::Ngo => {
            let own = user
                .organization_id
                .ok_or_else(|| ApiError::forbidden("this ngo user has no organization"))?;
            if named.is_some_and(|n| n != own) {
                return Err(ApiError::forbidden(
                    "an ngo user may only manage their own organization's listings",
                ));
            }
            Ok(own)
        }
        _ => named.ok_or_else(|| {
            ApiError::unprocessable("organization_id", "organization_id is required")
        }),
    }
}

/// `None` for admins (any organization), the user's organization for ngo users. A user without an
/// organization gets the nil id, which owns nothing: the check fails closed.
pub(crate) fn ownership_scope(user: &User) -> Option<Uuid> {
    match user.role {
        Role::Admin => None,
        _ => Some(user.organization_id.unwrap_or_default()),
    }
}

/// Create a draft listing.
#[utoipa::path(
    post,
    path = "/listings",
    tag = "listings",
    operation_id = "create_listing",
    security(("bearer" = [])),
    request_body = ListingBody,
    responses(
        (status = 201, description = "Created, as a draft", body = JobListing),
        (status = 400, description = "The id is the nil UUID", body = ErrorBody),
        (status = 403, description = "Not an ngo member or admin, or another organization's", body = ErrorBody),
        (status = 409, description = "A listing with that id exists", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiJson(body): ApiJson<ListingBody>,
) -> ApiResult<(StatusCode, Json<JobListing>)> {
    let org = acting_org(&user, body.organization_id)?;
    let now = state.now();
    // Time-ordered ids (UUIDv7 here and for every record phones store): phones index listings by
    // id, and ids that grow with creation time append to that index instead of rewriting pages all
    // over it on every sync page (BENCHMARKS.md, batch upsert).
    let id = super::client_id("id", body.id)?;
    let listing = body.into_listing(id, org, now)?;
    let stored = state.db(move |s| s.create_listing(&listing, now)).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// Edit a listing; a stale version gets 409 with the current record.
#[utoipa::path(
    put,
    path = "/listings/{id}",
    tag = "listings",
    operation_id = "update_listing",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The listing's id")),
    request_body = ListingBody,
    responses(
        (status = 200, description = "Updated", body = JobListing),
        (status = 403, description = "Not an ngo member or admin, or another organization's", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 409, description = "A stale version: `current` is the stored record", body = ErrorBody),
    )
)]
async fn update(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ListingBody>,
) -> ApiResult<Json<JobListing>> {
    if body.version.is_none() {
        return Err(ApiError::unprocessable(
            "version",
            "version is required when updating",
        ));
    }
    if body.id.is_some_and(|b| b != id) {
        return Err(ApiError::unprocessable(
            "id",
            "the body's id differs from the path's",
        ));
    }
    let scope = ownership_scope(&user);
    let now = state.now();
    // The stored organization wins; the storage call checks ownership and version atomically.
    let listing = body.into_listing(id, scope.unwrap_or_else(Uuid::nil), now)?;
    let stored = state
        .db(move |s| s.update_listing(&listing, scope, now))
        .await?;
    Ok(Json(stored))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = Version)]
struct VersionBody {
    /// The version the change is made against.
    version: i64,
}

async fn set_status(
    state: Arc<AppState>,
    user: User,
    id: Uuid,
    version: i64,
    status: ListingStatus,
) -> ApiResult<Json<JobListing>> {
    let scope = ownership_scope(&user);
    let now = state.now();
    Ok(Json(
        state
            .db(move |s| s.set_listing_status(id, status, version, scope, now))
            .await?,
    ))
}

/// Publish a draft.
#[utoipa::path(
    post,
    path = "/listings/{id}/publish",
    tag = "listings",
    operation_id = "publish_listing",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The listing's id")),
    request_body = VersionBody,
    responses(
        (status = 200, description = "Published", body = JobListing),
        (status = 403, description = "Not an ngo member or admin, or another organization's", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 409, description = "A stale version (`current` is the stored record), or closed", body = ErrorBody),
    )
)]
async fn publish(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> ApiResult<Json<JobListing>> {
    set_status(state, user, id, body.version, ListingStatus::Published).await
}

/// Close a listing (sync sends a tombstone).
#[utoipa::path(
    post,
    path = "/listings/{id}/close",
    tag = "listings",
    operation_id = "close_listing",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The listing's id")),
    request_body = VersionBody,
    responses(
        (status = 200, description = "Closed", body = JobListing),
        (status = 403, description = "Not an ngo member or admin, or another organization's", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 409, description = "A stale version: `current` is the stored record", body = ErrorBody),
    )
)]
async fn close(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> ApiResult<Json<JobListing>> {
    set_status(state, user, id, body.version, ListingStatus::Closed).await
}

/// Whether the caller may see this organization's drafts.
fn manages(auth: &MaybeAuth, org: Uuid) -> bool {
    match auth.0.as_ref().and_then(|a| a.user()) {
        Some(u) if u.role == Role::Admin => true,
        Some(u) if u.role == Role::Ngo => u.organization_id == Some(org),
        _ => false,
    }
}

/// Read a listing (a draft only for its organization and admins).
#[utoipa::path(
    get,
    path = "/listings/{id}",
    tag = "listings",
    operation_id = "read_listing",
    security((), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "The listing's id")),
    responses(
        (status = 200, description = "The listing", body = JobListing),
        (status = 404, description = "No such listing, or a draft the caller may not see", body = ErrorBody),
    )
)]
async fn read(
    State(state): State<Arc<AppState>>,
    auth: MaybeAuth,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<JobListing>> {
    let listing = state
        .db(move |s| s.get_listing(id))
        .await?
        .ok_or_else(|| ApiError::not_found("listing"))?;
    if listing.status == ListingStatus::Draft && !manages(&auth, listing.organization_id) {
        return Err(ApiError::not_found("listing"));
    }
    Ok(Json(listing))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// One organization's listings.
    #[param(value_type = Option<Uuid>)]
    organization_id: Option<String>,
    /// Without it, the published ones (all for an admin or the organization's members).
    /// `draft` only for the organization and admins.
    #[param(value_type = Option<ListingStatus>)]
    status: Option<String>,
    /// The `next` of the previous page.
    #[param(value_type = Option<Uuid>)]
    after: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct ListingPage {
    items: Vec<JobListing>,
    /// Pass as `after` for the next page; null on the last page.
    next: Option<Uuid>,
}

/// List listings in id order (public: published only).
#[utoipa::path(
    get,
    path = "/listings",
    tag = "listings",
    operation_id = "list_listings",
    security((), ("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page", body = ListingPage),
        (status = 403, description = "Drafts asked for by someone outside the organization", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<Arc<AppState>>,
    auth: MaybeAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ListingPage>> {
    let organization_id = q
        .organization_id
        .as_deref()
        .map(|o| parse_uuid("organization_id", o))
        .transpose()?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            ListingStatus::from_code(s).map_err(|e| ApiError::bad_request("status", e.to_string()))
        })
        .transpose()?;
    let may_see_all = match organization_id {
        Some(org) => manages(&auth, org),
        None => auth.0.as_ref().and_then(|a| a.role()) == Some(Role::Admin),
    };
    let status = match status {
        None if !may_see_all => Some(ListingStatus::Published),
        Some(ListingStatus::Draft) if !may_see_all => {
            return Err(ApiError::forbidden(
                "drafts are visible to their organization only",
            ))
        }
        other => other,
    };
    let filter = ListingFilter {
        organization_id,
        status,
        after: q
            .after
            .as_deref()
            .map(|a| parse_uuid("after", a))
            .transpose()?,
        limit: limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT)?,
    };
    let n = filter.limit;
    let items = state.db(move |s| s.list_listings(&filter)).await?;
    let next = (items.len() == n)
        .then(|| items.last().map(|l| l.id))
        .flatten();
    Ok(Json(ListingPage { items, next }))
}

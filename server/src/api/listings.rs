//! Job listings: ngo members create, edit, publish and close their organization's listings (admins any);
//! everyone reads published ones. Every change carries the `version` it was made against.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::model::{
    Accommodation, ApplyMethod, EmploymentType, JobCategory, JobListing, ListingStatus, Region,
    Salary, Validate, WorkLanguage, WorkMode,
};

use super::{limit, parse_uuid, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::{Editor, MaybeAuth, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::{ListingFilter, User};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/listings", get(list).post(create))
        .route("/listings/{id}", get(read).put(update))
        .route("/listings/{id}/publish", post(publish))
        .route("/listings/{id}/close", post(close))
}

#[derive(Deserialize)]
pub(crate) struct ListingBody {
    #[serde(default)]
    id: Option<Uuid>,
    #[serde(default)]
    organization_id: Option<Uuid>,
    title: String,
    #[serde(default)]
    description: String,
    category: JobCategory,
    employment_type: EmploymentType,
    work_mode: WorkMode,
    #[serde(default)]
    building_id: Option<Uuid>,
    city: String,
    region: Region,
    #[serde(default)]
    salary: Option<Salary>,
    #[serde(default)]
    accommodations: Vec<Accommodation>,
    languages: Vec<WorkLanguage>,
    apply_via: Vec<ApplyMethod>,
    #[serde(default)]
    valid_through: Option<DateTime<Utc>>,
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

#[derive(Deserialize)]
struct VersionBody {
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

async fn publish(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> ApiResult<Json<JobListing>> {
    set_status(state, user, id, body.version, ListingStatus::Published).await
}

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

#[derive(Deserialize)]
struct ListQuery {
    organization_id: Option<String>,
    status: Option<String>,
    after: Option<String>,
    limit: Option<i64>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    auth: MaybeAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!({ "items": items, "next": next })))
}

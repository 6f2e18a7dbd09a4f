//! Organizations: created and verified by admins, edited by admins or their own ngo members, read by all.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use teng_core::model::{Contact, Organization, OrganizationKind, Validate};

use super::{limit, parse_uuid, Page, DEFAULT_LIMIT, MAX_LIMIT};
use crate::api::openapi::mirror;
use crate::auth::{AdminUser, Editor, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::storage::Versioned;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update))
}

/// An organization as clients send it.
#[derive(Deserialize, ToSchema)]
#[schema(as = OrganizationInput)]
struct OrganizationBody {
    /// On create: the client's own id (not the nil UUID); a new one when left out.
    #[serde(default)]
    id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    kind: OrganizationKind,
    #[serde(default)]
    contact: Contact,
    /// Only admins change it; an ngo member's edit of name or kind drops it.
    #[serde(default)]
    verified: Option<bool>,
    /// Required on update: the version the edit was made against.
    #[serde(default)]
    version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = OrganizationPage)]
struct OrganizationPage {
    #[schema(value_type = Vec<mirror::OrganizationRecord>)]
    items: Vec<Versioned<Organization>>,
    /// Pass as `after` for the next page; null on the last page.
    next: Option<Uuid>,
}

/// Create an organization.
#[utoipa::path(
    post,
    path = "/organizations",
    tag = "organizations",
    operation_id = "create_organization",
    security(("bearer" = [])),
    request_body = OrganizationBody,
    responses(
        (status = 201, description = "Created", body = mirror::OrganizationRecord),
        (status = 400, description = "The id is the nil UUID", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "An organization with that id exists", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
    ApiJson(body): ApiJson<OrganizationBody>,
) -> ApiResult<(StatusCode, Json<Versioned<Organization>>)> {
    let org = Organization {
        id: super::client_id("id", body.id)?,
        name: body.name,
        kind: body.kind,
        contact: body.contact,
        verified: body.verified.unwrap_or(false),
    };
    org.validate()?;
    let now = state.now();
    let stored = state.db(move |s| s.create_organization(&org, now)).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// Update an organization (`version` required; only admins change `verified`).
#[utoipa::path(
    put,
    path = "/organizations/{id}",
    tag = "organizations",
    operation_id = "update_organization",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The organization's id")),
    request_body = OrganizationBody,
    responses(
        (status = 200, description = "Updated", body = mirror::OrganizationRecord),
        (status = 403, description = "Not an admin nor a member of this organization", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "A stale version: `current` is the stored record", body = ErrorBody),
    )
)]
async fn update(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<OrganizationBody>,
) -> ApiResult<Json<Versioned<Organization>>> {
    if user.role == Role::Ngo && user.organization_id != Some(id) {
        return Err(ApiError::forbidden(
            "an ngo user may only edit their own organization",
        ));
    }
    let version = body
        .version
        .ok_or_else(|| ApiError::unprocessable("version", "version is required when updating"))?;
    let current = state
        .db(move |s| s.get_organization(id))
        .await?
        .ok_or_else(|| ApiError::not_found("organization"))?;
    // Only administrators verify organizations, and the badge belongs to the name and kind an
    // administrator checked: a member who changes either drops it until an admin looks again.
    let renamed = body.name != current.record.name || body.kind != current.record.kind;
    let verified = match (user.role, body.verified) {
        (Role::Admin, Some(v)) => v,
        (Role::Admin, None) => current.record.verified,
        _ => current.record.verified && !renamed,
    };
    let org = Organization {
        id,
        name: body.name,
        kind: body.kind,
        contact: body.contact,
        verified,
    };
    org.validate()?;
    let now = state.now();
    Ok(Json(
        state
            .db(move |s| s.update_organization(&org, version, now))
            .await?,
    ))
}

/// Read an organization.
#[utoipa::path(
    get,
    path = "/organizations/{id}",
    tag = "organizations",
    operation_id = "read_organization",
    params(("id" = Uuid, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The organization", body = mirror::OrganizationRecord),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn read(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Versioned<Organization>>> {
    state
        .db(move |s| s.get_organization(id))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("organization"))
}

/// List organizations, in id order.
#[utoipa::path(
    get,
    path = "/organizations",
    tag = "organizations",
    operation_id = "list_organizations",
    params(Page),
    responses(
        (status = 200, description = "One page", body = OrganizationPage),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<Arc<AppState>>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<OrganizationPage>> {
    let n = limit(page.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = page
        .after
        .as_deref()
        .map(|a| parse_uuid("after", a))
        .transpose()?;
    let items = state.db(move |s| s.list_organizations(after, n)).await?;
    let next = (items.len() == n)
        .then(|| items.last().map(|o| o.record.id))
        .flatten();
    Ok(Json(OrganizationPage { items, next }))
}

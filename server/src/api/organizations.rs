//! Organizations: created and verified by admins, edited by admins or their own ngo members, read by all.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::model::{Contact, Organization, OrganizationKind, Validate};

use super::{limit, parse_uuid, Page, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::{AdminUser, Editor, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::Versioned;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/organizations", get(list).post(create))
        .route("/organizations/{id}", get(read).put(update))
}

#[derive(Deserialize)]
struct OrganizationBody {
    #[serde(default)]
    id: Option<Uuid>,
    name: String,
    kind: OrganizationKind,
    #[serde(default)]
    contact: Contact,
    #[serde(default)]
    verified: Option<bool>,
    #[serde(default)]
    version: Option<i64>,
}

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

async fn list(
    State(state): State<Arc<AppState>>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!({ "items": items, "next": next })))
}

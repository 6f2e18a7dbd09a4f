//! Buildings: registered and edited by ngo members (their organization's) or admins, read by all.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::model::{Address, Building, GeoPoint, Region, Validate};

use super::{limit, parse_uuid, text_param, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::{Editor, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::{BuildingFilter, BuildingRecord};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/buildings", get(list).post(create))
        .route("/buildings/{id}", get(read).put(update))
}

#[derive(Deserialize)]
struct BuildingBody {
    #[serde(default)]
    id: Option<Uuid>,
    name: String,
    address: Address,
    location: GeoPoint,
    #[serde(default)]
    osm_id: Option<String>,
    /// Admins may register a building for an organization; ngo users always register for their own.
    #[serde(default)]
    organization_id: Option<Uuid>,
    #[serde(default)]
    version: Option<i64>,
}

async fn create(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiJson(body): ApiJson<BuildingBody>,
) -> ApiResult<(StatusCode, Json<BuildingRecord>)> {
    let org = match user.role {
        Role::Ngo => {
            if body.organization_id.is_some() && body.organization_id != user.organization_id {
                return Err(ApiError::forbidden(
                    "an ngo user registers buildings for their own organization only",
                ));
            }
            user.organization_id
        }
        _ => body.organization_id,
    };
    let building = Building {
        id: super::client_id("id", body.id)?,
        name: body.name,
        address: body.address,
        location: body.location,
        osm_id: body.osm_id,
    };
    building.validate()?;
    let now = state.now();
    let stored = state
        .db(move |s| s.create_building(&building, org, now))
        .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

async fn update(
    State(state): State<Arc<AppState>>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<BuildingBody>,
) -> ApiResult<Json<BuildingRecord>> {
    let version = body
        .version
        .ok_or_else(|| ApiError::unprocessable("version", "version is required when updating"))?;
    let building = Building {
        id,
        name: body.name,
        address: body.address,
        location: body.location,
        osm_id: body.osm_id,
    };
    building.validate()?;
    let actor = super::listings::ownership_scope(&user);
    let now = state.now();
    Ok(Json(
        state
            .db(move |s| s.update_building(&building, version, actor, now))
            .await?,
    ))
}

async fn read(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<BuildingRecord>> {
    state
        .db(move |s| s.get_building(id))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("building"))
}

#[derive(Deserialize)]
struct ListQuery {
    region: Option<String>,
    city: Option<String>,
    after: Option<String>,
    limit: Option<i64>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let region = q
        .region
        .map(|r| {
            Region::from_code(&r)
                .map(|r| r.code().to_string())
                .map_err(|e| ApiError::bad_request("region", e.to_string()))
        })
        .transpose()?;
    let filter = BuildingFilter {
        organization_id: None,
        region,
        city: text_param("city", q.city, teng_core::model::validation::limits::CITY)?,
        after: q
            .after
            .as_deref()
            .map(|a| parse_uuid("after", a))
            .transpose()?,
        limit: limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT)?,
    };
    let n = filter.limit;
    let items = state.db(move |s| s.list_buildings(&filter)).await?;
    let next = (items.len() == n)
        .then(|| items.last().map(|b| b.building.id))
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

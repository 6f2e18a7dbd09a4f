//! Buildings: registered and edited by ngo members (their organization's) or admins, read by all.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use teng_core::model::{Address, Building, GeoPoint, Region, Validate};

use super::{limit, parse_uuid, text_param, DEFAULT_LIMIT, MAX_LIMIT};
use crate::api::openapi::mirror;
use crate::auth::{Editor, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::storage::{BuildingFilter, BuildingRecord};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update))
}

/// A building as clients send it. Its location must lie in Kyrgyzstan unless the region is
/// `abroad`.
#[derive(Deserialize, ToSchema)]
#[schema(as = BuildingInput)]
struct BuildingBody {
    /// On create: the client's own id (not the nil UUID); a new one when left out.
    #[serde(default)]
    id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    address: Address,
    location: GeoPoint,
    /// OpenStreetMap element, e.g. `way/123456`.
    #[serde(default)]
    #[schema(pattern = "^(node|way|relation)/[0-9]+$")]
    osm_id: Option<String>,
    /// Admins may register a building for an organization; ngo users always register for their own.
    #[serde(default)]
    organization_id: Option<Uuid>,
    /// Required on update: the version the edit was made against.
    #[serde(default)]
    version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct BuildingPage {
    #[schema(value_type = Vec<mirror::BuildingRecord>)]
    items: Vec<BuildingRecord>,
    /// Pass as `after` for the next page; null on the last page.
    next: Option<Uuid>,
}

/// Register a building.
#[utoipa::path(
    post,
    path = "/buildings",
    tag = "buildings",
    operation_id = "create_building",
    security(("bearer" = [])),
    request_body = BuildingBody,
    responses(
        (status = 201, description = "Registered", body = mirror::BuildingRecord),
        (status = 400, description = "The id is the nil UUID", body = ErrorBody),
        (status = 403, description = "Not an ngo member or admin, or another organization's", body = ErrorBody),
        (status = 409, description = "A building with that id exists", body = ErrorBody),
    )
)]
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

/// Update a building (`version` required).
#[utoipa::path(
    put,
    path = "/buildings/{id}",
    tag = "buildings",
    operation_id = "update_building",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The building's id")),
    request_body = BuildingBody,
    responses(
        (status = 200, description = "Updated", body = mirror::BuildingRecord),
        (status = 403, description = "Not an admin nor of the registering organization", body = ErrorBody),
        (status = 404, description = "No such building", body = ErrorBody),
        (status = 409, description = "A stale version: `current` is the stored record", body = ErrorBody),
    )
)]
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

/// Read a building.
#[utoipa::path(
    get,
    path = "/buildings/{id}",
    tag = "buildings",
    operation_id = "read_building",
    params(("id" = Uuid, Path, description = "The building's id")),
    responses(
        (status = 200, description = "The building", body = mirror::BuildingRecord),
        (status = 404, description = "No such building", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    #[param(value_type = Option<Region>)]
    region: Option<String>,
    /// The city as buildings name it.
    #[param(
        max_length = 100,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    city: Option<String>,
    /// The `next` of the previous page.
    #[param(value_type = Option<Uuid>)]
    after: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// List buildings, in id order.
#[utoipa::path(
    get,
    path = "/buildings",
    tag = "buildings",
    operation_id = "list_buildings",
    params(ListQuery),
    responses(
        (status = 200, description = "One page", body = BuildingPage),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<BuildingPage>> {
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
    Ok(Json(BuildingPage { items, next }))
}

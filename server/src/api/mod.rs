//! The HTTP API: one router per area, merged here with the layers every request goes through.

pub mod accounts;
pub mod buildings;
pub mod city;
pub mod listings;
pub mod openapi;
pub mod organizations;
pub mod reports;
pub mod snapshot;
pub mod sync;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The JSON API and its OpenAPI document in one: every area registers its handlers with
/// `utoipa_axum::routes!`, which routes each one by its `#[utoipa::path]` annotation and adds that
/// to the document (`openapi::document`). Plain `.route` calls have no place here: a route added
/// so would be missing from the document (`server/tests/api_contract.rs` checks the sources).
pub fn api_router() -> OpenApiRouter<Arc<AppState>> {
    let v1 = OpenApiRouter::new()
        .merge(accounts::router())
        .merge(organizations::router())
        .merge(buildings::router())
        .merge(listings::router())
        .merge(reports::router())
        .merge(city::router())
        .merge(sync::router())
        .merge(snapshot::router())
        .merge(openapi::router());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest("/v1", v1)
        .routes(routes!(healthz))
}

pub fn app(state: Arc<AppState>) -> Router {
    let (api, _document) = api_router().split_for_parts();
    Router::new()
        .merge(api)
        .merge(crate::web::router())
        .merge(crate::open311::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        // Answers are per caller and never meant to be sniffed as something else or kept by a
        // shared cache; a handler that wants caching (the stylesheet) sets its own Cache-Control.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            crate::metrics::track,
        ))
        // The fastest levels: JSON still shrinks several times, and a 500-record sync page compressed at
        // gzip's default level cost more CPU than building it.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` in a 200 answer.
    #[schema(example = "ok")]
    status: &'static str,
}

/// Liveness and a database check.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    operation_id = "healthz",
    responses(
        (status = 200, description = "The server answers and its database too", body = Health),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn healthz(State(state): State<Arc<AppState>>) -> ApiResult<Json<Health>> {
    state.db(|s| s.ping()).await?;
    Ok(Json(Health { status: "ok" }))
}

/// Prometheus metrics, served only on the separate `--metrics-listen` address (they show traffic
/// patterns the public need not see).
pub fn metrics_app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

/// JSON for API clients, a page in the reader's language for browsers (they ask for HTML).
async fn not_found(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html && !uri.path().starts_with("/v1/") {
        let lang = crate::web::form::request_lang(&headers);
        return crate::web::error::WebError::NotFound(lang).into_response();
    }
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see /v1/openapi.json",
    )
    .into_response()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /v1/openapi.json",
    )
}

/// Keyset pagination shared by list endpoints.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// The `next` of the previous page.
    #[param(value_type = Option<uuid::Uuid>)]
    pub after: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// A page size in `1..=max`, or 400 naming `limit`.
pub fn limit(value: Option<i64>, default: i64, max: i64) -> ApiResult<usize> {
    let v = value.unwrap_or(default);
    if !(1..=max).contains(&v) {
        return Err(ApiError::bad_request(
            "limit",
            format!("limit must be between 1 and {max}"),
        ));
    }
    Ok(v as usize)
}

/// The id of a record a client creates: its own (phones make ids offline), else a new time-ordered
/// one. The nil UUID is refused: it is what a client's zero value or a missed field becomes, and
/// two such clients would fight over one record.
pub fn client_id(field: &'static str, given: Option<uuid::Uuid>) -> ApiResult<uuid::Uuid> {
    match given {
        Some(id) if id.is_nil() => Err(ApiError::bad_request(
            field,
            format!("{field} must not be the nil UUID (all zeros); leave it out to get a new id"),
        )),
        Some(id) => Ok(id),
        None => Ok(uuid::Uuid::now_v7()),
    }
}

pub fn parse_uuid(field: &str, value: &str) -> ApiResult<uuid::Uuid> {
    uuid::Uuid::parse_str(value)
        .map_err(|_| ApiError::bad_request(field, format!("{field} must be a UUID")))
}

/// A text query parameter: at most `max` characters, no control characters.
pub fn text_param(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> ApiResult<Option<String>> {
    match value {
        Some(v) => {
            teng_core::model::validation::optional_text(field, &v, max)
                .map_err(|e| ApiError::bad_request(field, e.to_string()))?;
            Ok(Some(v))
        }
        None => Ok(None),
    }
}

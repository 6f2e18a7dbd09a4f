//! The HTTP API: one router per area, merged here with the layers every request goes through.

pub mod accounts;
pub mod buildings;
pub mod city;
pub mod listings;
pub mod openapi;
pub mod organizations;
pub mod reports;
pub mod sync;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn app(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .merge(accounts::router())
        .merge(organizations::router())
        .merge(buildings::router())
        .merge(listings::router())
        .merge(reports::router())
        .merge(city::router())
        .merge(sync::router())
        .merge(openapi::router());
    Router::new()
        .nest("/v1", api)
        .merge(crate::web::router())
        .route("/healthz", get(healthz))
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

async fn healthz(State(state): State<Arc<AppState>>) -> ApiResult<Json<serde_json::Value>> {
    state.db(|s| s.ping()).await?;
    Ok(Json(json!({ "status": "ok" })))
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
#[derive(Debug, Deserialize, Default)]
pub struct Page {
    pub after: Option<String>,
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

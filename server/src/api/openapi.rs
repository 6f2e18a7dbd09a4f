//! The OpenAPI 3.1 document served at `/v1/openapi.json`, generated, never written by hand
//! (docs/api-contract.md):
//!
//! - every `/v1` handler carries `#[utoipa::path]` (method, path, parameters, body and its content
//!   type, the statuses it answers, security), and each area's router registers its handlers with
//!   `utoipa_axum::routes!`, which takes the route's method and path from that annotation: a route
//!   cannot exist without its description, nor a description without its route;
//! - the schemas are derived (`ToSchema`) from the types the handlers actually deserialize and
//!   serialize: the server's body and answer types, teng-core's wire types (its `utoipa` feature),
//!   and, for the storage types the storage layer serializes itself, the mirrors in [`mirror`]
//!   (checked against real answers by `server/tests/api_contract.rs` and schemathesis);
//! - [`extractor_responses`] then adds to every operation the answers its extractors give before
//!   the handler runs (a bad body, parameter or token), from what the operation declares, so none
//!   is forgotten.

use std::sync::{Arc, OnceLock};

use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{json, Value};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Teng API",
        description = "Jobs and building accessibility for people with disabilities in Kyrgyzstan. \
            Every error has the shape {\"error\": {\"code\", \"message\", \"field\"?}} (a 409 conflict \
            also carries \"current\", the stored record). Sync protocol: docs/sync-protocol.md. \
            Send a token as `Authorization: Bearer <token>`: POST /v1/auth/login gives one to a user, \
            POST /v1/devices to a phone."
    ),
    servers((url = "/", description = "This server")),
    // Referenced only from hand-built schemas (a push's `mutations`), so listed here.
    components(schemas(super::sync::PushedMutation)),
    tags(
        (name = "accounts", description = "Logins, device tokens, users (admins)"),
        (name = "organizations", description = "Organizations that post listings"),
        (name = "buildings", description = "Buildings where jobs are, with accessibility"),
        (name = "listings", description = "Job listings: drafts, publishing, closing"),
        (name = "reports", description = "Crowd accessibility reports and building summaries"),
        (name = "city", description = "City offices: the reports of their city, answers, exports"),
        (name = "sync", description = "The phones' sync protocol (docs/sync-protocol.md)"),
        (name = "meta", description = "This document and the health check"),
    )
)]
pub struct ApiDoc;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    operation_id = "get_openapi",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object))
)]
async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
}

/// The document as served (built once).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, openapi) = super::api_router().split_for_parts();
        // Serializing utoipa's own types cannot fail; an empty object would fail every test.
        let mut doc = serde_json::to_value(&openapi).unwrap_or_else(|_| json!({}));
        extractor_responses(&mut doc);
        nullable_as_one_of(&mut doc);
        doc
    })
}

fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| document().to_string())
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

/// Writes utoipa's nullable scalars, `{"type": ["string", "null"], "format": "uuid"}`, the way it
/// writes nullable objects: `{"oneOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}`.
/// The same JSON Schema, but tools read the second one alike: schemathesis 4 generated `""` for
/// the first, ignoring its format.
pub fn nullable_as_one_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let scalar = match map.get("type").and_then(Value::as_array).map(Vec::as_slice) {
                Some([a, b]) if b == "null" && a != "null" => Some(a.clone()),
                Some([a, b]) if a == "null" && b != "null" => Some(b.clone()),
                _ => None,
            };
            if let Some(scalar) = scalar {
                let description = map.remove("description");
                map.insert("type".into(), scalar);
                let inner = Value::Object(std::mem::take(map));
                map.insert("oneOf".into(), json!([inner, { "type": "null" }]));
                if let Some(d) = description {
                    map.insert("description".into(), d);
                }
            }
            map.values_mut().for_each(nullable_as_one_of);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_one_of),
        _ => {}
    }
}

/// Adds the answers the extractors give before a handler runs, from what each operation declares
/// (a handler's own annotation wins where it names the same status):
///
/// - a request body (`ApiJson`): 400 (not JSON), 413 (over the body limit), 415 (not sent as
///   `application/json`), 422 (JSON that does not fit the schema, `error.field` names the field);
/// - parameters (`ApiPath`, `ApiQuery`): 400 naming the parameter;
/// - bearer security (`Auth` and the role extractors): 401; and, as every token is looked up in
///   the database, 503 when it is busy;
/// - 429 and 503 carry `Retry-After`.
///
/// It also declares the `bearer` security scheme.
pub fn extractor_responses(doc: &mut Value) {
    doc["components"]["securitySchemes"]["bearer"] = json!({
        "type": "http",
        "scheme": "bearer",
        "description": "A user's token from POST /v1/auth/login or a device's from POST /v1/devices (64 hex characters)"
    });
    let retry_after = json!({
        "Retry-After": {
            "description": "Seconds to wait before retrying",
            "schema": { "type": "integer", "minimum": 0 }
        }
    });
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let has_body = op.contains_key("requestBody");
            let has_params = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            let bearer = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            let mut add: Vec<(&str, &str)> = Vec::new();
            if has_body {
                add.push((
                    "400",
                    "The body is not JSON, or a parameter is malformed; error.field names it",
                ));
                add.push(("413", "The body is larger than the server's limit"));
                add.push(("415", "The body was not sent as application/json"));
                add.push(("422", "The body does not fit the schema, or breaks a rule it cannot state; error.field names the field"));
            }
            if has_params {
                add.push((
                    "400",
                    "A path or query parameter is malformed or out of range; error.field names it",
                ));
            }
            if bearer {
                add.push(("401", "The bearer token is malformed, unknown, expired or revoked, or missing where one is required"));
                add.push((
                    "503",
                    "The database is busy; retry after Retry-After seconds",
                ));
            }
            let responses = op.entry("responses").or_insert_with(|| json!({}));
            let Some(responses) = responses.as_object_mut() else {
                continue;
            };
            for (status, description) in add {
                responses
                    .entry(status)
                    .or_insert_with(|| error_response(description));
            }
            for status in ["429", "503"] {
                if let Some(r) = responses.get_mut(status).and_then(Value::as_object_mut) {
                    r.entry("headers").or_insert_with(|| retry_after.clone());
                }
            }
        }
    }
}

/// Schemas of types the storage layer serializes itself (`crate::storage`, whose types carry no
/// `ToSchema`): written here field for field as they go over the wire, and checked against real
/// answers by `server/tests/api_contract.rs` and the schemathesis run (docs/api-contract.md).
#[allow(dead_code)] // only their schemas are used
pub mod mirror {
    use chrono::{DateTime, Utc};
    use serde::Serialize;
    use utoipa::ToSchema;
    use uuid::Uuid;

    use teng_core::model::{Building, Organization};

    use crate::auth::Role;

    /// A user account (`storage::User`).
    #[derive(Serialize, ToSchema)]
    pub struct User {
        pub id: Uuid,
        pub username: String,
        pub role: Role,
        /// An ngo user's organization.
        pub organization_id: Option<Uuid>,
        /// A city office's city; its report queries are limited to it.
        pub city: Option<String>,
        pub created_at: DateTime<Utc>,
    }

    /// An organization with its revision (`storage::Versioned<Organization>`).
    #[derive(Serialize, ToSchema)]
    pub struct OrganizationRecord {
        #[serde(flatten)]
        pub organization: Organization,
        /// The revision; send it back with an update.
        pub version: i64,
    }

    /// A building with who registered it and its revision (`storage::BuildingRecord`).
    #[derive(Serialize, ToSchema)]
    pub struct BuildingRecord {
        #[serde(flatten)]
        pub building: Building,
        /// The organization that registered it (it and admins may edit it).
        pub organization_id: Option<Uuid>,
        /// The revision; send it back with an update.
        pub version: i64,
    }

    /// "device" (an anonymous phone), "surveyor" (an ngo member or admin) or "external_system".
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum ReportSource {
        Device,
        Surveyor,
        /// Posted by another system through Open311 (`/open311/v2/requests`).
        ExternalSystem,
    }

    /// The kind of a pulled record.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum ChangeKind {
        Organization,
        Building,
        Listing,
        BuildingSummary,
        /// Only the calling device's own.
        SavedJob,
        /// Only for the calling device's own reports.
        ReportStatus,
    }

    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum ChangeOp {
        Upsert,
        Delete,
    }

    /// One entry of a pull page: a record's current state, or its tombstone
    /// (`storage::PulledChange`).
    #[derive(Serialize, ToSchema)]
    pub struct PulledChange {
        pub seq: i64,
        pub kind: ChangeKind,
        /// The record's id (a building's for `building_summary`, a listing's for `saved_job`).
        pub id: String,
        pub op: ChangeOp,
        /// With `upsert`: the record as its `GET` endpoint answers it.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<Object>)]
        pub record: Option<serde_json::Value>,
    }

    /// `GET /v1/sync/pull` (`storage::PullPage`).
    #[derive(Serialize, ToSchema)]
    pub struct PullPage {
        pub changes: Vec<PulledChange>,
        /// Pass as `since` in the next pull.
        pub next: i64,
        pub has_more: bool,
        /// Changes after `next` (asked for with `count=true`), an upper bound.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub remaining: Option<u64>,
    }
}

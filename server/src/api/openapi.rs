//! The OpenAPI 3.1 document served at `/v1/openapi.json`, written by hand from one table of operations
//! plus the shared schemas. A test checks that every routed endpoint is described.

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::state::AppState;

pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

/// (method, path, tag, summary, who may call, request schema, success status, response schema)
type Op = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
);

const OPERATIONS: &[Op] = &[
    ("post", "/v1/auth/login", "accounts", "Log in with username and password; returns a bearer token", "anyone (rate limited per IP)", Some("Login"), "200", "Token"),
    ("post", "/v1/auth/logout", "accounts", "Revoke the token used for this request", "any token", None, "204", ""),
    ("get", "/v1/auth/me", "accounts", "Who the token belongs to", "any token", None, "200", "Any"),
    ("post", "/v1/devices", "accounts", "Register a device (anonymous job seeker's install); returns a device token", "anyone (rate limited per IP)", None, "201", "Token"),
    ("get", "/v1/users", "accounts", "List users", "admin", None, "200", "Any"),
    ("post", "/v1/users", "accounts", "Create a user with a role (ngo needs organization_id, city needs city)", "admin", Some("NewUser"), "201", "User"),
    ("post", "/v1/users/{username}/password", "accounts", "Set a new password and revoke the user's tokens", "admin", Some("Password"), "204", ""),
    ("post", "/v1/users/{username}/revoke-tokens", "accounts", "Revoke every token of a user", "admin", None, "200", "Any"),
    ("get", "/v1/organizations", "organizations", "List organizations (keyset: after, limit)", "anyone", None, "200", "Page"),
    ("post", "/v1/organizations", "organizations", "Create an organization", "admin", Some("Organization"), "201", "Organization"),
    ("get", "/v1/organizations/{id}", "organizations", "Read an organization", "anyone", None, "200", "Organization"),
    ("put", "/v1/organizations/{id}", "organizations", "Update an organization (version required; only admins change verified)", "admin, ngo of that organization", Some("Organization"), "200", "Organization"),
    ("get", "/v1/buildings", "buildings", "List buildings (filters: region, city; keyset: after, limit)", "anyone", None, "200", "Page"),
    ("post", "/v1/buildings", "buildings", "Register a building", "ngo, admin", Some("Building"), "201", "Building"),
    ("get", "/v1/buildings/{id}", "buildings", "Read a building", "anyone", None, "200", "Building"),
    ("put", "/v1/buildings/{id}", "buildings", "Update a building (version required)", "admin, ngo of the registering organization", Some("Building"), "200", "Building"),
    ("get", "/v1/buildings/{id}/reports", "reports", "Accessibility reports of a building (keyset: after, limit)", "anyone", None, "200", "Page"),
    ("post", "/v1/buildings/{id}/reports", "reports", "Submit an accessibility report", "device, ngo (surveyor), admin; rate limited", Some("Report"), "201", "Any"),
    ("get", "/v1/buildings/{id}/summary", "reports", "Aggregated accessibility summary of a building", "anyone", None, "200", "Summary"),
    ("post", "/v1/admin/reports/{id}/hide", "reports", "Hide a wrong or abusive report: the summary is recomputed, the reporter's phone is told the reason", "admin", Some("HideReport"), "200", "Any"),
    ("get", "/v1/listings", "listings", "List listings (public: published only; filters: organization_id, status)", "anyone; drafts: their organization, admin", None, "200", "Page"),
    ("post", "/v1/listings", "listings", "Create a draft listing", "ngo (own organization), admin (organization_id required)", Some("Listing"), "201", "Listing"),
    ("get", "/v1/listings/{id}", "listings", "Read a listing (drafts only for their organization)", "anyone", None, "200", "Listing"),
    ("put", "/v1/listings/{id}", "listings", "Edit a listing; a stale version gets 409 with the current record", "ngo (own organization), admin", Some("Listing"), "200", "Listing"),
    ("post", "/v1/listings/{id}/publish", "listings", "Publish a draft", "ngo (own organization), admin", Some("Version"), "200", "Listing"),
    ("post", "/v1/listings/{id}/close", "listings", "Close a listing (sync sends a tombstone)", "ngo (own organization), admin", Some("Version"), "200", "Listing"),
    ("get", "/v1/city/reports", "city", "Reports with filters: region, city, district, status, building_id, since, until; keyset after/limit", "city (own city), admin", None, "200", "Page"),
    ("get", "/v1/city/reports.csv", "city", "The same reports as CSV (formula characters neutralized)", "city (own city), admin", None, "200", "Csv"),
    ("get", "/v1/city/reports.geojson", "city", "The same reports as a GeoJSON FeatureCollection", "city (own city), admin", None, "200", "Any"),
    ("put", "/v1/city/reports/{id}/status", "city", "Answer a report: acknowledged, in_progress, resolved, or not_responsible (note required), with a note and its language; kept as history", "city (own city), admin", Some("IssueStatus"), "200", "Any"),
    ("get", "/v1/sync/pull", "sync", "Changed public records and tombstones after a cursor, in commit order (see docs/sync-protocol.md)", "anyone; a device also gets its saved jobs", None, "200", "PullPage"),
    ("post", "/v1/sync/push", "sync", "Apply a batch of device mutations, each at most once", "device", Some("PushBatch"), "200", "PushResults"),
    ("get", "/v1/openapi.json", "meta", "This document", "anyone", None, "200", "Any"),
    ("get", "/healthz", "meta", "Liveness and database check", "anyone", None, "200", "Any"),
    ("get", "/metrics", "meta", "Prometheus metrics (text format)", "anyone (restrict at the proxy)", None, "200", "Any"),
];

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn operation(op: &Op) -> Value {
    let (method, path, tag, summary, who, request, status, response) = *op;
    let mut o = json!({
        "tags": [tag],
        "summary": summary,
        "description": format!("Who: {who}."),
        "operationId": format!("{method}_{}", path.trim_start_matches('/').replace(['/', '.', '{', '}', '-'], "_")),
        "responses": {
            "400": { "$ref": "#/components/responses/Error" },
            "401": { "$ref": "#/components/responses/Error" },
            "403": { "$ref": "#/components/responses/Error" },
            "404": { "$ref": "#/components/responses/Error" },
            "409": { "$ref": "#/components/responses/Error" },
            "413": { "$ref": "#/components/responses/Error" },
            "422": { "$ref": "#/components/responses/Error" },
            "429": { "$ref": "#/components/responses/Error" },
            "503": { "$ref": "#/components/responses/Error" }
        }
    });
    let params: Vec<Value> = path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    if !params.is_empty() {
        o["parameters"] = json!(params);
    }
    if let Some(req) = request {
        o["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": schema_ref(req) } }
        });
    }
    o["responses"][status] = if response.is_empty() {
        json!({ "description": "done" })
    } else if response == "Csv" {
        json!({ "description": "CSV", "content": { "text/csv": { "schema": { "type": "string" } } } })
    } else {
        json!({ "description": "ok", "content": { "application/json": { "schema": schema_ref(response) } } })
    };
    if who != "anyone" && !who.starts_with("anyone") {
        o["security"] = json!([{ "bearer": [] }]);
    }
    o
}

fn codes(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

fn schemas() -> Value {
    use teng_core::accessibility::{Feature, Method};
    use teng_core::model::*;
    let all = |v: Vec<&'static str>| codes(&v);
    json!({
        "Any": { "type": "object" },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": { "type": "string", "examples": ["invalid", "conflict", "forbidden", "resync_required"] },
                        "message": { "type": "string" },
                        "field": { "type": "string", "description": "The request field at fault, dotted for nested fields" }
                    }
                },
                "current": { "description": "With 409 conflict: the stored record to merge with" }
            }
        },
        "Login": { "type": "object", "required": ["username", "password"],
            "properties": { "username": { "type": "string" }, "password": { "type": "string" } } },
        "Token": { "type": "object", "properties": {
            "token": { "type": "string", "description": "64 hex characters; send as Authorization: Bearer <token>" },
            "expires_at": { "type": "string", "format": "date-time" },
            "user": schema_ref("User"), "device_id": { "type": "string", "format": "uuid" } } },
        "User": { "type": "object", "properties": {
            "id": { "type": "string", "format": "uuid" }, "username": { "type": "string" },
            "role": codes(&["admin", "ngo", "city"]),
            "organization_id": { "type": ["string", "null"], "format": "uuid" },
            "city": { "type": ["string", "null"] } } },
        "NewUser": { "type": "object", "required": ["username", "password", "role"], "properties": {
            "username": { "type": "string", "minLength": 3, "maxLength": 64 },
            "password": { "type": "string", "minLength": 8, "maxLength": 256 },
            "role": codes(&["admin", "ngo", "city"]),
            "organization_id": { "type": "string", "format": "uuid" }, "city": { "type": "string" } } },
        "Password": { "type": "object", "required": ["password"], "properties": { "password": { "type": "string", "minLength": 8 } } },
        "Version": { "type": "object", "required": ["version"], "properties": { "version": { "type": "integer" } } },
        "Page": { "type": "object", "properties": {
            "items": { "type": "array", "items": {} },
            "next": { "type": ["string", "null"], "description": "Pass as ?after= for the next page; null on the last page" } } },
        "Organization": { "type": "object", "required": ["name", "kind"], "properties": {
            "id": { "type": "string", "format": "uuid" }, "name": { "type": "string", "maxLength": 200 },
            "kind": all(OrganizationKind::ALL.iter().map(|k| k.code()).collect()),
            "contact": { "type": "object", "properties": { "phone": { "type": "string" }, "email": { "type": "string" }, "website": { "type": "string" } } },
            "verified": { "type": "boolean" }, "version": { "type": "integer" } } },
        "Building": { "type": "object", "required": ["name", "address", "location"], "properties": {
            "id": { "type": "string", "format": "uuid" }, "name": { "type": "string", "maxLength": 200 },
            "address": { "type": "object", "required": ["street", "city", "region"], "properties": {
                "street": { "type": "string", "maxLength": 300 }, "city": { "type": "string", "maxLength": 100 },
                "district": { "type": "string", "maxLength": 100 },
                "region": all(Region::ALL.iter().map(|r| r.code()).collect()) } },
            "location": { "type": "object", "required": ["lat", "lon"], "properties": {
                "lat": { "type": "number", "minimum": -90, "maximum": 90 }, "lon": { "type": "number", "minimum": -180, "maximum": 180 } },
                "description": "WGS84; must lie in Kyrgyzstan unless region is abroad" },
            "osm_id": { "type": "string", "pattern": "^(node|way|relation)/[0-9]+$" },
            "organization_id": { "type": ["string", "null"], "format": "uuid" },
            "version": { "type": "integer" } } },
        "Listing": { "type": "object",
            "required": ["title", "category", "employment_type", "work_mode", "city", "region", "languages", "apply_via"],
            "properties": {
                "id": { "type": "string", "format": "uuid", "description": "optional on create: the server mints a time-ordered UUIDv7; clients minting their own should use v7 as well, which keeps the phones' id index append-only" },
                "organization_id": { "type": "string", "format": "uuid" },
                "title": { "type": "string", "maxLength": 200 },
                "description": { "type": "string", "maxLength": 10000 },
                "category": all(JobCategory::ALL.iter().map(|c| c.code()).collect()),
                "employment_type": all(EmploymentType::ALL.iter().map(|c| c.code()).collect()),
                "work_mode": all(WorkMode::ALL.iter().map(|c| c.code()).collect()),
                "building_id": { "type": ["string", "null"], "format": "uuid", "description": "required unless work_mode is remote" },
                "city": { "type": "string", "maxLength": 100 },
                "region": all(Region::ALL.iter().map(|r| r.code()).collect()),
                "salary": { "type": ["object", "null"], "properties": {
                    "min": { "type": "integer" }, "max": { "type": "integer" },
                    "period": all(SalaryPeriod::ALL.iter().map(|c| c.code()).collect()) } },
                "accommodations": { "type": "array", "items": all(Accommodation::ALL.iter().map(|c| c.code()).collect()) },
                "languages": { "type": "array", "minItems": 1, "items": all(WorkLanguage::ALL.iter().map(|c| c.code()).collect()) },
                "apply_via": { "type": "array", "minItems": 1, "maxItems": 10, "items": { "type": "object", "properties": {
                    "channel": all(ApplyChannel::ALL.iter().map(|c| c.code()).collect()), "value": { "type": "string" } } } },
                "posted_at": { "type": "string", "format": "date-time", "readOnly": true },
                "valid_through": { "type": ["string", "null"], "format": "date-time" },
                "status": { "readOnly": true, "type": "string", "enum": ["draft", "published", "closed"] },
                "version": { "type": "integer", "description": "Required on update: the version the edit was made against" } } },
        "Report": { "type": "object", "properties": {
            "id": { "type": "string", "format": "uuid", "description": "client-generated (defaults to a new id, or the push mutation's id)" },
            "facts": { "type": "object",
                "description": "Observed features keyed by feature code, each an externally tagged value, e.g. {\"door_width_cm\": {\"centimetres\": 90}, \"ramp\": {\"ramp\": \"fixed\"}, \"elevator\": {\"bool\": true}}. A missing feature means not observed.",
                "propertyNames": all(Feature::ALL.iter().map(|f| f.code()).collect()) },
            "method": all(Method::ALL.iter().map(|m| m.code()).collect()),
            "observed_at": { "type": "string", "format": "date-time", "description": "defaults to now; at most 24 h in the future" },
            "note": { "type": "object", "properties": {
                "ky": { "type": "string", "maxLength": 2000 }, "ru": { "type": "string", "maxLength": 2000 }, "en": { "type": "string", "maxLength": 2000 } } } },
            "description": "Facts or a note (or both) are required. The reporter comes from the token: devices report anonymously, ngo members and admins as verified surveyors." },
        "Summary": { "type": "object", "description": "teng-core's accessibility::BuildingSummary, aggregated as of the request", "properties": {
            "building_id": { "type": "string", "format": "uuid" },
            "features": { "type": "object", "description": "feature code -> { value, state (confirmed, unconfirmed, conflicting, stale, unknown), confidence, last_reported_at, reports }" },
            "grades": { "type": "object", "properties": {
                "wheelchair": codes(&["yes", "limited", "no", "unknown"]), "blind": codes(&["yes", "limited", "no", "unknown"]),
                "deaf": codes(&["yes", "limited", "no", "unknown"]), "overall": codes(&["yes", "limited", "no", "unknown"]) } },
            "report_count": { "type": "integer" },
            "last_reported_at": { "type": ["string", "null"], "format": "date-time" },
            "note": { "type": "object" } } },
        "HideReport": { "type": "object", "required": ["reason"], "properties": {
            "reason": { "type": "string", "minLength": 1, "maxLength": 2000 } } },
        "IssueStatus": { "type": "object", "required": ["status"], "properties": {
            "status": codes(&["acknowledged", "in_progress", "resolved", "not_responsible"]), "note": { "type": "string", "maxLength": 2000 },
            "lang": codes(&["ky", "ru", "en"]) } },
        "PullPage": { "type": "object", "properties": {
            "changes": { "type": "array", "items": { "type": "object", "properties": {
                "seq": { "type": "integer" },
                "kind": codes(&["organization", "building", "listing", "building_summary", "saved_job", "report_status"]),
                "id": { "type": "string" }, "op": codes(&["upsert", "delete"]),
                "record": { "type": "object", "description": "present with upsert" } } } },
            "next": { "type": "integer", "description": "pass as since= in the next pull" },
            "has_more": { "type": "boolean" } } },
        "PushBatch": { "type": "object", "required": ["mutations"], "properties": {
            "mutations": { "type": "array", "maxItems": 100, "items": { "type": "object", "required": ["id", "op"], "properties": {
                "id": { "type": "string", "format": "uuid", "description": "client-generated; a retry reuses it" },
                "op": codes(&["save_job", "unsave_job", "submit_report", "reopen_report"]),
                "listing_id": { "type": "string", "format": "uuid" }, "note": { "type": "string" },
                "saved_at": { "type": "string", "format": "date-time" },
                "building_id": { "type": "string", "format": "uuid" }, "report": schema_ref("Report") } } } } },
        "PushResults": { "type": "object", "properties": {
            "results": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "string" }, "status": codes(&["applied", "duplicate", "conflict", "rejected"]),
                "seq": { "type": "integer" }, "current": { "type": "object" },
                "code": { "type": "string" }, "message": { "type": "string" }, "field": { "type": "string" } } } } } }
    })
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for op in OPERATIONS {
        let entry = paths.entry(op.1.to_string()).or_insert_with(|| json!({}));
        entry[op.0] = operation(op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Teng API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Jobs and building accessibility for people with disabilities in Kyrgyzstan. Every error has the shape {\"error\": {\"code\", \"message\", \"field\"?}}. Sync protocol: docs/sync-protocol.md."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "responses": {
                "Error": { "description": "error", "content": { "application/json": { "schema": schema_ref("Error") } } }
            },
            "schemas": schemas()
        }
    })
}

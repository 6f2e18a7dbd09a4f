//! The API contract (issue 14, docs/api-contract.md): the generated `/v1/openapi.json` is OpenAPI
//! 3.1 JSON, lists exactly the operations the router serves, and describes real answers. The full
//! schema-based run is `scripts/test-api-contract.sh` (schemathesis); these checks run in
//! `cargo test`.

mod common;

use std::collections::BTreeSet;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use teng_server::auth::Role;

/// Every operation of the API. A route added without `#[utoipa::path]` cannot be registered (see
/// `every_route_is_registered_from_its_annotation`), and one added with it shows up in the
/// document: either way this list, the document and the router must agree.
const OPERATIONS: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/v1/openapi.json"),
    ("post", "/v1/auth/login"),
    ("post", "/v1/auth/logout"),
    ("get", "/v1/auth/me"),
    ("post", "/v1/devices"),
    ("get", "/v1/users"),
    ("post", "/v1/users"),
    ("post", "/v1/users/{username}/password"),
    ("post", "/v1/users/{username}/revoke-tokens"),
    ("get", "/v1/organizations"),
    ("post", "/v1/organizations"),
    ("get", "/v1/organizations/{id}"),
    ("put", "/v1/organizations/{id}"),
    ("get", "/v1/buildings"),
    ("post", "/v1/buildings"),
    ("get", "/v1/buildings/{id}"),
    ("put", "/v1/buildings/{id}"),
    ("get", "/v1/buildings/{id}/reports"),
    ("post", "/v1/buildings/{id}/reports"),
    ("get", "/v1/buildings/{id}/summary"),
    ("post", "/v1/admin/reports/{id}/hide"),
    ("get", "/v1/listings"),
    ("post", "/v1/listings"),
    ("get", "/v1/listings/{id}"),
    ("put", "/v1/listings/{id}"),
    ("post", "/v1/listings/{id}/publish"),
    ("post", "/v1/listings/{id}/close"),
    ("get", "/v1/city/reports"),
    ("get", "/v1/city/reports.csv"),
    ("get", "/v1/city/reports.geojson"),
    ("put", "/v1/city/reports/{id}/status"),
    ("get", "/v1/sync/pull"),
    ("post", "/v1/sync/push"),
    ("get", "/v1/sync/snapshot"),
    ("get", "/v1/sync/snapshot/{generation}/{n}"),
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operations_of(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, _) in item.as_object().expect("path item") {
            if METHODS.contains(&method.as_str()) {
                ops.insert((method.clone(), path.clone()));
            }
        }
    }
    ops
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_exactly_the_routed_operations() {
    let t = TestServer::start().await;
    let r = t
        .client
        .get(t.url("/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/json");
    let doc: Value = serde_json::from_str(&r.text().await.unwrap()).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Teng API");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    let listed: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let documented = operations_of(&doc);
    let undocumented: Vec<_> = listed.difference(&documented).collect();
    let unlisted: Vec<_> = documented.difference(&listed).collect();
    assert!(
        undocumented.is_empty() && unlisted.is_empty(),
        "in OPERATIONS but not in the document: {undocumented:?}; in the document but not in OPERATIONS: {unlisted:?}"
    );

    // Every documented operation is routed: it is not answered by the router's fallbacks (404
    // "no such endpoint", 405 "method_not_allowed"), whatever the handler then says.
    let some_id = "0190c0de-0000-7000-8000-000000000001";
    for (method, path) in &documented {
        let concrete = path
            .replace("{id}", some_id)
            .replace("{username}", "nobody");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (s, v) = t.call(method.clone(), &concrete, None, None).await;
        let fallback = s == StatusCode::METHOD_NOT_ALLOWED
            || (s == StatusCode::NOT_FOUND
                && v["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("no such endpoint")));
        assert!(
            !fallback,
            "{method} {concrete} is documented but not routed: {s} {v}"
        );
    }

    // Every operation says what it answers, with a unique id and a tag.
    let mut ids = BTreeSet::new();
    for (method, path) in &documented {
        let op = &doc["paths"][path][method];
        let id = op["operationId"].as_str().expect("operationId");
        assert!(ids.insert(id.to_string()), "operationId {id} twice");
        assert!(op["tags"][0].is_string(), "{method} {path} has no tag");
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path} documents no success"
        );
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(responses.contains_key(status), "{method} {path}: {status}");
            }
        }
        let path_params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|p| p.iter().filter(|p| p["in"] == "path").collect())
            .unwrap_or_default();
        for p in path_params {
            if p["name"] == "id" {
                assert_eq!(p["schema"]["format"], "uuid", "{method} {path}");
            }
        }
    }
}

#[test]
fn every_route_is_registered_from_its_annotation() {
    // utoipa_axum's `routes!` takes a route's method and path from the handler's
    // `#[utoipa::path]`; a plain `.route(...)` in the API would be served but never documented.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (n, line) in source.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // The metrics listener (mod.rs) is a separate server, not the API.
            let metrics = code.starts_with(".route(\"/metrics\"");
            for bypass in [".route(", ".route_service(", ".nest_service("] {
                assert!(
                    metrics || !code.contains(bypass),
                    "{}:{}: register API routes with utoipa_axum::routes!, not `{bypass}`",
                    path.display(),
                    n + 1
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 9, "read {checked} files of {}", dir.display());
}

// A small JSON Schema reader, enough for the document's own shapes: `$ref`, `allOf`, `oneOf`,
// `anyOf`, types, `enum`, `properties`/`required`, `items`, `additionalProperties`. Stricter than
// JSON Schema in one way, on purpose: an object key the schema does not declare is an error, so a
// field added to a storage type but not to its mirror in api/openapi.rs fails here.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn declared_keys(doc: &Value, schema: &Value, keys: &mut BTreeSet<String>) {
    let schema = resolve(doc, schema);
    if let Some(p) = schema["properties"].as_object() {
        keys.extend(p.keys().cloned());
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            declared_keys(doc, part, keys);
        }
    }
}

fn check(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    also: &BTreeSet<String>,
) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut errors = Vec::new();
    if let Some(parts) = schema["allOf"].as_array() {
        let mut keys = also.clone();
        declared_keys(doc, schema, &mut keys);
        for part in parts {
            errors.extend(check(doc, part, value, at, &keys));
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema[key].as_array() {
            let fits: Vec<bool> = branches
                .iter()
                .map(|b| check(doc, b, value, at, also).is_empty())
                .collect();
            if !fits.iter().any(|f| *f) {
                errors.push(format!("{at}: {value} fits no branch of {key}"));
            }
        }
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        });
        if !fits {
            errors.push(format!("{at}: {value} is not {types:?}"));
            return errors;
        }
    }
    if let Some(object) = value.as_object() {
        if let Some(props) = schema["properties"].as_object() {
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                if !object.contains_key(name) {
                    errors.push(format!("{at}: required `{name}` is missing"));
                }
            }
            for (k, v) in object {
                match props.get(k) {
                    Some(s) => {
                        errors.extend(check(doc, s, v, &format!("{at}.{k}"), &BTreeSet::new()))
                    }
                    None if also.contains(k) => {}
                    None => errors.push(format!("{at}: `{k}` is not in the schema")),
                }
            }
        } else if schema["additionalProperties"].is_object() {
            for (k, v) in object {
                errors.extend(check(
                    doc,
                    &schema["additionalProperties"],
                    v,
                    &format!("{at}.{k}"),
                    &BTreeSet::new(),
                ));
            }
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            errors.extend(check(
                doc,
                schema,
                item,
                &format!("{at}[{i}]"),
                &BTreeSet::new(),
            ));
        }
    }
    errors
}

/// The 2xx JSON schema the document gives an operation.
fn answer_schema<'a>(doc: &'a Value, method: &str, path: &str, status: &str) -> &'a Value {
    let s =
        &doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"];
    assert!(s.is_object(), "{method} {path} {status}: no JSON schema");
    s
}

fn assert_fits(doc: &Value, method: &str, path: &str, status: StatusCode, v: &Value) {
    let schema = answer_schema(doc, method, path, status.as_str());
    let errors = check(doc, schema, v, "$", &BTreeSet::new());
    assert!(errors.is_empty(), "{method} {path}: {errors:#?}\n{v:#}");
}

#[tokio::test]
async fn real_answers_fit_the_document() {
    let t = TestServer::start().await;
    let doc = teng_server::api::openapi::document();
    let (org, ngo) = t.ngo("contract-ngo").await;
    let a = Some(t.admin.as_str());

    let (s, v) = t.get(&format!("/v1/organizations/{org}"), None).await;
    assert_fits(doc, "get", "/v1/organizations/{id}", s, &v);
    let (s, v) = t.get("/v1/organizations?limit=1", None).await;
    assert_fits(doc, "get", "/v1/organizations", s, &v);

    let (s, v) = t
        .post("/v1/buildings", Some(&ngo), building_json("Bishkek"))
        .await;
    assert_fits(doc, "post", "/v1/buildings", s, &v);
    let building = v["id"].as_str().unwrap().to_string();
    let (s, v) = t.get("/v1/buildings", None).await;
    assert_fits(doc, "get", "/v1/buildings", s, &v);

    let listing = t.published_listing(&ngo).await;
    let (s, v) = t
        .get(
            &format!("/v1/listings/{}", listing["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_fits(doc, "get", "/v1/listings/{id}", s, &v);
    let (s, v) = t.get("/v1/listings", None).await;
    assert_fits(doc, "get", "/v1/listings", s, &v);

    let (_, device) = t.device().await;
    let report = json!({
        "facts": { "door_width_cm": { "centimetres": 90 }, "ramp": { "ramp": "fixed" } },
        "method": "measured",
        "note": { "ru": "Широкая дверь" }
    });
    let (s, v) = t
        .post(
            &format!("/v1/buildings/{building}/reports"),
            Some(&device),
            report,
        )
        .await;
    assert_fits(doc, "post", "/v1/buildings/{id}/reports", s, &v);
    let report_id = v["report"]["id"].as_str().unwrap().to_string();
    let (s, v) = t
        .get(&format!("/v1/buildings/{building}/reports"), None)
        .await;
    assert_fits(doc, "get", "/v1/buildings/{id}/reports", s, &v);
    let (s, v) = t
        .get(&format!("/v1/buildings/{building}/summary"), None)
        .await;
    assert_fits(doc, "get", "/v1/buildings/{id}/summary", s, &v);

    t.add_user("office", Role::City, None, Some("Bishkek"));
    let city = t.login("office").await;
    let (s, v) = t.get("/v1/city/reports", Some(&city)).await;
    assert_fits(doc, "get", "/v1/city/reports", s, &v);
    let (s, v) = t
        .put(
            &format!("/v1/city/reports/{report_id}/status"),
            Some(&city),
            json!({ "status": "acknowledged", "note": "Seen", "lang": "en" }),
        )
        .await;
    assert_fits(doc, "put", "/v1/city/reports/{id}/status", s, &v);

    let (s, v) = t
        .post(
            "/v1/users",
            a,
            json!({ "username": "someone", "password": "a long enough phrase", "role": "admin" }),
        )
        .await;
    assert_fits(doc, "post", "/v1/users", s, &v);
    let (s, v) = t.get("/v1/users", a).await;
    assert_fits(doc, "get", "/v1/users", s, &v);
    let (s, v) = t.get("/v1/auth/me", Some(&device)).await;
    assert_fits(doc, "get", "/v1/auth/me", s, &v);

    let (s, v) = t
        .get("/v1/sync/pull?since=0&count=true", Some(&device))
        .await;
    assert_fits(doc, "get", "/v1/sync/pull", s, &v);
    let kinds: BTreeSet<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert!(
        kinds.contains("building_summary") && kinds.contains("listing"),
        "{kinds:?}"
    );
    let (s, v) = t
        .post(
            "/v1/sync/push",
            Some(&device),
            json!({ "mutations": [
                { "id": "0190c0de-0000-7000-8000-000000000002", "op": "save_job", "listing_id": listing["id"] },
                { "id": 5, "op": "save_job" },
                { "id": "not-a-uuid", "op": "unsave_job" },
                "not even an object",
            ] }),
        )
        .await;
    assert_fits(doc, "post", "/v1/sync/push", s, &v);
    assert_eq!(v["results"][1]["id"], Value::Null, "{v}");
    assert_eq!(v["results"][2]["id"], "not-a-uuid", "{v}");

    // First-sync snapshots: the manifest and a chunk (decompressed by the client).
    teng_server::snapshot::build(t.server.state.storage.as_ref(), chrono::Utc::now())
        .unwrap()
        .expect("a snapshot of the listings");
    let (s, v) = t.get("/v1/sync/snapshot", Some(&device)).await;
    assert_fits(doc, "get", "/v1/sync/snapshot", s, &v);
    assert!(v["private_from"].is_i64(), "the saved job: {v}");
    let chunk = v["chunks"][0]["url"].as_str().unwrap().to_string();
    let (s, v) = t.get(&chunk, None).await;
    assert_fits(doc, "get", "/v1/sync/snapshot/{generation}/{n}", s, &v);

    // Errors, with the field they are about.
    let (s, v) = t
        .post(
            "/v1/organizations",
            a,
            json!({ "name": "X", "kind": "cartel" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "kind", "{v}");
    assert_fits(doc, "post", "/v1/organizations", s, &v);
    let (s, v) = t
        .post("/v1/organizations", a, json!({ "kind": "ngo" }))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "name", "{v}");
}

#[test]
fn limits_in_the_document_are_the_code_s() {
    use teng_core::model::validation::limits;
    let doc = teng_server::api::openapi::document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["ListingInput"]["properties"]["title"]["maxLength"],
        limits::TITLE
    );
    assert_eq!(
        schemas["ListingInput"]["properties"]["description"]["maxLength"],
        limits::DESCRIPTION
    );
    assert_eq!(
        schemas["ListingInput"]["properties"]["apply_via"]["maxItems"],
        limits::APPLY_METHODS
    );
    assert_eq!(
        schemas["Organization"]["properties"]["name"]["maxLength"],
        limits::NAME
    );
    assert_eq!(
        schemas["Address"]["properties"]["street"]["maxLength"],
        limits::STREET
    );
    assert_eq!(
        schemas["HideReport"]["properties"]["reason"]["maxLength"],
        limits::NOTE
    );
    assert_eq!(
        schemas["NewUser"]["properties"]["password"]["minLength"],
        teng_server::auth::MIN_PASSWORD
    );
    assert_eq!(
        schemas["NewUser"]["properties"]["password"]["maxLength"],
        teng_server::auth::MAX_PASSWORD
    );
    assert_eq!(
        schemas["PushBatch"]["properties"]["mutations"]["maxItems"],
        teng_server::api::sync::MAX_BATCH
    );
    let list = &doc["paths"]["/v1/listings"]["get"]["parameters"];
    let limit = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["maximum"], teng_server::api::MAX_LIMIT);
}

//! Bad inputs get the one JSON error shape with the right status, and never a 5xx.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

#[tokio::test]
async fn oversized_body_gets_413() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let mut body = listing_json(b);
    body["description"] = json!("x".repeat(100 * 1024));
    let (s, v) = t.post("/v1/listings", Some(&ngo), body).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_error(&v, "payload_too_large");
}

#[tokio::test]
async fn malformed_json_gets_400_and_missing_content_type_415() {
    let t = TestServer::start().await;
    let r = t
        .req(Method::POST, "/v1/organizations", Some(&t.admin))
        .header("content-type", "application/json")
        .body("{\"name\": \"unterminated")
        .send()
        .await
        .unwrap();
    let (s, v) = status_json(r).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_error(&v, "malformed_json");
    let r = t
        .req(Method::POST, "/v1/organizations", Some(&t.admin))
        .body("{\"name\": \"X\", \"kind\": \"ngo\"}")
        .send()
        .await
        .unwrap();
    let (s, v) = status_json(r).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    assert_error(&v, "unsupported_media_type");
}

#[tokio::test]
async fn wrong_types_and_unknown_enum_codes_get_422_naming_the_choices() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let mut body = listing_json(b);
    body["category"] = json!("astronaut");
    let (s, v) = t.post("/v1/listings", Some(&ngo), body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_error(&v, "invalid");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("astronaut") && message.contains("customer_service"),
        "{message}"
    );
    let mut body = listing_json(b);
    body["title"] = json!(5);
    let (s, _) = t.post("/v1/listings", Some(&ngo), body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let mut body = listing_json(b);
    body["salary"]["min"] = json!(-3);
    let (s, _) = t.post("/v1/listings", Some(&ngo), body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = t
        .post(
            "/v1/organizations",
            Some(&t.admin),
            json!({ "name": "X", "kind": "cartel" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = t.get("/v1/buildings?region=atlantis", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn injection_strings_are_stored_verbatim_and_never_executed() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let evil = "'); DROP TABLE listings; -- <script>alert(1)</script> \" OR 1=1";
    let mut body = listing_json(b);
    body["title"] = json!(evil);
    let (s, v) = t.post("/v1/listings", Some(&ngo), body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap();
    let (s, v) = t.get(&format!("/v1/listings/{id}"), Some(&ngo)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["title"], evil);
    let (s, v) = t
        .get("/v1/buildings?city=%27%20OR%201%3D1%20--", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    let (s, _) = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "username": "root' OR '1'='1", "password": "' OR '1'='1" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn control_characters_and_overlong_texts_are_refused() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let mut b = building_json("Bishkek");
    b["name"] = json!("bell\u{7}name");
    let (s, v) = t.post("/v1/buildings", Some(&ngo), b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "name");
    let mut b = building_json("Bishkek");
    b["address"]["city"] = json!("Б".repeat(101));
    let (s, v) = t.post("/v1/buildings", Some(&ngo), b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "address.city");
}

#[tokio::test]
async fn bad_ids_unknown_paths_and_methods_get_json_errors() {
    let t = TestServer::start().await;
    for path in ["/v1/listings/not-a-uuid", "/v1/buildings/123/summary"] {
        let (s, v) = t.get(path, None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert!(v["error"]["code"].is_string());
    }
    let (s, v) = t
        .get(&format!("/v1/listings/{}", Uuid::new_v4()), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found");
    let (s, v) = t.get("/v1/nothing-here", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found");
    let (s, v) = t.call(Method::DELETE, "/v1/listings", None, None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&v, "method_not_allowed");
    for q in [
        "limit=0",
        "limit=-1",
        "limit=100000000000000000000",
        "after=zzz",
    ] {
        let (s, v) = t.get(&format!("/v1/listings?{q}"), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
    }
}

/// Throws a set of hostile bodies at every endpoint that takes one, as every kind of caller.
#[tokio::test]
async fn nothing_a_client_sends_produces_a_server_error() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    let listing = t.published_listing(&ngo).await;
    let lid = listing["id"].as_str().unwrap().to_string();
    let bid = listing["building_id"].as_str().unwrap().to_string();
    let (_, device) = t.device().await;
    let rid = Uuid::new_v4();
    let endpoints = [
        (Method::POST, "/v1/auth/login".to_string()),
        (Method::POST, "/v1/devices".to_string()),
        (Method::POST, "/v1/users".to_string()),
        (Method::POST, "/v1/users/ngo1/password".to_string()),
        (Method::POST, "/v1/organizations".to_string()),
        (Method::PUT, format!("/v1/organizations/{org}")),
        (Method::POST, "/v1/buildings".to_string()),
        (Method::PUT, format!("/v1/buildings/{bid}")),
        (Method::POST, format!("/v1/buildings/{bid}/reports")),
        (Method::POST, "/v1/listings".to_string()),
        (Method::PUT, format!("/v1/listings/{lid}")),
        (Method::POST, format!("/v1/listings/{lid}/publish")),
        (Method::POST, format!("/v1/listings/{lid}/close")),
        (Method::PUT, format!("/v1/city/reports/{rid}/status")),
        (Method::POST, "/v1/sync/push".to_string()),
    ];
    let bodies: Vec<Value> = vec![
        json!(null),
        json!([]),
        json!("string"),
        json!(1e300),
        json!({}),
        json!({ "version": -1, "name": "", "title": "", "mutations": [null, {}, {"id": null}] }),
        json!({ "version": i64::MAX, "status": "published", "kind": "ngo", "name": "n",
                "mutations": "x", "answers": [], "password": "" }),
        json!({ "location": { "lat": 1e308, "lon": -1e308 }, "address": { "street": "s", "city": "c", "region": "bishkek" }, "name": "n" }),
        json!({ "username": "a".repeat(10_000), "password": "b".repeat(10_000), "role": "admin" }),
    ];
    let tokens = [
        None,
        Some(t.admin.as_str()),
        Some(ngo.as_str()),
        Some(device.as_str()),
    ];
    for (method, path) in &endpoints {
        for body in &bodies {
            for token in tokens {
                let (s, v) = t
                    .call(method.clone(), path, token, Some(body.clone()))
                    .await;
                assert!(
                    !s.is_server_error(),
                    "{method} {path} with {body} -> {s}: {v}"
                );
                if !s.is_success() {
                    assert!(v["error"]["code"].is_string(), "{method} {path}: {v}");
                }
            }
        }
    }
}

#[tokio::test]
async fn locked_database_answers_503_and_recovers() {
    let t = TestServer::start_with(|c| c.busy_timeout = std::time::Duration::from_millis(50)).await;
    let blocker = t.block_writes();
    let org = json!({ "name": "Waiting", "kind": "ngo" });
    let (s, v) = t
        .post("/v1/organizations", Some(&t.admin), org.clone())
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_error(&v, "unavailable");
    // Readers are not blocked by a writer (WAL).
    let (s, _) = t.get("/v1/organizations", None).await;
    assert_eq!(s, StatusCode::OK);
    drop(blocker);
    let (s, v) = t.post("/v1/organizations", Some(&t.admin), org).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn the_nil_uuid_is_refused_as_a_new_records_id_and_as_a_mutation_id() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let nil = Uuid::nil().to_string();
    let mut building = building_json("Bishkek");
    building["id"] = json!(nil);
    let (s, v) = t.post("/v1/buildings", Some(&ngo), building).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["field"], "id", "{v}");
    let b = t.building(&ngo, "Bishkek").await;
    let mut listing = listing_json(b);
    listing["id"] = json!(nil);
    let (s, v) = t.post("/v1/listings", Some(&ngo), listing).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["field"], "id", "{v}");
    let (s, v) = t
        .post(
            &format!("/v1/buildings/{b}/reports"),
            Some(&ngo),
            json!({ "id": nil, "facts": { "toilet": { "access": "no" } } }),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["field"], "id", "{v}");

    let (_, device) = t.device().await;
    let (s, v) = t
        .post(
            "/v1/sync/push",
            Some(&device),
            json!({ "mutations": [{ "id": nil, "op": "unsave_job", "listing_id": Uuid::new_v4() }] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["status"], "rejected", "{v}");
    assert_eq!(v["results"][0]["field"], "id", "{v}");
}

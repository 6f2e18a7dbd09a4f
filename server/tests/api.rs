//! Endpoints and role rules over real HTTP on loopback, against a real SQLite file.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use teng_server::auth::Role;
use uuid::Uuid;

// ---- accounts ----

#[tokio::test]
async fn login_with_wrong_password_is_refused() {
    let t = TestServer::start().await;
    let (s, v) = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "username": "root", "password": "wrong-password" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_error(&v, "unauthorized");
    let (s, _) = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "username": "nobody", "password": "wrong-password" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_identifies_the_user_and_logout_revokes_it() {
    let t = TestServer::start().await;
    let token = t.login("root").await;
    let (s, v) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["user"]["role"], "admin");
    let (s, _) = t.post("/v1/auth/logout", Some(&token), json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_error(&v, "unauthorized");
}

#[tokio::test]
async fn unknown_or_malformed_tokens_get_401() {
    let t = TestServer::start().await;
    let (s, _) = t.get("/v1/auth/me", Some("deadbeef")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let r = t
        .req(Method::GET, "/v1/auth/me", None)
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (s, _) = t.get("/v1/auth/me", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_token_is_refused() {
    let t = TestServer::start_with(|c| c.user_token_days = -1).await;
    // start_with logs the admin in; that token is already expired.
    let (s, _) = t.get("/v1/auth/me", Some(&t.admin)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_creates_users_and_password_reset_revokes_old_tokens() {
    let t = TestServer::start().await;
    let org = t.org("Ak-Jol").await;
    let (s, v) = t
        .post(
            "/v1/users",
            Some(&t.admin),
            json!({ "username": "aida", "password": "long-enough-1", "role": "ngo", "organization_id": org }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(v.get("password_hash").is_none());
    let (s, v) = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "username": "aida", "password": "long-enough-1" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let old = v["token"].as_str().unwrap().to_string();
    let (s, _) = t
        .post(
            "/v1/users/aida/password",
            Some(&t.admin),
            json!({ "password": "another-pass-2" }),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = t.get("/v1/auth/me", Some(&old)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Duplicate usernames are refused (case-insensitively).
    let (s, v) = t
        .post(
            "/v1/users",
            Some(&t.admin),
            json!({ "username": "AIDA", "password": "long-enough-1", "role": "city", "city": "Osh" }),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

#[tokio::test]
async fn admin_lists_users_and_revokes_their_tokens() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let (s, v) = t.get("/v1/users", Some(&t.admin)).await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = v["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ngo1", "root"]);
    let (s, _) = t.get("/v1/users", Some(&ngo)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = t
        .post("/v1/users/ngo1/revoke-tokens", Some(&t.admin), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["revoked"], 1);
    let (s, _) = t.get("/v1/auth/me", Some(&ngo)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn device_token_identifies_the_device_and_can_be_revoked() {
    let t = TestServer::start().await;
    let (id, token) = t.device().await;
    let (s, v) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["device_id"], id.to_string());
    let (s, _) = t.post("/v1/auth/logout", Some(&token), json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_admins_manage_users_and_organizations() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let (_, device) = t.device().await;
    for token in [&ngo, &device] {
        let (s, v) = t
            .post(
                "/v1/users",
                Some(token),
                json!({ "username": "x1x", "password": "long-enough-1", "role": "admin" }),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert_error(&v, "forbidden");
        let (s, _) = t
            .post(
                "/v1/organizations",
                Some(token),
                json!({ "name": "X", "kind": "ngo" }),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let (s, _) = t
        .post(
            "/v1/organizations",
            None,
            json!({ "name": "X", "kind": "ngo" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn device_registration_is_rate_limited() {
    let t = TestServer::start_with(|c| c.device_registrations_per_minute = 2).await;
    t.device().await;
    t.device().await;
    let (s, v) = t.post("/v1/devices", None, json!({})).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_error(&v, "rate_limited");
}

// ---- organizations and buildings ----

#[tokio::test]
async fn ngo_edits_its_own_organization_but_cannot_verify_it() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    let (other, _) = t.ngo("ngo2").await;
    let (s, v) = t
        .put(
            &format!("/v1/organizations/{org}"),
            Some(&ngo),
            json!({ "name": "Renamed", "kind": "ngo", "verified": true, "version": 1 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["name"], "Renamed");
    assert_eq!(v["verified"], false);
    assert_eq!(v["version"], 2);
    let (s, _) = t
        .put(
            &format!("/v1/organizations/{other}"),
            Some(&ngo),
            json!({ "name": "Mine now", "kind": "ngo", "version": 1 }),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn buildings_are_read_by_all_and_edited_by_their_organization_only() {
    let t = TestServer::start().await;
    let (_, ngo1) = t.ngo("ngo1").await;
    let (_, ngo2) = t.ngo("ngo2").await;
    let b = t.building(&ngo1, "Bishkek").await;
    let (s, v) = t.get(&format!("/v1/buildings/{b}"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["version"], 1);
    let mut edit = building_json("Bishkek");
    edit["name"] = json!("Renamed building");
    edit["version"] = json!(1);
    let (s, v) = t
        .put(&format!("/v1/buildings/{b}"), Some(&ngo2), edit.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = t
        .put(&format!("/v1/buildings/{b}"), Some(&ngo1), edit.clone())
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    let (s, v) = t
        .put(&format!("/v1/buildings/{b}"), Some(&ngo1), edit)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["current"]["version"], 2);
    let (s, v) = t
        .get("/v1/buildings?region=bishkek&city=bishkek", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn building_outside_kyrgyzstan_needs_region_abroad() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let mut b = building_json("Moscow");
    b["location"] = json!({ "lat": 55.75, "lon": 37.62 });
    let (s, v) = t.post("/v1/buildings", Some(&ngo), b.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "location");
    b["address"]["region"] = json!("abroad");
    let (s, _) = t.post("/v1/buildings", Some(&ngo), b.clone()).await;
    assert_eq!(s, StatusCode::CREATED);
    b["location"] = json!({ "lat": 91.0, "lon": 0.0 });
    let (s, _) = t.post("/v1/buildings", Some(&ngo), b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

// ---- listings ----

#[tokio::test]
async fn ngo_creates_publishes_and_closes_its_listing() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    let l = t.listing(&ngo).await;
    assert_eq!(l["status"], "draft");
    assert_eq!(l["organization_id"], org.to_string());
    assert_eq!(l["version"], 1);
    let id = l["id"].as_str().unwrap();
    // Drafts are invisible to the public.
    let (s, _) = t.get(&format!("/v1/listings/{id}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = t
        .post(
            &format!("/v1/listings/{id}/publish"),
            Some(&ngo),
            json!({ "version": 1 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "published");
    let (s, v) = t.get(&format!("/v1/listings/{id}"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["version"], 2);
    let (s, v) = t.get("/v1/listings", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let (s, v) = t
        .post(
            &format!("/v1/listings/{id}/close"),
            Some(&ngo),
            json!({ "version": 2 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "closed");
    // A closed listing cannot come back or be edited.
    let (s, v) = t
        .post(
            &format!("/v1/listings/{id}/publish"),
            Some(&ngo),
            json!({ "version": 3 }),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["current"]["status"], "closed");
}

#[tokio::test]
async fn new_records_get_time_ordered_ids() {
    // Phones index listings by id; ids that grow with creation time keep that index append-only.
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let first = t.listing(&ngo).await;
    let second = t.listing(&ngo).await;
    let id = |v: &serde_json::Value| Uuid::parse_str(v["id"].as_str().unwrap()).unwrap();
    assert_eq!(id(&first).get_version_num(), 7);
    assert!(
        id(&first) < id(&second),
        "{} then {}",
        id(&first),
        id(&second)
    );
}

#[tokio::test]
async fn ngo_cannot_edit_another_organizations_listing() {
    let t = TestServer::start().await;
    let (_, ngo1) = t.ngo("ngo1").await;
    let (_, ngo2) = t.ngo("ngo2").await;
    let l = t.listing(&ngo1).await;
    let id = l["id"].as_str().unwrap();
    let mut edit = l.clone();
    edit["title"] = json!("Hijacked");
    let (s, v) = t
        .put(&format!("/v1/listings/{id}"), Some(&ngo2), edit)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    for action in ["publish", "close"] {
        let (s, _) = t
            .post(
                &format!("/v1/listings/{id}/{action}"),
                Some(&ngo2),
                json!({ "version": 1 }),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{action}");
    }
    // Nor create one in its name, nor read its drafts.
    let mut body = listing_fields(&l);
    body["organization_id"] = l["organization_id"].clone();
    let (s, _) = t.post("/v1/listings", Some(&ngo2), body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = t.get(&format!("/v1/listings/{id}"), Some(&ngo2)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = t.get(&format!("/v1/listings/{id}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = t.get(&format!("/v1/listings/{id}"), Some(&ngo1)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "Call-centre operator");
}

/// The listing's body fields, for building a new request from a stored listing.
fn listing_fields(l: &serde_json::Value) -> serde_json::Value {
    let mut v = l.clone();
    for k in ["id", "organization_id", "status", "version", "posted_at"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[tokio::test]
async fn list_pages_follow_the_next_cursor_without_repeats() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    for _ in 0..5 {
        t.published_listing(&ngo).await;
    }
    let mut seen = std::collections::HashSet::new();
    let mut path = "/v1/listings?limit=2".to_string();
    let mut pages = 0;
    loop {
        let (s, v) = t.get(&path, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        pages += 1;
        for item in v["items"].as_array().unwrap() {
            assert!(seen.insert(item["id"].as_str().unwrap().to_string()));
        }
        match v["next"].as_str() {
            Some(next) => path = format!("/v1/listings?limit=2&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert_eq!(pages, 3);
    let (s, v) = t.get(&format!("/v1/organizations/{org}"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["name"], "ngo1 org");
    let (s, v) = t.get("/v1/organizations?limit=10", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert!(v["next"].is_null());
}

#[tokio::test]
async fn stale_update_gets_conflict_with_current() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let l = t.listing(&ngo).await;
    let id = l["id"].as_str().unwrap();
    let mut first = l.clone();
    first["title"] = json!("First edit");
    let (s, v) = t
        .put(&format!("/v1/listings/{id}"), Some(&ngo), first)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    let mut stale = l.clone();
    stale["title"] = json!("Second edit from an old copy");
    let (s, v) = t
        .put(&format!("/v1/listings/{id}"), Some(&ngo), stale)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_error(&v, "conflict");
    assert_eq!(v["current"]["title"], "First edit");
    assert_eq!(v["current"]["version"], 2);
}

#[tokio::test]
async fn admin_manages_any_organizations_listing() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    let l = t.listing(&ngo).await;
    let id = l["id"].as_str().unwrap();
    let (s, _) = t
        .post(
            &format!("/v1/listings/{id}/publish"),
            Some(&t.admin),
            json!({ "version": 1 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let b = t.building(&ngo, "Bishkek").await;
    let mut body = listing_json(b);
    let (s, v) = t.post("/v1/listings", Some(&t.admin), body.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "organization_id");
    body["organization_id"] = json!(org);
    let (s, _) = t.post("/v1/listings", Some(&t.admin), body).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = t
        .get(
            &format!("/v1/listings?organization_id={org}&status=draft"),
            Some(&t.admin),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn city_and_device_cannot_write_listings() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    t.add_user("bishkek", Role::City, None, Some("Bishkek"));
    let city = t.login("bishkek").await;
    let (_, device) = t.device().await;
    let b = t.building(&ngo, "Bishkek").await;
    for token in [&city, &device] {
        let (s, _) = t.post("/v1/listings", Some(token), listing_json(b)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = t
            .post("/v1/buildings", Some(token), building_json("Osh"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn listing_validation_names_the_field() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let cases = [
        ("title", json!("")),
        ("title", json!("x".repeat(201))),
        (
            "salary",
            json!({ "min": 50000, "max": 10000, "period": "month" }),
        ),
        (
            "apply_via.value",
            json!([{ "channel": "email", "value": "not-an-email" }]),
        ),
        ("building_id", json!(Uuid::new_v4())),
    ];
    for (field, value) in cases {
        let mut body = listing_json(b);
        let key = field.split('.').next().unwrap();
        body[key] = value;
        let (s, v) = t.post("/v1/listings", Some(&ngo), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert_eq!(v["error"]["field"], field, "{v}");
    }
    let mut remote = listing_json(b);
    remote["work_mode"] = json!("on_site");
    remote.as_object_mut().unwrap().remove("building_id");
    let (s, v) = t.post("/v1/listings", Some(&ngo), remote).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "building_id");
}

// ---- reports and city offices ----

fn report_json() -> serde_json::Value {
    json!({
        "facts": {
            "ramp": { "ramp": "fixed" },
            "toilet": { "access": "no" },
            "door_width_cm": { "centimetres": 90 }
        },
        "method": "measured",
        "note": { "en": "The ramp is steep but usable." }
    })
}

/// Posts [`report_json`] about `building` with `token`.
async fn post_report(
    t: &TestServer,
    building: impl std::fmt::Display,
    token: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    t.post(
        &format!("/v1/buildings/{building}/reports"),
        token,
        report_json(),
    )
    .await
}

#[tokio::test]
async fn devices_and_surveyors_report_and_the_summary_aggregates() {
    let t = TestServer::start().await;
    let (_, ngo) = t.verified_ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (_, d1) = t.device().await;
    let (_, d2) = t.device().await;
    for token in [&d1, &d2, &ngo] {
        let (s, v) = post_report(&t, b, Some(token)).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = t.get(&format!("/v1/buildings/{b}/summary"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["report_count"], 3);
    let ramp = &v["features"]["ramp"];
    assert_eq!(ramp["value"], json!({ "ramp": "fixed" }), "{v}");
    assert_eq!(ramp["state"], "confirmed", "{v}");
    assert_eq!(ramp["reports"], 3);
    assert!(v["grades"]["wheelchair"].is_string());
    let (s, v) = t.get(&format!("/v1/buildings/{b}/reports"), None).await;
    assert_eq!(s, StatusCode::OK);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["source"], "device");
    assert_eq!(items[0]["report"]["reporter_kind"], "anonymous");
    assert_eq!(items[2]["source"], "surveyor");
    assert_eq!(items[2]["report"]["reporter_kind"], "verified_surveyor");
    assert!(
        items.iter().all(|i| i["report"].get("reporter").is_none()),
        "{v}"
    );
    // Unknown building: 404, not an empty summary.
    let (s, _) = t
        .get(&format!("/v1/buildings/{}/summary", Uuid::new_v4()), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn reports_with_bad_facts_name_the_fact() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (_, d) = t.device().await;
    let path = format!("/v1/buildings/{b}/reports");
    let (s, v) = t
        .post(
            &path,
            Some(&d),
            json!({ "facts": { "door_width_cm": { "centimetres": 5 } } }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "facts.door_width_cm");
    let (s, v) = t.post(&path, Some(&d), json!({ "facts": {} })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "facts");
    for facts in [
        json!({ "lava_moat": { "bool": true } }),
        json!({ "door_width_cm": { "bool": true } }),
    ] {
        let (s, v) = t.post(&path, Some(&d), json!({ "facts": facts })).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    }
    let (s, v) = t
        .post(
            &path,
            Some(&d),
            json!({ "facts": { "elevator": { "bool": true } }, "observed_at": "2099-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "observed_at");
    let (s, _) = post_report(&t, Uuid::new_v4(), Some(&d)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn report_needs_a_token_and_city_offices_cannot_submit() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (s, _) = post_report(&t, b, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    t.add_user("bishkek", Role::City, None, Some("Bishkek"));
    let city = t.login("bishkek").await;
    let (s, _) = post_report(&t, b, Some(&city)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn report_submission_is_rate_limited_per_device() {
    let t = TestServer::start_with(|c| c.reports_per_hour = 2).await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (_, d) = t.device().await;
    for _ in 0..2 {
        let (s, _) = post_report(&t, b, Some(&d)).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (s, v) = post_report(&t, b, Some(&d)).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_error(&v, "rate_limited");
    let (_, other) = t.device().await;
    let (s, _) = post_report(&t, b, Some(&other)).await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn city_office_sees_and_answers_its_own_citys_reports_only() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let bishkek = t.building(&ngo, "Bishkek").await;
    let osh = t.building(&ngo, "Osh").await;
    let (_, d) = t.device().await;
    let mut ids = Vec::new();
    for b in [bishkek, osh] {
        let (s, v) = post_report(&t, b, Some(&d)).await;
        assert_eq!(s, StatusCode::CREATED);
        ids.push(v["report"]["id"].as_str().unwrap().to_string());
    }
    t.add_user("bishkek", Role::City, None, Some("Bishkek"));
    let city = t.login("bishkek").await;
    let (s, v) = t.get("/v1/city/reports", Some(&city)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["city"], "Bishkek");
    assert_eq!(items[0]["status"], "open");
    assert!(
        items[0].get("reporter").is_none(),
        "device ids stay private: {v}"
    );
    let (s, _) = t.get("/v1/city/reports?city=Osh", Some(&city)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = t
        .put(
            &format!("/v1/city/reports/{}/status", ids[0]),
            Some(&city),
            json!({ "status": "acknowledged", "note": "Inspection booked for Monday." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "acknowledged");
    assert_eq!(v["status_note"], "Inspection booked for Monday.");
    let (s, other) = t
        .put(
            &format!("/v1/city/reports/{}/status", ids[1]),
            Some(&city),
            json!({ "status": "resolved" }),
        )
        .await;
    // Another city's report answers exactly as an unknown id: nothing about it is learned.
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, unknown) = t
        .put(
            &format!("/v1/city/reports/{}/status", Uuid::new_v4()),
            Some(&city),
            json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(other, unknown);
    let (s, v) = t
        .get("/v1/city/reports?status=acknowledged", Some(&city))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    // Admins see every city; ngo users and devices see none.
    let (s, v) = t.get("/v1/city/reports", Some(&t.admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    for token in [&ngo, &d] {
        let (s, _) = t.get("/v1/city/reports", Some(token)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let (s, v) = t
        .put(
            &format!("/v1/city/reports/{}/status", ids[0]),
            Some(&city),
            json!({ "status": "fixed" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}

#[tokio::test]
async fn city_exports_csv_and_geojson_with_neutralized_formulas() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (_, d) = t.device().await;
    let mut body = report_json();
    body["note"] = json!({ "en": "=HYPERLINK(\"http://evil\"), \"quoted\"" });
    let (s, _) = t
        .post(&format!("/v1/buildings/{b}/reports"), Some(&d), body)
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let r = t
        .req(Method::GET, "/v1/city/reports.csv", Some(&t.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("report_id,building_id"));
    assert!(
        lines[1].contains("\"'=HYPERLINK(\"\"http://evil\"\"), \"\"quoted\"\"\""),
        "{csv}"
    );
    let (s, v) = t.get("/v1/city/reports.geojson", Some(&t.admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["type"], "FeatureCollection");
    let f = &v["features"][0];
    assert_eq!(f["geometry"]["coordinates"][0], 74.5698);
    assert_eq!(f["geometry"]["coordinates"][1], 42.8746);
    assert_eq!(f["properties"]["status"], "open");
}

#[tokio::test]
async fn city_office_filters_reports_by_district_and_exports_it() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let mut buildings = Vec::new();
    for district in ["Ленинский район", "Октябрьский район"] {
        let mut body = building_json("Bishkek");
        body["address"]["district"] = json!(district);
        let (s, v) = t.post("/v1/buildings", Some(&ngo), body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["address"]["district"], district);
        buildings.push(v["id"].as_str().unwrap().to_string());
    }
    let (_, d) = t.device().await;
    for b in &buildings {
        let (s, _) = post_report(&t, b, Some(&d)).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    t.add_user("bishkek", Role::City, None, Some("Bishkek"));
    let city = t.login("bishkek").await;
    let (s, v) = t
        .get(
            "/v1/city/reports?district=%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD%D1%81%D0%BA%D0%B8%D0%B9%20%D1%80%D0%B0%D0%B9%D0%BE%D0%BD",
            Some(&city),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["building_id"], buildings[0].as_str());
    assert_eq!(items[0]["district"], "Ленинский район");

    let (s, v) = t.get("/v1/city/reports.geojson", Some(&city)).await;
    assert_eq!(s, StatusCode::OK);
    let districts: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["district"].as_str().unwrap())
        .collect();
    assert_eq!(districts.len(), 2);
    assert!(districts.contains(&"Октябрьский район"));
    let csv = t
        .req(
            Method::GET,
            "/v1/city/reports.csv?district=Октябрьский район",
            Some(&city),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains(",city,district,"), "{csv}");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].contains("Октябрьский район"), "{csv}");

    let too_long = "р".repeat(101);
    let (s, v) = t
        .get(
            &format!("/v1/city/reports?district={too_long}"),
            Some(&city),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["field"], "district");
    let mut body = building_json("Bishkek");
    body["address"]["district"] = json!("");
    let (s, v) = t.post("/v1/buildings", Some(&ngo), body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "address.district");
}

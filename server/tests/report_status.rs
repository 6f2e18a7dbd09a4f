//! A city office's answers to reports: kept as append-only history, scoped to the office's city, and
//! carried back to the reporting device (and only to it) by the sync pull; the reporter can reopen a
//! resolved report from the phone.

mod common;

use auth::Role;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use teng_server::auth;
use uuid::Uuid;

/// A device's report about `building` pushed through sync; returns the report id.
async fn report(t: &TestServer, device: &str, building: Uuid) -> Uuid {
    let id = Uuid::new_v4();
    let batch = json!({ "mutations": [
        { "id": id, "op": "submit_report", "building_id": building,
          "report": { "facts": { "ramp": { "ramp": "none" } }, "method": "photo_checked" } }
    ]});
    let (s, v) = t.post("/v1/sync/push", Some(device), batch).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["status"], "applied", "{v}");
    id
}

async fn answer(t: &TestServer, city: &str, report: Uuid, body: Value) -> (StatusCode, Value) {
    t.put(
        &format!("/v1/city/reports/{report}/status"),
        Some(city),
        body,
    )
    .await
}

async fn push_one(t: &TestServer, device: &str, mutation: Value) -> Value {
    let (s, v) = t
        .post(
            "/v1/sync/push",
            Some(device),
            json!({ "mutations": [mutation] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["results"][0].clone()
}

/// Every `report_status` record a token's pull carries, as (report id, record), last one per id.
async fn pulled_statuses(t: &TestServer, token: &str) -> Vec<(String, Value)> {
    let mut cursor = 0;
    let mut out: Vec<(String, Value)> = Vec::new();
    loop {
        let (s, v) = t
            .get(
                &format!("/v1/sync/pull?since={cursor}&limit=50"),
                Some(token),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for c in v["changes"].as_array().unwrap() {
            if c["kind"] == "report_status" {
                let id = c["id"].as_str().unwrap().to_string();
                out.retain(|(i, _)| *i != id);
                out.push((id, c["record"].clone()));
            }
        }
        cursor = v["next"].as_i64().unwrap();
        if !v["has_more"].as_bool().unwrap() {
            return out;
        }
    }
}

struct World {
    t: TestServer,
    city: String,
    building: Uuid,
}

async fn world() -> World {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let building = t.building(&ngo, "Bishkek").await;
    t.add_user("bishkek", Role::City, None, Some("Bishkek"));
    let city = t.login("bishkek").await;
    World { t, city, building }
}

#[tokio::test]
async fn answers_reach_the_reporting_device_and_no_other() {
    let w = world().await;
    let (_, mine) = w.t.device().await;
    let (_, theirs) = w.t.device().await;
    let my_report = report(&w.t, &mine, w.building).await;
    let their_report = report(&w.t, &theirs, w.building).await;

    let (s, v) = answer(
        &w.t,
        &w.city,
        my_report,
        json!({ "status": "acknowledged", "lang": "ru" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = answer(
        &w.t,
        &w.city,
        my_report,
        json!({ "status": "resolved", "note": "Пандус орнотулду", "lang": "ky" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "resolved");
    assert_eq!(v["status_lang"], "ky");
    let (s, _) = answer(
        &w.t,
        &w.city,
        their_report,
        json!({ "status": "in_progress" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    let statuses = pulled_statuses(&w.t, &mine).await;
    assert_eq!(statuses.len(), 1, "only my own report: {statuses:?}");
    let (id, record) = &statuses[0];
    assert_eq!(*id, my_report.to_string());
    assert_eq!(record["status"], "resolved");
    assert_eq!(record["note"], "Пандус орнотулду");
    assert_eq!(record["lang"], "ky");
    assert_eq!(record["building_id"], w.building.to_string());
    let history = record["history"].as_array().unwrap();
    let codes: Vec<&str> = history
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["acknowledged", "resolved"]);
    assert!(history.iter().all(|h| h["by"] == "city"));
    assert!(
        !record.to_string().contains("bishkek"),
        "no city user is named: {record}"
    );

    let theirs_seen = pulled_statuses(&w.t, &theirs).await;
    assert_eq!(theirs_seen.len(), 1);
    assert_eq!(theirs_seen[0].0, their_report.to_string());
    assert_eq!(theirs_seen[0].1["status"], "in_progress");

    // An anonymous pull (no device) carries nobody's report status.
    let (_, v) = w.t.get("/v1/sync/pull?since=0&limit=500", None).await;
    assert!(
        !v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "report_status"),
        "{v}"
    );
}

#[tokio::test]
async fn the_reporter_reopens_a_resolved_report_and_only_that() {
    let w = world().await;
    let (_, mine) = w.t.device().await;
    let (_, other) = w.t.device().await;
    let id = report(&w.t, &mine, w.building).await;
    let reopen = |note: &str| json!({ "id": Uuid::new_v4(), "op": "reopen_report", "report_id": id, "note": note });

    // Not answered yet: nothing to reopen.
    let r = push_one(&w.t, &mine, reopen("still not fixed")).await;
    assert_eq!(r["status"], "rejected", "{r}");
    assert_eq!(r["code"], "invalid_state");
    assert_eq!(r["field"], "report_id");

    answer(
        &w.t,
        &w.city,
        id,
        json!({ "status": "resolved", "note": "ramp installed", "lang": "en" }),
    )
    .await;

    // Another device cannot reopen it, and learns nothing: the same answer as an unknown id.
    let r = push_one(&w.t, &other, reopen("x")).await;
    assert_eq!(r["code"], "not_found", "{r}");
    let unknown = push_one(
        &w.t,
        &other,
        json!({ "id": Uuid::new_v4(), "op": "reopen_report", "report_id": Uuid::new_v4() }),
    )
    .await;
    assert_eq!(r["code"], unknown["code"]);
    assert_eq!(r["field"], unknown["field"]);

    let r = push_one(&w.t, &mine, reopen("The ramp is still missing")).await;
    assert_eq!(r["status"], "applied", "{r}");

    let (_, v) =
        w.t.get("/v1/city/reports?status=reopened", Some(&w.city))
            .await;
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["status_note"], "The ramp is still missing");

    let statuses = pulled_statuses(&w.t, &mine).await;
    let record = &statuses[0].1;
    assert_eq!(record["status"], "reopened");
    let last = record["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["by"], "reporter");
    assert_eq!(last["note"], "The ramp is still missing");

    // Reopened is not resolved: a second reopen is refused.
    let r = push_one(&w.t, &mine, reopen("again")).await;
    assert_eq!(r["code"], "invalid_state", "{r}");
}

#[tokio::test]
async fn answers_are_checked_and_the_history_is_append_only() {
    let w = world().await;
    let (_, device) = w.t.device().await;
    let id = report(&w.t, &device, w.building).await;

    let (s, v) = answer(&w.t, &w.city, id, json!({ "status": "not_responsible" })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "note");
    for status in ["open", "reopened"] {
        let (s, v) = answer(&w.t, &w.city, id, json!({ "status": status })).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{status}: {v}");
        assert_eq!(v["error"]["field"], "status");
    }
    let (s, v) = answer(
        &w.t,
        &w.city,
        id,
        json!({ "status": "acknowledged", "lang": "de" }),
    )
    .await;
    // An unknown language code does not fit the body's schema, like any other enum field.
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "lang");

    for (status, note) in [
        ("acknowledged", "Seen"),
        (
            "not_responsible",
            "A private building: its owner is responsible",
        ),
    ] {
        let (s, v) = answer(&w.t, &w.city, id, json!({ "status": status, "note": note })).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }

    // The database itself refuses to change or drop history rows (a trigger on either backend).
    let update =
        w.t.raw_execute("UPDATE report_status_history SET note = 'rewritten'")
            .await;
    assert!(
        update.unwrap_err().contains("append-only"),
        "history rows cannot be rewritten"
    );
    let delete = w.t.raw_execute("DELETE FROM report_status_history").await;
    assert!(delete.unwrap_err().contains("append-only"));
}

#[tokio::test]
async fn a_city_user_without_a_city_sees_and_answers_nothing() {
    let w = world().await;
    let (_, device) = w.t.device().await;
    let id = report(&w.t, &device, w.building).await;
    w.t.add_user("nowhere", Role::City, None, None);
    let nowhere = w.t.login("nowhere").await;
    for path in [
        "/v1/city/reports",
        "/v1/city/reports.csv",
        "/v1/city/reports.geojson",
    ] {
        let r =
            w.t.req(reqwest::Method::GET, path, Some(&nowhere))
                .send()
                .await
                .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (s, v) = answer(&w.t, &nowhere, id, json!({ "status": "acknowledged" })).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // The office with its city still sees the report.
    let (s, v) = w.t.get("/v1/city/reports", Some(&w.city)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v.to_string().contains(&id.to_string()), "{v}");
}

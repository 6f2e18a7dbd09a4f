//! What keeps crowd data honest and cheap (issue 14): a report's time cannot lie ahead of its
//! receipt, only verified organizations' members report as surveyors, one device cannot flood one
//! building, an admin can hide a report (its reporter learns why), a verified organization keeps
//! its badge only under the name and kind an admin checked, and writes do not queue without bound.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use teng_server::storage::sqlite::{SqliteStorage, DEVICE_BUILDING_REPORTS, MAX_QUEUED_WRITES};
use teng_server::storage::{Storage, StorageError};
use uuid::Uuid;

fn report(note: &str, observed_at: chrono::DateTime<Utc>) -> Value {
    json!({
        "facts": { "toilet": { "access": "no" } },
        "method": "photo_checked",
        "observed_at": observed_at,
        "note": { "en": note }
    })
}

async fn post(t: &TestServer, building: Uuid, token: &str, body: Value) -> (StatusCode, Value) {
    t.post(
        &format!("/v1/buildings/{building}/reports"),
        Some(token),
        body,
    )
    .await
}

async fn reports_of(t: &TestServer, building: Uuid) -> Vec<Value> {
    let (s, v) = t
        .get(&format!("/v1/buildings/{building}/reports"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_post_dated_report_cannot_take_the_buildings_note() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (_, liar) = t.device().await;
    let (_, honest) = t.device().await;
    // 20 hours ahead passes the clock-skew check, but is stored as the time it arrived.
    let (s, v) = post(
        &t,
        b,
        &liar,
        report("fake", Utc::now() + chrono::Duration::hours(20)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let stored: chrono::DateTime<Utc> = v["report"]["observed_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(stored <= Utc::now(), "stored {stored}");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (s, _) = post(&t, b, &honest, report("real", Utc::now())).await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, summary) = t.get(&format!("/v1/buildings/{b}/summary"), None).await;
    assert_eq!(summary["note"]["en"], "real", "{summary}");
}

#[tokio::test]
async fn only_verified_organizations_report_as_surveyors() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (s, _) = post(&t, b, &ngo, report("unverified", Utc::now())).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = t
        .put(
            &format!("/v1/organizations/{org}"),
            Some(&t.admin.clone()),
            json!({ "name": "ngo1 org", "kind": "ngo", "verified": true, "version": 1 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = post(&t, b, &ngo, report("verified", Utc::now())).await;
    assert_eq!(s, StatusCode::CREATED);
    let kinds: Vec<(String, String)> = reports_of(&t, b)
        .await
        .iter()
        .map(|r| {
            (
                r["report"]["note"]["en"].as_str().unwrap().to_string(),
                r["report"]["reporter_kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("unverified".into(), "anonymous".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("verified".into(), "verified_surveyor".into())),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn renaming_a_verified_organization_drops_its_badge() {
    let t = TestServer::start().await;
    let (org, ngo) = t.ngo("ngo1").await;
    let admin = t.admin.clone();
    let (_, v) = t
        .put(
            &format!("/v1/organizations/{org}"),
            Some(&admin),
            json!({ "name": "ngo1 org", "kind": "ngo", "verified": true, "version": 1 }),
        )
        .await;
    assert_eq!(v["verified"], true);
    // An edit that keeps name and kind keeps the badge.
    let (_, v) = t
        .put(
            &format!("/v1/organizations/{org}"),
            Some(&ngo),
            json!({ "name": "ngo1 org", "kind": "ngo", "version": 2,
                    "contact": { "phone": "+996555000111" } }),
        )
        .await;
    assert_eq!(v["verified"], true, "{v}");
    for (version, name, kind) in [
        (3, "Ministry of Labour", "ngo"),
        (5, "ngo1 org", "employer"),
    ] {
        let (s, v) = t
            .put(
                &format!("/v1/organizations/{org}"),
                Some(&ngo),
                json!({ "name": name, "kind": kind, "version": version }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["verified"], false, "{name}/{kind}: {v}");
        // An admin verifies again before the next try.
        let (_, v) = t
            .put(
                &format!("/v1/organizations/{org}"),
                Some(&admin),
                json!({ "name": name, "kind": kind, "verified": true, "version": version + 1 }),
            )
            .await;
        assert_eq!(v["verified"], true, "{v}");
    }
}

#[tokio::test]
async fn one_device_cannot_flood_one_building() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let other = t.building(&ngo, "Bishkek").await;
    let (_, d) = t.device().await;
    for i in 0..DEVICE_BUILDING_REPORTS {
        let (s, v) = post(&t, b, &d, report(&format!("r{i}"), Utc::now())).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = post(&t, b, &d, report("one too many", Utc::now())).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_error(&v, "rate_limited");
    // Through sync the same cap is a rejection for that mutation only.
    let batch = json!({ "mutations": [
        { "id": Uuid::new_v4(), "op": "submit_report", "building_id": b,
          "report": { "facts": { "ramp": { "ramp": "none" } } } },
        { "id": Uuid::new_v4(), "op": "submit_report", "building_id": other,
          "report": { "facts": { "ramp": { "ramp": "none" } } } }
    ]});
    let (_, v) = t.post("/v1/sync/push", Some(&d), batch).await;
    assert_eq!(v["results"][0]["status"], "rejected", "{v}");
    assert_eq!(v["results"][0]["code"], "rate_limited");
    assert_eq!(v["results"][1]["status"], "applied", "{v}");
}

#[tokio::test]
async fn an_admin_hides_a_report_the_summary_forgets_it_and_the_reporter_learns_why() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (_, d) = t.device().await;
    let (s, v) = post(&t, b, &d, report("nonsense", Utc::now())).await;
    assert_eq!(s, StatusCode::CREATED);
    let id = v["report"]["id"].as_str().unwrap().to_string();
    let (_, before) = t.get(&format!("/v1/buildings/{b}/summary"), None).await;
    assert_eq!(
        before["features"]["toilet"]["value"],
        json!({ "access": "no" }),
        "{before}"
    );

    let path = format!("/v1/admin/reports/{id}/hide");
    let (s, _) = t
        .post(&path, Some(&ngo), json!({ "reason": "not mine" }))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = t
        .post(&path, Some(&t.admin.clone()), json!({ "reason": "  " }))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = t
        .post(
            &path,
            Some(&t.admin.clone()),
            json!({ "reason": "The photo shows another building" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let (_, after) = t.get(&format!("/v1/buildings/{b}/summary"), None).await;
    assert!(after["features"].get("toilet").is_none(), "{after}");
    let (_, page) = t.get("/v1/sync/pull?since=0&limit=500", Some(&d)).await;
    let status = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "report_status" && c["id"] == id.as_str())
        .cloned()
        .expect("the reporter hears about it");
    assert_eq!(
        status["record"]["hidden"]["reason"],
        "The photo shows another building"
    );
}

#[test]
fn writes_beyond_the_queue_are_refused_not_queued() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teng.db");
    let storage = Arc::new(SqliteStorage::open_with(&path, Duration::from_secs(30)).unwrap());
    // Another process holds the write lock: our writer waits in its busy timeout.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let writers: Vec<_> = (0..MAX_QUEUED_WRITES + 20)
        .map(|_| {
            let s = Arc::clone(&storage);
            std::thread::spawn(move || s.create_device(Uuid::new_v4(), Utc::now()))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    blocker.execute_batch("COMMIT").unwrap();
    let results: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    let busy = results
        .iter()
        .filter(|r| matches!(r, Err(StorageError::Busy)))
        .count();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert!(busy >= 20, "{busy} refused");
    assert_eq!(ok + busy, results.len(), "{results:?}");
    assert!(ok >= 1);
}

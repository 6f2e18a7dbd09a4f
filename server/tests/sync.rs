//! Sync pull and push over real HTTP on loopback.

mod common;

use std::collections::{HashMap, HashSet};

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

/// Pulls every page from `since`; returns (changes, final cursor).
async fn pull_all(t: &TestServer, since: i64, token: Option<&str>) -> (Vec<Value>, i64) {
    let mut cursor = since;
    let mut all = Vec::new();
    loop {
        let (s, v) = t
            .get(&format!("/v1/sync/pull?since={cursor}&limit=3"), token)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        all.extend(v["changes"].as_array().unwrap().iter().cloned());
        cursor = v["next"].as_i64().unwrap();
        if !v["has_more"].as_bool().unwrap() {
            return (all, cursor);
        }
    }
}

/// The latest op per (kind, id).
fn latest(changes: &[Value]) -> HashMap<(String, String), Value> {
    changes
        .iter()
        .map(|c| {
            (
                (
                    c["kind"].as_str().unwrap().to_string(),
                    c["id"].as_str().unwrap().to_string(),
                ),
                c.clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn empty_database_pull_is_empty_and_cursor_stays() {
    let t = TestServer::start().await;
    let (s, v) = t.get("/v1/sync/pull?since=0", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({ "changes": [], "next": 0, "has_more": false }));
}

#[tokio::test]
async fn pull_sends_public_records_and_tombstones_closed_listings() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let draft = t.listing(&ngo).await;
    let published = t.published_listing(&ngo).await;
    let (all, cursor) = pull_all(&t, 0, None).await;
    let seqs: Vec<i64> = all.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let state = latest(&all);
    let draft_id = draft["id"].as_str().unwrap().to_string();
    let pub_id = published["id"].as_str().unwrap().to_string();
    assert!(
        !state.contains_key(&("listing".into(), draft_id)),
        "drafts are private"
    );
    let l = &state[&("listing".to_string(), pub_id.clone())];
    assert_eq!(l["op"], "upsert");
    assert_eq!(l["record"]["status"], "published");
    assert_eq!(state.keys().filter(|(k, _)| k == "organization").count(), 1);
    assert_eq!(state.keys().filter(|(k, _)| k == "building").count(), 2);

    let (s, _) = t
        .post(
            &format!("/v1/listings/{pub_id}/close"),
            Some(&ngo),
            json!({ "version": 2 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (changes, _) = pull_all(&t, cursor, None).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "listing");
    assert_eq!(changes[0]["id"], pub_id.as_str());
    assert_eq!(changes[0]["op"], "delete");
    assert!(changes[0].get("record").is_none());
}

#[tokio::test]
async fn record_changed_twice_in_a_page_is_sent_once_at_its_latest_position() {
    let t = TestServer::start().await;
    let (org, _) = t.ngo("ngo1").await;
    let (_, v) = t.get("/v1/sync/pull", None).await;
    let cursor = v["next"].as_i64().unwrap();
    for (i, name) in ["A", "B"].iter().enumerate() {
        let (s, _) = t
            .put(
                &format!("/v1/organizations/{org}"),
                Some(&t.admin),
                json!({ "name": name, "kind": "ngo", "version": i + 1 }),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, v) = t.get(&format!("/v1/sync/pull?since={cursor}"), None).await;
    assert_eq!(s, StatusCode::OK);
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{v}");
    assert_eq!(changes[0]["record"]["name"], "B");
    assert_eq!(changes[0]["seq"], v["next"]);
}

#[tokio::test]
async fn retried_push_batch_applies_nothing_twice() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let listing = t.published_listing(&ngo).await;
    let building = t.building(&ngo, "Bishkek").await;
    let (_, device) = t.device().await;
    let batch = json!({ "mutations": [
        { "id": Uuid::new_v4(), "op": "save_job", "listing_id": listing["id"], "note": "call on Monday" },
        { "id": Uuid::new_v4(), "op": "submit_report", "building_id": building,
          "report": { "facts": { "ramp": { "ramp": "fixed" } } } }
    ]});
    let (s, first) = t.post("/v1/sync/push", Some(&device), batch.clone()).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    let results = first["results"].as_array().unwrap();
    assert!(results.iter().all(|r| r["status"] == "applied"), "{first}");
    let (s, again) = t.post("/v1/sync/push", Some(&device), batch.clone()).await;
    assert_eq!(s, StatusCode::OK);
    for (a, b) in results.iter().zip(again["results"].as_array().unwrap()) {
        assert_eq!(b["status"], "duplicate", "{again}");
        assert_eq!(a["seq"], b["seq"]);
        assert_eq!(a["id"], b["id"]);
    }
    let (_, summary) = t
        .get(&format!("/v1/buildings/{building}/summary"), None)
        .await;
    assert_eq!(summary["report_count"], 1);
    let stats = t.server.state.storage.stats().unwrap();
    assert_eq!(stats.reports, 1);
    assert_eq!(stats.saved_jobs, 1);
}

#[tokio::test]
async fn push_answers_each_mutation_and_rejects_bad_ones_alone() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let listing = t.published_listing(&ngo).await;
    let (_, device) = t.device().await;
    let batch = json!({ "mutations": [
        { "id": Uuid::new_v4(), "op": "save_job", "listing_id": listing["id"] },
        { "id": Uuid::new_v4(), "op": "save_job", "listing_id": Uuid::new_v4() },
        { "id": Uuid::new_v4(), "op": "teleport" },
        { "op": "save_job", "listing_id": listing["id"] },
        { "id": "not-a-uuid", "op": "unsave_job", "listing_id": listing["id"] },
        { "id": Uuid::new_v4(), "op": "save_job", "listing_id": listing["id"], "note": "x".repeat(2001) },
        { "id": Uuid::new_v4(), "op": "submit_report", "building_id": Uuid::new_v4(),
          "report": { "facts": { "ramp": { "ramp": "fixed" } } } },
        { "id": Uuid::new_v4(), "op": "submit_report", "building_id": listing["building_id"],
          "report": { "facts": { "lava_moat": { "bool": true } } } },
        7
    ]});
    let (s, v) = t.post("/v1/sync/push", Some(&device), batch).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let statuses: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "applied", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
            "rejected", "rejected"
        ],
        "{v}"
    );
    assert_eq!(v["results"][1]["code"], "not_found");
    assert_eq!(v["results"][5]["field"], "note");
}

#[tokio::test]
async fn push_needs_a_device_or_editor_token_and_bounded_batches() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let (s, _) = t
        .post("/v1/sync/push", None, json!({ "mutations": [] }))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    t.add_user(
        "bishkek",
        teng_server::auth::Role::City,
        None,
        Some("Bishkek"),
    );
    let city = t.login("bishkek").await;
    let (s, _) = t
        .post("/v1/sync/push", Some(&city), json!({ "mutations": [] }))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Saved jobs belong to devices: a user's save_job is rejected on its own.
    let (s, v) = t
        .post(
            "/v1/sync/push",
            Some(&ngo),
            json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "save_job", "listing_id": Uuid::new_v4() }] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["results"][0]["status"], "rejected");
    assert_eq!(v["results"][0]["code"], "forbidden");
    let (_, device) = t.device().await;
    let many: Vec<Value> = (0..101)
        .map(|_| json!({ "id": Uuid::new_v4(), "op": "unsave_job", "listing_id": Uuid::new_v4() }))
        .collect();
    let (s, v) = t
        .post("/v1/sync/push", Some(&device), json!({ "mutations": many }))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["field"], "mutations");
}

#[tokio::test]
async fn ngo_offline_listing_edits_apply_once_and_stale_ones_get_conflict() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let (_, other) = t.ngo("ngo2").await;
    let listing = t.published_listing(&ngo).await;
    let id = listing["id"].clone();
    let mut edit = listing.clone();
    edit["title"] = json!("Edited offline");
    let first = json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "update_listing", "listing_id": id, "listing": edit }] });
    let (s, v) = t.post("/v1/sync/push", Some(&ngo), first.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["results"][0]["status"], "applied", "{v}");
    assert_eq!(v["results"][0]["version"], 3);
    let seq = v["results"][0]["seq"].clone();
    let (_, v) = t.post("/v1/sync/push", Some(&ngo), first).await;
    assert_eq!(v["results"][0]["status"], "duplicate", "{v}");
    assert_eq!(v["results"][0]["seq"], seq);
    let (_, stored) = t
        .get(&format!("/v1/listings/{}", id.as_str().unwrap()), None)
        .await;
    assert_eq!(stored["version"], 3);
    assert_eq!(stored["title"], "Edited offline");
    // Another edit made against version 2 (a new mutation) conflicts and carries the current record.
    let mut stale = listing.clone();
    stale["title"] = json!("Edited on a second phone");
    let second = json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "update_listing", "listing_id": id, "listing": stale }] });
    let (_, v) = t.post("/v1/sync/push", Some(&ngo), second.clone()).await;
    assert_eq!(v["results"][0]["status"], "conflict", "{v}");
    assert_eq!(v["results"][0]["current"]["title"], "Edited offline");
    assert_eq!(v["results"][0]["current"]["version"], 3);
    // Another organization's user is rejected; a device cannot edit listings at all.
    let (_, v) = t.post("/v1/sync/push", Some(&other), second.clone()).await;
    assert_eq!(v["results"][0]["status"], "rejected", "{v}");
    assert_eq!(v["results"][0]["code"], "forbidden");
    let (_, device) = t.device().await;
    let (_, v) = t.post("/v1/sync/push", Some(&device), second).await;
    assert_eq!(v["results"][0]["code"], "forbidden", "{v}");
}

#[tokio::test]
async fn device_never_sees_another_devices_saved_jobs() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let listing = t.published_listing(&ngo).await;
    let (_, a) = t.device().await;
    let (_, b) = t.device().await;
    let (s, _) = t
        .post(
            "/v1/sync/push",
            Some(&a),
            json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "save_job", "listing_id": listing["id"], "note": "mine" }] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (mine, cursor) = pull_all(&t, 0, Some(&a)).await;
    let saved: Vec<&Value> = mine.iter().filter(|c| c["kind"] == "saved_job").collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["record"]["note"], "mine");
    for token in [Some(b.as_str()), None, Some(ngo.as_str())] {
        let (theirs, their_cursor) = pull_all(&t, 0, token).await;
        assert!(
            theirs.iter().all(|c| c["kind"] != "saved_job"),
            "{theirs:?}"
        );
        assert_eq!(their_cursor, cursor);
    }
    // Unsaving reaches the owner as a tombstone.
    let (s, _) = t
        .post(
            "/v1/sync/push",
            Some(&a),
            json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "unsave_job", "listing_id": listing["id"] }] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (changes, _) = pull_all(&t, cursor, Some(&a)).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["op"], "delete");
    assert_eq!(changes[0]["kind"], "saved_job");
    let (changes, _) = pull_all(&t, cursor, Some(&b)).await;
    assert!(changes.is_empty());
}

#[tokio::test]
async fn bad_cursors_and_limits_get_clear_answers() {
    let t = TestServer::start().await;
    t.ngo("ngo1").await;
    for (q, status) in [
        ("since=-1", StatusCode::BAD_REQUEST),
        ("since=abc", StatusCode::BAD_REQUEST),
        ("since=99999999999999999999999", StatusCode::BAD_REQUEST),
        ("limit=0", StatusCode::BAD_REQUEST),
        ("limit=1000000", StatusCode::BAD_REQUEST),
        ("limit=-5", StatusCode::BAD_REQUEST),
        ("since=1000000", StatusCode::GONE),
    ] {
        let (s, v) = t.get(&format!("/v1/sync/pull?{q}"), None).await;
        assert_eq!(s, status, "{q}: {v}");
        assert!(v["error"]["code"].is_string(), "{q}: {v}");
    }
    let (_, v) = t.get("/v1/sync/pull?since=1000000", None).await;
    assert_eq!(v["error"]["code"], "resync_required");
}

#[tokio::test]
async fn cursor_older_than_pruned_tombstones_must_resync() {
    let t = TestServer::start().await;
    let (_, ngo) = t.ngo("ngo1").await;
    let l = t.published_listing(&ngo).await;
    let (_, v) = t.get("/v1/sync/pull", None).await;
    let old_cursor = v["next"].as_i64().unwrap();
    let id = l["id"].as_str().unwrap();
    let (s, _) = t
        .post(
            &format!("/v1/listings/{id}/close"),
            Some(&ngo),
            json!({ "version": 2 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // Prune everything older than tomorrow: the tombstone goes.
    t.server
        .state
        .storage
        .prune_changes(chrono::Utc::now() + chrono::Duration::days(1))
        .unwrap();
    let (s, v) = t
        .get(&format!("/v1/sync/pull?since={old_cursor}"), None)
        .await;
    assert_eq!(s, StatusCode::GONE, "{v}");
    assert_error(&v, "resync_required");
    // Starting over still gives every live record, without the closed listing.
    let (all, _) = pull_all(&t, 0, None).await;
    let state = latest(&all);
    assert!(state.keys().all(|(k, _)| k != "listing"), "{all:?}");
    assert_eq!(state.keys().filter(|(k, _)| k == "organization").count(), 1);
}

#[tokio::test]
async fn pull_order_holds_under_concurrent_writes() {
    let t = std::sync::Arc::new(TestServer::start().await);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let t = std::sync::Arc::clone(&t);
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..10 {
                    ids.push(t.org(&format!("writer {w} org {i}")).await.to_string());
                }
                ids
            })
        })
        .collect();
    // Pull while the writers write.
    let mut cursor = 0;
    let mut seen = HashSet::new();
    let mut last_seq = 0;
    let mut done = false;
    loop {
        let (s, v) = t
            .get(&format!("/v1/sync/pull?since={cursor}&limit=5"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for c in v["changes"].as_array().unwrap() {
            let seq = c["seq"].as_i64().unwrap();
            assert!(seq > last_seq, "seq {seq} after {last_seq}");
            last_seq = seq;
            seen.insert(c["id"].as_str().unwrap().to_string());
        }
        let next = v["next"].as_i64().unwrap();
        assert!(next >= cursor);
        cursor = next;
        if done && !v["has_more"].as_bool().unwrap() {
            break;
        }
        done = writers.iter().all(|w| w.is_finished());
    }
    for w in writers {
        for id in w.await.unwrap() {
            assert!(seen.contains(&id), "organization {id} was never pulled");
        }
    }
}

#[tokio::test]
async fn pull_responses_are_compressed_as_negotiated() {
    let t = TestServer::start().await;
    for i in 0..5 {
        t.org(&format!("Organization number {i}")).await;
    }
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    for encoding in ["gzip", "zstd"] {
        let r = raw
            .request(Method::GET, t.url("/v1/sync/pull?since=0"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], encoding);
    }
    // And the gzip-aware client reads it transparently.
    let (s, v) = t.get("/v1/sync/pull?since=0", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["changes"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn aged_summaries_are_refreshed_and_pulled_again() {
    let t = TestServer::start().await;
    let (_, ngo) = t.verified_ngo("ngo1").await;
    let b = t.building(&ngo, "Bishkek").await;
    let (s, _) = t
        .post(
            &format!("/v1/buildings/{b}/reports"),
            Some(&ngo),
            json!({ "facts": { "elevator_working": { "bool": true } }, "method": "measured" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, v) = t.get("/v1/sync/pull", None).await;
    let cursor = v["next"].as_i64().unwrap();
    let fresh = latest(v["changes"].as_array().unwrap())
        [&("building_summary".to_string(), b.to_string())]["record"]["features"]
        ["elevator_working"]["state"]
        .clone();
    assert_eq!(fresh, "confirmed");
    // Nothing changes today; in half a year the elevator fact has gone stale.
    let storage = &t.server.state.storage;
    assert_eq!(storage.refresh_summaries(chrono::Utc::now()).unwrap(), 0);
    let later = chrono::Utc::now() + chrono::Duration::days(180);
    assert_eq!(storage.refresh_summaries(later).unwrap(), 1);
    let (changes, _) = pull_all(&t, cursor, None).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "building_summary");
    assert_eq!(
        changes[0]["record"]["features"]["elevator_working"]["state"],
        "stale"
    );
}

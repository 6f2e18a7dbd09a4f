//! Health, metrics, the OpenAPI document, demo data, backup, graceful shutdown and the admin commands.

mod common;

use std::process::Command;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use teng_server::storage::sqlite::SqliteStorage;
use teng_server::storage::Storage;

#[tokio::test]
async fn api_answers_are_not_sniffed_or_stored() {
    let t = TestServer::start().await;
    for path in ["/v1/sync/pull?since=0", "/v1/listings", "/v1/no-such-thing"] {
        let r = t.client.get(t.url(path)).send().await.unwrap();
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn healthz_answers_ok() {
    let t = TestServer::start().await;
    let (s, v) = t.get("/healthz", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_sync_volumes() {
    let t =
        TestServer::start_with(|c| c.metrics_listen = Some("127.0.0.1:0".parse().unwrap())).await;
    t.org("Counted").await;
    t.get("/v1/sync/pull?since=0", None).await;
    // Not on the public address.
    let (s, _) = t.get("/metrics", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let metrics = t.server.metrics_addr.expect("metrics address");
    let r = t
        .client
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(
        text.contains(
            "teng_http_requests_total{method=\"POST\",route=\"/v1/organizations\",status=\"201\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains(
        "teng_http_request_duration_seconds_bucket{route=\"/v1/sync/pull\",le=\"+Inf\"} 1"
    ));
    assert!(text.contains("teng_sync_pull_requests_total 1"));
    assert!(text.contains("teng_sync_pulled_changes_total 1"));
}

#[tokio::test]
async fn openapi_document_describes_every_endpoint() {
    let t = TestServer::start().await;
    let (s, v) = t.get("/v1/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["openapi"], "3.1.0");
    let paths = v["paths"].as_object().unwrap();
    for (path, method) in [
        ("/v1/auth/login", "post"),
        ("/v1/devices", "post"),
        ("/v1/listings/{id}", "put"),
        ("/v1/listings/{id}/publish", "post"),
        ("/v1/buildings/{id}/summary", "get"),
        ("/v1/city/reports.csv", "get"),
        ("/v1/city/reports/{id}/status", "put"),
        ("/v1/sync/pull", "get"),
        ("/v1/sync/push", "post"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path} missing");
    }
    // Generated from the types: the enum lists the core's codes (server/tests/api_contract.rs
    // checks the rest of the document).
    let categories = &v["components"]["schemas"]["JobCategory"]["enum"];
    assert!(categories
        .as_array()
        .unwrap()
        .contains(&json!("customer_service")));
}

#[tokio::test]
async fn demo_data_loads_and_demo_accounts_log_in() {
    let t = TestServer::start().await;
    let accounts = teng_server::demo::seed(
        t.server.state.storage.as_ref(),
        100,
        teng_server::auth::PasswordCost::Low,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(accounts.len(), 3);
    for a in &accounts {
        let (s, v) = t
            .post(
                "/v1/auth/login",
                None,
                json!({ "username": a.username, "password": a.password }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{}: {v}", a.username);
        assert_eq!(v["user"]["role"], a.role.code());
    }
    let stats = t.server.state.storage.stats().unwrap();
    assert_eq!(stats.listings, 100);
    assert!(stats.published_listings > 0);
    let (s, v) = t.get("/v1/sync/pull?since=0&limit=1000", None).await;
    assert_eq!(s, StatusCode::OK);
    let listings = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "listing")
        .count();
    assert_eq!(listings as i64, stats.published_listings);
}

#[tokio::test]
async fn online_backup_copies_the_database_while_serving() {
    let t = TestServer::start().await;
    t.org("Backed up").await;
    let out = t.dir.path().join("backup.db");
    if t.on_postgres() {
        // PostgreSQL is backed up with its own tools; the server says which.
        let refused = t.server.state.storage.backup(&out).unwrap_err();
        assert!(refused.to_string().contains("pg_dump"), "{refused}");
        return;
    }
    t.server.state.storage.backup(&out).unwrap();
    let copy = SqliteStorage::open(&out).unwrap();
    assert_eq!(copy.stats().unwrap().organizations, 1);
    assert_eq!(copy.stats().unwrap().users, 1);
    // Never overwrites.
    assert!(t.server.state.storage.backup(&out).is_err());
}

#[tokio::test]
async fn graceful_shutdown_stops_listening() {
    let t = TestServer::start().await;
    let url = t.url("/healthz");
    let client = t.client.clone();
    assert!(client.get(&url).send().await.is_ok());
    t.server.shutdown().await.unwrap();
    assert!(client.get(&url).send().await.is_err());
}

fn admin(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_teng-server"))
        .arg("admin")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn admin_commands_manage_accounts_tokens_and_backups() {
    let t = TestServer::start().await;
    let db = t.db_path();
    let org = admin(
        &db,
        &[
            "create-org",
            "--name",
            "Umut",
            "--kind",
            "ngo",
            "--verified",
        ],
    );
    let org = org.trim();
    let created = admin(
        &db,
        &[
            "create-user",
            "--username",
            "umut",
            "--role",
            "ngo",
            "--org",
            org,
        ],
    );
    let password = created
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap()
        .to_string();
    let (s, _) = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "username": "umut", "password": password }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let token = admin(&db, &["issue-token", "--username", "umut"]);
    let token = token.trim();
    let (s, v) = t.get("/v1/auth/me", Some(token)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["user"]["organization_id"], org);
    admin(&db, &["revoke-tokens", "--username", "umut"]);
    let (s, _) = t.get("/v1/auth/me", Some(token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let reset = admin(&db, &["reset-password", "--username", "umut"]);
    assert!(reset.contains("password: "));
    let backup = t.dir.path().join("copy.db");
    if t.on_postgres() {
        let out = Command::new(env!("CARGO_BIN_EXE_teng-server"))
            .args(["admin", "--db", db.to_str().unwrap(), "backup", "--out"])
            .arg(&backup)
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
    } else {
        admin(&db, &["backup", "--out", backup.to_str().unwrap()]);
        assert!(backup.exists());
    }
    let stats = admin(&db, &["stats"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["organizations"], 1);
    assert_eq!(stats["users"], 2);
}

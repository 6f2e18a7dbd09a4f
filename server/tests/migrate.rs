//! `teng-server admin migrate --from teng.db --to postgres://…` (issue 15): a served SQLite
//! database copied into PostgreSQL keeps every sync cursor, so a phone that was halfway through
//! its pulls (or up to date) goes on from its cursor and sees the same pages, its token still
//! works, and new changes continue after the last cursor handed out.
//!
//! PostgreSQL only (`TENG_TEST_POSTGRES_URL`); on SQLite the test says it was skipped.

use std::process::Command;

use chrono::Utc;
use serde_json::Value;
use uuid::Uuid;

use teng_core::model::{Organization, OrganizationKind};
use teng_server::auth::PasswordCost;
use teng_server::storage::postgres::{PostgresStorage, ScratchDatabase};
use teng_server::storage::sqlite::SqliteStorage;
use teng_server::storage::{ListingFilter, Mutation, PushActor, Storage, TokenOwner};

fn pages(storage: &dyn Storage, since: i64, device: Option<Uuid>) -> Value {
    let page = storage.pull(since, 1000, device, true).unwrap();
    serde_json::to_value(page).unwrap()
}

#[test]
fn a_copied_database_keeps_every_cursor_and_token() {
    let Some(server) = ScratchDatabase::server_from_env() else {
        eprintln!(
            "skipped: PostgreSQL only (set TENG_TEST_POSTGRES_URL; scripts/test-postgres.sh)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teng.db");
    let now = Utc::now();
    let sqlite = SqliteStorage::open(&file).unwrap();
    teng_server::demo::seed(&sqlite, 80, PasswordCost::Low, now).unwrap();
    // A phone with a token, a saved job (private to it), and a cursor halfway through.
    let device = Uuid::now_v7();
    sqlite.create_device(device, now).unwrap();
    let hash = [42u8; 32];
    sqlite
        .insert_token(
            &hash,
            TokenOwner::Device(device),
            now,
            now + chrono::Duration::days(30),
        )
        .unwrap();
    let first = ListingFilter {
        limit: 1,
        ..Default::default()
    };
    let listing = sqlite.list_listings(&first).unwrap()[0].id;
    let saved = Mutation::SaveJob {
        listing_id: listing,
        note: Some("call on Monday".into()),
        saved_at: now,
    };
    sqlite
        .push(PushActor::Device(device), Uuid::now_v7(), &saved, now)
        .unwrap();
    teng_server::snapshot::build(&sqlite, now).unwrap().unwrap();
    let halfway = sqlite.pull(0, 100, None, false).unwrap().next;
    let expected_halfway = pages(&sqlite, halfway, Some(device));
    let expected_whole = pages(&sqlite, 0, None);
    let stats = sqlite.stats().unwrap();
    let manifest = serde_json::to_value(sqlite.snapshot_manifest(None).unwrap()).unwrap();
    drop(sqlite);

    let database = ScratchDatabase::create(&server).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_teng-server"))
        .args(["admin", "migrate", "--from"])
        .arg(&file)
        .args(["--to", &database.url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("changes: "));

    let pg = PostgresStorage::open(&database.url, std::time::Duration::from_secs(5)).unwrap();
    let copied = pg.stats().unwrap();
    assert_eq!(
        serde_json::to_value(&copied).unwrap(),
        serde_json::to_value(&stats).unwrap()
    );
    // The phone goes on from its cursor: the same page, its own saved job included.
    assert_eq!(pages(&pg, halfway, Some(device)), expected_halfway);
    assert_eq!(pages(&pg, 0, None), expected_whole);
    assert_eq!(
        serde_json::to_value(pg.snapshot_manifest(None).unwrap()).unwrap(),
        manifest
    );
    assert!(pg.principal_for_token(&hash, now).unwrap().is_some());
    // New changes continue after the last cursor the SQLite server handed out.
    let org = Organization {
        id: Uuid::now_v7(),
        name: "After the move".into(),
        kind: OrganizationKind::Ngo,
        contact: Default::default(),
        verified: false,
    };
    pg.create_organization(&org, now).unwrap();
    let after = pg.pull(stats.last_seq, 10, None, false).unwrap();
    assert_eq!(after.changes.len(), 1);
    assert_eq!(after.changes[0].seq, stats.last_seq + 1);

    // A second copy into the same database is refused: nothing is overwritten.
    let again = Command::new(env!("CARGO_BIN_EXE_teng-server"))
        .args(["admin", "migrate", "--from"])
        .arg(&file)
        .args(["--to", &database.url])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));
    drop(pg);
}

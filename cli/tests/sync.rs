//! `teng sync` with no server to reach: a clear message, exit code 3, and the queue left intact.

mod common;

use std::net::TcpListener;

use common::Fixture;

/// An address on loopback where nothing listens (a port the OS just handed out and took back).
fn dead_address() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn sync_without_a_server_says_nothing_is_lost_exits_3_and_keeps_the_queue() {
    let f = Fixture::with_listings(40);
    let listing = f.open_listing();
    f.teng(&["save", &listing.id.to_string(), "--note", "ring first"])
        .ok();
    let building = f.generator.building(0).id.to_string();
    f.teng(&["report", &building, "--hearing-loop", "no"]).ok();
    let before = f.store.pending_mutations().unwrap();
    assert_eq!(before.len(), 2);

    let run = f
        .teng(&["sync", "--server", &dead_address(), "--tries", "2"])
        .expect_code(3);
    for needle in [
        "Cannot reach the Teng server",
        "Nothing is lost",
        "will be sent on the next sync",
        "still work offline",
        "teng search",
        "Actions not sent yet: 2",
    ] {
        assert!(
            run.stderr.contains(needle),
            "lacks {needle:?}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stdout.contains("Sync finished"), "{}", run.stdout);

    let after = f.store.pending_mutations().unwrap();
    let ids = |p: &[teng_core::sync::PendingMutation]| p.iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(ids(&after), ids(&before), "the queue is kept as it was");
    assert!(f.store.is_saved(listing.id).unwrap());

    // The offline data still answers, and status tells what happened.
    f.teng(&["search", "--limit", "5"]).ok();
    let status = f.teng(&["status"]).ok();
    assert!(status.stdout.contains("Last error: "), "{}", status.stdout);
    assert!(
        status.stdout.contains("Actions not sent yet: 2"),
        "{}",
        status.stdout
    );
    assert!(
        !status.stdout.contains("Last attempt: never"),
        "{}",
        status.stdout
    );

    let ru = f
        .teng(&[
            "--lang",
            "ru",
            "sync",
            "--server",
            &dead_address(),
            "--tries",
            "1",
        ])
        .expect_code(3);
    assert!(ru.stderr.contains("Ничего не потеряно"), "{}", ru.stderr);
}

#[test]
fn sync_refuses_a_server_address_that_is_not_http() {
    let f = Fixture::empty();
    let run = f
        .teng(&["sync", "--server", "ftp://example"])
        .expect_code(2);
    assert!(run.stderr.contains("--server"), "{}", run.stderr);
}

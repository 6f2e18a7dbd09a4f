//! `teng` against a real teng-server on loopback (`teng_tests::server::TestServer`): a first sync
//! fills the file that `teng search` then reads; saved jobs go up and come back marked sent; a
//! rejected save and a conflicting listing edit become problems the user can read and dismiss.

mod common;

use teng_core::search::SearchQuery;
use teng_tests::server::TestServer;
use uuid::Uuid;

use common::{title_prefix, Fixture};

#[test]
fn sync_then_search_shows_the_servers_jobs_and_saved_jobs_go_up() {
    let server = TestServer::with_demo(120);
    let f = Fixture::empty();
    let url = server.url();

    let run = f
        .teng(&["sync", "--server", &url, "--page-size", "50"])
        .ok();
    assert!(run.stdout.contains("Sync finished."), "{}", run.stdout);
    assert!(run.stdout.contains("Actions sent: 0"), "{}", run.stdout);
    assert!(run.stdout.contains("Data received: "), "{}", run.stdout);
    // Not a terminal: progress comes as plain lines on stderr.
    assert!(run.stderr.contains("receiving changes"), "{}", run.stderr);

    let stats = f.store.stats().unwrap();
    assert_eq!(stats.listings as i64, server.published_listing_count());

    let query = SearchQuery {
        page_size: 200,
        ..Default::default()
    };
    let page = f.store.search(&query).unwrap();
    assert!(page.total > 0);
    let search = f.teng(&["search", "--limit", "200"]).ok();
    let expected: Vec<Uuid> = page.hits.iter().map(|h| h.listing.id).collect();
    assert_eq!(search.ids(), expected);

    // Save a job offline, then sync: the marker goes from "not sent yet" to "sent".
    let job = &page.hits[0].listing;
    f.teng(&["save", &job.id.to_string(), "--note", "call Monday"])
        .ok();
    let saved = f.teng(&["saved"]).ok();
    assert!(saved.line_of(job.id).contains("not sent yet"));
    let again = f.teng(&["sync", "--server", &url]).ok();
    assert!(again.stdout.contains("Actions sent: 1"), "{}", again.stdout);
    let saved = f.teng(&["saved"]).ok();
    let line = saved.line_of(job.id);
    assert!(line.contains(&title_prefix(&job.title)), "{line}");
    assert!(
        line.contains("sent") && !line.contains("not sent yet"),
        "{line}"
    );
    assert!(f.store.pending_mutations().unwrap().is_empty());

    let status = f.teng(&["status"]).ok();
    assert!(
        status
            .stdout
            .contains("Device registered with the server: yes"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("Actions not sent yet: 0"),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains("Last successful sync: never"));
}

#[test]
fn rejected_and_conflicting_actions_become_problems_to_read_and_dismiss() {
    let server = TestServer::with_demo(30);
    let org = server.organization();
    let ngo = server.create_ngo_user(org);
    let ours = server.publish_new_listing("Night operator");
    let url = server.url();

    // A device that saves a job the server does not have: rejected as not found.
    let device = Fixture::empty();
    device.teng(&["sync", "--server", &url]).ok();
    let mut ghost = device.store.listing(ours.id).unwrap().expect("synced");
    ghost.id = Uuid::new_v4();
    device.store.upsert_listings(&[ghost.clone()]).unwrap();
    device.teng(&["save", &ghost.id.to_string()]).ok();
    let run = device.teng(&["sync", "--server", &url]).ok();
    assert!(run.stdout.contains("New problems: 1"), "{}", run.stdout);
    let problems = device.teng(&["problems"]).ok();
    assert!(
        problems.stdout.contains("Rejected by the server"),
        "{}",
        problems.stdout
    );
    assert!(problems.stdout.contains("not_found"), "{}", problems.stdout);
    let id = device.store.sync_problems().unwrap()[0]
        .mutation_id
        .to_string();
    assert!(problems.stdout.contains(&id));
    device.teng(&["problems", "dismiss", &id]).ok();
    assert!(device.store.sync_problems().unwrap().is_empty());
    assert!(device
        .teng(&["problems"])
        .ok()
        .stdout
        .contains("No sync problems."));

    // An ngo member edits a listing offline while the server's copy changes: a conflict with both.
    let member = Fixture::empty();
    member
        .teng(&["sync", "--server", &url, "--token", &ngo])
        .ok();
    let mut edited = member.store.listing(ours.id).unwrap().expect("synced");
    edited.title = "Night operator, edited offline".into();
    member.store.edit_listing(&edited).unwrap();
    server.update_listing_title(ours.id, "Night operator (evening shift)");
    let run = member
        .teng(&["sync", "--server", &url, "--token", &ngo])
        .ok();
    assert!(run.stdout.contains("New problems: 1"), "{}", run.stdout);
    let problems = member.teng(&["problems"]).ok();
    let out = &problems.stdout;
    assert!(
        out.contains("Conflict: the server has another version"),
        "{out}"
    );
    assert!(out.contains("    title:"), "{out}");
    assert!(
        out.contains("yours: Night operator, edited offline"),
        "{out}"
    );
    assert!(
        out.contains("on the server: Night operator (evening shift)"),
        "{out}"
    );
    // The catalogue shows the server's version, as on every other phone.
    let show = member.teng(&["show", &ours.id.to_string()]).ok();
    assert!(
        show.stdout.starts_with("Night operator (evening shift)"),
        "{}",
        show.stdout
    );
}

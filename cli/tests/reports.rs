//! `teng reports` and `teng reopen`: hearing back from the city. Offline: what the list says before
//! anything was sent, and the refusals. Against a real teng-server on loopback: a report goes up,
//! the city office (an admin) answers it, the answer comes back in words, "still not fixed" goes
//! up, and a reopen the office overtook comes back as a problem.

mod common;

use serde_json::json;
use teng_core::accessibility::{report_privacy_notice, Lang, ReportStatus};
use teng_tests::server::TestServer;
use uuid::Uuid;

use common::{Fixture, Run};

/// The report id `teng reports` prints last in the block of the report on `building`.
fn only_report(f: &Fixture) -> Uuid {
    let mine = f.store.my_reports_with_status(None).unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    mine[0].report.id
}

fn assert_has(run: &Run, needle: &str) {
    assert!(
        run.stdout.contains(needle),
        "lacks {needle:?}:\n{}",
        run.stdout
    );
}

#[test]
fn without_a_sync_reports_are_listed_as_not_sent_and_cannot_be_reopened() {
    let f = Fixture::with_listings(30);
    let none = f.teng(&["reports"]).ok();
    assert_has(&none, "You have not reported anything yet.");

    let building = f.generator.building(0);
    let recorded = f
        .teng(&[
            "report",
            &building.id.to_string(),
            "--ramp",
            "none",
            "--note",
            "two steps",
        ])
        .ok();
    assert_has(&recorded, report_privacy_notice(Lang::English));
    let ru = f
        .teng(&[
            "--lang",
            "ru",
            "report",
            &building.id.to_string(),
            "--hearing-loop",
            "no",
        ])
        .ok();
    assert_has(&ru, report_privacy_notice(Lang::Russian));

    let list = f.teng(&["reports"]).ok();
    assert_has(&list, "Your reports: 2.");
    assert_has(
        &list,
        &format!("{}, {}", building.name, building.address.street),
    );
    assert_has(&list, "What you reported: ramp: no ramp");
    assert_has(&list, "Your note: two steps");
    assert_has(
        &list,
        "The city office's answer: Not sent yet: the city office will see this report after the next sync.",
    );
    assert!(!list.stdout.contains("teng reopen"), "{}", list.stdout);
    let ids = list.ids();
    assert_eq!(ids.len(), 2, "{}", list.stdout);

    let other = f
        .teng(&["reports", "--building", &Uuid::new_v4().to_string()])
        .ok();
    assert_has(&other, "You have not reported anything yet.");

    let unsent = f.teng(&["reopen", &ids[0].to_string()]).expect_code(1);
    assert!(unsent.stderr.contains("not sent yet"), "{}", unsent.stderr);
    let unknown = f
        .teng(&["reopen", &Uuid::new_v4().to_string()])
        .expect_code(1);
    assert!(
        unknown.stderr.contains("There is no report of yours"),
        "{}",
        unknown.stderr
    );
    let bad = f.teng(&["reopen", "report-1"]).expect_code(2);
    assert!(bad.stderr.contains("REPORT_ID"), "{}", bad.stderr);
    assert_eq!(
        f.store.pending_mutations().unwrap().len(),
        2,
        "nothing more queued"
    );
}

/// The admin answers report `id` as a city office would.
fn answer(server: &TestServer, id: Uuid, status: &str, note: Option<&str>, lang: Option<&str>) {
    let (code, body) = server.put(
        &format!("/v1/city/reports/{id}/status"),
        Some(&server.admin_token()),
        &json!({ "status": status, "note": note, "lang": lang }),
    );
    assert_eq!(code, 200, "{body}");
}

#[test]
fn the_city_offices_answer_comes_back_and_still_not_fixed_goes_up() {
    let server = TestServer::with_demo(40);
    let url = server.url();
    let f = Fixture::empty();
    f.teng(&["sync", "--server", &url]).ok();
    let building = f
        .store
        .search(&Default::default())
        .unwrap()
        .hits
        .iter()
        .find_map(|h| h.listing.building_id)
        .expect("a job in a building");
    f.teng(&[
        "report",
        &building.to_string(),
        "--step-free",
        "no",
        "--steps",
        "2",
    ])
    .ok();
    let id = only_report(&f);

    f.teng(&["sync", "--server", &url]).ok();
    let sent = f.teng(&["reports"]).ok();
    assert_has(
        &sent,
        "The city office has received this report and not answered yet.",
    );

    answer(&server, id, "acknowledged", None, None);
    answer(
        &server,
        id,
        "resolved",
        Some("Пандус орнотулду"),
        Some("ky"),
    );
    f.teng(&["sync", "--server", &url]).ok();
    let resolved = f.teng(&["reports"]).ok();
    assert_has(&resolved, "The city office marked this resolved on ");
    assert_has(&resolved, ": Пандус орнотулду (in Kyrgyz).");
    assert_has(&resolved, "History:");
    assert_has(&resolved, "The city office acknowledged this on ");
    assert_has(&resolved, &format!("Still not fixed? teng reopen {id}"));
    let ky = f.teng(&["--lang", "ky", "reports"]).ok();
    assert_has(&ky, "муну чечилди деп белгиледи: Пандус орнотулду.");
    let mine = f.store.my_report(id).unwrap().unwrap();
    assert_eq!(mine.status, ReportStatus::Resolved);
    assert_eq!(mine.history.len(), 2);

    let reopened = f
        .teng(&["reopen", &id.to_string(), "--note", "still two steps"])
        .ok();
    assert_has(&reopened, "Kept: you said this is still not fixed");
    assert_has(
        &reopened,
        "You said that this is still not fixed (waiting to send): still two steps.",
    );
    assert_has(&reopened, "Actions not sent yet: 1");
    let again = f.teng(&["reopen", &id.to_string()]).expect_code(1);
    assert!(
        again.stderr.contains("You already said"),
        "{}",
        again.stderr
    );
    let waiting = f.teng(&["reports"]).ok();
    assert_has(&waiting, "(waiting to send): still two steps.");
    assert!(
        !waiting.stdout.contains("Still not fixed?"),
        "{}",
        waiting.stdout
    );

    let synced = f.teng(&["sync", "--server", &url]).ok();
    assert_has(&synced, "Actions sent: 1");
    let back = f.teng(&["reports"]).ok();
    assert_has(&back, "You said on ");
    assert_has(&back, "that this is still not fixed: still two steps.");
    let mine = f.store.my_report(id).unwrap().unwrap();
    assert_eq!(mine.status, ReportStatus::Reopened);
    assert!(!mine.reopen_pending && !mine.can_reopen);
    assert_eq!(mine.history.len(), 3);

    // Resolved again; the user says "still not fixed" offline, but the office has meanwhile
    // taken it up again: the server refuses the reopen, which becomes a problem to read.
    answer(&server, id, "resolved", Some("Done now"), Some("en"));
    f.teng(&["sync", "--server", &url]).ok();
    f.teng(&["reopen", &id.to_string()]).ok();
    answer(
        &server,
        id,
        "in_progress",
        Some("Checking again"),
        Some("en"),
    );
    let refused = f.teng(&["sync", "--server", &url]).ok();
    assert_has(&refused, "New problems: 1");
    let problems = f.teng(&["problems"]).ok();
    assert_has(&problems, "Rejected by the server");
    assert_has(&problems, "your \"still not fixed\" on the report");
    assert_has(&problems, "invalid_state");
    assert!(f.store.pending_mutations().unwrap().is_empty());
    let now = f.teng(&["reports"]).ok();
    assert_has(&now, "The city office marked this in progress on ");
    assert_has(&now, ": Checking again.");
}

//! A report's answer travels back to the phone that sent it (issue 13), end to end: a real phone
//! store and sync client, a real server on loopback. The city answers, the phone syncs and reads
//! the answer in its language; it says "still not fixed" offline, syncs, and the city sees the
//! report reopened with the reporter's words.

mod common;

use chrono::Utc;
use common::*;
use teng_core::accessibility::{Lang, ReportStatus};
use teng_server::auth::Role;
use teng_server::storage::{IssueStatus, ReportFilter, StatusAnswer, User};
use teng_tests::server::TestServer;
use uuid::Uuid;

fn city_user(server: &TestServer) -> Uuid {
    let user = User {
        id: Uuid::new_v4(),
        username: "bishkek-office".into(),
        role: Role::City,
        organization_id: None,
        city: None,
        created_at: Utc::now(),
    };
    server
        .storage()
        .create_user(&user, "not-a-real-hash")
        .unwrap();
    user.id
}

#[test]
fn the_citys_answer_reaches_the_reporter_who_can_reopen_it_offline() {
    let server = TestServer::with_demo(30);
    let phone = Phone::new(&server.url());
    phone.sync().unwrap();
    let (_, building) = a_listing_with_building(&phone);
    let report = visitor_report(building, false);
    phone.store.record_report(&report).unwrap();
    phone.sync().unwrap();
    let mine = phone
        .store
        .my_report(report.id)
        .unwrap()
        .expect("my report");
    assert!(mine.sent);
    assert_eq!(mine.status, ReportStatus::Open);
    assert!(!mine.can_reopen);

    let office = city_user(&server);
    server
        .storage()
        .set_report_status(
            report.id,
            &StatusAnswer {
                status: IssueStatus::Resolved,
                note: Some("Пандус орнотулду".into()),
                lang: Some("ky".into()),
                by: office,
                city_scope: None,
            },
            Utc::now(),
        )
        .unwrap();

    // Another phone syncing meanwhile learns nothing about it.
    let other = Phone::new(&server.url());
    other.sync().unwrap();
    assert!(other.store.my_report(report.id).unwrap().is_none());

    phone.sync().unwrap();
    let mine = phone.store.my_report(report.id).unwrap().unwrap();
    assert_eq!(mine.status, ReportStatus::Resolved);
    assert_eq!(mine.note.as_deref(), Some("Пандус орнотулду"));
    assert_eq!(mine.note_lang, Some(Lang::Kyrgyz));
    assert_eq!(mine.history.len(), 1);
    assert!(mine.can_reopen);
    let words = mine.status_text(Lang::English, Utc::now());
    assert!(words.contains("resolved"), "{words}");
    assert!(words.contains("Пандус орнотулду"), "{words}");

    // Offline: the reopen waits in the outbox and already shows.
    phone
        .store
        .reopen_report(report.id, Some("The ramp is still not there"))
        .unwrap();
    let waiting = phone.store.my_report(report.id).unwrap().unwrap();
    assert!(waiting.reopen_pending);
    assert_eq!(waiting.status, ReportStatus::Reopened);
    assert!(!waiting.can_reopen);

    let done = phone.sync().unwrap();
    assert!(done.problems.is_empty(), "{:?}", done.problems);
    let inbox = server
        .storage()
        .list_reports(&ReportFilter {
            status: Some(IssueStatus::Reopened),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].report.id, report.id);
    assert_eq!(
        inbox[0].status_note.as_deref(),
        Some("The ramp is still not there")
    );
    let history = server.storage().report_history(report.id).unwrap();
    assert_eq!(history.len(), 2);

    // The server's word replaces the local one: no longer pending, still reopened.
    let mine = phone.store.my_report(report.id).unwrap().unwrap();
    assert!(!mine.reopen_pending);
    assert_eq!(mine.status, ReportStatus::Reopened);
    assert_eq!(mine.history.len(), 2);
}

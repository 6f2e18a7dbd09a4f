//! "Back to the reporter": pulled `report_status` records on the device's own reports, and the
//! reporter's "still not fixed" (`reopen_report`) queued offline, pushed, and refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::tests::{apply, bishkek, delete, page, upsert};
use super::*;
use crate::accessibility::{AccessibilityReport, Lang, ReportStatus, StatusAuthor};
use crate::store::tests::accessibility::step_free_report;
use crate::testing::temp_store;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

/// A store with the building and one report of the user's, already sent (the outbox is empty).
fn store_with_sent_report() -> (tempfile::TempDir, Store, AccessibilityReport) {
    let (dir, store) = temp_store();
    let b = bishkek();
    store.upsert_buildings(std::slice::from_ref(&b)).unwrap();
    let report = step_free_report(b.id, "this-device");
    store.record_report(&report).unwrap();
    mark_sent(&store);
    (dir, store, report)
}

/// The server answered for everything queued.
fn mark_sent(store: &Store) {
    let ids: Vec<Uuid> = store
        .pending_mutations()
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    store
        .write(|tx| {
            for id in &ids {
                outbox::remove(tx, *id)?;
            }
            Ok(())
        })
        .unwrap();
}

fn resolved(report: &AccessibilityReport) -> Value {
    json!({
        "report_id": report.id, "building_id": report.building_id, "status": "resolved",
        "note": "Пандус орнотулду", "lang": "ky", "updated_at": at(3, 9),
        "history": [
            { "status": "acknowledged", "note": null, "lang": null, "at": at(1, 8), "by": "city" },
            { "status": "resolved", "note": "Пандус орнотулду", "lang": "ky", "at": at(3, 9), "by": "city" }
        ]
    })
}

fn status_of(report: &AccessibilityReport, status: &str, note: Option<&str>, day: u32) -> Value {
    json!({
        "report_id": report.id, "building_id": report.building_id, "status": status,
        "note": note, "lang": note.map(|_| "en"), "updated_at": at(day, 10),
        "history": [{ "status": status, "note": note, "lang": note.map(|_| "en"), "at": at(day, 10), "by": "city" }]
    })
}

fn status_page(report: &AccessibilityReport, seq: i64, record: Value) -> protocol::PullPage {
    page(
        vec![upsert(seq, "report_status", report.id, record)],
        seq,
        false,
    )
}

#[test]
fn a_pulled_status_is_kept_with_its_page_and_cursor() {
    let (_dir, store, report) = store_with_sent_report();
    let before = store.my_report(report.id).unwrap().unwrap();
    assert!(before.sent);
    assert_eq!(before.status, ReportStatus::Open);
    assert_eq!(before.updated_at, None);
    assert!(!before.can_reopen);
    assert_eq!(
        before.status_text(Lang::English, at(5, 12)),
        "The city office has received this report and not answered yet."
    );

    // Pulled from a cursor the file is not at: nothing changes.
    let p = status_page(&report, 12, resolved(&report));
    assert!(matches!(apply(&store, 3, &p), Err(Error::SyncInProgress)));
    assert_eq!(
        store.my_report(report.id).unwrap().unwrap().status,
        ReportStatus::Open
    );

    let outcome = apply(&store, 0, &p).unwrap();
    assert_eq!(outcome.applied, 1);
    assert_eq!(store.sync_status().unwrap().cursor, 12);
    let mine = store.my_reports_with_status(None).unwrap();
    assert_eq!(mine.len(), 1);
    let r = &mine[0];
    assert_eq!(r.report, report);
    assert_eq!(r.building.as_ref().map(|b| b.id), Some(report.building_id));
    assert_eq!(r.status, ReportStatus::Resolved);
    assert_eq!(r.note.as_deref(), Some("Пандус орнотулду"));
    assert_eq!(r.note_lang, Some(Lang::Kyrgyz));
    assert_eq!(r.updated_at, Some(at(3, 9)));
    assert_eq!(r.history.len(), 2);
    assert_eq!(r.history[0].status, ReportStatus::Acknowledged);
    assert_eq!(r.history[1].by, StatusAuthor::City);
    assert!(r.can_reopen && !r.reopen_pending);
    assert_eq!(
        r.status_text(Lang::English, at(5, 12)),
        "The city office marked this resolved on 3 December: Пандус орнотулду (in Kyrgyz)."
    );
    assert_eq!(
        r.status_text(Lang::Kyrgyz, at(5, 12)),
        "Шаардык кызмат 3-декабрда муну чечилди деп белгиледи: Пандус орнотулду."
    );
    assert_eq!(
        store
            .my_reports_with_status(Some(report.building_id))
            .unwrap(),
        mine
    );
    assert!(store
        .my_reports_with_status(Some(Uuid::new_v4()))
        .unwrap()
        .is_empty());

    // The same page again (a crash before the app noticed) changes nothing; a tombstone withdraws.
    apply(&store, 12, &status_page(&report, 12, resolved(&report))).unwrap();
    assert_eq!(store.my_reports_with_status(None).unwrap(), mine);
    apply(
        &store,
        12,
        &page(vec![delete(13, "report_status", report.id)], 13, false),
    )
    .unwrap();
    assert_eq!(
        store.my_report(report.id).unwrap().unwrap().status,
        ReportStatus::Open
    );
}

#[test]
fn pages_of_other_kinds_and_other_reports_leave_the_status_alone() {
    let (_dir, store, report) = store_with_sent_report();
    apply(&store, 0, &status_page(&report, 5, resolved(&report))).unwrap();
    let kept = store.my_report(report.id).unwrap().unwrap();

    let org = crate::testing::organization("Тең", true);
    let someone_else = Uuid::new_v4();
    let mut mismatched = resolved(&report);
    mismatched["status"] = json!("in_progress");
    let outcome = apply(
        &store,
        5,
        &page(
            vec![
                upsert(6, "organization", org.id, &org),
                // A status of a report this phone did not make (kept, never listed).
                upsert(
                    7,
                    "report_status",
                    someone_else,
                    json!({ "report_id": someone_else, "building_id": report.building_id,
                            "status": "in_progress", "updated_at": at(4, 9) }),
                ),
                // A record naming another report than its entry: unreadable, skipped.
                upsert(8, "report_status", Uuid::new_v4(), mismatched),
                // Not a record at all.
                upsert(9, "report_status", report.id, json!({ "status": 3 })),
            ],
            9,
            false,
        ),
    )
    .unwrap();
    assert_eq!(outcome.applied, 2);
    assert_eq!(outcome.skipped, 2);
    assert_eq!(store.organization(org.id).unwrap(), Some(org.clone()));
    assert_eq!(store.my_report(report.id).unwrap().unwrap(), kept);
    assert_eq!(store.my_reports_with_status(None).unwrap().len(), 1);
    assert_eq!(store.my_report(someone_else).unwrap(), None);
    assert_eq!(store.sync_status().unwrap().cursor, 9);

    // A full resync keeps the device's own statuses: they are not public records.
    let building = store.building(report.building_id).unwrap().unwrap();
    store.begin_full_resync().unwrap();
    apply(
        &store,
        0,
        &page(
            vec![upsert(20, "building", building.id, &building)],
            20,
            false,
        ),
    )
    .unwrap();
    assert_eq!(store.organization(org.id).unwrap(), None, "the resync ran");
    assert_eq!(store.my_report(report.id).unwrap().unwrap(), kept);
}

#[test]
fn an_unknown_status_code_is_shown_as_received_and_kept_as_sent() {
    let (_dir, store, report) = store_with_sent_report();
    let mut newer = status_of(&report, "escalated_to_mayor", Some("sent upstairs"), 4);
    newer["history"][0]["by"] = json!("robot");
    newer["lang"] = json!("tg");
    let outcome = apply(&store, 0, &status_page(&report, 3, newer)).unwrap();
    assert_eq!((outcome.applied, outcome.skipped), (1, 0));
    let r = store.my_report(report.id).unwrap().unwrap();
    assert_eq!(r.status, ReportStatus::Open);
    assert_eq!(r.note.as_deref(), Some("sent upstairs"));
    assert_eq!(r.note_lang, None);
    assert!(!r.can_reopen);
    assert!(r
        .status_text(Lang::Russian, at(5, 12))
        .starts_with("Городская служба получила это сообщение"));
    let code: String = store
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT status FROM my_report_status WHERE report_id = ?1",
                [report.id.to_string()],
                |row| row.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        code, "escalated_to_mayor",
        "the code is kept as the server sent it"
    );
}

#[test]
fn a_report_an_administrator_hid_says_why() {
    let (_dir, store, report) = store_with_sent_report();
    let mut hidden = status_of(&report, "open", None, 4);
    hidden["hidden"] = json!({ "at": at(4, 10), "reason": "a duplicate" });
    apply(&store, 0, &status_page(&report, 3, hidden)).unwrap();
    let r = store.my_report(report.id).unwrap().unwrap();
    let h = r.hidden.as_ref().unwrap();
    assert_eq!((h.at, h.reason.as_str()), (at(4, 10), "a duplicate"));
    assert!(r.status_text(Lang::English, at(5, 12)).ends_with(
        "An administrator hid this report on 4 December; it no longer counts in the building's accessibility: a duplicate."
    ));
    // `hidden: null` and no `hidden` at all are the same.
    let mut shown = status_of(&report, "open", None, 5);
    shown["hidden"] = Value::Null;
    apply(&store, 3, &status_page(&report, 4, shown)).unwrap();
    assert_eq!(store.my_report(report.id).unwrap().unwrap().hidden, None);
}

#[test]
fn a_reopen_is_queued_offline_and_shown_as_waiting() {
    let (_dir, store, report) = store_with_sent_report();

    // Not answered yet, not one of the user's, unsent: refused, nothing queued.
    let err = store.reopen_report(report.id, None).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field: "report_id", reason } if reason.contains("received")),
        "{err:?}"
    );
    assert!(matches!(
        store.reopen_report(Uuid::new_v4(), None),
        Err(Error::NotFound { .. })
    ));
    let unsent = step_free_report(report.building_id, "this-device");
    store.record_report(&unsent).unwrap();
    let listed = store.my_report(unsent.id).unwrap().unwrap();
    assert!(!listed.sent);
    assert_eq!(
        listed.status_text(Lang::English, at(5, 12)),
        "Not sent yet: the city office will see this report after the next sync."
    );
    assert!(matches!(
        store.reopen_report(unsent.id, None),
        Err(Error::InvalidInput {
            field: "report_id",
            ..
        })
    ));
    mark_sent(&store);

    apply(&store, 0, &status_page(&report, 4, resolved(&report))).unwrap();
    let too_long = "x".repeat(2_001);
    assert!(matches!(
        store.reopen_report(report.id, Some(&too_long)),
        Err(Error::Validation(ref v)) if v.field() == "note"
    ));
    assert!(store.pending_mutations().unwrap().is_empty());

    let shown = store
        .reopen_report(report.id, Some("  the ramp is too steep  "))
        .unwrap();
    assert_eq!(shown.status, ReportStatus::Reopened);
    assert!(shown.reopen_pending && !shown.can_reopen);
    assert_eq!(shown.note.as_deref(), Some("the ramp is too steep"));
    assert_eq!(shown.history.len(), 2, "the server's history, unchanged");
    assert_eq!(
        shown.status_text(Lang::English, at(5, 12)),
        "You said that this is still not fixed (waiting to send): the ramp is too steep."
    );
    assert_eq!(
        shown.status_text(Lang::Russian, at(5, 12)),
        "Вы сообщили, что это всё ещё не исправлено (ждёт отправки): the ramp is too steep."
    );
    assert_eq!(store.my_report(report.id).unwrap().unwrap(), shown);

    let pending = store.pending_mutations().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].mutation.op(), "reopen_report");
    assert_eq!(pending[0].mutation.target(), report.id);
    assert!(store.has_pending(report.id).unwrap());
    assert_eq!(store.sync_status().unwrap().pending, 1);
    // As pushed: the protocol's field names, under the mutation's id.
    let pushed = serde_json::to_value(protocol::PushRequest {
        mutations: vec![protocol::PushedMutation {
            id: pending[0].id,
            mutation: &pending[0].mutation,
        }],
    })
    .unwrap();
    assert_eq!(
        pushed,
        json!({ "mutations": [{ "id": pending[0].id, "op": "reopen_report",
                                "report_id": report.id, "note": "the ramp is too steep" }] })
    );

    // Said once: a second one waits for the first.
    assert!(matches!(
        store.reopen_report(report.id, None),
        Err(Error::InvalidInput {
            field: "report_id",
            ..
        })
    ));
    assert_eq!(store.pending_mutations().unwrap().len(), 1);
}

#[test]
fn a_reopen_without_a_note_is_pushed_without_one() {
    let mutation = Mutation::ReopenReport {
        report_id: Uuid::from_u128(7),
        note: None,
    };
    let json = serde_json::to_value(&mutation).unwrap();
    assert_eq!(
        json,
        json!({ "op": "reopen_report", "report_id": Uuid::from_u128(7) })
    );
    assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), mutation);
}

#[test]
fn a_pending_reopen_stays_on_top_of_a_pulled_older_status() {
    let (_dir, store, report) = store_with_sent_report();
    apply(&store, 0, &status_page(&report, 4, resolved(&report))).unwrap();
    store.reopen_report(report.id, Some("still steps")).unwrap();

    // The server's status from before the reopen comes again (another device's sync of the log,
    // or a resync): stored beneath, not shown over what the user said.
    let again = apply(&store, 4, &status_page(&report, 6, resolved(&report))).unwrap();
    assert_eq!((again.applied, again.kept_local), (0, 1));
    let r = store.my_report(report.id).unwrap().unwrap();
    assert_eq!(r.status, ReportStatus::Reopened);
    assert!(r.reopen_pending);
    assert_eq!(r.note.as_deref(), Some("still steps"));
    assert_eq!(store.pending_mutations().unwrap().len(), 1);

    // Once the server answered for it, its own status shows.
    mark_sent(&store);
    let mut reopened = resolved(&report);
    reopened["status"] = json!("reopened");
    reopened["note"] = json!("still steps");
    reopened["lang"] = Value::Null;
    reopened["updated_at"] = json!(at(5, 7));
    reopened["history"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "status": "reopened", "note": "still steps", "lang": null, "at": at(5, 7), "by": "reporter" }));
    apply(&store, 6, &status_page(&report, 8, reopened)).unwrap();
    let r = store.my_report(report.id).unwrap().unwrap();
    assert_eq!(r.status, ReportStatus::Reopened);
    assert!(!r.reopen_pending && !r.can_reopen);
    assert_eq!(r.history.last().unwrap().by, StatusAuthor::Reporter);
    assert_eq!(
        r.status_text(Lang::English, at(6, 12)),
        "You said on 5 December that this is still not fixed: still steps."
    );
}

/// What the fake server was sent: "METHOD /path" and the JSON body, in order.
type Requests = Arc<Mutex<Vec<(String, Value)>>>;

/// A stand-in for the server on loopback: answers each request with `answer(method, path, body)`
/// as JSON and records what it was sent.
fn fake_server(
    answer: impl Fn(&str, &str, &Value) -> Value + Send + Sync + 'static,
) -> (String, Requests) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let mut parts = request_line.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let path = parts.next().unwrap_or("").to_string();
            let reply = answer(&method, &path, &body).to_string();
            log.lock().unwrap().push((format!("{method} {path}"), body));
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn a_refused_reopen_is_dropped_and_kept_as_a_problem() {
    let (_dir, store, report) = store_with_sent_report();
    apply(&store, 0, &status_page(&report, 4, resolved(&report))).unwrap();
    store.reopen_report(report.id, Some("still steps")).unwrap();
    store.set_device_token("device-token").unwrap();
    // Meanwhile the city office changed its mind: the report is in progress again.
    let in_progress = status_of(&report, "in_progress", Some("we are checking again"), 5);
    let (url, seen) = fake_server(move |method, path, body| {
        if method == "POST" && path == "/v1/sync/push" {
            let results: Vec<Value> = body["mutations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    json!({ "id": m["id"], "status": "rejected", "code": "invalid_state",
                            "field": "report_id",
                            "message": "only a report the city marked resolved can be reopened; this one is in_progress" })
                })
                .collect();
            json!({ "results": results })
        } else {
            json!({ "changes": [{ "seq": 9, "kind": "report_status", "id": in_progress["report_id"],
                                  "op": "upsert", "record": in_progress }],
                    "next": 9, "has_more": false })
        }
    });
    let store = Arc::new(store);
    let client = SyncClient::new(Arc::clone(&store), SyncConfig::new(url)).unwrap();
    let outcome = client.sync(&NoProgress, &CancelToken::new()).unwrap();

    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests[0].0, "POST /v1/sync/push");
    assert_eq!(requests[0].1["mutations"][0]["op"], "reopen_report");
    assert_eq!(requests[0].1["mutations"][0]["report_id"], json!(report.id));
    assert_eq!(outcome.pushed, 0);
    assert_eq!(outcome.problems.len(), 1);
    let problem = &outcome.problems[0];
    assert_eq!(problem.kind, ProblemKind::Rejected);
    assert_eq!(problem.code.as_deref(), Some("invalid_state"));
    assert_eq!(problem.field.as_deref(), Some("report_id"));
    assert!(problem.message.contains("in_progress"));
    assert!(matches!(
        problem.local,
        Mutation::ReopenReport { report_id, .. } if report_id == report.id
    ));
    assert_eq!(store.sync_problems().unwrap(), outcome.problems);

    // Dropped from the queue; the server's status (pulled after the push) is what shows.
    assert!(store.pending_mutations().unwrap().is_empty());
    let r = store.my_report(report.id).unwrap().unwrap();
    assert_eq!(r.status, ReportStatus::InProgress);
    assert!(!r.reopen_pending && !r.can_reopen);
    assert_eq!(
        r.status_text(Lang::English, at(6, 12)),
        "The city office marked this in progress on 5 December: we are checking again."
    );
    assert_eq!(store.sync_status().unwrap().cursor, 9);
}

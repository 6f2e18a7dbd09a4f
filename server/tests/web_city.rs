//! The city office's pages (`/city...`, issue 13) over HTTP against a real server, as a browser uses
//! them: one city never sees another's reports by any URL or filter, answers append to a history
//! that is shown, the answer form's CSRF and error summary, keyset pages that never skip or repeat,
//! the filters, and the digest's numbers against a fixture counted by hand.
//!
//! Fixtures go straight into storage (with chosen receive and answer times); everything checked
//! goes through HTTP.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::web::{csrf_of, location, Browser};
use common::{phone_report, TestServer};
use reqwest::StatusCode;
use teng_core::accessibility::{Facts, Feature, FeatureValue, RampKind};
use teng_core::model::{Address, Building, GeoPoint, Region};
use teng_server::auth::Role;
use teng_server::storage::{IssueStatus, Mutation, PushActor, StatusAnswer, StatusBy, Storage};
use uuid::Uuid;

fn store(t: &TestServer) -> &dyn Storage {
    t.server.state.storage.as_ref()
}

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

/// A building straight into storage.
fn building(
    t: &TestServer,
    name: &str,
    city: &str,
    district: Option<&str>,
    lat: f64,
    lon: f64,
) -> Uuid {
    let region = if city == "Osh" {
        Region::OshCity
    } else {
        Region::Bishkek
    };
    let b = Building {
        id: Uuid::now_v7(),
        name: name.into(),
        address: Address {
            street: "1 Main Street".into(),
            city: city.into(),
            district: district.map(Into::into),
            region,
        },
        location: GeoPoint::new(lat, lon),
        osm_id: None,
    };
    store(t).create_building(&b, None, at(1, 1, 0)).unwrap();
    b.id
}

fn device(t: &TestServer) -> Uuid {
    let d = Uuid::new_v4();
    store(t).create_device(d, at(1, 1, 0)).unwrap();
    d
}

/// A device's report, received at `received`; returns its id.
fn report(
    t: &TestServer,
    device: Uuid,
    building: Uuid,
    facts: Facts,
    received: DateTime<Utc>,
) -> Uuid {
    phone_report(t, device, building, facts, None, received)
}

fn user_id(t: &TestServer, name: &str) -> Uuid {
    store(t).user_by_name(name).unwrap().unwrap().user.id
}

/// A city answer straight into storage, at `when`.
fn answer(
    t: &TestServer,
    by: Uuid,
    report: Uuid,
    status: IssueStatus,
    note: Option<&str>,
    when: DateTime<Utc>,
) {
    let a = StatusAnswer {
        status,
        note: note.map(Into::into),
        lang: Some("en".into()),
        by,
        city_scope: None,
    };
    store(t).set_report_status(report, &a, when).unwrap();
}

fn ramp_none() -> Facts {
    Facts::new().with(Feature::Ramp, FeatureValue::Ramp(RampKind::NoRamp))
}

fn one(feature: Feature, value: FeatureValue) -> Facts {
    Facts::new().with(feature, value)
}

/// The report ids a page links to, in order (the inbox links each row once).
fn report_ids(html: &str) -> Vec<String> {
    let needle = "href=\"/city/reports/";
    html.match_indices(needle)
        .map(|(i, _)| html[i + needle.len()..i + needle.len() + 36].to_string())
        .collect()
}

/// The href of the link with `rel="…"`, unescaped.
fn rel_link(html: &str, rel: &str) -> Option<String> {
    let end = html.find(&format!("\" rel=\"{rel}\""))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

/// "Reports found: N." on an English inbox (0 for "No reports found.").
fn found(html: &str) -> usize {
    if html.contains("No reports found.") {
        return 0;
    }
    let at = html
        .find("Reports found: ")
        .unwrap_or_else(|| panic!("no count in {html}"))
        + "Reports found: ".len();
    html[at..at + html[at..].find('.').unwrap()]
        .parse()
        .unwrap()
}

/// A server with an Osh office, a Bishkek office, and an English browser signed in as Osh.
async fn offices() -> (TestServer, Browser) {
    let t = TestServer::start().await;
    t.add_user("osh", Role::City, None, Some("Osh"));
    t.add_user("bishkek", Role::City, None, Some("Bishkek"));
    let b = Browser::new(&t, "en");
    b.login("osh").await;
    (t, b)
}

#[tokio::test]
async fn an_osh_office_cannot_see_answer_export_or_learn_about_bishkek_reports() {
    let (t, osh) = offices().await;
    let dev = device(&t);
    let mine = building(&t, "Osh Mayor Hall", "Osh", Some("Central"), 40.513, 72.816);
    let secret = building(
        &t,
        "Bishkek Secret Tower",
        "Bishkek",
        Some("Leninsky"),
        42.87,
        74.59,
    );
    let my_report = report(&t, dev, mine, ramp_none(), at(3, 2, 6));
    let their_report = report(&t, dev, secret, ramp_none(), at(3, 3, 6));
    let their_ms = at(3, 3, 6).timestamp_millis();
    let name = "Bishkek Secret Tower";

    let pages = [
        "/city".to_string(),
        "/city/reports".to_string(),
        "/city?city=Bishkek".to_string(),
        format!("/city?building={secret}"),
        "/city?district=Leninsky".to_string(),
        format!("/city?before={}.{their_report}", their_ms + 1),
        format!("/city?after={}.{their_report}", their_ms - 1),
        "/city?status=open&feature=ramp".to_string(),
        "/city/map".to_string(),
        format!("/city/map?building={secret}&city=Bishkek"),
        "/city/digest?from=2026-03-01&to=2026-03-31".to_string(),
        "/city/digest?from=2026-03-01&to=2026-03-31&city=Bishkek".to_string(),
        "/city/digest.html?from=2026-03-01&to=2026-03-31&city=Bishkek".to_string(),
        "/city/digest.csv?from=2026-03-01&to=2026-03-31&city=Bishkek".to_string(),
    ];
    for page in &pages {
        let (s, body) = osh.get(page).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(
            !body.contains(name),
            "{page} names the other city's building"
        );
        // (The page's own address, in its language switch, may carry what was asked for.)
        assert!(
            !body.contains(&their_report.to_string()) || page.contains(&their_report.to_string()),
            "{page}"
        );
        assert!(
            !body.contains(&secret.to_string()) || page.contains(&secret.to_string()),
            "{page}"
        );
        // Never the reporter's device.
        assert!(
            !body.contains(&dev.to_string()),
            "{page} shows the device id"
        );
    }
    // The filtered pages find nothing of Bishkek's; the plain inbox has Osh's own report only.
    let (_, html) = osh.get("/city?city=Bishkek").await;
    assert_eq!(report_ids(&html), vec![my_report.to_string()]);
    let (_, html) = osh.get(&format!("/city?building={secret}")).await;
    assert_eq!(found(&html), 0);
    let (_, csv) = osh
        .get("/city/digest.csv?from=2026-03-01&to=2026-03-31&city=Bishkek")
        .await;
    assert!(
        csv.contains("\r\ntotal,,All reports,1,1,0,0,0,\r\n"),
        "{csv}"
    );

    for page in [
        format!("/city/reports/{their_report}"),
        format!("/city/buildings/{secret}"),
        "/city/reports/not-a-uuid".to_string(),
    ] {
        let (s, body) = osh.get(&page).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{page}");
        assert!(!body.contains(name), "{page}");
    }
    // Answering it with a valid token: the same 404, and nothing is written.
    let (_, html) = osh.get(&format!("/city/reports/{my_report}")).await;
    let token = csrf_of(&html).unwrap();
    let r = osh
        .post(
            &format!("/city/reports/{their_report}"),
            &[
                ("csrf", token.as_str()),
                ("status", "resolved"),
                ("note", "done"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.text().await.unwrap().contains(name));
    assert!(store(&t).report_history(their_report).unwrap().is_empty());
    let (_, v) = t
        .get("/v1/city/reports?city=Bishkek", Some(&t.admin.clone()))
        .await;
    assert_eq!(v["items"][0]["status"], "open");

    // The same pages do show the building to its own office and to admins (the check can fail).
    let bishkek = Browser::new(&t, "en");
    bishkek.login("bishkek").await;
    let (_, html) = bishkek.get("/city").await;
    assert!(html.contains(name));
    assert!(!html.contains("Osh Mayor Hall"));
    let (s, html) = bishkek.get(&format!("/city/reports/{their_report}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(name));
    let admin = Browser::new(&t, "en");
    admin.login("root").await;
    let (_, html) = admin.get("/city").await;
    assert!(html.contains(name) && html.contains("Osh Mayor Hall"));
    let (_, html) = admin.get("/city?city=Bishkek").await;
    assert_eq!(report_ids(&html), vec![their_report.to_string()]);
    // Other roles do not get in at all.
    let (_, _) = t.ngo("akjol").await;
    let ngo = Browser::new(&t, "en");
    ngo.login("akjol").await;
    let (s, _) = ngo.get("/city").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let anonymous = Browser::new(&t, "en");
    let r = anonymous.get_response("/city").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login?next=/city"));
}

#[tokio::test]
async fn the_inbox_says_what_the_city_receives_and_shows_reports_in_words() {
    let (t, osh) = offices().await;
    let dev = device(&t);
    let b = building(&t, "Osh Library", "Osh", Some("Central"), 40.51, 72.80);
    phone_report(
        &t,
        dev,
        b,
        ramp_none().with(Feature::DoorWidth, FeatureValue::Centimetres(70)),
        Some("The door is heavy"),
        Utc::now() - Duration::days(3),
    );
    let (s, html) = osh.get("/city").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("What the city office receives"));
    assert!(
        html.contains("never shows the reporter&#39;s phone, its id"),
        "{html}"
    );
    assert!(html.contains("<li>No ramp</li>"), "{html}");
    assert!(html.contains("<li>Entrance door width: 70 centimetres</li>"));
    assert!(html.contains("Estimated by eye"));
    assert!(html.contains("Anonymous visitor"));
    assert!(html.contains("Received, not answered yet"));
    assert!(html.contains("<td class=\"num\">3</td>"), "age in days");
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(html.contains("aria-current=\"page\">City reports</a>"));
    assert!(!html.contains(&dev.to_string()));
    // The city lands here after logging in.
    let fresh = Browser::new(&t, "en");
    let r = fresh
        .submit(
            "/login",
            "/login",
            &[
                ("username", "osh"),
                ("password", common::PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/city");
}

#[tokio::test]
async fn answers_append_to_a_history_that_the_pages_show() {
    let (t, osh) = offices().await;
    let b = building(&t, "Osh Clinic", "Osh", None, 40.52, 72.81);
    // A report pushed by a phone, so its reporter can reopen it.
    let (_, phone) = t.device().await;
    let id = Uuid::new_v4();
    let (s, v) = t
        .post(
            "/v1/sync/push",
            Some(&phone),
            serde_json::json!({ "mutations": [{ "id": id, "op": "submit_report", "building_id": b,
                "report": { "facts": { "ramp": { "ramp": "none" } }, "method": "photo_checked" } }] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let page = format!("/city/reports/{id}");

    let r = osh
        .submit(&page, &page, &[("status", "acknowledged"), ("note", "")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?answered=1"));
    let r = osh
        .submit(
            &page,
            &page,
            &[("status", "resolved"), ("note", "A ramp was built")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let history = store(&t).report_history(id).unwrap();
    assert_eq!(
        history.iter().map(|e| e.status).collect::<Vec<_>>(),
        vec![IssueStatus::Acknowledged, IssueStatus::Resolved]
    );
    assert_eq!(history[1].note.as_deref(), Some("A ramp was built"));
    assert_eq!(
        history[1].lang.as_deref(),
        Some("en"),
        "the page's language"
    );

    // The reporter says it is still not fixed.
    let (s, v) = t
        .post(
            "/v1/sync/push",
            Some(&phone),
            serde_json::json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "reopen_report",
                "report_id": id, "note": "Still no ramp" }] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["status"], "applied", "{v}");

    let (_, html) = osh.get(&format!("{page}?answered=1")).await;
    assert!(html.contains("The answer is saved"));
    let entries: Vec<&str> = html.split("class=\"history-entry\"").skip(1).collect();
    assert_eq!(entries.len(), 3, "{html}");
    assert!(entries[0].contains("Acknowledged") && entries[0].contains("city office"));
    assert!(entries[1].contains("Resolved") && entries[1].contains("A ramp was built"));
    assert!(entries[2].contains("Reopened: still not fixed") && entries[2].contains("reporter"));
    assert!(entries[2].contains("Still no ramp"));
    assert!(html.contains("The reporter says this is still not fixed"));
    // The building page shows the history too, and the inbox flags the reopened report.
    let (_, html) = osh.get(&format!("/city/buildings/{b}")).await;
    assert_eq!(html.matches("class=\"history-entry\"").count(), 3);
    assert!(html.contains("A ramp was built"));
    let (_, html) = osh.get("/city").await;
    assert!(html.contains("<tr class=\"is-reopened\">"), "{html}");
    assert!(html.contains("Reopened by their reporters on this page (still not fixed): 1."));
    let (_, html) = osh.get("/city?status=reopened").await;
    assert_eq!(report_ids(&html), vec![id.to_string()]);

    // A new answer is appended; the earlier entries stay as they were.
    let r = osh
        .submit(&page, &page, &[("status", "in_progress"), ("note", "")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let again = store(&t).report_history(id).unwrap();
    assert_eq!(again.len(), 4);
    for (a, b) in history.iter().zip(&again) {
        assert_eq!((a.status, &a.note, a.at), (b.status, &b.note, b.at));
    }
    assert_eq!(again[2].by, StatusBy::Reporter);
}

#[tokio::test]
async fn an_answer_without_the_forms_token_is_refused() {
    let (t, osh) = offices().await;
    let dev = device(&t);
    let b = building(&t, "Osh School", "Osh", None, 40.5, 72.8);
    let id = report(&t, dev, b, ramp_none(), at(3, 1, 6));
    let page = format!("/city/reports/{id}");
    let r = osh
        .post(&page, &[("status", "resolved"), ("note", "")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = osh
        .post(
            &page,
            &[("csrf", "0".repeat(64).as_str()), ("status", "resolved")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Another browser's token is no good here either.
    let other = Browser::new(&t, "en");
    other.login("osh").await;
    let (_, html) = other.get(&page).await;
    let foreign = csrf_of(&html).unwrap();
    let r = osh
        .post(&page, &[("csrf", foreign.as_str()), ("status", "resolved")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(store(&t).report_history(id).unwrap().is_empty());
    // With its own token the same answer goes through (the refusals were about the token).
    let r = osh.submit(&page, &page, &[("status", "resolved")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(store(&t).report_history(id).unwrap().len(), 1);
}

#[tokio::test]
async fn not_responsible_without_a_note_shows_the_error_summary() {
    let (t, _) = offices().await;
    let ru = Browser::new(&t, "ru");
    ru.login("osh").await;
    let dev = device(&t);
    let b = building(&t, "Osh Bank", "Osh", None, 40.5, 72.8);
    let id = report(&t, dev, b, ramp_none(), at(3, 1, 6));
    let page = format!("/city/reports/{id}");

    let r = ru
        .submit(
            &page,
            &page,
            &[("status", "not_responsible"), ("note", "  ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""));
    assert!(
        html.contains("<a href=\"#note\">Напишите, почему это не в ведении городской службы</a>")
    );
    assert!(html.contains("id=\"note-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("<title>Ошибка: "));
    // The choice is kept.
    assert!(html.contains(
        "value=\"not_responsible\" aria-describedby=\"status-not_responsible-hint\" checked"
    ));
    // No status at all.
    let r = ru.submit(&page, &page, &[("note", "Здание частное")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<a href=\"#status\">Выберите новый статус</a>"));
    assert!(
        html.contains(">Здание частное</textarea>"),
        "what was typed stays"
    );
    // A status the city may not give.
    let r = ru.submit(&page, &page, &[("status", "reopened")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store(&t).report_history(id).unwrap().is_empty());

    let r = ru
        .submit(
            &page,
            &page,
            &[("status", "not_responsible"), ("note", "Здание частное")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let history = store(&t).report_history(id).unwrap();
    assert_eq!(history[0].status, IssueStatus::NotResponsible);
    assert_eq!(history[0].lang.as_deref(), Some("ru"));
}

/// Walks the inbox by its "next" links from `start`; returns every id in order.
async fn walk(b: &Browser, start: &str, between: impl Fn(usize)) -> Vec<String> {
    let mut ids = Vec::new();
    let mut page = Some(start.to_string());
    let mut n = 0;
    while let Some(p) = page {
        let (s, html) = b.get(&p).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let these = report_ids(&html);
        assert!(these.len() <= 50);
        ids.extend(these);
        page = rel_link(&html, "next");
        between(n);
        n += 1;
        assert!(n < 20, "runaway paging");
    }
    ids
}

#[tokio::test]
async fn pages_never_skip_or_repeat_a_report_even_while_new_ones_arrive() {
    let (t, osh) = offices().await;
    // A device may send only a few reports about one building: one device per report.
    let a = building(&t, "Osh Hall A", "Osh", Some("Central"), 40.51, 72.80);
    let other = building(&t, "Bishkek Hall", "Bishkek", None, 42.87, 74.59);
    let base = at(3, 1, 6);
    let mut expected: Vec<(DateTime<Utc>, String)> = Vec::new();
    for i in 0..130i64 {
        // Three reports share each receive time: the id breaks the tie.
        let when = base + Duration::minutes(i / 3);
        let id = report(&t, device(&t), a, ramp_none(), when);
        expected.push((when, id.to_string()));
        if i % 10 == 0 {
            report(&t, device(&t), other, ramp_none(), when);
        }
    }
    expected.sort_by(|x, y| y.cmp(x));
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();

    let (_, html) = osh.get("/city").await;
    assert_eq!(found(&html), 130);
    assert!(html.contains("This page: 1 to 50."));
    assert!(rel_link(&html, "prev").is_none());

    // New reports arriving between pages are newer than everything walked so far.
    let t2 = &t;
    let seen = walk(&osh, "/city", |n| {
        if n == 0 {
            for k in 0..5 {
                report(
                    t2,
                    device(t2),
                    a,
                    ramp_none(),
                    base + Duration::days(1) + Duration::minutes(k),
                );
            }
        }
    })
    .await;
    assert_eq!(seen, expected, "every report once, newest first");

    // Walking back from the last page with "previous" gives the same pages in reverse.
    let mut page = "/city".to_string();
    loop {
        let (_, html) = osh.get(&page).await;
        match rel_link(&html, "next") {
            Some(next) => page = next,
            None => break,
        }
    }
    let mut back: Vec<String> = Vec::new();
    let mut current = Some(page);
    while let Some(p) = current {
        let (_, html) = osh.get(&p).await;
        let mut these = report_ids(&html);
        these.extend(back);
        back = these;
        current = rel_link(&html, "prev");
    }
    assert_eq!(back.len(), 135);
    assert_eq!(&back[5..], &expected[..]);
    let unique: std::collections::HashSet<&String> = back.iter().collect();
    assert_eq!(unique.len(), 135);

    // The filters stay on every page's links: the first day's 130 over three pages, not the
    // second day's 5.
    let filtered = walk(
        &osh,
        "/city?from=2026-03-01&to=2026-03-01&status=open",
        |_| {},
    )
    .await;
    assert_eq!(filtered, expected);
    let filtered = walk(&osh, "/city?from=2026-03-02&to=2026-03-02", |_| {}).await;
    assert_eq!(filtered.len(), 5);
}

#[tokio::test]
async fn each_filter_narrows_the_inbox() {
    let (t, osh) = offices().await;
    let dev = device(&t);
    let lib = building(
        &t,
        "Osh Central Library",
        "Osh",
        Some("Central"),
        40.51,
        72.80,
    );
    let clinic = building(&t, "Osh North Clinic", "Osh", Some("North"), 40.55, 72.79);
    let market = building(
        &t,
        "Osh Market Office",
        "Osh",
        Some("Central"),
        40.52,
        72.82,
    );
    let steps = ramp_none().with(Feature::EntranceStepCount, FeatureValue::Count(3));
    let ra = report(&t, dev, lib, steps, at(3, 2, 6));
    let rb = report(
        &t,
        dev,
        clinic,
        one(Feature::StepFreeEntrance, FeatureValue::Bool(true)),
        at(3, 3, 6),
    );
    let rc1 = report(
        &t,
        dev,
        market,
        one(Feature::ElevatorWorking, FeatureValue::Bool(false)),
        at(3, 4, 6),
    );
    let rc2 = report(
        &t,
        dev,
        market,
        one(Feature::DoorWidth, FeatureValue::Centimetres(70)),
        at(3, 10, 6),
    );
    let osh_user = user_id(&t, "osh");
    answer(&t, osh_user, rb, IssueStatus::Resolved, None, at(3, 5, 6));
    answer(
        &t,
        osh_user,
        rc1,
        IssueStatus::InProgress,
        None,
        at(3, 5, 6),
    );

    let ids = |v: &[Uuid]| v.iter().map(|u| u.to_string()).collect::<Vec<_>>();
    let cases: Vec<(String, Vec<Uuid>)> = vec![
        ("/city".into(), vec![rc2, rc1, rb, ra]),
        ("/city?status=open".into(), vec![rc2, ra]),
        ("/city?status=waiting".into(), vec![rc2, rc1, ra]),
        ("/city?status=resolved".into(), vec![rb]),
        ("/city?district=North".into(), vec![rb]),
        ("/city?district=Central&status=open".into(), vec![rc2, ra]),
        ("/city?feature=elevator_working".into(), vec![rc1]),
        ("/city?feature=ramp".into(), vec![ra]),
        (format!("/city?building={market}"), vec![rc2, rc1]),
        ("/city?from=2026-03-04".into(), vec![rc2, rc1]),
        ("/city?to=2026-03-03".into(), vec![rb, ra]),
        ("/city?from=2026-03-03&to=2026-03-04".into(), vec![rc1, rb]),
        ("/city?steps=1".into(), vec![ra]),
        ("/city?steps=1&status=resolved".into(), vec![]),
        // Unknown values are ignored rather than refused.
        (
            "/city?status=bogus&feature=nothing".into(),
            vec![rc2, rc1, rb, ra],
        ),
    ];
    for (page, want) in &cases {
        let (s, html) = osh.get(page).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert_eq!(report_ids(&html), ids(want), "{page}");
        assert_eq!(found(&html), want.len(), "{page}");
    }
    // The map draws the same filtered set: one mark per building.
    let (_, html) = osh.get("/city/map?district=Central").await;
    assert_eq!(html.matches("<g class=\"mark ").count(), 2, "{html}");
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<title id=\"map-title\">Map of 3 reports about 2 buildings</title>"));
    assert!(html.contains(
        "Osh Market Office</a> (Central): reports: 2; not answered: 1; being handled: 1"
    ));
    assert!(
        !html.contains("Osh North Clinic</a>"),
        "not on the map's list"
    );
    assert!(
        html.contains("href=\"/city?district=Central\""),
        "the table's equivalent"
    );
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing from another host"
    );
    let (_, html) = osh.get("/city/map?steps=1").await;
    assert_eq!(html.matches("<g class=\"mark ").count(), 1);
    assert!(html.contains("mark-unanswered"));

    // A wrong date says so and filters nothing.
    let (s, html) = osh.get("/city?from=yesterday").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<a href=\"#from\">Enter the date as year-month-day"));
    assert_eq!(found(&html), 4);
    let (_, html) = osh.get("/city?from=2026-03-10&to=2026-03-01").await;
    assert!(html.contains("<a href=\"#to\">The end date cannot be before the start date"));
    // The filters offer this city's districts and buildings.
    let (_, html) = osh.get("/city").await;
    assert!(html.contains("<option value=\"North\">North</option>"));
    assert!(html.contains(&format!(
        "<option value=\"{market}\">Osh Market Office (Central)</option>"
    )));
}

/// Splits one CSV line (quoted fields, doubled quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

#[tokio::test]
async fn the_digest_counts_what_was_counted_by_hand() {
    let (t, osh) = offices().await;
    let dev = device(&t);
    let by = user_id(&t, "osh");
    let a = building(&t, "Osh A", "Osh", Some("Central"), 40.51, 72.80);
    let b = building(&t, "Osh B", "Osh", Some("Central"), 40.52, 72.81);
    let c = building(&t, "Osh C", "Osh", Some("North"), 40.55, 72.79);
    let d = building(&t, "Osh D", "Osh", None, 40.50, 72.83);
    let e = building(&t, "Bishkek E", "Bishkek", Some("Central"), 42.87, 74.59);
    let h = Duration::hours;

    let r1 = report(&t, dev, a, ramp_none(), at(3, 2, 6));
    answer(
        &t,
        by,
        r1,
        IssueStatus::Acknowledged,
        None,
        at(3, 2, 6) + h(2),
    );
    answer(&t, by, r1, IssueStatus::Resolved, None, at(3, 2, 6) + h(50));
    let r2 = report(
        &t,
        dev,
        a,
        ramp_none().with(Feature::DoorWidth, FeatureValue::Centimetres(70)),
        at(3, 3, 6),
    );
    answer(
        &t,
        by,
        r2,
        IssueStatus::InProgress,
        None,
        at(3, 3, 6) + h(10),
    );
    let r3 = report(
        &t,
        dev,
        b,
        one(Feature::ElevatorWorking, FeatureValue::Bool(false)),
        at(3, 5, 6),
    );
    let r4 = report(
        &t,
        dev,
        c,
        one(
            Feature::Toilet,
            FeatureValue::Access(teng_core::accessibility::AccessLevel::No),
        ),
        at(3, 10, 6),
    );
    answer(
        &t,
        by,
        r4,
        IssueStatus::NotResponsible,
        Some("Private building"),
        at(3, 10, 6) + h(30),
    );
    let r5 = phone_report(&t, dev, d, Facts::new(), Some("Rude guard"), at(3, 12, 6));
    let r6 = report(
        &t,
        dev,
        a,
        one(Feature::DoorWidth, FeatureValue::Centimetres(75)),
        at(3, 20, 6),
    );
    answer(&t, by, r6, IssueStatus::Resolved, None, at(3, 20, 6) + h(4));
    store(&t)
        .push(
            PushActor::Device(dev),
            Uuid::new_v4(),
            &Mutation::ReopenReport {
                report_id: r6,
                note: None,
            },
            at(3, 21, 6),
        )
        .unwrap();
    // 23:00 on 31 March in Bishkek: inside. 00:30 on 1 April and 23:00 on 28 February: outside.
    let r8 = report(
        &t,
        dev,
        c,
        ramp_none(),
        Utc.with_ymd_and_hms(2026, 3, 31, 17, 0, 0).unwrap(),
    );
    report(
        &t,
        dev,
        c,
        ramp_none(),
        Utc.with_ymd_and_hms(2026, 3, 31, 18, 30, 0).unwrap(),
    );
    report(
        &t,
        dev,
        a,
        ramp_none(),
        Utc.with_ymd_and_hms(2026, 2, 28, 17, 0, 0).unwrap(),
    );
    let other = report(&t, dev, e, ramp_none(), at(3, 5, 6));
    answer(&t, by, other, IssueStatus::Resolved, None, at(3, 5, 7));

    let period = "from=2026-03-01&to=2026-03-31";
    let (s, csv) = osh.get(&format!("/city/digest.csv?{period}")).await;
    assert_eq!(s, StatusCode::OK);
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let rows: Vec<Vec<String>> = csv
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(csv_fields)
        .collect();
    assert_eq!(
        rows[0].join(","),
        "section,key,label,reports,unanswered,in_hand,resolved,not_responsible,value"
    );
    for r in &rows {
        assert_eq!(r.len(), 9, "{r:?}");
    }
    let get = |section: &str, key: &str| -> Vec<String> {
        rows.iter()
            .find(|r| r[0] == section && r[1] == key)
            .unwrap_or_else(|| panic!("no {section}/{key} in {rows:?}"))[3..]
            .to_vec()
    };
    let counts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        get("period", ""),
        counts(&["", "", "", "", "", "2026-03-01/2026-03-31"])
    );
    // r1 resolved, r2 in progress, r3 r5 r8 open, r4 not responsible, r6 reopened.
    assert_eq!(get("total", ""), counts(&["7", "4", "1", "1", "1", ""]));
    // First answers after 2, 10, 30 and 4 hours: the median is (4 + 10) / 2.
    assert_eq!(
        get("median_first_answer_hours", ""),
        counts(&["4", "0", "0", "0", "0", "7.0"])
    );
    assert_eq!(
        get("district", "Central"),
        counts(&["4", "2", "1", "1", "0", ""])
    );
    assert_eq!(
        get("district", "North"),
        counts(&["2", "1", "0", "0", "1", ""])
    );
    assert_eq!(get("district", ""), counts(&["1", "1", "0", "0", "0", ""]));
    assert_eq!(
        get("feature", "ramp"),
        counts(&["3", "1", "1", "1", "0", ""])
    );
    assert_eq!(
        get("feature", "door_width_cm"),
        counts(&["2", "1", "1", "0", "0", ""])
    );
    assert_eq!(
        get("feature", "elevator_working"),
        counts(&["1", "1", "0", "0", "0", ""])
    );
    assert_eq!(
        get("feature", "toilet"),
        counts(&["1", "0", "0", "0", "1", ""])
    );
    assert_eq!(
        get("feature", "note_only"),
        counts(&["1", "1", "0", "0", "0", ""])
    );
    let oldest: Vec<&String> = rows
        .iter()
        .filter(|r| r[0] == "oldest_unanswered")
        .map(|r| &r[1])
        .collect();
    let want: Vec<String> = [r3, r5, r6, r8].iter().map(|u| u.to_string()).collect();
    assert_eq!(oldest, want.iter().collect::<Vec<_>>());
    let top: Vec<(&String, &String)> = rows
        .iter()
        .filter(|r| r[0] == "building")
        .map(|r| (&r[2], &r[3]))
        .collect();
    let top: Vec<(&str, &str)> = top.iter().map(|(n, c)| (n.as_str(), c.as_str())).collect();
    assert_eq!(
        top,
        vec![
            ("Osh A", "3"),
            ("Osh C", "2"),
            ("Osh B", "1"),
            ("Osh D", "1")
        ]
    );
    assert!(!csv.contains("Bishkek E"));

    // The page and the file say the same.
    let (s, html) = osh.get(&format!("/city/digest?{period}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<li><strong>7</strong> Reports received</li>"),
        "{html}"
    );
    assert!(html.contains("<li><strong>4</strong> Not answered</li>"));
    assert!(html.contains(
        "<strong>7 hours</strong> Median time to the first answer (over 4 answered reports)"
    ));
    assert!(
        html.contains("href=\"/city/digest.csv?from=2026-03-01&#38;to=2026-03-31\""),
        "{html}"
    );
    assert_eq!(html.matches("<h1>").count(), 1);
    let r = osh
        .get_response(&format!("/city/digest.html?{period}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        disposition,
        "attachment; filename=\"teng-digest-2026-03-01-2026-03-31.html\""
    );
    let file = r.text().await.unwrap();
    assert!(file.contains("<style>") && !file.contains("<link") && !file.contains("src="));
    assert!(file.contains("<li><strong>7</strong> Reports received</li>"));
    assert!(file.contains("7 hours"));
    assert!(
        !file.contains("href=\"/"),
        "no links back to the site in the file"
    );

    // A period after everything: zeros, no median.
    let (_, csv) = osh
        .get("/city/digest.csv?from=2026-04-02&to=2026-04-30")
        .await;
    assert!(
        csv.contains("\r\ntotal,,All reports,0,0,0,0,0,\r\n"),
        "{csv}"
    );
    assert!(csv
        .contains("\r\nmedian_first_answer_hours,,Median time to the first answer,0,0,0,0,0,\r\n"));
    // A wrong period is an error on the form, and on a download link.
    let (s, html) = osh.get("/city/digest?from=2026-03-31&to=2026-03-01").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("<a href=\"#to\">The end date cannot be before the start date</a>"));
    let (s, _) = osh.get("/city/digest.csv?from=someday").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

/// Issue 14: a building's owner cannot move its reports out of the city office's inbox by spelling
/// the city another way (case, Cyrillic or Latin, a hyphen, an invisible character): the scope
/// compares the city's normalized key. And a report an admin hid is out of the inbox, the digest
/// and the exports, while the other office still sees none of it.
#[tokio::test]
async fn no_spelling_of_the_city_leaves_its_inbox_and_hidden_reports_stay_out() {
    let (t, osh) = offices().await;
    let bishkek = Browser::new(&t, "en");
    bishkek.login("bishkek").await;
    let dev = device(&t);
    let spellings = [
        "Bishkek",
        "БИШКЕК",
        "бишкек",
        "Bish\u{200b}kek",
        "Bish-kek ",
    ];
    let mut reports = Vec::new();
    for (i, city) in spellings.iter().enumerate() {
        let b = building(
            &t,
            &format!("Office {i}"),
            city,
            Some("Leninsky"),
            42.87,
            74.6,
        );
        reports.push(report(&t, dev, b, ramp_none(), at(3, 1 + i as u32, 9)));
    }
    let (s, html) = bishkek.get("/city/reports").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(found(&html), spellings.len(), "{html}");
    let (_, html) = osh.get("/city/reports").await;
    assert_eq!(found(&html), 0);
    // The office's own city in any spelling is its own; the API agrees with the pages.
    let token = t.login("bishkek").await;
    let (s, v) = t
        .get(
            "/v1/city/reports?city=%D0%B1%D0%B8%D1%88%D0%BA%D0%B5%D0%BA",
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["items"].as_array().map(Vec::len),
        Some(spellings.len()),
        "{v}"
    );

    // An admin hides one: out of the inbox, the digest and the API list.
    let admin = user_id(&t, "root");
    store(&t)
        .hide_report(reports[1], "a test of hiding", admin, at(4, 1, 0))
        .unwrap();
    let (_, html) = bishkek.get("/city/reports").await;
    assert_eq!(found(&html), spellings.len() - 1);
    assert!(!report_ids(&html).contains(&reports[1].to_string()));
    let (_, v) = t.get("/v1/city/reports", Some(&token)).await;
    assert_eq!(
        v["items"].as_array().map(Vec::len),
        Some(spellings.len() - 1),
        "{v}"
    );
    let (s, csv) = bishkek
        .get("/city/digest.csv?from=2026-01-01&to=2026-12-31")
        .await;
    assert_eq!(s, StatusCode::OK);
    let total = csv
        .lines()
        .find(|l| l.starts_with("total,"))
        .map(csv_fields)
        .unwrap_or_else(|| panic!("no total line in {csv}"));
    assert_eq!(total[3], (spellings.len() - 1).to_string(), "{csv}");
}

/// Over `COUNT_LIMIT` (1000) matching reports the inbox says "more than 1000" instead of counting
/// them all, and its pages still walk every report exactly once, newest first, forwards and back.
#[tokio::test]
async fn past_a_thousand_reports_the_count_stops_and_paging_still_walks_every_one() {
    let (t, osh) = offices().await;
    let halls: Vec<Uuid> = (0..3)
        .map(|i| {
            building(
                &t,
                &format!("Osh Hall {i}"),
                "Osh",
                Some("Central"),
                40.51,
                72.8,
            )
        })
        .collect();
    let base = at(2, 1, 6);
    let mut expected: Vec<(DateTime<Utc>, String)> = Vec::new();
    let mut dev = device(&t);
    for i in 0..1_080i64 {
        if i % 4 == 0 {
            dev = device(&t);
        }
        let when = base + Duration::minutes(i / 2);
        let id = report(&t, dev, halls[(i % 3) as usize], ramp_none(), when);
        expected.push((when, id.to_string()));
    }
    expected.sort_by(|x, y| y.cmp(x));
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();

    let (_, html) = osh.get("/city").await;
    assert!(html.contains("Reports found: more than 1000."), "{html}");
    let (_, map) = osh.get("/city/map").await;
    assert!(map.contains("Reports found: more than 1000."), "{map}");
    assert!(html.contains("This page: 1 to 50."));
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut page = Some("/city".to_string());
    while let Some(p) = page {
        let (s, html) = osh.get(&p).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        seen.extend(report_ids(&html));
        page = rel_link(&html, "next");
        pages.push(html);
        assert!(pages.len() < 30, "runaway paging");
    }
    assert_eq!(seen, expected);
    // A page's place is counted up to the thousandth report; past it, nothing wrong is said.
    let last = pages.last().unwrap();
    assert!(pages[pages.len() - 2].contains("This page: 1001 to 1050."));
    assert!(!last.contains("This page:"), "{last}");
    // Back from the last page: the page before it, exactly.
    let prev = rel_link(last, "prev").expect("a previous page link");
    let (_, html) = osh.get(&prev).await;
    assert_eq!(report_ids(&html), report_ids(&pages[pages.len() - 2]));
}

/// The building filter lists at most 200 buildings (by name) and says so; a chosen district lists
/// its own buildings only.
#[tokio::test]
async fn the_building_filter_lists_at_most_200_and_narrows_to_the_district() {
    let (t, osh) = offices().await;
    let dev = device(&t);
    for i in 0..205 {
        let district = if i == 7 { "North" } else { "Central" };
        let b = building(
            &t,
            &format!("Hall {i:03}"),
            "Osh",
            Some(district),
            40.51,
            72.8,
        );
        report(&t, dev, b, ramp_none(), at(3, 1, 9));
    }
    let select = |html: &str| {
        let from = &html[html.find("id=\"f-building\"").unwrap()..];
        from[..from.find("</select>").unwrap()].to_string()
    };
    let options = |html: &str| select(html).matches("<option").count();
    let (_, html) = osh.get("/city").await;
    assert!(
        html.contains("Only the first 200 buildings by name are listed."),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"f-building-hint\""));
    assert_eq!(options(&html), 201, "200 buildings and \"any\"");
    assert!(select(&html).contains(">Hall 199 (Central)<"));
    assert!(!select(&html).contains(">Hall 200"));
    let (_, html) = osh.get("/city?district=North").await;
    assert!(!html.contains("f-building-hint"));
    assert_eq!(options(&html), 2);
    assert!(select(&html).contains(">Hall 007 (North)<"));
    // A building the list leaves out stays chosen (a form sent again keeps filtering by it).
    let hall_204 = building_id_named(&t, "Hall 204");
    let (_, html) = osh.get(&format!("/city?building={hall_204}")).await;
    assert!(
        select(&html).contains(&format!(
            "value=\"{hall_204}\" selected>Hall 204 (Central)<"
        )),
        "{}",
        select(&html)
    );
}

fn building_id_named(t: &TestServer, name: &str) -> Uuid {
    store(t)
        .list_buildings(&teng_server::storage::BuildingFilter {
            limit: 10_000,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find(|b| b.building.name == name)
        .unwrap()
        .building
        .id
}

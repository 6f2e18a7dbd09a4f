//! The buildings pages (`/manage/buildings...`) over HTTP against a real server, as a browser uses
//! them: the table, the form and its coordinates check, the building's page, measured surveys,
//! CSRF, sessions, limits, and another organization's buildings.

mod common;

use common::web::{location, Browser};
use common::TestServer;
use reqwest::StatusCode;
use serde_json::Value;
use teng_core::accessibility::{BuildingSummary, Lang};
use teng_server::auth::Role;
use uuid::Uuid;

/// A server, an organization with an ngo user, and a browser logged in as that user.
async fn ngo_browser(lang: &str) -> (TestServer, Uuid, String, Browser) {
    let t = TestServer::start().await;
    let (org, token) = t.ngo("akjol").await;
    let b = Browser::new(&t, lang);
    b.login("akjol").await;
    (t, org, token, b)
}

/// The fields of a complete, valid building form.
fn good_fields() -> Vec<(&'static str, String)> {
    [
        ("name", "Офис «Ак-Жол»"),
        ("street", "Чуй проспекти, 120"),
        ("city", "Бишкек"),
        ("district", "Ленин району"),
        ("region", "bishkek"),
        ("lat", "42,8746"),
        ("lon", "74.5698"),
        ("osm_id", "way/123456"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

fn with(fields: &[(&'static str, String)], name: &str, value: &str) -> Vec<(&'static str, String)> {
    fields
        .iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == name {
                    value.to_string()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The value of the first hidden input named `name` on a page.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + needle.len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

/// The building id in a redirect to `/manage/buildings/{id}?...`.
fn building_id(location: &str) -> Uuid {
    let rest = location
        .strip_prefix("/manage/buildings/")
        .unwrap_or_else(|| panic!("not a building page: {location}"));
    rest.split(['?', '/']).next().unwrap().parse().unwrap()
}

/// Registers a building through the form; returns its id.
async fn create(b: &Browser, fields: &[(&'static str, String)]) -> Uuid {
    let r = b
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(fields),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let to = location(&r);
    assert!(to.ends_with("?created=1"), "{to}");
    building_id(&to)
}

/// HTML text back to plain text (what askama escapes).
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The text of the building page's summary paragraph.
fn summary_on_page(html: &str) -> String {
    let open = "<p class=\"building-summary\" id=\"building-summary\">";
    let at = html
        .find(open)
        .unwrap_or_else(|| panic!("no summary in {html}"))
        + open.len();
    unescape(&html[at..at + html[at..].find("</p>").unwrap()])
}

/// The building's summary as the API gives it, worded by the core in `lang`.
async fn core_sentence(t: &TestServer, id: Uuid, lang: Lang) -> String {
    let (s, v) = t.get(&format!("/v1/buildings/{id}/summary"), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let summary: BuildingSummary = serde_json::from_value(v).unwrap();
    summary.summary_text(lang, chrono::Utc::now())
}

async fn reports_of(t: &TestServer, id: Uuid) -> Vec<Value> {
    let (s, v) = t.get(&format!("/v1/buildings/{id}/reports"), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

async fn stored_building(t: &TestServer, token: &str, id: Uuid) -> Value {
    let (s, v) = t.get(&format!("/v1/buildings/{id}"), Some(token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_building_is_registered_shown_listed_and_edited() {
    let (t, org, token, b) = ngo_browser("en").await;

    let (s, html) = b.get("/manage/buildings/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<title>Register a building — Teng</title>"),
        "{html}"
    );
    for id in [
        "name", "street", "city", "district", "region", "lat", "lon", "osm_id",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no input {id}");
        assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
    }
    assert!(
        !html.contains("id=\"organization\""),
        "ngo users register for their own organization"
    );

    let id = create(&b, &good_fields()).await;
    let stored = stored_building(&t, &token, id).await;
    assert_eq!(stored["name"], "Офис «Ак-Жол»");
    assert_eq!(stored["address"]["district"], "Ленин району");
    assert_eq!(
        stored["location"]["lat"], 42.8746,
        "a decimal comma is read"
    );
    assert_eq!(stored["osm_id"], "way/123456");
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.organization_id, Some(org));

    let (s, html) = b.get(&format!("/manage/buildings/{id}?created=1")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<h1>Офис «Ак-Жол»</h1>"), "{html}");
    assert!(html.contains("role=\"status\">The building is registered."));
    assert_eq!(summary_on_page(&html), "No survey yet.");
    assert!(html.contains("<dd>Чуй проспекти, 120</dd>"));
    assert!(
        html.contains("Latitude 42.8746, Longitude 74.5698"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/manage/buildings/{id}/survey\"")));

    let (s, html) = b.get("/manage/buildings").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<title>Buildings — Teng</title>"));
    assert!(html.contains(&format!(
        "<a href=\"/manage/buildings/{id}\">Офис «Ак-Жол»</a>"
    )));
    assert!(html.contains("<td class=\"summary-cell\">No survey yet.</td>"));

    // The edit form is filled from the building, with its version; a save keeps the organization.
    let edit = format!("/manage/buildings/{id}/edit");
    let (s, html) = b.get(&edit).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"Офис «Ак-Жол»\""));
    assert!(html.contains("<option value=\"bishkek\" selected>"));
    assert_eq!(hidden(&html, "version"), "1");
    let mut fields = with(&good_fields(), "name", "Офис на Чуй");
    fields.push(("version", "1".into()));
    let r = b.submit(&edit, &edit, &refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/manage/buildings/{id}?saved=1"));
    let (_, html) = b.get(&location(&r)).await;
    assert!(html.contains("<h1>Офис на Чуй</h1>"));
    assert!(html.contains("Your changes are saved."));
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.building.name, "Офис на Чуй");
    assert_eq!(record.version, 2);
    assert_eq!(record.organization_id, Some(org));

    // A save made against version 1 now shows both versions and overwrites nothing.
    let mut stale = with(&good_fields(), "name", "Старое имя");
    stale.push(("version", "1".into()));
    let r = b.submit(&edit, &edit, &refs(&stale)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("Someone changed this building before you"));
    assert!(html.contains("<dd>Офис на Чуй</dd>"), "theirs is shown");
    assert!(
        html.contains("value=\"Старое имя\""),
        "yours stays in the form"
    );
    assert_eq!(hidden(&html, "version"), "2");
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.building.name, "Офис на Чуй");
}

#[tokio::test]
async fn coordinates_outside_kyrgyzstan_are_refused_naming_the_field() {
    let (t, _org, _token, b) = ngo_browser("en").await;
    // Moscow, said to be in Bishkek.
    let moscow = with(&with(&good_fields(), "lat", "55.7558"), "lon", "37.6173");
    let r = b
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(&moscow),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<title>Error: Register a building — Teng</title>"));
    assert!(
        html.contains(
            "<li><a href=\"#lat\">This point lies outside Kyrgyzstan. Check the coordinates. \
             If the building is abroad, choose “abroad” as the region.</a></li>"
        ),
        "{html}"
    );
    assert_eq!(html.matches("<li><a href=\"#").count(), 1, "{html}");
    assert!(html.contains("id=\"lat-error\""));
    // Both coordinates are marked, the longitude described by the pair's message.
    assert!(
        html.contains(
            "value=\"55.7558\" aria-describedby=\"location-hint lat-error\" aria-invalid=\"true\""
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "value=\"37.6173\" aria-describedby=\"location-hint lat-error\" aria-invalid=\"true\""
        ),
        "{html}"
    );
    assert!(html.contains("value=\"Офис «Ак-Жол»\""), "typed input kept");
    assert!(html.contains("value=\"way/123456\""));
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 0);

    // Not numbers: each coordinate names itself.
    let words = with(&with(&good_fields(), "lat", "north"), "lon", "");
    let r = b
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(&words),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<li><a href=\"#lat\">Latitude must be a number, for example 42.87</a></li>"),
        "{html}"
    );
    assert!(
        html.contains("<li><a href=\"#lon\">Enter longitude</a></li>"),
        "{html}"
    );
    assert!(html.contains("value=\"north\""));

    // The same point, in Russian, says so in Russian.
    let ru = Browser::new(&t, "ru");
    ru.login("akjol").await;
    let r = ru
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(&moscow),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<li><a href=\"#lat\">Эта точка находится за пределами Кыргызстана."),
        "{html}"
    );
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 0);

    // A building abroad is fine once its region says so.
    let id = create(&b, &with(&moscow, "region", "abroad")).await;
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.building.location.lat, 55.7558);
}

#[tokio::test]
async fn wrong_codes_are_named_by_field_and_what_was_typed_stays() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let fields = with(
        &with(&good_fields(), "region", "atlantis"),
        "osm_id",
        "street/12",
    );
    let fields = with(&fields, "name", "  ");
    let r = b
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(&fields),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<li><a href=\"#region\">Choose a region from the list</a></li>"),
        "{html}"
    );
    assert!(html.contains(
        "<li><a href=\"#osm_id\">Enter the OpenStreetMap id as node/123, way/123 or relation/123</a></li>"
    ));
    assert!(html.contains("<li><a href=\"#name\">"), "{html}");
    assert_eq!(html.matches("<li><a href=\"#").count(), 3, "{html}");
    assert!(html.contains("id=\"region\" name=\"region\" required aria-invalid=\"true\""));
    assert!(html.contains("value=\"street/12\""));
    assert!(html.contains("value=\"Чуй проспекти, 120\""));
    assert!(html.contains("value=\"42,8746\""), "typed as typed");
    assert!(!html.contains(" selected>"), "no region is chosen");
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 0);

    // The survey: a code that is not an option, and words where a number goes.
    let id = t.building(&token, "Бишкек").await;
    let survey = format!("/manage/buildings/{id}/survey");
    let r = b
        .submit(
            &survey,
            &survey,
            &[
                ("toilet", "maybe"),
                ("door_width_cm", "wide"),
                ("workplace_floor", "0"),
                ("entrance_step_free", "yes"),
                ("note", "Вход со двора"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<title>Error: Accessibility survey: Office on Chuy — Teng</title>"));
    assert!(html.contains(
        "<li><a href=\"#door_width_cm\">Entrance door width: enter a whole number from 30 to 300</a></li>"
    ), "{html}");
    assert!(
        html.contains(
            "<li><a href=\"#toilet\">Accessible toilet: choose one of the options</a></li>"
        ),
        "{html}"
    );
    assert!(html.contains("<li><a href=\"#workplace_floor\">"), "{html}");
    assert_eq!(html.matches("<li><a href=\"#").count(), 3, "{html}");
    assert!(html.contains("value=\"wide\" aria-describedby=\"door_width_cm-hint door_width_cm-error\" aria-invalid=\"true\""), "{html}");
    assert!(
        html.contains(
            "id=\"entrance_step_free\" name=\"entrance_step_free\" value=\"yes\" checked"
        ),
        "the answered radio stays checked: {html}"
    );
    assert!(html.contains(">Вход со двора</textarea>"));
    assert!(reports_of(&t, id).await.is_empty());

    // Nothing at all recorded is a message too, not an empty report.
    let r = b.submit(&survey, &survey, &[("elevator", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<li><a href=\"#facts\">Record at least one fact or write a note</a></li>"),
        "{html}"
    );
    assert!(reports_of(&t, id).await.is_empty());
}

#[tokio::test]
async fn a_recorded_survey_shows_the_buildings_summary_in_the_readers_language() {
    let t = TestServer::start().await;
    let (org, token) = t.ngo("akjol").await;

    // A member of an organization nobody has verified yet: the survey counts like a visitor's,
    // and the form says so before it is sent.
    let first = t.building(&token, "Бишкек").await;
    let b = Browser::new(&t, "en");
    b.login("akjol").await;
    let survey = format!("/manage/buildings/{first}/survey");
    let (_, html) = b.get(&survey).await;
    assert!(
        html.contains("This survey is recorded as: measured, anonymous visitor."),
        "{html}"
    );
    let r = b
        .submit(&survey, &survey, &[("entrance_step_free", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let reports = reports_of(&t, first).await;
    assert_eq!(reports[0]["report"]["reporter_kind"], "anonymous");
    // Once an admin verifies the organization, its members are verified surveyors.
    let storage = &t.server.state.storage;
    let mut current = storage.get_organization(org).unwrap().unwrap();
    current.record.verified = true;
    storage
        .update_organization(&current.record, current.version, chrono::Utc::now())
        .unwrap();

    let mut last = None;
    for (lang, code, notice, no_survey, surveyor) in [
        (
            "ky",
            Lang::Kyrgyz,
            "Текшерүүнүн жыйынтыгы сакталды.",
            "Азырынча текшерилген эмес.",
            "өлчөнгөн, текшерилген изилдөөчү.",
        ),
        (
            "ru",
            Lang::Russian,
            "Результаты обследования сохранены.",
            "Обследования ещё не было.",
            "Обследование будет записано так: измерено, проверенный обследователь.",
        ),
        (
            "en",
            Lang::English,
            "The survey is saved.",
            "No survey yet.",
            "This survey is recorded as: measured, verified surveyor.",
        ),
    ] {
        let id = t.building(&token, "Бишкек").await;
        let b = Browser::new(&t, lang);
        b.login("akjol").await;
        let page = format!("/manage/buildings/{id}");
        let (_, html) = b.get(&page).await;
        assert_eq!(summary_on_page(&html), no_survey, "{lang}");

        let survey = format!("{page}/survey");
        let (s, html) = b.get(&survey).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.contains(surveyor), "{lang}: {html}");
        let r = b
            .submit(
                &survey,
                &survey,
                &[
                    ("entrance_step_free", "yes"),
                    ("door_width_cm", "95"),
                    ("elevator", "no"),
                    ("toilet", "yes"),
                    ("hearing_loop", ""),
                    ("sign_language_staff", "yes"),
                    ("sign_languages", "rsl"),
                    ("note", "Звонок у двери"),
                    ("observed_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{lang}");
        assert_eq!(location(&r), format!("{page}?surveyed=1"));
        let (_, html) = b.get(&location(&r)).await;
        assert!(html.contains(notice), "{lang}: {html}");
        let sentence = summary_on_page(&html);
        assert_ne!(sentence, no_survey, "{lang}");
        assert_eq!(sentence, core_sentence(&t, id, code).await, "{lang}");
        // The list shows the same sentence.
        let (_, list) = b.get("/manage/buildings").await;
        assert!(
            unescape(&list).contains(&format!("<td class=\"summary-cell\">{sentence}</td>")),
            "{lang}: {list}"
        );

        // Recorded as a measured survey by a verified surveyor; "not checked" is left out.
        let reports = reports_of(&t, id).await;
        assert_eq!(reports.len(), 1, "{lang}");
        let report = &reports[0]["report"];
        assert_eq!(report["method"], "measured", "{report}");
        assert_eq!(report["reporter_kind"], "verified_surveyor", "{report}");
        let facts = report["facts"].as_object().unwrap();
        assert_eq!(
            facts["entrance_step_free"],
            serde_json::json!({ "bool": true }),
            "{report}"
        );
        assert_eq!(
            facts["door_width_cm"],
            serde_json::json!({ "centimetres": 95 }),
            "{report}"
        );
        assert_eq!(
            facts["elevator"],
            serde_json::json!({ "bool": false }),
            "{report}"
        );
        assert!(!facts.contains_key("hearing_loop"), "{report}");
        assert_eq!(facts.len(), 5, "{report}");
        assert_eq!(report["note"][lang], "Звонок у двери", "{report}");
        last = Some(id);
    }
    // Each language's sentence is its own.
    let any = last.expect("a surveyed building");
    let ky = core_sentence(&t, any, Lang::Kyrgyz).await;
    let ru = core_sentence(&t, any, Lang::Russian).await;
    let en = core_sentence(&t, any, Lang::English).await;
    assert!(ky != ru && ru != en && ky != en);
}

#[tokio::test]
async fn every_post_needs_the_csrf_token_and_every_page_a_live_session() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let id = t.building(&token, "Бишкек").await;
    let mut edit = with(&good_fields(), "name", "Changed");
    edit.push(("version", "1".into()));
    let survey = vec![("entrance_step_free", "yes".to_string())];
    let posts = [
        ("/manage/buildings/new".to_string(), good_fields()),
        (format!("/manage/buildings/{id}/edit"), edit.clone()),
        (format!("/manage/buildings/{id}/survey"), survey.clone()),
    ];
    for (path, fields) in &posts {
        let r = b.post(path, &refs(fields)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} without a token");
        let html = r.text().await.unwrap();
        assert!(!html.contains("Changed"), "{path}");
        let mut wrong = refs(fields);
        wrong.push(("csrf", "0123456789abcdef"));
        let r = b.post(path, &wrong).await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
        // Another session's token is no better.
        let other = Browser::new(&t, "en");
        other.login("root").await;
        let (_, html) = other.get("/manage/buildings/new").await;
        let theirs = common::web::csrf_of(&html).unwrap();
        let mut foreign = refs(fields);
        foreign.push(("csrf", theirs.as_str()));
        let r = b.post(path, &foreign).await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} with another session's token"
        );
    }
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 1);
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.version, 1);
    assert_eq!(record.building.name, "Office on Chuy");
    assert!(reports_of(&t, id).await.is_empty());

    // No session: to the login form, and nothing is changed.
    let stranger = Browser::new(&t, "en");
    let pages = [
        "/manage/buildings".to_string(),
        "/manage/buildings/new".to_string(),
        format!("/manage/buildings/{id}"),
        format!("/manage/buildings/{id}/edit"),
        format!("/manage/buildings/{id}/survey"),
    ];
    for page in &pages {
        let r = stranger.get_response(page).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{page}");
        assert!(
            location(&r).starts_with("/login?next=/manage/buildings"),
            "{}",
            location(&r)
        );
    }
    for (path, fields) in &posts {
        let r = stranger.post(path, &refs(fields)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&r).starts_with("/login?next="), "{}", location(&r));
    }

    // A session ended elsewhere: back to login, told why; a post made with the old page's
    // token changes nothing.
    let (_, html) = b.get(&format!("/manage/buildings/{id}/edit")).await;
    let old_token = common::web::csrf_of(&html).unwrap();
    let user = t
        .server
        .state
        .storage
        .user_by_name("akjol")
        .unwrap()
        .unwrap()
        .user;
    t.server
        .state
        .storage
        .revoke_user_tokens(user.id, chrono::Utc::now())
        .unwrap();
    for page in &pages {
        let r = b.get_response(page).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{page}");
        assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    }
    for (path, fields) in &posts {
        let mut with_token = refs(fields);
        with_token.push(("csrf", old_token.as_str()));
        let r = b.post(path, &with_token).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    }
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 1);
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.version, 1);
    assert!(reports_of(&t, id).await.is_empty());
}

#[tokio::test]
async fn another_organizations_building_is_not_found_anywhere() {
    let (t, _org, _token, b) = ngo_browser("en").await;
    let (_, other) = t.ngo("bravo").await;
    let (s, v) = t
        .post(
            "/v1/buildings",
            Some(&other),
            serde_json::json!({
                "name": "Secret Bravo depot",
                "address": { "street": "7 Hidden Lane", "city": "Ош", "region": "osh_city" },
                "location": { "lat": 40.5283, "lon": 72.7985 }
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id: Uuid = v["id"].as_str().unwrap().parse().unwrap();

    for page in [
        format!("/manage/buildings/{id}"),
        format!("/manage/buildings/{id}/edit"),
        format!("/manage/buildings/{id}/survey"),
        "/manage/buildings/not-a-uuid".to_string(),
        format!("/manage/buildings/{}", Uuid::now_v7()),
    ] {
        let (s, html) = b.get(&page).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{page}");
        assert!(html.contains("<h1>Page not found</h1>"), "{html}");
        assert!(!html.contains("Secret Bravo") && !html.contains("Hidden Lane"));
    }
    let mut edit = with(&good_fields(), "name", "Taken over");
    edit.push(("version", "1".into()));
    for (what, fields) in [
        ("edit", edit),
        ("survey", vec![("entrance_step_free", "no".to_string())]),
    ] {
        let r = b
            .submit(
                "/manage/buildings",
                &format!("/manage/buildings/{id}/{what}"),
                &refs(&fields),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{what}");
        let html = r.text().await.unwrap();
        assert!(!html.contains("Secret Bravo") && !html.contains("Hidden Lane"));
    }
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.building.name, "Secret Bravo depot");
    assert_eq!(record.version, 1);
    assert!(reports_of(&t, id).await.is_empty());
    let (_, html) = b.get("/manage/buildings").await;
    assert!(!html.contains("Secret Bravo"));
    assert!(html.contains("No buildings are registered yet."));

    // An admin sees every organization's buildings, and theirs is named.
    let admin = Browser::new(&t, "en");
    admin.login("root").await;
    let (_, html) = admin.get("/manage/buildings").await;
    assert!(html.contains("Secret Bravo depot"));
    assert!(html.contains("<td>bravo org</td>"), "{html}");
    let (s, _) = admin.get(&format!("/manage/buildings/{id}")).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_registers_a_building_for_an_organization_it_chooses() {
    let t = TestServer::start().await;
    let (org, _) = t.ngo("akjol").await;
    let admin = Browser::new(&t, "en");
    admin.login("root").await;
    let (_, html) = admin.get("/manage/buildings/new").await;
    assert!(html.contains(&format!("<option value=\"{org}\">akjol org</option>")));
    let mut fields = good_fields();
    fields.push(("organization", Uuid::now_v7().to_string()));
    let r = admin
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(&fields),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html
        .contains("<li><a href=\"#organization\">Choose an organization from the list</a></li>"));
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 0);
    let mut fields = good_fields();
    fields.push(("organization", org.to_string()));
    let id = create(&admin, &fields).await;
    let record = t.server.state.storage.get_building(id).unwrap().unwrap();
    assert_eq!(record.organization_id, Some(org));
    // The organization's staff can now manage it.
    let b = Browser::new(&t, "en");
    b.login("akjol").await;
    let (s, _) = b.get(&format!("/manage/buildings/{id}/edit")).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn an_oversized_form_is_refused_and_other_roles_are_not_allowed() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let huge = "x".repeat(70 * 1024);
    let r = b
        .submit(
            "/manage/buildings/new",
            "/manage/buildings/new",
            &refs(&with(&good_fields(), "name", &huge)),
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("Too large"));
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 0);

    let id = t.building(&token, "Бишкек").await;
    let survey = format!("/manage/buildings/{id}/survey");
    let r = b
        .submit(
            &survey,
            &survey,
            &[("entrance_step_free", "yes"), ("note", huge.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reports_of(&t, id).await.is_empty());
    let edit = format!("/manage/buildings/{id}/edit");
    let mut fields = with(&good_fields(), "street", &huge);
    fields.push(("version", "1".into()));
    let r = b.submit(&edit, &edit, &refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        t.server
            .state
            .storage
            .get_building(id)
            .unwrap()
            .unwrap()
            .version,
        1
    );

    // A note over the core's limit but under the body limit is a message by its field.
    let long_note = "н".repeat(2001);
    let r = b
        .submit(
            &survey,
            &survey,
            &[("entrance_step_free", "yes"), ("note", long_note.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("<li><a href=\"#note\">"));
    assert!(reports_of(&t, id).await.is_empty());

    t.add_user("cityhall", Role::City, None, Some("Bishkek"));
    let city = Browser::new(&t, "ru");
    city.login("cityhall").await;
    for page in [
        "/manage/buildings".to_string(),
        "/manage/buildings/new".to_string(),
        format!("/manage/buildings/{id}"),
        survey.clone(),
    ] {
        let (s, html) = city.get(&page).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{page}");
        assert!(html.contains("<html lang=\"ru\">"));
        assert!(!html.contains("Office on Chuy"), "{page}");
    }
    let r = city
        .submit("/", &survey, &[("entrance_step_free", "no")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(reports_of(&t, id).await.is_empty());
}

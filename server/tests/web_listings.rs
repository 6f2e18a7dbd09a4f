//! The listings pages (`/manage/listings...`) over HTTP against a real server, as a browser uses
//! them: the table, the form, the preview, publish and close, stale edits, and who may see what.

mod common;

use common::web::{location, Browser};
use common::{listing_json, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
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

/// The fields of a complete, valid listing form in `building`.
fn good_fields(building: &str) -> Vec<(&'static str, String)> {
    [
        ("title", "Бухгалтер"),
        ("description", "Работа с документами в тихом офисе."),
        ("category", "accounting"),
        ("employment_type", "full_time"),
        ("work_mode", "on_site"),
        ("building_id", building),
        ("city", ""),
        ("region", ""),
        ("salary_min", "25 000"),
        ("salary_max", ""),
        ("salary_period", "month"),
        ("accommodations", "flexible_hours"),
        ("accommodations", "quiet_workspace"),
        ("languages", "ky"),
        ("languages", "ru"),
        ("apply_channel", "phone"),
        ("apply_value", "+996 555 123 456"),
        ("apply_channel", "email"),
        ("apply_value", ""),
        ("apply_channel", "in_person"),
        ("apply_value", ""),
        ("valid_through", "2099-01-31"),
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

/// The listing id in a redirect to `/manage/listings/{id}?...`.
fn listing_id(location: &str) -> String {
    let rest = location
        .strip_prefix("/manage/listings/")
        .unwrap_or_else(|| panic!("not a listing page: {location}"));
    rest.split(['?', '/']).next().unwrap().to_string()
}

/// Creates a listing through the form; returns its id.
async fn create(b: &Browser, fields: &[(&'static str, String)]) -> String {
    let r = b
        .submit(
            "/manage/listings/new",
            "/manage/listings/new",
            &refs(fields),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    listing_id(&location(&r))
}

/// Posts the preview's Publish or Close form (`what`: "publish" or "close").
async fn act(b: &Browser, id: &str, what: &str) -> reqwest::Response {
    let page = format!("/manage/listings/{id}");
    let (_, html) = b.get(&page).await;
    let version = hidden(&html, "version");
    b.submit(
        &page,
        &format!("/manage/listings/{id}/{what}"),
        &[("version", version.as_str())],
    )
    .await
}

/// A listing made through the API with these changes to the test listing.
async fn api_listing(t: &TestServer, token: &str, changes: Value) -> Value {
    let building = t.building(token, "Bishkek").await;
    let mut body = listing_json(building);
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, v) = t.post("/v1/listings", Some(token), body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

async fn api_publish(t: &TestServer, token: &str, l: &Value) -> Value {
    let (s, v) = t
        .post(
            &format!("/v1/listings/{}/publish", l["id"].as_str().unwrap()),
            Some(token),
            json!({ "version": l["version"] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// The `<tr>` of the table that contains `needle`.
fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {html}"));
    let start = html[..at].rfind("<tr>").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn a_listing_is_created_with_every_problem_named_then_published_to_phones_and_closed() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let fields = good_fields(&building);

    // The empty form offers the organization's building and every field.
    let (s, html) = b.get("/manage/listings/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<title>Create a listing — Teng</title>"),
        "{html}"
    );
    assert!(
        html.contains(&format!("<option value=\"{building}\">")),
        "{html}"
    );
    for id in [
        "title",
        "description",
        "category",
        "employment_type",
        "work_mode",
        "building_id",
        "city",
        "region",
        "salary_min",
        "salary_max",
        "salary_period",
        "accommodations",
        "languages",
        "apply_channel_1",
        "apply_value_1",
        "apply_channel_3",
        "apply_value_3",
        "valid_through",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no input {id}");
        assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
    }
    // Fieldsets: employment type, work mode, pay, accommodations, languages, each way to apply.
    assert_eq!(html.matches("<legend>").count(), 5 + 3, "{html}");

    // One mistake: 422, the summary links to it, nothing typed is lost.
    let r = b
        .submit(
            "/manage/listings/new",
            "/manage/listings/new",
            &refs(&with(&fields, "title", "  ")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<title>Error: Create a listing — Teng</title>"),
        "{html}"
    );
    assert!(
        html.contains("<li><a href=\"#title\">Enter Job title</a></li>"),
        "{html}"
    );
    assert_eq!(
        html.matches("<li><a href=\"#").count(),
        1,
        "one problem only: {html}"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"title-error\""));
    assert!(html.contains("id=\"title-error\""));
    assert!(html.contains("Работа с документами в тихом офисе.</textarea>"));
    assert!(html.contains("value=\"25 000\""));
    assert!(html.contains("value=\"+996 555 123 456\""));
    assert!(html.contains("value=\"2099-01-31\""));
    assert!(html.contains("value=\"flexible_hours\" checked"));
    assert!(html.contains("value=\"quiet_workspace\" checked"));
    assert!(!html.contains("value=\"sign_language_interpreter\" checked"));
    assert!(html.contains(&format!("<option value=\"{building}\" selected>")));
    assert!(html.contains("value=\"full_time\" checked"));
    assert_eq!(t.server.state.storage.stats().unwrap().listings, 0);

    // Fixed: saved as a draft, and its page says so.
    let id = create(&b, &fields).await;
    let (s, html) = b
        .get(&format!("/manage/listings/{id}?notice=created"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<h1>Бухгалтер</h1>"), "{html}");
    assert!(html.contains("<span class=\"status status-draft\">draft</span>"));
    assert!(html.contains("role=\"status\">The listing is saved as a draft."));
    assert!(html.contains("25\u{a0}000 som per month"), "{html}");
    assert!(html.contains("phone call: +996 555 123 456"));
    assert!(html.contains("Бишкек"), "the city comes from the building");
    assert!(!html.contains(&format!("/manage/listings/{id}/close")));
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["status"], "draft");
    assert_eq!(
        stored["accommodations"],
        json!(["flexible_hours", "quiet_workspace"])
    );
    assert_eq!(stored["apply_via"].as_array().unwrap().len(), 1);

    // Drafts do not reach phones; published ones do.
    let (_, device) = t.device().await;
    let pulled = |v: &Value| -> Vec<(String, String)> {
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == "listing")
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["op"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (_, v) = t.get("/v1/sync/pull?since=0", Some(&device)).await;
    assert!(pulled(&v).is_empty(), "{v}");
    let r = act(&b, &id, "publish").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&r),
        format!("/manage/listings/{id}?notice=published")
    );
    let (_, html) = b.get(&location(&r)).await;
    assert!(html.contains("The listing is published. Phones get it on their next sync."));
    assert!(html.contains("<span class=\"status status-published\">published</span>"));
    assert!(html.contains(&format!("href=\"/jobs/{id}\"")));
    let (_, v) = t.get("/v1/sync/pull?since=0", Some(&device)).await;
    assert_eq!(pulled(&v), [(id.clone(), "upsert".to_string())], "{v}");

    // Closing takes it off the phones; a closed listing offers neither edit nor publish.
    let r = act(&b, &id, "close").await;
    assert_eq!(location(&r), format!("/manage/listings/{id}?notice=closed"));
    let (_, html) = b.get(&location(&r)).await;
    assert!(html.contains("<span class=\"status status-closed\">closed</span>"));
    assert!(!html.contains(&format!("/manage/listings/{id}/edit")));
    assert!(!html.contains(&format!("/manage/listings/{id}/publish")));
    let (_, v) = t.get("/v1/sync/pull?since=0", Some(&device)).await;
    assert_eq!(pulled(&v), [(id.clone(), "delete".to_string())], "{v}");
    let r = b.get_response(&format!("/manage/listings/{id}/edit")).await;
    assert_eq!(
        location(&r),
        format!("/manage/listings/{id}?notice=not_editable")
    );
}

#[tokio::test]
async fn wrong_codes_and_dates_are_named_by_field() {
    let (t, _org, token, b) = ngo_browser("ru").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let mut fields = with(&good_fields(&building), "employment_type", "forever");
    fields = with(&fields, "valid_through", "2001-01-31");
    fields.retain(|(k, _)| *k != "accommodations");
    fields.push(("accommodations", "teleportation".into()));
    let r = b
        .submit(
            "/manage/listings/new",
            "/manage/listings/new",
            &refs(&fields),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(
        html.contains("<title>Ошибка: Новая вакансия — Тең</title>"),
        "{html}"
    );
    for id in ["employment_type", "accommodations", "valid_through"] {
        assert!(
            html.contains(&format!("<li><a href=\"#{id}\">")),
            "{id}: {html}"
        );
        assert!(html.contains(&format!("id=\"{id}-error\"")), "{id}");
    }
    assert!(html.contains("Эта дата уже прошла"), "{html}");
    // What was typed stays, even the unknown codes' neighbours and the refused date.
    assert!(html.contains("value=\"2001-01-31\""));
    assert!(html.contains("value=\"ky\" checked"));
    // The radios and checkboxes of a group with an error are marked invalid.
    assert!(html.contains("name=\"employment_type\" value=\"part_time\" aria-invalid=\"true\""));
    assert_eq!(t.server.state.storage.stats().unwrap().listings, 0);

    // No building for on-site work, a bad phone in the second row, pay the wrong way round.
    let mut fields = with(&good_fields(&building), "building_id", "");
    fields = with(&fields, "salary_max", "100");
    fields[18].1 = "not an email".into();
    let r = b
        .submit(
            "/manage/listings/new",
            "/manage/listings/new",
            &refs(&fields),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for id in ["salary_min", "apply_value_2", "region"] {
        assert!(
            html.contains(&format!("<li><a href=\"#{id}\">")),
            "{id}: {html}"
        );
    }
}

#[tokio::test]
async fn the_table_filters_by_status_finds_cyrillic_by_latin_and_counts_saves() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let draft = api_listing(&t, &token, json!({ "title": "Call-centre operator" })).await;
    let osh = api_listing(
        &t,
        &token,
        json!({ "title": "Бухгалтер", "city": "Ош", "region": "osh_city" }),
    )
    .await;
    let osh = api_publish(&t, &token, &osh).await;
    let osh_id = osh["id"].as_str().unwrap();

    let (s, html) = b.get("/manage/listings").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<title>Our listings — Teng</title>"));
    assert!(html.contains("Listings found: 2."));
    assert!(html.contains("Call-centre operator") && html.contains("Бухгалтер"));
    assert!(html.contains("<caption id=\"listings-caption\">"));
    assert!(html.contains("role=\"region\" aria-labelledby=\"listings-caption\" tabindex=\"0\""));
    assert!(html.contains("href=\"/manage/listings/new\""));
    assert!(
        !html.contains("<th scope=\"col\">Organization</th>"),
        "ngo users see one org"
    );
    let row = row_with(&html, "Бухгалтер");
    assert!(row.contains(&format!("href=\"/manage/listings/{osh_id}\"")));
    assert!(row.contains(">published</span>"));
    assert!(row.contains("Office on Chuy"), "the building's name: {row}");
    assert!(row.contains("<td class=\"num\">0</td>"));
    let row = row_with(&html, "Call-centre operator");
    assert!(row.contains(">draft</span>") && row.contains("not published yet"));

    let (_, html) = b.get("/manage/listings?status=published").await;
    assert!(html.contains("Бухгалтер") && !html.contains("Call-centre operator"));
    assert!(html.contains("<option value=\"published\" selected>"));
    let (_, html) = b.get("/manage/listings?status=draft").await;
    assert!(!html.contains("Бухгалтер") && html.contains("Call-centre operator"));

    // Latin words find Cyrillic titles and cities (the core's folding), and the query stays.
    let (_, html) = b.get("/manage/listings?q=buhgalter").await;
    assert!(html.contains("Бухгалтер") && !html.contains("Call-centre operator"));
    assert!(html.contains("value=\"buhgalter\""));
    let (_, html) = b.get("/manage/listings?q=OSH").await;
    assert!(
        html.contains("Бухгалтер") && !html.contains("Call-centre operator"),
        "{html}"
    );
    let (_, html) = b.get("/manage/listings?q=nothing+like+it").await;
    assert!(html.contains("No listings found.") && !html.contains("<table"));
    let (s, _) = b.get("/manage/listings?status=forever&page=-3&q=%FF").await;
    assert_eq!(s, StatusCode::OK, "a wrong filter is ignored");

    // Two phones save the published listing.
    for _ in 0..2 {
        let (_, device) = t.device().await;
        let (s, v) = t
            .post(
                "/v1/sync/push",
                Some(&device),
                json!({ "mutations": [{ "id": Uuid::new_v4(), "op": "save_job", "listing_id": osh_id }] }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["results"][0]["status"], "applied", "{v}");
    }
    let (_, html) = b.get("/manage/listings").await;
    assert!(row_with(&html, "Бухгалтер").contains("<td class=\"num\">2</td>"));
    assert!(row_with(&html, "Call-centre operator").contains("<td class=\"num\">0</td>"));
    assert!(draft["id"].is_string());
}

#[tokio::test]
async fn the_table_pages_by_fifty_and_admins_see_every_organization() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let building = t.building(&token, "Bishkek").await;
    for i in 0..51 {
        let mut body = listing_json(building);
        body["title"] = json!(format!("Job number {i:02}"));
        let (s, v) = t.post("/v1/listings", Some(&token), body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (_, html) = b.get("/manage/listings").await;
    assert!(html.contains("Listings found: 51."));
    assert!(html.contains("Page 1 of 2"));
    assert_eq!(html.matches("<th scope=\"row\">").count(), 50);
    assert!(
        html.contains("href=\"/manage/listings?page=2\" rel=\"next\""),
        "{html}"
    );
    assert!(!html.contains("rel=\"prev\""));
    assert!(html.len() < 60 * 1024, "{} bytes", html.len());
    let (_, html) = b.get("/manage/listings?page=2").await;
    assert!(html.contains("Page 2 of 2"));
    assert_eq!(html.matches("<th scope=\"row\">").count(), 1);
    assert!(html.contains("href=\"/manage/listings\" rel=\"prev\""));
    // Past the end: the last page.
    let (_, html) = b.get("/manage/listings?page=9").await;
    assert!(html.contains("Page 2 of 2"));
    // Filters stay in the paging links.
    let (_, html) = b.get("/manage/listings?status=draft&q=job").await;
    assert!(
        html.contains("href=\"/manage/listings?status=draft&#38;q=job&#38;page=2\""),
        "{html}"
    );

    // An admin sees both organizations, with a column and a filter for them.
    let (other_org, other) = t.ngo("bravo").await;
    api_listing(&t, &other, json!({ "title": "Bravo own job" })).await;
    let admin = Browser::new(&t, "en");
    admin.login("root").await;
    let (_, html) = admin.get("/manage/listings").await;
    assert!(html.contains("<title>All listings — Teng</title>"));
    assert!(html.contains("Listings found: 52."));
    assert!(html.contains("<th scope=\"col\">Organization</th>"));
    assert!(
        html.contains(&format!("<option value=\"{other_org}\">bravo org</option>")),
        "{html}"
    );
    let (_, html) = admin
        .get(&format!("/manage/listings?org={other_org}"))
        .await;
    assert!(html.contains("Listings found: 1."));
    assert!(
        row_with(&html, "Bravo own job").contains("<td>bravo org</td>"),
        "{html}"
    );
    // The ngo user cannot widen the view with the same parameter.
    let (_, html) = b.get(&format!("/manage/listings?org={other_org}")).await;
    assert!(html.contains("Listings found: 51.") && !html.contains("Bravo"));
}

#[tokio::test]
async fn admins_choose_the_organization_before_the_form() {
    let t = TestServer::start().await;
    let (org, token) = t.ngo("akjol").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let admin = Browser::new(&t, "en");
    admin.login("root").await;
    let (s, html) = admin.get("/manage/listings/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<h1>Which organization is the listing for?</h1>"));
    assert!(html.contains(&format!("<option value=\"{org}\">akjol org</option>")));
    let (_, html) = admin.get(&format!("/manage/listings/new?org={org}")).await;
    assert!(html.contains("<strong>akjol org</strong>"));
    assert!(html.contains(&format!("<option value=\"{building}\">")));
    let mut fields = good_fields(&building);
    let org_text = org.to_string();
    fields.push(("organization_id", org_text.clone()));
    let r = admin
        .submit(
            &format!("/manage/listings/new?org={org}"),
            "/manage/listings/new",
            &refs(&fields),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = listing_id(&location(&r));
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["organization_id"], org_text);
    let (_, html) = admin.get(&format!("/manage/listings/{id}")).await;
    assert!(html.contains("Organization: akjol org"));
}

#[tokio::test]
async fn a_stale_edit_shows_both_versions_and_overwrites_nothing() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let id = create(&b, &good_fields(&building)).await;
    let (_, before) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;

    // The edit form is filled from the listing, with its version.
    let edit = format!("/manage/listings/{id}/edit");
    let (s, html) = b.get(&edit).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"Бухгалтер\""));
    assert!(html.contains("value=\"25000\""));
    assert!(html.contains("value=\"quiet_workspace\" checked"));
    assert_eq!(hidden(&html, "version"), "1");

    // A plain edit keeps posted_at and the status.
    let mine = with(&good_fields(&building), "title", "Бухгалтер-кассир");
    let mut fields = mine.clone();
    fields.push(("version", "1".into()));
    let r = b.submit(&edit, &edit, &refs(&fields)).await;
    assert_eq!(location(&r), format!("/manage/listings/{id}?notice=saved"));
    let (_, after) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(after["title"], "Бухгалтер-кассир");
    assert_eq!(after["version"], 2);
    assert_eq!(after["posted_at"], before["posted_at"]);
    assert_eq!(after["status"], "draft");

    // Someone else saves version 2 (through the API, as a phone's offline edit would).
    let mut theirs = after.clone();
    theirs["title"] = json!("Их версия");
    let (s, v) = t
        .put(&format!("/v1/listings/{id}"), Some(&token), theirs)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // This browser's form was made against version 2 as well.
    let mut fields = with(&mine, "title", "Моя версия");
    fields.push(("version", "2".into()));
    let r = b.submit(&edit, &edit, &refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("Someone else saved this listing while you were editing it."));
    assert!(
        html.contains("The saved version (theirs)")
            && html.contains("Your version (not saved yet)")
    );
    assert!(html.contains("Их версия"), "theirs is shown");
    assert!(
        html.contains("value=\"Моя версия\""),
        "yours stays in the form"
    );
    assert!(html.contains("value=\"+996 555 123 456\""));
    assert_eq!(
        hidden(&html, "version"),
        "3",
        "the form now carries the current version"
    );
    assert!(html.contains("Save my version"));
    assert!(html.contains(&format!(
        "<a class=\"button secondary\" href=\"/manage/listings/{id}\">Keep theirs</a>"
    )));
    assert_eq!(html.matches("<h1>").count(), 1);
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["title"], "Их версия", "nothing was overwritten");

    // "Save my version" sends the same form with the current version.
    let mut fields = with(&mine, "title", "Моя версия");
    fields.push(("version", hidden(&html, "version")));
    let r = b.submit(&edit, &edit, &refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["title"], "Моя версия");
    assert_eq!(stored["version"], 4);
}

#[tokio::test]
async fn stale_publish_and_close_change_nothing_and_say_so() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let l = api_listing(&t, &token, json!({})).await;
    let id = l["id"].as_str().unwrap();
    let page = format!("/manage/listings/{id}");
    let (_, html) = b.get(&page).await;
    assert_eq!(hidden(&html, "version"), "1");
    // Someone edits it meanwhile.
    let mut changed = l.clone();
    changed["title"] = json!("Changed meanwhile");
    let (s, _) = t
        .put(&format!("/v1/listings/{id}"), Some(&token), changed)
        .await;
    assert_eq!(s, StatusCode::OK);
    let r = b
        .submit(&page, &format!("{page}/publish"), &[("version", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains(
        "Someone else changed this listing after you opened the page, so nothing was changed."
    ));
    assert!(
        html.contains("<h1>Changed meanwhile</h1>"),
        "the current listing is shown"
    );
    assert_eq!(hidden(&html, "version"), "2");
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["status"], "draft");

    // Published, then a stale close.
    let r = act(&b, id, "publish").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = b
        .submit(&page, &format!("{page}/close"), &[("version", "2")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["status"], "published");
    // A closed listing cannot be published again.
    let r = act(&b, id, "close").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = b
        .submit(&page, &format!("{page}/publish"), &[("version", "4")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("A closed listing cannot be published again."));
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["status"], "closed");
}

#[tokio::test]
async fn every_post_needs_the_csrf_token_and_every_page_a_live_session() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let l = api_listing(&t, &token, json!({})).await;
    let id = l["id"].as_str().unwrap();
    let fields = good_fields(&building);
    let mut edit = fields.clone();
    edit.push(("version", "1".into()));
    let posts = [
        ("/manage/listings/new".to_string(), fields.clone()),
        (format!("/manage/listings/{id}/edit"), edit.clone()),
        (
            format!("/manage/listings/{id}/publish"),
            vec![("version", "1".to_string())],
        ),
        (
            format!("/manage/listings/{id}/close"),
            vec![("version", "1".to_string())],
        ),
    ];
    for (path, fields) in &posts {
        let r = b.post(path, &refs(fields)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} without a token");
        let mut wrong = refs(fields);
        wrong.push(("csrf", "0123"));
        let r = b.post(path, &wrong).await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
    }
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), Some(&token)).await;
    assert_eq!(stored["version"], 1);
    assert_eq!(t.server.state.storage.stats().unwrap().listings, 1);

    // No session: to the login form, then back.
    let stranger = Browser::new(&t, "en");
    let pages = [
        "/manage/listings".to_string(),
        "/manage/listings/new".to_string(),
        format!("/manage/listings/{id}"),
        format!("/manage/listings/{id}/edit"),
    ];
    for page in &pages {
        let r = stranger.get_response(page).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{page}");
        assert!(
            location(&r).starts_with("/login?next=/manage/listings"),
            "{}",
            location(&r)
        );
    }
    let r = stranger.post(&posts[2].0, &[("version", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login?next="));

    // A session ended elsewhere (password change, admin): back to login, told why.
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
    let r = b.post(&posts[3].0, &[("version", "1")]).await;
    assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
}

#[tokio::test]
async fn another_organizations_listing_is_not_found_anywhere() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let (_, other) = t.ngo("bravo").await;
    let theirs = api_listing(&t, &other, json!({ "title": "Secret Bravo job" })).await;
    let theirs = api_publish(&t, &other, &theirs).await;
    let id = theirs["id"].as_str().unwrap();
    for page in [
        format!("/manage/listings/{id}"),
        format!("/manage/listings/{id}/edit"),
        "/manage/listings/not-a-uuid".to_string(),
        format!("/manage/listings/{}", Uuid::now_v7()),
    ] {
        let (s, html) = b.get(&page).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{page}");
        assert!(html.contains("<h1>Page not found</h1>"), "{html}");
        assert!(!html.contains("Secret Bravo"), "{page}");
    }
    let mut edit = good_fields(&building);
    edit.push(("version", "2".into()));
    for (what, fields) in [
        ("edit", edit),
        ("publish", vec![("version", "2".to_string())]),
        ("close", vec![("version", "2".to_string())]),
    ] {
        let r = b
            .submit(
                "/manage/listings",
                &format!("/manage/listings/{id}/{what}"),
                &refs(&fields),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{what}");
        assert!(!r.text().await.unwrap().contains("Secret Bravo"));
    }
    let (_, stored) = t.get(&format!("/v1/listings/{id}"), None).await;
    assert_eq!(stored["status"], "published");
    assert_eq!(stored["title"], "Secret Bravo job");
    assert_eq!(stored["version"], 2);
    let (_, html) = b.get("/manage/listings?q=secret").await;
    assert!(!html.contains("Secret Bravo"));

    // Their building is not offered on our form, and naming it is refused.
    let their_building = theirs["building_id"].as_str().unwrap();
    let (_, html) = b.get("/manage/listings/new").await;
    assert!(!html.contains(their_building));
    let r = b
        .submit(
            "/manage/listings/new",
            "/manage/listings/new",
            &refs(&with(
                &good_fields(&building),
                "building_id",
                their_building,
            )),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("<li><a href=\"#building_id\">There is no such building</a></li>"));
}

#[tokio::test]
async fn an_oversized_form_is_refused_and_other_roles_are_not_allowed() {
    let (t, _org, token, b) = ngo_browser("en").await;
    let building = t.building(&token, "Бишкек").await.to_string();
    let huge = "x".repeat(70 * 1024);
    let fields = with(&good_fields(&building), "description", &huge);
    let r = b
        .submit(
            "/manage/listings/new",
            "/manage/listings/new",
            &refs(&fields),
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("Too large"));
    assert_eq!(t.server.state.storage.stats().unwrap().listings, 0);

    t.add_user("cityhall", Role::City, None, Some("Bishkek"));
    let city = Browser::new(&t, "ky");
    city.login("cityhall").await;
    for page in ["/manage/listings", "/manage/listings/new"] {
        let (s, html) = city.get(page).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{page}");
        assert!(html.contains("<html lang=\"ky\">"));
    }
}

#[tokio::test]
async fn pages_speak_the_readers_language() {
    let t = TestServer::start().await;
    let (_, token) = t.ngo("akjol").await;
    let l = api_listing(&t, &token, json!({})).await;
    let id = l["id"].as_str().unwrap();
    for (lang, title, status, new) in [
        ("ky", "Биздин жарыялар", "долбоор", "Жаңы жарыя"),
        (
            "ru-RU,ru;q=0.9",
            "Наши вакансии",
            "черновик",
            "Новая вакансия",
        ),
        ("en", "Our listings", "draft", "Create a listing"),
    ] {
        let b = Browser::new(&t, lang);
        b.login("akjol").await;
        let code = &lang[..2];
        let (_, html) = b.get("/manage/listings").await;
        assert!(html.contains(&format!("<html lang=\"{code}\">")), "{lang}");
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{lang}: {html}"
        );
        assert!(html.contains(&format!(">{status}</span>")), "{lang}");
        assert_eq!(html.matches("<h1>").count(), 1);
        let (_, html) = b.get(&format!("/manage/listings/{id}")).await;
        assert!(html.contains(&format!("<html lang=\"{code}\">")));
        assert!(html.contains(&format!(">{status}</span>")));
        let (_, html) = b.get("/manage/listings/new").await;
        assert!(html.contains(&format!("<h1>{new}</h1>")), "{lang}");
        assert!(
            html.contains("aria-current=\"page\">"),
            "the navigation marks the listings"
        );
    }
}

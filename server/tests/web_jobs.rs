//! The public job pages (`/jobs`, `/jobs/{id}`) over HTTP against a real server: the phone's
//! filters and folding on the server's search index, keyset pages, and each listing's page with
//! its schema.org `JobPosting` data (open listings only).

mod common;

use common::web::Browser;
use common::{listing_json, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// A listing made through the API: the test listing with these changes (`building_id: null`
/// for none), published unless `publish` is false.
async fn listing(
    t: &TestServer,
    token: &str,
    building: Option<Uuid>,
    changes: Value,
    publish: bool,
) -> Value {
    let mut body = listing_json(building.unwrap_or_default());
    if building.is_none() {
        body["building_id"] = Value::Null;
    }
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, v) = t.post("/v1/listings", Some(token), body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    if !publish {
        return v;
    }
    let (s, v) = t
        .post(
            &format!("/v1/listings/{}/publish", v["id"].as_str().unwrap()),
            Some(token),
            json!({ "version": v["version"] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// A building in `city`, `region`, at a point there.
async fn building(
    t: &TestServer,
    token: &str,
    name: &str,
    city: &str,
    region: &str,
    lat: f64,
    lon: f64,
) -> Uuid {
    let (s, v) = t
        .post(
            "/v1/buildings",
            Some(token),
            json!({
                "name": name,
                "address": { "street": "1 Main Street", "city": city, "region": region },
                "location": { "lat": lat, "lon": lon }
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().parse().unwrap()
}

/// A measured survey of the entrance by a verified surveyor (the admin).
async fn survey_entrance(t: &TestServer, building: Uuid, step_free: bool) {
    let (s, v) = t
        .post(
            &format!("/v1/buildings/{building}/reports"),
            Some(&t.admin),
            json!({
                "facts": { "entrance_step_free": { "bool": step_free } },
                "method": "measured"
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// Every change so far is in the search index.
async fn caught_up(t: &TestServer) {
    t.server.state.search.catch_up_now().await.unwrap();
}

/// The listing ids of the result cards on a search page, in order.
fn cards(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<h3><a href=\"/jobs/") {
        rest = &rest[at + "<h3><a href=\"/jobs/".len()..];
        out.push(rest[..rest.find('"').unwrap()].to_string());
    }
    out
}

/// The `rel="next"` link of a search page.
fn next_link(html: &str) -> Option<String> {
    let end = html.find("\" rel=\"next\"")?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

/// The JSON-LD of a listing page, if any.
fn json_ld(html: &str) -> Option<String> {
    let open = "<script type=\"application/ld+json\">";
    let at = html.find(open)? + open.len();
    Some(html[at..at + html[at..].find("</script>")?].to_string())
}

async fn search(b: &Browser, query: &str) -> Vec<String> {
    let (s, html) = b.get(&format!("/jobs{query}")).await;
    assert_eq!(s, StatusCode::OK, "{query}: {html}");
    cards(&html)
}

#[tokio::test]
async fn every_filter_keeps_what_matches_and_drops_what_does_not() {
    let t = TestServer::start().await;
    let (_, token) = t.ngo("akjol").await;
    let bishkek = building(
        &t,
        &token,
        "Офис на Чуй",
        "Бишкек",
        "bishkek",
        42.8746,
        74.5698,
    )
    .await;
    let osh = building(&t, &token, "Склад", "Ош", "osh_city", 40.5283, 72.7985).await;
    survey_entrance(&t, bishkek, true).await;
    survey_entrance(&t, osh, false).await;
    let a = id_of(
        &listing(
            &t,
            &token,
            Some(bishkek),
            json!({
                "title": "Бухгалтер",
                "category": "accounting",
                "city": "Бишкек",
                "region": "bishkek",
                "employment_type": "full_time",
                "accommodations": ["flexible_hours", "quiet_workspace"],
                "salary": { "min": 50000, "max": 60000, "period": "month" }
            }),
            true,
        )
        .await,
    );
    let b_ = id_of(
        &listing(
            &t,
            &token,
            Some(osh),
            json!({
                "title": "Оператор колл-центра",
                "city": "Ош",
                "region": "osh_city",
                "employment_type": "part_time",
                "accommodations": ["assistive_technology"],
                "salary": { "min": 15000, "max": 20000, "period": "month" }
            }),
            true,
        )
        .await,
    );
    let c = id_of(
        &listing(
            &t,
            &token,
            None,
            json!({
                "title": "Переводчик",
                "category": "media",
                "work_mode": "remote",
                "city": "Каракол",
                "region": "issyk_kul",
                "employment_type": "contract",
                "accommodations": [],
                "salary": null
            }),
            true,
        )
        .await,
    );
    // A draft matches every filter below but is never found.
    let draft = id_of(
        &listing(
            &t,
            &token,
            Some(bishkek),
            json!({
                "title": "Бухгалтер-черновик",
                "city": "Бишкек",
                "accommodations": ["flexible_hours"],
                "salary": { "min": 90000, "max": 90000, "period": "month" }
            }),
            false,
        )
        .await,
    );
    caught_up(&t).await;
    let b = Browser::new(&t, "en");

    let (s, html) = b.get("/jobs").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<title>Find a job — Teng</title>"));
    assert!(html.contains("3 jobs found"), "{html}");
    let mut all = cards(&html);
    all.sort();
    let mut expected = vec![a.clone(), b_.clone(), c.clone()];
    expected.sort();
    assert_eq!(all, expected);

    let only = |ids: &[&String]| -> Vec<String> {
        let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    for (query, want) in [
        ("?acc=flexible_hours", only(&[&a])),
        ("?acc=assistive_technology", only(&[&b_])),
        ("?acc=flexible_hours&acc=assistive_technology", only(&[])),
        ("?step_free=1", only(&[&a, &c])),
        ("?city=bishkek", only(&[&a])),
        ("?city=%D0%91%D0%98%D0%A8%D0%9A%D0%95%D0%9A", only(&[&a])),
        ("?city=osh", only(&[&b_])),
        ("?q=bishkek", only(&[&a])),
        ("?q=buhgalter", only(&[&a])),
        (
            "?q=%D0%B1%D1%83%D1%85%D0%B3%D0%B0%D0%BB%D1%82%D0%B5%D1%80",
            only(&[&a]),
        ),
        ("?type=part_time", only(&[&b_])),
        ("?type=part_time&type=contract", only(&[&b_, &c])),
        ("?type=full_time", only(&[&a])),
        ("?min_salary=40000", only(&[&a])),
        ("?min_salary=40+000", only(&[&a])),
        ("?min_salary=10000", only(&[&a, &b_])),
        ("?min_salary=70000", only(&[])),
        ("?step_free=1&type=contract", only(&[&c])),
        ("?city=bishkek&type=part_time", only(&[])),
    ] {
        let mut got = search(&b, query).await;
        got.sort();
        assert_eq!(got, want, "{query}");
        assert!(!got.contains(&draft), "{query}");
    }

    // The form shows what was asked, and says how many were found.
    let (_, html) = b
        .get("/jobs?acc=flexible_hours&step_free=1&city=bishkek&type=full_time&min_salary=40000")
        .await;
    assert!(
        html.contains("name=\"acc\" value=\"flexible_hours\" checked"),
        "{html}"
    );
    assert!(!html.contains("name=\"acc\" value=\"quiet_workspace\" checked"));
    assert!(html.contains("name=\"type\" value=\"full_time\" checked"));
    assert!(html.contains("id=\"step_free\" name=\"step_free\" value=\"1\""));
    assert!(html.contains("aria-describedby=\"step-free-hint\" checked"));
    assert!(html.contains("id=\"city\" name=\"city\" type=\"text\" value=\"bishkek\""));
    assert!(html.contains("value=\"40000\""));
    assert!(html.contains("<details class=\"more-filters\" open>"));
    assert!(html.contains("1 job found"), "{html}");
    let (_, html) = b.get("/jobs?city=naryn").await;
    assert!(html.contains("No jobs match this search."), "{html}");
    assert!(cards(&html).is_empty());

    // The card says how accessible the building is, in the reader's language.
    let (_, html) = Browser::new(&t, "ru").get("/jobs?city=bishkek").await;
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("Найдена 1 вакансия"), "{html}");
    assert!(html.contains("<p class=\"job-access\">"), "{html}");
}

#[tokio::test]
async fn wrong_filter_values_are_named_by_field_and_kept() {
    let t = TestServer::start().await;
    let b = Browser::new(&t, "en");
    let (s, html) = b
        .get("/jobs?q=%D0%BE%D0%BF%D0%B5%D1%80%D0%B0%D1%82%D0%BE%D1%80&type=forever&acc=teleportation&min_salary=lots&sort=distance")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("<title>Error: Find a job — Teng</title>"),
        "{html}"
    );
    for (id, message) in [
        (
            "type-full_time",
            "That choice is not on the list. Choose from the list",
        ),
        (
            "acc-flexible_hours",
            "That choice is not on the list. Choose from the list",
        ),
        ("min_salary", "Enter the pay as a number, for example 25000"),
        (
            "sort",
            "That choice is not on the list. Choose from the list",
        ),
    ] {
        assert!(
            html.contains(&format!("<li><a href=\"#{id}\">{message}</a></li>")),
            "{id}: {html}"
        );
        assert!(html.contains(&format!("id=\"{id}-error\"")), "{id}");
    }
    assert!(html.contains("value=\"lots\""), "typed input kept");
    assert!(html.contains("value=\"оператор\""));
    assert!(html.contains("id=\"min_salary\" name=\"min_salary\" type=\"text\" inputmode=\"numeric\" class=\"short\" value=\"lots\" aria-invalid=\"true\""));
    assert!(!html.contains("jobs found"), "nothing was searched");

    let long = "a".repeat(300);
    let (s, html) = b.get(&format!("/jobs?city={long}")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("<li><a href=\"#city\">Use 100 characters or fewer</a></li>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_listing_page_carries_job_posting_data_that_no_title_can_break_out_of() {
    let t = TestServer::start().await;
    let (_, token) = t.ngo("akjol").await;
    let place = building(
        &t,
        &token,
        "Офис на Чуй",
        "Бишкек",
        "bishkek",
        42.8746,
        74.5698,
    )
    .await;
    survey_entrance(&t, place, true).await;
    let title = "Оператор </script><script>alert(1)</script> & <!-- «кол-центр»";
    let l = listing(
        &t,
        &token,
        Some(place),
        json!({
            "title": title,
            "description": "Первая строка.\nВторая строка </script>.",
            "valid_through": "2099-01-31T00:00:00Z"
        }),
        true,
    )
    .await;
    let id = id_of(&l);
    let b = Browser::new(&t, "en");
    let (s, html) = b.get(&format!("/jobs/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{html}");

    // One script element, and the page's own markup is intact after it.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    assert!(!html.contains("<script>alert"));
    let data = json_ld(&html).expect("JSON-LD on an open listing");
    assert!(!data.contains('<') && !data.contains('>'), "{data}");
    assert!(data.contains("\\u003c/script\\u003e"), "{data}");
    let v: Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
    assert_eq!(v["@context"], "https://schema.org/");
    assert_eq!(v["@type"], "JobPosting");
    assert_eq!(v["title"], title);
    assert_eq!(v["description"], "Первая строка.\nВторая строка </script>.");
    assert_eq!(v["employmentType"], "FULL_TIME");
    assert_eq!(v["hiringOrganization"]["name"], "akjol org");
    assert_eq!(v["jobLocation"]["address"]["addressLocality"], "Бишкек");
    assert_eq!(v["jobLocation"]["address"]["addressCountry"], "KG");
    assert_eq!(v["jobLocation"]["geo"]["latitude"], 42.8746);
    assert_eq!(v["baseSalary"]["currency"], "KGS");
    assert_eq!(v["baseSalary"]["value"]["minValue"], 20000);
    assert_eq!(v["baseSalary"]["value"]["unitText"], "MONTH");
    assert_eq!(v["identifier"]["value"], id.as_str());
    assert!(v["validThrough"]
        .as_str()
        .unwrap()
        .starts_with("2099-01-31"));

    // The visible page: the title escaped, how to apply, the workplace in words.
    assert!(html.contains(
        "<h1 id=\"job-title\">Оператор &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- «кол-центр»</h1>"
    ) || html.contains("<h1 id=\"job-title\">Оператор &#60;/script&#62;"), "{html}");
    assert!(html.contains("<h2>How to apply</h2>"));
    assert!(html.contains("href=\"tel:+996555123456\""), "{html}");
    assert!(html.contains("<dd>Офис на Чуй</dd>"));
    assert!(!html.contains("name=\"robots\""));
    assert!(html.contains("<p class=\"job-access lead\">"), "{html}");
    assert!(
        html.contains("<time datetime=\"2099-01-31\">31 January 2099</time>"),
        "{html}"
    );

    // A remote job has no place, but still says where applicants may be.
    let remote = listing(
        &t,
        &token,
        None,
        json!({ "title": "Переводчик", "work_mode": "remote", "salary": null }),
        true,
    )
    .await;
    let (_, html) = b.get(&format!("/jobs/{}", id_of(&remote))).await;
    let v: Value = serde_json::from_str(&json_ld(&html).unwrap()).unwrap();
    assert_eq!(v["@type"], "JobPosting");
    assert_eq!(v["title"], "Переводчик");
    assert_eq!(v["jobLocationType"], "TELECOMMUTE");
    assert!(
        v.get("jobLocation").is_none() && v.get("baseSalary").is_none(),
        "{v}"
    );
    assert!(html.contains("Remote work: there is no building to go to."));
}

#[tokio::test]
async fn a_draft_is_not_found_and_a_closed_listing_says_so_without_job_posting_data() {
    let t = TestServer::start().await;
    let (_, token) = t.ngo("akjol").await;
    let draft = listing(
        &t,
        &token,
        None,
        json!({ "title": "Secret draft job", "work_mode": "remote" }),
        false,
    )
    .await;
    let b = Browser::new(&t, "en");
    for page in [
        format!("/jobs/{}", id_of(&draft)),
        format!("/jobs/{}", Uuid::now_v7()),
        "/jobs/not-a-uuid".to_string(),
    ] {
        let (s, html) = b.get(&page).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{page}");
        assert!(html.contains("<h1>Page not found</h1>"), "{html}");
        assert!(!html.contains("Secret draft"), "{page}");
        assert!(!html.contains("application/ld+json"));
    }

    let open = listing(
        &t,
        &token,
        None,
        json!({ "title": "Closing soon", "work_mode": "remote" }),
        true,
    )
    .await;
    let id = id_of(&open);
    caught_up(&t).await;
    let found = search(&b, "?q=closing").await;
    assert_eq!(found, [id.as_str()]);
    let (s, v) = t
        .post(
            &format!("/v1/listings/{id}/close"),
            Some(&token),
            json!({ "version": open["version"] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    for (lang, notice, prefix) in [
        (
            "en",
            "This job is closed: applications are no longer taken.",
            "Closed: ",
        ),
        (
            "ru",
            "Эта вакансия закрыта: отклики больше не принимаются.",
            "Закрыто: ",
        ),
        (
            "ky",
            "Бул жумуш жабылды: кайрылуулар мындан ары кабыл алынбайт.",
            "Жабылган: ",
        ),
    ] {
        let (s, html) = Browser::new(&t, lang).get(&format!("/jobs/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{lang}");
        assert!(html.contains(notice), "{lang}: {html}");
        assert!(
            html.contains(&format!("<title>{prefix}Closing soon")),
            "{lang}: {html}"
        );
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{lang}"
        );
        assert!(!html.contains("application/ld+json"), "{lang}");
        assert!(json_ld(&html).is_none());
        assert!(
            !html.contains("class=\"apply-ways\""),
            "{lang}: no ways to apply"
        );
        assert!(!html.contains("tel:"), "{lang}");
        assert!(html.contains("<h1 id=\"job-title\">Closing soon</h1>"));
    }
    caught_up(&t).await;
    assert!(
        search(&b, "?q=closing").await.is_empty(),
        "closed jobs leave the search"
    );
}

#[tokio::test]
async fn pages_follow_one_another_without_repeating() {
    let t = TestServer::start().await;
    let (_, token) = t.ngo("akjol").await;
    let place = building(&t, &token, "Офис", "Бишкек", "bishkek", 42.8746, 74.5698).await;
    let mut made = Vec::new();
    for i in 0..45 {
        let l = listing(
            &t,
            &token,
            Some(place),
            json!({ "title": format!("Оператор {i}"), "city": "Бишкек" }),
            true,
        )
        .await;
        made.push(id_of(&l));
    }
    caught_up(&t).await;
    let b = Browser::new(&t, "en");
    for query in [
        "/jobs",
        "/jobs?q=operator&sort=newest",
        "/jobs?city=bishkek&sort=salary",
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut page = query.to_string();
        let mut pages = 0;
        loop {
            let (s, html) = b.get(&page).await;
            assert_eq!(s, StatusCode::OK, "{page}: {html}");
            assert!(html.contains("45 jobs found"), "{page}: {html}");
            let ids = cards(&html);
            assert!(!ids.is_empty() && ids.len() <= 20, "{page}: {}", ids.len());
            for id in ids {
                assert!(!seen.contains(&id), "{id} repeated on {page}");
                seen.push(id);
            }
            pages += 1;
            if pages > 1 {
                assert!(html.contains(">Back to the first page</a>"), "{page}");
            }
            match next_link(&html) {
                Some(next) => {
                    assert!(next.starts_with("/jobs?"), "{next}");
                    page = next;
                }
                None => break,
            }
            assert!(pages < 10, "paging does not end");
        }
        assert_eq!(pages, 3, "{query}");
        let mut sorted = seen.clone();
        sorted.sort();
        let mut all = made.clone();
        all.sort();
        assert_eq!(sorted, all, "{query}: every listing once");
    }

    // Newest first really is newest first.
    let (_, html) = b.get("/jobs?sort=newest").await;
    assert_eq!(cards(&html)[0], made[44]);

    // A page link that no longer fits says so and starts over.
    let (s, html) = b.get("/jobs?page=v1.garbage").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("That page link is out of date, so here is the first page."),
        "{html}"
    );
    assert_eq!(cards(&html).len(), 20);
}

//! The CSV import pages over HTTP: the guide, the template, all rows or none, CSRF and limits.

mod common;

use common::web::{csrf_of, location, Browser};
use common::TestServer;
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use teng_core::model::{JobListing, ListingStatus};
use teng_server::auth::Role;
use teng_server::storage::OrgListingQuery;
use uuid::Uuid;

const HEADER: &str = "title,description,category,employment_type,work_mode,building,city,region,salary_min,salary_max,salary_period,accommodations,languages,apply_phone,apply_email,valid_through";

/// A row that imports into `building` (an on-site job).
fn good_row(title: &str, building: Uuid) -> String {
    format!(
        "{title},\"Screen reader friendly, quiet room\",customer_service,full_time,on_site,{building},,,20000,30000,month,assistive_technology;quiet_workspace,ky;ru,+996 555 123 456,,2099-12-31\n"
    )
}

fn remote_row(title: &str) -> String {
    format!("{title},,it,part_time,remote,,Бишкек,bishkek,,,,,ru,,jobs@example.kg,\n")
}

/// The organization's listings, straight from storage.
fn listings_of(t: &TestServer, org: Uuid) -> Vec<JobListing> {
    t.server
        .state
        .storage
        .org_listings(&OrgListingQuery {
            organization_id: Some(org),
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.listing)
        .collect()
}

/// The import page's CSRF token for this browser.
async fn token(b: &Browser) -> String {
    let (status, html) = b.get("/manage/import").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    csrf_of(&html).expect("a csrf token")
}

/// Posts the upload form: `csrf`, then `organization` (when given), then the file.
async fn upload(
    b: &Browser,
    csrf: Option<&str>,
    organization: Option<&str>,
    file: impl Into<Vec<u8>>,
) -> Response {
    let mut form = Form::new();
    if let Some(csrf) = csrf {
        form = form.text("csrf", csrf.to_string());
    }
    if let Some(org) = organization {
        form = form.text("organization", org.to_string());
    }
    let part = Part::bytes(file.into())
        .file_name("listings.csv")
        .mime_str("text/csv")
        .unwrap();
    form = form.part("file", part);
    b.client
        .post(b.url("/manage/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// An NGO user signed in through the login form, with one building: (org, token, browser, building).
async fn ngo_browser(t: &TestServer, name: &str, lang: &str) -> (Uuid, String, Browser, Uuid) {
    let (org, api_token) = t.ngo(name).await;
    let building = t.building(&api_token, "Bishkek").await;
    let b = Browser::new(t, lang);
    b.login(name).await;
    (org, api_token, b, building)
}

#[tokio::test]
async fn the_page_documents_every_column_with_its_codes_in_the_page_language() {
    let t = TestServer::start().await;
    let (_, _, b, building) = ngo_browser(&t, "aigul", "ru").await;
    let (status, html) = b.get("/manage/import").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("<h1>Импорт вакансий из CSV-файла</h1>"));
    for column in HEADER.split(',').chain([
        "apply_sms",
        "apply_whatsapp",
        "apply_in_person",
        "building_id",
    ]) {
        assert!(
            html.contains(&format!("<code lang=\"en\">{column}</code>"))
                || html.contains(&format!("{column}.")),
            "column {column} is documented"
        );
    }
    // Codes with the shared vocabulary's labels, in Russian.
    assert!(html.contains("<code lang=\"en\">accounting</code> — бухгалтерия и финансы"));
    assert!(html.contains("<code lang=\"en\">remote</code> — удалённая работа"));
    assert!(html.contains("<code lang=\"en\">jalal_abad</code>"));
    // The file's rules, the template link, the form and the organization's buildings.
    assert!(html.contains("UTF-8"));
    assert!(html.contains("не больше 500 строк"));
    assert!(html.contains("BOM"));
    assert!(html.contains("href=\"/manage/import/template.csv\""));
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("<label for=\"file\">"));
    assert!(html.contains(&building.to_string()));
    assert!(html.contains("role=\"region\" aria-labelledby=\"columns-caption\" tabindex=\"0\""));
    assert!(html.contains("<caption id=\"columns-caption\">"));
    assert!(html.contains("<th scope=\"col\">"));
    assert!(html.contains("aria-current=\"page\">Импорт CSV</a>"));

    // Only editors: a city office is not allowed; without a session, to the login form.
    t.add_user("city1", Role::City, None, Some("Bishkek"));
    let city = Browser::new(&t, "en");
    city.login("city1").await;
    let (status, _) = city.get("/manage/import").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let anonymous = Browser::new(&t, "en");
    let r = anonymous.get_response("/manage/import").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login?next="), "{}", location(&r));
}

#[tokio::test]
async fn the_downloaded_template_imports_cleanly_as_drafts() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "aigul", "ky").await;
    let r = b.get_response("/manage/import/template.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let disposition = r.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let template = r.text().await.unwrap();
    assert!(template.contains("title,description,category"));
    assert!(
        template.contains(&building.to_string()),
        "the org's building"
    );

    let csrf = token(&b).await;
    let r = upload(&b, Some(&csrf), None, template.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/manage/import/done?count=2");
    let (status, html) = b.get(&location(&r)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2"), "{html}");
    assert!(html.contains("href=\"/manage/listings\""));

    let stored = listings_of(&t, org);
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|l| l.status == ListingStatus::Draft));
    assert!(stored.iter().all(|l| l.organization_id == org));
    assert!(stored.iter().any(|l| l.building_id == Some(building)));

    // The building may be named instead of its id.
    let by_name = template.replace(&building.to_string(), "office on chuy");
    let r = upload(&b, Some(&csrf), None, by_name).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(listings_of(&t, org).len(), 4);
}

#[tokio::test]
async fn one_bad_row_among_good_ones_writes_nothing_and_names_the_row_and_column() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "aigul", "en").await;
    let csrf = token(&b).await;
    let file = format!(
        "{HEADER}\n{}{}{}",
        good_row("First", building),
        good_row("Second", building).replace("full_time", "forever"),
        remote_row("Third"),
    );
    let r = upload(&b, Some(&csrf), None, file).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""));
    assert!(
        html.contains("href=\"#file\""),
        "the summary links to the file input"
    );
    assert!(html.contains("Problems found in the file: 1."));
    assert!(html.contains("<title>Error: Import listings from a CSV file — Teng</title>"));
    assert!(html
        .contains("<caption id=\"problems-caption\">Problems in the file: listings.csv</caption>"));
    assert!(html.contains("<th scope=\"row\">3</th>"), "{html}");
    assert!(html.contains("<code lang=\"en\">employment_type</code>"));
    assert!(html.contains("“forever” is not a code of this column. Codes: full_time, part_time"));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(listings_of(&t, org).is_empty(), "nothing is written");
}

#[tokio::test]
async fn a_good_file_creates_every_row_as_a_draft_of_the_users_organization() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "aigul", "en").await;
    let (other, _) = t.ngo("other").await;
    let csrf = token(&b).await;
    let file = format!(
        "\u{feff}{HEADER}\r\n{}{}{}",
        good_row("Оператор", building),
        good_row("\"Accountant, junior\"", building),
        remote_row("Developer"),
    );
    let r = upload(&b, Some(&csrf), None, file).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/manage/import/done?count=3");
    let stored = listings_of(&t, org);
    assert_eq!(stored.len(), 3);
    assert!(stored
        .iter()
        .all(|l| l.status == ListingStatus::Draft && l.organization_id == org));
    let mut titles: Vec<&str> = stored.iter().map(|l| l.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Accountant, junior", "Developer", "Оператор"]);
    let operator = stored.iter().find(|l| l.title == "Оператор").unwrap();
    assert_eq!(operator.description, "Screen reader friendly, quiet room");
    assert_eq!(operator.accommodations.len(), 2);
    assert_eq!(operator.city, "Bishkek", "the building's city");
    assert!(listings_of(&t, other).is_empty());
}

#[tokio::test]
async fn a_building_of_another_organization_is_refused() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "aigul", "en").await;
    let (_, other_token) = t.ngo("other").await;
    let foreign = t.building(&other_token, "Osh").await;
    let csrf = token(&b).await;
    let file = format!(
        "{HEADER}\n{}{}",
        good_row("Mine", building),
        good_row("Theirs", foreign)
    );
    let r = upload(&b, Some(&csrf), None, file).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<code lang=\"en\">building</code>"));
    assert!(html.contains(&format!(
        "This organization has no building with the id or name “{foreign}”"
    )));
    assert!(listings_of(&t, org).is_empty());
}

#[tokio::test]
async fn an_upload_without_the_forms_token_or_a_session_is_refused() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "aigul", "en").await;
    let file = format!("{HEADER}\n{}", good_row("First", building));

    let r = upload(&b, None, None, file.clone()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = upload(&b, Some("forged"), None, file.clone()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("The form has expired"));
    // A token after the file does not count: the file is never read before the token is checked.
    let csrf = token(&b).await;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(file.clone().into_bytes()).file_name("a.csv"),
        )
        .text("csrf", csrf.clone());
    let r = b
        .client
        .post(b.url("/manage/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(listings_of(&t, org).is_empty());

    let anonymous = Browser::new(&t, "en");
    let r = upload(&anonymous, Some(&csrf), None, file).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
    assert!(listings_of(&t, org).is_empty());
}

#[tokio::test]
async fn an_oversized_upload_gets_the_too_large_page() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "aigul", "en").await;
    let csrf = token(&b).await;
    let mut file = format!("{HEADER}\n");
    while file.len() < 100 * 1024 {
        file.push_str(&good_row("Row", building));
    }
    let r = upload(&b, Some(&csrf), None, file).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<h1>Too large</h1>") || html.contains("Too large"),
        "{html}"
    );
    assert!(html.contains("<html lang=\"en\">"));
    assert!(listings_of(&t, org).is_empty());
}

#[tokio::test]
async fn broken_files_get_clear_messages() {
    let t = TestServer::start().await;
    let (org, _, b, building) = ngo_browser(&t, "nurlan", "ru").await;
    let csrf = token(&b).await;

    // Windows-1251, as Excel's plain "CSV" saves Cyrillic.
    let mut cp1251 = format!("{HEADER}\n").into_bytes();
    cp1251.extend_from_slice(&[0xC1, 0xF3, 0xF5, 0xE3, 0xE0, 0xEB, 0xF2, 0xE5, 0xF0]);
    cp1251.extend_from_slice(good_row("", building).as_bytes());
    let r = upload(&b, Some(&csrf), None, cp1251).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Файл не в кодировке UTF-8"), "{html}");
    assert!(html.contains("CSV UTF-8"));

    // No header row.
    let r = upload(&b, Some(&csrf), None, good_row("Без заголовка", building)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("В первой строке должны быть названия столбцов"),
        "{html}"
    );

    // Unknown and missing columns.
    let r = upload(
        &b,
        Some(&csrf),
        None,
        "title,categroy,work_mode,languages,apply_phone\nA,it,remote,ru,+996 555 123 456\n",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<code lang=\"en\">categroy</code>"));
    assert!(html.contains("Неизвестный столбец"));
    assert!(html.contains("<code lang=\"en\">employment_type</code>"));
    assert!(html.contains("В файле нет этого обязательного столбца"));

    // Wrong codes in coded and list columns name the column and the codes.
    let file = format!(
        "{HEADER}\n{}",
        good_row("A", building)
            .replace("customer_service", "kassir")
            .replace("ky;ru", "ky;kz")
    );
    let r = upload(&b, Some(&csrf), None, file).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("<code lang=\"en\">category</code>"));
    assert!(html.contains("«kassir» — не код этого столбца. Коды: accounting"));
    assert!(html.contains("<code lang=\"en\">languages</code>"));
    assert!(html.contains("«kz» — не код этого столбца. Коды: ky, ru, en"));

    // No file chosen.
    let form = Form::new().text("csrf", csrf.clone());
    let r = b
        .client
        .post(b.url("/manage/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Выберите CSV-файл"));
    assert!(listings_of(&t, org).is_empty());
}

#[tokio::test]
async fn an_admin_chooses_the_organization_to_import_into() {
    let t = TestServer::start().await;
    let (org, api_token) = t.ngo("aigul").await;
    let building = t.building(&api_token, "Bishkek").await;
    t.add_user("boss", Role::Admin, None, None);
    let b = Browser::new(&t, "en");
    b.login("boss").await;

    let (_, html) = b.get("/manage/import").await;
    assert!(html.contains("<select id=\"organization\" name=\"organization\""));
    assert!(
        !html.contains("enctype=\"multipart/form-data\""),
        "choose first"
    );
    let (_, html) = b.get(&format!("/manage/import?organization={org}")).await;
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains(&format!(
        "<input type=\"hidden\" name=\"organization\" value=\"{org}\">"
    )));
    assert!(html.contains(&building.to_string()));
    let r = b
        .get_response(&format!("/manage/import/template.csv?organization={org}"))
        .await;
    let template = r.text().await.unwrap();
    assert!(template.contains(&building.to_string()));

    let csrf = csrf_of(&html).unwrap();
    let r = upload(&b, Some(&csrf), Some("not-an-org"), template.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("href=\"#organization\""));
    assert!(listings_of(&t, org).is_empty());

    let r = upload(&b, Some(&csrf), Some(&org.to_string()), template).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = listings_of(&t, org);
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|l| l.organization_id == org));
}

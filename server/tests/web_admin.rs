//! The administrators' pages (`/admin...`) over HTTP against a real server: who may reach them,
//! organizations (add, verify, stale edits), users (add, reset a password, sign out everywhere),
//! and that every form needs its CSRF token and a live session.

mod common;

use common::web::{csrf_of, location, Browser};
use common::{TestServer, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use teng_server::auth::Role;
use uuid::Uuid;

/// A server and a browser signed in as its admin (`root`).
async fn admin_browser(lang: &str) -> (TestServer, Browser) {
    let t = TestServer::start().await;
    let b = Browser::new(&t, lang);
    b.login("root").await;
    (t, b)
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

/// The one-time password on the page that made it.
fn shown_password(html: &str) -> String {
    let open = "<code class=\"secret\" id=\"new-password\">";
    let at = html
        .find(open)
        .unwrap_or_else(|| panic!("no password in {html}"))
        + open.len();
    html[at..at + html[at..].find("</code>").unwrap()].to_string()
}

/// The `<tr>` of a table that contains `needle`.
fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {html}"));
    let start = html[..at].rfind("<tr>").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

/// Logs in through the API: the status and, on success, the bearer token.
async fn api_login(t: &TestServer, username: &str, password: &str) -> (StatusCode, Option<String>) {
    let (s, v) = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "username": username, "password": password }),
        )
        .await;
    (s, v["token"].as_str().map(String::from))
}

/// Logs in through the login form; returns the answer (303 on success).
async fn web_login(b: &Browser, username: &str, password: &str) -> reqwest::Response {
    b.submit(
        "/login",
        "/login",
        &[
            ("username", username),
            ("password", password),
            ("next", "/"),
        ],
    )
    .await
}

fn org_fields(name: &str, kind: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_string()),
        ("kind", kind.to_string()),
        ("phone", "+996 555 123 456".to_string()),
        ("email", "info@ak-jol.kg".to_string()),
        ("website", "https://ak-jol.kg".to_string()),
    ]
}

async fn org_json(t: &TestServer, id: &str) -> Value {
    let (s, v) = t
        .get(&format!("/v1/organizations/{id}"), Some(&t.admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn only_admins_reach_the_admin_pages() {
    let t = TestServer::start().await;
    let (org, _) = t.ngo("akjol").await;
    t.add_user("cityhall", Role::City, None, Some("Bishkek"));
    t.add_user("target", Role::Ngo, Some(org), None);
    let pages = [
        "/admin".to_string(),
        "/admin/organizations".to_string(),
        "/admin/organizations/new".to_string(),
        format!("/admin/organizations/{org}/edit"),
        "/admin/users".to_string(),
        "/admin/users/new".to_string(),
        "/admin/users/target".to_string(),
    ];
    for (user, lang, title) in [
        ("akjol", "en", "<h1>Not allowed</h1>"),
        ("cityhall", "ru", "<html lang=\"ru\">"),
    ] {
        let b = Browser::new(&t, lang);
        b.login(user).await;
        for page in &pages {
            let (s, html) = b.get(page).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{user} {page}");
            assert!(html.contains(title), "{user} {page}: {html}");
            assert!(!html.contains("akjol org"), "{user} {page}");
            assert!(!html.contains("name=\"csrf\""), "{user} {page}");
        }
        // Their own valid token does not open the forms either; nothing changes.
        let (_, home) = b.get("/").await;
        let token = csrf_of(&home).expect("the logout form's token");
        let org_edit = format!("/admin/organizations/{org}/edit");
        let posts: [(&str, Vec<(&str, &str)>); 5] = [
            (
                "/admin/organizations/new",
                vec![("name", "Sneaky org"), ("kind", "ngo")],
            ),
            (
                "/admin/users/new",
                vec![
                    ("username", "sneaky"),
                    ("role", "admin"),
                    ("password", "a long password"),
                ],
            ),
            ("/admin/users/target/reset-password", vec![]),
            ("/admin/users/target/revoke-tokens", vec![]),
            (
                org_edit.as_str(),
                vec![
                    ("name", "Renamed"),
                    ("kind", "ngo"),
                    ("verified", "1"),
                    ("version", "1"),
                ],
            ),
        ];
        for (path, fields) in posts {
            let mut all = vec![("csrf", token.as_str())];
            all.extend(fields);
            let r = b.post(path, &all).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{user} {path}");
        }
    }
    assert!(t
        .server
        .state
        .storage
        .user_by_name("sneaky")
        .unwrap()
        .is_none());
    let stored = org_json(&t, &org.to_string()).await;
    assert_eq!(stored["name"], "akjol org");
    assert_eq!(stored["verified"], false);
    assert_eq!(t.server.state.storage.stats().unwrap().organizations, 1);
    assert_eq!(api_login(&t, "target", PASSWORD).await.0, StatusCode::OK);

    // Nobody signed in: to the login form.
    let stranger = Browser::new(&t, "en");
    for page in &pages {
        let r = stranger.get_response(page).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{page}");
        assert!(
            location(&r).starts_with("/login?next=/admin"),
            "{}",
            location(&r)
        );
    }

    // The admin does reach them, and the overview counts what is there.
    let admin = Browser::new(&t, "en");
    admin.login("root").await;
    let (s, html) = admin.get("/admin").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<h1>Administration</h1>"));
    assert!(
        html.contains("<dt>Organizations</dt>\n  <dd>1</dd>"),
        "{html}"
    );
    assert!(html.contains("<dt>Users</dt>\n  <dd>4</dd>"), "{html}");
}

#[tokio::test]
async fn an_organization_is_added_with_every_problem_named_then_verified() {
    let (t, b) = admin_browser("en").await;
    let (s, html) = b.get("/admin/organizations/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<h1>New organization</h1>"));

    let bad = vec![
        ("name", "  ".to_string()),
        ("kind", "secret_society".to_string()),
        ("phone", "12".to_string()),
        ("email", "nobody".to_string()),
        ("website", "ftp://ak-jol.kg".to_string()),
    ];
    let r = b
        .submit(
            "/admin/organizations/new",
            "/admin/organizations/new",
            &refs(&bad),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<title>Error: New organization — Teng</title>"));
    for (id, message) in [
        ("name", ""),
        ("kind", "Choose the kind of organization from the list"),
        ("phone", "Enter a phone number such as +996 555 123 456"),
        ("email", "Enter an email address such as name@example.kg"),
        ("website", "Enter a web address starting with https://"),
    ] {
        assert!(
            html.contains(&format!("<li><a href=\"#{id}\">{message}")),
            "{id}: {html}"
        );
        assert!(html.contains(&format!("id=\"{id}-error\"")), "{id}");
    }
    assert!(html.contains("value=\"12\"") && html.contains("value=\"nobody\""));
    assert!(html.contains("value=\"ftp://ak-jol.kg\""));
    assert!(
        !html.contains(" checked>"),
        "an unknown kind checks no radio: {html}"
    );
    assert_eq!(t.server.state.storage.stats().unwrap().organizations, 0);

    // Fixed: added, not verified yet.
    let r = b
        .submit(
            "/admin/organizations/new",
            "/admin/organizations/new",
            &refs(&org_fields("Ак-Жол", "ngo")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    let id = to
        .strip_prefix("/admin/organizations?created=")
        .unwrap_or_else(|| panic!("{to}"))
        .to_string();
    let (_, html) = b.get(&to).await;
    assert!(
        html.contains("The organization “Ак-Жол” was added."),
        "{html}"
    );
    let row = row_with(&html, "<th scope=\"row\">Ак-Жол</th>");
    assert!(row.contains("status-unverified"), "{row}");
    assert!(row.contains("info@ak-jol.kg"));
    assert!(row.contains(&format!("href=\"/admin/organizations/{id}/edit\"")));
    let stored = org_json(&t, &id).await;
    assert_eq!(stored["verified"], false);
    assert_eq!(stored["contact"]["phone"], "+996 555 123 456");

    // Verifying: the edit form, ticked.
    let edit = format!("/admin/organizations/{id}/edit");
    let (s, html) = b.get(&edit).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"Ак-Жол\""));
    assert!(
        html.contains("name=\"kind\" value=\"ngo\" checked"),
        "{html}"
    );
    assert!(!html.contains(
        "id=\"verified\" name=\"verified\" value=\"1\" aria-describedby=\"verified-hint\" checked"
    ));
    let version = hidden(&html, "version");
    let mut fields = org_fields("Ак-Жол", "ngo");
    fields.push(("verified", "1".into()));
    fields.push(("version", version.clone()));
    let r = b.submit(&edit, &edit, &refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/admin/organizations?saved={id}"));
    let (_, html) = b.get(&location(&r)).await;
    assert!(html.contains("The organization “Ак-Жол” was saved."));
    let row = row_with(&html, "<th scope=\"row\">Ак-Жол</th>");
    assert!(
        row.contains("status-verified") && row.contains("Verified"),
        "{row}"
    );
    let stored = org_json(&t, &id).await;
    assert_eq!(stored["verified"], true);
    // Phones see it verified too.
    let (_, device) = t.device().await;
    let (_, pulled) = t.get("/v1/sync/pull?since=0", Some(&device)).await;
    let change = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "organization" && c["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{pulled}"))
        .clone();
    assert_eq!(change["record"]["verified"], true, "{change}");

    // A save against the old version shows both and overwrites nothing.
    let mut stale = org_fields("Старое имя", "ngo");
    stale.push(("version", version));
    let r = b.submit(&edit, &edit, &refs(&stale)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("Someone else changed this organization"));
    assert!(html.contains("<dd>Ак-Жол</dd>") && html.contains("<dd>Verified</dd>"));
    assert!(html.contains("value=\"Старое имя\""));
    assert_eq!(org_json(&t, &id).await["name"], "Ак-Жол");

    // Unknown organizations are not found.
    for page in [
        format!("/admin/organizations/{}/edit", Uuid::now_v7()),
        "/admin/organizations/nope/edit".to_string(),
        "/admin/users/nobody-here".to_string(),
    ] {
        let (s, _) = b.get(&page).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{page}");
    }
}

#[tokio::test]
async fn an_admin_created_ngo_user_can_log_in_and_work_for_their_organization() {
    let (t, b) = admin_browser("en").await;
    let org = t.org("Ак-Жол").await;
    let (_, html) = b.get(&format!("/admin/users/new?organization={org}")).await;
    assert!(
        html.contains(&format!("<option value=\"{org}\" selected>Ак-Жол</option>")),
        "{html}"
    );
    assert!(html.contains("name=\"role\" value=\"ngo\" aria-describedby=\"role-hint\" checked"));

    // Every problem at once; what was typed stays.
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("username", "a b"),
                ("role", "emperor"),
                ("organization", ""),
                ("city", "Бишкек"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<li><a href=\"#username\">The username must be 3 to 64 characters"));
    assert!(html.contains("<li><a href=\"#role\">Choose a role from the list</a></li>"));
    assert!(html
        .contains("<li><a href=\"#password\">The password must be 12 to 256 characters</a></li>"));
    assert!(html.contains("value=\"a b\"") && html.contains("value=\"Бишкек\""));
    assert!(!html.contains(" checked"), "no role is checked: {html}");

    // An ngo user needs an organization that exists.
    let unknown = Uuid::now_v7().to_string();
    for (org_value, message) in [
        ("", "Choose the organization this staff member works for"),
        (
            unknown.as_str(),
            "There is no such organization. Choose one from the list",
        ),
    ] {
        let r = b
            .submit(
                "/admin/users/new",
                "/admin/users/new",
                &[
                    ("username", "aigul"),
                    ("role", "ngo"),
                    ("organization", org_value),
                    ("password", "a long first password"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("<li><a href=\"#organization\">{message}</a></li>")),
            "{html}"
        );
        assert!(html.contains("value=\"aigul\""));
    }
    assert!(t
        .server
        .state
        .storage
        .user_by_name("aigul")
        .unwrap()
        .is_none());

    // Made with a typed password: to the user's page, then they log in and see their listings.
    let org_text = org.to_string();
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("username", "aigul"),
                ("role", "ngo"),
                ("organization", org_text.as_str()),
                ("city", ""),
                ("password", "a long first password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/admin/users/aigul?created=1");
    let (_, html) = b.get(&location(&r)).await;
    assert!(html.contains("The user “aigul” was created."));
    assert!(html.contains("<dd>organization staff</dd>"));
    assert!(html.contains(&format!(
        "<a href=\"/admin/organizations/{org}/edit\">Ак-Жол</a>"
    )));
    let staff = Browser::new(&t, "en");
    let r = web_login(&staff, "aigul", "a long first password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/manage/listings");
    let (s, _) = staff.get("/manage/buildings/new").await;
    assert_eq!(s, StatusCode::OK, "an ngo user manages buildings");
    let (s, _) = staff.get("/admin").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, token) = api_login(&t, "aigul", "a long first password").await;
    assert_eq!(s, StatusCode::OK);
    let (_, me) = t.get("/v1/auth/me", token.as_deref()).await;
    assert_eq!(me["user"]["role"], "ngo");
    assert_eq!(me["user"]["organization_id"], org_text);

    // The same name again is refused by its field.
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("username", "aigul"),
                ("role", "admin"),
                ("password", "another long password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(
        "<li><a href=\"#username\">There is already a user with this name. Choose another</a></li>"
    ));

    // Made without a password: one is generated and shown once, and it works.
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("username", "nurlan@city"),
                ("role", "city"),
                ("city", "Бишкек"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("The user “nurlan@city” was created."));
    let password = shown_password(&html);
    assert!(password.len() >= 12, "{password}");
    assert!(
        html.contains("href=\"/admin/users/nurlan%40city\""),
        "{html}"
    );
    let (s, _) = api_login(&t, "nurlan@city", &password).await;
    assert_eq!(s, StatusCode::OK);
    let (_, html) = b.get("/admin/users/nurlan%40city").await;
    assert!(html.contains("<dd>city office staff</dd>") && html.contains("<dd>Бишкек</dd>"));
    assert!(!html.contains(&password), "the password is shown once only");
    let (_, html) = b.get("/admin/users").await;
    assert!(html.contains("All users: 3"), "{html}");
    assert!(row_with(&html, ">aigul</a>").contains("Ак-Жол"));
}

#[tokio::test]
async fn a_password_reset_makes_the_old_password_and_every_token_fail() {
    let (t, b) = admin_browser("en").await;
    let (_, old_token) = t.ngo("akjol").await;
    let theirs = Browser::new(&t, "en");
    theirs.login("akjol").await;

    let page = "/admin/users/akjol";
    let (s, html) = b.get(page).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("action=\"/admin/users/akjol/reset-password\""));
    let r = b
        .submit(page, "/admin/users/akjol/reset-password", &[])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("The password of “akjol” was replaced and all their sessions were ended.")
    );
    let new = shown_password(&html);
    assert_ne!(new, PASSWORD);

    assert_eq!(
        api_login(&t, "akjol", PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    let r = web_login(&Browser::new(&t, "en"), "akjol", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (s, _) = t.get("/v1/auth/me", Some(&old_token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the old token ended");
    let r = theirs.get_response("/manage/listings").await;
    assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    let (s, token) = api_login(&t, "akjol", &new).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t.get("/v1/auth/me", token.as_deref()).await;
    assert_eq!(s, StatusCode::OK);

    // A GET of the action (after a login, say) lands on the user's page and changes nothing.
    let r = b.get_response("/admin/users/akjol/reset-password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/admin/users/akjol");
    assert_eq!(api_login(&t, "akjol", &new).await.0, StatusCode::OK);
    // An unknown user is not found.
    let r = b
        .submit(page, "/admin/users/nobody-here/reset-password", &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn revoking_tokens_ends_api_tokens_and_sessions_but_keeps_the_password() {
    let (t, b) = admin_browser("ru").await;
    let (_, token) = t.ngo("akjol").await;
    let second = t.login("akjol").await;
    let theirs = Browser::new(&t, "en");
    theirs.login("akjol").await;
    let (s, _) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t
        .post("/v1/buildings", Some(&token), common::building_json("Ош"))
        .await;
    assert_eq!(s, StatusCode::CREATED);

    let page = "/admin/users/akjol";
    let r = b
        .submit(page, "/admin/users/akjol/revoke-tokens", &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.starts_with("/admin/users/akjol?revoked="), "{to}");
    let n: u64 = to.rsplit('=').next().unwrap().parse().unwrap();
    assert!(n >= 3, "two tokens and a session: {n}");
    let (_, html) = b.get(&to).await;
    assert!(
        html.contains(&format!(
            "Завершено сеансов и токенов пользователя «akjol»: {n}."
        )),
        "{html}"
    );

    for t_ in [&token, &second] {
        let (s, _) = t.get("/v1/auth/me", Some(t_)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, v) = t
            .post("/v1/buildings", Some(t_), common::building_json("Ош"))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    }
    assert_eq!(t.server.state.storage.stats().unwrap().buildings, 1);
    let r = theirs.get_response("/manage/listings").await;
    assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    // The password still works; the admin's own session goes on.
    let (s, fresh) = api_login(&t, "akjol", PASSWORD).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t.get("/v1/auth/me", fresh.as_deref()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = b.get("/admin").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t.get("/v1/auth/me", Some(&t.admin)).await;
    assert_eq!(s, StatusCode::OK);

    // The admin's own page offers neither form.
    let (_, html) = b.get("/admin/users/root").await;
    assert!(!html.contains("reset-password") && !html.contains("revoke-tokens"));
}

#[tokio::test]
async fn every_admin_form_needs_its_csrf_token_and_a_live_session() {
    let (t, b) = admin_browser("en").await;
    let (org, token) = t.ngo("akjol").await;
    let edit = format!("/admin/organizations/{org}/edit");
    let posts: Vec<(String, Vec<(&'static str, String)>)> = vec![
        (
            "/admin/organizations/new".into(),
            org_fields("Forged org", "ngo"),
        ),
        (edit.clone(), {
            let mut f = org_fields("Forged rename", "ngo");
            f.push(("verified", "1".into()));
            f.push(("version", "1".into()));
            f
        }),
        (
            "/admin/users/new".into(),
            vec![
                ("username", "forged".into()),
                ("role", "admin".into()),
                ("password", "a long forged password".into()),
            ],
        ),
        ("/admin/users/akjol/reset-password".into(), vec![]),
        ("/admin/users/akjol/revoke-tokens".into(), vec![]),
    ];
    let unchanged = |t: &TestServer| {
        let s = t.server.state.storage.clone();
        assert!(s.user_by_name("forged").unwrap().is_none());
        let o = s.get_organization(org).unwrap().unwrap();
        assert_eq!(o.record.name, "akjol org");
        assert!(!o.record.verified);
        assert_eq!(o.version, 1);
        assert_eq!(s.stats().unwrap().organizations, 1);
    };
    for (path, fields) in &posts {
        let r = b.post(path, &refs(fields)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} without a token");
        assert!(
            r.text().await.unwrap().contains("<h1>"),
            "a page, not a bare status"
        );
        let mut wrong = refs(fields);
        wrong.push(("csrf", "not-the-token"));
        let r = b.post(path, &wrong).await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
        // A right token from another site is refused as well.
        let (_, html) = b.get("/admin").await;
        let good = csrf_of(&html).unwrap();
        let mut all = refs(fields);
        all.push(("csrf", good.as_str()));
        let r = b
            .client
            .post(b.url(path))
            .header("Origin", "https://evil.example")
            .form(&all)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} from another site"
        );
    }
    unchanged(&t);
    let (s, _) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::OK, "the ngo user's token still works");
    assert_eq!(api_login(&t, "akjol", PASSWORD).await.0, StatusCode::OK);

    // The admin's session ends; the page's old token no longer does anything.
    let (_, html) = b.get("/admin").await;
    let old = csrf_of(&html).unwrap();
    let root = t
        .server
        .state
        .storage
        .user_by_name("root")
        .unwrap()
        .unwrap()
        .user;
    t.server
        .state
        .storage
        .revoke_user_tokens(root.id, chrono::Utc::now())
        .unwrap();
    for (path, fields) in &posts {
        let mut all = refs(fields);
        all.push(("csrf", old.as_str()));
        let r = b.post(path, &all).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    }
    let r = b.get_response("/admin/users").await;
    assert_eq!(location(&r), "/login?next=/admin/users&expired=1");
    unchanged(&t);
    let (s, _) = t.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn an_oversized_admin_form_is_refused() {
    let (t, b) = admin_browser("en").await;
    let huge = "x".repeat(70 * 1024);
    let r = b
        .submit(
            "/admin/organizations/new",
            "/admin/organizations/new",
            &refs(&org_fields(&huge, "ngo")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("Too large"));
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("username", "bigone"),
                ("role", "admin"),
                ("password", huge.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(t
        .server
        .state
        .storage
        .user_by_name("bigone")
        .unwrap()
        .is_none());
    assert_eq!(t.server.state.storage.stats().unwrap().organizations, 0);

    // Under the body limit but over the core's: a message by the field, and the typed
    // password is not sent back.
    let long = "n".repeat(300);
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("username", "bigone"),
                ("role", "admin"),
                ("password", long.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html
        .contains("<li><a href=\"#password\">The password must be 12 to 256 characters</a></li>"));
    assert!(!html.contains(&long), "a typed password is never echoed");
}

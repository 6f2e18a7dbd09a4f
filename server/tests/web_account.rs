//! The web pages' frame, sessions, CSRF and languages, over HTTP against a real server.

mod common;

use common::web::{csrf_of, location, Browser};
use common::TestServer;
use reqwest::StatusCode;
use teng_server::auth::Role;

#[tokio::test]
async fn accept_language_picks_the_page_language_and_the_switch_overrides_it() {
    let t = TestServer::start().await;
    let b = Browser::new(&t, "ru-RU,ru;q=0.9,en;q=0.5");
    let (status, html) = b.get("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"ru\">"), "{html}");
    assert!(html.contains("<title>Вход — Тең</title>"));

    let r = b.get_response("/lang/en?next=/login").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login");
    let (_, html) = b.get("/login").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<title>Log in — Teng</title>"));

    // The switch never sends anyone off the site.
    let r = b.get_response("/lang/ky?next=//evil.example/").await;
    assert_eq!(location(&r), "/");
}

#[tokio::test]
async fn login_sets_a_secure_session_cookie_and_logout_ends_it() {
    let t = TestServer::start().await;
    let (org, _) = t.ngo("Ak-Jol").await;
    t.add_user("aigul", Role::Ngo, Some(org), None);
    let b = Browser::new(&t, "en");
    let (_, html) = b.get("/login").await;
    let token = csrf_of(&html).unwrap();
    let r = b
        .post(
            "/login",
            &[
                ("csrf", token.as_str()),
                ("username", "aigul"),
                ("password", common::PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/manage/listings");
    let cookie = r
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("teng_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=43200"), "{cookie}");

    let (_, home) = b.get("/").await;
    assert!(home.contains("<strong>aigul</strong>"));

    // Logging out needs the form's token, then the session is gone for good.
    let r = b.post("/logout", &[("csrf", "wrong")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = b.submit("/", "/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, home) = b.get("/").await;
    assert!(!home.contains("<strong>aigul</strong>"));
    let r = b.get_response("/account/password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&r).starts_with("/login?next=%2Faccount%2Fpassword")
            || location(&r).starts_with("/login?next=/account/password"),
        "{}",
        location(&r)
    );
}

#[tokio::test]
async fn a_login_without_the_forms_token_or_from_another_site_is_refused() {
    let t = TestServer::start().await;
    t.add_user("city1", Role::City, None, Some("Bishkek"));
    let b = Browser::new(&t, "en");
    let r = b
        .post(
            "/login",
            &[("username", "city1"), ("password", common::PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = b.get("/login").await;
    let token = csrf_of(&html).unwrap();
    let r = b
        .client
        .post(b.url("/login"))
        .header("Origin", "https://evil.example")
        .form(&[
            ("csrf", token.as_str()),
            ("username", "city1"),
            ("password", common::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_summary_and_keeps_the_username() {
    let t = TestServer::start().await;
    t.add_user("aibek", Role::City, None, Some("Bishkek"));
    let b = Browser::new(&t, "ky");
    let r = b
        .submit(
            "/login",
            "/login",
            &[("username", "aibek"), ("password", "nope-nope-nope")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("href=\"#username\""));
    assert!(html.contains("Колдонуучунун аты же сырсөз туура эмес"));
    assert!(html.contains("value=\"aibek\""));
    assert!(html.contains("<title>Ката: Кирүү — Тең</title>"));
}

#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let t = TestServer::start_with(|c| c.logins_per_minute = 2).await;
    t.add_user("nurlan", Role::City, None, Some("Bishkek"));
    let b = Browser::new(&t, "en");
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let r = b
            .submit(
                "/login",
                "/login",
                &[("username", "nurlan"), ("password", "wrong-password")],
            )
            .await;
        statuses.push(r.status());
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_expired_or_ended_session_sends_the_browser_to_log_in_again() {
    let t = TestServer::start().await;
    t.add_user("ended", Role::Admin, None, None);
    let b = Browser::new(&t, "en");
    b.login("ended").await;
    let (status, _) = b.get("/account/password").await;
    assert_eq!(status, StatusCode::OK);
    // An admin revoking the user's tokens ends web sessions too.
    let user = t
        .server
        .state
        .storage
        .user_by_name("ended")
        .unwrap()
        .unwrap()
        .user;
    t.server
        .state
        .storage
        .revoke_user_tokens(user.id, chrono::Utc::now())
        .unwrap();
    let r = b.get_response("/account/password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("&expired=1"), "{}", location(&r));
    let (_, html) = b.get(&location(&r)).await;
    assert!(html.contains("Your session has ended"));
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions() {
    let t = TestServer::start().await;
    t.add_user("gulnara", Role::Admin, None, None);
    let first = Browser::new(&t, "en");
    let second = Browser::new(&t, "en");
    first.login("gulnara").await;
    second.login("gulnara").await;

    let r = first
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current", "not-it-at-all"),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#current\""));
    assert!(html.contains("href=\"#new\""));

    let new = "a much longer passphrase";
    let r = first
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current", common::PASSWORD),
                ("new", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, html) = first.get("/account/password?done=1").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the changing browser stays signed in"
    );
    assert!(html.contains("Your password is changed"));
    let r = second.get_response("/account/password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the other session ended");
}

#[tokio::test]
async fn browsers_get_html_error_pages_and_api_clients_json() {
    let t = TestServer::start().await;
    let b = Browser::new(&t, "ru");
    let (status, html) = b.get("/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Страница не найдена"));
    let (status, json) = t.get("/v1/no-such-endpoint", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json["error"]["code"], "not_found");
}

#[tokio::test]
async fn pages_carry_security_headers_and_are_not_cached() {
    let t = TestServer::start().await;
    let b = Browser::new(&t, "en");
    let r = b.get_response("/login").await;
    let h = r.headers();
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    let css = b.get_response("/static/teng.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
}

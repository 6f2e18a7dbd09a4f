//! Login limits over HTTP: per account from anywhere, and per client address as named by a
//! trusted reverse proxy (and only by one).

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use teng_server::auth::Role;

async fn login(t: &TestServer, user: &str, password: &str, forwarded: Option<&str>) -> StatusCode {
    let mut req = t
        .client
        .post(t.url("/v1/auth/login"))
        .json(&json!({ "username": user, "password": password }));
    if let Some(f) = forwarded {
        req = req.header("X-Forwarded-For", f);
    }
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn one_account_is_throttled_whatever_the_address_and_others_are_not() {
    let t = TestServer::start().await;
    t.add_user("target", Role::Ngo, None, None);
    t.add_user("bystander", Role::Ngo, None, None);
    for _ in 0..teng_server::login::PER_ACCOUNT {
        assert_eq!(
            login(&t, "target", "wrong-password", None).await,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password waits now: guessing cannot go on.
    assert_eq!(
        login(&t, "target", PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Case does not make another account.
    assert_eq!(
        login(&t, "TARGET", PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(login(&t, "bystander", PASSWORD, None).await, StatusCode::OK);
    // Nor does another spelling that a database might take for the same name (full-width
    // letters, a soft hyphen: PostgreSQL's collation would match them): no account has it.
    for name in ["ｂｙｓｔａｎｄｅｒ", "by\u{ad}stander", "bystander\u{200b}"] {
        assert_eq!(
            login(&t, name, PASSWORD, None).await,
            StatusCode::UNAUTHORIZED,
            "{name:?}"
        );
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_bucket() {
    let t = TestServer::start_with(|c| {
        c.logins_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    t.add_user("u1", Role::Ngo, None, None);
    // The server's own setup login came straight from 127.0.0.1 (no header): another bucket.
    for _ in 0..2 {
        assert_eq!(
            login(&t, "u1", PASSWORD, Some("203.0.113.1")).await,
            StatusCode::OK
        );
    }
    assert_eq!(
        login(&t, "u1", PASSWORD, Some("203.0.113.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A forged left-most entry does not buy a new bucket: the proxy appended the real address.
    assert_eq!(
        login(&t, "u1", PASSWORD, Some("198.51.100.7, 203.0.113.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login(&t, "u1", PASSWORD, Some("203.0.113.2")).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn without_a_trusted_proxy_the_header_is_ignored() {
    let t = TestServer::start_with(|c| c.logins_per_minute = 3).await;
    t.add_user("u1", Role::Ngo, None, None);
    // One attempt went to the setup login; two more from "different" forwarded addresses.
    for client in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(
            login(&t, "u1", PASSWORD, Some(client)).await,
            StatusCode::OK
        );
    }
    assert_eq!(
        login(&t, "u1", PASSWORD, Some("203.0.113.3")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

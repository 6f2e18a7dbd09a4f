//! A browser-like client for the web pages: its own cookie store, CSRF tokens read from the page,
//! forms posted as a browser posts them (no redirects followed, so tests see the 303).
#![allow(dead_code)]

use reqwest::{Client, Response, StatusCode};

use super::{TestServer, PASSWORD};

pub struct Browser {
    pub client: Client,
    pub base: String,
}

impl Browser {
    /// A fresh browser (no cookies) speaking `lang` in its Accept-Language.
    pub fn new(server: &TestServer, lang: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT_LANGUAGE,
            lang.parse().expect("a header value"),
        );
        headers.insert(reqwest::header::ACCEPT, "text/html".parse().unwrap());
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()
                .unwrap(),
            base: server.server.url(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET a page: (status, body).
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self.client.get(self.url(path)).send().await.unwrap();
        let status = r.status();
        (status, r.text().await.unwrap())
    }

    pub async fn get_response(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// POST form fields as given (a test that wants a CSRF token includes it).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// GETs `page`, then POSTs `fields` to `action` with the page's CSRF token added.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let (_, html) = self.get(page).await;
        let token = csrf_of(&html).unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Logs in through the login form (the test users' password); panics unless it succeeds.
    pub async fn login(&self, username: &str) {
        let r = self
            .submit(
                "/login",
                "/login",
                &[
                    ("username", username),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "login of {username} failed"
        );
    }
}

/// The first CSRF token on a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

/// The `Location` of a redirect.
pub fn location(r: &Response) -> String {
    r.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

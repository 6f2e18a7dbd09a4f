//! The web pages' one error type: every failure becomes a page in the reader's language with the
//! right status, or a redirect to the login form.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use teng_core::accessibility::Lang;

use super::page::{percent_encode, render_with, Chrome};
use crate::error::ApiError;

#[derive(Debug)]
pub enum WebError {
    /// Not signed in (or the session ended): to the login form, then back to `next`.
    Login {
        next: String,
        expired: bool,
    },
    NotFound(Lang),
    Forbidden(Lang),
    /// A form without a valid CSRF token, or sent from another site.
    Csrf(Lang),
    TooLarge(Lang),
    BadRequest(Lang, String),
    Busy(Lang),
    Internal(Lang),
}

impl WebError {
    /// Maps an API/storage error (a storage call failed) onto a page.
    pub fn from_api(lang: Lang, e: ApiError) -> WebError {
        match e.status {
            StatusCode::NOT_FOUND => WebError::NotFound(lang),
            StatusCode::FORBIDDEN => WebError::Forbidden(lang),
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge(lang),
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => WebError::Busy(lang),
            s if s.is_client_error() => WebError::BadRequest(lang, e.message),
            _ => WebError::Internal(lang),
        }
    }
}

/// `result.web(lang)?` in handlers: a storage error as a page.
pub trait OrPage<T> {
    fn web(self, lang: Lang) -> Result<T, WebError>;
}

impl<T> OrPage<T> for Result<T, ApiError> {
    fn web(self, lang: Lang) -> Result<T, WebError> {
        self.map_err(|e| WebError::from_api(lang, e))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: &'static str,
    body: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, lang) = match &self {
            WebError::Login { next, expired } => {
                let mut to = format!("/login?next={}", percent_encode(next));
                if *expired {
                    to.push_str("&expired=1");
                }
                return axum::response::Redirect::to(&to).into_response();
            }
            WebError::NotFound(l) => (StatusCode::NOT_FOUND, *l),
            WebError::Forbidden(l) => (StatusCode::FORBIDDEN, *l),
            WebError::Csrf(l) => (StatusCode::FORBIDDEN, *l),
            WebError::TooLarge(l) => (StatusCode::PAYLOAD_TOO_LARGE, *l),
            WebError::BadRequest(l, _) => (StatusCode::BAD_REQUEST, *l),
            WebError::Busy(l) => (StatusCode::SERVICE_UNAVAILABLE, *l),
            WebError::Internal(l) => (StatusCode::INTERNAL_SERVER_ERROR, *l),
        };
        let chrome = Chrome::bare(lang);
        let t = chrome.t;
        let (title, body) = match self {
            WebError::NotFound(_) => (t.not_found_title, t.not_found_body.to_string()),
            WebError::Forbidden(_) => (t.forbidden_title, t.forbidden_body.to_string()),
            WebError::Csrf(_) => (t.csrf_title, t.csrf_body.to_string()),
            WebError::TooLarge(_) => (t.too_large_title, t.too_large_body.to_string()),
            WebError::BadRequest(_, message) => (t.bad_request_title, message),
            WebError::Busy(_) => (t.busy_title, t.busy_body.to_string()),
            _ => (t.internal_title, t.internal_body.to_string()),
        };
        let mut response = render_with(
            status,
            &ErrorPage {
                chrome,
                title,
                body,
            },
        );
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}

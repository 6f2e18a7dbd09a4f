//! Who is asking, in which language, and whether a form really came from our page.
//!
//! - A session is a random 256-bit value in the `teng_session` cookie (Secure unless served on
//!   loopback, HttpOnly, SameSite=Lax, 12 hours); only its SHA-256 is stored (`web_sessions`), so a
//!   database leak gives no live sessions, and several server processes share them.
//! - CSRF (docs/adr/0003): every form that changes something carries a token that is an HMAC of the
//!   session's secret value (or, before login, of a `teng_presession` cookie's), compared in
//!   constant time. A page on another site can neither read the cookie nor compute the token. An
//!   `Origin` header naming another host is refused as well.
//! - [`Ctx`] is extracted by every page handler; [`SignedIn`] by every page that needs a login.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use teng_core::accessibility::Lang;

use super::error::WebError;
use super::i18n::{self, Common};
use crate::auth::{self, Role};
use crate::state::AppState;
use crate::storage::User;

pub const SESSION_COOKIE: &str = "teng_session";
pub const PRESESSION_COOKIE: &str = "teng_presession";
/// How long a login lasts ("remember me" is not offered).
pub const SESSION_HOURS: i64 = 12;
/// The hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// What every page knows about its request.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub t: &'static Common,
    pub user: Option<User>,
    /// A session cookie was sent but is expired or ended: pages say so on the login form.
    pub session_expired: bool,
    /// The token forms of this page carry (empty without a session or pre-session).
    pub csrf: String,
    /// The path and query of this request, for the language switch and the login's `next`.
    pub path_and_query: String,
    /// Cookies are marked Secure unless the server was reached on loopback (tests, the demo).
    pub secure_cookies: bool,
    secret: Option<String>,
}

impl Ctx {
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The user's role, if signed in.
    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    pub fn is_editor(&self) -> bool {
        matches!(self.role(), Some(Role::Ngo | Role::Admin))
    }

    /// Checks a submitted form's CSRF token; a wrong or missing one is a [`WebError::Csrf`].
    pub fn verify_csrf(&self, submitted: &str) -> Result<(), WebError> {
        let ok = !self.csrf.is_empty()
            && bool::from(self.csrf.as_bytes().ct_eq(submitted.trim().as_bytes()));
        if ok {
            Ok(())
        } else {
            Err(WebError::Csrf(self.lang))
        }
    }

    /// A cookie with the flags every cookie of ours has.
    pub fn cookie(&self, name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
        let mut c = Cookie::new(name, value);
        c.set_path("/");
        c.set_http_only(true);
        c.set_same_site(SameSite::Lax);
        c.set_secure(self.secure_cookies);
        c.set_max_age(cookie::time::Duration::seconds(max_age_secs));
        c
    }

    /// The session secret this request's CSRF token is derived from (tests of the login use it).
    pub fn has_secret(&self) -> bool {
        self.secret.is_some()
    }
}

/// The CSRF token for a session or pre-session secret.
pub fn csrf_token(secret: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(b"teng web form");
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// True when `Origin` is absent or names the host the request was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

fn is_loopback_host(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

impl FromRequestParts<Arc<AppState>> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = i18n::negotiate(
            jar.get(i18n::LANG_COOKIE).map(|c| c.value()),
            &parts.headers,
        );
        if parts.method != Method::GET
            && parts.method != Method::HEAD
            && !same_origin(&parts.headers)
        {
            return Err(WebError::Csrf(lang));
        }
        let mut user = None;
        let mut session_expired = false;
        let mut secret = None;
        if let Some(value) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
            if !value.is_empty() && value.len() <= 128 {
                let hash = auth::token_hash(&value);
                let now = state.now();
                user = state
                    .db(move |s| s.session_user(&hash, now))
                    .await
                    .map_err(|e| WebError::from_api(lang, e))?;
            }
            if user.is_some() {
                secret = Some(value);
            } else {
                session_expired = true;
            }
        }
        if secret.is_none() {
            secret = jar
                .get(PRESESSION_COOKIE)
                .map(|c| c.value().to_string())
                .filter(|v| !v.is_empty() && v.len() <= 128);
        }
        let csrf = secret.as_deref().map(csrf_token).unwrap_or_default();
        Ok(Ctx {
            lang,
            t: Common::get(lang),
            user,
            session_expired,
            csrf,
            path_and_query: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            secure_cookies: !is_loopback_host(&parts.headers),
            secret,
        })
    }
}

/// A page that needs a login: without a live session the browser goes to `/login?next=...`.
pub struct SignedIn(pub Ctx, pub User);

impl FromRequestParts<Arc<AppState>> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.user.clone() {
            Some(user) => Ok(SignedIn(ctx, user)),
            None => Err(WebError::Login {
                next: ctx.path_and_query.clone(),
                expired: ctx.session_expired,
            }),
        }
    }
}

impl SignedIn {
    /// The user, if their role is one of `roles`; a "not allowed" page otherwise.
    pub fn require(&self, roles: &[Role]) -> Result<&User, WebError> {
        if roles.contains(&self.1.role) {
            Ok(&self.1)
        } else {
            Err(WebError::Forbidden(self.0.lang))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_depend_on_the_secret() {
        let a = csrf_token("one secret");
        assert_eq!(a.len(), 64);
        assert_eq!(a, csrf_token("one secret"));
        assert_ne!(a, csrf_token("another secret"));
    }

    #[test]
    fn a_foreign_origin_is_not_same_origin() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "teng.kg".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "https://teng.kg".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&h));
    }
}

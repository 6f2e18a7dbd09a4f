//! The frame every page shares (header, navigation, language switch) and turning a template into a
//! response with the headers every page gets.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use teng_core::accessibility::Lang;

use super::i18n::{endonym, Common};
use super::session::Ctx;
use crate::auth::Role;

/// One entry of the language switch.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// Which navigation entry is the current page (`aria-current="page"`): one of "jobs",
/// "listings", "buildings", "import", "city", "admin", "password", "login", or "" for none.
pub type Nav = &'static str;

/// What `base.html` needs: every page template has a `chrome` field.
pub struct Chrome {
    pub lang: &'static str,
    pub t: &'static Common,
    pub username: Option<String>,
    pub is_editor: bool,
    pub is_admin: bool,
    /// City office users and admins see the city's reports (`/city`).
    pub is_city: bool,
    pub csrf: String,
    pub langs: Vec<LangLink>,
    pub nav: Nav,
}

impl Chrome {
    pub fn new(ctx: &Ctx, nav: Nav) -> Chrome {
        Chrome {
            lang: ctx.lang.code(),
            t: ctx.t,
            username: ctx.user.as_ref().map(|u| u.username.clone()),
            is_editor: ctx.is_editor(),
            is_admin: ctx.role() == Some(Role::Admin),
            is_city: matches!(ctx.role(), Some(Role::City | Role::Admin)),
            csrf: ctx.csrf.clone(),
            langs: lang_links(ctx.lang, &ctx.path_and_query),
            nav,
        }
    }

    /// The frame of an error page when nothing but the language is known.
    pub fn bare(lang: Lang) -> Chrome {
        Chrome {
            lang: lang.code(),
            t: Common::get(lang),
            username: None,
            is_editor: false,
            is_admin: false,
            is_city: false,
            csrf: String::new(),
            langs: lang_links(lang, "/"),
            nav: "",
        }
    }

    /// `aria-current` for a navigation entry: `Some("page")` on the current one.
    pub fn current(&self, nav: &str) -> bool {
        self.nav == nav
    }
}

fn lang_links(current: Lang, path_and_query: &str) -> Vec<LangLink> {
    let next = percent_encode(path_and_query);
    Lang::ALL
        .iter()
        .map(|&lang| LangLink {
            code: lang.code(),
            name: endonym(lang),
            href: format!("/lang/{}?next={next}", lang.code()),
            current: lang == current,
        })
        .collect()
}

/// Percent-encodes everything but unreserved characters (for a path inside a query value).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to go back to after login or a language switch: only same-site paths, so the
/// parameter cannot send anyone to another site.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

/// Renders a page with status 200.
pub fn render<T: Template>(page: &T) -> Response {
    render_with(StatusCode::OK, page)
}

/// Renders a page; pages are never cached (they show a signed-in user's data) and never framed.
pub fn render_with<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, axum::response::Html(html)).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template failed").into_response()
        }
    }
}

/// 303 See Other: after a form that changed something, so a reload does not send it again.
pub fn see_other(location: &str) -> Response {
    axum::response::Redirect::to(location).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(
            local_path(Some("/manage/listings?status=draft")),
            "/manage/listings?status=draft"
        );
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn percent_encoding_keeps_paths_readable() {
        assert_eq!(
            percent_encode("/jobs?q=бух&x=1"),
            "/jobs%3Fq%3D%D0%B1%D1%83%D1%85%26x%3D1"
        );
    }
}

//! Open311 GeoReport v2 at `/open311/v2/` (issue 13; docs/open311.md): other systems (a city's
//! 311 desk, FixMyStreet-like apps) list Teng's accessibility problems as services, read reports
//! as service requests, and POST new ones with an API key.
//!
//! - [`format`]: the one document tree written as the spec's XML or JSON, and its error format;
//! - [`services`]: the services table over the core's features, `services.*`, `services/{code}.*`;
//! - [`requests`]: GET and POST `requests.*`, `requests/{id}.*`, `tokens/{id}.*`;
//! - [`keys`]: issuing, checking and revoking external systems' API keys.
//!
//! The format comes from the resource's suffix (`.xml` or `.json`), as the spec requires. A
//! `jurisdiction_id` may be left out (the endpoint serves one jurisdiction); one that is not
//! [`Open311Config::jurisdiction`] is a 404. Nothing here shows who reported: no device id,
//! token, reporter id or API key is ever written out.

pub mod format;
pub mod keys;
pub mod requests;
pub mod services;

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub use format::{Doc, Format, Open311Error};

use crate::state::AppState;

/// The endpoint's settings.
#[derive(Debug, Clone)]
pub struct Open311Config {
    /// The jurisdiction served; a `jurisdiction_id` naming another one is a 404.
    pub jurisdiction: String,
    /// `agency_responsible` of every request; `None`: "<the building's city> City Hall".
    pub agency: Option<String>,
    /// POSTs one API key may make per hour (a burst of this many, refilled evenly).
    pub posts_per_hour: u32,
}

impl Default for Open311Config {
    fn default() -> Self {
        Open311Config {
            jurisdiction: DEFAULT_JURISDICTION.to_string(),
            agency: None,
            posts_per_hour: 600,
        }
    }
}

pub const DEFAULT_JURISDICTION: &str = "teng.kg";
/// Where the endpoint lives, below the server's root.
pub const BASE_PATH: &str = "/open311/v2";
/// The spec's token for GeoReport v2 in the discovery document.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When the services table last changed (the discovery's changeset; clients refresh cached
/// service lists when it moves).
pub const CHANGESET: &str = "2025-06-01T00:00:00Z";

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            &format!("{BASE_PATH}/{{file}}"),
            get(root_get).post(requests::create),
        )
        .route(
            &format!("{BASE_PATH}/services/{{file}}"),
            get(services::definition),
        )
        .route(
            &format!("{BASE_PATH}/requests/{{file}}"),
            get(requests::one),
        )
        .route(
            &format!("{BASE_PATH}/tokens/{{file}}"),
            get(requests::token),
        )
}

/// The query string as name/value pairs (a name may repeat). Never rejects: bad values are
/// reported by the handler that reads them, in the asked format.
#[derive(Debug, Clone, Default)]
pub struct Open311Query(pub Vec<(String, String)>);

impl Open311Query {
    pub fn parse(query: &str) -> Self {
        Open311Query(
            form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Every non-empty value of `name`, comma lists split ("status=open,closed" and
    /// "status=open&status=closed" are the same). An empty parameter is no parameter.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The value of `name` if given and not empty (the last one when repeated).
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    pub fn jurisdiction(&self) -> Option<&str> {
        self.one("jurisdiction_id")
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Open311Query {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Open311Query::parse(parts.uri.query().unwrap_or_default()))
    }
}

/// A `jurisdiction_id` other than ours: 404, as the spec says.
pub fn check_jurisdiction(state: &AppState, asked: Option<&str>) -> Result<(), Open311Error> {
    match asked {
        Some(j) if !j.eq_ignore_ascii_case(&state.config.open311.jurisdiction) => {
            Err(Open311Error::not_found(format!(
                "jurisdiction_id: {j:?} was not found; this endpoint serves {:?}",
                state.config.open311.jurisdiction
            )))
        }
        _ => Ok(()),
    }
}

async fn root_get(
    state: State<Arc<AppState>>,
    Path(file): Path<String>,
    query: Open311Query,
    parts: axum::http::HeaderMap,
) -> Response {
    let (stem, format) = match format::split_format(&file) {
        Ok(split) => split,
        Err(e) => return e.respond(Format::Xml),
    };
    match stem {
        "discovery" => discovery(&state, format, &parts),
        "services" => services::list(state, Path(file), query).await,
        "requests" => requests::list(state, format, query).await,
        _ => Open311Error::not_found(format!(
            "{BASE_PATH}/{file}: no such resource; see {BASE_PATH}/discovery.xml"
        ))
        .respond(format),
    }
}

/// The discovery document: this endpoint, its formats, and how to get a key.
fn discovery(state: &AppState, format: Format, headers: &axum::http::HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let doc = Doc::Object(vec![
        ("changeset", Doc::text(CHANGESET)),
        (
            "contact",
            Doc::text(format!(
                "Teng ({}): accessibility of workplaces in Kyrgyzstan. Write to the operators of this server.",
                state.config.open311.jurisdiction
            )),
        ),
        (
            "key_service",
            Doc::text(
                "API keys for POST requests are issued by this server's administrators \
                 (teng-server admin issue-api-key --name <system>).",
            ),
        ),
        (
            "endpoints",
            Doc::List(
                "endpoint",
                vec![Doc::Object(vec![
                    ("specification", Doc::text(SPECIFICATION)),
                    ("url", Doc::text(format!("http://{host}{BASE_PATH}"))),
                    ("changeset", Doc::text(CHANGESET)),
                    ("type", Doc::text("production")),
                    (
                        "formats",
                        Doc::List(
                            "format",
                            vec![Doc::text("text/xml"), Doc::text("application/json")],
                        ),
                    ),
                ])],
            ),
        ),
    ]);
    doc.respond(format, StatusCode::OK, "discovery")
}

//! The web pages served beside the JSON API (issue 12): server-rendered HTML that works without
//! JavaScript, in Kyrgyz, Russian and English, built to WCAG 2.2 AA.
//!
//! One module per area, each with its own router and its own words (`texts!`):
//! - `account`: log in and out, change password, the home page, the language switch
//! - `listings`: an organization's listings table, the listing form, preview, publish, close
//! - `buildings`: an organization's buildings and their measured accessibility surveys
//! - `import`: listings from a CSV file, all rows or none
//! - `jobs`: the public job pages (`/jobs`, `/jobs/{id}`), searched like the phone searches
//! - `admin`: organizations and users
//! - `city`, `city_map`, `city_digest`: a city office's reports inbox, map and digest (issue 13)
//!
//! Shared pieces: `session` (who is asking, CSRF), `page` (the frame and rendering), `form`
//! (reading fields, error messages), `i18n` (language negotiation, word tables), `error`.
//! Templates live in `server/templates/` and are checked at compile time (askama).

pub mod account;
pub mod admin;
pub mod assets;
pub mod buildings;
pub mod city;
pub mod city_digest;
pub mod city_map;
pub mod csv_import;
pub mod error;
pub mod form;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod listing_input;
pub mod listings;
pub mod page;
pub mod session;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// Everything the browser sees; merged at the root beside `/v1`.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .merge(account::router())
        .merge(listings::router())
        .merge(buildings::router())
        .merge(import::router())
        .merge(jobs::router())
        .merge(admin::router())
        .merge(city::router())
        .route("/static/teng.css", get(assets::css))
        // No script, style or frame from anywhere else; pages can't be framed (clickjacking).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

//! City offices: accessibility reports by region/city/district with filters, a status per reported issue, and
//! exports as CSV and GeoJSON. A city user sees and answers reports of their own city only.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::accessibility::Lang;
use teng_core::model::validation::{limits, optional_text};
use teng_core::model::Region;

use super::reports::{parse_report_cursor, report_cursor};
use super::{limit, text_param, DEFAULT_LIMIT};
use crate::auth::CityOffice;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::{IssueStatus, ReportFilter, ReportRecord, StatusAnswer, User};

const MAX_PAGE: i64 = 1_000;
const MAX_EXPORT: i64 = 10_000;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/city/reports", get(list))
        .route("/city/reports.csv", get(export_csv))
        .route("/city/reports.geojson", get(export_geojson))
        .route("/city/reports/{id}/status", put(set_status))
}

#[derive(Deserialize)]
struct Filters {
    region: Option<String>,
    city: Option<String>,
    /// A district of the city as buildings name it, e.g. "Ленинский район".
    district: Option<String>,
    status: Option<String>,
    building_id: Option<Uuid>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    after: Option<String>,
    limit: Option<i64>,
}

fn filter(user: &User, q: Filters, default: i64, max: i64) -> ApiResult<ReportFilter> {
    let city = text_param("city", q.city, limits::CITY)?;
    // A city office is bound to its city.
    let city = match (&user.city, city) {
        (Some(own), Some(asked)) if !own.eq_ignore_ascii_case(&asked) => {
            return Err(ApiError::forbidden(
                "a city office sees its own city's reports only",
            ))
        }
        (Some(own), _) => Some(own.clone()),
        (None, asked) => asked,
    };
    Ok(ReportFilter {
        building_id: q.building_id,
        region: q
            .region
            .map(|r| {
                Region::from_code(&r)
                    .map(|r| r.code().to_string())
                    .map_err(|e| ApiError::bad_request("region", e.to_string()))
            })
            .transpose()?,
        city,
        district: text_param("district", q.district, limits::CITY)?,
        status: q
            .status
            .map(|s| {
                IssueStatus::from_code(&s)
                    .map_err(|e| ApiError::bad_request("status", e.to_string()))
            })
            .transpose()?,
        since: q.since,
        until: q.until,
        after: parse_report_cursor(q.after.as_deref())?,
        limit: limit(q.limit, default, max)?,
    })
}

async fn fetch(state: &AppState, f: ReportFilter) -> ApiResult<Vec<ReportRecord>> {
    state.db(move |s| s.list_reports(&f)).await
}

async fn list(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiQuery(q): ApiQuery<Filters>,
) -> ApiResult<Json<Value>> {
    let f = filter(&user, q, DEFAULT_LIMIT, MAX_PAGE)?;
    let n = f.limit;
    let items = fetch(&state, f).await?;
    let next = report_cursor(&items, n);
    let items: Vec<Value> = items.iter().map(without_reporter).collect();
    Ok(Json(json!({ "items": items, "next": next })))
}

/// A report record as city offices see it: which device reported stays private.
fn without_reporter(r: &ReportRecord) -> Value {
    let mut v = json!(r);
    if let Some(o) = v.as_object_mut() {
        o.remove("reporter");
    }
    v
}

#[derive(Deserialize)]
struct StatusBody {
    status: IssueStatus,
    #[serde(default)]
    note: Option<String>,
    /// The language the note is written in (`ky`, `ru`, `en`).
    #[serde(default)]
    lang: Option<String>,
}

async fn set_status(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult<Json<Value>> {
    if let Some(note) = &body.note {
        optional_text("note", note, limits::NOTE)?;
    }
    if let Some(lang) = &body.lang {
        if !matches!(lang.as_str(), "ky" | "ru" | "en") {
            return Err(ApiError::bad_request("lang", "lang is one of: ky, ru, en"));
        }
    }
    let now = state.now();
    let answer = StatusAnswer {
        status: body.status,
        note: body.note,
        lang: body.lang,
        by: user.id,
        city_scope: user.city.clone(),
    };
    let record = state
        .db(move |s| s.set_report_status(id, &answer, now))
        .await?;
    Ok(Json(without_reporter(&record)))
}

/// One CSV field: quoted when needed, and a leading formula character neutralized so a spreadsheet
/// never runs text a reporter typed. A plain number ("-12.5", a longitude west of Greenwich or a
/// negative count) is left alone: a spreadsheet reads it as the number, and the quote would turn
/// it into text.
pub(crate) fn csv_field(value: &str) -> String {
    let mut v = value.to_string();
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(&v) {
        v.insert(0, '\'');
    }
    if v.contains([',', '"', '\n', '\r']) || v != value {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// `-`? digits, then optionally `.` and digits: how Rust prints an f64 or an integer, and nothing a
/// spreadsheet could read as a formula ("-1+cmd|..." has more after the digits).
fn is_plain_number(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

async fn export_csv(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiQuery(q): ApiQuery<Filters>,
) -> ApiResult<impl IntoResponse> {
    let f = filter(&user, q, MAX_EXPORT, MAX_EXPORT)?;
    let items = fetch(&state, f).await?;
    let mut out = String::from(
        "report_id,building_id,building_name,region,city,district,lat,lon,received_at,observed_at,source,status,status_note,reporter_kind,method,facts,note\r\n",
    );
    for r in &items {
        let facts = serde_json::to_string(&r.report.facts).unwrap_or_default();
        let note = r
            .report
            .note
            .as_ref()
            .and_then(|n| n.get(Lang::Russian))
            .unwrap_or_default()
            .to_string();
        let fields = [
            r.report.id.to_string(),
            r.report.building_id.to_string(),
            r.building_name.clone(),
            r.region.clone(),
            r.city.clone(),
            r.district.clone().unwrap_or_default(),
            r.lat.to_string(),
            r.lon.to_string(),
            r.received_at.to_rfc3339(),
            r.report.observed_at.to_rfc3339(),
            r.source.to_string(),
            r.status.code().to_string(),
            r.status_note.clone().unwrap_or_default(),
            r.report.reporter_kind.code().to_string(),
            r.report.method.code().to_string(),
            facts,
            note,
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"reports.csv\"",
            ),
        ],
        out,
    ))
}

async fn export_geojson(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiQuery(q): ApiQuery<Filters>,
) -> ApiResult<impl IntoResponse> {
    let f = filter(&user, q, MAX_EXPORT, MAX_EXPORT)?;
    let items = fetch(&state, f).await?;
    let features: Vec<Value> = items
        .iter()
        .map(|r| {
            json!({
                "type": "Feature",
                "id": r.report.id,
                // GeoJSON order is longitude, latitude.
                "geometry": { "type": "Point", "coordinates": [r.lon, r.lat] },
                "properties": {
                    "building_id": r.report.building_id,
                    "building_name": r.building_name,
                    "region": r.region,
                    "city": r.city,
                    "district": r.district,
                    "received_at": r.received_at,
                    "observed_at": r.report.observed_at,
                    "source": r.source,
                    "status": r.status,
                    "status_note": r.status_note,
                    "reporter_kind": r.report.reporter_kind,
                    "method": r.report.method,
                    "facts": r.report.facts,
                    "note": r.report.note,
                }
            })
        })
        .collect();
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        Json(json!({ "type": "FeatureCollection", "features": features })),
    ))
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralized() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    }

    #[test]
    fn csv_numbers_stay_numbers_but_formulas_starting_like_them_are_guarded() {
        for number in ["-12.5", "-74.5912", "-3", "0", "42.87", "-0.000001"] {
            assert_eq!(csv_field(number), number);
        }
        for formula in [
            "-1+cmd|' /C calc'!A0",
            "-1+1",
            "-",
            "-.5",
            "-12.",
            "-12.5.1",
            "-1e5",
            "+12.5",
            "-١٢",
        ] {
            assert!(
                csv_field(formula).starts_with("\"'"),
                "{formula} -> {}",
                csv_field(formula)
            );
        }
    }
}

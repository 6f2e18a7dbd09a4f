//! City offices: accessibility reports by region/city/district with filters, a status per reported issue, and
//! exports as CSV and GeoJSON. A city user sees and answers reports of their own city only.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use teng_core::accessibility::{Facts, Lang, LocalizedNote, Method, ReporterKind};
use teng_core::model::validation::{limits, optional_text};
use teng_core::model::Region;

use super::reports::{parse_report_cursor, report_cursor, PublicReport};
use super::{limit, text_param, DEFAULT_LIMIT};
use crate::api::openapi::mirror;
use crate::auth::CityOffice;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::storage::{IssueStatus, ReportFilter, ReportRecord, StatusAnswer, User};

const MAX_PAGE: i64 = 1_000;
const MAX_EXPORT: i64 = 10_000;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export_csv))
        .routes(routes!(export_geojson))
        .routes(routes!(set_status))
}

/// The filters of the inbox and its exports (`limit` is declared per operation: the exports take
/// larger pages).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Filters {
    #[param(value_type = Option<Region>)]
    region: Option<String>,
    /// A city office's own city only (the default for one).
    #[param(
        max_length = 100,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    city: Option<String>,
    /// A district of the city as buildings name it, e.g. "Ленинский район".
    #[param(
        max_length = 100,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    district: Option<String>,
    #[param(value_type = Option<IssueStatus>)]
    status: Option<String>,
    building_id: Option<Uuid>,
    /// Received at or after.
    since: Option<DateTime<Utc>>,
    /// Received before.
    until: Option<DateTime<Utc>>,
    /// The `next` of the previous page.
    #[param(
        pattern = "^[0-9]{1,18}_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    after: Option<String>,
    #[param(ignore)]
    limit: Option<i64>,
}

/// The city an office user is bound to; `None` for an admin (every city). A city user whose
/// account has no city is refused, never shown every city.
pub(crate) fn city_scope(user: &User) -> ApiResult<Option<String>> {
    if user.role == crate::auth::Role::Admin {
        return Ok(None);
    }
    match user
        .city
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(city) => Ok(Some(city.to_string())),
        None => Err(ApiError::forbidden(
            "this city office account has no city; an admin sets it (teng-server admin or /admin)",
        )),
    }
}

fn filter(user: &User, q: Filters, default: i64, max: i64) -> ApiResult<ReportFilter> {
    let city = text_param("city", q.city, limits::CITY)?;
    // A city office is bound to its city.
    let city = match (city_scope(user)?, city) {
        (Some(own), Some(asked)) if !crate::storage::city::in_scope(&asked, Some(own.as_str())) => {
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

/// A report with where it stands, as a city office sees it: which device reported stays private.
#[derive(Serialize, ToSchema)]
pub struct CityReport {
    #[serde(flatten)]
    report: PublicReport,
    #[schema(value_type = mirror::ReportSource)]
    source: &'static str,
    received_at: DateTime<Utc>,
    status: IssueStatus,
    status_note: Option<String>,
    /// The language of `status_note` (ky, ru, en).
    #[schema(value_type = Option<Lang>)]
    status_lang: Option<String>,
    status_updated_at: Option<DateTime<Utc>>,
    building_name: String,
    city: String,
    district: Option<String>,
    #[schema(value_type = Region)]
    region: String,
    lat: f64,
    lon: f64,
}

impl From<&ReportRecord> for CityReport {
    fn from(r: &ReportRecord) -> Self {
        CityReport {
            report: PublicReport::from(&r.report),
            source: r.source,
            received_at: r.received_at,
            status: r.status,
            status_note: r.status_note.clone(),
            status_lang: r.status_lang.clone(),
            status_updated_at: r.status_updated_at,
            building_name: r.building_name.clone(),
            city: r.city.clone(),
            district: r.district.clone(),
            region: r.region.clone(),
            lat: r.lat,
            lon: r.lon,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct CityReportPage {
    items: Vec<CityReport>,
    /// Pass as `after` for the next page; null on the last page.
    #[schema(
        pattern = "^[0-9]{1,18}_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    next: Option<String>,
}

/// The reports of the office's city, oldest first, with filters.
#[utoipa::path(
    get,
    path = "/city/reports",
    tag = "city",
    operation_id = "city_reports",
    security(("bearer" = [])),
    params(Filters, ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Page size (50 by default)")),
    responses(
        (status = 200, description = "One page", body = CityReportPage),
        (status = 403, description = "Not a city office or admin, or another city", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiQuery(q): ApiQuery<Filters>,
) -> ApiResult<Json<CityReportPage>> {
    let f = filter(&user, q, DEFAULT_LIMIT, MAX_PAGE)?;
    let n = f.limit;
    let items = fetch(&state, f).await?;
    let next = report_cursor(&items, n);
    let items = items.iter().map(CityReport::from).collect();
    Ok(Json(CityReportPage { items, next }))
}

/// The statuses a city office may give (`IssueStatus::CITY_ANSWERS`).
fn city_answer_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "acknowledged, in_progress, resolved, or not_responsible (say why in the note)",
        ))
        .enum_values(Some(IssueStatus::CITY_ANSWERS.iter().map(|s| s.code())))
        .into()
}

/// A city office's answer to a report.
#[derive(Deserialize, ToSchema)]
#[schema(as = CityAnswer)]
struct StatusBody {
    #[schema(schema_with = city_answer_schema)]
    status: IssueStatus,
    /// Required with `not_responsible`.
    #[serde(default)]
    #[schema(max_length = 2000)]
    note: Option<String>,
    /// The language the note is written in.
    #[serde(default)]
    lang: Option<Lang>,
}

/// Answer a report; kept as its status history and sent to the reporting phone.
#[utoipa::path(
    put,
    path = "/city/reports/{id}/status",
    tag = "city",
    operation_id = "set_report_status",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The report's id")),
    request_body = StatusBody,
    responses(
        (status = 200, description = "The report with its new status", body = CityReport),
        (status = 403, description = "Not a city office or admin", body = ErrorBody),
        (status = 404, description = "No such report in the office's city", body = ErrorBody),
        (status = 409, description = "The report cannot take that status now", body = ErrorBody),
    )
)]
async fn set_status(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult<Json<CityReport>> {
    if let Some(note) = &body.note {
        optional_text("note", note, limits::NOTE)?;
    }
    let now = state.now();
    let answer = StatusAnswer {
        status: body.status,
        note: body.note,
        lang: body.lang.map(|l| l.code().to_string()),
        by: user.id,
        city_scope: city_scope(&user)?,
    };
    let record = state
        .db(move |s| s.set_report_status(id, &answer, now))
        .await?;
    Ok(Json(CityReport::from(&record)))
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

/// The same reports as CSV, one row each (formula characters neutralized).
#[utoipa::path(
    get,
    path = "/city/reports.csv",
    tag = "city",
    operation_id = "city_reports_csv",
    security(("bearer" = [])),
    params(Filters, ("limit" = Option<i64>, Query, minimum = 1, maximum = 10000, description = "Most rows (10,000 by default)")),
    responses(
        (status = 200, description = "The reports; the first line names the columns", body = String, content_type = "text/csv"),
        (status = 403, description = "Not a city office or admin, or another city", body = ErrorBody),
    )
)]
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

#[derive(Serialize, ToSchema)]
enum FeatureCollectionType {
    FeatureCollection,
}

#[derive(Serialize, ToSchema)]
enum FeatureType {
    Feature,
}

#[derive(Serialize, ToSchema)]
enum PointType {
    Point,
}

#[derive(Serialize, ToSchema)]
struct Point {
    #[serde(rename = "type")]
    kind: PointType,
    /// Longitude, latitude (GeoJSON's order).
    #[schema(min_items = 2, max_items = 2)]
    coordinates: [f64; 2],
}

#[derive(Serialize, ToSchema)]
struct ReportProperties {
    building_id: Uuid,
    building_name: String,
    #[schema(value_type = Region)]
    region: String,
    city: String,
    district: Option<String>,
    received_at: DateTime<Utc>,
    observed_at: DateTime<Utc>,
    #[schema(value_type = mirror::ReportSource)]
    source: &'static str,
    status: IssueStatus,
    status_note: Option<String>,
    reporter_kind: ReporterKind,
    method: Method,
    facts: Facts,
    note: Option<LocalizedNote>,
}

/// One report as a GeoJSON point at its building.
#[derive(Serialize, ToSchema)]
struct ReportFeature {
    #[serde(rename = "type")]
    kind: FeatureType,
    id: Uuid,
    geometry: Point,
    properties: ReportProperties,
}

/// A GeoJSON FeatureCollection (RFC 7946) of reports.
#[derive(Serialize, ToSchema)]
struct ReportCollection {
    #[serde(rename = "type")]
    kind: FeatureCollectionType,
    features: Vec<ReportFeature>,
}

/// The same reports as a GeoJSON FeatureCollection.
#[utoipa::path(
    get,
    path = "/city/reports.geojson",
    tag = "city",
    operation_id = "city_reports_geojson",
    security(("bearer" = [])),
    params(Filters, ("limit" = Option<i64>, Query, minimum = 1, maximum = 10000, description = "Most features (10,000 by default)")),
    responses(
        (status = 200, description = "The reports", body = ReportCollection, content_type = "application/geo+json"),
        (status = 403, description = "Not a city office or admin, or another city", body = ErrorBody),
    )
)]
async fn export_geojson(
    State(state): State<Arc<AppState>>,
    CityOffice(user): CityOffice,
    ApiQuery(q): ApiQuery<Filters>,
) -> ApiResult<impl IntoResponse> {
    let f = filter(&user, q, MAX_EXPORT, MAX_EXPORT)?;
    let items = fetch(&state, f).await?;
    let features = items
        .iter()
        .map(|r| ReportFeature {
            kind: FeatureType::Feature,
            id: r.report.id,
            geometry: Point {
                kind: PointType::Point,
                coordinates: [r.lon, r.lat],
            },
            properties: ReportProperties {
                building_id: r.report.building_id,
                building_name: r.building_name.clone(),
                region: r.region.clone(),
                city: r.city.clone(),
                district: r.district.clone(),
                received_at: r.received_at,
                observed_at: r.report.observed_at,
                source: r.source,
                status: r.status,
                status_note: r.status_note.clone(),
                reporter_kind: r.report.reporter_kind,
                method: r.report.method,
                facts: r.report.facts.clone(),
                note: r.report.note.clone(),
            },
        })
        .collect();
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        Json(ReportCollection {
            kind: FeatureCollectionType::FeatureCollection,
            features,
        }),
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

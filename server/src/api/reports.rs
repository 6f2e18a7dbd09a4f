//! Accessibility reports: submitted by devices or surveyors (ngo members, admins), listed per building,
//! and summarized per building by the aggregation.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use teng_core::accessibility::{
    AccessibilityReport, BuildingSummary, Facts, LocalizedNote, Method, ReporterId, ReporterKind,
};

use super::{limit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::api::openapi::mirror;
use crate::auth::{AdminUser, Auth, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::storage::{ReportFilter, ReportRecord, Reporter};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list, submit))
        .routes(routes!(summary))
        .routes(routes!(hide))
}

/// A report as clients send it. The building comes from the path (or, in a push, the mutation);
/// who reported comes from the token: devices report anonymously, ngo members and admins as
/// verified surveyors. Facts or a note (or both) are required.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ReportInput)]
pub struct ReportBody {
    /// The client's own id (not the nil UUID); by default a new one, or in a push the mutation's.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub facts: Facts,
    /// How the reporter knows; "estimated" (by eye) when not said.
    #[serde(default)]
    pub method: Option<Method>,
    /// When it was observed; now by default, at most 24 h ahead (counted as now).
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: Option<LocalizedNote>,
}

/// A report as the public and city offices see it: which device reported stays private.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicReport {
    pub id: Uuid,
    pub building_id: Uuid,
    pub reporter_kind: ReporterKind,
    pub observed_at: DateTime<Utc>,
    pub method: Method,
    pub facts: Facts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<LocalizedNote>,
}

impl From<&AccessibilityReport> for PublicReport {
    fn from(r: &AccessibilityReport) -> Self {
        PublicReport {
            id: r.id,
            building_id: r.building_id,
            reporter_kind: r.reporter_kind,
            observed_at: r.observed_at,
            method: r.method,
            facts: r.facts.clone(),
            note: r.note.clone(),
        }
    }
}

impl ReportBody {
    pub fn into_report(
        self,
        default_id: Uuid,
        building_id: Uuid,
        reporter: Reporter,
        now: DateTime<Utc>,
    ) -> ApiResult<AccessibilityReport> {
        let (reporter, reporter_kind) = match reporter {
            Reporter::Device(d) => (ReporterId::from(d), ReporterKind::Anonymous),
            Reporter::User(u) => (ReporterId::from(u), ReporterKind::VerifiedSurveyor),
        };
        let report = AccessibilityReport {
            id: match self.id {
                None => default_id,
                given => super::client_id("id", given)?,
            },
            building_id,
            reporter,
            reporter_kind,
            // Up to the clock skew ahead is accepted (phones' clocks drift), stored as received.
            observed_at: self.observed_at.unwrap_or(now),
            method: self.method.unwrap_or(Method::Estimated),
            facts: self.facts,
            note: self.note,
        };
        report.validate_at(now)?;
        Ok(AccessibilityReport {
            observed_at: report.observed_at.min(now),
            ..report
        })
    }
}

/// Who may report: devices (anonymous), and ngo members and admins (verified surveyors: their
/// accounts are issued by Teng's administrators). City offices answer reports instead.
pub fn reporter(auth: &Auth) -> ApiResult<Reporter> {
    match (auth.device(), auth.user()) {
        (Some(d), _) => Ok(Reporter::Device(d)),
        (None, Some(u)) if u.role != Role::City => Ok(Reporter::User(u.id)),
        _ => Err(ApiError::forbidden(
            "reports come from devices and surveyors; city offices answer them",
        )),
    }
}

pub fn reporter_key(r: Reporter) -> String {
    match r {
        Reporter::Device(d) => format!("device:{d}"),
        Reporter::User(u) => format!("user:{u}"),
    }
}

#[derive(Serialize, ToSchema)]
struct SubmittedReport {
    /// The report as stored.
    report: AccessibilityReport,
    /// The change-log cursor of the building's new summary.
    seq: i64,
}

/// Submit an accessibility report about a building.
#[utoipa::path(
    post,
    path = "/buildings/{id}/reports",
    tag = "reports",
    operation_id = "submit_report",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The building's id")),
    request_body = ReportBody,
    responses(
        (status = 201, description = "Stored; the building's summary is recomputed", body = SubmittedReport),
        (status = 400, description = "The id is the nil UUID", body = ErrorBody),
        (status = 403, description = "A city office (offices answer reports, they do not make them)", body = ErrorBody),
        (status = 404, description = "No such building", body = ErrorBody),
        (status = 409, description = "A report with that id exists", body = ErrorBody),
        (status = 429, description = "Too many reports from this device or user", body = ErrorBody),
    )
)]
async fn submit(
    State(state): State<Arc<AppState>>,
    auth: Auth,
    ApiPath(building_id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReportBody>,
) -> ApiResult<(StatusCode, Json<SubmittedReport>)> {
    let who = reporter(&auth)?;
    let now = state.now();
    let report = body.into_report(Uuid::now_v7(), building_id, who, now)?;
    if !state.reports.allow(&reporter_key(who)) {
        return Err(ApiError::too_many("too many reports; try again later"));
    }
    let out = report.clone();
    let seq = state
        .db(move |s| s.submit_report(&report, who, now))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SubmittedReport { report: out, seq }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// The `next` of the previous page.
    #[param(
        pattern = "^[0-9]{1,18}_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    after: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// One report of a building, as the public sees it.
#[derive(Serialize, ToSchema)]
struct BuildingReport {
    report: PublicReport,
    #[schema(value_type = mirror::ReportSource)]
    source: &'static str,
    received_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
struct BuildingReportPage {
    items: Vec<BuildingReport>,
    /// Pass as `after` for the next page; null on the last page.
    #[schema(
        pattern = "^[0-9]{1,18}_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    next: Option<String>,
}

/// Keyset cursor for reports: `<received ms>_<id>`.
pub fn parse_report_cursor(after: Option<&str>) -> ApiResult<Option<(i64, Uuid)>> {
    after
        .map(|a| {
            a.split_once('_')
                .and_then(|(t, id)| Some((t.parse().ok()?, Uuid::parse_str(id).ok()?)))
                .ok_or_else(|| {
                    ApiError::bad_request("after", "after must be a cursor from a previous page")
                })
        })
        .transpose()
}

pub fn report_cursor(items: &[ReportRecord], n: usize) -> Option<String> {
    (items.len() == n)
        .then(|| items.last())
        .flatten()
        .map(|r| format!("{}_{}", r.received_at.timestamp_millis(), r.report.id))
}

/// A building's accessibility reports, oldest first.
#[utoipa::path(
    get,
    path = "/buildings/{id}/reports",
    tag = "reports",
    operation_id = "list_building_reports",
    params(("id" = Uuid, Path, description = "The building's id"), ListQuery),
    responses(
        (status = 200, description = "One page", body = BuildingReportPage),
        (status = 404, description = "No such building", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<Arc<AppState>>,
    ApiPath(building_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<BuildingReportPage>> {
    let filter = ReportFilter {
        building_id: Some(building_id),
        after: parse_report_cursor(q.after.as_deref())?,
        limit: limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT)?,
        ..Default::default()
    };
    let n = filter.limit;
    let items = state
        .db(move |s| {
            if s.get_building(building_id)?.is_none() {
                return Err(crate::storage::StorageError::NotFound("building"));
            }
            s.list_reports(&filter)
        })
        .await?;
    // Public view: what was observed; not who (device ids stay private) nor how the city handles it.
    let next = report_cursor(&items, n);
    let items = items
        .iter()
        .map(|r| BuildingReport {
            report: PublicReport::from(&r.report),
            source: r.source,
            received_at: r.received_at,
        })
        .collect();
    Ok(Json(BuildingReportPage { items, next }))
}

/// A building's accessibility summary, aggregated as of the request.
#[utoipa::path(
    get,
    path = "/buildings/{id}/summary",
    tag = "reports",
    operation_id = "building_summary",
    params(("id" = Uuid, Path, description = "The building's id")),
    responses(
        (status = 200, description = "The summary", body = BuildingSummary),
        (status = 404, description = "No such building", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn summary(
    State(state): State<Arc<AppState>>,
    ApiPath(building_id): ApiPath<Uuid>,
) -> ApiResult<Json<BuildingSummary>> {
    let now = state.now();
    Ok(Json(
        state
            .db(move |s| s.building_summary(building_id, now))
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = HideReport)]
struct HideBody {
    /// Told to the reporter's phone.
    #[schema(min_length = 1, max_length = 2000)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
struct HiddenReport {
    id: Uuid,
    hidden: bool,
}

/// An admin hides an abusive or wrong report: it stops counting in the building's summary, the
/// reporter's phone is told why, and the city still sees it.
/// Hide a wrong or abusive report: the summary is recomputed, the reporter's phone is told why.
#[utoipa::path(
    post,
    path = "/admin/reports/{id}/hide",
    tag = "reports",
    operation_id = "hide_report",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The report's id")),
    request_body = HideBody,
    responses(
        (status = 200, description = "Hidden", body = HiddenReport),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such report", body = ErrorBody),
    )
)]
async fn hide(
    State(state): State<Arc<AppState>>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<HideBody>,
) -> ApiResult<Json<HiddenReport>> {
    teng_core::model::validation::required_text(
        "reason",
        &body.reason,
        teng_core::model::validation::limits::NOTE,
    )?;
    let now = state.now();
    let record = state
        .db(move |s| s.hide_report(id, &body.reason, admin.id, now))
        .await?;
    Ok(Json(HiddenReport {
        id: record.report.id,
        hidden: true,
    }))
}

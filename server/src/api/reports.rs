//! Accessibility reports: submitted by devices or surveyors (ngo members, admins), listed per building,
//! and summarized per building by the aggregation.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_core::accessibility::{
    AccessibilityReport, BuildingSummary, Facts, LocalizedNote, Method, ReporterId, ReporterKind,
};

use super::{limit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::{AdminUser, Auth, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::{ReportFilter, ReportRecord, Reporter};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/buildings/{id}/reports", get(list).post(submit))
        .route("/buildings/{id}/summary", get(summary))
        .route("/admin/reports/{id}/hide", post(hide))
}

/// A report as clients send it. The building comes from the path (or, in a push, the mutation);
/// who reported comes from the token.
#[derive(Debug, Deserialize)]
pub struct ReportBody {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub facts: Facts,
    /// How the reporter knows; "estimated" (by eye) when not said.
    #[serde(default)]
    pub method: Option<Method>,
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: Option<LocalizedNote>,
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

async fn submit(
    State(state): State<Arc<AppState>>,
    auth: Auth,
    ApiPath(building_id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReportBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
        Json(json!({ "report": out, "seq": seq })),
    ))
}

#[derive(Deserialize)]
struct ListQuery {
    after: Option<String>,
    limit: Option<i64>,
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

async fn list(
    State(state): State<Arc<AppState>>,
    ApiPath(building_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
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
    let public: Vec<_> = items
        .into_iter()
        .map(|r| {
            let mut report = json!(r.report);
            if let Some(o) = report.as_object_mut() {
                o.remove("reporter");
            }
            json!({ "report": report, "source": r.source, "received_at": r.received_at })
        })
        .collect();
    Ok(Json(json!({ "items": public, "next": next })))
}

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

#[derive(Deserialize)]
struct HideBody {
    reason: String,
}

/// An admin hides an abusive or wrong report: it stops counting in the building's summary, the
/// reporter's phone is told why, and the city still sees it.
async fn hide(
    State(state): State<Arc<AppState>>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<HideBody>,
) -> ApiResult<Json<Value>> {
    teng_core::model::validation::optional_text(
        "reason",
        &body.reason,
        teng_core::model::validation::limits::NOTE,
    )?;
    let now = state.now();
    let record = state
        .db(move |s| s.hide_report(id, &body.reason, admin.id, now))
        .await?;
    Ok(Json(json!({ "id": record.report.id, "hidden": true })))
}

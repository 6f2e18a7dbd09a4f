//! Service requests: GET `requests.*` (by ids, or a window of at most 90 days with status and
//! service filters; at most 1000, newest first), GET `requests/{id}.*`, GET `tokens/{id}.*`, and
//! POST `requests.*` from an external system holding an API key.
//!
//! A request id is `<report uuid>-<service code>` (e.g.
//! `0190f3a2-7c1e-7d44-9a51-2b3c4d5e6f70-entrance_steps`): stable, and read back by splitting
//! after the 36-character UUID. Services are `realtime`, so a POST answers with the request id;
//! no token is issued, but a report's UUID works as a token (`tokens/{report uuid}.*` lists its
//! requests).
//!
//! A POST becomes one Teng report (reporter kind `external_system`, method `estimated`) about
//! the building given by `address_id` (a Teng building id), by `lat`/`long` (the nearest known
//! building within [`NEAREST_BUILDING_M`] metres, else a 400), or by an `address_string` that
//! names exactly one building's street; the service states the problem and `attribute[CODE]`
//! adds facts. `description` (and `media_url`, appended) becomes the report's note; the
//! submitter's `email`, `device_id`, `account_id`, names and `phone` are ignored, never stored.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use uuid::Uuid;

use teng_core::accessibility::{
    AccessibilityReport, Facts, Feature, Lang, LocalizedNote, Method, ReporterId, ReporterKind,
};
use teng_core::model::GeoPoint;

use super::format::{split_format, Doc, Format, Open311Error};
use super::services::{parse_attribute, service, Service, OTHER};
use super::{check_jurisdiction, keys, Open311Query};
use crate::state::AppState;
use crate::storage::city::in_scope;
use crate::storage::open311::{is_closed, RequestKey, RequestQuery, RequestRow};
use crate::storage::BuildingRecord;

/// The most requests one GET returns (the spec's default limit).
pub const MAX_REQUESTS: usize = 1_000;
/// The longest window of received times one GET may span, and the default one.
pub const MAX_WINDOW_DAYS: i64 = 90;
/// A POST's coordinates attach to the nearest building at most this far away.
pub const NEAREST_BUILDING_M: f64 = 100.0;
/// The spec's limit on a description.
pub const MAX_DESCRIPTION: usize = 4_000;

const SERVICE_NOTICE: &str = "The city office reads every request in Teng's city inbox and \
                              answers there; its answer shows here as status and status_notes.";

/// `<report uuid>-<service code>`.
pub fn request_id(report: Uuid, code: &str) -> String {
    format!("{report}-{code}")
}

/// A request id read back: the report's UUID and the service code.
pub fn parse_request_id(id: &str) -> Option<RequestKey> {
    let (uuid, rest) = (id.get(..36)?, id.get(36..)?);
    let code = rest.strip_prefix('-')?;
    let report_id = Uuid::parse_str(uuid).ok()?;
    service(code)?;
    Some(RequestKey {
        report_id,
        service_code: Some(code.to_string()),
    })
}

fn w3c(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A date-time in the W3C note's ISO 8601 subset: `2010-01-01T00:00:00Z`, with fractions or an
/// offset, to the minute, or a plain date (midnight UTC). A `+` decoded to a space in a query
/// string is read as `+`.
pub fn parse_w3c(field: &str, value: &str) -> Result<DateTime<Utc>, Open311Error> {
    let v = value.trim().replace(' ', "+");
    let parsed = DateTime::parse_from_rfc3339(&v)
        .or_else(|_| {
            let v = v
                .strip_suffix('Z')
                .map_or(v.clone(), |s| format!("{s}+00:00"));
            DateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M%:z")
        })
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        });
    parsed.map_err(|_| {
        Open311Error::bad(
            field,
            format!("{value:?} is not a W3C date-time such as 2010-01-01T00:00:00Z"),
        )
    })
}

/// The query GET requests asks for, or the error naming the parameter.
pub fn request_query(q: &Open311Query, now: DateTime<Utc>) -> Result<RequestQuery, Open311Error> {
    let ids = q.list("service_request_id");
    if !ids.is_empty() {
        if ids.len() > MAX_REQUESTS {
            return Err(Open311Error::bad(
                "service_request_id",
                format!("at most {MAX_REQUESTS} ids at once"),
            ));
        }
        let keys = ids
            .iter()
            .map(|id| {
                parse_request_id(id).ok_or_else(|| {
                    Open311Error::bad(
                        "service_request_id",
                        format!("{id:?} is not a request id (<report uuid>-<service_code>)"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // The ids override every other argument, as the spec says.
        return Ok(RequestQuery {
            keys: Some(keys),
            services: Vec::new(),
            from: now,
            until: now,
            closed: None,
            limit: MAX_REQUESTS,
        });
    }
    let services = q.list("service_code");
    for code in &services {
        if service(code).is_none() {
            return Err(Open311Error::bad(
                "service_code",
                format!("no service {code:?}; services.xml lists them"),
            ));
        }
    }
    let mut open = false;
    let mut closed = false;
    for s in q.list("status") {
        match s.to_ascii_lowercase().as_str() {
            "open" => open = true,
            "closed" => closed = true,
            _ => {
                return Err(Open311Error::bad(
                    "status",
                    format!("{s:?} is not one of: open, closed"),
                ))
            }
        }
    }
    let start = q
        .one("start_date")
        .map(|v| parse_w3c("start_date", v))
        .transpose()?;
    let end = q
        .one("end_date")
        .map(|v| parse_w3c("end_date", v))
        .transpose()?;
    let window = Duration::days(MAX_WINDOW_DAYS);
    let (from, until) = match (start, end) {
        (None, None) => (now - window, now),
        (Some(s), None) => (s, s + window),
        (None, Some(e)) => (e - window, e),
        (Some(s), Some(e)) => {
            if e < s {
                return Err(Open311Error::bad("end_date", "is before start_date"));
            }
            if e - s > window {
                return Err(Open311Error::bad(
                    "end_date",
                    format!(
                        "start_date and end_date may not span more than {MAX_WINDOW_DAYS} days"
                    ),
                ));
            }
            (s, e)
        }
    };
    Ok(RequestQuery {
        keys: None,
        services,
        from,
        until,
        closed: if open == closed { None } else { Some(closed) },
        limit: MAX_REQUESTS,
    })
}

/// The request's description: the reported facts of its problem, then the reporter's note.
fn description(s: &Service, row: &RequestRow) -> String {
    let facts = &row.record.report.facts;
    let mut text = s
        .about
        .iter()
        .filter_map(|f| {
            facts
                .get(*f)
                .map(|v| crate::web::city::fact_text(Lang::English, *f, v))
        })
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(note) = row
        .record
        .report
        .note
        .as_ref()
        .and_then(|n| n.get(Lang::English))
    {
        if !text.is_empty() {
            text.push_str(". ");
        }
        text.push_str(note);
    }
    text.chars().take(MAX_DESCRIPTION).collect()
}

fn agency(state: &AppState, city: &str) -> String {
    state
        .config
        .open311
        .agency
        .clone()
        .unwrap_or_else(|| format!("{city} City Hall"))
}

/// One request, with every field of the spec's example (empty where Teng has nothing).
fn request_doc(state: &AppState, row: &RequestRow) -> Doc {
    let r = &row.record;
    let s = service(&row.service_code);
    let address: Vec<&str> = [
        Some(row.street.as_str()),
        r.district.as_deref(),
        Some(r.city.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|p| !p.is_empty())
    .collect();
    Doc::Object(vec![
        (
            "service_request_id",
            Doc::text(request_id(r.report.id, &row.service_code)),
        ),
        (
            "status",
            Doc::text(if is_closed(r.status) {
                "closed"
            } else {
                "open"
            }),
        ),
        ("status_notes", Doc::opt(row.city_note.clone())),
        ("service_name", Doc::opt(s.map(|s| s.name))),
        ("service_code", Doc::text(&row.service_code)),
        ("description", Doc::opt(s.map(|s| description(s, row)))),
        ("agency_responsible", Doc::text(agency(state, &r.city))),
        ("service_notice", Doc::text(SERVICE_NOTICE)),
        ("requested_datetime", Doc::text(w3c(r.received_at))),
        (
            "updated_datetime",
            Doc::text(w3c(r.status_updated_at.unwrap_or(r.received_at))),
        ),
        ("expected_datetime", Doc::Null),
        ("address", Doc::opt(Some(address.join(", ")))),
        ("address_id", Doc::text(r.report.building_id.to_string())),
        ("zipcode", Doc::Null),
        ("lat", Doc::Float(r.lat)),
        ("long", Doc::Float(r.lon)),
        ("media_url", Doc::Null),
    ])
}

async fn fetch(state: &AppState, q: RequestQuery) -> Result<Vec<RequestRow>, Open311Error> {
    Ok(state.db(move |s| s.open311_requests(&q)).await?)
}

/// GET requests.{xml,json} (dispatched from the endpoint's root route).
pub async fn list(State(state): State<Arc<AppState>>, format: Format, q: Open311Query) -> Response {
    let run = async {
        check_jurisdiction(&state, q.jurisdiction())?;
        let query = request_query(&q, state.now())?;
        let rows = fetch(&state, query).await?;
        let doc = Doc::List(
            "request",
            rows.iter().map(|r| request_doc(&state, r)).collect(),
        );
        Ok::<_, Open311Error>(doc.respond(format, StatusCode::OK, "service_requests"))
    };
    run.await.unwrap_or_else(|e| e.respond(format))
}

/// GET requests/{id}.{xml,json}.
pub async fn one(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    q: Open311Query,
) -> Response {
    let (id, format) = match split_format(&file) {
        Ok(split) => split,
        Err(e) => return e.respond(Format::Xml),
    };
    let run = async {
        check_jurisdiction(&state, q.jurisdiction())?;
        let key = parse_request_id(id).ok_or_else(|| {
            Open311Error::bad(
                "service_request_id",
                format!("{id:?} is not a request id (<report uuid>-<service_code>)"),
            )
        })?;
        let rows = fetch(&state, by_keys(vec![key], &state)).await?;
        if rows.is_empty() {
            return Err(Open311Error::not_found(format!(
                "service_request_id: no request {id:?}"
            )));
        }
        let doc = Doc::List(
            "request",
            rows.iter().map(|r| request_doc(&state, r)).collect(),
        );
        Ok(doc.respond(format, StatusCode::OK, "service_requests"))
    };
    run.await.unwrap_or_else(|e| e.respond(format))
}

fn by_keys(keys: Vec<RequestKey>, state: &AppState) -> RequestQuery {
    RequestQuery {
        keys: Some(keys),
        services: Vec::new(),
        from: state.now(),
        until: state.now(),
        closed: None,
        limit: MAX_REQUESTS,
    }
}

/// GET tokens/{token}.{xml,json}: requests are answered at once, so a token is simply a
/// report's UUID, and maps to that report's requests.
pub async fn token(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    q: Open311Query,
) -> Response {
    let (token, format) = match split_format(&file) {
        Ok(split) => split,
        Err(e) => return e.respond(Format::Xml),
    };
    let run = async {
        check_jurisdiction(&state, q.jurisdiction())?;
        let report_id = Uuid::parse_str(token).map_err(|_| {
            Open311Error::bad("token", format!("{token:?} is not a token (a report UUID)"))
        })?;
        let key = RequestKey {
            report_id,
            service_code: None,
        };
        let rows = fetch(&state, by_keys(vec![key], &state)).await?;
        if rows.is_empty() {
            return Err(Open311Error::not_found(format!(
                "token: no request has token {token:?}"
            )));
        }
        let doc = Doc::List(
            "request",
            rows.iter()
                .map(|r| {
                    Doc::Object(vec![
                        (
                            "service_request_id",
                            Doc::text(request_id(r.record.report.id, &r.service_code)),
                        ),
                        ("token", Doc::text(token)),
                    ])
                })
                .collect(),
        );
        Ok(doc.respond(format, StatusCode::OK, "service_requests"))
    };
    run.await.unwrap_or_else(|e| e.respond(format))
}

/// A POST body: its fields, and the `attribute[CODE]` / `attribute[CODE][]` values by code.
struct PostForm {
    fields: Open311Query,
    attributes: Vec<(String, Vec<String>)>,
}

fn post_form(headers: &HeaderMap, body: &[u8]) -> Result<PostForm, Open311Error> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        return Err(Open311Error::bad(
            "Content-Type",
            "a POST is sent as application/x-www-form-urlencoded",
        ));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| Open311Error::bad("body", "the form is not UTF-8"))?;
    let pairs = Open311Query::parse(text);
    let mut fields = Vec::new();
    let mut attributes: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in pairs.0 {
        let Some(rest) = name.strip_prefix("attribute[") else {
            fields.push((name, value));
            continue;
        };
        let (code, tail) = rest
            .split_once(']')
            .ok_or_else(|| Open311Error::bad(&name, "write attribute[CODE]=value"))?;
        if !(tail.is_empty() || tail == "[]") || code.is_empty() {
            return Err(Open311Error::bad(&name, "write attribute[CODE]=value"));
        }
        match attributes.iter_mut().find(|(c, _)| c == code) {
            Some((_, values)) => values.push(value),
            None => attributes.push((code.to_string(), vec![value])),
        }
    }
    Ok(PostForm {
        fields: Open311Query(fields),
        attributes,
    })
}

fn coordinate(form: &Open311Query, field: &str, max: f64) -> Result<f64, Open311Error> {
    let v = form
        .one(field)
        .ok_or_else(|| Open311Error::bad(field, "lat and long must be sent together"))?;
    v.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && n.abs() <= max)
        .ok_or_else(|| {
            Open311Error::bad(
                field,
                format!("{v:?} is not a number between -{max} and {max}"),
            )
        })
}

/// The building a POST is about.
async fn building_for(
    state: &AppState,
    form: &Open311Query,
) -> Result<BuildingRecord, Open311Error> {
    if let Some(id) = form.one("address_id") {
        let id = Uuid::parse_str(id)
            .map_err(|_| Open311Error::bad("address_id", "must be a Teng building id (a UUID)"))?;
        return state
            .db(move |s| s.get_building(id))
            .await?
            .ok_or_else(|| Open311Error::bad("address_id", format!("no building with id {id}")));
    }
    if form.one("lat").is_some() || form.one("long").is_some() {
        let at = GeoPoint::new(
            coordinate(form, "lat", 90.0)?,
            coordinate(form, "long", 180.0)?,
        );
        return state
            .db(move |s| s.nearest_building(at, NEAREST_BUILDING_M))
            .await?
            .map(|(b, _)| b)
            .ok_or_else(|| {
                Open311Error::bad(
                    "lat",
                    format!(
                        "no building Teng knows lies within {NEAREST_BUILDING_M} m of {}, {}; send \
                         address_id (the address_id of a request about it) instead",
                        at.lat, at.lon
                    ),
                )
            });
    }
    if let Some(address) = form.one("address_string") {
        if address.chars().count() > 300 {
            return Err(Open311Error::bad(
                "address_string",
                "at most 300 characters",
            ));
        }
        let whole = address.to_string();
        let parts: Vec<String> = address.split(',').map(|p| p.trim().to_string()).collect();
        let found = state
            .db(move |s| {
                let mut found = s.buildings_at_address(&whole, None, 2)?;
                if found.is_empty() && parts.len() > 1 {
                    let city = parts.last().map(String::as_str);
                    found = s.buildings_at_address(&parts[0], city, 2)?;
                }
                Ok(found)
            })
            .await?;
        return match found.len() {
            1 => Ok(found.into_iter().next().ok_or_else(|| {
                Open311Error::bad("address_string", "no building at this address")
            })?),
            0 => Err(Open311Error::bad(
                "address_string",
                format!("no building Teng knows is at {address:?}; send lat & long or address_id"),
            )),
            _ => Err(Open311Error::bad(
                "address_string",
                format!("several buildings are at {address:?}; send lat & long or address_id"),
            )),
        };
    }
    Err(Open311Error::bad(
        "lat",
        "a location is required: lat & long, address_string or address_id",
    ))
}

/// The note a description (and a media URL) becomes, in the language its letters suggest:
/// Kyrgyz letters (ң, ө, ү), else Cyrillic for Russian, else English.
pub fn note_of(text: &str) -> LocalizedNote {
    let kyrgyz = text.chars().any(|c| "ңҢөӨүҮ".contains(c));
    let cyrillic = text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    let text = Some(text.to_string());
    match (kyrgyz, cyrillic) {
        (true, _) => LocalizedNote {
            ky: text,
            ..Default::default()
        },
        (false, true) => LocalizedNote {
            ru: text,
            ..Default::default()
        },
        _ => LocalizedNote {
            en: text,
            ..Default::default()
        },
    }
}

/// The facts a POST states: the service's problem plus its attributes.
fn posted_facts(s: &Service, attributes: &[(String, Vec<String>)]) -> Result<Facts, Open311Error> {
    let mut facts = (s.states)();
    for (code, values) in attributes {
        let field = format!("attribute[{code}]");
        let attribute = s
            .attributes
            .iter()
            .find(|a| a.feature.code() == code)
            .ok_or_else(|| {
                Open311Error::bad(
                    &field,
                    format!(
                        "not an attribute of {}; services/{}.xml lists them",
                        s.code, s.code
                    ),
                )
            })?;
        let value =
            parse_attribute(attribute.feature, values).map_err(|m| Open311Error::bad(&field, m))?;
        facts
            .insert(attribute.feature, value)
            .map_err(|e| Open311Error::bad(&field, e))?;
    }
    for a in s.attributes.iter().filter(|a| a.required) {
        if facts.get(a.feature).is_none() {
            return Err(Open311Error::bad(
                &format!("attribute[{}]", a.feature.code()),
                format!("required for {}", s.code),
            ));
        }
    }
    if s.code != OTHER && !(s.reported)(&facts) {
        let field = attributes
            .first()
            .map_or("service_code".to_string(), |(c, _)| {
                format!("attribute[{c}]")
            });
        return Err(Open311Error::bad(
            &field,
            format!(
                "with these values there is no {:?} problem to report",
                s.name
            ),
        ));
    }
    Ok(facts)
}

/// The field a core validation error is about, as the POST named it.
fn posted_field(field: &str) -> String {
    if field.starts_with("note") {
        "description".into()
    } else if let Some(code) = field.strip_prefix("facts.") {
        Feature::from_code(code).map_or(field.to_string(), |f| format!("attribute[{}]", f.code()))
    } else {
        field.to_string()
    }
}

/// POST requests.{xml,json}.
pub async fn create(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let format = match split_format(&file) {
        Ok(("requests", format)) => format,
        Ok((_, format)) => {
            return Open311Error::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{file}: only requests.xml and requests.json take a POST"),
            )
            .respond(format)
        }
        Err(e) => return e.respond(Format::Xml),
    };
    let run = async {
        let body = body.map_err(|e| Open311Error::new(e.status(), e.body_text()))?;
        let form = post_form(&headers, &body)?;
        let fields = &form.fields;
        check_jurisdiction(&state, fields.jurisdiction())?;
        let key = keys::check(&state, fields.one("api_key")).await?;
        let code = fields
            .one("service_code")
            .ok_or_else(|| Open311Error::bad("service_code", "missing; services.xml lists them"))?;
        let s = service(code).ok_or_else(|| {
            Open311Error::not_found(format!(
                "service_code: no service {code:?}; services.xml lists them"
            ))
        })?;
        let facts = posted_facts(s, &form.attributes)?;
        let mut text = fields.one("description").unwrap_or_default().to_string();
        if let Some(url) = fields.one("media_url") {
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 500 {
                return Err(Open311Error::bad(
                    "media_url",
                    "must be an http(s) URL of at most 500 characters",
                ));
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("Media: {url}"));
        }
        if s.code == OTHER && fields.one("description").is_none() {
            return Err(Open311Error::bad(
                "description",
                "say what the problem is (required for the service \"other\")",
            ));
        }
        let building = building_for(&state, fields).await?;
        if !in_scope(&building.building.address.city, key.city.as_deref()) {
            return Err(Open311Error::forbidden(format!(
                "api_key: this key reports about buildings in {} only",
                key.city.as_deref().unwrap_or_default()
            )));
        }
        let now = state.now();
        let report = AccessibilityReport {
            id: Uuid::now_v7(),
            building_id: building.building.id,
            reporter: ReporterId(format!("open311:{}", key.id)),
            reporter_kind: ReporterKind::ExternalSystem,
            observed_at: now,
            method: Method::Estimated,
            facts,
            note: (!text.trim().is_empty()).then(|| note_of(text.trim())),
        };
        report
            .validate_at(now)
            .map_err(|e| Open311Error::bad(&posted_field(e.field()), e))?;
        let id = request_id(report.id, s.code);
        let key_id = key.id;
        state
            .db(move |st| st.submit_external_report(&report, key_id, now))
            .await?;
        let doc = Doc::List(
            "request",
            vec![Doc::Object(vec![
                ("service_request_id", Doc::text(id)),
                ("service_notice", Doc::text(SERVICE_NOTICE)),
                ("account_id", Doc::Null),
            ])],
        );
        Ok::<_, Open311Error>(doc.respond(format, StatusCode::OK, "service_requests"))
    };
    run.await.unwrap_or_else(|e| e.respond(format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_read_back() {
        let report = Uuid::now_v7();
        let id = request_id(report, "entrance_steps");
        assert_eq!(
            parse_request_id(&id),
            Some(RequestKey {
                report_id: report,
                service_code: Some("entrance_steps".into())
            })
        );
        assert_eq!(parse_request_id(&format!("{report}-no_such_service")), None);
        assert_eq!(parse_request_id(&format!("{report}entrance_steps")), None);
        assert_eq!(parse_request_id("42"), None);
        assert_eq!(parse_request_id("ж"), None);
    }

    #[test]
    fn w3c_dates_in_their_forms() {
        let t = |s| parse_w3c("start_date", s).unwrap();
        assert_eq!(w3c(t("2010-01-01T00:00:00Z")), "2010-01-01T00:00:00Z");
        assert_eq!(w3c(t("2010-01-01T06:00:00+06:00")), "2010-01-01T00:00:00Z");
        assert_eq!(w3c(t("2010-01-01T06:00:00 06:00")), "2010-01-01T00:00:00Z");
        assert_eq!(w3c(t("2010-01-01T00:00Z")), "2010-01-01T00:00:00Z");
        assert_eq!(w3c(t("2010-01-01")), "2010-01-01T00:00:00Z");
        assert_eq!(w3c(t("2010-01-01T00:00:00.5Z")), "2010-01-01T00:00:00Z");
        let e = parse_w3c("end_date", "yesterday").unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(e.description.starts_with("end_date: "), "{}", e.description);
    }

    #[test]
    fn the_default_window_is_the_last_90_days_and_may_not_be_longer() {
        let now = Utc::now();
        let q = request_query(&Open311Query::default(), now).unwrap();
        assert_eq!((q.until - q.from).num_days(), 90);
        assert_eq!(q.until, now);
        let long = Open311Query::parse("start_date=2024-01-01&end_date=2024-06-01");
        assert!(request_query(&long, now)
            .unwrap_err()
            .description
            .starts_with("end_date"));
        let both = Open311Query::parse("status=open,closed");
        assert_eq!(request_query(&both, now).unwrap().closed, None);
        let closed = Open311Query::parse("status=closed");
        assert_eq!(request_query(&closed, now).unwrap().closed, Some(true));
        let bad = Open311Query::parse("status=pending");
        assert!(request_query(&bad, now)
            .unwrap_err()
            .description
            .starts_with("status"));
        let bad = Open311Query::parse("service_code=potholes");
        assert!(request_query(&bad, now)
            .unwrap_err()
            .description
            .starts_with("service_code"));
    }

    #[test]
    fn notes_take_the_language_their_letters_suggest() {
        assert!(note_of("Кире бериште тепкичтер көп").ky.is_some());
        assert!(note_of("У входа три ступеньки").ru.is_some());
        assert!(note_of("Three steps").en.is_some());
    }
}

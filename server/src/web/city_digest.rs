//! `/city/digest?from=YYYY-MM-DD&to=YYYY-MM-DD`: what a city office received in a period (Bishkek
//! days, both included) and how it stands now: counts by district and by what was reported,
//! unanswered vs in hand vs resolved, the median time to the city's first answer, the oldest
//! unanswered reports and the most reported buildings. All of it is computed in SQL
//! (`Storage::city_digest`).
//!
//! Three forms of the same numbers: the page (printable: menus and forms are left out on paper),
//! `/city/digest.html` (one self-contained HTML file with its styles inline, downloaded, to print
//! or send) and `/city/digest.csv` (one table, a `section` column saying what each row counts).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use teng_core::accessibility::{label, Lang};

use super::city::{
    capitalize, day_start, facts_of, kyrgyz_day, office, parse_day, status_label, unit, when,
    CityWords, Office,
};
use super::error::{OrPage, WebError};
use super::form::FormErrors;
use super::page::{percent_encode, render_with, Chrome};
use super::session::SignedIn;
use crate::api::city::csv_field;
use crate::state::AppState;
use crate::storage::city::{Digest, DigestQuery, StatusCounts};
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/city/digest", get(page))
        .route("/city/digest.html", get(html_file))
        .route("/city/digest.csv", get(csv_file))
}

/// How many oldest unanswered reports and most reported buildings the digest lists.
const LIST: usize = 10;
/// The period when none is asked for: the last 30 days, today included.
const DEFAULT_DAYS: i64 = 30;
/// The longest period one digest covers.
const MAX_DAYS: i64 = 3 * 366;

// ky: review.
texts! {
    pub struct DigestWords {
        title: ["Мезгил боюнча жыйынтык", "Сводка за период", "Digest for a period"],
        intro: [
            "Мезгилдин ичинде алынган билдирүүлөр, алардын азыркы абалы боюнча.",
            "Сообщения, полученные за период, по их нынешнему статусу.",
            "Reports received in the period, as they stand now.",
        ],
        all_cities: ["Бардык шаарлар", "Все города", "All cities"],
        period_legend: ["Мезгил", "Период", "Period"],
        from: ["Биринчи күн", "С", "From"],
        to: ["Акыркы күн (ушул күн да кирет)", "По (включительно)", "To (included)"],
        date_hint: ["Мисалы 2026-03-01", "Например, 2026-03-01", "For example 2026-03-01"],
        show: ["Көрсөтүү", "Показать", "Show the digest"],
        date_invalid: [
            "Күндү жыл-ай-күн түрүндө жазыңыз, мисалы 2026-03-01",
            "Введите дату в виде год-месяц-день, например 2026-03-01",
            "Enter the date as year-month-day, for example 2026-03-01",
        ],
        date_order: [
            "Акыркы күн биринчи күндөн мурун боло албайт",
            "Конечная дата не может быть раньше начальной",
            "The end date cannot be before the start date",
        ],
        too_long: [
            "Мезгил 3 жылдан ашпашы керек",
            "Период не может быть длиннее 3 лет",
            "The period cannot be longer than 3 years",
        ],
        downloads: ["Жүктөп алуу", "Скачать", "Download"],
        download_html: [
            "HTML файл (басып чыгаруу же почта менен жөнөтүү үчүн)",
            "Файл HTML (для печати или отправки почтой)",
            "HTML file (to print or send by email)",
        ],
        download_csv: ["CSV таблица (Excel үчүн)", "Таблица CSV (для Excel)", "CSV spreadsheet (for Excel)"],
        print_hint: [
            "Бул баракты басып чыгарсаңыз, меню жана форма басылбайт.",
            "Если напечатать эту страницу, меню и форма не печатаются.",
            "If you print this page, the menus and the form are left out.",
        ],
        period: ["{from} – {to}", "{from} – {to}", "{from} to {to}"],
        numbers_title: ["Негизги сандар", "Главное", "In numbers"],
        n_received: ["Алынган билдирүүлөр", "Получено сообщений", "Reports received"],
        n_unanswered: ["Жооп берилген жок", "Без ответа", "Not answered"],
        n_in_hand: ["Кароодо же иштелүүдө", "Приняты или в работе", "Acknowledged or in progress"],
        n_resolved: ["Чечилди", "Решено", "Resolved"],
        n_not_responsible: ["Шаардын милдети эмес", "Не в ведении города", "Not the city's responsibility"],
        n_median: [
            "Биринчи жоопко чейинки убакыттын медианасы",
            "Медиана времени до первого ответа",
            "Median time to the first answer",
        ],
        median_none: ["жооп болгон жок", "ответов не было", "no answers yet"],
        median_over: [
            "жооп берилген {n} билдирүү боюнча",
            "сообщений с ответом: {n}",
            "over {n} answered reports",
        ],
        unanswered_note: [
            "«Жооп берилген жок» — эч ким жооп бере элек же билдирүүчү кайра ачкан билдирүүлөр.",
            "«Без ответа» — сообщения, на которые ещё не ответили или которые сообщивший открыл снова.",
            "“Not answered” counts reports nobody has answered yet and reports their reporter reopened.",
        ],
        by_district_title: ["Райондор боюнча", "По районам", "By district"],
        by_feature_title: ["Эмне жөнүндө билдирилди", "О чём сообщали", "By what was reported"],
        by_feature_note: [
            "Бир нече нерсе жөнүндө билдирүү ар биринин сабында саналат.",
            "Сообщение о нескольких вещах учтено в строке каждой из них.",
            "A report about several things counts in the row of each.",
        ],
        note_only: ["Эскертүү гана (белгилер жок)", "Только заметка (без фактов)", "A note only (no facts)"],
        no_district: ["Району көрсөтүлгөн эмес", "Район не указан", "No district given"],
        col_district: ["Район", "Район", "District"],
        col_feature: ["Эмне жөнүндө", "Тема", "What was reported"],
        col_building: ["Имарат", "Здание", "Building"],
        col_reports: ["Бардыгы", "Всего", "Reports"],
        col_unanswered: ["Жооп жок", "Без ответа", "Not answered"],
        col_in_hand: ["Иштелүүдө", "В работе", "In hand"],
        col_resolved: ["Чечилди", "Решено", "Resolved"],
        col_not_responsible: ["Милдети эмес", "Не в ведении", "Not the city's"],
        oldest_title: [
            "Эң эски жооп берилбеген билдирүүлөр",
            "Самые старые сообщения без ответа",
            "The oldest unanswered reports",
        ],
        oldest_none: [
            "Бул мезгилдин бир да билдирүүсү жооп күтпөйт.",
            "Ни одно сообщение за этот период не ждёт ответа.",
            "No report of this period is waiting for an answer.",
        ],
        col_received: ["Алынган", "Получено", "Received"],
        col_what: ["Эмне билдирилди", "О чём сообщили", "What was reported"],
        col_status: ["Абалы", "Статус", "Status"],
        col_days: ["Күн", "Дней", "Days"],
        top_title: [
            "Эң көп билдирүү келген имараттар",
            "Здания с наибольшим числом сообщений",
            "Buildings with the most reports",
        ],
        nothing: [
            "Бул мезгилде бир да билдирүү алынган жок.",
            "За этот период сообщений не поступало.",
            "No reports were received in this period.",
        ],
        made_at: ["Даярдалган убакыт: {when} (Бишкек)", "Сформировано: {when} (Бишкек)", "Made {when} (Bishkek time)"],
        file_note: [
            "Бул файл Тең тутумунан жүктөлгөн; билдирүүчүлөр жөнүндө эч кандай жеке маалымат камтыбайт.",
            "Файл выгружен из системы Тең; в нём нет никаких сведений, позволяющих узнать сообщивших.",
            "This file was downloaded from Teng; it holds nothing that identifies the reporters.",
        ],
        csv_total: ["Бардык билдирүүлөр", "Все сообщения", "All reports"],
    }
}

/// The period asked for, or what is wrong with it.
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn start(&self) -> DateTime<Utc> {
        day_start(self.from)
    }

    /// The first instant after the period (midnight after `to`).
    pub fn end(&self) -> DateTime<Utc> {
        day_start(self.to + Duration::days(1))
    }
}

/// What the digest's address carried, as typed.
pub struct DigestParams {
    pub from: String,
    pub to: String,
    /// Admins only.
    pub city: Option<String>,
}

impl DigestParams {
    fn parse(pairs: &[(String, String)], office: &Office) -> DigestParams {
        let mut p = DigestParams {
            from: String::new(),
            to: String::new(),
            city: None,
        };
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "from" => p.from = v.chars().take(20).collect(),
                "to" => p.to = v.chars().take(20).collect(),
                "city" if office.is_admin() && !v.is_empty() => {
                    p.city = Some(v.chars().take(100).collect())
                }
                _ => {}
            }
        }
        p
    }

    /// The period (empty fields: the last 30 days to today), or the form's messages.
    pub fn period(&mut self, lang: Lang, now: DateTime<Utc>) -> Result<Period, FormErrors> {
        let dw = DigestWords::get(lang);
        let today = kyrgyz_day(now);
        if self.to.is_empty() {
            self.to = today.to_string();
        }
        if self.from.is_empty() {
            let to = parse_day(&self.to).unwrap_or(today);
            self.from = (to - Duration::days(DEFAULT_DAYS - 1)).to_string();
        }
        let mut errors = FormErrors::new();
        let from = parse_day(&self.from);
        let to = parse_day(&self.to);
        if from.is_none() {
            errors.add("from", dw.date_invalid);
        }
        if to.is_none() {
            errors.add("to", dw.date_invalid);
        }
        match (from, to) {
            (Some(from), Some(to)) if to < from => {
                errors.add("to", dw.date_order);
                Err(errors)
            }
            (Some(from), Some(to)) if (to - from).num_days() >= MAX_DAYS => {
                errors.add("to", dw.too_long);
                Err(errors)
            }
            (Some(from), Some(to)) => Ok(Period { from, to }),
            _ => Err(errors),
        }
    }

    fn query_string(&self) -> String {
        let mut q = format!(
            "from={}&to={}",
            percent_encode(&self.from),
            percent_encode(&self.to)
        );
        if let Some(c) = &self.city {
            q.push_str(&format!("&city={}", percent_encode(c)));
        }
        q
    }
}

/// A row of a counts table.
pub struct CountRow {
    pub label: String,
    pub href: Option<String>,
    pub n: StatusCounts,
}

/// One of the oldest unanswered reports.
pub struct OldRow {
    pub href: String,
    pub building: String,
    pub received: String,
    pub what: String,
    pub status: String,
    pub days: i64,
}

/// The digest in words, for the page and the file alike.
pub struct DigestView {
    pub scope: String,
    pub period: String,
    pub totals: StatusCounts,
    pub median: String,
    pub median_detail: String,
    pub by_district: Vec<CountRow>,
    pub by_feature: Vec<CountRow>,
    pub oldest: Vec<OldRow>,
    pub top: Vec<CountRow>,
    pub made_at: String,
}

/// "52 hours" below two days, else "3 days" (rounded).
pub fn duration_text(lang: Lang, ms: i64) -> String {
    let hours = (ms as f64 / 3_600_000.0).round() as i64;
    if hours < 48 {
        unit(lang, hours, "саат", ["час", "часа", "часов"], "hour")
    } else {
        let days = (ms as f64 / 86_400_000.0).round() as i64;
        unit(lang, days, "күн", ["день", "дня", "дней"], "day")
    }
}

fn view(
    lang: Lang,
    office: &Office,
    city: Option<&str>,
    period: &Period,
    d: &Digest,
    now: DateTime<Utc>,
    links: bool,
) -> DigestView {
    let dw = DigestWords::get(lang);
    let cw = CityWords::get(lang);
    let scope = match (&office.scope, city) {
        (Some(own), _) => own.clone(),
        (None, Some(c)) => c.to_string(),
        (None, None) => dw.all_cities.to_string(),
    };
    let link = |href: String| links.then_some(href);
    DigestView {
        scope,
        period: dw
            .period
            .replace("{from}", &period.from.to_string())
            .replace("{to}", &period.to.to_string()),
        totals: d.totals,
        median: d
            .median_first_answer_ms
            .map(|ms| duration_text(lang, ms))
            .unwrap_or_else(|| dw.median_none.to_string()),
        median_detail: dw.median_over.replace("{n}", &d.answered.to_string()),
        by_district: d
            .by_district
            .iter()
            .map(|(district, n)| CountRow {
                label: district
                    .clone()
                    .unwrap_or_else(|| dw.no_district.to_string()),
                href: None,
                n: *n,
            })
            .collect(),
        by_feature: d
            .by_feature
            .iter()
            .map(|(f, n)| CountRow {
                label: capitalize(label(*f, lang)),
                href: None,
                n: *n,
            })
            .chain((d.note_only.reports > 0).then(|| CountRow {
                label: dw.note_only.to_string(),
                href: None,
                n: d.note_only,
            }))
            .collect(),
        oldest: d
            .oldest_unanswered
            .iter()
            .map(|r| {
                let facts = facts_of(lang, r);
                OldRow {
                    href: format!("/city/reports/{}", r.report.id),
                    building: r.building_name.clone(),
                    received: when(r.received_at),
                    what: if facts.is_empty() {
                        cw.note_only.to_string()
                    } else {
                        facts.join("; ")
                    },
                    status: capitalize(status_label(r.status, lang)),
                    days: (now - r.received_at).num_days().max(0),
                }
            })
            .collect(),
        top: d
            .top_buildings
            .iter()
            .map(|(b, n)| CountRow {
                label: match &b.district {
                    Some(dist) if !dist.is_empty() => format!("{} ({dist})", b.name),
                    _ => b.name.clone(),
                },
                href: link(format!("/city/buildings/{}", b.id)),
                n: *n,
            })
            .collect(),
        made_at: dw.made_at.replace("{when}", &when(now)),
    }
}

#[derive(Template)]
#[template(path = "city_digest.html")]
struct PageTemplate {
    chrome: Chrome,
    w: &'static CityWords,
    dw: &'static DigestWords,
    errors: FormErrors,
    from: String,
    to: String,
    city: String,
    is_admin: bool,
    html_href: String,
    csv_href: String,
    d: Option<DigestView>,
    links: bool,
}

#[derive(Template)]
#[template(path = "city_digest_file.html")]
struct FileTemplate {
    lang: &'static str,
    dw: &'static DigestWords,
    css: &'static str,
    d: DigestView,
    links: bool,
}

/// The digest for the asked period and scope, or the form's messages.
async fn load(
    state: &Arc<AppState>,
    office: &Office,
    params: &mut DigestParams,
) -> Result<Result<(Period, Digest), FormErrors>, WebError> {
    let now = state.now();
    let period = match params.period(office.ctx.lang, now) {
        Ok(p) => p,
        Err(errors) => return Ok(Err(errors)),
    };
    let query = DigestQuery {
        city: office.scope.clone().or_else(|| params.city.clone()),
        from: period.start(),
        until: period.end(),
        list_limit: LIST,
    };
    let digest = state
        .db(move |s| s.city_digest(&query))
        .await
        .web(office.ctx.lang)?;
    Ok(Ok((period, digest)))
}

async fn page(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    let lang = office.ctx.lang;
    let mut params = DigestParams::parse(&pairs, &office);
    let loaded = load(&state, &office, &mut params).await?;
    let now = state.now();
    let qs = params.query_string();
    let (status, errors, d) = match loaded {
        Ok((period, digest)) => (
            StatusCode::OK,
            FormErrors::new(),
            Some(view(
                lang,
                &office,
                params.city.as_deref(),
                &period,
                &digest,
                now,
                true,
            )),
        ),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
    };
    Ok(render_with(
        status,
        &PageTemplate {
            chrome: Chrome::new(&office.ctx, "city"),
            w: CityWords::get(lang),
            dw: DigestWords::get(lang),
            errors,
            from: params.from.clone(),
            to: params.to.clone(),
            city: params.city.clone().unwrap_or_default(),
            is_admin: office.is_admin(),
            html_href: format!("/city/digest.html?{qs}"),
            csv_href: format!("/city/digest.csv?{qs}"),
            d,
            links: true,
        },
    ))
}

/// A download: its type, its file name, and no caching.
fn attachment(content_type: &'static str, name: &str, body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn file_name(period: &Period, ext: &str) -> String {
    format!("teng-digest-{}-{}.{ext}", period.from, period.to)
}

/// A wrong period on a download link: a "bad request" page naming the problem.
fn bad_period(lang: Lang, errors: &FormErrors) -> WebError {
    let message = errors
        .all()
        .iter()
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join(". ");
    WebError::BadRequest(lang, message)
}

async fn html_file(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    let lang = office.ctx.lang;
    let mut params = DigestParams::parse(&pairs, &office);
    let (period, digest) = load(&state, &office, &mut params)
        .await?
        .map_err(|e| bad_period(lang, &e))?;
    let d = view(
        lang,
        &office,
        params.city.as_deref(),
        &period,
        &digest,
        state.now(),
        false,
    );
    let html = FileTemplate {
        lang: lang.code(),
        dw: DigestWords::get(lang),
        css: FILE_CSS,
        d,
        links: false,
    }
    .render()
    .map_err(|_| WebError::Internal(lang))?;
    let mut response = attachment(
        "text/html; charset=utf-8",
        &file_name(&period, "html"),
        html,
    );
    // The file carries its styles inline and nothing else: no scripts, no other host.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    Ok(response)
}

/// The styles the downloaded file carries inline: the site's and the city pages'.
const FILE_CSS: &str = concat!(
    include_str!("../../static/teng.css"),
    "\n",
    include_str!("../../static/city.css")
);

/// The CSV's columns; `section` says what a row counts (see [`csv`]).
pub const CSV_HEADER: &str =
    "section,key,label,reports,unanswered,in_hand,resolved,not_responsible,value";

/// The digest as one CSV table (UTF-8 with a byte-order mark, so spreadsheets read Cyrillic):
/// `period` (value: from/to), `total`, `median_first_answer_hours` (reports: how many were
/// answered; value: hours, one decimal), `district`, `feature` (key: the feature code, or
/// `note_only`), `building` (key: its id), `oldest_unanswered` (key: report id, label: building,
/// value: received, UTC).
pub fn csv(lang: Lang, scope: &str, period: &Period, d: &Digest) -> String {
    let dw = DigestWords::get(lang);
    let mut out = String::from("\u{feff}");
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    let mut row = |section: &str, key: &str, label: &str, n: Option<&StatusCounts>, value: &str| {
        let counts = match n {
            Some(n) => [
                n.reports,
                n.unanswered,
                n.in_hand,
                n.resolved,
                n.not_responsible,
            ]
            .map(|v| v.to_string()),
            None => Default::default(),
        };
        let mut fields = vec![csv_field(section), csv_field(key), csv_field(label)];
        fields.extend(counts.iter().map(|c| csv_field(c)));
        fields.push(csv_field(value));
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    row(
        "period",
        "",
        scope,
        None,
        &format!("{}/{}", period.from, period.to),
    );
    row("total", "", dw.csv_total, Some(&d.totals), "");
    let answered = StatusCounts {
        reports: d.answered,
        ..Default::default()
    };
    row(
        "median_first_answer_hours",
        "",
        dw.n_median,
        Some(&answered),
        &d.median_first_answer_ms
            .map(|ms| format!("{:.1}", ms as f64 / 3_600_000.0))
            .unwrap_or_default(),
    );
    for (district, n) in &d.by_district {
        let name = district.clone().unwrap_or_default();
        let shown = district
            .clone()
            .unwrap_or_else(|| dw.no_district.to_string());
        row("district", &name, &shown, Some(n), "");
    }
    for (f, n) in &d.by_feature {
        row(
            "feature",
            f.code(),
            &capitalize(label(*f, lang)),
            Some(n),
            "",
        );
    }
    if d.note_only.reports > 0 {
        row("feature", "note_only", dw.note_only, Some(&d.note_only), "");
    }
    for (b, n) in &d.top_buildings {
        row("building", &b.id.to_string(), &b.name, Some(n), "");
    }
    for r in &d.oldest_unanswered {
        row(
            "oldest_unanswered",
            &r.report.id.to_string(),
            &r.building_name,
            None,
            &r.received_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
    }
    out
}

async fn csv_file(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    let lang = office.ctx.lang;
    let mut params = DigestParams::parse(&pairs, &office);
    let (period, digest) = load(&state, &office, &mut params)
        .await?
        .map_err(|e| bad_period(lang, &e))?;
    let scope = match (&office.scope, &params.city) {
        (Some(own), _) => own.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => DigestWords::get(lang).all_cities.to_string(),
    };
    Ok(attachment(
        "text/csv; charset=utf-8",
        &file_name(&period, "csv"),
        csv(lang, &scope, &period, &digest),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use teng_core::accessibility::Feature;

    #[test]
    fn durations_read_in_hours_then_days() {
        assert_eq!(duration_text(Lang::English, 3_600_000), "1 hour");
        assert_eq!(duration_text(Lang::English, 47 * 3_600_000), "47 hours");
        assert_eq!(duration_text(Lang::Russian, 3 * 86_400_000), "3 дня");
        assert_eq!(duration_text(Lang::Kyrgyz, 5 * 86_400_000), "5 күн");
    }

    #[test]
    fn periods_default_to_the_last_thirty_days_and_check_their_order() {
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 20, 0, 0).unwrap(); // 1 April in Bishkek
        let mut p = DigestParams {
            from: String::new(),
            to: String::new(),
            city: None,
        };
        let period = p.period(Lang::English, now).ok().unwrap();
        assert_eq!(period.to.to_string(), "2026-04-01");
        assert_eq!(period.from.to_string(), "2026-03-03");
        assert_eq!(
            period.end(),
            Utc.with_ymd_and_hms(2026, 4, 1, 18, 0, 0).unwrap()
        );
        let mut p = DigestParams {
            from: "2026-03-10".into(),
            to: "2026-03-01".into(),
            city: None,
        };
        assert!(p.period(Lang::English, now).is_err());
        let mut p = DigestParams {
            from: "March".into(),
            to: "2026-03-01".into(),
            city: None,
        };
        assert!(p.period(Lang::English, now).err().unwrap().has("from"));
    }

    #[test]
    fn feature_codes_need_no_csv_quoting() {
        for f in Feature::ALL {
            assert_eq!(csv_field(f.code()), f.code());
        }
    }
}

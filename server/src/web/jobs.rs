//! The public job pages, no login needed: `/jobs` searches published, open listings with the
//! phone's search (the same words, filters and keyset pages), `/jobs/{id}` shows one listing with
//! how to apply and its building's accessibility in sentences, and schema.org `JobPosting` data.
//!
//! - The search runs on the server's search index ([`search_index`]: a teng-core `Store` fed from
//!   the change log as a phone is fed by sync), so there is one search engine. Before each search
//!   the index takes one catch-up step unless a catch-up is already running.
//! - A listing's page reads storage directly, so a listing is shown the moment it is published.
//!   A draft is "not found". A closed listing, or one past its closing date, gets a page that says
//!   it is closed, without the ways to apply and without `JobPosting` data (so search engines drop
//!   it rather than list a job nobody can apply for), marked `noindex`.
//! - `JobPosting` JSON-LD is built with serde_json and `<`, `>`, `&` are written as `\u003c` etc.,
//!   so no title can close the script element. Browsers do not run JSON-LD, so the pages'
//!   Content-Security-Policy (no inline scripts) does not stop it.

#[path = "search_index.rs"]
pub mod search_index;

pub use search_index::SearchIndex;

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Datelike, Utc};
use serde_json::{json, Map, Value};
use teng_core::accessibility::words::russian_plural;
use teng_core::accessibility::{AccessRequirement, BuildingSummary, Labelled, Lang};
use teng_core::model::{
    Accommodation, ApplyChannel, EmploymentType, JobListing, ListingStatus, Organization, Region,
    Salary, SalaryPeriod, WorkMode,
};
use teng_core::search::{SearchFilters, SearchPage, SearchQuery, SortOrder, MAX_QUERY_CHARS};
use uuid::Uuid;

use self::search_index::{IndexError, INLINE_PAGE};
use super::error::{OrPage, WebError};
use super::form::{parse_u64, FormErrors};
use super::page::{percent_encode, render, render_with, Chrome};
use super::session::Ctx;
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::{BuildingRecord, StorageError};
use crate::texts;

/// Results on one page of `/jobs`.
pub const PAGE_SIZE: u32 = 20;
/// Longest city name accepted in the filter (the core's limit for a city).
const MAX_CITY_CHARS: usize = 100;
/// The sorts offered (distance needs a point, which the web form does not ask for).
const SORTS: [SortOrder; 3] = [SortOrder::Relevance, SortOrder::Newest, SortOrder::Salary];

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/jobs", get(search))
        .route("/jobs/{id}", get(show))
}

texts! {
    pub struct JobsWords {
        search_title: ["Жумуш издөө", "Поиск работы", "Find a job"],
        search_intro: [
            "Мүмкүнчүлүгү чектелген адамдар үчүн ачык жумуштар жана иш ордунун имараты канчалык жеткиликтүү экени.",
            "Открытые вакансии для людей с инвалидностью и доступность здания, где находится рабочее место.",
            "Open jobs for people with disabilities, and how accessible the building of each workplace is.",
        ],
        search_form: ["Жумуш издөө формасы", "Форма поиска работы", "Job search form"],
        words_label: ["Кызмат же сөз", "Должность или слова", "Job title or words"],
        words_hint: [
            "Кыргызча, орусча же англисче; латын тамгалары менен да болот, мисалы «buhgalter».",
            "На кыргызском, русском или английском; можно латиницей, например «buhgalter».",
            "In Kyrgyz, Russian or English; Latin letters work too, for example “buhgalter”.",
        ],
        city_label: ["Шаар", "Город", "City"],
        city_hint: [
            "Мисалы: Бишкек, Ош же bishkek",
            "Например: Бишкек, Ош или bishkek",
            "For example: Bishkek, Osh or Бишкек",
        ],
        more_filters: ["Кошумча чыпкалар", "Дополнительные фильтры", "More filters"],
        type_legend: ["Ишке алуу түрү", "Тип занятости", "Type of employment"],
        type_hint: [
            "Эч нерсе белгиленбесе, бардык түрлөрү көрсөтүлөт.",
            "Если ничего не отмечено, показываются все.",
            "If none is ticked, all are shown.",
        ],
        acc_legend: [
            "Иш берүүчү түзгөн шарттар",
            "Условия от работодателя",
            "Accommodations the employer offers",
        ],
        acc_hint: [
            "Белгиленген шарттардын баары бар жумуштар гана көрсөтүлөт.",
            "Показываются только вакансии, где есть все отмеченные условия.",
            "Only jobs that offer every one you tick are shown.",
        ],
        building_legend: ["Иш ордунун имараты", "Здание рабочего места", "The workplace building"],
        step_free_hint: [
            "Кире беришинде тепкич жок экени маалымдалган имараттар жана алыстан иштөө.",
            "Здания, о которых сообщили, что вход в них без ступенек, и удалённая работа.",
            "Buildings reported to have a step-free entrance, and remote jobs.",
        ],
        salary_label: [
            "Айлык акы, эң аз (сом, айына)",
            "Зарплата не ниже (сом в месяц)",
            "Lowest pay (som a month)",
        ],
        salary_hint: [
            "Саатына, күнүнө же жылына төлөнгөн акы айлыкка которулат.",
            "Почасовая, дневная и годовая оплата пересчитывается в месячную.",
            "Pay by the hour, day or year is converted to a monthly figure.",
        ],
        salary_error: [
            "Айлык акыны сан менен жазыңыз, мисалы 25000",
            "Введите зарплату числом, например 25000",
            "Enter the pay as a number, for example 25000",
        ],
        sort_label: ["Тартиби", "Порядок", "Order"],
        unknown_choice: [
            "Бул тандоо тизмеде жок. Тизмеден тандаңыз",
            "Такого варианта нет. Выберите из списка",
            "That choice is not on the list. Choose from the list",
        ],
        words_too_long: [
            "Эң көп {max} белги жазыңыз",
            "Не больше {max} символов",
            "Use {max} characters or fewer",
        ],
        clear_filters: ["Чыпкаларды тазалоо", "Сбросить фильтры", "Clear all filters"],
        results_heading: ["Табылган жумуштар", "Найденные вакансии", "Jobs found"],
        found_one: ["{n} жумуш табылды", "Найдена {n} вакансия", "{n} job found"],
        found_few: ["{n} жумуш табылды", "Найдены {n} вакансии", "{n} jobs found"],
        found_many: ["{n} жумуш табылды", "Найдено {n} вакансий", "{n} jobs found"],
        none_found: [
            "Бул издөө боюнча жумуш табылган жок. Айрым чыпкаларды алып салып көрүңүз.",
            "По этому запросу вакансий нет. Попробуйте убрать часть фильтров.",
            "No jobs match this search. Try removing some filters.",
        ],
        stale_page: [
            "Бул барактын шилтемеси эскирип калган, ошондуктан биринчи барак көрсөтүлдү.",
            "Ссылка на страницу устарела, поэтому показана первая страница.",
            "That page link is out of date, so here is the first page.",
        ],
        first_page: ["Биринчи баракка", "К первой странице", "Back to the first page"],
        posted: ["Жарыяланды", "Опубликовано", "Posted"],
        verified: ["Тең текшерген уюм", "Организация проверена Тең", "Organization checked by Teng"],
        no_salary: ["Айлык акы көрсөтүлгөн эмес", "Зарплата не указана", "Pay not stated"],
        salary_range: ["{min}–{max} сом", "{min}–{max} сом", "{min}–{max} som"],
        salary_exact: ["{min} сом", "{min} сом", "{min} som"],
        salary_from: ["{min} сомдон баштап", "от {min} сом", "from {min} som"],
        salary_up_to: ["{max} сомго чейин", "до {max} сом", "up to {max} som"],
        remote_no_building: [
            "Алыстан иштөө: имаратка баруунун кереги жок.",
            "Удалённая работа: приходить в здание не нужно.",
            "Remote work: there is no building to go to.",
        ],
        no_reports: [
            "Бул имараттын жеткиликтүүлүгү тууралуу азырынча эч ким маалымат берген жок.",
            "О доступности этого здания пока никто не сообщил.",
            "Nobody has reported on this building's accessibility yet.",
        ],
        back_to_search: ["Жумуштарды издөөгө кайтуу", "Назад к поиску вакансий", "Back to the job search"],
        organization: ["Уюм", "Организация", "Organization"],
        category: ["Тармак", "Сфера", "Field"],
        employment_type: ["Ишке алуу түрү", "Занятость", "Employment"],
        work_mode: ["Иштөө форматы", "Формат работы", "Work mode"],
        salary: ["Айлык акы", "Зарплата", "Pay"],
        place: ["Шаар", "Город", "City"],
        languages: ["Иштеги тилдер", "Языки работы", "Languages at work"],
        posted_on: ["Жарыяланган күнү", "Дата публикации", "Posted on"],
        closing: ["Кайрылуунун акыркы күнү", "Отклики принимаются до", "Apply by"],
        no_closing: ["Мөөнөтү көрсөтүлгөн эмес", "Срок не указан", "No closing date"],
        about_heading: ["Жумуш тууралуу", "О работе", "About the job"],
        no_description: ["Сүрөттөмө жок.", "Описания нет.", "No description."],
        accommodations_heading: [
            "Иш берүүчү түзгөн шарттар",
            "Условия от работодателя",
            "Accommodations the employer offers",
        ],
        no_accommodations: [
            "Иш берүүчү шарттарды көрсөткөн жок.",
            "Работодатель не указал условий.",
            "The employer has not listed any.",
        ],
        apply_heading: ["Кантип кайрылса болот", "Как откликнуться", "How to apply"],
        whatsapp_write: ["WhatsApp аркылуу жазуу", "Написать в WhatsApp", "Message on WhatsApp"],
        workplace_heading: [
            "Иш орду жана анын жеткиликтүүлүгү",
            "Место работы и его доступность",
            "The workplace and its accessibility",
        ],
        building_name: ["Имарат", "Здание", "Building"],
        address: ["Дареги", "Адрес", "Address"],
        access_in_detail: ["Жеткиликтүүлүгү толугураак", "Доступность подробнее", "Accessibility in detail"],
        closed_notice: [
            "Бул жумуш жабылды: кайрылуулар мындан ары кабыл алынбайт.",
            "Эта вакансия закрыта: отклики больше не принимаются.",
            "This job is closed: applications are no longer taken.",
        ],
        closed_prefix: ["Жабылган: ", "Закрыто: ", "Closed: "],
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting shared by both pages

/// `25000` → `25 000` (a no-break space between thousands).
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

fn salary_text(lang: Lang, w: &JobsWords, s: &Salary) -> String {
    let amount = match (s.min, s.max) {
        (Some(min), Some(max)) if min == max => w.salary_exact.replace("{min}", &group_digits(min)),
        (Some(min), Some(max)) => w
            .salary_range
            .replace("{min}", &group_digits(min))
            .replace("{max}", &group_digits(max)),
        (Some(min), None) => w.salary_from.replace("{min}", &group_digits(min)),
        (None, Some(max)) => w.salary_up_to.replace("{max}", &group_digits(max)),
        (None, None) => return w.no_salary.to_string(),
    };
    format!("{amount} {}", s.period.label(lang))
}

/// "full time" → "Full time" (the core's labels are lower-case phrases).
fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A date as people write it: "14 March 2025", "14 марта 2025", "2025-жылдын 14-марты".
fn long_date(lang: Lang, t: DateTime<Utc>) -> String {
    const KY: [&str; 12] = [
        "январы",
        "февралы",
        "марты",
        "апрели",
        "майы",
        "июну",
        "июлу",
        "августу",
        "сентябры",
        "октябры",
        "ноябры",
        "декабры",
    ];
    const RU: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = t.month0() as usize;
    match lang {
        Lang::Kyrgyz => format!("{}-жылдын {}-{}", t.year(), t.day(), KY[m]),
        Lang::Russian => format!("{} {} {}", t.day(), RU[m], t.year()),
        Lang::English => format!("{} {} {}", t.day(), EN[m], t.year()),
    }
}

/// A date for `<time datetime>`.
fn iso_date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn found_text(w: &JobsWords, lang: Lang, n: u64) -> String {
    let form = match lang {
        Lang::Russian => russian_plural(n as i64, w.found_one, w.found_few, w.found_many),
        _ if n == 1 => w.found_one,
        _ => w.found_many,
    };
    form.replace("{n}", &group_digits(n))
}

// ---------------------------------------------------------------------------------------------
// /jobs: the search

/// One checkbox or option of the form.
pub struct Choice {
    pub id: String,
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// One result, ready to print.
pub struct Card {
    pub href: String,
    pub title: String,
    pub organization: String,
    pub verified: bool,
    /// City, type of employment and pay, in one line.
    pub facts: String,
    /// The building's accessibility in one sentence (or "remote", or "nobody reported").
    pub access: String,
    pub posted: String,
    pub posted_iso: String,
}

/// What was asked, as typed (shown again in the form) and as understood.
#[derive(Default)]
struct Asked {
    q: String,
    city: String,
    types: Vec<EmploymentType>,
    accommodations: Vec<Accommodation>,
    step_free: bool,
    min_salary: String,
    min_salary_value: Option<u64>,
    sort: SortOrder,
    page: Option<String>,
    /// Codes that are not on the lists, by field (for the messages).
    unknown_type: bool,
    unknown_accommodation: bool,
    unknown_sort: bool,
}

impl Asked {
    fn from_pairs(pairs: &[(String, String)]) -> Asked {
        let mut a = Asked::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                // Kept to a sane length for showing again; longer input is refused below.
                "q" => a.q = v.chars().take(MAX_QUERY_CHARS + 1).collect(),
                "city" => a.city = v.chars().take(MAX_CITY_CHARS + 1).collect(),
                "type" if !v.is_empty() => match EmploymentType::from_code(v) {
                    Ok(t) if !a.types.contains(&t) => a.types.push(t),
                    Ok(_) => {}
                    Err(_) => a.unknown_type = true,
                },
                "acc" if !v.is_empty() => match Accommodation::from_code(v) {
                    Ok(x) if !a.accommodations.contains(&x) => a.accommodations.push(x),
                    Ok(_) => {}
                    Err(_) => a.unknown_accommodation = true,
                },
                "step_free" => a.step_free = !v.is_empty() && v != "0",
                "min_salary" => a.min_salary = v.chars().take(40).collect(),
                "sort" if !v.is_empty() => match SortOrder::from_code(v) {
                    Ok(s) if SORTS.contains(&s) => a.sort = s,
                    _ => a.unknown_sort = true,
                },
                "page" if !v.is_empty() => a.page = Some(v.chars().take(200).collect()),
                _ => {}
            }
        }
        // The same search however the boxes were ordered in the address: one page token fits all.
        a.types.sort_by_key(|t| t.index());
        a.accommodations.sort_by_key(|x| x.index());
        a
    }

    /// Checks what cannot be searched; the messages name the form's fields.
    fn check(&mut self, w: &JobsWords) -> FormErrors {
        let mut errors = FormErrors::new();
        if self.q.chars().count() > MAX_QUERY_CHARS {
            errors.add(
                "q",
                w.words_too_long
                    .replace("{max}", &MAX_QUERY_CHARS.to_string()),
            );
        }
        if self.city.chars().count() > MAX_CITY_CHARS {
            errors.add(
                "city",
                w.words_too_long
                    .replace("{max}", &MAX_CITY_CHARS.to_string()),
            );
        }
        if self.unknown_type {
            errors.add(
                format!("type-{}", EmploymentType::ALL[0].code()),
                w.unknown_choice,
            );
        }
        if self.unknown_accommodation {
            errors.add(
                format!("acc-{}", Accommodation::ALL[0].code()),
                w.unknown_choice,
            );
        }
        match parse_u64(&self.min_salary) {
            Ok(v) if v.is_none_or(|v| v <= 100_000_000) => self.min_salary_value = v,
            _ => errors.add("min_salary", w.salary_error),
        }
        if self.unknown_sort {
            errors.add("sort", w.unknown_choice);
        }
        errors
    }

    fn query(&self) -> SearchQuery {
        let city = self.city.trim();
        SearchQuery {
            text: self.q.trim().to_string(),
            filters: SearchFilters {
                accommodations: self.accommodations.clone(),
                employment_types: self.types.clone(),
                city: (!city.is_empty()).then(|| city.to_string()),
                min_monthly_salary: self.min_salary_value,
                access: if self.step_free {
                    vec![AccessRequirement::StepFreeEntrance]
                } else {
                    Vec::new()
                },
                ..Default::default()
            },
            sort: self.sort,
            page_size: PAGE_SIZE,
            page_token: self.page.clone(),
        }
    }

    /// `/jobs?...` with this search's filters (and `page`, when given).
    fn href(&self, page: Option<&str>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(format!("q={}", percent_encode(self.q.trim())));
        }
        if !self.city.trim().is_empty() {
            parts.push(format!("city={}", percent_encode(self.city.trim())));
        }
        for t in &self.types {
            parts.push(format!("type={}", t.code()));
        }
        for a in &self.accommodations {
            parts.push(format!("acc={}", a.code()));
        }
        if self.step_free {
            parts.push("step_free=1".into());
        }
        if let Some(v) = self.min_salary_value {
            parts.push(format!("min_salary={v}"));
        }
        if self.sort != SortOrder::Relevance {
            parts.push(format!("sort={}", self.sort.code()));
        }
        if let Some(p) = page {
            parts.push(format!("page={}", percent_encode(p)));
        }
        if parts.is_empty() {
            "/jobs".into()
        } else {
            format!("/jobs?{}", parts.join("&"))
        }
    }

    /// Whether anything behind "More filters" is set (then it starts open).
    fn more_filters_set(&self) -> bool {
        !self.types.is_empty()
            || !self.accommodations.is_empty()
            || self.step_free
            || !self.min_salary.is_empty()
            || self.sort != SortOrder::Relevance
    }
}

#[derive(Template)]
#[template(path = "jobs_search.html")]
struct SearchPageView {
    chrome: Chrome,
    w: &'static JobsWords,
    errors: FormErrors,
    q: String,
    city: String,
    types: Vec<Choice>,
    accommodations: Vec<Choice>,
    step_free: bool,
    step_free_label: String,
    min_salary: String,
    sorts: Vec<Choice>,
    more_open: bool,
    /// `None` when the form has errors (nothing was searched).
    results: Option<Results>,
}

struct Results {
    found: String,
    cards: Vec<Card>,
    next: Option<String>,
    first: Option<String>,
    stale: bool,
}

impl SearchPageView {
    /// ` aria-invalid="true" aria-describedby="..."` for an input with a hint and maybe an error.
    fn aria(&self, id: &str, hint: &str) -> String {
        let mut ids: Vec<String> = Vec::new();
        if !hint.is_empty() {
            ids.push(hint.to_string());
        }
        if self.errors.has(id) {
            ids.push(format!("{id}-error"));
        }
        let mut out = String::new();
        if self.errors.has(id) {
            out.push_str(" aria-invalid=\"true\"");
        }
        if !ids.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", ids.join(" ")));
        }
        out
    }

    /// ` aria-describedby="..."` for a fieldset (a group takes no `aria-invalid`).
    fn described(&self, id: &str, hint: &str) -> String {
        let mut ids = vec![hint.to_string()];
        if self.errors.has(id) {
            ids.push(format!("{id}-error"));
        }
        format!(" aria-describedby=\"{}\"", ids.join(" "))
    }

    fn field_class(&self, id: &str) -> &'static str {
        if self.errors.has(id) {
            "field has-error"
        } else {
            "field"
        }
    }
}

fn choices<T: Copy + Labelled>(
    lang: Lang,
    prefix: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    chosen: impl Fn(T) -> bool,
) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            id: format!("{prefix}-{}", code(v)),
            value: code(v),
            label: capitalized(v.label(lang)),
            checked: chosen(v),
        })
        .collect()
}

/// What the index answered: a page of hits and the accessibility sentence of each building.
struct Found {
    page: SearchPage,
    access: HashMap<Uuid, String>,
    stale: bool,
}

/// Catches the index up by one step (unless a catch-up is running), searches it, and words each
/// hit's building in `lang`. Blocking.
fn run_search(
    index: &SearchIndex,
    mut query: SearchQuery,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Found, IndexError> {
    if let Err(e) = index.try_step(INLINE_PAGE) {
        tracing::warn!(error = %e, "search index step before a search failed");
    }
    let store = index.store()?;
    let mut stale = false;
    let page = match store.search_at(&query, now) {
        Err(teng_core::Error::BadQuery {
            field: "page_token",
            ..
        }) => {
            stale = true;
            query.page_token = None;
            store.search_at(&query, now)?
        }
        other => other?,
    };
    let w = JobsWords::get(lang);
    let mut access = HashMap::new();
    for hit in &page.hits {
        let Some(b) = hit.listing.building_id else {
            continue;
        };
        if access.contains_key(&b) {
            continue;
        }
        let sentence = match store.building_summary(b)? {
            Some(summary) => summary.summary_text(lang, now),
            None => w.no_reports.to_string(),
        };
        access.insert(b, sentence);
    }
    Ok(Found {
        page,
        access,
        stale,
    })
}

fn card(lang: Lang, w: &JobsWords, hit: &teng_core::search::SearchHit, found: &Found) -> Card {
    let l = &hit.listing;
    let mut facts = vec![l.city.clone(), l.employment_type.label(lang).to_string()];
    if l.work_mode != WorkMode::OnSite {
        facts.push(l.work_mode.label(lang).to_string());
    }
    facts.push(match &l.salary {
        Some(s) => salary_text(lang, w, s),
        None => w.no_salary.to_string(),
    });
    let access = match l.building_id {
        Some(b) => found
            .access
            .get(&b)
            .cloned()
            .unwrap_or_else(|| w.no_reports.to_string()),
        None => w.remote_no_building.to_string(),
    };
    Card {
        href: format!("/jobs/{}", l.id),
        title: l.title.clone(),
        organization: hit.organization_name.clone(),
        verified: hit.organization_verified,
        facts: facts.join(", "),
        access,
        posted: long_date(lang, l.posted_at),
        posted_iso: iso_date(l.posted_at),
    }
}

async fn search(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let w = JobsWords::get(lang);
    let mut asked = Asked::from_pairs(&pairs);
    let errors = asked.check(w);
    let results = if errors.is_empty() {
        let index = state.search.clone();
        let query = asked.query();
        let now = state.now();
        let found = tokio::task::spawn_blocking(move || run_search(&index, query, lang, now))
            .await
            .map_err(|_| WebError::Internal(lang))?
            .map_err(ApiError::from)
            .web(lang)?;
        let cards = found
            .page
            .hits
            .iter()
            .map(|hit| card(lang, w, hit, &found))
            .collect();
        Some(Results {
            found: found_text(w, lang, found.page.total),
            cards,
            next: found
                .page
                .next_page_token
                .as_deref()
                .map(|token| asked.href(Some(token))),
            first: (asked.page.is_some() && !found.stale).then(|| asked.href(None)),
            stale: found.stale,
        })
    } else {
        None
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SearchPageView {
        chrome: Chrome::new(&ctx, "jobs"),
        w,
        q: asked.q.clone(),
        city: asked.city.clone(),
        types: choices(
            lang,
            "type",
            EmploymentType::ALL,
            |t| t.code(),
            |t| asked.types.contains(&t),
        ),
        accommodations: choices(
            lang,
            "acc",
            Accommodation::ALL,
            |a| a.code(),
            |a| asked.accommodations.contains(&a),
        ),
        step_free: asked.step_free,
        step_free_label: capitalized(AccessRequirement::StepFreeEntrance.label(lang)),
        min_salary: asked.min_salary.clone(),
        sorts: choices(lang, "sort", &SORTS, |s| s.code(), |s| s == asked.sort),
        more_open: asked.more_filters_set() || !errors.is_empty(),
        errors,
        results,
    };
    Ok(render_with(status, &page))
}

// ---------------------------------------------------------------------------------------------
// /jobs/{id}: one listing

/// One way to apply: a link when the channel has one (tel:, sms:, wa.me, mailto:), else text.
pub struct ApplyWay {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

fn phone_digits(value: &str) -> String {
    value.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// `+996 555 123 456` → `+996555123456` (what `tel:` and `sms:` links want).
fn dial_string(value: &str) -> Option<String> {
    let digits = phone_digits(value);
    if digits.len() < 3 {
        return None;
    }
    Some(if value.trim_start().starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}

fn mailto(value: &str) -> Option<String> {
    let v = value.trim();
    let ok = v.contains('@')
        && !v
            .chars()
            .any(|c| c.is_whitespace() || "?#&<>\"'".contains(c));
    ok.then(|| {
        format!(
            "mailto:{}",
            percent_encode(v).replace("%40", "@").replace("%2B", "+")
        )
    })
}

fn apply_way(lang: Lang, w: &JobsWords, channel: ApplyChannel, value: &str) -> ApplyWay {
    let href = match channel {
        ApplyChannel::Phone => dial_string(value).map(|d| format!("tel:{d}")),
        ApplyChannel::Sms => dial_string(value).map(|d| format!("sms:{d}")),
        ApplyChannel::WhatsApp => {
            let digits = phone_digits(value);
            (digits.len() >= 3).then(|| format!("https://wa.me/{digits}"))
        }
        ApplyChannel::Email => mailto(value),
        ApplyChannel::InPerson => None,
    };
    let label = match channel {
        ApplyChannel::WhatsApp => w.whatsapp_write.to_string(),
        other => capitalized(other.label(lang)),
    };
    ApplyWay {
        label,
        value: value.trim().to_string(),
        href,
    }
}

/// A term and its description in the page's facts list.
pub struct Fact {
    pub term: &'static str,
    pub value: String,
    /// `<time datetime>` for dates.
    pub datetime: Option<String>,
}

fn fact(term: &'static str, value: impl Into<String>) -> Fact {
    Fact {
        term,
        value: value.into(),
        datetime: None,
    }
}

#[derive(Template)]
#[template(path = "jobs_show.html")]
struct ShowPage {
    chrome: Chrome,
    w: &'static JobsWords,
    title: String,
    open: bool,
    organization: String,
    verified: bool,
    facts: Vec<Fact>,
    paragraphs: Vec<String>,
    accommodations: Vec<String>,
    apply: Vec<ApplyWay>,
    workplace: Option<Workplace>,
    meta_description: String,
    /// The `JobPosting` JSON-LD, already safe inside `<script>`; only for open listings.
    json_ld: Option<String>,
}

pub struct Workplace {
    pub name: String,
    pub address: String,
    /// One sentence; `None`: nobody reported yet.
    pub summary: Option<String>,
    pub details: Vec<String>,
}

type Loaded = (
    JobListing,
    Option<Organization>,
    Option<BuildingRecord>,
    Option<BuildingSummary>,
);

async fn show(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let id = Uuid::parse_str(id.trim()).map_err(|_| WebError::NotFound(lang))?;
    let now = state.now();
    let loaded: Option<Loaded> = state
        .db(move |s| {
            let Some(listing) = s.get_listing(id)? else {
                return Ok(None);
            };
            if listing.status == ListingStatus::Draft {
                return Ok(None);
            }
            let org = s
                .get_organization(listing.organization_id)?
                .map(|o| o.record);
            let building = match listing.building_id {
                Some(b) => s.get_building(b)?,
                None => None,
            };
            let summary = match &building {
                Some(b) => match s.building_summary(b.building.id, now) {
                    Ok(summary) => Some(summary),
                    Err(StorageError::NotFound(_)) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            };
            Ok(Some((listing, org, building, summary)))
        })
        .await
        .web(lang)?;
    let Some((listing, org, building, summary)) = loaded else {
        return Err(WebError::NotFound(lang));
    };
    Ok(render(&show_page(
        &ctx,
        &listing,
        org.as_ref(),
        building.as_ref(),
        summary.as_ref(),
        now,
    )))
}

fn show_page(
    ctx: &Ctx,
    l: &JobListing,
    org: Option<&Organization>,
    building: Option<&BuildingRecord>,
    summary: Option<&BuildingSummary>,
    now: DateTime<Utc>,
) -> ShowPage {
    let lang = ctx.lang;
    let w = JobsWords::get(lang);
    let open = l.is_open_at(now);
    let mut facts = vec![
        fact(w.category, capitalized(l.category.label(lang))),
        fact(
            w.employment_type,
            capitalized(l.employment_type.label(lang)),
        ),
        fact(w.work_mode, capitalized(l.work_mode.label(lang))),
        fact(
            w.salary,
            l.salary
                .as_ref()
                .map(|s| salary_text(lang, w, s))
                .unwrap_or_else(|| w.no_salary.to_string()),
        ),
        fact(
            w.place,
            if region_is_city(l) {
                l.city.clone()
            } else {
                format!("{} ({})", l.city, l.region.label(lang))
            },
        ),
        fact(
            w.languages,
            capitalized(
                &l.languages
                    .iter()
                    .map(|x| x.label(lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        Fact {
            term: w.posted_on,
            value: long_date(lang, l.posted_at),
            datetime: Some(iso_date(l.posted_at)),
        },
    ];
    facts.push(match l.valid_through {
        Some(v) => Fact {
            term: w.closing,
            value: long_date(lang, v),
            datetime: Some(iso_date(v)),
        },
        None => fact(w.closing, w.no_closing),
    });
    let paragraphs: Vec<String> = l
        .description
        .lines()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    let workplace = building.map(|b| {
        let a = &b.building.address;
        let mut address = vec![a.street.clone()];
        if let Some(d) = &a.district {
            address.push(d.clone());
        }
        address.push(a.city.clone());
        Workplace {
            name: b.building.name.clone(),
            address: address.join(", "),
            summary: summary.map(|s| s.summary_text(lang, now)),
            details: summary
                .map(|s| s.description_text(lang, now))
                .unwrap_or_default(),
        }
    });
    let meta_description: String = l.description.chars().take(160).collect();
    ShowPage {
        chrome: Chrome::new(ctx, "jobs"),
        w,
        title: l.title.clone(),
        open,
        organization: org.map(|o| o.name.clone()).unwrap_or_default(),
        verified: org.is_some_and(|o| o.verified),
        facts,
        paragraphs,
        accommodations: l
            .accommodations
            .iter()
            .map(|a| capitalized(a.label(lang)))
            .collect(),
        apply: l
            .apply_via
            .iter()
            .map(|m| apply_way(lang, w, m.channel, &m.value))
            .collect(),
        workplace,
        meta_description: meta_description
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        json_ld: open.then(|| script_safe(&job_posting(l, org, building))),
    }
}

/// Bishkek and Osh are their own regions: "Бишкек (город Бишкек)" would say the city twice.
fn region_is_city(l: &JobListing) -> bool {
    matches!(l.region, Region::Bishkek | Region::OshCity)
}

// ---------------------------------------------------------------------------------------------
// schema.org JobPosting

fn schema_employment_type(t: EmploymentType) -> &'static str {
    match t {
        EmploymentType::FullTime => "FULL_TIME",
        EmploymentType::PartTime => "PART_TIME",
        EmploymentType::Contract => "CONTRACTOR",
        EmploymentType::Temporary => "TEMPORARY",
        EmploymentType::Internship => "INTERN",
        EmploymentType::Volunteer => "VOLUNTEER",
    }
}

fn schema_unit(p: SalaryPeriod) -> &'static str {
    match p {
        SalaryPeriod::Hour => "HOUR",
        SalaryPeriod::Day => "DAY",
        SalaryPeriod::Week => "WEEK",
        SalaryPeriod::Month => "MONTH",
        SalaryPeriod::Year => "YEAR",
    }
}

/// The listing as a schema.org `JobPosting` (what job search engines read).
fn job_posting(
    l: &JobListing,
    org: Option<&Organization>,
    building: Option<&BuildingRecord>,
) -> Value {
    let mut v = Map::new();
    v.insert("@context".into(), json!("https://schema.org/"));
    v.insert("@type".into(), json!("JobPosting"));
    v.insert("title".into(), json!(l.title));
    v.insert("description".into(), json!(l.description));
    v.insert(
        "identifier".into(),
        json!({ "@type": "PropertyValue", "name": "Teng", "value": l.id }),
    );
    v.insert("datePosted".into(), json!(l.posted_at.to_rfc3339()));
    if let Some(t) = l.valid_through {
        v.insert("validThrough".into(), json!(t.to_rfc3339()));
    }
    v.insert(
        "employmentType".into(),
        json!(schema_employment_type(l.employment_type)),
    );
    if let Some(o) = org {
        let mut h = Map::new();
        h.insert("@type".into(), json!("Organization"));
        h.insert("name".into(), json!(o.name));
        if let Some(site) = o
            .contact
            .website
            .as_deref()
            .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
        {
            h.insert("sameAs".into(), json!(site));
        }
        v.insert("hiringOrganization".into(), Value::Object(h));
    }
    if let Some(b) = building {
        let a = &b.building.address;
        let mut address = Map::new();
        address.insert("@type".into(), json!("PostalAddress"));
        address.insert("streetAddress".into(), json!(a.street));
        address.insert("addressLocality".into(), json!(a.city));
        if a.region != Region::Abroad {
            address.insert("addressRegion".into(), json!(a.region.label(Lang::English)));
            address.insert("addressCountry".into(), json!("KG"));
        }
        v.insert(
            "jobLocation".into(),
            json!({
                "@type": "Place",
                "name": b.building.name,
                "address": Value::Object(address),
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": b.building.location.lat,
                    "longitude": b.building.location.lon,
                },
            }),
        );
    }
    if l.work_mode == WorkMode::Remote {
        v.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        if l.region != Region::Abroad {
            v.insert(
                "applicantLocationRequirements".into(),
                json!({ "@type": "Country", "name": "Kyrgyzstan" }),
            );
        }
    }
    if let Some(s) = &l.salary {
        let mut q = Map::new();
        q.insert("@type".into(), json!("QuantitativeValue"));
        match (s.min, s.max) {
            (Some(min), Some(max)) if min == max => {
                q.insert("value".into(), json!(min));
            }
            (min, max) => {
                if let Some(min) = min {
                    q.insert("minValue".into(), json!(min));
                }
                if let Some(max) = max {
                    q.insert("maxValue".into(), json!(max));
                }
            }
        }
        q.insert("unitText".into(), json!(schema_unit(s.period)));
        v.insert(
            "baseSalary".into(),
            json!({ "@type": "MonetaryAmount", "currency": "KGS", "value": Value::Object(q) }),
        );
    }
    v.insert("directApply".into(), json!(false));
    Value::Object(v)
}

/// JSON that can sit inside `<script>`: `<`, `>` and `&` only occur inside JSON strings, where
/// `\u003c` means the same, so nothing in a title can end the element or open a comment.
fn script_safe(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_search_address_round_trips_in_one_order() {
        let w = JobsWords::get(Lang::English);
        let mut a = Asked::from_pairs(&pairs(&[
            ("q", " бухгалтер "),
            ("type", "part_time"),
            ("type", "full_time"),
            ("acc", "quiet_workspace"),
            ("step_free", "1"),
            ("min_salary", "25 000"),
            ("sort", "newest"),
        ]));
        assert!(a.check(w).is_empty());
        let href = a.href(Some("v1.x"));
        assert_eq!(
            href,
            "/jobs?q=%D0%B1%D1%83%D1%85%D0%B3%D0%B0%D0%BB%D1%82%D0%B5%D1%80&type=full_time&type=part_time\
             &acc=quiet_workspace&step_free=1&min_salary=25000&sort=newest&page=v1.x"
        );
        let q = a.query();
        assert_eq!(q.filters.min_monthly_salary, Some(25_000));
        assert_eq!(
            q.filters.employment_types,
            [EmploymentType::FullTime, EmploymentType::PartTime]
        );
        assert_eq!(q.filters.access, [AccessRequirement::StepFreeEntrance]);
    }

    #[test]
    fn bad_input_names_its_field() {
        let w = JobsWords::get(Lang::Russian);
        let mut a = Asked::from_pairs(&pairs(&[
            ("min_salary", "много"),
            ("type", "forever"),
            ("acc", "x"),
            ("sort", "distance"),
        ]));
        let e = a.check(w);
        assert_eq!(e.get("min_salary"), Some(w.salary_error));
        assert!(e.has("type-full_time"));
        assert!(e.has("acc-flexible_hours"));
        assert!(e.has("sort"));
    }

    #[test]
    fn counts_dates_and_pay_read_well() {
        let w = JobsWords::get(Lang::Russian);
        assert_eq!(found_text(w, Lang::Russian, 1), "Найдена 1 вакансия");
        assert_eq!(found_text(w, Lang::Russian, 3), "Найдены 3 вакансии");
        assert_eq!(found_text(w, Lang::Russian, 11), "Найдено 11 вакансий");
        let en = JobsWords::get(Lang::English);
        assert_eq!(found_text(en, Lang::English, 1), "1 job found");
        assert_eq!(found_text(en, Lang::English, 1200), "1\u{a0}200 jobs found");
        let t = "2025-03-14T10:00:00Z".parse().unwrap();
        assert_eq!(long_date(Lang::Kyrgyz, t), "2025-жылдын 14-марты");
        assert_eq!(long_date(Lang::Russian, t), "14 марта 2025");
        assert_eq!(long_date(Lang::English, t), "14 March 2025");
        let s = Salary {
            min: Some(20_000),
            max: None,
            period: SalaryPeriod::Month,
        };
        assert_eq!(
            salary_text(Lang::Russian, w, &s),
            "от 20\u{a0}000 сом в месяц"
        );
    }

    #[test]
    fn apply_links_use_each_channels_scheme() {
        let w = JobsWords::get(Lang::English);
        let link = |c, v| apply_way(Lang::English, w, c, v).href;
        assert_eq!(
            link(ApplyChannel::Phone, "+996 555 123-456"),
            Some("tel:+996555123456".into())
        );
        assert_eq!(
            link(ApplyChannel::Sms, "0555 123456"),
            Some("sms:0555123456".into())
        );
        assert_eq!(
            link(ApplyChannel::WhatsApp, "+996 (555) 123 456"),
            Some("https://wa.me/996555123456".into())
        );
        assert_eq!(
            link(ApplyChannel::Email, "hr+jobs@ak-jol.kg"),
            Some("mailto:hr+jobs@ak-jol.kg".into())
        );
        assert_eq!(link(ApplyChannel::Email, "a@b.kg?subject=x"), None);
        assert_eq!(link(ApplyChannel::InPerson, "Chuy 120, office 4"), None);
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = json!({ "title": "</script><script>alert(1)</script> & <!--" });
        let s = script_safe(&v);
        assert!(!s.contains('<') && !s.contains('>'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}

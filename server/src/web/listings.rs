//! An organization's listings: the table (`/manage/listings`), the form to create and edit one, its
//! preview with Publish and Close, and what a stale edit shows (issue 12).
//!
//! Rules are the JSON API's (`api::listings`): ngo users act for their own organization, admins for
//! any; every change carries the version it was made against, so nobody overwrites someone else's
//! save without seeing it. Another organization's listing is "not found", never shown.
//!
//! Dates:
//! - `posted_at` is never taken from the form: a new listing gets the time it is created, an edit
//!   keeps the stored one (storage does that too), and publishing sets it to the publishing time
//!   (storage's rule: the date job seekers see is when the job became public).
//! - The closing date (`valid_through`) may not be set to a day that has already passed. An edit
//!   that leaves the stored closing date as it is may keep it even when it has passed (a published
//!   listing whose last day is over stays editable, for a typo in its title, say); publishing a
//!   listing whose closing date has passed is refused with a notice to change it first.
//! - A closed listing cannot be edited or published again (storage refuses both, as the API does):
//!   the preview says so and offers "Create a listing" instead.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use teng_core::accessibility::{Labelled, Lang};
use teng_core::model::{
    Accommodation, ApplyChannel, EmploymentType, JobCategory, JobListing, ListingStatus,
    Organization, Region, Salary, SalaryPeriod, WorkLanguage, WorkMode,
};
use teng_core::search::text::fold;
use uuid::Uuid;

use super::error::{OrPage, WebError};
use super::form::{FormErrors, WebForm};
use super::listing_input::{ListingInput, ListingLabels, ListingTarget, APPLY_ROWS};
use super::page::{percent_encode, render, render_with, see_other, Chrome};
use super::session::{Ctx, SignedIn};
use crate::api::listings::ownership_scope;
use crate::auth::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::{BuildingFilter, BuildingRecord, OrgListingQuery, User};
use crate::texts;

/// Rows of the table per page.
pub const PAGE_SIZE: usize = 50;
/// Words of a search that are used (the rest are ignored).
const MAX_WORDS: usize = 8;
/// Buildings offered on the form (an organization has far fewer).
const MAX_BUILDINGS: usize = 2_000;
/// Organizations an admin's filter and form offer.
const MAX_ORGANIZATIONS: usize = 2_000;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/manage/listings", get(index))
        .route("/manage/listings/new", get(new_form).post(create))
        .route("/manage/listings/{id}", get(show))
        .route("/manage/listings/{id}/edit", get(edit_form).post(update))
        .route("/manage/listings/{id}/publish", post(publish))
        .route("/manage/listings/{id}/close", post(close))
}

texts! {
    pub struct ListingsWords {
        index_title: ["Биздин жарыялар", "Наши вакансии", "Our listings"],
        index_title_admin: ["Бардык жарыялар", "Все вакансии", "All listings"],
        create_link: ["Жаңы жарыя түзүү", "Создать вакансию", "Create a listing"],
        filter_heading: ["Издөө жана чыпкалоо", "Поиск и фильтр", "Search and filter"],
        status_label: ["Абалы", "Статус", "Status"],
        status_any: ["Баары", "Все", "All"],
        search_label: ["Сөздөр боюнча издөө", "Поиск по словам", "Search by words"],
        search_hint: [
            "Аталышынан, сүрөттөмөсүнөн жана шаардан издейт. Латын же кирилл тамгалары менен жазсаңыз болот.",
            "Ищет в названии, описании и городе. Можно писать латиницей или кириллицей.",
            "Looks in the title, the description and the city. Latin or Cyrillic letters both work.",
        ],
        organization_label: ["Уюм", "Организация", "Organization"],
        organization_any: ["Бардык уюмдар", "Все организации", "All organizations"],
        apply_filter: ["Көрсөтүү", "Показать", "Show"],
        clear_filter: ["Чыпканы тазалоо", "Сбросить фильтр", "Clear the filter"],
        count_none: ["Бир да жарыя табылган жок.", "Вакансий не найдено.", "No listings found."],
        count: ["Табылган жарыялар: {n}.", "Найдено вакансий: {n}.", "Listings found: {n}."],
        page_of: ["{m} барактын {n}-барагы", "Страница {n} из {m}", "Page {n} of {m}"],
        table_caption: ["Жарыялар", "Вакансии", "Listings"],
        col_title: ["Аталышы", "Название", "Title"],
        col_posted: ["Жарыяланган күнү", "Опубликовано", "Posted"],
        col_saved: ["Телефондордо сакталганы", "Сохранили на телефонах", "Saved on phones"],
        not_published: ["жарыялана элек", "ещё не опубликовано", "not published yet"],
        no_closing_date: ["көрсөтүлгөн эмес", "не указана", "none"],
        none: ["жок", "нет", "none"],
        status_prefix: ["Абалы:", "Статус:", "Status:"],
        preview_heading: [
            "Жумуш издегендер мындай көрөт",
            "Так вакансию увидят соискатели",
            "How job seekers will see it",
        ],
        description_heading: ["Сүрөттөмө", "Описание", "Description"],
        public_link: ["Ачык барагын көрүү", "Открыть публичную страницу", "Open the public page"],
        draft_explain: [
            "Бул долбоор: аны сиздин уюм гана көрөт. Жумуш издегендер аны жарыялангандан кийин гана көрүшөт.",
            "Это черновик: его видит только ваша организация. Соискатели увидят вакансию после публикации.",
            "This is a draft: only your organization sees it. Job seekers see it once it is published.",
        ],
        published_explain: [
            "Жарыяланган: жумуш издегендер аны көрүшөт, телефондор аны синхрондоодо алышат.",
            "Опубликовано: соискатели видят вакансию, телефоны получают её при синхронизации.",
            "Published: job seekers see it, and phones get it when they sync.",
        ],
        closed_explain: [
            "Жабылган: жумуш издегендер аны мындан ары көрүшпөйт. Жабылган жарыяны өзгөртүүгө же кайра жарыялоого болбойт; керек болсо жаңысын түзүңүз.",
            "Закрыто: соискатели её больше не видят. Закрытую вакансию нельзя изменить или опубликовать снова; если нужно, создайте новую.",
            "Closed: job seekers no longer see it. A closed listing cannot be edited or published again; create a new one if you need to.",
        ],
        actions_heading: ["Эмне кылабыз?", "Действия", "What next?"],
        publish_button: ["Жарыялоо", "Опубликовать", "Publish"],
        publish_hint: [
            "Жарыяланган жарыяны телефондор кийинки синхрондоодо алышат.",
            "Опубликованную вакансию телефоны получат при следующей синхронизации.",
            "Once published, the listing reaches phones on their next sync.",
        ],
        close_button: ["Жарыяны жабуу", "Закрыть вакансию", "Close the listing"],
        close_hint: [
            "Жабылган жарыя издөөдөн жана телефондордон алынып салынат. Аны кайра ачууга болбойт.",
            "Закрытая вакансия исчезнет из поиска и с телефонов. Открыть её снова будет нельзя.",
            "A closed listing leaves the search and the phones. It cannot be opened again.",
        ],
        edit_link: ["Жарыяны өзгөртүү", "Изменить вакансию", "Edit the listing"],
        back_to_list: ["Жарыялардын тизмесине кайтуу", "Вернуться к списку вакансий", "Back to the listings"],
        notice_created: [
            "Жарыя долбоор катары сакталды. Даяр болгондо жарыялаңыз.",
            "Вакансия сохранена как черновик. Опубликуйте её, когда будете готовы.",
            "The listing is saved as a draft. Publish it when it is ready.",
        ],
        notice_saved: ["Өзгөртүүлөр сакталды.", "Изменения сохранены.", "Your changes are saved."],
        notice_published: [
            "Жарыя жарыяланды. Телефондор аны кийинки синхрондоодо алышат.",
            "Вакансия опубликована. Телефоны получат её при следующей синхронизации.",
            "The listing is published. Phones get it on their next sync.",
        ],
        notice_closed: ["Жарыя жабылды.", "Вакансия закрыта.", "The listing is closed."],
        notice_not_editable: [
            "Жабылган жарыяны өзгөртүүгө болбойт.",
            "Закрытую вакансию изменить нельзя.",
            "A closed listing cannot be edited.",
        ],
        notice_stale: [
            "Бул жарыяны сиз барагын ачкандан кийин башка бирөө өзгөрткөн, ошондуктан эч нерсе өзгөргөн жок. Анын азыркы абалы төмөндө; керек болсо кайра аракет кылыңыз.",
            "Пока страница была открыта, вакансию изменил кто-то другой, поэтому ничего не изменено. Ниже её текущее состояние; если нужно, попробуйте ещё раз.",
            "Someone else changed this listing after you opened the page, so nothing was changed. Below is how it is now; try again if you still want to.",
        ],
        notice_cannot_publish: [
            "Жабылган жарыяны кайра жарыялоого болбойт. Жаңы жарыя түзүңүз.",
            "Закрытую вакансию нельзя опубликовать снова. Создайте новую.",
            "A closed listing cannot be published again. Create a new one.",
        ],
        notice_closing_passed: [
            "Акыркы күн өтүп кеткен, ошондуктан жарыя жарыяланган жок. Адегенде акыркы күндү өзгөртүңүз.",
            "Дата окончания приёма уже прошла, поэтому вакансия не опубликована. Сначала измените дату.",
            "The closing date has passed, so the listing was not published. Change the date first.",
        ],
        change_closing_date: ["Акыркы күндү өзгөртүү", "Изменить дату окончания", "Change the closing date"],
        new_title: ["Жаңы жарыя", "Новая вакансия", "Create a listing"],
        edit_title: ["Жарыяны өзгөртүү", "Изменение вакансии", "Edit the listing"],
        draft_note: [
            "Жарыя адегенде долбоор болуп сакталат; аны кийин, текшергенден соң жарыялайсыз.",
            "Вакансия сохранится как черновик; опубликовать её можно будет после проверки.",
            "The listing is saved as a draft first; you publish it after checking it.",
        ],
        for_organization: ["Уюм:", "Организация:", "Organization:"],
        change_organization: ["Башка уюмду тандоо", "Выбрать другую организацию", "Choose another organization"],
        pick_org_title: [
            "Жарыя кайсы уюм үчүн?",
            "Для какой организации вакансия?",
            "Which organization is the listing for?",
        ],
        pick_org_hint: [
            "Уюмду тандагандан кийин анын имараттары формада көрүнөт.",
            "После выбора организации в форме появятся её здания.",
            "Once you choose, the form offers that organization's buildings.",
        ],
        continue_button: ["Улантуу", "Продолжить", "Continue"],
        no_organizations: [
            "Азырынча бир да уюм жок. Адегенде уюм кошуңуз.",
            "Организаций пока нет. Сначала добавьте организацию.",
            "There are no organizations yet. Add one first.",
        ],
        section_job: ["Жумуш жөнүндө", "О работе", "About the job"],
        section_place: ["Жумуш орду", "Место работы", "Where the work is"],
        section_support: ["Шарттар жана тилдер", "Условия и языки", "Support and languages"],
        section_apply: ["Кайрылуу", "Отклик", "Applying"],
        apply_row_legend: ["Кайрылуунун {n}-жолу", "Способ отклика {n}", "Way to apply {n}"],
        apply_row_optional: [
            "Милдеттүү эмес. Керек болбосо бош калтырыңыз.",
            "Необязательно. Оставьте пустым, если не нужно.",
            "Optional. Leave empty if not needed.",
        ],
        create_button: ["Долбоор катары сактоо", "Сохранить черновик", "Save as a draft"],
        save_button: ["Өзгөртүүлөрдү сактоо", "Сохранить изменения", "Save the changes"],
        conflict_title: [
            "Бул жарыяны башка бирөө сактап койгон",
            "Вакансию уже сохранил кто-то другой",
            "Someone else saved this listing",
        ],
        conflict_notice: [
            "Сиз түзөтүп жатканда бул жарыяны башка бирөө сактап койгон. Сиздин өзгөртүүлөрүңүз азырынча сакталган жок. Эки нусканы салыштырып, бирөөнү тандаңыз.",
            "Пока вы редактировали, эту вакансию сохранил кто-то другой. Ваши изменения пока не сохранены. Сравните обе версии и выберите одну.",
            "Someone else saved this listing while you were editing it. Your changes are not saved yet. Compare the two versions and choose one.",
        ],
        theirs_heading: [
            "Сакталган нуска (башка бирөөнүкү)",
            "Сохранённая версия (другого человека)",
            "The saved version (theirs)",
        ],
        yours_heading: [
            "Сиздин нускаңыз (сакталган эмес)",
            "Ваша версия (ещё не сохранена)",
            "Your version (not saved yet)",
        ],
        save_mine: ["Менин нускамды сактоо", "Сохранить мою версию", "Save my version"],
        keep_theirs: ["Алардын нускасын калтыруу", "Оставить их версию", "Keep theirs"],
        valid_through_past: [
            "Бул күн өтүп кеткен: бүгүнкү же андан кийинки күндү жазыңыз",
            "Эта дата уже прошла: укажите сегодняшнюю или более позднюю",
            "That day has passed: enter today or a later day",
        ],
        salary_range: ["{min}–{max} сом", "{min}–{max} сом", "{min}–{max} som"],
        salary_from: ["{min} сомдон баштап", "от {min} сом", "from {min} som"],
        salary_up_to: ["{max} сомго чейин", "до {max} сом", "up to {max} som"],
    }
}

// ---------------------------------------------------------------------------------------------
// Who acts, and for which organization

/// The signed-in editor (ngo or admin); anyone else gets the "not allowed" page.
fn editor(signed: SignedIn) -> Result<(Ctx, User), WebError> {
    signed.require(&[Role::Ngo, Role::Admin])?;
    let SignedIn(ctx, user) = signed;
    Ok((ctx, user))
}

/// A listing id from the URL that the user may manage, or the "not found" page (a malformed id, a
/// missing listing and another organization's listing all look the same).
async fn owned_listing(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
    id: &str,
) -> Result<JobListing, WebError> {
    let id = Uuid::parse_str(id).map_err(|_| WebError::NotFound(ctx.lang))?;
    let listing = state
        .db(move |s| s.get_listing(id))
        .await
        .web(ctx.lang)?
        .ok_or(WebError::NotFound(ctx.lang))?;
    if ownership_scope(user).is_some_and(|org| org != listing.organization_id) {
        return Err(WebError::NotFound(ctx.lang));
    }
    Ok(listing)
}

/// A storage refusal because of ownership is a "not found" page too.
fn hide_forbidden(lang: Lang, e: ApiError) -> WebError {
    if e.status == StatusCode::FORBIDDEN {
        WebError::NotFound(lang)
    } else {
        WebError::from_api(lang, e)
    }
}

/// The stored listing a conflict answer carries.
fn conflict_current(e: &ApiError) -> Option<JobListing> {
    if e.status != StatusCode::CONFLICT {
        return None;
    }
    e.current
        .clone()
        .and_then(|c| serde_json::from_value::<JobListing>(c).ok())
}

// ---------------------------------------------------------------------------------------------
// Small formatting helpers

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

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

fn salary_text(lang: Lang, w: &ListingsWords, s: &Salary) -> String {
    let amount = match (s.min, s.max) {
        (Some(min), Some(max)) if min == max => {
            w.salary_range.replace("{min}–{max}", &group_digits(min))
        }
        (Some(min), Some(max)) => w
            .salary_range
            .replace("{min}", &group_digits(min))
            .replace("{max}", &group_digits(max)),
        (Some(min), None) => w.salary_from.replace("{min}", &group_digits(min)),
        (None, Some(max)) => w.salary_up_to.replace("{max}", &group_digits(max)),
        (None, None) => String::new(),
    };
    format!("{amount} {}", s.period.label(lang))
}

fn building_text(b: &BuildingRecord) -> String {
    let a = &b.building.address;
    format!("{} — {}, {}", b.building.name, a.street, a.city)
}

/// The end of the day a closing date names (as `ListingInput::parse` reads it), if it is a date.
fn closing_instant(text: &str) -> Option<DateTime<Utc>> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .map(|t| t.and_utc())
}

// ---------------------------------------------------------------------------------------------
// The table

/// One row of the table, ready to print.
pub struct RowView {
    pub href: String,
    pub title: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub posted: Option<String>,
    pub closing: Option<String>,
    pub building: String,
    pub organization: String,
    pub saved: u64,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The input's id (radios and checkboxes: the first carries the field's id).
    pub id: String,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
            id: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "listings_index.html")]
struct IndexPage {
    chrome: Chrome,
    w: &'static ListingsWords,
    l: &'static ListingLabels,
    heading: &'static str,
    is_admin: bool,
    statuses: Vec<Choice>,
    organizations: Vec<Choice>,
    q: String,
    filtered: bool,
    count_text: String,
    page_text: String,
    rows: Vec<RowView>,
    previous: Option<String>,
    next: Option<String>,
}

/// The table's query; every part optional and forgiving (a wrong value is ignored, never an error).
#[derive(Default)]
struct IndexQuery {
    status: Option<ListingStatus>,
    q: String,
    org: Option<Uuid>,
    page: usize,
}

impl IndexQuery {
    fn from_pairs(pairs: &[(String, String)]) -> IndexQuery {
        let mut q = IndexQuery {
            page: 1,
            ..Default::default()
        };
        for (k, v) in pairs {
            match k.as_str() {
                "status" => q.status = ListingStatus::from_code(v.trim()).ok(),
                "q" => q.q = v.chars().take(200).collect(),
                "org" => q.org = Uuid::parse_str(v.trim()).ok(),
                "page" => q.page = v.trim().parse::<usize>().unwrap_or(1).clamp(1, 100_000),
                _ => {}
            }
        }
        q
    }

    /// The table's URL for `page` with the same filters.
    fn href(&self, page: usize) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.code()));
        }
        if !self.q.trim().is_empty() {
            parts.push(format!("q={}", percent_encode(self.q.trim())));
        }
        if let Some(o) = self.org {
            parts.push(format!("org={o}"));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/manage/listings".into()
        } else {
            format!("/manage/listings?{}", parts.join("&"))
        }
    }
}

/// A search as the storage wants it: folded words, each once.
fn search_words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in fold(q).split(' ').filter(|w| !w.is_empty()) {
        let word: String = word.chars().take(64).collect();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_WORDS {
            break;
        }
    }
    words
}

async fn index(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let lang = ctx.lang;
    let is_admin = user.role == Role::Admin;
    let mut q = IndexQuery::from_pairs(&pairs);
    if !is_admin {
        q.org = None;
    }
    let organization_id = match ownership_scope(&user) {
        Some(own) => Some(own),
        None => q.org,
    };
    let mut query = OrgListingQuery {
        organization_id,
        status: q.status,
        words: search_words(&q.q),
        offset: (q.page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    // One trip to the blocking pool: the page of rows, then (if the page asked for is past the
    // end) the last page, the buildings the rows name, and for admins the organizations.
    let (page, pages, buildings, organizations) = state
        .db(move |s| {
            let mut page = s.org_listings(&query)?;
            let pages = (page.total as usize).div_ceil(PAGE_SIZE).max(1);
            if query.offset / PAGE_SIZE + 1 > pages {
                query.offset = (pages - 1) * PAGE_SIZE;
                page = s.org_listings(&query)?;
            }
            let mut buildings: HashMap<Uuid, String> = HashMap::new();
            for row in &page.rows {
                if let Some(b) = row.listing.building_id {
                    if let std::collections::hash_map::Entry::Vacant(e) = buildings.entry(b) {
                        if let Some(record) = s.get_building(b)? {
                            e.insert(record.building.name);
                        }
                    }
                }
            }
            let organizations = if is_admin {
                s.list_organizations(None, MAX_ORGANIZATIONS)?
            } else {
                Vec::new()
            };
            Ok((page, pages, buildings, organizations))
        })
        .await
        .web(lang)?;
    q.page = q.page.min(pages);
    let w = ListingsWords::get(lang);
    let l = ListingLabels::get(lang);
    let org_names: HashMap<Uuid, &str> = organizations
        .iter()
        .map(|o| (o.record.id, o.record.name.as_str()))
        .collect();
    let rows = page
        .rows
        .iter()
        .map(|row| {
            let listing = &row.listing;
            RowView {
                href: format!("/manage/listings/{}", listing.id),
                title: listing.title.clone(),
                status_code: listing.status.code(),
                status: listing.status.label(lang),
                posted: (listing.status != ListingStatus::Draft).then(|| day(listing.posted_at)),
                closing: listing.valid_through.map(day),
                building: match listing.building_id {
                    Some(b) => buildings.get(&b).cloned().unwrap_or_default(),
                    None => l.no_building.to_string(),
                },
                organization: org_names
                    .get(&listing.organization_id)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                saved: row.saved_by,
            }
        })
        .collect();
    let mut statuses = vec![Choice::new("", w.status_any, q.status.is_none())];
    statuses.extend(
        ListingStatus::ALL
            .iter()
            .map(|s| Choice::new(s.code(), s.label(lang), q.status == Some(*s))),
    );
    let mut org_choices = Vec::new();
    if is_admin {
        org_choices.push(Choice::new("", w.organization_any, q.org.is_none()));
        let mut sorted: Vec<&Organization> = organizations.iter().map(|o| &o.record).collect();
        sorted.sort_by_key(|o| o.name.to_lowercase());
        org_choices.extend(
            sorted
                .iter()
                .map(|o| Choice::new(o.id.to_string(), o.name.clone(), q.org == Some(o.id))),
        );
    }
    let count_text = if page.total == 0 {
        w.count_none.to_string()
    } else {
        w.count.replace("{n}", &page.total.to_string())
    };
    let page_text = w
        .page_of
        .replace("{n}", &q.page.to_string())
        .replace("{m}", &pages.to_string());
    let filtered = q.status.is_some() || !q.q.trim().is_empty() || q.org.is_some();
    Ok(render(&IndexPage {
        chrome: Chrome::new(&ctx, "listings"),
        w,
        l,
        heading: if is_admin {
            w.index_title_admin
        } else {
            w.index_title
        },
        is_admin,
        statuses,
        organizations: org_choices,
        q: q.q.clone(),
        filtered,
        count_text,
        page_text,
        rows,
        previous: (q.page > 1).then(|| q.href(q.page - 1)),
        next: (q.page < pages).then(|| q.href(q.page + 1)),
    }))
}

// ---------------------------------------------------------------------------------------------
// The preview

/// One line of a listing's facts: a label and one or more values.
pub struct Fact {
    pub label: &'static str,
    pub values: Vec<String>,
}

/// What a listing says, as the public page will read it.
pub struct Facts {
    pub title: String,
    pub facts: Vec<Fact>,
    pub description: Vec<String>,
}

fn facts(lang: Lang, listing: &JobListing, building: Option<&BuildingRecord>) -> Facts {
    let w = ListingsWords::get(lang);
    let l = ListingLabels::get(lang);
    let one = |label, value: String| Fact {
        label,
        values: vec![value],
    };
    let list = |label, values: Vec<String>| Fact {
        label,
        values: if values.is_empty() {
            vec![w.none.to_string()]
        } else {
            values
        },
    };
    let facts = vec![
        one(l.category, listing.category.label(lang).to_string()),
        one(
            l.employment_type,
            listing.employment_type.label(lang).to_string(),
        ),
        one(l.work_mode, listing.work_mode.label(lang).to_string()),
        one(
            l.building_id,
            match (listing.building_id, building) {
                (None, _) => l.no_building.to_string(),
                (Some(_), Some(b)) => building_text(b),
                (Some(id), None) => id.to_string(),
            },
        ),
        one(l.city, listing.city.clone()),
        one(l.region, listing.region.label(lang).to_string()),
        one(
            l.salary,
            listing
                .salary
                .map(|s| salary_text(lang, w, &s))
                .unwrap_or_else(|| l.no_salary.to_string()),
        ),
        list(
            l.accommodations,
            listing
                .accommodations
                .iter()
                .map(|a| a.label(lang).to_string())
                .collect(),
        ),
        list(
            l.languages,
            listing
                .languages
                .iter()
                .map(|a| a.label(lang).to_string())
                .collect(),
        ),
        list(
            l.apply_via,
            listing
                .apply_via
                .iter()
                .map(|m| format!("{}: {}", m.channel.label(lang), m.value))
                .collect(),
        ),
        one(
            w.col_posted,
            if listing.status == ListingStatus::Draft {
                w.not_published.to_string()
            } else {
                day(listing.posted_at)
            },
        ),
        one(
            l.valid_through,
            listing
                .valid_through
                .map(day)
                .unwrap_or_else(|| w.no_closing_date.to_string()),
        ),
    ];
    Facts {
        title: listing.title.clone(),
        facts,
        description: listing
            .description
            .lines()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "listings_show.html")]
struct ShowPage {
    chrome: Chrome,
    w: &'static ListingsWords,
    id: Uuid,
    title: String,
    status_code: &'static str,
    status: &'static str,
    explain: &'static str,
    organization: Option<String>,
    notice: Option<&'static str>,
    /// A notice that nothing was done (stale, refused); shown as a warning.
    warning: Option<&'static str>,
    /// The warning is about the closing date: link to the edit form.
    fix_closing_date: bool,
    facts: Facts,
    version: i64,
    can_publish: bool,
    can_close: bool,
    can_edit: bool,
    is_public: bool,
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// Renders the preview of `listing` (loading its building, and its organization for admins).
async fn show_page(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
    listing: JobListing,
    status: StatusCode,
    notice: Option<&'static str>,
    warning: Option<&'static str>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let w = ListingsWords::get(lang);
    let (building_id, org_id, is_admin) = (
        listing.building_id,
        listing.organization_id,
        user.role == Role::Admin,
    );
    let (building, organization) = state
        .db(move |s| {
            let building = building_id
                .map(|b| s.get_building(b))
                .transpose()?
                .flatten();
            let organization = if is_admin {
                s.get_organization(org_id)?.map(|o| o.record.name)
            } else {
                None
            };
            Ok((building, organization))
        })
        .await
        .web(lang)?;
    let explain = match listing.status {
        ListingStatus::Draft => w.draft_explain,
        ListingStatus::Published => w.published_explain,
        ListingStatus::Closed => w.closed_explain,
    };
    let page = ShowPage {
        chrome: Chrome::new(ctx, "listings"),
        w,
        id: listing.id,
        title: listing.title.clone(),
        status_code: listing.status.code(),
        status: listing.status.label(lang),
        explain,
        organization,
        notice,
        warning,
        fix_closing_date: warning == Some(w.notice_closing_passed),
        facts: facts(lang, &listing, building.as_ref()),
        version: listing.version,
        can_publish: listing.status == ListingStatus::Draft,
        can_close: listing.status == ListingStatus::Published,
        can_edit: listing.status != ListingStatus::Closed,
        is_public: listing.status == ListingStatus::Published,
    };
    Ok(render_with(status, &page))
}

async fn show(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let listing = owned_listing(&state, &ctx, &user, &id).await?;
    let w = ListingsWords::get(ctx.lang);
    let (notice, warning) = match q.notice.as_deref() {
        Some("created") => (Some(w.notice_created), None),
        Some("saved") => (Some(w.notice_saved), None),
        Some("published") => (Some(w.notice_published), None),
        Some("closed") => (Some(w.notice_closed), None),
        Some("not_editable") => (None, Some(w.notice_not_editable)),
        _ => (None, None),
    };
    show_page(
        &state,
        &ctx,
        &user,
        listing,
        StatusCode::OK,
        notice,
        warning,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Publish and close

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
}

async fn publish(
    state: State<Arc<AppState>>,
    signed: SignedIn,
    id: Path<String>,
    form: WebForm<VersionForm>,
) -> Result<Response, WebError> {
    set_status(state, signed, id, form, ListingStatus::Published).await
}

async fn close(
    state: State<Arc<AppState>>,
    signed: SignedIn,
    id: Path<String>,
    form: WebForm<VersionForm>,
) -> Result<Response, WebError> {
    set_status(state, signed, id, form, ListingStatus::Closed).await
}

async fn set_status(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    WebForm(form): WebForm<VersionForm>,
    to: ListingStatus,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let lang = ctx.lang;
    let w = ListingsWords::get(lang);
    let listing = owned_listing(&state, &ctx, &user, &id).await?;
    // A stale form is a conflict even when the move itself would be allowed.
    let version = form.version.trim().parse::<i64>().unwrap_or(-1);
    let now = state.now();
    if to == ListingStatus::Published
        && version == listing.version
        && listing.status == ListingStatus::Draft
        && listing.valid_through.is_some_and(|v| v < now)
    {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let warning = Some(w.notice_closing_passed);
        return show_page(&state, &ctx, &user, listing, status, None, warning).await;
    }
    let (lid, scope) = (listing.id, ownership_scope(&user));
    match state
        .db(move |s| s.set_listing_status(lid, to, version, scope, now))
        .await
    {
        Ok(stored) => {
            let notice = match stored.status {
                ListingStatus::Published => "published",
                ListingStatus::Closed => "closed",
                ListingStatus::Draft => "saved",
            };
            Ok(see_other(&format!(
                "/manage/listings/{}?notice={notice}",
                stored.id
            )))
        }
        Err(e) if e.status == StatusCode::CONFLICT => {
            let current = conflict_current(&e).unwrap_or(listing);
            // Same version: the move itself is refused (a closed listing stays closed).
            let warning = if current.version == version && to == ListingStatus::Published {
                w.notice_cannot_publish
            } else {
                w.notice_stale
            };
            show_page(
                &state,
                &ctx,
                &user,
                current,
                StatusCode::CONFLICT,
                None,
                Some(warning),
            )
            .await
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            // The closing date passed between the check above and the write.
            let current = owned_listing(&state, &ctx, &user, &id).await?;
            let warning = Some(w.notice_closing_passed);
            show_page(&state, &ctx, &user, current, e.status, None, warning).await
        }
        Err(e) => Err(hide_forbidden(lang, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The form

/// A submitted listing form. The fields are listed rather than a `#[serde(flatten)]`ed
/// [`ListingInput`]: through `flatten`, serde_html_form hands a lone checkbox value over as a
/// string, and `Vec<String>` then refuses it (a unit test below keeps this honest).
#[derive(Debug, Default, Deserialize)]
struct ListingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    /// Admins: the organization the new listing is for.
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    employment_type: String,
    #[serde(default)]
    work_mode: String,
    #[serde(default)]
    building_id: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    salary_min: String,
    #[serde(default)]
    salary_max: String,
    #[serde(default)]
    salary_period: String,
    #[serde(default)]
    accommodations: Vec<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    apply_channel: Vec<String>,
    #[serde(default)]
    apply_value: Vec<String>,
    #[serde(default)]
    valid_through: String,
}

impl ListingForm {
    fn input(&self) -> ListingInput {
        ListingInput {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            employment_type: self.employment_type.clone(),
            work_mode: self.work_mode.clone(),
            building_id: self.building_id.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            salary_min: self.salary_min.clone(),
            salary_max: self.salary_max.clone(),
            salary_period: self.salary_period.clone(),
            accommodations: self.accommodations.clone(),
            languages: self.languages.clone(),
            apply_channel: self.apply_channel.clone(),
            apply_value: self.apply_value.clone(),
            valid_through: self.valid_through.clone(),
        }
    }
}

pub struct ApplyRow {
    pub n: usize,
    pub channels: Vec<Choice>,
    pub value: String,
}

#[derive(Template)]
#[template(path = "listings_form.html")]
struct FormPage {
    chrome: Chrome,
    w: &'static ListingsWords,
    l: &'static ListingLabels,
    errors: FormErrors,
    heading: &'static str,
    action: String,
    /// Edit: the listing's page ("Keep theirs" and Cancel go there); new: the table.
    back: String,
    is_edit: bool,
    version: String,
    /// Admins creating a listing: the organization it is for.
    organization: Option<(String, String)>,
    input: ListingInput,
    categories: Vec<Choice>,
    employment_types: Vec<Choice>,
    work_modes: Vec<Choice>,
    buildings: Vec<Choice>,
    regions: Vec<Choice>,
    periods: Vec<Choice>,
    accommodations: Vec<Choice>,
    languages: Vec<Choice>,
    apply_rows: Vec<ApplyRow>,
    /// A stale edit: the stored version, shown beside the user's.
    theirs: Option<Facts>,
}

impl FormPage {
    /// ` aria-invalid="true" aria-describedby="..."` for an input: its hint and its error.
    pub fn aria(&self, id: &str, hint: &str) -> String {
        format!("{}{}", self.invalid(id), self.described(id, hint))
    }

    /// ` aria-describedby="..."` alone (a fieldset: its inputs carry `aria-invalid`).
    pub fn described(&self, id: &str, hint: &str) -> String {
        let mut ids: Vec<String> = Vec::new();
        if !hint.is_empty() {
            ids.push(hint.to_string());
        }
        let error = self.errors.described_by(id);
        if !error.is_empty() {
            ids.push(error);
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }

    /// The heading level of the form's sections (one deeper beside a stale edit's comparison).
    pub fn h(&self) -> &'static str {
        if self.theirs.is_some() {
            "h3"
        } else {
            "h2"
        }
    }

    /// The pay fieldset's class: marked when any of its three inputs has an error.
    pub fn salary_class(&self) -> &'static str {
        if ["salary_min", "salary_max", "salary_period"]
            .iter()
            .any(|id| self.errors.has(id))
        {
            "field-group has-error"
        } else {
            "field-group"
        }
    }

    /// ` aria-invalid="true"` when the field has an error (the inputs of a group).
    pub fn invalid(&self, id: &str) -> &'static str {
        if self.errors.has(id) {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    }

    /// The class of a field's wrapper.
    pub fn field_class(&self, id: &str) -> &'static str {
        if self.errors.has(id) {
            "field has-error"
        } else {
            "field"
        }
    }

    /// The error summary's link target and the fieldset's error for the ways to apply.
    pub fn apply_error(&self, n: &usize) -> bool {
        self.errors.has(&format!("apply_channel_{n}"))
            || self.errors.has(&format!("apply_value_{n}"))
    }
}

/// Radio or checkbox choices: the first input carries the field's id (the error summary links to
/// it), the others `field-code`.
fn group<T: Copy + Labelled>(
    field: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    lang: Lang,
    selected: impl Fn(&str) -> bool,
) -> Vec<Choice> {
    all.iter()
        .enumerate()
        .map(|(i, v)| {
            let c = code(*v);
            Choice {
                value: c.to_string(),
                label: v.label(lang).to_string(),
                selected: selected(c),
                id: if i == 0 {
                    field.to_string()
                } else {
                    format!("{field}-{c}")
                },
            }
        })
        .collect()
}

/// Options of a select, with an empty first option when `empty` is given.
fn options<T: Copy + Labelled>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    lang: Lang,
    current: &str,
    empty: Option<&str>,
) -> Vec<Choice> {
    let mut out = Vec::new();
    if let Some(label) = empty {
        out.push(Choice::new("", label, current.trim().is_empty()));
    }
    out.extend(
        all.iter()
            .map(|v| Choice::new(code(*v), v.label(lang), code(*v) == current.trim())),
    );
    out
}

struct FormSetup {
    heading: &'static str,
    action: String,
    back: String,
    is_edit: bool,
    version: String,
    organization: Option<(String, String)>,
    theirs: Option<Facts>,
}

fn form_page(
    ctx: &Ctx,
    setup: FormSetup,
    input: ListingInput,
    errors: FormErrors,
    buildings: &[BuildingRecord],
) -> FormPage {
    let lang = ctx.lang;
    let l = ListingLabels::get(lang);
    let mut building_choices = vec![Choice::new(
        "",
        l.no_building,
        input.building_id.trim().is_empty(),
    )];
    let mut sorted: Vec<&BuildingRecord> = buildings.iter().collect();
    sorted.sort_by_key(|b| b.building.name.to_lowercase());
    building_choices.extend(sorted.iter().map(|b| {
        let id = b.building.id.to_string();
        let selected = input.building_id.trim() == id;
        Choice::new(id, building_text(b), selected)
    }));
    let apply_rows = (0..APPLY_ROWS)
        .map(|i| {
            let (channel, value) = input.apply_row(i);
            ApplyRow {
                n: i + 1,
                channels: options(ApplyChannel::ALL, ApplyChannel::code, lang, channel, None),
                value: value.to_string(),
            }
        })
        .collect();
    FormPage {
        chrome: Chrome::new(ctx, "listings"),
        w: ListingsWords::get(lang),
        l,
        errors,
        heading: setup.heading,
        action: setup.action,
        back: setup.back,
        is_edit: setup.is_edit,
        version: setup.version,
        organization: setup.organization,
        categories: options(
            JobCategory::ALL,
            JobCategory::code,
            lang,
            &input.category,
            Some(l.choose),
        ),
        employment_types: group(
            "employment_type",
            EmploymentType::ALL,
            EmploymentType::code,
            lang,
            |c| input.employment_type.trim() == c,
        ),
        work_modes: group("work_mode", WorkMode::ALL, WorkMode::code, lang, |c| {
            input.work_mode.trim() == c
        }),
        buildings: building_choices,
        regions: options(
            Region::ALL,
            Region::code,
            lang,
            &input.region,
            Some(l.region_from_building),
        ),
        periods: options(
            SalaryPeriod::ALL,
            SalaryPeriod::code,
            lang,
            &input.salary_period,
            Some(l.choose),
        ),
        accommodations: group(
            "accommodations",
            Accommodation::ALL,
            Accommodation::code,
            lang,
            |c| input.has_accommodation(c),
        ),
        languages: group(
            "languages",
            WorkLanguage::ALL,
            WorkLanguage::code,
            lang,
            |c| input.has_language(c),
        ),
        apply_rows,
        theirs: setup.theirs,
        input,
    }
}

/// What a new form starts with: pay per month, and three ways to apply to fill in.
fn blank_input() -> ListingInput {
    ListingInput {
        salary_period: SalaryPeriod::Month.code().into(),
        apply_channel: vec![
            ApplyChannel::Phone.code().into(),
            ApplyChannel::WhatsApp.code().into(),
            ApplyChannel::Email.code().into(),
        ],
        ..Default::default()
    }
}

/// The organization's buildings, plus `also` (a listing's current building) if it is not one.
async fn buildings_of(
    state: &Arc<AppState>,
    lang: Lang,
    org: Uuid,
    also: Option<Uuid>,
) -> Result<Vec<BuildingRecord>, WebError> {
    state
        .db(move |s| {
            let mut list = s.list_buildings(&BuildingFilter {
                organization_id: Some(org),
                limit: MAX_BUILDINGS,
                ..Default::default()
            })?;
            if let Some(b) = also.filter(|b| !list.iter().any(|r| r.building.id == *b)) {
                list.extend(s.get_building(b)?);
            }
            Ok(list)
        })
        .await
        .web(lang)
}

/// The closing-date rule of this module (see the top): a date typed differently from `stored` must
/// not have passed. Returns the input `ListingInput::parse` should see (without the refused date,
/// so its message is this rule's, not the "before posted" one) and the error, if any.
fn check_closing_date(
    input: &ListingInput,
    stored: &str,
    now: DateTime<Utc>,
    w: &ListingsWords,
) -> (ListingInput, Option<String>) {
    let typed = input.valid_through.trim();
    if typed == stored.trim() {
        return (input.clone(), None);
    }
    match closing_instant(typed) {
        Some(until) if until < now => {
            let mut checked = input.clone();
            checked.valid_through.clear();
            (checked, Some(w.valid_through_past.to_string()))
        }
        _ => (input.clone(), None),
    }
}

/// Parses the form for `target`, with this module's closing-date rule on top.
fn parse_input(
    lang: Lang,
    input: &ListingInput,
    stored_closing: &str,
    target: &ListingTarget<'_>,
    now: DateTime<Utc>,
) -> Result<JobListing, FormErrors> {
    let (checked, date_error) =
        check_closing_date(input, stored_closing, now, ListingsWords::get(lang));
    let parsed = checked.parse(lang, target);
    match (parsed, date_error) {
        (Ok(listing), None) => Ok(listing),
        (Ok(_), Some(message)) => {
            let mut errors = FormErrors::new();
            errors.add("valid_through", message);
            Err(errors)
        }
        (Err(mut errors), date_error) => {
            if let Some(message) = date_error {
                errors.add("valid_through", message);
            }
            Err(errors)
        }
    }
}

/// A storage refusal of a field (a building removed meanwhile, say) as a message on the form.
fn storage_field_error(lang: Lang, e: &ApiError) -> Option<FormErrors> {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY {
        return None;
    }
    let l = ListingLabels::get(lang);
    let field = e.field.as_deref().unwrap_or("");
    let (id, label) = super::listing_input::field_for(field, l);
    let mut errors = FormErrors::new();
    if id == "building_id" {
        errors.add(id, l.unknown_building);
    } else {
        let invalid = super::i18n::ValidationWords::get(lang).invalid;
        errors.add(id, invalid.replace("{label}", label));
    }
    Some(errors)
}

#[derive(Template)]
#[template(path = "listings_pick_org.html")]
struct PickOrgPage {
    chrome: Chrome,
    w: &'static ListingsWords,
    organizations: Vec<Choice>,
}

/// Admins choose the organization first, so the form can offer its buildings.
async fn pick_org_page(state: &Arc<AppState>, ctx: &Ctx) -> Result<Response, WebError> {
    let mut orgs = state
        .db(|s| s.list_organizations(None, MAX_ORGANIZATIONS))
        .await
        .web(ctx.lang)?;
    orgs.sort_by_key(|o| o.record.name.to_lowercase());
    Ok(render(&PickOrgPage {
        chrome: Chrome::new(ctx, "listings"),
        w: ListingsWords::get(ctx.lang),
        organizations: orgs
            .into_iter()
            .map(|o| Choice::new(o.record.id.to_string(), o.record.name, false))
            .collect(),
    }))
}

/// The organization a new listing is for: an ngo user's own; for admins the one named (`None`:
/// ask). The name is shown to admins only.
async fn acting_org(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
    named: &str,
) -> Result<Option<(Uuid, Option<String>)>, WebError> {
    match user.role {
        Role::Admin => {
            let Ok(id) = Uuid::parse_str(named.trim()) else {
                return Ok(None);
            };
            let org = state
                .db(move |s| s.get_organization(id))
                .await
                .web(ctx.lang)?;
            Ok(org.map(|o| (id, Some(o.record.name))))
        }
        _ => match user.organization_id {
            Some(own) => Ok(Some((own, None))),
            None => Err(WebError::Forbidden(ctx.lang)),
        },
    }
}

#[derive(Deserialize)]
struct NewQuery {
    org: Option<String>,
}

fn new_setup(w: &'static ListingsWords, org: Uuid, name: Option<String>) -> FormSetup {
    FormSetup {
        heading: w.new_title,
        action: "/manage/listings/new".into(),
        back: "/manage/listings".into(),
        is_edit: false,
        version: String::new(),
        organization: name.map(|n| (org.to_string(), n)),
        theirs: None,
    }
}

async fn new_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let Some((org, name)) = acting_org(&state, &ctx, &user, q.org.as_deref().unwrap_or("")).await?
    else {
        return pick_org_page(&state, &ctx).await;
    };
    let buildings = buildings_of(&state, ctx.lang, org, None).await?;
    let w = ListingsWords::get(ctx.lang);
    Ok(render(&form_page(
        &ctx,
        new_setup(w, org, name),
        blank_input(),
        FormErrors::new(),
        &buildings,
    )))
}

async fn create(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    WebForm(form): WebForm<ListingForm>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let lang = ctx.lang;
    let Some((org, name)) = acting_org(&state, &ctx, &user, &form.organization_id).await? else {
        return pick_org_page(&state, &ctx).await;
    };
    let buildings = buildings_of(&state, lang, org, None).await?;
    let now = state.now();
    let input = form.input();
    let target = ListingTarget {
        id: Uuid::now_v7(),
        organization_id: org,
        buildings: &buildings,
        posted_at: now,
        status: ListingStatus::Draft,
        version: 0,
    };
    let w = ListingsWords::get(lang);
    let refuse = |errors: FormErrors| {
        render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(
                &ctx,
                new_setup(w, org, name.clone()),
                input.clone(),
                errors,
                &buildings,
            ),
        )
    };
    let listing = match parse_input(lang, &input, "", &target, now) {
        Ok(listing) => listing,
        Err(errors) => return Ok(refuse(errors)),
    };
    match state.db(move |s| s.create_listing(&listing, now)).await {
        Ok(stored) => Ok(see_other(&format!(
            "/manage/listings/{}?notice=created",
            stored.id
        ))),
        Err(e) => match storage_field_error(lang, &e) {
            Some(errors) => Ok(refuse(errors)),
            None => Err(WebError::from_api(lang, e)),
        },
    }
}

fn edit_setup(
    w: &'static ListingsWords,
    id: Uuid,
    version: i64,
    theirs: Option<Facts>,
) -> FormSetup {
    FormSetup {
        heading: if theirs.is_some() {
            w.conflict_title
        } else {
            w.edit_title
        },
        action: format!("/manage/listings/{id}/edit"),
        back: format!("/manage/listings/{id}"),
        is_edit: true,
        version: version.to_string(),
        organization: None,
        theirs,
    }
}

async fn edit_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let listing = owned_listing(&state, &ctx, &user, &id).await?;
    if listing.status == ListingStatus::Closed {
        return Ok(see_other(&format!(
            "/manage/listings/{}?notice=not_editable",
            listing.id
        )));
    }
    let buildings = buildings_of(
        &state,
        ctx.lang,
        listing.organization_id,
        listing.building_id,
    )
    .await?;
    let w = ListingsWords::get(ctx.lang);
    Ok(render(&form_page(
        &ctx,
        edit_setup(w, listing.id, listing.version, None),
        ListingInput::from_listing(&listing),
        FormErrors::new(),
        &buildings,
    )))
}

async fn update(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    WebForm(form): WebForm<ListingForm>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let lang = ctx.lang;
    let w = ListingsWords::get(lang);
    let current = owned_listing(&state, &ctx, &user, &id).await?;
    let not_editable = || {
        see_other(&format!(
            "/manage/listings/{}?notice=not_editable",
            current.id
        ))
    };
    if current.status == ListingStatus::Closed {
        return Ok(not_editable());
    }
    let buildings =
        buildings_of(&state, lang, current.organization_id, current.building_id).await?;
    // The version the user's form was made against (a missing one never matches: a conflict).
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let input = form.input();
    let now = state.now();
    let target = ListingTarget {
        id: current.id,
        organization_id: current.organization_id,
        buildings: &buildings,
        posted_at: current.posted_at,
        status: current.status,
        version,
    };
    let stored_closing = ListingInput::from_listing(&current).valid_through;
    let listing = match parse_input(lang, &input, &stored_closing, &target, now) {
        Ok(listing) => listing,
        Err(errors) => {
            return Ok(render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(
                    &ctx,
                    edit_setup(w, current.id, version, None),
                    input,
                    errors,
                    &buildings,
                ),
            ))
        }
    };
    let scope = ownership_scope(&user);
    match state
        .db(move |s| s.update_listing(&listing, scope, now))
        .await
    {
        Ok(stored) => Ok(see_other(&format!(
            "/manage/listings/{}?notice=saved",
            stored.id
        ))),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let theirs = conflict_current(&e).unwrap_or_else(|| current.clone());
            if theirs.status == ListingStatus::Closed {
                return Ok(not_editable());
            }
            // Their version beside the user's, which stays in the form with the current version
            // number: submitting it again is "Save my version".
            let building = match theirs.building_id {
                Some(b) => buildings
                    .iter()
                    .find(|r| r.building.id == b)
                    .cloned()
                    .or(state.db(move |s| s.get_building(b)).await.web(lang)?),
                None => None,
            };
            let facts = facts(lang, &theirs, building.as_ref());
            Ok(render_with(
                StatusCode::CONFLICT,
                &form_page(
                    &ctx,
                    edit_setup(w, theirs.id, theirs.version, Some(facts)),
                    input,
                    FormErrors::new(),
                    &buildings,
                ),
            ))
        }
        Err(e) => match storage_field_error(lang, &e) {
            Some(errors) => Ok(render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(
                    &ctx,
                    edit_setup(w, current.id, version, None),
                    input,
                    errors,
                    &buildings,
                ),
            )),
            None => Err(hide_forbidden(lang, e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::FromRequest;

    async fn parse_form<T: serde::de::DeserializeOwned>(body: &'static str) -> Result<T, String> {
        let req = axum::http::Request::builder()
            .method("POST")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap();
        axum_extra::extract::Form::<T>::from_request(req, &())
            .await
            .map(|f| f.0)
            .map_err(|e| format!("{e:?}"))
    }

    #[tokio::test]
    async fn checkbox_groups_read_one_value_or_many() {
        let one: ListingForm =
            parse_form("csrf=x&title=a&accommodations=flexible_hours&languages=ky")
                .await
                .unwrap();
        assert_eq!(one.accommodations, ["flexible_hours"]);
        assert_eq!(one.input().languages, ["ky"]);
        let many: ListingForm = parse_form(
            "accommodations=a&accommodations=b&apply_channel=phone&apply_channel=email&apply_value=1&apply_value=",
        )
        .await
        .unwrap();
        assert_eq!(many.accommodations, ["a", "b"]);
        assert_eq!(many.input().apply_row(1), ("email", ""));
        let none: ListingForm = parse_form("csrf=x").await.unwrap();
        assert!(none.accommodations.is_empty());
    }

    /// Why the fields are listed: `flatten` loses a lone checkbox (if serde_html_form ever fixes
    /// this, the form may flatten a `ListingInput` instead).
    #[tokio::test]
    async fn flatten_would_refuse_a_single_checkbox() {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Flat {
            #[serde(default)]
            csrf: String,
            #[serde(flatten)]
            input: ListingInput,
        }
        assert!(parse_form::<Flat>("csrf=x&accommodations=one")
            .await
            .is_err());
    }

    #[test]
    fn amounts_and_search_words_read_well() {
        assert_eq!(group_digits(25_000), "25\u{a0}000");
        assert_eq!(group_digits(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(group_digits(500), "500");
        let w = ListingsWords::get(Lang::Russian);
        let s = Salary {
            min: Some(20_000),
            max: None,
            period: SalaryPeriod::Month,
        };
        assert_eq!(
            salary_text(Lang::Russian, w, &s),
            "от 20\u{a0}000 сом в месяц"
        );
        assert_eq!(search_words("Бишкек  бишкек Ош"), ["bishkek", "osh"]);
        assert!(search_words("  ,, ").is_empty());
    }

    #[test]
    fn the_table_query_is_forgiving_and_round_trips() {
        let pairs = |p: &[(&str, &str)]| {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let q = IndexQuery::from_pairs(&pairs(&[
            ("status", "published"),
            ("q", "бух галтер"),
            ("page", "x"),
        ]));
        assert_eq!(q.status, Some(ListingStatus::Published));
        assert_eq!(q.page, 1);
        assert_eq!(
            q.href(2),
            "/manage/listings?status=published&q=%D0%B1%D1%83%D1%85%20%D0%B3%D0%B0%D0%BB%D1%82%D0%B5%D1%80&page=2"
        );
        let q = IndexQuery::from_pairs(&pairs(&[("status", "forever"), ("page", "0")]));
        assert_eq!(q.status, None);
        assert_eq!(q.page, 1);
        assert_eq!(q.href(1), "/manage/listings");
    }

    #[test]
    fn an_unchanged_past_closing_date_may_stay_a_changed_one_may_not() {
        let w = ListingsWords::get(Lang::English);
        let now = Utc::now();
        let input = ListingInput {
            valid_through: "2020-01-31".into(),
            ..Default::default()
        };
        let (kept, error) = check_closing_date(&input, "2020-01-31", now, w);
        assert!(error.is_none());
        assert_eq!(kept.valid_through, "2020-01-31");
        let (checked, error) = check_closing_date(&input, "2020-02-28", now, w);
        assert_eq!(error.as_deref(), Some(w.valid_through_past));
        assert!(checked.valid_through.is_empty());
        let today = ListingInput {
            valid_through: day(now),
            ..Default::default()
        };
        assert!(check_closing_date(&today, "", now, w).1.is_none());
    }
}

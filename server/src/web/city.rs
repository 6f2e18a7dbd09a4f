//! The city office's pages (issue 13), for users with the `city` role (their own city only) and
//! admins (every city):
//!
//! - `/city` (also `/city/reports`): the inbox, reports about the city's buildings newest first,
//!   with filters (district, status, what the report is about, building, received dates, "entrance
//!   not step-free") and keyset pages on (received time, id) that never skip or repeat a report,
//!   even while new ones arrive. A reopened report is flagged in words, not colour alone.
//! - `/city/reports/{id}`: one report, its status history, and the answer form (a status of
//!   `IssueStatus::CITY_ANSWERS`; a note, required for "not responsible", written in the page's
//!   language).
//! - `/city/buildings/{id}`: the building's current summary, every report about it and each one's
//!   history.
//! - `city_map` draws the same filtered reports on a map; `city_digest` sums up a period.
//!
//! Scope: every query carries the office's city (`InboxQuery::city`, `report_in_city`), so another
//! city's report or building is a 404 by any URL or filter, and the filters offer only the city's
//! own districts and buildings. Privacy: pages show what kind of reporter sent a report (anonymous
//! visitor, verified surveyor) and how they checked it, never a device id, token or account, and
//! say so (`privacy_body`).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use teng_core::accessibility::words::russian_plural;
use teng_core::accessibility::{
    label, Feature, FeatureValue, Lang, LocalizedNote, ReportStatus, Tri,
};
use teng_core::model::validation::{limits, optional_text};
use uuid::Uuid;

use super::error::{OrPage, WebError};
use super::form::{FormErrors, WebForm};
use super::i18n::validation_message;
use super::page::{percent_encode, render, render_with, see_other, Chrome};
use super::session::{Ctx, SignedIn};
use crate::auth::Role;
use crate::state::AppState;
use crate::storage::city::{
    in_scope, InboxChoices, InboxCursor, InboxPage, InboxQuery, COUNT_LIMIT, MAX_BUILDING_CHOICES,
};
use crate::storage::{
    IssueStatus, ReportRecord, StatusAnswer, StatusBy, StatusEntry, StorageError, User,
};
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/city", get(inbox))
        .route("/city/reports", get(inbox))
        .route("/city/reports/{id}", get(report_page).post(answer))
        .route("/city/buildings/{id}", get(building_page))
        .route("/static/city.css", get(css))
        .merge(super::city_map::router())
        .merge(super::city_digest::router())
}

/// Rows per page of the inbox.
pub const PAGE: usize = 50;
/// Most reports a building's page lists.
const BUILDING_REPORTS: usize = 500;
/// Facts a table row spells out before "and N more".
const ROW_FACTS: usize = 4;
/// Kyrgyzstan's clock (Asia/Bishkek, UTC+6 all year): the office's days and times.
pub const KYRGYZ_OFFSET_HOURS: i64 = 6;

/// The city pages' own stylesheet (the map, status flags, the printable digest).
pub const CSS: &str = include_str!("../../static/city.css");

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

// ky: review (the whole table).
texts! {
    pub struct CityWords {
        inbox_title: ["Билдирүүлөр", "Сообщения о доступности", "Accessibility reports"],
        inbox_intro: [
            "{city} шаарындагы имараттар жөнүндө келген билдирүүлөр, эң жаңысы биринчи.",
            "Сообщения о зданиях города {city}, сначала новые.",
            "Reports about buildings in {city}, newest first.",
        ],
        inbox_intro_admin: [
            "Бардык шаарлардагы имараттар жөнүндө келген билдирүүлөр, эң жаңысы биринчи.",
            "Сообщения о зданиях всех городов, сначала новые.",
            "Reports about buildings in every city, newest first.",
        ],
        privacy_title: ["Шаардык кызмат эмнени алат", "Что получает городская служба", "What the city office receives"],
        privacy_body: [
            "Ар бир билдирүү менен сиз имаратты, эмне билдирилгенин, кантип текшерилгенин (өлчөнгөн, көз менен бааланган же сүрөт боюнча), качан байкалганын жана качан алынганын, ошондой эле билдирүүчүнүн түрүн көрөсүз: аты аталбаган келүүчү же текшерилген изилдөөчү. Тең билдирүүчүнүн телефонун, анын кодун, атын же аны тааныта турган башка эч нерсени көрсөтпөйт.",
            "С каждым сообщением вы видите здание, о чём сообщили, как это проверили (измерили, оценили на глаз или по фотографии), когда это заметили и когда сообщение получено, а также кто сообщил: анонимный посетитель или проверенный обследователь. Тең никогда не показывает телефон сообщившего, его идентификатор, имя или что-либо ещё, что позволяет его узнать.",
            "With each report you see the building, what was reported, how it was checked (measured, estimated by eye or on a photo), when it was observed and received, and what kind of reporter sent it: an anonymous visitor or a verified surveyor. Teng never shows the reporter's phone, its id, their name or anything else that identifies them.",
        ],
        times_note: [
            "Убакыт Бишкек убактысы менен көрсөтүлөт (UTC+6).",
            "Время указано по Бишкеку (UTC+6).",
            "Times are Bishkek time (UTC+6).",
        ],
        show_map: ["Картада көрсөтүү", "Показать на карте", "Show on a map"],
        show_table: ["Таблица түрүндө көрсөтүү", "Показать таблицей", "Show as a table"],
        digest_link: ["Мезгил боюнча жыйынтык", "Сводка за период", "Digest for a period"],

        filter_heading: ["Билдирүүлөрдү тандоо", "Отбор сообщений", "Filter reports"],
        f_city: ["Шаар", "Город", "City"],
        city_any: ["Бардык шаарлар", "Все города", "All cities"],
        f_district: ["Район", "Район", "District"],
        district_any: ["Бардык райондор", "Все районы", "All districts"],
        f_status: ["Абалы", "Статус", "Status"],
        status_any: ["Бардык абалдар", "Любой статус", "Any status"],
        status_waiting: [
            "Шаардын жообун күтүүдө (чечиле элек)",
            "Ждут городскую службу (не решены)",
            "Waiting for the city (not resolved)",
        ],
        f_feature: ["Эмне жөнүндө", "О чём сообщение", "What the report is about"],
        feature_any: ["Баары", "Обо всём", "Anything"],
        f_building: ["Имарат", "Здание", "Building"],
        building_more: [
            "Тизмеде аталышы боюнча алгачкы {n} имарат гана. Тизмени кыскартуу үчүн районду тандаңыз.",
            "В списке только первые {n} зданий по названию. Выберите район, чтобы сузить список.",
            "Only the first {n} buildings by name are listed. Choose a district to narrow the list.",
        ],
        building_any: ["Бардык имараттар", "Все здания", "All buildings"],
        f_from: ["Алынган күндөн баштап", "Получено с", "Received from"],
        f_to: ["Алынган күнгө чейин", "Получено по", "Received until"],
        date_hint: [
            "Жыл-ай-күн, мисалы 2026-03-01. Бош калтырсаңыз — чек жок.",
            "Год-месяц-день, например 2026-03-01. Пусто — без ограничения.",
            "Year-month-day, for example 2026-03-01. Leave it empty for no limit.",
        ],
        f_steps: [
            "Жыйынтыгы боюнча кире беришинде тепкич бар жана туруктуу пандус жок имараттар гана",
            "Только здания, у входа которых, по сводке, есть ступеньки и нет стационарного пандуса",
            "Only buildings whose summary says the entrance has steps and no fixed ramp",
        ],
        apply: ["Көрсөтүү", "Показать", "Show reports"],
        clear: ["Тандоону тазалоо", "Сбросить отбор", "Clear the filters"],
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
        filter_ignored: [
            "Бул чыпка колдонулган жок.",
            "Этот фильтр не применён.",
            "This filter was not applied.",
        ],

        count: ["Табылган билдирүүлөр: {n}.", "Найдено сообщений: {n}.", "Reports found: {n}."],
        count_more: [
            "Табылган билдирүүлөр: {n} ашык.",
            "Найдено сообщений: больше {n}.",
            "Reports found: more than {n}.",
        ],
        count_none: ["Бир да билдирүү табылган жок.", "Сообщений не найдено.", "No reports found."],
        showing: ["Бул беттө: {a}–{b}.", "На этой странице: {a}–{b}.", "This page: {a} to {b}."],
        reopened_count: [
            "Бул беттеги {n} билдирүүнү билдирүүчүлөр кайра ачышкан: дагы эле оңдоло элек.",
            "На этой странице снова открыто сообщившими (всё ещё не исправлено): {n}.",
            "Reopened by their reporters on this page (still not fixed): {n}.",
        ],
        empty_page: [
            "Бул бетте билдирүү жок. Биринчи бетке кайтыңыз.",
            "На этой странице нет сообщений. Вернитесь на первую страницу.",
            "There are no reports on this page. Go back to the first page.",
        ],
        first_page: ["Биринчи бет", "Первая страница", "First page"],
        table_caption: ["Билдирүүлөр, эң жаңысы биринчи", "Сообщения, сначала новые", "Reports, newest first"],
        col_building: ["Имарат", "Здание", "Building"],
        col_district: ["Район", "Район", "District"],
        col_city: ["Шаар", "Город", "City"],
        col_what: ["Эмне билдирилди", "О чём сообщили", "What was reported"],
        col_method: ["Кантип текшерилген", "Как проверено", "How it was checked"],
        col_reporter: ["Ким билдирди", "Кто сообщил", "Reported by"],
        col_who_how: ["Ким билдирди, кантип текшерилген", "Кто сообщил, как проверено", "Reported by, how checked"],
        col_observed: ["Байкалган", "Замечено", "Observed"],
        col_received: ["Алынган", "Получено", "Received"],
        col_status: ["Абалы", "Статус", "Status"],
        col_age: ["Канча күн мурун алынган", "Дней с получения", "Days since received"],
        open_report: ["Ачуу жана жооп берүү", "Открыть и ответить", "Open and answer"],
        open_report_context: [
            "{building}, {date} алынган",
            "{building}, получено {date}",
            "{building}, received {date}",
        ],
        more_facts: ["жана дагы {n}", "и ещё {n}", "and {n} more"],
        note_only: ["Эскертүү гана", "Только заметка", "A note only"],
        with_note: ["Эскертүүсү бар", "Есть заметка", "With a note"],
        no_district: ["көрсөтүлгөн эмес", "не указан", "not given"],
        reopened_flag: ["Кайра ачылды", "Открыто снова", "Reopened"],

        report_title: ["Билдирүү: {building}", "Сообщение: {building}", "Report: {building}"],
        back_to_inbox: ["Бардык билдирүүлөр", "Все сообщения", "All reports"],
        building_page: ["Имараттын барагы", "Страница здания", "The building's page"],
        about_report: ["Билдирүү жөнүндө", "О сообщении", "About the report"],
        what_reported: ["Эмне билдирилди", "О чём сообщили", "What was reported"],
        nothing_but_note: [
            "Белгилер жок, эскертүү гана.",
            "Фактов нет, только заметка.",
            "No facts, only a note.",
        ],
        reporter_note: ["Билдирүүчүнүн эскертүүсү", "Заметка сообщившего", "The reporter's note"],
        note_language: ["Тили", "Язык", "Language"],
        current_status: ["Азыркы абалы", "Текущий статус", "Current status"],
        reopened_notice: [
            "Билдирүүчү бул көйгөй дагы эле оңдоло электигин айтты. Кайра жооп бериңиз.",
            "Сообщивший говорит, что проблема всё ещё не исправлена. Ответьте снова.",
            "The reporter says this is still not fixed. Please answer again.",
        ],
        history_title: ["Абалдын тарыхы", "История статусов", "Status history"],
        history_intro: [
            "Тарых өзгөртүлбөйт жана өчүрүлбөйт: ар бир жооп аягына кошулат.",
            "Историю нельзя изменить или удалить: каждый ответ добавляется в конец.",
            "The history is never changed or deleted: each answer is added at the end.",
        ],
        col_when: ["Качан", "Когда", "When"],
        col_who: ["Ким", "Кто", "Who"],
        col_note: ["Эскертүү", "Заметка", "Note"],
        by_city: ["шаардык кызмат", "городская служба", "city office"],
        by_reporter: ["билдирүүчү", "сообщивший", "reporter"],
        no_history: [
            "Азырынча жооп берилген жок.",
            "Ответов пока не было.",
            "Nobody has answered yet.",
        ],
        no_note: ["—", "—", "—"],
        answer_title: ["Жооп берүү", "Ответить", "Answer the report"],
        answer_privacy: [
            "Билдирүүчү жообуңузду жана эскертүүңүздү өз телефонунан окуйт. Анда сиздин атыңыз көрүнбөйт, «шаардык кызмат» деп гана жазылат.",
            "Сообщивший прочтёт ваш ответ и заметку в своём телефоне. Ваше имя там не видно: только «городская служба».",
            "The reporter reads your answer and note on their phone. Your name is not shown there, only “the city office”.",
        ],
        new_status: ["Жаңы абалы", "Новый статус", "New status"],
        hint_acknowledged: [
            "Билдирүүнү көрдүңүз жана карап чыгасыз.",
            "Вы получили сообщение и рассмотрите его.",
            "You have seen the report and will look into it.",
        ],
        hint_in_progress: [
            "Оңдоо иштери жүрүп жатат.",
            "Работы по исправлению идут.",
            "Work to fix it is under way.",
        ],
        hint_resolved: [
            "Көйгөй оңдолду. Билдирүүчү макул болбосо, кайра ача алат.",
            "Проблема устранена. Если сообщивший не согласен, он может открыть сообщение снова.",
            "The problem is fixed. If the reporter disagrees, they can reopen the report.",
        ],
        hint_not_responsible: [
            "Бул шаардын милдети эмес. Эмне үчүн экенин эскертүүдө жазыңыз.",
            "Это не в ведении городской службы. Напишите в заметке почему.",
            "This is not the city office's responsibility. Say why in the note.",
        ],
        note_label: ["Билдирүүчүгө эскертүү", "Заметка для сообщившего", "Note to the reporter"],
        note_hint: [
            "Ушул барактын тилинде ({lang}) жазыңыз: эскертүү ушул тилде жазылды деп белгиленет. «Шаардын милдети эмес» тандалса, милдеттүү.",
            "Пишите на языке этой страницы ({lang}): заметка будет помечена как написанная на нём. Обязательна для «не в ведении городской службы».",
            "Write in the language of this page ({lang}): the note is marked as written in it. Required for “not the city office's responsibility”.",
        ],
        status_required: ["Жаңы абалды тандаңыз", "Выберите новый статус", "Choose a new status"],
        note_required: [
            "Эмне үчүн бул шаардын милдети эмес экенин жазыңыз",
            "Напишите, почему это не в ведении городской службы",
            "Say why this is not the city office's responsibility",
        ],
        send_answer: ["Жоопту жөнөтүү", "Отправить ответ", "Send the answer"],
        answered_notice: [
            "Жооп сакталды. Билдирүүчү аны кийинки синхрондоодо алат.",
            "Ответ сохранён. Сообщивший получит его при следующей синхронизации.",
            "The answer is saved. The reporter gets it at their next sync.",
        ],

        building_intro: [
            "Бул имараттын азыркы жеткиликтүүлүгү жана ал жөнүндө бардык билдирүүлөр.",
            "Доступность этого здания сейчас и все сообщения о нём.",
            "How accessible this building is now, and every report about it.",
        ],
        address: ["Дареги", "Адрес", "Address"],
        summary_title: ["Кыскача", "Кратко", "In short"],
        description_title: ["Толук сүрөттөмө", "Подробное описание", "Full description"],
        reports_title: ["Бул имарат жөнүндө билдирүүлөр", "Сообщения об этом здании", "Reports about this building"],
        no_reports: [
            "Бул имарат жөнүндө азырынча билдирүү жок.",
            "Сообщений об этом здании пока нет.",
            "There are no reports about this building yet.",
        ],
        report_heading: ["{date} алынган билдирүү", "Сообщение, полученное {date}", "Report received {date}"],
        in_table: [
            "Бул имараттын билдирүүлөрү таблицада",
            "Сообщения об этом здании в таблице",
            "This building's reports in the table",
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Who may see what

/// A signed-in city office user or admin, and the city their pages are limited to.
pub struct Office {
    pub ctx: Ctx,
    pub user: User,
    /// `Some(city)` for a city office (always), `None` for admins (every city).
    pub scope: Option<String>,
}

impl Office {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

/// City office users and admins; a city user without a city sees nothing ("not allowed").
pub fn office(signed: SignedIn) -> Result<Office, WebError> {
    signed.require(&[Role::City, Role::Admin])?;
    let SignedIn(ctx, user) = signed;
    let scope = match user.role {
        Role::Admin => None,
        _ => match user
            .city
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(city) => Some(city.to_string()),
            None => return Err(WebError::Forbidden(ctx.lang)),
        },
    };
    Ok(Office { ctx, user, scope })
}

fn parse_id(lang: Lang, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound(lang))
}

// ---------------------------------------------------------------------------------------------
// Words shared by the city pages

pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A report status as the phones word it ("received, not answered yet", "in progress").
pub fn status_label(status: IssueStatus, lang: Lang) -> &'static str {
    label(ReportStatus::from_code_or_open(status.code()), lang)
}

/// Bishkek wall-clock time, "2026-03-01 14:05".
pub fn when(t: DateTime<Utc>) -> String {
    (t + Duration::hours(KYRGYZ_OFFSET_HOURS))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The Bishkek day of an instant.
pub fn kyrgyz_day(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(KYRGYZ_OFFSET_HOURS)).date_naive()
}

/// Midnight at the start of a Bishkek day.
pub fn day_start(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc() - Duration::hours(KYRGYZ_OFFSET_HOURS))
        .unwrap_or_default()
}

/// "2026-03-01" → the date; anything else → `None`.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// A number of a unit with the right word: `unit(lang, 3, "күн", ["день", "дня", "дней"], "day")`.
pub fn unit(lang: Lang, n: i64, ky: &str, ru: [&'static str; 3], en: &str) -> String {
    match lang {
        Lang::Kyrgyz => format!("{n} {ky}"),
        Lang::Russian => format!("{n} {}", russian_plural(n, ru[0], ru[1], ru[2])),
        Lang::English => format!("{n} {en}{}", if n == 1 { "" } else { "s" }),
    }
}

/// A fact's value in words: "yes", "90 centimetres", "fixed ramp", "Russian Sign Language".
pub fn value_text(lang: Lang, v: &FeatureValue) -> String {
    match v {
        FeatureValue::Bool(b) => label(Tri::from(Some(*b)), lang).to_string(),
        FeatureValue::Count(n) => n.to_string(),
        FeatureValue::Centimetres(n) => unit(
            lang,
            i64::from(*n),
            "сантиметр",
            ["сантиметр", "сантиметра", "сантиметров"],
            "centimetre",
        ),
        FeatureValue::Metres(n) => unit(
            lang,
            i64::from(*n),
            "метр",
            ["метр", "метра", "метров"],
            "metre",
        ),
        FeatureValue::Percent(n) => match lang {
            Lang::English => format!("{n} percent"),
            _ => unit(
                lang,
                i64::from(*n),
                "пайыз",
                ["процент", "процента", "процентов"],
                "",
            ),
        },
        FeatureValue::Floor(n) => match lang {
            Lang::Kyrgyz => format!("{n}-кабат"),
            Lang::Russian => format!("этаж {n}"),
            Lang::English => format!("floor {n}"),
        },
        FeatureValue::Ramp(k) => label(*k, lang).to_string(),
        FeatureValue::DoorType(k) => label(*k, lang).to_string(),
        FeatureValue::Access(a) => label(*a, lang).to_string(),
        FeatureValue::SignLanguages(list) if list.is_empty() => label(Tri::No, lang).to_string(),
        FeatureValue::SignLanguages(list) => list
            .iter()
            .map(|l| label(*l, lang))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// One reported fact as a phrase: "Entrance door width: 80 centimetres", "No ramp".
pub fn fact_text(lang: Lang, feature: Feature, v: &FeatureValue) -> String {
    match v {
        FeatureValue::Ramp(_) | FeatureValue::DoorType(_) => capitalize(&value_text(lang, v)),
        _ => format!(
            "{}: {}",
            capitalize(label(feature, lang)),
            value_text(lang, v)
        ),
    }
}

/// Every fact of a report as phrases, in the features' order.
pub fn facts_of(lang: Lang, r: &ReportRecord) -> Vec<String> {
    r.report
        .facts
        .iter()
        .map(|(f, v)| fact_text(lang, f, v))
        .collect()
}

/// Text in one language, marked with it (`lang` attribute) for screen readers; `lang` and
/// `language` are "" when the language is not known.
pub struct NoteView {
    pub text: String,
    pub lang: &'static str,
    pub language: &'static str,
}

/// The reporter's note in the reader's language if written in it, else in the first language it
/// has (as `LocalizedNote::get` picks).
pub fn note_view(note: Option<&LocalizedNote>, reader: Lang) -> Option<NoteView> {
    let note = note?;
    let exact = match reader {
        Lang::Kyrgyz => (Lang::Kyrgyz, &note.ky),
        Lang::Russian => (Lang::Russian, &note.ru),
        Lang::English => (Lang::English, &note.en),
    };
    [
        exact,
        (Lang::Russian, &note.ru),
        (Lang::Kyrgyz, &note.ky),
        (Lang::English, &note.en),
    ]
    .into_iter()
    .find_map(|(l, t)| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| NoteView {
                text: t.to_string(),
                lang: l.code(),
                language: label(l, reader),
            })
    })
}

/// A city answer's note, marked with the language it was written in.
fn answer_note(note: Option<&str>, lang: Option<&str>, reader: Lang) -> Option<NoteView> {
    let text = note.map(str::trim).filter(|t| !t.is_empty())?;
    // A reporter's "still not fixed" carries no language: say none rather than guess.
    let l = lang.and_then(|c| Lang::from_code(c).ok());
    Some(NoteView {
        text: text.to_string(),
        lang: l.map_or("", |l| l.code()),
        language: l.map_or("", |l| label(l, reader)),
    })
}

/// A report as a row of the inbox (and a card of the building page).
pub struct ReportRow {
    pub id: String,
    pub href: String,
    pub building: String,
    pub building_href: String,
    pub district: String,
    pub city: String,
    pub facts: Vec<String>,
    pub more_facts: String,
    pub note: Option<NoteView>,
    pub method: String,
    pub reporter: String,
    pub observed: String,
    pub received: String,
    pub status_code: &'static str,
    pub status: String,
    pub reopened: bool,
    pub age_days: i64,
    pub link_context: String,
}

impl ReportRow {
    /// The date and the time of a "2026-03-01 14:05", so a table cell breaks between them only.
    pub fn day_of(when: &str) -> &str {
        when.split_once(' ').map_or(when, |(d, _)| d)
    }

    pub fn time_of(when: &str) -> &str {
        when.split_once(' ').map_or("", |(_, t)| t)
    }

    pub fn new(lang: Lang, r: &ReportRecord, now: DateTime<Utc>, all_facts: bool) -> ReportRow {
        let w = CityWords::get(lang);
        let mut facts = facts_of(lang, r);
        let mut more_facts = String::new();
        if !all_facts && facts.len() > ROW_FACTS + 1 {
            more_facts = w
                .more_facts
                .replace("{n}", &(facts.len() - ROW_FACTS).to_string());
            facts.truncate(ROW_FACTS);
        }
        let received = when(r.received_at);
        ReportRow {
            id: r.report.id.to_string(),
            href: format!("/city/reports/{}", r.report.id),
            building: r.building_name.clone(),
            building_href: format!("/city/buildings/{}", r.report.building_id),
            district: r
                .district
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| w.no_district.to_string()),
            city: r.city.clone(),
            facts,
            more_facts,
            note: note_view(r.report.note.as_ref(), lang),
            method: capitalize(label(r.report.method, lang)),
            reporter: capitalize(label(r.report.reporter_kind, lang)),
            observed: when(r.report.observed_at),
            status_code: r.status.code(),
            status: capitalize(status_label(r.status, lang)),
            reopened: r.status == IssueStatus::Reopened,
            age_days: (now - r.received_at).num_days().max(0),
            link_context: w
                .open_report_context
                .replace("{building}", &r.building_name)
                .replace("{date}", &received),
            received,
        }
    }
}

/// One entry of a status history as the city pages show it.
pub struct HistoryRow {
    pub at: String,
    pub status: String,
    pub status_code: &'static str,
    pub by: &'static str,
    pub note: Option<NoteView>,
}

pub fn history_rows(lang: Lang, entries: &[StatusEntry]) -> Vec<HistoryRow> {
    let w = CityWords::get(lang);
    entries
        .iter()
        .map(|e| HistoryRow {
            at: when(e.at),
            status: capitalize(status_label(e.status, lang)),
            status_code: e.status.code(),
            by: match e.by {
                StatusBy::City => w.by_city,
                StatusBy::Reporter => w.by_reporter,
            },
            note: answer_note(e.note.as_deref(), e.lang.as_deref(), lang),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The filters (the inbox and the map share them)

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// Which statuses the status filter asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Any,
    /// Not resolved and not "not responsible" (`IssueStatus::is_open`).
    Waiting,
    Is(IssueStatus),
}

impl StatusFilter {
    fn code(self) -> &'static str {
        match self {
            StatusFilter::Any => "",
            StatusFilter::Waiting => "waiting",
            StatusFilter::Is(s) => s.code(),
        }
    }

    fn statuses(self) -> Vec<IssueStatus> {
        match self {
            StatusFilter::Any => Vec::new(),
            StatusFilter::Waiting => IssueStatus::ALL
                .iter()
                .copied()
                .filter(|s| s.is_open())
                .collect(),
            StatusFilter::Is(s) => vec![s],
        }
    }
}

/// The filters as the query string carried them; every part forgiving (an unknown value is
/// ignored), except dates, which say what is wrong with them.
#[derive(Debug, Clone)]
pub struct InboxFilters {
    /// Admins only: one city of all.
    pub city: Option<String>,
    pub district: Option<String>,
    pub status: StatusFilter,
    pub feature: Option<Feature>,
    pub building: Option<Uuid>,
    pub from: String,
    pub to: String,
    pub steps: bool,
    pub cursor: Option<InboxCursor>,
}

/// "Reports found: N." for a count that stops at `COUNT_LIMIT + 1` (then "more than 1000").
pub fn count_text(w: &CityWords, total: u64) -> String {
    if total == 0 {
        w.count_none.to_string()
    } else if total > COUNT_LIMIT {
        w.count_more.replace("{n}", &COUNT_LIMIT.to_string())
    } else {
        w.count.replace("{n}", &total.to_string())
    }
}

/// How a keyset cursor reads in a URL: "received ms.report id".
fn cursor_text(at: DateTime<Utc>, id: Uuid) -> String {
    format!("{}.{id}", at.timestamp_millis())
}

fn parse_cursor(value: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (at, id) = value.trim().split_once('.')?;
    let at = DateTime::<Utc>::from_timestamp_millis(at.parse::<i64>().ok()?)?;
    Some((at, Uuid::parse_str(id).ok()?))
}

impl InboxFilters {
    pub fn parse(pairs: &[(String, String)], office: &Office) -> InboxFilters {
        let mut f = InboxFilters {
            city: None,
            district: None,
            status: StatusFilter::Any,
            feature: None,
            building: None,
            from: String::new(),
            to: String::new(),
            steps: false,
            cursor: None,
        };
        let text = |v: &str| {
            let v: String = v.trim().chars().take(limits::CITY).collect();
            (!v.is_empty()).then_some(v)
        };
        for (k, v) in pairs {
            match k.as_str() {
                // A city office's city is its own, whatever the address says.
                "city" if office.is_admin() => f.city = text(v),
                "district" => f.district = text(v),
                "status" => {
                    f.status = match v.trim() {
                        "waiting" => StatusFilter::Waiting,
                        code => IssueStatus::from_code(code)
                            .map(StatusFilter::Is)
                            .unwrap_or(StatusFilter::Any),
                    }
                }
                "feature" => f.feature = Feature::from_code(v.trim()).ok(),
                "building" => f.building = Uuid::parse_str(v.trim()).ok(),
                "from" => f.from = v.trim().chars().take(20).collect(),
                "to" => f.to = v.trim().chars().take(20).collect(),
                "steps" => f.steps = !v.trim().is_empty(),
                "before" => {
                    if let Some((at, id)) = parse_cursor(v) {
                        f.cursor = Some(InboxCursor::Before(at, id));
                    }
                }
                "after" => {
                    if let Some((at, id)) = parse_cursor(v) {
                        f.cursor = Some(InboxCursor::After(at, id));
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// The received-date bounds, or each wrong date's message (a wrong date filters nothing).
    pub fn dates(&self, lang: Lang) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>, FormErrors) {
        let w = CityWords::get(lang);
        let mut errors = FormErrors::new();
        let mut read = |id: &str, value: &str| {
            if value.is_empty() {
                return None;
            }
            let day = parse_day(value);
            if day.is_none() {
                errors.add(id, format!("{} {}", w.date_invalid, w.filter_ignored));
            }
            day
        };
        let from = read("from", &self.from);
        let to = read("to", &self.to);
        if let (Some(a), Some(b)) = (from, to) {
            if b < a {
                errors.add("to", format!("{}. {}", w.date_order, w.filter_ignored));
                return (None, None, errors);
            }
        }
        (
            from.map(day_start),
            to.and_then(|d| d.succ_opt()).map(day_start),
            errors,
        )
    }

    /// The storage query for these filters within the office's scope.
    pub fn query(&self, office: &Office, limit: usize) -> (InboxQuery, FormErrors) {
        let (received_from, received_until, errors) = self.dates(office.ctx.lang);
        let city = match &office.scope {
            Some(own) => Some(own.clone()),
            None => self.city.clone(),
        };
        (
            InboxQuery {
                city,
                district: self.district.clone(),
                statuses: self.status.statuses(),
                feature: self.feature,
                building_id: self.building,
                received_from,
                received_until,
                not_step_free: self.steps,
                cursor: self.cursor,
                limit,
            },
            errors,
        )
    }

    pub fn is_filtered(&self) -> bool {
        self.city.is_some()
            || self.district.is_some()
            || self.status != StatusFilter::Any
            || self.feature.is_some()
            || self.building.is_some()
            || !self.from.is_empty()
            || !self.to.is_empty()
            || self.steps
    }

    /// The query string of the filters (no cursor), "" when none: `district=...&status=...`.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &str| {
            if !v.is_empty() {
                parts.push(format!("{k}={}", percent_encode(v)));
            }
        };
        push("city", self.city.as_deref().unwrap_or(""));
        push("district", self.district.as_deref().unwrap_or(""));
        push("status", self.status.code());
        push("feature", self.feature.map(|f| f.code()).unwrap_or(""));
        push(
            "building",
            &self.building.map(|b| b.to_string()).unwrap_or_default(),
        );
        push("from", &self.from);
        push("to", &self.to);
        push("steps", if self.steps { "1" } else { "" });
        parts.join("&")
    }

    /// `path` with the filters and one extra parameter (a cursor), e.g. `/city?status=open&before=...`.
    pub fn href(&self, path: &str, extra: Option<(&str, String)>) -> String {
        let mut q = self.query_string();
        if let Some((k, v)) = extra {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(&format!("{k}={}", percent_encode(&v)));
        }
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }
}

/// The filter form as the templates show it (`city_filters.html`).
pub struct FilterView {
    pub action: &'static str,
    pub is_admin: bool,
    pub cities: Vec<Choice>,
    pub districts: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub features: Vec<Choice>,
    pub buildings: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub steps: bool,
    pub filtered: bool,
    /// Said under the building filter when it lists only the first buildings.
    pub building_hint: String,
    pub errors: FormErrors,
}

impl FilterView {
    pub fn new(
        office: &Office,
        f: &InboxFilters,
        choices: &InboxChoices,
        action: &'static str,
        errors: FormErrors,
    ) -> FilterView {
        let lang = office.ctx.lang;
        let w = CityWords::get(lang);
        let mut cities = vec![Choice::new("", w.city_any, f.city.is_none())];
        cities.extend(
            choices
                .cities
                .iter()
                .map(|c| Choice::new(c.clone(), c.clone(), f.city.as_deref() == Some(c))),
        );
        let mut districts = vec![Choice::new("", w.district_any, f.district.is_none())];
        districts.extend(
            choices
                .districts
                .iter()
                .map(|d| Choice::new(d.clone(), d.clone(), f.district.as_deref() == Some(d))),
        );
        let mut statuses = vec![
            Choice::new("", w.status_any, f.status == StatusFilter::Any),
            Choice::new(
                "waiting",
                w.status_waiting,
                f.status == StatusFilter::Waiting,
            ),
        ];
        statuses.extend(IssueStatus::ALL.iter().map(|s| {
            Choice::new(
                s.code(),
                capitalize(status_label(*s, lang)),
                f.status == StatusFilter::Is(*s),
            )
        }));
        let mut features = vec![Choice::new("", w.feature_any, f.feature.is_none())];
        features.extend(
            Feature::ALL
                .iter()
                .map(|x| Choice::new(x.code(), capitalize(label(*x, lang)), f.feature == Some(*x))),
        );
        let mut buildings = vec![Choice::new("", w.building_any, f.building.is_none())];
        // Only the scope's own buildings are named; an id from elsewhere filters but is not shown.
        buildings.extend(choices.buildings.iter().map(|b| {
            let place = match (&b.district, office.is_admin()) {
                (Some(d), false) if !d.is_empty() => format!(" ({d})"),
                (Some(d), true) if !d.is_empty() => format!(" ({}, {d})", b.city),
                (_, true) => format!(" ({})", b.city),
                _ => String::new(),
            };
            Choice::new(
                b.id.to_string(),
                format!("{}{place}", b.name),
                f.building == Some(b.id),
            )
        }));
        FilterView {
            action,
            is_admin: office.is_admin(),
            cities,
            districts,
            statuses,
            features,
            buildings,
            from: f.from.clone(),
            to: f.to.clone(),
            steps: f.steps,
            filtered: f.is_filtered(),
            building_hint: if choices.more_buildings {
                w.building_more
                    .replace("{n}", &MAX_BUILDING_CHOICES.to_string())
            } else {
                String::new()
            },
            errors,
        }
    }
}

/// The inbox's (and the map's) lead sentence.
pub fn intro(office: &Office) -> String {
    let w = CityWords::get(office.ctx.lang);
    match &office.scope {
        Some(city) => w.inbox_intro.replace("{city}", city),
        None => w.inbox_intro_admin.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The inbox

#[derive(Template)]
#[template(path = "city_inbox.html")]
struct InboxTemplate {
    chrome: Chrome,
    w: &'static CityWords,
    intro: String,
    filters: FilterView,
    is_admin: bool,
    count_text: String,
    page_text: String,
    reopened_text: String,
    empty_page: bool,
    rows: Vec<ReportRow>,
    first: Option<String>,
    previous: Option<String>,
    next: Option<String>,
    map_href: String,
}

async fn inbox(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    let lang = office.ctx.lang;
    let w = CityWords::get(lang);
    let filters = InboxFilters::parse(&pairs, &office);
    let (query, errors) = filters.query(&office, PAGE);
    let scope = office.scope.clone();
    let (page, choices): (InboxPage, InboxChoices) = state
        .db(move |s| {
            let choices = s.inbox_choices(scope.as_deref(), &query)?;
            Ok((s.city_inbox(&query)?, choices))
        })
        .await
        .web(lang)?;
    let now = state.now();
    let shown = page.rows.len() as u64;
    let count_text = count_text(w, page.total);
    // Past the counted first COUNT_LIMIT reports, a page's place is not counted.
    let page_text = if shown > 0 && page.total > shown && page.newer <= COUNT_LIMIT {
        w.showing
            .replace("{a}", &(page.newer + 1).to_string())
            .replace("{b}", &(page.newer + shown).to_string())
    } else {
        String::new()
    };
    let reopened = page
        .rows
        .iter()
        .filter(|r| r.status == IssueStatus::Reopened)
        .count();
    let reopened_text = if reopened > 0 {
        w.reopened_count.replace("{n}", &reopened.to_string())
    } else {
        String::new()
    };
    let previous = match (page.newer > 0, page.rows.first()) {
        (true, Some(r)) => Some(filters.href(
            "/city",
            Some(("after", cursor_text(r.received_at, r.report.id))),
        )),
        _ => None,
    };
    let next = match (page.older, page.rows.last()) {
        (true, Some(r)) => Some(filters.href(
            "/city",
            Some(("before", cursor_text(r.received_at, r.report.id))),
        )),
        _ => None,
    };
    let first = (filters.cursor.is_some() && (page.newer > 0 || page.rows.is_empty()))
        .then(|| filters.href("/city", None));
    let rows = page
        .rows
        .iter()
        .map(|r| ReportRow::new(lang, r, now, false))
        .collect();
    Ok(render(&InboxTemplate {
        chrome: Chrome::new(&office.ctx, "city"),
        w,
        intro: intro(&office),
        is_admin: office.is_admin(),
        count_text,
        page_text,
        reopened_text,
        empty_page: page.rows.is_empty() && filters.cursor.is_some() && page.total > 0,
        rows,
        first,
        previous,
        next,
        map_href: filters.href("/city/map", None),
        filters: FilterView::new(&office, &filters, &choices, "/city", errors),
    }))
}

// ---------------------------------------------------------------------------------------------
// One report and the answer form

/// A status the city may answer with, as a radio.
pub struct AnswerChoice {
    pub id: String,
    pub value: &'static str,
    pub label: String,
    pub hint: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "city_report.html")]
struct ReportTemplate {
    chrome: Chrome,
    w: &'static CityWords,
    title: String,
    r: ReportRow,
    status_note: Option<NoteView>,
    history: Vec<HistoryRow>,
    errors: FormErrors,
    answers: Vec<AnswerChoice>,
    note: String,
    note_hint: String,
    notice: Option<&'static str>,
    action: String,
}

fn answer_choices(lang: Lang, checked: Option<IssueStatus>) -> Vec<AnswerChoice> {
    let w = CityWords::get(lang);
    IssueStatus::CITY_ANSWERS
        .iter()
        .enumerate()
        .map(|(i, s)| AnswerChoice {
            // The first radio carries the field's id, which the error summary links to.
            id: if i == 0 {
                "status".to_string()
            } else {
                format!("status-{}", s.code())
            },
            value: s.code(),
            label: capitalize(status_label(*s, lang)),
            hint: match s {
                IssueStatus::Acknowledged => w.hint_acknowledged,
                IssueStatus::InProgress => w.hint_in_progress,
                IssueStatus::Resolved => w.hint_resolved,
                _ => w.hint_not_responsible,
            },
            checked: checked == Some(*s),
        })
        .collect()
}

async fn load_report(
    state: &Arc<AppState>,
    office: &Office,
    id: Uuid,
) -> Result<(ReportRecord, Vec<StatusEntry>), WebError> {
    let scope = office.scope.clone();
    state
        .db(move |s| {
            let Some(r) = s.report_in_city(id, scope.as_deref())? else {
                return Err(StorageError::NotFound("report"));
            };
            let history = s.report_history(id)?;
            Ok((r, history))
        })
        .await
        .web(office.ctx.lang)
}

fn report_template(
    office: &Office,
    r: &ReportRecord,
    history: &[StatusEntry],
    now: DateTime<Utc>,
    form: &AnswerForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> ReportTemplate {
    let lang = office.ctx.lang;
    let w = CityWords::get(lang);
    ReportTemplate {
        chrome: Chrome::new(&office.ctx, "city"),
        w,
        title: w.report_title.replace("{building}", &r.building_name),
        r: ReportRow::new(lang, r, now, true),
        status_note: answer_note(r.status_note.as_deref(), r.status_lang.as_deref(), lang),
        history: history_rows(lang, history),
        answers: answer_choices(lang, IssueStatus::from_code(form.status.trim()).ok()),
        note: form.note.clone(),
        note_hint: w.note_hint.replace("{lang}", label(lang, lang)),
        errors,
        notice,
        action: format!("/city/reports/{}", r.report.id),
    }
}

#[derive(Deserialize)]
struct ReportQuery {
    answered: Option<String>,
}

async fn report_page(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    let id = parse_id(office.ctx.lang, &id)?;
    let (r, history) = load_report(&state, &office, id).await?;
    let notice = q
        .answered
        .is_some()
        .then_some(CityWords::get(office.ctx.lang).answered_notice);
    Ok(render(&report_template(
        &office,
        &r,
        &history,
        state.now(),
        &AnswerForm::default(),
        FormErrors::new(),
        notice,
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerForm {
    csrf: String,
    status: String,
    note: String,
}

async fn answer(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    WebForm(form): WebForm<AnswerForm>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    office.ctx.verify_csrf(&form.csrf)?;
    let lang = office.ctx.lang;
    let w = CityWords::get(lang);
    let id = parse_id(lang, &id)?;
    // Checked before anything else: another city's report is a 404, whatever was sent.
    let (r, history) = load_report(&state, &office, id).await?;
    let mut errors = FormErrors::new();
    let status = IssueStatus::from_code(form.status.trim())
        .ok()
        .filter(|s| IssueStatus::CITY_ANSWERS.contains(s));
    if status.is_none() {
        errors.add("status", w.status_required);
    }
    let note = form.note.trim().to_string();
    if let Err(e) = optional_text("note", &note, limits::NOTE) {
        errors.add("note", validation_message(lang, &e, w.note_label));
    }
    if status == Some(IssueStatus::NotResponsible) && note.is_empty() {
        errors.add("note", w.note_required);
    }
    let now = state.now();
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        return Ok(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &report_template(&office, &r, &history, now, &form, errors, None),
        ));
    };
    let answer = StatusAnswer {
        status,
        note: (!note.is_empty()).then_some(note),
        lang: Some(lang.code().to_string()),
        by: office.user.id,
        city_scope: office.scope.clone(),
    };
    state
        .db(move |s| s.set_report_status(id, &answer, now))
        .await
        .web(lang)?;
    Ok(see_other(&format!("/city/reports/{id}?answered=1")))
}

// ---------------------------------------------------------------------------------------------
// A building's page

/// A report on the building page, with its history.
pub struct BuildingReport {
    pub r: ReportRow,
    pub heading: String,
    pub history: Vec<HistoryRow>,
}

#[derive(Template)]
#[template(path = "city_building.html")]
struct BuildingTemplate {
    chrome: Chrome,
    w: &'static CityWords,
    name: String,
    address: String,
    summary: String,
    description: Vec<String>,
    reports: Vec<BuildingReport>,
    table_href: String,
}

async fn building_page(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let office = office(signed)?;
    let lang = office.ctx.lang;
    let w = CityWords::get(lang);
    let id = parse_id(lang, &id)?;
    let scope = office.scope.clone();
    let now = state.now();
    let (building, summary, reports) = state
        .db(move |s| {
            let building = s
                .get_building(id)?
                .filter(|b| in_scope(&b.building.address.city, scope.as_deref()))
                .ok_or(StorageError::NotFound("building"))?;
            let summary = s.building_summary(id, now)?;
            let page = s.city_inbox(&InboxQuery {
                city: scope.clone(),
                building_id: Some(id),
                limit: BUILDING_REPORTS,
                ..Default::default()
            })?;
            let mut reports = Vec::new();
            for r in page.rows {
                let history = s.report_history(r.report.id)?;
                reports.push((r, history));
            }
            Ok((building, summary, reports))
        })
        .await
        .web(lang)?;
    let b = &building.building;
    let mut address = vec![b.address.street.clone()];
    if let Some(d) = b
        .address
        .district
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        address.push(d.to_string());
    }
    address.push(b.address.city.clone());
    let reports = reports
        .iter()
        .map(|(r, history)| {
            let row = ReportRow::new(lang, r, now, true);
            BuildingReport {
                heading: w.report_heading.replace("{date}", &row.received),
                r: row,
                history: history_rows(lang, history),
            }
        })
        .collect();
    Ok(render(&BuildingTemplate {
        chrome: Chrome::new(&office.ctx, "city"),
        w,
        name: b.name.clone(),
        address: address.join(", "),
        summary: summary.summary_text(lang, now),
        description: summary.description_text(lang, now),
        reports,
        table_href: format!("/city?building={id}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn facts_read_as_words_with_units_spelled_out() {
        assert_eq!(
            fact_text(
                Lang::English,
                Feature::DoorWidth,
                &FeatureValue::Centimetres(80)
            ),
            "Entrance door width: 80 centimetres"
        );
        assert_eq!(
            fact_text(
                Lang::Russian,
                Feature::DoorWidth,
                &FeatureValue::Centimetres(82)
            ),
            "Ширина входной двери: 82 сантиметра"
        );
        assert_eq!(
            fact_text(
                Lang::English,
                Feature::Ramp,
                &FeatureValue::Ramp(teng_core::accessibility::RampKind::NoRamp)
            ),
            "No ramp"
        );
        assert_eq!(
            fact_text(Lang::English, Feature::Elevator, &FeatureValue::Bool(false)),
            "Elevator: no"
        );
    }

    #[test]
    fn days_are_bishkek_days() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 20, 30, 0).unwrap();
        assert_eq!(when(t), "2026-03-02 02:30");
        assert_eq!(kyrgyz_day(t).to_string(), "2026-03-02");
        let start = day_start(parse_day("2026-03-02").unwrap());
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 3, 1, 18, 0, 0).unwrap());
        assert!(parse_day("2 March").is_none());
    }

    #[test]
    fn cursors_round_trip_and_junk_is_ignored() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let id = Uuid::from_u128(7);
        assert_eq!(parse_cursor(&cursor_text(at, id)), Some((at, id)));
        assert_eq!(parse_cursor("yesterday"), None);
        assert_eq!(parse_cursor("12.not-a-uuid"), None);
    }

    #[test]
    fn a_note_is_shown_in_the_readers_language_when_it_has_it() {
        let note = LocalizedNote {
            ky: None,
            ru: Some("Пандус сломан".into()),
            en: Some("The ramp is broken".into()),
        };
        let v = note_view(Some(&note), Lang::English).unwrap();
        assert_eq!((v.text.as_str(), v.lang), ("The ramp is broken", "en"));
        let v = note_view(Some(&note), Lang::Kyrgyz).unwrap();
        assert_eq!((v.text.as_str(), v.lang), ("Пандус сломан", "ru"));
        assert!(note_view(Some(&LocalizedNote::default()), Lang::Kyrgyz).is_none());
    }
}

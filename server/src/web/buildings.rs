//! An organization's buildings and their measured accessibility surveys (ngo members for their own
//! organization, admins for any).
//!
//! - `/manage/buildings`: the buildings table, each with its current summary sentence in the page's
//!   language (the same sentence the phones read out).
//! - `/manage/buildings/new`, `/manage/buildings/{id}/edit`: the building's name, address and
//!   location. Rules are the core's (`Validate` on `Building` and the functions behind it), checked
//!   field by field so one submission shows every problem. An edit carries the version it was
//!   opened at; a stale save shows both versions (409) and never overwrites silently.
//! - `/manage/buildings/{id}`: the facts, the summary and the full description.
//! - `/manage/buildings/{id}/survey`: a measured survey, built by the API's own
//!   `ReportBody::into_report` (so its rules apply unchanged); it counts as a verified surveyor's
//!   when an admin or a member of a verified organization makes it, and the form says which.
//!   Yes/no facts are three-way radios ("yes", "no", "not checked"): "not checked" leaves the
//!   fact out, because an unobserved fact is not an absent one.
//! - Another organization's building id gives 404, never its data.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use teng_core::accessibility::report::validate_fact;
use teng_core::accessibility::{
    label, AccessLevel, BuildingSummary, DoorType, Facts, Feature, FeatureValue, Labelled, Lang,
    LocalizedNote, Method, RampKind, ReporterKind, SignLanguage, Tri, ValueKind,
};
use teng_core::model::validation::{self, limits};
use teng_core::model::{Address, Building, GeoPoint, Region, Validate, ValidationError};
use uuid::Uuid;

use super::error::{OrPage, WebError};
use super::form::{optional, parse_f64, FormErrors, WebForm};
use super::i18n::validation_message;
use super::page::{render, render_with, see_other, Chrome};
use super::session::{Ctx, SignedIn};
use crate::api::reports::{reporter_key, ReportBody};
use crate::auth::Role;
use crate::state::AppState;
use crate::storage::{BuildingFilter, BuildingRecord, Reporter, StorageError, User};
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/manage/buildings", get(list))
        .route("/manage/buildings/new", get(new_form).post(create))
        .route("/manage/buildings/{id}", get(show))
        .route("/manage/buildings/{id}/edit", get(edit_form).post(update))
        .route(
            "/manage/buildings/{id}/survey",
            get(survey_form).post(submit_survey),
        )
}

/// Rows per page of the buildings table.
const PAGE: usize = 50;

/// Kyrgyzstan's clock (Asia/Bishkek, UTC+6 all year): a survey "today" is today there.
const KYRGYZ_OFFSET_HOURS: i64 = 6;

texts! {
    pub struct BuildingWords {
        list_title: ["Имараттар", "Здания", "Buildings"],
        list_intro: [
            "Уюмуңуз каттаган имараттар жана алардын канчалык жеткиликтүү экени.",
            "Здания, которые зарегистрировала ваша организация, и их доступность.",
            "The buildings your organization registered, and how accessible they are.",
        ],
        list_intro_admin: [
            "Бардык уюмдардын имараттары жана алардын канчалык жеткиликтүү экени.",
            "Здания всех организаций и их доступность.",
            "The buildings of every organization, and how accessible they are.",
        ],
        table_caption: ["Имараттардын тизмеси", "Список зданий", "List of buildings"],
        col_name: ["Аталышы", "Название", "Name"],
        col_address: ["Дареги", "Адрес", "Address"],
        col_district: ["Району", "Район", "District"],
        col_city: ["Шаары", "Город", "City"],
        col_summary: ["Жеткиликтүүлүгү", "Доступность", "Accessibility"],
        col_organization: ["Уюму", "Организация", "Organization"],
        no_survey: [
            "Азырынча текшерилген эмес.",
            "Обследования ещё не было.",
            "No survey yet.",
        ],
        no_buildings: [
            "Азырынча бир да имарат катталган жок.",
            "Пока не зарегистрировано ни одного здания.",
            "No buildings are registered yet.",
        ],
        new_building: ["Жаңы имаратты каттоо", "Зарегистрировать здание", "Register a building"],
        first_page: ["Биринчи барак", "Первая страница", "First page"],
        created_notice: ["Имарат катталды.", "Здание зарегистрировано.", "The building is registered."],
        saved_notice: ["Өзгөртүүлөр сакталды.", "Изменения сохранены.", "Your changes are saved."],
        surveyed_notice: [
            "Текшерүүнүн жыйынтыгы сакталды. Жеткиликтүүлүк боюнча сүрөттөмө жаңыланды.",
            "Результаты обследования сохранены. Описание доступности обновлено.",
            "The survey is saved. The accessibility description is updated.",
        ],

        new_title: ["Жаңы имаратты каттоо", "Регистрация здания", "Register a building"],
        edit_title: ["Имараттын маалыматын өзгөртүү", "Изменение данных здания", "Edit the building"],
        name: ["Имараттын аталышы", "Название здания", "Building name"],
        name_hint: [
            "Мисалы: «Ак-Жол» борборунун кеңсеси",
            "Например: офис центра «Ак-Жол»",
            "For example: Ak-Jol centre office",
        ],
        address_legend: ["Дареги", "Адрес", "Address"],
        street: ["Көчө жана үй", "Улица и дом", "Street and number"],
        city: ["Шаар же айыл", "Город или село", "City or village"],
        district: ["Району", "Район", "District"],
        district_hint: [
            "Шаардын району, мисалы Ленин району. Ар бир райондун өз кеңсеси билдирүүлөргө жооп берет.",
            "Район города, например Ленинский. Сообщения рассматривает администрация района.",
            "The city's district, for example Leninsky. Each district's office answers reports.",
        ],
        region: ["Облусу же шаары", "Область или город", "Region"],
        region_choose: ["Тандаңыз", "Выберите", "Choose one"],
        region_invalid: [
            "Тизмеден облусту же шаарды тандаңыз",
            "Выберите область или город из списка",
            "Choose a region from the list",
        ],
        location_legend: ["Картадагы жайгашкан жери", "Расположение на карте", "Location on the map"],
        location_hint: [
            "Кеңдик жана узундук градус менен, мисалы 42.8746 жана 74.5698. Аларды картадан көчүрүп алса болот.",
            "Широта и долгота в градусах, например 42,8746 и 74,5698. Их можно скопировать с карты.",
            "Latitude and longitude in degrees, for example 42.8746 and 74.5698. You can copy them from a map.",
        ],
        lat: ["Кеңдиги", "Широта", "Latitude"],
        lon: ["Узундугу", "Долгота", "Longitude"],
        not_a_number: [
            "«{label}» сан менен жазылышы керек, мисалы 42.87",
            "В поле «{label}» должно быть число, например 42,87",
            "{label} must be a number, for example 42.87",
        ],
        abroad_hint: [
            "Эгер имарат чет өлкөдө болсо, облус катары «{abroad}» дегенди тандаңыз.",
            "Если здание за рубежом, выберите регион «{abroad}».",
            "If the building is abroad, choose “{abroad}” as the region.",
        ],
        osm_id: ["OpenStreetMap'теги идентификатору", "Идентификатор в OpenStreetMap", "OpenStreetMap id"],
        osm_hint: ["Мисалы: way/123456", "Например: way/123456", "For example: way/123456"],
        osm_invalid: [
            "OpenStreetMap идентификаторун node/123, way/123 же relation/123 түрүндө жазыңыз",
            "Укажите идентификатор OpenStreetMap в виде node/123, way/123 или relation/123",
            "Enter the OpenStreetMap id as node/123, way/123 or relation/123",
        ],
        organization: ["Уюму", "Организация", "Organization"],
        organization_none: ["Уюмсуз", "Без организации", "No organization"],
        organization_invalid: [
            "Тизмеден уюмду тандаңыз",
            "Выберите организацию из списка",
            "Choose an organization from the list",
        ],
        register_button: ["Каттоо", "Зарегистрировать", "Register"],
        conflict_title: [
            "Бул имаратты сизден мурун башка бирөө өзгөртүп койгон",
            "Кто-то изменил это здание раньше вас",
            "Someone changed this building before you",
        ],
        conflict_body: [
            "Сиздин өзгөртүүлөрүңүз азырынча сакталган жок. Төмөндө азыр сакталган нуска жана сиз жазган нуска турат. Өз нускаңызды сактасаңыз, ал азыркынын ордуна жазылат.",
            "Ваши изменения пока не сохранены. Ниже — версия, сохранённая сейчас, и ваша. Если сохраните свою, она заменит текущую.",
            "Your changes are not saved yet. Below are the version saved now and yours. If you save yours, it replaces the current one.",
        ],
        their_version: ["Азыр сакталган нуска", "Версия, сохранённая сейчас", "The version saved now"],
        your_version: ["Сиздин нускаңыз", "Ваша версия", "Your version"],
        save_mine: ["Менин нускамды сактоо", "Сохранить мою версию", "Save my version"],
        discard_mine: [
            "Менин өзгөртүүлөрүмдү жокко чыгаруу",
            "Отменить мои изменения",
            "Discard my changes",
        ],
        not_given: ["көрсөтүлгөн эмес", "не указано", "not given"],
        version: ["Нускасы", "Версия", "Version"],

        facts_title: ["Имарат жөнүндө", "О здании", "About the building"],
        coordinates: ["Координаттары", "Координаты", "Coordinates"],
        summary_title: ["Кыскача", "Кратко", "In short"],
        description_title: ["Толук сүрөттөмө", "Подробное описание", "Full description"],
        record_survey: [
            "Текшерүүнүн жыйынтыгын жазуу",
            "Записать результаты обследования",
            "Record a survey",
        ],
        edit_building: ["Маалыматын өзгөртүү", "Изменить данные", "Edit details"],
        back_to_list: ["Бардык имараттар", "Все здания", "All buildings"],
        back_to_building: ["Имараттын барагына кайтуу", "Назад к зданию", "Back to the building"],

        survey_title: ["Жеткиликтүүлүктү текшерүү", "Обследование доступности", "Accessibility survey"],
        survey_intro: [
            "Рулетка же эңкейиш ченегич менен өлчөгөнүңүздү жазыңыз. Текшербеген нерсени «Текшерилген жок» бойдон калтырыңыз: бул «жок» дегенди билдирбейт.",
            "Запишите то, что вы измерили рулеткой или уклономером. То, что вы не проверяли, оставьте «Не проверено»: это не то же самое, что «нет».",
            "Record what you measured with a tape measure or a slope meter. Leave what you did not check as “Not checked”: that is not the same as “No”.",
        ],
        recorded_as: [
            "Бул текшерүү мындайча жазылат:",
            "Обследование будет записано так:",
            "This survey is recorded as:",
        ],
        group_entrance: ["Кире бериш", "Вход", "Entrance"],
        group_inside: ["Имараттын ичинде", "Внутри здания", "Inside the building"],
        group_toilet: ["Даараткана", "Туалет", "Toilet"],
        group_outside: ["Унаа токтотуучу жай жана жол", "Парковка и путь к зданию", "Parking and the way there"],
        group_senses: [
            "Көзү көрбөгөн жана угуусу начар келүүчүлөр үчүн",
            "Для незрячих и глухих посетителей",
            "For blind and deaf visitors",
        ],
        group_note: ["Кошумча", "Дополнительно", "Anything else"],
        yes: ["Ооба", "Да", "Yes"],
        no: ["Жок", "Нет", "No"],
        not_checked: ["Текшерилген жок", "Не проверено", "Not checked"],
        unit_centimetres: ["сантиметр менен", "в сантиметрах", "in centimetres"],
        unit_metres: ["метр менен", "в метрах", "in metres"],
        unit_percent: ["пайыз менен", "в процентах", "in percent"],
        range_hint: ["Эң азы {min}, эң көбү {max}", "От {min} до {max}", "From {min} to {max}"],
        slope_hint: [
            "8 пайыз — 1:12 эңкейиш. Эң азы {min}, эң көбү {max}",
            "8 процентов — это уклон 1:12. От {min} до {max}",
            "8 percent is a slope of 1 in 12. From {min} to {max}",
        ],
        floor_hint: [
            "Көчө деңгээлиндеги кабат — 1, биринчи жертөлө — -1. 0-кабат жок.",
            "Этаж на уровне улицы — 1, первый подвальный — -1. Нулевого этажа нет.",
            "The street-level floor is 1, the first basement level -1. There is no floor 0.",
        ],
        out_of_range: [
            "«{label}»: {min} менен {max} ортосундагы бүтүн санды жазыңыз",
            "«{label}»: введите целое число от {min} до {max}",
            "{label}: enter a whole number from {min} to {max}",
        ],
        floor_zero: [
            "Кабаттар көчө деңгээлинен 1 деп саналат, жертөлө -1; 0-кабат жок",
            "Этажи считаются с 1 (уровень улицы), подвал — -1; нулевого этажа нет",
            "Floors are counted from 1 (street level) and the basement is -1; there is no floor 0",
        ],
        choice_invalid: [
            "«{label}»: тизмеден тандаңыз",
            "«{label}»: выберите один из вариантов",
            "{label}: choose one of the options",
        ],
        sign_languages: ["Кайсы жаңсоо тилдери", "Какие жестовые языки", "Which sign languages"],
        sign_languages_hint: [
            "Кызматкерлер колдонгон ар бирин белгилеңиз",
            "Отметьте каждый, которым владеют сотрудники",
            "Tick each one the staff use",
        ],
        sign_languages_missing: [
            "Кызматкерлер кайсы жаңсоо тилин колдонорун белгилеңиз",
            "Отметьте, каким жестовым языком владеют сотрудники",
            "Tick which sign language the staff use",
        ],
        sign_languages_contradict: [
            "Сиз «Жок» деп жооп бердиңиз, бирок тилдерди белгиледиңиз. Экөөнүн бирин оңдоңуз",
            "Вы ответили «Нет», но отметили языки. Исправьте одно из двух",
            "You answered “No” but ticked languages. Correct one of the two",
        ],
        note: ["Эскертүү", "Заметка", "Note"],
        note_hint: [
            "Келүүчү дагы эмнени билиши керек: мисалы, жеткиликтүү кире бериш кайсы тарапта.",
            "Что ещё нужно знать посетителю: например, где доступный вход.",
            "What else a visitor should know: for example, where the accessible entrance is.",
        ],
        observed_on: ["Текшерилген күнү", "Дата обследования", "Date of the survey"],
        observed_hint: [
            "Бош калтырсаңыз — бүгүн. Мисалы: 2025-05-01",
            "Если оставить пустым — сегодня. Например: 2025-05-01",
            "Leave it empty for today. For example: 2025-05-01",
        ],
        observed_invalid: [
            "Күндү жыл-ай-күн түрүндө жазыңыз, мисалы 2025-05-01",
            "Введите дату в виде год-месяц-день, например 2025-05-01",
            "Enter the date as year-month-day, for example 2025-05-01",
        ],
        observed_future: [
            "Текшерүү күнү келечекте боло албайт",
            "Дата обследования не может быть в будущем",
            "The date of the survey cannot be in the future",
        ],
        nothing_recorded: [
            "Жок дегенде бир нерсени белгилеңиз же эскертүү жазыңыз",
            "Отметьте хотя бы один пункт или напишите заметку",
            "Record at least one fact or write a note",
        ],
        save_survey: ["Текшерүүнү сактоо", "Сохранить обследование", "Save the survey"],
        too_many: [
            "Өтө көп билдирүү жөнөтүлдү. Бир аздан кийин кайра аракет кылыңыз",
            "Отправлено слишком много сообщений. Попробуйте позже",
            "Too many reports were sent. Try again later",
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Who may do what

/// Ngo members and admins; everyone else gets "not allowed".
fn editor(signed: SignedIn) -> Result<(Ctx, User), WebError> {
    signed.require(&[Role::Ngo, Role::Admin])?;
    let SignedIn(ctx, user) = signed;
    Ok((ctx, user))
}

/// Whether `user` may see and change `record`: admins any, ngo members their organization's.
fn may_manage(user: &User, record: &BuildingRecord) -> bool {
    user.role == Role::Admin
        || (user.organization_id.is_some() && record.organization_id == user.organization_id)
}

fn parse_id(ctx: &Ctx, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound(ctx.lang))
}

/// The building, if it exists and `user` may manage it; 404 otherwise (another organization's
/// building is not even admitted to exist).
async fn load_owned(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
) -> Result<BuildingRecord, WebError> {
    state
        .db(move |s| s.get_building(id))
        .await
        .web(ctx.lang)?
        .filter(|b| may_manage(user, b))
        .ok_or(WebError::NotFound(ctx.lang))
}

/// The building's summary, or `None` when nobody has reported on it yet.
fn summary_of(
    s: &dyn crate::storage::Storage,
    id: Uuid,
    now: DateTime<Utc>,
) -> crate::storage::Result<Option<BuildingSummary>> {
    match s.building_summary(id, now) {
        Ok(summary) if summary.report_count == 0 && summary.features.is_empty() => Ok(None),
        Ok(summary) => Ok(Some(summary)),
        Err(StorageError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A label as it reads inside an English sentence ("Enter building name"); Kyrgyz and Russian
/// messages quote the label as it stands.
fn in_sentence(lang: Lang, label: &str) -> String {
    if lang != Lang::English {
        return label.to_string();
    }
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `aria-describedby` from the ids that exist (hint, error), space-separated.
fn described_by(ids: &[Option<String>]) -> String {
    ids.iter().flatten().cloned().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The table

pub struct BuildingRow {
    pub href: String,
    pub name: String,
    pub street: String,
    pub district: String,
    pub city: String,
    pub summary: String,
    pub organization: String,
}

#[derive(Template)]
#[template(path = "buildings_list.html")]
struct ListPage {
    chrome: Chrome,
    w: &'static BuildingWords,
    rows: Vec<BuildingRow>,
    is_admin: bool,
    next: Option<String>,
    first: Option<String>,
}

#[derive(Deserialize)]
struct ListQuery {
    after: Option<String>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let lang = ctx.lang;
    let is_admin = user.role == Role::Admin;
    let after = match q.after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(Uuid::parse_str(a).map_err(|_| WebError::NotFound(lang))?),
        None => None,
    };
    let filter = BuildingFilter {
        organization_id: if is_admin {
            None
        } else {
            Some(user.organization_id.unwrap_or_default())
        },
        after,
        limit: PAGE + 1,
        ..Default::default()
    };
    let now = state.now();
    let (mut items, org_names) = state
        .db(move |s| {
            let mut items = Vec::new();
            for b in s.list_buildings(&filter)? {
                let summary = summary_of(s, b.building.id, now)?;
                items.push((b, summary));
            }
            let mut org_names = HashMap::new();
            if is_admin {
                for org in items.iter().filter_map(|(b, _)| b.organization_id) {
                    if let std::collections::hash_map::Entry::Vacant(e) = org_names.entry(org) {
                        if let Some(o) = s.get_organization(org)? {
                            e.insert(o.record.name);
                        }
                    }
                }
            }
            Ok((items, org_names))
        })
        .await
        .web(lang)?;
    let w = BuildingWords::get(lang);
    let next = (items.len() > PAGE).then(|| {
        items.truncate(PAGE);
        items
            .last()
            .map(|(b, _)| format!("/manage/buildings?after={}", b.building.id))
            .unwrap_or_default()
    });
    let rows = items
        .into_iter()
        .map(|(b, summary)| BuildingRow {
            href: format!("/manage/buildings/{}", b.building.id),
            name: b.building.name,
            street: b.building.address.street,
            district: b.building.address.district.unwrap_or_default(),
            city: b.building.address.city,
            summary: summary
                .map(|s| s.summary_text(lang, now))
                .unwrap_or_else(|| w.no_survey.to_string()),
            organization: b
                .organization_id
                .and_then(|o| org_names.get(&o).cloned())
                .unwrap_or_else(|| w.organization_none.to_string()),
        })
        .collect();
    Ok(render(&ListPage {
        chrome: Chrome::new(&ctx, "buildings"),
        w,
        rows,
        is_admin,
        next,
        first: after.map(|_| "/manage/buildings".to_string()),
    }))
}

// ---------------------------------------------------------------------------------------------
// The building form

/// What the building form sends, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct BuildingForm {
    csrf: String,
    name: String,
    street: String,
    city: String,
    district: String,
    region: String,
    lat: String,
    lon: String,
    osm_id: String,
    /// Admins only, on registration: the organization the building belongs to ("" for none).
    organization: String,
    version: String,
}

impl BuildingForm {
    fn of(b: &BuildingRecord) -> BuildingForm {
        let building = &b.building;
        BuildingForm {
            csrf: String::new(),
            name: building.name.clone(),
            street: building.address.street.clone(),
            city: building.address.city.clone(),
            district: building.address.district.clone().unwrap_or_default(),
            region: building.address.region.code().to_string(),
            lat: building.location.lat.to_string(),
            lon: building.location.lon.to_string(),
            osm_id: building.osm_id.clone().unwrap_or_default(),
            organization: b.organization_id.map(|o| o.to_string()).unwrap_or_default(),
            version: b.version.to_string(),
        }
    }
}

pub struct Choice {
    pub id: String,
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A building as the show page and the "their version" box present it.
pub struct BuildingView {
    pub name: String,
    pub street: String,
    pub city: String,
    pub district: String,
    pub region: &'static str,
    pub lat: String,
    pub lon: String,
    pub osm_id: String,
    pub version: i64,
}

impl BuildingView {
    fn new(b: &BuildingRecord, lang: Lang) -> BuildingView {
        let building = &b.building;
        BuildingView {
            name: building.name.clone(),
            street: building.address.street.clone(),
            city: building.address.city.clone(),
            district: building.address.district.clone().unwrap_or_default(),
            region: label(building.address.region, lang),
            lat: building.location.lat.to_string(),
            lon: building.location.lon.to_string(),
            osm_id: building.osm_id.clone().unwrap_or_default(),
            version: b.version,
        }
    }
}

#[derive(Template)]
#[template(path = "buildings_form.html")]
struct FormPage {
    chrome: Chrome,
    w: &'static BuildingWords,
    errors: FormErrors,
    form: BuildingForm,
    regions: Vec<Choice>,
    /// Admins registering a building choose its organization.
    organizations: Vec<Choice>,
    heading: &'static str,
    action: String,
    button: &'static str,
    /// The building's page, for "cancel" (edits only).
    back: String,
    editing: bool,
    /// The stored version, when the save was stale.
    conflict: Option<BuildingView>,
    /// A location error is about both coordinates: the longitude is described by it too.
    location_error: bool,
}

impl FormPage {
    fn new(ctx: &Ctx, form: BuildingForm, editing: Option<Uuid>) -> FormPage {
        let w = BuildingWords::get(ctx.lang);
        let regions = Region::ALL
            .iter()
            .map(|r| Choice {
                id: String::new(),
                value: r.code().to_string(),
                label: capitalize(label(*r, ctx.lang)),
                selected: form.region == r.code(),
            })
            .collect();
        let (heading, action, button, back) = match editing {
            Some(id) => (
                w.edit_title,
                format!("/manage/buildings/{id}/edit"),
                ctx.t.save,
                format!("/manage/buildings/{id}"),
            ),
            None => (
                w.new_title,
                "/manage/buildings/new".to_string(),
                w.register_button,
                "/manage/buildings".to_string(),
            ),
        };
        FormPage {
            chrome: Chrome::new(ctx, "buildings"),
            w,
            errors: FormErrors::new(),
            form,
            regions,
            organizations: Vec::new(),
            heading,
            action,
            button,
            back,
            editing: editing.is_some(),
            conflict: None,
            location_error: false,
        }
    }

    fn with_errors(mut self, errors: FormErrors, location_error: bool) -> FormPage {
        self.errors = errors;
        self.location_error = location_error;
        self
    }
}

/// The organizations an admin may register a building for.
async fn organization_choices(
    state: &Arc<AppState>,
    ctx: &Ctx,
    selected: &str,
) -> Result<Vec<Choice>, WebError> {
    let orgs = state
        .db(|s| s.list_organizations(None, 1000))
        .await
        .web(ctx.lang)?;
    let w = BuildingWords::get(ctx.lang);
    let mut choices = vec![Choice {
        id: String::new(),
        value: String::new(),
        label: w.organization_none.to_string(),
        selected: selected.is_empty(),
    }];
    choices.extend(orgs.into_iter().map(|o| {
        let value = o.record.id.to_string();
        Choice {
            id: String::new(),
            selected: selected == value,
            value,
            label: o.record.name,
        }
    }));
    Ok(choices)
}

/// The form's input id and label for a core field name.
fn building_field(w: &BuildingWords, field: &str) -> (&'static str, &'static str) {
    match field {
        "name" => ("name", w.name),
        "address.street" => ("street", w.street),
        "address.city" => ("city", w.city),
        "address.district" => ("district", w.district),
        "address.region" | "region" => ("region", w.region),
        "location" | "location.lat" => ("lat", w.lat),
        "location.lon" => ("lon", w.lon),
        "osm_id" => ("osm_id", w.osm_id),
        _ => ("name", w.name),
    }
}

/// Reads the form into a building, checking every field on its own with the core's rules (so all
/// problems show at once); the core's `Validate` runs last. The flag says whether an error is about
/// the coordinates as a pair (it then describes both inputs).
fn parse_building(
    lang: Lang,
    form: &BuildingForm,
    id: Uuid,
) -> Result<Building, (FormErrors, bool)> {
    let w = BuildingWords::get(lang);
    let mut errors = FormErrors::new();
    let add = |errors: &mut FormErrors, e: &ValidationError| {
        errors.add_validation(lang, e, |f| {
            let (id, label) = building_field(w, f);
            (id.to_string(), in_sentence(lang, label))
        });
    };
    let name = form.name.trim().to_string();
    if let Err(e) = validation::required_text("name", &name, limits::NAME) {
        add(&mut errors, &e);
    }
    let street = form.street.trim().to_string();
    if let Err(e) = validation::required_text("address.street", &street, limits::STREET) {
        add(&mut errors, &e);
    }
    let city = form.city.trim().to_string();
    if let Err(e) = validation::required_text("address.city", &city, limits::CITY) {
        add(&mut errors, &e);
    }
    let district = optional(&form.district);
    if let Some(d) = &district {
        if let Err(e) = validation::required_text("address.district", d, limits::CITY) {
            add(&mut errors, &e);
        }
    }
    let region = Region::from_code(form.region.trim()).ok();
    if region.is_none() {
        errors.add("region", w.region_invalid);
    }
    let coordinate =
        |errors: &mut FormErrors, id: &str, label: &str, value: &str| match parse_f64(value) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                errors.add(
                    id,
                    validation_message(
                        lang,
                        &ValidationError::Empty { field: "location" },
                        &in_sentence(lang, label),
                    ),
                );
                None
            }
            Err(_) => {
                // The label starts the sentence here ("Latitude must be a number").
                errors.add(id, w.not_a_number.replace("{label}", label));
                None
            }
        };
    let lat = coordinate(&mut errors, "lat", w.lat, &form.lat);
    let lon = coordinate(&mut errors, "lon", w.lon, &form.lon);
    let mut location_error = false;
    if let (Some(lat), Some(lon), Some(region)) = (lat, lon, region) {
        if let Err(e) = validation::location("location", lat, lon, region) {
            let mut message = validation_message(lang, &e, w.lat);
            if matches!(e, ValidationError::OutsideKyrgyzstan { .. }) {
                message = format!(
                    "{message}. {}",
                    w.abroad_hint
                        .replace("{abroad}", label(Region::Abroad, lang))
                );
            }
            errors.add("lat", message);
            location_error = true;
        }
    }
    let osm_id = optional(&form.osm_id);
    if let Some(osm) = &osm_id {
        if validation::osm_id("osm_id", osm).is_err() {
            errors.add("osm_id", w.osm_invalid);
        }
    }
    if !errors.is_empty() {
        return Err((errors, location_error));
    }
    let (Some(region), Some(lat), Some(lon)) = (region, lat, lon) else {
        return Err((errors, location_error));
    };
    let building = Building {
        id,
        name,
        address: Address {
            street,
            city,
            district,
            region,
        },
        location: GeoPoint::new(lat, lon),
        osm_id,
    };
    if let Err(e) = building.validate() {
        add(&mut errors, &e);
        return Err((errors, e.field() == "location"));
    }
    Ok(building)
}

async fn new_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let mut page = FormPage::new(&ctx, BuildingForm::default(), None);
    if user.role == Role::Admin {
        page.organizations = organization_choices(&state, &ctx, "").await?;
    }
    Ok(render(&page))
}

async fn create(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    WebForm(form): WebForm<BuildingForm>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let w = BuildingWords::get(ctx.lang);
    let is_admin = user.role == Role::Admin;
    let parsed = parse_building(ctx.lang, &form, Uuid::now_v7());
    let organizations = if is_admin {
        organization_choices(&state, &ctx, form.organization.trim()).await?
    } else {
        Vec::new()
    };
    // Ngo members register for their own organization; admins for the one they chose (or none).
    let org = if is_admin {
        let chosen = form.organization.trim();
        if chosen.is_empty() {
            Ok(None)
        } else {
            organizations
                .iter()
                .find(|c| !c.value.is_empty() && c.value == chosen)
                .and_then(|c| Uuid::parse_str(&c.value).ok())
                .map(Some)
                .ok_or(())
        }
    } else {
        match user.organization_id {
            Some(org) => Ok(Some(org)),
            None => return Err(WebError::Forbidden(ctx.lang)),
        }
    };
    let building = match (parsed, org) {
        (Ok(b), Ok(org)) => (b, org),
        (parsed, org) => {
            let (mut errors, location_error) = parsed.err().unwrap_or_default();
            if org.is_err() {
                errors.add("organization", w.organization_invalid);
            }
            let mut page = FormPage::new(&ctx, form, None).with_errors(errors, location_error);
            page.organizations = organizations;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (building, org) = building;
    let now = state.now();
    let stored = state
        .db(move |s| s.create_building(&building, org, now))
        .await
        .web(ctx.lang)?;
    Ok(see_other(&format!(
        "/manage/buildings/{}?created=1",
        stored.building.id
    )))
}

async fn edit_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let id = parse_id(&ctx, &id)?;
    let record = load_owned(&state, &ctx, &user, id).await?;
    Ok(render(&FormPage::new(
        &ctx,
        BuildingForm::of(&record),
        Some(id),
    )))
}

async fn update(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    WebForm(mut form): WebForm<BuildingForm>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let id = parse_id(&ctx, &id)?;
    // Checked before anything else: another organization's building is a 404, whatever was sent.
    load_owned(&state, &ctx, &user, id).await?;
    let Ok(version) = form.version.trim().parse::<i64>() else {
        return Err(WebError::BadRequest(ctx.lang, "version".into()));
    };
    let building = match parse_building(ctx.lang, &form, id) {
        Ok(b) => b,
        Err((errors, location_error)) => {
            let page = FormPage::new(&ctx, form, Some(id)).with_errors(errors, location_error);
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let actor = crate::api::listings::ownership_scope(&user);
    let now = state.now();
    match state
        .db(move |s| s.update_building(&building, version, actor, now))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/manage/buildings/{id}?saved=1"))),
        Err(e) if e.status == StatusCode::CONFLICT && e.code == "conflict" => {
            // What is stored now beside what was typed; the form now carries the stored version,
            // so saving again replaces it, knowingly.
            let current = load_owned(&state, &ctx, &user, id).await?;
            form.version = current.version.to_string();
            let mut page = FormPage::new(&ctx, form, Some(id));
            page.conflict = Some(BuildingView::new(&current, ctx.lang));
            Ok(render_with(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(WebError::from_api(ctx.lang, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The building's page

#[derive(Template)]
#[template(path = "buildings_show.html")]
struct ShowPage {
    chrome: Chrome,
    w: &'static BuildingWords,
    id: Uuid,
    b: BuildingView,
    summary: String,
    description: Vec<String>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
struct ShowQuery {
    created: Option<String>,
    saved: Option<String>,
    surveyed: Option<String>,
}

async fn show(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let id = parse_id(&ctx, &id)?;
    let record = load_owned(&state, &ctx, &user, id).await?;
    let now = state.now();
    let summary = state
        .db(move |s| summary_of(s, id, now))
        .await
        .web(ctx.lang)?;
    let w = BuildingWords::get(ctx.lang);
    let (summary, description) = match summary {
        Some(s) => (
            s.summary_text(ctx.lang, now),
            s.description_text(ctx.lang, now),
        ),
        None => (w.no_survey.to_string(), Vec::new()),
    };
    let notice = if q.surveyed.is_some() {
        Some(w.surveyed_notice)
    } else if q.saved.is_some() {
        Some(w.saved_notice)
    } else if q.created.is_some() {
        Some(w.created_notice)
    } else {
        None
    };
    Ok(render(&ShowPage {
        chrome: Chrome::new(&ctx, "buildings"),
        w,
        id,
        b: BuildingView::new(&record, ctx.lang),
        summary,
        description,
        notice,
    }))
}

// ---------------------------------------------------------------------------------------------
// The survey

/// The survey form's sections, each with the features it asks about, in order. Every feature is in
/// exactly one (a unit test checks it, so a feature added to the core must be placed here).
fn survey_sections(
    w: &'static BuildingWords,
) -> [(&'static str, &'static str, &'static [Feature]); 5] {
    use Feature::*;
    [
        (
            "entrance",
            w.group_entrance,
            &[
                StepFreeEntrance,
                EntranceStepCount,
                EntranceStepHeight,
                Ramp,
                RampSlope,
                RampHandrail,
                DoorWidth,
                DoorThreshold,
                DoorType,
                BellNeeded,
            ],
        ),
        (
            "inside",
            w.group_inside,
            &[
                Elevator,
                ElevatorWorking,
                ElevatorCabinWidth,
                ElevatorCabinDepth,
                ElevatorSpeech,
                ElevatorBraille,
                WorkplaceFloor,
                WorkplaceStepFree,
            ],
        ),
        (
            "toilet",
            w.group_toilet,
            &[Toilet, ToiletDoorWidth, ToiletTurningSpace],
        ),
        (
            "outside",
            w.group_outside,
            &[ParkingSpaces, ParkingDistance, StepFreeRoute],
        ),
        (
            "senses",
            w.group_senses,
            &[
                TactilePaving,
                BrailleSignage,
                HearingLoop,
                VisualAlarm,
                SignLanguageStaff,
            ],
        ),
    ]
}

/// The input name of the sign-language checkboxes (the yes/no/not-checked radios use the
/// feature's code).
const SIGN_LANGUAGES: &str = "sign_languages";
const NOTE: &str = "note";
const OBSERVED_ON: &str = "observed_on";
/// The error id of "nothing was recorded" (shown above the sections).
const NOTHING: &str = "facts";

/// What the survey form sent: every name with its values as typed (checkbox groups repeat a name).
type SurveyInput = HashMap<String, Vec<String>>;

fn first<'a>(input: &'a SurveyInput, name: &str) -> &'a str {
    input
        .get(name)
        .and_then(|v| v.first())
        .map(|s| s.as_str())
        .unwrap_or("")
}

pub struct OptionView {
    pub id: String,
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct FieldView {
    /// The input's name and id (for radios: the first radio's id, which error links point at).
    pub id: &'static str,
    /// "number", "radio", "checkboxes".
    pub kind: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub inputmode: &'static str,
    pub options: Vec<OptionView>,
    pub invalid: bool,
    pub described_by: String,
}

pub struct SectionView {
    pub id: &'static str,
    pub title: &'static str,
    pub fields: Vec<FieldView>,
}

fn options<T: Copy>(
    id: &'static str,
    values: &[(T, &'static str, String)],
    current: &str,
    not_checked: &'static str,
) -> Vec<OptionView> {
    let mut out: Vec<OptionView> = values
        .iter()
        .enumerate()
        .map(|(i, (_, code, label))| OptionView {
            id: if i == 0 {
                id.to_string()
            } else {
                format!("{id}-{code}")
            },
            value: code,
            label: label.clone(),
            checked: current == *code,
        })
        .collect();
    let known = out.iter().any(|o| o.checked);
    out.push(OptionView {
        id: format!("{id}-unknown"),
        value: "",
        label: not_checked.to_string(),
        checked: !known,
    });
    out
}

fn coded<T: Labelled>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    lang: Lang,
) -> Vec<(T, &'static str, String)> {
    all.iter()
        .map(|v| (*v, code(*v), capitalize(label(*v, lang))))
        .collect()
}

/// One feature's question as the form shows it, with what was typed.
fn field_view(
    lang: Lang,
    w: &'static BuildingWords,
    feature: Feature,
    input: &SurveyInput,
    errors: &FormErrors,
) -> FieldView {
    let id = feature.code();
    let current = first(input, id).trim();
    let title = capitalize(label(feature, lang));
    let range_hint = |template: &str| {
        feature
            .range()
            .map(|r| {
                template
                    .replace("{min}", &r.start().to_string())
                    .replace("{max}", &r.end().to_string())
            })
            .unwrap_or_default()
    };
    let (kind, label_text, hint, inputmode, opts) = match feature.kind() {
        ValueKind::Bool => {
            let yes_no = [
                (true, "yes", w.yes.to_string()),
                (false, "no", w.no.to_string()),
            ];
            (
                "radio",
                title,
                String::new(),
                "",
                options(id, &yes_no, current, w.not_checked),
            )
        }
        ValueKind::Count => (
            "number",
            title,
            range_hint(w.range_hint),
            "numeric",
            Vec::new(),
        ),
        ValueKind::Centimetres => (
            "number",
            format!("{title} ({})", w.unit_centimetres),
            range_hint(w.range_hint),
            "numeric",
            Vec::new(),
        ),
        ValueKind::Metres => (
            "number",
            format!("{title} ({})", w.unit_metres),
            range_hint(w.range_hint),
            "numeric",
            Vec::new(),
        ),
        ValueKind::Percent => (
            "number",
            format!("{title} ({})", w.unit_percent),
            range_hint(w.slope_hint),
            "numeric",
            Vec::new(),
        ),
        // Basements are negative: a text keyboard, so the minus sign can be typed.
        ValueKind::Floor => (
            "number",
            title,
            w.floor_hint.to_string(),
            "text",
            Vec::new(),
        ),
        ValueKind::Ramp => (
            "radio",
            title,
            String::new(),
            "",
            options(
                id,
                &coded(RampKind::ALL, RampKind::code, lang),
                current,
                w.not_checked,
            ),
        ),
        ValueKind::DoorType => (
            "radio",
            title,
            String::new(),
            "",
            options(
                id,
                &coded(DoorType::ALL, DoorType::code, lang),
                current,
                w.not_checked,
            ),
        ),
        ValueKind::Access => (
            "radio",
            title,
            String::new(),
            "",
            options(
                id,
                &coded(AccessLevel::ALL, AccessLevel::code, lang),
                current,
                w.not_checked,
            ),
        ),
        ValueKind::SignLanguages => {
            let yes_no = [
                (true, "yes", w.yes.to_string()),
                (false, "no", w.no.to_string()),
            ];
            (
                "radio",
                title,
                String::new(),
                "",
                options(id, &yes_no, current, w.not_checked),
            )
        }
    };
    let hint_id = (!hint.is_empty()).then(|| format!("{id}-hint"));
    let error_id = errors.has(id).then(|| format!("{id}-error"));
    FieldView {
        id,
        kind,
        label: label_text,
        hint,
        value: if kind == "number" {
            first(input, id).to_string()
        } else {
            String::new()
        },
        inputmode,
        options: opts,
        invalid: error_id.is_some(),
        described_by: described_by(&[hint_id, error_id]),
    }
}

/// The sign-language checkboxes (after the "staff who sign" radios).
fn sign_languages_view(
    lang: Lang,
    w: &'static BuildingWords,
    input: &SurveyInput,
    errors: &FormErrors,
) -> FieldView {
    let ticked: Vec<&str> = input
        .get(SIGN_LANGUAGES)
        .map(|v| v.iter().map(|s| s.as_str()).collect())
        .unwrap_or_default();
    let options = SignLanguage::ALL
        .iter()
        .enumerate()
        .map(|(i, l)| OptionView {
            id: if i == 0 {
                SIGN_LANGUAGES.to_string()
            } else {
                format!("{SIGN_LANGUAGES}-{}", l.code())
            },
            value: l.code(),
            label: capitalize(label(*l, lang)),
            checked: ticked.contains(&l.code()),
        })
        .collect();
    let error_id = errors
        .has(SIGN_LANGUAGES)
        .then(|| format!("{SIGN_LANGUAGES}-error"));
    FieldView {
        id: SIGN_LANGUAGES,
        kind: "checkboxes",
        label: w.sign_languages.to_string(),
        hint: w.sign_languages_hint.to_string(),
        value: String::new(),
        inputmode: "",
        options,
        invalid: error_id.is_some(),
        described_by: described_by(&[Some(format!("{SIGN_LANGUAGES}-hint")), error_id]),
    }
}

fn survey_view(lang: Lang, input: &SurveyInput, errors: &FormErrors) -> Vec<SectionView> {
    let w = BuildingWords::get(lang);
    survey_sections(w)
        .into_iter()
        .map(|(id, title, features)| {
            let mut fields = Vec::new();
            for &f in features {
                fields.push(field_view(lang, w, f, input, errors));
                if f == Feature::SignLanguageStaff {
                    fields.push(sign_languages_view(lang, w, input, errors));
                }
            }
            SectionView { id, title, fields }
        })
        .collect()
}

/// The "out of range" message for a numeric feature, naming it and its range.
fn range_message(lang: Lang, w: &BuildingWords, feature: Feature) -> String {
    let (min, max) = feature
        .range()
        .map(|r| (*r.start(), *r.end()))
        .unwrap_or((0, i64::from(u32::MAX)));
    w.out_of_range
        .replace("{label}", &capitalize(label(feature, lang)))
        .replace("{min}", &min.to_string())
        .replace("{max}", &max.to_string())
}

/// A whole number as typed ("12", "-1", "−1"); spaces ignored.
fn parse_whole(value: &str) -> Option<i64> {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    cleaned.parse::<i64>().ok()
}

/// One feature's value from the form: `Ok(None)` when not checked (left out of the report).
fn feature_value(
    lang: Lang,
    w: &BuildingWords,
    feature: Feature,
    input: &SurveyInput,
) -> Result<Option<FeatureValue>, String> {
    let raw = first(input, feature.code()).trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let choice_error = || {
        w.choice_invalid
            .replace("{label}", &capitalize(label(feature, lang)))
    };
    let kind = feature.kind();
    let value = match kind {
        ValueKind::Bool => match Tri::from_code(raw) {
            Ok(Tri::Yes) => FeatureValue::Bool(true),
            Ok(Tri::No) => FeatureValue::Bool(false),
            Ok(Tri::Unknown) => return Ok(None),
            Err(_) => return Err(choice_error()),
        },
        k if k.is_numeric() => {
            let n = parse_whole(raw).ok_or_else(|| range_message(lang, w, feature))?;
            FeatureValue::numeric(k, n).ok_or_else(|| range_message(lang, w, feature))?
        }
        ValueKind::Ramp => {
            FeatureValue::Ramp(RampKind::from_code(raw).map_err(|_| choice_error())?)
        }
        ValueKind::DoorType => {
            FeatureValue::DoorType(DoorType::from_code(raw).map_err(|_| choice_error())?)
        }
        ValueKind::Access => {
            FeatureValue::Access(AccessLevel::from_code(raw).map_err(|_| choice_error())?)
        }
        // Read with the checkboxes in `survey_facts`.
        _ => return Ok(None),
    };
    // The core's rule for the fact (ranges, no floor 0), worded for the form.
    validate_fact(feature, &value).map_err(|_| {
        if feature == Feature::WorkplaceFloor && value.number() == Some(0) {
            w.floor_zero.to_string()
        } else {
            range_message(lang, w, feature)
        }
    })?;
    Ok(Some(value))
}

/// The facts the form records, or every field's problem.
fn survey_facts(lang: Lang, input: &SurveyInput, errors: &mut FormErrors) -> Facts {
    let w = BuildingWords::get(lang);
    let mut facts = Facts::new();
    for (_, _, features) in survey_sections(w) {
        for &feature in features {
            if feature == Feature::SignLanguageStaff {
                match sign_language_value(lang, w, input) {
                    Ok(Some(v)) => {
                        let _ = facts.insert(feature, v);
                    }
                    Ok(None) => {}
                    Err((id, message)) => errors.add(id, message),
                }
                continue;
            }
            match feature_value(lang, w, feature, input) {
                Ok(Some(v)) => {
                    // The value's kind follows the feature's, so this cannot fail.
                    let _ = facts.insert(feature, v);
                }
                Ok(None) => {}
                Err(message) => errors.add(feature.code(), message),
            }
        }
    }
    facts
}

/// "Staff who sign": yes with the ticked languages, no (nobody signs), or not checked. Ticking
/// languages without answering means yes.
fn sign_language_value(
    lang: Lang,
    w: &BuildingWords,
    input: &SurveyInput,
) -> Result<Option<FeatureValue>, (&'static str, String)> {
    let feature = Feature::SignLanguageStaff;
    let answer = first(input, feature.code()).trim();
    let mut languages = Vec::new();
    for code in input.get(SIGN_LANGUAGES).into_iter().flatten() {
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        match SignLanguage::from_code(code) {
            Ok(l) => languages.push(l),
            Err(_) => {
                return Err((
                    SIGN_LANGUAGES,
                    w.choice_invalid.replace("{label}", w.sign_languages),
                ))
            }
        }
    }
    let value = match Tri::from_code(if answer.is_empty() { "unknown" } else { answer }) {
        Ok(Tri::No) if !languages.is_empty() => {
            return Err((SIGN_LANGUAGES, w.sign_languages_contradict.to_string()))
        }
        Ok(Tri::No) => FeatureValue::SignLanguages(Vec::new()),
        Ok(Tri::Yes) if languages.is_empty() => {
            return Err((SIGN_LANGUAGES, w.sign_languages_missing.to_string()))
        }
        Ok(Tri::Unknown) if languages.is_empty() => return Ok(None),
        Ok(_) => FeatureValue::SignLanguages(languages),
        Err(_) => {
            return Err((
                feature.code(),
                w.choice_invalid
                    .replace("{label}", &capitalize(label(feature, lang))),
            ))
        }
    };
    validate_fact(feature, &value).map_err(|e| {
        (
            SIGN_LANGUAGES,
            validation_message(lang, &e, w.sign_languages),
        )
    })?;
    Ok(Some(value))
}

/// When the survey was made: "" is now; a date is today (now) or a past day in Kyrgyzstan
/// (noon there).
fn observed_at(value: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, bool> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| false)?;
    let offset = Duration::hours(KYRGYZ_OFFSET_HOURS);
    let today = (now + offset).date_naive();
    if date > today {
        return Err(true);
    }
    if date == today {
        return Ok(Some(now));
    }
    let noon = date
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc() - offset)
        .ok_or(false)?;
    Ok(Some(noon))
}

#[derive(Template)]
#[template(path = "buildings_survey.html")]
struct SurveyPage {
    chrome: Chrome,
    w: &'static BuildingWords,
    id: Uuid,
    b: BuildingView,
    errors: FormErrors,
    sections: Vec<SectionView>,
    note: String,
    note_invalid: bool,
    observed_on: String,
    observed_invalid: bool,
    recorded_as: String,
}

impl SurveyPage {
    fn new(
        ctx: &Ctx,
        id: Uuid,
        record: &BuildingRecord,
        input: &SurveyInput,
        errors: FormErrors,
        kind: ReporterKind,
    ) -> SurveyPage {
        let w = BuildingWords::get(ctx.lang);
        SurveyPage {
            chrome: Chrome::new(ctx, "buildings"),
            w,
            id,
            b: BuildingView::new(record, ctx.lang),
            sections: survey_view(ctx.lang, input, &errors),
            note: first(input, NOTE).to_string(),
            note_invalid: errors.has(NOTE),
            observed_on: first(input, OBSERVED_ON).to_string(),
            observed_invalid: errors.has(OBSERVED_ON),
            recorded_as: format!(
                "{} {}, {}.",
                w.recorded_as,
                label(Method::Measured, ctx.lang),
                label(kind, ctx.lang)
            ),
            errors,
        }
    }
}

/// How the survey will be weighed, by the storage's rule: an admin or a member of a verified
/// organization is a verified surveyor; anyone else's survey counts like a visitor's.
async fn surveyor_kind(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
) -> Result<ReporterKind, WebError> {
    if user.role == Role::Admin {
        return Ok(ReporterKind::VerifiedSurveyor);
    }
    let Some(org) = user.organization_id else {
        return Ok(ReporterKind::Anonymous);
    };
    let verified = state
        .db(move |s| s.get_organization(org))
        .await
        .web(ctx.lang)?
        .is_some_and(|o| o.record.verified);
    Ok(if verified {
        ReporterKind::VerifiedSurveyor
    } else {
        ReporterKind::Anonymous
    })
}

async fn survey_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    let id = parse_id(&ctx, &id)?;
    let record = load_owned(&state, &ctx, &user, id).await?;
    let kind = surveyor_kind(&state, &ctx, &user).await?;
    Ok(render(&SurveyPage::new(
        &ctx,
        id,
        &record,
        &SurveyInput::new(),
        FormErrors::new(),
        kind,
    )))
}

async fn submit_survey(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    WebForm(input): WebForm<SurveyInput>,
) -> Result<Response, WebError> {
    let (ctx, user) = editor(signed)?;
    ctx.verify_csrf(first(&input, "csrf"))?;
    let id = parse_id(&ctx, &id)?;
    let record = load_owned(&state, &ctx, &user, id).await?;
    let lang = ctx.lang;
    let w = BuildingWords::get(lang);
    let now = state.now();
    let mut errors = FormErrors::new();
    let facts = survey_facts(lang, &input, &mut errors);
    let note_text = optional(first(&input, NOTE));
    if let Some(text) = &note_text {
        if let Err(e) = validation::optional_text("note", text, limits::NOTE) {
            errors.add(NOTE, validation_message(lang, &e, w.note));
        }
    }
    let observed = match observed_at(first(&input, OBSERVED_ON), now) {
        Ok(t) => t,
        Err(future) => {
            errors.add(
                OBSERVED_ON,
                if future {
                    w.observed_future
                } else {
                    w.observed_invalid
                },
            );
            None
        }
    };
    let kind = surveyor_kind(&state, &ctx, &user).await?;
    let rerender = |status: StatusCode, errors: FormErrors| {
        render_with(
            status,
            &SurveyPage::new(&ctx, id, &record, &input, errors, kind),
        )
    };
    if !errors.is_empty() {
        return Ok(rerender(StatusCode::UNPROCESSABLE_ENTITY, errors));
    }
    let note = note_text.map(|text| {
        let mut note = LocalizedNote::default();
        match lang {
            Lang::Kyrgyz => note.ky = Some(text),
            Lang::Russian => note.ru = Some(text),
            Lang::English => note.en = Some(text),
        }
        note
    });
    // The API's own construction and rules; the storage weighs the report by who made it (see
    // `surveyor_kind`).
    let who = Reporter::User(user.id);
    let body = ReportBody {
        id: None,
        facts,
        method: Some(Method::Measured),
        observed_at: observed,
        note,
    };
    let report = match body.into_report(Uuid::now_v7(), id, who, now) {
        Ok(r) => r,
        Err(e) => {
            let field = e.field.as_deref().unwrap_or("");
            match field {
                "facts" => errors.add(NOTHING, w.nothing_recorded),
                "observed_at" => errors.add(OBSERVED_ON, w.observed_future),
                f if f.starts_with("note") => errors.add(NOTE, e.message),
                f => match Feature::ALL.iter().find(|x| x.field() == f) {
                    Some(feature) => errors.add(feature.code(), range_message(lang, w, *feature)),
                    None => return Err(WebError::from_api(lang, e)),
                },
            }
            return Ok(rerender(StatusCode::UNPROCESSABLE_ENTITY, errors));
        }
    };
    if !state.reports.allow(&reporter_key(who)) {
        errors.add(NOTHING, w.too_many);
        return Ok(rerender(StatusCode::TOO_MANY_REQUESTS, errors));
    }
    state
        .db(move |s| s.submit_report(&report, who, now))
        .await
        .web(lang)?;
    Ok(see_other(&format!("/manage/buildings/{id}?surveyed=1")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_feature_is_asked_exactly_once() {
        for lang in Lang::ALL {
            let w = BuildingWords::get(*lang);
            let asked: Vec<Feature> = survey_sections(w)
                .iter()
                .flat_map(|(_, _, fs)| fs.iter().copied())
                .collect();
            for f in Feature::ALL {
                assert_eq!(
                    asked.iter().filter(|x| *x == f).count(),
                    1,
                    "{f} must be asked once"
                );
            }
            assert_eq!(asked.len(), Feature::ALL.len());
        }
    }

    fn input(pairs: &[(&str, &str)]) -> SurveyInput {
        let mut map = SurveyInput::new();
        for (k, v) in pairs {
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
        map
    }

    #[test]
    fn not_checked_is_left_out_and_no_is_kept() {
        let mut errors = FormErrors::new();
        let facts = survey_facts(
            Lang::English,
            &input(&[
                ("elevator", "no"),
                ("hearing_loop", ""),
                ("ramp", "none"),
                ("door_width_cm", " 90 "),
                ("workplace_floor", "−1"),
                ("sign_language_staff", "no"),
            ]),
            &mut errors,
        );
        assert!(errors.is_empty(), "{:?}", errors.all());
        assert_eq!(
            facts.get(Feature::Elevator),
            Some(&FeatureValue::Bool(false))
        );
        assert_eq!(facts.get(Feature::HearingLoop), None);
        assert_eq!(
            facts.get(Feature::Ramp),
            Some(&FeatureValue::Ramp(RampKind::NoRamp))
        );
        assert_eq!(
            facts.get(Feature::DoorWidth),
            Some(&FeatureValue::Centimetres(90))
        );
        assert_eq!(
            facts.get(Feature::WorkplaceFloor),
            Some(&FeatureValue::Floor(-1))
        );
        assert_eq!(
            facts.get(Feature::SignLanguageStaff),
            Some(&FeatureValue::SignLanguages(vec![]))
        );
        assert_eq!(facts.len(), 5);
    }

    #[test]
    fn wrong_numbers_and_codes_name_their_field() {
        let mut errors = FormErrors::new();
        survey_facts(
            Lang::English,
            &input(&[
                ("door_width_cm", "wide"),
                ("entrance_step_height_cm", "101"),
                ("workplace_floor", "0"),
                ("toilet", "maybe"),
                ("sign_language_staff", "yes"),
            ]),
            &mut errors,
        );
        assert_eq!(
            errors.get("door_width_cm"),
            Some("Entrance door width: enter a whole number from 30 to 300")
        );
        assert!(errors
            .get("entrance_step_height_cm")
            .unwrap()
            .contains("0 to 100"));
        assert!(errors
            .get("workplace_floor")
            .unwrap()
            .contains("no floor 0"));
        assert!(errors.get("toilet").unwrap().contains("Accessible toilet"));
        assert!(errors.has(SIGN_LANGUAGES));
    }

    #[test]
    fn ticked_sign_languages_mean_yes_unless_answered_no() {
        let w = BuildingWords::get(Lang::English);
        let v = sign_language_value(
            Lang::English,
            w,
            &input(&[("sign_languages", "rsl"), ("sign_languages", "ase")]),
        )
        .unwrap();
        assert_eq!(
            v,
            Some(FeatureValue::SignLanguages(vec![
                SignLanguage::Russian,
                SignLanguage::American
            ]))
        );
        assert!(sign_language_value(
            Lang::English,
            w,
            &input(&[("sign_language_staff", "no"), ("sign_languages", "rsl")]),
        )
        .is_err());
    }

    #[test]
    fn survey_dates_are_kyrgyz_days() {
        // 20:00 UTC on 1 May is 02:00 on 2 May in Bishkek.
        let now = Utc.with_ymd_and_hms(2025, 5, 1, 20, 0, 0).unwrap();
        assert_eq!(observed_at("", now), Ok(None));
        assert_eq!(observed_at("2025-05-02", now), Ok(Some(now)));
        assert_eq!(observed_at("2025-05-03", now), Err(true));
        assert_eq!(observed_at("1 May", now), Err(false));
        assert_eq!(
            observed_at("2025-04-30", now),
            Ok(Some(Utc.with_ymd_and_hms(2025, 4, 30, 6, 0, 0).unwrap()))
        );
    }
}

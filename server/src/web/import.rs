//! Listings from a CSV file (issue 12): a page that documents the file, a template to download, and
//! an upload that creates every row's listing as a draft, or none.
//!
//! - `GET /manage/import`: the columns (with the codes of each coded column, labelled in the page's
//!   language), the file's rules, the organization's buildings and the upload form.
//! - `GET /manage/import/template.csv`: the header and example rows that import as they are.
//! - `POST /manage/import` (multipart: `csrf`, then `organization` for admins, then `file`): every
//!   row is checked first (`csv_import::parse_csv`, the listing form's own checks); with any
//!   problem the page lists each row and column (422) and nothing is written; otherwise one
//!   `create_listings` call (one transaction) and a redirect to `/manage/import/done?count=N`.
//!
//! The CSRF token is read from the multipart fields and checked before the file is read: a file
//! sent before a valid token is refused as a forged form.

use std::sync::Arc;

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use teng_core::accessibility::Lang;
use teng_core::model::{ListingStatus, Organization};
use uuid::Uuid;

use super::csv_import::{self, Column, RowProblem, MAX_ROWS};
use super::error::{OrPage, WebError};
use super::form::FormErrors;
use super::listing_input::ListingTarget;
use super::page::{render, render_with, see_other, Chrome};
use super::session::{Ctx, SignedIn, CSRF_FIELD};
use crate::auth::Role;
use crate::state::AppState;
use crate::storage::{BuildingFilter, BuildingRecord, User};
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/manage/import", get(import_page).post(import_file))
        .route("/manage/import/template.csv", get(template))
        .route("/manage/import/done", get(done))
}

/// At most this many problems are listed (a file of 500 bad rows would list thousands).
const MAX_SHOWN: usize = 1000;
/// The most buildings or organizations loaded for one page.
const MAX_RECORDS: usize = 10_000;

texts! {
    pub struct ImportWords {
        title: ["CSV файлдан жарыяларды жүктөө", "Импорт вакансий из CSV-файла", "Import listings from a CSV file"],
        intro: [
            "Көп жарыяны бир жолу кошуу үчүн: Excel же башка таблицада бир сап — бир жарыя. Файлдын бардык саптары текшерилет: бир да ката болсо, эч нерсе сакталбайт. Жүктөлгөн жарыялар долбоор болуп сакталат; аларды «Биздин жарыялар» барагынан жарыялайсыз.",
            "Чтобы добавить много вакансий сразу: в Excel или другой таблице одна строка — одна вакансия. Проверяются все строки файла: если есть хоть одна ошибка, ничего не сохраняется. Загруженные вакансии сохраняются как черновики; опубликуйте их на странице «Наши вакансии».",
            "To add many listings at once: in Excel or another spreadsheet, one row is one listing. Every row is checked: if any row has a problem, nothing is saved. Imported listings are saved as drafts; publish them from “Our listings”.",
        ],
        upload_heading: ["Файлды жүктөө", "Загрузка файла", "Upload the file"],
        organization: ["Уюм", "Организация", "Organization"],
        organization_hint: [
            "Жарыялар ушул уюмга кошулат.",
            "Вакансии будут добавлены в эту организацию.",
            "The listings are added to this organization.",
        ],
        choose_organization: ["Уюмду тандаңыз", "Выберите организацию", "Choose an organization"],
        file: ["CSV файл", "CSV-файл", "CSV file"],
        file_hint: [
            "UTF-8 коддоосундагы, үтүр менен бөлүнгөн файл; эң көп {max} сап, {size} чейин.",
            "Файл в кодировке UTF-8 с разделителем-запятой; не больше {max} строк и {size}.",
            "A UTF-8, comma-separated file; at most {max} rows and {size}.",
        ],
        no_file: ["CSV файлды тандаңыз", "Выберите CSV-файл", "Choose a CSV file"],
        import_button: ["Текшерүү жана жүктөө", "Проверить и загрузить", "Check and import"],
        template_heading: ["Үлгү файл", "Образец файла", "Template"],
        template_link: ["Үлгү файлды жүктөп алуу (CSV)", "Скачать образец файла (CSV)", "Download the template (CSV)"],
        template_hint: [
            "Үлгүдө бардык тилкелер жана туура толтурулган мисал саптар бар, аны ошол бойдон жүктөсө болот. Мисалдардын ордуна өз жарыяларыңызды жазыңыз.",
            "В образце есть все столбцы и примеры правильно заполненных строк; его можно загрузить как есть. Замените примеры своими вакансиями.",
            "The template has every column and example rows filled in correctly; it imports as it is. Replace the examples with your listings.",
        ],
        rules_heading: ["Файлдын эрежелери", "Требования к файлу", "File rules"],
        rule_utf8: [
            "Коддоо — UTF-8. Excel'де: «Башкача сактоо» → «CSV UTF-8 (үтүр менен бөлүнгөн)». Файлдын башындагы BOM белгиси (Excel аны өзү кошот) тоскоол болбойт.",
            "Кодировка — UTF-8. В Excel: «Сохранить как» → «CSV UTF-8 (разделитель — запятая)». Метка BOM в начале файла (Excel добавляет её сам) не мешает.",
            "The text is UTF-8. In Excel: Save As → “CSV UTF-8 (Comma delimited)”. A byte-order mark at the start (Excel adds one) is fine.",
        ],
        rule_comma: [
            "Маанилер үтүр менен бөлүнөт; Excel үтүрлүү чекит (;) менен сактаган файл да кабыл алынат. Үтүр, тырмакча же жаңы сап камтылган маани тырмакчага алынат (Excel муну өзү кылат).",
            "Значения разделяются запятыми; файл, который Excel сохранил с точкой с запятой, тоже подходит. Значение с запятой, кавычками или переносом строки берётся в кавычки (Excel делает это сам).",
            "Values are separated by commas; a file Excel saved with semicolons works too. A value holding a comma, a quote or a line break is put in quotes (Excel does this itself).",
        ],
        rule_header: [
            "Биринчи сап — тилкелердин аттары, төмөнкү таблицадагыдай, каалаган тартипте. Милдеттүү эмес тилкелерди алып салса болот; белгисиз же кайталанган тилке ката деп эсептелет.",
            "Первая строка — названия столбцов, как в таблице ниже, в любом порядке. Необязательные столбцы можно не включать; неизвестный или повторённый столбец считается ошибкой.",
            "The first row names the columns as in the table below, in any order. Optional columns may be left out; an unknown or repeated column is a problem.",
        ],
        rule_rows: [
            "Андан кийинки ар бир сап — бир жарыя; эң көп {max} сап. Бош саптар эсепке алынбайт.",
            "Каждая следующая строка — одна вакансия; не больше {max} строк. Пустые строки пропускаются.",
            "Each following row is one listing; at most {max} rows. Empty rows are skipped.",
        ],
        rule_size: [
            "Файлдын көлөмү {size} ашпашы керек.",
            "Размер файла — не больше {size}.",
            "The file may be at most {size}.",
        ],
        rule_all_or_nothing: [
            "Бир да сапта ката болсо, эч бир жарыя сакталбайт: катасы бар ар бир сап жана тилке көрсөтүлөт. Аларды оңдоп, файлды кайра жүктөңүз.",
            "Если хоть в одной строке есть ошибка, не сохраняется ни одна вакансия: вы увидите каждую строку и столбец с ошибкой. Исправьте их и загрузите файл снова.",
            "If any row has a problem, no listing is saved: you see each row and column to fix. Fix them and upload the file again.",
        ],
        rule_drafts: [
            "Жүктөлгөн жарыялар долбоор болуп сакталат; status тилкеси керек эмес.",
            "Загруженные вакансии сохраняются как черновики; столбец status не нужен.",
            "Imported listings are saved as drafts; no status column is needed.",
        ],
        columns_heading: ["Тилкелер", "Столбцы", "Columns"],
        col_name: ["Тилке", "Столбец", "Column"],
        col_holds: ["Эмнени камтыйт", "Что содержит", "What it holds"],
        col_required: ["Милдеттүүбү", "Обязательный", "Required"],
        col_codes: ["Уруксат берилген коддор", "Допустимые коды", "Allowed codes"],
        yes: ["Ооба", "Да", "Yes"],
        no: ["Жок", "Нет", "No"],
        req_building: ["Ооба, алыстан иштөөдөн башкасы үчүн", "Да, кроме удалённой работы", "Yes, except for remote work"],
        req_place: ["Имарат жок болсо", "Если нет здания", "When there is no building"],
        req_period: ["Айлык жазылса", "Если указана зарплата", "When pay is given"],
        req_apply: ["Жок дегенде бирөө", "Хотя бы один", "At least one"],
        any_text: ["Каалаган текст", "Любой текст", "Any text"],
        apply_note: [
            "Ар бир кайрылуу жолунун өз тилкеси бар (apply_ менен башталат); бир уячага бир маани. Колдонулбаган тилкелерди алып салса болот.",
            "У каждого способа отклика свой столбец (начинается с apply_); одно значение в ячейке. Ненужные столбцы можно удалить.",
            "Each way to apply has its own column (starting with apply_), one value per cell. Columns you do not use may be removed.",
        ],
        holds_title: ["Кызматтын аталышы, 200 белгиге чейин.", "Название вакансии, до 200 символов.", "The job title, up to 200 characters."],
        holds_description: [
            "Жумуштун сүрөттөмөсү; бир нече сап болсо болот.",
            "Описание работы; может занимать несколько строк.",
            "What the work is; may span several lines.",
        ],
        holds_category: ["Тармактын коду.", "Код сферы.", "The category's code."],
        holds_employment_type: ["Иштин түрүнүн коду.", "Код типа занятости.", "The type of employment's code."],
        holds_work_mode: ["Кайда иштелерин көрсөткөн код.", "Код формата работы.", "The code of where the work is done."],
        holds_building: [
            "Уюмдун имаратынын id'си же так аталышы (тизмеси төмөндө). Алыстан иштөө үчүн бош калтырыңыз. Тилкенин аты building_id болсо да болот.",
            "id здания организации или его точное название (список ниже). Для удалённой работы оставьте пустым. Столбец может называться и building_id.",
            "The id or exact name of one of the organization's buildings (listed below). Leave empty for remote work. The column may also be named building_id.",
        ],
        holds_city: [
            "Шаар же айыл. Бош калса, имараттын шаары алынат.",
            "Город или село. Если пусто, берётся город здания.",
            "City or village. When empty, the building's city.",
        ],
        holds_region: [
            "Облустун коду. Бош калса, имараттын облусу алынат.",
            "Код области. Если пусто, берётся область здания.",
            "The region's code. When empty, the building's region.",
        ],
        holds_salary_min: [
            "Эң аз айлык, сом менен, бүтүн сан: 25000 же 25 000.",
            "Зарплата от, в сомах, целое число: 25000 или 25 000.",
            "The lowest pay in som, a whole number: 25000 or 25 000.",
        ],
        holds_salary_max: ["Эң көп айлык, сом менен, бүтүн сан.", "Зарплата до, в сомах, целое число.", "The highest pay in som, a whole number."],
        holds_salary_period: [
            "Айлык кайсы мезгил үчүн экенинин коду.",
            "Код периода, за который указана зарплата.",
            "The code of the period the pay is for.",
        ],
        holds_accommodations: [
            "Ыңгайлаштыруулардын коддору, «;» менен бөлүнөт: flexible_hours;quiet_workspace",
            "Коды условий через «;»: flexible_hours;quiet_workspace",
            "Accommodation codes separated by “;”: flexible_hours;quiet_workspace",
        ],
        holds_languages: [
            "Иштин тилдеринин коддору, «;» менен бөлүнөт: ky;ru",
            "Коды языков работы через «;»: ky;ru",
            "Codes of the work's languages separated by “;”: ky;ru",
        ],
        holds_apply_phone: [
            "Чалуу үчүн телефон номери, мисалы +996 555 123 456.",
            "Номер телефона для звонка, например +996 555 123 456.",
            "A phone number to call, for example +996 555 123 456.",
        ],
        holds_apply_sms: ["SMS жазуу үчүн телефон номери.", "Номер телефона для SMS.", "A phone number for text messages (SMS)."],
        holds_apply_whatsapp: ["WhatsApp номери.", "Номер WhatsApp.", "A WhatsApp number."],
        holds_apply_email: ["Электрондук почтанын дареги.", "Адрес электронной почты.", "An email address."],
        holds_apply_in_person: [
            "Өзү келип кайрыла турган жер: дарек, кабат, бөлмө.",
            "Куда прийти лично: адрес, этаж, кабинет.",
            "Where to come in person: address, floor, room.",
        ],
        holds_valid_through: [
            "Кайрылуулар кабыл алынган акыркы күн, ЖЖЖЖ-АА-КК: 2027-01-31.",
            "Последний день приёма откликов, ГГГГ-ММ-ДД: 2027-01-31.",
            "The last day applications are taken, YYYY-MM-DD: 2027-01-31.",
        ],
        buildings_heading: ["Уюмдун имараттары", "Здания организации", "The organization's buildings"],
        buildings_hint: [
            "building тилкесине имараттын id'син же аталышын жазыңыз.",
            "В столбец building впишите id здания или его название.",
            "Put a building's id or name in the building column.",
        ],
        building_name: ["Аталышы", "Название", "Name"],
        building_address: ["Дареги", "Адрес", "Address"],
        building_id: ["id", "id", "id"],
        no_buildings: [
            "Уюмда азырынча имарат жок. Алыстан иштөөдөн башка жумуштар үчүн адегенде имарат кошуңуз:",
            "У организации пока нет зданий. Для любой работы, кроме удалённой, сначала добавьте здание:",
            "The organization has no buildings yet. For any work except remote work, add a building first:",
        ],
        admin_choose: [
            "Адегенде уюмду тандаңыз: андан кийин анын имараттары жана жүктөө формасы көрсөтүлөт.",
            "Сначала выберите организацию: затем появятся её здания и форма загрузки.",
            "First choose the organization: its buildings and the upload form then appear.",
        ],
        choose_button: ["Тандоо", "Выбрать", "Choose"],
        importing_into: ["Жарыялар кошула турган уюм:", "Вакансии будут добавлены в организацию:", "Listings are added to:"],
        problems_caption: ["Файлдагы каталар", "Ошибки в файле", "Problems in the file"],
        problem_row: ["Сап", "Строка", "Row"],
        problem_column: ["Тилке", "Столбец", "Column"],
        problem_message: ["Эмне туура эмес", "Что не так", "What is wrong"],
        whole_row: ["(бүт сап)", "(вся строка)", "(the whole row)"],
        summary_problems: [
            "Файлдан табылган каталар: {n}. Эч нерсе сакталган жок. Аларды оңдоп, файлды кайра тандаңыз.",
            "Найдено ошибок в файле: {n}. Ничего не сохранено. Исправьте их и выберите файл снова.",
            "Problems found in the file: {n}. Nothing was saved. Fix them and choose the file again.",
        ],
        more_problems: [
            "Дагы {n} ката көрсөтүлгөн жок. Жогорудагыларды оңдоп, файлды кайра жүктөңүз.",
            "Ещё ошибок, не показанных здесь: {n}. Исправьте показанные и загрузите файл снова.",
            "{n} more problems are not shown. Fix those above and upload the file again.",
        ],
        done_title: ["Жарыялар жүктөлдү", "Вакансии загружены", "Listings imported"],
        done_body: [
            "Долбоор катары түзүлгөн жарыялар: {n}. Аларды текшерип, жарыялаңыз.",
            "Создано черновиков вакансий: {n}. Проверьте и опубликуйте их.",
            "Draft listings created: {n}. Check them, then publish them.",
        ],
        done_listings: ["Жарыялардын тизмесине өтүү", "Перейти к списку вакансий", "Go to the listings"],
        done_again: ["Дагы бир файл жүктөө", "Загрузить ещё один файл", "Import another file"],
        size_kb: ["{n} КБ", "{n} КБ", "{n} KB"],
        size_mb: ["{n} МБ", "{n} МБ", "{n} MB"],
    }
}

/// One row of the columns table.
struct ColumnDoc {
    name: &'static str,
    holds: &'static str,
    required: &'static str,
    codes: Vec<(&'static str, &'static str)>,
}

fn column_docs(lang: Lang, w: &ImportWords) -> Vec<ColumnDoc> {
    Column::ALL
        .into_iter()
        .map(|c| {
            let holds = match c {
                Column::Title => w.holds_title,
                Column::Description => w.holds_description,
                Column::Category => w.holds_category,
                Column::EmploymentType => w.holds_employment_type,
                Column::WorkMode => w.holds_work_mode,
                Column::Building => w.holds_building,
                Column::City => w.holds_city,
                Column::Region => w.holds_region,
                Column::SalaryMin => w.holds_salary_min,
                Column::SalaryMax => w.holds_salary_max,
                Column::SalaryPeriod => w.holds_salary_period,
                Column::Accommodations => w.holds_accommodations,
                Column::Languages => w.holds_languages,
                Column::ApplyPhone => w.holds_apply_phone,
                Column::ApplySms => w.holds_apply_sms,
                Column::ApplyWhatsApp => w.holds_apply_whatsapp,
                Column::ApplyEmail => w.holds_apply_email,
                Column::ApplyInPerson => w.holds_apply_in_person,
                Column::ValidThrough => w.holds_valid_through,
            };
            let required = match c {
                c if c.required() => w.yes,
                Column::Building => w.req_building,
                Column::City | Column::Region => w.req_place,
                Column::SalaryPeriod => w.req_period,
                c if c.apply_channel().is_some() => w.req_apply,
                _ => w.no,
            };
            ColumnDoc {
                name: c.name(),
                holds,
                required,
                codes: c.codes(lang),
            }
        })
        .collect()
}

/// A building as the page lists it.
struct BuildingRow {
    id: String,
    name: String,
    address: String,
}

struct OrgOption {
    id: String,
    name: String,
    selected: bool,
}

/// A problem as the table shows it.
struct ProblemRow {
    row: usize,
    column: String,
}

#[derive(Template)]
#[template(path = "import_page.html")]
struct ImportPage {
    chrome: Chrome,
    w: &'static ImportWords,
    errors: FormErrors,
    file_name: String,
    problems: Vec<(ProblemRow, String)>,
    more_problems: String,
    file_hint: String,
    rules: Vec<String>,
    columns: Vec<ColumnDoc>,
    is_admin: bool,
    organizations: Vec<OrgOption>,
    /// The organization the page is about (`None`: an admin who has not chosen yet).
    organization: Option<String>,
    /// Its name, for an admin's page.
    organization_name: String,
    buildings: Vec<BuildingRow>,
    template_href: String,
}

/// "64 KB", "1 MB": the body limit as people read it.
fn size_text(w: &ImportWords, bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        w.size_mb
            .replace("{n}", &(bytes / (1024 * 1024)).to_string())
    } else if bytes >= 1024 * 1024 {
        w.size_mb
            .replace("{n}", &format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)))
    } else {
        w.size_kb.replace("{n}", &(bytes / 1024).max(1).to_string())
    }
}

/// The signed-in editor, or a "not allowed" page.
fn editor(signed: &SignedIn) -> Result<User, WebError> {
    signed.require(&[Role::Ngo, Role::Admin]).cloned()
}

/// The organization an NGO user imports into (admins choose one).
fn own_organization(ctx: &Ctx, user: &User) -> Result<Option<Uuid>, WebError> {
    match user.role {
        Role::Admin => Ok(None),
        _ => user
            .organization_id
            .map(Some)
            .ok_or(WebError::Forbidden(ctx.lang)),
    }
}

async fn organization_exists(
    state: &Arc<AppState>,
    lang: Lang,
    id: Uuid,
) -> Result<bool, WebError> {
    Ok(state
        .db(move |s| s.get_organization(id))
        .await
        .web(lang)?
        .is_some())
}

async fn buildings_of(
    state: &Arc<AppState>,
    lang: Lang,
    org: Uuid,
) -> Result<Vec<BuildingRecord>, WebError> {
    state
        .db(move |s| {
            s.list_buildings(&BuildingFilter {
                organization_id: Some(org),
                limit: MAX_RECORDS,
                ..Default::default()
            })
        })
        .await
        .web(lang)
}

async fn organizations(state: &Arc<AppState>, lang: Lang) -> Result<Vec<Organization>, WebError> {
    let mut orgs: Vec<Organization> = state
        .db(|s| s.list_organizations(None, MAX_RECORDS))
        .await
        .web(lang)?
        .into_iter()
        .map(|v| v.record)
        .collect();
    orgs.sort_by_key(|o| o.name.to_lowercase());
    Ok(orgs)
}

/// What the page shows besides the problems.
struct PageInput {
    errors: FormErrors,
    file_name: String,
    problems: Vec<RowProblem>,
    organization: Option<Uuid>,
}

async fn page(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
    input: PageInput,
) -> Result<ImportPage, WebError> {
    let lang = ctx.lang;
    let w = ImportWords::get(lang);
    let is_admin = user.role == Role::Admin;
    let organizations: Vec<OrgOption> = if is_admin {
        organizations(state, lang)
            .await?
            .into_iter()
            .map(|o| OrgOption {
                selected: Some(o.id) == input.organization,
                id: o.id.to_string(),
                name: o.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let organization_name = organizations
        .iter()
        .find(|o| o.selected)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let buildings = match input.organization {
        Some(org) => buildings_of(state, lang, org)
            .await?
            .into_iter()
            .map(|b| {
                let a = &b.building.address;
                BuildingRow {
                    id: b.building.id.to_string(),
                    name: b.building.name.clone(),
                    address: format!("{}, {}", a.street, a.city),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let max = MAX_ROWS.to_string();
    let size = size_text(w, state.config.max_body_bytes);
    let shown = input.problems.len().min(MAX_SHOWN);
    let more = input.problems.len() - shown;
    let problems = input
        .problems
        .into_iter()
        .take(MAX_SHOWN)
        .map(|p| {
            (
                ProblemRow {
                    row: p.row,
                    column: p.column,
                },
                p.message,
            )
        })
        .collect();
    let template_href = match (is_admin, input.organization) {
        (true, Some(org)) => format!("/manage/import/template.csv?organization={org}"),
        _ => "/manage/import/template.csv".to_string(),
    };
    Ok(ImportPage {
        chrome: Chrome::new(ctx, "import"),
        w,
        errors: input.errors,
        file_name: input.file_name,
        problems,
        more_problems: if more > 0 {
            w.more_problems.replace("{n}", &more.to_string())
        } else {
            String::new()
        },
        file_hint: w.file_hint.replace("{max}", &max).replace("{size}", &size),
        rules: vec![
            w.rule_utf8.to_string(),
            w.rule_comma.to_string(),
            w.rule_header.to_string(),
            w.rule_rows.replace("{max}", &max),
            w.rule_size.replace("{size}", &size),
            w.rule_all_or_nothing.to_string(),
            w.rule_drafts.to_string(),
        ],
        columns: column_docs(lang, w),
        is_admin,
        organizations,
        organization: input.organization.map(|o| o.to_string()),
        organization_name,
        buildings,
        template_href,
    })
}

#[derive(Deserialize)]
struct OrgQuery {
    organization: Option<String>,
}

/// For an admin, the organization named in the query (if it exists); for an NGO user, theirs.
async fn query_organization(
    state: &Arc<AppState>,
    ctx: &Ctx,
    user: &User,
    q: &OrgQuery,
) -> Result<Option<Uuid>, WebError> {
    if let Some(own) = own_organization(ctx, user)? {
        return Ok(Some(own));
    }
    match q
        .organization
        .as_deref()
        .and_then(|o| Uuid::parse_str(o.trim()).ok())
    {
        Some(id) if organization_exists(state, ctx.lang, id).await? => Ok(Some(id)),
        _ => Ok(None),
    }
}

async fn import_page(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(q): Query<OrgQuery>,
) -> Result<Response, WebError> {
    let user = editor(&signed)?;
    let ctx = &signed.0;
    let organization = query_organization(&state, ctx, &user, &q).await?;
    let page = page(
        &state,
        ctx,
        &user,
        PageInput {
            errors: FormErrors::new(),
            file_name: String::new(),
            problems: Vec::new(),
            organization,
        },
    )
    .await?;
    Ok(render(&page))
}

/// The template, with an on-site example in the organization's first building when it has one.
async fn template(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(q): Query<OrgQuery>,
) -> Result<Response, WebError> {
    let user = editor(&signed)?;
    let ctx = &signed.0;
    let building = match query_organization(&state, ctx, &user, &q).await? {
        Some(org) => buildings_of(&state, ctx.lang, org)
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    let body = csv_import::template_csv(ctx.lang, building.as_ref(), state.now().date_naive());
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"teng-listings-template.csv\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A multipart failure as a page: over the body limit is "too large", anything else "bad request".
fn multipart_error(lang: Lang) -> impl Fn(MultipartError) -> WebError {
    move |e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge(lang)
        } else {
            WebError::BadRequest(lang, e.body_text())
        }
    }
}

/// What the upload form sent.
struct Upload {
    organization: String,
    file_name: String,
    file: Option<axum::body::Bytes>,
}

/// Reads the form's fields in order; the CSRF token must come (and be right) before the file.
async fn read_upload(ctx: &Ctx, mut multipart: Multipart) -> Result<Upload, WebError> {
    let lang = ctx.lang;
    let mut verified = false;
    let mut upload = Upload {
        organization: String::new(),
        file_name: String::new(),
        file: None,
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(multipart_error(lang))?
    {
        match field.name().unwrap_or("") {
            CSRF_FIELD => {
                let token = field.text().await.map_err(multipart_error(lang))?;
                ctx.verify_csrf(&token)?;
                verified = true;
            }
            _ if !verified => return Err(WebError::Csrf(lang)),
            "organization" => {
                upload.organization = field.text().await.map_err(multipart_error(lang))?;
            }
            "file" => {
                upload.file_name = field.file_name().unwrap_or("").to_string();
                upload.file = Some(field.bytes().await.map_err(multipart_error(lang))?);
            }
            _ => {
                field.bytes().await.map_err(multipart_error(lang))?;
            }
        }
    }
    if !verified {
        return Err(WebError::Csrf(lang));
    }
    Ok(upload)
}

async fn import_file(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let user = editor(&signed)?;
    let ctx = &signed.0;
    let lang = ctx.lang;
    let w = ImportWords::get(lang);
    let multipart = multipart.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge(lang)
        } else {
            WebError::BadRequest(lang, e.body_text())
        }
    })?;
    let upload = read_upload(ctx, multipart).await?;

    let mut errors = FormErrors::new();
    let organization = match own_organization(ctx, &user)? {
        Some(own) => Some(own),
        None => match Uuid::parse_str(upload.organization.trim()) {
            Ok(id) if organization_exists(&state, lang, id).await? => Some(id),
            _ => {
                errors.add("organization", w.choose_organization);
                None
            }
        },
    };
    let file = upload
        .file
        .filter(|f| !f.is_empty() || !upload.file_name.is_empty());
    if file.is_none() {
        errors.add("file", w.no_file);
    }
    let (Some(org), Some(file)) = (organization, file) else {
        let page = page(
            &state,
            ctx,
            &user,
            PageInput {
                errors,
                file_name: upload.file_name,
                problems: Vec::new(),
                organization,
            },
        )
        .await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };

    let buildings = buildings_of(&state, lang, org).await?;
    let now = state.now();
    let parsed = tokio::task::spawn_blocking(move || {
        csv_import::parse_csv(&file, lang, |_| ListingTarget {
            id: Uuid::now_v7(),
            organization_id: org,
            buildings: &buildings,
            posted_at: now,
            status: ListingStatus::Draft,
            version: 0,
        })
    })
    .await
    .map_err(|_| WebError::Internal(lang))?;
    match parsed {
        Ok(listings) => {
            let count = listings.len();
            state
                .db(move |s| s.create_listings(&listings, now))
                .await
                .web(lang)?;
            Ok(see_other(&format!("/manage/import/done?count={count}")))
        }
        Err(problems) => {
            let mut errors = FormErrors::new();
            errors.add(
                "file",
                w.summary_problems
                    .replace("{n}", &problems.len().to_string()),
            );
            let page = page(
                &state,
                ctx,
                &user,
                PageInput {
                    errors,
                    file_name: upload.file_name,
                    problems,
                    organization: Some(org),
                },
            )
            .await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage {
    chrome: Chrome,
    w: &'static ImportWords,
    body: String,
}

#[derive(Deserialize)]
struct DoneQuery {
    count: Option<String>,
}

async fn done(signed: SignedIn, Query(q): Query<DoneQuery>) -> Result<Response, WebError> {
    editor(&signed)?;
    let ctx = &signed.0;
    let w = ImportWords::get(ctx.lang);
    let count = q
        .count
        .as_deref()
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0);
    Ok(render(&DonePage {
        chrome: Chrome::new(ctx, "import"),
        w,
        body: w.done_body.replace("{n}", &count.to_string()),
    }))
}

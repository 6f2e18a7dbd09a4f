//! Listings from a CSV file, as pure functions (no I/O, no panics on any input), so the import page
//! (`web::import`) and a fuzzer call the same code.
//!
//! The format, documented on `/manage/import`:
//! - UTF-8 text (a byte-order mark is skipped), comma-separated; a file whose header row has
//!   semicolons and no commas (what Excel writes in Russian and Kyrgyz locales) is read with `;`.
//! - Row 1 names the columns ([`Column`]) in any order, case-insensitively; unknown, repeated
//!   and missing required columns are reported before any row is read.
//! - One listing per row, at most [`MAX_ROWS`]; rows whose cells are all empty are skipped. Quoted
//!   values may hold commas, quotes (doubled) and line breaks.
//! - Lists (`accommodations`, `languages`) are codes separated by `;` (`,` inside quotes works too).
//! - `building` holds the building's id or its exact name among the organization's buildings
//!   (`building_id` is accepted as the column's name too).
//! - One column per way to apply (`apply_phone`, `apply_sms`, `apply_whatsapp`, `apply_email`,
//!   `apply_in_person`): the value typed as on the form; empty cells are left out.
//!
//! Every row becomes a [`ListingInput`] and goes through [`ListingInput::parse`], the listing
//! form's own checks, so a row and the form accept exactly the same. Problems are named by the row
//! number a spreadsheet shows (the header is row 1; empty lines count) and the column's name.

use chrono::NaiveDate;
use teng_core::accessibility::{Labelled, Lang};
use teng_core::model::{
    Accommodation, ApplyChannel, EmploymentType, JobCategory, JobListing, Region, SalaryPeriod,
    WorkLanguage, WorkMode,
};
use uuid::Uuid;

use super::listing_input::{ListingInput, ListingLabels, ListingTarget};
use crate::storage::BuildingRecord;
use crate::texts;

/// The most listings one file may hold.
pub const MAX_ROWS: usize = 500;

/// One problem of a file: the spreadsheet row (1 = the header), the column's name (empty when the
/// problem is the whole row's or the file's) and what is wrong, worded in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// The columns of an import file, in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Title,
    Description,
    Category,
    EmploymentType,
    WorkMode,
    Building,
    City,
    Region,
    SalaryMin,
    SalaryMax,
    SalaryPeriod,
    Accommodations,
    Languages,
    ApplyPhone,
    ApplySms,
    ApplyWhatsApp,
    ApplyEmail,
    ApplyInPerson,
    ValidThrough,
}

impl Column {
    pub const ALL: [Column; 19] = [
        Column::Title,
        Column::Description,
        Column::Category,
        Column::EmploymentType,
        Column::WorkMode,
        Column::Building,
        Column::City,
        Column::Region,
        Column::SalaryMin,
        Column::SalaryMax,
        Column::SalaryPeriod,
        Column::Accommodations,
        Column::Languages,
        Column::ApplyPhone,
        Column::ApplySms,
        Column::ApplyWhatsApp,
        Column::ApplyEmail,
        Column::ApplyInPerson,
        Column::ValidThrough,
    ];

    /// The column's name in the header row.
    pub fn name(self) -> &'static str {
        match self {
            Column::Title => "title",
            Column::Description => "description",
            Column::Category => "category",
            Column::EmploymentType => "employment_type",
            Column::WorkMode => "work_mode",
            Column::Building => "building",
            Column::City => "city",
            Column::Region => "region",
            Column::SalaryMin => "salary_min",
            Column::SalaryMax => "salary_max",
            Column::SalaryPeriod => "salary_period",
            Column::Accommodations => "accommodations",
            Column::Languages => "languages",
            Column::ApplyPhone => "apply_phone",
            Column::ApplySms => "apply_sms",
            Column::ApplyWhatsApp => "apply_whatsapp",
            Column::ApplyEmail => "apply_email",
            Column::ApplyInPerson => "apply_in_person",
            Column::ValidThrough => "valid_through",
        }
    }

    /// A header cell's column: trimmed, any case; `building_id` names the building column too.
    pub fn from_header(cell: &str) -> Option<Column> {
        let name = cell.trim().to_lowercase();
        if name == "building_id" {
            return Some(Column::Building);
        }
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The header must have this column (each row must then fill it in).
    pub fn required(self) -> bool {
        matches!(
            self,
            Column::Title
                | Column::Category
                | Column::EmploymentType
                | Column::WorkMode
                | Column::Languages
        )
    }

    /// The way to apply an `apply_*` column holds.
    pub fn apply_channel(self) -> Option<ApplyChannel> {
        match self {
            Column::ApplyPhone => Some(ApplyChannel::Phone),
            Column::ApplySms => Some(ApplyChannel::Sms),
            Column::ApplyWhatsApp => Some(ApplyChannel::WhatsApp),
            Column::ApplyEmail => Some(ApplyChannel::Email),
            Column::ApplyInPerson => Some(ApplyChannel::InPerson),
            _ => None,
        }
    }

    /// The column holds several codes separated by `;`.
    pub fn is_list(self) -> bool {
        matches!(self, Column::Accommodations | Column::Languages)
    }

    /// The codes a column accepts with their labels in `lang` (empty for free-text columns).
    pub fn codes(self, lang: Lang) -> Vec<(&'static str, &'static str)> {
        fn all<T: Labelled>(
            items: &[T],
            code: fn(T) -> &'static str,
            lang: Lang,
        ) -> Vec<(&'static str, &'static str)> {
            items.iter().map(|&v| (code(v), v.label(lang))).collect()
        }
        match self {
            Column::Category => all(JobCategory::ALL, JobCategory::code, lang),
            Column::EmploymentType => all(EmploymentType::ALL, EmploymentType::code, lang),
            Column::WorkMode => all(WorkMode::ALL, WorkMode::code, lang),
            Column::Region => all(Region::ALL, Region::code, lang),
            Column::SalaryPeriod => all(SalaryPeriod::ALL, SalaryPeriod::code, lang),
            Column::Accommodations => all(Accommodation::ALL, Accommodation::code, lang),
            Column::Languages => all(WorkLanguage::ALL, WorkLanguage::code, lang),
            _ => Vec::new(),
        }
    }

    /// The input id `ListingInput::parse` reports this column's problems under (apply columns are
    /// mapped by position, see [`parse_csv`]).
    fn field_id(self) -> &'static str {
        match self {
            Column::Building => "building_id",
            other => other.name(),
        }
    }
}

texts! {
    /// How the import names a file's problems.
    pub struct CsvWords {
        not_utf8: [
            "Файл UTF-8 коддоосунда эмес. Excel'де «Башкача сактоо» → «CSV UTF-8 (үтүр менен бөлүнгөн)» түрүн тандап, файлды кайра сактаңыз.",
            "Файл не в кодировке UTF-8. В Excel выберите «Сохранить как» → «CSV UTF-8 (разделитель — запятая)» и сохраните файл заново.",
            "The file is not UTF-8 text. In Excel, choose Save As → “CSV UTF-8 (Comma delimited)” and save the file again.",
        ],
        empty_file: ["Файл бош.", "Файл пустой.", "The file is empty."],
        no_header: [
            "Биринчи сапта тилкелердин аттары болушу керек (title, category, …). Үлгү файлды жүктөп алып, ошондой кылыңыз.",
            "В первой строке должны быть названия столбцов (title, category, …). Скачайте образец файла и сделайте так же.",
            "The first row must name the columns (title, category, …). Download the template and do the same.",
        ],
        unknown_column: [
            "Мындай тилке жок. Аталышын текшериңиз: тилкелердин тизмеси ушул бетте.",
            "Неизвестный столбец. Проверьте написание: список столбцов — на этой странице.",
            "Unknown column. Check the spelling: the columns are listed on this page.",
        ],
        duplicate_column: [
            "Бул тилке эки жолу жазылган.",
            "Этот столбец указан дважды.",
            "This column appears twice.",
        ],
        missing_column: [
            "Бул милдеттүү тилке файлда жок.",
            "В файле нет этого обязательного столбца.",
            "This required column is missing.",
        ],
        missing_apply_column: [
            "Кайрылуу жолунун жок дегенде бир тилкеси керек: apply_phone, apply_sms, apply_whatsapp, apply_email же apply_in_person.",
            "Нужен хотя бы один столбец со способом отклика: apply_phone, apply_sms, apply_whatsapp, apply_email или apply_in_person.",
            "Add at least one column for a way to apply: apply_phone, apply_sms, apply_whatsapp, apply_email or apply_in_person.",
        ],
        unnamed_column: [
            "{n}-тилкенин аты жок. Ат жазыңыз же тилкени өчүрүңүз.",
            "У столбца {n} нет названия. Назовите его или удалите.",
            "Column {n} has no name. Name it or delete it.",
        ],
        no_rows: [
            "Баш саптан кийин бир да сап жок.",
            "После строки с названиями столбцов нет ни одной строки.",
            "There are no rows below the header row.",
        ],
        too_many_rows: [
            "Файлда {max} саптан ашык. Аны бир нече файлга бөлүңүз.",
            "В файле больше {max} строк. Разделите его на несколько файлов.",
            "The file has more than {max} rows. Split it into several files.",
        ],
        too_many_values: [
            "Бул сапта баш саптагы тилкелерден көп маани бар. Көбүнчө себеби — тырмакчага алынбаган үтүр.",
            "В этой строке больше значений, чем столбцов в заголовке. Обычно причина — запятая в значении без кавычек.",
            "This row has more values than the header has columns. Usually a value holds a comma but is not in quotes.",
        ],
        unknown_code: [
            "«{value}» бул тилкенин коду эмес. Коддор: {codes}",
            "«{value}» — не код этого столбца. Коды: {codes}",
            "“{value}” is not a code of this column. Codes: {codes}",
        ],
        missing_code: [
            "Коддордун бирин жазыңыз: {codes}",
            "Укажите один из кодов: {codes}",
            "Enter one of the codes: {codes}",
        ],
        region_needed: [
            "Имарат көрсөтүлбөсө, облустун кодун жазыңыз: {codes}",
            "Если здание не указано, укажите код области: {codes}",
            "Without a building, enter the region's code: {codes}",
        ],
        unknown_building: [
            "Бул уюмда id'си же аталышы «{value}» болгон имарат жок.",
            "У этой организации нет здания с id или названием «{value}».",
            "This organization has no building with the id or name “{value}”.",
        ],
        ambiguous_building: [
            "«{value}» деген аталыштагы имарат бирден көп. Имараттын id'син жазыңыз.",
            "Зданий с названием «{value}» несколько. Укажите id здания.",
            "More than one building is named “{value}”. Use the building's id.",
        ],
        no_apply: [
            "Кайрылуунун жок дегенде бир жолун жазыңыз (apply_ менен башталган тилкелердин биринде).",
            "Укажите хотя бы один способ отклика (в одном из столбцов apply_…).",
            "Give at least one way to apply (in one of the apply_ columns).",
        ],
    }
}

/// Skips a UTF-8 byte-order mark.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// `,`, or `;` when the header row has semicolons and no commas (Excel in ru/ky locales).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if !first.contains(',') && first.contains(';') {
        b';'
    } else {
        b','
    }
}

/// How many empty lines the csv reader skipped before a record starting at byte `start` (it
/// starts reading right after the previous record, possibly between a `\r` and its `\n`).
fn empty_lines_at(text: &[u8], start: usize) -> usize {
    let mut i = start;
    if i > 0 && text.get(i - 1) == Some(&b'\r') && text.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut count = 0;
    loop {
        match (text.get(i), text.get(i + 1)) {
            (Some(b'\r'), Some(b'\n')) => i += 2,
            (Some(b'\r' | b'\n'), _) => i += 1,
            _ => return count,
        }
        count += 1;
    }
}

/// At most 40 characters of a value, for a message.
fn shown(value: &str) -> String {
    let value = value.trim();
    let mut out: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The listing of every row, or every problem found (header problems stop before the rows).
///
/// `target_for_row(row)` gives what a row's listing needs besides its cells: a new id, the
/// organization, its buildings (a row may only name one of these), the time and the status.
pub fn parse_csv<'a>(
    bytes: &[u8],
    lang: Lang,
    target_for_row: impl Fn(usize) -> ListingTarget<'a>,
) -> Result<Vec<JobListing>, Vec<RowProblem>> {
    let w = CsvWords::get(lang);
    let problem = |row: usize, column: &str, message: String| RowProblem {
        row,
        column: column.to_string(),
        message,
    };
    let bytes = strip_bom(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(vec![problem(line, "", w.not_utf8.into())]);
        }
    };
    if text.trim().is_empty() {
        return Err(vec![problem(1, "", w.empty_file.into())]);
    }

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    // Spreadsheet rows: the csv reader skips empty lines, a spreadsheet shows them as rows.
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut row = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record.position().map(|p| p.byte()).unwrap_or(0);
                row += 1 + empty_lines_at(text.as_bytes(), start as usize);
                // Rows of empty cells are skipped (the header is always the first row).
                if rows.is_empty() || record.iter().any(|cell| !cell.trim().is_empty()) {
                    rows.push((row, record.clone()));
                }
                if rows.len() > MAX_ROWS + 1 {
                    break;
                }
            }
            Ok(false) => break,
            // Text is valid UTF-8 and records may be of any length: nothing else is expected.
            Err(_) => return Err(vec![problem(row + 1, "", w.not_utf8.into())]),
        }
    }
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(vec![problem(1, "", w.empty_file.into())]);
    };
    let columns = read_header(&header, w)?;
    let data: Vec<(usize, csv::StringRecord)> = rows.collect();
    if data.is_empty() {
        return Err(vec![problem(2, "", w.no_rows.into())]);
    }
    if data.len() > MAX_ROWS {
        let row = data[MAX_ROWS].0;
        return Err(vec![problem(
            row,
            "",
            w.too_many_rows.replace("{max}", &MAX_ROWS.to_string()),
        )]);
    }

    let mut problems = Vec::new();
    let mut listings = Vec::with_capacity(data.len());
    for (row, record) in &data {
        match parse_row(lang, &columns, record, &target_for_row(*row)) {
            Ok(listing) => listings.push(listing),
            Err(messages) => problems.extend(
                messages
                    .into_iter()
                    .map(|(column, message)| problem(*row, &column, message)),
            ),
        }
    }
    if problems.is_empty() {
        Ok(listings)
    } else {
        Err(problems)
    }
}

/// The column of each header cell (`None`: an empty trailing cell, ignored).
fn read_header(
    header: &csv::StringRecord,
    w: &CsvWords,
) -> Result<Vec<Option<Column>>, Vec<RowProblem>> {
    let problem = |column: &str, message: String| RowProblem {
        row: 1,
        column: column.to_string(),
        message,
    };
    let cells: Vec<&str> = header.iter().map(str::trim).collect();
    let last_named = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
    let columns: Vec<Option<Column>> = cells.iter().map(|c| Column::from_header(c)).collect();
    if columns.iter().all(Option::is_none) {
        return Err(vec![problem("", w.no_header.into())]);
    }
    let mut problems = Vec::new();
    for (i, (cell, column)) in cells.iter().zip(&columns).enumerate() {
        if column.is_some() {
            if columns[..i].contains(column) {
                problems.push(problem(cell, w.duplicate_column.into()));
            }
        } else if cell.is_empty() {
            if i < last_named {
                problems.push(problem(
                    "",
                    w.unnamed_column.replace("{n}", &(i + 1).to_string()),
                ));
            }
        } else {
            problems.push(problem(&shown(cell), w.unknown_column.into()));
        }
    }
    for c in Column::ALL {
        if c.required() && !columns.contains(&Some(c)) {
            problems.push(problem(c.name(), w.missing_column.into()));
        }
    }
    if !columns
        .iter()
        .any(|c| c.is_some_and(|c| c.apply_channel().is_some()))
    {
        problems.push(problem("apply_…", w.missing_apply_column.into()));
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// A list cell's codes: separated by `;` or `,`, trimmed, lower-case, empty items dropped.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split([';', ','])
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What a building cell names among the organization's buildings.
enum BuildingRef {
    None,
    Found(Uuid),
    Missing,
    Ambiguous,
}

fn find_building(cell: &str, buildings: &[BuildingRecord]) -> BuildingRef {
    let cell = cell.trim();
    if cell.is_empty() {
        return BuildingRef::None;
    }
    if let Ok(id) = Uuid::parse_str(cell) {
        return if buildings.iter().any(|b| b.building.id == id) {
            BuildingRef::Found(id)
        } else {
            BuildingRef::Missing
        };
    }
    let wanted = cell.to_lowercase();
    let mut named = buildings
        .iter()
        .filter(|b| b.building.name.trim().to_lowercase() == wanted);
    match (named.next(), named.next()) {
        (Some(b), None) => BuildingRef::Found(b.building.id),
        (Some(_), Some(_)) => BuildingRef::Ambiguous,
        (None, _) => BuildingRef::Missing,
    }
}

/// One data row: its listing, or (column name, message) for each problem.
fn parse_row(
    lang: Lang,
    columns: &[Option<Column>],
    record: &csv::StringRecord,
    target: &ListingTarget<'_>,
) -> Result<JobListing, Vec<(String, String)>> {
    let w = CsvWords::get(lang);
    let mut problems: Vec<(String, String)> = Vec::new();
    if record.len() > columns.len()
        && record
            .iter()
            .skip(columns.len())
            .any(|c| !c.trim().is_empty())
    {
        problems.push((String::new(), w.too_many_values.into()));
    }
    let cell = |column: Column| -> &str {
        columns
            .iter()
            .position(|c| *c == Some(column))
            .and_then(|i| record.get(i))
            .unwrap_or("")
    };
    let code = |column: Column| cell(column).trim().to_lowercase();

    let building = find_building(cell(Column::Building), target.buildings);
    // The apply columns present, in the template's order: row i of the input is column i here.
    let apply_columns: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| c.apply_channel().is_some() && columns.contains(&Some(*c)))
        .collect();
    let input = ListingInput {
        title: cell(Column::Title).to_string(),
        description: cell(Column::Description).to_string(),
        category: code(Column::Category),
        employment_type: code(Column::EmploymentType),
        work_mode: code(Column::WorkMode),
        building_id: match building {
            BuildingRef::Found(id) => id.to_string(),
            _ => cell(Column::Building).trim().to_string(),
        },
        city: cell(Column::City).to_string(),
        region: code(Column::Region),
        salary_min: cell(Column::SalaryMin).to_string(),
        salary_max: cell(Column::SalaryMax).to_string(),
        salary_period: code(Column::SalaryPeriod),
        accommodations: split_list(cell(Column::Accommodations)),
        languages: split_list(cell(Column::Languages)),
        apply_channel: apply_columns
            .iter()
            .filter_map(|c| c.apply_channel())
            .map(|ch| ch.code().to_string())
            .collect(),
        apply_value: apply_columns.iter().map(|c| cell(*c).to_string()).collect(),
        valid_through: cell(Column::ValidThrough).to_string(),
    };
    let errors = match input.parse(lang, target) {
        Ok(listing) if problems.is_empty() => return Ok(listing),
        Ok(_) => return Err(problems),
        Err(errors) => errors,
    };
    let labels = ListingLabels::get(lang);
    let codes_of = |column: Column| {
        column
            .codes(lang)
            .iter()
            .map(|(code, _)| *code)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for e in errors.all() {
        let column = if let Some(n) =
            e.id.strip_prefix("apply_value_")
                .or_else(|| e.id.strip_prefix("apply_channel_"))
        {
            let index = n.parse::<usize>().unwrap_or(1).saturating_sub(1);
            match apply_columns.get(index) {
                Some(c) if !cell(*c).trim().is_empty() => Some(*c),
                _ => {
                    // Nothing given in any apply column.
                    let names: Vec<&str> = apply_columns.iter().map(|c| c.name()).collect();
                    problems.push((names.join(" / "), w.no_apply.into()));
                    continue;
                }
            }
        } else {
            Column::ALL.into_iter().find(|c| c.field_id() == e.id)
        };
        let Some(column) = column else {
            problems.push((String::new(), e.message.clone()));
            continue;
        };
        let message = if e
            .message
            .ends_with(&super::listing_input::choice_suffix(labels))
        {
            // The form says "choose one of the options"; a file needs the codes.
            let value = if column.is_list() {
                let known: Vec<(&str, &str)> = column.codes(lang);
                split_list(cell(column))
                    .into_iter()
                    .find(|item| !known.iter().any(|(code, _)| code == item))
                    .unwrap_or_default()
            } else {
                code(column)
            };
            if !value.is_empty() {
                w.unknown_code
                    .replace("{value}", &shown(&value))
                    .replace("{codes}", &codes_of(column))
            } else if column == Column::Region {
                w.region_needed.replace("{codes}", &codes_of(column))
            } else {
                w.missing_code.replace("{codes}", &codes_of(column))
            }
        } else if column == Column::Building && e.message == labels.unknown_building {
            let template = match building {
                BuildingRef::Ambiguous => w.ambiguous_building,
                _ => w.unknown_building,
            };
            template.replace("{value}", &shown(cell(Column::Building)))
        } else {
            e.message.clone()
        };
        problems.push((column.name().to_string(), message));
    }
    Err(problems)
}

/// A CSV file with the header row and example rows that import cleanly into an organization: a
/// remote job, and an on-site job in `building` when the organization has one. Starts with a
/// byte-order mark, so Excel opens the Cyrillic text as UTF-8.
pub fn template_csv(lang: Lang, building: Option<&BuildingRecord>, today: NaiveDate) -> String {
    let closing = (today + chrono::Duration::days(60))
        .format("%Y-%m-%d")
        .to_string();
    let (city, remote_title, remote_description, onsite_title, onsite_description) = match lang {
        Lang::Kyrgyz => (
            "Бишкек",
            "Колл-борбордун оператору (алыстан)",
            "Үйдөн чалууларга жооп берүү. Гарнитура жана окутуу берилет.\nПрограмма экран окугуч менен иштейт.",
            "Бухгалтер",
            "Биринчи кабат, пандус бар. Иш убактысы ийкемдүү.",
        ),
        Lang::Russian => (
            "Бишкек",
            "Оператор колл-центра (удалённо)",
            "Ответы на звонки из дома. Гарнитура и обучение предоставляются.\nПрограмма работает с экранным диктором.",
            "Бухгалтер",
            "Первый этаж, есть пандус. Гибкий график.",
        ),
        Lang::English => (
            "Bishkek",
            "Call-centre operator (remote)",
            "Answering calls from home. A headset and training are provided.\nThe software works with screen readers.",
            "Accountant",
            "Ground floor, with a ramp. Flexible hours.",
        ),
    };
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    let row = |values: &[(Column, &str)]| -> Vec<String> {
        Column::ALL
            .iter()
            .map(|column| {
                values
                    .iter()
                    .find(|(c, _)| c == column)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from(&b"\xEF\xBB\xBF"[..]));
    let _ = out.write_record(&header);
    let _ = out.write_record(row(&[
        (Column::Title, remote_title),
        (Column::Description, remote_description),
        (Column::Category, "customer_service"),
        (Column::EmploymentType, "part_time"),
        (Column::WorkMode, "remote"),
        (Column::City, city),
        (Column::Region, "bishkek"),
        (Column::SalaryMin, "18000"),
        (Column::SalaryMax, "25000"),
        (Column::SalaryPeriod, "month"),
        (
            Column::Accommodations,
            "flexible_hours;assistive_technology",
        ),
        (Column::Languages, "ky;ru"),
        (Column::ApplyPhone, "+996 555 123 456"),
        (Column::ApplyEmail, "jobs@example.kg"),
        (Column::ValidThrough, &closing),
    ]));
    if let Some(b) = building {
        let id = b.building.id.to_string();
        let place = format!("{}, {}", b.building.address.street, b.building.address.city);
        let _ = out.write_record(row(&[
            (Column::Title, onsite_title),
            (Column::Description, onsite_description),
            (Column::Category, "accounting"),
            (Column::EmploymentType, "full_time"),
            (Column::WorkMode, "on_site"),
            (Column::Building, &id),
            (Column::SalaryMin, "30000"),
            (Column::SalaryPeriod, "month"),
            (
                Column::Accommodations,
                "adapted_workstation, flexible_hours",
            ),
            (Column::Languages, "ky; ru"),
            (Column::ApplyWhatsApp, "+996 700 123 456"),
            (Column::ApplyInPerson, &place),
        ]));
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use teng_core::model::{Address, Building, GeoPoint, ListingStatus};

    fn building(name: &str) -> BuildingRecord {
        BuildingRecord {
            building: Building {
                id: Uuid::now_v7(),
                name: name.into(),
                address: Address {
                    street: "Чүй проспекти 120".into(),
                    city: "Бишкек".into(),
                    district: None,
                    region: Region::Bishkek,
                },
                location: GeoPoint::new(42.87, 74.59),
                osm_id: None,
            },
            organization_id: None,
            version: 1,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-03-01T10:00:00Z".parse().unwrap()
    }

    fn parse(
        text: &[u8],
        buildings: &[BuildingRecord],
    ) -> Result<Vec<JobListing>, Vec<RowProblem>> {
        let org = Uuid::now_v7();
        parse_csv(text, Lang::English, |_| ListingTarget {
            id: Uuid::now_v7(),
            organization_id: org,
            buildings,
            posted_at: now(),
            status: ListingStatus::Draft,
            version: 0,
        })
    }

    const HEADER: &str = "title,category,employment_type,work_mode,building,city,region,languages,apply_phone,apply_email";

    fn problems(text: &str, buildings: &[BuildingRecord]) -> Vec<(usize, String)> {
        parse(text.as_bytes(), buildings)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.row, p.column))
            .collect()
    }

    #[test]
    fn quoted_values_keep_commas_quotes_and_line_breaks() {
        let b = [building("Office")];
        let text = format!(
            "{HEADER},description\n\
             \"Accountant, senior\",accounting,full_time,on_site,{},,,ky;ru,+996 555 123 456,,\"Line one, with a comma\nline \"\"two\"\"\"\n",
            b[0].building.id
        );
        let listings = parse(text.as_bytes(), &b).unwrap();
        assert_eq!(listings.len(), 1);
        assert_eq!(listings[0].title, "Accountant, senior");
        assert_eq!(
            listings[0].description,
            "Line one, with a comma\nline \"two\""
        );
        assert_eq!(listings[0].building_id, Some(b[0].building.id));
        assert_eq!(listings[0].city, "Бишкек", "the building's city");
    }

    #[test]
    fn a_bom_cyrillic_text_and_semicolon_lists_are_read() {
        let b = [building("Ак-Жол кеңсеси")];
        let text = format!(
            "\u{feff}{HEADER},accommodations\r\nБухгалтер,accounting,full_time,hybrid,ак-жол кеңсеси,,,ky; RU,,ish@example.kg,\"flexible_hours;quiet_workspace, assistive_technology\"\r\n"
        );
        let listings = parse(text.as_bytes(), &b).unwrap();
        let l = &listings[0];
        assert_eq!(l.title, "Бухгалтер");
        assert_eq!(
            l.building_id,
            Some(b[0].building.id),
            "found by its name, any case"
        );
        assert_eq!(l.languages, [WorkLanguage::Kyrgyz, WorkLanguage::Russian]);
        assert_eq!(l.accommodations.len(), 3);
        assert_eq!(l.apply_via.len(), 1);
        assert_eq!(l.apply_via[0].channel, ApplyChannel::Email);
    }

    #[test]
    fn a_file_excel_saved_with_semicolons_is_read_too() {
        let text = "title;category;employment_type;work_mode;city;region;languages;apply_sms\n\
                    Оператор;customer_service;part_time;remote;Ош;osh_city;\"ky;ru\";0555 123 456\n";
        let listings = parse(text.as_bytes(), &[]).unwrap();
        assert_eq!(listings[0].region, Region::OshCity);
        assert_eq!(listings[0].languages.len(), 2);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = format!(
            "{HEADER},description\n\
             A,accounting,full_time,remote,,Ош,osh_city,ky,+996 555 123 456,,\"two\nlines\"\n\
             \n\
             ,,,,,,,,\n\
             B,accounting,forever,remote,,Ош,osh_city,ky,+996 555 123 456,,\n"
        );
        // Row 2 spans two lines, row 3 is an empty line, row 4 is all empty cells: B is row 5.
        assert_eq!(problems(&text, &[]), [(5, "employment_type".to_string())]);
    }

    #[test]
    fn every_bad_row_and_column_is_named_with_the_codes() {
        let text = format!(
            "{HEADER}\n\
             Good,accounting,full_time,remote,,Ош,osh_city,ky,+996 555 123 456,\n\
             Bad,acounting,full_time,remote,,Ош,osh_city,ky;xx,not a phone,\n\
             ,it,full_time,on_site,,Ош,osh_city,ky,,\n"
        );
        let all = parse(text.as_bytes(), &[]).unwrap_err();
        let found: Vec<(usize, &str)> = all.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, "category"),
                (3, "languages"),
                (3, "apply_phone"),
                (4, "title"),
                (4, "apply_phone / apply_email"),
                (4, "building"),
            ]
        );
        assert!(all[0].message.contains("“acounting”"), "{}", all[0].message);
        assert!(
            all[0].message.contains("accounting, administration"),
            "{}",
            all[0].message
        );
        assert!(all[1].message.contains("“xx”"), "{}", all[1].message);
    }

    #[test]
    fn header_problems_are_reported_before_any_row() {
        let text = "title,categroy,title,work_mode\nA,b,c,d\n";
        let found = problems(text, &[]);
        assert_eq!(
            found,
            [
                (1, "categroy".to_string()),
                (1, "title".to_string()),
                (1, "category".to_string()),
                (1, "employment_type".to_string()),
                (1, "languages".to_string()),
                (1, "apply_…".to_string()),
            ]
        );
        let no_header = parse("Accountant,accounting,full_time\n".as_bytes(), &[]).unwrap_err();
        assert_eq!(no_header.len(), 1);
        assert!(no_header[0]
            .message
            .starts_with("The first row must name the columns"));
        let only_header = parse(format!("{HEADER}\n").as_bytes(), &[]).unwrap_err();
        assert_eq!(only_header[0].message, CsvWords::get(Lang::English).no_rows);
        let empty = parse(b"\xEF\xBB\xBF \r\n", &[]).unwrap_err();
        assert_eq!(empty[0].message, "The file is empty.");
    }

    #[test]
    fn a_file_that_is_not_utf8_says_how_to_save_it() {
        // "Бухгалтер" in Windows-1251, as Excel saves "CSV (comma delimited)" in Cyrillic locales.
        let mut bytes = format!("{HEADER}\n").into_bytes();
        bytes.extend_from_slice(&[0xC1, 0xF3, 0xF5, 0xE3, 0xE0, 0xEB, 0xF2, 0xE5, 0xF0]);
        bytes.extend_from_slice(
            b",accounting,full_time,remote,,Osh,osh_city,ky,+996 555 123 456,\n",
        );
        let problems = parse(&bytes, &[]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, 2);
        assert!(problems[0].message.contains("UTF-8"));
    }

    #[test]
    fn buildings_are_named_by_id_or_unique_name_of_the_organization() {
        let mine = [building("Office"), building("Office"), building("Workshop")];
        let other = building("Elsewhere");
        let row =
            |b: &str| format!("{HEADER}\nA,crafts,full_time,on_site,{b},,,ky,+996 555 123 456,\n");
        assert!(parse(row("workshop").as_bytes(), &mine).is_ok());
        let ambiguous = parse(row("Office").as_bytes(), &mine).unwrap_err();
        assert_eq!(ambiguous[0].column, "building");
        assert!(
            ambiguous[0].message.contains("More than one"),
            "{}",
            ambiguous[0].message
        );
        let foreign = parse(row(&other.building.id.to_string()).as_bytes(), &mine).unwrap_err();
        assert_eq!(foreign[0].column, "building");
        assert!(foreign[0]
            .message
            .starts_with("This organization has no building"));
    }

    #[test]
    fn control_characters_and_extra_values_are_refused() {
        let text = format!(
            "{HEADER}\nA\u{7}B,crafts,full_time,remote,,Ош,osh_city,ky,+996 555 123 456,\n\
             C,crafts,full_time,remote,,Ош,osh_city,ky,+996 555 123 456,,surplus\n"
        );
        assert_eq!(
            problems(&text, &[]),
            [(2, "title".to_string()), (3, String::new())]
        );
    }

    #[test]
    fn at_most_max_rows_are_taken() {
        let mut text = format!("{HEADER}\n");
        for _ in 0..=MAX_ROWS {
            text.push_str("A,crafts,full_time,remote,,Ош,osh_city,ky,+996 555 123 456,\n");
        }
        let p = parse(text.as_bytes(), &[]).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].row, MAX_ROWS + 2);
        assert!(p[0].message.contains(&MAX_ROWS.to_string()));

        // Rows of empty cells (spreadsheets write them) do not count, and never hide later rows.
        let mut text = format!("{HEADER}\n");
        for _ in 0..MAX_ROWS {
            text.push_str(",,,,,,,,,\n");
        }
        for _ in 0..MAX_ROWS {
            text.push_str("A,crafts,full_time,remote,,Ош,osh_city,ky,+996 555 123 456,\n");
        }
        text.push_str("B,crafts,full_time,remote,,Ош,osh_city,ky,not a phone,\n");
        let p = parse(text.as_bytes(), &[]).unwrap_err();
        assert_eq!((p[0].row, p[0].column.as_str()), (2 * MAX_ROWS + 2, ""));
        text.truncate(text.rfind("B,").unwrap());
        assert_eq!(parse(text.as_bytes(), &[]).unwrap().len(), MAX_ROWS);
    }

    #[test]
    fn the_template_imports_cleanly_in_every_language() {
        let b = [building("Office")];
        for lang in Lang::ALL {
            let text = template_csv(*lang, Some(&b[0]), now().date_naive());
            assert!(text.starts_with('\u{feff}'));
            let listings = parse(text.as_bytes(), &b).unwrap();
            assert_eq!(listings.len(), 2, "{lang:?}");
            assert_eq!(listings[1].building_id, Some(b[0].building.id));
            let without = template_csv(*lang, None, now().date_naive());
            assert_eq!(parse(without.as_bytes(), &[]).unwrap().len(), 1);
        }
    }

    #[test]
    fn any_bytes_give_an_answer_not_a_panic() {
        for text in [
            &b"\""[..],
            b",,,,\n,,,",
            b"title\n\"unterminated",
            b"\xFF\xFE t\x00i\x00",
            b"\r\r\r",
            b";",
            b"title,title,title\n",
        ] {
            let _ = parse(text, &[]);
        }
    }
}

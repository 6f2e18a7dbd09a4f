//! The CLI's own words (headings, messages, units) in Kyrgyz, Russian and English, side by side as
//! `[ky, ru, en]`, so a missing translation is a compile error and the three are reviewed together.
//!
//! Only what the CLI itself says lives here. Accessibility sentences and labels come from
//! `teng_core::accessibility` in the chosen language; labels of the job model's codes (categories,
//! regions, ...) are in `labels.rs`. Messages prefer the "label: value" form, which reads well with
//! a screen reader and needs no grammatical agreement with the number that follows. `{}` marks
//! where [`fill`] puts values, in order.

use teng_core::accessibility::words::russian_plural;
use teng_core::accessibility::Lang;

/// One text in `[Kyrgyz, Russian, English]`.
pub type Trio = [&'static str; 3];

pub fn tr(lang: Lang, t: Trio) -> &'static str {
    match lang {
        Lang::Kyrgyz => t[0],
        Lang::Russian => t[1],
        Lang::English => t[2],
    }
}

/// `template` with each `{}` replaced by the next value.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(values.next().copied().unwrap_or(""));
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// `tr` then `fill`.
pub fn say(lang: Lang, t: Trio, values: &[&str]) -> String {
    fill(tr(lang, t), values)
}

// ---- shared -------------------------------------------------------------------------------------

pub const ERROR: Trio = ["ката", "ошибка", "error"];
pub const YES: Trio = ["ооба", "да", "yes"];
pub const NO: Trio = ["жок", "нет", "no"];
pub const NEVER: Trio = ["эч качан", "никогда", "never"];
pub const NONE: Trio = ["жок", "нет", "none"];
pub const NOT_STATED: Trio = ["көрсөтүлгөн эмес", "не указана", "not stated"];
pub const NOT_SENT: Trio = [
    "азырынча жөнөтүлгөн жок",
    "ещё не отправлено",
    "not sent yet",
];
pub const CLOSED_OR_GONE: Trio = [
    "жабылган же өчүрүлгөн",
    "закрыта или удалена",
    "closed or gone",
];
pub const NO_DATABASE: Trio = [
    "{} дарегинде Teng базасы азырынча жок. Адегенде `teng sync` аткарыңыз (же --db менен башка файлды көрсөтүңүз).",
    "Базы Teng по пути {} пока нет. Сначала выполните `teng sync` (или укажите другой файл через --db).",
    "There is no Teng database at {} yet. Run `teng sync` first (or point --db at another file).",
];
pub const TOKEN_FILE_UNREADABLE: Trio = [
    "--token-file: {} окулбай калды: {}",
    "--token-file: не удалось прочитать {}: {}",
    "--token-file: cannot read {}: {}",
];
pub const TOKEN_FILE_EMPTY: Trio = [
    "--token-file: {} бош; ага токенди жазыңыз",
    "--token-file: файл {} пуст; запишите в него токен",
    "--token-file: {} is empty; put the token in it",
];
pub const TOKEN_FILE_TOO_LONG: Trio = [
    "--token-file: {} токен үчүн өтө чоң (4 КБ ашык); туура файлбы?",
    "--token-file: {} слишком велик для токена (больше 4 КБ); тот ли это файл?",
    "--token-file: {} is too large for a token (over 4 KB); is it the right file?",
];
pub const TOKEN_ENV_NOT_TEXT: Trio = [
    "TENG_TOKEN: токен текст эмес (UTF-8 эмес)",
    "TENG_TOKEN: токен не текст (не UTF-8)",
    "TENG_TOKEN: the token is not text (not UTF-8)",
];
pub const DB_NOT_PRIVATE: Trio = [
    "Эскертүү: {} файлын сиз гана окуй тургандай кылуу мүмкүн болгон жок ({}); анда бул түзмөктүн кирүү токени сакталат.",
    "Предупреждение: не удалось сделать файл {} доступным только вам ({}); в нём хранится токен входа этого устройства.",
    "Warning: could not make {} readable by you only ({}); it holds this device's sign-in token.",
];
pub const NO_LISTING: Trio = [
    "Бул түзмөктө {} коду менен жумуш жок. Коддорду `teng search` көрсөтөт; жаңыларын алуу үчүн `teng sync` аткарыңыз.",
    "На этом устройстве нет вакансии с кодом {}. Коды показывает `teng search`; новые вакансии приходят через `teng sync`.",
    "There is no job with id {} on this device. `teng search` shows job ids; `teng sync` brings new jobs.",
];
pub const NO_BUILDING: Trio = [
    "Бул түзмөктө {} коду менен имарат жок. Имараттын кодун `teng show <жумуштун коду>` көрсөтөт.",
    "На этом устройстве нет здания с кодом {}. Код здания показывает `teng show <код вакансии>`.",
    "There is no building with id {} on this device. `teng show <job id>` shows a job's building id.",
];
pub const KEPT_FOR_NEXT_SYNC: Trio = [
    "Ал кийинки синхрондоодо жөнөтүлөт.",
    "Это будет отправлено при следующей синхронизации.",
    "It will be sent on the next sync.",
];
pub const PENDING_ACTIONS: Trio = [
    "Жөнөтүлө элек аракеттер: {}",
    "Действия, ещё не отправленные: {}",
    "Actions not sent yet: {}",
];
pub const ID: Trio = ["код", "код", "id"];
pub const NOTE: Trio = ["эскертме", "заметка", "note"];

// ---- time ---------------------------------------------------------------------------------------

pub const JUST_NOW: Trio = ["азыр эле", "только что", "just now"];

/// "5 minutes ago", "3 hours ago", "2 days ago" (future times, from a drifting clock, are "just now").
pub fn ago(lang: Lang, seconds: i64) -> String {
    let minutes = seconds / 60;
    let hours = minutes / 60;
    let days = hours / 24;
    if minutes < 1 {
        return tr(lang, JUST_NOW).to_string();
    }
    let (n, unit) = if hours < 1 {
        (minutes, Unit::Minute)
    } else if days < 2 {
        (hours, Unit::Hour)
    } else {
        (days, Unit::Day)
    };
    match lang {
        Lang::Kyrgyz => {
            let word = match unit {
                Unit::Minute => "мүнөт",
                Unit::Hour => "саат",
                Unit::Day => "күн",
            };
            format!("{n} {word} мурун")
        }
        Lang::Russian => {
            let word = match unit {
                Unit::Minute => russian_plural(n, "минуту", "минуты", "минут"),
                Unit::Hour => russian_plural(n, "час", "часа", "часов"),
                Unit::Day => russian_plural(n, "день", "дня", "дней"),
            };
            format!("{n} {word} назад")
        }
        Lang::English => {
            let word = match unit {
                Unit::Minute => "minute",
                Unit::Hour => "hour",
                Unit::Day => "day",
            };
            let s = if n == 1 { "" } else { "s" };
            format!("{n} {word}{s} ago")
        }
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Minute,
    Hour,
    Day,
}

// ---- numbers and units --------------------------------------------------------------------------

/// Digits grouped by thousands: "30,000" in English, "30 000" in Kyrgyz and Russian.
pub fn number(lang: Lang, n: u64) -> String {
    let sep = match lang {
        Lang::English => ',',
        Lang::Kyrgyz | Lang::Russian => ' ',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// One decimal, with the language's decimal mark: "2.3" or "2,3".
pub fn decimal(lang: Lang, x: f64) -> String {
    let text = format!("{x:.1}");
    match lang {
        Lang::English => text,
        Lang::Kyrgyz | Lang::Russian => text.replace('.', ","),
    }
}

/// "2.3 kilometres", "2,3 километра", "2,3 километр": units spelled out for screen readers.
pub fn kilometres(lang: Lang, km: f64) -> String {
    let n = decimal(lang, km);
    match lang {
        Lang::Kyrgyz => format!("{n} километр"),
        // A fraction takes the genitive singular.
        Lang::Russian => format!("{n} километра"),
        Lang::English => format!("{n} kilometres"),
    }
}

/// "12,345 bytes", "about 45 kilobytes", "about 1.2 megabytes".
pub fn bytes(lang: Lang, n: u64) -> String {
    if n < 10_000 {
        let word = match lang {
            Lang::Kyrgyz => "байт",
            Lang::Russian => russian_plural(n as i64, "байт", "байта", "байт"),
            Lang::English if n == 1 => "byte",
            Lang::English => "bytes",
        };
        return format!("{} {word}", number(lang, n));
    }
    let about = match lang {
        Lang::Kyrgyz => "болжол менен",
        Lang::Russian => "около",
        Lang::English => "about",
    };
    if n < 1_000_000 {
        let k = (n as f64 / 1_000.0).round() as u64;
        let word = match lang {
            Lang::Kyrgyz => "килобайт",
            Lang::Russian => russian_plural(k as i64, "килобайт", "килобайта", "килобайт"),
            Lang::English => "kilobytes",
        };
        return format!("{about} {} {word}", number(lang, k));
    }
    let tenths = (n as f64 / 100_000.0).round() as u64;
    let (shown, whole) = if tenths.is_multiple_of(10) {
        (number(lang, tenths / 10), Some(tenths / 10))
    } else {
        (decimal(lang, tenths as f64 / 10.0), None)
    };
    let word = match (lang, whole) {
        (Lang::Kyrgyz, _) => "мегабайт",
        (Lang::Russian, Some(m)) => russian_plural(m as i64, "мегабайт", "мегабайта", "мегабайт"),
        // A fraction takes the genitive singular.
        (Lang::Russian, None) => "мегабайта",
        (Lang::English, Some(1)) => "megabyte",
        (Lang::English, _) => "megabytes",
    };
    format!("{about} {shown} {word}")
}

// ---- search -------------------------------------------------------------------------------------

pub const JOBS_FOUND: Trio = [
    "Табылган жумуштар: {}.",
    "Найдено вакансий: {}.",
    "Jobs found: {}.",
];
pub const ON_THIS_PAGE: Trio = [
    "Бул бетте: {}.",
    "На этой странице: {}.",
    "On this page: {}.",
];
pub const NEXT_PAGE: Trio = [
    "Кийинки бет үчүн ошол эле буйрукка кошуңуз: --page {}",
    "Для следующей страницы добавьте к той же команде: --page {}",
    "For the next page, add to the same command: --page {}",
];
pub const LAST_PAGE: Trio = [
    "Бул акыркы бет.",
    "Это последняя страница.",
    "This is the last page.",
];
pub const NO_JOBS_ON_DEVICE: Trio = [
    "Бул түзмөктө азырынча жумуш жок. Аларды алуу үчүн `teng sync` аткарыңыз.",
    "На этом устройстве пока нет вакансий. Выполните `teng sync`, чтобы их получить.",
    "There are no jobs on this device yet. Run `teng sync` to get them.",
];
pub const NO_MATCH: Trio = [
    "Ылайыктуу жумуш табылган жок. Азыраак сөз же чыпка колдонуп көрүңүз.",
    "Подходящих вакансий нет. Попробуйте меньше слов или фильтров.",
    "No jobs match. Try fewer words or filters.",
];
pub const COL_TITLE: Trio = ["кызмат орду", "должность", "title"];
pub const COL_ORGANIZATION: Trio = ["уюм", "организация", "organization"];
pub const COL_CITY: Trio = ["шаар", "город", "city"];
pub const COL_DISTANCE: Trio = ["аралык", "расстояние", "distance"];
pub const COL_SALARY: Trio = ["айлык акы", "зарплата", "salary"];
pub const COL_ACCESS: Trio = [
    "имараттын жеткиликтүүлүгү",
    "доступность здания",
    "building access",
];
pub const NO_BUILDING_REMOTE: Trio = [
    "имарат жок, аралыктан иш",
    "без здания, удалённая работа",
    "no building, remote work",
];
pub const NO_REPORTS_YET: Trio = [
    "азырынча эч ким билдирген жок",
    "пока никто не сообщил",
    "nobody has reported yet",
];
pub const SORT_DISTANCE_NEEDS_NEAR: Trio = [
    "--sort distance үчүн --near <кеңдик,узундук> керек",
    "для --sort distance нужен --near <широта,долгота>",
    "--sort distance needs --near <lat,lon>",
];

// ---- salary -------------------------------------------------------------------------------------

pub const SALARY_RANGE: Trio = [
    "{} сомдон {} сомго чейин, {}",
    "от {} до {} сом {}",
    "{} to {} som {}",
];
pub const SALARY_FROM: Trio = ["{} сомдон баштап, {}", "от {} сом {}", "from {} som {}"];
pub const SALARY_UP_TO: Trio = ["{} сомго чейин, {}", "до {} сом {}", "up to {} som {}"];
pub const SALARY_EXACT: Trio = ["{} сом, {}", "{} сом {}", "{} som {}"];

// ---- show ---------------------------------------------------------------------------------------

pub const ORGANIZATION: Trio = ["Уюм", "Организация", "Organization"];
pub const VERIFIED: Trio = ["текшерилген", "проверена", "verified"];
pub const NOT_VERIFIED: Trio = ["текшериле элек", "не проверена", "not verified"];
pub const CATEGORY: Trio = ["Тармак", "Сфера", "Category"];
pub const EMPLOYMENT: Trio = ["Иштин түрү", "Занятость", "Employment"];
pub const WORK_MODE: Trio = ["Иштөө тартиби", "Формат работы", "Work mode"];
pub const PLACE: Trio = ["Жайгашкан жери", "Место", "Place"];
pub const SALARY: Trio = ["Айлык акы", "Зарплата", "Salary"];
pub const WORK_LANGUAGES: Trio = ["Иштеги тилдер", "Языки работы", "Work languages"];
pub const ACCOMMODATIONS: Trio = [
    "Ыңгайлуулуктар",
    "Условия для сотрудников с инвалидностью",
    "Accommodations",
];
pub const POSTED: Trio = ["Жарыяланган", "Опубликована", "Posted"];
pub const OPEN_UNTIL: Trio = ["Акыркы мөөнөтү", "Принимают до", "Open until"];
pub const STATUS: Trio = ["Абалы", "Статус", "Status"];
pub const LISTING_CLOSED: Trio = [
    "жабылган, арыз кабыл алынбайт",
    "закрыта, заявки не принимаются",
    "closed, no longer taking applications",
];
pub const LISTING_DRAFT: Trio = ["долбоор", "черновик", "draft"];
pub const LISTING_EXPIRED: Trio = ["мөөнөтү өттү", "срок истёк", "past its closing date"];
pub const DESCRIPTION: Trio = ["Сүрөттөмө", "Описание", "Description"];
pub const HOW_TO_APPLY: Trio = ["Кантип кайрылуу керек", "Как откликнуться", "How to apply"];
pub const CONTACT: Trio = [
    "Уюмдун байланышы",
    "Контакты организации",
    "Organization contact",
];
pub const PHONE: Trio = ["телефон", "телефон", "phone"];
pub const EMAIL: Trio = ["электрондук почта", "электронная почта", "email"];
pub const WEBSITE: Trio = ["сайт", "сайт", "website"];
pub const BUILDING: Trio = ["Имарат", "Здание", "Building"];
pub const BUILDING_NOT_ON_DEVICE: Trio = [
    "бул түзмөктө жок",
    "нет на этом устройстве",
    "not on this device",
];
pub const REMOTE_NO_BUILDING: Trio = [
    "Аралыктан иш: барчу имарат жок.",
    "Удалённая работа: здания для посещения нет.",
    "Remote work: there is no building to visit.",
];
pub const ACCESSIBILITY: Trio = [
    "Имараттын жеткиликтүүлүгү",
    "Доступность здания",
    "Building accessibility",
];
pub const REQUIREMENTS: Trio = [
    "Издөө чыпкалары боюнча (туруктуу пандус тепкичсиз кире бериш катары эсептелет)",
    "Как это учитывает поиск (стационарный пандус считается входом без ступенек)",
    "As the search filters see it (a fixed ramp counts as a step-free entrance)",
];
pub const FACTS: Trio = [
    "Билдирилген фактылар: маани; абалы; ишеним; акыркы билдирүү",
    "Сообщённые факты: значение; состояние; уверенность; последнее сообщение",
    "Reported facts: value; state; confidence; last reported",
];
pub const CONFIDENCE: Trio = [
    "ишеним {} пайыз",
    "уверенность {} процентов",
    "confidence {} percent",
];
pub const LAST_REPORTED: Trio = ["Акыркы билдирүү", "Последнее сообщение", "Last reported"];
pub const REPORTS_COUNTED: Trio = [
    "Эсепке алынган билдирүүлөр",
    "Учтено сообщений",
    "Reports counted",
];
pub const NO_ACCESS_REPORTS: Trio = [
    "Бул имарат тууралуу азырынча эч ким билдирген жок. Сиз билдире аласыз: teng report {} --help",
    "Об этом здании пока никто не сообщил. Вы можете сообщить: teng report {} --help",
    "Nobody has reported on this building yet. You can: teng report {} --help",
];
pub const SAVED_STATE: Trio = ["Сакталганбы", "В сохранённых", "Saved"];
pub const YOUR_PENDING: Trio = [
    "Бул жерде жөнөтүлө элек аракеттериңиз бар (кийинки синхрондоодо жөнөтүлөт)",
    "Здесь есть ваши ещё не отправленные действия (уйдут при следующей синхронизации)",
    "You have actions here that are not sent yet (they go with the next sync)",
];

// ---- pending mutations and problems -------------------------------------------------------------

pub const M_SAVE: Trio = ["жумушту сактоо", "сохранение вакансии", "saving the job"];
pub const M_UNSAVE: Trio = [
    "жумушту сакталгандардан алып салуу",
    "удаление из сохранённых",
    "removing the job from saved",
];
pub const M_REPORT: Trio = [
    "имарат тууралуу билдирүүңүз",
    "ваше сообщение о здании",
    "your report on the building",
];
pub const M_REOPEN: Trio = [
    "билдирүү дагы эле оңдоло элек деген жообуңуз",
    "ваш ответ «всё ещё не исправлено»",
    "your \"still not fixed\" on the report",
];
pub const M_EDIT: Trio = [
    "жумуш жарыясын оңдоо",
    "правка вакансии",
    "your edit of the job listing",
];

// ---- save / unsave / saved ----------------------------------------------------------------------

pub const SAVED_JOB: Trio = ["Сакталды: {}.", "Сохранено: {}.", "Saved: {}."];
pub const NOTE_UPDATED: Trio = [
    "Эскертме жаңыланды: {}.",
    "Заметка обновлена: {}.",
    "Note updated: {}.",
];
pub const UNSAVED_JOB: Trio = [
    "Сакталгандардан алынды: {}.",
    "Удалено из сохранённых: {}.",
    "Removed from saved jobs: {}.",
];
pub const WAS_NOT_SAVED: Trio = [
    "Бул жумуш сакталгандардын арасында жок болчу.",
    "Этой вакансии не было в сохранённых.",
    "This job was not in your saved jobs.",
];
pub const SAVED_JOBS: Trio = [
    "Сакталган жумуштар: {}.",
    "Сохранённые вакансии: {}.",
    "Saved jobs: {}.",
];
pub const NO_SAVED_JOBS: Trio = [
    "Сизде сакталган жумуш жок. Сактоо үчүн: teng save <жумуштун коду>",
    "У вас нет сохранённых вакансий. Чтобы сохранить: teng save <код вакансии>",
    "You have no saved jobs. To save one: teng save <job id>",
];
pub const COL_SAVED_AT: Trio = ["сакталган", "сохранено", "saved"];
pub const COL_SYNC: Trio = ["серверге", "на сервер", "to the server"];
pub const SENT: Trio = ["жөнөтүлдү", "отправлено", "sent"];
pub const REMOVED_NOT_SENT: Trio = [
    "Алынып салынган, бирок азырынча жөнөтүлө элек: {}",
    "Удалено, но ещё не отправлено: {}",
    "Removed, not sent yet: {}",
];

// ---- report -------------------------------------------------------------------------------------

pub const REPORT_RECORDED: Trio = [
    "Билдирүү сакталды: {}.",
    "Сообщение записано: {}.",
    "Report recorded: {}.",
];
pub const REPORT_METHOD: Trio = ["Ыкма", "Способ", "Method"];
pub const NOTHING_TO_REPORT: Trio = [
    "Билдире турган эч нерсе жок: жок дегенде бир фактыны (мисалы, --step-free yes) же --note бериңиз.",
    "Нечего сообщить: укажите хотя бы один факт (например, --step-free yes) или --note.",
    "Nothing to report: give at least one fact (for example --step-free yes) or --note.",
];
pub const STEPS_CONTRADICT: Trio = [
    "--step-free жана --steps бири-бирине карама-каршы: тепкичсиз кире бериште 0 тепкич болот.",
    "--step-free и --steps противоречат друг другу: у входа без ступенек 0 ступенек.",
    "--step-free and --steps contradict each other: a step-free entrance has 0 steps.",
];
pub const FACT_TWICE: Trio = [
    "{} эки жолу берилди; бирин гана калтырыңыз.",
    "{} указан дважды; оставьте одно значение.",
    "{} is given twice; keep one value.",
];

// ---- reports and reopen (what the city office did with your reports) ---------------------------

pub const MY_REPORTS: Trio = [
    "Сиздин билдирүүлөрүңүз: {}.",
    "Ваши сообщения: {}.",
    "Your reports: {}.",
];
pub const NO_MY_REPORTS: Trio = [
    "Сиз азырынча эч нерсе билдирген жоксуз. Билдирүү үчүн: teng report <имараттын коду> --help",
    "Вы пока ничего не сообщали. Чтобы сообщить: teng report <код здания> --help",
    "You have not reported anything yet. To report: teng report <building id> --help",
];
pub const UNKNOWN_BUILDING: Trio = [
    "бул түзмөктө жок имарат",
    "здание, которого нет на этом устройстве",
    "a building not on this device",
];
pub const REPORTED: Trio = ["Билдиргениңиз", "Что вы сообщили", "What you reported"];
pub const YOUR_NOTE: Trio = ["Сиздин эскертмеңиз", "Ваша заметка", "Your note"];
pub const CITY_STATUS: Trio = [
    "Шаардык кызматтын жообу",
    "Ответ городской службы",
    "The city office's answer",
];
pub const HISTORY: Trio = ["Тарыхы", "История", "History"];
pub const STILL_NOT_FIXED_WITH: Trio = [
    "Дагы эле оңдоло элекпи? teng reopen {} --note \"эмне оңдоло элек\"",
    "Всё ещё не исправлено? teng reopen {} --note \"что не так\"",
    "Still not fixed? teng reopen {} --note \"what is still wrong\"",
];
pub const REOPEN_KEPT: Trio = [
    "Сакталды: сиз бул дагы эле оңдоло элек дедиңиз ({}).",
    "Записано: вы сообщили, что это всё ещё не исправлено ({}).",
    "Kept: you said this is still not fixed ({}).",
];
pub const SEE_REPORTS: Trio = [
    "Шаардык кызматтын жообун teng reports көрсөтөт (синхрондоодон кийин).",
    "Ответ городской службы покажет teng reports (после синхронизации).",
    "teng reports shows the city office's answer (after a sync).",
];
pub const NO_SUCH_REPORT: Trio = [
    "Бул түзмөктө {} коду менен сиздин билдирүүңүз жок. Билдирүүлөрүңүздү teng reports көрсөтөт.",
    "На этом устройстве нет вашего сообщения с кодом {}. Ваши сообщения показывает teng reports.",
    "There is no report of yours with id {} on this device. teng reports lists them.",
];
pub const REOPEN_ALREADY: Trio = [
    "Сиз бул билдирүү оңдоло элек деп буга чейин эле айткансыз; ал кийинки синхрондоодо жөнөтүлөт.",
    "Вы уже сообщили, что это не исправлено; это будет отправлено при следующей синхронизации.",
    "You already said this is still not fixed; that goes with the next sync.",
];
pub const REOPEN_NOT_SENT: Trio = [
    "Бул билдирүү азырынча жөнөтүлө элек, шаардык кызмат ага жооп бере элек. Адегенде teng sync аткарыңыз.",
    "Это сообщение ещё не отправлено, городская служба на него не отвечала. Сначала выполните teng sync.",
    "This report is not sent yet, so the city office has not answered it. Run teng sync first.",
];
pub const REOPEN_NOT_RESOLVED: Trio = [
    "Шаардык кызмат чечилди деп белгилеген билдирүүнү гана кайра ачууга болот. Бул билдирүү: {}",
    "Снова открыть можно только сообщение, которое городская служба отметила как решённое. Это сообщение: {}",
    "Only a report the city office marked resolved can be reopened. This one: {}",
];

// ---- status -------------------------------------------------------------------------------------

pub const DATABASE: Trio = ["Маалымат базасы", "База данных", "Database"];
pub const LAST_SYNC: Trio = [
    "Акыркы ийгиликтүү синхрондоо",
    "Последняя успешная синхронизация",
    "Last successful sync",
];
pub const LAST_ATTEMPT: Trio = ["Акыркы аракет", "Последняя попытка", "Last attempt"];
pub const LAST_ERROR: Trio = ["Акыркы ката", "Последняя ошибка", "Last error"];
pub const PENDING: Trio = [
    "Жөнөтүлө элек аракеттер",
    "Неотправленные действия",
    "Actions not sent yet",
];
pub const PROBLEMS: Trio = [
    "Синхрондоо көйгөйлөрү",
    "Проблемы синхронизации",
    "Sync problems",
];
pub const SEE_PROBLEMS: Trio = [
    "(teng problems көрсөтөт)",
    "(их показывает teng problems)",
    "(see teng problems)",
];
pub const CURSOR: Trio = ["Сервердеги орду", "Позиция на сервере", "Server cursor"];
pub const LISTINGS: Trio = ["Жумуштар", "Вакансии", "Job listings"];
pub const BUILDINGS: Trio = ["Имараттар", "Здания", "Buildings"];
pub const ORGANIZATIONS: Trio = ["Уюмдар", "Организации", "Organizations"];
pub const SAVED_COUNT: Trio = ["Сакталган жумуштар", "Сохранённые вакансии", "Saved jobs"];
pub const DEVICE: Trio = [
    "Түзмөк серверде катталган",
    "Устройство зарегистрировано на сервере",
    "Device registered with the server",
];

// ---- problems -----------------------------------------------------------------------------------

pub const NO_PROBLEMS: Trio = [
    "Синхрондоо көйгөйлөрү жок.",
    "Проблем синхронизации нет.",
    "No sync problems.",
];
pub const REJECTED: Trio = [
    "Сервер кабыл алган жок",
    "Сервер отклонил",
    "Rejected by the server",
];
pub const CONFLICT: Trio = [
    "Карама-каршылык: серверде башка версия бар",
    "Конфликт: на сервере другая версия",
    "Conflict: the server has another version",
];
pub const WHAT: Trio = ["Эмне", "Что", "What"];
pub const WHY: Trio = ["Себеби", "Причина", "Why"];
pub const FIELD: Trio = ["Талаа", "Поле", "Field"];
pub const WHEN: Trio = ["Качан", "Когда", "When"];
pub const YOUR_VERSION: Trio = ["сиздики", "ваша", "yours"];
pub const SERVER_VERSION: Trio = ["сервердеги", "на сервере", "on the server"];
pub const DIFFERENCES: Trio = [
    "Эки версиянын айырмасы",
    "Чем различаются версии",
    "How the two versions differ",
];
pub const NO_DIFFERENCES: Trio = [
    "Версия номеринен башка айырма жок.",
    "Кроме номера версии, различий нет.",
    "No differences besides the version number.",
];
pub const SERVER_RECORD_MISSING: Trio = [
    "Сервер өз версиясын жөнөткөн жок.",
    "Сервер не прислал свою версию.",
    "The server did not send its version.",
];
pub const DISMISS_WITH: Trio = [
    "Көргөндөн кийин жабуу үчүн: teng problems dismiss {}",
    "Убрать, когда прочитаете: teng problems dismiss {}",
    "Dismiss it once read: teng problems dismiss {}",
];
pub const DISMISSED: Trio = ["Жабылды.", "Убрано.", "Dismissed."];
pub const NO_SUCH_PROBLEM: Trio = [
    "{} коду менен көйгөй жок. Тизмени teng problems көрсөтөт.",
    "Проблемы с кодом {} нет. Список показывает teng problems.",
    "There is no problem with id {}. teng problems lists them.",
];
pub const VERSION: Trio = ["версия", "версия", "version"];

// ---- sync ---------------------------------------------------------------------------------------

pub const SYNCING_WITH: Trio = [
    "{} менен синхрондолууда…",
    "Синхронизация с {}…",
    "Syncing with {}…",
];
pub const PUSHING: Trio = [
    "аракеттериңиз жөнөтүлүүдө",
    "отправка ваших действий",
    "sending your actions",
];
pub const PULLING: Trio = [
    "өзгөрүүлөр алынууда",
    "получение изменений",
    "receiving changes",
];
pub const PROGRESS_OF: Trio = ["{}: {} / {}", "{}: {} из {}", "{}: {} of {}"];
pub const PROGRESS_SO_FAR: Trio = ["{}: {}", "{}: {}", "{}: {}"];
pub const SYNC_DONE: Trio = [
    "Синхрондоо бүттү.",
    "Синхронизация завершена.",
    "Sync finished.",
];
pub const PUSHED: Trio = [
    "Жөнөтүлгөн аракеттер",
    "Отправлено действий",
    "Actions sent",
];
pub const STILL_PENDING: Trio = [
    "Кийинкиге калган аракеттер",
    "Оставлено до следующего раза",
    "Actions left for next time",
];
pub const PULLED: Trio = [
    "Алынган өзгөрүүлөр",
    "Получено изменений",
    "Changes received",
];
pub const PULLED_DETAIL: Trio = [
    "беттер: {}; колдонулду: {}; сиздин версияңыз калтырылды: {}; өткөрүлдү: {}",
    "страниц: {}; применено: {}; оставлена ваша версия: {}; пропущено: {}",
    "pages: {}; applied: {}; kept your version: {}; skipped: {}",
];
pub const RESYNCED: Trio = [
    "Сервердин суроосу боюнча бардык маалымат кайра алынды.",
    "По просьбе сервера все данные получены заново.",
    "The server asked for a full resync, which was done.",
];
pub const BYTES_RECEIVED: Trio = ["Алынган маалымат", "Получено данных", "Data received"];
pub const BYTES_SENT: Trio = ["Жөнөтүлгөн маалымат", "Отправлено данных", "Data sent"];
pub const NEW_PROBLEMS: Trio = [
    "Жаңы көйгөйлөр: {} (teng problems толугу менен көрсөтөт)",
    "Новые проблемы: {} (подробно — teng problems)",
    "New problems: {} (teng problems shows them in full)",
];
pub const OFFLINE: Trio = [
    "Teng серверине ({}) туташуу мүмкүн болгон жок: {}.",
    "Не удалось связаться с сервером Teng ({}): {}.",
    "Cannot reach the Teng server at {}: {}.",
];
pub const NOTHING_LOST: Trio = [
    "Эч нерсе жоголгон жок: бул түзмөктө жасаганыңыздын баары сакталды жана кийинки синхрондоодо жөнөтүлөт.",
    "Ничего не потеряно: всё, что вы сделали на этом устройстве, сохранено и будет отправлено при следующей синхронизации.",
    "Nothing is lost: everything you did on this device is kept and will be sent on the next sync.",
];
pub const OFFLINE_STILL_WORKS: Trio = [
    "Бул түзмөктөгү жумуштар интернетсиз деле иштейт: teng search, teng show.",
    "Вакансии на этом устройстве доступны и без сети: teng search, teng show.",
    "The jobs on this device still work offline: teng search, teng show.",
];
pub const TRIED_TIMES: Trio = ["{} жолу аракет кылынды", "попыток: {}", "tried {} times"];
pub const CANCELLING: Trio = [
    "Токтотулууда… (дароо чыгуу үчүн Ctrl-C дагы бир жолу басыңыз)",
    "Отмена… (нажмите Ctrl-C ещё раз, чтобы выйти сразу)",
    "Cancelling… (press Ctrl-C again to quit at once)",
];
pub const CANCELLED: Trio = [
    "Синхрондоо токтотулду. Алынгандын баары сакталды; жөнөтүлө электер кезекте калды.",
    "Синхронизация отменена. Всё полученное сохранено; неотправленное осталось в очереди.",
    "Sync cancelled. Everything received so far is kept; what was not sent stays queued.",
];
pub const UNAUTHORIZED: Trio = [
    "Сервер кирүүнү кабыл алган жок (--token же TENG_TOKEN). Жаңы токен алып, кайра аракет кылыңыз; жөнөтүлө электер кезекте калды.",
    "Сервер не принял вход (--token или TENG_TOKEN). Получите новый токен и повторите; неотправленное осталось в очереди.",
    "The server did not accept the sign-in (--token or TENG_TOKEN). Get a new token and try again; what was not sent stays queued.",
];
pub const SERVER_REFUSED: Trio = [
    "Сервер сурамды четке какты ({} {}): {}",
    "Сервер отклонил запрос ({} {}): {}",
    "The server refused the request ({} {}): {}",
];
pub const NO_CTRL_C: Trio = [
    "Ctrl-C иштетүүчүсүн орнотуу мүмкүн болгон жок: {}",
    "Не удалось установить обработчик Ctrl-C: {}",
    "Could not install the Ctrl-C handler: {}",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_values_in_order_and_tolerates_missing_ones() {
        assert_eq!(fill("{} of {}", &["3", "10"]), "3 of 10");
        assert_eq!(fill("{} of {}", &["3"]), "3 of ");
        assert_eq!(fill("no placeholders", &["x"]), "no placeholders");
    }

    #[test]
    fn numbers_group_thousands_per_language() {
        assert_eq!(number(Lang::English, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Russian, 30_000), "30 000");
        assert_eq!(number(Lang::Kyrgyz, 999), "999");
    }

    #[test]
    fn ago_uses_russian_plurals() {
        assert_eq!(ago(Lang::Russian, 5 * 60), "5 минут назад");
        assert_eq!(ago(Lang::Russian, 2 * 3600), "2 часа назад");
        assert_eq!(ago(Lang::Russian, 21 * 86_400), "21 день назад");
        assert_eq!(ago(Lang::English, 60), "1 minute ago");
        assert_eq!(ago(Lang::Kyrgyz, 3 * 86_400), "3 күн мурун");
        assert_eq!(ago(Lang::English, -50), "just now");
    }

    #[test]
    fn bytes_switch_to_larger_units() {
        assert_eq!(bytes(Lang::English, 512), "512 bytes");
        assert_eq!(bytes(Lang::English, 45_300), "about 45 kilobytes");
        assert_eq!(bytes(Lang::English, 1_156_000), "about 1.2 megabytes");
        assert_eq!(bytes(Lang::Russian, 22_000_000), "около 22 мегабайта");
        assert_eq!(bytes(Lang::Russian, 5_000_000), "около 5 мегабайт");
        assert_eq!(bytes(Lang::Kyrgyz, 1_500_000), "болжол менен 1,5 мегабайт");
    }
}

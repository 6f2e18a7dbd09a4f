//! The web pages' words in Kyrgyz, Russian and English, and which language a request gets.
//!
//! Each area of the web declares its own table with [`texts!`]: a struct of `&'static str` fields and
//! one instance per language, so a missing translation does not compile and templates read
//! `{{ t.save }}`. Enum labels (categories, accommodations, accessibility features) come from
//! teng-core's shared vocabulary (`Labelled`), never from here.

use axum::http::HeaderMap;
use teng_core::accessibility::Lang;
use teng_core::model::ValidationError;

/// Declares a table of words: `texts! { pub struct Common { save: ["Сактоо", "Сохранить", "Save"], } }`
/// gives `Common::get(Lang::Russian).save == "Сохранить"`.
#[macro_export]
macro_rules! texts {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($field:ident: [$ky:expr, $ru:expr, $en:expr $(,)?],)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis struct $name { $(pub $field: &'static str,)* }

        impl $name {
            pub fn get(lang: teng_core::accessibility::Lang) -> &'static $name {
                static KY: $name = $name { $($field: $ky,)* };
                static RU: $name = $name { $($field: $ru,)* };
                static EN: $name = $name { $($field: $en,)* };
                match lang {
                    teng_core::accessibility::Lang::Kyrgyz => &KY,
                    teng_core::accessibility::Lang::Russian => &RU,
                    teng_core::accessibility::Lang::English => &EN,
                }
            }
        }
    };
}

/// The language of a page when neither the cookie nor the browser names one we speak.
pub const DEFAULT_LANG: Lang = Lang::Kyrgyz;

/// The cookie that keeps the language chosen with the switch.
pub const LANG_COOKIE: &str = "teng_lang";

/// The language to answer in: the switch's cookie, else the first of `Accept-Language` that we
/// speak (in the header's order of preference, `q` weights honoured), else [`DEFAULT_LANG`].
pub fn negotiate(cookie: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie.and_then(|c| Lang::from_code(c).ok()) {
        return lang;
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(from_accept_language)
        .unwrap_or(DEFAULT_LANG)
}

/// `ru-RU,ru;q=0.9,en;q=0.8` → Russian; `de, en;q=0.5` → English; nothing we speak → `None`.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (position, item) in header.split(',').enumerate().take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        let Ok(lang) = Lang::from_code(&primary) else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        // Higher q wins; at equal q the earlier entry does.
        if best.is_none_or(|(bq, bp, _)| q > bq || (q == bq && position < bp)) {
            best = Some((q, position, lang));
        }
    }
    best.map(|(_, _, lang)| lang)
}

/// The name of a language in itself, for the switch.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::Kyrgyz => "Кыргызча",
        Lang::Russian => "Русский",
        Lang::English => "English",
    }
}

texts! {
    /// Words every page uses: the frame, buttons, errors.
    pub struct Common {
        site_name: ["Тең", "Тең", "Teng"],
        site_tagline: [
            "мүмкүнчүлүгү чектелген адамдар үчүн жумуш",
            "работа для людей с инвалидностью",
            "jobs for people with disabilities",
        ],
        skip_link: ["Негизги мазмунга өтүү", "Перейти к основному содержанию", "Skip to main content"],
        main_nav: ["Негизги меню", "Главное меню", "Main menu"],
        language_nav: ["Тилди тандоо", "Выбор языка", "Choose language"],
        nav_jobs: ["Жумуштар", "Вакансии", "Jobs"],
        nav_listings: ["Биздин жарыялар", "Наши вакансии", "Our listings"],
        nav_buildings: ["Имараттар", "Здания", "Buildings"],
        nav_import: ["CSV жүктөө", "Импорт CSV", "CSV import"],
        nav_city: ["Шаардын билдирүүлөрү", "Сообщения города", "City reports"],
        nav_admin: ["Башкаруу", "Администрирование", "Administration"],
        nav_password: ["Сырсөздү өзгөртүү", "Сменить пароль", "Change password"],
        nav_login: ["Кирүү", "Войти", "Log in"],
        nav_logout: ["Чыгуу", "Выйти", "Log out"],
        signed_in_as: ["Кирген колдонуучу:", "Вы вошли как", "Signed in as"],
        error_summary_title: ["Катаны оңдоңуз", "Исправьте ошибки", "There is a problem"],
        error_prefix: ["Ката:", "Ошибка:", "Error:"],
        title_error_prefix: ["Ката: ", "Ошибка: ", "Error: "],
        optional: ["(милдеттүү эмес)", "(необязательно)", "(optional)"],
        save: ["Сактоо", "Сохранить", "Save"],
        cancel: ["Жокко чыгаруу", "Отмена", "Cancel"],
        search: ["Издөө", "Искать", "Search"],
        back: ["Артка", "Назад", "Back"],
        previous_page: ["Мурунку барак", "Предыдущая страница", "Previous page"],
        next_page: ["Кийинки барак", "Следующая страница", "Next page"],
        pagination: ["Барактар", "Страницы", "Pages"],
        footer_note: [
            "Тең — мүмкүнчүлүгү чектелген адамдар үчүн инклюзивдүү жумуштар жана имараттардын жеткиликтүүлүгү.",
            "Тең — инклюзивные вакансии и доступность зданий для людей с инвалидностью.",
            "Teng — inclusive jobs and building accessibility for people with disabilities.",
        ],
        not_found_title: ["Барак табылган жок", "Страница не найдена", "Page not found"],
        not_found_body: [
            "Мындай барак жок же аны көрүүгө укугуңуз жок. Дарегин текшериңиз.",
            "Такой страницы нет или у вас нет к ней доступа. Проверьте адрес.",
            "There is no such page, or you may not see it. Check the address.",
        ],
        forbidden_title: ["Кирүүгө тыюу салынган", "Доступ запрещён", "Not allowed"],
        forbidden_body: [
            "Бул бетти сиздин ролуңуз ача албайт.",
            "Ваша роль не даёт доступа к этой странице.",
            "Your role does not give access to this page.",
        ],
        csrf_title: ["Форманын мөөнөтү бүттү", "Форма устарела", "The form has expired"],
        csrf_body: [
            "Коопсуздук үчүн форманы кайра ачып, дагы бир жолу жөнөтүңүз.",
            "В целях безопасности откройте форму заново и отправьте её ещё раз.",
            "For your security, open the form again and send it once more.",
        ],
        too_large_title: ["Өтө чоң", "Слишком большой запрос", "Too large"],
        too_large_body: [
            "Жөнөтүлгөн маалымат өтө чоң. Кичирээк файлды тандаңыз.",
            "Отправленные данные слишком велики. Выберите файл поменьше.",
            "What was sent is too large. Choose a smaller file.",
        ],
        bad_request_title: ["Туура эмес суроо", "Неверный запрос", "Bad request"],
        busy_title: ["Сервер бош эмес", "Сервер занят", "The server is busy"],
        busy_body: [
            "Бир аздан кийин кайра аракет кылыңыз.",
            "Попробуйте ещё раз через минуту.",
            "Try again in a moment.",
        ],
        internal_title: ["Сервердин катасы", "Ошибка сервера", "Server error"],
        internal_body: [
            "Бир нерсе туура эмес болду; ката жазылды. Кайра аракет кылыңыз.",
            "Что-то пошло не так; ошибка записана. Попробуйте ещё раз.",
            "Something went wrong; the error is logged. Try again.",
        ],
        home_link: ["Башкы бетке", "На главную", "Go to the home page"],
    }
}

texts! {
    /// How a broken core rule reads on a form (`{label}` is the field's label on that form).
    pub struct ValidationWords {
        empty: ["«{label}» талаасын толтуруңуз", "Заполните поле «{label}»", "Enter {label}"],
        too_long: [
            "«{label}» эң көп {max} белгиден турушу керек (азыр {len})",
            "Поле «{label}» должно быть не длиннее {max} символов (сейчас {len})",
            "{label} must be {max} characters or fewer (now {len})",
        ],
        salary_min_above_max: [
            "Эң аз айлык эң көбүнөн ашпашы керек",
            "Минимальная зарплата не может быть больше максимальной",
            "The lowest pay must not be more than the highest",
        ],
        salary_missing: [
            "Эң аз же эң көп айлыкты жазыңыз (нөл эмес)",
            "Укажите минимальную или максимальную зарплату (не ноль)",
            "Enter the lowest pay, the highest pay or both (not zero)",
        ],
        bad_coordinates: [
            "Туура кеңдик жана узундук жазыңыз (мисалы 42.87 жана 74.59)",
            "Введите правильные широту и долготу (например, 42.87 и 74.59)",
            "Enter a valid latitude and longitude (for example 42.87 and 74.59)",
        ],
        outside_kyrgyzstan: [
            "Бул чекит Кыргызстандан сырткары жайгашкан. Координаттарды текшериңиз",
            "Эта точка находится за пределами Кыргызстана. Проверьте координаты",
            "This point lies outside Kyrgyzstan. Check the coordinates",
        ],
        valid_through_before_posted: [
            "Акыркы күн бүгүндөн кийин болушу керек",
            "Дата окончания должна быть позже сегодняшней",
            "The closing date must be after today",
        ],
        building_required: [
            "Имаратты тандаңыз: алыстан иштөөдөн башка жумуштарга имарат керек",
            "Выберите здание: оно нужно для любой работы, кроме удалённой",
            "Choose a building: every job except remote work needs one",
        ],
        invalid: ["«{label}» туура эмес жазылган", "Поле «{label}» заполнено неверно", "Check {label}"],
    }
}

/// A core validation error as a sentence in `lang`, naming the field by its form label.
pub fn validation_message(lang: Lang, error: &ValidationError, label: &str) -> String {
    let w = ValidationWords::get(lang);
    match error {
        ValidationError::Empty { .. } => w.empty.replace("{label}", label),
        ValidationError::TooLong { len, max, .. } => w
            .too_long
            .replace("{label}", label)
            .replace("{max}", &max.to_string())
            .replace("{len}", &len.to_string()),
        ValidationError::SalaryMinAboveMax { .. } => w.salary_min_above_max.to_string(),
        ValidationError::SalaryMissing => w.salary_missing.to_string(),
        ValidationError::BadCoordinates { .. } => w.bad_coordinates.to_string(),
        ValidationError::OutsideKyrgyzstan { .. } => w.outside_kyrgyzstan.to_string(),
        ValidationError::ValidThroughBeforePosted { .. } => {
            w.valid_through_before_posted.to_string()
        }
        ValidationError::BuildingRequired => w.building_required.to_string(),
        ValidationError::Invalid { .. } => w.invalid.replace("{label}", label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_takes_the_first_language_we_speak() {
        assert_eq!(
            from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Some(Lang::Russian)
        );
        assert_eq!(
            from_accept_language("de-DE, en;q=0.5, ky;q=0.4"),
            Some(Lang::English)
        );
        assert_eq!(
            from_accept_language("en;q=0.2, ky;q=0.9"),
            Some(Lang::Kyrgyz)
        );
        assert_eq!(from_accept_language("ky-KG"), Some(Lang::Kyrgyz));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("ru;q=0, en"), Some(Lang::English));
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn the_cookie_beats_the_browser() {
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "en".parse().unwrap());
        assert_eq!(negotiate(Some("ru"), &headers), Lang::Russian);
        assert_eq!(negotiate(Some("xx"), &headers), Lang::English);
        assert_eq!(negotiate(None, &HeaderMap::new()), DEFAULT_LANG);
    }

    #[test]
    fn validation_messages_name_the_field_in_the_language() {
        let e = ValidationError::Empty { field: "title" };
        assert_eq!(
            validation_message(Lang::Russian, &e, "Название"),
            "Заполните поле «Название»"
        );
        assert_eq!(
            validation_message(Lang::English, &e, "a title"),
            "Enter a title"
        );
        let e = ValidationError::TooLong {
            field: "title",
            len: 250,
            max: 200,
        };
        assert!(validation_message(Lang::Kyrgyz, &e, "Аталышы").contains("200"));
    }
}

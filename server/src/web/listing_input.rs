//! A job listing as people type it, into the listing form or a CSV row, and the one place that turns
//! it into a `JobListing` with every problem named by field, in the reader's language.
//!
//! The rules are teng-core's (`model::validation`): each field is checked with the core's own
//! checks so a form shows all its problems at once, then the whole record goes through
//! `Validate` as the final word. Both the listing form (`web::listings`) and the CSV import
//! (`web::import`) call [`ListingInput::parse`], so a row and a form accept exactly the same.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use teng_core::accessibility::{Labelled, Lang};
use teng_core::model::validation::{self, limits};
use teng_core::model::{
    Accommodation, ApplyChannel, ApplyMethod, EmploymentType, JobCategory, JobListing,
    ListingStatus, Region, Salary, SalaryPeriod, Validate, ValidationError, WorkLanguage, WorkMode,
};
use uuid::Uuid;

use super::form::{optional, parse_u64, FormErrors};
use super::i18n::validation_message;
use crate::storage::BuildingRecord;
use crate::texts;

/// How many ways to apply the form offers (the core allows up to `limits::APPLY_METHODS`).
pub const APPLY_ROWS: usize = 3;

/// Every field as typed. Checkbox groups and the ways to apply repeat their names.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct ListingInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub employment_type: String,
    #[serde(default)]
    pub work_mode: String,
    /// A building id, or empty for remote work.
    #[serde(default)]
    pub building_id: String,
    /// Empty: the building's city.
    #[serde(default)]
    pub city: String,
    /// Empty: the building's region.
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub salary_min: String,
    #[serde(default)]
    pub salary_max: String,
    #[serde(default)]
    pub salary_period: String,
    #[serde(default)]
    pub accommodations: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    /// Channel codes of the ways to apply, one per row (a row with an empty value is left out).
    #[serde(default)]
    pub apply_channel: Vec<String>,
    #[serde(default)]
    pub apply_value: Vec<String>,
    /// `YYYY-MM-DD`, the last day applications are taken (through the end of that day, UTC).
    #[serde(default)]
    pub valid_through: String,
}

texts! {
    /// The listing fields' labels: on the form, in error messages, in the CSV guide.
    pub struct ListingLabels {
        title: ["Кызматтын аталышы", "Название вакансии", "Job title"],
        description: ["Сүрөттөмө", "Описание", "Description"],
        category: ["Тармак", "Сфера", "Category"],
        employment_type: ["Иштин түрү", "Тип занятости", "Type of employment"],
        work_mode: ["Кайда иштейт", "Формат работы", "Where the work is done"],
        building_id: ["Имарат", "Здание", "Building"],
        no_building: ["Имаратсыз (алыстан иштөө)", "Без здания (удалённая работа)", "No building (remote work)"],
        city: ["Шаар же айыл", "Город или село", "City or village"],
        city_hint: [
            "Бош калса, имараттын шаары алынат.",
            "Если оставить пустым, берётся город здания.",
            "Leave empty to use the building's city.",
        ],
        region: ["Облус", "Область", "Region"],
        region_from_building: ["Имараттын облусу", "Область здания", "The building's region"],
        salary: ["Айлык акы (сом)", "Зарплата (сом)", "Pay (som)"],
        salary_min: ["Эң аз", "От", "From"],
        salary_max: ["Эң көп", "До", "Up to"],
        salary_period: ["Мезгил", "За период", "Per"],
        no_salary: ["Айлык көрсөтүлбөйт", "Зарплата не указана", "Pay not stated"],
        accommodations: ["Ыңгайлаштыруулар", "Условия для сотрудников", "Accommodations"],
        accommodations_hint: [
            "Иш берүүчү сунуштаган шарттардын баарын белгилеңиз.",
            "Отметьте всё, что предлагает работодатель.",
            "Tick everything the employer offers.",
        ],
        languages: ["Иштин тилдери", "Языки работы", "Languages of the work"],
        apply_via: ["Кантип кайрылуу керек", "Как откликнуться", "Ways to apply"],
        apply_hint: [
            "Жок дегенде бир жолун жазыңыз; ар кандай жолдор ар кандай адамдарга ыңгайлуу.",
            "Укажите хотя бы один способ; разные способы удобны разным людям.",
            "Give at least one way; different ways suit different people.",
        ],
        apply_channel: ["Жолу", "Способ", "Way"],
        apply_value: ["Номер, дарек же жер", "Номер, адрес или место", "Number, address or place"],
        valid_through: ["Акыркы күн", "Принимаем отклики до", "Closing date"],
        valid_through_hint: [
            "Милдеттүү эмес. Форматы: 2027-01-31",
            "Необязательно. Формат: 2027-01-31",
            "Optional. Format: 2027-01-31",
        ],
        choose: ["Тандаңыз", "Выберите", "Choose"],
        unknown_choice: ["Тизмеден тандаңыз", "Выберите значение из списка", "Choose one of the options"],
        not_a_number: ["Бүтүн сан жазыңыз, мисалы 25000", "Введите целое число, например 25000", "Enter a whole number, for example 25000"],
        not_a_date: ["Күндү 2027-01-31 түрүндө жазыңыз", "Введите дату в виде 2027-01-31", "Enter the date as 2027-01-31"],
        unknown_building: ["Мындай имарат жок", "Такого здания нет", "There is no such building"],
        period_needed: ["Мезгилди тандаңыз", "Выберите период", "Choose the period"],
    }
}

/// "Category: choose one of the options": the summary at the top lists several such errors, and
/// each must say which field it is about.
pub fn choose_from(label: &str, w: &ListingLabels) -> String {
    format!("{label}: {}", choice_suffix(w))
}

/// The part of [`choose_from`]'s message after the label (the CSV import recognizes it).
pub fn choice_suffix(w: &ListingLabels) -> String {
    let mut chars = w.unknown_choice.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a parsed listing needs besides the input.
pub struct ListingTarget<'a> {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The organization's buildings (a listing may only name one of these).
    pub buildings: &'a [BuildingRecord],
    pub posted_at: DateTime<Utc>,
    pub status: ListingStatus,
    pub version: i64,
}

/// The input id and label for a core field name (`salary`, `apply_via.value`, ...).
pub fn field_for(core_field: &str, labels: &ListingLabels) -> (&'static str, &'static str) {
    match core_field {
        "title" => ("title", labels.title),
        "description" => ("description", labels.description),
        "city" => ("city", labels.city),
        "building_id" => ("building_id", labels.building_id),
        "salary" => ("salary_min", labels.salary),
        "languages" => ("languages", labels.languages),
        "apply_via" | "apply_via.value" => ("apply_value_1", labels.apply_value),
        "valid_through" => ("valid_through", labels.valid_through),
        "category" => ("category", labels.category),
        "employment_type" => ("employment_type", labels.employment_type),
        "work_mode" => ("work_mode", labels.work_mode),
        "region" => ("region", labels.region),
        _ => ("title", labels.title),
    }
}

/// A code from a fixed list, or `None` when missing or not on the list.
fn code<T>(
    value: &str,
    parse: impl Fn(&str) -> Result<T, teng_core::model::UnknownCode>,
) -> Option<T> {
    parse(value.trim()).ok()
}

impl ListingInput {
    /// The input of a stored listing (to fill the edit form).
    pub fn from_listing(l: &JobListing) -> ListingInput {
        let (apply_channel, apply_value) = l
            .apply_via
            .iter()
            .map(|m| (m.channel.code().to_string(), m.value.clone()))
            .unzip();
        ListingInput {
            title: l.title.clone(),
            description: l.description.clone(),
            category: l.category.code().into(),
            employment_type: l.employment_type.code().into(),
            work_mode: l.work_mode.code().into(),
            building_id: l.building_id.map(|b| b.to_string()).unwrap_or_default(),
            city: l.city.clone(),
            region: l.region.code().into(),
            salary_min: l
                .salary
                .and_then(|s| s.min)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            salary_max: l
                .salary
                .and_then(|s| s.max)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            salary_period: l
                .salary
                .map(|s| s.period.code().to_string())
                .unwrap_or_default(),
            accommodations: l.accommodations.iter().map(|a| a.code().into()).collect(),
            languages: l.languages.iter().map(|a| a.code().into()).collect(),
            apply_channel,
            apply_value,
            valid_through: l
                .valid_through
                .map(|v| v.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        }
    }

    /// The value typed into row `i` (0-based) of the ways to apply.
    pub fn apply_row(&self, i: usize) -> (&str, &str) {
        (
            self.apply_channel.get(i).map(String::as_str).unwrap_or(""),
            self.apply_value.get(i).map(String::as_str).unwrap_or(""),
        )
    }

    pub fn has_accommodation(&self, code: &str) -> bool {
        self.accommodations.iter().any(|a| a == code)
    }

    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|a| a == code)
    }

    /// The listing, or every problem found, each under its input's id, worded in `lang`.
    pub fn parse(&self, lang: Lang, target: &ListingTarget<'_>) -> Result<JobListing, FormErrors> {
        let w = ListingLabels::get(lang);
        let mut errors = FormErrors::new();
        let check = |errors: &mut FormErrors, result: validation::Validation| {
            if let Err(e) = result {
                let (id, label) = field_for(e.field(), w);
                errors.add(id, validation_message(lang, &e, label));
            }
        };

        let title = self.title.trim().to_string();
        check(
            &mut errors,
            validation::required_text("title", &title, limits::TITLE),
        );
        let description = self.description.trim().to_string();
        check(
            &mut errors,
            validation::optional_text("description", &description, limits::DESCRIPTION),
        );
        let category = code(&self.category, JobCategory::from_code);
        if category.is_none() {
            errors.add("category", choose_from(w.category, w));
        }
        let employment_type = code(&self.employment_type, EmploymentType::from_code);
        if employment_type.is_none() {
            errors.add("employment_type", choose_from(w.employment_type, w));
        }
        let work_mode = code(&self.work_mode, WorkMode::from_code);
        if work_mode.is_none() {
            errors.add("work_mode", choose_from(w.work_mode, w));
        }

        let building = match optional(&self.building_id) {
            None => None,
            Some(id) => {
                let found = Uuid::parse_str(&id)
                    .ok()
                    .and_then(|id| target.buildings.iter().find(|b| b.building.id == id));
                if found.is_none() {
                    errors.add("building_id", w.unknown_building);
                }
                found
            }
        };
        let city = optional(&self.city)
            .or_else(|| building.map(|b| b.building.address.city.clone()))
            .unwrap_or_default();
        check(
            &mut errors,
            validation::required_text("city", &city, limits::CITY),
        );
        let region = match optional(&self.region) {
            Some(r) => {
                let parsed = Region::from_code(&r).ok();
                if parsed.is_none() {
                    errors.add("region", choose_from(w.region, w));
                }
                parsed
            }
            None => match building {
                Some(b) => Some(b.building.address.region),
                None => {
                    errors.add("region", choose_from(w.region, w));
                    None
                }
            },
        };

        let salary = self.salary(lang, w, &mut errors);

        let mut accommodations = Vec::new();
        for a in &self.accommodations {
            match Accommodation::from_code(a.trim()) {
                Ok(a) => accommodations.push(a),
                Err(_) => errors.add("accommodations", choose_from(w.accommodations, w)),
            }
        }
        accommodations.sort();
        accommodations.dedup();
        let mut languages = Vec::new();
        for l in &self.languages {
            match WorkLanguage::from_code(l.trim()) {
                Ok(l) => languages.push(l),
                Err(_) => errors.add("languages", choose_from(w.languages, w)),
            }
        }
        languages.sort();
        languages.dedup();
        if languages.is_empty() {
            check(
                &mut errors,
                Err(ValidationError::Empty { field: "languages" }),
            );
        }

        let apply_via = self.apply_via(lang, w, &mut errors);
        let valid_through = match optional(&self.valid_through) {
            None => None,
            Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(day) => day.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
                Err(_) => {
                    errors.add("valid_through", w.not_a_date);
                    None
                }
            },
        };
        if let Some(until) = valid_through {
            if until < target.posted_at {
                check(
                    &mut errors,
                    Err(ValidationError::ValidThroughBeforePosted {
                        posted_at: target.posted_at,
                        valid_through: until,
                    }),
                );
            }
        }

        let (Some(category), Some(employment_type), Some(work_mode), Some(region)) =
            (category, employment_type, work_mode, region)
        else {
            return Err(errors);
        };
        if work_mode != WorkMode::Remote && building.is_none() && !errors.has("building_id") {
            check(&mut errors, Err(ValidationError::BuildingRequired));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let listing = JobListing {
            id: target.id,
            organization_id: target.organization_id,
            title,
            description,
            category,
            employment_type,
            work_mode,
            building_id: building.map(|b| b.building.id),
            city,
            region,
            salary,
            accommodations,
            languages,
            apply_via,
            posted_at: target.posted_at,
            valid_through,
            status: target.status,
            version: target.version,
        };
        // The core's rules are the last word (anything the checks above did not catch).
        check(&mut errors, listing.validate());
        errors.into_result().map(|()| listing)
    }

    fn salary(&self, lang: Lang, w: &ListingLabels, errors: &mut FormErrors) -> Option<Salary> {
        let min = parse_u64(&self.salary_min);
        let max = parse_u64(&self.salary_max);
        if min.is_err() {
            errors.add("salary_min", w.not_a_number);
        }
        if max.is_err() {
            errors.add("salary_max", w.not_a_number);
        }
        let (min, max) = (min.ok().flatten(), max.ok().flatten());
        if min.is_none() && max.is_none() {
            return None;
        }
        let Some(period) = code(&self.salary_period, SalaryPeriod::from_code) else {
            errors.add("salary_period", w.period_needed);
            return None;
        };
        let salary = Salary { min, max, period };
        let check = match (min, max) {
            (Some(0), _) | (_, Some(0)) => Err(ValidationError::SalaryMissing),
            (Some(min), Some(max)) if min > max => {
                Err(ValidationError::SalaryMinAboveMax { min, max })
            }
            _ => Ok(()),
        };
        if let Err(e) = check {
            errors.add("salary_min", validation_message(lang, &e, w.salary));
        }
        Some(salary)
    }

    fn apply_via(
        &self,
        lang: Lang,
        w: &ListingLabels,
        errors: &mut FormErrors,
    ) -> Vec<ApplyMethod> {
        let mut methods = Vec::new();
        let rows = self.apply_channel.len().max(self.apply_value.len());
        for i in 0..rows.min(limits::APPLY_METHODS) {
            let (channel, value) = self.apply_row(i);
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let id = format!("apply_value_{}", i + 1);
            let Ok(channel) = ApplyChannel::from_code(channel.trim()) else {
                errors.add(
                    format!("apply_channel_{}", i + 1),
                    choose_from(w.apply_channel, w),
                );
                continue;
            };
            let result = match channel {
                ApplyChannel::Phone | ApplyChannel::Sms | ApplyChannel::WhatsApp => {
                    validation::phone("apply_via.value", value)
                }
                ApplyChannel::Email => validation::email("apply_via.value", value),
                ApplyChannel::InPerson => {
                    validation::required_text("apply_via.value", value, limits::STREET)
                }
            };
            match result {
                Ok(()) => methods.push(ApplyMethod {
                    channel,
                    value: value.to_string(),
                }),
                Err(e) => {
                    let label = format!("{} ({})", w.apply_value, channel.label(lang));
                    errors.add(id, validation_message(lang, &e, &label));
                }
            }
        }
        if methods.is_empty() && !errors.all().iter().any(|e| e.id.starts_with("apply_")) {
            errors.add(
                "apply_value_1",
                validation_message(
                    lang,
                    &ValidationError::Empty { field: "apply_via" },
                    w.apply_via,
                ),
            );
        }
        methods
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teng_core::model::{Address, Building, GeoPoint};

    fn building() -> BuildingRecord {
        BuildingRecord {
            building: Building {
                id: Uuid::now_v7(),
                name: "Ak-Jol office".into(),
                address: Address {
                    street: "Chui 100".into(),
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

    fn good(b: &BuildingRecord) -> ListingInput {
        ListingInput {
            title: "Бухгалтер".into(),
            category: "accounting".into(),
            employment_type: "full_time".into(),
            work_mode: "on_site".into(),
            building_id: b.building.id.to_string(),
            salary_min: "25 000".into(),
            salary_period: "month".into(),
            accommodations: vec!["flexible_hours".into()],
            languages: vec!["ky".into(), "ru".into()],
            apply_channel: vec!["phone".into(), "email".into()],
            apply_value: vec!["+996 555 123 456".into(), String::new()],
            valid_through: "2099-01-31".into(),
            ..Default::default()
        }
    }

    fn target(buildings: &[BuildingRecord]) -> ListingTarget<'_> {
        ListingTarget {
            id: Uuid::now_v7(),
            organization_id: Uuid::now_v7(),
            buildings,
            posted_at: Utc::now(),
            status: ListingStatus::Draft,
            version: 0,
        }
    }

    #[test]
    fn a_good_input_takes_city_and_region_from_its_building() {
        let b = [building()];
        let listing = good(&b[0]).parse(Lang::English, &target(&b)).unwrap();
        assert_eq!(listing.city, "Бишкек");
        assert_eq!(listing.region, Region::Bishkek);
        assert_eq!(listing.salary.unwrap().min, Some(25_000));
        assert_eq!(
            listing.apply_via.len(),
            1,
            "the empty second row is left out"
        );
        assert_eq!(ListingInput::from_listing(&listing).title, "Бухгалтер");
    }

    #[test]
    fn every_problem_is_named_at_once_in_the_language() {
        let b = [building()];
        let mut input = good(&b[0]);
        input.title = "  ".into();
        input.employment_type = "forever".into();
        input.salary_max = "lots".into();
        input.apply_value = vec!["not a phone".into()];
        input.valid_through = "31.01.2099".into();
        let errors = input.parse(Lang::Russian, &target(&b)).unwrap_err();
        let ids: Vec<&str> = errors.all().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "title",
                "employment_type",
                "salary_max",
                "apply_value_1",
                "valid_through"
            ]
        );
        assert_eq!(
            errors.get("title"),
            Some("Заполните поле «Название вакансии»")
        );
    }

    #[test]
    fn a_building_of_another_organization_is_refused() {
        let mine = [building()];
        let mut input = good(&mine[0]);
        input.building_id = Uuid::now_v7().to_string();
        let errors = input.parse(Lang::English, &target(&mine)).unwrap_err();
        assert_eq!(errors.get("building_id"), Some("There is no such building"));
    }

    #[test]
    fn on_site_work_needs_a_building_and_the_salary_bounds_are_ordered() {
        let b = [building()];
        let mut input = good(&b[0]);
        input.building_id.clear();
        input.region = "bishkek".into();
        input.city = "Бишкек".into();
        input.salary_min = "50000".into();
        input.salary_max = "20000".into();
        let errors = input.parse(Lang::English, &target(&b)).unwrap_err();
        assert!(errors.has("building_id"));
        assert!(errors.has("salary_min"));
        input.work_mode = "remote".into();
        input.salary_max.clear();
        assert!(input.parse(Lang::English, &target(&b)).is_ok());
    }
}

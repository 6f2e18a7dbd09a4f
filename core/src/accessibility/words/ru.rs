//! Russian grammar: numerals take the noun in the form for 1 / 2–4 / 5+ ([`russian_plural`]).

use super::{age, join_list, russian_plural, Age, Heading, Labelled, Lang, Phrases};
use crate::accessibility::features::AccessLevel;
use crate::accessibility::grade::Grades;

pub(crate) struct Russian;

fn unit(n: i64, one: &'static str, few: &'static str, many: &'static str) -> String {
    format!("{n} {}", russian_plural(n, one, few, many))
}

/// "до 15 сантиметров", "до 21 сантиметра": genitive after a preposition.
fn centimetres_genitive(n: i64) -> String {
    format!(
        "{n} {}",
        russian_plural(n, "сантиметра", "сантиметров", "сантиметров")
    )
}

/// "на 3-м этаже", "на 1-м подземном этаже".
fn floor_prepositional(n: i64) -> String {
    if n < 0 {
        format!("на {}-м подземном этаже", -n)
    } else {
        format!("на {n}-м этаже")
    }
}

impl Phrases for Russian {
    fn centimetres(&self, n: i64) -> String {
        unit(n, "сантиметр", "сантиметра", "сантиметров")
    }

    fn metres(&self, n: i64) -> String {
        unit(n, "метр", "метра", "метров")
    }

    fn percent(&self, n: i64) -> String {
        unit(n, "процент", "процента", "процентов")
    }

    fn floor(&self, n: i64) -> String {
        if n < 0 {
            format!("{}-й подземный этаж", -n)
        } else {
            format!("{n}-й этаж")
        }
    }

    fn ago(&self, days: i64) -> String {
        match age(days) {
            Age::Today => "сегодня".into(),
            Age::Yesterday => "вчера".into(),
            Age::Days(d) => format!("{} назад", unit(d, "день", "дня", "дней")),
            Age::Weeks(w) => format!("{} назад", unit(w, "неделю", "недели", "недель")),
            Age::Months(m) => format!("{} назад", unit(m, "месяц", "месяца", "месяцев")),
            Age::Years(y) => format!("{} назад", unit(y, "год", "года", "лет")),
        }
    }

    fn reported(&self, days: i64) -> String {
        format!("сообщили {}", self.ago(days))
    }

    fn not_known(&self, label: &str) -> String {
        format!("{label}: нет данных")
    }

    fn disagree(&self, label: &str) -> String {
        format!("{label}: сведения расходятся")
    }

    fn unconfirmed(&self) -> &'static str {
        "пока не подтверждено"
    }

    fn may_have_changed(&self) -> &'static str {
        "могло измениться"
    }

    fn steps(&self, count: Option<i64>, height_cm: Option<i64>) -> String {
        let steps = |c: i64| unit(c, "ступень", "ступени", "ступеней");
        match (count, height_cm) {
            (Some(1), Some(h)) => format!("1 ступень высотой {}", self.centimetres(h)),
            (Some(c), Some(h)) => format!("{} высотой до {}", steps(c), centimetres_genitive(h)),
            (Some(c), None) => format!("{}, высота неизвестна", steps(c)),
            (None, Some(h)) => format!(
                "есть ступени высотой до {}, число неизвестно",
                centimetres_genitive(h)
            ),
            (None, None) => "есть ступени, число и высота неизвестны".into(),
        }
    }

    fn no_steps(&self) -> &'static str {
        "ступенек нет"
    }

    fn steps_label(&self) -> &'static str {
        "ступеньки"
    }

    fn elevator(&self, working: Option<bool>) -> &'static str {
        match working {
            Some(true) => "лифт работает",
            Some(false) => "лифт не работает",
            None => "лифт есть, но работает ли он, неизвестно",
        }
    }

    fn no_elevator(&self) -> &'static str {
        "лифта нет"
    }

    fn cabin(&self, width_cm: i64, depth_cm: i64) -> String {
        format!(
            "кабина лифта шириной {} и глубиной {}",
            self.centimetres(width_cm),
            self.centimetres(depth_cm)
        )
    }

    fn workplace(&self, floor: Option<i64>, step_free: Option<bool>) -> String {
        match (floor, step_free) {
            (Some(f), Some(true)) => format!(
                "рабочее место {}, до него можно добраться без ступенек",
                floor_prepositional(f)
            ),
            (Some(f), Some(false)) => format!(
                "рабочее место {}, без ступенек до него не добраться",
                floor_prepositional(f)
            ),
            (Some(f), None) => format!(
                "рабочее место {}; можно ли добраться до него без ступенек, неизвестно",
                floor_prepositional(f)
            ),
            (None, Some(true)) => "до рабочего места можно добраться без ступенек".into(),
            (None, Some(false)) => "до рабочего места нельзя добраться без ступенек".into(),
            (None, None) => "этаж рабочего места: нет данных".into(),
        }
    }

    fn toilet(&self, level: AccessLevel) -> &'static str {
        match level {
            AccessLevel::Yes => "туалет доступен",
            AccessLevel::Limited => "туалет частично доступен",
            AccessLevel::No => "доступного туалета нет",
        }
    }

    fn parking(&self, spaces: i64, distance_m: Option<i64>) -> String {
        if spaces == 0 {
            return "парковочных мест для людей с инвалидностью нет".into();
        }
        let base = format!(
            "{} для людей с инвалидностью",
            unit(
                spaces,
                "парковочное место",
                "парковочных места",
                "парковочных мест"
            )
        );
        match distance_m {
            Some(m) => format!(
                "{base}, в {m} {} от входа",
                russian_plural(m, "метре", "метрах", "метрах")
            ),
            None => base,
        }
    }

    fn list(&self, items: &[&str]) -> String {
        join_list(items, "и")
    }

    fn heading(&self, h: Heading) -> &'static str {
        match h {
            Heading::Entrance => "Главный вход",
            Heading::Elevator => "Лифт и этажи",
            Heading::Toilet => "Туалет",
            Heading::Parking => "Парковка и путь",
            Heading::Blind => "Для незрячих посетителей",
            Heading::Deaf => "Для глухих посетителей",
            Heading::Note => "Заметка посетителя",
        }
    }

    fn grades(&self, g: &Grades) -> String {
        format!(
            "пользователям колясок: {}; незрячим посетителям: {}; глухим посетителям: {}",
            g.wheelchair.label(Lang::Russian),
            g.blind.label(Lang::Russian),
            g.deaf.label(Lang::Russian)
        )
    }

    fn reports(&self, count: u32, days: i64) -> String {
        let n = i64::from(count);
        let what = unit(n, "сообщение", "сообщения", "сообщений");
        if count == 1 {
            format!("{what}, {}", self.ago(days))
        } else {
            format!("{what}, последнее {}", self.ago(days))
        }
    }

    fn nothing_reported(&self) -> &'static str {
        "О доступности этого здания пока никто не сообщал."
    }
}

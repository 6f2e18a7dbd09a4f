//! Kyrgyz grammar: nouns after numerals stay singular ("15 сантиметр", "3 тепкич").

use super::{age, join_list, Age, Heading, Labelled, Lang, Phrases};
use crate::accessibility::features::AccessLevel;
use crate::accessibility::grade::Grades;

pub(crate) struct Kyrgyz;

/// "3-кабатта", "жер астындагы 1-кабатта" (locative).
fn floor_locative(n: i64) -> String {
    if n < 0 {
        format!("жер астындагы {}-кабатта", -n)
    } else {
        format!("{n}-кабатта")
    }
}

impl Phrases for Kyrgyz {
    fn centimetres(&self, n: i64) -> String {
        format!("{n} сантиметр")
    }

    fn metres(&self, n: i64) -> String {
        format!("{n} метр")
    }

    fn percent(&self, n: i64) -> String {
        format!("{n} пайыз")
    }

    fn floor(&self, n: i64) -> String {
        if n < 0 {
            format!("жер астындагы {}-кабат", -n)
        } else {
            format!("{n}-кабат")
        }
    }

    fn ago(&self, days: i64) -> String {
        match age(days) {
            Age::Today => "бүгүн".into(),
            Age::Yesterday => "кечээ".into(),
            Age::Days(d) => format!("{d} күн мурун"),
            Age::Weeks(w) => format!("{w} жума мурун"),
            Age::Months(m) => format!("{m} ай мурун"),
            Age::Years(y) => format!("{y} жыл мурун"),
        }
    }

    fn reported(&self, days: i64) -> String {
        format!("{} билдирилген", self.ago(days))
    }

    fn not_known(&self, label: &str) -> String {
        format!("{label}: белгисиз")
    }

    fn disagree(&self, label: &str) -> String {
        format!("{label}: маалыматтар карама-каршы")
    }

    fn unconfirmed(&self) -> &'static str {
        "азырынча тастыкталган эмес"
    }

    fn may_have_changed(&self) -> &'static str {
        "өзгөргөн болушу мүмкүн"
    }

    fn steps(&self, count: Option<i64>, height_cm: Option<i64>) -> String {
        match (count, height_cm) {
            (Some(1), Some(h)) => format!("{}лик 1 тепкич", self.centimetres(h)),
            (Some(c), Some(h)) => format!("{c} тепкич, эң бийиги {}", self.centimetres(h)),
            (Some(c), None) => format!("{c} тепкич, бийиктиги белгисиз"),
            (None, Some(h)) => format!(
                "тепкичтер бар, эң бийиги {}, саны белгисиз",
                self.centimetres(h)
            ),
            (None, None) => "тепкичтер бар, саны жана бийиктиги белгисиз".into(),
        }
    }

    fn no_steps(&self) -> &'static str {
        "тепкич жок"
    }

    fn steps_label(&self) -> &'static str {
        "тепкичтер"
    }

    fn elevator(&self, working: Option<bool>) -> &'static str {
        match working {
            Some(true) => "лифт иштейт",
            Some(false) => "лифт иштебейт",
            None => "лифт бар, бирок иштеп жатканы белгисиз",
        }
    }

    fn no_elevator(&self) -> &'static str {
        "лифт жок"
    }

    fn cabin(&self, width_cm: i64, depth_cm: i64) -> String {
        format!(
            "лифт кабинасынын туурасы {}, тереңдиги {}",
            self.centimetres(width_cm),
            self.centimetres(depth_cm)
        )
    }

    fn workplace(&self, floor: Option<i64>, step_free: Option<bool>) -> String {
        match (floor, step_free) {
            (Some(f), Some(true)) => format!(
                "жумуш орду {}, ага тепкичсиз жетүүгө болот",
                floor_locative(f)
            ),
            (Some(f), Some(false)) => format!(
                "жумуш орду {}, ага тепкичсиз жетүүгө болбойт",
                floor_locative(f)
            ),
            (Some(f), None) => format!(
                "жумуш орду {}; ага тепкичсиз жетүүгө болору белгисиз",
                floor_locative(f)
            ),
            (None, Some(true)) => "жумуш ордуна тепкичсиз жетүүгө болот".into(),
            (None, Some(false)) => "жумуш ордуна тепкичсиз жетүүгө болбойт".into(),
            (None, None) => "жумуш ордунун кабаты: белгисиз".into(),
        }
    }

    fn toilet(&self, level: AccessLevel) -> &'static str {
        match level {
            AccessLevel::Yes => "даараткана жеткиликтүү",
            AccessLevel::Limited => "даараткана жарым-жартылай жеткиликтүү",
            AccessLevel::No => "жеткиликтүү даараткана жок",
        }
    }

    fn parking(&self, spaces: i64, distance_m: Option<i64>) -> String {
        if spaces == 0 {
            return "майыптар үчүн унаа токтотуучу орун жок".into();
        }
        let base = format!("майыптар үчүн {spaces} унаа токтотуучу орун");
        match distance_m {
            Some(m) => format!("{base}, кире бериштен {} аралыкта", self.metres(m)),
            None => base,
        }
    }

    fn list(&self, items: &[&str]) -> String {
        join_list(items, "жана")
    }

    fn heading(&self, h: Heading) -> &'static str {
        match h {
            Heading::Entrance => "Негизги кире бериш",
            Heading::Elevator => "Лифт жана кабаттар",
            Heading::Toilet => "Даараткана",
            Heading::Parking => "Унаа токтотуучу жай жана жол",
            Heading::Blind => "Көзү көрбөгөн келүүчүлөр үчүн",
            Heading::Deaf => "Угуусу жок келүүчүлөр үчүн",
            Heading::Note => "Келүүчүнүн эскертмеси",
        }
    }

    fn grades(&self, g: &Grades) -> String {
        format!(
            "майып арабасындагылар үчүн: {}; көзү көрбөгөндөр үчүн: {}; угуусу жоктор үчүн: {}",
            g.wheelchair.label(Lang::Kyrgyz),
            g.blind.label(Lang::Kyrgyz),
            g.deaf.label(Lang::Kyrgyz)
        )
    }

    fn reports(&self, count: u32, days: i64) -> String {
        if count == 1 {
            format!("1 билдирүү, {}", self.ago(days))
        } else {
            format!("{count} билдирүү, акыркысы {}", self.ago(days))
        }
    }

    fn nothing_reported(&self) -> &'static str {
        "Бул имараттын жеткиликтүүлүгү тууралуу азырынча эч ким маалымат берген жок."
    }
}

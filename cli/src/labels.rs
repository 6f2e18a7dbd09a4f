//! Human labels for the job model's codes (categories, employment types, work modes, regions,
//! accommodations, ways to apply, pay periods) in Kyrgyz, Russian and English.
//!
//! The core labels accessibility vocabulary itself (`teng_core::accessibility::label`); the job
//! model's enums travel as codes and each app words them, so the CLI keeps its own table here.
//! Every `match` is exhaustive: a new variant in the core fails to compile until it is worded.

use teng_core::accessibility::{label, Lang};
use teng_core::model::{
    Accommodation, ApplyChannel, EmploymentType, JobCategory, Region, SalaryPeriod, WorkLanguage,
    WorkMode,
};

use crate::words::{tr, Trio};

pub trait Label {
    fn words(self) -> Trio;

    fn label(self, lang: Lang) -> &'static str
    where
        Self: Sized,
    {
        tr(lang, self.words())
    }
}

impl Label for JobCategory {
    fn words(self) -> Trio {
        use JobCategory::*;
        match self {
            Accounting => ["бухгалтерия", "бухгалтерия", "accounting"],
            Administration => ["администрация", "администрирование", "administration"],
            CustomerService => [
                "кардарларды тейлөө",
                "обслуживание клиентов",
                "customer service",
            ],
            Education => ["билим берүү", "образование", "education"],
            Healthcare => ["саламаттык сактоо", "здравоохранение", "healthcare"],
            InformationTechnology => [
                "маалыматтык технологиялар",
                "информационные технологии",
                "information technology",
            ],
            Manufacturing => ["өндүрүш", "производство", "manufacturing"],
            Retail => ["соода", "розничная торговля", "retail"],
            Hospitality => [
                "мейманкана жана тамак-аш",
                "гостиницы и общепит",
                "hospitality",
            ],
            Crafts => ["кол өнөрчүлүк", "ремёсла", "crafts"],
            Agriculture => ["айыл чарба", "сельское хозяйство", "agriculture"],
            Transport => ["транспорт", "транспорт", "transport"],
            SocialWork => ["социалдык иш", "социальная работа", "social work"],
            Media => ["медиа", "медиа", "media"],
            Legal => ["укук", "юриспруденция", "legal"],
            Cleaning => ["тазалоо", "уборка", "cleaning"],
            Security => ["күзөт", "охрана", "security"],
            Other => ["башка", "другое", "other"],
        }
    }
}

impl Label for EmploymentType {
    fn words(self) -> Trio {
        use EmploymentType::*;
        match self {
            FullTime => ["толук күн", "полная занятость", "full time"],
            PartTime => ["жарым күн", "частичная занятость", "part time"],
            Contract => ["келишим боюнча", "по договору", "contract"],
            Temporary => ["убактылуу", "временная работа", "temporary"],
            Internship => ["стажировка", "стажировка", "internship"],
            Volunteer => ["ыктыярчылык", "волонтёрство", "volunteer"],
        }
    }
}

impl Label for WorkMode {
    fn words(self) -> Trio {
        match self {
            WorkMode::OnSite => ["жеринде", "на месте", "on site"],
            WorkMode::Hybrid => ["аралаш", "гибридный", "hybrid"],
            WorkMode::Remote => ["аралыктан", "удалённо", "remote"],
        }
    }
}

impl Label for Region {
    fn words(self) -> Trio {
        use Region::*;
        match self {
            Bishkek => ["Бишкек шаары", "город Бишкек", "Bishkek city"],
            OshCity => ["Ош шаары", "город Ош", "Osh city"],
            Chuy => ["Чүй облусу", "Чуйская область", "Chuy region"],
            Osh => ["Ош облусу", "Ошская область", "Osh region"],
            JalalAbad => [
                "Жалал-Абад облусу",
                "Джалал-Абадская область",
                "Jalal-Abad region",
            ],
            IssykKul => [
                "Ысык-Көл облусу",
                "Иссык-Кульская область",
                "Issyk-Kul region",
            ],
            Naryn => ["Нарын облусу", "Нарынская область", "Naryn region"],
            Talas => ["Талас облусу", "Таласская область", "Talas region"],
            Batken => ["Баткен облусу", "Баткенская область", "Batken region"],
            Abroad => ["чет өлкө", "за рубежом", "abroad"],
        }
    }
}

impl Label for Accommodation {
    fn words(self) -> Trio {
        use Accommodation::*;
        match self {
            FlexibleHours => ["ийкемдүү иш убактысы", "гибкий график", "flexible hours"],
            AssistiveTechnology => [
                "жардамчы технологиялар",
                "вспомогательные технологии",
                "assistive technology",
            ],
            SignLanguageInterpreter => [
                "жаңсоо тилинин котормочусу",
                "переводчик жестового языка",
                "sign language interpreter",
            ],
            AccessibleTransport => [
                "жеткиликтүү транспорт",
                "доступный транспорт",
                "accessible transport",
            ],
            AdaptedWorkstation => [
                "ыңгайлаштырылган иш орду",
                "приспособленное рабочее место",
                "adapted workstation",
            ],
            RemoteOption => [
                "аралыктан иштөө мүмкүнчүлүгү",
                "можно работать удалённо",
                "remote work possible",
            ],
            PersonalAssistant => ["жеке жардамчы", "личный ассистент", "personal assistant"],
            EasyReadMaterials => [
                "жеңил окулуучу материалдар",
                "материалы в лёгком для чтения формате",
                "easy-read materials",
            ],
            QuietWorkspace => ["тынч иш орду", "тихое рабочее место", "quiet workspace"],
        }
    }
}

impl Label for ApplyChannel {
    fn words(self) -> Trio {
        use ApplyChannel::*;
        match self {
            Phone => ["телефон чалуу", "звонок по телефону", "phone call"],
            Sms => ["SMS", "SMS", "text message (SMS)"],
            WhatsApp => ["WhatsApp", "WhatsApp", "WhatsApp"],
            Email => ["электрондук почта", "электронная почта", "email"],
            InPerson => ["жеке келүү", "лично", "in person"],
        }
    }
}

/// "a month", "в месяц", "айына": the period as it follows an amount.
impl Label for SalaryPeriod {
    fn words(self) -> Trio {
        use SalaryPeriod::*;
        match self {
            Hour => ["саатына", "в час", "an hour"],
            Day => ["күнүнө", "в день", "a day"],
            Week => ["жумасына", "в неделю", "a week"],
            Month => ["айына", "в месяц", "a month"],
            Year => ["жылына", "в год", "a year"],
        }
    }
}

/// A work language's name, from the core's labels of the same ISO codes.
pub fn work_language(language: WorkLanguage, lang: Lang) -> &'static str {
    match Lang::from_code(language.code()) {
        Ok(as_lang) => label(as_lang, lang),
        Err(_) => language.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_present_in_every_language() {
        fn check<T: Label + Copy>(all: &[T]) {
            for v in all {
                for lang in Lang::ALL {
                    assert!(!v.label(*lang).trim().is_empty());
                }
            }
        }
        check(JobCategory::ALL);
        check(EmploymentType::ALL);
        check(WorkMode::ALL);
        check(Region::ALL);
        check(Accommodation::ALL);
        check(ApplyChannel::ALL);
        check(SalaryPeriod::ALL);
        for w in WorkLanguage::ALL {
            assert_ne!(work_language(*w, Lang::Russian), w.code());
        }
    }
}

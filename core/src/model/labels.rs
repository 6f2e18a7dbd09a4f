//! Labels of the job model's and search's enums in Kyrgyz, Russian and English, for every app (the
//! phones through teng-ffi, the `teng` terminal client): one vocabulary, worded once.
//!
//! The same rules as the accessibility labels (`accessibility::words::labels`): lower-case phrases
//! (proper names keep their capitals), no abbreviations, since a screen reader reads them as
//! written. Each value is a `[Kyrgyz, Russian, English]` triple, so a missing translation does not
//! compile.

use crate::accessibility::words::labels::pick;
use crate::accessibility::{Labelled, Lang};
use crate::model::{
    Accommodation, ApplyChannel, EmploymentType, JobCategory, ListingStatus, OrganizationKind,
    Region, SalaryPeriod, WorkLanguage, WorkMode,
};
use crate::search::{AccessCertainty, SortOrder};

impl Labelled for JobCategory {
    fn label(self, lang: Lang) -> &'static str {
        use JobCategory::*;
        pick(
            match self {
                Accounting => [
                    "бухгалтерия жана финансы",
                    "бухгалтерия и финансы",
                    "accounting and finance",
                ],
                Administration => [
                    "администрация жана кеңсе иши",
                    "администрирование и офисная работа",
                    "administration and office work",
                ],
                CustomerService => [
                    "кардарларды тейлөө",
                    "обслуживание клиентов",
                    "customer service",
                ],
                Education => ["билим берүү", "образование", "education"],
                Healthcare => ["саламаттыкты сактоо", "здравоохранение", "healthcare"],
                InformationTechnology => [
                    "маалыматтык технологиялар",
                    "информационные технологии",
                    "information technology",
                ],
                Manufacturing => ["өндүрүш", "производство", "manufacturing"],
                Retail => ["соода", "торговля", "retail"],
                Hospitality => [
                    "мейманкана жана тамак-аш тейлөө",
                    "гостиницы и общественное питание",
                    "hotels and catering",
                ],
                Crafts => ["кол өнөрчүлүк", "ремёсла", "crafts"],
                Agriculture => ["айыл чарба", "сельское хозяйство", "agriculture"],
                Transport => ["транспорт", "транспорт", "transport"],
                SocialWork => ["социалдык иш", "социальная работа", "social work"],
                Media => [
                    "маалымат каражаттары",
                    "средства массовой информации",
                    "media",
                ],
                Legal => ["юридикалык иш", "юриспруденция", "legal work"],
                Cleaning => ["тазалоо", "уборка", "cleaning"],
                Security => ["күзөт", "охрана", "security"],
                Other => ["башка", "другое", "other"],
            },
            lang,
        )
    }
}

impl Labelled for EmploymentType {
    fn label(self, lang: Lang) -> &'static str {
        use EmploymentType::*;
        pick(
            match self {
                FullTime => ["толук жумуш күнү", "полная занятость", "full time"],
                PartTime => ["толук эмес жумуш күнү", "частичная занятость", "part time"],
                Contract => ["келишим боюнча иш", "работа по договору", "contract"],
                Temporary => ["убактылуу иш", "временная работа", "temporary"],
                Internship => ["стажировка", "стажировка", "internship"],
                Volunteer => ["ыктыярдуу иш", "волонтёрство", "volunteering"],
            },
            lang,
        )
    }
}

impl Labelled for WorkMode {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                WorkMode::OnSite => ["жумуш ордунда", "на рабочем месте", "on site"],
                WorkMode::Hybrid => [
                    "аралаш: жумуш ордунда жана алыстан",
                    "смешанный формат: на месте и удалённо",
                    "hybrid: on site and remote",
                ],
                WorkMode::Remote => ["алыстан иштөө", "удалённая работа", "remote"],
            },
            lang,
        )
    }
}

impl Labelled for Accommodation {
    fn label(self, lang: Lang) -> &'static str {
        use Accommodation::*;
        pick(
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
                    "ыңгайлаштырылган транспорт",
                    "адаптированный транспорт",
                    "accessible transport",
                ],
                AdaptedWorkstation => [
                    "ыңгайлаштырылган жумуш орду",
                    "адаптированное рабочее место",
                    "adapted workstation",
                ],
                RemoteOption => [
                    "үйдөн иштөө мүмкүнчүлүгү",
                    "возможность работать из дома",
                    "option to work from home",
                ],
                PersonalAssistant => [
                    "жеке жардамчы",
                    "персональный ассистент",
                    "personal assistant",
                ],
                EasyReadMaterials => [
                    "жеңил окулуучу материалдар",
                    "материалы в формате «лёгкое чтение»",
                    "easy-read materials",
                ],
                QuietWorkspace => ["тынч жумуш орду", "тихое рабочее место", "quiet workspace"],
            },
            lang,
        )
    }
}

impl Labelled for Region {
    fn label(self, lang: Lang) -> &'static str {
        use Region::*;
        pick(
            match self {
                Bishkek => ["Бишкек шаары", "город Бишкек", "Bishkek city"],
                OshCity => ["Ош шаары", "город Ош", "Osh city"],
                Chuy => ["Чүй облусу", "Чуйская область", "Chuy Region"],
                Osh => ["Ош облусу", "Ошская область", "Osh Region"],
                JalalAbad => [
                    "Жалал-Абад облусу",
                    "Джалал-Абадская область",
                    "Jalal-Abad Region",
                ],
                IssykKul => [
                    "Ысык-Көл облусу",
                    "Иссык-Кульская область",
                    "Issyk-Kul Region",
                ],
                Naryn => ["Нарын облусу", "Нарынская область", "Naryn Region"],
                Talas => ["Талас облусу", "Таласская область", "Talas Region"],
                Batken => ["Баткен облусу", "Баткенская область", "Batken Region"],
                Abroad => ["чет өлкөдө", "за рубежом", "abroad"],
            },
            lang,
        )
    }
}

impl Labelled for SalaryPeriod {
    fn label(self, lang: Lang) -> &'static str {
        use SalaryPeriod::*;
        pick(
            match self {
                Hour => ["саатына", "в час", "per hour"],
                Day => ["күнүнө", "в день", "per day"],
                Week => ["жумасына", "в неделю", "per week"],
                Month => ["айына", "в месяц", "per month"],
                Year => ["жылына", "в год", "per year"],
            },
            lang,
        )
    }
}

impl Labelled for ApplyChannel {
    fn label(self, lang: Lang) -> &'static str {
        use ApplyChannel::*;
        pick(
            match self {
                Phone => ["телефон чалуу", "звонок по телефону", "phone call"],
                Sms => ["кыска билдирүү", "текстовое сообщение", "text message"],
                WhatsApp => ["WhatsApp", "WhatsApp", "WhatsApp"],
                Email => ["электрондук почта", "электронная почта", "email"],
                InPerson => ["жеке келүү", "лично", "in person"],
            },
            lang,
        )
    }
}

impl Labelled for ListingStatus {
    fn label(self, lang: Lang) -> &'static str {
        use ListingStatus::*;
        pick(
            match self {
                Draft => ["долбоор", "черновик", "draft"],
                Published => ["жарыяланган", "опубликовано", "published"],
                Closed => ["жабылган", "закрыто", "closed"],
            },
            lang,
        )
    }
}

impl Labelled for OrganizationKind {
    fn label(self, lang: Lang) -> &'static str {
        use OrganizationKind::*;
        pick(
            match self {
                Ngo => [
                    "коомдук уюм",
                    "некоммерческая организация",
                    "non-governmental organization",
                ],
                Employer => ["иш берүүчү", "работодатель", "employer"],
                PublicBody => [
                    "мамлекеттик мекеме",
                    "государственное учреждение",
                    "public body",
                ],
            },
            lang,
        )
    }
}

impl Labelled for WorkLanguage {
    /// The same names as the app's languages: "кыргыз тили", "кыргызский", "Kyrgyz".
    fn label(self, lang: Lang) -> &'static str {
        let as_lang = match self {
            WorkLanguage::Kyrgyz => Lang::Kyrgyz,
            WorkLanguage::Russian => Lang::Russian,
            WorkLanguage::English => Lang::English,
        };
        crate::accessibility::label(as_lang, lang)
    }
}

impl Labelled for SortOrder {
    fn label(self, lang: Lang) -> &'static str {
        use SortOrder::*;
        pick(
            match self {
                Relevance => ["эң ылайыктуулары", "по соответствию", "best match"],
                Newest => ["жаңылары биринчи", "сначала новые", "newest first"],
                Distance => ["жакындары биринчи", "сначала ближайшие", "nearest first"],
                Salary => [
                    "айлыгы жогорулары биринчи",
                    "сначала с высокой зарплатой",
                    "highest pay first",
                ],
            },
            lang,
        )
    }
}

impl Labelled for AccessCertainty {
    fn label(self, lang: Lang) -> &'static str {
        use AccessCertainty::*;
        pick(
            match self {
                Confirmed => [
                    "тастыкталгандары гана",
                    "только подтверждённые сведения",
                    "confirmed facts only",
                ],
                Likely => [
                    "азырынча тастыкталбагандары да",
                    "включая пока не подтверждённые",
                    "including not yet confirmed",
                ],
                UnknownAllowed => [
                    "маалыматы жок имараттар да",
                    "включая здания без сведений",
                    "including buildings nobody reported on",
                ],
            },
            lang,
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Every value has a label in every language, and no two values of an enum read the same (a
    /// screen reader user could not tell them apart).
    fn worded<T: Labelled>(all: &[T]) {
        for lang in Lang::ALL {
            let labels: Vec<&str> = all.iter().map(|v| v.label(*lang)).collect();
            assert!(labels.iter().all(|l| !l.trim().is_empty()), "{labels:?}");
            let distinct: HashSet<&&str> = labels.iter().collect();
            assert_eq!(distinct.len(), labels.len(), "{lang:?}: {labels:?}");
        }
    }

    #[test]
    fn every_job_and_search_enum_is_worded_in_every_language() {
        worded(JobCategory::ALL);
        worded(EmploymentType::ALL);
        worded(WorkMode::ALL);
        worded(Accommodation::ALL);
        worded(Region::ALL);
        worded(SalaryPeriod::ALL);
        worded(ApplyChannel::ALL);
        worded(ListingStatus::ALL);
        worded(OrganizationKind::ALL);
        worded(WorkLanguage::ALL);
        worded(SortOrder::ALL);
        worded(AccessCertainty::ALL);
    }

    #[test]
    fn labels_are_in_the_language_asked_for() {
        assert_eq!(Region::Bishkek.label(Lang::Kyrgyz), "Бишкек шаары");
        assert_eq!(Region::Bishkek.label(Lang::Russian), "город Бишкек");
        assert_eq!(WorkLanguage::Kyrgyz.label(Lang::English), "Kyrgyz");
    }
}

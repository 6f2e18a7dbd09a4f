//! Labels for every enum value in Kyrgyz, Russian and English.
//!
//! Accessibility vocabulary (features, ramps, doors, grades, requirements...) comes from
//! `teng_core::accessibility::label`, shared with the sentences the core writes. The job vocabulary
//! (categories, employment types, regions, sorts...) has no labels in the core yet; it is here, as
//! `[Kyrgyz, Russian, English]` triples so a missing translation is a compile error. Same rules as
//! the core's labels: lower-case phrases (proper names keep their capitals), no abbreviations, since
//! a screen reader reads them as written. If the server or another crate needs these words, they
//! belong in `teng_core::model` and this file shrinks to delegations.

use teng_core::accessibility::{self as access, Labelled, Lang};
use teng_core::model::{
    Accommodation, ApplyChannel, EmploymentType, JobCategory, ListingStatus, OrganizationKind,
    Region, SalaryPeriod, WorkLanguage, WorkMode,
};
use teng_core::search::{AccessCertainty, SortOrder};

/// A core enum value's label in a language.
pub(crate) trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// The core's own labels.
macro_rules! core_labels {
    ($($ty:ty),+ $(,)?) => {
        $(impl Label for $ty {
            fn label(self, lang: Lang) -> &'static str {
                Labelled::label(self, lang)
            }
        })+
    };
}

core_labels!(
    access::Feature,
    access::ValueKind,
    access::RampKind,
    access::DoorType,
    access::AccessLevel,
    access::SignLanguage,
    access::ReporterKind,
    access::Method,
    access::FactState,
    access::Grade,
    access::AccessRequirement,
    access::Tri,
);

type Trio = [&'static str; 3];

fn pick(t: Trio, lang: Lang) -> &'static str {
    match lang {
        Lang::Kyrgyz => t[0],
        Lang::Russian => t[1],
        Lang::English => t[2],
    }
}

impl Label for JobCategory {
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

impl Label for EmploymentType {
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

impl Label for WorkMode {
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

impl Label for Accommodation {
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

impl Label for Region {
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

impl Label for SalaryPeriod {
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

impl Label for ApplyChannel {
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

impl Label for ListingStatus {
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

impl Label for OrganizationKind {
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

impl Label for WorkLanguage {
    /// The same names as the app's languages: "кыргыз тили", "кыргызский", "Kyrgyz".
    fn label(self, lang: Lang) -> &'static str {
        let as_lang = match self {
            WorkLanguage::Kyrgyz => Lang::Kyrgyz,
            WorkLanguage::Russian => Lang::Russian,
            WorkLanguage::English => Lang::English,
        };
        access::label(as_lang, lang)
    }
}

impl Label for SortOrder {
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

impl Label for AccessCertainty {
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

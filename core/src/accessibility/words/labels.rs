//! Labels for every feature and enum value, side by side as `[Kyrgyz, Russian, English]`, so a
//! missing translation is a compile error and reviewers read the three together. Labels are
//! lower-case phrases (they are spoken mid-sentence); apps capitalise them for headings.
//! No abbreviations: a screen reader must read them as written.

use super::{Labelled, Lang};
use crate::accessibility::aggregate::FactState;
use crate::accessibility::features::{
    AccessLevel, DoorType, Feature, RampKind, SignLanguage, ValueKind, Volatility,
};
use crate::accessibility::grade::Grade;
use crate::accessibility::report::{Method, ReporterKind};
use crate::accessibility::report_status::{ReportStatus, StatusAuthor};
use crate::accessibility::requirement::{AccessRequirement, Tri};

/// `[Kyrgyz, Russian, English]`.
pub(crate) type Trio = [&'static str; 3];

pub(crate) fn pick(t: Trio, lang: Lang) -> &'static str {
    match lang {
        Lang::Kyrgyz => t[0],
        Lang::Russian => t[1],
        Lang::English => t[2],
    }
}

impl Labelled for Feature {
    fn label(self, lang: Lang) -> &'static str {
        use Feature::*;
        pick(
            match self {
                StepFreeEntrance => [
                    "тепкичсиз кире бериш",
                    "вход без ступенек",
                    "step-free entrance",
                ],
                EntranceStepCount => [
                    "кире бериштеги тепкичтердин саны",
                    "число ступенек у входа",
                    "number of steps at the entrance",
                ],
                EntranceStepHeight => [
                    "кире бериштеги эң бийик тепкичтин бийиктиги",
                    "высота самой высокой ступеньки у входа",
                    "height of the highest entrance step",
                ],
                Ramp => ["пандус", "пандус", "ramp"],
                RampSlope => ["пандустун эңкейиши", "уклон пандуса", "ramp slope"],
                RampHandrail => [
                    "пандустагы кармагычтар",
                    "поручни на пандусе",
                    "handrails on the ramp",
                ],
                DoorWidth => [
                    "кире бериш эшигинин туурасы",
                    "ширина входной двери",
                    "entrance door width",
                ],
                DoorThreshold => [
                    "босоганын бийиктиги",
                    "высота порога",
                    "door threshold height",
                ],
                DoorType => [
                    "кире бериш эшигинин түрү",
                    "тип входной двери",
                    "entrance door type",
                ],
                BellNeeded => [
                    "кирүү үчүн коңгуроо же домофон керек",
                    "вход по звонку или домофону",
                    "bell or intercom needed to enter",
                ],
                Elevator => ["лифт", "лифт", "elevator"],
                ElevatorWorking => ["лифт иштейт", "лифт работает", "elevator working"],
                ElevatorCabinWidth => [
                    "лифт кабинасынын туурасы",
                    "ширина кабины лифта",
                    "elevator cabin width",
                ],
                ElevatorCabinDepth => [
                    "лифт кабинасынын тереңдиги",
                    "глубина кабины лифта",
                    "elevator cabin depth",
                ],
                ElevatorSpeech => [
                    "лифт кабаттарды үн менен билдирет",
                    "лифт объявляет этажи голосом",
                    "elevator announces floors by voice",
                ],
                ElevatorBraille => [
                    "лифттин баскычтарында Брайль арибы",
                    "шрифт Брайля на кнопках лифта",
                    "braille on the elevator buttons",
                ],
                WorkplaceFloor => [
                    "жумуш ордунун кабаты",
                    "этаж рабочего места",
                    "workplace floor",
                ],
                WorkplaceStepFree => [
                    "жумуш ордуна тепкичсиз жетүүгө болот",
                    "до рабочего места можно добраться без ступенек",
                    "workplace reachable without steps",
                ],
                Toilet => [
                    "жеткиликтүү даараткана",
                    "доступный туалет",
                    "accessible toilet",
                ],
                ToiletDoorWidth => [
                    "даараткана эшигинин туурасы",
                    "ширина двери туалета",
                    "toilet door width",
                ],
                ToiletTurningSpace => [
                    "даараткананын ичинде бурулуу үчүн орун",
                    "место для разворота в туалете",
                    "turning space in the toilet",
                ],
                ParkingSpaces => [
                    "майыптар үчүн унаа токтотуучу орундар",
                    "парковочные места для людей с инвалидностью",
                    "accessible parking spaces",
                ],
                ParkingDistance => [
                    "унаа токтотуучу жайдан кире беришке чейинки аралык",
                    "расстояние от парковки до входа",
                    "distance from the parking to the entrance",
                ],
                StepFreeRoute => [
                    "көчөдөн же аялдамадан тепкичсиз жол",
                    "путь без ступенек от улицы или остановки",
                    "step-free route from the street or the stop",
                ],
                TactilePaving => [
                    "тактилдик жол тилкелери",
                    "тактильная плитка и направляющие полосы",
                    "tactile guide strips",
                ],
                BrailleSignage => [
                    "Брайль арибы же бедерлүү тамгалар менен жазылган белгилер",
                    "таблички шрифтом Брайля или рельефными буквами",
                    "braille or raised-letter signs",
                ],
                HearingLoop => [
                    "угуу аппараты үчүн индукциялык илмек",
                    "индукционная петля для слуховых аппаратов",
                    "hearing loop",
                ],
                VisualAlarm => [
                    "жарык менен кабарлоочу өрт сигнализациясы",
                    "световая пожарная сигнализация",
                    "visual fire alarm",
                ],
                SignLanguageStaff => [
                    "жаңсоо тилин билген кызматкерлер",
                    "сотрудники, владеющие жестовым языком",
                    "staff who use sign language",
                ],
            },
            lang,
        )
    }
}

impl Labelled for RampKind {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                RampKind::NoRamp => ["пандус жок", "пандуса нет", "no ramp"],
                RampKind::Fixed => ["туруктуу пандус", "стационарный пандус", "fixed ramp"],
                RampKind::Removable => ["алынма пандус", "съёмный пандус", "removable ramp"],
            },
            lang,
        )
    }
}

impl Labelled for DoorType {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                DoorType::Hinged => ["ачылма эшик", "распашная дверь", "hinged door"],
                DoorType::Sliding => ["жылма эшик", "раздвижная дверь", "sliding door"],
                DoorType::Revolving => ["айланма эшик", "вращающаяся дверь", "revolving door"],
                DoorType::Automatic => {
                    ["автоматтык эшик", "автоматическая дверь", "automatic door"]
                }
            },
            lang,
        )
    }
}

impl Labelled for AccessLevel {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                AccessLevel::Yes => ["жеткиликтүү", "доступен", "accessible"],
                AccessLevel::Limited => [
                    "жарым-жартылай жеткиликтүү",
                    "частично доступен",
                    "partly accessible",
                ],
                AccessLevel::No => ["жеткиликсиз", "недоступен", "not accessible"],
            },
            lang,
        )
    }
}

impl Labelled for SignLanguage {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                SignLanguage::Russian => [
                    "орус жаңсоо тили",
                    "русский жестовый язык",
                    "Russian Sign Language",
                ],
                SignLanguage::International => [
                    "эл аралык жаңсоо тили",
                    "международный жестовый язык",
                    "International Sign",
                ],
                SignLanguage::American => [
                    "америкалык жаңсоо тили",
                    "американский жестовый язык",
                    "American Sign Language",
                ],
            },
            lang,
        )
    }
}

impl Labelled for ReporterKind {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                ReporterKind::Anonymous => [
                    "аты аталбаган келүүчү",
                    "анонимный посетитель",
                    "anonymous visitor",
                ],
                ReporterKind::VerifiedSurveyor => [
                    "текшерилген изилдөөчү",
                    "проверенный обследователь",
                    "verified surveyor",
                ],
                ReporterKind::ExternalSystem => {
                    ["башка система", "внешняя система", "external system"]
                }
            },
            lang,
        )
    }
}

impl Labelled for Method {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Method::Measured => ["өлчөнгөн", "измерено", "measured"],
                Method::Estimated => ["көз менен бааланган", "оценено на глаз", "estimated by eye"],
                Method::PhotoChecked => [
                    "сүрөт боюнча текшерилген",
                    "проверено по фотографии",
                    "checked on a photo",
                ],
            },
            lang,
        )
    }
}

// ky: review (the two below).
impl Labelled for ReportStatus {
    fn label(self, lang: Lang) -> &'static str {
        use ReportStatus::*;
        pick(
            match self {
                // Also what a status code from a newer server reads as.
                Open => [
                    "алынды, жооп күтүлүүдө",
                    "получено, ждёт ответа",
                    "received, not answered yet",
                ],
                Acknowledged => ["кароого алынды", "принято к рассмотрению", "acknowledged"],
                InProgress => ["иштелип жатат", "в работе", "in progress"],
                Resolved => ["чечилди", "решено", "resolved"],
                NotResponsible => [
                    "шаардын милдетине кирбейт",
                    "не в ведении городской службы",
                    "not the city office's responsibility",
                ],
                Reopened => [
                    "кайра ачылды: дагы эле оңдоло элек",
                    "открыто снова: всё ещё не исправлено",
                    "reopened: still not fixed",
                ],
            },
            lang,
        )
    }
}

impl Labelled for StatusAuthor {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                StatusAuthor::City => ["шаардык кызмат", "городская служба", "the city office"],
                StatusAuthor::Reporter => ["сиз", "вы", "you"],
            },
            lang,
        )
    }
}

impl Labelled for FactState {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                FactState::Confirmed => ["тастыкталган", "подтверждено", "confirmed"],
                FactState::Unconfirmed => [
                    "азырынча тастыкталган эмес",
                    "пока не подтверждено",
                    "not yet confirmed",
                ],
                FactState::Conflicting => [
                    "маалыматтар карама-каршы",
                    "сведения расходятся",
                    "reports disagree",
                ],
                FactState::Stale => [
                    "эскирген болушу мүмкүн",
                    "возможно, устарело",
                    "may be out of date",
                ],
                FactState::Unknown => ["белгисиз", "нет данных", "not known"],
            },
            lang,
        )
    }
}

impl Labelled for Grade {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Grade::Yes => ["жеткиликтүү", "доступно", "accessible"],
                Grade::Limited => [
                    "жарым-жартылай жеткиликтүү",
                    "частично доступно",
                    "partly accessible",
                ],
                Grade::No => ["жеткиликсиз", "недоступно", "not accessible"],
                Grade::Unknown => ["белгисиз", "нет данных", "not known"],
            },
            lang,
        )
    }
}

impl Labelled for AccessRequirement {
    fn label(self, lang: Lang) -> &'static str {
        use AccessRequirement::*;
        pick(
            match self {
                StepFreeEntrance => [
                    "тепкичсиз кире бериш",
                    "вход без ступенек",
                    "step-free entrance",
                ],
                AccessibleToilet => [
                    "жеткиликтүү даараткана",
                    "доступный туалет",
                    "accessible toilet",
                ],
                Elevator => ["иштеген лифт", "работающий лифт", "working elevator"],
                HearingLoop => ["индукциялык илмек", "индукционная петля", "hearing loop"],
                TactileGuidance => [
                    "тактилдик жол тилкелери",
                    "тактильные направляющие",
                    "tactile guide strips",
                ],
                WheelchairAccessible => [
                    "майып арабасы менен толук жеткиликтүү",
                    "полностью доступно на коляске",
                    "fully accessible by wheelchair",
                ],
                SignLanguageStaff => [
                    "жаңсоо тилин билген кызматкерлер",
                    "сотрудники, владеющие жестовым языком",
                    "staff who use sign language",
                ],
                AccessibleParking => [
                    "майыптар үчүн унаа токтотуучу жай",
                    "парковка для людей с инвалидностью",
                    "accessible parking",
                ],
            },
            lang,
        )
    }
}

impl Labelled for Tri {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Tri::Yes => ["ооба", "да", "yes"],
                Tri::No => ["жок", "нет", "no"],
                Tri::Unknown => ["белгисиз", "нет данных", "not known"],
            },
            lang,
        )
    }
}

impl Labelled for Lang {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Lang::Kyrgyz => ["кыргыз тили", "кыргызский", "Kyrgyz"],
                Lang::Russian => ["орус тили", "русский", "Russian"],
                Lang::English => ["англис тили", "английский", "English"],
            },
            lang,
        )
    }
}

impl Labelled for Volatility {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Volatility::Volatile => [
                    "бир нече жумада өзгөрөт",
                    "меняется за недели",
                    "changes within weeks",
                ],
                Volatility::Seasonal => [
                    "бир нече айда өзгөрөт",
                    "меняется за месяцы",
                    "changes within months",
                ],
                Volatility::Structural => [
                    "бир нече жылда өзгөрөт",
                    "меняется за годы",
                    "changes over years",
                ],
            },
            lang,
        )
    }
}

impl Labelled for ValueKind {
    fn label(self, lang: Lang) -> &'static str {
        pick(
            match self {
                ValueKind::Bool => ["ооба же жок", "да или нет", "yes or no"],
                ValueKind::Count => ["сан", "число", "number"],
                ValueKind::Centimetres => ["сантиметр", "сантиметры", "centimetres"],
                ValueKind::Metres => ["метр", "метры", "metres"],
                ValueKind::Percent => ["пайыз", "проценты", "percent"],
                ValueKind::Floor => ["кабат", "этаж", "floor"],
                ValueKind::Ramp => ["пандустун түрү", "тип пандуса", "ramp type"],
                ValueKind::DoorType => ["эшиктин түрү", "тип двери", "door type"],
                ValueKind::Access => [
                    "жеткиликтүүлүк деңгээли",
                    "уровень доступности",
                    "access level",
                ],
                ValueKind::SignLanguages => ["жаңсоо тилдери", "жестовые языки", "sign languages"],
            },
            lang,
        )
    }
}

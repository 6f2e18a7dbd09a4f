//! Labels in every language, reviewed sentence snapshots, speech rules (no unit abbreviations,
//! Russian plural forms, ordinals, relative times).

use super::*;
use crate::accessibility::tests::{anon, now, random_facts, report, rich_building, BUILDING};
use crate::accessibility::*;
use chrono::Duration;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn labels_of<T: Labelled + std::fmt::Debug>(all: &[T], distinct: bool) {
    for lang in Lang::ALL {
        let mut seen = std::collections::HashSet::new();
        for item in all {
            let text = label(*item, *lang);
            assert!(!text.trim().is_empty(), "{item:?} has no {lang} label");
            assert_eq!(text, text.trim(), "{item:?} {lang}");
            if distinct {
                assert!(
                    seen.insert(text),
                    "{item:?}: {lang} label {text:?} used twice"
                );
            }
        }
    }
    // Kyrgyz and Russian labels are written in Cyrillic (proper names aside).
    for item in all {
        for lang in [Lang::Kyrgyz, Lang::Russian] {
            let text = label(*item, lang);
            assert!(
                text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
                "{item:?} {lang} label {text:?} is not Cyrillic"
            );
        }
    }
}

#[test]
fn every_feature_and_enum_value_has_a_label_in_every_language() {
    labels_of(Feature::ALL, true);
    labels_of(RampKind::ALL, true);
    labels_of(DoorType::ALL, true);
    labels_of(AccessLevel::ALL, true);
    labels_of(SignLanguage::ALL, true);
    labels_of(ReporterKind::ALL, true);
    labels_of(Method::ALL, true);
    labels_of(FactState::ALL, true);
    labels_of(Grade::ALL, true);
    labels_of(AccessRequirement::ALL, true);
    labels_of(Tri::ALL, true);
    labels_of(Lang::ALL, true);
    labels_of(Volatility::ALL, true);
    labels_of(ValueKind::ALL, true);
    labels_of(ReportStatus::ALL, true);
    labels_of(StatusAuthor::ALL, true);
    assert_eq!(label(Feature::HearingLoop, Lang::English), "hearing loop");
    assert_eq!(label(RampKind::NoRamp, Lang::Russian), "пандуса нет");
}

#[test]
fn rich_building_in_three_languages() {
    let s = rich_building();
    assert_eq!(
        s.summary_text(Lang::English, now()),
        "Wheelchair users: not accessible; blind visitors: not known; deaf visitors: partly accessible; main entrance: 2 steps, up to 15 centimetres high; 4 reports, the latest 3 days ago."
    );
    assert_eq!(
        s.description_text(Lang::English, now()),
        [
            "Wheelchair users: not accessible; blind visitors: not known; deaf visitors: partly accessible.",
            "Main entrance: 2 steps, up to 15 centimetres high; no ramp; entrance door width: 80 centimetres; hinged door.",
            "Elevator and floors: the elevator works (reported 3 days ago); elevator cabin 110 centimetres wide and 140 centimetres deep; elevator announces floors by voice: no; the workplace is on the 3rd floor, reachable without steps.",
            "Toilet: the toilet is partly accessible (not yet confirmed); toilet door width: 75 centimetres (not yet confirmed).",
            "Parking and route: 2 accessible parking spaces, 30 metres from the entrance; step-free route from the street or the stop: yes (reported 1 year ago, may have changed).",
            "For blind visitors: tactile guide strips: no; braille or raised-letter signs: reports disagree.",
            "For deaf visitors: hearing loop: not known; visual fire alarm: yes; staff who use sign language: Russian Sign Language.",
            "4 reports, the latest 3 days ago.",
            "Visitor note: Вход со стороны двора, звонок справа от двери.",
        ]
    );
    assert_eq!(
        s.summary_text(Lang::Russian, now()),
        "Пользователям колясок: недоступно; незрячим посетителям: нет данных; глухим посетителям: частично доступно; главный вход: 2 ступени высотой до 15 сантиметров; 4 сообщения, последнее 3 дня назад."
    );
    assert_eq!(
        s.description_text(Lang::Russian, now()),
        [
            "Пользователям колясок: недоступно; незрячим посетителям: нет данных; глухим посетителям: частично доступно.",
            "Главный вход: 2 ступени высотой до 15 сантиметров; пандуса нет; ширина входной двери: 80 сантиметров; распашная дверь.",
            "Лифт и этажи: лифт работает (сообщили 3 дня назад); кабина лифта шириной 110 сантиметров и глубиной 140 сантиметров; лифт объявляет этажи голосом: нет; рабочее место на 3-м этаже, до него можно добраться без ступенек.",
            "Туалет: туалет частично доступен (пока не подтверждено); ширина двери туалета: 75 сантиметров (пока не подтверждено).",
            "Парковка и путь: 2 парковочных места для людей с инвалидностью, в 30 метрах от входа; путь без ступенек от улицы или остановки: да (сообщили 1 год назад, могло измениться).",
            "Для незрячих посетителей: тактильная плитка и направляющие полосы: нет; таблички шрифтом Брайля или рельефными буквами: сведения расходятся.",
            "Для глухих посетителей: индукционная петля для слуховых аппаратов: нет данных; световая пожарная сигнализация: да; сотрудники, владеющие жестовым языком: русский жестовый язык.",
            "4 сообщения, последнее 3 дня назад.",
            "Заметка посетителя: Вход со стороны двора, звонок справа от двери.",
        ]
    );
    assert_eq!(
        s.summary_text(Lang::Kyrgyz, now()),
        "Майып арабасындагылар үчүн: жеткиликсиз; көзү көрбөгөндөр үчүн: белгисиз; угуусу жоктор үчүн: жарым-жартылай жеткиликтүү; негизги кире бериш: 2 тепкич, эң бийиги 15 сантиметр; 4 билдирүү, акыркысы 3 күн мурун."
    );
    assert_eq!(
        s.description_text(Lang::Kyrgyz, now()),
        [
            "Майып арабасындагылар үчүн: жеткиликсиз; көзү көрбөгөндөр үчүн: белгисиз; угуусу жоктор үчүн: жарым-жартылай жеткиликтүү.",
            "Негизги кире бериш: 2 тепкич, эң бийиги 15 сантиметр; пандус жок; кире бериш эшигинин туурасы: 80 сантиметр; ачылма эшик.",
            "Лифт жана кабаттар: лифт иштейт (3 күн мурун билдирилген); лифт кабинасынын туурасы 110 сантиметр, тереңдиги 140 сантиметр; лифт кабаттарды үн менен билдирет: жок; жумуш орду 3-кабатта, ага тепкичсиз жетүүгө болот.",
            "Даараткана: даараткана жарым-жартылай жеткиликтүү (азырынча тастыкталган эмес); даараткана эшигинин туурасы: 75 сантиметр (азырынча тастыкталган эмес).",
            "Унаа токтотуучу жай жана жол: майыптар үчүн 2 унаа токтотуучу орун, кире бериштен 30 метр аралыкта; көчөдөн же аялдамадан тепкичсиз жол: ооба (1 жыл мурун билдирилген, өзгөргөн болушу мүмкүн).",
            "Көзү көрбөгөн келүүчүлөр үчүн: тактилдик жол тилкелери: жок; Брайль арибы же бедерлүү тамгалар менен жазылган белгилер: маалыматтар карама-каршы.",
            "Угуусу жок келүүчүлөр үчүн: угуу аппараты үчүн индукциялык илмек: белгисиз; жарык менен кабарлоочу өрт сигнализациясы: ооба; жаңсоо тилин билген кызматкерлер: орус жаңсоо тили.",
            "4 билдирүү, акыркысы 3 күн мурун.",
            "Келүүчүнүн эскертмеси: Вход со стороны двора, звонок справа от двери.",
        ]
    );
}

#[test]
fn a_single_unconfirmed_report_says_so_once_and_unknowns_plainly() {
    let s = aggregate(
        BUILDING,
        &[anon(
            1,
            "a",
            0,
            Facts::new()
                .with(Feature::DoorWidth, FeatureValue::Centimetres(91))
                .with(Feature::StepFreeEntrance, FeatureValue::Bool(true)),
        )],
        now(),
    );
    assert_eq!(
        s.summary_text(Lang::English, now()),
        "Wheelchair users: not known; blind visitors: not known; deaf visitors: not known; main entrance: no steps; 1 report, today, not yet confirmed."
    );
    assert_eq!(
        s.description_text(Lang::English, now()),
        [
            "Wheelchair users: not known; blind visitors: not known; deaf visitors: not known.",
            "Main entrance: no steps; entrance door width: 91 centimetres.",
            "Elevator and floors: elevator: not known; workplace floor: not known.",
            "Toilet: accessible toilet: not known.",
            "Parking and route: accessible parking spaces: not known; step-free route from the street or the stop: not known.",
            "For blind visitors: tactile guide strips: not known; braille or raised-letter signs: not known.",
            "For deaf visitors: hearing loop: not known; visual fire alarm: not known; staff who use sign language: not known.",
            "1 report, today, not yet confirmed.",
        ]
    );
    assert_eq!(
        s.summary_text(Lang::Russian, now()),
        "Пользователям колясок: нет данных; незрячим посетителям: нет данных; глухим посетителям: нет данных; главный вход: ступенек нет; 1 сообщение, сегодня, пока не подтверждено."
    );
    assert_eq!(
        s.description_text(Lang::Russian, now())[1..4],
        [
            "Главный вход: ступенек нет; ширина входной двери: 91 сантиметр.",
            "Лифт и этажи: лифт: нет данных; этаж рабочего места: нет данных.",
            "Туалет: доступный туалет: нет данных.",
        ]
    );
    assert_eq!(
        s.summary_text(Lang::Kyrgyz, now()),
        "Майып арабасындагылар үчүн: белгисиз; көзү көрбөгөндөр үчүн: белгисиз; угуусу жоктор үчүн: белгисиз; негизги кире бериш: тепкич жок; 1 билдирүү, бүгүн, азырынча тастыкталган эмес."
    );
    assert_eq!(
        s.description_text(Lang::Kyrgyz, now())[1..4],
        [
            "Негизги кире бериш: тепкич жок; кире бериш эшигинин туурасы: 91 сантиметр.",
            "Лифт жана кабаттар: лифт: белгисиз; жумуш ордунун кабаты: белгисиз.",
            "Даараткана: жеткиликтүү даараткана: белгисиз.",
        ]
    );
}

#[test]
fn empty_building_in_three_languages() {
    let s = aggregate(BUILDING, &[], now());
    let expected = [
        (
            Lang::Kyrgyz,
            "Бул имараттын жеткиликтүүлүгү тууралуу азырынча эч ким маалымат берген жок.",
        ),
        (
            Lang::Russian,
            "О доступности этого здания пока никто не сообщал.",
        ),
        (
            Lang::English,
            "No accessibility information has been reported for this building yet.",
        ),
    ];
    for (lang, text) in expected {
        assert_eq!(s.summary_text(lang, now()), text);
        assert_eq!(s.description_text(lang, now()), [text]);
    }
}

/// Unit abbreviations and symbols a screen reader would misread.
const FORBIDDEN_TOKENS: &[&str] = &[
    "cm", "mm", "m", "km", "см", "мм", "м", "км", "эт", "ул", "кв", "шт", "approx", "min", "max",
];

#[test]
fn no_abbreviations_in_any_generated_sentence() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut checked = 0;
    for b in 0..300 {
        let reports: Vec<_> = (0..rng.random_range(1..=4))
            .map(|i| {
                let kind = if rng.random_bool(0.3) {
                    ReporterKind::VerifiedSurveyor
                } else {
                    ReporterKind::Anonymous
                };
                let method = Method::ALL[rng.random_range(0..Method::ALL.len())];
                let days = rng.random_range(0..3000);
                report(
                    b * 10 + i,
                    &format!("r{}", rng.random_range(0..3)),
                    kind,
                    method,
                    days,
                    random_facts(&mut rng),
                )
            })
            .collect();
        let s = aggregate(BUILDING, &reports, now());
        for lang in Lang::ALL {
            let mut texts = s.description_text(*lang, now());
            texts.push(s.summary_text(*lang, now()));
            for text in texts {
                assert!(!text.contains('%') && !text.contains('/'), "{text}");
                // Words split at spaces and punctuation; digits glued to letters ("15cm") are cut
                // off; a hyphenated ordinal ending ("3-й", "193-м", "3-кабат") is a word ending.
                for word in text.split(|c: char| c.is_whitespace() || ",.;:()".contains(c)) {
                    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
                    if rest.starts_with('-') && rest.len() < word.len() {
                        continue;
                    }
                    assert!(
                        !FORBIDDEN_TOKENS.contains(&rest.to_lowercase().as_str()),
                        "abbreviation {rest:?} in {text:?}"
                    );
                }
                assert!(text.ends_with('.'), "{text}");
                checked += 1;
            }
        }
    }
    assert!(checked > 3000);
}

#[test]
fn russian_plural_forms() {
    let ru = &ru::Russian;
    let cases = [
        (
            1,
            "1 сантиметр",
            "1 ступень высотой до 1 сантиметра",
            "вчера",
        ),
        (
            2,
            "2 сантиметра",
            "2 ступени высотой до 2 сантиметров",
            "2 дня назад",
        ),
        (
            5,
            "5 сантиметров",
            "5 ступеней высотой до 5 сантиметров",
            "5 дней назад",
        ),
        (
            11,
            "11 сантиметров",
            "11 ступеней высотой до 11 сантиметров",
            "11 дней назад",
        ),
        (
            21,
            "21 сантиметр",
            "21 ступень высотой до 21 сантиметра",
            "3 недели назад",
        ),
        (
            22,
            "22 сантиметра",
            "22 ступени высотой до 22 сантиметров",
            "3 недели назад",
        ),
    ];
    for (n, cm, steps, ago) in cases {
        assert_eq!(ru.centimetres(n), cm);
        if n > 1 {
            assert_eq!(ru.steps(Some(n), Some(n)), steps);
        }
        assert_eq!(ru.ago(n), ago);
    }
    assert_eq!(
        ru.steps(Some(1), Some(5)),
        "1 ступень высотой 5 сантиметров"
    );
    assert_eq!(russian_plural(12, "a", "b", "c"), "c");
    assert_eq!(russian_plural(104, "a", "b", "c"), "b");
    assert_eq!(russian_plural(111, "a", "b", "c"), "c");
    assert_eq!(ru.metres(1), "1 метр");
    assert_eq!(ru.percent(3), "3 процента");
    assert_eq!(
        ru.parking(21, Some(1)),
        "21 парковочное место для людей с инвалидностью, в 1 метре от входа"
    );
    assert_eq!(
        ru.parking(5, Some(40)),
        "5 парковочных мест для людей с инвалидностью, в 40 метрах от входа"
    );
    assert_eq!(ru.reports(22, 400), "22 сообщения, последнее 1 год назад");
    assert_eq!(ru.ago(800), "2 года назад");
    assert_eq!(ru.ago(5 * 365), "5 лет назад");
    assert_eq!(ru.ago(7), "7 дней назад");
    assert_eq!(ru.ago(14), "2 недели назад");
    assert_eq!(ru.ago(70), "2 месяца назад");
}

#[test]
fn english_and_kyrgyz_numbers() {
    let en = &en::English;
    assert_eq!(en.centimetres(1), "1 centimetre");
    assert_eq!(en.steps(Some(1), Some(5)), "1 step, 5 centimetres high");
    assert_eq!(
        en.steps(Some(2), Some(15)),
        "2 steps, up to 15 centimetres high"
    );
    let floors: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 103, -1]
        .iter()
        .map(|n| en.floor(*n))
        .collect();
    assert_eq!(
        floors,
        [
            "1st floor",
            "2nd floor",
            "3rd floor",
            "4th floor",
            "11th floor",
            "12th floor",
            "13th floor",
            "21st floor",
            "22nd floor",
            "103rd floor",
            "basement level 1"
        ]
    );
    assert_eq!(en.ago(0), "today");
    assert_eq!(en.ago(1), "yesterday");
    assert_eq!(en.reported(3), "reported 3 days ago");
    assert_eq!(en.ago(7), "7 days ago");
    assert_eq!(en.ago(14), "2 weeks ago");
    assert_eq!(en.ago(60), "2 months ago");
    assert_eq!(en.ago(365), "1 year ago");
    assert_eq!(en.list(&["a", "b", "c"]), "a, b and c");

    let ky = &ky::Kyrgyz;
    assert_eq!(
        ky.steps(Some(2), Some(15)),
        "2 тепкич, эң бийиги 15 сантиметр"
    );
    assert_eq!(ky.steps(Some(1), Some(5)), "5 сантиметрлик 1 тепкич");
    assert_eq!(ky.floor(3), "3-кабат");
    assert_eq!(ky.floor(-1), "жер астындагы 1-кабат");
    assert_eq!(ky.reported(3), "3 күн мурун билдирилген");
    assert_eq!(ky.ago(400), "1 жыл мурун");
    assert_eq!(ru::Russian.floor(3), "3-й этаж");
}

#[test]
fn volatile_facts_always_say_when_they_were_reported() {
    let s = aggregate(
        BUILDING,
        &[
            report(
                1,
                "s",
                ReporterKind::VerifiedSurveyor,
                Method::Measured,
                2,
                Facts::new().with(Feature::ElevatorWorking, FeatureValue::Bool(false)),
            ),
            report(
                2,
                "t",
                ReporterKind::VerifiedSurveyor,
                Method::Measured,
                100,
                Facts::new().with(Feature::DoorWidth, FeatureValue::Centimetres(100)),
            ),
        ],
        now(),
    );
    let lines = s.description_text(Lang::English, now());
    assert!(
        lines[2].starts_with(
            "Elevator and floors: the elevator is out of order (reported 2 days ago);"
        ),
        "{}",
        lines[2]
    );
    assert!(
        lines[1].contains("entrance door width: 100 centimetres"),
        "{}",
        lines[1]
    );
    assert!(
        !lines[1].contains("reported"),
        "confirmed structural facts carry no date: {}",
        lines[1]
    );
    let later = now() + Duration::days(60);
    let lines = s.description_text(Lang::English, later);
    assert!(
        lines[2].contains("out of order (reported 2 months ago, may have changed)"),
        "{}",
        lines[2]
    );
}

mod report_status {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn mine(status: ReportStatus, note: Option<&str>, note_lang: Option<Lang>) -> MyReport {
        MyReport {
            report: report(
                1,
                "this-device",
                ReporterKind::Anonymous,
                Method::Estimated,
                3,
                Facts::new().with(Feature::Ramp, FeatureValue::Ramp(RampKind::NoRamp)),
            ),
            building: None,
            sent: true,
            status,
            note: note.map(str::to_string),
            note_lang,
            updated_at: Some(at(2026, 12, 3, 9)),
            history: Vec::new(),
            reopen_pending: false,
            hidden: None,
            can_reopen: status == ReportStatus::Resolved,
        }
    }

    fn say(r: &MyReport, lang: Lang) -> String {
        r.status_text(lang, at(2026, 12, 10, 12))
    }

    #[test]
    fn every_status_in_three_languages() {
        use ReportStatus::*;
        let cases: [(ReportStatus, Option<&str>, [&str; 3]); 6] = [
            (
                Open,
                None,
                [
                    "Шаардык кызмат бул билдирүүнү алды, бирок азырынча жооп бере элек.",
                    "Городская служба получила это сообщение и пока не ответила.",
                    "The city office has received this report and not answered yet.",
                ],
            ),
            (
                Acknowledged,
                None,
                [
                    "Шаардык кызмат 3-декабрда муну кароого алды.",
                    "Городская служба приняла это к рассмотрению 3 декабря.",
                    "The city office acknowledged this on 3 December.",
                ],
            ),
            (
                InProgress,
                Some("work starts Monday"),
                [
                    "Шаардык кызмат 3-декабрда муну иштей баштады: work starts Monday.",
                    "Городская служба взяла это в работу 3 декабря: work starts Monday.",
                    "The city office marked this in progress on 3 December: work starts Monday.",
                ],
            ),
            (
                Resolved,
                Some("ramp installed"),
                [
                    "Шаардык кызмат 3-декабрда муну чечилди деп белгиледи: ramp installed.",
                    "Городская служба отметила это как решённое 3 декабря: ramp installed.",
                    "The city office marked this resolved on 3 December: ramp installed.",
                ],
            ),
            (
                NotResponsible,
                Some("the building is private."),
                [
                    "Шаардык кызмат 3-декабрда бул анын милдетине кирбейт деп жооп берди: the building is private.",
                    "Городская служба ответила 3 декабря, что это не в её ведении: the building is private.",
                    "The city office said on 3 December that this is not its responsibility: the building is private.",
                ],
            ),
            (
                Reopened,
                None,
                [
                    "Сиз 3-декабрда бул дагы эле оңдоло элек деп билдирдиңиз.",
                    "Вы сообщили 3 декабря, что это всё ещё не исправлено.",
                    "You said on 3 December that this is still not fixed.",
                ],
            ),
        ];
        for (status, note, expected) in cases {
            let r = mine(status, note, None);
            for (lang, text) in [Lang::Kyrgyz, Lang::Russian, Lang::English]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(say(&r, lang), text, "{status:?} {lang}");
            }
        }
    }

    #[test]
    fn the_note_says_its_language_and_older_dates_their_year() {
        let mut r = mine(
            ReportStatus::Resolved,
            Some("Пандус установлен"),
            Some(Lang::Russian),
        );
        assert_eq!(
            say(&r, Lang::Russian),
            "Городская служба отметила это как решённое 3 декабря: Пандус установлен."
        );
        assert_eq!(
            say(&r, Lang::English),
            "The city office marked this resolved on 3 December: Пандус установлен (in Russian)."
        );
        assert_eq!(
            say(&r, Lang::Kyrgyz),
            "Шаардык кызмат 3-декабрда муну чечилди деп белгиледи: Пандус установлен (орусча)."
        );
        r.updated_at = Some(at(2025, 3, 14, 5));
        assert_eq!(
            say(&r, Lang::English),
            "The city office marked this resolved on 14 March 2025: Пандус установлен (in Russian)."
        );
        assert!(say(&r, Lang::Russian).contains("14 марта 2025 года"));
        assert!(say(&r, Lang::Kyrgyz).contains("2025-жылы 14-мартта"));
        // A day in Kyrgyzstan's time: 20:00 UTC on 31 December is already 1 January in Bishkek.
        r.updated_at = Some(at(2025, 12, 31, 20));
        assert!(
            say(&r, Lang::English).contains("on 1 January:"),
            "{}",
            say(&r, Lang::English)
        );
    }

    #[test]
    fn unsent_reports_and_waiting_reopens_say_so() {
        let mut r = mine(ReportStatus::Open, None, None);
        r.sent = false;
        for lang in Lang::ALL {
            let text = say(&r, *lang);
            assert!(text.ends_with('.'), "{text}");
        }
        assert!(say(&r, Lang::Russian).starts_with("Ещё не отправлено"));
        let mut r = mine(ReportStatus::Reopened, Some("still steps"), None);
        r.reopen_pending = true;
        assert_eq!(
            say(&r, Lang::English),
            "You said that this is still not fixed (waiting to send): still steps."
        );
        assert!(say(&r, Lang::Kyrgyz).contains("(жөнөтүлүүнү күтүүдө)"));
    }

    #[test]
    fn a_hidden_report_says_so_and_why() {
        let mut r = mine(ReportStatus::Open, None, None);
        r.hidden = Some(ReportHidden {
            at: at(2026, 12, 5, 9),
            reason: "duplicate of another report".into(),
        });
        assert_eq!(
            say(&r, Lang::English),
            "The city office has received this report and not answered yet. An administrator hid this report on 5 December; it no longer counts in the building's accessibility: duplicate of another report."
        );
        assert!(say(&r, Lang::Russian).contains("Администратор скрыл это сообщение 5 декабря"));
        assert!(say(&r, Lang::Kyrgyz).contains("Администратор 5-декабрда"));
        r.hidden.as_mut().unwrap().reason.clear();
        assert!(say(&r, Lang::English).ends_with("in the building's accessibility."));
    }

    #[test]
    fn history_entries_read_like_the_status() {
        let entry = ReportStatusEntry {
            status: ReportStatus::Reopened,
            note: Some("still steps".into()),
            lang: Some(Lang::English),
            at: at(2026, 12, 4, 6),
            by: StatusAuthor::Reporter,
        };
        assert_eq!(
            history_entry_text(&entry, Lang::English, at(2026, 12, 10, 12)),
            "You said on 4 December that this is still not fixed: still steps."
        );
        let city = ReportStatusEntry {
            status: ReportStatus::Acknowledged,
            note: None,
            lang: None,
            at: at(2026, 12, 1, 8),
            by: StatusAuthor::City,
        };
        assert_eq!(
            history_entry_text(&city, Lang::Russian, at(2026, 12, 10, 12)),
            "Городская служба приняла это к рассмотрению 1 декабря."
        );
    }

    #[test]
    fn the_privacy_notice_names_what_the_city_sees_and_never_sees() {
        assert_eq!(
            report_privacy_notice(Lang::English),
            "The city office sees the building, what you reported, how you checked it and when; never your phone, its id or anything that identifies you."
        );
        for lang in Lang::ALL {
            let text = report_privacy_notice(*lang);
            assert!(text.ends_with('.'), "{text}");
        }
        assert!(report_privacy_notice(Lang::Russian).contains("никогда"));
        assert!(report_privacy_notice(Lang::Kyrgyz).contains("эч качан"));
    }
}

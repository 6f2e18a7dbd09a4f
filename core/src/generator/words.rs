//! Static word lists for the generator: cities, streets, building and organization names, job titles
//! and description sentences. Everything is `&'static`, so generating a record allocates only its
//! own strings.
//!
//! Texts indexed by language use the order of [`WorkLanguage::ALL`]: Kyrgyz, Russian, English.

use crate::model::{JobCategory, Region};

/// Text in the three languages, in [`crate::model::WorkLanguage::ALL`] order.
pub(super) type Tri = [&'static str; 3];

pub(super) const EN: usize = 2;

/// How a street is written before the house number.
#[derive(Clone, Copy)]
pub(super) enum StreetStyle {
    /// Russian style, number after a comma: "улица Киевская, 95".
    Comma,
    /// Kyrgyz style, number right after the name: "Чүй проспекти 120".
    Plain,
}

pub(super) struct City {
    /// As locals write it (Cyrillic).
    pub name: &'static str,
    pub latin: &'static str,
    /// Lowercase ASCII, for domains.
    pub slug: &'static str,
    pub region: Region,
    pub lat: f64,
    pub lon: f64,
    /// Buildings are scattered uniformly over a disc of this radius around the centre.
    pub radius_km: f64,
    /// Landline area code after +996.
    pub area_code: &'static str,
    pub streets: &'static [(&'static str, StreetStyle)],
}

use StreetStyle::{Comma, Plain};

pub(super) const BISHKEK: usize = 0;
pub(super) const OSH: usize = 1;
pub(super) const JALAL_ABAD: usize = 2;
pub(super) const KARAKOL: usize = 3;
pub(super) const NARYN: usize = 4;
pub(super) const TALAS: usize = 5;
pub(super) const BATKEN: usize = 6;
pub(super) const TOKMOK: usize = 7;

pub(super) const CITIES: [City; 8] = [
    City {
        name: "Бишкек",
        latin: "Bishkek",
        slug: "bishkek",
        region: Region::Bishkek,
        lat: 42.8746,
        lon: 74.5698,
        radius_km: 8.0,
        area_code: "312",
        streets: &[
            ("Чүй проспекти", Plain),
            ("проспект Манаса", Comma),
            ("улица Киевская", Comma),
            ("улица Токтогула", Comma),
            ("Жибек Жолу проспекти", Plain),
            ("проспект Чынгыза Айтматова", Comma),
            ("улица Исанова", Comma),
            ("улица Абдрахманова", Comma),
            ("Ибраимов көчөсү", Plain),
            ("улица Боконбаева", Comma),
            ("улица Фрунзе", Comma),
            ("Ахунбаев көчөсү", Plain),
            ("улица Байтик Баатыра", Comma),
            ("Токомбаев көчөсү", Plain),
            ("улица Московская", Comma),
            ("бульвар Эркиндик", Comma),
            ("улица Турусбекова", Comma),
            ("Шопоков көчөсү", Plain),
            ("улица Горького", Comma),
            ("улица Льва Толстого", Comma),
            ("Ден Сяопин проспекти", Plain),
            ("улица Орозбекова", Comma),
        ],
    },
    City {
        name: "Ош",
        latin: "Osh",
        slug: "osh",
        region: Region::OshCity,
        lat: 40.5283,
        lon: 72.7985,
        radius_km: 3.0,
        area_code: "3222",
        streets: &[
            ("улица Курманжан Датка", Comma),
            ("Ленин көчөсү", Plain),
            ("Масалиев проспекти", Plain),
            ("улица Навои", Comma),
            ("улица Монуева", Comma),
            ("улица Кыргызстан", Comma),
            ("Гапар Айтиев көчөсү", Plain),
            ("улица Алымбека Датки", Comma),
            ("улица Зайнабетдинова", Comma),
        ],
    },
    City {
        name: "Жалал-Абад",
        latin: "Jalal-Abad",
        slug: "jalal-abad",
        region: Region::JalalAbad,
        lat: 40.9333,
        lon: 73.0000,
        radius_km: 3.0,
        area_code: "3722",
        streets: &[
            ("улица Токтогула", Comma),
            ("Ленин көчөсү", Plain),
            ("улица Эркиндик", Comma),
            ("Барпы көчөсү", Plain),
            ("улица Айтиева", Comma),
        ],
    },
    City {
        name: "Каракол",
        latin: "Karakol",
        slug: "karakol",
        region: Region::IssykKul,
        lat: 42.4907,
        lon: 78.3936,
        radius_km: 3.0,
        area_code: "3922",
        streets: &[
            ("улица Абдрахманова", Comma),
            ("Тоголок Молдо көчөсү", Plain),
            ("улица Гагарина", Comma),
            ("улица Ленина", Comma),
            ("Торобаев көчөсү", Plain),
        ],
    },
    City {
        name: "Нарын",
        latin: "Naryn",
        slug: "naryn",
        region: Region::Naryn,
        lat: 41.4287,
        lon: 75.9911,
        radius_km: 3.0,
        area_code: "3522",
        streets: &[
            ("улица Ленина", Comma),
            ("Кулуматов көчөсү", Plain),
            ("улица Орозбекова", Comma),
            ("Токтогул көчөсү", Plain),
        ],
    },
    City {
        name: "Талас",
        latin: "Talas",
        slug: "talas",
        region: Region::Talas,
        lat: 42.5228,
        lon: 72.2427,
        radius_km: 3.0,
        area_code: "3422",
        streets: &[
            ("улица Сарыгулова", Comma),
            ("Бердике Баатыр көчөсү", Plain),
            ("Манас көчөсү", Plain),
            ("улица Ленина", Comma),
        ],
    },
    City {
        name: "Баткен",
        latin: "Batken",
        slug: "batken",
        region: Region::Batken,
        lat: 40.0628,
        lon: 70.8194,
        radius_km: 3.0,
        area_code: "3622",
        streets: &[
            ("улица Ленина", Comma),
            ("Манас көчөсү", Plain),
            ("улица Исанова", Comma),
            ("Эркиндик көчөсү", Plain),
        ],
    },
    City {
        name: "Токмок",
        latin: "Tokmok",
        slug: "tokmok",
        region: Region::Chuy,
        lat: 42.8421,
        lon: 75.3015,
        radius_km: 3.0,
        area_code: "3138",
        streets: &[
            ("улица Ленина", Comma),
            ("улица Шамсинская", Comma),
            ("Жибек Жолу көчөсү", Plain),
            ("улица Гагарина", Comma),
        ],
    },
];

/// Building `i` lies in city `BUILDING_CITY_CYCLE[i % 20]`: half in Bishkek, 15% in Osh, 10% in
/// Jalal-Abad, 5% in each other town. Interleaved so that the first few buildings already cover
/// several cities, and fixed so that "the k-th building in city c" is plain arithmetic.
pub(super) const BUILDING_CITY_CYCLE: [usize; 20] = [
    BISHKEK, OSH, BISHKEK, JALAL_ABAD, BISHKEK, KARAKOL, BISHKEK, NARYN, BISHKEK, TALAS, BISHKEK,
    BATKEN, BISHKEK, TOKMOK, BISHKEK, OSH, BISHKEK, OSH, BISHKEK, JALAL_ABAD,
];

/// Weights of an organization's home city, in [`CITIES`] order.
pub(super) const HOME_CITY_WEIGHTS: [u32; 8] = [50, 15, 9, 6, 5, 5, 4, 6];

/// Building names; `true` means a number follows ("Мектеп №12").
pub(super) const BUILDING_NAMES: &[(&str, bool)] = &[
    ("Бизнес-борбор «Ордо»", false),
    ("Бизнес-борбор «Ала-Тоо»", false),
    ("БЦ «Россия»", false),
    ("БЦ «Аврора»", false),
    ("Бизнес-центр «Victory»", false),
    ("Бизнес-центр «Максимум»", false),
    ("Мэрия", false),
    ("Социалдык фонд", false),
    ("Библиотека им. Токтогула", false),
    ("Китепкана им. Ч. Айтматова", false),
    ("Мектеп №", true),
    ("Школа-гимназия №", true),
    ("Үй-бүлөлүк медицина борбору №", true),
    ("Поликлиника №", true),
    ("Колледж №", true),
    ("Соода борбору «Береке»", false),
    ("ТЦ «Таш-Рабат»", false),
    ("Швейный цех №", true),
    ("Тигүү цехи №", true),
    ("Кыргыз почтасы, бөлүм №", true),
    ("Райондук администрация", false),
    ("Технопарк", false),
    ("Коворкинг «Ачык»", false),
    ("Филиал банка №", true),
    ("Кафе «Навруз»", false),
    ("Ресурстук борбор «Жаңы Жол»", false),
    ("Реабилитационный центр", false),
    ("Автовокзал", false),
    ("Борбордук базар", false),
    ("Склад №", true),
    ("Мамлекеттик кызматтар борбору", false),
    ("ЦОН №", true),
    ("Университеттин окуу корпусу №", true),
    ("Маданият үйү", false),
    ("Дворец культуры", false),
    ("Спорт комплекси", false),
    ("Дарыкана №", true),
    ("Аптека №", true),
    ("Кинотеатр «Манас»", false),
    ("Мейманкана «Тянь-Шань»", false),
    ("Нан заводу", false),
    ("Административное здание №", true),
];

/// Name stems: (Cyrillic, Latin, ASCII slug).
pub(super) type Stem = (&'static str, &'static str, &'static str);

pub(super) const NGO_STEMS: &[Stem] = &[
    ("Ак-Жол", "Ak-Jol", "akjol"),
    ("Үмүт", "Umut", "umut"),
    ("Нур", "Nur", "nur"),
    ("Мээрим", "Meerim", "meerim"),
    ("Жаңы Муун", "Jany Muun", "janymuun"),
    ("Шоола", "Shoola", "shoola"),
    ("Ийгилик", "Iygilik", "iygilik"),
    ("Көпүрө", "Kopuro", "kopuro"),
    ("Тең укук", "Teng Ukuk", "tengukuk"),
    ("Ынтымак", "Yntymak", "yntymak"),
    ("Равенство", "Ravenstvo", "ravenstvo"),
    ("Открытые сердца", "Open Hearts", "openhearts"),
    ("Без барьеров", "Barrier Free", "bezbarierov"),
    ("Ишеним", "Ishenim", "ishenim"),
    ("Ак-Ниет", "Ak-Niet", "akniet"),
    ("Күн нуру", "Kun Nuru", "kunnuru"),
    ("Биримдик", "Birimdik", "birimdik"),
    ("Айкөл", "Aikol", "aikol"),
    ("Белес", "Beles", "beles"),
    ("Жарык", "Jaryk", "jaryk"),
];

/// NGO name forms: (before the stem, after it, use the Latin stem).
pub(super) const NGO_FORMS: &[(&str, &str, bool)] = &[
    ("Ассоциация «", "»", false),
    ("Общественный фонд «", "»", false),
    ("Коомдук бирикме «", "»", false),
    ("Кайрымдуулук фонду «", "»", false),
    ("Общественное объединение «", "»", false),
    ("Майыптыгы бар адамдардын уюму «", "»", false),
    ("", " Foundation", true),
    ("", " Inclusion Network", true),
];

pub(super) const EMPLOYER_STEMS: &[Stem] = &[
    ("Ала-Тоо", "Ala-Too", "alatoo"),
    ("Тулпар", "Tulpar", "tulpar"),
    ("Ак-Марал", "Ak-Maral", "akmaral"),
    ("Береке", "Bereke", "bereke"),
    ("Алтын", "Altyn", "altyn"),
    ("Манас", "Manas", "manas"),
    ("Сапат", "Sapat", "sapat"),
    ("Асман", "Asman", "asman"),
    ("Тянь-Шань", "Tian Shan", "tianshan"),
    ("Кайнар", "Kainar", "kainar"),
    ("Достук", "Dostuk", "dostuk"),
    ("Эне-Сай", "Ene-Sai", "enesai"),
    ("Салкын", "Salkyn", "salkyn"),
    ("Жибек Жолу", "Silk Road", "jibekjolu"),
    ("Көк-Жал", "Kok-Jal", "kokjal"),
    ("Арча", "Archa", "archa"),
    ("Чолпон", "Cholpon", "cholpon"),
    ("Сулайман", "Sulaiman", "sulaiman"),
    ("Кемин", "Kemin", "kemin"),
    ("Номад", "Nomad", "nomad"),
    ("Ысык-Көл", "Issyk-Kul", "issykkul"),
    ("Бакай", "Bakai", "bakai"),
];

/// Employer name forms: (before the stem, after it, use the Latin stem, domain suffix after the slug).
pub(super) const EMPLOYER_FORMS: &[(&str, &str, bool, &str)] = &[
    ("Банк «", "»", false, "bank"),
    ("ОсОО «", "»", false, ""),
    ("Кафе «", "»", false, "cafe"),
    ("Швейная фабрика «", "»", false, "textile"),
    ("Тигүү цехи «", "»", false, "tigu"),
    ("", " Tech", true, "tech"),
    ("", " Soft", true, "soft"),
    ("Клиника «", "»", false, "clinic"),
    ("Медицина борбору «", "»", false, "med"),
    ("Жеке мектеп «", "»", false, "school"),
    ("Частная школа «", "»", false, "edu"),
    ("Супермаркет «", "»", false, "market"),
    ("Аптека «", "»", false, "pharm"),
    ("Колл-центр «", "»", false, "call"),
    ("Типография «", "»", false, "print"),
    ("Нан заводу «", "»", false, "nan"),
    ("Мейманкана «", "»", false, "hotel"),
    ("Логистика «", "»", false, "logistics"),
];

/// Public bodies: (before the city name, after it, domain prefix before the city slug; domain ends
/// in `.gov.kg`).
pub(super) const PUBLIC_FORMS: &[(&str, &str, &str)] = &[
    ("Мэрия г. ", "", "meria-"),
    ("Социалдык фонд, ", " бөлүмү", "sf-"),
    ("Центр занятости населения г. ", "", "zanyatost-"),
    ("", " шаардык китепканасы", "library-"),
    ("Кыргыз почтасы, ", " филиалы", "post-"),
    ("Управление социального развития г. ", "", "usr-"),
    ("", " шаардык реабилитация борбору", "rehab-"),
    ("Мамлекеттик кызматтар борбору, ", "", "cpu-"),
];

/// Kyrgyz mobile operator prefixes (after +996).
pub(super) const MOBILE_PREFIXES: &[&str] = &[
    "555", "550", "557", "700", "702", "705", "707", "770", "771", "772", "775", "777", "990",
    "995", "998", "500", "501", "505", "220", "222", "227",
];

pub(super) const EMAIL_LOCALS: &[&str] = &["info", "hr", "jobs", "kadry", "office", "contact"];

/// A job category with its titles per language, its typical monthly pay and how often it is remote.
pub(super) struct CategoryWords {
    pub category: JobCategory,
    /// Relative frequency among listings.
    pub weight: u32,
    /// Titles per language in [`crate::model::WorkLanguage::ALL`] order; none is empty.
    pub titles: [&'static [&'static str]; 3],
    /// Typical full-time monthly pay in KGS.
    pub pay: (u64, u64),
    /// Percent of listings that are remote, and percent hybrid.
    pub remote: u32,
    pub hybrid: u32,
}

pub(super) const CATEGORIES: &[CategoryWords] = &[
    CategoryWords {
        category: JobCategory::Accounting,
        weight: 6,
        titles: [
            &[
                "Бухгалтер",
                "Башкы бухгалтер",
                "Бухгалтердин жардамчысы",
                "Кассир-бухгалтер",
            ],
            &[
                "Бухгалтер",
                "Главный бухгалтер",
                "Помощник бухгалтера",
                "Экономист",
            ],
            &["Accountant", "Junior accountant", "Payroll specialist"],
        ],
        pay: (30_000, 80_000),
        remote: 20,
        hybrid: 20,
    },
    CategoryWords {
        category: JobCategory::Administration,
        weight: 7,
        titles: [
            &[
                "Администратор",
                "Катчы",
                "Иш кагаздарын жүргүзүүчү",
                "Маалымат киргизүүчү оператор",
            ],
            &[
                "Администратор",
                "Секретарь",
                "Делопроизводитель",
                "Офис-менеджер",
                "Оператор ввода данных",
            ],
            &["Office administrator", "Data entry clerk", "Receptionist"],
        ],
        pay: (20_000, 50_000),
        remote: 20,
        hybrid: 15,
    },
    CategoryWords {
        category: JobCategory::CustomerService,
        weight: 9,
        titles: [
            &[
                "Колл-борбордун оператору",
                "Кардарларды тейлөө адиси",
                "Байланыш борборунун оператору",
            ],
            &[
                "Оператор колл-центра",
                "Специалист по работе с клиентами",
                "Оператор чата поддержки",
            ],
            &[
                "Call centre operator",
                "Customer support specialist",
                "Help desk agent",
            ],
        ],
        pay: (20_000, 45_000),
        remote: 35,
        hybrid: 20,
    },
    CategoryWords {
        category: JobCategory::Education,
        weight: 7,
        titles: [
            &[
                "Мугалим",
                "Англис тили мугалими",
                "Тарбиячы",
                "Инклюзивдүү билим берүү боюнча ассистент",
                "Брайль арибин үйрөтүүчү",
            ],
            &[
                "Учитель английского языка",
                "Воспитатель",
                "Тьютор",
                "Учитель начальных классов",
                "Педагог дополнительного образования",
            ],
            &["English teacher", "Teaching assistant", "Online tutor"],
        ],
        pay: (18_000, 45_000),
        remote: 12,
        hybrid: 8,
    },
    CategoryWords {
        category: JobCategory::Healthcare,
        weight: 5,
        titles: [
            &[
                "Медайым",
                "Массажист",
                "Дарыкананын кызматкери",
                "Реабилитолог",
            ],
            &[
                "Медсестра",
                "Массажист",
                "Фармацевт",
                "Регистратор поликлиники",
            ],
            &["Nurse", "Massage therapist", "Pharmacy assistant"],
        ],
        pay: (20_000, 55_000),
        remote: 2,
        hybrid: 5,
    },
    CategoryWords {
        category: JobCategory::InformationTechnology,
        weight: 8,
        titles: [
            &[
                "Программист",
                "Веб-иштеп чыгуучу",
                "Программалык камсыздоону тестирлөөчү",
                "Маалымат базасынын администратору",
            ],
            &[
                "Веб-разработчик",
                "Тестировщик ПО",
                "Программист 1С",
                "Системный администратор",
                "Специалист по цифровой доступности",
            ],
            &[
                "Software developer",
                "QA tester",
                "Accessibility tester",
                "Front-end developer",
                "Data analyst",
            ],
        ],
        pay: (40_000, 120_000),
        remote: 40,
        hybrid: 30,
    },
    CategoryWords {
        category: JobCategory::Manufacturing,
        weight: 8,
        titles: [
            &[
                "Тигүүчү",
                "Таңгактоочу",
                "Цехтин жумушчусу",
                "Сапат контролёру",
            ],
            &[
                "Швея",
                "Упаковщик",
                "Оператор швейного оборудования",
                "Контролёр ОТК",
                "Сборщик",
            ],
            &["Sewing machine operator", "Packer", "Assembly worker"],
        ],
        pay: (18_000, 40_000),
        remote: 2,
        hybrid: 0,
    },
    CategoryWords {
        category: JobCategory::Retail,
        weight: 8,
        titles: [
            &["Сатуучу", "Кассир", "Сатуучу-консультант", "Товар таануучу"],
            &[
                "Продавец-консультант",
                "Кассир",
                "Менеджер по продажам",
                "Мерчендайзер",
            ],
            &["Sales assistant", "Cashier", "Sales manager"],
        ],
        pay: (17_000, 40_000),
        remote: 5,
        hybrid: 5,
    },
    CategoryWords {
        category: JobCategory::Hospitality,
        weight: 7,
        titles: [
            &[
                "Ашпозчу",
                "Ашпозчунун жардамчысы",
                "Официант",
                "Бариста",
                "Идиш жуучу",
            ],
            &["Повар", "Помощник повара", "Официант", "Бариста", "Пекарь"],
            &["Cook", "Barista", "Kitchen assistant"],
        ],
        pay: (18_000, 45_000),
        remote: 0,
        hybrid: 0,
    },
    CategoryWords {
        category: JobCategory::Crafts,
        weight: 4,
        titles: [
            &["Кол өнөрчү", "Кийиз жасоочу", "Зергер", "Саймачы"],
            &[
                "Мастер по ремонту обуви",
                "Мастер войлочных изделий",
                "Ювелир",
                "Вышивальщица",
            ],
            &["Felt craft maker", "Jewellery maker"],
        ],
        pay: (15_000, 40_000),
        remote: 20,
        hybrid: 10,
    },
    CategoryWords {
        category: JobCategory::Agriculture,
        weight: 3,
        titles: [
            &["Багбан", "Мал чарбачы", "Жылыткана жумушчусу", "Аарычы"],
            &["Садовник", "Работник теплицы", "Агроном", "Пчеловод"],
            &["Greenhouse worker", "Gardener"],
        ],
        pay: (15_000, 35_000),
        remote: 0,
        hybrid: 0,
    },
    CategoryWords {
        category: JobCategory::Transport,
        weight: 4,
        titles: [
            &["Айдоочу", "Диспетчер", "Курьер", "Кампачы"],
            &["Диспетчер такси", "Водитель", "Курьер", "Кладовщик"],
            &["Dispatcher", "Courier", "Warehouse clerk"],
        ],
        pay: (20_000, 50_000),
        remote: 15,
        hybrid: 5,
    },
    CategoryWords {
        category: JobCategory::SocialWork,
        weight: 6,
        titles: [
            &[
                "Социалдык кызматкер",
                "Жеке жардамчы",
                "Психолог",
                "Теңтуш кеңешчи",
            ],
            &[
                "Социальный работник",
                "Персональный ассистент",
                "Психолог",
                "Консультант по трудоустройству",
                "Координатор программ",
            ],
            &["Social worker", "Peer counsellor", "Programme coordinator"],
        ],
        pay: (18_000, 40_000),
        remote: 10,
        hybrid: 15,
    },
    CategoryWords {
        category: JobCategory::Media,
        weight: 5,
        titles: [
            &[
                "Журналист",
                "Котормочу",
                "Дизайнер",
                "SMM адиси",
                "Ымдоо тилинин котормочусу",
            ],
            &[
                "Переводчик жестового языка",
                "Переводчик",
                "Графический дизайнер",
                "Копирайтер",
                "SMM-менеджер",
                "Диктор",
            ],
            &[
                "Graphic designer",
                "Translator",
                "Content writer",
                "Video editor",
            ],
        ],
        pay: (25_000, 70_000),
        remote: 35,
        hybrid: 25,
    },
    CategoryWords {
        category: JobCategory::Legal,
        weight: 2,
        titles: [
            &["Юрист", "Укук боюнча кеңешчи"],
            &["Юрист", "Юрисконсульт", "Помощник нотариуса"],
            &["Legal assistant", "Paralegal"],
        ],
        pay: (30_000, 80_000),
        remote: 15,
        hybrid: 20,
    },
    CategoryWords {
        category: JobCategory::Cleaning,
        weight: 5,
        titles: [
            &["Тазалоочу", "Короо тазалоочу", "Кир жуучу"],
            &["Уборщица", "Уборщик служебных помещений", "Дворник"],
            &["Cleaner", "Housekeeper"],
        ],
        pay: (15_000, 25_000),
        remote: 0,
        hybrid: 0,
    },
    CategoryWords {
        category: JobCategory::Security,
        weight: 3,
        titles: [
            &["Күзөтчү", "Түнкү күзөтчү", "Видео байкоо оператору"],
            &["Охранник", "Вахтёр", "Оператор видеонаблюдения"],
            &["Security guard", "CCTV operator"],
        ],
        pay: (17_000, 30_000),
        remote: 5,
        hybrid: 0,
    },
    CategoryWords {
        category: JobCategory::Other,
        weight: 3,
        titles: [
            &["Жардамчы жумушчу", "Гардеробчу", "Лифт оператору"],
            &["Гардеробщик", "Разнорабочий", "Оператор лифта", "Почтальон"],
            &["General worker", "Mail clerk"],
        ],
        pay: (15_000, 35_000),
        remote: 5,
        hybrid: 5,
    },
];

/// Title language weights (ky, ru, en).
pub(super) const LANGUAGE_WEIGHTS: [u32; 3] = [40, 45, 15];

/// First sentence of a description; `{title}` and `{city}` are filled in.
pub(super) const INTROS: [&[&str]; 3] = [
    &[
        "{city} шаарында «{title}» кызматына кызматкер издейбиз.",
        "Бизге «{title}» керек, иш орду {city} шаарында.",
        "«{title}» кызматына талапкерлерди чакырабыз.",
    ],
    &[
        "Ищем сотрудника на должность «{title}» в г. {city}.",
        "Приглашаем на работу: {title}.",
        "Открыта вакансия «{title}», г. {city}, ждём ваших откликов.",
    ],
    &[
        "We are hiring: {title} in {city}.",
        "Open position: {title}, {city}.",
        "{title} wanted in {city}.",
    ],
];

/// One sentence per accommodation, in [`crate::model::Accommodation::ALL`] order.
pub(super) const ACCOMMODATION_SENTENCES: [Tri; 9] = [
    [
        "Иш убактысы ийкемдүү, графикти өзүңүзгө ыңгайлуу кылып түзсөңүз болот.",
        "Гибкий график, время начала и окончания работы можно выбирать.",
        "Working hours are flexible; you choose when to start and finish.",
    ],
    [
        "Экрандан окуучу программа жана экранды чоңойтуучу каражаттар берилет.",
        "Предоставляем программу экранного доступа и экранную лупу.",
        "We provide a screen reader and a screen magnifier.",
    ],
    [
        "Жыйналыштарда жана окууда ымдоо тилинин котормочусу иштейт.",
        "На собраниях и обучении работает переводчик жестового языка.",
        "A sign language interpreter joins meetings and training.",
    ],
    [
        "Жумушка жана үйгө ыңгайлаштырылган транспорт менен жеткирип коебуз.",
        "Организуем доставку на работу и обратно на адаптированном транспорте.",
        "Accessible transport to and from work is provided.",
    ],
    [
        "Жумуш орду сиздин муктаждыктарыңызга ылайыкташтырылат.",
        "Рабочее место адаптируем под ваши потребности.",
        "We provide an adapted workstation that fits your needs.",
    ],
    [
        "Үйдөн иштөө мүмкүнчүлүгү бар.",
        "Возможна удалённая работа.",
        "You can work from home.",
    ],
    [
        "Керек болсо, жеке жардамчы бөлүнөт.",
        "При необходимости выделяется персональный ассистент.",
        "A personal assistant is available if you need one.",
    ],
    [
        "Бардык нускамалар жеңил окулуучу форматта даярдалган.",
        "Все инструкции подготовлены в формате «лёгкое чтение».",
        "All instructions are available in easy-read format.",
    ],
    [
        "Тынч, ызы-чуусуз бөлмөдө иштөөгө болот.",
        "Есть тихое рабочее помещение без лишнего шума.",
        "A quiet workspace away from noise is available.",
    ],
];

/// About the building, for on-site and hybrid jobs.
pub(super) const WORKPLACE_SENTENCES: &[Tri] = &[
    [
        "Иш орду биринчи кабатта жайгашкан, пандус бар.",
        "Офис на первом этаже, у входа есть пандус.",
        "The office is on the ground floor and has a ramp.",
    ],
    [
        "Имаратта лифт жана ыңгайлаштырылган даараткана бар.",
        "В здании есть лифт и адаптированный санузел.",
        "The building has a lift and an accessible toilet.",
    ],
    [
        "Кире бериш тепкичсиз, эшиктер кең.",
        "Вход без ступенек, широкие двери.",
        "Step-free entrance and wide doors.",
    ],
    [
        "Аялдама кире беришке эки мүнөттүк аралыкта.",
        "Остановка общественного транспорта в двух минутах от входа.",
        "A bus stop is two minutes from the entrance.",
    ],
];

pub(super) const REMOTE_SENTENCE: Tri = [
    "Иш толугу менен алыстан аткарылат, компьютер жана интернет керек.",
    "Работа полностью удалённая, нужны компьютер и интернет.",
    "The job is fully remote; you need a computer and an internet connection.",
];

pub(super) const HYBRID_SENTENCE: Tri = [
    "Жумасына эки күн үйдөн иштесеңиз болот.",
    "Два дня в неделю можно работать из дома.",
    "You can work from home two days a week.",
];

/// Schedule per employment type, in [`crate::model::EmploymentType::ALL`] order.
pub(super) const SCHEDULE_SENTENCES: [Tri; 6] = [
    [
        "Толук иш күнү, дүйшөмбүдөн жумага чейин, 9:00–18:00.",
        "Полный рабочий день, с понедельника по пятницу, 9:00–18:00.",
        "Full-time, Monday to Friday, 9:00–18:00.",
    ],
    [
        "Жарым күндүк иш, күнүнө төрт саат.",
        "Неполный рабочий день, четыре часа в день.",
        "Part-time, four hours a day.",
    ],
    [
        "Келишим боюнча иш, алгач алты айга.",
        "Работа по договору, на первые шесть месяцев.",
        "Contract work, initially for six months.",
    ],
    [
        "Убактылуу, сезондук иш.",
        "Временная работа на сезон.",
        "Temporary, seasonal work.",
    ],
    [
        "Үч айлык стажировка, андан кийин туруктуу жумушка калуу мүмкүнчүлүгү бар.",
        "Стажировка на три месяца с возможностью трудоустройства.",
        "A three-month internship that can lead to a permanent job.",
    ],
    [
        "Ыктыярдуу иш, жол кире жана түшкү тамак төлөнөт.",
        "Волонтёрская работа, оплачиваем проезд и обед.",
        "Volunteer role; travel and lunch are covered.",
    ],
];

pub(super) const EXTRA_SENTENCES: &[Tri] = &[
    [
        "Тажрыйбасы жок талапкерлер да каралат, жумушта үйрөтөбүз.",
        "Опыт работы не обязателен, обучим на месте.",
        "No experience needed; we train you on the job.",
    ],
    [
        "Расмий түрдө жумушка алуу, социалдык пакет.",
        "Официальное трудоустройство, соцпакет.",
        "Official employment with social insurance.",
    ],
    [
        "Майыптыгы бар адамдарды өзгөчө күтөбүз.",
        "Особенно ждём кандидатов с инвалидностью.",
        "We especially welcome applicants with disabilities.",
    ],
    [
        "Эмгек акы айына эки жолу төлөнөт.",
        "Зарплата выплачивается два раза в месяц.",
        "Salary is paid twice a month.",
    ],
    [
        "Жамаатыбыз ынтымактуу, тажрыйбалуу насаатчы жардам берет.",
        "Дружный коллектив, поддержка наставника.",
        "A friendly team and a mentor to help you settle in.",
    ],
];

/// "Room 12" for in-person applications, per language; the number follows or precedes.
pub(super) const ROOM: [(&str, &str); 3] = [("", "-бөлмө"), ("каб. ", ""), ("room ", "")];

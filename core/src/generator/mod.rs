//! Deterministic demo and benchmark data.
//!
//! A [`Generator`] turns `(seed, size, now)` into organizations, buildings and job listings that look
//! like Kyrgyzstan's: eight real cities with their coordinates and streets, Kyrgyz mobile numbers,
//! titles and descriptions in Kyrgyz, Russian and English. Every record passes
//! [`Validate`](crate::model::Validate).
//!
//! Each record has its own random stream, seeded from `(seed, kind, index)`, so record `i` is the
//! same whether it is generated alone, in a slice, on another thread, or as part of the whole set.
//! Organization `i` and building `i` depend only on the seed; listing `i` also on the numbers of
//! organizations and buildings it may refer to, and on `now`.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use teng_core::generator::{DataSize, Generator};
//!
//! let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
//! let generator = Generator::new(42, DataSize::for_listings(1_000), now);
//! let organizations = generator.organizations();
//! let buildings = generator.buildings();
//! for listing in generator.listings().take(3) {
//!     assert!(organizations.iter().any(|o| o.id == listing.organization_id));
//! }
//! assert_eq!(buildings.len(), 200);
//! ```

mod access;
mod words;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::ops::Range;

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::model::{
    Accommodation, Address, ApplyChannel, ApplyMethod, Building, Contact, EmploymentType, GeoPoint,
    JobListing, ListingStatus, Organization, OrganizationKind, Salary, SalaryPeriod, WorkLanguage,
    WorkMode,
};
use words::*;

/// How many records of each kind a [`Generator`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataSize {
    pub organizations: usize,
    pub buildings: usize,
    pub listings: usize,
}

impl DataSize {
    /// The usual proportions: a building per five listings (at least 10) and an organization per
    /// fifty listings (at least 5).
    pub fn for_listings(listings: usize) -> DataSize {
        DataSize {
            organizations: (listings / 50).max(5),
            buildings: (listings / 5).max(10),
            listings,
        }
    }
}

/// Seeded source of realistic records. Cheap to create and to clone; holds no tables.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    size: DataSize,
    /// `now` truncated to whole seconds, so generated times survive millisecond storage unchanged.
    now: DateTime<Utc>,
}

/// Kinds of record, mixed into the per-record seed so that streams of different kinds never coincide.
const ORGANIZATION: u64 = 1;
const BUILDING: u64 = 2;
const LISTING: u64 = 3;

const DAY_SECS: i64 = 86_400;

impl Generator {
    /// # Panics
    /// If listings are asked for but there are no organizations or no buildings to refer to.
    pub fn new(seed: u64, size: DataSize, now: DateTime<Utc>) -> Generator {
        assert!(
            size.listings == 0 || (size.organizations > 0 && size.buildings > 0),
            "listings need at least one organization and one building: {size:?}"
        );
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        Generator { seed, size, now }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn size(&self) -> DataSize {
        self.size
    }

    /// The `now` listings are dated against (whole seconds).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn organizations(&self) -> Vec<Organization> {
        (0..self.size.organizations)
            .map(|i| self.organization(i))
            .collect()
    }

    pub fn buildings(&self) -> Vec<Building> {
        (0..self.size.buildings).map(|i| self.building(i)).collect()
    }

    /// Every listing in order, generated one at a time.
    pub fn listings(&self) -> impl ExactSizeIterator<Item = JobListing> + '_ {
        self.listings_in(0..self.size.listings)
    }

    /// Listings `range`, e.g. one chunk of a parallel or batched load; equal to the same slice of
    /// [`Generator::listings`].
    pub fn listings_in(
        &self,
        range: Range<usize>,
    ) -> impl ExactSizeIterator<Item = JobListing> + '_ {
        range.map(move |i| self.listing(i))
    }

    /// Organization `i`. Depends only on the seed and `i` (an index past `size.organizations` still
    /// works, but no listing refers to it).
    pub fn organization(&self, i: usize) -> Organization {
        let (plan, mut rng) = self.org_plan(i);
        let city = &CITIES[plan.home];
        let domain = plan.domain();

        let phone = rng.random_bool(0.95).then(|| {
            if rng.random_bool(0.35) {
                landline(&mut rng, city)
            } else {
                mobile(&mut rng)
            }
        });
        let email = rng
            .random_bool(0.75)
            .then(|| format!("{}@{domain}", pick(&mut rng, EMAIL_LOCALS)));
        let website_chance = if plan.kind == OrganizationKind::Ngo {
            0.4
        } else {
            0.5
        };
        let website = rng.random_bool(website_chance).then(|| {
            let www = if rng.random_bool(0.3) { "www." } else { "" };
            format!("https://{www}{domain}")
        });
        let verified_chance = match plan.kind {
            OrganizationKind::Ngo => 0.6,
            OrganizationKind::Employer => 0.55,
            OrganizationKind::PublicBody => 0.85,
        };
        Organization {
            id: plan.id,
            name: plan.name(),
            kind: plan.kind,
            contact: Contact {
                phone,
                email,
                website,
            },
            verified: rng.random_bool(verified_chance),
        }
    }

    /// Building `i`. Depends only on the seed and `i`; its city follows a fixed 20-step cycle (half
    /// in Bishkek, 15% in Osh, ...), so every size has the same mix.
    pub fn building(&self, i: usize) -> Building {
        let mut rng = self.rng(BUILDING, i);
        let id = minted_id(&mut rng, i);
        let city = &CITIES[building_city(i)];

        // Uniform over a disc around the centre: r = R·√u.
        let r = city.radius_km * rng.random::<f64>().sqrt();
        let angle = rng.random::<f64>() * std::f64::consts::TAU;
        let lat = city.lat + r * angle.cos() / KM_PER_DEGREE;
        let lon = city.lon + r * angle.sin() / (KM_PER_DEGREE * city.lat.to_radians().cos());
        let location = GeoPoint::new(lat.clamp(39.0, 43.4), lon.clamp(69.1, 80.4));

        let (street_name, style) = *pick(&mut rng, city.streets);
        let number = house_number(&mut rng);
        let mut street = String::with_capacity(street_name.len() + 8);
        street.push_str(street_name);
        match style {
            StreetStyle::Comma => street.push_str(", "),
            StreetStyle::Plain => street.push(' '),
        }
        let _ = write!(street, "{number}");
        if rng.random_bool(0.1) {
            let _ = write!(street, "/{}", rng.random_range(1..=4));
        }

        let (base, numbered) = *pick(&mut rng, BUILDING_NAMES);
        let name = if numbered {
            format!("{base}{}", rng.random_range(1..=120))
        } else {
            base.to_string()
        };

        let osm_id = rng.random_bool(0.4).then(|| {
            let kind = if rng.random_bool(0.85) { "way" } else { "node" };
            format!("{kind}/{}", rng.random_range(20_000_000u64..1_300_000_000))
        });

        Building {
            id,
            name,
            address: Address {
                street,
                city: city.name.to_string(),
                district: bishkek_district(city, location).map(str::to_string),
                region: city.region,
            },
            location,
            osm_id,
        }
    }

    /// Listing `i`: posted by one of this generator's organizations, at one of its buildings unless
    /// remote. Costs a few microseconds and only the listing's own allocations.
    ///
    /// # Panics
    /// If the size has no organizations or no buildings (see [`Generator::new`]).
    pub fn listing(&self, i: usize) -> JobListing {
        let mut rng = self.rng(LISTING, i);
        let id = minted_id(&mut rng, i);

        // A few organizations post many listings, most post a few.
        let org_index = skewed_index(&mut rng, self.size.organizations);
        let (org, _) = self.org_plan(org_index);

        let words = &CATEGORIES[weighted(&mut rng, CATEGORY_WEIGHTS)];
        let lang = weighted(&mut rng, &LANGUAGE_WEIGHTS);
        let title = *pick(&mut rng, words.titles[lang]);

        let employment_type = EmploymentType::ALL[weighted(&mut rng, &EMPLOYMENT_WEIGHTS)];
        let roll = rng.random_range(0..100);
        let work_mode = if roll < words.remote {
            WorkMode::Remote
        } else if roll < words.remote + words.hybrid {
            WorkMode::Hybrid
        } else {
            WorkMode::OnSite
        };

        let building_index =
            (work_mode != WorkMode::Remote).then(|| self.pick_building(&mut rng, org.home));
        let building = building_index.map(|b| self.building(b));
        let city = &CITIES[building_index.map_or(org.home, building_city)];

        let salary = salary(&mut rng, words.pay, employment_type);
        let accommodations = accommodations(&mut rng, work_mode);
        let languages = languages(&mut rng, lang);
        let apply_via = apply_methods(&mut rng, &org, building.as_ref(), lang);
        let description = description(
            &mut rng,
            lang,
            title,
            city,
            work_mode,
            employment_type,
            &accommodations,
        );
        let (posted_at, valid_through) = dates(&mut rng, self.now);

        let status = match rng.random_range(0..100) {
            0..88 => ListingStatus::Published,
            88..94 => ListingStatus::Closed,
            _ => ListingStatus::Draft,
        };
        let version = match status {
            ListingStatus::Draft => 1,
            ListingStatus::Closed => rng.random_range(2..=3),
            ListingStatus::Published => match rng.random_range(0..10) {
                0..7 => 1,
                7..9 => 2,
                _ => 3,
            },
        };

        JobListing {
            id,
            organization_id: org.id,
            title: title.to_string(),
            description,
            category: words.category,
            employment_type,
            work_mode,
            building_id: building.as_ref().map(|b| b.id),
            city: city.name.to_string(),
            region: city.region,
            salary,
            accommodations,
            languages,
            apply_via,
            posted_at,
            valid_through,
            status,
            version,
        }
    }

    fn rng(&self, kind: u64, i: usize) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(record_seed(self.seed, kind, i as u64))
    }

    /// The parts of organization `i` a listing needs, drawn first from its stream; the rest of the
    /// stream continues into the contact details.
    fn org_plan(&self, i: usize) -> (OrgPlan, ChaCha8Rng) {
        let mut rng = self.rng(ORGANIZATION, i);
        let id = minted_id(&mut rng, i);
        let home = weighted(&mut rng, &HOME_CITY_WEIGHTS);
        let (kind, name) = match rng.random_range(0..100) {
            0..30 => (
                OrganizationKind::Ngo,
                OrgName::Ngo {
                    form: rng.random_range(0..NGO_FORMS.len()),
                    stem: rng.random_range(0..NGO_STEMS.len()),
                },
            ),
            30..85 => (
                OrganizationKind::Employer,
                OrgName::Employer {
                    form: rng.random_range(0..EMPLOYER_FORMS.len()),
                    stem: rng.random_range(0..EMPLOYER_STEMS.len()),
                },
            ),
            _ => (
                OrganizationKind::PublicBody,
                OrgName::Public {
                    form: rng.random_range(0..PUBLIC_FORMS.len()),
                },
            ),
        };
        let plan = OrgPlan {
            id,
            kind,
            home,
            name,
        };
        (plan, rng)
    }

    /// Mostly a building in the organization's home city; sometimes anywhere (branches, clients).
    fn pick_building(&self, rng: &mut ChaCha8Rng, home: usize) -> usize {
        let n = self.size.buildings;
        if rng.random_bool(0.8) {
            let in_city = buildings_in_city(home, n);
            if in_city > 0 {
                return nth_building_in_city(home, rng.random_range(0..in_city));
            }
        }
        rng.random_range(0..n)
    }
}

const KM_PER_DEGREE: f64 = 111.32;

const CATEGORY_WEIGHTS: &[u32] = &{
    let mut w = [0u32; CATEGORIES.len()];
    let mut i = 0;
    while i < w.len() {
        w[i] = CATEGORIES[i].weight;
        i += 1;
    }
    w
};

/// In [`EmploymentType::ALL`] order: mostly full- and part-time.
const EMPLOYMENT_WEIGHTS: [u32; 6] = [52, 26, 8, 6, 5, 3];

/// Relative frequency of accommodations, in [`Accommodation::ALL`] order.
const ACCOMMODATION_WEIGHTS: [u32; 9] = [20, 12, 8, 6, 14, 10, 6, 10, 14];

/// Relative frequency of apply channels, in [`ApplyChannel::ALL`] order.
const CHANNEL_WEIGHTS: [u32; 5] = [35, 10, 25, 20, 10];

struct OrgPlan {
    id: Uuid,
    kind: OrganizationKind,
    /// Index into [`CITIES`].
    home: usize,
    name: OrgName,
}

enum OrgName {
    Ngo { form: usize, stem: usize },
    Employer { form: usize, stem: usize },
    Public { form: usize },
}

impl OrgPlan {
    fn name(&self) -> String {
        match self.name {
            OrgName::Ngo { form, stem } => {
                let (before, after, latin) = NGO_FORMS[form];
                let stem = NGO_STEMS[stem];
                [before, if latin { stem.1 } else { stem.0 }, after].concat()
            }
            OrgName::Employer { form, stem } => {
                let (before, after, latin, _) = EMPLOYER_FORMS[form];
                let stem = EMPLOYER_STEMS[stem];
                [before, if latin { stem.1 } else { stem.0 }, after].concat()
            }
            OrgName::Public { form } => {
                let (before, after, _) = PUBLIC_FORMS[form];
                [before, CITIES[self.home].name, after].concat()
            }
        }
    }

    /// ASCII domain for email and website, e.g. `akjol.kg`, `tulpartech.kg`, `meria-osh.gov.kg`.
    fn domain(&self) -> String {
        match self.name {
            OrgName::Ngo { stem, .. } => [NGO_STEMS[stem].2, ".kg"].concat(),
            OrgName::Employer { form, stem } => {
                [EMPLOYER_STEMS[stem].2, EMPLOYER_FORMS[form].3, ".kg"].concat()
            }
            OrgName::Public { form } => {
                [PUBLIC_FORMS[form].2, CITIES[self.home].slug, ".gov.kg"].concat()
            }
        }
    }
}

/// SplitMix64 finalizer: spreads nearby inputs over the whole 64-bit range.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn record_seed(seed: u64, kind: u64, i: u64) -> u64 {
    splitmix64(splitmix64(seed ^ kind.wrapping_mul(0xD6E8_FEB8_6659_FD93)) ^ i)
}

/// When generated ids say their records were created: record `n` of a kind one millisecond after
/// record `n - 1`, from 2025-01-01 UTC. Fixed rather than taken from `now`, so the same seed gives
/// the same ids whenever it runs.
const ID_EPOCH_MS: u64 = 1_735_689_600_000;

/// The id of the `ordinal`-th record of its kind, time-ordered like the ids the server mints
/// (UUIDv7): a catalogue synced in creation order arrives in id order, as it does
/// from a real server. Draws 16 bytes as a random id did, so every later value in the stream stays.
pub(crate) fn minted_id(rng: &mut ChaCha8Rng, ordinal: usize) -> Uuid {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    let mut random = [0u8; 10];
    random.copy_from_slice(&bytes[..10]);
    uuid::Builder::from_unix_timestamp_millis(ID_EPOCH_MS + ordinal as u64, &random).into_uuid()
}

/// Bishkek's four districts by quarter around the centre (roughly where they lie: Pervomaisky
/// north-west, Sverdlovsky north-east, Leninsky south-west, Oktyabrsky south-east). From the
/// location alone, so the random stream, and every other generated value, stays as it was.
fn bishkek_district(city: &City, location: GeoPoint) -> Option<&'static str> {
    if city.region != crate::model::Region::Bishkek {
        return None;
    }
    let north = location.lat >= city.lat;
    let east = location.lon >= city.lon;
    Some(match (north, east) {
        (true, false) => "Первомайский район",
        (true, true) => "Свердловский район",
        (false, false) => "Ленинский район",
        (false, true) => "Октябрьский район",
    })
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Index drawn with the given relative weights.
fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut roll = rng.random_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if roll < w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

/// An index below `n`, low indexes more likely (the first 1% get about 5% of the draws).
fn skewed_index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u: f64 = rng.random();
    ((u.powf(1.6) * n as f64) as usize).min(n - 1)
}

fn building_city(i: usize) -> usize {
    BUILDING_CITY_CYCLE[i % BUILDING_CITY_CYCLE.len()]
}

/// How many of buildings `0..n` lie in `city`.
fn buildings_in_city(city: usize, n: usize) -> usize {
    let cycle = BUILDING_CITY_CYCLE.len();
    let per_cycle = BUILDING_CITY_CYCLE.iter().filter(|&&c| c == city).count();
    let tail = BUILDING_CITY_CYCLE[..n % cycle]
        .iter()
        .filter(|&&c| c == city)
        .count();
    n / cycle * per_cycle + tail
}

/// Index of the `k`-th building (from 0) in `city`.
fn nth_building_in_city(city: usize, k: usize) -> usize {
    let cycle = BUILDING_CITY_CYCLE.len();
    let per_cycle = BUILDING_CITY_CYCLE.iter().filter(|&&c| c == city).count();
    let slot = BUILDING_CITY_CYCLE
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == city)
        .nth(k % per_cycle)
        .map_or(0, |(slot, _)| slot);
    k / per_cycle * cycle + slot
}

/// House numbers: mostly small, up to about 220.
fn house_number(rng: &mut ChaCha8Rng) -> u32 {
    1 + (rng.random::<f64>().powf(1.5) * 220.0) as u32
}

/// `+996 555 123 456`, sometimes written `0555 123 456` or `+996555123456`.
fn mobile(rng: &mut ChaCha8Rng) -> String {
    let prefix = pick(rng, MOBILE_PREFIXES);
    let (a, b) = (rng.random_range(0..1000), rng.random_range(0..1000));
    match rng.random_range(0..100) {
        0..75 => format!("+996 {prefix} {a:03} {b:03}"),
        75..90 => format!("0{prefix} {a:03} {b:03}"),
        _ => format!("+996{prefix}{a:03}{b:03}"),
    }
}

/// City landline, e.g. `+996 312 62 45 18` or `+996 3222 5 47 21` (nine digits after +996).
fn landline(rng: &mut ChaCha8Rng, city: &City) -> String {
    let code = city.area_code;
    let rest = 9 - code.len();
    let number = rng.random_range(10u32.pow(rest as u32 - 1) * 2..10u32.pow(rest as u32));
    let digits = format!("{number:0rest$}");
    let (head, tail) = digits.split_at(rest - 4);
    format!("+996 {code} {head} {} {}", &tail[..2], &tail[2..])
}

fn salary(
    rng: &mut ChaCha8Rng,
    (lo, hi): (u64, u64),
    employment: EmploymentType,
) -> Option<Salary> {
    let chance = match employment {
        EmploymentType::Volunteer => 0.0,
        EmploymentType::Internship => 0.5,
        _ => 0.8,
    };
    if !rng.random_bool(chance) {
        return None;
    }
    let scale = match employment {
        EmploymentType::PartTime => 0.55,
        EmploymentType::Internship => 0.6,
        _ => 1.0,
    };
    let low = (lo as f64 * scale) as u64;
    let top = ((hi as f64 * 0.8 * scale) as u64).max(low + 1);
    let min_month = rng.random_range(low..top);
    let max_month = (min_month as f64 * rng.random_range(1.1..1.7)) as u64;

    let (period, unit, divisor) = match rng.random_range(0..100) {
        0..86 => (SalaryPeriod::Month, 1_000, 1.0),
        86..95 => (SalaryPeriod::Day, 50, 22.0),
        _ => (SalaryPeriod::Hour, 10, 173.0),
    };
    let round = |monthly: u64| -> u64 {
        let amount = (monthly as f64 / divisor / unit as f64).round() as u64 * unit;
        amount.max(unit)
    };
    let (min, max) = (round(min_month), round(max_month).max(round(min_month)));
    let (min, max) = match rng.random_range(0..100) {
        0..70 => (Some(min), Some(max)),
        70..90 => (Some(min), None),
        _ => (None, Some(max)),
    };
    Some(Salary { min, max, period })
}

/// One to four distinct accommodations in [`Accommodation::ALL`] order; remote jobs always offer
/// remote work.
fn accommodations(rng: &mut ChaCha8Rng, work_mode: WorkMode) -> Vec<Accommodation> {
    let count = weighted(rng, &[30, 35, 22, 13]) + 1;
    let mut weights = ACCOMMODATION_WEIGHTS;
    let mut chosen = 0u32;
    if work_mode == WorkMode::Remote {
        let remote = Accommodation::RemoteOption.index();
        chosen |= 1 << remote;
        weights[remote] = 0;
    }
    while (chosen.count_ones() as usize) < count {
        let i = weighted(rng, &weights);
        chosen |= 1 << i;
        weights[i] = 0;
    }
    Accommodation::ALL
        .iter()
        .enumerate()
        .filter(|&(i, _)| chosen & (1 << i) != 0)
        .map(|(_, &a)| a)
        .collect()
}

/// The title's language plus, often, another of the three; in [`WorkLanguage::ALL`] order.
fn languages(rng: &mut ChaCha8Rng, lang: usize) -> Vec<WorkLanguage> {
    // Chance (in %) of each other language given the title's language.
    let also: [[u32; 3]; 3] = [[100, 60, 10], [35, 100, 12], [20, 55, 100]];
    WorkLanguage::ALL
        .iter()
        .enumerate()
        .filter(|&(i, _)| i == lang || rng.random_range(0..100) < also[lang][i])
        .map(|(_, &l)| l)
        .collect()
}

fn apply_methods(
    rng: &mut ChaCha8Rng,
    org: &OrgPlan,
    building: Option<&Building>,
    lang: usize,
) -> Vec<ApplyMethod> {
    let count = weighted(rng, &[35, 45, 20]) + 1;
    let mut weights = CHANNEL_WEIGHTS;
    if building.is_none() {
        weights[ApplyChannel::InPerson.index()] = 0;
    }
    let mut chosen = 0u32;
    while (chosen.count_ones() as usize) < count {
        let i = weighted(rng, &weights);
        chosen |= 1 << i;
        weights[i] = 0;
    }
    let phone = mobile(rng);
    let mut methods = Vec::with_capacity(count);
    for (i, &channel) in ApplyChannel::ALL.iter().enumerate() {
        if chosen & (1 << i) == 0 {
            continue;
        }
        let value = match channel {
            ApplyChannel::Phone | ApplyChannel::Sms | ApplyChannel::WhatsApp => phone.clone(),
            ApplyChannel::Email => format!("{}@{}", pick(rng, EMAIL_LOCALS), org.domain()),
            ApplyChannel::InPerson => {
                let b = building.expect("in person only with a building");
                let mut place = format!("{}, {}", b.address.street, b.address.city);
                if rng.random_bool(0.5) {
                    let (before, after) = ROOM[lang];
                    let _ = write!(place, ", {before}{}{after}", rng.random_range(1..=320));
                }
                place
            }
        };
        methods.push(ApplyMethod { channel, value });
    }
    methods
}

/// Two to five sentences in the title's language: an introduction, then (in this order) the
/// workplace or remote work, the schedule, the accommodations and some general remarks.
fn description(
    rng: &mut ChaCha8Rng,
    lang: usize,
    title: &str,
    city: &City,
    work_mode: WorkMode,
    employment: EmploymentType,
    accommodations: &[Accommodation],
) -> String {
    let mut candidates: [&str; 7] = [""; 7];
    let mut n = 0;
    let mut push = |s: &'static str| {
        candidates[n] = s;
        n += 1;
    };
    match work_mode {
        WorkMode::Remote => push(REMOTE_SENTENCE[lang]),
        WorkMode::Hybrid => push(HYBRID_SENTENCE[lang]),
        WorkMode::OnSite => push(pick(rng, WORKPLACE_SENTENCES)[lang]),
    }
    push(SCHEDULE_SENTENCES[employment.index()][lang]);
    // The place and the schedule come first, always.
    let first_accommodation = 2;
    for a in accommodations.iter().take(2) {
        if !(work_mode == WorkMode::Remote && *a == Accommodation::RemoteOption) {
            push(ACCOMMODATION_SENTENCES[a.index()][lang]);
        }
    }
    let extras = EXTRA_SENTENCES.len();
    let extra = rng.random_range(0..extras);
    push(EXTRA_SENTENCES[extra][lang]);
    push(EXTRA_SENTENCES[(extra + 1 + rng.random_range(0..extras - 1)) % extras][lang]);

    // Keep a random subset of the candidates, in their order; always one accommodation, if any.
    let keep = rng.random_range(1..=4).min(n);
    let mut kept = 0u32;
    if first_accommodation < n - 2 {
        kept |= 1 << first_accommodation;
    }
    while (kept.count_ones() as usize) < keep {
        kept |= 1 << rng.random_range(0..n);
    }

    let mut out = String::with_capacity(512);
    let city_name = if lang == EN { city.latin } else { city.name };
    let intro = *pick(rng, INTROS[lang]);
    fill(&mut out, intro, title, city_name);
    for (i, sentence) in candidates[..n].iter().enumerate() {
        if kept & (1 << i) != 0 {
            out.push(' ');
            out.push_str(sentence);
        }
    }
    out
}

/// Appends `template` with `{title}` and `{city}` replaced.
fn fill(out: &mut String, template: &str, title: &str, city: &str) {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        if let Some(tail) = after.strip_prefix("{title}") {
            out.push_str(title);
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("{city}") {
            out.push_str(city);
            rest = tail;
        } else {
            out.push('{');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
}

/// Posted within the 120 days before `now`; open for 30 to 90 days. About 10% have already expired,
/// 5% have no closing date.
fn dates(rng: &mut ChaCha8Rng, now: DateTime<Utc>) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    let secs = |s: i64| Duration::seconds(s);
    match rng.random_range(0..100) {
        0..10 => {
            let life = rng.random_range(30 * DAY_SECS..=90 * DAY_SECS);
            let since_expiry = rng.random_range(1..=120 * DAY_SECS - life);
            let posted = now - secs(life + since_expiry);
            (posted, Some(posted + secs(life)))
        }
        10..15 => (now - secs(rng.random_range(0..120 * DAY_SECS)), None),
        _ => {
            let age = rng.random_range(0..88 * DAY_SECS);
            let life = rng.random_range((30 * DAY_SECS).max(age + 3_600)..=90 * DAY_SECS);
            let posted = now - secs(age);
            (posted, Some(posted + secs(life)))
        }
    }
}

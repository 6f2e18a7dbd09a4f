use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::words::CITIES;
use super::*;
use crate::model::{Building, Region, Validate};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
}

fn generator(seed: u64, listings: usize) -> Generator {
    Generator::new(seed, DataSize::for_listings(listings), now())
}

fn has_kyrgyz_letters(s: &str) -> bool {
    s.chars().any(|c| "өүңӨҮҢ".contains(c))
}

fn is_cyrillic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

fn is_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic()) && !is_cyrillic(s)
}

#[test]
fn for_listings_keeps_the_proportions_and_minimums() {
    assert_eq!(
        DataSize::for_listings(10_000),
        DataSize {
            organizations: 200,
            buildings: 2_000,
            listings: 10_000
        }
    );
    assert_eq!(
        DataSize::for_listings(0),
        DataSize {
            organizations: 5,
            buildings: 10,
            listings: 0
        }
    );
}

#[test]
fn same_seed_gives_identical_records() {
    let (a, b) = (generator(7, 1_000), generator(7, 1_000));
    assert_eq!(a.organizations(), b.organizations());
    assert_eq!(a.buildings(), b.buildings());
    assert!(a.listings().eq(b.listings()));
}

#[test]
fn different_seeds_give_different_records() {
    let (a, b) = (generator(7, 1_000), generator(8, 1_000));
    assert_ne!(a.organization(0).id, b.organization(0).id);
    assert_ne!(a.building(0).id, b.building(0).id);
    let titles = |g: &Generator| g.listings().take(50).map(|l| l.title).collect::<Vec<_>>();
    assert_ne!(titles(&a), titles(&b));
    let ids_a: HashSet<_> = a.listings().map(|l| l.id).collect();
    assert!(b.listings().all(|l| !ids_a.contains(&l.id)));
}

#[test]
fn listing_i_equals_the_ith_item_of_the_stream() {
    let g = generator(3, 2_000);
    let all: Vec<_> = g.listings().collect();
    assert_eq!(all.len(), 2_000);
    for i in [0, 1, 17, 999, 1_999] {
        assert_eq!(g.listing(i), all[i], "listing {i}");
    }
    // Backwards and in a slice gives the same records.
    let slice: Vec<_> = g.listings_in(500..600).collect();
    assert_eq!(slice, all[500..600]);
    for i in (0..2_000).rev().step_by(97) {
        assert_eq!(g.listing(i), all[i]);
    }
}

#[test]
fn organization_and_building_i_do_not_depend_on_the_size() {
    let (small, big) = (generator(11, 1_000), generator(11, 100_000));
    let orgs = small.organizations();
    for (i, o) in orgs.iter().enumerate() {
        assert_eq!(*o, big.organization(i));
    }
    for i in (0..200).rev() {
        assert_eq!(small.building(i), big.building(i));
    }
}

#[test]
fn ids_are_unique() {
    let g = generator(5, 10_000);
    let orgs: HashSet<_> = g.organizations().into_iter().map(|o| o.id).collect();
    assert_eq!(orgs.len(), 200);
    let buildings: HashSet<_> = g.buildings().into_iter().map(|b| b.id).collect();
    assert_eq!(buildings.len(), 2_000);
    let listings: HashSet<_> = g.listings().map(|l| l.id).collect();
    assert_eq!(listings.len(), 10_000);
    assert!(orgs.is_disjoint(&buildings) && orgs.is_disjoint(&listings));
}

#[test]
fn ids_are_time_ordered_like_the_servers() {
    // Listings in generation order have growing ids, as a first sync receives them from a server
    // that mints UUIDv7 (the phone's id index then appends instead of rewriting pages).
    let g = generator(5, 2_000);
    let ids: Vec<_> = g.listings().map(|l| l.id).collect();
    assert!(ids.iter().all(|id| id.get_version_num() == 7));
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let buildings: Vec<_> = g.buildings().into_iter().map(|b| b.id).collect();
    assert!(buildings.windows(2).all(|w| w[0] < w[1]));
    // Independent of `now`: the same seed gives the same ids on another day.
    let later = Generator::new(5, g.size(), g.now() + chrono::Duration::days(3));
    assert_eq!(later.listing(17).id, g.listing(17).id);
}

#[test]
fn every_record_passes_validation() {
    let g = generator(2026, 250_000);
    for o in g.organizations() {
        assert_eq!(o.validate(), Ok(()), "{o:?}");
    }
    for b in g.buildings() {
        assert_eq!(b.validate(), Ok(()), "{b:?}");
    }
    for i in (0..250_000).step_by(50) {
        let l = g.listing(i);
        assert_eq!(l.validate(), Ok(()), "{l:?}");
    }
}

#[test]
fn tiny_sizes_produce_valid_records() {
    for listings in [0, 1, 7, 60] {
        let g = generator(1, listings);
        assert!(g.organizations().iter().all(|o| o.validate().is_ok()));
        assert!(g.buildings().iter().all(|b| b.validate().is_ok()));
        let ls: Vec<_> = g.listings().collect();
        assert_eq!(ls.len(), listings);
        assert!(ls.iter().all(|l| l.validate().is_ok()));
    }
}

#[test]
#[should_panic(expected = "at least one organization")]
fn listings_without_organizations_are_refused() {
    let size = DataSize {
        organizations: 0,
        buildings: 10,
        listings: 5,
    };
    Generator::new(1, size, now());
}

#[test]
fn listings_refer_to_generated_records_and_share_their_buildings_city() {
    let g = generator(9, 10_000);
    let orgs: HashSet<_> = g.organizations().into_iter().map(|o| o.id).collect();
    let buildings: HashMap<_, Building> = g.buildings().into_iter().map(|b| (b.id, b)).collect();
    let cities: HashMap<&str, Region> = CITIES.iter().map(|c| (c.name, c.region)).collect();
    let mut remote = 0;
    for l in g.listings() {
        assert!(orgs.contains(&l.organization_id), "{l:?}");
        match l.building_id {
            Some(id) => {
                assert_ne!(l.work_mode, WorkMode::Remote);
                let b = buildings.get(&id).expect("building exists");
                assert_eq!(l.city, b.address.city);
                assert_eq!(l.region, b.address.region);
            }
            None => {
                assert_eq!(l.work_mode, WorkMode::Remote);
                assert_eq!(cities.get(l.city.as_str()), Some(&l.region), "{l:?}");
                assert!(!l
                    .apply_via
                    .iter()
                    .any(|m| m.channel == ApplyChannel::InPerson));
                remote += 1;
            }
        }
    }
    assert!(remote > 0);
}

#[test]
fn ten_thousand_listings_have_a_realistic_spread() {
    let g = generator(42, 10_000);
    let now = g.now();
    let mut cities = HashSet::new();
    let mut titles = HashSet::new();
    let (mut ky, mut ru, mut en) = (0, 0, 0);
    let (mut expired, mut closed, mut drafts, mut remote, mut with_salary) = (0, 0, 0, 0, 0);
    for l in g.listings() {
        cities.insert(l.city.clone());
        // Titles like "Бухгалтер" are both Kyrgyz and Russian; the description tells them apart.
        if has_kyrgyz_letters(&l.title)
            || (is_cyrillic(&l.title) && has_kyrgyz_letters(&l.description))
        {
            ky += 1;
        } else if is_latin(&l.title) {
            en += 1;
        } else if is_cyrillic(&l.title)
            && ["Ищем", "работ", "вакансия"]
                .iter()
                .any(|w| l.description.contains(w))
        {
            ru += 1;
        }
        titles.insert(l.title);
        expired += l.valid_through.is_some_and(|v| v < now) as usize;
        closed += (l.status == ListingStatus::Closed) as usize;
        drafts += (l.status == ListingStatus::Draft) as usize;
        remote += (l.work_mode == WorkMode::Remote) as usize;
        with_salary += l.salary.is_some() as usize;
    }
    assert_eq!(cities.len(), 8, "{cities:?}");
    assert!(
        ky > 1_000 && ru > 2_500 && en > 800,
        "ky {ky}, ru {ru}, en {en}"
    );
    assert!(titles.len() >= 50, "{} distinct titles", titles.len());
    assert!((500..2_000).contains(&expired), "expired {expired}");
    assert!((300..1_000).contains(&closed), "closed {closed}");
    assert!((300..1_000).contains(&drafts), "drafts {drafts}");
    assert!((1_000..2_200).contains(&remote), "remote {remote}");
    assert!(
        (6_500..8_500).contains(&with_salary),
        "with salary {with_salary}"
    );
}

#[test]
fn buildings_follow_the_city_mix() {
    let g = generator(4, 10_000);
    let buildings = g.buildings();
    let in_bishkek = buildings
        .iter()
        .filter(|b| b.address.region == Region::Bishkek)
        .count();
    let in_osh = buildings
        .iter()
        .filter(|b| b.address.region == Region::OshCity)
        .count();
    assert_eq!(in_bishkek, 1_000);
    assert_eq!(in_osh, 300);
    let with_osm = buildings.iter().filter(|b| b.osm_id.is_some()).count();
    assert!((600..1_000).contains(&with_osm), "{with_osm}");
}

#[test]
fn buildings_lie_inside_kyrgyzstan_and_near_their_city() {
    let g = generator(12, 50_000);
    let centres: HashMap<Region, GeoPoint> = CITIES
        .iter()
        .map(|c| (c.region, GeoPoint::new(c.lat, c.lon)))
        .collect();
    for b in g.buildings() {
        let p = b.location;
        assert!(
            (39.0..=43.4).contains(&p.lat) && (69.1..=80.4).contains(&p.lon),
            "{b:?}"
        );
        let d = p.distance_km(centres[&b.address.region]);
        let limit = if b.address.region == Region::Bishkek {
            10.0
        } else {
            4.0
        };
        assert!(
            d <= limit,
            "{} is {d:.1} km from the centre",
            b.address.city
        );
    }
}

#[test]
fn the_k_th_building_of_a_city_is_in_that_city() {
    for city in 0..CITIES.len() {
        let n = 1_234;
        let count = buildings_in_city(city, n);
        let direct = (0..n).filter(|&i| building_city(i) == city).count();
        assert_eq!(count, direct);
        for k in 0..count {
            let i = nth_building_in_city(city, k);
            assert!(i < n);
            assert_eq!(building_city(i), city);
        }
    }
}

#[test]
fn dates_stay_within_the_posting_window() {
    let g = generator(21, 5_000);
    let now = g.now();
    for l in g.listings() {
        assert!(
            l.posted_at <= now && l.posted_at >= now - Duration::days(120),
            "{l:?}"
        );
        if let Some(v) = l.valid_through {
            let life = v - l.posted_at;
            assert!(
                life >= Duration::days(30) && life <= Duration::days(90),
                "{l:?}"
            );
        }
        assert_eq!(l.posted_at.timestamp_subsec_nanos(), 0);
        assert!((1..=3).contains(&l.version));
    }
}

#[test]
fn texts_are_written_in_the_titles_language() {
    let g = generator(13, 3_000);
    let mut kyrgyz = 0;
    for l in g.listings() {
        let sentences = l.description.matches(['.', '!']).count();
        assert!((2..=6).contains(&sentences), "{}", l.description);
        if has_kyrgyz_letters(&l.title) {
            kyrgyz += 1;
            assert!(has_kyrgyz_letters(&l.description), "{}", l.description);
        }
        if is_latin(&l.title) {
            assert!(!is_cyrillic(&l.description), "{}", l.description);
            assert!(l.languages.contains(&WorkLanguage::English));
        }
        assert!(l.description.contains(l.title.as_str()), "{l:?}");
    }
    assert!(kyrgyz > 0);
}

#[test]
fn contacts_look_kyrgyz() {
    let g = generator(14, 50_000);
    let orgs = g.organizations();
    let verified = orgs.iter().filter(|o| o.verified).count() as f64 / orgs.len() as f64;
    assert!((0.5..0.7).contains(&verified), "{verified}");
    let ngos = orgs
        .iter()
        .filter(|o| o.kind == OrganizationKind::Ngo)
        .count() as f64;
    assert!((0.22..0.38).contains(&(ngos / orgs.len() as f64)), "{ngos}");
    for o in &orgs {
        if let Some(p) = &o.contact.phone {
            assert!(p.starts_with("+996") || p.starts_with('0'), "{p}");
        }
        if let Some(e) = &o.contact.email {
            assert!(e.ends_with(".kg") && e.is_ascii(), "{e}");
        }
        if let Some(w) = &o.contact.website {
            assert!(w.starts_with("https://") && w.ends_with(".kg"), "{w}");
        }
    }
}

#[test]
fn accommodations_and_languages_are_distinct_and_in_canonical_order() {
    let g = generator(15, 2_000);
    for l in g.listings() {
        assert!((1..=4).contains(&l.accommodations.len()));
        assert!(l.accommodations.windows(2).all(|w| w[0] < w[1]), "{l:?}");
        assert!((1..=3).contains(&l.languages.len()));
        assert!(l.languages.windows(2).all(|w| w[0] < w[1]), "{l:?}");
        assert!((1..=3).contains(&l.apply_via.len()));
        assert!(
            l.apply_via.windows(2).all(|w| w[0].channel < w[1].channel),
            "{l:?}"
        );
        if l.work_mode == WorkMode::Remote {
            assert!(l.accommodations.contains(&Accommodation::RemoteOption));
        }
    }
}

#[test]
fn template_filling_replaces_both_placeholders() {
    let mut out = String::new();
    fill(&mut out, "«{title}» in {city} {x}", "Cook", "Osh");
    assert_eq!(out, "«Cook» in Osh {x}");
}

mod accessibility {
    use super::*;
    use crate::accessibility::{AccessRequirement, Tri};
    use crate::model::Validate;

    #[test]
    fn accessibility_reports_are_valid_deterministic_and_about_their_building() {
        let g = Generator::new(7, DataSize::for_listings(2_000), now());
        let mut total = 0;
        for i in 0..g.size().buildings {
            let reports = g.accessibility_reports(i);
            assert_eq!(reports, g.accessibility_reports(i));
            for r in &reports {
                r.validate().unwrap_or_else(|e| panic!("building {i}: {e}"));
                assert_eq!(r.building_id, g.building(i).id);
                assert!(r.observed_at <= now());
            }
            total += reports.len();
        }
        let buildings = g.size().buildings;
        assert!(
            total > buildings && total < buildings * 6,
            "{total} reports for {buildings} buildings"
        );
    }

    #[test]
    fn summaries_give_every_kind_of_answer() {
        let g = Generator::new(7, DataSize::for_listings(2_000), now());
        let answers: std::collections::HashSet<(Tri, bool)> = (0..g.size().buildings)
            .filter_map(|i| g.building_summary(i))
            .map(|s| {
                let status = s.requirement(AccessRequirement::StepFreeEntrance);
                (status.met, status.confirmed)
            })
            .collect();
        for expected in [
            (Tri::Yes, true),
            (Tri::Yes, false),
            (Tri::No, true),
            (Tri::Unknown, false),
        ] {
            assert!(
                answers.contains(&expected),
                "no building answers {expected:?}: {answers:?}"
            );
        }
    }
}

#[test]
fn bishkek_buildings_name_their_district_and_others_none() {
    let generator = Generator::new(5, DataSize::for_listings(2_000), crate::testing::now());
    let buildings = generator.buildings();
    let districts: std::collections::HashSet<_> = buildings
        .iter()
        .filter(|b| b.address.region == Region::Bishkek)
        .map(|b| {
            b.address
                .district
                .clone()
                .expect("every Bishkek building has a district")
        })
        .collect();
    assert_eq!(districts.len(), 4, "{districts:?}");
    assert!(buildings
        .iter()
        .filter(|b| b.address.region != Region::Bishkek)
        .all(|b| b.address.district.is_none()));
}

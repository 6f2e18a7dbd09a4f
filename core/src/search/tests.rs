//! Search behaviour, one test per rule, on small hand-made data in a real SQLite file.

use std::collections::HashSet;

use chrono::Duration;
use uuid::Uuid;

use super::*;
use crate::model::*;
use crate::store::ChangeBatch;
use crate::testing::{building, listing, now, organization, temp_store};
use crate::Error;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    org: Organization,
    unverified: Organization,
    center: Building,
    east: Building,
    osh: Building,
}

/// Bishkek center, a building ~5 km east, and one in Osh; a verified and an unverified employer.
fn fixture() -> Fixture {
    let (dir, store) = temp_store();
    let org = organization("Ассоциация Ак-Жол", true);
    let unverified = organization("Nur Foundation", false);
    let center = building("Ордо", "Бишкек", Region::Bishkek, 42.8746, 74.5698);
    let east = building("Восток", "Бишкек", Region::Bishkek, 42.8746, 74.6310);
    let osh = building("Мэрия", "Ош", Region::OshCity, 40.5283, 72.7985);
    store
        .apply(&ChangeBatch {
            organizations: vec![org.clone(), unverified.clone()],
            buildings: vec![center.clone(), east.clone(), osh.clone()],
            ..Default::default()
        })
        .unwrap();
    Fixture {
        _dir: dir,
        store,
        org,
        unverified,
        center,
        east,
        osh,
    }
}

impl Fixture {
    fn add(&self, listings: &[JobListing]) {
        self.store.upsert_listings(listings).unwrap();
    }

    fn search(&self, q: &SearchQuery) -> SearchPage {
        self.store.search_at(q, now()).unwrap()
    }

    fn ids(&self, q: &SearchQuery) -> Vec<Uuid> {
        self.search(q)
            .hits
            .into_iter()
            .map(|h| h.listing.id)
            .collect()
    }

    fn text(&self, text: &str) -> Vec<Uuid> {
        self.ids(&SearchQuery {
            text: text.into(),
            ..Default::default()
        })
    }

    fn filtered(&self, filters: SearchFilters) -> HashSet<Uuid> {
        self.ids(&SearchQuery {
            filters,
            page_size: MAX_PAGE_SIZE,
            ..Default::default()
        })
        .into_iter()
        .collect()
    }
}

fn set(ids: &[&JobListing]) -> HashSet<Uuid> {
    ids.iter().map(|l| l.id).collect()
}

#[test]
fn words_are_found_in_title_description_organization_and_city() {
    let f = fixture();
    let mut a = listing(&f.org, &f.center, "Бухгалтер");
    a.description = "Эсеп жүргүзүү, отчеттор".into();
    let b = listing(&f.unverified, &f.osh, "Мугалим");
    f.add(&[a.clone(), b.clone()]);
    assert_eq!(f.text("бухгалтер"), vec![a.id], "title");
    assert_eq!(f.text("отчеттор"), vec![a.id], "description");
    assert_eq!(f.text("nur"), vec![b.id], "organization name");
    assert_eq!(f.text("ош"), vec![b.id], "city");
    assert!(f.text("программист").is_empty());
}

#[test]
fn cyrillic_matching_ignores_case_and_accepts_prefixes() {
    let f = fixture();
    let a = listing(&f.org, &f.center, "Бухгалтер");
    f.add(std::slice::from_ref(&a));
    assert_eq!(f.text("БУХГАЛТЕР"), vec![a.id]);
    assert_eq!(f.text("бухг"), vec![a.id]);
    assert_eq!(f.text("Бух"), vec![a.id]);
}

#[test]
fn kyrgyz_letters_can_be_typed_as_plain_cyrillic() {
    let f = fixture();
    let a = listing(&f.org, &f.center, "Өндүрүш цехинде тигүүчү");
    let b = listing(&f.org, &f.center, "Ёлочный базар: продавец");
    let c = listing(&f.org, &f.center, "Таңкы смена");
    f.add(&[a.clone(), b.clone(), c.clone()]);
    assert_eq!(f.text("ондуруш"), vec![a.id]);
    assert_eq!(f.text("тигууч"), vec![a.id]);
    assert_eq!(f.text("елочный"), vec![b.id]);
    assert_eq!(f.text("танкы"), vec![c.id]);
    assert_eq!(
        f.text("өндүрүш"),
        vec![a.id],
        "the proper letters still work"
    );
}

#[test]
fn latin_transliteration_finds_cyrillic_words() {
    let f = fixture();
    let a = listing(&f.org, &f.center, "Бухгалтер");
    let b = listing(&f.org, &f.osh, "Учитель английского языка");
    f.add(&[a.clone(), b.clone()]);
    assert_eq!(f.text("bishkek"), vec![a.id]);
    assert_eq!(f.text("buhgalter"), vec![a.id]);
    assert_eq!(f.text("osh uchitel"), vec![b.id]);
}

#[test]
fn all_words_must_match() {
    let f = fixture();
    let a = listing(&f.org, &f.center, "Бухгалтер");
    let b = listing(&f.org, &f.osh, "Бухгалтер");
    f.add(&[a.clone(), b.clone()]);
    assert_eq!(f.text("бухгалтер ош"), vec![b.id]);
}

#[test]
fn query_syntax_in_user_text_is_treated_as_words() {
    let f = fixture();
    let a = listing(&f.org, &f.center, "Бухгалтер");
    f.add(std::slice::from_ref(&a));
    for q in [
        "\"",
        "\"\"\"",
        "*",
        "-бухгалтер",
        "бухгалтер*",
        "NEAR(бухгалтер ош)",
        "бухгалтер OR мугалим",
        "бухгалтер AND",
        "NOT бухгалтер",
        "title:бухгалтер",
        "(бухгалтер",
        ")",
        "^бух",
        "{title}: x",
        "бух' OR 1=1 --",
        "'; DROP TABLE listings; --",
        "\u{0}",
        "🙂",
        "",
    ] {
        let page = f.store.search_at(
            &SearchQuery {
                text: q.into(),
                ..Default::default()
            },
            now(),
        );
        assert!(page.is_ok(), "query {q:?} failed: {:?}", page.err());
    }
    assert_eq!(
        f.text("-бухгалтер"),
        vec![a.id],
        "a leading minus is not NOT"
    );
    assert!(
        f.text("бухгалтер OR мугалим").is_empty(),
        "OR is a word here, and no listing has it"
    );
    assert_eq!(f.store.stats().unwrap().listings, 1);
}

#[test]
fn closed_draft_and_expired_listings_are_hidden_unless_asked_for() {
    let f = fixture();
    let open = listing(&f.org, &f.center, "Open");
    let closed = JobListing {
        status: ListingStatus::Closed,
        ..listing(&f.org, &f.center, "Closed")
    };
    let draft = JobListing {
        status: ListingStatus::Draft,
        ..listing(&f.org, &f.center, "Draft")
    };
    let mut expired = listing(&f.org, &f.center, "Expired");
    expired.posted_at = now() - Duration::days(40);
    expired.valid_through = Some(now() - Duration::days(10));
    let mut until_tomorrow = listing(&f.org, &f.center, "Until tomorrow");
    until_tomorrow.valid_through = Some(now() + Duration::days(1));
    f.add(&[
        open.clone(),
        closed.clone(),
        draft.clone(),
        expired.clone(),
        until_tomorrow.clone(),
    ]);

    assert_eq!(
        f.filtered(SearchFilters::default()),
        set(&[&open, &until_tomorrow])
    );
    let all = f.filtered(SearchFilters {
        include_closed: true,
        ..Default::default()
    });
    assert_eq!(
        all,
        set(&[&open, &closed, &draft, &expired, &until_tomorrow])
    );
}

#[test]
fn accommodations_filter_requires_all_of_them() {
    let f = fixture();
    let both = JobListing {
        accommodations: vec![
            Accommodation::FlexibleHours,
            Accommodation::SignLanguageInterpreter,
            Accommodation::RemoteOption,
        ],
        ..listing(&f.org, &f.center, "Both")
    };
    let one = JobListing {
        accommodations: vec![Accommodation::FlexibleHours],
        ..listing(&f.org, &f.center, "One")
    };
    let none = listing(&f.org, &f.center, "None");
    f.add(&[both.clone(), one.clone(), none]);
    let want = |a: &[Accommodation]| {
        f.filtered(SearchFilters {
            accommodations: a.to_vec(),
            ..Default::default()
        })
    };
    assert_eq!(want(&[Accommodation::FlexibleHours]), set(&[&both, &one]));
    assert_eq!(
        want(&[
            Accommodation::FlexibleHours,
            Accommodation::SignLanguageInterpreter
        ]),
        set(&[&both])
    );
    assert!(want(&[Accommodation::PersonalAssistant]).is_empty());
}

#[test]
fn employment_type_work_mode_and_category_match_any_listed() {
    let f = fixture();
    let full = listing(&f.org, &f.center, "Full");
    let part = JobListing {
        employment_type: EmploymentType::PartTime,
        category: JobCategory::Education,
        ..listing(&f.org, &f.center, "Part")
    };
    let remote = JobListing {
        work_mode: WorkMode::Remote,
        building_id: None,
        employment_type: EmploymentType::Contract,
        ..listing(&f.org, &f.center, "Remote")
    };
    f.add(&[full.clone(), part.clone(), remote.clone()]);
    let types = f.filtered(SearchFilters {
        employment_types: vec![EmploymentType::PartTime, EmploymentType::Contract],
        ..Default::default()
    });
    assert_eq!(types, set(&[&part, &remote]));
    let modes = f.filtered(SearchFilters {
        work_modes: vec![WorkMode::Remote],
        ..Default::default()
    });
    assert_eq!(modes, set(&[&remote]));
    let both = f.filtered(SearchFilters {
        work_modes: vec![WorkMode::OnSite],
        employment_types: vec![EmploymentType::PartTime],
        ..Default::default()
    });
    assert_eq!(both, set(&[&part]));
    let cats = f.filtered(SearchFilters {
        categories: vec![JobCategory::Education],
        ..Default::default()
    });
    assert_eq!(cats, set(&[&part]));
}

#[test]
fn region_and_city_filters() {
    let f = fixture();
    let bishkek = listing(&f.org, &f.center, "A");
    let osh = listing(&f.org, &f.osh, "B");
    f.add(&[bishkek.clone(), osh.clone()]);
    assert_eq!(
        f.filtered(SearchFilters {
            regions: vec![Region::OshCity],
            ..Default::default()
        }),
        set(&[&osh])
    );
    assert_eq!(
        f.filtered(SearchFilters {
            regions: vec![Region::OshCity, Region::Bishkek],
            ..Default::default()
        }),
        set(&[&osh, &bishkek])
    );
    assert_eq!(
        f.filtered(SearchFilters {
            city: Some("Бишкек".into()),
            ..Default::default()
        }),
        set(&[&bishkek])
    );
    assert_eq!(
        f.filtered(SearchFilters {
            city: Some("bishkek".into()),
            ..Default::default()
        }),
        set(&[&bishkek])
    );
}

#[test]
fn salary_at_least_compares_monthly_figures() {
    let f = fixture();
    let monthly = |min, max| {
        Some(Salary {
            min,
            max,
            period: SalaryPeriod::Month,
        })
    };
    let high = JobListing {
        salary: monthly(Some(30_000), Some(50_000)),
        ..listing(&f.org, &f.center, "High")
    };
    let low = JobListing {
        salary: monthly(Some(15_000), Some(20_000)),
        ..listing(&f.org, &f.center, "Low")
    };
    let daily = JobListing {
        salary: Some(Salary {
            min: None,
            max: Some(2_000),
            period: SalaryPeriod::Day,
        }),
        ..listing(&f.org, &f.center, "Daily")
    };
    let unknown = listing(&f.org, &f.center, "Unknown");
    f.add(&[high.clone(), low.clone(), daily.clone(), unknown]);
    let at_least = |x| {
        f.filtered(SearchFilters {
            min_monthly_salary: Some(x),
            ..Default::default()
        })
    };
    assert_eq!(
        at_least(40_000),
        set(&[&high, &daily]),
        "2000 a day is 44000 a month"
    );
    assert_eq!(at_least(18_000), set(&[&high, &low, &daily]));
    assert!(at_least(100_000).is_empty());
}

#[test]
fn posted_within_days_and_verified_only() {
    let f = fixture();
    let fresh = listing(&f.org, &f.center, "Fresh");
    let mut old = listing(&f.unverified, &f.center, "Old");
    old.posted_at = now() - Duration::days(20);
    f.add(&[fresh.clone(), old.clone()]);
    assert_eq!(
        f.filtered(SearchFilters {
            posted_within_days: Some(7),
            ..Default::default()
        }),
        set(&[&fresh])
    );
    assert_eq!(
        f.filtered(SearchFilters {
            posted_within_days: Some(30),
            ..Default::default()
        }),
        set(&[&fresh, &old])
    );
    assert_eq!(
        f.filtered(SearchFilters {
            verified_only: true,
            ..Default::default()
        }),
        set(&[&fresh])
    );
}

#[test]
fn near_keeps_jobs_within_the_radius_and_sorts_by_distance() {
    let f = fixture();
    let center = listing(&f.org, &f.center, "Center");
    let east = listing(&f.org, &f.east, "East");
    let osh = listing(&f.org, &f.osh, "Osh");
    let remote = JobListing {
        work_mode: WorkMode::Remote,
        building_id: None,
        ..listing(&f.org, &f.center, "Remote")
    };
    f.add(&[osh.clone(), east.clone(), center.clone(), remote]);
    let near = |km| SearchQuery {
        filters: SearchFilters {
            near: Some(Near {
                point: GeoPoint::new(42.8746, 74.6300),
                radius_km: km,
            }),
            ..Default::default()
        },
        sort: SortOrder::Distance,
        ..Default::default()
    };
    let page = f.search(&near(10.0));
    let ids: Vec<Uuid> = page.hits.iter().map(|h| h.listing.id).collect();
    assert_eq!(
        ids,
        vec![east.id, center.id],
        "nearest first; Osh and the remote job are out"
    );
    let d: Vec<f64> = page.hits.iter().map(|h| h.distance_km.unwrap()).collect();
    assert!(d[0] < 0.2 && (4.5..5.5).contains(&d[1]), "{d:?}");
    assert_eq!(f.ids(&near(1.0)), vec![east.id]);
    assert_eq!(f.ids(&near(400.0)).len(), 3);
}

#[test]
fn moving_a_building_moves_its_jobs_in_distance_search() {
    let f = fixture();
    let l = listing(&f.org, &f.osh, "Moved");
    f.add(std::slice::from_ref(&l));
    let q = SearchQuery {
        filters: SearchFilters {
            near: Some(Near {
                point: f.center.location,
                radius_km: 5.0,
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(f.ids(&q).is_empty());
    let moved = Building {
        location: f.center.location,
        address: f.center.address.clone(),
        ..f.osh.clone()
    };
    f.store.upsert_buildings(&[moved]).unwrap();
    assert_eq!(f.ids(&q), vec![l.id]);
}

#[test]
fn renaming_an_organization_makes_its_jobs_findable_by_the_new_name() {
    let f = fixture();
    let l = listing(&f.org, &f.center, "Бухгалтер");
    f.add(std::slice::from_ref(&l));
    assert!(f.text("umut").is_empty());
    let renamed = Organization {
        name: "Кайрымдуулук фонду Үмүт".into(),
        ..f.org.clone()
    };
    f.store.upsert_organizations(&[renamed]).unwrap();
    assert_eq!(f.text("умут"), vec![l.id]);
    assert!(
        f.text("ак-жол").is_empty(),
        "the old name is gone from the index"
    );
}

#[test]
fn newest_and_salary_sorts() {
    let f = fixture();
    let mut a = listing(&f.org, &f.center, "A");
    a.posted_at = now() - Duration::days(3);
    a.salary = Some(Salary {
        min: None,
        max: Some(20_000),
        period: SalaryPeriod::Month,
    });
    let mut b = listing(&f.org, &f.center, "B");
    b.posted_at = now() - Duration::days(1);
    let mut c = listing(&f.org, &f.center, "C");
    c.posted_at = now() - Duration::days(2);
    c.salary = Some(Salary {
        min: None,
        max: Some(60_000),
        period: SalaryPeriod::Month,
    });
    f.add(&[a.clone(), b.clone(), c.clone()]);
    let sorted = |sort| {
        f.ids(&SearchQuery {
            sort,
            ..Default::default()
        })
    };
    assert_eq!(sorted(SortOrder::Newest), vec![b.id, c.id, a.id]);
    assert_eq!(
        sorted(SortOrder::Salary),
        vec![c.id, a.id, b.id],
        "no salary last"
    );
    assert_eq!(
        sorted(SortOrder::Relevance),
        vec![b.id, c.id, a.id],
        "without words, newest first"
    );
}

#[test]
fn relevance_ranks_title_matches_above_description_matches() {
    let f = fixture();
    let mut in_text = listing(&f.org, &f.center, "Оператор");
    in_text.description = "Бухгалтерге жардам берүү".into();
    let in_title = listing(&f.org, &f.center, "Бухгалтер");
    f.add(&[in_text.clone(), in_title.clone()]);
    assert_eq!(f.text("бухгалтер"), vec![in_title.id, in_text.id]);
}

#[test]
fn a_broad_word_ranks_title_hits_first_then_newest_and_pages_cover_every_match_once() {
    let f = fixture();
    let n = engine::BM25_MAX_MATCHES + 300;
    let listings: Vec<JobListing> = (0..n)
        .map(|i| {
            let in_title = i % 10 == 0;
            let mut l = listing(
                &f.org,
                &f.center,
                if in_title {
                    "Бухгалтер"
                } else {
                    "Оператор"
                },
            );
            if !in_title {
                l.description = "Бухгалтерге жардам".into();
            }
            // Posting times out of insertion order, with ties.
            l.posted_at = now() - Duration::minutes(((i * 7919) % 1000) as i64);
            l
        })
        .collect();
    f.add(&listings);
    let mut q = SearchQuery {
        text: "бухгалтер".into(),
        sort: SortOrder::Relevance,
        page_size: 100,
        ..Default::default()
    };
    let mut seen: Vec<JobListing> = Vec::new();
    loop {
        let page = f.search(&q);
        assert_eq!(page.total, n as u64);
        seen.extend(page.hits.into_iter().map(|h| h.listing));
        match page.next_page_token {
            Some(t) => q.page_token = Some(t),
            None => break,
        }
    }
    assert_eq!(seen.len(), n, "no duplicates or gaps");
    let unique: HashSet<Uuid> = seen.iter().map(|l| l.id).collect();
    assert_eq!(unique.len(), n);
    let titles = n.div_ceil(10);
    assert!(seen[..titles].iter().all(|l| l.title == "Бухгалтер"));
    assert!(seen[titles..].iter().all(|l| l.title == "Оператор"));
    for group in [&seen[..titles], &seen[titles..]] {
        assert!(
            group.windows(2).all(|w| w[0].posted_at >= w[1].posted_at),
            "newest first within a group"
        );
    }
}

/// A broad word's matches are kept between searches, and dropped by the next write: a listing
/// added after a search is found by the next one, in both orders.
#[test]
fn a_broad_words_kept_matches_never_hide_a_new_listing() {
    let f = fixture();
    let n = engine::BM25_MAX_MATCHES + 50;
    let listings: Vec<JobListing> = (0..n)
        .map(|i| {
            let mut l = listing(&f.org, &f.center, "Оператор");
            l.posted_at = now() - Duration::minutes(10 + i as i64);
            l
        })
        .collect();
    f.add(&listings);
    for sort in [SortOrder::Relevance, SortOrder::Newest] {
        let q = SearchQuery {
            text: "оператор".into(),
            sort,
            page_size: 5,
            ..Default::default()
        };
        let before = f.search(&q);
        assert_eq!(f.search(&q).total, before.total, "{sort:?}: searched again");
        let mut newest = listing(&f.org, &f.center, "Оператор");
        newest.posted_at = now();
        f.add(std::slice::from_ref(&newest));
        let after = f.search(&q);
        assert_eq!(after.total, before.total + 1, "{sort:?}");
        assert_eq!(after.hits[0].listing.id, newest.id, "{sort:?}");
    }
}

#[test]
fn pages_cover_every_match_once_in_every_sort() {
    let f = fixture();
    let buildings = [&f.center, &f.east, &f.osh];
    let listings: Vec<JobListing> = (0..57)
        .map(|i| {
            let mut l = listing(&f.org, buildings[i % 3], &format!("Бухгалтер {}", i % 5));
            // Repeated times and salaries make ties that the keyset must break by rowid.
            l.posted_at = now() - Duration::hours((i % 7) as i64);
            l.salary = (i % 4 != 0).then_some(Salary {
                min: None,
                max: Some(10_000 * (i % 3) as u64 + 10_000),
                period: SalaryPeriod::Month,
            });
            l.description = "бухгалтер ".repeat(i % 4);
            l
        })
        .collect();
    f.add(&listings);
    for sort in SortOrder::ALL {
        let mut q = SearchQuery {
            text: "бухгалтер".into(),
            sort: *sort,
            page_size: 10,
            filters: SearchFilters {
                near: Some(Near {
                    point: f.center.location,
                    radius_km: 500.0,
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = f.search(&q);
            assert_eq!(page.total, 57, "{sort}: total on every page");
            seen.extend(page.hits.iter().map(|h| h.listing.id));
            pages += 1;
            match page.next_page_token {
                Some(t) => q.page_token = Some(t),
                None => break,
            }
        }
        assert_eq!(pages, 6, "{sort}");
        let unique: HashSet<Uuid> = seen.iter().copied().collect();
        assert_eq!(seen.len(), 57, "{sort}: no duplicates");
        assert_eq!(
            unique,
            listings.iter().map(|l| l.id).collect(),
            "{sort}: no gaps"
        );
    }
}

#[test]
fn listings_added_between_pages_are_not_repeated() {
    let f = fixture();
    let first: Vec<JobListing> = (0..5)
        .map(|i| listing(&f.org, &f.center, &format!("Job {i}")))
        .collect();
    f.add(&first);
    let q = SearchQuery {
        sort: SortOrder::Newest,
        page_size: 3,
        ..Default::default()
    };
    let p1 = f.search(&q);
    let mut newer = listing(&f.org, &f.center, "Newest");
    newer.posted_at = now();
    f.add(&[newer]);
    let p2 = f.search(&SearchQuery {
        page_token: p1.next_page_token.clone(),
        ..q
    });
    let ids: HashSet<Uuid> = p1
        .hits
        .iter()
        .chain(&p2.hits)
        .map(|h| h.listing.id)
        .collect();
    assert_eq!(ids, first.iter().map(|l| l.id).collect());
}

#[test]
fn hits_carry_the_organization() {
    let f = fixture();
    f.add(&[listing(&f.unverified, &f.center, "A")]);
    let hit = &f.search(&SearchQuery::default()).hits[0];
    assert_eq!(hit.organization_name, "Nur Foundation");
    assert!(!hit.organization_verified);
    assert_eq!(hit.distance_km, None);
}

#[test]
fn unanswerable_queries_name_the_field() {
    let f = fixture();
    let field = |q: SearchQuery| match f.store.search_at(&q, now()) {
        Err(Error::BadQuery { field, .. }) => field.to_string(),
        Err(Error::Validation(v)) => v.field().to_string(),
        other => panic!("expected an error, got {other:?}"),
    };
    assert_eq!(
        field(SearchQuery {
            page_size: 0,
            ..Default::default()
        }),
        "page_size"
    );
    assert_eq!(
        field(SearchQuery {
            page_size: MAX_PAGE_SIZE + 1,
            ..Default::default()
        }),
        "page_size"
    );
    assert_eq!(
        field(SearchQuery {
            sort: SortOrder::Distance,
            ..Default::default()
        }),
        "sort"
    );
    assert_eq!(
        field(SearchQuery {
            text: "ы".repeat(MAX_QUERY_CHARS + 1),
            ..Default::default()
        }),
        "text"
    );
    let near = |lat, radius_km| SearchFilters {
        near: Some(Near {
            point: GeoPoint::new(lat, 74.0),
            radius_km,
        }),
        ..Default::default()
    };
    assert_eq!(
        field(SearchQuery {
            filters: near(42.0, -1.0),
            ..Default::default()
        }),
        "near.radius_km"
    );
    assert_eq!(
        field(SearchQuery {
            filters: near(42.0, f64::NAN),
            ..Default::default()
        }),
        "near.radius_km"
    );
    assert_eq!(
        field(SearchQuery {
            filters: near(f64::INFINITY, 5.0),
            ..Default::default()
        }),
        "near.point"
    );
    assert_eq!(
        field(SearchQuery {
            page_token: Some("nonsense".into()),
            ..Default::default()
        }),
        "page_token"
    );
}

mod accessibility {
    use super::*;
    use crate::accessibility::{
        aggregate, AccessRequirement, AccessibilityReport, Facts, Feature, FeatureValue, Method,
        RampKind, ReporterKind,
    };

    fn report(
        building: Uuid,
        reporter: &str,
        kind: ReporterKind,
        facts: Facts,
    ) -> AccessibilityReport {
        AccessibilityReport {
            id: Uuid::new_v4(),
            building_id: building,
            reporter: reporter.into(),
            reporter_kind: kind,
            observed_at: now() - Duration::days(3),
            method: Method::Measured,
            facts,
            note: None,
        }
    }

    fn step_free(yes: bool) -> Facts {
        let facts = Facts::new().with(Feature::StepFreeEntrance, FeatureValue::Bool(yes));
        if yes {
            facts
        } else {
            // Steps alone leave the answer open (there may be a ramp); steps and no ramp close it.
            facts.with(Feature::Ramp, FeatureValue::Ramp(RampKind::NoRamp))
        }
    }

    /// center: confirmed step-free (surveyor); east: step-free by one anonymous report (unconfirmed);
    /// osh: confirmed not step-free; a fourth building nobody reported on; and a remote job.
    fn setup() -> (Fixture, [JobListing; 5]) {
        let f = fixture();
        let unknown = building("Жаңы", "Бишкек", Region::Bishkek, 42.87, 74.60);
        f.store
            .upsert_buildings(std::slice::from_ref(&unknown))
            .unwrap();
        let summaries = vec![
            aggregate(
                f.center.id,
                &[report(
                    f.center.id,
                    "s1",
                    ReporterKind::VerifiedSurveyor,
                    step_free(true),
                )],
                now(),
            ),
            aggregate(
                f.east.id,
                &[report(
                    f.east.id,
                    "d1",
                    ReporterKind::Anonymous,
                    step_free(true),
                )],
                now(),
            ),
            aggregate(
                f.osh.id,
                &[report(
                    f.osh.id,
                    "s2",
                    ReporterKind::VerifiedSurveyor,
                    step_free(false),
                )],
                now(),
            ),
        ];
        f.store.put_building_summaries(&summaries).unwrap();
        let jobs = [
            listing(&f.org, &f.center, "Confirmed"),
            listing(&f.org, &f.east, "Likely"),
            listing(&f.org, &f.osh, "No"),
            listing(&f.org, &unknown, "Unknown"),
            JobListing {
                work_mode: WorkMode::Remote,
                building_id: None,
                ..listing(&f.org, &f.center, "Remote")
            },
        ];
        f.add(&jobs);
        (f, jobs)
    }

    fn with(f: &Fixture, certainty: AccessCertainty) -> HashSet<Uuid> {
        f.filtered(SearchFilters {
            access: vec![AccessRequirement::StepFreeEntrance],
            access_certainty: certainty,
            ..Default::default()
        })
    }

    #[test]
    fn confirmed_only_keeps_buildings_whose_facts_are_confirmed() {
        let (f, [confirmed, _, _, _, remote]) = setup();
        assert_eq!(
            with(&f, AccessCertainty::Confirmed),
            set(&[&confirmed, &remote])
        );
    }

    #[test]
    fn likely_adds_unconfirmed_yes_answers() {
        let (f, [confirmed, likely, _, _, remote]) = setup();
        assert_eq!(
            with(&f, AccessCertainty::Likely),
            set(&[&confirmed, &likely, &remote])
        );
    }

    #[test]
    fn unknown_allowed_keeps_everything_not_known_to_fail() {
        let (f, [confirmed, likely, _, unknown, remote]) = setup();
        assert_eq!(
            with(&f, AccessCertainty::UnknownAllowed),
            set(&[&confirmed, &likely, &unknown, &remote])
        );
    }

    #[test]
    fn several_requirements_must_all_be_met() {
        let (f, [_, _, _, _, remote]) = setup();
        let both = f.filtered(SearchFilters {
            access: vec![
                AccessRequirement::StepFreeEntrance,
                AccessRequirement::HearingLoop,
            ],
            ..Default::default()
        });
        assert_eq!(both, set(&[&remote]), "nobody reported a hearing loop");
    }
}

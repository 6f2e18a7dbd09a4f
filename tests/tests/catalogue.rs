//! A generated catalogue in a real SQLite file, checked against the same data computed directly:
//! what search finds, counts and pages must agree with a brute-force pass over the records.

use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use teng_core::generator::{DataSize, Generator};
use teng_core::model::{Accommodation, EmploymentType, JobListing, Region};
use teng_core::search::{SearchFilters, SearchPage, SearchQuery, SortOrder, MAX_PAGE_SIZE};
use teng_core::store::ChangeBatch;
use teng_core::Store;
use uuid::Uuid;

const LISTINGS: usize = 3_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
}

struct Catalogue {
    _dir: tempfile::TempDir,
    store: Store,
    generator: Generator,
    listings: Vec<JobListing>,
}

/// Loads organizations and buildings, then listings in pages of 500, as a sync would.
fn catalogue() -> Catalogue {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("teng.db")).unwrap();
    let generator = Generator::new(11, DataSize::for_listings(LISTINGS), now());
    store
        .apply(&ChangeBatch {
            organizations: generator.organizations(),
            buildings: generator.buildings(),
            ..Default::default()
        })
        .unwrap();
    let listings: Vec<JobListing> = generator.listings().collect();
    for page in listings.chunks(500) {
        store
            .apply(&ChangeBatch {
                listings: page.to_vec(),
                ..Default::default()
            })
            .unwrap();
    }
    Catalogue {
        _dir: dir,
        store,
        generator,
        listings,
    }
}

/// Every page of a query, in order.
fn all_pages(store: &Store, mut q: SearchQuery) -> Vec<SearchPage> {
    let mut pages = Vec::new();
    loop {
        let page = store.search_at(&q, now()).unwrap();
        let next = page.next_page_token.clone();
        pages.push(page);
        match next {
            Some(token) => q.page_token = Some(token),
            None => return pages,
        }
    }
}

fn ids(pages: &[SearchPage]) -> Vec<Uuid> {
    pages
        .iter()
        .flat_map(|p| p.hits.iter().map(|h| h.listing.id))
        .collect()
}

#[test]
fn every_open_listing_is_found_by_its_title_and_no_closed_one_is() {
    let c = catalogue();
    for l in c.listings.iter().step_by(23) {
        let open = l.is_open_at(now());
        let q = |include_closed| SearchQuery {
            text: l.title.clone(),
            filters: SearchFilters {
                include_closed,
                ..Default::default()
            },
            page_size: MAX_PAGE_SIZE,
            ..Default::default()
        };
        let found = ids(&all_pages(&c.store, q(false))).contains(&l.id);
        assert_eq!(found, open, "{:?} ({:?}, open: {open})", l.title, l.status);
        assert!(
            ids(&all_pages(&c.store, q(true))).contains(&l.id),
            "{:?} with include_closed",
            l.title
        );
    }
}

/// Which generated listings a filter should keep, written out by hand.
type Predicate<'a> = Box<dyn Fn(&JobListing) -> bool + 'a>;

#[test]
fn filters_agree_with_a_direct_computation() {
    let c = catalogue();
    let verified: HashSet<Uuid> = c
        .generator
        .organizations()
        .into_iter()
        .filter(|o| o.verified)
        .map(|o| o.id)
        .collect();
    let cases: Vec<(SearchFilters, Predicate)> = vec![
        (SearchFilters::default(), Box::new(|_| true)),
        (
            SearchFilters {
                accommodations: vec![Accommodation::FlexibleHours, Accommodation::RemoteOption],
                ..Default::default()
            },
            Box::new(|l| {
                l.accommodations.contains(&Accommodation::FlexibleHours)
                    && l.accommodations.contains(&Accommodation::RemoteOption)
            }),
        ),
        (
            SearchFilters {
                employment_types: vec![EmploymentType::PartTime, EmploymentType::Internship],
                regions: vec![Region::OshCity, Region::Naryn],
                ..Default::default()
            },
            Box::new(|l| {
                matches!(
                    l.employment_type,
                    EmploymentType::PartTime | EmploymentType::Internship
                ) && matches!(l.region, Region::OshCity | Region::Naryn)
            }),
        ),
        (
            SearchFilters {
                min_monthly_salary: Some(40_000),
                verified_only: true,
                ..Default::default()
            },
            Box::new(|l| {
                l.salary
                    .and_then(|s| s.monthly_upper())
                    .is_some_and(|m| m >= 40_000)
                    && verified.contains(&l.organization_id)
            }),
        ),
        (
            SearchFilters {
                posted_within_days: Some(14),
                ..Default::default()
            },
            Box::new(|l| l.posted_at >= now() - Duration::days(14)),
        ),
    ];
    for (i, (filters, keep)) in cases.iter().enumerate() {
        let expected: HashSet<Uuid> = c
            .listings
            .iter()
            .filter(|l| l.is_open_at(now()) && keep(l))
            .map(|l| l.id)
            .collect();
        assert!(
            !expected.is_empty() || i == 3,
            "case {i} should select something"
        );
        let pages = all_pages(
            &c.store,
            SearchQuery {
                filters: filters.clone(),
                page_size: MAX_PAGE_SIZE,
                ..Default::default()
            },
        );
        let found = ids(&pages);
        assert_eq!(pages[0].total as usize, expected.len(), "case {i}: total");
        assert_eq!(
            found.len(),
            expected.len(),
            "case {i}: no duplicates across pages"
        );
        assert_eq!(
            found.into_iter().collect::<HashSet<_>>(),
            expected,
            "case {i}: the same listings"
        );
    }
}

#[test]
fn newest_first_pages_are_ordered_across_page_boundaries() {
    let c = catalogue();
    let pages = all_pages(
        &c.store,
        SearchQuery {
            sort: SortOrder::Newest,
            page_size: 37,
            ..Default::default()
        },
    );
    let times: Vec<DateTime<Utc>> = pages
        .iter()
        .flat_map(|p| p.hits.iter().map(|h| h.listing.posted_at))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "posted_at never increases"
    );
    let open = c.listings.iter().filter(|l| l.is_open_at(now())).count();
    assert_eq!(times.len(), open);
}

#[test]
fn a_reopened_database_answers_the_same() {
    let c = catalogue();
    let q = SearchQuery {
        text: "бухгалтер".into(),
        sort: SortOrder::Newest,
        ..Default::default()
    };
    let before = c.store.search_at(&q, now()).unwrap();
    let stats = c.store.stats().unwrap();
    let path = c.store.path().to_path_buf();
    drop(c.store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.stats().unwrap(), stats);
    assert_eq!(store.search_at(&q, now()).unwrap(), before);
    assert!(before.total > 0, "the generator writes accountants");
}

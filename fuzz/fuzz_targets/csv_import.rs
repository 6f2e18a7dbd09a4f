//! The NGO web's CSV import (server/src/web/csv_import.rs `parse_csv`: the file's rules, then
//! every row through the listing form's own checks), for an organization with three buildings
//! (two of them named alike), in each of the page's languages.
//!
//! Properties:
//! - no input panics;
//! - every problem names a row of the file: from 1 (the header) to the file's last line; only
//!   "no rows below the header" may point at the line after the last one;
//! - the rows handed over for a listing come in file order, below the header, within the file;
//!   with problems, every data-row problem is one of them; without, there is one listing per row
//!   handed over (at most `MAX_ROWS`), in order, each with that row's id, the organization, status
//!   and time of its target, a building of the organization, and valid by the core's rules;
//! - the language changes the messages only: which rows and columns have problems, and which
//!   listings are made, are the same in ky, ru and en.

#![no_main]

use std::cell::RefCell;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use teng_core::accessibility::Lang;
use teng_core::model::{Building, ListingStatus, Validate};
use teng_server::storage::BuildingRecord;
use teng_server::web::csv_import::{parse_csv, RowProblem, MAX_ROWS};
use teng_server::web::listing_input::ListingTarget;
use uuid::Uuid;

/// The demo's buildings, and one more named like the second (a name that is ambiguous).
const BUILDINGS: &str = r#"[
  {"id": "01941f29-7c03-7c1d-92c4-25ab6162c114", "name": "Бизнес-центр «Максимум»", "address": {"street": "Ленин көчөсү 135", "city": "Жалал-Абад", "region": "jalal_abad"}, "location": {"lat": 40.928950379532694, "lon": 73.01371627283062}, "osm_id": null},
  {"id": "01941f29-7c04-7ff2-a93a-d092e87fdae0", "name": "Китепкана им. Ч. Айтматова", "address": {"street": "проспект Манаса, 165/2", "city": "Бишкек", "district": "Октябрьский район", "region": "bishkek"}, "location": {"lat": 42.846484777817224, "lon": 74.60740739428165}, "osm_id": "way/102251897"},
  {"id": "01941f29-7c05-7000-8000-000000000005", "name": "китепкана им. ч. айтматова", "address": {"street": "Курманжан Датка көчөсү 271", "city": "Ош", "region": "osh_city"}, "location": {"lat": 40.5283, "lon": 72.7985}, "osm_id": null}
]"#;

const ORGANIZATION: Uuid = Uuid::from_u128(0x01941f29_7c01_7bb0_88b0_07dc891121d4);

fn buildings() -> &'static [BuildingRecord] {
    static BUILDING_RECORDS: OnceLock<Vec<BuildingRecord>> = OnceLock::new();
    BUILDING_RECORDS.get_or_init(|| {
        let buildings: Vec<Building> =
            serde_json::from_str(BUILDINGS).expect("the buildings parse");
        buildings
            .into_iter()
            .map(|building| BuildingRecord {
                building,
                organization_id: Some(ORGANIZATION),
                version: 1,
            })
            .collect()
    })
}

/// What a run says, without its wording: the listings' ids, or each problem's row and column.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Listings(Vec<Uuid>),
    Problems(Vec<(usize, String)>),
}

fn row_id(row: usize) -> Uuid {
    Uuid::from_u128(0x0194_a3b0_0000_7000_8000_0000_0000_0000 | row as u128)
}

fuzz_target!(|data: &[u8]| {
    let shapes: Vec<Shape> = [Lang::Kyrgyz, Lang::Russian, Lang::English]
        .into_iter()
        .map(|lang| check(data, lang))
        .collect();
    if teng_fuzz_debug() {
        eprintln!("csv_import: {:?}", shapes[0]);
    }
    assert_eq!(shapes[0], shapes[1], "ky and ru differ");
    assert_eq!(shapes[0], shapes[2], "ky and en differ");
});

/// The file's lines as a spreadsheet shows them (`\r\n`, `\r` and `\n` each end one).
fn lines(data: &[u8]) -> usize {
    let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut n = 1;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\r' if text.get(i + 1) == Some(&b'\n') => {
                n += 1;
                i += 1;
            }
            b'\r' | b'\n' => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

fn check(data: &[u8], lang: Lang) -> Shape {
    let posted_at = DateTime::<Utc>::from_timestamp(1_795_000_000, 0).expect("a valid time");
    let lines = lines(data);
    let asked = RefCell::new(Vec::<usize>::new());
    let result = parse_csv(data, lang, |row| {
        asked.borrow_mut().push(row);
        ListingTarget {
            id: row_id(row),
            organization_id: ORGANIZATION,
            buildings: buildings(),
            posted_at,
            status: ListingStatus::Draft,
            version: 0,
        }
    });
    let asked = asked.into_inner();
    assert!(
        asked.windows(2).all(|w| w[0] < w[1]),
        "rows out of order: {asked:?}"
    );
    assert!(
        asked.iter().all(|&r| (2..=lines).contains(&r)),
        "rows {asked:?} of a file of {lines} lines"
    );
    match result {
        Ok(listings) => {
            assert!(!listings.is_empty() && listings.len() <= MAX_ROWS);
            assert_eq!(listings.len(), asked.len(), "a listing per row handed over");
            for (listing, &row) in listings.iter().zip(&asked) {
                assert_eq!(listing.id, row_id(row));
                assert_eq!(listing.organization_id, ORGANIZATION);
                assert_eq!(listing.status, ListingStatus::Draft);
                assert_eq!(listing.posted_at, posted_at);
                if let Some(b) = listing.building_id {
                    assert!(
                        buildings().iter().any(|r| r.building.id == b),
                        "a building of another organization: {b}"
                    );
                }
                listing
                    .validate()
                    .unwrap_or_else(|e| panic!("row {row} made an invalid listing: {e}"));
            }
            Shape::Listings(listings.iter().map(|l| l.id).collect())
        }
        Err(problems) => {
            check_problems(&problems, &asked, lines);
            Shape::Problems(problems.into_iter().map(|p| (p.row, p.column)).collect())
        }
    }
}

fn check_problems(problems: &[RowProblem], asked: &[usize], lines: usize) {
    assert!(!problems.is_empty(), "an error without problems");
    for p in problems {
        assert!(!p.message.trim().is_empty(), "{p:?}");
        let no_rows = problems.len() == 1 && asked.is_empty() && p.column.is_empty();
        assert!(
            p.row >= 1 && (p.row <= lines || (no_rows && p.row == lines + 1)),
            "{p:?} in a file of {lines} lines"
        );
        if !asked.is_empty() {
            assert!(
                asked.contains(&p.row),
                "{p:?} is not a row handed over: {asked:?}"
            );
        }
    }
    assert!(
        problems.windows(2).all(|w| w[0].row <= w[1].row),
        "problems out of row order"
    );
}

/// `TENG_FUZZ_DEBUG=1`: say what each input made (to check what a new seed exercises).
fn teng_fuzz_debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("TENG_FUZZ_DEBUG").is_some())
}

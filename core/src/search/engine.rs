//! Runs a [`SearchQuery`]: SQLite's full-text index finds the listings that contain the words, the
//! in-memory [`Facets`] filter, count and order them in one pass, and only the page's hits are read
//! back from SQLite in full.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::accessibility::AccessRequirement;
use crate::error::{Error, Result};
use crate::model::{validation, GeoPoint, Region};
use crate::store::listings::{from_row, COLUMNS, COLUMN_COUNT};
use crate::store::time::to_millis;

use super::facets::{Facet, Facets};
use super::page_token::{self, Cursor, SortKey};
use super::query::*;
use super::text;

/// Kilometres per degree of latitude (mean Earth radius).
const KM_PER_DEGREE: f64 = 111.195;

const _: () = assert!(
    AccessRequirement::ALL.len() == 8,
    "facets keep eight access codes"
);

/// Rejects queries that cannot be answered, naming the field.
pub(super) fn check(q: &SearchQuery) -> Result<()> {
    let bad = |field: &'static str, reason: String| Err(Error::BadQuery { field, reason });
    if q.page_size == 0 || q.page_size > MAX_PAGE_SIZE {
        return bad(
            "page_size",
            format!("must be between 1 and {MAX_PAGE_SIZE}"),
        );
    }
    if q.text.chars().count() > MAX_QUERY_CHARS {
        return bad("text", format!("at most {MAX_QUERY_CHARS} characters"));
    }
    if let Some(near) = &q.filters.near {
        validation::location("near.point", near.point.lat, near.point.lon, Region::Abroad)?;
        if !(near.radius_km > 0.0 && near.radius_km <= MAX_RADIUS_KM) {
            return bad(
                "near.radius_km",
                format!("must be above 0 and at most {MAX_RADIUS_KM}"),
            );
        }
    } else if q.sort == SortOrder::Distance {
        return bad("sort", "sorting by distance needs a point (near)".into());
    }
    if let Some(city) = &q.filters.city {
        validation::optional_text("city", city, validation::limits::CITY)?;
    }
    Ok(())
}

/// A set of enum values as bits over their `ALL` order; 0 means "any".
fn any_of<T: Copy>(values: &[T], index: impl Fn(T) -> usize) -> u64 {
    values.iter().fold(0, |mask, v| mask | 1 << index(*v))
}

fn admits(mask: u64, index: usize) -> bool {
    mask == 0 || mask & (1 << index) != 0
}

/// [`SearchFilters`] compiled against one set of facets.
struct Filter {
    /// Listings must be published and open at this time (milliseconds), unless `None`.
    open_at: Option<i64>,
    accommodations: i64,
    employment_types: u64,
    work_modes: u64,
    categories: u64,
    regions: u64,
    /// `Some(None)`: a city was asked for that no listing is in.
    city: Option<Option<u32>>,
    min_salary: Option<i64>,
    posted_since: Option<i64>,
    verified_only: bool,
    near: Option<Circle>,
    access: Vec<usize>,
    access_least: i8,
}

struct Circle {
    center: GeoPoint,
    radius_km: f64,
    lat: (f64, f64),
    lon: (f64, f64),
}

impl Filter {
    fn new(f: &SearchFilters, facets: &Facets, now: DateTime<Utc>) -> Filter {
        use crate::model::BitSet;
        Filter {
            open_at: (!f.include_closed).then(|| to_millis(now)),
            accommodations: crate::model::Accommodation::mask_of(&f.accommodations),
            employment_types: any_of(&f.employment_types, |v| v.index()),
            work_modes: any_of(&f.work_modes, |v| v.index()),
            categories: any_of(&f.categories, |v| v.index()),
            regions: any_of(&f.regions, |v| v.index()),
            city: f
                .city
                .as_ref()
                .map(|c| facets.cities.get(&text::fold(c)).copied()),
            min_salary: f.min_monthly_salary.map(|s| s.min(i64::MAX as u64) as i64),
            posted_since: f
                .posted_within_days
                .map(|days| to_millis(now - Duration::days(i64::from(days)))),
            verified_only: f.verified_only,
            near: f.near.map(|near| {
                // A box around the circle rejects most listings before any trigonometry.
                let dlat = near.radius_km / KM_PER_DEGREE;
                let dlon = dlat / near.point.lat.to_radians().cos().max(0.01);
                Circle {
                    center: near.point,
                    radius_km: near.radius_km,
                    lat: (near.point.lat - dlat, near.point.lat + dlat),
                    lon: (near.point.lon - dlon, near.point.lon + dlon),
                }
            }),
            access: f.access.iter().map(|r| r.index()).collect(),
            access_least: match f.access_certainty {
                AccessCertainty::Confirmed => 2,
                AccessCertainty::Likely => 1,
                AccessCertainty::UnknownAllowed => 0,
            },
        }
    }

    /// `None` if the listing is filtered out; otherwise its distance from the circle's centre, if a
    /// circle was given.
    fn check(&self, f: &Facet) -> Option<Option<f64>> {
        if let Some(now) = self.open_at {
            if f.status != crate::model::ListingStatus::Published || f.valid_through < now {
                return None;
            }
        }
        let passes = f.accommodations & self.accommodations == self.accommodations
            && admits(self.employment_types, f.employment_type.index())
            && admits(self.work_modes, f.work_mode.index())
            && admits(self.categories, f.category.index())
            && admits(self.regions, f.region.index())
            && self.city.is_none_or(|c| c == Some(f.city))
            && self.min_salary.is_none_or(|min| f.salary_monthly >= min)
            && self.posted_since.is_none_or(|since| f.posted_at >= since)
            && (!self.verified_only || f.verified);
        if !passes {
            return None;
        }
        if !self.access.is_empty() {
            // A remote job without a building has no entrance to be kept out by.
            let remote = !f.has_building && f.work_mode == crate::model::WorkMode::Remote;
            if !remote && self.access.iter().any(|&i| f.access[i] < self.access_least) {
                return None;
            }
        }
        match &self.near {
            None => Some(None),
            Some(c) => {
                // NaN (no building) fails these comparisons too.
                let in_box =
                    f.lat >= c.lat.0 && f.lat <= c.lat.1 && f.lon >= c.lon.0 && f.lon <= c.lon.1;
                if !in_box {
                    return None;
                }
                let d = c.center.distance_km(GeoPoint::new(f.lat, f.lon));
                (d <= c.radius_km).then_some(Some(d))
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Ascending,
    Descending,
}

pub(super) fn run(
    conn: &Connection,
    facets: &Facets,
    q: &SearchQuery,
    now: DateTime<Utc>,
) -> Result<SearchPage> {
    // The word matches and the page's details come from one snapshot, even while a sync writes.
    let snapshot = conn.unchecked_transaction()?;
    let page = run_in_snapshot(&snapshot, facets, q, now)?;
    snapshot.finish()?;
    Ok(page)
}

/// Above this many matches, relevance is "title hits first, then newest" instead of bm25.
///
/// bm25 reads every match's term positions in every column: for a word in a third of 100k
/// listings (a city's name) that was three quarters of the search's time, to order rows of which
/// the first 20 are shown. So many matches carry little signal beyond where the word is, so a
/// broad query ranks by the same thing bm25 weighs most (a title hit) and then by date.
/// A query is ranked one way or the other as a whole; a page token from before the data crossed
/// the bound may then continue in the other order (a row seen again or missed on a later page,
/// never an error).
pub(crate) const BM25_MAX_MATCHES: usize = 2_000;

/// How many broad queries' matches [`BroadMatches`] keeps (a few hundred KB each over 100k
/// listings; a phone holds far fewer).
const BROAD_KEPT: usize = 4;

/// The matches of the last few broad queries (more than [`BM25_MAX_MATCHES`]: a city's name, a
/// common job title), kept with the facets of one generation of the data, so they are dropped with
/// them at the next write. Reading the doclist of a word in a third of the listings, and the title
/// column for the relevance ranking, was most of such a search's time, and the same few words are
/// searched again and again (by every user paging through them).
#[derive(Default)]
pub(crate) struct BroadMatches {
    /// Most recently used first: (match expression, scored for relevance, the matches).
    kept: Mutex<Vec<(String, bool, Matches)>>,
}

/// Matching rowids with their scores (0 when not ranked), shared by the searches that read them.
type Matches = Arc<Vec<(i64, f64)>>;

impl BroadMatches {
    /// The kept matches of `expr`, or `find`'s (the matches, and whether they are broad), kept
    /// when broad. Returns the matches and whether they are broad.
    fn kept_or(
        &self,
        expr: &str,
        scored: bool,
        find: impl FnOnce() -> Result<(Vec<(i64, f64)>, bool)>,
    ) -> Result<(Matches, bool)> {
        if let Some(kept) = self.get(expr, scored) {
            return Ok((kept, true));
        }
        let (matches, broad) = find()?;
        let matches = Arc::new(matches);
        if broad {
            self.put(expr, scored, matches.clone());
        }
        Ok((matches, broad))
    }

    fn get(&self, expr: &str, scored: bool) -> Option<Matches> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let at = kept
            .iter()
            .position(|(e, s, _)| e == expr && *s == scored)?;
        let hit = kept.remove(at);
        let matches = hit.2.clone();
        kept.insert(0, hit);
        Some(matches)
    }

    fn put(&self, expr: &str, scored: bool, matches: Matches) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(e, s, _)| !(e == expr && *s == scored));
        kept.insert(0, (expr.to_string(), scored, matches));
        kept.truncate(BROAD_KEPT);
    }
}

/// Every match of `expr` with its relevance score (lower is better), and whether the query was
/// broad (more than [`BM25_MAX_MATCHES`]: scores are -1 for a title hit, 0 otherwise).
fn relevance(conn: &Connection, expr: &str) -> Result<(Vec<(i64, f64)>, bool)> {
    // bm25 is lower for better matches; a title hit counts most, then organization, then city.
    // Most queries are narrow: one pass scores them. A broad one stops after the bound and is
    // scanned again without bm25.
    let mut ranked = conn.prepare_cached(
        "SELECT rowid, bm25(listing_fts, 10.0, 1.0, 3.0, 2.0) FROM listing_fts WHERE listing_fts MATCH ?1",
    )?;
    let mut scored = Vec::new();
    let mut rows = ranked.query([expr])?;
    while let Some(row) = rows.next()? {
        if scored.len() == BM25_MAX_MATCHES {
            return Ok((broad(conn, expr)?, true));
        }
        scored.push((row.get::<_, i64>(0)?, row.get::<_, f64>(1)?));
    }
    Ok((scored, false))
}

/// Every match of a broad `expr`: -1 for a title hit, 0 otherwise.
fn broad(conn: &Connection, expr: &str) -> Result<Vec<(i64, f64)>> {
    let mut matching =
        conn.prepare_cached("SELECT rowid FROM listing_fts WHERE listing_fts MATCH ?1")?;
    let mut rowids = |query: &str| {
        matching
            .query_map([query], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()
    };
    let mut in_title = rowids(&format!("{{title}} : ({expr})"))?;
    in_title.sort_unstable();
    Ok(rowids(expr)?
        .into_iter()
        .map(|rowid| {
            let score = if in_title.binary_search(&rowid).is_ok() {
                -1.0
            } else {
                0.0
            };
            (rowid, score)
        })
        .collect())
}

fn run_in_snapshot(
    conn: &Connection,
    facets: &Facets,
    q: &SearchQuery,
    now: DateTime<Utc>,
) -> Result<SearchPage> {
    let filter = Filter::new(&q.filters, facets, now);
    let words = text::match_expression(&q.text);
    let sort = match (q.sort, &words) {
        (SortOrder::Relevance, None) => SortOrder::Newest,
        (sort, _) => sort,
    };
    let direction = match sort {
        SortOrder::Relevance | SortOrder::Distance => Direction::Ascending,
        SortOrder::Newest | SortOrder::Salary => Direction::Descending,
    };
    let order = |a: &Cursor, b: &Cursor| {
        let by_key = match (a.key, b.key) {
            (SortKey::Int(x), SortKey::Int(y)) => x.cmp(&y),
            (SortKey::Float(x), SortKey::Float(y)) => x.total_cmp(&y),
            // A token of the other kind was refused by its fingerprint; order them stably anyway.
            (SortKey::Int(_), SortKey::Float(_)) => std::cmp::Ordering::Less,
            (SortKey::Float(_), SortKey::Int(_)) => std::cmp::Ordering::Greater,
        };
        let ascending = by_key.then(a.rowid.cmp(&b.rowid));
        match direction {
            Direction::Ascending => ascending,
            Direction::Descending => ascending.reverse(),
        }
    };
    let after = q
        .page_token
        .as_deref()
        .map(|token| page_token::decode(q, token))
        .transpose()?;

    // One pass counts every match and keeps the rows after the cursor; the best of them are the page.
    let mut total: u64 = 0;
    let mut candidates: Vec<Cursor> = Vec::new();
    let mut consider = |facet: &Facet, score: f64| {
        let Some(distance) = filter.check(facet) else {
            return;
        };
        total += 1;
        let key = match sort {
            SortOrder::Relevance => SortKey::Float(score),
            SortOrder::Distance => SortKey::Float(distance.unwrap_or(f64::INFINITY)),
            SortOrder::Newest => SortKey::Int(facet.posted_at),
            SortOrder::Salary => SortKey::Int(facet.salary_monthly),
        };
        let here = Cursor {
            key,
            rowid: facet.rowid,
        };
        if after.is_none_or(|after| order(&here, &after).is_gt()) {
            candidates.push(here);
        }
    };
    match &words {
        Some(expr) if sort == SortOrder::Relevance => {
            let (scored, broad) = facets.broad.kept_or(expr, true, || relevance(conn, expr))?;
            for &(rowid, score) in scored.iter() {
                if let Some(facet) = facets.get(rowid) {
                    // Broad: newer first within title hits and within the rest. Milliseconds
                    // times 1e-13 stay under 1, the gap between the two groups.
                    let score = if broad {
                        score - facet.posted_at as f64 * 1e-13
                    } else {
                        score
                    };
                    consider(facet, score);
                }
            }
        }
        Some(expr) => {
            let (matches, _) = facets.broad.kept_or(expr, false, || {
                let mut stmt = conn
                    .prepare_cached("SELECT rowid FROM listing_fts WHERE listing_fts MATCH ?1")?;
                let rowids = stmt.query_map([expr], |r| Ok((r.get::<_, i64>(0)?, 0.0)))?;
                let matches = rowids.collect::<rusqlite::Result<Vec<_>>>()?;
                let broad = matches.len() > BM25_MAX_MATCHES;
                Ok((matches, broad))
            })?;
            for &(rowid, _) in matches.iter() {
                if let Some(facet) = facets.get(rowid) {
                    consider(facet, 0.0);
                }
            }
        }
        None => facets.rows.iter().for_each(|facet| consider(facet, 0.0)),
    }

    let wanted = q.page_size as usize;
    if candidates.len() > wanted {
        candidates.select_nth_unstable_by(wanted, order);
        candidates.truncate(wanted + 1);
    }
    candidates.sort_unstable_by(order);
    let has_more = candidates.len() > wanted;
    candidates.truncate(wanted);

    let mut details = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, o.name, o.verified, l.lat, l.lon
         FROM listings l JOIN listing_details d ON d.rowid = l.rowid
         JOIN organizations o ON o.id = l.organization_id
         WHERE l.rowid = ?1"
    ))?;
    let mut hits = Vec::with_capacity(candidates.len());
    for candidate in &candidates {
        let mut rows = details.query([candidate.rowid])?;
        let Some(row) = rows.next()? else {
            continue; // deleted after the facets were built; the next search rebuilds them
        };
        let n = COLUMN_COUNT;
        let position: (Option<f64>, Option<f64>) = (row.get(n + 2)?, row.get(n + 3)?);
        let distance_km = match (q.filters.near, position) {
            (Some(near), (Some(lat), Some(lon))) => {
                Some(near.point.distance_km(GeoPoint::new(lat, lon)))
            }
            _ => None,
        };
        hits.push(SearchHit {
            listing: from_row(row)?,
            organization_name: row.get(n)?,
            organization_verified: row.get(n + 1)?,
            distance_km,
        });
    }
    let next_page_token = match (has_more, candidates.last()) {
        (true, Some(last)) => Some(page_token::encode(q, *last)),
        _ => None,
    };
    Ok(SearchPage {
        hits,
        total,
        next_page_token,
    })
}

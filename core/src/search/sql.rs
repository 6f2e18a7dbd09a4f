//! Turns a [`SearchQuery`] into SQL. Every value a user typed is bound as a parameter; the only text
//! spliced into the statement is built here from fixed fragments.

use chrono::{DateTime, Duration, Utc};
use rusqlite::types::Value;
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::{validation, Accommodation, BitSet, GeoPoint, Region};
use crate::store::access;
use crate::store::listings::{from_row, COLUMNS, COLUMN_COUNT};
use crate::store::time::to_millis;

use super::page_token::{self, Cursor, SortKey};
use super::query::*;
use super::text;

/// Kilometres per degree of latitude (mean Earth radius).
const KM_PER_DEGREE: f64 = 111.195;

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

/// WHERE clauses with their bound values, as named parameters.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    values: Vec<(String, Value)>,
}

impl Conditions {
    /// Binds a value and returns its placeholder.
    fn bind(&mut self, value: impl Into<Value>) -> String {
        let name = format!(":p{}", self.values.len());
        self.values.push((name.clone(), value.into()));
        name
    }

    fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    fn any_of(&mut self, column: &str, codes: impl IntoIterator<Item = &'static str>) {
        let names: Vec<String> = codes
            .into_iter()
            .map(|c| self.bind(c.to_string()))
            .collect();
        if !names.is_empty() {
            self.push(format!("{column} IN ({})", names.join(", ")));
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1".to_string()
        } else {
            self.clauses.join(" AND ")
        }
    }

    fn params(&self) -> Vec<(&str, &dyn rusqlite::ToSql)> {
        self.values
            .iter()
            .map(|(n, v)| (n.as_str(), v as &dyn rusqlite::ToSql))
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Ascending,
    Descending,
}

pub(super) fn run(conn: &Connection, q: &SearchQuery, now: DateTime<Utc>) -> Result<SearchPage> {
    // Both reads below see one snapshot, so the count and the hits agree even while a sync writes.
    let snapshot = conn.unchecked_transaction()?;
    let page = run_in_snapshot(&snapshot, q, now)?;
    snapshot.finish()?;
    Ok(page)
}

fn run_in_snapshot(conn: &Connection, q: &SearchQuery, now: DateTime<Utc>) -> Result<SearchPage> {
    let f = &q.filters;
    let fts = text::match_expression(&q.text);
    let mut c = Conditions::default();

    if let Some(expr) = &fts {
        let p = c.bind(expr.clone());
        c.push(format!("listing_fts MATCH {p}"));
    }
    if !f.include_closed {
        let p = c.bind(to_millis(now));
        c.push(format!(
            "l.status = 'published' AND (l.valid_through IS NULL OR l.valid_through >= {p})"
        ));
    }
    if !f.accommodations.is_empty() {
        let p = c.bind(Accommodation::mask_of(&f.accommodations));
        c.push(format!("(l.accommodations & {p}) = {p}"));
    }
    c.any_of(
        "l.employment_type",
        f.employment_types.iter().map(|v| v.code()),
    );
    c.any_of("l.work_mode", f.work_modes.iter().map(|v| v.code()));
    c.any_of("l.category", f.categories.iter().map(|v| v.code()));
    c.any_of("l.region", f.regions.iter().map(|v| v.code()));
    if let Some(city) = &f.city {
        let p = c.bind(text::fold(city));
        c.push(format!("l.city_key = {p}"));
    }
    if let Some(min) = f.min_monthly_salary {
        let p = c.bind(min.min(i64::MAX as u64) as i64);
        c.push(format!("l.salary_monthly >= {p}"));
    }
    if let Some(days) = f.posted_within_days {
        let p = c.bind(to_millis(now - Duration::days(i64::from(days))));
        c.push(format!("l.posted_at >= {p}"));
    }
    if f.verified_only {
        c.push("o.verified = 1".into());
    }
    let least = match f.access_certainty {
        AccessCertainty::Confirmed => 2,
        AccessCertainty::Likely => 1,
        AccessCertainty::UnknownAllowed => 0,
    };
    for requirement in &f.access {
        // Column names are the requirements' fixed codes, never user text.
        let col = access::column(*requirement);
        c.push(format!(
            "((l.building_id IS NULL AND l.work_mode = 'remote') OR coalesce(a.{col}, 0) >= {least})"
        ));
    }
    // Distance on an equirectangular projection around the point: within 0.1% of the great-circle
    // distance at city scale, and plain arithmetic SQLite can evaluate (and sort by) itself.
    let distance_sq = f.near.map(|near| {
        let lat = near.point.lat;
        let dlat = near.radius_km / KM_PER_DEGREE;
        let cos = lat.to_radians().cos().max(0.01);
        let dlon = dlat / cos;
        let (plat, plon, pcos) = (c.bind(lat), c.bind(near.point.lon), c.bind(cos));
        let (lo_lat, hi_lat) = (c.bind(lat - dlat), c.bind(lat + dlat));
        let (lo_lon, hi_lon) = (c.bind(near.point.lon - dlon), c.bind(near.point.lon + dlon));
        let expr = format!(
            "((l.lat - {plat}) * (l.lat - {plat}) + (l.lon - {plon}) * {pcos} * (l.lon - {plon}) * {pcos})"
        );
        c.push(format!(
            "l.lat BETWEEN {lo_lat} AND {hi_lat} AND l.lon BETWEEN {lo_lon} AND {hi_lon}"
        ));
        let r = c.bind(dlat * dlat);
        c.push(format!("{expr} <= {r}"));
        expr
    });

    let (key, direction, float_key) = match (q.sort, &fts, &distance_sq) {
        (SortOrder::Distance, _, Some(d)) => (d.clone(), Direction::Ascending, true),
        (SortOrder::Relevance, Some(_), _) => (
            // Lower is better in SQLite's bm25; a title hit counts most, then organization, then city.
            "bm25(listing_fts, 10.0, 1.0, 3.0, 2.0)".to_string(),
            Direction::Ascending,
            true,
        ),
        (SortOrder::Salary, _, _) => (
            "coalesce(l.salary_monthly, -1)".to_string(),
            Direction::Descending,
            false,
        ),
        _ => ("l.posted_at".to_string(), Direction::Descending, false),
    };

    let from = format!(
        "{}{}",
        if fts.is_some() {
            "listing_fts JOIN listings l ON l.rowid = listing_fts.rowid"
        } else {
            "listings l"
        },
        if f.access.is_empty() {
            ""
        } else {
            " LEFT JOIN building_access a ON a.building_id = l.building_id"
        }
    );
    // One pass over the matches counts them all and keeps the page: the rows after the cursor with the
    // best keys. Only rowids and keys are read here, from the narrow `listings` table; the texts of the
    // page's hits are fetched afterwards.
    let org_join = if f.verified_only {
        " JOIN organizations o ON o.id = l.organization_id"
    } else {
        ""
    };
    let sql = format!(
        "SELECT l.rowid, {key} FROM {from}{org_join} WHERE {}",
        c.sql()
    );
    let cursor = q
        .page_token
        .as_deref()
        .map(|token| page_token::decode(q, token))
        .transpose()?;
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
    let mut total: u64 = 0;
    let mut candidates: Vec<Cursor> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(c.params().as_slice())?;
        while let Some(row) = rows.next()? {
            total += 1;
            let here = Cursor {
                rowid: row.get(0)?,
                key: if float_key {
                    SortKey::Float(row.get(1)?)
                } else {
                    SortKey::Int(row.get(1)?)
                },
            };
            if cursor.is_none_or(|after| order(&here, &after).is_gt()) {
                candidates.push(here);
            }
        }
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
            continue; // unreachable: both reads share one snapshot
        };
        let n = COLUMN_COUNT;
        let position: (Option<f64>, Option<f64>) = (row.get(n + 2)?, row.get(n + 3)?);
        let distance_km = match (f.near, position) {
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

//! The city office's queries (issue 13): the inbox newest first with keyset pages and a
//! filtered count, the filters' choices, and the digest's aggregates, all in SQL over `reports`
//! joined to `buildings`. Each runs in one read transaction, so a page, its counts and its
//! neighbours come from one snapshot.
//!
//! Every query starts from the same scope clause, `b.city_key = ?1` (the city's
//! normalized key, `storage::city::city_key`, as `set_report_status` compares), so no filter can
//! reach another city's rows and no spelling of a city can leave its office's inbox. Reports an
//! admin hid are left out of the inbox and the digest.

use crate::storage::sql::{params, Db, Owned as Sql, Row};

use uuid::Uuid;

use super::{ms, report_record, row_report, snapshot, uuid, REPORT_SELECT};
use crate::storage::city::{
    city_key, CityBuilding, Digest, DigestQuery, InboxChoices, InboxCursor, InboxPage, InboxQuery,
    StatusCounts, COUNT_LIMIT, IN_HAND, MAX_BUILDING_CHOICES, UNANSWERED,
};
use crate::storage::{IssueStatus, ReportRecord, Result};
use teng_core::accessibility::Feature;

fn text(s: Option<&str>) -> Sql {
    s.map_or(Sql::Null, |s| Sql::Text(s.to_string()))
}

/// A city parameter as the scope clauses compare it: its key (`city_key`), computed here so the
/// SQL needs no function of ours.
fn key(city: Option<&str>) -> Option<String> {
    city.map(city_key)
}

/// The inbox's filters: parameters ?1..?8 (the keyset and the limit follow; ?5 is always NULL,
/// named only so that every parameter has a type: a chosen building is one of the set of
/// buildings in ?8). The received-time bounds (?6, ?7) are always bound and a range on
/// `reports_received`, never `?6 IS NULL OR ...` (which keeps SQLite from seeking the index); a
/// keyset narrows them as well ([`narrowed`]), so a page deep in the inbox, or a count from its
/// first row, starts at its own place in the index.
const INBOX_WHERE: &str = "(CAST(?1 AS TEXT) IS NULL OR b.city_key = ?1)
    AND (CAST(?2 AS TEXT) IS NULL OR b.district = ?2)
    AND (CAST(?3 AS TEXT) IS NULL OR r.status IN (SELECT value FROM json_each(?3)))
    AND (CAST(?4 AS TEXT) IS NULL OR instr(r.features, ' ' || ?4 || ' ') > 0)
    AND CAST(?5 AS TEXT) IS NULL
    AND r.created_at >= ?6 AND r.created_at < ?7
    AND (CAST(?8 AS TEXT) IS NULL OR r.building_id IN (SELECT value FROM json_each(?8)))
    AND r.hidden_at IS NULL";

/// The building-set clause of [`INBOX_WHERE`], and what replaces it when the set is small: a
/// mandatory `IN` that SQLite answers from `reports_building`, a few index ranges, where the
/// optional form walks every report newest first (200 ms over 200k reports when few match).
const BUILDINGS_SCANNED: &str =
    "(CAST(?8 AS TEXT) IS NULL OR r.building_id IN (SELECT value FROM json_each(?8)))";
const BUILDINGS_SOUGHT: &str = "r.building_id IN (SELECT value FROM json_each(?8))";
/// Up to this many buildings, the inbox reads their reports through `reports_building` and sorts
/// them; above it, walking newest first finds a page sooner.
const SOUGHT_BUILDINGS_MAX: usize = 32;

/// Buildings of the scope (and of the district, when one is chosen: the set then spares the
/// inbox a building lookup per report) whose stored summary says "not step-free".
fn not_step_free_ids(c: &Db, city: Option<&str>, district: Option<&str>) -> Result<Vec<String>> {
    let mut stmt = c.prepare_cached(
        "SELECT s.building_id FROM building_summaries s
         JOIN buildings b ON b.id = s.building_id
         WHERE s.not_step_free = TRUE AND (CAST(?1 AS TEXT) IS NULL OR b.city_key = ?1)
           AND (CAST(?2 AS TEXT) IS NULL OR b.district = ?2)",
    )?;
    let rows = stmt.query_map(params![key(city), district], |r| r.get::<String>(0))?;
    rows.collect::<Result<_>>()
}

/// The inbox's parameters ?1..?8, and how many buildings the query is limited to (`None`: any).
fn filter_params(c: &Db, q: &InboxQuery) -> Result<(Vec<Sql>, Option<usize>)> {
    let statuses = if q.statuses.is_empty() {
        Sql::Null
    } else {
        let codes: Vec<&str> = q.statuses.iter().map(|s| s.code()).collect();
        Sql::Text(serde_json::to_string(&codes)?)
    };
    let step_free = if q.not_step_free {
        Some(not_step_free_ids(
            c,
            q.city.as_deref(),
            q.district.as_deref(),
        )?)
    } else {
        None
    };
    let buildings = match (q.building_id.map(|b| b.to_string()), step_free) {
        (Some(one), Some(ids)) => Some(ids.into_iter().filter(|id| *id == one).collect()),
        (Some(one), None) => Some(vec![one]),
        (None, ids) => ids,
    };
    let limited = buildings.as_ref().map(Vec::len);
    let buildings = match &buildings {
        Some(ids) => Sql::Text(serde_json::to_string(ids)?),
        None => Sql::Null,
    };
    let params = vec![
        text(key(q.city.as_deref()).as_deref()),
        text(q.district.as_deref()),
        statuses,
        text(q.feature.map(|f| f.code())),
        Sql::Null,
        Sql::I64(q.received_from.map_or(i64::MIN, ms)),
        Sql::I64(q.received_until.map_or(i64::MAX, ms)),
        buildings,
    ];
    Ok((params, limited))
}

/// The filter parameters with the received-time range (?6 from, ?7 until) narrowed to at least
/// `from` and before `until`.
fn narrowed(params: &[Sql], from: Option<i64>, until: Option<i64>) -> Vec<Sql> {
    let mut out = params.to_vec();
    let bound = |current: &Sql| match current {
        Sql::I64(v) => Some(*v),
        _ => None,
    };
    if let Some(from) = from {
        out[5] = Sql::I64(bound(&out[5]).map_or(from, |v| v.max(from)));
    }
    if let Some(until) = until {
        out[6] = Sql::I64(bound(&out[6]).map_or(until, |v| v.min(until)));
    }
    out
}

fn with(params: &[Sql], more: &[Sql]) -> Vec<Sql> {
    params.iter().chain(more).cloned().collect()
}

fn reports(c: &Db, sql: &str, params: Vec<Sql>) -> Result<Vec<ReportRecord>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(&params, row_report)?;
    rows.map(|r| report_record(r?)).collect()
}

fn count(c: &Db, sql: &str, params: Vec<Sql>) -> Result<u64> {
    let n: i64 = c.prepare_cached(sql)?.query_row(&params, |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

pub(super) fn inbox(c: &Db, q: &InboxQuery) -> Result<InboxPage> {
    snapshot(c, |c| {
        let (params, limited) = filter_params(c, q)?;
        let inbox_where = match limited {
            // No building is in the set (e.g. none is "not step-free"): nothing to look for.
            Some(0) => return Ok(InboxPage::default()),
            Some(n) if n <= SOUGHT_BUILDINGS_MAX => {
                debug_assert!(INBOX_WHERE.contains(BUILDINGS_SCANNED));
                INBOX_WHERE.replace(BUILDINGS_SCANNED, BUILDINGS_SOUGHT)
            }
            _ => INBOX_WHERE.to_string(),
        };
        let limit = Sql::I64(q.limit.min(i64::MAX as usize) as i64);
        let mut rows = match q.cursor {
            None => reports(
                c,
                &format!(
                    "{REPORT_SELECT} WHERE {inbox_where}
                     ORDER BY r.created_at DESC, r.id DESC LIMIT ?9"
                ),
                with(&params, &[limit]),
            )?,
            Some(InboxCursor::Before(at, id)) => reports(
                c,
                &format!(
                    "{REPORT_SELECT} WHERE {inbox_where}
                       AND (r.created_at < ?9 OR (r.created_at = ?9 AND r.id < ?10))
                     ORDER BY r.created_at DESC, r.id DESC LIMIT ?11"
                ),
                with(
                    &narrowed(&params, None, Some(ms(at) + 1)),
                    &[Sql::I64(ms(at)), Sql::Text(id.to_string()), limit],
                ),
            )?,
            Some(InboxCursor::After(at, id)) => {
                let mut rows = reports(
                    c,
                    &format!(
                        "{REPORT_SELECT} WHERE {inbox_where}
                           AND (r.created_at > ?9 OR (r.created_at = ?9 AND r.id > ?10))
                         ORDER BY r.created_at ASC, r.id ASC LIMIT ?11"
                    ),
                    with(
                        &narrowed(&params, Some(ms(at)), None),
                        &[Sql::I64(ms(at)), Sql::Text(id.to_string()), limit],
                    ),
                )?;
                rows.reverse();
                rows
            }
        };
        rows.truncate(q.limit);
        // Counts stop at COUNT_LIMIT + 1 matches, so their cost is bounded however many match.
        let counted = |keyset: &str, params: Vec<Sql>| {
            count(
                c,
                &format!(
                    "SELECT COUNT(*) FROM (
                         SELECT 1 FROM reports r JOIN buildings b ON b.id = r.building_id
                         WHERE {inbox_where} {keyset} LIMIT {}
                     ) AS matching",
                    COUNT_LIMIT + 1
                ),
                params,
            )
        };
        let keyset = |r: &ReportRecord| {
            [
                Sql::I64(ms(r.received_at)),
                Sql::Text(r.report.id.to_string()),
            ]
        };
        let total = counted("", params.clone())?;
        let newer = match rows.first() {
            Some(first) => counted(
                "AND (r.created_at > ?9 OR (r.created_at = ?9 AND r.id > ?10))",
                with(
                    &narrowed(&params, Some(ms(first.received_at)), None),
                    &keyset(first),
                ),
            )?,
            None => 0,
        };
        let older = match rows.last() {
            Some(last) => {
                count(
                    c,
                    &format!(
                        "SELECT EXISTS (
                             SELECT 1 FROM reports r JOIN buildings b ON b.id = r.building_id
                             WHERE {inbox_where}
                               AND (r.created_at < ?9 OR (r.created_at = ?9 AND r.id < ?10))
                         )"
                    ),
                    with(
                        &narrowed(&params, None, Some(ms(last.received_at) + 1)),
                        &keyset(last),
                    ),
                )? > 0
            }
            None => false,
        };
        Ok(InboxPage {
            rows,
            total,
            newer,
            older,
        })
    })
}

pub(super) fn report_in_city(c: &Db, id: Uuid, city: Option<&str>) -> Result<Option<ReportRecord>> {
    let rows = reports(
        c,
        &format!(
            "{REPORT_SELECT} WHERE r.id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR b.city_key = ?2)"
        ),
        vec![Sql::Text(id.to_string()), text(key(city).as_deref())],
    )?;
    Ok(rows.into_iter().next())
}

fn building_row(r: &Row) -> Result<(String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn city_building(row: (String, String, String)) -> Result<CityBuilding> {
    let (id, body, city) = row;
    let building: teng_core::model::Building = serde_json::from_str(&body)?;
    Ok(CityBuilding {
        id: uuid(&id)?,
        name: building.name,
        district: building.address.district,
        city,
    })
}

/// Building `b` has a report an admin did not hide. A scalar probe: SQLite turns `EXISTS` into a
/// semi-join here that reads every report of each building (30x slower over 200k reports).
const HAS_VISIBLE_REPORT: &str = "(SELECT 1 FROM reports r
    WHERE r.building_id = b.id AND r.hidden_at IS NULL LIMIT 1) IS NOT NULL";

pub(super) fn inbox_choices(c: &Db, scope: Option<&str>, q: &InboxQuery) -> Result<InboxChoices> {
    let (city, district) = (q.city.as_deref(), q.district.as_deref());
    snapshot(c, |c| {
        let cities = match scope {
            Some(own) => vec![own.to_string()],
            None => {
                let mut stmt = c.prepare_cached(&format!(
                    "SELECT DISTINCT b.city FROM buildings b
                     WHERE {HAS_VISIBLE_REPORT}
                     ORDER BY b.city"
                ))?;
                let rows = stmt.query_map((), |r| r.get::<String>(0))?;
                rows.collect::<Result<_>>()?
            }
        };
        let districts = {
            let mut stmt = c.prepare_cached(
                "SELECT DISTINCT b.district FROM buildings b
                 WHERE (CAST(?1 AS TEXT) IS NULL OR b.city_key = ?1)
                   AND b.district IS NOT NULL AND b.district <> ''
                 ORDER BY b.district",
            )?;
            let rows = stmt.query_map([key(city)], |r| r.get::<String>(0))?;
            rows.collect::<Result<_>>()?
        };
        let mut buildings = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT b.id, b.body, b.city FROM buildings b
                 WHERE (CAST(?1 AS TEXT) IS NULL OR b.city_key = ?1)
                   AND (CAST(?2 AS TEXT) IS NULL OR b.district = ?2)
                   AND {HAS_VISIBLE_REPORT}
                 ORDER BY json_extract(b.body, '$.name'), b.id LIMIT ?3"
            ))?;
            let rows = stmt.query_map(
                params![key(city), district, MAX_BUILDING_CHOICES as i64 + 1],
                building_row,
            )?;
            rows.map(|r| city_building(r?))
                .collect::<Result<Vec<_>>>()?
        };
        let more_buildings = buildings.len() > MAX_BUILDING_CHOICES;
        buildings.truncate(MAX_BUILDING_CHOICES);
        // The chosen building is offered even when the list leaves it out, or a form would drop it.
        if let Some(chosen) = q
            .building_id
            .filter(|b| !buildings.iter().any(|x| x.id == *b))
        {
            let mut stmt = c.prepare_cached(
                "SELECT b.id, b.body, b.city FROM buildings b
                 WHERE b.id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR b.city_key = ?2)",
            )?;
            let found = stmt
                .query_map(params![chosen.to_string(), key(scope)], building_row)?
                .next()
                .transpose()?;
            if let Some(row) = found {
                buildings.push(city_building(row)?);
            }
        }
        Ok(InboxChoices {
            cities,
            districts,
            buildings,
            more_buildings,
        })
    })
}

/// `('a', 'b')` for an SQL `IN`; the codes are the enum's own, never user text.
fn codes(statuses: &[IssueStatus]) -> String {
    let quoted: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
    format!("({})", quoted.join(", "))
}

/// The five counts of [`StatusCounts`] as SQL aggregates over `r`.
fn counts_sql() -> String {
    format!(
        "COUNT(*),
         COALESCE(SUM(CASE WHEN r.status IN {unanswered} THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN r.status IN {in_hand} THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN r.status = '{resolved}' THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN r.status = '{not_responsible}' THEN 1 ELSE 0 END), 0)",
        unanswered = codes(&UNANSWERED),
        in_hand = codes(&IN_HAND),
        resolved = IssueStatus::Resolved.code(),
        not_responsible = IssueStatus::NotResponsible.code(),
    )
}

/// Reads the five counts starting at column `at`.
fn counts_at(r: &Row, at: usize) -> Result<StatusCounts> {
    let n = |i: usize| r.get::<i64>(at + i).map(|v| v.max(0) as u64);
    Ok(StatusCounts {
        reports: n(0)?,
        unanswered: n(1)?,
        in_hand: n(2)?,
        resolved: n(3)?,
        not_responsible: n(4)?,
    })
}

/// The digest's scope and period: parameters ?1 (city), ?2 (from, ms), ?3 (until, ms).
const DIGEST_WHERE: &str = "(CAST(?1 AS TEXT) IS NULL OR b.city_key = ?1)
    AND r.created_at >= ?2 AND r.created_at < ?3
    AND r.hidden_at IS NULL";

pub(super) fn digest(c: &Db, q: &DigestQuery) -> Result<Digest> {
    snapshot(c, |c| {
        let city = key(q.city.as_deref());
        let scope = params![city, ms(q.from), ms(q.until)];
        let counts = counts_sql();
        let from = "FROM reports r JOIN buildings b ON b.id = r.building_id";

        let list_limit = q.list_limit.min(10_000) as i64;
        // One pass grouped by building gives the totals, the districts and the most reported
        // buildings (a building's district is read from its record once, not per report).
        let per_building: Vec<(CityBuilding, StatusCounts)> = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT b.id, b.body, b.city, {counts} {from} WHERE {DIGEST_WHERE} GROUP BY b.id"
            ))?;
            let rows = stmt.query_map(scope, |r| Ok((building_row(r)?, counts_at(r, 3)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (b, n) = row?;
                out.push((city_building(b)?, n));
            }
            out
        };
        let mut totals = StatusCounts::default();
        let mut by_district: Vec<(Option<String>, StatusCounts)> = Vec::new();
        for (b, n) in &per_building {
            add(&mut totals, n);
            // No district and "" are both "no district": one row.
            let district = b.district.clone().filter(|d| !d.is_empty());
            match by_district.iter_mut().find(|(d, _)| *d == district) {
                Some((_, sum)) => add(sum, n),
                None => by_district.push((district, *n)),
            }
        }
        by_district.sort_by(|a, b| b.1.reports.cmp(&a.1.reports).then_with(|| a.0.cmp(&b.0)));
        let mut top_buildings = per_building;
        top_buildings.sort_by(|(a, m), (b, n)| {
            n.reports
                .cmp(&m.reports)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        top_buildings.truncate(list_limit as usize);

        // The features reports speak of; a report with no facts (a note only) joins no key.
        let (by_feature, note_only) = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT f.key, {counts} {from} LEFT JOIN json_each(r.body, '$.facts') AS f
                 WHERE {DIGEST_WHERE} GROUP BY f.key ORDER BY COUNT(*) DESC, f.key"
            ))?;
            let rows = stmt.query_map(scope, |r| {
                Ok((r.get::<Option<String>>(0)?, counts_at(r, 1)?))
            })?;
            let mut out = Vec::new();
            let mut note_only = StatusCounts::default();
            for row in rows {
                match row? {
                    (None, n) => note_only = n,
                    // A code this build does not know (a newer phone's) is left out.
                    (Some(code), n) => {
                        if let Ok(feature) = Feature::from_code(&code) {
                            out.push((feature, n));
                        }
                    }
                }
            }
            (out, note_only)
        };

        // The first city answer of each answered report of the period; the median of the delays
        // is the middle one, or the mean of the middle two.
        let mut delays: Vec<i64> = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT MIN(h.at) - r.created_at {from}
                 JOIN report_status_history h ON h.report_id = r.id AND h.by_kind = 'city'
                 WHERE {DIGEST_WHERE} GROUP BY r.id"
            ))?;
            let rows = stmt.query_map(scope, |r| r.get::<i64>(0))?;
            rows.collect::<Result<_>>()?
        };
        delays.sort_unstable();

        let median: Option<f64> = match delays.len() {
            0 => None,
            n if n % 2 == 1 => Some(delays[n / 2] as f64),
            n => Some((delays[n / 2 - 1] as f64 + delays[n / 2] as f64) / 2.0),
        };

        let oldest_unanswered = reports(
            c,
            &format!(
                "{REPORT_SELECT} WHERE {DIGEST_WHERE} AND r.status IN {unanswered}
                 ORDER BY r.created_at, r.id LIMIT ?4",
                unanswered = codes(&UNANSWERED)
            ),
            vec![
                text(city.as_deref()),
                Sql::I64(ms(q.from)),
                Sql::I64(ms(q.until)),
                Sql::I64(list_limit),
            ],
        )?;

        Ok(Digest {
            totals,
            by_district,
            by_feature,
            note_only,
            answered: delays.len() as u64,
            median_first_answer_ms: median.map(|m| m.round() as i64),
            oldest_unanswered,
            top_buildings,
        })
    })
}

fn add(sum: &mut StatusCounts, n: &StatusCounts) {
    sum.reports += n.reports;
    sum.unanswered += n.unanswered;
    sum.in_hand += n.in_hand;
    sum.resolved += n.resolved;
    sum.not_responsible += n.not_responsible;
}

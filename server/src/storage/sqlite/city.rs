//! The city office's queries on SQLite (issue 13): the inbox newest first with keyset pages and a
//! filtered count, the filters' choices, and the digest's aggregates, all in SQL over `reports`
//! joined to `buildings`. Each runs in one read transaction, so a page, its counts and its
//! neighbours come from one snapshot.
//!
//! Every query starts from the same scope clause, `b.city = ?1 COLLATE NOCASE` (ASCII case folded,
//! as `set_report_status` compares), so no filter can reach another city's rows.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};

use uuid::Uuid;

use super::{ms, report_record, row_report, snapshot, uuid, REPORT_SELECT};
use crate::storage::city::{
    summary_not_step_free, CityBuilding, Digest, DigestQuery, InboxChoices, InboxCursor, InboxPage,
    InboxQuery, StatusCounts, IN_HAND, UNANSWERED,
};
use crate::storage::{IssueStatus, ReportRecord, Result};
use teng_core::accessibility::{BuildingSummary, Feature};

fn text(s: Option<&str>) -> Sql {
    s.map_or(Sql::Null, |s| Sql::Text(s.to_string()))
}

/// The inbox's filters: parameters ?1..?8 (the keyset and the limit follow).
const INBOX_WHERE: &str = "(?1 IS NULL OR b.city = ?1 COLLATE NOCASE)
    AND (?2 IS NULL OR json_extract(b.body, '$.address.district') = ?2)
    AND (?3 IS NULL OR r.status IN (SELECT value FROM json_each(?3)))
    AND (?4 IS NULL OR json_type(r.body, '$.facts.' || ?4) IS NOT NULL)
    AND (?5 IS NULL OR r.building_id = ?5)
    AND (?6 IS NULL OR r.created_at >= ?6)
    AND (?7 IS NULL OR r.created_at < ?7)
    AND (?8 IS NULL OR r.building_id IN (SELECT value FROM json_each(?8)))";

/// Buildings of the scope whose stored summary says "not step-free", as a JSON array of ids.
fn not_step_free_ids(c: &Connection, city: Option<&str>) -> Result<String> {
    let mut stmt = c.prepare_cached(
        "SELECT s.building_id, s.body FROM building_summaries s
         JOIN buildings b ON b.id = s.building_id
         WHERE (?1 IS NULL OR b.city = ?1 COLLATE NOCASE)",
    )?;
    let rows = stmt.query_map([city], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut ids = Vec::new();
    for row in rows {
        let (id, body) = row?;
        let summary: BuildingSummary = serde_json::from_str(&body)?;
        if summary_not_step_free(&summary) {
            ids.push(id);
        }
    }
    Ok(serde_json::to_string(&ids)?)
}

fn filter_params(c: &Connection, q: &InboxQuery) -> Result<Vec<Sql>> {
    let statuses = if q.statuses.is_empty() {
        Sql::Null
    } else {
        let codes: Vec<&str> = q.statuses.iter().map(|s| s.code()).collect();
        Sql::Text(serde_json::to_string(&codes)?)
    };
    let step_free = if q.not_step_free {
        Sql::Text(not_step_free_ids(c, q.city.as_deref())?)
    } else {
        Sql::Null
    };
    Ok(vec![
        text(q.city.as_deref()),
        text(q.district.as_deref()),
        statuses,
        text(q.feature.map(|f| f.code())),
        text(q.building_id.map(|b| b.to_string()).as_deref()),
        q.received_from.map_or(Sql::Null, |t| Sql::Integer(ms(t))),
        q.received_until.map_or(Sql::Null, |t| Sql::Integer(ms(t))),
        step_free,
    ])
}

fn with(params: &[Sql], more: &[Sql]) -> Vec<Sql> {
    params.iter().chain(more).cloned().collect()
}

fn reports(c: &Connection, sql: &str, params: Vec<Sql>) -> Result<Vec<ReportRecord>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params_from_iter(params), row_report)?;
    rows.map(|r| report_record(r?)).collect()
}

fn count(c: &Connection, sql: &str, params: Vec<Sql>) -> Result<u64> {
    let n: i64 = c
        .prepare_cached(sql)?
        .query_row(params_from_iter(params), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

pub(super) fn inbox(c: &Connection, q: &InboxQuery) -> Result<InboxPage> {
    snapshot(c, |c| {
        let params = filter_params(c, q)?;
        let limit = Sql::Integer(q.limit.min(i64::MAX as usize) as i64);
        let mut rows = match q.cursor {
            None => reports(
                c,
                &format!(
                    "{REPORT_SELECT} WHERE {INBOX_WHERE}
                     ORDER BY r.created_at DESC, r.id DESC LIMIT ?9"
                ),
                with(&params, &[limit]),
            )?,
            Some(InboxCursor::Before(at, id)) => reports(
                c,
                &format!(
                    "{REPORT_SELECT} WHERE {INBOX_WHERE}
                       AND (r.created_at < ?9 OR (r.created_at = ?9 AND r.id < ?10))
                     ORDER BY r.created_at DESC, r.id DESC LIMIT ?11"
                ),
                with(
                    &params,
                    &[Sql::Integer(ms(at)), Sql::Text(id.to_string()), limit],
                ),
            )?,
            Some(InboxCursor::After(at, id)) => {
                let mut rows = reports(
                    c,
                    &format!(
                        "{REPORT_SELECT} WHERE {INBOX_WHERE}
                           AND (r.created_at > ?9 OR (r.created_at = ?9 AND r.id > ?10))
                         ORDER BY r.created_at ASC, r.id ASC LIMIT ?11"
                    ),
                    with(
                        &params,
                        &[Sql::Integer(ms(at)), Sql::Text(id.to_string()), limit],
                    ),
                )?;
                rows.reverse();
                rows
            }
        };
        rows.truncate(q.limit);
        let total = count(
            c,
            &format!(
                "SELECT COUNT(*) FROM reports r JOIN buildings b ON b.id = r.building_id
                 WHERE {INBOX_WHERE}"
            ),
            params.clone(),
        )?;
        let newer = match rows.first() {
            Some(first) => count(
                c,
                &format!(
                    "SELECT COUNT(*) FROM reports r JOIN buildings b ON b.id = r.building_id
                     WHERE {INBOX_WHERE}
                       AND (r.created_at > ?9 OR (r.created_at = ?9 AND r.id > ?10))"
                ),
                with(
                    &params,
                    &[
                        Sql::Integer(ms(first.received_at)),
                        Sql::Text(first.report.id.to_string()),
                    ],
                ),
            )?,
            None => 0,
        };
        Ok(InboxPage { rows, total, newer })
    })
}

pub(super) fn report_in_city(
    c: &Connection,
    id: Uuid,
    city: Option<&str>,
) -> Result<Option<ReportRecord>> {
    let rows = reports(
        c,
        &format!("{REPORT_SELECT} WHERE r.id = ?1 AND (?2 IS NULL OR b.city = ?2 COLLATE NOCASE)"),
        vec![Sql::Text(id.to_string()), text(city)],
    )?;
    Ok(rows.into_iter().next())
}

fn building_row(r: &rusqlite::Row) -> rusqlite::Result<(String, String, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn city_building(row: (String, String, String, i64)) -> Result<CityBuilding> {
    let (id, body, city, reports) = row;
    let building: teng_core::model::Building = serde_json::from_str(&body)?;
    Ok(CityBuilding {
        id: uuid(&id)?,
        name: building.name,
        district: building.address.district,
        city,
        reports: reports.max(0) as u64,
    })
}

/// Most buildings the inbox's building filter lists.
const MAX_BUILDING_CHOICES: i64 = 1000;

pub(super) fn inbox_choices(c: &Connection, city: Option<&str>) -> Result<InboxChoices> {
    snapshot(c, |c| {
        let cities = match city {
            Some(own) => vec![own.to_string()],
            None => {
                let mut stmt = c.prepare_cached(
                    "SELECT DISTINCT b.city FROM buildings b
                     WHERE EXISTS (SELECT 1 FROM reports r WHERE r.building_id = b.id)
                     ORDER BY b.city",
                )?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let districts = {
            let mut stmt = c.prepare_cached(
                "SELECT DISTINCT json_extract(b.body, '$.address.district') AS d FROM buildings b
                 WHERE (?1 IS NULL OR b.city = ?1 COLLATE NOCASE) AND d IS NOT NULL AND d <> ''
                 ORDER BY d",
            )?;
            let rows = stmt.query_map([city], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let buildings = {
            let mut stmt = c.prepare_cached(
                "SELECT b.id, b.body, b.city, COUNT(*) FROM buildings b
                 JOIN reports r ON r.building_id = b.id
                 WHERE (?1 IS NULL OR b.city = ?1 COLLATE NOCASE)
                 GROUP BY b.id
                 ORDER BY json_extract(b.body, '$.name'), b.id LIMIT ?2",
            )?;
            let rows =
                stmt.query_map(rusqlite::params![city, MAX_BUILDING_CHOICES], building_row)?;
            rows.map(|r| city_building(r?))
                .collect::<Result<Vec<_>>>()?
        };
        Ok(InboxChoices {
            cities,
            districts,
            buildings,
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
fn counts_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<StatusCounts> {
    let n = |i: usize| r.get::<_, i64>(at + i).map(|v| v.max(0) as u64);
    Ok(StatusCounts {
        reports: n(0)?,
        unanswered: n(1)?,
        in_hand: n(2)?,
        resolved: n(3)?,
        not_responsible: n(4)?,
    })
}

/// The digest's scope and period: parameters ?1 (city), ?2 (from, ms), ?3 (until, ms).
const DIGEST_WHERE: &str = "(?1 IS NULL OR b.city = ?1 COLLATE NOCASE)
    AND r.created_at >= ?2 AND r.created_at < ?3";

pub(super) fn digest(c: &Connection, q: &DigestQuery) -> Result<Digest> {
    snapshot(c, |c| {
        let scope = rusqlite::params![q.city.as_deref(), ms(q.from), ms(q.until)];
        let counts = counts_sql();
        let from = "FROM reports r JOIN buildings b ON b.id = r.building_id";

        let totals = c
            .prepare_cached(&format!("SELECT {counts} {from} WHERE {DIGEST_WHERE}"))?
            .query_row(scope, |r| counts_at(r, 0))?;

        let by_district = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT json_extract(b.body, '$.address.district') AS d, {counts} {from}
                 WHERE {DIGEST_WHERE} GROUP BY d ORDER BY COUNT(*) DESC, d"
            ))?;
            let rows = stmt.query_map(scope, |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?.filter(|d| !d.is_empty()),
                    counts_at(r, 1)?,
                ))
            })?;
            let mut out: Vec<(Option<String>, StatusCounts)> = Vec::new();
            for row in rows {
                let (district, n) = row?;
                // NULL and "" are both "no district": one row.
                match out.iter_mut().find(|(d, _)| *d == district) {
                    Some((_, sum)) => add(sum, &n),
                    None => out.push((district, n)),
                }
            }
            out
        };

        let (by_feature, note_only) = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT f.key, {counts} {from}, json_each(r.body, '$.facts') AS f
                 WHERE {DIGEST_WHERE} GROUP BY f.key ORDER BY COUNT(*) DESC, f.key"
            ))?;
            let rows = stmt.query_map(scope, |r| Ok((r.get::<_, String>(0)?, counts_at(r, 1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (code, n) = row?;
                // A code this build does not know (a newer phone's) is left out.
                if let Ok(feature) = Feature::from_code(&code) {
                    out.push((feature, n));
                }
            }
            let note_only = c
                .prepare_cached(&format!(
                    "SELECT {counts} {from} WHERE {DIGEST_WHERE}
                       AND NOT EXISTS (SELECT 1 FROM json_each(r.body, '$.facts'))"
                ))?
                .query_row(scope, |r| counts_at(r, 0))?;
            (out, note_only)
        };

        // The first city answer of each report of the period, then the median of the delays: the
        // middle one, or the mean of the middle two (LIMIT 1 or 2 from the middle).
        let first_answers = format!(
            "WITH delays AS (
                SELECT (SELECT MIN(h.at) FROM report_status_history h
                        WHERE h.report_id = r.id AND h.by_kind = 'city') - r.created_at AS d
                {from} WHERE {DIGEST_WHERE}
             ), answered AS (SELECT d FROM delays WHERE d IS NOT NULL)"
        );
        let answered: i64 = c
            .prepare_cached(&format!("{first_answers} SELECT COUNT(*) FROM answered"))?
            .query_row(scope, |r| r.get(0))?;
        let median: Option<f64> = c
            .prepare_cached(&format!(
                "{first_answers}
                 SELECT AVG(d) FROM (SELECT d FROM answered ORDER BY d
                   LIMIT 2 - (SELECT COUNT(*) FROM answered) % 2
                   OFFSET (SELECT (COUNT(*) - 1) / 2 FROM answered))"
            ))?
            .query_row(scope, |r| r.get(0))?;

        let list_limit = q.list_limit.min(10_000) as i64;
        let oldest_unanswered = reports(
            c,
            &format!(
                "{REPORT_SELECT} WHERE {DIGEST_WHERE} AND r.status IN {unanswered}
                 ORDER BY r.created_at, r.id LIMIT ?4",
                unanswered = codes(&UNANSWERED)
            ),
            vec![
                text(q.city.as_deref()),
                Sql::Integer(ms(q.from)),
                Sql::Integer(ms(q.until)),
                Sql::Integer(list_limit),
            ],
        )?;

        let top_buildings = {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT b.id, b.body, b.city, COUNT(*), {counts} {from}
                 WHERE {DIGEST_WHERE}
                 GROUP BY b.id ORDER BY COUNT(*) DESC, json_extract(b.body, '$.name'), b.id
                 LIMIT ?4"
            ))?;
            let rows = stmt.query_map(
                rusqlite::params![q.city.as_deref(), ms(q.from), ms(q.until), list_limit],
                |r| Ok((building_row(r)?, counts_at(r, 4)?)),
            )?;
            let mut out = Vec::new();
            for row in rows {
                let (b, n) = row?;
                out.push((city_building(b)?, n));
            }
            out
        };

        Ok(Digest {
            totals,
            by_district,
            by_feature,
            note_only,
            answered: answered.max(0) as u64,
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

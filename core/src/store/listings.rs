use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::types::ToSql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::{
    Accommodation, ApplyMethod, BitSet, EmploymentType, JobCategory, JobListing, ListingStatus,
    Region, Salary, SalaryPeriod, Validate, WorkLanguage, WorkMode,
};
use crate::search::text::fold;

use super::id_list;
use super::time::{from_millis, to_millis};

/// Columns read back into a [`JobListing`], in the order [`from_row`] expects. Search selects the same.
/// Selected from `listings l JOIN listing_details d ON d.rowid = l.rowid`.
pub(crate) const COLUMNS: &str = "l.id, l.organization_id, l.building_id, d.title, d.description, \
     l.category, l.employment_type, l.work_mode, d.city, l.region, d.salary_min, d.salary_max, \
     d.salary_period, l.accommodations, l.languages, d.apply_via, l.posted_at, l.valid_through, \
     l.status, l.version";

/// The number of columns in [`COLUMNS`]; extra selected columns start at this index.
pub(crate) const COLUMN_COUNT: usize = 20;

pub(crate) fn upsert(tx: &Transaction<'_>, listings: &[JobListing]) -> Result<()> {
    if listings.is_empty() {
        return Ok(());
    }
    // INSERT OR IGNORE, then UPDATE by rowid when the id was already there, rather than INSERT ..
    // ON CONFLICT .. RETURNING: an upsert needs a statement journal, which copies every page the
    // statement touches (six b-trees per listing) and halved the batch rate. New listings (all of a
    // first sync) cost one statement. Parameters are positional: looking up names was measurable.
    // References are checked here, with errors that name them.
    let mut insert = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO listings (id, {WRITE_COLUMNS}) VALUES ({WRITE_PARAMS})"
    ))?;
    let mut find = tx.prepare_cached("SELECT rowid FROM listings WHERE id = ?1")?;
    let mut update = tx.prepare_cached(&format!(
        "UPDATE listings SET ({WRITE_COLUMNS}) = ({UPDATE_PARAMS}) WHERE rowid = ?{ROWID_PARAM}"
    ))?;
    let mut details = tx.prepare_cached(&format!(
        "INSERT OR REPLACE INTO listing_details (rowid, {DETAIL_COLUMNS}) VALUES ({DETAIL_PARAMS})"
    ))?;
    let mut references = References::new(tx)?;
    // Index rows are written after all table rows: a statement on `listings` opens a savepoint, and
    // every savepoint makes FTS5 flush its pending terms to disk. Interleaved, that flushed one tiny
    // segment per listing and made batch upserts several times slower.
    let mut index_rows = Vec::with_capacity(listings.len());

    for l in listings {
        l.validate().map_err(|source| Error::InvalidRecord {
            record: "listing",
            id: l.id,
            source,
        })?;
        let org = references.folded_organization_name(l)?;
        let (lat, lon) = match l.building_id {
            Some(building) => references.building_location(l.id, building)?,
            None => (None, None),
        };
        let id = l.id.to_string();
        let apply_via = serde_json::to_string(&l.apply_via)
            .map_err(|e| Error::BadStoredValue(e.to_string()))?;
        // In the order of WRITE_COLUMNS, after the id; the rowid goes last for UPDATE.
        let values: [&dyn ToSql; ROWID_PARAM - 1] = [
            &id,
            &l.organization_id.to_string(),
            &l.building_id.map(|b| b.to_string()),
            &l.category.code(),
            &l.employment_type.code(),
            &l.work_mode.code(),
            &fold(&l.city),
            &l.region.code(),
            &l.salary.and_then(|s| s.monthly_upper()).map(|v| v as i64),
            &Accommodation::mask_of(&l.accommodations),
            &WorkLanguage::mask_of(&l.languages),
            &to_millis(l.posted_at),
            &l.valid_through.map(to_millis),
            &l.status.code(),
            &l.version,
            &lat,
            &lon,
        ];
        let existing = if insert.execute(&values[..])? == 1 {
            None
        } else {
            let rowid: i64 = find.query_row([&id], |r| r.get(0))?;
            update.execute(params_from_iter(
                values.iter().copied().chain([&rowid as &dyn ToSql]),
            ))?;
            Some(rowid)
        };
        let rowid = existing.unwrap_or_else(|| tx.last_insert_rowid());
        details.execute(params![
            rowid,
            l.title,
            l.description,
            l.city,
            l.salary.and_then(|s| s.min).map(|v| v as i64),
            l.salary.and_then(|s| s.max).map(|v| v as i64),
            l.salary.map(|s| s.period.code()),
            apply_via,
        ])?;
        index_rows.push((rowid, existing.is_some(), l, org));
    }
    let mut index = FtsWriter::new(tx)?;
    for (rowid, replaces, l, org) in index_rows {
        if replaces {
            index.remove(rowid)?;
        }
        index.add(rowid, &l.title, &l.description, &org, &l.city)?;
    }
    Ok(())
}

/// The columns [`upsert`] writes (all but `id` and `rowid`), and their positional parameters:
/// `?1` is the id, `?2`.. follow the columns, and UPDATE takes the rowid last.
const WRITE_COLUMNS: &str = "organization_id, building_id, category, employment_type, work_mode, \
     city_key, region, salary_monthly, accommodations, languages, posted_at, valid_through, status, \
     version, lat, lon";
const WRITE_PARAMS: &str =
    "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17";
const UPDATE_PARAMS: &str =
    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17";
const ROWID_PARAM: usize = 18;
const DETAIL_COLUMNS: &str =
    "title, description, city, salary_min, salary_max, salary_period, apply_via";
const DETAIL_PARAMS: &str = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8";

/// Looks up what listings refer to, once per organization or building in a batch (pages from the
/// server hold many listings of few organizations).
struct References<'tx> {
    org_stmt: rusqlite::CachedStatement<'tx>,
    building_stmt: rusqlite::CachedStatement<'tx>,
    /// Folded names, as the index row takes them; folded once per organization and batch.
    org_names: HashMap<Uuid, Rc<str>>,
    locations: HashMap<Uuid, (Option<f64>, Option<f64>)>,
}

impl<'tx> References<'tx> {
    fn new(tx: &'tx Transaction<'_>) -> Result<Self> {
        Ok(References {
            org_stmt: tx.prepare_cached("SELECT name FROM organizations WHERE id = ?1")?,
            building_stmt: tx.prepare_cached("SELECT lat, lon FROM buildings WHERE id = ?1")?,
            org_names: HashMap::new(),
            locations: HashMap::new(),
        })
    }

    fn folded_organization_name(&mut self, l: &JobListing) -> Result<Rc<str>> {
        if let Some(name) = self.org_names.get(&l.organization_id) {
            return Ok(Rc::clone(name));
        }
        let name: Option<String> = self
            .org_stmt
            .query_row([l.organization_id.to_string()], |r| r.get(0))
            .optional()?;
        let name = name.ok_or(Error::MissingReference {
            record: "listing",
            id: l.id,
            refers_to: "organization",
            target: l.organization_id,
        })?;
        let folded: Rc<str> = fold(&name).into();
        self.org_names.insert(l.organization_id, Rc::clone(&folded));
        Ok(folded)
    }

    fn building_location(
        &mut self,
        listing: Uuid,
        building: Uuid,
    ) -> Result<(Option<f64>, Option<f64>)> {
        if let Some(location) = self.locations.get(&building) {
            return Ok(*location);
        }
        let location = self
            .building_stmt
            .query_row([building.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or(Error::MissingReference {
                record: "listing",
                id: listing,
                refers_to: "building",
                target: building,
            })?;
        self.locations.insert(building, location);
        Ok(location)
    }
}

pub(super) fn delete(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached("DELETE FROM listings WHERE id = ?1 RETURNING rowid")?;
    let mut removed = Vec::with_capacity(ids.len());
    for id in ids {
        removed.extend(
            stmt.query_row([id.to_string()], |r| r.get::<_, i64>(0))
                .optional()?,
        );
    }
    // After the table statements, as in `upsert`, so FTS5 is not flushed once per row.
    let mut index = FtsWriter::new(tx)?;
    for rowid in removed {
        index.forget(rowid)?;
    }
    Ok(())
}

pub(super) fn delete_of_organizations(tx: &Transaction<'_>, org_ids: &[Uuid]) -> Result<()> {
    // One scan for the whole batch: listings have no index on organization_id (see 001_init.sql).
    let removed = tx
        .prepare_cached(
            "DELETE FROM listings WHERE organization_id IN (SELECT value FROM json_each(?1))
             RETURNING rowid",
        )?
        .query_map([id_list(org_ids)], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut index = FtsWriter::new(tx)?;
    for rowid in removed {
        index.forget(rowid)?;
    }
    Ok(())
}

/// Rewrites the index rows of an organization's listings after its name changed.
pub(super) fn reindex_organization(tx: &Transaction<'_>, org_id: Uuid) -> Result<()> {
    let rows = tx
        .prepare_cached(
            "SELECT l.rowid, d.title, d.description, o.name, d.city
             FROM listings l JOIN listing_details d ON d.rowid = l.rowid
             JOIN organizations o ON o.id = l.organization_id
             WHERE l.organization_id = ?1",
        )?
        .query_map([org_id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut index = FtsWriter::new(tx)?;
    for (rowid, title, description, org, city) in rows {
        index.remove(rowid)?;
        index.add(rowid, &title, &description, &fold(&org), &city)?;
    }
    Ok(())
}

pub(super) fn get(conn: &Connection, id: Uuid) -> Result<Option<JobListing>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM listings l JOIN listing_details d ON d.rowid = l.rowid WHERE l.id = ?1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id.to_string()])?;
    match rows.next()? {
        Some(row) => Ok(Some(from_row(row)?)),
        None => Ok(None),
    }
}

/// Writes what hangs off a listing row by rowid: its folded text in the contentless full-text index,
/// and (on removal) its details row.
struct FtsWriter<'tx> {
    remove: rusqlite::CachedStatement<'tx>,
    forget_details: rusqlite::CachedStatement<'tx>,
    insert: rusqlite::CachedStatement<'tx>,
}

impl<'tx> FtsWriter<'tx> {
    fn new(tx: &'tx Transaction<'_>) -> Result<Self> {
        Ok(FtsWriter {
            remove: tx.prepare_cached("DELETE FROM listing_fts WHERE rowid = ?1")?,
            forget_details: tx.prepare_cached("DELETE FROM listing_details WHERE rowid = ?1")?,
            insert: tx.prepare_cached(
                "INSERT INTO listing_fts (rowid, title, body, org, place) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
        })
    }

    /// Indexes a row that has no index row yet (a new listing, or one just removed from the index).
    /// The organization's name comes folded: a batch folds each name once, not once per listing.
    fn add(
        &mut self,
        rowid: i64,
        title: &str,
        body: &str,
        folded_org: &str,
        place: &str,
    ) -> Result<()> {
        self.insert.execute(params![
            rowid,
            fold(title),
            fold(body),
            folded_org,
            fold(place)
        ])?;
        Ok(())
    }

    fn remove(&mut self, rowid: i64) -> Result<()> {
        self.remove.execute([rowid])?;
        Ok(())
    }

    /// Drops the row's details along with its index row (the listing row itself is already gone).
    fn forget(&mut self, rowid: i64) -> Result<()> {
        self.remove(rowid)?;
        self.forget_details.execute([rowid])?;
        Ok(())
    }
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| Error::BadStoredValue(format!("bad id {s:?}: {e}")))
}

/// Reads the [`COLUMNS`] of a row back into a listing.
pub(crate) fn from_row(r: &Row<'_>) -> Result<JobListing> {
    let building: Option<String> = r.get(2)?;
    let period: Option<String> = r.get(12)?;
    let salary = match period {
        Some(period) => Some(Salary {
            min: r.get::<_, Option<i64>>(10)?.map(|v| v as u64),
            max: r.get::<_, Option<i64>>(11)?.map(|v| v as u64),
            period: SalaryPeriod::from_code(&period)?,
        }),
        None => None,
    };
    let apply_via: String = r.get(15)?;
    let apply_via: Vec<ApplyMethod> = serde_json::from_str(&apply_via)
        .map_err(|e| Error::BadStoredValue(format!("apply_via: {e}")))?;
    Ok(JobListing {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        organization_id: parse_uuid(&r.get::<_, String>(1)?)?,
        building_id: building.as_deref().map(parse_uuid).transpose()?,
        title: r.get(3)?,
        description: r.get(4)?,
        category: JobCategory::from_code(&r.get::<_, String>(5)?)?,
        employment_type: EmploymentType::from_code(&r.get::<_, String>(6)?)?,
        work_mode: WorkMode::from_code(&r.get::<_, String>(7)?)?,
        city: r.get(8)?,
        region: Region::from_code(&r.get::<_, String>(9)?)?,
        salary,
        accommodations: Accommodation::from_mask(r.get(13)?),
        languages: WorkLanguage::from_mask(r.get(14)?),
        apply_via,
        posted_at: from_millis(r.get(16)?)?,
        valid_through: r.get::<_, Option<i64>>(17)?.map(from_millis).transpose()?,
        status: ListingStatus::from_code(&r.get::<_, String>(18)?)?,
        version: r.get(19)?,
    })
}

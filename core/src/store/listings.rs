use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::{
    Accommodation, ApplyMethod, BitSet, EmploymentType, JobCategory, JobListing, ListingStatus,
    Region, Salary, SalaryPeriod, Validate, WorkLanguage, WorkMode,
};
use crate::search::text::fold;

use super::is_foreign_key_violation;
use super::time::{from_millis, to_millis};

/// Columns read back into a [`JobListing`], in the order [`from_row`] expects. Search selects the same.
pub(crate) const COLUMNS: &str = "l.id, l.organization_id, l.building_id, l.title, l.description, \
     l.category, l.employment_type, l.work_mode, l.city, l.region, l.salary_min, l.salary_max, \
     l.salary_period, l.accommodations, l.languages, l.apply_via, l.posted_at, l.valid_through, \
     l.status, l.version";

/// The number of columns in [`COLUMNS`]; extra selected columns start at this index.
pub(crate) const COLUMN_COUNT: usize = 20;

pub(super) fn upsert(tx: &Transaction<'_>, listings: &[JobListing]) -> Result<()> {
    if listings.is_empty() {
        return Ok(());
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO listings (id, organization_id, building_id, title, description, category,
             employment_type, work_mode, city, city_key, region, salary_min, salary_max,
             salary_period, salary_monthly, accommodations, languages, apply_via, posted_at,
             valid_through, status, version, lat, lon)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21, ?22,
             (SELECT lat FROM buildings WHERE id = ?3), (SELECT lon FROM buildings WHERE id = ?3))
         ON CONFLICT(id) DO UPDATE SET organization_id = excluded.organization_id,
             building_id = excluded.building_id, title = excluded.title,
             description = excluded.description, category = excluded.category,
             employment_type = excluded.employment_type, work_mode = excluded.work_mode,
             city = excluded.city, city_key = excluded.city_key, region = excluded.region,
             salary_min = excluded.salary_min, salary_max = excluded.salary_max,
             salary_period = excluded.salary_period, salary_monthly = excluded.salary_monthly,
             accommodations = excluded.accommodations, languages = excluded.languages,
             apply_via = excluded.apply_via, posted_at = excluded.posted_at,
             valid_through = excluded.valid_through, status = excluded.status,
             version = excluded.version, lat = excluded.lat, lon = excluded.lon
         RETURNING rowid",
    )?;
    let mut org_name = tx.prepare_cached("SELECT name FROM organizations WHERE id = ?1")?;
    let mut index = FtsWriter::new(tx)?;
    // Pages from the server hold many listings of few organizations.
    let mut org_names: HashMap<Uuid, String> = HashMap::new();

    for l in listings {
        l.validate().map_err(|source| Error::InvalidRecord {
            record: "listing",
            id: l.id,
            source,
        })?;
        let org = match org_names.get(&l.organization_id) {
            Some(name) => name.clone(),
            None => {
                let name: Option<String> = org_name
                    .query_row([l.organization_id.to_string()], |r| r.get(0))
                    .optional()?;
                let name = name.ok_or(Error::MissingReference {
                    record: "listing",
                    id: l.id,
                    refers_to: "organization",
                    target: l.organization_id,
                })?;
                org_names.insert(l.organization_id, name.clone());
                name
            }
        };
        let apply_via = serde_json::to_string(&l.apply_via)
            .map_err(|e| Error::BadStoredValue(e.to_string()))?;
        let rowid: i64 = upsert
            .query_row(
                params![
                    l.id.to_string(),
                    l.organization_id.to_string(),
                    l.building_id.map(|b| b.to_string()),
                    l.title,
                    l.description,
                    l.category.code(),
                    l.employment_type.code(),
                    l.work_mode.code(),
                    l.city,
                    fold(&l.city),
                    l.region.code(),
                    l.salary.and_then(|s| s.min).map(|v| v as i64),
                    l.salary.and_then(|s| s.max).map(|v| v as i64),
                    l.salary.map(|s| s.period.code()),
                    l.salary.and_then(|s| s.monthly_upper()).map(|v| v as i64),
                    Accommodation::mask_of(&l.accommodations),
                    WorkLanguage::mask_of(&l.languages),
                    apply_via,
                    to_millis(l.posted_at),
                    l.valid_through.map(to_millis),
                    l.status.code(),
                    l.version,
                ],
                |r| r.get(0),
            )
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::MissingReference {
                        record: "listing",
                        id: l.id,
                        refers_to: "building",
                        target: l.building_id.unwrap_or_default(),
                    }
                } else {
                    e.into()
                }
            })?;
        index.put(rowid, &l.title, &l.description, &org, &l.city)?;
    }
    Ok(())
}

pub(super) fn delete(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached("DELETE FROM listings WHERE id = ?1 RETURNING rowid")?;
    let mut index = FtsWriter::new(tx)?;
    for id in ids {
        let rowid: Option<i64> = stmt.query_row([id.to_string()], |r| r.get(0)).optional()?;
        if let Some(rowid) = rowid {
            index.remove(rowid)?;
        }
    }
    Ok(())
}

pub(super) fn delete_of_organizations(tx: &Transaction<'_>, org_ids: &[Uuid]) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("DELETE FROM listings WHERE organization_id = ?1 RETURNING rowid")?;
    let mut index = FtsWriter::new(tx)?;
    for org in org_ids {
        let rowids = stmt
            .query_map([org.to_string()], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for rowid in rowids {
            index.remove(rowid)?;
        }
    }
    Ok(())
}

/// Rewrites the index rows of an organization's listings after its name changed.
pub(super) fn reindex_organization(tx: &Transaction<'_>, org_id: Uuid) -> Result<()> {
    let rows = tx
        .prepare_cached(
            "SELECT l.rowid, l.title, l.description, o.name, l.city
             FROM listings l JOIN organizations o ON o.id = l.organization_id
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
        index.put(rowid, &title, &description, &org, &city)?;
    }
    Ok(())
}

pub(super) fn get(conn: &Connection, id: Uuid) -> Result<Option<JobListing>> {
    let sql = format!("SELECT {COLUMNS} FROM listings l WHERE l.id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id.to_string()])?;
    match rows.next()? {
        Some(row) => Ok(Some(from_row(row)?)),
        None => Ok(None),
    }
}

/// Writes the folded text of listings into the contentless full-text index.
struct FtsWriter<'tx> {
    remove: rusqlite::CachedStatement<'tx>,
    insert: rusqlite::CachedStatement<'tx>,
}

impl<'tx> FtsWriter<'tx> {
    fn new(tx: &'tx Transaction<'_>) -> Result<Self> {
        Ok(FtsWriter {
            remove: tx.prepare_cached("DELETE FROM listing_fts WHERE rowid = ?1")?,
            insert: tx.prepare_cached(
                "INSERT INTO listing_fts (rowid, title, body, org, place) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
        })
    }

    fn put(&mut self, rowid: i64, title: &str, body: &str, org: &str, place: &str) -> Result<()> {
        self.remove(rowid)?;
        self.insert.execute(params![
            rowid,
            fold(title),
            fold(body),
            fold(org),
            fold(place)
        ])?;
        Ok(())
    }

    fn remove(&mut self, rowid: i64) -> Result<()> {
        self.remove.execute([rowid])?;
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

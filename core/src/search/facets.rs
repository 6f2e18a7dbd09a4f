//! What search filters and sorts read, for every listing, held in memory.
//!
//! SQLite answers "which listings contain these words" quickly, but filtering and ordering tens of
//! thousands of candidates row by row through SQL cost tens of milliseconds on a cheap phone (a 10 km
//! circle around central Bishkek holds a third of all listings). Here each listing is a small fixed
//! record (about 80 bytes; 8 MB for 100k listings), so a full pass takes well under a millisecond.
//!
//! The facets are rebuilt from the database, lazily, on the first search after any write (the store
//! counts its commits). A sync page therefore costs one rebuild, not one per search.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Type;
use rusqlite::{Connection, Row};

use crate::accessibility::AccessRequirement;
use crate::error::Result;
use crate::model::{EmploymentType, JobCategory, ListingStatus, Region, WorkMode};
use crate::store::access;

/// Requirement codes of a listing's building, in `AccessRequirement::ALL` order (0 when unknown).
pub(crate) type AccessCodes = [i8; 8];

#[derive(Debug, Clone, Copy)]
pub(crate) struct Facet {
    pub rowid: i64,
    pub posted_at: i64,
    /// `i64::MAX` when the listing has no closing date.
    pub valid_through: i64,
    /// -1 when the listing states no salary.
    pub salary_monthly: i64,
    pub accommodations: i64,
    /// NaN when the listing has no building.
    pub lat: f64,
    pub lon: f64,
    pub status: ListingStatus,
    pub employment_type: EmploymentType,
    pub work_mode: WorkMode,
    pub category: JobCategory,
    pub region: Region,
    /// Index into [`Facets::cities`].
    pub city: u32,
    pub verified: bool,
    pub has_building: bool,
    pub access: AccessCodes,
}

pub(crate) struct Facets {
    /// The store's write count these facets reflect.
    pub generation: u64,
    /// Sorted by rowid.
    pub rows: Vec<Facet>,
    /// `positions[rowid]` is 1 + the index of that rowid's facet in `rows`, or 0. SQLite hands out
    /// rowids densely, so this is a few bytes a listing, and it turns the lookup of each word match
    /// into one memory access instead of a binary search (which was half of a keyword search's time).
    positions: Vec<u32>,
    /// Folded city name → the `city` number used in [`Facet`].
    pub cities: HashMap<String, u32>,
    /// The word matches of the last few broad queries, for this generation of the data.
    pub broad: super::engine::BroadMatches,
}

impl Facets {
    pub fn get(&self, rowid: i64) -> Option<&Facet> {
        match usize::try_from(rowid)
            .ok()
            .and_then(|r| self.positions.get(r))
        {
            Some(&0) => None,
            Some(&position) => self.rows.get(position as usize - 1),
            // Beyond the dense table (see `index_positions`): search.
            None => self
                .rows
                .binary_search_by_key(&rowid, |f| f.rowid)
                .ok()
                .map(|i| &self.rows[i]),
        }
    }

    /// Fills `positions` for rowids up to a bound proportional to the number of rows, so a stray huge
    /// rowid cannot make it allocate without limit; rowids past the bound fall back to a search.
    fn index_positions(&mut self) {
        let bound = self.rows.len() * 4 + 1024;
        let max = self
            .rows
            .iter()
            .map(|f| f.rowid)
            .filter(|&r| r >= 0 && (r as usize) < bound)
            .max()
            .unwrap_or(0) as usize;
        let mut positions = vec![0u32; max + 1];
        for (i, f) in self.rows.iter().enumerate() {
            if let Some(slot) = usize::try_from(f.rowid)
                .ok()
                .and_then(|r| positions.get_mut(r))
            {
                *slot = i as u32 + 1;
            }
        }
        self.positions = positions;
    }

    pub fn load(conn: &Connection, generation: u64) -> Result<Facets> {
        // The organization and building of each listing are joined here through hash maps rather
        // than by SQLite: a b-tree lookup by text id, twice per listing, was half of the load.
        let verified = verified_organizations(conn)?;
        let building_access = building_access_codes(conn)?;
        let mut stmt = conn.prepare(
            "SELECT rowid, posted_at, valid_through, salary_monthly, accommodations, lat, lon,
                    status, employment_type, work_mode, category, region, city_key,
                    organization_id, building_id
             FROM listings ORDER BY rowid",
        )?;
        let mut rows = stmt.query([])?;
        let mut facets = Facets {
            generation,
            rows: Vec::new(),
            positions: Vec::new(),
            cities: HashMap::new(),
            broad: Default::default(),
        };
        while let Some(r) = rows.next()? {
            let city_key = text(r, 12)?;
            let city = match facets.cities.get(city_key) {
                Some(&city) => city,
                None => {
                    let next = facets.cities.len() as u32;
                    facets.cities.insert(city_key.to_string(), next);
                    next
                }
            };
            let building = r.get_ref(14)?.as_str_or_null().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(14, Type::Text, Box::new(e))
            })?;
            facets.rows.push(Facet {
                rowid: r.get(0)?,
                posted_at: r.get(1)?,
                valid_through: r.get::<_, Option<i64>>(2)?.unwrap_or(i64::MAX),
                salary_monthly: r.get::<_, Option<i64>>(3)?.unwrap_or(-1),
                accommodations: r.get(4)?,
                lat: r.get::<_, Option<f64>>(5)?.unwrap_or(f64::NAN),
                lon: r.get::<_, Option<f64>>(6)?.unwrap_or(f64::NAN),
                status: ListingStatus::from_code(text(r, 7)?)?,
                employment_type: EmploymentType::from_code(text(r, 8)?)?,
                work_mode: WorkMode::from_code(text(r, 9)?)?,
                category: JobCategory::from_code(text(r, 10)?)?,
                region: Region::from_code(text(r, 11)?)?,
                city,
                has_building: building.is_some(),
                verified: verified.contains(text(r, 13)?),
                access: building
                    .and_then(|b| building_access.get(b))
                    .copied()
                    .unwrap_or([0; 8]),
            });
        }
        facets.index_positions();
        Ok(facets)
    }
}

/// A text column read in place (no allocation per row).
fn text<'r>(r: &'r Row<'_>, i: usize) -> Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)).into())
}

/// Ids of the organizations Teng's administrators checked.
fn verified_organizations(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare("SELECT id FROM organizations WHERE verified")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Each building's requirement codes, clamped to what [`AccessCodes`] holds.
fn building_access_codes(conn: &Connection) -> Result<HashMap<String, AccessCodes>> {
    let columns: Vec<&str> = AccessRequirement::ALL
        .iter()
        .map(|r| access::column(*r))
        .collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT building_id, {} FROM building_access",
        columns.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    let mut codes = HashMap::new();
    while let Some(r) = rows.next()? {
        let mut access: AccessCodes = [0; 8];
        for (i, code) in access.iter_mut().enumerate().take(columns.len()) {
            *code = r.get::<_, i64>(1 + i)?.clamp(-1, 2) as i8;
        }
        codes.insert(r.get(0)?, access);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facet(rowid: i64) -> Facet {
        Facet {
            rowid,
            posted_at: 0,
            valid_through: i64::MAX,
            salary_monthly: -1,
            accommodations: 0,
            lat: f64::NAN,
            lon: f64::NAN,
            status: ListingStatus::Published,
            employment_type: EmploymentType::FullTime,
            work_mode: WorkMode::Remote,
            category: JobCategory::Other,
            region: Region::Bishkek,
            city: 0,
            verified: false,
            has_building: false,
            access: [0; 8],
        }
    }

    #[test]
    fn lookup_finds_dense_and_stray_rowids_and_nothing_else() {
        let mut facets = Facets {
            generation: 0,
            rows: [1, 2, 5, 7_000_000_000].into_iter().map(facet).collect(),
            positions: Vec::new(),
            cities: HashMap::new(),
            broad: Default::default(),
        };
        facets.index_positions();
        assert!(
            facets.positions.len() < 2_000,
            "a stray rowid must not size the table"
        );
        for rowid in [1, 2, 5, 7_000_000_000] {
            assert_eq!(facets.get(rowid).map(|f| f.rowid), Some(rowid));
        }
        for rowid in [-1, 0, 3, 6, 1_000, 7_000_000_001] {
            assert!(facets.get(rowid).is_none(), "{rowid}");
        }
    }
}

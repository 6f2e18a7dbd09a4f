//! What search filters and sorts read, for every listing, held in memory.
//!
//! SQLite answers "which listings contain these words" quickly, but filtering and ordering tens of
//! thousands of candidates row by row through SQL cost tens of milliseconds on a cheap phone (a 10 km
//! circle around central Bishkek holds a third of all listings). Here each listing is a small fixed
//! record (about 80 bytes; 8 MB for 100k listings), so a full pass takes well under a millisecond.
//!
//! The facets are rebuilt from the database, lazily, on the first search after any write (the store
//! counts its commits). A sync page therefore costs one rebuild, not one per search.

use std::collections::HashMap;

use rusqlite::Connection;

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
        let access_columns: Vec<String> = AccessRequirement::ALL
            .iter()
            .map(|r| format!("coalesce(a.{}, 0)", access::column(*r)))
            .collect();
        let sql = format!(
            "SELECT l.rowid, l.posted_at, l.valid_through, l.salary_monthly, l.accommodations,
                    l.lat, l.lon, l.status, l.employment_type, l.work_mode, l.category, l.region,
                    l.city_key, l.building_id IS NOT NULL, coalesce(o.verified, 0), {}
             FROM listings l
             LEFT JOIN organizations o ON o.id = l.organization_id
             LEFT JOIN building_access a ON a.building_id = l.building_id
             ORDER BY l.rowid",
            access_columns.join(", ")
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut facets = Facets {
            generation,
            rows: Vec::new(),
            positions: Vec::new(),
            cities: HashMap::new(),
        };
        while let Some(r) = rows.next()? {
            let city_key: String = r.get(12)?;
            let next_city = facets.cities.len() as u32;
            let city = *facets.cities.entry(city_key).or_insert(next_city);
            let mut access: AccessCodes = [0; 8];
            for (i, code) in access
                .iter_mut()
                .enumerate()
                .take(AccessRequirement::ALL.len())
            {
                *code = r.get::<_, i64>(15 + i)?.clamp(-1, 2) as i8;
            }
            facets.rows.push(Facet {
                rowid: r.get(0)?,
                posted_at: r.get(1)?,
                valid_through: r.get::<_, Option<i64>>(2)?.unwrap_or(i64::MAX),
                salary_monthly: r.get::<_, Option<i64>>(3)?.unwrap_or(-1),
                accommodations: r.get(4)?,
                lat: r.get::<_, Option<f64>>(5)?.unwrap_or(f64::NAN),
                lon: r.get::<_, Option<f64>>(6)?.unwrap_or(f64::NAN),
                status: ListingStatus::from_code(&r.get::<_, String>(7)?)?,
                employment_type: EmploymentType::from_code(&r.get::<_, String>(8)?)?,
                work_mode: WorkMode::from_code(&r.get::<_, String>(9)?)?,
                category: JobCategory::from_code(&r.get::<_, String>(10)?)?,
                region: Region::from_code(&r.get::<_, String>(11)?)?,
                city,
                has_building: r.get(13)?,
                verified: r.get(14)?,
                access,
            });
        }
        facets.index_positions();
        Ok(facets)
    }
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

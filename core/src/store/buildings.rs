use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::{Address, Building, GeoPoint, Region, Validate};

use super::id_list;

pub(super) fn upsert(tx: &Transaction<'_>, buildings: &[Building]) -> Result<()> {
    if buildings.is_empty() {
        return Ok(());
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO buildings (id, name, street, city, region, lat, lon, osm_id, district)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, street = excluded.street,
             city = excluded.city, region = excluded.region, lat = excluded.lat,
             lon = excluded.lon, osm_id = excluded.osm_id, district = excluded.district",
    )?;
    let mut old_location = tx.prepare_cached("SELECT lat, lon FROM buildings WHERE id = ?1")?;
    // Listings carry their building's coordinates for distance search; keep them in step. Listings
    // have no index on building_id (see 001_init.sql), so this scan runs only when a building moved.
    let mut move_listings =
        tx.prepare_cached("UPDATE listings SET lat = ?2, lon = ?3 WHERE building_id = ?1")?;
    for b in buildings {
        b.validate().map_err(|source| Error::InvalidRecord {
            record: "building",
            id: b.id,
            source,
        })?;
        let id = b.id.to_string();
        let before: Option<(f64, f64)> = old_location
            .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        upsert.execute(params![
            id,
            b.name,
            b.address.street,
            b.address.city,
            b.address.region.code(),
            b.location.lat,
            b.location.lon,
            b.osm_id,
            b.address.district,
        ])?;
        if before.is_some_and(|(lat, lon)| (lat, lon) != (b.location.lat, b.location.lon)) {
            move_listings.execute(params![id, b.location.lat, b.location.lon])?;
        }
    }
    Ok(())
}

/// Listings in a deleted building keep existing, without a building or a location.
pub(super) fn delete(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // One scan of listings for the whole batch (they have no index on building_id).
    tx.prepare_cached(
        "UPDATE listings SET building_id = NULL, lat = NULL, lon = NULL
         WHERE building_id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([id_list(ids)])?;
    let mut stmt = tx.prepare_cached("DELETE FROM buildings WHERE id = ?1")?;
    for id in ids {
        stmt.execute([id.to_string()])?;
    }
    Ok(())
}

pub(super) fn get(conn: &Connection, id: Uuid) -> Result<Option<Building>> {
    let row = conn
        .prepare_cached(
            "SELECT name, street, city, region, lat, lon, osm_id, district FROM buildings WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                GeoPoint::new(r.get(4)?, r.get(5)?),
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })
        .optional()?;
    row.map(|(name, street, city, region, location, osm_id, district)| {
        Ok(Building {
            id,
            name,
            address: Address {
                street,
                city,
                district,
                region: Region::from_code(&region)?,
            },
            location,
            osm_id,
        })
    })
    .transpose()
}

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::{Address, Building, GeoPoint, Region, Validate};

pub(super) fn upsert(tx: &Transaction<'_>, buildings: &[Building]) -> Result<()> {
    if buildings.is_empty() {
        return Ok(());
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO buildings (id, name, street, city, region, lat, lon, osm_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, street = excluded.street,
             city = excluded.city, region = excluded.region, lat = excluded.lat,
             lon = excluded.lon, osm_id = excluded.osm_id",
    )?;
    // Listings carry their building's coordinates for distance search; keep them in step.
    let mut move_listings = tx.prepare_cached(
        "UPDATE listings SET lat = ?2, lon = ?3
         WHERE building_id = ?1 AND (lat IS NOT ?2 OR lon IS NOT ?3)",
    )?;
    for b in buildings {
        b.validate().map_err(|source| Error::InvalidRecord {
            record: "building",
            id: b.id,
            source,
        })?;
        let id = b.id.to_string();
        upsert.execute(params![
            id,
            b.name,
            b.address.street,
            b.address.city,
            b.address.region.code(),
            b.location.lat,
            b.location.lon,
            b.osm_id,
        ])?;
        move_listings.execute(params![id, b.location.lat, b.location.lon])?;
    }
    Ok(())
}

/// Listings in a deleted building keep existing without a location (the foreign key sets it null).
pub(super) fn delete(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<()> {
    let mut clear =
        tx.prepare_cached("UPDATE listings SET lat = NULL, lon = NULL WHERE building_id = ?1")?;
    let mut stmt = tx.prepare_cached("DELETE FROM buildings WHERE id = ?1")?;
    for id in ids {
        let id = id.to_string();
        clear.execute([&id])?;
        stmt.execute([&id])?;
    }
    Ok(())
}

pub(super) fn get(conn: &Connection, id: Uuid) -> Result<Option<Building>> {
    let row = conn
        .prepare_cached(
            "SELECT name, street, city, region, lat, lon, osm_id FROM buildings WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                GeoPoint::new(r.get(4)?, r.get(5)?),
                r.get::<_, Option<String>>(6)?,
            ))
        })
        .optional()?;
    row.map(|(name, street, city, region, location, osm_id)| {
        Ok(Building {
            id,
            name,
            address: Address {
                street,
                city,
                region: Region::from_code(&region)?,
            },
            location,
            osm_id,
        })
    })
    .transpose()
}

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::{Contact, Organization, OrganizationKind, Validate};

use super::listings;

pub(super) fn upsert(tx: &Transaction<'_>, organizations: &[Organization]) -> Result<()> {
    if organizations.is_empty() {
        return Ok(());
    }
    let mut old_name = tx.prepare_cached("SELECT name FROM organizations WHERE id = ?1")?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO organizations (id, name, kind, phone, email, website, verified)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
             phone = excluded.phone, email = excluded.email, website = excluded.website,
             verified = excluded.verified",
    )?;
    for org in organizations {
        org.validate().map_err(|source| Error::InvalidRecord {
            record: "organization",
            id: org.id,
            source,
        })?;
        let id = org.id.to_string();
        let previous: Option<String> = old_name.query_row([&id], |r| r.get(0)).optional()?;
        upsert.execute(params![
            id,
            org.name,
            org.kind.code(),
            org.contact.phone,
            org.contact.email,
            org.contact.website,
            org.verified,
        ])?;
        // The organization's name is searchable through its listings' index rows.
        if previous.is_some_and(|name| name != org.name) {
            listings::reindex_organization(tx, org.id)?;
        }
    }
    Ok(())
}

pub(super) fn delete(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // Listings go with their organization, index rows included.
    listings::delete_of_organizations(tx, ids)?;
    let mut stmt = tx.prepare_cached("DELETE FROM organizations WHERE id = ?1")?;
    for id in ids {
        stmt.execute([id.to_string()])?;
    }
    Ok(())
}

pub(super) fn get(conn: &Connection, id: Uuid) -> Result<Option<Organization>> {
    let row = conn
        .prepare_cached(
            "SELECT name, kind, phone, email, website, verified FROM organizations WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                Contact {
                    phone: r.get(2)?,
                    email: r.get(3)?,
                    website: r.get(4)?,
                },
                r.get::<_, bool>(5)?,
            ))
        })
        .optional()?;
    row.map(|(name, kind, contact, verified)| {
        Ok(Organization {
            id,
            name,
            kind: OrganizationKind::from_code(&kind)?,
            contact,
            verified,
        })
    })
    .transpose()
}

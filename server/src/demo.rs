//! `teng-server demo`: a database filled with demo data and three demo accounts.
//!
//! The data comes from the core's deterministic generator and is inserted in one transaction.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use teng_core::generator::{DataSize, Generator};
use teng_core::model::{Building, JobListing, Organization};

use crate::auth::{self, PasswordCost, Role};
use crate::storage::{Storage, StorageError, User};

/// Organizations, buildings and listings for a demo of `listings` listings, from the core's
/// deterministic generator (the same seed gives the same data).
pub fn generate(
    seed: u64,
    listings: usize,
    now: DateTime<Utc>,
) -> (Vec<Organization>, Vec<Building>, Vec<JobListing>) {
    let generator = Generator::new(seed, DataSize::for_listings(listings), now);
    (
        generator.organizations(),
        generator.buildings(),
        generator.listings().collect(),
    )
}

/// A demo account as printed to the terminal.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: Role,
    pub username: String,
    pub password: String,
}

/// Fills `storage` with demo data (one transaction) and creates admin, ngo and city accounts with
/// fresh random passwords.
pub fn seed(
    storage: &dyn Storage,
    listings: usize,
    cost: PasswordCost,
    now: DateTime<Utc>,
) -> Result<Vec<DemoAccount>, StorageError> {
    let (orgs, buildings, list) = generate(2026, listings, now);
    storage.import(&orgs, &buildings, &list, now)?;
    let accounts = [
        (Role::Admin, "admin", None, None),
        (Role::Ngo, "ngo", orgs.first().map(|o| o.id), None),
        (Role::City, "city", None, Some("Bishkek".to_string())),
    ];
    let mut out = Vec::new();
    for (role, name, org, city) in accounts {
        let password = auth::random_password().map_err(|e| StorageError::Internal(e.message))?;
        let hash =
            auth::hash_password(&password, cost).map_err(|e| StorageError::Internal(e.message))?;
        let user = User {
            id: Uuid::new_v4(),
            username: name.to_string(),
            role,
            organization_id: org,
            city,
            created_at: now,
        };
        storage.create_user(&user, &hash)?;
        out.push(DemoAccount {
            role,
            username: name.to_string(),
            password,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use teng_core::model::Validate;

    #[test]
    fn demo_data_is_valid_and_deterministic() {
        let now = Utc::now();
        let (orgs, buildings, listings) = generate(7, 200, now);
        for o in &orgs {
            o.validate().unwrap();
        }
        for b in &buildings {
            b.validate().unwrap();
        }
        for l in &listings {
            l.validate().unwrap();
        }
        let (_, _, again) = generate(7, 200, now);
        assert_eq!(listings, again);
    }
}

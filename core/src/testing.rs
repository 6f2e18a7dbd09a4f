//! Builders for hand-made records in tests: valid by default, changed field by field.

use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use crate::model::*;
use crate::Store;

/// A fixed "now" so tests about expiry and recency do not depend on the clock.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
}

pub(crate) fn organization(name: &str, verified: bool) -> Organization {
    Organization {
        id: Uuid::new_v4(),
        name: name.into(),
        kind: OrganizationKind::Employer,
        contact: Contact {
            phone: Some("+996 555 000 111".into()),
            email: None,
            website: None,
        },
        verified,
    }
}

pub(crate) fn building(name: &str, city: &str, region: Region, lat: f64, lon: f64) -> Building {
    Building {
        id: Uuid::new_v4(),
        name: name.into(),
        address: Address {
            street: "Чүй проспекти 1".into(),
            city: city.into(),
            district: None,
            region,
        },
        location: GeoPoint::new(lat, lon),
        osm_id: None,
    }
}

pub(crate) fn listing(org: &Organization, building: &Building, title: &str) -> JobListing {
    JobListing {
        id: Uuid::new_v4(),
        organization_id: org.id,
        title: title.into(),
        description: String::new(),
        category: JobCategory::Other,
        employment_type: EmploymentType::FullTime,
        work_mode: WorkMode::OnSite,
        building_id: Some(building.id),
        city: building.address.city.clone(),
        region: building.address.region,
        salary: None,
        accommodations: vec![],
        languages: vec![WorkLanguage::Russian],
        apply_via: vec![ApplyMethod {
            channel: ApplyChannel::Phone,
            value: "+996 555 123 456".into(),
        }],
        posted_at: now() - Duration::days(1),
        valid_through: None,
        status: ListingStatus::Published,
        version: 1,
    }
}

pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("teng.db")).unwrap();
    (dir, store)
}

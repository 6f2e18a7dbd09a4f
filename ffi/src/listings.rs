//! Job listings: the summary a search or the saved list shows, and the details screen with the
//! organization, the building and its accessibility in the store's language.

use chrono::{DateTime, Utc};
use teng_core::model;

use crate::accessibility::BuildingAccessibility;
use crate::enums::{
    Accommodation, ApplyChannel, EmploymentType, JobCategory, ListingStatus, OrganizationKind,
    Region, SalaryPeriod, WorkLanguage, WorkMode,
};
use crate::error::{parse_id, Result, TengError};
use crate::store::TengStore;

/// What a row in a result list shows.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ListingSummary {
    pub id: String,
    pub title: String,
    pub organization_id: String,
    pub organization_name: String,
    /// The organization was checked by Teng's administrators.
    pub organization_verified: bool,
    pub category: JobCategory,
    pub employment_type: EmploymentType,
    pub work_mode: WorkMode,
    pub city: String,
    pub region: Region,
    pub salary: Option<Salary>,
    pub accommodations: Vec<Accommodation>,
    /// The workplace; `null`/`nil` for remote jobs.
    pub building_id: Option<String>,
    /// Milliseconds since 1970-01-01 UTC (`Instant.ofEpochMilli`, `Date(timeIntervalSince1970:)`).
    pub posted_at_ms: i64,
    pub valid_through_ms: Option<i64>,
    pub status: ListingStatus,
    /// Published and not past its closing date, now.
    pub is_open: bool,
}

/// Pay in Kyrgyz som (KGS). At least one of `min`, `max` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Salary {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub period: SalaryPeriod,
    /// The best monthly figure promised (the maximum, else the minimum, converted to a month):
    /// what "salary at least" filters and the salary sort compare.
    pub monthly_estimate: Option<u64>,
}

/// The details screen of one job.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ListingDetails {
    pub summary: ListingSummary,
    pub description: String,
    pub languages: Vec<WorkLanguage>,
    /// Accessible ways to apply (voice, text, messenger, email, in person).
    pub apply_via: Vec<ApplyMethod>,
    pub organization: OrganizationInfo,
    /// The workplace building; `null`/`nil` for remote jobs.
    pub building: Option<BuildingInfo>,
    /// The building's accessibility in the store's language; `null`/`nil` for remote jobs.
    pub accessibility: Option<BuildingAccessibility>,
    /// On the user's saved list.
    pub is_saved: bool,
    /// Server revision of the listing.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplyMethod {
    pub channel: ApplyChannel,
    /// The phone number, address or place.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrganizationInfo {
    pub id: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub verified: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BuildingInfo {
    pub id: String,
    pub name: String,
    pub street: String,
    pub city: String,
    /// The city's district, e.g. "Ленинский район", when known.
    pub district: Option<String>,
    pub region: Region,
    pub lat: f64,
    pub lon: f64,
    /// OpenStreetMap element such as `way/123456`.
    pub osm_id: Option<String>,
}

#[uniffi::export]
impl TengStore {
    /// One listing with everything its details screen shows. Errors: `InvalidInput` (field `id`),
    /// `NotFound` (not on this device, e.g. deleted by a sync).
    pub fn listing(&self, id: String) -> Result<ListingDetails> {
        self.call(|store, language| {
            let id = parse_id("id", &id)?;
            let listing = store
                .listing(id)?
                .ok_or_else(|| TengError::not_found("listing", id))?;
            let organization = store
                .organization(listing.organization_id)?
                .ok_or_else(|| TengError::not_found("organization", listing.organization_id))?;
            let (building, accessibility) = match listing.building_id {
                Some(building_id) => {
                    let building = store
                        .building(building_id)?
                        .ok_or_else(|| TengError::not_found("building", building_id))?;
                    let summary = store.building_summary(building_id)?;
                    let accessibility =
                        BuildingAccessibility::new(building_id, summary, language, Utc::now());
                    (Some(building.into()), Some(accessibility))
                }
                None => (None, None),
            };
            Ok(ListingDetails {
                description: listing.description.clone(),
                languages: listing.languages.iter().map(|l| (*l).into()).collect(),
                apply_via: listing
                    .apply_via
                    .iter()
                    .map(|a| ApplyMethod {
                        channel: a.channel.into(),
                        value: a.value.clone(),
                    })
                    .collect(),
                is_saved: store.is_saved(id)?,
                version: listing.version,
                building,
                accessibility,
                summary: ListingSummary::new(
                    listing,
                    organization.name.clone(),
                    organization.verified,
                    Utc::now(),
                ),
                organization: organization.into(),
            })
        })
    }
}

impl ListingSummary {
    pub(crate) fn new(
        listing: model::JobListing,
        organization_name: String,
        organization_verified: bool,
        now: DateTime<Utc>,
    ) -> ListingSummary {
        ListingSummary {
            is_open: listing.is_open_at(now),
            id: listing.id.to_string(),
            title: listing.title,
            organization_id: listing.organization_id.to_string(),
            organization_name,
            organization_verified,
            category: listing.category.into(),
            employment_type: listing.employment_type.into(),
            work_mode: listing.work_mode.into(),
            city: listing.city,
            region: listing.region.into(),
            salary: listing.salary.map(Into::into),
            accommodations: listing.accommodations.into_iter().map(Into::into).collect(),
            building_id: listing.building_id.map(|b| b.to_string()),
            posted_at_ms: listing.posted_at.timestamp_millis(),
            valid_through_ms: listing.valid_through.map(|t| t.timestamp_millis()),
            status: listing.status.into(),
        }
    }
}

impl From<model::Salary> for Salary {
    fn from(s: model::Salary) -> Self {
        Salary {
            monthly_estimate: s.monthly_upper(),
            min: s.min,
            max: s.max,
            period: s.period.into(),
        }
    }
}

impl From<model::Organization> for OrganizationInfo {
    fn from(o: model::Organization) -> Self {
        OrganizationInfo {
            id: o.id.to_string(),
            name: o.name,
            kind: o.kind.into(),
            verified: o.verified,
            phone: o.contact.phone,
            email: o.contact.email,
            website: o.contact.website,
        }
    }
}

impl From<model::Building> for BuildingInfo {
    fn from(b: model::Building) -> Self {
        BuildingInfo {
            id: b.id.to_string(),
            name: b.name,
            street: b.address.street,
            city: b.address.city,
            district: b.address.district,
            region: b.address.region.into(),
            lat: b.location.lat,
            lon: b.location.lon,
            osm_id: b.osm_id,
        }
    }
}

//! Job search: the query with every filter, and a page of hits with a keyset page token.

use teng_core::model::GeoPoint;
use teng_core::search as core;

use crate::accessibility::AccessRequirement;
use crate::enums::{
    AccessCertainty, Accommodation, EmploymentType, JobCategory, Region, SortOrder, WorkMode,
};
use crate::error::Result;
use crate::listings::ListingSummary;
use crate::store::TengStore;

/// Words and filters. Every field has a default, so `SearchQuery(text = "бухгалтер")` in Kotlin
/// and `SearchQuery(text: "бухгалтер")` in Swift are whole queries.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SearchQuery {
    /// Words as typed, in Kyrgyz, Russian or English, Cyrillic or Latin ("бухгалтер", "buhgalter");
    /// all words must match (as prefixes). Empty: every listing the filters let through.
    #[uniffi(default)]
    pub text: String,
    #[uniffi(default)]
    pub filters: SearchFilters,
    /// `null`/`nil`: relevance.
    #[uniffi(default)]
    pub sort: Option<SortOrder>,
    /// 1 to 200.
    #[uniffi(default = 20)]
    pub page_size: u32,
    /// The previous page's `next_page_token`, with the same text, filters and sort; `null`/`nil`
    /// for the first page.
    #[uniffi(default)]
    pub page_token: Option<String>,
}

/// All filters combine with AND. Lists mean "any of", except `accommodations` and `access`: a job
/// must have all of those. Empty lists and `null` filter nothing.
#[derive(Debug, Clone, Default, PartialEq, uniffi::Record)]
pub struct SearchFilters {
    /// The job offers all of these.
    #[uniffi(default)]
    pub accommodations: Vec<Accommodation>,
    #[uniffi(default)]
    pub employment_types: Vec<EmploymentType>,
    #[uniffi(default)]
    pub work_modes: Vec<WorkMode>,
    #[uniffi(default)]
    pub categories: Vec<JobCategory>,
    #[uniffi(default)]
    pub regions: Vec<Region>,
    /// A city as people type it ("bishkek" finds «Бишкек»).
    #[uniffi(default)]
    pub city: Option<String>,
    /// At least this much a month, in som (hourly, daily... pay is converted).
    #[uniffi(default)]
    pub min_monthly_salary: Option<u64>,
    #[uniffi(default)]
    pub posted_within_days: Option<u32>,
    /// Only organizations Teng's administrators checked.
    #[uniffi(default)]
    pub verified_only: bool,
    /// Within a radius of a point; needed for `SortOrder.DISTANCE`, and gives hits a distance.
    #[uniffi(default)]
    pub near: Option<NearPoint>,
    /// The workplace building meets all of these (remote jobs without a building always do).
    #[uniffi(default)]
    pub access: Vec<AccessRequirement>,
    /// How sure `access` must be; `null`/`nil`: likely (confirmed or not yet confirmed).
    #[uniffi(default)]
    pub access_certainty: Option<AccessCertainty>,
    /// Also drafts, closed and expired listings (for organization staff, not job seekers).
    #[uniffi(default)]
    pub include_closed: bool,
}

/// A circle on the map: WGS84 degrees and kilometres (above 0, at most 1000).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct NearPoint {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SearchHit {
    pub listing: ListingSummary,
    /// Kilometres from `SearchFilters.near`'s point; `null`/`nil` without a point, or for a job
    /// without a building.
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SearchPage {
    /// Matches across all pages.
    pub total: u64,
    pub hits: Vec<SearchHit>,
    /// Put into `SearchQuery.page_token` for the next page; `null`/`nil` on the last page. Pages
    /// never repeat or skip a listing, even when a sync adds listings between them.
    pub next_page_token: Option<String>,
}

#[uniffi::export]
impl TengStore {
    /// Searches the listings on this device. Errors: `InvalidInput` naming `page_size`, `text`,
    /// `near.radius_km`, `near.point`, `sort` (distance without a point), `city` or `page_token`
    /// (a token from another query: start again from the first page).
    pub fn search(&self, query: SearchQuery) -> Result<SearchPage> {
        self.call(|store, _| {
            let page = store.search(&query.into())?;
            let now = chrono::Utc::now();
            Ok(SearchPage {
                total: page.total,
                next_page_token: page.next_page_token,
                hits: page
                    .hits
                    .into_iter()
                    .map(|hit| SearchHit {
                        distance_km: hit.distance_km,
                        listing: ListingSummary::new(
                            hit.listing,
                            hit.organization_name,
                            hit.organization_verified,
                            now,
                        ),
                    })
                    .collect(),
            })
        })
    }
}

impl From<SearchQuery> for core::SearchQuery {
    fn from(q: SearchQuery) -> Self {
        let f = q.filters;
        core::SearchQuery {
            text: q.text,
            filters: core::SearchFilters {
                accommodations: f.accommodations.into_iter().map(Into::into).collect(),
                employment_types: f.employment_types.into_iter().map(Into::into).collect(),
                work_modes: f.work_modes.into_iter().map(Into::into).collect(),
                categories: f.categories.into_iter().map(Into::into).collect(),
                regions: f.regions.into_iter().map(Into::into).collect(),
                city: f.city,
                min_monthly_salary: f.min_monthly_salary,
                posted_within_days: f.posted_within_days,
                verified_only: f.verified_only,
                near: f.near.map(|n| core::Near {
                    point: GeoPoint::new(n.lat, n.lon),
                    radius_km: n.radius_km,
                }),
                access: f.access.into_iter().map(Into::into).collect(),
                access_certainty: f.access_certainty.map(Into::into).unwrap_or_default(),
                include_closed: f.include_closed,
            },
            sort: q.sort.map_or(core::SortOrder::Relevance, Into::into),
            page_size: q.page_size,
            page_token: q.page_token,
        }
    }
}

impl Default for SearchQuery {
    /// The same defaults the bindings give.
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            filters: SearchFilters::default(),
            sort: None,
            page_size: core::DEFAULT_PAGE_SIZE,
            page_token: None,
        }
    }
}

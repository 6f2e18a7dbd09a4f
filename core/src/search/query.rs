use serde::{Deserialize, Serialize};

use crate::accessibility::AccessRequirement;
use crate::model::codes::coded_enum;
use crate::model::{
    Accommodation, EmploymentType, GeoPoint, JobCategory, JobListing, Region, WorkMode,
};

coded_enum! {
    #[derive(Default)]
    pub enum SortOrder as "sort order" {
        /// Best text match first; without search words, the same as `Newest`.
        #[default]
        Relevance => "relevance",
        Newest => "newest",
        /// Nearest first; needs `SearchFilters::near`.
        Distance => "distance",
        /// Highest monthly pay first; listings without a salary last.
        Salary => "salary",
    }
}

coded_enum! {
    /// How sure the facts behind an accessibility requirement must be.
    #[derive(Default)]
    pub enum AccessCertainty as "access certainty" {
        /// Met, according to confirmed facts only.
        Confirmed => "confirmed",
        /// Met, even if the facts are not confirmed yet (one report, or old ones).
        #[default]
        Likely => "likely",
        /// Not known to fail: also buildings nobody has reported on, or with conflicting reports.
        UnknownAllowed => "unknown_allowed",
    }
}

/// Within `radius_km` of `point`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Near {
    pub point: GeoPoint,
    pub radius_km: f64,
}

/// Every filter is optional and they combine with AND. Lists mean "any of", except
/// `accommodations`, where a job must offer all the listed ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchFilters {
    pub accommodations: Vec<Accommodation>,
    pub employment_types: Vec<EmploymentType>,
    pub work_modes: Vec<WorkMode>,
    pub categories: Vec<JobCategory>,
    pub regions: Vec<Region>,
    /// City name as people type it; matched after folding, so "bishkek" finds "Бишкек".
    pub city: Option<String>,
    /// At least this much a month in KGS (listings paid by hour, day... are converted).
    pub min_monthly_salary: Option<u64>,
    pub posted_within_days: Option<u32>,
    pub verified_only: bool,
    pub near: Option<Near>,
    /// The workplace building must meet all of these (remote jobs without a building always do).
    pub access: Vec<AccessRequirement>,
    pub access_certainty: AccessCertainty,
    /// Also show drafts, closed and expired listings (for NGO staff, not job seekers).
    pub include_closed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Words as the user typed them, in any of ky/ru/en, any script; empty means browse everything.
    pub text: String,
    pub filters: SearchFilters,
    pub sort: SortOrder,
    pub page_size: u32,
    /// From the previous page's `next_page_token`; `None` for the first page.
    pub page_token: Option<String>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            filters: SearchFilters::default(),
            sort: SortOrder::Relevance,
            page_size: DEFAULT_PAGE_SIZE,
            page_token: None,
        }
    }
}

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 200;
/// Longest radius accepted: the whole country fits in it.
pub const MAX_RADIUS_KM: f64 = 1_000.0;
/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub listing: JobListing,
    pub organization_name: String,
    pub organization_verified: bool,
    /// From `SearchFilters::near`'s point, when one was given and the job has a building.
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// How many listings match in all, across pages.
    pub total: u64,
    /// Pass back in `SearchQuery::page_token` for the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

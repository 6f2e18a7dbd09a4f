//! The domain model shared by the phone, the server and the bindings.

pub mod building;
pub mod codes;
mod labels;
pub mod listing;
pub mod organization;
pub mod saved;
pub mod validation;

pub use building::{Address, Building, GeoPoint, Region};
pub use codes::{BitSet, UnknownCode};
pub use listing::{
    Accommodation, ApplyChannel, ApplyMethod, EmploymentType, JobCategory, JobListing,
    ListingStatus, Salary, SalaryPeriod, WorkLanguage, WorkMode,
};
pub use organization::{Contact, Organization, OrganizationKind};
pub use saved::SavedJob;
pub use validation::{Validate, ValidationError};

#[cfg(test)]
mod validation_tests;

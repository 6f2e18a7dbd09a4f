use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::codes::coded_enum;

coded_enum! {
    /// What kind of body posts listings.
    pub enum OrganizationKind as "organization kind" {
        Ngo => "ngo",
        Employer => "employer",
        PublicBody => "public_body",
    }
}

/// How to reach an organization. Every field is optional; validation checks the shape of those given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganizationKind,
    #[serde(default)]
    pub contact: Contact,
    /// Set by Teng's administrators after checking the organization; job seekers may filter on it.
    pub verified: bool,
}

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
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Contact {
    #[cfg_attr(
        feature = "utoipa",
        schema(schema_with = crate::model::validation::schema::optional_phone)
    )]
    pub phone: Option<String>,
    #[cfg_attr(
        feature = "utoipa",
        schema(schema_with = crate::model::validation::schema::optional_email)
    )]
    pub email: Option<String>,
    #[cfg_attr(
        feature = "utoipa",
        schema(schema_with = crate::model::validation::schema::optional_website)
    )]
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: Uuid,
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub kind: OrganizationKind,
    #[serde(default)]
    pub contact: Contact,
    /// Set by Teng's administrators after checking the organization; job seekers may filter on it.
    pub verified: bool,
}

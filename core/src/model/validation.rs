//! Every rule a record must satisfy, in one place. The store, the server and the FFI all call these,
//! so a rule changes in one spot and every error names the field a form should highlight.

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::{Building, Contact, JobListing, Organization, Region, SavedJob, WorkMode};

/// Longest texts accepted, in characters (not bytes: Cyrillic takes two bytes a letter).
pub mod limits {
    pub const NAME: usize = 200;
    pub const TITLE: usize = 200;
    pub const DESCRIPTION: usize = 10_000;
    pub const STREET: usize = 300;
    pub const CITY: usize = 100;
    pub const CONTACT: usize = 320;
    pub const NOTE: usize = 2_000;
    pub const APPLY_METHODS: usize = 10;
}

/// Kyrgyzstan's bounding box with a small margin (lat 39.17..43.27, lon 69.25..80.28).
pub const KYRGYZSTAN_LAT: std::ops::RangeInclusive<f64> = 39.0..=43.4;
pub const KYRGYZSTAN_LON: std::ops::RangeInclusive<f64> = 69.1..=80.4;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ValidationError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is too long: {len} characters, at most {max} allowed")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("salary.min ({min}) is greater than salary.max ({max})")]
    SalaryMinAboveMax { min: u64, max: u64 },
    #[error("salary needs a min, a max or both, and neither may be zero")]
    SalaryMissing,
    #[error("{field}: {lat}, {lon} is not a valid latitude/longitude")]
    BadCoordinates {
        field: &'static str,
        lat: f64,
        lon: f64,
    },
    #[error("{field}: {lat}, {lon} lies outside Kyrgyzstan; set the region to \"abroad\" for a building outside the country")]
    OutsideKyrgyzstan {
        field: &'static str,
        lat: f64,
        lon: f64,
    },
    #[error("valid_through ({valid_through}) is before posted_at ({posted_at})")]
    ValidThroughBeforePosted {
        posted_at: DateTime<Utc>,
        valid_through: DateTime<Utc>,
    },
    #[error("building_id is required unless work_mode is \"remote\"")]
    BuildingRequired,
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl ValidationError {
    /// The field the error is about, as named in the wire format (dotted for nested fields).
    pub fn field(&self) -> &'static str {
        match self {
            ValidationError::Empty { field }
            | ValidationError::TooLong { field, .. }
            | ValidationError::BadCoordinates { field, .. }
            | ValidationError::OutsideKyrgyzstan { field, .. }
            | ValidationError::Invalid { field, .. } => field,
            ValidationError::SalaryMinAboveMax { .. } | ValidationError::SalaryMissing => "salary",
            ValidationError::ValidThroughBeforePosted { .. } => "valid_through",
            ValidationError::BuildingRequired => "building_id",
        }
    }
}

pub type Validation = Result<(), ValidationError>;

/// Non-blank and at most `max` characters.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Validation {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty { field });
    }
    optional_text(field, value, max)
}

pub fn optional_text(field: &'static str, value: &str, max: usize) -> Validation {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong { field, len, max });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ValidationError::Invalid {
            field,
            reason: "contains control characters".into(),
        });
    }
    Ok(())
}

/// A name people and offices go by (an organization, a building, a street, a city, a job title):
/// required text without invisible or direction-changing characters. Those look like nothing on
/// screen, so "Бишкек" with a zero-width space in it reads the same and yet is another city to
/// every comparison (a building's owner could hide it from its city office), and a right-to-left
/// override shows text in another order than it is stored.
pub fn name_text(field: &'static str, value: &str, max: usize) -> Validation {
    required_text(field, value, max)?;
    if let Some(c) = value.chars().find(|c| is_invisible_or_bidi(*c)) {
        return Err(ValidationError::Invalid {
            field,
            reason: format!(
                "contains an invisible or text-direction character (U+{:04X}); type the name again without it",
                c as u32
            ),
        });
    }
    Ok(())
}

/// Format characters that render as nothing or reorder text: zero-width spaces and joiners, the
/// word joiner and invisible operators, the byte-order mark, the soft hyphen, and the bidi
/// marks, embeddings, overrides and isolates.
pub fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}')
}

fn invalid(field: &'static str, reason: &str) -> ValidationError {
    ValidationError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

/// International or local phone number: digits with optional leading `+` and common separators.
/// What [`phone`] accepts, as an ECMA-262 regular expression (the OpenAPI document's): an optional
/// leading `+`, then 6 to 15 digits among spaces, `-`, `(` and `)`.
pub const PHONE_PATTERN: &str = r"^\+?[ ()\-]*([0-9][ ()\-]*){6,15}$";
/// What [`email`] accepts: no whitespace, something before the `@`, a dot inside the domain.
pub const EMAIL_PATTERN: &str = r"^[^@\s]+@[^\s.][^\s]*\.[^\s]*[^\s.]$";
/// What [`website`] accepts: `http(s)://`, no whitespace, a dot in the rest.
pub const WEBSITE_PATTERN: &str = r"^https?://[^\s]*\.[^\s]*$";

pub fn phone(field: &'static str, value: &str) -> Validation {
    required_text(field, value, limits::CONTACT)?;
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let shape_ok = value
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    if !shape_ok || !(6..=15).contains(&digits) {
        return Err(invalid(
            field,
            "expected a phone number such as +996 555 123 456",
        ));
    }
    Ok(())
}

pub fn email(field: &'static str, value: &str) -> Validation {
    required_text(field, value, limits::CONTACT)?;
    let ok = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !ok {
        return Err(invalid(
            field,
            "expected an email address such as name@example.kg",
        ));
    }
    Ok(())
}

pub fn website(field: &'static str, value: &str) -> Validation {
    required_text(field, value, limits::CONTACT)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(host) if host.contains('.') && !value.chars().any(char::is_whitespace) => Ok(()),
        _ => Err(invalid(
            field,
            "expected a web address starting with https://",
        )),
    }
}

/// `node/123`, `way/123` or `relation/123`.
pub fn osm_id(field: &'static str, value: &str) -> Validation {
    let ok = value.split_once('/').is_some_and(|(kind, num)| {
        matches!(kind, "node" | "way" | "relation")
            && !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(invalid(field, "expected node/<n>, way/<n> or relation/<n>"))
    }
}

fn contact(c: &Contact) -> Validation {
    if let Some(p) = &c.phone {
        phone("contact.phone", p)?;
    }
    if let Some(e) = &c.email {
        email("contact.email", e)?;
    }
    if let Some(w) = &c.website {
        website("contact.website", w)?;
    }
    Ok(())
}

pub fn location(field: &'static str, lat: f64, lon: f64, region: Region) -> Validation {
    if !lat.is_finite()
        || !lon.is_finite()
        || !(-90.0..=90.0).contains(&lat)
        || !(-180.0..=180.0).contains(&lon)
    {
        return Err(ValidationError::BadCoordinates { field, lat, lon });
    }
    let inside = KYRGYZSTAN_LAT.contains(&lat) && KYRGYZSTAN_LON.contains(&lon);
    if !inside && region != Region::Abroad {
        return Err(ValidationError::OutsideKyrgyzstan { field, lat, lon });
    }
    Ok(())
}

/// Schemas of the shaped strings above, for fields that take them (teng-core's `utoipa` feature,
/// the server's OpenAPI document).
#[cfg(feature = "utoipa")]
pub mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    use utoipa::openapi::{RefOr, Schema};

    fn shaped(pattern: &str, nullable: bool, example: &str) -> RefOr<Schema> {
        let ty = if nullable {
            SchemaType::from_iter([Type::String, Type::Null])
        } else {
            SchemaType::Type(Type::String)
        };
        ObjectBuilder::new()
            .schema_type(ty)
            .min_length(Some(1))
            .max_length(Some(super::limits::CONTACT))
            .pattern(Some(pattern))
            .examples([example])
            .into()
    }

    pub fn phone() -> RefOr<Schema> {
        shaped(super::PHONE_PATTERN, false, "+996 555 123 456")
    }

    pub fn email() -> RefOr<Schema> {
        shaped(super::EMAIL_PATTERN, false, "jobs@example.kg")
    }

    pub fn optional_phone() -> RefOr<Schema> {
        shaped(super::PHONE_PATTERN, true, "+996 555 123 456")
    }

    pub fn optional_email() -> RefOr<Schema> {
        shaped(super::EMAIL_PATTERN, true, "jobs@example.kg")
    }

    pub fn optional_website() -> RefOr<Schema> {
        shaped(super::WEBSITE_PATTERN, true, "https://example.kg")
    }
}

pub trait Validate {
    fn validate(&self) -> Validation;
}

impl Validate for Organization {
    fn validate(&self) -> Validation {
        name_text("name", &self.name, limits::NAME)?;
        contact(&self.contact)
    }
}

impl Validate for Building {
    fn validate(&self) -> Validation {
        name_text("name", &self.name, limits::NAME)?;
        name_text("address.street", &self.address.street, limits::STREET)?;
        name_text("address.city", &self.address.city, limits::CITY)?;
        if let Some(district) = &self.address.district {
            name_text("address.district", district, limits::CITY)?;
        }
        location(
            "location",
            self.location.lat,
            self.location.lon,
            self.address.region,
        )?;
        if let Some(osm) = &self.osm_id {
            osm_id("osm_id", osm)?;
        }
        Ok(())
    }
}

impl Validate for JobListing {
    fn validate(&self) -> Validation {
        name_text("title", &self.title, limits::TITLE)?;
        optional_text("description", &self.description, limits::DESCRIPTION)?;
        name_text("city", &self.city, limits::CITY)?;
        if self.work_mode != WorkMode::Remote && self.building_id.is_none() {
            return Err(ValidationError::BuildingRequired);
        }
        if let Some(s) = &self.salary {
            match (s.min, s.max) {
                (None, None) | (Some(0), _) | (_, Some(0)) => {
                    return Err(ValidationError::SalaryMissing)
                }
                (Some(min), Some(max)) if min > max => {
                    return Err(ValidationError::SalaryMinAboveMax { min, max })
                }
                _ => {}
            }
        }
        if self.languages.is_empty() {
            return Err(ValidationError::Empty { field: "languages" });
        }
        if self.apply_via.is_empty() {
            return Err(ValidationError::Empty { field: "apply_via" });
        }
        if self.apply_via.len() > limits::APPLY_METHODS {
            return Err(ValidationError::TooLong {
                field: "apply_via",
                len: self.apply_via.len(),
                max: limits::APPLY_METHODS,
            });
        }
        for method in &self.apply_via {
            use super::ApplyChannel::*;
            match method.channel {
                Phone | Sms | WhatsApp => phone("apply_via.value", &method.value)?,
                Email => email("apply_via.value", &method.value)?,
                InPerson => required_text("apply_via.value", &method.value, limits::STREET)?,
            }
        }
        if let Some(until) = self.valid_through {
            if until < self.posted_at {
                return Err(ValidationError::ValidThroughBeforePosted {
                    posted_at: self.posted_at,
                    valid_through: until,
                });
            }
        }
        if self.version < 0 {
            return Err(invalid("version", "must not be negative"));
        }
        Ok(())
    }
}

impl Validate for SavedJob {
    fn validate(&self) -> Validation {
        if let Some(note) = &self.note {
            optional_text("note", note, limits::NOTE)?;
        }
        Ok(())
    }
}

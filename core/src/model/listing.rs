use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::building::Region;
use super::codes::{coded_enum, BitSet};

coded_enum! {
    pub enum JobCategory as "job category" {
        Accounting => "accounting",
        Administration => "administration",
        CustomerService => "customer_service",
        Education => "education",
        Healthcare => "healthcare",
        InformationTechnology => "it",
        Manufacturing => "manufacturing",
        Retail => "retail",
        Hospitality => "hospitality",
        Crafts => "crafts",
        Agriculture => "agriculture",
        Transport => "transport",
        SocialWork => "social_work",
        Media => "media",
        Legal => "legal",
        Cleaning => "cleaning",
        Security => "security",
        Other => "other",
    }
}

coded_enum! {
    pub enum EmploymentType as "employment type" {
        FullTime => "full_time",
        PartTime => "part_time",
        Contract => "contract",
        Temporary => "temporary",
        Internship => "internship",
        Volunteer => "volunteer",
    }
}

coded_enum! {
    pub enum WorkMode as "work mode" {
        OnSite => "on_site",
        Hybrid => "hybrid",
        Remote => "remote",
    }
}

coded_enum! {
    /// Adjustments an employer offers. The order is part of the stored bit mask: append, never reorder.
    pub enum Accommodation as "accommodation" {
        FlexibleHours => "flexible_hours",
        AssistiveTechnology => "assistive_technology",
        SignLanguageInterpreter => "sign_language_interpreter",
        AccessibleTransport => "accessible_transport",
        AdaptedWorkstation => "adapted_workstation",
        RemoteOption => "remote_option",
        PersonalAssistant => "personal_assistant",
        EasyReadMaterials => "easy_read_materials",
        QuietWorkspace => "quiet_workspace",
    }
}

impl BitSet for Accommodation {
    const VALUES: &'static [Self] = Accommodation::ALL;
    fn position(self) -> usize {
        self.index()
    }
}

coded_enum! {
    /// Languages a job is done in (ISO 639-1).
    pub enum WorkLanguage as "language" {
        Kyrgyz => "ky",
        Russian => "ru",
        English => "en",
    }
}

impl BitSet for WorkLanguage {
    const VALUES: &'static [Self] = WorkLanguage::ALL;
    fn position(self) -> usize {
        self.index()
    }
}

coded_enum! {
    /// Ways to apply that do not assume one ability: voice, text, messenger, email or in person.
    pub enum ApplyChannel as "apply channel" {
        Phone => "phone",
        Sms => "sms",
        WhatsApp => "whatsapp",
        Email => "email",
        InPerson => "in_person",
    }
}

coded_enum! {
    pub enum SalaryPeriod as "salary period" {
        Hour => "hour",
        Day => "day",
        Week => "week",
        Month => "month",
        Year => "year",
    }
}

impl SalaryPeriod {
    /// Rough conversion to a monthly figure, so "salary at least X a month" can compare listings paid by
    /// different periods (40-hour weeks, 22 working days, 52/12 weeks a month).
    pub fn to_monthly(self, amount: u64) -> u64 {
        let amount = amount as f64;
        let monthly = match self {
            SalaryPeriod::Hour => amount * 40.0 * 52.0 / 12.0,
            SalaryPeriod::Day => amount * 22.0,
            SalaryPeriod::Week => amount * 52.0 / 12.0,
            SalaryPeriod::Month => amount,
            SalaryPeriod::Year => amount / 12.0,
        };
        monthly.round() as u64
    }
}

coded_enum! {
    pub enum ListingStatus as "listing status" {
        Draft => "draft",
        Published => "published",
        Closed => "closed",
    }
}

/// Pay in Kyrgyz som (KGS). Either bound may be missing ("from 20 000", "up to 35 000"), not both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Salary {
    #[cfg_attr(feature = "utoipa", schema(minimum = 1))]
    pub min: Option<u64>,
    #[cfg_attr(feature = "utoipa", schema(minimum = 1))]
    pub max: Option<u64>,
    pub period: SalaryPeriod,
}

impl Salary {
    /// The best monthly figure the listing promises; what "salary at least X" and the salary sort use.
    pub fn monthly_upper(&self) -> Option<u64> {
        self.max.or(self.min).map(|a| self.period.to_monthly(a))
    }
}

/// One accessible way to apply, with the number, address or place it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyMethod {
    pub channel: ApplyChannel,
    pub value: String,
}

/// The OpenAPI schema of [`ApplyMethod`] (teng-core's `utoipa` feature): one shape per channel,
/// as validation checks `value` (a phone number, an email address, or where to come).
#[cfg(feature = "utoipa")]
mod apply_method_schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    use utoipa::openapi::{RefOr, Schema};
    use utoipa::{PartialSchema, ToSchema};

    use super::{ApplyChannel, ApplyMethod};
    use crate::model::validation::{limits, schema};

    fn shape(channels: &[ApplyChannel], value: RefOr<Schema>) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "channel",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(channels.iter().map(|c| c.code()))),
            )
            .property("value", value)
            .required("channel")
            .required("value")
    }

    impl PartialSchema for ApplyMethod {
        fn schema() -> RefOr<Schema> {
            use ApplyChannel::*;
            let place = ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(limits::STREET))
                .into();
            OneOfBuilder::new()
                .description(Some(
                    "One accessible way to apply: a phone number (phone, sms, whatsapp), an email \
                     address, or where to come (in_person).",
                ))
                .item(shape(&[Phone, Sms, WhatsApp], schema::phone()))
                .item(shape(&[Email], schema::email()))
                .item(shape(&[InPerson], place))
                .into()
        }
    }

    impl ToSchema for ApplyMethod {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct JobListing {
    pub id: Uuid,
    pub organization_id: Uuid,
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 200))]
    pub title: String,
    #[cfg_attr(feature = "utoipa", schema(max_length = 10000))]
    pub description: String,
    pub category: JobCategory,
    pub employment_type: EmploymentType,
    pub work_mode: WorkMode,
    /// Where the work happens; only a remote job may have none.
    pub building_id: Option<Uuid>,
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 100))]
    pub city: String,
    pub region: Region,
    pub salary: Option<Salary>,
    pub accommodations: Vec<Accommodation>,
    #[cfg_attr(feature = "utoipa", schema(min_items = 1))]
    pub languages: Vec<WorkLanguage>,
    #[cfg_attr(feature = "utoipa", schema(min_items = 1, max_items = 10))]
    pub apply_via: Vec<ApplyMethod>,
    pub posted_at: DateTime<Utc>,
    pub valid_through: Option<DateTime<Utc>>,
    pub status: ListingStatus,
    /// Server-assigned revision, used for optimistic concurrency on edits.
    pub version: i64,
}

impl JobListing {
    /// Published and not past its closing date: what job seekers see by default.
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.status == ListingStatus::Published && self.valid_through.is_none_or(|v| v >= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_conversion_orders_periods_sensibly() {
        assert_eq!(SalaryPeriod::Month.to_monthly(30_000), 30_000);
        assert_eq!(SalaryPeriod::Year.to_monthly(360_000), 30_000);
        assert_eq!(SalaryPeriod::Day.to_monthly(1_000), 22_000);
        assert!(SalaryPeriod::Hour.to_monthly(200) > 30_000);
    }

    #[test]
    fn salary_uses_the_upper_bound_when_given() {
        let s = Salary {
            min: Some(20_000),
            max: Some(35_000),
            period: SalaryPeriod::Month,
        };
        assert_eq!(s.monthly_upper(), Some(35_000));
        let s = Salary {
            min: Some(20_000),
            max: None,
            period: SalaryPeriod::Month,
        };
        assert_eq!(s.monthly_upper(), Some(20_000));
    }

    #[test]
    fn accommodation_masks_round_trip() {
        let set = [
            Accommodation::FlexibleHours,
            Accommodation::PersonalAssistant,
        ];
        let mask = Accommodation::mask_of(&set);
        assert_eq!(Accommodation::from_mask(mask), set.to_vec());
    }
}

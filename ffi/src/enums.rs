//! Enums as the apps see them: one FFI enum per core enum, the same variants in the same order,
//! converted both ways by `mirror_enum!` (exhaustive matches, so a variant added to the core
//! fails to compile here until it is added to the bindings too).
//!
//! Every enum has two methods: `code()`, the stable string stored in databases and sent to the
//! server (`"full_time"`, `"entrance_step_free"`), and `label(language)`, a lower-case phrase for
//! screens and screen readers (see `labels.rs`). [`choices`] lists every value in display
//! order, for filter sheets and report forms (Swift enums are not `CaseIterable`).

use teng_core::accessibility as access;
use teng_core::model;
use teng_core::search;

use crate::accessibility::{
    AccessFeature, AccessLevel, AccessRequirement, Answer, DoorType, FactState, Grade, RampKind,
    ReportMethod, ReportStatus, ReporterKind, SignLanguage, StatusAuthor, ValueKind,
};

/// Declares an FFI enum mirroring a core enum variant for variant, its conversions both ways, and
/// its `code()` and `label(language)` methods.
macro_rules! mirror_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $core:ty {
            $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl From<$name> for $core {
            fn from(value: $name) -> Self {
                match value {
                    $( $name::$variant => <$core>::$variant ),+
                }
            }
        }

        impl From<$core> for $name {
            fn from(value: $core) -> Self {
                match value {
                    $( <$core>::$variant => $name::$variant ),+
                }
            }
        }

        impl $name {
            /// Every value, in the core's (display) order.
            pub(crate) fn all() -> Vec<$name> {
                <$core>::ALL.iter().map(|v| $name::from(*v)).collect()
            }
        }

        #[uniffi::export]
        impl $name {
            /// The stable code stored on the device and sent to the server (never translated).
            pub fn code(&self) -> String {
                <$core>::from(*self).code().to_string()
            }

            /// The value's name in `language`: a lower-case phrase, no abbreviations.
            pub fn label(&self, language: $crate::enums::Language) -> String {
                teng_core::accessibility::label(<$core>::from(*self), language.into()).to_string()
            }
        }
    };
}

pub(crate) use mirror_enum;

/// The language the app speaks. Chosen when the store opens, changeable with `set_language`; every
/// sentence and label the store returns is in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Language {
    /// Kyrgyz (кыргыз тили).
    Ky,
    /// Russian (русский).
    Ru,
    /// English.
    En,
}

impl From<Language> for access::Lang {
    fn from(value: Language) -> Self {
        match value {
            Language::Ky => access::Lang::Kyrgyz,
            Language::Ru => access::Lang::Russian,
            Language::En => access::Lang::English,
        }
    }
}

impl From<access::Lang> for Language {
    fn from(value: access::Lang) -> Self {
        match value {
            access::Lang::Kyrgyz => Language::Ky,
            access::Lang::Russian => Language::Ru,
            access::Lang::English => Language::En,
        }
    }
}

#[uniffi::export]
impl Language {
    /// ISO 639-1: `ky`, `ru`, `en`.
    pub fn code(&self) -> String {
        access::Lang::from(*self).code().to_string()
    }

    /// The language's name in `language` ("кыргыз тили", "кыргызский", "Kyrgyz").
    pub fn label(&self, language: Language) -> String {
        access::label(access::Lang::from(*self), language.into()).to_string()
    }
}

mirror_enum! {
    /// The kind of work.
    pub enum JobCategory = model::JobCategory {
        Accounting, Administration, CustomerService, Education, Healthcare, InformationTechnology,
        Manufacturing, Retail, Hospitality, Crafts, Agriculture, Transport, SocialWork, Media, Legal,
        Cleaning, Security, Other,
    }
}

mirror_enum! {
    pub enum EmploymentType = model::EmploymentType {
        FullTime, PartTime, Contract, Temporary, Internship, Volunteer,
    }
}

mirror_enum! {
    /// Where the work is done.
    pub enum WorkMode = model::WorkMode {
        OnSite, Hybrid, Remote,
    }
}

mirror_enum! {
    /// Adjustments an employer offers to people with disabilities.
    pub enum Accommodation = model::Accommodation {
        FlexibleHours, AssistiveTechnology, SignLanguageInterpreter, AccessibleTransport,
        AdaptedWorkstation, RemoteOption, PersonalAssistant, EasyReadMaterials, QuietWorkspace,
    }
}

mirror_enum! {
    /// Kyrgyzstan's regions (oblasts), its two cities of republican significance, and abroad.
    pub enum Region = model::Region {
        Bishkek, OshCity, Chuy, Osh, JalalAbad, IssykKul, Naryn, Talas, Batken, Abroad,
    }
}

mirror_enum! {
    /// What a salary amount is paid for.
    pub enum SalaryPeriod = model::SalaryPeriod {
        Hour, Day, Week, Month, Year,
    }
}

mirror_enum! {
    /// A way to apply for a job; `ApplyMethod.value` holds the number, address or place.
    pub enum ApplyChannel = model::ApplyChannel {
        Phone, Sms, WhatsApp, Email, InPerson,
    }
}

mirror_enum! {
    pub enum ListingStatus = model::ListingStatus {
        Draft, Published, Closed,
    }
}

mirror_enum! {
    pub enum OrganizationKind = model::OrganizationKind {
        Ngo, Employer, PublicBody,
    }
}

mirror_enum! {
    /// A language the job is done in.
    pub enum WorkLanguage = model::WorkLanguage {
        Kyrgyz, Russian, English,
    }
}

mirror_enum! {
    /// The order of search results.
    pub enum SortOrder = search::SortOrder {
        /// Best text match first; without search words, the same as `Newest`.
        Relevance,
        Newest,
        /// Nearest first; needs `SearchFilters.near`.
        Distance,
        /// Highest monthly pay first; listings without a salary last.
        Salary,
    }
}

mirror_enum! {
    /// How sure the facts behind an accessibility requirement must be for a search to show a job.
    pub enum AccessCertainty = search::AccessCertainty {
        /// Met according to confirmed facts only.
        Confirmed,
        /// Met, even if not confirmed yet (one report, or old ones). The default.
        Likely,
        /// Not known to fail: also buildings nobody reported on, or with conflicting reports.
        UnknownAllowed,
    }
}

/// Every value of every enum, in display order: what filter sheets and report forms list.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Choices {
    pub languages: Vec<Language>,
    pub categories: Vec<JobCategory>,
    pub employment_types: Vec<EmploymentType>,
    pub work_modes: Vec<WorkMode>,
    pub accommodations: Vec<Accommodation>,
    pub regions: Vec<Region>,
    pub work_languages: Vec<WorkLanguage>,
    pub salary_periods: Vec<SalaryPeriod>,
    pub apply_channels: Vec<ApplyChannel>,
    pub listing_statuses: Vec<ListingStatus>,
    pub organization_kinds: Vec<OrganizationKind>,
    pub sort_orders: Vec<SortOrder>,
    pub access_requirements: Vec<AccessRequirement>,
    pub access_certainties: Vec<AccessCertainty>,
    pub access_features: Vec<AccessFeature>,
    pub ramp_kinds: Vec<RampKind>,
    pub door_types: Vec<DoorType>,
    pub access_levels: Vec<AccessLevel>,
    pub sign_languages: Vec<SignLanguage>,
    pub report_methods: Vec<ReportMethod>,
    pub reporter_kinds: Vec<ReporterKind>,
    pub grades: Vec<Grade>,
    pub fact_states: Vec<FactState>,
    pub answers: Vec<Answer>,
    pub value_kinds: Vec<ValueKind>,
    pub report_statuses: Vec<ReportStatus>,
    pub status_authors: Vec<StatusAuthor>,
}

/// Every value of every enum, in display order. Labels come from each value's `label(language)`.
#[uniffi::export]
pub fn choices() -> Choices {
    Choices {
        languages: access::Lang::ALL.iter().map(|l| (*l).into()).collect(),
        categories: JobCategory::all(),
        employment_types: EmploymentType::all(),
        work_modes: WorkMode::all(),
        accommodations: Accommodation::all(),
        regions: Region::all(),
        work_languages: WorkLanguage::all(),
        salary_periods: SalaryPeriod::all(),
        apply_channels: ApplyChannel::all(),
        listing_statuses: ListingStatus::all(),
        organization_kinds: OrganizationKind::all(),
        sort_orders: SortOrder::all(),
        access_requirements: AccessRequirement::all(),
        access_certainties: AccessCertainty::all(),
        access_features: AccessFeature::all(),
        ramp_kinds: RampKind::all(),
        door_types: DoorType::all(),
        access_levels: AccessLevel::all(),
        sign_languages: SignLanguage::all(),
        report_methods: ReportMethod::all(),
        reporter_kinds: ReporterKind::all(),
        grades: Grade::all(),
        fact_states: FactState::all(),
        answers: Answer::all(),
        value_kinds: ValueKind::all(),
        report_statuses: ReportStatus::all(),
        status_authors: StatusAuthor::all(),
    }
}

//! Building accessibility: what is known about a building (per requirement, per fact, and as
//! sentences for a screen reader in the store's language), and the user's own reports, recorded
//! offline and sent by the sync later, with what the city office did with them ("back to the
//! reporter": status, note, history, and the reporter's "still not fixed").

use chrono::{DateTime, Utc};
use teng_core::accessibility as access;
use uuid::Uuid;

use crate::enums::{mirror_enum, Language};
use crate::error::{parse_id, Result, TengError};
use crate::store::TengStore;

mirror_enum! {
    /// One measurable fact about a building (after A11yJSON and OpenStreetMap). Lengths are
    /// centimetres, distances metres, slopes whole percent; see `value_kind()` and `valid_range()`.
    pub enum AccessFeature = access::Feature {
        /// The main entrance has no step at all.
        StepFreeEntrance,
        /// Number of steps at the main entrance.
        EntranceStepCount,
        /// Height of the highest entrance step, centimetres.
        EntranceStepHeight,
        /// None, fixed or removable.
        Ramp,
        /// Ramp slope, whole percent (8 is 1:12).
        RampSlope,
        RampHandrail,
        /// Clear width of the entrance door, centimetres.
        DoorWidth,
        /// Height of the entrance door threshold, centimetres.
        DoorThreshold,
        DoorType,
        /// A bell or intercom is needed to get in.
        BellNeeded,
        Elevator,
        /// The elevator works (ages in weeks).
        ElevatorWorking,
        ElevatorCabinWidth,
        ElevatorCabinDepth,
        /// The elevator announces floors by voice.
        ElevatorSpeech,
        /// Braille or raised numbers on the elevator buttons.
        ElevatorBraille,
        /// 1 is street level, -1 the first basement; there is no floor 0.
        WorkplaceFloor,
        WorkplaceStepFree,
        /// Yes, limited or no.
        Toilet,
        ToiletDoorWidth,
        /// Diameter of the free turning circle, centimetres.
        ToiletTurningSpace,
        /// Reserved spaces; 0 means none.
        ParkingSpaces,
        /// From those spaces to the entrance, metres.
        ParkingDistance,
        StepFreeRoute,
        TactilePaving,
        BrailleSignage,
        HearingLoop,
        VisualAlarm,
        /// Sign languages staff use; an empty list means nobody signs.
        SignLanguageStaff,
    }
}

mirror_enum! {
    /// The kind of value a feature takes (which `FactValue` variant).
    pub enum ValueKind = access::ValueKind {
        Bool, Count, Centimetres, Metres, Percent, Floor, Ramp, DoorType, Access, SignLanguages,
    }
}

mirror_enum! {
    /// The ramp at the entrance; `NoRamp` is an observed absence, not "unknown".
    pub enum RampKind = access::RampKind {
        NoRamp,
        Fixed,
        /// Staff put a portable ramp out on request.
        Removable,
    }
}

mirror_enum! {
    pub enum DoorType = access::DoorType {
        Hinged, Sliding, Revolving,
        /// Opens by itself (sensor or button).
        Automatic,
    }
}

mirror_enum! {
    /// Three-level access of a facility (the toilet).
    pub enum AccessLevel = access::AccessLevel {
        Yes, Limited, No,
    }
}

mirror_enum! {
    pub enum SignLanguage = access::SignLanguage {
        Russian, International, American,
    }
}

mirror_enum! {
    pub enum ReporterKind = access::ReporterKind {
        /// A phone that did not identify its owner.
        Anonymous,
        /// A surveyor trained by a partner organization; weighs more.
        VerifiedSurveyor,
        /// Another system's report (an Open311 client); weighs as an anonymous estimate.
        ExternalSystem,
    }
}

mirror_enum! {
    /// How the reporter knows.
    pub enum ReportMethod = access::Method {
        /// With a tape measure or a slope meter, on site.
        Measured,
        /// By eye, on site.
        Estimated,
        /// On a photograph.
        PhotoChecked,
    }
}

mirror_enum! {
    /// How far an aggregated fact can be trusted.
    pub enum FactState = access::FactState {
        /// Enough recent, agreeing reports.
        Confirmed,
        /// Recent and uncontested, but few reports (e.g. one anonymous).
        Unconfirmed,
        /// Reports disagree.
        Conflicting,
        /// Even the newest report is old for this kind of fact.
        Stale,
        /// Nobody reported it.
        Unknown,
    }
}

mirror_enum! {
    /// Accessibility grade (OpenStreetMap/Wheelmap style); never claims more than the facts show.
    pub enum Grade = access::Grade {
        Yes, Limited, No, Unknown,
    }
}

mirror_enum! {
    /// What a job seeker can require of a workplace building (search filter, details screen).
    pub enum AccessRequirement = access::AccessRequirement {
        /// No step, or steps with a fixed ramp.
        StepFreeEntrance,
        /// Toilet fully accessible (not "limited").
        AccessibleToilet,
        /// An elevator not reported broken.
        Elevator,
        HearingLoop,
        /// Tactile guide strips.
        TactileGuidance,
        /// The wheelchair grade is "yes".
        WheelchairAccessible,
        /// Somebody on the staff signs.
        SignLanguageStaff,
        /// At least one reserved parking space.
        AccessibleParking,
    }
}

mirror_enum! {
    /// Yes, no, or not known.
    pub enum Answer = access::Tri {
        Yes, No, Unknown,
    }
}

mirror_enum! {
    /// What the city office did with a report. A status this app does not know yet (from a newer
    /// server) arrives as `Open`, "received".
    pub enum ReportStatus = access::ReportStatus {
        /// Received; not answered yet.
        Open,
        Acknowledged,
        InProgress,
        /// The reporter may say it is still not fixed (`reopen_report`).
        Resolved,
        /// Not the city's responsibility; the note says why.
        NotResponsible,
        /// The reporter said it is still not fixed.
        Reopened,
    }
}

mirror_enum! {
    /// Who gave a status: the city office (never a named person) or the reporter.
    pub enum StatusAuthor = access::StatusAuthor {
        City, Reporter,
    }
}

/// A fact's value. The variant must fit the feature (`AccessFeature.value_kind()`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FactValue {
    /// Yes or no; `false` is an observed absence, not "unknown".
    Bool {
        value: bool,
    },
    Count {
        value: u32,
    },
    Centimetres {
        value: u32,
    },
    Metres {
        value: u32,
    },
    /// Whole percent.
    Percent {
        value: u32,
    },
    /// 1 is street level, -1 the first basement.
    Floor {
        value: i32,
    },
    Ramp {
        kind: RampKind,
    },
    Door {
        kind: DoorType,
    },
    Access {
        level: AccessLevel,
    },
    /// Empty: nobody signs.
    SignLanguages {
        languages: Vec<SignLanguage>,
    },
}

/// One feature and its value, as a reporter observed it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Fact {
    pub feature: AccessFeature,
    pub value: FactValue,
}

/// The accepted values of a numeric feature, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ValueRange {
    pub min: i64,
    pub max: i64,
}

#[uniffi::export]
impl AccessFeature {
    /// Which `FactValue` variant the feature takes.
    pub fn value_kind(&self) -> ValueKind {
        access::Feature::from(*self).kind().into()
    }

    /// Accepted values for numeric features (for input fields); `null`/`nil` for the others.
    pub fn valid_range(&self) -> Option<ValueRange> {
        access::Feature::from(*self).range().map(|r| ValueRange {
            min: *r.start(),
            max: *r.end(),
        })
    }
}

/// Everything known about a building's accessibility, in the store's language.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BuildingAccessibility {
    pub building_id: String,
    /// The language of `summary`, `description` and `note`.
    pub language: Language,
    /// One sentence for a screen reader: the grades and the main facts, or that nothing is known.
    pub summary: String,
    /// One sentence per aspect: entrance, elevator and floors, toilet, parking and route, blind
    /// visitors, deaf visitors, reports, the newest visitor note. Units are spelled out.
    pub description: Vec<String>,
    pub grades: AccessGrades,
    /// Every requirement, in `choices().access_requirements` order.
    pub requirements: Vec<RequirementState>,
    /// Only the features somebody reported, in `AccessFeature` order.
    pub facts: Vec<AggregatedFact>,
    /// Reports that still count.
    pub report_count: u32,
    /// Milliseconds since 1970-01-01 UTC; `null`/`nil` when nobody reported.
    pub last_reported_at_ms: Option<i64>,
    /// The newest visitor note, in the store's language if there is one, else in another.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct AccessGrades {
    pub wheelchair: Grade,
    pub blind: Grade,
    pub deaf: Grade,
    pub overall: Grade,
}

/// Whether the building meets one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RequirementState {
    pub requirement: AccessRequirement,
    pub met: Answer,
    /// The answer follows from confirmed facts alone.
    pub confirmed: bool,
}

/// One feature after combining everybody's reports.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AggregatedFact {
    pub feature: AccessFeature,
    /// `null`/`nil` when reports disagree evenly.
    pub value: Option<FactValue>,
    pub state: FactState,
    /// 0 to 1.
    pub confidence: f32,
    pub last_reported_at_ms: Option<i64>,
    /// Reports counted.
    pub reports: u32,
}

/// A report the user is making.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NewReport {
    pub building_id: String,
    /// Who reports: this install's stable id (any text; a UUID is fine).
    pub reporter: String,
    pub method: ReportMethod,
    /// What was observed; each feature once. Empty only with a note.
    #[uniffi(default)]
    pub facts: Vec<Fact>,
    /// The user's own words, taken to be in the store's language.
    #[uniffi(default)]
    pub note: Option<String>,
    /// When it was observed, milliseconds since 1970-01-01 UTC; `null`/`nil`: now.
    #[uniffi(default)]
    pub observed_at_ms: Option<i64>,
    /// `null`/`nil`: anonymous.
    #[uniffi(default)]
    pub reporter_kind: Option<ReporterKind>,
    /// Give the same id when retrying after an error so the report is kept once; `null`/`nil`: a
    /// new id.
    #[uniffi(default)]
    pub id: Option<String>,
}

/// A report made on this device, and what became of it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AccessReport {
    pub id: String,
    pub building_id: String,
    /// The building's name and street, when the building is on this device.
    pub building_name: Option<String>,
    pub reporter: String,
    pub reporter_kind: ReporterKind,
    pub method: ReportMethod,
    pub observed_at_ms: i64,
    /// In `AccessFeature` order.
    pub facts: Vec<Fact>,
    /// The reporter's own words: in the store's language if the report has them, else in another.
    pub note: Option<String>,
    /// The report has reached the server (it no longer waits to be sent).
    pub sent: bool,
    /// `Reopened` while the reporter's "still not fixed" waits to be sent, else the city office's
    /// last status (`Open` before it answered).
    pub status: ReportStatus,
    /// The status as one sentence in the store's language, for the list and for TalkBack: "The
    /// city office marked this resolved on 3 December: ramp installed." Says "not sent yet" and
    /// "waiting to send" when so.
    pub status_text: String,
    /// The note of that status (the city office's, or the reporter's own while a reopen waits).
    pub status_note: Option<String>,
    /// The language `status_note` was written in, when known.
    pub status_note_language: Option<Language>,
    /// When the status was given; `null`/`nil` before any answer.
    pub status_updated_at_ms: Option<i64>,
    /// Every status the report was given, oldest first, as the server sent it.
    pub status_history: Vec<ReportStatusChange>,
    /// A "still not fixed" waits to be sent.
    pub reopen_pending: bool,
    /// Offer "still not fixed": the city office marked it resolved and no reopen waits.
    pub can_reopen: bool,
    /// When an administrator hid the report (it no longer counts in the building's summary);
    /// `status_text` then says so too.
    pub hidden_at_ms: Option<i64>,
    /// Why it was hidden, in the administrator's words.
    pub hidden_reason: Option<String>,
}

/// One entry of a report's status history.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReportStatusChange {
    pub status: ReportStatus,
    pub author: StatusAuthor,
    pub note: Option<String>,
    /// The language `note` was written in, when known.
    pub note_language: Option<Language>,
    pub at_ms: i64,
    /// The entry as one sentence in the store's language.
    pub text: String,
}

#[uniffi::export]
impl TengStore {
    /// What is known about a building's accessibility, with sentences in the store's language.
    /// A building nobody reported on gives all unknown (and says so). Errors: `InvalidInput`
    /// (field `building_id`), `NotFound` (building not on this device).
    pub fn building_accessibility(&self, building_id: String) -> Result<BuildingAccessibility> {
        self.call(|store, language| {
            let id = parse_id("building_id", &building_id)?;
            store
                .building(id)?
                .ok_or_else(|| TengError::not_found("building", id))?;
            let summary = store.building_summary(id)?;
            Ok(BuildingAccessibility::new(
                id,
                summary,
                language,
                Utc::now(),
            ))
        })
    }

    /// Keeps the user's report on the device (offline; the sync sends it later) and returns it as
    /// stored. Recording the same `id` again keeps the first. Errors: `InvalidInput` naming
    /// `building_id`, `id`, `reporter`, `facts` (nothing observed), `facts.<feature code>` (value
    /// out of range, of the wrong kind, or given twice), `note` (too long) or `observed_at_ms`
    /// (in the future).
    pub fn record_report(&self, report: NewReport) -> Result<AccessReport> {
        self.call(|store, language| {
            let report = report.into_core(language, Utc::now())?;
            store.record_report(&report)?;
            let stored = store
                .my_report(report.id)?
                .ok_or_else(|| TengError::not_found("report", report.id))?;
            Ok(AccessReport::new(stored, language, Utc::now()))
        })
    }

    /// Reports made on this device with what became of them, newest first: about one building,
    /// or all when `building_id` is `null`/`nil`. Each says whether it was sent, the city
    /// office's status as a sentence (`status_text`), its note, time and history, and whether
    /// "still not fixed" can be offered (`can_reopen`).
    pub fn my_reports(&self, building_id: Option<String>) -> Result<Vec<AccessReport>> {
        self.call(|store, language| {
            let id = building_id
                .map(|b| parse_id("building_id", &b))
                .transpose()?;
            let now = Utc::now();
            Ok(store
                .my_reports_with_status(id)?
                .into_iter()
                .map(|r| AccessReport::new(r, language, now))
                .collect())
        })
    }

    /// The reporter says a report the city office marked resolved is still not fixed. Kept
    /// offline and sent by the next sync, like every action; returns the report as shown now
    /// (`Reopened`, `reopen_pending`). `note` (optional, at most 2,000 characters) says what is
    /// still wrong. Errors: `NotFound` (not a report made on this device), `InvalidInput` naming
    /// `report_id` (not resolved, not sent yet, or a reopen already waits) or `note`. If the
    /// city office changed the status meanwhile, the sync brings a `Rejected` problem (code
    /// `invalid_state`) and the report shows the city's status again.
    pub fn reopen_report(&self, report_id: String, note: Option<String>) -> Result<AccessReport> {
        self.call(|store, language| {
            let id = parse_id("report_id", &report_id)?;
            let shown = store.reopen_report(id, note.as_deref())?;
            Ok(AccessReport::new(shown, language, Utc::now()))
        })
    }
}

/// What the city office receives with a report, in `language`: for the report form and the
/// privacy screen. ("The city office sees the building, what you reported, how you checked it and
/// when; never your phone, its id or anything that identifies you.")
#[uniffi::export]
pub fn report_privacy_notice(language: Language) -> String {
    access::report_privacy_notice(language.into()).to_string()
}

impl BuildingAccessibility {
    pub(crate) fn new(
        building_id: Uuid,
        summary: Option<access::BuildingSummary>,
        language: Language,
        now: DateTime<Utc>,
    ) -> BuildingAccessibility {
        let summary = summary.unwrap_or_else(|| access::BuildingSummary::empty(building_id));
        let lang = access::Lang::from(language);
        BuildingAccessibility {
            building_id: building_id.to_string(),
            language,
            summary: summary.summary_text(lang, now),
            description: summary.description_text(lang, now),
            grades: AccessGrades {
                wheelchair: summary.grades.wheelchair.into(),
                blind: summary.grades.blind.into(),
                deaf: summary.grades.deaf.into(),
                overall: summary.grades.overall.into(),
            },
            requirements: access::AccessRequirement::ALL
                .iter()
                .map(|r| {
                    let status = summary.requirement(*r);
                    RequirementState {
                        requirement: (*r).into(),
                        met: status.met.into(),
                        confirmed: status.confirmed,
                    }
                })
                .collect(),
            facts: summary
                .features
                .iter()
                .map(|(feature, agg)| AggregatedFact {
                    feature: (*feature).into(),
                    value: agg.value.clone().map(Into::into),
                    state: agg.state.into(),
                    confidence: agg.confidence,
                    last_reported_at_ms: agg.last_reported_at.map(|t| t.timestamp_millis()),
                    reports: agg.reports,
                })
                .collect(),
            report_count: summary.report_count,
            last_reported_at_ms: summary.last_reported_at.map(|t| t.timestamp_millis()),
            note: summary
                .note
                .as_ref()
                .and_then(|n| n.get(lang))
                .map(str::to_string),
        }
    }
}

impl NewReport {
    /// The core's report, validated as the store will validate it, plus: not observed in the
    /// future. Field names in errors are this record's.
    fn into_core(
        self,
        language: Language,
        now: DateTime<Utc>,
    ) -> Result<access::AccessibilityReport> {
        let id = match &self.id {
            Some(id) => parse_id("id", id)?,
            None => Uuid::new_v4(),
        };
        let building_id = parse_id("building_id", &self.building_id)?;
        let mut facts = access::Facts::new();
        for fact in self.facts {
            let feature = access::Feature::from(fact.feature);
            if facts.contains(feature) {
                return Err(TengError::invalid(feature.field(), "given more than once"));
            }
            facts
                .insert(feature, fact.value.into())
                .map_err(|e| TengError::invalid(feature.field(), e.to_string()))?;
        }
        let observed_at = match self.observed_at_ms {
            Some(ms) => DateTime::from_timestamp_millis(ms).ok_or_else(|| {
                TengError::invalid("observed_at_ms", format!("{ms} is not a time"))
            })?,
            None => now,
        };
        let note = self
            .note
            .filter(|n| !n.trim().is_empty())
            .map(|text| localized_note(language, text));
        let report = access::AccessibilityReport {
            id,
            building_id,
            reporter: access::ReporterId(self.reporter),
            reporter_kind: self
                .reporter_kind
                .map_or(access::ReporterKind::Anonymous, Into::into),
            observed_at,
            method: self.method.into(),
            facts,
            note,
        };
        report.validate_at(now).map_err(|e| {
            let field = match e.field() {
                f if f.starts_with("note.") => "note",
                "observed_at" => "observed_at_ms",
                f => f,
            };
            TengError::invalid(field, e.to_string())
        })?;
        Ok(report)
    }
}

fn localized_note(language: Language, text: String) -> access::LocalizedNote {
    let mut note = access::LocalizedNote::default();
    match language {
        Language::Ky => note.ky = Some(text),
        Language::Ru => note.ru = Some(text),
        Language::En => note.en = Some(text),
    }
    note
}

impl AccessReport {
    pub(crate) fn new(
        mine: access::MyReport,
        language: Language,
        now: DateTime<Utc>,
    ) -> AccessReport {
        let lang = access::Lang::from(language);
        let status_text = mine.status_text(lang, now);
        let access::MyReport {
            report: r,
            building,
            sent,
            status,
            note: status_note,
            note_lang,
            updated_at,
            history,
            reopen_pending,
            can_reopen,
            hidden,
        } = mine;
        AccessReport {
            id: r.id.to_string(),
            building_id: r.building_id.to_string(),
            building_name: building.map(|b| format!("{}, {}", b.name, b.address.street)),
            reporter: r.reporter.0,
            reporter_kind: r.reporter_kind.into(),
            method: r.method.into(),
            observed_at_ms: r.observed_at.timestamp_millis(),
            facts: r
                .facts
                .iter()
                .map(|(feature, value)| Fact {
                    feature: feature.into(),
                    value: value.clone().into(),
                })
                .collect(),
            note: r
                .note
                .as_ref()
                .and_then(|n| n.get(lang))
                .map(str::to_string),
            sent,
            status: status.into(),
            status_text,
            status_note,
            status_note_language: note_lang.map(Into::into),
            status_updated_at_ms: updated_at.map(|t| t.timestamp_millis()),
            status_history: history
                .iter()
                .map(|e| ReportStatusChange {
                    status: e.status.into(),
                    author: e.by.into(),
                    note: e.note.clone(),
                    note_language: e.lang.map(Into::into),
                    at_ms: e.at.timestamp_millis(),
                    text: access::history_entry_text(e, lang, now),
                })
                .collect(),
            reopen_pending,
            can_reopen,
            hidden_at_ms: hidden.as_ref().map(|h| h.at.timestamp_millis()),
            hidden_reason: hidden.map(|h| h.reason),
        }
    }
}

impl From<FactValue> for access::FeatureValue {
    fn from(v: FactValue) -> Self {
        use access::FeatureValue as V;
        match v {
            FactValue::Bool { value } => V::Bool(value),
            FactValue::Count { value } => V::Count(value),
            FactValue::Centimetres { value } => V::Centimetres(value),
            FactValue::Metres { value } => V::Metres(value),
            FactValue::Percent { value } => V::Percent(value),
            FactValue::Floor { value } => V::Floor(value),
            FactValue::Ramp { kind } => V::Ramp(kind.into()),
            FactValue::Door { kind } => V::DoorType(kind.into()),
            FactValue::Access { level } => V::Access(level.into()),
            FactValue::SignLanguages { languages } => {
                V::SignLanguages(languages.into_iter().map(Into::into).collect())
            }
        }
    }
}

impl From<access::FeatureValue> for FactValue {
    fn from(v: access::FeatureValue) -> Self {
        use access::FeatureValue as V;
        match v {
            V::Bool(value) => FactValue::Bool { value },
            V::Count(value) => FactValue::Count { value },
            V::Centimetres(value) => FactValue::Centimetres { value },
            V::Metres(value) => FactValue::Metres { value },
            V::Percent(value) => FactValue::Percent { value },
            V::Floor(value) => FactValue::Floor { value },
            V::Ramp(kind) => FactValue::Ramp { kind: kind.into() },
            V::DoorType(kind) => FactValue::Door { kind: kind.into() },
            V::Access(level) => FactValue::Access {
                level: level.into(),
            },
            V::SignLanguages(languages) => FactValue::SignLanguages {
                languages: languages.into_iter().map(Into::into).collect(),
            },
        }
    }
}

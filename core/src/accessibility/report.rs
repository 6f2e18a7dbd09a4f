//! A crowd report: one reporter's immutable observation of some features of one building.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::features::{Facts, Feature, FeatureValue};
use super::words::Lang;
use crate::model::codes::coded_enum;
use crate::model::validation::{limits, optional_text, required_text, Validate, Validation};
use crate::model::ValidationError;

coded_enum! {
    pub enum ReporterKind as "reporter kind" {
        /// A phone that did not identify its owner.
        Anonymous => "anonymous",
        /// A surveyor trained and verified by a partner NGO; weighs more in aggregation.
        VerifiedSurveyor => "verified_surveyor",
        /// Another system's report (an Open311 client holding a Teng API key): it cannot be
        /// checked, so it weighs as an anonymous visitor's estimate.
        ExternalSystem => "external_system",
    }
}

coded_enum! {
    /// How the reporter knows.
    pub enum Method as "observation method" {
        /// With a tape measure or a slope meter, on site.
        Measured => "measured",
        /// By eye, on site.
        Estimated => "estimated",
        /// Checked on a photograph.
        PhotoChecked => "photo_checked",
    }
}

/// Who reported: a device id or a surveyor id (any stable opaque string; a UUID as text is fine).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ReporterId(pub String);

impl From<Uuid> for ReporterId {
    fn from(id: Uuid) -> Self {
        ReporterId(id.to_string())
    }
}

impl From<&str> for ReporterId {
    fn from(id: &str) -> Self {
        ReporterId(id.to_string())
    }
}

/// Free text in up to three languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct LocalizedNote {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "utoipa", schema(max_length = 2000))]
    pub ky: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "utoipa", schema(max_length = 2000))]
    pub ru: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "utoipa", schema(max_length = 2000))]
    pub en: Option<String>,
}

impl LocalizedNote {
    /// The text in `lang`, else in another language (Russian, Kyrgyz, English, in that order).
    pub fn get(&self, lang: Lang) -> Option<&str> {
        let exact = match lang {
            Lang::Kyrgyz => &self.ky,
            Lang::Russian => &self.ru,
            Lang::English => &self.en,
        };
        [exact, &self.ru, &self.ky, &self.en]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    pub fn is_empty(&self) -> bool {
        [&self.ky, &self.ru, &self.en]
            .into_iter()
            .flatten()
            .all(|s| s.trim().is_empty())
    }
}

/// An immutable observation. A newer report by the same reporter on the same building supersedes
/// the older one feature by feature (see the aggregation rules in the module doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AccessibilityReport {
    pub id: Uuid,
    pub building_id: Uuid,
    pub reporter: ReporterId,
    pub reporter_kind: ReporterKind,
    pub observed_at: DateTime<Utc>,
    pub method: Method,
    pub facts: Facts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<LocalizedNote>,
}

/// How far in the future an observation time may lie (phone clocks drift).
pub const MAX_CLOCK_SKEW: Duration = Duration::hours(24);

/// Most sign languages one report may list.
pub const MAX_SIGN_LANGUAGES: usize = 10;

impl Validate for AccessibilityReport {
    /// Every numeric fact within its [`Feature::range`], the reporter named, notes within
    /// [`limits::NOTE`], and something observed (facts or a note).
    fn validate(&self) -> Validation {
        required_text("reporter", &self.reporter.0, limits::NAME)?;
        for (feature, value) in self.facts.iter() {
            validate_fact(feature, value)?;
        }
        if let Some(note) = &self.note {
            for (field, text) in [
                ("note.ky", &note.ky),
                ("note.ru", &note.ru),
                ("note.en", &note.en),
            ] {
                if let Some(t) = text {
                    optional_text(field, t, limits::NOTE)?;
                }
            }
        }
        let has_note = self.note.as_ref().is_some_and(|n| !n.is_empty());
        if self.facts.is_empty() && !has_note {
            return Err(ValidationError::Empty { field: "facts" });
        }
        Ok(())
    }
}

impl AccessibilityReport {
    /// [`Validate::validate`] plus: not observed in the future (beyond [`MAX_CLOCK_SKEW`]).
    pub fn validate_at(&self, now: DateTime<Utc>) -> Validation {
        self.validate()?;
        if self.observed_at > now + MAX_CLOCK_SKEW {
            return Err(ValidationError::Invalid {
                field: "observed_at",
                reason: format!("{} is in the future", self.observed_at.to_rfc3339()),
            });
        }
        Ok(())
    }
}

/// One fact's value against the feature's rules.
pub fn validate_fact(feature: Feature, value: &FeatureValue) -> Validation {
    let field = feature.field();
    if value.kind() != feature.kind() {
        return Err(ValidationError::Invalid {
            field,
            reason: format!("expected a {} value, got {}", feature.kind(), value.kind()),
        });
    }
    if let (Some(n), Some(range)) = (value.number(), feature.range()) {
        if !range.contains(&n) {
            return Err(ValidationError::Invalid {
                field,
                reason: format!("{n} is out of range {}..{}", range.start(), range.end()),
            });
        }
        if feature == Feature::WorkplaceFloor && n == 0 {
            return Err(ValidationError::Invalid {
                field,
                reason: "floors are counted from 1 (street level); basements are -1, -2, ..."
                    .into(),
            });
        }
    }
    if let FeatureValue::SignLanguages(list) = value {
        if list.len() > MAX_SIGN_LANGUAGES {
            return Err(ValidationError::TooLong {
                field,
                len: list.len(),
                max: MAX_SIGN_LANGUAGES,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn report(facts: Facts) -> AccessibilityReport {
        AccessibilityReport {
            id: Uuid::from_u128(1),
            building_id: Uuid::from_u128(2),
            reporter: "device-1".into(),
            reporter_kind: ReporterKind::Anonymous,
            observed_at: Utc.with_ymd_and_hms(2025, 5, 1, 10, 0, 0).unwrap(),
            method: Method::Measured,
            facts,
            note: None,
        }
    }

    #[test]
    fn out_of_range_values_name_the_fact() {
        let r = report(Facts::new().with(Feature::DoorWidth, FeatureValue::Centimetres(20)));
        assert_eq!(r.validate().unwrap_err().field(), "facts.door_width_cm");
        let r =
            report(Facts::new().with(Feature::EntranceStepHeight, FeatureValue::Centimetres(101)));
        assert_eq!(
            r.validate().unwrap_err().field(),
            "facts.entrance_step_height_cm"
        );
        let r = report(Facts::new().with(Feature::EntranceStepCount, FeatureValue::Count(201)));
        assert_eq!(
            r.validate().unwrap_err().field(),
            "facts.entrance_step_count"
        );
        let r = report(Facts::new().with(Feature::WorkplaceFloor, FeatureValue::Floor(0)));
        assert_eq!(r.validate().unwrap_err().field(), "facts.workplace_floor");
        let r = report(Facts::new().with(Feature::DoorWidth, FeatureValue::Centimetres(90)));
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn a_report_must_say_something_and_name_its_reporter() {
        assert_eq!(
            report(Facts::new()).validate().unwrap_err().field(),
            "facts"
        );
        let mut r = report(Facts::new());
        r.note = Some(LocalizedNote {
            ru: Some("Вход со двора".into()),
            ..Default::default()
        });
        assert_eq!(r.validate(), Ok(()));
        r.reporter = ReporterId("  ".into());
        assert_eq!(r.validate().unwrap_err().field(), "reporter");
    }

    #[test]
    fn long_notes_and_future_times_are_rejected() {
        let mut r = report(Facts::new().with(Feature::Elevator, FeatureValue::Bool(true)));
        r.note = Some(LocalizedNote {
            en: Some("x".repeat(limits::NOTE + 1)),
            ..Default::default()
        });
        assert_eq!(r.validate().unwrap_err().field(), "note.en");
        r.note = None;
        let now = r.observed_at - Duration::days(3);
        assert_eq!(r.validate_at(now).unwrap_err().field(), "observed_at");
        assert_eq!(r.validate_at(r.observed_at), Ok(()));
    }

    #[test]
    fn report_json_uses_codes_and_round_trips() {
        let mut r = report(
            Facts::new()
                .with(Feature::DoorWidth, FeatureValue::Centimetres(90))
                .with(Feature::Elevator, FeatureValue::Bool(false)),
        );
        r.reporter_kind = ReporterKind::VerifiedSurveyor;
        r.method = Method::PhotoChecked;
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["reporter_kind"], "verified_surveyor");
        assert_eq!(json["method"], "photo_checked");
        assert_eq!(json["facts"]["door_width_cm"]["centimetres"], 90);
        assert_eq!(json["facts"]["elevator"]["bool"], false);
        assert!(json.get("note").is_none());
        let back: AccessibilityReport = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn note_falls_back_to_another_language() {
        let note = LocalizedNote {
            ru: Some("Звонок справа".into()),
            ..Default::default()
        };
        assert_eq!(note.get(Lang::English), Some("Звонок справа"));
        assert_eq!(note.get(Lang::Russian), Some("Звонок справа"));
    }
}

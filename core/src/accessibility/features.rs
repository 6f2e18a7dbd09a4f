//! What can be said about a building: [`Feature`]s (objects, never people), their typed
//! [`FeatureValue`]s with units, and [`Facts`], the set of features one observation covers.
//!
//! "Unknown" and "absent" are different things and are kept apart:
//! - a feature missing from [`Facts`] means *not observed* (nobody said);
//! - an explicit negative value means *absent*: `Bool(false)`, `Ramp(RampKind::NoRamp)`,
//!   `Count(0)` parking spaces, an empty `SignLanguages` list (nobody on the staff signs).

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::model::codes::coded_enum;

coded_enum! {
    /// One measurable fact about a building, following A11yJSON / OpenStreetMap conventions.
    /// The code is stored and sent over the wire; the order is stable (append, never reorder).
    pub enum Feature as "accessibility feature" {
        /// The main entrance has no step at all (OSM `step_count=0`, A11yJSON `isLevel`).
        StepFreeEntrance => "entrance_step_free",
        /// Number of steps at the main entrance.
        EntranceStepCount => "entrance_step_count",
        /// Height of the highest entrance step, centimetres.
        EntranceStepHeight => "entrance_step_height_cm",
        /// Ramp at the main entrance: none, fixed or removable.
        Ramp => "ramp",
        /// Ramp slope, whole percent (8 % is 1:12).
        RampSlope => "ramp_slope_percent",
        /// The ramp has handrails.
        RampHandrail => "ramp_handrail",
        /// Clear width of the entrance door, centimetres.
        DoorWidth => "door_width_cm",
        /// Height of the entrance door threshold, centimetres.
        DoorThreshold => "door_threshold_cm",
        /// Hinged, sliding, revolving or automatic.
        DoorType => "door_type",
        /// One must ring a bell or use an intercom to get in.
        BellNeeded => "bell_needed",
        /// The building has a passenger elevator.
        Elevator => "elevator",
        /// The elevator works (a volatile fact: it ages in weeks).
        ElevatorWorking => "elevator_working",
        /// Elevator cabin width as seen from its door, centimetres.
        ElevatorCabinWidth => "elevator_cabin_width_cm",
        /// Elevator cabin depth, centimetres.
        ElevatorCabinDepth => "elevator_cabin_depth_cm",
        /// The elevator announces floors by voice.
        ElevatorSpeech => "elevator_speech",
        /// The elevator buttons carry braille or raised numbers.
        ElevatorBraille => "elevator_braille",
        /// Floor of the workplace, counted as on Kyrgyz buildings: 1 is the street-level floor,
        /// -1 the first basement level; there is no floor 0.
        WorkplaceFloor => "workplace_floor",
        /// The workplace can be reached from the entrance without steps.
        WorkplaceStepFree => "workplace_step_free",
        /// Wheelchair-accessible toilet: yes, limited or no (OSM `toilets:wheelchair`).
        Toilet => "toilet",
        /// Clear width of the accessible toilet's door, centimetres.
        ToiletDoorWidth => "toilet_door_width_cm",
        /// Diameter of the free turning circle inside the toilet, centimetres (150 is the norm).
        ToiletTurningSpace => "toilet_turning_space_cm",
        /// Parking spaces reserved for disabled drivers; 0 means none.
        ParkingSpaces => "parking_spaces",
        /// Walking distance from those parking spaces to the entrance, metres.
        ParkingDistance => "parking_distance_m",
        /// A step-free route leads from the street or the transit stop to the entrance.
        StepFreeRoute => "step_free_route",
        /// Tactile paving or guide strips lead to and through the building.
        TactilePaving => "tactile_paving",
        /// Signs in braille or raised letters.
        BrailleSignage => "braille_signage",
        /// An induction (hearing) loop is installed where visitors are served.
        HearingLoop => "hearing_loop",
        /// The fire alarm also flashes.
        VisualAlarm => "visual_alarm",
        /// Sign languages staff can use; an empty list means nobody signs.
        SignLanguageStaff => "sign_language_staff",
    }
}

coded_enum! {
    /// The kind of value a feature holds. A [`Facts`] never pairs a feature with another kind.
    pub enum ValueKind as "feature value kind" {
        Bool => "bool",
        Count => "count",
        Centimetres => "centimetres",
        Metres => "metres",
        Percent => "percent",
        Floor => "floor",
        Ramp => "ramp",
        DoorType => "door_type",
        Access => "access",
        SignLanguages => "sign_languages",
    }
}

coded_enum! {
    /// How fast a fact goes out of date; sets the half-life of a report's weight (see `aggregate`).
    pub enum Volatility as "volatility" {
        /// Changes from week to week (an elevator breaks down and is repaired).
        Volatile => "volatile",
        /// Changes over months (staff turnover, parking markings, construction on the street).
        Seasonal => "seasonal",
        /// Changes over years (steps, doors, toilets are rebuilt rarely).
        Structural => "structural",
    }
}

impl Volatility {
    /// Age, in days, at which a report's weight has halved.
    pub fn half_life_days(self) -> f64 {
        match self {
            Volatility::Volatile => 14.0,
            Volatility::Seasonal => 90.0,
            Volatility::Structural => 3.0 * 365.0,
        }
    }
}

coded_enum! {
    /// The ramp at the entrance. `NoRamp` is an observed absence, not "unknown".
    pub enum RampKind as "ramp kind" {
        NoRamp => "none",
        Fixed => "fixed",
        /// A portable ramp staff put out on request.
        Removable => "removable",
    }
}

coded_enum! {
    pub enum DoorType as "door type" {
        Hinged => "hinged",
        Sliding => "sliding",
        Revolving => "revolving",
        /// Opens by itself (sensor or button), whatever its leaf type.
        Automatic => "automatic",
    }
}

coded_enum! {
    /// OSM-style three-level access for a facility (used for the toilet).
    pub enum AccessLevel as "access level" {
        Yes => "yes",
        Limited => "limited",
        No => "no",
    }
}

coded_enum! {
    /// Sign languages, by ISO 639-3 code. Deaf people in Kyrgyzstan mostly use Russian Sign
    /// Language (with local signs), so `rsl` is the one that usually matters.
    pub enum SignLanguage as "sign language" {
        Russian => "rsl",
        International => "ils",
        American => "ase",
    }
}

/// A feature's value. The variant must match [`Feature::kind`]; [`Facts`] enforces it.
///
/// Serialized externally tagged, e.g. `{"centimetres": 90}`, `{"bool": false}`, `{"ramp": "none"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeatureValue {
    Bool(bool),
    Count(u32),
    Centimetres(u32),
    Metres(u32),
    Percent(u32),
    Floor(i32),
    Ramp(RampKind),
    DoorType(DoorType),
    Access(AccessLevel),
    /// Sorted and without duplicates once inside [`Facts`].
    SignLanguages(Vec<SignLanguage>),
}

impl FeatureValue {
    pub fn kind(&self) -> ValueKind {
        match self {
            FeatureValue::Bool(_) => ValueKind::Bool,
            FeatureValue::Count(_) => ValueKind::Count,
            FeatureValue::Centimetres(_) => ValueKind::Centimetres,
            FeatureValue::Metres(_) => ValueKind::Metres,
            FeatureValue::Percent(_) => ValueKind::Percent,
            FeatureValue::Floor(_) => ValueKind::Floor,
            FeatureValue::Ramp(_) => ValueKind::Ramp,
            FeatureValue::DoorType(_) => ValueKind::DoorType,
            FeatureValue::Access(_) => ValueKind::Access,
            FeatureValue::SignLanguages(_) => ValueKind::SignLanguages,
        }
    }

    /// The number, for numeric kinds (count, centimetres, metres, percent, floor).
    pub fn number(&self) -> Option<i64> {
        match *self {
            FeatureValue::Count(n)
            | FeatureValue::Centimetres(n)
            | FeatureValue::Metres(n)
            | FeatureValue::Percent(n) => Some(i64::from(n)),
            FeatureValue::Floor(n) => Some(i64::from(n)),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            FeatureValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A value of numeric `kind` holding `n` (clamped into the kind's integer type).
    pub fn numeric(kind: ValueKind, n: i64) -> Option<FeatureValue> {
        let unsigned = u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        Some(match kind {
            ValueKind::Count => FeatureValue::Count(unsigned),
            ValueKind::Centimetres => FeatureValue::Centimetres(unsigned),
            ValueKind::Metres => FeatureValue::Metres(unsigned),
            ValueKind::Percent => FeatureValue::Percent(unsigned),
            ValueKind::Floor => {
                FeatureValue::Floor(n.clamp(i32::MIN.into(), i32::MAX.into()) as i32)
            }
            _ => return None,
        })
    }

    fn normalized(self) -> FeatureValue {
        match self {
            FeatureValue::SignLanguages(mut list) => {
                list.sort();
                list.dedup();
                FeatureValue::SignLanguages(list)
            }
            other => other,
        }
    }
}

impl ValueKind {
    /// Numbers are aggregated by median; everything else by weighted vote.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ValueKind::Count
                | ValueKind::Centimetres
                | ValueKind::Metres
                | ValueKind::Percent
                | ValueKind::Floor
        )
    }
}

impl Feature {
    pub fn kind(self) -> ValueKind {
        use Feature::*;
        match self {
            StepFreeEntrance | RampHandrail | BellNeeded | Elevator | ElevatorWorking
            | ElevatorSpeech | ElevatorBraille | WorkplaceStepFree | StepFreeRoute
            | TactilePaving | BrailleSignage | HearingLoop | VisualAlarm => ValueKind::Bool,
            EntranceStepCount | ParkingSpaces => ValueKind::Count,
            EntranceStepHeight | DoorWidth | DoorThreshold | ElevatorCabinWidth
            | ElevatorCabinDepth | ToiletDoorWidth | ToiletTurningSpace => ValueKind::Centimetres,
            ParkingDistance => ValueKind::Metres,
            RampSlope => ValueKind::Percent,
            WorkplaceFloor => ValueKind::Floor,
            Ramp => ValueKind::Ramp,
            DoorType => ValueKind::DoorType,
            Toilet => ValueKind::Access,
            SignLanguageStaff => ValueKind::SignLanguages,
        }
    }

    pub fn volatility(self) -> Volatility {
        use Feature::*;
        match self {
            ElevatorWorking => Volatility::Volatile,
            BellNeeded | ParkingSpaces | ParkingDistance | StepFreeRoute | SignLanguageStaff => {
                Volatility::Seasonal
            }
            _ => Volatility::Structural,
        }
    }

    /// Accepted values for numeric features (validation of reports and OSM imports).
    pub fn range(self) -> Option<RangeInclusive<i64>> {
        use Feature::*;
        Some(match self {
            EntranceStepCount => 0..=200,
            EntranceStepHeight => 0..=100,
            RampSlope => 0..=100,
            DoorWidth | ToiletDoorWidth => 30..=300,
            DoorThreshold => 0..=50,
            ElevatorCabinWidth | ElevatorCabinDepth => 50..=500,
            ToiletTurningSpace => 50..=500,
            ParkingSpaces => 0..=1000,
            ParkingDistance => 0..=5000,
            WorkplaceFloor => -10..=200,
            _ => return None,
        })
    }

    /// Dotted field name used in validation errors, e.g. `facts.door_width_cm`.
    pub fn field(self) -> &'static str {
        use Feature::*;
        match self {
            StepFreeEntrance => "facts.entrance_step_free",
            EntranceStepCount => "facts.entrance_step_count",
            EntranceStepHeight => "facts.entrance_step_height_cm",
            Ramp => "facts.ramp",
            RampSlope => "facts.ramp_slope_percent",
            RampHandrail => "facts.ramp_handrail",
            DoorWidth => "facts.door_width_cm",
            DoorThreshold => "facts.door_threshold_cm",
            DoorType => "facts.door_type",
            BellNeeded => "facts.bell_needed",
            Elevator => "facts.elevator",
            ElevatorWorking => "facts.elevator_working",
            ElevatorCabinWidth => "facts.elevator_cabin_width_cm",
            ElevatorCabinDepth => "facts.elevator_cabin_depth_cm",
            ElevatorSpeech => "facts.elevator_speech",
            ElevatorBraille => "facts.elevator_braille",
            WorkplaceFloor => "facts.workplace_floor",
            WorkplaceStepFree => "facts.workplace_step_free",
            Toilet => "facts.toilet",
            ToiletDoorWidth => "facts.toilet_door_width_cm",
            ToiletTurningSpace => "facts.toilet_turning_space_cm",
            ParkingSpaces => "facts.parking_spaces",
            ParkingDistance => "facts.parking_distance_m",
            StepFreeRoute => "facts.step_free_route",
            TactilePaving => "facts.tactile_paving",
            BrailleSignage => "facts.braille_signage",
            HearingLoop => "facts.hearing_loop",
            VisualAlarm => "facts.visual_alarm",
            SignLanguageStaff => "facts.sign_language_staff",
        }
    }

    /// Dense index for per-feature arrays (declaration order).
    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// Number of features (length of [`Feature::ALL`]).
pub const FEATURE_COUNT: usize = Feature::SignLanguageStaff as usize + 1;

/// A value whose kind does not fit the feature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{feature} takes a {expected} value, not {found}")]
pub struct KindMismatch {
    pub feature: Feature,
    pub expected: ValueKind,
    pub found: ValueKind,
}

/// The features one observation covers. A missing feature means "not observed".
///
/// Serialized as a JSON object keyed by feature code: `{"door_width_cm": {"centimetres": 90}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    values: BTreeMap<Feature, FeatureValue>,
}

impl Facts {
    pub fn new() -> Self {
        Facts::default()
    }

    /// Sets a feature, replacing any earlier value; rejects a value of the wrong kind.
    pub fn insert(
        &mut self,
        feature: Feature,
        value: FeatureValue,
    ) -> Result<Option<FeatureValue>, KindMismatch> {
        if value.kind() != feature.kind() {
            return Err(KindMismatch {
                feature,
                expected: feature.kind(),
                found: value.kind(),
            });
        }
        Ok(self.values.insert(feature, value.normalized()))
    }

    /// Builder form of [`Facts::insert`] for literal data.
    ///
    /// # Panics
    /// If the value's kind does not fit the feature (a programming error in the literal).
    #[must_use]
    pub fn with(mut self, feature: Feature, value: FeatureValue) -> Self {
        if let Err(e) = self.insert(feature, value) {
            panic!("{e}");
        }
        self
    }

    pub fn get(&self, feature: Feature) -> Option<&FeatureValue> {
        self.values.get(&feature)
    }

    pub fn remove(&mut self, feature: Feature) -> Option<FeatureValue> {
        self.values.remove(&feature)
    }

    pub fn contains(&self, feature: Feature) -> bool {
        self.values.contains_key(&feature)
    }

    pub fn iter(&self) -> impl Iterator<Item = (Feature, &FeatureValue)> {
        self.values.iter().map(|(f, v)| (*f, v))
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Facts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<Feature, FeatureValue>::deserialize(d)?;
        let mut facts = Facts::new();
        for (feature, value) in raw {
            facts
                .insert(feature, value)
                .map_err(serde::de::Error::custom)?;
        }
        Ok(facts)
    }
}

/// The OpenAPI schema of [`Facts`] (teng-core's `utoipa` feature, for the server's document): an
/// object keyed by feature code, each feature with the one value kind it takes and its range, so a
/// client (or a schema-based fuzzer) learns what [`crate::accessibility::validate_fact`] accepts.
#[cfg(feature = "utoipa")]
mod schema {
    use serde_json::{json, Map, Value};
    use utoipa::openapi::{RefOr, Schema};
    use utoipa::{PartialSchema, ToSchema};

    use super::{AccessLevel, DoorType, Facts, Feature, RampKind, SignLanguage, ValueKind};

    fn reference(name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    fn value_schema(feature: Feature) -> Value {
        let kind = feature.kind();
        let value = match kind {
            ValueKind::Bool => json!({ "type": "boolean" }),
            ValueKind::Ramp => reference("RampKind"),
            ValueKind::DoorType => reference("DoorType"),
            ValueKind::Access => reference("AccessLevel"),
            // Duplicates are dropped (the list is kept sorted and unique).
            ValueKind::SignLanguages => json!({
                "type": "array",
                "items": reference("SignLanguage"),
            }),
            ValueKind::Count
            | ValueKind::Centimetres
            | ValueKind::Metres
            | ValueKind::Percent
            | ValueKind::Floor => {
                let (min, max) = match feature.range() {
                    Some(r) => (*r.start(), *r.end()),
                    None if kind == ValueKind::Percent => (0, 100),
                    None if kind == ValueKind::Floor => (i64::from(i32::MIN), i64::from(i32::MAX)),
                    None => (0, i64::from(u32::MAX)),
                };
                if feature == Feature::WorkplaceFloor && min < 0 && max > 0 {
                    // Floors count from 1 at street level; basements are -1, -2, ...: never 0.
                    json!({
                        "description": "1 at street level, -1, -2, ... below (never 0)",
                        "oneOf": [
                            { "type": "integer", "minimum": min, "maximum": -1 },
                            { "type": "integer", "minimum": 1, "maximum": max },
                        ]
                    })
                } else {
                    json!({ "type": "integer", "minimum": min, "maximum": max })
                }
            }
        };
        json!({
            "type": "object",
            "description": format!("{}: a {} value", feature.code(), kind.code()),
            "properties": { kind.code(): value },
            "required": [kind.code()],
            "additionalProperties": false,
        })
    }

    impl PartialSchema for Facts {
        fn schema() -> RefOr<Schema> {
            let properties: Map<String, Value> = Feature::ALL
                .iter()
                .map(|f| (f.code().to_string(), value_schema(*f)))
                .collect();
            let schema = json!({
                "type": "object",
                "description": "Observed features keyed by feature code, each value tagged with its kind, e.g. {\"door_width_cm\": {\"centimetres\": 90}, \"ramp\": {\"ramp\": \"fixed\"}, \"elevator\": {\"bool\": true}}. A feature left out was not observed.",
                "properties": properties,
                "additionalProperties": false,
            });
            // A literal built above from the feature table; a unit test reads it back.
            serde_json::from_value(schema).unwrap_or_default()
        }
    }

    impl ToSchema for Facts {
        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            schemas.push((RampKind::name().into(), RampKind::schema()));
            schemas.push((DoorType::name().into(), DoorType::schema()));
            schemas.push((AccessLevel::name().into(), AccessLevel::schema()));
            schemas.push((SignLanguage::name().into(), SignLanguage::schema()));
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn facts_schema_names_every_feature_with_its_kind() {
            let v = serde_json::to_value(Facts::schema()).unwrap();
            let props = v["properties"].as_object().unwrap();
            assert_eq!(props.len(), Feature::ALL.len());
            assert_eq!(
                v["properties"]["door_width_cm"]["properties"]["centimetres"]["minimum"],
                30
            );
            assert_eq!(v["additionalProperties"], false);
            let floor = &v["properties"]["workplace_floor"]["properties"]["floor"];
            assert_eq!(floor["oneOf"][0]["maximum"], -1, "{floor}");
            assert_eq!(floor["oneOf"][1]["minimum"], 1, "{floor}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_has_a_field_name_with_its_code() {
        for f in Feature::ALL {
            assert_eq!(f.field(), format!("facts.{}", f.code()));
            assert_eq!(Feature::ALL[f.slot()], *f);
        }
        assert_eq!(FEATURE_COUNT, Feature::ALL.len());
    }

    #[test]
    fn facts_reject_a_value_of_the_wrong_kind() {
        let mut facts = Facts::new();
        let err = facts
            .insert(Feature::DoorWidth, FeatureValue::Bool(true))
            .unwrap_err();
        assert_eq!(err.expected, ValueKind::Centimetres);
        assert!(facts.is_empty());
        assert!(facts
            .insert(Feature::DoorWidth, FeatureValue::Centimetres(90))
            .is_ok());
    }

    #[test]
    fn facts_serialize_by_code_and_refuse_mismatched_kinds() {
        let facts = Facts::new()
            .with(Feature::DoorWidth, FeatureValue::Centimetres(90))
            .with(Feature::Ramp, FeatureValue::Ramp(RampKind::NoRamp))
            .with(
                Feature::SignLanguageStaff,
                FeatureValue::SignLanguages(vec![
                    SignLanguage::Russian,
                    SignLanguage::American,
                    SignLanguage::Russian,
                ]),
            );
        let json = serde_json::to_string(&facts).unwrap();
        assert_eq!(
            json,
            r#"{"ramp":{"ramp":"none"},"door_width_cm":{"centimetres":90},"sign_language_staff":{"sign_languages":["rsl","ase"]}}"#
        );
        let back: Facts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, facts);
        assert!(serde_json::from_str::<Facts>(r#"{"door_width_cm":{"bool":true}}"#).is_err());
    }

    #[test]
    fn absent_is_not_unknown() {
        let facts = Facts::new().with(Feature::Ramp, FeatureValue::Ramp(RampKind::NoRamp));
        assert_eq!(
            facts.get(Feature::Ramp),
            Some(&FeatureValue::Ramp(RampKind::NoRamp))
        );
        assert_eq!(facts.get(Feature::Elevator), None);
    }
}

//! Facts as an A11yJSON `accessibility` object (modest subset; field names from the A11yJSON
//! `Accessibility`, `Entrance`, `Door`, `Stairs`, `Restroom`, `Parking` and `Staff` interfaces).
//! Lengths are A11yJSON quantities: `{"value": 90, "unit": "cm"}`. A property is present only when
//! the fact is known, so a missing property keeps meaning "unknown", as in A11yJSON. The elevator
//! (an A11yJSON `EquipmentInfo`, a separate record) is not included.

use serde_json::{json, Map, Value};

use super::features::{AccessLevel, DoorType, Feature, FeatureValue, RampKind};
use super::grade::{entrance_level, signing_staff, wheelchair, FactSource, Grade};

fn length(value: i64, unit: &str) -> Value {
    json!({ "value": value, "unit": unit })
}

fn put(obj: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        obj.insert(key.to_string(), v);
    }
}

/// An A11yJSON `accessibility` object for the facts `src` gives ([`Facts`](super::Facts) or a
/// summary's usable facts).
pub fn to_a11yjson(src: &impl FactSource) -> Value {
    let mut acc = Map::new();
    let grade = match wheelchair(src) {
        Grade::Yes => Some("fully"),
        Grade::Limited => Some("partially"),
        Grade::No => Some("not"),
        Grade::Unknown => None,
    };
    put(
        &mut acc,
        "wheelchairAccessibilityGrade",
        grade.map(Value::from),
    );

    let mut entrance = Map::new();
    entrance.insert("isMainEntrance".into(), Value::Bool(true));
    put(
        &mut entrance,
        "isLevel",
        entrance_level(src).map(Value::Bool),
    );
    match src.fact(Feature::Ramp) {
        Some(FeatureValue::Ramp(RampKind::Fixed)) => {
            entrance.insert("hasFixedRamp".into(), Value::Bool(true));
        }
        Some(FeatureValue::Ramp(RampKind::Removable)) => {
            entrance.insert("hasFixedRamp".into(), Value::Bool(false));
            entrance.insert("hasRemovableRamp".into(), Value::Bool(true));
        }
        Some(FeatureValue::Ramp(RampKind::NoRamp)) => {
            entrance.insert("hasFixedRamp".into(), Value::Bool(false));
            entrance.insert("hasRemovableRamp".into(), Value::Bool(false));
        }
        _ => {}
    }
    let mut stairs = Map::new();
    put(
        &mut stairs,
        "count",
        src.number(Feature::EntranceStepCount).map(Value::from),
    );
    put(
        &mut stairs,
        "stepHeight",
        src.number(Feature::EntranceStepHeight)
            .map(|h| length(h, "cm")),
    );
    if !stairs.is_empty() {
        entrance.insert("stairs".into(), Value::Object(stairs));
    }
    let mut door = Map::new();
    put(
        &mut door,
        "width",
        src.number(Feature::DoorWidth).map(|w| length(w, "cm")),
    );
    put(
        &mut door,
        "thresholdHeight",
        src.number(Feature::DoorThreshold).map(|t| length(t, "cm")),
    );
    if let Some(FeatureValue::DoorType(kind)) = src.fact(Feature::DoorType) {
        door.insert(
            "isAutomatic".into(),
            Value::Bool(*kind == DoorType::Automatic),
        );
        door.insert(
            "isRevolving".into(),
            Value::Bool(*kind == DoorType::Revolving),
        );
        door.insert("isSliding".into(), Value::Bool(*kind == DoorType::Sliding));
    }
    put(
        &mut door,
        "needsDoorbell",
        src.flag(Feature::BellNeeded).map(Value::Bool),
    );
    if !door.is_empty() {
        entrance.insert("door".into(), Value::Object(door));
    }
    if entrance.len() > 1 {
        acc.insert(
            "entrances".into(),
            Value::Array(vec![Value::Object(entrance)]),
        );
    }

    let mut restroom = Map::new();
    if let Some(FeatureValue::Access(level)) = src.fact(Feature::Toilet) {
        match level {
            AccessLevel::Yes => put(
                &mut restroom,
                "isAccessibleWithWheelchair",
                Some(Value::Bool(true)),
            ),
            AccessLevel::No => put(
                &mut restroom,
                "isAccessibleWithWheelchair",
                Some(Value::Bool(false)),
            ),
            AccessLevel::Limited => {}
        }
    }
    if let Some(w) = src.number(Feature::ToiletDoorWidth) {
        restroom.insert(
            "entrance".into(),
            json!({ "door": { "width": length(w, "cm") } }),
        );
    }
    put(
        &mut restroom,
        "turningSpaceInside",
        src.number(Feature::ToiletTurningSpace)
            .map(|t| length(t, "cm")),
    );
    if !restroom.is_empty() {
        acc.insert(
            "restrooms".into(),
            Value::Array(vec![Value::Object(restroom)]),
        );
    }

    let mut for_wheelchairs = Map::new();
    put(
        &mut for_wheelchairs,
        "count",
        src.number(Feature::ParkingSpaces).map(Value::from),
    );
    put(
        &mut for_wheelchairs,
        "distanceToEntrance",
        src.number(Feature::ParkingDistance).map(|m| length(m, "m")),
    );
    if !for_wheelchairs.is_empty() {
        acc.insert(
            "parking".into(),
            json!({ "forWheelchairUsers": for_wheelchairs }),
        );
    }

    if signing_staff(src) == Some(true) {
        if let Some(FeatureValue::SignLanguages(list)) = src.fact(Feature::SignLanguageStaff) {
            let codes: Vec<Value> = list.iter().map(|l| Value::from(l.code())).collect();
            acc.insert("staff".into(), json!({ "spokenLanguages": codes }));
        }
    }
    put(
        &mut acc,
        "hasInductionLoop",
        src.flag(Feature::HearingLoop).map(Value::Bool),
    );
    put(
        &mut acc,
        "hasTactileGuideStrips",
        src.flag(Feature::TactilePaving).map(Value::Bool),
    );
    put(
        &mut acc,
        "hasBrailleSignage",
        src.flag(Feature::BrailleSignage).map(Value::Bool),
    );
    Value::Object(acc)
}

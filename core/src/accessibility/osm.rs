//! OpenStreetMap tags out and in, for exchange with OSM and Wheelmap.
//!
//! | fact | tag |
//! | --- | --- |
//! | wheelchair grade (derived) | `wheelchair=yes/limited/no` |
//! | no step / step count | `step_count=0` / `step_count=N` |
//! | highest step | `step:height` (metres, as on `highway=steps`) |
//! | ramp | `ramp=no`; fixed: `ramp=yes` + `ramp:wheelchair=yes`; removable: also `ramp:portable=yes` |
//! | door width | `door:width` (metres) |
//! | door type | `door=hinged/sliding/revolving`; automatic: `automatic_door=yes` |
//! | elevator | `elevator=yes/no` |
//! | toilet | `toilets:wheelchair=yes/limited/no` |
//! | reserved parking | `capacity:disabled=N` |
//! | tactile paving | `tactile_paving=yes/no` |
//! | braille signs | `tactile_writing=yes/no` |
//! | hearing loop | `audio_loop=yes/no` (import also reads `hearing_loop`) |
//!
//! Everything else (slopes, handrails, thresholds, elevator state, floors, staff, alarms) has no
//! established building-level tag and is not exported; [`osm_expressible`] says exactly what
//! survives a round trip.
//!
//! Import of a bare Wheelmap grade (no `step_count`, `ramp*`, `step:height` or `door:width`):
//! `wheelchair=yes` means (per the OSM wiki) a step-free entry and step-free rooms, so it yields
//! `entrance_step_free = true` and `workplace_step_free = true`; `wheelchair=limited` means an entry
//! with one low step or a mobile ramp and the important rooms step-free, so it yields
//! `entrance_step_free = false` and `workplace_step_free = true`; `wheelchair=no` yields nothing
//! (it does not say which barrier). Values this module does not know are ignored; malformed or
//! out-of-range numbers are errors.

use std::collections::BTreeMap;

use super::features::{AccessLevel, DoorType as DoorKind, Facts, Feature, FeatureValue, RampKind};
use super::grade::{entrance_level, wheelchair, FactSource, Grade};
use super::report::validate_fact;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("OSM tag {key}={value:?}: {reason}")]
pub struct OsmError {
    pub key: String,
    pub value: String,
    pub reason: String,
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn metres(cm: i64) -> String {
    format!("{}", cm as f64 / 100.0)
}

/// OSM tags for the facts `src` gives: [`Facts`], or a [`BuildingSummary`](super::BuildingSummary)
/// (its usable facts; use `summary.confirmed_facts()` to export confirmed facts only).
pub fn to_osm_tags(src: &impl FactSource) -> BTreeMap<String, String> {
    use Feature::*;
    let mut tags = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        tags.insert(k.to_string(), v);
    };
    match wheelchair(src) {
        Grade::Yes => put("wheelchair", "yes".into()),
        Grade::Limited => put("wheelchair", "limited".into()),
        Grade::No => put("wheelchair", "no".into()),
        Grade::Unknown => {}
    }
    match src.number(EntranceStepCount) {
        Some(n) => put("step_count", n.to_string()),
        None if entrance_level(src) == Some(true) => put("step_count", "0".into()),
        None => {}
    }
    if let Some(h) = src.number(EntranceStepHeight) {
        put("step:height", metres(h));
    }
    match src.fact(Ramp) {
        Some(FeatureValue::Ramp(RampKind::NoRamp)) => put("ramp", "no".into()),
        Some(FeatureValue::Ramp(kind)) => {
            put("ramp", "yes".into());
            put("ramp:wheelchair", "yes".into());
            if *kind == RampKind::Removable {
                put("ramp:portable", "yes".into());
            }
        }
        _ => {}
    }
    if let Some(w) = src.number(DoorWidth) {
        put("door:width", metres(w));
    }
    match src.fact(DoorType) {
        Some(FeatureValue::DoorType(DoorKind::Automatic)) => put("automatic_door", "yes".into()),
        Some(FeatureValue::DoorType(kind)) => put("door", kind.code().to_string()),
        _ => {}
    }
    if let Some(b) = src.flag(Elevator) {
        put("elevator", yes_no(b));
    }
    if let Some(FeatureValue::Access(a)) = src.fact(Toilet) {
        put("toilets:wheelchair", a.code().to_string());
    }
    if let Some(n) = src.number(ParkingSpaces) {
        put("capacity:disabled", n.to_string());
    }
    for (feature, key) in [
        (TactilePaving, "tactile_paving"),
        (BrailleSignage, "tactile_writing"),
        (HearingLoop, "audio_loop"),
    ] {
        if let Some(b) = src.flag(feature) {
            put(key, yes_no(b));
        }
    }
    tags
}

/// The part of `facts` that survives `from_osm_tags(&to_osm_tags(facts))`, in the form it comes
/// back: a step count of 0 comes back as `entrance_step_free = true`; a step count above 0 stands
/// alone (it implies steps); `entrance_step_free = false` without a count is lost.
pub fn osm_expressible(facts: &Facts) -> Facts {
    use Feature::*;
    let mut out = Facts::new();
    match (
        facts.number(EntranceStepCount),
        facts.flag(StepFreeEntrance),
    ) {
        (Some(0), _) | (None, Some(true)) => {
            out = out.with(StepFreeEntrance, FeatureValue::Bool(true));
        }
        (Some(n), _) => out = out.with(EntranceStepCount, FeatureValue::Count(n as u32)),
        (None, _) => {}
    }
    for f in [
        EntranceStepHeight,
        Ramp,
        DoorWidth,
        DoorType,
        Elevator,
        Toilet,
        ParkingSpaces,
        TactilePaving,
        BrailleSignage,
        HearingLoop,
    ] {
        if let Some(v) = facts.get(f) {
            out = out.with(f, v.clone());
        }
    }
    out
}

fn bad(key: &str, value: &str, reason: impl Into<String>) -> OsmError {
    OsmError {
        key: key.to_string(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// A length in centimetres from an OSM value: metres by default (`0.9`, `0,9`, `0.9 m`), or with an
/// explicit `cm` / `mm` unit.
fn parse_length_cm(key: &str, value: &str) -> Result<u32, OsmError> {
    let v = value.trim().replace(',', ".");
    let (number, factor) = if let Some(n) = v.strip_suffix("cm") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix("mm") {
        (n, 0.1)
    } else if let Some(n) = v.strip_suffix('m') {
        (n, 100.0)
    } else {
        (v.as_str(), 100.0)
    };
    let x: f64 = number.trim().parse().map_err(|_| {
        bad(
            key,
            value,
            "expected a length such as 0.9 (metres) or 90 cm",
        )
    })?;
    if !x.is_finite() || x < 0.0 {
        return Err(bad(key, value, "expected a non-negative length"));
    }
    Ok((x * factor).round() as u32)
}

fn parse_count(key: &str, value: &str) -> Result<u32, OsmError> {
    value
        .trim()
        .parse()
        .map_err(|_| bad(key, value, "expected a whole number"))
}

fn parse_yes_no(value: &str) -> Option<bool> {
    match value.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// Facts from OSM tags (of a building, an entrance or a Wheelmap node). See the module doc.
pub fn from_osm_tags(tags: &BTreeMap<String, String>) -> Result<Facts, OsmError> {
    use Feature::*;
    let get = |k: &str| tags.get(k).map(|s| s.trim());
    let mut facts = Facts::new();
    let set = |facts: &mut Facts, key: &str, f: Feature, v: FeatureValue| -> Result<(), OsmError> {
        validate_fact(f, &v).map_err(|e| bad(key, get(key).unwrap_or(""), e.to_string()))?;
        facts
            .insert(f, v)
            .map_err(|e| bad(key, get(key).unwrap_or(""), e.to_string()))?;
        Ok(())
    };

    if let Some(v) = get("step_count") {
        match parse_count("step_count", v)? {
            0 => set(
                &mut facts,
                "step_count",
                StepFreeEntrance,
                FeatureValue::Bool(true),
            )?,
            n => set(
                &mut facts,
                "step_count",
                EntranceStepCount,
                FeatureValue::Count(n),
            )?,
        }
    }
    if let Some(v) = get("step:height") {
        let cm = parse_length_cm("step:height", v)?;
        set(
            &mut facts,
            "step:height",
            EntranceStepHeight,
            FeatureValue::Centimetres(cm),
        )?;
    }
    let ramp = if get("ramp:portable") == Some("yes") {
        Some(RampKind::Removable)
    } else if get("ramp") == Some("yes") || get("ramp:wheelchair") == Some("yes") {
        Some(RampKind::Fixed)
    } else if get("ramp") == Some("no") || get("ramp:wheelchair") == Some("no") {
        Some(RampKind::NoRamp)
    } else {
        None
    };
    if let Some(kind) = ramp {
        set(&mut facts, "ramp", Ramp, FeatureValue::Ramp(kind))?;
    }
    if let Some(v) = get("door:width") {
        let cm = parse_length_cm("door:width", v)?;
        set(
            &mut facts,
            "door:width",
            DoorWidth,
            FeatureValue::Centimetres(cm),
        )?;
    }
    let automatic = get("automatic_door").is_some_and(|v| v != "no");
    let door = if automatic {
        Some(DoorKind::Automatic)
    } else {
        match get("door") {
            Some("hinged") => Some(DoorKind::Hinged),
            Some("sliding") => Some(DoorKind::Sliding),
            Some("revolving") => Some(DoorKind::Revolving),
            _ => None,
        }
    };
    if let Some(kind) = door {
        set(
            &mut facts,
            "door",
            Feature::DoorType,
            FeatureValue::DoorType(kind),
        )?;
    }
    if let Some(b) = get("elevator").and_then(parse_yes_no) {
        set(&mut facts, "elevator", Elevator, FeatureValue::Bool(b))?;
    }
    let toilet = match get("toilets:wheelchair") {
        Some("yes") | Some("designated") => Some(AccessLevel::Yes),
        Some("limited") => Some(AccessLevel::Limited),
        Some("no") => Some(AccessLevel::No),
        _ => None,
    };
    if let Some(level) = toilet {
        set(
            &mut facts,
            "toilets:wheelchair",
            Toilet,
            FeatureValue::Access(level),
        )?;
    }
    match get("capacity:disabled") {
        Some("no") => set(
            &mut facts,
            "capacity:disabled",
            ParkingSpaces,
            FeatureValue::Count(0),
        )?,
        Some("yes") | None => {}
        Some(v) => {
            let n = parse_count("capacity:disabled", v)?;
            set(
                &mut facts,
                "capacity:disabled",
                ParkingSpaces,
                FeatureValue::Count(n),
            )?;
        }
    }
    for (key, feature) in [
        ("tactile_paving", TactilePaving),
        ("tactile_writing", BrailleSignage),
        ("audio_loop", HearingLoop),
        ("hearing_loop", HearingLoop),
    ] {
        if facts.contains(feature) {
            continue;
        }
        if let Some(b) = get(key).and_then(parse_yes_no) {
            set(&mut facts, key, feature, FeatureValue::Bool(b))?;
        }
    }

    let detailed = [
        "step_count",
        "step:height",
        "ramp",
        "ramp:wheelchair",
        "ramp:portable",
        "door:width",
    ]
    .iter()
    .any(|k| tags.contains_key(*k));
    if !detailed {
        match get("wheelchair") {
            Some("yes") | Some("designated") => {
                set(
                    &mut facts,
                    "wheelchair",
                    StepFreeEntrance,
                    FeatureValue::Bool(true),
                )?;
                set(
                    &mut facts,
                    "wheelchair",
                    WorkplaceStepFree,
                    FeatureValue::Bool(true),
                )?;
            }
            Some("limited") => {
                set(
                    &mut facts,
                    "wheelchair",
                    StepFreeEntrance,
                    FeatureValue::Bool(false),
                )?;
                set(
                    &mut facts,
                    "wheelchair",
                    WorkplaceStepFree,
                    FeatureValue::Bool(true),
                )?;
            }
            _ => {}
        }
    }
    Ok(facts)
}

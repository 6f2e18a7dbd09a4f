//! The Open311 services: the accessibility problems a Teng report can carry, as one table
//! ([`SERVICES`]) over the core's features ([`Feature`]) and the grades' thresholds.
//!
//! Each service says which facts report the problem ([`Service::reported`]), what a POST of it
//! states before its attributes ([`Service::states`]), and which attributes (named by the core's
//! feature codes) a client may add. A report is one service request per service its facts report;
//! a report whose facts report no problem but which has a note is one `other` request; a report
//! that only says what works (a fixed ramp, a working elevator) is no request at all.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

use teng_core::accessibility::grade::{MAX_RAMP_SLOPE_YES, MAX_THRESHOLD_YES_CM, MIN_DOOR_YES_CM};
use teng_core::accessibility::report::validate_fact as validate_fact_value;
use teng_core::accessibility::{
    label, AccessLevel, AccessibilityReport, DoorType, Facts, Feature, FeatureValue, Lang,
    RampKind, SignLanguage, ValueKind,
};

use super::format::{split_format, Doc, Open311Error};
use super::{check_jurisdiction, Open311Query};
use crate::state::AppState;

/// An attribute a POST may send as `attribute[CODE]=value`: the feature of that code.
#[derive(Debug, Clone, Copy)]
pub struct Attribute {
    pub feature: Feature,
    pub required: bool,
}

const fn optional(feature: Feature) -> Attribute {
    Attribute {
        feature,
        required: false,
    }
}

const fn required(feature: Feature) -> Attribute {
    Attribute {
        feature,
        required: true,
    }
}

/// One kind of problem.
pub struct Service {
    /// Stable code (part of every request id): lower-case ASCII, digits and `_`.
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub group: &'static str,
    pub keywords: &'static str,
    /// The features the problem is about: their reported values make the request's description.
    pub about: &'static [Feature],
    /// What a POST of this service states before its attributes: the problem itself.
    pub states: fn() -> Facts,
    pub attributes: &'static [Attribute],
    /// Whether these facts report the problem.
    pub reported: fn(&Facts) -> bool,
}

fn flag(f: &Facts, feature: Feature) -> Option<bool> {
    f.get(feature).and_then(FeatureValue::as_bool)
}

fn number(f: &Facts, feature: Feature) -> Option<i64> {
    f.get(feature).and_then(FeatureValue::number)
}

fn stating(pairs: &[(Feature, FeatureValue)]) -> Facts {
    let mut facts = Facts::new();
    for (feature, value) in pairs {
        // The table's own literals; a wrong kind is caught by `every_service_reports_what_it_states`.
        let _ = facts.insert(*feature, value.clone());
    }
    facts
}

fn nothing() -> Facts {
    Facts::new()
}

/// The code of the catch-all service: a report with a note but no recognised problem.
pub const OTHER: &str = "other";

use Feature as F;
use FeatureValue as V;

/// Every service, in the order `services.xml` lists them. Append; never rename a code (request
/// ids contain it).
pub static SERVICES: &[Service] = &[
    Service {
        code: "entrance_steps",
        name: "Steps at the entrance",
        description: "The main entrance has one or more steps and no fixed ramp beside them.",
        group: "entrance",
        keywords: "steps, stairs, stairway, entrance, wheelchair, pram",
        about: &[F::StepFreeEntrance, F::EntranceStepCount, F::EntranceStepHeight, F::Ramp],
        states: || stating(&[(F::StepFreeEntrance, V::Bool(false))]),
        attributes: &[optional(F::EntranceStepCount), optional(F::EntranceStepHeight)],
        reported: |f| {
            let steps = match number(f, F::EntranceStepCount) {
                Some(n) => n > 0,
                None => flag(f, F::StepFreeEntrance) == Some(false),
            };
            steps && f.get(F::Ramp) != Some(&V::Ramp(RampKind::Fixed))
        },
    },
    Service {
        code: "no_ramp",
        name: "No ramp at the entrance",
        description: "There is no ramp at the entrance, or only a portable one that staff must bring out.",
        group: "entrance",
        keywords: "ramp, slope, wheelchair, entrance, steps",
        about: &[F::Ramp, F::EntranceStepCount],
        states: || stating(&[(F::Ramp, V::Ramp(RampKind::NoRamp))]),
        attributes: &[optional(F::Ramp), optional(F::EntranceStepCount)],
        reported: |f| {
            matches!(
                f.get(F::Ramp),
                Some(V::Ramp(RampKind::NoRamp | RampKind::Removable))
            ) && number(f, F::EntranceStepCount) != Some(0)
                && flag(f, F::StepFreeEntrance) != Some(true)
        },
    },
    Service {
        code: "steep_ramp",
        name: "Ramp too steep",
        description: "The entrance ramp is steeper than 8 percent (1:12), too steep to use without help.",
        group: "entrance",
        keywords: "ramp, slope, steep, gradient, wheelchair",
        about: &[F::RampSlope, F::Ramp],
        states: nothing,
        attributes: &[required(F::RampSlope)],
        reported: |f| number(f, F::RampSlope).is_some_and(|n| n > MAX_RAMP_SLOPE_YES),
    },
    Service {
        code: "ramp_without_handrails",
        name: "Ramp without handrails",
        description: "The entrance ramp has no handrails to hold on to.",
        group: "entrance",
        keywords: "ramp, handrail, rail, grab bar",
        about: &[F::RampHandrail],
        states: || stating(&[(F::RampHandrail, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::RampHandrail) == Some(false),
    },
    Service {
        code: "narrow_door",
        name: "Entrance door too narrow",
        description: "The entrance door's clear width is under 90 centimetres.",
        group: "door",
        keywords: "door, doorway, narrow, width, wheelchair",
        about: &[F::DoorWidth],
        states: nothing,
        attributes: &[required(F::DoorWidth)],
        reported: |f| number(f, F::DoorWidth).is_some_and(|n| n < MIN_DOOR_YES_CM),
    },
    Service {
        code: "high_threshold",
        name: "High door threshold",
        description: "The entrance door's threshold is higher than 2 centimetres.",
        group: "door",
        keywords: "threshold, sill, door, step, wheelchair",
        about: &[F::DoorThreshold],
        states: nothing,
        attributes: &[required(F::DoorThreshold)],
        reported: |f| number(f, F::DoorThreshold).is_some_and(|n| n > MAX_THRESHOLD_YES_CM),
    },
    Service {
        code: "revolving_door",
        name: "Revolving door only",
        description: "The entrance has a revolving door, which wheelchairs, walkers and guide dogs cannot use.",
        group: "door",
        keywords: "revolving door, turnstile, door",
        about: &[F::DoorType],
        states: || stating(&[(F::DoorType, V::DoorType(DoorType::Revolving))]),
        attributes: &[],
        reported: |f| f.get(F::DoorType) == Some(&V::DoorType(DoorType::Revolving)),
    },
    Service {
        code: "bell_only_entry",
        name: "Entry by bell or intercom only",
        description: "The door opens only after ringing a bell or speaking into an intercom, which a deaf visitor cannot use.",
        group: "entrance",
        keywords: "bell, intercom, doorbell, deaf, entrance",
        about: &[F::BellNeeded],
        states: || stating(&[(F::BellNeeded, V::Bool(true))]),
        attributes: &[],
        reported: |f| flag(f, F::BellNeeded) == Some(true),
    },
    Service {
        code: "no_elevator",
        name: "No elevator",
        description: "The building has floors above or below the street but no passenger elevator.",
        group: "elevator",
        keywords: "elevator, lift, floors, stairs, wheelchair",
        about: &[F::Elevator, F::WorkplaceFloor],
        states: || stating(&[(F::Elevator, V::Bool(false))]),
        attributes: &[optional(F::WorkplaceFloor)],
        // A workplace on the street floor needs no elevator.
        reported: |f| flag(f, F::Elevator) == Some(false) && number(f, F::WorkplaceFloor) != Some(1),
    },
    Service {
        code: "elevator_out_of_order",
        name: "Elevator out of order",
        description: "The building's elevator does not work.",
        group: "elevator",
        keywords: "elevator, lift, broken, out of order, repair",
        about: &[F::ElevatorWorking],
        states: || stating(&[(F::ElevatorWorking, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::ElevatorWorking) == Some(false),
    },
    Service {
        code: "workplace_not_step_free",
        name: "No step-free way inside",
        description: "Inside the building, the way from the entrance to the workplace has steps.",
        group: "inside",
        keywords: "steps, stairs, corridor, inside, workplace",
        about: &[F::WorkplaceStepFree, F::WorkplaceFloor],
        states: || stating(&[(F::WorkplaceStepFree, V::Bool(false))]),
        attributes: &[optional(F::WorkplaceFloor)],
        reported: |f| flag(f, F::WorkplaceStepFree) == Some(false),
    },
    Service {
        code: "no_accessible_toilet",
        name: "No accessible toilet",
        description: "There is no wheelchair-accessible toilet, or only a partly accessible one.",
        group: "facilities",
        keywords: "toilet, restroom, WC, bathroom, wheelchair",
        about: &[F::Toilet, F::ToiletDoorWidth, F::ToiletTurningSpace],
        states: || stating(&[(F::Toilet, V::Access(AccessLevel::No))]),
        attributes: &[optional(F::Toilet)],
        reported: |f| {
            matches!(
                f.get(F::Toilet),
                Some(V::Access(AccessLevel::No | AccessLevel::Limited))
            )
        },
    },
    Service {
        code: "no_accessible_parking",
        name: "No accessible parking",
        description: "No parking space is reserved for disabled drivers.",
        group: "parking_and_route",
        keywords: "parking, car park, disabled parking, blue badge",
        about: &[F::ParkingSpaces],
        states: || stating(&[(F::ParkingSpaces, V::Count(0))]),
        attributes: &[],
        reported: |f| number(f, F::ParkingSpaces) == Some(0),
    },
    Service {
        code: "no_step_free_route",
        name: "No step-free route to the entrance",
        description: "The way from the street or the transit stop to the entrance has steps, high kerbs or other barriers.",
        group: "parking_and_route",
        keywords: "route, sidewalk, pavement, kerb, curb, path",
        about: &[F::StepFreeRoute],
        states: || stating(&[(F::StepFreeRoute, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::StepFreeRoute) == Some(false),
    },
    Service {
        code: "no_tactile_paving",
        name: "No tactile paving",
        description: "No tactile paving or guide strips lead to and through the building.",
        group: "vision",
        keywords: "tactile paving, guide strips, blind, white cane",
        about: &[F::TactilePaving],
        states: || stating(&[(F::TactilePaving, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::TactilePaving) == Some(false),
    },
    Service {
        code: "no_braille_signage",
        name: "No braille signs",
        description: "Signs have no braille or raised letters.",
        group: "vision",
        keywords: "braille, signs, raised letters, blind",
        about: &[F::BrailleSignage],
        states: || stating(&[(F::BrailleSignage, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::BrailleSignage) == Some(false),
    },
    Service {
        code: "no_hearing_loop",
        name: "No hearing loop",
        description: "There is no induction (hearing) loop where visitors are served.",
        group: "hearing",
        keywords: "hearing loop, induction loop, hearing aid, deaf",
        about: &[F::HearingLoop],
        states: || stating(&[(F::HearingLoop, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::HearingLoop) == Some(false),
    },
    Service {
        code: "no_visual_alarm",
        name: "No flashing fire alarm",
        description: "The fire alarm only sounds; it does not flash, so deaf people miss it.",
        group: "hearing",
        keywords: "fire alarm, visual alarm, flashing light, deaf",
        about: &[F::VisualAlarm],
        states: || stating(&[(F::VisualAlarm, V::Bool(false))]),
        attributes: &[],
        reported: |f| flag(f, F::VisualAlarm) == Some(false),
    },
    Service {
        code: "no_sign_language",
        name: "Nobody on the staff signs",
        description: "No one on the staff can use a sign language.",
        group: "hearing",
        keywords: "sign language, deaf, interpreter, RSL",
        about: &[F::SignLanguageStaff],
        states: || stating(&[(F::SignLanguageStaff, V::SignLanguages(Vec::new()))]),
        attributes: &[],
        reported: |f| matches!(f.get(F::SignLanguageStaff), Some(V::SignLanguages(l)) if l.is_empty()),
    },
    Service {
        code: OTHER,
        name: "Other accessibility problem",
        description: "Any other barrier; say what it is in the description.",
        group: "other",
        keywords: "other, barrier, accessibility",
        about: &[],
        states: nothing,
        attributes: &[],
        reported: |_| false,
    },
];

/// The service of `code`.
pub fn service(code: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.code == code)
}

/// The services a report stands for, in table order.
pub fn services_of(report: &AccessibilityReport) -> Vec<&'static Service> {
    let found: Vec<&'static Service> = SERVICES
        .iter()
        .filter(|s| (s.reported)(&report.facts))
        .collect();
    if found.is_empty() && report.note.as_ref().is_some_and(|n| !n.is_empty()) {
        return service(OTHER).into_iter().collect();
    }
    found
}

/// The spec's `datatype` of an attribute.
fn datatype(feature: Feature) -> &'static str {
    match feature.kind() {
        ValueKind::SignLanguages => "multivaluelist",
        kind if kind.is_numeric() => "number",
        _ => "singlevaluelist",
    }
}

/// The choices of a list attribute: (key, English name).
pub fn values(feature: Feature) -> Vec<(&'static str, &'static str)> {
    let en = Lang::English;
    match feature.kind() {
        ValueKind::Bool => vec![("true", "yes"), ("false", "no")],
        ValueKind::Ramp => RampKind::ALL
            .iter()
            .map(|k| (k.code(), label(*k, en)))
            .collect(),
        ValueKind::DoorType => DoorType::ALL
            .iter()
            .map(|k| (k.code(), label(*k, en)))
            .collect(),
        ValueKind::Access => AccessLevel::ALL
            .iter()
            .map(|k| (k.code(), label(*k, en)))
            .collect(),
        ValueKind::SignLanguages => SignLanguage::ALL
            .iter()
            .map(|k| (k.code(), label(*k, en)))
            .collect(),
        _ => Vec::new(),
    }
}

fn datatype_description(feature: Feature) -> Option<String> {
    let unit = match feature.kind() {
        ValueKind::Count => "a whole number",
        ValueKind::Centimetres => "whole centimetres",
        ValueKind::Metres => "whole metres",
        ValueKind::Percent => "whole percent",
        ValueKind::Floor => "a floor number: 1 is the street-level floor, -1 the first basement",
        _ => return None,
    };
    Some(match feature.range() {
        Some(r) => format!("{unit}, {} to {}", r.start(), r.end()),
        None => unit.to_string(),
    })
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The attribute's value as a fact, or why not (the message; the caller names the field).
pub fn parse_attribute(feature: Feature, values: &[String]) -> Result<FeatureValue, String> {
    let kind = feature.kind();
    if kind != ValueKind::SignLanguages && values.len() != 1 {
        return Err("give one value".into());
    }
    let one = values.first().map(|v| v.trim()).unwrap_or_default();
    let value = match kind {
        kind if kind.is_numeric() => {
            let n: i64 = one
                .parse()
                .map_err(|_| format!("{one:?} is not a whole number"))?;
            if let Some(range) = feature.range() {
                if !range.contains(&n) {
                    return Err(format!(
                        "{n} is out of range {}..{}",
                        range.start(),
                        range.end()
                    ));
                }
            }
            FeatureValue::numeric(kind, n).ok_or("not a number attribute")?
        }
        ValueKind::Bool => match one {
            "true" | "yes" | "1" => V::Bool(true),
            "false" | "no" | "0" => V::Bool(false),
            _ => return Err(format!("{one:?} is not one of: true, false")),
        },
        ValueKind::Ramp => V::Ramp(RampKind::from_code(one).map_err(|e| e.to_string())?),
        ValueKind::DoorType => V::DoorType(DoorType::from_code(one).map_err(|e| e.to_string())?),
        ValueKind::Access => V::Access(AccessLevel::from_code(one).map_err(|e| e.to_string())?),
        ValueKind::SignLanguages => V::SignLanguages(
            values
                .iter()
                .filter(|v| !v.trim().is_empty())
                .map(|v| SignLanguage::from_code(v.trim()).map_err(|e| e.to_string()))
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err("this attribute cannot be sent".into()),
    };
    validate_fact_value(feature, &value).map_err(|e| e.to_string())?;
    Ok(value)
}

fn service_doc(s: &Service) -> Doc {
    Doc::Object(vec![
        ("service_code", Doc::text(s.code)),
        ("service_name", Doc::text(s.name)),
        ("description", Doc::text(s.description)),
        ("metadata", Doc::Bool(!s.attributes.is_empty())),
        ("type", Doc::text("realtime")),
        ("keywords", Doc::text(s.keywords)),
        ("group", Doc::text(s.group)),
    ])
}

/// The service definition: its attributes in order (1 first).
pub fn definition_doc(s: &Service) -> Doc {
    let attributes = s
        .attributes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let values = values(a.feature)
                .into_iter()
                .map(|(key, name)| {
                    Doc::Object(vec![("key", Doc::text(key)), ("name", Doc::text(name))])
                })
                .collect();
            Doc::Object(vec![
                ("variable", Doc::Bool(true)),
                ("code", Doc::text(a.feature.code())),
                ("datatype", Doc::text(datatype(a.feature))),
                ("required", Doc::Bool(a.required)),
                (
                    "datatype_description",
                    Doc::opt(datatype_description(a.feature)),
                ),
                ("order", Doc::Int(i as i64 + 1)),
                (
                    "description",
                    Doc::text(capitalized(label(a.feature, Lang::English))),
                ),
                ("values", Doc::List("value", values)),
            ])
        })
        .collect();
    Doc::Object(vec![
        ("service_code", Doc::text(s.code)),
        ("attributes", Doc::List("attribute", attributes)),
    ])
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    query: Open311Query,
) -> Response {
    let format = match split_format(&file) {
        Ok(("services", format)) => format,
        Ok((_, format)) => return Open311Error::not_found("no such resource").respond(format),
        Err(e) => return e.respond(super::Format::Xml),
    };
    if let Err(e) = check_jurisdiction(&state, query.jurisdiction()) {
        return e.respond(format);
    }
    let doc = Doc::List("service", SERVICES.iter().map(service_doc).collect());
    doc.respond(format, StatusCode::OK, "services")
}

pub async fn definition(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    query: Open311Query,
) -> Response {
    let (code, format) = match split_format(&file) {
        Ok(split) => split,
        Err(e) => return e.respond(super::Format::Xml),
    };
    if let Err(e) = check_jurisdiction(&state, query.jurisdiction()) {
        return e.respond(format);
    }
    match service(code) {
        Some(s) => definition_doc(s).respond(format, StatusCode::OK, "service_definition"),
        None => Open311Error::not_found(format!(
            "service_code: no service {code:?}; services.{} lists them",
            match format {
                super::Format::Xml => "xml",
                super::Format::Json => "json",
            }
        ))
        .respond(format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use teng_core::accessibility::{LocalizedNote, Method, ReporterKind};
    use uuid::Uuid;

    fn report(facts: Facts, note: Option<&str>) -> AccessibilityReport {
        AccessibilityReport {
            id: Uuid::from_u128(1),
            building_id: Uuid::from_u128(2),
            reporter: "r".into(),
            reporter_kind: ReporterKind::Anonymous,
            observed_at: Utc::now(),
            method: Method::Estimated,
            facts,
            note: note.map(|n| LocalizedNote {
                en: Some(n.into()),
                ..Default::default()
            }),
        }
    }

    fn codes(r: &AccessibilityReport) -> Vec<&'static str> {
        services_of(r).iter().map(|s| s.code).collect()
    }

    #[test]
    fn codes_are_unique_and_safe_in_a_request_id() {
        let mut seen = std::collections::HashSet::new();
        for s in SERVICES {
            assert!(seen.insert(s.code), "{} twice", s.code);
            assert!(
                s.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                s.code
            );
        }
    }

    #[test]
    fn every_service_reports_what_it_states_with_its_required_attributes() {
        let sample = |f: Feature| match f {
            F::RampSlope => V::Percent(15),
            F::DoorWidth => V::Centimetres(70),
            F::DoorThreshold => V::Centimetres(5),
            other => panic!("no sample for {other:?}"),
        };
        for s in SERVICES.iter().filter(|s| s.code != OTHER) {
            let mut facts = (s.states)();
            for a in s.attributes.iter().filter(|a| a.required) {
                facts.insert(a.feature, sample(a.feature)).unwrap();
            }
            for (f, v) in facts.iter() {
                validate_fact_value(f, v).unwrap();
            }
            assert!((s.reported)(&facts), "{}", s.code);
            assert!(codes(&report(facts, None)).contains(&s.code), "{}", s.code);
        }
    }

    #[test]
    fn a_report_is_one_request_per_problem_and_good_news_is_none() {
        let steps_no_ramp = Facts::new()
            .with(F::EntranceStepCount, V::Count(3))
            .with(F::Ramp, V::Ramp(RampKind::NoRamp))
            .with(F::Elevator, V::Bool(true));
        assert_eq!(
            codes(&report(steps_no_ramp, None)),
            ["entrance_steps", "no_ramp"]
        );
        let with_ramp = Facts::new()
            .with(F::EntranceStepCount, V::Count(3))
            .with(F::Ramp, V::Ramp(RampKind::Fixed))
            .with(F::RampSlope, V::Percent(6));
        assert!(codes(&report(with_ramp, None)).is_empty());
        let steep = Facts::new().with(F::RampSlope, V::Percent(12));
        assert_eq!(codes(&report(steep, None)), ["steep_ramp"]);
        assert_eq!(
            codes(&report(Facts::new(), Some("the lift smells"))),
            [OTHER]
        );
        let ground_floor = Facts::new()
            .with(F::Elevator, V::Bool(false))
            .with(F::WorkplaceFloor, V::Floor(1));
        assert!(codes(&report(ground_floor, None)).is_empty());
    }

    #[test]
    fn attributes_parse_by_the_features_kind_and_range() {
        assert_eq!(
            parse_attribute(F::DoorWidth, &["75".into()]),
            Ok(V::Centimetres(75))
        );
        assert!(parse_attribute(F::DoorWidth, &["20".into()])
            .unwrap_err()
            .contains("out of range"));
        assert!(parse_attribute(F::DoorWidth, &["wide".into()]).is_err());
        assert!(parse_attribute(F::EntranceStepCount, &["-3".into()]).is_err());
        assert_eq!(
            parse_attribute(F::Toilet, &["limited".into()]),
            Ok(V::Access(AccessLevel::Limited))
        );
        assert!(parse_attribute(F::Toilet, &["maybe".into()]).is_err());
        assert_eq!(
            parse_attribute(F::WorkplaceFloor, &["-1".into()]),
            Ok(V::Floor(-1))
        );
        assert!(parse_attribute(F::WorkplaceFloor, &["0".into()]).is_err());
        assert!(parse_attribute(F::Ramp, &["none".into(), "fixed".into()]).is_err());
    }
}

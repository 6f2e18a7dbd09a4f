//! Value parsers for the command line, so a bad value is refused by clap with an error that names
//! the flag, before any work is done.
//!
//! Enum values are the core's stable codes (`full_time`, `jalal_abad`), the same strings the
//! server and the apps use; [`CodeParser`] lists them in `--help` and in the error.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use teng_core::accessibility::{
    AccessLevel, AccessRequirement, DoorType, Feature, FeatureValue, Method, RampKind,
    SignLanguage, ValueKind,
};
use teng_core::model::{Accommodation, EmploymentType, GeoPoint, JobCategory, Region, WorkMode};
use teng_core::search::{SortOrder, MAX_RADIUS_KM};
use uuid::Uuid;

use teng_core::accessibility::Lang;

/// An enum with stable string codes (every `coded_enum!` of the core).
pub trait Coded: Copy + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
}

macro_rules! coded {
    ($($t:ty),+ $(,)?) => {
        $(impl Coded for $t {
            fn all() -> &'static [Self] {
                <$t>::ALL
            }
            fn code(self) -> &'static str {
                <$t>::code(self)
            }
        })+
    };
}

coded!(
    Lang,
    Region,
    Accommodation,
    EmploymentType,
    WorkMode,
    JobCategory,
    SortOrder,
    AccessRequirement,
    Method,
    RampKind,
    AccessLevel,
    DoorType,
);

fn from_code<T: Coded>(s: &str) -> Option<T> {
    T::all().iter().copied().find(|v| v.code() == s)
}

fn codes<T: Coded>() -> Vec<&'static str> {
    T::all().iter().map(|v| v.code()).collect()
}

/// Parses a stable code into its enum; `--help` lists the codes.
pub struct CodeParser<T>(PhantomData<fn() -> T>);

impl<T> Clone for CodeParser<T> {
    fn clone(&self) -> Self {
        CodeParser(PhantomData)
    }
}

pub fn code<T: Coded>() -> CodeParser<T> {
    CodeParser(PhantomData)
}

impl<T: Coded> TypedValueParser for CodeParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        if let Some(v) = from_code::<T>(text.trim()) {
            return Ok(v);
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        if let Some(arg) = arg {
            err.insert(
                ContextKind::InvalidArg,
                ContextValue::String(arg.to_string()),
            );
        }
        err.insert(
            ContextKind::InvalidValue,
            ContextValue::String(text.into_owned()),
        );
        err.insert(
            ContextKind::ValidValue,
            ContextValue::Strings(codes::<T>().into_iter().map(String::from).collect()),
        );
        Err(err)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(codes::<T>().into_iter().map(PossibleValue::new)))
    }
}

/// A job, building or problem id: a UUID as `teng search`, `teng show` and `teng problems` print.
pub fn id(s: &str) -> Result<Uuid, String> {
    Uuid::parse_str(s.trim()).map_err(|_| {
        "not an id; ids look like 0b9f6f3e-5c1a-4d2b-9a57-3e1f2a4b5c6d (copy one from `teng search` \
         or `teng show`)"
            .to_string()
    })
}

/// `--near 42.87,74.59`: latitude and longitude in degrees, comma between.
pub fn near(s: &str) -> Result<GeoPoint, String> {
    let usage = "expected latitude,longitude in degrees, e.g. 42.87,74.59";
    let (lat, lon) = s.split_once(',').ok_or_else(|| usage.to_string())?;
    let number = |part: &str, what: &str| -> Result<f64, String> {
        part.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{what} {:?} is not a number; {usage}", part.trim()))
    };
    let (lat, lon) = (number(lat, "latitude")?, number(lon, "longitude")?);
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90; {usage}"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180; {usage}"));
    }
    Ok(GeoPoint::new(lat, lon))
}

/// `--radius 5`: kilometres, above 0 and at most the core's limit.
pub fn radius(s: &str) -> Result<f64, String> {
    let km: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of kilometres"))?;
    if !(km > 0.0 && km <= MAX_RADIUS_KM) {
        return Err(format!(
            "{km} kilometres is not above 0 and at most {MAX_RADIUS_KM}"
        ));
    }
    Ok(km)
}

/// A yes/no fact: `yes`, `no` (also `true`/`false`, `y`/`n`, `1`/`0`).
pub fn yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err("expected yes or no".into()),
    }
}

/// Sign languages staff use, as codes separated by commas (`rsl,ils`), or `none` (nobody signs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignLanguages(pub Vec<SignLanguage>);

pub fn sign_languages(s: &str) -> Result<SignLanguages, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("none") {
        return Ok(SignLanguages(Vec::new()));
    }
    s.split(',')
        .map(|part| {
            SignLanguage::from_code(part.trim()).map_err(|_| {
                let all: Vec<&str> = SignLanguage::ALL.iter().map(|l| l.code()).collect();
                format!(
                    "{:?} is not a sign language code; use {} (comma-separated) or none",
                    part.trim(),
                    all.join(", ")
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(SignLanguages)
}

/// A number for a numeric feature, within the range the core accepts for it (so the error names
/// the flag instead of coming back from validation).
pub fn in_range(feature: Feature) -> impl Fn(&str) -> Result<u32, String> + Clone + Send + Sync {
    move |s: &str| {
        let n: i64 = s
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not a whole number"))?;
        if let Some(range) = feature.range() {
            if !range.contains(&n) {
                return Err(format!(
                    "{n} is outside {}..={} {}",
                    range.start(),
                    range.end(),
                    unit(feature.kind())
                ));
            }
        }
        u32::try_from(n).map_err(|_| format!("{n} is below zero"))
    }
}

fn unit(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Centimetres => "centimetres",
        ValueKind::Metres => "metres",
        ValueKind::Percent => "percent",
        _ => "",
    }
}

/// `--fact door_threshold_cm=2`: any feature by its code, with a value of its kind.
pub fn fact(s: &str) -> Result<(Feature, FeatureValue), String> {
    let (name, value) = s.split_once('=').ok_or_else(|| {
        "expected FEATURE=VALUE, e.g. door_threshold_cm=2 or elevator_speech=yes".to_string()
    })?;
    let feature = Feature::from_code(name.trim()).map_err(|_| {
        let all: Vec<&str> = Feature::ALL.iter().map(|f| f.code()).collect();
        format!(
            "{:?} is not a feature code; features: {}",
            name.trim(),
            all.join(", ")
        )
    })?;
    let value = value.trim();
    let typed = match feature.kind() {
        ValueKind::Bool => FeatureValue::Bool(yes_no(value)?),
        ValueKind::Count
        | ValueKind::Centimetres
        | ValueKind::Metres
        | ValueKind::Percent
        | ValueKind::Floor => {
            let n: i64 = value
                .parse()
                .map_err(|_| format!("{} takes a whole number", feature.code()))?;
            if let Some(range) = feature.range() {
                if !range.contains(&n) {
                    return Err(format!(
                        "{} = {n} is outside {}..={}",
                        feature.code(),
                        range.start(),
                        range.end()
                    ));
                }
            }
            if feature == Feature::WorkplaceFloor && n == 0 {
                return Err(
                    "workplace_floor counts from 1 (street level); basements are -1, -2, ..."
                        .into(),
                );
            }
            FeatureValue::numeric(feature.kind(), n)
                .ok_or_else(|| format!("{} takes a number", feature.code()))?
        }
        ValueKind::Ramp => FeatureValue::Ramp(coded_value(value)?),
        ValueKind::DoorType => FeatureValue::DoorType(coded_value(value)?),
        ValueKind::Access => FeatureValue::Access(coded_value(value)?),
        ValueKind::SignLanguages => FeatureValue::SignLanguages(sign_languages(value)?.0),
    };
    Ok((feature, typed))
}

fn coded_value<T: Coded>(s: &str) -> Result<T, String> {
    from_code::<T>(s).ok_or_else(|| format!("{s:?} is not one of: {}", codes::<T>().join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_takes_lat_comma_lon_and_names_what_is_wrong() {
        let p = near("42.87, 74.59").unwrap();
        assert_eq!((p.lat, p.lon), (42.87, 74.59));
        assert!(near("42.87").unwrap_err().contains("latitude,longitude"));
        assert!(near("abc,74").unwrap_err().contains("latitude"));
        assert!(near("95,74").unwrap_err().contains("outside"));
        assert!(near("42,NaN").unwrap_err().contains("longitude"));
    }

    #[test]
    fn facts_parse_by_kind_and_range() {
        assert_eq!(
            fact("door_threshold_cm=2").unwrap(),
            (Feature::DoorThreshold, FeatureValue::Centimetres(2))
        );
        assert_eq!(
            fact("ramp=fixed").unwrap(),
            (Feature::Ramp, FeatureValue::Ramp(RampKind::Fixed))
        );
        assert_eq!(
            fact("sign_language_staff=none").unwrap(),
            (
                Feature::SignLanguageStaff,
                FeatureValue::SignLanguages(vec![])
            )
        );
        assert!(fact("door_width_cm=10").unwrap_err().contains("outside"));
        assert!(fact("workplace_floor=0").unwrap_err().contains("from 1"));
        assert!(fact("wings=yes").unwrap_err().contains("not a feature"));
        assert!(fact("elevator").unwrap_err().contains("FEATURE=VALUE"));
    }

    #[test]
    fn ranges_come_from_the_core() {
        let door = in_range(Feature::DoorWidth);
        assert_eq!(door("90"), Ok(90));
        assert!(door("20").unwrap_err().contains("30..=300 centimetres"));
    }
}

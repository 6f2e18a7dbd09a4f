//! Words for screen readers: labels for every feature and enum value, and sentences describing a
//! building, in Kyrgyz, Russian and English.
//!
//! Rules every sentence follows:
//! - numbers are digits (screen readers speak them in the voice's language) followed by the unit
//!   written out in full, in the right grammatical form: "15 centimetres", "15 сантиметров",
//!   "15 сантиметр" — never "cm", "см", "m", "%";
//! - unknowns are said plainly ("door width: not known"), conflicting reports too ("ramp: reports
//!   disagree");
//! - a fact not yet confirmed, a stale one, and every volatile one (the elevator working) carries
//!   when it was reported: "the elevator works (reported 3 days ago)";
//! - floors are counted as on Kyrgyz buildings (1 = street level): "3rd floor", "3-й этаж",
//!   "3-кабат".
//!
//! Labels live in `words/labels.rs` as `[ky, ru, en]` triples; sentence grammar in one module per
//! language, behind the crate-private `Phrases` trait; composition (which facts make which
//! sentence) is here, shared by the three languages.

mod en;
mod ky;
pub(crate) mod labels;
mod ru;
mod status;

pub use status::{history_entry_text, report_privacy_notice, report_status_text};

use chrono::{DateTime, Utc};

use super::aggregate::{AggregatedFeature, BuildingSummary, FactState, STALE_FRESHNESS};
use super::features::{AccessLevel, Feature, FeatureValue, RampKind};
use super::grade::{entrance_level, FactSource, Grades};
use super::requirement::Tri;
use crate::model::codes::coded_enum;

coded_enum! {
    /// Languages the app speaks (ISO 639-1).
    pub enum Lang as "language" {
        Kyrgyz => "ky",
        Russian => "ru",
        English => "en",
    }
}

/// Anything with a human label in every [`Lang`]: features and every enum of this module, and the
/// job model's and search's enums (`model/labels.rs`).
pub trait Labelled: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// The label of `item` in `lang`, e.g. `label(Feature::HearingLoop, Lang::Russian)`.
pub fn label<T: Labelled>(item: T, lang: Lang) -> &'static str {
    item.label(lang)
}

/// Sentence sections of the full description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heading {
    Entrance,
    Elevator,
    Toilet,
    Parking,
    Blind,
    Deaf,
    Note,
}

/// Grammar of one language. Every method returns lower-case text unless it is a whole sentence.
pub(crate) trait Phrases: Sync {
    fn centimetres(&self, n: i64) -> String;
    fn metres(&self, n: i64) -> String;
    fn percent(&self, n: i64) -> String;
    fn floor(&self, n: i64) -> String;
    /// "3 days ago", "today".
    fn ago(&self, days: i64) -> String;
    /// "reported 3 days ago".
    fn reported(&self, days: i64) -> String;
    fn is(&self, label: &str, value: &str) -> String {
        format!("{label}: {value}")
    }
    fn not_known(&self, label: &str) -> String;
    fn disagree(&self, label: &str) -> String;
    fn unconfirmed(&self) -> &'static str;
    fn may_have_changed(&self) -> &'static str;
    /// The entrance has steps; count and highest step as known.
    fn steps(&self, count: Option<i64>, height_cm: Option<i64>) -> String;
    fn no_steps(&self) -> &'static str;
    /// Short word for the entrance steps ("steps"), for "steps: not known" / "reports disagree".
    fn steps_label(&self) -> &'static str;
    /// There is an elevator; whether it works, as known.
    fn elevator(&self, working: Option<bool>) -> &'static str;
    fn no_elevator(&self) -> &'static str;
    fn cabin(&self, width_cm: i64, depth_cm: i64) -> String;
    /// At least one of the two is known.
    fn workplace(&self, floor: Option<i64>, step_free: Option<bool>) -> String;
    fn toilet(&self, level: AccessLevel) -> &'static str;
    fn parking(&self, spaces: i64, distance_m: Option<i64>) -> String;
    fn list(&self, items: &[&str]) -> String;
    fn heading(&self, h: Heading) -> &'static str;
    fn grades(&self, g: &Grades) -> String;
    fn reports(&self, count: u32, days: i64) -> String;
    fn nothing_reported(&self) -> &'static str;
}

fn phrases(lang: Lang) -> &'static dyn Phrases {
    match lang {
        Lang::Kyrgyz => &ky::Kyrgyz,
        Lang::Russian => &ru::Russian,
        Lang::English => &en::English,
    }
}

/// Joins words into "a, b and c" with the given conjunction.
pub(crate) fn join_list(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn decapitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Describer<'a> {
    s: &'a BuildingSummary,
    p: &'static dyn Phrases,
    lang: Lang,
    now: DateTime<Utc>,
    /// Every usable fact is unconfirmed: say so once, on the reports line, not after every fact.
    all_unconfirmed: bool,
}

impl<'a> Describer<'a> {
    fn new(s: &'a BuildingSummary, lang: Lang, now: DateTime<Utc>) -> Self {
        let mut usable = s
            .features
            .values()
            .filter(|a| a.usable_value().is_some())
            .peekable();
        let all_unconfirmed =
            usable.peek().is_some() && usable.all(|a| a.state == FactState::Unconfirmed);
        Describer {
            s,
            p: phrases(lang),
            lang,
            now,
            all_unconfirmed,
        }
    }

    fn agg(&self, f: Feature) -> &'a AggregatedFeature {
        self.s.feature(f)
    }

    fn days_since(&self, t: DateTime<Utc>) -> i64 {
        (self.now - t).num_days().max(0)
    }

    fn conflict(&self, fs: &[Feature]) -> Option<String> {
        fs.iter()
            .find(|f| self.agg(**f).state == FactState::Conflicting)
            .map(|f| self.p.disagree(f.label(self.lang)))
    }

    /// Stale when aggregated, or grown stale since: a stored summary may be read weeks later.
    fn stale_now(&self, f: Feature, a: &AggregatedFeature) -> bool {
        let half_life = f.volatility().half_life_days();
        a.state == FactState::Stale
            || a.last_reported_at.is_some_and(|t| {
                let age_days = (self.now - t).num_seconds().max(0) as f64 / 86_400.0;
                0.5f64.powf(age_days / half_life) < STALE_FRESHNESS
            })
    }

    /// " (reported 3 days ago, may have changed)", " (not yet confirmed)", " (reported today)"
    /// or nothing, for the facts a fragment rests on.
    fn annotation(&self, fs: &[Feature]) -> String {
        let used: Vec<(Feature, &AggregatedFeature)> = fs
            .iter()
            .map(|f| (*f, self.agg(*f)))
            .filter(|(_, a)| a.usable_value().is_some())
            .collect();
        let stale_oldest = used
            .iter()
            .filter(|(f, a)| self.stale_now(*f, a))
            .filter_map(|(_, a)| a.last_reported_at)
            .min();
        if let Some(t) = stale_oldest {
            return format!(
                " ({}, {})",
                self.p.reported(self.days_since(t)),
                self.p.may_have_changed()
            );
        }
        if !self.all_unconfirmed && used.iter().any(|(_, a)| a.state == FactState::Unconfirmed) {
            return format!(" ({})", self.p.unconfirmed());
        }
        let volatile_newest = used
            .iter()
            .filter(|(f, _)| f.volatility() == super::features::Volatility::Volatile)
            .filter_map(|(_, a)| a.last_reported_at)
            .max();
        match volatile_newest {
            Some(t) => format!(" ({})", self.p.reported(self.days_since(t))),
            None => String::new(),
        }
    }

    fn value_text(&self, v: &FeatureValue) -> String {
        match v {
            FeatureValue::Bool(b) => Tri::from(Some(*b)).label(self.lang).to_string(),
            FeatureValue::Count(n) => n.to_string(),
            FeatureValue::Centimetres(n) => self.p.centimetres(i64::from(*n)),
            FeatureValue::Metres(n) => self.p.metres(i64::from(*n)),
            FeatureValue::Percent(n) => self.p.percent(i64::from(*n)),
            FeatureValue::Floor(n) => self.p.floor(i64::from(*n)),
            FeatureValue::Ramp(k) => k.label(self.lang).to_string(),
            FeatureValue::DoorType(k) => k.label(self.lang).to_string(),
            FeatureValue::Access(a) => a.label(self.lang).to_string(),
            FeatureValue::SignLanguages(list) if list.is_empty() => {
                Tri::No.label(self.lang).to_string()
            }
            FeatureValue::SignLanguages(list) => {
                let names: Vec<&str> = list.iter().map(|l| l.label(self.lang)).collect();
                self.p.list(&names)
            }
        }
    }

    /// "label: value (annotation)", a bare label for ramp and door kinds, "label: reports
    /// disagree", or `None` when nobody reported the feature.
    fn fact(&self, f: Feature) -> Option<String> {
        if let Some(c) = self.conflict(&[f]) {
            return Some(c);
        }
        let v = self.agg(f).usable_value()?;
        let text = match v {
            FeatureValue::Ramp(_) | FeatureValue::DoorType(_) => self.value_text(v),
            _ => self.p.is(f.label(self.lang), &self.value_text(v)),
        };
        Some(text + &self.annotation(&[f]))
    }

    fn fact_or_unknown(&self, f: Feature) -> String {
        self.fact(f)
            .unwrap_or_else(|| self.p.not_known(f.label(self.lang)))
    }

    fn line(&self, h: Heading, fragments: Vec<String>) -> String {
        format!("{}: {}.", self.p.heading(h), fragments.join("; "))
    }

    fn steps(&self) -> String {
        use Feature::*;
        let fs = [StepFreeEntrance, EntranceStepCount, EntranceStepHeight];
        if self.conflict(&fs).is_some() {
            return self.p.disagree(self.p.steps_label());
        }
        let s = self.s;
        match entrance_level(s) {
            Some(true) => self.p.no_steps().to_string() + &self.annotation(&fs[..2]),
            Some(false) => {
                self.p
                    .steps(s.number(EntranceStepCount), s.number(EntranceStepHeight))
                    + &self.annotation(&fs)
            }
            // "Step-free" beside a step count above zero: the reports contradict each other.
            None if s.fact(StepFreeEntrance).is_some() => self.p.disagree(self.p.steps_label()),
            None => self.p.not_known(self.p.steps_label()),
        }
    }

    fn entrance_line(&self) -> String {
        use Feature::*;
        let mut out = vec![self.steps()];
        let level = entrance_level(self.s);
        let ramp = self.s.fact(Ramp);
        if level != Some(true) || ramp.is_some() {
            out.push(self.fact_or_unknown(Ramp));
        }
        if matches!(
            ramp,
            Some(FeatureValue::Ramp(RampKind::Fixed | RampKind::Removable))
        ) {
            out.extend(self.fact(RampSlope));
            out.extend(self.fact(RampHandrail));
        }
        out.push(self.fact_or_unknown(DoorWidth));
        out.extend(self.fact(DoorThreshold));
        out.extend(self.fact(DoorType));
        out.extend(self.fact(BellNeeded));
        self.line(Heading::Entrance, out)
    }

    fn elevator_line(&self) -> String {
        use Feature::*;
        let s = self.s;
        let mut out = Vec::new();
        let working = s.flag(ElevatorWorking);
        let present = s.flag(Elevator).or(working.map(|_| true));
        if let Some(c) = self.conflict(&[Elevator, ElevatorWorking]) {
            out.push(c);
        } else {
            match present {
                Some(false) => {
                    out.push(self.p.no_elevator().to_string() + &self.annotation(&[Elevator]))
                }
                Some(true) => out.push(
                    self.p.elevator(working).to_string()
                        + &self.annotation(&[Elevator, ElevatorWorking]),
                ),
                None => out.push(self.p.not_known(Elevator.label(self.lang))),
            }
        }
        if present != Some(false) {
            match (s.number(ElevatorCabinWidth), s.number(ElevatorCabinDepth)) {
                (Some(w), Some(d))
                    if self
                        .conflict(&[ElevatorCabinWidth, ElevatorCabinDepth])
                        .is_none() =>
                {
                    out.push(
                        self.p.cabin(w, d)
                            + &self.annotation(&[ElevatorCabinWidth, ElevatorCabinDepth]),
                    )
                }
                _ => {
                    out.extend(self.fact(ElevatorCabinWidth));
                    out.extend(self.fact(ElevatorCabinDepth));
                }
            }
            out.extend(self.fact(ElevatorSpeech));
            out.extend(self.fact(ElevatorBraille));
        }
        let wp = [WorkplaceFloor, WorkplaceStepFree];
        if let Some(c) = self.conflict(&wp) {
            out.push(c);
        } else {
            let floor = s.number(WorkplaceFloor);
            let step_free = s.flag(WorkplaceStepFree);
            if floor.is_none() && step_free.is_none() {
                out.push(self.p.not_known(WorkplaceFloor.label(self.lang)));
            } else {
                out.push(self.p.workplace(floor, step_free) + &self.annotation(&wp));
            }
        }
        self.line(Heading::Elevator, out)
    }

    fn toilet_line(&self) -> String {
        use Feature::*;
        let mut out = Vec::new();
        let level = super::grade::toilet(self.s);
        match (self.conflict(&[Toilet]), level) {
            (Some(c), _) => out.push(c),
            (None, Some(l)) => out.push(self.p.toilet(l).to_string() + &self.annotation(&[Toilet])),
            (None, None) => out.push(self.p.not_known(Toilet.label(self.lang))),
        }
        if level != Some(AccessLevel::No) {
            out.extend(self.fact(ToiletDoorWidth));
            out.extend(self.fact(ToiletTurningSpace));
        }
        self.line(Heading::Toilet, out)
    }

    fn parking_line(&self) -> String {
        use Feature::*;
        let s = self.s;
        let mut out = Vec::new();
        match (self.conflict(&[ParkingSpaces]), s.number(ParkingSpaces)) {
            (Some(c), _) => {
                out.push(c);
                out.extend(self.fact(ParkingDistance));
            }
            (None, Some(n)) => {
                let distance = if self.conflict(&[ParkingDistance]).is_none() {
                    s.number(ParkingDistance)
                } else {
                    None
                };
                out.push(
                    self.p.parking(n, distance)
                        + &self.annotation(&[ParkingSpaces, ParkingDistance]),
                );
                if distance.is_none() && n > 0 {
                    out.extend(self.fact(ParkingDistance));
                }
            }
            (None, None) => {
                out.push(self.p.not_known(ParkingSpaces.label(self.lang)));
                out.extend(self.fact(ParkingDistance));
            }
        }
        out.push(self.fact_or_unknown(StepFreeRoute));
        self.line(Heading::Parking, out)
    }

    fn blind_line(&self) -> String {
        use Feature::*;
        let out = vec![
            self.fact_or_unknown(TactilePaving),
            self.fact_or_unknown(BrailleSignage),
        ];
        self.line(Heading::Blind, out)
    }

    fn deaf_line(&self) -> String {
        use Feature::*;
        let out = vec![
            self.fact_or_unknown(HearingLoop),
            self.fact_or_unknown(VisualAlarm),
            self.fact_or_unknown(SignLanguageStaff),
        ];
        self.line(Heading::Deaf, out)
    }

    fn reports(&self) -> String {
        let days = self
            .s
            .last_reported_at
            .map(|t| self.days_since(t))
            .unwrap_or(0);
        let reports = self.p.reports(self.s.report_count, days);
        if self.all_unconfirmed {
            format!("{reports}, {}", self.p.unconfirmed())
        } else {
            reports
        }
    }

    fn nothing(&self) -> bool {
        self.s.report_count == 0 && self.s.features.is_empty()
    }

    fn summary(&self) -> String {
        if self.nothing() {
            return self.p.nothing_reported().to_string();
        }
        format!(
            "{}; {}: {}; {}.",
            capitalize(&self.p.grades(&self.s.grades)),
            decapitalize(self.p.heading(Heading::Entrance)),
            self.steps(),
            self.reports()
        )
    }

    fn description(&self) -> Vec<String> {
        if self.nothing() {
            return vec![self.p.nothing_reported().to_string()];
        }
        let mut lines = vec![
            format!("{}.", capitalize(&self.p.grades(&self.s.grades))),
            self.entrance_line(),
            self.elevator_line(),
            self.toilet_line(),
            self.parking_line(),
            self.blind_line(),
            self.deaf_line(),
            format!("{}.", capitalize(&self.reports())),
        ];
        if let Some(text) = self.s.note.as_ref().and_then(|n| n.get(self.lang)) {
            lines.push(format!("{}: {}", self.p.heading(Heading::Note), text));
        }
        lines
    }
}

impl BuildingSummary {
    /// One sentence for a screen reader: the three grades, the entrance steps, how many reports
    /// and how recent.
    pub fn summary_text(&self, lang: Lang, now: DateTime<Utc>) -> String {
        Describer::new(self, lang, now).summary()
    }

    /// The full description, one sentence per aspect: grades, entrance, elevator and floors,
    /// toilet, parking and route, blind visitors, deaf visitors, reports, and the newest visitor
    /// note (in the visitor's words).
    pub fn description_text(&self, lang: Lang, now: DateTime<Utc>) -> Vec<String> {
        Describer::new(self, lang, now).description()
    }
}

/// Russian plural form for `n`: `one` (1, 21, 101), `few` (2–4, 22–24), `many` (0, 5–20, 25…).
pub fn russian_plural(
    n: i64,
    one: &'static str,
    few: &'static str,
    many: &'static str,
) -> &'static str {
    let n = n.unsigned_abs();
    let (n10, n100) = (n % 10, n % 100);
    if n10 == 1 && n100 != 11 {
        one
    } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
        few
    } else {
        many
    }
}

/// English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
pub(crate) fn english_ordinal(n: i64) -> String {
    let n100 = n.rem_euclid(100);
    let suffix = if (11..=13).contains(&n100) {
        "th"
    } else {
        match n.rem_euclid(10) {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        }
    };
    format!("{n}{suffix}")
}

/// Bucketed age for "N days/weeks/months/years ago".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Age {
    Today,
    Yesterday,
    Days(i64),
    Weeks(i64),
    Months(i64),
    Years(i64),
}

pub(crate) fn age(days: i64) -> Age {
    match days.max(0) {
        0 => Age::Today,
        1 => Age::Yesterday,
        d @ 2..=13 => Age::Days(d),
        d @ 14..=55 => Age::Weeks(d / 7),
        d @ 56..=364 => Age::Months((d / 30).min(11)),
        d => Age::Years(d / 365),
    }
}

#[cfg(test)]
mod tests;

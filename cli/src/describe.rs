//! Records put into words, shared by the commands: times, pay, listing state, building access per
//! requirement, one aggregated fact, and a queued mutation.
//!
//! Everything is said in words, never only with a symbol or a colour: "step-free entrance: yes
//! (confirmed)", "90 centimetres", "3 days ago". Accessibility labels are the core's; units follow
//! the core's rule of spelling them out.

use chrono::{DateTime, Local, Utc};
use teng_core::accessibility::words::russian_plural;
use teng_core::accessibility::{
    label, AccessRequirement, AggregatedFeature, BuildingSummary, FactState, Feature, FeatureValue,
    Lang, Tri,
};
use teng_core::model::{JobListing, ListingStatus, Salary};
use teng_core::sync::Mutation;
use teng_core::Store;

use crate::words::{self, say, tr};
use teng_core::accessibility::Labelled;

/// "2026-05-01 16:00 (3 days ago)", in the computer's time zone.
pub fn when(lang: Lang, now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    format!(
        "{} ({})",
        t.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
        words::ago(lang, (now - t).num_seconds())
    )
}

/// "30,000 to 45,000 som a month", "from 30 000 сом в месяц", or "not stated".
pub fn salary(lang: Lang, salary: Option<&Salary>) -> String {
    let Some(s) = salary else {
        return tr(lang, words::NOT_STATED).to_string();
    };
    let period = s.period.label(lang);
    let n = |v: u64| words::number(lang, v);
    match (s.min, s.max) {
        (Some(min), Some(max)) if min == max => say(lang, words::SALARY_EXACT, &[&n(min), period]),
        (Some(min), Some(max)) => say(lang, words::SALARY_RANGE, &[&n(min), &n(max), period]),
        (Some(min), None) => say(lang, words::SALARY_FROM, &[&n(min), period]),
        (None, Some(max)) => say(lang, words::SALARY_UP_TO, &[&n(max), period]),
        (None, None) => tr(lang, words::NOT_STATED).to_string(),
    }
}

/// Why a listing is not open, if it is not: closed, a draft, or past its closing date.
pub fn not_open(lang: Lang, now: DateTime<Utc>, listing: &JobListing) -> Option<&'static str> {
    match listing.status {
        ListingStatus::Closed => Some(tr(lang, words::LISTING_CLOSED)),
        ListingStatus::Draft => Some(tr(lang, words::LISTING_DRAFT)),
        ListingStatus::Published if !listing.is_open_at(now) => {
            Some(tr(lang, words::LISTING_EXPIRED))
        }
        ListingStatus::Published => None,
    }
}

/// "step-free entrance: yes (confirmed)", "accessible toilet: no (not yet confirmed)",
/// "working elevator: not known".
pub fn requirement(lang: Lang, summary: &BuildingSummary, r: AccessRequirement) -> String {
    let status = summary.requirement(r);
    let answer = label(status.met, lang);
    let certainty = match (status.met, status.confirmed) {
        (Tri::Unknown, _) => String::new(),
        (_, true) => format!(" ({})", label(FactState::Confirmed, lang)),
        (_, false) => format!(" ({})", label(FactState::Unconfirmed, lang)),
    };
    format!("{}: {answer}{certainty}", label(r, lang))
}

/// A fact's value in words: "yes", "90 centimetres", "fixed ramp", "Russian Sign Language".
pub fn value(lang: Lang, v: &FeatureValue) -> String {
    let unit = |n: u32, ky: &str, ru: [&'static str; 3], en: &str| -> String {
        match lang {
            Lang::Kyrgyz => format!("{n} {ky}"),
            Lang::Russian => format!("{n} {}", russian_plural(n.into(), ru[0], ru[1], ru[2])),
            Lang::English => format!("{n} {en}{}", if n == 1 { "" } else { "s" }),
        }
    };
    match v {
        FeatureValue::Bool(b) => label(Tri::from(Some(*b)), lang).to_string(),
        FeatureValue::Count(n) => n.to_string(),
        FeatureValue::Centimetres(n) => unit(
            *n,
            "сантиметр",
            ["сантиметр", "сантиметра", "сантиметров"],
            "centimetre",
        ),
        FeatureValue::Metres(n) => unit(*n, "метр", ["метр", "метра", "метров"], "metre"),
        FeatureValue::Percent(n) => match lang {
            Lang::English => format!("{n} percent"),
            _ => unit(*n, "пайыз", ["процент", "процента", "процентов"], ""),
        },
        FeatureValue::Floor(n) => match lang {
            Lang::Kyrgyz => format!("{n}-кабат"),
            Lang::Russian => format!("этаж {n}"),
            Lang::English => format!("floor {n}"),
        },
        FeatureValue::Ramp(k) => label(*k, lang).to_string(),
        FeatureValue::DoorType(k) => label(*k, lang).to_string(),
        FeatureValue::Access(a) => label(*a, lang).to_string(),
        FeatureValue::SignLanguages(list) if list.is_empty() => label(Tri::No, lang).to_string(),
        FeatureValue::SignLanguages(list) => list
            .iter()
            .map(|l| label(*l, lang))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// "entrance door width: 90 centimetres; confirmed; confidence 80 percent; last reported
/// 2026-04-01 10:00 (3 days ago)".
pub fn fact(lang: Lang, now: DateTime<Utc>, feature: Feature, a: &AggregatedFeature) -> String {
    let mut parts = vec![format!(
        "{}: {}",
        label(feature, lang),
        match &a.value {
            Some(v) => value(lang, v),
            None => label(FactState::Unknown, lang).to_string(),
        }
    )];
    parts.push(label(a.state, lang).to_string());
    parts.push(say(
        lang,
        words::CONFIDENCE,
        &[&format!("{:.0}", f64::from(a.confidence) * 100.0)],
    ));
    if let Some(t) = a.last_reported_at {
        parts.push(format!(
            "{} {}",
            tr(lang, words::LAST_REPORTED).to_lowercase(),
            when(lang, now, t)
        ));
    }
    parts.join("; ")
}

/// What a queued or refused mutation was, with the job's title when it is on this device:
/// "saving the job «Accountant»".
pub fn mutation(lang: Lang, store: &Store, m: &Mutation) -> String {
    let title = |id| {
        store
            .listing(id)
            .ok()
            .flatten()
            .map(|l| format!(" «{}»", l.title))
            .unwrap_or_else(|| format!(" ({} {id})", tr(lang, words::ID)))
    };
    match m {
        Mutation::SaveJob { listing_id, .. } => {
            format!("{}{}", tr(lang, words::M_SAVE), title(*listing_id))
        }
        Mutation::UnsaveJob { listing_id } => {
            format!("{}{}", tr(lang, words::M_UNSAVE), title(*listing_id))
        }
        Mutation::UpdateListing { listing_id, .. } => {
            format!("{}{}", tr(lang, words::M_EDIT), title(*listing_id))
        }
        Mutation::SubmitReport {
            building_id,
            report,
        } => {
            let name = store
                .building(*building_id)
                .ok()
                .flatten()
                .map(|b| format!(" «{}»", b.name))
                .unwrap_or_else(|| format!(" ({} {building_id})", tr(lang, words::ID)));
            let facts: Vec<String> = report
                .facts
                .iter()
                .map(|(f, v)| format!("{}: {}", label(f, lang), value(lang, v)))
                .collect();
            if facts.is_empty() {
                format!("{}{name}", tr(lang, words::M_REPORT))
            } else {
                format!("{}{name}: {}", tr(lang, words::M_REPORT), facts.join("; "))
            }
        }
        Mutation::ReopenReport { report_id, note } => {
            let name = store
                .my_report(*report_id)
                .ok()
                .flatten()
                .and_then(|r| r.building)
                .map(|b| format!(" «{}»", b.name))
                .unwrap_or_else(|| format!(" ({} {report_id})", tr(lang, words::ID)));
            match note {
                Some(note) => format!("{}{name}: {note}", tr(lang, words::M_REOPEN)),
                None => format!("{}{name}", tr(lang, words::M_REOPEN)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teng_core::model::SalaryPeriod;

    #[test]
    fn salary_reads_as_words() {
        let s = Salary {
            min: Some(30_000),
            max: Some(45_000),
            period: SalaryPeriod::Month,
        };
        assert_eq!(
            salary(Lang::English, Some(&s)),
            "30,000 to 45,000 som per month"
        );
        assert_eq!(
            salary(Lang::Russian, Some(&s)),
            "от 30 000 до 45 000 сом в месяц"
        );
        let from = Salary { max: None, ..s };
        assert_eq!(
            salary(Lang::Kyrgyz, Some(&from)),
            "30 000 сомдон баштап, айына"
        );
        assert_eq!(salary(Lang::English, None), "not stated");
    }

    #[test]
    fn values_spell_units_out() {
        assert_eq!(
            value(Lang::English, &FeatureValue::Centimetres(90)),
            "90 centimetres"
        );
        assert_eq!(
            value(Lang::Russian, &FeatureValue::Centimetres(2)),
            "2 сантиметра"
        );
        assert_eq!(value(Lang::English, &FeatureValue::Metres(1)), "1 metre");
        assert_eq!(value(Lang::Kyrgyz, &FeatureValue::Floor(3)), "3-кабат");
        assert_eq!(
            value(Lang::Russian, &FeatureValue::Percent(5)),
            "5 процентов"
        );
    }
}

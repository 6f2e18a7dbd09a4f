//! English grammar.

use super::{age, english_ordinal, join_list, Age, Heading, Labelled, Lang, Phrases};
use crate::accessibility::features::AccessLevel;
use crate::accessibility::grade::Grades;

pub(crate) struct English;

fn unit(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Phrases for English {
    fn centimetres(&self, n: i64) -> String {
        unit(n, "centimetre", "centimetres")
    }

    fn metres(&self, n: i64) -> String {
        unit(n, "metre", "metres")
    }

    fn percent(&self, n: i64) -> String {
        format!("{n} percent")
    }

    fn floor(&self, n: i64) -> String {
        if n < 0 {
            format!("basement level {}", -n)
        } else {
            format!("{} floor", english_ordinal(n))
        }
    }

    fn ago(&self, days: i64) -> String {
        match age(days) {
            Age::Today => "today".into(),
            Age::Yesterday => "yesterday".into(),
            Age::Days(d) => format!("{} ago", unit(d, "day", "days")),
            Age::Weeks(w) => format!("{} ago", unit(w, "week", "weeks")),
            Age::Months(m) => format!("{} ago", unit(m, "month", "months")),
            Age::Years(y) => format!("{} ago", unit(y, "year", "years")),
        }
    }

    fn reported(&self, days: i64) -> String {
        format!("reported {}", self.ago(days))
    }

    fn not_known(&self, label: &str) -> String {
        format!("{label}: not known")
    }

    fn disagree(&self, label: &str) -> String {
        format!("{label}: reports disagree")
    }

    fn unconfirmed(&self) -> &'static str {
        "not yet confirmed"
    }

    fn may_have_changed(&self) -> &'static str {
        "may have changed"
    }

    fn steps(&self, count: Option<i64>, height_cm: Option<i64>) -> String {
        match (count, height_cm) {
            (Some(1), Some(h)) => format!("1 step, {} high", self.centimetres(h)),
            (Some(c), Some(h)) => format!("{c} steps, up to {} high", self.centimetres(h)),
            (Some(1), None) => "1 step, height not known".into(),
            (Some(c), None) => format!("{c} steps, height not known"),
            (None, Some(h)) => {
                format!("steps up to {} high, number not known", self.centimetres(h))
            }
            (None, None) => "steps, number and height not known".into(),
        }
    }

    fn no_steps(&self) -> &'static str {
        "no steps"
    }

    fn steps_label(&self) -> &'static str {
        "steps"
    }

    fn elevator(&self, working: Option<bool>) -> &'static str {
        match working {
            Some(true) => "the elevator works",
            Some(false) => "the elevator is out of order",
            None => "there is an elevator, but whether it works is not known",
        }
    }

    fn no_elevator(&self) -> &'static str {
        "no elevator"
    }

    fn cabin(&self, width_cm: i64, depth_cm: i64) -> String {
        format!(
            "elevator cabin {} wide and {} deep",
            self.centimetres(width_cm),
            self.centimetres(depth_cm)
        )
    }

    fn workplace(&self, floor: Option<i64>, step_free: Option<bool>) -> String {
        let on = |f: i64| {
            if f < 0 {
                format!("the workplace is on {}", self.floor(f))
            } else {
                format!("the workplace is on the {}", self.floor(f))
            }
        };
        match (floor, step_free) {
            (Some(f), Some(true)) => format!("{}, reachable without steps", on(f)),
            (Some(f), Some(false)) => format!("{}, not reachable without steps", on(f)),
            (Some(f), None) => format!(
                "{}; whether it can be reached without steps is not known",
                on(f)
            ),
            (None, Some(true)) => "the workplace can be reached without steps".into(),
            (None, Some(false)) => "the workplace cannot be reached without steps".into(),
            (None, None) => "workplace floor: not known".into(),
        }
    }

    fn toilet(&self, level: AccessLevel) -> &'static str {
        match level {
            AccessLevel::Yes => "the toilet is accessible",
            AccessLevel::Limited => "the toilet is partly accessible",
            AccessLevel::No => "no accessible toilet",
        }
    }

    fn parking(&self, spaces: i64, distance_m: Option<i64>) -> String {
        let base = match spaces {
            0 => return "no accessible parking spaces".into(),
            1 => "1 accessible parking space".to_string(),
            n => format!("{n} accessible parking spaces"),
        };
        match distance_m {
            Some(m) => format!("{base}, {} from the entrance", self.metres(m)),
            None => base,
        }
    }

    fn list(&self, items: &[&str]) -> String {
        join_list(items, "and")
    }

    fn heading(&self, h: Heading) -> &'static str {
        match h {
            Heading::Entrance => "Main entrance",
            Heading::Elevator => "Elevator and floors",
            Heading::Toilet => "Toilet",
            Heading::Parking => "Parking and route",
            Heading::Blind => "For blind visitors",
            Heading::Deaf => "For deaf visitors",
            Heading::Note => "Visitor note",
        }
    }

    fn grades(&self, g: &Grades) -> String {
        format!(
            "wheelchair users: {}; blind visitors: {}; deaf visitors: {}",
            g.wheelchair.label(Lang::English),
            g.blind.label(Lang::English),
            g.deaf.label(Lang::English)
        )
    }

    fn reports(&self, count: u32, days: i64) -> String {
        if count == 1 {
            format!("1 report, {}", self.ago(days))
        } else {
            format!("{count} reports, the latest {}", self.ago(days))
        }
    }

    fn nothing_reported(&self) -> &'static str {
        "No accessibility information has been reported for this building yet."
    }
}

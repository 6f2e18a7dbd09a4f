//! "Back to the reporter" in words: what the city office did with a report, as one sentence in
//! Kyrgyz, Russian or English, and what the city office receives with a report (the privacy notice
//! the report form shows).
//!
//! Dates are days in Kyrgyzstan's time (UTC+6 all year, the city offices' clock), with the month
//! written out and the year only when it is not this year's: "on 3 December", "3 декабря",
//! "3-декабрда". A note written in another language than the reader's says which ("(in Kyrgyz)"),
//! so a screen-reader user knows why the voice stumbles.
//!
//! The Kyrgyz sentences and month forms still want a native speaker's review (marked `ky:
//! review`); the Russian and English ones were written to be read aloud.

use chrono::{DateTime, Datelike, FixedOffset, Utc};

use super::labels::{pick, Trio};
use super::Lang;
use crate::accessibility::report_status::{
    MyReport, ReportStatus, ReportStatusEntry, StatusAuthor,
};

/// What the city office sees of a report, for the report form and the app's privacy screen.
pub fn report_privacy_notice(lang: Lang) -> &'static str {
    pick(PRIVACY, lang)
}

const PRIVACY: Trio = [
    // ky: review
    "Шаардык кызмат имаратты, эмне билдиргениңизди, аны кантип текшергениңизди жана качан экенин көрөт; телефонуңузду, анын кодун же сизди тааныта турган эч нерсени эч качан көрбөйт.",
    "Городская служба видит здание, то, о чём вы сообщили, как вы это проверили и когда; но никогда не видит ваш телефон, его идентификатор или что-либо, что позволяет узнать вас.",
    "The city office sees the building, what you reported, how you checked it and when; never your phone, its id or anything that identifies you.",
];

const NOT_SENT: Trio = [
    // ky: review
    "Азырынча жөнөтүлө элек: шаардык кызмат бул билдирүүнү кийинки синхрондоодон кийин көрөт.",
    "Ещё не отправлено: городская служба увидит это сообщение после следующей синхронизации.",
    "Not sent yet: the city office will see this report after the next sync.",
];

/// A report's status as one sentence: "The city office marked this resolved on 3 December: ramp
/// installed." A report still in the outbox says it is not sent yet; a "still not fixed" waiting
/// to be sent says so ("waiting to send"). A report an administrator hid gets a second sentence
/// saying so and why.
pub fn report_status_text(report: &MyReport, lang: Lang, now: DateTime<Utc>) -> String {
    if !report.sent {
        return pick(NOT_SENT, lang).to_string();
    }
    let status = current_status_text(report, lang, now);
    match &report.hidden {
        Some(h) => format!("{status} {}", hidden_text(lang, h.at, &h.reason, now)),
        None => status,
    }
}

/// "An administrator hid this report on 5 December; it no longer counts in the building's
/// accessibility: <reason>."
fn hidden_text(lang: Lang, at: DateTime<Utc>, reason: &str, now: DateTime<Utc>) -> String {
    let when = on_date(lang, at, now);
    let base = match lang {
        // ky: review
        Lang::Kyrgyz => format!(
            "Администратор {when} бул билдирүүнү жашырды; ал мындан ары имараттын жеткиликтүүлүгүнө эсептелбейт"
        ),
        Lang::Russian => format!(
            "Администратор скрыл это сообщение {when}; оно больше не учитывается в доступности здания"
        ),
        Lang::English => format!(
            "An administrator hid this report {when}; it no longer counts in the building's accessibility"
        ),
    };
    let reason = reason.trim();
    if reason.is_empty() {
        format!("{base}.")
    } else if reason.ends_with(['.', '!', '?', '…']) {
        format!("{base}: {reason}")
    } else {
        format!("{base}: {reason}.")
    }
}

fn current_status_text(report: &MyReport, lang: Lang, now: DateTime<Utc>) -> String {
    let by = if report.reopen_pending || report.status == ReportStatus::Reopened {
        StatusAuthor::Reporter
    } else {
        StatusAuthor::City
    };
    sentence(
        lang,
        Said {
            status: report.status,
            by,
            at: report.updated_at,
            note: report.note.as_deref(),
            note_lang: report.note_lang,
            pending: report.reopen_pending,
        },
        now,
    )
}

/// One entry of a report's history as a sentence, in the same words as the current status.
pub fn history_entry_text(entry: &ReportStatusEntry, lang: Lang, now: DateTime<Utc>) -> String {
    sentence(
        lang,
        Said {
            status: entry.status,
            by: entry.by,
            at: Some(entry.at),
            note: entry.note.as_deref(),
            note_lang: entry.lang,
            pending: false,
        },
        now,
    )
}

/// A status as somebody gave it.
struct Said<'a> {
    status: ReportStatus,
    by: StatusAuthor,
    at: Option<DateTime<Utc>>,
    note: Option<&'a str>,
    note_lang: Option<Lang>,
    /// The reporter's "still not fixed", not sent yet.
    pending: bool,
}

fn sentence(lang: Lang, said: Said<'_>, now: DateTime<Utc>) -> String {
    let when = said.at.map(|at| on_date(lang, at, now));
    let base = match lang {
        Lang::Kyrgyz => kyrgyz(&said, when),
        Lang::Russian => russian(&said, when),
        Lang::English => english(&said, when),
    };
    let note = said.note.map(str::trim).filter(|n| !n.is_empty());
    let Some(note) = note else {
        return format!("{base}.");
    };
    let tag = said
        .note_lang
        .filter(|l| *l != lang)
        .map(|l| format!(" ({})", written_in(lang, l)))
        .unwrap_or_default();
    let end = if tag.is_empty() && note.ends_with(['.', '!', '?', '…']) {
        ""
    } else {
        "."
    };
    format!("{base}: {note}{tag}{end}")
}

/// The words before the date, the date (left out when unknown) and the words after it.
fn around(before: &str, when: Option<String>, after: &str) -> String {
    let mut parts = vec![before];
    if let Some(w) = &when {
        parts.push(w);
    }
    if !after.is_empty() {
        parts.push(after);
    }
    parts.join(" ")
}

fn english(s: &Said<'_>, when: Option<String>) -> String {
    use ReportStatus::*;
    match (s.status, s.by) {
        (Reopened, _) if s.pending => {
            "You said that this is still not fixed (waiting to send)".into()
        }
        (Reopened, StatusAuthor::Reporter) => {
            around("You said", when, "that this is still not fixed")
        }
        (Reopened, StatusAuthor::City) => around("The city office reopened this", when, ""),
        (Open, _) => "The city office has received this report and not answered yet".into(),
        (Acknowledged, _) => around("The city office acknowledged this", when, ""),
        (InProgress, _) => around("The city office marked this in progress", when, ""),
        (Resolved, _) => around("The city office marked this resolved", when, ""),
        (NotResponsible, _) => around(
            "The city office said",
            when,
            "that this is not its responsibility",
        ),
    }
}

fn russian(s: &Said<'_>, when: Option<String>) -> String {
    use ReportStatus::*;
    match (s.status, s.by) {
        (Reopened, _) if s.pending => {
            "Вы сообщили, что это всё ещё не исправлено (ждёт отправки)".into()
        }
        (Reopened, StatusAuthor::Reporter) => {
            around("Вы сообщили", when, "") + ", что это всё ещё не исправлено"
        }
        (Reopened, StatusAuthor::City) => around("Городская служба снова открыла это", when, ""),
        (Open, _) => "Городская служба получила это сообщение и пока не ответила".into(),
        (Acknowledged, _) => around("Городская служба приняла это к рассмотрению", when, ""),
        (InProgress, _) => around("Городская служба взяла это в работу", when, ""),
        (Resolved, _) => around("Городская служба отметила это как решённое", when, ""),
        (NotResponsible, _) => {
            around("Городская служба ответила", when, "") + ", что это не в её ведении"
        }
    }
}

// ky: review (every sentence below).
fn kyrgyz(s: &Said<'_>, when: Option<String>) -> String {
    use ReportStatus::*;
    match (s.status, s.by) {
        (Reopened, _) if s.pending => {
            "Сиз бул дагы эле оңдоло элек деп билдирдиңиз (жөнөтүлүүнү күтүүдө)".into()
        }
        (Reopened, StatusAuthor::Reporter) => {
            around("Сиз", when, "бул дагы эле оңдоло элек деп билдирдиңиз")
        }
        (Reopened, StatusAuthor::City) => around("Шаардык кызмат", when, "муну кайра ачты"),
        (Open, _) => "Шаардык кызмат бул билдирүүнү алды, бирок азырынча жооп бере элек".into(),
        (Acknowledged, _) => around("Шаардык кызмат", when, "муну кароого алды"),
        (InProgress, _) => around("Шаардык кызмат", when, "муну иштей баштады"),
        (Resolved, _) => around("Шаардык кызмат", when, "муну чечилди деп белгиледи"),
        (NotResponsible, _) => around(
            "Шаардык кызмат",
            when,
            "бул анын милдетине кирбейт деп жооп берди",
        ),
    }
}

/// Kyrgyzstan's time, the city offices' clock: UTC+6 all year.
fn kyrgyzstan() -> FixedOffset {
    FixedOffset::east_opt(6 * 3600).expect("UTC+6 is a valid offset")
}

/// The date as the sentence needs it: "on 3 December", "3 декабря", "3-декабрда"; with the year
/// when it is not the current one.
pub(crate) fn on_date(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let local = at.with_timezone(&kyrgyzstan());
    let this_year = now.with_timezone(&kyrgyzstan()).year() == local.year();
    let (day, month, year) = (local.day(), local.month0() as usize, local.year());
    match lang {
        Lang::English if this_year => format!("on {day} {}", EN_MONTHS[month]),
        Lang::English => format!("on {day} {} {year}", EN_MONTHS[month]),
        Lang::Russian if this_year => format!("{day} {}", RU_MONTHS_GENITIVE[month]),
        Lang::Russian => format!("{day} {} {year} года", RU_MONTHS_GENITIVE[month]),
        Lang::Kyrgyz if this_year => format!("{day}-{}", KY_MONTHS_LOCATIVE[month]),
        Lang::Kyrgyz => format!("{year}-жылы {day}-{}", KY_MONTHS_LOCATIVE[month]),
    }
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const RU_MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// "In <month>": the month with the locative ending (ky: review).
const KY_MONTHS_LOCATIVE: [&str; 12] = [
    "январда",
    "февралда",
    "мартта",
    "апрелде",
    "майда",
    "июнда",
    "июлда",
    "августта",
    "сентябрда",
    "октябрда",
    "ноябрда",
    "декабрда",
];

/// "in Kyrgyz", "на кыргызском", "кыргызча": the language a note was written in.
fn written_in(reader: Lang, note: Lang) -> &'static str {
    let t: Trio = match note {
        Lang::Kyrgyz => ["кыргызча", "на кыргызском", "in Kyrgyz"],
        Lang::Russian => ["орусча", "на русском", "in Russian"],
        Lang::English => ["англисче", "на английском", "in English"],
    };
    pick(t, reader)
}

//! Sync progress on stderr: a progress bar when stderr is a terminal, one plain line per update
//! (at most one a second) when it is not, so a log or a screen reader is not flooded.
//!
//! The bar's text says the same as the bar in words ("receiving changes: 500 of 1,200"); it is
//! redrawn a few times a second at most, and cleared when the sync ends, so the summary that
//! follows on stdout is what stays on screen.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use teng_core::accessibility::Lang;
use teng_core::sync::{SyncObserver, SyncPhase, SyncProgress};

use crate::words::{self, say, tr};

/// Plain lines are printed at most this often (besides phase changes and the end of a phase).
const LINE_EVERY: Duration = Duration::from_secs(1);
/// Bar redraws per second.
const BAR_HZ: u8 = 4;

pub enum Progress {
    Bar { bar: ProgressBar, lang: Lang },
    Lines { state: Mutex<LineState>, lang: Lang },
}

pub struct LineState {
    last: Option<(SyncPhase, Instant)>,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise.
    pub fn on_stderr(lang: Lang) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(BAR_HZ));
            Progress::Bar { bar, lang }
        } else {
            Progress::Lines {
                state: Mutex::new(LineState { last: None }),
                lang,
            }
        }
    }

    /// Clears the bar (before the summary or an error is printed).
    pub fn finish(&self) {
        if let Progress::Bar { bar, .. } = self {
            bar.finish_and_clear();
        }
    }

    /// Prints a line without breaking the bar.
    pub fn note(&self, line: &str) {
        match self {
            Progress::Bar { bar, .. } => bar.println(line),
            Progress::Lines { .. } => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }
}

fn phase_words(lang: Lang, phase: SyncPhase) -> &'static str {
    match phase {
        SyncPhase::Pushing => tr(lang, words::PUSHING),
        SyncPhase::Pulling => tr(lang, words::PULLING),
    }
}

/// "receiving changes: 500 of 1,200" or "receiving changes: 500".
pub fn text(lang: Lang, p: SyncProgress) -> String {
    let phase = phase_words(lang, p.phase);
    let done = words::number(lang, p.done);
    match p.expected {
        Some(expected) => say(
            lang,
            words::PROGRESS_OF,
            &[phase, &done, &words::number(lang, expected)],
        ),
        None => say(lang, words::PROGRESS_SO_FAR, &[phase, &done]),
    }
}

impl SyncObserver for Progress {
    fn progress(&self, p: SyncProgress) {
        if p.phase == SyncPhase::Pushing && p.expected == Some(0) {
            // Nothing to send: nothing to say.
            return;
        }
        match self {
            Progress::Bar { bar, lang } => {
                let template = match p.expected {
                    // The bar itself only repeats what the words say.
                    Some(_) => "{msg} [{bar:30}]",
                    None => "{msg}",
                };
                if let Ok(style) = ProgressStyle::with_template(template) {
                    bar.set_style(style.progress_chars("=> "));
                }
                match p.expected {
                    Some(expected) => bar.set_length(expected.max(p.done)),
                    None => bar.unset_length(),
                }
                bar.set_position(p.done);
                bar.set_message(text(*lang, p));
            }
            Progress::Lines { state, lang } => {
                let Ok(mut state) = state.lock() else {
                    return;
                };
                let now = Instant::now();
                let phase_changed = state.last.is_none_or(|(phase, _)| phase != p.phase);
                let due = state
                    .last
                    .is_none_or(|(_, at)| now.duration_since(at) >= LINE_EVERY);
                let finished = p.expected.is_some_and(|e| e == p.done && e > 0);
                if phase_changed || due || finished {
                    state.last = Some((p.phase, now));
                    let _ = writeln!(std::io::stderr(), "{}", text(*lang, p));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_words() {
        let p = SyncProgress {
            phase: SyncPhase::Pulling,
            done: 500,
            expected: Some(1200),
        };
        assert_eq!(text(Lang::English, p), "receiving changes: 500 of 1,200");
        assert_eq!(text(Lang::Russian, p), "получение изменений: 500 из 1 200");
        let p = SyncProgress {
            expected: None,
            ..p
        };
        assert_eq!(text(Lang::English, p), "receiving changes: 500");
    }
}

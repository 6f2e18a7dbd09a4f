//! How a command fails: a message for the user (already in their language where the CLI words it)
//! and the exit code scripts can act on. The codes are listed in `teng --help`.

use teng_core::accessibility::Lang;

use crate::words::{self, say};

/// Exit codes (documented in the long help, see `main.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Something went wrong: a record not found, a bad value, a database problem.
    Failed = 1,
    /// The command line was wrong (clap uses 2 as well).
    Usage = 2,
    /// The server could not be reached; nothing was lost.
    Offline = 3,
    /// The server refused: a bad sign-in or a request it will not accept.
    Refused = 4,
    /// Ctrl-C.
    Cancelled = 130,
}

#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
    /// Printed as is, without the "error:" prefix (messages that are not the user's fault).
    pub plain: bool,
}

impl CliError {
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            exit: Exit::Failed,
            message: message.into(),
            plain: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            exit: Exit::Usage,
            message: message.into(),
            plain: false,
        }
    }

    pub fn plain(exit: Exit, message: impl Into<String>) -> Self {
        CliError {
            exit,
            message: message.into(),
            plain: true,
        }
    }

    /// A core error from any command but `sync` (which words the network errors itself).
    pub fn from_core(e: teng_core::Error, lang: Lang) -> Self {
        use teng_core::Error as E;
        match e {
            E::BadQuery { field, reason } => {
                CliError::usage(format!("{}: {reason}", flag_of(field)))
            }
            E::Validation(v) => CliError::usage(format!("{}: {v}", flag_of(v.field()))),
            E::InvalidRecord { source, .. } => {
                CliError::usage(format!("{}: {source}", flag_of(source.field())))
            }
            E::Offline { detail, .. } => CliError::plain(
                Exit::Offline,
                format!(
                    "{} {}",
                    say(lang, words::OFFLINE, &["", &detail]),
                    words::tr(lang, words::NOTHING_LOST)
                ),
            ),
            E::Unauthorized => CliError::plain(Exit::Refused, words::tr(lang, words::UNAUTHORIZED)),
            E::Server {
                status,
                code,
                message,
            } => CliError::plain(
                Exit::Refused,
                say(
                    lang,
                    words::SERVER_REFUSED,
                    &[&status.to_string(), &code, &message],
                ),
            ),
            E::Cancelled => CliError::plain(Exit::Cancelled, words::tr(lang, words::CANCELLED)),
            other => CliError::failed(other.to_string()),
        }
    }
}

/// The command-line flag a core field name comes from, so errors name what the user typed.
fn flag_of(field: &str) -> String {
    let flag = match field {
        "page_token" => "--page",
        "page_size" => "--limit",
        "text" => "search words",
        "city" => "--city",
        "sort" => "--sort",
        "near.point" => "--near",
        "near.radius_km" => "--radius",
        "note" | "note.ky" | "note.ru" | "note.en" => "--note",
        other => {
            if let Some(code) = other.strip_prefix("facts.") {
                return format!("--fact {code}");
            }
            other
        }
    };
    flag.to_string()
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // `teng search | head`: the reader has all it wanted; say nothing more.
            return CliError::plain(Exit::Failed, "");
        }
        CliError::failed(format!("cannot write the output: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_fields_map_to_flags() {
        assert_eq!(flag_of("page_token"), "--page");
        assert_eq!(flag_of("facts.door_width_cm"), "--fact door_width_cm");
        assert_eq!(flag_of("something_else"), "something_else");
    }
}

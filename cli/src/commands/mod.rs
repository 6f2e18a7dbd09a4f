//! One module per command. Each takes the opened store in a [`Ctx`] (with the language and the time
//! "now" the whole command uses), writes its answer to `out`, and returns a [`CliError`] whose exit
//! code says what went wrong.

mod problems;
mod report;
mod reports;
mod saved;
mod search;
mod show;
mod status;
mod sync;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use teng_core::accessibility::Lang;
use teng_core::Store;

use crate::error::CliError;
use crate::words::{self, say, tr, Trio};
use crate::{Command, ProblemsAction};

/// What every command works with.
pub struct Ctx {
    pub store: Arc<Store>,
    pub lang: Lang,
    pub now: DateTime<Utc>,
}

impl Ctx {
    pub fn t(&self, t: Trio) -> &'static str {
        tr(self.lang, t)
    }

    pub fn say(&self, t: Trio, values: &[&str]) -> String {
        say(self.lang, t, values)
    }

    /// "2026-05-01 16:00 (3 days ago)".
    pub fn when(&self, t: DateTime<Utc>) -> String {
        crate::describe::when(self.lang, self.now, t)
    }

    /// A core error, worded for this command line.
    pub fn core(&self, e: teng_core::Error) -> CliError {
        CliError::from_core(e, self.lang)
    }
}

pub fn run(command: Command, db: &Path, lang: Lang) -> Result<(), CliError> {
    // Only a sync may create the database: a mistyped --db for anything else would otherwise
    // silently show an empty new file.
    if !matches!(command, Command::Sync(_)) && !db.exists() {
        return Err(CliError::failed(say(
            lang,
            words::NO_DATABASE,
            &[&db.display().to_string()],
        )));
    }
    // Before SQLite creates the file with the umask's permissions: it holds the device's token.
    crate::private::prepare_db(db, lang);
    let store = Store::open(db).map_err(|e| CliError::from_core(e, lang))?;
    let ctx = Ctx {
        store: Arc::new(store),
        lang,
        now: Utc::now(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match command {
        Command::Sync(args) => sync::run(&ctx, &args, &mut out),
        Command::Search(args) => search::run(&ctx, &args, &mut out),
        Command::Show { id } => show::run(&ctx, id, &mut out),
        Command::Save { id, note } => saved::save(&ctx, id, note.as_deref(), &mut out),
        Command::Unsave { id } => saved::unsave(&ctx, id, &mut out),
        Command::Saved => saved::list(&ctx, &mut out),
        Command::Report(args) => report::run(&ctx, &args, &mut out),
        Command::Reports { building } => reports::list(&ctx, building, &mut out),
        Command::Reopen { id, note } => reports::reopen(&ctx, id, note.as_deref(), &mut out),
        Command::Status => status::run(&ctx, &mut out),
        Command::Problems { action: None } => problems::list(&ctx, &mut out),
        Command::Problems {
            action: Some(ProblemsAction::Dismiss { mutation_id }),
        } => problems::dismiss(&ctx, mutation_id, &mut out),
    }?;
    out.flush()?;
    Ok(())
}

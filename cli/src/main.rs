//! `teng`: Teng's terminal client, so anyone can try the offline-first flow without a phone.
//!
//! It is a thin shell over `teng-core`, the same core the apps use: the SQLite file (`--db`) is the
//! phone's copy of the catalogue, search and the building accessibility words run on it offline,
//! and `teng sync` is `SyncClient::sync`, pushing what the user did and pulling what changed.
//! Nothing here holds business rules: this file declares the command line and dispatches;
//! `commands/` has one module per command, `words.rs` and `labels.rs` the CLI's own words in
//! Kyrgyz, Russian and English, `describe.rs` how records are put into words, `table.rs` aligned
//! plain-text tables, `parse.rs` the value parsers and `progress.rs` the sync progress display.
//!
//! Output is written for screen readers as much as for eyes: no colour, no box-drawing, meaning
//! always in words ("step-free entrance: yes (confirmed)").

mod commands;
mod describe;
mod error;
mod parse;
mod private;
mod progress;
mod table;
mod words;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use teng_core::accessibility::{AccessLevel, AccessRequirement, Feature, FeatureValue, Lang};
use teng_core::accessibility::{Method, RampKind};
use teng_core::model::{Accommodation, EmploymentType, GeoPoint, JobCategory, Region, WorkMode};
use teng_core::search::SortOrder;
use uuid::Uuid;

use parse::{code, SignLanguages};

const LONG_ABOUT: &str = "\
teng: Teng's jobs for people with disabilities in Kyrgyzstan, from the terminal.

Works offline over one database file (--db), the same as the phone apps: `teng sync` fetches the \
jobs and building accessibility from a Teng server and sends what you did; everything else works \
without a network. Say --lang ky, ru or en for Kyrgyz, Russian or English.

Start with:
  teng sync --server http://127.0.0.1:8080
  teng search бухгалтер --step-free
  teng show <job id>

Your reports of building access go to the city office with the next sync; `teng reports` shows what \
the office did with them, and `teng reopen <report id>` says a resolved one is still not fixed.";

const EXIT_CODES: &str = "\
Exit codes:
  0    done
  1    failed: a job, building or problem not found, a value refused, a database problem
  2    the command line is wrong (an unknown flag or a bad value; the message names the flag)
  3    sync: the server could not be reached; nothing is lost, the data on this device still works
  4    sync: the server refused (a bad token, or a request it will not accept)
  130  sync: cancelled with Ctrl-C; everything received so far is kept";

#[derive(Parser)]
#[command(
    name = "teng",
    version,
    about = "Teng's offline-first jobs client: sync, search, show, save, report building access",
    long_about = LONG_ABOUT,
    after_long_help = EXIT_CODES,
)]
struct Cli {
    /// The database file: this device's copy of the jobs and your own actions.
    #[arg(long, global = true, env = "TENG_DB", default_value = "teng.db")]
    db: PathBuf,

    /// Language of the output: ky (Kyrgyz), ru (Russian) or en (English).
    #[arg(long, global = true, env = "TENG_LANG", default_value = "en", value_parser = code::<Lang>())]
    lang: Lang,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Send what you did on this device and fetch what changed on the server.
    Sync(SyncArgs),
    /// Search the jobs on this device (works offline).
    Search(SearchArgs),
    /// Show one job in full: how to apply and the building's accessibility.
    Show {
        /// The job's id, as `teng search` prints it.
        #[arg(value_name = "JOB_ID", value_parser = parse::id)]
        id: Uuid,
    },
    /// Save a job to your list (sent to the server on the next sync).
    Save {
        #[arg(value_name = "JOB_ID", value_parser = parse::id)]
        id: Uuid,
        /// Your own note, e.g. "call on Monday".
        #[arg(long)]
        note: Option<String>,
    },
    /// Remove a job from your list.
    Unsave {
        #[arg(value_name = "JOB_ID", value_parser = parse::id)]
        id: Uuid,
    },
    /// Your saved jobs, and which changes are not sent yet.
    Saved,
    /// Report what you found at a building's entrance, elevator, toilet... (queued for the next sync).
    Report(ReportArgs),
    /// Your reports and what the city office did with them (status, its note, history).
    Reports {
        /// Only the reports on this building.
        #[arg(long, value_name = "BUILDING_ID", value_parser = parse::id)]
        building: Option<Uuid>,
    },
    /// Say that a report the city office marked resolved is still not fixed (sent on the next sync).
    Reopen {
        /// The report's id, as `teng reports` prints it.
        #[arg(value_name = "REPORT_ID", value_parser = parse::id)]
        id: Uuid,
        /// What is still wrong, in your own words.
        #[arg(long)]
        note: Option<String>,
    },
    /// When this device last synced, what waits to be sent, and what is stored.
    Status,
    /// Actions the server rejected or found in conflict.
    Problems {
        #[command(subcommand)]
        action: Option<ProblemsAction>,
    },
}

#[derive(Subcommand)]
enum ProblemsAction {
    /// Remove a problem from the list once you have read it.
    Dismiss {
        /// The problem's id, as `teng problems` prints it.
        #[arg(value_name = "PROBLEM_ID", value_parser = parse::id)]
        mutation_id: Uuid,
    },
}

#[derive(Args)]
pub struct SyncArgs {
    /// The Teng server's address.
    #[arg(long, env = "TENG_SERVER", default_value = "http://127.0.0.1:8080")]
    pub server: String,

    /// An ngo or admin user's token; without one this device registers as an anonymous device.
    /// Warning: a token typed here is visible to other users of this machine (`ps`); prefer
    /// --token-file or the TENG_TOKEN variable, which is read when neither flag is given.
    // TENG_TOKEN is read by `sync` itself, not through clap's `env`: clap would count the
    // variable as the flag and refuse `--token-file` whenever TENG_TOKEN is exported.
    #[arg(long)]
    pub token: Option<String>,

    /// Read the ngo or admin user's token from this file (keep it readable by you only).
    #[arg(long, value_name = "PATH", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,

    /// Changes per page (1 to 1000); smaller pages lose less on a bad connection.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub page_size: u32,

    /// Tries of each request before giving up for now (1 to 20; waits grow between tries).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub tries: u32,

    /// Seconds to wait for a connection.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub connect_timeout: u64,
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words to look for, in Kyrgyz, Russian or English (Latin letters find Cyrillic too).
    /// Without words: every open job.
    #[arg(value_name = "WORDS")]
    pub words: Vec<String>,

    /// The building must have a step-free entrance.
    #[arg(long, help_heading = "Building access")]
    pub step_free: bool,
    /// The building must have an accessible toilet.
    #[arg(long, help_heading = "Building access")]
    pub toilet: bool,
    /// The building must have a working elevator.
    #[arg(long, help_heading = "Building access")]
    pub elevator: bool,
    /// The building must have a hearing loop.
    #[arg(long, help_heading = "Building access")]
    pub hearing_loop: bool,
    /// Any other requirement, by code (repeat or separate with commas).
    #[arg(long = "access", value_name = "REQUIREMENT", value_delimiter = ',', value_parser = code::<AccessRequirement>(), help_heading = "Building access")]
    pub access: Vec<AccessRequirement>,
    /// Count only confirmed facts (default: facts not yet confirmed count too).
    #[arg(
        long,
        conflicts_with = "include_unknown",
        help_heading = "Building access"
    )]
    pub confirmed_only: bool,
    /// Also show buildings nobody has reported on (or with disagreeing reports).
    #[arg(long, help_heading = "Building access")]
    pub include_unknown: bool,

    /// Adjustments the employer must offer, all of them (repeat or separate with commas).
    #[arg(long = "accommodation", value_name = "CODE", value_delimiter = ',', value_parser = code::<Accommodation>())]
    pub accommodations: Vec<Accommodation>,
    /// Employment types, any of them.
    #[arg(long = "type", value_name = "CODE", value_delimiter = ',', value_parser = code::<EmploymentType>())]
    pub types: Vec<EmploymentType>,
    /// Work modes, any of them.
    #[arg(long = "mode", value_name = "CODE", value_delimiter = ',', value_parser = code::<WorkMode>())]
    pub modes: Vec<WorkMode>,
    /// Categories, any of them.
    #[arg(long = "category", value_name = "CODE", value_delimiter = ',', value_parser = code::<JobCategory>())]
    pub categories: Vec<JobCategory>,
    /// Regions, any of them.
    #[arg(long = "region", value_name = "CODE", value_delimiter = ',', value_parser = code::<Region>())]
    pub regions: Vec<Region>,
    /// City, as you would type it ("bishkek" finds «Бишкек»).
    #[arg(long)]
    pub city: Option<String>,
    /// At least this much a month, in som (hourly, daily... pay is converted).
    #[arg(long, value_name = "SOM")]
    pub min_salary: Option<u64>,
    /// Posted within this many days.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: Option<u32>,
    /// Only organizations verified by Teng.
    #[arg(long)]
    pub verified: bool,
    /// Near a point: latitude,longitude in degrees, e.g. 42.87,74.59.
    #[arg(long, value_name = "LAT,LON", value_parser = parse::near, allow_hyphen_values = true)]
    pub near: Option<GeoPoint>,
    /// Kilometres around --near (default 10).
    #[arg(long, value_name = "KM", requires = "near", value_parser = parse::radius)]
    pub radius: Option<f64>,
    /// Order of the results.
    #[arg(long, default_value = "relevance", value_parser = code::<SortOrder>())]
    pub sort: SortOrder,
    /// Jobs per page (1 to 200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// The next page's token, as the previous page printed it.
    #[arg(long, value_name = "TOKEN")]
    pub page: Option<String>,
    /// Also closed, draft and expired jobs.
    #[arg(long)]
    pub closed: bool,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The building's id, as `teng show <job id>` prints it.
    #[arg(value_name = "BUILDING_ID", value_parser = parse::id)]
    pub building_id: Uuid,

    /// The main entrance has no step at all.
    #[arg(long, value_name = "yes|no", value_parser = parse::yes_no, help_heading = "Entrance")]
    pub step_free: Option<bool>,
    /// Number of steps at the main entrance (0 to 200).
    #[arg(long, value_name = "COUNT", value_parser = parse::in_range(Feature::EntranceStepCount), help_heading = "Entrance")]
    pub steps: Option<u32>,
    /// Height of the highest entrance step, in centimetres.
    #[arg(long, value_name = "CM", value_parser = parse::in_range(Feature::EntranceStepHeight), help_heading = "Entrance")]
    pub step_height: Option<u32>,
    /// Ramp at the entrance.
    #[arg(long, value_name = "KIND", value_parser = code::<RampKind>(), help_heading = "Entrance")]
    pub ramp: Option<RampKind>,
    /// Clear width of the entrance door, in centimetres.
    #[arg(long, value_name = "CM", value_parser = parse::in_range(Feature::DoorWidth), help_heading = "Entrance")]
    pub door_width: Option<u32>,

    /// The building has a passenger elevator.
    #[arg(long, value_name = "yes|no", value_parser = parse::yes_no, help_heading = "Inside")]
    pub elevator: Option<bool>,
    /// The elevator works today.
    #[arg(long, value_name = "yes|no", value_parser = parse::yes_no, help_heading = "Inside")]
    pub elevator_working: Option<bool>,
    /// Wheelchair-accessible toilet.
    #[arg(long, value_name = "LEVEL", value_parser = code::<AccessLevel>(), help_heading = "Inside")]
    pub toilet: Option<AccessLevel>,

    /// Parking spaces reserved for disabled drivers (0: none).
    #[arg(long, value_name = "SPACES", value_parser = parse::in_range(Feature::ParkingSpaces), help_heading = "Outside")]
    pub parking: Option<u32>,
    /// Tactile paving or guide strips lead to and through the building.
    #[arg(long, value_name = "yes|no", value_parser = parse::yes_no, help_heading = "Blind and deaf visitors")]
    pub tactile_paving: Option<bool>,
    /// An induction (hearing) loop where visitors are served.
    #[arg(long, value_name = "yes|no", value_parser = parse::yes_no, help_heading = "Blind and deaf visitors")]
    pub hearing_loop: Option<bool>,
    /// Sign languages staff use: rsl, ils, ase (comma-separated), or none.
    #[arg(long, value_name = "CODES|none", value_parser = parse::sign_languages, help_heading = "Blind and deaf visitors")]
    pub sign_language: Option<SignLanguages>,

    /// Any other fact by its feature code, e.g. door_threshold_cm=2, elevator_speech=yes (repeatable).
    #[arg(long = "fact", value_name = "FEATURE=VALUE", value_parser = parse::fact)]
    pub facts: Vec<(Feature, FeatureValue)>,
    /// How you know: measured with a tape, estimated by eye, or checked on a photo.
    #[arg(long, default_value = "estimated", value_parser = code::<Method>())]
    pub method: Method,
    /// Anything else, in your own words.
    #[arg(long)]
    pub note: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    match commands::run(cli.command, &cli.db, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.message.is_empty() => ExitCode::from(e.exit as u8),
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            let _ = if e.plain {
                writeln!(stderr, "{}", e.message)
            } else {
                writeln!(stderr, "{}: {}", words::tr(lang, words::ERROR), e.message)
            };
            ExitCode::from(e.exit as u8)
        }
    }
}

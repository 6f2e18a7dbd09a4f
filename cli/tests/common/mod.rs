//! Shared by the CLI's integration tests: a real database file filled through teng-core, and the
//! real `teng` binary run against it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use teng_core::generator::{DataSize, Generator};
use teng_core::model::JobListing;
use teng_core::store::ChangeBatch;
use teng_core::Store;
use uuid::Uuid;

/// A database file in a temp dir, filled with generated organizations, buildings (with their
/// accessibility summaries) and listings.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub store: Store,
    pub generator: Generator,
}

impl Fixture {
    pub fn empty() -> Fixture {
        Self::with_listings(0)
    }

    pub fn with_listings(listings: usize) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("teng.db");
        let store = Store::open(&db).expect("open the test database");
        let generator = Generator::new(7, DataSize::for_listings(listings), Utc::now());
        if listings > 0 {
            let size = generator.size();
            store
                .apply(&ChangeBatch {
                    organizations: generator.organizations(),
                    buildings: generator.buildings(),
                    listings: generator.listings().collect(),
                    building_summaries: (0..size.buildings)
                        .filter_map(|i| generator.building_summary(i))
                        .collect(),
                    ..Default::default()
                })
                .expect("fill the test database");
        }
        Fixture {
            dir,
            db,
            store,
            generator,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    pub fn listings(&self) -> Vec<JobListing> {
        self.generator.listings().collect()
    }

    /// The first listing that is open now (published, not past its closing date).
    pub fn open_listing(&self) -> JobListing {
        self.generator
            .listings()
            .find(|l| l.is_open_at(self.now()))
            .expect("the generator makes open listings")
    }

    /// Runs `teng --db <this file> <args>` in the temp dir, with no TENG_* variables set.
    pub fn teng(&self, args: &[&str]) -> Run {
        let mut full = vec!["--db", self.db.to_str().expect("utf-8 temp path")];
        full.extend_from_slice(args);
        teng_in(self.dir.path(), &full)
    }
}

/// Runs the real binary in `dir` with `args` and no TENG_* variables.
pub fn teng_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_teng"))
        .args(args)
        .current_dir(dir)
        .env_remove("TENG_DB")
        .env_remove("TENG_LANG")
        .env_remove("TENG_SERVER")
        .env_remove("TENG_TOKEN")
        .output()
        .expect("run the teng binary");
    Run::from(output)
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with everything printed unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn ok(self) -> Run {
        self.expect_code(0)
    }

    /// The ids in the order they appear at the end of the table's lines.
    pub fn ids(&self) -> Vec<Uuid> {
        self.stdout
            .lines()
            .filter_map(|line| line.split_whitespace().last())
            .filter_map(|word| Uuid::parse_str(word).ok())
            .collect()
    }

    /// The line that ends with `id`.
    pub fn line_of(&self, id: Uuid) -> &str {
        let id = id.to_string();
        self.stdout
            .lines()
            .find(|l| l.trim_end().ends_with(&id))
            .unwrap_or_else(|| panic!("no line ends with {id}:\n{}", self.stdout))
    }

    /// The value printed after `--page` in the "next page" line.
    pub fn next_page_token(&self) -> Option<String> {
        self.stdout
            .lines()
            .find_map(|l| l.split("--page ").nth(1))
            .map(|t| t.trim().to_string())
    }
}

/// The first `n` characters of a title as a table shows it (long titles are cut with "…").
pub fn title_prefix(title: &str) -> String {
    title
        .chars()
        .take(30)
        .collect::<String>()
        .trim_end()
        .to_string()
}

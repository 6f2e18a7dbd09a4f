//! The `teng` binary against a real database file, without a network: search, show, saved jobs,
//! reports, status and problems. Expected results come from teng-core on the same file (a direct
//! `Store::search`, the core's accessibility words), not from hard-coded strings.

mod common;

use std::collections::HashSet;

use teng_core::accessibility::{label, AccessRequirement, Feature, FeatureValue, Lang, RampKind};
use teng_core::model::{EmploymentType, GeoPoint};
use teng_core::search::{Near, SearchFilters, SearchQuery, SortOrder};
use teng_core::sync::Mutation;
use uuid::Uuid;

use common::{title_prefix, Fixture};

/// Every hit of `query` appears in the output, in the same order, on a line with its title.
fn assert_same_hits(f: &Fixture, query: &SearchQuery, run: &common::Run) {
    let page = f.store.search(query).unwrap();
    assert!(!page.hits.is_empty(), "the query should find something");
    let expected: Vec<Uuid> = page.hits.iter().map(|h| h.listing.id).collect();
    assert_eq!(run.ids(), expected, "{}", run.stdout);
    for hit in &page.hits {
        let line = run.line_of(hit.listing.id);
        assert!(
            line.contains(&title_prefix(&hit.listing.title)),
            "{line:?} lacks {:?}",
            hit.listing.title
        );
    }
    assert!(
        run.stdout
            .contains(&format!("Jobs found: {}.", group(page.total))),
        "{}",
        run.stdout
    );
}

fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first word (4 letters or more) of a generated title written in Cyrillic.
fn cyrillic_word(f: &Fixture) -> String {
    f.listings()
        .iter()
        .flat_map(|l| {
            l.title
                .split(|c: char| !c.is_alphabetic())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|w| {
            w.chars().count() >= 4
                && w.chars().all(|c| {
                    ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c))
                        || "ёөүң".contains(c.to_lowercase().next().unwrap_or(c))
                })
        })
        .expect("a Cyrillic word in the generated titles")
}

#[test]
fn cyrillic_search_lists_what_the_store_finds_in_its_order() {
    let f = Fixture::with_listings(300);
    let word = cyrillic_word(&f);
    let run = f.teng(&["search", &word, "--limit", "50"]).ok();
    let query = SearchQuery {
        text: word.clone(),
        page_size: 50,
        ..Default::default()
    };
    assert_same_hits(&f, &query, &run);
}

#[test]
fn latin_transliteration_and_filters_give_the_cores_answer() {
    let f = Fixture::with_listings(300);
    let run = f
        .teng(&[
            "search",
            "bishkek",
            "--type",
            "full_time,part_time",
            "--step-free",
            "--sort",
            "salary",
            "--limit",
            "30",
        ])
        .ok();
    let query = SearchQuery {
        text: "bishkek".into(),
        filters: SearchFilters {
            employment_types: vec![EmploymentType::FullTime, EmploymentType::PartTime],
            access: vec![AccessRequirement::StepFreeEntrance],
            ..Default::default()
        },
        sort: SortOrder::Salary,
        page_size: 30,
        ..Default::default()
    };
    assert_same_hits(&f, &query, &run);
    // The access column speaks in words about the requirement asked for.
    let hits = f.store.search(&query).unwrap().hits;
    for hit in &hits {
        let expected = match hit.listing.building_id {
            Some(_) => "step-free entrance: yes",
            None => "no building, remote work",
        };
        let line = run.line_of(hit.listing.id);
        assert!(line.contains(expected), "{line}");
    }
    assert!(hits.iter().any(|h| h.listing.building_id.is_some()));
}

#[test]
fn near_search_shows_distances_and_pages_follow_the_printed_token() {
    let f = Fixture::with_listings(300);
    let args = [
        "search",
        "--near",
        "42.87,74.59",
        "--radius",
        "20",
        "--sort",
        "distance",
        "--limit",
        "7",
    ];
    let first = f.teng(&args).ok();
    let mut query = SearchQuery {
        filters: SearchFilters {
            near: Some(Near {
                point: GeoPoint::new(42.87, 74.59),
                radius_km: 20.0,
            }),
            ..Default::default()
        },
        sort: SortOrder::Distance,
        page_size: 7,
        ..Default::default()
    };
    assert_same_hits(&f, &query, &first);
    assert!(first.stdout.contains("distance"), "{}", first.stdout);
    assert!(first.stdout.contains("kilometres"), "{}", first.stdout);

    let token = first.next_page_token().expect("a next page token");
    let mut next_args = args.to_vec();
    next_args.extend(["--page", &token]);
    let second = f.teng(&next_args).ok();
    query.page_token = f.store.search(&query).unwrap().next_page_token;
    assert_same_hits(&f, &query, &second);
    let seen: HashSet<Uuid> = first.ids().into_iter().collect();
    assert!(second.ids().iter().all(|id| !seen.contains(id)));

    // A token from another search is refused, naming the flag.
    let other = f
        .teng(&["search", "bishkek", "--page", &token])
        .expect_code(2);
    assert!(other.stderr.contains("--page"), "{}", other.stderr);
}

#[test]
fn bad_flags_name_the_flag_and_exit_with_2() {
    let f = Fixture::with_listings(20);
    let cases: &[(&[&str], &[&str])] = &[
        (&["search", "--type", "gig"], &["--type", "full_time"]),
        (
            &["search", "--region", "moscow"],
            &["--region", "jalal_abad"],
        ),
        (&["search", "--accommodation", "x"], &["--accommodation"]),
        (
            &["search", "--near", "42.87"],
            &["--near", "latitude,longitude"],
        ),
        (&["search", "--near", "north,74"], &["--near", "latitude"]),
        (&["search", "--radius", "5"], &["--near"]),
        (
            &["search", "--sort", "distance"],
            &["--sort distance", "--near"],
        ),
        (&["search", "--sort", "best"], &["--sort", "relevance"]),
        (&["search", "--limit", "0"], &["--limit"]),
        (&["--lang", "fr", "status"], &["--lang", "ky"]),
        (&["show", "12345"], &["JOB_ID", "not an id"]),
        (&["report", "12345", "--step-free", "yes"], &["BUILDING_ID"]),
        (&["search", "--frobnicate"], &["--frobnicate"]),
    ];
    for (args, needles) in cases {
        let run = f.teng(args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        for needle in *needles {
            assert!(
                run.stderr.contains(needle),
                "{args:?}: stderr lacks {needle:?}:\n{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_missing_database_is_explained_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::teng_in(dir.path(), &["--db", "nowhere.db", "search", "x"]).expect_code(1);
    assert!(run.stderr.contains("teng sync"), "{}", run.stderr);
    assert!(!dir.path().join("nowhere.db").exists());
}

#[test]
fn an_empty_database_says_to_sync_first() {
    let f = Fixture::empty();
    let run = f.teng(&["search", "бухгалтер"]).ok();
    assert!(run.stdout.contains("teng sync"), "{}", run.stdout);
}

/// A listing whose building has an accessibility summary with at least one fact.
fn listing_with_summary(
    f: &Fixture,
) -> (
    teng_core::model::JobListing,
    teng_core::accessibility::BuildingSummary,
) {
    f.listings()
        .into_iter()
        .filter(|l| l.is_open_at(f.now()))
        .find_map(|l| {
            let summary = f.store.building_summary(l.building_id?).unwrap()?;
            (!summary.features.is_empty()).then_some((l, summary))
        })
        .expect("a listing whose building was reported on")
}

#[test]
fn show_speaks_the_buildings_accessibility_in_the_chosen_language() {
    let f = Fixture::with_listings(200);
    let (listing, summary) = listing_with_summary(&f);
    let id = listing.id.to_string();
    for lang in [Lang::Russian, Lang::Kyrgyz, Lang::English] {
        let run = f.teng(&["--lang", lang.code(), "show", &id]).ok();
        let now = f.now();
        let out = &run.stdout;
        assert!(out.contains(&listing.title), "{out}");
        assert!(
            out.contains(&summary.summary_text(lang, now)),
            "{lang}: no summary sentence in\n{out}"
        );
        for sentence in summary.description_text(lang, now) {
            assert!(out.contains(&sentence), "{lang}: lacks {sentence:?}\n{out}");
        }
        let status = summary.requirement(AccessRequirement::StepFreeEntrance);
        let requirement_line = format!(
            "{}: {}",
            label(AccessRequirement::StepFreeEntrance, lang),
            label(status.met, lang)
        );
        assert!(
            out.contains(&requirement_line),
            "{lang}: {requirement_line:?}\n{out}"
        );
        for way in &listing.apply_via {
            assert!(out.contains(&way.value), "{out}");
        }
        // Another language's summary is not printed.
        let other = if lang == Lang::English {
            Lang::Russian
        } else {
            Lang::English
        };
        assert!(!out.contains(&summary.summary_text(other, now)));
    }
}

#[test]
fn show_of_an_unknown_job_fails_with_1() {
    let f = Fixture::with_listings(20);
    let run = f
        .teng(&["show", &Uuid::new_v4().to_string()])
        .expect_code(1);
    assert!(run.stderr.contains("teng search"), "{}", run.stderr);
}

#[test]
fn save_unsave_and_saved_round_trip_with_not_sent_markers() {
    let f = Fixture::with_listings(50);
    let listing = f.open_listing();
    let id = listing.id.to_string();

    let run = f.teng(&["save", &id, "--note", "call on Monday"]).ok();
    assert!(run.stdout.contains(&listing.title), "{}", run.stdout);
    assert!(f.store.is_saved(listing.id).unwrap());
    let pending = f.store.pending_mutations().unwrap();
    assert!(matches!(
        &pending[..],
        [p] if matches!(&p.mutation, Mutation::SaveJob { listing_id, note, .. }
            if *listing_id == listing.id && note.as_deref() == Some("call on Monday"))
    ));

    let saved = f.teng(&["saved"]).ok();
    let line = saved.line_of(listing.id);
    assert!(line.contains(&title_prefix(&listing.title)), "{line}");
    assert!(line.contains("not sent yet"), "{line}");
    assert!(line.contains("call on Monday"), "{line}");

    let show = f.teng(&["show", &id]).ok();
    assert!(show.stdout.contains("not sent yet"), "{}", show.stdout);
    assert!(show.stdout.contains("saving the job"), "{}", show.stdout);

    f.teng(&["unsave", &id]).ok();
    assert!(!f.store.is_saved(listing.id).unwrap());
    let pending = f.store.pending_mutations().unwrap();
    assert!(matches!(
        pending.last().map(|p| &p.mutation),
        Some(Mutation::UnsaveJob { listing_id }) if *listing_id == listing.id
    ));
    let saved = f.teng(&["--lang", "ru", "saved"]).ok();
    assert!(saved.stdout.contains("нет сохранённых"), "{}", saved.stdout);
    assert!(
        saved.stdout.contains("ещё не отправлено"),
        "{}",
        saved.stdout
    );
    assert!(saved.stdout.contains(&id), "{}", saved.stdout);

    let again = f.teng(&["unsave", &id]).ok();
    assert!(again.stdout.contains("was not in your saved jobs"));
    let unknown = f
        .teng(&["save", &Uuid::new_v4().to_string()])
        .expect_code(1);
    assert!(unknown.stderr.contains("no job"), "{}", unknown.stderr);
}

#[test]
fn a_saved_job_whose_listing_is_gone_says_so() {
    let f = Fixture::with_listings(50);
    let listing = f.open_listing();
    f.teng(&["save", &listing.id.to_string()]).ok();
    f.store.delete_listings(&[listing.id]).unwrap();
    let saved = f.teng(&["saved"]).ok();
    let line = saved.line_of(listing.id);
    assert!(line.contains("closed or gone"), "{line}");
    assert!(!line.contains(&listing.title), "{line}");
}

#[test]
fn report_records_the_facts_and_queues_them_for_the_server() {
    let f = Fixture::with_listings(50);
    let building = f.generator.building(0);
    let id = building.id.to_string();
    let run = f
        .teng(&[
            "report",
            &id,
            "--step-free",
            "no",
            "--steps",
            "3",
            "--ramp",
            "none",
            "--door-width",
            "85",
            "--elevator",
            "yes",
            "--toilet",
            "limited",
            "--sign-language",
            "rsl",
            "--fact",
            "door_threshold_cm=2",
            "--method",
            "measured",
            "--note",
            "Вход со двора",
        ])
        .ok();
    assert!(run.stdout.contains(&building.name), "{}", run.stdout);
    assert!(run.stdout.contains("85 centimetres"), "{}", run.stdout);

    let pending = f.store.pending_mutations().unwrap();
    let [p] = &pending[..] else {
        panic!("one queued mutation expected: {pending:?}");
    };
    let Mutation::SubmitReport {
        building_id,
        report,
    } = &p.mutation
    else {
        panic!("a report expected: {:?}", p.mutation);
    };
    assert_eq!(*building_id, building.id);
    let facts = &report.facts;
    assert_eq!(
        facts.get(Feature::StepFreeEntrance),
        Some(&FeatureValue::Bool(false))
    );
    assert_eq!(
        facts.get(Feature::EntranceStepCount),
        Some(&FeatureValue::Count(3))
    );
    assert_eq!(
        facts.get(Feature::Ramp),
        Some(&FeatureValue::Ramp(RampKind::NoRamp))
    );
    assert_eq!(
        facts.get(Feature::DoorWidth),
        Some(&FeatureValue::Centimetres(85))
    );
    assert_eq!(
        facts.get(Feature::DoorThreshold),
        Some(&FeatureValue::Centimetres(2))
    );
    assert_eq!(facts.len(), 8);
    assert_eq!(report.method.code(), "measured");
    assert_eq!(
        report.note.as_ref().and_then(|n| n.en.as_deref()),
        Some("Вход со двора")
    );
    let mine = f.store.my_reports(Some(building.id)).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].reporter_kind.code(), "anonymous");
}

#[test]
fn bad_reports_are_refused_and_queue_nothing() {
    let f = Fixture::with_listings(50);
    let id = f.generator.building(0).id.to_string();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["report", &id], 2, "Nothing to report"),
        (
            &["report", &id, "--step-free", "yes", "--steps", "2"],
            2,
            "contradict",
        ),
        (&["report", &id, "--door-width", "10"], 2, "--door-width"),
        (&["report", &id, "--step-free", "maybe"], 2, "--step-free"),
        (&["report", &id, "--ramp", "steep"], 2, "--ramp"),
        (&["report", &id, "--fact", "wings=yes"], 2, "--fact"),
        (
            &["report", &id, "--elevator", "yes", "--fact", "elevator=no"],
            2,
            "twice",
        ),
        (
            &["report", &Uuid::new_v4().to_string(), "--step-free", "yes"],
            1,
            "no building",
        ),
    ];
    for (args, code, needle) in cases {
        let run = f.teng(args);
        assert_eq!(run.code, Some(*code), "{args:?}: {run:?}");
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert!(f.store.pending_mutations().unwrap().is_empty());
}

#[test]
fn status_counts_what_the_store_holds() {
    let f = Fixture::with_listings(120);
    let listing = f.open_listing();
    f.teng(&["save", &listing.id.to_string()]).ok();
    let stats = f.store.stats().unwrap();
    let run = f.teng(&["status"]).ok();
    let out = &run.stdout;
    for (what, n) in [
        ("Job listings", stats.listings),
        ("Buildings", stats.buildings),
        ("Organizations", stats.organizations),
        ("Saved jobs", stats.saved_jobs),
        ("Actions not sent yet", 1),
        ("Sync problems", 0),
        ("Server cursor", 0),
    ] {
        assert!(
            out.contains(&format!("{what}: {}\n", group(n))),
            "{what} {n}:\n{out}"
        );
    }
    assert!(out.contains("Last successful sync: never"), "{out}");
    assert!(
        out.contains("Device registered with the server: no"),
        "{out}"
    );
    let ru = f.teng(&["--lang", "ru", "status"]).ok();
    assert!(ru.stdout.contains("Вакансии: "), "{}", ru.stdout);
}

#[test]
fn problems_without_any_and_dismissing_an_unknown_one() {
    let f = Fixture::with_listings(10);
    let run = f.teng(&["problems"]).ok();
    assert!(run.stdout.contains("No sync problems."), "{}", run.stdout);
    let run = f
        .teng(&["problems", "dismiss", &Uuid::new_v4().to_string()])
        .expect_code(1);
    assert!(run.stderr.contains("teng problems"), "{}", run.stderr);
}

#[test]
fn help_documents_the_exit_codes() {
    let f = Fixture::empty();
    let run = f.teng(&["--help"]).ok();
    assert!(run.stdout.contains("Exit codes"), "{}", run.stdout);
    assert!(
        run.stdout.contains("server could not be reached"),
        "{}",
        run.stdout
    );
}

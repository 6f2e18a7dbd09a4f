//! The facade's own rules: conversions both ways, the error mapping, the panic guard, ids, and the
//! store calls end to end on a real SQLite file (the Kotlin and Swift tests repeat the scenarios
//! through the generated bindings).

use std::path::{Path, PathBuf};

use teng_core::accessibility as access;
use teng_core::model::{self, ValidationError};
use teng_core::search as core_search;
use uuid::Uuid;

use crate::accessibility::*;
use crate::enums::*;
use crate::error::{guard, parse_id, TengError};
use crate::search::{NearPoint, SearchFilters, SearchQuery};
use crate::store::TengStore;

fn sqlite_error(code: i32) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("test".into()))
}

fn invalid_field(e: TengError) -> String {
    match e {
        TengError::InvalidInput { field, .. } => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn every_core_error_maps_to_the_variant_that_tells_the_app_what_to_do() {
    use teng_core::Error as E;
    let id = Uuid::from_u128(7);
    let cases: Vec<(E, TengError)> = vec![
        (
            E::Validation(ValidationError::Empty { field: "title" }),
            TengError::invalid("title", "title must not be empty"),
        ),
        (
            E::BadQuery {
                field: "page_size",
                reason: "must be between 1 and 200".into(),
            },
            TengError::invalid("page_size", "must be between 1 and 200"),
        ),
        (
            E::InvalidInput {
                field: "device",
                reason: "x".into(),
            },
            TengError::invalid("device", "x"),
        ),
        (
            E::NotFound {
                record: "listing",
                id,
            },
            TengError::not_found("listing", id),
        ),
        (
            E::MissingReference {
                record: "listing",
                id: Uuid::from_u128(1),
                refers_to: "building",
                target: id,
            },
            TengError::not_found("building", id),
        ),
        (
            E::SchemaTooNew {
                path: PathBuf::from("/x.db"),
                found: 9,
                supported: 3,
            },
            TengError::SchemaTooNew {
                found: 9,
                supported: 3,
            },
        ),
        (E::Poisoned, TengError::StorePoisoned),
        (E::Unauthorized, TengError::Unauthorized),
        (E::Cancelled, TengError::Cancelled),
        (E::SyncInProgress, TengError::SyncInProgress),
        (
            E::Server {
                status: 503,
                code: "unavailable".into(),
                message: "down".into(),
            },
            TengError::Server {
                status: 503,
                code: "unavailable".into(),
                reason: "down".into(),
            },
        ),
        (
            E::Server {
                status: 409,
                code: "conflict".into(),
                message: "stale version".into(),
            },
            TengError::Conflict {
                reason: "stale version".into(),
            },
        ),
    ];
    for (core, expected) in cases {
        let shown = core.to_string();
        assert_eq!(TengError::from(core), expected, "{shown}");
    }

    let invalid_record = E::InvalidRecord {
        record: "accessibility report",
        id,
        source: ValidationError::Empty { field: "reporter" },
    };
    assert_eq!(invalid_field(invalid_record.into()), "reporter");

    let offline = TengError::from(E::Offline {
        detail: "connection refused".into(),
        attempts: 3,
    });
    assert!(
        matches!(&offline, TengError::Offline { reason } if reason.contains("connection refused")),
        "{offline:?}"
    );
    assert!(matches!(
        TengError::from(E::Corrupt {
            path: "/x.db".into(),
            detail: "file is not a database".into()
        }),
        TengError::StoreCorrupt { .. }
    ));
    assert!(matches!(
        TengError::from(E::BadStoredValue("unknown region code".into())),
        TengError::StoreCorrupt { .. }
    ));
}

#[test]
fn sqlite_failures_map_by_what_the_app_can_do() {
    use rusqlite::ffi;
    let map = |code| TengError::from(teng_core::Error::Sql(sqlite_error(code)));
    assert!(matches!(
        map(ffi::SQLITE_CORRUPT),
        TengError::StoreCorrupt { .. }
    ));
    assert!(matches!(
        map(ffi::SQLITE_NOTADB),
        TengError::StoreCorrupt { .. }
    ));
    for code in [
        ffi::SQLITE_FULL,
        ffi::SQLITE_BUSY,
        ffi::SQLITE_CANTOPEN,
        ffi::SQLITE_READONLY,
        ffi::SQLITE_IOERR,
    ] {
        assert!(
            matches!(map(code), TengError::StoreUnavailable { .. }),
            "{code}"
        );
    }
    assert!(matches!(
        map(ffi::SQLITE_CONSTRAINT),
        TengError::Internal { .. }
    ));
    assert!(matches!(
        TengError::from(teng_core::Error::Open {
            path: "/nowhere/x.db".into(),
            source: sqlite_error(ffi::SQLITE_CANTOPEN),
        }),
        TengError::StoreUnavailable { .. }
    ));
}

#[test]
fn error_messages_are_sentences_that_say_what_to_do() {
    let e = TengError::SchemaTooNew {
        found: 9,
        supported: 3,
    };
    assert!(e.to_string().contains("update the app"), "{e}");
    assert!(TengError::StoreClosed.to_string().contains("open it again"));
    assert_eq!(
        TengError::invalid("page_size", "must be between 1 and 200").to_string(),
        "invalid page_size: must be between 1 and 200"
    );
}

#[test]
fn malformed_ids_name_the_parameter() {
    for bad in [
        "",
        "42",
        "not-a-uuid",
        "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1a9c0b1",
    ] {
        assert_eq!(
            invalid_field(parse_id("listing_id", bad).unwrap_err()),
            "listing_id"
        );
    }
    let id = Uuid::from_u128(0xabc);
    assert_eq!(parse_id("id", &format!(" {id} ")).unwrap(), id);
    assert_eq!(parse_id("id", &id.to_string().to_uppercase()).unwrap(), id);
}

#[test]
fn a_panic_becomes_an_internal_error_not_an_abort() {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let caught = guard::<()>(|| panic!("boom {}", 42));
    let caught_str = guard::<()>(|| std::panic::panic_any("static"));
    std::panic::set_hook(quiet);
    assert_eq!(
        caught,
        Err(TengError::Internal {
            reason: "unexpected panic: boom 42".into()
        })
    );
    assert!(
        matches!(caught_str, Err(TengError::Internal { reason }) if reason.ends_with("static"))
    );
    assert_eq!(guard(|| Ok(5)), Ok(5));
}

#[test]
fn enums_convert_both_ways_with_the_cores_codes() {
    fn check<F, C>(all: Vec<F>, core_all: &[C])
    where
        F: Copy + PartialEq + std::fmt::Debug + From<C>,
        C: Copy + PartialEq + std::fmt::Debug + From<F>,
    {
        assert_eq!(all.len(), core_all.len());
        for (f, c) in all.iter().zip(core_all) {
            assert_eq!(C::from(*f), *c);
            assert_eq!(F::from(*c), *f);
        }
    }
    check(JobCategory::all(), model::JobCategory::ALL);
    check(EmploymentType::all(), model::EmploymentType::ALL);
    check(WorkMode::all(), model::WorkMode::ALL);
    check(Accommodation::all(), model::Accommodation::ALL);
    check(Region::all(), model::Region::ALL);
    check(SalaryPeriod::all(), model::SalaryPeriod::ALL);
    check(ApplyChannel::all(), model::ApplyChannel::ALL);
    check(ListingStatus::all(), model::ListingStatus::ALL);
    check(OrganizationKind::all(), model::OrganizationKind::ALL);
    check(WorkLanguage::all(), model::WorkLanguage::ALL);
    check(SortOrder::all(), core_search::SortOrder::ALL);
    check(AccessCertainty::all(), core_search::AccessCertainty::ALL);
    check(AccessFeature::all(), access::Feature::ALL);
    check(ValueKind::all(), access::ValueKind::ALL);
    check(RampKind::all(), access::RampKind::ALL);
    check(DoorType::all(), access::DoorType::ALL);
    check(AccessLevel::all(), access::AccessLevel::ALL);
    check(SignLanguage::all(), access::SignLanguage::ALL);
    check(ReporterKind::all(), access::ReporterKind::ALL);
    check(ReportMethod::all(), access::Method::ALL);
    check(FactState::all(), access::FactState::ALL);
    check(Grade::all(), access::Grade::ALL);
    check(AccessRequirement::all(), access::AccessRequirement::ALL);
    check(Answer::all(), access::Tri::ALL);

    assert_eq!(EmploymentType::FullTime.code(), "full_time");
    assert_eq!(AccessFeature::DoorWidth.code(), "door_width_cm");
    assert_eq!(Language::Ky.code(), "ky");
    let langs: Vec<access::Lang> = choices().languages.into_iter().map(Into::into).collect();
    assert_eq!(langs, access::Lang::ALL);
}

#[test]
fn every_value_has_a_distinct_label_in_each_language() {
    let c = choices();
    let mut labels: Vec<(String, [String; 3])> = Vec::new();
    let mut add = |kind: &str, code: String, f: &dyn Fn(Language) -> String| {
        labels.push((
            format!("{kind}.{code}"),
            [f(Language::Ky), f(Language::Ru), f(Language::En)],
        ));
    };
    for v in &c.categories {
        add("category", v.code(), &|l| v.label(l));
    }
    for v in &c.employment_types {
        add("employment", v.code(), &|l| v.label(l));
    }
    for v in &c.work_modes {
        add("work_mode", v.code(), &|l| v.label(l));
    }
    for v in &c.accommodations {
        add("accommodation", v.code(), &|l| v.label(l));
    }
    for v in &c.regions {
        add("region", v.code(), &|l| v.label(l));
    }
    for v in &c.sort_orders {
        add("sort", v.code(), &|l| v.label(l));
    }
    for v in &c.access_certainties {
        add("certainty", v.code(), &|l| v.label(l));
    }
    for v in &c.access_features {
        add("feature", v.code(), &|l| v.label(l));
    }
    for v in &c.access_requirements {
        add("requirement", v.code(), &|l| v.label(l));
    }
    for v in &c.salary_periods {
        add("period", v.code(), &|l| v.label(l));
    }
    for v in &c.apply_channels {
        add("channel", v.code(), &|l| v.label(l));
    }
    for v in &c.organization_kinds {
        add("org", v.code(), &|l| v.label(l));
    }
    for (name, [ky, ru, en]) in &labels {
        assert!(
            !ky.trim().is_empty() && !ru.trim().is_empty() && !en.trim().is_empty(),
            "{name}"
        );
        assert!(en.is_ascii(), "{name}: English label {en:?}");
        // Kyrgyz and Russian are written in Cyrillic (brand names aside).
        if !name.ends_with("whatsapp") {
            assert!(!ky.is_ascii() && !ru.is_ascii(), "{name}: {ky:?} / {ru:?}");
        }
    }
    // Within one enum, no two values read the same (a screen reader user could not tell them apart).
    for lang in 0..3 {
        for (i, (a, la)) in labels.iter().enumerate() {
            for (b, lb) in &labels[i + 1..] {
                let same_kind = a.split('.').next() == b.split('.').next();
                assert!(
                    !(same_kind && la[lang] == lb[lang]),
                    "{a} and {b}: {:?}",
                    la[lang]
                );
            }
        }
    }
    assert_eq!(
        AccessFeature::DoorWidth.label(Language::Ru),
        "ширина входной двери"
    );
    assert_eq!(
        Accommodation::FlexibleHours.label(Language::Ky),
        "ийкемдүү иш убактысы"
    );
    assert_eq!(Language::Ky.label(Language::En), "Kyrgyz");
}

#[test]
fn fact_values_round_trip_and_features_describe_their_inputs() {
    let values = vec![
        FactValue::Bool { value: false },
        FactValue::Count { value: 3 },
        FactValue::Centimetres { value: 90 },
        FactValue::Metres { value: 40 },
        FactValue::Percent { value: 8 },
        FactValue::Floor { value: -1 },
        FactValue::Ramp {
            kind: RampKind::NoRamp,
        },
        FactValue::Door {
            kind: DoorType::Automatic,
        },
        FactValue::Access {
            level: AccessLevel::Limited,
        },
        FactValue::SignLanguages {
            languages: vec![SignLanguage::Russian],
        },
    ];
    for v in values {
        let core: access::FeatureValue = v.clone().into();
        assert_eq!(FactValue::from(core), v);
    }
    assert_eq!(
        AccessFeature::DoorWidth.value_kind(),
        ValueKind::Centimetres
    );
    assert_eq!(
        AccessFeature::DoorWidth.valid_range(),
        Some(ValueRange { min: 30, max: 300 })
    );
    assert_eq!(AccessFeature::Elevator.valid_range(), None);
}

#[test]
fn the_default_query_is_the_cores_default_query() {
    let converted: core_search::SearchQuery = SearchQuery::default().into();
    assert_eq!(converted, core_search::SearchQuery::default());

    let q = SearchQuery {
        text: "бухгалтер".into(),
        filters: SearchFilters {
            accommodations: vec![Accommodation::FlexibleHours],
            regions: vec![Region::Bishkek],
            near: Some(NearPoint {
                lat: 42.87,
                lon: 74.59,
                radius_km: 5.0,
            }),
            access: vec![AccessRequirement::StepFreeEntrance],
            access_certainty: Some(AccessCertainty::Confirmed),
            ..Default::default()
        },
        sort: Some(SortOrder::Distance),
        page_size: 7,
        page_token: Some("t".into()),
    };
    let c: core_search::SearchQuery = q.into();
    assert_eq!(
        c.filters.accommodations,
        [model::Accommodation::FlexibleHours]
    );
    assert_eq!(c.filters.regions, [model::Region::Bishkek]);
    assert_eq!(c.filters.near.unwrap().radius_km, 5.0);
    assert_eq!(
        c.filters.access,
        [access::AccessRequirement::StepFreeEntrance]
    );
    assert_eq!(
        c.filters.access_certainty,
        core_search::AccessCertainty::Confirmed
    );
    assert_eq!(c.sort, core_search::SortOrder::Distance);
    assert_eq!((c.page_size, c.page_token.as_deref()), (7, Some("t")));
}

// --- Through a real store -------------------------------------------------------------------

fn open(dir: &Path) -> std::sync::Arc<TengStore> {
    TengStore::open(dir.join("teng.db").display().to_string(), Language::Ru).unwrap()
}

fn demo_store() -> (tempfile::TempDir, std::sync::Arc<TengStore>) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let stats = store.seed_demo_data(300, 7).unwrap();
    assert_eq!(stats.listings, 300);
    (dir, store)
}

#[test]
fn opening_names_the_problem_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a; 8192]).unwrap();
    let err = TengStore::open(garbage.display().to_string(), Language::En).err();
    assert!(
        matches!(err, Some(TengError::StoreCorrupt { .. })),
        "{err:?}"
    );

    let newer = dir.path().join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let err = TengStore::open(newer.display().to_string(), Language::En).err();
    assert!(
        matches!(err, Some(TengError::SchemaTooNew { found: 999, .. })),
        "{err:?}"
    );

    let nowhere = dir.path().join("no/such/folder/x.db");
    let err = TengStore::open(nowhere.display().to_string(), Language::En).err();
    assert!(
        matches!(err, Some(TengError::StoreUnavailable { .. })),
        "{err:?}"
    );

    let err = TengStore::open("  ".into(), Language::En).err();
    assert_eq!(err.map(invalid_field).as_deref(), Some("path"));
}

#[test]
fn a_closed_store_answers_store_closed_and_language_switches() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    assert_eq!(store.language(), Language::Ru);
    store.set_language(Language::Ky);
    assert_eq!(store.language(), Language::Ky);
    assert!(store.stats().unwrap().schema_version >= 2);
    store.close_store();
    store.close_store();
    assert!(store.is_closed());
    assert_eq!(store.stats(), Err(TengError::StoreClosed));
    assert_eq!(
        store.search(SearchQuery::default()).err(),
        Some(TengError::StoreClosed)
    );
}

#[test]
fn search_details_and_accessibility_speak_the_stores_language() {
    let (_dir, store) = demo_store();
    let page = store
        .search(SearchQuery {
            filters: SearchFilters {
                work_modes: vec![WorkMode::OnSite],
                ..Default::default()
            },
            page_size: 50,
            ..Default::default()
        })
        .unwrap();
    assert!(page.total > 0 && !page.hits.is_empty());
    let hit = page
        .hits
        .iter()
        .find(|h| h.listing.building_id.is_some())
        .expect("an on-site job has a building");
    assert_eq!(hit.listing.work_mode, WorkMode::OnSite);

    let mut sentences = Vec::new();
    for language in [Language::Ky, Language::Ru, Language::En] {
        store.set_language(language);
        let details = store.listing(hit.listing.id.clone()).unwrap();
        assert_eq!(details.summary, hit.listing);
        let building = details.building.expect("building");
        assert_eq!(Some(&building.id), hit.listing.building_id.as_ref());
        let access = details.accessibility.expect("accessibility");
        assert_eq!(access.language, language);
        assert_eq!(access.requirements.len(), AccessRequirement::all().len());
        assert!(!access.description.is_empty());
        sentences.push(access.summary.clone());
        assert_eq!(store.building_accessibility(building.id).unwrap(), access);
    }
    assert!(
        sentences[0] != sentences[1] && sentences[1] != sentences[2],
        "{sentences:?}"
    );
    assert!(sentences[2].is_ascii(), "{}", sentences[2]);

    let missing = Uuid::from_u128(99).to_string();
    assert!(matches!(
        store.listing(missing.clone()),
        Err(TengError::NotFound { what, id }) if what == "listing" && id == missing
    ));
    assert_eq!(
        invalid_field(store.listing("nope".into()).unwrap_err()),
        "id"
    );
    assert_eq!(
        invalid_field(store.building_accessibility("nope".into()).unwrap_err()),
        "building_id"
    );
    let bad_page = store.search(SearchQuery {
        page_size: 0,
        ..Default::default()
    });
    assert_eq!(invalid_field(bad_page.unwrap_err()), "page_size");
    let distance_without_point = store.search(SearchQuery {
        sort: Some(SortOrder::Distance),
        ..Default::default()
    });
    assert_eq!(invalid_field(distance_without_point.unwrap_err()), "sort");
}

#[test]
fn saved_jobs_keep_their_note_and_outlive_nothing_else() {
    let (_dir, store) = demo_store();
    let hits = store.search(SearchQuery::default()).unwrap().hits;
    let (a, b) = (hits[0].listing.id.clone(), hits[1].listing.id.clone());
    let saved = store
        .save_job(a.clone(), Some("позвонить в понедельник".into()))
        .unwrap();
    assert_eq!(saved.listing.as_ref().map(|l| &l.id), Some(&a));
    std::thread::sleep(std::time::Duration::from_millis(5));
    store.save_job(b.clone(), None).unwrap();
    let again = store
        .save_job(a.clone(), Some("уже позвонил".into()))
        .unwrap();
    assert_eq!(again.saved_at_ms, saved.saved_at_ms);

    let list = store.saved_jobs().unwrap();
    let ids: Vec<&str> = list.iter().map(|s| s.listing_id.as_str()).collect();
    assert_eq!(ids, [b.as_str(), a.as_str()]);
    assert_eq!(list[1].note.as_deref(), Some("уже позвонил"));
    assert!(store.is_saved(a.clone()).unwrap());
    assert!(store.listing(a.clone()).unwrap().is_saved);
    assert!(store.unsave_job(a.clone()).unwrap());
    assert!(!store.unsave_job(a.clone()).unwrap());
    assert!(!store.is_saved(a).unwrap());
    assert_eq!(
        invalid_field(store.save_job("x".into(), None).unwrap_err()),
        "listing_id"
    );
}

fn report(building_id: &str) -> NewReport {
    NewReport {
        building_id: building_id.into(),
        reporter: "device-test".into(),
        method: ReportMethod::Measured,
        facts: vec![
            Fact {
                feature: AccessFeature::DoorWidth,
                value: FactValue::Centimetres { value: 90 },
            },
            Fact {
                feature: AccessFeature::Ramp,
                value: FactValue::Ramp {
                    kind: RampKind::Fixed,
                },
            },
        ],
        note: Some("Вход со двора".into()),
        observed_at_ms: None,
        reporter_kind: None,
        id: None,
    }
}

#[test]
fn reports_are_kept_offline_and_bad_ones_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let building = Uuid::from_u128(5).to_string();

    let stored = store.record_report(report(&building)).unwrap();
    assert_eq!(stored.reporter_kind, ReporterKind::Anonymous);
    // Facts come back in `AccessFeature` order, whatever order they were given in.
    let mut given = report(&building).facts;
    given.reverse();
    assert_eq!(stored.facts, given);
    assert_eq!(stored.note.as_deref(), Some("Вход со двора"));
    let again = store
        .record_report(NewReport {
            id: Some(stored.id.clone()),
            ..report(&building)
        })
        .unwrap();
    assert_eq!(again, stored);
    assert_eq!(store.my_reports(Some(building.clone())).unwrap(), [stored]);
    assert_eq!(store.my_reports(None).unwrap().len(), 1);
    assert!(store
        .my_reports(Some(Uuid::from_u128(6).to_string()))
        .unwrap()
        .is_empty());

    let mut r = report(&building);
    r.facts[0].value = FactValue::Centimetres { value: 5 };
    assert_eq!(
        invalid_field(store.record_report(r).unwrap_err()),
        "facts.door_width_cm"
    );
    let mut r = report(&building);
    r.facts[0].value = FactValue::Bool { value: true };
    assert_eq!(
        invalid_field(store.record_report(r).unwrap_err()),
        "facts.door_width_cm"
    );
    let mut r = report(&building);
    r.facts.push(r.facts[1].clone());
    assert_eq!(
        invalid_field(store.record_report(r).unwrap_err()),
        "facts.ramp"
    );
    let mut r = report(&building);
    r.note = Some("x".repeat(2_001));
    assert_eq!(invalid_field(store.record_report(r).unwrap_err()), "note");
    let mut r = report(&building);
    r.observed_at_ms = Some(chrono::Utc::now().timestamp_millis() + 3 * 86_400_000);
    assert_eq!(
        invalid_field(store.record_report(r).unwrap_err()),
        "observed_at_ms"
    );
    let mut r = report(&building);
    (r.facts, r.note) = (vec![], None);
    assert_eq!(invalid_field(store.record_report(r).unwrap_err()), "facts");
    let mut r = report(&building);
    r.reporter = " ".into();
    assert_eq!(
        invalid_field(store.record_report(r).unwrap_err()),
        "reporter"
    );
    assert_eq!(
        invalid_field(store.record_report(report("b")).unwrap_err()),
        "building_id"
    );
    assert_eq!(store.my_reports(None).unwrap().len(), 1);
}

#[test]
fn a_reports_status_comes_back_in_words_and_still_not_fixed_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.set_language(Language::En);
    let building = Uuid::from_u128(5).to_string();
    let stored = store.record_report(report(&building)).unwrap();
    assert!(!stored.sent);
    assert_eq!(stored.status, ReportStatus::Open);
    assert!(
        stored.status_text.starts_with("Not sent yet"),
        "{}",
        stored.status_text
    );
    assert!(!stored.can_reopen && stored.status_history.is_empty());
    assert_eq!(
        stored.building_name, None,
        "the building is not on this device"
    );
    assert_eq!(
        invalid_field(store.reopen_report(stored.id.clone(), None).unwrap_err()),
        "report_id"
    );
    assert_eq!(
        invalid_field(store.reopen_report("x".into(), None).unwrap_err()),
        "report_id"
    );
    assert!(matches!(
        store.reopen_report(Uuid::from_u128(9).to_string(), None),
        Err(TengError::NotFound { .. })
    ));

    // The sync sent it (the server answered: it left the outbox) and the city office answered
    // (a pulled page, applied as the sync applies it).
    rusqlite::Connection::open(dir.path().join("teng.db"))
        .unwrap()
        .execute("DELETE FROM outbox", [])
        .unwrap();
    let id = Uuid::parse_str(&stored.id).unwrap();
    let page: teng_core::sync::protocol::PullPage = serde_json::from_value(serde_json::json!({
        "changes": [{ "seq": 3, "kind": "report_status", "id": id, "op": "upsert", "record": {
            "report_id": id, "building_id": building, "status": "resolved",
            "note": "Пандус орнотулду", "lang": "ky", "updated_at": "2026-12-03T09:00:00Z",
            "history": [
                { "status": "acknowledged", "note": null, "lang": null, "at": "2026-12-01T08:00:00Z", "by": "city" },
                { "status": "resolved", "note": "Пандус орнотулду", "lang": "ky", "at": "2026-12-03T09:00:00Z", "by": "city" }
            ] } }],
        "next": 3, "has_more": false
    }))
    .unwrap();
    store
        .call(|core, _| Ok(core.apply_pulled_page(0, &page)?))
        .unwrap();

    let listed = store.my_reports(Some(building.clone())).unwrap().remove(0);
    assert!(listed.sent && listed.can_reopen);
    assert_eq!(listed.status, ReportStatus::Resolved);
    assert_eq!(listed.status_note.as_deref(), Some("Пандус орнотулду"));
    assert_eq!(listed.status_note_language, Some(Language::Ky));
    assert_eq!(listed.status_updated_at_ms, Some(1_796_288_400_000));
    assert!(
        listed
            .status_text
            .starts_with("The city office marked this resolved on 3 December"),
        "{}",
        listed.status_text
    );
    assert_eq!(listed.status_history.len(), 2);
    assert_eq!(
        (listed.hidden_at_ms, listed.hidden_reason.clone()),
        (None, None)
    );
    assert_eq!(listed.status_history[0].status, ReportStatus::Acknowledged);
    assert_eq!(listed.status_history[0].author, StatusAuthor::City);
    assert!(listed.status_history[0].text.contains("acknowledged"));
    assert_eq!(
        invalid_field(
            store
                .reopen_report(stored.id.clone(), Some("x".repeat(2_001)))
                .unwrap_err()
        ),
        "note"
    );

    let reopened = store
        .reopen_report(stored.id.clone(), Some("still two steps".into()))
        .unwrap();
    assert_eq!(reopened.status, ReportStatus::Reopened);
    assert!(reopened.reopen_pending && !reopened.can_reopen);
    assert_eq!(
        reopened.status_text,
        "You said that this is still not fixed (waiting to send): still two steps."
    );
    assert_eq!(store.my_reports(None).unwrap(), [reopened]);
    let pending = store.pending_actions().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].kind, crate::sync::ActionKind::ReopenReport);
    assert_eq!(pending[0].target_id, stored.id);
    assert_eq!(
        invalid_field(store.reopen_report(stored.id.clone(), None).unwrap_err()),
        "report_id"
    );

    // In Russian, the same report.
    store.set_language(Language::Ru);
    assert!(store.my_reports(None).unwrap()[0]
        .status_text
        .starts_with("Вы сообщили, что это всё ещё не исправлено"));
}

#[test]
fn the_privacy_notice_is_in_every_language() {
    assert!(report_privacy_notice(Language::En).starts_with("The city office sees the building"));
    assert!(report_privacy_notice(Language::Ru).starts_with("Городская служба видит"));
    assert!(report_privacy_notice(Language::Ky).starts_with("Шаардык кызмат"));
    let all = choices();
    assert_eq!(all.report_statuses.len(), 6);
    assert_eq!(ReportStatus::NotResponsible.code(), "not_responsible");
    assert_eq!(StatusAuthor::Reporter.label(Language::En), "you");
}

#[test]
fn demo_data_is_validated_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    assert_eq!(
        invalid_field(store.seed_demo_data(0, 1).unwrap_err()),
        "listings"
    );
    assert_eq!(
        invalid_field(store.seed_demo_data(100_001, 1).unwrap_err()),
        "listings"
    );
    let once = store.seed_demo_data(60, 3).unwrap();
    let twice = store.seed_demo_data(60, 3).unwrap();
    assert_eq!(once, twice, "the same seed updates the same records");
}

mod sync {
    use super::*;
    use crate::sync::{ActionKind, ListingChanges, SyncSettings};

    fn store() -> (tempfile::TempDir, std::sync::Arc<TengStore>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("teng.db").to_string_lossy().into_owned();
        (dir, TengStore::open(path, Language::En).unwrap())
    }

    fn settings(url: &str) -> SyncSettings {
        SyncSettings {
            server_url: url.into(),
            user_token: None,
            page_size: 500,
            request_timeout_ms: 2_000,
            max_attempts: 2,
        }
    }

    #[test]
    fn offline_actions_are_listed_with_their_kind_and_target() {
        let (_dir, store) = store();
        store.seed_demo_data(20, 1).unwrap();
        let id = store
            .search(SearchQuery::default())
            .unwrap()
            .hits
            .remove(0)
            .listing
            .id;
        store.save_job(id.clone(), None).unwrap();
        let pending = store.pending_actions().unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].kind, ActionKind::SaveJob);
        assert_eq!(pending[0].target_id, id);
        assert!(store.has_pending_action(id).unwrap());
        assert_eq!(store.sync_status().unwrap().pending, 1);
    }

    #[test]
    fn an_edit_changes_only_the_fields_given_and_is_queued() {
        let (_dir, store) = store();
        store.seed_demo_data(20, 1).unwrap();
        let before = store
            .search(SearchQuery::default())
            .unwrap()
            .hits
            .remove(0)
            .listing;
        let changes = ListingChanges {
            title: Some("Бухгалтер (жарым күн)".into()),
            description: None,
            salary: None,
            valid_through_ms: None,
            clear_valid_through: false,
        };
        let after = store
            .edit_listing(before.id.clone(), changes.clone())
            .unwrap();
        assert_eq!(after.title, "Бухгалтер (жарым күн)");
        assert_eq!(after.city, before.city);
        assert_eq!(
            store.pending_actions().unwrap()[0].kind,
            ActionKind::UpdateListing
        );
        let empty_title = ListingChanges {
            title: Some(String::new()),
            ..changes
        };
        assert_eq!(
            invalid_field(store.edit_listing(before.id, empty_title).unwrap_err()),
            "title"
        );
    }

    #[test]
    fn sync_errors_arrive_as_their_variants() {
        let (_dir, store) = store();
        assert_eq!(
            invalid_field(store.sync(settings("ftp://x"), None, None).unwrap_err()),
            "server_url"
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        assert!(matches!(
            store.sync(settings(&url), None, None),
            Err(TengError::Offline { .. })
        ));
        let cancel = crate::sync::SyncCancellation::new();
        cancel.cancel();
        assert_eq!(
            store.sync(settings(&url), None, Some(cancel)),
            Err(TengError::Cancelled)
        );
        store.close_store();
        assert_eq!(store.sync_status(), Err(TengError::StoreClosed));
    }
}

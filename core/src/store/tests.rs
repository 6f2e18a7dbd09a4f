use std::sync::{Arc, Barrier};
use std::thread;

use chrono::Duration;
use uuid::Uuid;

use super::*;
use crate::model::*;
use crate::testing::{self, building, listing, organization, temp_store};

fn bishkek_office() -> Building {
    building("Ордо", "Бишкек", Region::Bishkek, 42.8746, 74.5698)
}

#[test]
fn a_new_file_gets_the_current_schema_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teng.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), db::SCHEMA_VERSION);
    let org = organization("Ак-Жол", true);
    store
        .upsert_organizations(std::slice::from_ref(&org))
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.organization(org.id).unwrap(), Some(org));
}

#[test]
fn closing_the_store_folds_the_wal_into_the_file() {
    // The next open then has no WAL to read through (a sync leaves tens of MB in it).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teng.db");
    let wal = dir.path().join("teng.db-wal");
    let store = Store::open(&path).unwrap();
    let org = organization("Ак-Жол", true);
    store
        .upsert_organizations(std::slice::from_ref(&org))
        .unwrap();
    // Readers in the pool are the connections that would otherwise close last.
    assert_eq!(store.organization(org.id).unwrap(), Some(org.clone()));
    assert!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0);
    drop(store);
    assert!(!wal.exists(), "the WAL outlived the store");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let name: String = conn
        .query_row("SELECT name FROM organizations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, org.name);
}

#[test]
fn a_database_from_a_newer_app_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teng.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", db::SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    match Store::open(&path) {
        Err(Error::SchemaTooNew {
            found, supported, ..
        }) => {
            assert_eq!(found, db::SCHEMA_VERSION + 1);
            assert_eq!(supported, db::SCHEMA_VERSION);
        }
        other => panic!("expected SchemaTooNew, got {:?}", other.err()),
    }
}

#[test]
fn a_corrupt_file_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teng.db");
    std::fs::write(
        &path,
        b"this is not a database, just some bytes that are long enough ".repeat(200),
    )
    .unwrap();
    let err = Store::open(&path).err().expect("must not open");
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("corrupt"), "{err}");
}

#[test]
fn records_round_trip_through_the_store() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = Building {
        osm_id: Some("way/42".into()),
        ..bishkek_office()
    };
    let mut l = listing(&org, &b, "Бухгалтер");
    l.salary = Some(Salary {
        min: Some(20_000),
        max: None,
        period: SalaryPeriod::Month,
    });
    l.accommodations = vec![Accommodation::FlexibleHours, Accommodation::QuietWorkspace];
    l.languages = vec![WorkLanguage::Kyrgyz, WorkLanguage::English];
    l.valid_through = Some(l.posted_at + Duration::days(30));
    l.apply_via.push(ApplyMethod {
        channel: ApplyChannel::InPerson,
        value: "Чүй 1, 3-кабат".into(),
    });
    store
        .apply(&ChangeBatch {
            organizations: vec![org.clone()],
            buildings: vec![b.clone()],
            listings: vec![l.clone()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(store.organization(org.id).unwrap(), Some(org));
    assert_eq!(store.building(b.id).unwrap(), Some(b));
    assert_eq!(store.listing(l.id).unwrap(), Some(l));
    assert_eq!(store.listing(Uuid::new_v4()).unwrap(), None);
}

#[test]
fn upsert_replaces_an_existing_listing() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let mut l = listing(&org, &b, "Бухгалтер");
    store
        .apply(&ChangeBatch {
            organizations: vec![org],
            buildings: vec![b],
            listings: vec![l.clone()],
            ..Default::default()
        })
        .unwrap();
    l.title = "Башкы бухгалтер".into();
    l.version = 2;
    store.upsert_listings(std::slice::from_ref(&l)).unwrap();
    assert_eq!(store.listing(l.id).unwrap(), Some(l));
    assert_eq!(store.stats().unwrap().listings, 1);
}

#[test]
fn an_invalid_record_fails_the_whole_batch_naming_it() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let good = listing(&org, &b, "Бухгалтер");
    let mut bad = listing(&org, &b, "");
    bad.title = " ".into();
    let err = store
        .apply(&ChangeBatch {
            organizations: vec![org],
            buildings: vec![b],
            listings: vec![good, bad.clone()],
            ..Default::default()
        })
        .unwrap_err();
    match err {
        Error::InvalidRecord {
            record: "listing",
            id,
            source,
        } => {
            assert_eq!(id, bad.id);
            assert_eq!(source.field(), "title");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.stats().unwrap(),
        StoreStats::default(),
        "nothing of the batch is kept"
    );
}

#[test]
fn a_listing_of_an_unknown_organization_or_building_is_refused() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let l = listing(&org, &b, "Бухгалтер");
    let err = store.upsert_listings(std::slice::from_ref(&l)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingReference {
                refers_to: "organization",
                ..
            }
        ),
        "{err:?}"
    );
    store.upsert_organizations(&[org]).unwrap();
    let err = store.upsert_listings(std::slice::from_ref(&l)).unwrap_err();
    assert!(
        matches!(err, Error::MissingReference { refers_to: "building", target, .. } if target == b.id),
        "{err:?}"
    );
}

#[test]
fn deleting_an_organization_removes_its_listings() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let other = organization("Nur", true);
    let b = bishkek_office();
    let mine = listing(&org, &b, "Бухгалтер");
    let theirs = listing(&other, &b, "Мугалим");
    store
        .apply(&ChangeBatch {
            organizations: vec![org.clone(), other],
            buildings: vec![b],
            listings: vec![mine.clone(), theirs.clone()],
            ..Default::default()
        })
        .unwrap();
    store.delete_organizations(&[org.id]).unwrap();
    assert_eq!(store.listing(mine.id).unwrap(), None);
    assert!(store.listing(theirs.id).unwrap().is_some());
}

#[test]
fn deleting_a_building_keeps_its_listings_without_a_place() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let l = listing(&org, &b, "Бухгалтер");
    store
        .apply(&ChangeBatch {
            organizations: vec![org],
            buildings: vec![b.clone()],
            listings: vec![l.clone()],
            ..Default::default()
        })
        .unwrap();
    store.delete_buildings(&[b.id]).unwrap();
    assert_eq!(store.building(b.id).unwrap(), None);
    assert_eq!(store.listing(l.id).unwrap().unwrap().building_id, None);
}

#[test]
fn saved_jobs_keep_their_first_time_and_outlive_the_listing() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let l = listing(&org, &b, "Бухгалтер");
    store
        .apply(&ChangeBatch {
            organizations: vec![org],
            buildings: vec![b],
            listings: vec![l.clone()],
            ..Default::default()
        })
        .unwrap();

    let first = store.save_job(l.id, Some("call on Monday")).unwrap();
    let again = store
        .save_job(l.id, Some("called, interview Friday"))
        .unwrap();
    assert_eq!(again.saved_at, first.saved_at);
    assert_eq!(store.saved_jobs().unwrap(), vec![again.clone()]);
    assert!(store.is_saved(l.id).unwrap());

    store.delete_listings(&[l.id]).unwrap();
    assert_eq!(
        store.saved_jobs().unwrap(),
        vec![again],
        "saved job stays after its listing is gone"
    );

    assert!(store.unsave_job(l.id).unwrap());
    assert!(
        !store.unsave_job(l.id).unwrap(),
        "second unsave reports nothing removed"
    );
    assert!(store.saved_jobs().unwrap().is_empty());
}

#[test]
fn a_too_long_note_is_refused() {
    let (_dir, store) = temp_store();
    let err = store
        .save_job(
            Uuid::new_v4(),
            Some(&"ы".repeat(validation::limits::NOTE + 1)),
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(ref v) if v.field() == "note"),
        "{err:?}"
    );
}

#[test]
fn readers_are_not_blocked_by_a_write_in_progress() {
    let (_dir, store) = temp_store();
    let store = Arc::new(store);
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    store
        .apply(&ChangeBatch {
            organizations: vec![org.clone()],
            buildings: vec![b.clone()],
            listings: vec![listing(&org, &b, "Бухгалтер")],
            ..Default::default()
        })
        .unwrap();

    // The writer holds its transaction open until the readers have finished reading.
    let in_write = Arc::new(Barrier::new(2));
    let reads_done = Arc::new(Barrier::new(2));
    let writer = {
        let (store, in_write, reads_done) = (store.clone(), in_write.clone(), reads_done.clone());
        thread::spawn(move || {
            store
                .write_catalogue(|tx| {
                    let more: Vec<JobListing> = (0..200)
                        .map(|i| listing(&org, &b, &format!("Job {i}")))
                        .collect();
                    listings::upsert(tx, &more)?;
                    in_write.wait();
                    reads_done.wait();
                    Ok(())
                })
                .unwrap();
        })
    };
    in_write.wait();
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            thread::spawn(move || store.stats().unwrap().listings)
        })
        .collect();
    let seen: Vec<u64> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    reads_done.wait();
    writer.join().unwrap();
    assert_eq!(
        seen,
        vec![1; 4],
        "readers see the last commit, not the write in progress"
    );
    assert_eq!(store.stats().unwrap().listings, 201);
}

#[test]
fn store_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
    let _ = testing::now();
}

pub(crate) mod accessibility {
    use super::*;
    use crate::accessibility::{
        aggregate, AccessRequirement, AccessibilityReport, Facts, Feature, FeatureValue, Method,
        ReporterKind, Tri,
    };

    pub(crate) fn step_free_report(building: Uuid, reporter: &str) -> AccessibilityReport {
        AccessibilityReport {
            id: Uuid::new_v4(),
            building_id: building,
            reporter: reporter.into(),
            reporter_kind: ReporterKind::VerifiedSurveyor,
            observed_at: testing::now() - Duration::days(2),
            method: Method::Measured,
            facts: Facts::new().with(Feature::StepFreeEntrance, FeatureValue::Bool(true)),
            note: None,
        }
    }

    #[test]
    fn building_summaries_round_trip_and_go_with_their_building() {
        let (_dir, store) = temp_store();
        let b = bishkek_office();
        store.upsert_buildings(std::slice::from_ref(&b)).unwrap();
        let summary = aggregate(
            b.id,
            &[step_free_report(b.id, "surveyor-1")],
            testing::now(),
        );
        assert_eq!(
            summary.requirement(AccessRequirement::StepFreeEntrance).met,
            Tri::Yes
        );
        store
            .put_building_summaries(std::slice::from_ref(&summary))
            .unwrap();
        assert_eq!(store.building_summary(b.id).unwrap(), Some(summary));
        store
            .apply(&ChangeBatch {
                deleted_buildings: vec![b.id],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(store.building_summary(b.id).unwrap(), None);
    }

    #[test]
    fn the_users_reports_are_kept_once_and_validated() {
        let (_dir, store) = temp_store();
        let b = Uuid::new_v4();
        let report = step_free_report(b, "device-1");
        store.record_report(&report).unwrap();
        store.record_report(&report).unwrap();
        assert_eq!(store.my_reports(Some(b)).unwrap(), vec![report.clone()]);
        assert_eq!(store.my_reports(None).unwrap(), vec![report.clone()]);
        assert!(store.my_reports(Some(Uuid::new_v4())).unwrap().is_empty());

        let mut bad = step_free_report(b, "device-1");
        bad.facts = Facts::new().with(Feature::DoorWidth, FeatureValue::Centimetres(5));
        let err = store.record_report(&bad).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidRecord {
                    record: "accessibility report",
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn a_version_1_file_is_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let l = listing(&org, &b, "Бухгалтер");
    {
        // What an install of the first release left on the phone.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        db::migrate(&mut conn, &path, 1).unwrap();
        let tx = conn.transaction().unwrap();
        // The building as version 1 stored it (no district column yet); organizations and
        // listings are written by today's code, whose columns version 1 already had.
        tx.execute(
            "INSERT INTO buildings (id, name, street, city, region, lat, lon, osm_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)",
            rusqlite::params![
                b.id.to_string(),
                b.name,
                b.address.street,
                b.address.city,
                b.address.region.code(),
                b.location.lat,
                b.location.lon
            ],
        )
        .unwrap();
        apply_in(
            &tx,
            &ChangeBatch {
                organizations: vec![org],
                listings: vec![l.clone()],
                ..Default::default()
            },
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(db::schema_version(&conn).unwrap(), 1);
        let has_access: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'building_access'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(has_access, 0);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), db::SCHEMA_VERSION);
    assert_eq!(store.listing(l.id).unwrap(), Some(l));
    assert_eq!(store.building(b.id).unwrap(), Some(b.clone()));
    let summary = crate::accessibility::aggregate(
        b.id,
        &[accessibility::step_free_report(b.id, "s")],
        testing::now(),
    );
    store.put_building_summaries(&[summary]).unwrap();
    assert!(
        store.building_summary(b.id).unwrap().is_some(),
        "the new tables work"
    );
}

#[test]
fn a_version_4_file_keeps_its_building_summaries_and_their_search_codes() {
    use crate::accessibility::AccessRequirement;
    use crate::search::{SearchFilters, SearchQuery};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let l = listing(&org, &b, "Бухгалтер");
    let summary = crate::accessibility::aggregate(
        b.id,
        &[accessibility::step_free_report(b.id, "s")],
        testing::now(),
    );
    {
        // Version 4 kept the summary JSON and the requirement codes in one row of building_access.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        db::migrate(&mut conn, &path, 4).unwrap();
        let tx = conn.transaction().unwrap();
        apply_in(
            &tx,
            &ChangeBatch {
                organizations: vec![org],
                buildings: vec![b.clone()],
                listings: vec![l.clone()],
                ..Default::default()
            },
        )
        .unwrap();
        let codes = summary.requirement_codes();
        let columns: Vec<&str> = codes.iter().map(|(r, _)| access::column(*r)).collect();
        let values: Vec<String> = codes.iter().map(|(_, c)| c.to_string()).collect();
        tx.execute(
            &format!(
                "INSERT INTO building_access (building_id, summary, last_reported_at, {})
                 VALUES (?1, ?2, NULL, {})",
                columns.join(", "),
                values.join(", ")
            ),
            rusqlite::params![b.id.to_string(), serde_json::to_string(&summary).unwrap()],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), db::SCHEMA_VERSION);
    assert_eq!(store.building_summary(b.id).unwrap(), Some(summary));
    let step_free = SearchQuery {
        filters: SearchFilters {
            access: vec![AccessRequirement::StepFreeEntrance],
            ..Default::default()
        },
        ..Default::default()
    };
    let page = store.search(&step_free).unwrap();
    assert_eq!(
        page.hits.iter().map(|h| h.listing.id).collect::<Vec<_>>(),
        vec![l.id]
    );
    // Withdrawing the summary removes both halves.
    store
        .apply(&ChangeBatch {
            deleted_summaries: vec![b.id],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(store.building_summary(b.id).unwrap(), None);
    assert_eq!(store.search(&step_free).unwrap().total, 0);
}

#[test]
fn deleted_listings_leave_no_details_or_index_rows_behind() {
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let other = organization("Nur", true);
    let b = bishkek_office();
    let a = listing(&org, &b, "Бухгалтер");
    let c = listing(&other, &b, "Мугалим");
    store
        .apply(&ChangeBatch {
            organizations: vec![org.clone(), other.clone()],
            buildings: vec![b],
            listings: vec![a.clone(), c],
            ..Default::default()
        })
        .unwrap();
    let leftovers = |store: &Store| {
        store
            .read(|conn| {
                let details: i64 =
                    conn.query_row("SELECT count(*) FROM listing_details", [], |r| r.get(0))?;
                let indexed: i64 =
                    conn.query_row("SELECT count(*) FROM listing_fts", [], |r| r.get(0))?;
                Ok((details, indexed))
            })
            .unwrap()
    };
    assert_eq!(leftovers(&store), (2, 2));
    store.delete_listings(&[a.id]).unwrap();
    assert_eq!(leftovers(&store), (1, 1));
    store.delete_organizations(&[other.id]).unwrap();
    assert_eq!(leftovers(&store), (0, 0));
}

#[test]
fn only_catalogue_writes_make_search_rebuild_its_facets() {
    use std::sync::atomic::Ordering;
    let (_dir, store) = temp_store();
    let org = organization("Ак-Жол", true);
    let b = bishkek_office();
    let l = listing(&org, &b, "Бухгалтер");
    store
        .apply(&ChangeBatch {
            organizations: vec![org],
            buildings: vec![b],
            listings: vec![l.clone()],
            ..Default::default()
        })
        .unwrap();
    let after_catalogue = store.generation.load(Ordering::Acquire);
    assert!(after_catalogue > 0);
    store.save_job(l.id, None).unwrap();
    store.unsave_job(l.id).unwrap();
    assert_eq!(
        store.generation.load(Ordering::Acquire),
        after_catalogue,
        "saved jobs do not touch search"
    );
    store.delete_listings(&[l.id]).unwrap();
    assert!(store.generation.load(Ordering::Acquire) > after_catalogue);
}

#[test]
fn a_buildings_district_round_trips_and_an_empty_one_is_refused() {
    let (_dir, store) = temp_store();
    let mut b = bishkek_office();
    b.address.district = Some("Ленинский район".into());
    store.upsert_buildings(std::slice::from_ref(&b)).unwrap();
    assert_eq!(store.building(b.id).unwrap(), Some(b.clone()));
    b.address.district = Some("  ".into());
    let err = store.upsert_buildings(&[b]).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRecord { source, .. } if source.field() == "address.district"),
        "{err:?}"
    );
}

#[test]
fn a_version_5_file_keeps_its_reports_and_shows_them_unanswered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    let report = accessibility::step_free_report(Uuid::new_v4(), "this-device");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        db::migrate(&mut conn, &path, 5).unwrap();
        let tx = conn.transaction().unwrap();
        access::record_report(&tx, &report).unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), db::SCHEMA_VERSION);
    let mine = store.my_reports_with_status(None).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].report, report);
    assert!(mine[0].sent, "nothing of it waits in the outbox");
    assert_eq!(mine[0].status, crate::accessibility::ReportStatus::Open);
    assert!(!mine[0].can_reopen);
}

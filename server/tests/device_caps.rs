//! What one free device token can make the server keep (issue 14): saved jobs, mutations per day
//! and push receipts are capped per device, and a capped mutation is never lost (a rate-limited one
//! is answered so the phone keeps it for a later sync).

use chrono::{DateTime, Duration, Utc};
use teng_core::generator::{DataSize, Generator};
use teng_server::storage::sqlite::SqliteStorage;
use teng_server::storage::{device_caps, Mutation, MutationOutcome, PushActor, Storage};
use uuid::Uuid;

struct World {
    _dir: tempfile::TempDir,
    storage: SqliteStorage,
    listings: Vec<Uuid>,
    device: Uuid,
    now: DateTime<Utc>,
}

fn world(listings: usize) -> World {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open(&dir.path().join("teng.db")).unwrap();
    let now = Utc::now();
    let g = Generator::new(14, DataSize::for_listings(listings), now);
    let all: Vec<_> = g.listings().collect();
    storage
        .import(&g.organizations(), &g.buildings(), &all, now)
        .unwrap();
    let device = Uuid::new_v4();
    storage.create_device(device, now).unwrap();
    World {
        _dir: dir,
        storage,
        listings: all.iter().map(|l| l.id).collect(),
        device,
        now,
    }
}

impl World {
    fn push(&self, id: Uuid, mutation: &Mutation, at: DateTime<Utc>) -> MutationOutcome {
        self.storage
            .push(PushActor::Device(self.device), id, mutation, at)
            .unwrap()
    }

    fn save(&self, listing: Uuid, at: DateTime<Utc>) -> MutationOutcome {
        let mutation = Mutation::SaveJob {
            listing_id: listing,
            note: None,
            saved_at: at,
        };
        self.push(Uuid::new_v4(), &mutation, at)
    }
}

fn applied(outcome: &MutationOutcome) -> bool {
    matches!(outcome, MutationOutcome::Applied { .. })
}

#[test]
fn a_device_keeps_at_most_500_saved_jobs_and_can_save_again_after_unsaving() {
    let w = world(device_caps::SAVED_JOBS as usize + 20);
    let cap = device_caps::SAVED_JOBS as usize;
    for (i, listing) in w.listings[..cap].iter().enumerate() {
        let at = w.now + Duration::milliseconds(i as i64);
        assert!(applied(&w.save(*listing, at)), "save {i}");
    }
    let at = w.now + Duration::seconds(10);
    match w.save(w.listings[cap], at) {
        MutationOutcome::Rejected {
            code,
            field,
            message,
        } => {
            assert_eq!(code, "invalid_state");
            assert_eq!(field.as_deref(), Some("listing_id"));
            assert!(message.contains("500"), "{message}");
        }
        other => panic!("the 501st saved job was kept: {other:?}"),
    }
    // Saving one already saved again (a new note, say) is not a new one.
    assert!(applied(&w.save(w.listings[0], at)));
    let unsave = Mutation::UnsaveJob {
        listing_id: w.listings[1],
    };
    assert!(applied(&w.push(Uuid::new_v4(), &unsave, at)));
    assert!(applied(&w.save(w.listings[cap], at)));
    assert!(!applied(&w.save(w.listings[cap + 1], at)));
}

#[test]
fn a_device_pushing_more_than_a_day_allows_is_told_to_come_back_and_its_change_is_kept() {
    let w = world(20);
    let per_day = device_caps::MUTATIONS_PER_DAY as usize;
    for i in 0..per_day {
        let at = w.now + Duration::milliseconds(i as i64);
        assert!(applied(&w.save(w.listings[i % 20], at)), "mutation {i}");
    }
    let late = Uuid::new_v4();
    let mutation = Mutation::SaveJob {
        listing_id: w.listings[0],
        note: Some("one too many".into()),
        saved_at: w.now,
    };
    let at = w.now + Duration::hours(1);
    match w.push(late, &mutation, at) {
        MutationOutcome::Rejected { code, .. } => assert_eq!(code, "rate_limited"),
        other => panic!("mutation over the daily cap applied: {other:?}"),
    }
    // Not recorded as answered: the same mutation id sent a day later is applied, not "rejected
    // before".
    let next_day = w.now + Duration::hours(25);
    assert!(applied(&w.push(late, &mutation, next_day)));
}

#[test]
fn push_receipts_are_capped_per_device_keeping_the_newest() {
    let w = world(20);
    let total = device_caps::RECEIPTS as usize + 100;
    // Spread over days so the daily cap does not stop it.
    let per_day = device_caps::MUTATIONS_PER_DAY as usize / 2;
    let mut sent = Vec::with_capacity(total);
    for i in 0..total {
        let at = w.now
            + Duration::days((i / per_day) as i64)
            + Duration::milliseconds((i % per_day) as i64);
        let id = Uuid::new_v4();
        let mutation = Mutation::SaveJob {
            listing_id: w.listings[i % 20],
            note: None,
            saved_at: at,
        };
        assert!(applied(&w.push(id, &mutation, at)), "mutation {i}");
        sent.push((id, mutation, at));
    }
    let later = w.now + Duration::days(10);
    // The newest receipts answer a retry as a duplicate ...
    let (id, mutation, _) = &sent[total - 1];
    assert!(matches!(
        w.push(*id, mutation, later),
        MutationOutcome::Duplicate { .. }
    ));
    let (id, mutation, _) = &sent[total - device_caps::RECEIPTS as usize + 10];
    assert!(matches!(
        w.push(*id, mutation, later),
        MutationOutcome::Duplicate { .. }
    ));
    // ... the oldest are gone (saving again is harmless: the same saved job).
    let (id, mutation, _) = &sent[0];
    assert!(applied(&w.push(*id, mutation, later)));
}

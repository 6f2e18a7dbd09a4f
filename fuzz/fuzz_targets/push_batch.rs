//! The server's reading of a `POST /v1/sync/push` body (server/src/api/sync.rs: `PushBody`,
//! `MutationBody`, `parse`, through `teng_server::api::sync::fuzzing::read_batch`), as a device and
//! as an ngo user.
//!
//! Properties:
//! - no input panics;
//! - a batch that is read has at most `MAX_BATCH` entries, and each entry becomes either a
//!   mutation for storage or a `rejected` answer with a code and a message (never `applied`,
//!   `duplicate` or `conflict`, which only storage can answer);
//! - what is handed to storage passes the same checks storage relies on: a non-nil mutation id,
//!   notes within the limit, a report valid at `now` and not observed after it (and named by the
//!   mutation's id when it has none of its own), a listing edit that validates and names its
//!   listing;
//! - every answer serializes (it is sent back as JSON).

#![no_main]

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use teng_core::model::validation::limits;
use teng_core::model::Validate;
use teng_server::api::sync::fuzzing::{read_batch, MAX_BATCH};
use teng_server::storage::{Mutation, MutationOutcome, PushActor};
use uuid::Uuid;

fuzz_target!(|data: &[u8]| {
    // 2026-12-07T12:00:00Z: the seed batches' times (2026-11-20) are in its past.
    let now = DateTime::<Utc>::from_timestamp(1_796_644_800, 0).expect("a valid time");
    let device = PushActor::Device(Uuid::from_u128(0x0194_a3b0_0000_7000_8000_0000_0000_0d01));
    let user = PushActor::User {
        id: Uuid::from_u128(0x0194_a3b0_0000_7000_8000_0000_0000_0a01),
        org_scope: Some(Uuid::from_u128(0x0194_a3b0_0000_7000_8000_0000_0000_0001)),
    };
    // The entries as JSON, to compare what was read with what was sent.
    // (serde reads a struct from an array of its fields too, so `[[...]]` is a batch as well.)
    let sent: Option<Vec<Value>> = serde_json::from_slice::<Value>(data).ok().and_then(|v| {
        let mutations = match &v {
            Value::Array(fields) => fields.first()?,
            other => other.get("mutations")?,
        };
        mutations.as_array().cloned()
    });
    for actor in [device, user] {
        let Ok(entries) = read_batch(data, now, actor) else {
            continue;
        };
        if teng_fuzz_debug() {
            let read = entries.iter().filter(|e| e.is_ok()).count();
            eprintln!("push_batch: {read} of {} entries read", entries.len());
        }
        assert!(entries.len() <= MAX_BATCH);
        let sent = sent
            .as_ref()
            .expect("a batch that is read is a JSON object with mutations");
        assert_eq!(entries.len(), sent.len());
        for (entry, value) in entries.iter().zip(sent) {
            match entry {
                Ok((id, mutation)) => check_mutation(*id, mutation, value, now),
                Err(outcome) => check_rejection(outcome),
            }
        }
    }
});

fn check_rejection(outcome: &MutationOutcome) {
    match outcome {
        MutationOutcome::Rejected { code, message, .. } => {
            assert!(!code.is_empty() && !message.is_empty(), "{outcome:?}");
        }
        other => panic!("only storage may answer {other:?}"),
    }
    serde_json::to_vec(outcome).expect("an answer serializes");
}

fn uuid_at(value: &Value, key: &str) -> Option<Uuid> {
    value.get(key)?.as_str()?.parse().ok()
}

fn check_mutation(id: Uuid, mutation: &Mutation, value: &Value, now: DateTime<Utc>) {
    assert!(!id.is_nil());
    assert_eq!(Some(id), uuid_at(value, "id"));
    let note_ok = |note: &Option<String>| {
        note.as_ref()
            .is_none_or(|n| n.chars().count() <= limits::NOTE)
    };
    match mutation {
        Mutation::SaveJob {
            listing_id, note, ..
        } => {
            assert_eq!(Some(*listing_id), uuid_at(value, "listing_id"));
            assert!(note_ok(note), "note too long");
        }
        Mutation::UnsaveJob { listing_id } => {
            assert_eq!(Some(*listing_id), uuid_at(value, "listing_id"));
        }
        Mutation::ReopenReport { report_id, note } => {
            assert_eq!(Some(*report_id), uuid_at(value, "report_id"));
            assert!(note_ok(note), "note too long");
        }
        Mutation::SubmitReport(report) => {
            assert_eq!(Some(report.building_id), uuid_at(value, "building_id"));
            report
                .validate_at(now)
                .unwrap_or_else(|e| panic!("an invalid report reached storage: {e}"));
            assert!(report.observed_at <= now, "a report observed in the future");
            let own_id = value.get("report").and_then(|r| r.get("id"));
            if own_id.is_none() || own_id == Some(&Value::Null) {
                assert_eq!(report.id, id, "a report without an id takes the mutation's");
            }
        }
        Mutation::UpdateListing(listing) => {
            assert_eq!(Some(listing.id), uuid_at(value, "listing_id"));
            listing
                .validate()
                .unwrap_or_else(|e| panic!("an invalid listing reached storage: {e}"));
        }
    }
}

/// `TENG_FUZZ_DEBUG=1`: say what each input made (to check what a new seed exercises).
fn teng_fuzz_debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("TENG_FUZZ_DEBUG").is_some())
}

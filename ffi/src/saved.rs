//! The user's own list of saved jobs. A saved job outlives its listing: when a sync removes the
//! listing, the entry stays (with `listing` empty) so the user sees the job is gone.

use chrono::Utc;
use teng_core::model;

use crate::error::{parse_id, Result};
use crate::listings::ListingSummary;
use crate::store::TengStore;

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SavedJob {
    pub listing_id: String,
    pub note: Option<String>,
    /// When it was first saved, milliseconds since 1970-01-01 UTC.
    pub saved_at_ms: i64,
    /// The listing as stored now; `null`/`nil` when it is no longer on the device.
    pub listing: Option<ListingSummary>,
}

#[uniffi::export]
impl TengStore {
    /// Saves a job, or changes the note of one already saved (keeping when it was first saved).
    /// Errors: `InvalidInput` (field `listing_id`, or `note` when too long).
    pub fn save_job(&self, listing_id: String, note: Option<String>) -> Result<SavedJob> {
        self.call(|store, _| {
            let id = parse_id("listing_id", &listing_id)?;
            let saved = store.save_job(id, note.as_deref())?;
            saved_job(store, saved)
        })
    }

    /// Removes a job from the list; `false` when it was not on it.
    pub fn unsave_job(&self, listing_id: String) -> Result<bool> {
        self.call(|store, _| Ok(store.unsave_job(parse_id("listing_id", &listing_id)?)?))
    }

    pub fn is_saved(&self, listing_id: String) -> Result<bool> {
        self.call(|store, _| Ok(store.is_saved(parse_id("listing_id", &listing_id)?)?))
    }

    /// The saved jobs, most recently saved first.
    pub fn saved_jobs(&self) -> Result<Vec<SavedJob>> {
        self.call(|store, _| {
            store
                .saved_jobs()?
                .into_iter()
                .map(|saved| saved_job(store, saved))
                .collect()
        })
    }
}

fn saved_job(store: &teng_core::Store, saved: model::SavedJob) -> Result<SavedJob> {
    let listing = match store.listing(saved.listing_id)? {
        Some(listing) => {
            let organization = store.organization(listing.organization_id)?;
            let (name, verified) =
                organization.map_or((String::new(), false), |o| (o.name, o.verified));
            Some(ListingSummary::new(listing, name, verified, Utc::now()))
        }
        None => None,
    };
    Ok(SavedJob {
        listing_id: saved.listing_id.to_string(),
        note: saved.note,
        saved_at_ms: saved.saved_at.timestamp_millis(),
        listing,
    })
}

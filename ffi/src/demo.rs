//! Demo data for app demos, screenshots and tests: the core's deterministic generator (eight
//! cities, Kyrgyz/Russian/English titles, buildings with crowd-reported accessibility) written into
//! the store. Not for production builds' user-facing paths: it adds made-up organizations.

use chrono::Utc;
use teng_core::generator::{DataSize, Generator};
use teng_core::store::ChangeBatch;

use crate::error::{Result, TengError};
use crate::store::{StoreStats, TengStore};

/// Largest demo load accepted in one call.
const MAX_DEMO_LISTINGS: u32 = 100_000;
/// Listings per transaction: big enough to be quick, small enough to keep memory flat.
const CHUNK: usize = 5_000;

#[uniffi::export]
impl TengStore {
    /// DEMO DATA: adds `listings` generated job listings (1 to 100 000) with their organizations,
    /// buildings and building accessibility, dated around now. The same `seed` gives the same
    /// records (same ids), so loading twice updates rather than duplicates. Takes about a second
    /// per 10 000 listings on a laptop; call it off the main thread.
    pub fn seed_demo_data(&self, listings: u32, seed: u64) -> Result<StoreStats> {
        self.call(|store, _| {
            if listings == 0 || listings > MAX_DEMO_LISTINGS {
                return Err(TengError::invalid(
                    "listings",
                    format!("must be between 1 and {MAX_DEMO_LISTINGS}"),
                ));
            }
            let generator =
                Generator::new(seed, DataSize::for_listings(listings as usize), Utc::now());
            let size = generator.size();
            store.apply(&ChangeBatch {
                organizations: generator.organizations(),
                buildings: generator.buildings(),
                building_summaries: (0..size.buildings)
                    .filter_map(|i| generator.building_summary(i))
                    .collect(),
                ..Default::default()
            })?;
            for start in (0..size.listings).step_by(CHUNK) {
                let end = (start + CHUNK).min(size.listings);
                store.upsert_listings(&generator.listings_in(start..end).collect::<Vec<_>>())?;
            }
            Ok(())
        })?;
        self.stats()
    }
}

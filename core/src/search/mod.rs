//! Offline job search: full text in three languages and two scripts, combinable filters, four sorts,
//! and keyset pagination with a total count.
//!
//! Text goes through [`text::fold`] both when indexed and when queried, so "bishkek", "Бишкек" and
//! "БИШКЕК" meet, and a query typed without Kyrgyz letters (о, у, н) finds words written with them
//! (ө, ү, ң). User text reaches FTS5 only as quoted prefix terms ([`text::match_expression`]).
//!
//! FTS5 finds the rowids that contain the words; `facets` (a compact in-memory record per listing,
//! rebuilt after writes) filters, counts and orders them in one pass (`engine`); only the page's hits
//! are read back from SQLite in full.

mod engine;
mod facets;
mod page_token;
mod query;
pub mod text;

pub use query::{
    AccessCertainty, Near, SearchFilters, SearchHit, SearchPage, SearchQuery, SortOrder,
    DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, MAX_RADIUS_KM,
};

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::Store;

pub(crate) use facets::Facets;

impl Store {
    /// Searches the listings on this device. Closed, draft and expired listings are left out unless
    /// `filters.include_closed` is set.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        self.search_at(query, Utc::now())
    }

    /// [`Store::search`] as of `now` (what "expired" and "posted within N days" are measured from).
    pub fn search_at(&self, query: &SearchQuery, now: DateTime<Utc>) -> Result<SearchPage> {
        engine::check(query)?;
        let facets = self.facets()?;
        self.read(|conn| engine::run(conn, &facets, query, now))
    }
}

impl Store {
    /// The facets of the current data, rebuilt if anything was written since they were built.
    fn facets(&self) -> Result<Arc<Facets>> {
        let mut cached = self.lock_facets()?;
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(facets) = cached.as_ref().filter(|f| f.generation == generation) {
            return Ok(facets.clone());
        }
        // Built under the lock, so concurrent searches after a write wait for one rebuild.
        let facets = Arc::new(self.read(|conn| Facets::load(conn, generation))?);
        *cached = Some(facets.clone());
        Ok(facets)
    }
}

#[cfg(test)]
mod tests;

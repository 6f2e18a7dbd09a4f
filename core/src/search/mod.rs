//! Offline job search: full text in three languages and two scripts, combinable filters, four sorts,
//! and keyset pagination with a total count.
//!
//! Text goes through [`text::fold`] both when indexed and when queried, so "bishkek", "Бишкек" and
//! "БИШКЕК" meet, and a query typed without Kyrgyz letters (о, у, н) finds words written with them
//! (ө, ү, ң). User text reaches FTS5 only as quoted prefix terms ([`text::match_expression`]).

mod page_token;
mod query;
mod sql;
pub mod text;

pub use query::{
    AccessCertainty, Near, SearchFilters, SearchHit, SearchPage, SearchQuery, SortOrder,
    DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, MAX_RADIUS_KM,
};

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::Store;

impl Store {
    /// Searches the listings on this device. Closed, draft and expired listings are left out unless
    /// `filters.include_closed` is set.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        self.search_at(query, Utc::now())
    }

    /// [`Store::search`] as of `now` (what "expired" and "posted within N days" are measured from).
    pub fn search_at(&self, query: &SearchQuery, now: DateTime<Utc>) -> Result<SearchPage> {
        sql::check(query)?;
        self.read(|conn| sql::run(conn, query, now))
    }
}

#[cfg(test)]
mod tests;

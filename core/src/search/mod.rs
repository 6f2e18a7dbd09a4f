//! Offline job search.

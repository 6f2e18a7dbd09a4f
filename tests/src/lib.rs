//! Shared helpers for the end-to-end tests.
//!
//! - [`server::TestServer`]: a real teng-server (own tokio runtime, SQLite file in a temp dir) that
//!   blocking tests start, fill, change through its HTTP API, stop and restart on the same address.
//! - [`fault_proxy::FaultProxy`]: an HTTP/1.1 proxy between a sync client and the server that drops,
//!   cuts, delays, replays or answers requests itself, as a test scripts it, and counts wire bytes.

pub mod fault_proxy;
pub mod server;

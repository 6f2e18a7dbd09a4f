//! What the Open311 GeoReport v2 endpoints (`crate::open311`, docs/open311.md) ask of storage:
//! external systems' API keys, and the service requests a report stands for.
//!
//! A report is one service request per problem it speaks of (`crate::open311::services` decides
//! which, from its facts and note); storage keeps one row per (report, service code) so that the
//! GET requests filters (window, status, service) run on indexes and stop at the limit.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{IssueStatus, ReportRecord};

/// An external system's API key. The key itself is shown once, when issued; only its SHA-256
/// is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: Uuid,
    /// The system's name, e.g. "fixmystreet-bishkek"; one live key per name.
    pub name: String,
    /// When set, the key reports about buildings in this city only.
    pub city: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Statuses Open311 calls `closed`; every other status is `open`. The migration's trigger
/// (006_open311.sql) names the same codes.
pub const CLOSED_STATUSES: [IssueStatus; 2] = [IssueStatus::Resolved, IssueStatus::NotResponsible];

/// Whether a report in `status` is a `closed` service request.
pub fn is_closed(status: IssueStatus) -> bool {
    CLOSED_STATUSES.contains(&status)
}

/// One service request asked for by id: a report, and one of its services (`None`: all of them,
/// as a token asks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    pub report_id: Uuid,
    pub service_code: Option<String>,
}

/// GET requests: either `keys` (which overrides every other filter, as the spec says) or a
/// window of received times with optional status and service filters, newest first.
#[derive(Debug, Clone)]
pub struct RequestQuery {
    pub keys: Option<Vec<RequestKey>>,
    /// Any of these service codes (empty: any).
    pub services: Vec<String>,
    /// Received at or after.
    pub from: DateTime<Utc>,
    /// Received at or before.
    pub until: DateTime<Utc>,
    /// `Some(true)`: closed only; `Some(false)`: open only.
    pub closed: Option<bool>,
    pub limit: usize,
}

/// One service request: the report it comes from, which of its problems, and the city's latest
/// note (never the reporter's words on a reopen).
#[derive(Debug, Clone)]
pub struct RequestRow {
    pub service_code: String,
    pub record: ReportRecord,
    pub city_note: Option<String>,
    /// The building's street (the address line).
    pub street: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_is_exactly_what_the_city_inbox_calls_not_open() {
        for s in IssueStatus::ALL {
            assert_eq!(is_closed(*s), !s.is_open(), "{s:?}");
        }
        let sql = include_str!("sqlite/migrations/006_open311.sql");
        assert!(sql.contains("NEW.status IN ('resolved', 'not_responsible')"));
    }
}

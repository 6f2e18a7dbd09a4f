//! Times are stored as integer milliseconds since the epoch: compact, sortable, and exact for
//! everything Teng records (sub-millisecond precision is dropped on the way in).

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

pub(crate) fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| Error::BadStoredValue(format!("time out of range: {ms} ms")))
}

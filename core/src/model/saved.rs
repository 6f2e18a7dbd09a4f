use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A job the user keeps on their own list. It outlives the listing: a closed job stays saved so the
/// user can see it is gone instead of wondering where it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedJob {
    pub listing_id: Uuid,
    pub note: Option<String>,
    pub saved_at: DateTime<Utc>,
}

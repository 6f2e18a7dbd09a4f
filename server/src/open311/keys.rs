//! External systems' API keys: 256 random bits shown once when issued (`teng-server admin
//! issue-api-key`), stored as SHA-256 exactly like bearer tokens (`auth::new_token`,
//! `auth::token_hash`), revocable by name, and each key's POSTs rate limited.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use teng_core::model::validation::{limits, optional_text, required_text};

use super::format::Open311Error;
use crate::auth::{new_token, token_hash};
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::open311::ApiKey;
use crate::storage::Storage;

/// Issues a key for the system `name` (one live key per name), optionally bound to a city.
/// Returns the key, to be shown once, and its record.
pub fn issue(
    storage: &dyn Storage,
    name: &str,
    city: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, ApiKey), ApiError> {
    let name = name.trim();
    required_text("name", name, limits::NAME)?;
    let city = city.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = city {
        optional_text("city", c, limits::CITY)?;
    }
    let (key, hash) = new_token()?;
    let record = ApiKey {
        id: Uuid::now_v7(),
        name: name.to_string(),
        city: city.map(str::to_string),
        created_at: now,
        revoked_at: None,
    };
    storage.create_api_key(&record, &hash)?;
    Ok((key, record))
}

/// Revokes the live key(s) of `name`; how many.
pub fn revoke(storage: &dyn Storage, name: &str, now: DateTime<Utc>) -> Result<u64, ApiError> {
    Ok(storage.revoke_api_keys(name.trim(), now)?)
}

/// The live key `given`, and one POST taken from its rate limit: 403 in the spec's format when
/// missing, unknown or revoked; 429 when the key's limit is reached.
pub async fn check(state: &AppState, given: Option<&str>) -> Result<ApiKey, Open311Error> {
    let given = given
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            Open311Error::forbidden(
                "api_key: missing; a POST needs the API key this server's administrators issued",
            )
        })?;
    if given.len() > 128 {
        return Err(Open311Error::forbidden("api_key: not a valid key"));
    }
    let hash = token_hash(given);
    let key = state
        .db(move |s| s.api_key(&hash))
        .await?
        .ok_or_else(|| Open311Error::forbidden("api_key: not a valid key"))?;
    if key.revoked_at.is_some() {
        return Err(Open311Error::forbidden(
            "api_key: this key was revoked; ask for a new one",
        ));
    }
    if !state
        .open311_posts
        .allow(&format!("open311-key:{}", key.id))
    {
        return Err(Open311Error::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            format!(
                "api_key: this key's limit of {} requests an hour is reached; try again later",
                state.config.open311.posts_per_hour
            ),
        ));
    }
    Ok(key)
}

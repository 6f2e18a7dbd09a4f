//! Checking a username and password, for the API's `POST /v1/auth/login` and the web's login form
//! alike, with the limits that keep argon2 from being turned against the server:
//!
//! - attempts per client address (`logins_per_minute`) and per account name
//!   (`login_attempts_per_account` per 15 minutes, default 10, so guessing one account's password
//!   from many addresses is slow too);
//! - at most [`MAX_CONCURRENT_CHECKS`] argon2 checks at once (each takes ~20 MB and a core for tens
//!   of milliseconds); an attempt waits up to [`QUEUE_WAIT`] for a slot, then is told to retry.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::auth;
use crate::error::ApiError;
use crate::ratelimit::RateLimiter;
use crate::state::AppState;
use crate::storage::User;

pub const MAX_CONCURRENT_CHECKS: usize = 4;
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Attempts per account name, from anywhere, by default.
pub const PER_ACCOUNT: u32 = 10;
pub const PER_ACCOUNT_PERIOD: Duration = Duration::from_secs(15 * 60);

/// The state the checks share: one per server process.
pub struct LoginGuard {
    pub per_address: RateLimiter,
    pub per_account: RateLimiter,
    slots: Semaphore,
}

impl LoginGuard {
    pub fn new(per_address_per_minute: u32, per_account: u32) -> Self {
        LoginGuard {
            per_address: RateLimiter::per_minute(per_address_per_minute),
            per_account: RateLimiter::new(per_account, PER_ACCOUNT_PERIOD),
            slots: Semaphore::new(MAX_CONCURRENT_CHECKS),
        }
    }
}

#[derive(Debug)]
pub enum LoginError {
    /// Too many attempts from this address or for this account.
    Throttled,
    /// Every argon2 slot stayed busy for [`QUEUE_WAIT`].
    Busy,
    Failed(ApiError),
}

/// The user if the password is right, `None` if not (unknown names cost the same time as known
/// ones, so timing does not tell which exist).
pub async fn verify(
    state: &Arc<AppState>,
    client: &str,
    username: &str,
    password: String,
) -> Result<Option<User>, LoginError> {
    let username = username.trim().to_string();
    if !state.login.per_address.allow(client) {
        return Err(LoginError::Throttled);
    }
    if username.chars().count() > 64 || password.chars().count() > auth::MAX_PASSWORD {
        return Ok(None);
    }
    // Keyed as the database compares names (ASCII without case): every spelling that reaches an
    // account counts against it. A name no account can have is not looked up at all.
    if !state
        .login
        .per_account
        .allow(&username.to_ascii_lowercase())
    {
        return Err(LoginError::Throttled);
    }
    let username = auth::username_chars(&username).then_some(username);
    let _slot = tokio::time::timeout(QUEUE_WAIT, state.login.slots.acquire())
        .await
        .map_err(|_| LoginError::Busy)?
        .map_err(|e| LoginError::Failed(ApiError::internal(format!("login slots: {e}"))))?;
    let cost = state.config.password_cost;
    let s = Arc::clone(state);
    tokio::task::spawn_blocking(move || -> Result<Option<User>, ApiError> {
        let user = match &username {
            Some(name) => s.storage.user_by_name(name)?,
            None => None,
        };
        match user {
            Some(u) if auth::verify_password(&password, &u.password_hash) => Ok(Some(u.user)),
            Some(_) => Ok(None),
            None => {
                let _ = auth::hash_password(&password, cost);
                Ok(None)
            }
        }
    })
    .await
    .map_err(|e| LoginError::Failed(ApiError::internal(format!("login task: {e}"))))?
    .map_err(LoginError::Failed)
}

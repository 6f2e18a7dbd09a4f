//! Login, logout, device registration and user management (admin).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::{self, AdminUser, Auth, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::login::{self, LoginError};
use crate::state::AppState;
use crate::storage::{Principal, TokenOwner, User};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/devices", post(register_device))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{username}/password", post(reset_password))
        .route("/users/{username}/revoke-tokens", post(revoke_tokens))
}

pub use crate::client_ip::ClientIp;

#[derive(Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

#[derive(Serialize)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
}

/// Issues a token for a user (used by login and the admin CLI).
pub fn issue_user_token(
    state: &AppState,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<(String, DateTime<Utc>)> {
    let (token, hash) = auth::new_token()?;
    let expires = now + Duration::days(state.config.user_token_days);
    state
        .storage
        .insert_token(&hash, TokenOwner::User(user_id), now, expires)?;
    Ok((token, expires))
}

async fn login(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<TokenResponse>> {
    let user = match login::verify(&state, &ip, &body.username, body.password).await {
        Ok(user) => user,
        Err(LoginError::Throttled) => {
            return Err(ApiError::too_many(
                "too many login attempts; wait a few minutes",
            ))
        }
        Err(LoginError::Busy) => {
            return Err(ApiError::unavailable(
                "too many logins at once; retry in a moment",
            ))
        }
        Err(LoginError::Failed(e)) => return Err(e),
    };
    let user = user.ok_or_else(|| ApiError::unauthorized("wrong username or password"))?;
    let now = state.now();
    let s = Arc::clone(&state);
    let id = user.id;
    let (token, expires_at) = tokio::task::spawn_blocking(move || issue_user_token(&s, id, now))
        .await
        .map_err(|e| ApiError::internal(format!("token task: {e}")))??;
    Ok(Json(TokenResponse {
        token,
        expires_at,
        user: Some(user),
        device_id: None,
    }))
}

async fn logout(State(state): State<Arc<AppState>>, auth: Auth) -> ApiResult<StatusCode> {
    let now = state.now();
    let hash = auth.token_hash;
    state.db(move |s| s.revoke_token(&hash, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(auth: Auth) -> Json<Value> {
    Json(match auth.principal {
        Principal::User(u) => json!({ "kind": "user", "user": u }),
        Principal::Device(d) => json!({ "kind": "device", "device_id": d }),
    })
}

async fn register_device(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    if !state.device_registrations.allow(&ip) {
        return Err(ApiError::too_many(
            "too many device registrations from this address; wait a minute",
        ));
    }
    let now = state.now();
    let device = Uuid::new_v4();
    let (token, hash) = auth::new_token()?;
    let expires_at = now + Duration::days(state.config.device_token_days);
    state
        .db(move |s| {
            s.create_device(device, now)?;
            s.insert_token(&hash, TokenOwner::Device(device), now, expires_at)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            token,
            expires_at,
            user: None,
            device_id: Some(device),
        }),
    ))
}

#[derive(Deserialize)]
pub struct NewUserBody {
    pub username: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub organization_id: Option<Uuid>,
    #[serde(default)]
    pub city: Option<String>,
}

/// Checks a new account's fields and builds the user (password hashed by the caller).
pub fn new_user(body: &NewUserBody, now: DateTime<Utc>) -> ApiResult<User> {
    let name = &body.username;
    let ok = (3..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if !ok {
        return Err(ApiError::unprocessable(
            "username",
            "username must be 3 to 64 characters: letters, digits, . _ - @",
        ));
    }
    auth::validate_password(&body.password)?;
    let (org, city) = match body.role {
        Role::Admin => (None, None),
        Role::Ngo => (
            Some(body.organization_id.ok_or_else(|| {
                ApiError::unprocessable("organization_id", "an ngo user needs an organization_id")
            })?),
            None,
        ),
        Role::City => {
            let city = body.city.clone().unwrap_or_default();
            teng_core::model::validation::required_text(
                "city",
                &city,
                teng_core::model::validation::limits::CITY,
            )?;
            (None, Some(city))
        }
    };
    Ok(User {
        id: Uuid::new_v4(),
        username: name.clone(),
        role: body.role,
        organization_id: org,
        city,
        created_at: now,
    })
}

async fn create_user(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
    ApiJson(body): ApiJson<NewUserBody>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = new_user(&body, state.now())?;
    let cost = state.config.password_cost;
    let out = user.clone();
    state
        .db(move |s| {
            let hash = auth::hash_password(&body.password, cost)
                .map_err(|e| crate::storage::StorageError::Internal(e.message))?;
            s.create_user(&user, &hash)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

async fn list_users(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
) -> ApiResult<Json<Value>> {
    let users = state.db(|s| s.list_users()).await?;
    Ok(Json(json!({ "users": users })))
}

#[derive(Deserialize)]
struct PasswordBody {
    password: String,
}

async fn reset_password(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
    ApiPath(username): ApiPath<String>,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    auth::validate_password(&body.password)?;
    let cost = state.config.password_cost;
    let now = state.now();
    state
        .db(move |s| {
            let user = s
                .user_by_name(&username)?
                .ok_or(crate::storage::StorageError::NotFound("user"))?;
            let hash = auth::hash_password(&body.password, cost)
                .map_err(|e| crate::storage::StorageError::Internal(e.message))?;
            s.set_password(user.user.id, &hash)?;
            s.revoke_user_tokens(user.user.id, now)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn revoke_tokens(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let now = state.now();
    let revoked = state
        .db(move |s| {
            let user = s
                .user_by_name(&username)?
                .ok_or(crate::storage::StorageError::NotFound("user"))?;
            s.revoke_user_tokens(user.user.id, now)
        })
        .await?;
    Ok(Json(json!({ "revoked": revoked })))
}

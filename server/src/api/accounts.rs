//! Login, logout, device registration and user management (admin).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::api::openapi::mirror;
use crate::auth::{self, AdminUser, Auth, Role};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::login::{self, LoginError};
use crate::state::AppState;
use crate::storage::{Principal, TokenOwner, User};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(register_device))
        .routes(routes!(list_users, create_user))
        .routes(routes!(reset_password))
        .routes(routes!(revoke_tokens))
}

pub use crate::client_ip::ClientIp;

#[derive(Deserialize, ToSchema)]
#[schema(as = Login)]
struct LoginBody {
    username: String,
    password: String,
}

/// A bearer token: a user's (login) or a device's (registration).
#[derive(Serialize, ToSchema)]
#[schema(as = Token)]
pub struct TokenResponse {
    /// 64 hex characters; send as `Authorization: Bearer <token>`.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// With a login: who logged in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<mirror::User>)]
    pub user: Option<User>,
    /// With a device registration: the new device's id.
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

/// Log in with username and password; returns a bearer token.
///
/// Rate limited per address and per account; at most a few password checks run at once.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    operation_id = "login",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 429, description = "Too many login attempts from this address or for this account", body = ErrorBody),
        (status = 503, description = "Too many logins at once, or the database is busy", body = ErrorBody),
    )
)]
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

/// Revoke the token this request is made with.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "accounts",
    operation_id = "logout",
    security(("bearer" = [])),
    responses((status = 204, description = "The token is revoked"))
)]
async fn logout(State(state): State<Arc<AppState>>, auth: Auth) -> ApiResult<StatusCode> {
    let now = state.now();
    let hash = auth.token_hash;
    state.db(move |s| s.revoke_token(&hash, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who a token belongs to.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[schema(as = Me)]
enum MeResponse {
    User {
        #[schema(value_type = mirror::User)]
        user: User,
    },
    Device {
        device_id: Uuid,
    },
}

/// Who the token belongs to: a user or a device.
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "accounts",
    operation_id = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The token's owner", body = MeResponse))
)]
async fn me(auth: Auth) -> Json<MeResponse> {
    Json(match auth.principal {
        Principal::User(user) => MeResponse::User { user },
        Principal::Device(device_id) => MeResponse::Device { device_id },
    })
}

/// Register a device (a job seeker's install); returns its token.
#[utoipa::path(
    post,
    path = "/devices",
    tag = "accounts",
    operation_id = "register_device",
    responses(
        (status = 201, description = "Registered", body = TokenResponse),
        (status = 429, description = "Too many registrations from this address", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
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

/// A new account. An ngo user needs `organization_id`, a city office `city`.
#[derive(Deserialize, ToSchema)]
#[schema(as = NewUser)]
pub struct NewUserBody {
    /// Letters, digits, `.`, `_`, `-`, `@`.
    #[schema(min_length = 3, max_length = 64, pattern = "^[A-Za-z0-9._@-]{3,64}$")]
    pub username: String,
    /// At least 12 characters, not a common password nor the username.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub organization_id: Option<Uuid>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub city: Option<String>,
}

/// Checks a new account's fields and builds the user (password hashed by the caller).
pub fn new_user(body: &NewUserBody, now: DateTime<Utc>) -> ApiResult<User> {
    let name = &body.username;
    if !auth::valid_username(name) {
        return Err(ApiError::unprocessable(
            "username",
            "username must be 3 to 64 characters: letters, digits, . _ - @",
        ));
    }
    auth::validate_password(&body.password, name)?;
    // Checked whatever the role, so a body the schema refuses is refused (an admin's city is
    // then dropped below).
    if let Some(city) = &body.city {
        teng_core::model::validation::optional_text(
            "city",
            city,
            teng_core::model::validation::limits::CITY,
        )?;
    }
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

/// Create a user with a role.
#[utoipa::path(
    post,
    path = "/users",
    tag = "accounts",
    operation_id = "create_user",
    security(("bearer" = [])),
    request_body = NewUserBody,
    responses(
        (status = 201, description = "Created", body = mirror::User),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
    )
)]
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

#[derive(Serialize, ToSchema)]
struct UserList {
    #[schema(value_type = Vec<mirror::User>)]
    users: Vec<User>,
}

/// List users.
#[utoipa::path(
    get,
    path = "/users",
    tag = "accounts",
    operation_id = "list_users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every user", body = UserList),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
async fn list_users(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
) -> ApiResult<Json<UserList>> {
    let users = state.db(|s| s.list_users()).await?;
    Ok(Json(UserList { users }))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = Password)]
struct PasswordBody {
    /// At least 12 characters, not a common password nor the username.
    #[schema(min_length = 12, max_length = 256)]
    password: String,
}

/// Set a user's new password and revoke their tokens.
#[utoipa::path(
    post,
    path = "/users/{username}/password",
    tag = "accounts",
    operation_id = "reset_password",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "The user's username")),
    request_body = PasswordBody,
    responses(
        (status = 204, description = "The password is set and the user's tokens revoked"),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
async fn reset_password(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
    ApiPath(username): ApiPath<String>,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    auth::validate_password(&body.password, &username)?;
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

#[derive(Serialize, ToSchema)]
struct Revoked {
    /// How many tokens were revoked.
    revoked: u64,
}

/// Revoke every token of a user.
#[utoipa::path(
    post,
    path = "/users/{username}/revoke-tokens",
    tag = "accounts",
    operation_id = "revoke_tokens",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "The user's username")),
    responses(
        (status = 200, description = "Revoked", body = Revoked),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
async fn revoke_tokens(
    State(state): State<Arc<AppState>>,
    AdminUser(_): AdminUser,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Json<Revoked>> {
    let now = state.now();
    let revoked = state
        .db(move |s| {
            let user = s
                .user_by_name(&username)?
                .ok_or(crate::storage::StorageError::NotFound("user"))?;
            s.revoke_user_tokens(user.user.id, now)
        })
        .await?;
    Ok(Json(Revoked { revoked }))
}

//! Passwords (argon2id), bearer tokens (32 random bytes, stored as SHA-256) and the role extractors.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::{Principal, User};

teng_core::coded_enum! {
    pub enum Role as "role" {
        Admin => "admin",
        Ngo => "ngo",
        City => "city",
    }
}

/// How expensive password hashes are. `Low` exists for tests only (it is still argon2id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordCost {
    #[default]
    Standard,
    Low,
}

/// Whether a new account may have the name `name`: 3 to 64 of [`username_chars`].
pub fn valid_username(name: &str) -> bool {
    (3..=64).contains(&name.len()) && username_chars(name)
}

/// Whether `name` is made of the characters usernames have: ASCII letters, digits and `. _ - @`.
/// ASCII, so that every backend compares names alike (SQLite's NOCASE folds ASCII only;
/// PostgreSQL's ICU collation would also match full-width letters or a soft hyphen to a name).
pub fn username_chars(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
}

/// NIST SP 800-63B asks for at least 8 and recommends 15; 12 is the common ground for staff
/// accounts that can publish listings and answer a city's reports.
pub const MIN_PASSWORD: usize = 12;
pub const MAX_PASSWORD: usize = 256;

fn argon2(cost: PasswordCost) -> Argon2<'static> {
    let params = match cost {
        // OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
        PasswordCost::Standard => Params::new(19 * 1024, 2, 1, None),
        PasswordCost::Low => Params::new(8, 1, 1, None),
    }
    .unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| ApiError::internal(format!("the system random source failed: {e}")))?;
    Ok(bytes)
}

pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| ApiError::internal(format!("salt: {e}")))?;
    argon2(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("password hashing: {e}")))
}

/// Parameters come from the stored hash, so hashes of any cost verify.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Why a password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Shorter than [`MIN_PASSWORD`] or longer than [`MAX_PASSWORD`] characters.
    Length,
    /// Long enough but among the first guesses of anyone who tries: the username in it, one
    /// character or a keyboard run repeated, or a password from the lists that leaked sites left.
    Guessable,
}

/// Passwords of 12+ characters that lists of leaked passwords show at the top (folded to lower
/// case; compared after removing spaces). A short list, not a breach database: it stops the first
/// guesses an attacker tries, and the length rule does the rest.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123123123123",
    "qwertyuiop12",
    "qwertyuiopasdf",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "password1234",
    "password12345",
    "passwordpassword",
    "iloveyou1234",
    "abcdefghijkl",
    "abc123abc123",
    "adminadmin123",
    "administrator",
    "welcome12345",
    "letmein12345",
    "qazwsxedcrfv",
    "asdfghjkl123",
    "zxcvbnm12345",
    "parol1234567",
    "parolparol12",
    "йцукенгшщзхъ",
    "пароль123456",
    "пароль12345678",
    "qwertyqwerty",
    "111111111111",
    "000000000000",
];

/// The problem with `password` for the account `username`, if any.
pub fn password_problem(password: &str, username: &str) -> Option<PasswordProblem> {
    let len = password.chars().count();
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&len) {
        return Some(PasswordProblem::Length);
    }
    let folded: String = password
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let user = username.trim().to_lowercase();
    let distinct = {
        let mut chars: Vec<char> = folded.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    let guessable = distinct <= 3
        || (user.chars().count() >= 3 && folded.contains(&user))
        || COMMON_PASSWORDS.contains(&folded.as_str());
    guessable.then_some(PasswordProblem::Guessable)
}

/// [`password_problem`] as the API's 422 naming `password`.
pub fn validate_password(password: &str, username: &str) -> Result<(), ApiError> {
    match password_problem(password, username) {
        None => Ok(()),
        Some(PasswordProblem::Length) => Err(ApiError::unprocessable(
            "password",
            format!("password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters"),
        )),
        Some(PasswordProblem::Guessable) => Err(ApiError::unprocessable(
            "password",
            "password is too easy to guess (it contains the username, repeats a few characters, \
             or is a well-known password); a phrase of several words is best",
        )),
    }
}

/// A new bearer token: 256 random bits, hex; only its SHA-256 is stored.
pub fn new_token() -> Result<(String, [u8; 32]), ApiError> {
    let bytes = random_bytes::<32>()?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A random password for demo and admin-created accounts (hex, 96 bits).
pub fn random_password() -> Result<String, ApiError> {
    Ok(random_bytes::<12>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The caller, authenticated by a valid bearer token. Missing or bad token: 401.
#[derive(Debug, Clone)]
pub struct Auth {
    pub principal: Principal,
    pub token_hash: [u8; 32],
}

impl Auth {
    pub fn user(&self) -> Option<&User> {
        match &self.principal {
            Principal::User(u) => Some(u),
            Principal::Device(_) => None,
        }
    }

    pub fn device(&self) -> Option<Uuid> {
        match self.principal {
            Principal::Device(d) => Some(d),
            Principal::User(_) => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.user().map(|u| u.role)
    }

    /// The user, if their role is one of `roles`; 403 otherwise.
    pub fn require(&self, roles: &[Role]) -> Result<&User, ApiError> {
        match self.user() {
            Some(u) if roles.contains(&u.role) => Ok(u),
            _ => Err(ApiError::forbidden(format!(
                "this needs one of the roles: {}",
                roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<Auth>, ApiError> {
    let Some(token) = bearer(parts) else {
        if parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            return Err(ApiError::unauthorized(
                "the Authorization header must be \"Bearer <token>\"",
            ));
        }
        return Ok(None);
    };
    if token.is_empty() || token.len() > 128 {
        return Err(ApiError::unauthorized("the token is not valid"));
    }
    let hash = token_hash(token);
    let now = state.now();
    let principal = state.db(move |s| s.principal_for_token(&hash, now)).await?;
    match principal {
        Some(principal) => Ok(Some(Auth {
            principal,
            token_hash: hash,
        })),
        None => Err(ApiError::unauthorized(
            "the token is unknown, expired or revoked; log in again",
        )),
    }
}

impl FromRequestParts<Arc<AppState>> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state)
            .await?
            .ok_or_else(|| ApiError::unauthorized("this needs a bearer token"))
    }
}

/// The caller if a token was sent (a bad token is still 401), or nobody.
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<Arc<AppState>> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuth(authenticate(parts, state).await?))
    }
}

/// Extractors that admit one kind of caller: 401 without a token, 403 with the wrong one.
macro_rules! role_extractor {
    ($(#[$meta:meta])* $name:ident, [$($role:expr),+]) => {
        $(#[$meta])*
        pub struct $name(pub User);

        impl FromRequestParts<Arc<AppState>> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &Arc<AppState>,
            ) -> Result<Self, Self::Rejection> {
                let auth = Auth::from_request_parts(parts, state).await?;
                auth.require(&[$($role),+]).cloned().map($name)
            }
        }
    };
}

role_extractor!(
    /// An administrator.
    AdminUser, [Role::Admin]);
role_extractor!(
    /// An NGO member or an administrator (who acts for any organization).
    Editor, [Role::Ngo, Role::Admin]);
role_extractor!(
    /// A city office or an administrator.
    CityOffice, [Role::City, Role::Admin]);

/// A registered device (job seeker's install).
pub struct DeviceAuth(pub Uuid);

impl FromRequestParts<Arc<AppState>> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        auth.device()
            .map(DeviceAuth)
            .ok_or_else(|| ApiError::forbidden("this needs a device token (POST /v1/devices)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trips_and_wrong_one_fails() {
        let h = hash_password("correct horse", PasswordCost::Low).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn passwords_need_12_characters_and_must_not_be_first_guesses() {
        use PasswordProblem::*;
        assert_eq!(password_problem("short pass1", "aida"), Some(Length));
        assert_eq!(password_problem(&"x".repeat(257), "aida"), Some(Length));
        assert_eq!(password_problem("Password1234", "aida"), Some(Guessable));
        assert_eq!(password_problem("пароль 123456", "aida"), Some(Guessable));
        assert_eq!(password_problem("aaaaaaaaaaaaaaa", "aida"), Some(Guessable));
        assert_eq!(password_problem("abababababab", "aida"), Some(Guessable));
        assert_eq!(
            password_problem("my name is AIDA ok", "aida"),
            Some(Guessable)
        );
        assert_eq!(password_problem("correct horse battery", "aida"), None);
        assert_eq!(password_problem("Ысык-Көл жайында", "aida"), None);
        // A random password as `admin reset-password` makes one passes.
        assert_eq!(password_problem(&random_password().unwrap(), "aida"), None);
        assert!(validate_password("short", "aida").is_err());
    }

    #[test]
    fn tokens_are_256_bits_and_distinct() {
        let (a, ha) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), ha);
    }
}

//! The one error type of the API and its one JSON shape: `{ "error": { "code", "message", "field"? } }`
//! (a 409 also carries `"current"`, the stored record).

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use teng_core::model::ValidationError;

use crate::storage::StorageError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub current: Option<Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            current: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message).with_field(field)
    }

    pub fn unprocessable(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).with_field(field)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    pub fn too_many(message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// A server-side fault. Logged in full; the client gets a generic message.
    pub fn internal(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; the error is logged",
        )
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::unprocessable(e.field(), e.to_string())
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(what) => ApiError::not_found(what),
            StorageError::Conflict { message, current } => ApiError {
                current: Some(current),
                ..ApiError::new(StatusCode::CONFLICT, "conflict", message)
            },
            StorageError::Duplicate(m) => ApiError::new(StatusCode::CONFLICT, "duplicate", m),
            StorageError::Limited(m) => ApiError::too_many(m),
            StorageError::InvalidState { field, message } => ApiError {
                field: Some(field.to_string()),
                ..ApiError::new(StatusCode::CONFLICT, "invalid_state", message)
            },
            StorageError::Forbidden(m) => ApiError::forbidden(m),
            StorageError::Invalid(v) => v.into(),
            e @ StorageError::Resync { .. } => {
                ApiError::new(StatusCode::GONE, "resync_required", e.to_string())
            }
            StorageError::Busy => ApiError::unavailable("the database is busy; retry in a moment"),
            StorageError::Internal(detail) => ApiError::internal(detail),
        }
    }
}

/// Every error answer of the API, as sent (`IntoResponse` below serializes exactly this type, and
/// its OpenAPI schema is derived from it).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// With `409 conflict`: the stored record to merge with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// What went wrong, for programs: `bad_request`, `invalid`, `conflict`, `forbidden`,
    /// `unauthorized`, `not_found`, `rate_limited`, `resync_required`, ...
    pub code: &'static str,
    /// What went wrong, for people (English).
    pub message: String,
    /// The request field at fault, dotted for nested fields (e.g. `address.city`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
            current: self.current,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE
            || self.status == StatusCode::TOO_MANY_REQUESTS
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            _ => "malformed_json",
        };
        let message = match &r {
            JsonRejection::JsonDataError(e) => {
                // serde's message names the path, e.g. "category: unknown job category code ..."
                let text = e.body_text();
                text.strip_prefix("Failed to deserialize the JSON body into the target type: ")
                    .unwrap_or(&text)
                    .to_string()
            }
            _ => r.body_text(),
        };
        let field = matches!(r, JsonRejection::JsonDataError(_))
            .then(|| field_of(&message))
            .flatten();
        ApiError {
            field,
            ..ApiError::new(status, code, message)
        }
    }
}

/// The body field a serde message is about: its path prefix (`address.city: invalid type ...`,
/// `apply_via[0].channel: unknown ...`), or the field a message says is missing
/// (``missing field `title` ``, nested: `address: missing field `city``).
fn field_of(message: &str) -> Option<String> {
    let (path, rest) = match message.split_once(": ") {
        Some((p, rest)) if !p.is_empty() && !p.contains(char::is_whitespace) => (Some(p), rest),
        _ => (None, message),
    };
    let missing = rest
        .strip_prefix("missing field `")
        .and_then(|m| m.split_once('`'))
        .map(|(name, _)| name);
    match (path, missing) {
        (Some(p), Some(m)) => Some(format!("{p}.{m}")),
        (Some(p), None) => Some(p.to_string()),
        (None, Some(m)) => Some(m.to_string()),
        (None, None) => None,
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_query", r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_path", r.body_text())
    }
}

/// `Json` whose rejections use the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `Query` whose rejections use the API's error shape.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path` whose rejections use the API's error shape.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn serde_messages_name_their_field() {
        let cases = [
            (
                "category: unknown job category code \"x\"; expected one of: a at line 1 column 9",
                Some("category"),
            ),
            (
                "address.city: invalid type: integer `5`, expected a string at line 1 column 30",
                Some("address.city"),
            ),
            (
                "apply_via[0].channel: unknown apply channel code",
                Some("apply_via[0].channel"),
            ),
            ("missing field `title` at line 1 column 2", Some("title")),
            (
                "address: missing field `city` at line 1 column 40",
                Some("address.city"),
            ),
            (
                "invalid type: integer `1`, expected struct ListingBody at line 1 column 1",
                None,
            ),
        ];
        for (message, field) in cases {
            assert_eq!(field_of(message).as_deref(), field, "{message}");
        }
    }
}

//! Reading HTML forms: every field arrives as text and is parsed here, so a wrong value becomes a
//! message next to its field (never a bare 400 or 422), and what the user typed is shown again.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum_extra::extract::cookie::CookieJar;
use serde::de::DeserializeOwned;
use teng_core::accessibility::Lang;
use teng_core::model::ValidationError;

use super::error::WebError;
use super::i18n::{self, validation_message};

/// A submitted form (`application/x-www-form-urlencoded`; repeated names such as checkbox groups
/// become `Vec<String>`). A body over the server's limit is a "too large" page, anything unreadable
/// a "bad request" page, both in the reader's language.
pub struct WebForm<T>(pub T);

impl<T, S> FromRequest<S> for WebForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = request_lang(req.headers());
        match axum_extra::extract::Form::<T>::from_request(req, state).await {
            Ok(axum_extra::extract::Form(value)) => Ok(WebForm(value)),
            Err(rejection) => {
                let status = axum::response::IntoResponse::into_response(rejection).status();
                Err(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    WebError::TooLarge(lang)
                } else {
                    WebError::BadRequest(lang, status.canonical_reason().unwrap_or("").into())
                })
            }
        }
    }
}

/// The language of a request, from its headers alone (for rejections, before `Ctx` exists).
pub fn request_lang(headers: &axum::http::HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    i18n::negotiate(jar.get(i18n::LANG_COOKIE).map(|c| c.value()), headers)
}

/// One field's message; `id` is the input's id (the summary links to `#id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub id: String,
    pub message: String,
}

/// The messages of one submission, in the order of the form's fields.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    errors: Vec<FieldError>,
}

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message for a field (a second message for the same field is ignored: one at a time).
    pub fn add(&mut self, id: impl Into<String>, message: impl Into<String>) {
        let id = id.into();
        if self.get(&id).is_none() {
            self.errors.push(FieldError {
                id,
                message: message.into(),
            });
        }
    }

    /// A core validation error, worded in `lang`; `field` maps the core's field name (e.g.
    /// `salary`, `apply_via.value`) to the form's input id and label.
    pub fn add_validation(
        &mut self,
        lang: Lang,
        error: &ValidationError,
        field: impl Fn(&str) -> (String, String),
    ) {
        let (id, label) = field(error.field());
        self.add(id, validation_message(lang, error, &label));
    }

    pub fn get(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.message.as_str())
    }

    /// `aria-describedby` value for an input: its error's id when it has one.
    pub fn described_by(&self, id: &str) -> String {
        if self.get(id).is_some() {
            format!("{id}-error")
        } else {
            String::new()
        }
    }

    pub fn has(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.errors
    }

    pub fn into_result(self) -> Result<(), FormErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// Text from a form field: trimmed; `None` when blank.
pub fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// A number field that is not a number (the caller words the message for its field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A whole number from a form field (spaces as thousands separators allowed: "25 000").
pub fn parse_u64(value: &str) -> Result<Option<u64>, NotANumber> {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned.parse::<u64>().map(Some).map_err(|_| NotANumber)
}

/// A decimal number (comma or point): "42,87" or "42.87".
pub fn parse_f64(value: &str) -> Result<Option<f64>, NotANumber> {
    let cleaned = value.trim().replace(',', ".");
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_message_per_field_in_order() {
        let mut e = FormErrors::new();
        e.add("title", "first");
        e.add("salary-min", "second");
        e.add("title", "ignored");
        assert_eq!(e.all().len(), 2);
        assert_eq!(e.get("title"), Some("first"));
        assert_eq!(e.described_by("salary-min"), "salary-min-error");
        assert_eq!(e.described_by("city"), "");
    }

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_u64("25 000"), Ok(Some(25_000)));
        assert_eq!(parse_u64(""), Ok(None));
        assert!(parse_u64("-5").is_err());
        assert_eq!(parse_f64("42,87"), Ok(Some(42.87)));
        assert!(parse_f64("north").is_err());
        assert!(parse_f64("NaN").is_err());
    }
}

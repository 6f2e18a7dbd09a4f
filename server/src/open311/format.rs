//! One answer, two formats: a small document tree ([`Doc`]) written as the spec's XML (with the
//! declaration, schemaless, no namespace) or as its JSON (the Spark convention: a list element
//! becomes an array, an element with children an object, an empty element `null`), and the
//! spec's error document (`<errors><error><code>…<description>…` / `[{"code", "description"}]`)
//! with a 4xx status.
//!
//! All XML escaping happens in [`escape`]: the five markup characters are escaped and characters
//! XML 1.0 cannot carry (controls other than tab, newline and carriage return) are dropped.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Number, Value};

use crate::error::ApiError;

/// The format a resource was asked in, by its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// Splits `"services.json"` into `("services", Json)`. An unknown or missing suffix is an error
/// in XML, the format every client reads.
pub fn split_format(file: &str) -> Result<(&str, Format), Open311Error> {
    let (stem, suffix) = file.rsplit_once('.').ok_or_else(|| {
        Open311Error::not_found(format!(
            "{file}: add the format to the resource, .xml or .json"
        ))
    })?;
    let format = match suffix {
        "xml" => Format::Xml,
        "json" => Format::Json,
        other => {
            return Err(Open311Error::not_found(format!(
                "format {other:?} is not served; use .xml or .json"
            )))
        }
    };
    Ok((stem, format))
}

/// A document: what the XML and the JSON are both written from.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// Text; an empty element in XML.
    Text(String),
    /// No value: an empty element in XML, `null` in JSON.
    Null,
    Bool(bool),
    Int(i64),
    /// A decimal number (coordinates), written as Rust prints it.
    Float(f64),
    /// Child elements in order; an object in JSON.
    Object(Vec<(&'static str, Doc)>),
    /// Repeated child elements named `item`; an array in JSON.
    List(&'static str, Vec<Doc>),
}

impl Doc {
    pub fn text(s: impl Into<String>) -> Doc {
        Doc::Text(s.into())
    }

    /// Text, or `Null` when absent or empty.
    pub fn opt(s: Option<impl Into<String>>) -> Doc {
        match s.map(Into::into) {
            Some(s) if !s.is_empty() => Doc::Text(s),
            _ => Doc::Null,
        }
    }

    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        write_xml(&mut out, root, self, 0);
        out
    }

    pub fn to_json(&self) -> Value {
        match self {
            Doc::Text(s) => Value::String(s.clone()),
            Doc::Null => Value::Null,
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Int(n) => Value::Number((*n).into()),
            Doc::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Doc::Object(fields) => {
                let mut map = Map::new();
                for (name, value) in fields {
                    map.insert((*name).to_string(), value.to_json());
                }
                Value::Object(map)
            }
            Doc::List(_, items) => Value::Array(items.iter().map(Doc::to_json).collect()),
        }
    }

    /// The answer in `format`, `root` naming the XML root element.
    pub fn respond(&self, format: Format, status: StatusCode, root: &str) -> Response {
        let body = match format {
            Format::Xml => self.to_xml(root),
            Format::Json => self.to_json().to_string(),
        };
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(format.content_type()),
        );
        response
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_xml(out: &mut String, name: &str, doc: &Doc, depth: usize) {
    indent(out, depth);
    match doc {
        Doc::Null => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>\n");
        }
        Doc::Text(_) | Doc::Bool(_) | Doc::Int(_) | Doc::Float(_) => {
            let text = match doc {
                Doc::Text(s) => escape(s),
                Doc::Bool(b) => b.to_string(),
                Doc::Int(n) => n.to_string(),
                Doc::Float(f) => f.to_string(),
                _ => String::new(),
            };
            out.push_str(&format!("<{name}>{text}</{name}>\n"));
        }
        Doc::Object(fields) => {
            out.push_str(&format!("<{name}>\n"));
            for (child, value) in fields {
                write_xml(out, child, value, depth + 1);
            }
            indent(out, depth);
            out.push_str(&format!("</{name}>\n"));
        }
        Doc::List(item, items) => {
            out.push_str(&format!("<{name}>\n"));
            for value in items {
                write_xml(out, item, value, depth + 1);
            }
            indent(out, depth);
            out.push_str(&format!("</{name}>\n"));
        }
    }
}

/// Text as XML character data: `& < > " '` escaped, characters XML 1.0 forbids dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An error in the spec's format: the HTTP status (404 for what does not exist, 403 for a wrong
/// or missing api_key, 400 for any other request that cannot be fulfilled; 429 and 503 when the
/// server asks to come back later) and a description that names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Error {
    pub status: StatusCode,
    pub description: String,
}

impl Open311Error {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Open311Error {
            status,
            description: description.into(),
        }
    }

    /// 400 naming `field`: "lat: must be a number between -90 and 90".
    pub fn bad(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::BAD_REQUEST, format!("{field}: {message}"))
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }

    pub fn forbidden(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, description)
    }

    pub fn doc(&self) -> Doc {
        Doc::List(
            "error",
            vec![Doc::Object(vec![
                ("code", Doc::Int(i64::from(self.status.as_u16()))),
                ("description", Doc::text(&self.description)),
            ])],
        )
    }

    pub fn respond(&self, format: Format) -> Response {
        let mut response = self.doc().respond(format, self.status, "errors");
        if self.status == StatusCode::TOO_MANY_REQUESTS
            || self.status == StatusCode::SERVICE_UNAVAILABLE
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// A failure from the storage layer or another part of the API, in the spec's format (the
/// message already names its field, when it has one).
impl From<ApiError> for Open311Error {
    fn from(e: ApiError) -> Self {
        let description = match e.field {
            Some(field) if !e.message.starts_with(&field) => format!("{field}: {}", e.message),
            _ => e.message,
        };
        let status = match e.status {
            StatusCode::NOT_FOUND
            | StatusCode::FORBIDDEN
            | StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::PAYLOAD_TOO_LARGE => e.status,
            // Everything else the client can fix is a 400 in GeoReport v2.
            _ => StatusCode::BAD_REQUEST,
        };
        Open311Error::new(status, description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            escape("a<b>&\"c\"'d'"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
        assert_eq!(
            escape("line\nnext\ttab\u{0}\u{1b}\u{FFFF}"),
            "line\nnext\ttab"
        );
        assert_eq!(escape("Ысык-Көл"), "Ысык-Көл");
    }

    #[test]
    fn one_tree_gives_the_spark_json_and_the_xml() {
        let doc = Doc::List(
            "service",
            vec![Doc::Object(vec![
                ("service_code", Doc::text("steps")),
                ("metadata", Doc::Bool(true)),
                ("keywords", Doc::Null),
                ("lat", Doc::Float(42.5)),
            ])],
        );
        assert_eq!(
            doc.to_json(),
            serde_json::json!([{ "service_code": "steps", "metadata": true, "keywords": null, "lat": 42.5 }])
        );
        let xml = doc.to_xml("services");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services>\n"));
        assert!(xml.contains("<service_code>steps</service_code>"));
        assert!(xml.contains("<keywords/>"));
        assert!(xml.contains("<lat>42.5</lat>"));
    }

    #[test]
    fn formats_come_from_the_suffix() {
        assert_eq!(
            split_format("services.json").unwrap(),
            ("services", Format::Json)
        );
        assert_eq!(split_format("a.b.xml").unwrap(), ("a.b", Format::Xml));
        assert_eq!(
            split_format("services").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            split_format("services.html").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
    }
}

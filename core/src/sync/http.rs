//! Talking to the server: three requests (register a device, pull a page, push a batch), each answer
//! sorted into "worth retrying" or not.
//!
//! Bodies are decompressed here rather than by reqwest so the client counts the bytes that really
//! crossed the network (phones on prepaid data care), and so a truncated compressed body shows up as
//! a temporary failure instead of half a page. Every body is read to a size cap: a broken or hostile
//! answer cannot make a phone run out of memory.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{HeaderMap, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, RETRY_AFTER};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::model::JobListing;

use uuid::Uuid;

use super::protocol::{DeviceToken, ErrorBody, PullPage, PushRequest, PushResponse};

/// Largest body read from the network (compressed), and largest after decompression. A page of 1,000
/// listings is under 1 MB of JSON.
const MAX_WIRE_BYTES: u64 = 16 << 20;
const MAX_BODY_BYTES: u64 = 64 << 20;

/// Why a request did not produce an answer the client can use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    /// Connection refused or dropped, timeout, truncated or garbled body, 5xx, 429: the same request
    /// may well succeed later.
    Temporary {
        detail: String,
        retry_after: Option<Duration>,
    },
    /// The token is missing, expired or revoked.
    Unauthorized,
    /// The cursor is older than the server keeps tombstones for: pull everything again.
    ResyncRequired,
    /// A 4xx other than the above: sending the same request again cannot help.
    Rejected {
        status: u16,
        code: String,
        message: String,
    },
}

/// Bytes that crossed the network, both ways (bodies only; headers are a small constant per request).
#[derive(Debug, Default)]
pub struct WireCounters {
    pub received: AtomicU64,
    pub sent: AtomicU64,
    pub requests: AtomicU64,
}

pub(crate) struct Transport {
    client: Client,
    base: String,
    pub(crate) counters: Arc<WireCounters>,
}

impl Transport {
    pub(crate) fn new(
        base: &str,
        connect_timeout: Duration,
        request_timeout: Duration,
    ) -> Result<Transport, String> {
        let base = base.trim_end_matches('/');
        let parsed = reqwest::Url::parse(base).map_err(|e| e.to_string())?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("the address must start with http:// or https://".into());
        }
        let client = Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            .no_gzip()
            .no_zstd()
            .no_brotli()
            .no_deflate()
            .user_agent(concat!("teng-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Transport {
            client,
            base: base.to_string(),
            counters: Arc::default(),
        })
    }

    pub(crate) fn register_device(&self) -> Result<String, Failure> {
        let request = self.client.post(format!("{}/v1/devices", self.base));
        let token: DeviceToken = self.send(request, None)?;
        Ok(token.token)
    }

    pub(crate) fn pull(
        &self,
        token: &str,
        since: i64,
        limit: u32,
        count: bool,
    ) -> Result<PullPage, Failure> {
        let mut url = format!("{}/v1/sync/pull?since={since}&limit={limit}", self.base);
        if count {
            url.push_str("&count=true");
        }
        self.send(self.client.get(url), Some(token))
    }

    pub(crate) fn push(
        &self,
        token: &str,
        batch: &PushRequest<'_>,
    ) -> Result<PushResponse, Failure> {
        let body = serde_json::to_vec(batch).map_err(|e| Failure::Rejected {
            status: 0,
            code: "unserializable".into(),
            message: e.to_string(),
        })?;
        self.counters
            .sent
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        let request = self
            .client
            .post(format!("{}/v1/sync/push", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        self.send(request, Some(token))
    }

    /// One listing as the server has it now (`None`: gone), to undo a refused offline edit.
    pub(crate) fn listing(&self, token: &str, id: Uuid) -> Result<Option<JobListing>, Failure> {
        let request = self.client.get(format!("{}/v1/listings/{id}", self.base));
        match self.send(request, Some(token)) {
            Ok(listing) => Ok(Some(listing)),
            Err(Failure::Rejected { status: 404, .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    fn send<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        token: Option<&str>,
    ) -> Result<T, Failure> {
        let mut request = request.header(ACCEPT_ENCODING, "zstd, gzip");
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let response = request.send().map_err(|e| temporary(describe(&e)))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let body = self.read_body(response)?;
        if status.is_success() {
            // A 200 whose body does not parse was cut or garbled on the way: try again.
            return serde_json::from_slice(&body)
                .map_err(|e| temporary(format!("unreadable answer: {e}")));
        }
        let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(b) => (b.error.code, b.error.message),
            Err(_) => (
                status.as_str().to_string(),
                status.canonical_reason().unwrap_or("error").to_string(),
            ),
        };
        Err(match status {
            StatusCode::UNAUTHORIZED => Failure::Unauthorized,
            StatusCode::GONE => Failure::ResyncRequired,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT => Failure::Temporary {
                detail: format!("{status}: {message}"),
                retry_after,
            },
            s if s.is_server_error() => Failure::Temporary {
                detail: format!("{status}: {message}"),
                retry_after,
            },
            s => Failure::Rejected {
                status: s.as_u16(),
                code,
                message,
            },
        })
    }

    /// Reads the body (counting wire bytes) and undoes its content encoding, within the size caps.
    fn read_body(&self, response: Response) -> Result<Vec<u8>, Failure> {
        let encoding = response
            .headers()
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let mut wire = Vec::new();
        response
            .take(MAX_WIRE_BYTES + 1)
            .read_to_end(&mut wire)
            .map_err(|e| temporary(format!("connection lost while reading the answer: {e}")))?;
        self.counters
            .received
            .fetch_add(wire.len() as u64, Ordering::Relaxed);
        if wire.len() as u64 > MAX_WIRE_BYTES {
            return Err(temporary("answer larger than 16 MiB".into()));
        }
        let mut body = Vec::new();
        let decoded = match encoding.as_deref() {
            None | Some("identity") => return Ok(wire),
            Some("zstd") => zstd::stream::read::Decoder::new(wire.as_slice())
                .and_then(|d| d.take(MAX_BODY_BYTES + 1).read_to_end(&mut body)),
            Some("gzip") => flate2::read::GzDecoder::new(wire.as_slice())
                .take(MAX_BODY_BYTES + 1)
                .read_to_end(&mut body),
            Some(other) => {
                return Err(temporary(format!(
                    "answer in an unknown encoding {other:?}"
                )));
            }
        };
        decoded.map_err(|e| temporary(format!("compressed answer cut short or damaged: {e}")))?;
        if body.len() as u64 > MAX_BODY_BYTES {
            return Err(temporary("answer larger than 64 MiB".into()));
        }
        Ok(body)
    }
}

fn temporary(detail: String) -> Failure {
    Failure::Temporary {
        detail,
        retry_after: None,
    }
}

/// reqwest's error with its causes, which say what actually happened (refused, timed out, reset).
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `Retry-After` in seconds (the server never sends the HTTP-date form).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

//! Talking to the server: register a device, pull a page, push a batch, fetch a first-sync snapshot's
//! manifest and chunks; each answer sorted into "worth retrying" or not.
//!
//! Bodies are decompressed here rather than by reqwest so the client counts the bytes that really
//! crossed the network (phones on prepaid data care), and so a truncated compressed body shows up as
//! a temporary failure instead of half a page. Every body is read to a size cap: a broken or hostile
//! answer cannot make a phone run out of memory.
//!
//! The token is a bearer secret, so where requests may go is fixed when the transport is made:
//! `http://` only to this machine (tests, the demo on loopback), `https://` anywhere else, and a
//! redirect is followed only within the configured origin. A server that redirects elsewhere gets
//! an error naming where it pointed, instead of the client quietly talking to another host.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{
    HeaderMap, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_RANGE, IF_RANGE, LOCATION,
    RANGE, RETRY_AFTER,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::model::JobListing;

use uuid::Uuid;

use super::protocol::{
    DeviceToken, ErrorBody, PullPage, PushRequest, PushResponse, SnapshotChunk, SnapshotManifest,
};

/// Largest body read from the network (compressed), and largest after decompression. A page of 1,000
/// listings is under 1 MB of JSON.
const MAX_WIRE_BYTES: u64 = 16 << 20;
const MAX_BODY_BYTES: u64 = 64 << 20;

/// Largest zstd window a response may ask for (2^23 = 8 MiB). zstd's own default lets a frame
/// demand 128 MiB before a byte is decoded; every level but the "ultra" ones (which the server
/// never uses) stays within 8 MiB, and a page is under 1 MB anyway.
const ZSTD_WINDOW_LOG_MAX: u32 = 23;

/// Same-origin redirects followed before giving up (a loop on the server's side).
const MAX_REDIRECTS: usize = 5;

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
        let parsed = Url::parse(base).map_err(|e| e.to_string())?;
        check_address(&parsed)?;
        let origin = parsed.origin();
        // reqwest drops the Authorization header on a cross-host redirect but still follows it (even
        // https to http), so the phone would talk to a host nobody configured. Stop instead: `send`
        // turns the 3xx into an error that says where the server pointed.
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS || attempt.url().origin() != origin {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let client = Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            .redirect(redirects)
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
        self.get_if_found(&format!("/v1/listings/{id}"), token)
    }

    /// The newest first-sync snapshot's manifest; `None` when the server has none (or is older
    /// than snapshots).
    pub(crate) fn snapshot_manifest(
        &self,
        token: &str,
    ) -> Result<Option<SnapshotManifest>, Failure> {
        self.get_if_found("/v1/sync/snapshot", token)
    }

    /// `GET path`; `None` on 404.
    fn get_if_found<T: DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
    ) -> Result<Option<T>, Failure> {
        let request = self.client.get(format!("{}{path}", self.base));
        match self.send(request, Some(token)) {
            Ok(found) => Ok(Some(found)),
            Err(Failure::Rejected { status: 404, .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Downloads one snapshot chunk, resuming after the bytes already in `partial` (kept there
    /// across retries: a cut on 2G costs only what was not received yet). Sent without the token,
    /// so a shared cache on the way may answer.
    pub(crate) fn snapshot_chunk(
        &self,
        chunk: &SnapshotChunk,
        partial: &mut Vec<u8>,
    ) -> Result<PullPage, Failure> {
        // Chunks live on the server's origin: a manifest cannot send the phone elsewhere.
        if !chunk.url.starts_with("/v1/sync/snapshot/") {
            return Err(Failure::Rejected {
                status: 0,
                code: "bad_manifest".into(),
                message: format!("chunk address {:?} is not a snapshot chunk", chunk.url),
            });
        }
        let mut request = self
            .client
            .get(format!("{}{}", self.base, chunk.url))
            .header(ACCEPT_ENCODING, "gzip");
        if !partial.is_empty() {
            request = request
                .header(RANGE, format!("bytes={}-", partial.len()))
                .header(IF_RANGE, chunk.etag.as_str());
        }
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let response = request.send().map_err(|e| temporary(describe(&e)))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(redirected(&self.base, &response));
        }
        let resumed = format!("bytes {}-", partial.len());
        match status {
            StatusCode::PARTIAL_CONTENT => {
                let range = response.headers().get(CONTENT_RANGE);
                if !range
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|r| r.starts_with(&resumed))
                {
                    partial.clear();
                    return Err(temporary("a range the client did not ask for".into()));
                }
            }
            StatusCode::OK => partial.clear(),
            _ => {
                partial.clear();
                let retry_after = retry_after(response.headers());
                let body = self.read_body(response)?;
                return Err(refusal(status, retry_after, &body));
            }
        }
        let encoding = response
            .headers()
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let before = partial.len();
        let read = response
            .take(MAX_WIRE_BYTES + 1 - before as u64)
            .read_to_end(partial);
        self.counters
            .received
            .fetch_add((partial.len() - before) as u64, Ordering::Relaxed);
        // What arrived before a cut stays in `partial` for the next try.
        read.map_err(|e| temporary(format!("connection lost while reading a chunk: {e}")))?;
        if partial.len() as u64 > MAX_WIRE_BYTES {
            partial.clear();
            return Err(temporary("answer larger than 16 MiB".into()));
        }
        let page = decode(encoding.as_deref(), std::mem::take(partial)).and_then(|body| {
            serde_json::from_slice::<PullPage>(&body)
                .map_err(|e| temporary(format!("unreadable chunk: {e}")))
        })?;
        Ok(page)
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
        if status.is_redirection() {
            // The redirect policy stopped here: another origin, or a loop.
            return Err(redirected(&self.base, &response));
        }
        let retry_after = retry_after(response.headers());
        let body = self.read_body(response)?;
        if status.is_success() {
            // A 200 whose body does not parse was cut or garbled on the way: try again.
            return serde_json::from_slice(&body)
                .map_err(|e| temporary(format!("unreadable answer: {e}")));
        }
        Err(refusal(status, retry_after, &body))
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
        decode(encoding.as_deref(), wire)
    }
}

/// What a non-success answer means for the client: retry later, register again, resync, or give up
/// on this request.
fn refusal(status: StatusCode, retry_after: Option<Duration>, body: &[u8]) -> Failure {
    let (code, message) = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(b) => (b.error.code, b.error.message),
        Err(_) => (
            status.as_str().to_string(),
            status.canonical_reason().unwrap_or("error").to_string(),
        ),
    };
    match status {
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
    }
}

/// `http://` only to a loopback host (the token would cross any other network in the clear),
/// `https://` to any host.
pub(crate) fn check_address(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(
            "plain http:// is allowed only to this machine (127.0.0.1, ::1, localhost); \
             use the server's https:// address"
                .into(),
        ),
        _ => Err("the address must start with https:// (or http:// to this machine)".into()),
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    // IPv6 hosts come bracketed ("[::1]").
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// A 3xx the redirect policy did not follow: says where the server pointed and why it was not
/// followed.
fn redirected(base: &str, response: &Response) -> Failure {
    let status = response.status();
    let target = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|l| response.url().join(l).ok());
    let message = match target {
        Some(to) if to.origin() == response.url().origin() => format!(
            "the server at {base} redirected more than {MAX_REDIRECTS} times; \
             check the server address"
        ),
        Some(to) => format!(
            "the server at {base} redirected elsewhere ({to}); not followed, so the sign-in is \
             never sent to another address. Set the server address to the one it really serves"
        ),
        None => format!("the server at {base} answered {status} without saying where to go"),
    };
    Failure::Rejected {
        status: status.as_u16(),
        code: "redirected".into(),
        message,
    }
}

/// Undoes a body's content encoding, within [`MAX_BODY_BYTES`] and (zstd) [`ZSTD_WINDOW_LOG_MAX`]:
/// a small hostile answer can neither inflate past the cap nor make the decoder reserve a huge
/// window up front.
fn decode(encoding: Option<&str>, wire: Vec<u8>) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let decoded = match encoding {
        None | Some("identity") => return Ok(wire),
        Some("zstd") => zstd::stream::read::Decoder::new(wire.as_slice()).and_then(|mut d| {
            d.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
            d.take(MAX_BODY_BYTES + 1).read_to_end(&mut body)
        }),
        Some("gzip") => flate2::read::GzDecoder::new(wire.as_slice())
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut body),
        Some(other) => {
            return Err(temporary(format!(
                "answer in an unknown encoding {other:?}"
            )));
        }
    };
    decoded.map_err(|e| {
        temporary(format!(
            "compressed answer cut short, damaged, or needing more than {} MiB to decode: {e}",
            (1u64 << ZSTD_WINDOW_LOG_MAX) >> 20
        ))
    })?;
    if body.len() as u64 > MAX_BODY_BYTES {
        return Err(temporary("answer larger than 64 MiB".into()));
    }
    Ok(body)
}

/// A `200` pull answer's body as [`Transport::pull`] reads it: its content encoding undone within
/// the caps, then parsed. `Err` is what `pull` reports as a temporary failure. For the fuzz
/// targets (fuzz/, docs/fuzzing.md), which feed it hostile bodies without a network.
#[doc(hidden)]
pub fn read_pull_page(encoding: Option<&str>, wire: Vec<u8>) -> Result<PullPage, String> {
    let detail = |f: Failure| match f {
        Failure::Temporary { detail, .. } => detail,
        other => format!("{other:?}"),
    };
    let body = decode(encoding, wire).map_err(detail)?;
    serde_json::from_slice(&body).map_err(|e| format!("unreadable answer: {e}"))
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

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::Mutex;

    use super::*;

    fn address(url: &str) -> Result<(), String> {
        check_address(&Url::parse(url).expect("a parsable test address"))
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        for ok in [
            "https://example.org",
            "https://teng.kg:8443/base",
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://[::1]:8080",
            "http://localhost:8080",
            "http://LOCALHOST",
        ] {
            assert_eq!(address(ok), Ok(()), "{ok}");
        }
        for refused in [
            "http://example.org",
            "http://10.0.2.2:8080",
            "http://192.168.1.5",
            "http://[::ffff:8.8.8.8]",
            "http://localhost.example.org",
            "http://127.0.0.1.example.org",
        ] {
            let reason = address(refused).expect_err(refused);
            assert!(
                reason.contains("only to this machine"),
                "{refused}: {reason}"
            );
        }
        assert!(address("ftp://127.0.0.1").is_err());
        assert!(Transport::new(
            "http://example.org",
            Duration::from_secs(1),
            Duration::from_secs(1)
        )
        .is_err());
    }

    /// One zstd frame holding `content` in a raw block, whose header asks for a 2^`window_log` window.
    fn zstd_frame_with_window(window_log: u8, content: &[u8]) -> Vec<u8> {
        let mut frame = vec![0x28, 0xB5, 0x2F, 0xFD];
        // Frame header descriptor: no content size, not single-segment, no checksum, no dictionary;
        // then the window descriptor (exponent above 2^10, mantissa 0).
        frame.push(0x00);
        frame.push((window_log - 10) << 3);
        let block = ((content.len() as u32) << 3) | 1; // raw block, the last one
        frame.extend_from_slice(&block.to_le_bytes()[..3]);
        frame.extend_from_slice(content);
        frame
    }

    #[test]
    fn a_zstd_answer_asking_for_a_huge_window_is_refused_before_decoding() {
        let ok = decode(Some("zstd"), zstd_frame_with_window(23, b"{\"a\":1}")).unwrap();
        assert_eq!(ok, b"{\"a\":1}");
        // zstd alone would reserve 128 MiB for this 16-byte answer.
        let err = decode(Some("zstd"), zstd_frame_with_window(27, b"{}")).unwrap_err();
        match err {
            Failure::Temporary { detail, .. } => {
                assert!(detail.contains("more than 8 MiB"), "{detail}");
            }
            other => panic!("expected a temporary failure, got {other:?}"),
        }
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_body_cap() {
        let zeros = vec![0u8; (MAX_BODY_BYTES + (1 << 20)) as usize];
        let bomb = zstd::stream::encode_all(zeros.as_slice(), 19).unwrap();
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        drop(zeros);
        match decode(Some("zstd"), bomb).unwrap_err() {
            Failure::Temporary { detail, .. } => assert!(detail.contains("64 MiB"), "{detail}"),
            other => panic!("expected a temporary failure, got {other:?}"),
        }
        let normal = zstd::stream::encode_all(&b"[1,2,3]"[..], 3).unwrap();
        assert_eq!(decode(Some("zstd"), normal).unwrap(), b"[1,2,3]");
    }

    /// A one-thread HTTP server on loopback: answers each request with `answer(path)` and keeps
    /// every request head it was sent.
    fn listener(
        answer: impl Fn(&str) -> String + Send + 'static,
    ) -> (String, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&heads);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = String::new();
                let mut reader = BufReader::new(&mut stream);
                while let Ok(n) = reader.read_line(&mut head) {
                    if n == 0 || head.ends_with("\r\n\r\n") {
                        break;
                    }
                }
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                seen.lock().unwrap().push(head);
                let _ = stream.write_all(answer(&path).as_bytes());
            }
        });
        (url, heads)
    }

    fn redirect_to(location: &str) -> String {
        format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
    }

    fn empty_page() -> String {
        let body = r#"{"changes":[],"next":0,"has_more":false}"#;
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    fn transport(url: &str) -> Transport {
        Transport::new(url, Duration::from_secs(2), Duration::from_secs(2)).unwrap()
    }

    #[test]
    fn a_redirect_to_another_origin_is_not_followed_and_the_token_stays_home() {
        let (elsewhere, reached) = listener(|_| empty_page());
        let target = format!("{elsewhere}/v1/sync/pull?since=0");
        let (ours, asked) = listener(move |_| redirect_to(&target));

        let failure = transport(&ours)
            .pull("secret-token", 0, 10, false)
            .unwrap_err();
        match failure {
            Failure::Rejected {
                status: 302,
                code,
                message,
            } => {
                assert_eq!(code, "redirected");
                assert!(message.contains("redirected elsewhere"), "{message}");
                assert!(message.contains(&elsewhere), "{message}");
            }
            other => panic!("expected a refused redirect, got {other:?}"),
        }
        let asked = asked.lock().unwrap();
        assert_eq!(asked.len(), 1);
        assert!(asked[0].contains("Bearer secret-token"), "{}", asked[0]);
        // Give a followed redirect time to land before checking that none did.
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            reached.lock().unwrap().is_empty(),
            "the other origin was contacted: {:?}",
            reached.lock().unwrap()
        );
    }

    #[test]
    fn a_redirect_within_the_same_origin_is_followed_with_the_token() {
        let (ours, asked) = listener(|path| {
            if path.starts_with("/v1/sync/pull") {
                redirect_to("/v2/sync/pull?since=0")
            } else {
                empty_page()
            }
        });
        let page = transport(&ours).pull("secret-token", 0, 10, false).unwrap();
        assert!(!page.has_more);
        let asked = asked.lock().unwrap();
        assert_eq!(asked.len(), 2, "{asked:?}");
        assert!(asked[1].starts_with("GET /v2/sync/pull"), "{}", asked[1]);
        assert!(asked[1].contains("Bearer secret-token"), "{}", asked[1]);
    }

    #[test]
    fn a_redirect_loop_ends_with_an_error() {
        let (ours, asked) = listener(|_| redirect_to("/v1/sync/pull?since=0"));
        match transport(&ours).pull("t", 0, 10, false).unwrap_err() {
            Failure::Rejected {
                status: 302,
                message,
                ..
            } => {
                assert!(message.contains("more than 5 times"), "{message}")
            }
            other => panic!("expected a refused redirect, got {other:?}"),
        }
        assert_eq!(asked.lock().unwrap().len(), MAX_REDIRECTS + 1);
    }
}

//! First-sync snapshot endpoints (docs/sync-protocol.md "First sync from a snapshot"): the manifest
//! of the newest snapshot, and its chunks as immutable, cacheable, resumable downloads.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::MaybeAuth;
use crate::error::{ApiError, ApiPath, ApiResult, ErrorBody};
use crate::snapshot::CachedChunk;
use crate::state::AppState;
use crate::storage::snapshot::Manifest;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(manifest))
        .routes(routes!(chunk))
}

/// A chunk never changes: caches may keep it for a year without asking again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The manifest names the newest snapshot, which is replaced about daily.
const MANIFEST_PUBLIC: &str = "public, max-age=60";

/// The newest snapshot's chunks. With a device token, also the device's oldest private change
/// (`private_from`): chunks from there on would miss the device's own records.
#[utoipa::path(
    get,
    path = "/sync/snapshot",
    tag = "sync",
    operation_id = "sync_snapshot",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The newest snapshot's manifest", body = Manifest),
        (status = 404, description = "No snapshot yet: pull from cursor 0", body = ErrorBody),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn manifest(State(state): State<Arc<AppState>>, auth: MaybeAuth) -> ApiResult<Response> {
    let caller = auth.0.as_ref();
    let device = caller.and_then(|a| a.device());
    let found = state.db(move |s| s.snapshot_manifest(device)).await?;
    let manifest = found.ok_or_else(|| ApiError::not_found("snapshot yet; pull from 0"))?;
    // An answer to a token may name that device's private_from: never for a shared cache.
    let cache = if caller.is_some() {
        "private, no-store"
    } else {
        MANIFEST_PUBLIC
    };
    Ok(([(header::CACHE_CONTROL, cache)], Json(manifest)).into_response())
}

/// One chunk: a pull page (`PullPage`) of the public view, gzip-compressed once. Sent as is with
/// `Content-Encoding: gzip` to clients that accept gzip, with a strong `ETag` (`If-None-Match` →
/// 304) and single byte ranges (`Range`, `If-Range` → 206) to resume a cut download; decompressed
/// for clients that do not (then without ranges, under a weak ETag).
#[utoipa::path(
    get,
    path = "/sync/snapshot/{generation}/{n}",
    tag = "sync",
    operation_id = "sync_snapshot_chunk",
    params(
        ("generation" = i64, Path, description = "The manifest's generation"),
        ("n" = u32, Path, description = "The chunk's number in the manifest"),
    ),
    responses(
        (status = 200, description = "The chunk, a pull page", body = crate::api::openapi::mirror::PullPage),
        (status = 206, description = "The asked byte range of the gzip-compressed chunk"),
        (status = 304, description = "Unchanged (If-None-Match)"),
        (status = 400, description = "The generation or chunk number is not a number", body = ErrorBody),
        (status = 404, description = "No such chunk: its snapshot was replaced; fetch the manifest again", body = ErrorBody),
        (status = 416, description = "The range lies outside the chunk"),
        (status = 503, description = "The database is busy", body = ErrorBody),
    )
)]
async fn chunk(
    State(state): State<Arc<AppState>>,
    ApiPath((generation, n)): ApiPath<(i64, u32)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let chunk = match state.snapshots.get(generation, n) {
        Some(chunk) => chunk,
        None => {
            let stored = state
                .db(move |s| s.snapshot_chunk(generation, n))
                .await?
                .ok_or_else(|| ApiError::not_found("snapshot chunk; fetch the manifest again"))?;
            state
                .snapshots
                .insert(generation, n, CachedChunk::from(stored))
        }
    };
    if accepts_gzip(&headers) {
        Ok(gzip_response(&chunk, &headers))
    } else {
        identity_response(&chunk, &headers)
    }
}

fn gzip_response(chunk: &CachedChunk, headers: &HeaderMap) -> Response {
    let etag = chunk.etag.as_str();
    let mut response = if matches_etag(headers.get(header::IF_NONE_MATCH), etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let len = chunk.gzip.len() as u64;
        match asked_range(headers, etag, len) {
            Asked::Whole => (StatusCode::OK, Body::from(chunk.gzip.clone())).into_response(),
            Asked::Part(range) => {
                let (start, end) = (*range.start(), *range.end());
                let part = chunk.gzip.slice(start as usize..=end as usize);
                let mut response = (StatusCode::PARTIAL_CONTENT, Body::from(part)).into_response();
                insert(
                    &mut response,
                    header::CONTENT_RANGE,
                    &format!("bytes {start}-{end}/{len}"),
                );
                response
            }
            Asked::Unsatisfiable => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                insert(
                    &mut response,
                    header::CONTENT_RANGE,
                    &format!("bytes */{len}"),
                );
                return response;
            }
        }
    };
    if response.status() != StatusCode::NOT_MODIFIED {
        insert(&mut response, header::CONTENT_TYPE, "application/json");
        insert(&mut response, header::CONTENT_ENCODING, "gzip");
    }
    insert(&mut response, header::ACCEPT_RANGES, "bytes");
    cacheable(&mut response, etag);
    response
}

fn identity_response(chunk: &CachedChunk, headers: &HeaderMap) -> ApiResult<Response> {
    let etag = format!("W/{}", chunk.etag);
    let mut response = if matches_etag(headers.get(header::IF_NONE_MATCH), &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut json = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&chunk.gzip[..]),
            &mut json,
        )
        .map_err(|e| ApiError::internal(format!("a stored snapshot chunk: {e}")))?;
        let mut response = (StatusCode::OK, Body::from(json)).into_response();
        insert(&mut response, header::CONTENT_TYPE, "application/json");
        response
    };
    cacheable(&mut response, &etag);
    Ok(response)
}

fn cacheable(response: &mut Response, etag: &str) {
    insert(response, header::ETAG, etag);
    insert(response, header::CACHE_CONTROL, IMMUTABLE);
    insert(response, header::VARY, "Accept-Encoding");
}

fn insert(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// Whether `Accept-Encoding` offers gzip (or anything) with a weight above zero.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let Some(accept) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    accept.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

/// `If-None-Match`: `*` or a list of entity tags (weak comparison, as RFC 9110 asks for it).
fn matches_etag(header: Option<&HeaderValue>, etag: &str) -> bool {
    let Some(value) = header.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    value.trim() == "*" || value.split(',').any(|tag| opaque(tag) == opaque(etag))
}

enum Asked {
    Whole,
    Part(std::ops::RangeInclusive<u64>),
    Unsatisfiable,
}

/// The one byte range asked for, if any. The whole chunk when there is no `Range`, when
/// `If-Range` names other bytes, or when several ranges are asked for (RFC 9110 lets a server
/// ignore `Range`; a phone resuming asks for one).
fn asked_range(headers: &HeaderMap, etag: &str, len: u64) -> Asked {
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Asked::Whole;
    };
    if let Some(if_range) = headers.get(header::IF_RANGE) {
        // Strong comparison: a weak or other tag means "send it all".
        if if_range.as_bytes() != etag.as_bytes() {
            return Asked::Whole;
        }
    }
    let ranges = match http_range_header::parse_range_header(range) {
        Ok(parsed) => parsed.validate(len),
        // Not a byte range this server understands: ignored.
        Err(_) => return Asked::Whole,
    };
    match ranges {
        Ok(ranges) if ranges.len() == 1 => Asked::Part(ranges[0].clone()),
        Ok(_) => Asked::Whole,
        Err(_) => Asked::Unsatisfiable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn gzip_is_accepted_unless_refused() {
        let accepts = |v: &str| accepts_gzip(&headers(&[(header::ACCEPT_ENCODING, v)]));
        assert!(accepts("gzip"));
        assert!(accepts("zstd, gzip"));
        assert!(accepts("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts("*"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts("zstd"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn if_none_match_compares_opaque_tags() {
        let tag = HeaderValue::from_static("\"a\", W/\"b\"");
        assert!(matches_etag(Some(&tag), "\"b\""));
        assert!(matches_etag(Some(&tag), "\"a\""));
        assert!(!matches_etag(Some(&tag), "\"c\""));
        assert!(matches_etag(Some(&HeaderValue::from_static("*")), "\"c\""));
        assert!(!matches_etag(None, "\"a\""));
    }

    #[test]
    fn one_satisfiable_range_is_served_in_part() {
        let etag = "\"e\"";
        let part =
            |pairs: &[(header::HeaderName, &str)]| match asked_range(&headers(pairs), etag, 100) {
                Asked::Part(r) => Some((*r.start(), *r.end())),
                Asked::Whole => None,
                Asked::Unsatisfiable => Some((u64::MAX, u64::MAX)),
            };
        assert_eq!(part(&[(header::RANGE, "bytes=10-")]), Some((10, 99)));
        assert_eq!(part(&[(header::RANGE, "bytes=-5")]), Some((95, 99)));
        assert_eq!(part(&[(header::RANGE, "bytes=0-9")]), Some((0, 9)));
        assert_eq!(
            part(&[(header::RANGE, "bytes=10-"), (header::IF_RANGE, "\"e\"")]),
            Some((10, 99))
        );
        // Another ETag in If-Range: the bytes changed, so all of them.
        assert_eq!(
            part(&[(header::RANGE, "bytes=10-"), (header::IF_RANGE, "\"x\"")]),
            None
        );
        assert_eq!(part(&[(header::RANGE, "bytes=0-1,5-6")]), None);
        assert_eq!(part(&[(header::RANGE, "lines=1-2")]), None);
        assert_eq!(part(&[]), None);
        assert_eq!(
            part(&[(header::RANGE, "bytes=200-")]),
            Some((u64::MAX, u64::MAX))
        );
    }
}

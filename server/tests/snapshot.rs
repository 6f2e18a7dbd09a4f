//! First-sync snapshots over HTTP (docs/sync-protocol.md "First sync from a snapshot"): the chunks
//! are the pull pages of the public view, immutable and cacheable, resumable with Range, and the
//! manifest tells a device where its own records start.

mod common;

use std::io::Read;

use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_RANGE, ETAG, IF_NONE_MATCH, IF_RANGE,
    RANGE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use common::*;
use teng_server::snapshot;

fn gunzip(bytes: &[u8]) -> Value {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut json)
        .unwrap();
    serde_json::from_slice(&json).unwrap()
}

/// Builds a snapshot now, as the server does at startup and daily.
fn build(t: &TestServer) -> Option<i64> {
    snapshot::build(t.server.state.storage.as_ref(), chrono::Utc::now()).unwrap()
}

async fn chunk_bytes(
    t: &TestServer,
    url: &str,
    headers: &[(reqwest::header::HeaderName, &str)],
) -> reqwest::Response {
    // Bytes as they come over the wire: no decompression by the client.
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let mut request = client.get(t.url(url));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

/// A catalogue spanning several chunks: `n` published listings (each brings a building too).
async fn catalogue(t: &TestServer, n: usize) -> String {
    let (_, token) = t.ngo("Chunked").await;
    for _ in 0..n {
        t.published_listing(&token).await;
    }
    token
}

#[tokio::test]
async fn the_chunks_are_the_public_pull_pages_from_zero() {
    let t = TestServer::start().await;
    let (status, v) = t.get("/v1/sync/snapshot", None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no snapshot before the first build"
    );
    assert_error(&v, "not_found");
    assert_eq!(build(&t), None, "nothing public to record yet");

    catalogue(&t, 300).await;
    // A device's private change is not in the chunks.
    let (_, device_token) = t.device().await;
    let listing = t.get("/v1/listings?limit=1", None).await.1["items"][0]["id"].clone();
    let (status, v) = t
        .post(
            "/v1/sync/push",
            Some(&device_token),
            json!({ "mutations": [{ "id": uuid::Uuid::now_v7(), "op": "save_job", "listing_id": listing }] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");

    let generation = build(&t).expect("a snapshot is stored");
    let (status, manifest) = t.get("/v1/sync/snapshot", None).await;
    assert_eq!(status, StatusCode::OK, "{manifest}");
    assert_eq!(manifest["generation"], generation);
    assert!(manifest["private_from"].is_null(), "{manifest}");
    let chunks = manifest["chunks"].as_array().unwrap();
    assert!(
        chunks.len() >= 2,
        "300 listings and their buildings: {manifest}"
    );

    let mut since = 0;
    let mut records = 0;
    for chunk in chunks {
        assert_eq!(chunk["since"], since, "the chunks chain: {manifest}");
        let r = chunk_bytes(
            &t,
            chunk["url"].as_str().unwrap(),
            &[(ACCEPT_ENCODING, "gzip")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[CONTENT_ENCODING], "gzip");
        assert_eq!(r.headers()[ETAG], chunk["etag"].as_str().unwrap());
        assert_eq!(
            r.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let bytes = r.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, chunk["bytes"].as_u64().unwrap());
        let page = gunzip(&bytes);
        // The same entries an anonymous pull from the chunk's cursor answers.
        let (_, pulled) = t
            .get(&format!("/v1/sync/pull?since={since}&limit=500"), None)
            .await;
        assert_eq!(page["changes"], pulled["changes"], "chunk from {since}");
        assert_eq!(page["next"], pulled["next"]);
        assert_eq!(page["next"], chunk["next"]);
        assert_eq!(
            page["has_more"], true,
            "every chunk asks for a pull after it"
        );
        assert!(
            !page["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["kind"] == "saved_job"),
            "no device's private records"
        );
        records += page["changes"].as_array().unwrap().len() as u64;
        since = chunk["next"].as_i64().unwrap();
    }
    assert_eq!(manifest["seq"], since);
    assert_eq!(manifest["records"], records);

    // The device sees where its own records start, and that answer is not for shared caches.
    let r = t
        .req(Method::GET, "/v1/sync/snapshot", Some(&device_token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[CACHE_CONTROL], "private, no-store");
    let mine: Value = r.json().await.unwrap();
    let private_from = mine["private_from"]
        .as_i64()
        .expect("the saved job's change");
    assert!(private_from > 0 && private_from <= since, "{mine}");
}

#[tokio::test]
async fn a_chunk_is_cacheable_and_resumable() {
    let t = TestServer::start().await;
    catalogue(&t, 40).await;
    build(&t).unwrap();
    let (_, manifest) = t.get("/v1/sync/snapshot", None).await;
    let chunk = &manifest["chunks"][0];
    let url = chunk["url"].as_str().unwrap();
    let etag = chunk["etag"].as_str().unwrap();
    let whole = chunk_bytes(&t, url, &[(ACCEPT_ENCODING, "gzip")])
        .await
        .bytes()
        .await
        .unwrap();
    let len = whole.len();

    // Revalidation costs nothing.
    let r = chunk_bytes(&t, url, &[(ACCEPT_ENCODING, "gzip"), (IF_NONE_MATCH, etag)]).await;
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers()[ETAG], etag);
    assert!(r.bytes().await.unwrap().is_empty());

    // A cut download resumes where it stopped, and the pieces make the chunk.
    let cut = len / 3;
    let r = chunk_bytes(
        &t,
        url,
        &[
            (ACCEPT_ENCODING, "gzip"),
            (RANGE, &format!("bytes={cut}-")),
            (IF_RANGE, etag),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.headers()[CONTENT_RANGE],
        format!("bytes {cut}-{}/{len}", len - 1).as_str()
    );
    let rest = r.bytes().await.unwrap();
    let mut joined = whole[..cut].to_vec();
    joined.extend_from_slice(&rest);
    assert_eq!(joined, whole);
    assert!(gunzip(&joined)["changes"].is_array());

    // Other bytes than the client holds part of: the whole chunk instead.
    let r = chunk_bytes(
        &t,
        url,
        &[
            (ACCEPT_ENCODING, "gzip"),
            (RANGE, &format!("bytes={cut}-")),
            (IF_RANGE, "\"something-else\""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap(), whole);

    let r = chunk_bytes(
        &t,
        url,
        &[(ACCEPT_ENCODING, "gzip"), (RANGE, &format!("bytes={len}-"))],
    )
    .await;
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        r.headers()[CONTENT_RANGE],
        format!("bytes */{len}").as_str()
    );

    // A client without gzip gets the JSON itself, under a weak validator.
    let r = chunk_bytes(&t, url, &[(ACCEPT_ENCODING, "identity")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(r.headers()[ETAG], format!("W/{etag}").as_str());
    let plain: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(plain, gunzip(&whole));

    let (status, v) = t.get("/v1/sync/snapshot/99/0", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found");
    let (status, v) = t.get("/v1/sync/snapshot/1/x", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn a_new_snapshot_is_stored_only_after_a_change_and_two_are_kept() {
    let t = TestServer::start().await;
    let token = catalogue(&t, 5).await;
    let first = build(&t).unwrap();
    assert_eq!(build(&t), None, "nothing changed since");
    let first_chunk = format!("/v1/sync/snapshot/{first}/0");

    t.published_listing(&token).await;
    let second = build(&t).unwrap();
    assert_eq!(second, first + 1);
    let (_, manifest) = t.get("/v1/sync/snapshot", None).await;
    assert_eq!(manifest["generation"], second);
    // A phone that read the older manifest can still finish its chunks.
    let r = chunk_bytes(&t, &first_chunk, &[(ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(r.status(), StatusCode::OK);

    t.published_listing(&token).await;
    let third = build(&t).unwrap();
    let stored = t.server.state.storage.snapshot_chunk(first, 0).unwrap();
    assert!(stored.is_none(), "only the newest two generations are kept");
    // The process serves the newest chunks and forgets the dropped generation's too.
    let r = chunk_bytes(
        &t,
        &format!("/v1/sync/snapshot/{third}/0"),
        &[(ACCEPT_ENCODING, "gzip")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (status, v) = t.get(&first_chunk, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
}

//! The fault proxy itself: each fault really happens, between a plain client and a real server.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::{json, Value};
use uuid::Uuid;

use teng_tests::fault_proxy::{
    Fault, FaultProxy, ProxyOptions, ProxyStats, RandomFaults, UpstreamDown,
};
use teng_tests::server::TestServer;

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A raw HTTP/1.1 exchange: sends `request`, returns every byte the other side sent until it closed.
fn raw(addr: std::net::SocketAddr, request: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request.as_bytes())?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out)?;
    Ok(out)
}

fn head_of(bytes: &[u8]) -> String {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    String::from_utf8_lossy(&bytes[..end]).to_lowercase()
}

fn pull_requests(server: &TestServer) -> u64 {
    server
        .state()
        .metrics
        .pull_requests
        .load(std::sync::atomic::Ordering::Relaxed)
}

#[test]
fn pass_through_answers_like_the_server_and_closes_each_connection() {
    let server = TestServer::with_demo(30);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let http = client();

    let direct: Value = http
        .get(server.endpoint("/v1/sync/pull?since=0"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let through = http
        .get(format!("{}/v1/sync/pull?since=0", proxy.url()))
        .send()
        .unwrap();
    assert_eq!(through.status(), 200);
    assert_eq!(through.headers()["connection"], "close");
    let through: Value = through.json().unwrap();
    assert!(!direct["changes"].as_array().unwrap().is_empty());
    assert_eq!(through, direct);

    // A second request works too (the client cannot reuse the closed connection).
    let health = http.get(format!("{}/healthz", proxy.url())).send().unwrap();
    assert_eq!(health.status(), 200);

    let stats = proxy.stats();
    assert_eq!(stats.requests, 2);
    assert_eq!(stats.passed, 2);
    assert_eq!(stats.forwarded, 2);
    assert_eq!(stats.connections, 2);
    let log = proxy.requests();
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].target, "/v1/sync/pull?since=0");
    assert_eq!(log[0].fault, Fault::Pass);
    assert_eq!(log[0].upstream_status, Some(200));
}

#[test]
fn compressed_answers_pass_byte_for_byte_and_are_counted() {
    let server = TestServer::with_demo(30);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let request = "GET /v1/sync/pull?since=0 HTTP/1.1\r\nHost: teng\r\n\
                   Accept-Encoding: zstd, gzip\r\nConnection: keep-alive\r\n\r\n";
    let got = raw(proxy.addr(), request).unwrap();
    let head = head_of(&got);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-encoding: zstd"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    assert!(!head.contains("keep-alive"), "{head}");
    // Every byte the client received, and only those, is counted.
    assert_eq!(proxy.stats().bytes_to_client, got.len() as u64);
    assert_eq!(proxy.stats().bytes_from_client, request.len() as u64);
}

#[test]
fn status_fault_answers_without_forwarding() {
    let server = TestServer::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults([Fault::retry_after(503, 7), Fault::status(500)]);
    let http = client();
    let url = format!("{}/v1/sync/pull?since=0", proxy.url());

    let r = http.get(&url).send().unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "7");
    let body: Value = r.json().unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(body["error"]["message"].is_string());

    let r = http.get(&url).send().unwrap();
    assert_eq!(r.status(), 500);
    assert!(r.headers().get("retry-after").is_none());
    assert_eq!(r.json::<Value>().unwrap()["error"]["code"], "internal");
    assert_eq!(
        pull_requests(&server),
        0,
        "the server saw an injected request"
    );

    // The script is used up: the next request passes.
    assert_eq!(proxy.pending_faults(), 0);
    assert_eq!(http.get(&url).send().unwrap().status(), 200);
    assert_eq!(pull_requests(&server), 1);
    let stats = proxy.stats();
    assert_eq!((stats.status_injected, stats.passed), (2, 1));
}

#[test]
fn cut_answers_fail_the_client() {
    let server = TestServer::with_demo(30);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let http = client();
    let url = format!("{}/v1/sync/pull?since=0", proxy.url());

    // Mid-body: the head arrives, the body is short.
    proxy.push_faults([Fault::CutBody { after_bytes: 100 }]);
    let r = http.get(&url).send().unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().is_err(), "a cut body must not read as complete");

    // Mid-head: the request fails outright.
    proxy.push_faults([Fault::CutResponse { after_bytes: 10 }]);
    assert!(http.get(&url).send().is_err());

    // On the wire, a cut compressed answer is exactly its head plus the first bytes of the body.
    proxy.push_faults([Fault::CutBody { after_bytes: 64 }]);
    let request =
        "GET /v1/sync/pull?since=0 HTTP/1.1\r\nHost: teng\r\nAccept-Encoding: gzip\r\n\r\n";
    let before = proxy.stats().bytes_to_client;
    let got = raw(proxy.addr(), request).unwrap();
    let head = head_of(&got);
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(got.len(), head.len() + 4 + 64);
    assert_eq!(proxy.stats().bytes_to_client - before, got.len() as u64);
    assert_eq!(proxy.stats().cut, 3);
}

#[test]
fn a_delay_longer_than_the_timeout_times_the_client_out() {
    let server = TestServer::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults([Fault::Delay(Duration::from_secs(30))]);
    let http = Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = http
        .get(format!("{}/v1/sync/pull?since=0", proxy.url()))
        .send()
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The request did reach the server before the delay.
    assert_eq!(pull_requests(&server), 1);
    assert_eq!(proxy.stats().delayed, 1);
    assert!(
        !proxy.wait_idle(Duration::from_millis(50)),
        "still delaying"
    );

    // Stopping wakes the delay instead of waiting 30 s.
    let stopping = Instant::now();
    proxy.stop();
    assert!(stopping.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_short_delay_only_slows_the_answer() {
    let server = TestServer::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults([Fault::Delay(Duration::from_millis(200))]);
    let started = Instant::now();
    let r = client()
        .get(format!("{}/healthz", proxy.url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[test]
fn drop_after_forward_applies_on_the_server_but_fails_the_client() {
    let server = TestServer::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults([Fault::DropAfterForward]);
    let r = client()
        .post(format!("{}/v1/devices", proxy.url()))
        .json(&json!({}))
        .send();
    assert!(r.is_err(), "the answer should be lost: {r:?}");
    assert_eq!(
        server.stats().devices,
        1,
        "the server registered the device"
    );
    let stats = proxy.stats();
    assert_eq!((stats.dropped_after_forward, stats.forwarded), (1, 1));
    assert_eq!(stats.bytes_to_client, 0);
    assert_eq!(proxy.requests()[0].upstream_status, Some(201));
}

#[test]
fn drop_before_forward_never_reaches_the_server() {
    let server = TestServer::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults([Fault::DropBeforeForward]);
    let r = client()
        .post(format!("{}/v1/devices", proxy.url()))
        .json(&json!({}))
        .send();
    assert!(r.is_err(), "{r:?}");
    assert_eq!(server.stats().devices, 0);
    assert_eq!(proxy.stats().forwarded, 0);
    assert_eq!(proxy.requests()[0].upstream_status, None);
}

#[test]
fn replay_makes_the_server_see_a_duplicate_push() {
    let server = TestServer::start();
    let listing = server.publish_new_listing("Bookkeeper");
    let (_, device) = server.register_device();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    proxy.push_faults_on("/v1/sync/push", [Fault::Replay]);
    let http = client();

    // Pulls do not use up a fault scripted for pushes.
    let pulled = http
        .get(format!("{}/v1/sync/pull?since=0", proxy.url()))
        .send()
        .unwrap();
    assert_eq!(pulled.status(), 200);
    assert_eq!(proxy.pending_faults(), 1);

    let mutation = json!({ "id": Uuid::new_v4(), "op": "save_job", "listing_id": listing.id });
    let r = http
        .post(format!("{}/v1/sync/push", proxy.url()))
        .bearer_auth(&device)
        .json(&json!({ "mutations": [mutation] }))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().unwrap();
    assert_eq!(body["results"][0]["status"], "duplicate", "{body}");
    assert_eq!(server.stats().saved_jobs, 1);
    let stats = proxy.stats();
    assert_eq!((stats.replayed, stats.forwarded), (1, 3));
}

#[test]
fn an_unreachable_upstream_closes_or_answers_502() {
    let mut server = TestServer::start();
    let closing = FaultProxy::start(server.addr()).unwrap();
    let gateway = FaultProxy::start_with(
        server.addr(),
        ProxyOptions {
            upstream_down: UpstreamDown::BadGateway,
            ..ProxyOptions::default()
        },
    )
    .unwrap();
    let http = client();
    server.stop();

    assert!(http
        .get(format!("{}/healthz", closing.url()))
        .send()
        .is_err());
    assert_eq!(closing.stats().upstream_errors, 1);
    let r = http
        .get(format!("{}/healthz", gateway.url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(r.json::<Value>().unwrap()["error"]["code"], "bad_gateway");

    // The server comes back on the same address: the proxies reach it again.
    server.restart();
    let r = http
        .get(format!("{}/healthz", closing.url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn random_faults_follow_the_seed() {
    let server = TestServer::start();
    let run = |seed: u64| -> (Vec<Fault>, ProxyStats) {
        let proxy = FaultProxy::start(server.addr()).unwrap();
        proxy.set_random_faults(Some(RandomFaults {
            seed,
            probability: 0.5,
            faults: vec![Fault::status(503), Fault::status(429)],
            path_prefix: None,
        }));
        let http = client();
        for _ in 0..40 {
            let r = http.get(format!("{}/healthz", proxy.url())).send().unwrap();
            assert!([200, 503, 429].contains(&r.status().as_u16()));
        }
        let faults = proxy.requests().into_iter().map(|r| r.fault).collect();
        (faults, proxy.stats())
    };
    let (first, stats) = run(7);
    let (again, _) = run(7);
    let (other, _) = run(8);
    assert_eq!(first, again);
    assert_ne!(first, other);
    assert_eq!(stats.requests, 40);
    assert!(stats.status_injected > 5 && stats.passed > 5, "{stats:?}");
    assert_eq!(stats.status_injected + stats.passed, 40);
}

#[test]
fn bad_clients_do_not_break_the_proxy() {
    let server = TestServer::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();

    // Half a head, then gone.
    let mut s = TcpStream::connect(proxy.addr()).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHo").unwrap();
    drop(s);
    // Half a body, then gone.
    let mut s = TcpStream::connect(proxy.addr()).unwrap();
    s.write_all(b"POST /v1/devices HTTP/1.1\r\nContent-Length: 100\r\n\r\n{}")
        .unwrap();
    drop(s);
    // Not HTTP.
    let got = raw(proxy.addr(), "hello\r\n\r\n").unwrap();
    assert!(head_of(&got).starts_with("http/1.1 400"));
    // A chunked request body.
    let got = raw(
        proxy.addr(),
        "POST /v1/devices HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    )
    .unwrap();
    assert!(head_of(&got).starts_with("http/1.1 501"));
    // A client that connects and sends nothing.
    let idle = TcpStream::connect(proxy.addr()).unwrap();

    let r = client()
        .get(format!("{}/healthz", proxy.url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(server.stats().devices, 0);
    // Stopping does not wait for the idle client's read timeout.
    let stopping = Instant::now();
    proxy.stop();
    assert!(stopping.elapsed() < Duration::from_secs(2));
    drop(idle);
}

//! Slow and idle clients cannot hold the server: header trickling (slowloris) is cut off, slow
//! bodies get 408, connections above the cap are closed at once, and shutdown finishes even with
//! idle or stalled sockets open. Raw TCP, so nothing in between is polite on our behalf.

mod common;

use std::time::Duration;

use common::test_config;
use teng_server::RunningServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Generous bound for "the server reacted": far above the 1 s limits configured here, far below
/// "it never did".
const PATIENCE: Duration = Duration::from_secs(15);

async fn server(
    adjust: impl FnOnce(&mut teng_server::Config),
) -> (RunningServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(&dir);
    config.connections.header_read_timeout = Duration::from_secs(1);
    config.connections.request_timeout = Duration::from_secs(1);
    config.connections.shutdown_grace = Duration::from_secs(1);
    adjust(&mut config);
    (teng_server::start(config).await.unwrap(), dir)
}

/// Reads until the server closes the connection (or errors); what it sent before closing.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&out).into_owned(),
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

async fn healthz(server: &RunningServer) -> String {
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    read_until_closed(&mut s).await
}

#[tokio::test]
async fn a_client_trickling_headers_is_cut_off() {
    let (server, _dir) = server(|_| {}).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        .await
        .unwrap();
    // One header line every 200 ms, never the blank line that ends them: without a header-read
    // timeout this goes on as long as the client likes.
    let trickle = async {
        for i in 0.. {
            if s.write_all(format!("X-Slow-{i}: a\r\n").as_bytes())
                .await
                .is_err()
            {
                return true;
            }
            let mut probe = [0u8; 512];
            match tokio::time::timeout(Duration::from_millis(200), s.read(&mut probe)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => return true, // an error response (408) before closing
                Err(_) => continue,
            }
        }
        false
    };
    let cut_off = tokio::time::timeout(PATIENCE, trickle).await;
    assert_eq!(cut_off, Ok(true), "the server kept a trickling client");
    // Everyone else is still served.
    assert!(healthz(&server).await.starts_with("HTTP/1.1 200"));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_slow_body_gets_408() {
    let (server, _dir) = server(|_| {}).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(
        b"POST /v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"user",
    )
    .await
    .unwrap();
    let answer = tokio::time::timeout(PATIENCE, read_until_closed(&mut s))
        .await
        .expect("the server waited for the body forever");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_above_the_cap_are_closed_and_slots_come_back() {
    let (server, _dir) = server(|c| {
        c.connections.max_connections = 2;
        // Long enough that the two held connections stay open for the whole test.
        c.connections.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
        held.push(s);
    }
    // Give the server a moment to accept both before the third arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(server.addr).await.unwrap();
    let _ = third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await;
    let answer = tokio::time::timeout(PATIENCE, read_until_closed(&mut third))
        .await
        .expect("a connection above the cap was kept waiting");
    assert!(answer.is_empty(), "served above the cap: {answer}");

    drop(held);
    let served = tokio::time::timeout(PATIENCE, async {
        loop {
            if healthz(&server).await.starts_with("HTTP/1.1 200") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(served.is_ok(), "freed slots were not reused");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_finishes_with_idle_and_stalled_connections_open() {
    let (server, _dir) = server(|c| {
        c.connections.header_read_timeout = Duration::from_secs(60);
        c.connections.request_timeout = Duration::from_secs(60);
    })
    .await;
    // An idle keep-alive connection after one request, and one stalled mid-headers.
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let mut stalled = TcpStream::connect(server.addr).await.unwrap();
    stalled
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let stopped = tokio::time::timeout(PATIENCE, server.shutdown()).await;
    assert!(
        matches!(stopped, Ok(Ok(()))),
        "shutdown hung on open sockets"
    );
    // Both sockets were closed by the server.
    assert_eq!(read_until_closed(&mut stalled).await, "");
    assert_eq!(read_until_closed(&mut idle).await, "");
}

//! `thumbprint serve` as a front door: deadlines for headers, idle connections and bodies, the
//! body cap from `Content-Length` and while reading, and the connection limit. The deadlines are
//! shortened here (`DoorLimits`); the defaults are in `server.rs`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use thumbprint_cli::server::{run_with, DoorLimits, MAX_HTTP_BODY};
use thumbprint_service::http::App;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_millis(600);

async fn start(connections: usize) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let limits = DoorLimits {
        connections,
        body_slots: 4,
        header_timeout: SHORT,
        body_timeout: SHORT,
    };
    tokio::spawn(run_with(App::new(), listener, limits, None));
    addr
}

/// Reads until the server closes the connection (or 5 s pass); what it sent, and when it closed.
async fn read_to_close(s: &mut TcpStream) -> (Vec<u8>, Option<Duration>) {
    let start = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (out, Some(start.elapsed())),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (out, None),
        }
    }
}

#[tokio::test]
async fn unfinished_headers_are_cut_off() {
    let addr = start(16).await;
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"GET /version HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let (got, closed) = read_to_close(&mut s).await;
    assert!(closed.is_some(), "the connection stayed open");
    assert!(!got.starts_with(b"HTTP/1.1 200"), "answered half a request");
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let addr = start(16).await;
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let (got, closed) = read_to_close(&mut s).await;
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    assert!(closed.is_some(), "an idle connection stayed open");
}

#[tokio::test]
async fn a_declared_body_over_the_cap_is_refused_before_it_is_sent() {
    let addr = start(16).await;
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /thumbnail HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\r\n",
        MAX_HTTP_BODY + 1
    );
    s.write_all(head.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("answered at once")
        .expect("read");
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("payload_too_large"), "{text}");
}

#[tokio::test]
async fn a_streamed_body_over_the_cap_is_refused_while_reading() {
    let addr = start(16).await;
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"POST /thumbnail HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .expect("write");
    let chunk = format!("{:x}\r\n{}\r\n", 1 << 20, "A".repeat(1 << 20));
    let mut answer = Vec::new();
    for _ in 0..(MAX_HTTP_BODY >> 20) + 2 {
        if s.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.starts_with("HTTP/1.1 413"),
        "{}",
        &text[..text.len().min(200)]
    );
}

#[tokio::test]
async fn a_stalled_body_is_cut_off() {
    let addr = start(16).await;
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"POST /thumbnail HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\nxx")
        .await
        .expect("write");
    let (got, closed) = read_to_close(&mut s).await;
    assert!(closed.is_some(), "a stalled upload held the connection");
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
}

#[tokio::test]
async fn connections_past_the_limit_wait_for_a_free_one() {
    let addr = start(1).await;
    let mut first = TcpStream::connect(addr).await.expect("connect");
    first
        .write_all(b"GET /version HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // The second connection is accepted by the kernel but not served while the first holds
    // the only slot; it is answered once the first is cut off at its header deadline.
    let mut second = TcpStream::connect(addr).await.expect("connect");
    let start = Instant::now();
    second
        .write_all(b"GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let (got, _) = read_to_close(&mut second).await;
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    assert!(
        start.elapsed() >= SHORT / 2,
        "served before the first connection ended"
    );
    drop(first);
}

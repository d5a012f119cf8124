//! Test support: AWS sample events as templates, and a scripted origin server on loopback.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};
use thumbprint_service::fetch::{Fetcher, Resolve, ResolveFuture};
use thumbprint_service::http::App;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Invokes the function's event handler as the Lambda runtime would: the event as JSON text,
/// with an invocation context whose request id is `id`.
pub async fn handle_event(app: &App, event: Value, id: &str) -> Value {
    let mut context = lambda_runtime::Context::default();
    context.request_id = id.to_string();
    thumbprint_lambda::events::handle_event(app, &event.to_string(), context).await
}

/// A response header from a proxy response: `headers` (payload 2.0) or the first value in
/// `multiValueHeaders` (REST API responses carry them there).
pub fn response_header(r: &Value, name: &str) -> Value {
    match &r["headers"][name] {
        Value::Null => r["multiValueHeaders"][name][0].clone(),
        v => v.clone(),
    }
}

pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../lambda/tests/events")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

pub fn corpus_file(rel: &str) -> Vec<u8> {
    std::fs::read(thumbprint_tests::corpus_dir().join(rel)).expect("corpus file")
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

/// A payload-2.0 event from a real sample, with this request in it.
pub fn v2_event(
    template: &str,
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    base64_body: bool,
) -> Value {
    let mut e = fixture(template);
    e["rawPath"] = json!(path);
    e["rawQueryString"] = json!(query);
    e["requestContext"]["http"]["method"] = json!(method);
    e["requestContext"]["http"]["path"] = json!(path);
    let mut h = serde_json::Map::new();
    for (k, v) in headers {
        h.insert(k.to_string(), json!(v));
    }
    e["headers"] = Value::Object(h);
    e.as_object_mut()
        .expect("object")
        .remove("queryStringParameters");
    if base64_body {
        e["body"] = json!(b64(body));
        e["isBase64Encoded"] = json!(true);
    } else {
        e["body"] = json!(String::from_utf8_lossy(body));
        e["isBase64Encoded"] = json!(false);
    }
    e
}

/// `POST /thumbnail` with these headers and a text body, in the HTTP API 2.0 sample event.
pub fn post_with(headers: &[(&str, &str)], body: &str) -> Value {
    v2_event(
        "apigw-v2-no-authorizer.json",
        "POST",
        "/thumbnail",
        "",
        headers,
        body.as_bytes(),
        false,
    )
}

/// `POST /thumbnail` with a JSON body, in the HTTP API 2.0 sample event.
pub fn json_post(body: &str) -> Value {
    post_with(&[("content-type", "application/json")], body)
}

/// A REST API (1.0) event from the real sample, with this request in it.
pub fn v1_event(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Value {
    let mut e = fixture("apigw-rest-v1.json");
    e["httpMethod"] = json!(method);
    e["path"] = json!(path);
    e["resource"] = json!(path);
    let mut h = serde_json::Map::new();
    let mut mh = serde_json::Map::new();
    for (k, v) in headers {
        h.insert(k.to_string(), json!(v));
        mh.insert(k.to_string(), json!([v]));
    }
    e["headers"] = Value::Object(h);
    e["multiValueHeaders"] = Value::Object(mh);
    e["queryStringParameters"] = Value::Null;
    e["multiValueQueryStringParameters"] = Value::Null;
    e["body"] = json!(body);
    e["isBase64Encoded"] = json!(false);
    e
}

/// A resolver that answers from a table (and fails for anything else).
pub struct TableResolver(pub Vec<(&'static str, Vec<std::net::IpAddr>)>);

impl Resolve for TableResolver {
    fn resolve(&self, host: &str) -> ResolveFuture {
        let found = self
            .0
            .iter()
            .find(|(h, _)| *h == host)
            .map(|(_, ips)| ips.clone());
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such host"))
        })
    }
}

pub fn table_resolver() -> Arc<TableResolver> {
    Arc::new(TableResolver(vec![
        ("origin.test", vec!["127.0.0.1".parse().expect("ip")]),
        ("private.test", vec!["10.0.0.5".parse().expect("ip")]),
        (
            "mixed.test",
            vec![
                "93.184.216.34".parse().expect("ip"),
                "127.0.0.1".parse().expect("ip"),
            ],
        ),
        (
            "metadata.test",
            vec!["169.254.169.254".parse().expect("ip")],
        ),
        ("public.test", vec!["93.184.216.34".parse().expect("ip")]),
    ]))
}

/// An app whose fetcher may reach the scripted origin on loopback (test-only constructor), with
/// small caps so size and time limits are quick to hit.
pub fn loopback_app() -> App {
    App::with_fetcher(
        Fetcher::insecure_for_loopback_tests(table_resolver()).with_limits(
            1_000_000,
            Duration::from_millis(500),
            Duration::from_secs(2),
        ),
    )
}

/// Starts the scripted origin on 127.0.0.1 and returns its address. Routes:
/// `/image` a PNG; `/redirect?to=URL` a 302; `/chain/N` N more 302 hops then the PNG;
/// `/huge` Content-Length 50 MB; `/endless` a never-ending chunked body; `/drip` one byte a
/// second; `/missing` 404; `/html` an HTML page served as image/png.
pub async fn start_origin(png: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let png = Arc::new(png);
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let png = png.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                let send = |s: String| s.into_bytes();
                match path {
                    "/image" => {
                        let mut r = send(format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            png.len()
                        ));
                        r.extend_from_slice(&png);
                        let _ = sock.write_all(&r).await;
                    }
                    "/redirect" => {
                        let to = query.strip_prefix("to=").unwrap_or("/image");
                        let to = url::form_urlencoded::parse(format!("x={to}").as_bytes())
                            .next()
                            .map(|(_, v)| v.into_owned())
                            .unwrap_or_default();
                        let _ = sock
                            .write_all(&send(format!(
                                "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            )))
                            .await;
                    }
                    p if p.starts_with("/chain/") => {
                        let n: u32 = p[7..].parse().unwrap_or(0);
                        let next = if n == 0 {
                            "/image".to_string()
                        } else {
                            format!("/chain/{}", n - 1)
                        };
                        let _ = sock
                            .write_all(&send(format!(
                                "HTTP/1.1 302 Found\r\nLocation: {next}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            )))
                            .await;
                    }
                    "/huge" => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 50000000\r\n\r\n")
                            .await;
                        let _ = sock.write_all(&vec![0u8; 65536]).await;
                    }
                    "/endless" => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .await;
                        let chunk = format!("{:x}\r\n{}\r\n", 65536, "A".repeat(65536));
                        for _ in 0..10_000 {
                            if sock.write_all(chunk.as_bytes()).await.is_err() {
                                break;
                            }
                        }
                    }
                    "/drip" => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n")
                            .await;
                        for _ in 0..30 {
                            if sock.write_all(b"x").await.is_err() {
                                break;
                            }
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                    "/html" => {
                        let body = "<html><script>alert(1)</script></html>";
                        let _ = sock
                            .write_all(&send(format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\r\n{body}",
                                body.len()
                            )))
                            .await;
                    }
                    _ => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .await;
                    }
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

pub const JPEG: &str = "photos/";

pub fn first_photo() -> Vec<u8> {
    let dir = thumbprint_tests::corpus_dir().join(JPEG);
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("photos")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg" || e == "jpeg"))
        .collect();
    names.sort();
    std::fs::read(&names[0]).expect("photo")
}

pub fn hopper() -> Vec<u8> {
    corpus_file("conformance/gif_static_hopper.gif")
}

pub async fn call(event: Value) -> Value {
    handle_event(&App::new(), event, "invocation-id").await
}

pub fn assert_image_response(r: &Value, mime: &str, expected: &[u8]) {
    assert_eq!(r["statusCode"], 200, "{r}");
    assert_eq!(r["isBase64Encoded"], true);
    assert_eq!(response_header(r, "content-type"), mime);
    assert_eq!(response_header(r, "x-content-type-options"), "nosniff");
    assert_eq!(
        response_header(r, "x-thumbprint-engine"),
        thumbprint_core::ENGINE_VERSION
    );
    assert!(response_header(r, "cache-control").is_string());
    let body = unb64(r["body"].as_str().expect("body"));
    assert_eq!(body, expected, "the HTTP bytes must equal the engine's");
    assert_eq!(response_header(r, "etag"), thumbprint_core::etag_for(&body));
}

//! The real `bootstrap` binary behind a Runtime API on loopback, as Lambda runs it: it polls for
//! events, and every event gets its answer posted back (never an invocation error): an HTTP API
//! 2.0 request for the page's version and for a thumbnail, a direct invoke, and malformed events
//! of both kinds.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// What the Runtime API has handed out and been given back.
#[derive(Default)]
struct Runtime {
    events: VecDeque<(String, Value)>,
    /// (request id, "response" or "error", body)
    answers: Vec<(String, String, Value)>,
}

/// One HTTP/1.1 request: method, path, body.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((method, path, body))
}

fn serve_connection(stream: TcpStream, runtime: Arc<Mutex<Runtime>>) {
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    while let Some((method, path, body)) = read_request(&mut reader) {
        if method == "GET" && path.ends_with("/runtime/invocation/next") {
            // Wait for an event; with none left, hold the poll as Lambda does when idle.
            let next = loop {
                if let Some(e) = runtime.lock().expect("runtime").events.pop_front() {
                    break e;
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            let (id, event) = next;
            let event = event.to_string();
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .as_millis()
                + 30_000;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                 lambda-runtime-aws-request-id: {id}\r\nlambda-runtime-deadline-ms: {deadline}\r\n\
                 lambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:thumbprint\r\n\
                 lambda-runtime-trace-id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700\r\n\
                 content-length: {}\r\n\r\n",
                event.len()
            );
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(event.as_bytes());
        } else {
            // POST .../invocation/{id}/response or .../error
            let mut segments = path.rsplit('/');
            let kind = segments.next().unwrap_or_default().to_string();
            let id = segments.next().unwrap_or_default().to_string();
            let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            runtime
                .lock()
                .expect("runtime")
                .answers
                .push((id, kind, value));
            let _ = writer.write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n");
        }
    }
}

/// Starts the Runtime API with `events` and the bootstrap against it; returns the answers once
/// every event has one (or after 60 s).
fn run_bootstrap(events: Vec<(String, Value)>) -> Vec<(String, String, Value)> {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = events.len();
    let runtime = Arc::new(Mutex::new(Runtime {
        events: events.into(),
        answers: Vec::new(),
    }));
    let shared = runtime.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let r = shared.clone();
            std::thread::spawn(move || serve_connection(stream, r));
        }
    });
    let mut child: Child = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "thumbprint")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/thumbprint")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bootstrap");
    let started = Instant::now();
    while runtime.lock().expect("runtime").answers.len() < count
        && started.elapsed() < Duration::from_secs(60)
    {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the bootstrap exited: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let answers = std::mem::take(&mut runtime.lock().expect("runtime").answers);
    answers
}

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/events")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn http_event(method: &str, path: &str, query: &str, body: &[u8]) -> Value {
    let mut e = fixture("apigw-v2-no-authorizer.json");
    e["rawPath"] = json!(path);
    e["rawQueryString"] = json!(query);
    e["requestContext"]["http"]["method"] = json!(method);
    e["requestContext"]["http"]["path"] = json!(path);
    e["headers"] = json!({"content-type": "image/jpeg"});
    e.as_object_mut()
        .expect("object")
        .remove("queryStringParameters");
    e["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
    e["isBase64Encoded"] = json!(!body.is_empty());
    e
}

#[test]
fn every_event_gets_its_answer_from_the_real_bootstrap() {
    let photo =
        std::fs::read(thumbprint_tests::corpus_dir().join("photos/rocket.jpg")).expect("photo");
    let options = thumbprint_core::Options::from_lookup(|name| match name {
        "width" => Some(thumbprint_core::RawValue::Text("64")),
        _ => None,
    })
    .expect("options");
    let expected = thumbprint_core::thumbnail(&photo, &options).expect("thumbnail");
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let answers = run_bootstrap(vec![
        ("version".into(), http_event("GET", "/version", "", b"")),
        (
            "thumbnail".into(),
            http_event("POST", "/thumbnail", "width=64", &photo),
        ),
        (
            "direct".into(),
            json!({"image_base64": b64(&photo), "width": 64}),
        ),
        ("bad-http".into(), json!({"requestContext": 5})),
        ("bad-direct".into(), json!([1, 2, 3])),
    ]);
    let by_id = |id: &str| {
        let (_, kind, value) = answers.iter().find(|(i, _, _)| i == id).unwrap_or_else(|| {
            panic!(
                "no answer for {id}: {:?}",
                answers.iter().map(|a| &a.0).collect::<Vec<_>>()
            )
        });
        assert_eq!(
            kind, "response",
            "{id} was answered as an invocation error: {value}"
        );
        value.clone()
    };
    let v = by_id("version");
    assert_eq!(v["statusCode"], 200, "{v}");
    let body: Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["engine"], thumbprint_core::ENGINE_VERSION, "{body}");

    let t = by_id("thumbnail");
    assert_eq!(t["statusCode"], 200, "{}", t["body"]);
    assert_eq!(t["isBase64Encoded"], true);
    assert_eq!(t["headers"]["content-type"], "image/png");
    assert_eq!(t["headers"]["etag"], expected.etag.as_str());
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(t["body"].as_str().expect("body"))
        .expect("base64");
    assert_eq!(bytes, expected.bytes);

    let d = by_id("direct");
    assert!(d.get("statusCode").is_none(), "{d}");
    assert_eq!(d["thumbnail_base64"], b64(&expected.bytes));
    assert_eq!(
        (d["width"].clone(), d["height"].clone()),
        (json!(64), json!(43))
    );

    let bad = by_id("bad-http");
    assert_eq!(bad["statusCode"], 400, "{bad}");
    let bad = by_id("bad-direct");
    assert!(bad.get("statusCode").is_none(), "{bad}");
    assert_eq!(bad["error"]["code"], "invalid_request", "{bad}");
}

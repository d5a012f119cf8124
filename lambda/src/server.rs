//! `thumbprint serve`: the service on a local port. Each real HTTP request is turned into an API
//! Gateway payload-2.0 event and handled by exactly the code the Lambda runs, so local behaviour
//! is Lambda behaviour (minus the JWT authorizer, which lives in API Gateway).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use base64::Engine;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};
use thumbprint_core::ErrorCode;

use crate::events::handle_event;
use crate::http::{error_response, App};
use crate::ServiceError;

/// API Gateway's HTTP API payload cap: bodies over it never reach the function.
pub const MAX_HTTP_BODY: usize = 10 * 1024 * 1024;

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn request_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("local-{t:x}-{n}")
}

/// Builds the payload-2.0 event API Gateway would send for this request.
pub fn v2_event(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
    request_id: &str,
) -> Value {
    let mut h = Map::new();
    for (k, v) in headers {
        let k = k.to_ascii_lowercase();
        let joined = match h.get(&k).and_then(Value::as_str) {
            Some(prev) => format!("{prev}, {v}"),
            None => v.clone(),
        };
        h.insert(k, Value::String(joined));
    }
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": h,
        "requestContext": {
            "accountId": "local",
            "apiId": "local",
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("user-agent")).map(|(_, v)| v.as_str()).unwrap_or("")
            },
            "requestId": request_id,
            "routeKey": "$default",
            "stage": "$default",
            "time": "",
            "timeEpoch": 0
        },
        "body": base64::engine::general_purpose::STANDARD.encode(body),
        "isBase64Encoded": true
    })
}

fn to_hyper(v: &Value) -> Response<Full<Bytes>> {
    let status = v["statusCode"].as_u64().unwrap_or(500) as u16;
    let body = v["body"].as_str().unwrap_or("");
    let bytes = if v["isBase64Encoded"].as_bool().unwrap_or(false) {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    };
    let mut builder = Response::builder().status(status);
    if let Some(headers) = v["headers"].as_object() {
        for (k, v) in headers {
            if let Some(v) = v.as_str() {
                builder = builder.header(k, v);
            }
        }
    }
    builder
        .body(Full::new(Bytes::from(bytes)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn error_hyper(code: ErrorCode, request_id: &str) -> Response<Full<Bytes>> {
    let r = error_response(&ServiceError::new(code), request_id);
    let mut builder = Response::builder().status(r.status);
    for (k, v) in &r.headers {
        builder = builder.header(k, v);
    }
    builder
        .body(Full::new(Bytes::from(r.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

async fn serve_one(
    app: Arc<App>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let id = request_id();
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(req.into_body(), MAX_HTTP_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(error_hyper(ErrorCode::PayloadTooLarge, &id)),
    };
    let event = v2_event(&method, &path, &query, &headers, &body, &id);
    let response = handle_event(&app, event, &id).await;
    Ok(to_hyper(&response))
}

/// Serves the app on `addr` until the process is stopped.
pub async fn serve(app: App, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    eprintln!("thumbprint: serving the API and the preview page on http://{local}/");
    run(app, listener).await
}

/// Serves on an already bound listener (tests bind port 0).
pub async fn run(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = Arc::new(app);
    loop {
        let (stream, _) = listener.accept().await?;
        let app = app.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| serve_one(app.clone(), req));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

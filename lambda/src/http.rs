//! The HTTP application: routes, the thumbnail endpoint and its responses. Every front door
//! (API Gateway 2.0 and 1.0, function URLs, the local server) turns its request into an
//! [`HttpRequest`] and its [`HttpResponse`] back; direct invokes use [`App::run`].

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use base64::Engine;
use futures_util::FutureExt;
use thumbprint_core::{ErrorCode, Thumbnail, ENGINE_VERSION};

use crate::fetch::{loggable, Fetcher};
use crate::request::{self, Source, ThumbRequest};
use crate::{assets, pipeline, ServiceError};

/// The OpenAPI document of the HTTP API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// A request, whatever door it came through. Header names are lower-case.
#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    /// HTTP method, upper-case.
    pub method: String,
    /// Path, without the query string.
    pub path: String,
    /// Raw query string, without `?`.
    pub query: String,
    /// Headers (lower-case names; repeated headers comma-joined).
    pub headers: Vec<(String, String)>,
    /// Body bytes (already base64-decoded when the event said so).
    pub body: Vec<u8>,
    /// The request id (API Gateway's or the Lambda invocation's).
    pub request_id: String,
    /// The JWT `sub` claim, when the authorizer supplied one.
    pub sub: Option<String>,
}

impl HttpRequest {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response, before the door turns it into its own shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Whether the body is binary (base64 in Lambda responses).
    pub binary: bool,
}

impl HttpResponse {
    /// The first header of that name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
img-src 'self' blob: data:; style-src 'self'; connect-src 'self'; object-src 'none'; \
base-uri 'none'; frame-ancestors 'none'";

fn base_headers(content_type: &str) -> Vec<(String, String)> {
    vec![
        ("content-type".into(), content_type.into()),
        ("x-content-type-options".into(), "nosniff".into()),
        ("x-thumbprint-engine".into(), ENGINE_VERSION.into()),
    ]
}

fn json_response(status: u16, value: &serde_json::Value) -> HttpResponse {
    let mut headers = base_headers("application/json");
    headers.push(("cache-control".into(), "no-store".into()));
    HttpResponse {
        status,
        headers,
        body: value.to_string().into_bytes(),
        binary: false,
    }
}

/// The error response of the design's table.
pub fn error_response(e: &ServiceError, request_id: &str) -> HttpResponse {
    json_response(e.status(), &e.to_json(Some(request_id)))
}

/// `GET /version`.
pub fn version_json() -> serde_json::Value {
    serde_json::json!({
        "engine": ENGINE_VERSION,
        "version": env!("CARGO_PKG_VERSION"),
        "target": env!("THUMBPRINT_TARGET"),
    })
}

/// Whether an `If-None-Match` value matches the strong ETag.
fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// Runs a response future; a panic inside becomes the `internal_error` response.
pub async fn guard<F>(request_id: &str, fut: F) -> HttpResponse
where
    F: std::future::Future<Output = HttpResponse>,
{
    AssertUnwindSafe(fut)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            error_response(&ServiceError::new(ErrorCode::InternalError), request_id)
        })
}

/// The service: shared by every front door.
#[derive(Clone)]
pub struct App {
    /// The `image_url` fetcher.
    pub fetcher: Fetcher,
    /// Engine runs at once: one per core, so memory is bounded by cores, not by clients.
    engine_slots: Arc<tokio::sync::Semaphore>,
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// The production app.
    pub fn new() -> Self {
        App::with_fetcher(Fetcher::new())
    }

    /// An app with a given fetcher (tests).
    pub fn with_fetcher(fetcher: Fetcher) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        App {
            fetcher,
            engine_slots: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    /// Gets the source bytes and runs the engine off the async threads, panics caught. What
    /// the engine can refuse from the header (not an image, over a budget) is refused before
    /// waiting for an engine slot, so cheap refusals never queue behind heavy work.
    pub async fn run(&self, request: ThumbRequest) -> Result<Thumbnail, ServiceError> {
        let bytes = match request.source {
            Source::Bytes(b) => b,
            Source::Url(url) => self.fetcher.fetch(&url).await?,
        };
        let options = request.options;
        let bytes = tokio::task::spawn_blocking(move || {
            pipeline::precheck(&bytes, &options).map(|()| bytes)
        })
        .await
        .unwrap_or_else(|_| Err(ServiceError::new(ErrorCode::InternalError)))?;
        let _slot = self
            .engine_slots
            .acquire()
            .await
            .map_err(|_| ServiceError::new(ErrorCode::InternalError))?;
        tokio::task::spawn_blocking(move || pipeline::run(&bytes, &options))
            .await
            .unwrap_or_else(|_| Err(ServiceError::new(ErrorCode::InternalError)))
    }

    /// Handles one request: routes it, catches any panic, logs one line.
    pub async fn handle(&self, req: &HttpRequest) -> HttpResponse {
        let start = Instant::now();
        let response = guard(&req.request_id, self.route(req)).await;
        tracing::info!(
            request_id = %req.request_id,
            method = %req.method,
            route = %req.path,
            status = response.status,
            in_bytes = req.body.len(),
            out_bytes = response.body.len(),
            duration_ms = start.elapsed().as_secs_f64() * 1000.0,
            sub = req.sub.as_deref().unwrap_or(""),
            "request"
        );
        response
    }

    async fn route(&self, req: &HttpRequest) -> HttpResponse {
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/thumbnail") => self.thumbnail(req).await,
            ("GET" | "HEAD", "/version") => json_response(200, &version_json()),
            ("GET" | "HEAD", "/openapi.json") => {
                let mut headers = base_headers("application/json");
                headers.push(("cache-control".into(), "no-cache".into()));
                HttpResponse {
                    status: 200,
                    headers,
                    body: OPENAPI.as_bytes().to_vec(),
                    binary: false,
                }
            }
            ("GET" | "HEAD", path) => match assets::get(path) {
                Some((mime, bytes)) => {
                    let mut headers = base_headers(mime);
                    headers.push(("cache-control".into(), "no-cache".into()));
                    if mime.starts_with("text/html") {
                        headers.push(("content-security-policy".into(), CSP.into()));
                        headers.push(("referrer-policy".into(), "no-referrer".into()));
                    }
                    HttpResponse {
                        status: 200,
                        headers,
                        body: bytes.to_vec(),
                        binary: !mime.starts_with("text/") && mime != "application/json",
                    }
                }
                None => error_response(&ServiceError::new(ErrorCode::NotFound), &req.request_id),
            },
            _ => error_response(&ServiceError::new(ErrorCode::NotFound), &req.request_id),
        }
    }

    async fn thumbnail(&self, req: &HttpRequest) -> HttpResponse {
        let parsed = request::from_http(req.header("content-type"), &req.query, req.body.clone());
        if let Ok(ThumbRequest {
            source: Source::Url(url),
            ..
        }) = &parsed
        {
            tracing::info!(request_id = %req.request_id, source = %loggable(url), "fetching source");
        }
        let result = match parsed {
            Ok(r) => self.run(r).await,
            Err(e) => Err(e),
        };
        let t = match result {
            Ok(t) => t,
            Err(e) => return error_response(&e, &req.request_id),
        };
        let wants_json = req.header("accept").is_some_and(|a| {
            a.split(',')
                .any(|m| request::media_type(m) == "application/json")
        });
        if wants_json {
            let mut v = pipeline::metadata_json(&t);
            v["thumbnail_base64"] = base64::engine::general_purpose::STANDARD
                .encode(&t.bytes)
                .into();
            let mut resp = json_response(200, &v);
            resp.headers.retain(|(k, _)| k != "cache-control");
            resp.headers.push(("etag".into(), t.etag.clone()));
            resp.headers
                .push(("cache-control".into(), "private, max-age=86400".into()));
            return resp;
        }
        let mut headers = base_headers(t.mime());
        headers.push(("etag".into(), t.etag.clone()));
        headers.push(("cache-control".into(), "private, max-age=86400".into()));
        if req
            .header("if-none-match")
            .is_some_and(|v| etag_matches(v, &t.etag))
        {
            return HttpResponse {
                status: 304,
                headers: headers
                    .into_iter()
                    .filter(|(k, _)| k != "content-type")
                    .collect(),
                body: Vec::new(),
                binary: false,
            };
        }
        HttpResponse {
            status: 200,
            headers,
            body: t.bytes,
            binary: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::etag_matches;

    #[test]
    fn if_none_match_lists() {
        assert!(etag_matches("\"a\", \"b\"", "\"b\""));
        assert!(etag_matches("W/\"b\"", "\"b\""));
        assert!(etag_matches("*", "\"b\""));
        assert!(!etag_matches("\"c\"", "\"b\""));
    }
}

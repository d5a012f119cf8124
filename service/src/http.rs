//! The HTTP application: one function from an `http::Request<Bytes>` to an
//! `http::Response<Full<Bytes>>` (routes, ETag/304, errors, the one panic guard, the log line).
//! The local server hands it hyper's requests; the Lambda hands it lambda_http's conversions of
//! API Gateway 2.0 and 1.0 and function-URL events ((`thumbprint-lambda`)); direct invokes use
//! [`App::run`].

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt;
use http::header::{HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use thumbprint_core::{ErrorCode, Format, Options, Thumbnail, ENGINE_VERSION};

use crate::auth::page::PageAuth;
use crate::fetch::{loggable, Fetcher};
use crate::request::{self, Source, ThumbRequest, Want};
use crate::signed::UrlConfig;
use crate::{assets, pipeline, ServiceError};

/// The response body type of every door.
pub type Body = Full<Bytes>;

/// What a front door knows of a request beyond HTTP, carried in its extensions: the request id
/// (API Gateway's, the invocation's, or the local server's) and the authorizer's `sub` claim.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The request id.
    pub request_id: String,
    /// The JWT `sub` claim, when an authorizer supplied one.
    pub sub: Option<String>,
}

/// The OpenAPI document of the HTTP API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// The page's Content-Security-Policy; `connect` adds the token endpoint's origin when the page
/// signs in (it exchanges the code there with `fetch`). `https:` in connect-src lets the page
/// read an `image_url` itself, when the image's site allows cross-origin reads, to preview it.
/// `img` adds where signed image URLs are asked when that is not here (the CDN's address).
fn csp(connect: Option<&str>, img: Option<&str>) -> String {
    let extra = connect.map(|o| format!(" {o}")).unwrap_or_default();
    let img = img.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
img-src 'self' blob: data:{img}; style-src 'self'; connect-src 'self' https:{extra}; object-src 'none'; \
base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The origin (scheme, host, port) of an address, for a CSP source.
fn origin_of(address: &str) -> Option<String> {
    let url = url::Url::parse(address).ok()?;
    url.has_host().then(|| url.origin().ascii_serialization())
}

pub(crate) fn base_headers(content_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("content-type", content_type.into()),
        ("x-content-type-options", "nosniff".into()),
        ("x-thumbprint-engine", ENGINE_VERSION.into()),
    ]
}

/// Builds a response. Header values are ours (ASCII), so the builder cannot fail on them; if it
/// ever did, the answer is a bare 500 rather than a panic.
pub(crate) fn respond(
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Bytes,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        match HeaderValue::from_str(&value) {
            Ok(v) => {
                response
                    .headers_mut()
                    .append(HeaderName::from_static(name), v);
            }
            Err(_) => *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    response
}

fn json_response(status: u16, value: &serde_json::Value) -> Response<Body> {
    json_cached(status, value, "no-store")
}

fn json_cached(status: u16, value: &serde_json::Value, cache_control: &str) -> Response<Body> {
    let mut headers = base_headers("application/json");
    headers.push(("cache-control", cache_control.into()));
    respond(status, headers, Bytes::from(value.to_string()))
}

/// The error response of the design's table.
pub fn error_response(e: &ServiceError, request_id: &str) -> Response<Body> {
    cached_error_response(e, request_id, "no-store")
}

/// The error response with its own `Cache-Control` (signed URLs let a CDN keep some briefly).
pub(crate) fn cached_error_response(
    e: &ServiceError,
    request_id: &str,
    cache_control: &str,
) -> Response<Body> {
    e.log(request_id);
    json_cached(e.status(), &e.to_json(Some(request_id)), cache_control)
}

/// The value of header `name`, repeated headers comma-joined (as API Gateway joins them).
pub(crate) fn header<B>(req: &Request<B>, name: &str) -> Option<String> {
    let mut values = req.headers().get_all(name).iter();
    let first = String::from_utf8_lossy(values.next()?.as_bytes()).into_owned();
    Some(values.fold(first, |mut joined, v| {
        joined.push_str(", ");
        joined.push_str(&String::from_utf8_lossy(v.as_bytes()));
        joined
    }))
}

/// The path as logged: a route of the API or the page as it is; anything else (a signed URL,
/// whose path holds its signature and source) as `/…`, the signed URL's own line giving its
/// options and source kind.
fn loggable_route(path: &str) -> String {
    let fixed = matches!(
        path,
        "/thumbnail" | "/sign" | "/version" | "/auth-config" | "/openapi.json"
    );
    if fixed || assets::get(path).is_some() {
        path.to_string()
    } else {
        "/…".to_string()
    }
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
pub(crate) fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// Runs a response future; a panic inside becomes the `internal_error` response. The one panic
/// guard of the HTTP doors (the engine's own is in [`crate::pipeline`]).
pub async fn guard<F>(request_id: &str, fut: F) -> Response<Body>
where
    F: std::future::Future<Output = Response<Body>>,
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
    /// How the page signs in (`GET /auth-config`), when it can.
    page_auth: Option<Arc<PageAuth>>,
    /// The page's Content-Security-Policy.
    csp: Arc<str>,
    /// Signed image URLs' keys and sources; `None` refuses them (404).
    pub(crate) urls: Option<Arc<UrlConfig>>,
    /// Thumbnails on upload (S3 events); `None` refuses such events.
    pub(crate) uploads: Option<Arc<crate::upload::UploadConfig>>,
    /// Whether `auto` may answer AVIF ([`crate::negotiate`]).
    pub(crate) auto_avif: bool,
    /// TEST ONLY (feature `test-support`): every request panics inside the handler, so that
    /// tests can prove each door turns a panic into `internal_error`.
    #[cfg(feature = "test-support")]
    panics: bool,
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
            page_auth: None,
            csp: csp(None, None).into(),
            urls: None,
            uploads: None,
            auto_avif: crate::negotiate::auto_avif_from_env(),
            #[cfg(feature = "test-support")]
            panics: false,
        }
    }

    /// The app with the page's sign-in settings (`GET /auth-config`; the CSP lets the page
    /// reach the token endpoint).
    pub fn with_page_auth(mut self, page_auth: Option<PageAuth>) -> Self {
        self.page_auth = page_auth.map(Arc::new);
        self.with_csp()
    }

    /// The app with signed image URLs (`GET /{signature}/{options}/{source}`); without them,
    /// such paths are `not_found`.
    pub fn with_urls(mut self, urls: Option<UrlConfig>) -> Self {
        self.urls = urls.map(Arc::new);
        self.with_csp()
    }

    /// The app with thumbnails on upload (S3 events); without them, such events fail.
    pub fn with_uploads(mut self, uploads: Option<crate::upload::UploadConfig>) -> Self {
        self.uploads = uploads.map(Arc::new);
        self
    }

    /// The app with AVIF allowed in `auto` or not (default: `THUMBPRINT_AUTO_AVIF`).
    pub fn with_auto_avif(mut self, allowed: bool) -> Self {
        self.auto_avif = allowed;
        self
    }

    /// Settles `auto` members of `request` from `accept`; whether any was `auto` (the answer then
    /// varies with `Accept`).
    fn negotiate(&self, request: &mut ThumbRequest, accept: Option<&str>) -> bool {
        let settle = |o: &mut Options| {
            let auto = o.format == Format::Auto;
            o.format = crate::negotiate::choose(o.format, o.lossless, accept, self.auto_avif);
            auto
        };
        match &mut request.want {
            Want::One(o) => settle(o),
            Want::Set(members) => {
                // Every member is settled (no short circuit).
                let mut any = false;
                for o in members.iter_mut().filter_map(|m| m.as_mut().ok()) {
                    any |= settle(o);
                }
                any
            }
        }
    }

    /// The page's CSP for the sign-in and signed URL settings.
    fn with_csp(mut self) -> Self {
        let connect = self.page_auth.as_deref().and_then(PageAuth::connect_origin);
        let img = self
            .urls
            .as_deref()
            .and_then(|u| u.base_url.as_deref())
            .and_then(origin_of);
        self.csp = csp(connect.as_deref(), img.as_deref()).into();
        self
    }

    /// TEST ONLY (feature `test-support`): an app whose every request panics in the handler.
    #[cfg(feature = "test-support")]
    pub fn panicking(mut self) -> Self {
        self.panics = true;
        self
    }

    /// Panics when this is a panicking test app; nothing otherwise.
    pub(crate) fn panic_if_asked(&self) {
        #[cfg(feature = "test-support")]
        if self.panics {
            panic!("a panic asked for by the test");
        }
    }

    /// Gets the source bytes and runs the engine off the async threads, panics caught. What
    /// the engine can refuse from the header (not an image, over a budget) is refused before
    /// waiting for an engine slot, so cheap refusals never queue behind heavy work.
    pub async fn run(&self, request: ThumbRequest) -> Result<Thumbnail, ServiceError> {
        self.run_with(request, false).await
    }

    /// [`App::run`]; with `avif_fallback` (the format was `auto`, settled as AVIF), an AVIF
    /// over [`thumbprint_core::Limits::max_avif_pixels`] is made as WebP instead.
    pub async fn run_with(
        &self,
        request: ThumbRequest,
        avif_fallback: bool,
    ) -> Result<Thumbnail, ServiceError> {
        self.panic_if_asked();
        let mut options = match request.want {
            Want::One(o) => o,
            Want::Set(_) => {
                return Err(ServiceError::with_message(
                    ErrorCode::InvalidRequest,
                    "sizes is not accepted here",
                ))
            }
        };
        let bytes = self.source_bytes(request.source).await?;
        let (bytes, checked) = tokio::task::spawn_blocking(move || {
            let mut result = pipeline::precheck(&bytes, &options);
            if avif_fallback
                && options.format == Format::Avif
                && result
                    .as_ref()
                    .is_err_and(|e| e.code == ErrorCode::OutputTooLarge)
            {
                options.format = Format::Webp;
                result = pipeline::precheck(&bytes, &options);
            }
            result.map(|()| (bytes, options))
        })
        .await
        .unwrap_or_else(|_| Err(ServiceError::new(ErrorCode::InternalError)))?;
        options = checked;
        let _slot = self
            .engine_slots
            .acquire()
            .await
            .map_err(|_| ServiceError::new(ErrorCode::InternalError))?;
        tokio::task::spawn_blocking(move || pipeline::run(&bytes, &options))
            .await
            .unwrap_or_else(|_| Err(ServiceError::new(ErrorCode::InternalError)))
    }

    async fn source_bytes(&self, source: Source) -> Result<Vec<u8>, ServiceError> {
        match source {
            Source::Bytes(b) => Ok(b),
            Source::Url(url) => self.fetcher.fetch(&url).await,
        }
    }

    /// Runs a set in one engine slot: each member's result, in order. A source that is not an
    /// image, or is broken, fails the set as a whole (every member would fail the same way), as
    /// a single request would; any other failure stays with its member.
    pub async fn run_set(
        &self,
        source: Source,
        members: Vec<Result<Options, ServiceError>>,
    ) -> Result<Vec<Result<Thumbnail, ServiceError>>, ServiceError> {
        let bytes = self.source_bytes(source).await?;
        // The single path's cheap checks (format, header, budgets) for each member, before
        // waiting for an engine slot: a set fed by untrusted uploads is refused as cheaply.
        let (bytes, members) = tokio::task::spawn_blocking(move || {
            let checked: Vec<Result<Options, ServiceError>> = members
                .into_iter()
                .map(|m| m.and_then(|o| pipeline::precheck(&bytes, &o).map(|()| o)))
                .collect();
            (bytes, checked)
        })
        .await
        .map_err(|_| ServiceError::new(ErrorCode::InternalError))?;
        let valid: Vec<Options> = members
            .iter()
            .filter_map(|m| m.as_ref().ok().copied())
            .collect();
        let made = if valid.is_empty() {
            Vec::new()
        } else {
            let _slot = self
                .engine_slots
                .acquire()
                .await
                .map_err(|_| ServiceError::new(ErrorCode::InternalError))?;
            tokio::task::spawn_blocking(move || pipeline::run_set(&bytes, &valid))
                .await
                .map_err(|_| ServiceError::new(ErrorCode::InternalError))?
        };
        let mut made = made.into_iter();
        let results: Vec<Result<Thumbnail, ServiceError>> = members
            .into_iter()
            .map(|m| match m {
                Err(e) => Err(e),
                Ok(_) => made
                    .next()
                    .unwrap_or_else(|| Err(ServiceError::new(ErrorCode::InternalError))),
            })
            .collect();
        let input_error = |r: &Result<Thumbnail, ServiceError>| match r {
            Err(e)
                if matches!(
                    e.code,
                    ErrorCode::UnsupportedFormat | ErrorCode::CorruptImage
                ) =>
            {
                Some(e.clone())
            }
            _ => None,
        };
        if let Some(first) = results.first().and_then(input_error) {
            if results
                .iter()
                .all(|r| input_error(r).is_some_and(|e| e == first))
            {
                return Err(first);
            }
        }
        Ok(results)
    }

    /// Handles one request: routes it, catches any panic, logs one line.
    pub async fn handle(&self, req: Request<Bytes>) -> Response<Body> {
        let start = Instant::now();
        let meta = req
            .extensions()
            .get::<RequestMeta>()
            .cloned()
            .unwrap_or_default();
        let (method, route, in_bytes) = (
            req.method().clone(),
            loggable_route(req.uri().path()),
            req.body().len(),
        );
        let response = guard(&meta.request_id, self.route(req, &meta)).await;
        tracing::info!(
            request_id = %meta.request_id,
            method = %method,
            route = %route,
            status = response.status().as_u16(),
            in_bytes = in_bytes,
            out_bytes = http_body::Body::size_hint(response.body()).exact().unwrap_or(0),
            duration_ms = start.elapsed().as_secs_f64() * 1000.0,
            sub = meta.sub.as_deref().unwrap_or(""),
            "request"
        );
        response
    }

    async fn route(&self, req: Request<Bytes>, meta: &RequestMeta) -> Response<Body> {
        self.panic_if_asked();
        if req.method() == http::Method::POST && req.uri().path() == "/thumbnail" {
            return self.thumbnail(req, meta).await;
        }
        if req.method() == http::Method::POST && req.uri().path() == "/sign" {
            return self.sign(req.body(), meta);
        }
        match (req.method().as_str(), req.uri().path()) {
            ("GET" | "HEAD", "/version") => json_response(200, &version_json()),
            ("GET" | "HEAD", "/auth-config") => match &self.page_auth {
                Some(auth) => json_response(200, &serde_json::json!(auth.as_ref())),
                // No sign-in here: an answer, not an error (the page asks on every load).
                None => {
                    let mut headers = base_headers("");
                    headers.retain(|(k, _)| *k != "content-type");
                    respond(204, headers, Bytes::new())
                }
            },
            ("GET" | "HEAD", "/openapi.json") => {
                let mut headers = base_headers("application/json");
                headers.push(("cache-control", "no-cache".into()));
                respond(200, headers, Bytes::from_static(OPENAPI.as_bytes()))
            }
            ("GET" | "HEAD", path) => match assets::get(path) {
                Some((mime, bytes)) => {
                    let mut headers = base_headers(mime);
                    headers.push(("cache-control", "no-cache".into()));
                    if mime.starts_with("text/html") {
                        headers.push(("content-security-policy", self.csp.to_string()));
                        headers.push(("referrer-policy", "no-referrer".into()));
                    }
                    respond(200, headers, Bytes::from_static(bytes))
                }
                None => match self.signed_url(&req, meta).await {
                    Some(response) => response,
                    None => {
                        error_response(&ServiceError::new(ErrorCode::NotFound), &meta.request_id)
                    }
                },
            },
            _ => error_response(&ServiceError::new(ErrorCode::NotFound), &meta.request_id),
        }
    }

    /// Takes the request by value: the body (up to the 6 MB cap) moves to the engine, uncopied.
    async fn thumbnail(&self, req: Request<Bytes>, meta: &RequestMeta) -> Response<Body> {
        let (parts, body) = req.into_parts();
        let req = &Request::from_parts(parts, ());
        let content_type = header(req, "content-type");
        let parsed = request::from_http(
            content_type.as_deref(),
            req.uri().query().unwrap_or(""),
            Vec::from(body),
        );
        if let Ok(ThumbRequest {
            source: Source::Url(url),
            ..
        }) = &parsed
        {
            tracing::info!(request_id = %meta.request_id, source = %loggable(url), "fetching source");
        }
        let accept = header(req, "accept");
        let mut parsed = parsed;
        let negotiated = parsed
            .as_mut()
            .is_ok_and(|r| self.negotiate(r, accept.as_deref()));
        let parsed = match parsed {
            Ok(ThumbRequest {
                source,
                want: Want::Set(members),
            }) => return self.set_response(source, members, meta, negotiated).await,
            other => other,
        };
        let result = match parsed {
            Ok(r) => self.run_with(r, negotiated).await,
            Err(e) => Err(e),
        };
        let t = match result {
            Ok(t) => t,
            Err(e) => return error_response(&e, &meta.request_id),
        };
        let wants_json = header(req, "accept").is_some_and(|a| {
            a.split(',')
                .any(|m| request::media_type(m) == "application/json")
        });
        if wants_json {
            let v = pipeline::Success::with_bytes(&t).to_json();
            let mut headers = base_headers("application/json");
            headers.push(("etag", t.etag.clone()));
            headers.push(("cache-control", "private, max-age=86400".into()));
            if negotiated {
                headers.push(("vary", "Accept".into()));
            }
            return respond(200, headers, Bytes::from(v.to_string()));
        }
        let mut headers = base_headers(t.mime());
        headers.push(("etag", t.etag.clone()));
        headers.push(("cache-control", "private, max-age=86400".into()));
        if negotiated {
            headers.push(("vary", "Accept".into()));
        }
        if header(req, "if-none-match").is_some_and(|v| etag_matches(&v, &t.etag)) {
            headers.retain(|(k, _)| *k != "content-type");
            return respond(304, headers, Bytes::new());
        }
        respond(200, headers, Bytes::from(t.bytes))
    }
}

impl App {
    /// `POST /sign` ([`crate::signed::sign`]): `not_found` without signed URLs.
    fn sign(&self, body: &[u8], meta: &RequestMeta) -> Response<Body> {
        let Some(config) = &self.urls else {
            return error_response(&ServiceError::new(ErrorCode::NotFound), &meta.request_id);
        };
        match crate::signed::sign::sign_paths(config, body) {
            Ok(answer) => json_response(200, &answer),
            Err(e) => error_response(&e, &meta.request_id),
        }
    }

    /// A set's answer: always JSON (`{"thumbnails": [...]}`), whatever the Accept header.
    async fn set_response(
        &self,
        source: Source,
        members: Vec<Result<Options, ServiceError>>,
        meta: &RequestMeta,
        negotiated: bool,
    ) -> Response<Body> {
        let body = match self.run_set(source, members).await {
            Ok(results) => {
                pipeline::set_json(&results, |t| pipeline::Success::with_bytes(t).to_json())
            }
            Err(e) => Err(e),
        };
        match body {
            Ok(body) => {
                let mut headers = base_headers("application/json");
                headers.push(("cache-control", "private, max-age=86400".into()));
                if negotiated {
                    headers.push(("vary", "Accept".into()));
                }
                respond(200, headers, Bytes::from(body))
            }
            Err(e) => error_response(&e, &meta.request_id),
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

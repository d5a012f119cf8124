//! `thumbprint serve`: the service on a local port. A request goes from hyper straight to the
//! application's handler ([`App::handle`], the same one the Lambda's event adapter calls) and
//! back: no event is built, nothing is base64-encoded or parsed twice. With an [`Authorizer`]
//! (`--jwt-issuer`, `--dev-auth`), `POST /thumbnail` is guarded as API Gateway's JWT authorizer
//! guards it: a refused token gets the gateway's 401/403 before the body is read, an accepted
//! one reaches the handler with its claims' `sub`, as the gateway's event carries it.
//!
//! It holds up as a front door: a connection limit, a deadline for each request's headers (also
//! closing idle keep-alive connections) and for its body, the body cap enforced from
//! `Content-Length` and while reading, and a bound on how many bodies are buffered at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use thumbprint_core::ErrorCode;
use tokio::sync::Semaphore;

use thumbprint_service::auth::{denial_response, Authorizer};
use thumbprint_service::http::{error_response, App, RequestMeta};
use thumbprint_service::ServiceError;

/// The largest body that can reach the function: Lambda's synchronous invoke payload (6 MB).
pub const MAX_HTTP_BODY: usize = 6 * 1024 * 1024;
/// Connections served at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 256;
/// Request bodies being read at once (each up to [`MAX_HTTP_BODY`]).
pub const BODY_SLOTS: usize = 16;
/// Time for a request's headers to arrive, and for an idle keep-alive connection to send one.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time for a request's body to arrive (API Gateway's integration timeout).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn request_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("local-{t:x}-{n}")
}

fn error_hyper(code: ErrorCode, request_id: &str) -> Response<Full<Bytes>> {
    error_response(&ServiceError::new(code), request_id)
}

/// Why a body was not read.
enum BodyError {
    TooLarge,
    TimedOut,
    Broken,
}

/// Reads a body under the cap: refused at once when `Content-Length` says it is too large,
/// else read frame by frame into one buffer sized from `Content-Length`, within
/// [`BODY_TIMEOUT`].
async fn read_body(
    body: Incoming,
    content_length: Option<usize>,
    shared: &Shared,
) -> Result<Vec<u8>, BodyError> {
    if content_length.is_some_and(|n| n > MAX_HTTP_BODY) {
        return Err(BodyError::TooLarge);
    }
    let _slot = shared
        .body_slots
        .acquire()
        .await
        .map_err(|_| BodyError::Broken)?;
    let read = async {
        let mut body = body;
        let mut buf = Vec::with_capacity(content_length.unwrap_or(0));
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| BodyError::Broken)?;
            if let Some(data) = frame.data_ref() {
                if buf.len() + data.len() > MAX_HTTP_BODY {
                    return Err(BodyError::TooLarge);
                }
                buf.extend_from_slice(data);
            }
        }
        Ok(buf)
    };
    tokio::time::timeout(shared.body_timeout, read)
        .await
        .map_err(|_| BodyError::TimedOut)?
}

/// The front door's limits (the constants above by default; tests shorten the deadlines).
#[derive(Debug, Clone, Copy)]
pub struct DoorLimits {
    /// Connections served at once.
    pub connections: usize,
    /// Bodies read at once.
    pub body_slots: usize,
    /// Deadline for headers (and idle keep-alive).
    pub header_timeout: Duration,
    /// Deadline for a body.
    pub body_timeout: Duration,
}

impl Default for DoorLimits {
    fn default() -> Self {
        DoorLimits {
            connections: MAX_CONNECTIONS,
            body_slots: BODY_SLOTS,
            header_timeout: HEADER_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
        }
    }
}

/// The shared state of the server: the app, the authorizer, the body slots and the deadlines.
struct Shared {
    app: App,
    authorizer: Option<Arc<Authorizer>>,
    body_slots: Semaphore,
    body_timeout: Duration,
}

/// The routes the JWT authorizer guards (Terraform's `protected_routes`).
pub fn protected(method: &hyper::Method, path: &str) -> bool {
    method == hyper::Method::POST && matches!(path, "/thumbnail" | "/sign")
}

async fn serve_one(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let id = request_id();
    let mut sub = None;
    if let Some(authorizer) = shared
        .authorizer
        .as_ref()
        .filter(|_| protected(req.method(), req.uri().path()))
    {
        let header = req
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        match authorizer.authorize(header.as_deref()).await {
            Ok(granted) => sub = granted.claims.get("sub").cloned(),
            Err(denial) => {
                let response = denial_response(denial, authorizer.rules());
                // The gateway's access log has this line; the function never sees the request.
                tracing::info!(
                    request_id = %id,
                    method = %req.method(),
                    route = %req.uri().path(),
                    status = response.status().as_u16(),
                    "refused by the authorizer"
                );
                return Ok(response);
            }
        }
    }
    let content_length = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let (parts, body) = req.into_parts();
    let body = match read_body(body, content_length, &shared).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return Ok(error_hyper(ErrorCode::PayloadTooLarge, &id)),
        // A body that stops or stalls ends the connection: there is no one to answer.
        Err(BodyError::TimedOut | BodyError::Broken) => {
            return Err(std::io::Error::from(std::io::ErrorKind::TimedOut))
        }
    };
    let mut request = Request::from_parts(parts, Bytes::from(body));
    request.extensions_mut().insert(RequestMeta {
        request_id: id,
        sub,
    });
    Ok(shared.app.handle(request).await)
}

/// Serves on an already bound listener (tests bind port 0), `POST /thumbnail` guarded by
/// `authorizer` when there is one.
pub async fn run(
    app: App,
    listener: tokio::net::TcpListener,
    authorizer: Option<Arc<Authorizer>>,
) -> std::io::Result<()> {
    run_with(app, listener, DoorLimits::default(), authorizer).await
}

/// [`run`] with other limits.
pub async fn run_with(
    app: App,
    listener: tokio::net::TcpListener,
    limits: DoorLimits,
    authorizer: Option<Arc<Authorizer>>,
) -> std::io::Result<()> {
    let shared = Arc::new(Shared {
        app,
        authorizer,
        body_slots: Semaphore::new(limits.body_slots),
        body_timeout: limits.body_timeout,
    });
    let connections = Arc::new(Semaphore::new(limits.connections));
    loop {
        // At the limit, new connections wait in the kernel's listen queue.
        let permit = connections
            .clone()
            .acquire_owned()
            .await
            .map_err(std::io::Error::other)?;
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| serve_one(shared.clone(), req));
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), svc)
                .await;
            drop(permit);
        });
    }
}

//! The Lambda's event adapter. API Gateway HTTP API (payload 2.0), function URLs and REST API
//! (payload 1.0) events are lambda_http's: it reads them into an `http::Request` and writes the
//! application's `http::Response` back in the shape each origin expects. The one extra shape is
//! the direct invoke with the seed's raw JSON, taken when the event is not an HTTP event. No
//! error or panic leaves as a malformed response.
//!
//! Three small pieces are ours. The test for "is this an HTTP event": lambda_http's
//! `LambdaRequest` deserializer is tried only on events with a `requestContext`, so a direct
//! invoke is never mistaken for a REST event whose fields all default. The answer to an HTTP event
//! it cannot read: `LambdaResponse::from_response` is crate-private, so that one proxy response is
//! written here. And a host check: lambda_http builds the request URI from the `Host` header or
//! the context's domain name with `Url::parse(..).unwrap()`, which panics on a name that is not a
//! valid host (AWS's own function-URL sample has `<url-id>` in it), so such a host is dropped
//! before the conversion (the routes never use it), and the conversion runs under a panic guard.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use bytes::Bytes;
use lambda_http::request::{LambdaRequest, RequestContext};
use lambda_http::{Context, LambdaEvent, RequestExt, Service};
use serde::Deserialize;
use serde_json::{json, Value};
use thumbprint_core::ErrorCode;

use thumbprint_service::http::{App, RequestMeta};
use thumbprint_service::{request, ServiceError};

/// The one field every HTTP event has and a direct invoke never has.
#[derive(Deserialize)]
struct Sniff {
    #[serde(rename = "requestContext")]
    request_context: Option<serde::de::IgnoredAny>,
}

/// Handles any event the function receives, as its JSON text: an S3 notification by the upload
/// trigger (whose failure is the invocation's, so that Lambda retries it), an S3 Batch
/// Operations invocation by the backfill (a result per task, always an answer), anything else
/// by [`handle_event`] (whose errors are answers).
pub async fn handle(app: &App, event: &str, context: Context) -> Result<Value, ServiceError> {
    if crate::uploads::is_s3_test_event(event) {
        tracing::info!(request_id = %context.request_id, "S3's test event: the notification reaches the function");
        return Ok(serde_json::json!({ "records": [] }));
    }
    if crate::backfill::is_batch_event(event) {
        let request_id = context.request_id.clone();
        return Ok(
            AssertUnwindSafe(crate::backfill::handle(app, event, &request_id))
                .catch_unwind()
                .await
                .unwrap_or_else(|_| {
                    ServiceError::new(ErrorCode::InternalError).log(&request_id);
                    crate::backfill::failed_all(
                        event,
                        "internal_error: the engine failed on this object",
                    )
                }),
        );
    }
    if crate::uploads::is_s3_event(event) {
        let request_id = context.request_id.clone();
        return AssertUnwindSafe(crate::uploads::handle(app, event, &request_id))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                let e = ServiceError::new(ErrorCode::InternalError);
                e.log(&request_id);
                Err(e)
            });
    }
    Ok(handle_event(app, event, context).await)
}

/// Handles any event but an S3 notification, as its JSON text.
pub async fn handle_event(app: &App, event: &str, context: Context) -> Value {
    let is_http = serde_json::from_str::<Sniff>(event).is_ok_and(|s| s.request_context.is_some());
    if !is_http {
        // The HTTP doors have the application's guard; a direct invoke gets its own here, so
        // that no panic reaches the runtime (which would answer with its own error shape).
        let request_id = context.request_id.clone();
        return AssertUnwindSafe(direct(app, event, &context.request_id))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                let e = ServiceError::new(ErrorCode::InternalError);
                e.log(&request_id);
                e.to_json(Some(&request_id))
            });
    }
    match serde_json::from_str::<LambdaRequest>(event) {
        Ok(request) => http_event(app, without_invalid_host(request), context).await,
        Err(_) => unreadable_http_event(&context.request_id),
    }
}

/// Whether lambda_http can build a URL with `host` as its authority.
fn valid_host(host: &str) -> bool {
    url::Url::parse(&format!("https://{host}/")).is_ok()
}

/// The event without a `Host` header or domain name that lambda_http's URI building would panic
/// Drops a `Host` header (from `headers` and any `more` maps) and a domain name that lambda_http's
/// URI building would panic on.
fn drop_invalid_host(
    headers: &mut http::HeaderMap,
    more: Option<&mut http::HeaderMap>,
    domain_name: &mut Option<String>,
) {
    let host_ok = headers
        .get(http::header::HOST)
        .is_none_or(|h| h.to_str().is_ok_and(valid_host));
    if !host_ok {
        headers.remove(http::header::HOST);
        if let Some(more) = more {
            more.remove(http::header::HOST);
        }
    }
    if domain_name.as_deref().is_some_and(|d| !valid_host(d)) {
        *domain_name = None;
    }
}

/// The event without a `Host` header or domain name that lambda_http's URI building would panic
/// on.
fn without_invalid_host(mut request: LambdaRequest) -> LambdaRequest {
    match &mut request {
        LambdaRequest::ApiGatewayV2(e) => {
            drop_invalid_host(&mut e.headers, None, &mut e.request_context.domain_name)
        }
        LambdaRequest::ApiGatewayV1(e) => drop_invalid_host(
            &mut e.headers,
            Some(&mut e.multi_value_headers),
            &mut e.request_context.domain_name,
        ),
        _ => {}
    }
    request
}

/// An HTTP event through lambda_http's conversions and the application.
async fn http_event(app: &App, request: LambdaRequest, context: Context) -> Value {
    let invocation_id = context.request_id.clone();
    let app = app.clone();
    let mut adapter = lambda_http::Adapter::from(lambda_http::service_fn(
        move |req: lambda_http::Request| {
            let app = app.clone();
            let invocation_id = invocation_id.clone();
            async move { Ok::<_, Infallible>(app.handle(into_app_request(req, &invocation_id)).await) }
        },
    ));
    let request_id = context.request_id.clone();
    // The application guards itself; this guards lambda_http's conversions around it.
    let call = AssertUnwindSafe(adapter.call(LambdaEvent::new(request, context))).catch_unwind();
    match call.await {
        Ok(Ok(response)) => {
            serde_json::to_value(response).unwrap_or_else(|_| unreadable_http_event(&request_id))
        }
        Ok(Err(never)) => match never {},
        Err(_) => unreadable_http_event(&request_id),
    }
}

/// lambda_http's request as the application's: the body as bytes, the request id and the
/// authorizer's `sub` in [`RequestMeta`], and a REST API stage taken off the front of the path
/// (lambda_http adds it back to payload-1.0 paths; the routes are the API's own).
fn into_app_request(req: lambda_http::Request, invocation_id: &str) -> http::Request<Bytes> {
    let mut meta = RequestMeta {
        request_id: invocation_id.to_string(),
        sub: None,
    };
    let mut stage = None;
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => {
            if let Some(id) = &ctx.request_id {
                meta.request_id.clone_from(id);
            }
            meta.sub = ctx
                .authorizer
                .as_ref()
                .and_then(|a| a.jwt.as_ref())
                .and_then(|j| j.claims.get("sub").cloned());
        }
        Some(RequestContext::ApiGatewayV1(ctx)) => {
            if let Some(id) = &ctx.request_id {
                meta.request_id.clone_from(id);
            }
            meta.sub = ctx
                .authorizer
                .fields
                .get("claims")
                .and_then(|c| c.get("sub"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    ctx.authorizer
                        .jwt
                        .as_ref()
                        .and_then(|j| j.claims.get("sub").cloned())
                });
            stage = ctx.stage.clone();
        }
        _ => {}
    }
    let (mut parts, body) = req.into_parts();
    if let Some(stage) = stage.filter(|s| s != "$default") {
        let prefix = format!("/{stage}");
        let path = parts.uri.path();
        if let Some(rest) = path.strip_prefix(&prefix).filter(|r| r.starts_with('/')) {
            let rebuilt = match parts.uri.query() {
                Some(q) => format!("{rest}?{q}"),
                None => rest.to_string(),
            };
            if let Ok(uri) = rebuilt.parse() {
                parts.uri = uri;
            }
        }
    }
    let bytes = match body {
        lambda_http::Body::Empty => Bytes::new(),
        lambda_http::Body::Text(text) => Bytes::from(text),
        lambda_http::Body::Binary(bytes) => Bytes::from(bytes),
        // `Body` is non-exhaustive; a kind added later arrives as no body.
        _ => Bytes::new(),
    };
    let mut request = http::Request::from_parts(parts, bytes);
    request.extensions_mut().insert(meta);
    request
}

/// An event with a `requestContext` that lambda_http cannot read: a 400 in the proxy response
/// shape both payload versions accept.
fn unreadable_http_event(request_id: &str) -> Value {
    let error = ServiceError::with_message(ErrorCode::InvalidRequest, "malformed event");
    json!({
        "statusCode": error.status(),
        "headers": {"content-type": "application/json", "cache-control": "no-store"},
        "body": error.to_json(Some(request_id)).to_string(),
        "isBase64Encoded": false,
    })
}

/// A direct invoke: the seed's JSON in, `{"width","height","format","thumbnail_base64"}` out
/// (with `sizes`: `{"thumbnails": [...]}`), or the error object. Never a `statusCode` key.
async fn direct(app: &App, event: &str, request_id: &str) -> Value {
    let started = std::time::Instant::now();
    let answer = match request::from_json(event.as_bytes()) {
        Ok(request::ThumbRequest {
            source,
            want: request::Want::Set(members),
        }) => app.run_set(source, members).await.and_then(|results| {
            let body = thumbprint_service::pipeline::set_json(&results, |t| {
                thumbprint_service::pipeline::Success::direct(t).to_json()
            })?;
            serde_json::from_str(&body)
                .map_err(|_| ServiceError::new(thumbprint_core::ErrorCode::InternalError))
        }),
        Ok(r) => app
            .run(r)
            .await
            .map(|t| thumbprint_service::pipeline::Success::direct(&t).to_json()),
        Err(e) => Err(e),
    };
    let (value, status) = match answer {
        Ok(v) => (v, 200),
        Err(e) => {
            e.log(request_id);
            (e.to_json(Some(request_id)), e.status())
        }
    };
    tracing::info!(
        request_id = %request_id,
        method = "INVOKE",
        route = "direct",
        status = status,
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    value
}

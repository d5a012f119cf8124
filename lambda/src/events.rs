//! The Lambda front doors: API Gateway HTTP API (payload 2.0) and function URLs, REST API
//! (payload 1.0), and direct invokes with the seed's raw JSON. One function takes any of them,
//! told apart by their shape, and never lets an error or panic out as a malformed response.

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayV2httpRequest};
use base64::Engine;
use serde_json::{json, Map, Value};
use thumbprint_core::ErrorCode;

use crate::http::{App, HttpRequest, HttpResponse};
use crate::{request, ServiceError};

/// Which door an event came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// HTTP API payload 2.0 or a function URL.
    V2,
    /// REST API (or HTTP API payload 1.0).
    V1,
    /// A direct invoke with the JSON contract.
    Direct,
}

/// Tells the door from the event's shape.
pub fn door(event: &Value) -> Door {
    let ctx = event.get("requestContext");
    if event.get("version").and_then(Value::as_str) == Some("2.0")
        && ctx.and_then(|c| c.get("http")).is_some()
    {
        Door::V2
    } else if event.get("httpMethod").is_some() && ctx.is_some() {
        Door::V1
    } else {
        Door::Direct
    }
}

fn headers_of(map: &aws_lambda_events::http::HeaderMap) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in map {
        let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let k = name.as_str().to_ascii_lowercase();
        match out.iter_mut().find(|(n, _)| *n == k) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(&v);
            }
            None => out.push((k, v)),
        }
    }
    out
}

fn body_of(body: Option<String>, is_base64: bool) -> Result<Vec<u8>, ServiceError> {
    let body = body.unwrap_or_default();
    if is_base64 {
        base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|_| {
                ServiceError::with_message(
                    ErrorCode::InvalidRequest,
                    "the body is not valid base64",
                )
            })
    } else {
        Ok(body.into_bytes())
    }
}

/// Reads an event into its aws_lambda_events type (from the JSON text: the types' custom
/// deserializers expect it).
fn typed<T: serde::de::DeserializeOwned>(event: &Value) -> Result<T, ServiceError> {
    serde_json::from_str(&event.to_string())
        .map_err(|_| ServiceError::with_message(ErrorCode::InvalidRequest, "malformed event"))
}

/// Turns an HTTP API 2.0 / function URL event into a request.
fn from_v2(event: &Value, fallback_id: &str) -> Result<HttpRequest, ServiceError> {
    let e: ApiGatewayV2httpRequest = typed(event)?;
    let ctx = &e.request_context;
    let sub = ctx
        .authorizer
        .as_ref()
        .and_then(|a| a.jwt.as_ref())
        .and_then(|j| j.claims.get("sub").cloned());
    Ok(HttpRequest {
        method: ctx.http.method.as_str().to_ascii_uppercase(),
        path: e
            .raw_path
            .clone()
            .or_else(|| ctx.http.path.clone())
            .unwrap_or_else(|| "/".into()),
        query: e.raw_query_string.clone().unwrap_or_default(),
        headers: headers_of(&e.headers),
        request_id: ctx.request_id.clone().unwrap_or_else(|| fallback_id.into()),
        sub,
        body: body_of(e.body, e.is_base64_encoded)?,
    })
}

/// Turns a REST API (payload 1.0) event into a request.
fn from_v1(event: &Value, fallback_id: &str) -> Result<HttpRequest, ServiceError> {
    let e: ApiGatewayProxyRequest = typed(event)?;
    let ctx = &e.request_context;
    let sub = ctx
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
    // Payload 1.0 carries the query as a map; rebuild a query string in a stable order.
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in e.multi_value_query_string_parameters.iter() {
        pairs.push((k.to_string(), v.to_string()));
    }
    if pairs.is_empty() {
        for (k, v) in e.query_string_parameters.iter() {
            pairs.push((k.to_string(), v.to_string()));
        }
    }
    for (k, v) in &pairs {
        query.append_pair(k, v);
    }
    let mut headers = headers_of(&e.headers);
    for (k, v) in headers_of(&e.multi_value_headers) {
        if !headers.iter().any(|(n, _)| *n == k) {
            headers.push((k, v));
        }
    }
    Ok(HttpRequest {
        method: e.http_method.as_str().to_ascii_uppercase(),
        path: e.path.clone().unwrap_or_else(|| "/".into()),
        query: query.finish(),
        headers,
        request_id: ctx.request_id.clone().unwrap_or_else(|| fallback_id.into()),
        sub,
        body: body_of(e.body, e.is_base64_encoded)?,
    })
}

/// The proxy response object (both payload versions accept this shape).
fn to_proxy_response(r: HttpResponse) -> Value {
    let mut headers = Map::new();
    for (k, v) in r.headers {
        headers.insert(k, Value::String(v));
    }
    let body = if r.binary {
        base64::engine::general_purpose::STANDARD.encode(&r.body)
    } else {
        String::from_utf8_lossy(&r.body).into_owned()
    };
    json!({
        "statusCode": r.status,
        "headers": headers,
        "body": body,
        "isBase64Encoded": r.binary,
    })
}

/// A direct invoke: the seed's JSON in, `{"width","height","format","thumbnail_base64"}` out, or
/// the error object. Never a `statusCode` key.
async fn direct(app: &App, event: &Value, request_id: &str) -> Value {
    let started = std::time::Instant::now();
    let result = match request::from_json(event.to_string().as_bytes()) {
        Ok(r) => app.run(r).await,
        Err(e) => Err(e),
    };
    let (value, status) = match result {
        Ok(t) => (
            json!({
                "width": t.width,
                "height": t.height,
                "format": t.format.as_str(),
                "thumbnail_base64": base64::engine::general_purpose::STANDARD.encode(&t.bytes),
            }),
            200,
        ),
        Err(e) => (e.to_json(Some(request_id)), e.status()),
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

/// Handles any event the function receives. `request_id` is the invocation's id.
pub async fn handle_event(app: &App, event: Value, request_id: &str) -> Value {
    match door(&event) {
        Door::Direct => direct(app, &event, request_id).await,
        d => {
            let parsed = if d == Door::V2 {
                from_v2(&event, request_id)
            } else {
                from_v1(&event, request_id)
            };
            match parsed {
                Ok(req) => to_proxy_response(app.handle(&req).await),
                Err(e) => to_proxy_response(crate::http::error_response(&e, request_id)),
            }
        }
    }
}

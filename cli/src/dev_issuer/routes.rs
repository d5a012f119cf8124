//! The development issuer's HTTP endpoints (hyper, loopback only).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};

use super::{DevIssuer, OAuthError, PAGE_CLIENT_ID};

/// Largest form body read.
const MAX_FORM_BYTES: usize = 16 * 1024;

type Answer = Response<Full<Bytes>>;

fn answer(status: u16, content_type: &str, body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    if let Ok(v) = http::HeaderValue::from_str(content_type) {
        h.insert(http::header::CONTENT_TYPE, v);
    }
    h.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    h.insert(
        "x-content-type-options",
        http::HeaderValue::from_static("nosniff"),
    );
    r
}

/// The answer with CORS for any origin: the page (another origin, the API's port) calls the
/// token endpoint with fetch.
fn cors(mut r: Answer) -> Answer {
    r.headers_mut().insert(
        http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
        http::HeaderValue::from_static("*"),
    );
    r
}

fn json(status: u16, v: &serde_json::Value) -> Answer {
    cors(answer(status, "application/json", v.to_string()))
}

fn oauth_error(e: OAuthError) -> Answer {
    json(e.status, &serde_json::json!({ "error": e.code }))
}

fn redirect(to: &str) -> Answer {
    let mut r = answer(302, "text/plain", "");
    match http::HeaderValue::from_str(to) {
        Ok(v) => {
            r.headers_mut().insert(http::header::LOCATION, v);
            r
        }
        Err(_) => answer(400, "text/plain", "bad redirect URI"),
    }
}

/// `uri` with query parameters added.
fn with_params(uri: &str, params: &[(&str, Option<&str>)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in params {
                    if let Some(v) = v {
                        q.append_pair(k, v);
                    }
                }
            }
            u.to_string()
        }
        Err(_) => uri.to_string(),
    }
}

/// Text for HTML attributes and content. Five replacements: not worth a dependency.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(status: u16, title: &str, body: &str, form_target: Option<&str>) -> Answer {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>body{{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}}\
.dev{{background:#fff3cd;border:1px solid #8a6d00;padding:.5rem .75rem}}input,button{{font:inherit;padding:.4rem}}</style>\
</head><body><main><h1>{title}</h1>\
<p class=\"dev\"><strong>Development issuer.</strong> This is <code>thumbprint serve --dev-auth</code>, \
not an identity provider: anyone who can reach it signs in as any name. It runs on this computer only.</p>\
{body}</main></body></html>"
    );
    let mut r = answer(status, "text/html; charset=utf-8", html);
    let form_action = form_target.unwrap_or("'none'");
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' {form_action}; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(v) = http::HeaderValue::from_str(&csp) {
        r.headers_mut().insert("content-security-policy", v);
    }
    r
}

fn form_of(bytes: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

/// `Authorization: Basic` as a client id and secret (both form-urlencoded, RFC 6749 §2.3.1).
fn basic_auth<B>(req: &Request<B>) -> Option<(String, String)> {
    let v = req
        .headers()
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let encoded = v
        .strip_prefix("Basic ")
        .or_else(|| v.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

/// The sign-in form for a checked authorization request.
fn sign_in_form(q: &HashMap<String, String>, scope: &str, redirect_uri: &str) -> Answer {
    let hidden: String = [
        "client_id",
        "redirect_uri",
        "state",
        "code_challenge",
        "code_challenge_method",
        "response_type",
    ]
    .iter()
    .filter_map(|k| q.get(*k).map(|v| (k, v)))
    .map(|(k, v)| {
        format!(
            "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
            escape(v)
        )
    })
    .collect();
    let body = format!(
        "<p>Sign in to the thumbprint preview page (scopes: <code>{}</code>).</p>\
<form method=\"post\" action=\"/oauth2/authorize\">{hidden}\
<input type=\"hidden\" name=\"scope\" value=\"{}\">\
<p><label for=\"username\">Name</label><br><input id=\"username\" name=\"username\" value=\"dev-user\" \
autocomplete=\"username\" required maxlength=\"128\"></p>\
<p><button type=\"submit\">Sign in</button></p></form>",
        escape(scope),
        escape(scope)
    );
    let target = thumbprint_service::auth::page::origin(redirect_uri);
    page(200, "Sign in", &body, target.as_deref())
}

/// `GET` and `POST /oauth2/authorize`.
fn authorize(issuer: &DevIssuer, q: &HashMap<String, String>, post: bool) -> Answer {
    let get = |k: &str| q.get(k).map(String::as_str);
    let Some(redirect_uri) = get("redirect_uri").filter(|r| issuer.redirect_allowed(r)) else {
        return page(400, "Sign-in refused", "<p>Unknown redirect URI.</p>", None);
    };
    if get("client_id") != Some(PAGE_CLIENT_ID) {
        return page(400, "Sign-in refused", "<p>Unknown client.</p>", None);
    }
    let state = get("state");
    let scope = match DevIssuer::check_authorize(
        get("response_type"),
        get("code_challenge"),
        get("code_challenge_method"),
        get("scope"),
    ) {
        Ok(s) => s,
        Err(e) => {
            return redirect(&with_params(
                redirect_uri,
                &[("error", Some(e.code)), ("state", state)],
            ))
        }
    };
    if !post {
        return sign_in_form(q, &scope, redirect_uri);
    }
    let username = get("username").map(str::trim).unwrap_or("");
    if username.is_empty() || username.len() > 128 || username.chars().any(char::is_control) {
        return sign_in_form(q, &scope, redirect_uri);
    }
    match issuer.issue_code(
        redirect_uri,
        get("code_challenge").unwrap_or(""),
        &scope,
        username,
    ) {
        Ok(code) => redirect(&with_params(
            redirect_uri,
            &[("code", Some(&code)), ("state", state)],
        )),
        Err(_) => answer(500, "text/plain", "could not issue a code"),
    }
}

async fn handle(issuer: Arc<DevIssuer>, req: Request<Incoming>) -> Answer {
    let query: HashMap<String, String> = form_of(req.uri().query().unwrap_or("").as_bytes());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let basic = basic_auth(&req);
    let form = if method == Method::POST {
        match Limited::new(req.into_body(), MAX_FORM_BYTES)
            .collect()
            .await
        {
            Ok(b) => form_of(&b.to_bytes()),
            Err(_) => return answer(413, "text/plain", "body too large"),
        }
    } else {
        HashMap::new()
    };
    match (method.as_str(), path.as_str()) {
        ("GET", "/.well-known/openid-configuration") => json(200, &issuer.discovery()),
        ("GET", "/.well-known/jwks.json") => match serde_json::to_value(issuer.jwks()) {
            Ok(v) => json(200, &v),
            Err(_) => answer(500, "text/plain", "no keys"),
        },
        ("GET", "/oauth2/authorize") => authorize(&issuer, &query, false),
        ("POST", "/oauth2/authorize") => authorize(&issuer, &form, true),
        ("POST", "/oauth2/token") => match issuer.token(&form, basic) {
            Ok(v) => json(200, &v),
            Err(e) => oauth_error(e),
        },
        ("OPTIONS", "/oauth2/token") => {
            let mut r = cors(answer(204, "text/plain", ""));
            let h = r.headers_mut();
            h.insert(
                http::header::ACCESS_CONTROL_ALLOW_METHODS,
                http::HeaderValue::from_static("POST"),
            );
            h.insert(
                http::header::ACCESS_CONTROL_ALLOW_HEADERS,
                http::HeaderValue::from_static("authorization, content-type"),
            );
            r
        }
        ("GET", "/logout") => {
            let target = query.get("logout_uri").map(String::as_str);
            match target {
                Some(t)
                    if query.get("client_id").map(String::as_str) == Some(PAGE_CLIENT_ID)
                        && issuer.redirect_allowed(t) =>
                {
                    redirect(t)
                }
                _ => page(
                    400,
                    "Sign-out refused",
                    "<p>Unknown client or sign-out URI.</p>",
                    None,
                ),
            }
        }
        ("GET", "/") => page(
            200,
            "thumbprint development issuer",
            &format!(
                "<p>Discovery: <code>{}/.well-known/openid-configuration</code></p>",
                escape(issuer.issuer())
            ),
            None,
        ),
        _ => answer(404, "text/plain", "not found"),
    }
}

/// Serves the issuer on `listener` (bound to loopback by the caller) until the process stops.
pub async fn serve(issuer: Arc<DevIssuer>, listener: tokio::net::TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let issuer = issuer.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| {
                let issuer = issuer.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(issuer, req).await) }
            });
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

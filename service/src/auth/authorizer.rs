//! The JWT authorizer of a protected route, as API Gateway applies it.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;

use super::keys::KeySource;
use super::rules::{self, Denial, Granted, Rules};

use crate::http::Body;

/// The JWT authorizer of a protected route: its rules and its issuer's keys.
pub struct Authorizer {
    rules: Rules,
    keys: KeySource,
}

/// Why the keys could not be used (the gateway answers 401 then too).
const KEYS_UNAVAILABLE: &str = "the issuer's keys could not be fetched";

impl Authorizer {
    /// An authorizer with these rules and keys.
    pub fn new(rules: Rules, keys: KeySource) -> Self {
        Authorizer { rules, keys }
    }

    /// The rules it applies.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Checks the `Authorization` header value of a request (`None`: no header) now. A token
    /// naming a key the cached JWKS lacks makes the keys be fetched again (rate-limited) and
    /// the token checked once more, as after a key rotation.
    pub async fn authorize(&self, header: Option<&str>) -> Result<Granted, Denial> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let keys = match self.keys.current().await {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!(cause = %e.0, "the issuer's keys could not be fetched");
                return Err(Denial::Unauthorized(KEYS_UNAVAILABLE));
            }
        };
        match rules::check(header, &self.rules, &keys, now) {
            Err(Denial::Unauthorized(rules::reason::KEY)) => match self.keys.refreshed().await {
                Some(fresh) => rules::check(header, &self.rules, &fresh, now),
                None => Err(Denial::Unauthorized(rules::reason::KEY)),
            },
            other => other,
        }
    }
}

/// The gateway's answer to a refused request: `401 {"message":"Unauthorized"}` or
/// `403 {"message":"Forbidden"}`, with a `WWW-Authenticate` header in the gateway's form
/// (RFC 6750: `error="invalid_token"` or `error="insufficient_scope"` and the route's scopes).
pub fn denial_response(denial: Denial, rules: &Rules) -> Response<Body> {
    let (status, body, challenge) = match denial {
        Denial::Unauthorized(rules::reason::MISSING) => (
            StatusCode::UNAUTHORIZED,
            r#"{"message":"Unauthorized"}"#,
            "Bearer".to_string(),
        ),
        Denial::Unauthorized(why) => (
            StatusCode::UNAUTHORIZED,
            r#"{"message":"Unauthorized"}"#,
            format!(r#"Bearer scope="" error="invalid_token" error_description="{why}""#),
        ),
        Denial::Forbidden => (
            StatusCode::FORBIDDEN,
            r#"{"message":"Forbidden"}"#,
            format!(
                r#"Bearer scope="{}" error="insufficient_scope" error_description="the token does not have a required scope""#,
                rules.scopes.join(" ")
            ),
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    // Scopes are the operator's configuration (printable ASCII, validated at start-up).
    if let Ok(v) = http::HeaderValue::from_str(&challenge) {
        headers.insert(http::header::WWW_AUTHENTICATE, v);
    }
    response
}

//! API Gateway's JWT authorizer rules, as a pure function of the `Authorization` header, the
//! issuer's keys and the clock: the local server applies them exactly where the gateway would,
//! so a token that passes here passes there, and one refused there is refused here with the same
//! status and body.
//!
//! The order and the rules are those of "Control access to HTTP APIs with JWT authorizers"
//! (API Gateway developer guide): the token is the header's value, bare or after `Bearer `; it
//! is decoded; its `kid` must name a key of the issuer's JWKS and its algorithm must be RSA-based
//! (RS256/384/512, the only ones the gateway supports); the signature is checked; then `iss` must
//! equal the issuer, `aud` (or, only when there is no `aud`, `client_id`) must be one of the
//! audiences, `exp` must be after now, `nbf` and `iat` before now, and when the route has
//! scopes, `scope` (space-separated) or `scp` must hold at least one of them. Every failure but
//! the last is 401; a missing scope is 403. The gateway documents no clock leeway, so there is
//! none here: a token accepted locally is never one the gateway would call expired.
//!
//! Signatures are jsonwebtoken's (RustCrypto backend); this module only decides which key and
//! which algorithms are allowed and which claims must hold.

use std::collections::BTreeMap;

use jsonwebtoken::jwk::{JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

/// What a protected route accepts: the authorizer's configuration and the route's scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// The `iss` every token must carry, exactly.
    pub issuer: String,
    /// Accepted `aud` values (or `client_id`, for tokens without `aud`). Never empty.
    pub audiences: Vec<String>,
    /// The route's scopes: a token needs any one of them. Empty: no scope check.
    pub scopes: Vec<String>,
}

/// Why a request was refused: the gateway's status and the reason in its `WWW-Authenticate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// 401: no token, or a token that is not valid (the reason is the header's description).
    Unauthorized(&'static str),
    /// 403: a valid token without any of the route's scopes.
    Forbidden,
}

/// The reasons of [`Denial::Unauthorized`], worded as the gateway's `error_description`s.
pub mod reason {
    /// No `Authorization` header (or an empty one).
    pub const MISSING: &str = "";
    /// Not three base64url parts with a JSON header.
    pub const MALFORMED: &str = "the token is malformed";
    /// `alg` is not RS256, RS384 or RS512 (`none`, HS256, ES256, ...).
    pub const ALGORITHM: &str = "the token's algorithm is not supported";
    /// No `kid`, or a `kid` the issuer's JWKS does not hold.
    pub const KEY: &str = "the token's key is not in the issuer's JWKS";
    /// The signature does not verify against the key.
    pub const SIGNATURE: &str = "the token's signature is invalid";
    /// `iss` is missing or not the issuer.
    pub const ISSUER: &str = "the token does not have a valid issuer";
    /// Neither `aud` nor `client_id` is an accepted audience.
    pub const AUDIENCE: &str = "the token does not have a valid audience";
    /// `exp` is missing or not after now.
    pub const EXPIRED: &str = "the token has expired";
    /// `nbf` or `iat` is after now.
    pub const NOT_YET_VALID: &str = "the token is not valid yet";
}

/// The claims of an accepted token, as the gateway hands them to the integration
/// (`requestContext.authorizer.jwt.claims`: every value a string) and its scopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Granted {
    /// Claim name to value, each value as text (numbers as digits, arrays as `[a b]`).
    pub claims: BTreeMap<String, String>,
    /// The token's scopes (`scope` split on spaces, or `scp`).
    pub scopes: Vec<String>,
}

/// A claim as the gateway passes it on: strings unquoted, other JSON as text, arrays as
/// `[a b c]` (how payload 2.0 shows Cognito's `cognito:groups`).
fn claim_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(claim_text).collect();
            format!("[{}]", parts.join(" "))
        }
        other => other.to_string(),
    }
}

/// The token of an `Authorization` header: the value itself, or what follows `Bearer `.
fn token_of(header: &str) -> &str {
    let h = header.trim();
    if h.eq_ignore_ascii_case("bearer") {
        return "";
    }
    match h.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => h[7..].trim_start(),
        _ => h,
    }
}

/// A NumericDate claim: seconds since the epoch (fractions allowed, as JSON numbers).
fn seconds(claims: &Map<String, Value>, name: &str) -> Option<Option<f64>> {
    match claims.get(name) {
        None => Some(None),
        Some(v) => v.as_f64().map(Some),
    }
}

/// The token's scopes: `scope` as a space-separated string, or `scp` as a string or a list.
fn scopes_of(claims: &Map<String, Value>) -> Vec<String> {
    let split = |s: &str| {
        s.split(' ')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect()
    };
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => split(s),
        (_, Some(Value::String(s))) => split(s),
        (_, Some(Value::Array(a))) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks an `Authorization` header value (`None`: no header) against `rules`, the issuer's
/// `keys` and the time `now` (seconds since the epoch), in the gateway's order: the token's
/// form, its signature, then its claims.
pub fn check(
    header: Option<&str>,
    rules: &Rules,
    keys: &JwkSet,
    now: f64,
) -> Result<Granted, Denial> {
    let token = header.map(token_of).unwrap_or("");
    if token.is_empty() {
        return Err(Denial::Unauthorized(reason::MISSING));
    }
    if token.split('.').count() != 3 {
        return Err(Denial::Unauthorized(reason::MALFORMED));
    }
    let claims = verified_claims(token, keys)?;
    check_claims(&claims, rules, now)?;
    let scopes = scopes_of(&claims);
    if !rules.scopes.is_empty() && !scopes.iter().any(|s| rules.scopes.contains(s)) {
        return Err(Denial::Forbidden);
    }
    Ok(Granted {
        claims: claims
            .iter()
            .map(|(k, v)| (k.clone(), claim_text(v)))
            .collect(),
        scopes,
    })
}

/// The token's claims, once its RSA signature checks out by a `kid` of `keys` (a key that
/// names its algorithm is used with that one only). The claims themselves are not checked.
fn verified_claims(token: &str, keys: &JwkSet) -> Result<Map<String, Value>, Denial> {
    use Denial::Unauthorized;
    let head = jsonwebtoken::decode_header(token).map_err(|e| {
        match e.kind() {
            // An `alg` jsonwebtoken does not know ("none", "HS999"): not a supported algorithm.
            jsonwebtoken::errors::ErrorKind::Json(_) if token_alg_is_unknown(token) => {
                Unauthorized(reason::ALGORITHM)
            }
            _ => Unauthorized(reason::MALFORMED),
        }
    })?;
    let alg = head.alg;
    if !matches!(alg, Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512) {
        return Err(Unauthorized(reason::ALGORITHM));
    }
    let jwk = head
        .kid
        .as_deref()
        .and_then(|kid| keys.find(kid))
        .ok_or(Unauthorized(reason::KEY))?;
    if let Some(key_alg) = jwk.common.key_algorithm {
        let same = matches!(
            (key_alg, alg),
            (KeyAlgorithm::RS256, Algorithm::RS256)
                | (KeyAlgorithm::RS384, Algorithm::RS384)
                | (KeyAlgorithm::RS512, Algorithm::RS512)
        );
        if !same {
            return Err(Unauthorized(reason::SIGNATURE));
        }
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|_| Unauthorized(reason::KEY))?;
    // Signature only: the claims are checked by `check_claims`, against `now`.
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.leeway = 0;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation).map_err(
        |e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature
            | jsonwebtoken::errors::ErrorKind::InvalidAlgorithm
            | jsonwebtoken::errors::ErrorKind::InvalidRsaKey(_) => Unauthorized(reason::SIGNATURE),
            _ => Unauthorized(reason::MALFORMED),
        },
    )?;
    Ok(data.claims)
}

/// The gateway's claim checks: `iss` exact; `aud` (or `client_id` when there is no `aud`) one
/// of the audiences; `exp` after `now`; `nbf` and `iat`, when present, not after it.
fn check_claims(claims: &Map<String, Value>, rules: &Rules, now: f64) -> Result<(), Denial> {
    use Denial::Unauthorized;
    if claims.get("iss").and_then(Value::as_str) != Some(rules.issuer.as_str()) {
        return Err(Unauthorized(reason::ISSUER));
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(a)) => rules.audiences.contains(a),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .any(|a| rules.audiences.iter().any(|r| r == a)),
        Some(_) => false,
        None => claims
            .get("client_id")
            .and_then(Value::as_str)
            .is_some_and(|c| rules.audiences.iter().any(|r| r == c)),
    };
    if !audience_ok {
        return Err(Unauthorized(reason::AUDIENCE));
    }
    match seconds(claims, "exp") {
        Some(Some(exp)) if exp > now => {}
        _ => return Err(Unauthorized(reason::EXPIRED)),
    }
    for name in ["nbf", "iat"] {
        match seconds(claims, name) {
            Some(None) => {}
            Some(Some(t)) if t <= now => {}
            _ => return Err(Unauthorized(reason::NOT_YET_VALID)),
        }
    }
    Ok(())
}

/// Whether the token's header parses as JSON with an `alg` string jsonwebtoken has no name for.
fn token_alg_is_unknown(token: &str) -> bool {
    use base64::Engine as _;
    let Some(first) = token.split('.').next() else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(first) else {
        return false;
    };
    serde_json::from_slice::<Map<String, Value>>(&bytes)
        .ok()
        .and_then(|h| h.get("alg").and_then(Value::as_str).map(String::from))
        .is_some_and(|alg| alg.parse::<Algorithm>().is_err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_prefix_is_optional_and_case_blind() {
        assert_eq!(token_of("Bearer a.b.c"), "a.b.c");
        assert_eq!(token_of("bearer   a.b.c"), "a.b.c");
        assert_eq!(token_of("a.b.c"), "a.b.c");
        assert_eq!(token_of("  a.b.c "), "a.b.c");
        assert_eq!(token_of("Bearer"), "");
    }

    #[test]
    fn claims_reach_the_integration_as_text() {
        assert_eq!(claim_text(&serde_json::json!("x")), "x");
        assert_eq!(claim_text(&serde_json::json!(12)), "12");
        assert_eq!(claim_text(&serde_json::json!(["a", "b"])), "[a b]");
        assert_eq!(claim_text(&serde_json::json!(true)), "true");
    }

    #[test]
    fn scopes_from_scope_or_scp() {
        let m = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(
            scopes_of(&m(serde_json::json!({"scope": "a  b"}))),
            ["a", "b"]
        );
        assert_eq!(scopes_of(&m(serde_json::json!({"scp": ["c"]}))), ["c"]);
        assert_eq!(scopes_of(&m(serde_json::json!({"scp": "d e"}))), ["d", "e"]);
        assert!(scopes_of(&m(serde_json::json!({}))).is_empty());
    }
}

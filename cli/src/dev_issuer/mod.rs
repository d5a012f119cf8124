//! A development OAuth 2.0 / OpenID issuer, for `thumbprint serve --dev-auth` only: it lets the
//! README's curl examples and the preview page run the whole authorized flow offline. It is not
//! an identity provider: anyone who can reach it signs in as whom they type. It binds loopback
//! only, its key pair is made at start-up and lives in memory, and the Lambda never contains a
//! path to it.
//!
//! It answers like Cognito's hosted endpoints: OpenID discovery, the JWKS, `/oauth2/authorize`
//! (authorization code + PKCE S256, a one-field sign-in form), `/oauth2/token` (authorization
//! code for the page's public client, client credentials for a confidential client), `/logout`.
//! Its access tokens are shaped like Cognito's (RS256, `kid`; `sub`, `client_id`, `scope`,
//! `token_use`, `username` for people, no `aud`), so the local authorizer checks them with the
//! same rules as the gateway checks Cognito's.

mod routes;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

pub use routes::serve;

use thumbprint_service::auth::page::PageAuth;
use thumbprint_service::auth::rules::Rules;

/// The page's public client (authorization code + PKCE, no secret).
pub const PAGE_CLIENT_ID: &str = "thumbprint-page";
/// The confidential client for curl and server callers (client credentials).
pub const DEV_CLIENT_ID: &str = "thumbprint-dev";
/// Its secret: fixed and printed, because this issuer guards nothing.
pub const DEV_CLIENT_SECRET: &str = "thumbprint-dev-secret";
/// The scope `POST /thumbnail` requires, named as the Terraform module's Cognito pool names it.
pub const SCOPE: &str = "thumbprint/thumbnail";
/// Lifetime of an access token (Cognito's default: one hour).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// Lifetime of an authorization code.
pub const CODE_LIFETIME: Duration = Duration::from_secs(300);
/// Codes waiting to be exchanged at most (the oldest are dropped first).
const MAX_PENDING_CODES: usize = 1024;

/// An OAuth error (RFC 6749 §5.2 codes) with the HTTP status the token endpoint answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, ...
    pub code: &'static str,
    /// 400 or 401.
    pub status: u16,
}

const fn oauth(code: &'static str, status: u16) -> OAuthError {
    OAuthError { code, status }
}

/// An issued authorization code, until it is exchanged.
struct Pending {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    scope: String,
    username: String,
    issued: Instant,
}

/// The development issuer's state: its URL, key, clients and outstanding codes.
pub struct DevIssuer {
    issuer: String,
    kid: String,
    signing_key: EncodingKey,
    jwks: JwkSet,
    redirect_uris: Vec<String>,
    codes: Mutex<HashMap<String, Pending>>,
}

/// `n` random bytes, base64url: codes, token ids, key ids.
fn random_token(n: usize) -> Result<String, String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A stable user id of the form Cognito uses (a UUID), from the name typed at sign-in.
fn user_sub(username: &str) -> String {
    let h = Sha256::digest(username.as_bytes());
    let hex: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

impl DevIssuer {
    /// An issuer reachable at `issuer` (its `http://127.0.0.1:PORT` URL, also the tokens' `iss`)
    /// that sends the page back only to `redirect_uris`. Makes a 2048-bit RSA key pair.
    pub fn new(issuer: String, redirect_uris: Vec<String>) -> Result<DevIssuer, String> {
        let mut rng = getrandom::SysRng;
        let key = rsa::PrivateKey::new(&mut rng, 2048).map_err(|e| e.to_string())?;
        let der = key.to_pkcs1_der().map_err(|e| e.to_string())?;
        let kid = random_token(12)?;
        let jwks: JwkSet = serde_json::from_value(serde_json::json!({
            "keys": [{
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                "n": URL_SAFE_NO_PAD.encode(key.n_bytes()),
                "e": URL_SAFE_NO_PAD.encode(key.e_bytes()),
            }]
        }))
        .map_err(|e| e.to_string())?;
        Ok(DevIssuer {
            issuer,
            kid,
            signing_key: EncodingKey::from_rsa_der(der.as_bytes()),
            jwks,
            redirect_uris,
            codes: Mutex::new(HashMap::new()),
        })
    }

    /// The issuer URL (the tokens' `iss`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Its public keys.
    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// What the local authorizer accepts from it: its tokens for either client, with the scope.
    pub fn rules(&self) -> Rules {
        Rules {
            issuer: self.issuer.clone(),
            audiences: vec![PAGE_CLIENT_ID.into(), DEV_CLIENT_ID.into()],
            scopes: vec![SCOPE.into()],
        }
    }

    /// The page's sign-in settings (`GET /auth-config`).
    pub fn page_auth(&self) -> PageAuth {
        PageAuth {
            authorization_endpoint: format!("{}/oauth2/authorize", self.issuer),
            token_endpoint: format!("{}/oauth2/token", self.issuer),
            logout_endpoint: format!("{}/logout", self.issuer),
            client_id: PAGE_CLIENT_ID.into(),
            scope: format!("openid {SCOPE}"),
        }
    }

    /// The OpenID discovery document.
    pub fn discovery(&self) -> serde_json::Value {
        let i = &self.issuer;
        serde_json::json!({
            "issuer": i,
            "authorization_endpoint": format!("{i}/oauth2/authorize"),
            "token_endpoint": format!("{i}/oauth2/token"),
            "end_session_endpoint": format!("{i}/logout"),
            "jwks_uri": format!("{i}/.well-known/jwks.json"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "scopes_supported": ["openid", SCOPE],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        })
    }

    /// An access token shaped like Cognito's, valid for [`TOKEN_LIFETIME`] from `now`.
    pub fn mint(
        &self,
        client_id: &str,
        username: Option<&str>,
        scope: &str,
        now: u64,
    ) -> Result<String, String> {
        let mut claims = serde_json::json!({
            "sub": username.map_or_else(|| client_id.to_string(), user_sub),
            "token_use": "access",
            "scope": scope,
            "auth_time": now,
            "iss": self.issuer,
            "exp": now + TOKEN_LIFETIME.as_secs(),
            "iat": now,
            "version": 2,
            "jti": random_token(16)?,
            "client_id": client_id,
        });
        if let (Some(u), Some(map)) = (username, claims.as_object_mut()) {
            map.insert("username".into(), u.into());
        }
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.typ = None; // Cognito's access tokens have no `typ`

        jsonwebtoken::encode(&header, &claims, &self.signing_key).map_err(|e| e.to_string())
    }

    /// The token endpoint's JSON answer for an access token.
    fn token_json(&self, token: String) -> serde_json::Value {
        serde_json::json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME.as_secs(),
        })
    }

    /// Whether the page's client may be sent back to `uri`.
    pub fn redirect_allowed(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == uri)
    }

    /// The scopes granted for a request: all the client's when none are asked for, else those
    /// asked for if the client may have them all.
    fn granted_scope(requested: Option<&str>, allowed: &[&str]) -> Result<String, OAuthError> {
        let requested: Vec<&str> = match requested {
            Some(s) if !s.trim().is_empty() => s.split(' ').filter(|p| !p.is_empty()).collect(),
            _ => allowed.to_vec(),
        };
        if requested.iter().all(|s| allowed.contains(s)) {
            Ok(requested.join(" "))
        } else {
            Err(oauth("invalid_scope", 400))
        }
    }

    /// Checks an authorization request (the page's, before the sign-in form) and returns the
    /// scope it would grant. The client and redirect URI are checked by the caller first.
    pub fn check_authorize(
        response_type: Option<&str>,
        challenge: Option<&str>,
        method: Option<&str>,
        scope: Option<&str>,
    ) -> Result<String, OAuthError> {
        if response_type != Some("code") {
            return Err(oauth("unsupported_response_type", 400));
        }
        // PKCE S256 is required (Cognito refuses `plain`): 43..=128 base64url characters.
        let challenge_ok = challenge.is_some_and(|c| {
            (43..=128).contains(&c.len())
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        if !challenge_ok || method != Some("S256") {
            return Err(oauth("invalid_request", 400));
        }
        Self::granted_scope(scope, &["openid", SCOPE])
    }

    /// Issues a code for a signed-in user of the page's client.
    pub fn issue_code(
        &self,
        redirect_uri: &str,
        challenge: &str,
        scope: &str,
        username: &str,
    ) -> Result<String, String> {
        let code = random_token(24)?;
        let mut codes = self.codes.lock().map_err(|_| "poisoned".to_string())?;
        codes.retain(|_, p| p.issued.elapsed() < CODE_LIFETIME);
        if codes.len() >= MAX_PENDING_CODES {
            if let Some(oldest) = codes
                .iter()
                .min_by_key(|(_, p)| p.issued)
                .map(|(k, _)| k.clone())
            {
                codes.remove(&oldest);
            }
        }
        codes.insert(
            code.clone(),
            Pending {
                client_id: PAGE_CLIENT_ID.into(),
                redirect_uri: redirect_uri.into(),
                challenge: challenge.into(),
                scope: scope.into(),
                username: username.into(),
                issued: Instant::now(),
            },
        );
        Ok(code)
    }

    /// The token endpoint: `params` is the form body, `basic` the client id and secret from an
    /// `Authorization: Basic` header.
    pub fn token(
        &self,
        params: &HashMap<String, String>,
        basic: Option<(String, String)>,
    ) -> Result<serde_json::Value, OAuthError> {
        let get = |k: &str| params.get(k).map(String::as_str);
        let (client_id, secret) = match basic {
            Some((id, secret)) => (Some(id), Some(secret)),
            None => (
                get("client_id").map(String::from),
                get("client_secret").map(String::from),
            ),
        };
        let minted = |token: Result<String, String>| {
            token
                .map(|t| self.token_json(t))
                .map_err(|_| oauth("server_error", 500))
        };
        match get("grant_type") {
            Some("client_credentials") => {
                if client_id.as_deref() != Some(DEV_CLIENT_ID)
                    || secret.as_deref() != Some(DEV_CLIENT_SECRET)
                {
                    return Err(oauth("invalid_client", 401));
                }
                let scope = Self::granted_scope(get("scope"), &[SCOPE])?;
                minted(self.mint(DEV_CLIENT_ID, None, &scope, now_secs()))
            }
            Some("authorization_code") => {
                let (Some(code), Some(verifier)) = (get("code"), get("code_verifier")) else {
                    return Err(oauth("invalid_request", 400));
                };
                let pending = self
                    .codes
                    .lock()
                    .map_err(|_| oauth("server_error", 500))?
                    .remove(code)
                    .filter(|p| p.issued.elapsed() < CODE_LIFETIME)
                    .ok_or(oauth("invalid_grant", 400))?;
                if client_id.as_deref() != Some(pending.client_id.as_str()) {
                    return Err(oauth("invalid_client", 401));
                }
                let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
                if get("redirect_uri") != Some(pending.redirect_uri.as_str())
                    || challenge != pending.challenge
                {
                    return Err(oauth("invalid_grant", 400));
                }
                minted(self.mint(
                    &pending.client_id,
                    Some(&pending.username),
                    &pending.scope,
                    now_secs(),
                ))
            }
            _ => Err(oauth("unsupported_grant_type", 400)),
        }
    }
}

#[cfg(test)]
mod tests;

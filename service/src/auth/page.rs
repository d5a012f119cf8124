//! How the preview page signs in: `GET /auth-config`. The page runs the OAuth 2.0 authorization
//! code flow with PKCE against these endpoints with a public client (no secret), so the values
//! are public by nature. In AWS they come from environment variables Terraform sets on the
//! function; locally from `thumbprint serve --dev-auth`. Without them the route is 404 and the
//! page offers only its bearer-token field.

use serde::Serialize;

/// The environment variables of the deployed function, in the order of [`PageAuth`]'s fields.
pub const ENV: [&str; 5] = [
    "THUMBPRINT_AUTH_AUTHORIZE_URL",
    "THUMBPRINT_AUTH_TOKEN_URL",
    "THUMBPRINT_AUTH_LOGOUT_URL",
    "THUMBPRINT_AUTH_CLIENT_ID",
    "THUMBPRINT_AUTH_SCOPE",
];

/// The page's sign-in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageAuth {
    /// The authorization endpoint (`/oauth2/authorize` on Cognito's hosted domain).
    pub authorization_endpoint: String,
    /// The token endpoint (`/oauth2/token`).
    pub token_endpoint: String,
    /// Cognito's `/logout` endpoint (takes `client_id` and `logout_uri`); empty when there is
    /// none, and the page then only forgets its tokens.
    pub logout_endpoint: String,
    /// The public app client's id.
    pub client_id: String,
    /// The scopes the page asks for (space-separated).
    pub scope: String,
}

impl PageAuth {
    /// The settings from the environment: all of authorize URL, token URL, client id and scope
    /// must be there, or there are none. Endpoints must be https (or http on loopback).
    pub fn from_env() -> Option<PageAuth> {
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let auth = PageAuth {
            authorization_endpoint: get(ENV[0])?,
            token_endpoint: get(ENV[1])?,
            logout_endpoint: get(ENV[2]).unwrap_or_default(),
            client_id: get(ENV[3])?,
            scope: get(ENV[4])?,
        };
        let endpoints = [
            &auth.authorization_endpoint,
            &auth.token_endpoint,
            &auth.logout_endpoint,
        ];
        if endpoints
            .iter()
            .all(|u| u.is_empty() || origin(u).is_some())
        {
            Some(auth)
        } else {
            tracing::warn!("THUMBPRINT_AUTH_* endpoints are not https URLs: page sign-in is off");
            None
        }
    }

    /// The origin the page must be allowed to `fetch` (the token endpoint's), for its CSP.
    pub fn connect_origin(&self) -> Option<String> {
        origin(&self.token_endpoint)
    }
}

/// `scheme://host[:port]` of an https URL (or an http URL on loopback), else `None`.
pub fn origin(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let loopback = matches!(u.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || u.host_str() == Some("localhost");
    if u.scheme() != "https" && !(u.scheme() == "http" && loopback) {
        return None;
    }
    Some(u.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn origins_are_https_or_loopback_http() {
        assert_eq!(
            origin("https://x.auth.eu-west-1.amazoncognito.com/oauth2/token").as_deref(),
            Some("https://x.auth.eu-west-1.amazoncognito.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:8081/oauth2/token").as_deref(),
            Some("http://127.0.0.1:8081")
        );
        assert_eq!(origin("http://example.com/oauth2/token"), None);
        assert_eq!(origin("javascript:alert(1)"), None);
    }
}

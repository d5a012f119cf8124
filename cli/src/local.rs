//! `thumbprint serve`: the local service put together: the API and the page on one port, and
//! with `--dev-auth` a development issuer on loopback beside it, or with `--jwt-issuer` the
//! gateway's checks against a real issuer.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::dev_issuer::{self, DevIssuer};
use thumbprint_service::auth::page::PageAuth;
use thumbprint_service::auth::{Authorizer, KeySource, Location, Rules};
use thumbprint_service::http::App;
use thumbprint_service::signed::UrlConfig;

/// Who may call `POST /thumbnail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone (the default: no token is checked).
    Open,
    /// Tokens of an issuer, checked with API Gateway's rules; keys from `jwks` (a file or a URL)
    /// or from the issuer's discovery document.
    Jwt {
        /// The authorizer's issuer, audiences and the route's scopes.
        rules: Rules,
        /// A JWKS file or URL; `None`: discovery.
        jwks: Option<String>,
    },
    /// A development issuer on 127.0.0.1 at this port (0: any free port).
    DevIssuer {
        /// Its port.
        port: u16,
    },
}

/// What `thumbprint serve` was asked for.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the API and the page listen.
    pub addr: SocketAddr,
    /// Who may call `POST /thumbnail`.
    pub access: Access,
    /// Signed image URLs, when enabled.
    pub urls: Option<UrlConfig>,
}

/// The keys for `--jwks`: a URL is fetched (and cached) like a `jwks_uri`, a file read once.
fn key_source(issuer: &str, jwks: Option<&str>) -> Result<KeySource, String> {
    match jwks {
        None => KeySource::remote(Location::Discovery(issuer.to_string()))
            .map_err(|e| format!("--jwt-issuer {issuer}: {e}")),
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            KeySource::remote(Location::Jwks(u.to_string())).map_err(|e| format!("--jwks {u}: {e}"))
        }
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("--jwks {path}: {e}"))?;
            let set = serde_json::from_str(&text)
                .map_err(|e| format!("--jwks {path}: not a JWKS: {e}"))?;
            Ok(KeySource::fixed(set))
        }
    }
}

/// The page's addresses on this port, where the development issuer may send it back.
fn page_urls(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut urls = vec![
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
    ];
    if !addr.ip().is_loopback() && !addr.ip().is_unspecified() {
        urls.push(format!("http://{}/", addr));
    }
    urls
}

/// Binds, prints where things are, and serves until the process stops.
pub async fn serve(config: Config) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let mut page_auth = PageAuth::from_env();
    let authorizer = match config.access {
        Access::Open => None,
        Access::Jwt { rules, jwks } => {
            let keys = key_source(&rules.issuer, jwks.as_deref())?;
            eprintln!(
                "thumbprint: POST /thumbnail needs a JWT from {} (audiences {:?}, scopes {:?})",
                rules.issuer, rules.audiences, rules.scopes
            );
            Some(Arc::new(Authorizer::new(rules, keys)))
        }
        Access::DevIssuer { port } => {
            let dev_listener = tokio::net::TcpListener::bind(SocketAddr::new(
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                port,
            ))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port} for --dev-auth: {e}"))?;
            let dev_addr = dev_listener.local_addr().map_err(|e| e.to_string())?;
            let issuer = Arc::new(DevIssuer::new(
                format!("http://{dev_addr}"),
                page_urls(local),
            )?);
            let authorizer =
                Authorizer::new(issuer.rules(), KeySource::fixed(issuer.jwks().clone()));
            page_auth = Some(issuer.page_auth());
            eprintln!(
                "thumbprint: DEVELOPMENT issuer on http://{dev_addr} (--dev-auth: anyone can sign in; never use it for real access)\n\
                 thumbprint:   page sign-in: client {page}\n\
                 thumbprint:   a token for curl: curl -u {id}:{secret} -d grant_type=client_credentials http://{dev_addr}/oauth2/token",
                page = dev_issuer::PAGE_CLIENT_ID,
                id = dev_issuer::DEV_CLIENT_ID,
                secret = dev_issuer::DEV_CLIENT_SECRET,
            );
            tokio::spawn(dev_issuer::serve(issuer, dev_listener));
            Some(Arc::new(authorizer))
        }
    };
    if let Some(urls) = &config.urls {
        eprintln!(
            "thumbprint: signed image URLs on: GET http://{local}/{{signature}}/{{options}}/{{source}} ({} key(s){}{}, {} origin(s), {} bucket(s))",
            urls.keys.len(),
            if urls.keys.enabled() && urls.keys.is_empty() { ", INSECURE signatures accepted" } else { "" },
            urls.sources.local_root.as_ref().map(|r| format!(", local:/// under {}", r.display())).unwrap_or_default(),
            urls.sources.origins.len(),
            urls.sources.s3_buckets.len(),
        );
    }
    let app = App::new().with_page_auth(page_auth).with_urls(config.urls);
    eprintln!("thumbprint: serving the API and the preview page on http://{local}/");
    crate::server::run(app, listener, authorizer)
        .await
        .map_err(|e| e.to_string())
}

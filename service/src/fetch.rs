//! Fetching `image_url` safely.
//!
//! Every hop is checked before any socket is opened: scheme http/https, no userinfo, port 80 or
//! 443, and every address the host resolves to must be globally routable ([`crate::netpolicy`]).
//! The client then connects only to those validated addresses (the resolution is pinned, so a
//! second, rebinding DNS answer is never used). Redirects are followed by hand, at most
//! [`MAX_REDIRECTS`], each re-checked. Connect and total time and the byte count are capped.
//! Every policy refusal is the same `url_not_allowed`, with nothing that tells why.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use thumbprint_core::ErrorCode;
use url::{Host, Url};

use crate::client::{self, ClientPolicy};
use crate::netpolicy::ip_allowed;
use crate::ServiceError;

/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 3;
/// Largest source fetched, in bytes.
pub const MAX_SOURCE_BYTES: usize = 20 * 1024 * 1024;
/// Time allowed to connect to one address.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time allowed for the whole fetch, redirects included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// What a resolver returns.
pub type ResolveFuture = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// Host name resolution, injectable so tests can play DNS answers (private, mixed, rebinding).
pub trait Resolve: Send + Sync {
    /// All addresses of `host`.
    fn resolve(&self, host: &str) -> ResolveFuture;
}

/// The system resolver (getaddrinfo through tokio).
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, host: &str) -> ResolveFuture {
        let host = host.to_string();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// The fetcher of `image_url` sources.
#[derive(Clone)]
pub struct Fetcher {
    resolver: Arc<dyn Resolve>,
    loopback: Loopback,
    max_bytes: usize,
    connect_timeout: Duration,
    total_timeout: Duration,
}

/// TEST ONLY: which loopback addresses a fetcher may reach besides the public internet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Loopback {
    /// The service: none.
    Never,
    /// Any loopback address, any port.
    #[cfg(feature = "test-support")]
    AnyPort,
    /// One loopback address and port (a test origin), nothing else of the machine.
    #[cfg(feature = "test-support")]
    Only(SocketAddr),
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher::new()
    }
}

fn refuse() -> ServiceError {
    ServiceError::new(ErrorCode::UrlNotAllowed)
}

fn unavailable() -> ServiceError {
    ServiceError::new(ErrorCode::SourceUnavailable)
}

impl Fetcher {
    /// The production fetcher: system DNS, strict policy.
    pub fn new() -> Self {
        Fetcher::with_resolver(Arc::new(SystemResolver))
    }

    /// Strict policy with the given resolver.
    pub fn with_resolver(resolver: Arc<dyn Resolve>) -> Self {
        Fetcher {
            resolver,
            loopback: Loopback::Never,
            max_bytes: MAX_SOURCE_BYTES,
            connect_timeout: CONNECT_TIMEOUT,
            total_timeout: TOTAL_TIMEOUT,
        }
    }

    /// TEST ONLY (feature `test-support`): additionally allows loopback addresses on any port,
    /// so tests can run a local origin on 127.0.0.1. Every other rule (link-local, private,
    /// schemes, redirects, caps) still applies. Not in any shipped binary.
    #[cfg(feature = "test-support")]
    pub fn insecure_for_loopback_tests(resolver: Arc<dyn Resolve>) -> Self {
        Fetcher {
            loopback: Loopback::AnyPort,
            ..Fetcher::with_resolver(resolver)
        }
    }

    /// TEST ONLY (feature `test-support`): the strict policy, plus exactly one loopback `origin`
    /// (address and port), so a test can serve redirects from it and watch every other address
    /// of the machine be refused. Not in any shipped binary.
    #[cfg(feature = "test-support")]
    pub fn strict_with_test_origin(resolver: Arc<dyn Resolve>, origin: SocketAddr) -> Self {
        Fetcher {
            loopback: Loopback::Only(origin),
            ..Fetcher::with_resolver(resolver)
        }
    }

    /// Sets the byte cap and the time caps (tests use small ones).
    pub fn with_limits(mut self, max_bytes: usize, connect: Duration, total: Duration) -> Self {
        self.max_bytes = max_bytes;
        self.connect_timeout = connect;
        self.total_timeout = total;
        self
    }

    #[cfg_attr(not(feature = "test-support"), allow(unused_variables))]
    fn address_allowed(&self, ip: IpAddr, port: u16) -> bool {
        ip_allowed(ip)
            || match self.loopback {
                Loopback::Never => false,
                #[cfg(feature = "test-support")]
                Loopback::AnyPort => ip.is_loopback(),
                #[cfg(feature = "test-support")]
                Loopback::Only(origin) => origin == SocketAddr::new(ip, port),
            }
    }

    fn port_allowed(&self, port: u16) -> bool {
        port == 80
            || port == 443
            || match self.loopback {
                Loopback::Never => false,
                #[cfg(feature = "test-support")]
                Loopback::AnyPort => true,
                #[cfg(feature = "test-support")]
                Loopback::Only(origin) => origin.port() == port,
            }
    }

    /// Checks one hop's URL and resolves it: the addresses it may connect to.
    async fn check(&self, url: &Url) -> Result<Vec<SocketAddr>, ServiceError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse());
        }
        let port = url.port_or_known_default().ok_or_else(refuse)?;
        if !self.port_allowed(port) {
            return Err(refuse());
        }
        let ips = match url.host().ok_or_else(refuse)? {
            Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
            Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
            Host::Domain(name) => {
                let name = name.trim_end_matches('.');
                let is_localhost =
                    name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost");
                if is_localhost && self.loopback == Loopback::Never {
                    return Err(refuse());
                }
                let ips = self
                    .resolver
                    .resolve(name)
                    .await
                    .map_err(|_| unavailable())?;
                if ips.is_empty() {
                    return Err(unavailable());
                }
                ips
            }
        };
        // One bad address refuses the host: a mixed answer is how rebinding starts.
        if !ips.iter().all(|ip| self.address_allowed(*ip, port)) {
            return Err(refuse());
        }
        Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }

    fn client(&self, url: &Url, addrs: &[SocketAddr]) -> Result<reqwest::Client, ServiceError> {
        let policy = ClientPolicy {
            connect_timeout: self.connect_timeout,
            total_timeout: self.total_timeout,
            max_redirects: 0, // followed by hand, each hop checked
        };
        match url.host() {
            Some(Host::Domain(name)) => client::build(policy, Some((name, addrs))),
            _ => client::build(policy, None),
        }
    }

    /// Fetches `url` under the policy, redirects and caps.
    pub async fn fetch(&self, url: &str) -> Result<Vec<u8>, ServiceError> {
        match tokio::time::timeout(self.total_timeout, self.fetch_inner(url)).await {
            Ok(result) => result,
            Err(_) => Err(ServiceError::new(ErrorCode::SourceTimeout)),
        }
    }

    async fn fetch_inner(&self, url: &str) -> Result<Vec<u8>, ServiceError> {
        let mut url = Url::parse(url).map_err(|_| refuse())?;
        for _hop in 0..=MAX_REDIRECTS {
            let addrs = self.check(&url).await?;
            let client = self.client(&url, &addrs)?;
            let response = client.get(url.clone()).send().await.map_err(map_reqwest)?;
            let status = response.status();
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(unavailable)?;
                url = url.join(location).map_err(|_| refuse())?;
                continue;
            }
            if !status.is_success() {
                return Err(unavailable());
            }
            return read_capped(response, self.max_bytes).await;
        }
        Err(refuse())
    }
}

/// A response's body, `source_too_large` as soon as it is known to be over `max_bytes`: from
/// its Content-Length before anything is read, else as it arrives.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    max_bytes: usize,
) -> Result<Vec<u8>, ServiceError> {
    if response
        .content_length()
        .is_some_and(|len| len > max_bytes as u64)
    {
        return Err(ServiceError::new(ErrorCode::SourceTooLarge));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(map_reqwest)? {
        if body.len() + chunk.len() > max_bytes {
            return Err(ServiceError::new(ErrorCode::SourceTooLarge));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub(crate) fn map_reqwest(e: reqwest::Error) -> ServiceError {
    if e.is_timeout() {
        ServiceError::new(ErrorCode::SourceTimeout)
    } else {
        unavailable()
    }
}

/// What may be logged of a source URL: scheme and host only (never path, query or userinfo).
pub fn loggable(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) => format!("{}://{}", u.scheme(), u.host_str().unwrap_or("")),
        Err(_) => "<unparsable>".to_string(),
    }
}

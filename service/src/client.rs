//! Every outgoing HTTP client of the service, built in one place with its time caps and its
//! redirect rule, so that no caller can end up with reqwest's defaults (no timeout, ten
//! redirects, the system proxy).

use std::net::SocketAddr;
use std::time::Duration;

use thumbprint_core::ErrorCode;

use crate::ServiceError;

/// What a client may do: how long it may take, and how many redirects it follows itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientPolicy {
    /// Time to connect to one address.
    pub connect_timeout: Duration,
    /// Time for the whole request, body included.
    pub total_timeout: Duration,
    /// Redirects the client follows by itself (0: none; the caller follows and checks them).
    pub max_redirects: usize,
}

/// A client under `policy`, never through a proxy. With `pinned`, the host name resolves only
/// to these addresses (the ones the caller has checked), so a second DNS answer is never used.
pub fn build(
    policy: ClientPolicy,
    pinned: Option<(&str, &[SocketAddr])>,
) -> Result<reqwest::Client, ServiceError> {
    let redirect = match policy.max_redirects {
        0 => reqwest::redirect::Policy::none(),
        n => reqwest::redirect::Policy::limited(n),
    };
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .redirect(redirect)
        .connect_timeout(policy.connect_timeout)
        .timeout(policy.total_timeout)
        .user_agent(concat!("thumbprint/", env!("CARGO_PKG_VERSION")));
    if let Some((name, addrs)) = pinned {
        builder = builder.resolve_to_addrs(name, addrs);
    }
    builder
        .build()
        .map_err(|e| ServiceError::new(ErrorCode::InternalError).caused_by(e))
}

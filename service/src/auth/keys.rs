//! The issuer's signing keys, as API Gateway gets them: from the `jwks_uri` of the issuer's
//! OpenID discovery document (or a JWKS given directly), each fetch within the gateway's limits
//! (1,500 ms, 150,000 bytes), cached for at most two hours, and fetched again when a token names
//! a key the cache does not hold (at most once every [`REFETCH_INTERVAL`], so a flood of made-up
//! `kid`s cannot turn into a flood of fetches).

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use tokio::sync::Mutex;

use crate::client::{self, ClientPolicy};
use crate::ServiceError;

/// Time allowed for one discovery or JWKS fetch (API Gateway's JWKS and discovery timeouts).
pub const FETCH_TIMEOUT: Duration = Duration::from_millis(1500);
/// Redirects followed in one discovery or JWKS fetch.
pub const MAX_REDIRECTS: usize = 3;
/// Largest JWKS or discovery document read (API Gateway's JWKS size limit).
pub const MAX_DOCUMENT_BYTES: usize = 150_000;
/// How long fetched keys are used before they are fetched again (API Gateway caches keys for at
/// most two hours).
pub const CACHE_TTL: Duration = Duration::from_secs(2 * 3600);
/// The shortest time between two fetches caused by unknown `kid`s.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(30);

/// Why the keys could not be had. Logged; the caller gets a 401 either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysUnavailable(pub String);

/// Where the keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `<issuer>/.well-known/openid-configuration`, then its `jwks_uri`.
    Discovery(String),
    /// A JWKS URL.
    Jwks(String),
}

struct Cached {
    keys: Arc<JwkSet>,
    fetched: Instant,
}

/// The keys of one issuer: fixed (a JWKS file, or the development issuer's own key) or fetched.
pub enum KeySource {
    /// Keys that never change.
    Fixed(Arc<JwkSet>),
    /// Keys fetched from a location, cached.
    Remote(Remote),
}

/// Fetched keys: where from, the client that fetches them, the last fetch.
pub struct Remote {
    location: Location,
    refetch_interval: Duration,
    client: reqwest::Client,
    cache: Mutex<Option<Cached>>,
}

impl KeySource {
    /// Keys that never change.
    pub fn fixed(keys: JwkSet) -> Self {
        KeySource::Fixed(Arc::new(keys))
    }

    /// Keys fetched from `location` when first needed, each fetch within [`FETCH_TIMEOUT`] and
    /// at most [`MAX_REDIRECTS`] redirects. Fails only when no HTTP client can be made.
    pub fn remote(location: Location) -> Result<Self, ServiceError> {
        let client = client::build(
            ClientPolicy {
                connect_timeout: FETCH_TIMEOUT,
                total_timeout: FETCH_TIMEOUT,
                max_redirects: MAX_REDIRECTS,
            },
            None,
        )?;
        Ok(KeySource::Remote(Remote {
            location,
            refetch_interval: REFETCH_INTERVAL,
            client,
            cache: Mutex::new(None),
        }))
    }

    /// TEST ONLY (feature `test-support`): another shortest time between two fetches caused
    /// by unknown `kid`s, so that a test can rotate keys without waiting [`REFETCH_INTERVAL`].
    #[cfg(feature = "test-support")]
    pub fn with_refetch_interval(mut self, interval: Duration) -> Self {
        if let KeySource::Remote(r) = &mut self {
            r.refetch_interval = interval;
        }
        self
    }

    /// The current keys: cached ones while younger than [`CACHE_TTL`], else fetched.
    pub async fn current(&self) -> Result<Arc<JwkSet>, KeysUnavailable> {
        let remote = match self {
            KeySource::Fixed(k) => return Ok(k.clone()),
            KeySource::Remote(r) => r,
        };
        let mut cache = remote.cache.lock().await;
        if let Some(c) = cache.as_ref().filter(|c| c.fetched.elapsed() < CACHE_TTL) {
            return Ok(c.keys.clone());
        }
        let keys = Arc::new(remote.fetch().await?);
        *cache = Some(Cached {
            keys: keys.clone(),
            fetched: Instant::now(),
        });
        Ok(keys)
    }

    /// Fresh keys after a token named an unknown key: `None` when the keys are fixed or were
    /// fetched less than [`REFETCH_INTERVAL`] ago.
    pub async fn refreshed(&self) -> Option<Arc<JwkSet>> {
        let KeySource::Remote(remote) = self else {
            return None;
        };
        let mut cache = remote.cache.lock().await;
        if cache
            .as_ref()
            .is_some_and(|c| c.fetched.elapsed() < remote.refetch_interval)
        {
            return None;
        }
        match remote.fetch().await {
            Ok(keys) => {
                let keys = Arc::new(keys);
                *cache = Some(Cached {
                    keys: keys.clone(),
                    fetched: Instant::now(),
                });
                Some(keys)
            }
            Err(e) => {
                tracing::warn!(cause = %e.0, "the issuer's keys could not be fetched");
                None
            }
        }
    }
}

impl Remote {
    async fn fetch(&self) -> Result<JwkSet, KeysUnavailable> {
        let jwks_uri = match &self.location {
            Location::Jwks(u) => u.clone(),
            Location::Discovery(issuer) => {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    issuer.trim_end_matches('/')
                );
                let doc: serde_json::Value = self.get_json(&url).await?;
                doc.get("jwks_uri")
                    .and_then(serde_json::Value::as_str)
                    .map(String::from)
                    .ok_or_else(|| KeysUnavailable(format!("{url} has no jwks_uri")))?
            }
        };
        self.get_json(&jwks_uri).await
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<T, KeysUnavailable> {
        let fail = |what: &str| KeysUnavailable(format!("{url}: {what}"));
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| fail(&e.to_string()))?;
        if !response.status().is_success() {
            return Err(fail(&format!("HTTP {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| fail(&e.to_string()))? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(fail("over 150,000 bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| fail(&e.to_string()))
    }
}

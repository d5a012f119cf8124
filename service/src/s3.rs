//! S3 over the service's own HTTP client: each request is signed by rusty-s3 (SigV4, sans-IO:
//! it makes presigned URLs and sends nothing) and sent with reqwest, so the Lambda carries no
//! AWS SDK (aws-sdk-s3 + aws-config cost 583 s of a debug build on 2 cores here; rusty-s3
//! 109 s, mostly crates already built).
//!
//! Configured as the AWS SDKs are, from the environment the Lambda runtime sets: the
//! credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), the region
//! (`AWS_REGION`, else `AWS_DEFAULT_REGION`), and an endpoint (`AWS_ENDPOINT_URL_S3`, else
//! `AWS_ENDPOINT_URL`) for an S3 server elsewhere, such as moto's on loopback in the tests:
//! path-style addressing then, virtual-hosted style on AWS.

use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use thumbprint_core::ErrorCode;
use url::Url;

use crate::client::{self, ClientPolicy};
use crate::error::ConfigError;
use crate::fetch::{map_reqwest, read_capped, MAX_SOURCE_BYTES};
use crate::ServiceError;

/// How long a signed request stays valid (it is sent at once).
const SIGNATURE_LIFETIME: Duration = Duration::from_secs(60);
/// Time allowed to connect to S3.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time allowed for a whole request, body included.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(15);

/// An S3 client.
#[derive(Clone)]
pub struct S3 {
    endpoint: Url,
    style: UrlStyle,
    region: String,
    credentials: Credentials,
    client: reqwest::Client,
    max_bytes: usize,
}

impl std::fmt::Debug for S3 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3")
            .field("endpoint", &self.endpoint.as_str())
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

fn unavailable() -> ServiceError {
    ServiceError::new(ErrorCode::SourceUnavailable)
}

impl S3 {
    /// The client the environment describes; `None` when it has no credentials (S3 sources are
    /// then unavailable).
    pub fn from_env() -> Result<Option<S3>, ConfigError> {
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (Some(key), Some(secret)) = (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"))
        else {
            return Ok(None);
        };
        let credentials = match get("AWS_SESSION_TOKEN") {
            Some(token) => Credentials::new_with_token(key, secret, token),
            None => Credentials::new(key, secret),
        };
        let region = get("AWS_REGION")
            .or_else(|| get("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_string());
        let (endpoint, style) = match get("AWS_ENDPOINT_URL_S3").or_else(|| get("AWS_ENDPOINT_URL"))
        {
            Some(e) => {
                let url = Url::parse(&e)
                    .map_err(|err| ConfigError::invalid("AWS_ENDPOINT_URL_S3", &err.to_string()))?;
                (url, UrlStyle::Path)
            }
            None => {
                let url = Url::parse(&format!("https://s3.{region}.amazonaws.com"))
                    .map_err(|err| ConfigError::invalid("AWS_REGION", &err.to_string()))?;
                (url, UrlStyle::VirtualHost)
            }
        };
        S3::new(endpoint, style, region, credentials).map(Some)
    }

    /// A client of `endpoint` in `region`.
    pub fn new(
        endpoint: Url,
        style: UrlStyle,
        region: String,
        credentials: Credentials,
    ) -> Result<S3, ConfigError> {
        let policy = ClientPolicy {
            connect_timeout: CONNECT_TIMEOUT,
            total_timeout: TOTAL_TIMEOUT,
            max_redirects: 0,
        };
        let client = client::build(policy, None)
            .map_err(|e| ConfigError::invalid("S3 client", &e.to_string()))?;
        Ok(S3 {
            endpoint,
            style,
            region,
            credentials,
            client,
            max_bytes: MAX_SOURCE_BYTES,
        })
    }

    fn bucket(&self, name: &str) -> Result<Bucket, ServiceError> {
        Bucket::new(
            self.endpoint.clone(),
            self.style,
            name.to_string(),
            self.region.clone(),
        )
        .map_err(|e| ServiceError::new(ErrorCode::UrlNotAllowed).caused_by(e))
    }

    /// The object's bytes, at most the source cap (refused from its Content-Length before the
    /// body is read). A missing object is `not_found`.
    pub async fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, ServiceError> {
        let bucket = self.bucket(bucket)?;
        let url = bucket
            .get_object(Some(&self.credentials), key)
            .sign(SIGNATURE_LIFETIME);
        let response = self.client.get(url).send().await.map_err(map_reqwest)?;
        match response.status().as_u16() {
            200 => read_capped(response, self.max_bytes).await,
            404 => Err(ServiceError::with_message(
                ErrorCode::NotFound,
                "the source image was not found",
            )),
            status => {
                tracing::warn!(status, "S3 refused a source read");
                Err(unavailable())
            }
        }
    }
}

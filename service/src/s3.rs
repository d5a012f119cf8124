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

use std::collections::BTreeMap;
use std::time::Duration;

use rusty_s3::actions::ListObjectsV2;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use thumbprint_core::ErrorCode;
use url::Url;

use crate::client::{self, ClientPolicy};
use crate::error::ConfigError;
use crate::fetch::{read_capped, MAX_SOURCE_BYTES};
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

/// Most keys one listing returns in all (its pages followed): a source's members are a few.
const MAX_LISTED: usize = 10_000;

/// What HEAD says of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectHead {
    /// Its size in bytes (Content-Length).
    pub size: u64,
    /// Its ETag, as S3 quotes it.
    pub etag: String,
    /// Its user metadata (`x-amz-meta-*`), names lowercased and without the prefix.
    pub metadata: BTreeMap<String, String>,
}

/// An object to write.
#[derive(Debug, Clone)]
pub struct NewObject<'a> {
    /// The bytes.
    pub body: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: &'a str,
    /// Its `Cache-Control`.
    pub cache_control: &'a str,
    /// User metadata (names without `x-amz-meta-`; ASCII values).
    pub metadata: Vec<(&'static str, String)>,
}

/// An S3 answer that is none of the expected ones: logged with the operation, `source_unavailable`.
/// The message of a `source_unavailable` that a retry may cure: S3 throttling (429, 503
/// SlowDown) or failing (5xx), or not answering at all.
pub const TRANSIENT: &str = "S3 is throttling, failing or unreachable; a retry may succeed";

/// The message of a `source_unavailable` for an object that changed between its HEAD and its
/// GET: a retry reads the new version.
pub const CHANGED: &str = "the object changed while it was read";

/// Whether a retry may cure `e` (see [`TRANSIENT`], [`CHANGED`]; a timeout). Everything else an
/// S3 call gives (403, a missing object, a listing that cannot be read) stays as it is.
pub fn is_transient(e: &ServiceError) -> bool {
    e.code == ErrorCode::SourceTimeout
        || (e.code == ErrorCode::SourceUnavailable
            && (e.message == TRANSIENT || e.message == CHANGED))
}

fn refused(operation: &'static str, status: u16) -> ServiceError {
    tracing::warn!(operation, status, "S3 refused a request");
    if status == 429 || status >= 500 {
        ServiceError::with_message(ErrorCode::SourceUnavailable, TRANSIENT)
    } else {
        unavailable()
    }
}

/// A request that got no answer: a timeout, or S3 not reached (both transient).
fn unanswered(e: reqwest::Error) -> ServiceError {
    if e.is_timeout() {
        ServiceError::new(ErrorCode::SourceTimeout)
    } else {
        ServiceError::with_message(ErrorCode::SourceUnavailable, TRANSIENT)
    }
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
        let response = self.client.get(url).send().await.map_err(unanswered)?;
        match response.status().as_u16() {
            200 => read_capped(response, self.max_bytes).await,
            404 => Err(ServiceError::with_message(
                ErrorCode::NotFound,
                "the source image was not found",
            )),
            status => Err(refused("GetObject", status)),
        }
    }

    /// The object's size, ETag and metadata; `None` when there is no such object.
    pub async fn head(&self, bucket: &str, key: &str) -> Result<Option<ObjectHead>, ServiceError> {
        let bucket = self.bucket(bucket)?;
        let url = bucket
            .head_object(Some(&self.credentials), key)
            .sign(SIGNATURE_LIFETIME);
        let response = self.client.head(url).send().await.map_err(unanswered)?;
        match response.status().as_u16() {
            200 => {
                let headers = response.headers();
                let text = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                let metadata = headers
                    .iter()
                    .filter_map(|(name, value)| {
                        let name = name.as_str().strip_prefix("x-amz-meta-")?;
                        Some((name.to_string(), value.to_str().ok()?.to_string()))
                    })
                    .collect();
                Ok(Some(ObjectHead {
                    size: text("content-length").parse().unwrap_or(u64::MAX),
                    etag: text("etag"),
                    metadata,
                }))
            }
            404 => Ok(None),
            status => Err(refused("HeadObject", status)),
        }
    }

    /// The object's bytes if its ETag is still `etag` (so that what was checked is what is
    /// read), at most the source cap. Changed or gone since: `source_unavailable`.
    pub async fn get_matching(
        &self,
        bucket: &str,
        key: &str,
        etag: &str,
    ) -> Result<Vec<u8>, ServiceError> {
        let bucket = self.bucket(bucket)?;
        let url = bucket
            .get_object(Some(&self.credentials), key)
            .sign(SIGNATURE_LIFETIME);
        let response = self
            .client
            .get(url)
            .header("if-match", etag)
            .send()
            .await
            .map_err(unanswered)?;
        match response.status().as_u16() {
            200 => read_capped(response, self.max_bytes).await,
            404 | 412 => Err(ServiceError::with_message(
                ErrorCode::SourceUnavailable,
                CHANGED,
            )),
            status => Err(refused("GetObject", status)),
        }
    }

    /// Writes an object (replacing any of that key). The metadata, type and cache headers are
    /// signed with the request.
    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        object: NewObject<'_>,
    ) -> Result<(), ServiceError> {
        let bucket = self.bucket(bucket)?;
        let mut action = bucket.put_object(Some(&self.credentials), key);
        let mut headers = vec![
            ("content-type".to_string(), object.content_type.to_string()),
            (
                "cache-control".to_string(),
                object.cache_control.to_string(),
            ),
        ];
        headers.extend(
            object
                .metadata
                .iter()
                .map(|(name, value)| (format!("x-amz-meta-{name}"), value.clone())),
        );
        for (name, value) in &headers {
            action.headers_mut().insert(name.clone(), value.clone());
        }
        let url = action.sign(SIGNATURE_LIFETIME);
        let mut request = self.client.put(url).body(object.body);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send().await.map_err(unanswered)?;
        match response.status().as_u16() {
            200 => Ok(()),
            status => Err(refused("PutObject", status)),
        }
    }

    /// Deletes an object (nothing when there is none).
    pub async fn delete(&self, bucket: &str, key: &str) -> Result<(), ServiceError> {
        let bucket = self.bucket(bucket)?;
        let url = bucket
            .delete_object(Some(&self.credentials), key)
            .sign(SIGNATURE_LIFETIME);
        let response = self.client.delete(url).send().await.map_err(unanswered)?;
        match response.status().as_u16() {
            200 | 204 | 404 => Ok(()),
            status => Err(refused("DeleteObject", status)),
        }
    }

    /// The keys under `prefix` (decoded), every page followed (at most 10,000).
    pub async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, ServiceError> {
        let bucket = self.bucket(bucket)?;
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&bucket, Some(&self.credentials));
            action.with_prefix(prefix);
            if let Some(t) = &token {
                action.with_continuation_token(t.clone());
            }
            let url = action.sign(SIGNATURE_LIFETIME);
            let response = self.client.get(url).send().await.map_err(unanswered)?;
            let status = response.status().as_u16();
            if status != 200 {
                return Err(refused("ListObjectsV2", status));
            }
            let body = read_capped(response, 16 * 1024 * 1024).await?;
            let page = ListObjectsV2::parse_response(&body).map_err(|e| {
                tracing::warn!(error = %e, "S3 listing unreadable");
                unavailable()
            })?;
            // rusty-s3 asks for `encoding-type=url` and hands the keys on as S3 sent them:
            // URL-encoded as a form is (`+` a space), like an event's keys.
            keys.extend(
                page.contents
                    .into_iter()
                    .filter_map(|c| crate::upload::names::decode_key(&c.key)),
            );
            token = page.next_continuation_token;
            if token.is_none() || keys.len() >= MAX_LISTED {
                return Ok(keys);
            }
        }
    }
}

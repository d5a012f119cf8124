//! A signed URL's answer: the source read, the format negotiated, the options mapped, the
//! engine run as for `POST /thumbnail` (same slots, same prechecks), the image answered with a
//! long cache lifetime, its strong ETag (the POST path's) and 304 on `If-None-Match`.

use std::time::Instant;

use bytes::Bytes;
use http::{Request, Response};
use thumbprint_core::{ErrorCode, Options, Thumbnail};

use super::source::{read_local, SourceRef, Sources};
use super::{cdn, geometry, negotiate, verify, UrlConfig, Verified};
use crate::http::{
    base_headers, cached_error_response, etag_matches, header, respond, App, Body, RequestMeta,
};
use crate::request::{Source, ThumbRequest, Want};
use crate::ServiceError;

/// An error on a signed URL: the usual JSON; a caller's error may be cached briefly (a CDN
/// then does not send every retry of a broken `<img>` to the function), a failure of ours or of
/// the source not at all.
fn error(e: &ServiceError, meta: &RequestMeta) -> Response<Body> {
    let cache = if e.status() < 500 {
        "public, max-age=60"
    } else {
        "no-store"
    };
    cached_error_response(e, &meta.request_id, cache)
}

/// A signed URL's thumbnail and how it was made.
struct Made {
    thumbnail: Thumbnail,
    /// Whether `Accept` chose the format.
    negotiated: bool,
    /// Milliseconds reading the source.
    source_ms: f64,
    /// Milliseconds in the engine (the header read, the wait for a slot, the run).
    engine_ms: f64,
}

impl App {
    /// Answers `GET /{signature}/{options}/{source}`; `None` when signed URLs are off or the
    /// path is not of that shape (the caller answers `not_found`).
    pub(crate) async fn signed_url<B>(
        &self,
        req: &Request<B>,
        meta: &RequestMeta,
    ) -> Option<Response<Body>> {
        let config = self.urls.clone()?;
        let signed = verify(&config, req.uri().path())?;
        // Behind a CDN, only what came through it (its secret header) is answered: the API's
        // own address must not be a way around the cache.
        if !config
            .cdn_secrets
            .admits(header(req, cdn::HEADER).as_deref())
        {
            // Never cached: it is the CDN's own request that failed (a secret being rotated).
            return Some(cached_error_response(
                &ServiceError::new(ErrorCode::NotThroughCdn),
                &meta.request_id,
                "no-store",
            ));
        }
        let verified = match signed {
            Ok(v) => v,
            Err(e) => return Some(error(&e, meta)),
        };
        tracing::info!(
            request_id = %meta.request_id,
            options = %verified.options,
            source = verified.source.kind(),
            "signed url"
        );
        let accept = header(req, "accept");
        let made = match self
            .signed_thumbnail(&config, verified, accept.as_deref())
            .await
        {
            Ok(made) => made,
            Err(e) => return Some(error(&e, meta)),
        };
        let t = made.thumbnail;
        let mut headers = base_headers(t.mime());
        headers.push(("etag", t.etag.clone()));
        headers.push(("cache-control", config.cache_control.clone()));
        // Where the time went (ms), for browsers' network panels and benches/signed.py.
        headers.push((
            "server-timing",
            format!(
                "source;dur={:.1}, engine;dur={:.1}",
                made.source_ms, made.engine_ms
            ),
        ));
        let negotiated = made.negotiated;
        if negotiated {
            headers.push(("vary", "Accept".into()));
        }
        if header(req, "if-none-match").is_some_and(|v| etag_matches(&v, &t.etag)) {
            headers.retain(|(k, _)| *k != "content-type");
            return Some(respond(304, headers, Bytes::new()));
        }
        Some(respond(200, headers, Bytes::from(t.bytes)))
    }

    /// The thumbnail, whether `Accept` chose its format, and the time of each part.
    async fn signed_thumbnail(
        &self,
        config: &UrlConfig,
        verified: Verified,
        accept: Option<&str>,
    ) -> Result<Made, ServiceError> {
        let start = Instant::now();
        let bytes = self.signed_source(config, verified.source).await?;
        let source_ms = start.elapsed().as_secs_f64() * 1000.0;
        let start = Instant::now();
        // The header only: the source's kind and upright size, which the options need.
        let inspected = thumbprint_core::inspect(&bytes, &Options::default())?;
        let (format, negotiated) = negotiate(verified.processing.format, accept, self.auto_avif);
        let options = geometry::engine_options(
            &verified.processing,
            (inspected.width, inspected.height),
            format,
        )?;
        let request = ThumbRequest {
            source: Source::Bytes(bytes),
            want: Want::One(options),
        };
        let thumbnail = self.run_with(request, negotiated).await?;
        Ok(Made {
            thumbnail,
            negotiated,
            source_ms,
            engine_ms: start.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// The source's bytes, each kind capped at the engine's input cap before it is read whole.
    async fn signed_source(
        &self,
        config: &UrlConfig,
        source: SourceRef,
    ) -> Result<Vec<u8>, ServiceError> {
        match source {
            SourceRef::Http(url) => self.fetcher.fetch(url.as_str()).await,
            SourceRef::Local(path) => {
                let sources: Sources = config.sources.clone();
                tokio::task::spawn_blocking(move || read_local(&sources.local_file(&path)?))
                    .await
                    .unwrap_or_else(|_| Err(ServiceError::new(ErrorCode::InternalError)))
            }
            SourceRef::S3 { bucket, key } => match &config.s3 {
                Some(s3) => s3.get(&bucket, &key).await,
                None => Err(ServiceError::with_message(
                    ErrorCode::SourceUnavailable,
                    "S3 sources are not configured on this server",
                )),
            },
        }
    }
}

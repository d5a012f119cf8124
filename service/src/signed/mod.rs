//! Signed image URLs in imgproxy's dialect: `GET /{signature}/{options}/{source}`, so that an
//! `<img src>` can point at a thumbnail and a CDN can cache it, with URLs from the builders
//! people already use with imgproxy (docs/urls.md).
//!
//! The request path is split ([`path`]), its signature checked against the configured keys
//! ([`signature`]), its options read ([`options`]), its source decoded and checked against the
//! allow-lists ([`source`]); once the source's size is known, the options become the engine's
//! ([`geometry`]). The HTTP glue is in [`crate::http`].

mod answer;
pub mod cdn;
pub mod geometry;
pub mod options;
pub mod parameter;
pub mod path;
#[cfg(test)]
mod robust;
pub mod sign;
pub mod signature;
pub mod source;

pub use cdn::CdnSecrets;
pub use options::Processing;
pub use signature::UrlKeys;
pub use source::{SourceRef, Sources};
use thumbprint_core::{ErrorCode, Format};

use crate::error::ConfigError;
use crate::s3::S3;
use crate::ServiceError;

/// The `Cache-Control` of a signed URL's image unless configured otherwise: the URL names the
/// bytes (same URL, same engine, same bytes), so it may be cached for good.
pub const DEFAULT_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// Environment variables of the signed URLs (the Lambda's configuration; `thumbprint serve`
/// takes the same as flags).
pub mod env {
    /// Comma-separated hex keys.
    pub const KEYS: &str = "THUMBPRINT_URL_KEYS";
    /// Comma-separated hex salts, one per key.
    pub const SALTS: &str = "THUMBPRINT_URL_SALTS";
    /// `true` accepts the signature `insecure` (development only).
    pub const INSECURE: &str = "THUMBPRINT_URL_INSECURE";
    /// Comma-separated http(s) origins sources may come from.
    pub const ORIGINS: &str = "THUMBPRINT_URL_ORIGINS";
    /// Comma-separated S3 buckets sources may come from.
    pub const S3_BUCKETS: &str = "THUMBPRINT_URL_S3_BUCKETS";
    /// The images' `Cache-Control`.
    pub const CACHE_CONTROL: &str = "THUMBPRINT_URL_CACHE_CONTROL";
    /// Comma-separated secrets, one of which the CDN's origin header must hold.
    pub const CDN_SECRETS: &str = "THUMBPRINT_CDN_SECRETS";
    /// Where signed paths are asked (`POST /sign` answers it): the CDN's address.
    pub const BASE_URL: &str = "THUMBPRINT_URL_BASE";
}

/// How signed URLs are checked and where their sources may come from.
#[derive(Debug, Clone)]
pub struct UrlConfig {
    /// The signing keys.
    pub keys: UrlKeys,
    /// The allow-lists.
    pub sources: Sources,
    /// The images' `Cache-Control`.
    pub cache_control: String,
    /// The S3 client for `s3://` sources (from the environment, as the AWS SDKs read it).
    pub s3: Option<S3>,
    /// With a CDN in front: the secrets of its origin header ([`cdn`]).
    pub cdn_secrets: CdnSecrets,
    /// Where signed paths are asked, when not where the page is (the CDN's address).
    pub base_url: Option<String>,
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

impl UrlConfig {
    /// Signed URLs with these keys and sources, cached for good.
    pub fn new(keys: UrlKeys, sources: Sources) -> Self {
        UrlConfig {
            keys,
            sources,
            cache_control: DEFAULT_CACHE_CONTROL.to_string(),
            s3: None,
            cdn_secrets: CdnSecrets::default(),
            base_url: None,
        }
    }

    /// With the S3 client of the environment when buckets are listed (an error when they are
    /// and the environment has no credentials).
    pub fn with_s3_from_env(mut self) -> Result<Self, ConfigError> {
        if self.sources.s3_buckets.is_empty() {
            return Ok(self);
        }
        self.s3 = Some(S3::from_env()?.ok_or_else(|| {
            ConfigError::invalid(
                "S3 buckets",
                "are listed, but the environment has no AWS credentials (AWS_ACCESS_KEY_ID)",
            )
        })?);
        Ok(self)
    }

    /// The configuration the environment gives ([`mod@env`]): the keys from the SSM parameter
    /// [`parameter::ENV`] names (the Lambda, through its extension) or from
    /// `THUMBPRINT_URL_KEYS`/`THUMBPRINT_URL_SALTS`, not both; `None` when it gives no key and
    /// does not allow `insecure` (signed URLs are then refused).
    pub async fn from_env() -> Result<Option<UrlConfig>, ConfigError> {
        let get = |name: &str| std::env::var(name).unwrap_or_default();
        let from_parameter = parameter::keys_from_env().await?;
        let plain = (list(&get(env::KEYS)), list(&get(env::SALTS)));
        let keys = match from_parameter {
            Some(_) if !plain.0.is_empty() || !plain.1.is_empty() => {
                return Err(ConfigError::invalid(
                    parameter::ENV,
                    &format!("and {} are both set; give the keys one way", env::KEYS),
                ))
            }
            Some(keys) => keys,
            None => UrlKeys::from_hex(&plain.0, &plain.1).map_err(|e| {
                ConfigError::invalid(&format!("{}/{}", env::KEYS, env::SALTS), &e.to_string())
            })?,
        }
        .allowing_insecure(matches!(get(env::INSECURE).trim(), "true" | "1"));
        if !keys.enabled() {
            return Ok(None);
        }
        let sources = Sources {
            local_root: None,
            origins: list(&get(env::ORIGINS)),
            s3_buckets: list(&get(env::S3_BUCKETS)),
        };
        let mut config = UrlConfig::new(keys, sources).with_s3_from_env()?;
        let cache_control = get(env::CACHE_CONTROL);
        if !cache_control.trim().is_empty() {
            config.cache_control = cache_control.trim().to_string();
        }
        config.cdn_secrets = CdnSecrets::new(&list(&get(env::CDN_SECRETS)))
            .map_err(|e| ConfigError::invalid(env::CDN_SECRETS, &e))?;
        let base = get(env::BASE_URL);
        let base = base.trim().trim_end_matches('/');
        if !base.is_empty() {
            if !(base.starts_with("https://") || base.starts_with("http://")) {
                return Err(ConfigError::invalid(
                    env::BASE_URL,
                    "must be an http(s) address such as https://img.example.com",
                ));
            }
            config.base_url = Some(base.to_string());
        }
        Ok(Some(config))
    }
}

/// A signed request whose signature holds: what to make, and from where.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The options.
    pub processing: Processing,
    /// The source.
    pub source: SourceRef,
    /// The options as written (for the log line: never the signature or the source).
    pub options: String,
}

/// Checks the signature of a signed URL's `raw_path` (as sent, without the query), then reads
/// its options and source. `None` when the path is not a signed URL's shape at all.
pub fn verify(config: &UrlConfig, raw_path: &str) -> Option<Result<Verified, ServiceError>> {
    let signed = path::split(raw_path)?;
    if !config.keys.verify(signed.signature, &signed.path) {
        return Some(Err(ServiceError::new(ErrorCode::InvalidSignature)));
    }
    Some(read(config, &signed.path))
}

fn read(config: &UrlConfig, path: &str) -> Result<Verified, ServiceError> {
    let parsed = options::parse(path)?;
    let source = SourceRef::parse(&parsed.source)?;
    if !config.sources.allows(&source) {
        return Err(ServiceError::new(ErrorCode::UrlNotAllowed));
    }
    Ok(Verified {
        processing: parsed.processing,
        source,
        options: parsed.options.join("/"),
    })
}

/// The answer's format: the one asked for, else ([`crate::negotiate::choose`]) AVIF or lossy
/// WebP as `Accept` allows, else the engine's JPEG or PNG. The flag says whether `Accept` decided
/// (the answer then carries `Vary: Accept`).
pub fn negotiate(asked: Option<Format>, accept: Option<&str>, auto_avif: bool) -> (Format, bool) {
    let asked = asked.unwrap_or(Format::Auto);
    (
        crate::negotiate::choose(asked, false, accept, auto_avif),
        asked == Format::Auto,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_negotiated_only_when_not_asked_for() {
        let chrome = Some("image/avif,image/webp,*/*");
        assert_eq!(
            negotiate(Some(Format::Png), chrome, true),
            (Format::Png, false)
        );
        assert_eq!(
            negotiate(Some(Format::Auto), chrome, true),
            (Format::Avif, true)
        );
        assert_eq!(negotiate(None, chrome, true), (Format::Avif, true));
        assert_eq!(negotiate(None, chrome, false), (Format::Webp, true));
        assert_eq!(
            negotiate(None, Some("image/webp;q=0, image/png"), true),
            (Format::Auto, true)
        );
        assert_eq!(negotiate(None, None, true), (Format::Auto, true));
    }

    #[test]
    fn only_a_signature_the_keys_made_passes() {
        let keys = UrlKeys::from_hex(&["746573742d6b6579".into()], &["746573742d73616c74".into()])
            .expect("keys");
        let config = UrlConfig::new(
            keys.clone(),
            Sources {
                origins: vec!["https://img.example.com".into()],
                ..Sources::default()
            },
        );
        let path = "/rs:fit:300:300/plain/https://img.example.com/a.jpg";
        let signature = keys.sign(path).expect("a key");
        let ok = verify(&config, &format!("/{signature}{path}")).expect("signed shape");
        let ok = ok.expect("verified");
        assert_eq!(ok.options, "rs:fit:300:300");
        assert_eq!(ok.source.kind(), "http");
        let tampered = verify(
            &config,
            &format!("/{signature}{}", path.replace("300:300", "900:900")),
        );
        assert_eq!(
            tampered.expect("shape").expect_err("refused").code,
            ErrorCode::InvalidSignature
        );
        // A signed source off the lists is still refused.
        let other = "/rs:fit:300:300/plain/https://evil.test/a.jpg";
        let signature = keys.sign(other).expect("a key");
        let refused = verify(&config, &format!("/{signature}{other}")).expect("shape");
        assert_eq!(refused.expect_err("refused").code, ErrorCode::UrlNotAllowed);
        assert!(verify(&config, "/favicon.ico").is_none());
    }
}

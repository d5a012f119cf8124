//! Signed image URLs on the command line: `thumbprint serve`'s flags ([`UrlArgs`]: keys, the
//! `local:///` root, the allowed origins and buckets) and `thumbprint sign` ([`signed_path`]).

use std::path::PathBuf;

use clap::Args;
use thumbprint_service::signed::{signature, Sources, UrlConfig, UrlKeys};

/// Signed image URLs (`GET /{signature}/{options}/{source}`, imgproxy's format) on `serve`.
#[derive(Args, Debug, Default)]
pub struct UrlArgs {
    /// A URL signing key in hex (imgproxy's IMGPROXY_KEY); repeatable, each with its --url-salt,
    /// so a key can be rotated. Without one, signed URLs are refused.
    #[arg(long = "url-key", value_name = "HEX")]
    pub keys: Vec<String>,
    /// The salt of the --url-key at the same position, in hex; repeatable.
    #[arg(long = "url-salt", value_name = "HEX")]
    pub salts: Vec<String>,
    /// DEVELOPMENT ONLY: also accept the signature `insecure` (anyone can make any URL).
    #[arg(long)]
    pub url_insecure: bool,
    /// `local:///path` sources are files under this folder (nothing outside it).
    #[arg(long, value_name = "DIR")]
    pub local_root: Option<PathBuf>,
    /// An http(s) origin sources may come from (`https://images.example.com`); repeatable.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub origins: Vec<String>,
    /// An S3 bucket sources may come from; repeatable.
    #[arg(long = "allow-bucket", value_name = "BUCKET")]
    pub buckets: Vec<String>,
}

impl UrlArgs {
    /// The configuration, `None` when no key is given and `insecure` is not allowed.
    pub fn config(&self) -> Result<Option<UrlConfig>, String> {
        let keys = UrlKeys::from_hex(&self.keys, &self.salts)
            .map_err(|e| format!("--url-key/--url-salt: {e}"))?
            .allowing_insecure(self.url_insecure);
        if !keys.enabled() {
            let given =
                self.local_root.is_some() || !self.origins.is_empty() || !self.buckets.is_empty();
            if given {
                return Err(
                    "--local-root, --allow-origin and --allow-bucket need --url-key and --url-salt"
                        .into(),
                );
            }
            return Ok(None);
        }
        if let Some(root) = &self.local_root {
            if !root.is_dir() {
                return Err(format!("--local-root {}: not a folder", root.display()));
            }
        }
        for origin in &self.origins {
            let parsed =
                url::Url::parse(origin).map_err(|e| format!("--allow-origin {origin}: {e}"))?;
            let whole = parsed.origin().ascii_serialization();
            if !matches!(parsed.scheme(), "http" | "https") || whole != origin.trim_end_matches('/')
            {
                return Err(format!(
                    "--allow-origin {origin}: give an origin only, as http(s)://host[:port]"
                ));
            }
        }
        let config = UrlConfig::new(
            keys,
            Sources {
                local_root: self.local_root.clone(),
                origins: self.origins.clone(),
                s3_buckets: self.buckets.clone(),
            },
        );
        // Buckets are read with the credentials, region and endpoint of the environment.
        Ok(Some(
            config
                .with_s3_from_env()
                .map_err(|e| format!("--allow-bucket: {e}"))?,
        ))
    }
}

/// `thumbprint sign`: the signed path of `path` (options and source, with or without its
/// leading `/`) under `key` and `salt` (hex): `/{signature}/{path}`.
pub fn signed_path(key: &str, salt: &str, path: &str) -> Result<String, String> {
    let key = signature::from_hex("--key", key).map_err(|e| e.to_string())?;
    let salt = signature::from_hex("--salt", salt).map_err(|e| e.to_string())?;
    let path = format!("/{}", path.trim_start_matches('/'));
    Ok(format!("/{}{path}", signature::sign(&key, &salt, &path)))
}

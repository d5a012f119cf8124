//! Thumbnails on upload: S3 `ObjectCreated` notifications make the configured set of sizes of
//! each new object and write the members to a destination, exactly once in effect and never in
//! a loop (docs/uploads.md).
//!
//! S3 delivers each event at least once and out of order, so a record is not trusted for what
//! the object is: the object is read as it is now (HEAD, then a GET that must match its ETag),
//! and its members carry the source's ETag, the engine version and their options in their
//! metadata. A record whose members already say so writes nothing; a newer version replaces
//! them (and deletes members of the old one that the new one does not have); a deleted source
//! deletes its members when configured. A key under the destination prefix of the destination
//! bucket, or an object that is itself a member (its metadata says so), is skipped: the
//! function never feeds itself.

pub mod backfill;
pub mod names;
mod record;

use std::time::Instant;

use thumbprint_core::{ErrorCode, Options};

use crate::error::ConfigError;
use crate::http::App;
use crate::s3::S3;
use crate::ServiceError;

pub use record::{meta, EventKind, ObjectEvent, Outcome};

/// Environment variables of the upload trigger (Terraform sets them).
pub mod env {
    /// The bucket members are written to; the trigger is off without it.
    pub const DEST_BUCKET: &str = "THUMBPRINT_S3_DEST_BUCKET";
    /// The prefix of the members' keys (may be empty when the bucket is not a source).
    pub const DEST_PREFIX: &str = "THUMBPRINT_S3_DEST_PREFIX";
    /// The set: a JSON array of option objects, exactly as a request's `sizes`.
    pub const SIZES: &str = "THUMBPRINT_S3_SIZES";
    /// `true`: a deleted source deletes its members.
    pub const DELETE_MEMBERS: &str = "THUMBPRINT_S3_DELETE_MEMBERS";
    /// The members' `Cache-Control`.
    pub const CACHE_CONTROL: &str = "THUMBPRINT_S3_CACHE_CONTROL";
}

/// The members' `Cache-Control` unless configured: a member's key is rewritten when its
/// source changes, so it is not immutable.
pub const DEFAULT_CACHE_CONTROL: &str = "public, max-age=86400";

/// The upload trigger's configuration.
#[derive(Debug, Clone)]
pub struct UploadConfig {
    /// Where members go.
    pub dest_bucket: String,
    /// Their keys' prefix.
    pub dest_prefix: String,
    /// The set to make.
    pub sizes: Vec<Options>,
    /// Whether a deleted source deletes its members.
    pub delete_members: bool,
    /// The members' `Cache-Control`.
    pub cache_control: String,
    /// The S3 client (from the environment).
    pub s3: S3,
}

/// The sizes of [`env::SIZES`]: 1 to 8 option objects, every one valid (a member that could
/// never be made is a configuration error, not a log line per upload).
pub fn parse_sizes(text: &str) -> Result<Vec<Options>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("is not JSON: {e}"))?;
    crate::request::set_members(value)
        .map_err(|e| e.message.to_string())?
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let o = m.map_err(|e| format!("member {}: {}", i + 1, e.message))?;
            if o.format == thumbprint_core::Format::Auto {
                // A stored member's name carries its format before it is made, and no `Accept`
                // could choose it.
                return Err(format!(
                    "member {}: format auto cannot be stored: name png, jpeg, webp or avif",
                    i + 1
                ));
            }
            Ok(o)
        })
        .collect()
}

impl UploadConfig {
    /// The configuration the environment gives; `None` when no destination bucket is set (the
    /// trigger is off), an error naming the setting when it is set but unusable.
    pub fn from_env() -> Result<Option<UploadConfig>, ConfigError> {
        let get = |name: &str| std::env::var(name).unwrap_or_default().trim().to_string();
        let dest_bucket = get(env::DEST_BUCKET);
        if dest_bucket.is_empty() {
            return Ok(None);
        }
        let sizes_text = get(env::SIZES);
        if sizes_text.is_empty() {
            return Err(ConfigError::invalid(
                env::SIZES,
                "is needed with THUMBPRINT_S3_DEST_BUCKET: a JSON array such as [{\"width\":320},{\"width\":640}]",
            ));
        }
        let sizes = parse_sizes(&sizes_text).map_err(|e| ConfigError::invalid(env::SIZES, &e))?;
        let delete_members = match get(env::DELETE_MEMBERS).as_str() {
            "" | "false" | "0" => false,
            "true" | "1" => true,
            _ => {
                return Err(ConfigError::invalid(
                    env::DELETE_MEMBERS,
                    "must be true or false",
                ))
            }
        };
        let cache_control = match get(env::CACHE_CONTROL) {
            c if c.is_empty() => DEFAULT_CACHE_CONTROL.to_string(),
            c => c,
        };
        let s3 = S3::from_env()?.ok_or_else(|| {
            ConfigError::invalid(
                env::DEST_BUCKET,
                "is set, but the environment has no AWS credentials (AWS_ACCESS_KEY_ID)",
            )
        })?;
        Ok(Some(UploadConfig {
            dest_bucket,
            dest_prefix: get(env::DEST_PREFIX),
            sizes,
            delete_members,
            cache_control,
            s3,
        }))
    }
}

impl App {
    /// Handles every record of an S3 event, each on its own (one failing does not stop the
    /// others), one log line per record. The first failure is returned when any record failed,
    /// so that Lambda retries the event (records already handled then write nothing) and, past
    /// its retries, sends it to the on-failure destination.
    pub async fn upload_event(
        &self,
        records: &[ObjectEvent],
        request_id: &str,
    ) -> Result<Vec<Outcome>, ServiceError> {
        let Some(config) = self.uploads.clone() else {
            return Err(ServiceError::with_message(
                ErrorCode::InvalidRequest,
                "an S3 event, but thumbnails on upload are not configured (THUMBPRINT_S3_DEST_BUCKET)",
            ));
        };
        let mut outcomes = Vec::with_capacity(records.len());
        let mut first_failure = None;
        for record in records {
            let start = Instant::now();
            let result = self.upload_record(&config, record).await;
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            match result {
                Ok(outcome) => {
                    tracing::info!(
                        request_id,
                        bucket = %record.bucket,
                        key = %record.key,
                        kind = ?record.kind,
                        outcome = ?outcome,
                        duration_ms = ms,
                        "upload record"
                    );
                    outcomes.push(outcome);
                }
                Err(e) => {
                    e.log(request_id);
                    tracing::error!(
                        request_id,
                        bucket = %record.bucket,
                        key = %record.key,
                        kind = ?record.kind,
                        code = e.code.as_str(),
                        reason = %e.message,
                        duration_ms = ms,
                        "upload record failed"
                    );
                    first_failure.get_or_insert(e);
                }
            }
        }
        match first_failure {
            Some(e) => Err(e),
            None => Ok(outcomes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_sizes;
    use crate::upload::names::options_label;
    use thumbprint_core::Format;

    #[test]
    fn sizes_take_every_stored_format_but_auto() {
        let sizes = parse_sizes(
            r#"[{"width":320,"format":"avif"},{"width":640,"format":"webp","lossless":true}]"#,
        )
        .expect("valid");
        assert_eq!(
            (sizes[0].format, sizes[1].format, sizes[1].lossless),
            (Format::Avif, Format::Webp, true)
        );
        assert_eq!(options_label(&sizes[0]), "w320-h320-contain-avif-qdefault");
        assert_eq!(
            options_label(&sizes[1]),
            "w640-h640-contain-webp-qdefault-lossless"
        );
        let auto = parse_sizes(r#"[{"width":320},{"width":640,"format":"auto"}]"#);
        assert!(auto.is_err_and(|e| e.contains("member 2") && e.contains("auto")));
    }
}

//! `POST /sign` (behind the JWT, like `POST /thumbnail`): signs paths of signed image URLs for
//! a signed-in caller, so that the page can show an `<img>` to copy without the keys ever
//! leaving the server. A path is read as a GET of it would be (options, source, allow-lists)
//! and refused with the same error when it would be refused, so a signed path always answers.
//!
//! Request `{"paths": ["/rs:fit:320:320/plain/s3://bucket/photo.jpg", ...]}` (1 to
//! [`MAX_PATHS`]); answer `{"paths": ["/{signature}/rs:fit:320:320/plain/...", ...],
//! "base_url": "https://img.example.com"}`, `base_url` present when configured (the CDN's
//! address, where the paths should be asked).

use serde::Deserialize;
use thumbprint_core::ErrorCode;

use super::{path, read, UrlConfig};
use crate::ServiceError;

/// Most paths one request may sign (a `srcset` of a set's sizes).
pub const MAX_PATHS: usize = 16;

/// Longest path signed, in bytes (API Gateway's own limit on a request line is 10 KiB).
pub const MAX_PATH_BYTES: usize = 8192;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignRequest {
    paths: Vec<String>,
}

fn invalid(message: &'static str) -> ServiceError {
    ServiceError::with_message(ErrorCode::InvalidRequest, message)
}

/// The answer's JSON for a request body, or the error of the first path refused.
pub fn sign_paths(config: &UrlConfig, body: &[u8]) -> Result<serde_json::Value, ServiceError> {
    let request: SignRequest = serde_json::from_slice(body)
        .map_err(|_| invalid("the body must be {\"paths\": [\"/options/source\", ...]}"))?;
    if request.paths.is_empty() || request.paths.len() > MAX_PATHS {
        return Err(invalid("paths must hold 1 to 16 paths"));
    }
    let signed = request
        .paths
        .iter()
        .map(|p| sign_one(config, p))
        .collect::<Result<Vec<String>, ServiceError>>()?;
    let mut answer = serde_json::json!({ "paths": signed });
    if let Some(base) = &config.base_url {
        answer["base_url"] = serde_json::Value::String(base.clone());
    }
    Ok(answer)
}

fn sign_one(config: &UrlConfig, given: &str) -> Result<String, ServiceError> {
    if given.len() > MAX_PATH_BYTES {
        return Err(invalid("a path is over 8 KiB"));
    }
    // As a GET of it will be read: split after a stand-in signature, so that the path signed
    // is the one the server will check (re-normalised as imgproxy does).
    let rest = given.trim_start_matches('/');
    let normalised = path::split(&format!("/-/{rest}"))
        .ok_or_else(|| invalid("a path needs options or a source"))?
        .path;
    read(config, &normalised)?;
    let signature = match config.keys.sign(&normalised) {
        Some(signature) => signature,
        // No key, only `insecure` allowed: the URL needs no signature.
        None => "insecure".to_string(),
    };
    Ok(format!("/{signature}{normalised}"))
}

//! The one pipeline every front end runs: engine call with panics caught.

use std::panic::{catch_unwind, AssertUnwindSafe};

use thumbprint_core::{ErrorCode, Options, Thumbnail};

use crate::ServiceError;

/// Runs the engine on `input`. A panic anywhere below becomes `internal_error`.
pub fn run(input: &[u8], options: &Options) -> Result<Thumbnail, ServiceError> {
    match catch_unwind(AssertUnwindSafe(|| {
        thumbprint_core::thumbnail(input, options)
    })) {
        Ok(Ok(thumbnail)) => {
            if let Some(why) = thumbnail.fallback {
                // Which reduced-scale decodes fall back, and why, is what a speed regression
                // looks like from outside; the file itself is never logged.
                tracing::info!(fallback = why.name(), "jpeg decoded at full scale");
            }
            Ok(thumbnail)
        }
        Ok(Err(e)) => Err(ServiceError::from(e)),
        Err(_) => Err(ServiceError::new(ErrorCode::InternalError)),
    }
}

/// The engine's cheap checks (format, header, pixel and work budgets, predicted memory), with
/// panics caught: what can be refused without decoding is refused here, before a caller waits
/// for an engine slot.
pub fn precheck(input: &[u8], options: &Options) -> Result<(), ServiceError> {
    match catch_unwind(AssertUnwindSafe(|| {
        thumbprint_core::inspect(input, options)
    })) {
        Ok(Ok(i)) if i.admitted => Ok(()),
        Ok(Ok(_)) => Err(ServiceError::new(ErrorCode::ImageTooLarge)),
        Ok(Err(e)) => Err(ServiceError::from(e)),
        Err(_) => Err(ServiceError::new(ErrorCode::InternalError)),
    }
}

/// The success object of the CLI's `--json` and of `Accept: application/json` (without the
/// base64 payload): `{"width","height","format","bytes","etag"}`.
pub fn metadata_json(t: &Thumbnail) -> serde_json::Value {
    serde_json::json!({
        "width": t.width,
        "height": t.height,
        "format": t.format.as_str(),
        "bytes": t.bytes.len(),
        "etag": t.etag,
    })
}

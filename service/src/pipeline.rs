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

/// Runs the engine on a set: each member's result as [`run`] gives it. A panic anywhere below
/// fails every member with `internal_error`.
pub fn run_set(input: &[u8], members: &[Options]) -> Vec<Result<Thumbnail, ServiceError>> {
    match catch_unwind(AssertUnwindSafe(|| {
        thumbprint_core::thumbnails(input, members)
    })) {
        Ok(results) => results
            .into_iter()
            .map(|r| r.map_err(ServiceError::from))
            .collect(),
        Err(_) => members
            .iter()
            .map(|_| Err(ServiceError::new(ErrorCode::InternalError)))
            .collect(),
    }
}

/// The largest JSON body a set may answer: a 6 MB Lambda response (6,291,556 B) less room for
/// the proxy envelope (status, headers, the body's quotes escaped once more).
pub const SET_BODY_CAP: usize = 6_200_000;

/// The JSON answer of a set, `{"thumbnails": [member...]}`: each member the success object in
/// `shape` (`Success::with_bytes` over HTTP, `Success::direct` for a direct invoke) or its error
/// object. `output_too_large` for the whole set when it would not fit [`SET_BODY_CAP`].
pub fn set_json(
    results: &[Result<Thumbnail, ServiceError>],
    shape: impl Fn(&Thumbnail) -> serde_json::Value,
) -> Result<String, ServiceError> {
    let members: Vec<serde_json::Value> = results
        .iter()
        .map(|r| match r {
            Ok(t) => shape(t),
            Err(e) => e.to_json(None),
        })
        .collect();
    let body = serde_json::json!({ "thumbnails": members }).to_string();
    if body.len() > SET_BODY_CAP {
        return Err(ServiceError::with_message(
            ErrorCode::OutputTooLarge,
            "the set's thumbnails would be over the response size cap together: ask for fewer or smaller members",
        ));
    }
    Ok(body)
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

/// The one JSON success object, in its three shapes: the CLI's `--json` (the metadata:
/// `width, height, format, bytes, etag`), `Accept: application/json` (the metadata and
/// `thumbnail_base64`), and direct invoke (`width, height, format, thumbnail_base64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `png`, `jpeg` or `webp`.
    pub format: &'static str,
    /// Length of the thumbnail in bytes.
    pub bytes: Option<usize>,
    /// The thumbnail's strong ETag (quoted).
    pub etag: Option<&'a str>,
    /// The thumbnail, standard base64.
    pub thumbnail_base64: Option<String>,
}

impl<'a> Success<'a> {
    /// The metadata of `t` (the CLI's `--json`).
    pub fn metadata(t: &'a Thumbnail) -> Self {
        Success {
            width: t.width,
            height: t.height,
            format: t.format.as_str(),
            bytes: Some(t.bytes.len()),
            etag: Some(&t.etag),
            thumbnail_base64: None,
        }
    }

    /// The metadata and the bytes (`Accept: application/json`).
    pub fn with_bytes(t: &'a Thumbnail) -> Self {
        Success {
            thumbnail_base64: Some(base64_of(&t.bytes)),
            ..Success::metadata(t)
        }
    }

    /// Size, format and bytes (direct invoke).
    pub fn direct(t: &'a Thumbnail) -> Self {
        Success {
            width: t.width,
            height: t.height,
            format: t.format.as_str(),
            bytes: None,
            etag: None,
            thumbnail_base64: Some(base64_of(&t.bytes)),
        }
    }

    /// The object as a JSON value (built field by field: nothing here can fail).
    pub fn to_json(&self) -> serde_json::Value {
        let mut o = serde_json::Map::new();
        o.insert("width".into(), self.width.into());
        o.insert("height".into(), self.height.into());
        o.insert("format".into(), self.format.into());
        if let Some(bytes) = self.bytes {
            o.insert("bytes".into(), bytes.into());
        }
        if let Some(etag) = self.etag {
            o.insert("etag".into(), etag.into());
        }
        if let Some(b64) = &self.thumbnail_base64 {
            o.insert("thumbnail_base64".into(), b64.as_str().into());
        }
        serde_json::Value::Object(o)
    }
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

//! The service's one error type: a stable code (shared with the engine), a fixed message, the
//! HTTP status of each code, and the cause (logged, never answered).

use thumbprint_core::{Cause, ErrorCode};

/// An error answered to a caller. The message is fixed text, never input data; the cause (a
/// codec's error, an IO error) goes to the log only.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ServiceError {
    /// The stable code.
    pub code: ErrorCode,
    /// A fixed, caller-safe message.
    pub message: &'static str,
    /// What went wrong underneath, when known.
    #[source]
    cause: Option<Cause>,
}

/// Two errors are equal when a caller would see the same answer; causes are not compared.
impl PartialEq for ServiceError {
    fn eq(&self, other: &ServiceError) -> bool {
        (self.code, self.message) == (other.code, other.message)
    }
}

impl Eq for ServiceError {}

/// The HTTP status of each code: the design's error table.
pub fn http_status(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::InvalidRequest | ErrorCode::InvalidOption => 400,
        ErrorCode::PayloadTooLarge | ErrorCode::OutputTooLarge | ErrorCode::SourceTooLarge => 413,
        ErrorCode::UnsupportedMediaType => 415,
        ErrorCode::UnsupportedFormat
        | ErrorCode::CorruptImage
        | ErrorCode::ImageTooLarge
        | ErrorCode::UrlNotAllowed => 422,
        ErrorCode::SourceUnavailable => 502,
        ErrorCode::SourceTimeout => 504,
        ErrorCode::InternalError => 500,
        ErrorCode::NotFound => 404,
    }
}

impl ServiceError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        Self::with_message(code, code.default_message())
    }

    /// An error with a specific fixed message.
    pub fn with_message(code: ErrorCode, message: &'static str) -> Self {
        ServiceError {
            code,
            message,
            cause: None,
        }
    }

    /// The same error, with `cause` (logged, never answered).
    pub fn caused_by(self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        ServiceError {
            cause: Some(std::sync::Arc::new(cause)),
            ..self
        }
    }

    /// The HTTP status of the error.
    pub fn status(&self) -> u16 {
        http_status(self.code)
    }

    /// Logs the refusal with its cause, when there is one (the answer carries only the code
    /// and the fixed message).
    pub fn log(&self, request_id: &str) {
        let Some(cause) = &self.cause else {
            return;
        };
        let mut chain = cause.to_string();
        let mut next = cause.source();
        while let Some(e) = next {
            chain.push_str(": ");
            chain.push_str(&e.to_string());
            next = e.source();
        }
        tracing::warn!(request_id = %request_id, code = %self.code, cause = %chain, "refused");
    }

    /// The `{"error": {"code", "message"}}` body (plus `request_id` when given).
    pub fn to_json(&self, request_id: Option<&str>) -> serde_json::Value {
        let mut v = serde_json::json!({
            "error": {"code": self.code.as_str(), "message": self.message}
        });
        if let Some(id) = request_id {
            v["request_id"] = serde_json::Value::from(id);
        }
        v
    }
}

impl From<thumbprint_core::Error> for ServiceError {
    fn from(e: thumbprint_core::Error) -> Self {
        let code = e.code();
        match e {
            thumbprint_core::Error::InvalidOption(msg) => ServiceError::with_message(code, msg),
            thumbprint_core::Error::CorruptImage(cause)
            | thumbprint_core::Error::Internal(cause) => ServiceError {
                cause,
                ..ServiceError::new(code)
            },
            _ => ServiceError::new(code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_causes_are_kept_for_the_log_and_kept_out_of_the_answer() {
        let input = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0broken";
        let engine = thumbprint_core::thumbnail(input, &thumbprint_core::Options::default())
            .expect_err("a truncated PNG is refused");
        let e = ServiceError::from(engine);
        assert_eq!(e.code, ErrorCode::CorruptImage);
        let body = e.to_json(Some("r")).to_string();
        let chain = std::error::Error::source(&e)
            .map(ToString::to_string)
            .expect("the codec's error is kept");
        assert!(
            !chain.is_empty() && !body.contains(&chain),
            "{body} / {chain}"
        );
        assert_eq!(e, ServiceError::new(ErrorCode::CorruptImage));
    }

    #[test]
    fn every_code_has_an_error_status() {
        for code in ErrorCode::ALL {
            assert!((400..600).contains(&http_status(code)), "{code}");
        }
    }
}

//! The service's one error type: a stable code (shared with the engine) and a fixed message.

use thumbprint_core::ErrorCode;

/// An error answered to a caller. The message is fixed text, never input data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ServiceError {
    /// The stable code.
    pub code: ErrorCode,
    /// A fixed, caller-safe message.
    pub message: &'static str,
}

impl ServiceError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        ServiceError {
            code,
            message: code.default_message(),
        }
    }

    /// An error with a specific fixed message.
    pub fn with_message(code: ErrorCode, message: &'static str) -> Self {
        ServiceError { code, message }
    }

    /// The HTTP status of the error.
    pub fn status(&self) -> u16 {
        self.code.http_status()
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
            _ => ServiceError::new(code),
        }
    }
}

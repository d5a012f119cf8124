//! The service's errors: [`ServiceError`], answered to a caller (a stable code shared with the
//! engine, a message, the HTTP status of each code, and the cause: logged, never answered), and
//! [`ConfigError`], a setting it was started with that it cannot use.

use std::borrow::Cow;

use thumbprint_core::{Cause, ErrorCode};

/// An error answered to a caller. The message is fixed text, or names an option of the request
/// ([`ServiceError::naming`]: only a plain option name, never other input data); the cause (a
/// codec's error, an IO error) goes to the log only.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ServiceError {
    /// The stable code.
    pub code: ErrorCode,
    /// A caller-safe message.
    pub message: Cow<'static, str>,
    /// What went wrong underneath, when known.
    #[source]
    cause: Option<Cause>,
}

/// Two errors are equal when a caller would see the same answer; causes are not compared.
impl PartialEq for ServiceError {
    fn eq(&self, other: &ServiceError) -> bool {
        (self.code, &self.message) == (other.code, &other.message)
    }
}

impl Eq for ServiceError {}

/// A setting the service was started with that it cannot use (a key that is not hex, a bucket
/// list that is empty): reported once, at start, with the setting's name and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting} {reason}")]
pub struct ConfigError {
    /// The setting (flag or environment variable).
    pub setting: String,
    /// What is wrong with it.
    pub reason: String,
}

impl ConfigError {
    /// `setting` is unusable because of `reason`.
    pub fn invalid(setting: &str, reason: &str) -> Self {
        ConfigError {
            setting: setting.to_string(),
            reason: reason.to_string(),
        }
    }
}

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
        ErrorCode::InvalidSignature | ErrorCode::NotThroughCdn => 403,
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
            message: Cow::Borrowed(message),
            cause: None,
        }
    }

    /// An error whose message names what the caller sent (an option's name or value): `what`
    /// is quoted when it is short and plain (ASCII letters, digits, `_-.:@`), and left out
    /// otherwise, so no other input reaches the answer. `text` is the message with `{}` where
    /// the name goes.
    pub fn naming(code: ErrorCode, text: &'static str, what: &str) -> Self {
        let plain = !what.is_empty()
            && what.len() <= 40
            && what
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.:@".contains(c));
        let name = if plain {
            format!("`{what}`")
        } else {
            "(not shown)".to_string()
        };
        ServiceError {
            code,
            message: Cow::Owned(text.replacen("{}", &name, 1)),
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
            "error": {"code": self.code.as_str(), "message": self.message.as_ref()}
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

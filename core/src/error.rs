//! The one error type of the engine and the table of stable error codes shared by every front end.

use std::sync::Arc;

use thiserror::Error;

/// Every error code the service can answer with, in every front end (HTTP, direct invoke, JS, CLI).
///
/// The engine produces only some of them; the others belong to the request layer, but the table
/// lives here so that each code and its fixed message are defined exactly once (the HTTP status
/// of each is the service's business, not the engine's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Body not JSON, unknown or duplicate fields, neither or both sources, bad base64.
    InvalidRequest,
    /// width/height/fit/format/quality out of range or of the wrong type.
    InvalidOption,
    /// Request body over the cap.
    PayloadTooLarge,
    /// The result would not fit the response cap.
    OutputTooLarge,
    /// A raw body whose Content-Type is not an image type.
    UnsupportedMediaType,
    /// Bytes are not an accepted image format.
    UnsupportedFormat,
    /// An accepted format, but broken or truncated past use.
    CorruptImage,
    /// Over the pixel, memory or work budget (decided from the header, before decoding).
    ImageTooLarge,
    /// `image_url` fails the source policy.
    UrlNotAllowed,
    /// The fetched source is over the byte cap.
    SourceTooLarge,
    /// The source could not be fetched or answered an error.
    SourceUnavailable,
    /// The source was too slow.
    SourceTimeout,
    /// A bug; a caught panic is reported as this.
    InternalError,
    /// No such route (the local server and direct hits on the function), or no such source
    /// object behind a signed URL.
    NotFound,
    /// A signed image URL whose signature no configured key made.
    InvalidSignature,
    /// A signed image URL asked of the origin directly when it answers them only through its
    /// CDN (the CDN's secret origin header is missing or wrong).
    NotThroughCdn,
}

/// A code name that is not one of [`ErrorCode::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownErrorCode(pub String);

impl std::fmt::Display for UnknownErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown error code {:?}", self.0)
    }
}

impl std::error::Error for UnknownErrorCode {}

impl std::str::FromStr for ErrorCode {
    type Err = UnknownErrorCode;

    /// The code named `s` (as [`ErrorCode::as_str`] writes it).
    fn from_str(s: &str) -> Result<ErrorCode, UnknownErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownErrorCode(s.to_string()))
    }
}

impl ErrorCode {
    /// Every code, in table order.
    pub const ALL: [ErrorCode; 16] = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidOption,
        ErrorCode::PayloadTooLarge,
        ErrorCode::OutputTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::UnsupportedFormat,
        ErrorCode::CorruptImage,
        ErrorCode::ImageTooLarge,
        ErrorCode::UrlNotAllowed,
        ErrorCode::SourceTooLarge,
        ErrorCode::SourceUnavailable,
        ErrorCode::SourceTimeout,
        ErrorCode::InternalError,
        ErrorCode::NotFound,
        ErrorCode::InvalidSignature,
        ErrorCode::NotThroughCdn,
    ];

    /// The snake_case code, as it appears in `{"error": {"code": ...}}`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidOption => "invalid_option",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::OutputTooLarge => "output_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::UnsupportedFormat => "unsupported_format",
            ErrorCode::CorruptImage => "corrupt_image",
            ErrorCode::ImageTooLarge => "image_too_large",
            ErrorCode::UrlNotAllowed => "url_not_allowed",
            ErrorCode::SourceTooLarge => "source_too_large",
            ErrorCode::SourceUnavailable => "source_unavailable",
            ErrorCode::SourceTimeout => "source_timeout",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidSignature => "invalid_signature",
            ErrorCode::NotThroughCdn => "not_through_cdn",
        }
    }

    /// A fixed, caller-safe message for the code (never contains input data).
    pub fn default_message(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "the request is malformed",
            ErrorCode::InvalidOption => "an option is out of range or of the wrong type",
            ErrorCode::PayloadTooLarge => "the request body is over the size cap",
            ErrorCode::OutputTooLarge => "the thumbnail would be over the response size cap",
            ErrorCode::UnsupportedMediaType => "the body's Content-Type is not an image type",
            ErrorCode::UnsupportedFormat => {
                "the bytes are not an accepted image format (JPEG, PNG, GIF, WebP, BMP, TIFF, ICO)"
            }
            ErrorCode::CorruptImage => "the image is corrupt or truncated",
            ErrorCode::ImageTooLarge => {
                "the image is over the engine's pixel, memory or work budget"
            }
            ErrorCode::UrlNotAllowed => "the image_url is not allowed",
            ErrorCode::SourceTooLarge => "the source image is over the size cap",
            ErrorCode::SourceUnavailable => "the source image could not be fetched",
            ErrorCode::SourceTimeout => "the source image took too long to fetch",
            ErrorCode::InternalError => "internal error",
            ErrorCode::NotFound => "no such route",
            ErrorCode::InvalidSignature => "the URL's signature is not valid",
            ErrorCode::NotThroughCdn => "image URLs are answered only through the CDN's address",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The underlying failure behind an engine error, when there is one (a codec's or the
/// resampler's own error): for logs, never for callers.
pub type Cause = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What the engine can refuse. The messages are the fixed texts of [`ErrorCode::default_message`]
/// (or, for options, a fixed text naming the option and its range): nothing from the input is
/// echoed. The codec's own error, when there is one, is kept as the [`source`] for logs.
///
/// Two errors are equal when a caller would see the same code and message; their causes are
/// not compared.
///
/// [`source`]: std::error::Error::source
#[derive(Debug, Clone, Error)]
pub enum Error {
    /// An option is out of range or of the wrong type; the text names the option and its range.
    #[error("{0}")]
    InvalidOption(&'static str),
    /// The bytes are not an accepted image format.
    #[error("{}", ErrorCode::UnsupportedFormat.default_message())]
    UnsupportedFormat,
    /// The format is accepted but the data is broken or truncated.
    #[error("{}", ErrorCode::CorruptImage.default_message())]
    CorruptImage(#[source] Option<Cause>),
    /// Over the pixel budget, the predicted memory or a work cap (refused from the header).
    #[error("{}", ErrorCode::ImageTooLarge.default_message())]
    ImageTooLarge,
    /// The encoded thumbnail is larger than the response cap.
    #[error("{}", ErrorCode::OutputTooLarge.default_message())]
    OutputTooLarge,
    /// A bug in the engine or a codec (never expected).
    #[error("{}", ErrorCode::InternalError.default_message())]
    Internal(#[source] Option<Cause>),
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        self.code() == other.code() && self.to_string() == other.to_string()
    }
}

impl Eq for Error {}

impl Error {
    /// `corrupt_image`, caused by `cause`.
    pub(crate) fn corrupt(cause: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::CorruptImage(Some(Arc::new(cause)))
    }

    /// `internal_error`, caused by `cause`.
    pub(crate) fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::Internal(Some(Arc::new(cause)))
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidOption(_) => ErrorCode::InvalidOption,
            Error::UnsupportedFormat => ErrorCode::UnsupportedFormat,
            Error::CorruptImage(_) => ErrorCode::CorruptImage,
            Error::ImageTooLarge => ErrorCode::ImageTooLarge,
            Error::OutputTooLarge => ErrorCode::OutputTooLarge,
            Error::Internal(_) => ErrorCode::InternalError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn every_code_round_trips_through_its_name() {
        for code in ErrorCode::ALL {
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
        }
        assert!("no_such_code".parse::<ErrorCode>().is_err());
    }

    #[test]
    fn messages_come_from_the_one_table_and_causes_stay_for_logs() {
        let cause = std::io::Error::other("inflate failed at byte 812");
        let e = Error::corrupt(cause);
        assert_eq!(e.to_string(), ErrorCode::CorruptImage.default_message());
        assert!(!e.to_string().contains("812"), "the cause reaches callers");
        let source = e.source().expect("the cause is kept");
        assert!(source.to_string().contains("inflate failed"));
        assert_eq!(e, Error::CorruptImage(None));
        assert_ne!(e, Error::Internal(None));
        for e in [
            Error::UnsupportedFormat,
            Error::ImageTooLarge,
            Error::OutputTooLarge,
            Error::Internal(None),
        ] {
            assert_eq!(e.to_string(), e.code().default_message());
        }
    }
}

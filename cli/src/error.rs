//! The command line's one error type: what the service would answer for the same input and
//! options, or a file that could not be read or written (the user's to fix, not a bug of ours:
//! it names the path and the operating system's reason).

use std::path::{Path, PathBuf};

use thumbprint_service::ServiceError;

/// The exit status of a file error (1 is the service's errors, 2 usage errors).
pub const EXIT_FILE: u8 = 3;

/// Why the command failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// What the service answers for the same input and options (exit status 1).
    #[error("{}: {}", .0.code, .0.message)]
    Service(#[from] ServiceError),
    /// A file or standard stream that could not be read or written (exit status [`EXIT_FILE`]).
    #[error("file_error: {}", file_message(action, path, reason))]
    File {
        /// `read` or `write`.
        action: &'static str,
        /// The path as given (`-`: standard input or output).
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
}

impl CliError {
    /// A file error: `action` (`read`, `write`) on `path` failed with `e`.
    pub fn file(action: &'static str, path: &Path, e: &std::io::Error) -> Self {
        CliError::File {
            action,
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }

    /// The error's code: the service's snake_case code, or `file_error`.
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Service(e) => e.code.as_str(),
            CliError::File { .. } => "file_error",
        }
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Service(_) => 1,
            CliError::File { .. } => EXIT_FILE,
        }
    }

    /// `{"error": {"code", "message"}}`, as the HTTP API answers; a file error also names its
    /// `path`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            CliError::Service(e) => e.to_json(None),
            CliError::File {
                action,
                path,
                reason,
            } => serde_json::json!({
                "error": {
                    "code": self.code(),
                    "message": file_message(action, path, reason),
                    "path": path.display().to_string(),
                }
            }),
        }
    }
}

/// What a file error says: the action, the path and the operating system's reason.
fn file_message(action: &str, path: &Path, reason: &str) -> String {
    format!("cannot {action} {}: {reason}", path.display())
}

//! Backfill: S3 Batch Operations' `LambdaInvoke` tasks (docs/backfill.md). Each task is an
//! object that already exists; it gets exactly what the upload trigger gives a new upload (the
//! same set, names and metadata, and nothing written when its members are already there) and a
//! result that tells Batch Operations whether to retry it.

use std::collections::BTreeMap;
use std::time::Instant;

use super::record::{EventKind, ObjectEvent, Outcome};
use super::{parse_sizes, UploadConfig};
use crate::http::App;
use crate::{s3, ServiceError};

/// Longest `resultString` written (the completion report keeps a short string per task).
pub const MAX_RESULT_STRING: usize = 1_000;

/// The user arguments a job may pass (invocation schema 2.0).
pub mod arguments {
    /// Another set for this job: a JSON array of option objects, as `THUMBPRINT_S3_SIZES`.
    pub const SIZES: &str = "sizes";
}

/// One task: an object named by the job's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The bucket.
    pub bucket: String,
    /// The key, decoded.
    pub key: String,
}

/// What Batch Operations is told about a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskResult {
    /// Done: the members' keys (written now or already there).
    Succeeded(String),
    /// A retry may succeed (S3 throttling, failing or unreachable, a timeout, the object
    /// changing while it was read): Batch Operations retries it.
    TemporaryFailure(String),
    /// No retry can (not an image, over the input cap, missing, a member's key, a bad job).
    PermanentFailure(String),
}

impl TaskResult {
    /// The result code Batch Operations reads.
    pub fn code(&self) -> &'static str {
        match self {
            TaskResult::Succeeded(_) => "Succeeded",
            TaskResult::TemporaryFailure(_) => "TemporaryFailure",
            TaskResult::PermanentFailure(_) => "PermanentFailure",
        }
    }

    /// The result string, at most [`MAX_RESULT_STRING`] bytes.
    pub fn text(&self) -> String {
        let (TaskResult::Succeeded(t)
        | TaskResult::TemporaryFailure(t)
        | TaskResult::PermanentFailure(t)) = self;
        shorten(t)
    }
}

/// `text` cut at a character boundary to fit [`MAX_RESULT_STRING`], marked when cut.
fn shorten(text: &str) -> String {
    if text.len() <= MAX_RESULT_STRING {
        return text.to_string();
    }
    let mut end = MAX_RESULT_STRING - 4;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ...", &text[..end])
}

/// The job's configuration: the trigger's, with the set a job's user arguments name. An
/// unknown argument or a set the trigger's configuration would refuse is an error (every task
/// of the job then fails permanently, and nothing is written).
pub fn job_config(
    base: &UploadConfig,
    arguments: &BTreeMap<String, String>,
) -> Result<UploadConfig, String> {
    let mut config = base.clone();
    for (name, value) in arguments {
        match name.as_str() {
            arguments::SIZES => {
                config.sizes =
                    parse_sizes(value).map_err(|e| format!("user argument {name} {e}"))?;
            }
            other => {
                return Err(format!(
                    "unknown user argument {other:?} (accepted: {})",
                    arguments::SIZES
                ))
            }
        }
    }
    Ok(config)
}

/// A succeeded task's string: `{"written":[keys]}` or `{"unchanged":[keys]}` (keys may hold
/// spaces, so JSON), with `"refused":n` when members could not be made; only the count when
/// the keys would not fit [`MAX_RESULT_STRING`].
fn members_json(what: &str, keys: &[String], refused: usize) -> String {
    let mut v = serde_json::json!({ what: keys });
    if refused > 0 {
        v["refused"] = refused.into();
    }
    let text = v.to_string();
    if text.len() <= MAX_RESULT_STRING {
        return text;
    }
    v[what] = keys.len().into();
    v.to_string()
}

/// The result of a task from what the trigger's record came to.
fn result_of(outcome: Result<Outcome, ServiceError>) -> TaskResult {
    match outcome {
        Ok(Outcome::Written { keys, refused, .. }) => {
            TaskResult::Succeeded(members_json("written", &keys, refused))
        }
        Ok(Outcome::Unchanged(keys)) => TaskResult::Succeeded(members_json("unchanged", &keys, 0)),
        Ok(Outcome::Deleted(_)) => TaskResult::Succeeded(String::new()),
        Ok(Outcome::Skipped("the object is gone")) => {
            TaskResult::PermanentFailure("NoSuchKey: the object does not exist".into())
        }
        Ok(Outcome::Skipped(why)) => TaskResult::PermanentFailure(format!("skipped: {why}")),
        Err(e) if s3::is_transient(&e) => {
            TaskResult::TemporaryFailure(format!("{}: {}", e.code.as_str(), e.message))
        }
        Err(e) => TaskResult::PermanentFailure(format!("{}: {}", e.code.as_str(), e.message)),
    }
}

impl App {
    /// Answers every task of an invocation, in order. `arguments` are the job's user arguments
    /// (empty for invocation schema 1.0). Without the trigger's configuration, or with a bad
    /// job, every task fails permanently and nothing is read or written.
    pub async fn backfill(
        &self,
        tasks: &[Task],
        arguments: &BTreeMap<String, String>,
        request_id: &str,
    ) -> Vec<TaskResult> {
        let config = match &self.uploads {
            None => {
                Err("thumbnails on upload are not configured (THUMBPRINT_S3_DEST_BUCKET)".into())
            }
            Some(base) => job_config(base, arguments),
        };
        let config = match config {
            Ok(c) => c,
            Err(why) => {
                tracing::error!(request_id, reason = %why, tasks = tasks.len(), "backfill job refused");
                return tasks
                    .iter()
                    .map(|_| TaskResult::PermanentFailure(why.clone()))
                    .collect();
            }
        };
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            let start = Instant::now();
            let event = ObjectEvent {
                kind: EventKind::Created,
                bucket: task.bucket.clone(),
                key: task.key.clone(),
            };
            let outcome = self.upload_record(&config, &event).await;
            if let Err(e) = &outcome {
                e.log(request_id);
            }
            let result = result_of(outcome);
            tracing::info!(
                request_id,
                bucket = %task.bucket,
                key = %task.key,
                result = result.code(),
                text = %result.text(),
                duration_ms = start.elapsed().as_secs_f64() * 1000.0,
                "backfill task"
            );
            results.push(result);
        }
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thumbprint_core::ErrorCode;

    #[test]
    fn results_say_whether_a_retry_can_help() {
        let transient = ServiceError::with_message(ErrorCode::SourceUnavailable, s3::TRANSIENT);
        assert_eq!(result_of(Err(transient)).code(), "TemporaryFailure");
        let changed = ServiceError::with_message(ErrorCode::SourceUnavailable, s3::CHANGED);
        assert_eq!(result_of(Err(changed)).code(), "TemporaryFailure");
        let timeout = ServiceError::new(ErrorCode::SourceTimeout);
        assert_eq!(result_of(Err(timeout)).code(), "TemporaryFailure");
        for code in [
            ErrorCode::SourceUnavailable,
            ErrorCode::SourceTooLarge,
            ErrorCode::UnsupportedFormat,
            ErrorCode::CorruptImage,
            ErrorCode::ImageTooLarge,
            ErrorCode::InternalError,
        ] {
            let r = result_of(Err(ServiceError::new(code)));
            assert_eq!(r.code(), "PermanentFailure", "{code:?}");
            assert!(r.text().starts_with(code.as_str()), "{}", r.text());
        }
        let gone = result_of(Ok(Outcome::Skipped("the object is gone")));
        assert_eq!(gone.code(), "PermanentFailure");
        assert!(gone.text().starts_with("NoSuchKey"));
        let member = result_of(Ok(Outcome::Skipped("under the destination prefix")));
        assert_eq!(member.code(), "PermanentFailure");
        let written = result_of(Ok(Outcome::Written {
            keys: vec!["t/a-1x1.png".into(), "t/a-2x2.png".into()],
            written: 2,
            refused: 0,
            deleted: 0,
        }));
        assert_eq!(
            written,
            TaskResult::Succeeded(r#"{"written":["t/a-1x1.png","t/a-2x2.png"]}"#.into())
        );
        let long = vec!["k".repeat(600); 2];
        assert_eq!(
            members_json("unchanged", &long, 1),
            r#"{"refused":1,"unchanged":2}"#
        );
    }

    #[test]
    fn result_strings_are_cut_at_a_character() {
        let long = "é".repeat(MAX_RESULT_STRING);
        let text = TaskResult::Succeeded(long).text();
        assert!(text.len() <= MAX_RESULT_STRING);
        assert!(text.ends_with(" ..."));
    }
}

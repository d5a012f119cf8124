//! S3 Batch Operations `LambdaInvoke` events (invocation schema 1.0 and 2.0), read with
//! aws_lambda_events' batch job types, answered task by task by `thumbprint-service`'s backfill
//! (docs/backfill.md).
//!
//! Schema 1.0 names a task's bucket by ARN (`s3BucketArn`); 2.0 by name (`s3Bucket`) and adds
//! the job's `userArguments`. Both carry the key URL-encoded, as S3 notifications do.

use std::collections::BTreeMap;

use aws_lambda_events::event::s3::batch_job::{
    S3BatchJobEvent, S3BatchJobResponse, S3BatchJobResult,
};
use serde::Deserialize;
use serde_json::Value;
use thumbprint_service::http::App;
use thumbprint_service::upload::backfill::{Task, TaskResult};
use thumbprint_service::upload::names::decode_key;

/// The fields that tell a Batch Operations invocation from every other event.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sniff {
    invocation_schema_version: Option<String>,
    job: Option<Value>,
    tasks: Option<Vec<Value>>,
}

/// Whether `event` is an S3 Batch Operations invocation.
pub fn is_batch_event(event: &str) -> bool {
    serde_json::from_str::<Sniff>(event).is_ok_and(|s| {
        s.invocation_schema_version.is_some() && s.job.is_some() && s.tasks.is_some()
    })
}

/// A task's bucket and decoded key, or why it has none.
fn task_of(task: &aws_lambda_events::event::s3::batch_job::S3BatchJobTask) -> Result<Task, String> {
    let bucket = match (&task.s3_bucket_arn, task.other.get("s3Bucket")) {
        (_, Some(Value::String(name))) => name.clone(),
        // arn:aws:s3:::name (any partition).
        (Some(arn), _) => arn.rsplit(":::").next().unwrap_or_default().to_string(),
        _ => String::new(),
    };
    let key = task
        .s3_key
        .as_deref()
        .and_then(decode_key)
        .unwrap_or_default();
    if bucket.is_empty() || key.is_empty() {
        return Err("the task names no bucket or no readable key".into());
    }
    Ok(Task { bucket, key })
}

/// The job's user arguments (schema 2.0), or why they cannot be read.
fn user_arguments(event: &S3BatchJobEvent) -> Result<BTreeMap<String, String>, String> {
    match event.job.other.get("userArguments") {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(value) => serde_json::from_value(value.clone())
            .map_err(|_| "userArguments must map names to strings".to_string()),
    }
}

/// Answers an invocation: one result per task, in order. An event that cannot be read as a
/// batch job is answered with every task it names failed permanently.
pub async fn handle(app: &App, event: &str, request_id: &str) -> Value {
    let parsed: Result<S3BatchJobEvent, _> = serde_json::from_str(event);
    let Ok(event) = parsed else {
        tracing::error!(request_id, "an S3 Batch Operations event that is not one");
        return failed_all(event, "the event is not an S3 Batch Operations invocation");
    };
    let tasks: Vec<Result<Task, String>> = event.tasks.iter().map(task_of).collect();
    let arguments = user_arguments(&event);
    let good: Vec<Task> = tasks
        .iter()
        .filter_map(|t| t.as_ref().ok().cloned())
        .collect();
    let mut made = match &arguments {
        Ok(arguments) => app.backfill(&good, arguments, request_id).await.into_iter(),
        Err(why) => vec![TaskResult::PermanentFailure(why.clone()); good.len()].into_iter(),
    };
    let results = event
        .tasks
        .iter()
        .zip(tasks)
        .map(|(task, parsed)| {
            let result = match parsed {
                Ok(_) => made
                    .next()
                    .unwrap_or_else(|| TaskResult::PermanentFailure("no result".into())),
                Err(why) => TaskResult::PermanentFailure(why),
            };
            let mut r = S3BatchJobResult::default();
            r.task_id = task.task_id.clone();
            r.result_code = Some(result.code().to_string());
            r.result_string = Some(result.text());
            r
        })
        .collect();
    let mut response = S3BatchJobResponse::default();
    response.invocation_schema_version = event.invocation_schema_version.clone();
    response.treat_missing_keys_as = Some("PermanentFailure".into());
    response.invocation_id = event.invocation_id.clone();
    response.results = results;
    serde_json::to_value(response).unwrap_or(Value::Null)
}

/// Every task of `event` (read loosely) failed permanently with `why`.
pub fn failed_all(event: &str, why: &str) -> Value {
    let v: Value = serde_json::from_str(event).unwrap_or(Value::Null);
    let results: Vec<Value> = v["tasks"]
        .as_array()
        .map(|tasks| {
            tasks
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "taskId": t["taskId"],
                        "resultCode": "PermanentFailure",
                        "resultString": why,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "invocationSchemaVersion": v["invocationSchemaVersion"],
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": v["invocationId"],
        "results": results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: Value) -> S3BatchJobEvent {
        serde_json::from_value(v).expect("batch event")
    }

    #[test]
    fn both_schemas_give_the_bucket_and_the_decoded_key() {
        let one = parse(serde_json::json!({
            "invocationSchemaVersion": "1.0", "invocationId": "i", "job": {"id": "j"},
            "tasks": [{"taskId": "t", "s3Key": "a+b%2Bc/%C3%A9.jpg", "s3VersionId": null,
                       "s3BucketArn": "arn:aws-cn:s3:::photos"}]
        }));
        assert_eq!(
            task_of(&one.tasks[0]),
            Ok(Task {
                bucket: "photos".into(),
                key: "a b+c/é.jpg".into()
            })
        );
        assert_eq!(user_arguments(&one), Ok(BTreeMap::new()));
        let two = parse(serde_json::json!({
            "invocationSchemaVersion": "2.0", "invocationId": "i",
            "job": {"id": "j", "userArguments": {"sizes": "[{\"width\":64}]"}},
            "tasks": [{"taskId": "t", "s3Key": "x.png", "s3VersionId": "v", "s3Bucket": "pics"}]
        }));
        assert_eq!(
            task_of(&two.tasks[0]),
            Ok(Task {
                bucket: "pics".into(),
                key: "x.png".into()
            })
        );
        assert_eq!(
            user_arguments(&two)
                .ok()
                .and_then(|a| a.get("sizes").cloned()),
            Some("[{\"width\":64}]".into())
        );
        let bad = parse(serde_json::json!({
            "invocationSchemaVersion": "2.0", "invocationId": "i",
            "job": {"id": "j", "userArguments": {"sizes": 3}}, "tasks": []
        }));
        assert!(user_arguments(&bad).is_err());
    }

    #[test]
    fn batch_events_are_told_from_the_others() {
        assert!(is_batch_event(
            r#"{"invocationSchemaVersion":"1.0","invocationId":"i","job":{"id":"j"},"tasks":[]}"#
        ));
        assert!(!is_batch_event(r#"{"Records":[]}"#));
        assert!(!is_batch_event(r#"{"body":"x","tasks":[]}"#));
        let answer = failed_all(
            r#"{"invocationSchemaVersion":"2.0","tasks":[{"taskId":"a"}]}"#,
            "no",
        );
        assert_eq!(answer["results"][0]["resultCode"], "PermanentFailure");
        assert_eq!(answer["results"][0]["taskId"], "a");
    }
}

//! S3 notifications (`ObjectCreated:*`, `ObjectRemoved:*`, sent to the function directly by the
//! bucket: docs/uploads.md says why not through SQS or EventBridge), read with aws_lambda_events'
//! S3 event and handed to `thumbprint-service`'s upload trigger.

use aws_lambda_events::event::s3::S3Event;
use serde::Deserialize;
use serde_json::Value;
use thumbprint_service::http::App;
use thumbprint_service::upload::names::decode_key;
use thumbprint_service::upload::{EventKind, ObjectEvent};
use thumbprint_service::ServiceError;

/// The fields that tell an S3 notification from every other event.
#[derive(Deserialize)]
struct Sniff {
    #[serde(rename = "Records")]
    records: Option<Vec<SniffRecord>>,
}

#[derive(Deserialize)]
struct SniffRecord {
    #[serde(rename = "eventSource")]
    event_source: Option<String>,
}

/// The message S3 sends when a notification configuration is saved (`"Event":
/// "s3:TestEvent"`): acknowledged, nothing to make.
#[derive(Deserialize)]
struct TestEvent {
    #[serde(rename = "Service")]
    service: String,
    #[serde(rename = "Event")]
    event: String,
}

/// Whether `event` is S3's test message.
pub fn is_s3_test_event(event: &str) -> bool {
    serde_json::from_str::<TestEvent>(event)
        .is_ok_and(|t| t.service == "Amazon S3" && t.event == "s3:TestEvent")
}

/// Whether `event` is an S3 notification (records from `aws:s3`).
pub fn is_s3_event(event: &str) -> bool {
    serde_json::from_str::<Sniff>(event).is_ok_and(|s| {
        s.records.is_some_and(|r| {
            !r.is_empty()
                && r.iter()
                    .all(|r| r.event_source.as_deref() == Some("aws:s3"))
        })
    })
}

/// The records the trigger handles, keys decoded. Records of other kinds (restores, lost
/// objects, replication) and records without a bucket or a decodable key are logged and left.
pub fn object_events(event: &S3Event) -> Vec<ObjectEvent> {
    event
        .records
        .iter()
        .filter_map(|r| {
            let name = r.event_name.as_deref().unwrap_or("");
            let kind = if name.starts_with("ObjectCreated:") {
                EventKind::Created
            } else if name.starts_with("ObjectRemoved:") {
                EventKind::Removed
            } else {
                tracing::info!(event_name = name, "S3 record of another kind left alone");
                return None;
            };
            let bucket = r.s3.bucket.name.clone().filter(|b| !b.is_empty());
            let key = r.s3.object.key.as_deref().and_then(decode_key);
            match (bucket, key) {
                (Some(bucket), Some(key)) if !key.is_empty() => {
                    Some(ObjectEvent { kind, bucket, key })
                }
                _ => {
                    tracing::error!(
                        event_name = name,
                        "S3 record without a bucket or a readable key"
                    );
                    None
                }
            }
        })
        .collect()
}

/// Handles an S3 notification: the outcome of each record, or the first failure (which Lambda
/// then retries and, past its retries, sends to the on-failure destination).
pub async fn handle(app: &App, event: &str, request_id: &str) -> Result<Value, ServiceError> {
    let event: S3Event = serde_json::from_str(event).map_err(|_| {
        ServiceError::with_message(
            thumbprint_core::ErrorCode::InvalidRequest,
            "an S3 event that is not one",
        )
    })?;
    let records = object_events(&event);
    let outcomes = app.upload_event(&records, request_id).await?;
    Ok(serde_json::json!({
        "records": outcomes.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, key: &str) -> Value {
        serde_json::json!({
            "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
            "eventTime": "2026-12-07T00:00:00.000Z", "eventName": name,
            "userIdentity": {"principalId": "AWS:X"}, "requestParameters": {"sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": "R", "x-amz-id-2": "I"},
            "s3": {"s3SchemaVersion": "1.0", "configurationId": "c",
                   "bucket": {"name": "uploads", "ownerIdentity": {"principalId": "X"}, "arn": "arn:aws:s3:::uploads"},
                   "object": {"key": key, "size": 1, "eTag": "e", "sequencer": "0A"}}
        })
    }

    #[test]
    fn s3_records_are_read_with_their_keys_decoded() {
        let event = serde_json::json!({"Records": [
            record("ObjectCreated:Put", "uploads/a+b%2Bc/caf%C3%A9.jpg"),
            record("ObjectRemoved:DeleteMarkerCreated", "uploads/x.png"),
            record("ObjectRestore:Completed", "uploads/y.png"),
            record("ObjectCreated:Copy", "%FF.png"),
        ]})
        .to_string();
        assert!(is_s3_event(&event));
        let parsed: S3Event = serde_json::from_str(&event).expect("an S3 event");
        let events = object_events(&parsed);
        assert_eq!(
            events,
            vec![
                ObjectEvent {
                    kind: EventKind::Created,
                    bucket: "uploads".into(),
                    key: "uploads/a b+c/café.jpg".into()
                },
                ObjectEvent {
                    kind: EventKind::Removed,
                    bucket: "uploads".into(),
                    key: "uploads/x.png".into()
                },
            ]
        );
    }

    #[test]
    fn other_events_are_not_taken_for_s3_ones() {
        for event in [
            serde_json::json!({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]}),
            serde_json::json!({"Records": []}),
            serde_json::json!({"image_base64": "AAAA", "width": 10}),
            serde_json::json!({"version": "2.0", "requestContext": {}}),
            serde_json::json!({"Service": "Amazon S3", "Event": "s3:TestEvent"}),
        ] {
            assert!(!is_s3_event(&event.to_string()), "{event}");
        }
    }
}

//! What the logs carry: the request line and the caller's `sub`, a refusal's cause, and never a
//! secret the caller sent.

use serde_json::json;
use thumbprint_service::http::App;

use crate::support::*;

/// Captures the JSON log lines written while `f` runs.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[test]
fn logs_carry_no_secrets_but_the_request_line() {
    let logs = logs_of(|| async {
        let body = json!({
            "image_url": "https://user:SENTINEL_PASS@public.test/a.png?X-Amz-Signature=SENTINEL_SIG",
            "width": 10
        })
        .to_string();
        let mut e = v2_event(
            "apigw-v2-jwt-authorizer.json",
            "POST",
            "/thumbnail",
            "",
            &[
                ("content-type", "application/json"),
                ("authorization", "Bearer SENTINEL_TOKEN"),
            ],
            body.as_bytes(),
            false,
        );
        e["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = json!("user-42");
        let r = handle_event(&App::new(), e, "id").await;
        assert_eq!(r["statusCode"], 422);
    });
    assert!(!logs.contains("SENTINEL"), "secret in logs:\n{logs}");
    assert!(
        logs.contains("user-42"),
        "the caller's sub is logged:\n{logs}"
    );
    assert!(logs.contains("\"status\":422"), "{logs}");
}

/// Runs `f` on a fresh runtime with a JSON log subscriber; returns what it logged.
pub fn logs_of<F: std::future::Future<Output = ()>>(f: impl FnOnce() -> F) -> String {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    tracing::subscriber::with_default(subscriber, || rt.block_on(f()));
    let logs = capture.0.lock().expect("lock").clone();
    String::from_utf8(logs).expect("utf8")
}

#[test]
fn a_refusal_logs_the_codec_cause_and_answers_only_the_fixed_message() {
    // Every corpus file the manifest calls corrupt, as a raw upload: the answer is the fixed
    // message; the codec's own words, when it has some, reach the log line and nothing else.
    let corpus = thumbprint_tests::corpus_dir();
    let rows = thumbprint_tests::manifest(&corpus).expect("manifest");
    let corrupt: Vec<_> = rows
        .iter()
        .filter(|r| {
            r.expect
                .accepts(Some(thumbprint_core::ErrorCode::CorruptImage))
        })
        .filter(|r| !r.expect.accepts(None))
        .collect();
    assert!(corrupt.len() >= 10, "{} corrupt rows", corrupt.len());
    let mut bodies = Vec::new();
    let logs = logs_of(|| async {
        for row in &corrupt {
            let bytes = corpus_file(&row.path);
            let e = v2_event(
                "apigw-v2-no-authorizer.json",
                "POST",
                "/thumbnail",
                "",
                &[("content-type", "image/png")],
                &bytes,
                true,
            );
            let r = handle_event(&thumbprint_service::http::App::new(), e, "id").await;
            bodies.push(r["body"].as_str().unwrap_or_default().to_string());
        }
    });
    let causes: Vec<String> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "refused")
        .filter_map(|v| v["fields"]["cause"].as_str().map(str::to_string))
        .collect();
    assert!(
        causes.len() >= 3,
        "refusals with a codec error log it:\n{logs}"
    );
    for cause in &causes {
        assert!(
            bodies.iter().all(|b| !b.contains(cause.as_str())),
            "a cause reached a caller: {cause}"
        );
    }
    for body in &bodies {
        let v: serde_json::Value = serde_json::from_str(body).expect("json");
        let message = v["error"]["message"].as_str().expect("message");
        assert!(
            thumbprint_core::ErrorCode::ALL
                .iter()
                .any(|c| c.default_message() == message),
            "{message}"
        );
    }
}

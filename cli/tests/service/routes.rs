//! The routes: JSON answers, ETag and `If-None-Match`, the public GET routes, and every corpus
//! file through the handler.

use serde_json::{json, Value};
use thumbprint_core::{ErrorCode, LIMITS};
use thumbprint_service::http::App;

use crate::support::*;

#[tokio::test]
async fn accept_json_and_if_none_match() {
    let img = hopper();
    let body = json!({"image_base64": b64(&img), "width": 30}).to_string();
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    let e = post_with(&headers, &body);
    let r = call(e).await;
    assert_eq!(r["statusCode"], 200);
    assert_eq!(r["isBase64Encoded"], false);
    let v: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    for k in [
        "width",
        "height",
        "format",
        "bytes",
        "etag",
        "thumbnail_base64",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let etag = v["etag"].as_str().expect("etag").to_string();
    assert_eq!(
        unb64(v["thumbnail_base64"].as_str().expect("b64")).len() as u64,
        v["bytes"].as_u64().expect("n")
    );
    let headers = [
        ("content-type", "application/json"),
        ("if-none-match", etag.as_str()),
    ];
    let e = post_with(&headers, &body);
    let r = call(e).await;
    assert_eq!(r["statusCode"], 304);
    assert_eq!(r["body"], "");
    assert_eq!(response_header(&r, "etag"), etag.as_str());
}

#[tokio::test]
async fn public_routes() {
    let r = call(v2_event(
        "apigw-v2-no-authorizer.json",
        "GET",
        "/version",
        "",
        &[],
        b"",
        false,
    ))
    .await;
    assert_eq!(r["statusCode"], 200);
    let v: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    assert_eq!(v["engine"], thumbprint_core::ENGINE_VERSION);
    assert!(v["target"].as_str().is_some_and(|t| !t.is_empty()));
    let r = call(v2_event(
        "apigw-v2-no-authorizer.json",
        "GET",
        "/openapi.json",
        "",
        &[],
        b"",
        false,
    ))
    .await;
    assert_eq!(r["statusCode"], 200);
    let _: Value =
        serde_json::from_str(r["body"].as_str().expect("body")).expect("openapi is JSON");
}

#[tokio::test]
async fn the_corpus_through_the_handler() {
    let corpus = thumbprint_tests::corpus_dir();
    let app = App::new();
    for row in thumbprint_tests::manifest(&corpus).expect("manifest") {
        let bytes = std::fs::read(corpus.join(&row.path)).expect("file");
        if bytes.len() > LIMITS.max_input_bytes {
            continue;
        }
        let e = v2_event(
            "apigw-v2-no-authorizer.json",
            "POST",
            "/thumbnail",
            "width=200",
            &[("content-type", "image/png")],
            &bytes,
            true,
        );
        let r = handle_event(&app, e, "id").await;
        let status = r["statusCode"].as_u64().expect("status");
        let outcome = if status == 200 {
            None
        } else {
            let v: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
            let code = v["error"]["code"].as_str().expect("code");
            // An unknown code is a failure, never "ok".
            Some(code.parse::<ErrorCode>().expect("a known error code"))
        };
        assert!(
            row.expect.accepts(outcome),
            "{}: {outcome:?} for {:?}",
            row.path,
            row.expect
        );
        assert!(status < 500, "{}: {status}", row.path);
    }
}

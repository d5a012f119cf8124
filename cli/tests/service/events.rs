//! The handler driven by real AWS sample events (`events/`: HTTP API 2.0 with and without JWT
//! claims, REST 1.0, function URL) and by direct invoke: request and response shapes.

use serde_json::{json, Value};
use thumbprint_core::Options;

use crate::support::*;

#[tokio::test]
async fn http_api_v2_with_jwt_claims_json_body() {
    let photo = first_photo();
    let body = json!({"image_base64": b64(&photo), "width": 120}).to_string();
    let mut e = v2_event(
        "apigw-v2-jwt-authorizer.json",
        "POST",
        "/thumbnail",
        "",
        &[
            ("content-type", "application/json"),
            ("authorization", "Bearer abc"),
        ],
        body.as_bytes(),
        false,
    );
    e["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = json!("user-123");
    let r = call(e).await;
    let want = thumbprint_core::thumbnail(&photo, &Options::new(120)).expect("engine");
    assert_image_response(&r, "image/png", &want.bytes);
}

#[tokio::test]
async fn http_api_v2_without_authorizer_raw_body_and_query() {
    let photo = first_photo();
    let e = v2_event(
        "apigw-v2-no-authorizer.json",
        "POST",
        "/thumbnail",
        "width=64&height=64&fit=cover&format=jpeg&quality=70",
        &[("content-type", "image/jpeg")],
        &photo,
        true,
    );
    let r = call(e).await;
    let o = Options {
        height: Some(64),
        fit: thumbprint_core::Fit::Cover,
        format: thumbprint_core::Format::Jpeg,
        quality: Some(70),
        lossless: false,
        ..Options::new(64)
    };
    let want = thumbprint_core::thumbnail(&photo, &o).expect("engine");
    assert_image_response(&r, "image/jpeg", &want.bytes);
}

#[tokio::test]
async fn function_url_event() {
    let img = hopper();
    let body = json!({"image_base64": b64(&img), "width": 32, "format": "webp"}).to_string();
    let e = v2_event(
        "lambda-function-url.json",
        "POST",
        "/thumbnail",
        "",
        &[("content-type", "application/json")],
        body.as_bytes(),
        true,
    );
    let r = call(e).await;
    let o = Options {
        format: thumbprint_core::Format::Webp,
        ..Options::new(32)
    };
    let want = thumbprint_core::thumbnail(&img, &o).expect("engine");
    assert_image_response(&r, "image/webp", &want.bytes);
}

/// Hosts lambda_http cannot build a URL from (its conversion unwraps `Url::parse`) and events
/// it cannot read: a typed answer, never a panic out of the function.
#[tokio::test]
async fn unusable_hosts_and_unreadable_http_events() {
    let img = hopper();
    for host in ["<url-id>.example", "a b", "[::1", "%zz"] {
        let mut e = v2_event(
            "apigw-v2-no-authorizer.json",
            "POST",
            "/thumbnail",
            "width=16",
            &[("content-type", "image/gif"), ("host", host)],
            &img,
            true,
        );
        e["requestContext"]["domainName"] = json!(host);
        let r = call(e).await;
        assert_eq!(r["statusCode"], 200, "{host}: {r}");
    }
    let r = call(json!({"requestContext": {"http": 5}, "version": "2.0", "rawPath": 7})).await;
    assert_eq!(r["statusCode"], 400, "{r}");
    let v: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    assert_eq!(v["error"]["code"], "invalid_request");
}

#[tokio::test]
async fn rest_api_v1_event() {
    let img = hopper();
    let body = json!({"image_base64": b64(&img), "width": 40}).to_string();
    let e = v1_event(
        "POST",
        "/thumbnail",
        &[("Content-Type", "application/json")],
        &body,
    );
    let r = call(e).await;
    let want = thumbprint_core::thumbnail(&img, &Options::new(40)).expect("engine");
    assert_image_response(&r, "image/png", &want.bytes);
}

#[tokio::test]
async fn direct_invoke_has_the_seed_shape_and_never_status_code() {
    let img = hopper();
    let r = call(json!({"image_base64": b64(&img), "width": 50})).await;
    let keys: Vec<&String> = r.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["format", "height", "thumbnail_base64", "width"]);
    let want = thumbprint_core::thumbnail(&img, &Options::new(50)).expect("engine");
    assert_eq!(
        unb64(r["thumbnail_base64"].as_str().expect("b64")),
        want.bytes
    );
    assert_eq!(
        (r["width"].as_u64(), r["height"].as_u64()),
        (Some(50), Some(50))
    );
    let err = call(json!({"image_base64": b64(b"<svg/>"), "width": 50})).await;
    assert!(err.get("statusCode").is_none());
    assert_eq!(err["error"]["code"], "unsupported_format");
    assert_eq!(err["request_id"], "invocation-id");
}

//! Every error code over HTTP with its status and body, and a panic answered as
//! `internal_error`.

use serde_json::{json, Value};
use thumbprint_core::{ErrorCode, LIMITS};

use thumbprint_service::http::App;
use thumbprint_service::ServiceError;

use crate::support::*;

/// A noise image whose upscaled PNG cannot fit the response cap.
fn noise_png(side: u32) -> Vec<u8> {
    let mut state = 0x1234_5678u32;
    let pixels: Vec<u8> = (0..side * side * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &pixels,
        side,
        side,
        image::ExtendedColorType::Rgb8,
    )
    .expect("png");
    out
}

async fn post_json(body: &str) -> Value {
    call(json_post(body)).await
}

/// The design's error table (shared/design.md, "Contracts"), written out: a status changed in
/// the service fails here until it is changed here too, on purpose.
const DESIGN_STATUS: &[(&str, u16)] = &[
    ("invalid_request", 400),
    ("invalid_option", 400),
    ("payload_too_large", 413),
    ("output_too_large", 413),
    ("unsupported_media_type", 415),
    ("unsupported_format", 422),
    ("corrupt_image", 422),
    ("image_too_large", 422),
    ("url_not_allowed", 422),
    ("source_too_large", 413),
    ("source_unavailable", 502),
    ("source_timeout", 504),
    ("internal_error", 500),
    ("not_found", 404),
    ("invalid_signature", 403),
    ("not_through_cdn", 403),
];

fn design_status(code: ErrorCode) -> u16 {
    DESIGN_STATUS
        .iter()
        .find(|(name, _)| *name == code.as_str())
        .map(|(_, status)| *status)
        .unwrap_or_else(|| panic!("{code} is not in the design's table"))
}

#[test]
fn every_code_has_the_designs_status() {
    for code in ErrorCode::ALL {
        assert_eq!(
            ServiceError::new(code).status(),
            design_status(code),
            "{code}"
        );
    }
    assert_eq!(DESIGN_STATUS.len(), ErrorCode::ALL.len());
}

fn assert_error(r: &Value, code: ErrorCode) {
    assert_eq!(r["statusCode"], design_status(code), "{r}");
    assert_eq!(response_header(r, "content-type"), "application/json");
    let v: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    assert_eq!(v["error"]["code"], code.as_str(), "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(v["request_id"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn every_engine_and_request_error_code_over_http() {
    let img = hopper();
    assert_error(&post_json("{not json").await, ErrorCode::InvalidRequest);
    assert_error(
        &post_json(&json!({"image_base64": b64(&img), "width": 0}).to_string()).await,
        ErrorCode::InvalidOption,
    );
    let big = vec![0xFFu8; LIMITS.max_input_bytes + 1];
    let r = call(v2_event(
        "apigw-v2-no-authorizer.json",
        "POST",
        "/thumbnail",
        "width=10",
        &[("content-type", "image/png")],
        &big,
        true,
    ))
    .await;
    assert_error(&r, ErrorCode::PayloadTooLarge);
    let noise = noise_png(700);
    let r = post_json(
        &json!({"image_base64": b64(&noise), "width": 4096, "height": 4096, "fit": "fill"})
            .to_string(),
    )
    .await;
    assert_error(&r, ErrorCode::OutputTooLarge);
    let r = call(v2_event(
        "apigw-v2-no-authorizer.json",
        "POST",
        "/thumbnail",
        "width=10",
        &[("content-type", "text/plain")],
        b"hello",
        false,
    ))
    .await;
    assert_error(&r, ErrorCode::UnsupportedMediaType);
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    assert_error(
        &post_json(&json!({"image_base64": b64(svg), "width": 10}).to_string()).await,
        ErrorCode::UnsupportedFormat,
    );
    let truncated = &img[..40];
    assert_error(
        &post_json(&json!({"image_base64": b64(truncated), "width": 10}).to_string()).await,
        ErrorCode::CorruptImage,
    );
    let bomb = corpus_file("malformed/bomb_png_16384x16384_zlib.png");
    assert_error(
        &post_json(&json!({"image_base64": b64(&bomb), "width": 10}).to_string()).await,
        ErrorCode::ImageTooLarge,
    );
    assert_error(
        &post_json(
            &json!({"image_url": "http://169.254.169.254/latest/meta-data/", "width": 10})
                .to_string(),
        )
        .await,
        ErrorCode::UrlNotAllowed,
    );
    let r = call(v2_event(
        "apigw-v2-no-authorizer.json",
        "GET",
        "/nope",
        "",
        &[],
        b"",
        false,
    ))
    .await;
    assert_error(&r, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_panic_becomes_internal_error_through_every_door() {
    // The guard alone.
    let r = thumbprint_service::http::guard("req-1", async { panic!("boom") }).await;
    assert_eq!(r.status(), 500);
    let body = http_body_util::BodyExt::collect(r.into_body())
        .await
        .expect("body")
        .to_bytes();
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["error"]["code"], "internal_error");

    // The Lambda's HTTP events (payload 2.0 and 1.0) and a direct invoke, through the real
    // adapter, with a handler that panics.
    let app = App::new().panicking();
    let json = [("content-type", "application/json")];
    for event in [json_post("{}"), v1_event("POST", "/thumbnail", &json, "{}")] {
        let r = handle_event(&app, event, "req-2").await;
        assert_error(&r, ErrorCode::InternalError);
    }
    let r = handle_event(&app, json!({"image_base64": "AAAA"}), "req-3").await;
    assert!(r.get("statusCode").is_none(), "{r}");
    assert_eq!(r["error"]["code"], "internal_error", "{r}");
    assert_eq!(r["request_id"], "req-3", "{r}");
}

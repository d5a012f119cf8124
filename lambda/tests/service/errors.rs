//! Every error code over HTTP with its status and body, and a panic answered as
//! `internal_error`.

use serde_json::{json, Value};
use thumbprint_core::{ErrorCode, LIMITS};
use thumbprint_lambda::error::http_status;

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

fn assert_error(r: &Value, code: ErrorCode) {
    assert_eq!(r["statusCode"], http_status(code), "{r}");
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
async fn a_panic_becomes_internal_error() {
    let r = thumbprint_lambda::http::guard("req-1", async { panic!("boom") }).await;
    assert_eq!(r.status(), 500);
    let body = http_body_util::BodyExt::collect(r.into_body())
        .await
        .expect("body")
        .to_bytes();
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["error"]["code"], "internal_error");
}

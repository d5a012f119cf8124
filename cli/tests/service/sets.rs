//! Thumbnail sets (`sizes`) over HTTP and by direct invoke: each member equals the single
//! request for it, a failing member fails alone, a broken input fails the set, and the shapes
//! and limits of the request and the answer.

use serde_json::{json, Value};
use thumbprint_core::{Fit, Format, Options};

use crate::support::*;

fn member(width: u32, format: Format, fit: Fit) -> Options {
    Options {
        width,
        height: None,
        fit,
        format,
        quality: None,
        lossless: false,
    }
}

fn body_of(r: &Value) -> Value {
    serde_json::from_str(r["body"].as_str().expect("body")).expect("json body")
}

#[tokio::test]
async fn members_equal_single_requests_and_fail_alone() {
    let img = first_photo();
    let sizes = json!([
        {"width": 320},
        {"width": 64, "format": "webp", "fit": "cover", "height": 64},
        {"width": 0},
        {"width": 200, "format": "jpeg", "quality": 70},
        {"width": 100, "shape": "round"},
    ]);
    let body = json!({"image_base64": b64(&img), "sizes": sizes}).to_string();
    let r = call(json_post(&body)).await;
    assert_eq!(r["statusCode"], 200);
    assert_eq!(response_header(&r, "content-type"), "application/json");
    let v = body_of(&r);
    let got = v["thumbnails"].as_array().expect("thumbnails");
    assert_eq!(got.len(), 5);
    let mut jpeg = member(200, Format::Jpeg, Fit::Contain);
    jpeg.quality = Some(70);
    let mut webp = member(64, Format::Webp, Fit::Cover);
    webp.height = Some(64);
    for (i, options) in [
        (0, member(320, Format::Png, Fit::Contain)),
        (1, webp),
        (3, jpeg),
    ] {
        let want = thumbprint_core::thumbnail(&img, &options).expect("single");
        let m = &got[i];
        assert_eq!(
            unb64(m["thumbnail_base64"].as_str().expect("b64")),
            want.bytes,
            "member {i}"
        );
        assert_eq!(m["etag"], want.etag.as_str());
        assert_eq!(m["bytes"], want.bytes.len());
        assert_eq!(
            (m["width"].as_u64(), m["height"].as_u64()),
            (Some(u64::from(want.width)), Some(u64::from(want.height)))
        );
        assert_eq!(m["format"], options.format.as_str());
    }
    assert_eq!(got[2]["error"]["code"], "invalid_option");
    assert_eq!(got[4]["error"]["code"], "invalid_request");
}

#[tokio::test]
async fn direct_invoke_answers_a_set_in_the_seed_shape() {
    let img = hopper();
    let r = call(json!({"image_base64": b64(&img), "sizes": [{"width": 50}, {"width": 20, "format": "jpeg"}]})).await;
    assert!(r.get("statusCode").is_none());
    let got = r["thumbnails"].as_array().expect("thumbnails");
    let keys: Vec<&String> = got[0].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["format", "height", "thumbnail_base64", "width"]);
    let want =
        thumbprint_core::thumbnail(&img, &member(20, Format::Jpeg, Fit::Contain)).expect("single");
    assert_eq!(
        unb64(got[1]["thumbnail_base64"].as_str().expect("b64")),
        want.bytes
    );
}

#[tokio::test]
async fn a_broken_input_fails_the_whole_set_and_bad_sets_are_refused() {
    let r = call(json_post(
        &json!({"image_base64": b64(b"<svg/>"), "sizes": [{"width": 50}, {"width": 80}]})
            .to_string(),
    ))
    .await;
    assert_eq!(r["statusCode"], 422);
    assert_eq!(body_of(&r)["error"]["code"], "unsupported_format");
    let img = b64(&hopper());
    for (sizes, extra) in [
        (json!([]), json!({})),
        (
            json!([{"width": 1}, {"width": 2}, {"width": 3}, {"width": 4}, {"width": 5}, {"width": 6}, {"width": 7}, {"width": 8}, {"width": 9}]),
            json!({}),
        ),
        (json!({"width": 50}), json!({})),
        (json!([{"width": 50}]), json!({"width": 50})),
    ] {
        let mut body = json!({"image_base64": img, "sizes": sizes});
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        let r = call(json_post(&body.to_string())).await;
        assert_eq!(r["statusCode"], 400, "{body}");
        assert_eq!(body_of(&r)["error"]["code"], "invalid_request");
    }
    // Eight members: the most a set may have.
    let eight: Vec<Value> = (1..=8).map(|w| json!({"width": w * 10})).collect();
    let r = call(json_post(
        &json!({"image_base64": img, "sizes": eight}).to_string(),
    ))
    .await;
    assert_eq!(r["statusCode"], 200);
    assert_eq!(
        body_of(&r)["thumbnails"].as_array().expect("array").len(),
        8
    );
}

#[tokio::test]
async fn a_set_over_the_response_cap_is_refused_as_a_whole() {
    // Eight 1800 px PNGs of a photo: each fits an answer alone, together they cannot.
    let img = first_photo();
    let one = thumbprint_core::thumbnail(
        &img,
        &Options {
            height: Some(1800),
            ..member(1800, Format::Png, Fit::Fill)
        },
    )
    .expect("single");
    assert!(one.bytes.len() < thumbprint_core::LIMITS.max_output_bytes);
    assert!(
        one.bytes.len() * 8 / 3 * 4 > 6_300_000,
        "{} bytes: the set must be over the cap",
        one.bytes.len()
    );
    let eight: Vec<Value> = (0..8)
        .map(|i| json!({"width": 1800 - i, "height": 1800, "fit": "fill"}))
        .collect();
    let r = call(json_post(
        &json!({"image_base64": b64(&img), "sizes": eight}).to_string(),
    ))
    .await;
    assert_eq!(r["statusCode"], 413);
    let v = body_of(&r);
    assert_eq!(v["error"]["code"], "output_too_large");
    assert!(v["error"]["message"]
        .as_str()
        .expect("message")
        .contains("together"));
}

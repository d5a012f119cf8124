//! The requests the seed thumbnailer's clients send today, unchanged: curl with `image_url`,
//! the Laravel app's JSON post, a direct invoke, and a request with no `width`. Each must get
//! the size Pillow's `image.thumbnail((width, width))` gave them (a `width x width` box).

use crate::support::*;
use serde_json::{json, Value};

/// A portrait photo (605 x 806) and a landscape one (640 x 427), with the sizes Pillow 13's
/// `thumbnail((120, 120))` and `thumbnail((200, 200))` give them (run with Pillow itself).
const PORTRAIT: (&str, (u32, u32), (u32, u32)) = (
    "oddities/jpeg_410_subsampling_fox.jpg",
    (90, 120),
    (150, 200),
);
const LANDSCAPE: (&str, (u32, u32), (u32, u32)) = ("photos/rocket.jpg", (120, 80), (200, 133));

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png).expect("a PNG");
    (img.width(), img.height())
}

/// The body of an HTTP API response, as bytes.
fn body_bytes(r: &Value) -> Vec<u8> {
    assert_eq!(r["statusCode"], 200, "{r}");
    let body = r["body"].as_str().expect("body");
    if r["isBase64Encoded"] == true {
        unb64(body)
    } else {
        body.as_bytes().to_vec()
    }
}

/// The seed's curl request: `curl -X POST $URL -H 'Content-Type: application/json'
/// -d '{"image_url": "...", "width": 120}'`, through an HTTP API 2.0 event with JWT claims.
#[tokio::test]
async fn curl_image_url_width_120_fits_a_120_box() {
    for (path, want, _) in [PORTRAIT, LANDSCAPE] {
        let origin = start_origin(corpus_file(path)).await;
        let body = json!({"image_url": format!("http://{origin}/image"), "width": 120}).to_string();
        let e = v2_event(
            "apigw-v2-jwt-authorizer.json",
            "POST",
            "/thumbnail",
            "",
            &[
                ("content-type", "application/json"),
                ("authorization", "Bearer eyJ.test.token"),
                ("user-agent", "curl/7.88.1"),
                ("accept", "*/*"),
            ],
            body.as_bytes(),
            false,
        );
        let r = handle_event(&loopback_app(), e, "id").await;
        assert_eq!(response_header(&r, "content-type"), "image/png");
        assert_eq!(png_size(&body_bytes(&r)), want, "{path}");
    }
}

/// The Laravel app: `Http::withToken($t)->accept('image/png')->post($url, ['image_base64' =>
/// ..., 'width' => 120])` sends JSON with these headers.
#[tokio::test]
async fn laravel_json_post_fits_a_120_box() {
    for (path, want, _) in [PORTRAIT, LANDSCAPE] {
        let photo = corpus_file(path);
        let body = json!({"image_base64": b64(&photo), "width": 120}).to_string();
        let e = v2_event(
            "apigw-v2-jwt-authorizer.json",
            "POST",
            "/thumbnail",
            "",
            &[
                ("content-type", "application/json"),
                ("accept", "image/png"),
                ("authorization", "Bearer eyJ.test.token"),
                ("user-agent", "GuzzleHttp/7"),
            ],
            body.as_bytes(),
            false,
        );
        let r = handle_event(&loopback_app(), e, "id").await;
        assert_eq!(png_size(&body_bytes(&r)), want, "{path}");
    }
}

/// The seed's direct invoke: `{"image_url": ..., "width": 120}` in, the seed's
/// `{"width", "height", "thumbnail_base64"}` (plus `format`) out, no `statusCode`.
#[tokio::test]
async fn direct_invoke_image_url_width_120() {
    for (path, want, _) in [PORTRAIT, LANDSCAPE] {
        let origin = start_origin(corpus_file(path)).await;
        let event = json!({"image_url": format!("http://{origin}/image"), "width": 120});
        let r = handle_event(&loopback_app(), event, "id").await;
        assert!(r.get("statusCode").is_none(), "{r}");
        let keys: Vec<&String> = r.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["format", "height", "thumbnail_base64", "width"]);
        let png = unb64(r["thumbnail_base64"].as_str().expect("base64"));
        assert_eq!(png_size(&png), want, "{path}");
        assert_eq!(
            (
                r["width"].as_u64(),
                r["height"].as_u64(),
                r["format"].as_str()
            ),
            (
                Some(u64::from(want.0)),
                Some(u64::from(want.1)),
                Some("png")
            )
        );
    }
}

/// No `width` at all: the seed's `params.get("width", 200)`, so a 200 x 200 box, on every door.
#[tokio::test]
async fn no_width_means_a_200_box_everywhere() {
    for (path, _, want) in [PORTRAIT, LANDSCAPE] {
        let photo = corpus_file(path);
        // Direct invoke.
        let r = handle_event(&loopback_app(), json!({"image_base64": b64(&photo)}), "id").await;
        let png = unb64(r["thumbnail_base64"].as_str().expect("base64"));
        assert_eq!(png_size(&png), want, "{path} (direct invoke)");
        // HTTP API 2.0, JSON body.
        let body = json!({"image_base64": b64(&photo)}).to_string();
        let r = handle_event(&loopback_app(), json_post(&body), "id").await;
        assert_eq!(png_size(&body_bytes(&r)), want, "{path} (JSON)");
        // HTTP API 2.0, raw body with no query string.
        let e = v2_event(
            "apigw-v2-no-authorizer.json",
            "POST",
            "/thumbnail",
            "",
            &[("content-type", "image/jpeg")],
            &photo,
            true,
        );
        let r = handle_event(&loopback_app(), e, "id").await;
        assert_eq!(png_size(&body_bytes(&r)), want, "{path} (raw body)");
        // The Accept: application/json metadata says the same.
        let e = v2_event(
            "apigw-v2-no-authorizer.json",
            "POST",
            "/thumbnail",
            "",
            &[
                ("content-type", "image/jpeg"),
                ("accept", "application/json"),
            ],
            &photo,
            true,
        );
        let r = handle_event(&loopback_app(), e, "id").await;
        let meta: Value = serde_json::from_slice(&body_bytes(&r)).expect("json");
        assert_eq!(
            (meta["width"].as_u64(), meta["height"].as_u64()),
            (Some(u64::from(want.0)), Some(u64::from(want.1))),
            "{path} (metadata)"
        );
    }
}

/// `cover` and `fill` with only a width fill a square box.
#[tokio::test]
async fn cover_and_fill_with_width_alone_are_square() {
    let photo = corpus_file(LANDSCAPE.0);
    for fit in ["cover", "fill"] {
        let body = json!({"image_base64": b64(&photo), "width": 64, "fit": fit}).to_string();
        let r = handle_event(&loopback_app(), json_post(&body), "id").await;
        assert_eq!(png_size(&body_bytes(&r)), (64, 64), "{fit}");
    }
}

/// `thumbprint resize IN [-w N] --json`: the same rule from the command line.
#[test]
fn cli_width_is_a_square_box_and_defaults_to_200() {
    let corpus = thumbprint_tests::corpus_dir();
    let out = std::env::temp_dir().join(format!("thumbprint-seed-{}.png", std::process::id()));
    for (path, width, want) in [
        (LANDSCAPE.0, Some("200"), LANDSCAPE.2),
        (LANDSCAPE.0, None, LANDSCAPE.2),
        (LANDSCAPE.0, Some("120"), LANDSCAPE.1),
        (PORTRAIT.0, Some("200"), PORTRAIT.2),
        (PORTRAIT.0, None, PORTRAIT.2),
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_thumbprint"));
        cmd.arg("resize").arg(corpus.join(path));
        if let Some(w) = width {
            cmd.args(["-w", w]);
        }
        let output = cmd.arg("-o").arg(&out).arg("--json").output().expect("run");
        assert!(output.status.success(), "{path} {width:?}");
        let meta: Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(
            (meta["width"].as_u64(), meta["height"].as_u64()),
            (Some(u64::from(want.0)), Some(u64::from(want.1))),
            "{path} -w {width:?}"
        );
        assert_eq!(png_size(&std::fs::read(&out).expect("output")), want);
    }
    let _ = std::fs::remove_file(&out);
}

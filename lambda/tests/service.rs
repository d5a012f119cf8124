//! The handler driven by real AWS sample events (HTTP API 2.0 with and without JWT claims,
//! REST 1.0, function URL, direct invoke): response shapes, every error code, caching headers,
//! the public routes, the corpus, and what the logs may carry.

mod support;

use serde_json::{json, Value};
use support::*;
use thumbprint_core::{ErrorCode, Options};
use thumbprint_lambda::http::App;

const JPEG: &str = "photos/";

fn first_photo() -> Vec<u8> {
    let dir = thumbprint_tests::corpus_dir().join(JPEG);
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("photos")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg" || e == "jpeg"))
        .collect();
    names.sort();
    std::fs::read(&names[0]).expect("photo")
}

fn hopper() -> Vec<u8> {
    corpus_file("conformance/gif_static_hopper.gif")
}

async fn call(event: Value) -> Value {
    handle_event(&App::new(), event, "invocation-id").await
}

fn assert_image_response(r: &Value, mime: &str, expected: &[u8]) {
    assert_eq!(r["statusCode"], 200, "{r}");
    assert_eq!(r["isBase64Encoded"], true);
    assert_eq!(response_header(r, "content-type"), mime);
    assert_eq!(response_header(r, "x-content-type-options"), "nosniff");
    assert_eq!(
        response_header(r, "x-thumbprint-engine"),
        thumbprint_core::ENGINE_VERSION
    );
    assert!(response_header(r, "cache-control").is_string());
    let body = unb64(r["body"].as_str().expect("body"));
    assert_eq!(body, expected, "the HTTP bytes must equal the engine's");
    assert_eq!(response_header(r, "etag"), thumbprint_core::etag_for(&body));
}

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
    assert_eq!(r["statusCode"], code.http_status(), "{r}");
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
    let big = vec![0xFFu8; thumbprint_core::MAX_INPUT_BYTES + 1];
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
        if bytes.len() > thumbprint_core::MAX_INPUT_BYTES {
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
    tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async {
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
                &[("content-type", "application/json"), ("authorization", "Bearer SENTINEL_TOKEN")],
                body.as_bytes(),
                false,
            );
            e["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = json!("user-42");
            let r = handle_event(&App::new(), e, "id").await;
            assert_eq!(r["statusCode"], 422);
        });
    });
    let logs = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf8");
    assert!(!logs.contains("SENTINEL"), "secret in logs:\n{logs}");
    assert!(
        logs.contains("user-42"),
        "the caller's sub is logged:\n{logs}"
    );
    assert!(logs.contains("\"status\":422"), "{logs}");
}

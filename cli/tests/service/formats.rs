//! Lossy WebP, AVIF and `auto` through the service (issue 32): `Accept` decides `auto` (AVIF, then
//! WebP, then JPEG or PNG by transparency) with `Vary: Accept`, the operator can keep AVIF out of
//! `auto`, an `auto` AVIF over the AVIF pixel cap is answered as WebP while an explicit one is a
//! typed 413, and every answer's bytes are the engine's for the settled options.

use http::Request;
use hyper::body::Bytes;
use thumbprint_core::{thumbnail, Fit, Format, Options};
use thumbprint_service::http::App;

use crate::signed::{answer, get, local_app, signed, Answer};
use crate::support::corpus_file;

const CHROME: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

async fn post(app: &App, query: &str, bytes: &[u8], accept: Option<&str>) -> Answer {
    let mut req = Request::post(format!("/thumbnail?{query}")).header("content-type", "image/png");
    if let Some(a) = accept {
        req = req.header("accept", a);
    }
    answer(
        app.handle(req.body(Bytes::from(bytes.to_vec())).expect("request"))
            .await,
    )
    .await
}

fn engine(bytes: &[u8], width: u32, format: Format, lossless: bool) -> Vec<u8> {
    let o = Options {
        format,
        lossless,
        ..Options::new(width)
    };
    thumbnail(bytes, &o).expect("engine").bytes
}

#[tokio::test]
async fn auto_takes_avif_then_webp_then_jpeg_or_png() {
    let app = App::new().with_auto_avif(true);
    let opaque = corpus_file("photos/chelsea_cat.png");
    let clear = corpus_file("photos/blackbug_rgba.png");
    for (accept, bytes, format, mime) in [
        (Some(CHROME), &opaque, Format::Avif, "image/avif"),
        (Some("image/webp,*/*"), &opaque, Format::Webp, "image/webp"),
        (
            Some("image/avif;q=0,image/webp"),
            &opaque,
            Format::Webp,
            "image/webp",
        ),
        (Some("*/*"), &opaque, Format::Jpeg, "image/jpeg"),
        (None, &opaque, Format::Jpeg, "image/jpeg"),
        (Some("*/*"), &clear, Format::Png, "image/png"),
    ] {
        let r = post(&app, "width=96&format=auto", bytes, accept).await;
        assert_eq!(r.status, 200, "{accept:?}");
        assert_eq!(r.header("content-type"), Some(mime), "{accept:?}");
        assert_eq!(r.header("vary"), Some("Accept"), "{accept:?}");
        assert!(
            r.body == engine(bytes, 96, format, false),
            "{accept:?}: the engine's bytes"
        );
    }
    // Asked for: no negotiation, no Vary.
    let r = post(&app, "width=96&format=avif", &opaque, Some("image/webp")).await;
    assert_eq!(
        (r.status, r.header("content-type"), r.header("vary")),
        (200, Some("image/avif"), None)
    );
    // Lossless auto never answers AVIF (it is not lossless here), nor JPEG.
    let r = post(
        &app,
        "width=96&format=auto&lossless=true",
        &opaque,
        Some(CHROME),
    )
    .await;
    assert_eq!(r.header("content-type"), Some("image/webp"));
    assert!(r.body == engine(&opaque, 96, Format::Webp, true));
    let r = post(
        &app,
        "width=96&format=auto&lossless=true",
        &opaque,
        Some("*/*"),
    )
    .await;
    assert_eq!(r.header("content-type"), Some("image/png"));
    let r = post(&app, "width=96&format=jpeg&lossless=true", &opaque, None).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn the_operator_can_keep_avif_out_of_auto() {
    let app = App::new().with_auto_avif(false);
    let opaque = corpus_file("photos/chelsea_cat.png");
    let r = post(&app, "width=64&format=auto", &opaque, Some(CHROME)).await;
    assert_eq!(r.header("content-type"), Some("image/webp"));
    let r = post(&app, "width=64&format=avif", &opaque, Some(CHROME)).await;
    assert_eq!(
        r.header("content-type"),
        Some("image/avif"),
        "explicit AVIF still works"
    );
}

#[tokio::test]
async fn avif_over_its_pixel_cap_is_413_and_auto_answers_webp() {
    let app = App::new().with_auto_avif(true);
    let opaque = corpus_file("photos/chelsea_cat.png");
    // 1300 x 1300 fill: 1.69 Mpx, over the 0.75 Mpx AVIF cap.
    let q = "width=1300&height=1300&fit=fill";
    let r = post(&app, &format!("{q}&format=avif"), &opaque, None).await;
    assert_eq!(r.status, 413);
    assert!(String::from_utf8_lossy(&r.body).contains("output_too_large"));
    let r = post(&app, &format!("{q}&format=auto"), &opaque, Some(CHROME)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/webp"));
    assert_eq!(r.header("vary"), Some("Accept"));
    let o = Options {
        height: Some(1300),
        fit: Fit::Fill,
        format: Format::Webp,
        ..Options::new(1300)
    };
    assert!(r.body == thumbnail(&opaque, &o).expect("engine").bytes);
}

#[tokio::test]
async fn signed_urls_without_a_format_follow_accept() {
    let app = local_app();
    let png = "/rs:fit:64:64/plain/local:///photos/chelsea_cat.png";
    let avif = get(&app, &signed(png), &[("accept", CHROME)]).await;
    assert_eq!(avif.header("content-type"), Some("image/avif"));
    assert_eq!(avif.header("vary"), Some("Accept"));
    let o = Options {
        height: Some(64),
        format: Format::Avif,
        ..Options::new(64)
    };
    assert!(
        avif.body
            == thumbnail(&corpus_file("photos/chelsea_cat.png"), &o)
                .expect("engine")
                .bytes
    );
    let jpeg = get(
        &app,
        &signed("/rs:fit:64:64/plain/local:///photos/rocket.jpg"),
        &[("accept", "image/webp")],
    )
    .await;
    assert_eq!(
        jpeg.header("content-type"),
        Some("image/webp"),
        "a JPEG source follows Accept too"
    );
    let asked = get(
        &app,
        &signed(&format!("{png}@avif")),
        &[("accept", "image/webp")],
    )
    .await;
    assert_eq!(
        (asked.header("content-type"), asked.header("vary")),
        (Some("image/avif"), None)
    );
}

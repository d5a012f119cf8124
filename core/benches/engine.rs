//! Engine benchmark: `cargo bench -p thumbprint-core --bench engine`.
//!
//! Inputs: every file in `$THUMBPRINT_PHOTOS` (default: the test corpus' `photos/`), each
//! made into a 200 px and an 800 px PNG and JPEG thumbnail by `thumbnail()`, in memory. The
//! peer comparison (Pillow, libvips, sharp) is `benches/peers.py`; this one tracks the engine
//! alone between commits.

mod photos;

use photos::{names, photo_dir};
use thumbprint_core::{thumbnail, Fit, Format, Options};

fn main() {
    divan::main();
}

fn run(bencher: divan::Bencher, name: &str, width: u32, format: Format) {
    let bytes = std::fs::read(photo_dir().join(name)).unwrap_or_default();
    let options = Options {
        width,
        height: Some(width),
        fit: Fit::Contain,
        format,
        quality: None,
        lossless: false,
    };
    bencher.bench(|| thumbnail(divan::black_box(&bytes), &options).map(|t| t.bytes.len()));
}

#[divan::bench(args = names())]
fn png_200(bencher: divan::Bencher, name: &str) {
    run(bencher, name, 200, Format::Png);
}

#[divan::bench(args = names())]
fn png_800(bencher: divan::Bencher, name: &str) {
    run(bencher, name, 800, Format::Png);
}

#[divan::bench(args = names())]
fn jpeg_200(bencher: divan::Bencher, name: &str) {
    run(bencher, name, 200, Format::Jpeg);
}

/// The photo's pixels, full size, RGB (decoded by the image crate).
fn rgb(name: &str) -> image::RgbImage {
    let bytes = std::fs::read(photo_dir().join(name)).unwrap_or_default();
    image::load_from_memory(&bytes)
        .map(|i| i.to_rgb8())
        .unwrap_or_default()
}

/// thumbprint's JPEG encoder alone at quality 80 (4:2:0), on a photo's full-size pixels.
#[divan::bench(args = names())]
fn jpeg_encoder(bencher: divan::Bencher, name: &str) {
    let img = rgb(name);
    let (w, h) = img.dimensions();
    bencher.bench(|| {
        thumbprint_core::benching::jpeg_encode(divan::black_box(img.as_raw()), w, h, 3, 80)
            .map(|b| b.len())
    });
}

/// The peer for `jpeg_encoder` in the same run: the image crate's encoder (engine 8's; 4:4:4)
/// on the same pixels.
#[divan::bench(args = names())]
fn jpeg_encoder_image_crate(bencher: divan::Bencher, name: &str) {
    let img = rgb(name);
    let (w, h) = img.dimensions();
    bencher.bench(|| {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode(
                divan::black_box(img.as_raw()),
                w,
                h,
                image::ExtendedColorType::Rgb8,
            )
            .map(|()| out.len())
    });
}

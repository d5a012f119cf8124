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

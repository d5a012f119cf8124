//! Engine benchmark: `cargo bench -p thumbprint-core --bench engine`.
//!
//! Inputs: every file in `$THUMBPRINT_PHOTOS` (default: the shared corpus' `photos/`), each
//! made into a 200 px and an 800 px PNG and JPEG thumbnail by `thumbnail()`, in memory. The
//! peer comparison (Pillow, libvips, sharp) is `benches/peers.py`; this one tracks the engine
//! alone between commits.

use std::path::PathBuf;

use thumbprint_core::{thumbnail, Fit, Format, Options};

fn main() {
    divan::main();
}

fn photos() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var_os("THUMBPRINT_PHOTOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/photos")
        });
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    std::fs::read(e.path()).ok().map(|b| (name, b))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn names() -> Vec<&'static str> {
    photos()
        .into_iter()
        .map(|(n, _)| &*Box::leak(n.into_boxed_str()))
        .collect()
}

fn run(bencher: divan::Bencher, name: &str, width: u32, format: Format) {
    let bytes = photos()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b)
        .unwrap_or_default();
    let options = Options {
        width,
        height: Some(width),
        fit: Fit::Contain,
        format,
        quality: None,
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

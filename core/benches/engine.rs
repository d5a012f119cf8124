//! Engine benchmark: `cargo bench -p thumbprint-core --bench engine`.
//!
//! Inputs: every file in `$THUMBPRINT_PHOTOS` (default: the test corpus' `photos/`), each
//! made into a 200 px and an 800 px PNG and JPEG thumbnail by `thumbnail()`, in memory. The
//! peer comparison (Pillow, libvips, sharp) is `benches/peers.py`; this one tracks the engine
//! alone between commits.

use std::path::PathBuf;

use thumbprint_core::{thumbnail, Fit, Format, Options};

fn main() {
    divan::main();
}

/// `$THUMBPRINT_PHOTOS` (relative paths count from the workspace root), else the corpus photos.
fn photo_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("THUMBPRINT_PHOTOS")
        .map(|d| root.join(d))
        .unwrap_or_else(|| root.join("tests/corpus/photos"))
}

fn names() -> Vec<&'static str> {
    let mut names: Vec<String> = std::fs::read_dir(photo_dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect()
}

fn run(bencher: divan::Bencher, name: &str, width: u32, format: Format) {
    let bytes = std::fs::read(photo_dir().join(name)).unwrap_or_default();
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

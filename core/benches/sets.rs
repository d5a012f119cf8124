//! Thumbnail sets against single requests: `cargo bench -p thumbprint-core --bench sets`.
//!
//! For every file in `$THUMBPRINT_PHOTOS` (default: the test corpus' `photos/`): the four
//! widths of a responsive `srcset` (320, 640, 1280, 1920 px, PNG, contain) made by one
//! `thumbnails()` call (`set_4`) and by four `thumbnail()` calls (`singles_4`), in memory. The
//! bytes are the same (tests/tests/parity.rs); the ratio set_4 / singles_4 is the saving.

use std::path::PathBuf;

use thumbprint_core::{thumbnail, thumbnails, Fit, Format, Options};

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

fn members() -> Vec<Options> {
    [320, 640, 1280, 1920]
        .into_iter()
        .map(|width| Options {
            width,
            height: None,
            fit: Fit::Contain,
            format: Format::Png,
            quality: None,
        })
        .collect()
}

#[divan::bench(args = names(), sample_count = 5, sample_size = 1)]
fn set_4(bencher: divan::Bencher, name: &str) {
    let bytes = std::fs::read(photo_dir().join(name)).unwrap_or_default();
    let members = members();
    bencher.bench(|| thumbnails(divan::black_box(&bytes), &members).len());
}

#[divan::bench(args = names(), sample_count = 5, sample_size = 1)]
fn singles_4(bencher: divan::Bencher, name: &str) {
    let bytes = std::fs::read(photo_dir().join(name)).unwrap_or_default();
    let members = members();
    bencher.bench(|| {
        members
            .iter()
            .map(|m| thumbnail(divan::black_box(&bytes), m).map_or(0, |t| t.bytes.len()))
            .sum::<usize>()
    });
}

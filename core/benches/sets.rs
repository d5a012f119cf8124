//! Thumbnail sets against single requests: `cargo bench -p thumbprint-core --bench sets`.
//!
//! For every file in `$THUMBPRINT_PHOTOS` (default: the test corpus' `photos/`): the four
//! widths of a responsive `srcset` (320, 640, 1280, 1920 px, JPEG quality 80, contain; a 1920 px
//! PNG of a large photo is over the response cap) made by one
//! `thumbnails()` call (`set_4`) and by four `thumbnail()` calls (`singles_4`), in memory. The
//! bytes are the same (tests/tests/parity.rs); the ratio set_4 / singles_4 is the saving.

mod photos;

use photos::{names, photo_dir};
use thumbprint_core::{thumbnail, thumbnails, Fit, Format, Options};

fn main() {
    divan::main();
}

fn members() -> Vec<Options> {
    [320, 640, 1280, 1920]
        .into_iter()
        .map(|width| Options {
            width,
            height: None,
            fit: Fit::Contain,
            format: Format::Jpeg,
            quality: Some(80),
            lossless: false,
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

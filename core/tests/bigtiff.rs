//! BigTIFF (the 64-bit TIFF variant, `II+\0` / `MM\0+`) is accepted by content and decodes to
//! the same pixels as the classic TIFF it was made from (`core/tests/fixtures/bigtiff/make.sh`).

use std::path::Path;

use thumbprint_core::{Fit, Format, Options};

/// Each BigTIFF fixture and the corpus file `tiffcp -8` made it from. tiffcp copies every
/// compression losslessly except JPEG, which it decodes and encodes again: that pair is held to
/// a mean difference instead of equality.
const PAIRS: [(&str, &str); 6] = [
    ("big_tiff_lzw_hopper.tif", "conformance/tiff_lzw_hopper.tif"),
    ("big_be_lzw_hopper.tif", "conformance/tiff_lzw_hopper.tif"),
    ("big_tiff_16bit_rgb.tif", "conformance/tiff_16bit_rgb.tiff"),
    (
        "big_tiff_g4_fax_hopper.tif",
        "conformance/tiff_g4_fax_hopper.tif",
    ),
    (
        "big_tiff_multipage_3pages.tif",
        "conformance/tiff_multipage_3pages.tiff",
    ),
    (
        "big_tiff_tiled_ycbcr_jpeg_2x2.tif",
        "conformance/tiff_tiled_ycbcr_jpeg_2x2.tif",
    ),
];

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Mean absolute difference of two encoded images' RGBA samples.
fn mean_abs_difference(a: &[u8], b: &[u8]) -> f64 {
    let a = image::load_from_memory(a).expect("decodes").to_rgba8();
    let b = image::load_from_memory(b).expect("decodes").to_rgba8();
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

#[test]
fn bigtiff_decodes_to_the_pixels_of_its_classic_tiff() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bigtiff");
    let corpus = thumbprint_tests::corpus_dir();
    // 4096 px PNG: never upscaled, so the output holds the decoded pixels unchanged (lossless).
    let full = Options::new(4096);
    let small = Options {
        height: Some(50),
        fit: Fit::Cover,
        // Lossless: the comparison is of decoded pixels.
        format: Format::Webp,
        lossless: true,
        ..Options::new(64)
    };
    for (big, classic) in PAIRS {
        let big_bytes = read(&fixtures.join(big));
        assert!(
            matches!(&big_bytes[..4], b"II+\0" | b"MM\0+"),
            "{big} is not a BigTIFF"
        );
        let classic_bytes = read(&corpus.join(classic));
        for options in [&full, &small] {
            let want = thumbprint_core::thumbnail(&classic_bytes, options)
                .unwrap_or_else(|e| panic!("{classic}: {e}"));
            let got = thumbprint_core::thumbnail(&big_bytes, options)
                .unwrap_or_else(|e| panic!("{big}: {e}"));
            assert_eq!((got.width, got.height), (want.width, want.height), "{big}");
            if big.contains("jpeg") {
                let mean = mean_abs_difference(&got.bytes, &want.bytes);
                assert!(mean < 0.5, "{big}: mean difference {mean} from {classic}");
            } else {
                assert!(
                    got.bytes == want.bytes,
                    "{big}: pixels differ from {classic}"
                );
            }
        }
    }
}

#[test]
fn a_truncated_bigtiff_is_corrupt_not_unsupported() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bigtiff");
    let bytes = read(&fixtures.join("big_tiff_lzw_hopper.tif"));
    for len in [8, 16, 200, bytes.len() / 2] {
        let err =
            thumbprint_core::thumbnail(&bytes[..len], &Options::new(32)).expect_err("truncated");
        assert_eq!(
            err.code(),
            thumbprint_core::ErrorCode::CorruptImage,
            "{len} bytes"
        );
    }
}

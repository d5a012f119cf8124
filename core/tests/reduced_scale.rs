//! The reduced-scale JPEG paths (`jpeg_scaled`) are taken whenever the output is at most an
//! eighth (1/8-scale decode), a sixth (1/4-scale) or a third (1/2-scale) of the source. Small outputs must
//! give the outcome the manifest expects for every corpus file, upright, with the size the
//! full-scale plan gives; and the reduced image must look like the full decode's thumbnail.

use thumbprint_core::{inspect, thumbnail, Fit, Format, Options};
use thumbprint_tests::{corpus_dir, manifest, Expect};

fn small(width: u32, format: Format) -> Options {
    Options {
        width,
        height: None,
        fit: Fit::Contain,
        format,
        quality: None,
        lossless: false,
    }
}

#[test]
fn small_outputs_keep_every_manifest_outcome_and_orientation() {
    let corpus = corpus_dir();
    let rows = manifest(&corpus).expect("manifest");
    for row in rows {
        let bytes = std::fs::read(corpus.join(&row.path)).expect("corpus file");
        for width in [16, 40, 100, 300] {
            let result = thumbnail(&bytes, &small(width, Format::Png));
            let outcome = result.as_ref().err().map(|e| e.code());
            assert!(
                row.expect.accepts(outcome),
                "{} at {width} px: got {outcome:?}, manifest says {:?}",
                row.path,
                row.expect
            );
            if let (
                Ok(t),
                Expect::Ok {
                    display: Some((dw, dh)),
                    ..
                },
            ) = (&result, &row.expect)
            {
                let want = small(width, Format::Png).output_size(*dw, *dh);
                assert_eq!((t.width, t.height), want, "{}: not upright", row.path);
            }
        }
    }
}

/// Mean absolute difference between two same-sized 8-bit images, per sample.
fn mean_abs_diff(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| u64::from(x.abs_diff(y)))
        .sum();
    total as f64 / a.as_raw().len() as f64
}

#[test]
fn reduced_scale_thumbnails_match_full_scale_ones_closely() {
    // A 1/8-scale (150 px), a 1/4-scale (300 px) and a 1/2-scale (500 px) decode of each
    // orientation sample
    // (1800x1200, EXIF 1..8) against the same pixels resized from the full decode by the same
    // filter: rotation, flips and the crop mapping must line up, or edges would differ by far
    // more than rounding.
    let corpus = corpus_dir();
    let mut checked = 0;
    // A misaligned crop or a wrong flip costs far more than these bounds.
    let cases = [(150, "1/8", 2.5), (300, "1/4", 2.0), (500, "1/2", 1.2)];
    for (n, (width, path, bound)) in (1..=8).flat_map(|n| cases.map(|case| (n, case))) {
        let file = corpus.join(format!("orientation/Landscape_{n}.jpg"));
        let bytes = std::fs::read(&file).expect("orientation sample");
        let inspection = inspect(&bytes, &small(width, Format::Png)).expect("inspect");
        assert_eq!(inspection.path, path, "Landscape_{n} at {width} px");
        let fast = thumbnail(&bytes, &small(width, Format::Png)).expect("thumbnail");
        let fast = image::load_from_memory(&fast.bytes).expect("png").to_rgb8();
        // The reference: the full decode, upright, through the engine at full scale (a PNG of
        // the upright image is never reduced: PNG has no 1/8 path).
        let full = image::load_from_memory(&bytes).expect("jpeg");
        let mut decoder = image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()
            .expect("format")
            .into_decoder()
            .expect("decoder");
        let orientation = image::ImageDecoder::orientation(&mut decoder).expect("orientation");
        let mut full = full;
        full.apply_orientation(orientation);
        let mut png = Vec::new();
        full.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let slow = thumbnail(&png, &small(width, Format::Png)).expect("thumbnail");
        let slow = image::load_from_memory(&slow.bytes).expect("png").to_rgb8();
        assert_eq!(fast.dimensions(), slow.dimensions(), "Landscape_{n}");
        let d = mean_abs_diff(&fast, &slow);
        assert!(
            d < bound,
            "Landscape_{n} at {width} px: mean difference {d:.2}"
        );
        checked += 1;
    }
    assert_eq!(checked, 24);
}

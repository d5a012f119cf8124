//! Walks `MANIFEST.tsv` of the corpus and runs every file through the `thumbprint` CLI, as a user
//! would: each row must get its expected outcome (orientation rows come out with the upright
//! aspect ratio), errors as the typed JSON object, in bounded time.

use std::process::Command;
use std::time::{Duration, Instant};

use thumbprint_core::ErrorCode;
use thumbprint_tests::{corpus_dir, manifest, Expect};

/// The source decoded by the `image` crate and turned by the orientation the manifest says it
/// carries (not by anything the engine reads), resized to `w` x `h`.
fn upright_reference(source: &[u8], orient: u16, w: u32, h: u32) -> image::RgbImage {
    let mut full = image::load_from_memory(source).expect("decode");
    let orientation = image::metadata::Orientation::from_exif(orient.clamp(1, 8) as u8)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    full.apply_orientation(orientation);
    full.resize_exact(w, h, image::imageops::FilterType::Triangle)
        .to_rgb8()
}

fn mean_abs_diff(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.as_raw().len().max(1) as f64
}

#[test]
fn every_manifest_row_gets_its_expected_outcome() {
    let corpus = corpus_dir();
    let rows = manifest(&corpus).expect("manifest");
    assert!(rows.len() > 100, "the corpus looks incomplete");
    let out_dir = std::env::temp_dir().join(format!("thumbprint-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("tmp dir");
    let mut failures = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let out = out_dir.join(format!("{i}.png"));
        let start = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_thumbprint"))
            .args(["resize"])
            .arg(corpus.join(&row.path))
            .args(["-w", "200", "-o"])
            .arg(&out)
            .arg("--json")
            .output()
            .expect("run thumbprint");
        let elapsed = start.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json: serde_json::Value = match serde_json::from_str(stdout.trim()) {
            Ok(v) => v,
            Err(_) => {
                failures.push(format!(
                    "{}: no JSON on stdout (status {:?}, stderr {})",
                    row.path,
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr)
                ));
                continue;
            }
        };
        let outcome = json["error"]["code"]
            .as_str()
            .map(|c| c.parse::<ErrorCode>().expect("a known error code"));
        if outcome.is_some() == output.status.success() {
            failures.push(format!("{}: exit status disagrees with the JSON", row.path));
        }
        if !row.expect.accepts(outcome) {
            failures.push(format!(
                "{}: expected {:?}, got {:?} ({})",
                row.path, row.expect, outcome, row.exercises
            ));
        }
        if outcome.is_some() && elapsed > Duration::from_secs(20) {
            failures.push(format!("{}: refusal took {elapsed:?}", row.path));
        }
        if let (
            Expect::Ok {
                display: Some((dw, dh)),
                orient,
            },
            None,
        ) = (&row.expect, outcome)
        {
            let (w, h) = (
                json["width"].as_u64().unwrap_or(0),
                json["height"].as_u64().unwrap_or(0),
            );
            // Upright means the display's orientation: landscape stays landscape, etc.
            let want = (u64::from(*dw)).cmp(&u64::from(*dh));
            if w.cmp(&h) != want {
                failures.push(format!(
                    "{}: thumbnail {w}x{h} is not upright for display {dw}x{dh}",
                    row.path
                ));
            }
            // And the pixels: a flip or a half turn keeps the shape, so compare with the
            // upright reference, and check the comparison would catch a wrong transform.
            let got = image::open(&out).expect("thumbnail").to_rgb8();
            let source = std::fs::read(corpus.join(&row.path)).expect("source");
            let reference =
                upright_reference(&source, orient.unwrap_or(1), got.width(), got.height());
            let d = mean_abs_diff(&got, &reference);
            let turned = image::imageops::rotate180(&reference);
            let wrong = mean_abs_diff(&got, &turned);
            let flipped = mean_abs_diff(&got, &image::imageops::flip_horizontal(&reference));
            // (ICC-tagged sources differ from the untagged reference by their colour
            // conversion, hence a bound relative to what a wrong transform costs.)
            let bad = if got.width() * got.height() >= 64 {
                d * 2.0 > wrong.min(flipped)
            } else {
                d > 6.0
            };
            if bad {
                failures.push(format!(
                    "{}: not the upright image (mean difference {d:.2}; half turn {wrong:.2}, \
                     mirror {flipped:.2})",
                    row.path
                ));
            }
        }
        if outcome.is_none() {
            let bytes = std::fs::read(&out).expect("output written");
            assert_eq!(json["bytes"].as_u64(), Some(bytes.len() as u64));
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{}: not a PNG",
                row.path
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! The seed thumbnailer's size rule over the whole corpus: `width` alone means a
//! `width x width` box, fitted as Pillow's `Image.thumbnail((width, width))` fits it.
//!
//! The expected size is computed here by a line-for-line copy of Pillow's own float code
//! (independent of core's integer implementation), and that copy is itself checked against the
//! sizes recorded from Pillow (`tests/pillow/thumbnail_sizes.tsv`).

use thumbprint_core::Options;
use thumbprint_tests::{corpus_dir, manifest, Expect};

/// Pillow 13's `Image.thumbnail` size, as its Python computes it (IEEE doubles, like Python's
/// floats): `preserve_aspect_ratio()` and `round_aspect()`.
fn pillow_thumbnail_size(width: u32, height: u32, x: u32, y: u32) -> (u32, u32) {
    if x >= width && y >= height {
        return (width, height);
    }
    let round_aspect = |number: f64, key: &dyn Fn(f64) -> f64| -> u32 {
        let (floor, ceil) = (number.floor(), number.ceil());
        // min(floor, ceil, key=key): the first of equal keys wins.
        let pick = if key(ceil) < key(floor) { ceil } else { floor };
        (pick as u32).max(1)
    };
    let aspect = f64::from(width) / f64::from(height);
    let (xf, yf) = (f64::from(x), f64::from(y));
    if xf / yf >= aspect {
        (round_aspect(yf * aspect, &|n| (aspect - n / yf).abs()), y)
    } else {
        let key = |n: f64| {
            if n == 0.0 {
                0.0
            } else {
                (aspect - xf / n).abs()
            }
        };
        (x, round_aspect(xf / aspect, &key))
    }
}

#[test]
fn the_float_copy_agrees_with_pillow_itself() {
    let table = include_str!("../../tests/pillow/thumbnail_sizes.tsv");
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let v: Vec<u32> = line
            .split('\t')
            .map(|f| f.parse().expect("number"))
            .collect();
        assert_eq!(
            pillow_thumbnail_size(v[0], v[1], v[2], v[3]),
            (v[4], v[5]),
            "{line}"
        );
    }
}

/// The upright size a manifest row declares: `display=WxH` when it tests orientation, else its
/// `width×height` column.
fn upright_size(corpus_line: &str, display: Option<(u32, u32)>) -> Option<(u32, u32)> {
    if display.is_some() {
        return display;
    }
    let (w, h) = corpus_line.split_once('x')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

#[test]
fn every_corpus_image_gets_pillows_thumbnail_size() {
    let corpus = corpus_dir();
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("manifest");
    let header: Vec<&str> = text
        .lines()
        .next()
        .unwrap_or_default()
        .split('\t')
        .collect();
    let size_col = header
        .iter()
        .position(|h| h.starts_with("width"))
        .expect("a width×height column");
    let sizes: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').nth(size_col).unwrap_or_default())
        .collect();
    let rows = manifest(&corpus).expect("manifest");
    assert_eq!(rows.len(), sizes.len());
    let mut checked = 0;
    for (row, size) in rows.iter().zip(sizes) {
        let display = match &row.expect {
            Expect::Ok { display, .. } => *display,
            Expect::Either(_) => None,
            Expect::Error(_) => continue,
        };
        let Some((sw, sh)) = upright_size(size, display) else {
            continue;
        };
        let bytes = std::fs::read(corpus.join(&row.path)).expect("corpus file");
        for width in [16, 120, 200, 800] {
            let got = thumbprint_core::thumbnail(&bytes, &Options::new(width));
            let t = match (got, &row.expect) {
                (Ok(t), _) => t,
                (Err(_), Expect::Either(_)) => continue,
                (Err(e), _) => panic!("{}: {e}", row.path),
            };
            assert_eq!(
                (t.width, t.height),
                pillow_thumbnail_size(sw, sh, width, width),
                "{} ({sw} x {sh}) at width {width}",
                row.path
            );
            checked += 1;
        }
    }
    assert!(checked >= 4 * 120, "only {checked} thumbnails checked");
}

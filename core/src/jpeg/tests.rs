//! The reduced-scale decoder against the full decoder, on the corpus and on damaged files, and
//! the reason it gives when it hands a file over.

use super::render::Plane;
use super::upsample::Upsampler;
use super::{decode, decode_with, Assembly, Fallback, Scale};

#[path = "../../../tests/src/corpus_dir.rs"]
mod corpus;
use corpus::corpus_dir;

fn upsample(samples: &[u8], w: usize, h: usize, fx: usize, fy: usize) -> Vec<Vec<u8>> {
    let plane = Plane::whole(samples.to_vec(), w, h, fx, fy);
    let mut up = Upsampler::new(w * fx);
    (0..h * fy)
        .map(|y| {
            let mut row = vec![0; w * fx];
            up.row(&plane, y, &mut row);
            row
        })
        .collect()
}

#[test]
fn upsampling_by_two_uses_the_triangle_filter() {
    // One row 0, 100 doubled: 0, 25, 75, 100.
    assert_eq!(upsample(&[0, 100], 2, 1, 2, 1), vec![vec![0, 25, 75, 100]]);
    // Interior samples too: 3/4 of the nearer, 1/4 of the farther neighbour.
    let out = upsample(&[0, 40, 80, 120], 4, 1, 2, 1);
    assert_eq!(out, vec![vec![0, 10, 30, 50, 70, 90, 110, 120]]);
    // Vertically: rows 0 and 100 give 0, 25, 75, 100 (each side).
    let out = upsample(&[0, 100], 1, 2, 1, 2);
    assert_eq!(out, vec![vec![0], vec![25], vec![75], vec![100]]);
    // 2x2 at once, and replication for factor 4.
    let out = upsample(&[0, 64, 128, 192], 2, 2, 2, 2);
    assert_eq!(out[0], vec![0, 16, 48, 64]);
    assert_eq!(out[1], vec![32, 48, 80, 96]);
    assert_eq!(
        upsample(&[7, 9], 2, 1, 4, 1),
        vec![vec![7, 7, 7, 7, 9, 9, 9, 9]]
    );
    // A one-sample output row (an 8-pixel-wide 4:2:x JPEG at 1/8 scale) gets its sample.
    let plane = Plane::whole(vec![7], 1, 1, 2, 1);
    let mut row = vec![0];
    Upsampler::new(1).row(&plane, 0, &mut row);
    assert_eq!(row, vec![7]);
}

/// Every corpus file that starts like a JPEG, with its manifest path.
pub(super) fn corpus_jpegs() -> Vec<(String, Vec<u8>)> {
    let corpus = corpus_dir();
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap_or_default();
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter_map(|path| Some((path.to_string(), std::fs::read(corpus.join(path)).ok()?)))
        .filter(|(_, bytes)| bytes.starts_with(&[0xFF, 0xD8]))
        .collect()
}

/// Luma of an 8-bit RGB or gray sample.
fn luma(px: &[u8]) -> u32 {
    match px {
        [r, g, b] => (77 * u32::from(*r) + 150 * u32::from(*g) + 29 * u32::from(*b) + 128) >> 8,
        [y, ..] => u32::from(*y),
        [] => 0,
    }
}

/// Assembling a sequential file's samples while its scan is decoded gives exactly what
/// assembling them from every block's stored coefficients gives, for every corpus JPEG (or the
/// same reason to hand it over), at both scales.
#[test]
fn streamed_assembly_equals_stored_assembly() {
    let mut sequential = 0;
    for (path, bytes) in corpus_jpegs() {
        for scale in [Scale::Eighth, Scale::Quarter, Scale::Half] {
            let streamed = decode_with(&bytes, scale, Assembly::AsDecoded);
            let stored = decode_with(&bytes, scale, Assembly::Stored);
            match (&streamed, &stored) {
                (Ok(a), Ok(b)) => assert!(a.as_bytes() == b.as_bytes(), "{path} at {scale:?}"),
                _ => assert_eq!(streamed.err(), stored.err(), "{path} at {scale:?}"),
            }
        }
        let baseline = bytes
            .windows(2)
            .any(|m| m == [0xFF, 0xC0] || m == [0xFF, 0xC1]);
        if baseline && decode(&bytes, Scale::Half).is_ok() {
            sequential += 1;
        }
    }
    assert!(
        sequential >= 20,
        "only {sequential} sequential corpus JPEGs decoded"
    );
}

/// Every corpus JPEG this decoder takes must agree, at each scale, with the full decoder's
/// means over the area each reduced sample covers: in luma up to IDCT rounding (1/8 scale)
/// or the low-pass nature of the scaled IDCTs; in colour more loosely, since subsampled
/// chroma is known only per 2x2 area. Both a sequential and a progressive file must be
/// among them.
#[test]
fn samples_agree_with_the_full_decoder() {
    let corpus = corpus_dir();
    let Ok(manifest) = std::fs::read_to_string(corpus.join("MANIFEST.tsv")) else {
        panic!("corpus manifest missing at {}", corpus.display());
    };
    let (mut sequential, mut progressive) = (0, 0);
    for line in manifest.lines().skip(1) {
        let mut fields = line.split('\t');
        let path = fields.next().unwrap_or_default();
        if fields.next_back().is_some_and(|e| e.starts_with("error")) {
            continue; // bombs and broken files: not for a full decode here
        }
        let Ok(bytes) = std::fs::read(corpus.join(path)) else {
            continue;
        };
        if decode(&bytes, Scale::Eighth).is_err() {
            continue;
        }
        let full = image::load_from_memory(&bytes).expect("the full decoder takes it too");
        let (w, h) = (full.width() as usize, full.height() as usize);
        for (scale, luma_bound) in [
            (Scale::Eighth, 1.5),
            (Scale::Quarter, 4.0),
            (Scale::Half, 4.0),
        ] {
            let n = scale.samples_per_block();
            let small = match decode(&bytes, scale) {
                Ok(image) => image,
                Err(why) => panic!("{path}: taken at 1/8 scale but not at {n}/8: {why:?}"),
            };
            let c = usize::from(small.color().channel_count());
            let (full, small_width, pixels) = if c == 1 {
                (
                    full.to_luma8().into_raw(),
                    small.width(),
                    small.to_luma8().into_raw(),
                )
            } else {
                (
                    full.to_rgb8().into_raw(),
                    small.width(),
                    small.to_rgb8().into_raw(),
                )
            };
            assert_eq!(
                (small.width() as usize, small.height() as usize),
                (w.div_ceil(8) * n, h.div_ceil(8) * n)
            );
            let cell = 8 / n;
            let (mut luma_error, mut sample_error, mut count) = (0u64, 0u64, 0u64);
            for cy in 0..h / cell {
                for cx in 0..w / cell {
                    let at = |x: usize, y: usize| ((cy * cell + y) * w + cx * cell + x) * c;
                    let got = &pixels[(cy * small_width as usize + cx) * c..][..c];
                    let mut sums = [0u32; 4];
                    for y in 0..cell {
                        for x in 0..cell {
                            let px = &full[at(x, y)..at(x, y) + c];
                            sums[3] += luma(px);
                            for ch in 0..c {
                                sums[ch] += u32::from(px[ch]);
                            }
                        }
                    }
                    let area = (cell * cell) as u32;
                    let mean = |s: u32| (s + area / 2) / area;
                    luma_error += u64::from(mean(sums[3]).abs_diff(luma(got)));
                    for ch in 0..c {
                        sample_error += u64::from(mean(sums[ch]).abs_diff(u32::from(got[ch])));
                    }
                    count += 1;
                }
            }
            let count = count.max(1) as f64;
            let (luma_error, sample_error) = (
                luma_error as f64 / count,
                sample_error as f64 / count / c as f64,
            );
            assert!(
                luma_error < luma_bound,
                "{path} at {n}/8: mean luma error {luma_error:.2}"
            );
            // Tiny images are all edges at 1/8 scale; the colour bound applies from 8x8
            // blocks.
            if count >= 64.0 {
                assert!(
                    sample_error < 8.0,
                    "{path} at {n}/8: mean sample error {sample_error:.2}"
                );
            }
        }
        if bytes.windows(2).any(|m| m == [0xFF, 0xC2]) {
            progressive += 1;
        } else {
            sequential += 1;
        }
    }
    assert!(
        sequential >= 5 && progressive >= 1,
        "{sequential} sequential, {progressive} progressive"
    );
}

/// Truncations and byte flips of every corpus JPEG: no panic, and a file cut before its
/// end marker never decodes (it must reach the full decoder, which decides its outcome).
#[test]
fn damaged_files_never_panic() {
    let mut tried = 0;
    for (path, bytes) in corpus_jpegs() {
        if bytes.len() > 400_000 {
            continue;
        }
        let small_enough = |b: &[u8]| {
            crate::declared::jpeg_frame(b)
                .is_none_or(|f| u64::from(f.width) * u64::from(f.height) <= 1 << 26)
        };
        let step = (bytes.len() / 48).max(1);
        for cut in (2..bytes.len().saturating_sub(2)).step_by(step) {
            let truncated = &bytes[..cut];
            let has_end = truncated.windows(2).any(|m| m == [0xFF, 0xD9]);
            if small_enough(truncated) {
                for scale in [Scale::Eighth, Scale::Quarter, Scale::Half] {
                    let decoded = decode(truncated, scale).is_ok();
                    assert!(
                        !decoded || has_end,
                        "{path} cut at {cut} decoded at {scale:?}"
                    );
                }
            }
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5A;
            if small_enough(&flipped) {
                for scale in [Scale::Eighth, Scale::Quarter, Scale::Half] {
                    let _ = decode(&flipped, scale);
                }
            }
            tried += 1;
        }
    }
    assert!(tried > 1000, "only {tried} damaged inputs");
}

#[test]
fn the_reason_for_falling_back_is_given() {
    let ok = std::fs::read(corpus_dir().join("photos/rocket.jpg")).unwrap_or_default();
    assert!(
        decode(&ok, Scale::Half).is_ok(),
        "photos/rocket.jpg is needed here"
    );
    let reason = |b: &[u8]| decode(b, Scale::Half).err();
    assert_eq!(reason(b"not a jpeg"), Some(Fallback::NotJpeg));
    assert_eq!(reason(&[0xFF, 0xD8, 0xFF]), Some(Fallback::Truncated));
    assert_eq!(reason(&ok[..ok.len() / 2]), Some(Fallback::Truncated));
    assert_eq!(reason(&[0xFF, 0xD8, 0x00, 0x00]), Some(Fallback::BadMarker));
    // The SOF segment's component count: 4 is CMYK, 2 is refused as such.
    let sof = |components: u8| -> Vec<u8> {
        let mut b = vec![
            0xFF,
            0xD8,
            0xFF,
            0xC0,
            0x00,
            8 + 3 * components,
            8,
            0,
            16,
            0,
            16,
        ];
        b.push(components);
        for id in 1..=components {
            b.extend_from_slice(&[id, 0x11, 0]);
        }
        b.extend_from_slice(&[0xFF, 0xD9]);
        b
    };
    assert_eq!(reason(&sof(4)), Some(Fallback::Cmyk));
    assert_eq!(reason(&sof(2)), Some(Fallback::ComponentCount));
    // A frame but no scan: the components never got their DC coefficients.
    assert_eq!(reason(&sof(1)), Some(Fallback::MissingTable));
    // Lossless (SOF3) and arithmetic (SOF9) processes.
    for marker in [0xC3, 0xC9] {
        let mut b = sof(1);
        b[3] = marker;
        assert_eq!(reason(&b), Some(Fallback::UnsupportedProcess));
    }
    // A scan before any frame.
    let early_scan = [
        0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9,
    ];
    assert_eq!(reason(&early_scan), Some(Fallback::NoFrame));
    // Every reason has a distinct log name.
    let names: std::collections::HashSet<_> = [
        Fallback::NotJpeg,
        Fallback::Truncated,
        Fallback::BadMarker,
        Fallback::UnsupportedProcess,
        Fallback::Dnl,
        Fallback::SecondFrame,
        Fallback::BadFrame,
        Fallback::Cmyk,
        Fallback::ComponentCount,
        Fallback::RgbCoded,
        Fallback::BadTable,
        Fallback::MissingTable,
        Fallback::BadScan,
        Fallback::NoFrame,
        Fallback::CorruptData,
        Fallback::Restart,
    ]
    .iter()
    .map(|f| f.name())
    .collect();
    assert_eq!(names.len(), 16);
}

/// Corpus JPEGs the decoder refuses, with the reason it gives: each of these kinds is in the
/// corpus, and each must be handed over for its own reason.
#[test]
fn corpus_files_the_decoder_refuses_say_why() {
    let mut seen = std::collections::HashSet::new();
    for (_, bytes) in corpus_jpegs() {
        if let Err(why) = decode(&bytes, Scale::Eighth) {
            seen.insert(why);
        }
    }
    for expected in [Fallback::Cmyk, Fallback::Truncated] {
        assert!(seen.contains(&expected), "{expected:?} not among {seen:?}");
    }
}

/// The 1/4-scale samples are close to 2x2 means of the 1/2-scale ones (both are low-pass views
/// of the same blocks); a 2x2 IDCT with its axes swapped gives 7.9 here instead of 1.4.
#[test]
fn quarter_scale_agrees_with_half_scale_means() {
    let (mut total, mut files) = (0.0, 0.0);
    for (path, bytes) in corpus_jpegs() {
        let (Ok(quarter), Ok(half)) = (decode(&bytes, Scale::Quarter), decode(&bytes, Scale::Half))
        else {
            continue;
        };
        let (quarter, half) = (quarter.to_luma8(), half.to_luma8());
        assert_eq!(
            half.dimensions(),
            (quarter.width() * 2, quarter.height() * 2)
        );
        let (mut error, mut count) = (0.0, 0.0);
        for (x, y, q) in quarter.enumerate_pixels() {
            let sum: u32 = (0..4)
                .map(|i| u32::from(half.get_pixel(2 * x + i % 2, 2 * y + i / 2)[0]))
                .sum();
            error += (f64::from(sum) / 4.0 - f64::from(q[0])).abs();
            count += 1.0;
        }
        let error = error / count;
        assert!(error < 8.0, "{path}: mean luma difference {error:.2}");
        total += error;
        files += 1.0;
    }
    assert!(files >= 20.0, "only {files} files");
    assert!(
        total / files < 2.0,
        "mean luma difference {:.2}",
        total / files
    );
}

/// One entropy decode for several scales ([`super::decode_scales`]) gives each scale exactly
/// its own decode's image, and never an image where a scale's own decode hands the file over:
/// on every corpus JPEG and on byte flips of them (the damaged files are where a decode that
/// keeps more coefficients and one that keeps fewer could disagree).
#[test]
fn several_scales_at_once_are_each_scales_own_decode() {
    use super::decode_scales;
    let sets: [&[Scale]; 4] = [
        &[Scale::Eighth, Scale::Quarter],
        &[Scale::Eighth, Scale::Half],
        &[Scale::Half, Scale::Quarter],
        &[Scale::Eighth, Scale::Quarter, Scale::Half],
    ];
    let (mut shared, mut refused) = (0, 0);
    for (path, bytes) in corpus_jpegs() {
        let mut inputs = vec![(String::from("as is"), bytes.clone())];
        if bytes.len() <= 400_000 {
            let step = (bytes.len() / 12).max(1);
            for at in (2..bytes.len().saturating_sub(2)).step_by(step) {
                let mut flipped = bytes.clone();
                flipped[at] ^= 0x5A;
                inputs.push((format!("flipped at {at}"), flipped));
            }
        }
        for (how, input) in &inputs {
            let small_enough = crate::declared::jpeg_frame(input)
                .is_none_or(|f| u64::from(f.width) * u64::from(f.height) <= 1 << 26);
            if !small_enough {
                continue;
            }
            for scales in sets {
                match decode_scales(input, scales) {
                    Ok(images) => {
                        shared += 1;
                        for (&s, image) in scales.iter().zip(&images) {
                            let own = decode(input, s);
                            assert!(
                                own.as_ref().is_ok_and(|o| o.as_bytes() == image.as_bytes()
                                    && o.width() == image.width()
                                    && o.height() == image.height()),
                                "{path} ({how}) at {s:?} of {scales:?}: {:?}",
                                own.err()
                            );
                        }
                    }
                    Err(_) => refused += 1,
                }
            }
        }
    }
    assert!(
        shared > 200 && refused > 20,
        "{shared} shared, {refused} refused"
    );
}

#[test]
fn the_every_coefficient_pass_takes_what_the_half_scale_decoder_takes() {
    // The entropy bench's pass (all 64 coefficients, a sequential scan's MCU rows dropped as
    // decoded) reads the same scans as a 1/2-scale decode, so it takes the same files, and
    // counts at least every luma block.
    let mut taken = 0;
    for (path, bytes) in corpus_jpegs() {
        let half = decode(&bytes, Scale::Half);
        let every = super::coefficients(&bytes);
        assert_eq!(half.is_ok(), every.is_ok(), "{path}: {half:?} / {every:?}");
        if let (Ok(image), Ok(blocks)) = (half, every) {
            let luma_blocks = (image.width() / 4) as usize * (image.height() / 4) as usize;
            assert!(blocks >= luma_blocks, "{path}: {blocks} < {luma_blocks}");
            taken += 1;
        }
    }
    assert!(taken >= 10, "only {taken} corpus JPEGs decoded");
}

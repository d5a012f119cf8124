use super::{fdct, tables, FULL_CHROMA_FROM};
use crate::webp::tests::psnr;
use crate::Error;

/// The next value of a xorshift64 generator (the tests' noise).
pub(super) fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// `n` bytes of noise.
pub(super) fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..n).map(|_| xorshift(&mut x) as u8).collect()
}

/// No cap on the output.
fn encode(px: &[u8], w: u32, h: u32, channels: usize, quality: u8) -> Option<Vec<u8>> {
    super::encode(px, w, h, channels, quality, usize::MAX).ok()
}

/// A smooth colour gradient with some texture: `w` x `h` RGB.
fn picture(w: usize, h: usize) -> Vec<u8> {
    let mut px = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let t = ((x * 7 + y * 13) % 17) as u8;
            px.extend_from_slice(&[
                (x * 255 / w.max(1)) as u8,
                (y * 255 / h.max(1)) as u8,
                128u8.wrapping_add(t),
            ]);
        }
    }
    px
}

/// Decodes with the image crate (zune-jpeg): an independent reader of what we wrote.
fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).expect("decodes")
}

#[test]
fn an_independent_decoder_reads_back_what_was_encoded() {
    // Sizes that are and are not multiples of the MCU, one pixel wide and high included.
    for (w, h) in [
        (1, 1),
        (7, 3),
        (16, 16),
        (17, 9),
        (33, 47),
        (200, 133),
        (1, 40),
    ] {
        let px = picture(w, h);
        for quality in [10, 80, FULL_CHROMA_FROM, 100] {
            let out = encode(&px, w as u32, h as u32, 3, quality).expect("encodes");
            let img = decode(&out).to_rgb8();
            assert_eq!((img.width(), img.height()), (w as u32, h as u32));
            if w >= 16 && h >= 16 && quality >= 80 {
                let p = psnr(&px, img.as_raw());
                assert!(p > 30.0, "{w}x{h} q{quality}: PSNR {p:.1}");
            }
        }
        let gray: Vec<u8> = px.iter().step_by(3).copied().collect();
        let out = encode(&gray, w as u32, h as u32, 1, 80).expect("encodes");
        let img = decode(&out);
        assert_eq!(img.color(), image::ColorType::L8);
        if w >= 16 && h >= 16 {
            let p = psnr(&gray, img.to_luma8().as_raw());
            assert!(p > 33.0, "gray {w}x{h}: PSNR {p:.1}");
        }
    }
}

#[test]
fn chroma_is_subsampled_below_quality_90_only() {
    let px = picture(32, 32);
    let sampling = |q| {
        let out = encode(&px, 32, 32, 3, q).expect("encodes");
        let sof = out
            .windows(2)
            .position(|w| w == [0xff, 0xc0])
            .expect("SOF0");
        (out[sof + 11], out[sof + 14], out[sof + 17])
    };
    assert_eq!(sampling(80), (0x22, 0x11, 0x11));
    assert_eq!(sampling(89), (0x22, 0x11, 0x11));
    assert_eq!(sampling(90), (0x11, 0x11, 0x11));
}

#[test]
fn flat_colours_come_back_exactly_at_quality_100() {
    // Flat 8x8-aligned areas have only DC; at quality 100 (steps of 1) they round-trip within
    // one level per channel after YCbCr.
    let (w, h) = (32, 16);
    let mut px = Vec::new();
    for _ in 0..h {
        for x in 0..w {
            px.extend_from_slice(if x < 16 { &[200, 30, 60] } else { &[0, 0, 0] });
        }
    }
    let img = decode(&encode(&px, w, h, 3, 100).expect("encodes")).to_rgb8();
    for (a, b) in px.iter().zip(img.as_raw()) {
        assert!(a.abs_diff(*b) <= 1, "{a} vs {b}");
    }
}

#[test]
fn bad_dimensions_are_refused() {
    assert!(encode(&[], 0, 0, 3, 80).is_none());
    assert!(encode(&[0; 3], 1, 1, 4, 80).is_none());
    assert!(encode(&[0; 6], 1, 1, 3, 80).is_none());
    assert!(encode(&vec![0; 65_536], 65_536, 1, 1, 80).is_none());
}

#[test]
fn quantisation_divides_exactly_as_libjpeg_does() {
    // Every step the tables can hold, every magnitude the DCT can produce.
    let mut table = [1u8; 64];
    for step in 1..=255u8 {
        table[0] = step;
        let q = fdct::Quantiser::new(&table);
        let d = i32::from(step) * 8;
        let mut coefs = [[0i16; 8]; 8];
        let mut out = [0i16; 64];
        // Beyond the DCT's reach (+-8,192 and rounding) up to where the claim ends (2^15).
        let reach = (1 << 15) - 1 - d / 2;
        for c in -reach..=reach {
            coefs[0][0] = i16::try_from(c).expect("within i16");
            fdct::quantise(&coefs, &q, &mut out);
            let expect = if c < 0 {
                -((-c + d / 2) / d)
            } else {
                (c + d / 2) / d
            };
            assert_eq!(i32::from(out[0]), expect, "{c} / {d}");
        }
    }
}

#[test]
#[allow(clippy::needless_range_loop)] // u, v, x, y are the formula's indices
fn the_dct_matches_the_orthonormal_transform_times_eight() {
    let mut input = [0i32; 64];
    for (i, v) in input.iter_mut().enumerate() {
        *v = ((i * 37 + (i / 8) * 11) % 255) as i32 - 128;
    }
    let mut block = [[0i16; 8]; 8];
    for y in 0..8 {
        for x in 0..8 {
            block[y][x] = input[y * 8 + x] as i16;
        }
    }
    fdct::fdct(&mut block);
    for u in 0..8 {
        for v in 0..8 {
            let mut sum = 0.0f64;
            for y in 0..8 {
                for x in 0..8 {
                    let c = |k: usize, n: usize| {
                        ((2 * n + 1) as f64 * k as f64 * std::f64::consts::PI / 16.0).cos()
                    };
                    sum += f64::from(input[y * 8 + x]) * c(v, y) * c(u, x);
                }
            }
            let scale = |k: usize| if k == 0 { 1.0 / 2f64.sqrt() } else { 1.0 };
            let expect = 8.0 * 0.25 * scale(u) * scale(v) * sum;
            let got = f64::from(block[u][v]);
            assert!(
                (got - expect).abs() <= 2.0,
                "({u},{v}): {got} vs {expect:.1}"
            );
        }
    }
}

#[test]
fn quality_scales_the_tables_as_libjpeg_does() {
    // libjpeg at quality 50 uses Annex K's tables as they are; at 100, every step is 1.
    assert_eq!(tables::quant(true, 50)[0], 16);
    assert_eq!(tables::quant(false, 50)[0], 17);
    assert!(tables::quant(true, 100).iter().all(|&s| s == 1));
    // Quality 80: scale 40 -> (16 * 40 + 50) / 100 = 6.
    assert_eq!(tables::quant(true, 80)[0], 6);
    assert!(tables::quant(true, 1)
        .iter()
        .all(|&s| (1..=255).contains(&s)));
}

#[test]
fn encoding_stops_once_past_the_output_cap() {
    // Noise at quality 100: several bytes a pixel. Under a cap far below that: output_too_large
    // (the encoder stops at the first MCU row past the cap; this checks the outcome only). At a
    // cap equal to the file's size: the file.
    let (w, h) = (256usize, 256usize);
    let px = noise(w * h * 3);
    let full = encode(&px, w as u32, h as u32, 3, 100).expect("encodes");
    assert!(full.len() > 100_000, "{}", full.len());
    let capped = super::encode(&px, w as u32, h as u32, 3, 100, full.len() / 4);
    assert_eq!(capped, Err(Error::OutputTooLarge));
    let at_cap = super::encode(&px, w as u32, h as u32, 3, 100, full.len());
    assert_eq!(at_cap.as_deref(), Ok(&full[..]));
}

#[test]
fn the_mask_marks_each_non_zero_level_at_its_zig_zag_index() {
    // Sparse random coefficients at every position: bit k of the mask is set exactly when the
    // level at zig-zag index k is not zero.
    let q = fdct::Quantiser::new(&[1; 64]);
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut seen = 0u64;
    for _ in 0..5_000 {
        let mut coefs = [[0i16; 8]; 8];
        for c in coefs.as_flattened_mut() {
            let x = xorshift(&mut x);
            // About one in four non-zero after quantisation (a step of 8).
            *c = if x.is_multiple_of(4) {
                (x >> 40) as i16 % 4_000
            } else {
                0
            };
        }
        let mut levels = [0i16; 64];
        let mask = fdct::quantise(&coefs, &q, &mut levels);
        for k in 0..64 {
            let non_zero = levels[fdct::at(k)] != 0;
            assert_eq!(mask >> k & 1 == 1, non_zero, "index {k}");
        }
        seen |= mask;
    }
    assert_eq!(seen, u64::MAX, "every index was non-zero at least once");
}

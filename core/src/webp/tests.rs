use super::encode;
use crate::pixels::{Layout, Pixels};

/// A test picture with edges, gradients and texture, `width` x `height`, RGB or RGBA.
fn picture(width: u32, height: u32, alpha: bool) -> Pixels {
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let mut data = Vec::new();
    let mut seed = 12345u32;
    for y in 0..height {
        for x in 0..width {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            // Gradients, an edge and grain shared by the channels (as in a photo: the grain is
            // in the luma, not in one channel alone).
            let noise = ((seed >> 16) % 16) as i32 - 8;
            let edge = if x > width / 2 { 40 } else { 0 };
            let r = (x * 200 / width.max(1)) as i32 + edge;
            let g = (y * 200 / height.max(1)) as i32 + 20;
            let b = ((x + y) * 100 / (width + height).max(1)) as i32 + 60 - edge;
            data.extend([r, g, b].iter().map(|&v| (v + noise).clamp(0, 255) as u8));
            if alpha {
                data.push(((x + y) * 7 % 256) as u8);
            }
        }
    }
    Pixels {
        width,
        height,
        layout,
        data,
    }
}

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::WebP).expect("decodes")
}

/// RGB(A) PSNR in dB of `b` against `a` (also the JPEG encoder's tests').
pub(crate) fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let se: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    let mse = se / a.len() as f64;
    10.0 * (255.0 * 255.0 / mse.max(1e-9)).log10()
}

#[test]
fn frames_decode_to_the_size_and_close_to_the_source() {
    for (w, h) in [(1, 1), (17, 9), (67, 45), (160, 90)] {
        let src = picture(w, h, false);
        for (quality, floor) in [(50, 27.0), (90, 32.0), (100, 33.0)] {
            let out = encode(&src, quality).expect("encodes");
            let img = decode(&out).to_rgb8();
            assert_eq!((img.width(), img.height()), (w, h));
            let p = psnr(&src.data, img.as_raw());
            assert!(p > floor, "{w}x{h} q{quality}: {p:.2} dB");
        }
    }
}

#[test]
fn size_follows_quality() {
    let src = picture(128, 96, false);
    let sizes: Vec<usize> = [20, 50, 80, 95]
        .iter()
        .map(|&q| encode(&src, q).expect("encodes").len())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] < w[1]), "{sizes:?}");
}

#[test]
fn alpha_survives_exactly() {
    let src = picture(37, 21, true);
    let out = encode(&src, 75).expect("encodes");
    assert_eq!(&out[12..16], b"VP8X");
    let img = decode(&out).to_rgba8();
    let alpha: Vec<u8> = src.data.chunks(4).map(|p| p[3]).collect();
    let back: Vec<u8> = img.as_raw().chunks(4).map(|p| p[3]).collect();
    assert_eq!(alpha, back);
}

#[test]
fn opaque_alpha_and_gray_are_plain_frames() {
    let mut src = picture(20, 20, true);
    src.data.chunks_mut(4).for_each(|p| p[3] = 255);
    let out = encode(&src, 75).expect("encodes");
    assert_eq!(&out[12..16], b"VP8 ");
    let gray = Pixels {
        width: 20,
        height: 10,
        layout: Layout::Gray,
        data: (0..200).map(|i| (i * 5 % 256) as u8).collect(),
    };
    let img = decode(&encode(&gray, 90).expect("encodes")).to_luma8();
    assert!(psnr(&gray.data, img.as_raw()) > 30.0);
}

/// A plain VP8 file of `rgb` with modes forced on every macroblock.
fn forced_file(src: &Pixels, forced: super::macroblock::Forced) -> Vec<u8> {
    let frame = super::vp8_forced(&src.data, src.width, src.height, 100, forced).expect("encodes");
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    super::chunk(&mut out, b"VP8 ", &frame);
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    out
}

/// Each predictor alone, on every block of a frame, at the finest quantiser: a predictor that
/// differs from the decoder's by one rounding drifts down and across the frame, so the decoded
/// image would leave the source (the encoder predicts from its own reconstruction).
#[test]
fn every_predictor_alone_matches_the_decoders() {
    use super::macroblock::Forced;
    let src = picture(96, 80, false);
    let mut cases: Vec<(String, Forced)> = Vec::new();
    for m in 0..10 {
        cases.push((
            format!("4x4 mode {m}"),
            Forced {
                bmode: Some(m),
                ..Forced::default()
            },
        ));
    }
    for m in 0..4 {
        cases.push((
            format!("16x16 and chroma mode {m}"),
            Forced {
                ymode: Some(m),
                uvmode: Some(m),
                ..Forced::default()
            },
        ));
    }
    for (name, forced) in cases {
        let img = decode(&forced_file(&src, forced)).to_rgb8();
        let p = psnr(&src.data, img.as_raw());
        assert!(p > 40.0, "{name}: {p:.2} dB");
    }
}

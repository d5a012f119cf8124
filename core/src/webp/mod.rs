//! Lossy WebP: a VP8 key frame encoder of the project's own (RFC 6386), integer arithmetic
//! only, so that every target writes the same bytes; alpha goes in an `ALPH` chunk compressed
//! with the lossless WebP encoder. Why not a crate: no released, permissively licensed lossy
//! WebP encoder exists in Rust (image-webp's is lossless only), and libwebp (C) does not build
//! for wasm32-unknown-unknown and calls the platform's `pow()`.
//!
//! What it does (libwebp's `-m 4` choices without segments): 4:2:0 Y'CbCr, per macroblock
//! the 16x16 or 4x4 luma modes and the chroma mode that cost least in squared error plus
//! lambda times bits, deadzone quantisation, token probabilities updated per frame, the normal
//! loop filter at a level that follows the quantiser.

// Blocks are addressed by (x, y) into several parallel arrays (contexts, levels, edges): index
// loops say that more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

mod boolcoder;
mod frame;
mod macroblock;
mod predict;
mod residual;
mod tables;
mod transform;
mod yuv;

use crate::pixels::{Layout, Pixels};
use crate::Error;

use frame::{FrameParams, MAX_FIRST_PARTITION};
use macroblock::Analyser;
use tables::{AC_QUANT, COEFF_PROBS, QUALITY_TO_INDEX};
use yuv::Planes;

/// The VP8 quantiser index for `quality` (1..=100).
pub fn quantiser(quality: u8) -> u8 {
    QUALITY_TO_INDEX[usize::from(quality.min(100))]
}

/// The loop filter level for quantiser index `q`: stronger as the steps grow.
fn filter_level(q: u8) -> u8 {
    let step = u32::from(AC_QUANT[usize::from(q)]);
    ((step * FILTER_NUM) >> 8).min(63) as u8
}

/// Filter level per AC step, in 1/256 (40, 70 and 100 measured: 70 made the fewest bytes at
/// equal PSNR; docs/bench/formats.md).
const FILTER_NUM: u32 = 70;

/// The bytes of the VP8 frame of `rgb` (3 bytes a pixel).
fn vp8(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, Error> {
    vp8_forced(rgb, width, height, quality, macroblock::Forced::default())
}

/// [`vp8`] with modes forced on every macroblock (tests).
fn vp8_forced(
    rgb: &[u8],
    width: u32,
    height: u32,
    quality: u8,
    forced: macroblock::Forced,
) -> Result<Vec<u8>, Error> {
    #[cfg(not(test))]
    let _ = forced;
    let planes = Planes::from_rgb(rgb, width as usize, height as usize);
    let q = quantiser(quality);
    let params = FrameParams {
        q,
        filter_level: filter_level(q),
    };
    let mut allow_4x4 = true;
    loop {
        let analyser = Analyser::new(&planes, &COEFF_PROBS, usize::from(q), allow_4x4);
        #[cfg(test)]
        let analyser = analyser.forcing(forced);
        let mbs = analyser.run(crate::LIMITS.max_output_bytes)?;
        let frame = frame::write(&mbs, width, height, planes.mbw, &COEFF_PROBS, &params);
        // The modes partition of a huge all-4x4 frame could outgrow the frame tag's 19 bits.
        let first = (u32::from_le_bytes([frame[0], frame[1], frame[2], 0]) >> 5) as usize;
        if first < MAX_FIRST_PARTITION || !allow_4x4 {
            return Ok(frame);
        }
        allow_4x4 = false;
    }
}

fn chunk(out: &mut Vec<u8>, name: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

/// The `ALPH` chunk's payload: the alpha plane as a headerless lossless WebP image stream in the
/// green channel (WebP container spec, "Alpha"), no filtering, no pre-processing.
fn alph(alpha: &[u8], width: u32, height: u32) -> Result<Vec<u8>, Error> {
    use image::codecs::webp::WebPEncoder;
    use image::{ExtendedColorType, ImageEncoder};
    let green: Vec<u8> = alpha.iter().flat_map(|&a| [0, a, 0]).collect();
    let mut file = Vec::new();
    WebPEncoder::new_lossless(&mut file)
        .write_image(&green, width, height, ExtendedColorType::Rgb8)
        .map_err(Error::internal)?;
    // RIFF header (12), "VP8L" chunk header (8), the signature byte and the 32-bit size header:
    // what stays is the image stream the ALPH chunk holds.
    let stream = file
        .get(12 + 8 + 5..)
        .filter(|_| file.get(12..16) == Some(b"VP8L"))
        .ok_or(Error::Internal(None))?;
    let mut out = Vec::with_capacity(1 + stream.len());
    out.push(1); // lossless compression, no filter, no pre-processing
    out.extend_from_slice(stream);
    Ok(out)
}

/// Encodes `image` as lossy WebP at `quality` (1..=100).
pub fn encode(image: &Pixels, quality: u8) -> Result<Vec<u8>, Error> {
    let (width, height) = (image.width, image.height);
    let channels = image.layout.channels();
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    let mut alpha = Vec::new();
    for px in image.data.chunks_exact(channels) {
        match image.layout {
            Layout::Gray => rgb.extend_from_slice(&[px[0]; 3]),
            Layout::GrayAlpha => {
                rgb.extend_from_slice(&[px[0]; 3]);
                alpha.push(px[1]);
            }
            Layout::Rgb => rgb.extend_from_slice(&px[..3]),
            Layout::Rgba => {
                rgb.extend_from_slice(&px[..3]);
                alpha.push(px[3]);
            }
        }
    }
    let frame = vp8(&rgb, width, height, quality)?;
    drop(rgb);
    let mut out = Vec::with_capacity(frame.len() + 64);
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    if alpha.iter().any(|&a| a != 255) {
        let mut vp8x = [0u8; 10];
        vp8x[0] = 0x10; // alpha
        vp8x[4..7].copy_from_slice(&(width - 1).to_le_bytes()[..3]);
        vp8x[7..10].copy_from_slice(&(height - 1).to_le_bytes()[..3]);
        chunk(&mut out, b"VP8X", &vp8x);
        chunk(&mut out, b"ALPH", &alph(&alpha, width, height)?);
    }
    chunk(&mut out, b"VP8 ", &frame);
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests;

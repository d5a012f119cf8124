//! From kept coefficients to the reduced-scale image: transform, upsample, colour-convert.

use image::{DynamicImage, GrayImage, RgbImage};

use super::frame::{Component, Frame};
use super::idct::{idct_1x1, idct_4x4};
use super::kept::{Kept, NOT_KEPT};
use super::upsample::Upsampler;
use crate::color::ycbcr_to_rgb;

/// One component's samples at reduced scale, before upsampling.
pub(super) struct Plane {
    pub(super) samples: Vec<u8>,
    pub(super) w: usize,
    pub(super) h: usize,
    /// Upsampling factors to the output grid.
    pub(super) fx: usize,
    pub(super) fy: usize,
}

/// Transforms the kept coefficients of every block of `c` into a plane.
pub(super) fn transform(c: &Component, kept: &Kept, quant: &[u16; 64]) -> Vec<u8> {
    let n = kept.n;
    let per_block = kept.per_block();
    // The quantisers of the kept coefficients, in slot order.
    let mut q = [0i32; 16];
    for (k, &slot) in kept.slot.iter().enumerate() {
        if slot != NOT_KEPT {
            q[usize::from(slot)] = i32::from(quant[k]);
        }
    }
    // Only the blocks that cover the component (not the MCU padding).
    let w = c.blocks_w * n;
    let mut samples = vec![0u8; w * c.blocks_h * n];
    for (by, grid_row) in c
        .coefs
        .chunks_exact(c.grid_w * per_block)
        .take(c.blocks_h)
        .enumerate()
    {
        let out_rows = &mut samples[by * n * w..];
        for (bx, block) in grid_row
            .chunks_exact(per_block)
            .take(c.blocks_w)
            .enumerate()
        {
            let out = &mut out_rows[bx * n..];
            match n {
                1 => out[0] = idct_1x1(block[0], q[0]),
                _ => idct_4x4(block, &q, out, w),
            }
        }
    }
    samples
}

/// Transforms the kept coefficients and assembles the reduced-scale image.
/// `None` only if the buffer did not match the size (it is sized from the frame, so never).
pub(super) fn render(frame: &Frame, quant: &[[u16; 64]; 4]) -> Option<DynamicImage> {
    let kept = frame.kept;
    let n = kept.n;
    let out_w = frame.width.div_ceil(8) * n;
    let out_h = frame.height.div_ceil(8) * n;
    let planes: Vec<Plane> = frame
        .components
        .iter()
        .map(|c| Plane {
            samples: transform(c, &kept, &quant[c.quant]),
            w: c.blocks_w * n,
            h: c.blocks_h * n,
            fx: frame.h_max / c.h,
            fy: frame.v_max / c.v,
        })
        .collect();
    let channels = if planes.len() == 1 { 1 } else { 3 };
    let mut pixels = vec![0u8; out_w * out_h * channels];
    let mut upsamplers: Vec<Upsampler> = planes.iter().map(|_| Upsampler::new(out_w)).collect();
    let mut rows: Vec<Vec<u8>> = vec![vec![0u8; out_w]; planes.len()];
    for (y, out) in pixels.chunks_exact_mut(out_w * channels).enumerate() {
        for ((plane, row), up) in planes.iter().zip(rows.iter_mut()).zip(&mut upsamplers) {
            up.row(plane, y, row);
        }
        match rows.as_slice() {
            [gray] => out.copy_from_slice(gray),
            [luma, cb, cr] => {
                for (((px, &y), &cb), &cr) in out.chunks_exact_mut(3).zip(luma).zip(cb).zip(cr) {
                    px.copy_from_slice(&ycbcr_to_rgb(y, cb, cr));
                }
            }
            _ => {}
        }
    }
    let (w, h) = (u32::try_from(out_w).ok()?, u32::try_from(out_h).ok()?);
    Some(match channels {
        1 => DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, pixels)?),
        _ => DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels)?),
    })
}

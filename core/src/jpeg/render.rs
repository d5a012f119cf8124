//! From kept coefficients to the reduced-scale image: transform, upsample, colour-convert.
//!
//! [`Assembler`] does it one MCU row at a time. A scan that carries every component of a
//! sequential frame hands it each MCU row's coefficients as they are decoded ([`Assembler::band`]),
//! so only three MCU rows of samples and one of coefficients exist at once; other files are
//! decoded into the frame's coefficient store first and handed over whole ([`render`]). The
//! arithmetic is the same either way, so both give the same samples.

use image::{DynamicImage, GrayImage, RgbImage};

use super::frame::{Component, Frame};
use super::idct::{idct_1x1, idct_2x2, idct_4x4};
use super::kept::{Kept, NOT_KEPT};
use super::upsample::Upsampler;
use crate::color::ycbcr_to_rgb;

/// One component's samples at reduced scale, before upsampling: the whole plane, or a ring of
/// the most recent rows.
pub(super) struct Plane {
    pub(super) samples: Vec<u8>,
    pub(super) w: usize,
    /// Rows of the whole plane.
    pub(super) h: usize,
    /// Rows held: `h` for a whole plane, fewer for a ring (row `i` is at `i % held`).
    pub(super) held: usize,
    /// Upsampling factors to the output grid.
    pub(super) fx: usize,
    pub(super) fy: usize,
}

impl Plane {
    /// A whole plane of `w` x `h` samples.
    #[cfg(test)]
    pub(super) fn whole(samples: Vec<u8>, w: usize, h: usize, fx: usize, fy: usize) -> Plane {
        Plane {
            samples,
            w,
            h,
            held: h,
            fx,
            fy,
        }
    }

    /// Row `i` (clamped to the plane). In a ring it must be among the rows held.
    pub(super) fn row(&self, i: usize) -> &[u8] {
        let i = i.min(self.h - 1) % self.held;
        &self.samples[i * self.w..][..self.w]
    }
}

/// What a component needs to turn its coefficients into samples.
struct Source {
    /// Blocks covering the component (not the MCU padding).
    blocks_w: usize,
    blocks_h: usize,
    /// Blocks per row of the coefficient grid (MCU-padded), and block rows per MCU row.
    grid_w: usize,
    v: usize,
    /// The kept coefficients' quantisers, in slot order.
    q: [i32; 16],
}

impl Source {
    fn new(c: &Component, kept: &Kept, quant: &[u16; 64]) -> Source {
        let mut q = [0i32; 16];
        for (k, &slot) in kept.slot.iter().enumerate() {
            if slot != NOT_KEPT {
                q[usize::from(slot)] = i32::from(quant[k]);
            }
        }
        Source {
            blocks_w: c.blocks_w,
            blocks_h: c.blocks_h,
            grid_w: c.grid_w,
            v: c.v,
            q,
        }
    }

    /// Transforms block row `by` (its coefficients `grid_row`, one grid row) into plane rows
    /// `by * n ..`.
    fn transform_row(&self, kept: &Kept, grid_row: &[i16], by: usize, plane: &mut Plane) {
        let n = kept.n;
        let per_block = kept.per_block();
        let w = plane.w;
        // Planes hold whole block rows, so a block's rows are contiguous in a ring too.
        let first = (by * n) % plane.held;
        let out_rows = &mut plane.samples[first * w..(first + n) * w];
        for (bx, block) in grid_row
            .chunks_exact(per_block)
            .take(self.blocks_w)
            .enumerate()
        {
            let out = &mut out_rows[bx * n..];
            match n {
                1 => out[0] = idct_1x1(block[0], self.q[0]),
                2 => idct_2x2(block, &self.q, out, w),
                _ => idct_4x4(block, &self.q, out, w),
            }
        }
    }
}

/// Builds the reduced-scale image from the frame's components, one MCU row at a time.
pub(super) struct Assembler {
    kept: Kept,
    sources: Vec<Source>,
    planes: Vec<Plane>,
    upsamplers: Vec<Upsampler>,
    /// One upsampled row per component.
    rows: Vec<Vec<u8>>,
    /// Output rows per MCU row.
    band_rows: usize,
    out_w: usize,
    out_h: usize,
    pixels: Vec<u8>,
    /// The next output row to assemble.
    next_y: usize,
}

impl Assembler {
    /// An assembler for `frame` whose planes hold `bands` MCU rows each.
    fn new(frame: &Frame, quant: &[[u16; 64]; 4], bands: usize) -> Assembler {
        let kept = frame.kept;
        let n = kept.n;
        let out_w = frame.width.div_ceil(8) * n;
        let out_h = frame.height.div_ceil(8) * n;
        let sources: Vec<Source> = frame
            .components
            .iter()
            .map(|c| Source::new(c, &kept, &quant[c.quant]))
            .collect();
        let planes: Vec<Plane> = frame
            .components
            .iter()
            .map(|c| {
                let (w, h) = (c.blocks_w * n, c.blocks_h * n);
                let held = (bands * c.v * n).min(h);
                Plane {
                    samples: vec![0; w * held],
                    w,
                    h,
                    held,
                    fx: frame.h_max / c.h,
                    fy: frame.v_max / c.v,
                }
            })
            .collect();
        let channels = if planes.len() == 1 { 1 } else { 3 };
        Assembler {
            kept,
            upsamplers: planes.iter().map(|_| Upsampler::new(out_w)).collect(),
            rows: vec![vec![0; out_w]; planes.len()],
            sources,
            planes,
            band_rows: frame.v_max * n,
            out_w,
            out_h,
            pixels: vec![0; out_w * out_h * channels],
            next_y: 0,
        }
    }

    /// An assembler fed one MCU row at a time by [`Assembler::band`]: each plane holds three
    /// MCU rows (the one being assembled and its neighbours, which the vertical upsampling reads).
    pub(super) fn streaming(frame: &Frame, quant: &[[u16; 64]; 4]) -> Assembler {
        Assembler::new(frame, quant, 3)
    }

    /// Takes MCU row `mcu_row`: component `index`'s coefficients of that row are
    /// `coefs(index)` (its `v` block rows of the grid). Assembles the output rows that no later
    /// MCU row can change.
    pub(super) fn band<'c>(&mut self, mcu_row: usize, coefs: impl Fn(usize) -> &'c [i16]) {
        let per_block = self.kept.per_block();
        for (index, (source, plane)) in self.sources.iter().zip(&mut self.planes).enumerate() {
            for (r, grid_row) in coefs(index)
                .chunks_exact(source.grid_w * per_block)
                .take(source.v)
                .enumerate()
            {
                let by = mcu_row * source.v + r;
                if by < source.blocks_h {
                    source.transform_row(&self.kept, grid_row, by, plane);
                }
            }
        }
        // Rows of earlier MCU rows are final: the vertical upsampling reads at most one row
        // into this one.
        self.assemble(mcu_row * self.band_rows);
    }

    /// Samples per output pixel: gray or RGB.
    fn channels(&self) -> usize {
        if self.planes.len() == 1 {
            1
        } else {
            3
        }
    }

    /// Assembles output rows up to (not including) `end`.
    fn assemble(&mut self, end: usize) {
        let channels = self.channels();
        let end = end.min(self.out_h);
        for y in self.next_y..end {
            for ((plane, row), up) in self
                .planes
                .iter()
                .zip(&mut self.rows)
                .zip(&mut self.upsamplers)
            {
                up.row(plane, y, row);
            }
            let out = &mut self.pixels[y * self.out_w * channels..(y + 1) * self.out_w * channels];
            match self.rows.as_slice() {
                [gray] => out.copy_from_slice(gray),
                [luma, cb, cr] => {
                    for (((px, &y), &cb), &cr) in out.chunks_exact_mut(3).zip(luma).zip(cb).zip(cr)
                    {
                        px.copy_from_slice(&ycbcr_to_rgb(y, cb, cr));
                    }
                }
                _ => {}
            }
        }
        self.next_y = self.next_y.max(end);
    }

    /// Assembles the remaining rows and gives the image. `None` only if the buffer did not match
    /// the size (it is sized from the frame, so never).
    pub(super) fn finish(mut self) -> Option<DynamicImage> {
        self.assemble(self.out_h);
        let (w, h) = (
            u32::try_from(self.out_w).ok()?,
            u32::try_from(self.out_h).ok()?,
        );
        Some(match self.planes.len() {
            1 => DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, self.pixels)?),
            _ => DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, self.pixels)?),
        })
    }
}

/// Transforms the frame's stored coefficients and assembles the reduced-scale image, handing
/// them to the assembler one MCU row at a time as a streamed scan does.
/// `None` only if the buffer did not match the size (it is sized from the frame, so never).
pub(super) fn render(frame: &Frame, quant: &[[u16; 64]; 4]) -> Option<DynamicImage> {
    // Three MCU rows of samples per plane, as for a streamed scan, not whole planes: on a
    // 13 MP progressive photo at 1/2 scale that is 10 MB less at the decode's peak.
    let mut assembler = Assembler::streaming(frame, quant);
    let per_block = frame.kept.per_block();
    for mcu_row in 0..frame.mcus_y {
        assembler.band(mcu_row, |index| {
            let c = &frame.components[index];
            let len = c.v * c.grid_w * per_block;
            c.coefs
                .get(mcu_row * len..(mcu_row + 1) * len)
                .unwrap_or(&[])
        });
    }
    assembler.finish()
}

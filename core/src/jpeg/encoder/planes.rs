//! Samples for one row of MCUs: RGB to full-range YCbCr (JFIF) in 16-bit fixed point with
//! libjpeg's constants, chroma averaged over 2x2 pixels when subsampled (from the RGB sums, so
//! it is rounded once), and the image's last column and row repeated to fill partial MCUs.
//!
//! Each RGB row is first split into three planes of 16-bit values, so that the conversions are
//! loops over plain arrays the compiler runs eight or four lanes at a time (interleaved RGB
//! defeats it).

/// Fixed-point constants (x 2^16) of JFIF's RGB -> YCbCr.
const Y_R: i32 = 19595;
const Y_G: i32 = 38470;
const Y_B: i32 = 7471;
const CB_R: i32 = -11059;
const CB_G: i32 = -21709;
const CR_G: i32 = -27439;
const CR_B: i32 = -5329;
/// 0.5 x 2^16: Cb's blue and Cr's red factor.
const HALF: i32 = 32768;

/// Luma's constants split into high and low bytes (`Y_R = 76 * 256 + 139`, ...), so that
/// `Y_R * r + Y_G * g + Y_B * b + 2^15`, shifted by 16, is computed in 16-bit lanes: the high
/// sum is at most 255 x 255 and the low one 256 x 255, and
/// `(256 * high + low + 2^15) >> 16 = (high + (low >> 8) + 128) >> 8` exactly (nested floors).
const Y_HIGH: [u16; 3] = [(Y_R >> 8) as u16, (Y_G >> 8) as u16, (Y_B >> 8) as u16];
const Y_LOW: [u16; 3] = [(Y_R & 255) as u16, (Y_G & 255) as u16, (Y_B & 255) as u16];

/// The three planes of one MCU row: luma `stride` wide and `rows` high, chroma `stride / sub`
/// by `rows / sub` (`sub` = 2 for 4:2:0, 1 for 4:4:4; grayscale fills only `y`).
pub(super) struct Strip {
    pub(super) sub: usize,
    pub(super) stride: usize,
    pub(super) rows: usize,
    pub(super) y: Vec<u8>,
    pub(super) cb: Vec<u8>,
    pub(super) cr: Vec<u8>,
    /// Two image rows split into R, G and B planes (RGB input only), `width` rounded up to even
    /// with the last pixel repeated.
    split: [[Vec<u16>; 3]; 2],
    /// Per chroma sample, 4:2:0 only: the sums of R, G and B over 2x2 pixels.
    sums: [Vec<u16>; 3],
}

impl Strip {
    pub(super) fn new(width: usize, colour: bool, sub: usize) -> Strip {
        let mcu = 8 * sub;
        let stride = width.div_ceil(mcu) * mcu;
        let rows = mcu;
        let chroma = if colour {
            stride / sub * (rows / sub)
        } else {
            0
        };
        let (even, inside) = if colour {
            (
                width.div_ceil(2) * 2,
                if sub == 2 { width.div_ceil(2) } else { 0 },
            )
        } else {
            (0, 0)
        };
        let planes = || [vec![0; even], vec![0; even], vec![0; even]];
        Strip {
            sub,
            stride,
            rows,
            y: vec![0; stride * rows],
            cb: vec![0; chroma],
            cr: vec![0; chroma],
            split: [planes(), planes()],
            sums: [vec![0; inside], vec![0; inside], vec![0; inside]],
        }
    }

    /// Fills the planes from `pixels` (`channels` 1 or 3, `width` x `height`), rows `top..`.
    pub(super) fn fill(
        &mut self,
        pixels: &[u8],
        width: usize,
        height: usize,
        channels: usize,
        top: usize,
    ) {
        let row_bytes = width * channels;
        let src_row = |r: usize| {
            let at = (top + r).min(height - 1) * row_bytes;
            &pixels[at..at + row_bytes]
        };
        let cw = self.stride / self.sub;
        for r in 0..self.rows {
            let src = src_row(r);
            let dst = &mut self.y[r * self.stride..(r + 1) * self.stride];
            if channels == 1 {
                dst[..width].copy_from_slice(src);
            } else {
                let planes = &mut self.split[r % self.sub];
                split(src, planes);
                luma(planes, &mut dst[..width]);
            }
            let last = dst[width - 1];
            dst[width..].fill(last);
            if channels == 1 || r % self.sub != self.sub - 1 {
                continue;
            }
            let c = r / self.sub;
            let (cb, cr) = (
                &mut self.cb[c * cw..(c + 1) * cw],
                &mut self.cr[c * cw..(c + 1) * cw],
            );
            if self.sub == 1 {
                // The row's own planes, up to the image's width.
                chroma_row(&self.split[0], width, cb, cr, 16);
            } else {
                let [a, b] = &self.split;
                for ((sum, a), b) in self.sums.iter_mut().zip(a).zip(b) {
                    sum_2x2(a, b, sum);
                }
                // The sums of four pixels carry two more bits: shift by 18, not 16.
                chroma_row(&self.sums, self.sums[0].len(), cb, cr, 18);
            }
        }
    }
}

/// Splits an RGB row into `planes`, repeating the last pixel to fill an odd width's even end.
fn split(src: &[u8], planes: &mut [Vec<u16>; 3]) {
    let [r, g, b] = planes;
    let width = src.len() / 3;
    for (((px, r), g), b) in src.chunks_exact(3).zip(&mut *r).zip(&mut *g).zip(&mut *b) {
        (*r, *g, *b) = (px[0].into(), px[1].into(), px[2].into());
    }
    for plane in planes {
        let last = plane[width - 1];
        plane[width..].fill(last);
    }
}

/// Luma of each pixel of `planes` into `y` (as long as the image row).
// `x` indexes four arrays of one length: the loop shape the vectoriser needs.
#[allow(clippy::needless_range_loop)]
fn luma([r, g, b]: &[Vec<u16>; 3], y: &mut [u8]) {
    let n = y.len();
    let (r, g, b) = (&r[..n], &g[..n], &b[..n]);
    for x in 0..n {
        let high = Y_HIGH[0] * r[x] + Y_HIGH[1] * g[x] + Y_HIGH[2] * b[x];
        let low = Y_LOW[0] * r[x] + Y_LOW[1] * g[x] + Y_LOW[2] * b[x];
        y[x] = ((high + (low >> 8) + 128) >> 8) as u8;
    }
}

/// Each channel's sum over 2x2 pixels: pixels `2x` and `2x + 1` of rows `a` and `b`.
fn sum_2x2(a: &[u16], b: &[u16], sum: &mut [u16]) {
    for ((s, a), b) in sum.iter_mut().zip(a.chunks_exact(2)).zip(b.chunks_exact(2)) {
        *s = a[0] + a[1] + b[0] + b[1];
    }
}

/// One row of Cb and Cr from `sums` (R, G and B, or their sums over four pixels, behind each
/// of the `inside` chroma samples the image covers, shifted by `shift`); later samples repeat
/// the last.
// `x` indexes five arrays of one length: the loop shape the vectoriser needs.
#[allow(clippy::needless_range_loop)]
fn chroma_row([r, g, b]: &[Vec<u16>; 3], inside: usize, cb: &mut [u8], cr: &mut [u8], shift: u32) {
    let offset = 128 << shift;
    let round = (1 << (shift - 1)) - 1;
    let (r, g, b) = (&r[..inside], &g[..inside], &b[..inside]);
    {
        let (cb, cr) = (&mut cb[..inside], &mut cr[..inside]);
        for x in 0..inside {
            let (r, g, b) = (i32::from(r[x]), i32::from(g[x]), i32::from(b[x]));
            cb[x] = ((CB_R * r + CB_G * g + HALF * b + offset + round) >> shift) as u8;
            cr[x] = ((HALF * r + CR_G * g + CR_B * b + offset + round) >> shift) as u8;
        }
    }
    let (lb, lr) = (cb[inside - 1], cr[inside - 1]);
    cb[inside..].fill(lb);
    cr[inside..].fill(lr);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_in_16_bit_lanes_is_the_32_bit_formula() {
        // Every (r, g, b) with r and b on a grid and g all 256 values, and the corners.
        let mut n = 0;
        for r in (0..=255u16).step_by(5).chain([254, 255]) {
            for b in (0..=255u16).step_by(3).chain([254, 255]) {
                let planes = [vec![r; 256], (0..=255).collect(), vec![b; 256]];
                let mut y = [0u8; 256];
                luma(&planes, &mut y);
                for (g, &got) in y.iter().enumerate() {
                    let (r, g, b) = (i32::from(r), g as i32, i32::from(b));
                    let expect = (Y_R * r + Y_G * g + Y_B * b + HALF) >> 16;
                    assert_eq!(i32::from(got), expect, "({r}, {g}, {b})");
                    n += 1;
                }
            }
        }
        assert!(n > 100_000, "{n}");
    }

    #[test]
    fn a_strip_holds_each_formula_with_edges_repeated() {
        // Odd width and height, noise, 4:2:0 and 4:4:4: every sample of every strip against
        // the formulas computed one pixel at a time (the last column and row repeated).
        let (w, h) = (37usize, 21usize);
        let px = crate::jpeg::encoder::tests::noise(w * h * 3);
        let at =
            |x: usize, y: usize, c: usize| i32::from(px[(y.min(h - 1) * w + x.min(w - 1)) * 3 + c]);
        for sub in [1, 2] {
            let mut strip = Strip::new(w, true, sub);
            let cw = strip.stride / sub;
            let shift = if sub == 2 { 18 } else { 16 };
            for top in (0..h).step_by(8 * sub) {
                strip.fill(&px, w, h, 3, top);
                for r in 0..strip.rows {
                    for c in 0..strip.stride {
                        let (x, y) = (c, top + r);
                        let expect =
                            (Y_R * at(x, y, 0) + Y_G * at(x, y, 1) + Y_B * at(x, y, 2) + HALF)
                                >> 16;
                        assert_eq!(i32::from(strip.y[r * strip.stride + c]), expect);
                    }
                }
                for r in 0..strip.rows / sub {
                    for c in 0..cw {
                        // The chroma sample's pixels: the edge sample repeats the last one.
                        let c0 = c.min((w - 1) / sub);
                        let sum = |ch: usize| {
                            let mut s = 0;
                            for dy in 0..sub {
                                for dx in 0..sub {
                                    s += at(c0 * sub + dx, top + r * sub + dy, ch);
                                }
                            }
                            s
                        };
                        let (cr_, cg, cb_) = (sum(0), sum(1), sum(2));
                        let (offset, round) = (128 << shift, (1 << (shift - 1)) - 1);
                        let cb = (CB_R * cr_ + CB_G * cg + HALF * cb_ + offset + round) >> shift;
                        let cr = (HALF * cr_ + CR_G * cg + CR_B * cb_ + offset + round) >> shift;
                        assert_eq!(
                            i32::from(strip.cb[r * cw + c]),
                            cb,
                            "sub {sub} cb ({c}, {r})"
                        );
                        assert_eq!(
                            i32::from(strip.cr[r * cw + c]),
                            cr,
                            "sub {sub} cr ({c}, {r})"
                        );
                    }
                }
            }
        }
    }
}

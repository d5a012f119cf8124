//! Samples for one row of MCUs: RGB to full-range YCbCr (JFIF) in 16-bit fixed point with
//! libjpeg's constants, chroma averaged over 2x2 pixels when subsampled (from the RGB sums, so
//! it is rounded once), and the image's last column and row repeated to fill partial MCUs.

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

/// The three planes of one MCU row: luma `stride` wide and `rows` high, chroma `stride / sub`
/// by `rows / sub` (`sub` = 2 for 4:2:0, 1 for 4:4:4; grayscale fills only `y`).
pub(super) struct Strip {
    pub(super) sub: usize,
    pub(super) stride: usize,
    pub(super) rows: usize,
    pub(super) y: Vec<u8>,
    pub(super) cb: Vec<u8>,
    pub(super) cr: Vec<u8>,
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
        Strip {
            sub,
            stride,
            rows,
            y: vec![0; stride * rows],
            cb: vec![0; chroma],
            cr: vec![0; chroma],
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
        for r in 0..self.rows {
            let src = src_row(r);
            let dst = &mut self.y[r * self.stride..(r + 1) * self.stride];
            if channels == 1 {
                dst[..width].copy_from_slice(src);
            } else {
                for (d, px) in dst.iter_mut().zip(src.chunks_exact(3)) {
                    let (r, g, b) = (i32::from(px[0]), i32::from(px[1]), i32::from(px[2]));
                    *d = ((Y_R * r + Y_G * g + Y_B * b + HALF) >> 16) as u8;
                }
            }
            let last = dst[width - 1];
            dst[width..].fill(last);
        }
        if channels == 1 {
            return;
        }
        let cw = self.stride / self.sub;
        for cr_row in 0..self.rows / self.sub {
            let (cb, cr) = (
                &mut self.cb[cr_row * cw..(cr_row + 1) * cw],
                &mut self.cr[cr_row * cw..(cr_row + 1) * cw],
            );
            if self.sub == 1 {
                chroma_row(src_row(cr_row), cb, cr, 16, width, rgb);
            } else {
                let (a, b) = (src_row(2 * cr_row), src_row(2 * cr_row + 1));
                // The sums of four pixels carry two more bits: shift by 18, not 16.
                chroma_row(a, cb, cr, 18, width.div_ceil(2), |s, x| {
                    // Pixels 2x and 2x + 1 (the last one twice at an odd width's edge).
                    let x1 = (2 * x + 1).min(width - 1);
                    let (p, q) = (&s[6 * x..6 * x + 3], &s[3 * x1..3 * x1 + 3]);
                    let (u, v) = (&b[6 * x..6 * x + 3], &b[3 * x1..3 * x1 + 3]);
                    let sum = |c: usize| {
                        i32::from(p[c]) + i32::from(q[c]) + i32::from(u[c]) + i32::from(v[c])
                    };
                    (sum(0), sum(1), sum(2))
                });
            }
        }
    }
}

#[inline(always)]
fn rgb(row: &[u8], x: usize) -> (i32, i32, i32) {
    let p = &row[3 * x..3 * x + 3];
    (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]))
}

/// One row of Cb and Cr from `src` (a row of the image): `at(src, x)` gives the RGB (or the sum
/// of four) behind chroma sample `x` for the `inside` samples the image covers; later samples
/// repeat the last.
#[inline(always)]
fn chroma_row(
    src: &[u8],
    cb: &mut [u8],
    cr: &mut [u8],
    shift: u32,
    inside: usize,
    at: impl Fn(&[u8], usize) -> (i32, i32, i32),
) {
    let offset = 128 << shift;
    let round = (1 << (shift - 1)) - 1;
    for x in 0..inside {
        let (r, g, b) = at(src, x);
        cb[x] = ((CB_R * r + CB_G * g + HALF * b + offset + round) >> shift) as u8;
        cr[x] = ((HALF * r + CR_G * g + CR_B * b + offset + round) >> shift) as u8;
    }
    let (lb, lr) = (cb[inside - 1], cr[inside - 1]);
    cb[inside..].fill(lb);
    cr[inside..].fill(lr);
}

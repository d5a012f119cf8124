//! Intra predictors (RFC 6386 sections 12.2 and 12.3), computed from the edges a decoder has:
//! the row above (with the above-right pixels for 4x4 blocks), the column to the left and the
//! corner. Frame edges are the RFC's 127 (above) and 129 (left).

/// Whole-block modes (16x16 luma, 8x8 chroma), in the bitstream's numbering.
pub const DC_PRED: u8 = 0;
/// Vertical.
pub const V_PRED: u8 = 1;
/// Horizontal.
pub const H_PRED: u8 = 2;
/// TrueMotion.
pub const TM_PRED: u8 = 3;
/// Luma split into sixteen 4x4 blocks with their own modes.
pub const B_PRED: u8 = 4;

/// The 4x4 modes, in the bitstream's numbering.
pub const B_DC: u8 = 0;
const B_TM: u8 = 1;
const B_VE: u8 = 2;
const B_HE: u8 = 3;
const B_LD: u8 = 4;
const B_RD: u8 = 5;
const B_VR: u8 = 6;
const B_VL: u8 = 7;
const B_HD: u8 = 8;
const B_HU: u8 = 9;

/// The 4x4 mode a whole-block luma mode counts as for its neighbours' mode contexts.
pub fn implied_bmode(ymode: u8) -> u8 {
    match ymode {
        V_PRED => B_VE,
        H_PRED => B_HE,
        TM_PRED => B_TM,
        _ => B_DC,
    }
}

/// The edges of a block: `top[0]` is the corner, `top[1..]` the row above (16 + 4 for luma),
/// `left` the column to the left.
pub struct Edges<'a> {
    /// Corner then the row above.
    pub top: &'a [u8],
    /// The column to the left.
    pub left: &'a [u8],
    /// Whether the row above is inside the frame (DC prediction only).
    pub has_top: bool,
    /// Whether the column to the left is inside the frame (DC prediction only).
    pub has_left: bool,
}

fn clip(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// Predicts an `n` x `n` block (16 luma, 8 chroma) with a whole-block mode into `out` (n x n).
pub fn predict_block(mode: u8, n: usize, e: &Edges<'_>, out: &mut [u8]) {
    let above = &e.top[1..=n];
    match mode {
        V_PRED => {
            for row in out.chunks_exact_mut(n) {
                row.copy_from_slice(above);
            }
        }
        H_PRED => {
            for (row, &l) in out.chunks_exact_mut(n).zip(e.left) {
                row.fill(l);
            }
        }
        TM_PRED => {
            let p = i32::from(e.top[0]);
            for (row, &l) in out.chunks_exact_mut(n).zip(e.left) {
                for (o, &a) in row.iter_mut().zip(above) {
                    *o = clip(i32::from(l) + i32::from(a) - p);
                }
            }
        }
        _ => {
            let shift = if n == 16 { 4 } else { 3 };
            let sum_top: u32 = above.iter().map(|&a| u32::from(a)).sum();
            let sum_left: u32 = e.left[..n].iter().map(|&a| u32::from(a)).sum();
            let dc = match (e.has_top, e.has_left) {
                (true, true) => (sum_top + sum_left + (1 << shift)) >> (shift + 1),
                (true, false) => (sum_top + (1 << (shift - 1))) >> shift,
                (false, true) => (sum_left + (1 << (shift - 1))) >> shift,
                (false, false) => 128,
            };
            out[..n * n].fill(dc as u8);
        }
    }
}

fn avg2(a: u8, b: u8) -> u8 {
    ((u16::from(a) + u16::from(b) + 1) >> 1) as u8
}

fn avg3(a: u8, b: u8, c: u8) -> u8 {
    ((u16::from(a) + 2 * u16::from(b) + u16::from(c) + 2) >> 2) as u8
}

/// Predicts a 4x4 block with a 4x4 mode into `out` (raster, 16). `top` is the corner then the
/// eight pixels above and above-right; `left` the four to the left.
pub fn predict_4x4(mode: u8, top: &[u8; 9], left: &[u8; 4], out: &mut [u8; 16]) {
    let x = top[0];
    let a = &top[1..9];
    let (i, j, k, l) = (left[0], left[1], left[2], left[3]);
    let mut set = |px: usize, py: usize, v: u8| out[py * 4 + px] = v;
    match mode {
        B_DC => {
            let s: u32 = a[..4].iter().chain(left).map(|&v| u32::from(v)).sum();
            out.fill(((s + 4) >> 3) as u8);
        }
        B_TM => {
            for py in 0..4 {
                for px in 0..4 {
                    set(
                        px,
                        py,
                        clip(i32::from(left[py]) + i32::from(a[px]) - i32::from(x)),
                    );
                }
            }
        }
        B_VE => {
            let row = [
                avg3(x, a[0], a[1]),
                avg3(a[0], a[1], a[2]),
                avg3(a[1], a[2], a[3]),
                avg3(a[2], a[3], a[4]),
            ];
            for r in out.chunks_exact_mut(4) {
                r.copy_from_slice(&row);
            }
        }
        B_HE => {
            let col = [avg3(x, i, j), avg3(i, j, k), avg3(j, k, l), avg3(k, l, l)];
            for (r, v) in out.chunks_exact_mut(4).zip(col) {
                r.fill(v);
            }
        }
        B_LD => {
            for py in 0..4 {
                for px in 0..4 {
                    let s = px + py;
                    let v = if s == 6 {
                        avg3(a[6], a[7], a[7])
                    } else {
                        avg3(a[s], a[s + 1], a[s + 2])
                    };
                    set(px, py, v);
                }
            }
        }
        B_RD => {
            // The edge from the bottom-left up to the top-right: L K J I X A B C D.
            let e = [l, k, j, i, x, a[0], a[1], a[2], a[3]];
            for py in 0..4 {
                for px in 0..4 {
                    let c = 3 + px - py;
                    set(px, py, avg3(e[c], e[c + 1], e[c + 2]));
                }
            }
        }
        B_VR => {
            set(0, 3, avg3(k, j, i));
            set(0, 2, avg3(j, i, x));
            set(0, 1, avg3(i, x, a[0]));
            set(1, 3, avg3(i, x, a[0]));
            set(0, 0, avg2(x, a[0]));
            set(1, 2, avg2(x, a[0]));
            set(1, 1, avg3(x, a[0], a[1]));
            set(2, 3, avg3(x, a[0], a[1]));
            set(1, 0, avg2(a[0], a[1]));
            set(2, 2, avg2(a[0], a[1]));
            set(2, 1, avg3(a[0], a[1], a[2]));
            set(3, 3, avg3(a[0], a[1], a[2]));
            set(2, 0, avg2(a[1], a[2]));
            set(3, 2, avg2(a[1], a[2]));
            set(3, 1, avg3(a[1], a[2], a[3]));
            set(3, 0, avg2(a[2], a[3]));
        }
        B_VL => {
            set(0, 0, avg2(a[0], a[1]));
            set(0, 1, avg3(a[0], a[1], a[2]));
            set(0, 2, avg2(a[1], a[2]));
            set(1, 0, avg2(a[1], a[2]));
            set(1, 1, avg3(a[1], a[2], a[3]));
            set(0, 3, avg3(a[1], a[2], a[3]));
            set(1, 2, avg2(a[2], a[3]));
            set(2, 0, avg2(a[2], a[3]));
            set(1, 3, avg3(a[2], a[3], a[4]));
            set(2, 1, avg3(a[2], a[3], a[4]));
            set(2, 2, avg2(a[3], a[4]));
            set(3, 0, avg2(a[3], a[4]));
            set(2, 3, avg3(a[3], a[4], a[5]));
            set(3, 1, avg3(a[3], a[4], a[5]));
            set(3, 2, avg3(a[4], a[5], a[6]));
            set(3, 3, avg3(a[5], a[6], a[7]));
        }
        B_HD => {
            set(0, 3, avg2(l, k));
            set(1, 3, avg3(l, k, j));
            set(0, 2, avg2(k, j));
            set(2, 3, avg2(k, j));
            set(1, 2, avg3(k, j, i));
            set(3, 3, avg3(k, j, i));
            set(2, 2, avg2(j, i));
            set(0, 1, avg2(j, i));
            set(3, 2, avg3(j, i, x));
            set(1, 1, avg3(j, i, x));
            set(2, 1, avg2(i, x));
            set(0, 0, avg2(i, x));
            set(3, 1, avg3(i, x, a[0]));
            set(1, 0, avg3(i, x, a[0]));
            set(2, 0, avg3(x, a[0], a[1]));
            set(3, 0, avg3(a[0], a[1], a[2]));
        }
        _ => {
            // B_HU
            set(0, 0, avg2(i, j));
            set(1, 0, avg3(i, j, k));
            set(2, 0, avg2(j, k));
            set(0, 1, avg2(j, k));
            set(3, 0, avg3(j, k, l));
            set(1, 1, avg3(j, k, l));
            set(2, 1, avg2(k, l));
            set(0, 2, avg2(k, l));
            set(3, 1, avg3(k, l, l));
            set(1, 2, avg3(k, l, l));
            for (px, py) in [(2, 2), (3, 2), (0, 3), (1, 3), (2, 3), (3, 3)] {
                set(px, py, l);
            }
        }
    }
}

/// The number of 4x4 modes.
pub const NUM_BMODES: u8 = 10;
/// `B_HU`, the last 4x4 mode (named for the match above).
#[allow(dead_code)]
const LAST_BMODE: u8 = B_HU;

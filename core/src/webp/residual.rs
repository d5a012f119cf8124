//! Coefficient tokens (RFC 6386 section 13): one walk over a block's quantised levels that
//! writes them, prices them or counts their branches, so that the three cannot disagree.

use super::boolcoder::{bit_cost, BoolWriter};
use super::tables::TokenProbs;

/// The band of each coefficient position (zigzag order), with a 17th for "after the last".
pub const BANDS: [usize; 17] = [0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0];
/// Zigzag position -> raster position in a 4x4 block.
pub const ZIGZAG: [usize; 16] = [0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15];
/// The largest level a token can carry (DCT_CAT6: 67 + 2047).
pub const MAX_LEVEL: i32 = 2047;

/// Block types (the first index of the token probabilities).
pub mod kind {
    /// Luma of a 16x16-predicted macroblock, from the second coefficient.
    pub const Y_AFTER_Y2: usize = 0;
    /// The second-order luma DC block.
    pub const Y2: usize = 1;
    /// Chroma.
    pub const UV: usize = 2;
    /// Luma of a 4x4-predicted macroblock.
    pub const Y_WITH_DC: usize = 3;
}

/// Where the bits of a walk go.
pub trait Sink {
    /// A bit coded with the adaptive probability `probs[kind][band][ctx][node]`.
    fn token(&mut self, kind: usize, band: usize, ctx: usize, node: usize, bit: bool) -> bool;
    /// A bit coded with a fixed probability (extra bits, signs).
    fn fixed(&mut self, bit: bool, prob: u8);
}

/// Writes the bits.
pub struct Writer<'a> {
    /// The token partition.
    pub out: &'a mut BoolWriter,
    /// The frame's probabilities.
    pub probs: &'a TokenProbs,
}

impl Sink for Writer<'_> {
    fn token(&mut self, kind: usize, band: usize, ctx: usize, node: usize, bit: bool) -> bool {
        self.out.put(bit, self.probs[kind][band][ctx][node]);
        bit
    }
    fn fixed(&mut self, bit: bool, prob: u8) {
        self.out.put(bit, prob);
    }
}

/// Prices the bits, in 1/256 bits.
pub struct Cost<'a> {
    /// The probabilities the price assumes.
    pub probs: &'a TokenProbs,
    /// The sum so far.
    pub total: u32,
}

impl Sink for Cost<'_> {
    fn token(&mut self, kind: usize, band: usize, ctx: usize, node: usize, bit: bool) -> bool {
        self.total += bit_cost(bit, self.probs[kind][band][ctx][node]);
        bit
    }
    fn fixed(&mut self, bit: bool, prob: u8) {
        self.total += bit_cost(bit, prob);
    }
}

/// Counts, per adaptive probability, how often each branch was taken: `[zeros, ones]`.
pub type Counts = [[[[[u32; 2]; 11]; 3]; 8]; 4];

impl Sink for Counts {
    fn token(&mut self, kind: usize, band: usize, ctx: usize, node: usize, bit: bool) -> bool {
        self[kind][band][ctx][node][usize::from(bit)] += 1;
        bit
    }
    fn fixed(&mut self, _: bool, _: u8) {}
}

/// Extra-bit probabilities of DCT_CAT3..6 (RFC 6386 section 13.2).
const CAT3: [u8; 3] = [173, 148, 140];
const CAT4: [u8; 4] = [176, 155, 140, 135];
const CAT5: [u8; 5] = [180, 157, 141, 134, 130];
const CAT6: [u8; 11] = [254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129];

/// Walks the tokens of one block: `levels` in zigzag order, coded from `first` (1 for luma
/// after Y2, else 0) with context `ctx` (how many of the above and left blocks had a non-zero
/// level). Returns whether any level from `first` on is non-zero (the next blocks' context).
pub fn walk<S: Sink>(s: &mut S, kind: usize, ctx: usize, first: usize, levels: &[i16; 16]) -> bool {
    let Some(last) = (first..16).rev().find(|&n| levels[n] != 0) else {
        s.token(kind, BANDS[first], ctx, 0, false);
        return false;
    };
    s.token(kind, BANDS[first], ctx, 0, true);
    let mut n = first;
    let mut ctx = ctx;
    while n < 16 {
        let level = i32::from(levels[n]);
        let band = BANDS[n];
        n += 1;
        let v = level.unsigned_abs();
        if !s.token(kind, band, ctx, 1, v != 0) {
            ctx = 0;
            continue;
        }
        if !s.token(kind, band, ctx, 2, v > 1) {
            ctx = 1;
        } else {
            if !s.token(kind, band, ctx, 3, v > 4) {
                if s.token(kind, band, ctx, 4, v != 2) {
                    s.token(kind, band, ctx, 5, v == 4);
                }
            } else if !s.token(kind, band, ctx, 6, v > 10) {
                if !s.token(kind, band, ctx, 7, v > 6) {
                    s.fixed(v == 6, 159);
                } else {
                    s.fixed(v >= 9, 165);
                    s.fixed(v & 1 == 0, 145);
                }
            } else {
                let (extra, table): (u32, &[u8]) = if v < 19 {
                    s.token(kind, band, ctx, 8, false);
                    s.token(kind, band, ctx, 9, false);
                    (v - 11, &CAT3)
                } else if v < 35 {
                    s.token(kind, band, ctx, 8, false);
                    s.token(kind, band, ctx, 9, true);
                    (v - 19, &CAT4)
                } else if v < 67 {
                    s.token(kind, band, ctx, 8, true);
                    s.token(kind, band, ctx, 10, false);
                    (v - 35, &CAT5)
                } else {
                    s.token(kind, band, ctx, 8, true);
                    s.token(kind, band, ctx, 10, true);
                    (v - 67, &CAT6)
                };
                let bits = table.len() as u32;
                for (i, &p) in table.iter().enumerate() {
                    s.fixed((extra >> (bits - 1 - i as u32)) & 1 == 1, p);
                }
            }
            ctx = 2;
        }
        s.fixed(level < 0, 128);
        if n == 16 || !s.token(kind, BANDS[n], ctx, 0, n <= last) {
            return true;
        }
    }
    true
}

/// The price of one block's tokens under `probs`, in 1/256 bits.
pub fn cost(probs: &TokenProbs, kind: usize, ctx: usize, first: usize, levels: &[i16; 16]) -> u32 {
    let mut c = Cost { probs, total: 0 };
    walk(&mut c, kind, ctx, first, levels);
    c.total
}

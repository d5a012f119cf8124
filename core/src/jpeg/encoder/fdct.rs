//! The forward DCT and quantisation, in integers only so that every target computes the same
//! coefficients: the Loeffler-Ligtenberg-Moschytz factorisation with 13-bit constants that
//! libjpeg calls `jfdctint` ("islow", its most accurate integer DCT). Outputs are eight times
//! the orthonormal DCT's, which quantisation divides out.
//!
//! Values are held in 16 bits (as libjpeg-turbo's SIMD code holds them) and every product is
//! a 16-bit value times a 16-bit constant, widened to 32 bits: the compiler multiplies eight
//! such lanes at once where SSE2 has no 32-bit lane multiply. The integers are those of 32-bit
//! arithmetic: level-shifted samples are within -128..=127, the first pass's outputs within
//! +-4,096 (its linear form's extremes, worked out with the constants below), so a sum of four
//! of them stays inside `i16`; the two products the factorisation takes of a sum of eight
//! (`z1` of the even part, `z5`) are written as the sum of two products (distributivity: the
//! same integer). The coefficients stay within +-8,192 and rounding.

use crate::jpeg::kept::ZIGZAG;

/// An 8x8 block of level-shifted samples or coefficients, `b[i]` being row `i`.
pub(super) type Block = [[i16; 8]; 8];

const CONST_BITS: u32 = 13;
const PASS1_BITS: u32 = 2;

const FIX_0_298631336: i16 = 2446;
const FIX_0_390180644: i16 = 3196;
const FIX_0_541196100: i16 = 4433;
const FIX_0_765366865: i16 = 6270;
const FIX_0_899976223: i16 = 7373;
const FIX_1_175875602: i16 = 9633;
const FIX_1_501321110: i16 = 12299;
const FIX_1_847759065: i16 = 15137;
const FIX_1_961570560: i16 = 16069;
const FIX_2_053119869: i16 = 16819;
const FIX_2_562915447: i16 = 20995;
const FIX_3_072711026: i16 = 25172;
// Sums of two constants, each of which the factorisation multiplies the same value by: one
// product instead of two, and no sum of the compiler's making (which it would otherwise
// form, taking it outside 16 bits).
const FIX_0_541_PLUS_0_765: i16 = FIX_0_541196100 + FIX_0_765366865;
const FIX_0_541_MINUS_1_847: i16 = FIX_0_541196100 - FIX_1_847759065;
const FIX_1_175_MINUS_1_961: i16 = FIX_1_175875602 - FIX_1_961570560;
const FIX_1_175_MINUS_0_390: i16 = FIX_1_175875602 - FIX_0_390180644;

#[inline(always)]
fn descale(x: i32, n: u32) -> i32 {
    (x + (1 << (n - 1))) >> n
}

/// Eight 1-D transforms at once, down the columns of `b` (`b[i]` is row `i`): written lane by
/// lane over plain arrays so the compiler vectorises it. The first pass keeps `PASS1_BITS` of
/// extra precision; the second removes it.
#[inline(always)]
// `j` indexes a lane across all eight rows: the shape the vectoriser needs.
#[allow(clippy::needless_range_loop)]
fn pass(b: &mut Block, first: bool) {
    let odd_shift = if first {
        CONST_BITS - PASS1_BITS
    } else {
        CONST_BITS + PASS1_BITS
    };
    for j in 0..8 {
        let d = |i: usize| b[i][j];
        let (tmp0, tmp7) = (d(0) + d(7), d(0) - d(7));
        let (tmp1, tmp6) = (d(1) + d(6), d(1) - d(6));
        let (tmp2, tmp5) = (d(2) + d(5), d(2) - d(5));
        let (tmp3, tmp4) = (d(3) + d(4), d(3) - d(4));

        let (tmp10, tmp13) = (tmp0 + tmp3, tmp0 - tmp3);
        let (tmp11, tmp12) = (tmp1 + tmp2, tmp1 - tmp2);

        let even = |x: i32| {
            if first {
                x << PASS1_BITS
            } else {
                descale(x, PASS1_BITS)
            }
        };
        // z1 = (tmp12 + tmp13) * FIX_0_541196100, distributed and each product's constants
        // summed (as libjpeg-turbo's SIMD code pairs them).
        let (z1_12, z1_13) = (mul(tmp12, FIX_0_541196100), mul(tmp13, FIX_0_541196100));
        b[0][j] = even(i32::from(tmp10) + i32::from(tmp11)) as i16;
        b[4][j] = even(i32::from(tmp10) - i32::from(tmp11)) as i16;
        b[2][j] = descale(z1_12 + mul(tmp13, FIX_0_541_PLUS_0_765), odd_shift) as i16;
        b[6][j] = descale(mul(tmp12, FIX_0_541_MINUS_1_847) + z1_13, odd_shift) as i16;

        let z1 = tmp4 + tmp7;
        let z2 = tmp5 + tmp6;
        let z3 = tmp4 + tmp6;
        let z4 = tmp5 + tmp7;
        // z5 = (z3 + z4) * FIX_1_175875602, distributed into z3 and z4 the same way.
        let tmp4 = mul(tmp4, FIX_0_298631336);
        let tmp5 = mul(tmp5, FIX_2_053119869);
        let tmp6 = mul(tmp6, FIX_3_072711026);
        let tmp7 = mul(tmp7, FIX_1_501321110);
        let z1 = mul(z1, -FIX_0_899976223);
        let z2 = mul(z2, -FIX_2_562915447);
        let (z3, z4) = (
            mul(z3, FIX_1_175_MINUS_1_961) + mul(z4, FIX_1_175875602),
            mul(z3, FIX_1_175875602) + mul(z4, FIX_1_175_MINUS_0_390),
        );

        b[1][j] = descale(tmp7 + z1 + z4, odd_shift) as i16;
        b[3][j] = descale(tmp6 + z2 + z3, odd_shift) as i16;
        b[5][j] = descale(tmp5 + z2 + z4, odd_shift) as i16;
        b[7][j] = descale(tmp4 + z1 + z3, odd_shift) as i16;
    }
}

/// A 16-bit value times a constant that fits 16 bits, in 32 bits.
#[inline(always)]
fn mul(x: i16, constant: i16) -> i32 {
    i32::from(x) * i32::from(constant)
}

#[allow(clippy::needless_range_loop)] // b[i][j] and b[j][i] at once
fn transpose(b: &mut Block) {
    for i in 0..8 {
        for j in i + 1..8 {
            let t = b[i][j];
            b[i][j] = b[j][i];
            b[j][i] = t;
        }
    }
}

/// Transforms a block of level-shifted samples (-128..=127, `b[y][x]`) in place. Columns
/// first, then rows (libjpeg goes rows first: the same transform, rounded in the other order);
/// the coefficients come out transposed, `b[u][v]` for horizontal frequency `u` and vertical
/// `v`, which is how [`Quantiser`] and [`quantise`] index them.
pub(super) fn fdct(b: &mut Block) {
    pass(b, true);
    transpose(b);
    pass(b, false);
}

/// Natural position `v * 8 + u` of zig-zag index `k`, transposed to `u * 8 + v`: where
/// [`fdct`]'s output holds it.
const TRANSPOSED_ZIGZAG: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut k = 0;
    while k < 64 {
        let n = ZIGZAG[k];
        t[k] = (n % 8) * 8 + n / 8;
        k += 1;
    }
    t
};

/// A quantisation table prepared for [`quantise`], in [`fdct`]'s (transposed) order: per
/// coefficient, half the divisor `d` (eight times the table's step, as the DCT's outputs are
/// scaled), a reciprocal `recip` and a `scale`, all 16-bit: with `k = floor(log2 d)`,
/// `recip = ceil(2^(16 + k) / d)` and `scale = 2^(16 - k)`, except for a power of two
/// (where that `recip` would be `2^16`): `recip = 2^15` and `scale = 2^(17 - k)`.
///
/// `(((a * recip) >> 16) * scale) >> 16` equals `a / d` for every `a < 2^15` (so the result
/// is libjpeg's rounded division, exactly), in 16-bit lanes (two high-half multiplies, which
/// SSE2 and NEON have; libjpeg-turbo's SIMD quantiser shifts by multiplying the same way):
/// - `d` not a power of two: `2^k < d < 2^(k+1)`, so `2^15 < recip < 2^16`, and
///   `(a * recip) >> (16 + k)` is exact: `recip * d - 2^(16+k) < d < 2^(k+1)`, so the error
///   term `a * (recip * d - 2^(16+k)) / 2^(16+k)` stays below `a / 2^15 / d < 1 / d`;
///   `(a * recip) >> 16 < 2^15`, and multiplying that by `2^(16-k)` then shifting by 16 is the
///   remaining shift by `k`;
/// - `d = 2^k`: `(a * 2^15) >> 16 = a >> 1`, then the remaining shift by `k - 1` (`k >= 3`).
///
/// The DCT's outputs stay within +-8,192 (+ rounding) and half a divisor is at most 1,020, far
/// inside `2^15`.
pub(super) struct Quantiser {
    half: [u16; 64],
    recip: [u16; 64],
    scale: [u16; 64],
}

impl Quantiser {
    /// From a table in zig-zag order (as DQT carries it).
    pub(super) fn new(table: &[u8; 64]) -> Quantiser {
        let mut q = Quantiser {
            half: [0; 64],
            recip: [0; 64],
            scale: [0; 64],
        };
        for (&step, &at) in table.iter().zip(&TRANSPOSED_ZIGZAG) {
            let t = usize::from(at);
            let d = u16::from(step.max(1)) * 8;
            let k = d.ilog2();
            q.half[t] = d >> 1;
            (q.recip[t], q.scale[t]) = if d.is_power_of_two() {
                (1 << 15, 1 << (17 - k))
            } else {
                (
                    (1u32 << (16 + k)).div_ceil(u32::from(d)) as u16,
                    1 << (16 - k),
                )
            };
        }
        q
    }
}

/// The high half of a 16-bit product (one SIMD instruction a lane).
#[inline(always)]
fn mul_high(a: u16, b: u16) -> u16 {
    ((u32::from(a) * u32::from(b)) >> 16) as u16
}

/// For each nibble of a mask over [`fdct`]'s (transposed) order and each value of that nibble,
/// the same bits at their zig-zag indices: sixteen lookups permute a whole mask.
const TO_ZIGZAG: [[u64; 16]; 16] = {
    let mut zigzag_of = [0u8; 64];
    let mut k = 0;
    while k < 64 {
        zigzag_of[TRANSPOSED_ZIGZAG[k] as usize] = k as u8;
        k += 1;
    }
    let mut t = [[0u64; 16]; 16];
    let mut nibble = 0;
    while nibble < 16 {
        let mut v = 0;
        while v < 16 {
            let mut bit = 0;
            while bit < 4 {
                if v >> bit & 1 == 1 {
                    t[nibble][v] |= 1 << zigzag_of[nibble * 4 + bit];
                }
                bit += 1;
            }
            v += 1;
        }
        nibble += 1;
    }
    t
};

/// Where zig-zag index `k` is in [`quantise`]'s output.
pub(super) fn at(k: usize) -> usize {
    usize::from(TRANSPOSED_ZIGZAG[k])
}

/// Quantises [`fdct`]'s outputs into `levels` (in the same, transposed, order: zig-zag index `k`
/// is at [`at`]`(k)`), rounding half away from zero; returns the mask of non-zero zig-zag
/// indices.
pub(super) fn quantise(coefs: &Block, q: &Quantiser, levels: &mut [i16; 64]) -> u64 {
    for (i, (level, &c)) in levels.iter_mut().zip(coefs.as_flattened()).enumerate() {
        let a = c.unsigned_abs() + q.half[i];
        let v = mul_high(mul_high(a, q.recip[i]), q.scale[i]) as i16;
        // The sign put back without a branch: coefficient signs are unpredictable, and a
        // branch here cost about half the encoder's time.
        let sign = c >> 15;
        *level = (v ^ sign) - sign;
    }
    // The mask eight positions at a time: a byte 0 or 1 per position (a vector compare), then
    // the eight bytes of a word gathered into its top byte by one multiply (byte `i` lands on
    // bit `56 + i`; no two partial products share a bit, so nothing carries); then its bits
    // moved to their zig-zag indices a nibble at a time.
    let mut flags = [0u8; 64];
    for (f, &l) in flags.iter_mut().zip(levels.iter()) {
        *f = u8::from(l != 0);
    }
    let mut mask = 0u64;
    for (i, eight) in flags.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        let bits = u64::from_le_bytes(word).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask |= TO_ZIGZAG[2 * i][(bits & 15) as usize] | TO_ZIGZAG[2 * i + 1][(bits >> 4) as usize];
    }
    mask
}

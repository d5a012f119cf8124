//! The forward DCT and quantisation, in integers only so that every target computes the same
//! coefficients: the Loeffler-Ligtenberg-Moschytz factorisation with 13-bit constants that
//! libjpeg calls `jfdctint` ("islow", its most accurate integer DCT). Outputs are eight times
//! the orthonormal DCT's, which quantisation divides out.

use crate::jpeg::kept::ZIGZAG;

const CONST_BITS: u32 = 13;
const PASS1_BITS: u32 = 2;

const FIX_0_298631336: i32 = 2446;
const FIX_0_390180644: i32 = 3196;
const FIX_0_541196100: i32 = 4433;
const FIX_0_765366865: i32 = 6270;
const FIX_0_899976223: i32 = 7373;
const FIX_1_175875602: i32 = 9633;
const FIX_1_501321110: i32 = 12299;
const FIX_1_847759065: i32 = 15137;
const FIX_1_961570560: i32 = 16069;
const FIX_2_053119869: i32 = 16819;
const FIX_2_562915447: i32 = 20995;
const FIX_3_072711026: i32 = 25172;

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
fn pass(b: &mut [[i32; 8]; 8], first: bool) {
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
        let z1 = (tmp12 + tmp13) * FIX_0_541196100;
        b[0][j] = even(tmp10 + tmp11);
        b[4][j] = even(tmp10 - tmp11);
        b[2][j] = descale(z1 + tmp13 * FIX_0_765366865, odd_shift);
        b[6][j] = descale(z1 - tmp12 * FIX_1_847759065, odd_shift);

        let z1 = tmp4 + tmp7;
        let z2 = tmp5 + tmp6;
        let z3 = tmp4 + tmp6;
        let z4 = tmp5 + tmp7;
        let z5 = (z3 + z4) * FIX_1_175875602;
        let tmp4 = tmp4 * FIX_0_298631336;
        let tmp5 = tmp5 * FIX_2_053119869;
        let tmp6 = tmp6 * FIX_3_072711026;
        let tmp7 = tmp7 * FIX_1_501321110;
        let z1 = -z1 * FIX_0_899976223;
        let z2 = -z2 * FIX_2_562915447;
        let z3 = -z3 * FIX_1_961570560 + z5;
        let z4 = -z4 * FIX_0_390180644 + z5;

        b[1][j] = descale(tmp7 + z1 + z4, odd_shift);
        b[3][j] = descale(tmp6 + z2 + z3, odd_shift);
        b[5][j] = descale(tmp5 + z2 + z4, odd_shift);
        b[7][j] = descale(tmp4 + z1 + z3, odd_shift);
    }
}

#[allow(clippy::needless_range_loop)] // b[i][j] and b[j][i] at once
fn transpose(b: &mut [[i32; 8]; 8]) {
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
pub(super) fn fdct(b: &mut [[i32; 8]; 8]) {
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
/// coefficient, half the divisor (eight times the table's step, as the DCT's outputs are
/// scaled), the divisor's reciprocal `recip = ceil(2^(16 + k) / divisor)` with
/// `k = floor(log2 divisor)`, and `scale = 2^(16 - k)`.
///
/// `(((a * recip) >> 16) * scale) >> 16` equals `a / divisor` for every `a < 2^14` (so the
/// result is libjpeg's rounded division, exactly), in 32-bit lanes with no per-lane shift
/// (libjpeg-turbo's SIMD quantiser shifts by multiplying the same way):
/// - `(a * recip) >> (16 + k)` is exact: `recip * divisor - 2^(16+k) < divisor < 2^(k+1)`, so
///   the error term `a * (recip * divisor - 2^(16+k)) / 2^(16+k)` stays below `1 / divisor`;
/// - `recip <= 2^16 + 1`, so `a * recip < 2^31`; `(a * recip) >> 16 < 2^15`, and multiplying
///   that by `2^(16-k)` then shifting by 16 is the remaining shift by `k`, with no overflow.
///
/// The DCT's outputs stay within +-8,192 (+ rounding) and half a divisor is at most 1,020, far
/// inside `2^14`.
pub(super) struct Quantiser {
    half: [u32; 64],
    recip: [u32; 64],
    scale: [u32; 64],
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
            let d = u32::from(step.max(1)) * 8;
            let k = d.ilog2();
            q.half[t] = d >> 1;
            q.recip[t] = ((1u64 << (16 + k)).div_ceil(u64::from(d))) as u32;
            q.scale[t] = 1 << (16 - k);
        }
        q
    }
}

/// Quantises [`fdct`]'s outputs into `out` (zig-zag order), rounding half away from zero;
/// returns the mask of non-zero zig-zag indices.
pub(super) fn quantise(coefs: &[[i32; 8]; 8], q: &Quantiser, out: &mut [i32; 64]) -> u64 {
    let mut levels = [0i32; 64];
    for (i, (level, &c)) in levels.iter_mut().zip(coefs.as_flattened()).enumerate() {
        let a = c.unsigned_abs() + q.half[i];
        let v = ((a.wrapping_mul(q.recip[i]) >> 16).wrapping_mul(q.scale[i]) >> 16) as i32;
        // The sign put back without a branch: coefficient signs are unpredictable, and a
        // branch here cost about half the encoder's time.
        let sign = c >> 31;
        *level = (v ^ sign) - sign;
    }
    let mut mask = 0u64;
    for (k, (o, &t)) in out.iter_mut().zip(&TRANSPOSED_ZIGZAG).enumerate() {
        *o = levels[usize::from(t)];
        mask |= u64::from(*o != 0) << k;
    }
    mask
}

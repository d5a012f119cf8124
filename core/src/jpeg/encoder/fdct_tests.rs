//! The 16-bit forward DCT against the 32-bit one it replaced (libjpeg's `jfdctint` as written
//! here before: every value in `i32`, columns then rows), on the blocks that push each
//! coefficient and each first-pass value to its extreme and on random blocks.

use super::fdct;
use super::tests::xorshift;

const CONST_BITS: u32 = 13;
const PASS1_BITS: u32 = 2;

fn descale(x: i32, n: u32) -> i32 {
    (x + (1 << (n - 1))) >> n
}

#[allow(clippy::needless_range_loop)] // the reference's own shape
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

#[allow(clippy::needless_range_loop)] // b[i][j] and b[j][i] at once
fn reference(samples: &[[i16; 8]; 8]) -> [[i32; 8]; 8] {
    let mut b = samples.map(|row| row.map(i32::from));
    pass(&mut b, true);
    for i in 0..8 {
        for j in i + 1..8 {
            (b[i][j], b[j][i]) = (b[j][i], b[i][j]);
        }
    }
    pass(&mut b, false);
    b
}

fn check(samples: &[[i16; 8]; 8]) {
    let mut got = *samples;
    fdct::fdct(&mut got);
    let expect = reference(samples);
    for (g, e) in got.as_flattened().iter().zip(expect.as_flattened()) {
        assert_eq!(i32::from(*g), *e, "{samples:?}");
    }
}

#[test]
fn the_16_bit_dct_computes_the_32_bit_one() {
    // Extremes: each sample -128 or 127 by the sign of basis function (u, v) there, and the
    // opposite: the inputs that drive coefficient (u, v), and the first pass's values of row
    // or column frequency u or v, furthest from zero.
    let basis =
        |k: usize, n: usize| ((2 * n + 1) as f64 * k as f64 * std::f64::consts::PI / 16.0).cos();
    let mut n = 0;
    for u in 0..8 {
        for v in 0..8 {
            for flip in [1.0, -1.0] {
                let mut block = [[0i16; 8]; 8];
                for (y, row) in block.iter_mut().enumerate() {
                    for (x, s) in row.iter_mut().enumerate() {
                        *s = if flip * basis(u, x) * basis(v, y) >= 0.0 {
                            127
                        } else {
                            -128
                        };
                    }
                }
                check(&block);
                n += 1;
            }
        }
    }
    // Random blocks, half their samples at an extreme.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..20_000 {
        let mut block = [[0i16; 8]; 8];
        for s in block.as_flattened_mut() {
            let x = xorshift(&mut x);
            *s = match x % 4 {
                0 => 127,
                1 => -128,
                _ => (x >> 8) as u8 as i16 - 128,
            };
        }
        check(&block);
        n += 1;
    }
    assert_eq!(n, 128 + 20_000);
}

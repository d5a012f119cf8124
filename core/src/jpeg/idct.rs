//! The inverse DCTs of a reduced-scale decode: 1x1 (the block mean), 2x2 and 4x4.

/// libjpeg's 1x1 IDCT: the block mean.
#[inline]
pub(super) fn idct_1x1(dc: i16, q: i32) -> u8 {
    ((((i32::from(dc) * q + 4) >> 3) + 128).clamp(0, 255)) as u8
}

/// libjpeg 9's 2x2 IDCT (`jpeg_idct_2x2`: sums and differences, range centre and rounding in
/// the DC term, descaled by 3) of a block's 2x2 lowest frequencies (slots `row * 2 + col`).
#[inline]
pub(super) fn idct_2x2(block: &[i16], q: &[i32; 16], out: &mut [u8], stride: usize) {
    let d = |i: usize| i64::from(block[i]) * i64::from(q[i]);
    // Pass 1: columns (the DC term carries the centre, 128 << 3, and the rounding, 1 << 2).
    let dc = d(0) + ((128 << 3) + (1 << 2));
    let (t0, t2) = (dc + d(2), dc - d(2));
    let (t1, t3) = (d(1) + d(3), d(1) - d(3));
    // Pass 2: rows.
    let px = |v: i64| (v >> 3).clamp(0, 255) as u8;
    out[0] = px(t0 + t1);
    out[1] = px(t0 - t1);
    out[stride] = px(t2 + t3);
    out[stride + 1] = px(t2 - t3);
}

/// libjpeg 9's 4x4 IDCT (`jpeg_idct_4x4`: CONST_BITS 13, PASS1_BITS 2) of a block's 4x4
/// lowest frequencies.
pub(super) fn idct_4x4(block: &[i16], q: &[i32; 16], out: &mut [u8], stride: usize) {
    if block[1..16].iter().all(|&c| c == 0) {
        // Only the DC term: the two passes below reduce to one value for all 16 samples
        // (pass 1 gives `d(0) << 2` down column 0 and 0 elsewhere; pass 2 shifts that, with
        // the centre and rounding, by 5). Most blocks of a photo are like this at 1/2 scale.
        let t0 = ((i64::from(block[0]) * i64::from(q[0])) << 2) + ((128 << 5) + (1 << 4));
        let px = (t0 >> 5).clamp(0, 255) as u8;
        for row in 0..4 {
            out[row * stride..row * stride + 4].fill(px);
        }
        return;
    }
    idct_4x4_full(block, q, out, stride);
}

/// [`idct_4x4`] without the DC-only shortcut.
fn idct_4x4_full(block: &[i16], q: &[i32; 16], out: &mut [u8], stride: usize) {
    const FIX_0_541196100: i64 = 4433;
    const FIX_0_765366865: i64 = 6270;
    const FIX_1_847759065: i64 = 15137;
    let d = |i: usize| i64::from(block[i]) * i64::from(q[i]);
    let mut ws = [0i64; 16];
    // Pass 1: columns.
    for col in 0..4 {
        let (t0, t2) = (d(col), d(8 + col));
        let (t10, t12) = ((t0 + t2) << 2, (t0 - t2) << 2);
        let (z2, z3) = (d(4 + col), d(12 + col));
        let z1 = (z2 + z3) * FIX_0_541196100 + (1 << 10);
        let t0 = (z1 + z2 * FIX_0_765366865) >> 11;
        let t2 = (z1 - z3 * FIX_1_847759065) >> 11;
        ws[col] = t10 + t0;
        ws[12 + col] = t10 - t0;
        ws[4 + col] = t12 + t2;
        ws[8 + col] = t12 - t2;
    }
    // Pass 2: rows, with the range centre and rounding folded in.
    for row in 0..4 {
        let w = &ws[row * 4..row * 4 + 4];
        let t0 = w[0] + ((128 << 5) + (1 << 4));
        let (t10, t12) = ((t0 + w[2]) << 13, (t0 - w[2]) << 13);
        let z1 = (w[1] + w[3]) * FIX_0_541196100;
        let t0 = z1 + w[1] * FIX_0_765366865;
        let t2 = z1 - w[3] * FIX_1_847759065;
        let px = |v: i64| (v >> 18).clamp(0, 255) as u8;
        let o = &mut out[row * stride..row * stride + 4];
        o[0] = px(t10 + t0);
        o[3] = px(t10 - t0);
        o[1] = px(t12 + t2);
        o[2] = px(t12 - t2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dc_only_shortcut_equals_the_full_transform() {
        for q0 in [1, 2, 7, 16, 99, 255, 1000, 65_535] {
            let q = [q0; 16];
            for dc in (i16::MIN..=i16::MAX).step_by(7) {
                let mut block = [0i16; 16];
                block[0] = dc;
                let (mut fast, mut full) = ([0u8; 20], [0u8; 20]);
                idct_4x4(&block, &q, &mut fast, 5);
                idct_4x4_full(&block, &q, &mut full, 5);
                assert_eq!(fast, full, "dc {dc}, q {q0}");
            }
        }
        // A block with one AC term takes the full transform.
        let mut block = [0i16; 16];
        block[0] = 10;
        block[1] = 3;
        let (mut out, mut full) = ([0u8; 16], [0u8; 16]);
        idct_4x4(&block, &[16; 16], &mut out, 4);
        idct_4x4_full(&block, &[16; 16], &mut full, 4);
        assert_eq!(out, full);
        assert_ne!(out[0], out[3]);
    }
}

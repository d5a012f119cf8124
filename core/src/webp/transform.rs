//! The 4x4 transforms: the forward DCT and Walsh-Hadamard transforms the encoder uses, and the
//! inverse ones exactly as RFC 6386 section 14 defines them (the decoder's, so that the
//! encoder predicts from what every decoder reconstructs).

/// Forward DCT of `src - pred` (4x4, rows of `stride`) into 16 coefficients in raster order.
pub fn fdct(src: &[u8], pred: &[u8], stride: usize, out: &mut [i32; 16]) {
    let mut tmp = [0i32; 16];
    for i in 0..4 {
        let d = |k: usize| i32::from(src[i * stride + k]) - i32::from(pred[i * stride + k]);
        let (d0, d1, d2, d3) = (d(0), d(1), d(2), d(3));
        let a0 = d0 + d3;
        let a1 = d1 + d2;
        let a2 = d1 - d2;
        let a3 = d0 - d3;
        tmp[i * 4] = (a0 + a1) * 8;
        tmp[1 + i * 4] = (a2 * 2217 + a3 * 5352 + 1812) >> 9;
        tmp[2 + i * 4] = (a0 - a1) * 8;
        tmp[3 + i * 4] = (a3 * 2217 - a2 * 5352 + 937) >> 9;
    }
    for i in 0..4 {
        let a0 = tmp[i] + tmp[12 + i];
        let a1 = tmp[4 + i] + tmp[8 + i];
        let a2 = tmp[4 + i] - tmp[8 + i];
        let a3 = tmp[i] - tmp[12 + i];
        out[i] = (a0 + a1 + 7) >> 4;
        out[4 + i] = ((a2 * 2217 + a3 * 5352 + 12000) >> 16) + i32::from(a3 != 0);
        out[8 + i] = (a0 - a1 + 7) >> 4;
        out[12 + i] = (a3 * 2217 - a2 * 5352 + 51000) >> 16;
    }
}

/// Inverse DCT (RFC 6386 section 14.3) in place.
pub fn idct(block: &mut [i32; 16]) {
    const C1: i64 = 20091;
    const C2: i64 = 35468;
    let mut t = [0i64; 16];
    for i in 0..4 {
        let b = |k: usize| i64::from(block[k]);
        let a1 = b(i) + b(8 + i);
        let b1 = b(i) - b(8 + i);
        let c1 = ((b(4 + i) * C2) >> 16) - (b(12 + i) + ((b(12 + i) * C1) >> 16));
        let d1 = (b(4 + i) + ((b(4 + i) * C1) >> 16)) + ((b(12 + i) * C2) >> 16);
        t[i] = a1 + d1;
        t[4 + i] = b1 + c1;
        t[12 + i] = a1 - d1;
        t[8 + i] = b1 - c1;
    }
    for i in 0..4 {
        let r = &t[i * 4..i * 4 + 4];
        let a1 = r[0] + r[2];
        let b1 = r[0] - r[2];
        let c1 = ((r[1] * C2) >> 16) - (r[3] + ((r[3] * C1) >> 16));
        let d1 = (r[1] + ((r[1] * C1) >> 16)) + ((r[3] * C2) >> 16);
        block[i * 4] = ((a1 + d1 + 4) >> 3) as i32;
        block[i * 4 + 3] = ((a1 - d1 + 4) >> 3) as i32;
        block[i * 4 + 1] = ((b1 + c1 + 4) >> 3) as i32;
        block[i * 4 + 2] = ((b1 - c1 + 4) >> 3) as i32;
    }
}

/// The Walsh-Hadamard butterfly both directions share: `y = M x` with
/// M = [[1,1,1,1],[1,1,-1,-1],[1,-1,-1,1],[1,-1,1,-1]] (symmetric, M M = 4 I).
fn butterfly(x0: i32, x1: i32, x2: i32, x3: i32) -> [i32; 4] {
    let a = x0 + x3;
    let b = x1 + x2;
    let c = x1 - x2;
    let d = x0 - x3;
    [a + b, c + d, a - b, d - c]
}

/// Forward WHT of the 16 luma DCs (raster order of the blocks): `(M D M) >> 1`, the inverse of
/// [`iwht`] up to rounding.
pub fn fwht(dc: &[i32; 16]) -> [i32; 16] {
    let mut t = [0i32; 16];
    for i in 0..4 {
        let col = butterfly(dc[i], dc[4 + i], dc[8 + i], dc[12 + i]);
        for k in 0..4 {
            t[k * 4 + i] = col[k];
        }
    }
    let mut out = [0i32; 16];
    for k in 0..4 {
        let row = butterfly(t[k * 4], t[k * 4 + 1], t[k * 4 + 2], t[k * 4 + 3]);
        for (j, v) in row.iter().enumerate() {
            out[k * 4 + j] = v >> 1;
        }
    }
    out
}

/// Inverse WHT (RFC 6386 section 14.3) in place.
pub fn iwht(block: &mut [i32; 16]) {
    let mut t = [0i32; 16];
    for i in 0..4 {
        let col = butterfly(block[i], block[4 + i], block[8 + i], block[12 + i]);
        for k in 0..4 {
            t[k * 4 + i] = col[k];
        }
    }
    for k in 0..4 {
        let row = butterfly(t[k * 4], t[k * 4 + 1], t[k * 4 + 2], t[k * 4 + 3]);
        for (j, v) in row.iter().enumerate() {
            block[k * 4 + j] = (v + 3) >> 3;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dct_round_trips_a_block() {
        let src: Vec<u8> = (0..16).map(|i| (i * 13 % 251) as u8).collect();
        let pred = [100u8; 16];
        let mut c = [0; 16];
        fdct(&src, &pred, 4, &mut c);
        idct(&mut c);
        for i in 0..16 {
            let back = i32::from(pred[i]) + c[i];
            assert!(
                (back - i32::from(src[i])).abs() <= 1,
                "{i}: {back} vs {}",
                src[i]
            );
        }
    }

    #[test]
    fn the_wht_round_trips() {
        let dc: [i32; 16] = core::array::from_fn(|i| (i as i32 * 37 - 200) * 3);
        let mut w = fwht(&dc);
        iwht(&mut w);
        for i in 0..16 {
            assert!((w[i] - dc[i]).abs() <= 1, "{i}: {} vs {}", w[i], dc[i]);
        }
    }
}

//! RGB to Y'CbCr 4:2:0 in integers (BT.601 studio range, libwebp's fixed-point constants), into
//! planes padded to whole macroblocks by repeating the last row and column.

/// The three planes of a frame, padded to `mbw * 16` x `mbh * 16` (chroma to half of that).
pub struct Planes {
    /// Luma, `mbw * 16` wide.
    pub y: Vec<u8>,
    /// Blue-difference chroma, `mbw * 8` wide.
    pub u: Vec<u8>,
    /// Red-difference chroma, `mbw * 8` wide.
    pub v: Vec<u8>,
    /// Macroblocks across.
    pub mbw: usize,
    /// Macroblocks down.
    pub mbh: usize,
}

const FIX: u32 = 16;
const HALF: i32 = 1 << (FIX - 1);

fn luma(r: i32, g: i32, b: i32) -> u8 {
    ((16839 * r + 33059 * g + 6420 * b + HALF + (16 << FIX)) >> FIX) as u8
}

/// `sum` of four pixels' weighted components to a chroma sample.
fn chroma(sum: i32) -> u8 {
    let v = (sum + (HALF << 2) + (128 << (FIX + 2))) >> (FIX + 2);
    v.clamp(0, 255) as u8
}

impl Planes {
    /// Converts `rgb` (`width * height` pixels, 3 bytes each, no padding).
    pub fn from_rgb(rgb: &[u8], width: usize, height: usize) -> Planes {
        let mbw = width.div_ceil(16);
        let mbh = height.div_ceil(16);
        let (yw, yh) = (mbw * 16, mbh * 16);
        let (cw, ch) = (mbw * 8, mbh * 8);
        let px = |x: usize, y: usize| {
            let i = (y.min(height - 1) * width + x.min(width - 1)) * 3;
            (
                i32::from(rgb[i]),
                i32::from(rgb[i + 1]),
                i32::from(rgb[i + 2]),
            )
        };
        let mut yp = vec![0u8; yw * yh];
        for y in 0..yh {
            for x in 0..yw {
                let (r, g, b) = px(x, y);
                yp[y * yw + x] = luma(r, g, b);
            }
        }
        let mut u = vec![0u8; cw * ch];
        let mut v = vec![0u8; cw * ch];
        for y in 0..ch {
            for x in 0..cw {
                let (mut r, mut g, mut b) = (0, 0, 0);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let (pr, pg, pb) = px(2 * x + dx, 2 * y + dy);
                    r += pr;
                    g += pg;
                    b += pb;
                }
                u[y * cw + x] = chroma(-9719 * r - 19081 * g + 28800 * b);
                v[y * cw + x] = chroma(28800 * r - 24116 * g - 4684 * b);
            }
        }
        Planes {
            y: yp,
            u,
            v,
            mbw,
            mbh,
        }
    }
}

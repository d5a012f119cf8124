//! Colour management: RGB input tagged with a matrix/TRC ICC profile (Adobe RGB, Display P3,
//! ProPhoto, camera profiles, ...) is converted to sRGB.
//!
//! moxcms only parses the profile. The conversion itself is ours and portable by construction:
//! tables are built with IEEE basic operations and the `libm` crate (never the platform's maths
//! library, never fused multiply-add), and pixels go through integer lookups and a fixed-point
//! matrix, so every target computes the same bytes. Profiles that do not parse, are not RGB, or
//! are LUT-based (mAB/A2B) leave the pixels untouched.

use std::sync::OnceLock;

use moxcms::{ColorProfile, DataColorSpace, ToneReprCurve, Xyzd};

use crate::pixels::Pixels;

/// Linear light is carried with this many steps (14 bits: ~5x finer than 8-bit sRGB's darkest step).
const LIN_MAX: i32 = 16383;
/// Fixed-point precision of the matrix.
const MATRIX_SHIFT: u32 = 14;

/// Evaluates an ICC tone curve at `x` in 0..=1 (encoded -> linear).
fn eval_trc(curve: &ToneReprCurve, x: f64) -> f64 {
    match curve {
        ToneReprCurve::Lut(table) => match table.len() {
            0 => x,
            1 => libm::pow(x, f64::from(table[0]) / 256.0),
            n => {
                let pos = x * (n - 1) as f64;
                let i = (pos as usize).min(n - 2);
                let frac = pos - i as f64;
                let a = f64::from(table[i]);
                let b = f64::from(table[i + 1]);
                (a + (b - a) * frac) / 65535.0
            }
        },
        ToneReprCurve::Parametric(p) => {
            let p: Vec<f64> = p.iter().map(|&v| f64::from(v)).collect();
            let pw = |base: f64, g: f64| if base <= 0.0 { 0.0 } else { libm::pow(base, g) };
            match p.len() {
                1 => pw(x, p[0]),
                3 => {
                    if p[1] != 0.0 && x >= -p[2] / p[1] {
                        pw(p[1] * x + p[2], p[0])
                    } else {
                        0.0
                    }
                }
                4 => {
                    if p[1] != 0.0 && x >= -p[2] / p[1] {
                        pw(p[1] * x + p[2], p[0]) + p[3]
                    } else {
                        p[3]
                    }
                }
                5 => {
                    if x >= p[4] {
                        pw(p[1] * x + p[2], p[0])
                    } else {
                        p[3] * x
                    }
                }
                7 => {
                    if x >= p[4] {
                        pw(p[1] * x + p[2], p[0]) + p[5]
                    } else {
                        p[3] * x + p[6]
                    }
                }
                _ => x,
            }
        }
    }
}

/// Linear (0..=LIN_MAX) -> 8-bit sRGB, shared by every conversion.
/// (A fixed-size array: an index clamped to `0..=LIN_MAX` needs no bounds check.)
fn srgb_encode_table() -> &'static [u8; LIN_MAX as usize + 1] {
    static TABLE: OnceLock<[u8; LIN_MAX as usize + 1]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u8; LIN_MAX as usize + 1];
        for (i, slot) in table.iter_mut().enumerate() {
            let l = i as f64 / f64::from(LIN_MAX);
            let v = if l <= 0.003_130_8 {
                12.92 * l
            } else {
                1.055 * libm::pow(l, 1.0 / 2.4) - 0.055
            };
            *slot = (v * 255.0 + 0.5).clamp(0.0, 255.0) as u8;
        }
        table
    })
}

/// 3x3 matrix whose columns are the given colorants.
fn columns(r: Xyzd, g: Xyzd, b: Xyzd) -> [[f64; 3]; 3] {
    [[r.x, g.x, b.x], [r.y, g.y, b.y], [r.z, g.z, b.z]]
}

fn invert(m: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if det.abs() < 1e-12 {
        return None;
    }
    let c = |a: usize, b: usize, c: usize, d: usize| m[a][b] * m[c][d];
    Some([
        [
            (c(1, 1, 2, 2) - c(1, 2, 2, 1)) / det,
            (c(0, 2, 2, 1) - c(0, 1, 2, 2)) / det,
            (c(0, 1, 1, 2) - c(0, 2, 1, 1)) / det,
        ],
        [
            (c(1, 2, 2, 0) - c(1, 0, 2, 2)) / det,
            (c(0, 0, 2, 2) - c(0, 2, 2, 0)) / det,
            (c(0, 2, 1, 0) - c(0, 0, 1, 2)) / det,
        ],
        [
            (c(1, 0, 2, 1) - c(1, 1, 2, 0)) / det,
            (c(0, 1, 2, 0) - c(0, 0, 2, 1)) / det,
            (c(0, 0, 1, 1) - c(0, 1, 1, 0)) / det,
        ],
    ])
}

fn multiply(a: [[f64; 3]; 3], b: [[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let mut out = [[0.0; 3]; 3];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        }
    }
    out
}

/// A ready conversion from one matrix/TRC profile to sRGB.
struct Conversion {
    /// Per source channel and 8-bit value: its linear value (0..=LIN_MAX) times the fixed-point
    /// linear-RGB(src) -> linear-sRGB matrix's entry for each output channel, so a pixel costs
    /// three table reads and no multiplication. The sums wrap as the release build's products did
    /// (only a matrix entry near its 16.0 bound can reach that).
    terms: Box<[[[i32; 3]; 256]; 3]>,
}

impl Conversion {
    fn new(profile: &ColorProfile) -> Option<Conversion> {
        if profile.color_space != DataColorSpace::Rgb {
            return None;
        }
        let trcs = [
            profile.red_trc.as_ref()?,
            profile.green_trc.as_ref()?,
            profile.blue_trc.as_ref()?,
        ];
        let zero = Xyzd::default();
        if profile.red_colorant == zero
            || profile.green_colorant == zero
            || profile.blue_colorant == zero
        {
            return None;
        }
        let srgb = ColorProfile::new_srgb();
        let src = columns(
            profile.red_colorant,
            profile.green_colorant,
            profile.blue_colorant,
        );
        let dst = columns(srgb.red_colorant, srgb.green_colorant, srgb.blue_colorant);
        let m = multiply(invert(dst)?, src);
        let mut matrix = [[0i32; 3]; 3];
        for (i, row) in m.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if !v.is_finite() || v.abs() > 16.0 {
                    return None;
                }
                matrix[i][j] = libm::round(v * f64::from(1u32 << MATRIX_SHIFT)) as i32;
            }
        }
        let mut decode = [[0i32; 256]; 3];
        for (c, trc) in trcs.iter().enumerate() {
            for (i, slot) in decode[c].iter_mut().enumerate() {
                let l = eval_trc(trc, i as f64 / 255.0);
                let l = if l.is_finite() {
                    l.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                *slot = libm::round(l * f64::from(LIN_MAX)) as i32;
            }
        }
        let mut terms = Box::new([[[0i32; 3]; 256]; 3]);
        for (input, table) in terms.iter_mut().enumerate() {
            for (value, out) in table.iter_mut().enumerate() {
                for (o, term) in out.iter_mut().enumerate() {
                    *term = matrix[o][input].wrapping_mul(decode[input][value]);
                }
            }
        }
        Some(Conversion { terms })
    }

    fn apply(&self, pixels: &mut [u8], channels: usize) {
        let enc = srgb_encode_table();
        let half = 1i32 << (MATRIX_SHIFT - 1);
        let [r, g, b] = &*self.terms;
        for px in pixels.chunks_exact_mut(channels) {
            let (r, g, b) = (
                &r[usize::from(px[0])],
                &g[usize::from(px[1])],
                &b[usize::from(px[2])],
            );
            for c in 0..3 {
                let v = r[c]
                    .wrapping_add(g[c])
                    .wrapping_add(b[c])
                    .wrapping_add(half)
                    >> MATRIX_SHIFT;
                px[c] = enc[v.clamp(0, LIN_MAX) as usize];
            }
        }
    }
}

/// Converts colour pixels in place from the colour space described by `icc` to sRGB. Alpha is
/// left as it is; grey pixels and profiles that are not RGB matrix/TRC ones are left alone.
pub fn to_srgb(image: &mut Pixels, icc: &[u8]) {
    if !image.layout.has_color() {
        return;
    }
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if let Some(conversion) = Conversion::new(&profile) {
        conversion.apply(&mut image.data, image.layout.channels());
    }
}

/// Integer JFIF YCbCr -> RGB (BT.601 full range, libjpeg's 16-bit fixed point, rounded): the
/// one conversion for the reduced-scale JPEG decoder and JPEG-compressed TIFFs.
#[inline]
pub(crate) fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    const HALF: i32 = 1 << 15;
    let y = i32::from(y);
    let cb = i32::from(cb) - 128;
    let cr = i32::from(cr) - 128;
    let r = y + ((91_881 * cr + HALF) >> 16);
    let g = y + ((-22_554 * cb - 46_802 * cr + HALF) >> 16);
    let b = y + ((116_130 * cb + HALF) >> 16);
    [
        r.clamp(0, 255) as u8,
        g.clamp(0, 255) as u8,
        b.clamp(0, 255) as u8,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_profile_is_nearly_identity() {
        let srgb = ColorProfile::new_srgb();
        let conv = Conversion::new(&srgb).expect("srgb converts");
        let mut px: Vec<u8> = (0..=255u8).flat_map(|v| [v, v, 255 - v]).collect();
        let before = px.clone();
        conv.apply(&mut px, 3);
        for (a, b) in px.iter().zip(&before) {
            assert!((i32::from(*a) - i32::from(*b)).abs() <= 1, "{a} vs {b}");
        }
    }

    #[test]
    fn parametric_srgb_curve_matches_formula() {
        let curve =
            ToneReprCurve::Parametric(vec![2.4, 1. / 1.055, 0.055 / 1.055, 1. / 12.92, 0.04045]);
        let v = eval_trc(&curve, 0.5);
        assert!((v - 0.214_041).abs() < 1e-4, "{v}");
    }

    #[test]
    fn ycbcr_greys_and_primaries() {
        assert_eq!(ycbcr_to_rgb(128, 128, 128), [128, 128, 128]);
        assert_eq!(ycbcr_to_rgb(100, 128, 128), [100, 100, 100]);
        assert_eq!(ycbcr_to_rgb(76, 85, 255), [254, 0, 0]);
        assert_eq!(ycbcr_to_rgb(255, 0, 255), [255, 208, 28]);
    }

    /// The TIFF path used to carry its own copy, with luma shifted into the fixed point before
    /// rounding: the same function for every one of the 2^24 inputs.
    #[test]
    fn ycbcr_matches_the_shifted_luma_form_everywhere() {
        let shifted = |y: u8, cb: u8, cr: u8| {
            let y = i32::from(y) << 16;
            let (cb, cr) = (i32::from(cb) - 128, i32::from(cr) - 128);
            let half = 1 << 15;
            [
                ((y + 91_881 * cr + half) >> 16).clamp(0, 255) as u8,
                ((y - 22_554 * cb - 46_802 * cr + half) >> 16).clamp(0, 255) as u8,
                ((y + 116_130 * cb + half) >> 16).clamp(0, 255) as u8,
            ]
        };
        for y in 0..=255u8 {
            for cb in 0..=255u8 {
                for cr in 0..=255u8 {
                    assert_eq!(ycbcr_to_rgb(y, cb, cr), shifted(y, cb, cr), "{y} {cb} {cr}");
                }
            }
        }
    }
}

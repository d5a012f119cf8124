//! Where the output pixels come from: integer-only fit arithmetic, identical on every target.

use crate::options::{Fit, Options};

/// A rectangle in an image: its left and top edges and its size, in whole pixels (`u32`) or,
/// once mapped onto a reduced-scale decode, in fractions of its pixels (`f64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect<T = u32> {
    /// Left edge.
    pub left: T,
    /// Top edge.
    pub top: T,
    /// Width.
    pub width: T,
    /// Height.
    pub height: T,
}

impl<T> Rect<T> {
    /// The rectangle from `left`, `top`, `width`, `height`.
    pub const fn new(left: T, top: T, width: T, height: T) -> Self {
        Rect {
            left,
            top,
            width,
            height,
        }
    }
}

impl Rect {
    /// The same rectangle in fractional coordinates.
    pub fn to_f64(self) -> Rect<f64> {
        let f = f64::from;
        Rect::new(f(self.left), f(self.top), f(self.width), f(self.height))
    }
}

/// The plan for one resize: which source rectangle maps to an output of which size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// The source rectangle the output shows, in the upright source.
    pub crop: Rect,
    /// Output width.
    pub width: u32,
    /// Output height.
    pub height: u32,
}

/// `round(a * b / c)` in integers, at least 1.
fn scale(a: u32, b: u32, c: u32) -> u32 {
    let v = (2 * a as u64 * b as u64 + c as u64) / (2 * c as u64);
    v.clamp(1, u32::MAX as u64) as u32
}

/// The size of a `contain` fit of a `sw` x `sh` source into a `bw` x `bh` box: Pillow's
/// `Image.thumbnail((bw, bh))` rule, which the seed thumbnailer's clients get today.
///
/// A source that already fits keeps its size (never upscaled). Otherwise the limiting side is
/// exactly the box side, and the other is whichever of the floor and the ceiling of the exact
/// proportional length keeps the aspect ratio closest, at least 1. "Closest" is Pillow's own
/// measure: `|sw/sh - n/bh|` when the height limits, `|sw/sh - bw/n|` when the width does. Both
/// are compared exactly, in integers. On an exact tie Pillow's answer is decided by how its
/// double-precision keys happen to round, so that one case evaluates the same IEEE-754 basic
/// operations it does (division and subtraction, correctly rounded on every target: no libm,
/// no fused multiply-add), and keeps the floor unless the ceiling's key is strictly smaller.
pub fn contain_size(sw: u32, sh: u32, bw: u32, bh: u32) -> (u32, u32) {
    if bw >= sw && bh >= sh {
        return (sw, sh);
    }
    let (w, h, x, y) = (
        u128::from(sw),
        u128::from(sh),
        u128::from(bw),
        u128::from(bh),
    );
    let aspect = f64::from(sw) / f64::from(sh);
    if x * h >= w * y {
        // The height limits: n ~ bh * sw / sh.
        let (floor, ceil) = ((w * y) / h, (w * y).div_ceil(h));
        let (d_floor, d_ceil) = ((w * y).abs_diff(floor * h), (w * y).abs_diff(ceil * h));
        let n = if d_floor != d_ceil {
            if d_floor < d_ceil {
                floor
            } else {
                ceil
            }
        } else {
            let key = |n: u128| (aspect - n as f64 / f64::from(bh)).abs();
            if key(ceil) < key(floor) {
                ceil
            } else {
                floor
            }
        };
        (narrow(n), bh)
    } else {
        // The width limits: n ~ bw * sh / sw. Pillow's key for n = 0 is 0, so the floor wins
        // there (and becomes 1 below).
        let (floor, ceil) = ((x * h) / w, (x * h).div_ceil(w));
        let n = if floor == 0 {
            0
        } else {
            // |sw/sh - bw/n| = |sw n - bw sh| / (sh n): compare across the two n exactly.
            let k_floor = (w * floor).abs_diff(x * h) * ceil;
            let k_ceil = (w * ceil).abs_diff(x * h) * floor;
            if k_floor != k_ceil {
                if k_floor < k_ceil {
                    floor
                } else {
                    ceil
                }
            } else {
                let key = |n: u128| (aspect - f64::from(bw) / n as f64).abs();
                if key(ceil) < key(floor) {
                    ceil
                } else {
                    floor
                }
            }
        };
        (bw, narrow(n))
    }
}

/// An output side: at least 1 (the candidates never exceed a box side, so never `u32::MAX`).
fn narrow(n: u128) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}

/// Computes the plan for a source of `sw` x `sh` pixels (after orientation). The box is
/// `width` x `height`, and `width` x `width` when no height is given.
pub fn plan(sw: u32, sh: u32, o: &Options) -> Plan {
    let full = Rect::new(0, 0, sw, sh);
    let bw = o.width;
    let bh = o.box_height();
    match o.fit {
        Fit::Contain => {
            let (width, height) = contain_size(sw, sh, bw, bh);
            Plan {
                crop: full,
                width,
                height,
            }
        }
        Fit::Fill => Plan {
            crop: full,
            width: bw,
            height: bh,
        },
        Fit::Cover => {
            // Largest centred rectangle of the box's aspect ratio inside the source.
            let crop = if (sw as u64) * (bh as u64) > (sh as u64) * (bw as u64) {
                let cw = scale(sh, bw, bh).min(sw);
                Rect::new((sw - cw) / 2, 0, cw, sh)
            } else {
                let ch = scale(sw, bh, bw).min(sh);
                Rect::new(0, (sh - ch) / 2, sw, ch)
            };
            Plan {
                crop,
                width: bw,
                height: bh,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Fit, Options};
    use crate::LIMITS;

    fn opts(w: u32, h: Option<u32>, fit: Fit) -> Options {
        Options {
            height: h,
            fit,
            ..Options::new(w)
        }
    }

    #[test]
    fn contain_fits_a_width_by_width_box_by_default() {
        // The seed: `image.thumbnail((width, width))`.
        let p = plan(1800, 1200, &opts(200, None, Fit::Contain));
        assert_eq!((p.width, p.height), (200, 133));
        let p = plan(1200, 1800, &opts(120, None, Fit::Contain));
        assert_eq!((p.width, p.height), (80, 120));
        // rocket.jpg: the limiting side is exactly the box side (engine 3 gave 199 x 133).
        let p = plan(640, 427, &opts(200, None, Fit::Contain));
        assert_eq!((p.width, p.height), (200, 133));
        let p = plan(100, 50, &opts(400, None, Fit::Contain));
        assert_eq!((p.width, p.height), (100, 50));
        let p = plan(1, 1000, &opts(200, None, Fit::Contain));
        assert_eq!((p.width, p.height), (1, 200));
        let p = plan(1, 65537, &opts(200, None, Fit::Contain));
        assert_eq!((p.width, p.height), (1, 200));
    }

    #[test]
    fn contain_breaks_exact_ties_as_pillow_does() {
        // 6 x 12 into 3 x 3: the exact width is 1.5, equally far from 1 and 2 in aspect;
        // Pillow's rounded keys pick 2 (checked with Pillow 13.0.0).
        assert_eq!(contain_size(6, 12, 3, 3), (2, 3));
        assert_eq!(contain_size(5, 14, 7, 7), (3, 7));
        // 3 x 2 into 1 x 1 -> the width limits, 0.67 -> 1.
        assert_eq!(contain_size(3, 2, 1, 1), (1, 1));
    }

    /// Pillow's sizes for a spread of sources and boxes, recorded by running Pillow 13.0.0's own
    /// `Image.thumbnail` (see `tests/pillow/thumbnail_sizes.py`).
    #[test]
    fn contain_matches_sizes_recorded_from_pillow() {
        let table = include_str!("../../tests/pillow/thumbnail_sizes.tsv");
        let mut n = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let v: Vec<u32> = line
                .split('\t')
                .map(|f| f.parse().expect("number"))
                .collect();
            assert_eq!(
                contain_size(v[0], v[1], v[2], v[3]),
                (v[4], v[5]),
                "source {} x {}, box {} x {}",
                v[0],
                v[1],
                v[2],
                v[3]
            );
            n += 1;
        }
        assert!(n > 8_000, "only {n} recorded sizes");
    }

    /// A small deterministic generator (xorshift64*), so the property test needs no crate.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
        }
        fn side(&mut self) -> u32 {
            match self.below(4) {
                0 => 1 + self.below(16) as u32,
                1 => 1 + self.below(LIMITS.max_dimension as u64) as u32,
                _ => 1 + self.below(1 << 16) as u32,
            }
        }
    }

    /// Checks one contain fit against the rule's definition, with exact rational arithmetic.
    fn check_contain(sw: u32, sh: u32, bw: u32, bh: u32) {
        let (w, h) = contain_size(sw, sh, bw, bh);
        let ctx = format!("{sw} x {sh} into {bw} x {bh} -> {w} x {h}");
        assert!(w >= 1 && h >= 1, "{ctx}");
        assert!(w <= bw && h <= bh, "larger than the box: {ctx}");
        assert!(w <= sw && h <= sh, "upscaled: {ctx}");
        if bw >= sw && bh >= sh {
            assert_eq!((w, h), (sw, sh), "{ctx}");
            return;
        }
        let (s_w, s_h, b_w, b_h) = (sw as u128, sh as u128, bw as u128, bh as u128);
        if b_w * s_h >= s_w * b_h {
            // The height limits and is exact; the width is floor or ceil of bh * sw / sh.
            assert_eq!(h, bh, "{ctx}");
            let exact = b_h * s_w;
            let (f, c) = (exact / s_h, exact.div_ceil(s_h));
            assert!(w as u128 == f.max(1) || w as u128 == c, "{ctx}");
            // No other candidate is strictly closer in aspect.
            let dist = |n: u128| exact.abs_diff(n * s_h);
            if f >= 1 {
                assert!(dist(w as u128) <= dist(f).min(dist(c)), "{ctx}");
            }
        } else {
            assert_eq!(w, bw, "{ctx}");
            let exact = b_w * s_h;
            let (f, c) = (exact / s_w, exact.div_ceil(s_w));
            assert!(h as u128 == f.max(1) || h as u128 == c, "{ctx}");
            if f >= 1 {
                // |sw/sh - bw/n| = |sw n - bw sh| / (sh n), compared without division.
                let key = |n: u128| (s_w * n).abs_diff(exact);
                let chosen = h as u128;
                for other in [f, c] {
                    assert!(key(chosen) * other <= key(other) * chosen, "{ctx}");
                }
            }
        }
    }

    #[test]
    fn contain_property_over_many_sources_and_boxes() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let edges = [1, 2, 3, 7, 13, 199, 200, 201, 4093, 4096, 65_521, 65_535];
        let boxes = [1, 2, 16, 40, 120, 199, 200, 800, 4093, 4096];
        for &a in &edges {
            for &b in &edges {
                for &bw in &boxes {
                    for &bh in &boxes {
                        check_contain(a, b, bw, bh);
                    }
                }
            }
        }
        // 1 x N and N x 1 strips up to the pixel budget, and sources at the 64 Mpx edge.
        let budget = LIMITS.max_input_pixels as u32;
        for &bw in &boxes {
            for (sw, sh) in [
                (1, budget),
                (budget, 1),
                (8192, 8192),
                (8191, 8193),
                (2, budget / 2),
                (budget / 3, 3),
            ] {
                check_contain(sw, sh, bw, bw);
                check_contain(sw, sh, bw, 4096);
            }
        }
        for _ in 0..200_000 {
            let (sw, sh) = (rng.side(), rng.side());
            let bw = 1 + rng.below(LIMITS.max_dimension as u64) as u32;
            let bh = if rng.below(2) == 0 {
                bw
            } else {
                1 + rng.below(LIMITS.max_dimension as u64) as u32
            };
            check_contain(sw, sh, bw, bh);
        }
    }

    #[test]
    fn cover_and_fill_fill_the_box_square_by_default() {
        let p = plan(1800, 1200, &opts(100, None, Fit::Cover));
        assert_eq!(p.crop, Rect::new(300, 0, 1200, 1200));
        assert_eq!((p.width, p.height), (100, 100));
        let p = plan(100, 300, &opts(50, Some(25), Fit::Cover));
        assert_eq!(p.crop, Rect::new(0, 125, 100, 50));
        let p = plan(10, 1000, &opts(64, None, Fit::Fill));
        assert_eq!(
            (p.width, p.height, p.crop),
            (64, 64, Rect::new(0, 0, 10, 1000))
        );
        let p = plan(10, 1000, &opts(64, Some(48), Fit::Fill));
        assert_eq!(
            (p.width, p.height, p.crop),
            (64, 48, Rect::new(0, 0, 10, 1000))
        );
    }
}

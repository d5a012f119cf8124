//! Where the output pixels come from: integer-only fit arithmetic, identical on every target.

use crate::options::{Fit, Options, MAX_DIMENSION};

/// The plan for one resize: which source rectangle maps to an output of which size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Crop rectangle in the (oriented) source: left, top, width, height.
    pub crop: (u32, u32, u32, u32),
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

/// Computes the plan for a source of `sw` x `sh` pixels (after orientation).
pub fn plan(sw: u32, sh: u32, o: &Options) -> Plan {
    let full = (0, 0, sw, sh);
    // The box: an absent height follows the aspect ratio.
    let bw = o.width;
    let bh = o
        .height
        .unwrap_or_else(|| scale(sh, bw, sw).min(MAX_DIMENSION));
    match o.fit {
        Fit::Contain => {
            // Fit inside (bw, bh) keeping the aspect ratio; never upscale.
            let (w, h) = if (bw as u64) * (sh as u64) <= (bh as u64) * (sw as u64) {
                (bw, scale(sh, bw, sw).min(bh))
            } else {
                (scale(sw, bh, sh).min(bw), bh)
            };
            if w >= sw && h >= sh {
                Plan {
                    crop: full,
                    width: sw,
                    height: sh,
                }
            } else {
                Plan {
                    crop: full,
                    width: w.min(sw).max(1),
                    height: h.min(sh).max(1),
                }
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
                ((sw - cw) / 2, 0, cw, sh)
            } else {
                let ch = scale(sw, bh, bw).min(sh);
                (0, (sh - ch) / 2, sw, ch)
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

    fn opts(w: u32, h: Option<u32>, fit: Fit) -> Options {
        Options {
            height: h,
            fit,
            ..Options::new(w)
        }
    }

    #[test]
    fn contain_keeps_aspect_and_never_upscales() {
        let p = plan(1800, 1200, &opts(200, None, Fit::Contain));
        assert_eq!((p.width, p.height), (200, 133));
        let p = plan(1200, 1800, &opts(200, Some(200), Fit::Contain));
        assert_eq!((p.width, p.height), (133, 200));
        let p = plan(100, 50, &opts(400, None, Fit::Contain));
        assert_eq!((p.width, p.height), (100, 50));
        // A very tall image is bounded by the largest dimension when no height is given.
        let p = plan(1, 65537, &opts(200, None, Fit::Contain));
        assert_eq!((p.width, p.height), (1, 4096));
    }

    #[test]
    fn cover_crops_centred() {
        let p = plan(1800, 1200, &opts(100, Some(100), Fit::Cover));
        assert_eq!(p.crop, (300, 0, 1200, 1200));
        assert_eq!((p.width, p.height), (100, 100));
        let p = plan(100, 300, &opts(50, Some(25), Fit::Cover));
        assert_eq!(p.crop, (0, 125, 100, 50));
    }

    #[test]
    fn fill_is_exact() {
        let p = plan(10, 1000, &opts(64, Some(48), Fit::Fill));
        assert_eq!((p.width, p.height, p.crop), (64, 48, (0, 0, 10, 1000)));
    }
}

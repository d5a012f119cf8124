//! From a signed URL's processing options and the source's upright size to the engine's
//! options, following imgproxy's geometry (`processing/prepare.go`, calcScale):
//! - `fit` (and `fill` with a side 0): inside the box, aspect kept; a side 0 follows the other
//!   side's scale. Without `enlarge` nothing grows: this is the engine's `contain` (a 0 side is
//!   the largest box side, 4096), so `rs:fit:W:H` is exactly `POST width=W height=H
//!   fit=contain`. With `enlarge` and a source smaller than the box, the engine stretches it to
//!   the size imgproxy's scale gives (`fill` of that size: the aspect is kept by the size).
//! - `fill` with both sides: covers the box and crops centred (`cover`). Without `enlarge` the
//!   scale stops at 1, so the result is the box cut down to the source (`cover` of
//!   min(W, source width) x min(H, source height)).
//! - `force`: exactly the box (`fill`); a side 0 keeps the source's; without `enlarge`, when a
//!   side would grow, both shrink factors are divided by the smaller one, as imgproxy does.
//! - `auto`: `fill` when the source and the box have the same orientation, else `fit`.
//! - no width and no height: the source's own size.
//!
//! The arithmetic is IEEE division and rounding only, the same on every target.

use thumbprint_core::{ErrorCode, Fit, Format, Options, LIMITS};

use super::options::{Processing, ResizingType};
use crate::ServiceError;

fn over_limit() -> ServiceError {
    ServiceError::with_message(
        ErrorCode::InvalidOption,
        "the result would be over 4096 pixels on a side",
    )
}

fn sized(width: f64, height: f64) -> Result<(u32, u32), ServiceError> {
    let side = |v: f64| v.round().max(1.0);
    let (w, h) = (side(width), side(height));
    let max = f64::from(LIMITS.max_dimension);
    if w > max || h > max {
        return Err(over_limit());
    }
    // In 1..=4096 here, so the conversions are exact.
    Ok((w as u32, h as u32))
}

fn options(width: u32, height: u32, fit: Fit, format: Format, p: &Processing) -> Options {
    Options {
        width,
        height: Some(height),
        fit,
        format,
        quality: p.quality,
        lossless: false,
    }
}

/// The engine's options for `p` on a source of upright size `source`, in `format`.
pub fn engine_options(
    p: &Processing,
    source: (u32, u32),
    format: Format,
) -> Result<Options, ServiceError> {
    let (sw, sh) = (source.0.max(1), source.1.max(1));
    let (fw, fh) = (f64::from(sw), f64::from(sh));
    let (w, h) = (p.width, p.height);
    if w == 0 && h == 0 {
        let (ow, oh) = sized(fw, fh)?;
        return Ok(options(ow, oh, Fit::Contain, format, p));
    }
    let resizing_type = match p.resizing_type {
        ResizingType::Auto => {
            let (dw, dh) = (
                if w > 0 { i64::from(w) } else { i64::from(sw) },
                if h > 0 { i64::from(h) } else { i64::from(sh) },
            );
            let same = (i64::from(sw) >= i64::from(sh)) == (dw >= dh);
            if same {
                ResizingType::Fill
            } else {
                ResizingType::Fit
            }
        }
        other => other,
    };
    match resizing_type {
        ResizingType::Force => {
            let mut ws = if w > 0 { fw / f64::from(w) } else { 1.0 };
            let mut hs = if h > 0 { fh / f64::from(h) } else { 1.0 };
            let least = ws.min(hs);
            if !p.enlarge && least < 1.0 {
                ws /= least;
                hs /= least;
            }
            let (ow, oh) = sized(fw / ws, fh / hs)?;
            Ok(options(ow, oh, Fit::Fill, format, p))
        }
        ResizingType::Fill if w > 0 && h > 0 => {
            let (bw, bh) = if p.enlarge {
                (w, h)
            } else {
                (w.min(sw), h.min(sh))
            };
            Ok(options(bw, bh, Fit::Cover, format, p))
        }
        _ => {
            let scale = match (w, h) {
                (0, h) => f64::from(h) / fh,
                (w, 0) => f64::from(w) / fw,
                (w, h) => (f64::from(w) / fw).min(f64::from(h) / fh),
            };
            if p.enlarge && scale > 1.0 {
                let (ow, oh) = sized(fw * scale, fh * scale)?;
                return Ok(options(ow, oh, Fit::Fill, format, p));
            }
            let side = |v: u32| if v == 0 { LIMITS.max_dimension } else { v };
            Ok(options(side(w), side(h), Fit::Contain, format, p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thumbprint_core::Fit as E;

    fn map(rt: ResizingType, w: u32, h: u32, enlarge: bool, src: (u32, u32)) -> (u32, u32, Fit) {
        let p = Processing {
            resizing_type: rt,
            width: w,
            height: h,
            enlarge,
            ..Processing::default()
        };
        let o = engine_options(&p, src, Format::Png).expect("mapped");
        (o.width, o.box_height(), o.fit)
    }

    #[test]
    fn fit_is_the_posts_contain() {
        use ResizingType::*;
        assert_eq!(
            map(Fit, 200, 200, false, (4000, 3000)),
            (200, 200, E::Contain)
        );
        assert_eq!(
            map(Fit, 240, 0, false, (4000, 3000)),
            (240, 4096, E::Contain)
        );
        assert_eq!(
            map(Fill, 0, 300, false, (4000, 3000)),
            (4096, 300, E::Contain)
        );
        // Never grows without enlarge; with it, stretched to imgproxy's size.
        assert_eq!(map(Fit, 200, 200, false, (100, 50)), (200, 200, E::Contain));
        assert_eq!(map(Fit, 200, 200, true, (100, 50)), (200, 100, E::Fill));
        assert_eq!(map(Fit, 0, 75, true, (100, 50)), (150, 75, E::Fill));
        // Enlarge changes nothing when the source is larger than the box.
        assert_eq!(map(Fit, 200, 200, true, (400, 100)), (200, 200, E::Contain));
        assert_eq!(map(Fit, 0, 0, false, (640, 480)), (640, 480, E::Contain));
    }

    #[test]
    fn fill_covers_and_never_grows_without_enlarge() {
        use ResizingType::*;
        assert_eq!(
            map(Fill, 200, 100, false, (4000, 3000)),
            (200, 100, E::Cover)
        );
        assert_eq!(map(Fill, 200, 100, false, (150, 80)), (150, 80, E::Cover));
        assert_eq!(map(Fill, 200, 100, false, (150, 300)), (150, 100, E::Cover));
        assert_eq!(map(Fill, 200, 100, true, (150, 80)), (200, 100, E::Cover));
    }

    #[test]
    fn force_stretches_as_imgproxy_does() {
        use ResizingType::*;
        assert_eq!(
            map(Force, 300, 100, false, (1000, 500)),
            (300, 100, E::Fill)
        );
        // A 0 side keeps the source's.
        assert_eq!(map(Force, 300, 0, false, (1000, 500)), (300, 500, E::Fill));
        // Without enlarge the growing side is brought back to 1 and the other follows.
        assert_eq!(
            map(Force, 200, 1000, false, (1000, 500)),
            (100, 500, E::Fill)
        );
        assert_eq!(
            map(Force, 200, 1000, true, (1000, 500)),
            (200, 1000, E::Fill)
        );
    }

    #[test]
    fn auto_follows_the_orientations() {
        use ResizingType::*;
        assert_eq!(map(Auto, 200, 100, false, (4000, 3000)).2, E::Cover);
        assert_eq!(map(Auto, 100, 200, false, (4000, 3000)).2, E::Contain);
    }

    #[test]
    fn results_over_the_engine_limit_are_refused() {
        let p = Processing {
            resizing_type: ResizingType::Fit,
            width: 4000,
            height: 4000,
            enlarge: true,
            ..Processing::default()
        };
        assert!(engine_options(&p, (1000, 100), Format::Png).is_ok());
        let none = Processing::default();
        let e = engine_options(&none, (6000, 4000), Format::Png).expect_err("too large");
        assert_eq!(e.code, ErrorCode::InvalidOption);
    }
}

//! Resampling with fast_image_resize: Lanczos3 whose weights come from `libm::sin` (no platform
//! libm), rounded to fixed point by the crate; its SIMD paths are bit-exact with scalar.
//!
//! Memory and work stay bounded whatever the aspect ratio ([`Strategy`]): alpha is premultiplied
//! in place (the crate would copy the whole source); an axis longer than [`MAX_AXIS`] is first
//! averaged down by an integer factor (filter tables grow with the source length); and when the
//! crate's vertical-first order would need an intermediate image over [`TEMP_LIMIT`] the two
//! passes run horizontal first instead. The last two only change images whose resize could not
//! run inside the budget before; ordinary images take exactly the crate's one call.

use std::borrow::Cow;

use fast_image_resize as fr;

use crate::geometry::{Plan, Rect};
use crate::pixels::{Layout, Pixels};
use crate::Error;

/// Longest source span (in pixels, along one axis) the filter reads directly.
pub const MAX_AXIS: u32 = 131_072;
/// Largest intermediate image (bytes) of the crate's vertical-first order before the passes
/// are run the other way round.
pub const TEMP_LIMIT: u64 = 64 * 1024 * 1024;
/// Lanczos3's support, in source pixels at unit scale.
const SUPPORT: f64 = 3.0;

/// Lanczos3 kernel computed with the `libm` crate, so the weights are the same on every target.
fn lanczos3(x: f64) -> f64 {
    fn sinc(x: f64) -> f64 {
        if x == 0.0 {
            1.0
        } else {
            let x = x * core::f64::consts::PI;
            libm::sin(x) / x
        }
    }
    if (-3.0..3.0).contains(&x) {
        sinc(x) * sinc(x / 3.0)
    } else {
        0.0
    }
}

/// The pixels handed to [`resize`]: their size, and where the plan's crop lies in them.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// Full scale: the plan's crop applies as it is.
    Full(u32, u32),
    /// Reduced scale: the crop, already mapped to these pixels.
    Reduced(u32, u32, Rect<f64>),
}

impl Source {
    /// Size and crop in these pixels.
    fn geometry(&self, plan: &Plan) -> (u32, u32, Rect<f64>) {
        match *self {
            Source::Full(w, h) => (w, h, plan.crop.to_f64()),
            Source::Reduced(w, h, crop) => (w, h, crop),
        }
    }
}

/// How one resize runs, decided from sizes alone (the budget model uses the same figures).
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    /// The output equals the source: nothing to do.
    pub identity: bool,
    /// No filtering: the crop is copied as it is (whole-pixel crop the size of the output).
    pub copy: bool,
    /// Box-averaging factors applied first, across and down (1: none).
    pub reduce: (u32, u32),
    /// Run the horizontal pass first (two calls) instead of the crate's vertical-first order.
    pub horizontal_first: bool,
    /// Pixels of the box-averaged image (0 without one).
    reduced_px: u64,
    /// Pixels of the intermediate image between the passes.
    temp_px: u64,
    /// Bytes of both axes' filter tables.
    table_bytes: u64,
}

/// The filter's reach at this scale, in source pixels.
fn radius(span: f64, out: u32) -> f64 {
    SUPPORT * (span / f64::from(out)).max(1.0)
}

/// Bytes of one axis's filter tables: f64 weights, their 16-bit copies, per-pixel bounds and
/// one vector per output pixel.
fn table_bytes(span: f64, out: u32) -> u64 {
    let window = radius(span, out).ceil() as u64 * 2 + 1;
    window * u64::from(out) * 10 + u64::from(out) * 64
}

impl Strategy {
    /// The strategy for resizing `source` (of `layout` pixels) by `plan`.
    pub fn new(source: &Source, plan: &Plan, layout: Layout) -> Strategy {
        let (w, h, crop) = source.geometry(plan);
        let Rect {
            left: l,
            top: t,
            width: cw,
            height: ch,
        } = crop;
        let (ow, oh) = (plan.width, plan.height);
        let identity = matches!(source, Source::Full(..))
            && plan.crop == Rect::new(0, 0, w, h)
            && (ow, oh) == (w, h);
        let factor = |span: f64| (span / f64::from(MAX_AXIS)).ceil().max(1.0) as u32;
        let reduce = (factor(cw), factor(ch));
        let (w, h, cw, ch, l, t) = if reduce == (1, 1) {
            (w, h, cw, ch, l, t)
        } else {
            let (kx, ky) = (f64::from(reduce.0), f64::from(reduce.1));
            (
                w.div_ceil(reduce.0),
                h.div_ceil(reduce.1),
                cw / kx,
                ch / ky,
                l / kx,
                t / ky,
            )
        };
        let reduced_px = if reduce == (1, 1) {
            0
        } else {
            u64::from(w) * u64::from(h)
        };
        let need_h = f64::from(ow) != cw || l != l.round();
        let need_v = f64::from(oh) != ch || t != t.round();
        // The crate's order for 8-bit pixels: vertical first, into (columns read) x output rows.
        let (mut temp_px, mut horizontal_first) = (0, false);
        if need_h && need_v {
            let r = radius(cw, ow);
            let columns = (cw + 2.0 * r).ceil().min(f64::from(w)) as u64 + 2;
            let vertical_first = columns * u64::from(oh);
            let other = u64::from(ow) * u64::from(h);
            temp_px = vertical_first;
            if vertical_first * layout.channels() as u64 > TEMP_LIMIT && other < vertical_first {
                horizontal_first = true;
                temp_px = other;
            }
        }
        let table_bytes = if identity {
            0
        } else {
            (if need_h { table_bytes(cw, ow) } else { 0 })
                + (if need_v { table_bytes(ch, oh) } else { 0 })
        };
        Strategy {
            identity,
            copy: !need_h && !need_v,
            reduce,
            horizontal_first,
            reduced_px,
            temp_px,
            table_bytes,
        }
    }

    /// Bytes the resize needs besides its source and result, for `channels` 8-bit channels.
    pub fn working_bytes(&self, channels: u64) -> u64 {
        if self.identity {
            return 0;
        }
        (self.reduced_px + self.temp_px + 2) * channels + self.table_bytes
    }
}

/// Averages `k` x `k2` boxes of interleaved 8-bit pixels (integer, rounded half up); the last
/// box of a row or column averages the pixels it has.
fn box_reduce(pixels: &[u8], w: u32, h: u32, channels: usize, (kx, ky): (u32, u32)) -> Vec<u8> {
    let (w, h) = (w as usize, h as usize);
    let (kx, ky) = (kx as usize, ky as usize);
    let (rw, rh) = (w.div_ceil(kx), h.div_ceil(ky));
    let mut out = vec![0u8; rw * rh * channels];
    let mut sums = vec![0u64; rw * channels];
    for ry in 0..rh {
        sums.iter_mut().for_each(|s| *s = 0);
        let rows = (ry * ky)..((ry + 1) * ky).min(h);
        let n_rows = rows.len();
        for y in rows {
            let row = &pixels[y * w * channels..(y + 1) * w * channels];
            for (x, px) in row.chunks_exact(channels).enumerate() {
                let cell = &mut sums[(x / kx) * channels..(x / kx + 1) * channels];
                for (s, &v) in cell.iter_mut().zip(px) {
                    *s += u64::from(v);
                }
            }
        }
        for rx in 0..rw {
            let n_cols = ((rx + 1) * kx).min(w) - rx * kx;
            let n = (n_cols * n_rows) as u64;
            for c in 0..channels {
                let s = sums[rx * channels + c];
                out[(ry * rw + rx) * channels + c] = ((s + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Resizes `image` according to `plan` (alpha, where the layout has it, is premultiplied during
/// filtering so transparent pixels leave no halo). `source` says where the plan's crop lies in
/// `image` (its size is `image`'s). A borrowed image is only read (a set's members share one),
/// unless its alpha must be premultiplied, which works on a copy; the result is the same.
pub fn resize(image: Cow<'_, Pixels>, source: Source, plan: &Plan) -> Result<Pixels, Error> {
    let layout = image.layout;
    let channels = layout.channels();
    let strategy = Strategy::new(&source, plan, layout);
    if strategy.identity {
        return Ok(image.into_owned());
    }
    let mut pixels: Cow<'_, [u8]> = match image {
        Cow::Borrowed(image) => Cow::Borrowed(&image.data),
        Cow::Owned(image) => Cow::Owned(image.data),
    };
    let (mut width, mut height, crop) = source.geometry(plan);
    let (mut l, mut t, mut cw, mut ch) = (crop.left, crop.top, crop.width, crop.height);
    // The crate premultiplies only when it filters; a plain crop copy keeps the samples.
    let alpha = layout.has_alpha() && !strategy.copy;
    if alpha {
        with_view(pixels.to_mut(), width, height, layout, |v| v.premultiply())?;
    }
    if strategy.reduce != (1, 1) {
        let (kx, ky) = strategy.reduce;
        pixels = Cow::Owned(box_reduce(
            &pixels,
            width,
            height,
            channels,
            strategy.reduce,
        ));
        let (fx, fy) = (f64::from(kx), f64::from(ky));
        (width, height) = (width.div_ceil(kx), height.div_ceil(ky));
        (l, t, cw, ch) = (l / fx, t / fy, cw / fx, ch / fy);
    }
    let filter = fr::Filter::new("lanczos3_libm", lanczos3, SUPPORT).map_err(Error::internal)?;
    let alg = fr::ResizeAlg::Convolution(fr::FilterType::Custom(filter));
    let call =
        |src: &[u8], (sw, sh): (u32, u32), crop: (f64, f64, f64, f64), (dw, dh): (u32, u32)| {
            let options = fr::ResizeOptions::new()
                .resize_alg(alg)
                .use_alpha(false)
                .crop(crop.0, crop.1, crop.2, crop.3);
            let mut out = vec![0u8; dw as usize * dh as usize * channels];
            typed(layout, src, (sw, sh), &mut out, (dw, dh), &options)?;
            Ok::<_, Error>(out)
        };
    let mut out = if strategy.horizontal_first {
        let across = call(
            &pixels,
            (width, height),
            (l, 0.0, cw, f64::from(height)),
            (plan.width, height),
        )?;
        drop(pixels);
        call(
            &across,
            (plan.width, height),
            (0.0, t, f64::from(plan.width), ch),
            (plan.width, plan.height),
        )?
    } else {
        call(
            &pixels,
            (width, height),
            (l, t, cw, ch),
            (plan.width, plan.height),
        )?
    };
    if alpha {
        with_view(&mut out, plan.width, plan.height, layout, |v| {
            v.unpremultiply()
        })?;
    }
    Ok(Pixels {
        data: out,
        width: plan.width,
        height: plan.height,
        layout,
    })
}

/// The alpha operations, on a typed view of interleaved pixels.
trait AlphaView {
    fn premultiply(&mut self) -> Result<(), fr::ImageError>;
    fn unpremultiply(&mut self) -> Result<(), fr::ImageError>;
}

impl<P: fr::PixelTrait> AlphaView for fr::images::TypedImage<'_, P> {
    fn premultiply(&mut self) -> Result<(), fr::ImageError> {
        fr::MulDiv::default().multiply_alpha_inplace_typed(self)
    }
    fn unpremultiply(&mut self) -> Result<(), fr::ImageError> {
        fr::MulDiv::default().divide_alpha_inplace_typed(self)
    }
}

fn with_view(
    pixels: &mut [u8],
    w: u32,
    h: u32,
    layout: Layout,
    f: impl FnOnce(&mut dyn AlphaView) -> Result<(), fr::ImageError>,
) -> Result<(), Error> {
    let result = match layout {
        Layout::GrayAlpha => f(
            &mut fr::images::TypedImage::<fr::pixels::U8x2>::from_buffer(w, h, pixels)
                .map_err(Error::internal)?,
        ),
        Layout::Rgba => f(
            &mut fr::images::TypedImage::<fr::pixels::U8x4>::from_buffer(w, h, pixels)
                .map_err(Error::internal)?,
        ),
        Layout::Gray | Layout::Rgb => return Ok(()),
    };
    result.map_err(Error::internal)
}

/// One call of the crate on interleaved pixels. The typed API instantiates only the 8-bit pixel
/// types used here (the dynamic one pulls in every type's code and tables, half a megabyte of
/// them in the wasm build).
fn typed(
    layout: Layout,
    src: &[u8],
    (sw, sh): (u32, u32),
    dst: &mut [u8],
    (dw, dh): (u32, u32),
    options: &fr::ResizeOptions,
) -> Result<(), Error> {
    fn run<P: fr::PixelTrait>(
        src: &[u8],
        (sw, sh): (u32, u32),
        dst: &mut [u8],
        (dw, dh): (u32, u32),
        options: &fr::ResizeOptions,
    ) -> Result<(), Error> {
        let src =
            fr::images::TypedImageRef::<P>::from_buffer(sw, sh, src).map_err(Error::internal)?;
        let mut dst =
            fr::images::TypedImage::<P>::from_buffer(dw, dh, dst).map_err(Error::internal)?;
        fr::Resizer::new()
            .resize_typed(&src, &mut dst, options)
            .map_err(Error::internal)
    }
    match layout {
        Layout::Gray => run::<fr::pixels::U8>(src, (sw, sh), dst, (dw, dh), options),
        Layout::GrayAlpha => run::<fr::pixels::U8x2>(src, (sw, sh), dst, (dw, dh), options),
        Layout::Rgb => run::<fr::pixels::U8x3>(src, (sw, sh), dst, (dw, dh), options),
        Layout::Rgba => run::<fr::pixels::U8x4>(src, (sw, sh), dst, (dw, dh), options),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_reduce_averages_with_partial_edges() {
        // 5 x 1 grey by 2: (1+3)/2, (5+7)/2, 9 alone.
        let out = box_reduce(&[1, 3, 5, 7, 9], 5, 1, 1, (2, 1));
        assert_eq!(out, vec![2, 6, 9]);
        // 2 x 3 by (1, 2): rows 0-1 averaged, row 2 alone.
        let out = box_reduce(&[0, 10, 4, 20, 8, 30], 2, 3, 1, (1, 2));
        assert_eq!(out, vec![2, 15, 8, 30]);
    }

    fn plan((l, t, w, h): (u32, u32, u32, u32), width: u32, height: u32) -> Plan {
        Plan {
            crop: Rect::new(l, t, w, h),
            width,
            height,
        }
    }

    #[test]
    fn strategy_keeps_the_crate_order_for_ordinary_images() {
        let s = Strategy::new(
            &Source::Full(6000, 4000),
            &plan((0, 0, 6000, 4000), 800, 533),
            Layout::Rgb,
        );
        assert_eq!(
            (s.reduce, s.horizontal_first, s.identity),
            ((1, 1), false, false)
        );
        let s = Strategy::new(
            &Source::Full(800, 533),
            &plan((0, 0, 800, 533), 800, 533),
            Layout::Rgba,
        );
        assert!(s.identity);
        assert_eq!(s.working_bytes(4), 0);
    }

    #[test]
    fn strategy_bounds_pathological_strips() {
        // A 67 Mpx one-row strip filled into 4096 x 4096: averaged down, horizontal first.
        let s = Strategy::new(
            &Source::Full(1 << 26, 1),
            &plan((0, 0, 1 << 26, 1), 4096, 4096),
            Layout::Gray,
        );
        assert_eq!(s.reduce, (512, 1));
        assert!(s.horizontal_first);
        assert!(s.working_bytes(1) < 64 * 1024 * 1024, "{s:?}");
        // A 65535 x 1024 source filled into 4096 x 4096: no averaging, horizontal first.
        let s = Strategy::new(
            &Source::Full(65535, 1024),
            &plan((0, 0, 65535, 1024), 4096, 4096),
            Layout::Rgb,
        );
        assert_eq!((s.reduce, s.horizontal_first), ((1, 1), true));
    }

    #[test]
    fn a_lent_image_gives_the_owned_result_and_stays_as_it_was() {
        // RGBA (premultiplied on a copy when lent) and RGB (only read), 301 x 97 to 40 x 13.
        for layout in [Layout::Rgba, Layout::Rgb] {
            let (w, h) = (301u32, 97u32);
            let n = (w * h) as usize * layout.channels();
            let data: Vec<u8> = (0..n).map(|i| (i * 37 % 251) as u8).collect();
            let image = Pixels {
                data,
                width: w,
                height: h,
                layout,
            };
            let p = plan((0, 0, w, h), 40, 13);
            let before = image.clone();
            let lent = resize(Cow::Borrowed(&image), Source::Full(w, h), &p).expect("lent");
            assert_eq!(image, before, "{layout:?}: the lent image is unchanged");
            let owned = resize(Cow::Owned(image), Source::Full(w, h), &p).expect("owned");
            assert_eq!(lent, owned, "{layout:?}");
        }
    }

    #[test]
    fn both_orders_give_nearly_the_same_image() {
        // A gradient 3000 x 40 to 300 x 400: the crate's order and the reverse differ by at
        // most rounding.
        let (w, h) = (3000u32, 40u32);
        let px: Vec<u8> = (0..w * h).map(|i| ((i % w) * 255 / w) as u8).collect();
        let p = plan((0, 0, w, h), 300, 400);
        let image = Pixels {
            data: px.clone(),
            width: w,
            height: h,
            layout: Layout::Gray,
        };
        let one = resize(Cow::Owned(image), Source::Full(w, h), &p)
            .expect("resize")
            .data;
        let filter = fr::Filter::new("l", lanczos3, SUPPORT).expect("filter");
        let alg = fr::ResizeAlg::Convolution(fr::FilterType::Custom(filter));
        let opts = |c: (f64, f64, f64, f64)| {
            fr::ResizeOptions::new()
                .resize_alg(alg)
                .crop(c.0, c.1, c.2, c.3)
        };
        let mut across = vec![0u8; 300 * 40];
        typed(
            Layout::Gray,
            &px,
            (w, h),
            &mut across,
            (300, 40),
            &opts((0.0, 0.0, 3000.0, 40.0)),
        )
        .expect("h");
        let mut two = vec![0u8; 300 * 400];
        typed(
            Layout::Gray,
            &across,
            (300, 40),
            &mut two,
            (300, 400),
            &opts((0.0, 0.0, 300.0, 40.0)),
        )
        .expect("v");
        let worst = one.iter().zip(&two).map(|(a, b)| a.abs_diff(*b)).max();
        assert!(worst <= Some(1), "{worst:?}");
    }
}

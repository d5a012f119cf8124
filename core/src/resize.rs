//! Resampling with fast_image_resize: Lanczos3 whose weights come from `libm::sin` (no platform
//! libm), rounded to fixed point by the crate; its SIMD paths are bit-exact with scalar.

use fast_image_resize as fr;

use crate::geometry::Plan;
use crate::Error;

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
    Reduced(u32, u32, (f64, f64, f64, f64)),
}

/// Resizes interleaved 8-bit pixels (`channels` 1..=4; 2 and 4 carry alpha, which is
/// premultiplied during filtering so transparent pixels leave no halo) according to `plan`.
pub fn resize(
    pixels: &[u8],
    source: Source,
    channels: usize,
    plan: &Plan,
) -> Result<Vec<u8>, Error> {
    let (width, height, (l, t, cw, ch)) = match source {
        Source::Full(w, h) => {
            let (l, t, cw, ch) = plan.crop;
            if plan.crop == (0, 0, w, h) && plan.width == w && plan.height == h {
                return Ok(pixels.to_vec());
            }
            let f = f64::from;
            (w, h, (f(l), f(t), f(cw), f(ch)))
        }
        Source::Reduced(w, h, crop) => (w, h, crop),
    };
    let filter = fr::Filter::new("lanczos3_libm", lanczos3, 3.0).map_err(|_| Error::Internal)?;
    let options = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Custom(filter)))
        .crop(l, t, cw, ch);
    let mut out = vec![0u8; plan.width as usize * plan.height as usize * channels];
    let dst = (plan.width, plan.height, out.as_mut_slice());
    // The typed API instantiates only the 8-bit pixel types used here (the dynamic one pulls
    // in every type's code and tables, half a megabyte of them in the wasm build).
    match channels {
        1 => resize_typed::<fr::pixels::U8>(pixels, width, height, dst, &options),
        2 => resize_typed::<fr::pixels::U8x2>(pixels, width, height, dst, &options),
        3 => resize_typed::<fr::pixels::U8x3>(pixels, width, height, dst, &options),
        4 => resize_typed::<fr::pixels::U8x4>(pixels, width, height, dst, &options),
        _ => Err(Error::Internal),
    }?;
    Ok(out)
}

fn resize_typed<P: fr::PixelTrait>(
    pixels: &[u8],
    width: u32,
    height: u32,
    (out_w, out_h, out): (u32, u32, &mut [u8]),
    options: &fr::ResizeOptions,
) -> Result<(), Error> {
    let src = fr::images::TypedImageRef::<P>::from_buffer(width, height, pixels)
        .map_err(|_| Error::Internal)?;
    let mut dst =
        fr::images::TypedImage::<P>::from_buffer(out_w, out_h, out).map_err(|_| Error::Internal)?;
    fr::Resizer::new()
        .resize_typed(&src, &mut dst, options)
        .map_err(|_| Error::Internal)
}

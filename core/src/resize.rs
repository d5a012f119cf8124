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

/// Resizes interleaved 8-bit pixels (`channels` 1..=4; 2 and 4 carry alpha, which is
/// premultiplied during filtering so transparent pixels leave no halo) according to `plan`.
pub fn resize(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    plan: &Plan,
) -> Result<Vec<u8>, Error> {
    let (l, t, cw, ch) = plan.crop;
    if plan.crop == (0, 0, width, height) && plan.width == width && plan.height == height {
        return Ok(pixels.to_vec());
    }
    let pixel_type = match channels {
        1 => fr::PixelType::U8,
        2 => fr::PixelType::U8x2,
        3 => fr::PixelType::U8x3,
        4 => fr::PixelType::U8x4,
        _ => return Err(Error::Internal),
    };
    let src = fr::images::ImageRef::new(width, height, pixels, pixel_type)
        .map_err(|_| Error::Internal)?;
    let mut dst = fr::images::Image::new(plan.width, plan.height, pixel_type);
    let filter = fr::Filter::new("lanczos3_libm", lanczos3, 3.0).map_err(|_| Error::Internal)?;
    let options = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Custom(filter)))
        .crop(f64::from(l), f64::from(t), f64::from(cw), f64::from(ch));
    let mut resizer = fr::Resizer::new();
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(|_| Error::Internal)?;
    Ok(dst.into_vec())
}

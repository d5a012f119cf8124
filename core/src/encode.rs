//! Encoders: PNG (fast deflate, adaptive filters), baseline JPEG (`jpeg::encoder`), WebP (lossy: the project's
//! own VP8 encoder in `webp`; lossless: image-webp's VP8L), AVIF (`avif`). None of them writes
//! metadata.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};

use crate::options::Format;
use crate::pixels::{Layout, Pixels};
use crate::Error;

fn color_type(layout: Layout) -> ExtendedColorType {
    match layout {
        Layout::Gray => ExtendedColorType::L8,
        Layout::GrayAlpha => ExtendedColorType::La8,
        Layout::Rgb => ExtendedColorType::Rgb8,
        Layout::Rgba => ExtendedColorType::Rgba8,
    }
}

/// Composites alpha onto white for formats without alpha, in integers (`layout` has alpha).
fn flatten(pixels: &[u8], layout: Layout) -> (Vec<u8>, Layout) {
    let channels = layout.channels();
    let colour = channels - 1;
    let mut out = Vec::with_capacity(pixels.len() / channels * colour);
    for px in pixels.chunks_exact(channels) {
        let a = u32::from(px[colour]);
        for &c in &px[..colour] {
            let v = (u32::from(c) * a + 255 * (255 - a) + 127) / 255;
            out.push(v as u8);
        }
    }
    (out, layout.opaque())
}

/// What `auto` becomes when no front end chose from `Accept`: PNG when the thumbnail has
/// transparency (or lossless was asked for), else JPEG.
pub fn resolve(format: Format, image: &Pixels, lossless: bool) -> Format {
    if format != Format::Auto {
        return format;
    }
    let channels = image.layout.channels();
    let transparent = image.layout.has_alpha()
        && image
            .data
            .chunks_exact(channels)
            .any(|px| px[channels - 1] != 255);
    if transparent || lossless {
        Format::Png
    } else {
        Format::Jpeg
    }
}

/// Encodes `image` as `format` (resolved: not `auto`), lossy ones at `quality`; WebP lossless
/// when `lossless`.
pub fn encode(
    image: &Pixels,
    format: Format,
    quality: u8,
    lossless: bool,
) -> Result<Vec<u8>, Error> {
    let (width, height, layout) = (image.width, image.height, image.layout);
    let mut out = Vec::new();
    let result = match format {
        Format::Webp if !lossless => return crate::webp::encode(image, quality),
        Format::Avif => return crate::avif::encode(image, quality),
        Format::Auto => return Err(Error::Internal(None)),
        Format::Png => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
                .write_image(&image.data, width, height, color_type(layout))
        }
        Format::Jpeg => {
            let cap = crate::LIMITS.max_output_bytes;
            return if layout.has_alpha() {
                let (flat, opaque) = flatten(&image.data, layout);
                crate::jpeg::encode(&flat, width, height, opaque.channels(), quality, cap)
            } else {
                crate::jpeg::encode(&image.data, width, height, layout.channels(), quality, cap)
            };
        }
        Format::Webp => WebPEncoder::new_lossless(&mut out).write_image(
            &image.data,
            width,
            height,
            color_type(layout),
        ),
    };
    result.map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::flatten;
    use crate::pixels::Layout;

    #[test]
    fn flatten_composites_on_white() {
        let (out, layout) = flatten(&[0, 0, 0, 0, 10, 20, 30, 255, 0, 0, 0, 128], Layout::Rgba);
        assert_eq!(layout, Layout::Rgb);
        assert_eq!(out, vec![255, 255, 255, 10, 20, 30, 127, 127, 127]);
    }
}

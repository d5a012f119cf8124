//! Encoders: PNG (fast deflate, adaptive filters), baseline JPEG, lossless WebP. None of them
//! writes metadata.

use image::codecs::jpeg::JpegEncoder;
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

/// Encodes `image` as `format` (`quality` for JPEG).
pub fn encode(image: &Pixels, format: Format, quality: u8) -> Result<Vec<u8>, Error> {
    let (width, height, layout) = (image.width, image.height, image.layout);
    let mut out = Vec::new();
    let result = match format {
        Format::Png => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
                .write_image(&image.data, width, height, color_type(layout))
        }
        Format::Jpeg => {
            let enc = JpegEncoder::new_with_quality(&mut out, quality);
            if layout.has_alpha() {
                let (flat, opaque) = flatten(&image.data, layout);
                enc.write_image(&flat, width, height, color_type(opaque))
            } else {
                enc.write_image(&image.data, width, height, color_type(layout))
            }
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

//! Encoders: PNG (fast deflate, adaptive filters), baseline JPEG, lossless WebP. None of them
//! writes metadata.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};

use crate::options::Format;
use crate::Error;

fn color_type(channels: usize) -> Result<ExtendedColorType, Error> {
    Ok(match channels {
        1 => ExtendedColorType::L8,
        2 => ExtendedColorType::La8,
        3 => ExtendedColorType::Rgb8,
        4 => ExtendedColorType::Rgba8,
        _ => return Err(Error::Internal),
    })
}

/// Composites alpha onto white for formats without alpha, in integers.
fn flatten(pixels: &[u8], channels: usize) -> (Vec<u8>, usize) {
    let colour = channels - 1;
    let mut out = Vec::with_capacity(pixels.len() / channels * colour);
    for px in pixels.chunks_exact(channels) {
        let a = u32::from(px[colour]);
        for &c in &px[..colour] {
            let v = (u32::from(c) * a + 255 * (255 - a) + 127) / 255;
            out.push(v as u8);
        }
    }
    (out, colour)
}

/// Encodes interleaved 8-bit pixels.
pub fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let result = match format {
        Format::Png => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
                .write_image(pixels, width, height, color_type(channels)?)
        }
        Format::Jpeg => {
            let enc = JpegEncoder::new_with_quality(&mut out, quality);
            if channels == 2 || channels == 4 {
                let (flat, c) = flatten(pixels, channels);
                enc.write_image(&flat, width, height, color_type(c)?)
            } else {
                enc.write_image(pixels, width, height, color_type(channels)?)
            }
        }
        Format::Webp => WebPEncoder::new_lossless(&mut out).write_image(
            pixels,
            width,
            height,
            color_type(channels)?,
        ),
    };
    result.map_err(|_| Error::Internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::flatten;

    #[test]
    fn flatten_composites_on_white() {
        let (out, c) = flatten(&[0, 0, 0, 0, 10, 20, 30, 255, 0, 0, 0, 128], 4);
        assert_eq!(c, 3);
        assert_eq!(out, vec![255, 255, 255, 10, 20, 30, 127, 127, 127]);
    }
}

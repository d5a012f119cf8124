//! Decoded pixels as they travel between the stages: 8-bit interleaved samples in one of four
//! layouts, so an impossible channel count cannot be written.

use image::metadata::Orientation;
use image::DynamicImage;

/// The channels of an 8-bit pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One grey sample.
    Gray,
    /// Grey, then alpha.
    GrayAlpha,
    /// Red, green, blue.
    Rgb,
    /// Red, green, blue, then alpha.
    Rgba,
}

impl Layout {
    /// The layout with colour or grey samples, with or without alpha.
    pub(crate) const fn new(color: bool, alpha: bool) -> Layout {
        match (color, alpha) {
            (false, false) => Layout::Gray,
            (false, true) => Layout::GrayAlpha,
            (true, false) => Layout::Rgb,
            (true, true) => Layout::Rgba,
        }
    }

    /// Samples per pixel.
    pub(crate) const fn channels(self) -> usize {
        match self {
            Layout::Gray => 1,
            Layout::GrayAlpha => 2,
            Layout::Rgb => 3,
            Layout::Rgba => 4,
        }
    }

    /// Whether the last sample is alpha.
    pub(crate) const fn has_alpha(self) -> bool {
        matches!(self, Layout::GrayAlpha | Layout::Rgba)
    }

    /// Whether the samples are colour (else grey).
    pub(crate) const fn has_color(self) -> bool {
        matches!(self, Layout::Rgb | Layout::Rgba)
    }

    /// The same layout without alpha.
    pub(crate) const fn opaque(self) -> Layout {
        Layout::new(self.has_color(), false)
    }
}

/// An image of 8-bit interleaved samples, `width * height * layout.channels()` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pixels {
    /// The samples, row by row.
    pub data: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What each pixel holds.
    pub layout: Layout,
}

impl Pixels {
    /// The decoder's image at 8 bits per sample (keeping grey/colour and alpha as they are),
    /// turned upright by `orientation`. Samples are converted first: orientation is a
    /// permutation, so the order changes no byte, and turning the smaller buffer keeps the
    /// peak lower.
    pub(crate) fn upright(image: DynamicImage, orientation: Orientation) -> Pixels {
        let layout = Layout::new(image.color().has_color(), image.color().has_alpha());
        let mut image = match layout {
            Layout::Gray => DynamicImage::ImageLuma8(image.into_luma8()),
            Layout::GrayAlpha => DynamicImage::ImageLumaA8(image.into_luma_alpha8()),
            Layout::Rgb => DynamicImage::ImageRgb8(image.into_rgb8()),
            Layout::Rgba => DynamicImage::ImageRgba8(image.into_rgba8()),
        };
        image.apply_orientation(orientation);
        Pixels {
            width: image.width(),
            height: image.height(),
            data: image.into_bytes(),
            layout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_round_trip_through_colour_and_alpha() {
        for layout in [Layout::Gray, Layout::GrayAlpha, Layout::Rgb, Layout::Rgba] {
            assert_eq!(Layout::new(layout.has_color(), layout.has_alpha()), layout);
            assert_eq!(
                layout.channels(),
                usize::from(layout.has_color()) * 2 + 1 + usize::from(layout.has_alpha())
            );
            assert!(!layout.opaque().has_alpha());
        }
    }

    #[test]
    fn sixteen_bit_images_become_eight_bit_upright_with_the_same_layout() {
        let image = DynamicImage::ImageRgba16(image::ImageBuffer::from_pixel(
            2,
            1,
            image::Rgba([65535u16, 0, 32896, 65535]),
        ));
        let p = Pixels::upright(image, Orientation::Rotate90);
        assert_eq!((p.width, p.height, p.layout), (1, 2, Layout::Rgba));
        assert_eq!(p.data, vec![255, 0, 128, 255, 255, 0, 128, 255]);
    }
}

//! EXIF orientations as a table of axis moves: whether the upright image's axes are the stored
//! ones swapped, and which upright axes run backwards.

use image::metadata::Orientation;

/// How the stored axes become the upright ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Axes {
    /// The upright x axis runs along the stored y axis (a quarter turn or a transpose).
    pub transpose: bool,
    /// The upright x axis runs from the stored image's far edge.
    pub reverse_x: bool,
    /// The upright y axis runs from the stored image's far edge.
    pub reverse_y: bool,
}

/// The axis moves of `orientation` (EXIF 1 to 8).
pub(crate) const fn axes(orientation: Orientation) -> Axes {
    let (transpose, reverse_x, reverse_y) = match orientation {
        Orientation::NoTransforms => (false, false, false),
        Orientation::FlipHorizontal => (false, true, false),
        Orientation::Rotate180 => (false, true, true),
        Orientation::FlipVertical => (false, false, true),
        Orientation::Rotate90FlipH => (true, false, false),
        Orientation::Rotate90 => (true, true, false),
        Orientation::Rotate270FlipH => (true, true, true),
        Orientation::Rotate270 => (true, false, true),
    };
    Axes {
        transpose,
        reverse_x,
        reverse_y,
    }
}

/// The size of a stored `w` x `h` image after `orientation`.
pub(crate) const fn upright(w: u32, h: u32, orientation: Orientation) -> (u32, u32) {
    if axes(orientation).transpose {
        (h, w)
    } else {
        (w, h)
    }
}

/// Where the partial edge blocks of a stored `w` x `h` JPEG land after `orientation`: the
/// padding (in full-scale pixels) before the upright image's first column and row. Blocks are
/// 8 pixels; the partial ones sit at the stored image's right and bottom edges.
pub(crate) const fn edge_padding(w: u32, h: u32, orientation: Orientation) -> (u32, u32) {
    const fn pad(n: u32) -> u32 {
        n.div_ceil(8) * 8 - n
    }
    let a = axes(orientation);
    // The stored axis each upright axis runs along, and its padding.
    let (x_pad, y_pad) = if a.transpose {
        (pad(h), pad(w))
    } else {
        (pad(w), pad(h))
    };
    (
        if a.reverse_x { x_pad } else { 0 },
        if a.reverse_y { y_pad } else { 0 },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, GrayImage};

    const ALL: [Orientation; 8] = [
        Orientation::NoTransforms,
        Orientation::FlipHorizontal,
        Orientation::Rotate180,
        Orientation::FlipVertical,
        Orientation::Rotate90FlipH,
        Orientation::Rotate90,
        Orientation::Rotate270FlipH,
        Orientation::Rotate270,
    ];

    /// The table against image's own `apply_orientation` (what the pipeline uses to turn full
    /// decodes), pixel by pixel, on a 3x2 image whose samples name their stored position.
    #[test]
    fn the_table_moves_every_pixel_where_image_does() {
        let (w, h) = (3u32, 2u32);
        for orientation in ALL {
            let stored = GrayImage::from_fn(w, h, |x, y| image::Luma([(y * w + x) as u8]));
            let mut turned = DynamicImage::ImageLuma8(stored);
            turned.apply_orientation(orientation);
            let turned = turned.to_luma8();
            let (uw, uh) = upright(w, h, orientation);
            assert_eq!(turned.dimensions(), (uw, uh), "{orientation:?}");
            let a = axes(orientation);
            for (ux, uy, px) in turned.enumerate_pixels() {
                let ux = if a.reverse_x { uw - 1 - ux } else { ux };
                let uy = if a.reverse_y { uh - 1 - uy } else { uy };
                let (sx, sy) = if a.transpose { (uy, ux) } else { (ux, uy) };
                assert_eq!(u32::from(px.0[0]), sy * w + sx, "{orientation:?}");
            }
        }
    }

    /// The partial edge block (1001 = 125 * 8 + 1, so 7 pixels of padding) must land before
    /// the first upright column/row exactly when that axis comes out reversed.
    #[test]
    fn edge_padding_follows_the_orientation() {
        let (w, h) = (1001, 1003); // pads 7 and 5
        let cases = [
            (Orientation::NoTransforms, (0, 0)),
            (Orientation::FlipHorizontal, (7, 0)),
            (Orientation::FlipVertical, (0, 5)),
            (Orientation::Rotate180, (7, 5)),
            (Orientation::Rotate90, (5, 0)),
            (Orientation::Rotate270, (0, 7)),
            (Orientation::Rotate90FlipH, (0, 0)),
            (Orientation::Rotate270FlipH, (5, 7)),
        ];
        for (orientation, want) in cases {
            assert_eq!(edge_padding(w, h, orientation), want, "{orientation:?}");
        }
    }
}

//! What a file declares about itself, read before any decoder runs: its dimensions (for the
//! pixel budget) and, for JPEG, its SOF segment's coding process (so that valid-but-unsupported
//! JPEG flavours are reported as `unsupported_format`, not as corruption). In this crate
//! "header" means one thing: [`crate::decode::Header`], everything known once a file is open.

use image::ImageFormat;

use crate::bytes::{be16, be32, le16, le32};
use crate::jpeg::markers::{self, Item, Markers};
use crate::Error;

/// What a JPEG's SOFn segment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegFrame {
    /// The SOF marker's second byte (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...).
    pub marker: u8,
    /// Sample precision in bits.
    pub precision: u8,
    /// Declared width.
    pub width: u32,
    /// Declared height.
    pub height: u32,
    /// Number of components.
    pub components: u8,
}

impl JpegFrame {
    /// Whether the decoders here handle this coding process: Huffman-coded 8-bit baseline,
    /// extended or progressive. Lossless, hierarchical, arithmetic-coded and 12-bit are not.
    pub fn is_supported(&self) -> bool {
        matches!(self.marker, 0xC0..=0xC2) && self.precision == 8
    }
}

/// Walks a JPEG's marker segments up to its first frame header. `None` if there is none (the
/// decoder will then report the file as corrupt).
pub fn jpeg_frame(b: &[u8]) -> Option<JpegFrame> {
    let mut walk = Markers::new(b)?;
    loop {
        let segment = match walk.next_item().ok()? {
            Item::Standalone(_) => continue,
            Item::End => return None,
            Item::Segment(s) if s.marker == markers::SOS => return None,
            Item::Segment(s) => s,
        };
        if markers::is_frame(segment.marker) {
            let body = segment.body;
            return Some(JpegFrame {
                marker: segment.marker,
                precision: *body.first()?,
                height: be16(body, 1)?,
                width: be16(body, 3)?,
                components: *body.get(5)?,
            });
        }
    }
}

/// The dimensions a file declares in its header, for the formats whose decoders might refuse or
/// allocate before we could check them. `None` when the header does not say (or is unreadable:
/// the decoder then gives the precise error).
pub fn dimensions(format: ImageFormat, b: &[u8]) -> Option<(u32, u32)> {
    match format {
        ImageFormat::Png => {
            if b.get(12..16)? == b"IHDR" {
                Some((be32(b, 16)?, be32(b, 20)?))
            } else {
                None
            }
        }
        ImageFormat::Gif => Some((le16(b, 6)?, le16(b, 8)?)),
        ImageFormat::Bmp => {
            let header = le32(b, 14)?;
            if header == 12 {
                Some((le16(b, 18)?, le16(b, 20)?))
            } else {
                let w = le32(b, 18)? as i32;
                let h = le32(b, 22)? as i32;
                Some((w.unsigned_abs(), h.unsigned_abs()))
            }
        }
        ImageFormat::Jpeg => jpeg_frame(b).map(|f| (f.width, f.height)),
        _ => None,
    }
}

/// Refuses, from the header alone, what the engine will not decode: JPEG coding processes the
/// decoders do not implement, and declared sizes over `max_pixels`.
pub fn precheck(format: ImageFormat, b: &[u8], max_pixels: u64) -> Result<(), Error> {
    if format == ImageFormat::Jpeg {
        if let Some(frame) = jpeg_frame(b) {
            if !frame.is_supported() {
                return Err(Error::UnsupportedFormat);
            }
        }
    }
    if let Some((w, h)) = dimensions(format, b) {
        if u64::from(w) * u64::from(h) > max_pixels {
            return Err(Error::ImageTooLarge);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_sof(marker: u8, precision: u8, w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, marker, 0x00, 0x0B,
        ];
        v.push(precision);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[1, 1, 0x11, 0]);
        v
    }

    #[test]
    fn jpeg_frame_is_found_after_app_segments() {
        let f = jpeg_frame(&jpeg_with_sof(0xC2, 8, 640, 480)).expect("frame");
        assert_eq!(
            (f.marker, f.width, f.height, f.components),
            (0xC2, 640, 480, 1)
        );
        assert!(f.is_supported());
    }

    #[test]
    fn unsupported_jpeg_processes_are_refused() {
        for (marker, precision) in [(0xC3, 8), (0xC9, 8), (0xC1, 12), (0xCA, 8)] {
            let b = jpeg_with_sof(marker, precision, 10, 10);
            assert_eq!(
                precheck(ImageFormat::Jpeg, &b, 1 << 26),
                Err(Error::UnsupportedFormat)
            );
        }
    }

    #[test]
    fn oversized_headers_are_refused() {
        let b = jpeg_with_sof(0xC0, 8, 65000, 65000);
        assert_eq!(
            precheck(ImageFormat::Jpeg, &b, 1 << 26),
            Err(Error::ImageTooLarge)
        );
        let mut bmp = vec![b'B', b'M'];
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        bmp.extend_from_slice(&3_000_000i32.to_le_bytes());
        bmp.extend_from_slice(&(-2_000_000i32).to_le_bytes());
        assert_eq!(
            precheck(ImageFormat::Bmp, &bmp, 1 << 26),
            Err(Error::ImageTooLarge)
        );
    }

    #[test]
    fn truncated_headers_are_left_to_the_decoder() {
        assert_eq!(jpeg_frame(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(dimensions(ImageFormat::Png, b"\x89PNG"), None);
    }
}

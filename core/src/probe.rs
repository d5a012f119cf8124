//! The probe stage: what a file commits to before any pixel is decoded. Its format (sniffed from
//! the bytes), its stored size, and the facts of its format that decide how much memory and work decoding takes
//! (sample layout of a PNG row, a JPEG's components and scans, a TIFF's strips or tiles, a
//! WebP's coding). Read from the bytes directly: cheap, no allocation that grows with the image.

use std::io::Cursor;

use image::ImageFormat;

use crate::bytes::{be32, le16, le32};
use crate::jpeg::markers::{self, Item, Markers};
use crate::Error;
use crate::LIMITS;

/// Detects the format from the bytes alone; only the accepted input formats pass.
pub fn format(input: &[u8]) -> Result<ImageFormat, Error> {
    // image's sniffing knows classic TIFF only (version 42); BigTIFF (version 43, 64-bit
    // offsets) is the same format to the tiff crate that decodes it.
    if matches!(input.get(..4), Some(b"II+\0" | b"MM\0+")) {
        return Ok(ImageFormat::Tiff);
    }
    let format = image::guess_format(input).map_err(|_| Error::UnsupportedFormat)?;
    match format {
        ImageFormat::Jpeg
        | ImageFormat::Png
        | ImageFormat::Gif
        | ImageFormat::WebP
        | ImageFormat::Bmp
        | ImageFormat::Tiff
        | ImageFormat::Ico => Ok(format),
        _ => Err(Error::UnsupportedFormat),
    }
}

/// A JPEG component: sampling factors and its size in blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegComponent {
    /// Horizontal sampling factor.
    pub h: u32,
    /// Vertical sampling factor.
    pub v: u32,
}

/// A JPEG's frame and scans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegShape {
    /// Progressive (SOF2).
    pub progressive: bool,
    /// The frame's components.
    pub components: Vec<JpegComponent>,
    /// Number of scans (SOS markers).
    pub scans: u32,
    /// Blocks the scans visit in all (an interleaved scan visits every block of its MCUs).
    pub block_visits: u64,
}

impl JpegShape {
    fn max_sampling(&self) -> (u32, u32) {
        let h = self
            .components
            .iter()
            .map(|c| c.h)
            .max()
            .unwrap_or(1)
            .max(1);
        let v = self
            .components
            .iter()
            .map(|c| c.v)
            .max()
            .unwrap_or(1)
            .max(1);
        (h, v)
    }

    /// Blocks of each component on the MCU grid (what a decoder stores per component).
    pub fn grid_blocks(&self, width: u32, height: u32) -> Vec<u64> {
        let (hm, vm) = self.max_sampling();
        let mcus_x = u64::from(width.div_ceil(8 * hm));
        let mcus_y = u64::from(height.div_ceil(8 * vm));
        self.components
            .iter()
            .map(|c| mcus_x * u64::from(c.h) * mcus_y * u64::from(c.v))
            .collect()
    }

    /// Blocks covering component `i` itself (a non-interleaved scan visits these).
    fn component_blocks(&self, i: usize, width: u32, height: u32) -> u64 {
        let (hm, vm) = self.max_sampling();
        let c = self.components[i];
        let w = u64::from(width) * u64::from(c.h);
        let h = u64::from(height) * u64::from(c.v);
        w.div_ceil(u64::from(hm)).div_ceil(8) * h.div_ceil(u64::from(vm)).div_ceil(8)
    }
}

/// What decoding a format costs beyond its output buffer depends on these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// PNG: bytes of one stored (filtered) row and of one decoded row.
    Png {
        /// Bytes per stored row, filter byte included.
        raw_row: u64,
        /// Bytes per decoded row (low bit depths and palettes expanded to 8 bits).
        out_row: u64,
    },
    /// JPEG.
    Jpeg(JpegShape),
    /// GIF: the first frame's size (it may exceed the logical screen, the canvas).
    Gif {
        /// Pixels of the first frame.
        frame_px: u64,
    },
    /// WebP: lossless (VP8L) or lossy (VP8, with or without an alpha plane).
    Webp {
        /// VP8L.
        lossless: bool,
    },
    /// BMP.
    Bmp,
    /// TIFF: the largest strip or tile, decompressed, and the whole image as stored.
    Tiff {
        /// Bytes of the largest strip or tile.
        chunk_bytes: u64,
        /// Bytes of every sample at its stored depth.
        stored: u64,
    },
    /// ICO: an embedded PNG or BMP.
    Ico,
}

/// The facts of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Format, from the bytes.
    pub format: ImageFormat,
    /// Stored width (before EXIF orientation), when the file declares it.
    pub width: u32,
    /// Stored height.
    pub height: u32,
    /// The format's facts.
    pub kind: Kind,
}

/// Reads the facts of `input` (already detected as `format`). `Ok(None)` when what the file
/// declares is too damaged to say (the decoder then reports it); `Err` when that alone is
/// enough to refuse the file (a work budget it passes).
pub fn facts(format: ImageFormat, input: &[u8]) -> Result<Option<Facts>, Error> {
    Ok(match format {
        ImageFormat::Png => png(input),
        ImageFormat::Jpeg => match jpeg(input) {
            Some((w, h, shape)) => {
                if shape.scans > LIMITS.max_jpeg_scans
                    || shape.block_visits > LIMITS.max_jpeg_block_visits
                {
                    return Err(Error::ImageTooLarge);
                }
                Some(Facts {
                    format,
                    width: w,
                    height: h,
                    kind: Kind::Jpeg(shape),
                })
            }
            None => None,
        },
        ImageFormat::Gif => gif(input),
        ImageFormat::WebP => webp(input)?,
        ImageFormat::Tiff => tiff(input)?,
        ImageFormat::Bmp => crate::declared::dimensions(format, input).map(|(w, h)| Facts {
            format,
            width: w,
            height: h,
            kind: Kind::Bmp,
        }),
        ImageFormat::Ico => Some(Facts {
            format,
            width: 0,
            height: 0,
            kind: Kind::Ico,
        }),
        _ => None,
    })
}

fn png(b: &[u8]) -> Option<Facts> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let (w, h) = (be32(b, 16)?, be32(b, 20)?);
    let bits = u64::from(*b.get(24)?);
    let color = *b.get(25)?;
    let channels = match color {
        0 | 3 => 1,
        2 => 3,
        4 => 2,
        6 => 4,
        _ => return None,
    };
    // A palette expands to RGB or RGBA; 16-bit samples stay 16-bit; the rest become 8-bit.
    let out_channels = if color == 3 { 4 } else { channels };
    let out_bytes = if bits == 16 { 2 } else { 1 };
    Some(Facts {
        format: ImageFormat::Png,
        width: w,
        height: h,
        kind: Kind::Png {
            raw_row: (u64::from(w) * channels * bits).div_ceil(8) + 1,
            out_row: u64::from(w) * out_channels * out_bytes,
        },
    })
}

/// The logical screen, and the first frame's size from its image descriptor (after the
/// colour table and any extensions).
fn gif(b: &[u8]) -> Option<Facts> {
    let (w, h) = (le16(b, 6)?, le16(b, 8)?);
    let flags = *b.get(10)?;
    let mut at = 13
        + if flags & 0x80 != 0 {
            3 << ((flags & 7) + 1)
        } else {
            0
        };
    let mut frame_px = 0;
    while let Some(&block) = b.get(at) {
        match block {
            0x21 => {
                at += 2;
                while let Some(&len) = b.get(at) {
                    at += 1 + usize::from(len);
                    if len == 0 {
                        break;
                    }
                }
            }
            0x2C => {
                frame_px = u64::from(le16(b, at + 5)?) * u64::from(le16(b, at + 7)?);
                break;
            }
            _ => break,
        }
    }
    Some(Facts {
        format: ImageFormat::Gif,
        width: w,
        height: h,
        kind: Kind::Gif { frame_px },
    })
}

/// Walks every marker of a JPEG: the frame (SOF), and each scan's components and spectral
/// band, stepping over entropy-coded data to the next marker. O(length of the file).
fn jpeg(b: &[u8]) -> Option<(u32, u32, JpegShape)> {
    let frame = crate::declared::jpeg_frame(b)?;
    let mut shape = JpegShape {
        progressive: frame.marker == 0xC2,
        components: Vec::new(),
        scans: 0,
        block_visits: 0,
    };
    let mut ids = Vec::new();
    let mut walk = Markers::new(b)?;
    loop {
        let segment = match walk.next_item() {
            Ok(Item::Standalone(_)) => continue,
            Ok(Item::Segment(s)) if s.complete => s,
            Ok(Item::Segment(_)) => return None,
            // The facts so far: a file may end early, the decoder decides what that means.
            Ok(Item::End) | Err(_) => break,
        };
        let seg = segment.body;
        match segment.marker {
            0xC0..=0xC2 if shape.components.is_empty() => {
                let n = usize::from(*seg.get(5)?);
                for i in 0..n {
                    let c = seg.get(6 + 3 * i..9 + 3 * i)?;
                    ids.push(c[0]);
                    shape.components.push(JpegComponent {
                        h: u32::from(c[1] >> 4),
                        v: u32::from(c[1] & 15),
                    });
                }
            }
            markers::SOS => {
                shape.scans += 1;
                let n = usize::from(*seg.first()?);
                let members: Vec<usize> = (0..n)
                    .filter_map(|i| {
                        let id = *seg.get(1 + 2 * i)?;
                        ids.iter().position(|&x| x == id)
                    })
                    .collect();
                shape.block_visits += match members.as_slice() {
                    [one] => shape.component_blocks(*one, frame.width, frame.height),
                    _ => {
                        let grid = shape.grid_blocks(frame.width, frame.height);
                        members.iter().map(|&i| grid[i]).sum()
                    }
                };
                // Step over the entropy-coded data to the next marker.
                match markers::next_marker(b, segment.end) {
                    Some(at) => walk.seek(at),
                    None => break,
                }
            }
            _ => {}
        }
    }
    Some((frame.width, frame.height, shape))
}

/// The canvas or frame size and coding of a WebP, walking every RIFF chunk. A chunk that
/// declares more bytes than the file holds refuses the file as corrupt: the WebP decoder
/// allocates a metadata chunk's declared size before reading it (a 2 GiB EXIF chunk in a few
/// bytes was found by fuzzing).
fn webp(b: &[u8]) -> Result<Option<Facts>, Error> {
    if b.get(0..4) != Some(b"RIFF") || b.get(8..12) != Some(b"WEBP") {
        return Ok(None);
    }
    let mut at = 12;
    let (mut canvas, mut frame) = (None, None);
    while let (Some(kind), Some(len)) = (b.get(at..at + 4), le32(b, at + 4)) {
        let len = len as usize;
        let data = &b[at + 8..];
        if len > data.len() {
            return Err(Error::CorruptImage(None));
        }
        let data = &data[..len];
        match kind {
            b"VP8X" if data.len() >= 10 => {
                let w = u32::from_le_bytes([data[4], data[5], data[6], 0]) + 1;
                let h = u32::from_le_bytes([data[7], data[8], data[9], 0]) + 1;
                canvas = Some((w, h));
            }
            b"VP8L" if frame.is_none() && data.len() >= 5 => {
                if let Some(bits) = le32(data, 1) {
                    frame = Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, true));
                }
            }
            b"VP8 " if frame.is_none() => {
                if let (Some(w), Some(h)) = (le16(data, 6), le16(data, 8)) {
                    frame = Some((w & 0x3FFF, h & 0x3FFF, false));
                }
            }
            _ => {}
        }
        at += 8 + len + (len & 1);
    }
    Ok(frame.map(|(w, h, lossless)| {
        let (w, h) = canvas.unwrap_or((w, h));
        Facts {
            format: ImageFormat::WebP,
            width: w,
            height: h,
            kind: Kind::Webp { lossless },
        }
    }))
}

/// TIFF facts through the tiff crate (it reads the first directory only); a chunk count over
/// the cap refuses the file.
fn tiff(input: &[u8]) -> Result<Option<Facts>, Error> {
    let Ok(mut dec) = tiff::decoder::Decoder::new(Cursor::new(input)) else {
        return Ok(None);
    };
    let Ok((w, h)) = dec.dimensions() else {
        return Ok(None);
    };
    let chunks = match dec.get_chunk_type() {
        tiff::decoder::ChunkType::Strip => dec.strip_count(),
        tiff::decoder::ChunkType::Tile => dec.tile_count(),
    };
    if chunks.is_ok_and(|n| n > LIMITS.max_tiff_chunks) {
        return Err(Error::ImageTooLarge);
    }
    let (cw, ch) = dec.chunk_dimensions();
    let samples = u64::from(
        dec.find_tag_unsigned::<u16>(tiff::tags::Tag::SamplesPerPixel)
            .ok()
            .flatten()
            .unwrap_or(1),
    );
    let bits = dec
        .find_tag_unsigned_vec::<u16>(tiff::tags::Tag::BitsPerSample)
        .ok()
        .flatten()
        .and_then(|v| v.into_iter().max())
        .map_or(8, u64::from);
    let chunk_bytes = (u64::from(cw) * samples * bits).div_ceil(8) * u64::from(ch);
    let stored = (u64::from(w) * samples * bits).div_ceil(8) * u64::from(h);
    Ok(Some(Facts {
        format: ImageFormat::Tiff,
        width: w,
        height: h,
        kind: Kind::Tiff {
            chunk_bytes,
            stored,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webp_chunk_longer_than_the_file_is_corrupt() {
        let mut b = b"RIFF\0\0\0\0WEBPEXIF".to_vec();
        b.extend_from_slice(&0x8000_0000u32.to_le_bytes());
        b.extend_from_slice(b"tiny");
        assert_eq!(webp(&b), Err(Error::CorruptImage(None)));
    }

    #[test]
    fn webp_sizes_come_from_every_chunk_kind() {
        // VP8L: 14-bit width-1 and height-1 after the signature byte.
        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\x05\0\0\0\x2f".to_vec();
        let bits: u32 = 99 | (49 << 14);
        vp8l.extend_from_slice(&bits.to_le_bytes());
        let f = webp(&vp8l).expect("readable").expect("facts");
        assert_eq!(
            (f.width, f.height, f.kind),
            (100, 50, Kind::Webp { lossless: true })
        );
    }
}

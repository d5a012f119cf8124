//! TIFF flavours that image's TIFF decoder refuses but that are valid and common enough in the
//! wild: palette-colour images (any bit depth up to 8) and JPEG-compressed YCbCr. They are read
//! with the `tiff` crate directly and turned into 8-bit RGB here.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;
use tiff::ColorType;

use crate::color::ycbcr_to_rgb;
use crate::limits::MAX_DECODE_ALLOC;
use crate::Error;
use crate::LIMITS;

fn limits() -> Limits {
    let mut l = Limits::default();
    let cap = usize::try_from(MAX_DECODE_ALLOC).unwrap_or(usize::MAX);
    l.decoding_buffer_size = cap;
    l.intermediate_buffer_size = cap;
    l
}

/// An open TIFF: the decoder, width, height, colour type and orientation.
type Opened<'a> = (Decoder<Cursor<&'a [u8]>>, u32, u32, ColorType, Orientation);

/// The checks and facts both [`header`] and [`decode`] start with: the decoder, its size, its
/// colour type (palette images of under 8 bits, which the tiff crate refuses, by their tags) and
/// orientation.
fn open(input: &[u8]) -> Result<Opened<'_>, Error> {
    let mut dec = Decoder::new(Cursor::new(input))
        .map_err(Error::corrupt)?
        .with_limits(limits());
    let (w, h) = dec.dimensions().map_err(Error::corrupt)?;
    if w == 0 || h == 0 {
        return Err(Error::CorruptImage(None));
    }
    if u64::from(w) * u64::from(h) > LIMITS.max_input_pixels {
        return Err(Error::ImageTooLarge);
    }
    let color = match dec.colortype() {
        Ok(c) => c,
        Err(_) => match (
            dec.get_tag_u32(Tag::PhotometricInterpretation),
            dec.get_tag_u32(Tag::BitsPerSample),
        ) {
            (Ok(3), Ok(bits @ 1..=8)) => ColorType::Palette(bits as u8),
            _ => return Err(Error::UnsupportedFormat),
        },
    };
    if !matches!(
        color,
        ColorType::Palette(1..=8) | ColorType::YCbCr(8) | ColorType::Gray(1)
    ) {
        return Err(Error::UnsupportedFormat);
    }
    let orientation = dec
        .get_tag_u32(Tag::Orientation)
        .ok()
        .and_then(|v| u8::try_from(v).ok())
        .and_then(Orientation::from_exif)
        .unwrap_or(Orientation::NoTransforms);
    Ok((dec, w, h, color, orientation))
}

/// What decoding a TIFF that image refused will produce: stored size, orientation and channels
/// (1 for Group 4 bilevel, else 3), before any pixel is read.
pub fn header(input: &[u8]) -> Result<(u32, u32, Orientation, u32), Error> {
    let (mut dec, w, h, color, orientation) = open(input)?;
    let g4 =
        dec.get_tag_u32(Tag::Compression).ok() == Some(4) && matches!(color, ColorType::Gray(1));
    Ok((w, h, orientation, if g4 { 1 } else { 3 }))
}

/// Decodes a TIFF that image refused. `Err` with the most fitting code when this cannot either.
pub fn decode(input: &[u8]) -> Result<(DynamicImage, Orientation), Error> {
    let (mut dec, w, h, color, orientation) = open(input)?;
    let (wu, hu) = (w as usize, h as usize);
    if dec.get_tag_u32(Tag::Compression).ok() == Some(4) && matches!(color, ColorType::Gray(1)) {
        let grey = group4(&mut dec, input, w, h)?;
        let img = image::GrayImage::from_raw(w, h, grey).ok_or(Error::CorruptImage(None))?;
        return Ok((DynamicImage::ImageLuma8(img), orientation));
    }
    let rgb: Vec<u8> = match color {
        ColorType::Palette(bits @ 1..=8) => {
            let map = dec.get_tag_u16_vec(Tag::ColorMap).map_err(Error::corrupt)?;
            let entries = 1usize << bits;
            if map.len() < 3 * entries {
                return Err(Error::CorruptImage(None));
            }
            let data = match dec.read_image() {
                Ok(DecodingResult::U8(data)) => data,
                Ok(_) => return Err(Error::UnsupportedFormat),
                Err(_) => raw_strips(&mut dec, input)?,
            };
            let bits = usize::from(bits);
            let row_bytes = (wu * bits).div_ceil(8);
            if data.len() < row_bytes * hu {
                return Err(Error::CorruptImage(None));
            }
            let mut out = Vec::with_capacity(wu * hu * 3);
            for row in data.chunks_exact(row_bytes).take(hu) {
                for x in 0..wu {
                    let bit = x * bits;
                    let byte = row[bit / 8];
                    let idx = usize::from(byte >> (8 - bits - bit % 8)) & (entries - 1);
                    for c in 0..3 {
                        out.push((map[c * entries + idx] >> 8) as u8);
                    }
                }
            }
            out
        }
        ColorType::YCbCr(8) => {
            let DecodingResult::U8(data) = dec.read_image().map_err(Error::corrupt)? else {
                return Err(Error::UnsupportedFormat);
            };
            if data.len() < wu * hu * 3 {
                return Err(Error::CorruptImage(None));
            }
            data.chunks_exact(3)
                .take(wu * hu)
                .flat_map(|p| ycbcr_to_rgb(p[0], p[1], p[2]))
                .collect()
        }
        _ => return Err(Error::UnsupportedFormat),
    };
    let img = RgbImage::from_raw(w, h, rgb).ok_or(Error::CorruptImage(None))?;
    Ok((DynamicImage::ImageRgb8(img), orientation))
}

/// The stored bytes of each strip, as the StripOffsets/StripByteCounts tags place them.
fn strips<'a>(dec: &mut Decoder<Cursor<&[u8]>>, input: &'a [u8]) -> Result<Vec<&'a [u8]>, Error> {
    let offsets = dec
        .get_tag_u64_vec(Tag::StripOffsets)
        .map_err(Error::corrupt)?;
    let counts = dec
        .get_tag_u64_vec(Tag::StripByteCounts)
        .map_err(Error::corrupt)?;
    offsets
        .iter()
        .zip(&counts)
        .map(|(&off, &len)| {
            let start = usize::try_from(off).map_err(Error::corrupt)?;
            let len = usize::try_from(len).map_err(Error::corrupt)?;
            let end = start.checked_add(len).ok_or(Error::CorruptImage(None))?;
            input.get(start..end).ok_or(Error::CorruptImage(None))
        })
        .collect()
}

/// Decodes CCITT Group 4 strips with the `fax` crate directly (the tiff crate hands it each
/// strip's row count as a u16, which fails for strips of 65536 rows or more).
fn group4(
    dec: &mut Decoder<Cursor<&[u8]>>,
    input: &[u8],
    w: u32,
    h: u32,
) -> Result<Vec<u8>, Error> {
    let width = u16::try_from(w).map_err(|_| Error::UnsupportedFormat)?;
    let white = match dec.get_tag_u32(Tag::PhotometricInterpretation) {
        Ok(1) => 0u8,
        _ => 255u8,
    };
    let rows_per_strip = dec.get_tag_u32(Tag::RowsPerStrip).unwrap_or(h).max(1);
    let (wu, hu) = (w as usize, h as usize);
    let mut out = Vec::with_capacity(wu * hu);
    for strip in strips(dec, input)? {
        let want = (hu - out.len() / wu).min(rows_per_strip as usize);
        let mut rows = 0usize;
        fax::decoder::decode_g4(strip.iter().copied(), width, None, |line| {
            if rows < want {
                out.extend(fax::decoder::pels(line, width).map(|c| match c {
                    fax::Color::White => white,
                    fax::Color::Black => 255 - white,
                }));
                rows += 1;
            }
        });
        // A strip that ends early keeps what it decoded, like a truncated JPEG or PNG (the
        // fax decoder also stops one row short on strips of 65536 rows); nothing at all is corrupt.
        if rows == 0 {
            return Err(Error::CorruptImage(None));
        }
        out.resize(out.len() + (want - rows) * wu, white);
        if out.len() >= wu * hu {
            break;
        }
    }
    out.resize(wu * hu, white);
    Ok(out)
}

/// Reads the strips of an uncompressed, single-plane image as they are stored.
fn raw_strips(dec: &mut Decoder<Cursor<&[u8]>>, input: &[u8]) -> Result<Vec<u8>, Error> {
    let compression = dec.get_tag_u32(Tag::Compression).unwrap_or(1);
    if compression != 1 {
        return Err(Error::UnsupportedFormat);
    }
    let mut out = Vec::new();
    for strip in strips(dec, input)? {
        out.extend_from_slice(strip);
        if out.len() as u64 > MAX_DECODE_ALLOC {
            return Err(Error::ImageTooLarge);
        }
    }
    Ok(out)
}

/// A copy of `input` whose first IFD's RowsPerStrip is lowered to the image height when it is
/// larger (the spec's "one strip"; the tiff crate overflows on 2^32-1 with tall images).
pub fn clamp_rows_per_strip(input: &[u8]) -> Option<Vec<u8>> {
    let le = match input.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |b: &[u8], at: usize| -> Option<u32> {
        let x: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(u32::from(if le {
            u16::from_le_bytes(x)
        } else {
            u16::from_be_bytes(x)
        }))
    };
    let u32_at = |b: &[u8], at: usize| -> Option<u32> {
        let x: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(x)
        } else {
            u32::from_be_bytes(x)
        })
    };
    let ifd = u32_at(input, 4)? as usize;
    let n = u16_at(input, ifd)? as usize;
    let entry = |i: usize| ifd + 2 + 12 * i;
    let value = |i: usize| -> Option<u32> {
        match u16_at(input, entry(i) + 2)? {
            3 => u16_at(input, entry(i) + 8),
            4 => u32_at(input, entry(i) + 8),
            _ => None,
        }
    };
    let find = |tag: u32| (0..n).find(|&i| u16_at(input, entry(i)) == Some(tag));
    let height = value(find(257)?)?;
    let rows = find(278)?;
    if u32_at(input, entry(rows) + 4)? != 1 || u16_at(input, entry(rows) + 2)? != 4 {
        return None;
    }
    if value(rows)? <= height {
        return None;
    }
    let mut copy = input.to_vec();
    let bytes = if le {
        height.to_le_bytes()
    } else {
        height.to_be_bytes()
    };
    copy.get_mut(entry(rows) + 8..entry(rows) + 12)?
        .copy_from_slice(&bytes);
    Some(copy)
}

//! Format detection and decoding: content sniffing, the pixel budget (checked from the header,
//! before any pixel buffer exists), EXIF orientation and the first frame of animations.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::budget::Path;
use crate::jpeg::Fallback;
use crate::options::{MAX_DECODE_ALLOC, MAX_INPUT_PIXELS};
use crate::probe::{Facts, Kind};
use crate::{header, Error};

/// A decoded image, its orientation and the ICC profile it carried, if any.
pub struct Decoded {
    /// Pixels as stored (the orientation is applied after conversion to 8 bits).
    pub image: DynamicImage,
    /// The EXIF (or TIFF) orientation to apply.
    pub orientation: Orientation,
    /// The embedded ICC profile, if any.
    pub icc: Option<Vec<u8>>,
    /// Upright width and height of the source at full scale.
    pub full: (u32, u32),
    /// How `image` relates to the full-scale source when it was decoded at reduced scale.
    pub reduced: Option<Reduced>,
    /// Why the reduced-scale JPEG decoder handed the file to the full decoder, when it did.
    pub fallback: Option<Fallback>,
}

/// A reduced-scale decode: `image` pixel `(x, y)` covers full-scale pixels
/// `[f x - pad_x, f (x + 1) - pad_x)` (and likewise in y) for `f = factor`, in upright
/// coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reduced {
    /// Full-scale pixels per reduced pixel.
    pub factor: u32,
    /// Padding of the partial edge block when it ends up on the left (flipped) side.
    pub pad_x: u32,
    /// The same for the top.
    pub pad_y: u32,
}

impl Reduced {
    /// Maps a full-scale upright crop to the reduced image's coordinates.
    pub fn map(&self, (l, t, w, h): (u32, u32, u32, u32)) -> (f64, f64, f64, f64) {
        let f = f64::from(self.factor);
        (
            f64::from(l + self.pad_x) / f,
            f64::from(t + self.pad_y) / f,
            f64::from(w) / f,
            f64::from(h) / f,
        )
    }
}

/// Where the partial edge blocks of a `w` x `h` source land after `orientation`: the padding
/// (in full-scale pixels) before the upright image's first column and row.
fn edge_padding(w: u32, h: u32, orientation: Orientation) -> (u32, u32) {
    let pad = |n: u32| n.div_ceil(8) * 8 - n;
    // Orient a 2x2 image whose samples name their corner: bit 0 = right, bit 1 = bottom.
    let mut probe = DynamicImage::ImageLuma8(
        image::GrayImage::from_raw(2, 2, vec![0, 1, 2, 3]).unwrap_or_default(),
    );
    probe.apply_orientation(orientation);
    let probe = probe.to_luma8();
    let origin = probe.get_pixel(0, 0).0[0];
    let right = probe.get_pixel(1, 0).0[0];
    // Does the upright x axis run along the source's x axis (else y)?
    let x_is_x = (origin ^ right) & 1 == 1;
    let (x_src_pad, y_src_pad) = if x_is_x {
        (pad(w), pad(h))
    } else {
        (pad(h), pad(w))
    };
    let x_reversed = if x_is_x { origin & 1 } else { origin & 2 } != 0;
    let y_reversed = if x_is_x { origin & 2 } else { origin & 1 } != 0;
    (
        if x_reversed { x_src_pad } else { 0 },
        if y_reversed { y_src_pad } else { 0 },
    )
}

/// Detects the format from the bytes alone; only the accepted input formats pass.
pub fn detect(input: &[u8]) -> Result<ImageFormat, Error> {
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

/// Maps a codec error to the engine's error.
fn map_err(e: ImageError) -> Error {
    match e {
        ImageError::Limits(_) => Error::ImageTooLarge,
        ImageError::Unsupported(_) => Error::UnsupportedFormat,
        ImageError::Decoding(_) | ImageError::IoError(_) | ImageError::Parameter(_) => {
            Error::CorruptImage
        }
        ImageError::Encoding(_) => Error::Internal,
    }
}

/// The decoder limits: a cap on every allocation the codecs make. PNG's own decoder gets a
/// tighter one (its metadata and row buffers), which bounds an inflating `iCCP` profile.
fn limits(facts: Option<&Facts>) -> Limits {
    let mut l = Limits::default();
    l.max_alloc = Some(match facts.map(|f| &f.kind) {
        Some(Kind::Png { raw_row, out_row }) => {
            crate::budget::png_internal_limit(*raw_row, *out_row)
        }
        _ => MAX_DECODE_ALLOC,
    });
    l
}

/// What is known once a file is open, before any pixel is decoded.
#[derive(Debug, Clone)]
pub struct Header {
    /// Detected format.
    pub format: ImageFormat,
    /// The format's facts, when its header could be read.
    pub facts: Option<Facts>,
    /// Stored width and height (before orientation).
    pub size: (u32, u32),
    /// The decoder's output: channels and bytes per sample.
    pub native: (u32, u32),
    /// Whether the output has colour, and alpha.
    pub color: bool,
    /// Whether the output has alpha.
    pub alpha: bool,
    /// EXIF (or TIFF) orientation.
    pub orientation: Orientation,
    /// Whether the TIFF fallback decodes this file.
    pub tiff_fallback: bool,
    /// The input's length.
    pub input_len: u64,
}

impl Header {
    /// The size after orientation.
    pub fn upright(&self) -> (u32, u32) {
        upright(self.size.0, self.size.1, self.orientation)
    }

    /// Whether the orientation turns the image a quarter (a new buffer, not in place).
    pub fn quarter_turn(&self) -> bool {
        matches!(
            self.orientation,
            Orientation::Rotate90
                | Orientation::Rotate270
                | Orientation::Rotate90FlipH
                | Orientation::Rotate270FlipH
        )
    }
}

/// A file opened by its decoder, or by the TIFF fallback.
enum Opened<'a> {
    Image(Box<dyn ImageDecoder + 'a>),
    TiffFallback(ImageError),
}

/// Detects, checks the header, reads the facts and opens the decoder.
fn open(input: &[u8]) -> Result<(Header, Opened<'_>, Option<Vec<u8>>), Error> {
    let format = detect(input)?;
    header::precheck(format, input, MAX_INPUT_PIXELS)?;
    let facts = crate::probe::facts(format, input)?;
    if let Some(f) = &facts {
        check_size(f.width, f.height)?;
    }
    let mut reader = ImageReader::with_format(Cursor::new(input), format);
    reader.limits(limits(facts.as_ref()));
    let input_len = input.len() as u64;
    let mut decoder = match reader.into_decoder() {
        Ok(d) => d,
        Err(e) if format == ImageFormat::Tiff && tiff_fallback_applies(&e) => {
            let header = fallback_header(input, facts, &e)?;
            return Ok((header, Opened::TiffFallback(e), None));
        }
        Err(e) => return Err(map_err(e)),
    };
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Error::CorruptImage);
    }
    check_size(w, h)?;
    // Metadata problems never fail the image: a broken EXIF block means "no orientation",
    // a broken ICC profile means "assume sRGB". Where the decoder finds no orientation, the
    // container's own EXIF chunk is read (WebP `Exif\0\0`-prefixed, PNG `eXIf` after `IDAT`).
    let orientation = match decoder.orientation() {
        Ok(o) if o != Orientation::NoTransforms => o,
        _ => crate::exif::orientation(format, input).unwrap_or(Orientation::NoTransforms),
    };
    let icc = decoder
        .icc_profile()
        .ok()
        .flatten()
        .filter(|p| p.len() as u64 <= crate::budget::METADATA_CAP);
    let color = decoder.color_type();
    let header = Header {
        format,
        facts,
        size: (w, h),
        native: (
            u32::from(color.channel_count()),
            u32::from(color.bytes_per_pixel() / color.channel_count()),
        ),
        color: color.has_color(),
        alpha: color.has_alpha(),
        orientation,
        tiff_fallback: false,
        input_len,
    };
    Ok((header, Opened::Image(Box::new(decoder)), icc))
}

/// The header of a TIFF that the fallback decodes; the fallback's own refusal as unsupported
/// gives way to image's error, as when decoding.
fn fallback_header(
    input: &[u8],
    facts: Option<Facts>,
    original: &ImageError,
) -> Result<Header, Error> {
    let (w, h, orientation, channels) = match crate::tiff_fallback::header(input) {
        Ok(v) => v,
        Err(Error::UnsupportedFormat) => {
            return Err(match original {
                ImageError::Unsupported(_) => Error::UnsupportedFormat,
                _ => Error::CorruptImage,
            })
        }
        Err(e) => return Err(e),
    };
    Ok(Header {
        format: ImageFormat::Tiff,
        facts,
        size: (w, h),
        native: (channels, 1),
        color: channels == 3,
        alpha: false,
        orientation,
        tiff_fallback: true,
        input_len: input.len() as u64,
    })
}

/// The pixel budget and the longest side, as a header declares them.
fn check_size(w: u32, h: u32) -> Result<(), Error> {
    if u64::from(w) * u64::from(h) > MAX_INPUT_PIXELS || w.max(h) > crate::budget::MAX_SIDE {
        return Err(Error::ImageTooLarge);
    }
    Ok(())
}

/// Reads what [`decode`] would decide from, without decoding.
pub fn header(input: &[u8]) -> Result<Header, Error> {
    open(input).map(|(h, _, _)| h)
}

/// Decodes `input`: open it, ask `choose` how (it sees the header and whether the reduced-scale
/// JPEG decoder may be used, checks the budget and answers the path or a refusal), decode the
/// first frame. When the reduced-scale decoder cannot take the file, `choose` is asked again
/// for the full decoder. The image is not yet turned by its orientation.
pub fn decode(
    input: &[u8],
    mut choose: impl FnMut(&Header, bool) -> Result<Path, Error>,
) -> Result<Decoded, Error> {
    let patched = match detect(input) {
        Ok(ImageFormat::Tiff) => crate::tiff_fallback::clamp_rows_per_strip(input),
        _ => None,
    };
    let input = patched.as_deref().unwrap_or(input);
    let (header, opened, icc) = open(input)?;
    let decoder = match opened {
        Opened::Image(d) => d,
        Opened::TiffFallback(original) => {
            choose(&header, false)?;
            return tiff_fallback(input, original);
        }
    };
    let (w, h) = header.size;
    let full = header.upright();
    let mut fallback = None;
    if let Path::Scaled(scale) = choose(&header, header.format == ImageFormat::Jpeg)? {
        match crate::jpeg::decode(input, scale) {
            Ok(image) => {
                let (pad_x, pad_y) = edge_padding(w, h, header.orientation);
                return Ok(Decoded {
                    image,
                    icc,
                    full,
                    orientation: header.orientation,
                    reduced: Some(Reduced {
                        factor: scale.factor(),
                        pad_x,
                        pad_y,
                    }),
                    fallback: None,
                });
            }
            Err(why) => fallback = Some(why),
        }
        choose(&header, false)?;
    }
    let image = match DynamicImage::from_decoder(decoder) {
        Ok(i) => i,
        Err(e) if header.format == ImageFormat::Tiff && tiff_fallback_applies(&e) => {
            choose(&fallback_header(input, header.facts.clone(), &e)?, false)?;
            return tiff_fallback(input, e);
        }
        Err(e) => return Err(map_err(e)),
    };
    Ok(Decoded {
        full,
        image,
        icc,
        orientation: header.orientation,
        reduced: None,
        fallback,
    })
}

/// The size after `orientation`: quarter turns swap width and height.
fn upright(w: u32, h: u32, orientation: Orientation) -> (u32, u32) {
    match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (h, w),
        _ => (w, h),
    }
}

/// image refuses some valid TIFF flavours as unsupported; those get a second chance.
fn tiff_fallback_applies(e: &ImageError) -> bool {
    matches!(e, ImageError::Unsupported(_) | ImageError::Decoding(_))
}

fn tiff_fallback(input: &[u8], original: ImageError) -> Result<Decoded, Error> {
    let (image, orientation) = match crate::tiff_fallback::decode(input) {
        Ok(v) => v,
        Err(Error::UnsupportedFormat) => return Err(map_err(original)),
        Err(e) => return Err(e),
    };
    Ok(Decoded {
        full: upright(image.width(), image.height(), orientation),
        image,
        icc: None,
        orientation,
        reduced: None,
        fallback: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

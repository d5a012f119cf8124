//! Format detection and decoding: content sniffing, the pixel budget (checked from the header,
//! before any pixel buffer exists), EXIF orientation and the first frame of animations.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::budget::Path;
use crate::geometry::Rect;
use crate::jpeg::{Fallback, Scale};
use crate::limits::MAX_DECODE_ALLOC;
use crate::probe::{Facts, Kind};
use crate::LIMITS;
use crate::{declared, Error};

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
    pub fn map(&self, crop: Rect) -> Rect<f64> {
        let f = f64::from(self.factor);
        Rect::new(
            f64::from(crop.left + self.pad_x) / f,
            f64::from(crop.top + self.pad_y) / f,
            f64::from(crop.width) / f,
            f64::from(crop.height) / f,
        )
    }
}

/// Maps a codec error to the engine's error.
fn map_err(e: ImageError) -> Error {
    match e {
        ImageError::Limits(_) => Error::ImageTooLarge,
        ImageError::Unsupported(_) => Error::UnsupportedFormat,
        ImageError::Decoding(_) | ImageError::IoError(_) | ImageError::Parameter(_) => {
            Error::corrupt(e)
        }
        ImageError::Encoding(_) => Error::internal(e),
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
        crate::orient::upright(self.size.0, self.size.1, self.orientation)
    }

    /// Whether the orientation turns the image a quarter (a new buffer, not in place).
    pub fn quarter_turn(&self) -> bool {
        crate::orient::axes(self.orientation).transpose
    }
}

/// A file opened by its decoder, or by the TIFF fallback.
enum Opened<'a> {
    Image(Box<dyn ImageDecoder + 'a>),
    TiffFallback(ImageError),
}

/// Detects, checks the header, reads the facts and opens the decoder.
fn open(input: &[u8]) -> Result<(Header, Opened<'_>, Option<Vec<u8>>), Error> {
    let format = crate::probe::format(input)?;
    declared::precheck(format, input, LIMITS.max_input_pixels)?;
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
        return Err(Error::CorruptImage(None));
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
        .filter(|p| p.len() as u64 <= LIMITS.metadata_cap);
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
                _ => Error::CorruptImage(None),
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
    if u64::from(w) * u64::from(h) > LIMITS.max_input_pixels || w.max(h) > LIMITS.max_side {
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
    choose: impl FnMut(&Header, bool) -> Result<Path, Error>,
) -> Result<Decoded, Error> {
    decode_using(input, choose, &mut Vec::new())
}

/// [`decode`], taking the reduced-scale image from `made` when it holds one at the scale
/// `choose` answers (made by [`crate::jpeg::decode_scales`], so the same image the
/// reduced-scale decoder would give); every other step as in [`decode`].
pub fn decode_using(
    input: &[u8],
    mut choose: impl FnMut(&Header, bool) -> Result<Path, Error>,
    made: &mut Vec<(Scale, DynamicImage)>,
) -> Result<Decoded, Error> {
    let patched = match crate::probe::format(input) {
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
    let mut decoder = Some(decoder);
    if let Path::Scaled(scale) = choose(&header, header.format == ImageFormat::Jpeg)? {
        // The image crate's JPEG decoder holds a copy of the whole input: not kept alive
        // beside the reduced-scale decode's peak (1.5 MB of 34 on a 13 MP photo), opened
        // again in the rare case the reduced-scale decoder declines the file.
        decoder = None;
        let ready = made
            .iter()
            .position(|(s, _)| *s == scale)
            .map(|i| made.swap_remove(i).1);
        match ready.map_or_else(|| crate::jpeg::decode(input, scale), Ok) {
            Ok(image) => {
                let (pad_x, pad_y) = crate::orient::edge_padding(w, h, header.orientation);
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
    let decoder = match decoder {
        Some(d) => d,
        None => match open(input)?.1 {
            Opened::Image(d) => d,
            Opened::TiffFallback(e) => return Err(map_err(e)),
        },
    };
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
        full: crate::orient::upright(image.width(), image.height(), orientation),
        image,
        icc: None,
        orientation,
        reduced: None,
        fallback: None,
    })
}

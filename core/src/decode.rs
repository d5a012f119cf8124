//! Format detection and decoding: content sniffing, the pixel budget (checked from the header,
//! before any pixel buffer exists), EXIF orientation and the first frame of animations.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::options::{MAX_DECODE_ALLOC, MAX_INPUT_PIXELS};
use crate::{header, Error};

/// A decoded, upright image and the ICC profile it carried, if any.
pub struct Decoded {
    /// Pixels, already rotated/flipped by the EXIF orientation.
    pub image: DynamicImage,
    /// The embedded ICC profile, if any.
    pub icc: Option<Vec<u8>>,
}

/// Detects the format from the bytes alone; only the accepted input formats pass.
pub fn detect(input: &[u8]) -> Result<ImageFormat, Error> {
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

/// The decoder limits: a cap on every allocation the codecs make.
fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_alloc = Some(MAX_DECODE_ALLOC);
    l
}

/// Decodes `input`: detect, check the declared size against the budget, then decode the first
/// frame and apply the EXIF orientation.
pub fn decode(input: &[u8]) -> Result<Decoded, Error> {
    let format = detect(input)?;
    header::precheck(format, input, MAX_INPUT_PIXELS)?;
    let patched = match format {
        ImageFormat::Tiff => crate::tiff_fallback::clamp_rows_per_strip(input),
        _ => None,
    };
    let input = patched.as_deref().unwrap_or(input);
    let mut reader = ImageReader::with_format(Cursor::new(input), format);
    reader.limits(limits());
    let mut decoder = match reader.into_decoder() {
        Ok(d) => d,
        Err(e) if format == ImageFormat::Tiff && tiff_fallback_applies(&e) => {
            return tiff_fallback(input, e);
        }
        Err(e) => return Err(map_err(e)),
    };
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Error::CorruptImage);
    }
    if u64::from(w) * u64::from(h) > MAX_INPUT_PIXELS {
        return Err(Error::ImageTooLarge);
    }
    // Metadata problems never fail the image: a broken EXIF block means "no orientation",
    // a broken ICC profile means "assume sRGB".
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = match DynamicImage::from_decoder(decoder) {
        Ok(i) => i,
        Err(e) if format == ImageFormat::Tiff && tiff_fallback_applies(&e) => {
            return tiff_fallback(input, e);
        }
        Err(e) => return Err(map_err(e)),
    };
    image.apply_orientation(orientation);
    Ok(Decoded { image, icc })
}

/// image refuses some valid TIFF flavours as unsupported; those get a second chance.
fn tiff_fallback_applies(e: &ImageError) -> bool {
    matches!(e, ImageError::Unsupported(_) | ImageError::Decoding(_))
}

fn tiff_fallback(input: &[u8], original: ImageError) -> Result<Decoded, Error> {
    let (mut image, orientation) = match crate::tiff_fallback::decode(input) {
        Ok(v) => v,
        Err(Error::UnsupportedFormat) => return Err(map_err(original)),
        Err(e) => return Err(e),
    };
    image.apply_orientation(orientation);
    Ok(Decoded { image, icc: None })
}

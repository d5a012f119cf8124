//! thumbprint-core: the deterministic thumbnail engine.
//!
//! `thumbnail(bytes, options)` returns the same bytes on x86_64, aarch64 and wasm32, with or
//! without SIMD. The crate does no IO, uses no threads, clock or randomness, and calls no
//! platform maths library: resampling weights come from the `libm` crate and are rounded to
//! fixed point, and every codec used is bit-exact across its SIMD and scalar paths (the parity
//! vectors in `tests/parity` prove it on every target).

mod avif;
mod budget;
mod bytes;
mod color;
mod declared;
mod decode;
mod encode;
mod error;
mod exif;
mod geometry;
mod jpeg;
mod limits;
mod options;
mod orient;
mod pixels;
mod plan;
mod probe;
mod resize;
mod set;
mod tiff_fallback;
mod warm;
mod webp;

use sha2::{Digest, Sha256};

pub use budget::Footprint;
pub use error::{Cause, Error, ErrorCode, UnknownErrorCode};
pub use jpeg::{Fallback, Scale};
pub use limits::{Limits, LIMITS};
pub use options::{
    Fit, Format, Options, RawValue, DEFAULT_AVIF_QUALITY, DEFAULT_QUALITY, DEFAULT_WIDTH,
    OPTION_NAMES,
};
pub use plan::{inspect, Inspection};
pub use set::{thumbnails, MAX_SET};
pub use warm::warm_up;

/// Entry points for `benches/entropy.py` only (through the bench worker).
#[doc(hidden)]
pub mod benching {
    /// The reduced-scale JPEG decoder alone: whether it decoded.
    pub fn jpeg_scaled(data: &[u8], scale: crate::Scale) -> bool {
        crate::jpeg::decode(data, scale).is_ok()
    }

    /// Every scan entropy-decoded with all 64 coefficients of every block stored (a full
    /// decode's entropy work, no IDCT): the number of blocks, or `None` if the reduced-scale
    /// decoder would not take the file.
    pub fn jpeg_coefficients(data: &[u8]) -> Option<usize> {
        crate::jpeg::coefficients(data).ok()
    }

    /// The baseline JPEG encoder alone: `pixels` gray (`channels` 1) or RGB (3).
    pub fn jpeg_encode(
        pixels: &[u8],
        width: u32,
        height: u32,
        channels: usize,
        quality: u8,
    ) -> Option<Vec<u8>> {
        crate::jpeg::encode(pixels, width, height, channels, quality, usize::MAX).ok()
    }
}

/// Entry points for the fuzz targets only (`cargo fuzz` builds with `--cfg fuzzing`).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    /// The reduced-scale JPEG decoder alone, at 1/8 (`scale` 0), 1/4 (1) or 1/2 (otherwise):
    /// whether it decoded (the caller would otherwise fall back to the full decoder).
    pub fn jpeg_scaled(data: &[u8], scale: u8) -> bool {
        let scale = match scale {
            0 => crate::jpeg::Scale::Eighth,
            1 => crate::jpeg::Scale::Quarter,
            _ => crate::jpeg::Scale::Half,
        };
        crate::jpeg::decode(data, scale).is_ok()
    }

    /// Encodes `data` (`width` x `height` pixels of `channels` 1..=4 samples: grey, grey+alpha,
    /// RGB, RGBA) as `format`, as the last stage of a thumbnail would.
    pub fn encode(
        data: Vec<u8>,
        width: u32,
        height: u32,
        channels: usize,
        format: crate::Format,
        quality: u8,
        lossless: bool,
    ) -> Result<Vec<u8>, crate::Error> {
        use crate::pixels::{Layout, Pixels};
        let layout = [Layout::Gray, Layout::GrayAlpha, Layout::Rgb, Layout::Rgba][channels - 1];
        let image = Pixels {
            data,
            width,
            height,
            layout,
        };
        let format = crate::encode::resolve(format, &image, lossless);
        crate::encode::encode(&image, format, quality, lossless)
    }

    /// The pixels a JPEG's frame header declares, when it has one.
    pub fn jpeg_declared_pixels(data: &[u8]) -> Option<u64> {
        crate::declared::jpeg_frame(data).map(|f| u64::from(f.width) * u64::from(f.height))
    }
}

/// The engine version. It changes whenever any output byte can change for some input; the
/// parity vectors are recorded against it.
pub const ENGINE_VERSION: &str = "9";

/// A finished thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The output format.
    pub format: Format,
    /// A strong ETag derived from the bytes (quoted, as it goes in the header).
    pub etag: String,
    /// Why the reduced-scale JPEG decoder handed the file to the full decoder, when it did (for
    /// logs; the bytes are the full decoder's).
    pub fallback: Option<Fallback>,
}

impl Thumbnail {
    /// The MIME type of the bytes.
    pub fn mime(&self) -> &'static str {
        self.format.mime()
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

/// The strong ETag of a thumbnail's bytes: the first 128 bits of their SHA-256, quoted.
pub fn etag_for(bytes: &[u8]) -> String {
    format!("\"{}\"", &sha256_hex(bytes)[..32])
}

/// Turns `input` (an encoded image in any accepted format) into a thumbnail.
///
/// The stages, in order (each its own module, named here in backticks):
/// 1. **probe** (`probe`): sniff the format from the bytes, check the header's declared size
///    against the pixel budget, read the facts that decide memory and work;
/// 2. **plan** (`plan`, `geometry`): the output size and crop, the decode scale, and the
///    predicted memory of every stage, refused with `image_too_large` before any pixel buffer
///    exists when over [`Limits::engine_memory`] ([`inspect`] shows this decision);
/// 3. **decode** at that scale (`decode`; the reduced-scale JPEG decoder in `jpeg`, which may
///    hand the file back to the full decoder with a [`Fallback`] reason);
/// 4. **upright**: 8-bit samples, turned by the EXIF orientation (`orient`, `pixels`);
/// 5. **resize** the crop to the output size (`resize`);
/// 6. **colour**: an embedded ICC profile converted to sRGB, on the thumbnail (`color`);
/// 7. **encode** (`encode`) under [`Limits::max_output_bytes`].
pub fn thumbnail(input: &[u8], options: &Options) -> Result<Thumbnail, Error> {
    options.validate()?;
    // 1-3: the decoder probes the file and asks the plan for the path before decoding.
    let decoded = decode::decode(input, |header, scaled_ok| {
        plan::admitted(header, options, scaled_ok)
    })?;
    // 4.
    let image = pixels::Pixels::upright(decoded.image, decoded.orientation);
    let meta = Intermediate {
        full: decoded.full,
        reduced: decoded.reduced,
        icc: decoded.icc,
        fallback: decoded.fallback,
    };
    finish(std::borrow::Cow::Owned(image), &meta, options)
}

/// What steps 5-7 need besides the upright pixels: shared by every member of a set decoded at
/// the same scale ([`thumbnails`]).
pub(crate) struct Intermediate {
    full: (u32, u32),
    reduced: Option<decode::Reduced>,
    icc: Option<Vec<u8>>,
    fallback: Option<Fallback>,
}

/// Steps 5-7 of [`thumbnail`] on upright pixels (borrowed when a set's members share them).
pub(crate) fn finish(
    image: std::borrow::Cow<'_, pixels::Pixels>,
    meta: &Intermediate,
    options: &Options,
) -> Result<Thumbnail, Error> {
    // 5: the plan in upright full-scale pixels, mapped onto a reduced-scale decode.
    let (sw, sh) = meta.full;
    let plan = geometry::plan(sw, sh, options);
    let source = match meta.reduced {
        Some(r) => resize::Source::Reduced(image.width, image.height, r.map(plan.crop)),
        None => resize::Source::Full(image.width, image.height),
    };
    let mut image = resize::resize(image, source, &plan)?;
    // 6: on the thumbnail, not the source: the same result up to the resampling order (as in
    // libvips' thumbnail), at a fraction of the cost.
    if let Some(icc) = meta.icc.as_deref() {
        color::to_srgb(&mut image, icc);
    }
    // 7.
    let format = encode::resolve(options.format, &image, options.lossless);
    let quality = Options { format, ..*options }.effective_quality();
    let bytes = encode::encode(&image, format, quality, options.lossless)?;
    if bytes.len() > LIMITS.max_output_bytes {
        return Err(Error::OutputTooLarge);
    }
    Ok(Thumbnail {
        etag: etag_for(&bytes),
        bytes,
        width: plan.width,
        height: plan.height,
        format,
        fallback: meta.fallback,
    })
}

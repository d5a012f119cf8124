//! thumbprint-core: the deterministic thumbnail engine.
//!
//! `thumbnail(bytes, options)` returns the same bytes on x86_64, aarch64 and wasm32, with or
//! without SIMD. The crate does no IO, uses no threads, clock or randomness, and calls no
//! platform maths library: resampling weights come from the `libm` crate and are rounded to
//! fixed point, and every codec used is bit-exact across its SIMD and scalar paths (the parity
//! vectors in `tests/parity` prove it on every target).

mod color;
mod decode;
mod encode;
mod error;
pub mod geometry;
pub mod header;
mod jpeg_scaled;
mod options;
mod resize;
mod tiff_fallback;

use sha2::{Digest, Sha256};

pub use error::{Error, ErrorCode};
pub use options::{
    parse_u32, Fit, Format, Options, RawOptions, RawValue, DEFAULT_QUALITY, DEFAULT_WIDTH,
    MAX_DECODE_ALLOC, MAX_DIMENSION, MAX_INPUT_BYTES, MAX_INPUT_PIXELS, MAX_OUTPUT_BYTES,
    OPTION_NAMES,
};

/// The engine version. It changes whenever any output byte can change for some input; the
/// parity vectors are recorded against it.
pub const ENGINE_VERSION: &str = "4";

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

/// How much smaller than full scale a JPEG is decoded for `plan` (see `jpeg_scaled`): 8 when
/// the output is at most 1/8 of the crop (each sample is then its block's exact mean, a fine
/// source for the final filter); 2 when the half-scale crop is still at least 1.5 times the
/// output (the 4x4 IDCT keeps only each block's lowest frequencies, so the final filter needs
/// room to smooth their block edges: 1.5x keeps PSNR above libvips' on the benchmark photos,
/// 1x fell 6 dB, below it); else 1.
fn reduction(plan: &geometry::Plan) -> u32 {
    // `output * ratio <= crop` in both axes.
    let fits = |ratio: u64| {
        u64::from(plan.width) * ratio <= u64::from(plan.crop.2)
            && u64::from(plan.height) * ratio <= u64::from(plan.crop.3)
    };
    if fits(8) {
        8
    } else if fits(3) {
        2
    } else {
        1
    }
}

/// Turns `input` (an encoded image in any accepted format) into a thumbnail.
pub fn thumbnail(input: &[u8], options: &Options) -> Result<Thumbnail, Error> {
    options.validate()?;
    let decoded = decode::decode(input, |w, h| reduction(&geometry::plan(w, h, options)))?;
    let image = decoded.image;
    let (sw, sh) = decoded.full;
    let (iw, ih) = (image.width(), image.height());
    let has_alpha = image.color().has_alpha();
    let is_gray = !image.color().has_color();
    let (pixels, channels) = match (is_gray, has_alpha) {
        (true, false) => (image.into_luma8().into_raw(), 1),
        (true, true) => (image.into_luma_alpha8().into_raw(), 2),
        (false, false) => (image.into_rgb8().into_raw(), 3),
        (false, true) => (image.into_rgba8().into_raw(), 4),
    };
    let plan = geometry::plan(sw, sh, options);
    let source = match decoded.reduced {
        Some(r) => resize::Source::Reduced(iw, ih, r.map(plan.crop)),
        None => resize::Source::Full(iw, ih),
    };
    let mut resized = resize::resize(&pixels, source, channels, &plan)?;
    drop(pixels);
    // Colour conversion runs on the thumbnail, not the source: the same result up to the
    // resampling order (as in libvips' thumbnail), at a fraction of the cost.
    if let (Some(icc), 3 | 4) = (decoded.icc.as_deref(), channels) {
        color::to_srgb(&mut resized, channels, icc);
    }
    let bytes = encode::encode(
        &resized,
        plan.width,
        plan.height,
        channels,
        options.format,
        options.effective_quality(),
    )?;
    if bytes.len() > MAX_OUTPUT_BYTES {
        return Err(Error::OutputTooLarge);
    }
    Ok(Thumbnail {
        etag: etag_for(&bytes),
        bytes,
        width: plan.width,
        height: plan.height,
        format: options.format,
    })
}

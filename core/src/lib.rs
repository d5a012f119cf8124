//! thumbprint-core: the deterministic thumbnail engine.
//!
//! `thumbnail(bytes, options)` returns the same bytes on x86_64, aarch64 and wasm32, with or
//! without SIMD. The crate does no IO, uses no threads, clock or randomness, and calls no
//! platform maths library: resampling weights come from the `libm` crate and are rounded to
//! fixed point, and every codec used is bit-exact across its SIMD and scalar paths (the parity
//! vectors in `tests/parity` prove it on every target).

pub mod budget;
mod bytes;
mod color;
mod decode;
mod encode;
mod error;
mod exif;
pub mod geometry;
pub mod header;
mod jpeg;
mod options;
mod probe;
mod resize;
mod tiff_fallback;

use image::DynamicImage;
use sha2::{Digest, Sha256};

pub use budget::{Footprint, ENGINE_MEMORY, MEMORY_BUDGET};

/// Entry points for the fuzz targets only (`cargo fuzz` builds with `--cfg fuzzing`).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    /// The reduced-scale JPEG decoder alone, at 1/8 (`half` false) or 1/2: whether it decoded
    /// (the caller would otherwise fall back to the full decoder).
    pub fn jpeg_scaled(data: &[u8], half: bool) -> bool {
        let scale = if half {
            crate::jpeg::Scale::Half
        } else {
            crate::jpeg::Scale::Eighth
        };
        crate::jpeg::decode(data, scale).is_ok()
    }
}
pub use error::{Error, ErrorCode, UnknownErrorCode};
pub use jpeg::{Fallback, Scale};
pub use options::{
    parse_u32, Fit, Format, Options, RawOptions, RawValue, DEFAULT_QUALITY, DEFAULT_WIDTH,
    MAX_DECODE_ALLOC, MAX_DIMENSION, MAX_INPUT_BYTES, MAX_INPUT_PIXELS, MAX_OUTPUT_BYTES,
    OPTION_NAMES,
};

/// The engine version. It changes whenever any output byte can change for some input; the
/// parity vectors are recorded against it.
pub const ENGINE_VERSION: &str = "6";

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

/// The scale a JPEG is decoded at for `plan`: 1/8 when the output is at most 1/8 of the crop
/// (each sample is then its block's exact mean, a fine source for the final filter); 1/2 when
/// the half-scale crop is still at least 1.5 times the output (the 4x4 IDCT keeps only each
/// block's lowest frequencies, so the final filter needs room to smooth their block edges: 1.5x
/// keeps PSNR above libvips' on the benchmark photos, 1x fell 6 dB, below it); else full scale.
fn reduction(plan: &geometry::Plan) -> Option<jpeg::Scale> {
    // `output * ratio <= crop` in both axes.
    let fits = |ratio: u64| {
        u64::from(plan.width) * ratio <= u64::from(plan.crop.2)
            && u64::from(plan.height) * ratio <= u64::from(plan.crop.3)
    };
    if fits(8) {
        Some(jpeg::Scale::Eighth)
    } else if fits(3) {
        Some(jpeg::Scale::Half)
    } else {
        None
    }
}

/// What the engine decided for one input and options, before decoding: see [`inspect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The detected format (`"png"`, `"jpeg"`, ...).
    pub format: &'static str,
    /// Upright width of the source.
    pub width: u32,
    /// Upright height of the source.
    pub height: u32,
    /// Thumbnail width.
    pub out_width: u32,
    /// Thumbnail height.
    pub out_height: u32,
    /// How the source is decoded: `"full"`, `"1/2"`, `"1/8"` or `"tiff-fallback"`.
    pub path: &'static str,
    /// Predicted bytes at each stage.
    pub footprint: Footprint,
    /// The same for the full decoder, when the reduced-scale one may hand the file to it.
    pub fallback: Option<Footprint>,
    /// Whether the run fits [`budget::ENGINE_MEMORY`]; when not, the engine refuses the file
    /// with `image_too_large` after opening it.
    pub admitted: bool,
}

/// Decides the decode path for `header` and predicts its footprint.
fn admit(header: &decode::Header, options: &Options, scaled_ok: bool) -> (budget::Path, Footprint) {
    let (uw, uh) = header.upright();
    let plan = geometry::plan(uw, uh, options);
    let path = if header.tiff_fallback {
        budget::Path::TiffFallback
    } else if scaled_ok {
        reduction(&plan).map_or(budget::Path::Full, budget::Path::Scaled)
    } else {
        budget::Path::Full
    };
    let (w, h) = header.size;
    let (decoded, native, source) = match path {
        budget::Path::Scaled(scale) => {
            let d = scale.decoded_size(w, h);
            let channels = if header.color { 3 } else { 1 };
            let r = decode::Reduced {
                factor: scale.factor(),
                pad_x: 0,
                pad_y: 0,
            };
            let (sw, sh) = if header.quarter_turn() { (d.1, d.0) } else { d };
            (
                d,
                (channels, 1),
                resize::Source::Reduced(sw, sh, r.map(plan.crop)),
            )
        }
        _ => (header.size, header.native, resize::Source::Full(uw, uh)),
    };
    let channels = match (header.color, header.alpha) {
        (false, false) => 1,
        (false, true) => 2,
        (true, false) => 3,
        (true, true) => 4,
    };
    let channels = if matches!(path, budget::Path::Scaled(_)) {
        native.0
    } else {
        channels
    };
    let strategy = resize::Strategy::new(&source, &plan, channels);
    let footprint = budget::footprint(&budget::Job {
        facts: header.facts.as_ref(),
        input_len: header.input_len,
        decoded,
        native,
        channels,
        quarter_turn: header.quarter_turn(),
        path,
        plan: &plan,
        strategy: &strategy,
        format: options.format,
    });
    (path, footprint)
}

/// Reads the header of `input` and says what [`thumbnail`] would do with it and `options`: the
/// decode path and the predicted memory of each stage. Nothing is decoded.
pub fn inspect(input: &[u8], options: &Options) -> Result<Inspection, Error> {
    options.validate()?;
    let header = decode::header(input)?;
    let scaled_ok = header.format == image::ImageFormat::Jpeg;
    let (path, footprint) = admit(&header, options, scaled_ok);
    let fallback =
        matches!(path, budget::Path::Scaled(_)).then(|| admit(&header, options, false).1);
    let (uw, uh) = header.upright();
    let plan = geometry::plan(uw, uh, options);
    Ok(Inspection {
        format: header
            .format
            .extensions_str()
            .first()
            .copied()
            .unwrap_or("?"),
        width: uw,
        height: uh,
        out_width: plan.width,
        out_height: plan.height,
        path: match path {
            budget::Path::Full => "full",
            budget::Path::Scaled(scale) => scale.name(),
            budget::Path::TiffFallback => "tiff-fallback",
        },
        admitted: footprint.peak() <= budget::ENGINE_MEMORY,
        footprint,
        fallback,
    })
}

/// Turns `input` (an encoded image in any accepted format) into a thumbnail.
pub fn thumbnail(input: &[u8], options: &Options) -> Result<Thumbnail, Error> {
    options.validate()?;
    let decoded = decode::decode(input, |header, scaled_ok| {
        let (path, footprint) = admit(header, options, scaled_ok);
        if footprint.peak() > budget::ENGINE_MEMORY {
            return Err(Error::ImageTooLarge);
        }
        Ok(path)
    })?;
    let image = decoded.image;
    let (sw, sh) = decoded.full;
    let has_alpha = image.color().has_alpha();
    let is_gray = !image.color().has_color();
    // 8-bit samples first, then the orientation (a permutation, so the order does not change a
    // byte; turning the smaller buffer keeps the peak lower).
    let mut image = match (is_gray, has_alpha) {
        (true, false) => DynamicImage::ImageLuma8(image.into_luma8()),
        (true, true) => DynamicImage::ImageLumaA8(image.into_luma_alpha8()),
        (false, false) => DynamicImage::ImageRgb8(image.into_rgb8()),
        (false, true) => DynamicImage::ImageRgba8(image.into_rgba8()),
    };
    image.apply_orientation(decoded.orientation);
    let (iw, ih) = (image.width(), image.height());
    let channels = usize::from(image.color().channel_count());
    let pixels = image.into_bytes();
    let plan = geometry::plan(sw, sh, options);
    let source = match decoded.reduced {
        Some(r) => resize::Source::Reduced(iw, ih, r.map(plan.crop)),
        None => resize::Source::Full(iw, ih),
    };
    let mut resized = resize::resize(pixels, source, channels, &plan)?;
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
        fallback: decoded.fallback,
    })
}

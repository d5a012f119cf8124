//! The resource budget: what one engine run may use, and the model that predicts, before any
//! large allocation, how much memory a file will take with given options.
//!
//! The model follows the pipeline's stages (decode, conversion to 8 bits, orientation, resize,
//! colour, encode) and adds up the buffers alive in each; the peak is the largest stage. Every
//! term is an upper bound, checked against measured peaks (the hostile test in `tests/` runs
//! every corpus and hostile file in a child process and compares its peak RSS with
//! [`crate::inspect`]'s prediction). The caps on work that no header bounds (JPEG scans, TIFF
//! strips and tiles, compressed metadata) are counts, never clocks, so every target refuses the
//! same files.

use crate::jpeg::Scale;
use crate::LIMITS;
use image::ImageFormat;

use crate::geometry::Plan;
use crate::options::Format;
use crate::pixels::Layout;
use crate::probe::{Facts, Kind};
use crate::resize::Strategy;

const MIB: u64 = 1024 * 1024;

/// How a JPEG is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// The format's own decoder, at full scale.
    Full,
    /// The reduced-scale JPEG decoder.
    Scaled(Scale),
    /// The TIFF fallback (the tiff crate directly, for flavours image refuses).
    TiffFallback,
}

/// Bytes alive at each stage of one engine run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Opening the file (header parsing, the decoder's copy of the input, capped metadata).
    pub open: u64,
    /// Decoding: the decoded image and the decoder's working memory.
    pub decode: u64,
    /// Converting to 8-bit samples (both buffers).
    pub convert: u64,
    /// Turning by the EXIF orientation.
    pub orient: u64,
    /// Resizing: source, intermediate, filter tables, result.
    pub resize: u64,
    /// Encoding: the thumbnail, the encoder's working memory and its output.
    pub encode: u64,
}

impl Footprint {
    /// The largest stage.
    pub fn peak(&self) -> u64 {
        [
            self.open,
            self.decode,
            self.convert,
            self.orient,
            self.resize,
            self.encode,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }
}

/// What the model needs about one run.
pub struct Job<'a> {
    /// The file's facts (`None`: the header did not say; the decoder's figures are used).
    pub facts: Option<&'a Facts>,
    /// The input's length.
    pub input_len: u64,
    /// Decoded width and height (stored orientation), at the path's scale.
    pub decoded: (u32, u32),
    /// Channels and bytes per sample of the decoder's output.
    pub native: (u32, u32),
    /// The pixels after conversion to 8 bits.
    pub layout: Layout,
    /// Whether the orientation turns the image a quarter.
    pub quarter_turn: bool,
    /// The decode path.
    pub path: Path,
    /// The resize plan (output size) and how the resize will run.
    pub plan: &'a Plan,
    /// The resize strategy for the decoded image.
    pub strategy: &'a Strategy,
    /// The output format.
    pub format: Format,
}

/// What the engine holds however small the image: the (capped) ICC profile and its parse,
/// colour tables, codec state.
const FIXED: u64 = 3 * LIMITS.metadata_cap + 4 * MIB;

/// The memory PNG's own decoder may allocate (metadata, row buffers): also its limit.
pub fn png_internal_limit(raw_row: u64, out_row: u64) -> u64 {
    LIMITS.metadata_cap + 2 * raw_row + out_row + MIB
}

/// The decode stage's own bytes (the decoded image at its native depth and the codec's
/// working memory), by the path taken and what the format declares.
fn decode_bytes(job: &Job<'_>, (w, h): (u64, u64), native: u64) -> u64 {
    let px = w * h;
    let kind = job.facts.map(|f| &f.kind);
    match (job.path, kind) {
        (Path::Scaled(scale), Some(Kind::Jpeg(shape))) => {
            let n = scale.samples_per_block() as u64;
            let (fw, fh) = job.facts.map_or((0, 0), |f| (f.width, f.height));
            let per_block = 2 * n * n + if shape.progressive && n > 1 { 8 } else { 0 } + n * n;
            let blocks: u64 = shape.grid_blocks(fw, fh).iter().sum();
            blocks * per_block + native + 3 * MIB
        }
        (
            Path::TiffFallback,
            Some(Kind::Tiff {
                chunk_bytes,
                stored,
            }),
        ) => stored + px * 4 + 2 * chunk_bytes + MIB,
        (_, Some(Kind::Png { raw_row, .. })) => native + 8 * raw_row + MIB,
        (_, Some(Kind::Jpeg(shape))) => {
            let (fw, fh) = job
                .facts
                .map_or((w as u32, h as u32), |f| (f.width, f.height));
            let blocks: u64 = shape.grid_blocks(fw, fh).iter().sum();
            let coefficients = if shape.progressive {
                blocks * 128
            } else {
                // An MCU row of each component as 16-bit samples, twice, for upsampling.
                let vm = shape.components.iter().map(|c| c.v).max().unwrap_or(1);
                let comps = shape.components.len() as u64;
                (u64::from(fw) + 64) * 8 * u64::from(vm) * 2 * comps * 2
            };
            // CMYK is decoded as four channels, then converted.
            let output = if shape.components.len() == 4 {
                px * 4
            } else {
                native
            };
            output + coefficients + 2 * MIB
        }
        (_, Some(Kind::Gif { frame_px })) => native + px.max(*frame_px) * 5 + MIB,
        (_, Some(Kind::Webp { lossless: true })) => native + px * 4 + MIB,
        (_, Some(Kind::Webp { lossless: false })) => native + (w + 16) * (h + 16) * 6 + MIB,
        (_, Some(Kind::Bmp)) => native + w * 4 + MIB,
        // image's TIFF decoder reads every sample into its own buffer, then copies.
        (
            _,
            Some(Kind::Tiff {
                chunk_bytes,
                stored,
            }),
        ) => native + stored + 2 * chunk_bytes + MIB,
        (_, Some(Kind::Ico)) | (_, None) => native * 2 + MIB,
    }
}

/// The WebP encoders' working bytes per output pixel (the larger of lossless and lossy).
const WEBP_BYTES_PER_PIXEL: u64 = 12;
/// rav1e's working bytes per output pixel at 4:4:4 (its frames, reconstruction and
/// lookahead copies): 20 measured on a 2.4 Mpx photo, 47 on 0.79 Mpx of noise (its worst
/// content; docs/bench/formats.md).
const AVIF_BYTES_PER_PIXEL: u64 = 64;

/// Predicts the bytes alive at each stage.
pub fn footprint(job: &Job<'_>) -> Footprint {
    let (w, h) = (u64::from(job.decoded.0), u64::from(job.decoded.1));
    let px = w * h;
    let native = px * u64::from(job.native.0) * u64::from(job.native.1);
    let channels = job.layout.channels() as u64;
    let eight = px * channels;
    let kind = job.facts.map(|f| &f.kind);
    let jpeg_input = match job.facts.map(|f| f.format) {
        Some(ImageFormat::Jpeg) => job.input_len,
        _ => 0,
    };
    let open = FIXED
        + jpeg_input
        + match kind {
            Some(Kind::Png { raw_row, out_row }) => png_internal_limit(*raw_row, *out_row),
            _ => 0,
        };
    let decode = open + decode_bytes(job, (w, h), native);
    // Conversion to 8 bits copies unless the decoder's output already is 8-bit in the target
    // layout.
    let converted_copy = u64::from(job.native.0) != channels || job.native.1 != 1;
    let convert = FIXED
        + if converted_copy {
            native + eight
        } else {
            eight
        };
    let orient = FIXED + if job.quarter_turn { 2 * eight } else { eight };
    let out_px = u64::from(job.plan.width) * u64::from(job.plan.height);
    let out = out_px * channels;
    let resize = FIXED + eight + job.strategy.working_bytes(channels) + out;
    let encoder = match job.format {
        Format::Png | Format::Jpeg | Format::Auto => 2 * out + MIB,
        // Lossless: image-webp's VP8L buffers; lossy: an RGB copy, the padded planes and every
        // macroblock's levels (5.6 bytes a pixel measured over PNG's run, docs/bench/formats.md).
        Format::Webp => out_px * WEBP_BYTES_PER_PIXEL + out + MIB,
        Format::Avif => out_px * AVIF_BYTES_PER_PIXEL + 8 * MIB,
    };
    let encode = FIXED + out + encoder;
    Footprint {
        open,
        decode,
        convert,
        orient,
        resize,
        encode,
    }
}

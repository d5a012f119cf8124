//! The plan stage: from a file's header and the options, the decode path (full scale, 1/2,
//! 1/4, 1/8 or the TIFF fallback) and the predicted memory of every stage, decided before any pixel
//! buffer exists. [`inspect`] shows the decision without decoding.

use image::ImageFormat;

use crate::budget::{self, Footprint, Path};
use crate::decode::{self, Header};
use crate::geometry::{self, Plan};
use crate::jpeg::Scale;
use crate::pixels::Layout;
use crate::resize::{Source, Strategy};
use crate::{Error, Options, LIMITS};

/// The scale a JPEG is decoded at for `plan`: 1/8 when the output is at most 1/8 of the crop
/// (each sample is then its block's exact mean, a fine source for the final filter); else 1/4
/// or 1/2 when the reduced crop is still at least 1.5 times the output (the 2x2 and 4x4 IDCTs
/// keep only each block's lowest frequencies, so the final filter needs room to smooth their
/// block edges: 1.5x keeps PSNR above libvips' on the benchmark photos, 1x fell 6 dB, below it);
/// else full scale.
fn reduction(plan: &Plan) -> Option<Scale> {
    // `output * ratio <= crop` in both axes.
    let fits = |ratio: u64| {
        u64::from(plan.width) * ratio <= u64::from(plan.crop.width)
            && u64::from(plan.height) * ratio <= u64::from(plan.crop.height)
    };
    if fits(8) {
        Some(Scale::Eighth)
    } else if fits(6) {
        Some(Scale::Quarter)
    } else if fits(3) {
        Some(Scale::Half)
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
    /// How the source is decoded: `"full"`, `"1/2"`, `"1/4"`, `"1/8"` or `"tiff-fallback"`.
    pub path: &'static str,
    /// Predicted bytes at each stage.
    pub footprint: Footprint,
    /// The same for the full decoder, when the reduced-scale one may hand the file to it.
    pub fallback: Option<Footprint>,
    /// Whether the run fits [`Limits::engine_memory`](crate::Limits::engine_memory); when not, the engine refuses the file
    /// with `image_too_large` after opening it.
    pub admitted: bool,
}

/// Decides the decode path for `header` and predicts its footprint.
pub(crate) fn admit(
    header: &Header,
    options: &Options,
    scaled_ok: bool,
) -> (budget::Path, Footprint) {
    let (uw, uh) = header.upright();
    let plan = geometry::plan(uw, uh, options);
    let path = if header.tiff_fallback {
        Path::TiffFallback
    } else if scaled_ok {
        reduction(&plan).map_or(Path::Full, Path::Scaled)
    } else {
        Path::Full
    };
    let (w, h) = header.size;
    let (decoded, native, source) = match path {
        Path::Scaled(scale) => {
            let d = scale.decoded_size(w, h);
            let channels = if header.color { 3 } else { 1 };
            let r = decode::Reduced {
                factor: scale.factor(),
                pad_x: 0,
                pad_y: 0,
            };
            let (sw, sh) = if header.quarter_turn() { (d.1, d.0) } else { d };
            (d, (channels, 1), Source::Reduced(sw, sh, r.map(plan.crop)))
        }
        _ => (header.size, header.native, Source::Full(uw, uh)),
    };
    // The reduced-scale decoder gives grey or RGB, never alpha.
    let layout = Layout::new(
        header.color,
        header.alpha && !matches!(path, Path::Scaled(_)),
    );
    let strategy = Strategy::new(&source, &plan, layout);
    let footprint = budget::footprint(&budget::Job {
        facts: header.facts.as_ref(),
        input_len: header.input_len,
        decoded,
        native,
        layout,
        quarter_turn: header.quarter_turn(),
        path,
        plan: &plan,
        strategy: &strategy,
        format: options.format,
    });
    (path, footprint)
}

/// Reads the header of `input` and says what [`thumbnail`](crate::thumbnail) would do with it and `options`: the
/// decode path and the predicted memory of each stage. Nothing is decoded.
pub fn inspect(input: &[u8], options: &Options) -> Result<Inspection, Error> {
    options.validate()?;
    let header = decode::header(input)?;
    let scaled_ok = header.format == ImageFormat::Jpeg;
    let (path, footprint) = admit(&header, options, scaled_ok);
    let fallback = matches!(path, Path::Scaled(_)).then(|| admit(&header, options, false).1);
    let (uw, uh) = header.upright();
    let plan = geometry::plan(uw, uh, options);
    avif_fits(options, &plan)?;
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
            Path::Full => "full",
            Path::Scaled(scale) => scale.name(),
            Path::TiffFallback => "tiff-fallback",
        },
        admitted: footprint.peak() <= LIMITS.engine_memory,
        footprint,
        fallback,
    })
}

/// `output_too_large` for an AVIF thumbnail over [`crate::Limits::max_avif_pixels`].
fn avif_fits(options: &Options, plan: &geometry::Plan) -> Result<(), Error> {
    let pixels = u64::from(plan.width) * u64::from(plan.height);
    if options.format == crate::Format::Avif && pixels > LIMITS.max_avif_pixels {
        return Err(Error::OutputTooLarge);
    }
    Ok(())
}

/// The path [`crate::thumbnail`] decodes `header`'s file by, or `image_too_large` when its
/// predicted peak is over the budget.
pub(crate) fn admitted(header: &Header, options: &Options, scaled_ok: bool) -> Result<Path, Error> {
    let (uw, uh) = header.upright();
    avif_fits(options, &geometry::plan(uw, uh, options))?;
    let (path, footprint) = admit(header, options, scaled_ok);
    if footprint.peak() > LIMITS.engine_memory {
        return Err(Error::ImageTooLarge);
    }
    Ok(path)
}

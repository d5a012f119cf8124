//! AVIF: one AV1 intra frame from rav1e (no assembly, no threads), 8-bit 4:4:4 Y'CbCr
//! (BT.601, full range) converted here in integers, alpha as a second monochrome frame, in the
//! container avif-serialize writes.
//!
//! Why rav1e directly rather than ravif: ravif always encodes with `Tune::Psychovisual`, whose
//! rate control feeds an image-dependent value to `f64::exp` (rav1e's `src/rate.rs`), a call
//! glibc and the `libm` crate round differently for some arguments. Under `Tune::Psnr` that
//! argument depends on the quantiser alone: one per quality, all of which the parity vectors
//! check on every target (`tests/parity/avif-qualities.tsv`).

use rav1e::prelude::{
    ChromaSampling, ColorDescription, ColorPrimaries, Config, Context, EncoderConfig,
    EncoderStatus, MatrixCoefficients, PixelRange, TransferCharacteristics, Tune,
};

use crate::pixels::{Layout, Pixels};
use crate::Error;

/// rav1e's speed preset (0 slowest .. 10 fastest). Measured on the photos at 320 px (bytes at
/// equal PSNR against our lossy WebP, median): 10 -> 1.05x, 8 -> 0.79x, 6 -> 0.77x; 8 takes about
/// twice 10's time and 6 about twice 8's (docs/bench/formats.md).
pub const SPEED: u8 = 8;

/// Quality 0..=100 to rav1e's quantiser 0..=255: ravif's curve, tabulated.
#[rustfmt::skip]
const QUANTIZER: [u8; 101] = [
    255, 252, 250, 247, 245, 242, 240, 237, 235, 232, 230, 227, 224, 222, 219, 217, 214, 212,
    209, 207, 204, 201, 199, 196, 194, 191, 190, 189, 187, 186, 185, 184, 182, 181, 180, 178,
    177, 176, 175, 173, 172, 171, 170, 168, 167, 166, 164, 163, 162, 161, 159, 158, 157, 156,
    154, 153, 152, 150, 149, 148, 147, 145, 144, 143, 142, 140, 139, 138, 136, 135, 134, 133,
    131, 130, 129, 128, 126, 125, 124, 122, 121, 120, 119, 113, 106, 99, 93, 86, 80, 73, 66,
    60, 53, 46, 40, 33, 27, 20, 13, 7, 0,
];

/// Full-range BT.601 in 16-bit fixed point: `[r, g, b]` weights of Y, Cb and Cr.
const Y: [i32; 3] = [19595, 38470, 7471];
const CB: [i32; 3] = [-11059, -21709, 32768];
const CR: [i32; 3] = [32768, -27439, -5329];

fn weigh(w: [i32; 3], px: &[u8], offset: i32) -> u8 {
    let v = w[0] * i32::from(px[0]) + w[1] * i32::from(px[1]) + w[2] * i32::from(px[2]);
    ((v + (offset << 16) + (1 << 15)) >> 16).clamp(0, 255) as u8
}

fn encoder(width: usize, height: usize, quantizer: u8, sampling: ChromaSampling) -> EncoderConfig {
    let mut c = EncoderConfig::with_speed_preset(SPEED);
    c.width = width;
    c.height = height;
    c.bit_depth = 8;
    c.chroma_sampling = sampling;
    c.pixel_range = PixelRange::Full;
    c.still_picture = true;
    c.quantizer = usize::from(quantizer);
    c.min_quantizer = quantizer;
    c.tune = Tune::Psnr;
    c.tiles = 1;
    c.speed_settings.rdo_lookahead_frames = 1;
    if sampling != ChromaSampling::Cs400 {
        c.color_description = Some(ColorDescription {
            color_primaries: ColorPrimaries::BT709,
            transfer_characteristics: TransferCharacteristics::SRGB,
            matrix_coefficients: MatrixCoefficients::BT601,
        });
    }
    c
}

/// One AV1 key frame of `planes` (one or three, `width` x `height` each).
fn av1(planes: &[Vec<u8>], width: usize, height: usize, quantizer: u8) -> Result<Vec<u8>, Error> {
    let sampling = if planes.len() == 1 {
        ChromaSampling::Cs400
    } else {
        ChromaSampling::Cs444
    };
    let cfg = Config::new()
        .with_encoder_config(encoder(width, height, quantizer, sampling))
        .with_threads(1);
    let mut ctx: Context<u8> = cfg.new_context().map_err(Error::internal)?;
    let mut frame = ctx.new_frame();
    for (dst, src) in frame.planes.iter_mut().zip(planes) {
        dst.copy_from_raw_u8(src, width, 1);
    }
    ctx.send_frame(frame).map_err(Error::internal)?;
    ctx.flush();
    let mut out = Vec::new();
    loop {
        match ctx.receive_packet() {
            Ok(mut packet) => out.append(&mut packet.data),
            Err(EncoderStatus::Encoded) => {}
            Err(EncoderStatus::LimitReached) => return Ok(out),
            Err(e) => return Err(Error::internal(e)),
        }
    }
}

/// Encodes `image` as AVIF at `quality` (1..=100); alpha at a quality between it and 100.
pub fn encode(image: &Pixels, quality: u8) -> Result<Vec<u8>, Error> {
    let (w, h) = (image.width as usize, image.height as usize);
    let channels = image.layout.channels();
    let n = w * h;
    let mut planes = vec![
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    ];
    let mut alpha = Vec::new();
    for px in image.data.chunks_exact(channels) {
        let rgb = match image.layout {
            Layout::Gray | Layout::GrayAlpha => [px[0]; 3],
            Layout::Rgb | Layout::Rgba => [px[0], px[1], px[2]],
        };
        planes[0].push(weigh(Y, &rgb, 0));
        planes[1].push(weigh(CB, &rgb, 128));
        planes[2].push(weigh(CR, &rgb, 128));
        if image.layout.has_alpha() {
            alpha.push(px[channels - 1]);
        }
    }
    let q = quality.min(100);
    let color = av1(&planes, w, h, QUANTIZER[usize::from(q)])?;
    drop(planes);
    let alpha = if alpha.iter().any(|&a| a != 255) {
        let aq = ((u16::from(q) + 100) / 2).min(u16::from(q) + u16::from(q) / 4 + 2) as usize;
        Some(av1(&[alpha], w, h, QUANTIZER[aq.min(100)])?)
    } else {
        None
    };
    let mut file = avif_serialize::Aviffy::new();
    file.set_matrix_coefficients(avif_serialize::constants::MatrixCoefficients::Bt601)
        .set_full_color_range(true);
    let mut out = Vec::with_capacity(color.len() + alpha.as_ref().map_or(0, Vec::len) + 512);
    file.write(
        &mut out,
        &color,
        alpha.as_deref(),
        image.width,
        image.height,
        8,
    )
    .map_err(Error::internal)?;
    Ok(out)
}

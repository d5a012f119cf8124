//! Baseline JPEG encoding: JFIF, Annex K quantisation tables scaled by quality as libjpeg
//! scales them, Annex K Huffman tables, 4:2:0 chroma below quality 90 and 4:4:4 from 90 (as
//! libvips chooses), grayscale as one component. Integers only, so every target writes the same
//! bytes.
//!
//! Written here rather than taken from a crate: the image crate's encoder is 4:4:4 only with a
//! floating-point quantiser and took 10.8 ms for an 800x600 thumbnail; `jpeg-encoder` 0.6.1
//! took 4.4 ms at 4:2:0 (issue 30). This one writes the same kind of file in a fraction of
//! that (docs/performance.md), and owning it keeps the output bytes ours to version.

mod entropy;
mod fdct;
#[cfg(test)]
mod fdct_tests;
mod planes;
mod tables;
#[cfg(test)]
mod tests;

use entropy::BitWriter;
use fdct::Quantiser;
use planes::Strip;
use tables::{Codes, Spec};

use crate::Error;

/// Quality from which chroma keeps full resolution (libvips' rule; Pillow and sharp default to
/// 4:2:0 at every quality).
pub(crate) const FULL_CHROMA_FROM: u8 = 90;

/// Encodes `pixels` (`channels` 1 = gray or 3 = RGB, row-major, `width` x `height`, each 1 to
/// 65,535) at `quality` 1-100. [`Error::OutputTooLarge`] as soon as the file passes `cap`
/// bytes (it only grows: no need to finish it), [`Error::Internal`] for dimensions or a
/// buffer outside that range.
pub(crate) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    quality: u8,
    cap: usize,
) -> Result<Vec<u8>, Error> {
    let dims = u16::try_from(width).ok().zip(u16::try_from(height).ok());
    let Some((w, h)) = dims.filter(|&(w, h)| w > 0 && h > 0) else {
        return Err(Error::Internal(None));
    };
    if !matches!(channels, 1 | 3) || pixels.len() != usize::from(w) * usize::from(h) * channels {
        return Err(Error::Internal(None));
    }
    let colour = channels == 3;
    let sub = if colour && quality < FULL_CHROMA_FROM {
        2
    } else {
        1
    };
    let luma_q = tables::quant(true, quality);
    let chroma_q = tables::quant(false, quality);

    let mut out = Vec::with_capacity(1024 + pixels.len() / 8);
    headers(&mut out, w, h, colour, sub, &luma_q, &chroma_q);

    let luma = Component::new(&luma_q, &tables::LUMA_DC, &tables::LUMA_AC);
    let chroma = Component::new(&chroma_q, &tables::CHROMA_DC, &tables::CHROMA_AC);
    let (width, height) = (usize::from(w), usize::from(h));
    let mut strip = Strip::new(width, colour, sub);
    let mut bits = BitWriter::new(out);
    let mut blocks = Blocks {
        samples: [[0; 8]; 8],
        levels: [0; 64],
    };
    let mut prev = [0i32; 3];

    let mcu = 8 * sub;
    for top in (0..height).step_by(mcu) {
        strip.fill(pixels, width, height, channels, top);
        let (y, cb, cr) = (
            Plane(&strip.y, strip.stride),
            Plane(&strip.cb, strip.stride / sub),
            Plane(&strip.cr, strip.stride / sub),
        );
        for left in (0..width).step_by(mcu) {
            for by in 0..sub {
                for bx in 0..sub {
                    let at = (left + 8 * bx, 8 * by);
                    blocks.code(&mut bits, y, at, &luma, &mut prev[0]);
                }
            }
            if colour {
                let at = (left / sub, 0);
                blocks.code(&mut bits, cb, at, &chroma, &mut prev[1]);
                blocks.code(&mut bits, cr, at, &chroma, &mut prev[2]);
            }
        }
        if bits.out.len() > cap {
            return Err(Error::OutputTooLarge);
        }
    }
    let mut out = bits.finish();
    out.extend_from_slice(&[0xff, 0xd9]);
    if out.len() > cap {
        return Err(Error::OutputTooLarge);
    }
    Ok(out)
}

/// One plane of a strip: samples and stride.
#[derive(Clone, Copy)]
struct Plane<'a>(&'a [u8], usize);

/// What coding a component's blocks takes: its quantiser and Huffman codes.
struct Component {
    quantiser: Quantiser,
    dc: Codes,
    ac: Codes,
}

impl Component {
    fn new(table: &[u8; 64], dc: &Spec, ac: &Spec) -> Component {
        Component {
            quantiser: Quantiser::new(table),
            dc: Codes::new(dc),
            ac: Codes::new(ac),
        }
    }
}

/// Working space for one block at a time.
struct Blocks {
    samples: fdct::Block,
    levels: [i16; 64],
}

impl Blocks {
    /// Transforms, quantises and writes the 8x8 block of `plane` whose top left is `(x, y)`.
    fn code(
        &mut self,
        bits: &mut BitWriter,
        Plane(samples, stride): Plane<'_>,
        (x, y): (usize, usize),
        component: &Component,
        prev_dc: &mut i32,
    ) {
        // The 64 bytes gathered first, then widened in one loop (which the compiler runs
        // eight or sixteen lanes at a time; row by row it widens byte by byte).
        let mut bytes = [0u8; 64];
        for (r, dst) in bytes.chunks_exact_mut(8).enumerate() {
            let at = (y + r) * stride + x;
            dst.copy_from_slice(&samples[at..at + 8]);
        }
        for (d, &s) in self.samples.as_flattened_mut().iter_mut().zip(&bytes) {
            *d = i16::from(s) - 128;
        }
        fdct::fdct(&mut self.samples);
        let mask = fdct::quantise(&self.samples, &component.quantiser, &mut self.levels);
        bits.block(&self.levels, mask, prev_dc, &component.dc, &component.ac);
    }
}

/// A marker segment: `FF marker`, its length (2 + body), the body.
fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xff, marker]);
    out.extend_from_slice(&(body.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(body);
}

/// SOI, JFIF APP0 (version 1.01, aspect 1:1, no thumbnail), DQT, SOF0, DHT, SOS.
fn headers(
    out: &mut Vec<u8>,
    w: u16,
    h: u16,
    colour: bool,
    sub: usize,
    luma_q: &[u8; 64],
    chroma_q: &[u8; 64],
) {
    out.extend_from_slice(&[0xff, 0xd8]);
    segment(out, 0xe0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");

    let mut dqt = vec![0u8];
    dqt.extend_from_slice(luma_q);
    if colour {
        dqt.push(1);
        dqt.extend_from_slice(chroma_q);
    }
    segment(out, 0xdb, &dqt);

    let mut sof = vec![8];
    sof.extend_from_slice(&h.to_be_bytes());
    sof.extend_from_slice(&w.to_be_bytes());
    let luma_sampling = (sub as u8) << 4 | sub as u8;
    if colour {
        sof.extend_from_slice(&[3, 1, luma_sampling, 0, 2, 0x11, 1, 3, 0x11, 1]);
    } else {
        sof.extend_from_slice(&[1, 1, 0x11, 0]);
    }
    segment(out, 0xc0, &sof);

    let mut dht = Vec::new();
    let mut table = |class_id: u8, spec: &Spec| {
        dht.push(class_id);
        dht.extend_from_slice(&spec.counts);
        dht.extend_from_slice(spec.symbols);
    };
    table(0x00, &tables::LUMA_DC);
    table(0x10, &tables::LUMA_AC);
    if colour {
        table(0x01, &tables::CHROMA_DC);
        table(0x11, &tables::CHROMA_AC);
    }
    segment(out, 0xc4, &dht);

    let sos: &[u8] = if colour {
        &[3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]
    } else {
        &[1, 1, 0x00, 0, 63, 0]
    };
    segment(out, 0xda, sos);
}

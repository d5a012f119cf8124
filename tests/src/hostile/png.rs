//! PNG files: any IHDR, all-zero image data at ~1,000:1, optional extra chunks.

use super::deflate::{zlib_stored, zlib_zeros};

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One chunk: length, type, data, CRC.
pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// PNG colour types.
#[derive(Clone, Copy)]
pub enum Color {
    /// 0
    Gray = 0,
    /// 2
    Rgb = 2,
    /// 3
    Palette = 3,
    /// 4
    GrayAlpha = 4,
    /// 6
    Rgba = 6,
}

fn channels(c: Color) -> u64 {
    match c {
        Color::Gray | Color::Palette => 1,
        Color::GrayAlpha => 2,
        Color::Rgb => 3,
        Color::Rgba => 4,
    }
}

/// The raw (filtered) size of a non-interlaced image: a filter byte per row.
pub fn raw_size(w: u32, h: u32, bits: u8, color: Color) -> u64 {
    let row = (u64::from(w) * channels(color) * u64::from(bits)).div_ceil(8);
    (row + 1) * u64::from(h)
}

/// The raw size of an Adam7-interlaced image: each of the seven passes has its own rows.
pub fn raw_size_interlaced(w: u32, h: u32, bits: u8, color: Color) -> u64 {
    let passes = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];
    let mut total = 0;
    for (x0, y0, dx, dy) in passes {
        let pw = w.saturating_sub(x0).div_ceil(dx);
        let ph = h.saturating_sub(y0).div_ceil(dy);
        if pw > 0 && ph > 0 {
            total += raw_size(pw, ph, bits, color);
        }
    }
    total
}

/// The IHDR chunk.
pub fn ihdr(w: u32, h: u32, bits: u8, color: Color, interlace: bool) -> Vec<u8> {
    let mut d = w.to_be_bytes().to_vec();
    d.extend_from_slice(&h.to_be_bytes());
    d.extend_from_slice(&[bits, color as u8, 0, 0, u8::from(interlace)]);
    chunk(b"IHDR", &d)
}

/// A whole PNG: signature, IHDR, `extra` chunks, one IDAT holding `raw` zero bytes, IEND.
pub fn png(
    w: u32,
    h: u32,
    bits: u8,
    color: Color,
    interlace: bool,
    extra: &[Vec<u8>],
    raw: u64,
) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(ihdr(w, h, bits, color, interlace));
    if matches!(color, Color::Palette) {
        out.extend(chunk(b"PLTE", &[0, 0, 0, 255, 255, 255]));
    }
    for c in extra {
        out.extend_from_slice(c);
    }
    out.extend(chunk(b"IDAT", &zlib_zeros(raw)));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A PNG whose whole image data is present (all zero): the decoder does all the work.
pub fn zeros(w: u32, h: u32, bits: u8, color: Color) -> Vec<u8> {
    png(w, h, bits, color, false, &[], raw_size(w, h, bits, color))
}

/// A compressed metadata chunk (`iCCP` or `zTXt`) inflating to `n` zero bytes.
pub fn compressed_chunk(kind: &[u8; 4], n: u64) -> Vec<u8> {
    let mut d = b"bomb\0\0".to_vec();
    d.extend(zlib_zeros(n));
    chunk(kind, &d)
}

/// An `iTXt` chunk with compressed text inflating to `n` zero bytes.
pub fn itxt_bomb(n: u64) -> Vec<u8> {
    let mut d = b"bomb\0\x01\0\0\0".to_vec();
    d.extend(zlib_zeros(n));
    chunk(b"iTXt", &d)
}

/// A small RGB image with varied content (stored deflate), for chunks around real pixels.
pub fn small_noise(w: u32, h: u32, seed: &mut super::Rng) -> Vec<u8> {
    let mut raw = Vec::new();
    for _ in 0..h {
        // Filter byte 0, then random samples.
        raw.extend(std::iter::once(0).chain((0..w * 3).map(|_| seed.byte())));
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(ihdr(w, h, 8, Color::Rgb, false));
    out.extend(chunk(b"IDAT", &zlib_stored(&raw)));
    out.extend(chunk(b"IEND", &[]));
    out
}

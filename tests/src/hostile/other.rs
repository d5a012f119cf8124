//! GIF, WebP, BMP and ICO files: large canvases from a few bytes.

use super::deflate::LsbBits;

/// A GIF89a whose logical screen is `screen` and first frame `w` x `h`, every pixel index 0;
/// then `extra_frames` 1x1 frames.
pub fn gif(screen: (u16, u16), w: u16, h: u16, extra_frames: usize) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&screen.0.to_le_bytes());
    out.extend_from_slice(&screen.1.to_le_bytes());
    out.extend_from_slice(&[0x80, 0, 0]); // global colour table of 2 entries
    out.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    let frame = |out: &mut Vec<u8>, fw: u16, fh: u16| {
        out.push(0x2C);
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&fw.to_le_bytes());
        out.extend_from_slice(&fh.to_le_bytes());
        out.push(0);
        out.push(2); // LZW minimum code size
        let data = weezl::encode::Encoder::new(weezl::BitOrder::Lsb, 2)
            .encode(&vec![0u8; usize::from(fw) * usize::from(fh)])
            .unwrap_or_default();
        for c in data.chunks(255) {
            out.push(c.len() as u8);
            out.extend_from_slice(c);
        }
        out.push(0);
    };
    frame(&mut out, w, h);
    for _ in 0..extra_frames {
        frame(&mut out, 1, 1);
    }
    out.push(0x3B);
    out
}

fn riff(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    for (kind, data) in chunks {
        body.extend_from_slice(*kind);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// A lossless WebP (VP8L) of `w` x `h` opaque black pixels: five one-symbol prefix codes,
/// so every pixel costs zero bits.
pub fn vp8l_solid(w: u32, h: u32) -> Vec<u8> {
    riff(&[(b"VP8L", vp8l_bitstream(w, h))])
}

fn vp8l_bitstream(w: u32, h: u32) -> Vec<u8> {
    let mut b = LsbBits::default();
    b.bits(0x2F, 8);
    b.bits(u64::from(w - 1), 14);
    b.bits(u64::from(h - 1), 14);
    b.bits(0, 1); // alpha not used
    b.bits(0, 3); // version
    b.bits(0, 1); // no transform
    b.bits(0, 1); // no colour cache
    b.bits(0, 1); // no meta prefix codes
    for symbol in [0u64, 0, 0, 255, 0] {
        b.bits(1, 1); // simple code
        b.bits(0, 1); // one symbol
        if symbol < 2 {
            b.bits(0, 1);
            b.bits(symbol, 1);
        } else {
            b.bits(1, 1);
            b.bits(symbol, 8);
        }
    }
    b.finish()
}

/// An extended WebP (VP8X) with an `ICCP` chunk of `icc` and a small lossless image.
pub fn vp8x_with_iccp(icc: Vec<u8>) -> Vec<u8> {
    let mut vp8x = vec![0x20, 0, 0, 0];
    vp8x.extend_from_slice(&15u32.to_le_bytes()[..3]);
    vp8x.extend_from_slice(&15u32.to_le_bytes()[..3]);
    riff(&[
        (b"VP8X", vp8x),
        (b"ICCP", icc),
        (b"VP8L", vp8l_bitstream(16, 16)),
    ])
}

/// A small lossless WebP followed by a `kind` chunk that declares `declared` bytes and holds
/// a few: decoders that allocate a chunk's declared size before reading it allocate gigabytes.
pub fn with_lying_chunk(kind: &[u8; 4], declared: u32) -> Vec<u8> {
    let mut out = riff(&[
        (b"VP8X", vec![0x08, 0, 0, 0, 15, 0, 0, 15, 0, 0]),
        (b"VP8L", vp8l_bitstream(16, 16)),
    ]);
    out.extend_from_slice(kind);
    out.extend_from_slice(&declared.to_le_bytes());
    out.extend_from_slice(b"Exif\0\0II*\0");
    let riff_len = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&riff_len.to_le_bytes());
    out
}

/// A lossy WebP (VP8) key frame header declaring `w` x `h`, with no partition data.
pub fn vp8_truncated(w: u16, h: u16) -> Vec<u8> {
    let mut d = vec![0x10, 0x02, 0x00]; // key frame, version 0, shown, first partition 32 bytes
    d.extend_from_slice(&[0x9D, 0x01, 0x2A]);
    d.extend_from_slice(&w.to_le_bytes());
    d.extend_from_slice(&h.to_le_bytes());
    d.extend_from_slice(&[0; 8]);
    riff(&[(b"VP8 ", d)])
}

/// A BMP header (BITMAPINFOHEADER) and palette, followed by `data`.
pub fn bmp(w: i32, h: i32, bpp: u16, compression: u32, data: &[u8]) -> Vec<u8> {
    let palette: Vec<u8> = if bpp <= 8 {
        vec![0, 0, 0, 0, 255, 255, 255, 0]
    } else {
        vec![]
    };
    let offset = 14 + 40 + palette.len() as u32;
    let mut out = b"BM".to_vec();
    out.extend_from_slice(&(offset + data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&w.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&bpp.to_le_bytes());
    out.extend_from_slice(&compression.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&((palette.len() / 4) as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend(palette);
    out.extend_from_slice(data);
    out
}

/// An ICO with one entry holding `image` (a PNG or a BMP without file header).
pub fn ico(image: &[u8], declared: u8) -> Vec<u8> {
    let mut out = vec![0, 0, 1, 0, 1, 0];
    out.extend_from_slice(&[declared, declared, 0, 0, 1, 0, 32, 0]);
    out.extend_from_slice(&(image.len() as u32).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(image);
    out
}

//! Fuzzes the encoders alone: small images of arbitrary samples (1 to 64 px a side, grey to
//! RGBA) through every format at every quality. Each must encode; WebP and PNG must decode again
//! (image's decoders) to the same size, lossless WebP and PNG to the same samples; AVIF must
//! be an AVIF file (its decoding is checked with Pillow in tests/parity, not here). Any panic is
//! a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thumbprint_core::fuzzing::encode;
use thumbprint_core::Format;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, samples) = data.split_at(4);
    let width = 1 + u32::from(head[0] % 64);
    let height = 1 + u32::from(head[1] % 64);
    let channels = 1 + usize::from(head[2] % 4);
    let format = [Format::Png, Format::Jpeg, Format::Webp, Format::Avif, Format::Auto]
        [usize::from((head[2] >> 2) % 5)];
    let lossless = head[2] & 0x80 != 0 && format == Format::Webp;
    let quality = 1 + head[3] % 100;
    let n = width as usize * height as usize * channels;
    // The samples repeat to fill the image (an empty input is a flat grey one).
    let pixels: Vec<u8> = (0..n)
        .map(|i| if samples.is_empty() { 128 } else { samples[i % samples.len()] })
        .collect();
    let bytes = match encode(pixels.clone(), width, height, channels, format, quality, lossless) {
        Ok(b) => b,
        Err(e) => panic!("{format:?} q{quality} {width}x{height}x{channels}: {e}"),
    };
    if format == Format::Avif {
        assert_eq!(&bytes[4..12], b"ftypavif", "an AVIF file");
        return;
    }
    let img = image::load_from_memory(&bytes).expect("decodes again");
    assert_eq!((img.width(), img.height()), (width, height));
    // (Grey through WebP comes back as RGB, whose grey conversion may round: colour only.)
    if (lossless && channels >= 3) || format == Format::Png {
        let back: Vec<u8> = match channels {
            1 => img.to_luma8().into_raw(),
            2 => img.to_luma_alpha8().into_raw(),
            3 => img.to_rgb8().into_raw(),
            _ => img.to_rgba8().into_raw(),
        };
        assert_eq!(back, pixels, "lossless is lossless");
    }
});

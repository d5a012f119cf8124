//! Fuzzes a set (`thumbnails`: what `sizes` and the upload trigger run on untrusted uploads):
//! arbitrary bytes as the image, the first byte choosing how many members (1 to 4) and the next
//! three bytes per member their options. Any panic, abort, timeout or out-of-memory is a finding;
//! typed errors (per member, or for the whole set) are fine, and a set must answer one result
//! per member.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thumbprint_core::{Fit, Format, Options};

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let count = 1 + usize::from(count % 4);
    if rest.len() < 3 * count {
        return;
    }
    let (heads, image) = rest.split_at(3 * count);
    let members: Vec<Options> = heads
        .chunks_exact(3)
        .map(|h| Options {
            width: 1 + u32::from(h[0]) % 256,
            height: if h[1] & 1 == 0 { None } else { Some(1 + u32::from(h[1] >> 1)) },
            fit: [Fit::Contain, Fit::Cover, Fit::Fill][usize::from(h[2] % 3)],
            format: [Format::Png, Format::Jpeg, Format::Webp][usize::from((h[2] / 3) % 3)],
            quality: Some(1 + (h[2] % 100)),
            lossless: false,
        })
        .collect();
    let results = thumbprint_core::thumbnails(image, &members);
    assert_eq!(results.len(), members.len());
});

//! Fuzzes the whole engine: arbitrary bytes as the image, the first bytes also choosing the
//! options. Any panic, abort, timeout or out-of-memory is a finding; typed errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thumbprint_core::{Fit, Format, Options};

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (head, image) = data.split_at(3);
    let options = Options {
        width: 1 + u32::from(head[0]) % 256,
        height: if head[1] & 1 == 0 { None } else { Some(1 + u32::from(head[1] >> 1)) },
        fit: [Fit::Contain, Fit::Cover, Fit::Fill][usize::from(head[2] % 3)],
        format: [Format::Png, Format::Jpeg, Format::Webp, Format::Avif, Format::Auto]
            [usize::from((head[1] >> 4) % 5)],
        quality: Some(1 + (head[2] % 100)),
        lossless: head[1] & 2 != 0,
    };
    let _ = thumbprint_core::thumbnail(image, &options);
});

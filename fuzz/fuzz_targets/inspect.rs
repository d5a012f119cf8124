//! Fuzzes what the engine reads before decoding: format detection, header checks, the facts of
//! each format (JPEG marker walk, TIFF directories, WebP chunks, GIF blocks) and the resource
//! model. It must never panic, hang or allocate in proportion to what a header claims.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thumbprint_core::{Fit, Format, Options};

fuzz_target!(|data: &[u8]| {
    let Some((&head, image)) = data.split_first() else {
        return;
    };
    let options = Options {
        width: 1 + u32::from(head) * 16,
        height: None,
        fit: [Fit::Contain, Fit::Cover, Fit::Fill][usize::from(head % 3)],
        format: [Format::Png, Format::Jpeg, Format::Webp][usize::from((head / 3) % 3)],
        quality: None,
        lossless: false,
    };
    let _ = thumbprint_core::inspect(image, &options);
});

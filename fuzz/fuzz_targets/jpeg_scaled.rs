//! Fuzzes the reduced-scale JPEG decoder alone (1/8, 1/4 and 1/2 scale), the part of the engine that
//! parses entropy-coded data itself. Run with the JPEG dictionary (`fuzz/jpeg.dict`) and the
//! structured seeds of `fuzz/seed.sh`. A panic, an abort, a timeout or memory past the limit is
//! a finding; refusing (falling back to the full decoder) is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, jpeg)) = data.split_first() else {
        return;
    };
    // The engine admits a file before this decoder runs; keep to what the budget admits.
    if thumbprint_core::fuzzing::jpeg_declared_pixels(jpeg).is_some_and(|px| px > 16 << 20) {
        return;
    }
    let _ = thumbprint_core::fuzzing::jpeg_scaled(jpeg, selector % 3);
});

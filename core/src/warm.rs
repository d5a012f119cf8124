//! A made-up photo through the engine's hot paths, for hosts that compile code as it first
//! runs: V8 runs a wasm function in its baseline tier (Liftoff) and optimises it (TurboFan) in
//! the background only once it has been busy for a while, so a page's first thumbnail could
//! take several times the steady time. The page's Worker calls [`warm_up`] once after loading.

use crate::{thumbnail, Format, Options};

/// The made-up photo's size: large enough that each hot loop runs long enough to be optimised.
const WIDTH: u32 = 1024;
const HEIGHT: u32 = 768;

/// The thumbnails made of the made-up JPEG: one per decode path (1/8, 1/4, 1/2, full scale),
/// both encoders. The last one's PNG then goes in again, to JPEG.
const MADE: [(u32, Format); 4] = [
    (100, Format::Jpeg),
    (160, Format::Png),
    (300, Format::Jpeg),
    (800, Format::Png),
];

/// Makes thumbnails of a made-up JPEG photo (`MADE`), and a JPEG of the last one: the JPEG
/// decoder at every scale, the PNG decoder, resizing, and both encoders. Nothing is kept;
/// returns how many were made (failures are skipped: there is nothing a caller could do).
pub fn warm_up() -> usize {
    let Some(jpeg) = photo() else { return 0 };
    let mut made = 0;
    let mut last = None;
    for (width, format) in MADE {
        last = thumbnail(&jpeg, &options(width, format)).ok();
        made += usize::from(last.is_some());
    }
    if let Some(png) = last {
        made += usize::from(thumbnail(&png.bytes, &options(200, Format::Jpeg)).is_ok());
    }
    made
}

fn options(width: u32, format: Format) -> Options {
    Options {
        format,
        ..Options::new(width)
    }
}

/// The made-up photo as a JPEG (quality 90).
fn photo() -> Option<Vec<u8>> {
    let pixels = texture(WIDTH, HEIGHT);
    crate::jpeg::encode(&pixels, WIDTH, HEIGHT, 3, 90, usize::MAX).ok()
}

/// RGB samples with what photos have: smooth gradients, edges and fine noise (so the entropy
/// coders see short and long codes alike). A fixed xorshift, so every run is the same.
fn texture(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x9E37_79B9_u32;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 27) as i32 - 16
    };
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height as i32 {
        for x in 0..width as i32 {
            let stripe = if (x / 37 + y / 53) % 2 == 0 { 40 } else { -40 };
            for base in [
                x * 255 / width as i32,
                y * 255 / height as i32,
                128 + stripe,
            ] {
                out.push((base + noise()).clamp(0, 255) as u8);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_made_up_photo_takes_every_decode_path_and_both_encoders() {
        let jpeg = photo().expect("the made-up photo encodes");
        let paths: Vec<&str> = MADE
            .iter()
            .map(|&(w, f)| {
                crate::inspect(&jpeg, &options(w, f))
                    .expect("inspects")
                    .path
            })
            .collect();
        assert_eq!(paths, ["1/8", "1/4", "1/2", "full"]);
        for (width, format) in MADE {
            let t = thumbnail(&jpeg, &options(width, format)).expect("made");
            // Not handed to the full decoder: the reduced-scale decoder is what gets warmed.
            assert_eq!(t.fallback, None);
            assert_eq!((t.width, t.format), (width, format));
        }
        // Every one of them, and the PNG in again.
        assert_eq!(warm_up(), MADE.len() + 1);
    }
}

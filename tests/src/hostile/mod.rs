//! The hostile corpus: files made to exhaust memory or time while staying small and inside the
//! pixel budget (compression bombs, extreme aspect ratios, wide sample types, repeated scans,
//! metadata bombs, strip and tile counts). Generated from code and a seed, so git holds the
//! recipe, not the bytes; `cargo run -p thumbprint-tests --bin hostile -- DIR` writes them out.
//! Files found by fuzzing live in `tests/hostile/found/` and are read as they are.

mod cases;
mod deflate;
mod jpeg;
mod other;
mod png;
mod tiff;

pub use cases::cases;
pub use deflate::{deflate_zeros, zlib_zeros};

/// The seed of the generator (noise content).
pub const SEED: u64 = 0x7468_756D_6270_7269;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    /// The next byte.
    pub fn byte(&mut self) -> u8 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
    }
}

/// One hostile file.
pub struct Case {
    /// File name (with the format's extension).
    pub name: String,
    /// What it attacks.
    pub note: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The option sets every hostile file is run with (CLI arguments): the default 200 px box, the
/// largest output in the slowest encoder, a 2000 px JPEG (the half-scale JPEG decoder for
/// sources of 6000 px and more), and a one-pixel-wide cover crop.
pub const OPTION_SETS: [&[&str]; 5] = [
    &[],
    &["-w", "4096", "-H", "4096", "--fit", "fill", "-f", "webp"],
    // Every file through the AV1 encoder (small: the encoder's time is the output's size, and
    // the largest admitted is checked once on the costliest content, in cli/tests/hostile.rs).
    &["-w", "256", "-H", "256", "--fit", "fill", "-f", "avif"],
    &["-w", "2000", "-f", "jpeg"],
    &["-w", "1", "-H", "4096", "--fit", "cover"],
];

const MIB: u64 = 1024 * 1024;

/// A plain opaque PNG (8-bit RGB, every sample 0): small to store, as large as its size to
/// decode (the batch's memory pool is tested with it).
pub fn opaque_png(w: u32, h: u32) -> Vec<u8> {
    png::zeros(w, h, 8, png::Color::Rgb)
}

/// Small structured JPEGs (every sampling, progressive and sequential, repeated and refinement
/// scans) as seeds for the reduced-scale decoder's fuzz target.
pub fn jpeg_seeds() -> Vec<Vec<u8>> {
    use jpeg::{GRAY, YCC420, YCC444};
    let mut out = Vec::new();
    for comps in [&GRAY[..], &YCC420[..], &YCC444[..]] {
        for (w, h) in [(8, 8), (17, 9), (48, 40), (64, 64)] {
            out.push(jpeg::baseline(w, h, comps, 1000));
            out.push(jpeg::baseline(w, h, comps, 500));
            out.push(jpeg::progressive(w, h, comps));
            out.push(jpeg::repeated_scans(w, h, comps, 3, false));
            out.push(jpeg::repeated_scans(w, h, comps, 3, true));
        }
    }
    out
}

/// A 1x1 grey PNG: the smallest work the engine does (the program's own baseline).
pub fn tiny_png() -> Vec<u8> {
    png::zeros(1, 1, 8, png::Color::Gray)
}

/// The files found by fuzzing, kept as they are: `tests/hostile/found/`.
pub fn found() -> Vec<Case> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("hostile/found");
    let mut out: Vec<Case> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file() && e.path().extension().is_none_or(|x| x != "md"))
        .map(|e| Case {
            name: format!("found/{}", e.file_name().to_string_lossy()),
            note: "found by fuzzing",
            bytes: std::fs::read(e.path()).unwrap_or_default(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

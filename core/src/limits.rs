//! The engine's limits: every cap on input, output, memory and work, in one documented struct.
//!
//! All of them are counts and sizes read from headers or the request, never clocks, so every
//! target refuses exactly the same files. Front ends read them from [`LIMITS`] (the request
//! caps they enforce before the engine runs, the OpenAPI document, the page's checks).

const MIB: u64 = 1024 * 1024;

/// The engine's fixed limits. There is one set, [`LIMITS`]: the parity vectors are recorded
/// against it, so a different value would be a different engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest width or height of a thumbnail, in pixels.
    pub max_dimension: u32,
    /// Largest image a caller may send in a request body (raw or base64-decoded): what fits a
    /// 6 MB Lambda request once base64-encoded (4.4 MiB).
    pub max_input_bytes: usize,
    /// Largest number of pixels an input may declare (checked from the header, before decoding).
    pub max_input_pixels: u64,
    /// Longest side an image may have: 1,048,576 px. Within the pixel budget a longer side is a
    /// strip under 64 px across, whose per-row decoding work alone runs to seconds.
    pub max_side: u32,
    /// Largest encoded thumbnail, in bytes: what fits a 6 MB (6,291,556 B) Lambda response once
    /// base64-encoded (6,000,000 B) inside its JSON envelope.
    pub max_output_bytes: usize,
    /// Peak memory of the whole process for one engine run (the Lambda default is 1,024 MB and
    /// one run at a time; the local server runs one per core).
    pub memory_budget: u64,
    /// What one engine run may use: the budget less what the rest of the process needs (the
    /// program itself, the request and response, the allocator's slack). A file whose predicted
    /// peak is over it is refused with `image_too_large` before any large allocation.
    pub engine_memory: u64,
    /// Largest inflated metadata chunk kept (a PNG `iCCP` profile); larger ones are ignored.
    pub metadata_cap: u64,
    /// Most scans a JPEG may have (zune-jpeg's own default, so every decoder path agrees).
    pub max_jpeg_scans: u32,
    /// Most blocks a JPEG's scans may visit in all: 48 Mi, about 15 full passes over a 64 Mpx
    /// colour image (a standard progressive file makes 4 to 5).
    pub max_jpeg_block_visits: u64,
    /// Most strips or tiles a TIFF may have (65,536: one-row strips of an image 65,536 rows tall).
    pub max_tiff_chunks: u32,
    /// Most pixels of an AVIF thumbnail (0.75 Mpx: 1024 x 768 fits): the AV1 encoder takes about
    /// 1.8 s of CPU a megapixel of a photo and 3.7 s of noise, its worst content
    /// (docs/bench/formats.md), so at most ~2.8 s, inside the Lambda's default 15 s beside a
    /// 10 s fetch. Larger AVIF is `output_too_large`; `auto` answers WebP instead.
    pub max_avif_pixels: u64,
}

/// The limits every front end and every target uses.
pub const LIMITS: Limits = Limits {
    max_dimension: 4096,
    max_input_bytes: 4_613_734,
    max_input_pixels: 64 * MIB,
    max_side: 1 << 20,
    max_output_bytes: 4_500_000,
    memory_budget: 384 * MIB,
    engine_memory: 320 * MIB,
    metadata_cap: 4 * MIB,
    max_jpeg_scans: 100,
    max_jpeg_block_visits: 48 * MIB,
    max_tiff_chunks: 65_536,
    max_avif_pixels: 1024 * 768,
};

// The request caps are what fits Lambda's 6 MB payloads once base64-encoded, and one run's
// memory leaves the rest of the process room: checked when the crate compiles.
const _: () = {
    assert!(LIMITS.max_input_bytes.div_ceil(3) * 4 < 6_291_456);
    assert!(LIMITS.max_output_bytes.div_ceil(3) * 4 <= 6_000_000);
    assert!(LIMITS.engine_memory < LIMITS.memory_budget);
};

/// Largest single allocation the decoders may make, in bytes (a backstop under the memory
/// model, which refuses far smaller files first).
pub(crate) const MAX_DECODE_ALLOC: u64 = 1024 * MIB;

//! The generated hostile cases, one table: each a name, what it exercises, and its bytes.

use super::*;

/// Every generated case, in a stable order.
pub fn cases() -> Vec<Case> {
    use jpeg::{GRAY, YCC420, YCC444};
    use png::Color;
    let mut rng = Rng::new(SEED);
    let mut v = Vec::new();
    let mut add = |name: &str, note: &'static str, bytes: Vec<u8>| {
        v.push(Case {
            name: name.to_string(),
            note,
            bytes,
        })
    };
    let budget_side = 8192; // 8192 x 8192 = the 64 Mpx pixel budget exactly

    // PNG: strips, wide sample types, interlacing, metadata bombs.
    add(
        "png_strip_67108864x1_gray1.png",
        "1-bit strip at the pixel budget: resampler tables and pass order",
        png::zeros(1 << 26, 1, 1, Color::Gray),
    );
    add(
        "png_strip_1x67108864_gray1.png",
        "1-bit column at the pixel budget",
        png::zeros(1, 1 << 26, 1, Color::Gray),
    );
    add(
        "png_strip_65535x1_rgb8.png",
        "short wide strip filled to 4096 x 4096",
        png::zeros(65535, 1, 8, Color::Rgb),
    );
    add(
        "png_strip_65535x1024_rgba16.png",
        "wide strip, widest sample type",
        png::zeros(65535, 1024, 16, Color::Rgba),
    );
    add(
        "png_8192x8192_rgba16.png",
        "64 Mpx at 8 bytes per pixel",
        png::zeros(budget_side, budget_side, 16, Color::Rgba),
    );
    add(
        "png_4096x4096_rgba16.png",
        "16 Mpx at 8 bytes per pixel",
        png::zeros(4096, 4096, 16, Color::Rgba),
    );
    add(
        "png_8192x8192_rgba8.png",
        "64 Mpx RGBA (alpha premultiplication)",
        png::zeros(budget_side, budget_side, 8, Color::Rgba),
    );
    add(
        "png_8192x8192_gray1.png",
        "64 Mpx from 1-bit samples",
        png::zeros(budget_side, budget_side, 1, Color::Gray),
    );
    add(
        "png_8192x8192_palette1.png",
        "64 Mpx palette, expanded to RGB",
        png::zeros(budget_side, budget_side, 1, Color::Palette),
    );
    add(
        "png_8192x8192_graya16.png",
        "64 Mpx grey + alpha 16-bit",
        png::zeros(budget_side, budget_side, 16, Color::GrayAlpha),
    );
    add(
        "png_8192x8192_rgb16_interlaced.png",
        "Adam7 at 64 Mpx, 16-bit",
        png::png(
            budget_side,
            budget_side,
            16,
            Color::Rgb,
            true,
            &[],
            png::raw_size_interlaced(budget_side, budget_side, 16, Color::Rgb),
        ),
    );
    add(
        "png_8193x8192_rgb8.png",
        "just past the pixel budget",
        png::zeros(8193, 8192, 8, Color::Rgb),
    );
    let small = png::raw_size(16, 16, 8, Color::Rgb);
    add(
        "png_iccp_bomb_1gib.png",
        "iCCP inflating to 1 GiB",
        png::png(
            16,
            16,
            8,
            Color::Rgb,
            false,
            &[png::compressed_chunk(b"iCCP", 1024 * MIB)],
            small,
        ),
    );
    add(
        "png_iccp_bomb_64mib.png",
        "iCCP inflating to 64 MiB",
        png::png(
            16,
            16,
            8,
            Color::Rgb,
            false,
            &[png::compressed_chunk(b"iCCP", 64 * MIB)],
            small,
        ),
    );
    add(
        "png_iccp_4mib.png",
        "iCCP of 4 MiB of zeros (at the metadata cap)",
        png::png(
            16,
            16,
            8,
            Color::Rgb,
            false,
            &[png::compressed_chunk(b"iCCP", 4 * MIB)],
            small,
        ),
    );
    add(
        "png_ztxt_bomb_1gib.png",
        "zTXt inflating to 1 GiB",
        png::png(
            16,
            16,
            8,
            Color::Rgb,
            false,
            &[png::compressed_chunk(b"zTXt", 1024 * MIB)],
            small,
        ),
    );
    add(
        "png_itxt_bomb_1gib.png",
        "iTXt inflating to 1 GiB",
        png::png(
            16,
            16,
            8,
            Color::Rgb,
            false,
            &[png::itxt_bomb(1024 * MIB)],
            small,
        ),
    );
    let many_text: Vec<Vec<u8>> = (0..1000)
        .map(|_| png::compressed_chunk(b"zTXt", MIB))
        .collect();
    add(
        "png_ztxt_1000x1mib.png",
        "a thousand zTXt chunks of 1 MiB each",
        png::png(16, 16, 8, Color::Rgb, false, &many_text, small),
    );
    add(
        "png_6000x6000_rgba8.png",
        "36 Mpx RGBA (inside the memory budget)",
        png::zeros(6000, 6000, 8, Color::Rgba),
    );
    add(
        "png_1x1048577_gray8.png",
        "one past the longest side",
        png::zeros(1, (1 << 20) + 1, 8, Color::Gray),
    );
    add(
        "png_1048576x1_gray8.png",
        "the longest side",
        png::zeros(1 << 20, 1, 8, Color::Gray),
    );
    add(
        "png_noise_1024x1024.png",
        "real entropy at 1 Mpx (a baseline)",
        png::small_noise(1024, 1024, &mut rng),
    );

    // TIFF: strips, sample types, strip and tile counts.
    add(
        "tiff_strip_67108864x1_gray8.tif",
        "strip at the pixel budget",
        tiff::Tiff::new(1 << 26, 1, 1, 8).build(false),
    );
    add(
        "tiff_strip_1x67108864_gray8.tif",
        "column at the pixel budget",
        tiff::Tiff {
            rows_per_strip: 1 << 20,
            ..tiff::Tiff::new(1, 1 << 26, 1, 8)
        }
        .build(false),
    );
    add(
        "tiff_8192x8192_rgb_f32.tif",
        "64 Mpx float RGB (12 bytes per pixel)",
        tiff::Tiff {
            sample_format: 3,
            rows_per_strip: 256,
            ..tiff::Tiff::new(budget_side, budget_side, 3, 32)
        }
        .build(false),
    );
    add(
        "tiff_8192x8192_rgba_f32.tif",
        "64 Mpx float RGBA (16 bytes per pixel)",
        tiff::Tiff {
            sample_format: 3,
            rows_per_strip: 256,
            ..tiff::Tiff::new(budget_side, budget_side, 4, 32)
        }
        .build(false),
    );
    add(
        "tiff_8192x8192_rgba16.tif",
        "64 Mpx RGBA 16-bit",
        tiff::Tiff {
            rows_per_strip: 256,
            ..tiff::Tiff::new(budget_side, budget_side, 4, 16)
        }
        .build(false),
    );
    add(
        "tiff_4096x4096_rgb_f32.tif",
        "16 Mpx float RGB",
        tiff::Tiff {
            sample_format: 3,
            rows_per_strip: 256,
            ..tiff::Tiff::new(4096, 4096, 3, 32)
        }
        .build(false),
    );
    add(
        "tiff_8192x8192_gray16.tif",
        "64 Mpx grey 16-bit",
        tiff::Tiff {
            rows_per_strip: 256,
            ..tiff::Tiff::new(budget_side, budget_side, 1, 16)
        }
        .build(false),
    );
    add(
        "tiff_6000x6000_rgb8.tif",
        "36 Mpx RGB 8-bit",
        tiff::Tiff {
            rows_per_strip: 256,
            ..tiff::Tiff::new(6000, 6000, 3, 8)
        }
        .build(false),
    );
    add(
        "tiff_8192x8192_rgb8.tif",
        "64 Mpx RGB 8-bit",
        tiff::Tiff {
            rows_per_strip: 256,
            ..tiff::Tiff::new(budget_side, budget_side, 3, 8)
        }
        .build(false),
    );
    add(
        "tiff_262144_strips.tif",
        "a quarter of a million one-row strips",
        tiff::Tiff {
            rows_per_strip: 1,
            ..tiff::Tiff::new(16, 262_144, 1, 8)
        }
        .build(false),
    );
    add(
        "tiff_262144_tiles.tif",
        "a quarter of a million 16 x 16 tiles",
        tiff::Tiff {
            tile: Some((16, 16)),
            ..tiff::Tiff::new(budget_side, budget_side, 1, 8)
        }
        .build(false),
    );
    add(
        "tiff_8192x8192_missing_strips.tif",
        "64 Mpx whose strips hold nothing",
        tiff::Tiff {
            rows_per_strip: 256,
            ..tiff::Tiff::new(budget_side, budget_side, 3, 8)
        }
        .build(true),
    );
    add(
        "tiff_8192x8192_raw_truncated.tif",
        "uncompressed 64 Mpx with the data cut off",
        {
            let mut t = tiff::Tiff {
                compression: 1,
                rows_per_strip: 8192,
                ..tiff::Tiff::new(budget_side, budget_side, 1, 8)
            }
            .build(false);
            t.truncate(4 * MIB as usize);
            t
        },
    );

    // JPEG: declared sizes, full decodes, repeated and refinement scans, ICC chains.
    add(
        "jpeg_65535x1024_truncated.jpg",
        "declares 67 Mpx, holds no scan data",
        jpeg::baseline(65535, 1024, &YCC420, 0),
    );
    add(
        "jpeg_8192x8192_baseline_444.jpg",
        "64 Mpx 4:4:4 sequential, every block present",
        jpeg::baseline(8192, 8192, &YCC444, 1000),
    );
    add(
        "jpeg_8192x8192_progressive_444.jpg",
        "64 Mpx 4:4:4 progressive (coefficient buffers)",
        jpeg::progressive(8192, 8192, &YCC444),
    );
    add(
        "jpeg_8192x8192_progressive_420.jpg",
        "64 Mpx 4:2:0 progressive",
        jpeg::progressive(8192, 8192, &YCC420),
    );
    add(
        "jpeg_65535x1024_progressive_gray.jpg",
        "progressive strip",
        jpeg::progressive(65535, 1024, &GRAY),
    );
    add(
        "jpeg_scans_100.jpg",
        "100 scans: at the scan cap",
        jpeg::repeated_scans(8192, 8192, &GRAY, 99, false),
    );
    add(
        "jpeg_scans_101.jpg",
        "101 scans: one past the scan cap",
        jpeg::repeated_scans(8192, 8192, &GRAY, 100, false),
    );
    add(
        "jpeg_scans_5000.jpg",
        "AC scan repeated 5,000 times",
        jpeg::repeated_scans(8192, 8192, &GRAY, 5000, false),
    );
    add(
        "jpeg_scans_40000.jpg",
        "AC scan repeated 40,000 times",
        jpeg::repeated_scans(4096, 4096, &GRAY, 40000, false),
    );
    add(
        "jpeg_refine_5000.jpg",
        "AC refinement scan repeated 5,000 times",
        jpeg::repeated_scans(8192, 8192, &GRAY, 5000, true),
    );
    add(
        "jpeg_scans_90_color.jpg",
        "90 full AC scans of a 64 Mpx colour image",
        jpeg::repeated_scans(8192, 8192, &YCC444, 88, false),
    );
    let icc: Vec<u8> = (0..4 * MIB).map(|_| rng.byte()).collect();
    add(
        "jpeg_icc_chain_4mib.jpg",
        "an APP2 ICC chain of 4 MiB",
        jpeg::with_icc_chain(64, 64, &icc),
    );

    // GIF, WebP, BMP, ICO.
    add(
        "gif_8000x8000.gif",
        "64 Mpx GIF from 48 KB",
        other::gif((8000, 8000), 8000, 8000, 0),
    );
    add(
        "gif_8192x8192_2000frames.gif",
        "64 Mpx canvas and 2,000 more frames",
        other::gif((8192, 8192), 8192, 8192, 2000),
    );
    add(
        "gif_5000x5000.gif",
        "25 Mpx GIF (inside the memory budget)",
        other::gif((5000, 5000), 5000, 5000, 0),
    );
    add(
        "gif_1x1_screen_8192x8192_frame.gif",
        "a 64 Mpx first frame on a one-pixel screen",
        other::gif((1, 1), 8192, 8192, 0),
    );
    add(
        "webp_lossless_8192x8192.webp",
        "64 Mpx lossless WebP in a few bytes",
        other::vp8l_solid(8192, 8192),
    );
    add(
        "webp_lossless_16383x4096.webp",
        "64 Mpx lossless strip",
        other::vp8l_solid(16383, 4096),
    );
    add(
        "webp_lossless_6000x6000.webp",
        "36 Mpx lossless (inside the memory budget)",
        other::vp8l_solid(6000, 6000),
    );
    add(
        "webp_lossless_16384x16384.webp",
        "256 Mpx lossless: past the budget",
        other::vp8l_solid(16384, 16384),
    );
    add(
        "webp_lossy_8192x8192_truncated.webp",
        "lossy key frame header, no data",
        other::vp8_truncated(8192, 8192),
    );
    add(
        "webp_exif_declares_2gib.webp",
        "an EXIF chunk declaring 2 GiB (found by fuzzing)",
        other::with_lying_chunk(b"EXIF", 0x8A5E_0000),
    );
    add(
        "webp_iccp_declares_4gib.webp",
        "an ICCP chunk declaring 4 GiB",
        other::with_lying_chunk(b"ICCP", u32::MAX - 1),
    );
    add(
        "webp_iccp_4mib.webp",
        "4 MiB ICCP chunk",
        other::vp8x_with_iccp((0..4 * MIB).map(|_| rng.byte()).collect()),
    );
    add(
        "bmp_rle8_8192x8192.bmp",
        "64 Mpx RLE8 ending at once",
        other::bmp(8192, 8192, 8, 1, &[0, 1]),
    );
    add(
        "bmp_32bit_8192x8192_truncated.bmp",
        "64 Mpx 32-bit with no pixel data",
        other::bmp(8192, -8192, 32, 0, &[]),
    );
    add(
        "bmp_rle8_65535x1024.bmp",
        "RLE8 strip",
        other::bmp(65535, 1024, 8, 1, &[0, 1]),
    );
    add(
        "ico_png_8192x8192_rgba16.ico",
        "ICO holding a 64 Mpx 16-bit PNG",
        other::ico(&png::zeros(budget_side, budget_side, 16, Color::Rgba), 0),
    );
    add(
        "ico_png_4096x4096_rgba8.ico",
        "ICO holding a 16 Mpx PNG",
        other::ico(&png::zeros(4096, 4096, 8, Color::Rgba), 0),
    );
    v
}

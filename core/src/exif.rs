//! EXIF orientation where the image crate's decoders miss it: a WebP `EXIF` chunk that starts
//! with the JPEG APP1 prefix `Exif\0\0` (as Pillow and others write it), a PNG `eXIf` chunk
//! after the image data (the PNG decoder only sees chunks before `IDAT` when it opens), and
//! ImageMagick's hex-encoded `Raw profile type exif` text chunk (which Pillow also reads).

use image::metadata::Orientation;
use image::ImageFormat;

use crate::bytes::{be32, le32};

/// The orientation an EXIF block in `input` gives, found by walking the container's chunks.
pub(crate) fn orientation(format: ImageFormat, input: &[u8]) -> Option<Orientation> {
    let exif = match format {
        ImageFormat::WebP => webp_exif(input)?.to_vec(),
        ImageFormat::Png => png_exif(input)?,
        _ => return None,
    };
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(&exif);
    Orientation::from_exif_chunk(tiff)
}

/// The first `EXIF` chunk of a WebP.
fn webp_exif(b: &[u8]) -> Option<&[u8]> {
    if b.get(0..4)? != b"RIFF" || b.get(8..12)? != b"WEBP" {
        return None;
    }
    let mut at = 12usize;
    loop {
        let kind = b.get(at..at + 4)?;
        let len = le32(b, at + 4)? as usize;
        let data = b.get(at + 8..at.checked_add(8 + len)?)?;
        if kind == b"EXIF" {
            return Some(data);
        }
        at += 8 + len + (len & 1);
    }
}

/// The `eXIf` chunk of a PNG, before or after the image data, else an uncompressed
/// `Raw profile type exif` text chunk.
fn png_exif(b: &[u8]) -> Option<Vec<u8>> {
    let mut at = 8usize;
    let mut raw_profile = None;
    loop {
        let len = be32(b, at)? as usize;
        let kind = b.get(at + 4..at + 8)?;
        let data = b.get(at + 8..at.checked_add(8 + len)?)?;
        match kind {
            b"eXIf" => return Some(data.to_vec()),
            b"tEXt" if raw_profile.is_none() => {
                if let Some(text) = data.strip_prefix(b"Raw profile type exif\0") {
                    raw_profile = raw_profile_bytes(text);
                }
            }
            b"IEND" => return raw_profile,
            _ => {}
        }
        at += 12 + len;
    }
}

/// ImageMagick's raw profile text: `\n<name>\n<spaces><decimal length>\n<hex, in lines>`.
fn raw_profile_bytes(text: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(text).ok()?;
    let mut words = text.split_ascii_whitespace();
    let _name = words.next()?;
    let len: usize = words.next()?.parse().ok()?;
    if len > text.len() / 2 {
        return None;
    }
    let mut out = Vec::with_capacity(len);
    let mut digits = words.flat_map(str::bytes);
    while out.len() < len {
        let hi = char::from(digits.next()?).to_digit(16)?;
        let lo = char::from(digits.next()?).to_digit(16)?;
        out.push((hi * 16 + lo) as u8);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian TIFF block with one IFD entry: Orientation = `value`.
    fn tiff(value: u16) -> Vec<u8> {
        let mut t = b"II*\0\x08\0\0\0\x01\0".to_vec();
        t.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
        t.extend_from_slice(&value.to_le_bytes());
        t.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        t
    }

    fn png_with_exif_after_idat(exif: &[u8]) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (&b"IHDR"[..], &[0u8; 13][..]),
            (b"IDAT", &[0u8; 4]),
            (b"eXIf", exif),
            (b"IEND", &[]),
        ] {
            b.extend_from_slice(&(data.len() as u32).to_be_bytes());
            b.extend_from_slice(kind);
            b.extend_from_slice(data);
            b.extend_from_slice(&[0; 4]);
        }
        b
    }

    fn webp_with_exif(exif: &[u8]) -> Vec<u8> {
        let mut b = b"RIFF\0\0\0\0WEBPVP8L\x05\0\0\0\x2f\0\0\0\0\0".to_vec();
        b.extend_from_slice(b"EXIF");
        b.extend_from_slice(&(exif.len() as u32).to_le_bytes());
        b.extend_from_slice(exif);
        b
    }

    #[test]
    fn webp_exif_with_and_without_the_app1_prefix() {
        let mut prefixed = b"Exif\0\0".to_vec();
        prefixed.extend_from_slice(&tiff(3));
        let found = orientation(ImageFormat::WebP, &webp_with_exif(&prefixed));
        assert_eq!(found, Some(Orientation::Rotate180));
        let found = orientation(ImageFormat::WebP, &webp_with_exif(&tiff(6)));
        assert_eq!(found, Some(Orientation::Rotate90));
    }

    #[test]
    fn png_exif_after_the_image_data() {
        let found = orientation(ImageFormat::Png, &png_with_exif_after_idat(&tiff(8)));
        assert_eq!(found, Some(Orientation::Rotate270));
    }

    #[test]
    fn imagemagick_raw_profile_text() {
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend_from_slice(&tiff(3));
        let hex: String = exif.iter().map(|b| format!("{b:02x}")).collect();
        let (first, rest) = hex.split_at(20);
        let mut text = b"Raw profile type exif\0\nexif\n      ".to_vec();
        text.extend_from_slice(format!("{}\n{first}\n{rest}\n", exif.len()).as_bytes());
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (&b"IHDR"[..], &[0u8; 13][..]),
            (b"tEXt", &text),
            (b"IDAT", &[0u8; 4]),
            (b"IEND", &[]),
        ] {
            b.extend_from_slice(&(data.len() as u32).to_be_bytes());
            b.extend_from_slice(kind);
            b.extend_from_slice(data);
            b.extend_from_slice(&[0; 4]);
        }
        assert_eq!(
            orientation(ImageFormat::Png, &b),
            Some(Orientation::Rotate180)
        );
        // A length the text cannot hold is ignored.
        assert_eq!(raw_profile_bytes(b"\nexif\n 99999\n00"), None);
    }

    #[test]
    fn damaged_containers_give_nothing() {
        let mut b = webp_with_exif(&tiff(3));
        b.truncate(b.len() - 4);
        assert_eq!(orientation(ImageFormat::WebP, &b), None);
        assert_eq!(
            orientation(ImageFormat::Png, b"\x89PNG\r\n\x1a\n\xff\xff\xff\xff"),
            None
        );
        assert_eq!(orientation(ImageFormat::Jpeg, &tiff(3)), None);
    }
}

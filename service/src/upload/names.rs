//! Names on the way in and out: the key an S3 event carries (URL-encoded, `+` for a space),
//! the members' keys (`{dest_prefix}{key stem}-{w}x{h}.{ext}`, the batch CLI's names, the key's
//! folders kept), and the label of a member's options kept in its metadata.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use thumbprint_core::{Fit, Format, Options};

/// The object key of an S3 event record: `+` is a space and `%XX` a byte (S3 encodes keys as
/// a form does); `None` when the bytes are not UTF-8.
pub fn decode_key(encoded: &str) -> Option<String> {
    percent_decode_str(&encoded.replace('+', " "))
        .decode_utf8()
        .ok()
        .map(|k| k.into_owned())
}

/// What is escaped in a key kept in metadata (S3 metadata values are ASCII): controls, space,
/// `%`, and everything outside ASCII.
const METADATA_ESCAPES: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b'"');

/// A key as a metadata value (percent-encoded UTF-8).
pub fn key_for_metadata(key: &str) -> String {
    utf8_percent_encode(key, METADATA_ESCAPES).to_string()
}

/// The file name extension of a format (`jpg` for JPEG).
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpg",
        other => other.as_str(),
    }
}

/// The key without its extension: everything before the last `.` of its last segment (a name
/// with no dot, or only a leading one, is its own stem).
pub fn stem(key: &str) -> &str {
    let name_start = key.rfind('/').map_or(0, |i| i + 1);
    match key[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &key[..name_start + dot],
        _ => key,
    }
}

/// Where a member of `key` is written.
pub fn member_key(dest_prefix: &str, key: &str, width: u32, height: u32, format: Format) -> String {
    format!(
        "{dest_prefix}{}-{width}x{height}.{}",
        stem(key),
        extension(format)
    )
}

/// Whether `candidate` (a key listed under `{dest_prefix}{stem}-`) has a member's shape for
/// `key`: `{w}x{h}.{ext}` after that prefix, nothing more (so `a-b-1x1.png` is not `a`'s).
pub fn is_member_of(dest_prefix: &str, key: &str, candidate: &str) -> bool {
    let Some(rest) = candidate
        .strip_prefix(dest_prefix)
        .and_then(|c| c.strip_prefix(stem(key)))
        .and_then(|c| c.strip_prefix('-'))
    else {
        return false;
    };
    let Some((size, ext)) = rest.split_once('.') else {
        return false;
    };
    let Some((w, h)) = size.split_once('x') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    digits(w) && digits(h) && matches!(ext, "png" | "jpg" | "webp" | "avif")
}

/// A member's options as kept in its metadata: `w320-h320-contain-png-q80` (`-lossless` after
/// it for lossless WebP).
pub fn options_label(o: &Options) -> String {
    let fit = match o.fit {
        Fit::Contain => "contain",
        Fit::Cover => "cover",
        Fit::Fill => "fill",
    };
    format!(
        "w{}-h{}-{fit}-{}-q{}",
        o.width,
        o.height.unwrap_or(o.width),
        o.format.as_str(),
        o.quality
            .map_or_else(|| "default".to_string(), |q| q.to_string())
    ) + if o.lossless { "-lossless" } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_decoded_as_s3_encodes_them() {
        assert_eq!(
            decode_key("uploads/a+b.jpg").as_deref(),
            Some("uploads/a b.jpg")
        );
        assert_eq!(decode_key("a%2Bb.jpg").as_deref(), Some("a+b.jpg"));
        assert_eq!(decode_key("caf%C3%A9%25.png").as_deref(), Some("café%.png"));
        assert_eq!(decode_key("%FF.png"), None);
        assert_eq!(
            key_for_metadata("up/café 1%.jpg"),
            "up/caf%C3%A9%201%25.jpg"
        );
    }

    #[test]
    fn members_keep_the_folders_and_the_cli_names() {
        assert_eq!(
            member_key("thumbs/", "uploads/a b.jpg", 320, 213, Format::Png),
            "thumbs/uploads/a b-320x213.png"
        );
        assert_eq!(
            member_key("", "x.tar.gz", 1, 2, Format::Jpeg),
            "x.tar-1x2.jpg"
        );
        assert_eq!(
            member_key("t/", "a.dir/noext", 1, 2, Format::Webp),
            "t/a.dir/noext-1x2.webp"
        );
        assert_eq!(
            member_key("t/", ".hidden", 1, 2, Format::Png),
            "t/.hidden-1x2.png"
        );
        assert!(is_member_of("t/", "u/a.jpg", "t/u/a-320x213.png"));
        assert!(is_member_of("t/", "u/a.jpg", "t/u/a-320x213.avif"));
        assert!(is_member_of("t/", "u/a.jpg", "t/u/a-320x213.webp"));
        assert!(!is_member_of("t/", "u/a.jpg", "t/u/a-b-320x213.png"));
        assert!(!is_member_of("t/", "u/a.jpg", "t/u/a-320x213.png.bak"));
        assert!(!is_member_of("t/", "u/a.jpg", "t/u/a-320.png"));
        assert!(!is_member_of("t/", "u/a.jpg", "t/u/ab-1x1.png"));
    }
}

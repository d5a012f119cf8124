//! `auto`'s format from `Accept`: AVIF when the client takes `image/avif` (and the operator
//! allows AVIF in `auto`: `THUMBPRINT_AUTO_AVIF`, on unless `false`/`0`, as imgproxy's
//! `IMGPROXY_AUTO_AVIF`), else lossy WebP when it takes `image/webp`, else what the engine picks
//! (JPEG for an opaque thumbnail, PNG for one with transparency). Answers so chosen carry
//! `Vary: Accept`.

use thumbprint_core::Format;

/// Whether `accept` lists `media` without refusing it (`;q=0`). Wildcards do not count: a
/// browser's `*/*` is no promise that it decodes AVIF.
pub fn takes(accept: Option<&str>, media: &str) -> bool {
    accept.is_some_and(|a| {
        a.split(',').any(|m| {
            let mut parts = m.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>() == Ok(0.0))
            });
            name.eq_ignore_ascii_case(media) && !refused
        })
    })
}

/// The format for `asked`: itself unless `auto`; for `auto`, AVIF or WebP as `accept` allows
/// (not AVIF for lossless, which AVIF here is not), else `auto` for the engine to settle.
pub fn choose(asked: Format, lossless: bool, accept: Option<&str>, auto_avif: bool) -> Format {
    if asked != Format::Auto {
        asked
    } else if auto_avif && !lossless && takes(accept, "image/avif") {
        Format::Avif
    } else if takes(accept, "image/webp") {
        Format::Webp
    } else {
        Format::Auto
    }
}

/// `THUMBPRINT_AUTO_AVIF`: whether `auto` may answer AVIF (default yes).
pub fn auto_avif_from_env() -> bool {
    !matches!(
        std::env::var("THUMBPRINT_AUTO_AVIF")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str(),
        "false" | "0" | "no" | "off"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_prefers_avif_then_webp_then_the_engine() {
        let chrome = Some("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8");
        assert_eq!(choose(Format::Auto, false, chrome, true), Format::Avif);
        assert_eq!(choose(Format::Auto, false, chrome, false), Format::Webp);
        assert_eq!(choose(Format::Auto, true, chrome, true), Format::Webp);
        assert_eq!(
            choose(Format::Auto, false, Some("image/webp,*/*"), true),
            Format::Webp
        );
        assert_eq!(
            choose(Format::Auto, false, Some("image/*,*/*"), true),
            Format::Auto
        );
        assert_eq!(
            choose(
                Format::Auto,
                false,
                Some("image/avif;q=0, image/webp"),
                true
            ),
            Format::Webp
        );
        assert_eq!(choose(Format::Auto, false, None, true), Format::Auto);
        assert_eq!(choose(Format::Png, false, chrome, true), Format::Png);
    }
}

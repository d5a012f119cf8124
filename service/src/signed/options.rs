//! The processing options of a signed URL: thumbprint's subset of imgproxy's, parsed as
//! imgproxy parses them (`options/parser`): the path splits on `/`; a segment is an option when
//! it holds a `:`, and the first segment without one starts the source. Options apply left to
//! right, each setting only what it names (an empty argument leaves its value as it was); the
//! source's extension (`@png`, `.png`) is applied last and wins over `format`.
//!
//! The subset (docs/urls.md has the table): `resize`/`rs`, `size`/`s`, `resizing_type`/`rt`
//! (`fit`, `fill`, `force`, `auto`), `width`/`w`, `height`/`h`, `enlarge`/`el`, `extend`/`ex`
//! (false only), `gravity`/`g` (`ce` only), `quality`/`q`, `format`/`f`/`ext` (`png`, `jpeg` or
//! `jpg`, `webp`, `avif`, `auto`) and `cachebuster`/`cb` (accepted, no effect on the image). Anything
//! else is `invalid_option` naming it: nothing is silently ignored.

use thumbprint_core::{ErrorCode, Format, LIMITS};

use crate::ServiceError;

/// imgproxy's resizing types in the subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResizingType {
    /// Inside the box, aspect kept.
    #[default]
    Fit,
    /// Covers the box, aspect kept, the overflow cropped (centred).
    Fill,
    /// Exactly the box, aspect not kept.
    Force,
    /// Fill when the source and the box have the same orientation, else fit.
    Auto,
}

/// What a signed URL asks for (imgproxy's defaults: width 0 and height 0, meaning "from the
/// other side" or "the source's", fit, no enlarging, the default quality, the format chosen
/// from the source and `Accept`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Processing {
    /// The resizing type.
    pub resizing_type: ResizingType,
    /// Box width; 0 follows the height's scale.
    pub width: u32,
    /// Box height; 0 follows the width's scale.
    pub height: u32,
    /// Whether a source smaller than the box may be scaled up.
    pub enlarge: bool,
    /// Quality 1..=100 for lossy output; `None` is the format's default (`q:0`).
    pub quality: Option<u8>,
    /// The output format; `None` is chosen from the source and `Accept` (`f:auto`).
    pub format: Option<Format>,
}

/// A signed path's options and its source segments (still encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    /// The options, the source's extension applied.
    pub processing: Processing,
    /// The decoded source: `s3://...`, `https://...`, `local:///...`.
    pub source: String,
    /// Where the source segments start in the path (for a log line without the source).
    pub options: Vec<&'a str>,
}

fn bad_argument(name: &str) -> ServiceError {
    ServiceError::naming(
        ErrorCode::InvalidOption,
        "option {} has an invalid argument",
        name,
    )
}

fn unsupported_format(name: &str) -> ServiceError {
    ServiceError::naming(
        ErrorCode::InvalidOption,
        "format {} is not one thumbprint makes (png, jpeg or jpg, webp, avif, auto)",
        name,
    )
}

/// A dimension: an integer 0..=4096 (0: from the other side).
fn dimension(name: &str, arg: &str) -> Result<u32, ServiceError> {
    match arg.parse::<u32>() {
        Ok(v) if v <= LIMITS.max_dimension => Ok(v),
        Ok(_) => Err(ServiceError::naming(
            ErrorCode::InvalidOption,
            "option {} is over 4096 pixels",
            name,
        )),
        Err(_) => Err(bad_argument(name)),
    }
}

/// Go's `strconv.ParseBool` set, as imgproxy reads booleans (anything else is refused here,
/// where imgproxy would read it as false).
fn boolean(name: &str, arg: &str) -> Result<bool, ServiceError> {
    match arg {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(bad_argument(name)),
    }
}

/// A format name, exact and case-sensitive; `auto` is `None`.
pub fn format(name: &str) -> Result<Option<Format>, ServiceError> {
    match name {
        "png" => Ok(Some(Format::Png)),
        "jpeg" | "jpg" => Ok(Some(Format::Jpeg)),
        "webp" => Ok(Some(Format::Webp)),
        "avif" => Ok(Some(Format::Avif)),
        "auto" => Ok(None),
        other => Err(unsupported_format(other)),
    }
}

fn too_many(name: &str, args: &[&str], max: usize) -> Result<(), ServiceError> {
    if args.len() > max {
        return Err(ServiceError::naming(
            ErrorCode::InvalidOption,
            "option {} has too many arguments",
            name,
        ));
    }
    Ok(())
}

impl Processing {
    /// Applies one option segment (`name:arg:arg...`).
    fn apply(&mut self, segment: &str) -> Result<(), ServiceError> {
        let mut parts = segment.split(':');
        let name = parts.next().unwrap_or("");
        let args: Vec<&str> = parts.collect();
        if args.is_empty() {
            // Not reached: a segment is an option because it holds a `:`.
            return Err(bad_argument(name));
        }
        match name {
            "resize" | "rs" => self.resize(name, &args),
            "size" | "s" => self.size(name, &args),
            "resizing_type" | "rt" => {
                too_many(name, &args, 1)?;
                self.resizing_type = resizing_type(name, args[0])?;
                Ok(())
            }
            "width" | "w" => {
                too_many(name, &args, 1)?;
                self.width = dimension(name, args[0])?;
                Ok(())
            }
            "height" | "h" => {
                too_many(name, &args, 1)?;
                self.height = dimension(name, args[0])?;
                Ok(())
            }
            "enlarge" | "el" => {
                too_many(name, &args, 1)?;
                self.enlarge = boolean(name, args[0])?;
                Ok(())
            }
            "extend" | "ex" => extend(name, &args),
            "gravity" | "g" => gravity(name, &args),
            "quality" | "q" => {
                too_many(name, &args, 1)?;
                self.quality = match args[0].parse::<u8>() {
                    Ok(0) => None,
                    Ok(q) if q <= 100 => Some(q),
                    _ => return Err(bad_argument(name)),
                };
                Ok(())
            }
            "format" | "f" | "ext" => {
                too_many(name, &args, 1)?;
                self.format = format(args[0])?;
                Ok(())
            }
            "cachebuster" | "cb" => too_many(name, &args, 1),
            other => Err(ServiceError::naming(
                ErrorCode::InvalidOption,
                "option {} is not in thumbprint's subset of imgproxy's options (docs/urls.md)",
                other,
            )),
        }
    }

    /// `rs:TYPE:W:H:ENLARGE:EXTEND...`: an empty type leaves the type as it was.
    fn resize(&mut self, name: &str, args: &[&str]) -> Result<(), ServiceError> {
        too_many(name, args, 8)?;
        if !args[0].is_empty() {
            self.resizing_type = resizing_type(name, args[0])?;
        }
        if args.len() > 1 {
            self.size(name, &args[1..])?;
        }
        Ok(())
    }

    /// `s:W:H:ENLARGE:EXTEND...`: each argument applies only when present and not empty.
    fn size(&mut self, name: &str, args: &[&str]) -> Result<(), ServiceError> {
        too_many(name, args, 7)?;
        let given = |i: usize| args.get(i).copied().filter(|a| !a.is_empty());
        if let Some(w) = given(0) {
            self.width = dimension(name, w)?;
        }
        if let Some(h) = given(1) {
            self.height = dimension(name, h)?;
        }
        if let Some(el) = given(2) {
            self.enlarge = boolean(name, el)?;
        }
        if given(3).is_some() {
            extend(name, &args[3..])?;
        }
        Ok(())
    }
}

fn resizing_type(name: &str, arg: &str) -> Result<ResizingType, ServiceError> {
    match arg {
        "fit" => Ok(ResizingType::Fit),
        "fill" => Ok(ResizingType::Fill),
        "force" => Ok(ResizingType::Force),
        "auto" => Ok(ResizingType::Auto),
        "fill-down" => Err(ServiceError::naming(
            ErrorCode::InvalidOption,
            "resizing type {} is not in thumbprint's subset (fit, fill, force, auto)",
            arg,
        )),
        _ => Err(bad_argument(name)),
    }
}

/// `ex:EXTEND[:GRAVITY...]`: only "do not extend" is in the subset.
fn extend(name: &str, args: &[&str]) -> Result<(), ServiceError> {
    if boolean(name, args[0])? {
        return Err(ServiceError::naming(
            ErrorCode::InvalidOption,
            "option {} (extending onto a background) is not in thumbprint's subset",
            name,
        ));
    }
    Ok(())
}

/// `g:ce[:0:0]`: thumbprint crops centred only.
fn gravity(name: &str, args: &[&str]) -> Result<(), ServiceError> {
    too_many(name, args, 3)?;
    let centred = args[0] == "ce" && args[1..].iter().all(|o| o.parse::<f64>() == Ok(0.0));
    if !centred {
        return Err(ServiceError::naming(
            ErrorCode::InvalidOption,
            "option {}: thumbprint crops centred only (ce, without offsets)",
            name,
        ));
    }
    Ok(())
}

/// Parses a signed path (from its `/`): the options, then the source.
pub fn parse(path: &str) -> Result<Parsed<'_>, ServiceError> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let first_source = segments
        .iter()
        .position(|s| !s.contains(':'))
        .ok_or_else(|| {
            ServiceError::with_message(ErrorCode::InvalidRequest, "the URL has no source")
        })?;
    let mut processing = Processing::default();
    for segment in &segments[..first_source] {
        processing.apply(segment)?;
    }
    let (source, extension) = super::source::decode(&segments[first_source..])?;
    if let Some(ext) = extension {
        processing.format = format(&ext)?;
    }
    Ok(Parsed {
        processing,
        source,
        options: segments[..first_source].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn processing(path: &str) -> Result<Processing, ServiceError> {
        parse(path).map(|p| p.processing)
    }

    fn ok(path: &str) -> Processing {
        processing(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn resize_and_size_set_only_what_they_name() {
        let p = ok("/rs:fit:300:200/plain/https://x.test/a.jpg");
        assert_eq!(
            (p.resizing_type, p.width, p.height),
            (ResizingType::Fit, 300, 200)
        );
        // An empty type or argument leaves the value as it was; order matters.
        let p = ok("/rt:fill/rs::200:150/plain/https://x.test/a.jpg");
        assert_eq!(
            (p.resizing_type, p.width, p.height),
            (ResizingType::Fill, 200, 150)
        );
        let p = ok("/el:t/rs:fill:200:150/h:90/plain/https://x.test/a.jpg");
        assert!(p.enlarge);
        assert_eq!((p.width, p.height), (200, 90));
        let p = ok("/s:160:160:1/resizing_type:force/plain/https://x.test/a.jpg");
        assert_eq!((p.resizing_type, p.enlarge), (ResizingType::Force, true));
        let p = ok("/rs:fit:300/plain/https://x.test/a.jpg");
        assert_eq!((p.width, p.height), (300, 0));
        let p = ok("/rs:fit:240::0/plain/https://x.test/a.jpg");
        assert_eq!((p.width, p.height, p.enlarge), (240, 0, false));
    }

    #[test]
    fn booleans_quality_and_formats_as_imgproxy_reads_them() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert!(ok(&format!("/el:{t}/plain/local:///a.png")).enlarge, "{t}");
        }
        assert!(processing("/el:yes/plain/local:///a.png").is_err());
        assert_eq!(ok("/q:0/plain/local:///a.png").quality, None);
        assert_eq!(ok("/quality:75/plain/local:///a.png").quality, Some(75));
        assert!(processing("/q:101/plain/local:///a.png").is_err());
        assert_eq!(ok("/f:jpg/plain/local:///a.png").format, Some(Format::Jpeg));
        assert_eq!(
            ok("/format:jpeg/plain/local:///a.png").format,
            Some(Format::Jpeg)
        );
        assert_eq!(ok("/f:auto/plain/local:///a.png").format, None);
        // The extension wins over f:, whatever their order in the URL.
        assert_eq!(
            ok("/f:webp/plain/local:///a.png@png").format,
            Some(Format::Png)
        );
        assert!(processing("/f:JPG/plain/local:///a.png").is_err());
        assert_eq!(ok("/plain/local:///a.png@avif").format, Some(Format::Avif));
        assert_eq!(
            ok("/f:avif/plain/local:///a.png").format,
            Some(Format::Avif)
        );
        assert!(processing("/plain/local:///a.png@heic").is_err());
    }

    #[test]
    fn anything_outside_the_subset_is_refused_by_name() {
        for (path, named) in [
            ("/crop:100:100/plain/local:///a.png", "`crop`"),
            ("/rt:fill-down/plain/local:///a.png", "`fill-down`"),
            ("/g:sm/plain/local:///a.png", "`g`"),
            ("/g:ce:10:0/plain/local:///a.png", "`g`"),
            ("/ex:1/plain/local:///a.png", "`ex`"),
            ("/rs:fit:10:10:0:1/plain/local:///a.png", "`rs`"),
            ("/w:5000/plain/local:///a.png", "`w`"),
            ("/w:-1/plain/local:///a.png", "`w`"),
            ("/f:gif/plain/local:///a.png", "`gif`"),
        ] {
            let e = processing(path).expect_err(path);
            assert_eq!(e.code, ErrorCode::InvalidOption, "{path}");
            assert!(e.message.contains(named), "{path}: {}", e.message);
        }
        let e = processing("/<script>:1/plain/local:///a.png").expect_err("refused");
        assert!(!e.message.contains("<script>"), "{}", e.message);
        assert!(ok("/g:ce:0:0/cb:123/ex:0/plain/local:///a.png")
            .format
            .is_none());
    }
}

//! Thumbnail options, their ranges, and the limits shared by every front end.

use crate::Error;

/// Largest width or height of a thumbnail, in pixels.
pub const MAX_DIMENSION: u32 = 4096;
/// The box width when a request gives none: the seed thumbnailer's `params.get("width", 200)`.
pub const DEFAULT_WIDTH: u32 = 200;
/// Largest number of pixels an input may declare (checked from the header, before decoding).
pub const MAX_INPUT_PIXELS: u64 = 64 * 1024 * 1024;
/// Largest single allocation the decoders may make, in bytes.
pub const MAX_DECODE_ALLOC: u64 = 1024 * 1024 * 1024;
/// Largest encoded thumbnail, in bytes: what fits a 6 MB (6,291,556 B) Lambda response once
/// base64-encoded (6,000,000 B) inside its JSON envelope.
pub const MAX_OUTPUT_BYTES: usize = 4_500_000;
/// Largest image a caller may send in a request body (raw or base64-decoded): what fits a 6 MB
/// Lambda request once base64-encoded (4.4 MiB).
pub const MAX_INPUT_BYTES: usize = 4_613_734;
/// Default quality for lossy output.
pub const DEFAULT_QUALITY: u8 = 80;

/// How the image is fitted into the requested box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Keep the aspect ratio and fit inside the box; never upscale.
    #[default]
    Contain,
    /// Keep the aspect ratio, fill the box exactly and crop the overflow, centred.
    Cover,
    /// Stretch to exactly the box.
    Fill,
}

impl Fit {
    /// The option's spelling in requests.
    pub fn as_str(self) -> &'static str {
        match self {
            Fit::Contain => "contain",
            Fit::Cover => "cover",
            Fit::Fill => "fill",
        }
    }
}

impl std::str::FromStr for Fit {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "contain" => Ok(Fit::Contain),
            "cover" => Ok(Fit::Cover),
            "fill" => Ok(Fit::Fill),
            _ => Err(Error::InvalidOption(
                "fit must be one of contain, cover, fill",
            )),
        }
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PNG (lossless, default).
    #[default]
    Png,
    /// Baseline JPEG; alpha is composited onto white.
    Jpeg,
    /// Lossless WebP.
    Webp,
}

impl Format {
    /// The option's spelling in requests.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Webp => "webp",
        }
    }

    /// The MIME type of the encoded output.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "png" => Ok(Format::Png),
            "jpeg" | "jpg" => Ok(Format::Jpeg),
            "webp" => Ok(Format::Webp),
            _ => Err(Error::InvalidOption(
                "format must be one of png, jpeg, webp",
            )),
        }
    }
}

/// What the caller asks for. Build with [`Options::new`] and the setters, or fill the fields and
/// call [`Options::validate`] (which [`crate::thumbnail`] does too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Options {
    /// Box width in pixels, 1..=4096 ([`DEFAULT_WIDTH`] when a request gives none).
    pub width: u32,
    /// Box height in pixels, 1..=4096. When absent, the box is square: `width` x `width`, the
    /// seed thumbnailer's `image.thumbnail((width, width))`.
    pub height: Option<u32>,
    /// How to fit the image into the box.
    pub fit: Fit,
    /// Output format.
    pub format: Format,
    /// Quality 1..=100 for lossy formats (JPEG); ignored for lossless ones.
    pub quality: Option<u8>,
}

impl Default for Options {
    /// The seed's defaults: a 200 x 200 box, contain, PNG.
    fn default() -> Self {
        Options::new(DEFAULT_WIDTH)
    }
}

impl Options {
    /// Options for a `width` x `width` box, everything else at its default.
    pub fn new(width: u32) -> Self {
        Options {
            width,
            height: None,
            fit: Fit::Contain,
            format: Format::Png,
            quality: None,
        }
    }

    /// The box height: `height`, or `width` when it is absent.
    pub fn box_height(&self) -> u32 {
        self.height.unwrap_or(self.width)
    }

    /// Checks every option against its range.
    pub fn validate(&self) -> Result<(), Error> {
        if !(1..=MAX_DIMENSION).contains(&self.width) {
            return Err(Error::InvalidOption(
                "width must be an integer from 1 to 4096",
            ));
        }
        if let Some(h) = self.height {
            if !(1..=MAX_DIMENSION).contains(&h) {
                return Err(Error::InvalidOption(
                    "height must be an integer from 1 to 4096",
                ));
            }
        }
        if let Some(q) = self.quality {
            if !(1..=100).contains(&q) {
                return Err(Error::InvalidOption(
                    "quality must be an integer from 1 to 100",
                ));
            }
        }
        Ok(())
    }

    /// The quality used for lossy output.
    pub fn effective_quality(&self) -> u8 {
        self.quality.unwrap_or(DEFAULT_QUALITY)
    }
}

/// Parses a dimension or quality given as text (query strings, CLI): a plain decimal integer.
pub fn parse_u32(name_range_msg: &'static str, text: &str) -> Result<u32, Error> {
    let t = text.trim();
    if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidOption(name_range_msg));
    }
    t.parse().map_err(|_| Error::InvalidOption(name_range_msg))
}

/// An option value as a front end received it: a JSON/JS number, a text (query string, CLI), or
/// anything else (which is always refused).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawValue<'a> {
    /// A number (must be an integer in range).
    Number(f64),
    /// A text (a decimal integer for sizes and quality, a keyword for fit and format).
    Text(&'a str),
    /// Any other type (null, boolean, object, ...).
    Other,
}

/// The raw options of one request, each `None` when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RawOptions<'a> {
    /// `width`.
    pub width: Option<RawValue<'a>>,
    /// `height`.
    pub height: Option<RawValue<'a>>,
    /// `fit`.
    pub fit: Option<RawValue<'a>>,
    /// `format`.
    pub format: Option<RawValue<'a>>,
    /// `quality`.
    pub quality: Option<RawValue<'a>>,
}

/// The names of every option, as they appear in JSON bodies, query strings and JS objects.
pub const OPTION_NAMES: [&str; 5] = ["width", "height", "fit", "format", "quality"];

fn integer(v: RawValue<'_>, max: u32, msg: &'static str) -> Result<u32, Error> {
    let n = match v {
        RawValue::Number(n) => {
            if !n.is_finite() || n.fract() != 0.0 || n < 1.0 || n > f64::from(max) {
                return Err(Error::InvalidOption(msg));
            }
            n as u32
        }
        RawValue::Text(t) => parse_u32(msg, t)?,
        RawValue::Other => return Err(Error::InvalidOption(msg)),
    };
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(Error::InvalidOption(msg))
    }
}

fn keyword<'a>(v: RawValue<'a>, msg: &'static str) -> Result<&'a str, Error> {
    match v {
        RawValue::Text(t) => Ok(t),
        _ => Err(Error::InvalidOption(msg)),
    }
}

impl RawOptions<'_> {
    /// Validates and converts: the one place where every front end's option values are read.
    pub fn parse(&self) -> Result<Options, Error> {
        const W: &str = "width must be an integer from 1 to 4096";
        const H: &str = "height must be an integer from 1 to 4096";
        const Q: &str = "quality must be an integer from 1 to 100";
        const FIT: &str = "fit must be one of contain, cover, fill";
        const FMT: &str = "format must be one of png, jpeg, webp";
        let width = match self.width {
            Some(w) => integer(w, MAX_DIMENSION, W)?,
            None => DEFAULT_WIDTH,
        };
        let mut o = Options::new(width);
        if let Some(h) = self.height {
            o.height = Some(integer(h, MAX_DIMENSION, H)?);
        }
        if let Some(f) = self.fit {
            o.fit = keyword(f, FIT)?.parse()?;
        }
        if let Some(f) = self.format {
            o.format = keyword(f, FMT)?.parse()?;
        }
        if let Some(q) = self.quality {
            o.quality = Some(integer(q, 100, Q)? as u8);
        }
        o.validate()?;
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_options_accept_numbers_and_texts() {
        let raw = RawOptions {
            width: Some(RawValue::Number(200.0)),
            height: Some(RawValue::Text("100")),
            fit: Some(RawValue::Text("cover")),
            format: Some(RawValue::Text("webp")),
            quality: Some(RawValue::Number(50.0)),
        };
        let o = raw.parse().expect("valid");
        assert_eq!(
            (o.width, o.height, o.fit, o.format, o.quality),
            (200, Some(100), Fit::Cover, Format::Webp, Some(50))
        );
    }

    #[test]
    fn absent_width_is_200_and_absent_height_follows_width() {
        let o = RawOptions::default().parse().expect("defaults are valid");
        assert_eq!((o.width, o.box_height()), (200, 200));
        assert_eq!(o, Options::default());
        let o = RawOptions {
            width: Some(RawValue::Text("120")),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!((o.width, o.height, o.box_height()), (120, None, 120));
        let o = RawOptions {
            height: Some(RawValue::Number(50.0)),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!((o.width, o.box_height()), (200, 50));
    }

    #[test]
    fn raw_options_refuse_out_of_range_and_wrong_types() {
        let bad = [
            RawOptions {
                width: Some(RawValue::Number(0.0)),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Number(4097.0)),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Number(10.5)),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Text("-3")),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Other),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Number(10.0)),
                fit: Some(RawValue::Text("zoom")),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Number(10.0)),
                format: Some(RawValue::Number(1.0)),
                ..Default::default()
            },
            RawOptions {
                width: Some(RawValue::Number(10.0)),
                quality: Some(RawValue::Number(101.0)),
                ..Default::default()
            },
        ];
        for raw in bad {
            assert!(
                matches!(raw.parse(), Err(Error::InvalidOption(_))),
                "{raw:?}"
            );
        }
    }
}

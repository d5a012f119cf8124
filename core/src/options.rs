//! Thumbnail options, their ranges and defaults, and the one reader every front end uses to
//! build them from name/value lookups.

use crate::{Error, LIMITS};

/// The box width when a request gives none: the seed thumbnailer's `params.get("width", 200)`.
pub const DEFAULT_WIDTH: u32 = 200;
/// Default quality for lossy output (JPEG and WebP; sharp's WebP default too).
pub const DEFAULT_QUALITY: u8 = 80;
/// Default quality for AVIF (sharp's: AVIF at 80 is often larger than JPEG at 80).
pub const DEFAULT_AVIF_QUALITY: u8 = 50;

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
    /// WebP: lossy (VP8) at `quality`, or lossless (VP8L) with `lossless`.
    Webp,
    /// AVIF (AV1 intra frame, 4:4:4) at `quality`.
    Avif,
    /// Chosen for the caller: a front end that sees `Accept` picks AVIF or WebP from it; what
    /// remains is JPEG for an opaque thumbnail and PNG for one with transparency. Never the
    /// format of a finished thumbnail.
    Auto,
}

impl Format {
    /// The option's spelling in requests.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Webp => "webp",
            Format::Avif => "avif",
            Format::Auto => "auto",
        }
    }

    /// The MIME type of the encoded output (`auto` has none: it is resolved before encoding).
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
            Format::Avif => "image/avif",
            Format::Auto => "application/octet-stream",
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
            "avif" => Ok(Format::Avif),
            "auto" => Ok(Format::Auto),
            _ => Err(Error::InvalidOption(FORMAT_MESSAGE)),
        }
    }
}

const FORMAT_MESSAGE: &str = "format must be one of png, jpeg, webp, avif, auto";

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
    /// Quality 1..=100 for lossy formats (JPEG, WebP, AVIF); ignored for lossless ones.
    pub quality: Option<u8>,
    /// Lossless output: WebP's lossless encoding (VP8L); PNG is always lossless; JPEG and AVIF
    /// refuse it.
    pub lossless: bool,
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
            lossless: false,
        }
    }

    /// The box height: `height`, or `width` when it is absent.
    pub fn box_height(&self) -> u32 {
        self.height.unwrap_or(self.width)
    }

    /// Checks every option against its range.
    pub fn validate(&self) -> Result<(), Error> {
        if !(1..=LIMITS.max_dimension).contains(&self.width) {
            return Err(Error::InvalidOption(
                "width must be an integer from 1 to 4096",
            ));
        }
        if let Some(h) = self.height {
            if !(1..=LIMITS.max_dimension).contains(&h) {
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
        if self.lossless && matches!(self.format, Format::Jpeg | Format::Avif) {
            return Err(Error::InvalidOption(
                "lossless applies to webp, png and auto only",
            ));
        }
        Ok(())
    }

    /// The quality used for lossy output: `quality`, else the format's default ([`DEFAULT_QUALITY`],
    /// [`DEFAULT_AVIF_QUALITY`] for AVIF).
    pub fn effective_quality(&self) -> u8 {
        self.quality.unwrap_or(match self.format {
            Format::Avif => DEFAULT_AVIF_QUALITY,
            _ => DEFAULT_QUALITY,
        })
    }
}

/// Parses a dimension or quality given as text (query strings, CLI): a plain decimal integer.
fn parse_u32(name_range_msg: &'static str, text: &str) -> Result<u32, Error> {
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
    /// A boolean (`lossless` only).
    Bool(bool),
    /// Any other type (null, object, ...).
    Other,
}

/// The names of every option, as they appear in JSON bodies, query strings and JS objects.
pub const OPTION_NAMES: [&str; 6] = ["width", "height", "fit", "format", "quality", "lossless"];

fn integer(v: RawValue<'_>, max: u32, msg: &'static str) -> Result<u32, Error> {
    let n = match v {
        RawValue::Number(n) => {
            if !n.is_finite() || n.fract() != 0.0 || n < 1.0 || n > f64::from(max) {
                return Err(Error::InvalidOption(msg));
            }
            n as u32
        }
        RawValue::Text(t) => parse_u32(msg, t)?,
        RawValue::Bool(_) | RawValue::Other => return Err(Error::InvalidOption(msg)),
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

impl Options {
    /// The thumbnail's size for an upright source of `width` x `height` pixels: the size rule
    /// (fitted inside the box for `contain`, the box itself for `cover` and `fill`, never
    /// larger than the source for `contain`).
    pub fn output_size(&self, width: u32, height: u32) -> (u32, u32) {
        let plan = crate::geometry::plan(width, height, self);
        (plan.width, plan.height)
    }

    /// Reads, validates and converts the options a front end received, looked up by name (each
    /// of [`OPTION_NAMES`]; `None` when absent): the one place where the JSON body, the query
    /// string, the CLI's flags and the JS object become options. An absent width is
    /// [`DEFAULT_WIDTH`]; an absent height follows the width.
    pub fn from_lookup<'a>(
        mut get: impl FnMut(&'static str) -> Option<RawValue<'a>>,
    ) -> Result<Options, Error> {
        const W: &str = "width must be an integer from 1 to 4096";
        const H: &str = "height must be an integer from 1 to 4096";
        const Q: &str = "quality must be an integer from 1 to 100";
        const FIT: &str = "fit must be one of contain, cover, fill";
        const FMT: &str = FORMAT_MESSAGE;
        const LOSSLESS: &str = "lossless must be true or false";
        let width = match get("width") {
            Some(w) => integer(w, LIMITS.max_dimension, W)?,
            None => DEFAULT_WIDTH,
        };
        let mut o = Options::new(width);
        if let Some(h) = get("height") {
            o.height = Some(integer(h, LIMITS.max_dimension, H)?);
        }
        if let Some(f) = get("fit") {
            o.fit = keyword(f, FIT)?.parse()?;
        }
        if let Some(f) = get("format") {
            o.format = keyword(f, FMT)?.parse()?;
        }
        if let Some(q) = get("quality") {
            o.quality = Some(integer(q, 100, Q)? as u8);
        }
        if let Some(l) = get("lossless") {
            o.lossless = match l {
                RawValue::Bool(b) => b,
                RawValue::Text("true" | "1") => true,
                RawValue::Text("false" | "0") => false,
                _ => return Err(Error::InvalidOption(LOSSLESS)),
            };
        }
        o.validate()?;
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options from `(name, value)` pairs, as a front end would look them up.
    fn from_pairs(pairs: &[(&str, RawValue<'static>)]) -> Result<Options, Error> {
        Options::from_lookup(|name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v))
    }

    #[test]
    fn lookups_accept_numbers_and_texts() {
        let o = from_pairs(&[
            ("width", RawValue::Number(200.0)),
            ("height", RawValue::Text("100")),
            ("fit", RawValue::Text("cover")),
            ("format", RawValue::Text("webp")),
            ("quality", RawValue::Number(50.0)),
        ])
        .expect("valid");
        assert_eq!(
            (o.width, o.height, o.fit, o.format, o.quality),
            (200, Some(100), Fit::Cover, Format::Webp, Some(50))
        );
    }

    #[test]
    fn the_lookup_asks_for_every_option_name_and_no_other() {
        let mut asked = Vec::new();
        Options::from_lookup(|name| {
            asked.push(name);
            None
        })
        .expect("defaults are valid");
        assert_eq!(asked, OPTION_NAMES);
    }

    #[test]
    fn lossless_and_the_new_formats_are_read() {
        let o = from_pairs(&[
            ("format", RawValue::Text("webp")),
            ("lossless", RawValue::Bool(true)),
        ])
        .expect("valid");
        assert!(o.lossless);
        let o = from_pairs(&[("format", RawValue::Text("avif"))]).expect("valid");
        assert_eq!(
            (o.format, o.effective_quality()),
            (Format::Avif, DEFAULT_AVIF_QUALITY)
        );
        let o = from_pairs(&[
            ("format", RawValue::Text("auto")),
            ("lossless", RawValue::Text("0")),
        ])
        .expect("valid");
        assert_eq!(
            (o.format, o.lossless, o.effective_quality()),
            (Format::Auto, false, 80)
        );
    }

    #[test]
    fn absent_width_is_200_and_absent_height_follows_width() {
        let o = from_pairs(&[]).expect("defaults are valid");
        assert_eq!((o.width, o.box_height()), (200, 200));
        assert_eq!(o, Options::default());
        let o = from_pairs(&[("width", RawValue::Text("120"))]).expect("valid");
        assert_eq!((o.width, o.height, o.box_height()), (120, None, 120));
        let o = from_pairs(&[("height", RawValue::Number(50.0))]).expect("valid");
        assert_eq!((o.width, o.box_height()), (200, 50));
    }

    #[test]
    fn lookups_refuse_out_of_range_and_wrong_types() {
        let bad: [&[(&str, RawValue<'static>)]; 13] = [
            &[("width", RawValue::Number(0.0))],
            &[("width", RawValue::Number(4097.0))],
            &[("width", RawValue::Number(10.5))],
            &[("width", RawValue::Text("-3"))],
            &[("width", RawValue::Text("1234567890"))],
            &[("width", RawValue::Other)],
            &[("fit", RawValue::Text("zoom"))],
            &[("format", RawValue::Number(1.0))],
            &[("quality", RawValue::Number(101.0))],
            &[("lossless", RawValue::Text("yes"))],
            &[("lossless", RawValue::Number(1.0))],
            &[
                ("format", RawValue::Text("jpeg")),
                ("lossless", RawValue::Bool(true)),
            ],
            &[
                ("format", RawValue::Text("avif")),
                ("lossless", RawValue::Text("true")),
            ],
        ];
        for pairs in bad {
            assert!(
                matches!(from_pairs(pairs), Err(Error::InvalidOption(_))),
                "{pairs:?}"
            );
        }
    }
}

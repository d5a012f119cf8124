//! Reading a thumbnail request: a JSON body (`image_base64` or `image_url`, plus options) or a raw
//! image body with `Content-Type: image/*` and the options in the query string.

use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use thumbprint_core::{ErrorCode, Options, RawValue, LIMITS, MAX_SET, OPTION_NAMES};

use crate::ServiceError;

/// Where the image comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Bytes sent by the caller.
    Bytes(Vec<u8>),
    /// A URL to fetch under the source policy.
    Url(String),
}

/// What the caller asked for: one thumbnail, or a set (`sizes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// One thumbnail with these options.
    One(Options),
    /// A set: each member's options, or why they cannot be read (that member fails alone).
    Set(Vec<Result<Options, ServiceError>>),
}

/// A parsed, validated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThumbRequest {
    /// The image source.
    pub source: Source,
    /// One thumbnail or a set.
    pub want: Want,
}

impl ThumbRequest {
    /// The options of a one-thumbnail request; `None` for a set.
    pub fn options(&self) -> Option<&Options> {
        match &self.want {
            Want::One(o) => Some(o),
            Want::Set(_) => None,
        }
    }
}

/// The JSON body. Unknown and duplicate fields are refused by serde.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonBody {
    image_base64: Option<String>,
    image_url: Option<String>,
    width: Option<Value>,
    height: Option<Value>,
    fit: Option<Value>,
    format: Option<Value>,
    quality: Option<Value>,
    lossless: Option<Value>,
    sizes: Option<Value>,
}

/// One member of `sizes`: the same options as a single request, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Member {
    width: Option<Value>,
    height: Option<Value>,
    fit: Option<Value>,
    format: Option<Value>,
    quality: Option<Value>,
    lossless: Option<Value>,
}

impl Member {
    fn options(&self) -> Result<Options, ServiceError> {
        Ok(Options::from_lookup(|name| match name {
            "width" => raw_of(&self.width),
            "height" => raw_of(&self.height),
            "fit" => raw_of(&self.fit),
            "format" => raw_of(&self.format),
            "quality" => raw_of(&self.quality),
            "lossless" => raw_of(&self.lossless),
            _ => None,
        })?)
    }
}

/// `sizes`: an array of 1 to [`MAX_SET`] objects. A member that is not an options object, or
/// whose options are out of range, fails alone; the array itself must be well formed.
pub fn set_members(sizes: Value) -> Result<Vec<Result<Options, ServiceError>>, ServiceError> {
    let Value::Array(items) = sizes else {
        return Err(invalid("sizes must be an array of option objects"));
    };
    if items.is_empty() || items.len() > MAX_SET {
        return Err(invalid("sizes must have 1 to 8 members"));
    }
    Ok(items
        .into_iter()
        .map(|item| {
            serde_json::from_value::<Member>(item)
                .map_err(|_| invalid("a member of sizes has unknown or mistyped fields"))
                .and_then(|m| m.options())
        })
        .collect())
}

fn invalid(message: &'static str) -> ServiceError {
    ServiceError::with_message(ErrorCode::InvalidRequest, message)
}

fn raw_of(v: &Option<Value>) -> Option<RawValue<'_>> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(RawValue::Number(n.as_f64().unwrap_or(f64::NAN))),
        Some(Value::String(s)) => Some(RawValue::Text(s)),
        Some(Value::Bool(b)) => Some(RawValue::Bool(*b)),
        Some(_) => Some(RawValue::Other),
    }
}

/// Decodes standard base64 (padding optional, whitespace ignored) under the input cap.
fn decode_base64(text: &str) -> Result<Vec<u8>, ServiceError> {
    // 4 characters per 3 bytes, plus room for line breaks.
    if text.len() > LIMITS.max_input_bytes / 3 * 4 + 4 + text.len() / 64 * 2 {
        return Err(ServiceError::new(ErrorCode::PayloadTooLarge));
    }
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = engine
        .decode(compact.as_bytes())
        .map_err(|_| invalid("image_base64 is not valid base64"))?;
    if bytes.len() > LIMITS.max_input_bytes {
        return Err(ServiceError::new(ErrorCode::PayloadTooLarge));
    }
    Ok(bytes)
}

/// Parses the JSON contract: exactly one of `image_base64` / `image_url`, then the options.
pub fn from_json(body: &[u8]) -> Result<ThumbRequest, ServiceError> {
    let parsed: JsonBody = serde_json::from_slice(body).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            invalid("the body is not valid JSON")
        } else {
            invalid("the body has unknown, duplicate or mistyped fields")
        }
    })?;
    let source = match (parsed.image_base64, parsed.image_url) {
        (Some(b64), None) => Source::Bytes(decode_base64(&b64)?),
        (None, Some(url)) => Source::Url(url),
        (Some(_), Some(_)) => {
            return Err(invalid("give exactly one of image_base64 and image_url"))
        }
        (None, None) => return Err(invalid("give exactly one of image_base64 and image_url")),
    };
    let top = Member {
        width: parsed.width,
        height: parsed.height,
        fit: parsed.fit,
        format: parsed.format,
        quality: parsed.quality,
        lossless: parsed.lossless,
    };
    let want = match parsed.sizes {
        None => Want::One(top.options()?),
        Some(sizes) => {
            let given = [
                &top.width,
                &top.height,
                &top.fit,
                &top.format,
                &top.quality,
                &top.lossless,
            ];
            if given
                .iter()
                .any(|v| v.as_ref().is_some_and(|v| !v.is_null()))
            {
                return Err(invalid(
                    "give the options either at the top level or in sizes, not both",
                ));
            }
            Want::Set(set_members(sizes)?)
        }
    };
    Ok(ThumbRequest { source, want })
}

/// Parses the options of a raw upload from the query string. Unknown or repeated parameters
/// are refused, as in JSON.
pub fn options_from_query(query: &str) -> Result<Options, ServiceError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    for (i, (k, _)) in pairs.iter().enumerate() {
        if !OPTION_NAMES.contains(&k.as_str()) {
            return Err(invalid("unknown query parameter"));
        }
        if pairs[..i].iter().any(|(other, _)| other == k) {
            return Err(invalid("repeated query parameter"));
        }
    }
    Ok(Options::from_lookup(|name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| RawValue::Text(v.as_str()))
    })?)
}

/// The media type of a Content-Type header value, lower-cased, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Parses a `POST /thumbnail` body by its Content-Type.
pub fn from_http(
    content_type: Option<&str>,
    query: &str,
    body: Vec<u8>,
) -> Result<ThumbRequest, ServiceError> {
    let media = content_type.map(media_type).unwrap_or_default();
    if media.starts_with("image/") {
        if body.len() > LIMITS.max_input_bytes {
            return Err(ServiceError::new(ErrorCode::PayloadTooLarge));
        }
        let options = options_from_query(query)?;
        return Ok(ThumbRequest {
            source: Source::Bytes(body),
            want: Want::One(options),
        });
    }
    if media == "application/json" || media.ends_with("+json") || media.is_empty() {
        return from_json(&body);
    }
    Err(ServiceError::new(ErrorCode::UnsupportedMediaType))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<ThumbRequest, ServiceError>) -> ErrorCode {
        r.expect_err("must fail").code
    }

    #[test]
    fn json_contract() {
        let r =
            from_json(br#"{"image_base64":"aGVsbG8=","width":200,"fit":"cover"}"#).expect("valid");
        assert_eq!(r.source, Source::Bytes(b"hello".to_vec()));
        assert_eq!(r.options().expect("one").width, 200);
        let r =
            from_json(br#"{"image_url":"https://example.com/a.png","width":"64"}"#).expect("valid");
        assert_eq!(r.source, Source::Url("https://example.com/a.png".into()));
        let r = from_json(br#"{"image_base64":"aGk="}"#).expect("width is optional");
        assert_eq!(
            (
                r.options().expect("one").width,
                r.options().expect("one").box_height()
            ),
            (200, 200)
        );
    }

    #[test]
    fn json_refusals() {
        use ErrorCode::*;
        for (body, want) in [
            (&br#"not json"#[..], InvalidRequest),
            (br#"[1,2]"#, InvalidRequest),
            (
                br#"{"image_base64":"aGk=","width":10,"colour":"red"}"#,
                InvalidRequest,
            ),
            (
                br#"{"image_base64":"aGk=","width":10,"width":20}"#,
                InvalidRequest,
            ),
            (br#"{"width":10}"#, InvalidRequest),
            (
                br#"{"image_base64":"aGk=","image_url":"https://a/","width":10}"#,
                InvalidRequest,
            ),
            (br#"{"image_base64":"!!!","width":10}"#, InvalidRequest),
            (br#"{"image_base64":"aGk=","width":0}"#, InvalidOption),
            (br#"{"image_base64":"aGk=","height":"tall"}"#, InvalidOption),
            (br#"{"image_base64":"aGk=","width":1e9}"#, InvalidOption),
            (br#"{"image_base64":"aGk=","width":-1}"#, InvalidOption),
            (br#"{"image_base64":"aGk=","width":1.5}"#, InvalidOption),
            (br#"{"image_base64":"aGk=","width":[1]}"#, InvalidOption),
            (
                br#"{"image_base64":"aGk=","width":10,"quality":0}"#,
                InvalidOption,
            ),
            (
                br#"{"image_base64":"aGk=","width":10,"format":"gif"}"#,
                InvalidOption,
            ),
        ] {
            assert_eq!(
                code(from_json(body)),
                want,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let body = format!(r#"{{"image_base64":"aGk=","width":{deep}}}"#);
        assert_eq!(code(from_json(body.as_bytes())), InvalidRequest);
    }

    #[test]
    fn raw_uploads_and_media_types() {
        let r = from_http(Some("image/png"), "width=100&format=webp", b"x".to_vec()).expect("ok");
        assert_eq!(
            (
                r.options().expect("one").width,
                r.options().expect("one").format.as_str()
            ),
            (100, "webp")
        );
        assert_eq!(
            code(from_http(Some("text/plain"), "width=1", b"x".to_vec())),
            ErrorCode::UnsupportedMediaType
        );
        assert_eq!(
            code(from_http(
                Some("image/png"),
                "width=1&width=2",
                b"x".to_vec()
            )),
            ErrorCode::InvalidRequest
        );
        assert_eq!(
            code(from_http(
                Some("image/png"),
                "width=1&token=abc",
                b"x".to_vec()
            )),
            ErrorCode::InvalidRequest
        );
        assert_eq!(
            code(from_http(Some("image/png"), "width=0", b"x".to_vec())),
            ErrorCode::InvalidOption
        );
        // No options at all: the seed's 200 x 200 box.
        let r = from_http(Some("image/png"), "", b"x".to_vec()).expect("defaults");
        assert_eq!(r.options(), Some(&thumbprint_core::Options::default()));
        let big = vec![0u8; LIMITS.max_input_bytes + 1];
        assert_eq!(
            code(from_http(Some("image/jpeg"), "width=1", big)),
            ErrorCode::PayloadTooLarge
        );
    }
}

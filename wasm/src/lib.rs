//! wasm-bindgen bindings of thumbprint-core: conversions and error mapping only.
//!
//! `thumbnail(input: Uint8Array, options) -> {bytes, width, height, format, mime, etag}`; errors
//! are thrown as `Error` objects whose `code` is the same snake_case code as over HTTP.
//! `thumbnails(input, [options...])` makes a set (each member as `thumbnail` would, or
//! `{error}`); `inspect(input) -> {format, width, height, admitted}` reads the header only.

use js_sys::{Object, Reflect, Uint8Array};
use thumbprint_core::{ErrorCode, Options, RawValue, LIMITS, OPTION_NAMES};
use wasm_bindgen::prelude::*;

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(obj, &JsValue::from_str(key), value).map(|_| ())
}

/// A JS `Error` carrying the stable `code`.
fn js_error(code: ErrorCode, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting a property on a fresh Error cannot fail.
    let _ = set(&err, "code", &JsValue::from_str(code.as_str()));
    err.into()
}

fn raw_value(v: &JsValue) -> Option<RawValue<'static>> {
    if v.is_undefined() || v.is_null() {
        None
    } else if let Some(n) = v.as_f64() {
        Some(RawValue::Number(n))
    } else if let Some(b) = v.as_bool() {
        Some(RawValue::Bool(b))
    } else {
        Some(RawValue::Other)
    }
}

/// Reads the options object into owned texts, then into the engine's options.
fn options(options: &JsValue) -> Result<thumbprint_core::Options, JsValue> {
    if !options.is_object() {
        return Err(js_error(
            ErrorCode::InvalidRequest,
            "options must be an object",
        ));
    }
    let obj: &Object = options.unchecked_ref();
    for key in Object::keys(obj).iter() {
        let name = key.as_string().unwrap_or_default();
        if !OPTION_NAMES.contains(&name.as_str()) {
            return Err(js_error(ErrorCode::InvalidRequest, "unknown option"));
        }
    }
    // JS strings are copied out first: the lookup lends the engine `&str`s that must outlive it.
    let values: Vec<(&str, JsValue, Option<String>)> = OPTION_NAMES
        .iter()
        .map(|&k| {
            let v = Reflect::get(obj, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
            let text = v.as_string();
            (k, v, text)
        })
        .collect();
    Options::from_lookup(|name| {
        let (_, value, text) = values.iter().find(|(k, _, _)| *k == name)?;
        match text {
            Some(t) => Some(RawValue::Text(t.as_str())),
            None => raw_value(value),
        }
    })
    .map_err(|e| js_error(e.code(), &e.to_string()))
}

/// Makes a thumbnail of `input` with `options` (`{width, height?, fit?, format?, quality?, lossless?}`).
#[wasm_bindgen]
pub fn thumbnail(input: &[u8], options_obj: JsValue) -> Result<JsValue, JsValue> {
    let opts = options(&options_obj)?;
    let t =
        thumbprint_core::thumbnail(input, &opts).map_err(|e| js_error(e.code(), &e.to_string()))?;
    thumbnail_object(&t)
}

/// A set: `members` is an array of up to `MAX_SET` options objects; the answer is an array of
/// the same length, each entry what `thumbnail` returns for that member or `{error: {code,
/// message}}` (a member's failure fails only that member). Throws `invalid_request` when
/// `members` is not such an array.
#[wasm_bindgen]
pub fn thumbnails(input: &[u8], members: JsValue) -> Result<JsValue, JsValue> {
    if !js_sys::Array::is_array(&members) {
        return Err(js_error(
            ErrorCode::InvalidRequest,
            "members must be an array of options objects",
        ));
    }
    let members: js_sys::Array = members.unchecked_into();
    let n = members.length() as usize;
    if n == 0 || n > thumbprint_core::MAX_SET {
        return Err(js_error(
            ErrorCode::InvalidRequest,
            "a set has 1 to 8 members",
        ));
    }
    // Members whose options cannot be read keep that error; the rest go to the engine together.
    let parsed: Vec<Result<Options, JsValue>> = members.iter().map(|m| options(&m)).collect();
    let valid: Vec<Options> = parsed
        .iter()
        .filter_map(|p| p.as_ref().ok().copied())
        .collect();
    let mut made = thumbprint_core::thumbnails(input, &valid).into_iter();
    let out = js_sys::Array::new();
    for p in parsed {
        let entry = match p {
            Err(e) => error_entry(&e)?,
            Ok(_) => match made.next() {
                Some(Ok(t)) => thumbnail_object(&t)?,
                Some(Err(e)) => error_entry(&js_error(e.code(), &e.to_string()))?,
                None => error_entry(&js_error(ErrorCode::InternalError, "internal error"))?,
            },
        };
        out.push(&entry);
    }
    Ok(out.into())
}

/// `{error: {code, message}}` from a thrown engine error.
fn error_entry(err: &JsValue) -> Result<JsValue, JsValue> {
    let inner = Object::new();
    let get = |k: &str| Reflect::get(err, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    set(&inner, "code", &get("code"))?;
    set(&inner, "message", &get("message"))?;
    let out = Object::new();
    set(&out, "error", &inner.into())?;
    Ok(out.into())
}

fn thumbnail_object(t: &thumbprint_core::Thumbnail) -> Result<JsValue, JsValue> {
    let out = Object::new();
    set(&out, "bytes", &Uint8Array::from(t.bytes.as_slice()).into())?;
    set(&out, "width", &JsValue::from(t.width))?;
    set(&out, "height", &JsValue::from(t.height))?;
    set(&out, "format", &JsValue::from_str(t.format.as_str()))?;
    set(&out, "mime", &JsValue::from_str(t.mime()))?;
    set(&out, "etag", &JsValue::from_str(&t.etag))?;
    Ok(out.into())
}

/// What the engine reads from `input`'s header, without decoding it:
/// `{format, width, height, admitted}` (the upright size, after EXIF orientation; `admitted`:
/// within the engine's budget for the default options). Throws as `thumbnail` does for a file
/// it cannot read as an image.
#[wasm_bindgen]
pub fn inspect(input: &[u8]) -> Result<JsValue, JsValue> {
    let i = thumbprint_core::inspect(input, &Options::default())
        .map_err(|e| js_error(e.code(), &e.to_string()))?;
    let out = Object::new();
    set(&out, "format", &JsValue::from_str(i.format))?;
    set(&out, "width", &JsValue::from(i.width))?;
    set(&out, "height", &JsValue::from(i.height))?;
    set(&out, "admitted", &JsValue::from(i.admitted))?;
    Ok(out.into())
}

/// The engine version (the same string the server reports at `GET /version`).
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    thumbprint_core::ENGINE_VERSION.to_string()
}

/// The limits the server applies, so a page can say in advance what will be refused:
/// `{maxDimension, maxInputPixels, maxInputBytes, maxOutputBytes}`.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsValue> {
    let out = Object::new();
    set(&out, "maxDimension", &JsValue::from(LIMITS.max_dimension))?;
    set(
        &out,
        "maxInputPixels",
        &JsValue::from(LIMITS.max_input_pixels as f64),
    )?;
    set(
        &out,
        "maxInputBytes",
        &JsValue::from(LIMITS.max_input_bytes as f64),
    )?;
    set(
        &out,
        "maxOutputBytes",
        &JsValue::from(LIMITS.max_output_bytes as f64),
    )?;
    Ok(out.into())
}

/// Runs a made-up photo through the engine's hot paths and discards the results, so that the
/// browser has compiled and begun optimising them before the first real thumbnail (V8 starts
/// every wasm function in its baseline tier). Call once after `init`; outputs do not depend on it.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    let _made = thumbprint_core::warm_up();
}

/// Lower-case hex SHA-256 of `bytes` (the engine's own hash, for parity checks).
#[wasm_bindgen]
pub fn sha256(bytes: &[u8]) -> String {
    thumbprint_core::sha256_hex(bytes)
}

/// Executes a WebAssembly trap (`unreachable`), as an engine panic would under `panic = abort`.
/// For the page's test of its recovery: after a trap the instance's memory and stack are not
/// to be trusted, so the Worker that hosts it closes and the page starts a fresh one.
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

//! wasm-bindgen bindings of thumbprint-core: conversions and error mapping only.
//!
//! `thumbnail(input: Uint8Array, options) -> {bytes, width, height, format, mime, etag}`; errors
//! are thrown as `Error` objects whose `code` is the same snake_case code as over HTTP.
//! `inspect(input) -> {format, width, height, admitted}` reads the header only.

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

/// Makes a thumbnail of `input` with `options` (`{width, height?, fit?, format?, quality?}`).
#[wasm_bindgen]
pub fn thumbnail(input: &[u8], options_obj: JsValue) -> Result<JsValue, JsValue> {
    let opts = options(&options_obj)?;
    let t =
        thumbprint_core::thumbnail(input, &opts).map_err(|e| js_error(e.code(), &e.to_string()))?;
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

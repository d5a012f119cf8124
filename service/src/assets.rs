//! The preview page and its assets, embedded at build time from `web/`.

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The embedded file for a request path (`/` is `/index.html`): content type and bytes.
pub fn get(path: &str) -> Option<(&'static str, &'static [u8])> {
    let path = if path == "/" { "/index.html" } else { path };
    ASSETS
        .iter()
        .find(|(route, _, _)| *route == path)
        .map(|(_, mime, bytes)| (*mime, *bytes))
}

//! A signed URL's source: decoded as imgproxy decodes it (`options/parser/url.go`), checked
//! against the configured allow-lists, and read with the engine's byte cap.
//! - `plain/{url}[@ext]`: the rest of the path joined with `/`, split at `@` (one at most; a
//!   literal `@` is `%40`), percent-decoded;
//! - `{base64url}[.ext]`: the rest of the path joined with nothing (builders may split a long
//!   one with `/`), split at `.` (one at most), padding ignored.
//!
//! Schemes: `s3://bucket/key` (buckets on the list), `http(s)://` (origins on the list, through
//! the SSRF-safe fetcher), `local:///path` (under the local root: `thumbprint serve` only).

use std::path::{Component, Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use thumbprint_core::ErrorCode;
use url::Url;

use crate::fetch::MAX_SOURCE_BYTES;
use crate::ServiceError;

fn invalid(message: &'static str) -> ServiceError {
    ServiceError::with_message(ErrorCode::InvalidRequest, message)
}

/// `%XX` escapes decoded, strictly (a `%` not followed by two hex digits is an error, as Go's
/// `url.PathUnescape` has it; `+` stays `+`); the result must be UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes the source segments: the source URL and the extension, when one is given.
pub fn decode(segments: &[&str]) -> Result<(String, Option<String>), ServiceError> {
    let (url, extension) = match segments {
        [] => return Err(invalid("the URL has no source")),
        ["plain", rest @ ..] if !rest.is_empty() => {
            let joined = rest.join("/");
            let mut parts = joined.split('@');
            let encoded = parts.next().unwrap_or("");
            let extension = parts.next().map(str::to_string);
            if parts.next().is_some() {
                return Err(invalid("the source has more than one @extension"));
            }
            let url = percent_decode(encoded)
                .ok_or_else(|| invalid("the source's percent-encoding is invalid"))?;
            (url, extension)
        }
        segments => {
            let joined = segments.concat();
            let mut parts = joined.split('.');
            let encoded = parts.next().unwrap_or("");
            let extension = parts.next().map(str::to_string);
            if parts.next().is_some() {
                return Err(invalid("the source has more than one .extension"));
            }
            let url = URL_SAFE_NO_PAD
                .decode(encoded.trim_end_matches('='))
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| invalid("the source is neither plain/ nor base64url"))?;
            (url, extension)
        }
    };
    if url.is_empty() {
        return Err(invalid("the URL has no source"));
    }
    Ok((url, extension.filter(|e| !e.is_empty())))
}

/// Where a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRef {
    /// An object in S3.
    S3 {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// An http(s) URL.
    Http(Url),
    /// A file under the local root: the path after `local://`, from its `/`.
    Local(String),
}

impl SourceRef {
    /// Reads a decoded source URL.
    pub fn parse(source: &str) -> Result<SourceRef, ServiceError> {
        let refuse = || ServiceError::new(ErrorCode::UrlNotAllowed);
        if let Some(rest) = source.strip_prefix("s3://") {
            let (bucket, key) = rest.split_once('/').ok_or_else(refuse)?;
            if bucket.is_empty() || key.is_empty() {
                return Err(refuse());
            }
            return Ok(SourceRef::S3 {
                bucket: bucket.to_string(),
                key: key.to_string(),
            });
        }
        if let Some(path) = source.strip_prefix("local://") {
            if !path.starts_with('/') {
                return Err(refuse());
            }
            return Ok(SourceRef::Local(path.to_string()));
        }
        let url = Url::parse(source).map_err(|_| refuse())?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse());
        }
        Ok(SourceRef::Http(url))
    }

    /// The kind, for the log line (never the location itself).
    pub fn kind(&self) -> &'static str {
        match self {
            SourceRef::S3 { .. } => "s3",
            SourceRef::Http(_) => "http",
            SourceRef::Local(_) => "local",
        }
    }
}

/// Where a signed URL's sources may come from: nothing unless listed.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `local:///` sources are files under this folder (`thumbprint serve --local-root`).
    pub local_root: Option<PathBuf>,
    /// http(s) origins (`https://images.example.com`, a port when not the default).
    pub origins: Vec<String>,
    /// S3 buckets.
    pub s3_buckets: Vec<String>,
}

impl Sources {
    /// Whether `source` is on a list.
    pub fn allows(&self, source: &SourceRef) -> bool {
        match source {
            SourceRef::S3 { bucket, .. } => self.s3_buckets.iter().any(|b| b == bucket),
            SourceRef::Http(url) => {
                let origin = url.origin().ascii_serialization();
                self.origins
                    .iter()
                    .any(|o| o.trim_end_matches('/') == origin)
            }
            SourceRef::Local(_) => self.local_root.is_some(),
        }
    }

    /// The file a `local:///` path names. `url_not_allowed` when it is not inside the root
    /// (a `..`, or a link that leads out), `not_found` when there is no such file.
    pub fn local_file(&self, path: &str) -> Result<PathBuf, ServiceError> {
        let refuse = || ServiceError::new(ErrorCode::UrlNotAllowed);
        let root = self.local_root.as_ref().ok_or_else(refuse)?;
        let root = root.canonicalize().map_err(|_| not_found())?;
        let relative = Path::new(path.trim_start_matches('/'));
        let plain = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !plain || relative.as_os_str().is_empty() {
            return Err(refuse());
        }
        let file = root
            .join(relative)
            .canonicalize()
            .map_err(|_| not_found())?;
        if !file.starts_with(&root) {
            return Err(refuse());
        }
        Ok(file)
    }
}

fn not_found() -> ServiceError {
    ServiceError::with_message(ErrorCode::NotFound, "the source image was not found")
}

/// Reads a local file of at most [`MAX_SOURCE_BYTES`]: the size is checked before the file is
/// read, and the read is bounded too (the file may grow meanwhile).
pub fn read_local(file: &Path) -> Result<Vec<u8>, ServiceError> {
    use std::io::Read;
    let opened = std::fs::File::open(file).map_err(|_| not_found())?;
    let meta = opened.metadata().map_err(|_| not_found())?;
    if !meta.is_file() {
        return Err(not_found());
    }
    if meta.len() > MAX_SOURCE_BYTES as u64 {
        return Err(ServiceError::new(ErrorCode::SourceTooLarge));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    opened
        .take(MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ServiceError::new(ErrorCode::SourceUnavailable).caused_by(e))?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(ServiceError::new(ErrorCode::SourceTooLarge));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(segments: &[&str]) -> Option<(String, Option<String>)> {
        decode(segments).ok()
    }

    #[test]
    fn plain_and_base64_sources_with_extensions() {
        assert_eq!(
            decoded(&["plain", "https:", "", "x.test", "a%20b.jpg@png"]),
            Some(("https://x.test/a b.jpg".into(), Some("png".into())))
        );
        assert_eq!(
            decoded(&["plain", "https%3A%2F%2Fexample.com%2Fimage.jpg"]),
            Some(("https://example.com/image.jpg".into(), None))
        );
        let b64 = URL_SAFE_NO_PAD.encode("s3://bucket/photo.jpg");
        let (head, tail) = b64.split_at(7);
        assert_eq!(
            decoded(&[head, &format!("{tail}.webp")]),
            Some(("s3://bucket/photo.jpg".into(), Some("webp".into())))
        );
        assert_eq!(
            decoded(&[&format!("{b64}==")]).map(|d| d.0),
            Some("s3://bucket/photo.jpg".into())
        );
        for bad in [
            &["plain", "a@b@c"][..],
            &["plain", "a%zz"],
            &["plain", "%ff%fe"],
            &["!!!"],
            &["aGk.a.b"],
            &[],
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn schemes_and_lists() {
        let s3 = SourceRef::parse("s3://photos/2026/a b.jpg").expect("s3");
        assert_eq!(
            s3,
            SourceRef::S3 {
                bucket: "photos".into(),
                key: "2026/a b.jpg".into()
            }
        );
        for bad in [
            "s3://photos",
            "s3:///key",
            "ftp://x.test/a",
            "local://relative",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert!(SourceRef::parse(bad).is_err(), "{bad}");
        }
        let sources = Sources {
            origins: vec!["https://img.example.com".into()],
            s3_buckets: vec!["photos".into()],
            ..Sources::default()
        };
        assert!(sources.allows(&s3));
        let url = |u: &str| SourceRef::parse(u).expect("url");
        assert!(sources.allows(&url("https://img.example.com/a.jpg?x=1")));
        assert!(!sources.allows(&url("https://img.example.com:8443/a.jpg")));
        assert!(!sources.allows(&url("http://img.example.com/a.jpg")));
        assert!(!sources.allows(&url("https://img.example.com.evil.test/a.jpg")));
        assert!(!sources.allows(&url("s3://other/a.jpg")));
        assert!(!sources.allows(&url("local:///a.jpg")));
    }

    #[test]
    fn local_files_stay_under_the_root() {
        let dir = std::env::temp_dir().join(format!("thumbprint-local-{}", std::process::id()));
        let root = dir.join("root");
        std::fs::create_dir_all(root.join("sub")).expect("dirs");
        std::fs::write(root.join("sub/a.png"), b"x").expect("file");
        std::fs::write(dir.join("secret.png"), b"x").expect("file");
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("secret.png"), root.join("link.png")).expect("link");
        let sources = Sources {
            local_root: Some(root.clone()),
            ..Sources::default()
        };
        assert!(sources.local_file("/sub/a.png").is_ok());
        let code = |path: &str| sources.local_file(path).map_err(|e| e.code).err();
        for outside in [
            "/../secret.png",
            "/sub/../../secret.png",
            "/link.png",
            "/",
            "/./sub/a.png",
        ] {
            assert_eq!(code(outside), Some(ErrorCode::UrlNotAllowed), "{outside}");
        }
        assert_eq!(code("/missing.png"), Some(ErrorCode::NotFound));
        assert!(Sources::default().local_file("/sub/a.png").is_err());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}

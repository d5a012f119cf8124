//! A signed URL's request path, split as imgproxy splits it (`handlers/path.go`): the raw,
//! still percent-escaped path (no query), its first segment the signature, the rest the signed
//! path. Before the signature is checked the rest is re-normalised, undoing what proxies and
//! CDNs do to such paths: `%3A` back to `:` in the options, and a plain source's `scheme:/x`
//! (a collapsed `//`) back to `scheme://x` (`local:/x` to `local:///x`).

/// A request path split into its signature and the path it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed<'a> {
    /// The first segment, as sent.
    pub signature: &'a str,
    /// Everything after it, re-normalised, starting with `/`: what the signature signs.
    pub path: String,
}

/// Splits `raw_path` (the request path as sent, without the query); `None` when it has no
/// signature segment or nothing after it.
pub fn split(raw_path: &str) -> Option<Signed<'_>> {
    let trimmed = raw_path.strip_prefix('/').unwrap_or(raw_path);
    let (signature, rest) = trimmed.split_once('/')?;
    if signature.is_empty() || rest.is_empty() {
        return None;
    }
    Some(Signed {
        signature,
        path: format!("/{}", renormalise(rest)),
    })
}

/// imgproxy's RedenormalizePath, on the path after the signature (without its leading `/`).
fn renormalise(rest: &str) -> String {
    let (options, plain) = match rest.strip_prefix("plain/") {
        Some(plain) => ("", Some(plain)),
        None => match rest.split_once("/plain/") {
            Some((options, plain)) => (options, Some(plain)),
            None => (rest, None),
        },
    };
    let options = options.replace("%3A", ":");
    let Some(plain) = plain else {
        return options.trim_start_matches('/').to_string();
    };
    let joined = format!("{options}/plain/{}", restore_scheme(plain));
    joined.trim_start_matches('/').to_string()
}

/// `scheme:/x` (one slash, then not a slash) back to `scheme://x`; for `local`, `local:///x`.
/// As imgproxy's `^(\S+)\:/([^/])`, whose `\S+` is greedy: the rightmost such `:/` with no
/// white space before it.
fn restore_scheme(plain: &str) -> String {
    let found = plain.rmatch_indices(":/").find(|&(colon, _)| {
        let scheme = &plain[..colon];
        !scheme.is_empty()
            && !scheme.chars().any(char::is_whitespace)
            && plain[colon + 2..].chars().next().is_some_and(|c| c != '/')
    });
    let Some((colon, _)) = found else {
        return plain.to_string();
    };
    let scheme = &plain[..colon];
    let slashes = if scheme == "local" { ":///" } else { "://" };
    format!("{scheme}{slashes}{}", &plain[colon + 2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(raw: &str) -> Option<(String, String)> {
        split(raw).map(|s| (s.signature.to_string(), s.path))
    }

    #[test]
    fn splits_at_the_first_segment() {
        assert_eq!(
            path("/sig/rs:fit:300:300/plain/https://x.test/a.jpg@png"),
            Some((
                "sig".into(),
                "/rs:fit:300:300/plain/https://x.test/a.jpg@png".into()
            ))
        );
        assert_eq!(
            path("/sig/aHR0cHM6Ly94"),
            Some(("sig".into(), "/aHR0cHM6Ly94".into()))
        );
        for bad in ["/", "/sig", "/sig/", "//rs:fit:1:1/x"] {
            assert_eq!(path(bad), None, "{bad}");
        }
    }

    #[test]
    fn undoes_what_proxies_do() {
        assert_eq!(
            path("/s/rs%3Afit%3A300%3A300/plain/https:/x.test/a.jpg").map(|p| p.1),
            Some("/rs:fit:300:300/plain/https://x.test/a.jpg".into())
        );
        assert_eq!(
            path("/s/w:10/plain/local:/photos/a.jpg").map(|p| p.1),
            Some("/w:10/plain/local:///photos/a.jpg".into())
        );
        assert_eq!(
            path("/s/plain/s3:/bucket/key.jpg").map(|p| p.1),
            Some("/plain/s3://bucket/key.jpg".into())
        );
        // The rightmost `:/` before a non-slash, as imgproxy's greedy pattern finds it.
        assert_eq!(
            path("/s/plain/https://x.test/a:/b").map(|p| p.1),
            Some("/plain/https://x.test/a://b".into())
        );
        // Already whole: unchanged; percent-encoded sources are left as sent.
        for whole in [
            "/w:10/plain/local:///photos/a.jpg",
            "/w:100/h:100/plain/https%3A%2F%2Fexample.com%2Fimage.jpg",
        ] {
            assert_eq!(
                path(&format!("/s{whole}")).map(|p| p.1).as_deref(),
                Some(whole)
            );
        }
    }
}

//! The signature of a signed URL, as imgproxy makes it: base64url without padding of
//! HMAC-SHA256(key, salt || path), where path is everything after the signature segment, from
//! its `/`. Several key/salt pairs may be configured at once (`keys[i]` pairs with `salts[i]`
//! only), so a key can be rotated without downtime: every pair is tried, in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::ConfigError;

type HmacSha256 = Hmac<Sha256>;

/// One signing key and its salt.
#[derive(Clone)]
struct KeyPair {
    key: Vec<u8>,
    salt: Vec<u8>,
}

/// The keys signed URLs are checked against. Without any pair (and without `insecure`), every
/// signed URL is refused: the service is never an open image proxy.
#[derive(Clone, Default)]
pub struct UrlKeys {
    pairs: Vec<KeyPair>,
    insecure: bool,
}

/// Never prints the keys.
impl std::fmt::Debug for UrlKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrlKeys")
            .field("pairs", &self.pairs.len())
            .field("insecure", &self.insecure)
            .finish()
    }
}

/// Bytes of a hex string (either case); `what` names the setting in the error.
pub fn from_hex(what: &'static str, hex: &str) -> Result<Vec<u8>, ConfigError> {
    let hex = hex.trim();
    let invalid = |reason: &str| ConfigError::invalid(what, reason);
    if hex.is_empty() {
        return Err(invalid("is empty"));
    }
    if !hex.len().is_multiple_of(2) {
        return Err(invalid("has an odd number of hex digits"));
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| invalid("is not hex"))
        })
        .collect()
}

impl UrlKeys {
    /// Key/salt pairs from hex strings: `keys[i]` pairs with `salts[i]`, so the lists must be
    /// as long as each other.
    pub fn from_hex(keys: &[String], salts: &[String]) -> Result<UrlKeys, ConfigError> {
        if keys.len() != salts.len() {
            return Err(ConfigError::invalid(
                "URL signing keys",
                &format!(
                    "{} keys and {} salts given; each key needs its salt",
                    keys.len(),
                    salts.len()
                ),
            ));
        }
        let pairs = keys
            .iter()
            .zip(salts)
            .map(|(k, s)| {
                Ok(KeyPair {
                    key: from_hex("URL signing key", k)?,
                    salt: from_hex("URL signing salt", s)?,
                })
            })
            .collect::<Result<_, ConfigError>>()?;
        Ok(UrlKeys {
            pairs,
            insecure: false,
        })
    }

    /// Also accepts the literal signature `insecure` (development only: anyone can then make
    /// any URL).
    pub fn allowing_insecure(mut self, insecure: bool) -> Self {
        self.insecure = insecure;
        self
    }

    /// Whether signed URLs are served at all.
    pub fn enabled(&self) -> bool {
        !self.pairs.is_empty() || self.insecure
    }

    /// Number of key/salt pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no key/salt pair is configured.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Whether `signature` signs `path` (which starts with `/`) under any pair. Every pair is
    /// compared, each in constant time, whatever the result of the others.
    pub fn verify(&self, signature: &str, path: &str) -> bool {
        if self.insecure && signature == "insecure" {
            return true;
        }
        let Ok(given) = URL_SAFE_NO_PAD.decode(signature.trim_end_matches('=')) else {
            return false;
        };
        self.pairs.iter().fold(false, |found, pair| {
            mac(&pair.key, &pair.salt, path)
                .verify_slice(&given)
                .is_ok()
                | found
        })
    }

    /// The signature of `path` under the first pair (what `POST /sign` answers), if any.
    pub fn sign(&self, path: &str) -> Option<String> {
        self.pairs.first().map(|p| sign(&p.key, &p.salt, path))
    }
}

fn mac(key: &[u8], salt: &[u8], path: &str) -> HmacSha256 {
    // HMAC takes a key of any length: new_from_slice cannot fail for it.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
    mac.update(salt);
    if !path.starts_with('/') {
        mac.update(b"/");
    }
    mac.update(path.as_bytes());
    mac
}

/// The signature of `path` (from its `/`) under `key` and `salt`.
pub fn sign(key: &[u8], salt: &[u8], path: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(key, salt, path).finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    // imgproxy's own test vector (security/signature_test.go): key "test-key", salt
    // "test-salt", path "asd" (signed as "/asd").
    const KEY: &str = "746573742d6b6579";
    const SALT: &str = "746573742D73616C74";
    const PATH: &str = "/asd";
    const SIGNATURE: &str = "oWaL7QoW5TsgbuiS9-5-DI8S3Ibbo1gdB2SteJh3a20";

    fn keys() -> UrlKeys {
        UrlKeys::from_hex(&[KEY.into()], &[SALT.into()]).expect("valid hex")
    }

    #[test]
    fn the_documentation_example_signs_and_verifies() {
        assert_eq!(keys().sign(PATH).as_deref(), Some(SIGNATURE));
        assert!(keys().verify(SIGNATURE, PATH));
        // Padding is tolerated, a changed path or signature is not.
        assert!(keys().verify(&format!("{SIGNATURE}="), PATH));
        assert!(keys().verify(SIGNATURE, "asd"));
        assert!(!keys().verify(SIGNATURE, "/asdf"));
        assert!(!keys().verify(&SIGNATURE.replace('W', "w"), PATH));
        assert!(!keys().verify("not base64!", PATH));
    }

    #[test]
    fn any_configured_pair_verifies_and_pairs_do_not_mix() {
        let two = UrlKeys::from_hex(&["00ff".into(), KEY.into()], &["aa".into(), SALT.into()])
            .expect("valid hex");
        assert!(two.verify(SIGNATURE, PATH));
        let crossed = UrlKeys::from_hex(&[KEY.into()], &["aa".into()]).expect("valid hex");
        assert!(!crossed.verify(SIGNATURE, PATH));
    }

    #[test]
    fn insecure_only_when_enabled_and_nothing_without_keys() {
        assert!(!UrlKeys::default().enabled());
        assert!(!UrlKeys::default().verify("insecure", PATH));
        assert!(!keys().verify("insecure", PATH));
        let dev = UrlKeys::default().allowing_insecure(true);
        assert!(dev.enabled() && dev.verify("insecure", PATH));
    }

    #[test]
    fn bad_configuration_is_refused() {
        for (k, s) in [("abc", "00"), ("zz", "00"), ("", "00"), ("00", "0g")] {
            assert!(
                UrlKeys::from_hex(&[k.into()], &[s.into()]).is_err(),
                "{k} {s}"
            );
        }
        assert!(UrlKeys::from_hex(&[KEY.into()], &[]).is_err());
    }
}

//! The CDN's secret origin header. An HTTP API has no WAF to keep viewers off its own URL, so
//! the CloudFront distribution in front of it adds `x-thumbprint-cdn-secret` to every request
//! it sends to the origin, and the function answers signed image URLs only when that header
//! holds one of the configured secrets (several at once, so a secret can be rotated without
//! refusing anything: the new one first, apply, then the old one dropped). Without secrets
//! configured there is no CDN in front and nothing is checked.

use subtle::ConstantTimeEq;

/// The header CloudFront adds (terraform/cdn.tf).
pub const HEADER: &str = "x-thumbprint-cdn-secret";

/// The shortest secret accepted: 32 characters (`openssl rand -hex 16` and up).
pub const MIN_LEN: usize = 32;

/// The secrets a request from the CDN may carry; empty when there is no CDN.
#[derive(Debug, Clone, Default)]
pub struct CdnSecrets(Vec<Vec<u8>>);

impl CdnSecrets {
    /// These secrets; an error names the first that is too short.
    pub fn new(secrets: &[String]) -> Result<Self, String> {
        if let Some(i) = secrets.iter().position(|s| s.len() < MIN_LEN) {
            return Err(format!(
                "secret {} is shorter than {MIN_LEN} characters",
                i + 1
            ));
        }
        Ok(CdnSecrets(
            secrets.iter().map(|s| s.as_bytes().to_vec()).collect(),
        ))
    }

    /// Whether a CDN is in front (secrets are configured).
    pub fn enabled(&self) -> bool {
        !self.0.is_empty()
    }

    /// Whether a request with this header value came through the CDN: always when no secret is
    /// configured. Every secret is compared in constant time, whatever the others gave.
    pub fn admits(&self, header: Option<&str>) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let Some(given) = header else {
            return false;
        };
        self.0.iter().fold(false, |found, secret| {
            bool::from(secret.as_slice().ct_eq(given.as_bytes())) | found
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_configured_secret_admits() {
        assert!(CdnSecrets::default().admits(None));
        let old = "0123456789abcdef0123456789abcdef".to_string();
        let new = "fedcba9876543210fedcba9876543210".to_string();
        let secrets = CdnSecrets::new(&[new.clone(), old.clone()]).expect("long enough");
        assert!(secrets.enabled());
        assert!(secrets.admits(Some(&new)));
        assert!(secrets.admits(Some(&old)));
        assert!(!secrets.admits(None));
        assert!(!secrets.admits(Some("")));
        assert!(!secrets.admits(Some(&old[..31])));
        assert!(!secrets.admits(Some(&format!("{old}x"))));
        assert!(CdnSecrets::new(&["short".into()])
            .expect_err("too short")
            .contains("secret 1"));
    }
}

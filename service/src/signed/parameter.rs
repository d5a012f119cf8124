//! The signing keys from an SSM parameter, read once per cold start through the AWS Parameters
//! and Secrets Lambda Extension (a layer that serves SSM on localhost:2773 and caches it), so the
//! keys are neither in the function's environment nor in Terraform's state, and the bootstrap
//! needs no AWS SDK: one HTTP GET on loopback, authorised by the function's session token.
//!
//! The parameter (a SecureString) holds one `KEY:SALT` pair per line or comma, both in hex, the
//! key signing new URLs first; more pairs keep older URLs valid while a key is rotated.

use std::time::Duration;

use serde::Deserialize;

use super::signature::UrlKeys;
use crate::client::{self, ClientPolicy};
use crate::error::ConfigError;

/// The environment variable naming the parameter.
pub const ENV: &str = "THUMBPRINT_URL_KEYS_PARAMETER";
/// How many times the extension is asked before the cold start fails (it may still be starting).
const ATTEMPTS: u32 = 10;

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Parameter")]
    parameter: Parameter,
}

#[derive(Deserialize)]
struct Parameter {
    #[serde(rename = "Value")]
    value: String,
}

fn invalid(reason: &str) -> ConfigError {
    ConfigError::invalid(ENV, reason)
}

/// The key/salt pairs of a parameter's value: `KEY:SALT` per line or comma, in hex.
pub fn keys_from_value(value: &str) -> Result<UrlKeys, ConfigError> {
    let mut keys = Vec::new();
    let mut salts = Vec::new();
    for pair in value
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (key, salt) = pair
            .split_once(':')
            .ok_or_else(|| invalid("holds an entry that is not KEY:SALT (hex)"))?;
        keys.push(key.to_string());
        salts.push(salt.to_string());
    }
    if keys.is_empty() {
        return Err(invalid("holds no KEY:SALT pair"));
    }
    UrlKeys::from_hex(&keys, &salts).map_err(|e| invalid(&e.to_string()))
}

/// Reads parameter `name` from the extension at `endpoint` (`http://localhost:2773`), with the
/// function's session `token`; retried while the extension starts.
pub async fn read_keys(endpoint: &str, name: &str, token: &str) -> Result<UrlKeys, ConfigError> {
    let policy = ClientPolicy {
        connect_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(3),
        max_redirects: 0,
    };
    let client = client::build(policy, None).map_err(|e| invalid(&e.to_string()))?;
    let mut url = url::Url::parse(endpoint).map_err(|e| invalid(&e.to_string()))?;
    url.set_path("/systemsmanager/parameters/get");
    url.query_pairs_mut()
        .append_pair("name", name)
        .append_pair("withDecryption", "true");
    let mut last = String::new();
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
        }
        let sent = client
            .get(url.clone())
            .header("X-Aws-Parameters-Secrets-Token", token)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                last = format!("the extension did not answer: {e}");
                continue;
            }
        };
        let status = response.status();
        if !status.is_success() {
            // Not found or not allowed: asking again does not help.
            return Err(invalid(&format!(
                "the extension answered {status} for the parameter"
            )));
        }
        let body = crate::fetch::read_capped(response, 64 * 1024)
            .await
            .map_err(|e| invalid(&format!("the extension's answer could not be read: {e}")))?;
        let answer: Answer = serde_json::from_slice(&body)
            .map_err(|e| invalid(&format!("the extension's answer is not SSM's JSON: {e}")))?;
        return keys_from_value(&answer.parameter.value);
    }
    Err(invalid(&last))
}

/// The keys of the parameter the environment names ([`ENV`]), `None` when it names none.
pub async fn keys_from_env() -> Result<Option<UrlKeys>, ConfigError> {
    let get = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let Some(name) = get(ENV) else {
        return Ok(None);
    };
    let port = get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT").unwrap_or_else(|| "2773".into());
    let token = get("AWS_SESSION_TOKEN").ok_or_else(|| {
        invalid("is set, but there is no AWS_SESSION_TOKEN to ask the extension with")
    })?;
    read_keys(&format!("http://localhost:{port}"), name.trim(), &token)
        .await
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hold_pairs_by_line_or_comma() {
        let keys = keys_from_value("aa:bb\n cc:dd ,ee:ff\n").expect("pairs");
        assert_eq!(keys.len(), 3);
        for bad in ["", "aa", "aa:zz", ":bb", "aa:bb,cc"] {
            assert!(keys_from_value(bad).is_err(), "{bad:?}");
        }
    }
}

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::*;
use thumbprint_service::auth::rules::{check, Denial};

fn issuer() -> DevIssuer {
    DevIssuer::new(
        "http://127.0.0.1:1".into(),
        vec!["http://127.0.0.1:2/".into()],
    )
    .expect("key pair")
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn now() -> f64 {
    now_secs() as f64
}

#[test]
fn client_credentials_tokens_pass_the_gateway_rules() {
    let i = issuer();
    let ok = i
        .token(
            &form(&[("grant_type", "client_credentials")]),
            Some((DEV_CLIENT_ID.into(), DEV_CLIENT_SECRET.into())),
        )
        .expect("token");
    let token = ok["access_token"].as_str().expect("access_token");
    let granted = check(Some(token), &i.rules(), i.jwks(), now()).expect("accepted");
    assert_eq!(granted.claims["sub"], DEV_CLIENT_ID);
    assert_eq!(granted.claims["token_use"], "access");
    assert!(
        !granted.claims.contains_key("aud"),
        "Cognito access tokens carry no aud"
    );
    // The wrong secret, in the body this time.
    let bad = i.token(
        &form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", "nope"),
        ]),
        None,
    );
    assert_eq!(bad.err().map(|e| e.code), Some("invalid_client"));
    // A scope the client may not have.
    let scoped = i.token(
        &form(&[("grant_type", "client_credentials"), ("scope", "admin")]),
        Some((DEV_CLIENT_ID.into(), DEV_CLIENT_SECRET.into())),
    );
    assert_eq!(scoped.err().map(|e| e.code), Some("invalid_scope"));
}

#[test]
fn authorization_code_needs_the_verifier_once() {
    let i = issuer();
    let verifier = "a-verifier-of-at-least-forty-three-characters-long-0123456789";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let scope = DevIssuer::check_authorize(Some("code"), Some(&challenge), Some("S256"), None)
        .expect("request ok");
    assert_eq!(scope, format!("openid {SCOPE}"));
    assert!(
        DevIssuer::check_authorize(Some("code"), Some(&challenge), Some("plain"), None).is_err()
    );
    assert!(
        DevIssuer::check_authorize(Some("token"), Some(&challenge), Some("S256"), None).is_err()
    );
    assert!(DevIssuer::check_authorize(Some("code"), None, Some("S256"), None).is_err());

    let redirect = "http://127.0.0.1:2/";
    let code = i
        .issue_code(redirect, &challenge, &scope, "ada")
        .expect("code");
    let exchange = |code: &str, verifier: &str| {
        i.token(
            &form(&[
                ("grant_type", "authorization_code"),
                ("client_id", PAGE_CLIENT_ID),
                ("redirect_uri", redirect),
                ("code", code),
                ("code_verifier", verifier),
            ]),
            None,
        )
    };
    // A wrong verifier burns the code: it cannot be tried again.
    assert_eq!(
        exchange(&code, "wrong").err().map(|e| e.code),
        Some("invalid_grant")
    );
    assert_eq!(
        exchange(&code, verifier).err().map(|e| e.code),
        Some("invalid_grant")
    );

    let code = i
        .issue_code(redirect, &challenge, &scope, "ada")
        .expect("code");
    let ok = exchange(&code, verifier).expect("token");
    let token = ok["access_token"].as_str().expect("access_token");
    let granted = check(Some(token), &i.rules(), i.jwks(), now()).expect("accepted");
    assert_eq!(granted.claims["username"], "ada");
    assert_eq!(granted.claims["client_id"], PAGE_CLIENT_ID);
    assert_eq!(granted.scopes, ["openid", SCOPE]);
    assert_eq!(
        exchange(&code, verifier).err().map(|e| e.code),
        Some("invalid_grant"),
        "one use"
    );

    // A token with only openid is refused by the route (403), as the gateway would.
    let narrow = i
        .mint(PAGE_CLIENT_ID, Some("ada"), "openid", now_secs())
        .expect("token");
    assert_eq!(
        check(Some(&narrow), &i.rules(), i.jwks(), now()),
        Err(Denial::Forbidden)
    );
}

//! The local JWT authorizer against tokens made here, one table: each row over HTTP to
//! `thumbprint serve`'s front door (status, body, `WWW-Authenticate` as API Gateway answers), and
//! each accepted row again through the Lambda path, as the gateway would pass its claims in a
//! payload-2.0 event: both reach the handler and log the same `sub`. Then the development
//! issuer over HTTP: discovery and JWKS fetched as the gateway fetches them, client credentials,
//! and authorization code + PKCE through its real endpoints.

use std::net::SocketAddr;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

use thumbprint_cli::server::run;
use thumbprint_service::auth::rules::reason;
use thumbprint_service::auth::{Authorizer, KeySource, Rules};
use thumbprint_service::http::App;

use crate::logs::logs_of;
use crate::support::*;

pub(crate) const ISSUER: &str = "https://issuer.test/pool";
pub(crate) const AUDIENCE: &str = "client-a";
pub(crate) const SCOPE: &str = "thumbprint/thumbnail";
pub(crate) const KID: &str = "key-1";

/// A signing key and its JWKS entry.
pub(crate) struct TestKey {
    der: Vec<u8>,
    public_der: Vec<u8>,
    n: String,
    e: String,
}

pub(crate) fn test_key() -> TestKey {
    let mut rng = getrandom::SysRng;
    let key = rsa::PrivateKey::new(&mut rng, 2048).expect("key");
    TestKey {
        der: key.to_pkcs1_der().expect("der").as_bytes().to_vec(),
        public_der: key
            .to_public_key()
            .to_pkcs1_der()
            .expect("der")
            .as_bytes()
            .to_vec(),
        n: URL_SAFE_NO_PAD.encode(key.n_bytes()),
        e: URL_SAFE_NO_PAD.encode(key.e_bytes()),
    }
}

pub(crate) fn jwks(key: &TestKey) -> JwkSet {
    serde_json::from_value(json!({"keys": [{
        "kty": "RSA", "alg": "RS256", "use": "sig", "kid": KID, "n": key.n, "e": key.e
    }]}))
    .expect("jwks")
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Claims of a Cognito access token that the test authorizer accepts.
pub(crate) fn good_claims() -> Value {
    json!({
        "sub": "user-7", "iss": ISSUER, "client_id": AUDIENCE, "token_use": "access",
        "scope": format!("openid {SCOPE}"), "iat": now() - 10, "exp": now() + 600,
    })
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    if value.is_null() {
        claims.as_object_mut().expect("object").remove(key);
    } else {
        claims[key] = value;
    }
    claims
}

pub(crate) fn sign(key: &TestKey, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(String::from);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(&key.der)).expect("sign")
}

/// A token as the `none` algorithm makes it: a header, the claims, no signature.
fn unsigned(claims: &Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.",
        part(&json!({"alg": "none", "typ": "JWT", "kid": KID})),
        part(claims)
    )
}

/// What a row expects.
#[derive(Debug, PartialEq)]
enum Expect {
    Accepted,
    Unauthorized(&'static str),
    Forbidden,
}

fn table(key: &TestKey, other: &TestKey) -> Vec<(&'static str, Option<String>, Expect)> {
    use Expect::*;
    let good = good_claims();
    let bearer = |t: String| Some(format!("Bearer {t}"));
    let hs256_with_public_key = {
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some(KID.into());
        jsonwebtoken::encode(
            &h,
            &good,
            &EncodingKey::from_secret(&key.public_der).expect("secret"),
        )
        .expect("hs")
    };
    let tampered = {
        let t = sign(key, Some(KID), &good);
        let parts: Vec<&str> = t.split('.').collect();
        let evil = with(good.clone(), "sub", json!("admin"));
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(evil.to_string()),
            parts[2]
        )
    };
    vec![
        (
            "valid (client_id, no aud)",
            bearer(sign(key, Some(KID), &good)),
            Accepted,
        ),
        (
            "valid without Bearer",
            Some(sign(key, Some(KID), &good)),
            Accepted,
        ),
        (
            "valid with aud",
            bearer(sign(
                key,
                Some(KID),
                &with(
                    with(good.clone(), "client_id", Value::Null),
                    "aud",
                    json!(AUDIENCE),
                ),
            )),
            Accepted,
        ),
        (
            "valid, scp list",
            bearer(sign(
                key,
                Some(KID),
                &with(
                    with(good.clone(), "scope", Value::Null),
                    "scp",
                    json!([SCOPE]),
                ),
            )),
            Accepted,
        ),
        ("no header", None, Unauthorized(reason::MISSING)),
        (
            "empty Bearer",
            Some("Bearer ".into()),
            Unauthorized(reason::MISSING),
        ),
        (
            "garbage",
            bearer("not-a-token".into()),
            Unauthorized(reason::MALFORMED),
        ),
        (
            "three garbage parts",
            bearer("a.b.c".into()),
            Unauthorized(reason::MALFORMED),
        ),
        (
            "expired",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "exp", json!(now() - 1)),
            )),
            Unauthorized(reason::EXPIRED),
        ),
        (
            "no exp",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "exp", Value::Null),
            )),
            Unauthorized(reason::EXPIRED),
        ),
        (
            "not yet valid (nbf)",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "nbf", json!(now() + 300)),
            )),
            Unauthorized(reason::NOT_YET_VALID),
        ),
        (
            "issued in the future (iat)",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "iat", json!(now() + 300)),
            )),
            Unauthorized(reason::NOT_YET_VALID),
        ),
        (
            "wrong issuer",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "iss", json!("https://evil.test/pool")),
            )),
            Unauthorized(reason::ISSUER),
        ),
        (
            "wrong audience (client_id)",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "client_id", json!("client-b")),
            )),
            Unauthorized(reason::AUDIENCE),
        ),
        (
            "aud wins over client_id",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "aud", json!("client-b")),
            )),
            Unauthorized(reason::AUDIENCE),
        ),
        (
            "missing scope",
            bearer(sign(
                key,
                Some(KID),
                &with(good.clone(), "scope", json!("openid")),
            )),
            Forbidden,
        ),
        (
            "none algorithm",
            bearer(unsigned(&good)),
            Unauthorized(reason::ALGORITHM),
        ),
        (
            "HS256 with the public key as secret",
            bearer(hs256_with_public_key),
            Unauthorized(reason::ALGORITHM),
        ),
        (
            "kid not in the JWKS",
            bearer(sign(key, Some("key-2"), &good)),
            Unauthorized(reason::KEY),
        ),
        (
            "no kid",
            bearer(sign(key, None, &good)),
            Unauthorized(reason::KEY),
        ),
        (
            "another key, same kid",
            bearer(sign(other, Some(KID), &good)),
            Unauthorized(reason::SIGNATURE),
        ),
        (
            "claims changed after signing",
            bearer(tampered),
            Unauthorized(reason::SIGNATURE),
        ),
    ]
}

async fn start(authorizer: Authorizer) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(run(App::new(), listener, Some(Arc::new(authorizer))));
    addr
}

fn small_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

async fn post(addr: SocketAddr, authorization: Option<&str>) -> (u16, String, String) {
    let client = reqwest::Client::new();
    let mut req = client
        .post(format!("http://{addr}/thumbnail?width=4"))
        .header("content-type", "image/png")
        .header("x-test", "local")
        .body(small_png());
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    let r = req.send().await.expect("send");
    let status = r.status().as_u16();
    let challenge = r
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default();
    let body = if status == 200 {
        String::new()
    } else {
        r.text().await.expect("body")
    };
    (status, body, challenge)
}

/// The `sub`s of the handler's log lines for `POST /thumbnail` answered 200, in order.
fn subs(logs: &str) -> Vec<String> {
    logs.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "request" && v["fields"]["status"] == 200)
        .map(|v| v["fields"]["sub"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_token_table_over_http_and_through_the_lambda_path() {
    let key = test_key();
    let other = test_key();
    let rules = Rules {
        issuer: ISSUER.into(),
        audiences: vec![AUDIENCE.into()],
        scopes: vec![SCOPE.into()],
    };
    let rows = table(&key, &other);
    let mut local_subs = Vec::new();
    let logs = logs_of(|| async {
        let authorizer = Authorizer::new(rules.clone(), KeySource::fixed(jwks(&key)));
        let addr = start(authorizer).await;
        let checker = Authorizer::new(rules.clone(), KeySource::fixed(jwks(&key)));
        for (name, header, expect) in &rows {
            let (status, body, challenge) = post(addr, header.as_deref()).await;
            match expect {
                Expect::Accepted => {
                    assert_eq!(status, 200, "{name}: {body}");
                    // The Lambda path: the gateway passes the claims it accepted; no check here.
                    let granted = checker.authorize(header.as_deref()).await.expect(name);
                    local_subs.push(granted.claims["sub"].clone());
                    let mut e = v2_event(
                        "apigw-v2-jwt-authorizer.json",
                        "POST",
                        "/thumbnail",
                        "width=4",
                        &[("content-type", "image/png")],
                        &small_png(),
                        true,
                    );
                    e["requestContext"]["authorizer"]["jwt"]["claims"] = json!(granted.claims);
                    e["requestContext"]["authorizer"]["jwt"]["scopes"] = json!(granted.scopes);
                    let r = handle_event(&App::new(), e, name).await;
                    assert_eq!(r["statusCode"], 200, "{name}: lambda path");
                }
                Expect::Unauthorized(why) => {
                    assert_eq!(
                        (status, body.as_str()),
                        (401, r#"{"message":"Unauthorized"}"#),
                        "{name}"
                    );
                    if why.is_empty() {
                        assert_eq!(challenge, "Bearer", "{name}");
                    } else {
                        assert_eq!(
                            challenge,
                            format!(
                                r#"Bearer scope="" error="invalid_token" error_description="{why}""#
                            ),
                            "{name}"
                        );
                    }
                }
                Expect::Forbidden => {
                    assert_eq!(
                        (status, body.as_str()),
                        (403, r#"{"message":"Forbidden"}"#),
                        "{name}"
                    );
                    assert!(
                        challenge.contains("error=\"insufficient_scope\""),
                        "{name}: {challenge}"
                    );
                    assert!(challenge.contains(SCOPE), "{name}: {challenge}");
                }
            }
        }
    });
    // Each accepted token logged its `sub` twice: once locally, once through the Lambda path.
    let logged = subs(&logs);
    let expected: Vec<String> = local_subs
        .iter()
        .flat_map(|s| [s.clone(), s.clone()])
        .collect();
    assert_eq!(logged, expected, "{logs}");
    assert!(!logs.contains("eyJ"), "a token reached the logs:\n{logs}");
}

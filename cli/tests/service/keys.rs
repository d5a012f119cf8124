//! The issuer's keys as the local authorizer gets them: from discovery, cached, fetched again
//! after a rotation (at most once per interval for unknown `kid`s), and a fetch that never
//! answers ends in a 401 at the fetch timeout.

use std::sync::Arc;

use jsonwebtoken::jwk::JwkSet;
use serde_json::{json, Value};
use thumbprint_cli::dev_issuer::{self, DevIssuer};
use thumbprint_service::auth::rules::reason;
use thumbprint_service::auth::{Authorizer, KeySource, Location, Rules};

use crate::auth::{good_claims, now, sign, test_key, AUDIENCE, KID};

/// An issuer's discovery document and JWKS on loopback, the JWKS replaceable (a key rotation),
/// every JWKS fetch counted.
struct KeyServer {
    url: String,
    jwks: Arc<std::sync::Mutex<Value>>,
    fetches: Arc<std::sync::atomic::AtomicUsize>,
}

async fn key_server(first: &JwkSet) -> KeyServer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let jwks = Arc::new(std::sync::Mutex::new(
        serde_json::to_value(first).expect("jwks"),
    ));
    let fetches = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (base, keys, count) = (url.clone(), jwks.clone(), fetches.clone());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let body = if head.starts_with("GET /.well-known/openid-configuration ") {
                json!({"issuer": base, "jwks_uri": format!("{base}/jwks")}).to_string()
            } else {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                keys.lock().expect("jwks").to_string()
            };
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(answer.as_bytes()).await;
        }
    });
    KeyServer { url, jwks, fetches }
}

fn mint(issuer: &DevIssuer) -> String {
    let token = issuer
        .mint(
            dev_issuer::DEV_CLIENT_ID,
            None,
            dev_issuer::SCOPE,
            now() as u64,
        )
        .expect("mint");
    format!("Bearer {token}")
}

#[tokio::test]
async fn keys_come_from_discovery_and_a_rotated_key_is_fetched_again() {
    use std::sync::atomic::Ordering::SeqCst;
    // Two key pairs of one issuer URL: the one it signs with now, and the one it rotates to.
    let placeholder = key_server(&JwkSet { keys: vec![] }).await;
    let old = DevIssuer::new(placeholder.url.clone(), vec![]).expect("issuer");
    let new = DevIssuer::new(placeholder.url.clone(), vec![]).expect("issuer");
    *placeholder.jwks.lock().expect("jwks") = serde_json::to_value(old.jwks()).expect("jwks");
    let server = placeholder;
    let keys = KeySource::remote(Location::Discovery(server.url.clone()))
        .expect("client")
        .with_refetch_interval(std::time::Duration::ZERO);
    let authorizer = Authorizer::new(old.rules(), keys);

    let granted = authorizer
        .authorize(Some(&mint(&old)))
        .await
        .expect("accepted through discovery");
    assert_eq!(granted.claims["sub"], dev_issuer::DEV_CLIENT_ID);
    assert_eq!(server.fetches.load(SeqCst), 1, "the keys were fetched once");
    authorizer
        .authorize(Some(&mint(&old)))
        .await
        .expect("accepted from the cache");
    assert_eq!(
        server.fetches.load(SeqCst),
        1,
        "a known kid is served from the cache"
    );

    // The issuer rotates: its JWKS now holds only the new key. A token signed by the new key
    // names a kid the cache lacks, so the keys are fetched again and it is accepted.
    *server.jwks.lock().expect("jwks") = serde_json::to_value(new.jwks()).expect("jwks");
    authorizer
        .authorize(Some(&mint(&new)))
        .await
        .expect("the rotated key is fetched and accepted");
    assert_eq!(server.fetches.load(SeqCst), 2);
    // The retired key's tokens are refused now.
    assert_eq!(
        authorizer.authorize(Some(&mint(&old))).await.err(),
        Some(thumbprint_service::auth::Denial::Unauthorized(reason::KEY))
    );
}

#[tokio::test]
async fn unknown_kids_cause_at_most_one_fetch_per_interval() {
    use std::sync::atomic::Ordering::SeqCst;
    let placeholder = key_server(&JwkSet { keys: vec![] }).await;
    let issuer = DevIssuer::new(placeholder.url.clone(), vec![]).expect("issuer");
    *placeholder.jwks.lock().expect("jwks") = serde_json::to_value(issuer.jwks()).expect("jwks");
    let server = placeholder;
    let authorizer = Authorizer::new(
        issuer.rules(),
        KeySource::remote(Location::Discovery(server.url.clone())).expect("client"),
    );
    authorizer
        .authorize(Some(&mint(&issuer)))
        .await
        .expect("accepted");
    // A flood of tokens with made-up kids (another key of the same issuer URL) within the
    // default refetch interval: refused, and not one of them makes the keys be fetched again.
    let stranger = DevIssuer::new(server.url.clone(), vec![]).expect("issuer");
    for _ in 0..20 {
        assert_eq!(
            authorizer.authorize(Some(&mint(&stranger))).await.err(),
            Some(thumbprint_service::auth::Denial::Unauthorized(reason::KEY))
        );
    }
    assert_eq!(server.fetches.load(SeqCst), 1);
}

#[tokio::test]
async fn keys_that_never_answer_mean_401_after_the_fetch_timeout_not_a_hang() {
    // An issuer that accepts the connection and never says a word.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let authorizer = Authorizer::new(
        Rules {
            issuer: url.clone(),
            audiences: vec![AUDIENCE.into()],
            scopes: vec![],
        },
        KeySource::remote(Location::Discovery(url)).expect("client"),
    );
    let key = test_key();
    let started = std::time::Instant::now();
    let denial = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        authorizer.authorize(Some(&sign(&key, Some(KID), &good_claims()))),
    )
    .await
    .expect("the authorizer gave up by itself");
    assert!(matches!(
        denial,
        Err(thumbprint_service::auth::Denial::Unauthorized(_))
    ));
    // It waited for the fetch timeout (the server really hung), and no longer.
    let waited = started.elapsed();
    let cap = thumbprint_service::auth::keys::FETCH_TIMEOUT;
    assert!(
        waited >= cap - std::time::Duration::from_millis(100),
        "{waited:?}"
    );
    assert!(waited < cap * 3, "{waited:?}");
}

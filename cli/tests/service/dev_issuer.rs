//! The development issuer's endpoints as the page uses them (authorize, sign in, the PKCE
//! exchange), and `GET /auth-config` with the page's CSP.

use std::collections::HashMap;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};
use thumbprint_cli::dev_issuer::{self, DevIssuer};
use thumbprint_service::auth::{Authorizer, KeySource};
use thumbprint_service::http::App;

/// The page's flow against the development issuer's real endpoints: authorize (the sign-in
/// form), sign in (a redirect with the code and the state), exchange with the PKCE verifier.
#[tokio::test]
async fn authorization_code_with_pkce_through_the_endpoints() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let issuer_url = format!("http://{}", listener.local_addr().expect("addr"));
    let page = "http://127.0.0.1:1/";
    let issuer = Arc::new(DevIssuer::new(issuer_url.clone(), vec![page.into()]).expect("issuer"));
    tokio::spawn(dev_issuer::serve(issuer.clone(), listener));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let verifier = "0123456789abcdefghijklmnopqrstuvwxyz-0123456789";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let params = [
        ("response_type", "code"),
        ("client_id", dev_issuer::PAGE_CLIENT_ID),
        ("redirect_uri", page),
        ("state", "st<ate>"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("scope", "openid thumbprint/thumbnail"),
    ];
    let form = client
        .get(format!("{issuer_url}/oauth2/authorize"))
        .query(&params)
        .send()
        .await
        .expect("authorize");
    assert_eq!(form.status(), 200);
    let html = form.text().await.expect("html");
    assert!(html.contains("Development issuer"), "{html}");
    assert!(
        html.contains("st&lt;ate&gt;") && !html.contains("st<ate>"),
        "escaped state"
    );

    // An unregistered redirect URI is refused on the issuer's own page, never redirected to.
    let evil: Vec<(&str, &str)> = params
        .iter()
        .map(|&(k, v)| {
            (
                k,
                if k == "redirect_uri" {
                    "https://evil.test/"
                } else {
                    v
                },
            )
        })
        .collect();
    let refused = client
        .get(format!("{issuer_url}/oauth2/authorize"))
        .query(&evil)
        .send()
        .await
        .expect("authorize");
    assert_eq!(refused.status(), 400);

    let mut signin: Vec<(&str, &str)> = params.to_vec();
    signin.push(("username", "ada"));
    let back = client
        .post(format!("{issuer_url}/oauth2/authorize"))
        .form(&signin)
        .send()
        .await
        .expect("sign in");
    assert_eq!(back.status(), 302);
    let location =
        url::Url::parse(back.headers()["location"].to_str().expect("location")).expect("url");
    assert!(location.as_str().starts_with(page));
    let q: HashMap<String, String> = location.query_pairs().into_owned().collect();
    assert_eq!(q["state"], "st<ate>");
    let exchange = |verifier: &'static str| {
        let client = client.clone();
        let code = q["code"].clone();
        let url = format!("{issuer_url}/oauth2/token");
        async move {
            client
                .post(url)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("client_id", dev_issuer::PAGE_CLIENT_ID),
                    ("redirect_uri", page),
                    ("code", code.as_str()),
                    ("code_verifier", verifier),
                ])
                .send()
                .await
                .expect("token")
        }
    };
    let answer = exchange(verifier).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["access-control-allow-origin"], "*");
    let body: Value = serde_json::from_str(&answer.text().await.expect("body")).expect("json");
    let token = body["access_token"].as_str().expect("token");
    let granted = Authorizer::new(issuer.rules(), KeySource::fixed(issuer.jwks().clone()))
        .authorize(Some(token))
        .await
        .expect("accepted");
    assert_eq!(granted.claims["username"], "ada");
    assert_eq!(
        exchange(verifier).await.status(),
        400,
        "a code is used once"
    );
}

/// `GET /auth-config`: 204 without page sign-in; with it, the settings, and the page's CSP lets
/// it reach the token endpoint's origin (and no other).
#[tokio::test]
async fn auth_config_and_the_pages_csp() {
    let get = |app: App, path: &'static str| async move {
        let req = http::Request::get(path)
            .body(hyper::body::Bytes::new())
            .expect("request");
        app.handle(req).await
    };
    let plain = get(App::new(), "/auth-config").await;
    assert_eq!(plain.status(), 204);
    let csp = get(App::new(), "/").await.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    assert!(csp.contains("connect-src 'self' https:;"), "{csp}");

    let issuer = DevIssuer::new("http://127.0.0.1:7".into(), vec![]).expect("issuer");
    let app = App::new().with_page_auth(Some(issuer.page_auth()));
    let config = get(app.clone(), "/auth-config").await;
    assert_eq!(config.status(), 200);
    let body = http_body_util::BodyExt::collect(config.into_body())
        .await
        .expect("body")
        .to_bytes();
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["client_id"], dev_issuer::PAGE_CLIENT_ID);
    assert_eq!(v["token_endpoint"], "http://127.0.0.1:7/oauth2/token");
    assert!(v.get("client_secret").is_none());
    let csp = get(app, "/").await.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    assert!(
        csp.contains("connect-src 'self' https: http://127.0.0.1:7;"),
        "{csp}"
    );
}

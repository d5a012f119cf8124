//! `POST /sign` (the page's signed URLs, behind the JWT) and the CDN in front: a signed path
//! answers as `GET` does, refusals are the GET's, the local server's authorizer guards the
//! route; with CDN secrets configured only requests carrying one are answered (rotation: any of
//! them), the page and the API's other routes untouched; an answer over Lambda's response cap
//! is the typed 413 through the Lambda door, never a 502.

use std::sync::Arc;

use http::Request;
use hyper::body::Bytes;
use serde_json::{json, Value};
use thumbprint_cli::server::run;
use thumbprint_service::auth::{Authorizer, KeySource, Rules};
use thumbprint_service::http::App;
use thumbprint_service::signed::cdn::HEADER;
use thumbprint_service::signed::{signature, CdnSecrets, Sources};

use crate::auth::{good_claims, jwks, sign, test_key, AUDIENCE, ISSUER, KID, SCOPE};
use crate::signed::{answer, config, corpus, get, hex, local_app, post, Answer, KEY, SALT};
use crate::support::*;

async fn sign_paths(app: &App, body: &Value) -> Answer {
    let req = Request::post("/sign")
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_string()))
        .expect("request");
    answer(app.handle(req).await).await
}

fn json_of(a: &Answer) -> Value {
    serde_json::from_slice(&a.body).expect("json")
}

#[tokio::test]
async fn a_signed_path_answers_as_its_get_and_as_the_post() {
    let app = local_app();
    // As a builder writes it, with or without its slash, and as a proxy collapses `///`.
    let given = [
        "rs:fit:96:96/plain/local:///photos/rocket.jpg@png",
        "/rs:fit:192:192/plain/local:/photos/rocket.jpg@png",
    ];
    let a = sign_paths(&app, &json!({ "paths": given })).await;
    assert_eq!(a.status, 200, "{}", a.message());
    assert_eq!(a.header("cache-control"), Some("no-store"));
    let v = json_of(&a);
    assert!(v.get("base_url").is_none(), "{v}");
    let paths: Vec<String> = serde_json::from_value(v["paths"].clone()).expect("paths");
    let want = "/rs:fit:96:96/plain/local:///photos/rocket.jpg@png";
    assert_eq!(
        paths[0],
        format!("/{}{want}", signature::sign(&hex(KEY), &hex(SALT), want)),
        "signed by the first key, over the path as given"
    );
    assert!(
        paths[1].ends_with("/rs:fit:192:192/plain/local:///photos/rocket.jpg@png"),
        "{}",
        paths[1]
    );
    let photo = std::fs::read(corpus().join("photos/rocket.jpg")).expect("photo");
    for (path, width) in paths.iter().zip([96, 192]) {
        let got = get(&app, path, &[]).await;
        let made = post(
            &app,
            &format!("width={width}&height={width}&format=png"),
            &photo,
        )
        .await;
        assert_eq!((got.status, made.status), (200, 200), "{path}");
        assert!(got.body == made.body, "{path}: bytes differ from the POST");
    }
    // With the CDN's address configured, the answer says where to ask.
    let mut with_base = config(Sources {
        local_root: Some(corpus()),
        ..Sources::default()
    });
    with_base.base_url = Some("https://img.example.com".into());
    let app = App::new().with_urls(Some(with_base));
    let v = json_of(&sign_paths(&app, &json!({ "paths": [want] })).await);
    assert_eq!(v["base_url"], "https://img.example.com", "{v}");
}

#[tokio::test]
async fn what_a_get_would_refuse_is_not_signed() {
    let app = local_app();
    let too_many: Vec<String> = (0..17)
        .map(|w| format!("rs:fit:{}:0/plain/local:///photos/rocket.jpg", w + 10))
        .collect();
    for (body, status, code) in [
        (
            json!({"paths": ["rs:fit:64:64/plain/https://elsewhere.example.com/a.jpg"]}),
            422,
            "url_not_allowed",
        ),
        (
            json!({"paths": ["rs:fit:64:64/plain/s3://not-listed/a.jpg"]}),
            422,
            "url_not_allowed",
        ),
        (
            json!({"paths": ["rs:fit:64:64/blur:5/plain/local:///photos/rocket.jpg"]}),
            400,
            "invalid_option",
        ),
        (
            json!({"paths": ["rs:fit:64:64/plain/local:///photos/rocket.jpg", "rs:nope/plain/x"]}),
            400,
            "invalid_option",
        ),
        (json!({"paths": []}), 400, "invalid_request"),
        (json!({ "paths": too_many }), 400, "invalid_request"),
        (
            json!({"path": "rs:fit:64:64/plain/x"}),
            400,
            "invalid_request",
        ),
        (json!({"paths": ["x".repeat(9000)]}), 400, "invalid_request"),
        (json!("not an object"), 400, "invalid_request"),
    ] {
        let a = sign_paths(&app, &body).await;
        assert_eq!(
            (a.status, a.code().as_deref()),
            (status, Some(code)),
            "{}: {}",
            &body.to_string()[..body.to_string().len().min(80)],
            a.message()
        );
    }
    // Without signed URLs there is nothing to sign with.
    let a = sign_paths(
        &App::new(),
        &json!({"paths": ["rs:fit:64:64/plain/local:///a.jpg"]}),
    )
    .await;
    assert_eq!((a.status, a.code().as_deref()), (404, Some("not_found")));
}

#[tokio::test]
async fn the_local_server_asks_for_a_token_to_sign() {
    let key = test_key();
    let rules = Rules {
        issuer: ISSUER.into(),
        audiences: vec![AUDIENCE.into()],
        scopes: vec![SCOPE.into()],
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let authorizer = Authorizer::new(rules, KeySource::fixed(jwks(&key)));
    tokio::spawn(run(local_app(), listener, Some(Arc::new(authorizer))));
    let body = json!({"paths": ["rs:fit:64:64/plain/local:///photos/rocket.jpg"]}).to_string();
    let client = reqwest::Client::new();
    let send = |token: Option<String>| {
        let mut req = client
            .post(format!("http://{addr}/sign"))
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        req.send()
    };
    let refused = send(None).await.expect("send");
    assert_eq!(refused.status(), 401);
    let token = sign(&key, Some(KID), &good_claims());
    let signed = send(Some(token)).await.expect("send");
    assert_eq!(signed.status(), 200);
    let v: Value = serde_json::from_slice(&signed.bytes().await.expect("body")).expect("json");
    let path = v["paths"][0].as_str().expect("a path").to_string();
    // The signed path itself needs no token: it is the authorization.
    let image = client
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .expect("get");
    assert_eq!(image.status(), 200);
    assert_eq!(
        image
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
}

const SECRET: &str = "0123456789abcdef0123456789abcdef0123";
const OLD_SECRET: &str = "fedcba9876543210fedcba9876543210fedc";

fn behind_cdn() -> App {
    let mut urls = config(Sources {
        local_root: Some(corpus()),
        ..Sources::default()
    });
    urls.cdn_secrets = CdnSecrets::new(&[SECRET.into(), OLD_SECRET.into()]).expect("secrets");
    App::new().with_urls(Some(urls))
}

#[tokio::test]
async fn behind_a_cdn_only_its_requests_are_answered() {
    let app = behind_cdn();
    let path = crate::signed::signed("/rs:fit:64:64/plain/local:///photos/rocket.jpg");
    for (headers, status) in [
        (vec![], 403),
        (vec![(HEADER, "wrong")], 403),
        (vec![(HEADER, &SECRET[..31])], 403),
        (vec![(HEADER, SECRET)], 200),
        (vec![(HEADER, OLD_SECRET)], 200),
    ] {
        let a = get(&app, &path, &headers).await;
        assert_eq!(a.status, status, "{headers:?}: {}", a.message());
        if status == 403 {
            assert_eq!(a.code().as_deref(), Some("not_through_cdn"));
            // Never kept by the CDN: it is the CDN's own request that failed.
            assert_eq!(a.header("cache-control"), Some("no-store"));
        }
    }
    // Through the CDN a bad signature is still a bad signature; around it, every signed-URL
    // path is refused the same way, whatever its signature. The page is not the CDN's.
    let forged = "/AAAA/rs:fit:64:64/plain/local:///photos/rocket.jpg";
    let a = get(&app, forged, &[(HEADER, SECRET)]).await;
    assert_eq!(a.code().as_deref(), Some("invalid_signature"));
    let a = get(&app, forged, &[]).await;
    assert_eq!(a.code().as_deref(), Some("not_through_cdn"));
    assert_eq!(get(&app, "/", &[]).await.status, 200);
    assert_eq!(get(&app, "/version", &[]).await.status, 200);
    // Through the Lambda door: the header as CloudFront sends it to API Gateway.
    for (headers, status) in [(vec![(HEADER, SECRET)], 200), (vec![], 403)] {
        let event = v2_event(
            "apigw-v2-no-authorizer.json",
            "GET",
            &path,
            "",
            &headers,
            b"",
            false,
        );
        let r = handle_event(&app, event, "cdn").await;
        assert_eq!(r["statusCode"], status, "{r}");
    }
}

/// A PNG of `side` x `side` noise (no compression can shrink it).
fn noise_png(side: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(side, side, |_, _| {
        let mut px = [0u8; 3];
        for c in &mut px {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            *c = (state >> 24) as u8;
        }
        image::Rgb(px)
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

#[tokio::test]
async fn an_answer_over_the_lambdas_cap_is_a_413_not_a_502() {
    let dir = std::env::temp_dir().join(format!("thumbprint-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    // 1,300 x 1,300 noise: about 5 MB as PNG, over the 4.5 MB output cap once made again.
    std::fs::write(dir.join("noise.png"), noise_png(1300)).expect("write");
    let app = App::new().with_urls(Some(config(Sources {
        local_root: Some(dir.clone()),
        ..Sources::default()
    })));
    let path = crate::signed::signed("/rs:fit:1300:1300/plain/local:///noise.png@png");
    let event = v2_event(
        "apigw-v2-no-authorizer.json",
        "GET",
        &path,
        "",
        &[],
        b"",
        false,
    );
    let r = handle_event(&app, event, "cap").await;
    assert_eq!(r["statusCode"], 413, "{r}");
    let body: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["error"]["code"], "output_too_large", "{body}");
    // Whole answers stay under Lambda's 6 MB response: the same image smaller is an image.
    let path = crate::signed::signed("/rs:fit:1000:1000/plain/local:///noise.png@png");
    let a = get(&app, &path, &[]).await;
    assert_eq!(a.status, 200, "{}", a.message());
    assert!(a.body.len() <= 4_500_000, "{}", a.body.len());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[tokio::test]
async fn the_lambda_signs_behind_the_gateways_authorizer() {
    // API Gateway has checked the token (the route is JWT-protected) and passes its claims.
    let body = json!({"paths": ["rs:fit:64:64/plain/local:///photos/rocket.jpg"]}).to_string();
    let event = v2_event(
        "apigw-v2-jwt-authorizer.json",
        "POST",
        "/sign",
        "",
        &[("content-type", "application/json")],
        body.as_bytes(),
        true,
    );
    let r = handle_event(&local_app(), event, "sign").await;
    assert_eq!(r["statusCode"], 200, "{r}");
    let v: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    let path = v["paths"][0].as_str().expect("a path");
    let a = get(&local_app(), path, &[]).await;
    assert_eq!(a.status, 200, "{}", a.message());
}

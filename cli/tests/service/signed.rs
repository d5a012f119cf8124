//! Signed image URLs (`GET /{signature}/{options}/{source}`): the same bytes and ETag as the
//! POST request the options map onto, for every corpus file and every option of the subset;
//! signatures (tampered, wrong, rotated keys, `insecure`), sources (local root, allow-listed
//! origins, traversal, oversize; the corpus's hostile files through the manifest walk), `Accept`
//! and `Vary`, 304, and the Lambda door.

use std::path::PathBuf;

use http::{Request, Response};
use http_body_util::BodyExt;
use hyper::body::Bytes;
use serde_json::Value;
use thumbprint_service::http::{App, Body};
use thumbprint_service::signed::{signature, Sources, UrlConfig, UrlKeys};

use crate::support::*;

pub(crate) const KEY: &str = "943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881";
pub(crate) const SALT: &str = "520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5";
const OLD_KEY: &str = "00112233";
const OLD_SALT: &str = "44556677";

pub(crate) fn corpus() -> PathBuf {
    thumbprint_tests::corpus_dir()
}

pub(crate) fn keys() -> UrlKeys {
    UrlKeys::from_hex(
        &[KEY.into(), OLD_KEY.into()],
        &[SALT.into(), OLD_SALT.into()],
    )
    .expect("keys")
}

pub(crate) fn config(sources: Sources) -> UrlConfig {
    UrlConfig::new(keys(), sources)
}

pub(crate) fn local_app() -> App {
    App::new().with_urls(Some(config(Sources {
        local_root: Some(corpus()),
        ..Sources::default()
    })))
}

pub(crate) fn hex(s: &str) -> Vec<u8> {
    signature::from_hex("test", s).expect("hex")
}

/// `/{signature}{path}` under the current key.
pub(crate) fn signed(path: &str) -> String {
    format!("/{}{path}", signature::sign(&hex(KEY), &hex(SALT), path))
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn code(&self) -> Option<String> {
        let v: Value = serde_json::from_slice(&self.body).ok()?;
        v["error"]["code"].as_str().map(str::to_string)
    }

    pub(crate) fn message(&self) -> String {
        let v: Value = serde_json::from_slice(&self.body).unwrap_or_default();
        v["error"]["message"].as_str().unwrap_or("").to_string()
    }
}

pub(crate) async fn answer(response: Response<Body>) -> Answer {
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes().to_vec();
    Answer {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    }
}

pub(crate) async fn get(app: &App, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(app.handle(req.body(Bytes::new()).expect("request")).await).await
}

pub(crate) async fn post(app: &App, query: &str, bytes: &[u8]) -> Answer {
    let req = Request::post(format!("/thumbnail?{query}"))
        .header("content-type", "image/jpeg")
        .body(Bytes::from(bytes.to_vec()))
        .expect("request");
    answer(app.handle(req).await).await
}

/// The GET of `options` on corpus file `rel` (`@ext` after it, when given) and the POST of
/// `query` on its bytes answer the same: status, code, bytes, ETag.
async fn same_as_post(app: &App, options: &str, rel: &str, query: &str) {
    same_as_post_ext(app, options, rel, "", query).await;
}

async fn same_as_post_ext(app: &App, options: &str, rel: &str, ext: &str, query: &str) {
    let get = get(
        app,
        &signed(&format!("/{options}/plain/local:///{rel}{ext}")),
        &[],
    )
    .await;
    let post = post(
        app,
        query,
        &std::fs::read(corpus().join(rel)).expect("file"),
    )
    .await;
    assert_eq!(
        (get.status, get.code()),
        (post.status, post.code()),
        "{rel} {options}: {}",
        get.message()
    );
    if post.status == 200 {
        assert!(get.body == post.body, "{rel} {options}: bytes differ");
        assert_eq!(get.header("etag"), post.header("etag"), "{rel} {options}");
        assert_eq!(get.header("content-type"), post.header("content-type"));
    }
}

#[tokio::test]
async fn every_corpus_file_answers_as_the_post_request() {
    let app = local_app();
    let rows = thumbprint_tests::manifest(&corpus()).expect("manifest");
    assert!(rows.len() > 100);
    for row in rows {
        same_as_post_ext(
            &app,
            "rs:fit:120:120",
            &row.path,
            "@png",
            "width=120&height=120&fit=contain&format=png",
        )
        .await;
    }
}

#[tokio::test]
async fn every_option_of_the_subset_maps_onto_the_post_request() {
    let app = local_app();
    // rocket.jpg is 640x427; chelsea.png 451x300.
    for (options, rel, query) in [
        (
            "rs:fit:200:200/f:png",
            "photos/rocket.jpg",
            "width=200&height=200&fit=contain&format=png",
        ),
        (
            "resize:fit:200:200:0",
            "photos/rocket.jpg",
            "width=200&height=200&fit=contain&format=jpeg",
        ),
        (
            "w:240/f:jpg/q:80",
            "photos/rocket.jpg",
            "width=240&height=4096&fit=contain&format=jpeg&quality=80",
        ),
        (
            "h:100/format:jpeg/quality:0",
            "photos/rocket.jpg",
            "width=4096&height=100&fit=contain&format=jpeg",
        ),
        (
            "s:300:300/rt:fill/g:ce",
            "photos/rocket.jpg",
            "width=300&height=300&fit=cover&format=jpeg",
        ),
        (
            "rs:fill:900:300/f:png",
            "photos/rocket.jpg",
            "width=640&height=300&fit=cover&format=png",
        ),
        (
            "rt:fill/el:1/s:900:300/ext:png",
            "photos/rocket.jpg",
            "width=900&height=300&fit=cover&format=png",
        ),
        (
            "rs:force:90:60/f:webp",
            "photos/rocket.jpg",
            "width=90&height=60&fit=fill&format=webp",
        ),
        (
            "rs:force:100",
            "photos/rocket.jpg",
            "width=100&height=427&fit=fill&format=jpeg",
        ),
        (
            "width:160/height:90/resizing_type:auto/f:png",
            "photos/rocket.jpg",
            "width=160&height=90&fit=cover&format=png",
        ),
        (
            "rs:fit:1000:1000:1/f:png",
            "photos/chelsea_cat.png",
            "width=1000&height=665&fit=fill&format=png",
        ),
        (
            "rs:fit:1000:1000/ex:0/cb:7",
            "photos/chelsea_cat.png",
            "width=1000&height=1000&fit=contain&format=auto",
        ),
        (
            "f:png",
            "photos/chelsea_cat.png",
            "width=451&height=300&fit=contain&format=png",
        ),
    ] {
        same_as_post(&app, options, rel, query).await;
    }
    // The source's extension wins over f:, base64 sources as plain ones.
    let b64 = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        "local:///photos/rocket.jpg",
    );
    let a = get(
        &app,
        &signed(&format!("/f:webp/rs:fit:64:64/{b64}.png")),
        &[],
    )
    .await;
    let b = get(
        &app,
        &signed("/rs:fit:64:64/plain/local:///photos/rocket.jpg@png"),
        &[],
    )
    .await;
    assert_eq!((a.status, b.status), (200, 200));
    assert_eq!(a.header("content-type"), Some("image/png"));
    assert!(a.body == b.body);
}

#[tokio::test]
async fn the_format_follows_accept_only_when_not_asked_for() {
    let app = local_app().with_auto_avif(true);
    let png = "/rs:fit:64:64/plain/local:///photos/chelsea_cat.png";
    let webp = get(&app, &signed(png), &[("accept", "image/webp,*/*")]).await;
    assert_eq!(webp.header("content-type"), Some("image/webp"));
    assert_eq!(webp.header("vary"), Some("Accept"));
    // An opaque source without a taker of AVIF or WebP: JPEG (formats.rs has the rest).
    let plain = get(&app, &signed(png), &[("accept", "*/*")]).await;
    assert_eq!(plain.header("content-type"), Some("image/jpeg"));
    assert_eq!(plain.header("vary"), Some("Accept"));
    // A format asked for is not negotiated.
    let asked = get(
        &app,
        &signed(&format!("{png}@png")),
        &[("accept", "image/webp")],
    )
    .await;
    assert_eq!(asked.header("content-type"), Some("image/png"));
    assert_eq!(asked.header("vary"), None);
}

#[tokio::test]
async fn images_are_cached_for_good_and_revalidated_by_etag() {
    let app = local_app();
    let path = signed("/rs:fit:64:64/plain/local:///photos/rocket.jpg");
    let first = get(&app, &path, &[]).await;
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let timing = first.header("server-timing").expect("server-timing");
    assert!(
        timing.starts_with("source;dur=") && timing.contains(", engine;dur="),
        "{timing}"
    );
    let etag = first.header("etag").expect("etag").to_string();
    let again = get(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn signatures_are_checked_over_the_path_as_sent() {
    let app = local_app();
    let path = "/rs:fit:64:64/plain/local:///photos/rocket.jpg";
    let good = signed(path);
    assert_eq!(get(&app, &good, &[]).await.status, 200);
    // The previous key still signs (rotation), and proxies' rewriting is undone before the check.
    let old = format!(
        "/{}{path}",
        signature::sign(&hex(OLD_KEY), &hex(OLD_SALT), path)
    );
    assert_eq!(get(&app, &old, &[]).await.status, 200);
    let collapsed = good
        .replace("local:///", "local:/")
        .replace("rs:fit", "rs%3Afit");
    assert_eq!(get(&app, &collapsed, &[]).await.status, 200);
    let sig = good.split('/').nth(1).expect("signature").to_string();
    for refused in [
        good.replace("64:64", "65:64"),
        good.replace(&sig, &sig.to_lowercase()),
        format!(
            "/{}{path}",
            signature::sign(&hex(KEY), &hex(OLD_SALT), path)
        ),
        format!("/insecure{path}"),
        format!("/{}{path}", &sig[..20]),
    ] {
        let a = get(&app, &refused, &[]).await;
        assert_eq!(
            (a.status, a.code().as_deref()),
            (403, Some("invalid_signature")),
            "{refused}"
        );
    }
    // Without keys, signed URLs do not exist (never an open proxy); insecure only when enabled.
    let off = App::new();
    assert_eq!(get(&off, &good, &[]).await.status, 404);
    let dev = App::new().with_urls(Some(UrlConfig::new(
        UrlKeys::default().allowing_insecure(true),
        Sources {
            local_root: Some(corpus()),
            ..Sources::default()
        },
    )));
    assert_eq!(
        get(&dev, &format!("/insecure{path}"), &[]).await.status,
        200
    );
    // The routes of the API and the page are not signed URLs.
    assert_eq!(get(&app, "/version", &[]).await.status, 200);
    assert_eq!(get(&app, "/nothing", &[]).await.status, 404);
}

#[tokio::test]
async fn options_outside_the_subset_are_refused_by_name() {
    let app = local_app();
    for (options, named) in [
        ("crop:100:100", "`crop`"),
        ("rs:fill-down:100:100", "`fill-down`"),
        ("g:sm", "`g`"),
        ("f:heic", "`heic`"),
        ("blur:5", "`blur`"),
    ] {
        let a = get(
            &app,
            &signed(&format!("/{options}/plain/local:///photos/rocket.jpg")),
            &[],
        )
        .await;
        assert_eq!(
            (a.status, a.code().as_deref()),
            (400, Some("invalid_option")),
            "{options}"
        );
        assert!(a.message().contains(named), "{options}: {}", a.message());
        assert_eq!(a.header("cache-control"), Some("public, max-age=60"));
    }
}

#[tokio::test]
async fn sources_stay_on_their_lists_and_under_their_caps() {
    let dir = std::env::temp_dir().join(format!("thumbprint-signed-{}", std::process::id()));
    let root = dir.join("root");
    std::fs::create_dir_all(&root).expect("dir");
    std::fs::copy(corpus().join("photos/rocket.jpg"), dir.join("outside.jpg")).expect("copy");
    std::os::unix::fs::symlink(dir.join("outside.jpg"), root.join("link.jpg")).expect("link");
    // Over the 20 MiB source cap (sparse: nothing is written).
    let big = std::fs::File::create(root.join("big.jpg")).expect("big");
    big.set_len(21 * 1024 * 1024).expect("len");
    let app = App::new().with_urls(Some(config(Sources {
        local_root: Some(root.clone()),
        origins: vec!["https://img.example.com".into()],
        s3_buckets: vec!["photos".into()],
    })));
    for (source, status, code) in [
        ("plain/local:///../outside.jpg", 422, "url_not_allowed"),
        ("plain/local:///link.jpg", 422, "url_not_allowed"),
        ("plain/local:///missing.jpg", 404, "not_found"),
        ("plain/local:///big.jpg", 413, "source_too_large"),
        (
            "plain/https://elsewhere.example.com/a.jpg",
            422,
            "url_not_allowed",
        ),
        ("plain/http://img.example.com/a.jpg", 422, "url_not_allowed"),
        ("plain/s3://other-bucket/a.jpg", 422, "url_not_allowed"),
        ("plain/file:///etc/passwd", 422, "url_not_allowed"),
        ("plain/a@b@c", 400, "invalid_request"),
    ] {
        let a = get(&app, &signed(&format!("/rs:fit:64:64/{source}")), &[]).await;
        assert_eq!(
            (a.status, a.code().as_deref()),
            (status, Some(code)),
            "{source}"
        );
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[tokio::test]
async fn allow_listed_origins_are_fetched_through_the_safe_fetcher() {
    let png = std::fs::read(corpus().join("photos/chelsea_cat.png")).expect("png");
    let origin = start_origin(png.clone()).await;
    let app = loopback_app().with_urls(Some(config(Sources {
        origins: vec![format!("http://origin.test:{}", origin.port())],
        ..Sources::default()
    })));
    let path = format!(
        "/rs:fit:80:80/plain/http://origin.test:{}/image@png",
        origin.port()
    );
    let a = get(&app, &signed(&path), &[]).await;
    let b = post(&app, "width=80&height=80&format=png", &png).await;
    assert_eq!((a.status, b.status), (200, 200), "{}", a.message());
    assert!(a.body == b.body);
    // An allow-listed origin is still held to the fetcher's rules: its redirect elsewhere too.
    let hop = format!(
        "/rs:fit:80:80/plain/http://origin.test:{}/redirect%3Fto=http%3A%2F%2F10.0.0.1%2F@png",
        origin.port()
    );
    let a = get(&app, &signed(&hop), &[]).await;
    assert_eq!(
        a.code().as_deref(),
        Some("url_not_allowed"),
        "{}",
        a.message()
    );
}

#[tokio::test]
async fn the_lambda_answers_a_payload_2_get_with_the_same_bytes() {
    let app = local_app();
    let path = signed("/rs:fit:96:96/plain/local:///photos/rocket.jpg@png");
    let direct = get(&app, &path, &[]).await;
    let event = v2_event(
        "apigw-v2-no-authorizer.json",
        "GET",
        &path,
        "",
        &[("accept", "image/webp")],
        b"",
        false,
    );
    let r = handle_event(&app, event, "signed").await;
    assert_eq!(r["statusCode"], 200, "{r}");
    assert_eq!(r["isBase64Encoded"], true);
    assert_eq!(response_header(&r, "etag").as_str(), direct.header("etag"));
    assert!(unb64(r["body"].as_str().expect("body")) == direct.body);
}

/// A stand-in for the AWS Parameters and Secrets Lambda Extension on loopback: answers SSM's
/// JSON for `value` when the session token is `session`, 400 otherwise (as the extension does).
async fn parameters_extension(value: &'static str) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_lowercase();
            let asked = head.starts_with(
                "get /systemsmanager/parameters/get?name=%2fthumbprint%2furl-keys&withdecryption=true ",
            );
            let answer = if asked && head.contains("x-aws-parameters-secrets-token: session\r\n") {
                let body = serde_json::json!({"Parameter": {"Name": "/thumbprint/url-keys", "Type": "SecureString", "Value": value}}).to_string();
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
            } else {
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string()
            };
            let _ = sock.write_all(answer.as_bytes()).await;
        }
    });
    addr
}

#[tokio::test]
async fn the_lambda_reads_its_keys_from_the_parameters_extension() {
    use thumbprint_service::signed::parameter::read_keys;
    let value = Box::leak(format!("{KEY}:{SALT}\n{OLD_KEY}:{OLD_SALT}\n").into_boxed_str());
    let addr = parameters_extension(value).await;
    let endpoint = format!("http://{addr}");
    let keys = read_keys(&endpoint, "/thumbprint/url-keys", "session")
        .await
        .expect("keys");
    assert_eq!(keys.len(), 2);
    let path = "/rs:fit:64:64/plain/local:///photos/rocket.jpg";
    let old = signature::sign(&hex(OLD_KEY), &hex(OLD_SALT), path);
    assert!(keys.verify(&old, path));
    assert_eq!(
        keys.sign(path),
        Some(signature::sign(&hex(KEY), &hex(SALT), path))
    );
    // Refused by the extension, or no extension at all: the cold start stops, naming the setting.
    let e = read_keys(&endpoint, "/thumbprint/url-keys", "stolen")
        .await
        .expect_err("refused");
    assert!(
        e.to_string().contains("THUMBPRINT_URL_KEYS_PARAMETER"),
        "{e}"
    );
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let gone = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let e = read_keys(&gone, "/thumbprint/url-keys", "session")
        .await
        .expect_err("no extension");
    assert!(e.to_string().contains("did not answer"), "{e}");
}

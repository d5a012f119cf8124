//! Every row of the image_url threat table (../shared/reference/security-limits.md), with an
//! injected resolver and a scripted origin on loopback. No test reaches the internet: refusals
//! happen before any socket opens, and the origin is on 127.0.0.1.

use std::time::{Duration, Instant};

use crate::support::*;
use thumbprint_core::ErrorCode;
use thumbprint_service::fetch::Fetcher;

async fn strict(url: &str) -> ErrorCode {
    let f = Fetcher::with_resolver(table_resolver());
    f.fetch(url).await.expect_err("must be refused").code
}

#[tokio::test]
async fn runtime_api_loopback_and_ip_encodings_are_refused() {
    for url in [
        "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",
        "http://127.0.0.1/2018-06-01/runtime/invocation/next",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://017700000001/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[64:ff9b::7f00:1]/",
    ] {
        assert_eq!(strict(url).await, ErrorCode::UrlNotAllowed, "{url}");
    }
}

#[tokio::test]
async fn link_local_metadata_and_private_ranges_are_refused() {
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.170.2/v2/credentials",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",
        "http://0.1.2.3/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[fc00::1]/",
    ] {
        assert_eq!(strict(url).await, ErrorCode::UrlNotAllowed, "{url}");
    }
}

#[tokio::test]
async fn dns_answers_are_checked_and_mixed_answers_refused() {
    for url in [
        "http://private.test/",
        "http://mixed.test/",
        "http://metadata.test/",
        "http://origin.test/",
    ] {
        assert_eq!(strict(url).await, ErrorCode::UrlNotAllowed, "{url}");
    }
    assert_eq!(
        strict("http://unknown.test/").await,
        ErrorCode::SourceUnavailable
    );
}

#[tokio::test]
async fn schemes_userinfo_and_ports_are_refused() {
    for url in [
        "file:///proc/self/environ",
        "gopher://public.test/",
        "ftp://public.test/",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://u:p@public.test/",
        "https://public.test:9001/",
        "http://public.test:8080/",
        "not a url",
    ] {
        assert_eq!(strict(url).await, ErrorCode::UrlNotAllowed, "{url}");
    }
}

#[tokio::test]
async fn every_refusal_is_the_same_answer() {
    let a = Fetcher::with_resolver(table_resolver())
        .fetch("http://10.0.0.1/")
        .await
        .expect_err("refused");
    let b = Fetcher::with_resolver(table_resolver())
        .fetch("file:///etc/passwd")
        .await
        .expect_err("refused");
    assert_eq!(a, b, "no detail that makes the endpoint an oracle");
}

/// A redirect from the origin at `base` to each of `targets` is refused as `url_not_allowed`.
async fn assert_redirects_refused(f: &Fetcher, base: &str, targets: &[&str]) {
    for to in targets {
        let url = format!(
            "{base}/redirect?to={}",
            url::form_urlencoded::byte_serialize(to.as_bytes()).collect::<String>()
        );
        assert_eq!(
            f.fetch(&url).await.expect_err("refused").code,
            ErrorCode::UrlNotAllowed,
            "{to}"
        );
    }
}

#[tokio::test]
async fn redirects_are_rechecked_and_bounded() {
    let png = corpus_file("conformance/gif_static_hopper.gif");
    let origin = start_origin(png.clone()).await;
    let f = loopback_app().fetcher;
    let base = format!("http://{origin}");
    // The local origin itself is fine for the test fetcher ...
    assert_eq!(f.fetch(&format!("{base}/image")).await.expect("fetch"), png);
    assert_eq!(
        f.fetch(&format!("{base}/chain/2")).await.expect("3 hops"),
        png
    );
    // ... but not where it redirects to.
    let targets = [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "http://private.test/",
        "file:///etc/passwd",
        "http://[fe80::1]/",
    ];
    assert_redirects_refused(&f, &base, &targets).await;
    // The cap at its boundary: /chain/2 is 3 redirects (allowed above), /chain/3 is 4.
    for too_many in ["/chain/3", "/chain/4"] {
        assert_eq!(
            f.fetch(&format!("{base}{too_many}"))
                .await
                .expect_err("too many")
                .code,
            ErrorCode::UrlNotAllowed,
            "{too_many}"
        );
    }
    // With the production policy the loopback origin is refused outright.
    assert_eq!(
        strict(&format!("{base}/image")).await,
        ErrorCode::UrlNotAllowed
    );
}

#[tokio::test]
async fn size_and_time_caps() {
    let origin = start_origin(vec![1, 2, 3]).await;
    let f = loopback_app().fetcher;
    let base = format!("http://{origin}");
    assert_eq!(
        f.fetch(&format!("{base}/huge"))
            .await
            .expect_err("cap")
            .code,
        ErrorCode::SourceTooLarge
    );
    let start = Instant::now();
    assert_eq!(
        f.fetch(&format!("{base}/endless"))
            .await
            .expect_err("cap")
            .code,
        ErrorCode::SourceTooLarge
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    let start = Instant::now();
    assert_eq!(
        f.fetch(&format!("{base}/drip"))
            .await
            .expect_err("slow")
            .code,
        ErrorCode::SourceTimeout
    );
    assert!(start.elapsed() < Duration::from_secs(4), "total time cap");
    assert_eq!(
        f.fetch(&format!("{base}/missing"))
            .await
            .expect_err("404")
            .code,
        ErrorCode::SourceUnavailable
    );
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    assert_eq!(
        f.fetch(&format!("http://127.0.0.1:{port}/"))
            .await
            .expect_err("refused")
            .code,
        ErrorCode::SourceUnavailable
    );
}

#[tokio::test]
async fn content_served_with_a_wrong_type_is_sniffed() {
    let origin = start_origin(vec![]).await;
    let app = loopback_app();
    let body =
        serde_json::json!({"image_url": format!("http://{origin}/html"), "width": 10}).to_string();
    let e = json_post(&body);
    let r = handle_event(&app, e, "id").await;
    assert_eq!(r["statusCode"], 422);
    assert!(r["body"]
        .as_str()
        .expect("body")
        .contains("unsupported_format"));
}

#[tokio::test]
async fn image_url_end_to_end_through_the_handler() {
    let png = corpus_file("conformance/gif_static_hopper.gif");
    let origin = start_origin(png.clone()).await;
    let app = loopback_app();
    let body =
        serde_json::json!({"image_url": format!("http://{origin}/image"), "width": 16}).to_string();
    let e = json_post(&body);
    let r = handle_event(&app, e, "id").await;
    assert_eq!(r["statusCode"], 200, "{r}");
    let want =
        thumbprint_core::thumbnail(&png, &thumbprint_core::Options::new(16)).expect("engine");
    assert_eq!(unb64(r["body"].as_str().expect("body")), want.bytes);
}

/// The strict policy with one loopback origin allowed: redirects from it to anything else of
/// the machine (the Lambda Runtime API on 9001 over IPv4, IPv6 and by name) are refused.
#[tokio::test]
async fn redirects_to_the_runtime_api_are_refused() {
    let png = corpus_file("conformance/gif_static_hopper.gif");
    let origin = start_origin(png.clone()).await;
    let f = Fetcher::strict_with_test_origin(table_resolver(), origin);
    let base = format!("http://{origin}");
    assert_eq!(
        f.fetch(&format!("{base}/chain/2")).await.expect("3 hops"),
        png
    );
    let targets = [
        "http://[::1]:9001/2018-06-01/runtime/invocation/next",
        "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",
        "http://localhost:9001/",
        "http://[::ffff:127.0.0.1]:9001/",
        "http://[::1]/",
    ];
    assert_redirects_refused(&f, &base, &targets).await;
}

/// The connection goes to the address that was checked, not to a second lookup: `origin.test`
/// resolves only through the injected resolver (the system resolver knows no `.test` name), so
/// the fetch succeeds only if the checked address is pinned for the connection.
#[tokio::test]
async fn the_checked_address_is_the_one_connected_to() {
    let png = corpus_file("conformance/gif_static_hopper.gif");
    let origin = start_origin(png.clone()).await;
    let f = Fetcher::strict_with_test_origin(table_resolver(), origin);
    let by_name = format!("http://origin.test:{}/image", origin.port());
    assert_eq!(f.fetch(&by_name).await.expect("pinned fetch"), png);
}

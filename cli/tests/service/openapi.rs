//! Holds the OpenAPI document against the implementation: every error code the service has is
//! documented with its status and nothing else is; every option the engine reads is documented
//! with the engine's ranges; documented routes answer.

use serde_json::Value;
use thumbprint_core::{ErrorCode, LIMITS, OPTION_NAMES};
use thumbprint_service::error::http_status;
use thumbprint_service::http::OPENAPI;

fn doc() -> Value {
    serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
}

#[test]
fn error_codes_match_the_implementation() {
    let d = doc();
    assert_eq!(d["openapi"], "3.1.0");
    let documented = d["components"]["x-error-codes"]
        .as_object()
        .expect("x-error-codes");
    assert_eq!(documented.len(), ErrorCode::ALL.len());
    for code in ErrorCode::ALL {
        let entry = &documented[code.as_str()];
        assert_eq!(
            entry["status"].as_u64(),
            Some(u64::from(http_status(code))),
            "{code}"
        );
    }
    let enum_codes: Vec<&str> = d["components"]["schemas"]["Error"]["properties"]["error"]
        ["properties"]["code"]["enum"]
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut want: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut got = enum_codes.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    // Every status the thumbnail route can answer with is listed on it.
    let responses = d["paths"]["/thumbnail"]["post"]["responses"]
        .as_object()
        .expect("responses");
    for code in ErrorCode::ALL {
        if matches!(
            code,
            ErrorCode::NotFound | ErrorCode::InvalidSignature | ErrorCode::NotThroughCdn
        ) {
            continue;
        }
        let r = &responses[&http_status(code).to_string()];
        assert!(
            r["description"]
                .as_str()
                .is_some_and(|t| t.contains(code.as_str())),
            "{code} missing on /thumbnail"
        );
    }
}

#[test]
fn options_match_the_engine() {
    let d = doc();
    let props = d["components"]["schemas"]["ThumbnailRequest"]["properties"]
        .as_object()
        .expect("props");
    assert_eq!(
        d["components"]["schemas"]["ThumbnailRequest"]["additionalProperties"],
        false
    );
    let mut names: Vec<&str> = props
        .keys()
        .map(String::as_str)
        .filter(|k| !k.starts_with("image_") && *k != "sizes")
        .collect();
    names.sort();
    let mut want = OPTION_NAMES.to_vec();
    want.sort();
    assert_eq!(names, want, "JSON options");
    // A set's members take the same options, and as many as the engine's sets allow.
    let mut members: Vec<&str> = d["components"]["schemas"]["ThumbnailOptions"]["properties"]
        .as_object()
        .expect("member props")
        .keys()
        .map(String::as_str)
        .collect();
    members.sort();
    assert_eq!(members, want, "set member options");
    assert_eq!(
        props["sizes"]["maxItems"].as_u64(),
        Some(thumbprint_core::MAX_SET as u64)
    );
    let params: Vec<&str> = d["paths"]["/thumbnail"]["post"]["parameters"]
        .as_array()
        .expect("params")
        .iter()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(params, OPTION_NAMES.to_vec(), "query options");
    for dim in ["width", "height"] {
        assert_eq!(
            props[dim]["maximum"].as_u64(),
            Some(u64::from(LIMITS.max_dimension))
        );
        assert_eq!(props[dim]["minimum"].as_u64(), Some(1));
    }
    let fits: Vec<&str> = props["fit"]["enum"]
        .as_array()
        .expect("fit")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for f in &fits {
        f.parse::<thumbprint_core::Fit>()
            .expect("documented fit is accepted");
    }
    for f in ["contain", "cover", "fill"] {
        assert!(fits.contains(&f));
    }
    let formats: Vec<&str> = props["format"]["enum"]
        .as_array()
        .expect("format")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for f in &formats {
        f.parse::<thumbprint_core::Format>()
            .expect("documented format is accepted");
    }
    // No option is required: the seed's defaults (a 200 x 200 box) apply.
    assert!(d["components"]["schemas"]["ThumbnailRequest"]["required"].is_null());
    assert_eq!(
        props["width"]["default"].as_u64(),
        Some(u64::from(thumbprint_core::DEFAULT_WIDTH))
    );
    for p in d["paths"]["/thumbnail"]["post"]["parameters"]
        .as_array()
        .expect("params")
        .iter()
        .filter(|p| p["in"] == "query")
    {
        assert_eq!(p["required"], false, "{}", p["name"]);
    }
    assert_eq!(props["quality"]["maximum"], 100);
    assert_eq!(
        props["quality"]["default"].as_u64(),
        Some(u64::from(thumbprint_core::DEFAULT_QUALITY))
    );
    assert_eq!(
        d["paths"]["/thumbnail"]["post"]["requestBody"]["content"]["image/*"]["schema"]
            ["maxLength"]
            .as_u64(),
        Some(LIMITS.max_input_bytes as u64)
    );
}

#[tokio::test]
async fn documented_get_routes_answer() {
    // With the page's sign-in configured, as Terraform configures the function with Cognito.
    let app = thumbprint_service::http::App::new().with_page_auth(Some(
        thumbprint_service::auth::page::PageAuth {
            authorization_endpoint: "https://p.auth.eu-west-1.amazoncognito.com/oauth2/authorize"
                .into(),
            token_endpoint: "https://p.auth.eu-west-1.amazoncognito.com/oauth2/token".into(),
            logout_endpoint: "https://p.auth.eu-west-1.amazoncognito.com/logout".into(),
            client_id: "page".into(),
            scope: "openid thumbprint/thumbnail".into(),
        },
    ));
    for (path, item) in doc()["paths"].as_object().expect("paths") {
        // The signed image route is a template (tests/service/signed.rs covers it).
        if item.get("get").is_none() || path == "/" || path.contains('{') {
            continue;
        }
        let req = http::Request::get(path.as_str())
            .body(hyper::body::Bytes::new())
            .expect("request");
        assert_eq!(app.handle(req).await.status(), 200, "{path}");
    }
}

//! The Lambda `bootstrap`: one function for API Gateway (2.0 and 1.0), function URLs, direct
//! invokes and S3 notifications (thumbnails on upload). Built for arm64 with `cargo lambda build --release --arm64 --output-format zip`.

use std::sync::Arc;

use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::value::RawValue;
use thumbprint_lambda::events;
use thumbprint_service::auth::page::PageAuth;
use thumbprint_service::signed::UrlConfig;
use thumbprint_service::upload::UploadConfig;
use thumbprint_service::{http::App, logging};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    logging::init();
    // A configuration the function cannot use stops the cold start, with one clear log line.
    let urls = UrlConfig::from_env().await.inspect_err(|e| {
        tracing::error!(error = %e, "the signed URL configuration is unusable");
    })?;
    let uploads = UploadConfig::from_env().inspect_err(|e| {
        tracing::error!(error = %e, "the upload trigger's configuration is unusable");
    })?;
    let app = Arc::new(
        App::new()
            .with_page_auth(PageAuth::from_env())
            .with_urls(urls)
            .with_uploads(uploads),
    );
    // The event stays text until the adapter knows its shape: parsed once, as what it is.
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Box<RawValue>>| {
        let app = app.clone();
        async move {
            let (payload, context) = event.into_parts();
            events::handle(&app, payload.get(), context)
                .await
                .map_err(lambda_runtime::Error::from)
        }
    }))
    .await
}

//! Structured JSON logs: one line per request. Never the Authorization header, never a source
//! URL's path or query string.

/// Installs the JSON subscriber (level from `RUST_LOG`, default `info`; trace is capped at debug
/// so that no runtime ever logs a payload).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
        .add_directive(
            "lambda_runtime=info"
                .parse()
                .unwrap_or_else(|_| tracing::Level::INFO.into()),
        );
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .try_init();
}

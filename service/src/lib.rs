//! thumbprint's HTTP service as a library: one function from an `http::Request` to an
//! `http::Response` ([`http::App`]: routes, errors, ETag/304, the panic guard, the log line), the
//! request shapes ([`request`]), the engine run ([`pipeline`]), safe `image_url` fetching
//! ([`fetch`], [`netpolicy`]), the embedded preview page ([`assets`]) and the page's sign-in
//! settings ([`auth::page`]), signed image URLs ([`signed`]) and thumbnails on upload ([`upload`]). With the `jwt` feature, API Gateway's JWT authorizer rules and the
//! issuer's keys ([`auth`]) for the local server. The Lambda bootstrap (`thumbprint-lambda`) and
//! the command line (`thumbprint-cli`) are thin doors onto it.

pub mod assets;
pub mod auth;
pub mod client;
pub mod error;
pub mod fetch;
pub mod http;
pub mod logging;
pub mod negotiate;
pub mod netpolicy;
pub mod pipeline;
pub mod request;
pub mod s3;
pub mod signed;
pub mod upload;

pub use error::ServiceError;

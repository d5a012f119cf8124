//! thumbprint service: the request pipeline shared by the Lambda `bootstrap`, the local server
//! and the `thumbprint` command line.

pub mod assets;
pub mod auth;
pub mod batch;
pub mod error;
pub mod events;
pub mod fetch;
pub mod http;
pub mod local;
pub mod logging;
pub mod netpolicy;
pub mod pipeline;
pub mod request;
pub mod server;

pub use error::ServiceError;

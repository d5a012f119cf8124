//! thumbprint service: the request pipeline shared by the Lambda `bootstrap`, the local server
//! and the `thumbprint` command line.

pub mod error;
pub mod pipeline;

pub use error::ServiceError;

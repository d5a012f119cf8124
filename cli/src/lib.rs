//! The `thumbprint` command line's parts: the batch of files and sizes ([`batch`]), the local
//! server ([`server`], hyper onto `thumbprint-service`'s application), `thumbprint serve` put
//! together ([`local`]) and the development token issuer ([`dev_issuer`], `serve --dev-auth`;
//! never in the Lambda).

pub mod batch;
pub mod dev_issuer;
pub mod error;
pub mod local;
pub mod server;

pub use error::CliError;

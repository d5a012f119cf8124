//! The `thumbprint` command line's parts: the batch of files and sizes ([`batch`]), the local
//! server ([`server`], hyper onto `thumbprint-service`'s application), `thumbprint serve` put
//! together ([`local`]), the development token issuer ([`dev_issuer`], `serve --dev-auth`;
//! never in the Lambda) and signed image URLs' flags and `thumbprint sign` ([`urls`]).

pub mod batch;
pub mod dev_issuer;
pub mod error;
pub mod local;
pub mod server;
pub mod urls;

pub use error::CliError;
